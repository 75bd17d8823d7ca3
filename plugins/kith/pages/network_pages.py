"""What the network pages need: companies, introductions, graph, people to meet, vouch.

Each function takes the ``Site`` and returns its template's data; ``pages.PAGES``
lists them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from kith.analyses import graph as graphs
from kith.analyses import network, prospects
from kith.analyses.site import Site
from kith.core.model import Entry
from kith.core.names import fold
from kith.pages import graph_svg
from kith.pages.urls import Links

DRAW_ALL_UP_TO = 300
"""Networks up to this size are drawn whole; larger ones show core and active people and
their direct neighbours."""
DRAW_AT_MOST = 500
BROKERS_LISTED = 10


def jump_list(companies: Sequence[network.Company]) -> list[tuple[str, list[network.Company]]]:
    """Companies in alphabetical order, grouped by initial (``#`` for digits and signs)."""
    groups: dict[str, list[network.Company]] = {}
    for company in sorted(companies, key=lambda c: (fold(c.name), c.anchor)):
        first = unicodedata.normalize("NFKD", company.name)[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(company)
    return sorted(groups.items(), key=lambda item: (item[0] != "#", item[0]))


def companies_context(site: Site) -> Mapping[str, Any]:
    past = site.history.past_values("company")  # job changes seen in git
    found = network.companies(site.people, site.directory.resolve, past)
    return {
        "companies": found,
        "jump_list": jump_list(found),
        "people_at_companies": sum(len(c.current) for c in found),
        "archived_at_companies": sum(1 for c in found for p in c.current if p.archived),
        "people_total": len(site.people),
    }


def introductions_context(site: Site) -> Mapping[str, Any]:
    trees = network.introduction_trees(site.people, site.directory.resolve)
    return {
        "trees": trees,
        "outline": network.outline(trees) if trees else [],
        "connectors": network.connectors(trees),
        "introduced_count": sum(
            1 for c in site.people if network.introducer_of(c, site.directory.resolve)
        ),
        "people_total": len(site.people),
    }


def graph_edges(site: Site) -> Mapping[str, Any]:
    """Who is joined to whom: the graph's edges, by ``src_uri``. They read people's names,
    introducers and links, not their tiers: a tier edit keeps them."""
    return {"edges": graphs.build_graph(site.people, site.directory.resolve).edges}


def graph_context(site: Site) -> Mapping[str, Any]:
    whole = graphs.Graph(graphs.graph_nodes(site.people), site.cached(graph_edges)["edges"])
    centrality = graphs.betweenness(whole.neighbours, memo=site.memo)
    selection = graphs.select_drawn(whole, ("core", "active"), DRAW_ALL_UP_TO, DRAW_AT_MOST)
    drawn = graphs.subgraph(whole, selection.people) if selection.limited else whole
    positions = graph_svg.layout(drawn, memo=site.memo)
    colours = graph_svg.industry_colours(drawn.nodes)

    def draw(links: Links) -> Markup:
        # the SVG is escaped value by value in graph_svg
        return Markup(graph_svg.draw_svg(drawn, positions, colours, links.person))

    return {
        "graph": whole,
        "drawn": drawn,
        "selection": selection,
        "draw_at_most": DRAW_AT_MOST,
        "centrality": centrality,
        "brokers": graphs.brokers(whole, centrality, BROKERS_LISTED),
        "legend": graph_svg.legend(colours),
        "graph_svg": draw,
        "introductions": sum(1 for e in whole.edges if e.introductions),
        "mentions": sum(1 for e in whole.edges if e.mentions and not e.introductions),
    }


def to_meet_context(site: Site) -> Mapping[str, Any]:
    found = prospects.people_to_meet(site.people, site.directory.resolve)
    today = site.settings.today
    talks: dict[str, tuple[int, Entry]] = {}
    for prospect in found:  # what happened since: the prospect's own done entries
        done = [e for e in prospect.contact.entries if e.done and e.date <= today]
        if done:
            talks[prospect.contact.src_uri] = (len(done), max(done, key=lambda e: (e.date, e.line)))
    return {"prospects": found, "people_total": len(site.people), "talks": talks}


def vouch_context(site: Site) -> Mapping[str, Any]:
    groups = network.vouch_for(site.people)
    return {
        "vouch_groups": groups,
        "vouch_count": len({c.src_uri for _, people in groups for c in people}),
        "people_total": len(site.people),
    }
