"""What an importer hands over (a record per person, the records it could not read) and
what an import reports of each (an outcome, with the keys it left alone)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from kith.core.errors import KithError
from kith.edit.files import Value

Action = Literal["created", "updated", "unchanged", "skipped", "not written"]


@dataclass(frozen=True)
class Record:
    """One person as an export describes them."""

    name: str
    position: str
    """Where the record is in the export, for messages (``line 12``, ``card 3 (line 40)``)."""
    values: Mapping[str, Value] = field(default_factory=dict)
    """Front-matter keys to give the person (text, dates), in any order."""
    emails: tuple[str, ...] = ()
    """Every e-mail address of the record, for matching (the first is also ``email``)."""
    note: str = ""
    """Plain text for a new file's body (escaped: it is data, not Markdown)."""
    left_out: tuple[str, ...] = ()
    """What the record holds that the person's file will not, each with why."""


def decode_export(data: bytes, path: str, hint: str) -> str:
    """An exported file's text: UTF-8, with or without a BOM; else one clear error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise KithError(f"{path}: not UTF-8 (byte {err.start}); {hint}") from None


@dataclass(frozen=True)
class Skip:
    """A record an importer could not read."""

    position: str
    reason: str


@dataclass(frozen=True)
class Kept:
    """A key left alone: the file's value and the one the import offered."""

    key: str
    value: str
    offered: str


@dataclass(frozen=True)
class Outcome:
    action: Action
    position: str
    name: str = ""
    path: str = ""
    changed: tuple[str, ...] = ()
    kept: tuple[Kept, ...] = ()
    reason: str = ""
    notices: tuple[str, ...] = ()
    """What the user should know: values left out, a namesake kept apart, a date unread."""
