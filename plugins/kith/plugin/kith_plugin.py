"""The MkDocs plugin: glue between MkDocs' events and kith's plain functions.

Each event hands over to one call of this build's ``Building`` (made fresh in
``on_config``), which hands over in turn to the build (``kith.build.Wiki``), the
placing of its pages among MkDocs' files (``files``) and the search view
(``search``). With the rest of ``kith.plugin``, the only code that imports MkDocs.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kith.core.errors import TemplateFailure
from kith.core.grammar import WikiTarget
from kith.pages.links import Resolved, WikiLinkExtension
from kith.plugin import files as placing
from kith.plugin.building import Building
from kith.plugin.options import KithConfig
from kith.serve.session import ServeSession

Handler = TypeVar("Handler", bound=Callable[..., Any])


def _timing(processor_clock: bool) -> Callable[[Handler], Handler]:
    """A decorator adding the time spent in an event handler to the plugin's own time
    (for the benchmark), wall and processor time. Without ``processor_clock``, the wall
    time counts as processor time too: for handlers MkDocs calls for every page (or
    every link), which do not wait for a disk or a process, and where reading the
    processor's clock (ten times the wall clock's cost; 100,000 readings a build at
    10,000 people, 0.05 s) would be most of what is measured."""

    def timing(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def timed(self: KithPlugin, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            cpu = time.process_time() if processor_clock else 0.0
            try:
                return handler(self, *args, **kwargs)
            except TemplateFailure as failure:  # one line naming template and page
                raise PluginError(str(failure)) from None
            finally:
                spent = time.perf_counter() - start
                self.own_seconds += spent
                self.own_cpu_seconds += time.process_time() - cpu if processor_clock else spent

        return cast(Handler, timed)

    return timing


_timed = _timing(processor_clock=True)
_timed_each = _timing(processor_clock=False)


class KithPlugin(BasePlugin[KithConfig]):
    """Turns the people folder into a wiki of your network."""

    def __init__(self) -> None:
        self.session: ServeSession | None = None
        """Under ``mkdocs serve``: what the session keeps between rebuilds."""
        self.collector: placing.Collector | None = None
        """Under serve: frees the last build's pages between builds."""
        self.dirty = False
        self.build: Building | None = None
        """The build under way (and the last one, until the next starts)."""
        self.own_seconds = self.own_cpu_seconds = self.history_seconds = 0.0
        """kith's own time in the current build, measured around its event handlers, as
        wall and processor time; the git history's part of it."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this instance across serve rebuilds,
        # and with it the session; a one-off build keeps nothing (less memory).
        self.session = ServeSession() if command == "serve" else None
        self.collector = placing.Collector() if command == "serve" else None
        self.dirty = dirty

    @_timed
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.own_seconds = self.own_cpu_seconds = 0.0
        self.build = Building(dict(self.config), config, self.session, self.collector, self.dirty)
        config.markdown_extensions.append(WikiLinkExtension(resolve=self._resolve))  # type: ignore[arg-type]
        return config

    @property
    def _build(self) -> Building:
        assert self.build is not None, "on_config makes the build"
        return self.build

    @_timed
    def on_pre_build(self, config: MkDocsConfig) -> None:
        self._build.pre_build()

    @_timed
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        files = self._build.files(files, config, self)
        self.history_seconds = self._build.history_seconds
        return files

    @_timed
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        return self._build.navigation(nav)

    def _finish(self, config: MkDocsConfig) -> None:
        seconds, cpu_seconds = self._build.finish()  # rendering kith's pages is kith's time too
        self.own_seconds += seconds
        self.own_cpu_seconds += cpu_seconds

    @event_priority(100)  # before the search plugin writes its index
    @_timed
    def _fold_search_index(self, config: MkDocsConfig) -> None:
        self._build.fold_search_index(config)

    @event_priority(-100)  # after the search plugin wrote its index
    def _seal_search_index(self, config: MkDocsConfig) -> None:
        self._build.seal_search_index(config)

    @event_priority(-90)  # every file is written, the search index too
    @_timed
    def _keep_written(self, config: MkDocsConfig) -> None:
        self._build.keep_written()

    on_post_build = CombinedEvent(_finish, _fold_search_index, _seal_search_index, _keep_written)

    def on_build_error(self, error: Exception) -> None:
        if self.build is not None:
            self.build.fail()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in self._build.watched:  # outside docs_dir: MkDocs would not watch
            if folder.is_dir():
                server.watch(str(folder))
        return server

    @_timed_each
    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        return self._build.page_source(page)

    @event_priority(-100)
    @_timed
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        return self._build.env(env, config, files)

    @_timed_each
    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        return self._build.page_markdown(markdown, page)

    @_timed_each
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._build.page_content(html, page)

    @_timed
    def on_post_template(
        self, output_content: str, template_name: str, config: MkDocsConfig
    ) -> str:
        return self._build.post_template(output_content, template_name, config)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return self._build.post_page(output, page, config)

    @event_priority(100)  # before the search plugin indexes the page
    @_timed_each
    def _index_view(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self._build.view(page, to_search=True)
        return context

    @event_priority(-100)  # after it, before the theme draws the page
    @_timed_each
    def _page_view(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self._build.view(page, to_search=False)
        return context

    on_page_context = CombinedEvent(_index_view, _page_view)

    @_timed_each
    def _resolve(self, target: WikiTarget) -> Resolved:
        return self._build.resolve(target)
