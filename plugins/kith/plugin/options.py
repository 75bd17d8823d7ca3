"""The plugin's options, as MkDocs reads them from ``mkdocs.yml``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from kith.core import config as settings_module
from kith.core.config import Settings
from kith.core.errors import KithError


class KithConfig(base.Config):
    """The options under ``plugins: - kith:`` in ``mkdocs.yml``.

    Each accepts any value here: ``settings_from_options`` checks them all, with the
    same messages for the build and the command line (which reads ``mkdocs.yml``
    without MkDocs)."""

    tiers = c.Type(object, default={})
    """Tier → follow-up cadence (``30``, ``6w``, ``never``...); merged over the defaults."""
    today = c.Optional(c.Type(object))
    """The date kith calls today (YYYY-MM-DD); default: SOURCE_DATE_EPOCH, else the local date."""
    my_industry = c.Type(object, default="")
    """Your own industry, for the share of your network outside it."""
    core_limit = c.Type(object, default=15)
    """How many people your core circle should hold at most."""
    stale_after = c.Type(object, default=365)
    """Contact info checked longer ago than this is stale (days or ``1y``, ``6m``...)."""
    due_soon = c.Type(object, default=14)
    """Follow-ups due within this many days are listed as due soon."""
    first_follow_up = c.Type(object, default=14)
    """Days after ``met`` that someone not contacted since is due (``2w``; 0: none)."""
    birthday_tiers = c.Type(object, default=["core", "active"])
    """Tiers whose birthdays the calendar feed carries as yearly events."""
    encrypt = c.Type(object, default=False)
    """Encrypt every page and the search index with the password in KITH_SITE_PASSWORD."""
    feed_secret = c.Type(object, default="")
    """The calendar feed only at ``feeds/<secret>/follow-ups.ics``."""
    feed_details = c.Type(object, default=False)
    """Calendar events carry notes, promises and log text (by default: names, dates, links)."""
    favor_kinds = c.Type(object, default={})
    """Extra log kinds that are favors: alias → ``gave`` or ``received`` (``intro: gave``)."""
    industries = c.Type(object, default={})
    """Industry alias → the name it is counted under (``Tech: Software``)."""
    templates_dir = c.Type(object, default="templates")
    """Folder (beside mkdocs.yml) whose templates override kith's built-in ones."""
    journal_dir = c.Type(object, default="journal")
    """Folder (beside mkdocs.yml) of dated notes that count as interactions; optional."""


def plugin_settings(
    options: Mapping[str, Any], config: MkDocsConfig
) -> tuple[Settings, Path, Path]:
    """The settings, the user's templates folder and the journal folder, from the
    options; a bad option stops the build with the message naming it."""
    try:
        today = settings_module.resolve_today(
            options.get("today"), os.environ, datetime.now().astimezone().date()
        )
        settings = settings_module.settings_from_options(options, today, _display_dir(config))
    except KithError as err:
        raise PluginError(str(err)) from None
    project = Path(config.config_file_path or ".").parent
    templates = (project / str(options.get("templates_dir", "templates"))).resolve()
    journal = (project / str(options.get("journal_dir", "journal"))).resolve()
    return settings, templates, journal


def _display_dir(config: MkDocsConfig) -> str:
    """The docs folder as the user names it (``people``), for messages."""
    project = Path(config.config_file_path or ".").parent
    try:
        return Path(config.docs_dir).relative_to(project.resolve()).as_posix()
    except ValueError:
        return Path(config.docs_dir).as_posix()
