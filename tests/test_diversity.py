"""The Diversity page: golden figures computed by hand, the SVG chart, real builds."""

from __future__ import annotations

import logging
import math
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from kith.analyses.diversity import (
    Mix,
    analyse,
    counted,
    format_count,
    format_share,
    meeting_channel,
    mix,
    top,
)
from kith.core.config import settings_from_options
from kith.core.errors import KithError
from kith.core.model import Contact
from kith.pages import charts
from kith.pages.charts import mix_chart
from mkdocs.exceptions import Abort

from .conftest import ProjectFactory, article, build, page

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 11, 21)


def person(name: str, *industries: str, tier: str = "network", **fields: object) -> Contact:
    return Contact(
        src_uri=f"{name}.md",
        path=f"people/{name}.md",
        name=name,
        slug=name.lower(),
        industries=industries,
        tier=tier,
        **fields,
    )


def shares(group: Mix) -> dict[str, float]:
    return {c.name: round(c.share, 4) for c in group.categories}


def counts(group: Mix) -> dict[str, float]:
    return {c.name: round(c.count, 4) for c in group.categories}


# The fixture network, used both for the pure analysis and for a real build.
#
#   person  industries (as written)            tier      counts toward
#   Ann     Software                           core      Software 1
#   Ben     " software "                       active    Software 1
#   Cleo    Tech, healthcare                   network   Software 1/2 (Tech), Healthcare 1/2
#   Dev     Healthcare, Education, Design      core      Healthcare, Education, Design 1/3 each
#   Eva     design                             network   Design 1
#   Finn    (none)                             network   unknown
#   Jo      "Fin  tech"                        network   Fintech 1                       (alias)
#   Gus     Media                              prospect  left out
#   Hal     Retail                             archived  left out
#   Ivy     Fintech                            private   left out
#
# Known people: 6.  Software 5/2, Design 4/3, Fintech 1, Healthcare 5/6, Education 1/3.
# Shares: 15/36, 8/36, 6/36, 5/36, 2/36 = .4167 .2222 .1667 .1389 .0556
# H = −Σ p ln p = .364779 + .334239 + .298627 + .274178 + .160576 = 1.432399 → e^H = 4.1887
# Outside Software: 1 − 15/36 = .5833.
# Core (Ann, Dev): Software 1/2, three × 1/6: H = ½ ln 2 + ½ ln 6 = 1.242453, e^H = √12 = 3.4641;
# outside Software 50%.  Close tiers (Ann, Ben, Dev) lack Fintech: the one gap.
ALIASES = {"Tech": "Software", "Fin Tech": "Fintech"}
FIXTURE: dict[str, str] = {
    "Ann.md": "---\nindustry: Software\ntier: core\nlocation: Berlin\n"
    "how_met: PyCon 2024 hallway track\n---\n# Ann\n",
    "Ben.md": "---\nindustry: ' software '\ntier: active\nlocation: berlin\n"
    "how_met: Worked together at Acme\n---\n# Ben\n",
    "Cleo.md": "---\nindustry: [Tech, healthcare]\nlocation: London\n"
    "how_met: Ann introduced us\n---\n# Cleo\n",
    "Dev.md": "---\nindustry: [Healthcare, Education, Design]\ntier: core\nlocation: London\n"
    "---\n# Dev\n",
    "Eva.md": "---\nindustry: design\n---\n# Eva\n",
    "Finn.md": "---\ncompany: Nowhere Ltd\nlocation: Paris\n---\n# Finn\n",
    "Jo.md": "---\nindustry: 'Fin  tech'\n---\n# Jo\n",
    "Gus.md": "---\nindustry: Media\ntier: prospect\n---\n# Gus\n",
    "Hal.md": "---\nindustry: Retail\narchived: true\n---\n# Hal\n",
    "Ivy.md": "---\nindustry: Fintech\npublish: false\n---\n# Ivy\n",
}


def fixture_contacts() -> list[Contact]:
    return [
        person("Ann", "Software", tier="core", location="Berlin", how_met="PyCon hallway"),
        person("Ben", " software ", tier="active", location="berlin", how_met="Worked together"),
        person("Cleo", "Tech", "healthcare", location="London", how_met="Ann introduced us"),
        person("Dev", "Healthcare", "Education", "Design", tier="core", location="London"),
        person("Eva", "design"),
        person("Finn", location="Paris"),
        person("Jo", "Fin  tech"),
        person("Gus", "Media", tier="prospect"),
        person("Hal", "Retail", archived=True),
    ]


def test_the_fixture_figures_match_the_hand_computed_ones() -> None:
    report = analyse(fixture_contacts(), "Software", ALIASES)
    mix_ = report.industries
    assert mix_.people == 7
    assert [c.name for c in mix_.unknown] == ["Finn"]
    assert counts(mix_) == {
        "Software": 2.5,
        "Design": 1.3333,
        "Fintech": 1.0,
        "Healthcare": 0.8333,
        "Education": 0.3333,
    }
    assert shares(mix_) == {
        "Software": 0.4167,
        "Design": 0.2222,
        "Fintech": 0.1667,
        "Healthcare": 0.1389,
        "Education": 0.0556,
    }
    assert f"{mix_.entropy:.2f}" == "1.43"
    assert f"{mix_.effective:.2f}" == "4.19"
    assert mix_.entropy == pytest.approx(1.432399, abs=1e-6)
    assert report.outside == pytest.approx(21 / 36)
    assert report.my_industry == "Software"


def test_core_figures_and_gaps() -> None:
    report = analyse(fixture_contacts(), "software", ALIASES)
    assert [c.name for c in report.core.categories] == [
        "Software",
        "Design",
        "Education",
        "Healthcare",
    ]
    assert report.core.people == 2
    assert report.core.entropy == pytest.approx(0.5 * math.log(2) + 0.5 * math.log(6))
    assert f"{report.core.effective:.2f}" == "3.46"
    assert report.core_outside == pytest.approx(0.5)
    assert [c.name for c in report.gaps] == ["Fintech"]
    assert [c.name for c in report.gaps[0].people] == ["Jo"]


def test_a_person_in_k_industries_counts_one_kth_toward_each() -> None:
    group = mix([person("A", "X", "Y", "Z"), person("B", "X")], lambda c: c.industries)
    assert counts(group) == {"X": 1.3333, "Y": 0.3333, "Z": 0.3333}
    assert sum(c.count for c in group.categories) == pytest.approx(2)
    # The same industry twice (after folding) is one industry, not two halves.
    twice = mix([person("A", "Software", "software ")], lambda c: c.industries)
    assert counts(twice) == {"Software": 1.0}


def test_unknown_industry_is_counted_apart_and_left_out_of_the_entropy() -> None:
    group = mix([person("A", "X"), person("B", "Y"), person("C")], lambda c: c.industries)
    assert group.people == 3
    assert group.known == 2
    assert shares(group) == {"X": 0.5, "Y": 0.5}
    assert group.entropy == pytest.approx(math.log(2))
    assert group.effective == pytest.approx(2.0)


def test_names_fold_case_and_spaces_and_show_the_most_common_spelling() -> None:
    people = [
        person("A", "public sector"),
        person("B", "Public  Sector "),
        person("C", " public sector"),
        person("D", "Design"),
        person("E", "design"),
    ]
    group = mix(people, lambda c: c.industries)
    # "public sector" is written 2 times out of 3; Design/design tie: alphabetical first.
    assert counts(group) == {"public sector": 3.0, "Design": 2.0}


def test_the_alias_map_folds_synonyms_under_the_name_it_writes() -> None:
    people = [person("A", "TECH"), person("B", "software"), person("C", "software")]
    report = analyse(people, "tech", {"tech": "Software"})
    assert counts(report.industries) == {"Software": 3.0}
    assert report.my_industry == "Software"
    assert report.outside == 0.0


def test_edge_cases() -> None:
    empty = analyse([], "Software")
    assert empty.industries.effective == 0.0
    assert empty.outside is None
    one = analyse([person("A", "X"), person("B", "x")])
    assert one.industries.entropy == 0.0
    assert one.industries.effective == 1.0
    assert one.outside is None  # no my_industry
    absent = analyse([person("A", "X")], "Software")
    assert absent.outside == 1.0
    assert absent.my_industry == "Software"
    assert counted([person("A", tier="prospect"), person("B", archived=True)]) == ()


def test_anchors_are_unique_and_url_safe() -> None:
    group = mix(
        [person("A", "C++"), person("B", "C"), person("C", "Climate/Energy"), person("D", "Café")],
        lambda c: c.industries,
        anchor_prefix="industry-",
    )
    anchors = {c.name: c.anchor for c in group.categories}
    assert anchors == {
        "C": "industry-c",
        "C++": "industry-c-2",
        "Café": "industry-cafe",
        "Climate/Energy": "industry-climate-energy",
    }


@pytest.mark.parametrize(
    ("how_met", "channel"),
    [
        ("Bob introduced us at a meetup", "Introduction"),
        ("Worked together at Acme", "Work"),
        ("Reviewed each other's PRs on an open-source project", "Open source"),
        ("CoderDojo mentoring", "Volunteering"),
        ("Online meetup panel on checkout", "Meetup"),
        ("Speakers' dinner at a conference", "Conference"),
        ("Replied to her blog post", "Online"),
        ("Hackathon", "Hackathon"),
    ],
)
def test_meeting_channels(how_met: str, channel: str) -> None:
    assert meeting_channel(how_met) == channel


def test_locations_and_channels() -> None:
    report = analyse(fixture_contacts())
    assert counts(report.locations) == {"Berlin": 2.0, "London": 2.0, "Paris": 1.0}
    assert shares(report.locations) == {"Berlin": 0.4, "London": 0.4, "Paris": 0.2}
    assert len(report.locations.unknown) == 2
    assert counts(report.channels) == {"Introduction": 1.0, "PyCon hallway": 1.0, "Work": 1.0}


def test_formats() -> None:
    assert [format_count(v) for v in (3, 2.5, 1 / 3, 0)] == ["3", "2.5", "0.33", "0"]
    assert format_share(5 / 12) == "41.7%"


def test_industries_option() -> None:
    settings = settings_from_options({"industries": {"Tech": "Software"}}, TODAY, "people")
    assert settings.industries == {"Tech": "Software"}
    with pytest.raises(KithError, match="'industries'"):
        settings_from_options({"industries": ["Tech"]}, TODAY, "people")
    with pytest.raises(KithError, match="'Tech' must map to an industry name"):
        settings_from_options({"industries": {"Tech": None}}, TODAY, "people")


# The chart.


def bars_of(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return root.findall(f".//{SVG}rect")


def test_the_chart_is_well_formed_accessible_svg_with_one_bar_per_industry() -> None:
    report = analyse(fixture_contacts(), "Software", ALIASES)
    svg = mix_chart(report.industries, "Industry mix", "chart")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.find(f"{SVG}title").text == "Industry mix"
    desc = root.find(f"{SVG}desc").text
    assert "Software: 2.5 of 6 (41.7%)" in desc
    rects = bars_of(svg)
    assert len(rects) == 5
    widths = [float(r.get("width", "0")) for r in rects]
    expected = [c.count for c in report.industries.categories]
    for width, count in zip(widths, expected, strict=True):
        assert width / widths[0] == pytest.approx(count / expected[0], abs=0.005)
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "kith-chart-label"]
    assert labels == ["Software", "Design", "Fintech", "Healthcare", "Education"]


def test_chart_text_is_escaped_and_long_labels_shortened() -> None:
    svg = charts.horizontal_bars(
        [charts.Bar("<script>x</script> & co", 2), charts.Bar("x" * 60, 1, "50%")],
        'A "title" <b>',
        "desc & more",
        "c1",
    )
    root = ET.fromstring(svg)  # well-formed despite the markup in the data
    assert "<script>" not in svg
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<script>x</script> & co" in texts
    assert "x" * 27 + "…" in texts
    assert "50%" in texts
    assert [float(r.get("width", "0")) for r in bars_of(svg)][1] * 2 == pytest.approx(
        float(bars_of(svg)[0].get("width", "0"))
    )


def test_columns_are_proportional_and_sparsely_labelled() -> None:
    values = [3, 0, 6, 1.5] * 6  # 24 columns: only every second one is labelled
    bars = [charts.Bar(f"2026-{i:02d}", v) for i, v in enumerate(values, 1)]
    svg = charts.vertical_bars(bars, "Activity", "Interactions per month", "act")
    root = ET.fromstring(svg)
    rects = bars_of(svg)
    assert len(rects) == 24
    heights = [float(r.get("height", "0")) for r in rects]
    assert heights[1] == 0
    assert heights[0] * 2 == pytest.approx(heights[2], abs=0.01)
    assert heights[3] * 4 == pytest.approx(heights[2], abs=0.01)
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "kith-chart-label"]
    assert labels == [f"2026-{i:02d}" for i in range(1, 25, 2)]
    # The first label would stick out on the left: it starts at the edge instead.
    first = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "kith-chart-label")
    assert (first.get("x"), first.get("text-anchor")) == ("0", "start")
    assert charts.vertical_bars([], "Empty", "Nothing", "e").endswith("</svg>")
    assert bars_of(charts.horizontal_bars([], "Empty", "Nothing", "e")) == []


def test_long_tails_are_folded_into_one_bar() -> None:
    # 30 people met in 30 different ways: 19 bars of one person and "11 others".
    people = [person(f"P{i:02d}", how_met=f"Way {i:02d}") for i in range(30)]
    group = analyse(people).channels
    shown, others = top(group, 20)
    assert len(shown) == 19
    assert others is not None
    assert (others.name, others.count, round(others.share, 4)) == ("11 others", 11, 0.3667)
    svg = mix_chart(group, "How you met", "met", limit=20)
    assert len(bars_of(svg)) == 20
    assert top(group, 30) == (group.categories, None)


# Real builds.


def stat(soup: object, name: str) -> str:
    found = soup.select_one(f".kith-stat-{name} .kith-stat-value")
    assert found is not None, name
    return str(found.get_text(strip=True))


def rows(table: object) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in tr.find_all("td")]
        for tr in table.select("tbody tr")
    ]


def test_the_page_shows_the_hand_computed_figures(project: ProjectFactory) -> None:
    root = project(FIXTURE, options={"my_industry": "Software", "industries": ALIASES})
    site = build(root)
    doc = article(site, "diversity/")
    assert stat(doc, "effective") == "4.19"
    assert stat(doc, "entropy") == "1.43"
    assert stat(doc, "outside") == "58.3%"
    assert stat(doc, "industries") == "5"
    assert stat(doc, "counted") == "7"
    assert rows(doc.select_one("table.kith-industries")) == [
        ["Software", "2.5", "41.7%", "1", "50.0%"],
        ["Design", "1.33", "22.2%", "0.33", "16.7%"],
        ["Fintech", "1", "16.7%", "0", "–"],
        ["Healthcare", "0.83", "13.9%", "0.33", "16.7%"],
        ["Education", "0.33", "5.6%", "0.33", "16.7%"],
        ["no industry", "1", "–", "0", "–"],
    ]
    assert rows(doc.select_one("table.kith-core-vs-all")) == [
        ["People counted", "2", "7"],
        ["Industries", "4", "5"],
        ["Effective number of industries", "3.46", "4.19"],
        ["Entropy H", "1.24", "1.43"],
        ["Outside Software", "50.0%", "58.3%"],
    ]
    chart = doc.select_one("#kith-industry-chart")
    assert chart is not None and chart.name == "svg"
    assert len(chart.select("rect")) == 5
    gaps = doc.select("ul.kith-gaps li")
    assert [li.get_text(" ", strip=True) for li in gaps] == ["Fintech : Jo"]
    assert gaps[0].select_one("a[href]")["href"] == "#industry-fintech"
    assert rows(doc.select_one("#kith-location-chart-table")) == [
        ["Berlin", "2", "40.0%"],
        ["London", "2", "40.0%"],
        ["Paris", "1", "20.0%"],
        ["not recorded", "2", "–"],
    ]
    channels = rows(doc.select_one("#kith-channel-chart-table"))
    assert ["Introduction", "1", "33.3%"] in channels
    assert ["Work", "1", "33.3%"] in channels
    # The index: each industry an anchored section listing its people, linked.
    anchor = doc.select_one("#industry-healthcare")
    assert anchor is not None
    heading = anchor.find_next("h3")
    assert heading.get_text(strip=True).rstrip("¶") == "Healthcare"
    listed = heading.find_next("ul").select("a")
    assert [(a.get_text(), a["href"]) for a in listed] == [
        ("Cleo", "../people/cleo/"),
        ("Dev", "../people/dev/"),
    ]
    assert [a.get_text() for a in doc.select_one("#no-industry").find_next("ul").select("a")] == [
        "Finn"
    ]
    text = doc.get_text(" ")
    for left_out in ("Gus", "Hal", "Ivy", "Media", "Retail"):
        assert left_out not in text


def test_home_shows_the_effective_number_and_the_share_outside(project: ProjectFactory) -> None:
    site = build(project(FIXTURE, options={"my_industry": "Software", "industries": ALIASES}))
    home = article(site, "")
    section = home.select_one(".kith-home-diversity")
    assert section is not None
    assert stat(section, "effective") == "4.19"
    assert stat(section, "outside") == "58.3%"
    assert home.select_one('a[href="diversity/"]') is not None


def test_without_my_industry_the_share_outside_is_left_out(project: ProjectFactory) -> None:
    site = build(project(FIXTURE))
    doc = article(site, "diversity/")
    assert doc.select_one(".kith-stat-outside") is None
    assert "Outside" not in doc.select_one("table.kith-core-vs-all").get_text()
    assert "my_industry" in doc.get_text()
    assert article(site, "").select_one(".kith-home-diversity .kith-stat-outside") is None
    # Without the alias map, Tech and Fin  tech stand on their own.
    names = [r[0] for r in rows(doc.select_one("table.kith-industries"))]
    assert "Tech" in names and "Fin tech" in names


def test_a_network_with_no_industries_builds(project: ProjectFactory) -> None:
    site = build(project({"Ann.md": "---\ntier: core\n---\n# Ann\n"}))
    doc = article(site, "diversity/")
    assert doc.select_one(".kith-stat-effective") is None  # no "0.00 effective number"
    assert stat(doc, "counted") == "1"
    assert "1 person counted" in doc.get_text(" ", strip=True)
    assert "Nobody has an industry yet" in doc.get_text()
    assert doc.select_one("svg") is None


def test_a_bad_industries_option_stops_the_build(
    project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(project(FIXTURE, options={"industries": {"Tech": ["Software"]}}))
    assert "kith option 'industries': 'Tech' must map to an industry name" in caplog.text


def test_the_demo(demo_site: Path) -> None:
    # Counted: 31 people − 1 private − 1 archived − 4 prospects = 25; 2 have no industry.
    # Software 9 (8 + two halves), Education 2, Healthcare 2, Fintech 1.5, 8 × 1, Retail 0.5.
    # H = ln 23 − (9 ln 9 + 4 ln 2 + 1.5 ln 1.5 + 0.5 ln 0.5) / 23 = 2.1438; e^H = 8.5317.
    # Outside Software: 14/23. Core (5): Software 2.5, Design 1, Healthcare 1, Fintech 0.5:
    # H = ln 5 − (2.5 ln 2.5 + 0.5 ln 0.5) / 5 = 1.2206; e^H = 3.3890; outside 50%.
    doc = article(demo_site, "diversity/")
    assert stat(doc, "effective") == "8.53"
    assert stat(doc, "entropy") == "2.14"
    assert stat(doc, "outside") == "60.9%"
    assert stat(doc, "counted") == "25"
    assert rows(doc.select_one("table.kith-core-vs-all"))[2:] == [
        ["Effective number of industries", "3.39", "8.53"],
        ["Entropy H", "1.22", "2.14"],
        ["Outside Software", "50.0%", "60.9%"],
    ]
    gaps = [li.a.get_text() for li in doc.select("ul.kith-gaps li")]
    assert gaps == ["Manufacturing", "Nonprofit", "Public Sector", "Venture Capital", "Retail"]
    assert len(doc.select("#kith-industry-chart rect")) == 13
    home = page(demo_site, "")
    assert stat(home, "effective") == "8.53"


def test_a_long_tail_of_locations_ends_in_an_others_row(project: ProjectFactory) -> None:
    people = {f"P{i:02d}.md": f"---\nlocation: Town {i:02d}\n---\n# P{i:02d}\n" for i in range(25)}
    doc = article(build(project(people)), "diversity/")
    table = rows(doc.select_one("#kith-location-chart-table"))
    assert len(table) == 20
    assert table[-1] == ["6 others", "6", "24.0%"]
    assert len(doc.select("#kith-location-chart rect")) == 20
