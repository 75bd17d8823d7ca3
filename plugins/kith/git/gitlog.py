"""``git log`` output to per-file histories: a pure parser, no git process.

``history.py`` runs git once and hands its text here. The text is what
``git log --format=<LOG_FORMAT> --raw -p --unified=<all> -M`` prints: one record
per commit, its raw lines (status and paths, renames included) and then one
patch section per raw line, in the same order, each showing the whole file. From
the patches only the front-matter lines of each version matter (``fields.py``):
``company: Acme`` removed and ``company: Globex`` added is a job change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain

from kith.git.fields import CONTACT, FieldChange, field_changes, front_matter_lines

LOG_FORMAT = "%x1e%H%x00%P%x00%aI%x00%D%x00%s"
"""One header line per commit: hash, parents, author date, decorations, subject."""

_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


@dataclass(frozen=True, slots=True)
class FileChange:
    """What one commit did to one file."""

    status: str
    """``A`` added, ``M`` modified, ``D`` deleted, ``R`` renamed, ``C`` copied, ``T`` type."""
    path: str
    old_path: str = ""
    """The name before a rename or copy."""
    fields: tuple[FieldChange, ...] = ()
    contact_info: bool = False
    """Whether a line of a contact-info key (``keys.CONTACT_INFO``) was added or removed."""


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    when: datetime
    """Author date, in the author's time zone."""
    subject: str
    grafted: bool = False
    """The boundary of a shallow clone: older history is missing."""
    files: tuple[FileChange, ...] = ()


@dataclass(frozen=True, slots=True)
class FileEvent:
    """A commit as one file's history sees it."""

    sha: str
    when: datetime
    subject: str
    status: str
    old_path: str = ""
    fields: tuple[FieldChange, ...] = ()
    contact_info: bool = False

    @property
    def date(self) -> date:
        return self.when.date()

    @property
    def short_sha(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True, slots=True)
class FileHistory:
    """Every commit that touched a file (under any of its names), newest first."""

    path: str
    events: tuple[FileEvent, ...] = ()
    uncommitted: bool = False
    """The working copy differs from the last commit (or the file is not committed yet)."""

    @property
    def contact_info_changed(self) -> date | None:
        """When a commit last added or changed a contact field, if ever."""
        return next((e.date for e in self.events if e.contact_info), None)


@dataclass(frozen=True, slots=True)
class History:
    """Histories of the files of a folder, keyed by each file's current path."""

    files: Mapping[str, FileHistory] = field(default_factory=dict)
    head: str = ""
    shallow: bool = False
    repository: bool = False
    """False when the folder is not in a git repository (or git is missing)."""
    note: str = ""
    """An informational line for the build log (no repository, shallow clone)."""
    warning: str = ""
    """A problem running git, for the build log."""

    def of(self, path: str) -> FileHistory:
        return self.files.get(path) or FileHistory(path)

    def past_values(self, key: str) -> dict[str, tuple[str, ...]]:
        """Path → the values a commit replaced for ``key`` (``company``: past employers)."""
        found: dict[str, tuple[str, ...]] = {}
        for path, history in self.files.items():
            values = [c.old for e in history.events for c in e.fields if c.key == key and c.old]
            if values:
                found[path] = tuple(dict.fromkeys(values))
        return found

    def under(self, folder: str) -> History:
        """The files below ``folder``, keyed relative to it (``people/A.md`` → ``A.md``)."""
        prefix = folder.strip("/") + "/" if folder.strip("/") not in ("", ".") else ""
        files = {
            path[len(prefix) :]: history
            for path, history in self.files.items()
            if path.startswith(prefix)
        }
        return History(files, self.head, self.shallow, self.repository, self.note, self.warning)


def parse_log_bytes(data: bytes) -> list[Commit]:
    """The commits in ``git log`` output (format ``LOG_FORMAT``, ``--raw -p --unified=0``),
    decoding one piece at a time rather than all of it.

    A big commit's log is megabytes: decoded whole it would be a second copy (two
    or four bytes a character once one name is not ASCII). Each piece (a header,
    a commit's raw lines, one file's patch) ends at a newline, and a UTF-8
    sequence never holds an ASCII byte, so the pieces decode, bad bytes and all,
    to exactly the text the whole would.
    """
    with memoryview(data) as view:
        return _parse(data, lambda start, end: str(view[start:end], "utf-8", "replace"))


_RECORD_MARK = b"\n\x1e"
_SECTION_MARK = b"\ndiff --git "


def _parse(data: bytes, decode: Callable[[int, int], str]) -> list[Commit]:
    """The commits of ``data``, read in place: ``decode(start, end)`` is the text there.

    Nothing is cut in one go (``split``): that would hold a second copy of a big
    commit, its sections and their lines all at once.
    """
    commits: list[Commit] = []
    for start, end in _records(data):
        header_end = data.find(b"\n", start, end)
        header = decode(start, end if header_end < 0 else header_end)
        parts = header.split("\x00")
        if len(parts) < 5:
            continue
        sha, parents, when, decorations, subject = parts[:5]
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            continue
        files = () if header_end < 0 else _file_changes(data, header_end, end, decode)
        commits.append(
            Commit(
                sha=sha,
                parents=tuple(parents.split()),
                when=moment,
                subject=subject,
                grafted="grafted" in (d.strip() for d in decorations.split(",")),
                files=files,
            )
        )
    return commits


def _records(data: bytes) -> Iterator[tuple[int, int]]:
    """Where each commit's record is: what follows a ``\\x1e`` that starts a line.

    A header starts a line with \\x1e; patch lines start with +, - or a space, so
    the mark never falls inside file contents. Text before the first record is not one.
    """
    pieces = _pieces(data, _RECORD_MARK, 0, len(data))
    start, end = next(pieces)
    if data.startswith(_RECORD_MARK[1:]):  # the first record, with no newline before it
        yield start + 1, end
    yield from pieces


def _pieces(data: bytes, mark: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Where ``data[start:end].split(mark)`` would cut, without making the pieces."""
    while (found := data.find(mark, start, end)) >= 0:
        yield start, found
        start = found + len(mark)
    yield start, end


def _file_changes(
    data: bytes, start: int, end: int, decode: Callable[[int, int], str]
) -> tuple[FileChange, ...]:
    """A commit's raw lines (``:…``) paired in order with its ``diff --git`` sections.

    ``data[start:end]`` is the commit after its header, from the newline that ends
    the header. It is cut at the ``diff --git`` lines rather than line by line: a
    big commit (a whole folder added) holds hundreds of thousands of lines, and
    each patch shows its whole file, but only the lines down to the end of the front
    matter are ever looked at. Only one section at a time is decoded, and its lines
    are cut out one by one, as far as they are read.
    """
    sections = _pieces(data, _SECTION_MARK, start, end)
    raw = [
        entry
        for line in decode(*next(sections)).split("\n")
        if line.startswith(":") and (entry := _raw_entry(line)) is not None
    ]
    changes: list[FileChange] = []
    for status, path, old_path in raw:
        section = next(sections, None)
        # A section's first line is the rest of its ``diff --git`` line.
        patch = _lines_after_first(decode(*section)) if section is not None else iter(())
        # Added, deleted and copied files show no field changes, only whether
        # contact info was touched.
        whole = status not in ("A", "D", "C")
        removed, added = front_matter_lines(patch, keys_only=not whole)
        contact_info = not CONTACT.isdisjoint(removed) or not CONTACT.isdisjoint(added)
        fields = field_changes(removed, added) if whole else ()
        changes.append(FileChange(status, path, old_path, fields, contact_info))
    return tuple(changes)


def _lines_after_first(text: str) -> Iterator[str]:
    """``text.split("\\n")[1:]``, cut a few lines at a time, as far as they are read."""
    return chain.from_iterable(_line_chunks(text))


def _line_chunks(text: str, size: int = 32) -> Iterator[list[str]]:
    lines = text.split("\n", size)
    lines[0:1] = []
    while len(lines) > size - 1:
        rest = lines.pop()
        yield lines
        lines = rest.split("\n", size)
    yield lines


def _raw_entry(line: str) -> tuple[str, str, str] | None:
    """``:100644 100644 abc def R073\\told\\tnew`` → ``("R", "new", "old")``."""
    meta, _, paths = line.partition("\t")
    fields = meta.split()
    if len(fields) < 5 or not paths:
        return None
    status = fields[4][:1]
    names = _split_paths(paths)
    if status in ("R", "C") and len(names) == 2:
        return status, names[1], names[0]
    return status, names[0], ""


def _split_paths(text: str) -> list[str]:
    """Tab-separated paths; a path with a tab, newline, quote or backslash is C-quoted."""
    names: list[str] = []
    while text:
        if text.startswith('"'):
            end = 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            names.append(unquote(text[: end + 1]))
            text = text[end + 2 :]
        else:
            name, _, text = text.partition("\t")
            names.append(name)
    return names


def unquote(quoted: str) -> str:
    """Git's C-style quoting undone: ``"a\\tb\\303\\251"`` → ``a<tab>bé``."""
    if not (len(quoted) >= 2 and quoted[0] == quoted[-1] == '"'):
        return quoted
    body, out, index = quoted[1:-1], bytearray(), 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            nxt = body[index + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                index += 2
                continue
            if re.match(r"[0-7]{3}", body[index + 1 : index + 4]):
                out.append(int(body[index + 1 : index + 4], 8))
                index += 4
                continue
        out.extend(char.encode("utf-8"))
        index += 1
    return out.decode("utf-8", "replace")


def fold(
    commits: Iterable[Commit],
    uncommitted: Collection[str] = (),
    head: str = "",
    shallow: bool = False,
) -> History:
    """Per-file histories from commits newest first, renames followed back.

    Walking back in time, a rename ``old → new`` means that before it the file
    was called ``old``: its earlier commits join the history of whatever ``new``
    is called today.
    """
    current: dict[str, str] = {}
    events: dict[str, list[FileEvent]] = {}
    for commit in commits:
        for change in commit.files:
            key = current.get(change.path, change.path)
            events.setdefault(key, []).append(
                FileEvent(
                    commit.sha,
                    commit.when,
                    commit.subject,
                    change.status,
                    change.old_path,
                    change.fields,
                    change.contact_info,
                )
            )
            if change.status in ("A", "R"):
                current.pop(change.path, None)  # older commits of this name are another file
            if change.status == "R":
                current[change.old_path] = key
    files = {path: FileHistory(path, tuple(found)) for path, found in events.items()}
    for path in uncommitted:
        files[path] = FileHistory(path, files[path].events if path in files else (), True)
    return History(files, head, shallow, repository=True)
