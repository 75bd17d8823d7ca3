"""Activity over time: interactions and favors per month, as inline SVG columns.

Networking is measured in small events: a month with three coffees and one
favor is a good month. Pure counting here; ``charts.py`` draws.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from kith.analyses.site import Site
from kith.core.model import FAVOR_KINDS, Entry
from kith.pages.charts import Bar, vertical_bars

MONTHS = 24
_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Month:
    start: date
    """The first day of the month."""
    interactions: int = 0
    favors: int = 0

    @property
    def label(self) -> str:
        return f"{_NAMES[self.start.month - 1]} {self.start.year % 100:02d}"


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first days of the last ``months`` months, oldest first, ending with today's."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def monthly_activity(
    entries: Iterable[Entry],
    today: date,
    favor_kinds: Iterable[str] = FAVOR_KINDS,
    months: int = MONTHS,
) -> tuple[Month, ...]:
    """Done entries per month over the last ``months`` months; favors apart from the rest.

    Open promises (``[ ]``) and entries dated after ``today`` are not activity yet.
    """
    favors = set(favor_kinds)
    starts = month_starts(today, months)
    counts = {start: [0, 0] for start in starts}
    for entry in entries:
        if not entry.done or entry.date > today:
            continue
        bucket = counts.get(entry.date.replace(day=1))
        if bucket is not None:
            bucket[1 if entry.kind in favors else 0] += 1
    return tuple(Month(start, *counts[start]) for start in starts)


def activity_charts(months: tuple[Month, ...]) -> tuple[Markup, Markup]:
    """Two column charts (interactions, favors) over the same months."""
    span = f"{months[0].label} to {months[-1].label}" if months else ""
    interactions = vertical_bars(
        [Bar(m.label, m.interactions) for m in months],
        "Interactions per month",
        f"Logged interactions per month, {span}.",
        "kith-activity-interactions",
        height=160,
    )
    favors = vertical_bars(
        [Bar(m.label, m.favors) for m in months],
        "Favors per month",
        f"Favors given and received per month, {span}.",
        "kith-activity-favors",
        height=120,
    )
    return Markup(interactions), Markup(favors)


def home_activity(site: Site) -> Mapping[str, Any]:
    """``activity`` (months) and its two charts, for ``home-activity.md``.

    Counts the log entries of every published person and of the journal.
    """
    entries = [entry for contact in site.people for entry in contact.entries]
    entries += [entry for note in site.notes for entry in note.entries]
    months = monthly_activity(entries, site.settings.today, site.settings.favor_kinds)
    interactions, favors = activity_charts(months)
    return {
        "activity": months,
        "activity_interactions_chart": interactions,
        "activity_favors_chart": favors,
    }
