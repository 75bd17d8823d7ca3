"""Inputs a served page depends on beyond the contact files: each edit, then every file
the served rebuild wrote (HTML, search index, feed) against a fresh build of the same
files.

Regression tests for pages ``mkdocs serve`` once left stale: an embedded photo added or
moved, a Markdown link whose file came or went, a quoted log line whose link now leads
elsewhere, a template included from a list, the link validation settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, ProjectFactory
from .test_serve_cache import Server, touch

PNG = bytes.fromhex(  # a 1×1 image
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4b60000000049454e44ae426082"
)


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.name.endswith(".gz") and ".kith-kept" not in p.parts
    }


def _same_as_fresh(root: Path, site: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "fresh")],
        cwd=root,
        check=True,
        capture_output=True,
    )
    served, fresh = _files(site), _files(root / "fresh")
    assert served.keys() == fresh.keys()
    for name, content in served.items():
        assert content == fresh[name], f"{name} differs from a fresh build"


Edit = Callable[[Path], None]


def _write(path: str, content: str | bytes) -> Edit:
    def edit(root: Path) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            touch(target, content)

    return edit


def _delete(path: str) -> Edit:
    return lambda root: (root / path).unlink()


def _move(path: str, to: str) -> Edit:
    def edit(root: Path) -> None:
        (root / to).parent.mkdir(parents=True, exist_ok=True)
        (root / path).rename(root / to)

    return edit


EMBEDS = "# Ann Lee\n\nSee ![[photo.png]] and [[cv.pdf]], and ![me](me.png).\n"
LINKS = "# Ann Lee\n\nSee [Cy](Cy%20Young.md).\n"
QUOTES = "# Ann Lee\n\n- 2026-11-01 gave: Introduced [[Carol Diaz]] to [[Dan Ek]].\n"
CASES: dict[str, tuple[dict[str, str | bytes], Edit]] = {
    "an embedded photo added": ({"people/Ann Lee.md": EMBEDS}, _write("people/photo.png", PNG)),
    "an embedded photo deleted": (
        {"people/Ann Lee.md": EMBEDS, "people/photo.png": PNG},
        _delete("people/photo.png"),
    ),
    "an embedded photo moved": (
        {"people/Ann Lee.md": EMBEDS, "people/photo.png": PNG},
        _move("people/photo.png", "people/attachments/photo.png"),
    ),
    "a linked file added": ({"people/Ann Lee.md": EMBEDS}, _write("people/cv.pdf", b"%PDF-1.4\n")),
    "a Markdown image added": ({"people/Ann Lee.md": EMBEDS}, _write("people/me.png", PNG)),
    "a Markdown link's person deleted": (
        {"people/Ann Lee.md": LINKS, "people/Cy Young.md": "# Cy Young\n"},
        _delete("people/Cy Young.md"),
    ),
    "a Markdown link's person added": (
        {"people/Ann Lee.md": LINKS},
        _write("people/Cy Young.md", "# Cy Young\n"),
    ),
    # Carol's page quotes Ann's log line under "Mentioned by": its link to Dan changes.
    "a quoted link's person deleted": (
        {
            "people/Ann Lee.md": QUOTES,
            "people/Carol Diaz.md": "# Carol Diaz\n",
            "people/Dan Ek.md": "# Dan Ek\n",
        },
        _delete("people/Dan Ek.md"),
    ),
    "a quoted link's person added": (
        {"people/Ann Lee.md": QUOTES, "people/Carol Diaz.md": "# Carol Diaz\n"},
        _write("people/Dan Ek.md", "# Dan Ek\n"),
    ),
    # Jinja's list include goes around ``get_template``: the file missing then is noted.
    "a template a list include falls back from, made": (
        {
            "people/Ann Lee.md": "# Ann Lee\n",
            "templates/person-after.md": (REPO / "templates" / "person-after.md").read_text(
                encoding="utf-8"
            )
            + '\n{% include ["mine.md", "person-backlinks.md"] %}\n',
        },
        _write("templates/mine.md", "Mine.\n"),
    ),
    "Home's list include falling back, made": (
        {
            "people/Ann Lee.md": "# Ann Lee\n",
            "templates/home.md": (REPO / "templates" / "home.md")
            .read_text(encoding="utf-8")
            .replace(
                '{% include "home-stale.md" %}', '{% include ["my-home.md", "home-stale.md"] %}'
            ),
        },
        _write("templates/my-home.md", "My own Home section.\n"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_edit_beyond_the_contacts_shows_as_a_fresh_build_shows_it(
    project: ProjectFactory, in_root: None, case: str
) -> None:
    files, edit = CASES[case]
    people = {p.removeprefix("people/"): c for p, c in files.items() if p.startswith("people/")}
    contacts = {p: c for p, c in people.items() if p.endswith(".md")}
    others = {p: c for p, c in files.items() if p not in {f"people/{k}" for k in contacts}}
    root = project(contacts, extra_files=others)
    server = Server(root)
    edit(root)
    _same_as_fresh(root, server.rebuild())


def test_link_validation_changed_shows_as_a_fresh_build_shows_it(
    project: ProjectFactory, in_root: None
) -> None:
    """``validation.links.absolute_links: relative_to_docs`` makes MkDocs rewrite a
    link starting with ``/``: part of what shapes a page's HTML, as the Markdown
    extensions are."""
    root = project(
        {
            "Ann Lee.md": "# Ann Lee\n\nSee [Bob](/Bob%20Stone.md).\n",
            "Bob Stone.md": "# Bob Stone\n",
        }
    )
    server = Server(root)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["validation"] = {"links": {"absolute_links": "relative_to_docs"}}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    _same_as_fresh(root, server.rebuild())


def test_a_fetch_deepening_a_shallow_clone_shows_the_history_it_brings(
    tmp_path: Path, in_root: None
) -> None:
    """``git fetch --unshallow`` under serve: HEAD stays, the commits behind it arrive.
    Ann's timeline, the Companies page (her past employers) and Home's stale records are
    a fresh build's."""
    from .conftest import write_project
    from .test_history import commit, git

    ann = "---\ncompany: Acme\ntier: core\n---\n# Ann Lee\n\n- 2026-11-01 coffee: Talked shop.\n"
    origin = write_project(
        tmp_path / "origin", {"Ann Lee.md": ann, "Bob Stone.md": "# Bob Stone\n"}
    )
    git(origin, "init", "-q", "-b", "main")
    (origin / ".gitignore").write_text("site/\nfresh/\n", encoding="utf-8")
    commit(origin, "first", "2026-01-05T10:00:00+00:00")
    for when, company in (("2026-02-05", "Initech"), ("2026-03-05", "Hooli")):
        touch(origin / "people/Ann Lee.md", ann.replace("Acme", company))
        commit(origin, f"Ann moved to {company}", f"{when}T10:00:00+00:00")
    root = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(root))
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_dir"] = str(root / "site")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    server = Server(root)
    git(root, "fetch", "-q", "--unshallow")
    site = server.rebuild()
    assert b"Initech" in (site / "companies" / "index.html").read_bytes()
    _same_as_fresh(root, site)


@pytest.mark.parametrize("when", ["from the start", "made under serve"])
def test_a_readme_is_the_home_page_and_the_dashboard_moves(
    project: ProjectFactory, in_root: None, when: str
) -> None:
    """MkDocs makes the top ``README.md`` the home page when there is no ``index.md``:
    kith's Home becomes the Dashboard beside it, as beside an ``index.md`` (both once
    wrote ``index.html``: a fresh build showed the README, a rebuild kith's Home)."""
    readme = "# Readme\n\nAbout [[Ann Lee]].\n"
    start = {"Ann Lee.md": "# Ann Lee\n"}
    root = project({**start, "README.md": readme} if when == "from the start" else start)
    server = Server(root)
    if when == "from the start":
        touch(root / "people/Ann Lee.md", "# Ann Lee\n\nEdited.\n")
    else:
        touch(root / "people/README.md", readme)
    site = server.rebuild()
    assert b"About" in (site / "index.html").read_bytes()
    assert (site / "dashboard" / "index.html").is_file()
    _same_as_fresh(root, site)


def test_an_edit_keeping_size_and_modification_time_is_read(
    project: ProjectFactory, in_root: None
) -> None:
    """A copy that keeps the modification time (``cp -p``, ``rsync -t``), or two saves of
    one size within a clock tick: the status-change time tells."""
    root = project({"Ann Lee.md": "---\ncompany: Acme\n---\n# Ann Lee\n"})
    path = root / "people/Ann Lee.md"
    stat = path.stat()
    server = Server(root)
    path.write_text("---\ncompany: Acmf\n---\n# Ann Lee\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    site = server.rebuild()
    assert b"Acmf" in (site / "people" / "ann-lee" / "index.html").read_bytes()
    _same_as_fresh(root, site)
