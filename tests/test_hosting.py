"""Hosting without publishing the network: a secret address for the feed, no note text in
calendar events unless asked, no page a search engine may index, and a warning before
an unencrypted site is hosted."""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from kith.cli import main
from kith.core.config import Settings, hosting_warning
from mkdocs.exceptions import Abort

from .conftest import build, page, write_project

TOKEN = "Zq3vR8-k2PwX_9tLmN4s"
PEOPLE = {
    "Jane Doe.md": "---\ntier: core\n---\n\n## Log\n\n- 2026-05-01 coffee: old\n"
    "- [ ] 2026-11-01 gave: Send her the secret deck\n",
}


def _events(site: Path, path: str) -> list[dict[str, str]]:
    calendar = Calendar.from_ical((site / path).read_bytes())
    return [
        {k: str(v) for k, v in event.items() if k in ("SUMMARY", "DESCRIPTION", "URL")}
        for event in calendar.walk("VEVENT")
    ]


def test_the_feed_holds_names_and_dates_but_no_note_text_by_default(tmp_path: Path) -> None:
    site = build(write_project(tmp_path / "a", PEOPLE))
    (jane,) = _events(site, "follow-ups.ics")
    assert jane["SUMMARY"] == "Follow up with Jane Doe"
    assert "secret deck" not in jane["DESCRIPTION"] and "Promised" not in jane["DESCRIPTION"]
    detailed = build(write_project(tmp_path / "b", PEOPLE, options={"feed_details": True}))
    (jane,) = _events(detailed, "follow-ups.ics")
    assert "Promised 2026-11-01: Send her the secret deck" in jane["DESCRIPTION"]


def test_a_feed_secret_puts_the_feed_at_its_secret_address_only(tmp_path: Path) -> None:
    site = build(write_project(tmp_path, PEOPLE, options={"feed_secret": TOKEN}))
    assert _events(site, f"feeds/{TOKEN}/follow-ups.ics")
    assert not (site / "follow-ups.ics").exists()
    for path in site.rglob("*"):  # no page links it, no index or sitemap names it
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".txt", ".js"):
            assert TOKEN not in path.read_text(encoding="utf-8", errors="replace"), path
    assert "secret address" in page(site, "follow-ups/").get_text()


@pytest.mark.parametrize("secret", ["short", "has spaces in it!!", "x" * 200, 12345])
def test_a_weak_feed_secret_is_refused(tmp_path: Path, secret: object) -> None:
    root = write_project(tmp_path, PEOPLE, options={"feed_secret": secret})
    result = CliRunner().invoke(main, ["--project", str(root), "check"])
    assert result.exit_code == 1 and "kith option 'feed_secret'" in result.output


def test_no_page_may_be_indexed(tmp_path: Path) -> None:
    site = build(write_project(tmp_path, PEOPLE))
    assert (
        (site / "robots.txt").read_text(encoding="utf-8").endswith("User-agent: *\nDisallow: /\n")
    )
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        head = path.read_text(encoding="utf-8").split("</head>")[0]
        assert '<meta name="robots" content="noindex, nofollow">' in head, path


def test_a_site_meant_for_hosting_but_not_encrypted_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = write_project(tmp_path, PEOPLE)
    config = root / "mkdocs.yml"
    config.write_text(
        "site_url: https://network.example.org/\n" + config.read_text("utf-8"), "utf-8"
    )
    check = CliRunner().invoke(main, ["--project", str(root), "check"])
    assert check.exit_code == 1
    assert check.output.startswith(
        "mkdocs.yml:1:1: site_url is set (https://network.example.org/) but the site is"
        " not encrypted"
    )
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build(root, strict=True)
    assert any("the site is not encrypted" in r.getMessage() for r in caplog.records)
    build(root, strict=False)  # it still builds: hosting it is the user's call


def test_an_encrypted_site_is_not_warned_about() -> None:
    url = "https://network.example.org/"
    assert hosting_warning(Settings(today=date(2026, 11, 21)), url)
    assert hosting_warning(Settings(today=date(2026, 11, 21), encrypt=True), url) == ""
    assert hosting_warning(Settings(today=date(2026, 11, 21)), "") == ""


def test_serving_is_not_hosting(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """``mkdocs serve`` sets site_url to its own address: no warning about hosting then."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    root = write_project(tmp_path, PEOPLE)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_url="http://127.0.0.1:8000/")
        config.plugins.on_startup(command="serve", dirty=False)
        with caplog.at_level(logging.WARNING):
            mkdocs_build(config, serve_url="http://127.0.0.1:8000/")
        config.plugins.on_shutdown()
    finally:
        os.chdir(cwd)
    assert not [r for r in caplog.records if "site_url" in r.getMessage()]
