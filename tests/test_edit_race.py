"""Edits racing another writer: kith never loses someone else's save.

An editor (or a sync) in another process saves the way editors do, writing a new
file and renaming it over the old one, every half millisecond, while ``kith log``
appends lines. Every line the editor saved must still be there at the end. (The
editor reads and writes without checking, so it may drop kith's lines; kith must
not drop its.) Before the check and the swap were made safe, a run like this lost
a few of the editor's lines in every few thousand.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from kith.edit.files import ChangedOnDiskError, append_log, edit_file

EDITOR = """
import os, sys, time
from pathlib import Path
path = Path(sys.argv[1])
saves, end = 0, time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    text = path.read_text(encoding="utf-8")
    temp = path.with_name(f".editor-{saves}.tmp")
    temp.write_text(text + f"- 2026-01-01 note: saved by the editor {saves}\\n", encoding="utf-8")
    os.replace(temp, path)
    saves += 1
    time.sleep(0.0005)
print(saves)
"""


def test_kith_log_never_loses_an_editors_save(tmp_path: Path) -> None:
    path = tmp_path / "Ann Lee.md"
    path.write_text("---\ncompany: Acme\n---\n# Ann Lee\n\n## Log\n\n", encoding="utf-8")
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(path), "3"], stdout=subprocess.PIPE, text=True
    )
    written = refused = 0
    end = time.monotonic() + 2.5
    while time.monotonic() < end:
        line = f"- 2026-02-02 call: written by kith {written + refused}"
        try:
            edit_file(path, lambda text, line=line: append_log(text, line))
            written += 1
        except ChangedOnDiskError:  # said, never silent: the user runs it again
            refused += 1
    saves = int(editor.communicate(timeout=30)[0])
    final = path.read_text(encoding="utf-8")
    lost = [n for n in range(saves) if f"saved by the editor {n}\n" not in final]
    assert lost == []
    assert saves > 300 and written > 0  # the two really raced, and kith got its lines in
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kith-")] == []
