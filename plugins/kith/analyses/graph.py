"""The network as a graph: people joined by introductions and by mentions; its brokers.

Nodes are published people; an edge joins two people when one introduced the
other or when one's file links to the other. Brokers are ranked by betweenness
centrality (Brandes' algorithm): how many shortest paths between other people
pass through them, which is high for people who bridge otherwise separate
circles.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kith.analyses.network import Resolve, introducer_of
from kith.core.model import Contact

EXACT_WORK = 1_000_000
"""Above this many BFS steps (people × (people + edges)), betweenness is estimated from a
sample of source people, so a network of 10,000 costs about as much as one of 1,000."""


@dataclass(frozen=True, slots=True)
class Edge:
    """Two people (``src_uri``, ``a < b``) and what joins them."""

    a: str
    b: str
    introductions: int = 0
    mentions: int = 0
    """Files of the two that link to the other (0, 1 or 2)."""

    @property
    def weight(self) -> int:
        return self.introductions + self.mentions


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Contact, ...]
    edges: tuple[Edge, ...]

    @cached_property
    def by_uri(self) -> Mapping[str, Contact]:
        return {c.src_uri: c for c in self.nodes}

    @cached_property
    def neighbours(self) -> Mapping[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {c.src_uri: [] for c in self.nodes}
        for edge in self.edges:
            found[edge.a].append(edge.b)
            found[edge.b].append(edge.a)
        return {uri: tuple(sorted(others)) for uri, others in found.items()}


def build_graph(contacts: Sequence[Contact], resolve: Resolve) -> Graph:
    """The graph of ``contacts`` (published people): introductions and mentions, undirected."""
    known = {c.src_uri for c in contacts}
    introductions: dict[tuple[str, str], int] = {}
    mentions: dict[tuple[str, str], set[str]] = {}
    for contact in contacts:
        introducer = introducer_of(contact, resolve)
        if introducer is not None and introducer.src_uri in known:
            pair = _pair(contact.src_uri, introducer.src_uri)
            introductions[pair] = introductions.get(pair, 0) + 1
        for link in contact.links:
            target = resolve(link.target)
            if target is not None and target.src_uri in known and target.src_uri != contact.src_uri:
                mentions.setdefault(_pair(contact.src_uri, target.src_uri), set()).add(
                    contact.src_uri
                )
    edges = tuple(
        Edge(a, b, introductions.get((a, b), 0), len(mentions.get((a, b), ())))
        for a, b in sorted({*introductions, *mentions})
    )
    return Graph(graph_nodes(contacts), edges)


def graph_nodes(contacts: Sequence[Contact]) -> tuple[Contact, ...]:
    """The graph's people, in the order it lists them (by name)."""
    return tuple(sorted(contacts, key=lambda c: (c.name.casefold(), c.src_uri)))


def _pair(one: str, other: str) -> tuple[str, str]:
    return (one, other) if one < other else (other, one)


@dataclass(frozen=True, slots=True)
class Centrality:
    scores: Mapping[str, float]
    """``src_uri`` → betweenness: shortest paths (pairs of other people) through the person."""
    sources: int
    """People the shortest paths were counted from: all of them, or a sample."""
    people: int

    @property
    def estimated(self) -> bool:
        return self.sources < self.people


def _betweenness(
    neighbours: Mapping[str, Sequence[str]], max_work: int = EXACT_WORK, seed: int = 0
) -> Centrality:
    """Betweenness centrality of an undirected, unweighted graph (Brandes, 2001).

    Each unordered pair of people counts once; a pair with several shortest
    paths shares its count between them. When exact counting would take more
    than ``max_work`` steps, the sum runs over a seeded sample of source people
    and is scaled up (Brandes and Pich, 2007): same ranking for clear brokers,
    linear cost.
    """
    nodes = sorted(neighbours)
    n = len(nodes)
    index = {uri: i for i, uri in enumerate(nodes)}
    adjacency = [[index[other] for other in neighbours[uri]] for uri in nodes]
    steps_per_source = n + sum(len(others) for others in adjacency)
    sources: Sequence[int] = range(n)
    if n * steps_per_source > max_work and steps_per_source:
        count = max(16, min(n, max_work // steps_per_source))
        sources = sorted(random.Random(seed).sample(range(n), count))
    scores = [0.0] * n
    for source in sources:
        # plain lists indexed by person: several times faster than dicts at 10,000 people
        distance = [-1] * n
        paths = [0] * n
        distance[source], paths[source] = 0, 1
        order: list[int] = []
        queue = deque([source])
        while queue:
            here = queue.popleft()
            order.append(here)
            step = distance[here] + 1
            for there in adjacency[here]:
                if distance[there] < 0:
                    distance[there] = step
                    queue.append(there)
                if distance[there] == step:
                    paths[there] += paths[here]
        dependency = [0.0] * n
        for there in reversed(order):
            share = (1 + dependency[there]) / paths[there]
            before = distance[there] - 1
            for here in adjacency[there]:  # its predecessors: neighbours one step closer
                if distance[here] == before:
                    dependency[here] += paths[here] * share
            if there != source:
                scores[there] += dependency[there]
    # every pair was counted from both ends (or, sampled, from len(sources) of n ends)
    scale = (n / len(sources) if sources else 1.0) / 2
    return Centrality(
        {uri: score * scale for uri, score in zip(nodes, scores, strict=True)}, len(sources), n
    )


Memo = MutableMapping[tuple[object, ...], Any]
"""Results kept by a serve session (``kith.serve.session.Kept.memos``), by their inputs."""


def betweenness(
    neighbours: Mapping[str, Sequence[str]],
    max_work: int = EXACT_WORK,
    seed: int = 0,
    memo: Memo | None = None,
) -> Centrality:
    """Betweenness centrality of an undirected, unweighted graph; see ``_betweenness``.
    With a ``memo``, a rebuild that left the graph as it was does not count again."""
    if memo is None:
        return _betweenness(neighbours, max_work, seed)
    key = (
        "betweenness",
        tuple((uri, tuple(others)) for uri, others in neighbours.items()),
        max_work,
        seed,
    )
    if key not in memo:
        memo[key] = _betweenness(neighbours, max_work, seed)
    result: Centrality = memo[key]
    return result


@dataclass(frozen=True, slots=True)
class Broker:
    contact: Contact
    score: float
    """Betweenness: pairs of other people whose shortest path runs through them."""
    share: float
    """``score`` as a share of all pairs of other people (0 to 1)."""
    connections: int
    industries: tuple[str, ...]
    """Industries of the people they connect, alphabetical."""


def brokers(graph: Graph, centrality: Centrality, limit: int = 10) -> tuple[Broker, ...]:
    """The people who bridge the most, highest betweenness first; nobody with none.

    Archived people still carry the chains between others (the scores count them), but
    they are not listed: the list is of people to keep close, and archived ones you don't.
    """
    n = len(graph.nodes)
    pairs = (n - 1) * (n - 2) / 2 if n > 2 else 1.0
    ranked = sorted(
        (
            uri
            for uri, score in centrality.scores.items()
            if score > 1e-9 and not graph.by_uri[uri].archived
        ),
        key=lambda uri: (-round(centrality.scores[uri], 9), graph.by_uri[uri].name.casefold()),
    )
    found: list[Broker] = []
    for uri in ranked[:limit]:
        others = graph.neighbours[uri]
        industries = sorted(
            {i for o in others for i in graph.by_uri[o].industries}, key=str.casefold
        )
        score = centrality.scores[uri]
        found.append(
            Broker(graph.by_uri[uri], score, score / pairs, len(others), tuple(industries))
        )
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Selection:
    """The people the drawing shows."""

    people: tuple[Contact, ...]
    limited: bool
    """True when the network was too large to draw whole."""
    total: int


def select_drawn(
    graph: Graph,
    focus_tiers: Sequence[str] = ("core", "active"),
    draw_all_up_to: int = 300,
    at_most: int = 500,
) -> Selection:
    """Everyone, in a small network; else the focus tiers and their direct neighbours.

    Beyond ``at_most`` people, focus people come first (in tier order), then
    the neighbours tied to the most focus people.
    """
    total = len(graph.nodes)
    if total <= draw_all_up_to:
        return Selection(graph.nodes, False, total)
    rank = {tier: i for i, tier in enumerate(focus_tiers)}
    focus = [c for c in graph.nodes if c.tier in rank and not c.archived]
    focus.sort(key=lambda c: (rank[c.tier], -len(graph.neighbours[c.src_uri])))
    chosen = {c.src_uri for c in focus[:at_most]}
    ties: dict[str, int] = {}
    for uri in chosen:
        for other in graph.neighbours[uri]:
            if other not in chosen:
                ties[other] = ties.get(other, 0) + 1
    room = at_most - len(chosen)
    for uri in sorted(ties, key=lambda u: (-ties[u], graph.by_uri[u].name.casefold(), u))[:room]:
        chosen.add(uri)
    return Selection(tuple(c for c in graph.nodes if c.src_uri in chosen), True, total)


def subgraph(graph: Graph, people: Sequence[Contact]) -> Graph:
    keep = {c.src_uri for c in people}
    return Graph(tuple(people), tuple(e for e in graph.edges if e.a in keep and e.b in keep))
