"""``follow-ups.ics``: the follow-ups as an RFC 5545 calendar any calendar app can subscribe to.

One all-day event per person with a follow-up due within the horizon; overdue
ones sit on today, so they stay in sight until you reach out. Each person's
event keeps its UID from build to build (it is made from the page slug), so a
subscribed calendar moves the event instead of adding a second one. Birthdays of
the tiers the ``birthday_tiers`` option names are yearly events (``RRULE``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time
from functools import lru_cache

from icalendar import Calendar, Event
from icalendar.parser import Contentline
from icalendar.prop import vText, vUri

from kith.analyses.followups import FollowUp, FollowUpReport, describe_reason
from kith.core import cadence
from kith.core.cadence import add_days
from kith.core.model import Contact

HORIZON_DAYS = 92
"""How far ahead the feed lists follow-ups."""


def event_uid(follow_up: FollowUp) -> str:
    return f"follow-up-{follow_up.contact.slug}@kith"


def _description(follow_up: FollowUp, details: bool) -> str:
    """The event's text: its dates and cadence; with ``details``, the reason to reach out
    too (a note, a promise, a log line: text a calendar service would hold)."""
    lines = []
    if follow_up.never_contacted:
        lines.append("Never contacted.")
    elif follow_up.overdue and follow_up.due is not None:
        lines.append(f"Overdue since {follow_up.due.isoformat()} ({follow_up.days_late} days).")
    lines.append(f"Cadence: {cadence.describe(follow_up.cadence)}.")
    if follow_up.last_contact is not None:
        lines.append(f"Last contact: {follow_up.last_contact.isoformat()}.")
    if details and follow_up.reason is not None:
        lines.append(describe_reason(follow_up.reason))
    return "\n".join(lines)


def follow_up_calendar(
    report: FollowUpReport,
    person_urls: dict[str, str] | None = None,
    memo: EventMemo | None = None,
    birthday_tiers: Collection[str] = (),
    details: bool = False,
) -> bytes:
    """The feed's bytes. ``person_urls``: ``src_uri`` → absolute page URL, when the site has one.

    ``memo`` keeps events as written, for the next rebuild.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//kith//Follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Follow-ups")
    # A stamp derived from today, not the clock, keeps builds of the same day identical.
    stamp = datetime.combine(report.today, time(), tzinfo=UTC)
    urls = person_urls or {}
    events: list[bytes] = []
    for follow_up in report.upcoming(HORIZON_DAYS):
        if follow_up.due is None:  # pragma: no cover - upcoming() lists due people only
            continue
        day = report.today if follow_up.overdue else follow_up.due
        url = urls.get(follow_up.contact.src_uri, "")
        fields = (
            event_uid(follow_up),
            stamp,
            day,
            f"Follow up with {follow_up.contact.name}",
            _description(follow_up, details),
            follow_up.contact.tier,
            url,
        )
        events.append(_event(fields, memo if memo is not None else {}))
    for state in sorted(report.states.values(), key=lambda f: f.contact.slug):
        contact = state.contact
        if contact.birthday is not None and contact.tier in birthday_tiers and not contact.archived:
            url = urls.get(contact.src_uri, "")
            events.append(_birthday_event(contact, stamp, url))
    # The calendar's own lines, then the events before its closing line.
    whole: bytes = calendar.to_ical()
    head, end = whole.rsplit(b"END:VCALENDAR", 1)
    return head + b"".join(events) + b"END:VCALENDAR" + end


def _birthday_event(contact: Contact, stamp: datetime, url: str) -> bytes:
    """A yearly all-day event on the person's birthday (from a leap year when its year is
    not known: 29 February recurs too)."""
    birthday = contact.birthday
    assert birthday is not None
    start = birthday if isinstance(birthday, date) else birthday.replace(year=2000)
    event = Event()
    event.add("summary", f"Birthday: {contact.name}")
    event.add("dtstart", start)
    event.add("dtend", add_days(start, 1))
    event.add("dtstamp", stamp)
    event.add("uid", f"birthday-{contact.slug}@kith")
    event.add("rrule", {"freq": "yearly"})
    event.add("categories", ["birthday"])
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    written: bytes = event.to_ical()
    return written


EventMemo = dict[tuple[object, ...], bytes]
"""Events as last written: a rebuild writes again only those that changed."""


def _event(fields: tuple[str, datetime, date, str, str, str, str], memo: EventMemo) -> bytes:
    """One ``VEVENT``, byte for byte what icalendar's ``Event.to_ical()`` writes.

    Building an ``Event`` and serialising it costs about 120 µs, most of it spent
    on values that are the same for hundreds of events (the stamp, the days, the
    tiers) and on folding lines too short to fold. So the properties are written
    here in the order ``Event`` puts them in (its canonical order, then the rest
    alphabetically): the repeated ones as icalendar rendered them once
    (``_property``), the others encoded by icalendar's own value types and folded
    by icalendar's rule (``_line``). ``tests/test_followups.py`` keeps the plain
    ``Event`` version and checks that both write the same bytes on awkward values.
    """
    if fields not in memo:
        uid, stamp, day, summary, description, tier, url = fields
        lines = [
            b"BEGIN:VEVENT\r\n",
            _line("SUMMARY", vText(summary).to_ical()),
            _property("dtstart", day),
            _property("dtend", add_days(day, 1)),
            _property("dtstamp", stamp),
            _line("UID", vText(uid).to_ical()),
            _property("categories", tier),
            _line("DESCRIPTION", vText(description).to_ical()),
            _property("transp", "TRANSPARENT"),
        ]
        if url:
            lines.append(_line("URL", vUri(url).to_ical()))
        lines.append(b"END:VEVENT\r\n")
        if len(memo) > 50_000:
            memo.clear()
        memo[fields] = b"".join(lines)
    return memo[fields]


@lru_cache(maxsize=1024)
def _property(name: str, value: str | date) -> bytes:
    """A property many events share (a day, a tier, the stamp), as an ``Event`` writes it.

    Rendered by icalendar itself, parameters such as ``VALUE=DATE`` included, and
    only once per value.
    """
    event = Event()
    event.add(name, [value] if name == "categories" else value)
    written: bytes = event.to_ical()
    return written.removeprefix(b"BEGIN:VEVENT\r\n").removesuffix(b"END:VEVENT\r\n")


def _line(name: str, value: bytes) -> bytes:
    """``NAME:value`` and its line ending, folded as ``Event.to_ical()`` folds it.

    icalendar cuts a line of 75 octets or more into pieces of 74 octets, each
    piece after the first on a line of its own behind a space, and moves a
    piece's last character to the next piece when it is ``\\`` or ``^``, so an
    escape is never cut in two. It weighs one character at a time, which was
    most of the cost of an event, so plain ASCII lines (one octet per character)
    are cut here by the same rule; lines with longer characters go through
    icalendar's own ``Contentline``.
    """
    line = name.encode() + b":" + value
    if len(line) < _FOLD_AT:
        return line + b"\r\n"
    if not line.isascii():
        folded: bytes = Contentline(line.decode()).to_ical()  # type: ignore[no-untyped-call]
        return folded + b"\r\n"
    pieces, start = [], 0
    while len(line) - start >= _FOLD_AT:
        end = start + _FOLD_AT - 1
        if line[end - 1 : end] in (b"\\", b"^"):
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


_FOLD_AT = 75
"""icalendar folds lines of this many octets or more (RFC 5545: at most 75 before a line break)."""
