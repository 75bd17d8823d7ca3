"""Pages from templates: the Jinja environment, person pages and generated pages.

Templates live in ``templates/`` (shipped inside the package as well); a file
of the same name in the user's templates folder wins. Every template is
autoescaped: values from front matter are data, and generated pages put them
inside HTML blocks, where Markdown does not touch them. Only the user's own
note body is Markdown.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import traceback
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from kith.core import cadence
from kith.core.errors import TemplateFailure
from kith.core.grammar import LOG_ENTRY, code_free_lines, entry_kind, strip_comments
from kith.core.model import WHOLE, Contact, Note

BUILTIN_TEMPLATES = next(
    (
        p
        for p in (
            Path(__file__).parents[1] / "templates",  # installed wheel: kith/templates
            Path(__file__).parents[3] / "templates",  # source checkout: beside plugins/
        )
        if p.is_dir()
    ),
    Path(__file__).parents[1] / "templates",
)


TemplateVersion = tuple[str | None, int]
"""Which file a template name loads, and a hash of its text."""


class StaleRead(Exception):
    """A template read a field of a contact as the last build read it (a result carried
    over from it holds that build's contacts), and the field has changed since: the page
    is drawn again from analyses worked out afresh (``PageDrawer``)."""


class Reads:
    """What drawing one page read: the templates it rendered (includes too), the people
    whose fields a template showed and the names of those fields. ``kith.serve`` redraws
    a page when one of them changed.

    ``current``: this build's contacts; a field read of any other contact object (one a
    result carried over from the last build holds) must read as this build's does, or
    the page is stale (``StaleRead``)."""

    __slots__ = ("contacts", "current", "fields", "templates")

    def __init__(self, current: Mapping[str, Contact] | None = None) -> None:
        self.templates: dict[str, TemplateVersion] = {}
        self.contacts: set[str] = set()
        self.fields: set[str] = set()
        self.current = current

    def note(self, contact: Contact, field: str) -> None:
        self.contacts.add(contact.src_uri)
        self.fields.add(field)
        if self.current is None:
            return
        now = self.current.get(contact.src_uri)
        if now is not contact and (now is None or not same_field(contact, now, field)):
            raise StaleRead(f"{contact.src_uri}: {field}")


_MISSING = object()


def same_field(one: Contact, other: Contact, field: str) -> bool:
    """Whether a template reads ``field`` of the two alike (``WHOLE``: every field)."""
    try:
        if field == WHOLE:
            return bool(one == other)
        return bool(getattr(one, field, _MISSING) == getattr(other, field, _MISSING))
    except Exception:  # a value without a usable ==
        return False


class KithEnvironment(jinja2.Environment):
    """A Jinja environment that notes what a render reads, while ``reads`` is set, and
    sees a user's new template shadowing one of kith's (Jinja's cache would not)."""

    reads: Reads | None = None
    _versions: dict[str, TemplateVersion] | None = None
    """Each template's version, read once per build (``begin_build``)."""
    _loaded: dict[str, TemplateVersion] | None = None
    """The version of each template when Jinja last loaded it."""

    def begin_build(self) -> None:
        """Templates are looked at again: a build sees the files as they are."""
        self._versions = {}

    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        if isinstance(name, str):
            joined = self.join_path(name, parent) if parent is not None else name
            version = self.template_version(joined)
            if self._loaded is None:
                self._loaded = {}
            if self._loaded.setdefault(joined, version) != version:
                self._loaded[joined] = version
                if self.cache is not None:  # another file, or edited: load it afresh
                    self.cache.clear()
            if self.reads is not None:
                self.reads.templates.setdefault(joined, version)
        try:
            return super().get_template(name, parent, globals)
        except jinja2.TemplateSyntaxError as err:
            where = f"{_shown_path(err.filename or err.name or str(name))}:{err.lineno}"
            raise TemplateFailure(where, err) from None

    def select_template(
        self,
        names: Iterable[str | jinja2.Template],
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        """The first of ``names`` there is (``{% include ["mine.md", "theirs.md"] %}``),
        each looked up as ``get_template`` does: the ones missing are noted too (a file
        made later under that name changes the page)."""
        if isinstance(names, jinja2.Undefined) or not names:
            return super().select_template(names, parent, globals)
        for name in names:
            if isinstance(name, jinja2.Template):
                return name
            try:
                return self.get_template(name, parent, globals)
            except (jinja2.TemplateNotFound, jinja2.UndefinedError):
                continue
        raise jinja2.TemplatesNotFound(names)  # type: ignore[arg-type]

    def template_version(self, name: str) -> TemplateVersion:
        """What ``name`` loads: a user's file or kith's, and its text (hashed); read
        once per build, before Jinja loads it (a save in between shows next time)."""
        versions = self._versions
        if versions is not None and name in versions:
            return versions[name]
        assert self.loader is not None
        try:
            source, filename, _ = self.loader.get_source(self, name)
        except jinja2.TemplateNotFound:
            version: TemplateVersion = (None, 0)
        else:
            version = (filename, hash(source))
        if versions is not None:
            versions[name] = version
        return version

    def getattr(self, obj: Any, attribute: str) -> Any:
        if self.reads is not None and type(obj) is Contact:
            self.reads.note(obj, attribute)
        # Jinja's own lookup, written out: every ``a.b`` of every template comes here,
        # and a call to the base method would double its cost.
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: str | Any) -> Any:
        # Also every filter's ``attribute=`` (``map``, ``sort``, ``selectattr``...); ``attr``
        # comes to ``getattr``.
        if self.reads is not None and type(obj) is Contact:
            self.reads.note(obj, argument if isinstance(argument, str) else WHOLE)
        return super().getitem(obj, argument)

    def shown_whole(self, contact: Contact) -> None:
        """``contact`` became text as one value: every field of it was read."""
        if self.reads is not None:
            self.reads.note(contact, WHOLE)


def environment(user_templates: Path | None = None) -> KithEnvironment:
    """The template environment, built once per templates folder, and again when the
    folder appears or goes (a folder made under ``mkdocs serve`` counts at once)."""
    if user_templates is not None and not user_templates.is_dir():
        user_templates = None
    return _environment(user_templates)


@lru_cache(maxsize=8)
def _environment(user_templates: Path | None) -> KithEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(user_templates))
    loaders.append(jinja2.FileSystemLoader(BUILTIN_TEMPLATES))
    env = KithEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ago"] = days_ago
    env.filters["markdown"] = _markdown
    env.filters["cadence"] = cadence.describe
    env.filters["plural"] = plural
    env.filters["noun"] = noun
    env.filters["number"] = number
    env.globals["safe_url"] = safe_url
    return env


def render(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """``template.render(context)``, leaving no cycle behind.

    A template's macros hold the context they were defined in, data included,
    which makes every render a cycle only the garbage collector can free; at
    10,000 people that is megabytes of analyses kept until a full collection.
    The context is emptied once the text is out.
    """
    ctx = template.new_context(dict(context))
    try:
        return str(template.environment.concat(template.root_render_func(ctx)))
    except (TemplateFailure, StaleRead):
        raise
    except Exception:  # a template's own bug, or data it cannot show
        try:
            template.environment.handle_exception()  # frames renumbered as template lines
        except Exception as err:
            raise TemplateFailure(_place_in(template, err), err) from None
        raise  # pragma: no cover - handle_exception always raises
    finally:
        for names in (ctx.vars, ctx.exported_vars, ctx.parent):
            names.clear()  # all made for this render


def _place_in(template: jinja2.Template, err: Exception) -> str:
    """``file:line`` of the template line that raised (Jinja rewrites its frames so)."""
    name = template.filename or template.name or "template"
    line = 0
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename.endswith((".html", ".md", ".j2")) or frame.filename == "<template>":
            name, line = frame.filename, frame.lineno or 0
    return f"{_shown_path(name)}:{line}" if line else _shown_path(name)


def _shown_path(name: str) -> str:
    """A template file as the user would type it: relative to the working folder."""
    if not os.path.isabs(name):
        return name
    try:
        relative = os.path.relpath(name)
    except ValueError:  # another drive
        return name
    return name if relative.startswith("..") else relative  # kith's own: where it is


@jinja2.pass_context
def _markdown(context: jinja2.runtime.Context, text: str) -> Any:
    """``{{ text | markdown }}``: the page's ``markdown`` helper as a filter, which Jinja
    calls directly (a function call in a template costs several times more)."""
    return context["markdown"](text)


@lru_cache(maxsize=256)  # a page asks for its own base over and over, then is done
def _base_parts(base: str) -> tuple[str, ...]:
    base = base.removeprefix("./")
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    return tuple(part for part in base_dir.split("/") if part)


def relative_url(target: str, base: str) -> str:
    """``target`` as seen from the page at ``base`` (both site-relative, like ``people/x/``).

    Called for every link of every generated table, so it avoids ``posixpath.relpath``.
    """
    target = target.removeprefix("./")
    base_parts = _base_parts(base)
    if not base_parts or not target.startswith(base_parts[0] + "/"):
        return ("../" * len(base_parts) + target) or "./"  # no common folder: the usual case
    target_parts = target.split("/")
    common = 0
    for mine, theirs in zip(base_parts, target_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    up = "../" * (len(base_parts) - common)
    rest = "/".join(target_parts[common:])
    return (up + rest) or "./"


def safe_url(value: str, kind: str = "web") -> str:
    """A link target for contact info, or ``""`` when it is not one we would follow.

    ``javascript:`` and other schemes in data never become links.
    """
    value = value.strip()
    if not value:
        return ""
    if kind == "email":
        return "mailto:" + value if re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+", value) else ""
    if kind == "phone":
        digits = re.sub(r"[^\d+]", "", value)
        return "tel:" + digits if len(digits) >= 3 else ""
    if "://" not in value and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", value, re.I):
        value = "https://" + value
    return value if urlsplit(value).scheme in ("http", "https") else ""


def number(value: float) -> str:
    """A figure as people read it: ``63`` for a whole number (``63.0`` too), else one
    decimal (``12.5``), for counts that a tie can split (pairs bridged)."""
    rounded = round(value)
    if abs(value - rounded) < 1e-9:
        return str(int(rounded))
    return f"{value:.1f}"


def noun(count: float, singular: str, plural: str | None = None) -> str:
    """The noun for ``count`` of a thing: ``person`` for 1, ``people`` otherwise."""
    return singular if count == 1 else (plural if plural is not None else singular + "s")


def plural(count: float, singular: str, plural: str | None = None) -> str:
    """``{{ n | plural("person", "people") }}``: ``1 person``, ``3 people``, ``0 companies``
    (``plural`` defaults to ``singular`` + ``s``)."""
    return f"{number(count)} {noun(count, singular, plural)}"


def days_ago(when: date | None, today: date) -> str:
    """``today``, ``yesterday``, ``12 days ago``, ``in 3 days``."""
    if when is None:
        return "never"
    delta = (today - when).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta == -1:
        return "tomorrow"
    return f"{delta} days ago" if delta > 0 else f"in {-delta} days"


def md_escape(text: str) -> str:
    """Text that Markdown shows as it is (for data put in a Markdown context)."""
    escaped = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~])", r"\\\1", escaped)


@dataclass(frozen=True)
class Links:
    """Turns contacts and pages into URLs relative to the page being drawn."""

    urls: Mapping[str, str]
    """``src_uri`` → site-relative URL, for contacts and generated pages alike."""
    here: str
    """URL of the page being drawn."""

    def person(self, contact: Contact) -> str:
        return relative_url(self.urls[contact.src_uri], self.here)

    def page(self, key: str) -> str:
        return relative_url(self.urls[f"kith/{key}.md"], self.here)

    def source(self, src_uri: str) -> str:
        """Any page by its source path (a contact or a journal note)."""
        return relative_url(self.urls[src_uri], self.here)

    def file(self, uri: str) -> str:
        """A file kith writes at a fixed place in the site (``follow-ups.ics``)."""
        return relative_url(uri, self.here)


_FIRST_HEADING = re.compile(r"^#[ \t]+\S")


_BLOCK_LINE = re.compile(
    r"^<(div|table|ul|ol|dl|p|details|figure|svg|section|nav|blockquote|pre)[\s>]", re.M
)
_PLACEHOLDER = re.compile(r"<p>KITHSTASH(\d+)X</p>")


@lru_cache(maxsize=32)
def _same_tag(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){tag}[\s>]")


def _block_end(text: str, start: int, tag: str) -> int:
    """Index just past the line where the ``tag`` element opening at ``start`` closes.

    Only tags of the same name are counted: the blocks come from kith's templates,
    whose elements are balanced.
    """
    depth = 0
    for match in _same_tag(tag).finditer(text, start):
        depth += -1 if match.group(1) else 1
        if depth <= 0:
            end = text.find("\n", match.end())
            return len(text) if end < 0 else end
    return len(text)


def stash_html(text: str, blocks: list[str]) -> str:
    """Take the HTML blocks of a template's output out of Markdown's way.

    Python-Markdown re-parses raw HTML with a pure-Python parser, which costs
    more than the rest of a page. Each top-level HTML block (starting at column
    0) becomes a placeholder paragraph; ``unstash`` puts the block back into the
    rendered page. Headings stay Markdown, so they reach the table of contents.
    """
    out: list[str] = []
    position = 0
    for match in _BLOCK_LINE.finditer(text):
        if match.start() < position:  # inside a block already taken
            continue
        end = _block_end(text, match.start(), match.group(1))
        out.append(text[position : match.start()])
        blocks.append(text[match.start() : end])
        out.append(f"\nKITHSTASH{len(blocks) - 1}X\n")
        position = end
    out.append(text[position:])
    return "".join(out)


def unstash(html: str, blocks: list[str]) -> str:
    """Put the blocks ``stash_html`` took out back into the rendered HTML."""
    if not blocks:
        return html
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)


def _title_and_rest(body: str, name: str) -> tuple[str, str]:
    """The page's ``# `` heading (the body's own, when it opens with one) and the rest."""
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and _FIRST_HEADING.match(lines[first]):
        return "\n".join(lines[: first + 1]), "\n".join(lines[first + 1 :])
    return f"# {md_escape(name)}", body


def person_markdown(
    contact: Contact,
    env: jinja2.Environment,
    card_context: Mapping[str, Any],
    blocks: list[str],
) -> str:
    """The Markdown MkDocs renders for a person: title, header card, the notes, then
    what kith knows besides them (``person-after.md``: backlinks, timeline).

    The HTML kith adds goes into ``blocks`` (see ``stash_html``); the notes stay Markdown.
    """
    title, rest = _title_and_rest(without_log(strip_comments(contact.body), contact), contact.name)
    context = {**card_context, "contact": contact}
    card = render(env.get_template("person-card.html"), context)
    after = render(env.get_template("person-after.md"), context)
    card, after = stash_html(card.strip(), blocks), stash_html(after.strip(), blocks)
    return f"{title}\n\n{card}\n\n{rest.strip(chr(10))}\n\n{after}\n"


_LOG_HEADING = re.compile(r"^(#{1,6})[ \t]+log[ \t#]*$", re.I)
_ANY_HEADING = re.compile(r"^(#{1,6})[ \t]")


def without_log(body: str, contact: Contact) -> str:
    """The notes without the log entries, which the page shows in its log (merged with
    the commits, newest first) instead of twice; a ``## Log`` heading left empty goes too.
    """
    lines = body.split("\n")
    drop: set[int] = set()
    for entry in contact.entries:
        index = entry.line - contact.body_line
        if entry.source != contact.src_uri or not 0 <= index < len(lines):
            continue
        drop.add(index)
        follow = index + 1  # the item's continuation lines, indented under it
        while follow < len(lines) and lines[follow][:1] in (" ", "\t") and lines[follow].strip():
            drop.add(follow)
            follow += 1
    kept = [line for i, line in enumerate(lines) if i not in drop]
    result: list[str] = []
    index = 0
    while index < len(kept):
        heading = _LOG_HEADING.match(kept[index])
        if heading:
            end = index + 1
            while end < len(kept) and not kept[end].strip():
                end += 1
            level = len(heading.group(1))
            next_heading = _ANY_HEADING.match(kept[end]) if end < len(kept) else None
            if end == len(kept) or (next_heading and len(next_heading.group(1)) <= level):
                index = end
                continue
        result.append(kept[index])
        index += 1
    return "\n".join(result)


def note_markdown(
    note: Note, env: jinja2.Environment, context: Mapping[str, Any], blocks: list[str]
) -> str:
    """A journal note's page: its heading (or its title), its date, then its text."""
    title, rest = _title_and_rest(format_log(strip_comments(note.body)), note.title)
    header = render(env.get_template("note-header.html"), {**context, "note": note})
    return f"{title}\n\n{stash_html(header.strip(), blocks)}\n\n{rest.strip(chr(10))}\n"


def format_log(body: str) -> str:
    """Mark up log lines (date and kind) so the log reads as a timeline, outside code."""
    lines = body.split("\n")
    for index, code_free in code_free_lines(body):
        match = LOG_ENTRY.match(code_free)
        if match is None:
            continue
        rest = lines[index][match.start("rest") :]
        kind, text_start = entry_kind(rest)
        marked = f'{match.group("lead")}<time class="kith-date">{match.group("date")}</time>'
        if kind:
            marked += f' <span class="kith-kind kith-kind-{kind.lower()}">{kind}</span>'
        lines[index] = marked + rest[text_start:]
    return "\n".join(lines)
