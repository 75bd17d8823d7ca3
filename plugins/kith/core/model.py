"""Domain types: frozen, plain, and free of MkDocs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from types import MappingProxyType

from kith.core.errors import Problem

FAVOR_KINDS = ("gave", "received")


@dataclass(frozen=True, slots=True, order=True)
class MonthDay:
    """A birthday without a year (``birthday: 12-04``), as phones keep many of them."""

    month: int
    day: int

    def __post_init__(self) -> None:
        date(2000, self.month, self.day)  # a real day of some year (29 February too)

    def isoformat(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.isoformat()

    def replace(self, *, year: int) -> date:
        """This day in ``year`` (``ValueError`` for 29 February outside a leap year)."""
        return date(year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class Link:
    """A ``[[wikilink]]`` found in a source file."""

    target: str
    """The part before ``#`` and ``|``: a name, alias or file stem."""
    line: int
    """1-based line in the file."""
    heading: str = ""
    label: str = ""
    col: int = 1
    """1-based column of its ``[[`` (of the ``!`` of an embed) in the line."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One dated line of a log: ``- [ ] 2026-03-02 coffee: text``."""

    date: date
    kind: str
    """Lower-case first word before a colon; empty when the entry has none."""
    text: str
    """The Markdown after the kind, as written (wikilinks included)."""
    done: bool
    """False for ``[ ]``: an open promise or plan."""
    line: int
    source: str
    """``src_uri`` of the file the entry is written in."""
    links: tuple[Link, ...] = ()


class KeyLines(Mapping[str, tuple[int, int]]):
    """Front-matter key → ``(line, column)``, in file order: a read-only mapping kept small.

    Every contact holds one for the whole build, and a dict of tuples costs
    about 1 KB for a dozen keys. This keeps the keys in a tuple (which contacts
    with the same keys in the same order can share) and the places in one
    flat ``bytes`` when they fit (they nearly always do), else a tuple of ints.
    A lookup scans the keys: a file has a few dozen at most, and only messages
    about a key look one up.
    """

    __slots__ = ("_keys", "_places")

    def __init__(self, keys: tuple[str, ...], places: Sequence[int]) -> None:
        """``places`` holds the line and column of each key in turn: ``(l0, c0, l1, c1, ...)``."""
        if len(places) != 2 * len(keys):
            raise ValueError("KeyLines needs a line and a column for each key")
        self._keys = keys
        self._places: bytes | tuple[int, ...]
        try:
            self._places = bytes(places)
        except ValueError:  # a line or column past 255
            self._places = tuple(places)

    def __getitem__(self, key: str) -> tuple[int, int]:
        try:
            at = 2 * self._keys.index(key)
        except ValueError:
            raise KeyError(key) from None
        return self._places[at], self._places[at + 1]

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"KeyLines({dict(self)!r})"


@dataclass(frozen=True, slots=True)
class Contact:
    """One person: a Markdown file in the people folder."""

    src_uri: str
    """Path relative to the people folder, ``/``-separated (e.g. ``Jane Doe.md``)."""
    path: str
    """Path as shown in messages (e.g. ``people/Jane Doe.md``)."""
    name: str
    slug: str = ""
    """URL-safe, unique name used for the page address (``people/<slug>/``)."""
    aliases: tuple[str, ...] = ()
    company: str = ""
    role: str = ""
    location: str = ""
    industries: tuple[str, ...] = ()
    tier: str = "network"
    follow_up: int | None = None
    """Cadence override in days; ``None`` when unset, ``0`` for ``never``."""
    last_contact: date | None = None
    next_follow_up: date | None = None
    met: date | None = None
    how_met: str = ""
    introduced_by: str = ""
    """The introducer's name, alias or stem, wikilink brackets removed."""
    tags: tuple[str, ...] = ()
    email: str = ""
    emails: tuple[str, ...] = ()
    """Every address of ``email`` (a list in the file, or the one), the first being ``email``."""
    phone: str = ""
    linkedin: str = ""
    website: str = ""
    birthday: date | MonthDay | None = None
    """With its year, or a ``MonthDay`` when the year is not known."""
    worked_with: bool = False
    checked: date | None = None
    reason_to_meet: str = ""
    archived: bool = False
    publish: bool = True
    extra: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    """Front-matter keys kith does not know, kept in file order."""
    key_lines: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))
    """Front-matter key → (line, column) of its value, for messages about it."""
    body: str = ""
    """The Markdown after the front matter."""
    body_line: int = 1
    """Line of the file where ``body`` starts."""
    entries: tuple[Entry, ...] = ()
    links: tuple[Link, ...] = ()
    """Every wikilink in the body, log entries included."""

    @property
    def stem(self) -> str:
        return self.src_uri.rsplit("/", 1)[-1].removesuffix(".md")

    def __repr__(self) -> str:  # what ``str()`` and a template's ``{{ contact }}`` show too
        if SHOWN.whole is not None:
            SHOWN.whole(self)
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _CONTACT_FIELDS)
        return f"Contact({shown})"


class _Shown:
    """Told when a contact becomes text as one value (every field of it read): while a
    page is drawn under ``mkdocs serve``, ``kith.pages.draw`` notes it among what the
    page read."""

    __slots__ = ("whole",)

    def __init__(self) -> None:
        self.whole: Callable[[Contact], None] | None = None


SHOWN = _Shown()
WHOLE = "*"
"""Among the fields a page read of contacts (``kith.pages.render.Reads``): a contact
shown whole, which reads every field."""
_CONTACT_FIELDS = tuple(f.name for f in fields(Contact))


@dataclass(frozen=True, slots=True)
class Note:
    """A journal note (e.g. an Obsidian daily note): an interaction with everyone it links."""

    src_uri: str
    """Path in the site, ``journal/2026-03-02.md``."""
    path: str
    """Path as shown in messages."""
    date: date
    title: str
    body: str = ""
    body_line: int = 1
    entries: tuple[Entry, ...] = ()
    links: tuple[Link, ...] = ()
    publish: bool = True


@dataclass(frozen=True)
class Network:
    """Everything loaded from the sources: the input of every analysis."""

    contacts: tuple[Contact, ...]
    problems: tuple[Problem, ...] = ()
    notes: tuple[Note, ...] = ()
    """Journal notes, oldest first."""

    @property
    def published(self) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.publish)


def by_name(contact: Contact) -> tuple[str, str]:
    """Sort key of every list of people kith draws: by name, whatever the case; ties by file."""
    return (contact.name.casefold(), contact.src_uri)
