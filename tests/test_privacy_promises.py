"""Promises an attacker or an unlucky user tried to break: each test is the attack itself.

- ``publish`` fails closed: anything but a clear ``true`` keeps the person out.
- Front matter that does not open on the very first line is refused, never published
  as page text.
- A comment inside backticks Markdown does not read as code is still a comment.
- Comment scanning is linear in the length of a line.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from kith.cli import main
from kith.core.grammar import strip_comments
from kith.reading.load import load, load_note, loads

from .conftest import ProjectFactory, article, build, write_project

SECRET = "mara.secret@example.com"


@pytest.mark.parametrize("value", ['"false"', "no", "0", "off", "", "yes", '"true"', "[true]"])
def test_publish_fails_closed(value: str) -> None:
    contact, problems = loads(f"---\npublish: {value}\nemail: {SECRET}\n---\n# Mara\n", "m.md")
    assert contact is not None and contact.publish is False
    assert [(p.line, "kept out of the site" in p.message) for p in problems] == [(2, True)]


def test_publish_true_and_false_say_nothing() -> None:
    for value, published in (("true", True), ("false", False)):
        contact, problems = loads(f"---\npublish: {value}\n---\n# Mara\n", "m.md")
        assert contact is not None and contact.publish is published and problems == []


def test_a_journal_note_fails_closed_too() -> None:
    note, problems = load_note(
        "---\npublish: no\n---\n# Lunch\n", "journal/2026-01-02.md", "journal/2026-01-02.md"
    )
    assert note is not None and note.publish is False
    assert problems and "kept out of the site" in problems[0].message


LATE = {
    "a blank line": "\n",
    "a space": " ",
    "a zero-width space": "\u200b",
    "a second byte-order mark": "\ufeff",
    "a no-break space": "\u00a0",
}


@pytest.mark.parametrize("before", LATE.values(), ids=LATE.keys())
def test_front_matter_not_on_the_first_line_is_refused(before: str) -> None:
    text = f"{before}---\npublish: false\nemail: {SECRET}\n---\n# Mara\n"
    contact, problems = loads(("\ufeff" + text).encode("utf-8"), "m.md")
    assert contact is None
    assert len(problems) == 1 and "very first line" in problems[0].message


def test_four_dashes_are_no_front_matter_and_are_refused() -> None:
    contact, problems = loads(f"----\npublish: false\nemail: {SECRET}\n----\n# Mara\n", "m.md")
    assert contact is None and "very first line" in problems[0].message


def test_a_rule_in_the_body_is_still_a_rule() -> None:
    contact, problems = loads("# Mara\n\n---\n\nNotes.\n\n---\n", "m.md")
    assert contact is not None and problems == []


def test_a_refused_file_publishes_nothing(project: ProjectFactory) -> None:
    root = project(
        {
            "Mara.md": f"\n---\npublish: false\nemail: {SECRET}\n---\n# Mara Lopez\n",
            "Noah.md": "---\ncompany: Acme\n---\n# Noah\n",
        }
    )
    site = build(root, strict=False)
    for path in site.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
            assert b"Mara Lopez" not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("`%%x%%`` shown", "``` shown"),  # runs of unequal length: no code span
        ("`%%x%%` code", "`%%x%%` code"),  # a code span: the text is code, kept
        ("``a %%b%% `` c", "``a %%b%% `` c"),
        ("a %%one%% b %%two%% c", "a  b  c"),
    ],
)
def test_comments_outside_code_as_markdown_reads_code(text: str, kept: str) -> None:
    assert strip_comments(text) == kept


def test_comment_scanning_is_linear() -> None:
    """A line of 100,000 comments took minutes when each comment scanned the line
    again. Measured against a tenth of it: linear grows about 10×, quadratic 100×."""

    def seconds(count: int) -> float:
        line = "`code` %%a%% " * count
        start = time.perf_counter()
        assert "%%" not in strip_comments(line).replace("`code`", "")
        return time.perf_counter() - start

    small = min(seconds(10_000) for _ in range(3))
    large = min(seconds(100_000) for _ in range(3))
    assert large / max(small, 1e-4) < 40


ADVERSARIAL = {
    "comments": "`code` %%a%% ",
    "open comments": "%%a ",
    "html comments": "<!-- a --> <!--",
    "backtick runs": "`` ` ``` x ",
    "brackets": "[[a [[b|c ]] ",
    "unclosed links": "[[a ",
    "block ids": "text ^id ",
    "emphasis": "*a _b ",
    "fences": "\n```\nx\n",
    "quotes": "> ",
    "list items": "\n- [ ] 2026-01-01 call: [[x]] ",
    "headings": "\n# h %% ",
}


@pytest.mark.parametrize("unit", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_every_scan_of_a_file_is_linear_in_its_length(unit: str) -> None:
    """Reading a file (front matter, comments, code, links, log, headings) costs time in
    proportion to its length: the seconds per kilobyte of a 200 KB file of one adversarial
    pattern, against a 20 KB one. Linear stays about 1×; quadratic would be 10×."""

    def per_kilobyte(size: int) -> float:
        body = (unit * (size // len(unit) + 1))[:size]
        text = "---\nname: X\n---\n\n" + body + "\n\n## Log\n" + body + "\n"
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            loads(text, "x.md", "people/x.md")
            best = min(best, time.perf_counter() - start)
        return best / (len(text) / 1024)

    small, large = per_kilobyte(20_000), per_kilobyte(200_000)
    assert large / max(small, 1e-6) < 4, (small, large)


def test_the_command_line_never_sends_a_contacts_escape_sequences(
    project: ProjectFactory,
) -> None:
    """A name or a log line holding terminal escapes (retitle the terminal, write the
    clipboard, a right-to-left override) is printed as visible text."""
    from click.testing import CliRunner
    from kith.cli import main

    evil = "Mara \x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\u202e \x9b31m"
    root = project(
        {
            "Mara.md": f'---\nname: "{evil.encode("unicode_escape").decode()}"\n---\n\n'
            "## Log\n\n- 2025-01-02 call: \x1b[2J cleared\n",
        }
    )
    outputs = []
    for command in (["due"], ["due", "--json"], ["log", "Mara", "call", "\x1b[31mred"]):
        result = CliRunner().invoke(main, ["--project", str(root), *command])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
        assert not any(c in result.output for c in "\x1b\x07\x9b\u202e"), (command, result)
    assert "\\u001b]0;pwned" in outputs[0]  # shown, as text
    assert "\x1b]0;pwned\x07" in json.loads(outputs[1])[0]["name"]  # the data reads back


@pytest.mark.parametrize("name", ["index", "README", "Index", "_x", ".hidden"])
def test_kith_new_makes_only_files_kith_reads_as_people(project: ProjectFactory, name: str) -> None:
    from click.testing import CliRunner
    from kith.cli import main
    from kith.reading.load import load

    root = project({"Noah.md": "# Noah\n"}, extra_files={"people/index.md": "# Welcome\n"})
    result = CliRunner().invoke(main, ["--project", str(root), "new", name])
    home = (root / "people" / "index.md").read_text(encoding="utf-8")
    assert home == "# Welcome\n"  # the home page is never replaced
    if name.lower() in ("index", "readme"):
        assert result.exit_code != 0 and "not a person" in result.output
        return
    assert result.exit_code == 0, result.output
    names = {c.name for c in load(root / "people", "people/").contacts}
    assert name in names  # the new file is read back as that person


def test_reading_is_bounded_to_regular_files_of_a_sane_size(tmp_path: Path) -> None:
    """A FIFO hung the build and every command; a link to /dev/zero ate the memory."""
    from kith.reading.folder import MAX_FILE_BYTES
    from kith.reading.load import load

    people = tmp_path / "people"
    people.mkdir()
    (people / "Noah.md").write_text("# Noah\n", encoding="utf-8")
    os.mkfifo(people / "pipe.md")
    (people / "zero.md").symlink_to("/dev/zero")
    (people / "huge.md").write_bytes(b"# Huge\n" + b"x" * MAX_FILE_BYTES)
    start = time.monotonic()
    network = load(people, "people/")
    assert time.monotonic() - start < 30  # it returns at all (a FIFO blocked forever)
    assert [c.name for c in network.contacts] == ["Noah"]
    problems = {p.path: p.message for p in network.problems}
    assert "not a regular file" in problems["people/pipe.md"]
    assert "leads out of the folder" in problems["people/zero.md"]
    assert "larger than" in problems["people/huge.md"]


def test_symbolic_links_are_read_inside_the_people_folder_only(tmp_path: Path) -> None:
    """``ln -s /etc/passwd people/Passwd.md`` published the file; a linked folder published
    what is outside; a link to a contact made the same person twice."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Outside Secret\n\nroot:x:0:0\n", encoding="utf-8")
    root = write_project(
        tmp_path / "p",
        {"Real.md": "---\nname: Real Person\n---\n", "_drafts/Later.md": "# Later Person\n"},
    )
    people = root / "people"
    (people / "Passwd.md").symlink_to(outside / "secret.md")
    (people / "linked").symlink_to(outside, target_is_directory=True)
    (people / "Twin.md").symlink_to("Real.md")
    (people / "Later.md").symlink_to("_drafts/Later.md")  # inside, and read once: fine
    check = CliRunner().invoke(main, ["--project", str(root), "check"])
    assert check.exit_code == 1
    lines = [line.split(" — ")[0] for line in check.output.splitlines() if "people/" in line]
    assert sorted(line.split(":")[0] for line in lines) == [
        "people/Passwd.md",
        "people/Twin.md",
        "people/linked/secret.md",
    ]
    assert all("cannot read the file" in line for line in lines)
    assert {c.name for c in load(people, "people/").contacts} == {"Real Person", "Later Person"}
    site = build(root, strict=False)
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Outside Secret" not in text and "root:x:0:0" not in text, path


def test_a_folder_that_becomes_a_link_is_refused_at_the_next_reading(tmp_path: Path) -> None:
    """Where each folder really is, is looked up once per reading of the people folder,
    not once per process: under serve, a subfolder swapped for a link to the outside
    between two builds is refused at the next build."""
    from kith.reading.load import load

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Team.md").write_text("# Outside Secret\n", encoding="utf-8")
    people = tmp_path / "people"
    (people / "team").mkdir(parents=True)
    (people / "team" / "Team.md").write_text("# Inside Person\n", encoding="utf-8")
    assert [c.name for c in load(people, "people/").contacts] == ["Inside Person"]
    (people / "team" / "Team.md").unlink()
    (people / "team").rmdir()
    (people / "team").symlink_to(outside, target_is_directory=True)
    network = load(people, "people/")
    assert not network.contacts
    assert (
        "leads out of the folder"
        in {p.path: p.message for p in network.problems}["people/team/Team.md"]
    )


PRIVATE_WORDS = (
    "mara.secret@example.com",
    "+49 555 0100",
    "Mara's private note",
    "Noah comment secret",
    "Noah html secret",
    "Hidden Heading Secret",
    "Heading comment secret",
    "journal comment secret",
    "secret-plan.pdf",
)


def test_no_private_word_reaches_any_file_of_the_site(project: ProjectFactory) -> None:
    """A network full of private people, comments in every form and files linked only
    from comments: every byte written (pages, search index, sitemap, feed, assets, file
    names) is free of their words."""
    root = project(
        {
            "Mara Lopez.md": "---\npublish: false\nemail: mara.secret@example.com\n"
            "phone: +49 555 0100\n---\n# Mara Lopez\n\nMara's private note.\n",
            "Noah.md": "---\ncompany: Acme\n---\n%%\n# Hidden Heading Secret\n%%\n"
            "# Noah %%Heading comment secret%% Brand\n\n"
            "Met via [[Mara Lopez]]. %% Noah comment secret %%\n\n"
            "<!-- Noah html secret -->\n\n`%%x%%`` %% ![[secret-plan.pdf]] %%\n\n"
            "## Log\n\n- 2026-11-01 call: hi\n",
        },
        extra_files={
            "people/secret-plan.pdf": b"%PDF-1.4 secret",
            "journal/2026-11-02.md": "# Lunch\n\nWith [[Noah]]. %%journal comment secret%%\n",
        },
    )
    site = build(root, strict=False)
    assert (site / "people" / "noah" / "index.html").exists()
    for path in site.rglob("*"):
        assert not any(word in str(path) for word in PRIVATE_WORDS), path
        if path.is_file():
            data = path.read_bytes().decode("utf-8", "replace")
            found = [word for word in PRIVATE_WORDS if word in data]
            assert found == [], f"{path.relative_to(site)}: {found}"
    title = article(site, "people/noah/").select_one("h1")
    assert title is not None and title.get_text().strip().rstrip("¶") == "Noah  Brand"


def test_no_commented_word_reaches_what_the_command_line_prints(project: ProjectFactory) -> None:
    """What a comment holds is not data anywhere: ``kith due``, ``check``, the JSON of
    ``due`` and the vCard export print none of it (private people are yours to see on
    your own command line; their comments are not)."""
    root = project(
        {
            "Noah.md": "---\ncompany: Acme\ntier: core\n---\n%%\n# Hidden Heading Secret\n%%\n"
            "# Noah %%Heading comment secret%% Brand\n\n"
            "%% Noah comment secret %%\n<!-- Noah html secret -->\n\n## Log\n\n"
            "- [ ] 2026-11-01 call: hi %%Noah comment secret%% <!-- Noah html secret -->\n",
        },
        extra_files={"journal/2026-11-02.md": "With [[Noah]]. %%journal comment secret%%\n"},
    )
    words = [w for w in PRIVATE_WORDS if "secret" in w.lower() and "@" not in w]
    for args in (["due"], ["due", "--json"], ["check"], ["export", "vcard"]):
        result = CliRunner().invoke(main, ["--project", str(root), *args])
        assert args == ["check"] or "Noah" in result.output, (args, result.output)
        assert [w for w in words if w in result.output] == [], args


def test_kith_log_writes_only_lines_it_reads_back(project: ProjectFactory) -> None:
    from click.testing import CliRunner
    from kith.cli import main
    from kith.reading.load import loads

    root = project({"Ann.md": "# Ann\n\n## Log\n\n- 2026-01-01 call: first\n"})
    run = CliRunner().invoke
    result = run(main, ["--project", str(root), "log", "Ann", "note", "100%% sure"])
    assert result.exit_code == 0, result.output
    result = run(main, ["--project", str(root), "log", "Ann", "call", "after"])
    contact, _ = loads((root / "people" / "Ann.md").read_bytes(), "Ann.md")
    assert contact is not None
    assert [e.kind for e in contact.entries] == ["call", "note", "call"]  # nothing hidden
    fenced = root / "people" / "Bo.md"
    fenced.write_text("# Bo\n\n```\nunclosed code\n\n## Log\n", encoding="utf-8")
    before = fenced.read_bytes()
    result = run(main, ["--project", str(root), "log", "Bo", "call", "lost?"])
    assert result.exit_code != 0 and "would not be read" in result.output
    assert fenced.read_bytes() == before


def test_a_commit_message_or_an_address_never_tells_of_a_private_person(
    project: ProjectFactory,
) -> None:
    from .test_history import commit, init

    root = project(
        {
            "Noah.md": "---\ncompany: Acme\n---\n# Noah\n",
            "Mara Lopez.md": "# Mara\n\nPublic Mara.\n",
            "private/Mara Lopez.md": "---\npublish: false\naliases: [Marita]\n---\n# Mara Lopez\n",
            "Eve.md": "---\npublish: false\n---\n# Eve Secretname\n",
        }
    )
    init(root)
    commit(root, "Met Eve Secretname and Noah; Marita too", "2026-11-02T10:00:00+00:00")
    site = build(root, strict=False)
    noah = (site / "people" / "noah" / "index.html").read_text(encoding="utf-8")
    assert "Met … and Noah; … too" in noah
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"Secretname" not in data and b"Marita" not in data, path
    # The public Mara keeps her own address: the private namesake takes the -2.
    assert (site / "people" / "mara-lopez" / "index.html").exists()
    assert not (site / "people" / "mara-lopez-2").exists()


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        (
            '<a href="#"><svg><animate attributeName="href" values="#a;javascript:alert(1)"/>'
            "</svg>x</a>",
            '<a href="#"><svg></svg>x</a>',
        ),
        ('<a href="x" style="position:fixed;inset:0">y</a>', '<a href="x">y</a>'),
        ('<th style="text-align: right;">h</th>', '<th style="text-align: right;">h</th>'),
        ("<p>seen</p><!-- hidden words -->", "<p>seen</p>"),
    ],
)
def test_the_sanitizer_closes_what_got_through(html: str, kept: str) -> None:
    from kith.pages.sanitize import sanitize

    assert sanitize(html) == kept


@pytest.mark.parametrize(
    "line",
    [
        "follow_up: 99999999",
        "follow_up: " + "9" * 5000,
        "role: " + "9" * 5000,
        "tier: " + "1" * 5000,
        "nickname: " + "7" * 5000,
        "core_limit: " + "9" * 5000,
    ],
)
def test_huge_numbers_are_problems_not_tracebacks(line: str) -> None:
    contact, _ = loads(f"---\n{line}\n---\n# A\n", "a.md")
    assert contact is not None


@pytest.mark.parametrize(
    "options",
    [{"core_limit": "abc"}, {"due_soon": 10**20}, {"core_limit": True}, {"due_soon": -1}],
)
def test_bad_options_are_one_clear_error(options: dict[str, object]) -> None:
    from datetime import date

    from kith.core.config import settings_from_options
    from kith.core.errors import KithError

    with pytest.raises(KithError, match="kith option"):
        settings_from_options(options, date(2026, 11, 21), "people")


def test_dates_at_the_end_of_time_build(project: ProjectFactory) -> None:
    root = project(
        {
            "Far.md": "---\nmet: 9999-12-31\nfollow_up: 999999\n---\n# Far\n",
            "Near.md": "---\nlast_contact: 0001-01-01\ntier: core\n---\n# Near\n",
        },
        options={"today": "9999-12-30"},
    )
    site = build(root)
    assert (site / "follow-ups.ics").exists() and (site / "people" / "far" / "index.html").exists()


def test_unicode_twins_are_one_name_and_an_ambiguity(tmp_path: Path) -> None:
    """``José`` written with one character or with a combining accent (macOS file
    names) is one name: a link to it is reported as ambiguous, never silently split."""
    import unicodedata

    from kith.analyses.link_problems import link_problems
    from kith.analyses.site import Site
    from kith.core.config import Settings
    from kith.core.directory import Directory
    from kith.reading.load import load

    people = tmp_path / "people"
    people.mkdir()
    composed, decomposed = "José Ruiz", unicodedata.normalize("NFD", "José Ruiz")
    (people / "a.md").write_text(f"# {composed}\n", encoding="utf-8")
    (people / "b.md").write_text(f"# {decomposed}\n", encoding="utf-8")
    (people / "c.md").write_text(f"# Ann\n\nKnows [[{decomposed}]].\n", encoding="utf-8")
    network = load(people, "people/")
    directory = Directory(network.contacts)
    assert len(directory.ambiguous(composed)) == 2 == len(directory.ambiguous(decomposed))
    from datetime import date

    problems = link_problems(Site(network, Settings(today=date(2026, 11, 21))))
    assert any("could mean" in p.message for p in problems)


def test_kith_check_reports_what_an_interrupted_write_left(project: ProjectFactory) -> None:
    from click.testing import CliRunner
    from kith.cli import main

    root = project({"Ann.md": "# Ann\n"}, extra_files={"people/.kith-abc123.tmp": ""})
    result = CliRunner().invoke(main, ["--project", str(root), "check"])
    assert result.exit_code == 1
    assert "people/.kith-abc123.tmp:1:1: a temporary file left by an interrupted" in result.output
