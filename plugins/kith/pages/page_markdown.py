"""A person's and a journal note's page as Markdown: the notes as written (a person's
without the log entries its log shows), kith's HTML blocks set aside out of Markdown's
way (``stash_html``) and put back into the rendered page (``unstash``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jinja2

from kith.core.grammar import LOG_ENTRY, code_free_lines, entry_kind, strip_comments
from kith.core.model import Contact, Note
from kith.pages.render import render
from kith.pages.words import md_escape

_FIRST_HEADING = re.compile(r"^#[ \t]+\S")


_BLOCK_LINE = re.compile(
    r"^<(div|table|ul|ol|dl|p|details|figure|svg|section|nav|blockquote|pre)[\s>]", re.M
)
_PLACEHOLDER = re.compile(r"<p>KITHSTASH(\d+)X</p>")


@lru_cache(maxsize=32)
def _same_tag(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){tag}[\s>]")


def _block_end(text: str, start: int, tag: str) -> int:
    """Index just past the line where the ``tag`` element opening at ``start`` closes.

    Only tags of the same name are counted: the blocks come from kith's templates,
    whose elements are balanced.
    """
    depth = 0
    for match in _same_tag(tag).finditer(text, start):
        depth += -1 if match.group(1) else 1
        if depth <= 0:
            end = text.find("\n", match.end())
            return len(text) if end < 0 else end
    return len(text)


def stash_html(text: str, blocks: list[str]) -> str:
    """Take the HTML blocks of a template's output out of Markdown's way.

    Python-Markdown re-parses raw HTML with a pure-Python parser, which costs
    more than the rest of a page. Each top-level HTML block (starting at column
    0) becomes a placeholder paragraph; ``unstash`` puts the block back into the
    rendered page. Headings stay Markdown, so they reach the table of contents.
    """
    out: list[str] = []
    position = 0
    for match in _BLOCK_LINE.finditer(text):
        if match.start() < position:  # inside a block already taken
            continue
        end = _block_end(text, match.start(), match.group(1))
        out.append(text[position : match.start()])
        blocks.append(text[match.start() : end])
        out.append(f"\nKITHSTASH{len(blocks) - 1}X\n")
        position = end
    out.append(text[position:])
    return "".join(out)


def unstash(html: str, blocks: list[str]) -> str:
    """Put the blocks ``stash_html`` took out back into the rendered HTML."""
    if not blocks:
        return html
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)


def _title_and_rest(body: str, name: str) -> tuple[str, str]:
    """The page's ``# `` heading (the body's own, when it opens with one) and the rest."""
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and _FIRST_HEADING.match(lines[first]):
        return "\n".join(lines[: first + 1]), "\n".join(lines[first + 1 :])
    return f"# {md_escape(name)}", body


def person_markdown(
    contact: Contact,
    env: jinja2.Environment,
    card_context: Mapping[str, Any],
    blocks: list[str],
) -> str:
    """The Markdown MkDocs renders for a person: title, header card, the notes, then
    what kith knows besides them (``person-after.md``: backlinks, timeline).

    The HTML kith adds goes into ``blocks`` (see ``stash_html``); the notes stay Markdown.
    """
    title, rest = _title_and_rest(without_log(strip_comments(contact.body), contact), contact.name)
    context = {**card_context, "contact": contact}
    card = render(env.get_template("person-card.html"), context)
    after = render(env.get_template("person-after.md"), context)
    card, after = stash_html(card.strip(), blocks), stash_html(after.strip(), blocks)
    return f"{title}\n\n{card}\n\n{rest.strip(chr(10))}\n\n{after}\n"


_LOG_HEADING = re.compile(r"^(#{1,6})[ \t]+log[ \t#]*$", re.I)
_ANY_HEADING = re.compile(r"^(#{1,6})[ \t]")


def without_log(body: str, contact: Contact) -> str:
    """The notes without the log entries, which the page shows in its log (merged with
    the commits, newest first) instead of twice; a ``## Log`` heading left empty goes too.
    """
    lines = body.split("\n")
    drop: set[int] = set()
    for entry in contact.entries:
        index = entry.line - contact.body_line
        if entry.source != contact.src_uri or not 0 <= index < len(lines):
            continue
        drop.add(index)
        follow = index + 1  # the item's continuation lines, indented under it
        while follow < len(lines) and lines[follow][:1] in (" ", "\t") and lines[follow].strip():
            drop.add(follow)
            follow += 1
    kept = [line for i, line in enumerate(lines) if i not in drop]
    result: list[str] = []
    index = 0
    while index < len(kept):
        heading = _LOG_HEADING.match(kept[index])
        if heading:
            end = index + 1
            while end < len(kept) and not kept[end].strip():
                end += 1
            level = len(heading.group(1))
            next_heading = _ANY_HEADING.match(kept[end]) if end < len(kept) else None
            if end == len(kept) or (next_heading and len(next_heading.group(1)) <= level):
                index = end
                continue
        result.append(kept[index])
        index += 1
    return "\n".join(result)


def note_markdown(
    note: Note, env: jinja2.Environment, context: Mapping[str, Any], blocks: list[str]
) -> str:
    """A journal note's page: its heading (or its title), its date, then its text."""
    title, rest = _title_and_rest(format_log(strip_comments(note.body)), note.title)
    header = render(env.get_template("note-header.html"), {**context, "note": note})
    return f"{title}\n\n{stash_html(header.strip(), blocks)}\n\n{rest.strip(chr(10))}\n"


def format_log(body: str) -> str:
    """Mark up log lines (date and kind) so the log reads as a timeline, outside code."""
    lines = body.split("\n")
    for index, code_free in code_free_lines(body):
        match = LOG_ENTRY.match(code_free)
        if match is None:
            continue
        rest = lines[index][match.start("rest") :]
        kind, text_start = entry_kind(rest)
        marked = f'{match.group("lead")}<time class="kith-date">{match.group("date")}</time>'
        if kind:
            marked += f' <span class="kith-kind kith-kind-{kind.lower()}">{kind}</span>'
        lines[index] = marked + rest[text_start:]
    return "\n".join(lines)
