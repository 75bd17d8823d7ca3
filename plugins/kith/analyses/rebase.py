"""A carried analysis result with this build's contacts in place of the last build's.

Under ``mkdocs serve`` an analysis whose reads are as last time keeps its last result
(``Site.cached``). That result holds the last build's contacts: equal in what the
analysis read, maybe not in the rest (a tier the Companies page shows but does not
group by). An analysis declared ``rebased`` gets its carried result back with each
contact swapped for this build's of the same file, so that its pages show every field
as it is now; only the containers that hold a swapped contact are made anew.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar

from kith.core.model import Contact

T = TypeVar("T")

_ATOMS = frozenset({str, int, float, bool, bytes, type(None), date})


class Unrebasable(Exception):
    """The result holds something that is not walked (an object of another kind, a
    function): the analysis is worked out again instead."""


def rebase(value: T, current: Mapping[str, Contact]) -> T:
    """``value`` with every contact in it replaced by ``current``'s of the same file; the
    same object where nothing in it changed. Tuples, lists, dictionaries and frozen
    dataclasses are walked; anything else raises ``Unrebasable``."""
    return _Rebaser(current).walk(value)  # type: ignore[no-any-return]


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        params = getattr(kind, "__dataclass_params__", None)
        found = dataclasses.fields(kind)
        if params is None or not params.frozen or any(not f.init for f in found):
            raise Unrebasable(kind.__name__)
        names = _FIELDS[kind] = tuple(f.name for f in found)
    return names


class _Rebaser:
    def __init__(self, current: Mapping[str, Contact]) -> None:
        self.current = current
        self.done: dict[int, Any] = {}
        """``id`` of a container walked → its rebased self (shared parts stay shared)."""

    def walk(self, value: Any) -> Any:
        kind = type(value)
        if kind is Contact:
            return self.current.get(value.src_uri, value)
        if kind in _ATOMS or isinstance(value, str):  # Markup too
            return value
        key = id(value)
        if key in self.done:
            return self.done[key]
        if kind is tuple or kind is list:
            items = [self.walk(v) for v in value]
            out = value if all(a is b for a, b in zip(items, value, strict=True)) else kind(items)
        elif kind is dict:
            pairs = {k: self.walk(v) for k, v in value.items()}
            out = value if all(pairs[k] is v for k, v in value.items()) else pairs
        elif kind is frozenset and all(type(v) in _ATOMS for v in value):
            out = value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for name in _fields(kind):
                old = getattr(value, name)
                new = self.walk(old)
                if new is not old:
                    changes[name] = new
            out = dataclasses.replace(value, **changes) if changes else value
        else:
            raise Unrebasable(kind.__name__)
        self.done[key] = out
        return out
