"""What a loaded index costs per chunk: load time, memory, and hybrid search time.

    .venv/bin/python bench/index_footprint.py [--index bench/out/build/index]

Loads a built index (by default the ≥ 10,000-chunk SQuAD build that bench/build_throughput.py
leaves behind) the way ``Answerer.load`` does: ``load_index`` then ``Retriever``. Reports the
time and resident-memory growth of each, per chunk, and the time of ``Retriever.search`` with
the vector of a real chunk as the query (no model needed). It also times the two whole-corpus
NumPy steps ``Retriever`` runs per query (``argsort`` of every BM25 score) at 1M scores, to
show what they cost at the scale of bench/scale_faiss.py. Writes bench/out/index_footprint.json.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
from common import OUT, current_rss_mb, summary_ms, write_result

from bot.index import load_index
from bot.retrieve import Retriever
from bot.settings import DEFAULT_MODEL

QUESTIONS = [
    "When did the Normans conquer England?",
    "What is the main source of energy for the Amazon rainforest?",
    "Who designed the first steam engine?",
    "How many people live in Warsaw?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=OUT / "build" / "index")
    args = parser.parse_args()

    rss0, t0 = current_rss_mb(), time.perf_counter()
    index = load_index(args.index, model=DEFAULT_MODEL)
    rss1, t1 = current_rss_mb(), time.perf_counter()
    retriever = Retriever(index)
    rss2, t2 = current_rss_mb(), time.perf_counter()
    chunks = len(index.chunks)
    result: dict[str, Any] = {
        "chunks": chunks,
        "load_index_s": round(t1 - t0, 2),
        "load_index_rss_mb": round(rss1 - rss0, 1),
        "retriever_s": round(t2 - t1, 2),
        "retriever_rss_mb": round(rss2 - rss1, 1),
        "kb_per_chunk": round((rss2 - rss0) * 1024 / chunks, 2),
        "ms_per_1000_chunks_to_load": round((t2 - t0) * 1e6 / chunks, 1),
        "search": _search_times(retriever),
        "argsort_1m_ms": _argsort_1m(),
    }
    print(f"{chunks} chunks: load_index {result['load_index_s']} s "
          f"(+{result['load_index_rss_mb']} MB), Retriever {result['retriever_s']} s "
          f"(+{result['retriever_rss_mb']} MB) → {result['kb_per_chunk']} KB per chunk")
    print(f"Retriever.search (hybrid, k=10): p50 {result['search']['p50_ms']} ms, "
          f"p95 {result['search']['p95_ms']} ms")
    print(f"at 1M scores: argsort {result['argsort_1m_ms']['argsort']} ms, "
          f"argpartition + sort of the top 50: {result['argsort_1m_ms']['argpartition']} ms")
    write_result("index_footprint", result)


def _search_times(retriever: Retriever) -> dict[str, float]:
    vectors = retriever.index.vectors
    rows = np.random.default_rng(0).choice(len(vectors), 100, replace=False)
    seconds = []
    for n, row in enumerate(rows):
        query = np.asarray(vectors[row], dtype=np.float32)
        started = time.perf_counter()
        retriever.search(QUESTIONS[n % len(QUESTIONS)], query, k=10)
        seconds.append(time.perf_counter() - started)
    return summary_ms(seconds[10:])


def _argsort_1m() -> dict[str, float]:
    scores = np.random.default_rng(0).random(1_000_000, dtype=np.float32)
    full, partial = [], []
    for _ in range(20):
        started = time.perf_counter()
        np.argsort(-scores, kind="stable")[:50]
        middle = time.perf_counter()
        top = np.argpartition(-scores, 50)[:50]
        top[np.argsort(-scores[top], kind="stable")]
        full.append(middle - started)
        partial.append(time.perf_counter() - middle)
    return {"argsort": summary_ms(full)["p50_ms"], "argpartition": summary_ms(partial)["p50_ms"]}


if __name__ == "__main__":
    main()
