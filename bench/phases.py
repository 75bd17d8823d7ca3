"""Where a serve session's memory goes: the resident memory at each stage of its builds,
with kith and without (the floor), side by side.

``python bench/phases.py --size 10000`` generates the benchmark's network, then runs
in a fresh process each, the floor's and kith's serve session as ``bench/build_once.py``
does (a build, a pause, a log line, the rebuild). A thread samples the process's
resident memory every 10 ms; the table gives, for each MkDocs event (its first call in
a build, for the events called once per page), the highest figure from that event up
to the next one. The session's peak (``ru_maxrss``) closes each column.

Resident memory is what the benchmark's peak figures measure; it includes memory Python
has freed but keeps for reuse, so a stage's figure is a high-water mark, not what that
stage holds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

PER_PAGE = frozenset(
    {
        "pre_page",
        "page_read_source",
        "page_markdown",
        "page_content",
        "page_context",
        "post_page",
        "pre_template",
        "template_context",
        "post_template",
    }
)
"""Events MkDocs calls once per page or template: only their first call marks a stage."""


def _resident_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def session(project: Path, config_file: str) -> list[tuple[str, float]]:
    """A serve session in this process: ``(stage, highest resident MiB during it)``."""
    from build_once import edit
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.plugins import PluginCollection

    samples: list[tuple[float, float]] = []
    marks: list[tuple[float, str]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((time.perf_counter(), _resident_mib()))
            time.sleep(0.01)

    seen: set[str] = set()
    run_event = PluginCollection.run_event

    def marking(self: Any, name: str, item: Any = None, **kwargs: Any) -> Any:
        if name not in PER_PAGE or name not in seen:
            marks.append((time.perf_counter(), f"{build_number[0]} {name}"))
        seen.add(name)
        return run_event(self, name, item, **kwargs)

    build_number = [1]
    PluginCollection.run_event = marking  # type: ignore[method-assign]
    threading.Thread(target=sample, daemon=True).start()
    config = load_config(config_file)
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    del config  # as ``mkdocs serve`` lets go of a finished build
    marks.append((time.perf_counter(), "1 (pause, then a log line)"))
    time.sleep(2)
    edit(project, "log")
    build_number[0], seen = 2, set()
    build(load_config(config_file))
    marks.append((time.perf_counter(), "2 (end)"))
    time.sleep(0.05)
    done.set()
    stages = []
    for at, (start, name) in enumerate(marks):
        end = marks[at + 1][0] if at + 1 < len(marks) else float("inf")
        during = [mib for when, mib in samples if start <= when < end]
        if not during:  # a stage shorter than a sample: the figure when it ran
            during = [mib for when, mib in samples if when < end][-1:]
        stages.append((name, max(during, default=0.0)))
    stages.append(("session peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--child", nargs=2, metavar=("PROJECT", "CONFIG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        project, config_file = Path(args.child[0]), args.child[1]
        os.environ["NO_MKDOCS_2_WARNING"] = "1"
        os.chdir(project)
        print(json.dumps(session(project, config_file)))
        return
    from build_once import reset
    from generate import generate
    from run import TODAY, configure

    root = Path(tempfile.mkdtemp(prefix=f"kith-phases-{args.size}-"))
    try:
        generate(root, args.size, TODAY)
        configure(root)
        columns = {}
        for label, config_file in (("floor", "mkdocs-floor.yml"), ("kith", "mkdocs.yml")):
            reset(root)
            shutil.rmtree(root / "site", ignore_errors=True)
            output = subprocess.run(
                [sys.executable, __file__, "--child", str(root), config_file],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            columns[label] = dict(json.loads(output.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    floor, kith = columns["floor"], columns["kith"]
    print(f"A serve session at {args.size:,} contacts: highest resident MiB per stage")
    print(f"{'build  stage':<34} | {'floor':>7} | {'kith':>7}")
    for stage in dict.fromkeys([*kith, *floor]):
        cells = [
            f"{column[stage]:7.0f}" if stage in column else f"{'':>7}"
            for column in columns.values()
        ]
        print(f"{stage:<34} | {cells[0]} | {cells[1]}")


if __name__ == "__main__":
    main()
