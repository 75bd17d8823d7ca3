"""The encrypted build (``encrypt: true``): hosted, the site gives nothing of the network
away without the password, and with it, it is the same wiki.

One build of the demo network (with a photo and a CV named after a person, which pages
link) and one browser: every byte and every path written is searched for the names,
companies, e-mail addresses and note words of the demo; in Chromium the wrong password
shows nothing, the right one shows the pages, the graph, the attached photo and search
results, and a second page opens without asking again.
"""

from __future__ import annotations

import base64
import re
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kith.core.model import Contact
from kith.reading.load import load

from .browser import chromium, needs_chromium, open_search, serve, visit
from .conftest import DEMO_TODAY, REPO, build, write_project

PASSWORD = "correct horse battery staple"
WRONG = "correct horse battery stapler"
SITE_URL = "https://network.example.org/"
PERSON = "Aisha Rahman"
PHOTO = f"{PERSON} headshot.png"
CV = f"{PERSON} CV.pdf"
CV_TEXT = b"%PDF-1.4 Curriculum vitae of Aisha Rahman, confidential\n%%EOF\n"


def _png() -> bytes:
    """A 2x2 teal PNG: enough for a browser to draw an image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x00\x79\x6b" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _demo_options() -> dict[str, Any]:
    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    kith = next(p["kith"] for p in config["plugins"] if isinstance(p, dict) and "kith" in p)
    return {**kith, "today": DEMO_TODAY, "encrypt": True}


def _project(root: Path) -> Path:
    shutil.copytree(REPO / "people", root / "people")
    shutil.copytree(REPO / "journal", root / "journal")
    person = root / "people" / f"{PERSON}.md"
    person.write_text(
        person.read_text(encoding="utf-8") + f"\n![[{PHOTO}]]\n\nHer CV: [[{CV}]]\n",
        encoding="utf-8",
    )
    (root / "people" / PHOTO).write_bytes(_png())
    (root / "people" / CV).write_bytes(CV_TEXT)
    write_project(root, {}, _demo_options())
    mkdocs_yml = root / "mkdocs.yml"
    mkdocs_yml.write_text(
        f"site_url: {SITE_URL}\n" + mkdocs_yml.read_text(encoding="utf-8"), encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def encrypted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = _project(tmp_path_factory.mktemp("encrypted"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KITH_SITE_PASSWORD", PASSWORD)
        yield build(root)


@pytest.fixture(scope="module")
def demo_people() -> list[Contact]:
    return sorted(load(REPO / "people").published, key=lambda c: c.name)


_WORD = re.compile(r"\b[A-Z][a-z]{6,}\b")


def secrets_of(people: list[Contact]) -> set[str]:
    """What must not be readable on the host: names (whole, their parts, their slugs),
    companies, e-mail addresses, and the capitalised words of the notes and journal
    (places, projects, companies) that no file of the theme holds anyway. Short parts
    are left out: any five letters turn up by chance in kilobytes of base64."""
    material = Path(__import__("material").__file__).parent
    theme_text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in material.rglob("*")
        if p.is_file() and p.suffix in (".js", ".map", ".html", ".css", ".json", ".py")
    )
    found: set[str] = set()
    notes = [p.body for p in people]
    notes += [n.read_text(encoding="utf-8") for n in (REPO / "journal").glob("*.md")]
    notes += [n.stem for n in (REPO / "journal").glob("*.md")]
    for person in people:
        found.update({person.name, person.slug, *person.aliases})
        found.update(part for part in person.name.split() if len(part) >= 6)
        found.update(v for v in (person.company, person.email, person.phone) if v)
    found.update(word for text in notes for word in _WORD.findall(text) if word not in theme_text)
    return {s for s in found if len(s) >= 6}


def test_nothing_of_the_network_is_readable_on_the_host(
    encrypted_site: Path, demo_people: list[Contact]
) -> None:
    secrets = secrets_of(demo_people)
    assert len(secrets) > 100, sorted(secrets)  # the search below is a real one
    assert {"Aisha Rahman", "Nordlicht"} <= secrets
    searched = [*secrets, "headshot", "Curriculum", PASSWORD]
    leaks: list[str] = []
    files = [p for p in encrypted_site.rglob("*") if p.is_file()]
    for path in files:
        where = path.relative_to(encrypted_site).as_posix()
        data = path.read_bytes()
        for secret in searched:
            if secret.casefold() in where.casefold():
                leaks.append(f"{where}: path holds {secret!r}")
            if secret.encode("utf-8") in data:
                leaks.append(f"{where}: holds {secret!r}")
    assert leaks == []
    written = {p.relative_to(encrypted_site).as_posix() for p in files}
    person_pages = {w for w in written if re.fullmatch(r"people/[0-9a-f]{24}/index\.html", w)}
    assert len(person_pages) == len(demo_people)
    assert len([w for w in written if re.fullmatch(r"files/[0-9a-f]{24}\.locked", w)]) == 2
    assert not any(w.endswith(".ics") for w in written)  # no plain feed without a secret
    sitemap = (encrypted_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") >= len(demo_people)
    for url in re.findall(r"<loc>([^<]*)</loc>", sitemap):
        assert re.fullmatch(re.escape(SITE_URL) + r"([a-z-]+/)?([0-9a-f]{24}/)?", url), (
            f"sitemap.xml: {url}"
        )
    index = (encrypted_site / "search" / "search_index.json").read_bytes()
    assert re.fullmatch(rb"[A-Za-z0-9+/=]+", index)  # base64 of the sealed index


def test_every_page_is_locked(encrypted_site: Path) -> None:
    pages = list(encrypted_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<title>Locked</title>" in html, page
        assert 'id="kith-sealed"' in html and "kith-unlock.js" in html, page
        assert '<meta name="robots" content="noindex, nofollow">' in html, page
        sealed = re.search(r'data-iterations="\d+">([^<]*)</script>', html)
        assert sealed is not None and len(base64.b64decode(sealed.group(1))) > 100, page


def test_a_sealed_page_opens_with_its_key_only() -> None:
    from cryptography.exceptions import InvalidTag
    from kith.plugin.encrypt import Lock

    lock = Lock(key=b"k" * 32, salt=b"s" * 16, address_key=b"a" * 32)
    other = Lock(key=b"K" * 32, salt=b"s" * 16, address_key=b"A" * 32)
    page = b"<h1>Aisha Rahman</h1>" * 50
    sealed = lock.seal(page)
    assert lock.open(sealed) == page and b"Aisha" not in sealed
    assert lock.seal(page) != sealed  # a new nonce each time
    with pytest.raises(InvalidTag):
        other.open(sealed)
    assert lock.slug("Aisha Rahman.md") == lock.slug("Aisha Rahman.md")
    assert re.fullmatch(r"[0-9a-f]{24}", lock.slug("Aisha Rahman.md"))
    assert lock.slug("Aisha Rahman.md") != other.slug("Aisha Rahman.md")


def test_without_the_password_the_build_stops_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.exceptions import Abort

    root = write_project(
        tmp_path, {"Jane Doe.md": "---\nemail: jane@example.com\n---\n# Jane\n"},
        {"encrypt": True},
    )  # fmt: skip
    for value in (None, ""):
        caplog.clear()
        with pytest.MonkeyPatch.context() as patch:
            if value is None:
                patch.delenv("KITH_SITE_PASSWORD", raising=False)
            else:
                patch.setenv("KITH_SITE_PASSWORD", value)
            with pytest.raises(Abort):
                build(root)
        errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
        assert len(errors) == 1 and "\n" not in errors[0], errors
        assert "KITH_SITE_PASSWORD" in errors[0] and "'encrypt'" in errors[0]
    assert not (root / "site" / "people").exists()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@needs_chromium
def test_in_the_browser_the_password_opens_the_site(
    encrypted_site: Path, browser: Any, demo_people: list[Contact]
) -> None:
    names = [p.name for p in demo_people]
    with serve(encrypted_site) as base_url, visit(browser, base_url) as opened:
        page = opened.page
        form = page.locator("#kith-unlock")
        form.wait_for(state="visible")
        assert page.title() == "Locked"
        page.fill("#kith-password", WRONG)
        page.click("#kith-unlock button")
        page.locator("#kith-unlock-message", has_text="Wrong password").wait_for()
        shown = page.locator("body").inner_text()
        assert not [name for name in names if name in shown]
        assert page.locator("article").count() == 0

        page.fill("#kith-password", PASSWORD)
        page.click("#kith-unlock button")
        page.locator("article").first.wait_for(timeout=20_000)
        assert page.title() != "Locked"
        assert any(name in page.locator("article").inner_text() for name in names)

        # The search index is sealed too: Material's search finds a person by name.
        results = open_search(page, PERSON)
        assert PERSON in results
        page.locator(".md-search-result__item a", has_text=PERSON).first.click()
        page.locator("article h1", has_text=PERSON).wait_for(timeout=20_000)
        assert re.search(r"/people/[0-9a-f]{24}/", page.url), page.url
        # Attached files are sealed too: the photo shows, the CV downloads as itself.
        page.wait_for_function(
            "() => [...document.querySelectorAll('article img')]"
            ".some(i => i.src.startsWith('blob:') && i.naturalWidth === 2)",
            timeout=15_000,
        )
        with page.expect_download(timeout=15_000) as download:
            page.locator("article a", has_text=CV).click()
        assert download.value.suggested_filename == CV
        assert Path(download.value.path()).read_bytes() == CV_TEXT

        # A second page, in the same session: no password asked.
        page.goto(base_url + "graph/", wait_until="networkidle")
        page.locator('article svg[role="img"]').first.wait_for(state="visible", timeout=20_000)
        assert page.locator("#kith-unlock").count() == 0
        assert PERSON in page.locator("article").inner_text()
        assert opened.problems() == []
