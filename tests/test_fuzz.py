"""Properties checked on generated input: whatever a file holds, kith answers with problems.

The loader, the log parser and the comment stripper are fed arbitrary text and
arbitrary front matter; they may report problems (each with a line and column
inside the file) but never raise. File names made from names stay in their
folder and never collide; ``kith log`` writes a line that reads back as the
entry it meant, and leaves every other byte alone.
"""

from __future__ import annotations

import string
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kith.core.errors import Problem
from kith.core.grammar import strip_comments
from kith.core.model import Contact
from kith.core.names import MAX_STEM_BYTES, clean_text, inside, safe_stem, unique_file_name
from kith.edit.files import append_log, log_line
from kith.pages.sanitize import sanitize
from kith.reading.load import loads

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that matter to YAML, Markdown, the log grammar and wikilinks, and some that
# should not matter at all (RTL override, zero-width space, NUL, a BOM).
SYNTAX = ":-[]{}#'\"\n\t |>*&!%@`,~\\/=?"
ODD = "\u202e\u200b\ufeff\x00\r\x85\u2028é"
TRICKY = st.text(alphabet=SYNTAX + ODD + "abc019xXTt", max_size=200)


def lines_of(text: str) -> int:
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def assert_well_placed(problems: list[Problem], text: str) -> None:
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1, problem
        assert problem.line <= lines_of(text) + 1, (problem, lines_of(text))
        assert problem.path == "people/x.md"
        assert problem.message


def read(text: str | bytes) -> tuple[Any, list[Problem]]:
    return loads(text, "x.md", "people/x.md")


# -------------------------------------------------------------------- arbitrary files


@FUZZ
@given(st.text())
def test_any_text_gives_a_contact_or_problems(text: str) -> None:
    contact, problems = read(text)
    assert contact is not None or problems
    assert_well_placed(problems, text)


@FUZZ
@given(TRICKY)
def test_any_front_matter_text_gives_a_contact_or_problems(inner: str) -> None:
    text = f"---\n{inner}\n---\n# Body\n"
    contact, problems = read(text)
    assert contact is not None or problems
    assert_well_placed(problems, text)


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_give_a_contact_or_problems(data: bytes) -> None:
    contact, problems = read(b"---\nname: x\n---\n" + data)
    assert contact is not None or problems
    assert_well_placed(problems, data.decode("latin-1") + "\n\n\n")


# -------------------------------------------------------------------- generated YAML

KEYS = [
    "name",
    "aliases",
    "company",
    "industry",
    "tier",
    "follow_up",
    "met",
    "last_contact",
    "next_follow_up",
    "introduced_by",
    "tags",
    "email",
    "linkedin",
    "worked_with",
    "archived",
    "publish",
    "checked",
    "birthday",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        ["2026-02-30", "2026-03-02", "12:30", "01234", "NO", "yes", "never", "6w", "[[Jane]]"]
    ),
    st.dates().map(date.isoformat),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
MAPPINGS = st.dictionaries(
    st.sampled_from(KEYS) | st.text(min_size=1, max_size=12), VALUES, max_size=8
)


@FUZZ
@given(MAPPINGS, st.sampled_from(["block", "flow"]))
def test_any_front_matter_mapping_gives_a_contact_with_problems_in_place(
    mapping: dict[str, Any], style: str
) -> None:
    dumped = yaml.safe_dump(mapping, default_flow_style=style == "flow", allow_unicode=True)
    text = f"---\n{dumped}---\n\nNotes.\n"
    contact, problems = read(text)
    assert contact is not None, problems  # readable YAML keeps the person
    assert_well_placed(problems, text)
    closing = text.split("\n").index("---", 1) + 1
    for problem in problems:  # each problem points into the front matter
        assert 2 <= problem.line < closing, (problem, text)


# -------------------------------------------------------------------- the log

DATES = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)).map(date.isoformat),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"),
)
LOG_LINES = st.one_of(
    st.builds(
        lambda box, when, kind, text: f"- {box}{when}{kind}{text}",
        st.sampled_from(["", "[ ] ", "[x] ", "[X] "]),
        DATES,
        st.sampled_from(["", " call", " coffee:", ":", " gave:", " Received:"]),
        st.text(alphabet=string.ascii_letters + " []|`%#:", max_size=30),
    ),
    st.sampled_from(["```", "~~~", "%%", "## Log", "", "* plain item", "`code`"]),
    TRICKY,
)


@FUZZ
@given(st.lists(LOG_LINES, max_size=12))
def test_log_entries_point_at_their_lines(body_lines: list[str]) -> None:
    text = "---\nname: Log Person\n---\n" + "\n".join(body_lines) + "\n"
    contact, problems = read(text)
    assert_well_placed(problems, text)
    assert contact is not None
    file_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for entry in contact.entries:
        assert entry.date.isoformat() in file_lines[entry.line - 1], (entry, text)
        assert entry.kind == entry.kind.lower()


@FUZZ
@given(st.text(alphabet="%`~\n ab", max_size=120))
def test_strip_comments_keeps_every_line(text: str) -> None:
    stripped = strip_comments(text)
    assert stripped.count("\n") == text.count("\n")
    assert "%%" not in stripped or "`" in text or "~~~" in text


@FUZZ
@given(st.text(max_size=300))
def test_strip_comments_keeps_lines_of_any_text(text: str) -> None:
    assert strip_comments(text).count("\n") == text.count("\n")


# -------------------------------------------------------------------- file names

NAMES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        ["..", ".", "../../etc/passwd", "CON", "nul.txt", "a/b", "a\\b", " ", "\u202eexe.txt"]
    ),
    st.text(alphabet='./\\:*?"<>|#^[]{}% \u202e\u200b\x00aA', max_size=20),
)


@FUZZ
@given(NAMES)
def test_a_file_name_made_from_a_name_stays_in_the_folder(name: str) -> None:
    stem = safe_stem(name)
    assert stem and not stem.startswith(".")
    assert not set(stem) & set('/\\:*?"<>|\x00')
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert clean_text(stem) == stem  # no control, bidi or zero-width characters left
    folder = Path("/tmp/kith-people")
    assert inside(folder, stem + ".md").parent == folder.resolve()


@FUZZ
@given(st.lists(NAMES, max_size=25))
def test_file_names_never_collide(names: list[str]) -> None:
    taken: set[str] = set()
    for name in names:
        file_name = unique_file_name(name, taken)
        stem = file_name.removesuffix(".md")
        assert stem.casefold() not in taken
        taken.add(stem.casefold())


# -------------------------------------------------------------------- kith log

BODIES = st.lists(
    st.sampled_from(
        [
            "# Jane",
            "Notes about Jane.",
            "",
            "## Log",
            "- 2026-01-02 coffee: first",
            "- [ ] 2026-02-03 gave: a promise",
            "## Later",
            "* an item",
            "%% a comment %%",
        ]
    ),
    max_size=10,
)
# '%%' would open a comment, which by design never reaches the log.
LOG_TEXT = st.text(
    alphabet=string.ascii_letters + string.digits + " .,;!?()[]|#*_<>&`'\"\u00e9\u202e\u200b",
    max_size=60,
)


@FUZZ
@given(
    BODIES,
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
    st.from_regex(r"\A[A-Za-z][A-Za-z0-9_-]{0,10}\Z"),
    LOG_TEXT,
    st.booleans(),
)
def test_kith_log_round_trips(
    body: list[str],
    newline: str,
    final_newline: bool,
    when: date,
    kind: str,
    text: str,
    is_open: bool,
) -> None:
    original = newline.join(["---", "name: Jane", "---", *body])
    if final_newline:
        original += newline
    before, _ = read(original)
    assert before is not None
    line = log_line(when, kind, text, is_open)
    updated = append_log(original, line)
    after, problems = read(updated)
    assert problems == []
    assert after is not None
    # Only lines were added: the original lines are all there, in order.
    old_lines, new_lines = original.splitlines(), updated.splitlines()
    position = 0
    for old in old_lines:
        position = new_lines.index(old, position) + 1
    entry = (when, kind.lower(), clean_text(text), not is_open)
    assert Counter(_entry_tuples(after)) - Counter(_entry_tuples(before)) == Counter([entry])
    assert len(after.entries) == len(before.entries) + 1


def _entry_tuples(contact: Contact) -> list[tuple[date, str, str, bool]]:
    return [(e.date, e.kind, e.text, e.done) for e in contact.entries]


# -------------------------------------------------------------------- the sanitizer

TAGS = st.sampled_from(
    ["p", "a", "img", "svg", "script", "iframe", "style", "div", "b", "noscript"]
)
ATTRIBUTES = st.sampled_from(
    [
        'onclick="alert(1)"',
        "onerror=alert(1)",
        'href="javascript:alert(1)"',
        "href=' java\tscript:alert(1)'",
        'src="data:text/html,x"',
        'class="x"',
        'href="https://example.com"',
        "/onload=alert(1)",
        'title="</p><script>alert(1)</script>"',
    ]
)
FRAGMENTS = st.lists(
    st.one_of(
        st.builds(lambda t, a: f"<{t} {a}>", TAGS, ATTRIBUTES),
        TAGS.map(lambda t: f"</{t}>"),
        st.sampled_from(["<!--", "-->", "--!>", "<", ">", "&#106;", "text", "alert(1)", "<!x>"]),
    ),
    max_size=12,
).map("".join)


@FUZZ
@given(FRAGMENTS)
def test_sanitized_html_runs_nothing(fragment: str) -> None:
    from bs4 import BeautifulSoup, Tag

    cleaned = sanitize(fragment)
    assert sanitize(cleaned) == cleaned  # stable: cleaning twice is cleaning once
    for element in BeautifulSoup(cleaned, "html.parser").find_all(True):
        assert isinstance(element, Tag)
        assert element.name not in ("script", "iframe", "style"), cleaned
        for attribute, value in element.attrs.items():
            assert not attribute.startswith("on"), cleaned
            assert not str(value).replace("\t", "").strip().lower().startswith("javascript:")
