"""Two ``serve --http`` replicas sharing one real PostgreSQL server, as behind a load balancer.

Slack's servers are the stand-in; the stand-in can hold a ``chat.postMessage`` so that a
replica is caught mid-answer. Deliveries go to either replica as Slack's retries would: the
event is answered once, votes pressed on either are in ``feedback``, and a replica killed
mid-answer leaves its event to the other once its lease has run out (the other adopts it,
or a redelivery takes it over).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.serve_process import START_TIMEOUT, bot_env, free_port, wait_healthy
from tests.slack_http_client import post_action, post_json, redeliver
from tests.slack_standin import (
    WebApiStandIn,
    block_action,
    button_in,
    event_callback,
    mention,
)
from tests.test_slack_http import assert_quotes_the_seed

pytestmark = pytest.mark.e2e  # subprocesses, servers and PostgreSQL: the slow tier

LEASE_SECONDS = "3"


@dataclass
class Replica:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def events(self) -> str:
        return self.url + "/slack/events"


@dataclass
class Cluster:
    standin: WebApiStandIn
    replicas: list[Replica]
    env: dict[str, str]
    root: Path


@pytest.fixture(scope="module")
def cluster(
    standin: WebApiStandIn,
    postgres_server: Any,
    tmp_path_factory: pytest.TempPathFactory,
    link_export: Callable[[Path], None],
) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("replicas")
    link_export(root / "index")
    env = bot_env(standin, root)
    env.update(
        BOT_DATABASE_URL=postgres_server.new_database(), BOT_EVENT_LEASE_SECONDS=LEASE_SECONDS
    )
    build = [sys.executable, "-m", "bot", "index", "build"]
    subprocess.run(build, cwd=root, env=env, check=True, timeout=START_TIMEOUT, capture_output=True)
    replicas = [start_replica(name, root, env) for name in ("a", "b")]
    try:
        for replica in replicas:
            wait_healthy(replica.url, replica.process)
        yield Cluster(standin, replicas, env, root)
    finally:
        standin.release("chat.postMessage", record=False)
        for replica in replicas:
            if replica.process.poll() is None:
                replica.process.send_signal(signal.SIGTERM)
        for replica in replicas:
            try:
                replica.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                replica.process.kill()


def start_replica(name: str, root: Path, env: dict[str, str]) -> Replica:
    port = free_port()
    log = root / f"replica-{name}.log"
    command = [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return Replica(name, f"http://127.0.0.1:{port}", process, log)


@pytest.fixture(autouse=True)
def fresh_calls(standin: WebApiStandIn) -> None:
    standin.clear()


def feedback(cluster: Cluster) -> dict[str, Any]:
    command = [sys.executable, "-m", "bot", "feedback", "--json"]
    result = subprocess.run(
        command, cwd=cluster.root, env=cluster.env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def test_an_event_delivered_to_both_while_one_answers_is_answered_once(cluster: Cluster) -> None:
    a, b = cluster.replicas
    body = event_callback(mention("Who is Alan Kraut?"))
    cluster.standin.hold("chat.postMessage")
    assert post_json(a.events, body).status == 200
    cluster.standin.wait_held("chat.postMessage")  # replica a is mid-answer
    assert post_json(b.events, body, headers={"X-Slack-Retry-Num": "1"}).status == 409
    assert post_json(a.events, body, headers={"X-Slack-Retry-Num": "2"}).status == 409
    cluster.standin.release("chat.postMessage")
    posted = cluster.standin.wait_for("chat.postMessage")
    assert redeliver(b.events, body).status == 200
    assert redeliver(a.events, body).status == 200
    assert cluster.standin.calls_to("chat.postMessage") == posted
    assert posted[0].body["thread_ts"] == body["event"]["ts"]


def test_simultaneous_deliveries_to_both_get_one_answer(cluster: Cluster) -> None:
    bodies = [event_callback(mention(f"Who is Alan Kraut? ({n})")) for n in range(4)]
    statuses: list[int] = []

    def deliver(replica: Replica, body: dict[str, Any], start: threading.Barrier) -> None:
        start.wait(timeout=30)
        statuses.append(post_json(replica.events, body).status)

    for body in bodies:
        start = threading.Barrier(2)
        threads = [
            threading.Thread(target=deliver, args=(replica, body, start))
            for replica in cluster.replicas
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert set(statuses) <= {200, 409} and len(statuses) == 8
    for body in bodies:  # Slack retries until a replica accepts: by then it is done
        for replica in cluster.replicas:
            assert redeliver(replica.events, body).status == 200
    posts = cluster.standin.wait_for("chat.postMessage", len(bodies))
    assert sorted(p.body["thread_ts"] for p in posts) == sorted(b["event"]["ts"] for b in bodies)


def test_votes_pressed_on_either_replica_are_in_feedback(cluster: Cluster) -> None:
    a, b = cluster.replicas
    assert post_json(a.events, event_callback(mention("Who is Alan Kraut?"))).status == 200
    post = cluster.standin.wait_for("chat.postMessage")[0]
    message = {"ts": "1700000002.000100", "text": post.body["text"], "blocks": post.body["blocks"]}
    clicks = [
        (a, "feedback_up", "U0FIRST"),
        (b, "feedback_down", "U0SECOND"),
        (b, "feedback_up", "U0FIRST"),  # the same user's vote again, on the other replica
    ]
    for replica, action_id, user in clicks:
        payload = block_action(
            button_in(post.body["blocks"], action_id), "http://unused", message=message
        )
        payload["user"]["id"] = user
        assert post_action(replica.events, payload).status == 200
    cluster.standin.wait_for("chat.update", 2)
    summary = feedback(cluster)
    assert (summary["votes"], summary["up"], summary["down"]) == (2, 1, 1)
    assert summary["voted_down"][0]["question"] == "Who is Alan Kraut?"
    assert "postgresql" in summary["database"]


def test_a_replica_killed_mid_answer_leaves_the_event_to_the_other(cluster: Cluster) -> None:
    """Last in this module: it kills replica a."""
    a, b = cluster.replicas
    body = event_callback(mention("Who is Alan Kraut?"))
    cluster.standin.hold("chat.postMessage")
    assert post_json(a.events, body).status == 200
    cluster.standin.wait_held("chat.postMessage")
    a.process.kill()
    a.process.wait(timeout=30)
    # a's lease (renewed while it lived) has not run out yet: b leaves the event for later
    assert post_json(b.events, body, headers={"X-Slack-Retry-Num": "1"}).status == 409
    # once it has, b adopts the orphaned claim and answers, with no redelivery needed
    posted = cluster.standin.wait_for("chat.postMessage", timeout=60)
    assert len(posted) == 1 and posted[0].body["thread_ts"] == body["event"]["ts"]
    assert_quotes_the_seed(posted[0].body["blocks"])
    assert "took over" in b.log.read_text()
    assert redeliver(b.events, body).status == 200  # Slack's later retry: already answered
    assert len(cluster.standin.calls_to("chat.postMessage")) == 1


def test_serve_with_an_unreachable_database_stops_with_one_line(
    standin: WebApiStandIn, tmp_path: Path
) -> None:
    env = bot_env(standin, tmp_path)
    env["BOT_DATABASE_URL"] = "postgresql://bot:hunter2@127.0.0.1:9/quotebot"
    command = [
        sys.executable,
        "-m",
        "bot",
        "serve",
        "--http",
        "--host",
        "127.0.0.1",
        "--port",
        str(free_port()),
    ]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=START_TIMEOUT
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: The database postgresql+psycopg://bot:***@127.0.0.1:9/quotebot")
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr
