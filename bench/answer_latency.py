"""Warm, in-process latency of ``Answerer.answer()`` beside the floor: one query embedding.

    .venv/bin/python bench/answer_latency.py [--squad PATH] [--queries 200] [--threads N]

For the seed corpus and a SQuAD corpus (one seed file per article, built into bench/out/), it
loads the model once, builds each index, warms up, then for every question times the floor
(``encode_query`` of the same text, same model, same threads) and ``answer()`` back to back,
so both see the same machine state. It also times ``Retriever.search`` alone (the stage
between embedding and quoting). Prints p50/p95 and the ratios; writes
bench/out/answer_latency.json.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path
from typing import Any

from common import (
    DEFAULT_SQUAD,
    OUT,
    ROOT,
    require_squad,
    squad_questions,
    summary_ms,
    write_result,
    write_squad_seeds,
)

from bot.answer import Answerer
from bot.build import build_index
from bot.embed import SentenceTransformerEmbedder
from bot.sentences import normalise_space
from bot.settings import load_settings
from bot.store import load_index

SEED_QUESTIONS = [
    "Who is Stephen Morris?",
    "What did the FBI think about Secure Communities?",
    "Can cities opt out of Secure Communities?",
    "What did the e-mails reveal?",
    "What is Secure Communities?",
    "Who was worried about a rift between local and federal law enforcement?",
    "What did ICE say about opting out?",
    "Why were officials confused?",
]
WARMUP = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--queries", type=int, default=200, help="timed answers per corpus")
    parser.add_argument("--threads", type=int, help="torch and faiss threads (default: theirs)")
    args = parser.parse_args()
    require_squad(args.squad)

    import faiss
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
        faiss.omp_set_num_threads(args.threads)
    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    print(f"model loaded in {time.perf_counter() - started:.1f} s; torch threads "
          f"{torch.get_num_threads()}")
    squad_seeds = OUT / "squad-latency" / "seeds"
    shutil.rmtree(squad_seeds, ignore_errors=True)
    write_squad_seeds(args.squad, squad_seeds)
    corpora = {
        "seed": (ROOT / "seeds", SEED_QUESTIONS),
        "squad": (squad_seeds, squad_questions(args.squad, args.queries)),
    }
    results: dict[str, Any] = {"torch_threads": torch.get_num_threads(), "corpora": {}}
    for name, (seeds, questions) in corpora.items():
        answerer = _answerer(embedder, seeds, OUT / f"index-latency-{name}")
        figures = _measure(answerer, embedder, questions, args.queries)
        results["corpora"][name] = figures
        _print(name, figures)
    write_result("answer_latency" + (f"-threads{args.threads}" if args.threads else ""), results)


def _answerer(embedder: SentenceTransformerEmbedder, seeds: Path, index_dir: Path) -> Answerer:
    shutil.rmtree(index_dir, ignore_errors=True)
    settings = load_settings(seeds_dir=seeds, index_dir=index_dir)
    summary = build_index(settings, full=True, embedder_factory=lambda _: embedder)
    print(f"{seeds.name}: {summary.documents} documents, {summary.chunks} chunks")
    return Answerer(settings, embedder, load_index(index_dir, model=settings.model))


def _measure(
    answerer: Answerer, embedder: SentenceTransformerEmbedder, questions: list[str], count: int
) -> dict[str, Any]:
    for question in questions[:WARMUP]:
        answerer.answer(question)
    floor, search, answer = [], [], []
    retriever = answerer._retriever  # the stage between embedding and quoting, timed alone
    for n in range(count):
        text = normalise_space(questions[n % len(questions)])
        t0 = time.perf_counter()
        vector = embedder.encode_query(text)
        t1 = time.perf_counter()
        retriever.search(text, vector, k=10)
        t2 = time.perf_counter()
        answerer.answer(text)
        t3 = time.perf_counter()
        floor.append(t1 - t0)
        search.append(t2 - t1)
        answer.append(t3 - t2)
    figures: dict[str, Any] = {
        "chunks": len(retriever.index.chunks),
        "floor": summary_ms(floor),
        "search": summary_ms(search),
        "answer": summary_ms(answer),
    }
    figures["p50_ratio"] = round(figures["answer"]["p50_ms"] / figures["floor"]["p50_ms"], 3)
    figures["p95_ratio"] = round(figures["answer"]["p95_ms"] / figures["floor"]["p95_ms"], 3)
    return figures


def _print(name: str, figures: dict[str, Any]) -> None:
    print(f"{name} ({figures['chunks']} chunks, {figures['answer']['n']} answers)")
    for stage in ("floor", "search", "answer"):
        row = figures[stage]
        print(f"  {stage:<7} p50 {row['p50_ms']:7.2f} ms   p95 {row['p95_ms']:7.2f} ms")
    print(f"  answer/floor: p50 {figures['p50_ratio']:.2f}× (target ≤ 1.2)   "
          f"p95 {figures['p95_ratio']:.2f}× (target ≤ 1.5)")


if __name__ == "__main__":
    main()
