"""Vectors with the structure of real sentence embeddings, at any count (docs/PERFORMANCE.md).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/scale_vectors.py [--squad PATH]

Embeds real text with the bundled model once — every SQuAD 2.0 dev context and question, and the
paragraphs of the seed article — and keeps the vectors in bench/out/real_vectors.npy. `grow`
then reaches any count by the method the scale benchmarks document:

* the first vectors are the real ones;
* each further vector is a real one (taken in turn) plus Gaussian noise whose expected length is
  ``NOISE`` times that real vector's distance to its own nearest real neighbour, then normalised
  again.

So every extra vector sits inside the neighbourhood of a real one, closer to it than any other
real text is: the clusters, the spread between topics and the uneven density of real embeddings
stay as they are, only denser. `random_unit` is the worst case beside it: no structure at all.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_SQUAD, OUT, ROOT, require_squad  # noqa: E402

REAL = OUT / "real_vectors.npy"
NOISE = 0.5
"""Noise length as a share of the real vector's nearest-neighbour distance."""

Matrix = npt.NDArray[np.float32]


def real_texts(squad: Path) -> list[str]:
    """Every dev context and question, and the seed article's paragraphs."""
    data = json.loads(squad.read_text(encoding="utf-8"))["data"]
    texts = []
    for article in data:
        for paragraph in article["paragraphs"]:
            texts.append(paragraph["context"])
            texts += [qa["question"] for qa in paragraph["qas"]]
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        texts += [p for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return texts


def embed_real(squad: Path) -> Matrix:
    from bot.embed import SentenceTransformerEmbedder
    from bot.settings import DEFAULT_MODEL

    texts = real_texts(squad)
    started = time.perf_counter()
    vectors = SentenceTransformerEmbedder(DEFAULT_MODEL).encode(texts, batch_size=64)
    print(f"embedded {len(texts)} real texts in {time.perf_counter() - started:.0f} s")
    return np.ascontiguousarray(vectors, dtype=np.float32)


SENTENCES = OUT / "sentence_vectors.npz"


def squad_sentences(squad: Path) -> list[str]:
    """Every distinct sentence of the dev contexts, cut as `common.write_squad_seeds` cuts them
    to reorder a copy (so every copy's text is made of these pieces)."""
    from common import sentence_pieces, squad_articles

    seen: dict[str, None] = {}
    for _, paragraphs in squad_articles(squad):
        for paragraph in paragraphs:
            seen.update(dict.fromkeys(sentence_pieces(paragraph)))
    return list(seen)


def sentence_vectors(squad: Path) -> tuple[list[str], Matrix]:
    """The dev contexts' sentences and their embeddings by the bundled model (computed once,
    about a minute, and kept in bench/out/sentence_vectors.npz)."""
    if SENTENCES.is_file():
        with np.load(SENTENCES, allow_pickle=False) as stored:
            return [str(t) for t in stored["texts"]], stored["vectors"].astype(np.float32)
    from bot.embed import SentenceTransformerEmbedder
    from bot.settings import DEFAULT_MODEL

    texts = squad_sentences(squad)
    started = time.perf_counter()
    vectors = SentenceTransformerEmbedder(DEFAULT_MODEL).encode(texts, batch_size=64)
    seconds = time.perf_counter() - started
    print(f"embedded {len(texts)} sentences in {seconds:.0f} s", file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(SENTENCES, texts=np.array(texts), vectors=np.asarray(vectors, dtype=np.float32))
    return texts, np.asarray(vectors, dtype=np.float32)


def real_vectors() -> Matrix:
    if not REAL.is_file():
        raise SystemExit(f"error: {REAL} not found; run bench/scale_vectors.py first")
    vectors: Matrix = np.load(REAL).astype(np.float32)
    return vectors


def nearest_distances(real: Matrix) -> Matrix:
    """Each real vector's distance to its nearest other real vector (exact)."""
    distances = np.empty(len(real), dtype=np.float32)
    for start in range(0, len(real), 2048):
        block = real[start : start + 2048] @ real.T
        for row in range(len(block)):
            block[row, start + row] = -np.inf
        best = block.max(axis=1)
        distances[start : start + 2048] = np.sqrt(np.maximum(0.0, 2.0 - 2.0 * best))
    return distances


def grow(real: Matrix, count: int, *, seed: int = 0) -> Matrix:
    """``count`` vectors: the real ones first, then real ones plus scaled noise (see above)."""
    rng = np.random.default_rng(seed)
    scale = nearest_distances(real) * NOISE / np.sqrt(real.shape[1])
    out = np.empty((count, real.shape[1]), dtype=np.float32)
    head = min(count, len(real))
    out[:head] = real[:head]
    for start in range(head, count, 65536):
        end = min(count, start + 65536)
        base = np.arange(start, end) % len(real)
        noisy = (
            real[base]
            + rng.standard_normal((end - start, real.shape[1])).astype(np.float32)
            * scale[base, None]
        )
        out[start:end] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    return out


def random_unit(count: int, dimension: int, *, seed: int = 0) -> Matrix:
    """The worst case: directions drawn uniformly, no clusters at all."""
    vectors = np.random.default_rng(seed).standard_normal((count, dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    vectors = embed_real(require_squad(args.squad))
    np.save(REAL, vectors)
    distances = nearest_distances(vectors)
    print(
        f"{len(vectors)} real vectors → {REAL}; nearest-neighbour distance "
        f"p10 {np.percentile(distances, 10):.3f} p50 {np.median(distances):.3f} "
        f"p90 {np.percentile(distances, 90):.3f}"
    )


if __name__ == "__main__":
    main()
