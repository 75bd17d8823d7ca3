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
from kith.pages.followup_pages import interaction_index

MONTHS = 24
LABELS = 8
"""At most this many month names under a chart's columns: ``Dec 2024`` is wider than a column."""
_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Month:
    start: date
    """The first day of the month."""
    interactions: int = 0
    favors: int = 0

    @property
    def label(self) -> str:
        """``Jan 2025``: a month, which ``Jan 25`` would not say."""
        return f"{_NAMES[self.start.month - 1]} {self.start.year}"


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
        f"Logged interactions per calendar month, favors apart, {span}.",
        "kith-activity-interactions",
        height=160,
        max_labels=LABELS,
    )
    favors = vertical_bars(
        [Bar(m.label, m.favors) for m in months],
        "Favors per month",
        f"Favors given and received per month, {span}.",
        "kith-activity-favors",
        height=120,
        max_labels=LABELS,
    )
    return Markup(interactions), Markup(favors)


def home_activity(site: Site) -> Mapping[str, Any]:
    """``activity`` (months) and its two charts, for ``home-activity.md``.

    Counts what Home's recent interactions list: every done entry that involves a
    published person (journal notes too), so a month and the last 30 days agree.
    """
    entries = [i.entry for i in interaction_index(site).interactions if i.people]
    months = monthly_activity(entries, site.settings.today, site.settings.favor_kinds)
    interactions, favors = activity_charts(months)
    return {
        "activity": months,
        "activity_interactions_chart": interactions,
        "activity_favors_chart": favors,
    }
