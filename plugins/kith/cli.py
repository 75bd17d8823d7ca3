"""The ``kith`` command line: a thin layer over the library.

Library errors become ``click.ClickException`` here and only here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .config import load_settings
from .errors import KithError
from .load import load
from .model import Network


class Project:
    """Where the network lives: the folder holding ``mkdocs.yml`` (or the current one)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            self.settings = load_settings(root)
        except KithError as err:
            raise click.ClickException(str(err)) from None
        self.people = root / self.settings.people_dir

    def network(self) -> Network:
        if not self.people.is_dir():
            raise click.ClickException(
                f"no people folder at {self.people}: run kith in the folder holding mkdocs.yml, "
                "or pass --project"
            )
        return load(self.people, self.settings.people_dir + "/", list(self.settings.tiers))


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
    from .render import environment
    from .site import Site

    network = project.network()
    site = Site(network, project.settings, environment(None), network.contacts)
    problems = sorted([*network.problems, *site.link_problems()])
    for problem in problems:
        click.echo(str(problem))
    count = len(network.contacts)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {count} contact(s).", err=True)
        sys.exit(1)
    click.echo(f"{count} contacts, no problems.", err=True)
