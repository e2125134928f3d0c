"""A local stand-in for Slack's servers, for end-to-end tests that cannot reach Slack.

``WebApiStandIn`` answers the Web API methods the bot calls (auth.test, chat.postMessage,
chat.update, apps.connections.open) and ``response_url`` posts, records every call, and can be
told to answer the next calls to a method with 429 + Retry-After. ``SocketModeStandIn`` speaks
Slack's Socket Mode protocol over a WebSocket: hello, envelopes with envelope_id, acks, and a
``disconnect`` that asks the client to refresh its connection.

Both listen on 127.0.0.1 on a random port; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlparse

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from bot.records import Answer, Attribution, Document, Quote

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T00000001"


@dataclass
class Call:
    """One request the bot made."""

    method: str
    """The Web API method (``chat.postMessage``), or ``response_url`` for response posts."""
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 200


@dataclass
class _Failure:
    status: int
    retry_after: int
    remaining: int


@dataclass
class _Hold:
    remaining: int
    waiting: int = 0
    record: bool = True
    gate: threading.Event = field(default_factory=threading.Event)


@dataclass
class WebApiStandIn:
    """Slack's Web API and response_url endpoints, on a random loopback port."""

    calls: list[Call] = field(default_factory=list)
    socket_url: str = ""
    threads: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    """The bot's posted messages by (channel, thread root ts), as conversations.replies
    returns them."""
    _failures: dict[str, _Failure] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _holds: dict[str, _Hold] = field(default_factory=dict)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self) -> str:
        """A fresh ``response_url`` as Slack puts in slash commands and actions."""
        return f"{self.url}/response/{uuid.uuid4().hex}"

    def start(self) -> WebApiStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def fail_next(
        self, method: str, *, times: int = 1, status: int = 429, retry_after: int = 1
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with ``status`` (and Retry-After)."""
        with self._lock:
            self._failures[method] = _Failure(status, retry_after, times)

    def hold(self, method: str, *, times: int = 1) -> None:
        """Keep the next ``times`` calls to ``method`` waiting (the bot is then mid-answer)
        until ``release``; they are recorded only when released."""
        with self._lock:
            self._holds[method] = _Hold(remaining=times)

    def wait_held(self, method: str, count: int = 1, *, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                hold = self._holds.get(method)
                if hold is not None and hold.waiting >= count:
                    return
            time.sleep(0.02)
        raise AssertionError(f"no call to {method} arrived to be held")

    def release(self, method: str, *, record: bool = True) -> None:
        """Let the held calls go on; ``record=False`` forgets them (their caller was killed)."""
        with self._lock:
            hold = self._holds.pop(method, None)
        if hold is not None:
            hold.record = record
            hold.gate.set()

    def _wait_if_held(self, method: str) -> bool:
        """False when the call was held, then released unrecorded."""
        with self._lock:
            hold = self._holds.get(method)
            if hold is None or hold.remaining <= 0:
                return True
            hold.remaining -= 1
            hold.waiting += 1
        hold.gate.wait(timeout=300)
        return hold.record

    def calls_to(self, method: str, *, ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [
                c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)
            ]

    def wait_for(self, method: str, count: int = 1, *, timeout: float = 10.0) -> list[Call]:
        """The successful calls to ``method`` once there are ``count``; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) to {method}, got {self.calls_to(method)}")

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    def _keep_message(self, body: dict[str, Any], ts: str) -> None:
        """Remember a posted message under its thread (what Slack stores, metadata included)."""
        channel, root = str(body.get("channel")), str(body.get("thread_ts") or ts)
        message: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": body.get("text", ""),
            "ts": ts,
            "thread_ts": root,
        }
        metadata = _metadata(body.get("metadata"))
        if metadata:
            message["metadata"] = metadata
        self.threads.setdefault((channel, root), []).append(message)

    def _record(self, call: Call) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            failure = self._failures.get(call.method)
            if failure is not None and failure.remaining > 0:
                failure.remaining -= 1
                call.status = failure.status
                self.calls.append(call)
                headers = {"Retry-After": str(failure.retry_after)}
                return failure.status, headers, {"ok": False, "error": "ratelimited"}
            self.calls.append(call)
            return 200, {}, self._answer(call)

    def _answer(self, call: Call) -> dict[str, Any]:
        if call.method == "auth.test":
            return {
                "ok": True,
                "url": "https://standin.slack.test/",
                "team": "Stand-in",
                "user": "quotebot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if call.method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if call.method in ("chat.postMessage", "chat.update"):
            ts = call.body.get("ts") or f"{int(time.time())}.{next(self._ts):06d}"
            if call.method == "chat.postMessage":
                self._keep_message(call.body, ts)
            return {"ok": True, "channel": call.body.get("channel"), "ts": ts}
        if call.method == "conversations.replies":
            found = self.threads.get((str(call.body.get("channel")), str(call.body.get("ts"))), [])
            with_metadata = str(call.body.get("include_all_metadata")).lower() in ("1", "true")
            messages = [
                m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
                for m in found
            ]
            return {"ok": True, "messages": messages, "has_more": False}
        if call.method == "response_url":
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}


def _metadata(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _handler_for(standin: WebApiStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            path = urlparse(self.path).path
            method = _method_for(path)
            headers = {key.lower(): value for key, value in self.headers.items()}
            call = Call(method, path, headers, _parse(raw, headers.get("content-type", "")))
            if not standin._wait_if_held(method):
                return
            status, extra_headers, answer = standin._record(call)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in extra_headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


def _method_for(path: str) -> str:
    if path.startswith("/response/"):
        return "response_url"
    return path.removeprefix("/api/")


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type or raw.startswith("{"):
        parsed = json.loads(raw)
        return parsed if isinstance(parsed, dict) else {"_": parsed}
    body: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    for key in ("blocks", "attachments"):
        if isinstance(body.get(key), str):
            body[key] = json.loads(body[key])
    return body


class SocketModeStandIn:
    """Slack's Socket Mode WebSocket endpoint: greets with hello, sends envelopes, records acks."""

    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.connections: list[ServerConnection] = []
        self._lock = threading.Condition()
        self._server: Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=standin"

    def start(self) -> SocketModeStandIn:
        self._server = serve(self._handle, "127.0.0.1", 0)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()

    def wait_connected(self, count: int = 1, *, timeout: float = 10.0) -> None:
        """Wait until ``count`` connections have been opened (and greeted)."""
        self._wait(lambda: len(self.connections) >= count, timeout, f"{count} connection(s)")

    def send_envelope(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
    ) -> str:
        """Send an envelope on the newest connection; returns its envelope_id."""
        envelope_id = envelope_id or uuid.uuid4().hex
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        self.connections[-1].send(json.dumps(envelope))
        return envelope_id

    def wait_ack(
        self, envelope_id: str, count: int = 1, *, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """The acks for ``envelope_id`` once there are ``count``."""
        self._wait(lambda: len(self._acks_for(envelope_id)) >= count, timeout, f"ack {envelope_id}")
        return self._acks_for(envelope_id)

    def refresh(self, *, timeout: float = 10.0) -> None:
        """Ask the client to reconnect, as Slack does before it recycles a connection."""
        before = len(self.connections)
        old = self.connections[-1]
        old.send(json.dumps({"type": "disconnect", "reason": "refresh_requested"}))
        self.wait_connected(before + 1, timeout=timeout)
        old.close()

    def _acks_for(self, envelope_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [ack for ack in self.acks if ack.get("envelope_id") == envelope_id]

    def _wait(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not ready():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting for {what}")
                self._lock.wait(min(remaining, 0.1))

    def _handle(self, connection: ServerConnection) -> None:
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "standin", "approximate_connection_time": 3600},
            "connection_info": {"app_id": "A00000001"},
        }
        connection.send(json.dumps(hello))
        with self._lock:
            self.connections.append(connection)
            self._lock.notify_all()
        try:
            for message in connection:
                ack = json.loads(message)
                with self._lock:
                    self.acks.append(ack)
                    self._lock.notify_all()
        except ConnectionClosed:
            return


# ---- test doubles for the answer pipeline (the real one is used end to end) ----------------

SEED_DOCUMENT = Document(
    path="seeds/example.txt",
    title="FBI had doubts about Secure Communities",
    published="2011-11-15",
    source="The Example Times",
)


def fake_quote(text: str = "“I agree,” replied Stephen L. Morris.", **changes: Any) -> Quote:
    """A quote as the pipeline would return it."""
    values: dict[str, Any] = {
        "text": text,
        "document": SEED_DOCUMENT,
        "paragraph": 10,
        "char_start": 100,
        "char_end": 100 + len(text),
        "score": 0.7,
        "attribution": Attribution("Stephen L. Morris", "the special agent in charge of Houston"),
        "chunk_ids": (7, 8),
        "highlight": None,
    }
    values.update(changes)
    return Quote(**values)


KRAUT = (
    "Alan Kraut, a professor at American University professor who specializes in immigration "
    "history, said the internal confusion over Secure Communities shows that the federal "
    "government does not have a unified policy on the program."
)
"""A sentence of the seed article, so that fake answers quote the seed too."""


class FakeAnswerer:
    """Answers every question with one fixed quote; records the questions; thread-safe."""

    def __init__(self, *, error: Exception | None = None) -> None:
        self.questions: list[str] = []
        self.error = error
        self._lock = threading.Lock()

    @classmethod
    def load(cls, settings: object) -> FakeAnswerer:
        return cls()

    def answer(self, question: str, *, conversation: object = None) -> Answer:
        with self._lock:
            self.questions.append(question)
        if self.error is not None:
            raise self.error
        quote = fake_quote(KRAUT, attribution=Attribution("Alan Kraut", None), highlight=(0, 10))
        return Answer(question=question, answered=True, confidence="high", quotes=(quote,))


# ---- what Slack sends: payloads, signed HTTP requests ---------------------------------------

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
_ids = itertools.count(1)


def next_ts() -> str:
    return f"{int(time.time())}.{next(_ids):06d}"


def event_callback(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    """An Events API envelope around ``event``, as Slack posts it."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A00000001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True, "enterprise_id": None}
        ],
    }


def mention(
    text: str, *, channel: str = "C0CHANNEL", thread_ts: str | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": next_ts(),
        "channel": channel,
        "event_ts": next_ts(),
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(text: str, **extra: Any) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "U0ASKER",
        "text": text,
        "ts": next_ts(),
        "channel": "D0DIRECT",
        "event_ts": next_ts(),
    }
    event.update(extra)
    return event


def slash_command(text: str, response_url: str, *, command: str = "/ask") -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "channel_id": "C0CHANNEL",
        "channel_name": "general",
        "user_id": "U0ASKER",
        "user_name": "asker",
        "command": command,
        "text": text,
        "api_app_id": "A00000001",
        "response_url": response_url,
        "trigger_id": f"trig.{uuid.uuid4().hex[:8]}",
    }


def block_action(
    button: dict[str, Any],
    response_url: str,
    *,
    message: dict[str, Any] | None = None,
    channel: str = "C0CHANNEL",
) -> dict[str, Any]:
    """A click on ``button``, in a posted ``message`` or (without one) an ephemeral reply."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": "U0VOTER", "team_id": TEAM_ID},
        "api_app_id": "A00000001",
        "team": {"id": TEAM_ID, "domain": "standin"},
        "channel": {"id": channel, "name": "general"},
        "container": {"type": "message", "channel_id": channel, "is_ephemeral": message is None},
        "trigger_id": f"trig.{uuid.uuid4().hex[:8]}",
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "feedback",
                "value": button["value"],
                "action_ts": next_ts(),
            }
        ],
    }
    if message is not None:
        payload["message"] = message
        payload["container"]["message_ts"] = message["ts"]
    return payload


def button_in(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for block in blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["action_id"] == action_id:
                found: dict[str, Any] = element
                return found
    raise AssertionError(f"no {action_id} button in {blocks}")


def all_text(blocks: list[dict[str, Any]]) -> str:
    """The visible text of some blocks, one piece per line."""
    pieces: list[str] = []
    for block in blocks:
        if "text" in block:
            pieces.append(block["text"]["text"])
        pieces.extend(
            e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)
        )
    return "\n".join(pieces)


@contextlib.contextmanager
def socket_mode_bot(
    answerer: Any, feedback_db: Path
) -> Iterator[tuple[WebApiStandIn, SocketModeStandIn]]:
    """The real Bolt app over Socket Mode, against both stand-ins, answering with ``answerer``;
    stopped (and checked stopped) on exit."""
    from pydantic import SecretStr

    from bot.settings import Settings
    from bot.slack.app import create_app
    from bot.slack.socket import run_socket_mode

    api, socket = WebApiStandIn().start(), SocketModeStandIn().start()
    api.socket_url = socket.url
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-test"),
        slack_app_token=SecretStr("xapp-test"),
        slack_api_url=api.api_url,
        feedback_db=feedback_db,
    )
    executor, stop = ThreadPoolExecutor(max_workers=4), threading.Event()
    app = create_app(settings, answerer, listener_executor=executor)
    thread = threading.Thread(
        target=run_socket_mode,
        kwargs={"app": app, "app_token": "xapp-test", "executor": executor, "stop": stop},
        daemon=True,
    )
    thread.start()
    socket.wait_connected(1)
    try:
        yield api, socket
    finally:
        stop.set()
        thread.join(timeout=15)
        assert not thread.is_alive()
        socket.stop()
        api.stop()
