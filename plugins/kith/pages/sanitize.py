"""Rendered HTML without the parts that run code: the last line of defence on every page.

Front-matter values are escaped by the templates, but the note body is the
user's own Markdown, and Markdown passes raw HTML through. A note pasted
from an e-mail or a web page can carry ``<script>``, ``onerror=`` or a
``javascript:`` link; this module removes exactly those and leaves the rest
of the HTML as it was.

Removed: the elements in ``DROPPED`` (with everything inside them, SVG
animation among them) and ``DROPPED_VOID``; every ``on*`` attribute; URL
attributes whose scheme is ``javascript:``, ``vbscript:`` or ``data:`` (except
``data:image/`` other than SVG), each item of an animation's ``values``; style
attributes other than a table column's alignment; comments; declarations and
processing instructions. ``<script type="application/json">`` stays when it
holds no ``<``: browsers never run it, and pages use it to carry chart data
(Jinja's ``tojson`` escapes ``<``). Elements the fragment leaves open are
closed at its end, so that a log line's ``<textarea>`` or ``<math>`` does not
take in the rest of the page.

HTML without any of these (most pages) is returned unchanged, byte for byte.
Otherwise it is written back from what was parsed, so the browser sees
exactly the tags and attributes that were checked; text reads the same,
though character references may be spelled differently.

Judged by ``tests/test_xss_corpus.py``: DOMPurify's test payloads and OWASP's
filter evasion cheat sheet, in Chromium.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

DROPPED = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "form",
        "applet",
        "frameset",
        "noembed",
        "template",
        # SVG animation writes attributes after load (an href of ``javascript:``)
        "animate",
        "animatemotion",
        "animatetransform",
        "animatecolor",
        "set",
    }
)
"""Elements removed together with their content."""
DROPPED_VOID = frozenset({"embed", "base", "meta", "link", "frame", "plaintext"})
"""Elements removed, their content kept (``plaintext`` would turn the rest of the page,
its scripts included, into text)."""
RAW_TEXT = frozenset({"textarea", "title", "xmp", "noscript", "noframes", "listing"})
"""Elements a browser may read as text up to their end tag: one left open swallows the
rest of the page (``<textarea/>`` too: the slash means nothing to a browser)."""
UNCLOSED = frozenset(
    {
        *("area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"),
        *("p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option"),
        *("optgroup", "rb", "rt", "rp", "colgroup", "param", "keygen", "image"),
    }
)
"""Elements never closed at the end of a fragment: void, or closed by what follows (a
stray ``</p>`` would add an empty paragraph)."""
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "background",
        "cite",
        "longdesc",
        "data",
        "codebase",
        "dynsrc",
        "lowsrc",
        "ping",
        "manifest",
        # SVG animation can write a URL into href after load
        "values",
        "from",
        "to",
        "by",
    }
)
INERT_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
"""Script types a browser never executes: data islands."""

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers drop tabs and newlines anywhere in a URL ("java\tscript:" is "javascript:"); other
# control characters are dropped too, as a browser of old did ("\x01java\x03script:").
_URL_NOISE = re.compile(r"[\x00-\x1f\x7f]")
_LEADING_NOISE = re.compile(r"^[\x00-\x20]+")
_TAG_NAME = re.compile(r"^[a-z][a-z0-9\-]*(?::[a-z][a-z0-9\-]*)?$")
_ATTRIBUTE_NAME = re.compile(r"^[^\s\"'<>/=\x00-\x1f]+$")

# Anything that may need removing; without a match the HTML is returned as is.
# Over-matching only costs a parse.
_SUSPECT_TAG = re.compile(
    r"<\s*/?\s*(?:" + "|".join(sorted(DROPPED | DROPPED_VOID | RAW_TEXT)) + r")|<!|<\?"
    r"|on[\w\-]*\s*="
    r"|style\s*="
    # an on* attribute without a value (``<img src onerror />``): it runs nothing, but
    # none is left; the scan stops at the tag's end or the next tag, so it stays linear
    r"""|<[a-z][^<>]*?[\s/"']on[^\s/>=<]*(?=[\s/>])""",
    re.I,
)
_SAFE_DECLARATION = re.compile(
    r"\s*(?:text-align\s*:\s*(?:left|right|center|justify)"
    r"|(?:color|background|background-color)\s*:\s*(?:#[0-9a-f]{3,8}|[a-z]+))\s*",
    re.I,
)
"""Styles that only colour or align (Markdown's aligned table columns, a colour swatch);
any other style attribute goes, as it can lay a link over the whole page."""
# Checked with tabs and newlines removed, the way a browser reads a URL.
_SUSPECT_URL = re.compile(r"script:|data:|&colon|&tab|&newline", re.I)
# A character reference can spell a scheme ("&#106;avascript:"); those for quotes,
# apostrophes and the like (the templates' escaping) cannot.
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}))")


def sanitize(text: str) -> str:
    """``text`` (an HTML fragment) without scripts, event handlers and script URLs."""
    if (
        _SUSPECT_TAG.search(text) is None
        and _SUSPECT_URL.search(_URL_NOISE.sub("", text)) is None
        and not any(_spells_url(m) for m in _REFERENCE.finditer(text))
    ):
        return text
    cleaner = _Cleaner()
    cleaner.feed(text)
    cleaner.close()
    return "".join(cleaner.out)


def is_safe_url(value: str) -> bool:
    """False for ``javascript:``, ``vbscript:`` and non-image ``data:`` URLs, read as browsers do.

    Like a browser, it ignores tabs and newlines anywhere and spaces in front; other control
    characters are ignored anywhere, as old browsers did (a URL holding one is never needed).
    """
    normal = _LEADING_NOISE.sub("", _URL_NOISE.sub("", value)).lower()
    match = _SCHEME.match(normal)
    if match is None:
        return True
    scheme = match.group(1)
    if scheme in ("javascript", "vbscript", "livescript"):
        return False
    if scheme == "data":
        return normal.startswith("data:image/") and not normal.startswith("data:image/svg")
    return True


def _spells_url(reference: re.Match[str]) -> bool:
    code = int(reference.group(1), 16) if reference.group(1) else int(reference.group(2))
    return code < 128 and (chr(code).isalnum() or chr(code) in ":\t\n\r\x00 ")


class _Cleaner(HTMLParser):
    """Copies HTML through, dropping what can run code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: str | None = None
        """The dropped element being skipped (its content goes nowhere)."""
        self.depth = 0
        """How many elements named ``skipping`` are open, the dropped one included."""
        self.data_island: list[str] | None = None
        """The content of an inert ``<script>`` being read, kept only if harmless."""
        self.open: list[str] = []
        """The elements written and not yet closed, innermost last: closed at the end, so
        that a log line's ``<math>`` or ``<textarea>`` does not take in the rest of the page."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.skipping is not None:
            if tag == self.skipping and not closed:
                self.depth += 1
            return
        if not _TAG_NAME.match(tag):  # not a tag to a browser either: show it as text
            self.out.append(_escape_text(self.get_starttag_text() or ""))
            return
        if tag in DROPPED_VOID:
            return
        if tag == "script" and not closed and _inert_script(attrs):
            self.data_island = []
        elif tag in DROPPED:
            if not closed:
                self.skipping, self.depth = tag, 1
            return
        parts = [f"<{tag}"]
        for name, value in attrs:
            if _safe_attribute(name, value):
                parts.append(f" {name}" if value is None else f' {name}="{_escape(value)}"')
        if tag in RAW_TEXT and closed:
            parts.append(f"></{tag}>")
        else:
            parts.append(" />" if closed else ">")
        if not closed and tag not in UNCLOSED and tag != "script":  # a data island: below
            self.open.append(tag)
        self.out.append("".join(parts))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None:
            if tag == self.skipping:
                self.depth -= 1
                if self.depth == 0:
                    self.skipping = None
            return
        if self.data_island is not None:
            content = "".join(self.data_island)
            self.data_island = None
            if "<" in content:  # a browser might end the script elsewhere than we did
                self.out[-1] = ""
                return
            self.out.append(content)
            self.out.append("</script>")
            return
        if tag in DROPPED_VOID or tag in DROPPED or not _TAG_NAME.match(tag):
            return  # a stray end tag of something dropped
        if tag in self.open:  # the innermost of that name
            del self.open[max(i for i, t in enumerate(self.open) if t == tag)]
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.data_island is not None:
            self.data_island.append(data)
        elif self.skipping is None:
            self.out.append(_escape_text(data))

    def close(self) -> None:
        super().close()
        if self.data_island is not None:  # never closed: it would swallow the page
            self.out[-1], self.data_island = "", None
        self.out.extend(f"</{tag}>" for tag in reversed(self.open))

    def handle_comment(self, data: str) -> None:
        # An HTML comment in a note is text its writer meant to hide: it reaches no page
        # (in the page's source it would be published all the same).
        pass

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # ``<![`` without a keyword html.parser knows (``<![><img ...>``) is an
        # AssertionError there (a traceback, no page); a browser reads a bogus comment up to
        # the next ``>``, and so does this.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i, report)

    # Declarations, CDATA and processing instructions have no place in a page's body.
    def handle_decl(self, decl: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass


def _inert_script(attrs: list[tuple[str, str | None]]) -> bool:
    types = [value for name, value in attrs if name == "type"]
    return (
        len(types) == 1
        and (types[0] or "").strip().lower() in INERT_SCRIPT_TYPES
        and all(name != "src" for name, _ in attrs)
    )


def _safe_attribute(name: str, value: str | None) -> bool:
    if name.startswith("on") or name == "srcdoc" or not _ATTRIBUTE_NAME.match(name):
        return False
    if name == "style":
        declarations = (value or "").strip().rstrip(";").split(";")
        return all(_SAFE_DECLARATION.fullmatch(d) for d in declarations)
    if value is None or name not in URL_ATTRIBUTES:
        return True
    # An animation's values are a list: every one of them could become the URL.
    return all(is_safe_url(part) for part in (value.split(";") if name == "values" else [value]))


def _escape(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
