"""Which Slack events are questions, and the question in each: the pure parts, no server."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.events import (
    event_key,
    plain_text_of,
    question_from_text,
    skip_reason,
    what_was_asked,
)
from bot.slack.seen import SeenCache

BOT = "UBOT0001"


def _event(**fields: Any) -> dict[str, Any]:
    return {"type": "app_mention", "text": "hi", "channel": "C1", "ts": "1.0", **fields}


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (_event(), None),
        (_event(type="message", channel_type="im"), None),
        (_event(type="reaction_added"), "not a question event"),
        (_event(bot_id="B1"), "from a bot"),
        (_event(subtype="bot_message"), "from a bot"),
        (_event(subtype="message_changed"), "message subtype message_changed"),
        (_event(type="message", channel_type="channel"), "channel message without a mention"),
        (_event(text=7), "incomplete event"),
        (_event(channel=None), "incomplete event"),
    ],
)
def test_skip_reason(event: dict[str, Any], reason: str | None) -> None:
    assert skip_reason(event) == reason


@pytest.mark.parametrize(
    ("text", "question"),
    [
        (f"<@{BOT}> who is Alan Kraut?", "who is Alan Kraut?"),
        (f"<@{BOT}|quotebot>   what  did <@U999|Pat> say?", "what did @Pat say?"),
        ("<!here> <@UBOT0001> hi", "hi"),
        ("see <https://example.com/a|the page> &amp; <#C1|general>", "see the page & #general"),
        ("plain <https://example.com>", "plain https://example.com"),
        # people copied in and the channel it was asked in are not the question
        (f"<@{BOT}> what did Kraut say? cc <@U0456ABC>", "what did Kraut say?"),
        (f"<@{BOT}> who is quoted? cc: <@U1>, <@U2> and <@U3>", "who is quoted?"),
        (f"<@{BOT}> <#C0123|general> who is quoted?", "who is quoted?"),
        (f"<@{BOT}> who is quoted? <#C0123|general>", "who is quoted?"),
        (f"<@{BOT}> is ICE mentioned in <#C0123|general>", "is ICE mentioned in #general"),
    ],
)
def test_question_from_text(text: str, question: str) -> None:
    assert question_from_text(text, BOT) == question


def test_plain_text_replaces_lone_surrogates() -> None:
    assert plain_text_of("bad \udc80 byte") == "bad \ufffd byte"


def test_what_was_asked_knows_threads() -> None:
    top = what_was_asked(_event(text=f"<@{BOT}> hi"), BOT)
    assert top == {"question": "hi", "thread_ts": "1.0", "trigger": "mention", "history_ts": None}
    inside = what_was_asked(_event(thread_ts="0.5"), BOT)
    assert inside["thread_ts"] == "0.5" and inside["history_ts"] == "0.5"
    dm = what_was_asked(_event(type="message", channel_type="im"), BOT)
    assert dm["trigger"] == "dm" and dm["thread_ts"] is None


def test_a_mention_and_a_dm_of_one_message_share_a_key() -> None:
    assert event_key(_event()) == event_key(_event(type="message", channel_type="im"))
    assert event_key(_event()) != event_key(_event(ts="2.0"))


def test_seen_cache_forgets_after_its_ttl_and_past_its_size() -> None:
    now = [0.0]
    seen = SeenCache(ttl=10, max_entries=2, clock=lambda: now[0])
    assert not seen.seen_before("a")
    assert seen.seen_before("a")
    now[0] = 11
    assert not seen.seen_before("a")
    seen.seen_before("b")
    seen.seen_before("c")
    assert not seen.seen_before("a")  # pushed out by size
