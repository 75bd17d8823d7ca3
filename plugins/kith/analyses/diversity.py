"""How diverse the network is: the industry mix, its entropy, and the gaps.

Pure: contacts and settings in, a ``Diversity`` report out. The figures follow
the design: a contact with k industries counts 1/k toward each; contacts with
no industry are counted apart ("unknown") and stay out of every share and of
the entropy, since nothing can be said about them.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from kith.core.model import Contact
from kith.core.names import fold

CLOSE_TIERS = ("core", "active")
"""Tiers that count as close: an industry without anyone in them is a gap."""

MEETING_CHANNELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (channel, re.compile("|".join(patterns), re.IGNORECASE))
    for channel, patterns in (
        ("Introduction", (r"\bintroduced\b", r"\bintro\b", r"\bintros?\b", r"\breferr(ed|al)\b")),
        (
            "Work",
            (
                r"\bworked (together|with)\b",
                r"\bcolleagues?\b",
                r"\bco-?workers?\b",
                r"\bfreelanc",
                r"\bclients?\b",
                r"\bmy (first |former |old )?(\w+ )?(manager|boss|report)\b",
                r"\bwhen i joined\b",
            ),
        ),
        (
            "Open source",
            (r"\bopen[- ]source\b", r"\bpull requests?\b", r"\bprs?\b", r"\bgithub\b"),
        ),
        ("Volunteering", (r"\bvolunteer", r"\bmentor", r"\bcoderdojo\b", r"\bfundraiser\b")),
        ("Meetup", (r"\bmeet-?ups?\b", r"\buser group\b", r"\bopen space\b")),
        (
            "Conference",
            (r"\bconference", r"\bsummit\b", r"\bpanel", r"\bspeakers?\b", r"\bkeynote\b"),
        ),
        (
            "Online",
            (
                r"\bonline\b",
                r"\bblog",
                r"\be-?mail\b",
                r"\blinkedin\b",
                r"\bnewsletter\b",
                r"\bpodcast\b",
                r"\binterview",
                r"\bforum\b",
            ),
        ),
    )
)
"""``how_met`` → where you met, by the first channel whose keywords appear (in this order)."""


@dataclass(frozen=True)
class Category:
    """One industry (or location, or channel) and the people in it."""

    name: str
    """Shown in its most common spelling (or as the ``industries`` map writes it)."""
    anchor: str
    """A unique HTML id for the category's section on the page."""
    count: float
    """People in it; a person in k categories counts 1/k."""
    share: float
    """``count`` over the people with a known value (0 to 1)."""
    people: tuple[Contact, ...]


@dataclass(frozen=True)
class Mix:
    """The spread of one group of people over categories."""

    categories: tuple[Category, ...]
    """Largest first; ties by name."""
    people: int
    """Everyone in the group, unknowns included."""
    unknown: tuple[Contact, ...]
    """People with no value: counted apart, out of the shares and the entropy."""
    entropy: float
    """Shannon entropy of the shares, natural log (0 when there is one category or none)."""
    effective: float
    """``exp(entropy)``: the number of equally large categories with the same entropy."""

    @property
    def known(self) -> int:
        return self.people - len(self.unknown)

    def find(self, name: str) -> Category | None:
        """The category called ``name``, in any case or spacing."""
        key = fold(name)
        return next((c for c in self.categories if fold(c.name) == key), None)


@dataclass(frozen=True)
class Diversity:
    """Everything the Diversity page and Home show."""

    industries: Mix
    core: Mix
    """The industry mix of the core tier alone."""
    my_industry: str
    """Your industry as the page names it; empty when the option is unset."""
    outside: float | None
    """Share of the people with a known industry who are outside yours; None when unset."""
    core_outside: float | None
    gaps: tuple[Category, ...]
    """Industries in the network with nobody in the core or active tiers."""
    locations: Mix
    channels: Mix
    """Where you met, from ``how_met`` (see ``MEETING_CHANNELS``)."""


def tidy(name: str) -> str:
    """A name as shown: outer spaces dropped, inner runs of spaces made one."""
    return " ".join(name.split())


def counted(contacts: Iterable[Contact]) -> tuple[Contact, ...]:
    """The people the figures are about: not archived, not prospects (not yet met)."""
    return tuple(c for c in contacts if not c.archived and c.tier != "prospect")


def mix(
    contacts: Sequence[Contact],
    values: Callable[[Contact], Iterable[str]],
    aliases: Mapping[str, str] | None = None,
    anchor_prefix: str = "",
) -> Mix:
    """The spread of ``contacts`` over the categories ``values`` gives each.

    ``aliases`` maps a folded name to the name it stands for ("tech" → "Software");
    a name the map leads to is shown exactly as the map writes it.
    """
    aliases = aliases or {}
    spelled_by_map = {fold(name): name for name in aliases.values()}
    # Exact weights: a person in one category counts 1 there (whole numbers, cheap), a
    # person in several counts 1/n in each (fractions, rare).
    whole: dict[str, int] = {}
    parts: dict[str, Fraction] = {}
    spellings: dict[str, Counter[str]] = {}
    members: dict[str, list[Contact]] = {}
    unknown: list[Contact] = []
    # Each value as shown and as compared, once per distinct value: at 10,000 people a
    # few hundred industries and places are written 10,000 times over.
    read: dict[str, tuple[str, str] | None] = {}
    for contact in contacts:
        keys: dict[str, None] = {}
        for raw in values(contact):
            if raw not in read:
                spelling = tidy(raw)
                if spelling:
                    spelling = aliases.get(fold(spelling), spelling)
                read[raw] = (spelling, fold(spelling)) if spelling else None
            found = read[raw]
            if found is None:
                continue
            spelling, key = found
            keys[key] = None
            spellings.setdefault(key, Counter())[spelling] += 1
        if not keys:
            unknown.append(contact)
            continue
        for key in keys:
            if len(keys) == 1:
                whole[key] = whole.get(key, 0) + 1
            else:
                parts[key] = parts.get(key, Fraction(0)) + Fraction(1, len(keys))
            members.setdefault(key, []).append(contact)
    weights = {key: whole.get(key, 0) + parts.get(key, Fraction(0)) for key in members}
    known = len(contacts) - len(unknown)
    names = {key: spelled_by_map.get(key) or _most_common(spellings[key]) for key in weights}
    order = sorted(weights, key=lambda key: (-weights[key], names[key].casefold(), names[key]))
    anchors = _anchors([names[key] for key in order], anchor_prefix)
    categories = tuple(
        Category(
            name=names[key],
            anchor=anchor,
            count=float(weights[key]),
            share=float(weights[key] / known),
            people=tuple(members[key]),
        )
        for key, anchor in zip(order, anchors, strict=True)
    )
    entropy = -sum(c.share * math.log(c.share) for c in categories if c.share > 0)
    entropy = max(entropy, 0.0)  # -0.0 and rounding noise for a single category
    return Mix(
        categories=categories,
        people=len(contacts),
        unknown=tuple(unknown),
        entropy=entropy,
        effective=math.exp(entropy) if categories else 0.0,
    )


def industry_aliases(option: Mapping[str, str]) -> dict[str, str]:
    """The ``industries`` option as folded alias → canonical name (tidied)."""
    return {fold(alias): tidy(name) for alias, name in option.items() if tidy(name)}


@functools.lru_cache(maxsize=4096)  # the same few ways of meeting, person after person
def meeting_channel(how_met: str) -> str:
    """Where you met, by keyword (``"PyCon hallway track"`` stays as written)."""
    for channel, pattern in MEETING_CHANNELS:
        if pattern.search(how_met):
            return channel
    return how_met


def analyse(
    contacts: Sequence[Contact], my_industry: str = "", industries: Mapping[str, str] | None = None
) -> Diversity:
    """The diversity report of ``contacts`` (published ones; the rest are filtered here)."""
    people = counted(contacts)
    aliases = industry_aliases(industries or {})

    def industries_of(contact: Contact) -> tuple[str, ...]:
        return contact.industries

    everyone = mix(people, industries_of, aliases, "industry-")
    core = mix([c for c in people if c.tier == "core"], industries_of, aliases)
    mine = tidy(my_industry)
    mine = aliases.get(fold(mine), mine)
    close = mix([c for c in people if c.tier in CLOSE_TIERS], industries_of, aliases)
    close_keys = {fold(c.name) for c in close.categories}
    return Diversity(
        industries=everyone,
        core=core,
        my_industry=_shown_as(mine, everyone),
        outside=_outside(everyone, mine),
        core_outside=_outside(core, mine),
        gaps=tuple(c for c in everyone.categories if fold(c.name) not in close_keys),
        locations=mix(people, lambda c: (c.location,), anchor_prefix="location-"),
        channels=mix(people, lambda c: (meeting_channel(c.how_met),), anchor_prefix="met-"),
    )


def _outside(group: Mix, mine: str) -> float | None:
    if not mine or not group.categories:
        return None
    found = group.find(mine)
    return 1.0 - (found.share if found else 0.0)


def _shown_as(mine: str, group: Mix) -> str:
    """Your industry in the spelling the page uses for it."""
    found = group.find(mine)
    return found.name if found else mine


def _most_common(spellings: Counter[str]) -> str:
    """The spelling used most; on a tie, the first in alphabetical order."""
    return min(spellings, key=lambda s: (-spellings[s], s))


def _anchors(names: Sequence[str], prefix: str) -> list[str]:
    """A unique, URL-safe id per name (``Climate/Energy`` → ``climate-energy``)."""
    used: set[str] = set()
    anchors = []
    for name in names:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        base = prefix + (re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "other")
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        anchors.append(anchor)
    return anchors


def format_count(value: float) -> str:
    """A count as people read it: ``3``, ``2.5``, ``0.33``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def format_share(value: float) -> str:
    """A share as a percentage with one decimal: ``41.7%``."""
    return f"{value * 100:.1f}%"


def top(group: Mix, limit: int) -> tuple[tuple[Category, ...], Category | None]:
    """The largest categories, and when there are more than ``limit``, the rest as one.

    Free text such as ``how_met`` can give a category per person; a chart of
    thousands of bars helps nobody.
    """
    if len(group.categories) <= limit:
        return group.categories, None
    shown, rest = group.categories[: limit - 1], group.categories[limit - 1 :]
    others = Category(
        name=f"{len(rest)} others",
        anchor="",
        count=sum(c.count for c in rest),
        share=sum(c.share for c in rest),
        people=tuple(p for c in rest for p in c.people),
    )
    return shown, others
