"""The site as kith sees it: which pages exist, where they live, and their Markdown.

Free of MkDocs: the plugin hands in the loaded network and the URLs MkDocs
gave each file, and gets back Markdown strings.
"""

from __future__ import annotations

import html
import re
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import jinja2
import markdown
from markupsafe import Markup, escape

from .backlinks import Mention, backlinks, patch_backlinks
from .config import Settings
from .directory import Directory
from .errors import Problem
from .followups import FollowUpReport
from .gitlog import History
from .interactions import InteractionIndex
from .links import Resolved, WikiLinkExtension
from .load import slugify
from .model import Contact, Entry, Link, Network, Note
from .pages import DEPENDS, HOME, PAGES, PERSON_SECTIONS, ROW_LIMIT, Context, PageSpec, Reads
from .render import Links, by_name, note_markdown, person_markdown, render, stash_html
from .sanitize import sanitize
from .source import WIKILINK, WikiTarget, parse_wikilink, strip_comments

# Anything that could be Markdown or HTML besides wikilinks; plain text skips Markdown.
_MARKDOWN_SYNTAX = re.compile(r"[*_`<>&\\~]|(?<!\[)\[(?!\[)|\]\(|^\s*[#>+-]|\d\.\s")
# The same for a paragraph of a page: also line starts that open blocks (admonitions,
# tables, setext headings, indented code), hard line breaks, pipes and embeds, and the
# characters Markdown rewrites before reading (tabs, carriage returns, its own markers).
_BLOCK_SYNTAX = re.compile(
    r"[*_`<>&\\~|{}\t\r\x02\x03]|(?<!\[)\[(?!\[)|\]\(|!\[|^[ \t]|^[#>+\-=!?:]|\d[.)]\s"
    r"|[ \t]$|KITHSTASH",
    re.M,
)


Carry = dict[Context, tuple[Any, Mapping[str, Any]]]
"""An analysis → (what it read, its result), kept across ``mkdocs serve`` rebuilds."""


@dataclass
class RowMemo:
    """The People table's rows as last drawn, kept across ``mkdocs serve`` rebuilds."""

    where: tuple[int, str] = (0, "")
    """The page addresses (``Site.urls_version``) and the page they were drawn on."""
    rows: dict[str, tuple[Contact, date | None, str]] = field(default_factory=dict)
    """``src_uri`` → (the contact, its last contact, its row)."""


PageCache = dict[str, tuple[Any, str, tuple[str, ...]]]
"""``src_uri`` → (what the page was drawn from, its Markdown, its HTML blocks)."""


def _label(target: WikiTarget) -> str:
    """A link's text as written, as Obsidian shows it: the label, or the target's last part."""
    return target.label or target.target.rsplit("/", 1)[-1]


def _person_link(contact: Contact, label: str, links: Links) -> str:
    """A wikilink to a person as the wikilink extension draws it (label escaped as text)."""
    label = html.escape(label, quote=False)
    return f'<a class="kith-wikilink" href="{html.escape(links.person(contact))}">{label}</a>'


def _same(old: Any, new: Any) -> bool:
    """Equal page data; anything that cannot be compared counts as changed."""
    try:
        return bool(old == new)
    except Exception:  # a value without a usable ==: draw the page again
        return False


def _ambiguous(path: str, line: int, target: str, tied: tuple[Contact, ...]) -> Problem:
    who = " and ".join(f"{c.name} ({c.path})" for c in tied)
    return Problem(
        path,
        line,
        1,
        f"[[{target}]] could mean {who}; it links to {tied[0].name}",
        f"link by path, e.g. [[{tied[-1].src_uri.removesuffix('.md')}]], or tell them apart "
        "by name or alias",
    )


def known_files(files: Iterable[str]) -> frozenset[str]:
    """What links may name among the other files of the people folder: path or name."""
    return frozenset(name.casefold() for path in files for name in (path, path.rsplit("/", 1)[-1]))


def person_dest(contact: Contact, directory_urls: bool) -> str:
    """Where a person's page is written: ``people/<slug>/index.html``."""
    return f"people/{contact.slug}/index.html" if directory_urls else f"people/{contact.slug}.html"


def note_dest(note: Note, directory_urls: bool) -> str:
    """Where a journal note's page is written: ``journal/<slug>/index.html``."""
    slug = slugify(note.src_uri.removeprefix("journal/").removesuffix(".md")) or "note"
    return f"journal/{slug}/index.html" if directory_urls else f"journal/{slug}.html"


def page_dest(spec: PageSpec, directory_urls: bool, user_home: bool) -> str:
    """Where a generated page is written; Home is the site root unless the user has one."""
    key = "dashboard" if spec is HOME and user_home else spec.key
    if spec is HOME and not user_home:
        return "index.html"
    return f"{key}/index.html" if directory_urls else f"{key}.html"


@dataclass(frozen=True)
class Worked:
    """What a ``mkdocs serve`` build worked out that the next rebuild can mend (``Since``)."""

    contacts: Mapping[str, Contact]
    """The published contacts the build read, by ``src_uri``."""
    backlinks: Mapping[str, tuple[Mention, ...]]
    index: InteractionIndex
    report: FollowUpReport
    problems: Mapping[str, tuple[Problem, ...]]
    """Link problems by ``src_uri`` (``Site.problems_by_file``)."""
    known: frozenset[str]
    """The other files links could name, when they were checked."""


@dataclass(frozen=True)
class Since:
    """The last ``mkdocs serve`` build's analyses, and the contact files changed since.

    Only for a rebuild of the same people under the same names, the same journal,
    history and day (``incremental.pages_to_draw`` vouches for that): the analyses
    that read every log are then mended for the changed files, not done again.
    """

    last: Worked
    after: Mapping[str, Contact]
    """The changed contacts as they are now, by ``src_uri``."""

    @cached_property
    def before(self) -> Mapping[str, Contact]:
        """The changed contacts as they were."""
        return {key: self.last.contacts[key] for key in self.after}


@dataclass(frozen=True)
class Site:
    """The published part of a network, with the lookups every page needs."""

    network: Network
    settings: Settings
    env: jinja2.Environment
    history: History = field(default_factory=History)
    """Git history of the people folder, keyed by ``src_uri``; empty without git."""
    carry: Carry | None = None
    """Results of the last build's analyses (``pages.DEPENDS``), under ``mkdocs serve``."""
    rows: RowMemo | None = None
    """The People table's rows as last drawn, under ``mkdocs serve``."""

    @cached_property
    def since(self) -> Since | None:
        """Under ``mkdocs serve``, what the last build worked out, when this one may mend
        it (``resume``); ``None``: every analysis reads the whole network."""
        return None

    def resume(self, since: Since) -> None:
        """Mend ``since`` instead of reading the whole network; before any analysis runs."""
        self.__dict__["since"] = since

    @cached_property
    def stash(self) -> dict[str, list[str]]:
        """``src_uri`` → the HTML blocks taken out of that page's Markdown (``unstash``)."""
        return {}

    @cached_property
    def _memo(self) -> dict[Context, Mapping[str, Any]]:
        return {}

    def cached(self, function: Context) -> Mapping[str, Any]:
        """``function(self)``, computed once per build: pages and Home share analyses."""
        if function not in self._memo:
            reads = DEPENDS.get(function)
            if reads is None or self.carry is None:
                self._memo[function] = function(self)
                return self._memo[function]
            last = self.carry.get(function)
            if last is not None and self._reads_same(reads, last[0]):
                self._memo[function] = last[1]
            else:
                self._memo[function] = function(self)
                self.carry[function] = (self._read(reads), self._memo[function])
        return self._memo[function]

    def _reads_same(self, reads: Reads, last: tuple[Any, tuple[Any, ...]]) -> bool:
        """Whether ``reads`` reads now what it read then (``last``). A rebuild that mends
        (``since``) compares the changed people only: the others are the same objects,
        and ``last`` is what the last build read (every build asks for every analysis
        of ``DEPENDS``: ``generated_pages`` keys each page by its data)."""
        since = self.since
        if since is None:
            return _same(last, self._read(reads))
        return _same(last[0], reads.site(self)) and all(
            _same(reads.person(self, since.before[key]), reads.person(self, contact))
            for key, contact in since.after.items()
        )

    def _read(self, reads: Reads) -> tuple[Any, tuple[Any, ...]]:
        if reads not in self._reads:  # analyses that read the same compute it once
            self._reads[reads] = reads.of(self)
        return self._reads[reads]

    @cached_property
    def _reads(self) -> dict[Reads, tuple[Any, tuple[Any, ...]]]:
        return {}

    def forget(self, keep: Iterable[Context]) -> None:
        """Let go of the analyses not in ``keep`` (they are computed again if asked for)."""
        kept = set(keep)
        for function in [f for f in self._memo if f not in kept]:
            del self._memo[function]
        self._reads.clear()

    @cached_property
    def people(self) -> tuple[Contact, ...]:
        return tuple(sorted(self.network.published, key=by_name))

    @cached_property
    def notes(self) -> tuple[Note, ...]:
        """Published journal notes, oldest first."""
        return tuple(n for n in self.network.notes if n.publish)

    def entries(self) -> Iterator[tuple[Contact | None, Entry]]:
        """Every log entry with its file's person; journal entries belong to nobody.

        A journal note is itself an interaction, on its date, with everyone it links.
        """
        for contact in self.people:
            for entry in contact.entries:
                yield contact, entry
        for note in self.notes:
            yield None, Entry(note.date, "journal", "", True, 0, note.src_uri, note.links)
            for entry in note.entries:
                yield None, entry

    @cached_property
    def backlinks(self) -> Mapping[str, tuple[Mention, ...]]:
        since = self.since
        if since is not None:
            after = since.after.values()
            before = since.before.values()
            return patch_backlinks(since.last.backlinks, before, after, self.directory)
        return backlinks(self.people, self.notes, self.directory)

    @cached_property
    def by_src_uri(self) -> Mapping[str, Contact]:
        """Published contacts by ``src_uri``."""
        return {c.src_uri: c for c in self.people}

    @cached_property
    def directory(self) -> Directory:
        return Directory(self.people)

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
    def _inline(self) -> tuple[markdown.Markdown, list[Links]]:
        here: list[Links] = []
        # A weak reference: the converter is a web of cycles, and the site must not be
        # part of it, so that it is freed the moment the build lets it go.
        site = weakref.ref(self)

        def resolve(target: WikiTarget) -> Resolved:
            me = site()
            assert me is not None  # the converter lives inside the site
            contact = me.directory.resolve(target.target)
            if contact is not None and here:
                return Resolved(href=here[0].person(contact), text=contact.name)
            return Resolved(private=me.is_private(target.target))

        md = markdown.Markdown(extensions=[WikiLinkExtension(resolve=resolve)])
        return md, here

    def inline(self, text: str, links: Links) -> Markup:
        """One line of the user's Markdown (a log entry) as HTML, its wikilinks resolved.

        Most log lines are plain words and wikilinks: those skip Markdown, which
        would cost more than the rest of a generated page. The result is sanitized
        like every page, since it goes into kith's own HTML.
        """
        text = strip_comments(text)
        if not _MARKDOWN_SYNTAX.search(text):
            return Markup(WIKILINK.sub(lambda m: self._plain_link(m, links), html.escape(text)))
        md, here = self._inline
        here[:] = [links]
        rendered = md.reset().convert(text)
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            rendered = rendered[3:-4]
        return Markup(sanitize(rendered))

    def plain_html(self, text: str, links: Links) -> str | None:
        """A paragraph of the user's notes as HTML when it is plain words and wikilinks
        (as Markdown with the wikilink extension would draw it), else None."""
        if "![[" in text or _BLOCK_SYNTAX.search(WIKILINK.sub("W", text)):
            return None
        out: list[str] = []
        position = 0
        for match in WIKILINK.finditer(text):
            target = parse_wikilink(match.group(2), False)
            contact = self.directory.resolve(target.target) if not target.heading else None
            if contact is None:  # headings, files, private or unknown names: the extension
                return None
            out.append(text[position : match.start()])
            out.append(_person_link(contact, _label(target), links))
            position = match.end()
        out.append(text[position:])
        return "".join(out)

    def _plain_link(self, match: re.Match[str], links: Links) -> str:
        """A wikilink in already-escaped text, rendered as the extension would render it."""
        target = parse_wikilink(html.unescape(match.group(2)), bool(match.group(1)))
        contact = self.directory.resolve(target.target)
        if contact is not None:
            return _person_link(contact, _label(target), links)
        label = html.escape(_label(target))
        if self.is_private(target.target):
            return f"<span>{label}</span>"
        return f'<span class="kith-unresolved">{label}</span>'

    @cached_property
    def private_names(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """What links can name among the unpublished people (shown as plain text)."""
        return tuple((c.src_uri, c.name, c.aliases) for c in self.network.contacts if not c.publish)

    def is_private(self, target: str) -> bool:
        """``target`` names a ``publish: false`` person: shown as plain text, no warning."""
        return self.directory.resolve(target) is None and self.everyone.resolve(target) is not None

    def link_problems(self, files: Iterable[str] = ()) -> list[Problem]:
        """Wikilinks and ``introduced_by`` values that point to nobody.

        ``files`` are the other files of the people folder (``attachments/photo.png``):
        a link or embed naming one of them is fine.
        """
        return [p for found in self.problems_by_file(known_files(files)).values() for p in found]

    def problems_by_file(self, known: frozenset[str]) -> Mapping[str, tuple[Problem, ...]]:
        """``link_problems`` by ``src_uri`` (``known``: ``known_files``); a rebuild
        (``since``) reads only the changed files again."""
        since = self.since
        worked = since.last if since is not None else None
        last = worked.problems if worked is not None and worked.known == known else None
        after = since.after if since is not None else {}
        found: dict[str, tuple[Problem, ...]] = {}
        for contact in self.people:
            if last is not None and contact.src_uri not in after:
                found[contact.src_uri] = last[contact.src_uri]
                continue
            problems = self._unlinked(contact.path, contact.links, known)
            problem = self._introducer_problem(contact)
            found[contact.src_uri] = (*problems, problem) if problem else tuple(problems)
        for note in self.notes:
            if last is not None:  # the journal is the same
                found[note.src_uri] = last[note.src_uri]
            else:
                found[note.src_uri] = tuple(self._unlinked(note.path, note.links, known))
        return found

    def _unlinked(self, path: str, links: Iterable[Link], known: frozenset[str]) -> list[Problem]:
        problems: list[Problem] = []
        for link in links:
            tied = self.directory.ambiguous(link.target)
            if len(tied) > 1:
                problems.append(_ambiguous(path, link.line, link.target, tied))
                continue
            if (
                self.directory.resolve(link.target)
                or self.is_private(link.target)
                or link.target.casefold() in known
            ):
                continue
            problems.append(
                Problem(
                    path,
                    link.line,
                    1,
                    f"[[{link.target}]] links to nobody",
                    f"fix the spelling, add an alias, or create {self.settings.people_dir}/"
                    f"{link.target}.md",
                )
            )
        return problems

    def _introducer_problem(self, contact: Contact) -> Problem | None:
        if not contact.introduced_by:
            return None
        tied = self.directory.ambiguous(contact.introduced_by)
        if len(tied) > 1:
            line, _ = contact.key_lines.get("introduced_by", (1, 1))
            return _ambiguous(contact.path, line, contact.introduced_by, tied)
        if self.directory.resolve(contact.introduced_by) or self.is_private(contact.introduced_by):
            return None
        line, col = contact.key_lines.get("introduced_by", (1, 1))
        return Problem(
            contact.path,
            line,
            col,
            f"introduced_by: no person named '{contact.introduced_by}'",
            'use the name, an alias or the file name of a person, in quotes: "[[Name]]"',
        )

    def person_page(self, contact: Contact, urls: Mapping[str, str]) -> str:
        """The Markdown of a person's page (its HTML blocks go to ``stash``).

        Under ``mkdocs serve``, the plugin reuses pages whose data did not change
        (``incremental``); this draws one.
        """
        links = Links(urls, urls[contact.src_uri])
        context: dict[str, Any] = {
            "links": links,
            "introducer": self.directory.resolve(contact.introduced_by),
            "introducer_private": bool(contact.introduced_by)
            and self.is_private(contact.introduced_by),
            "introduced": self.introduced.get(contact.src_uri, ()),
            "backlinks": self.backlinks.get(contact.src_uri, ()),
            "settings": self.settings,
            "today": self.settings.today,
            "markdown": lambda text: self.inline(text, links),
        }
        for section in PERSON_SECTIONS:
            context.update(section(self, contact))
        blocks = self.stash[contact.src_uri] = []
        return person_markdown(contact, self.env, context, blocks)

    def people_rows(
        self, people: Iterable[Contact], follow_ups: Mapping[str, Any], links: Links
    ) -> Markup:
        """The People table's rows, one per person: name, company, role, industries, tier
        and last contact. In Python rather than the template: at 10,000 people the rows
        are most of the page, and a rebuild draws again only the rows that changed."""
        memo = self.rows
        where = (self.urls_version(links.urls), links.here)
        last_rows = memo.rows if memo is not None and memo.where == where else {}
        rows: dict[str, tuple[Contact, date | None, str]] = {}
        for contact in people:
            last = follow_ups[contact.src_uri].last_contact
            hit = last_rows.get(contact.src_uri)
            if hit is not None and hit[0] is contact and hit[1] == last:
                rows[contact.src_uri] = hit
                continue
            tier = "archived" if contact.archived else contact.tier
            row = (
                f'<tr><td><a href="{escape(links.person(contact))}">{escape(contact.name)}</a>'
                f"</td><td>{escape(contact.company)}</td><td>{escape(contact.role)}</td>"
                f"<td>{escape(', '.join(contact.industries))}</td><td>{escape(tier)}</td>"
                f"<td>{f'<time>{last}</time>' if last else ''}</td></tr>"
            )
            rows[contact.src_uri] = (contact, last, row)
        if memo is not None:
            memo.where, memo.rows = where, rows
        return Markup("\n".join(row for _, _, row in rows.values()))

    def urls_version(self, urls: Mapping[str, str]) -> int:
        """A fingerprint of every page address, computed once per build."""
        versions = self._url_versions
        if id(urls) not in versions:
            versions[id(urls)] = hash(tuple(urls.items()))  # in the files' order, as found
        return versions[id(urls)]

    @cached_property
    def _url_versions(self) -> dict[int, int]:
        return {}

    def note_page(self, note: Note, urls: Mapping[str, str]) -> str:
        """The Markdown of a journal note's page: its date, then its text."""
        links = Links(urls, urls[note.src_uri])
        blocks = self.stash[note.src_uri] = []
        context = {"links": links, "settings": self.settings}
        return note_markdown(note, self.env, context, blocks)

    def generated_pages(
        self, urls: Mapping[str, str], cache: PageCache | None = None
    ) -> dict[str, str]:
        """``src_uri`` → Markdown of every generated page.

        With a ``cache`` (kept across ``mkdocs serve`` rebuilds), a page whose data is
        equal to last time's is not drawn again.
        """
        pages: dict[str, str] = {}
        for spec in PAGES:
            links = Links(urls, urls[spec.src_uri])
            context: dict[str, Any] = {
                "page": spec,
                "title": spec.title,
                "row_limit": ROW_LIMIT,
                "pages": PAGES,
                "links": links,
                "markdown": lambda text, links=links: self.inline(text, links),
                "people_rows": lambda people, states, links=links: self.people_rows(
                    people, states, links
                ),
                "settings": self.settings,
                "today": self.settings.today,
                **self.cached(spec.context),
            }
            template = self.env.get_template(spec.template)
            key = (
                template,
                self.urls_version(urls),
                self.private_names,  # a link to one of them shows as plain text
                # Helpers (links, drawing functions) draw from data that is in the key.
                tuple((k, v) for k, v in context.items() if not callable(v) and k != "links"),
            )
            hit = cache.get(spec.src_uri) if cache is not None else None
            if hit is not None and _same(hit[0], key):
                self.stash[spec.src_uri] = list(hit[2])
                pages[spec.src_uri] = hit[1]
                continue
            output = render(template, context)
            blocks = self.stash[spec.src_uri] = []
            pages[spec.src_uri] = stash_html(output, blocks)
            if cache is not None:
                cache[spec.src_uri] = (key, pages[spec.src_uri], tuple(blocks))
        return pages
