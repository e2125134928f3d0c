"""Shared helpers for the benchmarks: paths, corpora, timing statistics, results on disk, and
a ``serve --http`` process fed by the Slack stand-in.

Nothing here is timed; the scripts beside it time what they measure and print their figures.
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
DOCS = ROOT / "docs"
DEFAULT_SQUAD = ROOT.parent / "shared" / "benchmarks" / "squad2" / "dev-v2.0.json"

if str(ROOT) not in sys.path:  # `tests.slack_standin` and `bot` from a fresh clone
    sys.path.insert(0, str(ROOT))


def require_squad(path: Path) -> Path:
    """The SQuAD file, or exit with one line saying where to get it."""
    if not path.is_file():
        raise SystemExit(
            f"error: {path} not found. These benchmarks use SQuAD 2.0 dev (dev-v2.0.json, "
            "from the SQuAD project's site): pass its path (--squad PATH, or as the argument "
            "of refusal.py and fit_gate.py), or put it in ../shared/benchmarks/squad2/."
        )
    return path


def squad_articles(path: Path) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every article in a SQuAD 2.0 file."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return [
        (article["title"].replace("_", " "), [p["context"].strip() for p in article["paragraphs"]])
        for article in data
    ]


def squad_questions(path: Path, limit: int) -> list[str]:
    """The first ``limit`` answerable questions, taken round-robin across articles."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    per_article = [
        [qa["question"] for p in a["paragraphs"] for qa in p["qas"] if not qa.get("is_impossible")]
        for a in data
    ]
    questions: list[str] = []
    for row in range(max(len(q) for q in per_article)):
        questions += [q[row] for q in per_article if row < len(q)]
    return questions[:limit]


def write_squad_seeds(squad: Path, dest: Path, *, copies: int = 1) -> int:
    """One seed file per article (and copy): title line, blank line, paragraphs. Returns files.

    Copy 0 is the text as published; every further copy is the same article with its
    paragraphs and each paragraph's sentences in another (seeded) order: real text, new chunks.
    """
    dest.mkdir(parents=True, exist_ok=True)
    files = 0
    for copy in range(copies):
        shuffle = random.Random(copy)
        for number, (title, paragraphs) in enumerate(squad_articles(squad)):
            body = list(paragraphs) if copy == 0 else [_reordered(p, shuffle) for p in paragraphs]
            if copy:
                shuffle.shuffle(body)
            name = f"{number:03d}_{copy:03d}.txt"
            headline = title if copy == 0 else f"{title} ({copy})"
            (dest / name).write_text("\n\n".join([headline, *body]) + "\n", encoding="utf-8")
            files += 1
    return files


def _reordered(paragraph: str, shuffle: random.Random) -> str:
    sentences = sentence_pieces(paragraph)
    shuffle.shuffle(sentences)
    return " ".join(sentences)


def sentence_pieces(text: str) -> list[str]:
    """A text cut after every ". " (what a reordered copy shuffles)."""
    return [s for s in text.replace(". ", ".\n").split("\n") if s]


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` (0..1) percentile, linearly interpolated."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=1000, method="inclusive")[round(share * 1000) - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean of a list of durations, in milliseconds."""
    return {
        "n": len(seconds),
        "p50_ms": round(percentile(seconds, 0.50) * 1e3, 3),
        "p95_ms": round(percentile(seconds, 0.95) * 1e3, 3),
        "p99_ms": round(percentile(seconds, 0.99) * 1e3, 3),
        "mean_ms": round(statistics.fmean(seconds) * 1e3, 3),
    }


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_rss_mb(pid: int | str = "self") -> float:
    """Resident memory now, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Save a result as bench/out/NAME.json and say where."""
    OUT.mkdir(parents=True, exist_ok=True)
    result = {**result, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"→ {path.relative_to(ROOT)}")
    return path


def warm_answerer(work: Path) -> Any:
    """The bot's `Answerer` over a work folder (seeds/ and index/, as `scale_e2e.py` leaves
    one), once it has answered, the vectors' 16-bit copy is in memory and the files answers read
    at random are in the page cache (`bot.index.PAGE_CACHE_BYTES`)."""
    from bot.answer import Answerer
    from bot.settings import Settings

    settings = Settings(BOT_SEEDS_DIR=work / "seeds", BOT_INDEX_DIR=work / "index")
    answerer = Answerer.load(settings)
    answerer.answer("warm up")
    index = answerer._retriever.index
    index.wait_until_resident(600)
    index.wait_until_warm(600)
    return answerer


# --- a ``serve --http`` process on loopback, fed by the Slack stand-in -------------------------

SECRET = "secret"
"""The signing secret the benchmark servers are started with."""
SEED_QUESTIONS = [
    "Who is Stephen Morris?",
    "What did the FBI think about Secure Communities?",
    "Can cities opt out of Secure Communities?",
    "What did the e-mails reveal?",
]


def serve_environment(api_url: str, index_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a benchmark server (``tests.serve_process.serve_environment``):
    logging at WARNING unless ``settings`` say otherwise."""
    from tests.serve_process import serve_environment as environment

    quiet = {"BOT_LOG_LEVEL": "WARNING", **settings}
    return environment(api_url, index_dir, secret=SECRET, **quiet)


def start_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m bot serve --http`` on a free 127.0.0.1 port, its output to ``log``."""
    from tests.serve_process import free_port

    port = free_port()
    command = [
        sys.executable,
        "-m",
        "bot",
        "serve",
        "--http",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return server, f"http://127.0.0.1:{port}"


def wait_ready(server: subprocess.Popen[bytes], url: str, *, timeout: float, log: str) -> str:
    """``url`` once its /healthz says 200; exits naming ``log`` if the server stops first."""
    from tests.serve_process import wait_healthy

    try:
        wait_healthy(url, server, timeout=timeout)
    except AssertionError as error:
        stop_server(server)
        raise SystemExit(f"{error}; see {log}") from None
    return url


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()


def wait_for_answers(
    standin: Any, threads: set[str], *, timeout: float, settle: float = 1.0
) -> float:
    """The moment every thread had an answer on the stand-in (or ``timeout`` ran out); then
    wait ``settle`` seconds so that a late duplicate would be counted."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answered = {c.body.get("thread_ts") for c in standin.calls_to("chat.postMessage")}
        if threads <= answered:
            break
        time.sleep(0.02)
    moment = time.perf_counter()
    time.sleep(settle)
    return moment


def answers_per_event(standin: Any, threads: Iterable[str]) -> dict[str, int]:
    """How many threads got exactly one answer, none, or more than one."""
    per_event = Counter(c.body.get("thread_ts") for c in standin.calls_to("chat.postMessage"))
    counts = [per_event[t] for t in threads]
    return {
        "answered_once": sum(n == 1 for n in counts),
        "unanswered": sum(n == 0 for n in counts),
        "answered_twice_or_more": sum(n > 1 for n in counts),
    }
