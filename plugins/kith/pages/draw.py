"""Drawing pages: a person's, a journal note's and every generated page, as Markdown.

Free of MkDocs: the adapter hands in the ``Site`` and the address of every page,
and gets back Markdown strings whose HTML blocks wait in ``stash`` (``page_markdown.unstash``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial
from typing import Any

from markupsafe import Markup, escape

from kith.analyses.site import Site, same_value
from kith.core.errors import TemplateFailure
from kith.core.model import SHOWN, Contact, Note
from kith.core.packing import pack_data, unpack_data
from kith.pages.fragments import FragmentDrawer, Fragments
from kith.pages.inline import TextDrawer
from kith.pages.page_markdown import note_markdown, person_markdown, stash_html
from kith.pages.registry import PAGES, PERSON_SECTIONS, ROW_LIMIT, PageSpec
from kith.pages.render import (
    KithEnvironment,
    Reads,
    StaleRead,
    TemplateVersion,
    render,
    same_field,
)
from kith.pages.urls import Links


@dataclass
class RowMemo:
    """The People table's rows as last drawn, kept across the rebuilds of a serve session."""

    where: tuple[int, str] = (0, "")
    """The page addresses (``Site.urls_version``) and the page they were drawn on."""
    rows: dict[str, tuple[Contact, date | None, str]] = field(default_factory=dict)
    """``src_uri`` → (the contact, its last contact, its row)."""


PageCache = dict[str, tuple[Any, bytes, Mapping[str, TemplateVersion], frozenset[str]]]
"""``src_uri`` → (the data the page was drawn from, its Markdown and HTML blocks packed
(``pack_data``), the templates it rendered as they were then, and the fields of contacts
they read)."""


_NOBODY: frozenset[str] = frozenset()
"""One empty set for every page that shows no other person: 10,000 in a session."""


class PageDrawer(TextDrawer):
    """Draws the pages of one build from its ``Site`` with one Jinja environment."""

    def __init__(
        self,
        site: Site,
        env: KithEnvironment,
        rows: RowMemo | None = None,
        *,
        record: bool = True,
        fragments: Fragments | None = None,
    ) -> None:
        self.site = site
        self.record = record
        """Note what each page read (``Reads``), for a serve rebuild to compare."""
        self.env = env
        env.begin_build()
        self.rows = rows
        """The People table's rows as last drawn, in a serve session."""
        me = weakref.ref(self)  # no cycle: the drawer is freed once the build lets it go
        self.fragments = FragmentDrawer(
            env,
            lambda: me()._current,  # type: ignore[union-attr]
            fragments,
            lambda text: me()._led(text),  # type: ignore[union-attr]
        )
        """The parts of generated pages drawn with ``kept``, kept in a serve session."""
        self.stash: dict[str, list[str]] = {}
        """``src_uri`` → the HTML blocks taken out of that page's Markdown (``unstash``)."""
        self._url_versions: dict[int, int] = {}
        self.person_templates: dict[str, TemplateVersion] = {}
        """The templates the person pages drawn so far rendered (includes too)."""
        self.person_reads: dict[str, frozenset[str]] = {}
        """Person page drawn → the other people whose fields its templates showed (its
        own person's edits redraw it anyway; most pages show nobody else)."""

    def person_page(self, contact: Contact, urls: Mapping[str, str]) -> str:
        """The Markdown of a person's page (its HTML blocks go to ``stash``).

        In a serve session, the plugin reuses pages whose data did not change
        (``incremental``); this draws one.
        """
        return self._checked(lambda check: self._person_page(contact, urls, check=check))

    def _checked(self, draw: Callable[[bool], str]) -> str:
        """``draw(check)``: a page drawn checking that every field it shows of a contact
        is this build's (``StaleRead``). If one is not, the carried results that may be
        are given this build's contacts and the page is drawn again; failing that, from
        analyses worked out afresh, unchecked."""
        try:
            return draw(True)
        except StaleRead:
            pass
        if self.site.rebase():
            try:
                return draw(True)
            except StaleRead:
                pass
        self.site.afresh()
        return draw(False)

    def _person_page(self, contact: Contact, urls: Mapping[str, str], *, check: bool) -> str:
        links = Links(urls, urls[contact.src_uri])
        context: dict[str, Any] = {
            "links": links,
            "introducer": self.site.directory.resolve(contact.introduced_by),
            "introducer_private": bool(contact.introduced_by)
            and self.site.is_private(contact.introduced_by),
            "introduced": self.site.introduced.get(contact.src_uri, ()),
            "backlinks": self.site.backlinks.get(contact.src_uri, ()),
            "settings": self.site.settings,
            "today": self.site.settings.today,
            "markdown": lambda text: self.inline(text, links),
        }
        for section in PERSON_SECTIONS:
            context.update(section(self.site, contact))
        blocks = self.stash[contact.src_uri] = []
        with self._reading(check) as reads:
            try:
                markdown = person_markdown(contact, self.env, context, blocks)
            except TemplateFailure as failure:
                raise failure.drawing(contact.path) from failure.error
        if self.record:
            self.person_templates.update(reads.templates)
            others = frozenset(reads.contacts) - {contact.src_uri}
            self.person_reads[contact.src_uri] = others or _NOBODY
        return markdown

    @cached_property
    def _current(self) -> Mapping[str, Contact]:
        """This build's contacts (private ones too), by ``src_uri``."""
        return {c.src_uri: c for c in self.site.network.contacts}

    @contextmanager
    def _reading(self, check: bool = True) -> Iterator[Reads]:
        """What the templates rendered inside read (``Reads``); ``check``: a field read of
        a contact as the last build read it must read as this build's does (``StaleRead``).
        (kith's own helpers that templates call, such as ``people_rows`` and the graph's
        drawing, read only what the analyses read: a carried result's contacts show the
        same there.)"""
        if not self.record:  # a one-off build: nothing will be compared
            yield Reads()
            return
        reads = Reads(self._current if check else None)
        self.env.reads, SHOWN.whole = reads, self.env.shown_whole
        try:
            yield reads
        finally:
            self.env.reads, SHOWN.whole = None, None

    def people_rows(
        self, people: Iterable[Contact], follow_ups: Mapping[str, Any], links: Links
    ) -> Markup:
        """The People table's rows, one per person: name, company, role, industries, tier
        and last contact. In Python rather than the template: at 10,000 people the rows
        are most of the page, and a rebuild draws again only the rows that changed."""
        memo = self.rows
        where = (self.urls_version(links.urls), links.here)
        last_rows = memo.rows if memo is not None and memo.where == where else {}
        rows: dict[str, tuple[Contact, date | None, str]] = {}
        for contact in people:
            last = follow_ups[contact.src_uri].last_contact
            hit = last_rows.get(contact.src_uri)
            if hit is not None and hit[0] is contact and hit[1] == last:
                rows[contact.src_uri] = hit
                continue
            tier = "archived" if contact.archived else contact.tier
            row = (
                f'<tr><td><a href="{escape(links.person(contact))}">{escape(contact.name)}</a>'
                f"</td><td>{escape(contact.company)}</td><td>{escape(contact.role)}</td>"
                f"<td>{escape(', '.join(contact.industries))}</td><td>{escape(tier)}</td>"
                f"<td>{f'<time>{last}</time>' if last else ''}</td></tr>"
            )
            rows[contact.src_uri] = (contact, last, row)
        if memo is not None:
            memo.where, memo.rows = where, rows
        return Markup("\n".join(row for _, _, row in rows.values()))

    def urls_version(self, urls: Mapping[str, str]) -> int:
        """A fingerprint of every page address, computed once per build."""
        versions = self._url_versions
        if id(urls) not in versions:
            versions[id(urls)] = hash(tuple(urls.items()))  # in the files' order, as found
        return versions[id(urls)]

    def note_page(self, note: Note, urls: Mapping[str, str]) -> str:
        """The Markdown of a journal note's page: its date, then its text."""
        links = Links(urls, urls[note.src_uri])
        blocks = self.stash[note.src_uri] = []
        context = {"links": links, "settings": self.site.settings}
        return note_markdown(note, self.env, context, blocks)

    def generated_pages(
        self, urls: Mapping[str, str], cache: PageCache | None = None
    ) -> dict[str, str]:
        """``src_uri`` → Markdown of every generated page.

        With a ``cache`` (kept across the rebuilds of a serve session), a page whose data is
        equal to last time's is not drawn again.
        """
        pages: dict[str, str] = {}
        for spec in PAGES:
            pages[spec.src_uri] = self._checked(partial(self._generated, spec, urls, cache))
        return pages

    def _shows_alike(self, fields: frozenset[str]) -> bool:
        """Whether a page whose data is as last time's, and which read ``fields`` of the
        contacts it showed, shows them as then: a result carried over holds the last
        build's contacts, alike in what its analysis read, not in the rest."""
        if not fields:
            return True
        since = self.site.since
        if since is None:  # not known which contacts changed
            return False
        before = since.before
        return all(
            same_field(before[key], contact, name)
            for key, contact in since.after.items()
            if key in before
            for name in fields
        )

    def _generated(
        self, spec: PageSpec, urls: Mapping[str, str], cache: PageCache | None, check: bool
    ) -> str:
        links = Links(urls, urls[spec.src_uri])
        context: dict[str, Any] = {
            "page": spec,
            "title": spec.title,
            "row_limit": ROW_LIMIT,
            "pages": PAGES,
            "links": links,
            "markdown": lambda text, links=links: self.inline(text, links),
            "people_rows": lambda people, states, links=links: self.people_rows(
                people, states, links
            ),
            "settings": self.site.settings,
            "today": self.site.settings.today,
            **self.site.cached(spec.context),
        }
        context["kept"] = lambda name, slot, **values: self.fragments.draw(
            spec.src_uri, context, name, slot, values
        )
        try:
            return self._drawn(spec, urls, cache, context, check=check)
        finally:
            context.clear()  # ``kept`` holds the context: no cycle is left behind

    def _drawn(
        self,
        spec: PageSpec,
        urls: Mapping[str, str],
        cache: PageCache | None,
        context: dict[str, Any],
        *,
        check: bool,
    ) -> str:
        """A generated page drawn from ``context``, or the last build's, if drawn from the
        same data, the same templates and contacts showing the same."""
        links = context["links"]
        key = (
            self.urls_version(urls),
            self.site.private_names,  # a link to one of them shows as plain text
            self.site.names_version,  # what a link in a note's text leads to (``markdown``)
            # Helpers (links, drawing functions) draw from data that is in the key.
            tuple((k, v) for k, v in context.items() if not callable(v) and k != "links"),
        )
        hit = cache.get(spec.src_uri) if cache is not None else None
        if (
            hit is not None
            and same_value(hit[0], key)
            and all(self.env.template_version(n) == v for n, v in hit[2].items())
            and self._shows_alike(hit[3])
        ):
            markdown, blocks = unpack_data(hit[1])
            self.stash[spec.src_uri] = list(blocks)
            return str(markdown)
        # What a kept part of the page is drawn from besides its values: the page's
        # place and the options; and, for a part that read every address, all of them.
        names = (self.site.names_version, self.site.private_names)
        self.fragments.begin(spec.src_uri, (links.here, self.site.settings), (key[0],), names)
        with self._reading(check) as reads:
            output = render(self.env.get_template(spec.template), context)
        self.fragments.end(spec.src_uri)
        blocks = self.stash[spec.src_uri] = []
        markdown = stash_html(output, blocks)
        if cache is not None:
            packed = pack_data((markdown, tuple(blocks)))
            cache[spec.src_uri] = (key, packed, reads.templates, frozenset(reads.fields))
        return markdown
