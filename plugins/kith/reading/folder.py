"""The files of a folder that kith reads, each read only if it is safely one of them."""

from __future__ import annotations

import errno
import os
import re
import stat
from functools import lru_cache
from pathlib import Path

from kith.core.directory import is_contact_file
from kith.core.errors import Problem


def unreadable(path: str, err: OSError) -> Problem:
    return Problem(
        path, 1, 1, f"cannot read the file: {err.strerror}",
        "keep only Markdown files of your people in the folder (move this one out)",
    )  # fmt: skip


MAX_FILE_BYTES = 4 * 1024 * 1024
"""A contact file or note larger than this is refused (a problem), not read."""


def read_file(path: str | Path, src_uri: str) -> bytes:
    """The file's bytes, if it is a regular file of a sane size inside its folder: a FIFO
    would hang the build, a link to ``/dev/zero`` would fill the memory, a link to
    ``/etc/passwd`` (or a linked folder) would publish what is outside. Unbuffered, as
    it is read whole (``Path.read_bytes`` buffers)."""
    _refuse_outside(os.fspath(path), src_uri)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb", buffering=0) as file:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, a device, a socket?)")
        if status.st_size > MAX_FILE_BYTES:
            raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        data = file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # it grew while being read
            raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        return data


_PUBLISH_LINE = re.compile(r"^[ \t\ufeff\u200b]*[\"']?publish[\"']?[ \t]*:", re.M | re.I)


def may_be_private(path: str | Path, src_uri: str) -> bool:
    """Whether a file kith could not read as anyone may hold a private person: it has a
    ``publish`` line, or cannot be read at all (fails closed: it is not named)."""
    try:
        data = read_file(path, src_uri)
    except OSError:
        return True
    return bool(_PUBLISH_LINE.search(data.decode("utf-8", "replace")))


def _refuse_outside(path: str, src_uri: str) -> None:
    """An ``OSError`` if ``path`` (``src_uri`` in its folder) is, or is in, a symbolic
    link that leads out of the folder; a link to another file of the folder is fine."""
    if os.sep != "/":
        src_uri = src_uri.replace("/", os.sep)
    root = path[: -len(src_uri)] if path.endswith(src_uri) else os.path.dirname(path)
    real_root = _real_folder(root or ".")
    real = _real_path(path)
    inside = real_root.rstrip(os.sep) + os.sep
    if not real.startswith(inside):
        raise OSError(
            errno.EACCES,
            "it is a symbolic link (or in a linked folder) that leads out of the folder;"
            " kith reads only what is inside it",
        )
    target = real[len(inside) :].replace(os.sep, "/")
    if target != src_uri and is_contact_file(target):
        raise OSError(
            errno.EEXIST,
            f"it is a symbolic link to {target}, which is read already (the same person"
            " twice); remove the link, and give other names as aliases: in that file",
        )


@lru_cache(maxsize=256)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def forget_folders() -> None:
    """Folders are looked at again: where each really is holds for one reading of the
    folder (under serve, a folder may become a link between two builds)."""
    _real_folder.cache_clear()


def _real_path(path: str) -> str:
    """``os.path.realpath(path)``, with the folder's resolved once for all its files (a
    realpath looks at every folder of the way for each file): a file that is no link is
    where its folder really is."""
    try:
        if not stat.S_ISLNK(os.lstat(path).st_mode):
            head, tail = os.path.split(path)
            if tail not in ("", ".", ".."):
                return os.path.join(_real_folder(head or "."), tail)
    except OSError:
        pass
    return os.path.realpath(path)


def contact_files(folder: Path, include_index: bool = False) -> list[str]:
    """``src_uri`` of every contact file (``is_contact_file``), sorted; in linked folders
    too, as MkDocs finds them (``read_file`` then refuses what leads outside)."""
    found: list[str] = []
    walked: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in walked:  # a link back up: walked once
            dirs[:] = []
            continue
        walked.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))  # none of them
        relative = Path(root).relative_to(folder).as_posix()
        for name in files:
            src_uri = name if relative == "." else f"{relative}/{name}"
            if is_contact_file(src_uri, include_index):
                found.append(src_uri)
    return sorted(found)
