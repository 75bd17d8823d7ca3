"""Capture in one line: ``kith new``, ``kith log``, ``kith done`` and ``kith snooze``.

Every edit goes through ``edit_file``: only the lines meant change, the file is
replaced atomically, and a save by someone else meanwhile is edited again, not lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from kith.cli import CommandError, Project, _fail, day_option, echo, find_person, main, pass_project
from kith.core.config import DEFAULT_TIERS, read_mkdocs_yml
from kith.core.errors import KithError
from kith.core.keys import CONTACT_INFO, KEYS, Key

if TYPE_CHECKING:
    from kith.core.model import Contact, Network
    from kith.edit.files import Value


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


# ---------------------------------------------------------------- kith new: a key, an option


_REPEATED = {
    "aliases": "alias",
    "industry": "industry",
    "tags": "tag",
    "past_companies": "past-company",
    "email": "email",
}
"""List keys, and their option's name: one value per option, repeated for several."""
_NOT_OPTIONS = frozenset({"name"})
"""Keys no option sets: the name is the argument."""
_HELP = {
    "company": "Where they work.",
    "role": "What they do there.",
    "tier": f"{', '.join(DEFAULT_TIERS)} or a tier of mkdocs.yml.",
    "met": "When you met (YYYY-MM-DD, today, yesterday, friday, 3 days ago); none by default.",
    "how_met": "Where or how you met.",
    "introduced_by": "Who introduced you (a person kith knows).",
    "follow_up": "Their cadence: 45, 6w, 3m, quarterly, never...",
    "next_follow_up": "The next follow-up (as kith snooze takes it: 2026-12-01, 2w, friday).",
    "checked": "When the contact info was checked; default: today when you give any.",
    "birthday": "1990-12-04, or 12-04 without the year.",
    "reason_to_meet": "For a prospect: the reason to meet.",
}


def _option_for(key: Key) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``kith new`` option that sets ``key``, by the key's type."""
    flag = "--" + _REPEATED.get(key.name, key.name).replace("_", "-")
    help_text = _HELP.get(key.name, "")
    if key.name in _REPEATED:
        return click.option(
            flag,
            key.name,
            multiple=True,
            help=help_text or f"One value of '{key.name}'; repeat for several.",
        )
    if key.type == "bool":
        off = "--no-" + key.name.replace("_", "-")
        return click.option(
            f"{flag}/{off}",
            key.name,
            default=None,
            help=help_text or f"Writes '{key.name}: true' (or false).",
        )
    if key.type == "date":
        help_text = help_text or f"Sets '{key.name}': YYYY-MM-DD, today, yesterday, 3 days ago."
    return click.option(flag, key.name, help=help_text or f"Sets '{key.name}'.")


def _key_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for key in reversed(KEYS):  # decorators apply bottom up: --help lists them in KEYS order
        if key.name not in _NOT_OPTIONS:
            command = _option_for(key)(command)
    return command


@main.command()
@click.argument("name")
@_key_options
@pass_project
def new(project: Project, name: str, **given: Any) -> None:
    """Create a person's file from templates/person.md and print its path.

    Every key of a contact file has its option (--email, --phone, --tag...;
    repeat --alias, --industry, --tag for several). 'met' is written only
    with --met (--met today when you met today), 'checked' (today) only when
    you give contact info (company, role, location, email, phone, linkedin,
    website). Refuses to overwrite anyone: a person of that name or file name
    is an error. Your own templates/person.md (beside mkdocs.yml) wins over kith's.

    \b
    Example:
        kith new "Jane Doe" --company "Acme Corp" --tier core --met yesterday --tag oss
        kith new "Tom Berg" --tier prospect --reason-to-meet "Runs the data meetup"
    """
    from kith.core.directory import Directory, is_contact_file
    from kith.core.names import clean_text, safe_stem, taken_stems
    from kith.edit.files import write_atomic
    from kith.edit.new_contact import new_contact
    from kith.reading.load import loads

    name = clean_text(name)
    if not name:
        raise CommandError("the name is empty")
    network = project.network()
    same = Directory(network.contacts).resolve(name)
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
    values: dict[str, Value] = {} if stem == name else {"name": name}
    values.update(_values(project, network, given))
    today = project.settings.today
    if any(key in values for key in CONTACT_INFO):
        values.setdefault("checked", today)
    # The template's ``{{date}}`` goes into these keys only when it is true.
    claims = tuple(key for key in ("met", "checked") if key not in values)
    template = _person_template(project)
    try:
        text = new_contact(template, name, today, values, display, unclaimed=claims)
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


def _values(project: Project, network: Network, given: dict[str, Any]) -> dict[str, Value]:
    """The options given, as front-matter values in the order of ``KEYS``, each checked
    as the reader will check it (exit 1 naming the option)."""
    from kith.core.names import clean_text
    from kith.reading.properties import InvalidValue, convert

    today = project.settings.today
    values: dict[str, Value] = {}
    for key in KEYS:
        raw = given.get(key.name)
        if raw is None or raw == ():
            continue
        option = "--" + _REPEATED.get(key.name, key.name).replace("_", "-")
        value: Value
        if key.type == "bool":
            value = bool(raw)
        elif key.name in _REPEATED:
            items = [clean_text(item) for item in raw if clean_text(item)]
            if not items:
                continue
            one = key.name in ("industry", "email") and len(items) == 1
            value = items[0] if one else items
        elif key.type == "date":
            value = day_option(option, raw, today, ahead=key.name == "next_follow_up") or today
        elif key.type == "link":
            target = raw.strip().removeprefix("[[").removesuffix("]]")
            value = f"[[{find_person(network, target).name}]]"
        else:
            value = clean_text(raw)
            if not value:
                continue
            if key.type == "tier":
                value = value.lower()
            if key.type == "cadence" and value.isdigit():
                value = int(value)
        if key.field and key.type != "date":  # dates are read by day_option
            try:
                convert(key.name, value, list(project.settings.tiers))
            except InvalidValue as err:
                raise CommandError(f"{option}: {err.message} — {err.hint}") from None
        values[key.name] = value
    return values


# ---------------------------------------------------------------- kith log, done, snooze


_DAY_HELP = "YYYY-MM-DD, today, yesterday, a weekday (the last one) or '3 days ago'"


@main.command()
@click.argument("name")
@click.argument("kind")
@click.argument("text", nargs=-1)
@click.option("--date", "when", help=f"The entry's date: {_DAY_HELP}; default: today.")
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

    NAME is a name, alias or file name, or the beginning of one, or of a word
    in one (a surname), case and accents aside. KIND is one word: coffee,
    call, email, gave, received... Quote TEXT when it holds ; # & ( or quotes
    (the shell reads those). Every other byte of the file stays as it was.

    \b
    Examples:
        kith log "Jane Doe" coffee Talked about her move to Acme
        kith log okafor call "Caught up; she wants intros" --date yesterday
        kith log jane gave "Introduced her to [[Omar Haddad]]" --date 2026-04-11
        kith log jane gave "Send her the retro template" --open
    """
    from kith.edit.files import edit_file, log_line

    contact = find_person(project.network(), name)
    day = day_option("--date", when, project.settings.today) or project.settings.today
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

    new = append_log(text, line)
    if len(_entries_of(new, contact)) <= len(_entries_of(text, contact)):
        raise EditError(
            f"{contact.path}: a line added to the log would not be read as an entry: an "
            "unclosed code fence (```), %% comment or <!-- above the log hides it; close it"
        )
    return new


def _entries_of(text: str, contact: Contact) -> tuple[Any, ...]:
    from kith.reading.load import loads

    read, _ = loads(text, contact.src_uri, contact.path)
    return read.entries if read is not None else ()


@main.command()
@click.argument("name")
@click.argument("text", nargs=-1)
@click.option("--date", "when", help=f"When you kept it: {_DAY_HELP}; default: today.")
@pass_project
def done(project: Project, name: str, text: tuple[str, ...], when: str | None) -> None:
    """Mark a person's oldest open promise as done: '- [ ]' becomes '- [x]'.

    With TEXT, the oldest open one whose kind or text holds it (case and
    accents aside). The entry takes the date you kept it (so it counts as
    contact, or as a favor, on that day), and the date it was promised for
    goes into its text: '- [x] 2026-11-21 gave: Send the deck (promised
    2026-06-01)'. Only that line of the file changes.

    \b
    Examples:
        kith done jane
        kith done jane "retro template" --date yesterday
    """
    from kith.edit.files import EditError, edit_file
    from kith.edit.promises import keep, promise_to_keep

    contact = find_person(project.network(), name)
    today = project.settings.today
    kept_on = day_option("--date", when, today) or today
    if kept_on > today:
        raise CommandError(f"--date {kept_on} is after today ({today}): keep it once it is done")
    matching = " ".join(text)
    written: list[str] = []

    def kept(text: str) -> str:
        entries = _entries_of(text, contact)
        promise = promise_to_keep(entries, matching, contact.path)
        new, line = keep(text, promise, kept_on, contact.path)
        after = _entries_of(new, contact)
        ticked = [e for e in after if e.line == promise.line]
        if len(after) != len(entries) or not ticked or not ticked[0].done:
            raise EditError(f"{contact.path}:{promise.line}: the promise cannot be ticked safely")
        written[:] = [line]
        return new

    try:
        edit_file(project.people / contact.src_uri, kept)
    except (KithError, OSError) as err:
        raise _fail(err) from None
    echo(f"{contact.path}: {written[0]}")


@main.command()
@click.argument("name")
@click.argument("when", metavar="DATE")
@pass_project
def snooze(project: Project, name: str, when: str) -> None:
    """Set a person's next follow-up ('next_follow_up') to DATE.

    DATE is YYYY-MM-DD, tomorrow, a weekday (the next one), 'in 3 days', or
    an amount from today: 10d, 2w, 3m (30 days each), 1y. Until contact on or
    after that date, the person is due then, whatever their cadence says.
    Only that line of the front matter changes.

    \b
    Examples:
        kith snooze jane 2w
        kith snooze "Omar Haddad" 2026-12-01
        kith snooze okafor friday
    """
    from kith.edit.files import edit_file
    from kith.edit.yaml_edit import set_keys

    contact = find_person(project.network(), name)
    today = project.settings.today
    until = day_option("DATE", when, today, ahead=True) or today
    if until < today:
        raise CommandError(f"DATE {until} is before today ({today}): snooze to a day to come")
    values: dict[str, Value] = {"next_follow_up": until}
    try:
        edit_file(
            project.people / contact.src_uri,
            lambda text: set_keys(text, values, contact.path, overwrite=True).text,
        )
    except (KithError, OSError) as err:
        raise _fail(err) from None
    echo(f"{contact.path}: next_follow_up: {until}")
