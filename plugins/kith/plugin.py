"""The MkDocs plugin: glue between MkDocs' events and kith's plain functions.

The only module that imports MkDocs.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import config as settings_module
from .errors import KithError, Problem
from .links import Resolved, WikiLinkExtension
from .load import is_contact_file, load_files
from .model import Contact
from .pages import HOME, PAGES
from .render import environment
from .site import Site, page_dest, person_dest
from .source import WikiTarget

log = get_plugin_logger("kith")  # "mkdocs.plugins.kith": --strict counts its warnings
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
    templates_dir = c.Type(str, default="templates")
    """Folder (beside mkdocs.yml) whose templates override kith's built-in ones."""


class KithPlugin(BasePlugin[KithConfig]):
    """Turns the people folder into a wiki of your network."""

    def __init__(self) -> None:
        self.site: Site | None = None
        self.urls: dict[str, str] = {}
        self.contacts: dict[str, Contact] = {}
        self.user_nav = False
        self.current: Page | None = None
        self.files: Files | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        options = dict(self.config)
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
        self.env = environment((project / self.config.templates_dir).resolve())
        self.user_nav = config.nav is not None
        config.markdown_extensions.append(WikiLinkExtension(resolve=self._resolve))  # type: ignore[arg-type]
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        prefix = _display_dir(config) + "/"
        sources = [
            (f.src_uri, Path(f.abs_src_path))
            for f in files.documentation_pages()
            if f.abs_src_path and f.generated_by is None and is_contact_file(f.src_uri)
        ]
        network = load_files(sources, prefix, list(self.settings.tiers))
        loaded = {c.src_uri for c in network.contacts}
        for src_uri, _ in sources:
            file = files.get_file_from_path(src_uri)
            if file is None:  # pragma: no cover - it came from this collection
                continue
            if src_uri not in loaded:  # unreadable: its raw YAML must not become a page
                files.remove(file)
        self.contacts = {}
        for contact in network.contacts:
            file = files.get_file_from_path(contact.src_uri)
            if file is None:  # pragma: no cover
                continue
            if not contact.publish:
                files.remove(file)
                continue
            file.dest_uri = person_dest(contact, config.use_directory_urls)
            file.inclusion = InclusionLevel.NOT_IN_NAV
            self.contacts[contact.src_uri] = contact
        self.site = Site(network, self.settings, self.env, network.contacts)
        user_home = files.get_file_from_path("index.md") is not None
        generated: list[File] = []
        for spec in PAGES:
            file = File.generated(config, spec.src_uri, content="")
            file.dest_uri = page_dest(spec, config.use_directory_urls, user_home)
            generated.append(file)
            files.append(file)
        self.urls = {f.src_uri: f.url for f in files.documentation_pages()}
        pages = self.site.generated_pages(self.urls)
        for file in generated:
            file.content_string = pages[file.src_uri]
        css = self.env.get_template("kith.css").render()
        files.append(File.generated(config, CSS_URI, content=css))
        if not self.user_nav:
            config.nav = _navigation(user_home)
        self.files = files
        for problem in sorted([*network.problems, *self.site.link_problems()]):
            _warn(problem)
        return files

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        contact = self.contacts.get(page.file.src_uri)
        if contact is None or self.site is None:
            return None
        return self.site.person_page(contact, self.urls)

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.current = page
        return markdown

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
        if self.files is not None:
            file = self.files.get_file_from_path(target.target)
            if file is not None and not file.is_documentation_page():
                return Resolved(
                    href=_relative_src(file.src_uri, here),
                    text=target.target,
                    image=target.embed and file.is_media_file(),
                )
        return Resolved()


def _relative_src(target: str, here: str) -> str:
    return os.path.relpath(target, os.path.dirname(here) or ".").replace(os.sep, "/")


def _display_dir(config: MkDocsConfig) -> str:
    """The docs folder as the user names it (``people``), for messages."""
    project = Path(config.config_file_path or ".").parent
    try:
        return Path(config.docs_dir).relative_to(project.resolve()).as_posix()
    except ValueError:
        return Path(config.docs_dir).as_posix()


def _navigation(user_home: bool) -> list[Any]:
    nav: list[Any] = [{"Welcome": "index.md"}] if user_home else []
    for spec in PAGES:
        title = "Dashboard" if spec is HOME and user_home else spec.title
        nav.append({title: spec.src_uri})
    return nav


def _warn(problem: Problem) -> None:
    log.warning(str(problem))
