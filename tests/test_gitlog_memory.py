"""Reading ``git log`` in place: the same commits as cutting it up, with less memory.

``parse_log_bytes`` decodes one piece (a header, the raw lines, one file's patch)
at a time. ``whole_split`` below is the parser it replaced, which decoded all of
the output and split it: on any log, awkward or random, both give the same commits.
"""

from __future__ import annotations

import shutil
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kith.git import fields, gitlog
from kith.git import history as history_module
from kith.git.gitlog import Commit, FileChange, parse_log_bytes
from kith.git.history import HistoryCache, read_history

from .test_history import renamed_job_change

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=300)


def whole_split(text: str) -> list[Commit]:
    """The former parser: every record, section and line cut out of one decoded copy."""
    commits: list[Commit] = []
    for record in ("\n" + text).split("\n\x1e")[1:]:
        header, _, rest = record.partition("\n")
        parts = header.split("\x00")
        if len(parts) < 5:
            continue
        sha, parents, when, decorations, subject = parts[:5]
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            continue
        before, *sections = ("\n" + rest).split("\ndiff --git ")
        raw = [
            entry
            for line in before.split("\n")
            if line.startswith(":") and (entry := gitlog._raw_entry(line)) is not None
        ]
        changes: list[FileChange] = []
        for index, (status, path, old_path) in enumerate(raw):
            patch = sections[index].split("\n")[1:] if index < len(sections) else []
            removed, added = fields.front_matter_lines(patch)
            contact = not fields.CONTACT.isdisjoint(removed) or not fields.CONTACT.isdisjoint(added)
            changed = fields.field_changes(removed, added) if status not in ("A", "D", "C") else ()
            changes.append(FileChange(status, path, old_path, changed, contact))
        commits.append(
            Commit(
                sha,
                tuple(parents.split()),
                moment,
                subject,
                "grafted" in (d.strip() for d in decorations.split(",")),
                tuple(changes),
            )
        )
    return commits


def assert_same(data: bytes) -> list[Commit]:
    expected = whole_split(data.decode("utf-8", "replace"))
    assert parse_log_bytes(data) == expected
    return expected


def header(sha: str, subject: str | bytes, parents: str = "p1", refs: str = "") -> bytes:
    start = f"\x1e{sha}\x00{parents}\x002026-03-10T09:00:00+01:00\x00{refs}\x00".encode()
    return start + (subject if isinstance(subject, bytes) else subject.encode()) + b"\n"


def raw(status: str, *paths: str) -> bytes:
    return f":100644 100644 1111111 2222222 {status}\t{chr(9).join(paths)}\n".encode()


def section(path: str, *lines: str, old: str = "") -> bytes:
    body = "".join(f"{line}\n" for line in lines)
    return f"diff --git a/{old or path} b/{path}\n{body}".encode()


EDIT = (
    "@@ -1,3 +1,4 @@",
    " ---",
    "-company: Acme Zoë",
    "+company: Globex 🙂",
    "+email: josé@x.test",
    " ---",
)
ADD = ("new file mode 100644", "@@ -0,0 +1,4 @@", "+---", "+name: José Ñúñez", "+phone: 1", "+---")
AWKWARD = (
    # a record at the very start, non-ASCII in subject, paths and values
    header("a1", "Zoë's move 🙂", refs="HEAD -> main")
    + b"\n"
    + raw("R090", "people/José.md", "people/José Ñ.md")
    + raw("A", '"people/Tab\\there \\"q\\".md"')
    + raw("M", "people/Über.md")
    + b"\n"
    + section("people/José Ñ.md", "rename from people/José.md", *EDIT, old="people/José.md")
    + section("people/Tab\there.md", *ADD)
    + section(
        "people/Über.md", "@@ -1,4 +1,4 @@", " ---", " tier:", "-  - Señor", "+  - 大人", " ---"
    )
    # a commit with no files, then a bad header and a bad date
    + header("b2", "Empty", refs="grafted")
    + b"\n"
    + b"\x1eonly\x00three\x00fields\n"
    + header("c3", "x").replace(b"2026-03-10", b"2026-13-99")
    + raw("M", "people/Skipped.md")
    # invalid UTF-8 cut off right before a record mark and before a section mark
    + header("d4", b"bad \xe9")
    + raw("M", "people/Bad.md")
    + raw("M", "people/Also.md")
    + b"diff --git a/people/Bad.md b/people/Bad.md\n@@ -1,3 +1,4 @@\n ---\n-role: a\xc3\n"
    + b"+role: b\xe2\x82\n ---\n+note \xe2\x82"
    + b"\ndiff --git a/people/Also.md b/people/Also.md\n"
    + b"@@ -1,4 +1,4 @@\n ---\n-role: \xf0\x9f\n+role: \xa9\xff\n ---\n body \xf0\x9f"
    + b"\n"
    + header("e5", b"\xe2\x82")
    # more raw lines than sections, then a record that is a header with no newline
    + raw("M", "people/One.md")
    + raw("M", "people/Two.md")
    + section("people/One.md", "@@ -1 +1 @@", "-role: a", "+role: b")
    + header("f6", "last", parents="p1 p2").rstrip(b"\n")
)


def test_awkward_log_parses_as_before() -> None:
    commits = assert_same(AWKWARD)
    assert [c.sha for c in commits] == ["a1", "b2", "d4", "e5", "f6"]
    first = commits[0]
    assert [(f.status, f.path, f.old_path) for f in first.files] == [
        ("R", "people/José Ñ.md", "people/José.md"),
        ("A", 'people/Tab\there "q".md', ""),
        ("M", "people/Über.md", ""),
    ]
    assert first.files[0].fields == (gitlog.FieldChange("company", "Acme Zoë", "Globex 🙂"),)
    assert first.files[2].fields == (gitlog.FieldChange("tier", "Señor", "大人"),)
    assert commits[1].files == () and commits[1].grafted
    bad = commits[2].files
    assert commits[2].subject == "bad \ufffd" and commits[3].subject == "\ufffd"
    assert bad[0].fields == (gitlog.FieldChange("role", "a\ufffd", "b\ufffd"),)
    assert bad[1].fields == (gitlog.FieldChange("role", "\ufffd", "\ufffd\ufffd"),)
    assert [f.path for f in commits[3].files] == ["people/One.md", "people/Two.md"]
    assert commits[4].parents == ("p1", "p2") and commits[4].files == ()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"\x1e",
        b"\n\x1e",
        b"junk before\n" + AWKWARD,  # text before the first record is not one
        b"\n" + AWKWARD,
        AWKWARD + b"\n",
        AWKWARD[: AWKWARD.index(b"\ndiff --git ") + 1],  # cut right after a newline
        AWKWARD[: AWKWARD.index("🙂".encode()) + 2],  # cut inside a character
        header("a1", "no trailing newline").rstrip(b"\n"),
        header("a1", "only a header"),
        header("a1", "x") + b"\n" + raw("M", "people/A.md"),  # a raw line without a patch
        header("a1", "x") + section("people/A.md", *EDIT),  # a patch without a raw line
    ],
)
def test_edge_cases_parse_as_before(data: bytes) -> None:
    assert_same(data)


PIECES = [
    b"\n",
    b"\x1e",
    b"\n\x1e",
    b"\ndiff --git ",
    b"diff --git a/people/A.md b/people/A.md\n",
    header("a1", "subject"),
    header("b2", "Zoë", refs="tag: v1, grafted"),
    raw("M", "people/A.md"),
    raw("A", "people/Ü.md"),
    raw("R100", "people/Old.md", "people/New.md"),
    raw("C075", '"people/q\\"uote.md"', "people/b.md"),
    b"@@ -1 +1 @@\n",
    b"@@ -1,4 +1,4 @@\n",
    b"@@ -3,2 +3,2 @@ industry:\n",
    b" ---\n",
    b"+---\n",
    b"-...\n",
    b" industry:\n",
    b" # company: Secret\n",
    b"-company: Acme\n",
    b"+company: Globex\n",
    b"+email: x\n",
    b"+  - item\n",
    "+role: Señor 🙂\n".encode(),
    b"\x00",
    "é".encode(),
    "🙂".encode(),
    b"\xc3",
    b"\xa9",
    b"\xe2\x82",
    b"\xf0\x9f",
    b"\xff",
]


@FUZZ
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_log_parses_as_before(pieces: list[bytes]) -> None:
    assert_same(b"".join(pieces))


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_parse_as_before(data: bytes) -> None:
    assert_same(data)


def test_a_big_commit_is_read_without_a_copy_of_it() -> None:
    """A folder added in one commit: the parse holds the commits, not copies of the output."""
    names = [f"people/Zoë {i:04}.md" for i in range(2000)]
    data = (
        header("a1", "Add everyone")
        + b"\n"
        + b"".join(raw("A", name) for name in names)
        + b"\n"
        + b"".join(
            section(name, "new file mode 100644", "@@ -0,0 +1,40 @@", "+---", "+name: Zoë")
            + "".join(f"+note {n}: {'ü' * 40}\n" for n in range(36)).encode()
            + b"+email: z@x.test\n+---\n"
            for name in names
        )
    )
    tracemalloc.start()
    try:
        commits = parse_log_bytes(data)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(commits[0].files) == 2000 and all(f.contact_info for f in commits[0].files)
    # Decoded whole, the output alone would be more than twice its size (ü takes two bytes).
    assert peak - kept < len(data) // 4, (peak - kept, len(data))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_prefetched_log_lets_go_of_the_output(tmp_path: Path) -> None:
    renamed_job_change(tmp_path)
    prefetched = history_module.prefetch(tmp_path, ["people"], HistoryCache())
    assert prefetched is not None
    history = read_history(tmp_path, ["people"], None, prefetched)
    assert history.files["people/Jane Doe.md"].events
    assert prefetched.result().stdout == b""
