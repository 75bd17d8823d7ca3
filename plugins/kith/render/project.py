"""What ``kith render`` reads of a project, and the ``mkdocs.yml`` it writes for the pages.

The project is read as the plugin reads it: the people folder (``docs_dir``), the
journal, the templates and git, with the options under ``- kith:``. The ``mkdocs.yml``
written beside the rendered pages is the user's, less the kith plugin: same theme,
palette, extensions and other plugins, with kith's style sheet and navigation.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kith.build.wiki import Inputs
from kith.core.config import Settings, resolve_today, settings_from_options
from kith.core.directory import is_contact_file
from kith.core.errors import KithError

CONFIG = "mkdocs.yml"
DOCS = "docs"
"""The folder of the rendered pages, beside the written ``mkdocs.yml``."""
CSS_URI = "assets/kith.css"


@dataclass(frozen=True)
class Tagged:
    """A value under a YAML tag kith does not read itself (``!ENV``, ``!!python/name:``),
    written back into the rendered ``mkdocs.yml`` as it was."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` keeping its tags (``Tagged``)."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    tag = str(node.tag)
    if isinstance(node, yaml.ScalarNode):
        return Tagged(tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(tag, loader.construct_sequence(node, deep=True))
    assert isinstance(node, yaml.MappingNode)
    return Tagged(tag, loader.construct_mapping(node, deep=True))


_Loader.add_multi_constructor("!", _tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)


class _Dumper(yaml.SafeDumper):
    """Writes the rendered ``mkdocs.yml``, tags as they were read."""


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


def live(value: Any) -> Any:
    """A configuration value as Python-Markdown is given it: ``!!python/name:`` imported,
    ``!ENV`` read from the environment (as MkDocs does)."""
    if isinstance(value, Mapping):
        return {key: live(item) for key, item in value.items()}
    if isinstance(value, list):
        return [live(item) for item in value]
    if not isinstance(value, Tagged):
        return value
    if value.tag.startswith("tag:yaml.org,2002:python/name:"):
        module, _, name = value.tag.removeprefix("tag:yaml.org,2002:python/name:").rpartition(".")
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            raise KithError(
                f"{CONFIG}: {value.tag.rsplit(':', 1)[-1]} cannot be imported — install the "
                "package that provides it, or remove it from markdown_extensions"
            ) from None
    if value.tag == "!ENV":
        names = value.value if isinstance(value.value, list) else [value.value]
        *variables, default = names if len(names) > 1 else [*names, None]
        return next((os.environ[v] for v in variables if v in os.environ), default)
    return value.value


@dataclass(frozen=True)
class Project:
    """A project as ``kith render`` reads it."""

    root: Path
    config: Mapping[str, Any]
    """``mkdocs.yml``, tags kept."""
    options: Mapping[str, Any]
    """The options under ``- kith:``."""
    settings: Settings
    templates: Path
    journal: Path

    @property
    def docs(self) -> Path:
        return self.root / self.settings.people_dir

    def inputs(self) -> Inputs:
        """What the build reads, as the plugin gives it: the people folder's contact
        files, the journal, the templates and the git history."""
        root, docs = self.root.resolve(), self.docs.resolve()
        files = sorted(
            (src_uri, str(path))
            for src_uri, path in _walk(docs)
            if path.suffix == ".md" and is_contact_file(src_uri)
        )
        git_root = root if docs.is_relative_to(root) else docs.parent
        folders = [docs.relative_to(git_root).as_posix()]
        journal = self.journal.resolve()
        if journal.is_dir() and journal.is_relative_to(git_root):
            folders.append(journal.relative_to(git_root).as_posix())
        return Inputs(
            contact_files=files,
            settings=self.settings,
            templates=self.templates,
            journal=journal,
            journal_shown=self.settings.journal_dir + "/",
            git_root=git_root,
            git_folders=folders,
        )

    def other_files(self) -> list[str]:
        """The people folder's files that are not pages (attachments a note may embed)."""
        return sorted(src_uri for src_uri, path in _walk(self.docs) if path.suffix != ".md")

    def home(self) -> Path | None:
        """The user's own home page (``index.md`` of the people folder, else its
        ``README.md``, as MkDocs has it), if any."""
        found = (self.docs / name for name in ("index.md", "README.md"))
        return next((path for path in found if path.is_file()), None)


def _walk(folder: Path) -> list[tuple[str, Path]]:
    """``(src_uri, path)`` of the folder's files, none hidden (as MkDocs leaves out
    files and folders whose name starts with a dot)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*"):
        src_uri = path.relative_to(folder).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in src_uri.split("/")):
            found.append((src_uri, path))
    return found


def read_config(path: Path) -> dict[str, Any]:
    """``mkdocs.yml`` with its tags; an error names the line and the fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KithError(
            f"no {CONFIG} in {path.parent}: run kith render in the folder holding it, "
            "or pass --project"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise KithError(f"{path}: cannot be read ({err})") from None
    try:
        data = yaml.load(text, Loader=_Loader) or {}
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f"{CONFIG}:{mark.line + 1}:{mark.column + 1}" if mark else CONFIG
        raise KithError(f"{where}: {err.problem or err} — fix the YAML there") from None
    except yaml.YAMLError as err:
        raise KithError(f"{CONFIG}: {err} — fix the YAML") from None
    if not isinstance(data, dict):
        raise KithError(f"{CONFIG}:1:1: expected a mapping of settings (site_name: ...)")
    return data


def _kith_options(config: Mapping[str, Any]) -> dict[str, Any] | None:
    for plugin in config.get("plugins") or []:
        if plugin == "kith":
            return {}
        if isinstance(plugin, Mapping) and "kith" in plugin:
            return dict(live(plugin["kith"]) or {})
    return None


def open_project(root: Path, today: date) -> Project:
    """The project at ``root``, its options checked as the build checks them.

    ``encrypt: true`` fails closed: ``kith render`` writes plain files, and an engine
    without kith cannot seal them."""
    config = read_config(root / CONFIG)
    options = _kith_options(config) or {}
    when = resolve_today(options.get("today"), os.environ, today)
    docs_dir = str(live(config.get("docs_dir", "docs")))
    settings = settings_from_options(options, when, docs_dir)
    if settings.encrypt:
        raise KithError(
            f"{CONFIG}: kith option 'encrypt' is true, and kith render writes plain files "
            "any engine would publish unencrypted — build the encrypted site with the "
            "plugin (mkdocs build or properdocs build), or set encrypt: false"
        )
    return Project(
        root=root,
        config=config,
        options=options,
        settings=settings,
        templates=(root / str(options.get("templates_dir", "templates"))).resolve(),
        journal=(root / settings.journal_dir).resolve(),
    )


def engine_config(project: Project, nav: Sequence[Any] | None, custom_dir: str | None) -> str:
    """The ``mkdocs.yml`` of the rendered pages: the user's, less the kith plugin, with
    the rendered folder, kith's style sheet, the navigation (``nav``; ``None``: the
    user's own, its kith pages moved to their rendered paths) and the theme overrides."""
    config = dict(project.config)
    config["docs_dir"] = DOCS
    config["site_dir"] = "site"
    config["use_directory_urls"] = True  # the addresses the pages' links were drawn for
    if "plugins" in config:
        config["plugins"] = [
            p
            for p in config["plugins"] or []
            if p != "kith" and not (isinstance(p, Mapping) and "kith" in p)
        ]
    css = [c for c in config.get("extra_css") or [] if c != CSS_URI]
    config["extra_css"] = [*css, CSS_URI]
    if nav is not None:
        config["nav"] = list(nav)
    config.setdefault("not_in_nav", "/people/\n/journal/\n")
    theme = config.get("theme")
    if custom_dir is not None and isinstance(theme, Mapping) and "custom_dir" not in theme:
        config["theme"] = {**theme, "custom_dir": custom_dir}
    elif isinstance(theme, Mapping) and "custom_dir" in theme:  # the user's, where it is
        config["theme"] = {**theme, "custom_dir": str(project.root / theme["custom_dir"])}
    head = "# Written by kith render from the project's mkdocs.yml: edit that one, not this.\n"
    body = yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return head + body
