"""The favors ledger: golden figures worked out by hand, a property, and real builds."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kith.analyses.favors import (
    DEFAULT_FAVOR_KINDS,
    FavorSource,
    contact_favor_sources,
    favor_kinds,
    favor_ledger,
    favor_report,
)
from kith.core.config import settings_from_options
from kith.core.errors import KithError
from kith.core.model import Contact, Entry

from .conftest import ProjectFactory, article, build

TODAY = date(2026, 11, 21)
KINDS = favor_kinds({"intro": "gave"})


def entry(when: str, kind: str, text: str = "", done: bool = True, source: str = "x.md") -> Entry:
    return Entry(date.fromisoformat(when), kind, text, done, 1, source)


def person(name: str, tier: str = "network", *entries: Entry) -> Contact:
    return Contact(src_uri=f"{name}.md", path=f"people/{name}.md", name=name, tier=tier,
                   entries=entries)  # fmt: skip


# The golden network. today = 2026-11-21, so the 12-month window is
# 2025-11-22 ..= 2026-11-21 (2025-11-21 is exactly 365 days ago: out).
ANN = person(
    "Ann", "core",
    entry("2025-11-21", "gave", "Boundary: exactly 365 days ago"),
    entry("2026-01-10", "received"),
)  # fmt: skip
BEN = person(
    "Ben", "core",
    entry("2025-11-22", "gave", "364 days ago: inside"),
    entry("2026-03-01", "gave", "Promised, not done", done=False),
    entry("2026-04-01", "coffee", "not a favor"),
)  # fmt: skip
CAT = person(
    "Cat", "network",
    entry("2026-02-01", "received", "Same day as my help"),
    entry("2026-02-01", "helped", "Alias of gave"),
    entry("2026-05-05", "got", "Alias of received"),
)  # fmt: skip
DAN = person(
    "Dan", "active",
    entry("2024-06-01", "received"),
    entry("2026-10-01", "received", "He will send the deck", done=False),
    entry("2026-11-21", "gave", "Open promise dated today", done=False),
)  # fmt: skip
EVE = person("Eve", "core", entry("2026-09-09", "gave", "Only a promise", done=False))
FAY = person(
    "Fay", "core",
    entry("2026-11-21", "intro", "Configured alias, dated today: inside"),
    entry("2026-12-01", "gave", "Done but dated after today"),
)  # fmt: skip
GUS = person("Gus", "network")
HAL = person("Hal", "core")
JOURNAL_ENTRY = entry("2026-06-15", "gave", "Ran a workshop for [[Gus]] and [[Hal]]", source="j.md")


def golden_sources() -> list[FavorSource]:
    return [
        *contact_favor_sources([ANN, BEN, CAT, DAN, EVE, FAY, GUS, HAL]),
        ((GUS, HAL), JOURNAL_ENTRY),  # a journal note linking two people
    ]


def test_golden_totals_and_balances() -> None:
    report = favor_report(golden_sources(), TODAY, KINDS)
    rows = {p.person.name: (p.given, p.received, p.balance) for p in report.people}
    assert rows == {
        "Ann": (1, 1, 0),
        "Ben": (1, 0, 1),  # the open promise is not counted
        "Cat": (1, 2, -1),
        "Dan": (0, 1, -1),
        "Eve": (0, 0, 0),
        "Fay": (2, 0, 2),
        "Gus": (1, 0, 1),
        "Hal": (1, 0, 1),
    }
    assert (report.total_given, report.total_received, report.balance) == (7, 4, 3)
    assert len(report.ledger) == 15
    assert [p.person.name for p in report.people] == [
        "Fay", "Dan", "Eve", "Gus", "Hal", "Cat", "Ben", "Ann",
    ]  # fmt: skip


def test_helped_in_the_last_12_months_boundary() -> None:
    report = favor_report(golden_sources(), TODAY, KINDS)
    # Ann: only at 365 days (out). Dan: only an open promise. Fay: today counts.
    assert [p.person.name for p in report.helped_recently] == ["Fay", "Gus", "Hal", "Cat", "Ben"]
    assert report.helped_recently_core == 3  # Fay, Hal, Ben
    assert report.recent_since == date(2025, 11, 22)


def test_boundary_moves_with_today() -> None:
    sources = list(contact_favor_sources([ANN]))
    assert favor_report(sources, TODAY - timedelta(days=1)).helped_recently[0].person is ANN
    assert favor_report(sources, TODAY).helped_recently == ()
    # A favor dated after today is not "in the last 12 months".
    assert favor_report(sources, date(2025, 11, 20)).helped_recently == ()


def test_gave_first_share_and_ties() -> None:
    report = favor_report(golden_sources(), TODAY, KINDS)
    first = {p.person.name: p.first_by for p in report.people}
    assert first == {
        "Ann": "you",
        "Ben": "you",
        "Cat": "both",  # gave and received on the same earliest day: nobody went first
        "Dan": "them",
        "Eve": None,  # only a promise: not in the base
        "Fay": "you",
        "Gus": "you",
        "Hal": "you",
    }
    assert (report.gave_first, report.with_done_favor) == (5, 7)
    assert report.gave_first_share == pytest.approx(5 / 7)
    cat = report.person(CAT)
    assert cat is not None and cat.first is not None
    assert (cat.first.date, cat.first.direction) == (date(2026, 2, 1), "gave")


def test_open_promises_oldest_first() -> None:
    report = favor_report(golden_sources(), TODAY, KINDS)
    assert [(f.person.name, f.date.isoformat()) for f in report.you_owe] == [
        ("Ben", "2026-03-01"),
        ("Eve", "2026-09-09"),
        ("Dan", "2026-11-21"),
    ]
    assert [(f.person.name, f.text) for f in report.owed_to_you] == [
        ("Dan", "He will send the deck")
    ]
    dan = report.person(DAN)
    assert dan is not None and len(dan.you_owe) == 1 and len(dan.owed_to_you) == 1


def test_people_to_pay_back_most_recent_first() -> None:
    report = favor_report(golden_sources(), TODAY, KINDS)
    assert [(p.person.name, p.last_received) for p in report.pay_back] == [
        ("Cat", date(2026, 5, 5)),
        ("Dan", date(2024, 6, 1)),
    ]


def test_aliases_default_and_configured() -> None:
    without_intro = favor_report(golden_sources(), TODAY)  # built-in kinds only
    fay = without_intro.person(FAY)
    assert fay is not None and fay.given == 1  # "intro" is an ordinary interaction
    assert {"helped": "gave", "got": "received"}.items() <= DEFAULT_FAVOR_KINDS.items()
    assert favor_kinds({" Intro ": "GAVE", "lent": "received"})["intro"] == "gave"


def test_journal_entry_counts_for_each_linked_person_once() -> None:
    ledger = favor_ledger([((GUS, HAL, GUS), JOURNAL_ENTRY)])
    assert [(f.person.name, f.direction) for f in ledger] == [("Gus", "gave"), ("Hal", "gave")]
    report = favor_report([((GUS, HAL), JOURNAL_ENTRY)], TODAY)
    assert (report.total_given, len(report.helped_recently), report.helped_recently_core) == (
        2,
        2,
        1,
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"intro": "gift"}, "'intro' must map to gave or received, not 'gift'"),
        ({"two words": "gave"}, "'two words' is not a log kind"),
        ({"gave": "received"}, "'gave' is a built-in kind meaning gave"),
    ],
)
def test_bad_favor_kinds_option(option: dict[str, str], message: str) -> None:
    with pytest.raises(KithError, match=re.escape(message)):
        settings_from_options({"favor_kinds": option}, TODAY, "people")


def test_favor_kinds_option_reaches_settings() -> None:
    settings = settings_from_options({"favor_kinds": {"intro": "gave"}}, TODAY, "people")
    assert settings.favor_kinds["intro"] == "gave"
    assert settings.favor_kinds["got"] == "received"


# Property: for any network, per-person balances add up to given minus received.
KIND_NAMES = ["gave", "received", "helped", "got", "intro", "coffee", ""]
entries = st.builds(
    Entry,
    date=st.dates(date(2020, 1, 1), date(2028, 12, 31)),
    kind=st.sampled_from(KIND_NAMES),
    text=st.just(""),
    done=st.booleans(),
    line=st.integers(1, 50),
    source=st.sampled_from(["a.md", "b.md", "journal/j.md"]),
)
people = st.lists(
    st.builds(
        Contact,
        src_uri=st.sampled_from([f"p{i}.md" for i in range(6)]),
        path=st.just("people/p.md"),
        name=st.sampled_from(["A", "B", "C"]),
        tier=st.sampled_from(["core", "network"]),
    ),
    min_size=1,
    max_size=6,
)
networks = st.lists(st.tuples(people.map(tuple), entries), max_size=40)


@given(networks, st.dates(date(2020, 1, 1), date(2028, 12, 31)))
def test_balances_add_up(sources: list[FavorSource], today: date) -> None:
    report = favor_report(sources, today, KINDS)
    assert sum(p.balance for p in report.people) == report.total_given - report.total_received
    assert sum(p.given for p in report.people) == report.total_given
    done = [f for f in report.ledger if f.done]
    assert report.total_given == sum(1 for f in done if f.direction == "gave")
    assert report.total_received == len(done) - report.total_given
    assert len(report.you_owe) + len(report.owed_to_you) == len(report.ledger) - len(done)
    assert report.gave_first <= report.with_done_favor <= len(report.people)
    assert all(f.date <= g.date for f, g in zip(report.ledger, report.ledger[1:], strict=False))


# End to end: a fixture project with known answers, then the demo.
FILES = {
    "Ann.md": "---\ntier: core\n---\n## Log\n\n- 2025-11-21 gave: Exactly 365 days ago.\n"
    "- 2026-01-10 received: Lent me her notes.\n",
    "Ben.md": "---\ntier: core\n---\n## Log\n\n- 2025-11-22 gave: 364 days ago.\n"
    "- [ ] 2026-03-01 gave: Send Ben the deck.\n- 2026-04-01 coffee: Not a favor.\n",
    "Cat.md": "---\ntier: network\n---\n## Log\n\n- 2026-02-01 received: Same day.\n"
    "- [x] 2026-02-01 helped: Alias of gave.\n- 2026-05-05 got: Alias of received.\n",
    "Dan.md": "---\ntier: active\n---\n## Log\n\n- 2024-06-01 received: Old help.\n"
    "- [ ] 2026-10-01 received: He will send the *deck*.\n"
    "- [ ] 2026-11-21 gave: Intro to [[Cat]].\n",
    "Eve.md": "---\ntier: core\n---\n## Log\n\n- [ ] 2026-09-09 gave: Only a promise.\n",
    "Fay.md": "---\ntier: core\n---\n## Log\n\n- 2026-11-21 intro: Introduced her to [[Ben]].\n"
    "- 2026-12-01 gave: Dated after today.\n",
}


def stat(soup: object, name: str) -> str:
    found = soup.select_one(f".kith-stat-{name} .kith-stat-value")  # type: ignore[attr-defined]
    assert found is not None, name
    return str(found.get_text(strip=True))


def test_fixture_build_figures(project: ProjectFactory) -> None:
    # Fay's done entry after today is a warning (kith check says so): not strict here.
    root = project(FILES, options={"favor_kinds": {"intro": "gave"}})
    site = build(root, strict=False)
    favors = article(site, "favors/")
    figures = {
        name: stat(favors, name)
        for name in ("helped", "helped-core", "gave-first", "given", "received", "balance",
                     "you-owe", "owed-to-you")
    }  # fmt: skip
    # Helped: Ben (364 days), Cat (alias), Fay (today, configured alias); not Ann (365 days)
    # nor Dan (open). Gave first: Ann, Ben, Fay of Ann, Ben, Cat (tie), Dan, Fay.
    assert figures == {
        "helped": "3",
        "helped-core": "2",
        "gave-first": "60%",
        "given": "5",
        "received": "4",
        "balance": "+1",
        "you-owe": "3",
        "owed-to-you": "1",
    }
    assert "gave first (3 of 5 people with a done favor)" in favors.get_text(" ", strip=True)
    assert "3 promises you owe" in favors.get_text(" ", strip=True)
    assert "1 promise owed to you" in favors.get_text(" ", strip=True)
    owe = favors.select(".kith-favors-promises")[0].select("tbody tr")
    assert [row.select("td")[1].a.get_text() for row in owe] == ["Ben", "Eve", "Dan"]
    helped = favors.select(".kith-favors-helped tbody tr")
    assert [r.td.get_text(" ", strip=True) for r in helped] == ["Fay core", "Cat", "Ben core"]
    pay_back = favors.select(".kith-favors-pay-back tbody tr")
    assert [r.td.a.get_text() for r in pay_back] == ["Cat", "Dan"]
    balances = {
        r.td.a.get_text(): [td.get_text(" ", strip=True) for td in r.select("td")[1:5]]
        for r in favors.select(".kith-favors-balance tbody tr")
    }
    assert balances["Cat"] == ["1", "2", "-1", "2026-02-01 both, same day"]
    assert balances["Dan"] == ["0", "1", "-1", "2024-06-01 they gave"]
    assert balances["Eve"] == ["0", "0", "0", ""]
    ledger = favors.select(".kith-favors-ledger tbody tr")
    assert len(ledger) == 13
    assert ledger[0].td.get_text() == "2026-12-01"  # newest first
    intro = next(r for r in ledger if "Introduced her" in r.get_text())
    assert intro.select("td")[3].a["href"] == "../people/ben/"  # the wikilink works
    deck = next(r for r in ledger if "will send" in r.get_text())
    assert deck.select_one("em").get_text() == "deck"  # the entry's Markdown is rendered
    assert "kith-favor-open" in deck["class"]

    home = article(site, "")
    assert stat(home, "helped") == "3"
    assert stat(home, "gave-first") == "60%"
    assert stat(home, "you-owe") == "3"
    assert "(2 core)" in home.select_one(".kith-stat-helped").get_text()
    promises = home.select(".kith-promises li")
    assert [li.a.get_text() for li in promises] == ["Ben", "Eve", "Dan"]
    assert home.select_one(f'a[href="{"favors/"}"]') is not None

    cat = article(site, "people/cat/").select_one(".kith-favor-balance")
    assert cat is not None
    assert cat.get_text(" ", strip=True) == "given 1 · received 2 · balance -1"
    dan = article(site, "people/dan/").select_one(".kith-promises")
    assert dan is not None
    assert [s.get_text(" ", strip=True) for s in dan.select("span")] == [
        "you owe since 2026-11-21 : Intro to Cat .",
        "owed to you since 2026-10-01 : He will send the deck .",
    ]
    assert article(site, "people/ben/").select_one(".kith-favor-balance") is not None
    assert (
        article(site, "people/eve/").select_one(".kith-favor-balance").get_text(" ", strip=True)
        == "given 0 · received 0 · balance 0"
    )


def test_no_favors_page_still_builds(project: ProjectFactory) -> None:
    site = build(project({"Solo.md": "# Solo\n\n## Log\n\n- 2026-01-01 coffee: Hi.\n"}))
    favors = article(site, "favors/")
    # No favor at all: no wall of zeros, but what the page will show and how to log one.
    assert favors.select_one(".kith-stat") is None
    assert "No favors logged yet" in favors.get_text()
    assert "gave: Introduced her to [[Name]]" in favors.get_text()
    assert article(site, "").select_one(".kith-home-favors") is None
    assert article(site, "people/solo/").select_one(".kith-favor-balance") is None


def test_demo_figures(demo_site: Path) -> None:
    favors = article(demo_site, "favors/")
    # Worked out from people/ and journal/: 13 people with a done `gave` since 2025-11-22,
    # of them Amara, Lukas, Priya and Tomasz core; 13 of the 22 people with a done favor
    # got one from you first. The journal note of 2026-09-24 adds one done `gave` that
    # links Marta and Ravi (a favor to each: +2 given), and the one of 2026-11-05 an
    # open promise to Nadia.
    assert stat(favors, "helped") == "13"
    assert stat(favors, "helped-core") == "4"
    assert stat(favors, "gave-first") == "59%"
    assert (stat(favors, "given"), stat(favors, "received"), stat(favors, "balance")) == (
        "25",
        "22",
        "+3",
    )
    owe = favors.select(".kith-favors-promises")[0].select("tbody tr")
    dates = [r.select("td")[0].get_text() for r in owe]
    assert dates == ["2026-10-02", "2026-11-05", "2026-11-08"]
    home = article(demo_site, "")
    assert (stat(home, "helped"), stat(home, "gave-first"), stat(home, "you-owe")) == (
        "13",
        "59%",
        "3",
    )
    amara = article(demo_site, "people/amara-okafor/")
    assert amara.select_one(".kith-favor-balance").get_text(" ", strip=True) == (
        "given 2 · received 1 · balance +1"
    )
    assert "incident-review template" in amara.select_one(".kith-promises").get_text()


def test_long_tables_show_the_most_recent_rows(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kith.pages.draw

    monkeypatch.setattr(kith.pages.draw, "ROW_LIMIT", 2)
    # Fay's done entry after today is a warning (kith check says so): not strict here.
    root = project(FILES, options={"favor_kinds": {"intro": "gave"}})
    site = build(root, strict=False)
    favors = article(site, "favors/")
    ledger = favors.select(".kith-favors-ledger tbody tr")
    assert [r.td.get_text() for r in ledger] == ["2026-12-01", "2026-11-21"]  # newest first
    assert len(favors.select(".kith-favors-helped tbody tr")) == 2
    more = [p.get_text(" ", strip=True) for p in favors.select(".kith-more")]
    assert "The 2 most recent of 13 favors; each person's page has theirs." in more
    assert "The 2 most recent of 3 people you helped; each person's page has theirs." in more
    # The figures still count everything.
    assert stat(favors, "given") == "5"
