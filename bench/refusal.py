"""Does the bot answer what its sources answer and refuse what they don't? Split by article.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/refusal.py [FILE.json] [--part all|fit|heldout]
                                                       [--gate new|old] [--json] [--reworded FILE]

On any SQuAD-format file: the articles are split in two halves (seeded); one half is indexed
with the project's own build; every answerable question about the indexed half should be
answered (a refusal is a *false refusal*), every question about the other half should be
refused (an answer is a *false answer*: the article it asks about is not there), and so should
general chit-chat questions (bench/data/general_questions.txt). Also printed: the confidence
bands on every kind, and how often the first quote holds a gold answer string; and, as
`near_miss`, SQuAD 2.0's unanswerable questions about the indexed half. Those are written to
look answerable from a paragraph that does not answer them; no feature the gate has tells them
apart (docs/QUALITY.md), and they are reported so that the figure stays in sight.

`answerable_reworded` and `off_corpus_reworded` ask the same questions again as other people
would word them (bench/data/squad_reworded.jsonl: 2,176 SQuAD 2.0 dev questions, each reworded
once, written for this project; ``--reworded FILE`` for another set), so that a gate fitted on
SQuAD's wording is also judged on questions that share fewer words with their paragraph.

`--part fit|heldout` runs the experiment inside one of the two article groups that
bench/fit_gate.py uses (it fits only on `fit`); with SQuAD 2.0 dev, `heldout` is the figure
docs/QUALITY.md reports. `--gate old` replays the gate before issue #8 (cosine and word coverage
of the top passage) for comparison, in the same run.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import DEFAULT_SQUAD, require_squad  # noqa: E402

from bot.answer import Answerer  # noqa: E402
from bot.build import build_index  # noqa: E402
from bot.embed import SentenceTransformerEmbedder, Vectors  # noqa: E402
from bot.gate import Gate, Verdict  # noqa: E402
from bot.index import load_index  # noqa: E402
from bot.records import Answer  # noqa: E402
from bot.retrieve import Hit  # noqa: E402
from bot.sentences import normalise_space  # noqa: E402
from bot.settings import Settings  # noqa: E402

GENERAL = ROOT / "bench" / "data" / "general_questions.txt"
REWORDED = ROOT / "bench" / "data" / "squad_reworded.jsonl"
"""SQuAD 2.0 dev questions as other people would ask them (written for this project: each
asks for the same answer in other words, often in chat's register), keyed by the question."""
SPLIT_SEED = 8


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]
    questions: tuple[tuple[str, tuple[str, ...], int], ...]
    """(question, gold answers, paragraph number) for every answerable question."""
    unanswerable: tuple[tuple[str, int], ...] = ()
    """(question, paragraph number) for SQuAD 2.0's questions written to look answerable from a
    paragraph that does not answer them."""

    def excerpt(self, first: int, count: int) -> Article:
        """``count`` paragraphs from ``first`` on, with their questions: a news-sized document."""
        last = first + count
        return Article(
            title=self.title,
            paragraphs=self.paragraphs[first:last],
            questions=tuple(q for q in self.questions if first <= q[2] < last),
            unanswerable=tuple(q for q in self.unanswerable if first <= q[1] < last),
        )


@dataclass(frozen=True)
class Asked:
    """One question put to one index, and what came of it."""

    question: str
    kind: str
    """"answerable", "near_miss" (about an indexed article, which does not answer it),
    "off_corpus" (its article is not indexed) or "general"; "answerable_reworded" and
    "off_corpus_reworded" for the same questions in other words (`REWORDED`)."""
    answer: Answer
    gold: tuple[str, ...] = ()

    @property
    def first_quote_right(self) -> bool:
        quotes = self.answer.quotes
        return bool(quotes) and any(g in normalise_space(quotes[0].text) for g in self.gold)


def read_articles(path: Path) -> list[Article]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return [
        Article(
            title=a["title"].replace("_", " "),
            paragraphs=tuple(p["context"].strip() for p in a["paragraphs"]),
            questions=tuple(
                (qa["question"], tuple(normalise_space(x["text"]) for x in qa["answers"]), number)
                for number, p in enumerate(a["paragraphs"])
                for qa in p["qas"]
                if not qa.get("is_impossible") and qa["answers"]
            ),
            unanswerable=tuple(
                (qa["question"], number)
                for number, p in enumerate(a["paragraphs"])
                for qa in p["qas"]
                if qa.get("is_impossible")
            ),
        )
        for a in data
    ]


def split(items: Sequence[Any], seed: int = SPLIT_SEED) -> tuple[list[Any], list[Any]]:
    """Two halves in a seeded random order: (fit, heldout)."""
    order = list(items)
    random.Random(seed).shuffle(order)
    half = len(order) // 2
    return order[:half], order[half:]


def general_questions(part: str) -> list[str]:
    lines = [x for x in GENERAL.read_text(encoding="utf-8").splitlines() if x and x[0] != "#"]
    if part == "all":
        return lines
    return lines[0::2] if part == "fit" else lines[1::2]


def reworded_questions(path: Path = REWORDED) -> dict[str, list[str]]:
    """Each SQuAD question that has them, with its rewordings (`REWORDED`)."""
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        found.setdefault(row["question"], []).append(row["reworded"])
    return found


class CachingEmbedder:
    """The real model; every text and question is embedded once however many indexes use it."""

    def __init__(self) -> None:
        self.inner = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
        self.name, self.dimension = self.inner.name, self.inner.dimension
        self._cache: dict[str, Vectors] = {}

    def warm(self, texts: Sequence[str]) -> None:
        todo = sorted({t for t in texts if t not in self._cache})
        for text, vector in zip(todo, self.inner.encode(todo, batch_size=64), strict=True):
            self._cache[text] = vector

    def encode(self, texts: Sequence[str], **_: Any) -> Vectors:
        self.warm(texts)
        return np.vstack([self._cache[t] for t in texts]).astype(np.float32)

    def encode_query(self, text: str) -> Vectors:
        if text not in self._cache:
            self._cache[text] = self.inner.encode_query(text)
        return self._cache[text]

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def index_articles(
    articles: Sequence[Article], embedder: CachingEmbedder, scratch: Path
) -> Answerer:
    """The project's own build over one seed file per article, and an Answerer on it."""
    seeds, index = scratch / "seeds", scratch / "index"
    seeds.mkdir(parents=True)
    for number, article in enumerate(articles):
        text = "\n\n".join([article.title, *article.paragraphs]) + "\n"
        (seeds / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    settings = Settings(BOT_SEEDS_DIR=seeds, BOT_INDEX_DIR=index)
    build_index(settings, embedder=embedder)
    return Answerer(settings, embedder, load_index(index, model=settings.model))


class OldGate(Gate):
    """The gate before issue #8: the top passage answers at cosine ≥ 0.30, or ≥ 0.22 holding
    half of the question's idf-weighted words."""

    def judge(self, question: str, hits: Sequence[Hit], *, typed: str | None = None) -> Verdict:
        if hits and self._old_answers(hits[0]):
            return Verdict(hits[0], 1.0)
        return Verdict(None, 0.0)

    def answers(self, question: str, hit: Hit, hits: Sequence[Hit]) -> bool:
        return self._old_answers(hit)

    @staticmethod
    def _old_answers(hit: Hit) -> bool:
        return hit.dense >= 0.30 or (hit.dense >= 0.22 and hit.coverage >= 0.5)


def ask_all(
    answerer: Answerer,
    indexed: Sequence[Article],
    others: Sequence[Article],
    general: Sequence[str],
    *,
    per_article: int = 0,
    rng: random.Random | None = None,
    reworded: Mapping[str, Sequence[str]] | None = None,
) -> list[Asked]:
    """Every (or ``per_article`` sampled) question of the indexed and the other articles, and
    the ``reworded`` forms of those questions that have them."""
    reworded = reworded or {}
    rng = rng or random.Random(0)

    def sample(article: Article) -> list[tuple[str, tuple[str, ...], int]]:
        chosen = list(article.questions)
        if per_article and len(chosen) > per_article:
            chosen = rng.sample(chosen, per_article)
        return chosen

    asked = [
        Asked(q, "answerable", answerer.answer(q), gold)
        for a in indexed
        for q, gold, _ in sample(a)
    ]
    asked += [Asked(q, "near_miss", answerer.answer(q)) for a in indexed for q, _ in a.unanswerable]
    asked += [Asked(q, "off_corpus", answerer.answer(q)) for a in others for q, _, _ in sample(a)]
    asked += [Asked(q, "general", answerer.answer(q)) for q in general]
    asked += [
        Asked(r, "answerable_reworded", answerer.answer(r), gold)
        for a in indexed
        for q, gold, _ in a.questions
        for r in reworded.get(q, ())
    ]
    asked += [
        Asked(r, "off_corpus_reworded", answerer.answer(r))
        for a in others
        for q, _, _ in a.questions
        for r in reworded.get(q, ())
    ]
    return asked


def report(asked: Sequence[Asked]) -> dict[str, Any]:
    by_kind: dict[str, list[Asked]] = {}
    for item in asked:
        by_kind.setdefault(item.kind, []).append(item)
    result: dict[str, Any] = {}
    for kind, items in by_kind.items():
        answered = [i for i in items if i.answer.answered]
        bands = Counter(i.answer.confidence for i in answered)
        entry: dict[str, Any] = {
            "questions": len(items),
            "answered": round(len(answered) / len(items), 4),
            "bands": {b: round(bands[b] / len(items), 4) for b in ("high", "medium", "low")},
        }
        if kind.startswith("answerable"):
            entry["false_refusals"] = round(1 - entry["answered"], 4)
            entry["answer_in_first_quote"] = round(
                sum(i.first_quote_right for i in items) / len(items), 4
            )
            entry["right_by_band"] = {
                b: round(
                    sum(i.first_quote_right for i in answered if i.answer.confidence == b)
                    / max(1, bands[b]),
                    4,
                )
                for b in ("high", "medium", "low")
            }
        result[kind] = entry
    return result


def print_report(title: str, result: dict[str, Any]) -> None:
    print(title)
    for kind, entry in result.items():
        bands = "  ".join(f"{b} {v:.1%}" for b, v in entry["bands"].items())
        line = f"  {kind:<19} {entry['questions']:>5} q  answered {entry['answered']:.1%}"
        line += f"  ({bands})"
        if kind.startswith("answerable"):
            right = "  ".join(f"{b} {v:.1%}" for b, v in entry["right_by_band"].items())
            line += (
                f"\n              false refusals {entry['false_refusals']:.1%}  answer in first "
                f"quote {entry['answer_in_first_quote']:.1%}  first quote right by band: {right}"
            )
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad", nargs="?", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--part", choices=("all", "fit", "heldout"), default="all")
    parser.add_argument("--gate", choices=("new", "old", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--reworded", type=Path, default=REWORDED, help="questions in other words (JSON lines)"
    )
    args = parser.parse_args()
    articles = read_articles(require_squad(args.squad))
    if args.part != "all":
        fit, heldout = split(articles)
        articles = fit if args.part == "fit" else heldout
    indexed, others = split(articles, seed=SPLIT_SEED + 1)
    general = general_questions(args.part)
    reworded = reworded_questions(args.reworded)
    embedder = CachingEmbedder()
    asked = [q for a in articles for q, _, _ in a.questions]
    asked += [r for a in articles for q, _, _ in a.questions for r in reworded.get(q, ())]
    asked += [q for a in articles for q, _ in a.unanswerable]
    embedder.warm(asked + general)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        answerer = index_articles(indexed, embedder, Path(scratch))
        for gate in ("new", "old") if args.gate == "both" else (args.gate,):
            if gate == "old":
                answerer._gate = OldGate(answerer._gate.retriever)
            results[gate] = report(
                ask_all(answerer, indexed, others, general, reworded=reworded)
            )
    summary = {
        "file": str(args.squad),
        "part": args.part,
        "indexed_articles": [a.title for a in indexed],
        "other_articles": [a.title for a in others],
        "gates": results,
    }
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"{len(indexed)} articles indexed, {len(others)} not; {len(general)} general questions")
    for gate, result in results.items():
        print_report(f"gate: {gate}", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
