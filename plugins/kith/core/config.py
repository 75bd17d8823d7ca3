"""kith's settings as a plain object, from the plugin's options or from ``mkdocs.yml``.

The plugin builds ``Settings`` from MkDocs' validated config; the command line
reads ``mkdocs.yml`` itself so that it works without importing MkDocs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from kith.core import cadence
from kith.core.errors import KithError
from kith.core.kinds import DEFAULT_FAVOR_KINDS, Direction, favor_kinds

UNSORTED = "unsorted"
"""The tier an import gives the people it adds: no follow-ups until you give them yours
(hundreds of old LinkedIn connections would otherwise all come due at once)."""
DEFAULT_TIERS: Mapping[str, int] = {
    "core": 30,
    "active": 90,
    "network": 365,
    "prospect": 0,
    UNSORTED: 0,
}
"""Tier → follow-up cadence in days (0: no follow-ups)."""


@dataclass(frozen=True)
class Settings:
    """Everything the analyses need to know besides the files."""

    today: date
    tiers: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_TIERS))
    my_industry: str = ""
    core_limit: int = 15
    stale_after: int = 365
    due_soon: int = 14
    first_follow_up: int = 14
    """Days after ``met`` that someone not contacted since is due, whatever their tier's
    cadence (0: none; the tier's cadence alone)."""
    birthday_tiers: tuple[str, ...] = ("core", "active")
    """Tiers whose birthdays the calendar feed carries as yearly events."""
    encrypt: bool = False
    """Every page, the search index and the titles encrypted with ``KITH_SITE_PASSWORD``."""
    feed_secret: str = ""
    """The calendar feed only at ``feeds/<secret>/follow-ups.ics`` (and linked from no page)."""
    feed_details: bool = False
    """Events carry notes, promises and log text; without it, names, dates and links only."""
    people_dir: str = "people"
    journal_dir: str = "journal"
    favor_kinds: Mapping[str, Direction] = field(default_factory=lambda: dict(DEFAULT_FAVOR_KINDS))
    """Log kind → favor direction: the built-in kinds plus the ``favor_kinds`` aliases."""
    industries: Mapping[str, str] = field(default_factory=dict)
    """Industry alias → the name it is counted under (``Tech`` → ``Software``)."""


def resolve_today(option: object, environ: Mapping[str, str], local_today: date) -> date:
    """``today``: the option, else ``SOURCE_DATE_EPOCH``, else the local date."""
    if isinstance(option, datetime):
        return option.date()
    if isinstance(option, date):
        return option
    if isinstance(option, str) and option.strip():
        try:
            return date.fromisoformat(option.strip())
        except ValueError:
            raise KithError(
                f"kith option 'today' must be a date (YYYY-MM-DD), not {option!r}"
            ) from None
    if option is not None and not isinstance(option, str):  # a number, a list...
        raise KithError(f"kith option 'today' must be a date (YYYY-MM-DD), not {option!r}")
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except ValueError:
            raise KithError(
                f"SOURCE_DATE_EPOCH must be seconds since 1970, not {epoch!r}"
            ) from None
    return local_today


def tier_cadences(option: object) -> dict[str, int]:
    """The default tiers updated with the configured ones; cadences parsed."""
    tiers = dict(DEFAULT_TIERS)
    if option is not None and not isinstance(option, Mapping):
        raise KithError(
            f"kith option 'tiers' must map tier names to cadences, not {option!r}; "
            "e.g. tiers: {core: 30, network: 1y}"
        )
    for name, value in (option or {}).items():
        try:
            tiers[str(name).strip().lower()] = cadence.parse_cadence(value)
        except ValueError:
            raise KithError(
                f"kith option 'tiers': cadence of '{name}' cannot be {value!r}; "
                f"use {cadence.ACCEPTED}"
            ) from None
    return tiers


def settings_from_options(options: Mapping[str, Any], today: date, people_dir: str) -> Settings:
    """``Settings`` from the plugin's option mapping (as written under ``- kith:``)."""
    try:
        stale_after = cadence.parse_cadence(options.get("stale_after", 365))
    except ValueError:
        raise KithError(f"kith option 'stale_after': use {cadence.ACCEPTED}") from None
    unknown = sorted(str(k) for k in options if k not in OPTIONS)
    if unknown:
        raise KithError(f"kith has no option '{unknown[0]}'; the options are {', '.join(OPTIONS)}")
    kinds_option = options.get("favor_kinds") or {}
    if not isinstance(kinds_option, Mapping):
        raise KithError("kith option 'favor_kinds' must map log kinds to gave or received")
    try:
        kinds = favor_kinds(kinds_option)
    except ValueError as err:
        raise KithError(f"kith option 'favor_kinds': {err}") from None
    _text(options, "templates_dir", "templates")  # the plugin reads it; checked here
    return Settings(
        today=today,
        tiers=tier_cadences(options.get("tiers")),
        my_industry=_text(options, "my_industry", "").strip(),
        core_limit=_count(options, "core_limit", 15),
        stale_after=stale_after,
        due_soon=_count(options, "due_soon", 14),
        first_follow_up=_days(options, "first_follow_up", 14),
        birthday_tiers=_tiers_list(options, "birthday_tiers", ("core", "active")),
        encrypt=_flag(options, "encrypt"),
        feed_secret=_secret(options.get("feed_secret")),
        feed_details=_flag(options, "feed_details"),
        people_dir=people_dir,
        journal_dir=(_text(options, "journal_dir", "journal") or "journal").strip("/"),
        favor_kinds=kinds,
        industries=industry_aliases(options.get("industries")),
    )


OPTIONS = (
    "tiers",
    "encrypt",
    "feed_secret",
    "feed_details",
    "first_follow_up",
    "birthday_tiers",
    "today",
    "my_industry",
    "core_limit",
    "stale_after",
    "due_soon",
    "favor_kinds",
    "industries",
    "templates_dir",
    "journal_dir",
)
"""Every option of the plugin: ``settings_from_options`` checks each, for the build (the
plugin's MkDocs options accept any value) and the command line alike."""


def _flag(options: Mapping[str, Any], key: str) -> bool:
    """A true/false option: anything but ``true`` or ``false`` is an error, not a guess."""
    value = options.get(key, False)
    if not isinstance(value, bool):
        raise KithError(f"kith option '{key}' must be true or false, not {value!r}")
    return value


_SECRET = re.compile(r"[A-Za-z0-9_-]{16,128}")


def _secret(value: object) -> str:
    """``feed_secret``: a token of 16 or more letters, digits, ``-`` or ``_`` (a part of
    an address nobody can guess: ``python -c 'import secrets; print(secrets.token_urlsafe())'``)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not _SECRET.fullmatch(value):
        raise KithError(
            "kith option 'feed_secret' must be 16 to 128 letters, digits, '-' or '_'; make one"
            " with: python3 -c 'import secrets; print(secrets.token_urlsafe())'"
        )
    return value


def hosting_warning(settings: Settings, site_url: str) -> str:
    """What a hosted site would publish, when it is meant to be hosted (``site_url``)
    and is not encrypted; ``""`` otherwise."""
    if not site_url.strip() or settings.encrypt:
        return ""
    return (
        f"site_url is set ({site_url.strip()}) but the site is not encrypted: hosted, every "
        "published person's page, e-mail, phone and notes, and the search index, are public"
        " — set encrypt: true under the kith plugin (password in KITH_SITE_PASSWORD), or"
        " remove site_url to keep the site on your machine"
    )


def _days(options: Mapping[str, Any], key: str, default: int) -> int:
    """A number of days, in ``follow_up``'s forms (``14``, ``2w``, ``never``: 0)."""
    value = options.get(key, default)
    if value == 0 and not isinstance(value, bool):
        return 0
    try:
        return cadence.parse_cadence(value)
    except ValueError:
        raise KithError(f"kith option '{key}': use {cadence.ACCEPTED}") from None


def _tiers_list(options: Mapping[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """A list of tier names (one name alone is a list of one)."""
    value = options.get(key, list(default))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise KithError(f"kith option '{key}' must be a list of tiers, not {value!r}")
    return tuple(v.strip().lower() for v in value if v.strip())


def _text(options: Mapping[str, Any], key: str, default: str) -> str:
    """A text option (a number is its text: ``my_industry: 5G``... is text anyway)."""
    value = options.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise KithError(f"kith option '{key}' must be text, not {value!r}")
    return str(value)


def _count(options: Mapping[str, Any], key: str, default: int) -> int:
    """A whole number option, 0 to 100,000: one check for the build and the CLI alike."""
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | str):
        value = repr(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if not 0 <= number <= 100_000:
        raise KithError(f"kith option '{key}': use a whole number from 0 to 100000, not {value!r}")
    return number


def industry_aliases(option: object) -> dict[str, str]:
    """The ``industries`` option: a mapping of alias → industry name, both text."""
    if option is None:
        return {}
    if not isinstance(option, Mapping):
        raise KithError(
            f"kith option 'industries' must map aliases to industry names, not {option!r}; "
            "e.g. industries: {Tech: Software}"
        )
    aliases: dict[str, str] = {}
    for alias, name in option.items():
        if not isinstance(name, str) or not str(alias).strip() or not name.strip():
            raise KithError(
                f"kith option 'industries': '{alias}' must map to an industry name, "
                f"not {name!r}; write it as '{alias}: Software'"
            )
        aliases[str(alias)] = name
    return aliases


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring the ``!!python/name:`` and ``!ENV`` tags it may hold."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    # A date such as today: 2026-13-45 reaches resolve_today, which says what is wrong.
    return str(node.value)


_LenientLoader.add_multi_constructor("!", _ignore_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_LenientLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def read_mkdocs_yml(path: Path) -> tuple[dict[str, Any], str]:
    """The kith options and the docs folder named in ``mkdocs.yml``."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except (OSError, yaml.YAMLError, ValueError) as err:
        raise KithError(f"cannot read {path}: {err}") from None
    options: dict[str, Any] = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, Mapping) and "kith" in plugin:
            options = dict(plugin["kith"] or {})
    return options, str(data.get("docs_dir", "docs"))


def load_settings(project: Path, today: date | None = None) -> Settings:
    """Settings for the command line, read from ``project/mkdocs.yml`` when present."""
    config_file = project / "mkdocs.yml"
    options, docs_dir = read_mkdocs_yml(config_file) if config_file.exists() else ({}, "people")
    local = today or datetime.now().astimezone().date()
    when = resolve_today(options.get("today"), os.environ, local)
    return settings_from_options(options, when, docs_dir)
