"""How long ``kith import calendar`` takes on a 10,000-event calendar, and its peak memory.

    python bench/calendar_import.py [--events 10000]

Writes a project of 200 people and one ``.ics`` file (Google-shaped: a time zone,
one to four attendees per event, every twentieth a weekly series with an exception,
some cancelled, some with an all-hands crowd) to a temporary folder, then runs the
import in a child process and reports its wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PEOPLE = 200


def write_calendar(path: Path, events: int) -> None:
    rng = random.Random(7)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "X-WR-CALNAME:me@example.com",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
    ]
    start = date(2023, 1, 2)
    for n in range(events):
        day = start + timedelta(days=rng.randrange(700))
        crowd = 30 if n % 50 == 0 else rng.randrange(1, 5)
        lines += [
            "BEGIN:VEVENT",
            f"DTSTART;TZID=Europe/Berlin:{day:%Y%m%d}T{9 + n % 8:02d}0000",
            f"DTEND;TZID=Europe/Berlin:{day:%Y%m%d}T{10 + n % 8:02d}0000",
            f"UID:{n}@google.com",
            f"SUMMARY:Meeting {n}",
            "STATUS:CANCELLED" if n % 40 == 0 else "STATUS:CONFIRMED",
            "ORGANIZER;CN=Me:mailto:me@example.com",
        ]
        if n % 20 == 0:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=10")
            lines.append(
                f"EXDATE;TZID=Europe/Berlin:{day + timedelta(days=7):%Y%m%d}T{9 + n % 8:02d}0000"
            )
        for _ in range(crowd):
            who = rng.randrange(PEOPLE * 2)  # half of them unknown
            lines.append(
                f"ATTENDEE;CN=Person {who};PARTSTAT=ACCEPTED:mailto:person{who}@example.com"
            )
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "people").mkdir()
        (root / "mkdocs.yml").write_text(
            "site_name: bench\ndocs_dir: people\nplugins:\n  - kith:\n      today: 2025-01-01\n",
            encoding="utf-8",
        )
        for n in range(PEOPLE):
            (root / "people" / f"Person {n}.md").write_text(
                f"---\nname: Person {n}\ntier: core\nemail: person{n}@example.com\n---\n",
                encoding="utf-8",
            )
        ics = root / "calendar.ics"
        write_calendar(ics, options.events)
        kith = [str(Path(sys.executable).parent / "kith"), "--project", str(root)]
        started = time.monotonic()
        done = subprocess.run(
            [*kith, "import", "calendar", str(ics), "--me", "me@example.com"],
            capture_output=True,
            text=True,
        )
        elapsed = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
        sys.stdout.write(done.stdout.splitlines()[0] + "\n" if done.stdout else done.stderr)
        sys.stdout.write(
            f"{options.events} events, {ics.stat().st_size / 2**20:.1f} MB: "
            f"{elapsed:.1f} s, peak RSS {peak:.0f} MB\n"
        )


if __name__ == "__main__":
    main()
