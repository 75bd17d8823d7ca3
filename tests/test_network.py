"""The network pages: companies, introductions, graph and brokers, people to meet, vouch."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from kith.analyses import network, prospects
from kith.analyses.graph import betweenness, brokers, build_graph, select_drawn
from kith.core.directory import Directory
from kith.core.model import Contact, Link
from kith.pages import graph_svg

from .conftest import article, build, page

SVG = "{http://www.w3.org/2000/svg}"


def person(name: str, **fields: Any) -> Contact:
    links = tuple(Link(target, 1) for target in fields.pop("links", ()))
    extra = MappingProxyType(fields.pop("extra", {}))
    return Contact(
        src_uri=f"{name}.md",
        path=f"people/{name}.md",
        name=name,
        slug=name.lower().replace(" ", "-"),
        links=links,
        extra=extra,
        **fields,
    )


def names(contacts: Any) -> list[str]:
    return [c.name for c in contacts]


# -- companies ---------------------------------------------------------------------------------


def test_companies_fold_case_and_spaces_and_take_the_most_common_spelling() -> None:
    people = [
        person("Ann", company="Acme Corp"),
        person("Bob", company="acme  corp", introduced_by="Ann"),
        person("Cat", company="Acme Corp", introduced_by="Ann"),
        person("Dan", company="ACME CORP ", introduced_by="Eve"),
        person("Eve", company="Beta", extra={"past_companies": ("acme corp", "Gamma")}),
        person("Fay", company="Beta", extra={"past_companies": "Gamma"}),
        person("Gus"),
    ]
    found = network.companies(people, Directory(people).resolve, past={"Gus.md": ["Delta"]})
    assert [(c.name, names(c.current), names(c.past)) for c in found] == [
        ("Acme Corp", ["Ann", "Bob", "Cat", "Dan"], ["Eve"]),
        ("Beta", ["Eve", "Fay"], []),
        ("Gamma", [], ["Eve", "Fay"]),
        ("Delta", [], ["Gus"]),
    ]
    acme = found[0]
    assert [(i.contact.name, i.count) for i in acme.introducers] == [("Ann", 2), ("Eve", 1)]
    assert len({c.anchor for c in found}) == 4
    assert acme.anchor == "company-acme-corp"


def test_a_past_company_that_is_the_current_one_is_not_listed_twice() -> None:
    people = [person("Ann", company="Acme", extra={"past_companies": ["ACME", "Initech"]})]
    found = network.companies(people, Directory(people).resolve, past={"Ann.md": ["acme"]})
    assert [(c.name, names(c.current), names(c.past)) for c in found] == [
        ("Acme", ["Ann"], []),
        ("Initech", [], ["Ann"]),
    ]


# -- introductions -----------------------------------------------------------------------------

INTRODUCTIONS = [
    # a loop: Ann introduced Cat, Cat introduced Bob, Bob introduced Ann; Ann also introduced Dot
    person("Bob", introduced_by="Cat"),
    person("Cat", introduced_by="Ann"),
    person("Ann", introduced_by="Bob"),
    person("Dot", introduced_by="Ann"),
    person("Eli", introduced_by="Xan"),
    person("Xan"),
    person("Fin", introduced_by="Nobody we know"),
    person("Gil", introduced_by="Gil"),
]


def shape(node: network.IntroNode) -> Any:
    loop = f" (loop via {node.loop_introducer.name})" if node.loop_introducer else ""
    return {node.contact.name + loop: [shape(child) for child in node.children]}


@pytest.mark.parametrize("order", [1, -1])
def test_introduction_trees_break_a_loop_before_the_first_name(order: int) -> None:
    people = INTRODUCTIONS[::order]
    trees = network.introduction_trees(people, Directory(people).resolve)
    assert [shape(tree) for tree in trees] == [
        {"Ann (loop via Bob)": [{"Cat": [{"Bob": []}]}, {"Dot": []}]},
        {"Xan": [{"Eli": []}]},
    ]


def test_connectors_count_direct_introductions_and_reach() -> None:
    trees = network.introduction_trees(INTRODUCTIONS, Directory(INTRODUCTIONS).resolve)
    found = [(c.contact.name, c.direct, c.reach) for c in network.connectors(trees)]
    assert found == [("Ann", 2, 3), ("Cat", 1, 1), ("Xan", 1, 1)]


def test_outline_nests_lists_in_order() -> None:
    trees = network.introduction_trees(INTRODUCTIONS, Directory(INTRODUCTIONS).resolve)
    steps = [(step, node.contact.name if node else "") for step, node in network.outline(trees)]
    assert steps == [
        ("open", ""),
        ("item", "Ann"),
        ("open", ""),
        ("item", "Cat"),
        ("open", ""),
        ("item", "Bob"),
        ("end", "Bob"),
        ("close", ""),
        ("end", "Cat"),
        ("item", "Dot"),
        ("end", "Dot"),
        ("close", ""),
        ("end", "Ann"),
        ("item", "Xan"),
        ("open", ""),
        ("item", "Eli"),
        ("end", "Eli"),
        ("close", ""),
        ("end", "Xan"),
        ("close", ""),
    ]


def test_a_long_chain_of_introductions_needs_no_recursion() -> None:
    chain = [person("P00000")] + [
        person(f"P{i:05}", introduced_by=f"P{i - 1:05}") for i in range(1, 5000)
    ]
    trees = network.introduction_trees(chain, Directory(chain).resolve)
    assert len(trees) == 1
    assert network.connectors(trees)[0].reach == 4999
    assert len(network.outline(trees)) == 2 + 4 * 5000 - 2


# -- graph and brokers -------------------------------------------------------------------------


def bowtie() -> list[Contact]:
    """Two triangles (A B C and D E F) joined through X: C – X – D."""
    return [
        person("A", links=["B", "C"]),
        person("B"),
        person("C", links=["B", "X"]),
        person("X", introduced_by="D"),
        person("D", links=["E", "F"]),
        person("E", links=["F"]),
        person("F"),
    ]


def test_betweenness_of_a_bowtie_by_hand() -> None:
    # X is on the shortest path of every pair across the bridge: 3 × 3 = 9 pairs.
    # C is on those between {A, B} and {X, D, E, F}: 2 × 4 = 8; D likewise. The rest: 0.
    people = bowtie()
    graph = build_graph(people, Directory(people).resolve)
    centrality = betweenness(graph.neighbours)
    scores = {uri.removesuffix(".md"): round(s, 9) for uri, s in centrality.scores.items()}
    assert scores == {"A": 0, "B": 0, "C": 8, "D": 8, "E": 0, "F": 0, "X": 9}
    assert not centrality.estimated
    found = [
        (b.contact.name, b.score, round(b.share, 4), b.connections)
        for b in brokers(graph, centrality)
    ]
    # shares of the (7 - 1)(7 - 2) / 2 = 15 pairs of other people
    assert found == [("X", 9, 0.6, 2), ("C", 8, 0.5333, 3), ("D", 8, 0.5333, 3)]


def test_betweenness_splits_a_pair_between_its_shortest_paths() -> None:
    # a square a-b-c-d-a: a to c runs through b or d, half each; b to d through a or c
    square = {"a": ["b", "d"], "b": ["a", "c"], "c": ["b", "d"], "d": ["a", "c"]}
    assert betweenness(square).scores == {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5}


def test_betweenness_is_estimated_from_a_seeded_sample_on_a_large_graph() -> None:
    ring = {f"n{i:03}": [f"n{(i - 1) % 200:03}", f"n{(i + 1) % 200:03}"] for i in range(200)}
    estimate = betweenness(ring, max_work=1000)
    assert estimate.estimated and estimate.sources == 16 and estimate.people == 200
    assert estimate == betweenness(ring, max_work=1000)
    # on a ring of even n everyone is equal, at (n - 2)² / 8 (n = 4: 0.5, as in the square;
    # n = 6: 1 pair through them at distance 2, plus two opposite pairs at half each = 2)
    exact = betweenness(ring)
    assert not exact.estimated
    assert {round(s, 6) for s in exact.scores.values()} == {198**2 / 8}
    assert set(
        betweenness(
            {str(i): [str((i - 1) % 6), str((i + 1) % 6)] for i in range(6)}
        ).scores.values()
    ) == {2.0}


def test_graph_edges_are_introductions_and_mentions_undirected() -> None:
    people = [
        person("Ann", links=["Bob", "Bob", "Ann", "Nobody"]),
        person("Bob", links=["Ann"], introduced_by="Ann"),
        person("Cat", introduced_by="Bob"),
    ]
    graph = build_graph(people, Directory(people).resolve)
    assert [(e.a, e.b, e.introductions, e.mentions, e.weight) for e in graph.edges] == [
        ("Ann.md", "Bob.md", 1, 2, 3),
        ("Bob.md", "Cat.md", 1, 0, 1),
    ]


def test_a_large_network_draws_core_and_active_and_their_neighbours() -> None:
    people = [
        person("Core", tier="core", links=["Net1"]),
        person("Act", tier="active", links=["Net2"]),
        person("Net1"),
        person("Net2"),
        person("Net3"),
        person("Gone", tier="core", archived=True),
    ]
    graph = build_graph(people, Directory(people).resolve)
    small = select_drawn(graph, draw_all_up_to=10)
    assert not small.limited and len(small.people) == 6
    large = select_drawn(graph, draw_all_up_to=3, at_most=10)
    assert large.limited and large.total == 6
    assert names(large.people) == ["Act", "Core", "Net1", "Net2"]
    capped = select_drawn(graph, draw_all_up_to=3, at_most=3)
    assert names(capped.people) == ["Act", "Core", "Net1"]


# -- the drawing -------------------------------------------------------------------------------


def test_the_svg_is_well_formed_and_links_every_person() -> None:
    people = [*bowtie(), person('<Odd & "Name">', tier="core", industries=("R&D",))]
    graph = build_graph(people, Directory(people).resolve)
    positions = graph_svg.layout(graph)
    assert positions == graph_svg.layout(graph)  # seeded: the same picture every build
    assert all(
        0 <= x <= graph_svg.WIDTH and 0 <= y <= graph_svg.HEIGHT for x, y in positions.values()
    )
    colours = graph_svg.industry_colours(graph.nodes)
    svg = graph_svg.draw_svg(graph, positions, colours, lambda c: f"../people/{c.slug}/")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    nodes = root.findall(f"{SVG}g[@class='kith-nodes']/{SVG}a")
    assert sorted(a.findtext(f"{SVG}title") or "" for a in nodes) == sorted(names(people))
    assert all(a.find(f"{SVG}circle") is not None for a in nodes)
    odd = next(a for a in nodes if a.findtext(f"{SVG}title") == '<Odd & "Name">')
    assert odd.get(f"{{{graph_svg.XLINK}}}href") == '../people/<odd-&-"name">/'
    lines = root.findall(f"{SVG}g[@class='kith-edges']/{SVG}line")
    assert len(lines) == len(graph.edges) == 8
    dashed = [line for line in lines if line.get("stroke-dasharray")]
    assert [line.get("class") for line in dashed] == ["kith-edge-mention"] * 7
    assert graph_svg.legend(colours) == [("R&D", graph_svg.PALETTE[0]), ("No industry", "#9d9d9d")]


def test_layout_of_tiny_graphs() -> None:
    assert graph_svg.layout(build_graph([], Directory([]).resolve)) == {}
    one = [person("Solo")]
    assert graph_svg.layout(build_graph(one, Directory(one).resolve)) == {
        "Solo.md": (graph_svg.WIDTH / 2, graph_svg.HEIGHT / 2)
    }


# -- people to meet, vouch ---------------------------------------------------------------------


def test_people_to_meet_lists_who_could_introduce_you() -> None:
    people = [
        person(
            "Pia Prospect",
            tier="prospect",
            company="Acme",
            introduced_by="Ann",
            links=["Cal"],
            reason_to_meet="she is moving Acme's pipelines to streaming, as we did",
        ),
        person("Ann"),
        person("Bob", links=["Pia Prospect"]),
        person("Cal"),
        person("Dee", company="ACME "),
        person("Quin", tier="prospect", company="acme"),
        person("Ray", tier="prospect", archived=True),
    ]
    found = prospects.people_to_meet(people, Directory(people).resolve)
    assert names(p.contact for p in found) == ["Pia Prospect", "Quin"]
    pia = found[0]
    assert [(r.contact.name, r.reasons) for r in pia.routes] == [
        ("Ann", ("suggested you meet",)),
        ("Bob", ("your notes on them mention Pia",)),
        ("Cal", ("your notes on Pia mention them",)),
        ("Dee", ("also at ACME",)),
    ]
    assert pia.meeting_line == (
        "Ask Ann: “Could you introduce me to Pia? she is moving Acme's pipelines to streaming,"
        " as we did. I'd ask Pia for 30 minutes, a coffee or a call.”"
    )
    quin = found[1]
    assert [r.contact.name for r in quin.routes] == ["Dee"]  # not Pia: a prospect herself
    assert quin.meeting_line.startswith("Ask Dee: “Could you introduce me to Quin?")
    alone = prospects.meeting_line(person("Zed Z", reason_to_meet="Their open-source tool."), None)
    assert alone == (
        "Write to Zed directly and ask for 30 minutes, a coffee or a call, about this: "
        "Their open-source tool."
    )


def test_vouch_groups_by_industry_with_the_unknown_last() -> None:
    people = [
        person("Ann", worked_with=True, industries=("Software", "Fintech")),
        person("Bob", worked_with=True, industries=("software",)),
        person("Cat", worked_with=True),
        person("Dan", industries=("Software",)),
    ]
    assert [(industry, names(group)) for industry, group in network.vouch_for(people)] == [
        ("Fintech", ["Ann"]),
        ("Software", ["Ann", "Bob"]),
        (network.NO_INDUSTRY, ["Cat"]),
    ]


# -- builds ------------------------------------------------------------------------------------

FIXTURE = {
    "Ann Able.md": "---\ntier: core\nindustry: Software\ncompany: Acme\n---\nKnows [[Bob Best]].\n",
    "Bob Best.md": '---\nintroduced_by: "[[Ann Able]]"\ncompany: ACME\nworked_with: true\n---\n'
    "Works with [[Secret Sam]].\n",
    "Cy Cole.md": "---\ntier: prospect\nreason_to_meet: Their new tool.\ncompany: acme\n---\n",
    "Dee Dale.md": "---\npast_companies: [Acme, Initech]\n---\nNobody links here.\n",
    "Secret Sam.md": '---\npublish: false\ncompany: Acme\nintroduced_by: "[[Ann Able]]"\n---\n'
    "Friend of [[Ann Able]].\n",
}


def test_the_graph_page_has_every_published_person_and_no_private_one(project: Any) -> None:
    site = build(project(FIXTURE))
    graph = article(site, "graph/")
    svg = graph.select_one("svg.kith-graph-svg")
    assert svg is not None
    titles = sorted(t.get_text() for t in svg.select("g.kith-nodes title"))
    assert titles == ["Ann Able", "Bob Best", "Cy Cole", "Dee Dale"]
    hrefs = {a["xlink:href"] for a in svg.select("g.kith-nodes a")}
    assert hrefs == {
        f"../people/{slug}/" for slug in ("ann-able", "bob-best", "cy-cole", "dee-dale")
    }
    for key in ("graph", "companies", "introductions", "to-meet", "vouch"):
        assert "Secret" not in page(site, f"{key}/").get_text(), key
    companies = article(site, "companies/")
    acme = companies.select_one("#company-acme")
    assert acme is not None
    assert [a.get_text() for a in acme.select("li a")] == ["Ann Able", "Bob Best", "Cy Cole"]
    assert "Worked there: Dee Dale" in acme.get_text()
    to_meet = article(site, "to-meet/").get_text(" ", strip=True)
    assert "Ann Able (also at Acme)" in to_meet and "Their new tool." in to_meet
    assert [a.get_text() for a in article(site, "vouch/").select("li a")] == ["Bob Best"]


def test_every_network_page_is_reachable_from_the_demo_navigation(demo_site: Path) -> None:
    # Home's tabs lead to the Network section, whose own pages list all of its pages.
    home = page(demo_site, "")
    tabs = {a.get_text(strip=True): a["href"] for a in home.select("nav.md-tabs a")}
    assert tabs["Network"].rstrip("/").endswith("people")
    section = page(demo_site, "people/")
    nav = {a.get_text(strip=True): a["href"] for a in section.select("nav.md-nav a[href]")}
    for title, url in {
        "Companies": "companies/",
        "Introductions": "introductions/",
        "Graph": "graph/",
        "People to meet": "to-meet/",
        "Vouch for": "vouch/",
    }.items():
        assert nav.get(title, "").rstrip("/").endswith(url.rstrip("/")), title
        assert (demo_site / url / "index.html").is_file()
    quellwerk = article(demo_site, "companies/").select_one("#company-quellwerk")
    assert quellwerk is not None
    assert "Worked there: Amara Okafor" in quellwerk.get_text(" ", strip=True)
    graph = article(demo_site, "graph/")
    person_pages = [p for p in (demo_site / "people").iterdir() if p.is_dir()]
    assert len(graph.select("g.kith-nodes a")) == len(person_pages) == 30
    assert graph.select("table.kith-brokers tbody tr")
    assert len(article(demo_site, "to-meet/").select("section.kith-prospect")) == 4


def test_the_graph_shows_in_a_browser_without_network(demo_site: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium")
    outside: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        try:
            tab = browser.new_page()

            def route(request_route: Any) -> None:
                url = request_route.request.url
                if url.startswith("file:"):
                    request_route.continue_()
                else:
                    outside.append(url)
                    request_route.abort()

            tab.route("**/*", route)
            errors: list[str] = []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.goto((demo_site / "graph" / "index.html").as_uri())
            svg = tab.locator("svg.kith-graph-svg")
            box = svg.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 200
            assert tab.locator("svg.kith-graph-svg g.kith-nodes circle").count() > 20
            node = tab.locator("svg.kith-graph-svg g.kith-nodes a").first
            assert node.locator("circle").bounding_box() is not None
            node.click(force=True)  # at its centre, even if a smaller circle overlaps it
            tab.wait_for_url("**/people/**")
            assert errors == []
        finally:
            browser.close()
    assert outside == []


def test_a_network_too_large_to_draw_whole_says_so(project: Any, monkeypatch: Any) -> None:
    from kith.pages import network_pages

    monkeypatch.setattr(network_pages, "DRAW_ALL_UP_TO", 3)
    site = build(project(FIXTURE))
    graph = article(site, "graph/")
    notice = graph.select_one(".kith-graph-limited")
    assert notice is not None
    assert "has 4 people" in notice.get_text() and "shows 2 of them" in notice.get_text()
    # Ann is core; Bob is tied to her; Cy and Dee are tied to nobody drawn
    titles = sorted(t.get_text() for t in graph.select("svg g.kith-nodes title"))
    assert titles == ["Ann Able", "Bob Best"]
