"""Rebuilds as ``mkdocs serve`` does them: the caches never show stale pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ProjectFactory, article

ANN = "---\ncompany: Acme\ntier: core\n---\n# Ann Lee\n\n- 2026-11-01 coffee: Talked shop.\n"
BOB = '---\ncompany: Globex\nintroduced_by: "[[Ann Lee]]"\n---\n# Bob Stone\n'


class Server:
    """One MkDocs process serving ``root``: plugin instances live across rebuilds."""

    def __init__(self, root: Path) -> None:
        from mkdocs.config import load_config

        self.root = root
        os.chdir(root)
        config = load_config(str(root / "mkdocs.yml"))
        config.plugins.on_startup(command="serve", dirty=False)
        self.rebuild()

    def rebuild(self) -> Path:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        build(load_config(str(self.root / "mkdocs.yml")))
        return self.root / "site"


def count_person_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the person pages drawn from now on, in order."""
    import kith.pages.draw

    drawn: list[str] = []
    real = kith.pages.draw.person_markdown

    def counting(contact: Any, *args: Any) -> str:
        drawn.append(contact.name)
        return real(contact, *args)

    monkeypatch.setattr(kith.pages.draw, "person_markdown", counting)
    return drawn


def touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()  # a new mtime even within the file system's time resolution
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_edits_additions_deletions_and_renames_show_at_once(
    project: ProjectFactory, tmp_path: Path
) -> None:
    cwd = os.getcwd()
    try:
        root = project({"Ann Lee.md": ANN, "Bob Stone.md": BOB})
        server = Server(root)
        people = root / "people"
        touch(people / "Ann Lee.md", ANN.replace("Acme", "Initech"))
        site = server.rebuild()
        assert "Initech" in article(site, "people/ann-lee/").select_one(".kith-card").get_text()
        assert "Initech" in article(site, "people/").get_text()  # a generated page too
        assert "Initech" in article(site, "companies/").get_text()
        # Bob's page did not change, but what it shows of Ann's did: his card links her.
        assert "Ann Lee" in article(site, "people/bob-stone/").get_text()

        touch(people / "Cy Young.md", "---\ncompany: Hooli\n---\n# Cy Young\n")
        site = server.rebuild()
        assert (site / "people/cy-young/index.html").exists()

        (people / "Bob Stone.md").rename(people / "Robert Stone.md")
        site = server.rebuild()
        assert (site / "people/robert-stone/index.html").exists()
        assert not (site / "people/bob-stone/index.html").exists()
        ann = article(site, "people/ann-lee/")
        # The name comes from the heading; the address from the new file name.
        assert [a["href"] for a in ann.select(".kith-card a")] == ["../robert-stone/"]

        (people / "Cy Young.md").unlink()
        site = server.rebuild()
        assert not (site / "people/cy-young/index.html").exists()
        assert "Cy Young" not in article(site, "people/").get_text()
    finally:
        os.chdir(cwd)


def test_a_changed_option_is_seen_by_the_next_rebuild(project: ProjectFactory) -> None:
    cwd = os.getcwd()
    try:
        root = project({"Ann Lee.md": ANN.replace("tier: core", "tier: mentor")})
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
        config["plugins"][1]["kith"]["tiers"] = {"mentor": "6w"}
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        server = Server(root)
        card = article(root / "site", "people/ann-lee/").select_one(".kith-card").get_text()
        assert "every 6 weeks" in card
        config["plugins"][1]["kith"]["tiers"] = {"mentor": "2w"}
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        site = server.rebuild()
        card = article(site, "people/ann-lee/").select_one(".kith-card").get_text()
        assert "every 2 weeks" in card
    finally:
        os.chdir(cwd)


def test_an_edited_template_is_seen_by_the_next_rebuild(project: ProjectFactory) -> None:
    cwd = os.getcwd()
    try:
        root = project({"Ann Lee.md": ANN})
        templates = root / "templates"
        templates.mkdir()
        original = (Path(__file__).parents[1] / "templates/person-card.html").read_text()
        touch(templates / "person-card.html", original)
        server = Server(root)
        touch(templates / "person-card.html", original.replace("Work", "Job"))
        site = server.rebuild()
        assert "Job" in article(site, "people/ann-lee/").select_one(".kith-card").get_text()
    finally:
        os.chdir(cwd)


def test_a_rebuild_draws_again_only_the_pages_whose_data_changed(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = count_person_pages(monkeypatch)
    cwd = os.getcwd()
    try:
        cy = "---\ncompany: Hooli\n---\n# Cy Young\n"
        root = project({"Ann Lee.md": ANN, "Bob Stone.md": BOB, "Cy Young.md": cy})
        server = Server(root)
        assert sorted(drawn) == ["Ann Lee", "Bob Stone", "Cy Young"]
        drawn.clear()
        touch(root / "people/Bob Stone.md", BOB.replace("Globex", "Initech"))
        server.rebuild()
        # Bob changed, and Ann's card lists whom she introduced (Bob): both are drawn again.
        assert sorted(drawn) == ["Ann Lee", "Bob Stone"]
    finally:
        os.chdir(cwd)


def _site_files(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


CAROL = (
    "---\ncompany: Initech\nindustry: Finance\ntier: active\nmet: 2024-01-01\n---\n# Carol Diaz\n\n"
    "Works with [[Ann Lee]].\n\n## Log\n\n- 2026-10-01 call: about [[Bob Stone]]\n"
)
DAN = "---\ncompany: Hooli\nindustry: Software\n---\n# Dan Ek\n\nKnows *everyone*.\n"
EVE = "---\npublish: false\n---\n# Eve Hidden\n\nPrivate.\n"
EDITS: list[tuple[str, str, str]] = [
    ("a log line", "Dan Ek.md", DAN + "\n## Log\n\n- 2026-11-20 call: edited during serve\n"),
    ("a log line naming someone", "Dan Ek.md", DAN + "\n- 2026-11-19 gave: intro to [[Ann Lee]]\n"),
    ("a link removed", "Carol Diaz.md", CAROL.replace("Works with [[Ann Lee]].", "Works alone.")),
    ("the industry", "Carol Diaz.md", CAROL.replace("Finance", "Healthcare")),
    ("the tier", "Ann Lee.md", ANN.replace("tier: core", "tier: prospect")),
    ("the introducer", "Bob Stone.md", BOB.replace("[[Ann Lee]]", "[[Carol Diaz]]")),
    ("the name", "Carol Diaz.md", CAROL.replace("# Carol Diaz", "# Carol Díaz-Ruiz")),
    ("an alias", "Dan Ek.md", DAN.replace("industry:", "aliases: [Danny]\nindustry:")),
    ("the company", "Carol Diaz.md", CAROL.replace("Initech", "Globex")),
    ("where they are", "Dan Ek.md", DAN.replace("industry:", "location: Oslo\nindustry:")),
    ("how you met", "Dan Ek.md", DAN.replace("industry:", "how_met: conference\nindustry:")),
    ("a reason to meet", "Ann Lee.md", ANN.replace("core", "prospect\nreason_to_meet: X")),
    ("worked together", "Bob Stone.md", BOB.replace("company:", "worked_with: true\ncompany:")),
    ("a link added", "Dan Ek.md", DAN.replace("everyone", "[[Bob Stone]]")),
    ("a private name", "eve.md", EVE.replace("# Eve Hidden", "# Eve Gone")),
    ("made private", "Dan Ek.md", DAN.replace("industry:", "publish: false\nindustry:")),
]


@pytest.mark.parametrize(("what", "name", "text"), EDITS, ids=[e[0] for e in EDITS])
def test_a_rebuild_after_an_edit_equals_a_fresh_build(
    project: ProjectFactory, tmp_path: Path, what: str, name: str, text: str
) -> None:
    """Pages reused from the last build (person pages whose data did not change) are
    exactly what a fresh build of the edited files draws."""
    cwd = os.getcwd()
    try:
        files = {
            "Ann Lee.md": ANN.replace("Talked shop.", "Talked shop with [[Eve Hidden]]."),
            "Bob Stone.md": BOB,
            "Carol Diaz.md": CAROL,
            "Dan Ek.md": DAN,
            "eve.md": EVE,
        }
        root = project(files)
        server = Server(root)
        touch(root / "people" / name, text)
        served = _site_files(server.rebuild())
    finally:
        os.chdir(cwd)
    # A new process: in this one MkDocs hands the serving plugin to any later build.
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "fresh")],
        cwd=root,
        check=True,
        capture_output=True,
    )
    fresh = _site_files(root / "fresh")
    assert served.keys() == fresh.keys()
    for page, html in served.items():
        assert html == fresh[page], f"{what}: {page} differs"


def test_rebuild_after_rebuild_mends_on_what_the_last_one_mended(project: ProjectFactory) -> None:
    """One serve session, edit after edit: each rebuild mends the analyses the one
    before mended (favors given and settled, promises, links, a journal note in
    between, which reads everything again), and each equals a fresh build."""
    cwd = os.getcwd()
    try:
        files = {"Ann Lee.md": ANN, "Bob Stone.md": BOB, "Carol Diaz.md": CAROL, "Dan Ek.md": DAN}
        root = project(files)
        journal = root / "journal"
        journal.mkdir()
        server = Server(root)
        steps = [
            ("people/Dan Ek.md", DAN + "\n## Log\n\n- 2026-11-19 gave: intro to [[Ann Lee]]\n"),
            ("people/Ann Lee.md", ANN + "- [ ] 2026-11-18 received: a book from [[Dan Ek]]\n"),
            (
                "people/Dan Ek.md",
                DAN + "\n## Log\n\n- 2026-11-19 received: intro to [[Bob Stone]]\n",
            ),
            ("journal/2026-11-17.md", "# Lunch\n\nWith [[Carol Diaz]] and [[Dan Ek]].\n"),
            ("people/Ann Lee.md", ANN + "- 2026-11-18 received: a book from [[Dan Ek]]\n"),
            ("people/Carol Diaz.md", CAROL.replace("- 2026-10-01", "- 2026-11-21")),
            ("people/Bob Stone.md", BOB + "\n## Log\n\n- 2026-06-01 gave: feedback\n"),
        ]
        for number, (name, text) in enumerate(steps):
            touch(root / name, text)
            served = _site_files(server.rebuild())
            fresh_dir = root / f"fresh{number}"
            subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(fresh_dir)],
                cwd=root,
                check=True,
                capture_output=True,
            )
            fresh = _site_files(fresh_dir)
            assert served.keys() == fresh.keys(), name
            for page, html in served.items():
                assert html == fresh[page], f"step {number} ({name}): {page} differs"
    finally:
        os.chdir(cwd)
