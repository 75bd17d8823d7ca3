"""Rebuilds under ``mkdocs serve``: ``git status`` prefetched, the last fold reused.

Every reused history must equal what a fresh ``fold`` of the same commits gives,
and keep the very ``FileHistory`` objects of the files that did not change.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kith.git import history as history_module
from kith.git.gitlog import History, fold
from kith.git.history import HistoryCache, prefetch, read_history

from .test_history import JANE, GitCounter, commit, git, renamed_job_change, write

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FOLDERS = ["people"]


class FoldCounter:
    """Counts the full ``fold`` runs of the history module (a reused fold runs none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = history_module.fold

        def counting(*args: Any, **kwargs: Any) -> History:
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(history_module, "fold", counting)

    def rebuild(self, root: Path, cache: HistoryCache) -> tuple[History, int]:
        """``rebuild``, and how many full folds it ran."""
        before = self.calls
        history = rebuild(root, cache)
        return history, self.calls - before


def rebuild(root: Path, cache: HistoryCache) -> History:
    """One build as the plugin does it: prefetch, then (after the contact files) read."""
    return read_history(root, FOLDERS, cache, prefetch(root, FOLDERS, cache))


def fresh(root: Path, cache: HistoryCache, uncommitted: set[str]) -> History:
    """A full ``fold`` of the commits the cache holds."""
    return fold(cache.commits, uncommitted, cache.head, cache.shallow)


def same_objects(old: History, new: History, but: set[str]) -> Iterator[str]:
    """The paths of both histories, other than ``but``, whose entries are not the same object."""
    for path in (set(old.files) | set(new.files)) - but:
        if old.files.get(path) is not new.files.get(path):
            yield path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Jane (renamed, three commits) and Bob, both committed."""
    renamed_job_change(tmp_path)
    write(tmp_path, "Bob.md", "---\ncompany: Initech\n---\n")
    commit(tmp_path, "Add Bob", "2026-03-11T09:00:00+00:00")
    return tmp_path


def test_reused_fold_equals_a_fresh_one(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = HistoryCache()
    first = rebuild(repo, cache)
    assert first == read_history(repo, FOLDERS)
    folds = FoldCounter(monkeypatch)
    jane, bob, new = "people/Jane Doe.md", "people/Bob.md", "people/New Person.md"

    # (a) A committed file becomes uncommitted.
    write(repo, "Jane Doe.md", JANE + "- 2026-04-01 lunch: Not committed yet.\n")
    edited, full = folds.rebuild(repo, cache)
    assert full == 0
    assert edited == fresh(repo, cache, {jane}) == read_history(repo, FOLDERS)
    assert edited.files[jane].uncommitted and len(edited.files[jane].events) == 3
    assert edited.files[jane].events is first.files[jane].events
    assert list(same_objects(first, edited, {jane})) == []

    # (c) A new file no commit touched: uncommitted, without events.
    write(repo, "New Person.md", "---\nrole: Founder\n---\n")
    added, full = folds.rebuild(repo, cache)
    assert full == 0
    assert added == fresh(repo, cache, {jane, new}) == read_history(repo, FOLDERS)
    assert added.files[new].uncommitted and added.files[new].events == ()
    assert list(same_objects(edited, added, {new})) == []

    # (d) Reverted to clean: the edited file keeps its commits, the new one goes.
    git(repo, "checkout", "--", jane)
    (repo / new).unlink()
    clean, full = folds.rebuild(repo, cache)
    assert full == 0
    assert clean == fresh(repo, cache, set()) == first
    assert new not in clean.files
    assert not clean.files[jane].uncommitted
    assert clean.files[jane].events is first.files[jane].events
    assert clean.files[bob] is first.files[bob]

    # Nothing changed: every entry is the last build's.
    again, full = folds.rebuild(repo, cache)
    assert full == 0 and again == clean and list(same_objects(clean, again, set())) == []

    # (b) Committed again: a new HEAD folds the new commits in, in full.
    write(repo, "Bob.md", "---\ncompany: Initrode\n---\n")
    bobs, full = folds.rebuild(repo, cache)
    assert full == 0 and bobs.files[bob].uncommitted
    commit(repo, "Bob moved to Initrode", "2026-04-02T09:00:00+00:00")
    moved, full = folds.rebuild(repo, cache)
    assert full == 1
    assert moved.head != first.head
    assert moved == fresh(repo, cache, set()) == read_history(repo, FOLDERS)
    assert [e.subject for e in moved.files[bob].events] == ["Bob moved to Initrode", "Add Bob"]
    assert not moved.files[bob].uncommitted

    # And the next rebuild reuses that fold.
    write(repo, "Bob.md", "---\ncompany: Initech\n---\n")
    back, full = folds.rebuild(repo, cache)
    assert full == 0
    assert back == fresh(repo, cache, {bob}) == read_history(repo, FOLDERS)
    assert list(same_objects(moved, back, {bob})) == []


def test_an_uncommitted_file_stays_uncommitted_through_a_commit_of_another(
    repo: Path,
) -> None:
    cache = HistoryCache()
    write(repo, "New Person.md", "---\nrole: Founder\n---\n")
    rebuild(repo, cache)
    write(repo, "Bob.md", "---\ncompany: Initrode\n---\n")
    git(repo, "add", "people/Bob.md")
    git(repo, "commit", "-q", "-m", "Bob moved", when="2026-04-02T09:00:00+00:00")
    history = rebuild(repo, cache)
    assert history == read_history(repo, FOLDERS)
    assert history.files["people/New Person.md"].uncommitted


def test_a_rebuild_prefetches_only_the_status(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = HistoryCache()
    counter = GitCounter(monkeypatch)
    first = prefetch(repo, FOLDERS, cache)
    assert first.log is not None  # a first build: status and the whole log
    assert read_history(repo, FOLDERS, cache, first) == read_history(repo, FOLDERS)
    # Status, where the grafts are, and the log; and the fresh read: status and log.
    assert len(counter.git) == 3 + 2

    counter.commands.clear()
    write(repo, "Jane Doe.md", JANE)
    again = prefetch(repo, FOLDERS, cache)
    assert again.log is None
    again.status.result()
    assert [c for c in counter.git if "status" in c] == counter.git and len(counter.git) == 1
    history = read_history(repo, FOLDERS, cache, again)
    assert len(counter.git) == 1  # read_history ran no git of its own
    assert history == read_history(repo, FOLDERS)


def served_and_fresh(
    root: Path, cache: HistoryCache, counter: GitCounter
) -> tuple[History, list[list[str]]]:
    """A rebuild, checked against a fresh read of the same repository, and its ``git log``
    commands (a range: only the new commits; ``HEAD``: the whole log)."""
    counter.commands.clear()
    served = rebuild(root, cache)
    logs = counter.logs
    assert served == read_history(root, FOLDERS)
    return served, logs


def test_a_file_moved_in_from_outside_is_created_as_in_a_fresh_read(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "inbox").mkdir()
    (repo / "inbox" / "Cy Young.md").write_text("---\ncompany: Hooli\n---\n", encoding="utf-8")
    commit(repo, "Inbox", "2026-03-12T09:00:00+00:00")
    cache = HistoryCache()
    rebuild(repo, cache)
    counter = GitCounter(monkeypatch)
    git(repo, "mv", "inbox/Cy Young.md", "people/Cy Young.md")
    commit(repo, "File Cy", "2026-03-13T09:00:00+00:00")
    served, logs = served_and_fresh(repo, cache, counter)
    # Limited to people/, git sees no file to rename from: a new file, not a rename.
    [filed] = served.files["people/Cy Young.md"].events
    assert (filed.subject, filed.status, filed.old_path) == ("File Cy", "A", "")
    assert len(logs) == 1 and logs[0][-1].endswith("..HEAD")


def test_a_merge_reads_the_whole_log_again(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bob = (repo / "people" / "Bob.md").read_text(encoding="utf-8")
    git(repo, "checkout", "-q", "-b", "side")
    write(repo, "Bob.md", bob.replace("Initech", "Initrode"))
    commit(repo, "Side: Bob moved", "2026-03-12T09:00:00+00:00")
    write(repo, "Bob.md", bob)
    commit(repo, "Side: Bob back", "2026-03-13T09:00:00+00:00")
    git(repo, "checkout", "-q", "main")
    (repo / "notes.txt").write_text("not a person\n", encoding="utf-8")
    commit(repo, "Main: notes", "2026-03-14T09:00:00+00:00")
    cache = HistoryCache()
    first = rebuild(repo, cache)
    counter = GitCounter(monkeypatch)
    git(repo, "merge", "-q", "--no-edit", "side", when="2026-03-15T09:00:00+00:00")
    served, logs = served_and_fresh(repo, cache, counter)
    # The side branch left people/ as it was: the whole log simplifies it away.
    assert served.files == first.files
    assert len(logs) == 1 and logs[0][-1] == "HEAD"

    # A linear commit on top of the merge is read on its own again.
    write(repo, "Bob.md", bob.replace("Initech", "Initrode"))
    commit(repo, "Bob moved", "2026-03-16T09:00:00+00:00")
    served, logs = served_and_fresh(repo, cache, counter)
    assert [e.subject for e in served.files["people/Bob.md"].events] == ["Bob moved", "Add Bob"]
    assert len(logs) == 1 and logs[0][-1].endswith("..HEAD")


def test_a_fetch_that_moves_the_shallow_boundary_reads_the_whole_log_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    origin = tmp_path / "origin"
    renamed_job_change(origin)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(clone))
    cache = HistoryCache()
    first = rebuild(clone, cache)
    assert first.shallow and len(first.files["people/Jane Doe.md"].events) == 1
    counter = GitCounter(monkeypatch)

    served, logs = served_and_fresh(clone, cache, counter)
    assert served == first and logs == []  # same HEAD, same boundary: no log

    git(clone, "fetch", "-q", "--deepen=1")
    deeper, logs = served_and_fresh(clone, cache, counter)
    assert deeper.head == first.head and deeper.shallow
    assert len(deeper.files["people/Jane Doe.md"].events) == 2
    assert len(logs) == 1 and logs[0][-1] == "HEAD"

    git(clone, "fetch", "-q", "--unshallow")
    whole, logs = served_and_fresh(clone, cache, counter)
    assert whole.head == first.head and not whole.shallow and not whole.note
    assert [e.status for e in whole.files["people/Jane Doe.md"].events] == ["R", "M", "A"]
    assert len(logs) == 1 and logs[0][-1] == "HEAD"


def test_shallow_clone_rebuild_keeps_its_note(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    renamed_job_change(origin)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(clone))
    cache = HistoryCache()
    first = rebuild(clone, cache)
    write(clone, "Jane Doe.md", JANE)
    edited = rebuild(clone, cache)
    assert edited == read_history(clone, FOLDERS)
    assert edited.shallow and "shallow" in edited.note and edited.repository
    assert edited.files["people/Jane Doe.md"].uncommitted
    assert edited.files["people/Jane Doe.md"].events is first.files["people/Jane Doe.md"].events


def test_not_a_repository_prefetched_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    write(tmp_path, "Jane.md", JANE)
    plain = read_history(tmp_path, FOLDERS)
    assert plain == History(note=plain.note) and "not in a git repository" in plain.note
    for cache in (None, HistoryCache(), HistoryCache(head="0" * 40)):
        assert read_history(tmp_path, FOLDERS, cache, prefetch(tmp_path, FOLDERS, cache)) == plain


def test_no_git_prefetched_or_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed_job_change(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    plain = read_history(tmp_path, FOLDERS)
    assert plain == History(note=plain.note) and "git is not available" in plain.note
    for cache in (None, HistoryCache(), HistoryCache(head="0" * 40)):
        assert read_history(tmp_path, FOLDERS, cache, prefetch(tmp_path, FOLDERS, cache)) == plain
