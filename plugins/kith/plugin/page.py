"""Person, journal and generated pages: MkDocs pages whose Markdown kith writes, drawn
by the converter of the build (``converter.Converter``) and held compressed until written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from kith.core.packing import TOC, Zdicts, pack, unpack, unpack_data
from kith.serve.session import Drawn

Plain = Callable[[str], "str | None"]
"""A paragraph as HTML when it is plain words and wikilinks, else None."""


class _Held(str):
    """The type of ``HELD``: a string told apart from every other by identity."""


HELD = _Held()
"""What a kept page's ``content`` reads while its HTML stays packed: handed from MkDocs
to kith's ``on_page_content`` and back, unread (when no other plugin handles it)."""


@dataclass(frozen=True)
class Source:
    """Where a page's notes come from: the file as messages name it, its body, the
    body's first line in the file."""

    path: str
    body: str
    body_line: int


class PageConverter(Protocol):
    """What a page asks of the converter of its build (``converter.Converter``)."""

    shared: bool
    """MkDocs' own Markdown processors are where the converter finds them; else the
    page renders as MkDocs renders it."""
    zdicts: Zdicts

    def render(self, page: KithPage, files: Files) -> None: ...


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
        converter: PageConverter,
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
        self._toc: TableOfContents | None = None
        self._packed_toc: bytes | None = None
        """The table of contents of a kept drawing, until something reads it."""
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

    @property
    def toc(self) -> TableOfContents:
        if self._toc is None and self._packed_toc is not None:
            self._toc = unpack_data(self._packed_toc, self.converter.zdicts, TOC)
        return cast(TableOfContents, self._toc)

    @toc.setter
    def toc(self, value: TableOfContents) -> None:
        self._toc, self._packed_toc = value, None

    def hold_toc(self, packed: bytes) -> None:
        """Take the table of contents packed (a serve session's drawing of the page)."""
        self._toc, self._packed_toc = None, packed

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.converter.shared:
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
        """What stands for the HTML in the page's print (``fingerprints.page_print``): the
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
