"""The table of front-matter keys agrees with the contact it fills and the reader of each type."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest
from kith.core import keys
from kith.core.model import Contact
from kith.reading.properties import convert

NOT_FROM_FRONT_MATTER = {
    "src_uri",
    "path",
    "slug",
    "extra",
    "key_lines",
    "body",
    "body_line",
    "entries",
    "links",
    "emails",
}
"""Contact fields kith fills itself: from the file's place, its body, the keys it does not know
(``emails``: every address of the ``email`` key, whose field holds the first)."""

A_VALUE: dict[str, Any] = {
    "text": "Acme",
    "list": ["Acme"],
    "tags": ["#acme"],
    "emails": ["jane@example.com", "jd@example.org"],
    "date": "2026-03-02",
    "birthday": "12-04",
    "bool": True,
    "tier": "core",
    "cadence": "30d",
    "link": "[[Jane Doe]]",
}


def test_every_contact_field_is_a_key_or_filled_by_kith() -> None:
    # What a person page's profile (pages/registry.py) compares is the keys' fields:
    # a new Contact field has to be one or the other.
    assert {f.name for f in fields(Contact)} == {*keys.FIELDS, *NOT_FROM_FRONT_MATTER}
    assert len(keys.FIELDS) == len(set(keys.FIELDS))


@pytest.mark.parametrize("key", list(keys.READ))
def test_every_read_key_sets_its_field(key: str) -> None:
    known = keys.READ[key]
    fields = list(convert(key, A_VALUE[known.type], ("core",)))
    assert fields == ([known.field, "emails"] if known.type == "emails" else [known.field])


def test_kept_keys_stay_out_of_the_fields() -> None:
    kept = [k.name for k in keys.KEYS if k.type == "kept"]
    assert kept == [keys.DEPARTMENT, keys.PAST_COMPANIES, keys.GIVEN_NAME, keys.FAMILY_NAME]
    assert not set(kept) & set(keys.READ)


def test_the_importers_key_order() -> None:
    places = [k.import_place for k in keys.KEYS if k.import_place is not None]
    assert sorted(places) == list(range(len(places)))
    assert keys.IMPORT_ORDER[:5] == ("name", "aliases", "company", "role", "department")
    assert keys.IMPORT_ORDER[-3:] == ("birthday", "given_name", "family_name")


def test_git_follows_the_timeline_and_contact_info_keys() -> None:
    assert keys.TIMELINE == ("company", "role", "location", "industry", "tier")
    assert set(keys.CONTACT_INFO) == {
        "email",
        "phone",
        "linkedin",
        "website",
        "company",
        "role",
        "location",
    }
