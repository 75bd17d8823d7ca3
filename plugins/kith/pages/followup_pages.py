"""What the Follow-ups page, Home, the People page and person cards need from the follow-ups.

Each function takes the ``Site`` and reads the one report ``site_follow_ups``
computes (memoised per build), so every page shows the same figures.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kith.analyses.followups import (
    FollowUpReport,
    Reason,
    cadence_of,
    follow_ups,
    job_news,
    next_birthday,
    patch_follow_ups,
)
from kith.analyses.interactions import InteractionIndex, index_interactions, patch_index
from kith.analyses.site import Site
from kith.core.cadence import add_days
from kith.core.config import UNSORTED, Settings
from kith.core.model import Contact, by_name
from kith.pages.calendar_feed import EventMemo, follow_up_calendar

FEED_URI = "follow-ups.ics"
"""Where the calendar feed is written, at the site root."""
HOME_OVERDUE = 5
"""How many overdue people Home lists (the Follow-ups page has them all)."""
HOME_DUE_SOON = 5
RECENT_DAYS = 30
"""Home's recent interactions: those of the last this many days."""
HOME_RECENT = 10


def _interactions(site: Site) -> Mapping[str, Any]:
    since = site.since
    if since is not None:  # a rebuild: mend the last build's index
        return {
            "index": patch_index(
                since.last.index, since.after, site.by_src_uri, site.directory, since.gone
            )
        }
    # Contacts' logs and journal notes alike, as (owner or None, entry) pairs.
    return {"index": index_interactions(site.entries(), site.directory)}


def interaction_index(site: Site) -> InteractionIndex:
    """Done entries of the published network, by person; built once per build."""
    index: InteractionIndex = site.cached(_interactions)["index"]
    return index


def report_context(site: Site) -> Mapping[str, Any]:
    news = _news(site)
    since = site.since
    if since is not None:
        report = patch_follow_ups(
            since.last.report,
            since.last.index,
            site.people,
            interaction_index(site),
            site.settings,
            news,
        )
        return {"report": report}
    return {"report": follow_ups(site.people, interaction_index(site), site.settings, news)}


def _news(site: Site) -> dict[str, Reason]:
    """Recent job changes, from git's field changes of each person's file."""
    history = site.history
    if not history.repository:
        return {}

    def changes(contact: Contact) -> Iterator[tuple[date, str, str, str]]:
        for event in history.of(contact.src_uri).events:
            for change in event.fields:
                yield event.date, change.key, change.old, change.new

    return job_news(site.people, changes, site.settings.today)


def site_follow_ups(site: Site) -> FollowUpReport:
    """The follow-up report of the published network: the one source of every figure."""
    report: FollowUpReport = site.cached(report_context)["report"]
    return report


def follow_ups_context(site: Site) -> Mapping[str, Any]:
    """The Follow-ups page."""
    report = site_follow_ups(site)
    return {
        "overdue": report.overdue,
        "due_soon": report.due_soon,
        "feed": "" if site.settings.feed_secret else FEED_URI,  # a secret is linked nowhere
        "people_total": len(site.people),
    }


BIRTHDAY_DAYS = 30
"""How far ahead Home lists birthdays."""


@dataclass(frozen=True, slots=True)
class Birthday:
    contact: Contact
    date: date
    age: int | None
    """The age they turn, when their birth year is known."""


def home_birthdays(site: Site) -> Mapping[str, Any]:
    """Home: the birthdays of the next ``BIRTHDAY_DAYS`` days, soonest first."""
    today = site.settings.today
    horizon = add_days(today, BIRTHDAY_DAYS)
    found: list[Birthday] = []
    for contact in site.people:
        if contact.birthday is None or contact.archived:
            continue
        when = next_birthday(contact.birthday, today)
        if when <= horizon:
            known = contact.birthday if isinstance(contact.birthday, date) else None
            found.append(Birthday(contact, when, when.year - known.year if known else None))
    found.sort(key=lambda b: (b.date, by_name(b.contact)))
    return {"birthdays": found, "birthday_days": BIRTHDAY_DAYS}


def home_follow_ups(site: Site) -> Mapping[str, Any]:
    """Home: the most overdue, the next due, and what happened lately."""
    report = site_follow_ups(site)
    today = site.settings.today
    start = add_days(today, -RECENT_DAYS)
    recent = [i for i in interaction_index(site).since(start, today) if i.people]
    return {
        "overdue_count": len(report.overdue),
        "top_overdue": report.overdue[:HOME_OVERDUE],
        "due_soon_count": len(report.due_soon),
        "top_due_soon": report.due_soon[:HOME_DUE_SOON],
        "recent_count": len(recent),
        "recent": recent[:HOME_RECENT],
        "recent_days": RECENT_DAYS,
        "recent_since": start,
        # People an import added and nobody tiered yet: no follow-ups until then, so said.
        "unsorted_count": sum(
            1 for c in site.people if c.tier == UNSORTED and not cadence_of(c, site.settings.tiers)
        ),
    }


def person_follow_up(site: Site, contact: Contact) -> Mapping[str, Any]:
    """A person's card: last contact, cadence, next due."""
    return {"follow_up": site_follow_ups(site).of(contact)}


def people_follow_ups(site: Site) -> Mapping[str, Any]:
    """The People page's "Last contact" column."""
    return {"follow_ups": site_follow_ups(site).states}


def follow_up_feed(
    site: Site, site_url: str, urls: Mapping[str, str], memo: EventMemo | None = None
) -> bytes:
    """The calendar feed; events link to person pages when the site's address is known."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    person_urls = (
        {c.src_uri: base + urls[c.src_uri] for c in site.people if c.src_uri in urls}
        if base
        else {}
    )
    settings = site.settings
    return follow_up_calendar(
        site_follow_ups(site), person_urls, memo, settings.birthday_tiers, settings.feed_details
    )


def feed_uri(settings: Settings) -> str:
    """Where the feed is written: ``follow-ups.ics``, or under the secret when one is set."""
    return f"feeds/{settings.feed_secret}/{FEED_URI}" if settings.feed_secret else FEED_URI
