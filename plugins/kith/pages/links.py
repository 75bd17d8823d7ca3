"""``[[wikilinks]]`` for Python-Markdown, resolved the way Obsidian resolves them.

The extension only renders; deciding where a link goes is the job of the
``resolve`` callable it is given, so that it works on a bare ``Markdown()``
as well as inside the MkDocs plugin. Code spans and fenced code are handled
before this pattern runs, so links inside them stay literal.

It also makes Obsidian's block ids (a paragraph ending in `` ^id``) anchors that
``[[#^id]]`` and ``[[Note#^id]]`` go to, with the marker gone from the text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.extensions.toc import slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from kith.core.grammar import WIKILINK, WikiTarget, parse_wikilink

IMAGE = frozenset({"avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp"})
AUDIO = frozenset({"3gp", "flac", "m4a", "mp3", "oga", "ogg", "opus", "wav"})
VIDEO = frozenset({"mkv", "mov", "mp4", "ogv", "webm"})
"""The file types Obsidian embeds as an image, a sound or a video; any other embedded
file (a PDF, a spreadsheet) is a link to it: a viewer in a frame is what a page of the
site must not hold (the sanitizer removes ``iframe``, ``object`` and ``embed``)."""


def media_kind(name: str) -> str:
    """How ``![[name]]`` shows a file: ``image``, ``audio``, ``video``, or ``""`` (a link)."""
    suffix = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if suffix in IMAGE:
        return "image"
    if suffix in AUDIO:
        return "audio"
    if suffix in VIDEO:
        return "video"
    return ""


@dataclass(frozen=True)
class Resolved:
    """Where a wikilink goes. ``href`` empty: render as text (``private``: without a mark)."""

    href: str = ""
    text: str = ""
    """The person's display name, used when the link has no label."""
    media: str = ""
    """An embedded file shown in the page: ``image``, ``audio`` or ``video``."""
    private: bool = False


Resolve = Callable[[WikiTarget], Resolved]


def _unresolved(target: WikiTarget) -> Resolved:
    return Resolved()


def block_anchor(block_id: str) -> str:
    """The ``id`` of the element an Obsidian block id ``^id`` marks (``block_id`` with
    its caret): Obsidian's own address of it, ``#^id``."""
    return "^" + block_id.removeprefix("^")


def heading_anchor(heading: str) -> str:
    """The fragment ``[[Name#heading]]`` goes to: a block id as it is, a heading slugified."""
    if heading.startswith("^"):
        return block_anchor(heading)
    return slugify(heading, "-")


_IMAGE_SIZE = re.compile(r"(\d{1,5})(?:x(\d{1,5}))?")
"""``![[photo.png|200]]`` or ``|200x100``: Obsidian's size of an embedded image."""


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, extension: WikiLinkExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(  # type: ignore[override]
        self, m: Any, data: str
    ) -> tuple[etree.Element, int, int]:
        # A code span inside the brackets is already a placeholder: its text, as written.
        inner = self.unescape(m.group(2))
        target = parse_wikilink(inner, embed=bool(m.group(1)))
        return self.extension.element(target), m.start(0), m.end(0)


_BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*$")
"""An Obsidian block id at the end of a block's text: `` ^id``."""
_MARKED = frozenset({"p", "li", "td", "th", "dd", "dt"})
"""Elements whose own text may end with a block id."""


class _BlockIds(Treeprocessor):
    """`` ^id`` at the end of a paragraph, list item or cell: the element's id, the marker
    gone. A paragraph that is only ``^id`` names the block before it (a table, a quote,
    a list), as Obsidian writes ids for those."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            children = list(parent)
            for index, element in enumerate(children):
                if element.tag not in _MARKED:
                    continue
                found = _take_block_id(element)
                if found is None:
                    continue
                block_id, emptied = found
                if emptied and element.tag == "p" and index > 0:
                    marked = children[index - 1]
                    parent.remove(element)
                    _carry_tail(parent, marked, element)
                else:
                    marked = element
                marked.set("id", block_anchor(block_id))


def _take_block_id(element: etree.Element) -> tuple[str, bool] | None:
    """The block id the element's text ends with, removed from it, and whether the
    element is left empty; ``None`` when it has none (or an id already)."""
    if "id" in element.attrib:
        return None
    last = element[-1] if len(element) else None
    text = (last.tail if last is not None else element.text) or ""
    match = _BLOCK_ID.search(text)
    if match is None:
        return None
    rest = text[: match.start()]
    if last is not None:
        last.tail = rest
    else:
        element.text = rest
    return match.group(1), last is None and not rest.strip()


def _carry_tail(parent: etree.Element, before: etree.Element, removed: etree.Element) -> None:
    if removed.tail and removed.tail.strip():  # pragma: no cover - blocks end with a newline
        before.tail = (before.tail or "") + removed.tail


class WikiLinkExtension(Extension):
    """Adds ``[[Name]]``, ``[[Name|label]]``, ``[[Name#Heading]]``, ``[[#Heading]]``,
    ``[[#^block]]``, embeds."""

    def __init__(self, resolve: Resolve = _unresolved, **kwargs: Any) -> None:
        self.resolve = resolve
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Above backslash escapes (180), so that Obsidian's ``[[Name\|label]]`` (how it
        # writes an aliased link in a table) is read whole, and above links (160), so
        # '[[' is not read as a reference link; below code spans (190).
        md.inlinePatterns.register(
            _WikiLinkProcessor(WIKILINK.pattern, md, self), "kith_wikilink", 185
        )
        # After the inline patterns (20), before the table of contents collects ids (5).
        md.treeprocessors.register(_BlockIds(md), "kith_block_ids", 12)

    def element(self, target: WikiTarget) -> etree.Element:
        if not target.target:  # [[#Heading]], [[#^block]]: a link within the page
            anchor = etree.Element("a", {"href": "#" + heading_anchor(target.heading)})
            anchor.text = AtomicString(target.label or target.heading)
            return anchor
        found = self.resolve(target)
        if found.media and found.href:
            return _embedded(target, found)
        label = target.label or _default_label(target, found)
        if not found.href:
            span = etree.Element("span")
            if not found.private:
                span.set("class", "kith-unresolved")
                span.set("title", f"No person or file named “{target.target}”")
            span.text = AtomicString(label)
            return span
        href = found.href
        if target.heading:
            href += "#" + heading_anchor(target.heading)
        anchor = etree.Element("a", {"href": href, "class": "kith-wikilink"})
        anchor.text = AtomicString(label)  # shown as written, as Obsidian does
        return anchor


def _embedded(target: WikiTarget, found: Resolved) -> etree.Element:
    """An image, a sound or a video shown in the page, as Obsidian embeds them."""
    name = target.target.rsplit("/", 1)[-1]
    size = _IMAGE_SIZE.fullmatch(target.label)
    if found.media == "image":
        image = etree.Element("img", {"src": found.href, "alt": name if size else target.label})
        if not target.label:
            image.set("alt", name)
        if size:
            image.set("width", size.group(1))
            if size.group(2):
                image.set("height", size.group(2))
        return image
    player = etree.Element(found.media, {"src": found.href, "controls": "controls"})
    if size and found.media == "video":
        player.set("width", size.group(1))
    player.text = AtomicString(name)  # what a browser without the player shows
    return player


def _default_label(target: WikiTarget, found: Resolved) -> str:
    # As Obsidian does: the link text is the target as written, not the person's full name.
    name = target.target.rsplit("/", 1)[-1]
    if target.heading and not target.heading.startswith("^"):
        return f"{name} › {target.heading}"
    return name


def makeExtension(**kwargs: Any) -> WikiLinkExtension:
    return WikiLinkExtension(**kwargs)
