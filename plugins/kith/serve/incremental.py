"""Which person pages a ``mkdocs serve`` rebuild must draw again, and which it can reuse.

A person's page shows their own file, their git history, and what other files
say about them: who links or mentions them, who they introduced, the logs that
count as contact with them. Between two builds, only the files that changed
can change what is said, and only about the people they name (before or after
the edit). Everything else on a page comes from settings, templates and the
page addresses, which are compared as a whole.

A new or deleted person changes the pages that name them (their links and
introducer, before or after) and the pages whose links now lead elsewhere (a
link that found nobody finds the new person; one that found the deleted
person finds nobody, or a namesake). Anything this module cannot vouch for (a
renamed person, a journal edit, a new commit, an edited template, a page
address that moved...) means: draw every page again. Free of MkDocs: the
plugin hands in plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kith.core.directory import Directory
from kith.core.grammar import referenced_files
from kith.core.model import Contact, Entry, Note
from kith.git.gitlog import History


@dataclass(frozen=True)
class Snapshot:
    """What the pages of one build were drawn from."""

    contacts: Mapping[str, Contact]
    """Published contacts by ``src_uri``."""
    directory: Directory
    history: History
    notes: tuple[Note, ...]
    today: date
    urls: int
    """A fingerprint of every page address."""
    templates: Any
    """The templates person pages rendered (name → ``TemplateVersion``), and the
    Markdown settings."""
    options: str
    private: tuple[tuple[Any, ...], ...] = ()
    """What links can resolve to among the unpublished (shown as plain text)."""
    addresses: Mapping[str, str] = field(default_factory=dict)
    """Every page's address by ``src_uri`` (what ``urls`` is the fingerprint of)."""
    other: frozenset[str] = frozenset()
    """The files of the people folder that are not pages (a photo a note embeds)."""


def mend_limit(people: int) -> int:
    """How many changed files a rebuild mends the last build's analyses for; past it,
    they are worked out afresh. Mending costs a little per changed file times the
    interactions it touches, a fresh start a little per file of the network: at 10,000
    people, mending every file cost a hundred times a fresh start."""
    return max(20, people // 200)


def identity(contact: Contact) -> tuple[Any, ...]:
    """What other pages show or resolve of a person: a change here touches every page."""
    return (contact.name, contact.slug, contact.aliases, contact.publish, contact.stem)


def _named(contact: Contact, directory: Directory) -> Iterable[str]:
    """``src_uri`` of the people a file names: its links and its introducer."""
    for link in contact.links:
        found = directory.resolve(link.target)
        if found is not None:
            yield found.src_uri
    if contact.introduced_by:
        found = directory.resolve(contact.introduced_by)
        if found is not None:
            yield found.src_uri


def pages_to_draw(
    old: Snapshot | None,
    new: Snapshot,
    reads: Mapping[str, frozenset[str]] | None = None,
    wired: Rewired | None = None,
) -> frozenset[str] | None:
    """``src_uri`` of the person pages that may differ from ``old``'s; ``None``: all of them.

    ``reads``: page → the other people whose fields its templates showed when it was
    drawn (a user's card may show the introducer's company): their edits redraw it too.
    ``wired``: ``rewired(old, new)``, when the caller has it already.
    """
    if (
        old is None
        or (old.today, old.templates, old.options) != (new.today, new.templates, new.options)
        or old.notes != new.notes
        or old.private != new.private
        or old.history.head != new.history.head
    ):
        return None
    added = new.contacts.keys() - old.contacts.keys()
    removed = old.contacts.keys() - new.contacts.keys()
    if old.urls != new.urls and not _only_people_came_or_went(old, new, added | removed):
        return None
    draw: set[str] = set(added)
    changed: set[str] = set(removed)
    for src_uri in removed:
        draw.update(_named(old.contacts[src_uri], old.directory))
    for src_uri in added:
        draw.update(_named(new.contacts[src_uri], new.directory))
    if added or removed:
        wired = wired or rewired(old, new)
        draw.update(wired.owners | wired.led | wired.quoting)
    came_or_went = (old.other ^ new.other) | (old.addresses.keys() ^ new.addresses.keys())
    if came_or_went:  # a note's Markdown link or embed of one now leads elsewhere
        names = {uri.rsplit("/", 1)[-1].casefold() for uri in came_or_went}
        files = {name for name in names if not name.endswith(".md")}
        # A page (a person who came or went) is found by a Markdown link only: wikilinks
        # to people are the directory's (``rewired``). Few notes have one; every note
        # has wikilinks, and reading them all costs a tenth of a second at 10,000.
        draw.update(
            src_uri
            for src_uri, contact in new.contacts.items()
            if (files or any(mark in contact.body for mark in _LINKS_A_FILE))
            and not names.isdisjoint(referenced_files(contact.body))
        )
    for src_uri, contact in new.contacts.items():
        before = old.contacts.get(src_uri)
        if before is None:
            continue
        if before is contact or before == contact:
            continue
        if identity(before) != identity(contact):
            return None
        changed.add(src_uri)
        draw.add(src_uri)
        draw.update(_named(before, old.directory))
        draw.update(_named(contact, new.directory))
    if changed and reads:
        draw.update(page for page, read in reads.items() if not changed.isdisjoint(read))
    for path in old.history.files.keys() | new.history.files.keys():
        before_history, history = old.history.files.get(path), new.history.files.get(path)
        if before_history is not history and before_history != history:
            draw.add(path)
    return frozenset(draw & new.contacts.keys())


_LINKS_A_FILE = ("](", "src", "href")
"""What a Markdown or HTML link to a file starts with (``grammar.referenced_files``)."""


def _only_people_came_or_went(old: Snapshot, new: Snapshot, people: set[str]) -> bool:
    """Whether every page kept its address, and the only pages that came or went are
    people's (``people``)."""
    before, after = old.addresses, new.addresses
    if not before or not after or (before.keys() ^ after.keys()) - people:
        return False
    return all(before[key] == after[key] for key in before.keys() & after.keys())


@dataclass(frozen=True)
class Rewired:
    """After people came or went: the links that lead elsewhere than they did."""

    owners: frozenset[str]
    """``src_uri`` of the person files with such a link (or introducer)."""
    led: frozenset[str]
    """``src_uri`` of the people those links led to and lead to (journal notes' too)."""
    notes: bool
    """A journal note has such a link."""
    quoting: frozenset[str] = frozenset()
    """``src_uri`` of the people a log line with such a link names: their pages quote
    the line under "Mentioned by", and its link now leads elsewhere."""


def rewired(old: Snapshot, new: Snapshot) -> Rewired:
    """Every link (and introducer) of ``new`` resolved in both directories, once."""
    owners: set[str] = set()
    led: set[str] = set()
    quoting: set[str] = set()

    def elsewhere(target: str) -> bool:
        was, now = old.directory.resolve(target), new.directory.resolve(target)
        if (was and was.src_uri) == (now and now.src_uri):
            return False
        led.update(c.src_uri for c in (was, now) if c is not None)
        return True

    def moved(targets: Iterable[str]) -> bool:
        return any([elsewhere(target) for target in targets])  # each target noted

    def quoted(entries: Iterable[Entry]) -> None:
        """The people a log line with such a link names quote it under "Mentioned by"."""
        for entry in entries:
            if any(elsewhere(link.target) for link in entry.links):
                for link in entry.links:
                    for directory in (old.directory, new.directory):
                        found = directory.resolve(link.target)
                        if found is not None:
                            quoting.add(found.src_uri)

    for src_uri, contact in new.contacts.items():
        targets = [link.target for link in contact.links]
        if contact.introduced_by:
            targets.append(contact.introduced_by)
        if moved(targets):
            owners.add(src_uri)
            quoted(contact.entries)
    notes = False
    for note in new.notes:
        if moved(link.target for link in note.links):
            notes = True
            quoted(note.entries)
    return Rewired(frozenset(owners), frozenset(led), notes, frozenset(quoting))
