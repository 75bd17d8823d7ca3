"""One page of the build as the engine is given it: Markdown headings, HTML between.

The plugin lets MkDocs render a page's Markdown, then sanitizes the HTML and puts
kith's blocks back. An engine without kith would render the notes as they are: a
pasted ``<script>`` or a ``javascript:`` link would reach the site, and wikilinks
would stay brackets. So kith renders each page itself, as the plugin does (the
project's Markdown extensions, the wikilinks, ``sanitize``, ``unstash``), and hands
the engine the result: the page's top-level headings as Markdown (its title, table
of contents and permalinks are the engine's), and the HTML between them as raw
HTML blocks, which every engine passes through as they are.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import quote, unquote, urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor

from kith.analyses.site import Site
from kith.core.errors import Problem
from kith.core.grammar import WikiTarget
from kith.pages.links import Resolved, WikiLinkExtension
from kith.pages.page_markdown import unstash
from kith.pages.problems import with_problems
from kith.pages.sanitize import sanitize
from kith.pages.urls import relative_url
from kith.plugin.files import resolve_link
from kith.plugin.syntax import ensure_obsidian_syntax
from kith.render.project import live

BUILTIN = ("toc", "tables", "fenced_code")
"""The extensions MkDocs always adds (and so every engine reading ``mkdocs.yml``)."""


def extensions(config: Mapping[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The Markdown extensions and their options, as the plugin's build has them: the
    user's list, MkDocs' own, and what kith adds for Obsidian's syntax. The table of
    contents adds no permalinks here: the engine adds its own to the headings."""
    names: list[Any] = list(BUILTIN)
    configs: dict[str, Any] = {}
    for item in live(config.get("markdown_extensions") or []):
        name, options = next(iter(item.items())) if isinstance(item, Mapping) else (item, None)
        if name not in names:
            names.append(name)
        if options:
            configs[name] = dict(options)
    configs["toc"] = {**configs.get("toc", {}), "permalink": False}
    shaped = SimpleNamespace(markdown_extensions=names, mdx_configs=configs)
    ensure_obsidian_syntax(cast(Any, shaped))
    return names, configs


@dataclass(frozen=True)
class Place:
    """A file of the rendered site as a link sees it: its source path and address
    (what ``resolve_link`` asks of MkDocs' files)."""

    src_uri: str
    url: str

    def url_relative_to(self, other: Place) -> str:
        """A path from the other page's source, which ``Converter.address`` places."""
        start = posixpath.dirname(other.src_uri) or "."
        return quote(posixpath.relpath(self.src_uri, start))


class Converter:
    """Renders the pages of one build (one Markdown converter, reset between pages)."""

    def __init__(
        self,
        config: Mapping[str, Any],
        site: Site,
        urls: Mapping[str, str],
        attachments: Sequence[str],
    ) -> None:
        self.site = site
        self.urls = urls
        self.files = {uri: Place(uri, uri) for uri in attachments}
        self.by_name = {
            name.casefold(): place
            for place in self.files.values()
            for name in (place.src_uri.rsplit("/", 1)[-1], place.src_uri)
        }
        self.used: set[str] = set()
        """The attachments the pages converted so far link or embed."""
        self.here = Place("", "")
        names, configs = extensions(config)
        wikilinks = WikiLinkExtension(resolve=self._resolve)
        self.md = markdown.Markdown(
            extensions=[*names, wikilinks, _Placing(self)], extension_configs=configs
        )

    def _resolve(self, target: WikiTarget) -> Resolved:
        return resolve_link(self.site, cast(Any, self.by_name), cast(Any, self.here), target)

    def page(
        self,
        src_uri: str,
        source: str,
        blocks: Sequence[str],
        problems: Sequence[Problem] = (),
        search: bool = True,
    ) -> str:
        """The page at ``src_uri`` as its Markdown file for the engine."""
        self.here = Place(src_uri, self.urls[src_uri])
        self.md.reset()
        html = unstash(sanitize(self.md.convert(source)), list(blocks))
        html = with_problems(html, problems)
        front = "" if search else "---\nsearch:\n  exclude: true\n---\n\n"
        return front + engine_markdown(html)

    def address(self, value: str) -> str:
        """A link or image of a page's Markdown (a path from the page's source, as MkDocs
        reads it) as the address it has in the rendered site."""
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or not parts.path or value.startswith(("/", "#")):
            return value
        here = self.here.src_uri
        target = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(parts.path)))
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if target in self.urls:
            return relative_url(self.urls[target], self.here.url) + fragment
        if target in self.files:
            self.used.add(target)
            return relative_url(quote(target), self.here.url) + fragment
        return value  # nowhere in the site: left as written, as MkDocs leaves it


_LINKED = {"a": "href", "img": "src", "audio": "src", "video": "src", "source": "src"}
_HEADINGS = {f"h{level}" for level in range(1, 7)}
_MARK = "data-kith-markdown"


class _Placer(Treeprocessor):
    """Links as addresses of the rendered site; top-level headings marked, to be
    handed to the engine as Markdown."""

    def __init__(self, md: markdown.Markdown, converter: Converter) -> None:
        super().__init__(md)
        self.converter = converter

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = _LINKED.get(element.tag)
            value = element.get(attribute) if attribute else None
            if attribute and value:
                element.set(attribute, self.converter.address(value))
        for child in root:
            if child.tag in _HEADINGS:
                child.set(_MARK, "")


class _Placing(markdown.Extension):
    def __init__(self, converter: Converter) -> None:
        super().__init__()
        self.converter = converter

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the inline patterns (20, wikilinks among them) and the ids (toc, 5).
        md.treeprocessors.register(_Placer(md, self.converter), "kith_render_places", 1)


_MARKED_HEADING = re.compile(
    rf'<h([1-6])(\s[^>]*?)?\s{_MARK}(?:="")?([^>]*)>(.*?)</h\1>', re.DOTALL
)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_SYNTAX = re.compile(r"(&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);)|([!-%'-/:-@\[-`{-~])")
"""An entity (kept) or an ASCII punctuation mark, which a Markdown extension might read."""


def engine_markdown(html: str) -> str:
    """Rendered HTML as the engine's Markdown: each marked heading a Markdown heading,
    the HTML between in raw blocks."""
    parts: list[str] = []
    position = 0
    for match in _MARKED_HEADING.finditer(html):
        parts.append(_raw(html[position : match.start()]))
        level, inner = int(match.group(1)), match.group(4)
        parts.append("#" * level + " " + _inline(inner))
        position = match.end()
    parts.append(_raw(html[position:]))
    return "\n\n".join(part for part in parts if part) + "\n"


def _raw(html: str) -> str:
    html = html.strip()
    return f'<div class="kith-rendered">\n{html}\n</div>' if html else ""


def _inline(html: str) -> str:
    """A heading's HTML on one Markdown line: its tags as inline HTML, each punctuation
    mark of its text as a character reference, so that no extension reads it again."""
    pieces = _TAG_OR_TEXT.split(html.replace("\n", " "))
    return "".join(
        piece if index % 2 else _SYNTAX.sub(_encoded, piece) for index, piece in enumerate(pieces)
    ).strip()


def _encoded(match: re.Match[str]) -> str:
    return match.group(1) or f"&#{ord(match.group(2))};"
