"""Dates as a person types them on the command line: ``2026-03-02``, ``today``,
``yesterday``, ``friday``, ``3 days ago``, ``in 2 weeks``, ``2w``.

A weekday means the last one before today for what has happened (``kith log``,
``kith done``) and the next one after today for what is to come (``kith snooze``):
nobody logs a coffee for next Friday or snoozes to last Friday. A bare amount
(``2w``, ``3m``) is a snooze's alone: it reads as a cadence does (``cadence.py``:
a month is 30 days, a year 365).
"""

from __future__ import annotations

import re
from datetime import date

from kith.core import cadence

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = {
    **{day: index for index, day in enumerate(WEEKDAYS)},
    **{day[:3]: index for index, day in enumerate(WEEKDAYS)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_AMOUNT = re.compile(r"^(?:(\d+)|an?)\s*([a-z]*)$")


class DateError(ValueError):
    """Text that names no date; the message lists what is accepted."""


def _accepted(option: str, ahead: bool) -> str:
    if ahead:
        return (
            f"{option} must be a real date: YYYY-MM-DD (e.g. 2026-03-02), today, tomorrow, "
            "a weekday (monday: the next one), 'in 3 days', or 10d, 2w, 3m, 1y from today"
        )
    return (
        f"{option} must be a real date: YYYY-MM-DD (e.g. 2026-03-02), today, yesterday, "
        "a weekday (monday: the last one) or '3 days ago'"
    )


def parse_day(text: str, today: date, option: str, ahead: bool = False) -> date:
    """The date ``text`` names, counted from ``today``; ``ahead`` for a date to come
    (weekdays forward, bare amounts allowed). ``DateError`` names ``option``."""
    said = " ".join(text.strip().lower().split())
    if _ISO.match(said):
        try:
            return date.fromisoformat(_padded(said))
        except ValueError:
            raise DateError(
                f"{option} must be a real date written YYYY-MM-DD, e.g. 2026-03-02, not {text!r}"
            ) from None
    found = _relative(said, today, ahead)
    if found is None:
        raise DateError(f"{_accepted(option, ahead)}; not {text!r}")
    return found


def _padded(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _relative(said: str, today: date, ahead: bool) -> date | None:
    if said == "today":
        return today
    if said == "yesterday":
        return cadence.add_days(today, -1)
    if said == "tomorrow":
        return cadence.add_days(today, 1)
    words = said.split(" ", 1)
    if said in _WEEKDAY or (len(words) == 2 and words[0] in ("last", "next")):
        direction = words[0] if len(words) == 2 else ("next" if ahead else "last")
        weekday = _WEEKDAY.get(words[-1] if len(words) == 2 else said)
        if weekday is None:
            return None
        if direction == "next":
            return cadence.add_days(today, (weekday - today.weekday() - 1) % 7 + 1)
        return cadence.add_days(today, -((today.weekday() - weekday - 1) % 7 + 1))
    if said.endswith(" ago"):
        days = _days(said.removesuffix(" ago"))
        return None if days is None else cadence.add_days(today, -days)
    if said.startswith("in "):
        days = _days(said.removeprefix("in "))
        return None if days is None else cadence.add_days(today, days)
    if ahead:
        days = _days(said)
        return None if days is None else cadence.add_days(today, days)
    return None


def _days(amount: str) -> int | None:
    """``3 days``, ``2w``, ``a month``: days as a cadence counts them; ``None`` otherwise."""
    match = _AMOUNT.match(amount)
    if match is None or not (match.group(1) or match.group(2)):
        return None
    try:
        return cadence.parse_cadence(f"{match.group(1) or 1}{match.group(2)}")
    except ValueError:
        return None
