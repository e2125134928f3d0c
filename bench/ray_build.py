"""Build throughput on Ray (``BOT_RAY_ADDRESS=local``) with 1 and 2 workers, beside a local build.

    .venv/bin/python bench/ray_build.py [--squad PATH] [--copies 2]

Writes the SQuAD articles ``--copies`` times into bench/out/ray/seeds (bench/common.py), then
runs ``python -m bot index build --full --json`` as users run it: in-process (local), and on a
fresh local Ray instance with ``BOT_RAY_WORKERS`` 1 and 2. To separate Ray's fixed costs
(starting Ray, starting the actors, each loading the model) from the per-chunk rate, the same
three builds run on a one-paragraph corpus too. Prints chunks/s end to end, the fixed overhead,
and the per-worker rate once the overhead is taken off; writes bench/out/ray_build.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from common import DEFAULT_SQUAD, OUT, ROOT, require_squad, write_result, write_squad_seeds

TIMEOUT = 3600
MODES: dict[str, dict[str, str]] = {
    "local": {},
    "ray-1": {"BOT_RAY_ADDRESS": "local", "BOT_RAY_WORKERS": "1"},
    "ray-2": {"BOT_RAY_ADDRESS": "local", "BOT_RAY_WORKERS": "2"},
}
TINY = "A short note\n\nThe note has one paragraph, so that a build of it is all fixed costs.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--copies", type=int, default=2)
    args = parser.parse_args()
    squad = require_squad(args.squad)
    root = OUT / "ray"
    shutil.rmtree(root, ignore_errors=True)
    write_squad_seeds(squad, root / "seeds", copies=args.copies)
    (root / "tiny").mkdir(parents=True)
    (root / "tiny" / "note.txt").write_text(TINY, encoding="utf-8")
    result: dict[str, Any] = {"cpus": os.cpu_count(), "copies": args.copies, "modes": {}}
    for name, extra in MODES.items():
        tiny = build(root, "tiny", name, extra)
        big = build(root, "seeds", name, extra)
        overhead = tiny["seconds"]
        steady = big["embedded_chunks"] / max(big["seconds"] - overhead, 1e-9)
        workers = max(int(big.get("workers", 1)), 1)
        mode = {
            "chunks": big["embedded_chunks"],
            "seconds": big["seconds"],
            "chunks_per_s": round(big["embedded_chunks"] / big["seconds"], 1),
            "fixed_seconds": round(overhead, 1),
            "chunks_per_s_after_fixed": round(steady, 1),
            "per_worker_chunks_per_s": round(steady / workers, 1),
            "embedder": big["embedder"],
            "workers": big["workers"],
        }
        result["modes"][name] = mode
        print(f"{name}: {mode['chunks']} chunks in {mode['seconds']} s = "
              f"{mode['chunks_per_s']} chunks/s; fixed {mode['fixed_seconds']} s (one-paragraph "
              f"build); {mode['chunks_per_s_after_fixed']} chunks/s after it, "
              f"{mode['per_worker_chunks_per_s']} per worker")
    write_result("ray_build", result)


def build(root: Path, seeds: str, name: str, extra: dict[str, str]) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_"))}
    env.update(HF_HUB_OFFLINE="1", BOT_SEEDS_DIR=seeds, BOT_INDEX_DIR=f"index-{name}-{seeds}",
               BOT_FEEDBACK_DB=str(root / "feedback.sqlite3"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
               **extra)
    command = [sys.executable, "-m", "bot", "index", "build", "--full", "--json"]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT)
    if done.returncode != 0:
        raise SystemExit(f"{name} build failed: {done.stderr.strip()[-500:]}")
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary


if __name__ == "__main__":
    main()
