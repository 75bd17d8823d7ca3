"""Field changes from one file's patch: the front-matter lines of each version, and only those.

``git log`` prints each patch with the whole file as context (``history.py`` asks for
it), so the patch holds both versions of the file in full: its context and removed
lines are the old version, its context and added lines the new one. Each version's
front matter is found as the reader finds it (``---`` alone on the very first line, up
to the first ``---`` or ``...`` line after it), and only a changed line inside it can
change a field. A ``company:`` line in the body, in a ``%% %%`` or ``<!-- -->``
comment or in a code block is no value; neither is a YAML comment (``# company: X``),
nor a line inside a quoted value that runs over several lines. A version whose front
matter is never closed has none (the reader refuses the file).

A patch that does not show a version from its first line (one made with less
context) gives nothing: which of its lines are front matter cannot be told.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kith.core.keys import CONTACT_INFO, TIMELINE

TRACKED = frozenset(TIMELINE) | frozenset(CONTACT_INFO)
CONTACT = frozenset(CONTACT_INFO)
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_OPENING = re.compile(r"---[ \t]*")
_CLOSING = re.compile(r"(?:---|\.\.\.)[ \t]*")
_COMMENT = re.compile(r"(?:^|[ \t]+)#.*$")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A front-matter value that a commit changed: ``company: Acme → Globex``."""

    key: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.key}: {self.old or '—'} → {self.new or '—'}"


_START, _INSIDE, _CLOSED, _NONE = range(4)
_FENCES = ("---", "...")


class _Version:
    """One version of the file as the patch shows it, down to the end of its front matter."""

    __slots__ = ("changed", "lines", "seen", "state")

    def __init__(self) -> None:
        self.state = _START
        self.seen = 0
        """Lines of this version the patch has shown so far."""
        self.lines: list[str] = []
        """Its front-matter lines, fences left out."""
        self.changed: list[int] = []
        """Which of ``lines`` the commit removed (old version) or added (new version)."""

    def skip_to(self, line: int) -> None:
        """The patch goes on at ``line``: lines it does not show leave the front matter unknown."""
        if line > self.seen + 1 and self.state in (_START, _INSIDE):
            self.state = _NONE
        self.seen = max(self.seen, line - 1)

    def values(self, keys_only: bool) -> dict[str, list[str]]:
        """Values of tracked keys on the changed lines, per key, in order; none unless this
        version's front matter was seen whole (a front matter never closed is none)."""
        if self.state != _CLOSED or not self.changed:
            return {}
        return _changed_values(self.lines, self.changed, keys_only)


def front_matter_lines(
    patch: Iterable[str], keys_only: bool = False
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Values of tracked keys removed and added, per key, in order: front-matter lines only.

    ``patch`` is one file's patch, its lines after the ``diff --git`` line. Reading
    stops once both versions' front matter is behind: the body is never looked at.
    ``keys_only``: the keys alone, each with no values (all that an added or a
    deleted file needs: whether it holds contact info).
    This is the hot loop of the history: a line only goes to its versions here, and
    is read as YAML (``_changed_values``) only when a changed line comes after it.
    """
    old, new = _Version(), _Version()
    both: tuple[_Version, ...] = (old, new)
    only_old: tuple[_Version, ...] = (old,)
    only_new: tuple[_Version, ...] = (new,)
    in_hunk = False
    for line in patch:
        sign = line[:1]
        if sign == " " or not line:  # a blank context line may have lost its space
            sides, changed = both, False
        elif sign == "-":
            sides, changed = only_old, True
        elif sign == "+":
            sides, changed = only_new, True
        elif sign == "@":
            hunk = _HUNK.match(line)
            if hunk is not None:
                in_hunk = True
                old_start, old_count, new_start, new_count = hunk.group(1, 2, 3, 4)
                # ``-5,0``: nothing removed, after line 5; ``-5``: line 5 alone.
                old.skip_to(int(old_start) + (old_count == "0"))
                new.skip_to(int(new_start) + (new_count == "0"))
            continue
        else:
            continue  # ``\ No newline at end of file``
        if not in_hunk:
            continue  # the patch's header lines (``--- a/…``, ``+++ b/…``)
        text = line[1:]
        if "\r" not in text:  # most lines: inside the front matter of their versions
            if sides is both and old.state == new.state == _INSIDE:
                old.seen += 1
                new.seen += 1
                if text[:3] in _FENCES and _CLOSING.fullmatch(text):
                    old.state = new.state = _CLOSED
                    break  # both end here
                old.lines.append(text)
                new.lines.append(text)
                continue
            side = sides[0]
            if sides is not both and side.state == _INSIDE:
                side.seen += 1
                if text[:3] in _FENCES and _CLOSING.fullmatch(text):
                    side.state = _CLOSED
                    if old.state >= _CLOSED and new.state >= _CLOSED:
                        break
                    continue
                side.changed.append(len(side.lines))
                side.lines.append(text)
                continue
        # The reader makes CRLF and CR line ends LF: a CR-only file is one line to git.
        parts = text.removesuffix("\r").split("\r") if "\r" in text else (text,)
        for side in sides:
            side.seen += 1
            for part in parts:
                state = side.state
                if state == _INSIDE:
                    if part[:3] in _FENCES and _CLOSING.fullmatch(part):
                        side.state = _CLOSED
                        break
                    if changed:
                        side.changed.append(len(side.lines))
                    side.lines.append(part)
                elif state == _START:
                    first = part.removeprefix("\ufeff")  # the reader drops one byte-order mark
                    side.state = _INSIDE if _OPENING.fullmatch(first) else _NONE
                else:
                    break
        if old.state >= _CLOSED and new.state >= _CLOSED:
            break
    return old.values(keys_only), new.values(keys_only)


# The values this captures keep their trailing blanks: ``values`` strips them, and a
# value of blanks only is captured empty anyway. A lazy ``(.*?)[ \t]*`` would trim
# them here at twice the cost, on every line of every patch.
_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?|[ \t]*-[ \t]+(.*)|[ \t]*(?:#.*)?")
"""A front-matter line: ``key: value``, ``  - item``, or nothing (blank, ``# comment``)."""
_BLOCK = "|"
_OPENERS = frozenset("|>\"'[{")


def _changed_values(
    lines: list[str], changed: list[int], keys_only: bool = False
) -> dict[str, list[str]]:
    """The values on the ``changed`` lines of a front matter, read down to the last of them.

    A block list's items (``  - Software``) belong to the key line above them. A line
    inside a value that goes on below its key (a block scalar ``notes: |``, a quoted
    value or a flow list left open) is text, whatever it looks like; a blank line and a
    ``# comment`` are nothing.
    """
    found: dict[str, list[str]] = {}
    wanted = set(changed)
    key, until = "", ""
    for index in range(changed[-1] + 1):
        text = lines[index]
        if until:
            if until == _BLOCK and text[:1] not in (" ", "\t", ""):
                until = ""  # a block scalar's text is indented: this line is past it
            else:
                if until != _BLOCK and _closes(text, until):
                    until = ""
                continue
        match = _LINE.fullmatch(text)
        if match is None:
            key = ""  # an indented line that is no item, say
            continue
        name, value, item = match.group(1, 2, 3)
        if name is not None:
            value = value.strip() if value else ""
            key = name if not value or value[:1] == "#" else ""
            if value[:1] in _OPENERS:
                until = _left_open(value)
            if index in wanted and name in TRACKED:
                found.setdefault(name, []).extend(() if keys_only else values(value))
        elif item is not None:
            if item[:1] in _OPENERS:
                until = _left_open(item.strip())
            if index in wanted and key in TRACKED:
                found.setdefault(key, []).extend(() if keys_only else values(item))
    return found


def _left_open(value: str) -> str:
    """What ends a value that goes on below its line: a block scalar (``notes: |``),
    a quoted value or a flow list that its own line does not close."""
    if value[:1] in ("|", ">"):
        return _BLOCK
    if value[:1] == '"':
        return "" if _closes(value[1:], '"') else '"'
    if value[:1] == "'":
        return "" if _closes(value[1:], "'") else "'"
    if value[:1] in ("[", "{"):
        depth = value.count("[") + value.count("{") - value.count("]") - value.count("}")
        return "]" if depth > 0 else ""
    return ""


def _closes(text: str, until: str) -> bool:
    if until == '"':
        return _DOUBLE_END.search(text) is not None
    if until == "'":
        return "'" in text.replace("''", "")
    return "]" in text or "}" in text


_DOUBLE_END = re.compile(r'(?<!\\)(?:\\\\)*"')
"""A closing double quote: one that no backslash escapes."""


def field_changes(
    removed: Mapping[str, list[str]], added: Mapping[str, list[str]]
) -> tuple[FieldChange, ...]:
    changes: list[FieldChange] = []
    for key in TIMELINE:
        if key not in removed and key not in added:
            continue
        old, new = ", ".join(removed.get(key, ())), ", ".join(added.get(key, ()))
        if old != new:
            changes.append(FieldChange(key, old, new))
    return tuple(changes)


def values(text: str) -> list[str]:
    """A YAML value as display text: quotes and comments removed, inline lists split."""
    text = text.strip()
    if text.startswith("#"):  # ``company: # was Acme``: a comment, no value
        return []
    if text.startswith("[") and "#" in text:
        text = _COMMENT.sub("", text)
    if text.startswith("[") and text.endswith("]"):
        return [v for part in text[1:-1].split(",") for v in values(part)]
    if text.startswith('"'):
        end = text.rfind('"')
        text = text[1:end].replace('\\"', '"').replace("\\\\", "\\") if end > 0 else text[1:]
    elif text.startswith("'"):
        end = text.rfind("'")
        text = text[1:end].replace("''", "'") if end > 0 else text[1:]
    elif "#" in text:
        text = _COMMENT.sub("", text)
    text = text.strip()
    return [] if text in ("", "~", "null", "Null", "NULL") else [text]
