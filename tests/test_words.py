"""What the pages say: plurals, whole counts, figures that say what they count, and a
welcoming first page for an empty network (and for one of one to three people)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from kith.analyses.graph import betweenness, brokers, build_graph
from kith.core.directory import Directory
from kith.core.model import Contact, Link
from kith.pages.words import noun, number, plural

from .conftest import ProjectFactory, article, build, write_project

GENERATED = (
    "",
    "follow-ups/",
    "favors/",
    "diversity/",
    "people/",
    "companies/",
    "introductions/",
    "graph/",
    "to-meet/",
    "vouch/",
    "journal/",
)
"""Every generated page; Home is at the top."""

WRONG_PLURAL = re.compile(
    r"\b1 (people|persons|companies|promises|interactions|favors|industries|notes|records"
    r"|introductions|mentions|entries|months|days|locations|channels)\b"
)
COUNT_WITH_DECIMAL = re.compile(r"(?<![\d.])\d+\.0(?![\d%])")
"""``63.0``: a count printed as a float (``41.0%`` is a share, and ``1.00`` a ratio)."""


def text_of(site: Path, url: str) -> str:
    return " ".join(article(site, url).get_text(" ", strip=True).split())


def assert_reads_well(site: Path) -> None:
    for url in GENERATED:
        text = text_of(site, url)
        assert not WRONG_PLURAL.search(text), (url, WRONG_PLURAL.search(text))
        assert not COUNT_WITH_DECIMAL.search(text), (url, COUNT_WITH_DECIMAL.search(text))
        assert "-0.00" not in text, url


# -- the helpers ------------------------------------------------------------------------


def test_plural_number_and_noun() -> None:
    assert plural(1, "person", "people") == "1 person"
    assert plural(29, "person", "people") == "29 people"
    assert plural(0, "company", "companies") == "0 companies"
    assert plural(1, "promise") == "1 promise"
    assert plural(3, "promise") == "3 promises"
    assert noun(1, "industry", "industries") == "industry"
    assert noun(2, "industry", "industries") == "industries"
    assert number(63.0) == "63"
    assert number(63.000000001) == "63"
    assert number(12.5) == "12.5"
    assert number(7) == "7"


def test_archived_people_are_not_recommended_as_brokers() -> None:
    # Old bridges Ann's circle and Bob's; Mid bridges Bob's and Cy's. Old is archived.
    def person(name: str, *links: str, archived: bool = False) -> Contact:
        return Contact(
            src_uri=f"{name}.md",
            path=f"people/{name}.md",
            name=name,
            slug=name.lower(),
            links=tuple(Link(target, 1) for target in links),
            archived=archived,
        )

    people = [
        person("Ann", "Old"),
        person("Old", "Bob", archived=True),
        person("Bob", "Mid"),
        person("Mid", "Cy"),
        person("Cy"),
    ]
    graph = build_graph(people, Directory(people).resolve)
    centrality = betweenness(graph.neighbours)
    assert centrality.scores["Old.md"] > 0  # still carries the chains between others
    assert [b.contact.name for b in brokers(graph, centrality)] == ["Bob", "Mid"]


# -- an empty network -------------------------------------------------------------------


FIRST_STEP = 'kith new "Jane Doe"'


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(write_project(tmp_path_factory.mktemp("empty"), {}, {"my_industry": "Software"}))


def test_an_empty_network_says_what_each_page_will_show_and_the_first_step(
    empty_site: Path,
) -> None:
    for url in GENERATED:
        page = article(empty_site, url)
        text = " ".join(page.get_text(" ", strip=True).split())
        assert not page.select("svg"), url  # no empty chart, no blank graph
        assert not page.select("table"), url  # no table of nobody
        assert "0.00" not in text and "0 people" not in text, url
        if url != "journal/":  # the journal's first step is a note, not a person
            assert FIRST_STEP in text, url
            assert "kith import linkedin Connections.csv" in text, url
            assert "kith import vcard contacts.vcf" in text, url
            # what the page will show (Home and Follow-ups open with it anyway)
            assert "This page will" in text or url in ("", "follow-ups/"), url
    home = text_of(empty_site, "")
    assert "Your network is empty." in home
    assert "All contact info was checked" not in home
    assert "Nobody is overdue" not in home
    assert "What the pages will show" in home
    assert "Graph : a drawing of who knows whom" in home
    assert 'kith new "Jane Doe" --company "Acme Corp"' in text_of(empty_site, "companies/")
    assert "--tier prospect" in text_of(empty_site, "to-meet/")
    assert "journal/YYYY-MM-DD.md" in text_of(empty_site, "journal/")
    assert_reads_well(empty_site)


# -- one person -------------------------------------------------------------------------


JANE = (
    "---\ncompany: Acme\nindustry: Software\ntier: core\n---\n# Jane Doe\n\n## Log\n\n"
    "- 2026-11-01 coffee: Caught up.\n- [ ] 2026-11-02 gave: Send her the notes.\n"
)


def test_one_person_reads_in_the_singular(project: ProjectFactory) -> None:
    site = build(project({"Jane Doe.md": JANE}, options={"my_industry": "Software"}))
    home = text_of(site, "")
    assert "1 person in your network" in home
    assert "(archived aside)" not in home  # nobody is archived: nothing to set aside
    assert "1 person in your core circle, of at most 15." in home
    assert "1 promise you owe" in home
    assert "1 interaction in the last 30 days (since 2026-10-22)" in home
    assert "1 interaction and 0 favors logged in the 24 calendar months" in home
    assert "No favors in these months." in home  # and no chart of zeros
    assert len(article(site, "").select(".kith-activity svg")) == 1
    assert "gave first" not in home  # no "– gave first (0 of 0)"
    assert "1 industry among 1 person" in home
    assert "1 record has contact info not checked" in home
    assert "1 person." in text_of(site, "people/")
    assert "1 person at 1 company" in text_of(site, "companies/")
    favors = text_of(site, "favors/")
    assert "1 promise you owe" in favors and "0 promises owed to you" in favors
    diversity = text_of(site, "diversity/")
    assert "1 person counted" in diversity and "(1 person)" in diversity
    assert "1 industry" in diversity
    graph = article(site, "graph/")
    assert not graph.select("svg")  # one dot and no line is no drawing
    assert "Nobody is linked to anyone yet (1 person, no lines to draw)" in text_of(site, "graph/")
    assert FIRST_STEP not in home  # the network is not empty any more
    assert_reads_well(site)


# -- three people, one archived ---------------------------------------------------------


THREE = {
    "Jane Doe.md": JANE,
    "Bob Smith.md": (
        "---\ncompany: Acme\nindustry: Finance\ntier: active\n"
        'introduced_by: "[[Jane Doe]]"\nworked_with: true\n---\n# Bob Smith\n\n'
        "Knows [[Carl Old]].\n\n## Log\n\n- 2026-10-01 gave: An intro.\n"
    ),
    "Carl Old.md": ("---\ncompany: Initech\narchived: true\nindustry: Software\n---\n# Carl Old\n"),
}


def test_three_people_each_figure_says_what_it_counts(project: ProjectFactory) -> None:
    site = build(project(THREE, options={"my_industry": "Software"}))
    home = article(site, "")
    stats = {
        tile.select_one(".kith-stat-label").get_text(): tile.select_one(
            ".kith-stat-value"
        ).get_text()
        for tile in home.select(".kith-stats:first-of-type .kith-stat")
    }
    assert stats["people in your network (archived aside)"] == "2"
    assert stats["archived"] == "1"
    assert "unsorted" not in stats  # a zero nobody asked about
    assert "3 people, archived ones included (1 archived)." in text_of(site, "people/")
    assert "3 people (1 of them archived) at 2 companies" in text_of(site, "companies/")
    assert "1 person came to you through an introduction" in text_of(site, "introductions/")
    assert "introduced 1 person" in text_of(site, "introductions/")
    assert "1 person you have worked with" in text_of(site, "vouch/")
    graph = text_of(site, "graph/")
    assert "3 people, 1 introduction and 1 other mention between them" in graph
    # Bob alone joins Jane and Carl; Carl is archived, Bob is not: Bob is the broker.
    brokers_table = article(site, "graph/").select("table.kith-brokers tbody tr")
    assert [row.td.get_text() for row in brokers_table] == ["Bob Smith"]
    assert brokers_table[0].select("td")[1].get_text() == "1"
    assert "1 favor given" in text_of(site, "favors/")
    assert "1 person you helped in the last 12 months" in text_of(site, "favors/")
    assert "gave first (1 of 1 person with a done favor)" in text_of(site, "favors/")
    assert_reads_well(site)


def test_only_archived_people_have_nothing_to_check(project: ProjectFactory) -> None:
    site = build(project({"Carl Old.md": THREE["Carl Old.md"]}))
    home = text_of(site, "")
    assert "0 people in your network (archived aside)" in home
    assert "All contact info" not in home
    assert "Nobody to check: archived people are left out." in home
    assert "Nobody to count yet" in text_of(site, "diversity/")


# -- the demo ---------------------------------------------------------------------------


def test_the_demo_reads_well(demo_site: Path) -> None:
    assert_reads_well(demo_site)
    home = text_of(demo_site, "")
    assert "29 people in your network (archived aside)" in home
    assert "30 people, archived ones included (1 archived)." in text_of(demo_site, "people/")
    # Recent interactions and the activity chart count the same things, and say so.
    assert re.search(
        r"\d+ interactions in the last 30 days \(since 2026-10-22\), favors and journal notes"
        r" included",
        home,
    )
    assert "Interactions per calendar month (favors apart)" in home
    labels = [
        label.get_text()
        for label in article(demo_site, "").select("#kith-activity-interactions .kith-chart-label")
    ]
    assert labels and all(re.fullmatch(r"[A-Z][a-z]{2} 20\d\d", label) for label in labels)
    brokers_table = article(demo_site, "graph/").select("table.kith-brokers tbody tr")
    names = [row.td.get_text() for row in brokers_table]
    assert "Klaus Petersen" not in names  # archived: not one to keep close
    scores = [row.select("td")[1].get_text() for row in brokers_table]
    assert scores[0] == "63"  # was "63.0"
    assert all(re.fullmatch(r"\d+(\.\d)?", score) for score in scores)


def test_no_page_of_the_demo_prints_a_count_as_a_float(demo_site: Path) -> None:
    for url in GENERATED:
        soup = BeautifulSoup(str(article(demo_site, url)), "html.parser")
        for tile in soup.select(".kith-stat-value"):
            label = tile.find_next_sibling(class_="kith-stat-label")
            ratios = ("effective", "entropy")  # real numbers, two decimals on purpose
            if label is not None and not any(r in label.get_text() for r in ratios):
                assert not re.fullmatch(r"\d+\.\d+", tile.get_text()), (url, label.get_text())
