"""The loader: contact files to Contact objects, and every problem with its place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from kith.core import cadence
from kith.core.directory import Directory
from kith.core.model import Contact, KeyLines
from kith.reading.front_matter import split
from kith.reading.load import FileCache, load, load_files, loads
from kith.reading.slugs import slugify


def one(text: str | bytes, **kwargs: object) -> tuple[Contact, list[str]]:
    contact, problems = loads(text, "x.md", "people/x.md", **kwargs)  # type: ignore[arg-type]
    assert contact is not None, problems
    return contact, [str(p) for p in problems]


FULL = """\
---
name: Jane Doe
aliases: [Jane, JD]
company: Acme Corp
role: VP Engineering
industry: Software
location: Berlin
tier: core
follow_up: 6w
met: 2024-05-14
how_met: PyCon 2024 hallway track
introduced_by: "[[Bob Smith]]"
tags: [oss, "#mentor"]
email: jane@example.com
phone: +49 30 5550100
linkedin: https://www.linkedin.com/in/janedoe
worked_with: true
checked: 2026-01-10
birthday: 1990-02-28
pronouns: she/her
---

# Jane Doe

Notes about [[Omar Haddad]] and `[[not a link]]`. %%secret [[Hidden]]%%

## Log

- 2026-03-02 coffee: Talked about Acme; wants intros to ML people.
- 2026-04-11 gave: Introduced her to [[Omar Haddad|Omar]] (hiring).
- 2026-05-20 received: She reviewed my talk.
- [ ] 2026-06-01 gave: Send her the retro template.
- [x] 2026-07-15 call
- 2026-08-01: plain note
* 2026-09-01 Met at the fair without a kind
```
- 2026-10-01 coffee: inside code, not an entry
```
"""


def test_every_key_of_the_design_is_read_with_its_type() -> None:
    contact, problems = one(FULL)
    assert problems == []
    assert contact.name == "Jane Doe"
    assert contact.aliases == ("Jane", "JD")
    assert (contact.company, contact.role, contact.location) == (
        "Acme Corp",
        "VP Engineering",
        "Berlin",
    )
    assert contact.industries == ("Software",)
    assert contact.tier == "core"
    assert contact.follow_up == 42
    assert contact.met == date(2024, 5, 14)
    assert contact.introduced_by == "Bob Smith"
    assert contact.tags == ("oss", "mentor")
    assert contact.phone == "+49 30 5550100"
    assert contact.worked_with is True
    assert contact.checked == date(2026, 1, 10)
    assert contact.birthday == date(1990, 2, 28)
    assert dict(contact.extra) == {"pronouns": "she/her"}
    assert contact.body_line == 22


def test_the_log_grammar() -> None:
    contact, _ = one(FULL)
    got = [(str(e.date), e.kind, e.text, e.done, e.line) for e in contact.entries]
    assert got == [
        ("2026-03-02", "coffee", "Talked about Acme; wants intros to ML people.", True, 29),
        ("2026-04-11", "gave", "Introduced her to [[Omar Haddad|Omar]] (hiring).", True, 30),
        ("2026-05-20", "received", "She reviewed my talk.", True, 31),
        ("2026-06-01", "gave", "Send her the retro template.", False, 32),
        ("2026-07-15", "call", "", True, 33),
        ("2026-08-01", "", "plain note", True, 34),
        ("2026-09-01", "", "Met at the fair without a kind", True, 35),
    ]
    assert [link.target for link in contact.entries[1].links] == ["Omar Haddad"]


def test_links_skip_code_and_comments() -> None:
    contact, _ = one(FULL)
    assert [(link.target, link.line) for link in contact.links] == [
        ("Omar Haddad", 25),
        ("Omar Haddad", 30),
    ]


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("---\nname: From Key\n---\n# Heading\n", "From Key"),
        ("---\ntier: core\n---\n\nIntro line\n# Heading Name #\n", "Heading Name"),
        ("Just text, no heading.\n", "x"),
        ("```\n# not a heading\n```\n", "x"),
    ],
)
def test_name_falls_back_to_heading_then_file_name(body: str, name: str) -> None:
    assert one(body)[0].name == name


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("tier: boss", "people/x.md:2:7: unknown tier 'boss' — use one of core, active"),
        ("met: 2024-02-30", "people/x.md:2:6: 'met' is not a real date: 2024-02-30"),
        ("met: last spring", "people/x.md:2:6: 'met' must be a date, not last spring"),
        ("worked_with: yes", "people/x.md:2:14: 'worked_with' must be true or false, not 'yes'"),
        ("company: [A, B]", "people/x.md:2:10: 'company' must be text, not a list"),
        ("follow_up: sometimes", "people/x.md:2:12: 'follow_up' cannot be 'sometimes' — use"),
        ("introduced_by: [[Bob]]", "people/x.md:2:16: 'introduced_by' holds an unquoted wikilink"),
        ("links: [[Bob]]", "people/x.md:2:8: 'links' holds an unquoted wikilink"),
        ("company:\n  name: Acme", "people/x.md:3:3: 'company' is a nested mapping"),
    ],
)
def test_a_bad_value_is_reported_with_its_place_and_the_rest_kept(line: str, message: str) -> None:
    contact, problems = one(f"---\n{line}\nrole: Kept\n---\n")
    assert len(problems) == 1
    assert problems[0].startswith(message)
    assert contact.role == "Kept"


def test_yaml_1_1_traps_stay_text() -> None:
    contact, problems = one("---\na: NO\nb: yes\nc: 12:30\nd: 01234\ne: on\nf: 2024-05-14\n---\n")
    assert problems == []
    assert dict(contact.extra) == {
        "a": "NO",
        "b": "yes",
        "c": "12:30",
        "d": "01234",
        "e": "on",
        "f": "2024-05-14",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"---\nname: a\nname: b\n---\n", "people/x.md:3:1: duplicate key 'name' (first set on"),
        (b"---\nname: a\n\trole: b\n---\n", "people/x.md:3:1: invalid YAML"),
        (b"---\nname: [unclosed\n---\n", "people/x.md:3:1: invalid YAML"),
        (b"---\nname: a\n", "people/x.md:1:1: the front matter opened by '---' on line 1 is"),
        (b"---\nname: caf\xe9\n---\n", "people/x.md:2:10: the file is not UTF-8 (byte 0xe9"),
        (
            b"---\n- a\n- b\n---\n",
            "people/x.md:2:1: the front matter is not a list of 'key: value'",
        ),
    ],
)
def test_unreadable_front_matter_leaves_the_file_out(data: bytes, message: str) -> None:
    contact, problems = loads(data, "x.md", "people/x.md")
    assert contact is None
    assert [str(p)[: len(message)] for p in problems] == [message]


def test_tabs_get_a_hint_about_spaces() -> None:
    _, problems = loads(b"---\nname: a\n\trole: b\n---\n", "x.md", "people/x.md")
    assert "indent with spaces, not tabs" in str(problems[0])


def test_bom_and_crlf_are_read_like_plain_utf8() -> None:
    contact, problems = one(
        b"\xef\xbb\xbf---\r\nname: Ren\xc3\xa9\r\nmet: 2020-01-02\r\n---\r\n- 2021-01-01 call\r\n"
    )
    assert problems == []
    assert contact.name == "René"
    assert contact.met == date(2020, 1, 2)
    assert contact.entries[0].line == 5


@pytest.mark.parametrize(
    ("text", "name"),
    [("", "x"), ("---\n---\n", "x"), ("---\nname: Only FM\n---", "Only FM"), ("# T\n", "T")],
)
def test_empty_and_partial_files(text: str, name: str) -> None:
    contact, problems = one(text)
    assert problems == []
    assert contact.name == name


def test_three_dashes_inside_a_value_do_not_close_the_front_matter() -> None:
    contact, problems = one('---\nrole: "---"\nhow_met: a --- b\n---\nbody\n')
    assert problems == []
    assert (contact.role, contact.how_met, contact.body) == ("---", "a --- b", "body\n")


def test_a_bad_log_date_is_reported_with_its_line() -> None:
    _, problems = one("---\nname: a\n---\n\n- 2026-02-30 coffee: nope\n")
    assert problems == [
        "people/x.md:5:3: log entry date 2026-02-30 is not a date (day is out of range for "
        "month) — write the date as YYYY-MM-DD, e.g. 2026-03-02"
    ]


def test_configured_tiers_are_accepted() -> None:
    contact, problems = one("---\ntier: Mentor\n---\n", tiers=("core", "mentor"))
    assert (contact.tier, problems) == ("mentor", [])


@pytest.mark.parametrize(
    ("value", "days"),
    [
        (45, 45),
        ("45", 45),
        ("10d", 10),
        ("6w", 42),
        ("3m", 90),
        ("1y", 365),
        ("2 weeks", 14),
        ("weekly", 7),
        ("monthly", 30),
        ("quarterly", 90),
        ("yearly", 365),
        ("never", 0),
    ],
)
def test_cadences(value: object, days: int) -> None:
    assert cadence.parse_cadence(value) == days


@pytest.mark.parametrize("value", ["", "soon", "0", "-3", "6x", True, 1.5, None])
def test_bad_cadences_list_the_accepted_forms(value: object) -> None:
    with pytest.raises(ValueError, match="quarterly"):
        cadence.parse_cadence(value)


def test_load_reads_a_folder_skipping_index_hidden_and_non_markdown(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("# Welcome\n")
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "x.md").write_text("# hidden\n")
    (tmp_path / "Connections.csv").write_text("a,b\n")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "Ann Lee.md").write_text("---\ntier: core\n---\n")
    (tmp_path / "Bob.md").write_text("---\ntier: bad\n---\n")
    network = load(tmp_path, "people/")
    assert [c.src_uri for c in network.contacts] == ["Bob.md", "work/Ann Lee.md"]
    assert [str(p)[:18] for p in network.problems] == ["people/Bob.md:2:7:"]


def test_slugs_are_unique_and_readable(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("José Núñez.md", "a/josé núñez.md", "李雷.md"):
        (tmp_path / name).write_text(f"# {name}\n", encoding="utf-8")
    contacts = load(tmp_path).contacts
    assert [c.slug for c in contacts] == ["jose-nunez", "jose-nunez-2", "李雷"]
    assert slugify("  Anne-Marie O'Neil ") == "anne-marie-o-neil"


def test_directory_resolves_names_aliases_stems_and_paths() -> None:
    contacts = [
        Contact(src_uri="work/jane-doe.md", path="", name="Jane Doe", aliases=("JD",)),
        Contact(src_uri="Bob.md", path="", name="Robert Smith", aliases=("Jane",)),
    ]
    directory = Directory(contacts)
    assert directory.resolve("jane doe").name == "Jane Doe"  # type: ignore[union-attr]
    assert directory.resolve("JD").name == "Jane Doe"  # type: ignore[union-attr]
    assert directory.resolve("jane-doe").name == "Jane Doe"  # type: ignore[union-attr]
    assert directory.resolve("work/Jane-Doe").name == "Jane Doe"  # type: ignore[union-attr]
    assert directory.resolve("bob").name == "Robert Smith"  # type: ignore[union-attr]
    # An alias never steals a name: "Jane" is Robert's alias and nobody's name.
    assert directory.resolve("Jane").name == "Robert Smith"  # type: ignore[union-attr]
    assert directory.resolve("nobody") is None
    assert [c.name for c in directory.search("rob")] == ["Robert Smith"]
    assert [c.name for c in directory.search("j")] == ["Jane Doe", "Robert Smith"]


def test_numbers_in_text_keys_keep_their_spelling() -> None:
    contact, problems = one("---\nrole: 1.10\nphone: 0301234\nlocation: 1e3\n---\n")
    assert problems == []
    assert (contact.role, contact.phone, contact.location) == ("1.10", "0301234", "1e3")


def test_bidi_controls_are_not_part_of_a_value() -> None:
    contact, _ = one('---\nname: "Evil\\u202egpj.exe"\ncompany: "\\u2067Acme\\u2069"\n---\n')
    assert (contact.name, contact.company) == ("Evilgpj.exe", "Acme")


def test_directory_tells_which_names_are_ambiguous() -> None:
    contacts = [
        Contact(src_uri="a/Alex Kim.md", path="people/a/Alex Kim.md", name="Alex Kim"),
        Contact(src_uri="b/Alex Kim.md", path="people/b/Alex Kim.md", name="Alex Kim"),
        Contact(src_uri="Li.md", path="", name="Alex Li", aliases=("Al",)),
        Contact(src_uri="Lo.md", path="", name="Al Lo", aliases=("Al",)),
    ]
    directory = Directory(contacts)
    assert [c.src_uri for c in directory.ambiguous("alex kim")] == [
        "a/Alex Kim.md",
        "b/Alex Kim.md",
    ]
    assert directory.ambiguous("a/alex kim") == ()  # the path says which
    # "Al Lo" is a name: it wins over the alias, so [[Al Lo]] is not ambiguous;
    # [[Al]] is an alias of two people.
    assert directory.ambiguous("Al Lo") == ()
    assert [c.name for c in directory.ambiguous("al")] == ["Alex Li", "Al Lo"]


# ---------------------------------------------------------------- what the fast paths keep


def test_key_lines_read_like_a_mapping() -> None:
    contact, _ = one("---\nname: A\nintroduced_by: '[[Bob]]'\nmet: 2020-01-02\n---\n")
    lines = contact.key_lines
    assert lines["met"] == (4, 6)
    assert lines.get("introduced_by", (1, 1)) == (3, 16)
    assert lines.get("company", (1, 1)) == (1, 1)
    assert "name" in lines and "company" not in lines
    assert list(lines) == ["name", "introduced_by", "met"]
    assert lines == {"name": (2, 7), "introduced_by": (3, 16), "met": (4, 6)}
    with pytest.raises(KeyError):
        lines["company"]
    assert KeyLines((), []) == {} and len(KeyLines(("a",), [1, 2])) == 1


def test_places_past_255_and_after_other_line_breaks() -> None:
    """Lines are counted at ``\\n`` only: YAML's NEL and U+2028 breaks stay inside a line."""
    _, problems = one("---\n" + "# c\n" * 300 + "role: x\nmet: soon\n---\n")
    assert problems[0].startswith("people/x.md:303:6: 'met' must be a date")
    contact, problems = one('---\na: "x\u2028y"\nb: "p\x85q"\nmet: soon\n---\n')
    assert problems[0].startswith("people/x.md:4:6: 'met' must be a date")
    assert dict(contact.key_lines) == {"a": (2, 4), "b": (3, 4), "met": (4, 6)}


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("---\n---\n", ("", "", 3)),
        ("---\na: 1\n...  \nbody", ("a: 1", "body", 4)),
        ("---\na: 1\n---", ("a: 1", "", 4)),
        ("---\n----\n---\nx", ("----", "x", 4)),
        ("--- \na\n---\t\n\n", ("a", "\n", 4)),
        ("no fence\n---\n", (None, "no fence\n---\n", 1)),
        ("---x\n---\n", (None, "---x\n---\n", 1)),
    ],
)
def test_split_cuts_at_the_first_closing_fence(
    text: str, parts: tuple[str | None, str, int]
) -> None:
    found = split(text, "x.md")
    assert (found.yaml_text, found.body, found.body_line) == parts


def test_log_text_keeps_code_spans_and_links_skip_code() -> None:
    contact, problems = one(
        "---\nname: A\n---\n- 2026-01-02 call: `[[Not]]` with [[Yes]]\n"
        "~~~\n- 2026-01-03 call: [[Fenced]]\n~~~\n- 2026-01-04 ```[[Odd]]\n"
    )
    assert problems == []
    assert [(e.kind, e.text, [k.target for k in e.links], e.line) for e in contact.entries] == [
        ("call", "`[[Not]]` with [[Yes]]", ["Yes"], 4),
        ("", "```[[Odd]]", [], 8),  # the entry's text opens a fence: no link in it
    ]
    assert [(k.target, k.line) for k in contact.links] == [("Yes", 4), ("Odd", 8)]


def test_slugs_are_given_when_contacts_are_made_and_left_out_files_take_none(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "José Núñez.md").write_text("---\nname: never closed\n")
    (tmp_path / "a" / "josé núñez.md").write_text("# Jose\n")
    (tmp_path / "b.md").write_text("# B\n")
    network = load(tmp_path)
    assert [(c.src_uri, c.slug) for c in network.contacts] == [
        ("a/josé núñez.md", "jose-nunez"),
        ("b.md", "b"),
    ]


def test_slugs_of_cached_contacts_follow_the_files_that_are_gone(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "Ann.md").write_text("# Ann\n")
    (tmp_path / "a" / "ann.md").write_text("# Other Ann\n")
    files = [(name, tmp_path / name) for name in ("Ann.md", "a/ann.md")]
    cache: FileCache = {}
    first = load_files(files, "people/", cache=cache)
    assert [c.slug for c in first.contacts] == ["ann", "ann-2"]
    (tmp_path / "Ann.md").unlink()
    again = load_files(files[1:], "people/", cache=cache)
    assert [(c.src_uri, c.slug) for c in again.contacts] == [("a/ann.md", "ann")]
    assert list(cache) == [str(tmp_path / "a" / "ann.md")]
