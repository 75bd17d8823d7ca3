"""LinkedIn's ``Connections.csv`` (Settings → Data privacy → Get a copy of your data).

Exports since about 2020 start with a few ``Notes:`` lines before the header
row, so the header is found by its columns (any order, ``URL`` or not). Dates
look like ``26 Jul 2025``, or ``1/8/18, 6:14 PM`` in older exports; a row whose
date cannot be read imports without ``met``, and says so. E-mail is often
empty (people choose whether to share it).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date

from kith.core.errors import KithError
from kith.edit.files import Value
from kith.exchange.records import Record, Skip, decode_export
from kith.exchange.vcard_properties import structured_name

HOW_MET = "LinkedIn"
_COLUMNS = {
    "first name": "first",
    "last name": "last",
    "url": "url",
    "profile url": "url",
    "email address": "email",
    "e-mail address": "email",
    "company": "company",
    "position": "position",
    "connected on": "connected",
}
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,? +\d{1,2}:\d{2}.*)?$")
"""US dates, with the time older exports add: ``1/8/18, 6:14 PM``."""
_LONGEST = 10_000
"""Characters a LinkedIn value can have; a longer cell is not one (a broken export)."""


def decode(data: bytes, path: str) -> str:
    return decode_export(data, path, "export it again from LinkedIn")


def records(text: str, path: str) -> Iterator[Record | Skip]:
    """One ``Record`` per connection (or ``Skip`` for a row that cannot be used)."""
    # The file is in memory already: a cell may be as long as it is (the csv module's
    # own limit, 128 KiB, would end the import with its error at the first longer one).
    csv.field_size_limit(max(len(text), 131072))
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: dict[str, int] | None = None
    start = 1
    for row in reader:
        position, start = f"line {start}", reader.line_num + 1
        if columns is None:
            columns = _header(row)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if any(len(cell) > _LONGEST for cell in row):
            longest = max(len(cell) for cell in row)
            yield Skip(position, f"a cell of {longest:,} characters: not a LinkedIn value")
            continue

        def cell(key: str, row: list[str] = row, columns: dict[str, int] = columns) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        first, last = " ".join(cell("first").split()), " ".join(cell("last").split())
        name = " ".join(part for part in (first, last) if part)
        if not name:
            yield Skip(position, "no first or last name")
            continue
        email = cell("email")
        left_out: list[str] = []
        if email and "@" not in email:  # a member id (urn:li:member:...), not an address
            left_out.append(f"'Email Address' {email!r} (not an e-mail address)")
            email = ""
        values: dict[str, Value] = {
            "company": cell("company"),
            "role": cell("position"),
            "linkedin": cell("url"),
            "email": email,
            "how_met": HOW_MET,
            **structured_name(name, first, last),
        }
        connected = cell("connected")
        if connected:
            when = parse_date(connected)
            if when is None:
                left_out.append(f"'Connected On' {connected!r} (not a date: no met)")
            else:
                values["met"] = when
        yield Record(name, position, values, (email,), left_out=tuple(left_out))
    if columns is None:
        raise KithError(
            f"{path}: no header row with 'First Name', 'Last Name' and 'URL' columns; "
            "is this LinkedIn's Connections.csv?"
        )


def _header(row: list[str]) -> dict[str, int] | None:
    found = {
        _COLUMNS[c.strip().casefold()]: i
        for i, c in enumerate(row)
        if c.strip().casefold() in _COLUMNS
    }
    return found if {"first", "last"} <= found.keys() and len(found) >= 3 else None


def parse_date(text: str) -> date | None:
    """``26 Jul 2025`` (today's exports), ``07/26/25`` or ``1/8/18, 6:14 PM`` (older
    ones) or ``2025-07-26``."""
    text = text.strip()
    try:
        match = _DAY_MONTH_YEAR.match(text)
        if match and match.group(2).casefold() in _MONTHS:
            day, month, year = match.groups()
            return date(int(year), _MONTHS[month.casefold()], int(day))
        match = _MONTH_DAY_YEAR.match(text)
        if match:
            month, day, year = match.groups()[:3]
            return date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
        return date.fromisoformat(text)
    except ValueError:
        return None
