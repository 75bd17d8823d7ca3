"""Contact files to ``Contact`` objects: every check of DESIGN §3, every problem collected.

A file whose front matter cannot be read at all is left out (one problem). A
file with a bad value keeps everything else: the bad key is reported and
ignored, the person stays in the network.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection, Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kith.core.config import DEFAULT_TIERS
from kith.core.errors import Problem
from kith.core.grammar import Moved, strip_comments
from kith.core.keys import KEYS, READ
from kith.core.model import Contact, KeyLines, Network, Note
from kith.reading.body import Shared, first_heading, read_body
from kith.reading.folder import contact_files, forget_folders, read_file, unreadable
from kith.reading.front_matter import (
    FrontMatterError,
    Properties,
    Split,
    decode,
    read_properties,
    split,
)
from kith.reading.properties import InvalidValue, check_extra, convert, to_date
from kith.reading.slugs import file_stem, first_slugs, with_slugs


def loads(
    text_or_bytes: str | bytes,
    src_uri: str,
    path: str | None = None,
    tiers: Collection[str] = DEFAULT_TIERS,
) -> tuple[Contact | None, list[Problem]]:
    """Read one contact file. Returns the contact (``None`` if unreadable) and its problems."""
    return _load(text_or_bytes, src_uri, path or src_uri, tiers, "", {})


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
    entries, links, body_problems = read_body(body, parts.body_line, src_uri, path, shared, moved)
    problems.extend(body_problems)
    name = fields.pop("name", "") or first_heading(body) or file_stem(src_uri)
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
    stem = file_stem(src_uri)
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
    entries, links, entry_problems = read_body(body, parts.body_line, src_uri, path, {}, moved)
    title = first_heading(body) or stem
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
    forget_folders()
    for relative in contact_files(folder, include_index=True):
        path = display_prefix + relative
        try:
            data = read_file(folder / relative, relative)
        except OSError as err:
            problems.append(unreadable(path, err))
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
    forget_folders()
    # Each contact is made with the slug it gets if every file is read (nearly always so):
    # a slug depends on the other file names only. ``with_slugs`` puts right the few
    # that a left-out file, or a contact from the cache, would leave wrong.
    bases: dict[str, str] = {}
    slugs = first_slugs([src_uri for src_uri, _ in files], bases)
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
                    data = read_file(file_path, src_uri)
                    digest = hashlib.blake2b(data, digest_size=16).digest()
                    if hit is not None and hit[1] == digest and hit[0][3:] == key[3:]:
                        # Touched, not changed (a checkout, a sync): the same contact, so
                        # that a rebuild sees nothing to redraw.
                        contact, found = hit[2], hit[3]
                    else:
                        contact, found = _load(data, src_uri, path, tiers, slug, shared)
                    cache[str(file_path)] = (key, digest, contact, found)
            else:
                data = read_file(file_path, src_uri)
                contact, found = _load(data, src_uri, path, tiers, slug, shared)
        except OSError as err:
            problems.append(unreadable(path, err))
            continue
        problems.extend(found)
        if contact is not None:
            contacts.append(contact)
    if cache is not None:
        for gone in set(cache) - seen:
            del cache[gone]
    return Network(tuple(with_slugs(contacts, bases)), tuple(problems))


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
