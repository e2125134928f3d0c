"""`eval FILE.jsonl`: how well the bot answers a question set, beside its two baselines.

Every question is answered three times over the same chunks — hybrid (what users get),
BM25 only and dense only — so each change is judged against both baselines in one run.
The file format is described in ../shared/eval/README.md.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.answer import Answerer
from bot.conversation import Conversation
from bot.errors import BotError
from bot.records import Answer
from bot.render.text import render_text
from bot.retrieve import Mode
from bot.sentences import normalise_space

MODES: tuple[Mode, ...] = ("hybrid", "lexical", "dense")


def read_questions(path: str | Path) -> list[dict[str, Any]]:
    """Questions from a .jsonl file; a bad line is an error naming its line number."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BotError(f"{path}: cannot read the question file ({error})") from None
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise BotError(f"{path}:{number}: not JSON ({error.msg})") from None
        questions += _records(record, f"{path}:{number}")
    return questions


def _records(record: Any, where: str) -> list[dict[str, Any]]:
    """A question, or a conversation's turns (each a question asked in that thread)."""
    if isinstance(record, dict) and isinstance(record.get("turns"), list):
        thread = str(record.get("id", where))
        turns = record["turns"]
        if all(isinstance(t, dict) and isinstance(t.get("question"), str) for t in turns):
            return [
                {**turn, "id": f"{thread}#{number}", "thread": thread}
                for number, turn in enumerate(turns, start=1)
            ]
    if not isinstance(record, dict) or not isinstance(record.get("question"), str):
        raise BotError(
            f'{where}: expected an object with a "question" string or a "turns" list of them'
        )
    return [record]


def evaluate(questions: list[dict[str, Any]], *, answerer: Answerer, label: str) -> dict[str, Any]:
    """Metrics for every mode, plus the questions the hybrid mode missed."""
    answerer.answer("warm-up question")  # the first call pays one-off costs
    report: dict[str, Any] = {"file": label, "questions": len(questions), "modes": {}}
    for mode in MODES:
        threads: dict[str, Conversation] = {}
        results = [_judge(record, answerer, mode, threads) for record in questions]
        report["modes"][mode] = _metrics(results)
        if mode == "hybrid":
            report["misses"] = [r["id"] for r in results if not r["pass"]]
    return report


def _judge(
    record: dict[str, Any], answerer: Answerer, mode: Mode, threads: dict[str, Conversation]
) -> dict[str, Any]:
    """One question, asked in its thread (a conversation's earlier turns) when it has one."""
    thread = record.get("thread")
    conversation = threads.get(thread, Conversation()) if thread is not None else None
    started = time.perf_counter()
    answer = answerer.answer(record["question"], mode=mode, conversation=conversation)
    latency = time.perf_counter() - started
    if thread is not None and conversation is not None:
        threads[thread] = conversation.then(answer)
    expected = [normalise_space(s) for s in record.get("expect_any", [])]
    result: dict[str, Any] = {
        "id": record.get("id", record["question"]),
        "answerable": bool(expected),
        "answered": answer.answered,
        "latency": latency,
    }
    if not expected:
        result["pass"] = not answer.answered and not answer.quotes
        return result
    rank = _first_matching_rank(answer, expected, record.get("where") == "reply")
    speaker_ok = _speaker_ok(answer, record.get("speaker"))
    result["rank"] = rank
    result["pass"] = rank == 1 and speaker_ok
    result["speaker_ok"] = speaker_ok if "speaker" in record else None
    return result


def _first_matching_rank(answer: Answer, expected: Sequence[str], whole_reply: bool) -> int | None:
    if whole_reply:
        return 1 if any(e in normalise_space(render_text(answer)) for e in expected) else None
    for rank, quote in enumerate(answer.quotes, start=1):
        if any(e in normalise_space(quote.text) for e in expected):
            return rank
    return None


def _speaker_ok(answer: Answer, speaker: str | None) -> bool:
    if speaker is None:
        return True
    if not answer.quotes or answer.quotes[0].attribution is None:
        return False
    return speaker.lower() in (answer.quotes[0].attribution.speaker or "").lower()


def _metrics(results: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in results if r["answerable"]]
    offtopic = [r for r in results if not r["answerable"]]
    with_speaker = [r for r in answerable if r.get("speaker_ok") is not None]
    latencies = sorted(r["latency"] * 1000 for r in results)
    metrics: dict[str, Any] = {
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(_percentile(latencies, 95), 1) if latencies else None,
    }
    if answerable:
        metrics |= {
            "hit@1": _share(r["rank"] == 1 for r in answerable),
            "hit@3": _share(r["rank"] is not None and r["rank"] <= 3 for r in answerable),
            "mrr": round(sum(1 / r["rank"] for r in answerable if r["rank"]) / len(answerable), 3),
            "false_refusal_rate": _share(not r["answered"] for r in answerable),
        }
    if with_speaker:
        metrics["speaker_accuracy"] = _share(r["speaker_ok"] for r in with_speaker)
    if offtopic:
        metrics["refusal_rate"] = _share(r["pass"] for r in offtopic)
    return metrics


def _share(flags: Any) -> float:
    values = list(flags)
    return round(sum(1 for v in values if v) / len(values), 3) if values else 0.0


def _percentile(sorted_values: list[float], percent: float) -> float:
    position = (len(sorted_values) - 1) * percent / 100
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def format_report(report: dict[str, Any]) -> str:
    """The metrics as a small table: one row per metric, one column per mode."""
    names = sorted(
        {name for metrics in report["modes"].values() for name in metrics}, key=_metric_order
    )
    header = f"{'metric':<20}" + "".join(f"{mode:>10}" for mode in report["modes"])
    rows = [f"{report['file']}: {report['questions']} questions", header]
    for name in names:
        cells = "".join(f"{_cell(metrics.get(name)):>10}" for metrics in report["modes"].values())
        rows.append(f"{name:<20}{cells}")
    rows.append(f"misses (hybrid): {', '.join(report['misses']) or 'none'}")
    return "\n".join(rows)


_ORDER = [
    "hit@1",
    "hit@3",
    "mrr",
    "speaker_accuracy",
    "refusal_rate",
    "false_refusal_rate",
    "latency_p50_ms",
    "latency_p95_ms",
]


def _metric_order(name: str) -> int:
    return _ORDER.index(name) if name in _ORDER else len(_ORDER)


def _cell(value: Any) -> str:
    return "—" if value is None else str(value)
