"""A serve session after any edits equals a fresh build: the plain build function,
in-process, on random networks and random edit sequences.

Each step edits files (contacts, the journal, a user's templates and Home partials,
many files at once, files touched but not changed), rebuilds through one session,
and compares every page's Markdown and HTML blocks, the feed and the problems with
a fresh build of the same files. Some steps fail part-way, as a build can.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest
from kith.analyses.site import same_value
from kith.build.wiki import Inputs, Output, Wiki, build
from kith.core.config import Settings
from kith.core.directory import is_contact_file
from kith.pages.registry import PAGES
from kith.serve.session import ServeSession

pytestmark = pytest.mark.fast

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 21)
FIRST = ["Ann", "Bob", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kai", "Lu"]
LAST = ["Lee", "Stone", "Young", "Diaz", "Ek", "Okafor", "Krüger", "García"]
COMPANIES = ["Acme", "Globex", "Initech", "Hooli", "Umbrella"]
TIERS = ["core", "active", "network", "prospect"]
KINDS = ["coffee", "call", "gave", "received", "email"]
NICKNAMES = ["Bobby", "Ace", "Doc"]
"""Names some log lines link before anyone bears them (an ``alias`` edit gives one)."""
CARD = (REPO / "templates" / "person-card.html").read_text(encoding="utf-8")
PARTIAL = (REPO / "templates" / "home-favors.md").read_text(encoding="utf-8")
SHOWN = {
    "company-section.html": ("{{ contact.name }}</a>", "contact"),
    "follow-up-row.html": ("{{ f.contact.name }}</a>", "f.contact"),
    "diversity-people.html": ("{{ contact.name }}</a>", "contact"),
    "home-follow-ups.md": ("{{ person.name }}</a>", "person"),
    "introductions.md": ("{{ node.contact.name }}</a>", "node.contact"),
    "graph.md": ("{{ broker.contact.name }}</a>", "broker.contact"),
    "favors.md": ("{{ contact.name }}</a>", "contact"),
    "home-favors.md": ("{{ favor.person.name }}</a>", "favor.person"),
}
"""Where a user's template may show more of a contact than its page's analysis reads:
after which text, and the contact there."""
SHOWN_FIELDS = [
    "entries | length",
    "body | length",
    "links | length",
    "tier",
    "archived",
    "industries",
]


class Project:
    """A people folder, a journal and a templates folder, edited step by step."""

    KINDS = (
        "company", "log", "tier", "rename", "add", "delete", "card", "partial", "journal",
        "touch", "many", "private", "introducer", "alias", "shows", "archive", "industry",
        "role", "favor",
    )  # fmt: skip

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.people = root / "people"
        self.journal = root / "journal"
        self.templates = root / "templates"
        for folder in (self.people, self.journal, self.templates):
            folder.mkdir(parents=True)
        self.clock = 1_700_000_000
        names = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], rng.randint(3, 9))
        for name in names:
            self.write(self.people / f"{name}.md", self.contact(name, names))
        if rng.random() < 0.5:  # half the projects start with a card showing the introducer
            self.card("company")

    def write(self, path: Path, text: str) -> None:
        """Write with a new modification time, as an editor's save gives."""
        path.write_text(text, encoding="utf-8")
        self.clock += 1
        os.utime(path, (self.clock, self.clock))

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.people.glob("*.md"))

    def contact(self, name: str, others: list[str]) -> str:
        rng = self.rng
        keys = [f"company: {rng.choice(COMPANIES)}", f"tier: {rng.choice(TIERS)}"]
        if rng.random() < 0.5:
            keys.append(f'introduced_by: "[[{rng.choice(others)}]]"')
        if rng.random() < 0.15:
            keys.append("publish: false")
        if rng.random() < 0.3:
            keys.append(f"industry: {rng.choice(['Software', 'Finance', 'Health'])}")
        log = [self.log_line(others) for _ in range(rng.randint(0, 3))]
        body = f"# {name}\n\nKnows [[{rng.choice(others)}]].\n"
        if log:
            body += "\n## Log\n\n" + "\n".join(log) + "\n"
        return "---\n" + "\n".join(keys) + "\n---\n" + body

    def log_line(self, others: list[str]) -> str:
        rng = self.rng
        when = date(2026, rng.randint(1, 11), rng.randint(1, 28))
        box = "[ ] " if rng.random() < 0.1 else ""
        who = rng.choice(NICKNAMES) if rng.random() < 0.2 else rng.choice(others)
        return f"- {box}{when} {rng.choice(KINDS)}: with [[{who}]]"

    def edit(self) -> str:
        """One random edit; returns what it was, for the failure message."""
        rng, names = self.rng, self.names()
        name = rng.choice(names)
        path = self.people / f"{name}.md"
        text = path.read_text(encoding="utf-8")
        kind = rng.choice(self.KINDS)
        if kind == "company":
            company = rng.choice(COMPANIES)
            self.write(path, text.replace("company: ", f"company: {company} ", 1))
        elif kind == "log":
            self.write(path, text.rstrip("\n") + "\n" + self.log_line(names) + "\n")
        elif kind == "tier":
            for tier in TIERS:
                text = text.replace(f"tier: {tier}", f"tier: {rng.choice(TIERS)}", 1)
            self.write(path, text)
        elif kind == "rename":
            self.write(path, text.replace(f"# {name}", f"# {name} Jr", 1))
        elif kind == "add":
            new = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randint(2, 99)}"
            self.write(self.people / f"{new}.md", self.contact(new, names))
        elif kind == "delete" and len(names) > 2:
            path.unlink()
        elif kind == "card":  # a user's card that shows a field of the introducer
            self.card(rng.choice(["company", "tier", "role"]))
        elif kind == "partial":
            self.write(self.templates / "home-favors.md", PARTIAL + f"\nEdit {rng.random()}\n")
        elif kind == "journal":
            day = date(2026, rng.randint(1, 11), rng.randint(1, 28))
            self.write(self.journal / f"{day}.md", f"# Lunch\n\nWith [[{name}]].\n")
        elif kind == "touch":
            for other in self.people.glob("*.md"):
                self.write(other, other.read_text(encoding="utf-8"))
        elif kind == "many":
            for other in self.people.glob("*.md"):
                more = other.read_text(encoding="utf-8").rstrip("\n")
                self.write(other, more + "\n" + self.log_line(names) + "\n")
        elif kind == "private":
            self.write(path, text.replace("---\n", "---\npublish: false\n", 1))
        elif kind == "introducer":
            other = rng.choice(names)
            self.write(path, text.replace("---\n", f'---\nintroduced_by: "[[{other}]]"\n', 1))
        elif kind == "alias":  # a log line may name them so already
            nickname = rng.choice(NICKNAMES)
            self.write(path, text.replace("---\n", f"---\naliases: [{nickname}]\n", 1))
        elif kind == "shows":  # a user's template showing more of a person than kith's
            self.shows(rng.choice(sorted(SHOWN)))
        elif kind == "archive":
            archived = "archived: true\n"
            self.write(
                path,
                text.replace(archived, "")
                if archived in text
                else text.replace("---\n", "---\n" + archived, 1),
            )
        elif kind == "industry":
            industry = rng.choice(["Law", "Art", "Software"])
            self.write(path, text.replace("---\n", f"---\nindustry: [{industry}]\n", 1))
        elif kind == "role":
            self.write(path, text.replace("---\n", f"---\nrole: R{rng.randint(1, 9)}\n", 1))
        elif kind == "favor":
            when = date(2026, rng.randint(1, 11), rng.randint(1, 28))
            favor = f"- {when} {rng.choice(['gave', 'received'])}: with [[{rng.choice(names)}]]"
            self.write(path, text.rstrip("\n") + "\n" + favor + "\n")
        return f"{kind} ({name})"

    def shows(self, name: str) -> None:
        """A user's copy of the shipped ``name`` showing a field of the people it names."""
        shipped = (REPO / "templates" / name).read_text(encoding="utf-8")
        after, who = SHOWN[name]
        assert after in shipped
        shown = f"{after} {{{{ {who}.{self.rng.choice(SHOWN_FIELDS)} }}}}"
        self.write(self.templates / name, shipped.replace(after, shown))

    def card(self, field: str) -> None:
        """A user's ``person-card.html`` that shows a field of the introducer."""
        card = CARD.replace(
            "{% if introducer %}", f"{{% if introducer %}}<dd>{{{{ introducer.{field} }}}}</dd>", 1
        )
        self.write(self.templates / "person-card.html", card)

    def inputs(self) -> Inputs:
        files = [
            (p.relative_to(self.people).as_posix(), str(p))
            for p in sorted(self.people.rglob("*.md"))
            if is_contact_file(p.relative_to(self.people).as_posix())
        ]
        return Inputs(files, Settings(today=TODAY), self.templates, self.journal)


def addresses(wiki: Wiki) -> Mapping[str, str]:
    """Every page's address, as an engine would give them."""
    urls = {c.src_uri: f"people/{c.slug}/" for c in wiki.people}
    urls |= {n.src_uri: f"{n.src_uri.removesuffix('.md')}/" for n in wiki.notes}
    return urls | {spec.src_uri: f"{spec.key}/" for spec in PAGES}


def _assert_same(served: Output, fresh: Output, step: str) -> None:
    assert served.pages.keys() == fresh.pages.keys(), step
    for src_uri, page in served.pages.items():
        assert page == fresh.pages[src_uri], f"after {step}: {src_uri} differs"
    assert served.feed == fresh.feed, step
    assert served.problems == fresh.problems, step


@pytest.mark.parametrize("seed", range(32))
def test_a_session_after_random_edits_equals_a_fresh_build(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    project = Project(tmp_path, rng)
    session = ServeSession()
    build(project.inputs(), addresses, session.begin(""))
    session.finish()
    reused = 0
    for step in range(8):
        what = project.edit()
        if rng.random() < 0.2:  # this build fails part-way: nothing of it may be kept
            kept = session.begin("")
            wiki = Wiki(project.inputs(), kept)
            wiki.plan(addresses(wiki))
            wiki.generated_pages(addresses(wiki))
            session.fail()
            what += ", then a failed build"
            what += f" and {project.edit()}"
        served = build(project.inputs(), addresses, session.begin(""))
        session.finish()
        reused += len(served.reused)
        _assert_same(served, build(project.inputs(), addresses), f"step {step}: {what}")
        _assert_carried_reads_are_fresh(session, project, f"step {step}: {what}")
    # Not a test that passes by redrawing everything: most steps reuse pages.
    assert reused > 0


def _assert_carried_reads_are_fresh(session: ServeSession, project: Project, step: str) -> None:
    """What the session keeps of each analysis' reads (what it read of the site, and the
    people it read), and the backlinks it mends from, are a fresh build's."""
    site = Wiki(project.inputs()).site
    for function, ((read, people), _) in session._kept.carry.items():
        reads = site.reads[function]
        kept = (read, tuple(reads.person(site, c) for c in people))
        fresh = (reads.site(site), tuple(reads.person(site, c) for c in site.people))
        assert same_value(kept, fresh), f"{step}: {function.__name__}"
    worked = session._kept.worked
    if worked is not None:  # what the next rebuild mends from: the backlinks of everyone
        assert same_value(dict(worked.backlinks), dict(site.backlinks)), f"{step}: backlinks"


def test_an_edit_redraws_the_pages_that_read_it_and_reuses_the_rest(tmp_path: Path) -> None:
    rng = random.Random(1)
    project = Project(tmp_path, rng)
    for name in project.names():
        path = project.people / f"{name}.md"
        project.write(path, f"---\ncompany: Co {name}\n---\n# {name}\n")
    bob = project.names()[1]
    first = project.names()[0]
    project.write(
        project.people / f"{bob}.md", f'---\nintroduced_by: "[[{first}]]"\n---\n# {bob}\n'
    )
    card = CARD.replace(
        "{% if introducer %}", "{% if introducer %}<dd>{{ introducer.company }}</dd>", 1
    )
    project.write(project.templates / "person-card.html", card)
    session = ServeSession()
    build(project.inputs(), addresses, session.begin(""))
    session.finish()
    project.write(project.people / f"{first}.md", f"---\ncompany: Renamed Co\n---\n# {first}\n")
    served = build(project.inputs(), addresses, session.begin(""))
    session.finish()
    drawn = {src for src in served.pages if src.endswith(".md") and "/" not in src}
    redrawn = drawn - served.reused
    # The edited person, and the person whose card shows the edited company.
    assert redrawn == {f"{first}.md", f"{bob}.md"}
    assert any("Renamed Co" in block for block in served.pages[f"{bob}.md"][1])
    _assert_same(served, build(project.inputs(), addresses), "the introducer's company")


def test_new_and_deleted_people_are_mended_not_worked_out_afresh(tmp_path: Path) -> None:
    """A new person named by others' logs and introducers, then deleted: the analyses
    that read every log are mended (backlinks, interactions, follow-ups), and each
    build equals a fresh one; a journal note naming the newcomer starts afresh."""
    project = Project(tmp_path, random.Random(3))
    people = project.people
    first, second = project.names()[:2]
    project.write(
        people / f"{first}.md",
        f"---\ntier: core\n---\n# {first}\n\n## Log\n\n- 2026-11-10 coffee: with [[Nia New]]\n",
    )
    project.write(
        people / f"{second}.md",
        f'---\nintroduced_by: "[[Nia New]]"\n---\n# {second}\n\nMet [[Nia New]].\n',
    )
    session = ServeSession()
    build(project.inputs(), addresses, session.begin(""))
    session.finish()

    def rebuild(what: str, mends: bool) -> None:
        kept = session.begin("")
        wiki = Wiki(project.inputs(), kept)
        wiki.plan(addresses(wiki))
        assert (wiki.site.since is not None) == mends, what
        session.fail()
        served = build(project.inputs(), addresses, session.begin(""))
        session.finish()
        assert served.reused or not mends, what  # a journal edit draws every page again
        _assert_same(served, build(project.inputs(), addresses), what)
        _assert_carried_reads_are_fresh(session, project, what)

    project.write(
        people / "Nia New.md", "---\ntier: active\n---\n# Nia New\n\n- 2026-11-01 call: hi\n"
    )
    rebuild("added", mends=True)
    (people / "Nia New.md").unlink()
    rebuild("deleted", mends=True)
    project.write(project.journal / "2026-11-12.md", "# Lunch\n\nWith [[Nia New]].\n")
    rebuild("a journal note naming nobody yet", mends=False)
    project.write(people / "Nia New.md", "---\ntier: active\n---\n# Nia New\n")
    rebuild("added, named by a note", mends=False)


def _rebuilds(project: Project, steps: int = 8) -> Iterator[tuple[int, str, Output]]:
    """A serve session on ``project``: after each random edit, the rebuild's output."""
    session = ServeSession()
    build(project.inputs(), addresses, session.begin(""))
    session.finish()
    for step in range(steps):
        what = project.edit()
        served = build(project.inputs(), addresses, session.begin(""))
        session.finish()
        yield step, what, served


class _ShippedPages(Project):
    """Edits that leave kith's templates showing what they ship with."""

    KINDS = tuple(kind for kind in Project.KINDS if kind != "shows")


@pytest.mark.parametrize("seed", range(8))
def test_kiths_own_templates_never_find_a_carried_result_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """What the analyses declare they read covers what kith's own pages show of the
    contacts in their results: the fallback that works everything out afresh (a user's
    template showing more) never runs for them."""
    from kith.analyses.site import Site

    fallbacks: list[str] = []
    monkeypatch.setattr(Site, "afresh", lambda self: fallbacks.append("afresh"))
    for step, what, _ in _rebuilds(_ShippedPages(tmp_path, random.Random(seed))):
        assert not fallbacks, f"step {step}: {what}"


class _Showing(Project):
    """Every page that shows people, in a user's copy showing more of them."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        super().__init__(root, rng)
        for name in sorted(SHOWN):
            self.shows(name)


@pytest.mark.parametrize("seed", range(12))
def test_templates_showing_more_than_the_analyses_read_stay_fresh(
    tmp_path: Path, seed: int
) -> None:
    """A result carried over holds the last build's contacts: pages showing fields of
    them that their analysis does not read are a fresh build's after every edit."""
    project = _Showing(tmp_path, random.Random(seed))
    for step, what, served in _rebuilds(project):
        _assert_same(served, build(project.inputs(), addresses), f"step {step}: {what}")
