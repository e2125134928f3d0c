"""HTTP mode: a Starlette app served by uvicorn.

``POST /slack/events`` takes events, slash commands and interactivity (Bolt's default path);
``GET /healthz`` answers 503 until the answerer is loaded, then 200. A request without
Slack's signature headers, or declaring a body over the limit, is refused before its body is
read; a body is read only up to the limit. Signatures are checked before the body is parsed,
and a body that cannot be parsed gets 400 (Bolt's own adapters answer 500 with a traceback).
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.slack.app import GRACEFUL_SHUTDOWN_SECONDS

logger = logging.getLogger("bot.slack.http")

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000
"""Slack's payloads are a few kilobytes; anything near this is not from Slack."""
SIGNATURE_MAX_AGE_SECONDS = 60 * 5
"""Slack's own rule (and slack_sdk's): an older signed request may be a replay."""


def create_asgi_app(
    bolt_app: App,
    *,
    signing_secret: str,
    is_ready: Callable[[], bool],
    on_shutdown: Callable[[], None] = lambda: None,
) -> Starlette:
    """The ASGI app; ``on_shutdown`` runs (in a thread) after the last request has finished."""
    verifier = SignatureVerifier(signing_secret)

    async def slack_events(request: Request) -> Response:
        refusal = _refuse_at_once(request.headers)
        if refusal is not None:
            return refusal
        body = await _read_body(request, MAX_BODY_BYTES)
        if body is None:
            return _too_large()
        text = _decode(body)
        if text is None:
            return PlainTextResponse("malformed body", status_code=400)
        if not _signed_by_slack(verifier, text, request.headers):
            return PlainTextResponse("invalid signature", status_code=401)
        payload = _parsed(text, request.headers.get("content-type"))
        if payload is None:
            return PlainTextResponse("malformed body", status_code=400)
        if payload.get("ssl_check") == "1":  # Slack checking a slash command's certificate
            return PlainTextResponse("", status_code=200)
        if payload.get("type") == "app_rate_limited":
            logger.warning(
                "Slack is holding back events for this app: over its rate limit in minute %s",
                payload.get("minute_rate_limited"),
            )
            return PlainTextResponse("", status_code=200)
        headers: dict[str, str | Sequence[str]] = dict(request.headers.items())
        bolt_request = BoltRequest(body=text, query=dict(request.query_params), headers=headers)
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return _to_response(bolt_response)

    async def healthz(request: Request) -> Response:
        if is_ready():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "loading"}, status_code=503)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        logger.info("finishing answers in flight")
        await run_in_threadpool(on_shutdown)

    routes = [
        Route(EVENTS_PATH, slack_events, methods=["POST"]),
        # a Request URL pasted with a slash at the end: Slack follows no redirect
        Route(EVENTS_PATH + "/", slack_events, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _refuse_at_once(headers: Mapping[str, str]) -> Response | None:
    """401 without Slack's signature headers, 413 for a declared body over the limit: decided
    from the headers alone, before a byte of the body is read."""
    stamp = headers.get("x-slack-request-timestamp", "")
    fresh = (
        _SECONDS.fullmatch(stamp) is not None
        and abs(time.time() - int(stamp)) <= SIGNATURE_MAX_AGE_SECONDS
    )
    if not headers.get("x-slack-signature") or not fresh:
        return PlainTextResponse("invalid signature", status_code=401)
    declared = headers.get("content-length")
    if declared is not None:
        if _DECIMAL.fullmatch(declared) is None:
            return PlainTextResponse("malformed body", status_code=400)
        if int(declared) > MAX_BODY_BYTES:
            return _too_large()
    return None


_SECONDS = re.compile(r"[0-9]{1,12}")
"""A timestamp header as Slack sends it: Unix seconds, in ASCII digits (not "²", not 400
digits, which `int` cannot compare with the clock)."""
_DECIMAL = re.compile(r"[0-9]{1,18}")


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it grows past ``limit`` (the rest is never read)."""
    body = bytearray()
    async for piece in request.stream():
        body += piece
        if len(body) > limit:
            return None
    return bytes(body)


def _too_large() -> Response:
    # The unread rest of the body is not drained: the connection is closed after the reply.
    return PlainTextResponse("payload too large", status_code=413, headers={"connection": "close"})


def _signed_by_slack(verifier: SignatureVerifier, body: str, headers: Mapping[str, str]) -> bool:
    try:
        return verifier.is_valid_request(body, headers)
    except ValueError:  # a timestamp header that is not a number
        return False


def _decode(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _parsed(text: str, content_type: str | None) -> dict[str, Any] | None:
    """The payload, when the body parses to one of the shape Bolt expects; else None."""
    try:
        payload: Any = parse_body(text, content_type)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return None
    if isinstance(payload, dict) and payload.get("ssl_check") == "1":
        return payload
    return payload if _well_formed(payload) else None


_TEXT_FIELDS = (
    "type",
    "token",
    "team_id",
    "api_app_id",
    "event_id",
    "trigger_id",
    "response_url",
    "command",
    "text",
    "user_id",
    "channel_id",
    "challenge",
)
_EVENT_TEXT_FIELDS = (
    "type",
    "subtype",
    "text",
    "user",
    "channel",
    "channel_type",
    "ts",
    "thread_ts",
    "event_ts",
    "bot_id",
)
_ACTION_TEXT_FIELDS = ("type", "block_id", "value", "action_ts")


def _well_formed(payload: Any) -> bool:
    """True for a payload whose every field the bot reads has the type Slack sends: anything
    else is answered 400 here instead of failing inside a listener."""
    if not isinstance(payload, dict) or not _texts(payload, _TEXT_FIELDS):
        return False
    if payload.get("type") is None and payload.get("command") is None:
        return False
    if payload.get("command") is not None and not _is_url(payload.get("response_url")):
        return False
    if "response_url" in payload and not _is_url(payload["response_url"]):
        return False
    view = payload.get("view")
    if view is not None and not (isinstance(view, dict) and isinstance(view.get("type"), str)):
        return False  # Bolt reads a view's type to route it
    for key in ("user", "channel", "team", "container"):
        value = payload.get(key)
        if isinstance(value, dict) and not _texts(value, ("id",)):
            return False
        if not isinstance(value, dict | str | type(None)):
            return False
    return (
        _list_of_dicts(payload.get("authorizations", []))
        and _event_well_formed(payload)
        and _message_well_formed(payload.get("message"))
        and _actions_well_formed(payload)
    )


def _event_well_formed(payload: dict[str, Any]) -> bool:
    if "event" not in payload:
        return payload.get("type") != "event_callback"
    event = payload["event"]
    return isinstance(event, dict) and _texts(event, _EVENT_TEXT_FIELDS)


def _message_well_formed(message: Any) -> bool:
    if message is None:
        return True
    return (
        isinstance(message, dict)
        and _texts(message, ("ts", "text"))
        and _list_of_dicts(message.get("blocks", []))
    )


def _actions_well_formed(payload: dict[str, Any]) -> bool:
    actions = payload.get("actions", [])
    if payload.get("type") == "block_actions" and not actions:
        return False
    return _list_of_dicts(actions) and all(
        isinstance(action.get("action_id"), str) and _texts(action, _ACTION_TEXT_FIELDS)
        for action in actions
    )


def _texts(record: dict[str, Any], keys: Sequence[str]) -> bool:
    """True when each of ``keys`` is absent, null or a string."""
    return all(isinstance(record.get(key), str | type(None)) for key in keys)


def _list_of_dicts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def _to_response(bolt_response: BoltResponse) -> Response:
    return Response(
        content=bolt_response.body,
        status_code=bolt_response.status,
        headers=bolt_response.first_headers_without_set_cookie(),
    )


MAX_CONNECTIONS = 1_000
"""Connections held open at once; one past it is closed as soon as it is accepted. Slack sends
a few requests a second, each answered at once: more open at once is a client holding them."""
REQUEST_SECONDS = 10.0
"""How long a connection has to deliver a whole request (headers and body) once it opens, or
once the last response on it was sent. Slack sends a request in one go; a client that dribbles
one out byte by byte ("slowloris") would otherwise hold its connection for ever."""


class _GuardedH11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with `MAX_CONNECTIONS` and `REQUEST_SECONDS` (uvicorn times
    out only idle keep-alive connections, and takes any number of them)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if len(self.connections) >= MAX_CONNECTIONS:
            transport.close()  # before it is counted or read: no file descriptor held
            return
        super().connection_made(transport)  # type: ignore[arg-type]
        self._deadline: asyncio.TimerHandle | None = self.loop.call_later(
            REQUEST_SECONDS, self._too_slow
        )
        self._answered: object = None
        """The request last answered on this connection (uvicorn keeps it as its cycle until
        the next request's headers are in)."""

    def handle_events(self) -> None:
        super().handle_events()
        cycle = self.cycle
        if cycle is not None and cycle is not self._answered and not cycle.more_body:
            if self._deadline is not None:
                self._deadline.cancel()  # the whole request is in: answering may take its time
                self._deadline = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._deadline is not None:
            self._deadline.cancel()
        # keep-alive: the next request on this connection has its own REQUEST_SECONDS (uvicorn
        # times out an idle one, but not one whose first byte came and the rest never does)
        self._deadline = None
        self._answered = self.cycle
        if not self.transport.is_closing():
            self._deadline = self.loop.call_later(REQUEST_SECONDS, self._too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
        if self in self.connections or hasattr(self, "transport"):
            super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            logger.info("closed a connection that sent no whole request in %s s", REQUEST_SECONDS)
            self.transport.close()


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything slow starts: a port in use or out of range
    is then one clear error at once (`OSError`, `OverflowError`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def make_server(asgi_app: Starlette, *, host: str, port: int, log_level: str) -> uvicorn.Server:
    """A uvicorn server that, on SIGTERM, stops taking requests and lets answers finish."""
    config = uvicorn.Config(
        asgi_app,
        host=host,
        port=port,
        log_level=log_level.lower(),
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        http=_GuardedH11,
    )
    return uvicorn.Server(config)
