"""Any value of any key gives a page or a located problem, and ``kith check`` and the
build say the same: never a crash of the whole build over one file's value.

The values are what people's files hold: the empty keys kith's own
``templates/person.md`` writes, an empty ``past_companies:``, YAML's typed values
(``!!set``, ``!!binary``, ``!!omap``, ``!!timestamp``), anchors, odd numbers.
A template that fails (a user's, on a value it cannot show) stops the build with
one line naming the template line and the page, not a traceback.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from kith.cli import main
from mkdocs.exceptions import Abort

from .conftest import build, write_project

VALUES = {
    "empty-unknown": "nickname:",
    "empty-quoted": 'nickname: ""',
    "empty-past-companies": "past_companies:",
    "empty-list": "past_companies: []",
    "list-of-nulls": "past_companies: [~, null, '']",
    "set-tags": "tags: !!set {oss, mentor}",
    "set-unknown": "hobbies: !!set {chess, go}",
    "set-past-companies": "past_companies: !!set {Initech}",
    "timestamp": "seen: !!timestamp 2001-12-14t21:59:43.10-05:00",
    "date-looking": "seen: 2001-12-14",
    "nan": "score: .nan",
    "infinity": "score: -.inf",
    "huge-float": "score: 1e999",
    "octal-looking": "code: 0o17",
    "anchor": "aliases: &a [JD]\nnicknames: *a",
    "null-tag": "nickname: !!null ''",
    "str-tag": "nickname: !!str",
    "float-tag": "score: !!float 1",
    "bool-list": "flags: [true, false, yes]",
    "mixed-list": "things: [1, two, 3.5, true, ~, 2020-01-01]",
    "binary": "photo: !!binary aGVsbG8=",
    "omap": "ranks: !!omap [a: 1, b: 2]",
    "pairs": "ranks: !!pairs [a: 1, a: 2]",
    "nested": "address: {city: Berlin}",
    "set-company": "company: !!set {Acme}",
    "binary-company": "company: !!binary aGVsbG8=",
    "timestamp-met": "met: !!timestamp 2024-05-14t10:00:00Z",
    "unknown-tag": "nickname: !shout hello",
}


def _file(case: str, line: str) -> str:
    return f"---\nname: Case {case}\n{line}\n---\n\n# Case {case}\n\nNotes.\n"


def _problems(text: str) -> set[str]:
    """``path:line:col: message`` lines (the hint after `` — `` aside)."""
    found = re.findall(r"^(?:WARNING\s+-\s+)?(people/\S+:\d+:\d+: .*?)(?: — .*)?$", text, re.M)
    return set(found)


@pytest.fixture(scope="module")
def values_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    root = tmp_path_factory.mktemp("values")
    write_project(root, {f"{case}.md": _file(case, line) for case, line in VALUES.items()})
    logger = logging.getLogger("mkdocs.plugins.kith")
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Keep()
    logger.addHandler(handler)
    try:
        site = build(root, strict=False)
    finally:
        logger.removeHandler(handler)
    return root, site, _problems("\n".join(seen))


def test_the_build_completes_whatever_the_values(values_site: tuple[Path, Path, set[str]]) -> None:
    _, site, _ = values_site
    assert (site / "index.html").is_file()


def test_kith_check_and_the_build_report_the_same_problems(
    values_site: tuple[Path, Path, set[str]],
) -> None:
    root, _, built = values_site
    result = CliRunner().invoke(main, ["--project", str(root), "check"])
    assert "Traceback" not in result.output
    checked = _problems(result.output)
    assert checked == built
    assert checked, "the binary, nested and unknown-tag values are problems"


def test_each_file_gives_a_page_or_a_located_problem(
    values_site: tuple[Path, Path, set[str]],
) -> None:
    _, site, problems = values_site
    with_problem = {p.split(":")[0].removeprefix("people/").removesuffix(".md") for p in problems}
    names = {
        heading.get_text(strip=True).rstrip("¶")
        for path in (site / "people").glob("*/index.html")
        for heading in BeautifulSoup(path.read_text("utf-8"), "html.parser").select("h1")
    }
    for case in VALUES:
        assert f"Case {case}" in names or case in with_problem, case
    # The located problems point at the value's own line, the third of each file.
    for problem in problems:
        assert problem.split(":")[1] == "3", problem
    for case in ("binary", "omap", "pairs", "nested", "binary-company", "unknown-tag"):
        assert case in with_problem, case
    for case in ("empty-unknown", "set-tags", "timestamp", "nan", "mixed-list"):
        assert case not in with_problem, case


def _card(site: Path, case: str) -> dict[str, str]:
    soup = BeautifulSoup((site / "people" / case / "index.html").read_text("utf-8"), "html.parser")
    return {
        dt.get_text(strip=True): dd.get_text(" ", strip=True)
        for dt, dd in zip(soup.select("dl dt"), soup.select("dl dd"), strict=False)
    }


def test_values_show_as_what_they_say(values_site: tuple[Path, Path, set[str]]) -> None:
    _, site, _ = values_site
    assert "Nickname" not in _card(site, "empty-unknown")  # an empty key shows nothing
    assert "Past companies" not in _card(site, "list-of-nulls")
    assert _card(site, "set-unknown")["Hobbies"] == "chess, go"
    assert _card(site, "timestamp")["Seen"].startswith("2001-12-14")
    assert _card(site, "mixed-list")["Things"] == "1, two, 3.5, yes, 2020-01-01"
    tags = BeautifulSoup(
        (site / "people" / "set-tags" / "index.html").read_text("utf-8"), "html.parser"
    ).select(".kith-tag")
    assert sorted(t.get_text() for t in tags) == ["mentor", "oss"]
    companies = (site / "companies" / "index.html").read_text("utf-8")
    assert "Initech" in companies  # a !!set of past companies is a list of them


def test_kiths_own_template_makes_a_file_that_builds(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    result = CliRunner().invoke(main, ["--project", str(root), "new", "Jane Doe"])
    assert result.exit_code == 0, result.output
    text = (root / "people" / "Jane Doe.md").read_text("utf-8")
    assert re.search(r"^\w+:\s*$", text, re.M), "the template writes empty keys"
    site = build(root, strict=True)
    assert (site / "people" / "jane-doe" / "index.html").is_file()


@pytest.mark.parametrize(
    ("template", "where"),
    [
        ("<p>{{ contact.name }}</p>\n<p>{{ contact.met | join(', ') }}</p>\n", ":2:"),
        ("<p>{{ contact.name }</p>\n", ":1:"),  # a syntax error
    ],
    ids=["fails-on-a-value", "syntax-error"],
)
def test_a_failing_template_names_its_line_and_the_page(
    tmp_path: Path, template: str, where: str, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_project(
        tmp_path,
        {"jane.md": "---\nname: Jane\nmet: 2024-05-14\n---\n"},
        extra_files={"templates/person-card.html": template},
    )
    with pytest.raises(Abort):
        build(root, strict=False)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    message = next(m for m in errors if "the template failed" in m)
    assert message.startswith("templates/person-card.html" + where), message
    assert "people/jane.md" in message
    assert not any("Traceback" in m for m in errors)
