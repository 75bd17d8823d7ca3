"""Git history: real repositories with fixed authors and dates, one ``git log`` per build."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from kith.core.model import Contact, Entry
from kith.git import history as history_module
from kith.git.gitlog import FieldChange, History, parse_log_bytes, unquote
from kith.git.history import HistoryCache, read_history
from kith.pages.activity import Month, monthly_activity
from kith.pages.stale import stale_records
from kith.pages.timeline import person_timeline

from .conftest import article, build, page, write_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

JANE = """---
name: Jane Doe
company: Acme
role: Engineer
tier: core
---

# Jane Doe

## Log

- 2026-01-20 coffee: Talked about her team.
"""


def git(root: Path, *args: str, when: str = "2026-01-05T10:00:00+00:00") -> str:
    """Run git in ``root`` as a fixed author at a fixed time, ignoring the user's config."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@example.com",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def commit(root: Path, message: str, when: str) -> None:
    git(root, "add", "-A", when=when)
    git(root, "commit", "-q", "-m", message, when=when)


def init(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    (root / ".gitignore").write_text("site/\n", encoding="utf-8")


def write(root: Path, name: str, text: str) -> None:
    path = root / "people" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def renamed_job_change(root: Path) -> None:
    """Jane.md (Acme) → log entry → renamed to Jane Doe.md and moved to Globex."""
    init(root)
    write(root, "Jane.md", JANE)
    commit(root, "Add Jane", "2026-01-05T10:00:00+00:00")
    write(root, "Jane.md", JANE + "- 2026-02-01 call: Asked about Globex.\n")
    commit(root, "Log a call with Jane", "2026-02-01T18:30:00+00:00")
    git(root, "mv", "people/Jane.md", "people/Jane Doe.md")
    text = (root / "people" / "Jane Doe.md").read_text(encoding="utf-8")
    write(root, "Jane Doe.md", text.replace("company: Acme", "company: Globex"))
    commit(root, "Jane moved to Globex", "2026-03-10T09:00:00+00:00")


# --- the parser, on git's own output -------------------------------------------------


def test_rename_keeps_history_and_company_change_is_seen(tmp_path: Path) -> None:
    renamed_job_change(tmp_path)
    history = read_history(tmp_path, ["people"])
    assert history.repository and not history.shallow and not history.note
    assert set(history.files) == {"people/Jane Doe.md"}
    events = history.files["people/Jane Doe.md"].events
    assert [e.subject for e in events] == [
        "Jane moved to Globex",
        "Log a call with Jane",
        "Add Jane",
    ]
    assert [e.date for e in events] == [date(2026, 3, 10), date(2026, 2, 1), date(2026, 1, 5)]
    assert [e.status for e in events] == ["R", "M", "A"]
    assert events[0].old_path == "people/Jane.md"
    assert events[0].fields == (FieldChange("company", "Acme", "Globex"),)
    assert str(events[0].fields[0]) == "company: Acme → Globex"
    assert events[1].fields == ()
    assert not events[1].contact_info  # a log line is not contact info
    assert history.files["people/Jane Doe.md"].contact_info_changed == date(2026, 3, 10)
    assert history.head == git(tmp_path, "rev-parse", "HEAD").strip()


def test_block_list_and_quoted_values(tmp_path: Path) -> None:
    init(tmp_path)
    write(tmp_path, "A.md", "---\nindustry:\n  - Software\n  - AI\nrole: 'CTO'\n---\n")
    commit(tmp_path, "Add A", "2026-01-05T10:00:00+00:00")
    write(
        tmp_path, "A.md", '---\nindustry:\n  - Software\n  - Health\nrole: "CEO" # promoted\n---\n'
    )
    commit(tmp_path, "A: new role", "2026-02-05T10:00:00+00:00")
    write(tmp_path, "A.md", '---\nindustry: [Finance]\nrole: "CEO" # promoted\ntier: active\n---\n')
    commit(tmp_path, "A: finance", "2026-03-05T10:00:00+00:00")
    events = read_history(tmp_path, ["people"]).files["people/A.md"].events
    assert events[1].fields == (
        FieldChange("role", "CTO", "CEO"),
        FieldChange("industry", "AI", "Health"),
    )
    assert events[0].fields == (
        FieldChange("industry", "Software, Health", "Finance"),
        FieldChange("tier", "", "active"),
    )
    assert str(events[0].fields[1]) == "tier: — → active"


def test_spaces_non_ascii_and_quotes_in_names(tmp_path: Path) -> None:
    init(tmp_path)
    names = ["Élodie Müller.md", 'Zoë "Z" Ng.md', "Tomasz Wiśniewski.md"]
    for name in names:
        write(tmp_path, name, "---\nemail: x@example.com\n---\n")
    commit(tmp_path, "Add three", "2026-01-05T10:00:00+00:00")
    write(tmp_path, names[0], "---\nemail: elodie@example.com\n---\n")
    commit(tmp_path, "New email for Élodie", "2026-04-01T10:00:00+02:00")
    history = read_history(tmp_path, ["people"])
    assert set(history.files) == {f"people/{name}" for name in names}
    elodie = history.files["people/Élodie Müller.md"]
    assert [e.subject for e in elodie.events] == ["New email for Élodie", "Add three"]
    assert elodie.contact_info_changed == date(2026, 4, 1)
    assert history.under("people").of('Zoë "Z" Ng.md').events[0].subject == "Add three"


def test_unquote_undoes_git_c_quoting() -> None:
    assert unquote('"people/a\\tb\\"c\\\\d.md"') == 'people/a\tb"c\\d.md'
    assert unquote('"people/\\303\\251.md"') == "people/é.md"
    assert unquote("people/plain.md") == "people/plain.md"


def test_merge_keeps_both_sides(tmp_path: Path) -> None:
    init(tmp_path)
    write(tmp_path, "Jane.md", JANE)
    write(tmp_path, "Bob.md", "---\nrole: Designer\n---\n")
    commit(tmp_path, "Add Jane and Bob", "2026-01-05T10:00:00+00:00")
    git(tmp_path, "checkout", "-q", "-b", "side")
    write(tmp_path, "Jane.md", JANE.replace("role: Engineer", "role: Staff Engineer"))
    commit(tmp_path, "Jane promoted", "2026-02-01T10:00:00+00:00")
    git(tmp_path, "checkout", "-q", "main")
    write(tmp_path, "Bob.md", "---\nrole: Lead Designer\n---\n")
    commit(tmp_path, "Bob promoted", "2026-02-02T10:00:00+00:00")
    git(tmp_path, "merge", "-q", "--no-ff", "-m", "Merge side", "side", when="2026-02-03T10:00:00Z")
    history = read_history(tmp_path, ["people"])
    jane = history.files["people/Jane.md"].events
    assert [e.subject for e in jane] == ["Jane promoted", "Add Jane and Bob"]
    assert jane[0].fields == (FieldChange("role", "Engineer", "Staff Engineer"),)
    bob = history.files["people/Bob.md"].events
    assert [e.subject for e in bob] == ["Bob promoted", "Add Jane and Bob"]


def test_uncommitted_edit_and_new_file(tmp_path: Path) -> None:
    renamed_job_change(tmp_path)
    write(tmp_path, "Jane Doe.md", JANE + "- 2026-04-01 lunch: Not committed yet.\n")
    write(tmp_path, "New Person.md", "---\nrole: Founder\n---\n")
    people = read_history(tmp_path, ["people"]).under("people")
    assert people.of("Jane Doe.md").uncommitted
    assert len(people.of("Jane Doe.md").events) == 3
    assert people.of("New Person.md").uncommitted
    assert people.of("New Person.md").events == ()


def test_project_below_the_repository_top(tmp_path: Path) -> None:
    renamed_job_change(tmp_path)
    project = tmp_path / "wiki"
    project.mkdir()
    git(tmp_path, "mv", "people", "wiki/people")
    commit(tmp_path, "Move into wiki/", "2026-04-01T10:00:00+00:00")
    write(project, "Jane Doe.md", JANE)  # uncommitted, under wiki/people
    people = read_history(project, ["people"]).under("people")
    assert set(people.files) == {"Jane Doe.md"}
    assert people.of("Jane Doe.md").uncommitted
    # The move into wiki/ is outside the project folder: history starts there.
    assert [e.subject for e in people.of("Jane Doe.md").events] == ["Move into wiki/"]


def test_not_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    write(tmp_path, "Jane.md", JANE)
    history = read_history(tmp_path, ["people"])
    assert history == History(note=history.note)
    assert "not in a git repository" in history.note


def test_a_prefetched_log_reads_as_the_log_itself(tmp_path: Path) -> None:
    renamed_job_change(tmp_path)
    write(tmp_path, "Uncommitted.md", JANE)
    prefetched = history_module.prefetch(tmp_path, ["people"], HistoryCache())
    assert prefetched is not None
    assert read_history(tmp_path, ["people"], None, prefetched) == read_history(
        tmp_path, ["people"]
    )
    # A rebuild that knows HEAD prefetches only its status: it reads what is new later.
    cache = HistoryCache()
    read_history(tmp_path, ["people"], cache)
    rebuild = history_module.prefetch(tmp_path, ["people"], cache)
    assert rebuild.log is None
    assert read_history(tmp_path, ["people"], cache, rebuild) == read_history(tmp_path, ["people"])


def test_a_prefetched_log_outside_a_repository_is_only_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    write(tmp_path, "Jane.md", JANE)
    prefetched = history_module.prefetch(tmp_path, ["people"], None)
    history = read_history(tmp_path, ["people"], None, prefetched)
    assert "not in a git repository" in history.note


def test_shallow_clone(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    renamed_job_change(origin)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(clone))
    history = read_history(clone, ["people"])
    assert history.shallow
    assert "shallow" in history.note
    events = history.files["people/Jane Doe.md"].events
    assert [e.subject for e in events] == ["Jane moved to Globex"]


def test_golden_log_text() -> None:
    text = (
        "\x1eabc1234\x00def5678\x002026-03-10T09:00:00+00:00\x00HEAD -> main\x00Moved\n\n"
        ":100644 100644 1111111 2222222 R090\tpeople/Old.md\tpeople/New.md\n\n"
        "diff --git a/people/Old.md b/people/New.md\n"
        "similarity index 90%\nrename from people/Old.md\nrename to people/New.md\n"
        "--- a/people/Old.md\n+++ b/people/New.md\n"
        "@@ -1,5 +1,6 @@\n ---\n-company: Acme\n+company: Globex\n ---\n \n"
        " - 2026-01-10 call\n+company: not front matter\n"
    )
    (only,) = parse_log_bytes(text.encode())
    assert only.sha == "abc1234" and only.parents == ("def5678",) and not only.grafted
    (change,) = only.files
    assert (change.status, change.path, change.old_path) == ("R", "people/New.md", "people/Old.md")
    assert change.fields == (FieldChange("company", "Acme", "Globex"),)
    assert change.contact_info


def test_golden_log_text_awkward_patches() -> None:
    """Added, deleted and copied files, blanks around values, a patch line like a header."""
    header = "\x1eabc1234\x00\x002026-03-10T09:00:00+00:00\x00\x00Awkward\n\n"
    raw = [
        "A\tpeople/Added.md",
        "A\tpeople/No Contact.md",
        "D\tpeople/Deleted.md",
        "C100\tpeople/Copy.md\tpeople/Copied.md",
        "M\tpeople/Edited.md",
        "M\tpeople/No Patch.md",
    ]
    sections = [
        # The contact key comes after other keys, a block list and a line that
        # looks like the start of another file's patch.
        "people/Added.md b/people/Added.md\nnew file mode 100644\n--- /dev/null\n"
        "+++ b/people/Added.md\n@@ -0,0 +1,8 @@\n+---\n+name: Added\n+aliases:\n+  - A\n"
        "+diff --git a/people/Edited.md b/people/Edited.md\n+company:Acme\n+email: a@x.test\n"
        "+---\n",
        "people/No Contact.md b/people/No Contact.md\nnew file mode 100644\n"
        "@@ -0,0 +1,5 @@\n+---\n+name: No Contact\n+tier: core\n+---\n+Email: in the body\n",
        # Items under a key line, the whole file removed.
        "people/Deleted.md b/people/Deleted.md\ndeleted file mode 100644\n"
        "@@ -1,5 +0,0 @@\n----\n-phone:\n-  - +1 555 0100\n-  - +1 555 0101\n----\n",
        "people/Copied.md b/people/Copied.md\nsimilarity index 100%\n",
        # Trailing blanks and tabs, comments, and an item under a key with a value.
        "people/Edited.md b/people/Edited.md\n--- a/people/Edited.md\n+++ b/people/Edited.md\n"
        "@@ -1,10 +1,10 @@\n ---\n-role: CTO \t\n+role: 'CEO'  # promoted \t\n name: E\n"
        " industry:  \t\n-  - AI\t\n+  - Health \n   - Software\n tier: core\n"
        "-  - not a tier item\n+location:\t\t\n ---\n body\n",
    ]
    text = header + "".join(f":100644 100644 1111111 2222222 {r}\n" for r in raw) + "\n"
    text += "".join(f"diff --git a/{section}" for section in sections)
    (only,) = parse_log_bytes(text.encode())
    assert only.parents == ()
    summary = [(f.status, f.path, f.old_path, f.fields, f.contact_info) for f in only.files]
    assert summary == [
        ("A", "people/Added.md", "", (), True),
        ("A", "people/No Contact.md", "", (), False),
        ("D", "people/Deleted.md", "", (), True),
        ("C", "people/Copied.md", "people/Copy.md", (), False),
        (
            "M",
            "people/Edited.md",
            "",
            (FieldChange("role", "CTO", "CEO"), FieldChange("industry", "AI", "Health")),
            True,
        ),
        ("M", "people/No Patch.md", "", (), False),
    ]


# --- one process per build, and the serve cache --------------------------------------


class GitCounter:
    """Wraps ``subprocess.run`` in the history module and counts ``git log`` processes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.commands: list[list[str]] = []
        real = subprocess.run

        def counting(command: list[str], *args: Any, **kwargs: Any) -> Any:
            self.commands.append(list(command))
            return real(command, *args, **kwargs)

        monkeypatch.setattr(history_module.subprocess, "run", counting)

    @property
    def git(self) -> list[list[str]]:
        return [c for c in self.commands if c and c[0] == "git"]

    @property
    def logs(self) -> list[list[str]]:
        return [c for c in self.git if "log" in c]


def test_one_git_log_per_build_whatever_the_number_of_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = {f"Person {i:03}.md": f"---\ncompany: Firm {i}\n---\n" for i in range(400)}
    write_project(tmp_path, people, {})
    init(tmp_path)
    commit(tmp_path, "Add 400 people", "2026-01-05T10:00:00+00:00")
    for i in range(0, 400, 40):
        write(tmp_path, f"Person {i:03}.md", f"---\ncompany: Firm {i + 1000}\n---\n")
    commit(tmp_path, "Job changes", "2026-02-05T10:00:00+00:00")
    counter = GitCounter(monkeypatch)
    site = build(tmp_path)
    assert len(counter.logs) == 1
    assert len(counter.git) == 2  # the log and one status
    changes = article(site, "people/person-040/").select(".kith-field-changes li")
    assert [li.get_text() for li in changes] == ["company: Firm 40 → Firm 1040"]


def test_serve_cache_reads_only_new_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed_job_change(tmp_path)
    counter = GitCounter(monkeypatch)
    cache = HistoryCache()
    first = read_history(tmp_path, ["people"], cache)
    assert read_history(tmp_path, ["people"], cache) == first
    assert len(counter.logs) == 1  # same HEAD: no git log at all

    (tmp_path / "README.md").write_text("not a person\n", encoding="utf-8")
    commit(tmp_path, "Readme", "2026-03-11T09:00:00+00:00")
    write(tmp_path, "Jane Doe.md", JANE.replace("role: Engineer", "role: CTO"))
    commit(tmp_path, "Jane is CTO", "2026-03-12T09:00:00+00:00")
    updated = read_history(tmp_path, ["people"], cache)
    assert len(counter.logs) == 2
    assert counter.logs[-1][-1].endswith("..HEAD")  # only the new commits
    assert updated == read_history(tmp_path, ["people"])  # same as a fresh full read
    assert updated.files["people/Jane Doe.md"].events[0].subject == "Jane is CTO"
    assert "Readme" not in [e.subject for e in updated.files["people/Jane Doe.md"].events]

    git(tmp_path, "commit", "-q", "--amend", "-m", "Jane is CTO now", when="2026-03-12T10:00Z")
    amended = read_history(tmp_path, ["people"], cache)
    subjects = [e.subject for e in amended.files["people/Jane Doe.md"].events]
    assert subjects[:2] == ["Jane is CTO now", "Jane moved to Globex"]
    assert amended == read_history(tmp_path, ["people"])


def test_rebuilds_keep_the_history_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As under ``mkdocs serve``: MkDocs keeps the plugin between builds in one process."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    def build(root: Path) -> Path:  # a rebuild of the serve session
        mkdocs_build(load_config(str(root / "mkdocs.yml")))
        return root / "site"

    write_project(tmp_path, {}, {})
    renamed_job_change(tmp_path)
    counter = GitCounter(monkeypatch)
    monkeypatch.chdir(tmp_path)
    load_config(str(tmp_path / "mkdocs.yml")).plugins.on_startup(command="serve", dirty=False)
    build(tmp_path)
    build(tmp_path)
    assert len(counter.logs) == 1  # the second build found the same HEAD
    text = (tmp_path / "people" / "Jane Doe.md").read_text(encoding="utf-8")
    write(tmp_path, "Jane Doe.md", text.replace("role: Engineer", "role: CTO"))
    commit(tmp_path, "Jane is CTO", "2026-03-12T09:00:00+00:00")
    site = build(tmp_path)
    assert len(counter.logs) == 2 and counter.logs[-1][-1].endswith("..HEAD")
    changes = article(site, "people/jane-doe/").select(".kith-field-changes li")
    assert [li.get_text() for li in changes] == ["role: Engineer → CTO", "company: Acme → Globex"]
    assert sorted(p.name for p in (tmp_path / "people").iterdir()) == ["Jane Doe.md"]


# --- pages -----------------------------------------------------------------------------


def test_person_page_shows_the_renamed_files_full_timeline(tmp_path: Path) -> None:
    write_project(tmp_path, {}, {})
    renamed_job_change(tmp_path)
    site = build(tmp_path)
    timeline = article(site, "people/jane-doe/").select_one(".kith-timeline")
    assert timeline is not None
    items = [li for li in timeline.select("li.kith-timeline-item")]
    texts = [" ".join(li.get_text(" ", strip=True).split()) for li in items]
    assert [li["class"][1] for li in items] == [
        "kith-timeline-commit",
        "kith-timeline-commit",
        "kith-timeline-entry",
        "kith-timeline-entry",
        "kith-timeline-commit",
    ]
    assert texts[0].startswith("2026-03-10 commit")
    assert "Jane moved to Globex" in texts[0]
    assert "(renamed from Jane.md)" in texts[0]
    assert "company: Acme → Globex" in texts[0]
    assert "Log a call with Jane" in texts[1]
    assert texts[2] == "2026-02-01 call Asked about Globex."
    assert texts[3] == "2026-01-20 coffee Talked about her team."
    assert "Add Jane" in texts[4] and "(file created)" in texts[4]
    assert timeline.select_one("details") is None
    # The job change also makes her a past colleague at Acme on the Companies page.
    past = {
        section.select_one("h3").contents[0].strip(): section.select_one(".kith-company-past")
        for section in article(site, "companies/").select("section.kith-company")
    }
    assert set(past) == {"Globex", "Acme"} and past["Globex"] is None
    worked_there = past["Acme"].get_text(" ", strip=True)
    assert worked_there.startswith("Worked there: Jane Doe")
    assert worked_there.endswith("(now Globex)")


def test_long_timeline_folds_after_ten(tmp_path: Path) -> None:
    log = "".join(f"- 2026-01-{day:02} call: Call {day}.\n" for day in range(1, 13))
    write_project(tmp_path, {"Jane.md": JANE + log}, {})
    site = build(tmp_path)
    timeline = article(site, "people/jane/").select_one(".kith-timeline")
    assert timeline is not None
    shown = timeline.select(":scope > ol > li")
    folded = timeline.select("details li")
    assert len(shown) == 10 and len(folded) == 3
    assert shown[0].get_text(" ", strip=True).startswith("2026-01-20 coffee")
    assert folded[-1].get_text(" ", strip=True) == "2026-01-01 call Call 1."
    assert "3 earlier" in timeline.select_one("details summary").get_text()


def test_not_a_repository_build_logs_one_info_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    write_project(tmp_path, {"Jane.md": JANE}, {})
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.kith"):
        site = build(tmp_path)  # strict: a warning would fail it
    lines = [r for r in caplog.records if "git" in r.getMessage()]
    assert [r.levelno for r in lines] == [logging.INFO]
    timeline = article(site, "people/jane/").select(".kith-timeline-item")
    assert [li["class"][1] for li in timeline] == ["kith-timeline-entry"]


def test_home_refresh_list_uses_git_when_checked_is_missing(tmp_path: Path) -> None:
    write_project(tmp_path, {}, {})
    init(tmp_path)
    write(tmp_path, "Bob.md", "---\nemail: bob@example.com\n---\n")
    write(tmp_path, "Carol.md", "---\ntier: active\n---\n")
    write(tmp_path, "Dan.md", "---\nchecked: 2025-01-10\n---\n")
    write(tmp_path, "Erin.md", "---\nchecked: 2026-10-01\n---\n")
    commit(tmp_path, "Add people", "2024-06-01T10:00:00+00:00")
    write(tmp_path, "Fay.md", "---\nphone: '+49 30 1234'\n---\n")
    commit(tmp_path, "Add Fay", "2026-05-01T10:00:00+00:00")
    site = build(tmp_path)
    rows = page(site, "").select(".kith-stale table tbody tr")
    cells = [[td.get_text(" ", strip=True) for td in row.select("td")] for row in rows]
    assert [c[0] for c in cells] == ["Carol", "Bob", "Dan"]  # never, then oldest first
    assert cells[0][2] == "never"
    assert cells[1][2] == "2024-06-01 (903 days ago) from git"
    assert cells[2][2] == "2025-01-10 (680 days ago)"
    cards = {
        name: {
            dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True)
            for dt in article(site, f"people/{name}/").select(".kith-card dt")
        }
        for name in ("bob", "carol", "fay")
    }
    assert cards["bob"]["Info checked"] == "2024-06-01 from git"
    assert cards["carol"]["Info checked"] == "never"
    assert cards["fay"]["Info checked"] == "2026-05-01 from git"


def test_home_activity_chart(tmp_path: Path) -> None:
    log = (
        "- 2026-11-02 coffee: a\n- 2026-11-03 gave: b\n- 2026-10-30 received: c\n"
        "- [ ] 2026-11-04 gave: promise\n- 2024-11-30 call: too old\n"
    )
    write_project(tmp_path, {"Jane.md": JANE + log}, {})
    site = build(tmp_path)
    home = page(site, "")
    activity = home.select_one(".kith-activity")
    assert activity is not None
    assert activity.select_one("p").get_text() == (
        "2 interactions and 2 favors logged in the 24 calendar months from Dec 2024 to"
        " Nov 2026 (Nov 2026 up to today). Favors are counted apart from the other"
        " interactions; a journal note counts as one interaction."
    )
    interactions = activity.select_one("svg#kith-activity-interactions")
    assert interactions is not None and len(interactions.select("rect")) == 24
    assert home.select_one("script[src*='chart']") is None
    rows = [[td.get_text() for td in tr.select("td")] for tr in activity.select("tbody tr")]
    assert rows[:3] == [["2026-11", "1", "1"], ["2026-10", "0", "1"], ["2026-09", "0", "0"]]
    assert rows[10] == ["2026-01", "1", "0"]


# --- pure analyses ---------------------------------------------------------------------


def entry(day: str, kind: str, done: bool = True) -> Entry:
    return Entry(date.fromisoformat(day), kind, "", done, 1, "Jane.md")


def test_monthly_activity_counts() -> None:
    entries = [
        entry("2026-11-02", "coffee"),
        entry("2026-11-03", "gave"),
        entry("2026-11-25", "call"),  # after today
        entry("2026-11-04", "gave", done=False),  # open promise
        entry("2024-12-01", "call"),  # the first of the 24 months
        entry("2024-11-30", "call"),  # one day too old
        entry("2026-01-31", "received"),
        entry("2026-01-31", "intro"),
    ]
    months = monthly_activity(entries, date(2026, 11, 21), favor_kinds=("gave", "received"))
    assert len(months) == 24
    assert months[0] == Month(date(2024, 12, 1), 1, 0)
    assert months[-1] == Month(date(2026, 11, 1), 1, 1)
    assert months[13] == Month(date(2026, 1, 1), 1, 1)
    assert sum(m.interactions for m in months) == 3 and sum(m.favors for m in months) == 2
    assert months[0].label == "Dec 2024"  # a month: "Dec 24" would read as a day


def test_stale_records_order_and_fallback() -> None:
    today = date(2026, 11, 21)
    a = Contact("A.md", "people/A.md", "A", checked=date(2025, 1, 1))
    b = Contact("B.md", "people/B.md", "B")
    c = Contact("C.md", "people/C.md", "C")
    d = Contact("D.md", "people/D.md", "D", archived=True)
    e = Contact("E.md", "people/E.md", "E", checked=date(2026, 1, 1))
    changed = {"B.md": date(2024, 1, 1), "C.md": None, "D.md": None, "E.md": date(2020, 1, 1)}
    records = stale_records([a, b, c, d, e], changed, today, 365)
    assert [(r.contact.name, r.checked, r.from_git, r.age) for r in records] == [
        ("C", None, False, None),
        ("B", date(2024, 1, 1), True, 1055),
        ("A", date(2025, 1, 1), False, 689),
    ]
    assert stale_records([a, b, c], changed, today, 0) == ()


def test_timeline_orders_newest_first_with_uncommitted_on_top(tmp_path: Path) -> None:
    renamed_job_change(tmp_path)
    write(tmp_path, "Jane Doe.md", JANE)
    file_history = read_history(tmp_path, ["people"]).files["people/Jane Doe.md"]
    items = person_timeline(
        [entry("2026-02-01", "call"), entry("2026-03-10", "lunch")], file_history
    )
    assert [(i.kind, i.date) for i in items] == [
        ("uncommitted", None),
        ("commit", date(2026, 3, 10)),
        ("entry", date(2026, 3, 10)),
        ("commit", date(2026, 2, 1)),
        ("entry", date(2026, 2, 1)),
        ("commit", date(2026, 1, 5)),
    ]


def test_a_one_off_build_keeps_no_history_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``mkdocs build`` lets the commits go once folded (memory): a second build reads again."""
    write_project(tmp_path, {}, {})
    renamed_job_change(tmp_path)
    counter = GitCounter(monkeypatch)
    build(tmp_path)
    site = build(tmp_path)
    assert len(counter.logs) == 2
    changes = article(site, "people/jane-doe/").select(".kith-field-changes li")
    assert [li.get_text() for li in changes] == ["company: Acme → Globex"]
