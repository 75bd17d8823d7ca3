"""Pages from templates: the Jinja environment, which notes what a render reads.

Templates live in ``templates/`` (shipped inside the package as well); a file
of the same name in the user's templates folder wins. Every template is
autoescaped: values from front matter are data, and generated pages put them
inside HTML blocks, where Markdown does not touch them. Only the user's own
note body is Markdown.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Mapping, MutableMapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from kith.core import cadence
from kith.core.errors import TemplateFailure
from kith.core.model import WHOLE, Contact
from kith.pages.urls import safe_url
from kith.pages.words import days_ago, noun, number, plural

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
        # Jinja would look at each template file's time at every include of every page
        # (47,000 looks at 10,000 people); ``get_template`` sees an edit once per build.
        auto_reload=False,
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
