"""Mending the last build's analyses after an edit gives what working them out again gives.

Under ``mkdocs serve``, a rebuild of the same people under the same names
updates the interaction index, the follow-ups and the backlinks for the
changed files only (``site.Since``). Random networks, random edits: the
mended result must equal the one computed from scratch, and hold the
contacts as they are now, never as they were.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from kith.analyses.backlinks import backlinks, patch_backlinks
from kith.analyses.followups import follow_ups, patch_follow_ups
from kith.analyses.interactions import InteractionIndex, index_interactions, patch_index
from kith.core.config import Settings
from kith.core.directory import Directory
from kith.core.model import Contact, Entry, Link
from kith.reading.load import loads

TODAY = date(2026, 11, 21)
NAMES = ["Ann Lee", "Bob Stone", "Cy Park", "Dee Moss", "Eli Ward", "Fay Hart", "Gus Bell"]
KINDS = ["coffee", "call", "gave", "received", "lunch", ""]


def _contact(rng: random.Random, index: int) -> Contact:
    name = NAMES[index]
    front = [f"name: {name}", f"tier: {rng.choice(['core', 'inner', 'network', 'dormant'])}"]
    if rng.random() < 0.2:
        front.append(f"next_follow_up: {TODAY + timedelta(days=rng.randint(-40, 40))}")
    if rng.random() < 0.1:
        front.append("archived: true")
    if rng.random() < 0.3:
        front.append(f"last_contact: {TODAY - timedelta(days=rng.randint(0, 400))}")
    lines = []
    if rng.random() < 0.5:
        lines.append(f"Knows [[{rng.choice(NAMES)}]].\n")
    lines.append("## Log\n")
    for _ in range(rng.randint(0, 6)):
        when = TODAY - timedelta(days=rng.randint(-10, 500))
        box = "[ ] " if rng.random() < 0.15 else ""
        kind = rng.choice(KINDS)
        others = rng.sample(NAMES, rng.randint(0, 2))
        text = " and ".join(f"[[{other}]]" for other in others) or "caught up"
        lines.append(f"- {box}{when} {kind + ': ' if kind else ''}{text}")
    text = "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(lines) + "\n"
    contact, problems = loads(text, f"{name}.md", f"people/{name}.md")
    assert contact is not None, problems
    return contact


def _journal(rng: random.Random) -> list[tuple[Contact | None, Entry]]:
    entries = []
    for line in range(rng.randint(0, 4)):
        when = TODAY - timedelta(days=rng.randint(0, 300))
        links = tuple(Link(name, line + 1) for name in rng.sample(NAMES, rng.randint(1, 3)))
        entries.append((None, Entry(when, "note", "met up", True, line + 1, "journal/a.md", links)))
    return entries


def _index(
    people: tuple[Contact, ...], journal: list[tuple[Contact | None, Entry]]
) -> InteractionIndex:
    pairs = [(c, e) for c in people for e in c.entries] + journal
    return index_interactions(pairs, Directory(people))


def _held(index: InteractionIndex) -> list[Contact]:
    return [p for i in index.interactions for p in (*i.people, *([i.owner] if i.owner else []))]


@pytest.mark.parametrize("seed", range(60))
def test_mended_analyses_equal_fresh_ones(seed: int) -> None:
    rng = random.Random(seed)
    settings = Settings(today=TODAY)
    before = tuple(_contact(rng, i) for i in range(len(NAMES)))
    journal = _journal(rng)
    last_index = _index(before, journal)
    last_report = follow_ups(before, last_index, settings)
    last_backlinks = backlinks(before, (), Directory(before))

    # Edit one to three files: the same person, another log, other links, other dates.
    changed = set(rng.sample(range(len(NAMES)), rng.randint(1, 3)))
    after = tuple(_contact(rng, i) if i in changed else c for i, c in enumerate(before))
    directory = Directory(after)
    edited = {after[i].src_uri: after[i] for i in changed}
    index = patch_index(last_index, edited, {c.src_uri: c for c in after}, directory)
    fresh_index = _index(after, journal)
    assert index.interactions == fresh_index.interactions
    assert dict(index.by_person) == dict(fresh_index.by_person)
    for _ in range(5):  # the index finds a stretch of days by bisecting its date order
        start = TODAY - timedelta(days=rng.randint(-20, 520))
        end = start + timedelta(days=rng.randint(-5, 200))
        naive = [i for i in index.interactions if start <= i.date <= end]
        assert index.since(start, end) == tuple(reversed(naive))
    # Every person the mended index holds is the contact as it is now.
    assert all(any(p is c for c in after) for p in _held(index))

    report = patch_follow_ups(last_report, last_index, after, index, settings)
    fresh = follow_ups(after, fresh_index, settings)
    assert dict(report.states) == dict(fresh.states)
    assert list(report.states) == list(fresh.states)
    assert report.overdue == fresh.overdue and report.due_soon == fresh.due_soon
    assert all(report.states[c.src_uri].contact is c for c in after)

    old = [before[i] for i in changed]
    mended = patch_backlinks(last_backlinks, old, edited.values(), directory)
    assert dict(mended) == dict(backlinks(after, (), directory))
