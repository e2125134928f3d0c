"""Where an answer's wall time goes on a built index: the embedding and the vector search on the
worker thread, the lexical search and read-ahead on the answering thread, and what is left after
the vector arrives (docs/PERFORMANCE.md §10 and §11).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/answer_stages.py --work bench/out/scale-1000000

The work folder is one `bench/scale_e2e.py` leaves (seeds/ and index/). As in that bench, each
question is answered and then embedded alone (the floor), 200 SQuAD questions, once the vectors'
16-bit copy is in memory and the files answers read at random are in the page cache
(`bot.index.PAGE_CACHE_BYTES`). Prints the median of each stage in milliseconds, then the
answer's and the retrieval's alone (up to the hits, before the gate and the quotes) over the
floor. ``of_which_faiss`` is the part of the vector search spent in FAISS itself; the rest
re-scores its candidates from the vectors (`StoredIndex.search`).

``--cold`` first drops the build's files from the page cache (as after a reboot, or once other
work has pushed them out); with ``--no-read-through`` as well, the bot does not read them back in
the background, and answers wait on the disk for each record they read.

``--asked-before`` answers each question once, untimed, before the timed answer (and embeds it
once more between the two): every record, quote and gate input it needs is then remembered,
what preparing passages while the question is embedded could at best achieve (§13).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_SQUAD, squad_questions  # noqa: E402

import bot.index  # noqa: E402
from bot.answer import Answerer  # noqa: E402
from bot.index import CURRENT  # noqa: E402
from bot.retrieve import Retriever  # noqa: E402
from bot.settings import Settings  # noqa: E402

Vector = npt.NDArray[np.float32]


class TimedRetriever(Retriever):
    """The bot's retriever, noting when each stage of a search starts and ends."""

    marks: dict[str, float]

    def search(self, *args: Any, **kwargs: Any) -> Any:
        self.marks = {"search": time.perf_counter()}
        hits = super().search(*args, **kwargs)
        self.marks["retrieved"] = time.perf_counter()
        return hits

    def _embed_and_search(self, embed: Callable[[], Vector], depth: int) -> Any:
        self.marks["worker"] = time.perf_counter()
        vector = embed()
        self.marks["embedded"] = time.perf_counter()
        ranking = self._dense_ranking(vector, depth)
        self.marks["searched"] = time.perf_counter()
        return vector, ranking

    def _prefetch(self, query_terms: Sequence[str], rows: Sequence[int], meanwhile: Any) -> None:
        super()._prefetch(query_terms, rows, meanwhile)
        self.marks["read_ahead"] = time.perf_counter()


class TimedFaiss:
    """The build's FAISS index, noting how long its own search takes (the rest of the vector
    search is the re-scoring of its candidates)."""

    def __init__(self, inner: Any, retriever: TimedRetriever) -> None:
        self.inner, self.retriever = inner, retriever

    def search(self, query: Vector, k: int) -> Any:
        started = time.perf_counter()
        found = self.inner.search(query, k)
        self.retriever.marks["faiss"] = time.perf_counter() - started
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="a scale_e2e work folder")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--cold", action="store_true", help="drop the build from the page cache")
    parser.add_argument(
        "--no-read-through", action="store_true", help="the bot does not read it back in"
    )
    parser.add_argument(
        "--asked-before", action="store_true", help="each question answered once, untimed, first"
    )
    args = parser.parse_args()
    settings = Settings(BOT_SEEDS_DIR=args.work / "seeds", BOT_INDEX_DIR=args.work / "index")
    if args.cold:
        drop_from_page_cache((settings.index_dir / CURRENT).resolve())
    if args.no_read_through:
        bot.index.PAGE_CACHE_BYTES = 0
    answerer = Answerer.load(settings)
    retriever = TimedRetriever(answerer._retriever.index)
    answerer._gate.retriever = retriever
    index = retriever.index  # a frozen dataclass: its FAISS index swapped for a timed one
    object.__setattr__(index, "faiss_index", TimedFaiss(index.faiss_index, retriever))
    answerer.answer("warm up")
    retriever.index.wait_until_resident(600)
    retriever.index.wait_until_warm(600)
    rows = []
    for question in squad_questions(DEFAULT_SQUAD, args.questions):
        if args.asked_before:
            answerer.answer(question)
            answerer.embedder.encode_query(question)
        started = time.perf_counter()
        answerer.answer(question)
        ended = time.perf_counter()
        answerer.embedder.encode_query(question)
        floor = time.perf_counter() - ended
        marks = retriever.marks
        if "read_ahead" not in marks:  # a small index reads nothing ahead
            marks["read_ahead"] = marks["worker"]
        ready = max(marks["searched"], marks["read_ahead"])
        rows.append(
            {
                "answer": ended - started,
                "floor": floor,
                "before_search": marks["search"] - started,
                "to_worker": marks["worker"] - marks["search"],
                "embedding": marks["embedded"] - marks["worker"],
                "vector_search": marks["searched"] - marks["embedded"],
                "of_which_faiss": marks.get("faiss", 0.0),
                "words_and_read_ahead": marks["read_ahead"] - marks["search"],
                "after_both": ended - ready,
                "after_retrieval": ended - marks["retrieved"],
                "to_retrieval": marks["retrieved"] - started,
            }
        )
    for name in rows[0]:
        print(f"{name:22s} p50 {statistics.median(r[name] for r in rows) * 1e3:7.3f} ms")
    answer, floor, retrieval = (
        statistics.median(r[name] for r in rows) for name in ("answer", "floor", "to_retrieval")
    )
    print(f"answer p50 / floor p50: {answer / floor:.2f}×")
    print(
        f"retrieval alone (the hits, before the gate and quotes) p50 / floor p50: "
        f"{retrieval / floor:.2f}×"
    )


def drop_from_page_cache(build: Path) -> None:
    """Ask the kernel to forget the cached pages of every file of a build (clean pages only)."""
    for path in build.iterdir():
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(descriptor)


if __name__ == "__main__":
    main()
