"""The pipeline's layer rule, checked on the source (as import-linter's "layers" contract).

Data flows one way: files → typed objects → analyses → pages → the MkDocs adapter and
the command line. A package may import only packages of a lower layer (or itself);
packages of one layer are independent of each other; no module imports itself back
through others, not even for type checking.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "kith"

LAYERS: dict[str, int] = {
    "core": 0,  # domain types, errors, options, grammars
    "reading": 1,  # files → Contact, Note
    "git": 1,  # git log → History
    "analyses": 2,  # follow-ups, favors, diversity, graph, Site
    "edit": 2,  # safe edits of contact files
    "pages": 3,  # registry, templates, drawing
    "exchange": 3,  # importers and the export
    "serve": 4,  # what a serve session keeps, what a rebuild redraws
    "build": 5,  # the build as a plain function
    "plugin": 6,  # the MkDocs adapter
    "render": 7,  # the build as plain Markdown for other engines (kith render)
    "cli": 8,  # the command line
}

OWNERS: dict[str, set[str]] = {
    "mkdocs": {"plugin"},
    "material": {"plugin"},
    "click": {"cli"},
    "subprocess": {"git"},
    "jinja2": {"pages", "plugin"},
    "markdown": {"pages", "plugin", "render"},
    "vobject": {"exchange"},
    "icalendar": {"pages", "exchange"},
    "recurring_ical_events": {"exchange"},
    "cryptography": {"plugin"},
}
"""A third-party library (or a way out of the process) and the packages that may use it."""

pytestmark = pytest.mark.fast


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("kith", *parts))] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


MODULES = _modules()
IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "kith" else None


def test_every_module_sits_in_a_layer() -> None:
    loose = [m for m in MODULES if m != "kith" and _layer_of(m) not in LAYERS]
    assert loose == [], f"modules outside the layers {sorted(LAYERS)}: {loose}"


def test_nothing_imports_upward_or_sideways() -> None:
    wrong = []
    for module, imported in IMPORTS.items():
        here = _layer_of(module)
        if here is None:
            continue
        for target in imported:
            there = _layer_of(target)
            if there is None or there == here or there not in LAYERS:
                continue
            if LAYERS[there] >= LAYERS[here]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    graph = {
        module: {t for t in imported if t in MODULES and t != module}
        for module, imported in IMPORTS.items()
    }
    # A package's __init__ is imported by its modules' imports too: leave it out of the
    # edges (it re-exports, it is not a stage).
    graph = {m: {t for t in ts if MODULES[t].name != "__init__.py"} for m, ts in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_each_outside_library_is_used_in_its_own_layer() -> None:
    wrong = []
    for module, imported in IMPORTS.items():
        for target in imported:
            owners = OWNERS.get(target.split(".")[0])
            if owners is not None and _layer_of(module) not in owners:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_rule_catches_an_upward_import(tmp_path: Path) -> None:
    """The checks read real import statements: one written upward is found."""
    module = tmp_path / "followups.py"
    module.write_text("from kith.pages.render import Links\n", encoding="utf-8")
    imported = _imports("kith.analyses.followups", module)
    assert "kith.pages.render" in imported
    assert LAYERS[_layer_of("kith.pages.render") or ""] > LAYERS["analyses"]


def test_the_plugin_class_is_glue() -> None:
    """Each MkDocs event hands over to one call; a build's state lives in ``Building``,
    made fresh each build: the plugin class stays small."""
    import ast

    source = (PACKAGE / "plugin" / "kith_plugin.py").read_text(encoding="utf-8")
    (plugin,) = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and node.name == "KithPlugin"
    ]
    assert plugin.end_lineno is not None
    assert plugin.end_lineno - plugin.lineno < 150
    for node in plugin.body:
        if (
            isinstance(node, ast.FunctionDef)
            and node.name.startswith(("on_", "_"))
            and node.name != "__init__"
        ):
            statements = [s for s in node.body if not isinstance(s, ast.Expr)]
            assert len(statements) <= 4, f"{node.name} does more than hand over"
