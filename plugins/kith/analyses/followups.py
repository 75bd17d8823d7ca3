"""Follow-ups: when you last talked to each person, how often you mean to, and who is due.

One function, ``follow_ups``, computes every follow-up figure kith shows: the
Follow-ups page, Home, the person card, the People page, the calendar feed and
``kith due`` all read its report, so they cannot disagree.
"""

from __future__ import annotations

import re
from bisect import insort
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from kith.analyses.interactions import Interaction, InteractionIndex
from kith.core.cadence import add_days
from kith.core.config import Settings
from kith.core.grammar import WIKILINK, strip_comments, wikilink_parts
from kith.core.model import Contact, MonthDay, by_name


@dataclass(frozen=True, slots=True)
class Reason:
    """Something to talk about when you reach out."""

    kind: str
    """``promise`` (an open ``[ ]`` entry), ``first`` (the first follow-up since you met:
    ``text`` is how), ``news`` (a new company or role, from git: ``text`` says which),
    ``birthday``, or ``last`` (the last log entry)."""
    date: date
    text: str = ""
    """The entry's Markdown, as written; empty for a birthday."""
    entry_kind: str = ""
    """The entry's kind (``coffee``, ``gave``...), when the reason is an entry."""


@dataclass(frozen=True, slots=True)
class FollowUp:
    """The follow-up state of one person on ``today``."""

    contact: Contact
    today: date
    last_contact: date | None
    """Latest of: done entries involving them, ``last_contact``, ``met`` (none after today)."""
    last_source: str
    """Where ``last_contact`` comes from: ``log``, ``last_contact``, ``met`` or empty."""
    cadence: int
    """Days between follow-ups; 0 when they get none."""
    due: date | None
    """``None`` when they get no follow-ups."""
    never_contacted: bool
    """No contact on record and no ``next_follow_up``: due now, first of all."""
    overdue: bool
    due_soon: bool
    days_late: int
    """``today − due`` in days (negative while the date is ahead); 0 when not due."""
    lateness: float
    """``days_late / cadence`` when overdue, else 0."""
    reason: Reason | None

    @property
    def status(self) -> str:
        """``overdue``, ``due soon``, ``later`` or ``none``."""
        if self.due is None:
            return "none"
        if self.overdue:
            return "overdue"
        return "due soon" if self.due_soon else "later"

    @property
    def days_since(self) -> int | None:
        """Days since the last contact, or ``None`` when there was none."""
        return None if self.last_contact is None else (self.today - self.last_contact).days


@dataclass(frozen=True, slots=True)
class FollowUpReport:
    """Every person's follow-up state, and who is overdue or due soon, ranked."""

    today: date
    states: Mapping[str, FollowUp]
    """``src_uri`` → state, for every contact given (those without follow-ups too)."""
    overdue: tuple[FollowUp, ...]
    """Never contacted first, then most late (relative to their cadence) first; ties by name."""
    due_soon: tuple[FollowUp, ...]
    """Due today or within ``due_soon`` days, soonest first; ties by name."""
    news: Mapping[str, Reason] = field(default_factory=lambda: MappingProxyType({}))
    """``src_uri`` → a recent job change, a reason to reach out (``job_news``)."""

    @property
    def ranked(self) -> tuple[FollowUp, ...]:
        """Overdue, then due soon: the list of people to reach out to."""
        return self.overdue + self.due_soon

    def of(self, contact: Contact) -> FollowUp | None:
        return self.states.get(contact.src_uri)

    def upcoming(self, days: int) -> tuple[FollowUp, ...]:
        """The ranked list, then everyone else due within ``days`` of today, by date."""
        horizon = add_days(self.today, days)
        ranked = {f.contact.src_uri for f in self.ranked}
        later = [
            f
            for f in self.states.values()
            if f.due is not None and f.contact.src_uri not in ranked and f.due <= horizon
        ]
        later.sort(key=lambda f: (f.due, by_name(f.contact)))
        return self.ranked + tuple(later)


def cadence_of(contact: Contact, tiers: Mapping[str, int]) -> int:
    """Days between follow-ups: ``follow_up``, else the tier's; 0 (none) for archived people."""
    if contact.archived:
        return 0
    if contact.follow_up is not None:
        return contact.follow_up
    return tiers.get(contact.tier, 0)


def next_birthday(birthday: date | MonthDay, today: date) -> date:
    """The first birthday on or after ``today`` (29 February falls on the 28th otherwise)."""
    for year in (today.year, today.year + 1):
        try:
            when = birthday.replace(year=year)
        except ValueError:
            when = date(year, 2, 28)
        if when >= today:
            return when
    raise AssertionError("unreachable: next year's birthday is after today")


def _latest_contact(
    contact: Contact, history: tuple[Interaction, ...], today: date
) -> tuple[date | None, str]:
    logged = next((i.entry.date for i in reversed(history) if i.entry.date <= today), None)
    candidates = [(logged, "log"), (contact.last_contact, "last_contact"), (contact.met, "met")]
    known = [(when, source) for when, source in candidates if when is not None and when <= today]
    if not known:
        return None, ""
    # max keeps the first of equal dates: a logged entry explains more than a bare date.
    return max(known, key=lambda pair: pair[0])


def reason_to_reach_out(
    contact: Contact,
    history: tuple[Interaction, ...],
    due: date | None,
    settings: Settings,
    first: bool = False,
    news: Reason | None = None,
) -> Reason | None:
    """An open promise, else the first follow-up since you met, else news to
    congratulate on, else a birthday coming up around the due date, else the last topic."""
    today = settings.today
    promises = sorted((e for e in contact.entries if not e.done), key=lambda e: (e.date, e.line))
    if promises:
        oldest = promises[0]
        return Reason("promise", oldest.date, oldest.text, oldest.kind)
    if first and contact.met is not None:
        return Reason("first", contact.met, contact.how_met)
    if news is not None:
        return news
    if contact.birthday is not None:
        birthday = next_birthday(contact.birthday, today)
        window_end = add_days(max(due or today, today), settings.due_soon)
        if birthday <= window_end:
            return Reason("birthday", birthday)
    last = next((i.entry for i in reversed(history) if i.entry.date <= today), None)
    if last is not None:
        return Reason("last", last.date, last.text, last.kind)
    return None


NEWS_DAYS = 60
"""How long a new company or role stays a reason to reach out."""


def job_news(
    contacts: Iterable[Contact],
    changes: Callable[[Contact], Iterable[tuple[date, str, str, str]]],
    today: date,
) -> dict[str, Reason]:
    """``src_uri`` → the latest change of company or role of the last ``NEWS_DAYS`` days:
    ``changes`` gives a person's field changes as ``(date, key, old, new)``, newest first."""
    found: dict[str, Reason] = {}
    for contact in contacts:
        for when, key, old, new in changes(contact):
            if (today - when).days > NEWS_DAYS:
                break
            if key in ("company", "role") and old and new and when <= today:
                found[contact.src_uri] = Reason("news", when, f"{key}: {old} → {new}")
                break
    return found


def follow_up_of(
    contact: Contact,
    index: InteractionIndex,
    settings: Settings,
    news: Mapping[str, Reason] | None = None,
) -> FollowUp:
    """One person's follow-up state on ``settings.today``."""
    today = settings.today
    history = index.of(contact)
    last, source = _latest_contact(contact, history, today)
    cadence = cadence_of(contact, settings.tiers)
    if not cadence and _warm_prospect(contact, today):
        cadence = settings.tiers.get("active", 90)  # in touch: followed up as someone active
    due: date | None = None
    never = first = False
    if cadence:
        planned = contact.next_follow_up
        # Contact on or after the planned date fulfils it; a stale date must not keep
        # someone you have just seen overdue.
        if planned is not None and (last is None or last < planned):
            due = planned
        elif last is None:
            due, never = today, True
        elif source == "met" and settings.first_follow_up:
            # Nothing since the day you met: the first follow-up, whatever the tier's cadence.
            due, first = add_days(last, min(settings.first_follow_up, cadence)), True
        else:
            due = add_days(last, cadence)
        if contact.birthday is not None and due > today:
            birthday = next_birthday(contact.birthday, today)
            if birthday < due and (birthday - today).days <= settings.due_soon:
                due = birthday  # a near birthday is a reason to reach out before the date
    days_late = (today - due).days if due is not None else 0
    overdue = never or (due is not None and due < today)
    due_soon = due is not None and not overdue and days_late >= -settings.due_soon
    return FollowUp(
        contact=contact,
        today=today,
        last_contact=last,
        last_source=source,
        cadence=cadence,
        due=due,
        never_contacted=never,
        overdue=overdue,
        due_soon=due_soon,
        days_late=days_late,
        lateness=days_late / cadence if overdue and cadence else 0.0,
        reason=reason_to_reach_out(
            contact, history, due, settings, first, (news or {}).get(contact.src_uri)
        ),
    )


def _warm_prospect(contact: Contact, today: date) -> bool:
    """A prospect you have been in touch with: a done entry in their own log (another
    person's line naming them is a mention, not contact), not in the future."""
    return (
        contact.tier == "prospect"
        and not contact.archived
        and contact.follow_up is None
        and any(e.done and e.date <= today for e in contact.entries)
    )


def _overdue_rank(follow_up: FollowUp) -> tuple[bool, Fraction, tuple[str, str]]:
    # Fractions compare exactly: 10 of 30 days late ties with 20 of 60, and the name decides.
    late = Fraction(follow_up.days_late, follow_up.cadence or 1)
    return (not follow_up.never_contacted, -late, by_name(follow_up.contact))


def _due_soon_rank(follow_up: FollowUp) -> tuple[date | None, tuple[str, str]]:
    return (follow_up.due, by_name(follow_up.contact))


def follow_ups(
    contacts: Iterable[Contact],
    index: InteractionIndex,
    settings: Settings,
    news: Mapping[str, Reason] | None = None,
) -> FollowUpReport:
    """Everyone's follow-up state, with the overdue and due-soon lists ranked."""
    news = MappingProxyType(dict(news or {}))
    states = {c.src_uri: follow_up_of(c, index, settings, news) for c in contacts}
    overdue = sorted((f for f in states.values() if f.overdue), key=_overdue_rank)
    due_soon = sorted((f for f in states.values() if f.due_soon), key=_due_soon_rank)
    return FollowUpReport(
        today=settings.today,
        states=MappingProxyType(states),
        overdue=tuple(overdue),
        due_soon=tuple(due_soon),
        news=news,
    )


def patch_follow_ups(
    last: FollowUpReport,
    last_index: InteractionIndex,
    contacts: Iterable[Contact],
    index: InteractionIndex,
    settings: Settings,
    news: Mapping[str, Reason] | None = None,
) -> FollowUpReport:
    """``follow_ups`` of ``contacts`` on the same day, from ``last``: a person's state
    is worked out again when their file, their interactions or their news changed (a new
    object: ``patch_index`` keeps the others'), or when they are new; the people no
    longer among ``contacts`` go; the ranked lists are mended around them."""
    news = MappingProxyType(dict(news or {}))
    states = dict(last.states)
    redone: list[FollowUp] = []
    now = {contact.src_uri: contact for contact in contacts}
    gone = states.keys() - now.keys()  # no longer published
    for src_uri in gone:
        del states[src_uri]
    for contact in now.values():
        before = states.get(contact.src_uri)
        if (
            before is not None
            and before.contact is contact
            and index.of(contact) is last_index.of(contact)
            and news.get(contact.src_uri) == last.news.get(contact.src_uri)
        ):
            continue
        states[contact.src_uri] = follow_up_of(contact, index, settings, news)
        redone.append(states[contact.src_uri])
    gone |= {f.contact.src_uri for f in redone}
    overdue = [f for f in last.overdue if f.contact.src_uri not in gone]
    due_soon = [f for f in last.due_soon if f.contact.src_uri not in gone]
    for follow_up in redone:
        if follow_up.overdue:
            insort(overdue, follow_up, key=_overdue_rank)
        elif follow_up.due_soon:
            insort(due_soon, follow_up, key=_due_soon_rank)
    if list(states) != list(now):  # in the people's order, as ``follow_ups`` gives them
        states = {src_uri: states[src_uri] for src_uri in now}
    return FollowUpReport(
        today=settings.today,
        states=MappingProxyType(states),
        overdue=tuple(overdue),
        due_soon=tuple(due_soon),
        news=news,
    )


def follow_up_record(follow_up: FollowUp) -> dict[str, Any]:
    """One follow-up as plain JSON-ready data (what ``kith due --json`` prints)."""
    contact, reason = follow_up.contact, follow_up.reason
    return {
        "name": contact.name,
        "slug": contact.slug,
        "path": contact.path,
        "tier": contact.tier,
        "email": contact.email,
        "phone": contact.phone,
        "linkedin": contact.linkedin,
        "status": follow_up.status,
        "never_contacted": follow_up.never_contacted,
        "last_contact": _iso(follow_up.last_contact),
        "days_since": follow_up.days_since,
        "cadence_days": follow_up.cadence,
        "due": _iso(follow_up.due),
        "days_late": follow_up.days_late,
        "lateness": round(follow_up.lateness, 3),
        "reason": None
        if reason is None
        else {
            "kind": reason.kind,
            "date": reason.date.isoformat(),
            "entry_kind": reason.entry_kind,
            "text": reason.text,
        },
    }


def plain_text(markdown: str) -> str:
    """A log entry's Markdown as plain text: comments gone, ``[[A|b]]`` shown as ``b``."""
    return " ".join(WIKILINK.sub(_shown_link, strip_comments(markdown)).split())


def _shown_link(match: re.Match[str]) -> str:
    target, _, label = wikilink_parts(match.group(2))
    return label or target


def describe_reason(reason: Reason) -> str:
    """The reason as one line of plain text, for the calendar and the terminal."""
    when = reason.date.isoformat()
    if reason.kind == "promise":
        return f"Promised {when}: {plain_text(reason.text)}"
    if reason.kind == "birthday":
        return f"Birthday {when}"
    if reason.kind == "news":
        return f"New {plain_text(reason.text)} since {when}: congratulate them"
    if reason.kind == "first":
        how = f" ({plain_text(reason.text)})" if reason.text.strip() else ""
        return f"First follow-up since you met, {when}{how}"
    kind = f" ({reason.entry_kind})" if reason.entry_kind else ""
    text = plain_text(reason.text)
    return f"Last time{kind}, {when}: {text}" if text else f"Last time{kind}, {when}"


def _iso(when: date | None) -> str | None:
    return None if when is None else when.isoformat()
