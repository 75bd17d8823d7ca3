"""Hostile data: a network whose every field tries to run a script or break a page.

``tests/fixtures/hostile/people`` holds names, companies, notes, log lines and
contact info made of ``<script>``, ``onerror=``, ``javascript:`` links,
``{: onclick }`` attribute lists, table-breaking ``|``, wikilink brackets,
very long strings, right-to-left overrides and zero-width characters. The
built site must show all of it as text, run none of it, and render every page.
The fixture turns on ``attr_list`` and ``md_in_html``, as many sites do.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
import yaml
from bs4 import BeautifulSoup, Tag
from kith.core.model import Contact
from kith.exchange.export import vcards
from kith.pages.registry import PAGES
from kith.pages.sanitize import sanitize
from kith.plugin.addresses import page_dest
from kith.reading.load import load

from .browser import VIEWPORT, chromium, needs_chromium, open_search, serve, visit
from .conftest import REPO, build, write_project

FIXTURE = REPO / "tests" / "fixtures" / "hostile" / "people"
# Names no repository should carry as files (Windows refuses them), made at test time.
HOSTILE_FILE_NAMES = ("<img src=x onerror=alert(1)>.md", "javascript:alert(1).md")
INJECTED = "kith-injected"
"""What the fixture's console payloads would print if they ran."""
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
GENERATED = [page_dest(spec, True, False).removesuffix("index.html") for spec in PAGES]


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The hostile network, built without --strict; ``(site, warnings)``."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURE, root / "people")
    for name in HOSTILE_FILE_NAMES:
        (root / "people" / name).write_text("Notes on a file name.\n", encoding="utf-8")
    write_project(root, {}, {"my_industry": "Software"})
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["markdown_extensions"] += ["attr_list", "md_in_html"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    recorder = _Recorder()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(recorder)
    try:
        site = build(root, strict=False)
    finally:
        logger.removeHandler(recorder)
    return site, recorder.messages


@pytest.fixture(scope="module")
def site(hostile: tuple[Path, list[str]]) -> Path:
    return hostile[0]


@pytest.fixture(scope="module")
def people(site: Path) -> list[Contact]:
    return sorted(load(site.parent / "people").published, key=lambda c: c.src_uri)


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


_TITLE = re.compile(r"(<title>)(.*?)(</title>)", re.S)


def soup(path: Path) -> BeautifulSoup:
    """The page as a browser parses it: ``<title>`` holds text only (html.parser would not know)."""
    text = _TITLE.sub(lambda m: m[1] + html.escape(m[2]) + m[3], path.read_text("utf-8"))
    return BeautifulSoup(text, "html.parser")


def test_the_build_completes_with_only_the_expected_warning(
    hostile: tuple[Path, list[str]],
) -> None:
    _, warnings = hostile
    kith_warnings = [w for w in warnings if re.match(r"people/.+:\d+:\d+: ", w)]
    assert kith_warnings == [
        "people/Script Kiddie.md:52:20: [[Wiki brackets that go nowhere]] links to nobody — "
        "fix the spelling, add an alias, or create people/Wiki brackets that go nowhere.md"
    ]


def test_every_person_has_a_page_with_a_title(site: Path, people: list[Contact]) -> None:
    assert len(people) == len(list(FIXTURE.glob("*.md"))) + len(HOSTILE_FILE_NAMES)
    for contact in people:
        page = site / "people" / contact.slug / "index.html"
        assert page.is_file(), contact.src_uri
        heading = soup(page).select_one("article h1")
        assert heading is not None and heading.get_text(strip=True), contact.src_uri


def test_values_are_shown_as_text(site: Path) -> None:
    """The payloads are visible, letter for letter, as what they are: text."""
    logger = soup(site / "people" / "console-logger" / "index.html")
    name = "Console <img src=x onerror=\"console.log('kith-injected')\"> Logger"
    title = logger.select_one("article h1")
    assert title is not None
    assert title.get_text().removesuffix("¶") == name
    assert logger.select_one("title").get_text().startswith(name)  # type: ignore[union-attr]
    page = soup(site / "people" / "script-kiddie" / "index.html")
    card = page.select_one(".kith-card")
    assert card is not None
    text = card.get_text()
    for shown in (
        "<img src=x onerror=alert(1)>",
        '{: onclick="alert(1)" }',
        "javascript:alert(1)",
        "[[Wiki]] brackets | a | table | breaker",
        "<iframe src=javascript:alert(1)></iframe>",
    ):
        assert shown in text, shown


def test_no_page_holds_executable_markup(site: Path) -> None:
    """No event handler, script URL, foreign script or plug-in anywhere in the HTML."""
    found: list[str] = []
    for path in html_files(site):
        page = soup(path)
        where = path.relative_to(site).as_posix()
        for element in page.find_all(True):
            assert isinstance(element, Tag)
            for name, value in element.attrs.items():
                if name.lower().startswith("on"):
                    found.append(f"{where}: <{element.name} {name}>")
                if name.lower() in URL_ATTRIBUTES and _script_url(str(value)):
                    found.append(f"{where}: <{element.name} {name}={value!r}>")
        for script in page.find_all("script"):
            assert isinstance(script, Tag)
            source = str(script.get("src", ""))
            if source and not re.match(r"^/?(\.\./)*(assets|search)/", source):
                found.append(f"{where}: script from {source}")
            if "alert" in script.get_text() or INJECTED in script.get_text():
                found.append(f"{where}: inline script {script.get_text()[:60]!r}")
        article = page.select_one("article")
        if article is not None:
            for element in article.select("script, style, iframe, object, embed, form, base"):
                found.append(f"{where}: <{element.name}> in the article")
    assert found == []


def test_no_raw_script_tag_in_any_output(site: Path) -> None:
    """``<script>alert`` appears only escaped in HTML, the search index and the sitemap.

    ``<title>`` is left out: its content is text to a browser (the theme unescapes it there).
    """
    for path in [*html_files(site), *site.rglob("*.json"), *site.rglob("*.xml")]:
        text = _TITLE.sub("", path.read_text(encoding="utf-8"))
        assert "<script>alert" not in text, path
        assert "<img src=x onerror" not in text, path
        assert "onerror=alert" not in text.replace("onerror=alert(1)&gt;", ""), path


def test_table_rows_keep_their_columns(site: Path) -> None:
    """``|`` in data never splits a cell: every row of every table has the header's width."""
    checked = 0
    for path in html_files(site):
        for table in soup(path).select("article table"):
            header = table.select("thead th")
            if not header or table.select("[colspan]"):
                continue
            for row in table.select("tbody tr"):
                assert len(row.select("td, th")) == len(header), (path, row.get_text()[:80])
                checked += 1
    assert checked >= 10


def test_long_values_wrap_in_the_card(site: Path) -> None:
    css = (site / "assets" / "kith.css").read_text(encoding="utf-8")
    # break-word: a value breaks mid-word only when it is wider than the card's line.
    assert re.search(r"\.kith-card dd\s*\{[^}]*overflow-wrap:\s*break-word", css)
    assert re.search(r"\.kith-card dl\s*\{[^}]*minmax\(0, 1fr\)", css)  # the column may shrink


def test_line_breaks_in_values_inject_no_calendar_event(site: Path) -> None:
    """A name holding ``\\nEND:VEVENT\\nBEGIN:VEVENT`` stays inside its own SUMMARY."""
    text = (site / "follow-ups.ics").read_text(encoding="utf-8")
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert events
    assert len(events) == text.count("\nBEGIN:VEVENT")
    summaries = [str(event["SUMMARY"]) for event in events]
    assert not any(summary.strip() == INJECTED for summary in summaries)
    assert any("SUMMARY:kith-injected" in summary for summary in summaries)


def test_line_breaks_in_values_inject_no_vcard(people: list[Contact]) -> None:
    cards = list(vobject.readComponents(vcards(people)))
    assert len(cards) == len(people)
    assert INJECTED not in [card.fn.value for card in cards]


def _script_url(value: str) -> bool:
    normal = re.sub(r"[\x00-\x20]", "", value).lower()
    return normal.startswith(("javascript:", "vbscript:", "data:text"))


# In the browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


LIVE_DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const name of el.getAttributeNames()) {
      const value = (el.getAttribute(name) || '').replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (name.toLowerCase().startsWith('on')) bad.push(el.tagName + ' ' + name);
      if (value.startsWith('javascript:') || value.startsWith('vbscript:'))
        bad.push(el.tagName + ' ' + name + '=' + value);
    }
  }
  return bad;
}"""


@needs_chromium
def test_no_script_runs_and_every_page_renders(
    browser: Any, base_url: str, people: list[Contact]
) -> None:
    urls = [*GENERATED, *(f"people/{c.slug}/" for c in people)]
    problems: dict[str, list[str]] = {}
    for url in urls:
        with visit(browser, base_url + url) as page:
            found = [f"dialog: {text}" for text in page.dialogs]
            found += [f"console: {t}" for _, t in page.console if INJECTED in t or "alert" in t]
            found += [f"error: {e}" for e in page.errors if INJECTED in e or "alert" in e]
            if not page.page.locator("article h1").first.is_visible():
                found.append("no visible h1")
            found += page.page.evaluate(LIVE_DOM_CHECK)
            # A 5,000-character value wraps; it never makes the page screens wide.
            width = page.page.evaluate("document.documentElement.scrollWidth")
            if width > 1.1 * VIEWPORT["width"]:
                found.append(f"{width}px wide")
            if found:
                problems[url] = found
    assert len(urls) >= len(people) + 2
    assert problems == {}


@needs_chromium
@pytest.mark.parametrize("query", ["onerror", "Kiddie", "Logger", "Pipe"])
def test_searching_the_payloads_runs_nothing(browser: Any, base_url: str, query: str) -> None:
    with visit(browser, base_url) as home:
        results = open_search(home.page, query)
        assert results
        assert home.dialogs == []
        assert [t for _, t in home.console if INJECTED in t] == []
        assert home.page.evaluate(LIVE_DOM_CHECK) == []


# Classic vectors, each sanitized and then parsed by the browser itself.
VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img/src/onerror=alert(1)>",
    '<svg onload="alert(1)">',
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<input autofocus onfocus=alert(1)>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)"></style></mglyph>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a id="x" href="javascript:alert(1)">x</a>',
    '<a id="x" href="jav&#x09;ascript:alert(1)">x</a>',
    '<a id="x" href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    '<a id="x" href=" &#14; javascript:alert(1)">x</a>',
    '<form><button id="x" formaction="javascript:alert(1)">x</button></form>',
    '<svg><a id="x" xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
    '<svg><a id="x"><animate attributeName="href" values="javascript:alert(1)"/>'
    '<text y="20">x</text></a></svg>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//"><a id="x" href="y">x</a>',
    '<style>@import "javascript:alert(1)";</style>',
    '<textarea><img src=x onerror="alert(1)"></textarea>',
    '<script type="application/json"></script><script>alert(1)</script>',
    '<template><img src=x onerror="alert(1)"></template>',
    '<marquee onstart="alert(1)">x</marquee>',
    # Only the first value of an animation's list was checked:
    '<svg><a id="x" href="#a"><animate attributeName="href" values="#a;javascript:alert(1)"'
    ' begin="0s"/><text y="20">x</text></a></svg>',
    '<svg><a id="x"><set attributeName="href" to="javascript:alert(1)"/>'
    '<text y="20">x</text></a></svg>',
    '<a id="x" href="#" style="position:fixed;inset:0;z-index:9999">x</a>',
]


@needs_chromium
def test_classic_vectors_run_nothing_once_sanitized(browser: Any) -> None:
    """Each vector, sanitized, is loaded and its link (if any) clicked: no dialog opens."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for vector in VECTORS:
            page.set_content(f"<!doctype html><body>{sanitize(vector)}</body>")
            if page.locator("#x").count():
                page.locator("#x").first.click(timeout=2_000, force=True)
            page.wait_for_timeout(50)  # lets load, error and toggle events fire
            assert dialogs == [], vector
            assert page.evaluate(LIVE_DOM_CHECK) == [], vector
    finally:
        context.close()
