"""The ``kith`` command line: a thin layer over the library.

Library errors become ``CommandError`` (a ``click.ClickException``) here and only here;
every line printed goes through ``echo``, which keeps data from acting on the terminal.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
from click.exceptions import NoArgsIsHelpError

from kith.core.config import load_settings
from kith.core.errors import KithError
from kith.core.model import Network
from kith.reading.load import load, load_journal

if TYPE_CHECKING:
    from kith.core.errors import Problem
    from kith.core.model import Contact
    from kith.git.gitlog import History


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters a terminal acts on instead of showing: escape sequences (which can retitle
the terminal, write the clipboard, plant a link), other controls, and bidi overrides."""


def shown(text: str) -> str:
    """``text`` as a terminal may safely show it: data (a name, a log line) is never an
    instruction to the terminal. Controls are written as ``\\uXXXX``; JSON keeps its meaning."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def echo(message: str, err: bool = False) -> None:
    """Every line kith prints goes through here (``shown``)."""
    click.echo(shown(message), err=err)


class CommandError(click.ClickException):
    """A command's error message, shown safely (``shown``)."""

    def format_message(self) -> str:
        return shown(self.message)


class Project:
    """Where the network lives: the folder holding ``mkdocs.yml`` (or the current one)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            self.settings = load_settings(root)
        except KithError as err:
            raise CommandError(str(err)) from None
        self.people = root / self.settings.people_dir

    def history(self) -> History | None:
        """The people folder's git history, as the build reads it (one git process): the
        follow-ups' reasons read it (a new role to congratulate on)."""
        from kith.git.history import read_history

        folder = self.settings.people_dir
        history = read_history(self.root.resolve(), [folder], None, None)
        return history.under(folder) if history.repository else None

    def network(self) -> Network:
        if not self.people.is_dir():
            raise CommandError(
                f"no people folder at {self.people}: run kith in the folder holding mkdocs.yml, "
                "or pass --project"
            )
        network = load(self.people, self.settings.people_dir + "/", list(self.settings.tiers))
        journal = self.settings.journal_dir
        notes, problems = load_journal(self.root / journal, "journal/", journal + "/")
        return replace(network, notes=tuple(notes), problems=network.problems + tuple(problems))


_PROJECT = "kith.project"
"""Where ``ctx.meta`` keeps the ``--project`` folder given after the sub-command."""


def _project_option(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[_PROJECT] = value


def _project_here() -> click.Option:
    """``--project`` of a sub-command: ``kith log jane call --project ~/network`` too."""
    return click.Option(
        ["--project"],
        type=click.Path(file_okay=False, path_type=Path),
        expose_value=False,
        is_eager=True,
        callback=_project_option,
        help="Folder holding mkdocs.yml and the people folder (as before the sub-command).",
    )


def pass_project(command: Callable[..., Any]) -> Callable[..., Any]:
    """Calls ``command`` with the ``Project`` the ``--project`` options name (the one
    after the sub-command wins), read once the whole command line is parsed."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        root = ctx.meta.get(_PROJECT) or ctx.find_root().params.get("project") or Path(".")
        return ctx.invoke(command, Project(root), *args, **kwargs)

    return run


class KithGroup(click.Group):
    """Every sub-command takes ``--project``; a usage error is one line (and exit 2)."""

    group_class = type  # ``kith import`` and ``kith export`` are KithGroups too

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not any(param.name == "project" for param in cmd.params):
            cmd.params.append(_project_here())
        super().add_command(cmd, name)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as err:
            raise _one_line(err) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            raise _one_line(err) from None


class OneLineUsageError(click.UsageError):
    """Click's usage error (usage, a hint, a blank line, the error) as one line."""

    def show(self, file: IO[Any] | None = None) -> None:
        message = f"Error: {self.format_message()}"
        if self.ctx is not None:
            pieces = " ".join(self.ctx.command.collect_usage_pieces(self.ctx))
            names = [c.info_name or "" for c in _chain(self.ctx)]
            message += f" — usage: {' '.join(['kith', *names[1:]])} {pieces}"
        echo(message, err=True)


def _chain(ctx: click.Context) -> list[click.Context]:
    """``ctx`` and its parents, the root first."""
    return [*_chain(ctx.parent), ctx] if ctx.parent is not None else [ctx]


def _one_line(err: click.UsageError) -> click.UsageError:
    if isinstance(err, OneLineUsageError | NoArgsIsHelpError):  # bare ``kith``: the help
        return err
    return OneLineUsageError(err.format_message(), err.ctx)


@click.group(cls=KithGroup)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Folder holding mkdocs.yml and the people folder.",
)
@click.version_option(package_name="mkdocs-kith")
def main(project: Path) -> None:
    """kith: your professional network as plain Markdown.

    \b
    Example:
        kith check
    """


@main.command()
@pass_project
def check(project: Project) -> None:
    """Validate every contact file; exit 1 if any has a problem.

    Prints one line per problem, as path:line:col: message — how to fix it.
    Use it as a pre-commit hook to keep bad data out of your history.

    \b
    Example:
        kith check
    """
    from kith.analyses.link_problems import link_problems
    from kith.analyses.site import Site

    network = project.network()
    site = Site(network, project.settings)
    others = [
        p.relative_to(project.people).as_posix()
        for p in project.people.rglob("*")
        if p.is_file() and p.suffix != ".md"
    ]
    from kith.core.errors import Problem

    # A kith command killed while writing leaves its temporary file behind.
    leftovers = [
        Problem(
            f"{project.settings.people_dir}/{p.relative_to(project.people).as_posix()}",
            1,
            1,
            "a temporary file left by an interrupted kith command",
            "check that the file beside it is whole, then delete this one",
        )
        for p in project.people.rglob(".kith-*")
        if p.is_file()
    ]
    problems = sorted([*network.problems, *link_problems(site, others), *leftovers])
    hosted = _hosting_problem(project)  # as the build warns, before the site is hosted
    if hosted is not None:
        problems.insert(0, hosted)
    for problem in problems:
        echo(str(problem))
    count = len(network.contacts)
    if problems:
        echo(f"{len(problems)} problem(s) in {count} contact(s).", err=True)
        sys.exit(1)
    echo(f"{count} contacts, no problems.", err=True)


def _hosting_problem(project: Project) -> Problem | None:
    """``site_url`` set and no encryption: what a hosted site would make public."""
    from kith.core.config import hosting_warning
    from kith.core.errors import Problem

    config = project.root / "mkdocs.yml"
    try:
        lines = config.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for number, line in enumerate(lines, start=1):
        match = re.match(r"site_url\s*:\s*(.*?)\s*$", line)
        if match:
            url = match.group(1).strip("'\"")
            warning = hosting_warning(project.settings, url)
            return Problem("mkdocs.yml", number, 1, warning) if warning else None
    return None


# ---------------------------------------------------------------- commands that write files


def day_option(option: str, value: str | None, today: date, ahead: bool = False) -> date | None:
    """An option's date as typed (``edit.dates``: ``yesterday``, ``friday``...); a bad one
    is an error (exit 1) that lists what is accepted."""
    from kith.edit.dates import DateError, parse_day

    if value is None:
        return None
    try:
        return parse_day(value, today, option, ahead)
    except DateError as err:
        raise CommandError(str(err)) from None


def _fail(err: Exception) -> click.ClickException:
    """A library error as one clear line."""
    if isinstance(err, OSError):
        return CommandError(f"{err.filename or 'file'}: {err.strerror or err}")
    return CommandError(str(err))


def find_person(network: Network, query: str) -> Contact:
    """The one person ``query`` means (``Directory.search``), or exit 1 listing the
    candidates."""
    from kith.core.directory import Directory

    found = Directory(network.contacts).search(query)
    if not found:
        raise CommandError(
            f"nobody matches {query!r}: use a name, alias or file name (kith new creates people)"
        )
    if len(found) > 1:
        listed = "; ".join(f"{c.name} ({c.path})" for c in found)
        raise CommandError(
            f"{query!r} matches {len(found)} people: {listed} — type more of the name"
        )
    return found[0]


# Register ``kith due``, ``new``, ``log``, ``done``, ``snooze``, ``import``, ``export``
# and ``render``.
from kith.cli import capture, due, render, transfer  # noqa: E402, F401
