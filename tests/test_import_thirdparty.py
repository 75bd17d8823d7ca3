"""Interactions from real exports of other people's tools (``tests/thirdparty/calendar``,
``mail`` and ``linkedin``, sources in each ``SOURCES.md``), imported through the command
a user runs: an Apple iCal event with attendees, a Google Takeout mbox, LinkedIn
``messages.csv`` files of 2021 and 2026."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result
from kith.cli import main

from .conftest import REPO, write_project

THIRD = REPO / "tests" / "thirdparty"


def kith(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def captured(root: Path) -> dict[str, str]:
    folder = root / "journal" / "captured"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def test_an_apple_ical_event_with_attendees(tmp_path: Path) -> None:
    """iCal 4.0.3: attendees with ``EMAIL`` parameters, a line folded inside
    ``PARTSTAT`` and inside the address, the organizer also an attendee, a time in
    America/New_York. You are User 01 (the organizer); User 03 is matched by an address
    written in another case."""
    root = write_project(
        tmp_path / "p",
        {"Riley Moss.md": "---\ntier: active\nemail: User03@Example.COM\n---\n"},
    )
    export = THIRD / "calendar" / "apple-ical-attendees.ics"
    args = ("import", "calendar", str(export), "--years", "20")
    result = kith(root, *args, "--me", "user01@example.com")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 interaction(s) added with 1 people, 0 already there")
    note = captured(root)["2010-10.md"]
    assert (
        "- 2010-10-28 meeting: Attended Event — [[Riley Moss]] "
        "%%kith:calendar:D94F247D-7433-43AF-B84B-ADD684D023B0 "
    ) in note
    again = kith(root, *args, "--me", "user01@example.com")
    assert again.output.startswith("0 interaction(s) added with 0 people, 1 already there")
    # Without --me, User 01 is someone you do not know: listed with the name iCal gives.
    other = write_project(
        tmp_path / "q", {"Riley Moss.md": "---\nemail: user03@example.com\n---\n"}
    )
    listed = kith(other, *args, "--dry-run")
    assert "1× User 01 <user01@example.com>" in listed.output


def test_a_google_takeout_mbox(tmp_path: Path) -> None:
    """Takeout's shape: ``From <thread id>@xxx <date> +0000 <year>`` separators, CR LF
    line ends, ``X-GM-THRID`` and ``X-Gmail-Labels`` before the usual headers, folded
    ``Received`` and ARC headers, a multipart body. The sender is known by an address
    in another case; the date is the message's own (-0800: still the 26th)."""
    root = write_project(
        tmp_path / "p",
        {
            "Google Community.md": "---\ntier: network\n"
            "email: GoogleCommunityTeam-NoReply@Google.com\n---\n"
        },
    )
    export = THIRD / "mail" / "google-takeout.mbox"
    result = kith(root, "import", "mail", str(export), "--me", "takeout.user@gmail.com")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "1 interaction(s) added with 1 people, 0 already there; 1 message(s) in 1 file(s) read"
    )
    note = captured(root)["2024-01.md"]
    entry = [line.rsplit(" ", 1)[0] for line in note.splitlines() if line.startswith("- ")]
    assert entry == [
        "- 2024-01-26 email: Sam, finish setting up your new Google Account — "
        "[[Google Community]] %%kith:mail:googlecommunityteam-noreply@google.com:2024-01-26"
    ]
    assert "Welcome to Google" not in note  # the body is never read into a file
    # The same mbox in a Takeout folder (with its other files) adds nothing more.
    takeout = tmp_path / "Takeout" / "Mail"
    takeout.mkdir(parents=True)
    shutil.copy(export, takeout / "All mail Including Spam and Trash.mbox")
    (takeout.parent / "archive_browser.html").write_text("<html></html>", encoding="utf-8")
    again = kith(root, "import", "mail", str(takeout), "--me", "takeout.user@gmail.com")
    assert again.output.startswith("0 interaction(s) added with 0 people, 1 already there")


def test_a_2026_linkedin_messages_csv(tmp_path: Path) -> None:
    """Every cell quoted, message text over several lines with doubled quotes, an
    ``ATTACHMENTS`` column and no draft column, a sponsored message from "LinkedIn
    Member" without a profile URL, a conversation with a title."""
    root = write_project(
        tmp_path / "p",
        {
            "Dana Whitfield.md": "---\ntier: active\n"
            "linkedin: https://www.linkedin.com/in/Dana-Whitfield/\n---\n",
            "Ravi Menon.md": "---\ntier: active\nlinkedin: linkedin.com/in/ravimenon\n---\n",
            "Maya Jensen.md": "---\ntier: network\npublish: false\n"
            "linkedin: https://www.linkedin.com/in/maya-k-jensen\n---\n",
        },
    )
    export = THIRD / "linkedin" / "2026_messages_quoted_attachments.csv"
    result = kith(root, "import", "linkedin", str(export))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "3 interaction(s) added with 2 people, 0 already there; 8 message(s) read "
        "(you: linkedin.com/in/rileymoss)"
    )
    assert "2 only with people you keep private" in lines[1]
    assert "1 with nobody you know" in lines[1]  # the sponsored message
    notes = captured(root)
    entries = sorted(
        line.split(" %%")[0]
        for text in notes.values()
        for line in text.splitlines()
        if line.startswith("- ")
    )
    assert entries == [
        "- 2026-03-29 message: [[Ravi Menon]]",
        "- 2026-04-02 message: [[Ravi Menon]]",
        "- 2026-04-06 message: [[Dana Whitfield]]",
    ]
    text = "".join(notes.values())
    assert "Maya" not in text and "group chat" not in text and "Acme" not in text


def test_a_2021_linkedin_messages_csv_without_recipient_urls(tmp_path: Path) -> None:
    """2021's export has a sender's profile URL but only the recipients' names, some
    holding commas (``"Tunde A SPHRi, CPHR"``): the people you wrote to are matched by
    the profile URL the same name has on the rows they sent, and a name with commas is
    one person."""
    root = write_project(
        tmp_path / "p",
        {
            "Priya Nair.md": "---\ntier: active\n"
            "linkedin: https://www.linkedin.com/in/priya-nair\n---\n",
            "Kofi Mensah.md": "---\ntier: active\n"
            "linkedin: https://www.linkedin.com/in/kofi-mensah-aa33a898\n---\n",
            "Chinedu Eze.md": "---\ntier: network\n"
            "linkedin: https://www.linkedin.com/in/chinedu-o-eze-acipm-asm-07804a134\n---\n",
            "Lena Ortiz.md": "---\ntier: network\n---\n",
        },
    )
    export = THIRD / "linkedin" / "2021_messages_no_recipient_urls.csv"
    result = kith(root, "import", "linkedin", str(export))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "7 interaction(s) added with 4 people, 0 already there; 9 message(s) read "
        "(you: linkedin.com/in/tunde-a-sphri-cphr-57191289)"
    ), result.output
    entries = sorted(
        line.split(" %%")[0]
        for text in captured(root).values()
        for line in text.splitlines()
        if line.startswith("- ")
    )
    assert entries == [
        "- 2020-04-15 message: [[Kofi Mensah]]",
        "- 2021-06-08 message: [[Chinedu Eze]]",
        "- 2021-06-09 message: [[Chinedu Eze]]",
        "- 2021-06-10 message: [[Kofi Mensah]]",
        "- 2021-06-14 message: [[Kofi Mensah]]",
        "- 2021-06-14 message: [[Lena Ortiz]]",
        "- 2021-06-15 message: [[Priya Nair]]",
    ]
    assert "unknown" not in result.output and "CPHR" not in result.output
