"""Interactions captured from exports (a calendar, later mail and messages), kept in
machine-written journal notes, one per month: ``journal/captured/2026-11.md``.

Each interaction is one log entry, ``- 2026-11-03 meeting: Quarterly sync — [[Jane Doe]]``,
ending in an Obsidian comment that names its source (``%%kith:calendar:<uid>%%``). kith
removes comments as it reads a file, so the source id is on no page; it is read back here,
so that importing the same export again adds nothing. The text is data (escaped, as every
imported text); the wikilinks to the people it involves are the only links.

A note made of log entries only is no interaction of its own (``Site.entries``): each
line counts on its own date, for the people it links, as in any journal note.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kith.core.directory import Directory
from kith.core.errors import KithError
from kith.core.grammar import KIND, WIKILINK, wikilink_parts
from kith.core.model import Contact
from kith.edit.files import (
    EditError,
    edit_file,
    line_content,
    log_line,
    newline_of,
    split_lines,
    write_atomic,
)
from kith.edit.markup import markdown_inline

CAPTURED_FOLDER = "captured"
"""The sub-folder of the journal holding the machine-written notes."""

_SOURCE_ID = re.compile(r"%%kith:([^%\s]+)(?: ([0-9a-f]{8}))?%%")
"""``%%kith:<source id> <checksum>%%``: the checksum is of the line's text before it, as
kith wrote it (lines written before there was one have none)."""
_SAFE_ID = re.compile(r"[A-Za-z0-9@._:+=/~-]+")
_ENTRY_DATE = re.compile(r"^- (?:\[.\] )?(\d{4}-\d{2}-\d{2}) ")


@dataclass(frozen=True)
class Captured:
    """One interaction found in an export."""

    date: date
    kind: str
    """A log kind: ``meeting``, ``email``, ``message``."""
    text: str
    """Plain text (an event's title, a subject): escaped as it is written."""
    people: tuple[Contact, ...]
    """Published people it involves, each linked once."""
    source_id: str
    """Unique per interaction and stable across exports: ``calendar:<uid>:<occurrence>``.
    Characters outside ``A-Z a-z 0-9 @ . _ : + = / ~ -`` are written percent-encoded."""


@dataclass
class Merge:
    """What merging captured interactions into the monthly notes did (or would do)."""

    added: list[Captured] = field(default_factory=list)
    already: int = 0
    """Interactions whose line a note already holds (or that came twice)."""
    files: Counter[str] = field(default_factory=Counter)
    """Note path (relative to the project) → lines added."""
    changed: int = 0
    """Interactions whose line was rewritten: the export has them on another date, with
    another title or other people (a rescheduled or renamed event)."""
    cancelled: int = 0
    """Lines removed: their event is cancelled in the export."""
    removed: Counter[str] = field(default_factory=Counter)
    """Note path → lines removed (a changed interaction's old line, a cancelled one)."""
    kept: list[str] = field(default_factory=list)
    """Lines you edited that the export would change or remove: kept, each as
    ``<note> line <n>: <the line>``."""

    @property
    def people(self) -> set[str]:
        return {p.src_uri for item in self.added for p in item.people}


@dataclass(frozen=True)
class Placed:
    """A line of a captured note holding a source id."""

    path: Path
    number: int
    """1-based."""
    line: str
    """Without its line end."""
    edited: bool
    """Its text is not what kith wrote (its checksum differs, or it has none)."""


def captured_folder(journal: Path) -> Path:
    return journal / CAPTURED_FOLDER


def known_ids(folder: Path) -> set[str]:
    """Every source id the captured notes hold (whatever importer wrote them)."""
    return set(placed_ids(folder))


def placed_ids(folder: Path) -> dict[str, Placed]:
    """Source id → the line holding it, in every note of ``folder`` (the first, if a
    line was copied)."""
    found: dict[str, Placed] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise KithError(f"{path}: cannot read the captured note ({err})") from None
        for number, row in enumerate(split_lines(text), 1):
            line = line_content(row)
            for match in _SOURCE_ID.finditer(line):
                found.setdefault(match.group(1), Placed(path, number, line, _edited(line)))
    return found


def _checksum(visible: str) -> str:
    return hashlib.blake2s(visible.encode("utf-8"), digest_size=4).hexdigest()


def _edited(line: str) -> bool:
    """Whether a line's text differs from what kith wrote (the checksum in its comment)."""
    match = _SOURCE_ID.search(line)
    if match is None or match.group(2) is None:
        return True
    return _checksum(line[: match.start()].rstrip()) != match.group(2)


def safe_id(text: str) -> str:
    """``text`` as a source id: no ``%``, space or line break can close the comment early."""
    out = []
    for char in text:
        if _SAFE_ID.fullmatch(char):
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def link_to(contact: Contact, directory: Directory) -> str | None:
    """A wikilink that resolves to ``contact`` and no one else: by name, else by path.
    ``None`` when neither would (a name holding ``]]`` or ``|`` and such a path)."""
    for target in (contact.name, contact.src_uri.removesuffix(".md")):
        link = f"[[{target}]]"
        match = WIKILINK.fullmatch(link)
        if match is None or match.group(1):
            continue
        name, heading, label = wikilink_parts(match.group(2))
        if heading or label or name != target:
            continue
        if directory.resolve(target) is contact and not directory.ambiguous(target):
            return link
    return None


def entry_line(item: Captured, directory: Directory) -> str | None:
    """The log line for ``item``; ``None`` when none of its people can be linked."""
    links = [link for link in (link_to(p, directory) for p in item.people) if link]
    if not links or not re.fullmatch(KIND, item.kind):
        return None
    text = markdown_inline(" ".join(item.text.split()))
    people = ", ".join(links)
    body = f"{text} — {people}" if text else people
    # ``log_line`` escapes ``%%`` in the text; the comment is added after it.
    visible = log_line(item.date, item.kind, body)
    return f"{visible} %%kith:{safe_id(item.source_id)} {_checksum(visible)}%%"


def month_note(month: date) -> str:
    """A new monthly note: a ``date`` (the month's first day), a title, a line saying what
    it is; entries follow."""
    name = calendar.month_name[month.month]
    return (
        f"---\ndate: {month:%Y-%m}-01\n---\n\n# Captured, {name} {month.year}\n\n"
        "Written by `kith import`: one line per interaction found in an export. Edit or\n"
        "delete lines freely; a deleted line comes back only if you import it again.\n\n"
    )


def insert_lines(text: str, lines: Sequence[tuple[date, str]]) -> str:
    """``text`` with each line put among its entries in date order (after those of the same
    day); every existing byte stays."""
    rows = split_lines(text)
    newline = newline_of(text)
    if rows and not rows[-1].endswith(("\n", "\r")):
        rows[-1] += newline
    for when, line in sorted(lines, key=lambda pair: pair[0]):
        at = len(rows)
        for index in range(len(rows) - 1, -1, -1):
            match = _ENTRY_DATE.match(rows[index])
            if match is None:
                continue
            if match.group(1) <= when.isoformat():
                at = index + 1
                break
            at = index
        rows.insert(at, line + newline)
    return "".join(rows)


def merge(
    items: Iterable[Captured],
    journal: Path,
    root: Path,
    directory: Directory,
    dry_run: bool = False,
    cancelled: Iterable[str] = (),
    update: bool = False,
) -> Merge:
    """Add the ``items`` not yet in the monthly notes of ``journal/captured/``.

    Ids already there (or seen earlier in ``items``) are counted, not written, unless
    ``update`` (a calendar: an event keeps its id when it is moved or renamed) and the
    line would now read otherwise: then the old line goes and the new one is written in
    its month. The lines of the ``cancelled`` ids go too. A line whose text you edited
    is never rewritten or removed: it is kept and listed (``Merge.kept``).

    New notes are created (never over a file); existing ones are edited safely
    (``edit_file``: a save of another writer in between is read again, ids it holds are
    not added twice, and a line edited in between is not removed).
    """
    folder = captured_folder(journal)
    placed = placed_ids(folder)
    seen: set[str] = set()
    result = Merge()
    by_month: dict[date, list[tuple[Captured, str]]] = {}
    removals: dict[Path, set[str]] = {}

    def remove(key: str) -> bool:
        there = placed[key]
        if there.edited:
            result.kept.append(f"{_shown(there.path, root)} line {there.number}: {there.line}")
            return False
        removals.setdefault(there.path, set()).add(key)
        result.removed[_shown(there.path, root)] += 1
        return True

    for item in items:
        key = safe_id(item.source_id)
        if key in seen:
            result.already += 1
            continue
        line = entry_line(item, directory)
        if line is None:
            continue
        seen.add(key)
        if key in placed:
            if not update or placed[key].line == line:
                result.already += 1
                continue
            if not remove(key):
                continue
            result.changed += 1
        else:
            result.added.append(item)
        by_month.setdefault(item.date.replace(day=1), []).append((item, line))
    for key in {safe_id(source) for source in cancelled} - seen:
        if key in placed and remove(key):
            result.cancelled += 1
    for month, pending in sorted(by_month.items()):
        result.files[_shown(folder / f"{month:%Y-%m}.md", root)] += len(pending)
    if dry_run:
        return result
    for path, keys in sorted(removals.items()):
        edit_file(path, lambda text, keys=keys: _without(text, keys))  # type: ignore[misc]
    for month, pending in sorted(by_month.items()):
        _write(folder / f"{month:%Y-%m}.md", month, pending)
    return result


def _without(text: str, keys: set[str]) -> str:
    """``text`` without the lines holding one of ``keys`` as kith wrote them."""
    rows = split_lines(text)
    kept = []
    for row in rows:
        match = _SOURCE_ID.search(row)
        if match and match.group(1) in keys and not _edited(line_content(row)):
            continue
        kept.append(row)
    return "".join(kept)


def _write(path: Path, month: date, pending: list[tuple[Captured, str]]) -> None:
    def change(text: str) -> str:
        there = {match.group(1) for match in _SOURCE_ID.finditer(text)}
        fresh = [
            (item.date, line) for item, line in pending if safe_id(item.source_id) not in there
        ]
        return insert_lines(text, fresh) if fresh else text

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomic(path, change(month_note(month)), None)
            return
        except EditError:
            if not path.exists():
                raise
            # written in between: merge into it
    edit_file(path, change)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
