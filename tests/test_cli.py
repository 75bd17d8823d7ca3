"""The command line: help, new, log and error handling, on temporary projects."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kith.cli import main
from kith.reading.load import loads

from .conftest import write_project

FIXTURES = Path(__file__).parent / "fixtures" / "edit"
ODD = (FIXTURES / "odd-crlf.md").read_bytes()


def kith(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def assert_one_line_error(result: Result, *fragments: str) -> None:
    """Exit 1, one ``Error:`` line naming the problem, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


COMMANDS = _commands(main)


def test_the_commands_of_this_manual_exist() -> None:
    for command in [("new",), ("log",), ("import", "linkedin"), ("import", "vcard")]:
        assert command in COMMANDS
    assert ("export", "vcard") in COMMANDS


@pytest.mark.parametrize("command", [(), *COMMANDS], ids=lambda c: " ".join(c) or "kith")
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "kith " + " ".join(command) in result.output.split("Example", 1)[1]


# ---------------------------------------------------------------- kith new


NEW_JANE = """---
name: "Jane Doe"
aliases: []
company: Acme Corp
role: CTO
industry: [Software, AI]
location:
tier: core
met:
how_met: PyCon 2026
introduced_by: "[[Omar Haddad]]"
tags: []
email:
linkedin:
checked: 2026-11-21
---

# Jane Doe

## Log

"""


def test_new_fills_the_template_and_prints_the_path(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"Omar Haddad.md": ODD})
    result = kith(
        root,
        "new",
        "Jane Doe",
        "--company=Acme Corp",
        "--role=CTO",
        "--industry=Software",
        "--industry=AI",
        "--tier=core",
        "--how-met=PyCon 2026",
        "--introduced-by=omar",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "people/Jane Doe.md\n"
    assert (root / "people" / "Jane Doe.md").read_text(encoding="utf-8") == NEW_JANE


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    people = {"Jane Doe.md": "# Jane Doe\nMine.\n", "x/JD.md": "# Other\n", "Bad.md": "---\na: [\n"}
    root = write_project(tmp_path, people)
    assert_one_line_error(kith(root, "new", "jane doe"), "'jane doe' is already people/Jane Doe.md")
    assert_one_line_error(kith(root, "new", "jd"), "'jd' is already people/x/JD.md")
    # A file kith cannot read is no person, but its name is still taken.
    assert_one_line_error(kith(root, "new", "BAD"), "a file named 'BAD' exists")
    assert (root / "people" / "Jane Doe.md").read_text() == "# Jane Doe\nMine.\n"


def test_the_users_template_wins_and_a_hostile_name_stays_data(tmp_path: Path) -> None:
    template = (
        "---\r\nname: \"{{title}}\"\r\nalias: '{{title}}'\r\nadded: {{date:DD/MM/YYYY}}\r\n"
        "---\r\n\r\n# {{title}}\r\n"
    )
    root = write_project(tmp_path, {}, extra_files={"templates/person.md": template})
    name = '../Evil" [[Bob]] <b>x</b>'
    result = kith(root, "new", name)
    assert result.exit_code == 0, result.output
    assert result.stdout == "people/Evil Bob b x b.md\n"
    text = (root / "people" / "Evil Bob b x b.md").read_bytes().decode("utf-8")
    assert text == (
        '---\r\nname: "../Evil\\" [[Bob]] <b>x</b>"\r\n'
        "alias: '../Evil\" [[Bob]] <b>x</b>'\r\n"
        "added: 21/11/2026\r\n---\r\n\r\n"
        '# ../Evil" \\[\\[Bob\\]\\] &lt;b&gt;x&lt;/b&gt;\r\n'
    )
    contact, problems = loads(text, "Evil Bob b x b.md")
    assert contact is not None and not problems
    assert contact.name == name and contact.links == ()
    assert contact.extra == {"alias": name, "added": "21/11/2026"}


def test_a_template_that_makes_a_bad_file_is_refused(tmp_path: Path) -> None:
    template = "---\nlast_contact: {{date:DD/MM/YYYY}}\n---\n"
    root = write_project(tmp_path, {}, extra_files={"templates/person.md": template})
    assert_one_line_error(
        kith(root, "new", "Jane"),
        "'last_contact' must be a date, not 21/11/2026",
        "check templates/person.md",
    )
    assert list((root / "people").iterdir()) == []


def test_new_errors(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"Omar Haddad.md": ODD, "Omar Sy.md": "# Omar Sy\n"})
    assert_one_line_error(kith(root, "new", "A", "--tier=vip"), "unknown tier 'vip'")
    assert_one_line_error(kith(root, "new", "A", "--introduced-by=oma"), "matches 2 people")
    assert_one_line_error(kith(root, "new", "A", "--introduced-by=zed"), "nobody matches 'zed'")
    assert_one_line_error(kith(root, "new", " \t"), "the name is empty")
    assert_one_line_error(kith(root, "new", "A", "--met=26 Jul"), "--met must be a real date")
    assert sorted(p.name for p in (root / "people").iterdir()) == ["Omar Haddad.md", "Omar Sy.md"]


# ---------------------------------------------------------------- kith log


def test_log_golden_file_on_crlf_with_comments_and_odd_quoting(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"Omar Haddad.md": ODD})
    result = kith(root, "log", "OMAR", "call", "Caught", "up", "about", "[[Jane Doe]]")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == "people/Omar Haddad.md: - 2026-11-21 call: Caught up about [[Jane Doe]]\n"
    )
    after = (root / "people" / "Omar Haddad.md").read_bytes()
    assert after == (FIXTURES / "odd-crlf.after-log.md").read_bytes()


def test_log_by_alias_with_a_date_and_an_open_promise(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"Omar Haddad.md": ODD})
    result = kith(root, "log", "o. h.", "gave", "Send the deck", "--date=2026-12-01", "--open")
    assert result.exit_code == 0, result.output
    text = (root / "people" / "Omar Haddad.md").read_bytes().decode()
    assert (
        "- [ ] 2025-03-01 gave: Send the paper.\r\n- [ ] 2026-12-01 gave: Send the deck\r\n" in text
    )


def test_log_finds_accented_names_typed_without_accents(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"Zoë Ångström.md": "# Zoë Ångström\n"})
    result = kith(root, "log", "zoe ang", "coffee")
    assert result.exit_code == 0, result.output
    assert (root / "people" / "Zoë Ångström.md").read_text() == (
        "# Zoë Ångström\n\n## Log\n\n- 2026-11-21 coffee\n"
    )


def test_log_errors_list_the_candidates(tmp_path: Path) -> None:
    people = {"Jane Doe.md": "# Jane Doe\n", "Janet Roe.md": "# Janet Roe\n"}
    root = write_project(tmp_path, people)
    assert_one_line_error(
        kith(root, "log", "jan", "call"),
        "'jan' matches 2 people: Jane Doe (people/Jane Doe.md); Janet Roe (people/Janet Roe.md)",
    )
    assert_one_line_error(kith(root, "log", "zed", "call"), "nobody matches 'zed'")
    assert_one_line_error(kith(root, "log", "jane doe", "two words!", "x"), "is not one word")
    assert_one_line_error(
        kith(root, "log", "jane doe", "call", "--date=2026-02-30"),
        "--date must be a real date written YYYY-MM-DD, e.g. 2026-03-02, not '2026-02-30'",
    )
    assert (root / "people" / "Jane Doe.md").read_text() == "# Jane Doe\n"


def test_errors_from_a_missing_people_folder_are_one_line(tmp_path: Path) -> None:
    assert_one_line_error(kith(tmp_path / "nowhere", "log", "x", "call"), "no people folder")


_LINES = st.sampled_from(
    ["# Jane Doe", "", "Notes about [[Bob]].", "## Log", "- 2025-01-02 coffee: hi", "## Other",
     "  indented", "%% hidden %%", "```", "- [ ] 2025-02-03 gave: promise"]
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(_LINES, max_size=10),
    newline=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
    words=st.lists(st.text("abcé [] *_:", min_size=1, max_size=8), max_size=4),
)
def test_kith_log_on_any_valid_file_changes_exactly_the_appended_line(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[str],
    newline: str,
    final_newline: bool,
    words: list[str],
) -> None:
    text = "---\r\nname: Jane Doe\r\n---\r\n".replace("\r\n", newline) + newline.join(lines)
    text += newline if final_newline else ""
    root = write_project(tmp_path_factory.mktemp("log"), {"Jane.md": text.encode()})
    result = kith(root, "log", "jane", "coffee", *words)
    if result.exit_code != 0:
        # Only when the line would land where kith cannot read it (inside an unclosed
        # code fence): said, and the file is left as it was.
        assert "would not be read as an entry" in result.output, result.output
        assert "```" in lines or "~~~" in "".join(lines)
        assert (root / "people" / "Jane.md").read_bytes() == text.encode()
        return
    entry = result.stdout.split(": ", 1)[1].rstrip("\n")
    after = (root / "people" / "Jane.md").read_bytes().decode()
    # The file is the old one with one block inserted: the entry, line ends, and
    # the "## Log" heading if the file had none.
    start = next(
        (i for i, (a, b) in enumerate(zip(text, after, strict=False)) if a != b), len(text)
    )
    inserted = after[start : start + len(after) - len(text)]
    assert after[:start] + after[start + len(inserted) :] == text
    assert entry in inserted
    assert inserted.replace(entry, "", 1).replace("## Log", "", 1).strip(newline) == ""
    if "```" not in lines and "## Log" in lines:
        assert "## Log" not in inserted


@pytest.mark.parametrize(("seconds_per_step", "bar"), [(0.0, False), (0.5, True)])
def test_a_progress_bar_only_for_imports_slower_than_a_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seconds_per_step: float, bar: bool
) -> None:
    import itertools
    import time

    clock = itertools.count()
    monkeypatch.setattr(time, "monotonic", lambda: next(clock) * seconds_per_step)
    root = write_project(tmp_path, {})
    export = Path(__file__).parent / "fixtures" / "import" / "Connections.csv"
    result = kith(root, "import", "linkedin", "--dry-run", str(export))
    assert result.exit_code == 0
    assert ("Importing" in result.stderr) is bar
    assert result.stdout.startswith("created 7, updated 0, unchanged 1, skipped 0")


@pytest.mark.parametrize(
    ("today", "message"),
    [("2026-13-45", "kith option 'today' must be a date"), ("soon", "must be a date")],
)
def test_a_bad_today_in_mkdocs_yml_is_one_line(tmp_path: Path, today: str, message: str) -> None:
    root = write_project(tmp_path, {"Jane.md": "# Jane\n"})
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        text.replace("today: '2026-11-21'", f"today: {today}"), encoding="utf-8"
    )
    assert f"today: {today}" in (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert_one_line_error(kith(root, "check"), message)


@pytest.mark.parametrize(
    ("options", "accepted"),
    [
        ({"core_limit": "15"}, True),
        ({"due_soon": 0, "stale_after": "6m", "tiers": {"unsorted": "1y"}}, True),
        ({"journal_dir": 5, "my_industry": 5}, True),
        ({"bogus": 1}, False),
        ({"today": 5}, False),
        ({"my_industry": ["a"]}, False),
        ({"due_soon": "abc"}, False),
        ({"core_limit": True}, False),
        ({"stale_after": [1]}, False),
        ({"tiers": ["core"]}, False),
        ({"tiers": {"core": "sometimes"}}, False),
        ({"favor_kinds": 3}, False),
        ({"favor_kinds": {"intro": "maybe"}}, False),
        ({"industries": ["x"]}, False),
        ({"templates_dir": {"a": 1}}, False),
    ],
    ids=lambda v: repr(v),
)
def test_the_cli_and_the_build_judge_options_alike(
    tmp_path: Path, options: dict[str, object], accepted: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """One check of the options: the command line and the build accept the same values
    and refuse the others with the same one line."""
    import logging

    from mkdocs.exceptions import Abort

    from .conftest import build

    root = write_project(tmp_path, {"Jane.md": "# Jane\n"}, options=options)
    result = CliRunner().invoke(main, ["--project", str(root), "check"])
    if accepted:
        assert result.exit_code == 0, result.output
        build(root, strict=False)
        return
    assert_one_line_error(result, "kith ")
    cli_message = result.stderr.splitlines()[0].removeprefix("Error: ")
    with pytest.raises(Abort), caplog.at_level(logging.ERROR):
        build(root, strict=False)
    assert cli_message in [r.getMessage() for r in caplog.records]
