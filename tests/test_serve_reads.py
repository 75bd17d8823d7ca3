"""A rebuild redraws the pages whose inputs changed: what each page read, recorded.

Regression tests for pages ``mkdocs serve`` once left stale: a user's card showing
another person's field, an edited Home partial, a build that failed part-way; and
for the cost of many files changed at once.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import REPO, ProjectFactory, article
from .test_serve_cache import ANN, BOB, Server, _site_files, count_person_pages, touch

CARD = (REPO / "templates" / "person-card.html").read_text(encoding="utf-8")
INTRODUCER_COMPANY = CARD.replace(
    "{% if introducer %}",
    '{% if introducer %}<dt>Their company</dt><dd class="intro-co">{{ introducer.company }}</dd>',
    1,
)


def _fresh(root: Path, name: str) -> dict[str, str]:
    """A fresh ``mkdocs build`` in a new process (in this one, MkDocs would hand the
    serving plugin to the build)."""
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / name)],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return _site_files(root / name)


def _same_as_fresh(served: dict[str, str], root: Path, name: str) -> None:
    fresh = _fresh(root, name)
    assert served.keys() == fresh.keys()
    for page, html in served.items():
        assert html == fresh[page], f"{page} differs from a fresh build"


@pytest.mark.fast
def test_a_drawn_page_records_the_people_and_templates_it_read(tmp_path: Path) -> None:
    from kith.analyses.site import Site
    from kith.core.config import Settings
    from kith.pages.draw import PageDrawer
    from kith.pages.render import environment
    from kith.reading.load import load

    people, templates = tmp_path / "people", tmp_path / "templates"
    people.mkdir()
    templates.mkdir()
    (people / "Ann Lee.md").write_text(ANN, encoding="utf-8")
    (people / "Bob Stone.md").write_text(BOB, encoding="utf-8")
    (templates / "person-card.html").write_text(INTRODUCER_COMPANY, encoding="utf-8")
    site = Site(load(people, "people/"), Settings(today=date(2026, 11, 21)))
    drawer = PageDrawer(site, environment(templates))
    urls = {c.src_uri: f"people/{c.slug}/" for c in site.people}
    bob = site.by_src_uri["Bob Stone.md"]
    drawer.person_page(bob, urls)
    assert any('class="intro-co">Acme<' in block for block in drawer.stash["Bob Stone.md"])
    # Bob's card showed Ann's company: an edit of Ann's file redraws Bob's page.
    assert drawer.person_reads["Bob Stone.md"] == {"Ann Lee.md"}
    names = set(drawer.person_templates)
    assert {"person-card.html", "person-after.md"} <= names
    assert drawer.person_templates["person-card.html"][0] == str(templates / "person-card.html")
    # Every partial the page included is among them, with the file it came from.
    assert all(version[0] for version in drawer.person_templates.values())


def test_a_card_showing_the_introducers_company_follows_an_edit_of_it(
    project: ProjectFactory, in_root: None
) -> None:
    root = project(
        {"Ann Lee.md": ANN, "Bob Stone.md": BOB},
        extra_files={"templates/person-card.html": INTRODUCER_COMPANY},
    )
    server = Server(root)
    card = article(root / "site", "people/bob-stone/").select_one(".intro-co")
    assert card is not None and card.get_text() == "Acme"
    touch(root / "people/Ann Lee.md", ANN.replace("Acme", "Initech"))
    site = server.rebuild()
    card = article(site, "people/bob-stone/").select_one(".intro-co")
    assert card is not None and card.get_text() == "Initech"
    _same_as_fresh(_site_files(site), root, "fresh")


def test_an_edited_home_partial_shows_on_home_at_once(
    project: ProjectFactory, in_root: None
) -> None:
    partial = (REPO / "templates" / "home-favors.md").read_text(encoding="utf-8")
    root = project(
        {"Ann Lee.md": ANN, "Bob Stone.md": BOB},
        extra_files={"templates/home-favors.md": partial},
    )
    server = Server(root)
    touch(root / "templates/home-favors.md", partial + "\nPartial edited under serve.\n")
    site = server.rebuild()
    assert "Partial edited under serve." in article(site, "").get_text()
    # A partial kith ships, shadowed by a new file of the user's, counts as an edit too.
    touch(root / "templates/home-stale.md", "Stale records are my own.\n")
    site = server.rebuild()
    assert "Stale records are my own." in article(site, "").get_text()
    _same_as_fresh(_site_files(site), root, "fresh")


HOOK = """
from pathlib import Path


def on_page_markdown(markdown, page, config, files):
    if Path(config.config_file_path).with_name("fail").exists():
        raise RuntimeError("the build stops here")
    return markdown
"""


def test_a_build_that_fails_part_way_leaves_nothing_stale(
    project: ProjectFactory, in_root: None
) -> None:
    """A save edits a person, and the build stops part-way (here, another part of the
    site fails). Once that is fixed, the person's page shows the edit."""
    root = project({"Ann Lee.md": ANN, "Bob Stone.md": BOB}, extra_files={"hook.py": HOOK})
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = ["hook.py"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    server = Server(root)
    touch(root / "people/Ann Lee.md", ANN + "- 2026-11-20 call: the edit that must show\n")
    (root / "fail").write_text("", encoding="utf-8")
    with pytest.raises(Exception, match="the build stops here"):
        server.rebuild()
    (root / "fail").unlink()
    site = server.rebuild()
    assert "the edit that must show" in article(site, "people/ann-lee/").get_text()
    _same_as_fresh(_site_files(site), root, "fresh")


def _people(count: int) -> dict[str, str]:
    return {
        f"Person {n:03}.md": (
            f"---\ncompany: Co{n % 7}\nindustry: I{n % 5}\n---\n# Person {n:03}\n\n"
            f"## Log\n\n- 2026-0{1 + n % 9}-1{n % 10} call: with [[Person {(n + 1) % count:03}]]\n"
        )
        for n in range(count)
    }


@pytest.mark.parametrize("changed", [1, 40])
def test_many_files_changed_at_once_start_afresh_instead_of_mending(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, in_root: None, changed: int
) -> None:
    """A checkout or a sync changes many files: past a share, the analyses are worked
    out afresh (mending costs per changed file); either way, the pages are right."""
    import kith.pages.followup_pages

    mended: list[int] = []
    real = kith.pages.followup_pages.patch_index

    def counting(*args: Any, **kwargs: Any) -> Any:
        mended.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(kith.pages.followup_pages, "patch_index", counting)
    people = _people(50)
    root = project(people)
    server = Server(root)
    for name in sorted(people)[:changed]:
        touch(root / "people" / name, people[name] + "- 2026-11-20 coffee: synced\n")
    site = server.rebuild()
    assert bool(mended) == (changed == 1)
    _same_as_fresh(_site_files(site), root, "fresh")


def test_touching_every_file_redraws_nothing(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, in_root: None
) -> None:
    """Files touched but not changed (a checkout of the same content) are the same
    contacts: no person page is drawn again."""
    drawn = count_person_pages(monkeypatch)
    people = _people(30)
    root = project(people)
    server = Server(root)
    first = _site_files(root / "site")
    drawn.clear()
    for name in people:
        touch(root / "people" / name, people[name])
    site = server.rebuild()
    assert drawn == []
    assert _site_files(site) == first


_COMPANIES = (REPO / "templates" / "companies.md").read_text(encoding="utf-8")


def _companies_showing(expression: str) -> str:
    """The shipped companies page, with a paragraph per person at a company showing
    ``expression`` of ``contact``: a field the companies analysis does not read."""
    shown = (
        "{% for company in companies %}{% for contact in company.current %}"
        f'<p class="shown">{{{{ contact.name }}}}: {{{{ {expression} }}}}</p>'
        "{% endfor %}{% endfor %}\n\n## Companies"
    )
    return _COMPANIES.replace("## Companies", shown, 1)


def _shown(site: Path, address: str) -> list[str]:
    return [p.get_text() for p in article(site, address).select(".shown")]


@pytest.mark.parametrize(
    "expression",
    [
        "contact.entries | length",  # a field, as ``a.b``
        '(contact | attr("entries")) | length',  # the filter that bypasses the environment
        '[contact] | map(attribute="body") | first | length',  # a filter's ``attribute=``
        "(contact | string) | length",  # the contact whole, as text
    ],
)
def test_a_page_showing_a_field_its_analysis_does_not_read_follows_an_edit_of_it(
    project: ProjectFactory, in_root: None, expression: str
) -> None:
    """The companies analysis reads people's front matter; a rebuild after a log line
    carries its last result over, which holds the last build's contacts. A user's
    template showing their log from it shows this build's log all the same."""
    root = project(
        {"Ann Lee.md": ANN, "Bob Stone.md": BOB},
        extra_files={"templates/companies.md": _companies_showing(expression)},
    )
    server = Server(root)
    before = _shown(root / "site", "companies/")
    touch(root / "people/Ann Lee.md", ANN + "- 2026-11-02 call: Again.\n")
    site = server.rebuild()
    after = _shown(site, "companies/")
    assert before[0] != after[0] and before[1:] == after[1:]
    _same_as_fresh(_site_files(site), root, "fresh")


def test_many_files_changed_with_a_page_showing_their_log(
    project: ProjectFactory, in_root: None
) -> None:
    """Too many changed files to mend: which contacts changed is not worked out, and a
    page that shows more of them than its analysis reads is drawn again."""
    people = {**_people(40), "Ann Lee.md": ANN}
    root = project(people, extra_files={"templates/companies.md": _companies_showing(
        "contact.entries | length"
    )})  # fmt: skip
    server = Server(root)
    for name in sorted(people):
        touch(root / "people" / name, people[name] + "- 2026-11-20 coffee: synced\n")
    site = server.rebuild()
    _same_as_fresh(_site_files(site), root, "fresh")


def test_a_template_edited_to_show_more_of_a_carried_result_shows_this_builds(
    project: ProjectFactory, in_root: None
) -> None:
    """One save changes a template and a person's log at once (a checkout): the page is
    drawn again because its template changed, from the introductions analysis carried
    over, whose contacts are the last build's; the log it now shows is this build's."""
    shipped = (REPO / "templates" / "introductions.md").read_text(encoding="utf-8")
    root = project(
        {"Ann Lee.md": ANN, "Bob Stone.md": BOB},
        extra_files={"templates/introductions.md": shipped},
    )
    server = Server(root)
    count = '<span class="shown">{{ node.contact.entries | length }}</span>'
    showing = shipped.replace(
        "{{ node.contact.name }}</a>", "{{ node.contact.name }}</a> " + count, 1
    )
    assert showing != shipped
    touch(root / "templates/introductions.md", showing)
    touch(root / "people/Ann Lee.md", ANN + "- 2026-11-02 call: Again.\n")
    site = server.rebuild()
    assert "2" in _shown(site, "introductions/")
    _same_as_fresh(_site_files(site), root, "fresh")


@pytest.mark.fast
def test_a_contact_as_text_reads_as_before() -> None:
    """``Contact`` writes its own text (to note a contact shown whole): as a dataclass's."""
    from dataclasses import fields

    from kith.core.model import Contact

    contact = Contact("a.md", "people/a.md", "A", company="Acme", tags=("x",))
    shown = ", ".join(f"{f.name}={getattr(contact, f.name)!r}" for f in fields(Contact))
    assert repr(contact) == str(contact) == f"Contact({shown})"


def test_a_mended_analysis_showing_a_changed_persons_log_shows_this_builds(
    project: ProjectFactory, in_root: None
) -> None:
    """The interaction index is mended for the changed files: Bob's coffee with Ann
    stays as the last build found it, holding the last build's Ann. Home's recent
    interactions, in a user's template showing how many log lines each person has,
    show Ann's count after her edit."""
    shipped = (REPO / "templates" / "home-follow-ups.md").read_text(encoding="utf-8")
    count = '<span class="shown">{{ person.entries | length }}</span>'
    showing = shipped.replace("{{ person.name }}</a>", "{{ person.name }}</a> " + count, 1)
    assert showing != shipped
    bob = BOB + "\n- 2026-11-15 coffee: With [[Ann Lee]].\n"
    root = project(
        {"Ann Lee.md": ANN, "Bob Stone.md": bob},
        extra_files={"templates/home-follow-ups.md": showing},
    )
    server = Server(root)
    before = _shown(root / "site", "")
    touch(root / "people/Ann Lee.md", ANN + "- 2026-01-05 call: Long ago.\n")
    site = server.rebuild()
    assert _shown(site, "") != before
    _same_as_fresh(_site_files(site), root, "fresh")


def test_a_link_on_a_generated_page_follows_a_new_alias(
    project: ProjectFactory, in_root: None
) -> None:
    """Ann's favor names ``[[Bobby]]``, whom nobody is called yet. Bob takes the alias:
    the favors ledger's data is as before (Bob has no favor), but the link in its text
    now leads to him."""
    ann = ANN + "- 2026-11-02 gave: Introduced her to [[Bobby]].\n"
    bob = "---\ncompany: Globex\n---\n# Bob Stone\n"
    root = project({"Ann Lee.md": ann, "Bob Stone.md": bob, "Cy Dee.md": "# Cy Dee\n"})
    server = Server(root)
    assert article(root / "site", "favors/").select_one('a[href$="bob-stone/"]') is None
    touch(root / "people/Bob Stone.md", bob.replace("---\n", "---\naliases: [Bobby]\n", 1))
    site = server.rebuild()
    assert article(site, "favors/").select_one('a[href$="bob-stone/"]') is not None
    _same_as_fresh(_site_files(site), root, "fresh")
