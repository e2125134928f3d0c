"""Load on the HTTP bot: concurrent signed app_mention events against ``serve --http``.

    .venv/bin/python bench/load_http.py [--events 200] [--soak 2000] [--server-threads N]
                                        [--query-backends onnx torch]

Loopback only. Starts the local Slack Web API stand-in (tests/slack_standin.py) in this
process, builds the seed index into bench/out/, starts ``python -m bot serve --http`` on a
free 127.0.0.1 port, then at concurrency 1, 8 and 32 posts ``--events`` signed app_mention
events each and waits (bounded) for the answers. Per level: ack time p50/p99/max, answers per
event (every event must get exactly one chat.postMessage in its thread), answered events per
second. Then a soak of ``--soak`` events at concurrency 8, sampling the server's RSS every 100
events. Stops the server by itself; writes bench/out/load_http.json and docs/perf-load.png.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from common import (
    DOCS,
    OUT,
    ROOT,
    SECRET,
    SEED_QUESTIONS,
    answers_per_event,
    current_rss_mb,
    serve_environment,
    start_server,
    stop_server,
    summary_ms,
    wait_for_answers,
    wait_ready,
    write_result,
)

from tests.slack_http_client import post_json
from tests.slack_standin import WebApiStandIn, event_callback, mention

QUESTIONS = SEED_QUESTIONS
START_TIMEOUT = 120.0
ANSWER_TIMEOUT = 300.0
ACK_LIMIT_S = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200, help="events per concurrency level")
    parser.add_argument("--soak", type=int, default=2000, help="events in the memory soak")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--server-threads", type=int,
                        help="OMP_NUM_THREADS for the server (torch and faiss threads)")
    parser.add_argument("--query-backends", nargs="+", default=["onnx"],
                        choices=["onnx", "torch"],
                        help="BOT_QUERY_BACKEND of the server; several: one server after another")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    standin = WebApiStandIn().start()
    results: dict[str, Any] = {}
    try:
        env = serve_environment(
            standin.api_url, OUT / "index-load", BOT_FEEDBACK_DB=str(OUT / "load-feedback.sqlite3")
        )
        if args.server_threads:
            env["OMP_NUM_THREADS"] = str(args.server_threads)
        shutil.rmtree(OUT / "index-load", ignore_errors=True)
        subprocess.run([sys.executable, "-m", "bot", "index", "build"], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=START_TIMEOUT)
        for backend in args.query_backends:
            print(f"BOT_QUERY_BACKEND={backend}")
            results[backend] = run_server(standin, env | {"BOT_QUERY_BACKEND": backend}, args)
    finally:
        standin.stop()
    suffix = f"-threads{args.server_threads}" if args.server_threads else ""
    suffix += "" if args.query_backends == ["onnx"] else "-" + "-".join(args.query_backends)
    first = results[args.query_backends[0]]
    write_result("load_http" + suffix, results if len(results) > 1 else first)
    if len(results) == 1:  # the plot shows one server
        plot(first, suffix)


def run_server(standin: WebApiStandIn, env: dict[str, str], args: Any) -> dict[str, Any]:
    """Start one server, run every concurrency level and the soak against it, stop it."""
    server, url = start_server(env, OUT / "load-server.log")
    wait_ready(server, url, timeout=START_TIMEOUT, log="bench/out/load-server.log")
    try:
        result: dict[str, Any] = {"levels": [], "rss_idle_mb": current_rss_mb(server.pid)}
        for concurrency in args.levels:
            level = run_level(url, standin, concurrency=concurrency, events=args.events)
            result["levels"].append(level)
            _print_level(level)
        result["soak"] = soak(url, standin, server.pid, events=args.soak)
        print(f"soak: RSS every 100 events (MB): {result['soak']['rss_mb']}")
        return result
    finally:
        stop_server(server)


def run_level(url: str, standin: WebApiStandIn, *, concurrency: int, events: int) -> dict[str, Any]:
    """Post ``events`` mentions, ``concurrency`` at a time; wait for every answer."""
    standin.clear()
    bodies = [event_callback(mention(QUESTIONS[n % len(QUESTIONS)])) for n in range(events)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        acks = list(pool.map(lambda body: _post(url, body), bodies))
    sent = time.perf_counter()
    threads = [body["event"]["ts"] for body in bodies]
    answered_at = wait_for_answers(standin, set(threads), timeout=ANSWER_TIMEOUT)
    seconds = [a[1] for a in acks]
    return {
        "concurrency": concurrency,
        "events": events,
        "ack": summary_ms(seconds),
        "ack_max_ms": round(max(seconds) * 1e3, 1),
        "acks_over_3s": sum(s > ACK_LIMIT_S for s in seconds),
        "non_200": sum(a[0] != 200 for a in acks),
        **answers_per_event(standin, threads),
        "send_s": round(sent - started, 2),
        "answered_per_s": round(events / (answered_at - started), 1),
    }


def _post(url: str, body: dict[str, Any]) -> tuple[int, float]:
    started = time.perf_counter()
    reply = post_json(url + "/slack/events", body, secret=SECRET)
    return reply.status, time.perf_counter() - started


def soak(url: str, standin: WebApiStandIn, pid: int, *, events: int) -> dict[str, Any]:
    """``events`` mentions in batches of 100 at concurrency 8, RSS after each batch."""
    rss = [current_rss_mb(pid)]
    answered = 0
    for start in range(0, events, 100):
        level = run_level(url, standin, concurrency=8, events=min(100, events - start))
        answered += level["answered_once"]
        rss.append(current_rss_mb(pid))
    return {"events": events, "answered_once": answered, "rss_mb": rss,
            "rss_growth_mb_last_half": round(rss[-1] - rss[len(rss) // 2], 1)}


def _print_level(level: dict[str, Any]) -> None:
    ack = level["ack"]
    print(f"concurrency {level['concurrency']:>2}: {level['events']} events, ack p50 "
          f"{ack['p50_ms']:.1f} ms p99 {ack['p99_ms']:.1f} ms max {level['ack_max_ms']} ms, "
          f"> 3 s: {level['acks_over_3s']}, answered once {level['answered_once']}, "
          f"missing {level['unanswered']}, duplicates {level['answered_twice_or_more']}, "
          f"{level['answered_per_s']} answered/s")


def plot(result: dict[str, Any], suffix: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (acks, memory) = plt.subplots(1, 2, figsize=(10, 3.6))
    levels = result["levels"]
    names = [str(level["concurrency"]) for level in levels]
    acks.bar([n + " p50" for n in names], [lv["ack"]["p50_ms"] for lv in levels])
    acks.bar([n + " p99" for n in names], [lv["ack"]["p99_ms"] for lv in levels])
    acks.set(ylabel="ms", title="Ack time by concurrency (target < 3000 ms)")
    rss = result["soak"]["rss_mb"]
    memory.plot([100 * i for i in range(len(rss))], rss, "o-")
    memory.set(xlabel="events answered in the soak", ylabel="server RSS (MB)",
               title="Memory across the soak", ylim=(0, max(rss) * 1.2))
    figure.tight_layout()
    path = DOCS / f"perf-load{suffix}.png"
    figure.savefig(path, dpi=110)
    print(f"→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
