"""vCard 3.0 and 4.0 files, as Apple Contacts and Google Contacts write them.

The file is cut into cards here, so that one malformed card is reported with
its position and skipped while the others import; each card is then read by
``vobject``. Photos (and other binary properties) are dropped before parsing:
kith does not keep them, and a broken one must not cost the card.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import vobject  # type: ignore[import-untyped]

from kith.core.errors import KithError
from kith.edit.files import Value
from kith.exchange.core import Record, Skip, decode_export

_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_BDAY = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_NO_YEAR = ("1604", "0000")
"""Apple writes a birthday without a year as 1604 (``X-APPLE-OMIT-YEAR``)."""


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
    contents: dict[str, list[Any]] = card.contents
    name = _text(contents, "fn")
    if not name and "n" in contents:
        n = contents["n"][0].value
        name = " ".join(str(p) for p in (n.prefix, n.given, n.additional, n.family) if p)
    kind = (_text(contents, "kind") or _text(contents, "x-abshowas")).lower()
    if kind in ("org", "company", "group", "location"):
        return Skip(position, f"not a person (a {kind} card)")
    if not name:
        return Skip(position, "no name (FN or N)")
    values: dict[str, Value] = {}
    org = contents.get("org", [None])[0]
    if org is not None:
        units = [u.strip() for u in (org.value if isinstance(org.value, list) else [org.value])]
        units = [u for u in units if u]
        if units:
            values["company"] = units[0]
        if len(units) > 1:
            values["department"] = ", ".join(units[1:])
    values["role"] = _text(contents, "title") or _text(contents, "role")
    emails = [_plain(line.value) for line in _preferred(contents.get("email", []))]
    emails = [e.removeprefix("mailto:") for e in emails if e]
    if emails:
        values["email"] = emails[0]
    phones = [
        _plain(line.value).removeprefix("tel:") for line in _preferred(contents.get("tel", []))
    ]
    if phones and phones[0]:
        values["phone"] = phones[0]
    linkedin, website = _links(contents)
    values["linkedin"], values["website"] = linkedin, website
    if "adr" in contents:
        address = contents["adr"][0].value
        values["location"] = str(getattr(address, "city", "") or "").strip()
    birthday = _birthday(contents)
    if birthday is not None:
        values["birthday"] = birthday
    note = "\n".join(str(line.value) for line in contents.get("note", []))
    return Record(name, position, values, tuple(emails), note)


def _text(contents: dict[str, list[Any]], key: str) -> str:
    lines = contents.get(key, [])
    value = lines[0].value if lines else ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return str(value).strip()


def _plain(value: object) -> str:
    """A URI-like value; Google escapes ``:`` and ``,`` in them (``https\\://``)."""
    return re.sub(r"\\([:,;\\])", r"\1", str(value)).strip()


def _preferred(lines: Sequence[Any]) -> list[Any]:
    """Lines marked preferred (``TYPE=pref`` in 3.0, ``PREF=1`` in 4.0) first."""

    def rank(line: Any) -> int:
        params = {k.upper(): [str(v).lower() for v in vs] for k, vs in line.params.items()}
        preferred = "pref" in params.get("TYPE", []) or "1" in params.get("PREF", [])
        return 0 if preferred else 1

    return sorted(lines, key=rank)


def _links(contents: dict[str, list[Any]]) -> tuple[str, str]:
    """The LinkedIn profile and the first other web address."""
    labels = {
        line.group.lower(): str(line.value).lower()
        for line in contents.get("x-ablabel", [])
        if line.group
    }
    linkedin, website = "", ""
    for line in contents.get("x-socialprofile", []):
        types = [str(t).lower() for t in line.params.get("TYPE", [])]
        url = _plain(line.value)
        if not linkedin and ("linkedin" in types or "linkedin.com" in url.lower()):
            linkedin = url
    for line in _preferred(contents.get("url", [])):
        url = _plain(line.value)
        label = labels.get((line.group or "").lower(), "")
        if "linkedin.com" in url.lower() or "linkedin" in label:
            linkedin = linkedin or url
        elif not website:
            website = url
    return linkedin, website


def _birthday(contents: dict[str, list[Any]]) -> date | None:
    """BDAY as a date; ``None`` without a year (kith's ``birthday`` is a full date)."""
    lines = contents.get("bday", [])
    if not lines:
        return None
    match = _BDAY.match(str(lines[0].value).strip())
    omit_year = any(k.upper() == "X-APPLE-OMIT-YEAR" for k in lines[0].params)
    if match is None or omit_year or match.group(1) in _NO_YEAR:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
