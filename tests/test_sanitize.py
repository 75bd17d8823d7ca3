"""The HTML sanitizer: what it removes, and that it leaves everything else alone."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from kith.pages.sanitize import is_safe_url, sanitize

from .conftest import REPO

REMOVED = [
    ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>after", "after"),
    ('<img src="x" onerror="alert(1)">', '<img src="x">'),
    ("<img src=x /onerror=alert(1)>", '<img src="x">'),
    ('<p onclick="alert(1)" class="note">t</p>', '<p class="note">t</p>'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java\tscript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="jav&#x61;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="javascript&colon;alert(1)">x</a>', "<a>x</a>"),
    ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>"),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', "<img>"),
    ('<iframe src="https://example.com"><p>inside</p></iframe>after', "after"),
    ("<div><iframe><iframe></iframe>nested</iframe>after</div>", "<div>after</div>"),
    ('<object data="x.swf"><embed src="x.swf"></object>', ""),
    ('<embed src="x.swf">after', "after"),
    ("<style>body{display:none}</style>after", "after"),
    ('<form action="https://evil.example"><input name="q"></form>after', "after"),
    ('<base href="https://evil.example/">after', "after"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">after', "after"),
    ('<svg onload="alert(1)"><circle r="4"/></svg>', '<svg><circle r="4" /></svg>'),
    ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "<svg><a>x</a></svg>"),
    (
        '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
        "<svg></svg>",
    ),
    (
        '<details open ontoggle="alert(1)"><summary>s</summary></details>',
        "<details open><summary>s</summary></details>",
    ),
    ("<!-- --!><img src=x onerror=alert(1)> -->after", "after"),
    ('<script type="application/json">{"a": "<"}</script>after', "after"),
    ('<script type="application/json">{"a": 1}', ""),
    ("<!DOCTYPE html><p>x</p>", "<p>x</p>"),
]


@pytest.mark.parametrize(("dirty", "clean"), REMOVED)
def test_removes_what_can_run_code(dirty: str, clean: str) -> None:
    assert sanitize(dirty) == clean


KEPT = [
    "<p>Plain text with <em>emphasis</em>, <code>&lt;script&gt;</code> and &amp;.</p>",
    '<p><a href="https://example.com/?a=1&amp;b=2" title="t">link</a></p>',
    '<p><a href="../people/jane-doe/">Jane</a> <a href="mailto:j@example.com">mail</a></p>',
    '<p><img alt="photo" src="data:image/png;base64,iVBORw0KGgo="></p>',
    '<script type="application/json">{"nodes": ["\\u003cb\\u003e"]}</script>',
    "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n</table>",
    '<div class="kith-card" markdown="0"><dl><dt>Work</dt><dd>Lead</dd></dl></div>',
    '<svg viewBox="0 0 10 10" role="img"><title>chart</title><rect width="4" height="4"/></svg>',
    "<p>Talked about JavaScript: the good parts, and the data: all of it.</p>",
]


@pytest.mark.parametrize("fragment", KEPT)
def test_keeps_what_cannot(fragment: str) -> None:
    cleaned = sanitize(fragment)
    assert _visible(cleaned) == _visible(fragment)
    assert _tags(cleaned) == _tags(fragment)


def test_clean_html_comes_back_byte_for_byte() -> None:
    """Every demo note, rendered as MkDocs renders it, passes through untouched."""
    md = markdown.Markdown(extensions=["toc", "tables", "admonition", "attr_list", "md_in_html"])
    files = sorted((REPO / "people").glob("*.md"))
    assert files
    for path in files:
        html = md.reset().convert(path.read_text(encoding="utf-8").split("\n---\n", 1)[-1])
        assert sanitize(html) == html, path.name


def test_parsed_pages_read_the_same(demo_site: Path) -> None:
    """When a page does need the full parse, the rest of it survives: text, tags, attributes."""
    checked = 0
    for path in sorted(demo_site.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = page.select_one("article")
        if article is None:
            continue
        html = article.decode_contents()
        forced = sanitize("<!DOCTYPE html>" + html)  # a declaration forces the full parse
        assert _visible(forced) == _visible(html), path
        assert _tags(forced) == _tags(html), path
        checked += 1
    assert checked > 20


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com", True),
        ("mailto:a@example.com", True),
        ("../people/x/", True),
        ("#anchor", True),
        ("data:image/png;base64,AAAA", True),
        ("javascript:alert(1)", False),
        ("\x01 javascript:alert(1)", False),
        ("JAVA\nSCRIPT:alert(1)", False),
        ("vbscript:x", False),
        ("data:text/html,x", False),
        ("data:image/svg+xml,<svg/>", False),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def _visible(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text()


def _tags(html: str) -> list[tuple[str, dict[str, str]]]:
    return [
        (tag.name, {k: str(v) for k, v in tag.attrs.items()})
        for tag in BeautifulSoup(html, "html.parser").find_all(True)
    ]


def test_escaped_quotes_leave_a_page_as_it_is() -> None:
    """The templates' own escaping (``&#39;``, ``&quot;``) does not cost a parse."""
    page = '<td><a href="../o-brien/">Sean O&#39;Brien</a> &amp; &quot;Co&quot; &#8217;</td>'
    assert sanitize(page) is page
    assert sanitize(page.replace("&#39;", "&#106;")) != page.replace("&#39;", "&#106;")
