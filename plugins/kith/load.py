"""Contact files to ``Contact`` objects: every check of DESIGN §3, every problem collected.

A file whose front matter cannot be read at all is left out (one problem). A
file with a bad value keeps everything else: the bad key is reported and
ignored, the person stays in the network.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Collection, Iterable
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import Problem
from .front_matter import FrontMatterError, Property, Split, decode, parse, split
from .model import Contact, Entry, Link, Network, Note
from .properties import KNOWN, InvalidValue, check_extra, convert, to_date
from .source import code_free_lines, find_wikilinks, strip_comments

DEFAULT_TIERS = ("core", "active", "network", "prospect")

_LOG_ITEM = re.compile(
    r"^[ \t]*[-*+][ \t]+(?:\[(?P<box>[ xX])\][ \t]+)?"
    r"(?P<date>\d{4}-\d{2}-\d{2})(?=$|[\s:])(?P<rest>.*)$"
)
_KIND = re.compile(r"^(?P<kind>[A-Za-z][\w-]*)(?::[ \t]*(?P<text>.*)|[ \t]*)$")
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")


def loads(
    text_or_bytes: str | bytes,
    src_uri: str,
    path: str | None = None,
    tiers: Collection[str] = DEFAULT_TIERS,
) -> tuple[Contact | None, list[Problem]]:
    """Read one contact file. Returns the contact (``None`` if unreadable) and its problems."""
    path = path or src_uri
    try:
        parts, properties = _read(text_or_bytes, path)
    except FrontMatterError as err:
        return None, [err.problem]
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    extra: dict[str, object] = {}
    for key, prop in properties.items():
        try:
            if key in KNOWN:
                fields.update(convert(key, prop.value, tiers, prop.raw))
            else:
                extra[key] = check_extra(key, prop.value)
        except InvalidValue as err:
            problems.append(Problem(path, prop.line, prop.col, err.message, err.hint))
    body = parts.body
    entries, entry_problems = _log_entries(body, parts.body_line, src_uri, path)
    problems.extend(entry_problems)
    links = tuple(
        Link(t.target, line, t.heading, t.label)
        for line, t in find_wikilinks(strip_comments(body), parts.body_line)
        if t.target
    )
    name = fields.pop("name", "") or _first_heading(body) or _stem(src_uri)
    contact = Contact(
        src_uri=src_uri,
        path=path,
        name=name,
        extra=MappingProxyType(extra),
        key_lines=MappingProxyType({key: (p.line, p.col) for key, p in properties.items()}),
        body=body,
        body_line=parts.body_line,
        entries=entries,
        links=links,
        **fields,
    )
    return contact, problems


def _read(text_or_bytes: str | bytes, path: str) -> tuple[Split, dict[str, Property]]:
    data = (
        text_or_bytes
        if isinstance(text_or_bytes, bytes)
        else text_or_bytes.encode("utf-8", "surrogatepass")
    )
    parts = split(decode(data, path), path)
    properties = parse(parts.yaml_text, path) if parts.yaml_text is not None else {}
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
    for key, prop in properties.items():
        try:
            if key == "date" and prop.value is not None:
                when = to_date(key, prop.value)
            elif key == "publish" and prop.value is not None:
                publish = convert("publish", prop.value, ())["publish"]
            else:
                check_extra(key, prop.value)
        except InvalidValue as err:
            problems.append(Problem(path, prop.line, prop.col, err.message, err.hint))
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
    body = parts.body
    entries, entry_problems = _log_entries(body, parts.body_line, src_uri, path)
    links = tuple(
        Link(t.target, line, t.heading, t.label)
        for line, t in find_wikilinks(strip_comments(body), parts.body_line)
        if t.target
    )
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
            data = (folder / relative).read_bytes()
        except OSError as err:
            problems.append(Problem(path, 1, 1, f"cannot read the file: {err.strerror}", ""))
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


FileCache = dict[str, tuple[tuple[int, int, tuple[str, ...], str], Contact | None, list[Problem]]]
"""Path → ((size, mtime, tiers, shown path), contact, problems) of files already parsed."""


def load_files(
    files: Iterable[tuple[str, Path]],
    display_prefix: str = "",
    tiers: Collection[str] = DEFAULT_TIERS,
    cache: FileCache | None = None,
) -> Network:
    """Read the given ``(src_uri, path)`` contact files into a network.

    With a ``cache``, a file whose size and modification time are unchanged is
    not read again; entries of files that are gone are dropped from it.
    """
    contacts: list[Contact] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for src_uri, file_path in files:
        path = display_prefix + src_uri
        try:
            if cache is not None:
                stat = file_path.stat()
                key = (stat.st_size, stat.st_mtime_ns, tuple(tiers), path)
                seen.add(str(file_path))
                hit = cache.get(str(file_path))
                if hit is not None and hit[0] == key:
                    contact, found = hit[1], hit[2]
                else:
                    contact, found = loads(file_path.read_bytes(), src_uri, path, tiers)
                    cache[str(file_path)] = (key, contact, found)
            else:
                contact, found = loads(file_path.read_bytes(), src_uri, path, tiers)
        except OSError as err:
            problems.append(Problem(path, 1, 1, f"cannot read the file: {err.strerror}", ""))
            continue
        problems.extend(found)
        if contact is not None:
            contacts.append(contact)
    if cache is not None:
        for gone in set(cache) - seen:
            del cache[gone]
    return Network(tuple(with_slugs(contacts)), tuple(problems))


def is_contact_file(src_uri: str) -> bool:
    """Markdown files are contacts, except ``index.md``/``README.md`` at the top."""
    return src_uri.endswith(".md") and src_uri.lower() not in ("index.md", "readme.md")


def contact_files(folder: Path, include_index: bool = False) -> list[str]:
    """``src_uri`` of every contact file, sorted; hidden and ``_`` folders skipped."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        relative = Path(root).relative_to(folder).as_posix()
        for name in files:
            if name.startswith((".", "_")):
                continue
            src_uri = name if relative == "." else f"{relative}/{name}"
            if is_contact_file(src_uri) or (include_index and src_uri.endswith(".md")):
                found.append(src_uri)
    return sorted(found)


def with_slugs(contacts: Iterable[Contact]) -> list[Contact]:
    """Give each contact a unique page slug, made from its file name."""
    from dataclasses import replace

    used: set[str] = set()
    result: list[Contact] = []
    for contact in sorted(contacts, key=lambda c: c.src_uri):
        base = slugify(contact.stem) or "person"
        slug, number = base, 2
        while slug in used:
            slug, number = f"{base}-{number}", number + 1
        used.add(slug)
        result.append(replace(contact, slug=slug))
    return result


def slugify(text: str) -> str:
    """Lower-case words joined by ``-``; accents dropped, other scripts kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^\w]+", "-", plain.lower()).strip("-_")


def _stem(src_uri: str) -> str:
    return src_uri.rsplit("/", 1)[-1].removesuffix(".md")


def _first_heading(body: str) -> str:
    for _, line in code_free_lines(body):
        match = _HEADING.match(line)
        if match:
            return match.group(1).strip()
    return ""


def _log_entries(
    body: str, first_line: int, src_uri: str, path: str
) -> tuple[tuple[Entry, ...], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    text = strip_comments(body)
    source_lines = text.split("\n")
    for index, line in code_free_lines(text):
        match = _LOG_ITEM.match(line)
        if match is None:
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
        rest = source_lines[index][match.start("rest") :]
        kind, entry_text = "", rest[1:].strip()
        if not rest.startswith(":"):
            kind_match = _KIND.match(rest.strip())
            if kind_match:
                kind, entry_text = kind_match.group("kind").lower(), kind_match.group("text") or ""
            else:
                entry_text = rest.strip()
        links = tuple(
            Link(t.target, line_number, t.heading, t.label)
            for _, t in find_wikilinks(entry_text)
            if t.target
        )
        entries.append(
            Entry(
                date=when,
                kind=kind,
                text=entry_text.strip(),
                done=match.group("box") != " ",
                line=line_number,
                source=src_uri,
                links=links,
            )
        )
    return tuple(entries), problems
