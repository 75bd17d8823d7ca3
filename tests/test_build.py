"""End to end: real MkDocs builds, checked by reading the HTML a user gets."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote

import pytest
from mkdocs.exceptions import Abort

from .conftest import ProjectFactory, article, build, page

JANE = """\
---
name: Jane Doe
aliases: [JD]
company: Acme <Corp>
role: VP Engineering
industry: [Software, Design]
location: Berlin
tier: core
met: 2024-05-14
how_met: PyCon hallway track
introduced_by: "[[Bob Smith]]"
tags: [oss, mentor]
email: jane@example.com
linkedin: javascript:alert(1)
website: example.org/jane
worked_with: true
checked: 2026-01-10
pronouns: she/her
---

# Jane Doe

Notes about [[Bob Smith|Bob]] and [[Secret Sam]]. %%never shown%%

## Log

- 2026-03-02 coffee: Talked about Acme.
- [ ] 2026-06-01 gave: Send her the retro template.
"""

BOB = """\
---
company: Acme Corp
tier: active
---
# Bob Smith
"""

SAM = """\
---
name: Secret Sam
publish: false
company: Hidden Agency
---
# Secret Sam

Private notes.
"""

BROKEN = """\
---
name: Broken Bea
company: "unclosed
tier: core
---
# Broken Bea
"""


def test_person_page_has_the_header_card_notes_and_log(project: ProjectFactory) -> None:
    root = project({"Jane Doe.md": JANE, "Bob Smith.md": BOB, "Secret Sam.md": SAM})
    site = build(root)
    jane = article(site, "people/jane-doe/")
    card = {
        dt.get_text(): dd
        for dt, dd in zip(jane.select(".kith-card dt"), jane.select(".kith-card dd"), strict=True)
    }
    assert card["Work"].get_text() == "VP Engineering at Acme <Corp>"
    assert card["Industry"].get_text() == "Software, Design"
    assert "core" in card["Tier"].get_text()
    assert "worked together" in card["Tier"].get_text()
    assert card["Met"].get_text() == "2024-05-14 · PyCon hallway track"
    assert card["Introduced by"].a["href"] == "../bob-smith/"
    assert card["Also known as"].get_text() == "JD"
    assert card["Pronouns"].get_text() == "she/her"  # unknown keys are shown too
    hrefs = [a["href"] for a in card["Contact"].select("a")]
    assert hrefs == ["mailto:jane@example.com", "https://example.org/jane"]
    # javascript: in data is shown as text, never a link
    assert "javascript:alert(1)" in card["Contact"].get_text()
    assert jane.h1.get_text().strip("¶") == "Jane Doe"
    # The log is shown once, newest first, in the Log section (not again in the notes).
    log_list = jane.find(id="log").find_next("ol")
    log = [li.get_text(" ", strip=True) for li in log_list.find_all("li")]
    assert log == [
        "2026-06-01 gave open Send her the retro template.",
        "2026-03-02 coffee Talked about Acme.",
    ]
    assert len(jane.find_all(id="log")) == 1
    assert "Talked about Acme" not in jane.select_one(".kith-card").find_next("p").get_text()
    assert log_list.select_one(".kith-open") is not None  # the open promise is marked
    bob = jane.select_one("a.kith-wikilink")
    assert bob is not None and (bob["href"], bob.get_text()) == ("../bob-smith/", "Bob")
    # A link to a private person is plain text, with no link and no warning mark.
    assert "Secret Sam" in jane.get_text()
    assert not jane.select(".kith-unresolved")
    assert "never shown" not in (site / "people/jane-doe/index.html").read_text()


def test_people_index_lists_every_published_person(project: ProjectFactory) -> None:
    site = build(project({"Jane Doe.md": JANE, "Bob Smith.md": BOB, "Secret Sam.md": SAM}))
    table = article(site, "people/").select_one("table.kith-people")
    headers = [th.get_text() for th in table.select("thead th")]
    columns = [headers.index(h) for h in ("Name", "Company", "Role", "Industry", "Tier")]
    rows = [[tr.select("td")[i].get_text() for i in columns] for tr in table.select("tbody tr")]
    assert rows == [
        ["Bob Smith", "Acme Corp", "", "", "active"],
        ["Jane Doe", "Acme <Corp>", "VP Engineering", "Software, Design", "core"],
    ]


def test_private_people_leave_no_trace(project: ProjectFactory) -> None:
    site = build(project({"Jane Doe.md": JANE, "Bob Smith.md": BOB, "Secret Sam.md": SAM}))
    assert not (site / "people/secret-sam").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Hidden Agency" not in text, path
            assert "Private notes" not in text, path
            assert "secret-sam" not in text, path


def test_a_broken_file_fails_strict_and_is_left_out_otherwise(
    project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    root = project({"Broken Bea.md": BROKEN, "Bob Smith.md": BOB})
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build(root, strict=True)
    expected = "people/Broken Bea.md:3:10: invalid YAML"
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.kith"]
    assert any(m.startswith(expected) for m in messages), messages
    site = build(root, strict=False)
    assert (site / "people/bob-smith/index.html").exists()
    # The broken file's page says why, at its address, and nothing of its text.
    problem_page = (site / "people/broken-bea/index.html").read_text(encoding="utf-8")
    assert "This file cannot be read as a person" in problem_page
    for path in site.rglob("*.html"):
        assert "unclosed" not in path.read_text(encoding="utf-8"), path
    assert "unclosed" not in (site / "search/search_index.json").read_text(encoding="utf-8")


def test_a_typo_in_a_link_is_a_warning_with_file_and_line(
    project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    root = project({"Bob Smith.md": BOB + "\nSee [[Jane Doh]].\n"})
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build(root)
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.kith"]
    assert messages == [
        "people/Bob Smith.md:7:5: [[Jane Doh]] links to nobody — fix the spelling, add an alias, "
        "or create people/Jane Doh.md"
    ]


def test_a_user_index_wins_over_the_generated_home(project: ProjectFactory) -> None:
    root = project({"index.md": "# My own welcome\n", "Bob Smith.md": BOB})
    site = build(root)
    assert article(site, "").h1.get_text().strip("¶") == "My own welcome"
    assert article(site, "dashboard/").h1.get_text().strip("¶") == "Home"
    nav = [
        a.get_text(strip=True) for a in page(site, "").select("nav.md-nav--primary > ul > li > a")
    ]
    assert nav[:2] == ["Welcome", "Dashboard"]


def test_person_pages_stay_out_of_the_navigation(demo_site: Path) -> None:
    nav = page(demo_site, "").select_one("nav.md-nav--primary")
    assert nav is not None
    titles = [a.get_text(strip=True) for a in nav.select(".md-nav__link")]
    assert "Home" in titles and "Network" in titles
    assert "Amara Okafor" not in titles
    # The Network section opens on its own pages (navigation.prune keeps others light).
    section = page(demo_site, "people/").select_one("nav.md-nav--primary")
    assert section is not None
    inside = [a.get_text(strip=True) for a in section.select("a.md-nav__link")]
    assert {"People", "Companies", "Graph"} <= set(inside)
    assert "Amara Okafor" not in inside


def test_the_demo_has_a_page_per_published_person(demo_site: Path) -> None:
    people = article(demo_site, "people/").select("table.kith-people tbody tr")
    assert len(people) == 30
    for row in people:
        href = unquote(row.a["href"])
        assert (demo_site / "people" / href / "index.html").exists(), href
    assert not (demo_site / "people/viktor-lindqvist").exists()
    for path in demo_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics"):
            assert "Lindqvist" not in path.read_text(encoding="utf-8"), path


def test_home_counts_people_per_tier(demo_site: Path) -> None:
    stats = {
        div.select_one(".kith-stat-label").get_text(): int(
            div.select_one(".kith-stat-value").get_text()
        )
        for div in article(demo_site, "").select(".kith-stats:first-of-type .kith-stat")
    }
    # Home counts the people you keep (29); People lists the archived one too (30).
    assert stats["people in your network (archived aside)"] == 29
    assert (stats["core"], stats["active"], stats["prospect"], stats["archived"]) == (5, 9, 4, 1)


def test_theme_assets_are_published(demo_site: Path) -> None:
    assert list((demo_site / "assets/stylesheets").glob("main.*.min.css"))
    assert list((demo_site / "assets/javascripts").glob("bundle.*.min.js"))
    assert (demo_site / "assets/kith.css").exists()


def test_links_reach_people_whose_file_names_need_quoting(project: ProjectFactory) -> None:
    site = build(
        project(
            {
                "What? 100% Sure.md": "# What? 100% Sure\n",
                "O'Brien & Sons.md": "# O'Brien & Sons\n\nSee [[What? 100% Sure]].\n",
            }
        )
    )
    link = article(site, "people/o-brien-sons/").select_one("a.kith-wikilink")
    assert link is not None and link["href"] == "../what-100-sure/"
    assert (site / "people/what-100-sure/index.html").exists()


def test_an_ambiguous_link_is_a_warning_naming_both_people(
    project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    root = project(
        {
            "work/Alex Kim.md": "# Alex Kim\n",
            "school/Alex Kim.md": "# Alex Kim\n",
            "Bob Smith.md": BOB + "\nMet [[Alex Kim]] twice.\n",
        }
    )
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build(root)
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.kith"]
    assert messages == [
        "people/Bob Smith.md:7:5: [[Alex Kim]] could mean Alex Kim (people/school/Alex Kim.md)"
        " and Alex Kim (people/work/Alex Kim.md); it links to Alex Kim — link by path, e.g."
        " [[work/Alex Kim]], or tell them apart by name or alias"
    ]


def test_your_own_navigation_names_kiths_pages_as_you_do(project: ProjectFactory) -> None:
    import yaml

    root = project({"ann.md": "---\nname: Ann Lee\ncompany: Acme\n---\n"})
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"] = [
        {"Start": "kith/home.md"},
        {"Everyone I know": "kith/people.md"},
        {"Who is due": "kith/follow-ups.md"},
    ]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    site = build(root, strict=False)
    top = page(site, "journal/").select("nav.md-nav--primary > ul > li > a")
    assert [a.get_text(strip=True) for a in top] == ["Start", "Everyone I know", "Who is due"]
    people = article(site, "people/")
    assert "Ann Lee" in people.get_text() and "Acme" in people.get_text()
