"""The problems kith reports, and its one exception type."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a file, with where it is and how to fix it."""

    path: str
    """The file, as the user would type it (e.g. ``people/jane.md``)."""
    line: int
    """1-based line in the file, the front matter's ``---`` counted."""
    col: int
    """1-based column."""
    message: str
    """What is wrong."""
    hint: str = ""
    """How to fix it."""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class KithError(Exception):
    """Base of every error kith raises on purpose."""


class ProblemsError(KithError):
    """Raised where problems cannot be skipped (e.g. the command line edits a bad file)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class TemplateFailure(KithError):
    """A template raised while drawing a page: where in the template, and which page.

    A user's template can fail on data kith's own would show (``{{ x | join }}`` of
    a number); the build stops with this one line, not a traceback.
    """

    def __init__(self, where: str, error: Exception, page: str = "") -> None:
        self.where, self.error, self.page = where, error, page
        drawing = f" (drawing {page})" if page else ""
        super().__init__(
            f"{where}: the template failed{drawing}: {type(error).__name__}: {error}"
            " — fix the template, or the value it shows"
        )

    def drawing(self, page: str) -> TemplateFailure:
        """The same failure, naming the page drawn (the first to name it wins)."""
        return self if self.page else TemplateFailure(self.where, self.error, page)
