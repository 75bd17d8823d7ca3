"""Person and journal pages: MkDocs pages that share one Markdown converter per build.

MkDocs builds a new ``markdown.Markdown`` with every configured extension for
each page it renders; at 10,000 people that setup alone costs more than
rendering their notes. kith's pages are rendered by one converter, reset
between pages (as Python-Markdown supports), with MkDocs' own processors
(relative links, anchors, the title) attached for the page at hand, so the
result is the page MkDocs would have rendered.

Most person pages need no Markdown at all: kith's headings, its HTML blocks
(placeholders, see ``render.stash_html``) and notes in plain words with
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
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions.toc import nest_toc_tokens, slugify
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from kith.core.grammar import NESTING_LIMIT, deepest_line, nesting
from kith.core.packing import Zdicts, pack, unpack
from kith.pages.links import WikiLinkExtension
from kith.serve.session import Drawn

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

Plain = Callable[[str], "str | None"]
"""A paragraph as HTML when it is plain words and wikilinks, else None."""

_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)[ \t#]*")
_PLACEHOLDER = re.compile(r"KITHSTASH\d+X")
_STAND_IN = "Kithheading"
_ESCAPE = re.compile(r"\\([-.()+])")
_ESCAPED = re.compile(r"(?:[^\\]|\\[-.()+])*")
"""Backslash escapes of characters that mean nothing inside a heading's words."""
_HEADING_SYNTAX = re.compile(r"[*_`<>&\\~\[\]{}!|#\t\r\x02\x03]")


class _Held(str):
    """The type of ``HELD``: a string told apart from every other by identity."""


HELD = _Held()
"""What a kept page's ``content`` reads while its HTML stays packed: handed from MkDocs
to kith's ``on_page_content`` and back, unread (when no other plugin handles it)."""


class Converter:
    """One Markdown converter for the kith pages of a build."""

    def __init__(
        self, config: MkDocsConfig, zdicts: Zdicts | None = None, *, alone: bool = False
    ) -> None:
        self.config = config
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
        start, cpu = time.perf_counter(), time.process_time()
        try:
            self._render(page, files)
        finally:
            self.seconds += time.perf_counter() - start
            self.cpu_seconds += time.process_time() - cpu

    def _render(self, page: KithPage, files: Files) -> None:
        assert page.markdown is not None
        reused = page.reused
        if reused is not None:
            page.hold(reused.packed, reused.zdict)
            page.held = self.alone and page._packed is not None
            page.toc = reused.toc
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


@dataclass(frozen=True)
class Source:
    """Where a page's notes come from: the file as messages name it, its body, the
    body's first line in the file."""

    path: str
    body: str
    body_line: int


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


class KithPage(Page):
    """A page whose Markdown kith writes (a person, a journal note, a generated page).

    Between drawing the page and writing it, a build holds its HTML compressed
    (``pack``): MkDocs draws every page before it writes any, and at 10,000 people
    the HTML of the cards and logs would otherwise be the biggest thing in memory.
    Reading ``content`` gives the HTML back, as for any page.
    """

    def __init__(
        self,
        file: File,
        config: MkDocsConfig,
        converter: Converter,
        title: str | None = None,
        *,
        is_person: bool = False,
    ) -> None:
        self.is_person = is_person
        """A person's page (the search index reads it in its own way)."""
        self._content: str | None = None
        self._packed: bytes | None = None
        """The HTML, compressed, once the page is drawn (when ``_content`` is set too,
        the two are the same page)."""
        self._view: str | None = None
        """What ``content`` shows for a while instead of the page (the search view)."""
        super().__init__(title, file, config)
        # Every attribute a page gets is set here, in one order, rendering's and the
        # navigation's too: then the pages share one table of attribute names and each
        # holds only its values (a name added later gives each page a table of its own:
        # 1.3 KB a page). The anchors are a tuple (a quarter of a set): MkDocs only asks
        # whether an anchor is among them.
        self.present_anchor_ids: Collection[str] | None = None  # type: ignore[assignment]
        self.links_to_anchors: dict[File, dict[str, str]] | None = None
        self.parent: Section | None = None  # the navigation's, when in a section
        self.generated = title is not None
        """One of kith's generated pages (which bear their title in the navigation)."""
        self.converter = converter
        self.plain: Plain | None = None
        """Renders a plain paragraph of this page (set by the plugin), for the fast path."""
        self.assembled = False
        """Drawn without Markdown, from escaped words only: no HTML of the user's in it."""
        self.reused: Drawn | None = None
        """The page as the last ``mkdocs serve`` build drew it, when nothing it shows changed."""
        self.source: Source | None = None
        """A person's or a journal note's file, for messages about its notes."""
        self.held = False
        """The page's HTML stays packed through ``on_page_content``: ``content`` reads
        ``HELD`` until kith's handler hands it back (``unheld`` for the HTML itself)."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if SHARED:
            self.converter.render(self, files)
        else:  # pragma: no cover
            super().render(config, files)

    @property
    def content(self) -> str | None:
        if self.held:
            return HELD
        if self._view is not None:
            return self._view
        if self._content is None and self._packed is not None:
            self._content = unpack(self._packed, self.converter.zdicts[self.generated])
        return self._content

    @content.setter
    def content(self, value: str | None) -> None:
        if value is HELD:  # handed back as it was: it stays packed
            self.held = False
            return
        self.held = False
        if self._view is not None:  # what the search plugin makes of what it read
            self._view = value
            return
        if value is not None and value == self._content:
            return  # what it holds already: the packed copy stays good
        self._content, self._packed = value, None

    def show(self, view: str | None) -> None:
        """Let ``content`` read and write ``view`` (``None``: the page again); the page
        itself stays as it is meanwhile."""
        self._view = view

    def print_source(self) -> tuple[bytes, bytes]:
        """What stands for the HTML in the page's print (``written.page_print``): the
        packed bytes and the dictionary they were packed against, while the page is held
        packed (the same bytes against the same dictionary are the same HTML, and reading
        them costs no unpacking); else the HTML itself."""
        if self._view is None and self._packed is not None:
            return self._packed, self.converter.zdicts[self.generated]
        return (self.content or "").encode("utf-8", "surrogatepass"), b""

    def shows(self, drawn: Drawn) -> bool:
        """Whether the page is ``drawn`` as it is (no problems added since, no view)."""
        return self._view is None and self._packed is not None and self._packed is drawn.packed

    def unheld(self) -> str:
        """The page's HTML, no longer ``HELD``."""
        self.held = False
        return self.content or ""

    def hold(self, packed: bytes, zdict: bytes, content: str | None = None) -> None:
        """Take HTML packed already (a serve session's drawing of the page); ``content``:
        the same HTML unpacked, when at hand."""
        if self.converter.zdicts.get(self.generated) is zdict:
            self._content, self._packed = content, packed
        else:  # packed against another dictionary: unpacked now, packed again later
            self._content, self._packed = unpack(packed, zdict), None

    def pack(self) -> None:
        """Hold the HTML compressed until the page is written."""
        if self._content is not None and self._view is None:
            if self._packed is None:
                self._packed = pack(self._content, self.converter.zdicts, self.generated)
            self._content = None

    def release(self) -> None:
        """The page is written: let go of its HTML, if it is held compressed too."""
        if self._packed is not None:
            self._content = None


# Tags the search index needs to split a page into sections and leave out permalinks;
# everything else in kith's blocks is layout, and costs the index a parse per tag.
_LAYOUT_TAG = re.compile(
    r'<(?!/?h[1-6][\s>]|a class="headerlink"|/a>|/?p>|/?code>|/?pre[\s>])[^>]*>'
)
# What kith works out rather than what you know of a person: the follow-up figures,
# favor counts and promises of the card (the log has the promises), the commit lines'
# hashes, and the mentions on other people's pages (indexed there, where they are
# written). Searching finds people by what you wrote; the figures have their pages.
_DERIVED = re.compile(  # one "<" first: the engine skips to it instead of trying each place
    r'<(?:dt>[^<]*</dt><dd class="kith-(?:last-contact|cadence|next-due|favor-balance|promises'
    r'|checked)"[^>]*>.*?</dd>\n?'
    r'|span class="kith-(?:commit|file-change)"[^>]*>.*?</span>'
    r'|(?:h2 id="[^"]*">Mentioned by<a class="headerlink"[^>]*>[^<]*</a></h2>\n<)?'
    r'ul class="kith-backlinks">.*?</ul>)',
    re.S,
)


def search_text(content: str) -> str:
    """The page as the search index should read it: the same words and sections,
    without what kith works out (``_DERIVED``) and without the layout tags (a
    person page has some 80 of them). A note that excludes part of itself from
    search keeps its tags, which the search plugin reads to leave that part out."""
    content = _DERIVED.sub("", content)
    if "data-search-exclude" in content:
        return content
    return _LAYOUT_TAG.sub(" ", content)
