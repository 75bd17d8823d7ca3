"""The ``kith`` command line: a thin layer over the library.

Library errors become ``CommandError`` (a ``click.ClickException``) here and only here;
every line printed goes through ``echo``, which keeps data from acting on the terminal.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kith.analyses.followups import FollowUp, describe_reason
from kith.core import cadence
from kith.core.config import DEFAULT_TIERS, load_settings, read_mkdocs_yml
from kith.core.errors import KithError
from kith.core.model import Network
from kith.reading.load import load, load_journal

if TYPE_CHECKING:
    from kith.core.model import Contact


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


pass_project = click.make_pass_decorator(Project)


@click.group()
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Folder holding mkdocs.yml and the people folder.",
)
@click.version_option(package_name="mkdocs-kith")
@click.pass_context
def main(ctx: click.Context, project: Path) -> None:
    """kith: your professional network as plain Markdown.

    \b
    Example:
        kith check
    """
    ctx.obj = Project(project)


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
    problems = sorted([*network.problems, *site.link_problems(others), *leftovers])
    for problem in problems:
        echo(str(problem))
    count = len(network.contacts)
    if problems:
        echo(f"{len(problems)} problem(s) in {count} contact(s).", err=True)
        sys.exit(1)
    echo(f"{count} contacts, no problems.", err=True)


# ---------------------------------------------------------------- commands that write files


def _iso_date(option: str, value: str | None) -> date | None:
    """An option's date; a bad one is an error (exit 1), not a usage message."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"{option} must be a real date written YYYY-MM-DD, e.g. 2026-03-02, not {value!r}"
        ) from None


def _fail(err: Exception) -> click.ClickException:
    """A library error as one clear line."""
    if isinstance(err, OSError):
        return CommandError(f"{err.filename or 'file'}: {err.strerror or err}")
    return CommandError(str(err))


def _find(project: Project, network: Network, query: str) -> Contact:
    """The one person ``query`` means, or exit 1 listing the candidates."""
    from kith.core.directory import Directory
    from kith.reading.load import slugify

    found = Directory(network.contacts).search(query)
    if not found and slugify(query):  # "zoe" finds "Zoë": accents are hard to type
        folded = slugify(query)
        found = [
            c
            for c in network.contacts
            if any(slugify(t).startswith(folded) for t in (c.name, c.stem, *c.aliases))
        ]
    if not found:
        raise CommandError(
            f"nobody matches {query!r}: use a name, alias or file name (kith new creates people)"
        )
    if len(found) > 1:
        listed = "; ".join(f"{c.name} ({c.path})" for c in sorted(found, key=lambda c: c.name))
        raise CommandError(
            f"{query!r} matches {len(found)} people: {listed} — type more of the name"
        )
    return found[0]


def _person_template(project: Project) -> str:
    """The user's templates/person.md beside mkdocs.yml, else kith's own."""
    from kith.pages.render import BUILTIN_TEMPLATES

    config = project.root / "mkdocs.yml"
    options = read_mkdocs_yml(config)[0] if config.exists() else {}
    user = project.root / str(options.get("templates_dir") or "templates") / "person.md"
    path = user if user.is_file() else BUILTIN_TEMPLATES / "person.md"
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        message = f"{path}: cannot read the new-contact template ({err})"
        raise CommandError(message) from None


@main.command()
@click.argument("name")
@click.option("--company", help="Where they work.")
@click.option("--role", help="What they do there.")
@click.option("--industry", multiple=True, help="An industry; repeat the option for several.")
@click.option("--tier", help=f"{', '.join(DEFAULT_TIERS)} or a tier of mkdocs.yml.")
@click.option("--met", help="When you met (YYYY-MM-DD); default: today.")
@click.option("--how-met", help="Where or how you met.")
@click.option("--introduced-by", help="Who introduced you (a person kith knows).")
@pass_project
def new(
    project: Project,
    name: str,
    company: str | None,
    role: str | None,
    industry: tuple[str, ...],
    tier: str | None,
    met: str | None,
    how_met: str | None,
    introduced_by: str | None,
) -> None:
    """Create a person's file from templates/person.md and print its path.

    Refuses to overwrite anyone: a person of that name or file name is an
    error. Your own templates/person.md (beside mkdocs.yml) wins over kith's.

    \b
    Example:
        kith new "Jane Doe" --company "Acme Corp" --role CTO --tier core --how-met "PyCon 2026"
    """
    from kith.core.names import clean_text, safe_stem, taken_stems
    from kith.edit.files import Value, write_atomic
    from kith.edit.new_contact import new_contact
    from kith.reading.load import loads

    name = clean_text(name)
    if not name:
        raise CommandError("the name is empty")
    network = project.network()
    from kith.core.directory import Directory, is_contact_file

    directory = Directory(network.contacts)
    same = directory.resolve(name)
    if same is not None:
        raise CommandError(f"{name!r} is already {same.path}; kith does not overwrite it")
    # A file kith would not read as a person (hidden, ``_``-prefixed) is named without
    # the prefix; the name stays in the front matter.
    stem = safe_stem(name).lstrip("._") or "person"
    file_name = stem + ".md"
    display = f"{project.settings.people_dir}/{file_name}"
    if not is_contact_file(file_name):
        raise CommandError(
            f"{display} would be your own page, not a person's; "
            "give the person's full name (or create the file by hand)"
        )
    if stem.casefold() in taken_stems(project.people):
        raise CommandError(f"a file named {stem!r} exists in {project.people}; pick another name")
    values: dict[str, Value] = {}
    if stem != name:
        values["name"] = name
    for key, given in (("company", company), ("role", role), ("how_met", how_met)):
        if given and clean_text(given):
            values[key] = clean_text(given)
    if industry:
        cleaned = [clean_text(i) for i in industry if clean_text(i)]
        values["industry"] = cleaned[0] if len(cleaned) == 1 else cleaned
    if tier:
        if tier.strip().lower() not in project.settings.tiers:
            known = ", ".join(project.settings.tiers)
            raise CommandError(f"unknown tier {tier!r}; use one of {known}")
        values["tier"] = tier.strip().lower()
    met_on = _iso_date("--met", met)
    if met_on is not None:
        values["met"] = met_on
    if introduced_by:
        target = introduced_by.strip().removeprefix("[[").removesuffix("]]")
        values["introduced_by"] = f"[[{_find(project, network, target).name}]]"
    template = _person_template(project)
    try:
        text = new_contact(template, name, project.settings.today, values, display)
        _, problems = loads(text, file_name, display, list(project.settings.tiers))
        if problems:
            raise CommandError(
                f"the new file would not be valid ({problems[0]}); check templates/person.md"
            )
        project.people.mkdir(parents=True, exist_ok=True)
        write_atomic(project.people / file_name, text, None)
    except (KithError, OSError) as err:
        raise _fail(err) from None
    echo(display)


@main.command()
@click.argument("name")
@click.argument("kind")
@click.argument("text", nargs=-1)
@click.option("--date", "when", help="The entry's date (YYYY-MM-DD); default: today.")
@click.option("--open", "is_open", is_flag=True, help="An open promise or plan: '- [ ] ...'.")
@pass_project
def log(
    project: Project,
    name: str,
    kind: str,
    text: tuple[str, ...],
    when: str | None,
    is_open: bool,
) -> None:
    """Add a line to a person's log (under '## Log', created at the end if missing).

    NAME is a name, alias or file name, case-insensitive; a unique beginning
    is enough. KIND is one word: coffee, call, email, gave, received... Every
    other byte of the file stays as it was.

    \b
    Examples:
        kith log "Jane Doe" coffee Talked about her move to Acme
        kith log jane gave "Introduced her to [[Omar Haddad]]" --date 2026-04-11
        kith log jane gave "Send her the retro template" --open
    """
    from kith.edit.files import edit_file, log_line

    network = project.network()
    contact = _find(project, network, name)
    day = _iso_date("--date", when) or project.settings.today
    try:
        line = log_line(day, kind, " ".join(text), is_open)
        # Saved by someone else meanwhile (an editor, a sync): the line goes onto theirs.
        edit_file(project.people / contact.src_uri, lambda text: _logged(text, line, contact))
    except (KithError, OSError) as err:
        raise _fail(err) from None
    echo(f"{contact.path}: {line}")


def _logged(text: str, line: str, contact: Contact) -> str:
    """``text`` with the log line added, if kith will read it back as a log entry (an
    unclosed code fence, ``%%`` comment or ``<!--`` above would hide it)."""
    from kith.edit.files import EditError, append_log
    from kith.reading.load import loads

    new = append_log(text, line)
    read, _ = loads(new, contact.src_uri, contact.path)
    if read is None or len(read.entries) <= len(_entries_of(text, contact)):
        raise EditError(
            f"{contact.path}: a line added to the log would not be read as an entry: an "
            "unclosed code fence (```), %% comment or <!-- above the log hides it; close it"
        )
    return new


def _entries_of(text: str, contact: Contact) -> tuple[object, ...]:
    from kith.reading.load import loads

    read, _ = loads(text, contact.src_uri, contact.path)
    return read.entries if read is not None else ()


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
    site = Site(network, project.settings)
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
    for line in _due_table(rows, project.settings.today):
        echo(line)


def _due_table(rows: list[FollowUp], today: date) -> list[str]:
    """``kith due`` as aligned columns; the reason takes what is left of the terminal."""
    header = ("", "Name", "Tier", "Last contact", "Cadence", "Due", "Reason")
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
                describe_reason(follow_up.reason) if follow_up.reason else "",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    # Cut the reason to the terminal's width; a pipe gets it whole.
    columns = shutil.get_terminal_size().columns if sys.stdout.isatty() else 0
    room = max(20, columns - sum(widths) - 2 * len(widths)) if columns else 10**6
    lines = []
    for row in table:
        reason = row[-1] if len(row[-1]) <= room else row[-1][: room - 1] + "…"
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, reason]).rstrip())
    return lines


# Registers ``kith import`` and ``kith export`` on ``main``.
from kith.cli import transfer  # noqa: E402, F401
