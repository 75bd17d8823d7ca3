"""The network's shape: companies, introduction trees, people to vouch for.

Pure functions over published contacts. "Who introduced whom" is read from
``introduced_by``; a ``resolve`` function (the site's directory) turns a name,
alias or file stem into a published contact, or ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kith.core.keys import PAST_COMPANIES
from kith.core.model import Contact, by_name
from kith.core.names import fold

Resolve = Callable[[str], "Contact | None"]


def introducer_of(contact: Contact, resolve: Resolve) -> Contact | None:
    """The published person who introduced ``contact``, or ``None`` (unknown, private, self)."""
    if not contact.introduced_by:
        return None
    found = resolve(contact.introduced_by)
    return None if found is None or found.src_uri == contact.src_uri else found


# -- companies ---------------------------------------------------------------------------------


def past_companies(contact: Contact) -> tuple[str, ...]:
    """The ``past_companies`` list of a contact's front matter (one text value counts too)."""
    value = contact.extra.get(PAST_COMPANIES)
    items: Iterable[object] = (value,) if isinstance(value, str) else ()
    if isinstance(value, list | tuple):
        items = value
    texts = (str(item).strip() for item in items if item is not None and not isinstance(item, bool))
    return tuple(text for text in texts if text)


@dataclass(frozen=True, slots=True)
class Introducer:
    contact: Contact
    count: int
    """How many of the company's people they introduced you to."""


@dataclass(frozen=True, slots=True)
class Company:
    """Everyone you know who works, or worked, at one company."""

    name: str
    """The most common spelling among its people."""
    anchor: str
    """A unique HTML id for the company's heading."""
    current: tuple[Contact, ...]
    past: tuple[Contact, ...]
    introducers: tuple[Introducer, ...]
    """Who introduced you to its current people, most introductions first."""

    @property
    def size(self) -> int:
        return len(self.current) + len(self.past)


def _anchor(name: str, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = "company-" + (re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "x")
    anchor, number = base, 2
    while anchor in taken:
        anchor, number = f"{base}-{number}", number + 1
    taken.add(anchor)
    return anchor


def companies(
    contacts: Sequence[Contact],
    resolve: Resolve,
    past: Mapping[str, Sequence[str]] | None = None,
) -> tuple[Company, ...]:
    """Companies with their people, largest first.

    ``past`` maps a contact's ``src_uri`` to companies found elsewhere (such as
    git history), added to the ``past_companies`` key. A person listed as
    current at a company is not also listed there as past.
    """
    spellings: dict[str, Counter[str]] = {}
    current: dict[str, list[Contact]] = {}
    former: dict[str, dict[str, Contact]] = {}
    for contact in contacts:
        if contact.company.strip():
            key = fold(contact.company)
            spellings.setdefault(key, Counter())[" ".join(contact.company.split())] += 1
            current.setdefault(key, []).append(contact)
    for contact in contacts:
        here = fold(contact.company)
        names = [*past_companies(contact), *(past or {}).get(contact.src_uri, ())]
        for name in names:
            key = fold(name)
            if not key or key == here:
                continue
            spellings.setdefault(key, Counter())[" ".join(name.split())] += 0
            former.setdefault(key, {})[contact.src_uri] = contact
    keys = sorted(
        spellings,
        key=lambda k: (-len(current.get(k, ())), -len(former.get(k, {})), k),
    )
    taken: set[str] = set()
    found: list[Company] = []
    for key in keys:
        # the most common spelling; in a tie, mixed case ("Acme" over "ACME", "acme"), then
        # the one that sorts first, so the result does not depend on the order of the files
        name = min(
            spellings[key].items(),
            key=lambda item: (-item[1], item[0].isupper() or item[0].islower(), item[0]),
        )[0]
        people = tuple(sorted(current.get(key, ()), key=by_name))
        counts: Counter[str] = Counter()
        by_uri: dict[str, Contact] = {}
        for contact in people:
            introducer = introducer_of(contact, resolve)
            if introducer is not None:
                counts[introducer.src_uri] += 1
                by_uri[introducer.src_uri] = introducer
        introducers = tuple(
            Introducer(by_uri[uri], count)
            for uri, count in sorted(counts.items(), key=lambda i: (-i[1], by_name(by_uri[i[0]])))
        )
        found.append(
            Company(
                name=name,
                anchor=_anchor(name, taken),
                current=people,
                past=tuple(sorted(former.get(key, {}).values(), key=by_name)),
                introducers=introducers,
            )
        )
    return tuple(found)


# -- introductions -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntroNode:
    """A person in an introduction tree and the people they brought in."""

    contact: Contact
    children: tuple[IntroNode, ...]
    loop_introducer: Contact | None = None
    """For a root that closed a loop (A introduced B, B introduced A): the cut introducer."""


@dataclass(frozen=True, slots=True)
class Connector:
    """Someone who introduced you to people: your connectors, to thank."""

    contact: Contact
    direct: int
    """People they introduced you to themselves."""
    reach: int
    """Everyone who came in through them, the people those people introduced included."""


def introduction_trees(contacts: Sequence[Contact], resolve: Resolve) -> tuple[IntroNode, ...]:
    """Who brought whom into your network, as trees; roots sorted by name, children too.

    Roots are people with introductions to their name whom no known person
    introduced. A loop of introductions (each file saying the next one
    introduced them) is cut before the member whose name sorts first, who
    becomes a root, so every person appears exactly once whatever the order
    of the files.
    """
    parent: dict[str, Contact] = {}
    children: dict[str, list[Contact]] = {}
    by_uri = {c.src_uri: c for c in contacts}
    for contact in contacts:
        introducer = introducer_of(contact, resolve)
        if introducer is not None and introducer.src_uri in by_uri:
            parent[contact.src_uri] = introducer
            children.setdefault(introducer.src_uri, []).append(contact)
    for kids in children.values():
        kids.sort(key=by_name)
    placed: set[str] = set()

    def grow(root: Contact, loop_introducer: Contact | None) -> IntroNode:
        # iterative, so a chain of thousands of introductions cannot exhaust the stack
        order: list[Contact] = []
        stack = [root]
        placed.add(root.src_uri)
        while stack:
            contact = stack.pop()
            order.append(contact)
            for kid in reversed(children.get(contact.src_uri, ())):
                if kid.src_uri not in placed:
                    placed.add(kid.src_uri)
                    stack.append(kid)
        built: dict[str, IntroNode] = {}
        for contact in reversed(order):
            kids = tuple(
                built.pop(k.src_uri)
                for k in children.get(contact.src_uri, ())
                if k.src_uri in built
            )
            built[contact.src_uri] = IntroNode(contact, kids)
        top = built[root.src_uri]
        return IntroNode(top.contact, top.children, loop_introducer)

    trees: list[IntroNode] = []
    involved = sorted(
        (by_uri[uri] for uri in {*children, *parent}),
        key=by_name,
    )
    for contact in involved:
        if contact.src_uri not in parent:
            trees.append(grow(contact, None))
    for contact in involved:
        if contact.src_uri in placed:
            continue
        # not reached from a root: its chain of introducers ends in a loop; find the loop
        seen: list[str] = []
        uri = contact.src_uri
        while uri not in seen:
            seen.append(uri)
            uri = parent[uri].src_uri
        loop = [by_uri[u] for u in seen[seen.index(uri) :]]
        root = min(loop, key=by_name)
        trees.append(grow(root, parent[root.src_uri]))
    return tuple(sorted(trees, key=lambda node: by_name(node.contact)))


def outline(trees: Sequence[IntroNode]) -> list[tuple[str, IntroNode | None]]:
    """The trees as a flat list of ``("open"|"item"|"end"|"close", node)`` steps.

    A template draws nested lists from it with one loop: ``open`` starts a
    ``<ul>``, ``item`` a ``<li>``, ``end`` closes the ``<li>``, ``close`` the ``<ul>``.
    """
    steps: list[tuple[str, IntroNode | None]] = [("open", None)]
    stack: list[tuple[IntroNode, bool]] = [(node, False) for node in reversed(trees)]
    while stack:
        node, done = stack.pop()
        if done:
            if node.children:
                steps.append(("close", None))
            steps.append(("end", node))
            continue
        steps.append(("item", node))
        stack.append((node, True))
        if node.children:
            steps.append(("open", None))
            stack.extend((child, False) for child in reversed(node.children))
    steps.append(("close", None))
    return steps


def connectors(trees: Sequence[IntroNode]) -> tuple[Connector, ...]:
    """Everyone who introduced someone, most introductions first (then most reach, name)."""
    found: list[Connector] = []
    stack: list[tuple[IntroNode, bool]] = [(node, False) for node in trees]
    reach: dict[str, int] = {}
    while stack:
        node, done = stack.pop()
        if not done:
            stack.append((node, True))
            stack.extend((child, False) for child in node.children)
            continue
        total = sum(1 + reach[child.contact.src_uri] for child in node.children)
        reach[node.contact.src_uri] = total
        if node.children:
            found.append(Connector(node.contact, len(node.children), total))
    return tuple(sorted(found, key=lambda c: (-c.direct, -c.reach, by_name(c.contact))))


# -- people to vouch for -----------------------------------------------------------------------

NO_INDUSTRY = "No industry given"


def vouch_for(contacts: Sequence[Contact]) -> tuple[tuple[str, tuple[Contact, ...]], ...]:
    """People you worked with (``worked_with: true``) by industry; one with two is in both.

    Industries in alphabetical order, people without one last.
    """
    groups: dict[str, list[Contact]] = {}
    spelling: dict[str, str] = {}
    for contact in contacts:
        if not contact.worked_with:
            continue
        for industry in contact.industries or (NO_INDUSTRY,):
            key = fold(industry) if industry != NO_INDUSTRY else "\uffff"
            spelling.setdefault(key, industry)
            groups.setdefault(key, []).append(contact)
    return tuple((spelling[key], tuple(sorted(groups[key], key=by_name))) for key in sorted(groups))
