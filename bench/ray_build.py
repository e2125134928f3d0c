"""Build throughput on Ray (``BOT_RAY_ADDRESS=local``) with 1 and 2 workers, beside a local build.

    .venv/bin/python bench/ray_build.py [--squad PATH] [--copies 2]

Writes the SQuAD articles ``--copies`` times into bench/out/ray/seeds (bench/common.py), then
runs ``python -m bot index build --full --json`` as users run it: in-process (local), and on a
fresh local Ray instance with ``BOT_RAY_WORKERS`` 1 and 2. To separate Ray's fixed costs
(starting Ray, starting the actors, each loading the model) from the per-chunk rate, the same
three builds run on a one-paragraph corpus too. Prints chunks/s end to end, the fixed overhead,
and the per-worker rate once the overhead is taken off. Last, ``--driver`` times what the
machine running the build does besides embedding (reading, chunking with the real tokenizer's
token counts, writing FAISS) with a no-op embedder: the serial part a cluster cannot spread.
Writes bench/out/ray_build.json.
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
    parser.add_argument("--driver", action="store_true",
                        help="only time the driver's share (no embedding) on the same corpus")
    args = parser.parse_args()
    if args.driver:
        driver_only(args.squad, args.copies)
        return
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


def driver_only(squad_path: Path, copies: int) -> None:
    import time

    import numpy as np

    from bot.build import build_index
    from bot.embed import SentenceTransformerEmbedder
    from bot.settings import Settings

    class TokensOnly:
        """The real model's token counts; vectors of zeros (no embedding)."""

        def __init__(self) -> None:
            self.model = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
            self.name, self.dimension = self.model.name, self.model.dimension

        def count_tokens(self, text: str) -> int:
            return self.model.count_tokens(text)

        def encode(self, texts: Any, *, batch_size: int = 64, progress: Any = None) -> Any:
            return np.zeros((len(texts), self.dimension), dtype=np.float32)

    root = OUT / "ray-driver"
    shutil.rmtree(root, ignore_errors=True)
    write_squad_seeds(require_squad(squad_path), root / "seeds", copies=copies)
    embedder = TokensOnly()
    settings = Settings(BOT_SEEDS_DIR=root / "seeds", BOT_INDEX_DIR=root / "index")
    started = time.perf_counter()
    summary = build_index(settings, full=True, embedder_factory=lambda _settings: embedder)
    seconds = time.perf_counter() - started
    result = {"chunks": summary.chunks, "seconds": round(seconds, 2),
              "chunks_per_s": round(summary.chunks / seconds, 1)}
    print(f"driver only (no embedding): {summary.chunks} chunks in {result['seconds']} s = "
          f"{result['chunks_per_s']} chunks/s")
    write_result("ray_build_driver", result)


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
