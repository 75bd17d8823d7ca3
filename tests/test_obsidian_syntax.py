"""Obsidian's syntax as Obsidian users write it, built by MkDocs: what Obsidian shows is
what the site shows, whatever ``markdown_extensions`` say, and every link, anchor and
problem points where it should."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from kith.cli import main
from kith.core.grammar import code_free_lines, strip_comments
from mkdocs.exceptions import Abort

from .conftest import ProjectFactory, article, build, page, write_project

BOB = "---\ntier: core\n---\n# Bob Smith\n\nMet at a meetup. ^met\n\n## Work\n\nAcme.\n"


def _minimal(root: Path) -> Path:
    """The project's mkdocs.yml without any ``markdown_extensions``."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("markdown_extensions", None)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def _kith_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.kith"]


def _site_text(site: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file()
    )


def test_an_aliased_link_in_a_table_links_under_its_alias(project: ProjectFactory) -> None:
    """Obsidian writes ``[[Bob Smith\\|Bobby]]`` in a table: the escaped bar is the alias's."""
    jane = "# Jane\n\n| who | why |\n| --- | --- |\n| [[Bob Smith\\|Bobby]] | a friend |\n"
    site = build(project({"Jane.md": jane, "Bob Smith.md": BOB}))  # strict: no warning
    cell = article(site, "people/jane/").select_one("td a.kith-wikilink")
    assert cell is not None
    assert (cell.get_text(), cell["href"]) == ("Bobby", "../bob-smith/")
    assert "klzzwxh" not in _site_text(site)  # no Markdown placeholder anywhere
    backlinks = article(site, "people/bob-smith/").select("ul.kith-backlinks a")
    assert [a.get_text() for a in backlinks] == ["Jane"]


def test_an_escaped_bracket_is_no_link_for_the_page_nor_the_checks(
    project: ProjectFactory,
) -> None:
    site = build(project({"Jane.md": "# Jane\n\nWrite \\[[Nobody]] to link.\n"}))
    assert "[[Nobody]]" in article(site, "people/jane/").get_text()


def test_underscore_files_are_people_nowhere(project: ProjectFactory) -> None:
    """Site and command line agree: ``_Anna.md`` (like ``kith new _x``, which names no
    file so) is set aside, not a person: no page, not in check, due or export."""
    secret = "---\npublish: false\nemail: anna@example.com\n---\n# Anna\n"
    root = project(
        {
            "_Anna.md": secret,
            "_drafts/Zed.md": "# Zed\n\n[[Nobody]]\n",
            "Odd.markdown": secret,
            "Bob Smith.md": BOB,
        }
    )
    site = build(root)  # strict: [[Nobody]] in a set-aside draft is no problem
    assert sorted(p.name for p in (site / "people").iterdir() if p.is_dir()) == ["bob-smith"]
    assert "anna@example.com" not in _site_text(site)
    runner = CliRunner()
    check = runner.invoke(main, ["--project", str(root), "check"])
    assert check.exit_code == 0, check.output
    due = runner.invoke(main, ["--project", str(root), "due", "--json"])
    assert [row["name"] for row in json.loads(due.stdout)] == ["Bob Smith"]
    export = runner.invoke(main, ["--project", str(root), "export", "vcard"])
    assert "Anna" not in export.stdout and "Bob Smith" in export.stdout
    log = runner.invoke(main, ["--project", str(root), "log", "Anna", "call"])
    assert log.exit_code == 1


def test_links_in_code_and_comments_are_no_links(
    project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    jane = (
        "# Jane\n\nSome code:\n\n    [[Nobody In Code]]\n\n"
        "<!-- [[Bob Smith]] said something private -->\n\n"
        "Before <!-- quietly [[Bob Smith]] --> after.\n\n"
        "- a list\n\n    still the list: [[Carol]]\n"
    )
    root = project({"Jane.md": jane, "Bob Smith.md": BOB, "Carol.md": "# Carol\n"})
    site = build(root)  # strict: the link in code links nobody, and is no problem
    text = _site_text(site)
    assert "said something private" not in text and "quietly" not in text
    notes = article(site, "people/jane/")
    assert "[[Nobody In Code]]" in notes.select_one("pre code").get_text()
    assert article(site, "people/bob-smith/").select("ul.kith-backlinks") == []
    carol = article(site, "people/carol/").select("ul.kith-backlinks a")
    assert [a.get_text() for a in carol] == ["Jane"]  # a list's own indented text links


def test_indented_code_is_code_where_markdown_reads_code() -> None:
    text = "p\n\n    code [[A]]\n\n- item\n\n    - 2026-01-02 nested [[B]]\n\n!!! note\n    [[C]]"
    kept = [line for _, line in code_free_lines(text)]
    assert "    code [[A]]" not in kept
    assert "    - 2026-01-02 nested [[B]]" in kept and "    [[C]]" in kept
    assert strip_comments("a\n\n    %%code%%\n\nb %%x%%") == "a\n\n    %%code%%\n\nb "
    assert strip_comments("a <!-- x --> b <!--> c\n<!--\nd\n-->e") == "a  b  c\n\n\ne"


def test_obsidian_syntax_renders_whatever_the_markdown_extensions(
    project: ProjectFactory,
) -> None:
    jane = (
        "# Jane\n\n> [!tip] Ask her\n> about the move.\n\n> [!note]- Folded\n> hidden\n\n"
        "A claim[^1], ==marked== and ~~struck~~, ~not sub~.\n\n"
        "- [ ] a task\n- [x] done\n\n[^1]: The source.\n"
    )
    site = build(_minimal(project({"Jane.md": jane})))
    notes = article(site, "people/jane/")
    callout = notes.select_one("div.admonition.tip")
    assert callout is not None and "Ask her" in callout.select_one(".admonition-title").get_text()
    assert notes.select_one("details.note summary").get_text() == "Folded"
    ref = notes.select_one("sup a.footnote-ref")
    assert ref is not None and ref["href"] == "#fn:1"
    assert notes.select_one("div.footnote li#fn\\:1") is not None
    assert notes.select_one("mark").get_text() == "marked"
    assert notes.select_one("del").get_text() == "struck"
    assert "~not sub~" in notes.get_text()  # Obsidian has no subscript
    assert len(notes.select("li input[type=checkbox]")) == 2
    assert "[!tip]" not in notes.get_text() and "==" not in notes.get_text()


def test_the_users_own_extension_options_are_kept(project: ProjectFactory) -> None:
    root = project({"Jane.md": "# Jane\n\nH~2~O and ~~old~~.\n"})
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["markdown_extensions"].append({"pymdownx.tilde": {"subscript": True}})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    notes = article(build(root), "people/jane/")
    assert notes.select_one("sub").get_text() == "2"
    assert notes.select_one("del").get_text() == "old"


def test_callouts_turned_off_by_the_user_fail_strict(
    project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    root = project({"Jane.md": "# Jane\n\n> [!note] A\n> b\n"})
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["markdown_extensions"] = [{"pymdownx.quotes": {"callouts": False}}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build(root)
    assert any("callouts: False" in m for m in _kith_warnings(caplog))


def test_block_ids_are_anchors_that_links_reach(project: ProjectFactory) -> None:
    jane = (
        "# Jane\n\nShe moved to Berlin. ^moved\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n^table\n\n"
        "See [[#^moved]], [[#^table|the table]] and [[Bob Smith#^met]].\n"
    )
    site = build(project({"Jane.md": jane, "Bob Smith.md": BOB}))
    notes = article(site, "people/jane/")
    assert "^moved" not in notes.select_one("p[id='^moved']").get_text()
    assert notes.select_one("table[id='^table']") is not None
    assert "^table" not in notes.get_text().replace("[[", "")
    hrefs = {a.get_text(): a["href"] for a in notes.select("a[href*='^']")}
    assert hrefs == {"^moved": "#^moved", "the table": "#^table", "Bob Smith": "../bob-smith/#^met"}
    bob = article(site, "people/bob-smith/")
    assert bob.select_one("p[id='^met']").get_text() == "Met at a meetup."


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63000100000500010d0a2db40000000049454e44ae426082"
)


def test_embeds_show_images_sounds_and_videos_and_link_the_rest(
    project: ProjectFactory,
) -> None:
    jane = (
        "# Jane\n\n![[cv.pdf]]\n\n![[voice.mp3]]\n\n![[talk.mp4]]\n\n![[face.png|120]]\n\n"
        "![[face.png|Her face]]\n"
    )
    files = {"cv.pdf": b"%PDF-1.4\n", "voice.mp3": b"ID3", "talk.mp4": b"\0\0\0 ftyp"}
    site = build(project({"Jane.md": jane, "attachments/face.png": PNG, **files}))
    notes = article(site, "people/jane/")
    here = site / "people" / "jane"
    pdf = notes.select_one("a[href$='cv.pdf']")
    assert pdf is not None and pdf.get_text() == "cv.pdf"
    for tag, name in (("audio", "voice.mp3"), ("video", "talk.mp4")):
        player = notes.select_one(f"{tag}[controls]")
        assert player is not None and player["src"].endswith(name)
        assert (here / player["src"]).resolve().is_file()  # the address reaches the file
    images = notes.select("img")
    assert [i["src"].endswith("face.png") for i in images] == [True, True]
    assert (images[0]["width"], images[0]["alt"]) == ("120", "face.png")
    assert images[1]["alt"] == "Her face"
    assert notes.select("img[src$='.pdf'], img[src$='.mp3'], img[src$='.mp4']") == []


def test_link_problems_name_the_line_and_column(
    project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    jane = (
        "# Jane\n\n"
        "Met %%a private aside%% [[Nobdy]] and [[Bob Smith]], then [[Carl]].\n"
        "- 2026-03-02 coffee: with [[Bobb]]\n"
    )
    root = project({"Jane.md": jane, "Bob Smith.md": BOB})
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build(root)
    located = sorted(m.split(" links to nobody")[0] for m in _kith_warnings(caplog))
    assert located == [
        "people/Jane.md:3:25: [[Nobdy]]",
        "people/Jane.md:3:59: [[Carl]]",
        "people/Jane.md:4:27: [[Bobb]]",
    ]
    check = CliRunner().invoke(main, ["--project", str(root), "check"])
    assert "people/Jane.md:3:25: [[Nobdy]] links to nobody" in check.output


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (">" * 1000 + " deep\n", 3),
        ("".join("    " * i + "- level\n" for i in range(1000)), 104),
        ("".join("  " * i + "- level\n" for i in range(1000)), 205),
        ("*" * 3000 + "x" + "*" * 3000 + "\n", 3),
        ("".join("    " * i + "1. level\n" for i in range(400)), 104),
    ],
    ids=["quotes", "list", "list-2-spaces", "emphasis", "ordered"],
)
def test_markdown_nested_1000_deep_is_a_page_and_a_located_problem(
    project: ProjectFactory, caplog: pytest.LogCaptureFixture, body: str, line: int
) -> None:
    root = project({"Deep.md": "# Deep\n\n" + body, "Bob Smith.md": BOB})
    with caplog.at_level(logging.WARNING):
        site = build(root, strict=False)
    (message,) = _kith_warnings(caplog)
    assert message.startswith(f"people/Deep.md:{line}:")
    assert "nested too deep to render" in message and "100 levels" in message
    deep = article(site, "people/deep/")
    assert deep.select_one("h1").get_text().startswith("Deep")
    assert "level" in deep.get_text() or "deep" in deep.get_text() or "x" in deep.get_text()
    assert page(site, "people/bob-smith/").select_one("article") is not None  # the rest builds
    with pytest.raises(Abort):
        build(root)


CORPUS = Path(__file__).parent / "thirdparty" / "obsidian"
"""Peer projects' Obsidian-syntax fixtures, with their sources (``SOURCES.md``)."""


@pytest.fixture
def corpus_site(tmp_path: Path) -> Path:
    if not (CORPUS / "SOURCES.md").is_file():  # pragma: no cover - the corpus ships
        pytest.skip("no third-party Obsidian corpus")
    root = write_project(tmp_path, {})
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        shutil.copytree(folder, root / "people" / folder.name)
    return build(_minimal(root), strict=False)  # its links name notes it does not hold


def test_the_third_party_corpus_renders_as_obsidian_shows_it(corpus_site: Path) -> None:
    text = _site_text(corpus_site)
    assert "klzzwxh" not in text
    embeds = article(corpus_site, "people/embeds/")
    assert embeds.select("img[src$='.pdf']") == []
    section = article(corpus_site, "people/section-ref-a/")
    assert section.select_one("p[id='^dda637']").get_text() == "This is a block"
    assert section.select_one("a[href='#^dda637']") is not None
    other = article(corpus_site, "people/section-ref-b/")
    assert other.select_one("a[href='../section-ref-a/#^dda637']") is not None
    bookmarked = article(corpus_site, "people/1-file-with-bookmarked-block/")
    assert bookmarked.select_one("[id='^c954d2']") is not None
    assert "^c954d2" not in bookmarked.get_text()
    alerts = article(corpus_site, "people/alert/").select("div.admonition")
    assert len(alerts) == 5 and "[!" not in article(corpus_site, "people/alert/").get_text()
    nested = article(corpus_site, "people/012-callouts/").select_one("details.info")
    assert nested is not None and nested.select_one("div.admonition.success") is not None
    examples = article(corpus_site, "people/pure-markdown-examples/")
    assert examples.select_one("del") is not None and examples.select_one("div.footnote")
    links = article(corpus_site, "people/obsidian-wikilinks/")
    assert "[[pure-markdown-examples]]" in links.select_one("pre code").get_text()
