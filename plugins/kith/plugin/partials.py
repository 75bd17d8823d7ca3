"""Material's partials that read nothing of a page outside the navigation, drawn once per folder.

Material draws its navigation, tabs, search box and palette switch again for every
page, and what they show depends only on the site (its navigation, options and
language) and on where the page sits: their links are written relative to the
page's address. A person page is not in the navigation, so nothing in them is
marked as the current page. At 10,000 people these four partials were a fifth of
the theme's time, the same markup 10,000 times over.

So a build draws each of them once per folder and depth of the pages outside the
navigation, and hands the same markup to every such page: ``people/ada/`` and
``people/bob/`` get the navigation drawn for the first. A link of that markup
leading into the page's own folder (``people/ada/photo.png`` would be
``photo.png`` from Ada's page and ``../ada/photo.png`` from Bob's) makes the page
draw its own.

Only where nothing else may read the page: the partial is Material's own (not an
override of ``custom_dir`` or ``theme.custom_dir``), and every plugin and hook of
the site is one kith knows (another may change the page's context as it is
drawn). The markup is the build's: each build starts with none (a serve rebuild
may have another navigation).
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2 import nodes
from mkdocs.config.defaults import MkDocsConfig

from kith.plugin.written import KNOWN_PLUGINS

PARTIALS = (
    "partials/nav.html",
    "partials/tabs.html",
    "partials/search.html",
    "partials/palette.html",
    "partials/footer.html",
)
"""What these partials read, in Material 9: the navigation (which item is active,
whether the page is among a section's pages or is an item), the options, the
language, and addresses through the ``url`` filter. For a page outside the
navigation no item is active, none is the page, and no page's table of contents
is shown; the footer's links to the previous and next page are the navigation's
(MkDocs sets them for its pages alone)."""

Render = Callable[[jinja2.runtime.Context], Iterator[str]]
Targets = tuple[tuple[str, ...], ...]
"""The addresses a partial's links lead to, as path components."""


def _parts(path: str) -> tuple[str, ...]:
    """A path's components as MkDocs compares them to write a relative link."""
    normal = posixpath.normpath("/" + path)[1:]
    return tuple(normal.split("/")) if normal else ()


def _folder(url: str) -> tuple[str, ...]:
    """The folder MkDocs writes a page's relative links from (``get_relative_url``)."""
    head, _, tail = url.rpartition("/")
    return _parts(head if "." in tail else url)


class _Drawn:
    """One partial's markup per folder of the pages outside the navigation."""

    def __init__(self, name: str, render: Render, in_nav: frozenset[int]) -> None:
        self.name = name
        self.render = render
        self.in_nav = in_nav
        self.markup: dict[tuple[tuple[str, ...], int], tuple[str, Targets]] = {}
        self.given = 0
        """How many pages were handed markup drawn for another."""

    def __call__(self, context: jinja2.runtime.Context) -> Iterator[str]:
        page = context.get("page")
        url = getattr(page, "url", None)
        if page is None or id(page) in self.in_nav or not isinstance(url, str):
            yield from self.render(context)
            return
        folder = _folder(url)
        key = (folder[:-1], len(folder))
        drawn = self.markup.get(key)
        if drawn is not None and not _leads_inside(drawn[1], folder):
            if _recording:  # drawn inside another shared partial: its links are that one's too
                _recording[-1].extend(drawn[1])
            self.given += 1
            yield drawn[0]
            return
        markup, targets = _drawing(self.render, context)
        if drawn is None and folder and not _leads_inside(targets, folder):
            self.markup[key] = (markup, targets)  # nothing of it is this page's own
        yield markup


def _leads_inside(targets: Iterable[tuple[str, ...]], folder: tuple[str, ...]) -> bool:
    """Whether a link leads into ``folder`` itself: written relative to it, it differs
    from the same link written from a sibling folder."""
    size = len(folder)
    return any(target[:size] == folder for target in targets)


_recording: list[list[tuple[str, ...]]] = []
"""The addresses the ``url`` filter writes while a partial is drawn to be shared."""


def _drawing(render: Render, context: jinja2.runtime.Context) -> tuple[str, Targets]:
    """The partial's markup, and every address its links were written from."""
    _recording.append([])
    try:
        markup = "".join(render(context))
    finally:
        seen = tuple(_recording.pop())
        if _recording:
            _recording[-1].extend(seen)
    return markup, seen


def _absolute(value: str) -> bool:
    """An address the ``url`` filter leaves as it is (``https://``, ``/``, ``#``)."""
    parts = urlsplit(value)
    return bool(parts.scheme or parts.netloc) or value.startswith(("/", "#"))


URL_FILTERS = frozenset({"mkdocs.utils.templates", "properdocs.utils.templates"})
"""The modules whose ``url`` filter writes a link with ``get_relative_url`` from the
page's address (MkDocs' and ProperDocs', the same function)."""


def _recorded(url_filter: Callable[..., str]) -> Callable[..., str]:
    """``url_filter``, noting the addresses it writes while a shared partial is drawn."""

    @jinja2.pass_context
    def url(context: jinja2.runtime.Context, value: Any) -> str:
        if _recording and not _absolute(str(value)):
            _recording[-1].append(_parts(str(value)))
        return url_filter(context, value)

    return url


def _material_templates() -> Path | None:
    try:
        import material
    except ImportError:  # pragma: no cover - Material is a dependency
        return None
    return (Path(material.__file__).parent / "templates").resolve()


def _references(env: jinja2.Environment, source: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The templates ``source`` names, and the folders of those it names only as it is
    drawn (``".icons/" ~ icon ~ ".svg"``; ``""``: any template at all)."""
    key = (type(env), hashlib.blake2b(source.encode("utf-8", "surrogatepass")).digest())
    found = _REFERENCED.get(key)
    if found is not None:
        return found
    names: list[str] = []
    folders: set[str] = set()
    for node in env.parse(source).find_all((nodes.Include, nodes.Import, nodes.FromImport)):
        assert isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport))
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            names.append(target.value)
            continue
        while isinstance(target, nodes.Concat) and target.nodes:
            target = target.nodes[0]
        while isinstance(target, nodes.BinExpr):
            target = target.left
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            folders.add(target.value.rpartition("/")[0])
        else:
            folders.add("")
    found = _REFERENCED[key] = (tuple(names), frozenset(folders))
    return found


_REFERENCED: dict[tuple[type, bytes], tuple[tuple[str, ...], frozenset[str]]] = {}
"""``_references`` by a digest of the template's source: parsing them is most of what deciding costs
(half a second a build), and Material's templates are the same from build to build."""


def _drawn_by(env: jinja2.Environment, name: str) -> tuple[dict[str, str | None], set[str]]:
    """The templates drawing ``name`` loads (it among them), by name, with the file each
    comes from, and the folders of those it names only as they are drawn."""
    files: dict[str, str | None] = {}
    folders: set[str] = set()
    todo = [name]
    assert env.loader is not None
    while todo:
        current = todo.pop()
        if current in files:
            continue
        source, files[current], _ = env.loader.get_source(env, current)
        names, named = _references(env, source)
        todo.extend(names)
        folders |= named
    return files, folders


def _materials_own(env: jinja2.Environment, name: str, material: Path, dirs: Iterable[str]) -> bool:
    """Whether drawing ``name`` draws Material's templates only: none of them, nor any
    template it names as it draws, is overridden in another folder of the theme."""
    try:
        files, folders = _drawn_by(env, name)
    except (jinja2.TemplateError, OSError, AssertionError):
        return False
    for filename in files.values():
        if filename is None or not Path(filename).resolve().is_relative_to(material):
            return False  # an override: it may read anything of the page
    others = [Path(folder).resolve() for folder in dirs]
    others = [folder for folder in others if folder != material]
    return not any((other / folder).exists() for other in others for folder in folders)


def share(env: jinja2.Environment, config: MkDocsConfig, nav: Any) -> None:
    """Draw ``PARTIALS`` once per folder of the pages outside ``nav`` in this build's
    ``env`` (after its loader is final: templates are looked up by loader)."""
    theme = config.theme
    material = _material_templates()
    if getattr(theme, "name", None) != "material" or material is None or nav is None:
        return
    if any(name not in KNOWN_PLUGINS for name in config.plugins):
        return
    url_filter = env.filters.get("url")
    known = getattr(url_filter, "__module__", None) in URL_FILTERS
    if url_filter is None or not known or getattr(url_filter, "__name__", None) != "url_filter":
        return  # a filter kith does not know: its links cannot be told apart
    in_nav = frozenset(id(page) for page in getattr(nav, "pages", ()))
    dirs = list(getattr(theme, "dirs", ()))
    if not _materials_own(env, LANGUAGE, material, dirs):
        return  # what every partial reads as ``lang``
    language = env.get_template(LANGUAGE)
    language.make_module = _Language(language.make_module)  # type: ignore[method-assign]
    shared = False
    for name in PARTIALS:
        if not _materials_own(env, name, material, dirs):
            continue
        template = env.get_template(name)
        template.root_render_func = _Drawn(name, template.root_render_func, in_nav)
        shared = True
    for name, block in BLOCKS:
        if not _materials_own(env, name, material, dirs):
            continue
        template = env.get_template(name)
        if block in template.blocks:
            drawn = _Drawn(f"{name}#{block}", template.blocks[block], in_nav)
            template.blocks[block] = drawn
            shared = True
    if shared:
        env.filters["url"] = _recorded(url_filter)


BLOCKS = (("base.html", "styles"), ("base.html", "config"))
"""Blocks of Material's templates drawn as ``PARTIALS`` are: ``styles`` (the style
sheets and icons) and ``config`` (the ``__config`` script) read the options, the
language, and addresses through ``url`` and ``base_url`` (the same for pages at the
same depth)."""

LANGUAGE = "partials/language.html"
"""What ``base.html`` imports, with the page's context, as ``lang``: its ``t`` looks a
label up in the theme's language (``config.theme.language``) and reads nothing else."""


class _Language:
    """``partials/language.html`` imported once a build, its labels looked up once each.

    Material imports it with each page's context, and every ``lang.t(key)`` builds
    the language's table of some hundred labels anew to find one (about 15 a page)."""

    def __init__(self, make_module: Callable[..., Any]) -> None:
        self.make_module = make_module
        self.module: Any = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.module is None:
            module = self.make_module(*args, **kwargs)
            labels: dict[Any, Any] = {}
            look_up = module.t

            def t(key: Any) -> Any:
                if not isinstance(key, str):
                    return look_up(key)
                if key not in labels:
                    labels[key] = look_up(key)
                return labels[key]

            module.t = t
            self.module = module
        return self.module
