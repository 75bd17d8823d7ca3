"""Git history of the people folder: the only module that runs git.

One build costs one ``git status`` (HEAD, and which files have uncommitted
changes) and at most one ``git log`` for the whole folder, however many files
it holds. ``gitlog.py`` turns the log into per-file histories.

In a serve session the parsed commits stay in memory (``HistoryCache``,
kept by the plugin): a rebuild with the same HEAD runs no ``git log`` at all,
and after a commit only ``<old HEAD>..HEAD`` is read and put in front of the
cached commits. Nothing is written to disk.

A build knows its ``git status`` and a first build its ``git log`` before it
needs them: ``prefetch`` starts them at once, in threads, so git works on other
cores while kith reads the contact files; ``read_history`` takes their output
when it gets there.

A rebuild with the same HEAD folds nothing again: the last ``History`` is kept
too, and only the files whose uncommitted state changed get a new
``FileHistory``; every other one is the very object of the last build, which
makes comparing the two builds' histories cheap.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kith.git.gitlog import LOG_FORMAT, Commit, FileHistory, History, fold, parse_log_bytes

# Settings a user's git config could set that would change the output we parse.
_CONFIG = (
    "-c",
    "core.quotepath=off",  # non-ASCII names come out as they are, not as \303\251
    "-c",
    "log.showRoot=true",
    "-c",
    "log.showSignature=false",
    "-c",
    "diff.noprefix=false",
    "-c",
    "diff.suppressBlankEmpty=false",  # a blank context line keeps its space
)
WHOLE_FILE = 100_000_000
"""Lines of context around a change: the whole file, so that each patch shows both
versions of it from their first line, and which lines are front matter is known."""
_LOG_OPTIONS = (
    "log",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--date-order",
    f"--format={LOG_FORMAT}",
    "--raw",
    "-p",
    f"--unified={WHOLE_FILE}",
    "-M",
    "--relative",  # paths relative to the project folder, like the folders we ask for
)


@dataclass
class HistoryCache:
    """Parsed commits kept between the rebuilds of a serve session, keyed by HEAD."""

    where: tuple[str, tuple[str, ...]] = ("", ())
    head: str = ""
    commits: tuple[Commit, ...] = ()
    shallow: bool = False
    folded: Folded | None = None
    """The last ``fold``, and what it was folded from."""


@dataclass(frozen=True)
class Folded:
    """A ``fold`` result with its input: the next fold of the same commits starts from it."""

    where: tuple[str, tuple[str, ...]]
    commits: tuple[Commit, ...]
    uncommitted: frozenset[str]
    history: History


def log_command(folders: Sequence[str], since: str = "") -> list[str]:
    """The ``git log`` command line: all history of ``folders``, or what came after ``since``.

    After ``since`` the log is not limited to the folders, so that ``since`` shows
    up among the parents exactly when it is still an ancestor of HEAD (no amend,
    rebase or reset since); files outside the folders are dropped afterwards.
    """
    if since:
        return ["git", *_CONFIG, *_LOG_OPTIONS, f"{since}..HEAD"]
    return ["git", *_CONFIG, *_LOG_OPTIONS, "HEAD", "--", *folders]


def status_command(folders: Sequence[str]) -> list[str]:
    return [
        "git",
        *_CONFIG,
        "status",
        "--porcelain=v2",
        "--branch",
        "-z",
        "--untracked-files=all",
        "--",
        *folders,
    ]


_Done = Future[subprocess.CompletedProcess[bytes]]


@dataclass(frozen=True)
class Prefetched:
    """The git processes ``prefetch`` started for one build."""

    status: _Done
    log: _Done | None = None
    """The whole log: a first build's only (a rebuild reads at most what is new)."""

    def result(self) -> subprocess.CompletedProcess[bytes]:
        """The whole log, once git is done with it."""
        if self.log is None:
            raise LookupError("a rebuild prefetches no git log")
        return self.log.result()


def prefetch(project: Path, folders: Sequence[str], cache: HistoryCache | None) -> Prefetched:
    """``git status`` (and on a first build the whole ``git log``), started now.

    They run while kith reads the contact files; errors (no git, no repository)
    come out of the futures in ``read_history``, just as if it had run git itself.
    """
    folders = tuple(f.strip("/") for f in folders if f.strip("/"))
    first = cache is None or not cache.head
    pool = ThreadPoolExecutor(max_workers=2 if first else 1, thread_name_prefix="kith-git")
    try:
        status = pool.submit(_git, status_command(folders), project)
        return Prefetched(
            status, pool.submit(_git, log_command(folders), project) if first else None
        )
    finally:
        pool.shutdown(wait=False)


def read_history(
    project: Path,
    folders: Sequence[str],
    cache: HistoryCache | None = None,
    prefetched: Prefetched | None = None,
) -> History:
    """The history of every file under ``folders`` (paths relative to ``project``).

    Not a git repository, or no git installed: an empty history and a note.
    ``prefetched``: git's status and maybe the whole log, started by ``prefetch``.
    """
    folders = tuple(f.strip("/") for f in folders if f.strip("/"))
    shown = ", ".join(f"{f}/" for f in folders)
    try:
        if prefetched is not None:
            status = prefetched.status.result()
        else:
            status = _git(status_command(folders), project)
    except OSError as err:
        return History(note=f"git is not available ({err.strerror}): no history for {shown}")
    if status.returncode != 0:
        reason = _first_line(status.stderr) or f"git status exited with {status.returncode}"
        if "not a git repository" in reason:
            return History(note=f"{shown} not in a git repository: person pages show no history")
        return History(note=f"no git history for {shown}: {reason}")
    head, uncommitted = parse_status(status.stdout, project.resolve(), folders)
    if not head:
        return fold((), uncommitted, "", False)
    cache = cache if cache is not None else HistoryCache()
    where = (str(project.resolve()), folders)
    log = prefetched.log if prefetched is not None else None
    try:
        commits, shallow = _commits(project, folders, head, where, cache, log)
    except _GitFailed as err:
        return History(warning=f"git log failed for {shown}: {err}", repository=True)
    cache.where, cache.head, cache.commits, cache.shallow = where, head, commits, shallow
    history = _fold(commits, frozenset(uncommitted), head, shallow, where, cache)
    if shallow:
        note = f"{shown}: shallow git clone, person pages show the history fetched so far"
        return History(history.files, head, True, True, note)
    return history


def _fold(
    commits: tuple[Commit, ...],
    uncommitted: frozenset[str],
    head: str,
    shallow: bool,
    where: tuple[str, tuple[str, ...]],
    cache: HistoryCache,
) -> History:
    """``fold(commits, uncommitted, head, shallow)``, from the last one when it can be.

    With the very same commits, only a file that became uncommitted or stopped
    being so changes: its entry is remade from the last one's events (an
    uncommitted file that no commit touched has none, and no entry once clean).
    """
    last = cache.folded
    if (
        last is None
        or last.commits is not commits
        or last.where != where
        or last.history.head != head
        or last.history.shallow != shallow
    ):
        history = fold(commits, uncommitted, head, shallow)
    else:
        files = dict(last.history.files)
        for path in last.uncommitted ^ uncommitted:
            known = files.get(path)
            events = known.events if known is not None else ()
            if path in uncommitted:
                files[path] = FileHistory(path, events, True)
            elif events:
                files[path] = FileHistory(path, events)
            else:
                del files[path]
        history = History(files, head, shallow, repository=True)
    cache.folded = Folded(where, commits, uncommitted, history)
    return history


class _GitFailed(Exception):
    pass


def _commits(
    project: Path,
    folders: tuple[str, ...],
    head: str,
    where: tuple[str, tuple[str, ...]],
    cache: HistoryCache,
    prefetched: _Done | None = None,
) -> tuple[tuple[Commit, ...], bool]:
    if cache.where == where and cache.head == head:
        return cache.commits, cache.shallow
    if cache.where == where and cache.head:
        newer = _log(project, log_command(folders, cache.head))
        if any(cache.head in commit.parents for commit in newer):
            inside = tuple(_within(commit, folders) for commit in newer)
            return tuple(c for c in inside if c.files) + cache.commits, cache.shallow
        # History was rewritten (amend, rebase, reset): the cached commits may be gone.
    commits = tuple(_log(project, log_command(folders), prefetched))
    return commits, any(commit.grafted for commit in commits)


def _log(project: Path, command: list[str], prefetched: _Done | None = None) -> list[Commit]:
    done = prefetched.result() if prefetched is not None else _git(command, project)
    if done.returncode != 0:
        raise _GitFailed(_first_line(done.stderr) or f"exit status {done.returncode}")
    # The caller's ``prefetched`` future keeps ``done`` alive for the whole build:
    # take the output out of it, so that it is freed once parsed.
    output, done.stdout = done.stdout, b""
    return parse_log_bytes(output)


def _within(commit: Commit, folders: tuple[str, ...]) -> Commit:
    prefixes = tuple(f"{folder}/" for folder in folders)
    files = tuple(f for f in commit.files if f.path.startswith(prefixes))
    return Commit(commit.sha, commit.parents, commit.when, commit.subject, commit.grafted, files)


def _git(command: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, cwd=cwd, capture_output=True, check=False)


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0].removeprefix("fatal: ") if text else ""


def parse_status(output: bytes, cwd: Path, folders: Sequence[str]) -> tuple[str, set[str]]:
    """HEAD (``""`` before the first commit) and the changed files, relative to ``cwd``.

    Porcelain status paths are relative to the repository's top folder; ``cwd`` is
    somewhere below it, so the top is whichever of its parents makes every path
    start with one of ``folders``.
    """
    head = ""
    paths: list[str] = []
    tokens = output.decode("utf-8", "replace").split("\x00")
    skip = False
    for token in tokens:
        if skip:  # the original name after a rename record
            skip = False
            continue
        if token.startswith("# branch.oid "):
            oid = token.removeprefix("# branch.oid ").strip()
            head = "" if oid == "(initial)" else oid
        elif token.startswith(("1 ", "u ")):
            paths.append(token.split(" ", 8 if token[0] == "1" else 10)[-1])
        elif token.startswith("2 "):
            paths.append(token.split(" ", 9)[-1])
            skip = True
        elif token.startswith("? "):
            paths.append(token[2:])
    found = {p for p in (_relative(path, cwd, folders) for path in paths) if p}
    return head, found


def _relative(path: str, cwd: Path, folders: Sequence[str]) -> str:
    parts = cwd.parts[1:]
    for depth in range(len(parts), -1, -1):
        prefix = "/".join(parts[len(parts) - depth :])
        prefix = prefix + "/" if prefix else ""
        rest = path[len(prefix) :]
        if path.startswith(prefix) and any(rest.startswith(f + "/") for f in folders):
            return rest
    return ""
