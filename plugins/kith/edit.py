"""Safe edits of contact files the user also edits by hand.

Every edit changes only the lines it means to change: a log line is inserted
as plain text; a front-matter key is replaced or added on its own line, with
its value written by ``yaml_value`` so that it is read back as the same text
and nothing else. Line endings (LF or CRLF), a byte-order mark and a missing
final newline stay as they were. Writes are atomic and refuse to replace a
file that changed on disk since it was read.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .errors import KithError
from .names import clean_text
from .source import code_free_lines, strip_comments

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
    longer matches it, nothing is written. ``None`` means the file must not exist.
    """
    data = text.encode("utf-8")
    folder = path.parent
    handle, temp_name = tempfile.mkstemp(prefix=".kith-", suffix=".tmp", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if expected is not None:  # the old content is at stake: make the new one durable
                out.flush()
                os.fsync(out.fileno())
        if expected is None:
            _link_new(temp, path)
            return
        _check_unchanged(path, expected)
        os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


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


def _check_unchanged(path: Path, expected: Snapshot) -> None:
    try:
        now = read_snapshot(path)
    except EditError:
        raise ChangedOnDiskError(
            f"{path} was removed since kith read it; nothing written"
        ) from None
    if now.data != expected.data or now.mtime_ns != expected.mtime_ns:
        raise ChangedOnDiskError(
            f"{path} changed on disk since kith read it; nothing written — run the command again"
        )


# ---------------------------------------------------------------- lines


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split_lines(text: str) -> list[str]:
    """Lines with their line ends kept; ``"".join`` gives ``text`` back."""
    return _LINE.findall(text)


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def newline_of(text: str) -> str:
    """The file's line end: that of its first line, LF for a one-line file."""
    match = re.search(r"\r\n|\n|\r", text)
    return match.group(0) if match else "\n"


def front_matter_span(lines: Sequence[str]) -> tuple[int, int] | None:
    """Indices of the opening and closing fences, or ``None`` without front matter."""
    if not lines or not _FENCE.match(_content(lines[0]).removeprefix(BOM)):
        return None
    for index in range(1, len(lines)):
        if _END_FENCE.match(_content(lines[index])):
            return 0, index
    return None


# ---------------------------------------------------------------- the log


_KIND = re.compile(r"^[A-Za-z][\w-]*$")
_LOG_HEADING = re.compile(r"^##[ \t]+log[ \t#]*$", re.IGNORECASE)
_SECTION_END = re.compile(r"^#{1,2}[ \t]")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]")


def log_line(when: date, kind: str, text: str = "", is_open: bool = False) -> str:
    """A log entry in the grammar of the contact file: ``- [ ] 2026-03-02 coffee: text``."""
    if not _KIND.match(kind):
        raise EditError(
            f"the kind {kind!r} is not one word; use a word like coffee, call, gave or received"
        )
    text = clean_text(text)
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
    body = "".join(_content(line) + "\n" for line in lines[body_start:])
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
    last = max(i for i in range(heading, section_end) if _content(lines[i]).strip())
    previous = _content(lines[last])
    needs_blank = last == heading or not (_LIST_ITEM.match(previous) or previous[:1] in (" ", "\t"))
    block = ([""] if needs_blank else []) + [entry]
    if lines[last] == _content(lines[last]):  # the last line of the file, without a line end
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


# ---------------------------------------------------------------- front matter


_PLAIN = re.compile(r"[^\W\d_][\w .,'()/+@&-]*(?::[^\s:#,]+)*[\w.)/]|[^\W\d_]", re.UNICODE)
_RESERVED_WORDS = re.compile(r"^(y|n|yes|no|on|off|true|false|null)$", re.IGNORECASE)


def yaml_value(value: Value, flow: bool = False) -> str:
    """``value`` as a YAML scalar (or flow list) that reads back as exactly ``value``.

    Text is written plain only when it is plainly text; anything else is
    double-quoted with every control, format and line-break character escaped,
    so no value can add a key, a list item or a line.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return "[" + ", ".join(yaml_value(item, flow=True) for item in value) + "]"
    plain = _PLAIN.fullmatch(value) and not _RESERVED_WORDS.match(value)
    if plain and not (flow and re.search(r"[,\[\]{}]", value)):
        return value
    return '"' + "".join(_escape_char(ch) for ch in value) + '"'


def _escape_char(ch: str) -> str:
    if ch in ('"', "\\"):
        return "\\" + ch
    if ch == " " or unicodedata.category(ch)[0] not in ("C", "Z"):
        return ch
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    return yaml


def read_front_matter(text: str, where: str) -> dict[str, Any]:
    """The front matter as plain values (round-trip parser), ``{}`` without one."""
    lines = split_lines(text)
    span = front_matter_span(lines)
    if span is None:
        return {}
    return _parse(lines[span[0] + 1 : span[1]], where)


def _parse(lines: Sequence[str], where: str) -> dict[str, Any]:
    source = "".join(_content(line) + "\n" for line in lines)
    try:
        data = _yaml().load(StringIO(source))
    except YAMLError as err:
        raise EditError(f"{where}: the front matter is not valid YAML; run kith check") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EditError(f"{where}: the front matter is not a list of 'key: value' properties")
    return data


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and not value)


@dataclass(frozen=True)
class FrontMatterEdit:
    """The outcome of ``set_keys``: the new text and what was done to each key."""

    text: str
    changed: tuple[str, ...]
    """Keys added or given a value."""
    kept: Mapping[str, object]
    """Keys left alone because they already held a value: key → that value."""


def set_keys(
    text: str, values: Mapping[str, Value], where: str, overwrite: bool = False
) -> FrontMatterEdit:
    """Give front-matter keys values: absent or empty keys always, set ones only if ``overwrite``.

    A replaced key's own lines become one ``key: value`` line (its comment on the
    same line kept); a new key goes on a new line at the end of the front matter.
    """
    lines = split_lines(text)
    newline = newline_of(text)
    span = front_matter_span(lines)
    if span is None:
        if not values:
            return FrontMatterEdit(text, (), {})
        bom = BOM if text.startswith(BOM) else ""
        lines = [bom + "---" + newline, "---" + newline, *split_lines(text.removeprefix(BOM))]
        span = (0, 1)
    start, end = span
    yaml_lines = lines[start + 1 : end]
    data = _parse(yaml_lines, where)
    replaced: dict[int, tuple[int, str]] = {}  # first line → (line count, new line)
    added: list[str] = []
    changed: list[str] = []
    kept: dict[str, object] = {}
    keys = list(data)
    for key, value in values.items():
        if key in data and not is_empty(data[key]) and not overwrite:
            kept[key] = data[key]
            continue
        changed.append(key)
        new_line = f"{key}: {yaml_value(value)}"
        if key not in data:
            added.append(new_line + newline)
            continue
        first = data.lc.key(key)[0]  # type: ignore[attr-defined]
        position = keys.index(key)
        stop = data.lc.key(keys[position + 1])[0] if position + 1 < len(keys) else len(yaml_lines)  # type: ignore[attr-defined]
        while stop - 1 > first and _is_blank_or_comment(yaml_lines[stop - 1]):
            stop -= 1
        comment = _inline_comment(_content(yaml_lines[first])) if stop - first == 1 else ""
        replaced[first] = (stop - first, new_line + comment + _ending(yaml_lines[first], newline))
    new_yaml: list[str] = []
    index = 0
    while index < len(yaml_lines):
        if index in replaced:
            count, line = replaced[index]
            new_yaml.append(line)
            index += count
        else:
            new_yaml.append(yaml_lines[index])
            index += 1
    if new_yaml and not new_yaml[-1].endswith(("\n", "\r")):  # pragma: no cover - fence follows
        new_yaml[-1] += newline
    new_text = "".join([*lines[: start + 1], *new_yaml, *added, *lines[end:]])
    _verify(data, _parse([*new_yaml, *added], where), {k: values[k] for k in changed}, where)
    return FrontMatterEdit(new_text, tuple(changed), kept)


def _ending(line: str, newline: str) -> str:
    return line[len(_content(line)) :] or newline


def _is_blank_or_comment(line: str) -> bool:
    stripped = _content(line).strip()
    return not stripped or stripped.startswith("#")


def _inline_comment(line: str) -> str:
    """`` # comment`` at the end of a one-line ``key: value``, outside quotes."""
    quote = ""
    for index, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (index == 0 or line[index - 1] in " \t:[,"):
            quote = ch
        elif ch == "#" and index > 0 and line[index - 1] in " \t":
            start = index
            while start > 0 and line[start - 1] in " \t":
                start -= 1
            return line[start:]
    return ""


def _verify(
    before: Mapping[str, Any], after: Mapping[str, Any], changed: Mapping[str, Value], where: str
) -> None:
    """The edit changed exactly the keys it meant to, to exactly the values it meant."""
    expected = {k: _plain(v) for k, v in before.items()}
    expected.update({k: _plain(v) for k, v in changed.items()})
    actual = {k: _plain(v) for k, v in after.items()}
    if actual != expected:
        raise EditError(f"{where}: kith could not edit the front matter safely; nothing written")


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
