"""E-mails from a mail export (an mbox: Google Takeout, Thunderbird; a Maildir; ``.eml``
files).

Each message exchanged with someone you know (their ``email`` in From, To or Cc) is an
interaction, kind ``email``, at most one per person per day, on the message's own date (in
the offset its ``Date`` header gives), with its subject as text. Only headers are read:
bodies are skipped line by line, never kept, so a multi-gigabyte mbox costs the memory of
one message's headers. Mailing-list mail and messages to many people are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from kith.core.errors import KithError
from kith.core.model import Contact
from kith.exchange.captured import Captured
from kith.exchange.match import ADDRESS, OnePerDay, People, addresses

DEFAULT_MAX_RECIPIENTS = 10
"""More recipients (To and Cc) than this and a message is no conversation (an announcement)."""

LEFT_OUT = {
    "list": "mailing-list or bulk",
    "crowded": "too many recipients",
    "undated": "without a date",
    "future": "dated after today",
    "unknown": "nobody you know",
    "private": "only people not published",
}
"""Why a message is left out, as the summary says it."""

# An mbox separator: ``From <sender> <asctime>``. The time is required, so that a body line
# left unquoted ("From time to time") does not start a message.
_SEPARATOR = re.compile(rb"^From \S*.*\d\d:\d\d")
_CHUNK = 1 << 16
"""Lines are read at most this long: a body without line breaks costs no more memory."""
_MAX_HEADERS = 1 << 20
"""A message's headers beyond this many bytes are dropped (a broken export)."""
_BULK = frozenset({"bulk", "list", "junk"})
_SKIPPED_SUFFIXES = frozenset({".msf", ".dat", ".json", ".sqlite", ".zip"})


@dataclass
class Scan:
    """What reading the exports found."""

    items: list[Captured] = field(default_factory=list)
    messages: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    """Reason (a key of ``LEFT_OUT``) → messages."""
    unknown: Counter[str] = field(default_factory=Counter)
    """An address nobody has → messages it was on."""
    names: dict[str, str] = field(default_factory=dict)
    """Unknown address → the display name a message gives it."""
    files: int = 0


@dataclass(frozen=True)
class Headers:
    """What kith reads of a message: its headers, decoded."""

    addresses: tuple[tuple[str, str], ...]
    """(lower-cased address, display name) of From, To and Cc, in that order, once each."""
    recipients: int
    """Distinct addresses in To and Cc."""
    subject: str
    sent: datetime | None
    """The ``Date`` header, in its own offset."""
    bulk: bool
    """A mailing list's or a bulk sender's message."""


def mail_files(paths: Iterable[Path]) -> list[Path]:
    """The files given, and every message file (mbox, Maildir entry, ``.eml``) in the
    folders given, sorted; a Maildir's ``tmp/`` (messages being delivered) is skipped."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for item in sorted(path.rglob("*")):
            parts = item.relative_to(path).parts
            if not item.is_file() or any(part.startswith(".") for part in parts):
                continue
            if item.parent.name == "tmp" and (item.parent.parent / "cur").is_dir():
                continue
            if item.suffix.lower() in _SKIPPED_SUFFIXES:
                continue
            found.append(item)
    return found


def header_blocks(
    stream: IO[bytes], progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The header block of each message in ``stream``: an mbox (messages after ``From ``
    lines) or a single message. Bodies are read past, never kept."""
    block: list[bytes] = []
    size = 0
    in_headers = True
    at_line_start = True
    mbox = False
    unreported = 0
    readline = stream.readline
    first = readline(_CHUNK)
    if _SEPARATOR.match(first):
        mbox = True  # headers follow; a message file has none of these lines
        line = readline(_CHUNK)
    else:
        line = first
    unreported += len(first) if mbox else 0
    while line:
        unreported += len(line)
        starts_line = at_line_start
        at_line_start = line[-1:] == b"\n"
        if in_headers:
            if starts_line and line in (b"\n", b"\r\n", b"\r"):
                yield b"".join(block)
                block, size, in_headers = [], 0, False
                if not mbox:
                    break  # a message file: its body is not read at all
            elif mbox and starts_line and line[:5] == b"From " and _SEPARATOR.match(line):
                if block:
                    yield b"".join(block)
                block, size = [], 0
            elif size < _MAX_HEADERS:
                block.append(line)
                size += len(line)
        elif starts_line and line[:5] == b"From " and _SEPARATOR.match(line):
            block, size, in_headers = [], 0, True
        if progress is not None and unreported > _CHUNK * 16:
            progress(unreported)
            unreported = 0
        line = readline(_CHUNK)
    if progress is not None and unreported:
        progress(unreported)
    if in_headers and block:
        yield b"".join(block)


_PARSER = BytesHeaderParser(policy=compat32)


def read_headers(block: bytes) -> Headers:
    """The headers kith reads, decoded (RFC 2047 words, folding, any charset)."""
    message = _PARSER.parsebytes(block)
    seen: dict[str, str] = {}
    recipients: set[str] = set()
    for key in ("From", "To", "Cc"):
        for name, address in getaddresses([_raw(v) for v in message.get_all(key, [])]):
            address = address.strip().casefold()
            if not ADDRESS.match(address):
                continue
            if key != "From":
                recipients.add(address)
            seen.setdefault(address, _text(name).strip())
    return Headers(
        tuple(seen.items()),
        len(recipients),
        _text(message.get("Subject", "")),
        _sent(message),
        _bulk(message),
    )


def read_messages(
    files: Iterable[Path], progress: Callable[[int], None] | None = None
) -> Iterator[Headers]:
    """The headers of every message in ``files``, one file open at a time."""
    for path in files:
        try:
            with path.open("rb") as stream:
                for block in header_blocks(stream, progress):
                    yield read_headers(block)
        except OSError as err:
            raise KithError(f"{path}: cannot read the mail file ({err.strerror or err})") from None


def scan(
    messages: Iterable[Headers],
    contacts: Iterable[Contact],
    today: date,
    me: Iterable[str] = (),
    max_recipients: int = DEFAULT_MAX_RECIPIENTS,
    subjects: bool = True,
) -> Scan:
    """One interaction per person you know and day they were on a message with you (the
    earliest message of the day gives the subject), or a reason each message is left out.
    ``me``: your own addresses (you are no one to match)."""
    people = People(contacts)
    mine = {a.strip().casefold() for a in me if a.strip()}
    result = Scan()
    daily = OnePerDay("email", "mail")
    for message in messages:
        result.messages += 1
        if message.bulk:
            result.left_out["list"] += 1
            continue
        if message.recipients > max_recipients:
            result.left_out["crowded"] += 1
            continue
        if message.sent is None:
            result.left_out["undated"] += 1
            continue
        if message.sent.date() > today:
            result.left_out["future"] += 1
            continue
        found: list[Contact] = []
        private = False
        for address, name in message.addresses:
            if address in mine:
                continue
            if not people.knows_address(address):
                result.unknown[address] += 1
                if name and not ADDRESS.match(name):
                    result.names.setdefault(address, name)
                continue
            contact = people.by_address(address)
            if contact is None:  # an address two people share tells neither
                continue
            if not contact.publish:
                private = True
                continue
            found.append(contact)
        if not found:
            result.left_out["private" if private else "unknown"] += 1
            continue
        for contact in found:
            daily.add(
                contact, addresses(contact)[0], message.sent, message.subject if subjects else ""
            )
    result.items = daily.items()
    return result


def _raw(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _text(value: Any) -> str:
    """A header's text: encoded words decoded, folding undone, undecodable bytes replaced."""
    raw = _raw(value)
    if any("\udc80" <= char <= "\udcff" for char in raw):
        # 8-bit bytes in a header (no encoded words): most often UTF-8.
        raw = raw.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    try:
        text = str(make_header(decode_header(raw)))
    except (LookupError, UnicodeError, ValueError, AssertionError):
        text = raw
    return " ".join(text.split())


def _sent(message: Message) -> datetime | None:
    value = message.get("Date")
    if value is None:
        return None
    try:
        return parsedate_to_datetime(_raw(value).strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _bulk(message: Message) -> bool:
    if message.get("List-Id") is not None or message.get("List-Unsubscribe") is not None:
        return True
    return _raw(message.get("Precedence", "")).strip().casefold() in _BULK
