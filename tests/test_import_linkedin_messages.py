"""LinkedIn's messages.csv as interactions: `kith import linkedin messages.csv` in the
two shapes exports have had (profile URLs and a draft column; older ones with names
only), matched by profile URL or exact name, one per person per day, message text
never written."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from kith.cli import main

from .conftest import build, write_project

ME = "https://www.linkedin.com/in/me-myself"
PEOPLE = {
    "Jane Doe.md": "---\ntier: active\nlinkedin: https://www.linkedin.com/in/janedoe/\n---\n",
    "Omar Haddad.md": "---\ntier: active\n---\n",
    "Mara Lopez.md": "---\ntier: core\npublish: false\n"
    "linkedin: https://www.linkedin.com/in/mara\n---\n",
}
NEW = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT\n"
    f"c1,,Me,{ME},Jane Doe,https://www.linkedin.com/in/janedoe,2026-10-01 09:00:00 UTC,,"
    '"SECRET pricing, 500 dollars",INBOX,No\n'
    f"c1,,Jane Doe,https://www.linkedin.com/in/JaneDoe,Me,{ME},2026-10-01 11:00:00 UTC,,"
    "thanks,INBOX,No\n"
    f"c2,Intro,Me,{ME},Mara Lopez,https://www.linkedin.com/in/mara,2026-10-02 09:00:00 UTC,,"
    "private words,INBOX,No\n"
    f"c3,,Me,{ME},Jane Doe,https://www.linkedin.com/in/janedoe,2026-10-05 09:00:00 UTC,,"
    "a draft,DRAFT,Yes\n"
    f"c4,,Stranger,https://www.linkedin.com/in/stranger,Me,{ME},2026-10-06 09:00:00 UTC,,"
    "hello,INBOX,No\n"
)
OLD = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
    "k1,,Omar Haddad,Me Myself,2026-09-12 14:00:00,,About the role,INBOX\n"
    "k1,,Me Myself,Omar Haddad,2026-09-12 15:00:00,,Sounds good,INBOX\n"
    "k2,,Someone Else,Me Myself,2026-09-13 10:00:00,,hi,INBOX\n"
)


def kith(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def test_messages_become_one_interaction_per_person_and_day(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", PEOPLE)
    export = tmp_path / "messages.csv"
    export.write_text(NEW, encoding="utf-8")
    dry = kith(root, "import", "linkedin", str(export), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert not (root / "journal").exists()
    result = kith(root, "import", "linkedin", str(export))
    lines = result.output.splitlines()
    assert lines[0].startswith("1 interaction(s) added with 1 people, 0 already there; 5 message")
    assert "1 drafts" in lines[1] and "1 with nobody you know" in lines[1]
    assert "1 only with people you keep private" in lines[1]
    note = (root / "journal" / "captured" / "2026-10.md").read_text(encoding="utf-8")
    assert "- 2026-10-01 message: [[Jane Doe]]" in note
    assert "SECRET" not in note and "Mara" not in note and "thanks" not in note
    due = json.loads(kith(root, "due", "--json").output)
    assert all(r["last_contact"] != "2026-10-01" for r in due if r["name"] != "Jane Doe")
    again = kith(root, "import", "linkedin", str(export))
    assert again.output.startswith("0 interaction(s) added with 0 people, 1 already there")
    site = build(root)
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "SECRET" not in text and "kith:linkedin" not in text, path


def test_older_exports_without_profile_urls_match_by_name(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", PEOPLE)
    export = tmp_path / "messages.csv"
    export.write_text(OLD, encoding="utf-8")
    result = kith(root, "import", "linkedin", str(export))
    assert result.output.startswith("1 interaction(s) added with 1 people"), result.output
    note = (root / "journal" / "captured" / "2026-09.md").read_text(encoding="utf-8")
    assert "- 2026-09-12 message: [[Omar Haddad]]" in note
    assert "Sounds good" not in note and "About the role" not in note
