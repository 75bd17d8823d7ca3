"""``kith render``: the wiki as plain Markdown, built by engines that run no kith plugin.

The demo is rendered and built by Zensical, and every page must be the plugin's page
(same pages, same text, the card, the tables, the charts, the graph); ProperDocs must
build the demo with the plugin under ``--strict``; ``--watch`` must rewrite only what an
edit changes; the rendered folder must keep what the plugin keeps private.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner
from kith.cli import main
from kith.render.tree import Renderer

from .conftest import DEMO_TODAY, REPO, write_project

TODAY = date.fromisoformat(DEMO_TODAY)
BIN = Path(sys.executable).parent


def _engine(name: str) -> Path:
    path = BIN / name
    if not path.exists():  # pragma: no cover - the test extra installs both
        pytest.skip(f"{name} is not installed (pip install -e '.[test]' installs it)")
    return path


def _demo(root: Path) -> Path:
    """The demo network in ``root`` with the repository's options and a fixed today."""
    shutil.copytree(REPO / "people", root / "people")
    shutil.copytree(REPO / "journal", root / "journal")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p["kith"] for p in config["plugins"] if isinstance(p, dict) and "kith" in p)
    return write_project(root, {}, options)


def _zensical(folder: Path) -> Path:
    run = subprocess.run(
        [str(_engine("zensical")), "build", "-f", str(folder / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No issues found" in run.stdout + run.stderr
    return folder / "site"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo rendered by ``kith render`` and built by Zensical."""
    root = _demo(tmp_path_factory.mktemp("render"))
    Renderer(root, root / "rendered").render(TODAY)
    return _zensical(root / "rendered")


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


def _article(path: Path) -> BeautifulSoup:
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("article")
    assert article is not None, path
    for permalink in article.select("a.headerlink"):
        permalink.decompose()
    return article


def _words(article: BeautifulSoup) -> str:
    return " ".join(article.get_text(" ").split())


def test_zensical_builds_every_page_the_plugin_builds_with_the_same_text(
    zensical_site: Path, demo_site: Path
) -> None:
    plugin_pages = _pages(demo_site)
    assert _pages(zensical_site) == plugin_pages
    assert len(plugin_pages) > 40
    for page in sorted(plugin_pages):
        plugin, rendered = _article(demo_site / page), _article(zensical_site / page)
        assert _words(rendered) == _words(plugin), page
        # The same links, in the same order: wikilinks resolved, tables' people linked.
        links = [a["href"] for a in rendered.find_all("a", href=True)]
        assert links == [a["href"] for a in plugin.find_all("a", href=True)], page


def test_zensical_pages_hold_kiths_cards_tables_charts_and_graph(zensical_site: Path) -> None:
    person = zensical_site / "people" / "aisha-rahman" / "index.html"
    article = _article(person)
    assert article.select_one(".kith-card dl"), "the header card"
    headings = [h.get_text(" ", strip=True) for h in article.find_all(["h1", "h2"])]
    assert headings[0] == "Aisha Rahman"
    assert "Log" in headings and "Mentioned by" in headings
    assert article.select(".kith-timeline-item"), "the log"
    assert article.select("a.kith-wikilink"), "wikilinks resolved to links"
    assert "[[" not in _words(article)
    html = person.read_text(encoding="utf-8")
    assert 'content="noindex, nofollow"' in html
    assert "assets/kith.css" in html
    for page in ("people", "follow-ups", "favors", "diversity"):
        assert _article(zensical_site / page / "index.html").find("table"), page
    assert _article(zensical_site / "diversity" / "index.html").select(".kith-chart, svg")
    graph = _article(zensical_site / "graph" / "index.html")
    assert graph.select("svg circle") and graph.select("svg line, svg path")
    home = _article(zensical_site / "index.html")
    assert home.find("h1").get_text(strip=True) == "Home"
    assert (zensical_site / "follow-ups.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert "Disallow: /" in (zensical_site / "robots.txt").read_text()
    nav = BeautifulSoup((zensical_site / "index.html").read_text(), "html.parser")
    assert {"Follow-ups", "Favors", "Diversity"} <= {
        a.get_text(" ", strip=True) for a in nav.select("nav a")
    }
    assert "Network" in nav.get_text()


def test_properdocs_builds_the_demo_with_the_plugin_strict(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    run = subprocess.run(
        [str(_engine("properdocs")), "build", "--strict", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert run.returncode == 0, run.stderr
    site = root / "site"
    jane = _article(site / "people" / "aisha-rahman" / "index.html")
    assert jane.select_one(".kith-card") and jane.select(".kith-timeline-item")
    assert (site / "follow-ups.ics").exists() and (site / "graph" / "index.html").exists()


def test_a_watch_pass_rewrites_only_what_an_edit_changes(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    renderer = Renderer(root, tmp_path / "out")
    first = renderer.render(TODAY)
    assert len(first.written) > 40 and not first.removed
    assert renderer.render(TODAY).written == (), "nothing changed: nothing written"
    jane = root / "people" / "Aisha Rahman.md"
    text = jane.read_text(encoding="utf-8")
    jane.write_text(text.replace("\n## Log", "\nLikes sourdough.\n\n## Log", 1), "utf-8")
    edited = renderer.render(TODAY)
    assert edited.written == ("docs/people/aisha-rahman/index.md",)
    assert "Likes sourdough." in (tmp_path / "out" / edited.written[0]).read_text()
    (root / "people" / "Aisha Rahman.md").unlink()
    removed = renderer.render(TODAY)
    assert removed.removed == ("docs/people/aisha-rahman/index.md",)
    assert not (tmp_path / "out" / "docs" / "people" / "aisha-rahman").exists() or not any(
        (tmp_path / "out" / "docs" / "people" / "aisha-rahman").iterdir()
    )
    assert "docs/people/index.md" in removed.written, "the People page lists her no more"


def test_render_watch_keeps_the_folder_in_step(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    out = tmp_path / "out"
    page = out / "docs" / "people" / "aisha-rahman" / "index.md"
    watcher = subprocess.Popen(
        [str(BIN / "kith"), "--project", str(root), "render", "--watch", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: page.exists())
        jane = root / "people" / "Aisha Rahman.md"
        text = jane.read_text(encoding="utf-8")
        jane.write_text(text.replace("\n## Log", "\nPlays the cello.\n\n## Log", 1), "utf-8")
        _wait_for(lambda: "Plays the cello." in page.read_text(encoding="utf-8"))
    finally:
        watcher.terminate()
        watcher.communicate(timeout=30)


def _wait_for(condition: object, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    raise AssertionError("the watched folder did not follow the edit")


def test_render_keeps_private_people_and_pasted_code_out(tmp_path: Path) -> None:
    people = {
        "Ana Lima.md": (
            "---\ncompany: Acme\n---\n# Ana Lima\n\n"
            "Knows [[Quiet Quentin]].\n\n"
            '<script>alert("pasted")</script><img src="x.png" onerror="alert(2)">\n\n'
            "[click](javascript:alert(3))\n\n"
            "## \\[trap\\](javascript:alert(4)) *not* `code`\n"
        ),
        "Quiet Quentin.md": (
            "---\npublish: false\ncompany: Hushhush GmbH\nemail: quentin@hush.example\n---\n"
            "# Quiet Quentin\n\nSecretword zebra.\n"
        ),
    }
    root = write_project(tmp_path / "project", people)
    out = tmp_path / "out"
    Renderer(root, out).render(TODAY)
    site = _zensical(out)
    for folder in (out / "docs", site):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for secret in (b"Hushhush", b"quentin@hush", b"Secretword", b"quiet-quentin"):
                    assert secret not in data, (path, secret)
                if path.suffix in (".md", ".html"):
                    assert b"javascript:" not in data and b"onerror" not in data, path
                    assert b'alert("pasted")' not in data, path
    ana = _article(site / "people" / "ana-lima" / "index.html")
    heading = ana.find("h2")
    assert heading is not None and heading.find("a") is None, "a heading's text stays text"
    assert "[trap](javascript:alert(4))" in heading.get_text()
    assert heading.find("em") and heading.find("code")


def test_render_refuses_an_encrypted_site_in_one_line(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", {"Ana.md": "# Ana\n"}, {"encrypt": True})
    result = CliRunner().invoke(
        main, ["--project", str(root), "render", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "encrypt" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists(), "no plaintext written"


def test_render_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", {"Ana.md": "# Ana\n"})
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine")
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(root), "render", "--out", str(theirs)])
    assert result.exit_code == 1 and "not empty" in result.output
    assert sorted(p.name for p in theirs.iterdir()) == ["notes.txt"]
    inside = runner.invoke(main, ["--project", str(root), "render", "--out", str(root)])
    assert inside.exit_code == 1 and "project's own files" in inside.output


def test_a_broken_mkdocs_yml_is_named_with_its_line(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", {"Ana.md": "# Ana\n"})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "nav: [unclosed\n")
    result = CliRunner().invoke(
        main, ["--project", str(root), "render", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    lines = config.read_text().count("\n")
    assert f"mkdocs.yml:{lines + 1}:" in result.output or f"mkdocs.yml:{lines}:" in result.output
    assert "fix the YAML" in result.output


def test_mkdocs_without_kith_builds_the_rendered_folder_strict(tmp_path: Path) -> None:
    root = _demo(tmp_path / "project")
    out = tmp_path / "out"
    Renderer(root, out).render(TODAY)
    assert "kith" not in yaml.safe_load((out / "mkdocs.yml").read_text())["plugins"]
    run = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-f", str(out / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert run.returncode == 0, run.stderr
    card = _article(out / "site" / "people" / "aisha-rahman" / "index.html")
    assert card.select_one(".kith-card") and card.select(".kith-timeline-item")
