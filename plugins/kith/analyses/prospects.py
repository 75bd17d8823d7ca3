"""People to meet: prospects, who could introduce you, and a first 30-minute ask.

A prospect (tier ``prospect``) comes with ``reason_to_meet``, the adjacent
project that makes a first meeting natural. Anyone you know who suggested them
(``introduced_by``), whose notes mention them, whom their notes mention, or who
works at the same company could introduce you.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kith.analyses.network import Resolve, introducer_of
from kith.core.model import Contact, by_name
from kith.core.names import fold


@dataclass(frozen=True, slots=True)
class Route:
    """Someone who could introduce you to a prospect, and why."""

    contact: Contact
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Prospect:
    contact: Contact
    routes: tuple[Route, ...]
    meeting_line: str
    """A suggested ask for a first, 30-minute meeting."""


def _first_name(contact: Contact) -> str:
    return contact.name.split()[0] if contact.name.split() else contact.name


def meeting_line(prospect: Contact, via: Contact | None) -> str:
    """A suggested ask for a first, 30-minute meeting, built around the reason to meet.

    ``reason_to_meet`` is the user's own note (often about the prospect in the
    third person), so the line is an ask to the introducer, or a brief for a
    direct message, rather than words put in the prospect's mouth.
    """
    first = _first_name(prospect)
    reason = " ".join(prospect.reason_to_meet.split())
    if reason and reason[-1] not in ".!?":
        reason += "."
    if via is not None:
        ask = f"Ask {via.name}: “Could you introduce me to {first}?"
        if reason:
            ask += f" {reason}"
        return ask + f" I'd ask {first} for 30 minutes, a coffee or a call.”"
    about = f" about this: {reason}" if reason else " about their work."
    return f"Write to {first} directly and ask for 30 minutes, a coffee or a call,{about}"


def people_to_meet(
    contacts: Sequence[Contact], resolve: Resolve, prospect_tier: str = "prospect"
) -> tuple[Prospect, ...]:
    """Prospects (not archived) with who could introduce you, strongest ties first."""
    mentions: dict[str, set[str]] = {}
    by_uri = {c.src_uri: c for c in contacts}
    for contact in contacts:
        for link in contact.links:
            target = resolve(link.target)
            if target is not None and target.src_uri != contact.src_uri:
                mentions.setdefault(contact.src_uri, set()).add(target.src_uri)
    mentioned_by: dict[str, set[str]] = {}
    for source, targets in mentions.items():
        for uri in targets:
            mentioned_by.setdefault(uri, set()).add(source)
    colleagues: dict[str, list[Contact]] = {}
    for contact in contacts:
        if contact.company.strip():
            colleagues.setdefault(fold(contact.company), []).append(contact)
    found: list[Prospect] = []
    for prospect in sorted(contacts, key=by_name):
        if prospect.tier != prospect_tier or prospect.archived:
            continue
        reasons: dict[str, list[str]] = {}
        first = _first_name(prospect)
        introducer = introducer_of(prospect, resolve)
        if introducer is not None:
            reasons.setdefault(introducer.src_uri, []).append("suggested you meet")
        for uri in sorted(mentioned_by.get(prospect.src_uri, ())):
            reasons.setdefault(uri, []).append(f"your notes on them mention {first}")
        for uri in sorted(mentions.get(prospect.src_uri, ())):
            reasons.setdefault(uri, []).append(f"your notes on {first} mention them")
        for colleague in colleagues.get(fold(prospect.company), ()):
            if colleague.src_uri != prospect.src_uri:
                company = " ".join(colleague.company.split())
                reasons.setdefault(colleague.src_uri, []).append(f"also at {company}")
        routes = [
            Route(by_uri[uri], tuple(why))
            for uri, why in reasons.items()
            if uri in by_uri and by_uri[uri].tier != prospect_tier
        ]
        routes.sort(key=lambda r: (-len(r.reasons), by_name(r.contact)))
        # the person who suggested the meeting asks best; else the strongest tie
        via = introducer if introducer is not None and introducer.tier != prospect_tier else None
        if via is None and routes:
            via = routes[0].contact
        found.append(Prospect(prospect, tuple(routes), meeting_line(prospect, via)))
    return tuple(found)
