"""HTTP mode end to end: the bot started as users start it, Slack's servers played by a stand-in.

``bot_server`` runs ``python -m bot serve --http`` (real model, real index built from seeds/)
once for the module; requests are signed as Slack signs them. A second, in-process server with
a fake answerer covers what the real pipeline cannot be made to do on demand (fail).
"""

from __future__ import annotations

import html
import json
import logging
import re
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from pydantic import SecretStr

from bot.errors import IndexMissingError
from bot.settings import Settings
from bot.slack.app import create_app
from bot.slack.http import create_asgi_app, make_server
from tests.serve_process import START_TIMEOUT, bot_env, free_port, wait_healthy
from tests.slack_http_client import (
    http,
    post_action,
    post_form,
    post_json,
    post_signed,
    redeliver,
)
from tests.slack_standin import (
    BOT_ID,
    BOT_USER_ID,
    SIGNING_SECRET,
    FakeAnswerer,
    WebApiStandIn,
    all_text,
    block_action,
    button_in,
    direct_message,
    event_callback,
    mention,
    slash_command,
)

pytestmark = pytest.mark.e2e  # subprocesses and servers: the slow tier

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@dataclass
class BotServer:
    url: str
    standin: WebApiStandIn
    feedback_db: Path
    log: Path | None = None

    @property
    def events(self) -> str:
        return self.url + "/slack/events"


@pytest.fixture(scope="module")
def bot_server(
    standin: WebApiStandIn,
    tmp_path_factory: pytest.TempPathFactory,
    link_export: Callable[[Path], None],
) -> Iterator[BotServer]:
    """``python -m bot serve --http`` on a free port, after ``python -m bot index build``."""
    tmp = tmp_path_factory.mktemp("http_bot")
    link_export(tmp / "index")
    env = bot_env(standin, tmp)
    build = [sys.executable, "-m", "bot", "index", "build"]
    subprocess.run(build, cwd=tmp, env=env, check=True, timeout=START_TIMEOUT, capture_output=True)
    port = free_port()
    command = [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1"]
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen(
        [*command, "--port", str(port)], cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield BotServer(url, standin, tmp / "feedback.sqlite3", tmp / "server.log")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            # uvicorn shuts down gracefully, then re-raises the signal it caught
            assert process.wait(timeout=30) in (0, -signal.SIGTERM)
            assert "Application shutdown complete" in (tmp / "server.log").read_text()
        finally:
            if process.poll() is None:
                process.kill()
            log.close()


@pytest.fixture(autouse=True)
def fresh_calls(standin: WebApiStandIn) -> None:
    standin.clear()


def quoted_lines(blocks: list[dict[str, Any]]) -> list[str]:
    """The quoted source text in the blocks, markup and escaping removed."""
    lines = [
        line.removeprefix("> ")
        for block in blocks
        if block["type"] == "section"
        for line in block["text"]["text"].split("\n")
        if line.startswith("> ")
    ]
    return [html.unescape(line.replace("*", "")).strip() for line in lines if line.strip("> ")]


def assert_quotes_the_seed(blocks: list[dict[str, Any]]) -> None:
    seed = " ".join(" ".join(p.read_text() for p in SEEDS.glob("*.txt")).split())
    lines = quoted_lines(blocks)
    assert lines, blocks
    for line in lines:
        assert " ".join(line.split()) in seed


def ask_by_mention(server: BotServer, text: str, **options: Any) -> dict[str, Any]:
    event = mention(text)
    body = event_callback(event)
    assert post_json(server.events, body, **options).status == 200
    return body


def _action_body(**changes: Any) -> bytes:
    action = {"type": "button", "action_id": "feedback_up", "block_id": "feedback", "value": "{}"}
    payload = block_action({"action_id": "feedback_up", "value": "{}"}, "http://127.0.0.1:9/r")
    payload["actions"] = [{**action, **changes}]
    return ("payload=" + quote(json.dumps(payload))).encode()


def _event_body(**changes: Any) -> bytes:
    body = event_callback(mention("Who is Alan Kraut?"))
    if "authorizations" in changes:
        body["authorizations"] = changes.pop("authorizations")
    body["event"].update(changes)
    return json.dumps(body).encode()


def raw_exchange(url: str, head: bytes, pieces: Iterator[bytes]) -> bytes:
    """Send ``head`` then the body ``pieces`` over one connection, stopping as soon as the
    server answers (or closes); returns what it answered. Never finishes the body itself."""
    host, port = url.removeprefix("http://").split(":")
    # a poll, not `select.select`: the test process may hold more than 1,024 descriptors
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        answered = select.poll()
        answered.register(connection, select.POLLIN)
        connection.sendall(head)
        for piece in pieces:
            if answered.poll(0):
                break
            try:
                connection.sendall(piece)
            except OSError:  # the server closed the connection after answering
                break
        return connection.recv(4096)


def request_head(*, signed: bool, extra: str, age: int = 0) -> bytes:
    signature = (
        f"X-Slack-Request-Timestamp: {int(time.time()) - age}\r\nX-Slack-Signature: v0=00\r\n"
        if signed
        else ""
    )
    return (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"{signature}{extra}\r\n"
    ).encode()


def chunks_forever(size: int = 64 * 1024, *, limit: int = 64 * 1024 * 1024) -> Iterator[bytes]:
    """A chunked body that would go on for ``limit`` bytes; the test stops early."""
    piece = f"{size:x}\r\n".encode() + b"x" * size + b"\r\n"
    for _ in range(limit // size):
        yield piece


# ---- the real server ------------------------------------------------------------------------


def test_url_verification(bot_server: BotServer) -> None:
    reply = post_json(
        bot_server.events, {"type": "url_verification", "token": "t", "challenge": "c-123"}
    )
    assert reply.status == 200 and "c-123" in reply.body


def test_healthz_reports_ready(bot_server: BotServer) -> None:
    reply = http("GET", bot_server.url + "/healthz")
    assert reply.status == 200 and json.loads(reply.body)["status"] == "ready"


def test_mention_is_answered_once_in_the_thread(bot_server: BotServer) -> None:
    body = ask_by_mention(bot_server, "who is Alan Kraut?")
    post = bot_server.standin.wait_for("chat.postMessage")[0]
    assert post.body["channel"] == "C0CHANNEL"
    assert post.body["thread_ts"] == body["event"]["ts"]
    assert_quotes_the_seed(post.body["blocks"])
    assert "Alan Kraut" in all_text(post.body["blocks"])
    assert post.headers["authorization"] == "Bearer xoxb-test"

    retry = redeliver(bot_server.events, body)
    assert retry.status == 200
    ask_by_mention(bot_server, "who is Alan Kraut?")  # a later question, as a barrier
    posts = bot_server.standin.wait_for("chat.postMessage", 2)
    time.sleep(0.3)
    assert [p.body["thread_ts"] for p in bot_server.standin.calls_to("chat.postMessage")] == [
        body["event"]["ts"],
        posts[1].body["thread_ts"],
    ]


def test_mention_inside_a_thread_replies_in_that_thread(bot_server: BotServer) -> None:
    event = mention("who is Alan Kraut?", thread_ts="1700000000.000100")
    post_json(bot_server.events, event_callback(event))
    post = bot_server.standin.wait_for("chat.postMessage")[0]
    assert post.body["thread_ts"] == "1700000000.000100"


def test_empty_mention_gets_help(bot_server: BotServer) -> None:
    ask_by_mention(bot_server, "")
    post = bot_server.standin.wait_for("chat.postMessage")[0]
    assert "/ask" in all_text(post.body["blocks"])
    assert all(block["type"] != "actions" for block in post.body["blocks"])


def test_direct_message_is_answered_there(bot_server: BotServer) -> None:
    post_json(bot_server.events, event_callback(direct_message("Who is Alan Kraut?")))
    post = bot_server.standin.wait_for("chat.postMessage")[0]
    assert post.body["channel"] == "D0DIRECT"
    assert post.body.get("thread_ts") is None
    assert_quotes_the_seed(post.body["blocks"])


def test_bots_edits_and_channel_chatter_get_nothing(bot_server: BotServer) -> None:
    ignored = [
        direct_message("Who is Alan Kraut?", bot_id="B0OTHER", subtype="bot_message"),
        direct_message("Who is Alan Kraut?", bot_id=BOT_ID, user=BOT_USER_ID),
        direct_message("Who is Alan Kraut?", subtype="message_changed"),
        direct_message("Who is Alan Kraut?", subtype="channel_join"),
        direct_message("Who is Alan Kraut?", channel_type="channel", channel="C0CHANNEL"),
        {**mention("Who is Alan Kraut?"), "bot_id": "B0OTHER"},
    ]
    for event in ignored:
        assert post_json(bot_server.events, event_callback(event)).status == 200
    barrier = direct_message("Who is Alan Kraut?")
    post_json(bot_server.events, event_callback(barrier))
    bot_server.standin.wait_for("chat.postMessage")
    time.sleep(0.3)
    assert len(bot_server.standin.calls_to("chat.postMessage")) == 1


def test_slash_command_answers_privately_then_shares(bot_server: BotServer) -> None:
    response_url = bot_server.standin.response_url()
    reply = post_form(bot_server.events, slash_command("Who is Alan Kraut?", response_url))
    assert reply.status == 200
    private = bot_server.standin.wait_for("response_url")[0]
    assert private.path == response_url.split(bot_server.standin.url)[1]
    assert private.body["response_type"] == "ephemeral"
    assert "Who is Alan Kraut?" in private.body["blocks"][0]["elements"][0]["text"]
    assert_quotes_the_seed(private.body["blocks"])

    share = button_in(private.body["blocks"], "share_answer")
    assert post_action(bot_server.events, block_action(share, response_url)).status == 200
    public = bot_server.standin.wait_for("chat.postMessage")[0]
    assert public.body["channel"] == "C0CHANNEL"
    assert_quotes_the_seed(public.body["blocks"])
    assert button_in(public.body["blocks"], "feedback_up")
    deleted = bot_server.standin.wait_for("response_url", 2)[1]
    assert deleted.body.get("delete_original") is True


def test_thumbs_up_is_stored_and_the_message_updated(bot_server: BotServer) -> None:
    ask_by_mention(bot_server, "Who is Alan Kraut?")
    post = bot_server.standin.wait_for("chat.postMessage")[0]
    message = {"ts": "1700000001.000200", "text": post.body["text"], "blocks": post.body["blocks"]}
    up = button_in(post.body["blocks"], "feedback_up")
    reply = post_action(bot_server.events, block_action(up, "http://unused", message=message))
    assert reply.status == 200
    update = bot_server.standin.wait_for("chat.update")[0]
    assert update.body["ts"] == "1700000001.000200"
    assert all(block["type"] != "actions" for block in update.body["blocks"])
    assert "Thanks" in all_text(update.body["blocks"])
    with sqlite3.connect(bot_server.feedback_db) as db:
        rows = db.execute("SELECT question, vote, user, channel, message_ts FROM votes").fetchall()
    assert rows == [("Who is Alan Kraut?", "up", "U0VOTER", "C0CHANNEL", "1700000001.000200")]


def test_bad_signature_is_rejected(bot_server: BotServer) -> None:
    body = json.dumps(event_callback(mention("Who is Alan Kraut?"))).encode()
    reply = post_signed(bot_server.events, body, content_type="application/json", secret="wrong")
    assert reply.status == 401


def test_stale_timestamp_is_rejected(bot_server: BotServer) -> None:
    body = json.dumps(event_callback(mention("Who is Alan Kraut?"))).encode()
    stale = int(time.time()) - 10 * 60
    reply = post_signed(bot_server.events, body, content_type="application/json", timestamp=stale)
    assert reply.status == 401
    assert bot_server.standin.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "event_callback", "event": {', "application/json"),
        (b'{"type": "event_callback", "event": "text"}', "application/json"),
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        (b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        (b"\xff\xfe{", "application/json"),
        (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
        (b"payload=" + b"%5B" * 50_000 + b"%5D" * 50_000, "application/x-www-form-urlencoded"),
        (_action_body(value=5), "application/x-www-form-urlencoded"),
        (_action_body(value={"q": "x"}), "application/x-www-form-urlencoded"),
        (_action_body(action_id=7), "application/x-www-form-urlencoded"),
        (_action_body(block_id=[]), "application/x-www-form-urlencoded"),
        (_event_body(channel=["C0CHANNEL"]), "application/json"),
        (_event_body(text={"t": "hi"}), "application/json"),
        (_event_body(ts=1.5), "application/json"),
        (_event_body(authorizations=5), "application/json"),
        (b'{"type": 5}', "application/json"),
        (b"{}", "application/json"),
        (b"command=%2Fask&text=hi", "application/x-www-form-urlencoded"),
        (b"command=%2Fask&text=hi&response_url=nowhere", "application/x-www-form-urlencoded"),
        (  # a view without its type, which Bolt reads to route it
            b"payload="
            + quote(
                json.dumps({"type": "view_submission", "user": {"id": "U1"}, "view": {"id": "V1"}})
            ).encode(),
            "application/x-www-form-urlencoded",
        ),
    ],
)
def test_malformed_body_gets_400(bot_server: BotServer, body: bytes, content_type: str) -> None:
    assert post_signed(bot_server.events, body, content_type=content_type).status == 400
    assert http("GET", bot_server.url + "/healthz").status == 200
    assert bot_server.log is not None and "Traceback" not in bot_server.log.read_text()


def test_a_declared_oversized_body_is_refused_before_it_is_sent(bot_server: BotServer) -> None:
    head = request_head(signed=True, extra="Content-Length: 400000000\r\n")
    reply = raw_exchange(bot_server.url, head, iter(()))
    assert reply.startswith(b"HTTP/1.1 413"), reply


def test_a_chunked_body_is_read_only_up_to_the_limit(bot_server: BotServer) -> None:
    head = request_head(signed=True, extra="Transfer-Encoding: chunked\r\n")
    reply = raw_exchange(bot_server.url, head, chunks_forever())
    assert reply.startswith(b"HTTP/1.1 413"), reply
    assert http("GET", bot_server.url + "/healthz").status == 200


def test_an_unsigned_body_is_refused_before_it_is_read(bot_server: BotServer) -> None:
    head = request_head(signed=False, extra="Transfer-Encoding: chunked\r\n")
    reply = raw_exchange(bot_server.url, head, chunks_forever())
    assert reply.startswith(b"HTTP/1.1 401"), reply


def test_a_stale_signature_is_refused_before_the_body_is_read(bot_server: BotServer) -> None:
    head = request_head(signed=True, extra="Transfer-Encoding: chunked\r\n", age=10 * 60)
    reply = raw_exchange(bot_server.url, head, chunks_forever())
    assert reply.startswith(b"HTTP/1.1 401"), reply


def test_a_lone_surrogate_is_answered_without_a_traceback(bot_server: BotServer) -> None:
    body = event_callback(mention("Who is Alan Kraut? \ud800"))
    raw = json.dumps(body)  # ensure_ascii: the surrogate travels as the escape \\ud800
    reply = post_signed(bot_server.events, raw.encode(), content_type="application/json")
    assert reply.status == 200
    post = bot_server.standin.wait_for("chat.postMessage")[0]
    assert "Alan Kraut" in all_text(post.body["blocks"])
    assert bot_server.log is not None and "Traceback" not in bot_server.log.read_text()


def test_a_broadcast_and_a_greeting_get_help(bot_server: BotServer) -> None:
    ask_by_mention(bot_server, "<!here> hi")
    post = bot_server.standin.wait_for("chat.postMessage")[0]
    assert "Ask me a question" in all_text(post.body["blocks"])


def test_no_warning_about_the_token_at_start(bot_server: BotServer) -> None:
    assert bot_server.log is not None
    log = bot_server.log.read_text()
    assert "answerer loaded" in log and "will be unused" not in log


def test_rate_limited_post_is_retried_and_delivered(bot_server: BotServer) -> None:
    bot_server.standin.fail_next("chat.postMessage", status=429, retry_after=1)
    ask_by_mention(bot_server, "Who is Alan Kraut?")
    delivered = bot_server.standin.wait_for("chat.postMessage", timeout=15)
    attempts = bot_server.standin.calls_to("chat.postMessage", ok_only=False)
    assert [call.status for call in attempts] == [429, 200]
    assert_quotes_the_seed(delivered[0].body["blocks"])


# ---- in process, with a fake answerer: failures on demand ------------------------------------


class SlowAnswerer(FakeAnswerer):
    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def answer(self, question: str) -> Any:
        time.sleep(self.seconds)
        return super().answer(question)


def inprocess_settings(standin: WebApiStandIn, tmp: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=standin.api_url,
        feedback_db=tmp / "feedback.sqlite3",
        max_question_chars=2000,
    )


@dataclass
class InProcess(BotServer):
    server: Any = None
    thread: threading.Thread | None = None

    def stop(self) -> None:
        self.server.should_exit = True
        assert self.thread is not None
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


def start_inprocess(
    standin: WebApiStandIn, tmp: Path, answerer: Any, *, ready: Any = lambda: True
) -> InProcess:
    from concurrent.futures import ThreadPoolExecutor

    settings = inprocess_settings(standin, tmp)
    executor = ThreadPoolExecutor(max_workers=4)
    app = create_app(settings, answerer, listener_executor=executor)
    asgi = create_asgi_app(
        app,
        signing_secret=SIGNING_SECRET,
        is_ready=ready,
        on_shutdown=lambda: executor.shutdown(wait=True),
    )
    port = free_port()
    server = make_server(asgi, host="127.0.0.1", port=port, log_level="WARNING")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    return InProcess(url, standin, settings.feedback_db, server=server, thread=thread)


@pytest.fixture
def fake_bot(standin: WebApiStandIn, tmp_path: Path) -> Iterator[tuple[InProcess, FakeAnswerer]]:
    answerer = FakeAnswerer()
    server = start_inprocess(standin, tmp_path, answerer)
    yield server, answerer
    server.stop()


def test_failing_answer_gets_a_polite_reply(
    standin: WebApiStandIn, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = start_inprocess(standin, tmp_path, FakeAnswerer(error=IndexMissingError("No index")))
    try:
        body = ask_by_mention(server, "Who is Alan Kraut?")
        post = standin.wait_for("chat.postMessage")[0]
        assert post.body["text"] == "No index"
        assert post.body["thread_ts"] == body["event"]["ts"]
    finally:
        server.stop()
    assert any("IndexMissingError" in record.getMessage() for record in caplog.records)


def test_twenty_thousand_character_question(fake_bot: tuple[InProcess, FakeAnswerer]) -> None:
    server, answerer = fake_bot
    ask_by_mention(server, "<!channel> " + "why? " * 4000)
    post = server.standin.wait_for("chat.postMessage")[0]
    assert answerer.questions == []
    assert "characters long" in all_text(post.body["blocks"])
    assert len(json.dumps(post.body)) < 10_000

    response_url = server.standin.response_url()
    post_form(server.events, slash_command("<!here> " + "x" * 20_000, response_url))
    private = server.standin.wait_for("response_url")[0]
    echo = all_text(private.body["blocks"])
    assert "<!here>" not in echo and "&lt;!here&gt;" not in echo  # a broadcast is no question
    assert all(
        len(block.get("text", {}).get("text", "")) <= 3000 for block in private.body["blocks"]
    )


def _logged_post_failure(caplog: pytest.LogCaptureFixture) -> str:
    """The log line of a post Slack refused, waited for (at most 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(
        "chat.postMessage failed" in r.getMessage() for r in caplog.records
    ):
        time.sleep(0.05)
    return next(
        r.getMessage() for r in caplog.records if "chat.postMessage failed" in r.getMessage()
    )


def test_failed_post_is_logged_and_the_bot_keeps_going(
    fake_bot: tuple[InProcess, FakeAnswerer], caplog: pytest.LogCaptureFixture
) -> None:
    server, _ = fake_bot
    server.standin.fail_next("chat.postMessage", status=500, times=5)
    ask_by_mention(server, "Who is Alan Kraut?", headers={})
    failure = _logged_post_failure(caplog)
    assert "channel=C0CHANNEL" in failure and "Who is Alan Kraut?" in failure
    assert "xoxb-test" not in caplog.text and SIGNING_SECRET not in caplog.text
    server.standin.fail_next("chat.postMessage", times=0)
    ask_by_mention(server, "Who else?")
    assert server.standin.wait_for("chat.postMessage")[0].body["channel"] == "C0CHANNEL"


def test_a_post_slack_asks_to_retry_an_hour_later_is_logged_not_waited_for(
    fake_bot: tuple[InProcess, FakeAnswerer], caplog: pytest.LogCaptureFixture
) -> None:
    server, _ = fake_bot
    server.standin.fail_next("chat.postMessage", status=429, retry_after=3600)
    ask_by_mention(server, "Who is Alan Kraut?", headers={})
    failure = _logged_post_failure(caplog)  # within 10 s, well before the hour: not retried
    assert "error=ratelimited" in failure and "Who is Alan Kraut?" in failure
    assert len(server.standin.calls_to("chat.postMessage", ok_only=False)) == 1


def test_first_delivery_lost_then_retry_is_answered_once(
    fake_bot: tuple[InProcess, FakeAnswerer],
) -> None:
    server, answerer = fake_bot
    body = event_callback(mention("Who is Alan Kraut?"))
    assert post_json(server.events, body, headers={"X-Slack-Retry-Num": "1"}).status == 200
    # A retry while the first is still being answered gets 409, so Slack keeps retrying
    # until the event is done (then 200) or its holder's lease has run out.
    assert post_json(server.events, body, headers={"X-Slack-Retry-Num": "2"}).status in (200, 409)
    server.standin.wait_for("chat.postMessage")
    assert redeliver(server.events, body).status == 200
    time.sleep(0.3)
    assert len(server.standin.calls_to("chat.postMessage")) == 1
    assert answerer.questions == ["Who is Alan Kraut?"]


def test_same_message_as_mention_and_dm_is_answered_once(
    fake_bot: tuple[InProcess, FakeAnswerer],
) -> None:
    server, _ = fake_bot
    dm = direct_message(f"<@{BOT_USER_ID}> Who is Alan Kraut?")
    as_mention = {**dm, "type": "app_mention"}
    post_json(server.events, event_callback(dm))
    post_json(server.events, event_callback(as_mention))
    server.standin.wait_for("chat.postMessage")
    time.sleep(0.3)
    assert len(server.standin.calls_to("chat.postMessage")) == 1


def test_shutdown_finishes_answers_in_flight(standin: WebApiStandIn, tmp_path: Path) -> None:
    server = start_inprocess(standin, tmp_path, SlowAnswerer(1.0))
    ask_by_mention(server, "Who is Alan Kraut?")
    server.stop()  # what uvicorn does on SIGTERM
    assert len(standin.calls_to("chat.postMessage")) == 1


def test_healthz_is_503_until_the_answerer_is_loaded(
    standin: WebApiStandIn, tmp_path: Path
) -> None:
    from bot.slack.serve import BackgroundAnswerer

    release = threading.Event()

    def load() -> FakeAnswerer:
        release.wait(10)
        return FakeAnswerer()

    answerer = BackgroundAnswerer(load)
    answerer.start()
    server = start_inprocess(standin, tmp_path, answerer, ready=answerer.ready)
    try:
        assert http("GET", server.url + "/healthz").status == 503
        ask_by_mention(server, "Who is Alan Kraut?")  # acked now, answered once loaded
        time.sleep(0.2)
        assert standin.calls_to("chat.postMessage") == []
        release.set()
        assert standin.wait_for("chat.postMessage")[0].body["channel"] == "C0CHANNEL"
        assert http("GET", server.url + "/healthz").status == 200
    finally:
        server.stop()


# ---- serve(): choosing the transport and checking the tokens --------------------------------


def test_serve_names_the_missing_setting(tmp_path: Path) -> None:
    from bot.errors import ConfigError
    from bot.slack.serve import Transport, choose_mode, serve

    bare = Settings(_env_file=None)  # type: ignore[call-arg]
    with_app_token = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-test"),
        slack_app_token=SecretStr("xapp-test"),
    )
    assert choose_mode(bare, None) == "http"
    assert choose_mode(with_app_token, None) == "socket"
    assert choose_mode(with_app_token, "http") == "http"
    only_bot_token = Settings(_env_file=None, slack_bot_token=SecretStr("x"))  # type: ignore[call-arg]
    cases: list[tuple[Settings, Transport | None, str]] = [
        (bare, None, "SLACK_BOT_TOKEN"),
        (with_app_token, "http", "SLACK_SIGNING_SECRET"),
        (only_bot_token, "socket", "SLACK_APP_TOKEN"),
    ]
    for settings, mode, variable in cases:
        with pytest.raises(ConfigError, match=variable):
            serve(settings, mode=mode, host="127.0.0.1", port=0, answerer_factory=FakeAnswerer.load)


def test_serve_explains_a_rejected_token(standin: WebApiStandIn, tmp_path: Path) -> None:
    from bot.errors import ConfigError
    from bot.slack.serve import serve

    settings = inprocess_settings(standin, tmp_path)
    settings = settings.model_copy(update={"slack_api_url": standin.url + "/nowhere/"})
    loads: list[object] = []
    with pytest.raises(ConfigError, match="auth.test") as raised:
        serve(settings, mode="http", host="127.0.0.1", port=0, answerer_factory=loads.append)
    assert "xoxb-test" not in str(raised.value)
    # the model is not loading when the process exits: a thread left in native code aborts it
    assert loads == []


def test_serve_names_a_port_it_cannot_listen_on(standin: WebApiStandIn, tmp_path: Path) -> None:
    from bot.errors import ConfigError
    from bot.slack.serve import serve

    settings = inprocess_settings(standin, tmp_path)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    loads: list[object] = []
    try:
        for bad in (port, 99_999):
            with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{bad}"):
                serve(
                    settings, mode="http", host="127.0.0.1", port=bad, answerer_factory=loads.append
                )
    finally:
        taken.close()
    assert loads == []


@pytest.mark.e2e
def test_a_rejected_token_ends_the_real_bot_with_one_line(
    standin: WebApiStandIn, tmp_path: Path
) -> None:
    env = bot_env(standin, tmp_path)
    env["SLACK_API_URL"] = standin.url + "/nowhere/"
    command = [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1"]
    done = subprocess.run(
        [*command, "--port", str(free_port())],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )
    assert done.returncode == 1, done.stderr  # a setting to fix, not a crash (134: aborted)
    assert "terminate called" not in done.stderr and "Traceback" not in done.stderr
    assert "auth.test" in done.stderr


def _guarded(
    standin: WebApiStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **limits: float
) -> tuple[InProcess, tuple[str, int]]:
    """An in-process server with `bot.slack.http`'s connection limits set for a test, and the
    address to open raw connections to."""
    import bot.slack.http

    for name, value in limits.items():
        monkeypatch.setattr(bot.slack.http, name, value)
    server = start_inprocess(standin, tmp_path, FakeAnswerer())
    host, port = server.url.removeprefix("http://").split(":")
    return server, (host, int(port))


def test_a_connection_that_never_sends_a_whole_request_is_closed(
    standin: WebApiStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, address = _guarded(standin, tmp_path, monkeypatch, REQUEST_SECONDS=0.5)
    try:
        slow = socket.create_connection(address, timeout=5)
        slow.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # headers never ended
        assert slow.recv(1024) == b""  # closed by the server, well within the 5 s timeout
        slow.close()
        assert http("GET", server.url + "/healthz").status in (200, 503)  # others still served
    finally:
        server.stop()


def test_a_second_request_on_a_kept_alive_connection_has_the_same_deadline(
    standin: WebApiStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, address = _guarded(standin, tmp_path, monkeypatch, REQUEST_SECONDS=0.5)
    try:
        kept = socket.create_connection(address, timeout=5)
        kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")  # answered, kept alive
        response = b""
        while b"\r\n\r\n" not in response:
            response += kept.recv(4096)
        head, _, body = response.partition(b"\r\n\r\n")
        length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE)[1])  # type: ignore[index]
        while len(body) < length:
            body += kept.recv(4096)
        assert head.startswith(b"HTTP/1.1 ")
        kept.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # then dribbled
        assert kept.recv(1024) == b""  # closed by the server, well within the 5 s timeout
        kept.close()
    finally:
        server.stop()


def test_connections_past_the_limit_are_closed_at_once(
    standin: WebApiStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, address = _guarded(standin, tmp_path, monkeypatch, MAX_CONNECTIONS=3)
    held = [socket.create_connection(address, timeout=5) for _ in range(3)]
    try:
        time.sleep(0.2)  # accepted and counted
        extra = socket.create_connection(address, timeout=5)
        assert extra.recv(1024) == b""  # closed before it could send anything
        extra.close()
        for sock in held:
            sock.close()
        time.sleep(0.2)
        assert http("GET", server.url + "/healthz").status in (200, 503)  # room again
    finally:
        server.stop()


# ---- hardening: what strangers and odd payloads cannot do --------------------------------------


def test_slash_command_text_is_made_plain_like_a_mention(
    fake_bot: tuple[InProcess, FakeAnswerer],
) -> None:
    server, answerer = fake_bot
    text = "<!here> what did <@U0ALAN|alan> say about <https://example.com|the site> &amp; costs?"
    post_form(server.events, slash_command(text, server.standin.response_url()))
    server.standin.wait_for("response_url")
    assert answerer.questions == ["what did @alan say about the site & costs?"]


def test_shared_answer_names_the_asker_and_shows_the_question_inert(
    fake_bot: tuple[InProcess, FakeAnswerer],
) -> None:
    server, _ = fake_bot
    question = "*IT NOTICE:* re-login at https://login.example.com/reset now"
    response_url = server.standin.response_url()
    post_form(server.events, slash_command(question, response_url))
    private = server.standin.wait_for("response_url")[0]
    share = button_in(private.body["blocks"], "share_answer")
    assert post_action(server.events, block_action(share, response_url)).status == 200
    public = server.standin.wait_for("chat.postMessage")[0].body["blocks"]
    who, words = public[0]["elements"]
    assert who == {"type": "mrkdwn", "text": "<@U0VOTER> asked:"}
    assert words["type"] == "plain_text" and words["emoji"] is False
    assert words["text"].startswith("“*IT NOTICE:* re-login at ")
    assert "https://" not in words["text"] and "login.example.com" not in words["text"]
    assert "login[.]example[.]com" in words["text"]


def test_debug_logs_carry_no_response_url_or_socket_ticket(
    fake_bot: tuple[InProcess, FakeAnswerer], caplog: pytest.LogCaptureFixture
) -> None:
    from bot.logs import RedactUrls, configure_logging

    server, _ = fake_bot
    root = logging.getLogger()
    level = root.level
    caplog.set_level(logging.DEBUG)
    configure_logging("DEBUG")
    try:
        response_url = server.standin.response_url()
        post_form(server.events, slash_command("Who is Alan Kraut?", response_url))
        server.standin.wait_for("response_url")
        logging.getLogger("slack_sdk.socket_mode").debug(
            "Connecting to a new server: %s", "wss://wss.example/link/?ticket=T0SECRET&app_id=A1"
        )
    finally:
        root.setLevel(level)
        for handler in root.handlers:
            for redact in [f for f in handler.filters if isinstance(f, RedactUrls)]:
                handler.removeFilter(redact)
    assert "/response/" in response_url and response_url.split("/response/")[1] not in caplog.text
    assert "T0SECRET" not in caplog.text
    assert re.search(r"/api/chat\.postMessage|response", caplog.text)


def test_a_question_waiting_for_the_load_is_released_at_shutdown(
    standin: WebApiStandIn, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.slack.serve import BackgroundAnswerer

    never = threading.Event()
    answerer = BackgroundAnswerer(lambda: never.wait(60) or FakeAnswerer())  # type: ignore[func-returns-value]
    answerer.start()
    server = start_inprocess(standin, tmp_path, answerer, ready=answerer.ready)
    body = ask_by_mention(server, "Who is Alan Kraut?")
    time.sleep(0.2)
    answerer.stop()
    server.stop()
    never.set()
    released = [r.getMessage() for r in caplog.records if "not answered" in r.getMessage()]
    assert released and body["event_id"] in released[0]
    reply = standin.wait_for("chat.postMessage")[0]
    assert "restarting" in reply.body["text"]


_SLOW_LOAD = """
import sys, time
import bot.cli


class SlowModel:
    \"\"\"A model whose first vector takes ten minutes: the index build on start never ends.\"\"\"

    name, dimension = "slow", 384

    def count_tokens(self, text):
        return len(text.split()) + 2

    def encode(self, texts, *, batch_size=64, progress=None):
        time.sleep(600)

    encode_query = encode


raise SystemExit(bot.cli.main(sys.argv[1:], embedder=SlowModel()))
"""


def test_sigterm_while_loading_exits_and_logs_the_waiting_question(
    standin: WebApiStandIn, tmp_path: Path
) -> None:
    """The real `serve --http`, stopped while the index is still loading (a load that would
    take ten minutes) and a question waits: it exits within the grace period, naming the
    question it could not answer."""
    from bot.slack.http import GRACEFUL_SHUTDOWN_SECONDS

    port = free_port()
    command = [sys.executable, "-c", _SLOW_LOAD, "serve", "--http", "--host", "127.0.0.1"]
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=tmp_path,
            env=bot_env(standin, tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    if http("GET", url + "/healthz").status == 503:
                        break
                except OSError:
                    time.sleep(0.1)
            body = event_callback(mention("Who is Alan Kraut?"))
            assert post_json(url + "/slack/events", body).status == 200
            time.sleep(0.3)  # the question is now waiting for the load
            process.send_signal(signal.SIGTERM)
            returncode = process.wait(timeout=GRACEFUL_SHUTDOWN_SECONDS + 15)
        finally:
            if process.poll() is None:
                process.kill()
    text = log.read_text()
    assert returncode in (0, -signal.SIGTERM), text
    assert f"not answered: the bot is stopping event_id={body['event_id']}" in text
    assert "Traceback" not in text


@pytest.mark.parametrize("stamp", ["9" * 400, "9" * 5000, "²", "１２３", "-1", ""])
def test_a_timestamp_that_is_no_time_is_refused_without_a_traceback(
    bot_server: BotServer, stamp: str
) -> None:
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"X-Slack-Signature: v0=x\r\nX-Slack-Request-Timestamp: {stamp}\r\n"
        "Content-Length: 2\r\nConnection: close\r\n\r\n{}"
    ).encode()
    answer = raw_exchange(bot_server.url, head, iter(()))
    assert answer.startswith(b"HTTP/1.1 401"), answer[:80]
    assert bot_server.log is not None and "Traceback" not in bot_server.log.read_text()


def test_slack_s_certificate_check_and_rate_limit_notice_get_200(bot_server: BotServer) -> None:
    form = "application/x-www-form-urlencoded"
    assert post_signed(bot_server.events, b"ssl_check=1&token=x", content_type=form).status == 200
    notice = {"type": "app_rate_limited", "team_id": "T1", "minute_rate_limited": 1518467820}
    reply = post_json(bot_server.events, notice)
    assert reply.status == 200
    assert bot_server.log is not None and "rate limit" in bot_server.log.read_text()


def test_the_events_address_with_a_slash_at_the_end(bot_server: BotServer) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc"}).encode()
    reply = post_signed(bot_server.events + "/", body, content_type="application/json")
    assert reply.status == 200 and "abc" in reply.body


@pytest.mark.parametrize("subtype", ["file_share", "thread_broadcast"])
def test_a_message_with_a_file_or_sent_to_the_channel_too_is_answered(
    bot_server: BotServer, subtype: str
) -> None:
    post_json(
        bot_server.events, event_callback(direct_message("Who is Alan Kraut?", subtype=subtype))
    )
    post = bot_server.standin.wait_for("chat.postMessage")[0]
    assert_quotes_the_seed(post.body["blocks"])


def test_a_colleague_mentioned_in_the_question(bot_server: BotServer) -> None:
    ask_by_mention(bot_server, "what did <@U0COLLEAGUE> say about the program?")
    post = bot_server.standin.wait_for("chat.postMessage")[0]
    text = all_text(post.body["blocks"])
    assert "I can't tell who @U0COLLEAGUE is" in text
    assert "don't mention" not in text
