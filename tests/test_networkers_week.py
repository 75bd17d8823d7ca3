"""The networker's week, as the site and ``kith check`` show it: the first follow-up
after meeting, birthdays on Home and in the calendar, prospects you talk to, rows you
can act from, and the typos that used to pass silently. Today is the demo's."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from icalendar import Calendar
from kith.cli import main
from kith.core.cadence import add_days

from .conftest import DEMO_TODAY, ProjectFactory, article, build, page, write_project

TODAY = date.fromisoformat(DEMO_TODAY)


def _in(days: int) -> date:
    return add_days(TODAY, days)


def test_birthdays_on_home_and_as_yearly_events_for_the_chosen_tiers(
    project: ProjectFactory,
) -> None:
    soon, later = _in(3), _in(60)
    root = project(
        {
            "Ada Core.md": f"---\ntier: core\nbirthday: 1990-{soon.month:02d}-{soon.day:02d}\n"
            "---\n",
            "Bo Active.md": f"---\ntier: active\nbirthday: {later.month:02d}-{later.day:02d}\n"
            "---\n",
            "Cy Network.md": f"---\ntier: network\nbirthday: {soon.month:02d}-{soon.day:02d}\n"
            "---\n",
            "Di Private.md": "---\ntier: core\npublish: false\nbirthday: 1980-01-01\n---\n",
        },
    )
    site = build(root)
    home = page(site, "")
    listed = [li.get_text(" ", strip=True) for li in home.select(".kith-birthdays li")]
    assert len(listed) == 2  # the next 30 days: Ada and Cy, not Bo
    assert listed[0].startswith("Ada Core") and f"turning {soon.year - 1990}" in listed[0]
    assert listed[1].startswith("Cy Network") and "turning" not in listed[1]
    calendar = Calendar.from_ical((site / "follow-ups.ics").read_bytes())
    yearly = {
        str(e["summary"]): e
        for e in calendar.walk("VEVENT")
        if str(e["uid"]).startswith("birthday")
    }
    assert set(yearly) == {"Birthday: Ada Core", "Birthday: Bo Active"}  # core and active
    ada, bo = yearly["Birthday: Ada Core"], yearly["Birthday: Bo Active"]
    assert ada["rrule"]["FREQ"] == ["YEARLY"] and ada.decoded("dtstart") == date(
        1990, soon.month, soon.day
    )
    assert bo.decoded("dtstart") == date(2000, later.month, later.day)  # no year: a leap one
    # The option chooses the tiers.
    root = project(
        {"Cy Network.md": "---\ntier: network\nbirthday: 12-04\n---\n"},
        options={"birthday_tiers": ["network"]},
    )
    calendar = Calendar.from_ical((build(root) / "follow-ups.ics").read_bytes())
    assert "Birthday: Cy Network" in [str(e["summary"]) for e in calendar.walk("VEVENT")]


def test_follow_up_rows_carry_the_ways_to_reach_out(project: ProjectFactory) -> None:
    met = _in(-30)
    root = project(
        {
            "Jane Doe.md": f"---\ntier: network\nmet: {met}\nhow_met: PyCon\n"
            "email: jane@example.com\nphone: +49 170 1234567\n"
            "linkedin: https://www.linkedin.com/in/janedoe\n---\n",
            "Evil.md": f"---\ntier: network\nmet: {met}\nemail: 'x@y\" onclick=\"alert(1)'\n"
            "linkedin: javascript:alert(1)\n---\n",
        }
    )
    site = build(root)
    rows = article(site, "follow-ups/").select("table.kith-follow-ups tbody tr")
    jane = next(r for r in rows if r.select_one("td a").get_text() == "Jane Doe")
    links = {a.get_text(): a["href"] for a in jane.select(".kith-reach a")}
    assert links == {
        "e-mail": "mailto:jane@example.com",
        "call": "tel:+491701234567",
        "LinkedIn": "https://www.linkedin.com/in/janedoe",
    }
    assert "First follow-up since you met" in " ".join(jane.get_text(" ").split())
    evil = next(r for r in rows if r.select_one("td a").get_text() == "Evil")
    assert evil.select(".kith-reach a") == []  # neither address is one to follow
    home_row = page(site, "").select_one(".kith-home-overdue .kith-reach a")
    assert home_row is not None


def test_typos_that_passed_silently_are_reported(project: ProjectFactory) -> None:
    root = project(
        {
            "Pat.md": "---\nCompany: Acme\nemial: pat@example.com\nnickname: P\n---\n\n"
            "## Log\n\n- 2026-1-5 coffee: a date written short\n"
            "- 2027-11-20 call: next year, done already?\n"
            "- [ ] 2027-11-20 call: a plan is fine\n"
            "- 10.5.2 release notes: a version, no date\n",
        }
    )
    result = CliRunner().invoke(main, ["--project", str(root), "check"])
    lines = [line.split(" — ")[0] for line in result.output.splitlines()]
    assert lines[:-1] == [
        "people/Pat.md:2:1: unknown key 'Company': did you mean 'company'?",
        "people/Pat.md:3:1: unknown key 'emial': did you mean 'email'?",
        "people/Pat.md:9:3: 2026-1-5 looks like the date of a log entry, but kith reads only"
        " YYYY-MM-DD: this line is not an entry",
        "people/Pat.md:10:1: a done log entry dated 2027-11-20, after today (2026-11-21): it"
        " counts as contact only from then",
    ]
    assert "write it 2026-01-05" in result.output


def test_people_to_meet_shows_what_happened_since(project: ProjectFactory) -> None:
    root = project(
        {
            "Tom Quinn.md": "---\ntier: prospect\nreason_to_meet: his OSS project\n---\n\n"
            f"## Log\n\n- {_in(-120)} call: first chat about the project\n"
            f"- {_in(-100)} coffee: walked through our use case\n",
            "Uma Vale.md": "---\ntier: prospect\nreason_to_meet: a talk she gave\n---\n",
        }
    )
    site = build(root)
    body = article(site, "to-meet/")
    sections = {s.select_one("h3 a").get_text(): s for s in body.select(".kith-prospect")}
    tom = " ".join(sections["Tom Quinn"].get_text(" ").split())
    assert f"In touch since: 2 entries in their log, the last {_in(-100)} (coffee)" in tom
    assert "write to them directly" not in tom and not sections["Tom Quinn"].select("blockquote")
    assert "write to them directly" in sections["Uma Vale"].get_text(" ")
    # Tom has follow-ups now, as someone active; Uma none.
    due = [r.select_one("td a").get_text() for r in article(site, "follow-ups/").select("tbody tr")]
    assert "Tom Quinn" in due and "Uma Vale" not in due


def test_a_new_role_found_in_git_is_a_reason_to_congratulate(tmp_path: Path) -> None:
    from .test_history import commit, init

    root = tmp_path / "p"
    init(root)
    write_project(root, {"Jane Doe.md": "---\ntier: core\ncompany: Acme\nrole: Engineer\n---\n"})
    jane = root / "people" / "Jane Doe.md"
    jane.write_text(jane.read_text("utf-8") + "\n## Log\n\n- 2026-08-01 call: hi\n", "utf-8")
    commit(root, "Add Jane", "2026-08-01T10:00:00+00:00")
    jane.write_text(jane.read_text("utf-8").replace("Acme", "Globex"), "utf-8")
    commit(root, "Jane moved", "2026-11-10T10:00:00+00:00")  # 11 days before today
    site = build(root)
    row = next(
        r
        for r in article(site, "follow-ups/").select("table.kith-follow-ups tbody tr")
        if r.select_one("td a").get_text() == "Jane Doe"
    )
    assert "New company Acme → Globex since 2026-11-10: congratulate them" in " ".join(
        row.get_text(" ").split()
    )
    result = CliRunner().invoke(main, ["--project", str(root), "due", "--json"])
    (record,) = [r for r in json.loads(result.output) if r["name"] == "Jane Doe"]
    assert record["reason"]["kind"] == "news"
