"""Field changes come from each version's front matter only: attacks on a real repository.

A commit that rewrites ``company:`` lines in a file's body (a ``%% %%`` comment, an
HTML comment, a fenced or indented code block, a block between two rules) or in a
YAML comment of the front matter changes no field: no timeline line, no past company
on the Companies page, nothing in the search index. A front-matter change in the same
commit as a body change is found, and alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kith.git.gitlog import FieldChange, parse_log_bytes
from kith.git.history import read_history

from .conftest import article, build, write_project
from .test_history import commit, init, write

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FRONT = "---\nname: {name}\ncompany: Acme\nrole: Engineer\n---\n\n# {name}\n\n"
BODIES = {
    # file name → the body, with OLD where the commit writes NEW
    "Comment.md": "Notes.\n\n%%\ncompany: CommentOLDCo\nrole: CommentOLDRole\n%%\n\n"
    "Inline %% company: InlineOLDCo %% too.\n",
    "Fenced.md": "```yaml\ncompany: FencedOLDCo\nindustry:\n  - FencedOLDIndustry\n```\n",
    "Indented.md": "Some text.\n\n    company: IndentedOLDCo\n    role: IndentedOLDRole\n",
    "Html.md": "<!--\ncompany: HtmlOLDCo\ntier: core\n-->\n",
    "Rules.md": "A paragraph.\n\n---\ncompany: RulesOLDCo\n---\n",
}
YAML_COMMENTS = (
    "---\nname: Yaml\n# company: YamlOLDCo\ncompany: Acme # YamlOLDNote\nrole: # YamlOLDRole\n"
    "industry:\n  - Software\n  # - YamlOLDIndustry\n  - Health\n---\n\n# Yaml\n"
)
HIDDEN = ("CommentOLD", "CommentNEW", "InlineOLD", "InlineNEW", "HtmlOLD", "HtmlNEW")
"""Words that are in no page at all (comments are removed before anything reads them)."""


def attacked_project(root: Path) -> Path:
    """Every attack in one commit after the first, and Jane's real job change with a body edit."""
    write_project(root, {}, {})
    init(root)
    for name, body in BODIES.items():
        write(root, name, FRONT.format(name=name[:-3]) + body)
    write(root, "Yaml.md", YAML_COMMENTS)
    jane = FRONT.format(name="Jane") + "## Log\n\n- 2026-01-20 coffee: Team.\n%% company: X %%\n"
    write(root, "Jane.md", jane)
    commit(root, "Add everyone", "2026-01-05T10:00:00+00:00")
    for name in [*BODIES, "Yaml.md"]:
        path = root / "people" / name
        write(root, name, path.read_text(encoding="utf-8").replace("OLD", "NEW"))
    jane = jane.replace("company: Acme", "company: Globex").replace("company: X", "company: Y")
    write(root, "Jane.md", jane + "- 2026-02-01 call: Her new job.\n")
    commit(root, "Edit notes; Jane moved", "2026-02-01T10:00:00+00:00")
    return root


def test_body_and_yaml_comment_lines_are_no_field_changes(tmp_path: Path) -> None:
    attacked_project(tmp_path)
    history = read_history(tmp_path, ["people"]).under("people")
    for name in [*BODIES, "Yaml.md"]:
        events = history.of(name).events
        assert [e.subject for e in events] == ["Edit notes; Jane moved", "Add everyone"], name
        assert [e.fields for e in events] == [(), ()], name
        # Not even a contact-info line was touched (Yaml.md's ``company:`` line was: its comment).
        assert events[0].contact_info == (name == "Yaml.md"), name
    jane = history.of("Jane.md").events
    assert jane[0].fields == (FieldChange("company", "Acme", "Globex"),)
    assert history.past_values("company") == {"Jane.md": ("Acme",)}


def test_the_site_shows_no_change_the_body_made(tmp_path: Path) -> None:
    site = build(attacked_project(tmp_path))
    for name in [*BODIES, "Yaml.md"]:
        url = f"people/{name[:-3].lower()}/"
        assert article(site, url).select(".kith-field-changes li") == [], name
    changes = article(site, "people/jane/").select(".kith-field-changes li")
    assert [li.get_text() for li in changes] == ["company: Acme → Globex"]

    companies = article(site, "companies/").get_text(" ", strip=True)
    assert "Worked there: Jane" in companies
    assert companies.count("Worked there") == 1
    assert "OLD" not in companies and "NEW" not in companies

    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "→" not in index.replace("Acme → Globex", "")
    written = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    for word in (*HIDDEN, "YamlOLD", "YamlNEW"):
        leaks = [str(p.relative_to(site)) for p, data in written.items() if word.encode() in data]
        assert leaks == [], word


# --- versions the reader reads differently from their lines ---------------------------


def test_a_quoted_value_over_two_lines_holds_no_key(tmp_path: Path) -> None:
    init(tmp_path)
    text = '---\nname: Q\nrole: "Engineer,\ncompany: QuotedOLDCo"\ncompany: Acme\n---\n'
    write(tmp_path, "Q.md", text)
    commit(tmp_path, "Add Q", "2026-01-05T10:00:00+00:00")
    write(tmp_path, "Q.md", text.replace("OLD", "NEW").replace("Acme", "Globex"))
    commit(tmp_path, "Edit Q", "2026-02-05T10:00:00+00:00")
    events = read_history(tmp_path, ["people"]).files["people/Q.md"].events
    assert events[0].fields == (FieldChange("company", "Acme", "Globex"),)


def test_crlf_and_a_byte_order_mark(tmp_path: Path) -> None:
    init(tmp_path)
    text = "\ufeff---\r\ncompany: Acme\r\n---\r\n%%\r\ncompany: CrlfOLDCo\r\n%%\r\n"
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "C.md").write_bytes(text.encode())
    commit(tmp_path, "Add C", "2026-01-05T10:00:00+00:00")
    changed = text.replace("Acme", "Globex").replace("OLD", "NEW")
    (tmp_path / "people" / "C.md").write_bytes(changed.encode())
    commit(tmp_path, "Edit C", "2026-02-05T10:00:00+00:00")
    events = read_history(tmp_path, ["people"]).files["people/C.md"].events
    assert events[0].fields == (FieldChange("company", "Acme", "Globex"),)


def test_a_file_without_front_matter_has_no_fields(tmp_path: Path) -> None:
    """Front matter not on the very first line is no front matter (the reader refuses it);
    a last line without a newline is read all the same."""
    init(tmp_path)
    write(tmp_path, "Late.md", "\n---\ncompany: LateOLDCo\n---\n")
    write(tmp_path, "End.md", "---\ncompany: Acme\n---")
    commit(tmp_path, "Add", "2026-01-05T10:00:00+00:00")
    write(tmp_path, "Late.md", "\n---\ncompany: LateNEWCo\n---\n")
    write(tmp_path, "End.md", "---\ncompany: Globex\n---")
    commit(tmp_path, "Edit", "2026-02-05T10:00:00+00:00")
    history = read_history(tmp_path, ["people"]).under("people")
    assert [e.fields for e in history.of("Late.md").events] == [(), ()]
    assert history.of("End.md").events[0].fields == (FieldChange("company", "Acme", "Globex"),)


def test_a_patch_that_does_not_show_the_first_line_gives_nothing() -> None:
    """Without the lines above a change, nothing tells front matter from body: no field."""
    text = (
        "\x1eabc1234\x00def5678\x002026-03-10T09:00:00+00:00\x00\x00Edit\n\n"
        ":100644 100644 1111111 2222222 M\tpeople/A.md\n\n"
        "diff --git a/people/A.md b/people/A.md\n--- a/people/A.md\n+++ b/people/A.md\n"
        "@@ -7 +7 @@\n-company: OLDCo\n+company: NEWCo\n"
    )
    (only,) = parse_log_bytes(text.encode())
    assert only.files[0].fields == () and not only.files[0].contact_info
