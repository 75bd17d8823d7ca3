"""``kith import mail``: e-mails from real mbox files and messages (and a Maildir made of
them), one interaction per person per day in the journal's captured notes, headers only."""

from __future__ import annotations

import hashlib
import io
import json
import mailbox
from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result
from kith.cli import main
from kith.core.model import Contact
from kith.exchange import mail

from .conftest import build, write_project

MAIL = Path(__file__).parent / "thirdparty" / "mail"
MODERN = MAIL / "thunderbird-mbox_modern"
LIST = MAIL / "thunderbird-bugmail19"
SAMPLES = [MAIL / f"thunderbird-sample0{n}.eml" for n in (1, 2, 3)]
BODIES = (b"Later versions", b"second body", b"Die Hasen", b"zobOu8", b"Do not reply", b"iVBOR")
TODAY = date(2026, 1, 1)


def contact(name: str, email: str = "", publish: bool = True) -> Contact:
    return Contact(f"people/{name}.md", f"people/{name}.md", name, email=email, publish=publish)


def kith(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "site" not in p.relative_to(folder).parts
    }


def message(sender: str, to: str, subject: str, when: str, *extra: str) -> bytes:
    head = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Date: {when}", *extra]
    return ("\n".join(head) + "\n\nA body kith must never keep.\n").encode()


# ---------------------------------------------------------------- reading the files


def test_an_mbox_gives_each_messages_headers_and_never_a_body() -> None:
    """Thunderbird's mbox quotes ``From`` lines in a body with a space: two messages."""
    blocks = list(mail.header_blocks(io.BytesIO(MODERN.read_bytes())))
    assert len(blocks) == 2
    assert not any(body in block for block in blocks for body in BODIES)
    subjects = [mail.read_headers(block).subject for block in blocks]
    assert subjects == ["Sample message 1", "Sample message 2"]


def test_an_unquoted_from_line_in_a_body_starts_no_message() -> None:
    data = b"From - Fri Aug 24 11:55:47 2018\nSubject: one\n\nFrom time to time\n\nhello\n"
    assert len(list(mail.header_blocks(io.BytesIO(data)))) == 1


def test_encoded_and_folded_headers_are_decoded() -> None:
    greek = mail.read_headers(SAMPLES[0].read_bytes())
    assert greek.subject == "αλφάβητο"  # =?UTF-8?B?...?=
    outlook = mail.read_headers(SAMPLES[1].read_bytes())
    assert ("mueller@example.com", "Heinz Müller") in outlook.addresses  # =?iso-8859-1?Q?
    folded = mail.read_headers(
        b"From: a@example.com\nSubject: =?utf-8?q?Caf=C3=A9?=\n =?utf-8?q?_ce_soir?=\n"
        b"Date: Mon, 1 Jun 2020 10:00:00 +0200\n"
    )
    assert folded.subject == "Café ce soir"


def test_mailing_list_mail_is_recognised_by_its_headers() -> None:
    assert mail.read_headers(LIST.read_bytes()).bulk  # List-Id, from Thunderbird's tests
    bulk = message("a@example.com", "b@example.com", "x", "Mon, 1 Jun 2020 10:00 +0000")
    assert mail.read_headers(bulk.replace(b"\n\n", b"\nPrecedence: Bulk\n\n")).bulk
    assert not mail.read_headers(bulk).bulk


def test_one_interaction_per_person_per_day_on_the_messages_own_date() -> None:
    ann = contact("Ann Author", "Author@Example.COM")
    late = message(
        "Ann <author@example.com>", "me@example.com", "Late", "Sat, 25 Aug 2018 23:30 -0700"
    )
    early = message("me@example.com", "AUTHOR@example.com", "Early", "Sat, 25 Aug 2018 08:00 -0700")
    found = mail.scan(
        [mail.read_headers(m) for m in (late, early)], [ann], TODAY, me=["Me@Example.com"]
    )
    # 23:30 in California is the 25th (the 26th in UTC); the earlier subject is the day's.
    assert [(i.date, i.text, i.people) for i in found.items] == [
        (date(2018, 8, 25), "Early", (ann,))
    ]
    assert found.items[0].kind == "email"
    assert found.items[0].source_id == "mail:author@example.com:2018-08-25"
    assert not found.unknown  # you are no one to match
    quiet = mail.scan([mail.read_headers(late)], [ann], TODAY, subjects=False)
    assert quiet.items[0].text == ""


def test_crowded_future_and_private_messages_are_left_out() -> None:
    ann = contact("Ann Author", "author@example.com")
    joe = contact("Joe Blow", "jblow@example.com", publish=False)
    many = ", ".join(f"p{n}@example.com" for n in range(11))
    found = mail.scan(
        [
            mail.read_headers(
                message("author@example.com", many, "All", "Mon, 1 Jun 2020 10:00 +0000")
            ),
            mail.read_headers(
                message(
                    "author@example.com", "x@example.com", "Soon", "Mon, 1 Jun 2026 10:00 +0000"
                )
            ),
            mail.read_headers(SAMPLES[2].read_bytes()),  # Heinz Müller to Joe Blow
            mail.read_headers(b"From: author@example.com\nSubject: no date\n"),
        ],
        [ann, joe],
        TODAY,
    )
    assert not found.items
    assert found.left_out == {"crowded": 1, "future": 1, "private": 1, "undated": 1}
    assert found.names["mueller@example.com"] == "Heinz Müller"


# ---------------------------------------------------------------- end to end

PEOPLE = {
    "Heinz Müller.md": "---\nname: Heinz Müller\ntier: core\nemail: Mueller@Example.COM\n---\n",
    "Ann Author.md": "---\nname: Ann Author\ntier: core\nemail: author@EXAMPLE.com\n---\n",
    "Bug Reporter.md": "---\nname: Bug Reporter\ntier: core\nemail: new@thunderbird.bug\n---\n",
    "Listed.md": "---\nname: Listed One\ntier: core\nemail: PrimaryEmail1@test.invalid\n---\n",
    "Joe.md": "---\nname: Joe Blow\ntier: core\npublish: false\nemail: jblow@example.com\n---\n",
}


def exports(root: Path) -> Path:
    folder = root / "exports"
    (folder / "thunderbird").mkdir(parents=True)
    for path in (MODERN, LIST):
        (folder / "thunderbird" / path.name).write_bytes(path.read_bytes())
    (folder / "thunderbird" / "Inbox.msf").write_bytes(b'// <!-- <mdb:mork:z v="1.4"/> -->')
    box = mailbox.Maildir(folder / "Maildir", create=True)
    for path in SAMPLES:
        box.add(path.read_bytes())
    many = ", ".join(f"p{n}@example.com" for n in range(11))
    box.add(
        message(
            "Ann <author@example.com>", "doug@example.com", "Late", "Sat, 25 Aug 2018 23:30 -0700"
        )
    )
    box.add(
        message("doug@example.com", "author@example.com", "Early", "Sat, 25 Aug 2018 08:00 -0700")
    )
    box.add(message("author@example.com", many, "All hands", "Mon, 1 Jun 2020 10:00 +0000"))
    box.add(
        message(
            "author@example.com",
            "doug@example.com",
            "News",
            "Mon, 1 Jun 2020 10:00 +0000",
            "Precedence: bulk",
        )
    )
    return folder


def test_import_mail_end_to_end(tmp_path: Path) -> None:
    root = write_project(tmp_path / "net", PEOPLE, {"today": TODAY.isoformat()})
    folder = exports(root)
    before = snapshot(root)

    dry = kith(root, "import", "mail", str(folder), "--me", "Doug@example.com", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "5 interaction(s) added with 3 people, 0 already there; 10 message(s)" in dry.output
    assert "left out: 2 mailing-list or bulk, 1 too many recipients" in dry.output
    assert "2× Recipient <recipient@example.com>" in dry.output
    assert "Joe" not in dry.output and "jblow" not in dry.output
    assert dry.output.rstrip().endswith("dry run: nothing written")
    assert snapshot(root) == before

    first = kith(root, "import", "mail", str(folder), "--me", "doug@example.com")
    assert first.exit_code == 0, first.output
    assert "added 3 to journal/captured/2018-08.md" in first.output
    written = snapshot(root)
    again = kith(
        root,
        "import",
        "mail",
        str(folder / "Maildir"),
        str(folder / "thunderbird"),
        "--me",
        "doug@example.com",
    )
    assert "0 interaction(s) added with 0 people, 5 already there" in again.output
    assert snapshot(root) == written

    captured = b"".join(p.read_bytes() for p in sorted((root / "journal").rglob("*.md")))
    text = captured.decode("utf-8")
    assert text.count("%%kith:mail:") == 5
    assert "email: αλφάβητο — [[Bug Reporter]]" in text
    assert "2018-08-25 email: Early — [[Ann Author]]" in text and "Late" not in text
    assert "Test message from Microsoft Outlook 00 — [[Heinz Müller]]" in text
    assert "Joe" not in text and "jblow" not in text and "Listed" not in text
    assert "All hands" not in text and "News" not in text
    for path in root.rglob("*"):
        if path.is_file() and "exports" not in path.parts:
            data = path.read_bytes()
            assert not any(body in data for body in BODIES), path
            assert b"A body kith must never keep" not in data, path

    due = json.loads(kith(root, "due", "--json").output)
    last = {row["name"]: row["last_contact"] for row in due}
    assert last["Ann Author"] == "2018-08-25"
    assert last["Heinz Müller"] == "2000-05-17"
    assert last["Bug Reporter"] == "2021-05-27"
    assert last.get("Listed One") is None

    site_dir = build(root)  # strict
    page = (site_dir / "people" / "ann-author" / "index.html").read_text(encoding="utf-8")
    assert "Early" in page
    for path in site_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"kith:mail" not in data, path
            assert b"Joe Blow" not in data and b"jblow" not in data, path


def test_no_subject_writes_who_and_when_only(tmp_path: Path) -> None:
    root = write_project(tmp_path / "net", PEOPLE, {"today": TODAY.isoformat()})
    folder = exports(root)
    done = kith(root, "import", "mail", str(folder), "--me", "doug@example.com", "--no-subject")
    assert done.exit_code == 0, done.output
    text = "".join(p.read_text(encoding="utf-8") for p in (root / "journal").rglob("*.md"))
    assert "- 2018-08-25 email: [[Ann Author]] %%kith:mail:author@example.com:2018-08-25 " in text
    assert "Early" not in text and "αλφάβητο" not in text and "Outlook" not in text


def test_max_recipients_is_an_option(tmp_path: Path) -> None:
    root = write_project(tmp_path / "net", PEOPLE, {"today": TODAY.isoformat()})
    folder = exports(root)
    done = kith(
        root,
        "import",
        "mail",
        str(folder),
        "--me",
        "doug@example.com",
        "--max-recipients",
        "11",
        "--dry-run",
    )
    assert "6 interaction(s) added with 3 people" in done.output
    assert "too many recipients" not in done.output
