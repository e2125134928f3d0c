"""Retrieval quality at scale: SQuAD 2.0 dev, hybrid vs BM25-only vs dense-only, one run.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/squad_quality.py [--squad PATH] [--limit N]

Indexes the 646 dev paragraphs as 16 documents (one per article, a paragraph per block) with
the project's own build, asks every answerable question through `Answerer.answer`, and reports:
paragraph hit@1 (the first quote comes from the gold paragraph), paragraph hit@5 (the gold
paragraph among the first five retrieved chunks) and answer-in-first-quote (the first quote
contains a gold answer string).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import DEFAULT_SQUAD, require_squad  # noqa: E402

from bot.answer import Answerer  # noqa: E402
from bot.build import build_index  # noqa: E402
from bot.chunk import ChunkingParams  # noqa: E402
from bot.embed import SentenceTransformerEmbedder  # noqa: E402
from bot.evaluate import MODES  # noqa: E402
from bot.index import load_index  # noqa: E402
from bot.sentences import normalise_space  # noqa: E402
from bot.settings import Settings  # noqa: E402


class CachedEmbedder:
    """Embeds each question once, however many modes ask."""

    def __init__(self, inner: SentenceTransformerEmbedder) -> None:
        self.inner = inner
        self.encode_query = lru_cache(maxsize=None)(inner.encode_query)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def write_corpus(squad: dict[str, Any], seeds: Path) -> dict[str, list[tuple[int, int]]]:
    """One file per article; returns each file's paragraph offsets for scoring."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for number, article in enumerate(squad["data"]):
        text = article["title"].replace("_", " ")
        offsets = []
        for paragraph in article["paragraphs"]:
            text += "\n\n"
            offsets.append((len(text), len(text) + len(paragraph["context"])))
            text += paragraph["context"]
        name = f"{number:02d}.txt"
        (seeds / name).write_text(text + "\n", encoding="utf-8")
        spans[f"seeds/{name}"] = offsets
    return spans


def questions(squad: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for number, article in enumerate(squad["data"]):
        for paragraph_number, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph["qas"]:
                if not qa.get("is_impossible") and qa["answers"]:
                    found.append({
                        "question": qa["question"],
                        "path": f"seeds/{number:02d}.txt",
                        "paragraph": paragraph_number,
                        "answers": [normalise_space(a["text"]) for a in qa["answers"]],
                    })
    return found


def paragraph_of(spans: list[tuple[int, int]], offset: int) -> int:
    return next((i for i, (start, end) in enumerate(spans) if start <= offset < end), -1)


def score(answerer: Answerer, spans: dict[str, list[tuple[int, int]]],
          items: list[dict[str, Any]], mode: str) -> dict[str, float]:
    hit1 = hit5 = in_quote = 0
    retriever = answerer._retriever
    for item in items:
        answer = answerer.answer(item["question"], mode=mode)  # type: ignore[arg-type]
        if answer.quotes:
            first = answer.quotes[0]
            hit1 += first.document.path == item["path"] and paragraph_of(
                spans[first.document.path], first.char_start) == item["paragraph"]
            in_quote += any(a in normalise_space(first.text) for a in item["answers"])
        vector = answerer.embedder.encode_query(normalise_space(item["question"]))
        hits = retriever.search(normalise_space(item["question"]), vector, k=5, mode=mode)  # type: ignore[arg-type]
        hit5 += any(
            retriever.documents[h.chunk.document].path == item["path"]
            and paragraph_of(spans[item["path"]], h.chunk.start) == item["paragraph"]
            for h in hits
        )
    n = len(items)
    return {"paragraph_hit@1": round(hit1 / n, 4), "paragraph_hit@5": round(hit5 / n, 4),
            "answer_in_first_quote": round(in_quote / n, 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
    parser.add_argument("--max-sentences", type=int, default=None,
                        help="chunking: sentences per chunk (0 = whole paragraphs)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated subset")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "squad_quality.json")
    args = parser.parse_args()
    squad = json.loads(require_squad(args.squad).read_text(encoding="utf-8"))
    embedder = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    with tempfile.TemporaryDirectory() as scratch:
        seeds = Path(scratch) / "seeds"
        seeds.mkdir()
        spans = write_corpus(squad, seeds)
        settings = Settings(BOT_SEEDS_DIR=seeds, BOT_INDEX_DIR=Path(scratch) / "index")
        chunking = ChunkingParams()
        if args.max_sentences is not None:
            chunking = replace(chunking, max_sentences=args.max_sentences)
        summary = build_index(settings, embedder=embedder, chunking=chunking)
        answerer = Answerer(settings, CachedEmbedder(embedder),
                            load_index(settings.index_dir, model=settings.model))
        items = questions(squad)[: args.limit or None]
        print(f"{summary.documents} documents, {summary.chunks} chunks, {len(items)} questions")
        modes = args.modes.split(",")
        results = {mode: score(answerer, spans, items, mode) for mode in modes}
    for mode, figures in results.items():
        print(f"{mode:>8}: " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"questions": len(items), "modes": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
