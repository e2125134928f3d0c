"""How close answers at a large index could come to the query embedding if a part of the work
after the vector search cost nothing (docs/PERFORMANCE.md §13).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/answer_bounds.py --work bench/out/scale-1000000

The work folder is one `bench/scale_e2e.py` leaves (seeds/ and index/). A first process answers
the questions and keeps, for each, the hits the retrieval returned and the answer the gate and the
quotes made. A second process (its caches as cold as the first's were) then answers each
question four ways, in turn, question by question:

- ``answer``: as the bot does;
- ``free_fusion``: the question is embedded, searched by its words (with the read-ahead) and by
  FAISS as usual, but what follows FAISS (re-scoring its candidates, scoring the pool, fusion,
  the hits) is replaced by the hits kept from the first process;
- ``free_quotes``: the real retrieval, but the gate and the quotes replaced by the kept answer;
- ``free_both``: both replaced: only the embedding, the word search, FAISS and the handoffs;
- ``prepared``: as the bot does, but the question was answered once before (untimed, then
  embedded once more, as between two timed answers), so every record, quote, term set and gate
  input it needs is remembered: the most that preparing passages while the question is
  embedded could save.

Each is followed by the question embedded alone (the floor). Prints each p50 and its ratio to the
floor's. What a replaced part costs is a bound on what making it faster can save: the floor of
issue 11 asks for 1.3×.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_SQUAD, squad_questions  # noqa: E402

from bot import retrieve  # noqa: E402
from bot.answer import Answerer  # noqa: E402
from bot.gate import Gate  # noqa: E402
from bot.index import REFINE, REFINED_RESULTS  # noqa: E402
from bot.records import Answer  # noqa: E402
from bot.retrieve import Hit, Mode, Retriever  # noqa: E402
from bot.settings import Settings  # noqa: E402

Kept = tuple[int, int, float, float, float]
"""A hit as kept: row, paragraph group, fused score, cosine, lexical score."""
VARIANTS = ("answer", "free_fusion", "free_quotes", "free_both", "prepared")


class RecordingRetriever(Retriever):
    kept: dict[str, list[Kept]]

    def search(self, question: str, *args: Any, **kwargs: Any) -> list[Hit]:
        hits = super().search(question, *args, **kwargs)
        self.kept[question] = [(h.row, h.group, h.score, h.dense, h.lexical) for h in hits]
        return hits


class RecordingAnswerer(Answerer):
    kept: dict[str, Answer]

    def _quoted_answer(self, question: str, text: str, hits: list[Hit], gate: Gate) -> Answer:
        answer = super()._quoted_answer(question, text, hits, gate)
        self.kept[text] = answer
        return answer


class ReplayingRetriever(Retriever):
    """The question's vector and its word search as the bot makes them; the hits as kept."""

    kept: dict[str, list[Kept]]

    def search(
        self,
        question: str,
        query_vector: npt.NDArray[np.float32] | Callable[[], npt.NDArray[np.float32]],
        *,
        k: int = 10,
        mode: Mode = "hybrid",
        meanwhile: Callable[[list[int]], None] | None = None,
    ) -> list[Hit]:
        assert callable(query_vector)
        depth = min(len(self.index.chunks), max(k * 5, 50))
        faiss_index = self.index.faiss_index
        candidates = max(depth, min(depth, REFINED_RESULTS) * REFINE)  # as `StoredIndex.search`

        def embed_and_search() -> None:
            vector = np.ascontiguousarray(query_vector().reshape(1, -1), dtype=np.float32)
            faiss_index.search(vector, candidates)

        pending = retrieve._DENSE.submit(embed_and_search)
        query_terms = self.query_terms(question)
        lexical = self._lexical_scores(query_terms, with_paragraph=mode == "hybrid")
        self._prefetch(query_terms, lexical.top(depth)[: retrieve.PREFETCH], meanwhile)
        pending.result()
        query = tuple(query_terms)
        return [
            Hit(self, query, row, group, score=score, dense=dense, lexical=words)
            for row, group, score, dense, words in self.kept[question]
        ]


class ReplayingAnswerer(Answerer):
    kept: dict[str, Answer]

    def _quoted_answer(self, question: str, text: str, hits: list[Hit], gate: Gate) -> Answer:
        return self.kept[text]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="a scale_e2e work folder")
    parser.add_argument("--questions", type=int, default=800)
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)  # the first process
    args = parser.parse_args()
    questions = squad_questions(DEFAULT_SQUAD, args.questions)
    if args.record is not None:
        record(args.work, questions, args.record)
        return
    with tempfile.TemporaryDirectory() as scratch:
        kept = Path(scratch) / "kept.pickle"
        command = [sys.executable, __file__, "--work", str(args.work), "--record", str(kept)]
        subprocess.run([*command, "--questions", str(args.questions)], check=True)
        hits, answers = pickle.loads(kept.read_bytes())
    medians = measure(args.work, questions, hits, answers)
    floor = statistics.median(medians.pop("floor"))
    print(f"floor (the query embedding alone) p50 {floor * 1e3:.3f} ms")
    for name in VARIANTS:
        answer = statistics.median(medians[name])
        print(f"{name:12s} p50 {answer * 1e3:.3f} ms  {answer / floor:.2f}× the floor")


def load(work: Path) -> Answerer:
    settings = Settings(BOT_SEEDS_DIR=work / "seeds", BOT_INDEX_DIR=work / "index")
    answerer = Answerer.load(settings)
    answerer.answer("warm up")
    index = answerer._retriever.index
    index.wait_until_resident(600)  # as scale_e2e.py: the 16-bit copy in memory,
    index.wait_until_warm(600)  # the records in the page cache
    return answerer


def record(work: Path, questions: list[str], path: Path) -> None:
    answerer = load(work)
    retriever = answerer._gate.retriever
    retriever.__class__ = RecordingRetriever
    answerer.__class__ = RecordingAnswerer
    hits: dict[str, list[Kept]] = {}
    answers: dict[str, Answer] = {}
    retriever.kept, answerer.kept = hits, answers  # type: ignore[attr-defined]
    for question in questions:
        answerer.answer(question)
    path.write_bytes(pickle.dumps((hits, answers)))


def measure(
    work: Path, questions: list[str], hits: dict[str, list[Kept]], answers: dict[str, Answer]
) -> dict[str, list[float]]:
    answerer = load(work)
    retriever = answerer._gate.retriever
    classes = {
        "answer": (Retriever, Answerer),
        "free_fusion": (ReplayingRetriever, Answerer),
        "free_quotes": (Retriever, ReplayingAnswerer),
        "free_both": (ReplayingRetriever, ReplayingAnswerer),
        "prepared": (Retriever, Answerer),
    }
    seconds: dict[str, list[float]] = {name: [] for name in (*VARIANTS, "floor")}
    for number, question in enumerate(questions):
        name = VARIANTS[(number + number // len(VARIANTS)) % len(VARIANTS)]  # turns rotate
        retriever.__class__, answerer.__class__ = classes[name]
        retriever.kept, answerer.kept = hits, answers  # type: ignore[attr-defined]
        if name == "prepared":
            answerer.answer(question)
            answerer.embedder.encode_query(question)
        started = time.perf_counter()
        answerer.answer(question)
        seconds[name].append(time.perf_counter() - started)
        started = time.perf_counter()
        answerer.embedder.encode_query(question)
        seconds["floor"].append(time.perf_counter() - started)
    return seconds


if __name__ == "__main__":
    main()
