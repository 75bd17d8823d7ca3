"""Splitting a Markdown file into front matter and body, and reading the YAML strictly.

The YAML is read with PyYAML's C loader and a YAML 1.2-style resolver, so the
YAML 1.1 traps are closed: ``NO``/``yes`` stay text, ``12:30`` and ``01234``
stay text, dates stay text (kith validates them per key, with a line number),
and a duplicate key is an error instead of a silent overwrite.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

from kith.core.errors import Problem

_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?=\n|\Z)")
"""A closing fence with the line break before it: searched for in the whole text."""
_STR_TAG = "tag:yaml.org,2002:str"


class _StrictLoader(yaml.CSafeLoader):
    """Safe loader with YAML 1.2 core-schema scalars and no timestamps."""

    yaml_implicit_resolvers = {}  # noqa: RUF012 - PyYAML reads it per class

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """``BaseResolver.resolve`` for a loader without path or wildcard resolvers.

        The C parser calls it for every node, keys included; PyYAML's version
        builds two lists per call to allow for resolvers this loader never has.
        Same answers: the first implicit resolver (by first character) whose
        pattern matches, else the default tag of the node's kind.
        """
        if kind is _SCALAR:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        if kind is yaml.MappingNode:
            return self.DEFAULT_MAPPING_TAG
        return None  # pragma: no cover - the parser only asks about the three kinds


def _add(tag: str, pattern: str, first: list[str]) -> None:
    _StrictLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), first)


_SCALAR = yaml.ScalarNode
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = _StrictLoader.yaml_implicit_resolvers
"""First character → the resolvers to try, in order (module globals: ``resolve`` is hot)."""


_add("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF"))
_add("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", [*"~nN", ""])
# No leading zeros: ``01234`` (a postcode, a phone) stays text.
_add("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", list("-+0123456789"))


def _construct_int(loader: _StrictLoader, node: yaml.ScalarNode) -> int | str:
    """An integer; one with more digits than Python converts (4,300) is the text as
    written, for the key's own check to report, instead of a traceback."""
    text = loader.construct_scalar(node)
    try:
        return int(text)
    except ValueError:
        return str(text)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_add(
    "tag:yaml.org,2002:float",
    r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    list("-+0123456789."),
)


@dataclass(frozen=True)
class Split:
    """A file cut in two: the raw YAML (if any) and the Markdown body."""

    yaml_text: str | None
    """The text between the fences; ``None`` when the file has no front matter."""
    body: str
    body_line: int
    """1-based line where the body starts."""


Properties = dict[str, tuple[Any, int, int, str | None]]
"""What ``read_properties`` gives: key → ``(value, line, col, raw)``, ``raw`` being the
scalar as written (``1.10``, ``1e3``), for keys that are text."""


class FrontMatterError(Exception):
    """The front matter cannot be read at all; carries one problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def decode(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 with or without BOM, CRLF or CR line ends made LF."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise FrontMatterError(
            Problem(
                path,
                line,
                col,
                f"the file is not UTF-8 (byte 0x{data[err.start]:02x} cannot be decoded)",
                "save it as UTF-8 (in most editors: 'Save with encoding' → UTF-8)",
            )
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split(text: str, path: str) -> Split:
    """Cut ``text`` at the front-matter fences (``---`` ... ``---`` or ``...``).

    The closing fence is searched for in the text as a whole, lines being what
    ``\\n`` separates: the body is sliced off, not split into lines and joined again.
    """
    first_break = text.find("\n")
    if not _FENCE.match(text if first_break < 0 else text[:first_break]):
        _refuse_late_front_matter(text, path)
        return Split(None, text, 1)
    fence = _END_FENCE.search(text, first_break) if first_break >= 0 else None
    if fence is not None:
        yaml_text = text[first_break + 1 : fence.start()]
        body = text[fence.end() + 1 :]
        return Split(yaml_text, body, text.count("\n", 0, fence.start()) + 3)
    raise FrontMatterError(
        Problem(
            path,
            1,
            1,
            "the front matter opened by '---' on line 1 is never closed",
            "add a line with just '---' after the last property",
        )
    )


_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00a0 \t"
"""What an editor shows as nothing before a fence: BOMs, zero-width characters, spaces."""
_LATE_FENCE = re.compile(r"-{3,}[ \t]*")


def _refuse_late_front_matter(text: str, path: str) -> None:
    """Front matter that does not open on the very first line (a blank line, a space, a
    zero-width space or a second BOM before it, or ``----``) is not front matter to
    Obsidian or MkDocs: they would publish it as text, ``publish: false`` and all. It
    is an error, and the file stays out of the site."""
    head = text[:4096]
    lines = head.split("\n")
    for index, line in enumerate(lines[:20]):
        stripped = line.strip(_INVISIBLE)
        if not stripped:
            continue
        if _LATE_FENCE.fullmatch(stripped) and any(
            _LATE_FENCE.fullmatch(later.strip(_INVISIBLE)) or later.strip() == "..."
            for later in lines[index + 1 :]
        ):
            raise FrontMatterError(
                Problem(
                    path,
                    index + 1,
                    1,
                    "front matter must open with '---' alone on the very first line",
                    "remove what comes before the '---' (blank lines, spaces, invisible "
                    "characters) and write the fence as exactly three dashes",
                )
            )
        return


def read_properties(yaml_text: str, path: str) -> Properties:
    """Read front matter into ``Properties``; raise FrontMatterError when unreadable.

    Line numbers count from the file's first line (the opening ``---``). One tuple
    per key rather than an object, and no work for what only a problem needs (where
    a key is). Keys are interned, so that 10,000 contacts held for a build share one
    ``company`` string.
    """
    loader = _StrictLoader(yaml_text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as err:
            raise FrontMatterError(_yaml_problem(err, path, yaml_text)) from None
        except yaml.YAMLError as err:  # pragma: no cover - unmarked errors are rare
            problem = Problem(path, 2, 1, f"invalid YAML: {err}", _YAML_HINT)
            raise FrontMatterError(problem) from None
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise FrontMatterError(
                Problem(
                    path,
                    *_position(node.start_mark, yaml_text),
                    "the front matter is not a list of 'key: value' properties",
                    "write one property per line, like 'company: Acme Corp'",
                )
            )
        # Where the C loader's own line and column of a mark are the ones
        # ``_position`` would count, they are taken as they are: counting for every
        # value was most of the time spent here.
        counted, end = _marks_count_lines(yaml_text), len(yaml_text)
        properties: Properties = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, _SCALAR):
                raise FrontMatterError(
                    Problem(
                        path,
                        *_position(key_node.start_mark, yaml_text),
                        "a property name must be plain text",
                        _YAML_HINT,
                    )
                )
            key = sys.intern(str(key_node.value))
            if key in properties:
                first = properties[key][1]
                raise FrontMatterError(
                    Problem(
                        path,
                        *_position(key_node.start_mark, yaml_text),
                        f"duplicate key '{key}' (first set on line {first})",
                        "keep one of the two lines; YAML would silently use the last one",
                    )
                )
            raw = value_node.value if isinstance(value_node, _SCALAR) else None
            if raw is not None and value_node.tag == _STR_TAG:
                value: Any = raw  # text needs no constructor: it is the scalar itself
            else:
                value = _construct(loader, value_node, path, yaml_text)
            mark = value_node.start_mark
            if counted and 0 <= mark.index < end:
                properties[key] = (value, mark.line + 2, mark.column + 1, raw)
            else:
                properties[key] = (value, *_position(mark, yaml_text), raw)
        return properties
    finally:
        loader.dispose()


def _construct(loader: _StrictLoader, node: yaml.Node, path: str, yaml_text: str) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except yaml.MarkedYAMLError as err:
        raise FrontMatterError(_yaml_problem(err, path, yaml_text)) from None


_YAML_HINT = "fix the YAML syntax; quote values that contain ': ', '#' or start with '[' or '{'"


def _marks_count_lines(yaml_text: str) -> bool:
    """Whether every mark's ``line`` and ``column`` are what ``_position`` makes of its index.

    They are, except after a line break other than ``\\n`` (YAML breaks lines there,
    kith does not) or when the text starts with a BOM (the C loader skips it without
    counting it in ``index``). Before the end of the text, that is: see ``_position``.
    """
    if yaml_text.isascii():
        return "\r" not in yaml_text
    return not (
        "\r" in yaml_text
        or "\x85" in yaml_text
        or "\u2028" in yaml_text
        or "\u2029" in yaml_text
        or yaml_text.startswith("\ufeff")
    )


def _position(mark: yaml.Mark, yaml_text: str) -> tuple[int, int]:
    """``(line, col)`` in the file of a YAML mark, the opening ``---`` being line 1.

    Counted from the mark's character index: YAML also breaks lines at NEL,
    U+2028 and U+2029, which editors (and kith) show inside one line.
    """
    index = max(mark.index, 0)
    if index >= len(yaml_text):  # the end of the front matter: its closing fence
        return yaml_text.count("\n") + 3, 1
    line_start = yaml_text.rfind("\n", 0, index) + 1
    return yaml_text.count("\n", 0, index) + 2, index - line_start + 1


def _yaml_problem(err: yaml.MarkedYAMLError, path: str, yaml_text: str) -> Problem:
    mark = err.problem_mark or err.context_mark
    if err.context_mark and err.problem and "end of stream" in err.problem:
        mark = err.context_mark  # where the unclosed quote or bracket opened
    line, col = _position(mark, yaml_text) if mark else (2, 1)
    what = " ".join(part for part in (err.context, err.problem) if part)
    hint = _YAML_HINT
    at_tab = mark is not None and yaml_text[mark.index : mark.index + 1] == "\t"
    if at_tab or (err.problem and ("'\\t'" in err.problem or "tab" in err.problem)):
        hint = "indent with spaces, not tabs"
    elif err.problem and "mapping values are not allowed" in err.problem:
        hint = "a value containing ': ' must be quoted, e.g. role: \"Lead: Platform\""
    return Problem(path, line, col, f"invalid YAML: {what}", hint)
