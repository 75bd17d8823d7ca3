"""The generated pages: one ``PageSpec`` each, with the function that gathers its data.

To add a page: write its template in ``templates/``, a context function here
(it receives the ``Site`` and returns what the template needs), and one line
in ``PAGES``. To add a section to Home: a partial template ``home-<name>.md``,
an include line in ``home.md`` and a function in ``HOME_SECTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

from kith.analyses import diversity
from kith.analyses.favors import contact_favor_sources, favor_report
from kith.analyses.network import past_companies
from kith.analyses.site import Context, Reads, Site
from kith.core import keys
from kith.core.model import Contact, Entry, Note
from kith.pages import charts
from kith.pages.activity import home_activity
from kith.pages.followup_pages import (
    follow_ups_context,
    home_birthdays,
    home_follow_ups,
    people_follow_ups,
    person_follow_up,
    report_context,
)
from kith.pages.network_pages import (
    companies_context,
    graph_context,
    graph_edges,
    introductions_context,
    to_meet_context,
    vouch_context,
)
from kith.pages.stale import home_stale, person_info_checked
from kith.pages.timeline import person_timeline_context
from kith.pages.words import md_escape


@dataclass(frozen=True)
class PageSpec:
    """A generated page: where it lives, which template draws it, what data it needs."""

    key: str
    title: str
    template: str
    context: Context
    search: bool = False
    """Whether the page goes into the search index (aggregate pages stay out)."""
    section: str = ""
    """The navigation section holding the page; empty: at the top."""

    @property
    def src_uri(self) -> str:
        return f"kith/{self.key}.md"


def tier_counts(site: Site) -> list[tuple[str, int]]:
    """``(tier, number of people)`` in configured order, archived people apart."""
    counts = {tier: 0 for tier in site.settings.tiers}
    for contact in site.people:
        if not contact.archived:
            counts[contact.tier] = counts.get(contact.tier, 0) + 1
    return [*counts.items(), ("archived", sum(1 for c in site.people if c.archived))]


def home_basics(site: Site) -> Mapping[str, Any]:
    active = [c for c in site.people if not c.archived]
    return {
        "people_count": len(active),
        "tiers": tier_counts(site),
        "core_size": sum(1 for c in active if c.tier == "core"),
    }


def _linked(site: Site, entry: Entry) -> dict[str, Contact]:
    """The published people an entry links, once each: a journal favor's counterparties."""
    people: dict[str, Contact] = {}
    for link in entry.links:
        person = site.directory.resolve(link.target)
        if person is not None:
            people.setdefault(person.src_uri, person)
    return people


def favors_context(site: Site) -> Mapping[str, Any]:
    """The favors ledger of the published people; Home and person cards reuse it."""
    journal = (
        (tuple(_linked(site, entry).values()), entry)
        for note in site.notes
        for entry in note.entries
    )
    sources = chain(contact_favor_sources(site.people), journal)
    return {
        "favors": favor_report(sources, site.settings.today, site.settings.favor_kinds),
        "people_total": len(site.people),
    }


def person_favors(site: Site, contact: Contact) -> Mapping[str, Any]:
    return {"contact_favors": site.cached(favors_context)["favors"].person(contact)}


def diversity_context(site: Site) -> Mapping[str, Any]:
    """The industry mix and its gaps, by location and by how you met; Home reuses it."""
    settings = site.settings
    return {
        "diversity": diversity.analyse(site.people, settings.my_industry, settings.industries),
        "mix_chart": charts.mix_chart,
        "top": diversity.top,
        "count": diversity.format_count,
        "share": diversity.format_share,
        "heading": md_escape,
    }


def home_diversity(site: Site) -> Mapping[str, Any]:
    return {"diversity": site.cached(diversity_context)["diversity"]}


HOME_SECTIONS: tuple[Context, ...] = (
    home_basics,
    favors_context,
    home_diversity,
    home_follow_ups,
    home_birthdays,
    home_stale,
    home_activity,
)
"""Each returns part of Home's data; their results are merged."""


def home_context(site: Site) -> Mapping[str, Any]:
    merged: dict[str, Any] = {}
    for section in HOME_SECTIONS:
        merged.update(site.cached(section))
    return merged


def people_context(site: Site) -> Mapping[str, Any]:
    return {"people": site.people, **people_follow_ups(site)}


@dataclass(frozen=True)
class JournalRow:
    note: Note
    people: tuple[Contact, ...]


def journal_context(site: Site) -> Mapping[str, Any]:
    rows = []
    for note in reversed(site.notes):
        people: dict[str, Contact] = {}
        for link in note.links:
            person = site.directory.resolve(link.target)
            if person is not None:
                people.setdefault(person.src_uri, person)
        rows.append(JournalRow(note, tuple(people.values())))
    return {"journal": rows}


PersonContext = Callable[[Site, Contact], Mapping[str, Any]]

PERSON_SECTIONS: tuple[PersonContext, ...] = (
    person_favors,
    person_follow_up,
    person_timeline_context,
    person_info_checked,
)
"""Each returns part of a person's header-card data (``person-card.html``); merged."""

PERSON_ANALYSES: tuple[Context, ...] = (favors_context, report_context)
"""The analyses person pages read; once the generated pages are drawn, the others go."""


ROW_LIMIT = 200
"""Long tables of an aggregate page (the favors ledger...) show this many rows, the most
recent; at 10,000 people the rest would be megabytes nobody reads. Person pages keep all."""

_PROFILE = ("src_uri", "path", "slug", *keys.FIELDS, "extra")
"""A person's front matter and names: what the network analyses read, their log aside."""


def _profile(site: Site, contact: Contact) -> tuple[Any, ...]:
    return tuple(getattr(contact, name) for name in _PROFILE)


def profile(site: Site, contact: Contact) -> tuple[Any, ...]:
    return site.of_person(_profile, contact)  # one tuple, whichever analyses read it


_NAMED = ("src_uri", "path", "slug", "name", "aliases", "publish")
"""What every analysis reads of each person: who they are and the names links find them
by (an analysis that resolves a link reads every person's)."""


def _of(*fields: str) -> Callable[[Site, Contact], tuple[Any, ...]]:
    """A person's names and ``fields``: what an analysis reads of them, where it reads
    less than the whole profile (a company edit then leaves its result as it was)."""
    names = (*_NAMED, *fields)

    def read(site: Site, contact: Contact) -> tuple[Any, ...]:
        return tuple(getattr(contact, name) for name in names)

    return read


_INTRODUCERS = _of("introduced_by")
_GRAPHED = _of("introduced_by", "tier", "archived", "industries")
_FAVORED = _of("tier", "archived")
_COMPANIED = _of("company", "introduced_by", "archived")


def _companied(site: Site, contact: Contact) -> tuple[Any, ...]:
    return (site.of_person(_COMPANIED, contact), past_companies(contact))


def _introducers(site: Site, contact: Contact) -> tuple[Any, ...]:
    return site.of_person(_INTRODUCERS, contact)


def _joined(site: Site, contact: Contact) -> tuple[Any, ...]:
    return (site.of_person(_INTRODUCERS, contact), contact.links)


def _graphed(site: Site, contact: Contact) -> tuple[Any, ...]:
    return (site.of_person(_GRAPHED, contact), contact.links)


def _favors(site: Site, contact: Contact) -> tuple[Any, ...]:
    kinds = site.settings.favor_kinds
    favors = tuple(e for e in contact.entries if e.kind in kinds)
    return (site.of_person(_FAVORED, contact), favors)


_MEETING = _of("company", "introduced_by", "archived", "reason_to_meet")


def _prospects(site: Site, contact: Contact) -> tuple[Any, ...]:
    """Who is a prospect and who could introduce you, and what happened since with each
    prospect (their own log); what else the page shows of them is this build's."""
    prospect = contact.tier == "prospect"
    talks = contact.entries if prospect else ()
    return (site.of_person(_MEETING, contact), prospect, contact.links, talks)


PROFILES = Reads(lambda site: site.settings, profile)
_HISTORY = Reads(
    # Every file's commits, not HEAD alone: a fetch that deepens a shallow clone changes
    # them under the same HEAD (an uncommitted edit does not).
    lambda site: (site.settings, site.history.repository, site.committed),
    profile,
)
DEPENDS: Mapping[Context, Reads] = {
    diversity_context: PROFILES,  # it shows the company of the people it names
    home_diversity: PROFILES,
    vouch_context: PROFILES,
    introductions_context: Reads(lambda site: site.settings, _introducers),
    # Who works where, by name: what else the page shows of them (role, tier) is this
    # build's (``rebased``); job changes come from every file's commits.
    companies_context: Reads(
        lambda site: (site.settings, site.history.repository, site.committed),
        _companied,
        rebased=True,
    ),
    home_stale: _HISTORY,  # contact fields' last change in git: the commits, not the files
    graph_edges: Reads(lambda site: site.settings, _joined),
    # The edges' reads and more: its result is drawn from theirs.
    graph_context: Reads(lambda site: site.settings, _graphed),
    to_meet_context: Reads(lambda site: site.settings, _prospects, rebased=True),
    # A journal note's favor names its people: the notes, and everyone's names.
    favors_context: Reads(lambda site: (site.settings, site.notes), _favors),
}
"""What an analysis reads, where it reads less than the whole network: under ``mkdocs
serve``, a rebuild whose edit leaves this equal reuses the last build's result. The
others (follow-ups, activity...) read every log and are worked out again (or, for
follow-ups, mended: ``site.Since``)."""

NETWORK = "Network"
"""The section of the pages about who you know: a short top level keeps every page light."""

HOME = PageSpec("home", "Home", "home.md", home_context)
PAGES: tuple[PageSpec, ...] = (
    HOME,
    PageSpec("follow-ups", "Follow-ups", "follow-ups.md", follow_ups_context),
    PageSpec("favors", "Favors", "favors.md", favors_context),
    PageSpec("diversity", "Diversity", "diversity.md", diversity_context),
    PageSpec("people", "People", "people.md", people_context, section=NETWORK),
    PageSpec("companies", "Companies", "companies.md", companies_context, section=NETWORK),
    PageSpec(
        "introductions",
        "Introductions",
        "introductions.md",
        introductions_context,
        section=NETWORK,
    ),
    PageSpec("graph", "Graph", "graph.md", graph_context, section=NETWORK),
    PageSpec("to-meet", "People to meet", "to-meet.md", to_meet_context, section=NETWORK),
    PageSpec("vouch", "Vouch for", "vouch.md", vouch_context, section=NETWORK),
    PageSpec("journal", "Journal", "journal.md", journal_context),
)
