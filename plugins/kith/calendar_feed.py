"""``follow-ups.ics``: the follow-ups as an RFC 5545 calendar any calendar app can subscribe to.

One all-day event per person with a follow-up due within the horizon; overdue
ones sit on today, so they stay in sight until you reach out. Each person's
event keeps its UID from build to build (it is made from the page slug), so a
subscribed calendar moves the event instead of adding a second one.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from icalendar import Calendar, Event

from . import cadence
from .followups import FollowUp, FollowUpReport, describe_reason

HORIZON_DAYS = 92
"""How far ahead the feed lists follow-ups."""


def event_uid(follow_up: FollowUp) -> str:
    return f"follow-up-{follow_up.contact.slug}@kith"


def _description(follow_up: FollowUp) -> str:
    lines = []
    if follow_up.never_contacted:
        lines.append("Never contacted.")
    elif follow_up.overdue and follow_up.due is not None:
        lines.append(f"Overdue since {follow_up.due.isoformat()} ({follow_up.days_late} days).")
    lines.append(f"Cadence: {cadence.describe(follow_up.cadence)}.")
    if follow_up.last_contact is not None:
        lines.append(f"Last contact: {follow_up.last_contact.isoformat()}.")
    if follow_up.reason is not None:
        lines.append(describe_reason(follow_up.reason))
    return "\n".join(lines)


def follow_up_calendar(report: FollowUpReport, person_urls: dict[str, str] | None = None) -> bytes:
    """The feed's bytes. ``person_urls``: ``src_uri`` → absolute page URL, when the site has one."""
    calendar = Calendar()
    calendar.add("prodid", "-//kith//Follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Follow-ups")
    # A stamp derived from today, not the clock, keeps builds of the same day identical.
    stamp = datetime.combine(report.today, time(), tzinfo=UTC)
    for follow_up in report.upcoming(HORIZON_DAYS):
        if follow_up.due is None:  # pragma: no cover - upcoming() lists due people only
            continue
        day = report.today if follow_up.overdue else follow_up.due
        event = Event()
        event.add("uid", event_uid(follow_up))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", f"Follow up with {follow_up.contact.name}")
        event.add("description", _description(follow_up))
        event.add("categories", [follow_up.contact.tier])
        event.add("transp", "TRANSPARENT")
        url = (person_urls or {}).get(follow_up.contact.src_uri)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    feed: bytes = calendar.to_ical()
    return feed
