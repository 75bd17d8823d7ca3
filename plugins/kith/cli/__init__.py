"""The ``kith`` command line: a thin layer over the library.

Library errors become ``CommandError`` (a ``click.ClickException``) here and only here;
every line printed goes through ``echo``, which keeps data from acting on the terminal.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
from click.exceptions import NoArgsIsHelpError

from kith.analyses.followups import FollowUp, describe_reason
from kith.core import cadence
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


@main.command()
@click.option("--tier", help="Only people of this tier (core, active, network...).")
@click.option(
    "--limit", type=click.IntRange(min=1), help="Show at most this many people (the most late)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_project
def due(project: Project, tier: str | None, limit: int | None, as_json: bool) -> None:
    """List the people to reach out to: overdue (most late first), then due soon.

    The same ranking as the Follow-ups page: never contacted first, then by
    how late relative to each person's cadence, then everyone due within
    due_soon days (14 by default), soonest first.

    \b
    Examples:
        kith due
        kith due --tier core --limit 5
        kith due --json
    """
    import json

    from kith.analyses.followups import follow_up_record
    from kith.analyses.site import Site
    from kith.pages.followup_pages import site_follow_ups

    if tier is not None and tier.strip().lower() not in project.settings.tiers:
        known = ", ".join(project.settings.tiers)
        raise click.BadParameter(f"unknown tier '{tier}'; use one of {known}", param_hint="--tier")
    network = project.network()
    site = Site(network, project.settings, project.history())
    rows = list(site_follow_ups(site).ranked)
    if tier is not None:
        rows = [f for f in rows if f.contact.tier == tier.strip().lower()]
    rows = rows[:limit] if limit else rows
    if as_json:
        echo(json.dumps([follow_up_record(f) for f in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        echo(f"Nobody is overdue or due in the next {project.settings.due_soon} days.")
        return
    for line in _due_table(rows, project.settings.today, terminal_width()):
        echo(line)


def _due_table(rows: list[FollowUp], today: date, width: int | None) -> list[str]:
    """``kith due`` as aligned columns in ``width`` characters (``None``: no limit): the
    reason takes what is left, cut with an ellipsis; on a narrow terminal the ways to
    reach them, the cadence, tier and last contact make room for it, in that order."""
    header = ("", "Name", "Tier", "Last contact", "Cadence", "Due", "Reach", "Reason")
    table = [header]
    for follow_up in rows:
        last = follow_up.last_contact
        if follow_up.never_contacted:
            when = "now (never contacted)"
        elif follow_up.overdue:
            when = f"{follow_up.due} ({follow_up.days_late}d late)"
        else:
            when = f"{follow_up.due} (in {-follow_up.days_late}d)"
        table.append(
            (
                "!" if follow_up.overdue else "",
                follow_up.contact.name,
                follow_up.contact.tier,
                f"{last} ({(today - last).days}d ago)" if last else "never",
                cadence.describe(follow_up.cadence),
                when,
                _reach(follow_up.contact),
                describe_reason(follow_up.reason) if follow_up.reason else "",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    reason = len(header) - 1
    keep = list(range(len(header)))

    def fixed() -> int:  # the width of the kept columns before the reason
        return sum(widths[i] for i in keep if i != reason) + 2 * (len(keep) - 1)

    if width is not None:
        for column in _DROPPED_FIRST:
            if width - fixed() >= _REASON_ROOM:
                break
            keep.remove(column)
    lines = []
    for row in table:
        cells = [row[i].ljust(widths[i]) for i in keep if i != reason]
        line = "  ".join([*cells, row[reason]]).rstrip()
        if width is not None and len(line) > width:  # the reason, cut with an ellipsis
            line = line[: width - 1].rstrip() + "…"
        lines.append(line)
    return lines


_DROPPED_FIRST = (6, 4, 2, 3)
"""The columns a narrow terminal does without, first to go first: reach, cadence, tier,
last contact."""


def _reach(contact: Contact) -> str:
    """How to reach someone, for the terminal (which links an address itself): their
    e-mail, else their phone, else their LinkedIn."""
    return next((v for v in (contact.email, contact.phone, contact.linkedin) if v.strip()), "")


_REASON_ROOM = 24
"""The room the reason needs before a column is dropped for it."""


def terminal_width() -> int | None:
    """The terminal's width (``COLUMNS`` when set); ``None`` for a pipe, which gets rows whole."""
    if not (sys.stdout.isatty() or os.environ.get("COLUMNS", "").strip().isdigit()):
        return None
    return max(40, shutil.get_terminal_size().columns)


# Register ``kith new``, ``log``, ``done``, ``snooze``, ``import``, ``export`` and ``render``.
from kith.cli import capture, render, transfer  # noqa: E402, F401
