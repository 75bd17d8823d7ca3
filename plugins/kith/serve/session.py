"""One ``mkdocs serve`` session: everything kept from one build for the next, in one place.

A build works on a copy of what the last *finished* build kept (``begin``) and
hands it back only when it finishes (``finish``). A build that fails part-way
leaves the session as it was, so the next build compares against the last
pages that were really written, not against a half-done attempt.

What is kept:

- parsed contact files (by path, size, modification time and content);
- the git history (by HEAD);
- the analyses of the last build and what they read (``Site.carry``), and what the
  next build may mend (``Worked``);
- the files the theme wrote (``Written``), which the next build keeps where nothing
  they show changed;
- every drawn page with what it read (``Snapshot``, ``reads``, ``person_templates``,
  the generated pages' ``PageCache``), the People rows and the calendar events.

The pages and search entries are held packed (``kith.core.packing``): at 10,000
people they would otherwise be most of what the session holds.

A changed option forgets everything: it can change what every file means.
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

from kith.analyses.graph import Memo
from kith.analyses.site import Carry, Worked
from kith.core.packing import Zdicts
from kith.git.history import HistoryCache
from kith.pages.calendar_feed import EventMemo
from kith.pages.draw import PageCache, RowMemo
from kith.pages.fragments import Fragments
from kith.pages.render import TemplateVersion
from kith.reading.load import FileCache
from kith.serve.incremental import Snapshot


@dataclass(frozen=True, slots=True)  # one per person: 10,000 in a session
class Drawn:
    """A person page as a build drew it, for a later rebuild to reuse."""

    markdown: str
    packed: bytes
    """The HTML after kith's ``on_page_content``, packed against ``zdict``."""
    zdict: bytes
    toc: bytes
    """The table of contents, packed (``pack_data``, kind ``TOC``): a kept page's is
    unpacked only if something reads it (a page whose file is kept, none)."""
    title: str | None
    anchors: Collection[str] | None
    own_anchors: dict[str, str] | None
    """Links to the page's own headings (its permalinks), which MkDocs validates."""


@dataclass(frozen=True)
class Written:
    """The files the theme wrote in a finished build, for the next to keep (an engine's
    adapter fills it: ``kith.plugin.written``). Replaced whole, never changed."""

    site_dir: str = ""
    stamp: str = ""
    """What every page showed alike (options, theme, versions)."""
    pages: dict[str, tuple[bytes, int, int]] = field(default_factory=dict)
    """Output path → (what the page showed, the file's size, its modification time)."""
    search: dict[str, bytes] = field(default_factory=dict)
    """Output path → the search index's entries for the page (``pack_data``)."""
    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Every file the build wrote (output path → size, modification time)."""
    compiled: dict[str, bytes] = field(default_factory=dict)
    """The theme's templates as compiled for that build (checked against their source)."""
    nav: bytes = b""
    """What the navigation showed (every page's print reads it)."""
    drawn: dict[str, Any] = field(default_factory=dict)
    """Output path → the person page's drawing (``Drawn``) that page showed: the same
    drawing outside the navigation, under the same navigation, prints the same."""


@dataclass
class Kept:
    """What one build leaves for the next."""

    options: str = ""
    """The plugin's options, as compared between builds."""
    files: FileCache = field(default_factory=dict)
    history: HistoryCache = field(default_factory=HistoryCache)
    carry: Carry = field(default_factory=dict)
    worked: Worked | None = None
    """What the analyses of the build worked out, for the next to mend."""
    snapshot: Snapshot | None = None
    """What the person pages were drawn from."""
    drawn: dict[str, Drawn] = field(default_factory=dict)
    """Person pages as the MkDocs adapter drew them (Markdown and packed HTML)."""
    zdicts: Zdicts = field(default_factory=dict)
    """What pages are packed against, the same for every build of the session (a page
    packed by one build is unpacked, or kept packed, by the next)."""
    markdown: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """Person pages as ``build`` drew them (Markdown and HTML blocks)."""
    reads: dict[str, frozenset[str]] = field(default_factory=dict)
    """Person page → the other people whose fields its templates showed."""
    person_templates: dict[str, TemplateVersion] = field(default_factory=dict)
    """The templates person pages rendered, includes too, as they were when read."""
    pages: PageCache = field(default_factory=dict)
    fragments: Fragments = field(default_factory=dict)
    """The parts of generated pages drawn with ``kept`` (``kith.pages.fragments``)."""
    rows: RowMemo = field(default_factory=RowMemo)
    events: EventMemo = field(default_factory=dict)
    memos: Memo = field(default_factory=dict)
    """Costly results by their inputs (``Site.memo``): the graph's measures and layout."""
    written: Written = field(default_factory=Written)
    """The files the theme wrote, for the next build to keep."""

    def copy(self) -> Kept:
        """A copy a build may change freely: its containers are its own; the values in
        them are immutable or replaced whole, never changed in place."""
        return replace(
            self,
            files=dict(self.files),
            history=copy.copy(self.history),
            carry=dict(self.carry),
            drawn=dict(self.drawn),
            markdown=dict(self.markdown),
            reads=dict(self.reads),
            person_templates=dict(self.person_templates),
            pages=dict(self.pages),
            fragments=dict(self.fragments),
            rows=RowMemo(self.rows.where, dict(self.rows.rows)),
            events=dict(self.events),
            # Keyed by their inputs, so never stale; the last few are enough.
            memos=dict(list(self.memos.items())[-8:]),
            # ``zdicts`` stays shared: a dictionary, once set, never changes.
        )


class ServeSession:
    """The state of a ``mkdocs serve`` session across its rebuilds."""

    def __init__(self) -> None:
        self._kept = Kept()
        self.building: Kept | None = None
        """What the build under way reads and changes; ``None`` between builds."""

    def begin(self, options: str) -> Kept:
        """Start a build: a copy of what the last finished build kept (nothing after a
        change of ``options``)."""
        if options != self._kept.options:
            self._kept = Kept(options=options)
        self.building = self._kept.copy()
        return self.building

    def finish(self) -> None:
        """The build wrote every page: the next one starts from what it kept."""
        if self.building is not None:
            self._kept = self.building
        self.building = None

    def fail(self) -> None:
        """The build stopped part-way: the next one starts from the last finished one,
        except for the files it wrote, which the failed build may have written over:
        the next build writes every one."""
        self.building = None
        self._kept.written = Written()
