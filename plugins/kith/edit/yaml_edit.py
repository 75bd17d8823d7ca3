"""Front-matter edits that change only the keys they mean to change.

The front matter is read with ``ruamel.yaml``'s round-trip parser, which knows
where each key is; the edit itself is made on the text: a replaced key's lines
become one ``key: value`` line, a new key is a new line at the end, and every
other line (comments, key order, quoting, list style, line ends) stays as it
was. Values are written by ``yaml_value`` so that they are read back as the
same text and nothing else, and the result is parsed again to prove it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import StringIO
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from kith.edit.files import (
    BOM,
    FENCE,
    EditError,
    Value,
    front_matter_span,
    line_content,
    newline_of,
    split_lines,
)

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
    plain = value.isprintable() and _PLAIN.fullmatch(value) and not _RESERVED_WORDS.match(value)
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


def _parse(lines: Sequence[str], where: str) -> dict[str, Any]:
    source = "".join(line_content(line) + "\n" for line in lines)
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
        if lines and FENCE.match(line_content(lines[0]).removeprefix(BOM)):
            raise EditError(f"{where}: the front matter is never closed; run kith check")
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
        comment = _inline_comment(line_content(yaml_lines[first])) if stop - first == 1 else ""
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
    return line[len(line_content(line)) :] or newline


def _is_blank_or_comment(line: str) -> bool:
    stripped = line_content(line).strip()
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
