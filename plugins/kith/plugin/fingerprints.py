"""Prints of what the theme draws: of the whole site (``site_stamp``) and of each page
(``page_print``). Equal prints, equal files: a serve rebuild keeps a page's file when
both are the last build's (``kith.plugin.written``)."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
from collections.abc import Iterable, Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page

from kith.plugin.page import KithPage

_MARKDOWN_OPTIONS = frozenset({"markdown_extensions", "mdx_configs", "plugins", "validation"})
"""Options whose effect on a page is in its HTML (compared per page) or in no page."""
_VERSIONS = ("mkdocs", "mkdocs-material", "jinja2")


def _stable(value: Any, depth: int = 0) -> Any:
    """``value`` as plain data that compares equal across builds when it is the same."""
    if depth > 20:
        return "…"
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict) or hasattr(value, "items"):
        try:
            items = list(value.items())
        except Exception:  # an object that only looks like a mapping
            return type(value).__qualname__
        return tuple(sorted(((str(k), _stable(v, depth + 1)) for k, v in items), key=repr))
    if isinstance(value, list | tuple | set | frozenset):
        items = [_stable(v, depth + 1) for v in value]
        return (
            tuple(sorted(items, key=repr)) if isinstance(value, set | frozenset) else tuple(items)
        )
    return f"{type(value).__module__}.{type(value).__qualname__}:{value}"


def _theme_files(dirs: Iterable[str]) -> Iterator[tuple[str, int, int]]:
    """Each template file of the theme with its size and modification time. An installed
    theme's icons (thousands) count through its version."""
    for top in dirs:
        installed = "-packages" in top
        for root, folders, names in os.walk(top):
            if installed:
                folders[:] = [f for f in folders if f != ".icons"]
            folders.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                yield path, stat.st_size, stat.st_mtime_ns


def site_stamp(config: MkDocsConfig) -> str:
    """What every page of the site shows alike: the options, the theme, the versions."""
    digest = hashlib.blake2b(digest_size=16)
    for key in sorted(config.keys()):
        if key not in _MARKDOWN_OPTIONS:
            digest.update(repr((key, _stable(config[key]))).encode())
    theme = config.theme
    digest.update(repr((theme.name, list(theme.dirs), _stable(dict(theme.items())))).encode())
    for plugin_name, plugin in config.plugins.items():
        options = getattr(plugin, "config", {})
        digest.update(repr((plugin_name, _stable(options))).encode())
    for package in _VERSIONS:
        try:
            digest.update(f"{package}={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    for entry in _theme_files(theme.dirs):
        digest.update(repr(entry).encode())
    return digest.hexdigest()


def nav_items(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        if isinstance(item, Section):
            yield ("section", item.title, tuple(nav_items(item.children)))
        elif isinstance(item, Link):
            yield ("link", item.title, item.url)
        elif isinstance(item, Page):
            yield ("page", item.title, item.url)
        else:
            yield ("other", repr(item))


def _toc(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        yield (item.title, item.id, item.level, tuple(_toc(item.children)))


def _neighbour(page: Any) -> Any:
    return None if page is None else (page.title, page.url)


def page_print(page: Page, nav_print: bytes) -> bytes:
    """What the theme draws of ``page``: equal prints, equal files."""
    digest = hashlib.blake2b(nav_print, digest_size=16)
    ancestors = tuple((a.title, getattr(a, "url", None)) for a in page.ancestors)
    digest.update(
        repr(
            (
                page.file.dest_uri,
                page.url,
                page.title,
                page.canonical_url,
                page.edit_url,
                page.is_homepage,
                str(page.file.inclusion),
                _stable(page.meta),
                tuple(_toc(page.toc)),
                _neighbour(page.previous_page),
                _neighbour(page.next_page),
                ancestors,
            )
        ).encode()
    )
    if isinstance(page, KithPage):
        source, zdict = page.print_source()
        digest.update(_zdict_print(zdict) if zdict else b"html")
        digest.update(source)
    else:
        digest.update(b"html")
        digest.update((page.content or "").encode("utf-8", "surrogatepass"))
    return digest.digest()


def outside_nav(page: Page) -> bool:
    """A page with no place in the navigation and no metadata: what the theme draws of it
    beside its own drawing comes from its address and the options alone."""
    return (
        page.file.inclusion is InclusionLevel.NOT_IN_NAV
        and page.parent is None
        and page.previous_page is None
        and page.next_page is None
        and not page.is_homepage
        and not page.meta
    )


@functools.lru_cache(maxsize=8)
def _zdict_print(zdict: bytes) -> bytes:
    """A packing dictionary's digest: packed bytes mean a page only with their dictionary
    (a session keeps two or three)."""
    return b"packed" + hashlib.blake2b(zdict, digest_size=16).digest()
