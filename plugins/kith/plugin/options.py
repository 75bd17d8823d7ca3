"""The plugin's options, as MkDocs reads them from ``mkdocs.yml``."""

from __future__ import annotations

from datetime import date

from mkdocs.config import base
from mkdocs.config import config_options as c


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
