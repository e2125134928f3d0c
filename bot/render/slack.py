"""Block Kit for Slack: the same ``Answer`` the terminal shows, as blocks within Slack's limits.

Every piece of text that came from a user or a document goes through ``escape_mrkdwn`` so that
it cannot form a mention (``<!channel>``, ``<@U…>``) or a masked link (``<http…|x>``), and
carries no control characters. A question shared in a channel is shown as plain text with its
links defused, under the name of the person who asked it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from bot.records import Answer, Quote
from bot.render.text import attribution_line, printable

Block = dict[str, Any]

MAX_TEXT = 3000
"""Slack's limit for a section's or a context element's text."""
MAX_BUTTON_VALUE = 2000
MAX_BLOCKS = 50
MAX_ECHO = 500
"""How much of the question is restated above an answer."""
MAX_FALLBACK = 3000

FEEDBACK_BLOCK_ID = "feedback"
ACTION_VOTE_UP = "feedback_up"
ACTION_VOTE_DOWN = "feedback_down"
ACTION_SHARE = "share_answer"

_ZERO_WIDTH_SPACE = "\u200b"
_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)


_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_SCHEME = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*):(?=//)")
_HOST_DOT = re.compile(r"(?<=[\w-])\.(?=(?:[\w-]+\.)*[a-z]{2,}\b)")


def escape_mrkdwn(text: str) -> str:
    """Escape ``&``, ``<`` and ``>``, drop control characters and defuse plain-text broadcast
    words like ``@here``."""
    text = printable(text)
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@" + _ZERO_WIDTH_SPACE, escaped)


def defuse_links(text: str) -> str:
    """``https://example.com`` → ``https[:]//example[.]com``: readable, never a live link."""
    return _HOST_DOT.sub("[.]", _SCHEME.sub(r"\1[:]", text))


def shared_question(question: str, asker: str) -> Block:
    """Who asked, then their words as plain text: no markup, mentions or live links of theirs
    are posted under the bot's name."""
    who = f"<@{asker}> asked:" if _USER_ID.match(asker) else "Someone asked:"
    words = defuse_links(printable(" ".join(truncate(question, MAX_ECHO).split())))
    return {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": who},
            {"type": "plain_text", "text": f"“{words}”", "emoji": False},
        ],
    }


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_blocks(
    answer: Answer,
    *,
    question_echo: bool = False,
    feedback: bool = True,
    share_button: bool = False,
    shared_by: str | None = None,
) -> list[Block]:
    """The reply's blocks: optional restated question (for its asker, or in a channel as
    shared by ``shared_by``), words, quotes, then buttons."""
    blocks: list[Block] = []
    if shared_by is not None:
        blocks.append(shared_question(answer.question, shared_by))
    elif question_echo:
        echo = escape_mrkdwn(truncate(answer.question, MAX_ECHO))
        blocks.append(_context(f"*You asked:* {echo}"))
    if answer.message:
        blocks.extend(_sections(escape_mrkdwn(answer.message)))
    for position, quote in enumerate(answer.quotes):
        if position:
            blocks.append({"type": "divider"})
        blocks.extend(_quote_blocks(quote))
    actions = _actions(answer, feedback=feedback and answer.kind == "quotes", share=share_button)
    return _fit(blocks, actions)


def render_fallback(answer: Answer) -> str:
    """The plain ``text`` sent with the blocks (notifications, screen readers), escaped."""
    if answer.kind != "quotes" or not answer.quotes:
        return escape_mrkdwn(truncate(answer.message or "No answer.", MAX_FALLBACK))
    quote = answer.quotes[0]
    line = f"“{quote.text}” — {attribution_line(quote)}"
    return escape_mrkdwn(truncate(line, MAX_FALLBACK))


def button_value(payload: dict[str, Any], *, question: str) -> str:
    """``payload`` plus the question as compact JSON, the question cut to fit a button value."""
    cut = question
    while True:
        value = json.dumps({**payload, "q": cut}, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= MAX_BUTTON_VALUE:
            return value
        if not cut:
            return json.dumps({"q": ""})
        cut = cut[: max(0, len(cut) - (len(value) - MAX_BUTTON_VALUE))]


def parse_button_value(value: str) -> dict[str, Any]:
    """The payload of ``button_value``; an empty dict for anything else."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def without_actions(blocks: Sequence[Block], note: str) -> list[Block]:
    """The blocks of a posted answer with the buttons removed and ``note`` at the end."""
    kept = [block for block in blocks if block.get("type") != "actions"]
    return [*kept[: MAX_BLOCKS - 1], _context(escape_mrkdwn(note))]


def _quote_blocks(quote: Quote) -> list[Block]:
    return [*_sections(_quoted_mrkdwn(quote)), _context(escape_mrkdwn(attribution_line(quote)))]


def _quoted_mrkdwn(quote: Quote) -> str:
    text = quote.text
    if quote.highlight is None:
        body = escape_mrkdwn(text)
    else:
        start, end = quote.highlight
        start, end = max(0, start), min(len(text), end)
        middle = _bold(escape_mrkdwn(text[start:end]))
        body = escape_mrkdwn(text[:start]) + middle + escape_mrkdwn(text[end:])
    return "\n".join("> " + line for line in body.splitlines() or [""])


def _bold(text: str) -> str:
    return "\n".join(_bold_line(line) for line in text.split("\n"))


def _bold_line(line: str) -> str:
    core = line.strip()
    if not core:
        return line
    lead = line[: len(line) - len(line.lstrip())]
    tail = line[len(line.rstrip()) :]
    return f"{lead}*{core}*{tail}"


def _sections(mrkdwn: str) -> list[Block]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in _split(mrkdwn, MAX_TEXT)
    ]


def _split(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at a line or word break when there is one."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = _cut_point(text, limit)
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
        if text and pieces[-1].startswith("> ") and not text.startswith("> "):
            text = "> " + text
    pieces.append(text)
    return [piece for piece in pieces if piece.strip()] or [" "]


def _cut_point(text: str, limit: int) -> int:
    window = text[: limit - 2]
    for separator in ("\n", " "):
        position = window.rfind(separator)
        if position > limit // 2:
            return _avoid_entity(text, position)
    return _avoid_entity(text, limit - 2)


def _avoid_entity(text: str, cut: int) -> int:
    """Move ``cut`` back so it does not split ``&amp;``/``&lt;``/``&gt;``."""
    ampersand = text.rfind("&", max(0, cut - 4), cut)
    if ampersand != -1 and ";" not in text[ampersand:cut]:
        return ampersand
    return cut


def _context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, MAX_TEXT)}]}


def _actions(answer: Answer, *, feedback: bool, share: bool) -> Block | None:
    elements: list[Block] = []
    if share:
        elements.append(_button("Share in channel", ACTION_SHARE, {}, answer, style="primary"))
    if feedback:
        chunk_ids = sorted({cid for quote in answer.quotes for cid in quote.chunk_ids})
        elements.append(_button("👍", ACTION_VOTE_UP, {"c": chunk_ids}, answer))
        elements.append(_button("👎", ACTION_VOTE_DOWN, {"c": chunk_ids}, answer))
    if not elements:
        return None
    return {"type": "actions", "block_id": FEEDBACK_BLOCK_ID, "elements": elements}


def _button(
    label: str, action_id: str, payload: dict[str, Any], answer: Answer, *, style: str | None = None
) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": button_value(payload, question=answer.question),
    }
    if style is not None:
        button["style"] = style
    return button


def _fit(blocks: list[Block], actions: Block | None) -> list[Block]:
    room = MAX_BLOCKS - (1 if actions is not None else 0)
    if len(blocks) > room:
        blocks = [*blocks[: room - 1], _context("…(reply shortened to fit Slack)")]
    return [*blocks, actions] if actions is not None else blocks
