"""FAISS at 10k, 100k and 1M chunks, with the index type ``bot.index.index_spec`` picks by size.

    .venv/bin/python bench/scale_faiss.py [--sizes 10000 100000 1000000] [--queries 200]
    .venv/bin/python bench/scale_faiss.py --sizes 1000000 --spec SPEC --params k=v,... --shards 2

The second form compares an alternative: ``--spec``/``--params`` replace what ``index_spec`` and
``search_params`` choose, ``--shards N`` splits the vectors over N indexes searched by N threads
(``faiss.IndexShards``); it writes bench/out/scale_faiss-alt-….json and no plot.

Random unit vectors in 384 dimensions (the hardest case for approximate search: no clusters).
For each size it builds the index exactly as ``index build`` does (``index.make_faiss_index``,
which also applies ``index.search_params``), then measures: build time, index memory (the
serialised size, which is what ``read_index`` allocates), recall@10 against exact search, and
single-query search latency (one query per call, as the bot asks) at k=10 and at k=50 (what
``Retriever`` requests). Writes bench/out/scale_faiss.json and docs/perf-scale.png.
About 8 minutes on 2 cores for the default sizes.
"""

from __future__ import annotations

import argparse
import re
import time
from typing import Any

import numpy as np
import numpy.typing as npt
from common import DOCS, current_rss_mb, summary_ms, write_result

from bot.index import index_spec, make_faiss_index, search_params

DIMENSION = 384
WARMUP = 20
Matrix = npt.NDArray[np.float32]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--spec", help="a FAISS factory string instead of index_spec's choice")
    parser.add_argument("--params", default="", help="search parameters for --spec: k=v,k=v")
    parser.add_argument("--shards", type=int, default=1, help="indexes searched in parallel")
    parser.add_argument("--threads", type=int, help="OpenMP threads (default: faiss's, all cores)")
    args = parser.parse_args()
    import faiss

    if args.threads:
        faiss.omp_set_num_threads(args.threads)
    print(f"faiss {faiss.__version__}, {faiss.omp_get_max_threads()} threads")
    queries = unit_vectors(args.queries, seed=1)
    rows = []
    for size in args.sizes:
        vectors = unit_vectors(size, seed=0)
        rows.append(measure(vectors, queries, spec=args.spec, params=args.params,
                            shards=args.shards))
        print(_line(rows[-1]), flush=True)
    alternative = args.spec is not None or args.shards > 1
    name = "scale_faiss"
    if alternative:
        name += "-alt-" + re.sub(r"\W+", "_", args.spec or "auto") + f"-{args.shards}shards"
    name += f"-threads{args.threads}" if args.threads else ""
    write_result(name, {"threads": faiss.omp_get_max_threads(), "sizes": rows})
    if not alternative:
        plot(rows, suffix=f"-threads{args.threads}" if args.threads else "")


def unit_vectors(count: int, *, seed: int) -> Matrix:
    """``count`` random directions, generated in blocks to bound temporary memory."""
    rng = np.random.default_rng(seed)
    vectors = np.empty((count, DIMENSION), dtype=np.float32)
    for start in range(0, count, 100_000):
        block = rng.standard_normal((min(100_000, count - start), DIMENSION), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        vectors[start : start + len(block)] = block
    return vectors


def measure(
    vectors: Matrix, queries: Matrix, *, spec: str | None, params: str, shards: int
) -> dict[str, Any]:
    import faiss

    spec = spec or index_spec(len(vectors), dimension=vectors.shape[1])
    _, exact = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    rss_before = current_rss_mb()
    started = time.perf_counter()
    index, parts = _build(vectors, spec, params, shards)
    build_seconds = time.perf_counter() - started
    rss_delta = current_rss_mb() - rss_before
    found = np.stack([index.search(q.reshape(1, -1), 10)[1][0] for q in queries])
    recall = float(np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, exact, strict=True)]))
    return {
        "size": len(vectors),
        "index_type": spec if shards == 1 else f"{shards} shards × {spec}",
        "search_params": params or search_params(spec),
        "build_s": round(build_seconds, 2),
        "index_mb": round(sum(faiss.serialize_index(p).nbytes for p in parts) / 1e6, 1),
        "rss_delta_mb": round(rss_delta, 1),
        "flat_float32_mb": round(vectors.nbytes / 1e6, 1),
        "recall_at_10": round(recall, 4),
        "k10": _latency(index, queries, 10),
        "k50": _latency(index, queries, 50),
    }


def _build(vectors: Matrix, spec: str, params: str, shards: int) -> tuple[Any, list[Any]]:
    """What ``index build`` makes (``make_faiss_index``), optionally split into shards."""
    import faiss

    parts = [make_faiss_index(part, spec) for part in np.array_split(vectors, shards)]
    space: Any = faiss.ParameterSpace()
    for part in parts:
        if params:
            space.set_index_parameters(part, params)
    if shards == 1:
        return parts[0], parts
    shards_type: Any = faiss.IndexShards  # the stubs lack the (d, threaded, successive_ids) form
    sharded = shards_type(vectors.shape[1], True, True)
    for part in parts:
        sharded.add_shard(part)
    return sharded, parts


def _latency(index: Any, queries: Matrix, k: int) -> dict[str, float]:
    for query in queries[:WARMUP]:
        index.search(query.reshape(1, -1), k)
    seconds = []
    for query in queries:
        started = time.perf_counter()
        index.search(query.reshape(1, -1), k)
        seconds.append(time.perf_counter() - started)
    return summary_ms(seconds)


def _line(row: dict[str, Any]) -> str:
    return (
        f"{row['size']:>9,} {row['index_type']:<28} build {row['build_s']:7.1f} s  "
        f"index {row['index_mb']:7.1f} MB  recall@10 {row['recall_at_10']:.3f}  "
        f"p50 {row['k10']['p50_ms']:.2f} ms (k=50: {row['k50']['p50_ms']:.2f})  "
        f"p95 {row['k10']['p95_ms']:.2f} ms"
    )


def plot(rows: list[dict[str, Any]], *, suffix: str = "") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["size"] for r in rows]
    figure, (latency, memory, recall) = plt.subplots(1, 3, figsize=(13, 3.8))
    latency.plot(sizes, [r["k10"]["p50_ms"] for r in rows], "o-", label="p50, k=10")
    latency.plot(sizes, [r["k10"]["p95_ms"] for r in rows], "s--", label="p95, k=10")
    latency.axhline(5, color="red", lw=0.8, label="target p50 5 ms")
    latency.set(ylabel="ms per query", title="Search latency (1 query per call)")
    memory.plot(sizes, [r["index_mb"] for r in rows], "o-", label="index (chosen type)")
    memory.plot(sizes, [r["flat_float32_mb"] for r in rows], ":", label="flat float32")
    memory.axhline(1000, color="red", lw=0.8, label="target 1 GB")
    memory.set(ylabel="MB", title="Index memory")
    recall.plot(sizes, [r["recall_at_10"] for r in rows], "o-")
    recall.axhline(0.95, color="red", lw=0.8, label="target 0.95")
    recall.set(ylabel="recall@10 vs exact", title="Recall", ylim=(0.8, 1.005))
    for axes in (latency, memory, recall):
        axes.set(xscale="log", xlabel="chunks (random unit vectors, 384 dims)")
        axes.legend(fontsize=8)
    for row in rows:
        recall.annotate(row["index_type"], (row["size"], row["recall_at_10"]), fontsize=7,
                        textcoords="offset points", xytext=(-30, -12))
    figure.tight_layout()
    DOCS.mkdir(exist_ok=True)
    path = DOCS / f"perf-scale{suffix}.png"
    figure.savefig(path, dpi=110)
    print(f"→ {path.relative_to(DOCS.parent)}")


if __name__ == "__main__":
    main()
