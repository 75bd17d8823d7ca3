"""``kith due``: who to get back to, as a table that fits the terminal, or as JSON."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from typing import TYPE_CHECKING

import click

from kith.analyses.followups import FollowUp, describe_reason
from kith.cli import Project, echo, main, pass_project
from kith.core import cadence

if TYPE_CHECKING:
    from kith.core.model import Contact


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
