"""Who mentions whom: backlinks computed once per build from the sources.

Reading the sources (not rendered pages) keeps backlinks right under
``mkdocs serve --dirty``, where only the edited page is rendered again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kith.core.directory import Directory
from kith.core.model import Contact, Entry, Link, Note


@dataclass(frozen=True, slots=True)
class Mention:
    """A place that links a person: a note, a log entry or a journal note."""

    source: str
    """``src_uri`` of the page holding the link."""
    title: str
    """The name of the person or the title of the journal note holding the link."""
    date: date | None
    """The log entry's or journal note's date; ``None`` for a link in plain notes."""
    text: str
    """The log entry's Markdown, for context; empty for links in plain notes."""
    line: int


def _mentions_in(
    source: str,
    title: str,
    links: Iterable[Link],
    entries: Iterable[Entry],
    default_date: date | None,
    directory: Directory,
    owner: Contact | None,
) -> Iterable[tuple[str, Mention]]:
    by_line = {entry.line: entry for entry in entries}
    seen: set[tuple[str, int]] = set()
    for link in links:
        target = directory.resolve(link.target)
        if target is None or (owner is not None and target.src_uri == owner.src_uri):
            continue
        if (target.src_uri, link.line) in seen:
            continue
        seen.add((target.src_uri, link.line))
        entry = by_line.get(link.line)
        when = entry.date if entry else default_date
        yield target.src_uri, Mention(source, title, when, entry.text if entry else "", link.line)


def backlinks(
    contacts: Iterable[Contact], notes: Iterable[Note], directory: Directory
) -> Mapping[str, tuple[Mention, ...]]:
    """``src_uri`` of a person → who mentions them, newest first (undated last)."""
    found: dict[str, list[Mention]] = {}
    for contact in contacts:
        for target, mention in _mentions_in(
            contact.src_uri,
            contact.name,
            contact.links,
            contact.entries,
            None,
            directory,
            contact,
        ):
            found.setdefault(target, []).append(mention)
    for note in notes:
        for target, mention in _mentions_in(
            note.src_uri, note.title, note.links, note.entries, note.date, directory, None
        ):
            found.setdefault(target, []).append(mention)
    return {
        target: tuple(sorted(mentions, key=_newest_first)) for target, mentions in found.items()
    }


def patch_backlinks(
    last: Mapping[str, tuple[Mention, ...]],
    before: Iterable[Contact],
    after: Iterable[Contact],
    directory: Directory,
    directory_before: Directory | None = None,
) -> Mapping[str, tuple[Mention, ...]]:
    """``last`` (the backlinks of a network) after the files of ``before`` became
    ``after``: every other file's links point where they did. Only the people those
    files mention, before or after, get a new list; it is what ``backlinks`` would
    give. ``directory_before``: where links led in the last build, when people came
    or went (``before`` then holds the people gone, ``after`` the new ones).
    """
    was = directory_before or directory
    sources = {c.src_uri for c in before} | {c.src_uri for c in after}
    touched = {
        target
        for c in before
        for target, _ in _mentions_in(c.src_uri, c.name, c.links, c.entries, None, was, c)
    }
    added: dict[str, list[Mention]] = {}
    for c in after:
        for target, mention in _mentions_in(
            c.src_uri, c.name, c.links, c.entries, None, directory, c
        ):
            added.setdefault(target, []).append(mention)
    found = dict(last)
    for target in touched | added.keys():
        mentions = [m for m in last.get(target, ()) if m.source not in sources]
        mentions += added.get(target, [])
        if mentions:
            found[target] = tuple(sorted(mentions, key=_newest_first))
        else:
            found.pop(target, None)
    return found


def _newest_first(mention: Mention) -> tuple[bool, int, str, int, str]:
    # The source last: two people of the same name mentioning someone on the same
    # line number and day keep one order, however the list was put together.
    ordinal = mention.date.toordinal() if mention.date else 0
    return (mention.date is None, -ordinal, mention.title.casefold(), mention.line, mention.source)
