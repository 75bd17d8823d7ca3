"""What captured interactions cost a build: the same network built with 0, N and 2N lines
in ``journal/captured/`` (as ``kith import calendar`` and ``mail`` write them).

    python bench/captured_build.py [--people 1000] [--lines 20000]

Prints each build's wall time and kith's own time side by side; linear means the extra
time of 2N lines is about twice that of N.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent


def project(root: Path, people: int, lines: int) -> None:
    (root / "people").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: bench\ndocs_dir: people\ntheme:\n  name: material\n"
        "plugins:\n  - search\n  - kith:\n      today: 2026-11-21\n",
        encoding="utf-8",
    )
    for n in range(people):
        (root / "people" / f"Person {n}.md").write_text(
            f"---\nname: Person {n}\ntier: network\nemail: p{n}@example.com\n---\n\n## Log\n",
            encoding="utf-8",
        )
    rng = random.Random(7)
    months: dict[date, list[str]] = {}
    start = date(2024, 1, 1)
    for n in range(lines):
        day = start + timedelta(days=rng.randrange(690))
        who = rng.randrange(people)
        months.setdefault(day.replace(day=1), []).append(
            f"- {day} meeting: Sync {n} — [[Person {who}]] %%kith:calendar:{n}@bench%%"
        )
    folder = root / "journal" / "captured"
    folder.mkdir(parents=True)
    for month, entries in months.items():
        entries.sort()
        (folder / f"{month:%Y-%m}.md").write_text(
            f"---\ndate: {month}\n---\n\n# Captured {month:%Y-%m}\n\n" + "\n".join(entries) + "\n",
            encoding="utf-8",
        )


def build(root: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(HERE / "build_once.py"), str(root), "kith"],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=20_000)
    options = parser.parse_args()
    rows = []
    for lines in (0, options.lines, 2 * options.lines):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            project(root, options.people, lines)
            figures = build(root)
            rows.append((lines, figures))
    base_wall, base_kith = rows[0][1]["wall"], rows[0][1]["kith"]
    print(f"{'captured lines':>15} {'wall s':>8} {'kith s':>8} {'extra kith s':>13}")
    for lines, figures in rows:
        extra = figures["kith"] - base_kith
        print(f"{lines:>15} {figures['wall']:>8.2f} {figures['kith']:>8.2f} {extra:>13.2f}")
    print(f"(network of {options.people} people; floor wall {base_wall:.2f} s)")


if __name__ == "__main__":
    main()
