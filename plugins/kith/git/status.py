"""``git status`` read: HEAD and the files with uncommitted changes below the folders."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


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
