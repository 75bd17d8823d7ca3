"""Text from outside (an import, a command-line name) as Markdown that shows exactly as written.

Imported text is data: HTML, wikilink brackets, list markers, headings,
``%%comments%%`` and log-entry look-alikes in it must not become markup, links
or log entries when Obsidian or MkDocs reads the file.
"""

from __future__ import annotations

import html
import re

from kith.core.names import clean_text

# Characters Python-Markdown (and Obsidian) honour a backslash before.
_INLINE = re.compile(r"([\\`*_\[\]{}|#!])")
_LINE_START = re.compile(r"^([-+>]|\d+[.)])")


def markdown_inline(text: str) -> str:
    """One line of plain text as inline Markdown: no tags, links, emphasis or comments."""
    escaped = html.escape(clean_text(text), quote=False)
    escaped = _INLINE.sub(r"\\\1", escaped)
    # ``%%`` opens an Obsidian comment; an entity keeps the second ``%`` from pairing.
    escaped = escaped.replace("%%", "%&#37;")
    if escaped.startswith("="):  # a line of ``=`` under text would make a heading
        escaped = "&#61;" + escaped[1:]
    match = _LINE_START.match(escaped)
    if match:
        marker = match.group(1)
        escaped = marker[:-1] + "\\" + marker[-1] + escaped[len(marker) :]
    return escaped


def markdown_paragraphs(text: str) -> str:
    """Multi-line plain text as Markdown paragraphs, each line escaped, blank lines kept once."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    for line in lines:
        escaped = markdown_inline(line)
        if escaped or (out and out[-1]):
            out.append(escaped)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
