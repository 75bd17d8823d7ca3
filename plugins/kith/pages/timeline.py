"""A person's timeline: their log entries and the commits that touched their file.

Pure: the entries come from the contact, the commits from ``gitlog.FileHistory``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kith.analyses.site import Site
from kith.core.model import Contact, Entry
from kith.git.gitlog import FileEvent, FileHistory

SHOWN = 10
"""Items shown before the rest folds away under "earlier"."""


@dataclass(frozen=True)
class TimelineItem:
    """One line of the timeline: a log entry, a commit, or uncommitted changes."""

    date: date | None
    """``None`` for uncommitted changes, which come first."""
    entry: Entry | None = None
    event: FileEvent | None = None

    @property
    def kind(self) -> str:
        if self.entry is not None:
            return "entry"
        return "commit" if self.event is not None else "uncommitted"


def person_timeline(entries: Iterable[Entry], history: FileHistory) -> tuple[TimelineItem, ...]:
    """Entries and commits, newest first; on the same day a commit comes before the entries
    (it is usually the commit that wrote them down)."""
    items = [TimelineItem(entry.date, entry=entry) for entry in entries]
    items += [TimelineItem(event.date, event=event) for event in history.events]

    def newest_first(item: TimelineItem) -> tuple[date, int, str]:
        when = item.date or date.min
        if item.event is not None:
            return when, 1, item.event.when.isoformat()
        return when, 0, ""

    ordered = sorted(items, key=newest_first, reverse=True)
    if history.uncommitted:
        ordered.insert(0, TimelineItem(None))
    return tuple(ordered)


def person_timeline_context(site: Site, contact: Contact) -> Mapping[str, Any]:
    """``timeline`` for ``person-timeline.html``."""
    history = site.history.of(contact.src_uri)
    if site.private_mentions is not None and history.events:
        # A commit message may name an unpublished person ("Met Mara and Noah").
        events = tuple(replace(e, subject=site.without_private(e.subject)) for e in history.events)
        history = replace(history, events=events)
    return {"timeline": person_timeline(contact.entries, history), "timeline_shown": SHOWN}
