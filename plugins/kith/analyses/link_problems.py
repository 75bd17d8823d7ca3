"""Link problems: wikilinks and ``introduced_by`` values that point to nobody or could
mean two people, and done log entries dated after today; a serve rebuild checks again
only the files whose links may now lead elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import chain

from kith.analyses.site import Since, Site
from kith.core.directory import keys_of, may_name
from kith.core.errors import Problem
from kith.core.model import Contact, Link


def _ambiguous(
    path: str, line: int, target: str, tied: tuple[Contact, ...], col: int = 1
) -> Problem:
    who = " and ".join(f"{c.name} ({c.path})" for c in tied)
    return Problem(
        path,
        line,
        col,
        f"[[{target}]] could mean {who}; it links to {tied[0].name}",
        f"link by path, e.g. [[{tied[-1].src_uri.removesuffix('.md')}]], or tell them apart "
        "by name or alias",
    )


def _renamed(contact: Contact, since: Since) -> bool:
    """Whether a link may find ``contact`` differently than before: they came or went, or
    what they are filed under (``keys_of``) or whether they are published changed."""
    before, after = since.before.get(contact.src_uri), since.after.get(contact.src_uri)
    if before is None or after is None:
        return True
    return (before.name, before.aliases, before.publish) != (
        after.name,
        after.aliases,
        after.publish,
    )


def known_files(files: Iterable[str]) -> frozenset[str]:
    """What links may name among the other files of the people folder: path or name."""
    return frozenset(name.casefold() for path in files for name in (path, path.rsplit("/", 1)[-1]))


def link_problems(site: Site, files: Iterable[str] = ()) -> list[Problem]:
    """Wikilinks and ``introduced_by`` values that point to nobody.

    ``files`` are the other files of the people folder (``attachments/photo.png``):
    a link or embed naming one of them is fine.
    """
    return [p for found in problems_by_file(site, known_files(files)).values() for p in found]


def problems_by_file(site: Site, known: frozenset[str]) -> Mapping[str, tuple[Problem, ...]]:
    """``link_problems`` by ``src_uri`` (``known``: ``known_files``); a rebuild
    (``site.since``) reads only the changed files again."""
    since = site.since
    worked = since.last if since is not None else None
    last = worked.problems if worked is not None and worked.known == known else None
    after = since.after if since is not None else {}
    # What the changed people are called, before and after: a link elsewhere naming
    # one of them may now find someone, nobody, or two people.
    named = (
        {
            key
            for c in (*since.before.values(), *after.values())
            if _renamed(c, since)
            for key in keys_of(c)
        }
        if since is not None
        else set()
    )
    found: dict[str, tuple[Problem, ...]] = {}
    for contact in site.people:
        targets = chain((link.target for link in contact.links), (contact.introduced_by,))
        if last is not None and contact.src_uri not in after and not may_name(named, targets):
            found[contact.src_uri] = last[contact.src_uri]
            continue
        problems = _unlinked(site, contact.path, contact.links, known)
        problem = _introducer_problem(site, contact)
        if problem:
            problems.append(problem)
        problems += _after_today(site, contact)
        found[contact.src_uri] = tuple(sorted(problems))
    for note in site.notes:
        # The journal is the same; its links may find someone else.
        if last is not None and not may_name(named, (link.target for link in note.links)):
            found[note.src_uri] = last[note.src_uri]
        else:
            found[note.src_uri] = tuple(_unlinked(site, note.path, note.links, known))
    return found


def _after_today(site: Site, contact: Contact) -> list[Problem]:
    """Done log entries dated after today: a typo of the year, most likely (they count
    as contact only from their date on)."""
    today = site.settings.today
    return [
        Problem(
            contact.path,
            entry.line,
            1,
            f"a done log entry dated {entry.date}, after today ({today}): it counts as"
            " contact only from then",
            "fix the date, or make it a plan with a box: - [ ] "
            f"{entry.date} {entry.kind or 'call'}: ...",
        )
        for entry in contact.entries
        if entry.done and entry.date > today
    ]


def _unlinked(site: Site, path: str, links: Iterable[Link], known: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = []
    for link in links:
        tied = site.directory.ambiguous(link.target)
        if len(tied) > 1:
            problems.append(_ambiguous(path, link.line, link.target, tied, link.col))
            continue
        if (
            site.directory.resolve(link.target)
            or site.is_private(link.target)
            or link.target.casefold() in known
        ):
            continue
        problems.append(
            Problem(
                path,
                link.line,
                link.col,
                f"[[{link.target}]] links to nobody",
                f"fix the spelling, add an alias, or create {site.settings.people_dir}/"
                f"{link.target}.md",
            )
        )
    return problems


def _introducer_problem(site: Site, contact: Contact) -> Problem | None:
    if not contact.introduced_by:
        return None
    tied = site.directory.ambiguous(contact.introduced_by)
    if len(tied) > 1:
        line, col = contact.key_lines.get("introduced_by", (1, 1))
        return _ambiguous(contact.path, line, contact.introduced_by, tied, col)
    if site.directory.resolve(contact.introduced_by) or site.is_private(contact.introduced_by):
        return None
    line, col = contact.key_lines.get("introduced_by", (1, 1))
    return Problem(
        contact.path,
        line,
        col,
        f"introduced_by: no person named '{contact.introduced_by}'",
        'use the name, an alias or the file name of a person, in quotes: "[[Name]]"',
    )
