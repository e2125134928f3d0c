"""What ``make_faiss_index`` costs a build, with faiss's default OpenMP threads and with one.

    .venv/bin/python bench/faiss_train.py [--index bench/out/build/index] [--rounds 2]

Reads the vectors of a built index (by default the ≥ 10,000-chunk SQuAD build that
bench/build_throughput.py leaves behind) and times ``index.make_faiss_index`` with the index
type ``index_spec`` picks for that count, alternating default threads and one thread. This is
the part of every build (full or incremental) that is not embedding. Writes
bench/out/faiss_train.json.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from common import OUT, write_result

from bot.index import index_spec, live_build, make_faiss_index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=OUT / "build" / "index")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    import faiss

    vectors = np.ascontiguousarray(np.load(live_build(args.index) / "vectors.npy"))
    spec = index_spec(len(vectors), dimension=vectors.shape[1])
    default_threads = faiss.omp_get_max_threads()
    times: dict[str, list[float]] = {f"{default_threads} threads": [], "1 thread": []}
    for _ in range(args.rounds):
        for label, threads in ((f"{default_threads} threads", default_threads), ("1 thread", 1)):
            faiss.omp_set_num_threads(threads)
            started = time.perf_counter()
            make_faiss_index(vectors, spec)
            times[label].append(round(time.perf_counter() - started, 2))
            print(f"{len(vectors)} × {spec}, {label}: {times[label][-1]} s", flush=True)
    medians = {label: statistics.median(values) for label, values in times.items()}
    write_result("faiss_train", {"vectors": len(vectors), "index_type": spec, "runs_s": times,
                                 "median_s": medians})


if __name__ == "__main__":
    main()
