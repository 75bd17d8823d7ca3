"""Figures and words as the pages say them: ``12.5``, ``3 people``, ``yesterday``, and
data that Markdown shows as it is."""

from __future__ import annotations

import html
import re
from datetime import date


def number(value: float) -> str:
    """A figure as people read it: ``63`` for a whole number (``63.0`` too), else one
    decimal (``12.5``), for counts that a tie can split (pairs bridged)."""
    rounded = round(value)
    if abs(value - rounded) < 1e-9:
        return str(int(rounded))
    return f"{value:.1f}"


def noun(count: float, singular: str, plural: str | None = None) -> str:
    """The noun for ``count`` of a thing: ``person`` for 1, ``people`` otherwise."""
    return singular if count == 1 else (plural if plural is not None else singular + "s")


def plural(count: float, singular: str, plural: str | None = None) -> str:
    """``{{ n | plural("person", "people") }}``: ``1 person``, ``3 people``, ``0 companies``
    (``plural`` defaults to ``singular`` + ``s``)."""
    return f"{number(count)} {noun(count, singular, plural)}"


def days_ago(when: date | None, today: date) -> str:
    """``today``, ``yesterday``, ``12 days ago``, ``in 3 days``."""
    if when is None:
        return "never"
    delta = (today - when).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta == -1:
        return "tomorrow"
    return f"{delta} days ago" if delta > 0 else f"in {-delta} days"


def md_escape(text: str) -> str:
    """Text that Markdown shows as it is (for data put in a Markdown context)."""
    escaped = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~])", r"\\\1", escaped)
