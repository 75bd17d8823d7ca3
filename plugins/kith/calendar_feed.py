"""``follow-ups.ics``: the follow-ups as an RFC 5545 calendar any calendar app can subscribe to.

One all-day event per person with a follow-up due within the horizon; overdue
ones sit on today, so they stay in sight until you reach out. Each person's
event keeps its UID from build to build (it is made from the page slug), so a
subscribed calendar moves the event instead of adding a second one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

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
    events: list[bytes] = []
    for follow_up in report.upcoming(HORIZON_DAYS):
        if follow_up.due is None:  # pragma: no cover - upcoming() lists due people only
            continue
        day = report.today if follow_up.overdue else follow_up.due
        url = (person_urls or {}).get(follow_up.contact.src_uri, "")
        fields = (
            event_uid(follow_up),
            stamp,
            day,
            f"Follow up with {follow_up.contact.name}",
            _description(follow_up),
            follow_up.contact.tier,
            url,
        )
        events.append(_event(fields))
    # The calendar's own lines, then the events before its closing line.
    whole: bytes = calendar.to_ical()
    head, end = whole.rsplit(b"END:VCALENDAR", 1)
    return head + b"".join(events) + b"END:VCALENDAR" + end


_EVENTS: dict[tuple[object, ...], bytes] = {}
"""Events as last written: a ``mkdocs serve`` rebuild writes again only those that changed."""


def _event(fields: tuple[str, datetime, date, str, str, str, str]) -> bytes:
    if fields not in _EVENTS:
        uid, stamp, day, summary, description, tier, url = fields
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("categories", [tier])
        event.add("transp", "TRANSPARENT")
        if url:
            event.add("url", url)
        if len(_EVENTS) > 50_000:
            _EVENTS.clear()
        written: bytes = event.to_ical()
        _EVENTS[fields] = written
    return _EVENTS[fields]
