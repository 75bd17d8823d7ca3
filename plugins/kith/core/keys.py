"""The front-matter keys kith knows: each key's type and what else kith does with it.

A key is added or changed here only: the reader types its value from this table, git's
field changes follow the keys it marks, and the importers write new files in its order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Type = Literal[
    "text",
    "list",
    "tags",
    "emails",
    "date",
    "birthday",
    "bool",
    "tier",
    "cadence",
    "link",
    "kept",
]
"""How a value is read: ``tags`` a list whose ``#`` is dropped, ``cadence`` a follow-up
interval, ``link`` a person's name (brackets allowed), ``birthday`` a date or a month and
day (``12-04``), ``emails`` one address or a list of them (the field holds the first,
``Contact.emails`` all); ``kept`` is not read into a field:
the value stays in ``Contact.extra`` as written."""


@dataclass(frozen=True, slots=True)
class Key:
    """A front-matter key, and what kith does with it besides reading it."""

    name: str
    type: Type
    field: str = ""
    """The ``Contact`` field the value goes to: the key's name unless given here, none
    for a ``kept`` key."""
    contact_info: bool = False
    """A commit changing it counts as a check of the contact info (``pages/stale.py``)."""
    timeline: bool = False
    """A person's timeline shows its old and new values from git."""
    import_place: int | None = None
    """Where an importer writes it in a new file; ``None``: importers do not write it."""

    def __post_init__(self) -> None:
        if not self.field and self.type != "kept":
            object.__setattr__(self, "field", self.name)


PAST_COMPANIES = "past_companies"
DEPARTMENT = "department"
GIVEN_NAME = "given_name"
FAMILY_NAME = "family_name"

KEYS: tuple[Key, ...] = (
    Key("name", "text", import_place=0),
    Key("aliases", "list", import_place=1),
    Key("company", "text", contact_info=True, timeline=True, import_place=2),
    Key("role", "text", contact_info=True, timeline=True, import_place=3),
    Key("location", "text", contact_info=True, timeline=True, import_place=6),
    Key("industry", "list", field="industries", timeline=True, import_place=5),
    Key("tier", "tier", timeline=True, import_place=7),
    Key("follow_up", "cadence"),
    Key("last_contact", "date"),
    Key("next_follow_up", "date"),
    Key("met", "date", import_place=8),
    Key("how_met", "text", import_place=9),
    Key("introduced_by", "link"),
    Key("tags", "tags"),
    Key("email", "emails", contact_info=True, import_place=10),
    Key("phone", "text", contact_info=True, import_place=11),
    Key("linkedin", "text", contact_info=True, import_place=12),
    Key("website", "text", contact_info=True, import_place=13),
    Key("birthday", "birthday", import_place=14),
    Key("worked_with", "bool"),
    Key("checked", "date"),
    Key("reason_to_meet", "text"),
    Key("archived", "bool"),
    Key("publish", "bool"),
    Key(DEPARTMENT, "kept", import_place=4),
    Key(PAST_COMPANIES, "kept"),
    # How an address book files the person, where a guess from the name would not
    # (``Emma de Vries`` needs none; ``Li Wei``, family name first, does).
    Key(GIVEN_NAME, "kept", import_place=15),
    Key(FAMILY_NAME, "kept", import_place=16),
)
"""In ``Contact``'s field order, which is the order of a commit's changes on a timeline."""

READ: Mapping[str, Key] = MappingProxyType({k.name: k for k in KEYS if k.field})
"""The keys read into ``Contact`` fields; any other key stays in ``extra``."""
FIELDS = tuple(k.field for k in READ.values())
"""The ``Contact`` fields the front matter sets."""
TIMELINE = tuple(k.name for k in KEYS if k.timeline)
CONTACT_INFO = tuple(k.name for k in KEYS if k.contact_info)
IMPORT_ORDER = tuple(
    name for _, name in sorted((k.import_place, k.name) for k in KEYS if k.import_place is not None)
)
