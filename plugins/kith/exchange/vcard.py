"""vCard files, 2.1, 3.0 and 4.0, as phones and address books write them.

The file is cut into cards here, so that one malformed card is reported with
its position and skipped while the others import. Each card's lines are
unfolded here too, the way each version folds them (a 2.1 quoted-printable
value continues after a ``=`` at the end of a line); ``vobject`` splits each
line into its name, parameters and value; the values are then read as
``vcard_properties`` tells, leniently: real exports leave commas unescaped
(Android's 2.1 ``ORG:Acme, Inc.``) and escape what needs no escape (Apple's
``\\:``). Photos (and other binary properties) are dropped before parsing: kith
does not keep them, and a broken one must not cost the card.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vobject import base as vobject_lines  # type: ignore[import-untyped]

from kith.core.errors import KithError
from kith.core.keys import IMPORT_ORDER
from kith.edit.files import Value
from kith.exchange.records import Record, Skip, decode_export
from kith.exchange.vcard_properties import (
    PROPERTIES,
    card_name,
    emails,
    left_out,
    name_parts,
    note_of,
)
from kith.exchange.vcard_text import Contents, Line, text_of

_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_PROPERTY = re.compile(r"^(?:[\w-]+\.)?[\w-]+[;:]")
"""How a property line starts; anything else after a binary one is more of its data."""
_LINE_END = re.compile(r"\r*\n|\r")
"""A line ends at LF, CR LF, CR — or CR CR LF, which some Windows tools write."""


def decode(data: bytes, path: str) -> str:
    """The file's text; bytes that are not UTF-8 are kept as they are (as surrogates)
    until their line is read: a fold may split a character (its line is UTF-8 again
    once unfolded), and 2.1 exports name their own ``CHARSET``."""
    try:
        return decode_export(data, path, "")
    except KithError:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape")


def records(text: str, path: str) -> Iterator[Record | Skip]:
    """One ``Record`` per card, or a ``Skip`` naming the card and what is wrong with it."""
    found = False
    for number, (line, card) in enumerate(_cards(text), start=1):
        found = True
        position = f"card {number} (line {line})"
        if isinstance(card, str):
            yield Skip(position, card)
            continue
        yield _record(card, position)
    if not found:
        raise KithError(f"{path}: no BEGIN:VCARD ... END:VCARD card found; is it a vCard file?")


@dataclass
class _Card:
    start: int
    lines: list[tuple[int, str]]
    """``(line number, logical line)``: folded lines joined."""
    version: str = ""
    dropping: bool = False
    """Inside a binary property's data."""
    soft_break: bool = False
    """The last line was quoted-printable ending in ``=``: the next one continues it."""


def _cards(text: str) -> Iterator[tuple[int, list[tuple[int, str]] | str]]:
    """``(first line number, the card's logical lines)`` for each card, or an error message."""
    card: _Card | None = None
    for number, line in enumerate(_LINE_END.split(text), start=1):
        upper = line.strip().upper()
        if card is not None and card.soft_break and upper not in ("END:VCARD", "BEGIN:VCARD"):
            _continue(card, line, soft=True)
        elif upper == "BEGIN:VCARD":
            if card is not None:
                yield card.start, f"no END:VCARD before the next card on line {number}"
            card = _Card(number, [])
        elif card is None:
            continue
        elif upper == "END:VCARD":
            yield card.start, card.lines
            card = None
        elif line[:1] in (" ", "\t"):  # a folded line continues the one before
            if not card.dropping and card.lines:
                _continue(card, line, soft=False)
        elif not line.strip() or (card.dropping and not _PROPERTY.match(line)):
            continue  # a blank line, or more of a 2.1 binary value written unindented
        else:
            card.dropping = bool(_BINARY.match(line))
            if not card.dropping:
                if upper.startswith("VERSION:"):
                    card.version = upper.removeprefix("VERSION:").strip()
                card.lines.append((number, line))
                card.soft_break = _ends_soft(line)
                if card.soft_break:
                    card.lines[-1] = (number, line[:-1])
    if card is not None:
        yield card.start, "no END:VCARD at the end of the file"


def _continue(card: _Card, line: str, *, soft: bool) -> None:
    number, before = card.lines[-1]
    if soft:  # quoted-printable: the line goes on, whitespace and all
        card.soft_break = line.endswith("=")
        line = line[:-1] if card.soft_break else line
    elif card.version != "2.1":  # 3.0 and 4.0 fold before a space that is not text
        line = line[1:]
    card.lines[-1] = (number, before + line)


def _ends_soft(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return line.endswith("=") and "QUOTED-PRINTABLE" in head


def _record(card: list[tuple[int, str]], position: str) -> Record | Skip:
    contents: dict[str, list[Line]] = {}
    unreadable: list[str] = []
    for number, text in card:
        try:
            line = _line(text, number)
        except (vobject_lines.ParseError, ValueError, LookupError):
            shown = text if len(text) <= 40 else text[:37] + "..."
            unreadable.append(f"line {number} {shown!r}")
            continue
        contents.setdefault(line.name.lower(), []).append(line)
    return _person(contents, position, unreadable)


def _line(text: str, number: int) -> Line:
    name, params, value, group = vobject_lines.parseLine(_repaired(text), number)
    found: dict[str, list[str]] = {}
    for param in params:
        if len(param) == 1:  # 2.1's bare parameters: TEL;CELL;PREF
            key, values = "TYPE", param
        else:
            key, values = param[0].upper(), param[1:]
        for item in values:
            found.setdefault(key, []).extend(v.strip() for v in item.split(",") if v.strip())
    encoding = [v.upper() for v in found.get("ENCODING", [])]
    charset = (found.get("CHARSET") or ["utf-8"])[0]
    if "QUOTED-PRINTABLE" in encoding or "QUOTED-PRINTABLE" in (
        t.upper() for t in found.get("TYPE", [])
    ):
        value = _in_charset(quopri.decodestring(value.encode("utf-8", "surrogateescape")), charset)
    elif _NOT_UTF8.search(value):
        value = _in_charset(value.encode("utf-8", "surrogateescape"), charset)
    return Line(
        name.upper(),
        (group or "").lower(),
        {k: tuple(v.lower() for v in vs) for k, vs in found.items()},
        value,
        number,
    )


_NOT_UTF8 = re.compile("[\udc80-\udcff]")
"""A byte ``decode`` could not read as UTF-8."""


def _repaired(text: str) -> str:
    """A logical line as UTF-8 where, unfolded, it is; else its bytes kept for ``_line``."""
    if not _NOT_UTF8.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError:
        return text


def _in_charset(data: bytes, charset: str) -> str:
    """Bytes in the line's ``CHARSET``, else UTF-8, else Windows' Latin-1 (what a 2.1
    export without one most likely is)."""
    for name in (charset, "utf-8"):
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", "replace")


_STAND_INS = {"email": "e-mail", "phone": "phone", "company": "company"}
"""What names a card without FN or N, the first it has."""


def _person(contents: Contents, position: str, unreadable: list[str]) -> Record | Skip:
    name = card_name(contents)
    kind = (text_of(contents, "kind") or text_of(contents, "x-abshowas")).lower()
    if kind in ("org", "company", "group", "location"):
        return Skip(position, f"not a person (a {kind} card)")
    read: dict[str, Value] = {}
    for prop in PROPERTIES:
        read.update(prop.read(contents))
    missed = left_out(contents)
    if not name:  # a card of an address alone is still someone: named after it
        key = next((k for k in _STAND_INS if read.get(k)), None)
        if key is None:
            why = f"; unreadable: {', '.join(unreadable)}" if unreadable else ""
            return Skip(position, f"no name (FN or N) and no e-mail, phone or company{why}")
        name = str(read[key])
        missed = (
            *missed,
            f"a name: the card has none, its file is named after its {_STAND_INS[key]}",
        )
    read.update(name_parts(contents, name))
    # The keys in kith's one key order (the order a new contact file has), not the
    # order the properties are exported in.
    place = {key: index for index, key in enumerate(IMPORT_ORDER)}
    values = {k: read[k] for k in sorted(read, key=lambda k: (place.get(k, len(place)), k))}
    if unreadable:
        missed = (*missed, f"{', '.join(unreadable)} (not a vCard property line)")
    return Record(
        name,
        position,
        values,
        tuple(emails(contents)),
        note_of(contents),
        missed,
    )
