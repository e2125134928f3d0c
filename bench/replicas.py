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
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from common import OUT, ROOT, write_result

from tests.postgres_server import PostgresServer, server_binaries, start_postgres
from tests.slack_http_client import post_json
from tests.slack_standin import WebApiStandIn, event_callback, mention

SECRET = "secret"
QUESTIONS = [
    "Who is Stephen Morris?",
    "What did the FBI think about Secure Communities?",
    "Can cities opt out of Secure Communities?",
    "What did the e-mails reveal?",
]
START_TIMEOUT = 180.0
ANSWER_TIMEOUT = 600.0
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


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
        env = _environment(standin.api_url)
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
    servers = [_start_server(env, n) for n in range(replicas)]
    try:
        urls = [_wait_ready(server, url) for server, url in servers]
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
        answered_at = _wait_for_answers(standin, threads)
        per_event = Counter(c.body.get("thread_ts") for c in standin.calls_to("chat.postMessage"))
    finally:
        for server, _ in servers:
            _stop(server)
    return {
        "replicas": replicas,
        "database": database,
        "events": events,
        "deliveries": len(deliveries),
        "concurrency": concurrency,
        "first_status": dict(Counter(s[0] for s in statuses)),
        "redelivered_after_409": sum(s[1] > 1 for s in statuses),
        "answered_once": sum(per_event[t] == 1 for t in threads),
        "unanswered": sum(per_event[t] == 0 for t in threads),
        "answered_twice_or_more": sum(per_event[t] > 1 for t in threads),
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
        _wait_for_answers(standin, {body["event"]["ts"]}, settle=0.0)


def _environment(api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_"))}
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        env.pop(proxy, None)
    env.update(
        HF_HUB_OFFLINE="1",
        NO_PROXY="127.0.0.1,localhost",
        SLACK_API_URL=api_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        BOT_SEEDS_DIR=str(ROOT / "seeds"),
        BOT_INDEX_DIR=str(OUT / "index-replicas"),
        BOT_LOG_LEVEL="WARNING",
    )
    return env


def _start_server(env: dict[str, str], number: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    log = (OUT / f"replica-{number}.log").open("wb")
    command = [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
               "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return server, f"http://127.0.0.1:{port}"


def _wait_ready(server: subprocess.Popen[bytes], url: str) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"serve exited with {server.returncode}; see bench/out/replica-*.log")
        try:
            with _opener.open(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return url
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise SystemExit("serve never became ready")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()


def _wait_for_answers(standin: WebApiStandIn, threads: set[str], settle: float = 1.0) -> float:
    """The moment every thread had an answer (or the bound ran out); then wait ``settle``
    seconds so that a late duplicate would be counted."""
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while time.monotonic() < deadline:
        answered = {c.body.get("thread_ts") for c in standin.calls_to("chat.postMessage")}
        if threads <= answered:
            break
        time.sleep(0.02)
    moment = time.perf_counter()
    time.sleep(settle)
    return moment


def _print(run: dict[str, Any]) -> None:
    print(f"{run['replicas']} replica(s) on {run['database']}: {run['events']} events "
          f"({run['deliveries']} deliveries, concurrency {run['concurrency']}) answered in "
          f"{run['seconds']} s = {run['answered_per_s']} events/s; first status "
          f"{run['first_status']}, answered once {run['answered_once']}, missing "
          f"{run['unanswered']}, duplicates {run['answered_twice_or_more']}")


if __name__ == "__main__":
    sys.exit(main())
