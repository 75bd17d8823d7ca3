"""``Site``: the published part of a network, with the lookups and analyses every page needs.

Free of MkDocs and of rendering: the analyses and the page registry's context
functions read it; ``kith.pages.draw`` turns it into pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar, cast

from kith.analyses.backlinks import Mention, backlinks, patch_backlinks
from kith.analyses.followups import FollowUpReport
from kith.analyses.graph import Memo
from kith.analyses.interactions import InteractionIndex
from kith.analyses.rebase import Unrebasable, rebase
from kith.core.config import Settings
from kith.core.directory import Directory
from kith.core.errors import Problem
from kith.core.model import Contact, Entry, Network, Note, by_name
from kith.git.gitlog import History

T = TypeVar("T")
Context = Callable[["Site"], Mapping[str, Any]]
"""An analysis as a page's template reads it: the site in, named values out."""


@dataclass(frozen=True)
class Reads:
    """What an analysis reads, where it reads less than the whole network: something of
    the site as a whole, and something of each person (in ``site.people`` order)."""

    site: Callable[[Site], Any]
    person: Callable[[Site, Contact], Any]
    """What it reads of one person: of the contact alone, and of the site only what
    ``site`` reads (with equal ``site`` reads, one contact reads the same in two builds;
    a session then keeps the contacts read, not what was read of each)."""
    rebased: bool = False
    """A carried result may be given this build's contacts in place of the last build's
    (``Site.rebase``): the analysis reads only what it works with, and what else a page
    shows of the people in it is this build's."""


Carry = dict[Context, tuple[tuple[Any, tuple[Contact, ...]], Mapping[str, Any]]]
"""An analysis → ((what it read of the site, the people it read), its result), kept
across the rebuilds of a serve session. What it read of each person is read again from
that build's contact when compared: the contacts are held anyway, and one tuple of them
serves every analysis (what was read of them would be 10,000 tuples per analysis)."""


@dataclass(frozen=True)
class Worked:
    """What a build of a serve session worked out that the next rebuild can mend (``Since``)."""

    contacts: Mapping[str, Contact]
    """The published contacts the build read, by ``src_uri``."""
    backlinks: Mapping[str, tuple[Mention, ...]]
    index: InteractionIndex
    report: FollowUpReport
    problems: Mapping[str, tuple[Problem, ...]]
    """Link problems by ``src_uri`` (``link_problems.problems_by_file``)."""
    known: frozenset[str]
    """The other files links could name, when they were checked."""


@dataclass(frozen=True)
class Since:
    """The last build of a serve session's analyses, and the contact files changed since.

    Only for a rebuild under the same names, the same journal, history and day
    (``incremental.pages_to_draw`` vouches for that): the analyses that read every
    log are then mended for the changed files, not done again. When people came or
    went, the changed files include every file whose links now lead elsewhere, and
    ``directory`` is the last build's (where the old links led).
    """

    last: Worked
    after: Mapping[str, Contact]
    """The changed contacts as they are now, by ``src_uri`` (new people too)."""
    gone: frozenset[str] = frozenset()
    """The people of the last build who are no longer published."""
    directory: Directory | None = None
    """The last build's directory, when people came or went."""

    @cached_property
    def before(self) -> Mapping[str, Contact]:
        """The changed contacts as they were (the people gone too; new people not)."""
        keys = (*self.after, *self.gone)
        return {key: self.last.contacts[key] for key in keys if key in self.last.contacts}

    @property
    def same_people(self) -> bool:
        return not self.gone and self.before.keys() == self.after.keys()


def same_value(old: Any, new: Any) -> bool:
    """Equal page data; anything that cannot be compared counts as changed."""
    try:
        return bool(old == new)
    except Exception:  # a value without a usable ==: draw the page again
        return False


class Site:
    """The published part of a network, with the lookups every page needs.

    Lookups are worked out once, when first asked for; analyses (``cached``) once per
    build, or taken over from the last build (``carry``) when what they read is equal.
    """

    def __init__(
        self,
        network: Network,
        settings: Settings,
        history: History | None = None,
        *,
        carry: Carry | None = None,
        reads: Mapping[Context, Reads] | None = None,
        since: Since | None = None,
        memo: Memo | None = None,
    ) -> None:
        self.network = network
        self.settings = settings
        self.history = history if history is not None else History()
        """Git history of the people folder, keyed by ``src_uri``; empty without git."""
        self.carry = carry
        """Results of the last build's analyses, in a serve session."""
        self.reads: Mapping[Context, Reads] = reads or {}
        """What an analysis reads, where a carried result may be reused (``carry``)."""
        self.since = since
        """In a serve session, what the last build worked out, when this one may mend
        it; ``None``: every analysis reads the whole network."""
        self.memo = memo
        """In a serve session: costly results (graph measures, its layout) by their
        inputs, kept by the session; ``None``: worked out each time."""
        self._memo: dict[Context, Mapping[str, Any]] = {}
        self._afresh = False
        self._carried: set[Context] = set()
        """The analyses whose last result this build took over (``carry``)."""
        self._rebased = False
        self._reads: dict[Reads, Any] = {}
        """What each ``Reads`` reads of the site, once per build."""
        self._of_person: dict[tuple[Any, int], tuple[Contact, Any]] = {}

    def of_person(self, function: Callable[[Site, Contact], T], contact: Contact) -> T:
        """``function(self, contact)``, once per contact and build: the analyses that read
        the same of a person (their front matter) share one value, and a serve session
        holds it once, not once per analysis."""
        key = (function, id(contact))
        hit = self._of_person.get(key)
        if hit is None or hit[0] is not contact:
            hit = self._of_person[key] = (contact, function(self, contact))
        return cast(T, hit[1])

    def cached(self, function: Context) -> Mapping[str, Any]:
        """``function(self)``, computed once per build: pages and Home share analyses."""
        if function not in self._memo:
            reads = self.reads.get(function)
            if reads is None or self.carry is None:
                self._memo[function] = function(self)
                return self._memo[function]
            last = None if self._afresh else self.carry.get(function)
            now = (self._site_read(reads), self.people)
            if last is not None and self._reads_same(reads, last[0], now[0]):
                self._memo[function] = last[1]
                self._carried.add(function)
            else:
                self._memo[function] = function(self)
            # This build's people, also for a result carried over (they read the same as
            # the last build's): the session lets go of the last build's.
            self.carry[function] = (now, self._memo[function])
        return self._memo[function]

    def rebase(self) -> bool:
        """A page read a field of a contact that a result carried over from the last build
        holds, and the field has changed since: the carried results of the analyses
        declared ``rebased`` get this build's contacts (``kith.analyses.rebase``), here
        and for the next build. Whether there were any (else, or if a result cannot be
        rebased, the page has to be drawn from analyses worked out ``afresh``)."""
        if self._rebased:
            return False
        self._rebased = True
        everyone = {c.src_uri: c for c in self.network.contacts}
        done = False
        for function in self._carried:
            reads = self.reads.get(function)
            if reads is None or not reads.rebased or self.carry is None:
                continue
            try:
                result = rebase(self._memo[function], everyone)
            except Unrebasable:
                return False
            self._memo[function] = result
            self.carry[function] = (self.carry[function][0], result)
            done = True
        return done

    def afresh(self) -> None:
        """A page read a field of a contact that a result carried over from the last build
        holds, and the field has changed since: from now on this build works every
        analysis out again (and carries the new results to the next), without mending
        the last build's (which keep the last build's contacts where nothing changed)."""
        self._afresh = True
        self._memo.clear()
        self._carried.clear()
        self.since = None
        self.__dict__.pop("backlinks", None)

    def _reads_same(
        self, reads: Reads, last: tuple[Any, tuple[Contact, ...]], site_read: Any
    ) -> bool:
        """Whether ``reads`` reads now what it read then (``last``: what it read of the
        site, and the people it read). The same contact reads the same (``Reads.person``);
        a rebuild that mends (``since``) compares the changed people only (every other is
        the same contact, in the same place)."""
        if not same_value(last[0], site_read):
            return False
        since = self.since
        if since is not None and since.same_people:
            return all(
                same_value(reads.person(self, since.before[key]), reads.person(self, contact))
                for key, contact in since.after.items()
            )
        then, people = last[1], self.people
        return len(then) == len(people) and all(
            old is new or same_value(reads.person(self, old), reads.person(self, new))
            for old, new in zip(then, people, strict=True)
        )

    def _site_read(self, reads: Reads) -> Any:
        if reads not in self._reads:  # analyses that read the same read it once
            self._reads[reads] = reads.site(self)
        return self._reads[reads]

    def forget(self, keep: Iterable[Context]) -> None:
        """Let go of the analyses not in ``keep`` (they are computed again if asked for)."""
        kept = set(keep)
        for function in [f for f in self._memo if f not in kept]:
            del self._memo[function]
        self._reads.clear()
        self._of_person.clear()

    @cached_property
    def people(self) -> tuple[Contact, ...]:
        return tuple(sorted(self.network.published, key=by_name))

    @cached_property
    def notes(self) -> tuple[Note, ...]:
        """Published journal notes, oldest first."""
        return tuple(n for n in self.network.notes if n.publish)

    def entries(self) -> Iterator[tuple[Contact | None, Entry]]:
        """Every log entry with its file's person; journal entries belong to nobody.

        A journal note is itself an interaction, on its date, with everyone it links;
        one whose every link stands in a log entry (a list of dated entries, such as the
        notes an import captures, a month each) is not: each entry counts on its own date.
        """
        for contact in self.people:
            for entry in contact.entries:
                yield contact, entry
        for note in self.notes:
            entry_lines = {entry.line for entry in note.entries}
            if any(link.line not in entry_lines for link in note.links):
                yield None, Entry(note.date, "journal", "", True, 0, note.src_uri, note.links)
            for entry in note.entries:
                yield None, entry

    @cached_property
    def backlinks(self) -> Mapping[str, tuple[Mention, ...]]:
        since = self.since
        if since is not None:
            after = since.after.values()
            before = since.before.values()
            return patch_backlinks(
                since.last.backlinks, before, after, self.directory, since.directory
            )
        return backlinks(self.people, self.notes, self.directory)

    @cached_property
    def by_src_uri(self) -> Mapping[str, Contact]:
        """Published contacts by ``src_uri``."""
        return {c.src_uri: c for c in self.people}

    @cached_property
    def directory(self) -> Directory:
        return Directory(self.people)

    @cached_property
    def committed(self) -> Mapping[str, tuple[Any, ...]]:
        """Every file's commits (``history``), without the working copy's state."""
        return {path: history.events for path, history in self.history.files.items()}

    @cached_property
    def names_version(self) -> int:
        """A fingerprint of what links can name among the published people (``directory``):
        equal, every link resolves alike."""
        return hash(tuple((c.src_uri, c.name, c.aliases) for c in self.people))

    @cached_property
    def everyone(self) -> Directory:
        """Every loaded contact, private ones included (to tell private links from typos)."""
        return Directory(self.network.contacts)

    @cached_property
    def introduced(self) -> Mapping[str, tuple[Contact, ...]]:
        """``src_uri`` of an introducer → the people they introduced you to."""
        found: dict[str, list[Contact]] = {}
        for contact in self.people:
            introducer = self.directory.resolve(contact.introduced_by)
            if introducer is not None and introducer is not contact:
                found.setdefault(introducer.src_uri, []).append(contact)
        return {key: tuple(value) for key, value in found.items()}

    @cached_property
    def private_names(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """What links can name among the unpublished people (shown as plain text)."""
        return tuple((c.src_uri, c.name, c.aliases) for c in self.network.contacts if not c.publish)

    @cached_property
    def private_mentions(self) -> re.Pattern[str] | None:
        """The names (and aliases) of unpublished people that are not also a published
        person's, as a pattern for text kith did not write (commit messages)."""
        public = {n.casefold() for c in self.people for n in (c.name, *c.aliases)}
        names = {
            n
            for c in self.network.contacts
            if not c.publish
            for n in (c.name, *c.aliases)
            if len(n.strip()) > 1 and n.casefold() not in public
        }
        if not names:
            return None
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def without_private(self, text: str) -> str:
        """``text`` with the names of unpublished people left out (``private_mentions``)."""
        pattern = self.private_mentions
        return pattern.sub("…", text) if pattern is not None and text else text

    def is_private(self, target: str) -> bool:
        """``target`` names a ``publish: false`` person: shown as plain text, no warning."""
        return self.directory.resolve(target) is None and self.everyone.resolve(target) is not None
