"""Pages the theme wrote in the last ``mkdocs serve`` build, kept when nothing they show changed.

MkDocs renders every page with the theme and writes it on every rebuild, after
cleaning the site folder: at 10,000 people that is most of a rebuild's time,
whatever kith reuses of its own drawing. Under ``mkdocs serve`` this module
lets the theme skip the pages whose inputs are those of the last finished
build, and keeps their files as that build wrote them:

- the last build's files are set aside in a hidden folder of the site folder
  before MkDocs cleans it (it never removes hidden entries) and put back after;
- a page is *kept* when its fingerprint (``fingerprints``: its HTML, title,
  table of contents, metadata, address, neighbours and ancestors in the
  navigation) and the site's (every option of ``mkdocs.yml`` but the Markdown
  settings, whose effect is in the HTML; the navigation; the theme's templates;
  the versions) equal the last build's, and its file is still the one that
  build wrote (same size and modification time). The theme renders a kept page
  with an empty template; MkDocs, given no output, writes nothing; the file stays;
- the search index gets the kept page's entries as the search plugin made
  them from the same inputs, without reading the page again;
- files of the last build that this build does not write (a deleted person)
  are removed, so the folder holds what a fresh build writes;
- the theme's templates are compiled once a session: MkDocs makes a new template
  environment every build, and Jinja's bytecode cache checks each against its source.

It stays off, and every page is drawn as before, for a one-off build, a
``--dirty`` serve, an encrypted site (every build seals with a fresh key), and
a site with a plugin or hook kith does not know (it may read or change a page
as it is written).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import jinja2
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from kith.core.packing import pack_data, unpack_data
from kith.plugin.fingerprints import nav_items, outside_nav, page_print, site_stamp
from kith.plugin.page import KithPage
from kith.serve.session import Drawn, Kept, Written

log = logging.getLogger("mkdocs.plugins.kith")
_BUILD_LOG: logging.Logger = getattr(mkdocs_build, "log", logging.getLogger(mkdocs_build.__name__))
"""The logger of the build module in use (ProperDocs' when it stands in for MkDocs)."""

TEMPLATE = "kith-kept-page.html"
"""The template a kept page is rendered with: it renders nothing."""
ASIDE = ".kith-kept"
"""Where the last build's files wait while MkDocs cleans the site folder."""
KNOWN_PLUGINS = frozenset({"kith", "search", "material/search"})
"""Plugins that read pages only as kith accounts for (the search index)."""


class _Compiled(jinja2.BytecodeCache):
    """The theme's templates as Jinja compiled them in the last build (Jinja checks
    each against its source): MkDocs makes a new template environment every build."""

    def __init__(self, codes: dict[str, bytes]) -> None:
        self.codes = codes

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


@dataclass
class _Drop(logging.Filter):
    """MkDocs says "Page skipped" of a page that renders nothing: not of a kept page."""

    kept: set[str] = field(default_factory=set)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Page skipped: '") and message.endswith("'. Generated empty output."):
            return (
                message[len("Page skipped: '") : -len("'. Generated empty output.")]
                not in self.kept
            )
        return True


class Writer:
    """The pages one serve build keeps from the last and the record it leaves for the next."""

    def __init__(self, kept: Kept, config: MkDocsConfig) -> None:
        self.kept = kept
        self.last = kept.written
        self.config = config
        self.site_dir = config.site_dir
        self.stamp = ""
        self.restored = False
        self.prints: dict[str, bytes] = {}
        """Every page's print (by output path), worked out once every page is read."""
        self.nav_print = b""
        self.drawn: dict[str, Drawn] = {}
        """Output path → the person page's drawing it shows (``Written.drawn``)."""
        self.reused: set[str] = set()
        """Output paths of the pages kept as the last build wrote them."""
        self.search: dict[str, bytes] = {}
        """Every indexed page's search entries, packed (by output path), as the index
        wrote them (accents folded too)."""
        self._fresh: dict[str, list[dict[str, Any]]] = {}
        """The entries of the pages indexed in this build, packed once the index is written."""
        self.folded: set[int] = set()
        """The entries taken from the last build (by ``id``): their accents are folded."""
        self.compiled: dict[str, bytes] = {}
        """The theme's templates as Jinja compiled them (for this site's stamp)."""
        self.searched = False
        """A search plugin indexes the pages (then a kept page needs its entries)."""
        self._drop = _Drop()
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self.indexes: list[Any] = []
        """The search indexes whose ``add_entry_from_context`` this build took over."""

    @property
    def _same_site(self) -> bool:
        last = self.last
        return bool(last.pages) and last.site_dir == self.site_dir and last.stamp == self.stamp

    def set_aside(self) -> None:
        """Before MkDocs cleans the site folder: the last build's files go to ``ASIDE``."""
        self.stamp = site_stamp(self.config)  # once every plugin has set its options
        aside = os.path.join(self.site_dir, ASIDE)
        shutil.rmtree(aside, ignore_errors=True)  # left by a build that stopped
        if not self._same_site or not os.path.isdir(self.site_dir):
            return
        os.mkdir(aside)
        for entry in os.listdir(self.site_dir):
            if not entry.startswith("."):  # MkDocs keeps hidden entries, and so does this
                os.rename(os.path.join(self.site_dir, entry), os.path.join(aside, entry))
        self.restored = True

    def put_back(self) -> None:
        """After the cleaning: the files come back, for MkDocs to write over or keep."""
        aside = os.path.join(self.site_dir, ASIDE)
        if not os.path.isdir(aside):
            return
        for entry in os.listdir(aside):
            target = os.path.join(self.site_dir, entry)
            if not os.path.lexists(target):
                os.rename(os.path.join(aside, entry), target)
        shutil.rmtree(aside, ignore_errors=True)

    def choose(self, files: Files, env: jinja2.Environment, search: Iterable[object]) -> None:
        """Once every page is read: which pages are kept; the theme renders those with an
        empty template, and the search index takes their entries from the last build."""
        indexes: list[Any] = [
            index
            for plugin in search
            if hasattr(index := getattr(plugin, "search_index", None), "add_entry_from_context")
        ]
        for index in indexes:
            index.add_entry_from_context = self._indexer(index)
        self.indexes = indexes
        self.searched = bool(indexes)
        nav_print = repr(tuple(nav_items(self.nav.items if self.nav else ()))).encode()
        last = self.last.pages if self._same_site and self.restored else {}
        same_nav = nav_print == self.last.nav
        self.nav_print = nav_print
        kept_drawn, last_drawn, prints = self.kept.drawn, self.last.drawn, self.prints
        last_search = self.last.search if self.searched else None
        for file in files.documentation_pages():
            page = file.page
            if page is None:
                continue
            dest = file.dest_uri
            was = last.get(dest)
            drawn = kept_drawn.get(file.src_uri)
            if drawn is not None and isinstance(page, KithPage) and page.shows(drawn):
                self.drawn[dest] = drawn
            else:
                drawn = None
            if (
                was is not None
                and same_nav
                and drawn is not None
                and last_drawn.get(dest) is drawn
                and outside_nav(page)
            ):
                # The drawing shown last time, where nothing around it is drawn from its
                # place: the print as then (each of its parts comes from the drawing,
                # the page's address or the options, the same as the last build's).
                prints[dest] = was[0]
            else:
                prints[dest] = page_print(page, nav_print)
            if was is None or was[0] != prints[dest]:
                continue
            if last_search is not None and dest not in last_search:
                continue
            try:  # where MkDocs would write it (``abs_dest_path``, which a kept page never needs)
                stat = os.stat(os.path.join(self.site_dir, dest))
            except OSError:
                continue
            if (stat.st_size, stat.st_mtime_ns) == was[1:]:
                page.meta = {**page.meta, "template": TEMPLATE}
                page.content = ""  # nobody reads it again: the search plugin's cleanup is free
                self.reused.add(dest)
                self._drop.kept.add(file.src_uri)
        empty = jinja2.DictLoader({TEMPLATE: ""})
        self.files = files
        if self.last.stamp == self.stamp:
            self.compiled = dict(self.last.compiled)
        env.bytecode_cache = _Compiled(self.compiled)
        env.loader = jinja2.ChoiceLoader([empty, env.loader] if env.loader else [empty])
        _BUILD_LOG.addFilter(self._drop)

    def is_kept(self, page: Page) -> bool:
        return page.file.dest_uri in self.reused

    def _indexer(self, index: Any) -> Callable[[Page], None]:
        """The search index's ``add_entry_from_context``, taking a kept page's entries from
        the last build and noting every other page's (Material's index keeps its entries
        in ``entries``, MkDocs' in ``_entries``)."""
        index_page = index.add_entry_from_context
        name = "entries" if isinstance(getattr(index, "entries", None), list) else "_entries"

        def indexed(page: Page) -> None:
            entries: list[dict[str, Any]] = getattr(index, name)
            dest = page.file.dest_uri
            if dest in self.reused:
                # The entries as the last build's index wrote them, accents folded.
                kept = unpack_data(self.last.search[dest], self.kept.zdicts)
                entries.extend(kept)
                self.folded.update(map(id, kept))
                self.search[dest] = self.last.search[dest]
                return
            before = len(entries)
            index_page(page)
            self._fresh[dest] = entries[before:]

        return indexed

    def _let_go(self) -> None:
        """The build is over: the search plugin (which outlives builds under serve) holds
        its index, and through it this writer, no longer; nor does the writer hold the
        build's files, and through them every page."""
        _BUILD_LOG.removeFilter(self._drop)
        for index in self.indexes:
            index.__dict__.pop("add_entry_from_context", None)
        self.indexes, self.nav = [], None
        self.folded = set()

    def finish(self) -> None:
        """Every page is written: remove what the last build wrote and this one did not,
        and leave the record of this build for the next."""
        self._let_go()
        files, self.files = self.files, None
        fresh, self._fresh = self._fresh, {}
        if files is None:
            return
        for dest, entries in fresh.items():  # as the index wrote them: folded
            self.search[dest] = pack_data(entries, self.kept.zdicts)
        dests = {file.dest_uri for file in files}
        if self.restored:
            for dest in set(self.last.files) - dests:
                path = os.path.join(self.site_dir, dest)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                if (stat.st_size, stat.st_mtime_ns) == self.last.files[dest]:
                    os.unlink(path)  # written by the last build, not by this one
                    _remove_empty(os.path.dirname(path), self.site_dir)
        pages: dict[str, tuple[bytes, int, int]] = {}
        written: dict[str, tuple[int, int]] = {}
        last_pages = self.last.pages
        for file in files:
            dest = file.dest_uri
            if dest in self.reused:  # not written: as ``choose`` found it, the last build's
                written[dest] = last_pages[dest][1:]
            else:
                try:
                    stat = os.stat(file.abs_dest_path)
                except OSError:
                    continue
                written[dest] = (stat.st_size, stat.st_mtime_ns)
            if dest in self.prints:
                pages[dest] = (self.prints[dest], *written[dest])
        self.kept.written = Written(
            site_dir=self.site_dir,
            stamp=self.stamp,
            pages=pages,
            search=self.search,
            files=written,
            compiled=self.compiled,
            nav=self.nav_print,
            drawn={dest: d for dest, d in self.drawn.items() if dest in pages},
        )

    def fail(self) -> None:
        """The build stopped: the files set aside go back; the next build checks each."""
        self._let_go()
        self.files, self._fresh = None, {}
        self.put_back()


def _remove_empty(folder: str, top: str) -> None:
    while os.path.normpath(folder) != os.path.normpath(top):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)


def may_keep(config: MkDocsConfig, dirty: bool, encrypted: bool) -> bool:
    """Whether a serve build may keep pages: not dirty, not sealed, only known plugins."""
    unknown = [name for name in config.plugins if name not in KNOWN_PLUGINS]
    if unknown:
        log.debug(f"pages are drawn anew on each rebuild: plugins {unknown} may change them")
    return not dirty and not encrypted and not unknown
