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
from typing import Any, TypeVar, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kith.build.wiki import Wiki
from kith.core.config import hosting_warning
from kith.core.errors import TemplateFailure
from kith.core.grammar import WikiTarget
from kith.pages.links import Resolved, WikiLinkExtension
from kith.pages.registry import PAGES
from kith.plugin import encrypt as locking
from kith.plugin import files as placing
from kith.plugin import partials, search, syntax, written
from kith.plugin.options import KithConfig, plugin_settings
from kith.plugin.page import Converter, KithPage
from kith.plugin.theme import name_search_dialog
from kith.serve.session import Kept, ServeSession

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
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return handler(self, *args, **kwargs)
        except TemplateFailure as failure:  # one line naming template and page, no traceback
            raise PluginError(str(failure)) from None
        finally:
            self.own_seconds += time.perf_counter() - start
            self.own_cpu_seconds += time.process_time() - cpu

    return cast(Handler, timed)


class KithPlugin(BasePlugin[KithConfig]):
    """Turns the people folder into a wiki of your network."""

    def __init__(self) -> None:
        self.session: ServeSession | None = None
        """Under ``mkdocs serve``: what the session keeps between rebuilds."""
        self.collector: placing.Collector | None = None
        """Under serve: frees the last build's pages between builds."""
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
        self.own_cpu_seconds = 0.0
        """The same as processor time: without the waits for the disk."""
        self.history_seconds = 0.0
        self.lock: locking.Lock | None = None
        """``encrypt: true``: the keys the pages, the search index and the files are sealed with."""
        self.dirty = False
        self.writer: written.Writer | None = None
        """Under serve: the pages the theme keeps as the last build wrote them."""
        self.nav: Any = None
        """This build's navigation, until the theme's partials are told what is in it."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this instance across serve rebuilds,
        # and with it the session; a one-off build keeps nothing (less memory).
        self.session = ServeSession() if command == "serve" else None
        self.collector = placing.Collector() if command == "serve" else None
        self.dirty = dirty

    @_timed
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.own_seconds = self.own_cpu_seconds = 0.0
        options = dict(self.config)
        if self.collector is not None:  # the last build's garbage, before ``on_files``
            self.collector.before_build()
        if self.session is not None:
            self.kept = self.session.begin(repr(sorted(options.items(), key=str)))
        self.settings, self.templates, self.journal = plugin_settings(options, config)
        self.lock = locking.site_lock(os.environ) if self.settings.encrypt else None
        if self.lock is not None:
            locking.without_instant_loading(config)
        self.user_nav = config.nav is not None
        self.indexed = any(name.split("/")[-1] == "search" for name in config.plugins)
        syntax.ensure_obsidian_syntax(config)
        config.markdown_extensions.append(WikiLinkExtension(resolve=self._resolve))  # type: ignore[arg-type]
        if placing.CSS_URI not in config.extra_css:
            config.extra_css.append(placing.CSS_URI)
        keeps = self.kept is not None and written.may_keep(config, self.dirty, bool(self.lock))
        self.writer = written.Writer(self.kept, config) if self.kept and keeps else None
        return config

    @_timed
    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.writer is not None:  # before MkDocs cleans the site folder
            self.writer.set_aside()

    @_timed
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.writer is not None:
            self.writer.put_back()
        with placing.collector_paused():
            shown = str(self.config.journal_dir).rstrip("/") + "/"  # as the user names it
            inputs = placing.inputs(
                files, config, self.settings, self.templates, self.journal, shown
            )
            wiki = self.wiki = Wiki(inputs, self.kept)
            self.history_seconds = wiki.history_seconds
            alone = all(  # nobody else's ``on_page_content`` reads a page's HTML
                getattr(handler, "__self__", None) is self
                for handler in config.plugins.events.get("page_content", ())
            )
            self.converter = Converter(config, self.kept.zdicts if self.kept else None, alone=alone)
            opaque = self.lock.slug if self.lock is not None else None
            files = placing.place(files, config, wiki, self.converter, self.user_nav, opaque)
            if self.lock is not None:
                locking.seal_files(files, config, self.lock, self.settings)
            self.urls = {f.src_uri: f.url for f in files.documentation_pages()}
            self.attachments = placing.attachments(files)
            for problem in wiki.all_problems(placing.other_files(files)):
                log.warning(str(problem))
            placing.show_problems(files, config, wiki, self.user_nav, opaque)
            # ``mkdocs serve`` sets site_url to its own address: serving is not hosting.
            hosted = self.session is None and hosting_warning(self.settings, config.site_url or "")
            if hosted:
                log.warning(f"mkdocs.yml: {hosted}")
            return files

    @_timed
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        self.nav = nav
        if self.writer is not None:
            self.writer.nav = nav
        return nav

    def _finish(self, config: MkDocsConfig) -> None:
        gc.unfreeze()  # what the build kept is collectable again, as after any build
        if self.converter is not None:  # rendering kith's pages is kith's time too
            self.own_seconds += self.converter.seconds
            self.own_cpu_seconds += self.converter.cpu_seconds
        if self.session is not None:
            self.session.finish()
        # This instance outlives the build under serve: what it holds of this build's
        # pages (the whole navigation, through any page) must not wait for the next.
        self.kept, self.wiki, self.converter, self.current, self.drawing = (None,) * 5
        self.urls, self.attachments = {}, {}

    @event_priority(100)  # before the search plugin writes its index
    @_timed
    def _fold_search_index(self, config: MkDocsConfig) -> None:
        if self.indexed:
            search.fold_search_index(config.plugins.values())

    @event_priority(-100)  # after the search plugin wrote its index
    def _seal_search_index(self, config: MkDocsConfig) -> None:
        if self.lock is not None:
            locking.seal_search_index(config.site_dir, self.lock)

    @event_priority(-90)  # every file is written, the search index too
    @_timed
    def _keep_written(self, config: MkDocsConfig) -> None:
        if self.writer is not None:
            self.writer.finish()
            self.writer = None
        if self.collector is not None:
            self.collector.after_build()

    on_post_build = CombinedEvent(_finish, _fold_search_index, _seal_search_index, _keep_written)

    def on_build_error(self, error: Exception) -> None:
        if self.writer is not None:
            self.writer.fail()
            self.writer = None
        gc.unfreeze()
        if self.collector is not None:
            self.collector.after_build()
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
        if self.wiki is None or not isinstance(page, KithPage):
            return None
        return placing.page_source(page, self.wiki, self.kept, self.urls)

    @event_priority(-100)
    @_timed
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # Every page is drawn: writing them needs none of what kith loaded, and what a
        # serve session keeps of it is in ``kept`` now. Let go of it before the theme
        # writes 10,000 pages (peak memory).
        self._pack()
        if self.wiki is not None:
            self.wiki.finish()
        self.wiki, self.urls, self.attachments = None, {}, {}
        if self.writer is not None:
            self.writer.choose(files, env, config.plugins.values())
        partials.share(env, config, self.nav)  # once the loader is final
        self.nav = None
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
        content = placing.page_content(html, page, self.wiki, self.kept)
        if isinstance(page, KithPage):
            self.drawing = page  # packed once MkDocs has stored its content
        return content

    def _pack(self) -> None:
        if self.drawing is not None:
            self.drawing.pack()
            self.drawing = None

    @_timed
    def on_post_template(
        self, output_content: str, template_name: str, config: MkDocsConfig
    ) -> str:
        # 404.html and the theme's other pages say noindex too (sitemap.xml is no page).
        if template_name.endswith(".html"):
            output_content = placing.post_page(output_content, None, config)
            if self.lock is not None:  # sealed as every page is
                return locking.lock_page(output_content, None, self.lock, config)
        return output_content

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.writer is not None and self.writer.is_kept(page):
            return output  # nothing: the file the last build wrote stays
        if isinstance(page, KithPage):
            page.release()  # written: only the packed copy stays
        output = placing.post_page(name_search_dialog(output), page, config)
        if self.lock is not None:  # last: the page is sealed as it would have been written
            output = locking.lock_page(output, page.url, self.lock, config)
        return output

    @event_priority(100)  # before the search plugin indexes the page
    @_timed
    def _index_view(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        if self.writer is not None and self.writer.is_kept(page):
            return context  # the search index has its entries already
        if self.indexed and isinstance(page, KithPage) and page.is_person:
            search.show_to_search(page)
        return context

    @event_priority(-100)  # after it, before the theme draws the page
    @_timed
    def _page_view(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        if self.writer is not None and self.writer.is_kept(page):
            return context
        if self.indexed and isinstance(page, KithPage) and page.is_person:
            search.show_to_theme(page)
        return context

    on_page_context = CombinedEvent(_index_view, _page_view)

    @_timed
    def _resolve(self, target: WikiTarget) -> Resolved:
        """Where ``[[target]]`` on the page being rendered goes (a source path MkDocs rewrites)."""
        if self.wiki is None or self.current is None:
            return Resolved()
        return placing.resolve_link(self.wiki.site, self.attachments, self.current.file, target)
