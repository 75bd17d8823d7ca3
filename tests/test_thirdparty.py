"""kith against files other people wrote: ``tests/thirdparty`` (sources and licences
in each folder's ``SOURCES.md``).

vCard fixtures of vCard libraries and real exports of phones and address books,
LinkedIn exports of several years' formats, the YAML test suite's cases as front
matter. What a user expects of each: no traceback; nothing lost silently (every
e-mail, phone, organisation, title, note, birthday and name part of a card is in
the person's file or reported as left out); two different people never merged;
a second import changes nothing; an export imported back changes nothing; the
imported folder builds with ``--strict``; ``kith check`` and the build agree.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from kith.cli import main
from kith.exchange import linkedin, vcard
from kith.exchange.core import Import
from kith.exchange.records import Outcome, Record
from kith.exchange.vcard_text import components, unescape
from kith.reading.load import load

from .conftest import REPO, build, write_project

THIRD = REPO / "tests" / "thirdparty"
VCARDS = sorted((THIRD / "vcard").glob("*.vcf"))
CSVS = sorted(p for p in (THIRD / "linkedin").glob("*.csv") if "messages" not in p.name)
"""Connections.csv files (the messages.csv ones are read in test_import_thirdparty.py)."""
YAMLS = sorted((THIRD / "yaml").glob("*.yaml"))


def kith(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_corpus_is_there_with_its_sources() -> None:
    assert len(VCARDS) >= 25 and len(CSVS) >= 5 and len(YAMLS) >= 30
    for folder in ("vcard", "linkedin", "yaml", "obsidian", "calendar", "mail"):
        sources = (THIRD / folder / "SOURCES.md").read_text(encoding="utf-8")
        for path in (THIRD / folder).rglob("*"):
            if path.is_file() and path.name != "SOURCES.md":
                assert path.name in sources, f"{folder}/{path.name} has no source recorded"


# ---------------------------------------------------------------- vCard


def _read_vcard(path: Path) -> list[object]:
    return list(vcard.records(vcard.decode(path.read_bytes(), path.name), path.name))


def _import(folder: Path, items: list[object]) -> Import:
    run = Import(folder, "people/", load(folder, "people/"))
    for item in items:
        run.add(item) if isinstance(item, Record) else run.skip(item)  # type: ignore[arg-type]
    assert run.write() == []
    return run


def _haystack(path: Path, outcome: Outcome) -> str:
    """What the person's file says (values unquoted, Markdown escapes undone) and what the
    import said about the record: where every value of the source must be."""
    text = path.read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"\\(.)", r"\1", text))
    said = " ".join(outcome.notices) + " " + " ".join(k.offered for k in outcome.kept)
    return _squeeze(text + " " + said)


def _squeeze(text: str) -> str:
    return " ".join(text.replace('"', " ").split()).casefold()


_KEPT = ("email", "tel", "org", "title", "note", "bday", "fn", "n", "nickname")


def _source_values(path: Path) -> Iterator[tuple[int, str, str]]:
    """``(card number, property, value)`` of every kept property of every card."""
    text = vcard.decode(path.read_bytes(), path.name)
    for number, (_, lines) in enumerate(vcard._cards(text), start=1):
        if isinstance(lines, str):
            continue
        for line_number, raw in lines:
            try:
                line = vcard._line(raw, line_number)
            except Exception:
                continue  # reported as a line left out: checked by the import test
            name = line.name.lower()
            if name not in _KEPT:
                continue
            if name in ("org", "n"):
                parts = [p for c in components(line.value) for p in c.split(",")]
            elif name == "nickname":
                parts = re.split(r"(?<!\\),", line.value)
            elif name in ("email", "tel"):
                parts = [re.sub(r"\\(.)", r"\1", line.value).removeprefix("mailto:")]
                parts = [p.removeprefix("tel:") for p in parts]
            else:
                parts = [unescape(line.value)]
            for part in parts:
                if unescape(part).strip():
                    yield number, name, unescape(part)


@pytest.mark.parametrize("source", VCARDS, ids=lambda p: p.stem)
def test_a_vcard_file_imports_with_nothing_lost_and_no_one_merged(
    source: Path, tmp_path: Path
) -> None:
    items = _read_vcard(source)
    folder = tmp_path / "people"
    folder.mkdir()
    run = _import(folder, items)
    by_card = {
        int(o.position.split()[1]): o for o in run.outcomes if o.position.startswith("card ")
    }
    # Nothing lost: every value of a kept property is in the file or reported.
    for card, prop, value in _source_values(source):
        outcome = by_card[card]
        if outcome.action == "skipped":
            continue  # reported with its reason (and no name: nothing to file it under)
        assert outcome.path, outcome
        hay = _haystack(folder / outcome.path.removeprefix("people/"), outcome)
        wanted = _squeeze(value)
        if prop == "bday" and _squeeze(value) not in hay:  # as a date: 19800322 is 1980-03-22
            digits = re.sub(r"\D", "", value)[-8:]
            if len(digits) == 8:
                wanted = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
            elif len(digits) == 4:  # --0203: no year
                wanted = f"{digits[:2]}-{digits[2:]}"
            wanted = wanted.removeprefix("1604-").removeprefix("0000-")
        found = re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", hay)
        assert found, f"card {card}: {prop} {value!r} is neither in the file nor reported"
    # Never merged: a record matched into a file made in this import shares an identity.
    created: dict[str, Record] = {}
    for item, outcome in zip(
        (i for i in items if isinstance(i, Record)),
        (o for o in run.outcomes if o.action != "skipped" or o.name),
        strict=False,
    ):
        if outcome.action == "created":
            created[outcome.path] = item
        elif outcome.path in created:
            first = created[outcome.path]
            shared = set(first.emails) & set(item.emails) or (
                first.values.get("linkedin")
                and first.values.get("linkedin") == item.values.get("linkedin")
            )
            assert shared or first.name == item.name, (first, item)
    # A second import changes nothing.
    before = snapshot(folder)
    again = _import(folder, _read_vcard(source))
    assert again.counts["created"] == again.counts["updated"] == 0
    assert snapshot(folder) == before


def test_vcard_quirks_of_real_exports_are_read_as_meant(tmp_path: Path) -> None:
    def people(name: str) -> list[Record]:
        return [r for r in _read_vcard(THIRD / "vcard" / name) if isinstance(r, Record)]

    # Outlook 2003's 2.1: an ORG whose first unit has a plain comma.
    (outlook,) = people("ezvcard_outlook-2003.vcf")
    assert outlook.values["company"] == "Company, The"
    assert outlook.values["department"] == "TheDepartment"
    # Gmail's unescaped comma in FN: the whole name, not the part before the comma.
    (gmail,) = people("ezvcard_John_Doe_GMAIL.vcf")
    assert gmail.name == "Mr. John Richter, James Doe Sr."
    # iPhone's CR CR LF line ends: the photo's base64 leaks into no value.
    (iphone,) = people("ezvcard_John_Doe_IPHONE.vcf")
    for value in [*map(str, iphone.values.values()), iphone.note]:
        assert not re.search(r"[A-Za-z0-9+/]{40,}", value), value
    # Lotus Notes' PROFILE:VCard card imports.
    (lotus,) = people("ezvcard_John_Doe_LOTUS_NOTES.vcf")
    assert lotus.values["email"][0] == "john.doe@ibm.com"  # the first of its addresses
    # Apple's \\: escapes do not reach the page.
    (apple,) = people("ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf")
    assert "\\" not in repr([apple.name, *apple.values.values(), apple.note]).replace("\\n", "")
    # 2.1 quoted-printable with soft line breaks (Outlook, Android), UTF-8 QP names.
    (outlook_2007,) = people("ezvcard_outlook-2007.vcf")
    assert "I assume it encodes this text inside" in " ".join(outlook_2007.note.split())
    android = people("ezvcard_John_Doe_ANDROID.vcf")
    assert "bob@company.com" in {e for r in android for e in r.emails}
    # A birthday without a year is its month and day.
    (rfc,) = people("ezvcard_rfc6350-example.vcf")
    assert rfc.values["birthday"] == "02-03"
    # A fold in the middle of a UTF-8 character.
    (split,) = people("kcontacts_vcard9.vcf")
    assert "на русском языке" in split.note
    # An address locality with a comma is text, not a list.
    (maximal,) = people("l0b0_maximal.vcf")
    assert "[" not in str(maximal.values.get("location", ""))


def test_all_the_vcards_in_one_folder_build_export_and_come_back_unchanged(
    tmp_path: Path,
) -> None:
    root = write_project(tmp_path, {})
    for source in VCARDS:
        result = kith(root, "import", "vcard", str(source))
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
    people = root / "people"
    assert len(list(people.glob("*.md"))) >= 30  # the John Does of several tools are one
    check = kith(root, "check")
    assert check.exit_code == 0, check.output
    build(root, strict=True)
    # Export, then import into the same folder: everyone matches, nothing changes.
    out = tmp_path / "all.vcf"
    assert kith(root, "export", "vcard", "-o", str(out)).exit_code == 0
    before = snapshot(people)
    result = kith(root, "import", "vcard", str(out))
    assert result.output.startswith("created 0, updated 0,"), result.output
    assert snapshot(people) == before
    # Into an empty folder: the same people, with the same values.
    other = write_project(tmp_path / "other", {})
    kith(other, "import", "vcard", str(out))
    fields = ("name", "company", "role", "email", "phone", "location", "website", "birthday")

    def values(folder: Path) -> list[tuple[object, ...]]:
        return sorted(
            (
                *(str(getattr(c, f)) for f in fields),
                tuple(c.aliases),
                str(c.extra.get("department", "")),
                str(c.extra.get("given_name", "")),
                str(c.extra.get("family_name", "")),
            )
            for c in load(folder).contacts
        )

    assert values(other / "people") == values(people)


# ---------------------------------------------------------------- LinkedIn


def _read_csv(path: Path) -> list[object]:
    return list(linkedin.records(linkedin.decode(path.read_bytes(), path.name), path.name))


@pytest.mark.parametrize("source", CSVS, ids=lambda p: p.stem)
def test_a_linkedin_export_imports_every_named_row(source: Path, tmp_path: Path) -> None:
    items = _read_csv(source)
    folder = tmp_path / "people"
    folder.mkdir()
    run = _import(folder, items)
    for outcome in run.outcomes:
        if outcome.action == "skipped":
            assert outcome.reason == "no first or last name", outcome
    named = [i for i in items if isinstance(i, Record)]
    assert run.counts["created"] == len({r.values.get("linkedin") or r.name for r in named})
    before = snapshot(folder)
    again = _import(folder, _read_csv(source))
    assert again.counts["created"] == again.counts["updated"] == 0
    assert snapshot(folder) == before


def test_linkedin_formats_of_several_years() -> None:
    old = [r for r in _read_csv(THIRD / "linkedin" / "2018_us_datetime_no_notes.csv")]
    assert all(isinstance(r, Record) and "met" in r.values for r in old)  # "1/8/18, 6:14 PM"
    twins = [
        r
        for r in _read_csv(THIRD / "linkedin" / "fixture_same_name_two_people.csv")
        if isinstance(r, Record) and r.name == "Priya Sharma"
    ]
    assert len(twins) == 2


def test_two_people_of_one_name_stay_two(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    result = kith(
        root, "import", "linkedin", str(THIRD / "linkedin" / "fixture_same_name_two_people.csv")
    )
    assert result.exit_code == 0, result.output
    priyas = [c for c in load(root / "people").contacts if c.name == "Priya Sharma"]
    assert sorted(c.linkedin for c in priyas) == [
        "https://www.linkedin.com/in/priya-sharma-1",
        "https://www.linkedin.com/in/priya-sharma-2",
    ]


def test_a_row_whose_date_cannot_be_read_imports_without_met(tmp_path: Path) -> None:
    csv_file = tmp_path / "Connections.csv"
    csv_file.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Byron,https://www.linkedin.com/in/ada,,Engines,Analyst,sometime in 1843\n",
        encoding="utf-8",
    )
    root = write_project(tmp_path / "p", {})
    result = kith(root, "import", "linkedin", str(csv_file))
    assert result.output.splitlines()[0].startswith("created 1,")
    assert "'Connected On' 'sometime in 1843' (not a date: no met)" in result.output
    (ada,) = load(root / "people").contacts
    assert ada.company == "Engines" and ada.met is None


def test_a_huge_linkedin_cell_skips_its_row_and_the_rest_imports(tmp_path: Path) -> None:
    csv_file = tmp_path / "Connections.csv"
    csv_file.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Big,Cell,,,{'x' * 200_000},Role,26 Jul 2025\n"
        "Ada,Byron,https://www.linkedin.com/in/ada,,Engines,Analyst,26 Jul 2025\n",
        encoding="utf-8",
    )
    root = write_project(tmp_path / "p", {})
    result = kith(root, "import", "linkedin", str(csv_file))
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "skipped line 2 (" not in result.output  # no name shown: the row is not read
    assert "skipped line 2: a cell of 200,000 characters" in result.output
    assert [c.name for c in load(root / "people").contacts] == ["Ada Byron"]


# ---------------------------------------------------------------- YAML as front matter


def _problems(text: str) -> set[str]:
    return set(re.findall(r"^(?:WARNING\s+-\s+)?(people/\S+:\d+:\d+: .*?)(?: — .*)?$", text, re.M))


def test_yaml_suite_cases_as_front_matter_give_pages_or_located_problems(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_project(tmp_path, {})
    for case in YAMLS:
        shutil.copyfile(case, tmp_path / case.name)
        data = case.read_bytes()
        (root / "people" / f"{case.stem}.md").write_bytes(
            b"---\n" + data + (b"" if data.endswith(b"\n") or not data else b"\n") + b"---\n"
        )
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.kith"):
        site = build(root, strict=False)
    built = _problems("\n".join(r.getMessage() for r in caplog.records))
    check = kith(root, "check")
    assert "Traceback" not in check.output
    assert _problems(check.output) == built
    sources = (THIRD / "yaml" / "SOURCES.md").read_text(encoding="utf-8")
    errors = set(re.findall(r"^\| `(\w+)\.yaml` \| \w+ \| [^|]+ \| yes \|", sources, re.M))
    assert errors, "SOURCES.md marks the suite's error cases"
    with_problem = {p.split(":")[0].removeprefix("people/").removesuffix(".md") for p in built}
    published = {p.parent.name for p in (site / "people").glob("*/index.html")}
    for case in YAMLS:
        text = case.read_text(encoding="utf-8", errors="replace")
        cut = re.search(r"^(?:---|\.\.\.)(?:\s|$)", text, re.M)  # ends the front matter early
        if case.stem in errors and not cut:
            assert case.stem in with_problem, f"{case.stem}: invalid YAML read without a problem"
        assert (
            case.stem in with_problem
            or case.stem.lower() in published
            or any(case.stem.lower() in p for p in published)
        ), f"{case.stem}: neither a page nor a problem"
