"""Who you were in touch with, and when: every done log entry and the people it involves.

A done entry involves the person whose file it is written in and every person
it wikilinks. The index is built in one pass over all entries, so asking for
one person's history never scans the whole network; follow-ups, backlinks and
activity over time all read from the same index.

Entries come in as ``(owner, entry)`` pairs: ``owner`` is the contact whose
file holds the entry, or ``None`` for a note that belongs to nobody (a journal
page), whose entries involve only the people they link.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from kith.core.directory import Directory
from kith.core.model import Contact, Entry


@dataclass(frozen=True, slots=True)
class Interaction:
    """One done entry and everyone it involves."""

    entry: Entry
    owner: Contact | None
    """The contact whose file holds the entry; ``None`` for a journal note."""
    people: tuple[Contact, ...]
    """The owner first (when there is one), then each linked person once, in link order."""

    @property
    def date(self) -> date:
        return self.entry.date

    def mentions(self, contact: Contact) -> bool:
        """Whether ``contact`` is involved through a link rather than as the file's person."""
        if self.owner is not None and self.owner.src_uri == contact.src_uri:
            return False
        return any(person.src_uri == contact.src_uri for person in self.people)


def _date(interaction: Interaction) -> date:
    return interaction.entry.date


def _oldest_first(interaction: Interaction) -> tuple[date, str, int]:
    return (interaction.entry.date, interaction.entry.source, interaction.entry.line)


@dataclass(frozen=True, slots=True)
class InteractionIndex:
    """Done entries, all of them and per person, oldest first."""

    interactions: tuple[Interaction, ...] = ()
    by_person: Mapping[str, tuple[Interaction, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """``src_uri`` of a contact → the interactions involving them."""

    def of(self, contact: Contact) -> tuple[Interaction, ...]:
        return self.by_person.get(contact.src_uri, ())

    def last(self, contact: Contact) -> Interaction | None:
        """The latest interaction involving ``contact``, or ``None``."""
        history = self.of(contact)
        return history[-1] if history else None

    def since(self, start: date, end: date) -> tuple[Interaction, ...]:
        """Interactions dated ``start`` to ``end``, both included, newest first."""
        first = bisect_left(self.interactions, start, key=_date)  # they are in date order
        last = bisect_right(self.interactions, end, key=_date)
        return tuple(reversed(self.interactions[first:last]))


def contact_entries(contacts: Iterable[Contact]) -> Iterator[tuple[Contact, Entry]]:
    """Every log entry of ``contacts`` with the contact it belongs to."""
    for contact in contacts:
        for entry in contact.entries:
            yield contact, entry


def _interactions(
    entries: Iterable[tuple[Contact | None, Entry]], directory: Directory
) -> Iterator[Interaction]:
    for owner, entry in entries:
        if not entry.done:
            continue
        people: dict[str, Contact] = {}
        if owner is not None:
            people[owner.src_uri] = owner
        for link in entry.links:
            linked = directory.resolve(link.target)
            if linked is not None:
                people.setdefault(linked.src_uri, linked)
        yield Interaction(entry, owner, tuple(people.values()))


def index_interactions(
    entries: Iterable[tuple[Contact | None, Entry]], directory: Directory
) -> InteractionIndex:
    """The done entries among ``entries``, indexed by the people they involve.

    Open entries (``[ ]``) are plans and promises, not contact, and are left out.
    Links are resolved with ``directory``; a link to nobody in it involves nobody.
    """
    interactions: list[Interaction] = []
    by_person: dict[str, list[Interaction]] = {}
    for interaction in _interactions(entries, directory):
        interactions.append(interaction)
        for person in interaction.people:
            by_person.setdefault(person.src_uri, []).append(interaction)
    interactions.sort(key=_oldest_first)
    return InteractionIndex(
        interactions=tuple(interactions),
        by_person=MappingProxyType(
            {key: tuple(sorted(value, key=_oldest_first)) for key, value in by_person.items()}
        ),
    )


def patch_index(
    last: InteractionIndex,
    after: Mapping[str, Contact],
    people: Mapping[str, Contact],
    directory: Directory,
    gone: frozenset[str] = frozenset(),
) -> InteractionIndex:
    """``last`` (the index of a network) after the files of ``after`` changed: the same
    people under the same names, so every other file's links point where they did.

    What ``index_interactions`` would give, built from the interactions involving a
    changed person (their own entries, read again, and the others' entries naming
    them, which must hold the person as they are now); the rest is kept.
    ``people``: every published contact by ``src_uri``, as they are now; ``gone``: the
    people no longer published (every file naming them is among ``after``).
    """
    changed = after.keys() | gone
    stale = {id(i): i for src_uri in changed for i in last.by_person.get(src_uri, ())}
    fresh = [
        Interaction(i.entry, i.owner, tuple(people[p.src_uri] for p in i.people))
        for i in stale.values()
        if i.owner is None or i.owner.src_uri not in changed
    ]
    fresh += _interactions(contact_entries(after.values()), directory)
    fresh.sort(key=_oldest_first)
    interactions = [i for i in last.interactions if id(i) not in stale]
    for interaction in fresh:
        insort(interactions, interaction, key=_oldest_first)
    touched = {p.src_uri for i in (*stale.values(), *fresh) for p in i.people}
    by_person = dict(last.by_person)
    for src_uri in touched:
        history = [i for i in last.by_person.get(src_uri, ()) if id(i) not in stale]
        for interaction in fresh:
            if any(p.src_uri == src_uri for p in interaction.people):
                insort(history, interaction, key=_oldest_first)
        if history:
            by_person[src_uri] = tuple(history)
        else:
            by_person.pop(src_uri, None)
    return InteractionIndex(interactions=tuple(interactions), by_person=MappingProxyType(by_person))
