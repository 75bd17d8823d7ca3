"""A calendar imported again after its events changed: a moved or renamed event (same
``UID``, and same ``RECURRENCE-ID`` for an instance of a series) ends on its new date
only, a cancelled one goes, a third import changes nothing, and a line you edited is
kept and listed, never rewritten or removed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner, Result
from kith.cli import main

from .conftest import write_project

PEOPLE = {"Jane Doe.md": "---\ntier: active\nemail: jane@example.com\n---\n"}
ME = ("--me", "me@example.com")


def event(start: str, summary: str, extra: str = "", uid: str = "sync-1@example.com") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:{start}\r\nDTEND:{start[:9]}235900Z\r\nSUMMARY:{summary}\r\n{extra}"
        "ORGANIZER;CN=Me:mailto:me@example.com\r\n"
        "ATTENDEE;CN=Jane Doe;PARTSTAT=ACCEPTED:mailto:Jane@Example.com\r\nEND:VEVENT\r\n"
    )


def calendar(*events: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
        + "".join(events)
        + "END:VCALENDAR\r\n"
    )


def kith(root: Path, export: Path, text: str, *args: str) -> Result:
    export.write_text(text, encoding="utf-8")
    command = ["--project", str(root), "import", "calendar", str(export), *ME, *args]
    result = CliRunner().invoke(main, command, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def entries(root: Path) -> dict[str, list[str]]:
    """Note → its entries, without their source-id comments."""
    folder = root / "journal" / "captured"
    return {
        p.name: [line.split(" %%")[0] for line in p.read_text().splitlines() if line[:2] == "- "]
        for p in sorted(folder.glob("*.md"))
    }


def snapshot(root: Path) -> dict[str, str]:
    folder = root / "journal" / "captured"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.md")}


def test_a_moved_and_renamed_event_ends_on_its_new_date_only(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", PEOPLE)
    export = tmp_path / "calendar.ics"
    kith(root, export, calendar(event("20261005T090000Z", "Sync")))
    assert entries(root) == {"2026-10.md": ["- 2026-10-05 meeting: Sync — [[Jane Doe]]"]}

    moved = calendar(event("20261103T090000Z", "Sync (moved)"))
    dry = kith(root, export, moved, "--dry-run")
    assert "would remove 1 from journal/captured/2026-10.md" in dry.output
    assert entries(root)["2026-10.md"] == ["- 2026-10-05 meeting: Sync — [[Jane Doe]]"]

    result = kith(root, export, moved)
    lines = result.output.splitlines()
    assert lines[0].startswith("0 interaction(s) added with 0 people, 0 already there")
    assert "changed in the export: 1 moved or renamed (their lines rewritten)" in lines[1]
    assert "removed 1 from journal/captured/2026-10.md" in lines
    assert "added 1 to journal/captured/2026-11.md" in lines
    assert entries(root) == {
        "2026-10.md": [],
        "2026-11.md": ["- 2026-11-03 meeting: Sync (moved) — [[Jane Doe]]"],
    }
    # Renamed on the same day: replaced where it is, the other lines untouched.
    before = (root / "journal" / "captured" / "2026-11.md").read_text()
    kith(root, export, calendar(event("20261103T090000Z", "Sync, final")))
    after = (root / "journal" / "captured" / "2026-11.md").read_text()
    assert entries(root)["2026-11.md"] == ["- 2026-11-03 meeting: Sync, final — [[Jane Doe]]"]
    assert after.split("- 2026-11-03")[0] == before.split("- 2026-11-03")[0]

    files = snapshot(root)
    again = kith(root, export, calendar(event("20261103T090000Z", "Sync, final")))
    assert again.output.startswith("0 interaction(s) added with 0 people, 1 already there")
    assert "changed" not in again.output
    assert snapshot(root) == files


def test_a_moved_instance_of_a_series_keeps_one_line(tmp_path: Path) -> None:
    """The third weekly instance, moved from Monday to Wednesday by a ``RECURRENCE-ID``
    in a later export: its Monday line goes, the others stay."""
    root = write_project(tmp_path / "p", PEOPLE)
    export = tmp_path / "calendar.ics"
    series = event("20261005T090000Z", "Weekly", "RRULE:FREQ=WEEKLY;COUNT=4\r\n", "w@example.com")
    kith(root, export, calendar(series))
    days = [line[2:12] for line in entries(root)["2026-10.md"]]
    assert days == ["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"]

    moved = event(
        "20261021T090000Z", "Weekly", "RECURRENCE-ID:20261019T090000Z\r\n", "w@example.com"
    )
    result = kith(root, export, calendar(series, moved))
    assert "1 moved or renamed" in result.output
    days = [line[2:12] for line in entries(root)["2026-10.md"]]
    assert days == ["2026-10-05", "2026-10-12", "2026-10-21", "2026-10-26"]
    files = snapshot(root)
    assert "1 moved" not in kith(root, export, calendar(series, moved)).output
    assert snapshot(root) == files


def test_an_event_cancelled_later_loses_its_line(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", PEOPLE)
    export = tmp_path / "calendar.ics"
    kith(
        root,
        export,
        calendar(event("20261005T090000Z", "Sync"), event("20261006T090000Z", "Other", uid="o@x")),
    )
    cancelled = calendar(
        event("20261005T090000Z", "Sync", "STATUS:CANCELLED\r\n"),
        event("20261006T090000Z", "Other", uid="o@x"),
    )
    result = kith(root, export, cancelled)
    assert "0 moved or renamed (their lines rewritten), 1 cancelled (their lines removed)" in (
        result.output
    )
    assert entries(root) == {"2026-10.md": ["- 2026-10-06 meeting: Other — [[Jane Doe]]"]}
    files = snapshot(root)
    again = kith(root, export, cancelled)
    assert "cancelled (their" not in again.output and snapshot(root) == files


def test_a_line_you_edited_is_kept_and_listed(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", PEOPLE)
    export = tmp_path / "calendar.ics"
    kith(
        root,
        export,
        calendar(event("20261005T090000Z", "Sync"), event("20261006T090000Z", "Lunch", uid="l@x")),
    )
    note = root / "journal" / "captured" / "2026-10.md"
    text = note.read_text().replace("Sync — [[Jane Doe]]", "Sync — [[Jane Doe]], she starts in May")
    # A line written before lines had a checksum counts as edited too.
    text = text.replace(
        text[text.index("%%kith:calendar:l@x") :].split("%%")[1], "kith:calendar:l@x"
    )
    note.write_text(text)
    moved = calendar(
        event("20261103T090000Z", "Sync (moved)"),
        event("20261006T090000Z", "Lunch", "STATUS:CANCELLED\r\n", uid="l@x"),
    )
    result = kith(root, export, moved)
    assert "kept as you edited them" in result.output
    assert (
        "journal/captured/2026-10.md line 10: - 2026-10-05 meeting: Sync — [[Jane Doe]], she"
        in (result.output)
    )
    assert "journal/captured/2026-10.md line 11: - 2026-10-06 meeting: Lunch" in result.output
    assert note.read_text() == text  # nothing rewritten, nothing removed
    assert not (root / "journal" / "captured" / "2026-11.md").exists()
