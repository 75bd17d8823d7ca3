"""Safe edits: log lines, front-matter keys, atomic writes, safe names, escaped text."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from kith.core.errors import KithError
from kith.core.names import clean_text, inside, safe_stem, unique_file_name
from kith.edit.files import (
    ChangedOnDiskError,
    EditError,
    append_log,
    log_line,
    read_snapshot,
    write_atomic,
)
from kith.edit.markup import markdown_inline, markdown_paragraphs
from kith.edit.yaml_edit import set_keys, yaml_value
from kith.reading.front_matter import read_properties
from kith.reading.load import loads
from ruamel.yaml import YAML

FIXTURES = Path(__file__).parent / "fixtures" / "edit"
ENTRY = "- 2026-11-21 call: Caught up about [[Jane Doe]]"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


# ---------------------------------------------------------------- the log


@pytest.mark.parametrize("name", ["odd-crlf", "no-log"])
def test_append_log_matches_the_golden_file_byte_for_byte(name: str) -> None:
    before = fixture(f"{name}.md")
    assert append_log(before, ENTRY) == fixture(f"{name}.after-log.md")


def test_the_golden_crlf_file_gains_exactly_one_crlf_line_in_its_log_section() -> None:
    before, after = fixture("odd-crlf.md"), fixture("odd-crlf.after-log.md")
    assert "\n" not in before.replace("\r\n", "")
    anchor = "- [ ] 2025-03-01 gave: Send the paper.\r\n"
    assert after == before.replace(anchor, anchor + ENTRY + "\r\n")
    # The "## Log" inside the code block is not the log section.
    contact, problems = loads(after, "Omar Haddad.md")
    assert not problems and contact is not None
    assert [(e.date, e.kind) for e in contact.entries][-1] == (date(2026, 11, 21), "call")


def test_a_file_without_a_log_gets_one_at_the_end_keeping_its_bom_and_missing_newline() -> None:
    before, after = fixture("no-log.md"), fixture("no-log.after-log.md")
    assert after.startswith("\ufeff---\n") and not before.endswith("\n")
    assert after == before + "\n\n## Log\n\n" + ENTRY


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("# A\n\n## Log\n", "# A\n\n## Log\n\n- e\n"),
        ("# A\n\n## Log", "# A\n\n## Log\n\n- e"),
        ("# A\n\n## Log\n\nA paragraph.\n", "# A\n\n## Log\n\nA paragraph.\n\n- e\n"),
        (
            "## Log\n- a\n  more\n\n### 2025\n- b\n\n# Next\n",
            "## Log\n- a\n  more\n\n### 2025\n- b\n- e\n\n# Next\n",
        ),
        ("# A\n", "# A\n\n## Log\n\n- e\n"),
        ("# A\n\n", "# A\n\n## Log\n\n- e\n"),
        ("", "## Log\n\n- e\n"),
        ("---\nname: A\n---\n", "---\nname: A\n---\n\n## Log\n\n- e\n"),
    ],
)
def test_append_log_cases(before: str, after: str) -> None:
    assert append_log(before, "- e") == after


def test_log_line_grammar() -> None:
    assert log_line(date(2026, 3, 2), "coffee", "Talked  about\nAcme") == (
        "- 2026-03-02 coffee: Talked about Acme"
    )
    assert log_line(date(2026, 7, 15), "call") == "- 2026-07-15 call"
    assert log_line(date(2026, 6, 1), "gave", "Send it", is_open=True) == (
        "- [ ] 2026-06-01 gave: Send it"
    )
    with pytest.raises(EditError, match="not one word"):
        log_line(date(2026, 1, 1), "two words")


_BODY_LINES = st.sampled_from(
    [
        "# Title",
        "Some notes about [[Jane Doe]].",
        "",
        "   ",
        "## Log",
        "## Notes",
        "### 2025",
        "- 2025-01-02 coffee: met",
        "- [ ] 2025-03-04 gave: promise",
        "  continued line",
        "```",
        "~~~",
        "%% a comment %%",
        "%%",
        "> a quote",
        "| a | b |",
    ]
)


@st.composite
def contact_files(draw: st.DrawFn) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    front = draw(st.sampled_from(["", "---\nname: Jane Doe\n---\n", "---\n# c\ntier: core\n---\n"]))
    body = draw(st.lists(_BODY_LINES, max_size=14))
    text = front + "\n".join(body)
    if draw(st.booleans()):
        text += "\n"
    return text.replace("\n", newline)


@settings(max_examples=300, deadline=None)
@given(
    contact_files(),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="%"), max_size=40),
)
def test_appending_a_log_line_only_inserts_lines(before: str, text: str) -> None:
    entry = log_line(date(2026, 11, 21), "coffee", text)
    after = append_log(before, entry)
    # The new text is the old one with a block inserted in one place ...
    start = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), None)
    start = len(before) if start is None else start
    inserted = after[start : start + len(after) - len(before)]
    assert after[:start] + after[start + len(inserted) :] == before
    # ... made of the entry (and a "## Log" heading when there was none) and line ends.
    rest = inserted.replace(entry, "", 1)
    assert rest.replace("## Log", "", 1).strip("\r\n") == ""
    assert entry in inserted
    # Outside code and comments, the entry is read back as the last log entry,
    # and a "## Log" heading is added only to a file without one.
    if not any(mark in before for mark in ("```", "~~~", "%%")):
        had_log = any(line.rstrip("\r") == "## Log" for line in before.split("\n"))
        assert ("## Log" in inserted) is not had_log
        old, _ = loads(before, "x.md")
        new, _ = loads(after, "x.md")
        assert old is not None and new is not None
        added = [(e.date, e.kind, e.text) for e in new.entries]
        for e in old.entries:
            added.remove((e.date, e.kind, e.text))
        written = entry.partition("coffee: ")[2]  # the text, escaped where it must be
        assert written.replace("<\\!--", "<!--") == clean_text(text)
        assert added == [(date(2026, 11, 21), "coffee", written)]


# ---------------------------------------------------------------- front matter


def test_set_keys_fills_empty_keys_and_adds_absent_ones_keeping_every_other_byte() -> None:
    before = fixture("odd-crlf.md")
    edit = set_keys(
        before,
        {"company": "Bright Labs", "role": "Principal", "email": "o@x.example"},
        "people/Omar.md",
    )
    assert edit.changed == ("company", "email")
    assert edit.kept == {"role": "Staff Engineer"}
    expected = before.replace(
        "company:    # fill in when he moves\r\n",
        "company: Bright Labs    # fill in when he moves\r\n",
    ).replace("met: 2023-06-01\r\n", "met: 2023-06-01\r\nemail: o@x.example\r\n")
    assert edit.text == expected


def test_set_keys_with_overwrite_replaces_a_block_list_with_one_line() -> None:
    text = "---\ntags:\n  - a\n  - b\n# keep me\ntier: network # default\n---\nBody\n"
    edit = set_keys(text, {"tags": ["x", "y, z"], "tier": "core"}, "f.md", overwrite=True)
    assert edit.text == '---\ntags: [x, "y, z"]\n# keep me\ntier: core # default\n---\nBody\n'


def test_set_keys_adds_front_matter_to_a_file_without_one() -> None:
    edit = set_keys("# Jane\r\n", {"email": "j@x.example"}, "f.md")
    assert edit.text == "---\r\nemail: j@x.example\r\n---\r\n# Jane\r\n"


def test_set_keys_refuses_a_file_whose_front_matter_is_broken() -> None:
    with pytest.raises(EditError, match="not valid YAML"):
        set_keys("---\na: [\n---\n", {"b": "c"}, "f.md")
    with pytest.raises(EditError, match="never closed"):
        set_keys("---\na: b\n", {"b": "c"}, "f.md")


@pytest.mark.parametrize(
    "value",
    [
        "Acme]] [[Evil",
        "<script>alert(1)</script>",
        "Mallory\ntier: core",
        "Lead: Platform",
        "yes",
        "null",
        "0123",
        "2024-01-01",
        "# not a comment",
        "'quoted'",
        '"double"',
        "- item",
        "a\u202eb\u200b",
        "back\\slash",
        "tab\there",
        "emoji 🎉",
        "²:\x1b0",
        "a:\u2028b",
        " padded ",
    ],
)
def test_a_value_is_written_as_data_and_reads_back_as_itself(value: str) -> None:
    line = f"company: {yaml_value(value)}"
    properties = read_properties(line, "f.md")
    assert list(properties) == ["company"]
    assert properties["company"][0] == value
    assert YAML(typ="rt").load(line) == {"company": value}


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_text_value_round_trips_through_both_yaml_readers(value: str) -> None:
    line = f"role: {yaml_value(value)}\nname: x"
    properties = read_properties(line, "f.md")
    assert {k: p[0] for k, p in properties.items()} == {"role": value, "name": "x"}


# ---------------------------------------------------------------- writing


def test_write_atomic_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "Jane.md"
    path.write_text("one\n")
    snapshot = read_snapshot(path)
    path.write_text("two\n")
    with pytest.raises(ChangedOnDiskError, match="changed on disk"):
        write_atomic(path, "three\n", snapshot)
    assert path.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Jane.md"]


def test_write_atomic_notices_a_touch_without_a_content_change(tmp_path: Path) -> None:
    path = tmp_path / "Jane.md"
    path.write_text("one\n")
    snapshot = read_snapshot(path)
    os.utime(path, ns=(snapshot.mtime_ns + 10**9, snapshot.mtime_ns + 10**9))
    with pytest.raises(ChangedOnDiskError):
        write_atomic(path, "three\n", snapshot)


def test_write_atomic_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "Jane.md"
    path.write_text("one\n")
    path.chmod(0o600)
    write_atomic(path, "two\r\n", read_snapshot(path))
    assert path.read_bytes() == b"two\r\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["Jane.md"]


def test_write_atomic_never_overwrites_when_creating(tmp_path: Path) -> None:
    path = tmp_path / "Jane.md"
    path.write_text("mine\n")
    with pytest.raises(EditError, match="already exists"):
        write_atomic(path, "new\n", None)
    assert path.read_text() == "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Jane.md"]


# ---------------------------------------------------------------- names and text


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Jane Doe", "Jane Doe"),
        ("../../etc/passwd", "etc passwd"),
        ("..", "Unnamed"),
        ("C:\\Windows\\win.ini", "C Windows win.ini"),
        ("Acme]] [[Evil", "Acme Evil"),
        ("Mal\nlory", "Mal lory"),
        ("evil\u202egpj.exe", "evilgpj.exe"),
        ("Zero\u200bWidth", "ZeroWidth"),
        ("Zoe\u0308", "Zoë"),
        (".hidden", "hidden"),
        ("CON", "CON (person)"),
        ("a#b^c|d%e", "a b c d e"),
        ("", "Unnamed"),
    ],
)
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


def test_safe_stem_stays_short_in_bytes() -> None:
    assert len(safe_stem("é" * 300).encode("utf-8")) <= 120


def test_unique_file_name_avoids_collisions_case_insensitively() -> None:
    assert unique_file_name("jane doe", {"jane doe", "jane doe 2"}) == "jane doe 3.md"
    assert unique_file_name("JANE DOE", set()) == "JANE DOE.md"


def test_inside_refuses_paths_out_of_the_folder(tmp_path: Path) -> None:
    assert inside(tmp_path, "Jane.md") == tmp_path.resolve() / "Jane.md"
    for bad in ("../x.md", "a/b.md", "..", "/etc/passwd"):
        with pytest.raises(KithError, match="refusing"):
            inside(tmp_path, bad)


def _shown(markdown_text: str) -> str:
    html = markdown.markdown(markdown_text, extensions=["tables"])
    return BeautifulSoup(html, "html.parser").get_text()


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[[Evil]] and [link](javascript:alert(1))",
        "*bold* _it_ `code` # hash",
        "- 2026-01-01 gave: fake entry",
        "1. numbered",
        "=== ",
        "%% hidden %%",
        "a | b",
        "&amp; literal",
    ],
)
def test_markdown_inline_shows_the_text_as_written(text: str) -> None:
    escaped = markdown_inline(text)
    assert _shown(escaped).strip() == clean_text(text)
    contact, _ = loads(f"# X\n\n{escaped}\n", "x.md")
    assert contact is not None and contact.links == ()
    assert "<" not in escaped and "%%" not in escaped


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_any_imported_note_is_inert(text: str) -> None:
    escaped = markdown_paragraphs(text)
    assert "<" not in escaped and "%%" not in escaped
    contact, _ = loads(f"# X\n\n{escaped}\n", "x.md")
    assert contact is not None and contact.entries == () and contact.links == ()


def test_a_full_disk_names_the_file_meant_and_leaves_it_whole(tmp_path: Path) -> None:
    """A write that runs out of space says which file, not which temporary file."""
    import subprocess

    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip("cannot mount a small file system here")
    try:
        target = disk / "Jane.md"
        before = "---\nname: Jane\n---\n\n## Log\n"
        target.write_text(before, encoding="utf-8")
        snapshot = read_snapshot(target)
        (disk / "filler").write_bytes(b"x" * 60_000)  # what is left is less than the text
        with pytest.raises(OSError) as caught:
            write_atomic(target, before + "- 2026-12-01 call: " + "y" * 20_000 + "\n", snapshot)
        assert str(target) in str(caught.value) and ".kith-" not in str(caught.value)
        assert target.read_text(encoding="utf-8") == before
        assert [p.name for p in disk.iterdir() if p.name.startswith(".kith-")] == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)
