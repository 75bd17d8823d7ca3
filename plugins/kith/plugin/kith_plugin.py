"""The MkDocs plugin: glue between MkDocs' events and kith's plain functions.

Each event hands over to one function: the build (``kith.build.Wiki``), the
placing of its pages among MkDocs' files (``files``), the search view
(``search``). With the rest of ``kith.plugin``, the only code that imports MkDocs.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kith.build.wiki import Wiki
from kith.core import config as settings_module
from kith.core.errors import KithError
from kith.core.grammar import WikiTarget
from kith.pages.links import Resolved, WikiLinkExtension
from kith.pages.registry import PAGES
from kith.pages.render import Links, unstash
from kith.pages.sanitize import sanitize
from kith.plugin import files as placing
from kith.plugin import search
from kith.plugin.addresses import relative_src
from kith.plugin.options import KithConfig
from kith.plugin.page import Converter, KithPage
from kith.serve.session import Drawn, Kept, ServeSession

# Messages start with "path:line:col:" so editors can jump to them; --strict counts warnings.
log = logging.getLogger("mkdocs.plugins.kith")
Handler = TypeVar("Handler", bound=Callable[..., Any])
_UNSEARCHED = frozenset(spec.src_uri for spec in PAGES if not spec.search)
"""Aggregate pages repeat what person pages say: the search index stays proportional
to the people, not doubled."""


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
        self.session: ServeSession | None = None
        """Under ``mkdocs serve``: what the session keeps between rebuilds."""
        self.kept: Kept | None = None
        """Under serve: what this build reads of the last one and leaves for the next."""
        self.wiki: Wiki | None = None
        self.urls: dict[str, str] = {}
        self.current: Page | None = None
        self.attachments: dict[str, File] = {}
        self.converter: Converter | None = None
        self.drawing: KithPage | None = None
        """The page drawn last, until the next one is: then it is packed (``KithPage``)."""
        self.indexed = True
        """A search plugin indexes the pages (MkDocs' or Material's)."""
        self.own_seconds = 0.0
        """kith's own time in the current build, measured around its event handlers."""
        self.history_seconds = 0.0

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
        self.journal = (project / self.config.journal_dir).resolve()
        self.user_nav = config.nav is not None
        self.indexed = any(name.split("/")[-1] == "search" for name in config.plugins)
        config.markdown_extensions.append(WikiLinkExtension(resolve=self._resolve))  # type: ignore[arg-type]
        if placing.CSS_URI not in config.extra_css:
            config.extra_css.append(placing.CSS_URI)
        return config

    @_timed
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # The loaded network lives as long as the build: the cycle collector need not
        # scan it again and again (at 10,000 people, that was a third of a rebuild).
        enabled = gc.isenabled()
        gc.disable()
        try:
            inputs = placing.inputs(
                files, config, self.settings, self.templates, self.journal,
                self.config.journal_dir,
            )  # fmt: skip
            wiki = self.wiki = Wiki(inputs, self.kept)
            self.history_seconds = wiki.history_seconds
            self.converter = Converter(config)
            files = placing.place(files, config, wiki, self.converter, self.user_nav)
            self.urls = {f.src_uri: f.url for f in files.documentation_pages()}
            self.attachments = placing.attachments(files)
            for problem in sorted(
                [*wiki.problems, *wiki.link_problems(placing.other_files(files))]
            ):
                log.warning(str(problem))
            return files
        finally:
            gc.freeze()
            if enabled:
                gc.enable()

    def on_post_build(self, config: MkDocsConfig) -> None:
        gc.unfreeze()  # what the build kept is collectable again, as after any build
        if self.converter is not None:  # rendering kith's pages is kith's time too
            self.own_seconds += self.converter.seconds
        if self.wiki is not None:
            self.wiki.finish()
        if self.session is not None:
            self.session.finish()
        self.kept, self.wiki = None, None

    def on_build_error(self, error: Exception) -> None:
        gc.unfreeze()
        if self.session is not None:
            self.session.fail()
        self.kept, self.wiki = None, None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in (self.journal, self.templates):  # outside docs_dir: MkDocs would not watch
            if folder.is_dir():
                server.watch(str(folder))
        return server

    @_timed
    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        self._pack()  # the page before is drawn
        wiki, src_uri = self.wiki, page.file.src_uri
        if wiki is None:
            return None
        if src_uri in wiki.site.by_src_uri:
            drawn = placing.kept_page(self.kept, wiki, src_uri)
            if drawn is not None and isinstance(page, KithPage):
                page.reused = drawn
                return drawn.markdown
            if isinstance(page, KithPage):
                drawer, links = wiki.drawer, Links(self.urls, self.urls[src_uri])
                page.plain = lambda text: drawer.plain_html(text, links)
            return wiki.person_page(src_uri, self.urls)
        note = wiki.notes_by_src_uri.get(src_uri)
        return wiki.note_page(note, self.urls) if note is not None else None

    @event_priority(-100)
    @_timed
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # Every page is drawn: writing them needs none of what kith loaded. A one-off
        # build lets it go before the theme writes 10,000 pages (peak memory).
        self._pack()
        if self.kept is None:
            self.wiki, self.urls, self.attachments = None, {}, {}
        return env

    @_timed
    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.current = page
        if page.file.src_uri in _UNSEARCHED:
            page.meta["search"] = {"exclude": True}
        return markdown

    @_timed
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Notes may hold pasted HTML: no page of the site runs code from the data.
        # kith's own blocks are built from escaped values and go back in afterwards.
        if not isinstance(page, KithPage):
            return unstash(sanitize(html), self.wiki.blocks(page.file.src_uri) if self.wiki else [])
        if page.reused is not None:
            return page.reused.content
        blocks = self.wiki.blocks(page.file.src_uri) if self.wiki else []
        content = unstash(html if page.assembled else sanitize(html), blocks)
        if self.kept is not None and page.is_person:
            self._keep(page, content, self.kept)
        elif self.kept is None:
            self.drawing = page  # packed once MkDocs has stored its content
        return content

    def _keep(self, page: KithPage, content: str, kept: Kept) -> None:
        """Under serve: the drawn person page, for the next rebuild to reuse."""
        anchors = page.links_to_anchors or {}
        if any(file is not page.file for file in anchors):  # they name this build's files
            kept.drawn.pop(page.file.src_uri, None)
            return
        assert page.markdown is not None
        kept.drawn[page.file.src_uri] = Drawn(
            page.markdown, content, page.toc, page._title_from_render,
            page.present_anchor_ids, dict(anchors.get(page.file, {})),
        )  # fmt: skip

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
    def _index_view(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        if self.indexed and isinstance(page, KithPage) and page.is_person:
            kept = self.kept
            search.show_to_search(page, kept.drawn.get(page.file.src_uri) if kept else None)
        return context

    @event_priority(-100)  # after it, before the theme draws the page
    @_timed
    def _page_view(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        if self.indexed and isinstance(page, KithPage) and page.is_person:
            search.show_to_theme(page)
        return context

    on_page_context = CombinedEvent(_index_view, _page_view)

    @_timed
    def _resolve(self, target: WikiTarget) -> Resolved:
        """Where ``[[target]]`` on the page being rendered goes (a source path MkDocs rewrites)."""
        if self.wiki is None or self.current is None:
            return Resolved()
        here, site = self.current.file.src_uri, self.wiki.site
        contact = site.directory.resolve(target.target)
        if contact is not None:
            return Resolved(href=relative_src(contact.src_uri, here), text=contact.name)
        if site.is_private(target.target):
            return Resolved(private=True)
        file = self.attachments.get(target.target.casefold())
        if file is None:
            return Resolved()
        image = target.embed and file.is_media_file()
        return Resolved(href=relative_src(file.src_uri, here), text=target.target, image=image)


def _display_dir(config: MkDocsConfig) -> str:
    """The docs folder as the user names it (``people``), for messages."""
    project = Path(config.config_file_path or ".").parent
    try:
        return Path(config.docs_dir).relative_to(project.resolve()).as_posix()
    except ValueError:
        return Path(config.docs_dir).as_posix()
