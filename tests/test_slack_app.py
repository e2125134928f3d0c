"""The Bolt app in this process: payloads handed to ``App.dispatch``, the Web API a recording
client, listeners run inline. No server, no socket: which events are answered, where, once.

The same flows over real HTTP and Socket Mode are in test_slack_http.py and
test_slack_socket.py (the e2e tier)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltContext
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from bot.settings import Settings
from bot.slack.app import SORRY, create_app
from tests.slack_standin import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    FakeAnswerer,
    all_text,
    block_action,
    button_in,
    direct_message,
    event_callback,
    mention,
    next_ts,
)


class RecordingClient(WebClient):
    """Slack's Web API as far as the bot uses it: every call recorded, every call ``ok``."""

    def __init__(self) -> None:
        super().__init__(token="xoxb-test")
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def api_call(self, api_method: str, **request: Any) -> SlackResponse:  # type: ignore[override]
        args = {
            k: v
            for part in ("params", "data", "json")
            for k, v in (request.get(part) or {}).items()
        }
        self.calls.append((api_method, args))
        data: dict[str, Any] = {"ok": True}
        if api_method == "auth.test":
            data |= {"user_id": BOT_USER_ID, "bot_id": BOT_ID, "team_id": TEAM_ID}
        elif api_method == "chat.postMessage":
            data |= {"channel": args.get("channel"), "ts": next_ts()}
        elif api_method == "conversations.replies":
            data |= {"messages": []}
        return SlackResponse(
            client=self,
            http_verb="POST",
            api_url=api_method,
            req_args={},
            data=data,
            headers={},
            status_code=200,
        )

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [args for name, args in self.calls if name == method]


class Inline(Executor):
    """Runs each listener at once, in the dispatching thread: a test sees its effects on return."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


Bot = tuple[App, RecordingClient, FakeAnswerer]


def _bot(tmp_path: Path, answerer: FakeAnswerer) -> Bot:
    client = RecordingClient()
    settings = Settings(BOT_FEEDBACK_DB=tmp_path / "votes.sqlite3", SLACK_BOT_TOKEN="xoxb-test")
    app = create_app(settings, answerer, listener_executor=Inline(), client=client)

    @app.middleware
    def record_calls(context: BoltContext, next: Callable[[], None]) -> None:
        context["client"] = client  # Bolt makes a client per request from the app's settings
        next()

    return app, client, answerer


@pytest.fixture
def bot(tmp_path: Path) -> Bot:
    return _bot(tmp_path, FakeAnswerer())


def dispatch_event(app: App, event: dict[str, Any]) -> int:
    body = json.dumps(event_callback(event))
    return app.dispatch(BoltRequest(body=body, headers={"content-type": "application/json"})).status


def dispatch_action(app: App, payload: dict[str, Any]) -> int:
    body = urlencode({"payload": json.dumps(payload)})
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return app.dispatch(BoltRequest(body=body, headers=headers)).status


def test_a_mention_is_answered_in_its_thread(bot: Bot) -> None:
    app, client, answerer = bot
    event = mention("who is Alan Kraut?")
    assert dispatch_event(app, event) == 200
    [post] = client.calls_to("chat.postMessage")
    assert post["channel"] == "C0CHANNEL" and post["thread_ts"] == event["ts"]
    assert "Alan Kraut" in all_text(post["blocks"])
    assert answerer.questions == ["who is Alan Kraut?"]


def test_a_direct_message_is_answered_where_it_was_asked(bot: Bot) -> None:
    app, client, _ = bot
    assert dispatch_event(app, direct_message("Who is Alan Kraut?")) == 200
    [post] = client.calls_to("chat.postMessage")
    assert post["channel"] == "D0DIRECT" and post.get("thread_ts") is None


def test_the_same_event_delivered_twice_is_answered_once(bot: Bot) -> None:
    app, client, answerer = bot
    event = mention("who is Alan Kraut?")
    assert dispatch_event(app, event) == 200
    assert dispatch_event(app, event) == 200
    assert len(client.calls_to("chat.postMessage")) == 1 and len(answerer.questions) == 1


@pytest.mark.parametrize(
    "event",
    [
        direct_message("Who is Alan Kraut?", bot_id="B0OTHER", subtype="bot_message"),
        direct_message("Who is Alan Kraut?", bot_id=BOT_ID, user=BOT_USER_ID),
        direct_message("Who is Alan Kraut?", subtype="message_changed"),
        direct_message("Who is Alan Kraut?", channel_type="channel", channel="C0CHANNEL"),
        {**mention("Who is Alan Kraut?"), "bot_id": "B0OTHER"},
    ],
    ids=["another bot", "itself", "an edit", "channel chatter", "a bot's mention"],
)
def test_what_is_not_a_question_gets_nothing(bot: Bot, event: dict[str, Any]) -> None:
    app, client, answerer = bot
    assert dispatch_event(app, event) == 200
    assert client.calls_to("chat.postMessage") == [] and answerer.questions == []


@pytest.mark.parametrize("text", ["", "   ", "<!here>"])
def test_an_empty_mention_gets_help_without_asking_the_pipeline(bot: Bot, text: str) -> None:
    app, client, answerer = bot
    dispatch_event(app, mention(text))
    [post] = client.calls_to("chat.postMessage")
    assert "/ask" in all_text(post["blocks"]) and answerer.questions == []


def test_a_failing_answer_gets_a_polite_reply(tmp_path: Path) -> None:
    app, client, _ = _bot(tmp_path, FakeAnswerer(error=RuntimeError("model crashed")))
    event = mention("who is Alan Kraut?")
    dispatch_event(app, event)
    [post] = client.calls_to("chat.postMessage")
    assert post["text"] == SORRY and post["thread_ts"] == event["ts"]
    assert "model crashed" not in json.dumps(client.calls)


def test_a_vote_is_stored_once_and_the_buttons_removed(bot: Bot, tmp_path: Path) -> None:
    app, client, _ = bot
    dispatch_event(app, mention("Who is Alan Kraut?"))
    [post] = client.calls_to("chat.postMessage")
    message = {"ts": "1700000001.000200", "text": post["text"], "blocks": post["blocks"]}
    up = button_in(post["blocks"], "feedback_up")
    for _ in range(2):
        assert dispatch_action(app, block_action(up, "http://unused", message=message)) == 200
    [update] = client.calls_to("chat.update")
    assert update["ts"] == "1700000001.000200" and "Thanks" in all_text(update["blocks"])
    assert all(block["type"] != "actions" for block in update["blocks"])
    with sqlite3.connect(tmp_path / "votes.sqlite3") as db:
        votes = db.execute("SELECT question, vote, user FROM votes").fetchall()
    assert votes == [("Who is Alan Kraut?", "up", "U0VOTER")]
