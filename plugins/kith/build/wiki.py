"""The build as a plain function of its inputs, free of MkDocs.

``Wiki`` is one build: it reads the contact files, the journal and the git
history, says which pages exist, and draws each page's Markdown once it is told
every page's address (an engine decides addresses: MkDocs from its own rules,
another engine from its own). ``build`` runs it all in one call and returns
everything to write, for tests and for engines without plugins.

Under ``mkdocs serve``, a ``Kept`` (``kith.serve.session``) carries what the last
finished build left; the build reads it and leaves its own in it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from kith.analyses.interactions import InteractionIndex
from kith.analyses.link_problems import known_files, problems_by_file
from kith.analyses.site import Since, Site, Worked
from kith.core.config import Settings
from kith.core.errors import Problem
from kith.core.grammar import referenced_files
from kith.core.model import Contact, Note
from kith.git.gitlog import History
from kith.git.history import HistoryCache, Prefetched, prefetch, read_history
from kith.pages.draw import PageDrawer
from kith.pages.followup_pages import follow_up_feed, interaction_index, site_follow_ups
from kith.pages.problems import ProblemReport, sort_problems
from kith.pages.registry import DEPENDS, PERSON_ANALYSES
from kith.pages.render import environment
from kith.reading.folder import may_be_private
from kith.reading.load import load_files, load_journal
from kith.serve.incremental import Snapshot, identity, mend_limit, pages_to_draw, rewired
from kith.serve.session import Kept

log = logging.getLogger("mkdocs.plugins.kith")


@dataclass(frozen=True)
class Inputs:
    """What a build reads, as plain paths and values."""

    contact_files: Sequence[tuple[str, str]]
    """``(src_uri, path)`` of the Markdown files of the people folder that are contacts."""
    settings: Settings
    templates: Path
    """The user's templates folder (it may not exist)."""
    journal: Path
    """The journal folder (it may not exist)."""
    journal_shown: str = "journal/"
    """The journal folder as the user names it, for messages."""
    git_root: Path | None = None
    """Where git runs; ``None``: no history."""
    git_folders: Sequence[str] = ()
    """The folders whose history kith reads, relative to ``git_root`` (people first)."""


@dataclass(frozen=True)
class Output:
    """Everything a build writes, by source path; Markdown pages with their HTML blocks
    (``page_markdown.unstash`` puts them back once the engine has rendered the Markdown)."""

    pages: Mapping[str, tuple[str, tuple[str, ...]]]
    feed: bytes
    css: str
    problems: tuple[Problem, ...]
    reused: frozenset[str] = frozenset()
    """Person pages taken over from the last build, not drawn again."""


@dataclass
class Wiki:
    """One build of the wiki, from reading to drawing."""

    inputs: Inputs
    kept: Kept | None = None
    """Under ``mkdocs serve``: what the last build left, and this one leaves."""
    history_seconds: float = 0.0
    """Time spent reading the git history (for the benchmark)."""
    to_draw: frozenset[str] | None = None
    """Person pages this rebuild draws again (``None``: all); the rest may be reused."""
    problems: tuple[Problem, ...] = ()
    """Problems found while reading (link problems come with ``link_problems``)."""
    report: ProblemReport = field(default_factory=ProblemReport)
    """Every problem as the site may show it (``all_problems`` sorts them)."""
    _unread: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _markdown_settings: Any = None
    _prefetched: Prefetched | None = field(default=None, repr=False)
    _index: InteractionIndex | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        inputs, kept = self.inputs, self.kept
        if inputs.git_root is not None:  # git runs while the files are read
            self._prefetched = prefetch(inputs.git_root, inputs.git_folders, self._history_cache)
        settings = inputs.settings
        network = load_files(
            inputs.contact_files,
            settings.people_dir + "/",
            list(settings.tiers),
            kept.files if kept else None,
        )
        notes, note_problems = load_journal(inputs.journal, "journal/", inputs.journal_shown)
        network = replace(
            network, notes=tuple(notes), problems=network.problems + tuple(note_problems)
        )
        self.problems = network.problems
        read = {c.src_uri for c in network.contacts}
        self._unread = {  # few: the files that made nobody (broken, unreadable)
            f"{settings.people_dir}/{src_uri}": (path, src_uri)
            for src_uri, path in inputs.contact_files
            if src_uri not in read
        }
        self.site = Site(
            network,
            settings,
            self._history(),
            carry=kept.carry if kept else None,
            reads=DEPENDS,
            memo=kept.memos if kept else None,
        )
        self.drawer = PageDrawer(
            self.site,
            environment(inputs.templates.resolve()),
            kept.rows if kept else None,
            record=kept is not None,
            fragments=kept.fragments if kept else None,
        )

    @property
    def _history_cache(self) -> HistoryCache | None:
        """Under ``mkdocs serve``: the commits, kept; a one-off build lets them go once
        they are folded into per-file histories."""
        return self.kept.history if self.kept else None

    def _history(self) -> History | None:
        inputs = self.inputs
        if inputs.git_root is None:
            return None
        start = time.perf_counter()
        history = read_history(
            inputs.git_root, inputs.git_folders, self._history_cache, self._prefetched
        )
        self._prefetched = None
        self.history_seconds = time.perf_counter() - start
        if history.note:
            log.info(history.note)
        if history.warning:
            log.warning(history.warning)
        return history.under(inputs.git_folders[0])

    @property
    def people(self) -> tuple[Contact, ...]:
        """The published contacts: one page each."""
        return self.site.people

    @property
    def notes(self) -> tuple[Note, ...]:
        """The published journal notes: one page each."""
        return self.site.notes

    @cached_property
    def notes_by_src_uri(self) -> Mapping[str, Note]:
        return {n.src_uri: n for n in self.site.notes}

    def plan(
        self,
        urls: Mapping[str, str],
        markdown_settings: Any = (),
        other_files: Sequence[str] = (),
    ) -> None:
        """Under ``mkdocs serve``: which person pages this build draws again, and whether
        the analyses mend the last build's or start afresh. ``urls``: every page's
        address; ``markdown_settings``: what else shapes a page's HTML; ``other_files``:
        the files of the people folder that are not pages (what a link may also name)."""
        kept = self.kept
        if kept is None:
            return
        site, drawer = self.site, self.drawer
        self._markdown_settings = markdown_settings
        contacts = site.by_src_uri
        now = {name: drawer.env.template_version(name) for name in kept.person_templates}
        snapshot = Snapshot(
            contacts=dict(contacts),
            directory=site.directory,
            history=site.history,
            notes=site.notes,
            today=site.settings.today,
            urls=drawer.urls_version(urls),
            addresses=dict(urls),
            templates=(sorted(now.items()), markdown_settings),
            options=kept.options,
            private=tuple(identity(c) for c in site.network.contacts if not c.publish),
            other=frozenset(other_files),
        )
        last_snapshot, wired = kept.snapshot, None
        if last_snapshot is not None and last_snapshot.contacts.keys() != contacts.keys():
            wired = rewired(last_snapshot, snapshot)  # someone came or went
        self.to_draw = pages_to_draw(last_snapshot, snapshot, kept.reads, wired)
        kept.snapshot = snapshot
        if self.to_draw is None:
            kept.drawn.clear()
            kept.markdown.clear()
            kept.reads.clear()
            kept.person_templates.clear()
        last, kept.worked = kept.worked, None
        if self.to_draw is None or last is None or last_snapshot is None:
            return
        changed = {
            key: contact
            for key, contact in contacts.items()
            if key not in last.contacts
            or (last.contacts[key] is not contact and last.contacts[key] != contact)
        }
        gone = frozenset(last.contacts.keys() - contacts.keys())
        directory = None
        if last.contacts.keys() != contacts.keys():
            # Someone came or went: the files whose links now lead elsewhere changed
            # too; if a journal note's do, the analyses start afresh.
            if wired is None or wired.notes:
                return
            changed.update((key, contacts[key]) for key in wired.owners)
            directory = last_snapshot.directory
        # Mending costs a little per changed file, starting afresh a little per file of
        # the network: past a share of changed files (a checkout, a sync), start afresh.
        if len(changed) + len(gone) <= mend_limit(len(contacts)):
            site.since = Since(last, changed, gone, directory)

    def reusable(self, src_uri: str) -> bool:
        """Whether the last build's page of this person is this build's page too."""
        return self.to_draw is not None and src_uri not in self.to_draw

    def generated_pages(self, urls: Mapping[str, str]) -> dict[str, str]:
        """``src_uri`` → Markdown of every generated page (their blocks: ``stash``)."""
        return self.drawer.generated_pages(urls, self.kept.pages if self.kept else None)

    def feed(self, site_url: str, urls: Mapping[str, str]) -> bytes:
        """The calendar of due follow-ups; events link to pages when the site's address
        is known."""
        return follow_up_feed(self.site, site_url, urls, self.kept.events if self.kept else None)

    def css(self) -> str:
        return self.drawer.env.get_template("kith.css").render()

    def network_pages_drawn(self) -> None:
        """The generated pages are drawn: let go of the analyses only they read (under
        serve, the interaction index is kept for the next rebuild to mend)."""
        if self.kept is not None:
            self._index = interaction_index(self.site)
        self.site.forget(keep=PERSON_ANALYSES)
        self.inputs = replace(self.inputs, contact_files=())  # placed: memory back

    def referenced(self, home_text: str | None = None) -> set[str]:
        """The names of the files (attachments) the published pages link or embed."""
        texts = [c.body for c in self.site.people]
        texts += [n.body for n in self.site.notes]
        if home_text is not None:
            texts.append(home_text)
        wanted: set[str] = set()
        for text in texts:
            wanted |= referenced_files(text)
        return wanted

    def link_problems(self, other_files: Sequence[str]) -> list[Problem]:
        """Wikilinks and introducers that point to nobody; ``other_files``: the files a
        link may also name. Under serve, what the next rebuild mends is kept too."""
        known = known_files(other_files)
        site = self.site
        checked = problems_by_file(site, known)
        kept = self.kept
        if kept is not None:
            kept.worked = Worked(
                dict(site.by_src_uri),
                site.backlinks,
                self._index if self._index is not None else interaction_index(site),
                site_follow_ups(site),
                checked,
                known,
            )
        return [p for found in checked.values() for p in found]

    def all_problems(self, other_files: Sequence[str]) -> list[Problem]:
        """Every problem of the build, in file and line order; ``report`` holds them as
        the site may show them."""
        found = sorted([*self.problems, *self.link_problems(other_files)])
        self.report = self._sorted_problems(found)
        return found

    def _sorted_problems(self, problems: Sequence[Problem]) -> ProblemReport:
        inputs, site, files = self.inputs, self.site, self._unread
        published = {c.path for c in site.people} | {n.path for n in site.notes}
        everyone = {c.path for c in site.network.contacts} | {n.path for n in site.network.notes}

        def may_be(path: str) -> bool:
            if path in files:
                return may_be_private(*files[path])
            relative = path.removeprefix(inputs.journal_shown)
            journal = inputs.journal / relative
            return relative == path or may_be_private(journal, relative)

        return sort_problems(problems, published, everyone - published, may_be)

    def unreadable_people(self) -> dict[str, tuple[str, tuple[Problem, ...]]]:
        """``src_uri`` → (title, problems) of the contact files read as nobody that the
        site may name: each gets a page saying why, at its person's address."""
        found: dict[str, tuple[str, tuple[Problem, ...]]] = {}
        for path, (_, src_uri) in sorted(self._unread.items()):
            problems = self.report.of(path)
            if problems:
                found[src_uri] = (src_uri.rsplit("/", 1)[-1].removesuffix(".md"), problems)
        return found

    def person_page(self, src_uri: str, urls: Mapping[str, str]) -> str:
        return self.drawer.person_page(self.site.by_src_uri[src_uri], urls)

    def note_page(self, note: Note, urls: Mapping[str, str]) -> str:
        return self.drawer.note_page(note, urls)

    def blocks(self, src_uri: str) -> list[str]:
        """The HTML blocks taken out of a drawn page's Markdown, handed over once."""
        return self.drawer.stash.pop(src_uri, [])

    def finish(self) -> None:
        """Every page is written: what the pages drawn now read goes into ``kept`` (the
        pages reused read what they read before)."""
        kept, drawer = self.kept, self.drawer
        if kept is None:
            return
        kept.reads.update(drawer.person_reads)
        kept.person_templates.update(drawer.person_templates)
        if kept.snapshot is not None:
            templates = (sorted(kept.person_templates.items()), self._markdown_settings)
            kept.snapshot = replace(kept.snapshot, templates=templates)


def build(
    inputs: Inputs,
    addresses: Callable[[Wiki], Mapping[str, str]],
    kept: Kept | None = None,
    *,
    site_url: str = "",
    other_files: Sequence[str] = (),
) -> Output:
    """The whole build in one call: every page's Markdown and blocks, the feed, the style
    sheet and the problems. ``addresses`` gives every page's address once the build
    knows which pages exist. With ``kept``, a rebuild: person pages whose inputs did not
    change are the last build's, and ``kept`` learns from this one."""
    wiki = Wiki(inputs, kept)
    urls = addresses(wiki)
    wiki.plan(urls, other_files=other_files)
    pages: dict[str, tuple[str, tuple[str, ...]]] = {}
    for src_uri, markdown in wiki.generated_pages(urls).items():
        pages[src_uri] = (markdown, tuple(wiki.blocks(src_uri)))
    feed = wiki.feed(site_url, urls)
    wiki.network_pages_drawn()
    problems = wiki.all_problems(other_files)
    reused: set[str] = set()
    for contact in wiki.people:
        last = kept.markdown.get(contact.src_uri) if kept else None
        if last is not None and wiki.reusable(contact.src_uri):
            pages[contact.src_uri] = last
            reused.add(contact.src_uri)
            continue
        markdown = wiki.person_page(contact.src_uri, urls)
        pages[contact.src_uri] = (markdown, tuple(wiki.blocks(contact.src_uri)))
        if kept is not None:
            kept.markdown[contact.src_uri] = pages[contact.src_uri]
    for note in wiki.notes:
        pages[note.src_uri] = (wiki.note_page(note, urls), tuple(wiki.blocks(note.src_uri)))
    wiki.finish()
    return Output(pages, feed, wiki.css(), tuple(sorted(problems)), frozenset(reused))
