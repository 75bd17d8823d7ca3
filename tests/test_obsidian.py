"""A vault written the way Obsidian users write it builds clean, links go where Obsidian goes,
and nothing private reaches the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ProjectFactory, article, build

# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63000100000500010d0a2db40000000049454e44ae426082"
)

VAULT = {
    "Jane Doe.md": """\
---
aliases: [JD, Janey]
company: Acme
tier: core
introduced_by: "[[bob smith]]"
---

# Jane Doe

![[portrait.png]]

Old teammate of [[Bob Smith#Work history|Bob]]. See [[#Log]] and [[team/Carol Ng]].
Also ![[Bob Smith]] and [[Private Pete]]. %%private comment about Jane%%

> [!warning]- Sensitive
> Ask before sharing her number.

%%
A whole
hidden block
%%

`[[not a link]]`

## Log

- 2026-03-02 coffee: with [[JD]]'s friend [[Carol Ng|Carol]].
""",
    "Bob Smith.md": """\
# Bob Smith

## Work history

Acme, then Globex.
""",
    "team/Carol Ng.md": "---\ntier: active\n---\n# Carol Ng\n",
    "Private Pete.md": (
        "---\npublish: false\ncompany: Shadow Corp\n---\n# Private Pete\n\nSecret notes.\n"
    ),
    "attachments/portrait.png": PNG,
    "Connections.csv": "First Name,Last Name\nLeaky,Linkedin\n",
}

JOURNAL = {
    "journal/2026-04-01.md": "# Conference\n\nMet [[Janey]] and [[Carol Ng]]. %%skipthis%%\n",
    "journal/2026-04-02.md": "---\npublish: false\n---\nA private day with [[Bob Smith]].\n",
}


@pytest.fixture
def vault_site(project: ProjectFactory) -> Path:
    return build(project(VAULT, extra_files=JOURNAL))


def test_every_link_goes_where_obsidian_would_go(vault_site: Path) -> None:
    jane = article(vault_site, "people/jane-doe/")
    links = {a.get_text(): a["href"] for a in jane.select("a.kith-wikilink")}
    assert links["Bob"] == "../bob-smith/#work-history"
    assert links["Carol Ng"] == "../carol-ng/"
    assert links["Bob Smith"] == "../bob-smith/"  # the embed ![[Bob Smith]] is a link
    assert links["JD"] == "./"
    assert links["Carol"] == "../carol-ng/"
    assert jane.select_one('a[href="#log"]') is not None
    image = jane.select_one("img")
    assert image is not None and image["src"].endswith("attachments/portrait.png")
    assert (vault_site / "attachments/portrait.png").exists()
    assert "[[not a link]]" in jane.get_text()
    assert not jane.select(".kith-unresolved")


def test_callouts_become_admonitions(vault_site: Path) -> None:
    jane = article(vault_site, "people/jane-doe/")
    callout = jane.select_one("details.warning")
    assert callout is not None
    assert callout.summary.get_text() == "Sensitive"
    assert "Ask before sharing" in callout.get_text()


def test_journal_notes_are_pages_and_backlinks(vault_site: Path) -> None:
    note = article(vault_site, "journal/2026-04-01/")
    assert note.h1.get_text().strip("¶") == "Conference"
    carol = article(vault_site, "people/carol-ng/")
    mentions = [li.get_text(" ", strip=True) for li in carol.select(".kith-backlinks li")]
    assert mentions == [
        "2026-04-01 Conference",
        "2026-03-02 Jane Doe : with JD 's friend Carol .",
        "Jane Doe",
    ]
    journal = article(vault_site, "journal/")
    assert [a.get_text() for a in journal.select("table a")] == [
        "Conference",
        "Jane Doe",
        "Carol Ng",
    ]


def test_nothing_private_reaches_the_site(vault_site: Path) -> None:
    secrets = [
        "private comment",
        "hidden block",
        "Shadow Corp",
        "Secret notes",
        "private-pete",
        "Leaky",
        "A private day",
        "skipthis",
    ]
    for path in vault_site.rglob("*"):
        if path.is_file() and path.suffix != ".png":
            text = path.read_text(encoding="utf-8", errors="replace")
            for secret in secrets:
                assert secret not in text, (secret, path)
    assert not (vault_site / "Connections.csv").exists()
    assert not (vault_site / "journal/2026-04-02").exists()
    assert not (vault_site / "tags.json").exists()
    # A link to a private person is plain text, not a link and not a typo.
    jane = article(vault_site, "people/jane-doe/")
    assert "Private Pete" in jane.get_text()
    assert not jane.select('a[href*="pete"]')
