"""One Markdown converter for the kith pages of a build (``KithPage``).

MkDocs builds a new ``markdown.Markdown`` with every configured extension for
each page it renders; at 10,000 people that setup alone costs more than
rendering their notes. kith's pages are rendered by one converter, reset
between pages (as Python-Markdown supports), with MkDocs' own processors
(relative links, anchors, the title) attached for the page at hand, so the
result is the page MkDocs would have rendered.

Most person pages need no Markdown at all: kith's headings, its HTML blocks
(placeholders, see ``page_markdown.stash_html``) and notes in plain words with
wikilinks. With only Markdown extensions known not to touch such text, those
pages are assembled directly: each heading is the converter's own output for
a stand-in heading of its level, with the id and text put in. Anything else
(emphasis, lists, code, tables, a heading id used twice...) goes through the
converter.

If a MkDocs release moves those processors, pages fall back to MkDocs' own
rendering: slower, never different.
"""

from __future__ import annotations

import html
import logging
import re
import time
from typing import Any

import markdown
from markdown.extensions.toc import nest_toc_tokens, slugify
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.toc import get_toc

from kith.core.grammar import NESTING_LIMIT, deepest_line, nesting
from kith.core.packing import Zdicts
from kith.pages.links import WikiLinkExtension
from kith.plugin.page import KithPage, Plain

try:  # MkDocs' own Markdown processors, as ``Page.render`` attaches them
    from mkdocs.structure.pages import (
        _ExtractAnchorsTreeprocessor,
        _ExtractTitleTreeprocessor,
        _RawHTMLPreprocessor,
        _RelativePathTreeprocessor,
    )
except ImportError:  # pragma: no cover - another MkDocs: render as MkDocs does
    SHARED = False
else:
    SHARED = True

    class _RawHTML(_RawHTMLPreprocessor):
        """MkDocs' scan of raw HTML for ids, on text it can read: Python's ``html.parser``
        raises ``AssertionError`` on a marked section it does not know (``<![>``, an XSS
        vector), which ended the build; browsers read it as a comment, and so does this."""

        def run(self, lines: list[str]) -> list[str]:
            text = "\n".join(lines)
            if "<![" in text:
                super().run(_UNKNOWN_MARKED.sub("&lt;![", text).split("\n"))
                return lines
            return super().run(lines)


_UNKNOWN_MARKED = re.compile(r"<!\[(?!CDATA\[)")

log = logging.getLogger("mkdocs.structure.pages")
kith_log = logging.getLogger("mkdocs.plugins.kith")

PLAIN_SAFE = frozenset(
    {
        "toc",
        "tables",
        "fenced_code",
        "admonition",
        "pymdownx.details",
        "pymdownx.superfences",
        "pymdownx.tasklist",
        "pymdownx.quotes",
        "markdown.extensions.toc",
        "markdown.extensions.tables",
        "markdown.extensions.fenced_code",
        "markdown.extensions.admonition",
        # What kith adds for Obsidian's syntax (``syntax.NEEDED``): their marks, and
        # ``_PLAIN_UNSAFE``'s, send a paragraph to the converter.
        "footnotes",
        "markdown.extensions.footnotes",
        "pymdownx.mark",
        "pymdownx.tilde",
    }
)
"""Extensions that change nothing in a paragraph of plain words (kith's own set)."""
_PLAIN_UNSAFE = re.compile(r"==|\^")
"""Marks of what the plain path cannot draw and the converter does: a highlight, an
Obsidian block id (``^id``)."""

_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)[ \t#]*")
_PLACEHOLDER = re.compile(r"KITHSTASH\d+X")
_STAND_IN = "Kithheading"
_ESCAPE = re.compile(r"\\([-.()+])")
_ESCAPED = re.compile(r"(?:[^\\]|\\[-.()+])*")
"""Backslash escapes of characters that mean nothing inside a heading's words."""
_HEADING_SYNTAX = re.compile(r"[*_`<>&\\~\[\]{}!|#\t\r\x02\x03]")


class Converter:
    """One Markdown converter for the kith pages of a build."""

    def __init__(
        self, config: MkDocsConfig, zdicts: Zdicts | None = None, *, alone: bool = False
    ) -> None:
        self.config = config
        self.shared = SHARED
        """MkDocs' own processors are where kith finds them: kith's pages render here
        (``KithPage.render``), else as MkDocs renders them."""
        self._md: markdown.Markdown | None = None
        self.seconds = 0.0
        """Time spent rendering, which counts as kith's own."""
        self.cpu_seconds = 0.0
        self.plain_safe = all(
            isinstance(ext, WikiLinkExtension) or (isinstance(ext, str) and ext in PLAIN_SAFE)
            for ext in config["markdown_extensions"]
        )
        self.alone = alone
        """kith alone handles ``on_page_content``: a page drawn as last time may stay
        packed through it (``HELD``)."""
        self.zdicts: Zdicts = {} if zdicts is None else zdicts
        """What pages are packed against (``KithPage.pack``): the first page packed of
        their kind (a generated page or not); a serve session's, the same every build."""
        self._stand_ins: dict[int, tuple[str, dict[str, Any]] | None] = {}
        self._headings: dict[tuple[int, str], tuple[str, dict[str, Any]] | None] = {}

    @property
    def md(self) -> markdown.Markdown:
        if self._md is None:
            self._md = markdown.Markdown(
                extensions=self.config["markdown_extensions"],
                extension_configs=self.config["mdx_configs"] or {},
            )
        return self._md

    def render(self, page: KithPage, files: Files) -> None:
        """What ``Page.render`` does, with the converter built once."""
        start = time.perf_counter()
        try:
            self._render(page, files)
        finally:  # no waiting in it: its wall time is its processor time (``_timed_each``)
            spent = time.perf_counter() - start
            self.seconds += spent
            self.cpu_seconds += spent

    def _render(self, page: KithPage, files: Files) -> None:
        assert page.markdown is not None
        reused = page.reused
        if reused is not None:
            page.hold(reused.packed, reused.zdict)
            page.held = self.alone and page._packed is not None
            page.hold_toc(reused.toc)
            page._title_from_render = reused.title
            page.present_anchor_ids = reused.anchors
            if log.getEffectiveLevel() > logging.DEBUG:
                page.links_to_anchors = (
                    {page.file: dict(reused.own_anchors)} if reused.own_anchors else {}
                )
            return
        plain = page.plain
        if plain is not None:
            page.plain = None  # it holds the whole site: the page no longer needs it
            if self.plain_safe and self._assemble(page, plain):
                page.assembled = True
                return
        md = self.md
        raw_html = _RawHTML()
        raw_html._register(md)
        anchors = _ExtractAnchorsTreeprocessor(page.file, files, self.config)
        anchors._register(md)
        relative = _RelativePathTreeprocessor(page.file, files, self.config)
        relative._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        md.reset()
        too_deep = _nests_too_deep(page.markdown)
        try:
            if not too_deep:
                page.content = md.convert(page.markdown)
        except RecursionError:  # nesting of another kind (emphasis): as deep, as fatal
            too_deep = True
        finally:  # the page's processors must not see the next heading drawn for another
            md.preprocessors.deregister("mkdocs_raw_html", strict=False)
            for name in ("mkdocs_extract_anchors", "relpath", "mkdocs_extract_title"):
                md.treeprocessors.deregister(name, strict=False)
        if too_deep:
            md.reset()
            _as_text(page)
            return
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = tuple(anchors.present_anchor_ids | raw_html.present_anchor_ids)
        if log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors

    def _assemble(self, page: KithPage, plain: Plain) -> bool:
        """Render a page of headings, placeholders and plain paragraphs without the
        converter; False (nothing set) when the page holds anything else."""
        assert page.markdown is not None
        parts: list[str] = []
        tokens: list[dict[str, Any]] = []
        for block in re.split(r"\n[ \t]*\n", page.markdown.strip("\n")):
            block = block.strip("\n")
            if not block:
                continue
            if _PLACEHOLDER.fullmatch(block):
                parts.append(f"<p>{block}</p>")
                continue
            heading = _HEADING.fullmatch(block)
            if heading:
                text = heading.group(2)
                if "\\" in text and _ESCAPED.fullmatch(text):  # kith escapes "-", "." in names
                    text = _ESCAPE.sub(r"\1", text)
                drawn = self._heading(len(heading.group(1)), text)
                if drawn is None or any(t["id"] == drawn[1]["id"] for t in tokens):
                    return False
                parts.append(drawn[0])
                tokens.append(drawn[1])
                continue
            if block[0] in " \t" or "\n " in block or "\n\t" in block:
                return False
            paragraph = None if _PLAIN_UNSAFE.search(block) else plain(block)
            if paragraph is None:
                return False
            parts.append(f"<p>{paragraph}</p>")
        page.content = "\n".join(parts)
        page._title_from_render = next((t["name"] for t in tokens if t["level"] == 1), None)
        page.present_anchor_ids = tuple(t["id"] for t in tokens)  # told apart above
        page.toc = get_toc(nest_toc_tokens(tokens))  # type: ignore[arg-type]  # empties tokens
        if log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {}
        return True

    def _heading(self, level: int, text: str) -> tuple[str, dict[str, Any]] | None:
        """A heading as the converter draws it (id, permalink, table-of-contents entry);
        the entry is the page's own (the table of contents is built from it in place)."""
        key = (level, text)
        if key not in self._headings:
            if len(self._headings) > 1000:  # names are drawn once; "Log" on every page
                self._headings.clear()
            self._headings[key] = self._draw_heading(level, text)
        drawn = self._headings[key]
        return None if drawn is None else (drawn[0], {**drawn[1], "children": []})

    def _draw_heading(self, level: int, text: str) -> tuple[str, dict[str, Any]] | None:
        if not text or _HEADING_SYNTAX.search(text) or _STAND_IN.casefold() in text.casefold():
            return None
        if level not in self._stand_ins:
            drawn = self.md.reset().convert(f"{'#' * level} {_STAND_IN}")
            found = getattr(self.md, "toc_tokens", [])
            usable = (
                len(found) == 1
                and found[0]["id"] == _STAND_IN.lower()
                and not found[0]["children"]
                and drawn.count(_STAND_IN) == 1
            )
            self._stand_ins[level] = (drawn, found[0]) if usable else None
        stand_in = self._stand_ins[level]
        if stand_in is None:
            return None
        toc: Any = self.md.treeprocessors["toc"]
        slug = toc.slugify(text, toc.sep)
        if not slug or slug.startswith("_"):
            return None
        escaped = html.escape(text, quote=False)
        drawn = stand_in[0].replace(_STAND_IN, escaped).replace(_STAND_IN.lower(), slug)
        return drawn, {**stand_in[1], "id": slug, "name": text, "html": escaped, "children": []}


def _nests_too_deep(text: str) -> bool:
    """Whether a line of ``text`` nests lists or quotes deeper than ``NESTING_LIMIT``."""
    return any(
        line[:1] in (" ", "\t", ">") and nesting(line) > NESTING_LIMIT for line in text.split("\n")
    )


def _as_text(page: KithPage) -> None:
    """The page with its notes shown as written, for Markdown nested too deep to
    render: headings stay headings, kith's blocks stay, every other block is text
    in a ``<pre>``. A located warning says so (``--strict`` fails)."""
    assert page.markdown is not None
    parts: list[str] = []
    tokens: list[dict[str, Any]] = []
    for block in re.split(r"\n[ \t]*\n", page.markdown.strip("\n")):
        if not block.strip():
            continue
        heading = _HEADING.fullmatch(block)
        if _PLACEHOLDER.fullmatch(block.strip()):
            parts.append(f"<p>{block.strip()}</p>")
        elif heading and "\n" not in block:
            level, text = len(heading.group(1)), heading.group(2)
            anchor = slugify(text, "-") or f"heading-{len(tokens) + 1}"
            if any(t["id"] == anchor for t in tokens):
                anchor = f"{anchor}_{len(tokens)}"
            escaped = html.escape(text, quote=False)
            parts.append(f'<h{level} id="{anchor}">{escaped}</h{level}>')
            tokens.append({"level": level, "id": anchor, "name": text, "html": escaped})
        else:
            parts.append(f'<pre class="kith-as-written">{html.escape(block, quote=False)}</pre>')
    page.content = "\n".join(parts)
    page._title_from_render = next((t["name"] for t in tokens if t["level"] == 1), None)
    page.present_anchor_ids = tuple(t["id"] for t in tokens)  # told apart above
    entries: Any = [{**t, "children": []} for t in tokens]
    page.toc = get_toc(nest_toc_tokens(entries))
    if log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = {}
    source = page.source
    if source is None:  # pragma: no cover - kith's generated pages nest nothing
        where, line, column = page.file.src_uri, 1, 1
    else:
        _, index, column = deepest_line(source.body)
        where, line = source.path, source.body_line + index
    kith_log.warning(
        f"{where}:{line}:{column}: Markdown nested too deep to render (lists and quotes "
        f"go {NESTING_LIMIT} levels deep at most, emphasis less): the page shows its notes "
        "as written — nest less deeply"
    )
