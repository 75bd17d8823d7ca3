"""Capture in one line: ``kith new`` with every key, ``kith log`` dates and names as
typed, ``kith done``, ``kith snooze``, ``--project`` anywhere, one-line usage errors and
``kith due`` in the terminal's width. Today is 2026-11-21, a Saturday (``write_project``)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from kith.cli import main
from kith.core.directory import Directory
from kith.core.keys import KEYS
from kith.core.names import fold_typed
from kith.edit.dates import DateError, parse_day
from kith.reading.load import loads

from .conftest import REPO, write_project

TODAY = date(2026, 11, 21)
FIXTURES = Path(__file__).parent / "fixtures" / "edit"
ODD = (FIXTURES / "odd-crlf.md").read_bytes()
slow = pytest.mark.slow


def kith(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], env=env)


def one_line_error(result: Result, *fragments: str, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def contact_of(path: Path):  # type: ignore[no-untyped-def]
    contact, problems = loads(path.read_bytes().decode("utf-8"), path.name)
    assert contact is not None and not problems, problems
    return contact


# ---------------------------------------------------------------- dates as typed


@pytest.mark.fast
@pytest.mark.parametrize(
    ("typed", "ahead", "expected"),
    [
        ("2026-03-02", False, date(2026, 3, 2)),
        ("2026-3-2", False, date(2026, 3, 2)),
        ("today", False, TODAY),
        ("Yesterday", False, date(2026, 11, 20)),
        ("tomorrow", True, date(2026, 11, 22)),
        ("friday", False, date(2026, 11, 20)),
        ("fri", False, date(2026, 11, 20)),
        ("saturday", False, date(2026, 11, 14)),  # the last one, not today
        ("monday", False, date(2026, 11, 16)),
        ("last friday", True, date(2026, 11, 20)),
        ("friday", True, date(2026, 11, 27)),
        ("saturday", True, date(2026, 11, 28)),  # the next one, not today
        ("next monday", False, date(2026, 11, 23)),
        ("3 days ago", False, date(2026, 11, 18)),
        ("1 day ago", False, date(2026, 11, 20)),
        ("a week ago", False, date(2026, 11, 14)),
        ("2 weeks ago", False, date(2026, 11, 7)),
        ("in 3 days", True, date(2026, 11, 24)),
        ("2w", True, date(2026, 12, 5)),
        ("3m", True, date(2027, 2, 19)),  # months of 30 days, as a cadence counts them
        ("10d", True, date(2026, 12, 1)),
        ("1y", True, date(2027, 11, 21)),
    ],
)
def test_dates_as_people_type_them(typed: str, ahead: bool, expected: date) -> None:
    assert parse_day(typed, TODAY, "--date", ahead) == expected


@pytest.mark.fast
@pytest.mark.parametrize(
    ("typed", "ahead", "message"),
    [
        ("2026-02-30", False, "--date must be a real date written YYYY-MM-DD"),
        ("26 Jul", False, "today, yesterday, a weekday (monday: the last one) or '3 days ago'"),
        ("2w", False, "'3 days ago'; not '2w'"),  # a bare amount is a snooze's alone
        ("someday", True, "'in 3 days', or 10d, 2w, 3m, 1y from today; not 'someday'"),
        ("next week", True, "not 'next week'"),
        ("never", True, "not 'never'"),
        ("0 days ago", False, "not '0 days ago'"),
    ],
)
def test_a_date_that_is_none_says_what_is_accepted(typed: str, ahead: bool, message: str) -> None:
    with pytest.raises(DateError, match=re.escape(message)):
        parse_day(typed, TODAY, "--date", ahead)


# ---------------------------------------------------------------- names as typed


def _people(*names: str, aliases: dict[str, tuple[str, ...]] | None = None) -> Directory:
    contacts = []
    for name in names:
        text = f"---\naliases: {list((aliases or {}).get(name, ()))}\n---\n# {name}\n"
        contact, _ = loads(text, f"{name}.md")
        assert contact is not None
        contacts.append(contact)
    return Directory(contacts)


@pytest.mark.fast
def test_fold_typed_sets_accents_and_missing_letters_aside() -> None:
    assert fold_typed("Elif Yıldız") == "elif yildiz"
    assert fold_typed("İpek Şahin") == "ipek sahin"
    assert fold_typed("Zoë  Ångström") == "zoe angstrom"
    assert fold_typed("Søren Łukasz") == "soren lukasz"
    assert fold_typed("Siobhán O'Brien-Ní") == "siobhan obrien ni"
    assert fold_typed("Jane Doe") == "jane doe"


@pytest.mark.fast
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("okafor", ["Amara Okafor"]),  # a surname
        ("OKA", ["Amara Okafor"]),
        ("yildiz", ["Elif Yıldız"]),  # Turkish ı typed as i
        ("Yıldız", ["Elif Yıldız"]),
        ("ipek", ["İpek Şahin"]),
        ("sahin", ["İpek Şahin"]),
        ("obrien", ["Siobhán O'Brien"]),
        ("siobhan o", ["Siobhán O'Brien"]),
        ("doc", ["Amara Okafor"]),  # a word of an alias
        ("jan", ["Jane Doe"]),  # a beginning of a name wins over a word inside one
        ("janssen", ["Alex Janssen"]),
        ("lee", ["Kim Lee", "Sam Lee"]),  # ambiguous: both listed
        ("afor", []),  # the middle of a word is no match
        ("elif", ["Elif Yıldız"]),
    ],
)
def test_people_are_found_by_any_part_of_their_name(query: str, found: list[str]) -> None:
    directory = _people(
        "Amara Okafor", "Elif Yıldız", "İpek Şahin", "Siobhán O'Brien", "Jane Doe",
        "Alex Janssen", "Kim Lee", "Sam Lee",
        aliases={"Amara Okafor": ("The Doctor",)},
    )  # fmt: skip
    assert [c.name for c in directory.search(query)] == found


@pytest.mark.fast
def test_namesakes_are_both_found_not_one_picked() -> None:
    contacts = []
    for path in ("work/Alex Kim.md", "home/Alex Kim.md"):
        contact, _ = loads("# Alex Kim\n", path)
        assert contact is not None
        contacts.append(contact)
    assert len(Directory(contacts).search("alex kim")) == 2
    assert [c.src_uri for c in Directory(contacts).search("work/alex kim")] == ["work/Alex Kim.md"]


@slow
def test_log_finds_surnames_and_turkish_letters_and_lists_ambiguity(tmp_path: Path) -> None:
    people = {
        "Amara Okafor.md": "# Amara Okafor\n",
        "Elif Yıldız.md": "# Elif Yıldız\n",
        "Kim Lee.md": "# Kim Lee\n",
        "Sam Lee.md": "# Sam Lee\n",
    }
    root = write_project(tmp_path, people)
    result = kith(root, "log", "okafor", "coffee", "Caught up")
    assert result.stdout == "people/Amara Okafor.md: - 2026-11-21 coffee: Caught up\n"
    assert kith(root, "log", "yildiz", "call").exit_code == 0
    assert (root / "people" / "Elif Yıldız.md").read_text() == (
        "# Elif Yıldız\n\n## Log\n\n- 2026-11-21 call\n"
    )
    one_line_error(
        kith(root, "log", "lee", "call"),
        "'lee' matches 2 people: Kim Lee (people/Kim Lee.md); Sam Lee (people/Sam Lee.md)"
        " — type more of the name",
    )


# ---------------------------------------------------------------- kith log --date


@slow
@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("yesterday", "2026-11-20"),
        ("friday", "2026-11-20"),
        ("saturday", "2026-11-14"),
        ("3 days ago", "2026-11-18"),
        ("today", "2026-11-21"),
        ("2026-10-01", "2026-10-01"),
    ],
)
def test_log_dates_as_typed(tmp_path: Path, typed: str, written: str) -> None:
    root = write_project(tmp_path, {"Jane Doe.md": "# Jane Doe\n"})
    result = kith(root, "log", "jane", "coffee", "Talked; she wants intros", "--date", typed)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"people/Jane Doe.md: - {written} coffee: Talked; she wants intros\n"


@slow
def test_log_date_errors_list_what_is_accepted(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"Jane Doe.md": "# Jane Doe\n"})
    one_line_error(
        kith(root, "log", "jane", "call", "--date", "the other day"),
        "--date must be a real date: YYYY-MM-DD (e.g. 2026-03-02), today, yesterday",
        "not 'the other day'",
    )
    assert (root / "people" / "Jane Doe.md").read_text() == "# Jane Doe\n"


# ---------------------------------------------------------------- kith new


def _option_names() -> set[str]:
    new = main.commands["new"]
    return {opt for param in new.params for opt in getattr(param, "opts", ())}


@slow
def test_new_has_an_option_for_every_key_of_a_contact_file() -> None:
    options = _option_names()
    singular = {"aliases": "alias", "tags": "tag", "past_companies": "past-company"}
    for key in KEYS:
        if key.name != "name":
            assert "--" + singular.get(key.name, key.name).replace("_", "-") in options
    help_text = CliRunner().invoke(main, ["new", "--help"]).output
    for option in ("--email", "--phone", "--linkedin", "--website", "--location", "--tag"):
        assert option in help_text


BUSINESS_CARD = """---
name: "Jane Doe"
aliases: [JD]
company: Acme Corp
role:
industry:
location: Berlin
tier: network
met: 2026-11-20
how_met: PyCon 2026
introduced_by:
tags: [oss, mentor]
email: jane@example.com
linkedin: https://www.linkedin.com/in/janedoe
checked: 2026-11-21
phone: "+49 30 1234567"
website: https://jane.example.com
birthday: "12-04"
worked_with: true
---

# Jane Doe

## Log

"""


@slow
def test_new_takes_a_business_card_in_one_line(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    result = kith(
        root, "new", "Jane Doe", "--company", "Acme Corp", "--location", "Berlin",
        "--email", "jane@example.com", "--phone", "+49 30 1234567",
        "--linkedin", "https://www.linkedin.com/in/janedoe", "--website", "https://jane.example.com",
        "--tag", "oss", "--tag", "mentor", "--alias", "JD", "--birthday", "12-04",
        "--met", "yesterday", "--how-met", "PyCon 2026", "--worked-with",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = root / "people" / "Jane Doe.md"
    assert path.read_text(encoding="utf-8") == BUSINESS_CARD
    jane = contact_of(path)
    assert jane.phone == "+49 30 1234567" and jane.tags == ("oss", "mentor")
    assert jane.met == date(2026, 11, 20) and jane.checked == TODAY


@slow
def test_new_writes_met_and_checked_only_when_true(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    result = kith(
        root, "new", "Tom Berg", "--tier", "prospect", "--reason-to-meet", "Runs the data meetup"
    )
    assert result.exit_code == 0, result.output
    text = (root / "people" / "Tom Berg.md").read_text(encoding="utf-8")
    assert "\nmet:\n" in text and "\nchecked:\n" in text  # not met, nothing to check
    assert "\nreason_to_meet: Runs the data meetup\n" in text
    tom = contact_of(root / "people" / "Tom Berg.md")
    assert tom.met is None and tom.checked is None and tom.tier == "prospect"
    # Contact info given: checked today; met only when said.
    assert kith(root, "new", "Ann Lee", "--email", "ann@example.com").exit_code == 0
    ann = contact_of(root / "people" / "Ann Lee.md")
    assert ann.checked == TODAY and ann.met is None
    assert kith(root, "new", "Bo Chen", "--met", "today", "--checked", "2026-01-02").exit_code == 0
    bo = contact_of(root / "people" / "Bo Chen.md")
    assert bo.met == TODAY and bo.checked == date(2026, 1, 2)


@slow
def test_new_option_values_are_checked_as_the_reader_checks_them(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    one_line_error(kith(root, "new", "A", "--birthday", "13-45"), "--birthday:", "not a real day")
    one_line_error(kith(root, "new", "A", "--follow-up", "sometimes"), "--follow-up:", "6w")
    one_line_error(kith(root, "new", "A", "--met", "26 Jul"), "--met must be a real date")
    one_line_error(kith(root, "new", "A", "--next-follow-up", "someday"), "--next-follow-up")
    assert list((root / "people").iterdir()) == []
    result = kith(
        root, "new", "A B", "--no-publish", "--follow-up", "45", "--next-follow-up", "2w",
        "--past-company", "Initech", "--department", "Research",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ab = contact_of(root / "people" / "A B.md")
    assert ab.publish is False and ab.follow_up == 45
    assert ab.next_follow_up == date(2026, 12, 5)
    assert list(ab.extra["past_companies"]) == ["Initech"] and ab.extra["department"] == "Research"


# ---------------------------------------------------------------- kith done


@slow
def test_done_ticks_the_oldest_open_promise_byte_for_byte(tmp_path: Path) -> None:
    later = ODD.replace(
        b"- [ ] 2025-03-01 gave: Send the paper.\r\n",
        b"- [ ] 2025-03-01 gave: Send the paper.\r\n* [ ]  2025-01-09 call ^plan\r\n",
    )
    root = write_project(tmp_path, {"Omar Haddad.md": later})
    result = kith(root, "done", "omar")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "people/Omar Haddad.md: * [x]  2026-11-21 call: (promised 2025-01-09) ^plan\n"
    )
    after = (root / "people" / "Omar Haddad.md").read_bytes()
    assert after == later.replace(
        b"* [ ]  2025-01-09 call ^plan\r\n",
        b"* [x]  2026-11-21 call: (promised 2025-01-09) ^plan\r\n",
    )
    result = kith(root, "done", "omar", "PAPER", "--date", "yesterday")
    assert result.exit_code == 0, result.output
    assert (root / "people" / "Omar Haddad.md").read_bytes() == after.replace(
        b"- [ ] 2025-03-01 gave: Send the paper.\r\n",
        b"- [x] 2026-11-20 gave: Send the paper. (promised 2025-03-01)\r\n",
    )
    omar = contact_of(root / "people" / "Omar Haddad.md")
    kept = {e.line: e for e in omar.entries}
    assert [(e.done, e.date, e.kind) for e in kept.values()][-2:] == [
        (True, date(2026, 11, 20), "gave"),
        (True, date(2026, 11, 21), "call"),  # the kind stays a kind
    ]
    one_line_error(kith(root, "done", "omar"), "people/Omar Haddad.md has no open promise")


@slow
def test_a_kept_promise_counts_as_contact_and_as_a_favor_on_the_day_kept(tmp_path: Path) -> None:
    jane = (
        "---\ntier: core\nmet: 2025-01-01\n---\n# Jane\n\n"
        "## Log\n\n- [ ] 2026-01-05 gave: Send the deck\n"
    )
    root = write_project(tmp_path, {"Jane.md": jane})
    before = json.loads(kith(root, "due", "--json").stdout)
    assert before[0]["last_contact"] == "2025-01-01"
    assert before[0]["reason"]["kind"] == "promise"
    assert kith(root, "done", "jane", "--date", "3 days ago").exit_code == 0
    after = json.loads(kith(root, "due", "--json").stdout)
    assert after == [] or after[0]["last_contact"] == "2026-11-18"
    assert (
        "- [x] 2026-11-18 gave: Send the deck (promised 2026-01-05)\n"
        in (root / "people" / "Jane.md").read_text()
    )


@slow
def test_done_with_text_that_fits_several_or_none_lists_them(tmp_path: Path) -> None:
    jane = (
        "# Jane\n\n## Log\n\n- [ ] 2026-01-05 gave: Send the deck\n"
        "- [ ] 2026-02-05 gave: Send the Deck v2\n- 2026-03-01 call: Talked\n"
    )
    root = write_project(tmp_path, {"Jane.md": jane})
    one_line_error(
        kith(root, "done", "jane", "deck"),
        "'deck' matches 2 open promises in people/Jane.md: 2026-01-05 gave: Send the deck;"
        " 2026-02-05 gave: Send the Deck v2 — type more of the text",
    )
    one_line_error(kith(root, "done", "jane", "talked"), "no open promise in people/Jane.md")
    one_line_error(kith(root, "done", "jane", "--date", "tomorrow"), "is after today")
    assert (root / "people" / "Jane.md").read_text() == jane
    assert kith(root, "done", "jane", "v2").exit_code == 0
    assert (
        "- [x] 2026-11-21 gave: Send the Deck v2 (promised 2026-02-05)\n"
        in (root / "people" / "Jane.md").read_text()
    )


@slow
def test_done_keeps_a_save_that_lands_while_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer saves between kith's read and its write: kith reads again and
    ticks the promise in their version."""
    from kith.edit import files

    root = write_project(tmp_path, {"Jane.md": "# Jane\n\n## Log\n\n- [ ] 2026-01-05 gave: Deck\n"})
    path = root / "people" / "Jane.md"
    real = files.write_atomic
    calls: list[int] = []

    def save_first(target: Path, text: str, expected: files.Snapshot | None) -> None:
        calls.append(1)
        if len(calls) == 1:  # the editor's save lands now
            path.write_text(path.read_text() + "- 2026-11-01 note: saved by the editor\n")
        real(target, text, expected)

    monkeypatch.setattr(files, "write_atomic", save_first)
    result = kith(root, "done", "jane")
    assert result.exit_code == 0, result.output
    assert len(calls) == 2
    assert path.read_text() == (
        "# Jane\n\n## Log\n\n- [x] 2026-11-21 gave: Deck (promised 2026-01-05)\n"
        "- 2026-11-01 note: saved by the editor\n"
    )


# ---------------------------------------------------------------- kith snooze


SNOOZED = (
    "---\nname: Jane Doe  # her full name\nnext_follow_up: 2026-01-01   # a plan\n"
    "tier: core\n---\n# Jane\n"
)


@slow
@pytest.mark.parametrize(
    ("typed", "until"),
    [
        ("2w", "2026-12-05"),
        ("3m", "2027-02-19"),
        ("friday", "2026-11-27"),
        ("saturday", "2026-11-28"),
        ("tomorrow", "2026-11-22"),
        ("in 10 days", "2026-12-01"),
        ("2026-12-24", "2026-12-24"),
        ("today", "2026-11-21"),
    ],
)
def test_snooze_sets_the_next_follow_up_byte_for_byte(
    tmp_path: Path, typed: str, until: str
) -> None:
    root = write_project(tmp_path, {"Jane.md": SNOOZED.replace("\n", "\r\n").encode()})
    result = kith(root, "snooze", "jane doe", typed)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"people/Jane.md: next_follow_up: {until}\n"
    after = (root / "people" / "Jane.md").read_bytes()
    expected = SNOOZED.replace("2026-01-01   # a plan", f"{until}   # a plan")
    assert after == expected.replace("\n", "\r\n").encode()
    due = json.loads(kith(root, "due", "--json").stdout)
    assert due == [] or due[0]["due"] == until


@slow
def test_snooze_adds_the_key_and_refuses_the_past(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"Jane.md": "# Jane\n"})
    assert kith(root, "snooze", "jane", "2w").exit_code == 0
    assert (
        root / "people" / "Jane.md"
    ).read_text() == "---\nnext_follow_up: 2026-12-05\n---\n# Jane\n"
    one_line_error(kith(root, "snooze", "jane", "2026-11-20"), "is before today (2026-11-21)")
    one_line_error(kith(root, "snooze", "jane", "soon"), "DATE must be a real date")
    assert (
        root / "people" / "Jane.md"
    ).read_text() == "---\nnext_follow_up: 2026-12-05\n---\n# Jane\n"


# ---------------------------------------------------------------- the command line itself


@slow
def test_project_works_after_the_sub_command_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(tmp_path / "network", {"Jane.md": "# Jane\n"})
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke
    assert run(main, ["log", "jane", "call", "--project", str(root)]).exit_code == 0
    assert run(main, ["due", "--json", f"--project={root}"]).exit_code == 0
    assert (
        run(
            main, ["--project", "nowhere", "snooze", "jane", "2w", "--project", str(root)]
        ).exit_code
        == 0
    )
    export = run(main, ["export", "vcard", "--project", str(root)])
    assert export.exit_code == 0 and "FN:Jane" in export.stdout
    text = (root / "people" / "Jane.md").read_text()
    assert text == "---\nnext_follow_up: 2026-12-05\n---\n# Jane\n\n## Log\n\n- 2026-11-21 call\n"


@slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["log", "jane"],
            "Error: Missing argument 'KIND'. — usage: kith log [OPTIONS] NAME KIND [TEXT]...",
        ),
        (["log", "jane", "call", "--bogus"], "Error: No such option '--bogus'."),
        (["due", "--limit", "x"], "Error: Invalid value for '--limit'"),
        (["due", "--tier", "vip"], "unknown tier 'vip'"),
        (["bogus"], "Error: No such command 'bogus'."),
        (["import", "vcard"], "Error: Missing argument 'FILE'. — usage: kith import vcard"),
        (["snooze", "jane"], "Missing argument 'DATE'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    root = write_project(tmp_path, {"Jane.md": "# Jane\n"})
    line = one_line_error(kith(root, *args), code=2)
    assert message in line


@slow
def test_the_new_commands_are_there() -> None:
    assert {"new", "log", "done", "snooze", "due"} <= set(main.commands)


# ---------------------------------------------------------------- kith due in the terminal


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "people", root / "people")
    if (REPO / "journal").is_dir():
        shutil.copytree(REPO / "journal", root / "journal")
    return write_project(root, {})


@slow
@pytest.mark.parametrize("columns", [60, 80, 120, 160])
def test_due_fits_the_terminal(demo: Path, columns: int) -> None:
    whole = kith(demo, "due").stdout.splitlines()
    assert max(len(line) for line in whole) > 160  # a pipe gets the rows whole
    fitted = kith(demo, "due", env={"COLUMNS": str(columns)}).stdout.splitlines()
    assert len(fitted) == len(whole)
    assert max(len(line) for line in fitted) <= columns
    assert any(line.endswith("…") for line in fitted)
    header = fitted[0].split()
    assert header[:2] == ["Name", "Tier" if columns >= 120 else "Due"]
    assert "Reason" in header
    for cut, line in zip(fitted[1:], whole[1:], strict=True):
        name = line[3:].split("  ")[0]
        assert cut.startswith(line[:3] + name)
        if cut.endswith("…"):
            assert cut[:-1].split()[-1] in line  # a cut reason starts as the whole one


@slow
def test_due_json_is_the_same_whatever_the_terminal(demo: Path) -> None:
    assert (
        kith(demo, "due", "--json").stdout
        == kith(demo, "due", "--json", env={"COLUMNS": "40"}).stdout
    )


# ---------------------------------------------------------------- the README runs as written


def _readme_block(heading: str) -> list[tuple[str, list[str]]]:
    """The ``$ kith ...`` commands of the console block under ``heading``, with the
    lines printed after each."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    block = section.split("```console\n", 1)[1].split("```", 1)[0]
    commands: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return commands


@slow
def test_the_readme_capture_examples_run_as_written(demo: Path, tmp_path: Path) -> None:
    root = tmp_path / "network"
    shutil.copytree(demo, root)
    commands = _readme_block("### Adding people and log lines")
    assert len(commands) >= 6
    for command, printed in commands:
        # A shell would end the command at an unquoted ; & | or ( ): none is there.
        tokens = shlex.shlex(command, posix=True, punctuation_chars=True)
        assert not [t for t in tokens if set(t) <= set(";&|()<>")], command
        words = shlex.split(command)
        assert words[0] == "kith", command
        result = kith(root, *words[1:])
        assert result.exit_code in (0, 1), (command, result.output)
        assert result.output.splitlines() == printed, command
