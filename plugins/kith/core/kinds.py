"""Log kinds that are favors, and in which direction: the built-in ones and the
``favor_kinds`` option's aliases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Direction = Literal["gave", "received"]

GAVE: Direction = "gave"
RECEIVED: Direction = "received"
DEFAULT_FAVOR_KINDS: Mapping[str, Direction] = {
    "gave": GAVE,
    "helped": GAVE,
    "received": RECEIVED,
    "got": RECEIVED,
}
"""Log kind → direction; the ``favor_kinds`` option adds aliases to these."""


def favor_kinds(option: Mapping[object, object] | None) -> dict[str, Direction]:
    """The kind → direction map: the built-in kinds plus the configured aliases.

    Raises ``ValueError`` with the fix when an alias is not one word, maps to
    something other than ``gave`` or ``received``, or redefines a built-in kind.
    """
    kinds: dict[str, Direction] = dict(DEFAULT_FAVOR_KINDS)
    for raw_alias, raw_target in (option or {}).items():
        alias = str(raw_alias).strip().lower()
        target = DEFAULT_FAVOR_KINDS.get(str(raw_target).strip().lower())
        if not alias or not alias.replace("-", "").replace("_", "").isalnum():
            raise ValueError(
                f"'{raw_alias}' is not a log kind: use one word, as written before the colon "
                "(intro: gave)"
            )
        if target is None:
            raise ValueError(
                f"'{raw_alias}' must map to gave or received, not {raw_target!r} (intro: gave)"
            )
        if alias in DEFAULT_FAVOR_KINDS and DEFAULT_FAVOR_KINDS[alias] != target:
            raise ValueError(
                f"'{alias}' is a built-in kind meaning {DEFAULT_FAVOR_KINDS[alias]}; "
                "it cannot be redefined: pick another word"
            )
        kinds[alias] = target
    return kinds
