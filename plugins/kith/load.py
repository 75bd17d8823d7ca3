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

from . import cadence
from .errors import Problem
from .front_matter import FrontMatterError, decode, parse, split
from .model import Contact, Entry, Link, Network
from .source import code_free_lines, find_wikilinks, parse_wikilink, strip_comments

DEFAULT_TIERS = ("core", "active", "network", "prospect")

_LOG_ITEM = re.compile(
    r"^[ \t]*[-*+][ \t]+(?:\[(?P<box>[ xX])\][ \t]+)?"
    r"(?P<date>\d{4}-\d{2}-\d{2})(?=$|[\s:])(?P<rest>.*)$"
)
_KIND = re.compile(r"^(?P<kind>[A-Za-z][\w-]*)(?::[ \t]*(?P<text>.*)|[ \t]*)$")
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?$")

_TEXT_KEYS = (
    "name",
    "company",
    "role",
    "location",
    "how_met",
    "email",
    "phone",
    "linkedin",
    "website",
    "reason_to_meet",
)
_LIST_KEYS = ("aliases", "tags")
_DATE_KEYS = ("last_contact", "next_follow_up", "met", "birthday", "checked")
_BOOL_KEYS = ("worked_with", "archived", "publish")
_KNOWN = {
    *_TEXT_KEYS,
    *_LIST_KEYS,
    *_DATE_KEYS,
    *_BOOL_KEYS,
    "industry",
    "tier",
    "follow_up",
    "introduced_by",
}


class _Invalid(Exception):
    def __init__(self, message: str, hint: str) -> None:
        self.message, self.hint = message, hint
        super().__init__(message)


def loads(
    text_or_bytes: str | bytes,
    src_uri: str,
    path: str | None = None,
    tiers: Collection[str] = DEFAULT_TIERS,
) -> tuple[Contact | None, list[Problem]]:
    """Read one contact file. Returns the contact (``None`` if unreadable) and its problems."""
    path = path or src_uri
    try:
        text = (
            decode(text_or_bytes, path)
            if isinstance(text_or_bytes, bytes)
            else decode(text_or_bytes.encode("utf-8", "surrogatepass"), path)
        )
        parts = split(text, path)
        properties = parse(parts.yaml_text, path) if parts.yaml_text is not None else {}
    except FrontMatterError as err:
        return None, [err.problem]
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    extra: dict[str, object] = {}
    for key, prop in properties.items():
        try:
            if key in _KNOWN:
                fields.update(_convert(key, prop.value, tiers))
            else:
                extra[key] = _check_extra(key, prop.value)
        except _Invalid as err:
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
        body=body,
        body_line=parts.body_line,
        entries=entries,
        links=links,
        **fields,
    )
    return contact, problems


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


def load_files(
    files: Iterable[tuple[str, Path]],
    display_prefix: str = "",
    tiers: Collection[str] = DEFAULT_TIERS,
) -> Network:
    """Read the given ``(src_uri, path)`` contact files into a network."""
    contacts: list[Contact] = []
    problems: list[Problem] = []
    for src_uri, file_path in files:
        path = display_prefix + src_uri
        try:
            data = file_path.read_bytes()
        except OSError as err:
            problems.append(Problem(path, 1, 1, f"cannot read the file: {err.strerror}", ""))
            continue
        contact, found = loads(data, src_uri, path, tiers)
        problems.extend(found)
        if contact is not None:
            contacts.append(contact)
    return Network(tuple(with_slugs(contacts)), tuple(problems))


def is_contact_file(src_uri: str) -> bool:
    """Markdown files are contacts, except ``index.md``/``README.md`` at the top."""
    return src_uri.endswith(".md") and src_uri.lower() not in ("index.md", "readme.md")


def contact_files(folder: Path) -> list[str]:
    """``src_uri`` of every contact file, sorted; hidden and ``_`` folders skipped."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        relative = Path(root).relative_to(folder).as_posix()
        for name in files:
            if name.startswith((".", "_")):
                continue
            src_uri = name if relative == "." else f"{relative}/{name}"
            if is_contact_file(src_uri):
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
        rest = match.group("rest")
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


def _convert(key: str, value: Any, tiers: Collection[str]) -> dict[str, Any]:
    """One known front-matter key to the Contact field(s) it sets."""
    if value is None:
        return {}
    _refuse_nesting(key, value)
    if key in _TEXT_KEYS:
        return {key: _text(key, value)}
    if key in _LIST_KEYS:
        items = _text_list(key, value)
        if key == "tags":
            items = tuple(t.lstrip("#") for t in items if t.lstrip("#"))
        return {key: items}
    if key in _DATE_KEYS:
        return {key: _date(key, value)}
    if key in _BOOL_KEYS:
        if not isinstance(value, bool):
            raise _Invalid(
                f"'{key}' must be true or false, not {value!r}",
                f"write '{key}: true' or '{key}: false'",
            )
        return {key: value}
    if key == "industry":
        return {"industries": _text_list(key, value)}
    if key == "tier":
        tier = _text(key, value).lower()
        if tier not in tiers:
            raise _Invalid(
                f"unknown tier '{value}'",
                f"use one of {', '.join(tiers)} (or add the tier under 'tiers' in mkdocs.yml)",
            )
        return {"tier": tier}
    if key == "follow_up":
        try:
            return {"follow_up": cadence.parse_cadence(value)}
        except ValueError:
            raise _Invalid(f"'follow_up' cannot be {value!r}", f"use {cadence.ACCEPTED}") from None
    if key == "introduced_by":
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        text = _text(key, value)
        inner = text[2:-2] if text.startswith("[[") and text.endswith("]]") else text
        return {"introduced_by": parse_wikilink(inner).target}
    raise AssertionError(key)  # pragma: no cover - _KNOWN and the branches agree


def _refuse_nesting(key: str, value: Any) -> None:
    if isinstance(value, dict):
        raise _Invalid(
            f"'{key}' is a nested mapping, which Obsidian's properties cannot show",
            "use a flat value or a list, or split it into separate keys",
        )
    if isinstance(value, list) and any(isinstance(item, list | dict) for item in value):
        link = _unquoted_link(value)
        if link:
            raise _Invalid(
                f"'{key}' holds an unquoted wikilink: YAML reads [[{link}]] as a nested list",
                f'put it in quotes: {key}: "[[{link}]]"',
            )
        raise _Invalid(f"'{key}' is a nested list", "use a flat list of text values")


def _unquoted_link(value: list[Any]) -> str:
    if (
        len(value) == 1
        and isinstance(value[0], list)
        and len(value[0]) == 1
        and isinstance(value[0][0], str | int | float)
    ):
        return str(value[0][0])
    return ""


def _check_extra(key: str, value: Any) -> object:
    _refuse_nesting(key, value)
    return tuple(value) if isinstance(value, list) else value


def _text(key: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Invalid(
            f"'{key}' must be text, not {_kind_of(value)}",
            f"write a single value, e.g. {key}: some text (quote it if it looks like a number)",
        )
    return str(value).strip()


def _text_list(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(_text(key, item) for item in value if item is not None)
    return (_text(key, value),)


def _date(key: str, value: Any) -> date:
    text = value if isinstance(value, str) else repr(value)
    match = _ISO_DATE.match(text.strip()) if isinstance(value, str) else None
    if match is None:
        raise _Invalid(
            f"'{key}' must be a date, not {text}", f"write it as YYYY-MM-DD, e.g. {key}: 2026-03-02"
        )
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as err:
        raise _Invalid(
            f"'{key}' is not a real date: {text} ({err})", "check the day and month"
        ) from None


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
