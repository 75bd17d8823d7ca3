"""Follow-ups: golden figures worked out by hand, the calendar feed, real builds and the demo.

The small network below, on 2026-11-21 with the default tiers (core 30 days,
active 90, network 365, prospects none) and due_soon 14 days:

| person | last contact | cadence | due | days late | lateness |
| --- | --- | --- | --- | --- | --- |
| Dan Never | none | 365 | today (never contacted) | | first |
| Abe Tie | 2026-09-22 (own log) | 30 | 2026-10-22 | 30 | 1 |
| Ann Core | 2026-09-22 (own log) | 30 | 2026-10-22 | 30 | 1 |
| Zed Quarter | 2026-05-25 (own log) | 90 | 2026-08-23 | 90 | 1 |
| Bob Active | 2026-07-24 (a call in Ann's log) | 90 | 2026-10-22 | 30 | 1/3 |
| Cat Net | 2025-08-23 (met) | 365 | 2026-08-23 | 90 | 90/365 |
| Eve Promise | 2026-10-22 (open promise of 11-20 ignored) | 30 | 2026-11-21 | 0 | due soon |
| Fay Soon | 2026-08-27 (a favor) | 90 | 2026-11-25 | | due soon |
| Ivy Snooze | 2026-06-01 | 30 | 2026-11-28 (next_follow_up) | | due soon |
| Gus Boundary | 2026-09-06 | 90 | 2026-12-05 (exactly 14 days) | | due soon |
| Hal Outside | 2026-09-07 | 90 | 2026-12-06 (15 days) | | later |
| Jon Archived, Kim Never, Leo Prospect | | none | | | not listed |
| Pat Private (publish: false) | | | | | nowhere |
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar, Event
from kith.analyses.followups import (
    FollowUp,
    FollowUpReport,
    describe_reason,
    follow_up_record,
    follow_ups,
    next_birthday,
)
from kith.analyses.interactions import contact_entries, index_interactions
from kith.cli import main
from kith.core.cadence import add_days
from kith.core.config import Settings
from kith.core.directory import Directory
from kith.core.model import Contact, Entry, Link
from kith.pages import calendar_feed
from kith.pages.calendar_feed import follow_up_calendar
from kith.reading.load import load

from .conftest import DEMO_TODAY, ProjectFactory, article, build, page

TODAY = date(2026, 11, 21)


def person(front: str, log: str = "") -> str:
    return f"---\n{front.strip()}\n---\n\nNotes.\n\n## Log\n\n{log.strip()}\n"


NETWORK = {
    "Abe Tie.md": person("tier: core", "- 2026-09-22 coffee: Talked shop."),
    "Ann Core.md": person(
        "tier: core",
        "- 2026-09-22 coffee: Her new team.\n- 2026-07-24 call: Caught up with [[Bob]] too.",
    ),
    "Zed Quarter.md": person("tier: active", "- 2026-05-25 lunch: Quarterly lunch."),
    "Bob Active.md": person("aliases: [Bob]\ntier: active", "- 2026-05-01 coffee: An old one."),
    "Cat Net.md": person("tier: network\nmet: 2025-08-23\nbirthday: 1990-11-30"),
    "Dan Never.md": person("tier: network"),
    "Eve Promise.md": person(
        "tier: core",
        "- 2026-10-22 call: Quick call.\n- [ ] 2026-11-20 gave: Send her the deck.",
    ),
    "Fay Soon.md": person(
        "tier: active",
        "- 2026-08-27 gave: Introduced her to a recruiter.\n"
        "- [ ] 2026-11-15 lunch: Lunch with [[Cat Net]] next week.",
    ),
    "Ivy Snooze.md": person(
        "tier: core\nnext_follow_up: 2026-11-28", "- 2026-06-01 coffee: Long ago."
    ),
    "Gus Boundary.md": person("tier: active", "- 2026-09-06 email: Sent the notes."),
    "Hal Outside.md": person("tier: active", "- 2026-09-07 email: Sent the notes."),
    "Jon Archived.md": person(
        "tier: core\narchived: true\nnext_follow_up: 2026-11-25", "- 2025-01-01 coffee: Old."
    ),
    "Kim Never.md": person("tier: core\nfollow_up: never\nmet: 2020-01-01"),
    "Leo Prospect.md": person("tier: prospect\nreason_to_meet: Open-source project"),
    "Pat Private.md": person("tier: core\npublish: false"),
}
OVERDUE = ["Dan Never", "Abe Tie", "Ann Core", "Zed Quarter", "Bob Active", "Cat Net"]
DUE_SOON = ["Eve Promise", "Fay Soon", "Ivy Snooze", "Gus Boundary"]


def load_network(tmp_path: Path, files: dict[str, str] = NETWORK) -> tuple[Contact, ...]:
    folder = tmp_path / "people"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    network = load(folder, "people/")
    assert not network.problems
    return network.published


def report_of(
    contacts: tuple[Contact, ...],
    journal: list[Entry] | None = None,
    today: date = TODAY,
) -> FollowUpReport:
    directory = Directory(contacts)
    pairs: list[tuple[Contact | None, Entry]] = list(contact_entries(contacts))
    pairs += [(None, entry) for entry in journal or []]
    index = index_interactions(pairs, directory)
    # The cadence rules alone: the first follow-up after meeting has tests of its own.
    return follow_ups(contacts, index, Settings(today=today, first_follow_up=0))


@pytest.fixture
def report(tmp_path: Path) -> FollowUpReport:
    return report_of(load_network(tmp_path))


def names(rows: tuple[object, ...]) -> list[str]:
    return [row.contact.name for row in rows]  # type: ignore[attr-defined]


def test_overdue_ranked_never_contacted_first_then_lateness_then_name(
    report: FollowUpReport,
) -> None:
    assert names(report.overdue) == OVERDUE
    lateness = {f.contact.name: (f.days_late, round(f.lateness, 4)) for f in report.overdue}
    assert lateness == {
        "Dan Never": (0, 0.0),
        "Abe Tie": (30, 1.0),
        "Ann Core": (30, 1.0),
        "Zed Quarter": (90, 1.0),
        "Bob Active": (30, 0.3333),
        "Cat Net": (90, 0.2466),
    }
    assert report.overdue[0].never_contacted


def test_due_soon_by_date_with_the_boundary_at_exactly_due_soon_days(
    report: FollowUpReport,
) -> None:
    assert names(report.due_soon) == DUE_SOON
    assert [f.due for f in report.due_soon] == [
        date(2026, 11, 21),
        date(2026, 11, 25),
        date(2026, 11, 28),
        date(2026, 12, 5),
    ]
    hal = next(f for f in report.states.values() if f.contact.name == "Hal Outside")
    assert hal.due == date(2026, 12, 6) and hal.status == "later"
    assert names(report.ranked) == OVERDUE + DUE_SOON


def test_due_soon_window_follows_the_setting(tmp_path: Path) -> None:
    contacts = load_network(tmp_path)
    index = index_interactions(contact_entries(contacts), Directory(contacts))
    wider = follow_ups(contacts, index, Settings(today=TODAY, due_soon=15))
    assert names(wider.due_soon) == [*DUE_SOON, "Hal Outside"]


def test_next_follow_up_overrides_the_cadence(report: FollowUpReport) -> None:
    ivy = next(f for f in report.states.values() if f.contact.name == "Ivy Snooze")
    # Without the snooze she would be 2026-07-01, long overdue.
    assert (ivy.last_contact, ivy.due, ivy.overdue) == (date(2026, 6, 1), date(2026, 11, 28), False)


def test_mentions_in_other_logs_count_and_open_entries_do_not(report: FollowUpReport) -> None:
    state = {f.contact.name: f for f in report.states.values()}
    assert (state["Bob Active"].last_contact, state["Bob Active"].last_source) == (
        date(2026, 7, 24),
        "log",
    )
    # Eve's own open promise (11-20) and Fay's planned lunch with Cat (11-15) are not contact.
    assert state["Eve Promise"].last_contact == date(2026, 10, 22)
    assert (state["Cat Net"].last_contact, state["Cat Net"].last_source) == (
        date(2025, 8, 23),
        "met",
    )
    # A favor is contact too.
    assert state["Fay Soon"].last_contact == date(2026, 8, 27)


def test_journal_entries_count_for_everyone_they_link(tmp_path: Path) -> None:
    contacts = load_network(tmp_path)
    note = Entry(
        date(2026, 11, 1), "journal", "", True, 0, "journal/2026-11-01.md", (Link("Cat Net", 3),)
    )
    state = report_of(contacts, [note]).states["Cat Net.md"]
    assert (state.last_contact, state.due, state.overdue) == (
        date(2026, 11, 1),
        date(2026, 11, 30),  # a year on, but her birthday is near: due then
        False,
    )


def test_archived_never_and_prospects_have_no_follow_ups(report: FollowUpReport) -> None:
    listed = {f.contact.name for f in report.ranked}
    for name in ("Jon Archived", "Kim Never", "Leo Prospect"):
        state = report.states[f"{name}.md"]
        assert (state.cadence, state.due, state.status) == (0, None, "none")
        assert name not in listed
    assert "Pat Private.md" not in report.states


def test_reasons_promise_then_birthday_then_last_topic(report: FollowUpReport) -> None:
    state = report.states
    eve = state["Eve Promise.md"].reason
    assert eve is not None and (eve.kind, eve.date, eve.text) == (
        "promise",
        date(2026, 11, 20),
        "Send her the deck.",
    )
    cat = state["Cat Net.md"].reason
    assert cat is not None and (cat.kind, cat.date) == ("birthday", date(2026, 11, 30))
    bob = state["Bob Active.md"].reason
    assert bob is not None and (bob.kind, bob.entry_kind, bob.text) == (
        "last",
        "call",
        "Caught up with [[Bob]] too.",
    )
    assert describe_reason(bob) == "Last time (call), 2026-07-24: Caught up with Bob too."
    assert state["Dan Never.md"].reason is None


def test_next_birthday_wraps_the_year_and_handles_29_february() -> None:
    assert next_birthday(date(1990, 11, 21), TODAY) == date(2026, 11, 21)
    assert next_birthday(date(1990, 1, 5), TODAY) == date(2027, 1, 5)
    assert next_birthday(date(1992, 2, 29), TODAY) == date(2027, 2, 28)


def test_json_record(report: FollowUpReport) -> None:
    record = follow_up_record(report.states["Bob Active.md"])
    assert record == {
        "name": "Bob Active",
        "slug": "bob-active",
        "path": "people/Bob Active.md",
        "tier": "active",
        "email": "",
        "phone": "",
        "linkedin": "",
        "status": "overdue",
        "never_contacted": False,
        "last_contact": "2026-07-24",
        "days_since": 120,
        "cadence_days": 90,
        "due": "2026-10-22",
        "days_late": 30,
        "lateness": 0.333,
        "reason": {
            "kind": "last",
            "date": "2026-07-24",
            "entry_kind": "call",
            "text": "Caught up with [[Bob]] too.",
        },
    }
    json.dumps(record)


def test_calendar_feed_parses_back_with_one_event_per_follow_up(report: FollowUpReport) -> None:
    feed = Calendar.from_ical(follow_up_calendar(report, {"Ann Core.md": "https://x.test/ann/"}))
    assert str(feed["version"]) == "2.0" and feed["prodid"]
    events = {str(e["uid"]): e for e in feed.walk("VEVENT")}
    expected_days = {
        **{name: TODAY for name in OVERDUE},
        "Eve Promise": date(2026, 11, 21),
        "Fay Soon": date(2026, 11, 25),
        "Ivy Snooze": date(2026, 11, 28),
        "Gus Boundary": date(2026, 12, 5),
        "Hal Outside": date(2026, 12, 6),
    }
    assert set(events) == {
        f"follow-up-{name.lower().replace(' ', '-')}@kith" for name in expected_days
    }
    for name, day in expected_days.items():
        event = events[f"follow-up-{name.lower().replace(' ', '-')}@kith"]
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert not isinstance(start, datetime), "all-day events carry a DATE"
        assert (start, (end - start).days) == (day, 1)
        assert str(event["summary"]) == f"Follow up with {name}"
        stamp = event.decoded("dtstamp")
        assert (stamp.date(), stamp.utcoffset()) == (TODAY, timedelta(0))
    assert str(events["follow-up-ann-core@kith"]["url"]) == "https://x.test/ann/"
    assert "url" not in events["follow-up-bob-active@kith"]
    # By default an event holds no log text (it leaves for a calendar service); asked, it does.
    assert "Caught up" not in str(events["follow-up-bob-active@kith"]["description"])
    assert "Never contacted." in str(events["follow-up-dan-never@kith"]["description"])
    detailed = Calendar.from_ical(follow_up_calendar(report, details=True))
    bob = next(e for e in detailed.walk("VEVENT") if str(e["uid"]) == "follow-up-bob-active@kith")
    assert "Caught up with Bob too." in str(bob["description"])


def test_calendar_uids_are_stable_from_day_to_day(tmp_path: Path) -> None:
    contacts = load_network(tmp_path)
    first = Calendar.from_ical(follow_up_calendar(report_of(contacts)))
    later = Calendar.from_ical(follow_up_calendar(report_of(contacts, today=date(2026, 11, 30))))
    uids_first = {str(e["uid"]) for e in first.walk("VEVENT")}
    uids_later = {str(e["uid"]) for e in later.walk("VEVENT")}
    assert "follow-up-ann-core@kith" in uids_first & uids_later


# --- the feed's events, written without building an icalendar Event -------------------


def reference_event(fields: tuple[str, datetime, date, str, str, str, str]) -> bytes:
    """An event the plain icalendar way, as ``calendar_feed`` wrote it before it went fast."""
    uid, stamp, day, summary, description, tier, url = fields
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", [tier])
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    written: bytes = event.to_ical()
    return written


def reference_calendar(
    report: FollowUpReport, person_urls: dict[str, str], details: bool = False
) -> bytes:
    """The whole feed as ``calendar_feed`` wrote it before, each event a plain ``Event``."""
    calendar = Calendar()
    calendar.add("prodid", "-//kith//Follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Follow-ups")
    stamp = datetime.combine(report.today, time(), tzinfo=UTC)
    events = []
    for follow_up in report.upcoming(calendar_feed.HORIZON_DAYS):
        assert follow_up.due is not None
        fields = (
            calendar_feed.event_uid(follow_up),
            stamp,
            report.today if follow_up.overdue else follow_up.due,
            f"Follow up with {follow_up.contact.name}",
            calendar_feed._description(follow_up, details),
            follow_up.contact.tier,
            person_urls.get(follow_up.contact.src_uri, ""),
        )
        events.append(reference_event(fields))
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    written: bytes = head + b"".join(events) + b"END:VCALENDAR" + end
    return written


def fast_event(fields: tuple[str, datetime, date, str, str, str, str]) -> bytes:
    return calendar_feed._event(fields, {})  # written now, not remembered


STAMP = datetime(2026, 11, 21, tzinfo=UTC)
LONG = "Maximilian Alexander von Hohenzollern-Sigmaringen der Dritte und Letzte"
AWKWARD = [
    "Ann",
    "",
    LONG,
    LONG + LONG,
    "Smith, John; Jr.",
    "back\\slash \\N and \\n and \\, and \\\\",
    "two\nlines\r\nand\ra return",
    "Zoë Ünal-Åström 🎉👩‍👩‍👧 Ægir Ørsted Œuvre ß ﬁ",
    "a^b^^c^ caret ^^ names ^",
    "🎉" * 40,
    "é" * 80,
    ",;\\" * 40,
]


@pytest.mark.parametrize("name", AWKWARD)
@pytest.mark.parametrize("url", ["", "https://x.test/people/ann/", "https://x.test/" + "é^\\" * 40])
def test_fast_events_are_the_bytes_icalendar_writes(name: str, url: str) -> None:
    fields = (
        f"follow-up-{name.lower()}@kith",
        STAMP,
        date(2026, 11, 21),
        f"Follow up with {name}",
        f"Overdue since 2026-10-22 (30 days).\nCadence: every month.\n{name} said: {name}",
        name or "core",
        url,
    )
    assert fast_event(fields) == reference_event(fields)


@pytest.mark.parametrize("alphabet", ["ab ,;\\^\n\r", "ab ,;\\^\néü🎉\tN"])
def test_fast_events_fold_every_line_length_like_icalendar(alphabet: str) -> None:
    """Random names of every length around one, two and three folds, escapes at each cut."""
    chance = random.Random(f"fold {alphabet}")
    for length in range(0, 240):
        name = "".join(chance.choice(alphabet) for _ in range(length))
        url = "".join(chance.choice("ab^\\%é") for _ in range(length)) if length % 3 else ""
        day = date(2026, 11, 21) + timedelta(days=length % 5)
        fields = (f"uid-{name}", STAMP, day, name, name + name, name[:9], url)
        assert fast_event(fields) == reference_event(fields), repr(fields)


def test_whole_feed_is_the_bytes_icalendar_writes(tmp_path: Path) -> None:
    awkward = {
        f"Awkward {index}.md": person(f"name: {json.dumps(name, ensure_ascii=False)}\ntier: core")
        for index, name in enumerate(AWKWARD)
        if name and "\r" not in name
    }
    contacts = load_network(tmp_path, {**NETWORK, **awkward})
    report = report_of(contacts)
    urls = {c.src_uri: f"https://x.test/{c.slug}/" for c in contacts if c.name < "M"}
    assert len(report.upcoming(calendar_feed.HORIZON_DAYS)) > len(awkward)
    memo: calendar_feed.EventMemo = {}
    assert follow_up_calendar(report, urls, memo) == reference_calendar(report, urls)
    # Again from the memo of events, as a ``mkdocs serve`` rebuild writes it.
    assert memo
    assert follow_up_calendar(report, urls, memo) == reference_calendar(report, urls)
    # With the details (reasons) too.
    assert follow_up_calendar(report, urls, {}, details=True) == reference_calendar(
        report, urls, details=True
    )


def table_names(table: object) -> list[str]:
    return [row.select_one("td a").get_text() for row in table.select("tbody tr")]  # type: ignore[attr-defined]


def test_built_page_home_card_people_and_feed(project: ProjectFactory) -> None:
    root = project(NETWORK, options={"first_follow_up": 0})  # the cadence rules alone
    site = build(root)
    body = article(site, "follow-ups/")
    overdue, due_soon = body.select("table.kith-follow-ups")
    assert table_names(overdue) == OVERDUE
    assert table_names(due_soon) == DUE_SOON
    bob_row = overdue.select("tbody tr")[4]
    cells = [td.get_text(" ", strip=True) for td in bob_row.select("td")]
    assert cells == [
        "Bob Active",
        "active",
        "2026-07-24 120 days ago",
        "every 3 months",
        "2026-10-22 30 days ago",
        "Last time (call): Caught up with Bob too.",
    ]
    assert bob_row.select_one("td:last-child a")["href"] == "../people/bob-active/"
    feed_link = body.select_one("a.kith-feed")
    assert feed_link is not None and feed_link["href"] == "../follow-ups.ics"
    assert "Pat Private" not in body.get_text()

    calendar = Calendar.from_ical((site / "follow-ups.ics").read_bytes())
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert len(summaries) == 11 and "Follow up with Pat Private" not in summaries

    home = article(site, "")
    assert table_names(home.select_one("table.kith-home-overdue")) == OVERDUE[:5]
    assert [a.get_text() for a in home.select("ul.kith-due-soon a")] == DUE_SOON
    recent = [li.get_text(" ", strip=True) for li in home.select("ul.kith-recent li")]
    assert recent == ["2026-10-22 call Eve Promise : Quick call."]

    card = article(site, "people/ivy-snooze/").select_one(".kith-card")
    assert card is not None
    assert card.select_one(".kith-next-due").get_text(" ", strip=True) == (
        "2026-11-28 · in 7 days · due soon"
    )
    ann = article(site, "people/ann-core/").select_one(".kith-next-due")
    assert ann is not None and "overdue by 30 days" in ann.get_text()
    assert ann.select_one(".kith-overdue") is not None

    people = article(site, "people/")
    row = next(r for r in people.select("tbody tr") if r.select_one("a").get_text() == "Bob Active")
    assert row.select("td")[-1].get_text() == "2026-07-24"


def test_kith_due_prints_the_same_ranking(project: ProjectFactory) -> None:
    root = project(NETWORK, options={"first_follow_up": 0})  # the cadence rules alone
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(root), "due", "--json"])
    assert result.exit_code == 0, result.output
    assert [r["name"] for r in json.loads(result.output)] == OVERDUE + DUE_SOON

    core = runner.invoke(main, ["--project", str(root), "due", "--tier", "core", "--limit", "2"])
    assert core.exit_code == 0, core.output
    lines = core.output.splitlines()
    assert lines[0].split() == [
        "Name", "Tier", "Last", "contact", "Cadence", "Due", "Reach", "Reason"
    ]  # fmt: skip
    assert [line.split()[1:3] for line in lines[1:]] == [["Abe", "Tie"], ["Ann", "Core"]]

    bad = runner.invoke(main, ["--project", str(root), "due", "--tier", "vip"])
    assert bad.exit_code == 2 and "unknown tier 'vip'" in bad.output


def test_demo_follow_ups_page_and_kith_due_agree(demo_site: Path) -> None:
    rows = article(demo_site, "follow-ups/").select("table.kith-follow-ups tbody tr")
    on_page = [(row.select_one("td a").get_text(), row["data-status"]) for row in rows]
    result = CliRunner().invoke(main, ["--project", str(demo_site.parent), "due", "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert on_page == [(r["name"], r["status"]) for r in records]
    # Worked out by hand from people/ and journal/ on the demo's today.
    assert DEMO_TODAY == "2026-11-21"
    assert [r["name"] for r in records if r["status"] == "overdue"] == [
        "Arjun Mehta",
        "Daniel Mensah",
        "Ines Carvalho",
        "Camille Laurent",
        "Lukas Brandt",
        "Hannah Vogel",
    ]
    calendar = Calendar.from_ical((demo_site / "follow-ups.ics").read_bytes())
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert "Follow up with Viktor Lindqvist" not in summaries  # publish: false
    assert summaries[: len(records)] == [f"Follow up with {r['name']}" for r in records]
    assert page(demo_site, "").select_one("a[href='follow-ups/']") is not None


def test_journal_notes_count_on_the_page_and_in_kith_due(project: ProjectFactory) -> None:
    note = "# Meetup\n\nTalked to [[Cat Net]] about her new job.\n"
    root = project(NETWORK, extra_files={"journal/2026-11-01.md": note})
    rows = article(build(root), "follow-ups/").select("table.kith-follow-ups tbody tr")
    on_page = [row.select_one("td a").get_text() for row in rows]
    result = CliRunner().invoke(main, ["--project", str(root), "due", "--json"])
    assert result.exit_code == 0, result.output
    assert on_page == [r["name"] for r in json.loads(result.output)]
    # Cat Net is no longer overdue (the note counts as contact); her birthday on
    # 2026-11-30 is near, so she is due soon, then.
    soon = ["Eve Promise", "Fay Soon", "Ivy Snooze", "Cat Net", "Gus Boundary"]
    assert on_page == [name for name in OVERDUE if name != "Cat Net"] + soon


def test_contact_on_or_after_next_follow_up_fulfils_it(tmp_path: Path) -> None:
    files = {
        "Sam Seen.md": person(
            "tier: core\nnext_follow_up: 2026-10-01", "- 2026-11-10 coffee: We met after all."
        ),
        "Sue Snoozed.md": person(
            "tier: core\nnext_follow_up: 2026-10-01", "- 2026-09-30 coffee: Just before."
        ),
    }
    report = report_of(load_network(tmp_path, files))
    sam, sue = report.states["Sam Seen.md"], report.states["Sue Snoozed.md"]
    assert (sam.due, sam.status) == (date(2026, 12, 10), "later")
    assert (sue.due, sue.days_late, sue.status) == (date(2026, 10, 1), 51, "overdue")


# ---------------------------------------------------------------- the networker's week


def _one(text: str, tmp_path: Path, today: date = TODAY, **settings: object) -> FollowUp:
    (contact,) = load_network(tmp_path, {"Pat.md": text})
    index = index_interactions(list(contact_entries((contact,))), Directory((contact,)))
    report = follow_ups((contact,), index, Settings(today=today, **settings))  # type: ignore[arg-type]
    state = report.of(contact)
    assert state is not None
    return state


def test_someone_met_and_not_contacted_since_is_due_after_the_first_follow_up(
    tmp_path: Path,
) -> None:
    met = add_days(TODAY, -20)
    text = f"---\ntier: network\nmet: {met}\nhow_met: PyCon hallway\n---\n"
    state = _one(text, tmp_path)
    assert state.due == add_days(met, 14) and state.overdue  # not met + a year
    assert state.reason is not None and state.reason.kind == "first"
    assert describe_reason(state.reason) == f"First follow-up since you met, {met} (PyCon hallway)"
    # Once logged, the tier's cadence takes over.
    logged = text + f"\n## Log\n\n- {add_days(met, 3)} coffee: follow-up\n"
    assert _one(logged, tmp_path / "b").due == add_days(met, 3 + 365)
    # The option sets the days; 0 turns it off.
    assert _one(text, tmp_path / "c", first_follow_up=7).due == add_days(met, 7)
    assert _one(text, tmp_path / "d", first_follow_up=0).due == add_days(met, 365)
    # A tier without follow-ups gets none (an import's unsorted people, prospects).
    assert _one(text.replace("network", "unsorted"), tmp_path / "e").due is None


def test_a_near_birthday_brings_the_follow_up_forward(tmp_path: Path) -> None:
    last = add_days(TODAY, -100)
    soon = add_days(TODAY, 5)
    text = (
        f"---\ntier: network\nbirthday: {soon.month:02d}-{soon.day:02d}\n---\n\n"
        f"## Log\n\n- {last} call: hi\n"
    )
    state = _one(text, tmp_path)
    assert state.due == soon and state.due_soon
    assert state.reason is not None and state.reason.kind == "birthday"
    far = add_days(TODAY, 40)
    later = text.replace(f"{soon.month:02d}-{soon.day:02d}", f"{far.month:02d}-{far.day:02d}")
    assert _one(later, tmp_path / "b").due == add_days(last, 365)


def test_a_prospect_you_have_been_in_touch_with_gets_follow_ups(tmp_path: Path) -> None:
    text = "---\ntier: prospect\nreason_to_meet: shared OSS project\n---\n"
    assert _one(text, tmp_path).due is None  # not met yet: no follow-ups
    talked = add_days(TODAY, -100)
    warm = _one(text + f"\n## Log\n\n- {talked} call: first chat\n", tmp_path / "b")
    assert warm.cadence == 90 and warm.due == add_days(talked, 90) and warm.overdue
    planned = text + f"\n## Log\n\n- [ ] {talked} call: to do\n"
    assert _one(planned, tmp_path / "c").due is None  # a plan is not contact
