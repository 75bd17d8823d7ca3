"""Follow-up cadences: ``45``, ``6w``, ``3m``, ``quarterly``, ``never``..."""

from __future__ import annotations

import re
from datetime import date, timedelta

MAX_DAYS = 1_000_000
"""The longest cadence kith takes (about 2,700 years): longer is a typo."""
NEVER = 0
"""The parsed value of ``never``: no follow-ups."""

ACCEPTED = (
    "a number of days (45), or 10d, 6w, 3m (months of 30 days), 1y (365 days), "
    "weekly, biweekly, monthly, quarterly, yearly or never"
)

_WORDS = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "fortnightly": 14,
    "monthly": 30,
    "bimonthly": 60,
    "quarterly": 90,
    "biannually": 182,
    "yearly": 365,
    "annually": 365,
    "never": NEVER,
}
_UNITS = {"d": 1, "day": 1, "w": 7, "week": 7, "m": 30, "month": 30, "y": 365, "year": 365}
_AMOUNT = re.compile(r"^(\d+)\s*([a-z]*?)s?$")


def parse_cadence(value: object) -> int:
    """Days between follow-ups, or ``NEVER`` (0). Raises ValueError with the accepted forms."""
    if isinstance(value, bool):
        raise ValueError(ACCEPTED)
    if isinstance(value, int):
        if not 0 < value <= MAX_DAYS:
            raise ValueError(ACCEPTED)
        return value
    if not isinstance(value, str):
        raise ValueError(ACCEPTED)
    text = value.strip().lower()
    if text in _WORDS:
        return _WORDS[text]
    match = _AMOUNT.match(text)
    if match is None:
        raise ValueError(ACCEPTED)
    if len(match.group(1)) > 7:  # also keeps int() below its digit limit
        raise ValueError(ACCEPTED)
    amount, unit = int(match.group(1)), match.group(2) or "d"
    if unit not in _UNITS or not 0 < amount * _UNITS.get(unit, 1) <= MAX_DAYS:
        raise ValueError(ACCEPTED)
    return amount * _UNITS[unit]


def describe(days: int) -> str:
    """The cadence as a person would say it: ``every 6 weeks``."""
    if days == NEVER:
        return "never"
    for unit_days, unit in ((365, "year"), (30, "month"), (7, "week")):
        if days % unit_days == 0:
            amount = days // unit_days
            return f"every {unit}" if amount == 1 else f"every {amount} {unit}s"
    return "every day" if days == 1 else f"every {days} days"


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the first or last day a date can be (a
    ``follow_up`` of a million days, a ``met`` of 9999-12-31 must not overflow)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
