"""Git history of the people folder: the only module that runs git.

One build costs one ``git status`` (HEAD, and which files have uncommitted
changes) and at most one ``git log`` for the whole folder, however many files
it holds. ``gitlog.py`` turns the log into per-file histories.

In a serve session the parsed commits stay in memory (``HistoryCache``, kept
by the plugin) with the shallow boundary they were read at (``Grafts``: two small
files, read again by each rebuild). A rebuild with the same HEAD and boundary
runs no ``git log`` at all; after new commits on top of the old HEAD, one parent
each (a ``git rev-list`` tells), only ``<old HEAD>..HEAD`` is read, limited to the
folders as the whole log is, and put in front of the cached commits. Anything
else (a merge, rewritten history, a fetch that moved the boundary) reads the
whole log again: a rebuild's commits are always those a first build would read.
Nothing is written to disk.

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

import os
import subprocess
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kith.git.gitlog import LOG_FORMAT, Commit, FileHistory, History, fold, parse_log_bytes
from kith.git.status import parse_status

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
    grafts: Grafts | None = None
    """The repository's grafts just before ``commits`` were read (``None``: unknown,
    so that the next rebuild reads them all again)."""
    folded: Folded | None = None
    """The last ``fold``, and what it was folded from."""


@dataclass(frozen=True)
class Grafts:
    """The files where a repository says which commits it has no parents of: its
    shallow boundary (``.git/shallow``) and old-style grafts (``info/grafts``).

    ``git fetch --unshallow`` or ``--deepen`` changes the history under the same
    HEAD, and only these files tell.
    """

    paths: tuple[Path, ...] = ()
    contents: tuple[bytes, ...] = ()

    def now(self) -> Grafts:
        """The same files, read again (a missing file reads as empty, as git has it)."""
        return Grafts(self.paths, tuple(_read_bytes(path) for path in self.paths))


@dataclass(frozen=True)
class Folded:
    """A ``fold`` result with its input: the next fold of the same commits starts from it."""

    where: tuple[str, tuple[str, ...]]
    commits: tuple[Commit, ...]
    uncommitted: frozenset[str]
    history: History


def log_command(since: str = "") -> list[str]:
    """The ``git log`` command line: all history of HEAD, or what came after ``since``.

    Both take the folders the same way, on standard input (``log_paths``): limited
    to them, git leaves out the commits that change nothing in them and detects
    renames only among their files (a file moved in from elsewhere is added), and
    the two reads must agree on both.
    """
    return ["git", *_CONFIG, *_LOG_OPTIONS, "--stdin", f"{since}..HEAD" if since else "HEAD"]


def log_paths(folders: Sequence[str]) -> bytes:
    """What ``log_command`` reads on standard input: ``--``, then one folder a line."""
    return "".join(f"{line}\n" for line in ("--", *folders)).encode()


def rev_list_command(since: str) -> list[str]:
    """Every commit after ``since`` up to HEAD, each with its parents (no diffs: cheap)."""
    return ["git", *_CONFIG, "rev-list", "--parents", f"{since}..HEAD"]


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
    grafts: Grafts | None = None
    """Under ``mkdocs serve``, with ``log``: the repository's grafts just before it started."""

    def result(self) -> subprocess.CompletedProcess[bytes]:
        """The whole log, once git is done with it."""
        if self.log is None:
            raise LookupError("a rebuild prefetches no git log")
        return self.log.result()


def prefetch(project: Path, folders: Sequence[str], cache: HistoryCache | None) -> Prefetched:
    """``git status`` (and on a first build the whole ``git log``), started now.

    They run while kith reads the contact files; errors (no git, no repository)
    come out of the futures in ``read_history``, just as if it had run git itself.
    A serve session's first build reads the grafts first: a fetch that moves the
    shallow boundary while the log runs then reads it all again next time.
    """
    folders = tuple(f.strip("/") for f in folders if f.strip("/"))
    first = cache is None or not cache.head
    grafts = read_grafts(project) if first and cache is not None else None
    pool = ThreadPoolExecutor(max_workers=2 if first else 1, thread_name_prefix="kith-git")
    try:
        status = pool.submit(_git, status_command(folders), project)
        if not first:
            return Prefetched(status)
        log = pool.submit(_git, log_command(), project, log_paths(folders))
        return Prefetched(status, log, grafts)
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
    kept = cache is not None
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
    try:
        commits, shallow, grafts = _commits(project, folders, head, where, cache, prefetched, kept)
    except _GitFailed as err:
        return History(warning=f"git log failed for {shown}: {err}", repository=True)
    cache.where, cache.head, cache.commits, cache.shallow = where, head, commits, shallow
    cache.grafts = grafts
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
    prefetched: Prefetched | None,
    kept: bool,
) -> tuple[tuple[Commit, ...], bool, Grafts | None]:
    """The commits of the whole log, whether the clone is shallow, and the grafts
    read before them (``kept``: a serve session, which compares them next time)."""
    known = cache.grafts if cache.where == where and cache.head else None
    grafts = known.now() if known is not None else None
    if known is not None and grafts == known:
        if cache.head == head:
            return cache.commits, cache.shallow, known
        if _on_top(project, cache.head):
            newer = _log(_git(log_command(cache.head), project, log_paths(folders)))
            return tuple(newer) + cache.commits, cache.shallow, known
        # A merge: the whole log may simplify a side away that ``since..HEAD`` shows.
        # Or history was rewritten (amend, rebase, reset): the cached commits may be gone.
    if prefetched is not None and prefetched.log is not None:
        commits = tuple(_log(prefetched.result()))
        grafts = prefetched.grafts
    else:
        if grafts is None and kept:
            grafts = read_grafts(project)
        commits = tuple(_log(_git(log_command(), project, log_paths(folders))))
    return commits, any(commit.grafted for commit in commits), grafts


def _on_top(project: Path, since: str) -> bool:
    """Whether HEAD is ``since`` with commits of one parent each on top.

    Only then are the commits ``since..HEAD`` shows, limited to the folders,
    exactly those the whole log shows before ``since``'s: each one is kept or
    left out by its own diff, as in the whole log, and the whole log lists them
    all before ``since``, their ancestor. Not so with a merge (which side git
    follows depends on the whole history) or when ``since`` is no ancestor.
    """
    done = _git(rev_list_command(since), project)
    if done.returncode != 0:  # ``since`` is gone (rewritten, then pruned)
        return False
    parents = [line.split()[1:] for line in done.stdout.decode("ascii", "replace").splitlines()]
    return all(len(found) == 1 for found in parents) and [since] in parents


def read_grafts(project: Path) -> Grafts | None:
    """The repository's grafts (``Grafts``), read now; ``None`` if git cannot say where."""
    try:
        done = _git(
            ["git", "rev-parse", "--git-path", "shallow", "--git-path", "info/grafts"], project
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    # Relative to ``project``; in a linked worktree, the shared repository's files.
    paths = tuple(project / os.fsdecode(line) for line in done.stdout.splitlines())
    return Grafts(paths).now()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _log(done: subprocess.CompletedProcess[bytes]) -> list[Commit]:
    if done.returncode != 0:
        raise _GitFailed(_first_line(done.stderr) or f"exit status {done.returncode}")
    # A ``Prefetched`` future keeps ``done`` alive for the whole build:
    # take the output out of it, so that it is freed once parsed.
    output, done.stdout = done.stdout, b""
    return parse_log_bytes(output)


def _git(
    command: list[str], cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, check=False)


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0].removeprefix("fatal: ") if text else ""
