"""Wikilinks on a bare Markdown(), comments, and backlinks from the sources."""

from __future__ import annotations

from datetime import date

import markdown
import pytest
from kith.analyses.backlinks import backlinks
from kith.core.directory import Directory
from kith.core.grammar import WikiTarget, strip_comments
from kith.core.model import Contact
from kith.pages.links import Resolved, WikiLinkExtension
from kith.reading.load import load_note, loads

PEOPLE = {"jane doe": "people/jane-doe/", "bob": "people/bob/"}


def resolve(target: WikiTarget) -> Resolved:
    if target.target.lower() == "secret":
        return Resolved(private=True)
    if target.target.lower() == "photo.png":
        return Resolved(href="img/photo.png", media="image")
    href = PEOPLE.get(target.target.lower().rsplit("/", 1)[-1])
    return Resolved(href=href, text=target.target) if href else Resolved()


def render(text: str) -> str:
    return markdown.markdown(text, extensions=[WikiLinkExtension(resolve=resolve), "fenced_code"])


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("[[Jane Doe]]", '<a class="kith-wikilink" href="people/jane-doe/">Jane Doe</a>'),
        ("[[jane doe|Jane]]", '<a class="kith-wikilink" href="people/jane-doe/">Jane</a>'),
        (
            "[[Jane Doe#Work Life]]",
            '<a class="kith-wikilink" href="people/jane-doe/#work-life">Jane Doe › Work Life</a>',
        ),
        (
            "[[Jane Doe#Work Life|her work]]",
            '<a class="kith-wikilink" href="people/jane-doe/#work-life">her work</a>',
        ),
        ("[[#Log]]", '<a href="#log">Log</a>'),
        (
            "[[Jane Doe#^block-1]]",
            '<a class="kith-wikilink" href="people/jane-doe/#^block-1">Jane Doe</a>',
        ),
        ("[[team/Bob]]", '<a class="kith-wikilink" href="people/bob/">Bob</a>'),
        ("![[Bob]]", '<a class="kith-wikilink" href="people/bob/">Bob</a>'),
        ("![[photo.png]]", '<img alt="photo.png" src="img/photo.png" />'),
        ("[[Secret]]", "<span>Secret</span>"),
        (
            "[[Nobody]]",
            '<span class="kith-unresolved" title="No person or file named “Nobody”">Nobody</span>',
        ),
        ("`[[Jane Doe]]`", "<code>[[Jane Doe]]</code>"),
        (
            "[[a|<b>x</b>]]",
            '<span class="kith-unresolved" title="No person or file named “a”">'
            "&lt;b&gt;x&lt;/b&gt;</span>",
        ),
    ],
)
def test_every_link_form(source: str, html: str) -> None:
    assert render(source) == f"<p>{html}</p>"


def test_links_in_fenced_code_stay_literal() -> None:
    assert "[[Jane Doe]]" in render("```\n[[Jane Doe]]\n```")
    assert "kith-wikilink" not in render("```\n[[Jane Doe]]\n```")


def test_comments_are_removed_outside_code_and_keep_line_numbers() -> None:
    text = "a %%hidden%% b\nc %%start\nstill hidden\nend%% d\n`%%code%%`\n```\n%%fenced%%\n```\n"
    stripped = strip_comments(text)
    assert stripped == "a  b\nc \n\n d\n`%%code%%`\n```\n%%fenced%%\n```\n"
    assert stripped.count("\n") == text.count("\n")


def test_backlinks_come_from_notes_logs_and_journal() -> None:
    jane, _ = loads("# Jane\n", "Jane.md")
    bob, _ = loads(
        "# Bob\n\nKnows [[Jane]].\n\n- 2026-03-02 coffee: with [[Jane]] and [[Bob]]\n", "Bob.md"
    )
    assert jane is not None and bob is not None
    contacts = [bob, jane]
    note, problems = load_note("Met [[jane]] at the fair.\n", "journal/2026-05-01.md", "j")
    assert note is not None and problems == []
    found = backlinks(contacts, [note], Directory(contacts))
    jane = [(m.title, m.date, m.text, m.line) for m in found["Jane.md"]]
    assert jane == [
        ("2026-05-01", date(2026, 5, 1), "", 1),
        ("Bob", date(2026, 3, 2), "with [[Jane]] and [[Bob]]", 5),
        ("Bob", None, "", 3),
    ]
    assert "Bob.md" not in found  # linking yourself is no mention


@pytest.mark.parametrize(
    ("text", "src_uri", "expected"),
    [
        ("# Day\n", "journal/2026-03-02.md", date(2026, 3, 2)),
        ("# Day\n", "journal/2026-03-02 Conference.md", date(2026, 3, 2)),
        ("---\ndate: 2025-12-24\n---\n", "journal/xmas.md", date(2025, 12, 24)),
    ],
)
def test_journal_notes_are_dated_by_name_or_key(text: str, src_uri: str, expected: date) -> None:
    note, problems = load_note(text, src_uri, src_uri)
    assert problems == [] and note is not None
    assert note.date == expected


def test_an_undated_journal_note_is_a_problem() -> None:
    note, problems = load_note("# Someday\n", "journal/someday.md", "journal/someday.md")
    assert note is None
    assert str(problems[0]).startswith("journal/someday.md:1:1: a journal note needs a date")


def test_contact_is_constructible_without_a_file() -> None:
    assert Contact(src_uri="a.md", path="a.md", name="A").stem == "a"
