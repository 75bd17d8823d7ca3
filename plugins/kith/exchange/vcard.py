"""vCard 3.0 and 4.0 files, as Apple Contacts and Google Contacts write them.

The file is cut into cards here, so that one malformed card is reported with
its position and skipped while the others import; each card is then read by
``vobject``, its properties as ``vcard_properties`` tells. Photos (and other
binary properties) are dropped before parsing: kith does not keep them, and a
broken one must not cost the card.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import vobject  # type: ignore[import-untyped]

from kith.core.errors import KithError
from kith.core.keys import IMPORT_ORDER
from kith.edit.files import Value
from kith.exchange.core import Record, Skip, decode_export
from kith.exchange.vcard_properties import PROPERTIES, Contents, card_name, emails, text_of

_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)


def decode(data: bytes, path: str) -> str:
    return decode_export(data, path, "export the contacts as vCard 3.0 or 4.0")


def records(text: str, path: str) -> Iterator[Record | Skip]:
    """One ``Record`` per card, or a ``Skip`` naming the card and what is wrong with it."""
    found = False
    for number, (line, card) in enumerate(_cards(text), start=1):
        found = True
        position = f"card {number} (line {line})"
        if isinstance(card, str):
            yield Skip(position, card)
            continue
        try:
            parsed = vobject.readOne("\r\n".join(card) + "\r\n")
        # vobject raises assorted exception types on malformed input; each means
        # this one card cannot be read, never that the import should stop.
        except Exception as err:
            yield Skip(position, f"malformed card: {_first_line(err)}")
            continue
        yield _record(parsed, position)
    if not found:
        raise KithError(f"{path}: no BEGIN:VCARD ... END:VCARD card found; is it a vCard file?")


def _first_line(err: Exception) -> str:
    """vobject's message without its own line count (it counts from the card, not the file)."""
    first = (str(err).strip().splitlines() or [type(err).__name__])[0]
    return re.sub(r"^At line \d+:\s*", "", first)


def _cards(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """``(first line number, card lines)`` for each card, or an error message instead of lines."""
    current: list[str] | None = None
    start = 0
    dropping = False
    for number, line in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if current is not None:
                yield start, f"no END:VCARD before the next card on line {number}"
            current, start, dropping = [line.strip()], number, False
        elif current is None:
            continue
        elif upper == "END:VCARD":
            current.append(line.strip())
            yield start, current
            current = None
        elif line[:1] in (" ", "\t"):  # a folded line continues the previous one
            if not dropping:
                current.append(line)
        else:
            dropping = bool(_BINARY.match(line))
            if not dropping and line.strip():
                current.append(line)
    if current is not None:
        yield start, "no END:VCARD at the end of the file"


def _record(card: Any, position: str) -> Record | Skip:
    contents: Contents = card.contents
    name = card_name(contents)
    kind = (text_of(contents, "kind") or text_of(contents, "x-abshowas")).lower()
    if kind in ("org", "company", "group", "location"):
        return Skip(position, f"not a person (a {kind} card)")
    if not name:
        return Skip(position, "no name (FN or N)")
    read: dict[str, Value] = {}
    for prop in PROPERTIES:
        read.update(prop.read(contents))
    # The keys in kith's one key order (the order a new contact file has), not the
    # order the properties are exported in.
    place = {name: index for index, name in enumerate(IMPORT_ORDER)}
    values = {k: read[k] for k in sorted(read, key=lambda k: (place.get(k, len(place)), k))}
    note = "\n".join(str(line.value) for line in contents.get("note", []))
    return Record(name, position, values, tuple(emails(contents)), note)
