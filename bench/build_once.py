"""One measured build in a fresh process, for the benchmark; prints one JSON line.

Modes: ``floor`` (MkDocs + Material without kith), ``cold`` (with kith), ``rebuild``
(with kith: a build, an edit of one contact, then the rebuild ``mkdocs serve`` does).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    project, mode = Path(sys.argv[1]), sys.argv[2]
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.chdir(project)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = "mkdocs-floor.yml" if mode == "floor" else "mkdocs.yml"
    result: dict[str, float] = {}
    if mode == "rebuild":
        config = load_config(config_file)
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        edited = sorted((project / "people").glob("*.md"))[
            len(list((project / "people").glob("*.md"))) // 2
        ]
        edited.write_text(
            edited.read_text(encoding="utf-8") + "\n- 2026-11-20 call: edited during serve\n",
            encoding="utf-8",
        )
    start = time.perf_counter()
    config = load_config(config_file)
    build(config)
    result["wall"] = time.perf_counter() - start
    kith = config.plugins.get("kith")
    result["kith"] = getattr(kith, "own_seconds", 0.0)
    result["history_seconds"] = getattr(kith, "history_seconds", 0.0)
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
