"""A carried analysis result given this build's contacts (``kith.analyses.rebase``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest
from kith.analyses.rebase import Unrebasable, rebase
from kith.core.model import Contact

pytestmark = pytest.mark.fast


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    people: tuple[Contact, ...]


def _people() -> tuple[Contact, Contact, Contact]:
    return (
        Contact("a.md", "people/a.md", "Ann", tier="active"),
        Contact("b.md", "people/b.md", "Bob"),
        Contact("c.md", "people/c.md", "Cy"),
    )


def test_only_what_holds_a_changed_contact_is_made_anew() -> None:
    ann, bob, cy = _people()
    first, second = Group("One", (ann, bob)), Group("Two", (cy,))
    result = {"groups": (first, second), "by_letter": [("O", [first]), ("T", [second])], "n": 3}
    core_ann = dataclasses.replace(ann, tier="core")
    now = {"a.md": core_ann, "b.md": bob, "c.md": cy}
    rebased = rebase(result, now)
    assert rebased["groups"][0].people == (core_ann, bob)
    assert rebased["groups"][0].people[0] is core_ann
    assert rebased["groups"][1] is second  # nobody in it changed: the same object
    assert rebased["by_letter"][0][1][0] is rebased["groups"][0]  # shared stays shared
    assert rebased["by_letter"][1] is result["by_letter"][1]
    assert result["groups"][0].people[0] is ann  # the carried result is left as it was
    assert rebase(result, {"a.md": ann, "b.md": bob, "c.md": cy}) is result


def test_a_result_holding_what_is_not_walked_is_worked_out_again() -> None:
    ann = _people()[0]

    class Opaque:
        def __init__(self, contact: Contact) -> None:
            self.contact = contact

    now = {"a.md": ann}
    with pytest.raises(Unrebasable):
        rebase({"x": Opaque(ann)}, now)
    with pytest.raises(Unrebasable):
        rebase({"draw": lambda: ann}, now)

    @dataclass
    class Mutable:
        contact: Contact

    with pytest.raises(Unrebasable):
        rebase((Mutable(ann),), now)
