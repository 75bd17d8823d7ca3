"""The Markdown extensions Obsidian's syntax needs, whatever ``mkdocs.yml`` lists.

kith promises that what Obsidian shows comes out the same in the site: callouts,
footnotes, ``==highlight==``, ``~~strike~~``, task lists. A ``mkdocs.yml`` with no
``markdown_extensions`` has none of them, so kith adds each one the user's list
does not already provide (by itself or by an extension that bundles it), and leaves
alone what the user configured.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.plugins.kith")


@dataclass(frozen=True)
class Needed:
    """One extension kith needs: what Obsidian writes with it, and what else provides it."""

    name: str
    syntax: str
    options: Mapping[str, Any] = field(default_factory=dict)
    provided_by: frozenset[str] = frozenset()


NEEDED = (
    Needed("footnotes", "footnotes ([^1])", provided_by=frozenset({"extra", "pymdownx.extra"})),
    Needed("pymdownx.mark", "highlights (==text==)"),
    # Obsidian has no subscript: ``~one~`` stays text, as it does there.
    Needed("pymdownx.tilde", "strikethrough (~~text~~)", {"subscript": False}),
    Needed("pymdownx.tasklist", "task lists (- [ ] task)"),
    Needed(
        "pymdownx.quotes",
        "callouts (> [!note] Title)",
        {"callouts": True},
        # Other extensions that read callouts; the user chose one of them.
        frozenset({"callouts", "github-callouts", "markdown_callouts"}),
    ),
)


def _short(name: str) -> str:
    return name.removeprefix("markdown.extensions.")


def ensure_obsidian_syntax(config: MkDocsConfig) -> list[str]:
    """Add to ``config`` the extensions of ``NEEDED`` it lacks; returns the names added.

    An extension the user listed keeps the user's options, except a callout reader
    left without its callouts, which gets them: without them it renders none. An
    extension that cannot be loaded, or callouts turned off by the user, is a
    warning (``--strict`` fails): the pages would show that syntax as raw text.
    """
    listed = {_short(e) for e in config.markdown_extensions if isinstance(e, str)}
    configs: dict[str, Any] = config.mdx_configs
    added: list[str] = []
    for needed in NEEDED:
        if listed & needed.provided_by:
            continue
        if needed.name in listed:
            options = configs.setdefault(needed.name, {}) or {}
            configs[needed.name] = options
            for key, value in needed.options.items():
                if key == "callouts" and options.get(key, value) is not value:
                    log.warning(
                        f"mkdocs.yml: {needed.name} has {key}: {options[key]!r}: Obsidian's "
                        f"{needed.syntax} would show as plain quotes — remove the option"
                    )
                options.setdefault(key, value)
            continue
        module = needed.name if "." in needed.name else f"markdown.extensions.{needed.name}"
        try:
            importlib.import_module(module)
        except ImportError:
            log.warning(
                f"mkdocs.yml: the Markdown extension {needed.name} cannot be loaded: Obsidian's "
                f"{needed.syntax} would show as raw text — install pymdown-extensions"
            )
            continue
        config.markdown_extensions.append(needed.name)
        if needed.options:
            configs[needed.name] = dict(needed.options)
        added.append(needed.name)
    return added
