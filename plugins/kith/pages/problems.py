"""Problems where a person browsing the site sees them, not only in the terminal.

A person whose file has a problem keeps a page saying what is wrong and where; a
file that cannot be read at all gets a page at its person's address saying so
(under ``mkdocs serve``, the page open in the browser while an editor saves a
typo shows the typo, not a 404); the Problems page lists them all while there
are any. None of them names a file that is, or may be, private: a file whose
``publish`` key could not be read (its front matter is broken, or it cannot be
read) is counted, not named — ``kith check`` lists it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from kith.core.errors import Problem

SRC_URI = "problems.md"
TITLE = "Problems"


@dataclass(frozen=True)
class ProblemReport:
    """The build's problems, as the site may show them."""

    shown: Mapping[str, tuple[Problem, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """File (as the user types it) → its problems, for files the site may name."""
    hidden: int = 0
    """Problems of files that are, or may be, private: counted, never named."""

    @property
    def count(self) -> int:
        return sum(len(found) for found in self.shown.values()) + self.hidden

    def of(self, path: str) -> tuple[Problem, ...]:
        return self.shown.get(path, ())


def sort_problems(
    problems: Iterable[Problem],
    published: Collection[str],
    private: Collection[str],
    may_be_private: Callable[[str], bool],
) -> ProblemReport:
    """Which problems the site names: those of published files, and of files read as
    nobody's (broken, unreadable) unless they may hold a private person."""
    shown: dict[str, list[Problem]] = {}
    hidden = 0
    verdict: dict[str, bool] = {}
    for problem in problems:
        path = problem.path
        if path not in verdict:
            verdict[path] = path in published or (path not in private and not may_be_private(path))
        if verdict[path]:
            shown.setdefault(path, []).append(problem)
        else:
            hidden += 1
    return ProblemReport(MappingProxyType({k: tuple(v) for k, v in shown.items()}), hidden)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def problems_block(problems: Sequence[Problem], lead: str = "") -> str:
    """An HTML block listing ``problems`` (their text escaped: it quotes the file)."""
    items = "".join(
        f"<li><code>{html.escape(f'{p.path}:{p.line}:{p.col}')}</code> "
        f"{html.escape(p.message)}"
        + (f" <em>— {html.escape(p.hint)}</em>" if p.hint else "")
        + "</li>"
        for p in problems
    )
    title = html.escape(lead or f"{_plural(len(problems), 'problem')} in this file")
    return (
        f'<div class="admonition failure kith-problems">'
        f'<p class="admonition-title">{title}</p><ul>{items}</ul>'
        "<p>Fix the file and save it: this page follows (<code>kith check</code> "
        "lists every problem).</p></div>"
    )


def with_problems(content: str, problems: Sequence[Problem]) -> str:
    """A person page's HTML with its problems under its title."""
    if not problems:
        return content
    block = problems_block(problems)
    end = content.find("</h1>")
    if end < 0:
        return block + content
    end += len("</h1>")
    return content[:end] + block + content[end:]


_FRONT = "---\nsearch:\n  exclude: true\n---\n\n"
"""Problem pages stay out of the search index: they are about files, not people."""


def problem_page(title: str, problems: Sequence[Problem]) -> str:
    """The page a file gets when it cannot be read as a person."""
    lead = f"This file cannot be read as a person: {_plural(len(problems), 'problem')}"
    return f"{_FRONT}# {html.escape(title)}\n\n{problems_block(problems, lead)}\n"


def problems_page(report: ProblemReport, urls: Mapping[str, str]) -> str:
    """The Problems page: every problem the site may name, by file, each file linked to
    its page; then how many it may not name."""
    parts = [
        f"{_FRONT}# {TITLE}\n\n",
        f"<p>{_plural(report.count, 'problem')}: <code>mkdocs build --strict</code> and "
        "<code>kith check</code> fail until they are fixed.</p>\n",
    ]
    for path, problems in sorted(report.shown.items()):
        url = urls.get(path)
        name = html.escape(path)
        heading = f'<a href="{html.escape(url)}">{name}</a>' if url else name
        parts.append(f"<h2>{heading}</h2>\n")
        parts.append(
            "<ul>"
            + "".join(
                f"<li><code>{p.line}:{p.col}</code> {html.escape(p.message)}"
                + (f" <em>— {html.escape(p.hint)}</em>" if p.hint else "")
                + "</li>"
                for p in problems
            )
            + "</ul>\n"
        )
    if report.hidden:
        parts.append(
            f"<p>And {_plural(report.hidden, 'problem')} in files that are, or may be, "
            "private (their <code>publish</code> key is false, or could not be read): "
            "the site does not name them; <code>kith check</code> does.</p>\n"
        )
    return "".join(parts)
