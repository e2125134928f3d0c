"""Slack's Web API: the client, posting an answer, and one log line when Slack refuses."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.errors import ConfigError
from bot.records import Answer
from bot.render.slack import render_blocks, render_fallback
from bot.settings import Settings

logger = logging.getLogger("bot.slack")


def bot_token(settings: Settings) -> str:
    """``SLACK_BOT_TOKEN``, or ConfigError saying where to get it."""
    if settings.slack_bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN is not set: copy the bot token (xoxb-…) into .env")
    return settings.slack_bot_token.get_secret_value()


def make_client(settings: Settings) -> WebClient:
    """The Web API client: ``SLACK_API_URL``, and retries for rate limits and lost connections."""
    return WebClient(
        token=bot_token(settings),
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            _RateLimitRetry(max_retry_count=3),
        ],
    )


MAX_RETRY_AFTER_SECONDS = 30
"""The longest wait Slack's Retry-After may ask of an answer before its post is retried. A
longer one is not waited out: the post fails and is logged with its question, instead of
holding an answering thread (of eight) for as long as Slack asks, an hour if it says so."""


class _RateLimitRetry(RateLimitErrorRetryHandler):
    """slack_sdk's rate-limit retries, but only for waits up to `MAX_RETRY_AFTER_SECONDS`."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
        try:
            seconds = float(wait[0] if isinstance(wait, list) else wait) if wait else 1.0
        except ValueError:
            return False
        return seconds <= MAX_RETRY_AFTER_SECONDS


def post_answer(
    client: WebClient,
    answer: Answer,
    *,
    channel: str,
    thread_ts: str | None,
    question: str,
    asker: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> bool:
    """chat.postMessage with the answer's blocks (shared by ``asker``: their question shown
    above it; ``metadata``: the turn a follow-up refers back to); False (and logged) when
    Slack refused."""
    blocks = render_blocks(answer, shared_by=asker)
    return call_web_api(
        lambda: client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            blocks=blocks,
            text=render_fallback(answer),
            unfurl_links=False,
            unfurl_media=False,
            metadata=metadata,
        ),
        what="chat.postMessage",
        question=question,
        channel=channel,
    )


def call_web_api(call: Callable[[], object], *, what: str, question: str, channel: str) -> bool:
    try:
        call()
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.error(
            "%s failed after retries channel=%s question=%r error=%s",
            what,
            channel,
            question[:80],
            _describe(error),
        )
        return False
    return True


def respond_safely(respond: Respond, *, question: str, channel: str, **message: Any) -> bool:
    try:
        response = respond(**message)
    except (SlackClientError, OSError) as error:
        logger.error(
            "response_url post failed channel=%s question=%r error=%s",
            channel,
            question[:80],
            _describe(error),
        )
        return False
    if response.status_code != 200:
        logger.error(
            "response_url post failed channel=%s question=%r status=%s",
            channel,
            question[:80],
            response.status_code,
        )
        return False
    return True


def _describe(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error", "unknown"))
    return type(error).__name__


def log_question(
    *,
    event_id: str | None,
    trigger: str,
    channel: str,
    question: str,
    answer: Answer | None,
    delivered: bool,
    started: float,
) -> None:
    """One structured line per question; the full question only at DEBUG."""
    latency_ms = round((time.monotonic() - started) * 1000)
    logger.info(
        "question event_id=%s trigger=%s channel=%s kind=%s answered=%s delivered=%s "
        "latency_ms=%d text=%r",
        event_id,
        trigger,
        channel,
        answer.kind if answer else "error",
        bool(answer and answer.answered),
        delivered,
        latency_ms,
        question[:80],
    )
    if len(question) > 80:
        logger.debug("question event_id=%s full_text=%r", event_id, question)
