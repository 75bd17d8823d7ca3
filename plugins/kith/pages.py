"""The generated pages: one ``PageSpec`` each, with the function that gathers its data.

To add a page: write its template in ``templates/``, a context function here
(it receives the ``Site`` and returns what the template needs), and one line
in ``PAGES``. To add a section to Home: a partial template ``home-<name>.md``,
an include line in ``home.md`` and a function in ``HOME_SECTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Contact
    from .site import Site

Context = Callable[["Site"], Mapping[str, Any]]


@dataclass(frozen=True)
class PageSpec:
    """A generated page: where it lives, which template draws it, what data it needs."""

    key: str
    title: str
    template: str
    context: Context
    search: bool = False
    """Whether the page goes into the search index (aggregate pages stay out)."""

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


HOME_SECTIONS: tuple[Context, ...] = (home_basics,)
"""Each returns part of Home's data; their results are merged."""


def home_context(site: Site) -> Mapping[str, Any]:
    merged: dict[str, Any] = {}
    for section in HOME_SECTIONS:
        merged.update(site.cached(section))
    return merged


def people_context(site: Site) -> Mapping[str, Any]:
    return {}


PersonContext = Callable[["Site", "Contact"], Mapping[str, Any]]

PERSON_SECTIONS: tuple[PersonContext, ...] = ()
"""Each returns part of a person's header-card data (``person-card.html``); merged."""


HOME = PageSpec("home", "Home", "home.md", home_context)
PAGES: tuple[PageSpec, ...] = (
    HOME,
    PageSpec("people", "People", "people.md", people_context),
)
