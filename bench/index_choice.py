"""Which vector index at which size: recall@10 and search time on real-text and random vectors.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/index_choice.py [--sizes 100000 1000000]

Vectors: "real" are grown from real embeddings (bench/scale_vectors.py: the real ones, then each
a real one plus noise scaled to its nearest-neighbour distance); "random" are uniform unit
vectors, the worst case. Queries for "real": 200 real embeddings held out of the growing (so
no query has copies of itself in the index); random directions for "random". Every
candidate is searched as `bot.index.StoredIndex.search` searches an approximate index: the
index returns ``k × REFINE`` candidates, re-scored exactly from the float32 vectors. One faiss
thread (as serving uses), 200 queries, k=10, ground truth by exact search. Writes
bench/out/index_choice.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import write_result  # noqa: E402
from scale_e2e import exact_top  # noqa: E402
from scale_vectors import grow, random_unit, real_vectors  # noqa: E402

from bot.index import REFINE, make_faiss_index  # noqa: E402

QUERIES = 200


def candidates(size: int) -> list[tuple[str, int]]:
    lists = 2 ** max(4, round(np.log2(np.sqrt(size))))
    return [
        ("Flat", 0),
        ("PQ192x4fs", 0),
        *[(f"IVF{lists},PQ192x4fs", probe) for probe in (lists // 32, lists // 16, lists // 8)],
    ]


_BUILT: dict[tuple[int, str], tuple[Any, float]] = {}


def run(vectors: Any, queries: Any, spec: str, nprobe: int, refine: int = REFINE) -> dict[str, Any]:
    key = (id(vectors), spec)
    if key not in _BUILT:
        _BUILT.clear()
        started = time.perf_counter()
        _BUILT[key] = (make_faiss_index(vectors, spec), time.perf_counter() - started)
    index, build = _BUILT[key]
    if nprobe:
        index.nprobe = nprobe
    truth = exact_top(vectors, queries, 10)

    def search(query: Any) -> list[int]:
        if spec == "Flat":
            return [int(i) for i in index.search(query[None, :], 10)[1][0]]
        ids = index.search(query[None, :], 10 * refine)[1][0]
        ids = np.unique(ids[ids >= 0])
        scores = vectors[ids] @ query
        return [int(ids[i]) for i in np.lexsort((ids, -scores))[:10]]

    times, hits = [], 0
    for row, query in enumerate(queries):
        started = time.perf_counter()
        found = search(query)
        times.append(time.perf_counter() - started)
        hits += len(set(found) & set(truth[row].tolist()))
    return {
        "spec": spec,
        "nprobe": nprobe,
        "refine": refine,
        "build_s": round(build, 1),
        "recall_at_10": round(hits / (10 * len(queries)), 4),
        "p50_ms": round(statistics.median(times) * 1e3, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--kinds", nargs="+", default=["real", "random"])
    parser.add_argument("--refine", type=int, nargs="+", default=[REFINE], help="× k re-scored")
    parser.add_argument(
        "--only", help="only this candidate, as SPEC@NPROBE (e.g. IVF1024,PQ192x4fs@128)"
    )
    args = parser.parse_args()
    real = real_vectors()
    rows = []
    for size in args.sizes:
        for kind in args.kinds:
            if kind == "real":
                held = np.random.default_rng(7).permutation(len(real))
                vectors = grow(real[held[QUERIES:]], size)
                queries = real[held[:QUERIES]]
            else:
                vectors = random_unit(size, real.shape[1])
                queries = random_unit(QUERIES, real.shape[1], seed=7)
            chosen = candidates(size)
            if args.only:
                spec_only, probe_only = args.only.split("@")
                chosen = [(spec_only, int(probe_only))]
            for spec, nprobe in chosen:
                for refine in args.refine:
                    result = run(vectors, queries, spec, nprobe, refine)
                    row = {"size": size, "vectors": kind, **result}
                    print(row, flush=True)
                    rows.append(row)
    name = "index_choice" + "".join(f"_{size}" for size in args.sizes) + "_" + "_".join(args.kinds)
    write_result(name + ("_only" if args.only else ""), {"rows": rows})


if __name__ == "__main__":
    main()
