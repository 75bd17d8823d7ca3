"""The favors ledger: who you helped, who helped you, and what is still promised.

A favor is a log entry of kind ``gave`` (you did something for them) or
``received`` (they did something for you), or of an alias of either. ``[ ]``
marks an open promise: listed apart, never counted as done. Pure: the input
is ``(counterparties, entry)`` pairs and ``today``, so a contact file (one
counterparty, the file's person) and a journal note (every person it links)
feed the same analysis.

Counting rules, decided once here:

- A favor counts once per counterparty: a journal entry linking two people is
  one favor given to each, so totals are sums over people and the per-person
  balances always add up to ``given - received``.
- "Helped in the last 12 months" is the 365 days up to today:
  ``today - 365 < date <= today``. A favor exactly 365 days old is out; one
  dated after today (a typo, or a plan written as done) is out too.
- The first favor with a person is their earliest done one. When you gave and
  received on that same earliest date, nobody went first (``first_by`` is
  ``"both"``): the gave-first share counts only relationships where you
  clearly moved first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Literal

from kith.core.cadence import add_days
from kith.core.kinds import DEFAULT_FAVOR_KINDS, GAVE, RECEIVED, Direction, favor_kinds
from kith.core.model import Contact, Entry

__all__ = ["DEFAULT_FAVOR_KINDS", "GAVE", "RECEIVED", "Direction", "favor_kinds"]

FirstBy = Literal["you", "them", "both"]
RECENT_DAYS = 365
"""The window of "people helped in the last 12 months"."""

FavorSource = tuple[tuple[Contact, ...], Entry]
"""An entry and the people it is a favor with (the file's person, or a note's links)."""


def contact_favor_sources(contacts: Iterable[Contact]) -> Iterable[FavorSource]:
    """Every log entry of every contact, with the file's person as its counterparty."""
    for contact in contacts:
        for entry in contact.entries:
            yield (contact,), entry


@dataclass(frozen=True, slots=True)
class Favor:
    """One favor with one person (an entry with two counterparties makes two)."""

    person: Contact
    entry: Entry
    direction: Direction

    @property
    def date(self) -> date:
        return self.entry.date

    @property
    def done(self) -> bool:
        return self.entry.done

    @property
    def text(self) -> str:
        return self.entry.text


@dataclass(frozen=True, slots=True)
class PersonFavors:
    """The favors with one person."""

    person: Contact
    given: int
    """Done favors you gave."""
    received: int
    """Done favors you received."""
    first: Favor | None
    """The earliest done favor (on a tie, the one you gave); ``None`` if only promises."""
    first_by: FirstBy | None
    """Who gave the first done favor: ``you``, ``them``, or ``both`` on the same day."""
    last: date
    """The date of the latest favor, open ones included."""
    last_given: date | None
    """The date of the latest done favor you gave."""
    last_received: date | None
    """The date of the latest done favor you received."""
    you_owe: tuple[Favor, ...]
    """Open promises you made them (open ``gave``), oldest first."""
    owed_to_you: tuple[Favor, ...]
    """Open promises they made you (open ``received``), oldest first."""

    @property
    def balance(self) -> int:
        return self.given - self.received


@dataclass(frozen=True)
class FavorReport:
    """Everything the Favors page, Home and the person cards show."""

    today: date
    ledger: tuple[Favor, ...]
    """Every favor, done and open, oldest first."""
    people: tuple[PersonFavors, ...]
    """Everyone with a favor, most recent favor first."""
    total_given: int
    total_received: int
    helped_recently: tuple[PersonFavors, ...]
    """People you gave a done favor in the last 12 months, most recent first."""
    helped_recently_core: int
    """How many of them are in the core tier (archived people left out)."""
    gave_first: int
    """People whose first done favor was yours."""
    with_done_favor: int
    """People with at least one done favor: the base of the gave-first share."""
    you_owe: tuple[Favor, ...]
    """Open ``gave`` promises, oldest first."""
    owed_to_you: tuple[Favor, ...]
    """Open ``received`` promises, oldest first."""
    pay_back: tuple[PersonFavors, ...]
    """People who gave you more than you gave them, most recently received first."""

    @property
    def balance(self) -> int:
        return self.total_given - self.total_received

    @property
    def gave_first_share(self) -> float | None:
        """The share of relationships where you gave first; ``None`` with no done favor."""
        return self.gave_first / self.with_done_favor if self.with_done_favor else None

    @property
    def recent_since(self) -> date:
        """The first day inside the 12-month window."""
        return add_days(self.today, -(RECENT_DAYS - 1))

    def person(self, contact: Contact) -> PersonFavors | None:
        """The favors with ``contact``; ``None`` when there are none."""
        return self._by_person.get(contact.src_uri)

    @cached_property
    def _by_person(self) -> Mapping[str, PersonFavors]:
        return {p.person.src_uri: p for p in self.people}


def _ledger_order(favor: Favor) -> tuple[date, str, int, str]:
    return (favor.date, favor.entry.source, favor.entry.line, favor.person.src_uri)


def favor_ledger(
    sources: Iterable[FavorSource], kinds: Mapping[str, Direction] = DEFAULT_FAVOR_KINDS
) -> tuple[Favor, ...]:
    """Every favor in date order (then by file and line); one per counterparty."""
    favors: list[Favor] = []
    for people, entry in sources:
        direction = kinds.get(entry.kind)
        if direction is None:
            continue
        seen: set[str] = set()
        for person in people:
            if person.src_uri not in seen:
                seen.add(person.src_uri)
                favors.append(Favor(person, entry, direction))
    return tuple(sorted(favors, key=_ledger_order))


def _person_favors(person: Contact, favors: list[Favor]) -> PersonFavors:
    """``favors`` are this person's, in ledger (date) order."""
    done = [f for f in favors if f.done]
    first: Favor | None = None
    first_by: FirstBy | None = None
    if done:
        earliest = [f for f in done if f.date == done[0].date]
        directions = {f.direction for f in earliest}
        first_by = "both" if len(directions) == 2 else "you" if GAVE in directions else "them"
        first = next((f for f in earliest if f.direction == GAVE), earliest[0])
    gifts = [f for f in done if f.direction == GAVE]
    received = [f for f in done if f.direction == RECEIVED]
    return PersonFavors(
        person=person,
        given=len(gifts),
        received=len(received),
        first=first,
        first_by=first_by,
        last=favors[-1].date,
        last_given=gifts[-1].date if gifts else None,
        last_received=received[-1].date if received else None,
        you_owe=tuple(f for f in favors if not f.done and f.direction == GAVE),
        owed_to_you=tuple(f for f in favors if not f.done and f.direction == RECEIVED),
    )


def _is_core(contact: Contact) -> bool:
    return contact.tier == "core" and not contact.archived


def favor_report(
    sources: Iterable[FavorSource],
    today: date,
    kinds: Mapping[str, Direction] = DEFAULT_FAVOR_KINDS,
) -> FavorReport:
    """The favors ledger and every figure derived from it."""
    ledger = favor_ledger(sources, kinds)
    grouped: dict[str, tuple[Contact, list[Favor]]] = {}
    for favor in ledger:
        grouped.setdefault(favor.person.src_uri, (favor.person, []))[1].append(favor)
    people = sorted(
        (_person_favors(person, favors) for person, favors in grouped.values()),
        key=lambda p: (-p.last.toordinal(), p.person.name.casefold(), p.person.src_uri),
    )
    window_start = add_days(today, -RECENT_DAYS)
    latest_gift: dict[str, date] = {}
    for favor in ledger:
        if favor.done and favor.direction == GAVE and window_start < favor.date <= today:
            latest_gift[favor.person.src_uri] = favor.date
    helped = sorted(
        (p for p in people if p.person.src_uri in latest_gift),
        key=lambda p: (-latest_gift[p.person.src_uri].toordinal(), p.person.name.casefold()),
    )
    with_first = [p for p in people if p.first_by is not None]
    pay_back = sorted(
        (p for p in people if p.received > p.given),
        key=lambda p: (-(p.last_received or date.min).toordinal(), p.person.name.casefold()),
    )
    return FavorReport(
        today=today,
        ledger=ledger,
        people=tuple(people),
        total_given=sum(p.given for p in people),
        total_received=sum(p.received for p in people),
        helped_recently=tuple(helped),
        helped_recently_core=sum(1 for p in helped if _is_core(p.person)),
        gave_first=sum(1 for p in with_first if p.first_by == "you"),
        with_done_favor=len(with_first),
        you_owe=tuple(f for f in ledger if not f.done and f.direction == GAVE),
        owed_to_you=tuple(f for f in ledger if not f.done and f.direction == RECEIVED),
        pay_back=tuple(pay_back),
    )
