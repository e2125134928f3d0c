"""Which Slack events are questions for the bot, and the question in each: pure functions of
the payload, tested on their own (tests/test_slack_events.py)."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.render.text import valid_unicode

Payload = dict[str, Any]

ANSWERED_EVENTS = frozenset({"app_mention", "message"})


ANSWERED_SUBTYPES = frozenset({"file_share", "thread_broadcast"})
"""Messages with a subtype that still carry a person's question: one with a file attached, and
a thread reply also sent to the channel. Edits, deletions and joins are not questions."""


def skip_reason(event: Payload) -> str | None:
    """Why an event gets no answer, or ``None`` when it is a question for the bot."""
    if event.get("type") not in ANSWERED_EVENTS:
        return "not a question event"
    if event.get("bot_id") or event.get("subtype") == "bot_message":
        return "from a bot"
    if event.get("subtype") and event["subtype"] not in ANSWERED_SUBTYPES:
        return f"message subtype {event['subtype']}"
    if event.get("type") == "message" and event.get("channel_type") != "im":
        return "channel message without a mention"
    if not isinstance(event.get("text", ""), str) or not (event.get("channel") and event.get("ts")):
        return "incomplete event"
    return None


_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def question_from_text(text: str, bot_user_id: str | None) -> str:
    """The question in a message: the bot's own mention dropped, Slack markup made plain."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    else:
        text = re.sub(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>", " ", text)
    text = _CC.sub(" ", text)  # "what did Kraut say? cc <@U0456>": people told, not asked about
    text = _CHANNEL_AROUND.sub(" ", text)  # "<#C0123|general> who is quoted?"
    return plain_text_of(text)


_CC = re.compile(r"(?:^|\s)(?i:cc|fyi|/cc)\s*:?\s*(?:<[@!][^<>]*>[\s,]*(?:and\s+)?)+\W*$")
"""People a message is copied to ("… cc <@U0456>"), after the question."""
_CHANNEL_AROUND = re.compile(
    r"^\s*(?:<#C[A-Z0-9]+(?:\|[^<>]*)?>\s*)+|(?<=[?.!])(?:\s*<#C[A-Z0-9]+(?:\|[^<>]*)?>)+\s*$"
)
"""A channel named before a question, or after its question mark: where it was asked."""


def plain_text_of(text: str) -> str:
    """Slack's markup made plain: links and mentions as their labels, broadcasts (``<!here>``)
    dropped, entities decoded, undecodable characters replaced, whitespace collapsed."""
    text = _LINK.sub(_plain_link, valid_unicode(text))
    return " ".join(html.unescape(text).split())


def _plain_link(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if label:
        return ("#" if target.startswith("#") else "@" if target.startswith("@") else "") + label
    if target.startswith(("@", "#")):
        return target
    if target.startswith("!"):
        return " "  # <!here>, <!channel>, <!everyone>: addressed to people, not a question
    return target


def what_was_asked(event: Payload, bot_user_id: str | None) -> dict[str, Any]:
    """The question, the thread to answer in, and how it was asked (a mention or a DM)."""
    question = question_from_text(event.get("text", ""), bot_user_id)
    asked_in = event.get("thread_ts")  # inside a thread: a follow-up there
    if event.get("type") == "app_mention":
        return {
            "question": question,
            "thread_ts": asked_in or event["ts"],
            "trigger": "mention",
            "history_ts": asked_in,
        }
    return {"question": question, "thread_ts": asked_in, "trigger": "dm", "history_ts": asked_in}


def event_key(event: Payload) -> str:
    """One key per message: a redelivery, or the same message sent as a mention and as a DM,
    share it."""
    return f"message:{event.get('channel')}:{event.get('ts')}"
