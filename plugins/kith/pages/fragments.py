"""Parts of a generated page kept by value across the rebuilds of a serve session.

A page as long as Companies (a section per company) or Follow-ups (a row per person)
is drawn again whenever one person on it changes; most of it is as it was. A template
draws such a part with ``kept``::

    {{ kept("company-section.html", company.anchor, company=company) }}

which renders ``company-section.html`` with ``company`` and the page's shared names
(``links``, ``today``, ``settings``...), like an include. Under ``mkdocs serve`` the
output is kept, per page and ``slot`` (the second argument: what tells the parts of a
page apart), and used again while

- the values passed are equal to last time's,
- the shared names are (the page addresses, the page, the day, the options, what
  links lead to),
- the templates it rendered (includes too) are the same files with the same text,
- and every person whose fields it showed is this build's contact as it was then.

A part is only kept when its templates provably read nothing else: every name they
look up is one passed or shared (``free_names``); a user's template that reads more
(a loop variable, a page's own data) is drawn each time, as an include would be,
with the whole page's names. Either way the text is what a fresh build draws.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import jinja2
from jinja2 import meta, nodes
from markupsafe import Markup

from kith.analyses.site import same_value
from kith.core.model import Contact
from kith.core.packing import Zdicts, pack, unpack
from kith.pages.render import KithEnvironment, Reads, TemplateVersion, render
from kith.pages.urls import Links

T = TypeVar("T")

SHARED = ("links", "today", "settings", "markdown", "row_limit", "pages")
"""The page's names a kept part sees besides the values passed to it."""


class _NotedUrls(Mapping[str, str]):
    """The page addresses, noting which a part looked up (every one, if it went through
    them all)."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self.urls = urls
        self.used: dict[str, str | None] = {}
        self.every = False

    def __getitem__(self, key: str) -> str:
        self.used[key] = self.urls.get(key)
        return self.urls[key]

    def __iter__(self) -> Iterator[str]:
        self.every = True
        return iter(self.urls)

    def __len__(self) -> int:
        self.every = True
        return len(self.urls)


@dataclass(frozen=True, slots=True)
class Fragment:
    """One part of a page as drawn, with what it was drawn from."""

    values: Mapping[str, Any]
    templates: Mapping[str, TemplateVersion]
    people: tuple[str, ...]
    """Each person whose fields it showed (pairs would be a tuple each: 40,000 parts)."""
    contacts: tuple[Contact | None, ...]
    """Their contacts then, in the same order (``None``: gone)."""
    fields: frozenset[str]
    urls: tuple[str, ...]
    """The pages it linked to."""
    addresses: tuple[str | None, ...]
    """Their addresses then, in the same order (``None``: none)."""
    marks: tuple[tuple[str, Any], ...]
    """Each text it drew as Markdown, and where its wikilinks led then (``Linked``)."""
    names: tuple[Any, ...]
    """What names led to then (the page's ``names``): while they are the same, so is
    where its wikilinks lead, but for the addresses (which ``urls`` holds)."""
    wide: tuple[Any, ...] | None
    """When it read every address: the page's addresses as a whole, as they were then."""
    packed: bytes
    """The text drawn, packed against its page's dictionary for its template
    (``Parts.zdicts``): at 10,000 people the parts are some 7 MB as text."""


@dataclass(frozen=True, slots=True)
class Parts:
    """The kept parts of one page, and the page's shared names they were drawn with."""

    shared: tuple[Any, ...]
    parts: Mapping[tuple[str, Hashable], Fragment]
    zdicts: Zdicts
    """What the parts are packed against, by template: the first part drawn with it.
    A page drawn again keeps its dictionaries (its kept parts were packed with them)."""


Fragments = dict[str, Parts]
"""Page ``src_uri`` → its parts as last drawn (template, slot → part), replaced whole
when the page is drawn, never changed in place (a session's copy of this table is
enough)."""


Linked = Callable[[str], tuple[tuple[str, str | None, str | None, bool], ...]]
"""Where the wikilinks of a text drawn as Markdown lead: for each, its target, the
person it names (``src_uri``) and their name, or whether it names someone private."""


class FragmentDrawer:
    """Draws the kept parts of the generated pages of one build."""

    def __init__(
        self,
        env: KithEnvironment,
        current: Callable[[], Mapping[str, Contact]],
        kept: Fragments | None,
        linked: Linked,
    ) -> None:
        self.env = env
        self._current = current
        self._linked = linked
        self.kept = kept
        """The session's parts (this build's replace a page's as it is drawn)."""
        self._drawing: dict[str, tuple[tuple[Any, ...], dict[tuple[str, Hashable], Fragment]]] = {}
        self._last: dict[str, Mapping[tuple[str, Hashable], Fragment]] = {}
        self._names: dict[str, frozenset[str] | None] = {}
        self._plain: dict[tuple[str, frozenset[str]], bool] = {}
        self._wide: dict[str, tuple[Any, ...]] = {}
        self._page_names: dict[str, tuple[Any, ...]] = {}
        self._zdicts: dict[str, Zdicts] = {}
        self._interned: dict[Any, Any] = {}
        """One object for equal templates and fields: most parts of a page share them."""

    def begin(
        self, page: str, shared: tuple[Any, ...], wide: tuple[Any, ...], names: tuple[Any, ...]
    ) -> None:
        """A page starts to be drawn (again, after a stale read): its parts so far go.
        The last build's parts count only if the page's place and the options are as
        then (``shared``); ``wide``: its addresses as a whole; ``names``: what names
        lead to, as a whole."""
        self._drawing[page] = (shared, {})
        self._wide[page] = wide
        self._page_names[page] = names
        last = self.kept.get(page) if self.kept is not None else None
        self._last[page] = (
            last.parts if last is not None and same_value(last.shared, shared) else {}
        )
        self._zdicts[page] = dict(last.zdicts) if last is not None else {}

    def end(self, page: str) -> None:
        """The page is drawn: its parts are the ones it drew this time."""
        drawn = self._drawing.pop(page, None)
        self._last.pop(page, None)
        zdicts = self._zdicts.pop(page, {})
        if self.kept is not None and drawn is not None:
            self.kept[page] = Parts(*drawn, zdicts)

    def draw(
        self,
        page: str,
        context: Mapping[str, Any],
        name: str,
        slot: Hashable,
        values: dict[str, Any],
    ) -> Markup:
        env = self.env
        if not self._may_keep(name, frozenset(values)):
            # Reads more than it is given: drawn as an include would be, every time.
            return Markup(render(env.get_template(name), {**context, **values}))
        key: tuple[str, Hashable] | None = (name, slot)
        try:
            last = self._last.get(page, {}).get((name, slot))
        except TypeError:  # a slot that is no key: drawn each time
            last, key = None, None
        outer = env.reads
        links: Links = context["links"]
        if (
            last is not None
            and key is not None
            and outer is not None
            and self._same(last, values, links.urls, page)
        ):
            _merge(outer, last.templates, last.people, last.fields)
            self._drawing[page][1][key] = last
            return Markup(unpack(last.packed, self._zdicts[page][name]))
        part_context = {k: context[k] for k in SHARED if k in context}
        part_context.update(values)
        urls = _NotedUrls(links.urls)
        part_context["links"] = Links(urls, links.here)
        marked: list[str] = []
        if "markdown" in context:
            markdown = context["markdown"]

            def noted(text: str) -> Any:
                marked.append(text)
                return markdown(text)

            part_context["markdown"] = noted
        inner = Reads(outer.current) if outer is not None else None
        env.reads = inner
        try:
            output = Markup(render(env.get_template(name), part_context))
        finally:
            env.reads = outer
        if inner is not None and outer is not None:
            _merge(outer, inner.templates, inner.contacts, inner.fields)
            if key is not None and page in self._drawing and self.kept is not None:
                now = self._current()
                marks = tuple((text, self._linked(text)) for text in dict.fromkeys(marked))
                for _, led in marks:  # the addresses its wikilinks led to
                    for _, uri, _, _ in led:
                        if uri is not None:
                            urls.used[uri] = links.urls.get(uri)
                self._drawing[page][1][key] = Fragment(
                    dict(values),
                    self._intern(dict(inner.templates)),
                    tuple(inner.contacts),
                    tuple(now.get(uri) for uri in inner.contacts),
                    self._intern(frozenset(inner.fields)),
                    tuple(urls.used),
                    tuple(urls.used.values()),
                    marks,
                    self._page_names.get(page, ()),
                    self._wide.get(page) if urls.every else None,
                    pack(output, self._zdicts.setdefault(page, {}), name),
                )
        return output

    def _intern(self, value: T) -> T:
        try:
            key = (type(value), tuple(value.items())) if isinstance(value, dict) else value
            return cast(T, self._interned.setdefault(key, value))
        except TypeError:  # unhashable: kept as it is
            return value

    def _may_keep(self, name: str, given: frozenset[str]) -> bool:
        """Whether ``name`` reads only the names given and shared (and globals)."""
        known = self._plain.get((name, given))
        if known is None:
            free = self.free_names(name)
            known = free is not None and free <= {*SHARED, *given, *self.env.globals}
            self._plain[(name, given)] = known
        return known

    def _same(
        self, last: Fragment, values: Mapping[str, Any], urls: Mapping[str, str], page: str
    ) -> bool:
        if not same_value(last.values, values):
            return False
        if last.wide is not None and last.wide != self._wide.get(page):
            return False
        if any(urls.get(key) != url for key, url in zip(last.urls, last.addresses, strict=True)):
            return False
        names_changed = last.marks and last.names != self._page_names.get(page)
        if names_changed and any(self._linked(text) != led for text, led in last.marks):
            return False
        now = self._current()
        if any(
            now.get(uri) is not contact
            for uri, contact in zip(last.people, last.contacts, strict=True)
        ):
            return False
        version = self.env.template_version
        return all(version(n) == v for n, v in last.templates.items())

    def free_names(self, name: str) -> frozenset[str] | None:
        """Every name ``name`` and the templates it includes look up in their context,
        once per build; ``None`` when that cannot be known (an include, import or
        parent template named by a value rather than a string)."""
        if name not in self._names:
            self._names[name] = None  # an include of itself: not known
            self._names[name] = self._free_names(name)
        return self._names[name]

    def _free_names(self, name: str) -> frozenset[str] | None:
        assert self.env.loader is not None
        try:
            source = self.env.loader.get_source(self.env, name)[0]
            tree = self.env.parse(source)
        except jinja2.TemplateError:
            return None  # drawn the usual way, which reports it
        names = set(meta.find_undeclared_variables(tree))
        if any(isinstance(n, nodes.Extends | nodes.Import | nodes.FromImport) for n in _all(tree)):
            return None
        for included in meta.find_referenced_templates(tree):
            inner = self.free_names(included) if isinstance(included, str) else None
            if inner is None:
                return None
            names |= inner
        return frozenset(names)


def _all(tree: nodes.Node) -> Iterable[nodes.Node]:
    yield tree
    for child in tree.iter_child_nodes():
        yield from _all(child)


def _merge(
    reads: Reads,
    templates: Mapping[str, TemplateVersion],
    people: Iterable[str],
    fields: Iterable[str],
) -> None:
    """What a part read, as read by the page it is part of."""
    for template, version in templates.items():
        reads.templates.setdefault(template, version)
    reads.contacts.update(people)
    reads.fields.update(fields)
