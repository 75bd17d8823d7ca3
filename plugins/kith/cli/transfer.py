"""``kith import`` and ``kith export``: people in and out, in other tools' formats."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kith.cli import CommandError, Project, _fail, echo, main, pass_project
from kith.cli.importing import import_messages, merge_and_report, run_import
from kith.core.errors import KithError


@main.group("import")
def import_group() -> None:
    """Add people from LinkedIn or an address book, meetings and e-mails from exports.

    A record matches a person by LinkedIn URL, then e-mail, then exact name.
    New people get a file; known people get only their empty keys filled.
    Meetings and e-mails go to the journal's captured/ notes, never into your files.
    Running the same import again changes nothing.

    \b
    Examples:
        kith import linkedin Connections.csv --dry-run
        kith import vcard contacts.vcf
        kith import calendar calendar.ics --me you@example.com
        kith import mail "All mail.mbox" --me you@example.com
    """


_DRY_RUN = click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
_VERBOSE = click.option("-v", "--verbose", is_flag=True, help="Also list every file written.")
_UPDATE = click.option(
    "--update",
    is_flag=True,
    help="Apply a new company or role found for someone you know (a job change); "
    "the old company joins past_companies.",
)
_SOURCE = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@import_group.command("linkedin")
@_SOURCE
@_DRY_RUN
@_VERBOSE
@_UPDATE
@click.option(
    "--me", default="", help="Your own LinkedIn profile URL (messages.csv; else guessed)."
)
@pass_project
def import_linkedin(
    project: Project, file: Path, dry_run: bool, verbose: bool, update: bool, me: str
) -> None:
    """Import LinkedIn's Connections.csv or messages.csv (Settings → Data privacy →
    Get a copy of your data).

    From Connections.csv, new people get company, role, LinkedIn URL, e-mail,
    met (Connected On), how_met: LinkedIn and tier: unsorted (no follow-ups
    until you tier them). From messages.csv, each day you exchanged messages
    with someone you know (by profile URL) becomes one interaction of kind
    message in the journal's captured notes; message text is never read.

    \b
    Examples:
        kith import linkedin ~/Downloads/Connections.csv --dry-run
        kith import linkedin ~/Downloads/messages.csv
    """
    from kith.exchange import linkedin, linkedin_messages

    try:
        text = linkedin.decode(file.read_bytes(), str(file))
    except (KithError, OSError) as err:
        raise _fail(err) from None
    if linkedin_messages.is_messages(text):
        import_messages(project, text, str(file), dry_run, me)
        return
    run_import(project, file, linkedin.decode, linkedin.records, dry_run, verbose, update)


@import_group.command("vcard")
@_SOURCE
@_DRY_RUN
@_VERBOSE
@_UPDATE
@pass_project
def import_vcard(project: Project, file: Path, dry_run: bool, verbose: bool, update: bool) -> None:
    """Import a vCard file (2.1, 3.0 or 4.0: phones, Apple, Google, Outlook, Thunderbird).

    Reads name and its parts, nicknames, company and department, title,
    e-mails, phones, city, web site, LinkedIn profile, birthday (with or
    without a year) and note (the note goes in the body, as text). What a
    file will not hold is listed as left out; photos are ignored; a card cut
    short is reported and skipped. New people get tier: unsorted.

    \b
    Example:
        kith import vcard contacts.vcf
    """
    from kith.exchange import vcard

    run_import(project, file, vcard.decode, vcard.records, dry_run, verbose, update)


@import_group.command("calendar")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_DRY_RUN
@click.option(
    "--me",
    multiple=True,
    metavar="ADDRESS",
    help="Your own e-mail address (repeat for several): events you declined are left out, "
    "and you are no attendee to match.",
)
@click.option(
    "--max-attendees",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Leave out events with more attendees than this (an all-hands is no conversation).",
)
@click.option(
    "--years",
    type=click.IntRange(min=1, max=100),
    default=5,
    show_default=True,
    help="How many years back to read events (recurring ones are expanded that far).",
)
@pass_project
def import_calendar(
    project: Project,
    files: tuple[Path, ...],
    dry_run: bool,
    me: tuple[str, ...],
    max_attendees: int,
    years: int,
) -> None:
    """Add the meetings of a calendar export (.ics: Google, Outlook, Apple) as interactions.

    Each past event whose attendees or organizer include someone you know
    (by e-mail, else by exact name) becomes a line in the journal's
    captured/YYYY-MM.md note: kind meeting, the event's title as text, on
    its local date. Recurring events are expanded; cancelled events, events
    you declined, future ones, crowded ones and all-day events without
    attendees are left out. Running it again adds nothing.

    \b
    Examples:
        kith import calendar ~/Downloads/calendar.ics --me you@example.com --dry-run
        kith import calendar exports/ --max-attendees 5
    """
    from kith.exchange import calendar

    network = project.network()
    calendars = []
    try:
        for path in calendar.ics_files(files):
            calendars.append((calendar.read_calendar(path.read_bytes(), str(path)), str(path)))
    except (KithError, OSError) as err:
        raise _fail(err) from None
    try:
        found = calendar.scan(
            calendars, network.contacts, project.settings.today, me, max_attendees, years
        )
    except KithError as err:
        raise _fail(err) from None
    merge_and_report(
        project,
        network,
        found,
        calendar.LEFT_OUT,
        f"{len(calendars)} file(s) read",
        "addresses you do not know, most seen first (kith new adds them):",
        dry_run,
        update=True,
    )


@import_group.command("mail")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_DRY_RUN
@click.option(
    "--me",
    multiple=True,
    metavar="ADDRESS",
    help="Your own e-mail address (repeat for several): a message counts for the people "
    "on the other side.",
)
@click.option("--no-subject", is_flag=True, help="Write no subjects: only who and when.")
@click.option(
    "--max-recipients",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Leave out messages to more people than this (To and Cc: an announcement).",
)
@pass_project
def import_mail(
    project: Project,
    files: tuple[Path, ...],
    dry_run: bool,
    me: tuple[str, ...],
    no_subject: bool,
    max_recipients: int,
) -> None:
    """Add the e-mails of a mail export (mbox: Google Takeout, Thunderbird; a Maildir
    folder; .eml files) as interactions.

    Each day you exchanged a message with someone you know (their email in
    From, To or Cc, whatever the case) becomes one line in the journal's
    captured/YYYY-MM.md note: kind email, the day's first subject as text,
    on the message's own date. Only headers are read, never bodies.
    Mailing-list and bulk mail and messages to many people are left out.
    Running it again adds nothing.

    \b
    Examples:
        kith import mail ~/Takeout/Mail/"All mail.mbox" --me you@example.com --dry-run
        kith import mail ~/Maildir --me you@example.com --me you@work.example --no-subject
    """
    import contextlib
    import time

    from kith.exchange import mail

    network = project.network()
    paths = mail.mail_files(files)
    try:
        total = sum(path.stat().st_size for path in paths)
    except OSError as err:
        raise _fail(err) from None
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        bar: list[Any] = []
        done = [0]

        def progress(size: int) -> None:
            # A bar only for imports slow enough to need one.
            done[0] += size
            if bar:
                if done[0] - bar[1] >= 1 << 20:
                    bar[0].update(done[0] - bar[1])
                    bar[1] = done[0]
            elif time.monotonic() - started > 1:
                shown = stack.enter_context(
                    click.progressbar(length=total, label="Reading mail", file=sys.stderr)
                )
                shown.update(done[0])
                bar.extend([shown, done[0]])

        try:
            found = mail.scan(
                mail.read_messages(paths, progress),
                network.contacts,
                project.settings.today,
                me,
                max_recipients,
                not no_subject,
            )
        except KithError as err:
            raise _fail(err) from None
        if bar:
            bar[0].update(total - bar[1])
    found.files = len(paths)
    merge_and_report(
        project,
        network,
        found,
        mail.LEFT_OUT,
        f"{found.messages} message(s) in {len(paths)} file(s) read",
        "addresses you do not know, most seen first (kith new adds them):",
        dry_run,
    )


@main.group("export")
def export_group() -> None:
    """Write your people in other tools' formats.

    \b
    Example:
        kith export vcard -o network.vcf
    """


@export_group.command("vcard")
@click.option("--tier", multiple=True, help="Only people of this tier; repeat for several.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@pass_project
def export_vcard(project: Project, tier: tuple[str, ...], output: Path | None) -> None:
    """Write people as vCard 4.0, to standard output or a file, sorted by name.

    \b
    Examples:
        kith export vcard > network.vcf
        kith export vcard --tier core --tier active -o close.vcf
    """
    from kith.core.model import by_name
    from kith.edit.files import read_snapshot, write_atomic
    from kith.exchange.export import vcards

    tiers = {t.strip().lower() for t in tier}
    unknown = sorted(tiers - set(project.settings.tiers))
    if unknown:
        known = ", ".join(project.settings.tiers)
        raise CommandError(f"unknown tier {unknown[0]!r}; use one of {known}")
    network = project.network()
    chosen = sorted((c for c in network.contacts if not tiers or c.tier in tiers), key=by_name)
    text = vcards(chosen)
    if output is None:
        click.echo(text.encode("utf-8"), nl=False)  # the cards themselves: data, to a file
        return
    try:
        snapshot = read_snapshot(output) if output.exists() else None
        write_atomic(output, text, snapshot)
    except (KithError, OSError) as err:
        raise _fail(err) from None
    echo(f"{len(chosen)} people written to {output}", err=True)
