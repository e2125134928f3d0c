"""Fit the answer gate (bot/gate.py) on SQuAD 2.0 dev, split by article.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/fit_gate.py [FILE.json] [--max-false-refusals 0.015]
                                                        [--reworded]

Only the `fit` half of the articles (bench/refusal.py's split) is used. Inside it, many small
experiments: one, two or four articles indexed at a time (a corpus as small as the seed and
larger), their own questions as positives, questions about the other fit articles and general
chit-chat (the fit half of bench/data/general_questions.txt) as negatives. Every question gives
the gate's features for its best passage; a logistic regression (Newton's method, light L2) is
fitted on them; the threshold is the highest that keeps false refusals on the fit positives at
or under the target, and the "high" band's probability the lowest at which at most 0.5 % of fit
negatives would be "high". Prints a `GateModel(...)` to paste into bot/gate.py; report
held-out figures with bench/refusal.py --part heldout.

``--reworded`` asks, beside SQuAD's questions, as many of the same questions in other words
(bench/data/squad_reworded.jsonl) as positives and negatives. The gate in bot/gate.py was fitted
without them: fitted with them, the weights refuse as many reworded held-out questions as
before at the same share of false answers (docs/QUALITY.md, "Questions in other words").
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import DEFAULT_SQUAD, require_squad  # noqa: E402
from refusal import (  # noqa: E402
    Article,
    CachingEmbedder,
    general_questions,
    index_articles,
    read_articles,
    reworded_questions,
    split,
)

from bot.gate import FEATURES, Gate  # noqa: E402
from bot.sentences import normalise_space  # noqa: E402

Matrix = npt.NDArray[np.float64]


Trial = tuple[list[Article], list[Article]]
"""(indexed, others)"""


def trials(articles: Sequence[Article], rng: random.Random) -> list[Trial]:
    """(indexed, others) for each experiment: a news-sized excerpt of each article (6 to 12
    paragraphs, as small as the seed article), each article whole, then pairs and halves."""
    count = len(articles)
    chosen = []
    for i, article in enumerate(articles):
        size = rng.randint(6, 12)
        first = rng.randint(0, max(0, len(article.paragraphs) - size))
        chosen.append(([article.excerpt(first, size)], [i]))
    chosen += [([articles[i]], [i]) for i in range(count)]
    for size in (2, count // 2):
        for _ in range(4):
            members = sorted(rng.sample(range(count), size))
            chosen.append(([articles[i] for i in members], members))
    return [
        (indexed, [a for i, a in enumerate(articles) if i not in members])
        for indexed, members in chosen
    ]


def features(
    articles: Sequence[Article],
    general: Sequence[str],
    embedder: CachingEmbedder,
    *,
    per_article: int,
    reworded: dict[str, list[str]] | None = None,
    seed: int = 0,
) -> tuple[Matrix, Matrix, int]:
    """(features, labels, positives refused for a missing name) over every experiment; as
    many ``reworded`` questions as SQuAD's own are asked beside them, if there are so many."""
    rng = random.Random(seed)
    reworded = reworded or {}
    rows: list[tuple[float, ...]] = []
    labels: list[float] = []
    hard_refusals = 0
    for number, (indexed, others) in enumerate(trials(articles, rng)):
        with tempfile.TemporaryDirectory() as scratch:
            answerer = index_articles(indexed, embedder, Path(scratch))
            gate: Gate = answerer._gate
            asked = [(q, 1.0) for a in indexed for q in _sample(a, per_article, rng)]
            asked += [(q, 0.0) for a in others for q in _sample(a, per_article // 2, rng)]
            asked += [(q, 1.0) for a in indexed for q in _reworded(a, per_article, reworded, rng)]
            asked += [
                (q, 0.0) for a in others for q in _reworded(a, per_article // 2, reworded, rng)
            ]
            asked += [(q, 0.0) for q in general]
            for question, label in asked:
                text = normalise_space(question)
                hits = gate.retriever.search(text, embedder.encode_query(text), k=10)
                if not hits:
                    continue
                if gate.missing_names(text):  # refused whatever the model says
                    hard_refusals += int(label == 1.0)
                    continue
                rows.append(gate.evidence(text, hits[0], hits).vector())
                labels.append(label)
        print(f"  experiment {number + 1}: {len(indexed)} article(s) indexed, {len(asked)} q",
              file=sys.stderr)
    return np.array(rows), np.array(labels), hard_refusals


def _sample(article: Article, count: int, rng: random.Random) -> list[str]:
    questions = [q[0] for q in article.questions]
    return rng.sample(questions, min(count, len(questions)))


def _reworded(
    article: Article, count: int, reworded: dict[str, list[str]], rng: random.Random
) -> list[str]:
    questions = [r for q in article.questions for r in reworded.get(q[0], ())]
    return rng.sample(questions, min(count, len(questions)))


def fit_logistic(x: Matrix, y: Matrix, *, l2: float = 1e-3, steps: int = 50) -> Matrix:
    """Weights (intercept first) by Newton's method on the L2-penalised log-likelihood."""
    design = np.hstack([np.ones((len(x), 1)), x])
    weights = np.zeros(design.shape[1])
    penalty = l2 * np.eye(design.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ weights))
        gradient = design.T @ (p - y) + penalty @ weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad", nargs="?", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--max-false-refusals", type=float, default=0.02)
    parser.add_argument("--max-false-refusals-small", type=float, default=0.005)
    parser.add_argument("--per-article", type=int, default=60)
    parser.add_argument("--dump", type=Path, help="save the features and labels (.npz)")
    parser.add_argument(
        "--reworded",
        action="store_true",
        help="ask the fit articles' questions in other words too (bench/data/squad_reworded.jsonl)",
    )
    args = parser.parse_args()
    fit, _ = split(read_articles(require_squad(args.squad)))
    general = general_questions("fit")
    reworded = reworded_questions() if args.reworded else {}
    embedder = CachingEmbedder()
    asked = [q[0] for a in fit for q in a.questions]
    embedder.warm(asked + [r for q in asked for r in reworded.get(q, ())] + general)
    x, y, hard = features(
        fit, general, embedder, per_article=args.per_article, reworded=reworded
    )
    if args.dump:
        np.savez(args.dump, x=x, y=y, features=np.array(FEATURES))
    weights = fit_logistic(x, y)
    p = 1.0 / (1.0 + np.exp(-(weights[0] + x @ weights[1:])))
    small = x[:, FEATURES.index("small_corpus")] == 1
    thresholds = {}
    for regime, mask, share in (
        ("large", ~small, args.max_false_refusals),
        ("small", small, args.max_false_refusals_small),
    ):
        positives, negatives = np.sort(p[mask & (y == 1)]), p[mask & (y == 0)]
        refused = hard / (y.sum() + hard) if regime == "large" else 0.0  # the names rule's share
        threshold = float(positives[max(0, int(len(positives) * (share - refused)))])
        thresholds[regime] = threshold
        print(f"{regime} corpora: {len(positives)} answerable, {len(negatives)} not; "
              f"false refusals {np.mean(positives < threshold):.3f}, false answers "
              f"{np.mean(negatives >= threshold):.3f} at threshold {threshold:.4f}")
    high = float(np.quantile(p[y == 0], 0.995))
    print(f"{len(y)} questions: {int(y.sum())} answerable, {int((1 - y).sum())} not; "
          f"{hard} more answerable ones refused: they name something the corpus lacks")
    for name, w in zip(FEATURES, weights[1:], strict=True):
        print(f"  {name:>20} {w:+.3f}")
    print("GateModel(\n"
          f"    intercept={weights[0]:.4f},\n"
          "    weights=(\n" + "".join(f"        {w:.4f},  # {n}\n"
                                   for n, w in zip(FEATURES, weights[1:], strict=True)) + "    ),\n"
          f"    threshold={thresholds['large']:.4f},\n"
          f"    small_threshold={thresholds['small']:.4f},\n"
          f"    high={high:.4f},\n)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
