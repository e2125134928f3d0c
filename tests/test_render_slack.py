"""Block Kit rendering: quotes, attribution, escaping and Slack's size limits."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from bot.records import Answer, Attribution
from bot.render.slack import (
    ACTION_SHARE,
    ACTION_VOTE_DOWN,
    ACTION_VOTE_UP,
    MAX_BLOCKS,
    MAX_BUTTON_VALUE,
    MAX_TEXT,
    attribution_line,
    escape_mrkdwn,
    parse_button_value,
    render_blocks,
    render_fallback,
    without_actions,
)
from tests.slack_standin import fake_quote

HOSTILE = "Who is <!channel> <!here> <@U024BE7LH> <http://evil.example|click me> @here & @channel?"


def texts(blocks: list[dict[str, Any]]) -> Iterator[str]:
    """Every mrkdwn/plain text string in the blocks."""
    for block in blocks:
        if "text" in block:
            yield block["text"]["text"]
        for element in block.get("elements", []):
            if element.get("type") == "button":
                yield element["text"]["text"]
            elif "text" in element:
                yield element["text"]


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def quotes_answer(question: str = "Who is Stephen Morris?", **quote: Any) -> Answer:
    return Answer(
        question=question, answered=True, confidence="high", quotes=(fake_quote(**quote),)
    )


def test_quote_is_a_blockquote_with_attribution_context() -> None:
    blocks = render_blocks(quotes_answer())
    section, context = blocks[0], blocks[1]
    assert section["text"]["text"] == "> “I agree,” replied Stephen L. Morris."
    attribution = context["elements"][0]["text"]
    assert attribution == (
        "Stephen L. Morris, the special agent in charge of Houston · FBI had doubts about Secure "
        "Communities · 15 Nov 2011 · The Example Times · ¶10"
    )


def test_attribution_leaves_out_what_is_unknown() -> None:
    quote = fake_quote(attribution=Attribution(None, "one FBI official"))
    assert attribution_line(quote).startswith("one FBI official · FBI had doubts")
    assert attribution_line(fake_quote(attribution=None)).startswith("FBI had doubts")


def test_highlight_is_bold_on_every_line() -> None:
    text = "Before. The answer\nspans lines. After."
    start = text.index("The")
    end = text.index(" After")
    blocks = render_blocks(quotes_answer(text=text, highlight=(start, end)))
    assert blocks[0]["text"]["text"] == "> Before. *The answer*\n> *spans lines.* After."


def test_feedback_buttons_carry_question_and_chunk_ids() -> None:
    found = buttons(render_blocks(quotes_answer("Who?")))
    assert [b["action_id"] for b in found] == [ACTION_VOTE_UP, ACTION_VOTE_DOWN]
    assert parse_button_value(found[0]["value"]) == {"c": [7, 8], "q": "Who?"}


def test_share_button_and_question_echo() -> None:
    blocks = render_blocks(
        quotes_answer("Who?"), question_echo=True, feedback=False, share_button=True
    )
    assert blocks[0]["type"] == "context" and "Who?" in blocks[0]["elements"][0]["text"]
    assert [b["action_id"] for b in buttons(blocks)] == [ACTION_SHARE]


def test_no_feedback_buttons_on_help() -> None:
    help_answer = Answer(
        question="", answered=False, confidence=None, kind="help", message="Ask me."
    )
    blocks = render_blocks(help_answer)
    assert blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": "Ask me."}}]


def test_nothing_can_form_a_mention_or_link() -> None:
    answer = quotes_answer(HOSTILE, text=HOSTILE, attribution=Attribution("<!everyone>", None))
    blocks = render_blocks(answer, question_echo=True)
    for text in [*texts(blocks), render_fallback(answer)]:
        for line in text.split("\n"):
            assert "<" not in line and ">" not in line.removeprefix("> ")
        assert "@here" not in text and "@channel" not in text
    assert "&lt;!channel&gt;" in blocks[1]["text"]["text"]
    assert escape_mrkdwn("a & b") == "a &amp; b"


def test_twenty_thousand_character_question_stays_within_limits() -> None:
    question = "é<" * 10_000
    answer = quotes_answer(question, text="x " * 4000)
    blocks = render_blocks(answer, question_echo=True, share_button=True)
    assert len(blocks) <= MAX_BLOCKS
    assert all(len(text) <= MAX_TEXT for text in texts(blocks))
    assert all(len(button["value"]) <= MAX_BUTTON_VALUE for button in buttons(blocks))
    assert len(render_fallback(answer)) <= MAX_TEXT
    carried = parse_button_value(buttons(blocks)[0]["value"])["q"]
    assert len(carried) > 500 and question.startswith(carried)


def test_long_quote_is_split_without_breaking_entities() -> None:
    blocks = render_blocks(quotes_answer(text="a&b " * 2000))
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len(sections) >= 3
    for text in sections:
        assert len(text) <= MAX_TEXT and text.startswith("> ")
        assert text.count("&") == text.count("&amp;")


def test_at_most_fifty_blocks_with_the_buttons_kept() -> None:
    many = tuple(fake_quote(text=f"Quote {n}.") for n in range(60))
    answer = Answer(question="q", answered=True, confidence="low", quotes=many)
    blocks = render_blocks(answer)
    assert len(blocks) == MAX_BLOCKS
    assert blocks[-1]["type"] == "actions"


def test_without_actions_removes_buttons_and_thanks() -> None:
    blocks = without_actions(render_blocks(quotes_answer()), "Thanks <@U1>!")
    assert all(block["type"] != "actions" for block in blocks)
    assert blocks[-1]["elements"][0]["text"] == "Thanks &lt;@U1&gt;!"


def test_button_value_is_json() -> None:
    value = buttons(render_blocks(quotes_answer('say "hi"')))[0]["value"]
    assert json.loads(value)["q"] == 'say "hi"'
    assert parse_button_value("not json") == {}


def test_control_characters_from_a_document_never_reach_slack() -> None:
    quote = fake_quote(
        "“We waited,”\x1b[2J said \x1b]8;;http://evil.example/\x1b\\Maria\x1b]8;;\x1b\\ Lopes.\x07",
        attribution=Attribution("Maria\x1b[31m Lopes", "the harbour\r master"),
    )
    answer = Answer(question="Who?\x1b[2J", answered=True, confidence="high", quotes=(quote,))
    rendered = [*texts(render_blocks(answer, question_echo=True)), render_fallback(answer)]
    for text in rendered:
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), text
    assert any("said Maria Lopes." in text for text in rendered)


def test_a_shared_question_is_plain_text_under_the_askers_name() -> None:
    answer = Answer(
        question="*Urgent:* <!channel> log in at http://phish.example.net/login",
        answered=True,
        confidence="high",
        quotes=(fake_quote(),),
    )
    first = render_blocks(answer, shared_by="U0ASKER")[0]
    who, words = first["elements"]
    assert who["text"] == "<@U0ASKER> asked:"
    assert words["type"] == "plain_text"
    assert "http://" not in words["text"] and "phish.example.net" not in words["text"]
    assert render_blocks(answer, shared_by="<!channel>")[0]["elements"][0]["text"] == (
        "Someone asked:"
    )


def test_a_long_roster_stays_within_slack_limits() -> None:
    """Two hundred speakers with long roles: still at most 50 blocks of at most 3,000
    characters, the first speakers shown."""
    from bot.records import Document
    from bot.replies import roster_answer
    from bot.speakers import Speaker, Statement

    document = Document(path="seeds/a.txt", title="A long report")
    speakers = tuple(
        Speaker(
            0,
            f"Person {n}",
            "spokesperson for the department " * 4,
            (Statement(n, "body", 0, 1, (n,)),),
        )
        for n in range(200)
    )
    answer = roster_answer("Who is quoted?", speakers, (document,))
    blocks = render_blocks(answer)
    assert len(blocks) <= MAX_BLOCKS
    assert all(len(text) <= MAX_TEXT for text in texts(blocks))
    assert "Person 0" in "".join(texts(blocks))
    assert len(render_fallback(answer)) <= 3000


@pytest.mark.parametrize(
    ("documents", "last"),
    [
        (25, "… and 15 more documents quote 30 more speakers."),
        (11, "… and 1 more document quotes 2 more speakers."),
    ],
)
def test_who_is_quoted_in_many_documents_names_the_first_ten(documents: int, last: str) -> None:
    """A corpus of many articles: the reply's text names the speakers of the first ten
    documents and counts the rest; its speakers list holds every one."""
    from bot.records import Document
    from bot.replies import ROSTER_DOCUMENTS, roster_answer
    from bot.speakers import Speaker, Statement

    corpus = tuple(Document(path=f"seeds/{n}.txt", title=f"Report {n}") for n in range(documents))
    speakers = tuple(
        Speaker(n // 2, f"Person {n}", None, (Statement(n, "body", 0, 1, (n,)),))
        for n in range(2 * documents)
    )
    answer = roster_answer("Who is quoted?", speakers, corpus)
    lines = answer.message.splitlines()
    titles = [line for line in lines if line.startswith("“")]
    assert titles == [f"“Report {n}” quotes 2:" for n in range(ROSTER_DOCUMENTS)]
    assert lines[-1] == last
    assert len(answer.speakers) == 2 * documents
    assert [s.document.title for s in answer.speakers[:2]] == ["Report 0", "Report 0"]
