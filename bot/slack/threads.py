"""A Slack thread as a conversation, read back from Slack itself.

Each answer the bot posts in a thread carries its `Turn` in the message's metadata
(`event_type` "quotebot_turn"). A later question in that thread reads them back with
`conversations.replies`, so the context survives restarts and is the same on every replica,
with no state of the bot's own. Bounded: the last `MAX_TURNS` turns, none older than
`MAX_AGE_SECONDS`. Reading needs the `*:history` scopes (the manifests ask for them); when
Slack refuses, the question is answered on its own.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.conversation import MAX_TURNS, Conversation, from_payload, to_payload
from bot.records import Answer, Turn

logger = logging.getLogger(__name__)

EVENT_TYPE = "quotebot_turn"
MAX_AGE_SECONDS = 24 * 3600
"""A thread picked up a day later starts afresh."""
MAX_MESSAGES = 200
"""How much of a thread is read back (one page of `conversations.replies`)."""


def turn_metadata(answer: Answer) -> dict[str, Any] | None:
    """The message metadata that lets a later question in the thread refer back to this one."""
    if answer.turn is None:
        return None
    return {"event_type": EVENT_TYPE, "event_payload": to_payload(answer.turn)}


def read_conversation(
    client: WebClient, *, channel: str, thread_ts: str, bot_user_id: str | None
) -> Conversation:
    """The bot's earlier turns in a thread, oldest first (none when Slack will not say)."""
    try:
        response = client.conversations_replies(
            channel=channel, ts=thread_ts, include_all_metadata=True, limit=MAX_MESSAGES
        )
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning("thread history unavailable, answering on its own: %s", _why(error))
        return Conversation()
    messages = response.get("messages") or []
    oldest = time.time() - MAX_AGE_SECONDS
    turns = [
        turn
        for message in messages
        if isinstance(message, dict) and _ours(message, bot_user_id) and _ts(message) >= oldest
        for turn in [_turn_of(message)]
        if turn is not None
    ]
    return Conversation(tuple(turns[-MAX_TURNS:]))


def _ours(message: dict[str, Any], bot_user_id: str | None) -> bool:
    if bot_user_id is not None and message.get("user") == bot_user_id:
        return True
    return bool(message.get("bot_id"))


def _turn_of(message: dict[str, Any]) -> Turn | None:
    metadata = message.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
        return None
    return from_payload(metadata.get("event_payload"))


def _ts(message: dict[str, Any]) -> float:
    try:
        return float(message.get("ts", 0))
    except (TypeError, ValueError):
        return 0.0


def _why(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error", "error"))
    return type(error).__name__
