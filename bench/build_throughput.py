"""Build throughput: a full build of ≥ 10,000 SQuAD chunks beside pure encode time; incremental.

    .venv/bin/python bench/build_throughput.py [--squad PATH] [--copies 13]

Writes the SQuAD articles ``--copies`` times (each copy with paragraphs and sentences
reordered, see bench/common.py) into bench/out/build/seeds, loads the model once, then in one
run times: a full ``build_index``; ``Embedder.encode`` of exactly the chunk texts that build
embedded (the floor); an incremental build after one document changed. Prints the ratios and
peak memory; writes bench/out/build_throughput.json.
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
    peak_rss_mb,
    require_squad,
    write_result,
    write_squad_seeds,
)

from bot.build import build_index
from bot.chunk import embedding_text
from bot.embed import SentenceTransformerEmbedder
from bot.index import load_index
from bot.settings import Settings, load_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--copies", type=int, default=13,
                        help="copies of the 16 articles (13 make ≥ 10,000 chunks)")
    args = parser.parse_args()
    require_squad(args.squad)

    work = OUT / "build"
    shutil.rmtree(work, ignore_errors=True)
    files = write_squad_seeds(args.squad, work / "seeds", copies=args.copies)
    settings = load_settings(seeds_dir=work / "seeds", index_dir=work / "index")
    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder(settings.model)
    model_seconds = time.perf_counter() - started
    embedder.encode(["warm up the model and its thread pool"] * 64)

    full = _timed(lambda: build_index(settings, full=True, embedder_factory=lambda _: embedder))
    texts = _chunk_texts(settings)
    encode = _timed(lambda: embedder.encode(texts, batch_size=settings.batch_size))
    _change_one_document(work / "seeds")
    incremental = _timed(lambda: build_index(settings, embedder_factory=lambda _: embedder))

    summary, incremental_summary = full[1], incremental[1]
    result: dict[str, Any] = {
        "documents": files,
        "chunks": summary.chunks,
        "model_load_s": round(model_seconds, 2),
        "full_build_s": round(full[0], 2),
        "encode_only_s": round(encode[0], 2),
        "build_over_encode": round(full[0] / encode[0], 3),
        "chunks_per_s": round(summary.chunks / full[0], 1),
        "incremental_s": round(incremental[0], 2),
        "incremental_embedded": incremental_summary.embedded_chunks,
        "incremental_share": round(incremental[0] / full[0], 4),
        "peak_rss_mb": peak_rss_mb(),
        "index_type": summary.index_type,
    }
    _print(result)
    write_result("build_throughput", result)


def _timed(run: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = run()
    return time.perf_counter() - started, value


def _chunk_texts(settings: Settings) -> list[str]:
    """Exactly the texts the build embedded, as the build made them."""
    index = load_index(settings.index_dir, model=settings.model)
    return [embedding_text(c, index.documents[c.document]) for c in index.chunks]


def _change_one_document(seeds: Path) -> None:
    path = sorted(seeds.glob("*.txt"))[len(list(seeds.glob("*.txt"))) // 2]
    path.write_text(path.read_text(encoding="utf-8") + "\nOne paragraph added later.\n",
                    encoding="utf-8")


def _print(result: dict[str, Any]) -> None:
    print(f"{result['documents']} documents, {result['chunks']} chunks "
          f"(model loaded in {result['model_load_s']} s, not counted below)")
    print(f"  full build   {result['full_build_s']:8.2f} s  ({result['chunks_per_s']} chunks/s)")
    print(f"  encode only  {result['encode_only_s']:8.2f} s")
    print(f"  build/encode {result['build_over_encode']:8.3f}×  (target ≤ 1.15)")
    print(f"  incremental  {result['incremental_s']:8.2f} s = {result['incremental_share']:.1%} "
          f"of full, {result['incremental_embedded']} chunks embedded (target ≤ 5%)")
    print(f"  peak RSS     {result['peak_rss_mb']:8.1f} MB")


if __name__ == "__main__":
    main()
