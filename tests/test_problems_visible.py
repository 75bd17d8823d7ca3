"""Problems where a person browsing sees them: on the person's page, on a page at the
address of a file that cannot be read (under serve, the open page shows the typo an
editor's autosave made, not a 404), and on a Problems page while there are any — never
naming a file that is, or may be, private, never showing a broken file's raw text."""

from __future__ import annotations

import os
from pathlib import Path

from bs4 import BeautifulSoup

from .conftest import ProjectFactory, article, build, page
from .test_serve_cache import Server, touch

JANE = "---\nname: Jane Doe\ncompany: Acme\n---\n# Jane Doe\n\nJane's notes.\n"
JANE_TYPO = "---\nname: Jane Doe\ncompany: [Acme\n---\n# Jane Doe\n\nJane's notes.\n"
PEOPLE = {
    "Jane Doe.md": JANE_TYPO,
    "Bob Stone.md": "---\nmet: 2026-02-30\n---\n# Bob Stone\n\nKnows [[Nobody Here]].\n",
    "Mara Lopez.md": "---\npublish: false\nmet: 2026-02-31\n---\n# Mara Lopez\n",
    "Noor Ali.md": "---\npublish: false\ncompany: [Secret\n---\n# Noor Ali\n",
    "Omar Haddad.md": "---\nname: Omar Haddad\n---\n# Omar Haddad\n",
}


def _text(soup: BeautifulSoup | None) -> str:
    return " ".join(soup.get_text(" ").split()) if soup is not None else ""


def test_problems_show_on_their_pages_and_the_problems_page(project: ProjectFactory) -> None:
    root = project(PEOPLE)
    site = build(root, strict=False)
    # A file that cannot be read: a page at its address says why; nothing of its text.
    jane = article(site, "people/jane-doe/")
    assert "This file cannot be read as a person" in _text(jane)
    assert "people/Jane Doe.md:4:1" in _text(jane) and "invalid YAML" in _text(jane)
    assert "Jane's notes" not in _text(jane) and "[Acme" not in str(jane)
    # A person with a problem keeps their page, the problems under its title.
    bob = article(site, "people/bob-stone/")
    problems = bob.select_one(".kith-problems") if bob else None
    assert problems is not None
    assert "people/Bob Stone.md:2:6" in _text(problems) and "not a real date" in _text(problems)
    assert "[[Nobody Here]] links to nobody" in _text(problems)
    assert "Knows" in _text(bob)
    # The Problems page lists them, links each file's page, counts the private ones.
    listing = article(site, "problems/")
    assert listing is not None
    assert [a.get_text() for a in listing.select("h2 a")] == [
        "people/Bob Stone.md",
        "people/Jane Doe.md",
    ]
    assert "And 2 problems in files that are, or may be, private" in _text(listing)
    home = page(site, "")
    assert "Problems" in [a.get_text(strip=True) for a in home.select("nav a")]
    assert (
        not (site / "people" / "omar-haddad" / "index.html")
        .read_text(encoding="utf-8")
        .count("kith-problems")
    )
    # Nothing names the private files, not even the broken one.
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Mara" not in text and "Noor" not in text, path
            assert "Secret" not in text, path


def test_no_problems_no_problems_page(project: ProjectFactory) -> None:
    site = build(project({"Omar Haddad.md": PEOPLE["Omar Haddad.md"]}))
    assert not (site / "problems").exists()
    assert "Problems" not in [a.get_text(strip=True) for a in page(site, "").select("nav a")]


def test_under_serve_the_open_page_shows_the_typo_then_the_person_again(
    project: ProjectFactory,
) -> None:
    root = project({"Jane Doe.md": JANE, "Omar Haddad.md": PEOPLE["Omar Haddad.md"]})
    cwd = os.getcwd()
    try:
        server = Server(root)
        jane_page = root / "site" / "people" / "jane-doe" / "index.html"
        assert "Jane's notes" in jane_page.read_text(encoding="utf-8")
        touch(root / "people" / "Jane Doe.md", JANE_TYPO)  # an autosave mid-edit
        site = server.rebuild()
        shown = article(site, "people/jane-doe/")
        assert "invalid YAML" in _text(shown) and "Jane's notes" not in _text(shown)
        assert (site / "problems" / "index.html").exists()
        touch(root / "people" / "Jane Doe.md", JANE)  # saved again, fixed
        site = server.rebuild()
        assert "Jane's notes" in _text(article(site, "people/jane-doe/"))
        assert "kith-problems" not in jane_page.read_text(encoding="utf-8")
        assert not (site / "problems" / "index.html").exists()
    finally:
        os.chdir(cwd)


def test_a_problem_from_another_file_shows_on_a_reused_page(project: ProjectFactory) -> None:
    """Bob's page is reused when his file is unchanged, but deleting the person he links
    gives it a problem: the problem shows."""
    root = project(
        {
            "Bob Stone.md": "---\n---\n# Bob Stone\n\nKnows [[Omar Haddad]].\n",
            "Omar Haddad.md": PEOPLE["Omar Haddad.md"],
        }
    )
    cwd = os.getcwd()
    try:
        server = Server(root)
        assert "kith-problems" not in str(article(root / "site", "people/bob-stone/"))
        Path(root / "people" / "Omar Haddad.md").unlink()
        site = server.rebuild()
        problems = article(site, "people/bob-stone/").select_one(".kith-problems")
        assert problems is not None and "[[Omar Haddad]] links to nobody" in _text(problems)
    finally:
        os.chdir(cwd)
