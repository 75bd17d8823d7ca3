"""Material's navigation, tabs, search box and palette, drawn once per folder of the
person pages, give every page the bytes it gets when each page draws its own.

Each test builds a real site twice, with the sharing and without it, and compares
every file written; it also says whether markup was shared at all, so a test whose
site shares nothing cannot pass for one that shares correctly.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from kith.plugin import partials

from .conftest import DEMO_TODAY, REPO, build, write_project

PEOPLE = {
    "Ada Lovelace.md": "---\ncompany: Acme\ntier: core\n---\n# Ada Lovelace\n",
    "Ann Lee.md": "---\ncompany: Acme\n---\n# Ann Lee\n\nKnows [[Cy Young]].\n",
    "Bob Stone.md": "---\ncompany: Globex\n---\n# Bob Stone\n",
    "Cy Young.md": "---\ncompany: Globex\n---\n# Cy Young\n",
    "Dee Diaz.md": "---\ncompany: Initech\n---\n# Dee Diaz\n",
}


class _Counted(partials._Drawn):
    made: ClassVar[list[partials._Drawn]] = []

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        _Counted.made.append(self)


def _files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def _both(root: Path, monkeypatch: pytest.MonkeyPatch, strict: bool = True) -> int:
    """Build ``root`` without the sharing and with it; assert every file is the same
    and return how many pages were handed markup drawn for another."""
    with monkeypatch.context() as off:
        off.setattr(partials, "share", lambda *args: None)
        alone = _files(build(root, strict))
    shutil.rmtree(root / "site")
    _Counted.made = []
    monkeypatch.setattr(partials, "_Drawn", _Counted)
    shared = _files(build(root, strict))
    assert sorted(shared) == sorted(alone)
    differ = [name for name in alone if alone[name] != shared[name]]
    assert not differ, f"pages differ when the theme's partials are shared: {differ[:5]}"
    return sum(drawn.given for drawn in _Counted.made)


def _config(root: Path, **changes: Any) -> None:
    path = root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.update(changes)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def test_demo_site_is_the_same_and_shares(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "people", tmp_path / "people")
    shutil.copytree(REPO / "journal", tmp_path / "journal")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p["kith"] for p in config["plugins"] if isinstance(p, dict) and "kith" in p)
    write_project(tmp_path, {}, {**options, "today": DEMO_TODAY})
    persons = len(list((tmp_path / "people").glob("*.md")))
    # Every person page but the first draws none of the four partials itself.
    assert _both(tmp_path, monkeypatch) >= 4 * (persons - 2)


def test_without_directory_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, PEOPLE)
    _config(tmp_path, use_directory_urls=False)
    assert _both(tmp_path, monkeypatch) > 0


def test_a_navigation_with_a_person_and_links_into_person_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ada is in the navigation (her item is the active one on her page); the links to
    Ann's and Cy's logs are written ``#log`` on their own pages and ``../ann-lee/#log``
    on the others': neither's markup may be handed to another page, nor another's to them."""
    write_project(tmp_path, PEOPLE)
    nav = [
        {"Home": "kith/home.md"},
        {"Ada": "Ada Lovelace.md"},
        {"Ann's log": "people/ann-lee/#log"},
        {"Cy's log": "people/cy-young/#log"},
    ]
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = config["theme"]  # and the footer's links to the previous and next page
    _config(
        tmp_path, nav=nav, theme={**theme, "features": [*theme["features"], "navigation.footer"]}
    )
    assert _both(tmp_path, monkeypatch, strict=False) > 0  # Dee's page shares Bob's markup
    ada = (tmp_path / "site" / "people" / "ada-lovelace" / "index.html").read_text("utf-8")
    assert "md-footer__link--prev" in ada  # Home; the links after her are no pages


def test_pages_of_the_navigation_draw_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Companies the Network tab is the active one, on Favors the Follow-up tab: a
    page of the navigation shows where it is, even where it has no link to itself."""
    write_project(tmp_path, PEOPLE)
    nav = [
        {"Home": "kith/home.md"},
        {"Network": [{"People": "kith/people.md"}, {"Companies": "kith/companies.md"}]},
        {"Follow up": [{"Follow-ups": "kith/follow-ups.md"}, {"Favors": "kith/favors.md"}]},
        {"More": [{"Diversity": "kith/diversity.md"}, {"Graph": "kith/graph.md"}]},
    ]
    _config(tmp_path, nav=nav)
    assert _both(tmp_path, monkeypatch) > 0  # the person pages still share


OVERRIDES = {
    "partials/nav.html": (
        '<nav class="mine">{{ page.title }}</nav>',
        '<nav class="mine">{title}</nav>',
        {"partials/nav.html"},
    ),
    # drawn by Material's nav.html, which then is drawn for each page
    "partials/logo.html": (
        "<span>{{ page.title }}</span>",
        "<span>{title}</span>",
        {"partials/nav.html"},
    ),
    "partials/palette.html": (
        "<p>{{ page.url }}</p>",
        "<p>people/{name}/</p>",
        {"partials/palette.html"},
    ),
    # imported with the page's context; every partial reads it
    "partials/language.html": (
        "{% macro t(key) %}{{ page.title if key == 'nav' else key }}{% endmacro %}",
        'aria-label="{title}"',
        None,
    ),
    # a block of the site's own over Material's, which it draws through super()
    "main.html": (
        '{% extends "base.html" %}{% block config %}<p>{{ page.title }}</p>'
        "{{ super() }}{% endblock %}",
        "<p>{title}</p>",
        set(),
    ),
}


@pytest.mark.parametrize("override", sorted(OVERRIDES))
def test_a_partial_overridden_is_drawn_for_each_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, override: str
) -> None:
    """``None``: nothing is shared; else the partials drawn for each page."""
    text, shows, unshared = OVERRIDES[override]
    write_project(tmp_path, PEOPLE, extra_files={f"overrides/{override}": text})
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    _config(tmp_path, theme={**config["theme"], "custom_dir": "overrides"})
    _both(tmp_path, monkeypatch)
    site = tmp_path / "site"
    for name, title in (("ada-lovelace", "Ada Lovelace"), ("dee-diaz", "Dee Diaz")):
        html = (site / "people" / name / "index.html").read_text(encoding="utf-8")
        assert shows.format(name=name, title=title) in html
    names = {drawn.name for drawn in _Counted.made}
    if unshared is None:
        assert not names
    else:
        assert names and not unshared & names  # the others still are shared


def test_an_icons_folder_of_the_site_stops_the_sharing_of_what_draws_icons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Material draws icons by a name made as it draws (``".icons/" ~ icon``): a site's
    own icons could be templates reading the page."""
    icon = "<svg><title>{{ page.title }}</title></svg>"
    write_project(tmp_path, PEOPLE, extra_files={"overrides/.icons/material/library.svg": icon})
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    _config(tmp_path, theme={**config["theme"], "custom_dir": "overrides"})
    _both(tmp_path, monkeypatch)
    html = (tmp_path / "site" / "people" / "dee-diaz" / "index.html").read_text(encoding="utf-8")
    assert "<title>Dee Diaz</title>" in html  # the logo, in the navigation's header


HOOK = """
def on_page_context(context, page, config, nav):
    nav.items[0].title = "Home, from " + page.title
    return context
"""


def test_a_hook_of_the_site_stops_the_sharing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hook may change what the navigation shows on each page."""
    write_project(tmp_path, PEOPLE, extra_files={"hooks.py": HOOK})
    _config(tmp_path, hooks=["hooks.py"])
    assert _both(tmp_path, monkeypatch) == 0
    html = (tmp_path / "site" / "people" / "dee-diaz" / "index.html").read_text(encoding="utf-8")
    assert "Home, from Dee Diaz" in html


class _Page:
    def __init__(self, url: str) -> None:
        self.url = url


@pytest.mark.fast
@pytest.mark.parametrize("ann", ['<a href="{{ "people/ann/#log" | url }}">Ann</a>', ""])
def test_links_of_a_shared_partial_drawn_inside_another_are_the_others_too(ann: str) -> None:
    """The inner partial links into Cy's folder: the outer markup drawn for Ann or Bob
    holds that link too, whether the inner one was drawn then or handed over, so Cy's
    page cannot be handed it. (With a link to Ann the outer one is first drawn for Bob.)"""
    import jinja2
    from mkdocs.utils.templates import url_filter

    templates = {
        "inner": '<a href="{{ "people/cy/#log" | url }}">Cy</a>',
        "outer": ann + '{% include "inner" %}',
    }
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    env.filters["url"] = partials._recorded(url_filter)
    for name in templates:
        template = env.get_template(name)
        template.root_render_func = partials._Drawn(name, template.root_render_func, frozenset())
    plain = jinja2.Environment(loader=jinja2.DictLoader(templates))
    plain.filters["url"] = url_filter
    for who in ("ann", "bob", "cy", "dee"):
        context = {"page": _Page(f"people/{who}/"), "base_url": "../.."}
        expected = plain.get_template("outer").render(context)
        assert env.get_template("outer").render(context) == expected, who
    cy = env.get_template("outer").render({"page": _Page("people/cy/"), "base_url": ""})
    assert cy.endswith('<a href="#log">Cy</a>')


_PROPERDOCS = """
import atexit, sys
from properdocs.__main__ import cli  # first: it stands in for mkdocs from then on
from kith.plugin import partials
made = []
class Counted(partials._Drawn):
    def __init__(self, *args):
        super().__init__(*args)
        made.append(self)
partials._Drawn = Counted
if sys.argv[1] == "off":
    partials.share = lambda *args: None
atexit.register(lambda: print("shared", sum(drawn.given for drawn in made)))
cli(["build", "--strict", "-f", sys.argv[2], "-d", sys.argv[3]])
"""


def test_properdocs_gives_the_same_pages(tmp_path: Path) -> None:
    """ProperDocs writes links with its own ``url`` filter, MkDocs' function."""
    import os
    import subprocess
    import sys

    pytest.importorskip("properdocs")
    write_project(tmp_path, PEOPLE)
    sites = {}
    for mode in ("off", "on"):
        site = tmp_path / f"site-{mode}"
        run = subprocess.run(
            [sys.executable, "-c", _PROPERDOCS, mode, str(tmp_path / "mkdocs.yml"), str(site)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        assert run.returncode == 0, run.stderr
        assert ("shared 0" in run.stdout) == (mode == "off"), run.stdout
        sites[mode] = _files(site)
    assert sorted(sites["on"]) == sorted(sites["off"])
    assert [name for name in sites["off"] if sites["off"][name] != sites["on"][name]] == []
