"""Several people asking at once, in one process: answers' p50, p95 and answers per second.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/concurrent_askers.py --work bench/out/scale-1000000
        [--askers 8] [--rounds 4] [--at-once 0 64] [--switch-ms 5]

The work folder is one `bench/scale_e2e.py` leaves (seeds/ and index/). ``--askers`` threads
each answer 60 SQuAD questions with one `Answerer`, as the Slack app's threads do. Each round
runs once per variant, in turn and in reverse turn the next round; the medians over the rounds
are printed. The variants: how many answers compute at once (``--at-once``: 0 is the bot's
own `answer.answers_at_once`, one per core; a number at least ``--askers`` lets every question
in at once, as before `answer.Turns`), and the interpreter's switch interval (``--switch-ms``,
`sys.setswitchinterval`; Python's default is 5 ms). `bench/gil_handoff.py` shows why both can
matter: a thread coming back from FAISS or ONNX Runtime waits up to the switch interval for the
interpreter lock while another thread runs Python (docs/PERFORMANCE.md §12). The latencies
count the wait for a turn.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_SQUAD, squad_questions, warm_answerer  # noqa: E402

from bot.answer import Answerer, Turns, answers_at_once  # noqa: E402

PER_ASKER = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="a scale_e2e work folder")
    parser.add_argument("--askers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--at-once", type=int, nargs="+", default=[0, 64])
    parser.add_argument("--switch-ms", type=float, nargs="+", default=[5.0])
    args = parser.parse_args()
    answerer = warm_answerer(args.work)
    questions = squad_questions(DEFAULT_SQUAD, 1200)
    default = sys.getswitchinterval()
    variants = [(n or answers_at_once(), ms) for n in args.at_once for ms in args.switch_ms]
    results: dict[tuple[int, float], list[tuple[float, float, float]]] = {v: [] for v in variants}
    for number in range(args.rounds):
        for at_once, ms in variants if number % 2 == 0 else variants[::-1]:
            answerer._turns = Turns(at_once)
            sys.setswitchinterval(ms / 1000)
            try:
                offset = number * args.askers * PER_ASKER
                results[(at_once, ms)].append(one_round(answerer, questions, args.askers, offset))
            finally:
                sys.setswitchinterval(default)
    for (at_once, ms), rounds in results.items():
        p50, p95, rate = (statistics.median(r[i] for r in rounds) for i in range(3))
        print(
            f"{args.askers} askers, {at_once:2d} at once, switch {ms:3.1f} ms: "
            f"p50 {p50 * 1e3:6.2f} ms  p95 {p95 * 1e3:6.2f} ms  {rate:6.1f} answers/s"
        )


def one_round(
    answerer: Answerer, questions: list[str], askers: int, offset: int
) -> tuple[float, float, float]:
    """(p50, p95, answers per second) of ``askers`` threads answering at once."""
    seconds: list[float] = []
    lock = threading.Lock()

    def ask(number: int) -> None:
        for i in range(PER_ASKER):
            question = questions[(offset + number * PER_ASKER + i) % len(questions)]
            started = time.perf_counter()
            answerer.answer(question)
            with lock:
                seconds.append(time.perf_counter() - started)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(askers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    seconds.sort()
    return statistics.median(seconds), seconds[int(len(seconds) * 0.95)], len(seconds) / wall


if __name__ == "__main__":
    main()
