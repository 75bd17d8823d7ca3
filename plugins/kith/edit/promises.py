"""Keeping an open promise: ``- [ ] 2026-06-01 gave: text`` becomes
``- [x] 2026-11-21 gave: text (promised 2026-06-01)``.

The entry takes the date it was kept, because an entry's date is when the contact
(or the favor) happened: that is the date the follow-ups and the favor counts read.
The date it was promised for stays in its text. Only that line changes.
"""

from __future__ import annotations

import re
from datetime import date

from kith.core.grammar import LOG_ENTRY, entry_kind
from kith.core.model import Entry
from kith.core.names import fold_typed
from kith.edit.files import EditError, line_content, split_lines

_TRAILING = re.compile(r"(?P<tail>(?:[ \t]+\^[A-Za-z0-9-]+)?[ \t]*)$")
"""What stays at the end of the line: a block id (``^id``) and trailing blanks."""


def describe(entry: Entry) -> str:
    """An entry as it reads in a message: ``2026-06-01 gave: Send the deck``."""
    kind = f" {entry.kind}" if entry.kind else ""
    return f"{entry.date}{kind}" + (f": {entry.text}" if entry.text else "")


def promise_to_keep(entries: tuple[Entry, ...], matching: str, where: str) -> Entry:
    """The oldest open entry, or the oldest whose kind or text holds ``matching``
    (case and accents aside). An ``EditError`` when there is none, or when
    ``matching`` fits entries of different texts (they are listed)."""
    open_ones = sorted((e for e in entries if not e.done), key=lambda e: (e.date, e.line))
    if not open_ones:
        raise EditError(f"{where} has no open promise ('- [ ] DATE kind: text' in its log)")
    if not matching.strip():
        return open_ones[0]
    wanted = fold_typed(matching)
    found = [e for e in open_ones if wanted in fold_typed(f"{e.kind}: {e.text}")]
    if not found:
        listed = "; ".join(describe(e) for e in open_ones)
        raise EditError(f"no open promise in {where} matches {matching!r}; open: {listed}")
    if len({(e.kind, e.text) for e in found}) > 1:
        listed = "; ".join(describe(e) for e in found)
        raise EditError(
            f"{matching!r} matches {len(found)} open promises in {where}: {listed}"
            " — type more of the text"
        )
    return found[0]


def kept_line(line: str, entry: Entry, kept_on: date, where: str) -> str:
    """``line`` (the entry's, its line end included) with the box ticked, the date
    ``kept_on`` and, when that differs, the date it was promised for in its text."""
    content = line_content(line)
    match = LOG_ENTRY.match(content)
    if match is None or match.group("box") != " " or match.group("date") != str(entry.date):
        raise EditError(
            f"{where}:{entry.line}: the open promise is not written on one line kith can edit"
            " (a comment or markup on it); tick it by hand"
        )
    rest = match.group("rest")
    if kept_on != entry.date:
        tail = _TRAILING.search(rest)
        cut = tail.start() if tail else len(rest)
        head = rest[:cut]
        # Without text, a colon keeps the kind a kind: ``call (promised ...)`` has none.
        text_follows = head[entry_kind(head)[1] :].strip()
        sep = " " if text_follows or head.endswith(":") else ": "
        rest = f"{rest[:cut]}{sep}(promised {entry.date}){rest[cut:]}"
    box = match.start("box")
    lead = match.group("lead")
    lead = lead[: box - match.start("lead")] + "x" + lead[box - match.start("lead") + 1 :]
    return lead + kept_on.isoformat() + rest + line[len(content) :]


def keep(text: str, entry: Entry, kept_on: date, where: str) -> tuple[str, str]:
    """``text`` with ``entry`` kept on ``kept_on``, and the new line (without its end)."""
    lines = split_lines(text)
    if not 0 < entry.line <= len(lines):  # pragma: no cover - the entry was read from text
        raise EditError(f"{where}: the promise is no longer in the file; run the command again")
    new = kept_line(lines[entry.line - 1], entry, kept_on, where)
    lines[entry.line - 1] = new
    return "".join(lines), line_content(new)
