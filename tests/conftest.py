"""Shared helpers: real MkDocs builds of real folders."""

from __future__ import annotations

import inspect
import os
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
DEMO_TODAY = "2026-11-21"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def write_project(
    root: Path,
    people: Mapping[str, str | bytes],
    options: Mapping[str, Any] | None = None,
    extra_files: Mapping[str, str | bytes] | None = None,
) -> Path:
    """A kith project in ``root``: the repository's mkdocs.yml with ``options`` for kith."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    kith_options: dict[str, Any] = {"today": DEMO_TODAY, **(options or {})}
    config["plugins"] = ["search", {"kith": kith_options}]
    config["site_dir"] = str(root / "site")
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for name, content in {**dict(people), **{}}.items():
        _write(root / "people" / name, content)
    for name, content in (extra_files or {}).items():
        _write(root / name, content)
    (root / "people").mkdir(exist_ok=True)
    return root


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def build(root: Path, strict: bool = True) -> Path:
    """Build ``root/mkdocs.yml`` in-process, as ``mkdocs build [--strict]`` does."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=strict)
        # As ``mkdocs build`` does: a plugin kept from a serve session builds once now.
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        os.chdir(cwd)
    return root / "site"


def page(site: Path, url: str) -> BeautifulSoup:
    """The parsed HTML of the page at ``url`` (``people/jane-doe/``)."""
    path = site / url / "index.html" if url.endswith("/") or not url else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site: Path, url: str) -> BeautifulSoup:
    found = page(site, url).select_one("article")
    assert found is not None, f"no article in {url}"
    return found  # type: ignore[return-value]


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network in people/, built once with --strict and a fixed today."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "people", root / "people")
    if (REPO / "journal").is_dir():
        shutil.copytree(REPO / "journal", root / "journal")
    write_project(root, {}, {})
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "kith" in plugin:
            options = {**plugin["kith"], "today": DEMO_TODAY}
            write_project(root, {}, options)
    return build(root)


ProjectFactory = Callable[..., Path]


@pytest.fixture
def in_root() -> Any:
    """A serve session in the test changes the working folder: it is put back after."""
    cwd = os.getcwd()
    yield
    os.chdir(cwd)


@pytest.fixture
def project(tmp_path: Path) -> ProjectFactory:
    def make(people: Mapping[str, str | bytes], **kwargs: Any) -> Path:
        return write_project(tmp_path, people, **kwargs)

    return make


_SLOW = re.compile(
    r"\b(?:build|mkdocs_build|Server|subprocess|git\w*|chromium|browser|CliRunner|invoke)\b"
    r"|\bproject\(|demo_site"
)
"""What makes a test slow: a MkDocs build, a serve session, git, a browser, the CLI."""
_SLOW_FIXTURES = {
    "bad_project", "base_url", "browser", "demo_site", "hostile", "omar_project",
    "project", "repo", "site", "vault_site", "report", "people", "demo_people",
}  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test ``fast`` or ``slow``: ``pytest -m fast`` runs the pure tier alone
    (plain functions, no MkDocs build, no git, no browser, no command line)."""
    for item in items:
        if item.get_closest_marker("fast") or item.get_closest_marker("slow"):
            continue
        function = getattr(item, "function", None)
        try:
            source = inspect.getsource(function) if function is not None else ""
        except (OSError, TypeError):
            source = ""
        fixtures = set(getattr(item, "fixturenames", ()))
        slow = bool(_SLOW.search(source) or fixtures & _SLOW_FIXTURES)
        item.add_marker(pytest.mark.slow if slow else pytest.mark.fast)
