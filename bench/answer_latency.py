"""Warm, in-process latency of ``Answerer.answer()`` with each query backend, beside the floors.

    .venv/bin/python bench/answer_latency.py [--squad PATH] [--queries 200] [--threads N]
                                                [--block 20]

For the seed corpus and a SQuAD corpus (one seed file per article, built into bench/out/), it
loads the model once, builds each index (which also makes the verified ONNX export), warms up,
then times five stages taking turns a block of questions at a time (``--block``), so all see
the same machine state while each runs warm as in a process of its own: the
sentence-transformers floor (``encode_query`` of the same text, one torch thread), the ONNX
floor (the export's ``encode_query``, one ONNX Runtime thread), ``Retriever.search`` alone, and
``answer()`` with each backend. Wall time and the process's CPU time are both recorded (the
process's: an answer embeds its question on a worker thread while its own thread searches the
words). Prints p50/p95 and the ratios; writes bench/out/answer_latency.json."""

from __future__ import annotations

import argparse
import shutil
import time
from collections.abc import Callable
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
from bot.index import load_index
from bot.onnx_encoder import OnnxQueryEncoder, find_export
from bot.sentences import normalise_space
from bot.settings import load_settings

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
    parser.add_argument("--block", type=int, default=20,
                        help="questions per turn of each stage (1: stages alternate per question)")
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
        answerers = _answerers(embedder, seeds, OUT / f"index-latency-{name}")
        figures = _measure(answerers, questions, args.queries, args.block)
        results["corpora"][name] = figures
        _print(name, figures)
    results["block"] = args.block
    suffix = (f"-threads{args.threads}" if args.threads else "") + (
        f"-block{args.block}" if args.block != 20 else "")
    write_result("answer_latency" + suffix, results)


def _answerers(
    embedder: SentenceTransformerEmbedder, seeds: Path, index_dir: Path
) -> dict[str, Answerer]:
    shutil.rmtree(index_dir, ignore_errors=True)
    settings = load_settings(seeds_dir=seeds, index_dir=index_dir)
    summary = build_index(settings, full=True, embedder_factory=lambda _: embedder)
    print(f"{seeds.name}: {summary.documents} documents, {summary.chunks} chunks")
    index = load_index(index_dir, model=settings.model)
    onnx = OnnxQueryEncoder(find_export(index_dir, settings.model))
    return {"torch": Answerer(settings, embedder, index), "onnx": Answerer(settings, onnx, index)}


def _timed(wall: list[float], cpu: list[float], call: Any, *args: Any, **kwargs: Any) -> Any:
    started, started_cpu = time.perf_counter(), time.process_time()
    result = call(*args, **kwargs)
    wall.append(time.perf_counter() - started)
    cpu.append(time.process_time() - started_cpu)
    return result


STAGES = ("floor_torch", "floor_onnx", "search", "answer_torch", "answer_onnx")


def _measure(
    answerers: dict[str, Answerer], questions: list[str], count: int, block: int
) -> dict[str, Any]:
    for question in questions[:WARMUP]:
        for answerer in answerers.values():
            answerer.answer(question)
    wall: dict[str, list[float]] = {stage: [] for stage in STAGES}
    cpu: dict[str, list[float]] = {stage: [] for stage in STAGES}
    retriever = answerers["onnx"]._retriever  # the stage between embedding and quoting
    texts = [normalise_space(questions[n % len(questions)]) for n in range(count)]
    vectors = {text: answerers["onnx"].embedder.encode_query(text) for text in texts}
    calls: dict[str, Callable[[str], Any]] = {
        "floor_torch": answerers["torch"].embedder.encode_query,
        "floor_onnx": answerers["onnx"].embedder.encode_query,
        "search": lambda text: retriever.search(text, vectors[text], k=10),
        "answer_torch": answerers["torch"].answer,
        "answer_onnx": answerers["onnx"].answer,
    }
    # Stages take turns a block of questions at a time: all see the same machine state, and
    # each block runs warm, as a serving process that has only its own model does. Turns of
    # one question (--block 1) time each model just after the other evicted its weights from
    # the CPU caches (ONNX Runtime 3.9 → 6.2 ms of CPU a question here; docs/PERFORMANCE.md §8).
    for start in range(0, count, block):
        chunk = texts[start : start + block]
        for stage in STAGES:
            if block > 1:
                calls[stage](chunk[0])  # untimed: the caches back to this stage's own data
            for text in chunk:
                _timed(wall[stage], cpu[stage], calls[stage], text)
    figures: dict[str, Any] = {"chunks": len(retriever.index.chunks)}
    for stage in STAGES:
        figures[stage] = summary_ms(wall[stage])
        figures[stage]["cpu_p50_ms"] = summary_ms(cpu[stage])["p50_ms"]
        figures[stage]["cpu_mean_ms"] = summary_ms(cpu[stage])["mean_ms"]
    floor = figures["floor_torch"]
    for stage in ("answer_torch", "answer_onnx", "floor_onnx"):
        figures[f"{stage}_p50_ratio"] = round(figures[stage]["p50_ms"] / floor["p50_ms"], 3)
        figures[f"{stage}_p95_ratio"] = round(figures[stage]["p95_ms"] / floor["p95_ms"], 3)
        figures[f"{stage}_cpu_ratio"] = round(
            figures[stage]["cpu_mean_ms"] / floor["cpu_mean_ms"], 3)
    figures["answer_onnx_over_onnx_floor_p50"] = round(
        figures["answer_onnx"]["p50_ms"] / figures["floor_onnx"]["p50_ms"], 3)
    figures["answer_onnx_over_onnx_floor_p95"] = round(
        figures["answer_onnx"]["p95_ms"] / figures["floor_onnx"]["p95_ms"], 3)
    return figures


def _print(name: str, figures: dict[str, Any]) -> None:
    print(f"{name} ({figures['chunks']} chunks, {figures['answer_onnx']['n']} answers)")
    for stage in STAGES:
        row = figures[stage]
        print(f"  {stage:<13} p50 {row['p50_ms']:7.2f} ms   p95 {row['p95_ms']:7.2f} ms   "
              f"CPU mean {row['cpu_mean_ms']:7.2f} ms")
    for stage in ("answer_torch", "answer_onnx", "floor_onnx"):
        print(f"  {stage} / sentence-transformers floor: p50 "
              f"{figures[stage + '_p50_ratio']:.2f}×  p95 {figures[stage + '_p95_ratio']:.2f}×  "
              f"CPU {figures[stage + '_cpu_ratio']:.2f}×")
    print(f"  answer_onnx / ONNX floor: p50 {figures['answer_onnx_over_onnx_floor_p50']:.2f}×  "
          f"p95 {figures['answer_onnx_over_onnx_floor_p95']:.2f}×")


if __name__ == "__main__":
    main()
