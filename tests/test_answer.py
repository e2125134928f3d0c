"""answer(): quotes, attribution, refusals, help and metadata — real model, real FAISS, the seed."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import bot.answer as answer_module
import bot.which_document as which_document
from bot.answer import Answerer, Turns
from bot.build import build_index
from bot.conversation import Conversation
from bot.embed import SentenceTransformerEmbedder
from bot.quotes import MAX_QUOTE_CHARS, Quoter
from bot.records import Answer, Chunk
from bot.render.json import answer_to_json
from bot.sentences import normalise_space
from bot.settings import Settings
from tests.conftest import EVAL, SEED_FILE
from tests.conftest import converse as _thread

SEED_TEXT = SEED_FILE.read_text(encoding="utf-8")
HERE = Path(__file__).parent


def _questions(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


ANSWERABLE = [
    *_questions(EVAL / "questions.jsonl"),
    *_questions(HERE / "data" / "seed_heldout.jsonl"),
]
OFFTOPIC = [
    *_questions(EVAL / "offtopic.jsonl"),
    *_questions(HERE / "data" / "offtopic_heldout.jsonl"),
]


def _first_quote_matches(answer: Answer, expected: list[str]) -> bool:
    return bool(answer.quotes) and any(
        normalise_space(e) in normalise_space(answer.quotes[0].text) for e in expected
    )


def test_houston_question_quotes_morris_verbatim(answerer: Answerer) -> None:
    answer = answerer.answer("What did the Houston special agent in charge say?")
    assert answer.answered and answer.kind == "quotes"
    first = answer.quotes[0]
    assert first.text.startswith("“I agree,” replied Stephen L. Morris")
    assert SEED_TEXT[first.char_start : first.char_end] == first.text
    assert first.attribution is not None
    assert first.attribution.speaker == "Stephen L. Morris"
    assert first.attribution.role == "the special agent in charge of Houston"
    assert first.document.title == "Internal e-mails reveal FBI confused by Secure Communities"
    assert first.document.published == "2011-11-15"
    assert first.paragraph == 7
    assert answer.confidence in {"high", "medium"}


@pytest.mark.parametrize("case", ANSWERABLE, ids=lambda c: str(c["id"]))
def test_answerable_questions(answerer: Answerer, case: dict[str, object]) -> None:
    answer = answerer.answer(str(case["question"]))
    expected = [str(e) for e in case["expect_any"]]  # type: ignore[attr-defined]
    assert answer.answered
    if case.get("where") == "reply":
        from bot.render.text import render_text

        assert any(e in render_text(answer) for e in expected)
        return
    assert _first_quote_matches(answer, expected), [q.text[:80] for q in answer.quotes]
    if "speaker" in case:
        attribution = answer.quotes[0].attribution
        assert attribution is not None and str(case["speaker"]) in (attribution.speaker or "")


@pytest.mark.parametrize("case", OFFTOPIC, ids=lambda c: str(c["id"]))
def test_offtopic_questions_are_refused(answerer: Answerer, case: dict[str, object]) -> None:
    answer = answerer.answer(str(case["question"]))
    assert not answer.answered and answer.kind == "no_answer" and answer.quotes == ()
    assert "won't guess" in answer.message


@pytest.mark.parametrize(
    "question",
    [
        "Which agency is it that runs Secure Communities?",
        "which agency is it that had doubts about secure communities",
    ],
)
def test_which_thing_is_it_that_is_searched_not_a_list_of_speakers(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and answer.kind == "quotes"
    assert "the FBI had strong doubts about Secure Communities" in answer.quotes[0].text


def test_every_quote_is_verbatim_and_located(answerer: Answerer) -> None:
    for case in ANSWERABLE:
        for quote in answerer.answer(str(case["question"])).quotes:
            assert SEED_TEXT[quote.char_start : quote.char_end] == quote.text
            assert 1 <= len(answerer.answer(str(case["question"])).quotes) <= 3


def test_quotes_do_not_repeat_a_passage(answerer: Answerer) -> None:
    answer = answerer.answer("What did the FBI think about Secure Communities?")
    texts = [normalise_space(q.text) for q in answer.quotes]
    for i, text in enumerate(texts):
        assert not any(text in other or other in text for other in texts[i + 1 :])


def test_context_marks_the_answering_sentence(answerer: Answerer) -> None:
    answer = answerer.answer("Does Pender think the FBI needs Homeland Security direction?")
    quote = answer.quotes[0]
    assert quote.highlight is not None
    start, end = quote.highlight
    assert quote.text[start:end].startswith("“I don’t think we need [Homeland Security]")


@pytest.mark.parametrize(
    "greeting",
    [
        "",
        "   ",
        "hi",
        "Hello!",
        "help",
        "?",
        "what can I ask?",
        "examples?",
        "how do I use you",  # was answered with Kraut's "don't want to be used that way"
        "are you a bot?",
    ],
)
def test_greetings_and_blank_get_help(answerer: Answerer, greeting: str) -> None:
    answer = answerer.answer(greeting)
    assert answer.kind == "help" and not answer.answered and not answer.quotes
    assert "Internal e-mails reveal FBI confused by Secure Communities" in answer.message


@pytest.mark.parametrize("thanks", ["thanks", "Thank you!", "great, thanks a lot", "cheers"])
def test_thanks_get_a_welcome(answerer: Answerer, thanks: str) -> None:
    answer = answerer.answer(thanks)
    assert answer.kind == "help" and not answer.answered and not answer.quotes
    assert answer.message.startswith("You're welcome")


@pytest.mark.parametrize(
    "question",
    [
        "When was this article published?",
        "Who is the publisher of the story?",
        "Who wrote the article?",
        "When was this written?",
        "What year is the story from?",
        "What publication is this from?",
        "How old is this article?",
        "Which website ran the story?",
        "What's the source?",
        "Where can I read the original?",
    ],
)
def test_questions_about_the_document_use_its_metadata(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    # (the seed names no author: "Who wrote the article?" gets the details, not an answer)
    assert answer.answered is (question != "Who wrote the article?") and answer.kind == "metadata"
    assert ("does not name its author" in answer.message) is (not answer.answered)
    assert "15 November 2011" in answer.message and "Homeland Security News Wire" in answer.message


@pytest.mark.parametrize(
    "question", ["What's the headline?", "What is the title?", "Who is the author?"]
)
def test_a_bare_headline_or_author_question_gets_the_metadata(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered is ("author" not in question) and answer.kind == "metadata"
    assert "Internal e-mails reveal FBI confused by Secure Communities" in answer.message


@pytest.mark.parametrize(
    "question",
    ["What documents do you have?", "Which articles are indexed?", "What can you answer?"],
)
def test_asking_which_documents_it_knows_gets_help(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.kind == "help" and not answer.quotes
    assert "Internal e-mails reveal FBI confused by Secure Communities" in answer.message


@pytest.mark.parametrize(
    "question", ["What is the article about?", "Summarize the story", "What's the gist?", "tl;dr"]
)
def test_what_the_article_is_about_is_its_own_summary(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.answered and answer.kind == "quotes" and answer.confidence == "high"
    summary = answer.quotes[0]
    assert summary.passage == "standfirst"
    assert SEED_TEXT[summary.char_start : summary.char_end] == summary.text
    assert summary.text.startswith("Recently released government e-mails indicate")
    # the opening paragraph says the same words again: not quoted twice
    assert len(answer.quotes) == 1
    assert "Internal e-mails reveal FBI confused by Secure Communities" in answer.message


def test_more_after_the_summary_moves_on_without_repeating_it(answerer: Answerer) -> None:
    from bot.conversation import Conversation

    summary = answerer.answer("What is the article about?")
    more = answerer.answer("Tell me more", conversation=Conversation().then(summary))
    assert more.answered and more.quotes
    opening = "Recently released government e-mails indicate"
    assert not any(normalise_space(q.text).startswith(opening) for q in more.quotes)
    assert "is quoted" not in more.message  # about the document, not whoever the summary quotes


@pytest.mark.parametrize(
    ("question", "role", "words"),
    [
        ("What did an FBI official say about partnerships?", "a senior FBI official", "jeopardize"),
        (
            "What did an unnamed FBI official say about DHS's public statements?",
            "one FBI official",
            "has publicly stated",
        ),
    ],
)
def test_of_several_unnamed_speakers_the_topic_picks_one(
    answerer: Answerer, question: str, role: str, words: str
) -> None:
    answer = answerer.answer(question)
    first = answer.quotes[0]
    assert first.attribution is not None and first.attribution.role == role
    assert words in first.text


def test_a_phrase_fitting_named_speakers_too_is_searched(answerer: Answerer) -> None:
    answer = answerer.answer("What did the FBI say about Secure Communities?")
    assert answer.answered and answer.kind == "quotes"
    assert "FBI had strong doubts about Secure Communities" in answer.quotes[0].text


@pytest.mark.parametrize(
    ("question", "spelled"),
    [
        ("What does ICE stand for?", "ICE [Immigration and Customs Enforcement]"),
        ("What is ICE?", "ICE [Immigration and Customs Enforcement]"),
        ("What does FOIA stand for?", "Freedom of Information Act"),
    ],
)
def test_an_abbreviation_is_answered_where_the_text_spells_it_out(
    answerer: Answerer, question: str, spelled: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and answer.kind == "quotes"
    quote = answer.quotes[0]
    assert spelled in quote.text and SEED_TEXT[quote.char_start : quote.char_end] == quote.text


@pytest.mark.parametrize("question", ["What does FBI stand for?", "What's DHS short for?"])
def test_an_abbreviation_never_spelled_out_is_not_guessed(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.answer(question)
    assert not answer.answered and answer.kind == "no_answer" and not answer.quotes
    assert "spells out “" in answer.message


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("Is Chicago mentioned?", "Chicago"),
        ("Does it say anything about California?", "California"),
        ("Does the article mention fingerprints?", "fingerprints"),
    ],
)
def test_a_mention_is_shown_by_the_passages_that_hold_it(
    answerer: Answerer, question: str, word: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and answer.kind == "quotes" and answer.confidence == "high"
    for quote in answer.quotes:
        assert word in quote.text and SEED_TEXT[quote.char_start : quote.char_end] == quote.text


def test_no_mention_is_said_plainly(answerer: Answerer) -> None:
    answer = answerer.answer("Does the article mention the weather?")
    assert not answer.answered and answer.kind == "no_answer" and not answer.quotes
    assert "no mention of “the weather”" in answer.message


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What were Roberts' words?", "Daniel D. Roberts"),
        ("Quotes from Pender?", "Jerome M. Pender"),
        ("What's Pender's take on the program?", "Jerome M. Pender"),
    ],
)
def test_possessive_and_from_forms_give_the_speakers_statements(
    answerer: Answerer, question: str, speaker: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and answer.confidence == "high"
    assert all(q.attribution is not None for q in answer.quotes)
    assert {q.attribution.speaker for q in answer.quotes if q.attribution} == {speaker}


def test_too_long_question_is_refused_plainly(answerer: Answerer) -> None:
    answer = answerer.answer("Who is Alan Kraut? " * 500)
    assert answer.kind == "too_long" and not answer.answered and not answer.quotes
    assert "at most 2,000 characters" in answer.message
    assert len(answer.question) <= 2000


@pytest.mark.parametrize(
    "question",
    ["<!channel> who is <@U123>?", "💥 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e\u0000 *bold* _x_ `code`", "\n\t\u00a0"],
)
def test_any_unicode_or_markup_is_safe(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.question == question
    assert answer.kind in {"quotes", "no_answer", "help"}


@pytest.mark.parametrize(
    "question",
    ["caf\udce9 who is Alan Kraut?", "\ud800", "who is \udfff Alan Kraut \ud83d?", "\x00\x1b[2J"],
)
def test_undecodable_input_is_answered_never_raised(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    json.dumps(answer_to_json(answer)).encode("utf-8")  # nothing left that cannot be written
    answer.question.encode("utf-8")


def test_the_longest_question_allowed_is_answered(answerer: Answerer) -> None:
    limit = answerer.settings.max_question_chars
    assert answerer.answer("Who is Alan Kraut? " + "x" * (limit - 19)).kind != "too_long"
    assert answerer.answer("Who is Alan Kraut? " + "x" * (limit - 18)).kind == "too_long"


@pytest.mark.parametrize(
    "path", [EVAL / "conversations.jsonl", HERE / "data" / "seed_conversations.jsonl"]
)
def test_conversations_on_the_seed(answerer: Answerer, path: Path) -> None:
    """Threads of follow-ups (asked in order, each with the thread so far): every first
    question right, the follow-ups right but for at most one."""
    from bot.evaluate import evaluate, read_questions

    report = evaluate(read_questions(path), answerer=answerer, label=path.name)
    misses = report["misses"]
    assert not [m for m in misses if m.endswith("#1")], misses
    assert len(misses) <= 1, misses


# --- the same story in two documents ---------------------------------------------------------


@pytest.fixture(scope="module")
def reprinted(
    tmp_path_factory: pytest.TempPathFactory,
    embedder: SentenceTransformerEmbedder,
    link_export: Callable[[Path], None],
) -> Answerer:
    """An invented article and a reprint of it under another headline, real model."""
    base = tmp_path_factory.mktemp("reprinted")
    seeds = base / "seeds"
    seeds.mkdir()
    story = (HERE / "data" / "invented_bike_lanes.txt").read_text(encoding="utf-8")
    (seeds / "post.txt").write_text(story, encoding="utf-8")
    headline = "council splits over downtown bike lanes"
    (seeds / "wire.txt").write_text(story.replace(headline, "bike lane vote divides"), "utf-8")
    settings = Settings(BOT_SEEDS_DIR=seeds, BOT_INDEX_DIR=base / "index")
    link_export(settings.index_dir)
    build_index(settings, embedder=embedder)
    return Answerer.load(settings, embedder=embedder)


REPRINT_QUESTIONS = [
    "Did the shop owners feel the lanes would help them?",
    "Why is the deputy mayor against the plan?",
    "How long are the lanes and who pays?",
    "When will the council vote?",
]


@pytest.mark.parametrize("question", REPRINT_QUESTIONS)
def test_a_reprint_is_not_cut_into_a_quote_to_find_it_repeats(
    reprinted: Answerer, question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = reprinted._retriever.index
    unkeyed = Answerer(
        reprinted.settings,
        reprinted.embedder,
        replace(index, columns=replace(index.columns, passage_key=None)),
    )
    cut: list[int] = []
    new_quote = Quoter._new

    def counted(self: Quoter, chunk: Chunk, *args: Any) -> Any:
        cut.append(chunk.id)
        return new_quote(self, chunk, *args)

    monkeypatch.setattr(Quoter, "_new", counted)
    keyed_answer = reprinted.answer(question)
    keyed_cuts = len(cut)
    cut.clear()
    unkeyed_answer = unkeyed.answer(question)
    # the same answer, word for word and place for place, in one document only ...
    assert answer_to_json(keyed_answer) == answer_to_json(unkeyed_answer)
    assert keyed_answer.answered
    # ... for fewer quotes cut: the reprint's copy of a kept passage is known by its key
    assert keyed_cuts < len(cut)


# --- several questions at once ---------------------------------------------------------------


def test_turns_admit_so_many_at_once_and_the_rest_in_the_order_they_came() -> None:
    inside: list[int] = []
    order: list[int] = []
    lock = threading.Lock()
    release = threading.Event()

    def hold(turns: Turns, number: int) -> None:
        with turns:
            with lock:
                inside.append(number)
                order.append(number)
            release.wait(10)
            with lock:
                inside.remove(number)

    def queue(turns: Turns, count: int) -> list[threading.Thread]:
        threads = []
        for number in range(count):  # each in turn: the waiting ones queue in this order
            threads.append(threading.Thread(target=hold, args=(turns, number)))
            threads[-1].start()
            deadline = time.monotonic() + 10
            while len(inside) + len(turns._waiting) <= number and time.monotonic() < deadline:
                time.sleep(0.001)
        return threads

    two = Turns(2)
    threads = queue(two, 3)
    assert sorted(inside) == [0, 1] and len(two._waiting) == 1
    release.set()
    for thread in threads:
        thread.join(10)
    release.clear()
    order.clear()
    one = Turns(1)
    threads = queue(one, 5)
    assert inside == [0]
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == [0, 1, 2, 3, 4] and not inside
    with pytest.raises(ValueError), one:  # a holder that fails gives its place back
        raise ValueError
    assert one._free == 1 and two._free == 2


def test_answers_at_once_is_the_cores_even_where_affinity_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from bot.answer import answers_at_once

    if hasattr(os, "sched_getaffinity"):
        assert answers_at_once() == len(os.sched_getaffinity(0))
        monkeypatch.delattr(os, "sched_getaffinity")  # as on macOS
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert answers_at_once() == 6


def test_a_question_interrupted_while_waiting_for_its_turn_leaves_no_place_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    turns = Turns(1)
    turns.__enter__()  # the one place is taken

    class Interrupted:
        def __init__(self) -> None:
            self.calls = 0

        def acquire(self) -> bool:
            self.calls += 1
            if self.calls == 2:  # the wait for a turn, as Ctrl-C would end it
                raise KeyboardInterrupt
            return True

        def release(self) -> None:
            raise AssertionError("an abandoned turn was handed a place")

    monkeypatch.setattr("bot.answer.threading.Lock", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        turns.__enter__()
    monkeypatch.undo()
    assert not turns._waiting
    turns.__exit__()
    assert turns._free == 1
    with turns:  # and the place can be taken again
        assert turns._free == 0


def test_a_phrase_follow_up_completes_the_earlier_question(answerer: Answerer) -> None:
    first = answerer.answer("Who requested the e-mails?")
    second = answerer.answer("Under which law?", conversation=Conversation().then(first))
    assert second.answered and "Freedom of Information Act request" in second.quotes[0].text


def test_an_acronym_the_text_only_spells_out_is_searched_as_its_words(answerer: Answerer) -> None:
    answer = answerer.answer("Who leads the CJIS division?")
    assert answer.answered
    assert "Criminal Justice Information Services division" in answer.quotes[0].text
    assert answer.turn is not None and "Criminal Justice Information Services" in answer.turn.query


def test_he_in_a_follow_up_is_the_last_speaker(answerer: Answerer) -> None:
    """Joined with the earlier question, "Where is he based?" was refused: "based" is not in
    the text, and the earlier question's words pulled elsewhere."""
    threads = (
        ("Who said “I agree”?", "Where is he based?", "special agent in charge of Houston"),
        (
            "Who is Jerome Pender?",
            "And whose direction did he want?",
            "[attorney general] direction",
        ),
    )
    for first, second, expected in threads:
        conversation = Conversation().then(answerer.answer(first))
        answer = answerer.answer(second, conversation=conversation)
        assert answer.answered and expected in normalise_space(answer.quotes[0].text), second


@pytest.mark.parametrize(
    "question",
    [
        "hey bot, what could implode?",
        "Question: what could implode?",
        "pls tell me what could implode",
    ],
)
def test_a_greeting_or_label_before_the_question_does_not_stop_the_answer(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and "implode" in answer.quotes[0].text
    assert answer.question == question  # the reply still shows what was asked


def test_bare_keywords_quote_the_passages_that_hold_them(answerer: Answerer) -> None:
    """One or two words give the gate too little to weigh ("rift" was refused: cosine 0.07)."""
    for question in ("rift", "what rift?"):
        answer = answerer.answer(question)
        assert answer.answered and all("rift" in q.text for q in answer.quotes), question
    assert not answerer.answer("weather").answered  # in no document


def test_an_acronym_in_lower_case_is_read_as_one(answerer: Answerer) -> None:
    answer = answerer.answer("whats cjis")
    assert answer.answered and "Criminal Justice Information Services" in answer.quotes[0].text


def test_an_acronym_the_text_spells_out_is_tried_when_the_answer_is_weak(
    answerer: Answerer,
) -> None:
    """The seed writes "Department of Justice", never "DOJ": read as typed, the question
    matched the DHS paragraph weakly ("low")."""
    answer = answerer.answer("Does the DOJ agree with DHS on opt out?")
    assert answer.answered and "Department of Justice" in answer.quotes[0].text


def test_a_person_no_document_mentions_is_not_answered_for(answerer: Answerer) -> None:
    """No president or mayor is in the seed: the questions quoted a paragraph ("medium")."""
    for question, word in (
        ("What did the president say about Secure Communities?", "president"),
        ("What did the mayor say about the program?", "mayor"),
    ):
        answer = answerer.answer(question)
        assert not answer.answered and answer.quotes == ()
        assert f"My sources don't mention “{word}”" in answer.message
    assert answerer.answer("what did the professor say").answered  # the seed has one
    # a word the text has a kin of may describe someone: "specializes in immigration history"
    historian = answerer.answer("What does the historian say about federal policy?")
    assert historian.answered and "unified policy" in historian.quotes[0].text


@pytest.mark.parametrize("reply", ["ok", "got it", "👍", "hmm", "lol", "yes"])
def test_an_acknowledgement_is_not_searched(answerer: Answerer, reply: str) -> None:
    """In a DM thread every message reaches the bot: "ok" got "I found nothing on that"."""
    answer = answerer.answer(reply)
    assert answer.kind == "help" and answer.message == "Ask me anything else about my documents."
    assert answerer.answer("ok so what did Roberts say").answered


def test_a_description_that_fits_several_unnamed_speakers_quotes_each(answerer: Answerer) -> None:
    """Two unnamed FBI officials are quoted: the reply says so and gives one passage of each."""
    answer = answerer.answer("What did the unnamed FBI official say?")
    assert answer.message.startswith("Quoted: a senior FBI official once and one FBI official once")
    roles = [q.attribution.role for q in answer.quotes if q.attribution is not None]
    assert roles == ["a senior FBI official", "one FBI official"]
    # with a topic, the one who spoke of it, as before
    topic = answerer.answer("What did the unnamed FBI official say about opting out?")
    assert topic.quotes[0].attribution is not None
    assert topic.quotes[0].attribution.role == "one FBI official"


def test_what_else_after_all_of_a_speakers_statements_says_that_is_everything(
    answerer: Answerer,
) -> None:
    listed = answerer.answer("What did Pender say?")  # both of his statements
    assert len(listed.quotes) == 2
    more = answerer.answer("what else did he say?", conversation=Conversation().then(listed))
    assert not more.quotes and "everything" in more.message
    # after a topic, only the statement that answered it counts as given
    topic = answerer.answer("What did Pender write about a nuclear war?")
    other = answerer.answer("what else did he write?", conversation=Conversation().then(topic))
    assert other.quotes and "implode" in other.quotes[0].text


def test_of_passages_scoring_nearly_alike_the_likelier_answer_leads(answerer: Answerer) -> None:
    # Kraut's "trying to preserve their autonomy" shares the rare word "tried" and scored a
    # little higher; the list of places that sought to pull out is what the gate finds likelier
    answer = answerer.answer("Has California tried to get out of Secure Communities?")
    assert answer.answered and "Massachusetts, Chicago, and California" in answer.quotes[0].text


def test_his_direct_quote_is_his_own_quoted_words_first(answerer: Answerer) -> None:
    thread = Conversation()
    for question in ("kraut?", "what'd he say"):
        thread = thread.then(answerer.answer(question, conversation=thread))
    direct = answerer.answer("his direct quote?", conversation=thread)
    assert direct.quotes[0].text.startswith("“When it comes to using people’s identification")


@pytest.fixture(scope="module")
def briefing(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    return answerer_for(tmp_path_factory.mktemp("briefing"), "invented_harbour_briefing.txt")


@pytest.mark.parametrize("name", ["Tom Keane", "Ola Brekke"])
def test_someone_named_but_never_quoted_is_said_to_be_so(briefing: Answerer, name: str) -> None:
    answer = briefing.answer(f"What did {name} say about the grounding?")
    assert not answer.answered and not answer.quotes
    assert f"mention {name}, but do not quote" in answer.message


@pytest.mark.parametrize(
    ("question", "words", "speaker", "role"),
    [
        ("What did Capt Mercer say?", "sitting on a ledge", "Ian Mercer", "the harbour master"),
        ("What did Dr Mercer say?", "heavy fuel oil", "Fiona Mercer", None),
        (
            "What did the engineer say?",
            "on borrowed time",
            None,
            "An engineer at the Carrick pumping station",
        ),
        (  # the organisation's spokeswoman, not the organisation
            "What did the Harbour Water spokeswoman say?",
            "safe to drink",
            None,
            "A spokeswoman for the water company",
        ),
    ],
)
def test_speakers_of_a_press_briefing(
    briefing: Answerer, question: str, words: str, speaker: str | None, role: str | None
) -> None:
    answer = briefing.answer(question)
    assert answer.answered, answer.message
    said = next(q for q in answer.quotes if words in q.text)
    assert said.attribution is not None and said.attribution.speaker == speaker
    if role is not None:
        assert said.attribution.role == role


def test_a_headline_ending_with_quoted_words_is_the_title(briefing: Answerer) -> None:
    answer = briefing.answer("When was this published?")
    assert "11 October 2017" in answer.message
    assert "harbour master warns refloating “could take a week”" in answer.message


@pytest.mark.parametrize(
    ("question", "paragraph", "opening"),
    [
        ("What does the first paragraph say?", 1, "Recently released government e-mails"),
        ("lede. one line.", 1, "Recently released government e-mails"),
        ("how does the story end?", 13, "So far multiple states"),
        ("read me paragraph 7", 7, "“I agree,” replied"),
        ("What's in the third para?", 3, None),
    ],
)
def test_a_paragraph_asked_for_by_its_place(
    answerer: Answerer, question: str, paragraph: int, opening: str | None
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and len(answer.quotes) == 1
    (quote,) = answer.quotes
    assert quote.paragraph == paragraph and quote.passage == "body"
    if opening is not None:
        assert quote.text.startswith(opening)


def test_a_paragraph_past_the_end(answerer: Answerer) -> None:
    answer = answerer.answer("What does paragraph 40 say?")
    assert not answer.answered and "has 13 paragraphs" in answer.message


def test_the_next_paragraph_after_one_asked_for_by_place(answerer: Answerer) -> None:
    first = answerer.answer("what does the first paragraph say")
    after = answerer.answer("and after that?", conversation=Conversation().then(first))
    assert after.quotes[0].paragraph == 2


def test_the_last_paragraph_of_another_document(briefing: Answerer) -> None:
    answer = briefing.answer("how does the article end?")
    assert answer.quotes[0].text.startswith("The ship’s master, Tom Keane")


@pytest.mark.parametrize("typed", ["\u200b", "\u200b\u200d\ufeff", " \u2060 "])
def test_a_question_of_invisible_characters_gets_help(answerer: Answerer, typed: str) -> None:
    answer = answerer.answer(typed)
    assert answer.kind == "help" and answer.message.startswith("Ask me a question")


def test_an_invisible_character_inside_a_name(answerer: Answerer) -> None:
    answer = answerer.answer("who is Alan\u200b Kraut?")
    assert answer.answered and "Alan Kraut" in answer.message


@pytest.mark.parametrize("typed", ["\u202ewho is Alan Kraut?", "who is Alan Kraut?\x00"])
def test_direction_marks_and_a_nul_change_no_answer(answerer: Answerer, typed: str) -> None:
    plain, marked = answerer.answer("who is Alan Kraut?"), answerer.answer(typed)
    assert [q.text for q in marked.quotes] == [q.text for q in plain.quotes]
    assert marked.message == plain.message


def test_a_quote_of_a_huge_paragraph_is_bounded(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> None:
    base = tmp_path_factory.mktemp("huge")
    source = base / "run_on.txt"
    clause = "the council kept the harbour open through the storm and the ferries ran late "
    source.write_text(
        "Harbour stays open\n\n“We kept going,” said Mara Quist, the harbour master. “"
        + clause * 400
        + "and nobody was hurt,” she said.\n",
        encoding="utf-8",
    )
    answerer = answerer_for(base / "build", source)
    for question in ("What did Mara Quist say?", "What does the first paragraph say?"):
        answer = answerer.answer(question)
        assert answer.answered and answer.quotes, question
        for quote in answer.quotes:
            assert len(quote.text) <= MAX_QUOTE_CHARS
            raw = source.read_text(encoding="utf-8")
            assert raw[quote.char_start : quote.char_end] == quote.text  # still verbatim


def test_someone_described_whom_no_one_quoted_fits(briefing: Answerer) -> None:
    answer = briefing.answer("What did the coastguard commander say about the rescue?")
    assert not answer.answered and not answer.quotes
    described = "No one my documents quote is described as “the coastguard commander”"
    assert described in answer.message
    assert briefing.answer("What did the harbour master say?").answered


def test_anyone_else_with_the_same_job_title(answerer: Answerer) -> None:
    conversation = Conversation().then(answerer.answer("What is Roberts's job?"))
    other = answerer.answer(
        "Does anyone else in that article have the same job title?", conversation=conversation
    )
    assert other.kind != "metadata" and other.answered
    assert other.quotes[0].attribution is not None
    assert other.quotes[0].attribution.speaker == "Jerome M. Pender"


@pytest.mark.parametrize(
    ("question", "opening", "speaker"),
    [
        ("'This is a tough one' - whose line is that?", "“This is a tough one,”", "Roberts"),
        ("What's in the paragraph that starts with 'In particular'?", "In particular", None),
        (
            "The anonymous FBI official in the chain: what did they say about the Justice "
            "Department's position? Exact words please.",
            "Meanwhile in a 10 May",
            None,
        ),
    ],
)
def test_forms_of_a_fact_checker(
    answerer: Answerer, question: str, opening: str, speaker: str | None
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and answer.quotes[0].text.startswith(opening)
    if speaker is not None:
        attribution = answer.quotes[0].attribution
        assert attribution is not None and speaker in (attribution.speaker or "")


def test_a_paragraph_starting_with_words_no_paragraph_starts_with(answerer: Answerer) -> None:
    answer = answerer.answer("the paragraph that starts with 'Bananas are'")
    assert not answer.answered and "no paragraph that starts with “Bananas are”" in answer.message
    # "The" is in every paragraph: not "no mention of “The”", but too common to go by
    common = answerer.answer("the paragraph that starts with 'The'")
    assert not common.answered and "“The” is too common" in common.message


def test_which_paragraph_is_that_in(answerer: Answerer) -> None:
    said, where = _thread(
        answerer, "Who said we are stuck in a nuclear war?", "which para is it in?"
    )
    assert where.message.startswith("That is paragraph 10 of")
    assert where.quotes[0].paragraph == said.quotes[0].paragraph == 10


def test_anything_else_he_wrote_gives_what_the_thread_has_not_shown(answerer: Answerer) -> None:
    _, implode, more = _thread(
        answerer,
        "Who is Jerome Pender?",
        "what did he say could happen to the information sharing model?",
        "anything else he wrote?",
    )
    assert "could “implode.”" in normalise_space(implode.quotes[0].text)
    assert "stuck in the middle of a nuclear war" in more.quotes[0].text


def test_what_else_with_a_topic_does_not_lead_with_the_passage_just_shown(
    answerer: Answerer,
) -> None:
    worry, other = _thread(
        answerer,
        "What did the senior FBI official worry the program could do?",
        "what else were officials worried about?",
    )
    assert "jeopardize partnerships" in worry.quotes[0].text
    assert "would lead to a rift between local and federal" in other.quotes[0].text


def test_why_after_a_passage_that_gives_its_reason_in_a_with_clause(answerer: Answerer) -> None:
    # "with cities and states opting out of the program, the … model could “implode.”"
    *_, why = _thread(
        answerer, "who's pender?", "what did he think might implode?", "and why would it?"
    )
    assert why.answered
    assert "with cities and states opting out" in normalise_space(why.quotes[0].text)


def test_why_with_a_clause_of_its_own_is_searched_with_the_speaker(answerer: Answerer) -> None:
    # not "why?" of the passage shown: what it asks about is another passage of his
    _, why = _thread(
        answerer,
        "who's the american university professor?",
        "and why does he think communities push back?",
    )
    assert "preserve their autonomy" in why.quotes[0].text


@pytest.mark.parametrize(
    "question",
    [
        "Has the Justice Department said whether states can opt out?",
        "did the justice department say whether states could opt out?",  # typed as lower case
    ],
)
def test_whether_someone_has_said_something_is_answered_by_a_passage_naming_them(
    answerer: Answerer, question: str
) -> None:
    # the Justice Department says nothing itself; an official says no one has heard from it
    answer = answerer.answer(question)
    assert "never heard [if the Department of Justice]" in normalise_space(answer.quotes[0].text)


def test_a_topic_in_the_askers_words_is_the_speakers_when_they_hold_as_many(
    answerer: Answerer,
) -> None:
    # "cases" and "involving" are in no document; "actual" and "crime" are in his words
    held = answerer.answer("according to kraut, is this about cases involving an actual crime?")
    assert "not an actual criminal act" in held.quotes[0].text
    # three words in no document against the one of his ("federal"): not what he spoke of
    beavers = answerer.answer(
        "What did Kraut say about reintroducing beavers to the federal uplands?"
    )
    assert not beavers.answered and "none of them on" in beavers.message


def test_a_speciality_asked_is_the_role_the_text_gives(answerer: Answerer) -> None:
    answer = answerer.answer("whats the professors specialty")
    assert "who specializes in immigration history" in answer.message


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ('who is quoted saying "i agree"?', "Stephen L. Morris"),
        ("who's quoted as saying the model could implode?", "Jerome M. Pender"),
    ],
)
def test_who_is_quoted_saying_some_words_is_who_said_them(
    answerer: Answerer, question: str, speaker: str
) -> None:
    assert _first_speaker(answerer.answer(question)) == speaker


def test_a_misspelt_name_is_embedded_as_the_text_writes_it(answerer: Answerer) -> None:
    # the word search read "massachusets" as the state already; now the model does too
    answer = answerer.answer("Did massachusets want in or out?")
    assert "Massachusetts, Chicago, and California" in answer.quotes[0].text


def test_the_next_one_after_a_paragraph_by_place(answerer: Answerer) -> None:
    _, after = _thread(answerer, "What is the first paragraph of the article?", "and the next one?")
    assert after.quotes[0].paragraph == 2


def test_the_other_one_with_the_role_in_the_story(answerer: Answerer) -> None:
    _, other, more = _thread(
        answerer,
        "Who is Roberts?",
        "and the other assistant director in the story?",
        "Did he say anything else later in the story?",
    )
    assert other.quotes[0].attribution is not None
    assert other.quotes[0].attribution.speaker == "Jerome M. Pender"
    assert more.answered and "stuck in the middle of a nuclear war" in more.quotes[0].text


def test_what_the_other_one_with_the_role_said(answerer: Answerer) -> None:
    _, other = _thread(
        answerer,
        "what did pender think would happen to info sharing",
        "and what did the other assistant director say",
    )
    assert other.quotes[0].attribution is not None
    assert other.quotes[0].attribution.speaker == "Daniel D. Roberts"


def test_does_the_article_spell_out_an_abbreviation(answerer: Answerer) -> None:
    answer = answerer.answer("Does the article spell out what ICE stands for?")
    assert "ICE [Immigration and Customs Enforcement]" in answer.quotes[0].text


def test_what_he_said_before_that(answerer: Answerer) -> None:
    _, before = _thread(
        answerer, "What did Pender say about a nuclear war?", "what did he say before that?"
    )
    assert before.message == "What Jerome M. Pender said just before that:"
    assert before.quotes[0].text.startswith("Jerome M. Pender, the assistant director")
    _, first = _thread(answerer, "Who said we need to support ICE?", "what did he say before that?")
    assert not first.answered
    assert first.message.startswith("Nothing earlier: that is the first thing Daniel D. Roberts")


@pytest.fixture(scope="module")
def two_libraries(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    base = tmp_path_factory.mktemp("libraries")
    stories = {
        "sundays.txt": "Library to open on Sundays\n\nPublished 3 March 2021\n\nThe library will "
        "open on Sundays from April.\n\n“Families have asked for this for years,” said Ivy "
        "Lund, the head librarian.\n",
        "cuts.txt": "Library budget cut by a tenth\n\nPublished 9 October 2022\n\nThe county "
        "cut the library budget.\n\n“We will have to close on Sundays again, and I am sorry for "
        "it,” said Ivy Lund, the chief librarian of the county.\n",
        "cuts_copy.txt": "Library budget cut by a tenth\n\nPublished 9 October 2022\n\nThe "
        "county cut the library budget.\n\n“We will have to close on Sundays again, and I am "
        "sorry for it,” said Ivy Lund, the chief librarian of the county.\n",
    }
    paths = []
    for name, text in stories.items():
        (base / name).write_text(text, encoding="utf-8")
        paths.append(base / name)
    return answerer_for(base / "build", *paths)


def test_someone_quoted_in_several_documents(two_libraries: Answerer) -> None:
    answer = two_libraries.answer("What did Ivy Lund say about Sundays?")
    assert answer.answered and answer.message.startswith("Ivy Lund is quoted in 3 documents")
    assert "close on Sundays again" in answer.quotes[0].text
    assert {q.document.title for q in answer.quotes} == {
        "Library to open on Sundays",
        "Library budget cut by a tenth",
    }


def test_one_article_saved_twice_is_one_story(two_libraries: Answerer) -> None:
    answer = two_libraries.answer("When was the budget cut story published?")
    assert answer.message.count("was published") == 1
    assert "9 October 2022" in answer.message


def test_who_wrote_it_after_a_quote_asks_about_the_document(answerer: Answerer) -> None:
    _, it = _thread(answerer, "What did Kraut say?", "Who wrote it?")
    assert it.kind == "metadata" and "does not name its author" in it.message
    assert not it.answered  # the question has no answer, said plainly with the details
    _, that = _thread(answerer, "What did Kraut say?", "who wrote that?")  # the words quoted
    assert that.quotes and that.quotes[0].attribution is not None
    assert that.quotes[0].attribution.speaker == "Alan Kraut"


def test_another_given_name_is_not_the_one_quoted_in_several_documents(
    two_libraries: Answerer,
) -> None:
    answer = two_libraries.answer("What did Tom Lund say about Sundays?")
    assert not answer.message.startswith("Ivy Lund is quoted")  # not given as his words


@pytest.fixture(scope="module")
def review(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    return answerer_for(tmp_path_factory.mktemp("review"), "invented_film_review.txt")


def test_why_after_a_quote_that_gives_no_reason_says_so_and_keeps_the_thread(
    review: Answerer,
) -> None:
    harsh = "a shipping forecast with subtitles"
    first, why, who = _thread(
        review, "What did Ava Quiller say about the film?", "why was she so harsh", "who said that?"
    )
    assert harsh in first.quotes[0].text
    # her words were the answer; nothing in the review says why she chose them
    assert not why.answered and not why.quotes
    assert why.message.startswith("Beyond what I just quoted, I found nothing")
    assert who.answered and "Ava Quiller" in (who.quotes[0].attribution.speaker or "")


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("What did Siân Treharne say about playing the skipper?", "Siân Treharne"),
        ("What did Sian Treharne say?", "Sian Treharne"),  # typed without the accent
        ("What did cinematographer Piotr Wasik say about the lamps?", "Piotr Wasik"),
    ],
)
def test_a_performer_or_crew_member_named_but_never_quoted(
    review: Answerer, question: str, name: str
) -> None:
    answer = review.answer(question)
    assert not answer.answered and not answer.quotes
    assert f"mention {name}, but do not quote" in answer.message


def test_a_review_its_critics_its_author_and_an_abbreviation_asked_of_it(review: Answerer) -> None:
    critic = review.answer("What did Ava Quiller say?")
    assert critic.quotes[0].attribution is not None
    assert critic.quotes[0].attribution.speaker == "Ava Quiller"
    director = review.answer("What did Roskilly say?")
    assert director.quotes[0].attribution is not None
    assert director.quotes[0].attribution.speaker == "Tamsin Roskilly"
    author = review.answer("Who wrote the review of The Quiet Harbour?")
    assert author.kind == "metadata" and "Hana Okoro" in author.message
    spelled = review.answer("What is the FAO mentioned in the review?")
    assert spelled.answered and "Food and Agriculture Organization" in spelled.quotes[0].text


def test_who_else_besides_someone_has_their_post(answerer: Answerer) -> None:
    answer = answerer.answer("Who else besides Pender is described as assistant director of CJIS?")
    assert answer.quotes[0].attribution is not None
    assert answer.quotes[0].attribution.speaker == "Daniel D. Roberts"


@pytest.mark.parametrize(
    "question",
    ["which places want out of the program?", "what places have tried to leave the program?"],
)
def test_places_are_the_states_and_cities_the_text_names(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)  # the article never says "places"
    assert answer.answered
    assert "Washington, D.C., Massachusetts, Chicago, and California" in answer.quotes[0].text


def _first_speaker(answer: Answer) -> str | None:
    assert answer.answered, answer.message
    attribution = answer.quotes[0].attribution
    return attribution.speaker or attribution.role if attribution else None


def test_someone_described_by_a_place_and_a_word_that_fits_anyone(answerer: Answerer) -> None:
    who, said, before, when = _thread(
        answerer,
        "who's the houston guy in the email chain",  # "guy": anyone; "in the …": where
        "what did he say",
        "what was he replying to",
        "when was that",
    )
    assert _first_speaker(who) == _first_speaker(said) == "Stephen L. Morris"
    assert _first_speaker(before) == "one FBI official"
    assert "10 May e-mail chain" in normalise_space(when.quotes[0].text)


def test_where_it_was_said_tells_two_unnamed_speakers_apart(answerer: Answerer) -> None:
    answer = answerer.answer("what did the unnamed fbi official say in the may email")
    assert _first_speaker(answer) == "one FBI official"  # "a 10 May e-mail chain"
    assert len(answer.quotes) == 1
    both = answerer.answer("what did the unnamed fbi official say in the email")  # both did
    assert len(both.quotes) == 2


def test_who_replied_then_who_replied_next(answerer: Answerer) -> None:
    _, first, then = _thread(
        answerer,
        "what did the unnamed fbi official say in the may email",
        "who answered first",
        "and then who responded",
    )
    assert _first_speaker(first) == "Stephen L. Morris"
    assert _first_speaker(then) == "Daniel D. Roberts"


def test_whether_someone_mentioned_something(answerer: Answerer) -> None:
    said = answerer.answer("does kraut say anything about local autonomy")
    assert "preserve their autonomy" in normalise_space(said.quotes[0].text)
    _, unsaid = _thread(answerer, "What did Kraut say?", "does he say whether it cuts crime")
    assert not unsaid.answered and "none of them on" in unsaid.message
    assert not answerer.answer("Did Pender mention ICE?").answered  # Roberts did


COMPANY_STORY = """Tarrow Foods to close Dunmore bakery and move bread lines to Kelby

Published 4 February 2025

Tarrow Foods will close its bakery in Dunmore next year and move its bread lines to a larger
site in Kelby, the company said on Tuesday.

"Kelby gives us room to grow and a modern oven hall," said Amara Okonjo, the chief
executive. "This is the right decision for the business."

Okonjo said staff at Dunmore would be offered jobs at the new site. "We are not planning
layoffs. Every baker who wants to move will have a place," she said.

Union officials said they would study the offer before the consultation ends in March.
"""


def _answerer_of(
    tmp_path: Path, answerer_for: Callable[..., Answerer], name: str, text: str
) -> Answerer:
    """An answerer over one story written for a test."""
    story = tmp_path / name
    story.write_text(text, encoding="utf-8")
    return answerer_for(tmp_path / "built", story)


def test_what_a_company_boss_said_may_be_in_any_passage_of_the_story_about_the_company(
    tmp_path: Path, answerer_for: Callable[..., Answerer]
) -> None:
    # the paragraph on layoffs never names Tarrow; the story's title does
    answerer = _answerer_of(tmp_path, answerer_for, "tarrow_bakery.txt", COMPANY_STORY)
    for question in (
        "What did the Tarrow CEO say about layoffs?",
        "Did the Tarrow CEO mention layoffs?",
    ):
        answer = answerer.answer(question)
        assert "We are not planning layoffs" in normalise_space(answer.quotes[0].text), question
    # typed in lower case, or as "boss": the chief executive of the company the story heads
    for question in ("what did the tarrow ceo say about layoffs", "what did the tarrow boss say"):
        answer = answerer.answer(question)
        assert answer.answered, (question, answer.message)
        assert answer.quotes[0].attribution is not None
        assert answer.quotes[0].attribution.speaker == "Amara Okonjo", question


def test_the_titles_a_who_said_question_checks_are_read_once(
    tmp_path: Path, answerer_for: Callable[..., Answerer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # at 1M chunks (11,000 documents) each "what did the X say …" re-read every title: 100 ms
    answerer = _answerer_of(tmp_path, answerer_for, "tarrow_bakery.txt", COMPANY_STORY)
    title = answerer.documents[0].title
    read = 0
    real_terms, real_term_set = answer_module.terms, answer_module.term_set

    def counted(real: Callable[[str], Any]) -> Callable[[str], Any]:
        def reads(text: str) -> Any:
            nonlocal read
            read += title in text
            return real(text)

        return reads

    for module in (answer_module, which_document):  # wherever a title may be read
        monkeypatch.setattr(module, "terms", counted(real_terms))
        monkeypatch.setattr(module, "term_set", counted(real_term_set))
    # "Tarrow" names no speaker: searched, the passages kept whose paragraph or title names it
    oven = answerer.answer("What did Tarrow Foods say about the oven hall?")
    assert "a modern oven hall" in normalise_space(oven.quotes[0].text)
    kelby = answerer.answer("What did Tarrow say about Kelby?")
    assert normalise_space(kelby.quotes[0].text).startswith("Tarrow Foods will close its bakery")
    assert read <= 1


MATCH_REPORT = """Dunmore edge past Kellbridge in the rain

Published 14 January 2025

Dunmore beat Kellbridge 2-1 on Tuesday night. Kellbridge led through a header from their
captain, Lewis Drummond, before Dunmore equalised from the penalty spot after referee Simon
Ashdown ruled that Drummond had handled in the area.

"We kept going, and the penalty was fair," said Ruth Kemble, the Dunmore manager. "The referee
had a clear view of it."

Members of the student council handed out programmes before the game, and the supporters'
trust will meet the club's owners next week.

The Northern League has asked both clubs for their reports and will review the penalty
decision when its disciplinary panel meets next week.

Drummond was treated at half-time by the club doctor, Dr Hannah Ferris, for a cut above his eye.
"""


def _refuses(answerer: Answerer, *questions: str) -> None:
    for question in questions:
        answer = answerer.answer(question)
        assert not answer.answered and answer.quotes == (), question


def test_what_someone_said_is_not_a_passage_that_only_names_them(
    tmp_path: Path, answerer_for: Callable[..., Answerer], answerer: Answerer
) -> None:
    match = _answerer_of(tmp_path, answerer_for, "dunmore_kellbridge.txt", MATCH_REPORT)
    # named after a word for a person ("referee Simon Ashdown"), never quoted
    for question in (
        "What did referee Simon Ashdown say about the handball?",
        "what did simon ashdown say about the handball",  # typed in lower case
    ):
        referee = match.answer(question)
        assert not referee.answered and "mention Simon Ashdown" in referee.message, question
    # a title and a surname typed in lower case, the text giving a given name between them
    doctor = match.answer("what did dr ferris say about drummond's cut")
    assert not doctor.answered and "mention Hannah Ferris" in doctor.message
    # no one quoted is a student council rep(resentative), though the council is mentioned
    rep = match.answer("what did the student council rep say at the game")
    assert not rep.answered and rep.quotes == ()
    for question in (
        "What did the Dunmore manager say about the penalty?",
        "What did Dunmore's manager say about the penalty?",
    ):
        manager = match.answer(question)
        assert manager.quotes[0].attribution is not None
        assert manager.quotes[0].attribution.speaker == "Ruth Kemble", question
    # the league is named, but says nothing: what it will do is not what it said; someone
    # the name qualifies ("Ruth Kemble's assistant") is not the one named, who is quoted
    _refuses(
        match,
        "What did the Northern League say about the penalty decision?",
        "what did the northern league say about the penalty decision",
        "What did Ruth Kemble's assistant say about the penalty?",
    )
    # the seed names ICE only in an FBI official's words ("we need to support ICE"), and
    # reports DHS saying something only in a quotation ("[DHS] has publicly stated …")
    _refuses(
        answerer,
        "What did ICE officials say in response to the FBI's concerns?",
        "what did ICE say in response to the leaked e-mails?",
    )
    dhs = answerer.answer("what did DHS publicly say about opting out, per the fbi email in may")
    assert "[DHS] has publicly stated" in normalise_space(dhs.quotes[0].text)
    # in a thread too, where a question nothing answers is tried with the turn before's words
    *_, ice = _thread(
        answerer,
        "who said it was a tough call",
        "who is he?",
        "what did ICE say about the e-mails?",
    )
    assert not ice.answered and ice.quotes == ()


def test_what_someone_said_about_a_price_or_a_number_needs_one_in_their_words(
    answerer: Answerer,
) -> None:
    # Kraut is quoted, and on Secure Communities, but names no price; Pender counts no states
    for question in (
        "what did alan kraut say about how much secure communities costs",
        "What did Pender say about how many states had opted out?",
    ):
        answer = answerer.answer(question)
        assert not answer.answered and "none of them on" in answer.message, question
    assert answerer.answer("What did Kraut say about Secure Communities?").answered


def test_an_interview_whose_answers_are_not_marked(
    tmp_path: Path, answerer_for: Callable[..., Answerer]
) -> None:
    # "Q: …" paragraphs, each answered by the paragraph after it, unmarked: the answers are
    # the interviewee's, and a question found by its words is answered by its answer
    answerer = answerer_for(tmp_path, "invented_bakery_interview.txt")
    survive = answerer.answer("when did she know the bakery would make it")
    assert normalise_space(survive.quotes[0].text).startswith("The winter of 1996.")
    assert survive.quotes[0].attribution is not None
    assert survive.quotes[0].attribution.speaker == "Marta Okafor"
    why = answerer.answer("What did Marta Okafor say about stepping back?")
    assert normalise_space(why.quotes[0].text).startswith("My knees, mostly.")
    roster = answerer.answer("Who is quoted?")
    assert [s.name for s in roster.speakers] == ["Marta Okafor"]  # not the interviewer


def test_what_someone_said_about_what_their_story_is_about(
    tmp_path: Path, answerer_for: Callable[..., Answerer]
) -> None:
    # "the bakery" heads the story: all the union says in it is on it
    answerer = _answerer_of(tmp_path, answerer_for, "tarrow_bakery.txt", COMPANY_STORY)
    union = answerer.answer("What did the union officials say about the bakery?")
    assert union.answered and "study the offer" in union.quotes[0].text
    weather = answerer.answer("What did Okonjo say about the weather?")
    assert not weather.answered and "none of them on" in weather.message


def test_where_someone_works_is_who_they_are(answerer: Answerer) -> None:
    _, where = _thread(answerer, "What did Kraut say?", "where does he teach")
    assert "American University" in where.message


def test_someone_quoted_but_not_on_the_topic_is_who_the_thread_means_next(
    answerer: Answerer,
) -> None:
    refused, who = _thread(answerer, "What did Pender say about the budget?", "who is he?")
    assert not refused.answered and "none of them on" in refused.message
    assert who.answered and who.message.startswith("Jerome M. Pender is the assistant director")


def test_a_view_asked_in_the_reporter_s_words_keeps_them_first(answerer: Answerer) -> None:
    # the question's words are in the paragraph reporting the view, not in his own words after it
    shows = answerer.answer(
        "What does the American University professor think the confusion shows?"
    )
    assert "does not have a unified policy" in normalise_space(shows.quotes[0].text)


def test_did_someone_say_words_another_said_quotes_who_did(answerer: Answerer) -> None:
    answer = answerer.answer("did morris actually write 'this is a tough one'?")
    assert answer.quotes[0].attribution is not None
    assert answer.quotes[0].attribution.speaker == "Daniel D. Roberts"  # not Morris


def test_a_reply_is_on_what_it_replies_to(answerer: Answerer) -> None:
    # Morris's "I agree" is on the opt-out e-mail before it; "mess" names no topic
    take = answerer.answer("what was morris's take on the opt out mess")
    assert take.answered and take.quotes[0].attribution is not None
    assert take.quotes[0].attribution.speaker == "Stephen L. Morris"
    assert not answerer.answer("what did morris say about the weather").answered


@pytest.fixture(scope="module")
def obituary(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    return answerer_for(tmp_path_factory.mktemp("obituary"), "invented_harbourmaster_obituary.txt")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the lead paragraph says only "has died aged 91": the date is told further down
        ("When did Tom Varga die?", "on 26 February"),
        ("when was Tom Varga born", "9 August 1930"),
    ],
)
def test_when_is_answered_by_a_passage_telling_the_date(
    obituary: Answerer, question: str, expected: str
) -> None:
    answer = obituary.answer(question)
    assert answer.answered and expected in answer.quotes[0].text


@pytest.mark.parametrize(
    ("question", "expected", "speaker"),
    [
        ("what did his niece say?", "He taught me to read the water", "Ilse Borka"),
        ("What did Tom Varga's son say?", "He kept the letters", "Peter Varga"),  # own words first
        ("what did the union rep say", "guard of honour", "Sam Ruddock"),
        ("ok and what's the chief executive's view?", "close for the funeral", "Dana Kowal"),
    ],
)
def test_people_introduced_by_a_relation_or_a_post_are_found_by_it(
    obituary: Answerer, question: str, expected: str, speaker: str
) -> None:
    answer = obituary.answer(question)
    assert answer.answered and expected in answer.quotes[0].text
    attribution = answer.quotes[0].attribution
    assert attribution is not None and attribution.speaker == speaker


def test_a_topic_whose_words_no_document_has_is_not_what_someone_said(
    obituary: Answerer,
) -> None:
    answer = obituary.answer("what did Dana Kowal say about reintroducing beavers to the estuary")
    assert not answer.answered and not answer.quotes
    assert "Dana Kowal" in answer.message


def test_anyone_else_from_that_division_is_the_other_of_its_people(answerer: Answerer) -> None:
    # Pender and Roberts both lead in the FBI's CJIS division; "one FBI official" does not
    first = answerer.answer("which fbi division is pender in")
    thread = Conversation().then(first)
    other = answerer.answer("anyone else from that division quoted?", conversation=thread)
    assert other.answered and other.quotes[0].attribution is not None
    assert other.quotes[0].attribution.speaker == "Daniel D. Roberts"
    assert len(other.quotes) == 1


@pytest.fixture(scope="module")
def match_report(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    return answerer_for(tmp_path_factory.mktemp("match"), "invented_match_report.txt")


def test_the_score_is_the_scoreline_not_a_passage_saying_scored(match_report: Answerer) -> None:
    answer = match_report.answer("what was the final score in the ashby game")
    assert answer.answered
    assert [q.text for q in answer.quotes] == ["Ashby Rovers 2 Millford Town 1"]


def test_the_score_of_a_game_the_report_only_announces_is_not_given(
    match_report: Answerer,
) -> None:
    answer = match_report.answer("What was the score when Ashby played Kingsley United?")
    assert not answer.answered and not answer.quotes


def test_people_referred_to_by_age_or_introduced_in_narration(match_report: Answerer) -> None:
    said = match_report.answer("what did the captain say?")
    assert said.quotes[0].attribution is not None
    assert {q.attribution.speaker for q in said.quotes if q.attribution} == {"Nia Oduya"}
    manager = match_report.answer("What did the Millford manager say?")
    assert manager.answered and "never a penalty" in manager.quotes[0].text


def test_who_reported_that_one_asks_for_the_byline(obituary: Answerer) -> None:
    thread = Conversation().then(obituary.answer("when was Tom Varga born"))
    answer = obituary.answer("and who reported that one?", conversation=thread)
    assert answer.kind == "metadata"


def test_who_runs_it_finds_the_person_beyond_the_passages_found(obituary: Answerer) -> None:
    # the question's words find the harbour's other paragraphs first: the one naming the
    # port authority's chief executive is read from the document all the same
    gate = obituary._gate
    question = "who runs the port authority?"
    hits = gate.retriever.search(question, obituary.embedder.encode_query(question), k=10)
    others = [h for h in hits if "Dana Kowal" not in h.chunk.text]
    assert len(others) < len(hits)
    verdict = gate.judge(question, others)
    assert verdict.lead is not None and "Dana Kowal" in verdict.lead.chunk.text


def test_he_after_his_daughter_s_words_is_the_man_asked_about(obituary: Answerer) -> None:
    # "when did he die?" is answered by his son's words; in the obituary of Tom Varga a later
    # "he" is still Tom Varga where the son could be meant only by a "he" the role allows
    thread = Conversation().then(obituary.answer("Who was Tom Varga?"))
    died = obituary.answer("when did he die?", conversation=thread)
    assert "26 February" in died.quotes[0].text
    thread = thread.then(died)
    age = obituary.answer("how old was he?", conversation=thread)
    assert age.answered and "aged 91" in age.quotes[0].text


def test_she_is_not_the_man_just_quoted() -> None:
    from bot.conversation import follow_up
    from bot.records import Attribution, Turn

    said = Answer(
        "q",
        True,
        "high",
        turn=Turn(
            "Who was Tom Varga?", "Who was Tom Varga?", Attribution("Ilse Borka", "his niece")
        ),
    )
    follow = follow_up("how old was he?", Conversation().then(said))
    assert follow.query == "how old was Tom Varga?"
    follow = follow_up("how old was she?", Conversation().then(said))
    assert follow.query == "how old was Ilse Borka?"


def test_the_phone_number_asked_for_is_theirs(obituary: Answerer) -> None:
    # one number in the obituary, the lifeboat fund's (typed with no-break spaces)
    fund = obituary.answer("what's the phone number for the lifeboat fund?")
    assert fund.answered and "01632" in fund.quotes[0].text
    port = obituary.answer("what's the phone number for the port authority?")
    assert not port.answered and not port.quotes


@pytest.mark.parametrize(
    "question",
    ["Who wrote the Tom Varga obituary?", "In the Gazette's obituary, who was Tom Varga?"],
)
def test_the_outlet_and_the_writer_are_known_names(
    tmp_path: Path, answerer_for: Callable[..., Answerer], question: str
) -> None:
    seeds = tmp_path / "seeds"
    answerer = answerer_for(tmp_path, "invented_harbourmaster_obituary.txt")
    sidecar = answerer._gate.retriever.documents[0]
    assert sidecar.source is None  # the invented file has none: give it one
    (seeds / "invented_harbourmaster_obituary.meta.json").write_text(
        '{"source": "Kelby Gazette", "author": "Ann Lowe"}', encoding="utf-8"
    )
    build_index(answerer.settings, embedder=answerer.embedder)
    answerer = Answerer.load(answerer.settings, embedder=answerer.embedder)
    answer = answerer.answer(question)
    assert answer.answered, answer.message


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what did the writer say about the confusion?", "DHS has sparked considerable confusion"),
        ("What did the reporter say about Chicago?", "Massachusetts, Chicago, and California"),
    ],
)
def test_the_writer_of_a_piece_speaks_in_its_own_words(
    answerer: Answerer, question: str, expected: str
) -> None:
    # no writer is quoted: the passages on the topic that quote no one are the writer's
    answer = answerer.answer(question)
    assert answer.answered and expected in normalise_space(answer.quotes[0].text)
    assert answer.quotes[0].attribution is None


def test_what_someone_said_leads_with_their_own_words(answerer: Answerer) -> None:
    # Kraut's first statement tells his view in the reporter's words; his second is his own
    answer = answerer.answer("What did Kraut say?")
    assert answer.quotes[0].text.startswith("“When it comes to using people’s identification")
    assert any("unified policy" in q.text for q in answer.quotes[1:])  # still shown


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "crime" is a word of a corpus that writes "criminal"; "isn't" is no topic
        ("What did Kraut say it's about when there's no actual crime involved?", "autonomy"),
        ("What does Kraut say it's really about when there isn't a criminal act?", "autonomy"),
        # "who else": "else" is no word of the answer ("Whatever else should happen")
        ("Who else gets access to the data collected through the program?", "shared with FBI"),
    ],
)
def test_topics_and_questions_read_by_their_content_words(
    answerer: Answerer, question: str, expected: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and expected in answer.quotes[0].text, question


def test_the_event_a_story_reports_is_every_statements_topic(answerer: Answerer) -> None:
    # "the findings" names no topic of its own in a story on the e-mails' findings: what
    # the professor said is what he said about them, not "none of them on the findings"
    answer = answerer.answer("What did the professor say about the findings?")
    assert answer.answered and answer.quotes, answer.message
    attribution = answer.quotes[0].attribution
    assert attribution is not None and attribution.speaker == "Alan Kraut"


def test_a_name_only_an_earlier_turn_typed_does_not_refuse_a_follow_up(
    answerer: Answerer,
) -> None:
    # "SAC" found Morris in the first turn, but no document writes it: the follow-up, searched
    # with the earlier turn's words, is not refused for it
    thread = Conversation()
    for question in ("what did the houston SAC say", "who was he agreeing with?"):
        thread = thread.then(answerer.answer(question, conversation=thread))
    answer = answerer.answer(
        "and what did the CJIS assistant director say after that?", conversation=thread
    )
    assert answer.answered and "SAC" not in answer.message
    assert any("This is a tough one" in q.text for q in answer.quotes)


def test_what_someone_said_about_it_is_on_the_threads_last_subject(answerer: Answerer) -> None:
    thread = Conversation()
    first = answerer.answer(
        "Does the federal government have a unified policy on the program?", conversation=thread
    )
    thread = thread.then(first)
    answer = answerer.answer("what did Kraut say about it?", conversation=thread)
    # his words on the policy lead, not the statement in his own words that leads otherwise
    assert "does not have a unified policy" in answer.quotes[0].text
    alone = answerer.answer("what did Kraut say about it?")  # no thread: own words first
    assert "preserve their autonomy" in alone.quotes[0].text
