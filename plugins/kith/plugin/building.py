"""One MkDocs build of kith's: the state a build holds, made fresh in ``on_config``.

``KithPlugin`` hands each MkDocs event to a method of this build's ``Building``; what
lives across the rebuilds of a serve session is in ``ServeSession`` alone.
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kith.build.wiki import Wiki
from kith.core.config import hosting_warning
from kith.core.grammar import WikiTarget
from kith.pages.links import Resolved
from kith.pages.registry import PAGES
from kith.plugin import encrypt as locking
from kith.plugin import files as placing
from kith.plugin import partials, search, syntax, written
from kith.plugin.converter import Converter
from kith.plugin.options import plugin_settings
from kith.plugin.page import KithPage
from kith.plugin.theme import name_search_dialog
from kith.serve.session import Kept, ServeSession

# Messages start with "path:line:col:" so editors can jump to them; --strict counts warnings.
log = logging.getLogger("mkdocs.plugins.kith")
_UNSEARCHED = frozenset(spec.src_uri for spec in PAGES if not spec.search)
"""Aggregate pages repeat what person pages say: the search index stays proportional
to the people, not doubled."""


class Building:
    """What one build reads, draws and hands over, event by event."""

    def __init__(
        self,
        options: dict[str, Any],
        config: MkDocsConfig,
        session: ServeSession | None,
        collector: placing.Collector | None,
        dirty: bool,
    ) -> None:
        self.session, self.collector = session, collector
        self.options = options
        if collector is not None:  # the last build's garbage, before ``on_files``
            collector.before_build()
        self.kept: Kept | None = (
            session.begin(repr(sorted(options.items(), key=str))) if session else None
        )
        """Under serve: what this build reads of the last one and leaves for the next."""
        self.settings, self.templates, self.journal = plugin_settings(options, config)
        self.lock = locking.site_lock(os.environ) if self.settings.encrypt else None
        """``encrypt: true``: the keys the pages, the search index and the files are sealed with."""
        if self.lock is not None:
            locking.without_instant_loading(config)
        self.user_nav = config.nav is not None
        self.indexed = any(name.split("/")[-1] == "search" for name in config.plugins)
        """A search plugin indexes the pages (MkDocs' or Material's)."""
        syntax.ensure_obsidian_syntax(config)
        if placing.CSS_URI not in config.extra_css:
            config.extra_css.append(placing.CSS_URI)
        keeps = self.kept is not None and written.may_keep(config, dirty, bool(self.lock))
        self.writer = written.Writer(self.kept, config) if self.kept and keeps else None
        """Under serve: the pages the theme keeps as the last build wrote them."""
        self.wiki: Wiki | None = None
        self.urls: dict[str, str] = {}
        self.current: Page | None = None
        self.attachments: dict[str, File] = {}
        self.converter: Converter | None = None
        self.drawing: KithPage | None = None
        """The page drawn last, until the next one is: then it is packed (``KithPage``)."""
        self.nav: Any = None
        """This build's navigation, until the theme's partials are told what is in it."""
        self.history_seconds = 0.0

    @property
    def watched(self) -> tuple[Path, ...]:
        """Folders outside ``docs_dir`` a serve session watches (MkDocs would not)."""
        return (self.journal, self.templates)

    def pre_build(self) -> None:
        if self.writer is not None:  # before MkDocs cleans the site folder
            self.writer.set_aside()

    def files(self, files: Files, config: MkDocsConfig, owner: object) -> Files:
        if self.writer is not None:
            self.writer.put_back()
        with placing.collector_paused():
            shown = str(self.options["journal_dir"]).rstrip("/") + "/"  # as the user names it
            inputs = placing.inputs(
                files, config, self.settings, self.templates, self.journal, shown
            )
            wiki = self.wiki = Wiki(inputs, self.kept)
            self.history_seconds = wiki.history_seconds
            alone = all(  # nobody else's ``on_page_content`` reads a page's HTML
                getattr(handler, "__self__", None) is owner
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

    def navigation(self, nav: Any) -> Any:
        self.nav = nav
        if self.writer is not None:
            self.writer.nav = nav
        return nav

    def finish(self) -> tuple[float, float]:
        """The build is written: the session keeps what it kept, and the build lets go of
        this build's pages (the whole navigation, through any page). kith's rendering
        time, wall and processor, to count as its own."""
        gc.unfreeze()  # what the build kept is collectable again, as after any build
        converter = self.converter
        if self.session is not None:
            self.session.finish()
        self.kept, self.wiki, self.converter, self.current, self.drawing = (None,) * 5
        self.urls, self.attachments = {}, {}
        return (converter.seconds, converter.cpu_seconds) if converter else (0.0, 0.0)

    def fold_search_index(self, config: MkDocsConfig) -> None:
        if self.indexed:
            folded = self.writer.folded if self.writer is not None else ()
            search.fold_search_index(config.plugins.values(), folded)

    def seal_search_index(self, config: MkDocsConfig) -> None:
        if self.lock is not None:
            locking.seal_search_index(config.site_dir, self.lock)

    def keep_written(self) -> None:
        if self.writer is not None:
            self.writer.finish()
            self.writer = None
        if self.collector is not None:
            self.collector.after_build()

    def fail(self) -> None:
        if self.writer is not None:
            self.writer.fail()
            self.writer = None
        gc.unfreeze()
        if self.collector is not None:
            self.collector.after_build()
        if self.session is not None:
            self.session.fail()
        self.kept, self.wiki = None, None

    def page_source(self, page: Page) -> str | None:
        self._pack()  # the page before is drawn
        if self.wiki is None or not isinstance(page, KithPage):
            return None
        return placing.page_source(page, self.wiki, self.kept, self.urls)

    def env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
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

    def page_markdown(self, markdown: str, page: Page) -> str:
        self.current = page
        if page.file.src_uri in _UNSEARCHED:
            page.meta["search"] = {"exclude": True}
        return markdown

    def page_content(self, html: str, page: Page) -> str:
        content = placing.page_content(html, page, self.wiki, self.kept)
        if isinstance(page, KithPage):
            self.drawing = page  # packed once MkDocs has stored its content
        return content

    def _pack(self) -> None:
        if self.drawing is not None:
            self.drawing.pack()
            self.drawing = None

    def post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        # 404.html and the theme's other pages say noindex too (sitemap.xml is no page).
        if template_name.endswith(".html"):
            output = placing.post_page(output, None, config)
            if self.lock is not None:  # sealed as every page is
                return locking.lock_page(output, None, self.lock, config)
        return output

    def post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.writer is not None and self.writer.is_kept(page):
            return output  # nothing: the file the last build wrote stays
        if isinstance(page, KithPage):
            page.release()  # written: only the packed copy stays
        output = placing.post_page(name_search_dialog(output), page, config)
        if self.lock is not None:  # last: the page is sealed as it would have been written
            output = locking.lock_page(output, page.url, self.lock, config)
        return output

    def view(self, page: Page, *, to_search: bool) -> None:
        """The search plugin indexes the page (``to_search``), or has: what each sees of
        a person page (``search``); nothing for a page the theme keeps as it was."""
        if self.writer is not None and self.writer.is_kept(page):
            return  # the search index has its entries already
        if self.indexed and isinstance(page, KithPage) and page.is_person:
            (search.show_to_search if to_search else search.show_to_theme)(page)

    def resolve(self, target: WikiTarget) -> Resolved:
        """Where ``[[target]]`` on the page being rendered goes (a source path MkDocs rewrites)."""
        if self.wiki is None or self.current is None:
            return Resolved()
        return placing.resolve_link(self.wiki.site, self.attachments, self.current.file, target)
