"""``kith render``: the wiki as plain Markdown, for engines that run no MkDocs plugin."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click

from kith.cli import _PROJECT, CommandError, echo, main
from kith.core.errors import KithError


@main.command(name="render")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write (default: rendered/ beside mkdocs.yml); kith owns it.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Keep rendering: each edit rewrites only the files it changes (Ctrl-C stops).",
)
def render_command(out: Path | None, watch: bool) -> None:
    """Write the whole wiki as Markdown, with an mkdocs.yml that needs no kith plugin.

    Person pages with their card, notes, backlinks and log, journal notes, every
    generated page, the calendar feed and kith's style sheet, wikilinks resolved:
    any engine that reads Markdown and mkdocs.yml builds it (Zensical, ProperDocs,
    MkDocs without kith). With --watch, `zensical serve` on the folder is a live wiki.

    \b
    Example:
        kith render --out rendered
        zensical build -f rendered/mkdocs.yml
        kith render --watch &  zensical serve -f rendered/mkdocs.yml
    """
    from kith.render.tree import Rendered, Renderer
    from kith.render.tree import watch as keep_rendering

    # The project is read by the renderer (its mkdocs.yml errors name the line).
    ctx = click.get_current_context()
    root = ctx.meta.get(_PROJECT) or ctx.find_root().params.get("project") or Path(".")
    folder = out if out is not None else root / "rendered"
    renderer = Renderer(root, folder)

    def report(result: Rendered | KithError) -> None:
        if isinstance(result, KithError):
            echo(f"kith render: {result}", err=True)
            return
        for problem in result.problems:
            echo(str(problem), err=True)
        if result.hosted:
            echo(f"mkdocs.yml: {result.hosted}", err=True)
        echo(
            f"{folder}: {result.pages} pages; {len(result.written)} file(s) written, "
            f"{len(result.removed)} removed, {result.unchanged} unchanged",
            err=True,
        )

    if not watch:
        try:
            result = renderer.render(datetime.now().astimezone().date())
        except KithError as err:
            raise CommandError(str(err)) from None
        report(result)
        echo(f"Build it with: zensical build -f {folder / 'mkdocs.yml'}", err=True)
        return
    echo(f"Rendering {root} into {folder}; Ctrl-C stops.", err=True)
    try:
        keep_rendering(
            renderer,
            lambda: datetime.now().astimezone().date(),
            report,
            lambda: time.sleep(0.5),
        )
    except KeyboardInterrupt:
        echo("Stopped.", err=True)
