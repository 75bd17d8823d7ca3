"""Who an export means, the same way for every interaction import (calendar, mail, LinkedIn
messages): an e-mail address, a LinkedIn profile or a name → one of your people, and at
most one interaction per person per day.

Every contact is indexed, private ones too: a ``publish: false`` person must be
recognised to be kept out. An address or profile two people share tells neither; a name
is a person's name, file name or alias (case and accents aside), and a name two people
share tells neither either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from kith.core.directory import Directory
from kith.core.model import Contact
from kith.exchange.captured import Captured
from kith.exchange.core import normal_linkedin

ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+$")
"""Something with one ``@`` and no space: an e-mail address, not a name."""


def addresses(contact: Contact) -> tuple[str, ...]:
    """A contact's e-mail addresses, lower-cased, the first one first."""
    value: Any = contact.emails or contact.email
    values = value if isinstance(value, list | tuple) else [value]
    return tuple(v.strip().casefold() for v in values if isinstance(v, str) and v.strip())


class People:
    """Every contact, by address, by profile and by name."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.contacts = tuple(contacts)
        self._addresses = _unique((a, c) for c in self.contacts for a in addresses(c))
        self._profiles = _unique(
            (profile, c) for c in self.contacts if (profile := normal_linkedin(c.linkedin))
        )
        self.directory = Directory(self.contacts)

    def knows_address(self, address: str) -> bool:
        """Whether the address is anyone's (even two people's)."""
        return address in self._addresses

    def by_address(self, address: str) -> Contact | None:
        """The one person whose ``email`` (any of them) is ``address`` (lower-cased)."""
        return self._addresses.get(address)

    def knows_profile(self, profile: str) -> bool:
        return normal_linkedin(profile) in self._profiles

    def by_profile(self, profile: str) -> Contact | None:
        """The one person whose ``linkedin`` is ``profile``, in any of its spellings."""
        return self._profiles.get(normal_linkedin(profile))

    def knows_name(self, name: str) -> bool:
        return self.directory.resolve(" ".join(name.split())) is not None

    def by_name(self, name: str) -> Contact | None:
        """The one person ``name`` names exactly; never for an address or a shared name."""
        name = " ".join(name.split())
        if not name or ADDRESS.match(name):
            return None
        found = self.directory.resolve(name)
        if found is None or self.directory.ambiguous(name):
            return None
        return found


def _unique(pairs: Iterable[tuple[str, Contact]]) -> dict[str, Contact | None]:
    found: dict[str, Contact | None] = {}
    for key, contact in pairs:
        known = found.get(key, contact)
        found[key] = contact if known is contact else None  # shared: it tells neither
    return found


class OnePerDay:
    """At most one interaction per person and day, the day's earliest message giving its
    text; its source id ``<source>:<key>:<date>`` (``key``: the person's first address or
    profile), so that a later export, or a later message of the same day, adds nothing."""

    def __init__(self, kind: str, source: str) -> None:
        self.kind = kind
        self.source = source
        self._first: dict[tuple[str, date], tuple[datetime, str, Contact]] = {}

    def add(self, contact: Contact, key: str, sent: datetime, text: str) -> None:
        """A message with ``contact`` at ``sent`` (its day is the date in its own offset)."""
        day = (key, sent.date())
        known = self._first.get(day)
        if known is None or _instant(sent) < _instant(known[0]):
            self._first[day] = (sent, text, contact)

    def items(self) -> list[Captured]:
        """The interactions, in date order."""
        return [
            Captured(day, self.kind, text, (contact,), f"{self.source}:{key}:{day.isoformat()}")
            for (key, day), (_, text, contact) in sorted(
                self._first.items(), key=lambda pair: pair[0][1]
            )
        ]


def _instant(when: datetime) -> float:
    """A comparable instant; a time without an offset (``-0000``, none) is taken as UTC."""
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC).timestamp()
    return when.timestamp()
