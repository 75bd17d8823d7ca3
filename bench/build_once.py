"""One measured build in a fresh process, for the benchmark; prints one JSON line.

Modes: ``floor`` (MkDocs + Material without kith), ``floor-serve`` (the floor's
serve session: a build, a log line, the rebuild), ``cold`` (with kith), and
``rebuild-<edit>`` (with kith: a build, an edit, then the rebuild ``mkdocs serve`` does):
``log`` (a log line added to one contact), ``company`` and ``tier`` (one contact's
company or tier changed), ``person`` (a new contact file naming one person),
``all`` (a log line added to every contact: a checkout, a sync).
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

NEWCOMER = "Newcomer Benchmark.md"
"""The file the ``person`` edit adds."""


def reset(project: Path) -> None:
    """Undo every edit: the people folder as committed. Else a second run of an edit
    would find it made (the company renamed, the new person there) and time a rebuild
    that has nothing to redraw."""
    subprocess.run(["git", "-C", str(project), "checkout", "-q", "--", "people"], check=True)
    (project / "people" / NEWCOMER).unlink(missing_ok=True)


def edit(project: Path, kind: str) -> None:
    """The edit a person makes between two serve builds."""
    files = sorted((project / "people").glob("*.md"))
    files = [f for f in files if f.name not in ("index.md", NEWCOMER)]
    if kind == "person":
        named = files[len(files) // 3].stem
        (project / "people" / NEWCOMER).write_text(
            f'---\ncompany: Newco\ntier: active\nintroduced_by: "[[{named}]]"\n---\n'
            f"# Newcomer Benchmark\n\n- 2026-11-20 coffee: met through [[{named}]]\n",
            encoding="utf-8",
        )
        return
    line = "\n- 2026-11-20 call: edited during serve\n"
    for path in files if kind == "all" else [files[len(files) // 2]]:
        text = path.read_text(encoding="utf-8")
        if kind in ("log", "all"):
            text += line
        elif kind == "company":
            text = re.sub(r"(?m)^company: .*$", "company: Renamed Company", text, count=1)
        elif kind == "tier":
            changed = re.sub(r"(?m)^tier: (?!core$).*$", "tier: core", text, count=1)
            text = changed if changed != text else text.replace("tier: core", "tier: active", 1)
        path.write_text(text, encoding="utf-8")


def _cpu_seconds() -> float:
    """Processor time of this process and of its finished children (git), user and system:
    what the build costs, without the time it waited for the disk."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    project, mode = Path(sys.argv[1]), sys.argv[2]
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.chdir(project)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = "mkdocs-floor.yml" if mode.startswith("floor") else "mkdocs.yml"
    result: dict[str, float] = {}
    if mode.startswith("rebuild-") or mode == "floor-serve":
        config = load_config(config_file)
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        del config  # as ``mkdocs serve`` lets go of a finished build
        time.sleep(2)  # a person reads the reloaded page before saving again
        edit(project, mode.removeprefix("rebuild-") if mode != "floor-serve" else "log")
    start, cpu = time.perf_counter(), _cpu_seconds()
    config = load_config(config_file)
    build(config)
    result["wall"] = time.perf_counter() - start
    result["cpu"] = _cpu_seconds() - cpu
    kith = config.plugins.get("kith")
    result["kith"] = getattr(kith, "own_seconds", 0.0)
    result["kith_cpu"] = getattr(kith, "own_cpu_seconds", 0.0)
    result["history_seconds"] = getattr(kith, "history_seconds", 0.0)
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
