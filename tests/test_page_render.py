"""kith's person pages: the shortcut for plain pages draws what Markdown would draw,
pages held packed until they are written come out the same, and the search index
reads what you know of a person without the page's layout or kith's figures."""

from __future__ import annotations

import json
import shutil
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from kith.pages.registry import PAGES
from kith.plugin import converter as converter_module
from kith.plugin import page as page_module

from .conftest import REPO, ProjectFactory, build, write_project

NOTES = {
    "plain.md": "---\nname: Plain Person\n---\n\nMet at a meetup. Knows [[Marked Person]].\n"
    "A second line of the same paragraph.\n\nAnother paragraph, with [[Marked Person|a label]].\n"
    "\nPlain words that only look risky: onclick=alert(1), javascript:void(0), data:x.\n",
    "tab.md": "---\nname: Tab Person\n---\n\nA tab\there, which Markdown turns into spaces.\n",
    "marked.md": "---\nname: Marked Person\nrole: Engineer\ncompany: Acme\n---\n\n"
    "Likes *emphasis* and `code`.\n\n## Projects\n\n- one\n- two\n\n"
    "## Log\n\n- 2026-10-01 call: about [[Plain Person]]\n",
    "headed.md": "---\nname: Headed Person\n---\n\n# Headed Person\n\nHas a title of their own.\n\n"
    "!!! note\n    An admonition.\n",
    "linked.md": "---\nname: Linked Person\n---\n\n[[Plain Person#Notes]] and [[nobody here]] "
    "and [[Plain Person]].\n\nLine with a hard break  \nnext.\n",
    "hyphen.md": "---\nname: Mary-Jane O. (MJ) Watson+1\n---\n\nA name Markdown escapes.\n",
    "log-name.md": "---\nname: Log\n---\n\nA person named Log.\n\n## Log\n\n"
    "- 2026-10-02 call: hi\n",
}


def _pages(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): path.read_text(encoding="utf-8")
        for path in sorted((site / "people").rglob("*.html"))
    }


def _build_both(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    fast = build(root, strict=False)
    shutil.move(str(fast), str(root / "site-fast"))
    monkeypatch.setattr(converter_module, "PLAIN_SAFE", frozenset())  # every page through Markdown
    slow = build(root, strict=False)
    return root / "site-fast", slow


def test_plain_pages_are_drawn_as_markdown_would_draw_them(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    assembled: list[str] = []
    real = converter_module.Converter._assemble

    def counting(self: converter_module.Converter, page: Any, plain: Any) -> bool:
        done = real(self, page, plain)
        if done:
            assembled.append(page.file.src_uri)
        return done

    monkeypatch.setattr(converter_module.Converter, "_assemble", counting)
    root = project(NOTES)
    fast, slow = _build_both(root, monkeypatch)
    # The shortcut was taken where it can be, and only there.
    assert sorted(assembled) == ["hyphen.md", "plain.md"]
    fast_pages, slow_pages = _pages(fast), _pages(slow)
    assert fast_pages.keys() == slow_pages.keys()
    for name, html in fast_pages.items():
        # The sanitizer writes a page it had to parse with characters for references
        # (&para; as ¶): the same page to a browser.
        assert unescape(html) == unescape(slow_pages[name]), name


def test_the_demo_is_drawn_the_same_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO / "people", tmp_path / "people")
    shutil.copytree(REPO / "journal", tmp_path / "journal")
    write_project(tmp_path, {}, {"my_industry": "Software"})
    fast, slow = _build_both(tmp_path, monkeypatch)
    fast_pages, slow_pages = _pages(fast), _pages(slow)
    assert len(fast_pages) > 20
    assert fast_pages == slow_pages


def test_another_markdown_extension_turns_the_shortcut_off(project: ProjectFactory) -> None:
    from mkdocs.config import load_config

    root = project(NOTES)
    config = load_config(str(root / "mkdocs.yml"))
    assert converter_module.Converter(config).plain_safe
    config["markdown_extensions"].append("smarty")  # would curl the quotes of plain text
    assert not converter_module.Converter(config).plain_safe


def test_search_indexes_a_persons_words_by_section(project: ProjectFactory) -> None:
    site = build(project(NOTES), strict=False)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    top = docs["people/marked/"]
    assert top["title"] == "Marked Person"
    assert "Engineer" in top["text"] and "Acme" in top["text"]
    assert "<code>code</code>" in top["text"]  # kept, as the search plugin keeps it
    assert "<dt>" not in top["text"] and "<span" not in top["text"]
    assert docs["people/marked/#log"]["title"] == "Log"
    assert "about" in docs["people/marked/#log"]["text"]
    assert "Projects" in docs["people/marked/#projects"]["title"]
    # The page itself keeps its full layout.
    html = (site / "people" / "marked" / "index.html").read_text(encoding="utf-8")
    assert '<div class="kith-card"' in html and "<dt>Work</dt>" in html


SEARCHED = {
    "ann.md": "---\nname: Ann Search\nrole: Welder\ncompany: Forge Works\ntier: core\n"
    "checked: 2026-01-05\n---\n\nLoves sailing.\n\n## Log\n\n"
    "- 2026-09-01 gave: lent the ladder\n- [ ] 2026-10-01 promise: send the brochure\n",
    "bob.md": "---\nname: Bob Search\n---\n\n## Log\n\n"
    "- 2026-08-01 lunch: talked rowing with [[Ann Search]]\n",
}


def test_search_reads_what_you_know_not_what_kith_works_out(project: ProjectFactory) -> None:
    site = build(project(SEARCHED), strict=False)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    ann = " ".join(
        d["title"] + " " + d["text"] for k, d in docs.items() if k.startswith("people/ann/")
    )
    for known in (
        "Welder",
        "Forge Works",
        "core",
        "Loves sailing",
        "lent the ladder",
        "send the brochure",
    ):
        assert known in ann, known
    # Follow-up figures, favor counts, the checked date and the mentions are kith's
    # working: the mention is found on Bob's page, where it is written.
    for derived in (
        "Last contact",
        "days ago",
        "Next due",
        "Cadence",
        "balance",
        "2026-01-05",
        "Mentioned by",
        "rowing",
    ):
        assert derived not in ann, derived
    assert "rowing" in docs["people/bob/#log"]["text"]
    # The page itself shows all of it.
    html = (site / "people" / "ann" / "index.html").read_text(encoding="utf-8")
    for shown in ("Last contact", "Next due", "balance", "2026-01-05", "Mentioned by", "rowing"):
        assert shown in html, shown


def test_a_note_excluding_part_of_itself_still_leaves_kiths_figures_out(
    project: ProjectFactory,
) -> None:
    notes = dict(SEARCHED)
    notes["ann.md"] = notes["ann.md"].replace(
        "Loves sailing.", '<p data-search-exclude="true">secret words</p>\n\nLoves sailing.'
    )
    site = build(project(notes), strict=False)
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Loves sailing" in index and "Welder" in index
    for left_out in ("secret words", "Last contact", "days ago", "Next due"):
        assert left_out not in index, left_out
    # The page shows it all, without the search attributes.
    html = (site / "people" / "ann" / "index.html").read_text(encoding="utf-8")
    for shown in ("secret words", "Last contact", "Next due", "Mentioned by"):
        assert shown in html, shown
    assert "data-search" not in html


def test_pages_held_packed_are_written_the_same(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    packed: list[str] = []
    real = page_module.KithPage.pack

    def counting(self: page_module.KithPage) -> None:
        real(self)
        if self._packed is not None:
            packed.append(self.file.src_uri)

    def written(site: Path) -> dict[str, str]:
        return {
            str(path.relative_to(site)): path.read_text(encoding="utf-8")
            for path in sorted(site.rglob("*.html"))
        }

    monkeypatch.setattr(page_module.KithPage, "pack", counting)
    root = project({**NOTES, **SEARCHED})
    site = build(root, strict=False)
    # Every person page and every network page, once.
    assert len([p for p in packed if not p.startswith("kith/")]) == len(NOTES) + len(SEARCHED)
    assert sorted(p for p in packed if p.startswith("kith/")) == sorted(s.src_uri for s in PAGES)
    with_packing = written(site), (site / "search" / "search_index.json").read_bytes()
    shutil.move(str(site), str(root / "site-packed"))
    monkeypatch.setattr(page_module.KithPage, "pack", lambda self: None)
    site = build(root, strict=False)
    assert (written(site), (site / "search" / "search_index.json").read_bytes()) == with_packing


def test_a_packed_page_reads_and_changes_like_any_page(project: ProjectFactory) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File

    root = project(NOTES)
    config = load_config(str(root / "mkdocs.yml"))
    converter = converter_module.Converter(config)
    pages = []
    for name in ("a.md", "b.md"):
        file = File(name, str(root / "people"), str(root / "site"), False)
        pages.append(page_module.KithPage(file, config, converter))
    first, second = pages
    first.content = "<p>caf\u00e9 " + "words " * 50 + "</p>"
    second.content = "<p>other " + "words " * 50 + "</p>"
    first.pack()
    second.pack()
    assert first._content is None and first._packed is not None
    assert len(second._packed or b"") < 40  # packed against the first page's markup
    assert second.content == "<p>other " + "words " * 50 + "</p>"
    second.content = second.content  # set back as it was: still packed
    second.release()
    assert second._content is None and second.content.startswith("<p>other")
    second.show("the search view")
    assert second.content == "the search view"
    second.content = "the view, cleaned up"  # as the search plugin does: the page stays
    assert second.content == "the view, cleaned up"
    second.show(None)
    assert second.content.startswith("<p>other") and second._packed is not None
    second.content = "<p>changed</p>"  # a real change: the packed copy is gone
    second.release()
    assert second.content == "<p>changed</p>" and second._packed is None
    assert first.content.startswith("<p>caf\u00e9 words")
    # A long page, far bigger than what the packer looks back over, comes back whole.
    file = File("long.md", str(root / "people"), str(root / "site"), False)
    long = page_module.KithPage(file, config, converter)
    text = "".join(f"<li>{n} gr\u00fc\u00dfe \u2192 {n * 7919 % 1000}</li>\n" for n in range(9000))
    long.content = text
    long.pack()
    assert long._content is None and long.content == text


def test_search_attributes_in_notes_are_stripped_from_the_page(project: ProjectFactory) -> None:
    notes = {
        "a.md": '---\nname: Anna\n---\n\n<p data-search-exclude="true">secret words</p>\n\n'
        "Public words.\n"
    }
    site = build(project(notes))
    html = (site / "people" / "a" / "index.html").read_text(encoding="utf-8")
    assert "secret words" in html and "data-search-exclude" not in html
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Public words" in index and "secret words" not in index


def test_without_a_search_plugin_pages_are_the_same(project: ProjectFactory) -> None:
    import yaml

    def articles(site: Path) -> dict[str, str]:
        # The theme leaves its search box out; what the page says is the same.
        return {name: html[html.index("<article") :] for name, html in _pages(site).items()}

    root = project(NOTES)
    with_search = articles(build(root, strict=False))
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config["plugins"] if p != "search"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    site = build(root, strict=False)
    assert not (site / "search" / "search_index.json").exists()
    assert articles(site) == with_search


def test_people_rows_are_what_the_template_loop_drew(tmp_path: Path) -> None:
    from kith.analyses.site import Site
    from kith.core.config import Settings
    from kith.pages.draw import PageDrawer, RowMemo
    from kith.pages.followup_pages import site_follow_ups
    from kith.pages.render import environment
    from kith.pages.urls import Links
    from kith.reading.load import load

    folder = tmp_path / "people"
    folder.mkdir()
    files = {
        "tom.md": '---\nname: "Tom & Jerry <3>"\ncompany: "O\'Reilly & Sons"\n'
        "role: 'Says \"hi\"'\nindustry: [Media, Film & TV]\narchived: true\n---\n",
        "bea.md": "---\nname: Bea\n---\n\n## Log\n\n- 2026-11-01 call: hi\n",
        "cy.md": "---\nname: Cy\ncompany: Acme\ntier: core\nmet: 2025-01-02\n---\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    site = Site(load(folder, "people/"), Settings(today=date(2026, 11, 21)))
    drawer = PageDrawer(site, environment(None))
    urls = {c.src_uri: f"people/{c.slug}/" for c in site.people} | {"kith/people.md": "people/"}
    links = Links(urls, "people/")
    states = site_follow_ups(site).states
    # The loop people.md had before the rows moved to Python.
    loop = drawer.env.from_string(
        "{% for contact in people %}\n"
        '<tr><td><a href="{{ links.person(contact) }}">{{ contact.name }}</a></td><td>'
        "{{ contact.company }}</td><td>{{ contact.role }}</td><td>"
        '{{ contact.industries | join(", ") }}</td><td>'
        '{{ "archived" if contact.archived else contact.tier }}</td>'
        "{% set last = follow_ups[contact.src_uri].last_contact %}<td>"
        "{% if last %}<time>{{ last }}</time>{% endif %}</td></tr>\n{% endfor %}"
    )
    expected = loop.render(people=site.people, follow_ups=states, links=links)
    assert drawer.people_rows(site.people, states, links) + "\n" == expected
    assert "Tom &amp; Jerry &lt;3&gt;" in expected and "&#39;" in expected  # tricky, truly
    # Under serve, rows are kept and reused while the person and the addresses stay.
    memo = RowMemo()
    served = PageDrawer(site, drawer.env, rows=memo)
    first = served.people_rows(site.people, states, links)
    kept = dict(memo.rows)
    again = served.people_rows(site.people, states, links)
    assert again == first and all(memo.rows[k] is kept[k] for k in kept)
    moved = Links({**urls, "kith/people.md": "network/people/"}, "network/people/")
    assert served.people_rows(site.people, states, moved) != first


def test_a_page_through_markdown_leaves_nothing_for_the_next_page(
    project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """The network pages go through Markdown first; the stand-in heading the shortcut
    draws afterwards must not count as a link of theirs (MkDocs would report it)."""
    import logging

    caplog.set_level(logging.INFO, logger="mkdocs")
    build(
        project({**NOTES, "z.md": "---\nname: Zed\n---\n\n###### Deep\n\nWords.\n"}), strict=False
    )
    assert not [r for r in caplog.records if "kithheading" in r.getMessage().casefold()]


def test_a_page_gets_every_attribute_when_made(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CPython shares one table of attribute names among the pages when each sets the
    same names in the same order, and gives a page one of its own (1.3 KB, some 13 MB at
    10,000 people) when rendering or the navigation adds a name: every name a page ends
    the build with is set when it is made. Its notes' text is let go once it is drawn."""
    made: dict[int, list[str]] = {}
    built: list[page_module.KithPage] = []
    init, release = page_module.KithPage.__init__, page_module.KithPage.release

    def making(self: page_module.KithPage, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        made[id(self)] = list(vars(self))

    def noting(self: page_module.KithPage) -> None:
        release(self)
        built.append(self)

    monkeypatch.setattr(page_module.KithPage, "__init__", making)
    monkeypatch.setattr(page_module.KithPage, "release", noting)
    build(project({**NOTES, **SEARCHED}), strict=False)
    kinds = {(page.is_person, page.generated) for page in built}
    assert kinds == {(True, False), (False, True)}  # person pages and network pages
    assert any(page.parent is not None for page in built)  # one in a navigation section
    for page in built:
        assert list(vars(page)) == made[id(page)], page.file.src_uri
        assert page.source is None and page.plain is None
