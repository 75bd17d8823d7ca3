"""``make bench``: build a synthetic network with and without kith and print the figures.

For N = 1,000 and 10,000 contacts (override with ``--sizes``): the floor
(MkDocs + Material on the same Markdown, person pages out of the nav, no
kith), kith cold, and kith's rebuild as ``mkdocs serve`` does it after each
kind of edit (``EDITS``); each build in a fresh process, so peak memory is per
build (per serve session for a rebuild).

Wall time includes waiting for the disk: a build writes 200-260 MB of pages at
10,000 contacts, and how long the writes block depends on the disk and on what
was written before (the same floor build took 40 s and 69 s in a row on one
machine, with the same processor time). Each build therefore starts once the
disk has caught up (``os.sync``), and the processor time (user and system, git
included) is printed beside the wall time: it is the figure that holds from one
machine to another.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from build_once import reset
from generate import generate

TODAY = date(2026, 11, 21)
EDITS = ("log", "company", "tier", "person", "all")
"""The edits before a serve rebuild (``build_once.edit``)."""
REPO = Path(__file__).resolve().parents[1]


def configure(root: Path) -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_dir"] = str(root / "site")
    floor = dict(config)
    floor["plugins"] = ["search"]
    floor["nav"] = [{"Home": "index.md"}]
    floor["not_in_nav"] = "/*.md\n"
    (root / "people" / "index.md").write_text("# Home\n", encoding="utf-8")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "kith" in plugin:
            plugin["kith"]["today"] = TODAY.isoformat()
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (root / "mkdocs-floor.yml").write_text(yaml.safe_dump(floor, sort_keys=False), encoding="utf-8")


def measure(root: Path, mode: str) -> dict[str, float]:
    """One build in a fresh process, into an empty site folder, once the disk has written
    what earlier builds left (else a build waits for the writes of the one before, or
    pays for removing its 10,000 pages: see ``cpu``)."""
    reset(root)  # each build starts from the files as generated, each edit is made anew
    shutil.rmtree(root / "site", ignore_errors=True)  # no build pays for removing another's
    os.sync()
    output = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "build_once.py"), str(root), mode],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def measure_all(
    root: Path, modes: list[str], repeat: int
) -> tuple[list[dict[str, float]], dict[str, list[dict[str, float]]]]:
    """Each mode ``repeat`` times, taking turns; the least of each figure per mode, and
    every run's figures by mode (in the order they ran).

    The least is the run the machine disturbed least (other processes only ever
    add time), and taking turns spreads any slow stretch over every mode.
    """
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
    for _ in range(repeat):
        for mode in modes:
            runs[mode].append(measure(root, mode))
    least = [{key: min(run[key] for run in runs[mode]) for key in runs[mode][0]} for mode in modes]
    return least, runs


def git_revision_plugin_seconds(root: Path) -> float | None:
    """Wall time of mkdocs-git-revision-date-localized-plugin's per-file git calls, if installed."""
    try:
        import mkdocs_git_revision_date_localized_plugin  # noqa: F401
    except ImportError:
        return None
    config = yaml.safe_load((root / "mkdocs-floor.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", {"git-revision-date-localized": {"enable_creation_date": True}}]
    (root / "mkdocs-gitrev.yml").write_text(
        yaml.safe_dump(config, sort_keys=False), encoding="utf-8"
    )
    floor = measure(root, "floor")["wall"]
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs-gitrev.yml"],
        cwd=root,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - start - floor


VERSIONED = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pyyaml")
"""What a build's time depends on besides kith: printed with the figures, since a run on
a new installation is compared with runs on older ones."""


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"

    listed = ", ".join(f"{name} {of(name)}" for name in VERSIONED)
    return f"Python {sys.version.split()[0]}, {listed}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--git-plugin", action="store_true", help="also time the git-revision plugin"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="builds per figure; the least is kept (default 3)"
    )
    parser.add_argument(
        "--edits", nargs="+", choices=EDITS, default=list(EDITS), help="the rebuilds to time"
    )
    args = parser.parse_args()
    rows = []
    rounds: dict[int, list[tuple[float, float]]] = {}
    for size in args.sizes:
        root = Path(tempfile.mkdtemp(prefix=f"kith-bench-{size}-"))
        try:
            generate(root, size, TODAY)
            configure(root)
            # The cold build right after the floor's: each round's pair shares its
            # stretch of the machine's speed (``rounds``).
            modes = ["floor", "cold", "floor-serve", *(f"rebuild-{kind}" for kind in args.edits)]
            (floor, cold, floor_serve, *rebuilds), runs = measure_all(root, modes, args.repeat)
            rounds[size] = [
                (with_kith["wall"] / without["wall"], with_kith["cpu"] / without["cpu"])
                for without, with_kith in zip(runs["floor"], runs["cold"], strict=True)
            ]
            floor["serve_mib"] = floor_serve["peak_mib"]
            gitrev = git_revision_plugin_seconds(root) if args.git_plugin else None
            rows.append((size, floor, cold, dict(zip(args.edits, rebuilds, strict=True)), gitrev))
        finally:
            shutil.rmtree(root, ignore_errors=True)
    print(versions())
    header = (
        "contacts",
        "floor s",
        "kith s",
        "ratio",
        "kith own s",
        "floor MiB",
        "kith MiB",
        "mem ratio",
        "git s",
        "floor cpu s",
        "kith cpu s",
        "cpu ratio",
    )
    print(" | ".join(f"{h:>11}" for h in header))
    for size, floor, cold, _, _ in rows:
        cells = (
            f"{size:,}",
            f"{floor['wall']:.2f}",
            f"{cold['wall']:.2f}",
            f"{cold['wall'] / floor['wall']:.2f}",
            f"{cold['kith']:.2f}",
            f"{floor['peak_mib']:.0f}",
            f"{cold['peak_mib']:.0f}",
            f"{cold['peak_mib'] / floor['peak_mib']:.2f}",
            f"{cold['history_seconds']:.2f}",
            f"{floor['cpu']:.2f}",
            f"{cold['cpu']:.2f}",
            f"{cold['cpu'] / floor['cpu']:.2f}",
        )
        print(" | ".join(f"{c:>11}" for c in cells))
    print("\nThe full build, round by round (kith's build right after the floor's), wall and")
    print("processor time:")
    for size, ratios in rounds.items():
        shown = ", ".join(f"{wall:.2f}× ({cpu:.2f}×)" for wall, cpu in ratios)
        print(f"  {size:,} contacts: {shown}")
    print("\nServe rebuilds: kith's own time, as wall and as processor time (shares of its cold")
    print("own time), the whole rebuild's wall time (share of the floor's cold build), and")
    print("the peak memory of the session.")
    header = (
        "contacts",
        "edit",
        "own s",
        "own/cold",
        "own cpu s",
        "cpu/cold",
        "wall s",
        "wall/floor",
        "MiB",
        "mem ratio",
    )
    print(" | ".join(f"{h:>11}" for h in header))
    for size, floor, cold, rebuilds, _ in rows:
        for kind, rebuild in rebuilds.items():
            cells = (
                f"{size:,}",
                kind,
                f"{rebuild['kith']:.2f}",
                f"{rebuild['kith'] / cold['kith']:.1%}",
                f"{rebuild['kith_cpu']:.2f}",
                f"{rebuild['kith_cpu'] / cold['kith_cpu']:.1%}",
                f"{rebuild['wall']:.2f}",
                f"{rebuild['wall'] / floor['wall']:.1%}",
                f"{rebuild['peak_mib']:.0f}",
                f"{rebuild['peak_mib'] / floor['peak_mib']:.2f}",
            )
            print(" | ".join(f"{c:>11}" for c in cells))
    print("\nThe floor's own serve session (a build, a log line, the rebuild) for comparison:")
    for size, floor, _, rebuilds, _ in rows:
        if rebuilds:
            session = max(rebuild["peak_mib"] for rebuild in rebuilds.values())
            print(
                f"  {size:,} contacts: {floor['serve_mib']:.0f} MiB; kith's session peaks at "
                f"{session / floor['serve_mib']:.2f}× that"
            )
    if len(rows) >= 2:
        small, large = rows[0], rows[-1]
        growth = large[2]["kith"] / small[2]["kith"]
        print(
            f"\nkith's own time, {small[0]:,} → {large[0]:,} contacts: grows {growth:.1f}× "
            f"(linear would be {large[0] / small[0]:.0f}×)"
        )
    for size, _, _, _, gitrev in rows:
        if gitrev is not None:
            print(f"git-revision-date-localized plugin, {size:,} contacts: {gitrev:.2f} s of git")
    size, floor, cold, rebuilds, _ = rows[-1]
    targets = [
        ("full build, kith vs without", cold["wall"] / floor["wall"], 1.10, "×"),
        ("full build, processor time", cold["cpu"] / floor["cpu"], 1.10, "×"),
        ("peak memory, kith vs without", cold["peak_mib"] / floor["peak_mib"], 1.15, "×"),
    ]
    own = {"log": 0.10, "company": 0.15, "tier": 0.15}  # kith's own share of its cold time
    for kind, target in own.items():
        if kind in rebuilds:
            share = rebuilds[kind]["kith"] / cold["kith"]
            targets.append((f"rebuild after {kind}, own", share, target, ""))
            share = rebuilds[kind]["kith_cpu"] / cold["kith_cpu"]
            targets.append((f"rebuild after {kind}, own cpu", share, target, ""))
    if "all" in rebuilds:
        targets.append(
            ("rebuild after every file, wall", rebuilds["all"]["wall"] / cold["wall"], 1.0, "×")
        )
    for kind in ("log", "company", "person"):  # what a person waits for after a save
        if kind in rebuilds:
            share = rebuilds[kind]["wall"] / floor["wall"]
            targets.append((f"rebuild wall after {kind}, of floor", share, 0.15, ""))
    if rebuilds:
        session_peak = max(rebuild["peak_mib"] for rebuild in rebuilds.values())
        targets.append(
            ("serve session memory vs floor", session_peak / floor["peak_mib"], 1.3, "×")
        )
    if len(rows) >= 2:
        targets.insert(1, ("own time growth", rows[-1][2]["kith"] / rows[0][2]["kith"], 11, "×"))
    print(f"\nTargets at {size:,} contacts (shares: of kith's cold own time):")
    for name, value, target, unit in targets:
        shown = f"{value:.1%}" if not unit else f"{value:.2f}{unit}"
        wanted = f"{target:.0%}" if not unit else f"{target:g}{unit}"
        verdict = "met" if value <= target else "NOT met"
        print(f"  {name:<36} {shown:>8}  target ≤ {wanted:<6} {verdict}")


if __name__ == "__main__":
    main()
