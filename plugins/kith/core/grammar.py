"""Reading Markdown source text the way Obsidian does: code, comments, wikilinks; and
kith's own log entries.

Pure text functions and patterns, shared by the loader (which finds links and log
entries), the editor (which writes log lines) and the renderer (which removes comments
and marks up log lines before Markdown sees the text).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:.+?)(?<!`)\1(?!`)", re.S)
"""A code span as CommonMark reads one: a run of backticks closed by a run of the same
length, neither part of a longer run (`` `a`` `` is no code span: Markdown shows it)."""
WIKILINK = re.compile(r"(?<!\\)(!?)\[\[([^\[\]\n]+?)\]\]")
"""``[[inner]]`` or ``![[inner]]``: group 1 is the ``!`` of an embed, group 2 the inner text;
``\\[[`` (an escaped bracket) is no link, in Markdown as in Obsidian."""

KIND = r"[A-Za-z][\w-]*"
"""A log entry's kind: one word before the colon (``coffee``, ``intro-call``)."""
LOG_ENTRY = re.compile(
    r"^(?P<lead>[ \t]*[-*+][ \t]+(?:\[(?P<box>[ xX])\][ \t]+)?)"
    r"(?P<date>\d{4}-\d{2}-\d{2})(?=$|[\s:])(?P<rest>.*)$"
)
"""A log entry, ``- [ ] 2026-03-02 coffee: text``: a list item opening with a date, the box
optional; ``entry_kind`` reads its ``rest``, what follows the date."""
LOG_ENTRY_STARTS = frozenset(" \t-*+")
"""What a line ``LOG_ENTRY`` matches starts with: most lines are ruled out by it alone."""
_ENTRY_KIND = re.compile(rf"(?:\s*(?P<kind>{KIND})(?=:|\s*$))?:?")


def entry_kind(rest: str) -> tuple[str, int]:
    """The kind of a log entry as written (``""`` for none) and where its text starts in
    ``rest``, past the kind's colon: ``" Coffee: text"`` → ``("Coffee", 8)``."""
    match = _ENTRY_KIND.match(rest)
    if match is None:  # pragma: no cover - the pattern matches any text
        return "", 0
    return match.group("kind") or "", match.end()


@dataclass(frozen=True)
class WikiTarget:
    """The parts of ``[[target#heading|label]]``."""

    target: str
    heading: str
    label: str
    embed: bool


def parse_wikilink(inner: str, embed: bool = False) -> WikiTarget:
    """Split the text between ``[[`` and ``]]``; Obsidian escapes ``|`` in tables as ``\\|``."""
    return WikiTarget(*wikilink_parts(inner), embed)


def wikilink_parts(inner: str) -> tuple[str, str, str]:
    """``(target, heading, label)`` of ``parse_wikilink``, for a caller that wants no object."""
    target, _, label = inner.replace("\\|", "|").partition("|")
    target, _, heading = target.partition("#")
    return target.strip(), heading.strip(), label.strip()


_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_CONTAINER = re.compile(r"[ ]{0,3}(?:!!!|\?\?\?|\[\^[^\]]+\]:)")
"""A block whose indented lines after it are its content, not code: an admonition
(``!!! note``), a folded one (``??? note``), a footnote's definition."""


def _indent(line: str) -> int:
    """The width of a line's leading blanks, a tab reaching the next multiple of 4."""
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


class _CodeLines:
    """Which lines of a text Markdown reads as code, fed one line at a time: a fenced
    block (its fences included), or an indented block (four spaces or a tab) that opens
    after a blank line and does not continue a list, an admonition or a footnote."""

    __slots__ = ("after_blank", "block", "fence")

    def __init__(self) -> None:
        self.fence: str | None = None
        self.block = ""
        """The block being read: ``""`` (none yet), ``text``, ``list``, ``open`` (a
        container whose indented lines are its content) or ``code``."""
        self.after_blank = True

    def is_code(self, line: str) -> bool:
        if self.fence is not None:
            opened = _FENCE_OPEN.match(line)
            if (
                opened
                and opened.group(1)[0] == self.fence[0]
                and len(opened.group(1)) >= len(self.fence)
            ):
                self.fence, self.block = None, "text"
            return True
        if not line.strip():
            self.after_blank = True
            return self.block == "code"
        starts = self.after_blank or self.block == "code"  # a line after code starts a block
        self.after_blank = False
        if starts and _indent(line) >= 4:
            if self.block in ("", "text", "code"):
                self.block = "code"
                return True
            return False  # the list's (the admonition's) own content
        opened = _FENCE_OPEN.match(line)
        if opened:
            self.fence = opened.group(1)
            return True
        if starts:
            self.block = (
                "list" if _LIST_ITEM.match(line) else "open" if _CONTAINER.match(line) else "text"
            )
        return False


def _may_hold_code(text: str) -> bool:
    """False when no line of ``text`` can be code: no backtick, no tilde, no indent."""
    return (
        "`" in text
        or "~" in text
        or "\n    " in text
        or "\n\t" in text
        or text.startswith(("    ", "\t"))
    )


def code_free_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line_index, line)`` for lines outside code (fenced or indented), code
    spans blanked.

    Blanking keeps columns and line numbers true to the source.
    """
    if not _may_hold_code(text):  # every line as it is
        yield from enumerate(text.split("\n"))
        return
    blocks = _CodeLines()
    for index, line in enumerate(text.split("\n")):
        if blocks.is_code(line):
            continue
        yield index, _CODE_SPAN.sub(_blank, line) if "`" in line else line


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


_CLOSER = {"%%": "%%", "<!--": "-->"}


Moved = dict[int, list[tuple[int, int]]]
"""Line index → ``(column, removed)`` pairs of a text with comments removed: from that
column of the line on (0-based, in the text without them), ``removed`` characters of
comments came before (``source_column``)."""


def source_column(moved: Moved, index: int, column: int) -> int:
    """Where ``column`` (0-based) of line ``index`` of the text ``strip_comments`` left
    was in the text it was given."""
    shift = 0
    for at, removed in moved.get(index, ()):
        if at > column:
            break
        shift = removed
    return column + shift


def strip_comments(text: str, moved: Moved | None = None) -> str:
    """Remove Obsidian ``%%comments%%`` and HTML ``<!-- comments -->`` (inline or over
    several lines) outside code: neither is meant to be read on a page.

    Removed text becomes nothing, but every newline inside a comment is kept so
    that line numbers of the rest of the text do not move; ``moved``, when given, learns
    how columns moved. A comment left open runs to the end of the text, as Obsidian
    hides it.
    """
    if "%%" not in text and "<!--" not in text:
        return text
    out: list[str] = []
    closer = ""  # inside a comment: what ends it
    blocks = _CodeLines()
    for index, line in enumerate(text.split("\n")):
        if not closer and blocks.is_code(line):
            out.append(line)
            continue
        kept: list[str] = []
        position = kept_length = removed = 0
        comment_start = 0  # where the comment being read started on this line
        shifts: list[tuple[int, int]] = []
        # Code spans are found once per line, and each opener once: looking again at
        # each comment made a line of many comments quadratic.
        spans = [m.span() for m in _CODE_SPAN.finditer(line)] if "`" in line else []
        openers = _Openers(line, spans)
        was_open = bool(closer)
        while position <= len(line):
            if closer:
                end = line.find(closer, position if closer == "%%" else max(position - 2, 0))
                if end < 0:
                    break
                position = end + len(closer)
                removed += position - comment_start
                shifts.append((kept_length, removed))
                closer = ""
                continue
            start, opener = openers.next(position)
            if start < 0:
                kept.append(line[position:])
                break
            kept.append(line[position:start])
            kept_length += start - position
            closer, comment_start = _CLOSER[opener], start
            position = start + len(opener)
        out.append("".join(kept))
        if moved is not None and shifts:
            moved[index] = shifts
        if was_open:  # what the comment left of the line is read as Markdown reads it
            blocks.is_code(out[-1])
    return "\n".join(out)


class _Openers:
    """The next ``%%`` or ``<!--`` of a line at or after a position, outside its code
    ``spans``; positions asked for only grow, so each kind is searched for once per
    stretch of the line (linear)."""

    __slots__ = ("found", "line", "spans")

    def __init__(self, line: str, spans: list[tuple[int, int]]) -> None:
        self.line = line
        self.spans = spans
        self.found = {"%%": -1, "<!--": -1}
        """Each opener's last position found (-1: not searched yet; past the end: none)."""

    def next(self, position: int) -> tuple[int, str]:
        while True:
            for opener, at in self.found.items():
                if at < position:
                    at = self.line.find(opener, position)
                    self.found[opener] = at if at >= 0 else len(self.line) + 1
            opener = min(self.found, key=self.found.__getitem__)
            start = self.found[opener]
            if start > len(self.line):
                return -1, ""
            span = _span_at(self.spans, start)
            if span is None:
                return start, opener
            position = span[1]


def _span_at(spans: list[tuple[int, int]], index: int) -> tuple[int, int] | None:
    """The code span (in order, not overlapping) holding ``index``, if any."""
    if not spans:
        return None
    at = bisect.bisect_right(spans, (index, 1 << 62)) - 1
    if at >= 0 and spans[at][0] <= index < spans[at][1]:
        return spans[at]
    return None


NESTING_LIMIT = 100
"""How deeply the lists and quotes of a page may nest: deeper, Markdown's parser runs
out of stack (a RecursionError), so kith shows the page's text as written instead."""


def nesting(line: str) -> int:
    """How deeply a line nests blocks: its quote markers (``>``) and its list levels
    (an indent of 4 columns each, as Python-Markdown nests lists)."""
    depth = width = 0
    for char in line:
        if char == ">":
            depth, width = depth + 1, 0
        elif char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return depth + width // 4


def deepest_line(text: str) -> tuple[int, int, int]:
    """``(depth, line_index, column)`` of the first line of ``text`` that nests blocks
    deeper than ``NESTING_LIMIT`` (``nesting``), else of the line that nests deepest,
    counting emphasis and brackets too; column 1-based, where the line's text starts."""
    best = (0, 0, 1)
    for index, line in enumerate(text.split("\n")):
        if line[:1] in (" ", "\t", ">"):
            depth = nesting(line)
            column = len(line) - len(line.lstrip(" \t>")) + 1
            if depth > NESTING_LIMIT:
                return depth, index, column
        else:
            depth = max((line.count(c) for c in "*_[=~"), default=0) // 2
            column = 1
        if depth > best[0]:
            best = (depth, index, column)
    return best


_MD_TARGET = re.compile(r"\]\(\s*<?([^)>\s]+)|\b(?:src|href)\s*=\s*[\"']([^\"']+)")


def referenced_files(text: str) -> set[str]:
    """Lower-cased base names of files that ``text`` links or embeds.

    Used to keep stray files (a ``Connections.csv`` dropped into the people
    folder) out of the site: only what a page refers to is published.
    """
    from urllib.parse import unquote

    names: set[str] = set()
    for match in WIKILINK.finditer(text):
        names.add(parse_wikilink(match.group(2)).target.rsplit("/", 1)[-1].casefold())
    for match in _MD_TARGET.finditer(text):
        target = unquote((match.group(1) or match.group(2)).split("#")[0].split("?")[0])
        names.add(target.rsplit("/", 1)[-1].casefold())
    names.discard("")
    return names
