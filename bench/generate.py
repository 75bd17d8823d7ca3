"""A synthetic network of N contacts, with a git history, for the benchmark.

Deterministic for a given N and seed: the same files every run.
"""

from __future__ import annotations

import random
import subprocess
from datetime import date, timedelta
from pathlib import Path

FIRST = [
    "Ada",
    "Ben",
    "Chloe",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Liam",
    "Maya",
    "Nikos",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Xenia",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Abe",
    "Berg",
    "Costa",
    "Diallo",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Horvat",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zeller",
]
INDUSTRIES = [
    "Software",
    "Fintech",
    "Healthcare",
    "Education",
    "Design",
    "Nonprofit",
    "Manufacturing",
    "Media",
    "Public Sector",
    "Energy",
    "Venture Capital",
    "Research",
]
CITIES = ["Berlin", "Munich", "Hamburg", "Amsterdam", "London", "Lisbon", "Warsaw", "Nairobi"]
HOW = ["PyCon DE", "a meetup", "open source", "former colleague", "volunteering", "her blog"]
KINDS = ["coffee", "call", "lunch", "email", "meeting", "event", "gave", "received"]
TIERS = ["core"] * 1 + ["active"] * 4 + ["network"] * 12 + ["prospect"] * 2


def names(count: int, rng: random.Random) -> list[str]:
    result: list[str] = []
    seen: set[str] = set()
    while len(result) < count:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in seen:
            name = f"{name} {len(result)}"
        seen.add(name)
        result.append(name)
    return result


def contact_text(
    name: str, everyone: list[str], rng: random.Random, today: date, company: str
) -> str:
    industry = rng.choice(INDUSTRIES)
    tier = rng.choice(TIERS)
    met = today - timedelta(days=rng.randint(30, 3000))
    lines = [
        "---",
        f"name: {name}",
        f"company: {company}",
        f"role: {rng.choice(['Engineer', 'Designer', 'Manager', 'Founder', 'Researcher'])}",
        f"industry: {industry}" if rng.random() > 0.1 else "industry: [Software, " + industry + "]",
        f"location: {rng.choice(CITIES)}",
        f"tier: {tier}",
        f"met: {met.isoformat()}",
        f"how_met: {rng.choice(HOW)}",
        f"email: {name.lower().replace(' ', '.')}@example.com",
        f"checked: {(today - timedelta(days=rng.randint(0, 700))).isoformat()}",
    ]
    if rng.random() < 0.3:
        lines.append(f'introduced_by: "[[{rng.choice(everyone)}]]"')
    if rng.random() < 0.2:
        lines.append("worked_with: true")
    lines += [
        "---",
        "",
        f"# {name}",
        "",
        f"Met through {rng.choice(HOW)}. Knows [[{rng.choice(everyone)}]].",
        "",
        "## Log",
        "",
    ]
    for _ in range(rng.randint(0, 8)):
        when = today - timedelta(days=rng.randint(0, 700))
        kind = rng.choice(KINDS)
        box = "[ ] " if rng.random() < 0.05 else ""
        mention = f" with [[{rng.choice(everyone)}]]" if rng.random() < 0.3 else ""
        lines.append(f"- {box}{when.isoformat()} {kind}: talked about the project{mention}.")
    return "\n".join(lines) + "\n"


def generate(root: Path, count: int, today: date, seed: int = 7, commits: int = 3) -> list[str]:
    """Write ``count`` contacts into ``root/people`` and commit them in a few steps."""
    rng = random.Random(seed)
    people = root / "people"
    people.mkdir(parents=True)
    everyone = names(count, rng)
    companies = [f"Company {i}" for i in range(max(count // 8, 1))]
    for name in everyone:
        (people / f"{name}.md").write_text(
            contact_text(name, everyone, rng, today, rng.choice(companies)), encoding="utf-8"
        )
    env = {
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(root),
    }
    git = ["git", "-C", str(root), "-c", "commit.gpgsign=false", "-c", "gc.auto=0"]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    when = today - timedelta(days=400)
    subprocess.run(
        [*git, "commit", "-qm", "Import the network"],
        check=True,
        env={
            **env,
            "GIT_AUTHOR_DATE": f"{when}T10:00:00",
            "GIT_COMMITTER_DATE": f"{when}T10:00:00",
        },
    )
    # A few more commits, each changing a company or a checked date in a third of the files.
    for step in range(1, commits):
        for index, name in enumerate(everyone):
            if index % commits == step % commits:
                path = people / f"{name}.md"
                text = path.read_text(encoding="utf-8")
                text = text.replace("company: Company", f"company: Moved{step} Company", 1)
                path.write_text(text, encoding="utf-8")
        when = today - timedelta(days=400 - 100 * step)
        subprocess.run(
            [*git, "commit", "-qam", f"Job changes, round {step}"],
            check=True,
            env={
                **env,
                "GIT_AUTHOR_DATE": f"{when}T10:00:00",
                "GIT_COMMITTER_DATE": f"{when}T10:00:00",
            },
        )
    return everyone
