"""Parts of a generated page kept by value across serve rebuilds (``kith.pages.fragments``).

A company's section, a follow-up row, an industry's people: drawn again only when what
they show changed, and otherwise exactly what a fresh build draws, whatever a user's
copy of the part shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, ProjectFactory, article
from .test_serve_cache import Server, _site_files, touch
from .test_serve_reads import _same_as_fresh

KEPT_PARTS = ("company-section.html", "follow-up-row.html", "diversity-people.html")


def _shipped(name: str) -> str:
    return (REPO / "templates" / name).read_text(encoding="utf-8")


def _people(count: int) -> dict[str, str]:
    """People at a few companies, in a few industries, all overdue or never met."""
    return {
        f"Person {n:03}.md": (
            f"---\ncompany: Co{n % 6}\nindustry: I{n % 4}\ntier: active\n---\n"
            f"# Person {n:03}\n\n## Log\n\n- 2025-0{1 + n % 9}-1{n % 10} call: with "
            f"[[Person {(n + 1) % count:03}]]\n"
        )
        for n in range(count)
    }


def _drawer(tmp_path: Path, templates: dict[str, str]) -> Any:
    from kith.pages.fragments import FragmentDrawer
    from kith.pages.render import environment

    folder = tmp_path / "templates"
    folder.mkdir()
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    env = environment(folder)
    env.begin_build()
    return FragmentDrawer(env, dict, {}, lambda text: ())


@pytest.mark.fast
@pytest.mark.parametrize("name", KEPT_PARTS)
def test_the_shipped_parts_read_only_what_they_are_given(tmp_path: Path, name: str) -> None:
    """Else every part would be drawn each time, silently: the speed would be gone."""
    drawer = _drawer(tmp_path, {})
    given = {"company-section.html": {"company"}, "follow-up-row.html": {"f"}}
    assert drawer._may_keep(name, frozenset(given.get(name, {"people"})))


@pytest.mark.fast
def test_a_part_that_reads_more_than_it_is_given_is_not_kept(tmp_path: Path) -> None:
    drawer = _drawer(
        tmp_path,
        {
            "title.html": "{{ title }} {{ f.contact.name }}",
            "loop.html": "{{ loop.index }}",
            "named.html": "{% include f.template %}",
            "inner.html": "{{ secret }}",
            "outer.html": '{{ f.name }}{% include "inner.html" %}',
            "fine.html": '{% set x = f.name %}{{ x }}{% include "fine-inner.html" %}',
            "fine-inner.html": "{{ links }} {{ safe_url(f.email) }}",
            "macro.html": '{% import "fine-inner.html" as m %}',
            "parent.html": '{% extends "fine-inner.html" %}',
            "self.html": '{% include "self.html" %}',
        },
    )
    f = frozenset({"f"})
    assert not drawer._may_keep("title.html", f)
    assert not drawer._may_keep("loop.html", f)
    assert not drawer._may_keep("named.html", f)
    assert not drawer._may_keep("outer.html", f)
    assert not drawer._may_keep("macro.html", f)
    assert not drawer._may_keep("parent.html", f)
    assert not drawer._may_keep("self.html", f)
    assert drawer._may_keep("fine.html", f)
    assert not drawer._may_keep("fine.html", frozenset())


def _counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, what: Any) -> list[Any]:
    """``what`` each call of ``module.name`` was given, from now on."""
    seen: list[Any] = []
    original = getattr(module, name)

    def counting(*args: Any) -> Any:
        seen.append(what(*args))
        return original(*args)

    monkeypatch.setattr(module, name, counting)
    return seen


def _count_parts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the kept parts drawn (not taken from the last build)."""
    from kith.pages import fragments

    return _counted(monkeypatch, fragments, "render", lambda template, _: template.name)


def test_a_tier_edit_draws_again_only_the_parts_showing_that_person(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, in_root: None
) -> None:
    people = _people(24)
    root = project(people)
    server = Server(root)
    drawn = _count_parts(monkeypatch)
    server.rebuild()
    assert drawn == []  # nothing changed: every page is kept whole
    name = "Person 007.md"
    touch(root / "people" / name, people[name].replace("tier: active", "tier: core"))
    site = server.rebuild()
    # Person 007's company section, their follow-up row (Follow-ups and Home), and the
    # list of their industry's people; of 6 companies, 24 rows, 4 industries. The
    # section twice: the carried companies analysis holds their last contact (it does
    # not read tiers), which the first drawing finds stale; it is drawn again once the
    # result has this build's contacts.
    assert sorted(drawn) == [
        "company-section.html",
        "company-section.html",
        "diversity-people.html",
        "follow-up-row.html",
        "follow-up-row.html",
    ]
    assert "(core)" in article(site, "companies/").select_one("#company-co1").get_text()
    _same_as_fresh(_site_files(site), root, "fresh")


_ENTRIES = "{{ CONTACT.entries | length }}"


@pytest.mark.parametrize(
    ("name", "anchor", "contact"),
    [
        ("company-section.html", "{{ contact.name }}</a>", "contact"),
        ("follow-up-row.html", "{{ f.contact.name }}</a>", "f.contact"),
        ("diversity-people.html", "{{ contact.name }}</a>", "contact"),
    ],
)
def test_a_users_part_showing_more_than_its_analysis_reads_follows_an_edit(
    project: ProjectFactory, in_root: None, name: str, anchor: str, contact: str
) -> None:
    """The companies and diversity analyses read front matter, not logs: after a log line
    their last results carry over, holding the last build's contacts, and so do the
    parts drawn from them. A user's part showing a person's log shows this build's."""
    shipped = _shipped(name)
    shown = f'{anchor} <span class="shown">{_ENTRIES.replace("CONTACT", contact)}</span>'
    showing = shipped.replace(anchor, shown, 1)
    assert showing != shipped
    people = _people(12)
    root = project(people, extra_files={f"templates/{name}": showing})
    server = Server(root)
    edited = "Person 003.md"
    touch(root / "people" / edited, people[edited] + "- 2025-10-01 call: again\n")
    site = server.rebuild()
    _same_as_fresh(_site_files(site), root, "fresh")


def test_a_users_part_reading_the_pages_names_is_drawn_with_them(
    project: ProjectFactory, in_root: None
) -> None:
    """A part that reads a name it is not given (the page's title, its data) gets the
    whole page's names, as an include would, and is drawn each time."""
    shipped = _shipped("follow-up-row.html")
    showing = shipped.replace(
        "{{ f.contact.name }}</a>",
        '{{ f.contact.name }}</a> <span class="shown">{{ title }} {{ people_total }}</span>',
        1,
    )
    people = _people(6)
    root = project(people, extra_files={"templates/follow-up-row.html": showing})
    server = Server(root)
    assert {s.get_text() for s in article(root / "site", "follow-ups/").select(".shown")} == {
        "Follow-ups 6"
    }
    touch(root / "people" / "Person 009.md", people["Person 003.md"].replace("003", "009"))
    site = server.rebuild()
    assert {s.get_text() for s in article(site, "follow-ups/").select(".shown")} == {"Follow-ups 7"}
    _same_as_fresh(_site_files(site), root, "fresh")


def test_a_template_a_kept_part_includes_is_followed_when_edited(
    project: ProjectFactory, in_root: None
) -> None:
    shipped = _shipped("company-section.html")
    showing = shipped.replace("</section>", '{% include "company-extra.html" %}</section>', 1)
    root = project(
        _people(8),
        extra_files={
            "templates/company-section.html": showing,
            "templates/company-extra.html": '<p class="shown">{{ company.name }} one</p>',
        },
    )
    server = Server(root)
    touch(root / "templates/company-extra.html", '<p class="shown">{{ company.name }} two</p>')
    site = server.rebuild()
    shown = {s.get_text() for s in article(site, "companies/").select(".shown")}
    assert shown == {f"Co{n} two" for n in range(6)}
    _same_as_fresh(_site_files(site), root, "fresh")


@pytest.mark.fast
def test_a_drawer_is_freed_without_the_cycle_collector(tmp_path: Path) -> None:
    """A build freezes the cycle collector; a drawer left in a cycle would hold the whole
    network through the theme's stages (23 MiB more at 10,000 people)."""
    import gc
    import weakref
    from datetime import date

    from kith.analyses.site import Site
    from kith.core.config import Settings
    from kith.pages.draw import PageDrawer
    from kith.pages.registry import PAGES
    from kith.pages.render import environment
    from kith.reading.load import load

    people = tmp_path / "people"
    people.mkdir()
    for name, text in _people(6).items():
        (people / name).write_text(text, encoding="utf-8")
    enabled = gc.isenabled()
    gc.disable()
    try:
        site = Site(load(people, "people/"), Settings(today=date(2026, 11, 21)))
        for fragments in (None, {}):  # a one-off build, a serve session's
            drawer = PageDrawer(site, environment(None), fragments=fragments)
            urls = {c.src_uri: f"people/{c.slug}/" for c in site.people}
            urls.update({spec.src_uri: spec.src_uri.removesuffix(".md") + "/" for spec in PAGES})
            pages = drawer.generated_pages(urls)
            assert any("kith-company" in block for block in drawer.stash["kith/companies.md"])
            assert pages["kith/companies.md"]
            freed = weakref.ref(drawer)
            del drawer
            assert freed() is None
    finally:
        if enabled:
            gc.enable()


def _count_unpacked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from kith.plugin import page

    return _counted(monkeypatch, page, "unpack", lambda packed, _: len(packed))


def test_a_kept_person_page_stays_packed_through_kiths_page_content(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, in_root: None
) -> None:
    """kith alone reads a page's HTML after rendering: a person page drawn as last time
    is handed through ``on_page_content`` packed (10,000 unpackings a rebuild were
    0.1 s of a save's wait)."""
    people = _people(24)
    root = project(people)
    server = Server(root)
    unpacked = _count_unpacked(monkeypatch)
    edited = "Person 003.md"
    touch(root / "people" / edited, people[edited] + "- 2025-10-01 call: again\n")
    site = server.rebuild()
    # the two people drawn again (the edited one, the one their log line names) and a
    # few generated pages the theme draws again: not the 22 others
    assert len(unpacked) <= 6
    _same_as_fresh(_site_files(site), root, "fresh")


def test_another_plugins_page_content_reads_every_kept_page(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, in_root: None
) -> None:
    """A hook (or another plugin) handling ``on_page_content`` gets each page's HTML."""
    import yaml

    people = _people(6)
    hook = (
        "def on_page_content(html, page, config, files):\n"
        "    return html + '<p class=\"hooked\">' + str(len(html)) + '</p>'\n"
    )
    root = project(people, extra_files={"hooks.py": hook})
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = ["hooks.py"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    server = Server(root)
    unpacked = _count_unpacked(monkeypatch)
    edited = "Person 003.md"
    touch(root / "people" / edited, people[edited] + "- 2025-10-01 call: again\n")
    site = server.rebuild()
    assert len(unpacked) >= len(people) - 2
    for name in people:
        slug = name.removesuffix(".md").lower().replace(" ", "-")
        hooked = article(site, f"people/{slug}/").select(".hooked")
        assert len(hooked) == 1 and int(hooked[0].get_text()) > 100
    _same_as_fresh(_site_files(site), root, "fresh")


def test_a_new_person_draws_again_only_the_parts_showing_them(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, in_root: None
) -> None:
    """Every page address is new for them alone: the parts linking to others are kept."""
    people = _people(24)
    root = project(people)
    server = Server(root)
    drawn = _count_parts(monkeypatch)
    touch(root / "people" / "Zoe New.md", people["Person 007.md"].replace("Person 007", "Zoe New"))
    site = server.rebuild()
    # Their company's section, their industry's people, their row on Follow-ups (and
    # on Home, if among the most late).
    rows = drawn.count("follow-up-row.html")
    assert 1 <= rows <= 2
    assert (
        sorted(drawn)
        == ["company-section.html", "diversity-people.html"] + ["follow-up-row.html"] * rows
    )
    _same_as_fresh(_site_files(site), root, "fresh")


def test_a_kept_row_whose_log_line_links_to_a_newcomer_links_to_them(
    project: ProjectFactory, in_root: None
) -> None:
    """A follow-up row shows its person's last log line, whose ``[[Zed Newman]]`` found
    nobody; the row is drawn again when Zed's file comes (its link now leads to them),
    though nothing else in it changed."""
    people = _people(6)
    people["Person 002.md"] += "- 2025-12-01 call: asked about [[Zed Newman]]\n"
    root = project(people)
    server = Server(root)
    assert "kith-unresolved" in _row(root / "site", "person-002/")
    touch(root / "people" / "Zed Newman.md", "---\ncompany: Co9\n---\n# Zed Newman\n")
    site = server.rebuild()
    assert 'href="../people/zed-newman/"' in _row(site, "person-002/")
    _same_as_fresh(_site_files(site), root, "fresh")


def _row(site: Path, person: str) -> str:
    """The Follow-ups row of the person whose page ends in ``person``."""
    for row in article(site, "follow-ups/").select("tr.kith-follow-up"):
        first = row.select_one("td a")
        if first is not None and str(first.get("href", "")).endswith(person):
            return str(row)
    raise AssertionError(f"no row for {person}")
