"""``kith import calendar``: meetings from real calendar exports, kept in the journal's
captured notes, counted as interactions, published only as far as the people are."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import icalendar
from click.testing import CliRunner, Result
from kith.analyses.interactions import index_interactions
from kith.analyses.site import Site
from kith.cli import main
from kith.core.config import load_settings
from kith.core.directory import Directory
from kith.core.model import Contact
from kith.exchange import calendar
from kith.exchange.captured import Captured, insert_lines, merge, safe_id
from kith.reading.load import load, load_journal

from .conftest import build, write_project

CALENDARS = Path(__file__).parent / "thirdparty" / "calendar"
ZIMBRA = CALENDARS / "zimbra-recur-instances.ics"
SERIES = "623c13c0-6c2b-45d6-a12b-c33ad61c4868"


def contact(name: str, email: str = "", publish: bool = True) -> Contact:
    return Contact(f"people/{name}.md", f"people/{name}.md", name, email=email, publish=publish)


def scanned(file: Path, contacts: list[Contact], today: date, **options: object) -> calendar.Scan:
    cal = calendar.read_calendar(file.read_bytes(), file.name)
    return calendar.scan([(cal, file.name)], contacts, today, **options)  # type: ignore[arg-type]


def kith(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "site" not in p.relative_to(folder).parts
    }


# ---------------------------------------------------------------- reading the exports


def test_a_series_with_moved_and_excluded_instances_gives_one_meeting_per_occurrence() -> None:
    """Zimbra's export: RRULE, RDATEs, EXDATEs and two moved instances (one by a
    RECURRENCE-ID in UTC), attendees with folded CN parameters, the organizer matched
    by an address written in another case, an attendee by name."""
    james = contact("James Lal", "JLal@Mozilla.COM")
    sahaja = contact("Sahaja Lal")
    found = scanned(ZIMBRA, [james, sahaja], date(2013, 6, 1))
    days = [item.date for item in found.items]
    assert date(2012, 12, 4) not in days  # EXDATE
    assert date(2013, 2, 5) not in days  # EXDATE
    # The first instance moved to 15:00 the same day; the one of 5 November to the 6th.
    assert days.count(date(2012, 10, 2)) == 1
    assert days.count(date(2012, 11, 6)) == 2
    assert date(2012, 11, 5) not in days
    moved = next(i for i in found.items if i.date == date(2012, 10, 2))
    # A moved instance lists no attendees in the export: its organizer is who you met.
    assert moved.people == (james,)
    regular = next(i for i in found.items if i.date == date(2013, 1, 1))
    assert regular.people == (james, sahaja)
    assert regular.kind == "meeting"
    assert regular.text == "Crazy Event Thingy!"
    # Every occurrence has its own id: the series' UID and its original start, in UTC.
    ids = [item.source_id for item in found.items]
    assert len(set(ids)) == len(ids)
    assert f"calendar:{SERIES}:20121002T170000Z" in ids
    assert found.unknown["iam.revelation@gmail.com"] == len(found.items) - 2
    assert "calmozilla1@gmail.com" not in found.unknown  # Sahaja, matched by name


def test_declined_crowded_and_delegated() -> None:
    """khal's PARTSTAT fixture: your own DECLINED leaves the event out, as do more
    attendees than allowed; someone else's decline only leaves them out."""
    file = CALENDARS / "khal-partstat.ics"
    jane = contact("Jane Doe", "jdoe@example.com")
    other = contact("Another One", "another@example.com")
    today = date(2014, 5, 1)
    found = scanned(file, [jane, other], today)
    assert [(i.date, i.people) for i in found.items] == [(date(2014, 4, 9), (jane,))]
    mine = scanned(file, [jane, other], today, me=["Another@Example.com"])
    assert mine.items == [] and mine.left_out == {"declined": 1}
    crowded = scanned(file, [jane], today, max_attendees=5)
    assert crowded.items == [] and crowded.left_out == {"crowded": 1}
    future = scanned(file, [jane], date(2014, 4, 8))
    assert future.items == [] and future.left_out == {"future": 1}


def test_a_cancelled_instance_is_left_out() -> None:
    found = scanned(CALENDARS / "khal-recuid-cancelled.ics", [], date(2014, 8, 10))
    assert found.left_out == {"cancelled": 1, "unknown": 5}


def test_google_and_outlook_exports_all_day_events_without_attendees_are_no_meetings() -> None:
    google = scanned(CALENDARS / "google-moved-instances.ics", [], date(2023, 9, 1))
    assert google.left_out == {"all_day": 3, "unknown": 3}
    outlook = scanned(CALENDARS / "outlook-exchange-2010.ics", [], date(2024, 12, 1))
    assert outlook.left_out == {"all_day": 4, "unknown": 1}


def test_the_local_date_is_the_events_own_time_zones() -> None:
    """23:30 in Los Angeles is the next day in UTC: the meeting is on the local day."""
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS 14.0//EN\r\n"
        "BEGIN:VEVENT\r\nUID:late@example.com\r\nDTSTAMP:20240101T000000Z\r\n"
        "DTSTART;TZID=America/Los_Angeles:20240305T233000\r\n"
        "DTEND;TZID=America/Los_Angeles:20240306T000000\r\nSUMMARY:Late call\r\n"
        "ORGANIZER;CN=Jane Doe:mailto:jane@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    cal = icalendar.Calendar.from_ical(text)
    found = calendar.scan(
        [(cal, "x.ics")], [contact("Jane Doe", "jane@example.com")], date(2024, 4, 1)
    )
    assert [(i.date, i.source_id) for i in found.items] == [
        (date(2024, 3, 5), "calendar:late@example.com")
    ]


# ---------------------------------------------------------------- the captured notes


def test_imported_text_is_data_and_the_source_id_cannot_close_its_comment(tmp_path: Path) -> None:
    jane = contact("Jane Doe")
    directory = Directory([jane])
    hostile = Captured(
        date(2026, 3, 2),
        "meeting",
        "[[Evil]] <script>x</script> %% done",
        (jane,),
        "calendar:a%%b c",
    )
    merged = merge([hostile], tmp_path / "journal", tmp_path, directory)
    assert merged.files == {"journal/captured/2026-03.md": 1}
    text = (tmp_path / "journal" / "captured" / "2026-03.md").read_text(encoding="utf-8")
    line = text.splitlines()[-1]
    assert "[[Evil]]" not in line and "<script>" not in line
    assert re.search(f"%%kith:{re.escape(safe_id('calendar:a%%b c'))} [0-9a-f]{{8}}%%$", line)
    assert safe_id("calendar:a%%b c") == "calendar:a%25%25b%20c"
    notes, problems = load_journal(tmp_path / "journal", "journal/", "journal/")
    assert problems == []
    [entry] = notes[0].entries
    assert [link.target for link in entry.links] == ["Jane Doe"]
    assert "kith:" not in notes[0].body


def test_lines_go_in_date_order_among_lines_you_edited() -> None:
    text = "# x\n\n- 2026-03-01 meeting: a\n- 2026-03-09 call: mine\n"
    lines = [(date(2026, 3, 5), "- 2026-03-05 meeting: b"), (date(2026, 3, 31), "- 2026-03-31 x")]
    assert insert_lines(text, lines) == (
        "# x\n\n- 2026-03-01 meeting: a\n- 2026-03-05 meeting: b\n- 2026-03-09 call: mine\n"
        "- 2026-03-31 x\n"
    )


def test_a_name_two_people_share_is_linked_by_path(tmp_path: Path) -> None:
    one, two = contact("Alex Kim"), replace(contact("Alex Kim"), src_uri="people/work/Alex Kim.md")
    item = Captured(date(2026, 3, 2), "meeting", "Sync", (two,), "calendar:x")
    merge([item], tmp_path / "journal", tmp_path, Directory([one, two]))
    text = (tmp_path / "journal" / "captured" / "2026-03.md").read_text(encoding="utf-8")
    assert "[[people/work/Alex Kim]]" in text


# ---------------------------------------------------------------- the command, end to end


PEOPLE = {
    "James Lal.md": "---\nname: James Lal\ntier: core\nemail: JLal@Mozilla.com\n---\n# James Lal\n",
    "Sahaja Lal.md": "---\nname: Sahaja Lal\ntier: active\n---\n# Sahaja Lal\n",
    "Secret.md": (
        "---\nname: Hidden Person\ntier: core\npublish: false\n"
        "email: james@lightsofapollo.com\n---\n# Hidden Person\n"
    ),
}


def test_import_calendar_end_to_end(tmp_path: Path) -> None:
    root = write_project(tmp_path / "net", PEOPLE, {"today": "2013-06-01"})
    (root / "exports").mkdir()
    (root / "exports" / "work.ics").write_bytes(ZIMBRA.read_bytes())
    before = snapshot(root)

    dry = kith(root, "import", "calendar", str(root / "exports"), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "8 interaction(s) added with 2 people" in dry.output
    assert "6× iam.revelation@gmail.com" in dry.output
    assert "Hidden" not in dry.output and "lightsofapollo" not in dry.output
    assert dry.output.rstrip().endswith("dry run: nothing written")
    assert snapshot(root) == before

    first = kith(root, "import", "calendar", str(root / "exports" / "work.ics"))
    assert first.exit_code == 0, first.output
    assert "added 4 to journal/captured/2012-11.md" in first.output
    written = snapshot(root)
    again = kith(root, "import", "calendar", str(root / "exports"))
    assert "0 interaction(s) added with 0 people, 8 already there" in again.output
    assert snapshot(root) == written

    captured = "".join(
        p.read_text(encoding="utf-8") for p in sorted((root / "journal").rglob("*.md"))
    )
    assert "Hidden" not in captured and "Secret" not in captured
    assert captured.count("%%kith:calendar:") == 8

    # The month notes count on each line's date, never on their own (the 1st).
    settings = load_settings(root)
    network = load(root / "people", "people/", list(settings.tiers))
    notes, _ = load_journal(root / "journal", "journal/", "journal/")
    site = Site(replace(network, notes=tuple(notes)), settings)
    sahaja = next(c for c in site.people if c.name == "Sahaja Lal")
    index = index_interactions(site.entries(), site.directory)
    days = [i.date for i in index.of(sahaja)]
    assert len(days) == 6 and date(2012, 11, 1) not in days

    due = json.loads(kith(root, "due", "--json").output)
    last = {row["name"]: row["last_contact"] for row in due}
    assert last == {"James Lal": "2013-05-07"}  # Sahaja's cadence is longer

    site_dir = build(root)  # strict
    page = (site_dir / "people" / "james-lal" / "index.html").read_text(encoding="utf-8")
    assert "Crazy Event Thingy" in page
    for path in site_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"kith:calendar" not in data, path
            assert SERIES.encode() not in data, path
            assert b"Hidden Person" not in data, path
