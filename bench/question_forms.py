"""Every kind of question timed against a built index: which forms get slow as a corpus grows
(docs/PERFORMANCE.md §15).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/question_forms.py --work bench/out/scale-1000000

``--work`` is a folder with seeds/ and index/ (one `bench/scale_e2e.py` leaves, or a project's
own). The questions: the repository's question sets (eval/*.jsonl, tests/data/*.jsonl; the
turns of a conversation asked alone) and ``FORMS``, one of each form answered without a search
(rosters, kinds of person, abbreviations, mentions, paragraphs, overviews, details). Each is
answered once (``first``: what it reads the first time, the roster for instance), then all
again (``steady``). Prints the steady p50 / p95 / p99, each over the p50, and the slowest
questions; writes bench/out/question_forms.json. Nothing else should run meanwhile.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from common import ROOT, warm_answerer, write_result

FORMS = (
    "Who is quoted?",
    "How many people are quoted?",
    "Which directors are quoted?",
    "Is there a professor quoted?",
    "Who is the expert?",
    "Who was the Norse leader?",
    "What did the engineer say?",
    "What did the politician say about the budget?",
    "Who else besides Pender is an assistant director?",
    "Who is quoted in the health story?",
    "Who is quoted in the latest story?",
    "What does FBI stand for?",
    "Is Chicago mentioned?",
    "What does the first paragraph say?",
    "the paragraph that starts with 'In particular'",
    "What is the article about?",
    "Sum up each story in a sentence",
    "Who wrote this?",
    "When was it published?",
    "Which article was published most recently?",
    "Who said 'tough one'?",
    "Who responded to Morris?",
    "How old is Tesla?",  # an age no passage found tells: the story's paragraphs read (`_aged`)
    "Who runs the university?",  # someone doing it, in the story's paragraphs (`_doer`)
    "What does the third paragraph of the Warsaw story say?",
)


def questions() -> list[str]:
    """``FORMS`` and every question of the repository's sets, each once."""
    found = list(FORMS)
    for path in sorted([*ROOT.glob("eval/*.jsonl"), *ROOT.glob("tests/data/*.jsonl")]):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            if "question" in record:
                found.append(record["question"])
            found += [turn["question"] for turn in record.get("turns", [])]
    return list(dict.fromkeys(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="a folder with seeds/, index/")
    parser.add_argument("--show", type=int, default=15, help="how many of the slowest to list")
    args = parser.parse_args()
    answerer = warm_answerer(args.work)
    index = answerer._retriever.index
    asked = questions()
    first = {}
    for question in asked:
        started = time.perf_counter()
        answerer.answer(question)
        first[question] = time.perf_counter() - started
    steady = {}
    for question in asked:
        started = time.perf_counter()
        answerer.answer(question)
        steady[question] = time.perf_counter() - started
    times = sorted(steady.values())
    p50, p95, p99 = (times[min(len(times) - 1, int(len(times) * q))] for q in (0.5, 0.95, 0.99))
    print(f"{len(asked)} questions, {len(index.chunks):,} chunks, steady (the second time):")
    for name, value in (("p50", p50), ("p95", p95), ("p99", p99)):
        print(f"  {name} {value * 1e3:8.1f} ms  {value / p50:6.1f}× the p50")
    print("slowest (steady ms, first ms):")
    slowest = sorted(asked, key=lambda q: -steady[q])[: args.show]
    for question in slowest:
        print(f"  {steady[question] * 1e3:8.1f} {first[question] * 1e3:8.1f}  {question}")
    write_result(
        "question_forms",
        {
            "chunks": len(index.chunks),
            "questions": len(asked),
            "steady_p50_ms": round(p50 * 1e3, 2),
            "steady_p95_ms": round(p95 * 1e3, 2),
            "steady_p99_ms": round(p99 * 1e3, 2),
            "first_median_ms": round(statistics.median(first.values()) * 1e3, 2),
            "slowest": [{"question": q, "steady_ms": round(steady[q] * 1e3, 1)} for q in slowest],
        },
    )


if __name__ == "__main__":
    main()
