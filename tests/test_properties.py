"""Property-based and fuzz tests (hypothesis): whatever the text, quotes are exact slices of it;
whatever the payload, the HTTP endpoint answers 2xx/4xx, never 5xx, never a traceback.

Ingest → chunk → build → answer runs on the fake embedder: what is under test is the plumbing
(offsets, slicing, classification) for any text, not retrieval quality.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.answer import Answerer
from bot.build import build_index
from bot.chunk import ChunkingParams, chunk_source
from bot.index import load_index
from bot.ingest import read_source, split_section
from bot.quotes import words_of
from bot.render.json import answer_to_json
from bot.retrieve import terms
from bot.settings import Settings
from bot.vocabulary import _WORD, _fold, words
from tests.conftest import FakeEmbedder
from tests.slack_http_client import post_signed
from tests.slack_standin import FakeAnswerer, WebApiStandIn
from tests.test_slack_http import InProcess, start_inprocess

# Text as seeds have it, and as they should not: letters, quotes and dashes of several
# scripts, news shapes, blank lines, CRLF, tabs, no-break spaces, controls and escapes.
PIECES = st.sampled_from(
    [
        " ", " ", "\n", "\n\n", "\r\n", "\t", "\u00a0", ". ", "? ", "! ", "“", "”", "‘", "’",
        '"', "'", "—", "–", " said ", " told reporters. ", "Published 2 March 2020", " // Source: ",
        "Mr. ", "Dr. ", "U.S. ", "e.g. ", "\x1b[2J", "\x07", "#", "---\n", "...", "…", "\u200b",
        "\ufeff", "é", "ß", "İ", "ﬁ", "Ω", "日本語", "🙂", "a", "B", "World", "Secure", "said",
    ]
)
WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
TEXTS = st.lists(st.one_of(PIECES, WORDS), max_size=80).map("".join)
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _settings(root: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        BOT_SEEDS_DIR=root / "seeds",
        BOT_INDEX_DIR=root / "index",
        BOT_FEEDBACK_DB=root / "feedback.sqlite3",
    )


@FAST
@given(text=TEXTS, suffix=st.sampled_from([".txt", ".md"]))
def test_chunks_are_exact_slices_of_any_text(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_text(text, encoding="utf-8", newline="")
        source = read_source(path, display_path=f"seeds/doc{suffix}")
        for block in source.blocks:
            assert source.text[block.start : block.end] == block.text
        chunks = chunk_source(
            source,
            document=0,
            first_id=0,
            params=ChunkingParams(),
            count_tokens=FakeEmbedder().count_tokens,
        )
        for chunk in chunks:
            assert source.text[chunk.start : chunk.end] == chunk.text
            for sentence in chunk.sentences:
                assert chunk.start <= sentence.start <= sentence.end <= chunk.end


@FAST
@given(text=TEXTS, questions=st.lists(TEXTS, min_size=1, max_size=3))
@example(text="🙂 — …\n\n“!”", questions=["🙂?"])  # found by hypothesis: a text with no words
def test_quotes_are_exact_slices_at_their_offsets(text: str, questions: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = _settings(Path(folder))
        config.seeds_dir.mkdir()
        (config.seeds_dir / "doc.txt").write_text(text, encoding="utf-8", newline="")
        embedder = FakeEmbedder()
        source = read_source(config.seeds_dir / "doc.txt", display_path="seeds/doc.txt")
        body = [source.text[b.start : b.end] for b in source.paragraphs]
        if not any(part.strip() for part in body):
            return  # nothing quotable: `index build` says so (tested in test_build)
        build_index(config, embedder=embedder)
        answerer = Answerer(config, embedder, load_index(config.index_dir, model=config.model))
        for question in [*questions, *body[:2]]:  # a passage asked back must be found
            answer = answerer.answer(question)
            for quote in answer.quotes:
                assert source.text[quote.char_start : quote.char_end] == quote.text


@given(headline=TEXTS, context=TEXTS)
def test_a_split_headline_keeps_every_character(headline: str, context: str) -> None:
    section, title = split_section(headline, context=context)
    if section is None:
        assert title == headline
    else:
        assert headline.endswith(title)
        assert section == headline[: len(headline) - len(title)].strip() != ""


LONE_SURROGATES = st.sampled_from(["\ud800", "\udcff", "\udfff"])  # undecodable bytes, read
ANY_QUESTION = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=()), max_size=300),
    st.lists(st.one_of(PIECES, WORDS, LONE_SURROGATES), max_size=40).map("".join),
)


@settings(max_examples=80, deadline=None)
@given(question=ANY_QUESTION)
def test_the_real_answerer_never_raises_for_any_question(answerer: Answerer, question: str) -> None:
    """Real model, real index of the seed: lone surrogates, controls, any script or length."""
    answer = answerer.answer(question)
    assert answer.kind in {"quotes", "no_answer", "help", "metadata", "too_long", "speakers"}
    json.dumps(answer_to_json(answer), ensure_ascii=False).encode("utf-8")


# ---- the HTTP endpoint, fed anything a signed or unsigned sender may send --------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
FIELDS = ("type", "event", "actions", "user", "channel", "team", "message", "container",
          "response_url", "command", "text", "event_id", "authorizations", "trigger_id")
EVENT_FIELDS = ("type", "text", "channel", "ts", "thread_ts", "user", "subtype", "bot_id",
                "channel_type")
ACTION_FIELDS = ("action_id", "value", "block_id", "type")


def _shaped(keys: tuple[str, ...], known: list[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with the keys the bot reads, holding plausible and implausible values."""
    return st.dictionaries(
        st.sampled_from(keys), st.one_of(st.sampled_from(known), JSON_VALUES), max_size=len(keys)
    )


KNOWN = [
    "event_callback", "block_actions", "url_verification", "app_mention", "message", "im",
    "feedback_up", "feedback_down", "share_answer", "/ask", "C0CHANNEL", "U0ASKER",
    "1700000000.000100", "http://127.0.0.1:9/response", "<!here> hi", "Who is Alan Kraut?",
    '{"q": "Who?", "c": [1, 2]}', '{"q": 5, "c": "x"}', "\ud800", [], {},
]
EVENTS = _shaped(EVENT_FIELDS, KNOWN)
ACTIONS = st.lists(_shaped(ACTION_FIELDS, KNOWN), max_size=2)
PAYLOADS = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["event_callback", "block_actions", "url_verification"])
        | JSON_VALUES,
        "event": EVENTS | JSON_VALUES,
        "actions": ACTIONS | JSON_VALUES,
        "user": _shaped(("id",), KNOWN) | JSON_VALUES,
        "channel": _shaped(("id",), KNOWN) | JSON_VALUES,
        "message": _shaped(("ts", "text", "blocks"), KNOWN) | JSON_VALUES,
        "response_url": st.sampled_from(KNOWN) | JSON_VALUES,
        "authorizations": JSON_VALUES,
        "event_id": JSON_VALUES,
        "challenge": JSON_VALUES,
    },
)


def _encodings(payload: dict[str, Any]) -> Iterator[tuple[bytes, str]]:
    yield json.dumps(payload).encode(), "application/json"
    yield urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"
    form = {key: json.dumps(value) if not isinstance(value, str) else value
            for key, value in payload.items() if key in FIELDS}
    # A lone surrogate goes out as the bytes it would be in UTF-8: invalid, as a sender may send.
    yield urlencode(form, errors="surrogatepass").encode(), "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    standin = WebApiStandIn().start()
    server = start_inprocess(standin, tmp_path_factory.mktemp("fuzz"), FakeAnswerer())
    yield server
    server.stop()
    standin.stop()


class _Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.name != "bot.slack":  # bot.slack: the polite-reply path
            self.records.append(record)


@pytest.mark.e2e  # a real HTTP server on a thread
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(payload=PAYLOADS, signed=st.booleans())
def test_any_payload_gets_2xx_or_4xx_never_5xx(
    fuzz_server: InProcess, payload: dict[str, Any], signed: bool
) -> None:
    tracebacks = _Tracebacks()
    logging.getLogger().addHandler(tracebacks)
    try:
        for body, content_type in _encodings(payload):
            secret = None if signed else "not-the-secret"
            options = {"secret": secret} if secret else {}
            reply = post_signed(fuzz_server.events, body, content_type=content_type, **options)
            assert 200 <= reply.status < 500, (reply.status, reply.body, body[:300])
            assert "Traceback" not in reply.body
    finally:
        logging.getLogger().removeHandler(tracebacks)
    assert not tracebacks.records, [r.getMessage() for r in tracebacks.records]


@pytest.mark.e2e  # a real HTTP server on a thread
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=2000), content_type=st.sampled_from(
    ["application/json", "application/x-www-form-urlencoded", "text/plain", ""]))
def test_any_bytes_get_2xx_or_4xx_never_5xx(
    fuzz_server: InProcess, body: bytes, content_type: str
) -> None:
    reply = post_signed(fuzz_server.events, body, content_type=content_type)
    assert 200 <= reply.status < 500, (reply.status, body[:200])


@FAST
@given(text=TEXTS)
def test_words_of_a_text_are_its_words_folded_one_by_one(text: str) -> None:
    """`words` folds an ASCII text once, whole: the same words as folding each on its own."""
    for sample in (text, text.encode("ascii", "ignore").decode()):
        assert words(sample) == [_fold(w).removesuffix("'s") for w in _WORD.findall(sample)]


@FAST
@given(text=TEXTS, cuts=st.lists(st.integers(min_value=-2, max_value=120), max_size=8))
def test_words_of_a_text_cut_in_pieces_are_the_words_of_the_whole(
    text: str, cuts: list[int]
) -> None:
    """The duplicate checks stem quotes and chunks sentence by sentence (`quotes.words_of`):
    whatever the cuts, the same set of terms as stemming the whole text."""
    assert words_of(text, cuts) == frozenset(terms(text))
