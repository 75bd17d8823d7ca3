"""Safe edits of contact files the user also edits by hand.

Every edit changes only the lines it means to change: a log line is inserted
as plain text (front-matter keys: ``yaml_edit``). Line endings (LF or CRLF), a
byte-order mark and a missing final newline stay as they were. Writes are
atomic and refuse to replace a file that changed on disk since it was read.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kith.core.errors import KithError
from kith.core.grammar import KIND, code_free_lines, strip_comments
from kith.core.names import clean_text

BOM = "\ufeff"
Value = str | int | bool | date | Sequence[str]


class EditError(KithError):
    """An edit that cannot be made safely; the file is left as it was."""


class ChangedOnDiskError(EditError):
    """The file changed between reading and writing it."""


# ---------------------------------------------------------------- reading and writing


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes and modification time when it was read."""

    path: Path
    data: bytes
    mtime_ns: int

    @property
    def text(self) -> str:
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise EditError(
                f"{self.path}: not UTF-8 (byte {err.start}); save it as UTF-8"
            ) from None


def read_snapshot(path: Path) -> Snapshot:
    try:
        data = path.read_bytes()
        mtime_ns = path.stat().st_mtime_ns
    except OSError as err:
        raise EditError(f"{path}: cannot read the file ({err.strerror})") from None
    return Snapshot(path, data, mtime_ns)


def write_atomic(path: Path, text: str, expected: Snapshot | None) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder.

    ``expected`` is the snapshot the new text was made from; if the file no
    longer matches it, nothing is written (``ChangedOnDiskError``: read it again and
    redo the edit, as ``edit_file`` does). ``None`` means the file must not exist.

    No other writer's save is lost (``_swap``). A symbolic link is followed (the file
    it names is written, the link stays); a file with other hard links is written in
    place, on the same inode, so that every name keeps seeing it.
    """
    target = path.resolve() if path.is_symlink() else path
    if expected is not None and _hard_linked(target):
        _write_in_place(target, text.encode("utf-8"), expected)
        return
    data = text.encode("utf-8")
    folder = target.parent
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".kith-", suffix=".tmp", dir=folder)
    except OSError as err:  # a read-only folder: the message names the file meant
        raise _about(err, path) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if expected is not None:  # the old content is at stake: make the new one durable
                out.flush()
                os.fsync(out.fileno())
        if expected is None:
            os.chmod(temp, 0o666 & ~_umask())  # as any new file, not mkstemp's 0600
            _link_new(temp, target)
            return
        os.chmod(temp, target.stat().st_mode & 0o7777)
        _swap(temp, target, expected)
    except FileNotFoundError:
        raise ChangedOnDiskError(
            f"{path} was removed since kith read it; nothing written"
        ) from None
    except OSError as err:  # a full disk, a quota: about the file meant, not the temporary one
        raise _about(err, path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _about(err: OSError, path: Path) -> OSError:
    """The same error, naming ``path``: ``[Errno 28] No space left on device: 'people/x.md'``."""
    if err.errno is None:
        return err
    return type(err)(err.errno, err.strerror or os.strerror(err.errno), str(path))


@functools.cache
def _umask() -> int:
    """The process's umask (read once: setting it back is the only way to read it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap(temp: Path, path: Path, expected: Snapshot) -> None:
    """Put ``temp`` at ``path`` if ``path`` still holds ``expected``, losing no save.

    The check comes just before the swap, so the window in which another writer's save
    could land is a few microseconds; where the system can swap two names atomically
    (Linux), what the swap displaced is checked too, and a save that landed in that
    window goes back in place (``ChangedOnDiskError``: the edit is redone on top of it).
    Without such a swap, the check and the replace are all there is.
    """
    _check_unchanged(path, expected)
    ours = os.stat(temp).st_ino
    if not _exchange(temp, path):
        os.replace(temp, path)
        return
    try:  # ``temp`` now names what ``path`` held at the swap
        _check_unchanged(temp, expected, shown=path)
    except ChangedOnDiskError:
        # Theirs goes back. If yet another save replaced ours meanwhile, that one is
        # the newest: it goes back instead.
        _exchange(temp, path)
        if os.stat(temp).st_ino != ours:
            _exchange(temp, path)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap the files ``a`` and ``b`` names in one step (``renameat2`` with
    ``RENAME_EXCHANGE``); ``False`` where the system cannot."""
    rename = _renameat2()
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # this file system cannot
        return False
    raise OSError(error, os.strerror(error), str(b))


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Any:
    if sys.platform != "linux":
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def _hard_linked(path: Path) -> bool:
    try:
        return path.stat().st_nlink > 1
    except OSError:
        return False


def _write_in_place(path: Path, data: bytes, expected: Snapshot) -> None:
    """Rewrite a hard-linked file on its own inode (a rename would cut the other names
    off), with the check just before."""
    with open(path, "r+b") as file:
        mtime_ns = os.fstat(file.fileno()).st_mtime_ns
        if file.read() != expected.data or mtime_ns != expected.mtime_ns:
            raise _changed(path)
        file.seek(0)
        file.write(data)
        file.truncate()
        file.flush()
        os.fsync(file.fileno())


def edit_file(path: Path, change: Callable[[str], str], attempts: int = 5) -> str:
    """Apply ``change`` to the file's text and write it safely; when another writer
    saved in between, read the file again and apply ``change`` to what they wrote.
    Returns the text written."""
    for attempt in range(attempts):
        snapshot = read_snapshot(path)
        text = change(snapshot.text)
        try:
            write_atomic(path, text, snapshot)
        except ChangedOnDiskError:
            if attempt == attempts - 1:
                raise
            continue
        return text
    raise AssertionError("unreachable")  # pragma: no cover


def _link_new(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path`` only if nothing is there (a hard link fails if it exists)."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise EditError(f"{path} already exists; kith does not overwrite it") from None
    except OSError:  # a file system without hard links: check, then replace
        if path.exists():
            raise EditError(f"{path} already exists; kith does not overwrite it") from None
        os.replace(temp, path)


def _check_unchanged(path: Path, expected: Snapshot, shown: Path | None = None) -> None:
    try:
        now = read_snapshot(path)
    except EditError:
        raise _changed(shown or path, "was removed") from None
    if now.data != expected.data or now.mtime_ns != expected.mtime_ns:
        raise _changed(shown or path)


def _changed(path: Path, how: str = "changed on disk") -> ChangedOnDiskError:
    return ChangedOnDiskError(
        f"{path} {how} since kith read it; nothing written — run the command again"
    )


# ---------------------------------------------------------------- lines


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
FENCE = re.compile(r"^---[ \t]*$")
_ENDFENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split_lines(text: str) -> list[str]:
    """Lines with their line ends kept; ``"".join`` gives ``text`` back."""
    return _LINE.findall(text)


def line_content(line: str) -> str:
    """The line without its line end."""
    return line.rstrip("\r\n")


def newline_of(text: str) -> str:
    """The file's line end: that of its first line, LF for a one-line file."""
    match = re.search(r"\r\n|\n|\r", text)
    return match.group(0) if match else "\n"


def front_matter_span(lines: Sequence[str]) -> tuple[int, int] | None:
    """Indices of the opening and closing fences, or ``None`` without front matter."""
    if not lines or not FENCE.match(line_content(lines[0]).removeprefix(BOM)):
        return None
    for index in range(1, len(lines)):
        if _ENDFENCE.match(line_content(lines[index])):
            return 0, index
    return None


# ---------------------------------------------------------------- the log


_KIND = re.compile(rf"^{KIND}$")
_LOG_HEADING = re.compile(r"^##[ \t]+log[ \t#]*$", re.IGNORECASE)
_SECTION_END = re.compile(r"^#{1,2}[ \t]")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]")


def log_line(when: date, kind: str, text: str = "", is_open: bool = False) -> str:
    """A log entry as ``grammar.LOG_ENTRY`` reads it: ``- [ ] 2026-03-02 coffee: text``."""
    if not _KIND.match(kind):
        raise EditError(
            f"the kind {kind!r} is not one word; use a word like coffee, call, gave or received"
        )
    # ``%%`` or ``<!--`` would open a comment that hides this entry and every later one;
    # escaped, Markdown shows them as written.
    text = clean_text(text).replace("%%", "%\\%").replace("<!--", "<\\!--")
    box = "[ ] " if is_open else ""
    return f"- {box}{when.isoformat()} {kind}" + (f": {text}" if text else "")


def append_log(text: str, entry: str) -> str:
    """``text`` with ``entry`` as the last line of its ``## Log`` section.

    Without a ``## Log`` heading, one is added at the end. Only new lines are
    added; every existing byte stays where it was.
    """
    lines = split_lines(text)
    newline = newline_of(text)
    span = front_matter_span(lines)
    body_start = span[1] + 1 if span else 0
    body = "".join(line_content(line) + "\n" for line in lines[body_start:])
    heading: int | None = None
    section_end = len(lines)
    for index, line in code_free_lines(strip_comments(body)):
        position = body_start + index
        if heading is None and _LOG_HEADING.match(line):
            heading = position
        elif heading is not None and position > heading and _SECTION_END.match(line):
            section_end = position
            break
    if heading is None:
        return _with_new_section(text, entry, newline)
    last = max(i for i in range(heading, section_end) if line_content(lines[i]).strip())
    previous = line_content(lines[last])
    needs_blank = last == heading or not (_LIST_ITEM.match(previous) or previous[:1] in (" ", "\t"))
    block = ([""] if needs_blank else []) + [entry]
    if lines[last] == line_content(lines[last]):  # the last line of the file, without a line end
        addition = "".join(newline + item for item in block)
    else:
        addition = "".join(item + newline for item in block)
    return "".join(lines[: last + 1]) + addition + "".join(lines[last + 1 :])


def _with_new_section(text: str, entry: str, newline: str) -> str:
    if not text.strip():
        return text + f"## Log{newline}{newline}{entry}{newline}"
    if text.endswith(("\n", "\r")):
        lead = "" if text.endswith(newline * 2) else newline
        return text + f"{lead}## Log{newline}{newline}{entry}{newline}"
    return text + f"{newline}{newline}## Log{newline}{newline}{entry}"
