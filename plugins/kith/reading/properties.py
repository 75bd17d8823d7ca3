"""Front-matter values to typed fields, one key at a time, each by its type in
``keys.KEYS``: the type checks of DESIGN §3."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import Any

from kith.core import cadence
from kith.core.grammar import wikilink_parts
from kith.core.keys import READ
from kith.core.model import MonthDay

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?$")


class InvalidValue(Exception):
    """A value of the wrong type or form; the caller adds the file and line."""

    def __init__(self, message: str, hint: str) -> None:
        self.message, self.hint = message, hint
        super().__init__(message)


def convert(key: str, value: Any, tiers: Collection[str], raw: str | None = None) -> dict[str, Any]:
    """One front-matter key of ``keys.READ`` to the Contact field it sets."""
    if value is None:
        return {}
    if isinstance(value, set | frozenset):  # YAML's !!set: its members, as a list
        value = sorted(value, key=str)
    if isinstance(value, dict | list):  # what _refuse_nesting looks at; most values are not
        _refuse_nesting(key, value)
    known = READ[key]
    kind, field = known.type, known.field
    if kind == "text":
        # A number in a text key keeps its spelling: role: 1.10 stays "1.10", not "1.1".
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return {field: _text(key, raw if number and raw is not None else value)}
    if kind == "list":
        return {field: _text_list(key, value)}
    if kind == "emails":  # one address, or a list (Obsidian's list property): all are theirs
        addresses = tuple(t for t in _text_list(key, value) if t)
        return {field: addresses[0] if addresses else "", "emails": addresses}
    if kind == "tags":
        return {field: tuple(t.lstrip("#") for t in _text_list(key, value) if t.lstrip("#"))}
    if kind == "date":
        return {field: to_date(key, value)}
    if kind == "birthday":
        return {field: to_birthday(key, value)}
    if kind == "bool":
        if not isinstance(value, bool):
            raise InvalidValue(
                f"'{key}' must be true or false, not {value!r}",
                f"write '{key}: true' or '{key}: false'",
            )
        return {field: value}
    if kind == "tier":
        tier = _text(key, value).lower()
        if tier not in tiers:
            raise InvalidValue(
                f"unknown tier '{value}'",
                f"use one of {', '.join(tiers)} (or add the tier under 'tiers' in mkdocs.yml)",
            )
        return {field: tier}
    if kind == "cadence":
        try:
            return {field: cadence.parse_cadence(value)}
        except ValueError:
            raise InvalidValue(f"'{key}' cannot be {value!r}", f"use {cadence.ACCEPTED}") from None
    if kind == "link":
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        text = _text(key, value)
        inner = text[2:-2] if text.startswith("[[") and text.endswith("]]") else text
        return {field: wikilink_parts(inner)[0]}
    raise AssertionError(kind)  # pragma: no cover - every type of keys.READ has its branch


def _refuse_nesting(key: str, value: Any) -> None:
    if isinstance(value, dict):
        raise InvalidValue(
            f"'{key}' is a nested mapping, which Obsidian's properties cannot show",
            "use a flat value or a list, or split it into separate keys",
        )
    if isinstance(value, list) and any(isinstance(item, list | dict | tuple) for item in value):
        link = _unquoted_link(value)
        if link:
            raise InvalidValue(
                f"'{key}' holds an unquoted wikilink: YAML reads [[{link}]] as a nested list",
                f'put it in quotes: {key}: "[[{link}]]"',
            )
        raise InvalidValue(f"'{key}' is a nested list", "use a flat list of text values")


def _unquoted_link(value: list[Any]) -> str:
    if (
        len(value) == 1
        and isinstance(value[0], list)
        and len(value[0]) == 1
        and isinstance(value[0][0], str | int | float)
    ):
        return str(value[0][0])
    return ""


Shown = str | int | float | bool
"""A value as a page shows it."""


def check_extra(key: str, value: Any) -> Shown | tuple[Shown, ...] | None:
    """A key kith does not read, as its page shows it: one value or a tuple of them.

    ``None`` when it holds nothing (``nickname:``, ``[]``, a list of empty items), which
    kith's own template writes; other YAML types become what they say (a ``!!set``
    its members, a ``!!timestamp`` its ISO text) or a problem (``!!binary``, nesting).
    """
    if isinstance(value, set | frozenset):
        value = sorted(value, key=str)
    if isinstance(value, dict | list):
        _refuse_nesting(key, value)
    if isinstance(value, list):
        items = (_shown(key, item) for item in value if item is not None)
        # One list, one kind of item: text (true/false as the card shows them alone).
        texts = (("yes" if item else "no") if isinstance(item, bool) else item for item in items)
        return tuple(item for item in texts if item != "") or None
    if value is None or value == "":
        return None
    return _shown(key, value)


def _shown(key: str, value: Any) -> Shown:
    if isinstance(value, str):
        return value if value.isascii() else _BIDI_CONTROLS.sub("", value)
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, date):  # a datetime too: YAML's !!timestamp
        return value.isoformat()
    if isinstance(value, bytes):
        raise InvalidValue(
            f"'{key}' holds binary data (!!binary), which a page cannot show",
            "remove the value, or write it as text",
        )
    raise InvalidValue(  # pragma: no cover - YAML's safe types are all above
        f"'{key}' holds a value of type {type(value).__name__}", "write it as text"
    )


def _text(key: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidValue(
            f"'{key}' must be text, not {_kind_of(value)}",
            f"write a single value, e.g. {key}: some text (quote it if it looks like a number)",
        )
    text = str(value)
    # ASCII text (most of it) cannot hold a bidi control: no pattern to run.
    return (text if text.isascii() else _BIDI_CONTROLS.sub("", text)).strip()


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Right-to-left overrides and isolates: in data they only serve to disguise text
(``Evil\u202egpj.exe`` shows as ``Evilexe.jpg``), so values shown are read without them."""


def _text_list(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(_text(key, item) for item in value if item is not None)
    return (_text(key, value),)


def to_date(key: str, value: Any) -> date:
    text = value if isinstance(value, str) else repr(value)
    match = _ISO_DATE.match(text.strip()) if isinstance(value, str) else None
    if match is None:
        raise InvalidValue(
            f"'{key}' must be a date, not {text}", f"write it as YYYY-MM-DD, e.g. {key}: 2026-03-02"
        )
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as err:
        raise InvalidValue(
            f"'{key}' is not a real date: {text} ({err})", "check the day and month"
        ) from None


_MONTH_DAY = re.compile(r"^(?:--)?(\d{2})-(\d{2})$")


def to_birthday(key: str, value: Any) -> date | MonthDay:
    """A date, or a month and day without a year: ``12-04`` (``--12-04`` as vCard writes it)."""
    match = _MONTH_DAY.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        try:
            return to_date(key, value)
        except InvalidValue:
            raise InvalidValue(
                f"'{key}' must be a date, with or without its year, not {value}",
                f"write {key}: 1990-12-04, or {key}: 12-04 without the year",
            ) from None
    try:
        return MonthDay(int(match.group(1)), int(match.group(2)))
    except ValueError as err:
        raise InvalidValue(
            f"'{key}' is not a real day: {value} ({err})", "check the day and month"
        ) from None


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
