"""Serve rebuilds that keep the files of unchanged pages: the site folder after each
rebuild is, byte for byte, what a fresh ``mkdocs build`` writes, and the pages whose
inputs did not change were not rendered or written again."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from .conftest import ProjectFactory
from .test_serve_cache import ANN, BOB, Server, count_person_pages, touch

CAROL = "---\ncompany: Initech\ntier: active\n---\n# Carol Diaz\n\n- 2026-10-01 call: Q4.\n"
DAN = "---\ncompany: Acme\n---\n# Dan Ek\n\nWorks with [[Ann Lee]].\n"
ZOE = "---\ncompany: Brüder Wiśniewski\n---\n# Zoë Krüger\n\nMet at the Łódź meetup.\n"
PEOPLE = {
    "Ann Lee.md": ANN,
    "Bob Stone.md": BOB,
    "Carol Diaz.md": CAROL,
    "Dan Ek.md": DAN,
    "Zoë Krüger.md": ZOE,  # the search index's fields without accents, kept and folded again
}


def _files(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(site)): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in site.rglob("*.html")
    }


def _fresh(root: Path, name: str) -> dict[str, bytes]:
    """A fresh build in a new process (in this one MkDocs hands the serving plugin on)."""
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / name)],
        cwd=root,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return _files(root / name)


def _same_as_fresh(root: Path, site: Path, name: str) -> None:
    served, fresh = _files(site), _fresh(root, name)
    assert served.keys() == fresh.keys(), name
    for path, data in served.items():
        assert data == fresh[path], f"{name}: {path} differs from a fresh build"


def _rewritten(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {path for path, stamp in after.items() if before.get(path) != stamp}


@pytest.fixture
def served(project: ProjectFactory) -> Iterator[tuple[Path, Server]]:
    cwd = os.getcwd()
    root = project(PEOPLE)
    try:
        yield root, Server(root)
    finally:
        os.chdir(cwd)


def _config(root: Path) -> dict[str, object]:
    return dict(yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")))


def _write_config(root: Path, config: dict[str, object]) -> None:
    touch(root / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False))


def test_a_log_line_rewrites_only_the_pages_it_changes(served: tuple[Path, Server]) -> None:
    root, server = served
    site = root / "site"
    before = _stamps(site)
    touch(root / "people" / "Carol Diaz.md", CAROL + "- 2026-11-20 coffee: New plans.\n")
    server.rebuild()
    rewritten = _rewritten(before, _stamps(site))
    assert "people/carol-diaz/index.html" in rewritten
    # Untouched people keep the very files the last build wrote.
    for kept in ("people/bob-stone/index.html", "people/dan-ek/index.html"):
        assert kept not in rewritten
    assert len(rewritten) < len(before) / 2, sorted(rewritten)
    assert "people/zoe-kruger/index.html" not in rewritten
    # A kept page's search entries are in the index, its words without accents too.
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    zoe = next(doc for doc in docs if doc["title"] == "Zoë Krüger")
    assert zoe["title_folded"] == "zoe kruger" and "lodz" in zoe["text_folded"]
    _same_as_fresh(root, site, "fresh-log")


def test_a_page_showing_last_times_drawing_is_not_printed_again(
    served: tuple[Path, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deciding which files stay costs nothing per unchanged person page: one whose
    drawing is the last build's, outside the navigation, keeps its print."""
    import kith.plugin.written

    printed: list[str] = []
    real = kith.plugin.written.page_print

    def counting(page: object, nav: bytes) -> bytes:
        printed.append(page.file.src_uri)  # type: ignore[attr-defined]
        return real(page, nav)  # type: ignore[arg-type]

    monkeypatch.setattr(kith.plugin.written, "page_print", counting)
    root, server = served
    touch(root / "people" / "Carol Diaz.md", CAROL + "- 2026-11-20 coffee: New plans.\n")
    server.rebuild()
    people = {name for name in PEOPLE}
    assert "Carol Diaz.md" in printed
    assert not (people - {"Carol Diaz.md"}) & set(printed), sorted(printed)
    _same_as_fresh(root, root / "site", "fresh-print")


def test_every_kind_of_edit_leaves_the_folder_a_fresh_build_writes(
    served: tuple[Path, Server],
) -> None:
    """Edit after edit in one session: data, a template, the theme's options, the
    navigation, an override of the theme, a deleted and a new person."""
    root, server = served
    site = root / "site"
    config = _config(root)
    theme = dict(config["theme"])  # type: ignore[arg-type]
    steps: list[tuple[str, object]] = [
        ("company", ("people/Dan Ek.md", DAN.replace("Acme", "Globex"))),
        ("tier", ("people/Carol Diaz.md", CAROL.replace("tier: active", "tier: core"))),
        ("card", ("templates/person-card.html", "<p class='mine'>{{ contact.name }}</p>\n")),
        ("palette", {**config, "theme": {**theme, "palette": {"primary": "indigo"}}}),
        ("site name", {**config, "site_name": "Someone else's network"}),
        (
            "override",
            (
                "overrides/main.html",
                '{% extends "base.html" %}\n{% block footer %}mine{% endblock %}\n',
            ),
        ),
        # Dan's link to Ann now could mean two people: his page, drawn as before, shows
        # a problem it did not (and then no longer does).
        ("namesake", ("people/Other/Ann Lee.md", "# Ann Lee\n")),
        ("namesake gone", ("people/Other/Ann Lee.md", None)),
        ("deleted", ("people/Bob Stone.md", None)),
        ("added", ("people/Eve Moss.md", "---\ncompany: Umbrella\n---\n# Eve Moss\n")),
    ]
    for number, (name, change) in enumerate(steps):
        before = _stamps(site)
        if isinstance(change, dict):
            _write_config(root, change)
        else:
            path, text = change  # type: ignore[misc]
            target = root / path
            if text is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                touch(target, text)
            if name == "override":
                _write_config(
                    root, {**_config(root), "theme": {**theme, "custom_dir": "overrides"}}
                )
        server.rebuild()
        after = _stamps(site)
        if name in ("palette", "site name", "override", "card"):  # shown on every page
            people = {p for p in after if p.startswith("people/") and p.count("/") == 2}
            assert people <= _rewritten(before, after), name
        _same_as_fresh(root, site, f"fresh{number}")
    assert not (site / "people" / "bob-stone").exists()


def test_a_failed_build_keeps_nothing_it_may_have_overwritten(served: tuple[Path, Server]) -> None:
    root, server = served
    site = root / "site"
    card = root / "templates" / "person-card.html"
    card.parent.mkdir(exist_ok=True)
    touch(card, "{% if %}broken\n")
    with pytest.raises(Exception):  # noqa: B017 - MkDocs' Abort or the plugin's error
        server.rebuild()
    card.unlink()
    touch(root / "people" / "Ann Lee.md", ANN + "- 2026-11-20 call: After the error.\n")
    server.rebuild()
    assert not (site / ".kith-kept").exists()
    _same_as_fresh(root, site, "fresh-after-failure")


def test_a_plugin_kith_does_not_know_gets_every_page_drawn(served: tuple[Path, Server]) -> None:
    """A hook may change a page as it is written: nothing is kept then."""
    root, server = served
    site = root / "site"
    (root / "hooks.py").write_text(
        "def on_post_page(output, page, config):\n"
        "    return output.replace('</body>', '<!-- hooked -->\\n</body>')\n",
        encoding="utf-8",
    )
    _write_config(root, {**_config(root), "hooks": ["hooks.py"]})
    server.rebuild()
    before = _stamps(site)
    touch(root / "people" / "Carol Diaz.md", CAROL + "- 2026-11-20 coffee: Hooked.\n")
    server.rebuild()
    assert _rewritten(before, _stamps(site)) == set(before)
    assert b"<!-- hooked -->" in (site / "people" / "bob-stone" / "index.html").read_bytes()
    _same_as_fresh(root, site, "fresh-hooked")


def test_a_dirty_serve_keeps_nothing(project: ProjectFactory) -> None:
    from kith.plugin.written import may_keep
    from mkdocs.config import load_config

    root = project(PEOPLE)
    config = load_config(str(root / "mkdocs.yml"))
    assert may_keep(config, dirty=False, encrypted=False)
    assert not may_keep(config, dirty=True, encrypted=False)
    assert not may_keep(config, dirty=False, encrypted=True)


def test_a_new_or_deleted_person_draws_only_the_pages_that_name_them(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dan's notes name Eve before she has a file: her file makes his link lead to her,
    and only his page and hers are drawn; deleting her draws his again, nobody else's."""
    cwd = os.getcwd()
    dan = DAN + "\nMet [[Eve Moss]] at the fair.\n"
    root = project({**PEOPLE, "Dan Ek.md": dan})
    try:
        server = Server(root)
        drawn = count_person_pages(monkeypatch)
        touch(root / "people" / "Eve Moss.md", "---\ncompany: Umbrella\n---\n# Eve Moss\n")
        server.rebuild()
        assert sorted(drawn) == ["Dan Ek", "Eve Moss"]
        assert b'href="../eve-moss/"' in (root / "site/people/dan-ek/index.html").read_bytes()
        _same_as_fresh(root, root / "site", "fresh-added")
        drawn.clear()
        (root / "people" / "Eve Moss.md").unlink()
        server.rebuild()
        assert drawn == ["Dan Ek"]
        assert not (root / "site/people/eve-moss").exists()
        _same_as_fresh(root, root / "site", "fresh-deleted")
        drawn.clear()
        # A new person whom nobody names draws their page alone.
        touch(root / "people" / "Zed Null.md", "---\ncompany: Nowhere\n---\n# Zed Null\n")
        server.rebuild()
        assert drawn == ["Zed Null"]
        _same_as_fresh(root, root / "site", "fresh-alone")
    finally:
        os.chdir(cwd)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Serving:
    """A real ``mkdocs serve`` process on ``root``."""

    def __init__(self, root: Path, port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        self.wait_for(lambda: self.get("") is not None)

    def get(self, path: str) -> str | None:
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=5) as r:
                return str(r.read().decode("utf-8"))
        except OSError:
            return None

    def wait_for(self, done: Callable[[], bool], seconds: float = 90) -> None:
        import time

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if done():
                return
            time.sleep(0.3)
        raise AssertionError("mkdocs serve did not get there in time")

    def stop(self) -> str:
        self.process.terminate()
        _, errors = self.process.communicate(timeout=30)
        return errors.decode("utf-8", "replace")


_LIVERELOAD = re.compile(r"livereload\(\d+, \d+\)")


def test_a_real_mkdocs_serve_shows_an_edit_as_a_fresh_serve_does(project: ProjectFactory) -> None:
    root = project(PEOPLE)
    pages = ["people/carol-diaz/", "people/bob-stone/", "", "follow-ups/"]
    port = _free_port()
    serving = _Serving(root, port)
    try:
        assert "Q4." in (serving.get("people/carol-diaz/") or "")
        touch(root / "people" / "Carol Diaz.md", CAROL + "- 2026-11-20 coffee: Served live.\n")
        serving.wait_for(lambda: "Served live." in (serving.get("people/carol-diaz/") or ""))
        served = {page: _LIVERELOAD.sub("", serving.get(page) or "") for page in pages}
        served["index"] = serving.get("search/search_index.json") or ""
    finally:
        log = serving.stop()
    assert "site_url is set" not in log  # serving is not hosting
    again = _Serving(root, port)  # a new session, at the same address: all drawn afresh
    try:
        for page in pages:
            assert served[page] == _LIVERELOAD.sub("", again.get(page) or ""), page
        assert served["index"] == again.get("search/search_index.json")
    finally:
        again.stop()


def test_a_finished_build_leaves_none_of_its_pages_alive(served: tuple[Path, Server]) -> None:
    """Under serve, MkDocs keeps kith's and the search plugin's instances from one build to
    the next: neither may hold the last build's pages (through its files, its navigation
    or the search index) while the next runs, else a session holds two builds at once."""
    import gc

    from mkdocs.structure.pages import Page

    root, server = served
    touch(root / "people" / "Ann Lee.md", ANN + "\n- 2026-11-02 call: after the demo.\n")
    server.rebuild()
    gc.collect()
    people = str(root / "people")
    alive = [
        page.file.src_uri
        for page in gc.get_objects()
        if isinstance(page, Page) and (page.file.abs_src_path or "").startswith(people)
    ]
    assert alive == []


TOC_ANN = (
    "---\ncompany: Acme\ntier: core\n---\n# Ann Lee\n\n## Projects\n\nWorks on [[Bob Stone]]."
    "\n\n### Sub\n\nMore.\n"
)
TOC_BOB = (
    "---\ncompany: Globex\n---\n# Bob Stone\n\n## Notes\n\nMet [[Ann Lee]].\n\n"
    "- 2026-10-01 call: hi\n"
)
TOC_CAROL = "---\ncompany: Initech\n---\n# Carol Diaz\n\n## Hobbies\n\nChess.\n"
SHOWS_TOC = """{% extends "base.html" %}
{% block footer %}<ul class="toc-shown">{% for item in page.toc %}<li>{{ item.title }}#{{ item.id
}}:{{ item.level }}{% for c in item.children %}[{{ c.title }}]{% endfor %}</li>{% endfor
%}</ul>{{ super() }}{% endblock %}
"""


def test_a_theme_that_shows_person_pages_tables_of_contents(project: ProjectFactory) -> None:
    """A kept person page holds its table of contents packed until something reads it: a
    theme override that shows it on every page still shows each page's own, after each
    kind of edit, as a fresh build does."""
    cwd = os.getcwd()
    root = project({"Ann Lee.md": TOC_ANN, "Bob Stone.md": TOC_BOB, "Carol Diaz.md": TOC_CAROL})
    try:
        (root / "overrides").mkdir()
        (root / "overrides" / "main.html").write_text(SHOWS_TOC, encoding="utf-8")
        config = _config(root)
        theme = dict(config["theme"])  # type: ignore[arg-type]
        _write_config(root, {**config, "theme": {**theme, "custom_dir": "overrides"}})
        server = Server(root)
        site = root / "site"
        _same_as_fresh(root, site, "fresh0")
        steps = [
            ("people/Carol Diaz.md", TOC_CAROL + "\n- 2026-11-01 coffee: chat\n"),
            ("people/Carol Diaz.md", TOC_CAROL.replace("## Hobbies", "## Hobbies\n\n### Club")),
            ("people/Bob Stone.md", TOC_BOB.replace("Globex", "Hooli")),
            ("people/Dan Ek.md", "# Dan Ek\n\n## Intro\n\nMet [[Ann Lee]].\n"),
            ("overrides/main.html", SHOWS_TOC.replace("toc-shown", "toc-listed")),
            ("people/Ann Lee.md", TOC_ANN + "\n- 2026-11-02 call: again\n"),
        ]
        for number, (path, text) in enumerate(steps, 1):
            touch(root / path, text)
            server.rebuild()
            _same_as_fresh(root, site, f"fresh{number}")
            ann = (site / "people" / "ann-lee" / "index.html").read_text(encoding="utf-8")
            assert "[Projects]" in ann, path  # Ann's own headings, kept page or not
    finally:
        os.chdir(cwd)
