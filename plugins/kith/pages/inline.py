"""Drawing the user's own words inside kith's pages: a log line or a paragraph of notes
as HTML, its wikilinks leading where the site's directory says (plain words skip
Markdown, which would cost more than the rest of a page)."""

from __future__ import annotations

import html
import re
import weakref
from functools import cached_property

import markdown
from markupsafe import Markup

from kith.analyses.site import Site
from kith.core.grammar import WIKILINK, WikiTarget, parse_wikilink, strip_comments
from kith.core.model import Contact
from kith.pages.links import Resolved, WikiLinkExtension
from kith.pages.sanitize import sanitize
from kith.pages.urls import Links

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


def _label(target: WikiTarget) -> str:
    """A link's text as written, as Obsidian shows it: the label, or the target's last part."""
    return target.label or target.target.rsplit("/", 1)[-1]


def _person_link(contact: Contact, label: str, links: Links) -> str:
    """A wikilink to a person as the wikilink extension draws it (label escaped as text)."""
    label = html.escape(label, quote=False)
    return f'<a class="kith-wikilink" href="{html.escape(links.person(contact))}">{label}</a>'


class TextDrawer:
    """Draws the user's Markdown of one build's ``Site``, a line or a paragraph at a time."""

    site: Site

    @cached_property
    def _inline(self) -> tuple[markdown.Markdown, list[Links]]:
        here: list[Links] = []
        # A weak reference: the converter is a web of cycles, and the drawer must not be
        # part of it, so that it is freed the moment the build lets it go.
        site = weakref.ref(self)

        def resolve(target: WikiTarget) -> Resolved:
            me = site()
            assert me is not None  # the converter lives inside the drawer
            contact = me.site.directory.resolve(target.target)
            if contact is not None and here:
                return Resolved(href=here[0].person(contact), text=contact.name)
            return Resolved(private=me.site.is_private(target.target))

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

    def _led(self, text: str) -> tuple[tuple[str, str | None, str | None, bool], ...]:
        """Where the wikilinks of ``text`` lead, as ``inline`` draws them: whom each names
        and as whom it shows, or whether it names someone private."""
        led: list[tuple[str, str | None, str | None, bool]] = []
        for match in WIKILINK.finditer(text):
            target = parse_wikilink(match.group(2), bool(match.group(1))).target
            contact = self.site.directory.resolve(target)
            if contact is None:
                led.append((target, None, None, self.site.is_private(target)))
            else:
                led.append((target, contact.src_uri, contact.name, False))
        return tuple(led)

    def plain_html(self, text: str, links: Links) -> str | None:
        """A paragraph of the user's notes as HTML when it is plain words and wikilinks
        (as Markdown with the wikilink extension would draw it), else None."""
        if "![[" in text or _BLOCK_SYNTAX.search(WIKILINK.sub("W", text)):
            return None
        out: list[str] = []
        position = 0
        for match in WIKILINK.finditer(text):
            target = parse_wikilink(match.group(2), False)
            contact = self.site.directory.resolve(target.target) if not target.heading else None
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
        contact = self.site.directory.resolve(target.target)
        if contact is not None:
            return _person_link(contact, _label(target), links)
        label = html.escape(_label(target))
        if self.site.is_private(target.target):
            return f"<span>{label}</span>"
        return f'<span class="kith-unresolved">{label}</span>'
