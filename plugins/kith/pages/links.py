"""``[[wikilinks]]`` for Python-Markdown, resolved the way Obsidian resolves them.

The extension only renders; deciding where a link goes is the job of the
``resolve`` callable it is given, so that it works on a bare ``Markdown()``
as well as inside the MkDocs plugin. Code spans and fenced code are handled
before this pattern runs, so links inside them stay literal.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.extensions.toc import slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from kith.core.grammar import WIKILINK, WikiTarget, parse_wikilink


@dataclass(frozen=True)
class Resolved:
    """Where a wikilink goes. ``href`` empty: render as text (``private``: without a mark)."""

    href: str = ""
    text: str = ""
    """The person's display name, used when the link has no label."""
    image: bool = False
    private: bool = False


Resolve = Callable[[WikiTarget], Resolved]


def _unresolved(target: WikiTarget) -> Resolved:
    return Resolved()


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, extension: WikiLinkExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(  # type: ignore[override]
        self, m: Any, data: str
    ) -> tuple[etree.Element, int, int]:
        target = parse_wikilink(m.group(2), embed=bool(m.group(1)))
        return self.extension.element(target), m.start(0), m.end(0)


class WikiLinkExtension(Extension):
    """Adds ``[[Name]]``, ``[[Name|label]]``, ``[[Name#Heading]]``, ``[[#Heading]]``, embeds."""

    def __init__(self, resolve: Resolve = _unresolved, **kwargs: Any) -> None:
        self.resolve = resolve
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Above links (160) so '[[' is not read as a reference link; below code spans (190).
        md.inlinePatterns.register(
            _WikiLinkProcessor(WIKILINK.pattern, md, self), "kith_wikilink", 175
        )

    def element(self, target: WikiTarget) -> etree.Element:
        if not target.target:  # [[#Heading]]: a link within the page
            anchor = etree.Element("a", {"href": "#" + slugify(target.heading, "-")})
            anchor.text = AtomicString(target.label or target.heading)
            return anchor
        found = self.resolve(target)
        label = target.label or _default_label(target, found)
        if found.image and found.href:
            image = etree.Element("img", {"src": found.href, "alt": label})
            return image
        if not found.href:
            span = etree.Element("span")
            if not found.private:
                span.set("class", "kith-unresolved")
                span.set("title", f"No person or file named “{target.target}”")
            span.text = AtomicString(label)
            return span
        href = found.href
        if target.heading and not target.heading.startswith("^"):
            href += "#" + slugify(target.heading, "-")
        anchor = etree.Element("a", {"href": href, "class": "kith-wikilink"})
        anchor.text = AtomicString(label)  # shown as written, as Obsidian does
        return anchor


def _default_label(target: WikiTarget, found: Resolved) -> str:
    # As Obsidian does: the link text is the target as written, not the person's full name.
    name = target.target.rsplit("/", 1)[-1]
    if target.heading and not target.heading.startswith("^"):
        return f"{name} › {target.heading}"
    return name


def makeExtension(**kwargs: Any) -> WikiLinkExtension:
    return WikiLinkExtension(**kwargs)
