"""What a second thread costs a vector search, in one process (docs/PERFORMANCE.md §11).

    .venv/bin/python bench/gil_handoff.py [--vectors 50000] [--searches 300]

The bot embeds and searches a question on a worker thread while the answering thread does the
word search (`bot.retrieve.Retriever.search`). Both are Python threads: FAISS and ONNX Runtime
let go of the interpreter lock while they compute, but the Python around them (the call itself,
numpy's small steps after it) needs it back. This measures one search on a worker thread (FAISS
over random unit vectors, then the few numpy steps the bot's re-scoring takes) while the other
thread is idle, is busy in Python, or is busy in numpy calls long enough to let go of the lock;
and busy in Python again with a shorter switch interval (``sys.setswitchinterval``). Prints the
p50 of each, and its ratio to the idle one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=300)
    args = parser.parse_args()
    import faiss

    faiss.omp_set_num_threads(1)  # as the bot runs it
    rng = np.random.default_rng(0)
    vectors = unit(rng.standard_normal((args.vectors, 384), dtype=np.float32))
    index = faiss.IndexFlatIP(384)
    index.add(vectors)
    queries = unit(rng.standard_normal((args.searches, 384), dtype=np.float32))

    def search(query: np.ndarray) -> None:
        _, ids = index.search(query[None, :], 320)
        rows = ids[0][ids[0] >= 0]
        scores = vectors[rows] @ query  # the re-scoring's few small steps
        np.lexsort((rows, -scores))

    idle = timed(search, queries, beside=None)
    print(f"{'other thread idle:':46s} p50 {idle * 1e3:7.3f} ms")
    default = sys.getswitchinterval()
    for label, beside, interval in (
        ("busy in Python", python_loop, default),
        ("busy in numpy (lock released)", numpy_loop, default),
        ("busy in Python, 1 ms switch", python_loop, 0.001),
    ):
        sys.setswitchinterval(interval)
        try:
            p50 = timed(search, queries, beside=beside)
        finally:
            sys.setswitchinterval(default)
        name = f"other thread {label}:"
        print(f"{name:46s} p50 {p50 * 1e3:7.3f} ms  ({p50 / idle:.1f}× idle)")


def timed(
    search: Callable[[np.ndarray], None],
    queries: np.ndarray,
    beside: Callable[[threading.Event], None] | None,
) -> float:
    """The p50 of one search on a worker thread, with ``beside`` running on another."""
    stop = threading.Event()
    other = threading.Thread(target=beside, args=(stop,)) if beside else None
    if other is not None:
        other.start()
    times: list[float] = []

    def work() -> None:
        for query in queries:
            started = time.perf_counter()
            search(query)
            times.append(time.perf_counter() - started)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    stop.set()
    if other is not None:
        other.join()
    return statistics.median(times)


def python_loop(stop: threading.Event) -> None:
    total = 0
    while not stop.is_set():
        for i in range(1000):
            total += i * i


def numpy_loop(stop: threading.Event) -> None:
    values = np.random.default_rng(1).random(1 << 20)
    while not stop.is_set():  # one core: an element-wise loop, not a threaded BLAS call
        np.sqrt(values, out=values)


def unit(rows: np.ndarray) -> np.ndarray:
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


if __name__ == "__main__":
    main()
