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
WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
"""``[[inner]]`` or ``![[inner]]``: group 1 is the ``!`` of an embed, group 2 the inner text."""

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


def code_free_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line_index, line)`` for lines outside fenced code, code spans blanked.

    Blanking keeps columns and line numbers true to the source.
    """
    if "`" not in text and "~" not in text:  # no fence and no code span: every line as it is
        yield from enumerate(text.split("\n"))
        return
    fence: str | None = None
    for index, line in enumerate(text.split("\n")):
        opened = _FENCE_OPEN.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        yield index, _CODE_SPAN.sub(_blank, line) if "`" in line else line


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def strip_comments(text: str) -> str:
    """Remove Obsidian ``%%comments%%`` (inline or over several lines) outside code.

    Removed text becomes nothing, but every newline inside a comment is kept so
    that line numbers of the rest of the text do not move.
    """
    if "%%" not in text:
        return text
    out: list[str] = []
    in_comment = False
    fence: str | None = None
    for line in text.split("\n"):
        opened = _FENCE_OPEN.match(line)
        if not in_comment and fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if not in_comment and opened:
            fence = opened.group(1)
            out.append(line)
            continue
        kept: list[str] = []
        position = 0
        # Code spans are found once per line: looking again at each comment made a line
        # of many comments quadratic.
        spans = [m.span() for m in _CODE_SPAN.finditer(line)] if "`" in line else []
        while position <= len(line):
            if in_comment:
                end = line.find("%%", position)
                if end < 0:
                    break
                in_comment = False
                position = end + 2
                continue
            start = _next_comment_start(line, position, spans)
            if start < 0:
                kept.append(line[position:])
                break
            kept.append(line[position:start])
            in_comment = True
            position = start + 2
        out.append("".join(kept))
    return "\n".join(out)


def _next_comment_start(line: str, position: int, spans: list[tuple[int, int]]) -> int:
    """Index of the next ``%%`` at or after ``position`` outside the code ``spans`` of the
    line (in order, not overlapping)."""
    start = line.find("%%", position)
    if not spans:
        return start
    index = bisect.bisect_right(spans, (start, len(line) + 1)) - 1
    while start >= 0:
        while index + 1 < len(spans) and spans[index + 1][0] <= start:
            index += 1
        if index < 0 or not (spans[index][0] <= start < spans[index][1]):
            return start
        start = line.find("%%", spans[index][1])
    return -1


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
