"""Imports (LinkedIn CSV, vCard) and the vCard export, on real files in temporary projects."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import vobject  # type: ignore[import-untyped]
from click.testing import CliRunner, Result
from kith.cli import main
from kith.core.errors import KithError
from kith.exchange import linkedin, vcard
from kith.exchange.core import Import, normal_linkedin
from kith.exchange.records import Record, Skip
from kith.reading.load import load

from .conftest import REPO, build, page, write_project

FIXTURES = Path(__file__).parent / "fixtures"
IMPORT = FIXTURES / "import"
OMAR = (FIXTURES / "edit" / "odd-crlf.md").read_bytes()


def kith(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------- reading the exports


def test_linkedin_csv_is_read_past_its_notes_with_quoted_commas_and_non_ascii() -> None:
    text = (IMPORT / "Connections.csv").read_text(encoding="utf-8")
    items = list(linkedin.records(text, "Connections.csv"))
    records = [i for i in items if isinstance(i, Record)]
    assert [(r.position, r.name) for r in records] == [
        ("line 5", "Jane Doe"),
        ("line 6", "Zoë Ångström"),
        ("line 7", "伟 陈"),
        ("line 8", "Omar Haddad"),
        ("line 9", "Mal lory Acme]] [[Evil"),
        ("line 12", "../../etc passwd"),
        ("line 14", "Jane Doe"),
        ("line 15", "Bad Date"),
    ]
    jane, zoe = records[0], records[1]
    assert jane.values == {
        "company": "Acme, Inc.",
        "role": "VP Engineering",
        "linkedin": "https://www.linkedin.com/in/janedoe",
        "email": "jane@example.com",
        "how_met": "LinkedIn",
        "met": date(2025, 7, 26),
    }
    assert zoe.values["role"] == "Professor, Computer Science"
    assert zoe.values["email"] == ""
    # A date that cannot be read costs the row its ``met`` only, and says so.
    assert "met" not in records[-1].values
    assert records[-1].left_out == ("'Connected On' 'someday' (not a date: no met)",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26 Jul 2025", date(2025, 7, 26)),
        ("3 Feb 2024", date(2024, 2, 3)),
        ("07/26/25", date(2025, 7, 26)),
        ("2025-07-26", date(2025, 7, 26)),
        ("31 Feb 2025", None),
        ("someday", None),
    ],
)
def test_linkedin_dates(text: str, expected: date | None) -> None:
    assert linkedin.parse_date(text) == expected


def test_a_csv_without_the_linkedin_header_is_one_clear_error() -> None:
    with pytest.raises(KithError, match="no header row with 'First Name'"):
        list(linkedin.records("Name,Phone\nJane,123\n", "people.csv"))


def test_apple_vcards_folded_lines_groups_units_and_social_profiles() -> None:
    text = (IMPORT / "apple.vcf").read_bytes().decode("utf-8")
    elif_, kenji, company = list(vcard.records(text, "apple.vcf"))
    assert isinstance(elif_, Record) and isinstance(kenji, Record)
    assert elif_.name == "Elif Yılmaz"
    assert elif_.values == {
        "company": "Northwind Traders, Ltd.",
        "department": "Platform Engineering",
        "role": "Staff Engineer",
        "email": ["elif@northwind.example", "elif.yilmaz@mail.example"],  # every address
        "phone": "+49 170 5550100",
        "linkedin": "http://www.linkedin.com/in/elif-yilmaz",
        "website": "https://elif.example",
        "location": "Berlin",
        "birthday": date(1988, 4, 12),
    }
    assert elif_.emails == ("elif@northwind.example", "elif.yilmaz@mail.example")
    assert elif_.note.startswith("Met at PyCon DE 2025 after her talk on build systems. Wants")
    assert "people doing <b>Rust</b> in logistics; see [[Omar Haddad]]." in elif_.note
    # A birthday without a year (Apple writes 1604) is kept as its month and day.
    assert kenji.values["birthday"] == "11-03"
    assert elif_.left_out == ("phone +49 30 5550199 (kith keeps one phone)",)
    assert company == Skip("card 3 (line 39)", "not a person (a company card)")


def test_google_vcards_and_one_malformed_card_among_good_ones() -> None:
    text = (IMPORT / "google.vcf").read_bytes().decode("utf-8")
    priya, broken, lucia = list(vcard.records(text, "google.vcf"))
    assert isinstance(priya, Record) and isinstance(lucia, Record)
    assert priya.values["linkedin"] == "https://www.linkedin.com/in/priya-natarajan"
    assert priya.values["website"] == "https://priya.example/blog"
    assert priya.values["location"] == "London"
    assert priya.values["birthday"] == date(1990, 9, 30)
    # A line that is no property costs the card nothing but itself, and is reported.
    assert isinstance(broken, Record) and broken.name == "Broken Card"
    assert broken.left_out == ("line 25 'this line is not a property' (not a vCard property line)",)
    assert lucia.values["phone"] == "+34-600-555-012"
    assert lucia.values["birthday"] == date(1992, 2, 15)


def test_an_unterminated_card_is_reported_and_the_next_one_read() -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:A\nBEGIN:VCARD\nVERSION:3.0\nFN:B\nEND:VCARD\n"
    first, second = list(vcard.records(text, "x.vcf"))
    assert first == Skip("card 1 (line 1)", "no END:VCARD before the next card on line 4")
    assert isinstance(second, Record) and second.name == "B"


# ---------------------------------------------------------------- matching rules


def _run(folder: Path, *records: Record) -> Import:
    run = Import(folder, "people/", load(folder, "people/"))
    for record in records:
        run.add(record)
    run.write()
    return run


def _person(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.md").write_text(text, encoding="utf-8")


def test_matching_by_linkedin_then_email_then_exact_name(tmp_path: Path) -> None:
    _person(tmp_path, "Jane Doe", "---\nlinkedin: https://linkedin.com/in/jane/\n---\n")
    _person(tmp_path, "Bob Roe", "---\nemail: Bob@Example.com\n---\n")
    _person(tmp_path, "Cy Poe", "# Cy Poe\n")
    run = _run(
        tmp_path,
        Record("J. Doe", "1", {"linkedin": "https://www.linkedin.com/in/Jane", "role": "CTO"}),
        Record("Robert Roe", "2", {"company": "Acme"}, emails=("x@y.z", "bob@example.com")),
        Record("cy  POE", "3", {"company": "Initech"}),
    )
    assert [(o.action, o.path, o.changed) for o in run.outcomes] == [
        ("updated", "people/Jane Doe.md", ("role",)),
        ("updated", "people/Bob Roe.md", ("company",)),
        ("updated", "people/Cy Poe.md", ("company",)),
    ]
    assert (tmp_path / "Cy Poe.md").read_text() == "---\ncompany: Initech\n---\n# Cy Poe\n"


def test_same_name_different_linkedin_is_a_new_person_with_a_numbered_file(tmp_path: Path) -> None:
    _person(tmp_path, "jane doe", "---\nlinkedin: https://linkedin.com/in/jane-1\n---\n")
    run = _run(tmp_path, Record("Jane Doe", "1", {"linkedin": "linkedin.com/in/jane-2"}))
    assert [(o.action, o.path) for o in run.outcomes] == [("created", "people/Jane Doe 2.md")]


def test_an_ambiguous_name_is_skipped_with_the_candidates(tmp_path: Path) -> None:
    _person(tmp_path, "Jane Doe", "# Jane Doe\n")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "Jane.md").write_text("---\nname: Jane Doe\n---\n")
    run = _run(tmp_path, Record("Jane Doe", "line 2", {"company": "Acme"}))
    (outcome,) = run.outcomes
    assert outcome.action == "skipped"
    assert outcome.reason.startswith("2 people are named 'Jane Doe' (people/Jane Doe.md, people/")


def test_a_person_whose_file_cannot_be_read_is_not_duplicated(tmp_path: Path) -> None:
    _person(tmp_path, "Jane Doe", "---\nname: [unclosed\n---\n")
    run = _run(tmp_path, Record("Jane Doe", "line 2", {"company": "Acme"}))
    assert [(o.action, o.reason) for o in run.outcomes] == [
        (
            "skipped",
            "a file named 'Jane Doe' exists in people/ but cannot be read; "
            "run kith check, fix it, and import again",
        )
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["Jane Doe.md"]


def test_normal_linkedin() -> None:
    assert (
        normal_linkedin("https://www.linkedin.com/in/Jane-Doe/?trk=x") == "linkedin.com/in/jane-doe"
    )
    assert normal_linkedin("de.linkedin.com/in/j%C3%B6rg") == "linkedin.com/in/jörg"
    assert normal_linkedin("") == ""


# ---------------------------------------------------------------- the commands


@pytest.fixture
def omar_project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"Omar Haddad.md": OMAR})


JANE = """---
name: Jane Doe
company: Acme, Inc.
role: VP Engineering
tier: unsorted
met: 2025-07-26
how_met: LinkedIn
email: jane@example.com
linkedin: https://www.linkedin.com/in/janedoe
---

# Jane Doe

## Log
"""


def test_linkedin_import_golden_files_summary_and_idempotence(omar_project: Path) -> None:
    people = omar_project / "people"
    result = kith(omar_project, "import", "linkedin", str(IMPORT / "Connections.csv"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "created 6, updated 1, unchanged 1, skipped 0",
        "kept people/Omar Haddad.md: role 'Staff Engineer' (import has 'Principal Engineer')",
        "kept people/Omar Haddad.md: met '2023-06-01' (import has '2022-03-01')",
        "note people/Bad Date.md: left out 'Connected On' 'someday' (not a date: no met)",
    ]
    # The existing file: only the empty key filled and two keys added, CRLF kept.
    assert (people / "Omar Haddad.md").read_bytes() == (
        FIXTURES / "edit" / "odd-crlf.after-import.md"
    ).read_bytes()
    assert (people / "Jane Doe.md").read_text(encoding="utf-8") == JANE
    assert sorted(p.name for p in people.iterdir()) == [
        "Bad Date.md",
        "Jane Doe.md",
        "Mal lory Acme Evil.md",
        "Omar Haddad.md",
        "Zoë Ångström.md",
        "etc passwd.md",
        "伟 陈.md",
    ]
    before = snapshot(people)
    again = kith(omar_project, "import", "linkedin", str(IMPORT / "Connections.csv"))
    assert again.stdout.splitlines()[0] == "created 0, updated 0, unchanged 8, skipped 0"
    assert snapshot(people) == before


def test_dry_run_writes_nothing(omar_project: Path) -> None:
    before = snapshot(omar_project / "people")
    result = kith(omar_project, "import", "linkedin", "--dry-run", str(IMPORT / "Connections.csv"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "created 6, updated 1, unchanged 1, skipped 0"
    assert result.stdout.splitlines()[-1] == "dry run: nothing written"
    assert snapshot(omar_project / "people") == before


def test_malicious_values_stay_data_in_the_files_and_on_the_site(omar_project: Path) -> None:
    kith(omar_project, "import", "linkedin", str(IMPORT / "Connections.csv"))
    network = load(omar_project / "people", "people/")
    assert network.problems == ()
    mallory = next(c for c in network.contacts if c.stem == "Mal lory Acme Evil")
    assert mallory.name == "Mal lory Acme]] [[Evil"
    assert mallory.company == "<script>alert(1)</script>"
    assert mallory.role == "Lead: Security tier: core"
    assert mallory.tier == "unsorted"
    assert mallory.links == ()
    # LinkedIn's own name parts, kept: a guess from the name would split it otherwise.
    assert dict(mallory.extra) == {"given_name": "Mal lory", "family_name": "Acme]] [[Evil"}
    site = build(omar_project)
    article = page(site, f"people/{mallory.slug}/").select_one("article")
    assert article is not None
    assert article.find("script") is None
    assert "<script>alert(1)</script>" in article.get_text()
    hrefs = [str(a.get("href", "")) for a in article.find_all("a")]
    assert not [h for h in hrefs if "evil" in h.lower() and not h.startswith("#")]
    assert article.h1 is not None
    assert article.h1.get_text().removesuffix("¶").strip() == "Mal lory Acme]] [[Evil"


def test_vcard_import_reports_the_malformed_card_and_escapes_the_note(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"Omar Haddad.md": OMAR, "Jane Doe.md": "# Jane Doe\n"})
    result = kith(root, "import", "vcard", str(IMPORT / "apple.vcf"))
    assert result.stdout.splitlines() == [
        "created 2, updated 0, unchanged 0, skipped 1",
        "note people/Elif Yılmaz.md: left out phone +49 30 5550199 (kith keeps one phone)",
        "skipped card 3 (line 39): not a person (a company card)",
    ]
    result = kith(root, "import", "vcard", str(IMPORT / "google.vcf"))
    assert result.stdout.splitlines()[0] == "created 3, updated 0, unchanged 0, skipped 0"
    assert (
        "note people/Broken Card.md: left out line 25 'this line is not a property' "
        "(not a vCard property line)"
    ) in result.stdout.splitlines()
    elif_ = (root / "people" / "Elif Yılmaz.md").read_text(encoding="utf-8")
    assert elif_.endswith(
        "# Elif Yılmaz\n\n"
        "Met at PyCon DE 2025 after her talk on build systems. Wants intros to people doing "
        "&lt;b&gt;Rust&lt;/b&gt; in logistics; see \\[\\[Omar Haddad\\]\\].\n"
        "\\- 2026-01-01 gave: not a real log entry\n"
        "\\# not a heading\n\n## Log\n"
    )
    network = load(root / "people", "people/")
    elif_contact = next(c for c in network.contacts if c.name == "Elif Yılmaz")
    assert elif_contact.entries == () and elif_contact.links == ()
    assert elif_contact.extra == {"department": "Platform Engineering"}
    # Again: nothing changes.
    before = snapshot(root / "people")
    for name in ("apple.vcf", "google.vcf"):
        assert "created 0, updated 0" in kith(root, "import", "vcard", str(IMPORT / name)).stdout
    assert snapshot(root / "people") == before
    build(root)


def test_export_round_trips_through_the_importer(tmp_path: Path) -> None:
    source = write_project(tmp_path / "a", {"Omar Haddad.md": OMAR})
    kith(source, "import", "vcard", str(IMPORT / "apple.vcf"))
    kith(source, "import", "vcard", str(IMPORT / "google.vcf"))
    kith(source, "import", "linkedin", str(IMPORT / "Connections.csv"))
    exported = kith(source, "export", "vcard").stdout_bytes.decode("utf-8")
    cards = list(vobject.readComponents(exported))
    assert len(cards) == 12
    assert all(c.version.value == "4.0" for c in cards)
    out = tmp_path / "network.vcf"
    assert kith(source, "export", "vcard", "-o", str(out)).exit_code == 0
    assert out.read_bytes().decode("utf-8") == exported
    # Into an empty project: the same people with the same contact data.
    target = write_project(tmp_path / "b", {})
    assert kith(target, "import", "vcard", str(out)).stdout.startswith("created 12, updated 0")
    fields = ("name", "company", "role", "email", "phone", "linkedin", "website", "birthday")

    def people(root: Path) -> set[tuple[object, ...]]:
        return {
            (*(getattr(c, f) for f in fields), c.location, dict(c.extra).get("department"))
            for c in load(root / "people").contacts
        }

    assert people(target) == people(source)
    # Into the project it came from: everyone matches, nothing changes.
    before = snapshot(source / "people")
    result = kith(source, "import", "vcard", str(out))
    assert result.stdout.splitlines()[0] == "created 0, updated 0, unchanged 12, skipped 0"
    assert snapshot(source / "people") == before


def test_export_filters_by_tier(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, {"A.md": "---\ntier: core\n---\n", "B.md": "---\ntier: active\n---\n"}
    )
    result = kith(root, "export", "vcard", "--tier", "core")
    assert [c.fn.value for c in vobject.readComponents(result.stdout)] == ["A"]


def test_importing_into_the_demo_keeps_the_strict_build_passing(tmp_path: Path) -> None:
    shutil.copytree(REPO / "people", tmp_path / "people")
    root = write_project(tmp_path, {})
    demo = snapshot(root / "people")
    aisha = tmp_path / "aisha.csv"
    aisha.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Aisha,Rahman,https://www.linkedin.com/in/aisha-rahman,,Open Kiez,Director,01 Oct 2024\n",
        encoding="utf-8",
    )
    for kind, path in (
        ("linkedin", IMPORT / "Connections.csv"),
        ("vcard", IMPORT / "apple.vcf"),
        ("vcard", IMPORT / "google.vcf"),
        ("linkedin", aisha),
    ):
        assert kith(root, "import", kind, str(path)).exit_code == 0
    assert load(root / "people").problems == ()
    changed = {k for k, v in snapshot(root / "people").items() if demo.get(k, v) != v}
    assert changed == {"Aisha Rahman.md"}  # matched by exact name: her LinkedIn URL filled
    text = (root / "people" / "Aisha Rahman.md").read_text(encoding="utf-8")
    assert text == (REPO / "people" / "Aisha Rahman.md").read_text(encoding="utf-8").replace(
        "\n---\n", "\nlinkedin: https://www.linkedin.com/in/aisha-rahman\n---\n", 1
    )
    build(root)


def test_two_thousand_connections_import_once(tmp_path: Path) -> None:
    shutil.copytree(REPO / "people", tmp_path / "people")
    root = write_project(tmp_path, {})
    rows = io.StringIO()
    rows.write('Notes:\n"Some e-mail addresses may be missing."\n\n')
    writer = csv.writer(rows)
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                     "Connected On"])  # fmt: skip
    for i in range(2000):
        # Every 100 people share a name; the URL tells them apart.
        writer.writerow([f"Person{i % 100}", "Müller", f"https://www.linkedin.com/in/p-{i}", "",
                         "Acme, Inc.", "Engineer", "26 Jul 2025"])  # fmt: skip
    export = tmp_path / "Connections.csv"
    export.write_text(rows.getvalue(), encoding="utf-8")
    first = kith(root, "import", "linkedin", str(export))
    assert first.stdout.splitlines()[0] == "created 2000, updated 0, unchanged 0, skipped 0"
    assert len(list((root / "people").glob("Person7 Müller*.md"))) == 20
    second = kith(root, "import", "linkedin", str(export))
    assert second.stdout.splitlines()[0] == "created 0, updated 0, unchanged 2000, skipped 0"


# ---------------------------------------------------------------- people never merged


ANDROID_21 = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John;;;\r\nFN:Doe, John\r\nORG:Acme, Inc.\r\n"
    "TEL;CELL:+1 555 0100\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane;;;\r\nFN:Doe, Jane\r\n"
    "EMAIL;HOME:jane@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Lee\r\nEMAIL:sam@one.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Lee\r\nEMAIL:sam@two.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Lee\r\nEMAIL:sam@one.example\r\n"
    "TITLE:Designer\r\nEND:VCARD\r\n"
)


def test_namesakes_who_differ_are_two_people_and_commas_cut_no_name(tmp_path: Path) -> None:
    source = tmp_path / "contacts.vcf"
    source.write_text(ANDROID_21, encoding="utf-8", newline="")
    root = write_project(tmp_path / "p", {})
    result = kith(root, "import", "vcard", str(source))
    assert result.stdout.splitlines()[0] == "created 4, updated 1, unchanged 0, skipped 0"
    assert "note people/Sam Lee 2.md: kept apart from people/Sam Lee.md: same name" in (
        result.stdout
    )
    people = {c.stem: c for c in load(root / "people").contacts}
    assert people["Doe, John"].company == "Acme, Inc." and people["Doe, John"].email == ""
    assert people["Doe, Jane"].email == "jane@example.com" and people["Doe, Jane"].phone == ""
    assert people["Sam Lee"].email == "sam@one.example" and people["Sam Lee"].role == "Designer"
    assert people["Sam Lee 2"].email == "sam@two.example"


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder no one can write to: immutable for root (who ignores modes), else 0500."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("cannot make a folder read-only here")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o755)


def test_an_import_whose_writes_fail_counts_them_as_not_written(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    with read_only(root / "people"):
        result = CliRunner().invoke(
            main, ["--project", str(root), "import", "linkedin", str(IMPORT / "Connections.csv")]
        )
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first == "created 0, updated 0, unchanged 1, skipped 0, not written 7", first
    assert re.search(r"not written: people/Jane Doe\.md: .*(denied|not permitted)", result.stderr)
    assert ".kith-" not in result.output  # the target is named, not a temporary file
    assert list((root / "people").iterdir()) == []


def test_new_files_get_the_mode_of_any_new_file(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    kith(root, "import", "linkedin", str(IMPORT / "Connections.csv"))
    old = os.umask(0)
    os.umask(old)
    for path in (root / "people").iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~old, path


def test_export_writes_names_units_and_text_as_the_grammar_has_them(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "Emma de Vries.md": "---\nname: Emma de Vries\nrole: Lead; Platform\n---\n",
            "Jane Doe PhD.md": "---\nname: Dr. Jane Doe PhD\n---\n",
            "Li Wei.md": "---\nname: Li Wei\ngiven_name: Wei\nfamily_name: Li\n---\n",
            "Dept.md": "---\nname: Dept Only\ndepartment: Research\n"
            'website: "https://example.com/a,b"\nbirthday: 04-15\n---\n',
        },
    )
    exported = kith(root, "export", "vcard").stdout_bytes.decode("utf-8")
    cards = {c.fn.value: c for c in vobject.readComponents(exported)}
    assert cards["Emma de Vries"].n.value.family == "de Vries"
    assert cards["Dr. Jane Doe PhD"].n.value.family == "Doe"
    assert cards["Li Wei"].n.value.family == "Li"
    assert "TITLE:Lead; Platform\r\n" in exported  # 4.0 text: no \; outside structured values
    assert "ORG:;Research\r\n" in exported
    assert "URL:https://example.com/a,b\r\n" in exported
    assert "BDAY:--0415\r\n" in exported
    # Imported back into the same folder: nothing changes (no company from the department).
    out = tmp_path / "out.vcf"
    out.write_text(exported, encoding="utf-8", newline="")
    before = snapshot(root / "people")
    result = kith(root, "import", "vcard", str(out))
    assert result.stdout.startswith("created 0, updated 0, unchanged 4"), result.stdout
    assert snapshot(root / "people") == before


def test_imported_people_wait_unsorted_without_follow_ups_and_home_counts_them(
    tmp_path: Path,
) -> None:
    root = write_project(tmp_path, {"Known.md": "---\ntier: core\nmet: 2020-01-01\n---\n"})
    kith(root, "import", "linkedin", str(IMPORT / "Connections.csv"))
    imported = [c for c in load(root / "people").contacts if c.stem != "Known"]
    assert {c.tier for c in imported} == {"unsorted"}
    assert all(c.met is None or c.met.year < 2026 for c in imported)  # old connections
    site = build(root)
    home = page(site, "")
    count = home.select_one(".kith-unsorted")
    assert count is not None and count.get_text().startswith(f"{len(imported)} people")
    overdue = [a.get_text() for a in home.select(".kith-home-overdue a")]
    assert overdue == ["Known"]  # the imported people are not due
    # Tiered, a person has follow-ups again; the count goes down.
    zoe = root / "people" / "Zoë Ångström.md"
    zoe.write_text(zoe.read_text("utf-8").replace("tier: unsorted", "tier: network"), "utf-8")
    home = page(build(root), "")
    assert home.select_one(".kith-unsorted").get_text().startswith(f"{len(imported) - 1} people")
    assert "Zoë Ångström" in [a.get_text() for a in home.select(".kith-home-overdue a")]


def test_a_re_import_with_update_applies_a_job_change(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "Jane Doe.md": "---\nname: Jane Doe\ncompany: Acme  # her first job\nrole: Engineer\n"
            "linkedin: https://www.linkedin.com/in/janedoe\ntier: core\n---\n\n# Jane Doe\n",
        },
    )
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Jane,Doe,https://www.linkedin.com/in/janedoe,,Globex,VP Engineering,26 Jul 2020\n",
        encoding="utf-8",
    )
    plain = kith(root, "import", "linkedin", str(export))
    assert "kept people/Jane Doe.md: company 'Acme' (import has 'Globex')" in plain.stdout
    result = kith(root, "import", "linkedin", "--update", str(export))
    assert result.stdout.splitlines()[0] == "created 0, updated 1, unchanged 0, skipped 0"
    assert "note people/Jane Doe.md: changed company 'Acme' → 'Globex'" in result.stdout
    assert "note people/Jane Doe.md: changed role 'Engineer' → 'VP Engineering'" in result.stdout
    (jane,) = load(root / "people").contacts
    assert (jane.company, jane.role, jane.tier) == ("Globex", "VP Engineering", "core")
    assert jane.extra["past_companies"] == ("Acme",)
    text = (root / "people" / "Jane Doe.md").read_text(encoding="utf-8")
    assert "company: Globex  # her first job\n" in text  # the line's comment stays
    # Again: nothing to change.
    before = snapshot(root / "people")
    again = kith(root, "import", "linkedin", "--update", str(export))
    assert again.stdout.startswith("created 0, updated 0, unchanged 1")
    assert snapshot(root / "people") == before


def test_a_soft_line_break_before_the_end_of_a_card_ends_nothing_but_the_value() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ann\r\nNOTE;ENCODING=QUOTED-PRINTABLE:first =\r\n"
        "line=\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Bob\r\nEND:VCARD\r\n"
    )
    ann, bob = vcard.records(text, "x.vcf")
    assert isinstance(ann, Record) and ann.note == "first line"
    assert isinstance(bob, Record) and bob.name == "Bob"


def test_several_addresses_are_all_theirs(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {"Jane Doe.md": "---\nname: Jane Doe\nemail: [jane@work.example, jd@home.example]\n---\n"},
    )
    (jane,) = load(root / "people").contacts
    assert jane.email == "jane@work.example"
    assert jane.emails == ("jane@work.example", "jd@home.example")
    card = tmp_path / "card.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:J. Doe\r\nEMAIL:JD@home.example\r\nTITLE:CTO\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    result = kith(root, "import", "vcard", str(card))  # the second address finds her
    assert result.stdout.startswith("created 0, updated 1"), result.stdout
    exported = kith(root, "export", "vcard").stdout_bytes.decode("utf-8")
    assert "EMAIL;PREF=1:jane@work.example\r\nEMAIL:jd@home.example\r\n" in exported
    out = tmp_path / "out.vcf"
    out.write_text(exported, encoding="utf-8", newline="")
    before = snapshot(root / "people")
    again = kith(root, "import", "vcard", str(out))
    assert again.stdout.startswith("created 0, updated 0, unchanged 1"), again.stdout
    assert "kept" not in again.stdout
    assert snapshot(root / "people") == before
    site = build(root)
    links = page(site, "people/jane-doe/").select(".kith-contact-info a")
    assert [a["href"] for a in links] == ["mailto:jane@work.example", "mailto:jd@home.example"]
