"""The bad-input corpus: one file per failure mode, each with the message it must produce.

``tests/corpus/bad/<case>.md`` holds the broken file and ``<case>.expected``
the ``path:line:col: message`` lines it must produce (the hint after ``—``
may be reworded). ``tests/corpus/good/<case>.md`` holds files that look odd
but are fine, with the contact they make in ``<case>.result.json``.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from kith.cli import main
from kith.reading.front_matter import split
from kith.reading.load import loads
from mkdocs.exceptions import Abort

from .conftest import REPO, build, write_project

CORPUS = REPO / "tests" / "corpus"
BAD = sorted((CORPUS / "bad").glob("*.md"))
GOOD = sorted((CORPUS / "good").glob("*.md"))


def expected(case: Path) -> list[str]:
    lines = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad-corpus")
    write_project(root, {})
    for case in BAD:
        shutil.copyfile(case, root / "people" / case.name)
    return root


def test_every_case_has_its_expected_messages() -> None:
    assert len(BAD) >= 15
    for case in BAD:
        messages = expected(case)
        assert messages, f"{case.name}: no expected message"
        for message in messages:
            assert message.startswith(f"people/{case.name}:"), message


@pytest.mark.parametrize("case", BAD, ids=lambda p: p.stem)
def test_loader_reports_the_expected_problem(case: Path) -> None:
    """Each file alone (links to other people aside) gives exactly its own messages."""
    _, problems = loads(case.read_bytes(), case.name, f"people/{case.name}")
    found = [str(p).split(" — ")[0] for p in problems]
    wanted = [
        m for m in expected(case) if "links to nobody" not in m and "no person named" not in m
    ]
    assert found == wanted


def test_kith_check_reports_every_case_with_file_and_line(bad_project: Path) -> None:
    result = CliRunner().invoke(main, ["--project", str(bad_project), "check"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    for case in BAD:
        for message in expected(case):
            assert any(line.startswith(message + " — ") for line in lines), message
    wanted = sum(len(expected(case)) for case in BAD)
    assert sum(1 for line in lines if line.startswith("people/")) == wanted


def test_a_normal_build_completes_and_publishes_no_raw_front_matter(
    bad_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = build(bad_project, strict=False)
    assert "Traceback" not in caplog.text
    for case in BAD:
        for message in expected(case):
            assert message in caplog.text, message
    published = [
        text
        for path in site.rglob("*")
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics")
        for text in _readable(path)
    ]
    assert published
    for case in BAD:
        for line in _front_matter_lines(case):
            assert not any(line in text for text in published), (case.name, line)
    # Files that could be read keep their person; unreadable ones get a page saying why
    # (the raw front matter in none of them: checked above).
    assert (site / "people" / "bad-date" / "index.html").is_file()
    for case in ("invalid-yaml", "latin-1"):
        text = (site / "people" / case / "index.html").read_text(encoding="utf-8")
        assert "This file cannot be read as a person" in text, case


def test_strict_build_fails(bad_project: Path) -> None:
    with pytest.raises(Abort):
        build(bad_project, strict=True)


@pytest.mark.parametrize("case", GOOD, ids=lambda p: p.stem)
def test_tricky_but_good_files_read_as_written(case: Path) -> None:
    contact, problems = loads(case.read_bytes(), case.name, f"people/{case.name}")
    assert problems == []
    assert contact is not None
    result: dict[str, Any] = json.loads(
        case.with_name(case.stem + ".result.json").read_text(encoding="utf-8")
    )
    for key, value in result.items():
        if key == "entries":
            continue
        actual = getattr(contact, key)
        if hasattr(actual, "isoformat"):
            actual = actual.isoformat()
        elif isinstance(actual, tuple):
            actual = list(actual)
        assert actual == value, key
    entries = [
        {
            "date": e.date.isoformat(),
            "kind": e.kind,
            "text": e.text,
            "done": e.done,
            "line": e.line,
            "links": [link.target for link in e.links],
        }
        for e in contact.entries
    ]
    assert entries == result["entries"]


def test_good_files_are_byte_exact_in_the_repository() -> None:
    """CRLF and a BOM must survive checkout, or the cases test nothing."""
    assert b"\r\n" in (CORPUS / "good" / "crlf.md").read_bytes()
    assert (CORPUS / "good" / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\xe9" in (CORPUS / "bad" / "latin-1.md").read_bytes()


def _readable(path: Path) -> list[str]:
    """The file as written and as a reader sees it (entities decoded)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    return [raw, html.unescape(raw)]


def _front_matter_lines(case: Path) -> list[str]:
    """Lines of a bad file's front matter that are unmistakably raw YAML (``key: value``)."""
    text = case.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
    try:
        yaml_text = split(text, case.name).yaml_text or ""
    except Exception:  # the unclosed case: everything after the fence
        yaml_text = text.split("\n\n", 1)[0].removeprefix("---\n")
    return [line for line in yaml_text.split("\n") if ": " in line and len(line) >= 10]
