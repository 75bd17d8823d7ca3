"""LinkedIn's ``messages.csv``, from the same data export as ``Connections.csv``: the
conversations you had, as interactions (kind ``message``) in the captured notes.

Each row is one message: who sent it (``SENDER PROFILE URL``), to whom (``RECIPIENT
PROFILE URLS``), when (``DATE``, ``2023-06-15 10:22:33 UTC``). People are matched by
their ``linkedin`` profile URL — or, in older exports without URLs, by the exact name
in ``FROM`` and ``TO``; you are the one on the most rows (or ``--me``).
One interaction per person and day, its text the conversation's title or subject if
it has one; the message's own text is never read into a file. Drafts, future rows and
group threads larger than ``max_people`` are left out and counted.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from kith.core.errors import KithError
from kith.core.model import Contact
from kith.core.names import fold
from kith.exchange.captured import Captured
from kith.exchange.core import normal_linkedin
from kith.exchange.match import OnePerDay, People

KIND = "message"
DEFAULT_MAX_PEOPLE = 10
LEFT_OUT = {
    "draft": "drafts",
    "undated": "without a date",
    "future": "dated after today",
    "crowded": "in threads of many people",
    "unknown": "with nobody you know",
    "private": "only with people you keep private",
}
_COLUMNS = {
    "conversation id": "conversation",
    "conversation title": "title",
    "from": "from",
    "to": "to",
    "sender profile url": "sender",
    "recipient profile urls": "recipients",
    "date": "date",
    "subject": "subject",
    "folder": "folder",
    "is message draft": "draft",
}
_URL = re.compile(r"https?://[^\s,;]+", re.I)


@dataclass(frozen=True)
class Row:
    """One message as the export describes it."""

    line: int
    sender: str
    recipients: tuple[str, ...]
    when: datetime | None
    title: str
    draft: bool


@dataclass
class Scan:
    items: list[Captured] = field(default_factory=list)
    messages: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    unknown: Counter[str] = field(default_factory=Counter)
    """A profile URL nobody has → messages it was on."""
    me: str = ""


def is_messages(text: str) -> bool:
    """Whether a LinkedIn CSV is ``messages.csv`` (not ``Connections.csv``)."""
    head = text[:4096].casefold()
    return "conversation id" in head and "conversation title" in head


def rows(text: str, path: str) -> Iterator[Row]:
    """The export's messages. Exports without ``RECIPIENT PROFILE URLS`` (2021's) name the
    recipients only: a name is the profile URL it has on the rows that person sent, and a
    ``TO`` cell that is one sender's whole name (``"Tunde A SPHRi, CPHR"``) is one person
    even when it holds commas."""
    csv.field_size_limit(max(len(text), 131072))
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: dict[str, int] | None = None
    found: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        if columns is None:
            heading = {
                _COLUMNS[c.strip().casefold()]: i
                for i, c in enumerate(row)
                if c.strip().casefold() in _COLUMNS
            }
            if "date" in heading and (
                {"sender", "recipients"} <= heading.keys() or {"from", "to"} <= heading.keys()
            ):
                columns = heading
            continue
        if any(c.strip() for c in row):
            cells = {k: row[i].strip() if i < len(row) else "" for k, i in columns.items()}
            found.append((reader.line_num, cells))
    if columns is None:
        raise KithError(
            f"{path}: no header row with 'SENDER PROFILE URL', 'RECIPIENT PROFILE URLS' and "
            "'DATE' columns; is this LinkedIn's messages.csv?"
        )
    urls: dict[str, str] = {}
    for _, cells in found:
        if cells.get("from") and _URL.fullmatch(cells.get("sender", "")):
            urls.setdefault(fold(cells["from"]), cells["sender"])
    for line, cells in found:
        sender = cells.get("sender") or _named(cells.get("from", ""), urls)
        recipients = tuple(_URL.findall(cells.get("recipients", ""))) or _recipients(
            cells.get("to", ""), urls
        )
        yield Row(
            line=line,
            sender=sender,
            recipients=recipients,
            when=_when(cells.get("date", "")),
            title=cells.get("title") or cells.get("subject", ""),
            draft=cells.get("draft", "").casefold() in ("yes", "true")
            or cells.get("folder", "").upper() == "DRAFT",
        )


def _recipients(cell: str, urls: dict[str, str]) -> tuple[str, ...]:
    """Who a ``TO`` cell names: one known name as a whole, else each name between commas."""
    if not cell.strip():
        return ()
    if fold(cell) in urls:
        return (urls[fold(cell)],)
    return tuple(_named(name, urls) for name in cell.split(",") if name.strip())


def _named(name: str, urls: dict[str, str]) -> str:
    return urls.get(fold(name)) or _by_name(name)


def _by_name(name: str) -> str:
    """Who a row names, when the export gives no profile URL: ``name:<folded name>``."""
    return f"name:{fold(name)}" if name.strip() else ""


def _key(url_or_name: str) -> str:
    return url_or_name if url_or_name.startswith("name:") else normal_linkedin(url_or_name)


def _when(text: str) -> datetime | None:
    text = text.strip().removesuffix(" UTC").strip()
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)  # LinkedIn writes UTC
        except ValueError:
            continue
    return None


def scan(
    found: Iterable[Row],
    contacts: Iterable[Contact],
    today: date,
    me: str = "",
    max_people: int = DEFAULT_MAX_PEOPLE,
) -> Scan:
    """One interaction per person you know and day you exchanged a message."""
    listed = list(found)
    people = People(contacts)
    mine = _key(me) if me else _most_common(listed)
    result = Scan(me=mine)
    daily = OnePerDay(KIND, "linkedin")
    for row in listed:
        result.messages += 1
        if row.draft:
            result.left_out["draft"] += 1
            continue
        if row.when is None:
            result.left_out["undated"] += 1
            continue
        if row.when.date() > today:
            result.left_out["future"] += 1
            continue
        others = {_key(u) for u in (row.sender, *row.recipients)} - {mine, ""}
        if len(others) > max_people:
            result.left_out["crowded"] += 1
            continue
        matched = []
        for other in others:
            name = other.removeprefix("name:") if other.startswith("name:") else ""
            if name:
                known, contact = people.knows_name(name), people.by_name(name)
            else:
                known, contact = people.knows_profile(other), people.by_profile(other)
            if not known:
                result.unknown[other] += 1
            elif contact is not None:
                matched.append(contact)
        published = [c for c in matched if c.publish]
        if not published:
            result.left_out["private" if matched else "unknown"] += 1
            continue
        for person in published:
            key = normal_linkedin(person.linkedin) or _by_name(person.name)
            daily.add(person, key, row.when, row.title)
    result.items = daily.items()
    return result


def _most_common(found: list[Row]) -> str:
    """You: the profile on the most messages (every message is yours or to you)."""
    counts: Counter[str] = Counter()
    for row in found:
        for url in {_key(u) for u in (row.sender, *row.recipients)} - {""}:
            counts[url] += 1
    return counts.most_common(1)[0][0] if counts else ""
