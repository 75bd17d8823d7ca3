"""How long ``kith import mail`` takes on a 100,000-message mbox, and its peak memory.

    python bench/mail_import.py [--messages 100000]

Writes a project of 200 people and an mbox (Takeout-shaped headers, bodies of a few KB,
some with a base64 attachment) to a temporary folder, then runs the import in a child
process and reports its wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEOPLE = 200


def write_mbox(path: Path, messages: int) -> None:
    rng = random.Random(7)
    attachment = base64.encodebytes(os.urandom(30_000))
    with path.open("wb") as out:
        for n in range(messages):
            who = f"person{rng.randrange(PEOPLE * 2)}@example.com"  # half of them unknown
            day = 1 + n % 28
            head = (
                f"From {n}@xxx Mon Apr 07 14:31:02 +0000 2025\n"
                f"X-GM-THRID: {n}\nX-Gmail-Labels: Inbox,Opened\n"
                f"From: =?utf-8?q?P=C3=A9rson_{n}?= <{who}>\nTo: me@example.com\n"
                f"Subject: =?utf-8?q?Caf=C3=A9_{n}?=\n"
                f"Date: Mon, {day} Apr 2024 10:{n % 60:02d}:00 +0200\n"
                f"Message-ID: <{n}@example.com>\n"
                + ("List-Id: <news.example.com>\n" if n % 10 == 0 else "")
                + "Content-Type: multipart/mixed; boundary=b\n\n"
            )
            body = "--b\n\n" + "Some words of a body.\n" * 100
            if n % 20 == 0:
                body += "--b\nContent-Transfer-Encoding: base64\n\n" + attachment.decode()
            out.write(head.encode() + body.encode() + b"--b--\n\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "people").mkdir()
        (root / "mkdocs.yml").write_text(
            "site_name: bench\ndocs_dir: .\nplugins:\n  - kith:\n      today: 2025-01-01\n",
            encoding="utf-8",
        )
        for n in range(PEOPLE):
            (root / "people" / f"Person {n}.md").write_text(
                f"---\nname: Person {n}\ntier: core\nemail: person{n}@example.com\n---\n",
                encoding="utf-8",
            )
        mbox = root / "All mail.mbox"
        write_mbox(mbox, options.messages)
        kith = [str(Path(sys.executable).parent / "kith"), "--project", str(root), "import", "mail"]
        started = time.monotonic()
        done = subprocess.run(
            [*kith, str(mbox), "--me", "me@example.com"], capture_output=True, text=True
        )
        elapsed = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
        sys.stdout.write(done.stdout.splitlines()[0] + "\n" if done.stdout else done.stderr)
        sys.stdout.write(
            f"{options.messages} messages, {mbox.stat().st_size / 2**20:.0f} MB: "
            f"{elapsed:.1f} s, peak RSS {peak:.0f} MB\n"
        )


if __name__ == "__main__":
    main()
