"""The MkDocs plugin: glue between MkDocs' events and kith's plain functions.

With ``page``, the only module that imports MkDocs.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import quote

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from kith.analyses.site import Since, Site, Worked, known_files
from kith.core import config as settings_module
from kith.core.errors import KithError, Problem
from kith.core.grammar import WikiTarget, referenced_files
from kith.core.model import Contact, Network, Note
from kith.git.gitlog import History
from kith.git.history import HistoryCache, Prefetched, prefetch, read_history
from kith.pages.draw import PageDrawer
from kith.pages.followup_pages import FEED_URI, follow_up_feed, interaction_index, site_follow_ups
from kith.pages.links import Resolved, WikiLinkExtension
from kith.pages.registry import DEPENDS, HOME, PAGES, PERSON_ANALYSES, PageSpec
from kith.pages.render import Links, environment, unstash
from kith.pages.sanitize import sanitize
from kith.plugin.addresses import note_dest, page_dest, person_dest
from kith.plugin.page import Converter, KithPage, search_text
from kith.reading.load import is_contact_file, load_files, load_journal
from kith.serve.incremental import Snapshot, identity, mend_limit, pages_to_draw
from kith.serve.session import Drawn, Kept, ServeSession

# Messages start with "path:line:col:" so editors can jump to them; --strict counts warnings.
log = logging.getLogger("mkdocs.plugins.kith")
CSS_URI = "assets/kith.css"


class KithConfig(base.Config):
    """The options under ``plugins: - kith:`` in ``mkdocs.yml``."""

    tiers = c.Type(dict, default={})
    """Tier → follow-up cadence (``30``, ``6w``, ``never``...); merged over the defaults."""
    today = c.Optional(c.Type((str, date)))
    """The date kith calls today (YYYY-MM-DD); default: SOURCE_DATE_EPOCH, else the local date."""
    my_industry = c.Type(str, default="")
    """Your own industry, for the share of your network outside it."""
    core_limit = c.Type(int, default=15)
    """How many people your core circle should hold at most."""
    stale_after = c.Type((int, str), default=365)
    """Contact info checked longer ago than this is stale (days or ``1y``, ``6m``...)."""
    due_soon = c.Type(int, default=14)
    """Follow-ups due within this many days are listed as due soon."""
    favor_kinds = c.Type(dict, default={})
    """Extra log kinds that are favors: alias → ``gave`` or ``received`` (``intro: gave``)."""
    industries = c.Type(dict, default={})
    """Industry alias → the name it is counted under (``Tech: Software``)."""
    templates_dir = c.Type(str, default="templates")
    """Folder (beside mkdocs.yml) whose templates override kith's built-in ones."""
    journal_dir = c.Type(str, default="journal")
    """Folder (beside mkdocs.yml) of dated notes that count as interactions; optional."""


Handler = TypeVar("Handler", bound=Callable[..., Any])


def _timed(handler: Handler) -> Handler:
    """Add the time spent in an event handler to the plugin's own time (for the benchmark)."""

    @functools.wraps(handler)
    def timed(self: KithPlugin, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return handler(self, *args, **kwargs)
        finally:
            self.own_seconds += time.perf_counter() - start

    return cast(Handler, timed)


class KithPlugin(BasePlugin[KithConfig]):
    """Turns the people folder into a wiki of your network."""

    def __init__(self) -> None:
        self.site: Site | None = None
        self.drawer: PageDrawer | None = None
        self.urls: dict[str, str] = {}
        self.contacts: dict[str, Contact] = {}
        self.notes: dict[str, Note] = {}
        self.user_nav = False
        self.current: Page | None = None
        self.files: Files | None = None
        self.attachments: dict[str, File] = {}
        self.own_seconds = 0.0
        """kith's own time in the current build, measured around its event handlers."""
        self.history_seconds = 0.0
        """Of that, the time spent reading the git history."""
        self.session: ServeSession | None = None
        """Under ``mkdocs serve``: what the session keeps between rebuilds."""
        self.kept: Kept | None = None
        """Under ``mkdocs serve``: what this build reads of the last one and leaves for the next."""
        self.converter: Converter | None = None
        self.person_pages: frozenset[str] = frozenset()
        """``src_uri`` of the person pages, once every page is drawn."""
        self.to_draw: frozenset[str] | None = None
        """Person pages this rebuild draws again (``None``: all); the rest are reused."""
        self.indexed = True
        self.drawing: KithPage | None = None
        """The page drawn last, until the next one is: then it is packed (``KithPage``)."""
        self.markdown_settings: Any = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this instance across serve rebuilds,
        # and with it the session; a one-off build keeps nothing (less memory).
        self.session = ServeSession() if command == "serve" else None

    @_timed
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.own_seconds = 0.0
        options = dict(self.config)
        if self.session is not None:
            self.kept = self.session.begin(repr(sorted(options.items(), key=str)))
        try:
            today = settings_module.resolve_today(
                options.get("today"), os.environ, datetime.now().astimezone().date()
            )
            self.settings = settings_module.settings_from_options(
                options, today, _display_dir(config)
            )
        except KithError as err:
            raise PluginError(str(err)) from None
        project = Path(config.config_file_path or ".").parent
        self.templates = (project / self.config.templates_dir).resolve()
        self.env = environment(self.templates)
        self.journal = (project / self.config.journal_dir).resolve()
        self.user_nav = config.nav is not None
        self.indexed = any(name.split("/")[-1] == "search" for name in config.plugins)
        """A search plugin indexes the pages (MkDocs' or Material's)."""
        config.markdown_extensions.append(WikiLinkExtension(resolve=self._resolve))  # type: ignore[arg-type]
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        return config

    @_timed
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # The loaded network lives as long as the build: the cycle collector need not
        # scan it again and again (at 10,000 people, that was a third of a rebuild).
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._files(files, config)
        finally:
            gc.freeze()
            if enabled:
                gc.enable()

    def on_post_build(self, config: MkDocsConfig) -> None:
        gc.unfreeze()  # what the build kept is collectable again, as after any build
        if self.converter is not None:  # rendering kith's pages is kith's time too
            self.own_seconds += self.converter.seconds
        kept, drawer = self.kept, self.drawer
        if self.session is not None and kept is not None and drawer is not None:
            # What the pages drawn now read; the pages reused read what they read before.
            kept.reads.update(drawer.person_reads)
            kept.person_templates.update(drawer.person_templates)
            if kept.snapshot is not None:
                templates = (sorted(kept.person_templates.items()), self.markdown_settings)
                kept.snapshot = replace(kept.snapshot, templates=templates)
            self.session.finish()
        self.kept = None

    def on_build_error(self, error: Exception) -> None:
        gc.unfreeze()
        if self.session is not None:
            self.session.fail()
        self.kept = None

    def _files(self, files: Files, config: MkDocsConfig) -> Files:
        prefetched = prefetch(*self._git_folders(config), self._history_cache)
        prefix = _display_dir(config) + "/"
        sources = [
            (f.src_uri, f.abs_src_path)
            for f in files.documentation_pages()
            if f.abs_src_path and f.generated_by is None and is_contact_file(f.src_uri)
        ]
        cache = self.kept.files if self.kept else None
        network = load_files(sources, prefix, list(self.settings.tiers), cache)
        loaded = {c.src_uri for c in network.contacts}
        for src_uri, _ in sources:
            file = files.get_file_from_path(src_uri)
            if file is None:  # pragma: no cover - it came from this collection
                continue
            if src_uri not in loaded:  # unreadable: its raw YAML must not become a page
                files.remove(file)
        self.contacts = {}
        converter = self.converter = Converter(config)
        for contact in network.contacts:
            file = files.get_file_from_path(contact.src_uri)
            if file is None:  # pragma: no cover
                continue
            if not contact.publish:
                files.remove(file)
                continue
            file.dest_uri = person_dest(contact, config.use_directory_urls)
            file.inclusion = InclusionLevel.NOT_IN_NAV
            KithPage(file, config, converter)
            self.contacts[contact.src_uri] = contact
        notes, note_problems = load_journal(
            self.journal, "journal/", self.config.journal_dir.rstrip("/") + "/"
        )
        network = replace(
            network, notes=tuple(notes), problems=network.problems + tuple(note_problems)
        )
        self.notes = {}
        for note in notes:
            if note.publish:
                path = self.journal / note.src_uri.removeprefix("journal/")
                file = File.generated(config, note.src_uri, abs_src_path=str(path))
                file.dest_uri = note_dest(note, config.use_directory_urls)
                file.inclusion = InclusionLevel.NOT_IN_NAV
                files.append(file)
                KithPage(file, config, converter)
                self.notes[note.src_uri] = note
        history = self._history(config, prefetched)
        kept = self.kept
        carry = kept.carry if kept else None
        rows = kept.rows if kept else None
        self.site = Site(network, self.settings, history, carry=carry, reads=DEPENDS)
        self.drawer = PageDrawer(self.site, self.env, rows, record=kept is not None)
        user_home = files.get_file_from_path("index.md") is not None
        generated: list[File] = []
        for spec in PAGES:
            file = File.generated(config, spec.src_uri, content="")
            file.dest_uri = page_dest(spec, config.use_directory_urls, user_home)
            generated.append(file)
            files.append(file)
            if not self.user_nav:  # kith's navigation: the page bears its title there
                KithPage(file, config, converter, _nav_title(spec, user_home))
        self.urls = {f.src_uri: f.url for f in files.documentation_pages()}
        if kept is not None:
            self._plan_rebuild(config, kept)
        pages = self.drawer.generated_pages(self.urls, kept.pages if kept else None)
        index = interaction_index(self.site) if kept else None
        for file in generated:
            file.content_string = pages[file.src_uri]
        self._drop_unreferenced(files, config, network)
        css = self.env.get_template("kith.css").render()
        files.append(File.generated(config, CSS_URI, content=css))
        memo = kept.events if kept else None
        feed = follow_up_feed(self.site, config.site_url or "", self.urls, memo)
        files.append(File.generated(config, FEED_URI, content=feed))
        self.site.forget(keep=PERSON_ANALYSES)  # memory: the network pages are drawn
        if not self.user_nav:
            config.nav = _navigation(user_home)
        # MkDocs reads and renders pages in this order, and writes none before all are:
        # the network pages first, so that their HTML (the biggest of the site) is
        # packed at once rather than waiting, as Markdown and blocks, for 10,000 people.
        first = set(generated)
        files = Files([*generated, *(f for f in files if f not in first)])
        self.files = files
        others = [f.src_uri for f in files if not f.is_documentation_page()]
        # Obsidian finds an attachment by its path or, when unique enough, its name alone.
        self.attachments = {
            name.casefold(): f
            for f in files
            if not f.is_documentation_page() and f.generated_by is None
            for name in (f.src_uri.rsplit("/", 1)[-1], f.src_uri)
        }
        known = known_files(others)
        checked = self.site.problems_by_file(known)
        for problem in sorted([*network.problems, *(p for f in checked.values() for p in f)]):
            _warn(problem)
        if kept is not None and index is not None:  # what the next rebuild mends
            site = self.site
            kept.worked = Worked(
                dict(self.contacts), site.backlinks, index, site_follow_ups(site), checked, known
            )
        return files

    def _plan_rebuild(self, config: MkDocsConfig, kept: Kept) -> None:
        """Under ``mkdocs serve``: which person pages this build draws again, and whether
        the analyses mend the last build's or start afresh."""
        assert self.site is not None and self.drawer is not None
        drawer = self.drawer
        self.markdown_settings = (
            [e for e in config.markdown_extensions if not isinstance(e, WikiLinkExtension)],
            config.mdx_configs,
        )
        now = {name: drawer.env.template_version(name) for name in kept.person_templates}
        snapshot = Snapshot(
            contacts=dict(self.contacts),
            directory=self.site.directory,
            history=self.site.history,
            notes=self.site.notes,
            today=self.settings.today,
            urls=drawer.urls_version(self.urls),
            templates=(sorted(now.items()), self.markdown_settings),
            options=kept.options,
            private=tuple(identity(c) for c in self.site.network.contacts if not c.publish),
        )
        self.to_draw = pages_to_draw(kept.snapshot, snapshot, kept.reads)
        kept.snapshot = snapshot
        if self.to_draw is None:
            kept.drawn.clear()
            kept.reads.clear()
            kept.person_templates.clear()
        last, kept.worked = kept.worked, None
        if self.to_draw is None or last is None:
            return
        changed = {
            key: contact
            for key, contact in self.contacts.items()
            if last.contacts[key] is not contact and last.contacts[key] != contact
        }
        # Mending costs a little per changed file, starting afresh a little per file of
        # the network: past a share of changed files (a checkout, a sync), start afresh.
        if len(changed) <= mend_limit(len(self.contacts)):
            self.site.since = Since(last, changed)

    @property
    def _history_cache(self) -> HistoryCache | None:
        """Under ``mkdocs serve``: the commits, kept; a one-off build lets them go once
        they are folded into per-file histories."""
        return self.kept.history if self.kept else None

    def _git_folders(self, config: MkDocsConfig) -> tuple[Path, list[str]]:
        """Where git runs, and the folders whose history kith reads (people, journal)."""
        project = Path(config.config_file_path or ".").parent.resolve()
        docs = Path(config.docs_dir).resolve()
        root = project if docs.is_relative_to(project) else docs.parent
        folders = [docs.relative_to(root).as_posix()]
        if self.journal.is_dir() and self.journal.is_relative_to(root):
            folders.append(self.journal.relative_to(root).as_posix())
        return root, folders

    def _history(self, config: MkDocsConfig, prefetched: Prefetched | None) -> History:
        """The git history of the people folder (and the journal): one ``git log``."""
        root, folders = self._git_folders(config)
        start = time.perf_counter()
        history = read_history(root, folders, self._history_cache, prefetched)
        self.history_seconds = time.perf_counter() - start
        if history.note:
            log.info(history.note)
        if history.warning:
            log.warning(history.warning)
        return history.under(folders[0])

    def _drop_unreferenced(self, files: Files, config: MkDocsConfig, network: Network) -> None:
        """Publish a file of the people folder only if a page links or embeds it."""
        candidates = [
            file
            for file in files
            if file.generated_by is None
            and file.src_dir == config.docs_dir  # theme assets come from elsewhere
            and not file.is_documentation_page()
        ]
        if not candidates:  # nothing to keep or drop: no need to read every note
            return
        texts = [c.body for c in network.contacts if c.publish]
        texts += [n.body for n in network.notes if n.publish]
        index = files.get_file_from_path("index.md")
        if index is not None and index.abs_src_path:
            texts.append(Path(index.abs_src_path).read_text(encoding="utf-8", errors="replace"))
        wanted: set[str] = set()
        for text in texts:
            wanted |= referenced_files(text)
        keep = {*config.extra_css, *(str(js) for js in config.extra_javascript)}
        for file in candidates:
            name = file.src_uri.rsplit("/", 1)[-1].casefold()
            if file.src_uri not in keep and name not in wanted:
                files.remove(file)

    @_timed
    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        self._pack()  # the page before is drawn
        if self.drawer is None:
            return None
        contact = self.contacts.get(page.file.src_uri)
        if contact is not None:
            if not isinstance(page, KithPage):  # pragma: no cover - kith made the page
                return self.drawer.person_page(contact, self.urls)
            drawn = self.kept.drawn.get(contact.src_uri) if self.kept else None
            if (
                drawn is not None
                and self.to_draw is not None
                and (contact.src_uri not in self.to_draw)
            ):
                page.reused = drawn
                return drawn.markdown
            drawer, links = self.drawer, Links(self.urls, self.urls[contact.src_uri])
            page.plain = lambda text: drawer.plain_html(text, links)
            return self.drawer.person_page(contact, self.urls)
        note = self.notes.get(page.file.src_uri)
        if note is not None:
            return self.drawer.note_page(note, self.urls)
        return None

    @event_priority(-100)
    @_timed
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # Every page is drawn: writing them needs none of what kith loaded. A one-off
        # build lets it go before the theme writes 10,000 pages (peak memory); under
        # ``mkdocs serve`` the caches keep what the next rebuild reuses anyway.
        self.person_pages = frozenset(self.contacts)
        self._pack()
        if self.kept is None:
            self.site, self.drawer, self.contacts, self.notes, self.urls = None, None, {}, {}, {}
            self.attachments, self.files = {}, None
        return env

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.journal.is_dir():  # outside docs_dir, so MkDocs would not watch it
            server.watch(str(self.journal))
        if self.templates.is_dir():
            server.watch(str(self.templates))
        return server

    @_timed
    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.current = page
        spec = _SPECS.get(page.file.src_uri)
        if spec is not None and not spec.search:
            # Aggregate pages repeat what person pages say: keep the search index
            # proportional to the people, not doubled.
            page.meta["search"] = {"exclude": True}
        return markdown

    @_timed
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Notes may hold pasted HTML: no page of the site runs code from the data.
        # kith's own blocks are built from escaped values and go back in afterwards.
        reused = getattr(page, "reused", None)
        if reused is not None:
            return str(reused.content)
        blocks = self.drawer.stash.pop(page.file.src_uri, []) if self.drawer else []
        assembled = isinstance(page, KithPage) and page.assembled  # nothing to sanitize
        content = unstash(html if assembled else sanitize(html), blocks)
        kept = self.kept
        if kept is not None and page.file.src_uri in self.contacts and isinstance(page, KithPage):
            anchors = page.links_to_anchors or {}
            if all(file is page.file for file in anchors):  # others name last build's files
                assert page.markdown is not None
                kept.drawn[page.file.src_uri] = Drawn(
                    page.markdown,
                    content,
                    page.toc,
                    page._title_from_render,
                    page.present_anchor_ids,
                    dict(anchors.get(page.file, {})),
                )
            else:
                kept.drawn.pop(page.file.src_uri, None)
        if kept is None and isinstance(page, KithPage):
            self.drawing = page  # packed once MkDocs has stored its content
        return content

    def _pack(self) -> None:
        if self.drawing is not None:
            self.drawing.pack()
            self.drawing = None

    @_timed
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if isinstance(page, KithPage):
            page.release()  # written: only the packed copy stays
        return output

    @event_priority(100)  # before the search plugin indexes the page
    @_timed
    def _index_view(
        self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        if not (self.indexed and isinstance(page, KithPage) and page.content):
            return context
        if page.file.src_uri not in self.person_pages:
            return context
        drawn = self.kept.drawn.get(page.file.src_uri) if self.kept else None
        if drawn is not None and drawn.content is page.content:
            if drawn.search is None:
                drawn.search = search_text(page.content)
            page.show(drawn.search)
        else:
            page.show(search_text(page.content))
        return context

    @event_priority(-100)  # after it, before the theme draws the page
    @_timed
    def _page_view(
        self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        if self.indexed and isinstance(page, KithPage) and page.file.src_uri in self.person_pages:
            page.show(None)
            content = page.content
            if content and "data-search-" in content:  # what the search plugin strips
                page.content = _SEARCH_ATTRIBUTE.sub("", content)
        return context

    on_page_context = CombinedEvent(_index_view, _page_view)

    @_timed
    def _resolve(self, target: WikiTarget) -> Resolved:
        """Where ``[[target]]`` on the page being rendered goes (a source path MkDocs rewrites)."""
        if self.site is None or self.current is None:
            return Resolved()
        here = self.current.file.src_uri
        contact = self.site.directory.resolve(target.target)
        if contact is not None:
            return Resolved(href=_relative_src(contact.src_uri, here), text=contact.name)
        if self.site.is_private(target.target):
            return Resolved(private=True)
        file = self.attachments.get(target.target.casefold())
        if file is not None:
            return Resolved(
                href=_relative_src(file.src_uri, here),
                text=target.target,
                image=target.embed and file.is_media_file(),
            )
        return Resolved()


_SPECS = {spec.src_uri: spec for spec in PAGES}
_SEARCH_ATTRIBUTE = re.compile(r'\s?data-search-\w+="[^"]+"')


def _relative_src(target: str, here: str) -> str:
    """A link MkDocs turns into the page's address; quoted, as a file may be named
    ``What? 100% Sure.md``."""
    if "/" not in here:  # a page at the top of the folder, as most person pages are
        return quote(target)
    return quote(os.path.relpath(target, os.path.dirname(here) or ".").replace(os.sep, "/"))


def _display_dir(config: MkDocsConfig) -> str:
    """The docs folder as the user names it (``people``), for messages."""
    project = Path(config.config_file_path or ".").parent
    try:
        return Path(config.docs_dir).relative_to(project.resolve()).as_posix()
    except ValueError:
        return Path(config.docs_dir).as_posix()


def _nav_title(spec: PageSpec, user_home: bool) -> str:
    return "Dashboard" if spec is HOME and user_home else spec.title


def _navigation(user_home: bool) -> list[Any]:
    """The generated pages, grouped: every page of the site renders the navigation."""
    nav: list[Any] = [{"Welcome": "index.md"}] if user_home else []
    sections: dict[str, list[Any]] = {}
    for spec in PAGES:
        title = _nav_title(spec, user_home)
        if not spec.section:
            nav.append({title: spec.src_uri})
            continue
        if spec.section not in sections:
            sections[spec.section] = []
            nav.append({spec.section: sections[spec.section]})
        sections[spec.section].append({title: spec.src_uri})
    return nav


def _warn(problem: Problem) -> None:
    log.warning(str(problem))
