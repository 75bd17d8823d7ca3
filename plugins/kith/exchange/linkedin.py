"""LinkedIn's ``Connections.csv`` (Settings → Data privacy → Get a copy of your data).

The real file starts with a few ``Notes:`` lines before the header row, so the
header is found by its columns. Dates look like ``26 Jul 2025``; e-mail is
often empty (people choose whether to share it).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date

from kith.core.errors import KithError
from kith.edit.files import Value
from kith.exchange.core import Record, Skip, decode_export

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
_MONTH_DAY_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


def decode(data: bytes, path: str) -> str:
    return decode_export(data, path, "export it again from LinkedIn")


def records(text: str, path: str) -> Iterator[Record | Skip]:
    """One ``Record`` per connection (or ``Skip`` for a row that cannot be used)."""
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

        def cell(key: str, row: list[str] = row, columns: dict[str, int] = columns) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        name = " ".join(part for part in (cell("first"), cell("last")) if part)
        if not name:
            yield Skip(position, "no first or last name")
            continue
        values: dict[str, Value] = {
            "company": cell("company"),
            "role": cell("position"),
            "linkedin": cell("url"),
            "email": cell("email"),
            "how_met": HOW_MET,
        }
        connected = cell("connected")
        if connected:
            when = parse_date(connected)
            if when is None:
                yield Skip(position, f"'Connected On' is not a date: {connected!r}")
                continue
            values["met"] = when
        yield Record(name, position, values, (cell("email"),))
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
    """``26 Jul 2025`` (today's exports), ``07/26/25`` (older ones) or ``2025-07-26``."""
    text = text.strip()
    try:
        match = _DAY_MONTH_YEAR.match(text)
        if match and match.group(2).casefold() in _MONTHS:
            day, month, year = match.groups()
            return date(int(year), _MONTHS[month.casefold()], int(day))
        match = _MONTH_DAY_YEAR.match(text)
        if match:
            month, day, year = match.groups()
            return date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
        return date.fromisoformat(text)
    except ValueError:
        return None
