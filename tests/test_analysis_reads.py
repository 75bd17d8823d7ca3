"""What each analysis declares it reads (``registry.DEPENDS``) is all its result depends on.

Under ``mkdocs serve`` an analysis whose reads are equal to the last build's is not
worked out again: its last result is carried over. That is right only if nothing else
of a person changes the result. Each test changes one front-matter field of one
person of the demo network at a time and checks: where the reads stay equal, the
result is the same, people compared by who they are (a carried result holds the last
build's contacts; which of their fields a page shows is the pages' own check).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from kith.analyses.site import Reads, Site, same_value
from kith.core import keys
from kith.core.config import Settings
from kith.core.model import Contact
from kith.pages.draw import PageDrawer
from kith.pages.registry import DEPENDS, PAGES
from kith.pages.render import environment
from kith.reading.load import load

pytestmark = pytest.mark.fast

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 21)
TIERS = ("core", "active", "network", "prospect")


def _plain(value: Any) -> Any:
    """``value`` with every contact as its file: results compared by what they say of
    whom, not by the contact objects they hold."""
    if isinstance(value, Contact):
        return ("contact", value.src_uri)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple(_plain(getattr(value, f.name)) for f in dataclasses.fields(value)),
        )
    if isinstance(value, Mapping):
        return ("mapping", tuple((_plain(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(_plain(v)) for v in value)))
    if callable(value):  # drawing helpers: what they draw from is in the result too
        return ("callable", getattr(value, "__qualname__", type(value).__name__))
    return value


def _changed(contact: Contact, field: str, others: list[Contact]) -> Any:
    """Another value for ``field`` of ``contact``, of the kind a file gives."""
    value = getattr(contact, field)
    if field == "tier":
        return TIERS[(TIERS.index(value) + 1) % len(TIERS)] if value in TIERS else "core"
    if field == "introduced_by":
        other = next(o for o in others if o.name != value and o is not contact)
        return other.name
    if field == "extra":
        return MappingProxyType({**value, "past_companies": ["Zed Corp"]})
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + " Zed" if value else "Zed"
    if isinstance(value, tuple):
        return (*value, "Zed")
    if field == "follow_up":
        return 30 if value != 30 else 60
    return date(2026, 3, 3) if value != date(2026, 3, 3) else date(2025, 1, 1)


def _all_read(reads: Reads, site: Site) -> Any:
    """Everything ``reads`` reads of ``site``: of the site, and of each person."""
    return (reads.site(site), tuple(reads.person(site, c) for c in site.people))


FIELDS = [f for f in keys.FIELDS if f != "publish"] + ["extra"]
"""Front matter a person's file sets (``publish`` makes them someone else's concern: the
site's people, which every analysis reads)."""


@pytest.fixture(scope="module")
def demo() -> tuple[Site, list[Contact]]:
    network = load(REPO / "people", "people/")
    site = Site(network, Settings(today=TODAY))
    return site, list(site.people)


@pytest.mark.parametrize("field", FIELDS)
def test_an_analysis_whose_reads_are_equal_gives_the_same_result(
    demo: tuple[Site, list[Contact]], field: str
) -> None:
    site, people = demo
    # A few people of different kinds: core and prospect, introducers and introduced.
    chosen = {c.src_uri: c for c in people if c.introduced_by or c.tier in ("core", "prospect")}
    sample = list(chosen.values())[:: max(1, len(chosen) // 6)] + people[:2]
    differed = 0
    for contact in sample:
        edited = dataclasses.replace(contact, **{field: _changed(contact, field, people)})
        contacts = tuple(edited if c is contact else c for c in site.network.contacts)
        other = Site(dataclasses.replace(site.network, contacts=contacts), site.settings)
        for function, reads in DEPENDS.items():
            if same_value(_all_read(reads, site), _all_read(reads, other)):
                assert _plain(function(site)) == _plain(function(other)), (
                    f"{function.__name__} changed with {field} of {contact.name}, "
                    "which its reads (registry.DEPENDS) leave out"
                )
            else:
                differed += 1
    # Not a test that passes by reading everything: some analyses read this field, or
    # none do and every result stayed the same.
    assert differed or field not in {"name", "tier", "introduced_by"}


def _generated(site: Site) -> dict[str, Any]:
    urls = {c.src_uri: f"people/{c.slug}/" for c in site.people}
    urls |= {n.src_uri: f"{n.src_uri.removesuffix('.md')}/" for n in site.notes}
    urls |= {spec.src_uri: f"{spec.key}/" for spec in PAGES}
    # Drawn as a serve rebuild draws: a page reading a changed field of a carried
    # contact has the carried results that may be rebased given this build's.
    drawer = PageDrawer(site, environment(), record=True)
    pages = drawer.generated_pages(urls)
    return {uri: (markdown, drawer.stash[uri]) for uri, markdown in pages.items()}


@pytest.mark.parametrize("field", FIELDS)
def test_a_page_drawn_from_carried_results_is_a_fresh_pages(
    demo: tuple[Site, list[Contact]], field: str
) -> None:
    """Kith's own helpers draw from a carried result's contacts too (the graph's
    drawing reads their tiers): every generated page drawn from the last build's
    results, where their reads are equal, is the page drawn afresh."""
    site, people = demo
    sample = (
        [c for c in people if c.introduced_by][:1]
        + [c for c in people if c.tier == "core"][:1]
        + people[-1:]
    )
    last = {
        function: ((reads.site(site), site.people), function(site))
        for function, reads in DEPENDS.items()
    }
    for contact in sample:
        edited = dataclasses.replace(contact, **{field: _changed(contact, field, people)})
        contacts = tuple(edited if c is contact else c for c in site.network.contacts)
        network = dataclasses.replace(site.network, contacts=contacts)
        carried = Site(network, site.settings, carry=dict(last), reads=DEPENDS)
        fresh = Site(network, site.settings)
        drawn, expected = _generated(carried), _generated(fresh)
        for uri, page in expected.items():
            assert drawn[uri] == page, f"{uri} differs after {field} of {contact.name} changed"
