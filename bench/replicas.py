"""Events per second with 1 and 2 ``serve --http`` replicas sharing one PostgreSQL database.

    .venv/bin/python bench/replicas.py [--events 300] [--concurrency 8] [--redeliver]

Loopback only. Starts a throwaway PostgreSQL server (tests/postgres_server.py: needs the
server binaries; under root it runs as ``nobody``), the Slack Web API stand-in, builds the
seed index into bench/out/, then for 1 and 2 replicas (and 1 replica on the default SQLite
file, for comparison) posts ``--events`` signed app_mention events round-robin across the
replicas, ``--concurrency`` at a time, and waits (bounded) until every event has its answer.
With ``--redeliver`` every event is also delivered a second time to the next replica, as
Slack's retry would be (409 answers are delivered again until accepted). Prints answered
events/s, acks that were not 200, and answers per event (must be exactly one); writes
bench/out/replicas.json. Stops everything it started.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from common import (
    OUT,
    ROOT,
    SECRET,
    SEED_QUESTIONS,
    answers_per_event,
    serve_environment,
    start_server,
    stop_server,
    wait_for_answers,
    wait_ready,
    write_result,
)

from tests.postgres_server import PostgresServer, server_binaries, start_postgres
from tests.slack_http_client import post_json
from tests.slack_standin import WebApiStandIn, event_callback, mention

QUESTIONS = SEED_QUESTIONS
START_TIMEOUT = 180.0
ANSWER_TIMEOUT = 600.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--redeliver", action="store_true",
                        help="deliver every event a second time, to the other replica")
    args = parser.parse_args()
    if server_binaries() is None:
        raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) not found")
    OUT.mkdir(parents=True, exist_ok=True)
    standin = WebApiStandIn().start()
    postgres = start_postgres()
    runs: list[dict[str, Any]] = []
    try:
        env = serve_environment(standin.api_url, OUT / "index-replicas")
        shutil.rmtree(OUT / "index-replicas", ignore_errors=True)
        subprocess.run([sys.executable, "-m", "bot", "index", "build"], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=START_TIMEOUT)
        for replicas, database in ((1, "sqlite"), (1, "postgresql"), (2, "postgresql")):
            run = measure(standin, postgres, env, replicas=replicas, database=database,
                          events=args.events, concurrency=args.concurrency,
                          redeliver=args.redeliver)
            runs.append(run)
            _print(run)
    finally:
        postgres.stop()
        standin.stop()
    write_result("replicas", {"runs": runs, "cpus": os.cpu_count()})


def measure(
    standin: WebApiStandIn,
    postgres: PostgresServer,
    base_env: dict[str, str],
    *,
    replicas: int,
    database: str,
    events: int,
    concurrency: int,
    redeliver: bool,
) -> dict[str, Any]:
    env = dict(base_env)
    if database == "postgresql":
        env["BOT_DATABASE_URL"] = postgres.new_database()
    else:
        env["BOT_FEEDBACK_DB"] = str(OUT / f"replicas-{time.time_ns()}.sqlite3")
    servers = [start_server(env, OUT / f"replica-{n}.log") for n in range(replicas)]
    try:
        log = "bench/out/replica-*.log"
        urls = [wait_ready(server, url, timeout=START_TIMEOUT, log=log) for server, url in servers]
        _warm_up(urls, standin)
        standin.clear()
        bodies = [event_callback(mention(QUESTIONS[n % len(QUESTIONS)])) for n in range(events)]
        deliveries = [(urls[n % replicas], body) for n, body in enumerate(bodies)]
        if redeliver:
            deliveries += [(urls[(n + 1) % replicas], body) for n, body in enumerate(bodies)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            statuses = list(pool.map(lambda d: _deliver(*d), deliveries))
        threads = {body["event"]["ts"] for body in bodies}
        answered_at = wait_for_answers(standin, threads, timeout=ANSWER_TIMEOUT)
        answers = answers_per_event(standin, threads)
    finally:
        for server, _ in servers:
            stop_server(server)
    return {
        "replicas": replicas,
        "database": database,
        "events": events,
        "deliveries": len(deliveries),
        "concurrency": concurrency,
        "first_status": dict(Counter(s[0] for s in statuses)),
        "redelivered_after_409": sum(s[1] > 1 for s in statuses),
        **answers,
        "seconds": round(answered_at - started, 2),
        "answered_per_s": round(events / (answered_at - started), 1),
    }


def _deliver(url: str, body: dict[str, Any]) -> tuple[int, int]:
    """Deliver until accepted, as Slack retries a 409; (first status, attempts)."""
    first = 0
    for attempt in range(1, 101):
        status = post_json(url + "/slack/events", body, secret=SECRET).status
        first = first or status
        if status != 409:
            return first, attempt
        time.sleep(0.2)
    return first, 100


def _warm_up(urls: list[str], standin: WebApiStandIn) -> None:
    """One answered question per replica first: its first answer pays one-off costs."""
    for url in urls:
        body = event_callback(mention(QUESTIONS[0]))
        _deliver(url, body)
        wait_for_answers(standin, {body["event"]["ts"]}, timeout=ANSWER_TIMEOUT, settle=0.0)


def _print(run: dict[str, Any]) -> None:
    print(f"{run['replicas']} replica(s) on {run['database']}: {run['events']} events "
          f"({run['deliveries']} deliveries, concurrency {run['concurrency']}) answered in "
          f"{run['seconds']} s = {run['answered_per_s']} events/s; first status "
          f"{run['first_status']}, answered once {run['answered_once']}, missing "
          f"{run['unanswered']}, duplicates {run['answered_twice_or_more']}")


if __name__ == "__main__":
    main()
