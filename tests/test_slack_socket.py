"""Socket Mode end to end: a local WebSocket server speaking Slack's protocol drives the bot.

The bot runs Bolt's built-in Socket Mode client (as ``serve --socket`` does) against
``SocketModeStandIn``; replies go to ``WebApiStandIn``. The answerer is a fake that quotes the
seed: what is under test is the transport, dedupe and replies.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.records import Answer
from tests.slack_standin import (
    FakeAnswerer,
    SocketModeStandIn,
    WebApiStandIn,
    all_text,
    block_action,
    button_in,
    direct_message,
    event_callback,
    mention,
    slash_command,
    socket_mode_bot,
)

pytestmark = pytest.mark.e2e  # a WebSocket server and the bot on threads: the slow tier


@dataclass
class SocketBot:
    api: WebApiStandIn
    socket: SocketModeStandIn
    answerer: FakeAnswerer


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketBot]:
    answerer = FakeAnswerer()
    with socket_mode_bot(answerer, tmp_path_factory.mktemp("socket") / "feedback.sqlite3") as (
        api,
        socket,
    ):
        yield SocketBot(api, socket, answerer)


@pytest.fixture(autouse=True)
def fresh_calls(bot: SocketBot) -> None:
    bot.api.clear()


def test_connects_with_the_app_token(bot: SocketBot) -> None:
    opened = bot.api.calls_to("apps.connections.open") or []
    assert all(call.headers["authorization"] == "Bearer xapp-test" for call in opened)
    assert bot.socket.connections


def test_mention_is_acked_and_answered_in_the_thread(bot: SocketBot) -> None:
    event = mention("who is Alan Kraut?")
    envelope = bot.socket.send_envelope("events_api", event_callback(event))
    bot.socket.wait_ack(envelope)
    post = bot.api.wait_for("chat.postMessage")[0]
    assert post.body["thread_ts"] == event["ts"]
    assert "Alan Kraut" in all_text(post.body["blocks"])
    assert bot.answerer.questions[-1] == "who is Alan Kraut?"


def test_direct_message_is_answered(bot: SocketBot) -> None:
    bot.socket.send_envelope("events_api", event_callback(direct_message("Who is Alan Kraut?")))
    post = bot.api.wait_for("chat.postMessage")[0]
    assert post.body["channel"] == "D0DIRECT"


def test_slash_command_answers_privately(bot: SocketBot) -> None:
    response_url = bot.api.response_url()
    envelope = bot.socket.send_envelope(
        "slash_commands", dict(slash_command("Who is Alan Kraut?", response_url))
    )
    bot.socket.wait_ack(envelope)
    private = bot.api.wait_for("response_url")[0]
    assert private.body["response_type"] == "ephemeral"
    share = button_in(private.body["blocks"], "share_answer")
    bot.socket.send_envelope("interactive", block_action(share, response_url))
    public = bot.api.wait_for("chat.postMessage")[0]
    assert public.body["channel"] == "C0CHANNEL"


def redeliver_until_acked(bot: SocketBot, body: dict[str, Any], attempts: int = 100) -> str:
    """A redelivery is left unacked while the first delivery is being answered (so Slack sends
    it again later); once that is done, it is acked and skipped."""
    for _ in range(attempts):
        envelope = bot.socket.send_envelope("events_api", body, retry_attempt=1)
        try:
            bot.socket.wait_ack(envelope, timeout=0.2)
            return envelope
        except AssertionError:
            continue
    raise AssertionError(f"no redelivery acked in {attempts} attempts")


def test_redelivered_envelope_gets_one_reply(bot: SocketBot) -> None:
    body = event_callback(mention("who is Alan Kraut?"))
    first = bot.socket.send_envelope("events_api", body)
    bot.socket.wait_ack(first)
    redeliver_until_acked(bot, body)
    bot.socket.send_envelope("events_api", body, envelope_id=first)
    bot.socket.wait_ack(first, 2)
    bot.api.wait_for("chat.postMessage")
    time.sleep(0.3)
    assert len(bot.api.calls_to("chat.postMessage")) == 1


def test_refresh_reconnects_and_keeps_answering(bot: SocketBot) -> None:
    before = len(bot.socket.connections)
    bot.socket.refresh()
    assert len(bot.socket.connections) == before + 1
    assert len(bot.api.calls_to("apps.connections.open")) == 1
    deadline = time.monotonic() + 10
    envelope = ""
    while time.monotonic() < deadline:  # the client may still be switching sessions
        envelope = bot.socket.send_envelope("events_api", event_callback(direct_message("Who?")))
        try:
            bot.socket.wait_ack(envelope, timeout=1)
            break
        except AssertionError:
            continue
    assert bot.socket.wait_ack(envelope)
    assert bot.api.wait_for("chat.postMessage")[0].body["channel"] == "D0DIRECT"


def test_debug_logs_carry_no_socket_ticket(
    bot: SocketBot, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.logs import RedactUrls, configure_logging

    root = logging.getLogger()
    level = root.level
    caplog.set_level(logging.DEBUG)
    configure_logging("DEBUG")
    try:
        bot.socket.refresh()  # a new apps.connections.open: its answer holds the ticket URL
        bot.api.wait_for("apps.connections.open")
        time.sleep(0.3)
    finally:
        root.setLevel(level)
        for handler in root.handlers:
            for redact in [f for f in handler.filters if isinstance(f, RedactUrls)]:
                handler.removeFilter(redact)
    assert "apps.connections.open" in caplog.text
    assert "ticket=standin" not in caplog.text


def test_stopping_waits_for_a_stuck_answer_only_so_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer that never finishes (a hung dependency) holds the stop for the grace period,
    not for ever: the bot then stops without it."""
    monkeypatch.setattr("bot.slack.socket.GRACEFUL_SHUTDOWN_SECONDS", 0.5)
    release, asked = threading.Event(), threading.Event()

    class Stuck(FakeAnswerer):
        def answer(self, question: str, *, conversation: object = None) -> Answer:
            asked.set()
            release.wait(60)
            return super().answer(question, conversation=conversation)

    try:
        with socket_mode_bot(Stuck(), tmp_path / "feedback.sqlite3") as (_api, socket):
            envelope = socket.send_envelope("events_api", event_callback(mention("Who?")))
            socket.wait_ack(envelope)
            assert asked.wait(10)
            stopping = time.monotonic()
        # socket_mode_bot has checked that the bot stopped
        assert time.monotonic() - stopping < 10
    finally:
        release.set()
