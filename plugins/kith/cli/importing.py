"""Running an import and saying what it did: people matched and merged into their files
(``run_import``), interactions merged into the journal's captured notes
(``merge_and_report``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kith.cli import CommandError, Project, _fail, echo
from kith.core.errors import KithError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from kith.core.model import Network
    from kith.exchange.records import Record, Skip

JOB_KEYS = ("company", "role")
"""The keys ``--update`` applies for someone you know (a job change)."""


def import_messages(project: Project, text: str, path: str, dry_run: bool, me: str) -> None:
    """LinkedIn's messages.csv: a day of messages with someone you know is an interaction."""
    from kith.exchange import linkedin_messages

    network = project.network()
    try:
        found = linkedin_messages.scan(
            linkedin_messages.rows(text, path), network.contacts, project.settings.today, me
        )
    except KithError as err:
        raise _fail(err) from None
    merge_and_report(
        project,
        network,
        found,
        linkedin_messages.LEFT_OUT,
        f"{found.messages} message(s) read" + (f" (you: {found.me})" if found.me else ""),
        "profiles you do not know, most seen first (kith new --linkedin adds them):",
        dry_run,
    )


def run_import(
    project: Project,
    file: Path,
    decode: Callable[[bytes, str], str],
    read: Callable[[str, str], Iterable[Record | Skip]],
    dry_run: bool,
    verbose: bool,
    update: bool = False,
) -> None:
    """Import the people of ``file`` (``decode``, then ``read`` into records) into their
    files, and say what changed, what was kept and what could not be written."""
    import contextlib
    import time

    from kith.exchange.core import Import
    from kith.exchange.records import Skip

    try:
        items = list(read(decode(file.read_bytes(), str(file)), str(file)))
    except (KithError, OSError) as err:
        raise _fail(err) from None
    run = Import(
        project.people,
        project.settings.people_dir + "/",
        project.network(),
        JOB_KEYS if update else (),
    )
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        bar = None
        for index, item in enumerate(items):
            # A bar only for imports slow enough to need one.
            if bar is None and time.monotonic() - started > 1:
                bar = stack.enter_context(
                    click.progressbar(length=len(items), label="Importing", file=sys.stderr)
                )
                bar.update(index)
            run.skip(item) if isinstance(item, Skip) else run.add(item)
            if bar is not None:
                bar.update(1)
    failures = [] if dry_run else run.write()
    counts = run.counts
    echo(", ".join(f"{action} {number}" for action, number in counts.items()))
    for outcome in run.outcomes:
        if outcome.action == "skipped":
            who = f" ({outcome.name})" if outcome.name else ""
            echo(f"skipped {outcome.position}{who}: {outcome.reason}")
        for kept in outcome.kept:
            echo(f"kept {outcome.path}: {kept.key} {kept.value!r} (import has {kept.offered!r})")
        for notice in outcome.notices:
            echo(f"note {outcome.path or outcome.position}: {notice}")
        if verbose and outcome.action in ("created", "updated"):
            echo(f"{outcome.action} {outcome.path}: {', '.join(outcome.changed)}")
    if dry_run:
        echo("dry run: nothing written")
    if failures:
        for failure in failures:
            echo(f"not written: {failure}", err=True)
        raise CommandError(f"{len(failures)} file(s) could not be written")


def merge_and_report(
    project: Project,
    network: Network,
    found: Any,
    labels: Mapping[str, str],
    read: str,
    unknown_heading: str,
    dry_run: bool,
    update: bool = False,
) -> None:
    """Merge what an import of interactions found into the captured notes, and say so:
    what was added, left out (by reason, as ``labels`` name them), written where, and the
    addresses (or profiles) seen most that belong to nobody. ``found``: the importer's
    scan (``items``, ``left_out``, ``unknown`` and, for addresses, ``names``; for a
    calendar, ``cancelled``). ``update``: lines of interactions the export now has
    otherwise (a moved or renamed event) are rewritten."""
    from kith.core.directory import Directory
    from kith.exchange.captured import merge

    journal = project.root / project.settings.journal_dir
    try:
        merged = merge(
            found.items,
            journal,
            project.root,
            Directory(network.published),
            dry_run,
            cancelled=getattr(found, "cancelled", ()),
            update=update,
        )
    except (KithError, OSError) as err:
        raise _fail(err) from None
    echo(
        f"{len(merged.added)} interaction(s) added with {len(merged.people)} people, "
        f"{merged.already} already there; {read}"
    )
    left = [
        f"{found.left_out[key]} {label}" for key, label in labels.items() if found.left_out[key]
    ]
    if left:
        echo("left out: " + ", ".join(left))
    if merged.changed or merged.cancelled:
        echo(
            f"changed in the export: {merged.changed} moved or renamed (their lines "
            f"rewritten), {merged.cancelled} cancelled (their lines removed)"
        )
    for note, count in sorted(merged.removed.items()):
        echo(f"{'would remove' if dry_run else 'removed'} {count} from {note}")
    for note, count in sorted(merged.files.items()):
        echo(f"{'would add' if dry_run else 'added'} {count} to {note}")
    if merged.kept:
        echo("kept as you edited them (the export changed or cancelled their interaction):")
        for line in merged.kept:
            echo(f"  {line}")
    if found.unknown:
        echo(unknown_heading)
        names: Mapping[str, str] = getattr(found, "names", {})
        for address, count in found.unknown.most_common(10):
            name = names.get(address)
            echo(f"  {count}× {name} <{address}>" if name else f"  {count}× {address}")
    if dry_run:
        echo("dry run: nothing written")
