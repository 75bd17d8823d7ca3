"""The site as a person sees it on a phone and on a desktop, in the light and dark palettes.

Every generated page and a sample of person pages of the demo are opened in Chromium at
390 px (a phone) and 1280 px, with the system asking for light and for dark; the pages
of a network of one person and of an empty one at 390 px in both. On each: the page must not
scroll sideways, no word may break mid-word, and axe-core (the engine behind
Lighthouse's audit; its script ships in the axe-playwright-python package) must report
no serious or critical violation, colour contrast included. Screenshots of every look
go to ``test-artifacts/looks/``.

The looks are taken once, by two browsers in two threads (Playwright's sync API wants
one per thread), and judged by the tests below.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from kith.pages.registry import PAGES
from kith.plugin.addresses import page_dest

from .browser import (
    ARTIFACTS,
    PHONE,
    VIEWPORT,
    axe_script,
    axe_violations,
    chromium,
    needs_chromium,
    serve,
    sideways_overflow,
    widest_elements,
)
from .conftest import build, write_project

pytestmark = needs_chromium

GENERATED = [page_dest(spec, True, False).removesuffix("index.html") for spec in PAGES]
"""URL of every generated page, relative to the site root (Home is ``""``)."""
WIDTHS = {"phone": PHONE, "desktop": VIEWPORT}
SCHEMES = {"light": "default", "dark": "slate"}
"""What the system asks for → Material's colour scheme on ``body``."""
LOOKS = [(width, scheme) for width in WIDTHS for scheme in SCHEMES]
PHONE_LOOKS = [look for look in LOOKS if look[0] == "phone"]
"""The small networks are looked at on a phone only: their pages are mostly words."""
PERSON_SAMPLE = 4
SHOTS = ARTIFACTS / "looks"

ONE_PERSON = """---
name: Ana Lima
company: Quellwerk
role: Staff Engineer
industry: Software
tier: core
email: ana.lima@example.com
linkedin: https://www.linkedin.com/in/ana-lima-a-rather-long-profile-name-1234567890
---

# Ana Lima

## Log

- 2026-10-01 coffee: Talked about her team.
- [ ] 2026-11-01 gave: Send her the retro template.
"""

PROBES = """() => {
  // Words drawn on two lines though they fit on one line of their box ("Amar|a"). A token
  // between spaces may break after a hyphen or a slash; one wider than its box, anywhere.
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const lines = (start, end, node) => {
    range.setStart(node, start); range.setEnd(node, end);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    const tops = new Set(rects.map(r => Math.round(r.top)));
    return [tops.size, rects.reduce((sum, r) => sum + r.width, 0)];
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const box = node.parentElement.closest('td, th, dd, dt, li, p, h1, h2, h3, figcaption');
    if (!box || node.parentElement.closest('svg, code, pre')) continue;
    for (let token, tokens = /\\S+/g; (token = tokens.exec(node.textContent)); ) {
      const [, width] = lines(token.index, token.index + token[0].length, node);
      if (width >= box.clientWidth) continue;
      for (let part, parts = /[^\\-\\/–—]+[\\-\\/–—]?/g; (part = parts.exec(token[0])); ) {
        const at = token.index + part.index;
        if (part[0].length > 1 && lines(at, at + part[0].length, node)[0] > 1) {
          broken.push(part[0]);
        }
      }
    }
  }
  const card = document.querySelector('.kith-card dl');
  let stacked = null;
  if (card) {
    const dt = card.querySelector('dt'), dd = card.querySelector('dd');
    stacked = dd.getBoundingClientRect().top >= dt.getBoundingClientRect().bottom - 1;
  }
  const label = document.querySelector('.kith-graph-svg text');
  const graphLabel = label ? label.getBoundingClientRect().height : null;
  return {broken, stacked, graphLabel, scheme: document.body.dataset.mdColorScheme};
}"""
"""What else a look records: words broken mid-word, whether the person card's first value
sits under its label, the drawn height of a graph label, the colour scheme shown."""


@dataclass
class Look:
    """One page at one width in one palette, as the browser drew it."""

    url: str
    overflow: int
    widest: list[str]
    violations: list[str]
    broken_words: list[str]
    stacked: bool | None
    graph_label: float | None
    scheme: str
    screenshot: Path


@dataclass
class Site:
    """A built site, its pages to look at, and the looks taken of them."""

    name: str
    root: Path
    urls: list[str]
    widths: list[tuple[str, str]]
    looks: dict[tuple[str, str], list[Look]] = field(default_factory=dict)


def person_sample(site: Path, count: int) -> list[str]:
    urls = sorted(f"people/{p.parent.name}/" for p in (site / "people").glob("*/index.html"))
    return urls[:: max(1, len(urls) // count)][:count]


def shot_name(site: str, url: str, width: str, scheme: str) -> str:
    page = url.strip("/").replace("/", "-") or "home"
    return f"{site}-{page}-{width}-{scheme}.png"


def take_looks(browser: Any, site: Site, base_url: str, width: str, scheme: str) -> list[Look]:
    """Open each of the site's pages in one browser context; what each looked like."""
    looks = []
    context = browser.new_context(viewport=WIDTHS[width], color_scheme=scheme)
    context.add_init_script(script=axe_script())  # every page has axe ready
    page = context.new_page()
    try:
        for url in site.urls:
            page.goto(base_url + url, wait_until="load")
            probes = page.evaluate(PROBES)
            overflow = sideways_overflow(page)
            shot = SHOTS / shot_name(site.name, url, width, scheme)
            page.screenshot(path=str(shot), full_page=width == "phone")
            looks.append(
                Look(
                    url=url or "(home)",
                    overflow=overflow,
                    widest=widest_elements(page) if overflow > 0 else [],
                    violations=axe_violations(page),
                    broken_words=probes["broken"],
                    stacked=probes["stacked"],
                    graph_label=probes["graphLabel"],
                    scheme=probes["scheme"],
                    screenshot=shot,
                )
            )
    finally:
        context.close()
    return looks


def take_scheme(sites: list[Site], bases: dict[str, str], scheme: str) -> None:
    """Every look in one palette, in one browser of this thread's own."""
    with chromium() as browser:
        for site in sites:
            for width, wanted in site.widths:
                if wanted == scheme:
                    site.looks[width, scheme] = take_looks(
                        browser, site, bases[site.name], width, scheme
                    )


@pytest.fixture(scope="module")
def sites(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Site]]:
    one = build(write_project(tmp_path_factory.mktemp("one"), {"Ana Lima.md": ONE_PERSON}))
    empty = build(write_project(tmp_path_factory.mktemp("empty"), {}))
    built = [
        Site("demo", demo_site, [*GENERATED, *person_sample(demo_site, PERSON_SAMPLE)], LOOKS),
        Site("one", one, [*GENERATED, *person_sample(one, 1)], PHONE_LOOKS),
        Site("empty", empty, GENERATED, PHONE_LOOKS),
    ]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    with serve(demo_site) as demo, serve(one) as one_url, serve(empty) as empty_url:
        bases = {"demo": demo, "one": one_url, "empty": empty_url}
        with ThreadPoolExecutor(max_workers=len(SCHEMES), thread_name_prefix="looks") as pool:
            for done in [pool.submit(take_scheme, built, bases, s) for s in SCHEMES]:
                done.result()
    yield built


def every_look(sites: list[Site], width: str, scheme: str) -> Iterator[tuple[str, Look]]:
    for site in sites:
        for look in site.looks.get((width, scheme), []):
            yield f"{site.name} {look.url}", look


def report(found: dict[str, list[str]]) -> str:
    """One line per page and finding, for a failure a person can read."""
    return "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)


@pytest.mark.parametrize(("width", "scheme"), LOOKS)
def test_the_page_never_scrolls_sideways(sites: list[Site], width: str, scheme: str) -> None:
    """A table too wide for the screen scrolls in its own box; the page stays put."""
    looks = dict(every_look(sites, width, scheme))
    wide = {
        name: [f"{look.overflow} px too wide", *look.widest]
        for name, look in looks.items()
        if look.overflow > 0
    }
    assert not wide, report(wide)
    assert len(looks) > len(GENERATED)  # the record is real: the pages were looked at


@pytest.mark.parametrize(("width", "scheme"), LOOKS)
def test_no_serious_accessibility_violation(sites: list[Site], width: str, scheme: str) -> None:
    """axe-core's audit: colour contrast, names, roles, links told apart from text..."""
    found = {name: look.violations for name, look in every_look(sites, width, scheme)}
    bad = {name: violations for name, violations in found.items() if violations}
    assert not bad, report(bad)


@pytest.mark.parametrize(("width", "scheme"), LOOKS)
def test_the_palette_is_the_one_the_system_asks_for(
    sites: list[Site], width: str, scheme: str
) -> None:
    """Each look was taken in the palette it is named for (else the dark audit is a
    second light one)."""
    shown = {look.scheme for _, look in every_look(sites, width, scheme)}
    assert shown == {SCHEMES[scheme]}


def test_words_break_only_where_words_break(sites: list[Site]) -> None:
    """No word is split across two lines when it would fit on one ("Amar a Okafo r"): lines
    break at spaces, after hyphens and slashes, or inside a word wider than its box."""
    found = {
        f"{name} {width}": look.broken_words
        for width, scheme in LOOKS
        for name, look in every_look(sites, width, scheme)
        if look.broken_words and scheme == "light"
    }
    assert not found, report(found)


def test_the_person_card_stacks_its_labels_on_a_phone(sites: list[Site]) -> None:
    for width, stacks in (("phone", True), ("desktop", False)):
        cards = {
            name: look.stacked
            for name, look in every_look(sites, width, "light")
            if look.stacked is not None
        }
        assert len(cards) >= PERSON_SAMPLE, cards
        assert set(cards.values()) == {stacks}, (width, cards)


def test_graph_labels_are_readable_on_a_phone(sites: list[Site]) -> None:
    """The drawing keeps its size on a phone (it pans in its box): a label is as tall as on
    the desktop, not shrunk to a third."""
    graph = next(u for u in GENERATED if u.startswith("graph"))
    heights = {
        width: next(
            look.graph_label for look in sites[0].looks[width, "light"] if look.url == graph
        )
        for width in WIDTHS
    }
    assert heights["phone"] is not None and heights["desktop"] is not None, heights
    assert heights["phone"] >= 11, heights


def test_screenshots_are_kept(sites: list[Site]) -> None:
    shots = [look.screenshot for _, looks in _all(sites) for look in looks]
    assert len(shots) == sum(len(site.urls) * len(site.widths) for site in sites)
    small = [shot.name for shot in shots if shot.stat().st_size < 5_000]
    assert not small


def _all(sites: list[Site]) -> Iterator[tuple[str, list[Look]]]:
    for site in sites:
        for look, looks in site.looks.items():
            yield f"{site.name} {look}", looks


def test_the_checks_can_fail(demo_site: Path) -> None:
    """A page made wider than the phone, with grey-on-grey text and names broken mid-word,
    fails each check."""
    with serve(demo_site) as base_url, chromium() as browser:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(base_url, wait_until="load")
        page.evaluate(
            """() => document.querySelector('article').insertAdjacentHTML('beforeend',
              '<p style="white-space: nowrap; color: #aaa; background: #ccc">'
              + 'wide '.repeat(80) + '</p>')"""
        )
        assert sideways_overflow(page) > 0
        assert widest_elements(page)
        assert any(v.startswith("color-contrast (serious") for v in axe_violations(page))
        page.evaluate(
            """() => document.querySelector('article').insertAdjacentHTML('beforeend',
              '<p style="width: 9em; word-break: break-all">Amara Okafor, Daniel Mensah</p>')"""
        )
        assert page.evaluate(PROBES)["broken"]
        context.close()
