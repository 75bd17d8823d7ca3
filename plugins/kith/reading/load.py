"""Contact files to ``Contact`` objects: every check of DESIGN §3, every problem collected.

A file whose front matter cannot be read at all is left out (one problem). A
file with a bad value keeps everything else: the bad key is reported and
ignored, the person stays in the network.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kith.core.config import DEFAULT_TIERS
from kith.core.directory import is_contact_file
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
from kith.core.keys import KEYS, READ
from kith.core.model import Contact, Entry, KeyLines, Link, Network, Note
from kith.reading.front_matter import (
    FrontMatterError,
    Properties,
    Split,
    decode,
    read_properties,
    split,
)
from kith.reading.properties import InvalidValue, check_extra, convert, to_date

_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")


def loads(
    text_or_bytes: str | bytes,
    src_uri: str,
    path: str | None = None,
    tiers: Collection[str] = DEFAULT_TIERS,
) -> tuple[Contact | None, list[Problem]]:
    """Read one contact file. Returns the contact (``None`` if unreadable) and its problems."""
    return _load(text_or_bytes, src_uri, path or src_uri, tiers, "", {})


Shared = dict[Any, Any]
"""Values that many contacts of one load hold (a town, a date, the tuple of keys), each
kept once: ``shared.setdefault(value, value)``. Only text, dates and tuples of text go in:
unlike numbers (``1 == 1.0 == True``) they are never equal to a value of another type."""

_SHAREABLE = frozenset({str, tuple, date})
"""The types of Contact fields put in ``Shared`` (their tuples hold text)."""
_NO_EXTRA: MappingProxyType[str, object] = MappingProxyType({})
"""What most contacts have as ``extra``: one empty mapping for all (it cannot change)."""


def _publish(found: tuple[Any, int, int, Any], path: str, problems: list[Problem]) -> bool:
    """A privacy flag fails closed: only a clear ``true`` publishes; anything else (an
    empty value, ``"false"``, ``no``, ``0``) keeps the page out, with a problem."""
    value, line, col, _ = found
    if value is True or value is False:
        return value
    if value is None:
        problems.append(
            Problem(
                path, line, col, "'publish' is empty: kept out of the site",
                "write 'publish: true' to publish, or 'publish: false'",
            )
        )  # fmt: skip
    else:
        problems.append(
            Problem(
                path, line, col,
                f"'publish' must be true or false, not {value!r}: kept out of the site",
                "write 'publish: true' to publish, or 'publish: false'",
            )
        )  # fmt: skip
    return False


def _load(
    text_or_bytes: str | bytes,
    src_uri: str,
    path: str,
    tiers: Collection[str],
    slug: str,
    shared: Shared,
) -> tuple[Contact | None, list[Problem]]:
    """``loads``, the contact made with its ``slug`` at once (not made again to set it)."""
    try:
        parts, properties = _read(text_or_bytes, path)
    except FrontMatterError as err:
        return None, [err.problem]
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    extra: dict[str, object] = {}
    places: list[int] = []
    for key, (value, line, col, raw) in properties.items():
        places += (line, col)
        if key == "publish":  # read apart: it fails closed (``_publish``)
            continue
        try:
            if key in READ:
                fields.update(convert(key, value, tiers, raw))
            else:
                typo = _meant_key(key)
                if typo:
                    problems.append(
                        Problem(
                            path,
                            line,
                            1,
                            f"unknown key '{key}': did you mean '{typo}'?",
                            f"write it '{typo}:'"
                            + (" (keys are lower case)" if key.casefold() == typo else "")
                            + "; kith shows a key it does not know as it is, and reads"
                            " nothing from it",
                        )
                    )
                shown = check_extra(key, value)
                if shown is not None:
                    extra[key] = shown
        except InvalidValue as err:
            problems.append(Problem(path, line, col, err.message, err.hint))
    if "publish" in properties:
        fields["publish"] = _publish(properties["publish"], path, problems)
    for field_name, value in fields.items():
        if type(value) in _SHAREABLE:
            fields[field_name] = shared.setdefault(value, value)
    keys = tuple(properties)
    keys = shared.setdefault(keys, keys)  # most files have the same keys in the same order
    # Comments are gone from here on, for every reader of the body (the page, its name,
    # the files it links, search); their line breaks stay, so lines keep their numbers.
    moved: Moved = {}
    body = strip_comments(parts.body, moved)
    entries, links, body_problems = _read_body(body, parts.body_line, src_uri, path, shared, moved)
    problems.extend(body_problems)
    name = fields.pop("name", "") or _first_heading(body) or _stem(src_uri)
    contact = Contact(
        src_uri=src_uri,
        path=path,
        name=name,
        slug=slug,
        extra=MappingProxyType(extra) if extra else _NO_EXTRA,
        key_lines=KeyLines(keys, places),
        body=body,
        body_line=parts.body_line,
        entries=entries,
        links=links,
        **fields,
    )
    return contact, problems


def _read(text_or_bytes: str | bytes, path: str) -> tuple[Split, Properties]:
    data = (
        text_or_bytes
        if isinstance(text_or_bytes, bytes)
        else text_or_bytes.encode("utf-8", "surrogatepass")
    )
    parts = split(decode(data, path), path)
    properties = read_properties(parts.yaml_text, path) if parts.yaml_text is not None else {}
    return parts, properties


_NOTE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def load_note(
    text_or_bytes: str | bytes, src_uri: str, path: str
) -> tuple[Note | None, list[Problem]]:
    """Read one journal note: dated by a ``date`` key or by its file name (``2026-03-02.md``)."""
    try:
        parts, properties = _read(text_or_bytes, path)
    except FrontMatterError as err:
        return None, [err.problem]
    problems: list[Problem] = []
    when: date | None = None
    publish = True
    for key, (value, line, col, _) in properties.items():
        try:
            if key == "date" and value is not None:
                when = to_date(key, value)
            elif key == "publish":
                publish = _publish((value, line, col, _), path, problems)
            else:
                check_extra(key, value)
        except InvalidValue as err:
            problems.append(Problem(path, line, col, err.message, err.hint))
    stem = _stem(src_uri)
    if when is None:
        match = _NOTE_DATE.match(stem)
        try:
            when = date.fromisoformat(match.group(1)) if match else None
        except ValueError:
            when = None
    if when is None:
        problems.append(
            Problem(
                path,
                1,
                1,
                "a journal note needs a date",
                "name the file YYYY-MM-DD.md (as Obsidian's daily notes) or add a date: key",
            )
        )
        return None, problems
    moved: Moved = {}
    body = strip_comments(parts.body, moved)  # as for a contact: comments reach no reader
    entries, links, entry_problems = _read_body(body, parts.body_line, src_uri, path, {}, moved)
    title = _first_heading(body) or stem
    note = Note(src_uri, path, when, title, body, parts.body_line, entries, links, publish)
    return note, problems + entry_problems


def load_journal(
    folder: Path, site_prefix: str, display_prefix: str
) -> tuple[list[Note], list[Problem]]:
    """Every note in the journal folder, oldest first; ``([], [])`` when there is none."""
    notes: list[Note] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return notes, problems
    for relative in contact_files(folder, include_index=True):
        path = display_prefix + relative
        try:
            data = _read_file(folder / relative, relative)
        except OSError as err:
            problems.append(_unreadable(path, err))
            continue
        note, found = load_note(data, site_prefix + relative, path)
        problems.extend(found)
        if note is not None:
            notes.append(note)
    return sorted(notes, key=lambda n: (n.date, n.src_uri)), problems


def load(
    folder: Path,
    display_prefix: str = "",
    tiers: Collection[str] = DEFAULT_TIERS,
) -> Network:
    """Read every contact under ``folder`` (``index.md`` at its top is a page, not a person).

    ``display_prefix`` is put before paths in messages (e.g. ``people/``).
    """
    return load_files(
        ((src_uri, folder / src_uri) for src_uri in contact_files(folder)), display_prefix, tiers
    )


FileCache = dict[
    str, tuple[tuple[int, int, int, tuple[str, ...], str], bytes, Contact | None, list[Problem]]
]
"""Path → ((size, mtime, ctime, tiers, shown path), hash of the bytes, contact, problems) of
files already parsed."""


def load_files(
    files: Iterable[tuple[str, str | Path]],
    display_prefix: str = "",
    tiers: Collection[str] = DEFAULT_TIERS,
    cache: FileCache | None = None,
) -> Network:
    """Read the given ``(src_uri, path)`` contact files into a network.

    With a ``cache``, a file whose size and modification time are unchanged is
    not read again, and one whose bytes are unchanged is not parsed again; entries of
    files that are gone are dropped from it.
    """
    files = list(files)
    # Each contact is made with the slug it gets if every file is read (nearly always so):
    # a slug depends on the other file names only. ``_with_slugs`` puts right the few
    # that a left-out file, or a contact from the cache, would leave wrong.
    bases: dict[str, str] = {}
    slugs = _first_slugs([src_uri for src_uri, _ in files], bases)
    shared: Shared = {}
    contacts: list[Contact] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    tiers_key = tuple(tiers)
    for (src_uri, file_path), slug in zip(files, slugs, strict=True):
        path = display_prefix + src_uri
        try:
            if cache is not None:
                stat = os.stat(file_path)
                # The status-change time too: no tool sets it back (a copy keeping the
                # modification time, two saves of one size within a clock tick).
                key = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, tiers_key, path)
                seen.add(str(file_path))
                hit = cache.get(str(file_path))
                if hit is not None and hit[0] == key:
                    contact, found = hit[2], hit[3]
                else:
                    data = _read_file(file_path, src_uri)
                    digest = hashlib.blake2b(data, digest_size=16).digest()
                    if hit is not None and hit[1] == digest and hit[0][3:] == key[3:]:
                        # Touched, not changed (a checkout, a sync): the same contact, so
                        # that a rebuild sees nothing to redraw.
                        contact, found = hit[2], hit[3]
                    else:
                        contact, found = _load(data, src_uri, path, tiers, slug, shared)
                    cache[str(file_path)] = (key, digest, contact, found)
            else:
                data = _read_file(file_path, src_uri)
                contact, found = _load(data, src_uri, path, tiers, slug, shared)
        except OSError as err:
            problems.append(_unreadable(path, err))
            continue
        problems.extend(found)
        if contact is not None:
            contacts.append(contact)
    if cache is not None:
        for gone in set(cache) - seen:
            del cache[gone]
    return Network(tuple(_with_slugs(contacts, bases)), tuple(problems))


def _unreadable(path: str, err: OSError) -> Problem:
    return Problem(
        path, 1, 1, f"cannot read the file: {err.strerror}",
        "keep only Markdown files of your people in the folder (move this one out)",
    )  # fmt: skip


MAX_FILE_BYTES = 4 * 1024 * 1024
"""A contact file or note larger than this is refused (a problem), not read."""


def _read_file(path: str | Path, src_uri: str) -> bytes:
    """The file's bytes, if it is a regular file of a sane size inside its folder: a FIFO
    would hang the build, a link to ``/dev/zero`` would fill the memory, a link to
    ``/etc/passwd`` (or a linked folder) would publish what is outside. Unbuffered, as
    it is read whole (``Path.read_bytes`` buffers)."""
    _refuse_outside(os.fspath(path), src_uri)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb", buffering=0) as file:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, a device, a socket?)")
        if status.st_size > MAX_FILE_BYTES:
            raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        data = file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # it grew while being read
            raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        return data


_PUBLISH_LINE = re.compile(r"^[ \t\ufeff\u200b]*[\"']?publish[\"']?[ \t]*:", re.M | re.I)


def may_be_private(path: str | Path, src_uri: str) -> bool:
    """Whether a file kith could not read as anyone may hold a private person: it has a
    ``publish`` line, or cannot be read at all (fails closed: it is not named)."""
    try:
        data = _read_file(path, src_uri)
    except OSError:
        return True
    return bool(_PUBLISH_LINE.search(data.decode("utf-8", "replace")))


def file_slug(src_uri: str) -> str:
    """The slug a file's person page has when no other file's takes it first."""
    return slugify(_stem(src_uri)) or "person"


def _refuse_outside(path: str, src_uri: str) -> None:
    """An ``OSError`` if ``path`` (``src_uri`` in its folder) is, or is in, a symbolic
    link that leads out of the folder; a link to another file of the folder is fine."""
    if os.sep != "/":
        src_uri = src_uri.replace("/", os.sep)
    root = path[: -len(src_uri)] if path.endswith(src_uri) else os.path.dirname(path)
    real_root = _real_folder(root or ".")
    real = os.path.realpath(path)
    inside = real_root.rstrip(os.sep) + os.sep
    if not real.startswith(inside):
        raise OSError(
            errno.EACCES,
            "it is a symbolic link (or in a linked folder) that leads out of the folder;"
            " kith reads only what is inside it",
        )
    target = real[len(inside) :].replace(os.sep, "/")
    if target != src_uri and is_contact_file(target):
        raise OSError(
            errno.EEXIST,
            f"it is a symbolic link to {target}, which is read already (the same person"
            " twice); remove the link, and give other names as aliases: in that file",
        )


@lru_cache(maxsize=64)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def contact_files(folder: Path, include_index: bool = False) -> list[str]:
    """``src_uri`` of every contact file (``is_contact_file``), sorted; in linked folders
    too, as MkDocs finds them (``_read_file`` then refuses what leads outside)."""
    found: list[str] = []
    walked: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in walked:  # a link back up: walked once
            dirs[:] = []
            continue
        walked.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))  # none of them
        relative = Path(root).relative_to(folder).as_posix()
        for name in files:
            src_uri = name if relative == "." else f"{relative}/{name}"
            if is_contact_file(src_uri, include_index):
                found.append(src_uri)
    return sorted(found)


def _with_slugs(contacts: Iterable[Contact], bases: dict[str, str]) -> list[Contact]:
    """Each contact with a unique page slug made from its file name (sorted by file); a
    contact made again only when its slug is not already the right one.

    Published people take their slugs first: a private namesake must not push a public
    person's address to ``-2``, which would tell that someone of that name exists.
    """
    ordered = sorted(contacts, key=lambda c: c.src_uri)
    first = sorted(ordered, key=lambda c: (not c.publish, c.src_uri))
    slugs = dict(
        zip(
            (c.src_uri for c in first),
            _unique_slugs((c.src_uri for c in first), bases),
            strict=True,
        )
    )
    return [c if c.slug == slugs[c.src_uri] else replace(c, slug=slugs[c.src_uri]) for c in ordered]


def _first_slugs(src_uris: list[str], bases: dict[str, str]) -> list[str]:
    """The slug of each file (in the given order) if every one of them makes a contact."""
    order = sorted(range(len(src_uris)), key=src_uris.__getitem__)
    slugs = [""] * len(src_uris)
    for index, slug in zip(order, _unique_slugs((src_uris[i] for i in order), bases), strict=True):
        slugs[index] = slug
    return slugs


def _unique_slugs(src_uris: Iterable[str], bases: dict[str, str]) -> Iterator[str]:
    """Slugs of files taken in order: the file name's slug, else the first free ``-2``, ``-3``...

    ``bases`` keeps each file name's slug, so that it is made once per load.
    """
    used: set[str] = set()
    tried: dict[str, int] = {}  # base → next number to try: the lower ones are all taken
    for src_uri in src_uris:
        base = bases.get(src_uri)
        if base is None:
            base = bases[src_uri] = slugify(_stem(src_uri)) or "person"
        slug, number = base, tried.get(base, 2)
        while slug in used:
            slug, number = f"{base}-{number}", number + 1
        tried[base] = number
        used.add(slug)
        yield slug


_NOT_WORD = re.compile(r"[^\w]+")


def slugify(text: str) -> str:
    """Lower-case words joined by ``-``; accents dropped, other scripts kept."""
    if text.isascii():  # nothing to decompose, no accent to drop
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub("-", plain.lower()).strip("-_")


def _stem(src_uri: str) -> str:
    return src_uri.rsplit("/", 1)[-1].removesuffix(".md")


def _first_heading(body: str) -> str:
    for _, line in code_free_lines(body):
        match = _HEADING.match(line)
        if match:
            return match.group(1).strip()
    return ""


_KNOWN_KEYS = tuple(k.name for k in KEYS)


@lru_cache(maxsize=1024)
def _meant_key(key: str) -> str:
    """The known key an unknown one is a typo of — its case, or a letter or two wrong,
    missing, extra or swapped (``Company``, ``compny``, ``emial``) — or ``""``."""
    if key in _KNOWN_KEYS:  # a key kith keeps as it is (department, past_companies)
        return ""
    folded = key.strip().casefold().replace("-", "_").replace(" ", "_")
    if folded in _KNOWN_KEYS:
        return folded
    if len(folded) < 3:
        return ""
    allowed = 1 if len(folded) <= 6 else 2
    found = [(_edits(folded, known), known) for known in _KNOWN_KEYS]
    distance, known = min(found)
    return known if distance <= allowed else ""


def _edits(a: str, b: str) -> int:
    """Letters to change, add, drop or swap to make ``b`` of ``a`` (optimal string
    alignment distance; keys are short)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


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


def _read_body(
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
