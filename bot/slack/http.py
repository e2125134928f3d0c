"""HTTP mode: a Starlette app served by uvicorn.

``POST /slack/events`` takes events, slash commands and interactivity (Bolt's default path);
``GET /healthz`` answers 503 until the answerer is loaded, then 200. Signatures are checked
before the body is parsed, and a body that cannot be parsed gets 400 (Bolt's own adapters
answer 500 with a traceback).
"""

from __future__ import annotations

import logging
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

logger = logging.getLogger("bot.slack.http")

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000
"""Slack's payloads are a few kilobytes; anything near this is not from Slack."""
GRACEFUL_SHUTDOWN_SECONDS = 30


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
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return PlainTextResponse("payload too large", status_code=413)
        text = _decode(body)
        if text is None:
            return PlainTextResponse("malformed body", status_code=400)
        if not _signed_by_slack(verifier, text, request.headers):
            return PlainTextResponse("invalid signature", status_code=401)
        if not _parses(text, request.headers.get("content-type")):
            return PlainTextResponse("malformed body", status_code=400)
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
        Route("/healthz", healthz, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


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


def _parses(text: str, content_type: str | None) -> bool:
    """True when the body parses to a payload of the shape Bolt expects."""
    try:
        payload: Any = parse_body(text, content_type)
    except ValueError:
        return False
    return _well_formed(payload)


def _well_formed(payload: Any) -> bool:
    if not isinstance(payload, dict):
        return False
    for key in ("event", "user", "channel", "team", "message", "container"):
        if key in payload and not isinstance(payload[key], dict | str | type(None)):
            return False
    if "event" in payload and not isinstance(payload["event"], dict):
        return False
    actions = payload.get("actions", [])
    return isinstance(actions, list) and all(isinstance(action, dict) for action in actions)


def _to_response(bolt_response: BoltResponse) -> Response:
    return Response(
        content=bolt_response.body,
        status_code=bolt_response.status,
        headers=bolt_response.first_headers_without_set_cookie(),
    )


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
    )
    return uvicorn.Server(config)
