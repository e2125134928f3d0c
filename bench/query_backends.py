"""Answer quality with each query encoder: sentence-transformers, the ONNX export, and int8.

    .venv/bin/python bench/query_backends.py [--squad PATH] [--limit N]

One index of the SQuAD 2.0 dev articles (one seed file each) is built with sentence-transformers,
as `index build` does, which also makes the verified ONNX export. The export is then quantised
(ONNX Runtime's dynamic int8, weights per channel) into bench/out/. Every answerable question
is answered with each encoder over that same index:

- paragraph hit@1: the first quote comes from the gold paragraph;
- false refusals: answerable questions the bot declined;
- false answers (split by article): a second index holds only the even-numbered articles, and
  the answerable questions of the odd-numbered ones, whose articles it lacks, should be refused;
- same first quote as sentence-transformers (the ONNX floor asks for all of them).

Prints a table; writes bench/out/query_backends.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
from common import DEFAULT_SQUAD, OUT, write_result

from bot.answer import Answerer
from bot.build import build_index
from bot.embed import SentenceTransformerEmbedder
from bot.index import load_index
from bot.onnx_encoder import Export, OnnxQueryEncoder, find_export
from bot.onnx_export import VERIFY_TEXTS
from bot.records import Answer
from bot.sentences import normalise_space
from bot.settings import Settings


class Cached:
    """One encoder's vectors, each question encoded once (and timed)."""

    def __init__(self, encode: Any, dimension: int) -> None:
        self._encode = encode
        self._vectors: dict[str, Any] = {}
        self.seconds = 0.0
        self.dimension = dimension

    def encode_query(self, text: str) -> Any:
        if text not in self._vectors:
            started = time.process_time()
            self._vectors[text] = self._encode(text)
            self.seconds += time.process_time() - started
        return self._vectors[text]


def write_seeds(
    squad: dict[str, Any], seeds: Path, keep: set[int] | None = None
) -> list[dict[str, Any]]:
    """One file per article (all, or those in ``keep``); returns every answerable question."""
    seeds.mkdir(parents=True, exist_ok=True)
    items = []
    for number, article in enumerate(squad["data"]):
        text, offsets = article["title"].replace("_", " "), []
        for paragraph in article["paragraphs"]:
            text += "\n\n"
            offsets.append((len(text), len(text) + len(paragraph["context"])))
            text += paragraph["context"]
            items += [
                {"question": qa["question"], "article": number, "path": f"seeds/{number:02d}.txt",
                 "paragraph": len(offsets) - 1, "offsets": offsets}
                for qa in paragraph["qas"] if not qa.get("is_impossible") and qa["answers"]
            ]
        if keep is None or number in keep:
            (seeds / f"{number:02d}.txt").write_text(text + "\n", encoding="utf-8")
    return items


def build(squad: dict[str, Any], name: str, embedder: SentenceTransformerEmbedder,
          keep: set[int] | None = None) -> tuple[Settings, list[dict[str, Any]]]:
    base = OUT / f"backends-{name}"
    shutil.rmtree(base, ignore_errors=True)
    items = write_seeds(squad, base / "seeds", keep)
    settings = Settings(BOT_SEEDS_DIR=base / "seeds", BOT_INDEX_DIR=base / "index")
    summary = build_index(settings, embedder=embedder)
    print(f"{name}: {summary.documents} documents, {summary.chunks} chunks")
    return settings, items


def quantised(export: Export) -> Export:
    """The export's transformer in int8 (dynamic quantisation, per-channel weights)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder = OUT / "backends-int8"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(export.directory, folder)
    quantize_dynamic(str(export.model_file), str(folder / "model-int8.onnx"),
                     weight_type=QuantType.QInt8, per_channel=True)
    (folder / "model.onnx").unlink()
    return Export(folder, {**export.record, "onnx": "model-int8.onnx"})


def hit(answer: Answer, item: dict[str, Any]) -> bool:
    if not answer.quotes:
        return False
    first = answer.quotes[0]
    if first.document.path != item["path"]:
        return False
    start, end = item["offsets"][item["paragraph"]]
    return bool(start <= first.char_start < end)


def first_quote(answer: Answer) -> tuple[Any, ...]:
    quote = answer.quotes[0] if answer.quotes else None
    return (answer.kind,) if quote is None else (quote.document.path, quote.char_start)


def run(
    settings: Settings, encoders: dict[str, Cached], items: list[dict[str, Any]]
) -> dict[str, Any]:
    index = load_index(settings.index_dir, model=settings.model)
    answers: dict[str, list[Answer]] = {}
    for name, encoder in encoders.items():
        answerer = Answerer(settings, encoder, index)
        answers[name] = [answerer.answer(item["question"]) for item in items]
    reference = [first_quote(a) for a in answers["torch"]]
    return {
        name: {
            "questions": len(items),
            "answered": sum(a.answered for a in got),
            "paragraph_hit@1": round(sum(hit(a, i) for a, i in zip(got, items, strict=True))
                                     / len(items), 4),
            "same_first_quote_as_torch": sum(
                first_quote(a) == r for a, r in zip(got, reference, strict=True)),
        }
        for name, got in answers.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--limit", type=int, default=0,
                        help="only N questions, spread over the articles")
    args = parser.parse_args()
    squad = json.loads(args.squad.read_text(encoding="utf-8"))
    embedder = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    full, items = build(squad, "full", embedder)
    half, _ = build(squad, "half", embedder, keep=set(range(0, len(squad["data"]), 2)))
    export = find_export(full.index_dir, full.model)
    fp32, int8 = OnnxQueryEncoder(export), OnnxQueryEncoder(quantised(export))
    encoders = {
        name: Cached(encoder.encode_query, encoder.dimension)
        for name, encoder in (("torch", embedder), ("onnx", fp32), ("onnx-int8", int8))
    }
    if args.limit:  # spread over the articles, so that both indexes have questions
        items = items[:: max(1, len(items) // args.limit)][: args.limit]
    result: dict[str, Any] = {"answerable": run(full, encoders, items)}
    outside = [i for i in items if i["article"] % 2 == 1]
    result["outside_index"] = run(half, encoders, outside)
    result["encode_cpu_ms_per_question"] = {
        name: round(e.seconds / len({normalise_space(i["question"]) for i in items}) * 1e3, 3)
        for name, e in encoders.items()
    }
    reference = embedder.encode(list(VERIFY_TEXTS))
    result["min_cosine_vs_torch_on_verify_texts"] = {
        name: round(float((np.vstack([e.encode_query(t) for t in VERIFY_TEXTS]) * reference)
                          .sum(axis=1).min()), 6)
        for name, e in (("onnx", fp32), ("onnx-int8", int8))
    }
    report(result)
    write_result("query_backends", result)


def report(result: dict[str, Any]) -> None:
    answerable, outside = result["answerable"], result["outside_index"]
    print(f"{'encoder':<10} {'hit@1':>7} {'false refusals':>15} {'false answers':>14} "
          f"{'same 1st quote':>15} {'encode CPU':>11}")
    for name, row in answerable.items():
        away = outside[name]
        print(f"{name:<10} {row['paragraph_hit@1']:>7.4f} "
              f"{1 - row['answered'] / row['questions']:>15.4f} "
              f"{away['answered'] / away['questions']:>14.4f} "
              f"{row['same_first_quote_as_torch'] + away['same_first_quote_as_torch']:>7} of "
              f"{row['questions'] + away['questions']:<5} "
              f"{result['encode_cpu_ms_per_question'][name]:>8.2f} ms")
    print(f"min cosine vs torch on the verification texts: "
          f"{result['min_cosine_vs_torch_on_verify_texts']}")


if __name__ == "__main__":
    main()
