"""Meetings from a calendar export (``.ics``: Google Calendar, Outlook, Apple Calendar).

Each past event with someone you know among its attendees or its organizer is an
interaction, kind ``meeting``, on the event's local date (in its own time zone), with the
event's title as text. Recurring events are expanded by ``recurring-ical-events`` (RRULE,
RDATE, EXDATE, moved and cancelled instances, time zones) over a bounded window.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]

from kith.core.errors import KithError
from kith.core.model import Contact, by_name
from kith.exchange.captured import Captured
from kith.exchange.match import ADDRESS, People

DEFAULT_MAX_ATTENDEES = 8
"""More attendees than this and an event is no conversation (an all-hands, a webinar)."""
DEFAULT_YEARS = 5
"""How far back recurring events are expanded (and single events read)."""

_NOT_PEOPLE = frozenset({"ROOM", "RESOURCE", "UNKNOWN"})

LEFT_OUT = {
    "cancelled": "cancelled",
    "declined": "declined by you",
    "future": "after today",
    "crowded": "too many attendees",
    "all_day": "all-day without attendees",
    "unknown": "nobody you know",
    "private": "only people not published",
}
"""Why an occurrence is left out, as the summary says it."""


@dataclass
class Scan:
    """What reading the exports found."""

    items: list[Captured] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)
    """Reason (a key of ``LEFT_OUT``) → occurrences."""
    unknown: Counter[str] = field(default_factory=Counter)
    """An address nobody has → occurrences it attended."""
    names: dict[str, str] = field(default_factory=dict)
    """Unknown address → the name the export gives it."""
    cancelled: list[str] = field(default_factory=list)
    """Source ids of cancelled events and instances: lines written for them go."""
    files: int = 0


@dataclass(frozen=True)
class Person:
    address: str
    """Lower-cased e-mail address, ``""`` when the export gives none."""
    name: str
    partstat: str
    organizer: bool = False


def read_calendar(data: bytes, source: str) -> icalendar.Calendar:
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, IndexError, KeyError) as err:
        raise KithError(f"{source}: not an iCalendar file ({err})") from None
    if not calendars:
        raise KithError(f"{source}: no VCALENDAR in the file")
    if len(calendars) == 1:
        return calendars[0]
    merged = icalendar.Calendar()  # several calendars in one file: their components together
    for part in calendars:
        for component in part.subcomponents:
            merged.add_component(component)
    return merged


def ics_files(paths: Iterable[Path]) -> list[Path]:
    """The files given, and the ``.ics`` files in the folders given (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.suffix.lower() == ".ics" and p.is_file()
            )
        else:
            found.append(path)
    return found


def scan(
    calendars: Iterable[tuple[icalendar.Calendar, str]],
    contacts: Iterable[Contact],
    today: date,
    me: Iterable[str] = (),
    max_attendees: int = DEFAULT_MAX_ATTENDEES,
    years: int = DEFAULT_YEARS,
) -> Scan:
    """Every occurrence from ``years`` before ``today`` to ``today``: an interaction, or a
    reason to leave it out. ``me``: your own addresses (an ``X-WR-CALNAME`` that is an
    address, as Google names a calendar, counts as yours too)."""
    people = People(contacts)
    result = Scan()
    start = _years_before(today, years)
    for calendar, source in calendars:
        result.files += 1
        mine = {a.strip().casefold() for a in me if a.strip()}
        name = str(calendar.get("X-WR-CALNAME", "")).strip().casefold()
        if ADDRESS.match(name):
            mine.add(name)
        recurring = _recurring_uids(calendar)
        try:
            query = recurring_ical_events.of(calendar, skip_bad_series=True)
            occurrences = query.between(start, today + timedelta(days=2))
        except Exception as err:  # the library's errors have no common base
            raise KithError(f"{source}: cannot expand its events ({err})") from None
        for event in occurrences:
            _occurrence(event, recurring, people, mine, today, max_attendees, result)
    return result


def _occurrence(
    event: icalendar.Event,
    recurring: set[str],
    people: People,
    mine: set[str],
    today: date,
    max_attendees: int,
    result: Scan,
) -> None:
    start = event.get("DTSTART")
    if start is None:
        return
    when = start.dt
    all_day = not isinstance(when, datetime)
    day = when.date() if isinstance(when, datetime) else when
    attendees = list(_attendees(event))
    organizer = _organizer(event)
    reason = None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        reason = "cancelled"
    elif any(p.address in mine and p.partstat == "DECLINED" for p in attendees):
        reason = "declined"
    elif day > today:
        reason = "future"
    elif len({p.address or p.name for p in attendees}) > max_attendees:
        reason = "crowded"
    elif all_day and not attendees:
        reason = "all_day"
    if reason is not None:
        result.left_out[reason] += 1
        if reason == "cancelled":  # a line an earlier import wrote for it goes
            result.cancelled.append(_source_id(event, start, recurring))
        return
    found: dict[str, Contact] = {}
    private = False
    # The organizer is most often an attendee too (Apple, Google): each counts once.
    everyone: dict[str, Person] = {}
    for person in [*attendees, *([organizer] if organizer else [])]:
        everyone.setdefault(person.address or person.name, person)
    for person in everyone.values():
        if person.address and person.address in mine:
            continue
        if person.partstat == "DECLINED":  # they did not come
            continue
        if person.address and people.knows_address(person.address):
            contact = people.by_address(person.address)
            if contact is None:  # an address two people share tells neither
                continue
        else:
            contact = people.by_name(person.name)
        if contact is None:
            if person.address:
                result.unknown[person.address] += 1
                if person.name and not ADDRESS.match(person.name):
                    result.names.setdefault(person.address, person.name)
            continue
        if not contact.publish:
            private = True
            continue
        found.setdefault(contact.src_uri, contact)
    if not found:
        result.left_out["private" if private else "unknown"] += 1
        return
    text = str(event.get("SUMMARY", ""))
    contacts = tuple(sorted(found.values(), key=by_name))
    result.items.append(
        Captured(day, "meeting", text, contacts, _source_id(event, start, recurring))
    )


def _source_id(event: icalendar.Event, start: Any, recurring: set[str]) -> str:
    """``calendar:<UID>``, and for an occurrence of a series its original start."""
    uid = str(event.get("UID", "")).strip() or _fallback_uid(event)
    source_id = f"calendar:{uid}"
    if uid in recurring:
        source_id += ":" + _instant(event.get("RECURRENCE-ID") or start)
    return source_id


def _attendees(event: icalendar.Event) -> Iterator[Person]:
    values = event.get("ATTENDEE", [])
    for value in values if isinstance(values, list) else [values]:
        params = getattr(value, "params", {})
        if str(params.get("CUTYPE", "INDIVIDUAL")).upper() in _NOT_PEOPLE:
            continue
        yield Person(
            _address(str(value)),
            str(params.get("CN", "")).strip(),
            str(params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
        )


def _organizer(event: icalendar.Event) -> Person | None:
    value = event.get("ORGANIZER")
    if value is None:
        return None
    params = getattr(value, "params", {})
    return Person(_address(str(value)), str(params.get("CN", "")).strip(), "ACCEPTED", True)


def _address(uri: str) -> str:
    text = uri.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    text = text.strip().casefold()
    return text if ADDRESS.match(text) else ""


def _recurring_uids(calendar: icalendar.Calendar) -> set[str]:
    """UIDs of series (a rule, extra dates or moved instances): their occurrences are told
    apart by their original start."""
    found = set()
    for event in calendar.walk("VEVENT"):
        if any(key in event for key in ("RRULE", "RDATE", "RECURRENCE-ID")):
            found.add(str(event.get("UID", "")).strip())
    return found


def _instant(prop: Any) -> str:
    """An occurrence's original start as one spelling: UTC for a time with a zone."""
    value = prop.dt if hasattr(prop, "dt") else prop
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return str(value)


def _fallback_uid(event: icalendar.Event) -> str:
    """An event without a UID (rare; some old exports): its start and title."""
    start = event.get("DTSTART")
    return f"nouid-{_instant(start) if start is not None else ''}-{event.get('SUMMARY', '')}"


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)
