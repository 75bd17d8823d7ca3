"""The body of a contact file or journal note: its log entries and wikilinks, read in one
pass over its lines outside code, every problem located; and the heading it is named by."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kith.core.errors import Problem
from kith.core.grammar import (
    LOG_ENTRY,
    LOG_ENTRY_STARTS,
    WIKILINK,
    Moved,
    code_free_lines,
    entry_kind,
    source_column,
    strip_comments,
    wikilink_parts,
)
from kith.core.model import Entry, Link

_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")

Shared = dict[Any, Any]
"""Values that many contacts of one load hold (a town, a date, the tuple of keys), each
kept once: ``shared.setdefault(value, value)``. Only text, dates and tuples of text go in:
unlike numbers (``1 == 1.0 == True``) they are never equal to a value of another type."""


def first_heading(body: str) -> str:
    for _, line in code_free_lines(body):
        match = _HEADING.match(line)
        if match:
            return match.group(1).strip()
    return ""


_NEAR_ENTRY = re.compile(
    r"^[ \t]*[-*+][ \t]+(?:\[[ xX]\][ \t]+)?"
    r"(?P<date>\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[-/]\d{1,2}[-/]\d{4})(?=$|[\s:])"
)
"""A list item opening with a date written otherwise than YYYY-MM-DD: meant as a log entry,
read as none — said (``- 2026-1-5 coffee:``)."""


def _near_entry(line: str, path: str, line_number: int) -> Problem | None:
    match = _NEAR_ENTRY.match(line)
    if match is None:
        return None
    written = match.group("date")
    parts = re.split(r"[-/]", written)
    hint = "write the date as YYYY-MM-DD, e.g. 2026-03-02"
    if len(parts[0]) == 4:
        hint = f"write it {parts[0]}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return Problem(
        path,
        line_number,
        match.start("date") + 1,
        f"{written} looks like the date of a log entry, but kith reads only YYYY-MM-DD:"
        " this line is not an entry",
        hint,
    )


def read_body(
    body: str, first_line: int, src_uri: str, path: str, shared: Shared, moved: Moved
) -> tuple[tuple[Entry, ...], tuple[Link, ...], list[Problem]]:
    """The log entries and wikilinks of a body, in one pass over its lines outside code;
    ``moved``: how comments removed from the body moved its columns."""
    entries: list[Entry] = []
    links: list[Link] = []
    problems: list[Problem] = []
    text = strip_comments(body)
    # Lines with a code span come blanked; without any, a line is its own source.
    source_lines = text.split("\n") if "`" in text else None
    for index, line in code_free_lines(text):
        line_links = len(links)  # where the links of this line start
        if "[[" in line:
            _add_links(links, line, first_line + index, shared, moved.get(index))
        if line[:1] not in LOG_ENTRY_STARTS:  # the cheap half of LOG_ENTRY: most lines end here
            continue
        match = LOG_ENTRY.match(line)
        if match is None:
            near = _near_entry(line, path, first_line + index)
            if near is not None:
                problems.append(near)
            continue
        line_number = first_line + index
        try:
            when = date.fromisoformat(match.group("date"))
        except ValueError as err:
            problems.append(
                Problem(
                    path,
                    line_number,
                    match.start("date") + 1,
                    f"log entry date {match.group('date')} is not a date ({err})",
                    "write the date as YYYY-MM-DD, e.g. 2026-03-02",
                )
            )
            continue
        # Code spans were blanked to find the entry; its text keeps them.
        source = line if source_lines is None else source_lines[index]
        rest = source[match.start("rest") :]
        kind, text_start = entry_kind(rest)
        kind = kind.lower()
        kind = shared.setdefault(kind, kind)  # a few kinds, many entries
        after_kind = rest[text_start:]
        # A kind's colon takes only the spaces and tabs after it (a fence opening the text
        # is told by what is left), any other text is read stripped.
        entry_text = after_kind.lstrip(" \t").rstrip() if kind else after_kind.strip()
        entry_links: list[Link] = []
        if "[[" in entry_text:
            offset = len(source) - len(after_kind.lstrip(" \t" if kind else None))
            for _, part in code_free_lines(entry_text):
                _add_links(entry_links, part, line_number, shared, moved.get(index), offset)
            if entry_links == links[line_links:]:  # nearly always: hold the line's Links
                entry_links = links[line_links:]
        entries.append(
            Entry(
                date=shared.setdefault(when, when),
                kind=kind,
                text=entry_text.strip(),
                done=match.group("box") != " ",
                line=line_number,
                source=src_uri,
                links=tuple(entry_links),
            )
        )
    return tuple(entries), tuple(links), problems


def _add_links(
    links: list[Link],
    line: str,
    number: int,
    shared: Shared,
    shifts: list[tuple[int, int]] | None,
    offset: int = 0,
) -> None:
    """Append the wikilinks of a line outside code (as ``code_free_lines`` gives it), or
    of the part of it from column ``offset`` on; ``shifts``: where comments were."""
    for found in WIKILINK.finditer(line):
        target, heading, label = wikilink_parts(found.group(2))
        if target:
            col = found.start() + offset
            if shifts:
                col = source_column({0: shifts}, 0, col)
            links.append(Link(shared.setdefault(target, target), number, heading, label, col + 1))
