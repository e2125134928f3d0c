"""Conversations and speakers: follow-ups, "who is quoted", "what did X say", "who is X".

Real model and FAISS on an article invented for these tests; the Slack thread test drives the
real Bolt app over Socket Mode against the local stand-ins, with the real answerer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import bot.speakers as speakers_module
from bot.answer import Answerer
from bot.conversation import (
    MAX_TURNS,
    Conversation,
    Threads,
    follow_up,
    from_payload,
    question_line_problem,
    read_question_line,
    to_payload,
)
from bot.intents import (
    Abbreviation,
    AboutSpeaker,
    abbreviation_asked,
    about_speaker,
    asked_as_who,
    asks_for_help,
    asks_for_overview,
    asks_for_roster,
    asks_for_same_job,
    asks_who_said_it,
    bare_keywords,
    context_asked,
    contractions_written_out,
    gives_a_date,
    is_about_the_document,
    mention_asked,
    names_only_the_document,
    people_named,
    person_described,
    piece_last,
    reply_asked,
    reply_to_someone,
    roster_described,
    separate_questions,
    someone_besides,
    update_asked,
    when_said_asked,
    without_asides,
    without_preamble,
    words_asked_about,
)
from bot.records import Answer, Attribution, Document, Quote, Turn
from bot.render.json import answer_to_json
from bot.replies import several_speakers_message
from bot.sentences import normalise_space
from bot.speakers import Roster, Speaker, Statement
from bot.vocabulary import Vocabulary
from bot.which_document import document_described
from tests.conftest import SEED_FILE
from tests.conftest import converse as _converse
from tests.slack_standin import (
    SocketModeStandIn,
    WebApiStandIn,
    event_callback,
    mention,
    socket_mode_bot,
)

HERE = Path(__file__).parent
DATA = HERE / "data"


@pytest.fixture(scope="module")
def answerer(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    base = tmp_path_factory.mktemp("conversations")
    return answerer_for(base, "invented_bike_lanes.txt", "invented_night_clinic.txt")


def _texts(answer: Answer) -> list[str]:
    return [normalise_space(q.text) for q in answer.quotes]


def _speaker(answer: Answer) -> str | None:
    attribution = answer.quotes[0].attribution
    return attribution.speaker if attribution else None


# --- a follow-up about the subject ---------------------------------------------------------


@pytest.fixture(scope="module")
def bridge(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    return answerer_for(tmp_path_factory.mktemp("bridge"), "invented_cycling_bridge.txt")


def test_a_follow_up_about_the_subject_is_not_led_by_the_passage_just_shown(
    bridge: Answerer, answerer: Answerer
) -> None:
    approved = "Eastbrook City Council has approved plans for a £14.8 million cycling"
    first, pushed = _converse(
        bridge, "did the cycling bridge get approved in the end", "who pushed for it"
    )
    assert approved in _texts(first)[0]
    # searched with the earlier question's words, the approval came first again
    assert approved not in _texts(pushed)[0] and _speaker(pushed) == "Joanne Pettifer"
    # and "who said that?" after it means the passage it led with, not the first answer's
    asked = ("did the cycling bridge get approved in the end", "who pushed for it")
    *_, said = _converse(bridge, *asked, "who said that?")
    assert _speaker(said) == "Joanne Pettifer"
    # it answers again a follow-up with the words it has ("paid"), the time asked, or when no
    # other passage answers
    cost = "cost about 2.4 million dollars, paid for by a regional transport grant"
    _, paying = _converse(
        answerer, "how much would the bike lanes cost?", "who is paying for them?"
    )
    assert cost in _texts(paying)[0]
    _, when = _converse(answerer, "What's the plan for Harbour Street?", "when's the vote on it?")
    assert "19 March" in _texts(when)[0]
    _, runs = _converse(answerer, "What is the night clinic?", "Who runs it?")
    # the hospital that opened it, or the person the story says directs it (`gate.who_does`)
    assert any(t in _texts(runs)[0] for t in ("opened a night clinic", "the hospital's director"))


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("why?", True),
        ("How come?", True),
        ("whats the reason for that", True),
        ("what was the reason?", True),
        ("any idea why?", True),
        ("why though", True),
        ("and why was that?", True),
        ("why would they do that", True),
        ("Why did the FBI want the attorney general involved?", False),  # names what it asks
        ("Why were FBI officials worried?", False),
        ("why would he assume that", True),
        ("why was it so harsh?", True),  # one word of its own: still about what was shown
        ("and why does he think communities push back?", False),  # a clause of its own
        ("what sort of thing?", False),
    ],
)
def test_a_why_follow_up_asks_about_the_last_answer(question: str, why: bool) -> None:
    asked = Turn("Who wanted a review?", "Who wanted a review?")
    follow = follow_up(question, Conversation((asked,)))
    assert follow.why is why
    if why:
        assert follow.query == f"{question} Who wanted a review?"
    said = Turn(
        "What did Morris say?", "What did Morris say?", Attribution("Stephen L. Morris", None)
    )
    named = follow_up("why did he say that?", Conversation((said,)))
    assert named.why and named.query == "why did Stephen L. Morris say that?"


def test_why_is_answered_by_the_passage_shown_only_when_it_gives_a_reason(
    bridge: Answerer, answerer: Answerer
) -> None:
    # "changed twice in response to residents’ concerns, including lowering the northern ramp
    # to reduce its visual impact": the passage shown says why itself
    built, why = _converse(
        bridge, "What change was made to the bridge's northern ramp?", "what for"
    )
    assert "lowering the northern ramp" in _texts(built)[0]
    assert why.answered and "to reduce its visual impact" in _texts(why)[0]
    # "said the clinic would cost less than expected" says nothing of why; her next words do
    cost, why = _converse(
        answerer, "What did the finance director say about the cost of the clinic?", "why's that"
    )
    assert "cost less than expected" in _texts(cost)[0]
    assert why.answered and "The regional grant covers the first three years" in _texts(why)[0]


def test_someone_s_view_is_quoted_in_their_own_words_first(bridge: Answerer) -> None:
    # the paragraph found gives it in the reporter's words; the one after, in hers
    complaint = bridge.answer("whats the residents association chair's complaint")
    texts = _texts(complaint)
    assert texts[0].startswith("“We have been told again and again")
    assert texts[1].startswith("Bridget Olawale, who chairs the Millrace Residents’ Association")
    assert _speaker(complaint) == "Bridget Olawale"


# --- who is quoted -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Who's quoted here?",
        "Whose words does the piece use?",
        "Who are the sources?",
        "Which officials does the article quote?",
        "who is quoted",
        "How many people are quoted?",
        "List everyone quoted",
        "Who else is quoted?",
        "anyone else?",
        "Give me the key quotes",
        "What are the main quotes?",
    ],
)
def test_roster_lists_every_speaker_per_document(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.kind == "speakers" and answer.answered
    named = {(s.name, s.document.title): s.statements for s in answer.speakers}
    bikes = "City council splits over downtown bike lanes"
    assert named[("Priya Venkataraman", bikes)] == 1
    assert named[("Gordon Lasky", bikes)] == 1
    assert named[("Ellen Okafor", bikes)] == 1
    assert named[("Martin Oduya", "Hospital opens night clinic")] == 1
    assert named[("Grace Lin", "Hospital opens night clinic")] == 1
    unnamed = [s for s in answer.speakers if s.name is None]
    assert any("nurse" in (s.role or "") for s in unnamed)
    data = answer_to_json(answer)
    assert data["kind"] == "speakers"
    first = data["speakers"][0]
    assert set(first) == {"name", "role", "document", "statements"}
    assert first["document"]["title"] in {bikes, "Hospital opens night clinic"}
    assert "Priya Venkataraman" in data["reply_text"] and "Martin Oduya" in data["reply_text"]


@pytest.mark.parametrize(
    ("question", "title", "names"),
    [
        (
            "Who is quoted in the bike lanes story?",
            "City council splits over downtown bike lanes",
            {"Priya Venkataraman", "Gordon Lasky", "Ellen Okafor"},
        ),
        (
            "Who's quoted in the night clinic article?",
            "Hospital opens night clinic",
            {"Martin Oduya", "Grace Lin", None},
        ),
    ],
)
def test_the_roster_of_thedocument_described(
    answerer: Answerer, question: str, title: str, names: set[str | None]
) -> None:
    answer = answerer.answer(question)
    assert answer.kind == "speakers" and answer.answered
    assert {s.document.title for s in answer.speakers} == {title}
    assert {s.name for s in answer.speakers} == names
    assert answer.message.startswith(f"“{title}” quotes {len(names)}:")


def test_in_a_thread_the_roster_of_this_story_is_the_threads_documents(
    answerer: Answerer,
) -> None:
    _, this_story = _converse(
        answerer, "What did Grace Lin say?", "Who else is quoted here in this story?"
    )
    assert {s.document.title for s in this_story.speakers} == {"Hospital opens night clinic"}
    _, everyone = _converse(answerer, "What did Grace Lin say?", "Who is quoted?")
    assert len({s.document.title for s in everyone.speakers}) == 2


def test_which_article_mentions_gives_the_passages_of_every_document_that_does(
    answerer: Answerer,
) -> None:
    answer = answerer.answer("Which article mentions the regional grant?")
    assert answer.answered and answer.confidence == "high"
    assert {q.document.title for q in answer.quotes} == {
        "City council splits over downtown bike lanes",
        "Hospital opens night clinic",
    }
    assert all("regional" in q.text and "grant" in q.text for q in answer.quotes)


# --- what did X say ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "What did Lasky say?",  # surname
        "What did Gordon Lasky say?",  # full name
        "What did the hardware store owner say?",  # role words
        "What did Laskey say?",  # one letter off
        "what did lasky think",
    ],
)
def test_what_did_x_say_quotes_x(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.answered and _speaker(answer) == "Gordon Lasky"
    assert "If my customers cannot park" in _texts(answer)[0]
    assert "Half of my business would be gone" in " ".join(_texts(answer))


def test_what_did_x_say_never_leads_with_a_mere_mention(answerer: Answerer) -> None:
    """Okafor is mentioned in her own paragraph only, but "Venkataraman" is never quoted by
    a paragraph that just names her: every quote of hers is hers."""
    answer = answerer.answer("What did Venkataraman say?")
    assert all(
        q.attribution and q.attribution.speaker == "Priya Venkataraman" for q in answer.quotes
    )


def test_what_did_x_say_about_a_topic_puts_that_statement_first(answerer: Answerer) -> None:
    answer = answerer.answer("What did Okafor say about deliveries?")
    assert _speaker(answer) == "Ellen Okafor"
    assert "loading zones for deliveries" in _texts(answer)[0]


def test_an_irregular_verb_finds_its_other_form(answerer: Answerer) -> None:
    """The text says "paid for by a regional transport grant": "pays" stems to "pay"."""
    answer = answerer.answer("Who pays for the bike lanes?")
    assert "paid for by a regional transport grant" in _texts(answer)[0]


def test_what_x_said_about_a_topic_they_never_touch_is_not_quoted(answerer: Answerer) -> None:
    for question, who in (
        ("What did Martin Oduya say about parking?", "Martin Oduya"),  # the other story's topic
        ("What did Lasky say about the weather?", "Gordon Lasky"),
    ):
        answer = answerer.answer(question)
        assert not answer.answered and answer.kind == "no_answer" and answer.quotes == ()
        assert answer.message.startswith(f"{who} is quoted once in my documents, but not on")
        assert f"Ask “What did {who} say?”" in answer.message
    # on the topic by a word it holds, or by meaning alone
    for question, said in (
        ("What did Grace Lin say about the grant?", "The regional grant covers"),
        ("What did Lasky say about losing customers?", "If my customers cannot park"),
        ("What did Okafor say about deliveries?", "loading zones for deliveries"),
        ("What did Oduya say about it?", "deserve a doctor"),  # "it" refers back: not checked
    ):
        answer = answerer.answer(question)
        assert answer.answered and said in " ".join(_texts(answer)), question


def test_who_is_x_gives_the_role_and_the_passage(answerer: Answerer) -> None:
    answer = answerer.answer("Who is Martin Oduya?")
    assert answer.answered
    assert "the hospital's director" in answer.message
    assert "said Martin Oduya, the hospital's director" in _texts(answer)[0]


def test_a_name_nobody_speaks_falls_back_to_search(answerer: Answerer) -> None:
    answer = answerer.answer("What did the council decide?")
    assert answer.kind in {"quotes", "no_answer"}
    assert answer.kind != "speakers"


# --- follow-ups ----------------------------------------------------------------------------


def test_a_pronoun_follow_up_keeps_the_speaker(answerer: Answerer) -> None:
    first, second = _converse(
        answerer, "What did the transport chair say?", "what else did she say?"
    )
    assert _speaker(first) == "Priya Venkataraman"
    assert second.quotes == () or _speaker(second) == "Priya Venkataraman"


def test_what_else_gives_passages_not_shown_yet(answerer: Answerer) -> None:
    first, second = _converse(
        answerer, "What do shop owners fear about the bike lanes?", "What else?"
    )
    assert first.answered
    shown = {(q.document.path, q.char_start) for q in first.quotes}
    assert all((q.document.path, q.char_start) not in shown for q in second.quotes)


def test_what_else_did_a_named_speaker_say_gives_what_the_thread_has_not_shown(
    answerer: Answerer,
) -> None:
    first, second = _converse(answerer, "Who is Ellen Okafor?", "What else did Okafor say?")
    shown = {(q.document.path, q.char_start) for q in first.quotes}
    assert first.answered and shown
    assert all((q.document.path, q.char_start) not in shown for q in second.quotes)
    assert second.quotes or "everything" in second.message
    if second.quotes:
        assert second.message.startswith("Ellen Okafor is quoted once more")


def test_what_else_did_he_say_after_a_topic_gives_his_other_statements(
    answerer: Answerer,
) -> None:
    first, second = _converse(
        answerer, "What did Grace Lin say about the regional grant?", "what else did she write?"
    )
    assert _speaker(first) == "Grace Lin" and first.quotes
    led = (first.quotes[0].document.path, first.quotes[0].char_start)
    # what the first answer led with is not repeated; what it only added may now lead
    assert all((q.document.path, q.char_start) != led for q in second.quotes)


@pytest.mark.parametrize(
    "question",
    ["What did Lasky say in the interview?", "What did Lasky say at the hearing, then?"],
)
def test_where_something_was_said_is_not_a_topic(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.answered and _speaker(answer) == "Gordon Lasky"


def test_a_word_for_a_person_that_fits_several_named_speakers_quotes_each(
    answerer: Answerer,
) -> None:
    # "the director" is the hospital's director and its finance director: each one is quoted,
    # the reply saying so, where before the phrase was searched and nothing answered
    answer = answerer.answer("What did the director say?")
    assert answer.answered and set(_speakers(answer)) == {"Martin Oduya", "Grace Lin"}
    assert answer.message.startswith("Quoted: ")
    on_topic = answerer.answer("What did the director say about the regional grant?")
    assert _speakers(on_topic) == ["Grace Lin"]


def test_what_someone_said_is_not_a_passage_that_never_names_them(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> None:
    # "the FBI" describes no one speaker, so the question is searched; the bike lanes story
    # never names the FBI, and its passages on bike lanes are not what the FBI said
    both = answerer_for(
        tmp_path_factory.mktemp("seed-and-lanes"), SEED_FILE, "invented_bike_lanes.txt"
    )
    answer = both.answer("What did the FBI say about bike lanes?")
    assert not answer.answered and answer.quotes == ()
    said = both.answer("What did the FBI say about Secure Communities?")
    assert said.answered and "FBI" in said.quotes[0].text


def test_the_other_one_is_another_speaker(answerer: Answerer) -> None:
    first, second = _converse(answerer, "What did Martin Oduya say?", "And the other director?")
    assert _speaker(first) == "Martin Oduya"
    assert second.answered and _speaker(second) == "Grace Lin"


def test_a_follow_up_reads_against_the_earlier_question(answerer: Answerer) -> None:
    _, second = _converse(answerer, "Where would the bike lanes run?", "How much will they cost?")
    assert "2.4 million dollars" in _texts(second)[0]
    _, third = _converse(answerer, "What is the night clinic?", "Who runs it?")
    assert third.answered and third.quotes[0].document.path.endswith("invented_night_clinic.txt")


def test_a_follow_up_pronoun_reads_as_the_speakers_name() -> None:
    said = Turn(
        "What did Morris say?", "What did Morris say?", Attribution("Stephen L. Morris", None)
    )
    conversation = Conversation((said,))
    assert (
        follow_up("Where is he based?", conversation).query == "Where is Stephen L. Morris based?"
    )
    assert follow_up("What is her job?", conversation).query == "What is Stephen L. Morris’s job?"
    told = follow_up("What did he tell her?", conversation)
    assert told.query == "What did Stephen L. Morris tell her?"  # only the first is the speaker
    assert told.fallback == "What did he tell her? What did Morris say?"
    assert follow_up("What did they decide?", conversation).query == (
        "What did they decide? What did Morris say?"
    )
    unnamed = Conversation((Turn("q", "q", Attribution(None, "one FBI official")),))
    assert follow_up("Where is he based?", unnamed).query == "Where is he based? q"


@pytest.mark.parametrize(
    "question",
    ["what did he add?", "What did she say?", "What else?", "tell me more", "Who said that?"],
)
def test_a_follow_up_with_no_earlier_answer_says_so(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.kind == "help" and not answer.answered and not answer.quotes
    assert "no earlier answer" in answer.message and "Ask me a question first" in answer.message


def test_a_pronoun_with_a_topic_and_no_thread_is_searched_for_the_topic(answerer: Answerer) -> None:
    answer = answerer.answer("What did they say about parking?")
    assert answer.kind == "quotes" and "park" in " ".join(_texts(answer))


# --- several speakers at once ------------------------------------------------------------


def _speakers(answer: Answer) -> list[str | None]:
    return [q.attribution.speaker if q.attribution else None for q in answer.quotes]


def _verbatim(answer: Answer) -> bool:
    return all(
        (DATA / Path(q.document.path).name).read_text(encoding="utf-8")[q.char_start : q.char_end]
        == q.text
        for q in answer.quotes
    )


def test_what_did_x_and_y_say_quotes_each_in_the_order_asked(answerer: Answerer) -> None:
    answer = answerer.answer("What did Lasky and Okafor say?")
    assert answer.answered and answer.confidence == "high" and _verbatim(answer)
    assert _speakers(answer) == ["Gordon Lasky", "Ellen Okafor"]
    assert answer.message.startswith("Quoted: Gordon Lasky")
    assert "If my customers cannot park" in _texts(answer)[0]


def test_several_speakers_on_a_topic_give_each_ones_statement_on_it(answerer: Answerer) -> None:
    answer = answerer.answer("What did Venkataraman, Lasky and Okafor say about deliveries?")
    assert _speakers(answer) == ["Priya Venkataraman", "Gordon Lasky", "Ellen Okafor"]
    assert "loading zones for deliveries" in _texts(answer)[2]


def test_who_are_x_and_y_gives_each_role(answerer: Answerer) -> None:
    answer = answerer.answer("Who are Martin Oduya and Grace Lin?")
    assert _speakers(answer) == ["Martin Oduya", "Grace Lin"] and _verbatim(answer)
    assert "Martin Oduya is the hospital's director." in answer.message
    assert "Grace Lin is the hospital's finance director." in answer.message


def test_several_speakers_then_a_pronoun_follows_the_first(answerer: Answerer) -> None:
    first, second = _converse(answerer, "What did Lasky and Okafor say?", "what else did he say?")
    assert _speakers(first)[0] == "Gordon Lasky"
    assert second.quotes == () or _speaker(second) == "Gordon Lasky"


def test_the_several_speakers_message_lists_each_one() -> None:
    said = Statement(paragraph=1, passage="body", start=0, end=9, chunk_ids=(0,))
    lasky = Speaker(0, "Gordon Lasky", None, (said,))
    okafor = Speaker(0, "Ellen Okafor", "Deputy mayor", (said, said))
    lin = Speaker(1, "Grace Lin", None, (said,))
    message = several_speakers_message((lasky, okafor, lin), "said", None)
    assert message == (
        "Quoted: Gordon Lasky once, Ellen Okafor in 2 passages and Grace Lin once. "
        "The first passage of each follows:"
    )
    assert several_speakers_message((lasky,), "said", None).startswith("Quoted: Gordon Lasky once.")
    assert several_speakers_message((lasky, okafor), "said", "parking") == ""
    assert several_speakers_message((lasky, okafor), "who_is", None) == (
        "Ellen Okafor is Deputy mayor."
    )


@pytest.mark.parametrize(
    ("phrase", "parts"),
    [
        ("Lasky and Okafor", ("Lasky", "Okafor")),
        ("Lasky, Okafor and Lin", ("Lasky", "Okafor", "Lin")),
        ("Lasky, Okafor, and Lin", ("Lasky", "Okafor", "Lin")),
        ("both Lasky & the nurse", ("Lasky", "the nurse")),
        ("Gordon Lasky", ()),
    ],
)
def test_people_joined_in_a_phrase(phrase: str, parts: tuple[str, ...]) -> None:
    assert people_named(phrase) == parts


def test_a_clause_with_said_in_it_is_no_one_described() -> None:
    # "if the owner said no": not someone called "pender think the fbi could use the data …"
    assert about_speaker("did pender think the fbi could use the data if the owner said no") is None
    whether = about_speaker("Did Kraut mention autonomy?")
    assert whether is not None and (whether.who, whether.topic) == ("Kraut", "autonomy")


def test_who_are_asks_the_roster_only_for_several_people() -> None:
    assert about_speaker("Who are Lasky and Okafor?") == AboutSpeaker("who_is", "Lasky and Okafor")
    assert about_speaker("Who are the nurses?") is None


# --- the pure parts ------------------------------------------------------------------------


def test_question_forms() -> None:
    assert asks_for_roster("Who is quoted in the article?")
    assert not asks_for_roster("Who said the lanes would help?")
    said = about_speaker("What did Lasky say about parking?")
    assert said is not None and (said.form, said.who, said.topic) == ("said", "Lasky", "parking")
    who = about_speaker("Who is Ellen Okafor?")
    assert who is not None and (who.form, who.who) == ("who_is", "Ellen Okafor")
    assert about_speaker("Who is quoted?") is None
    assert not asks_for_roster("How many people were arrested?")
    assert not asks_for_roster("Who else was on that e-mail chain?")
    assert asks_for_roster("who all gets quoted in this one")
    assert asks_for_roster("Which officials does the article quote?")
    assert asks_for_roster("which people is the story quoting")
    assert asks_for_roster("Which officials is it quoting?")
    assert not asks_for_roster("Which country is it that exports the most oil?")
    where = about_speaker("what did the unnamed fbi official say in the may email")
    assert where is not None and (where.topic, where.where) == (None, "may")
    guy = about_speaker("who's the houston guy in the email chain")
    assert guy is not None and (guy.form, guy.who) == ("who_is", "the houston guy")
    assert reply_asked("and then who responded", "What did he say?") == "next"
    assert about_speaker("does he say whether the program cuts crime") == AboutSpeaker(
        "said", "he", "the program cuts crime", whether=True
    )
    mentioned = AboutSpeaker("said", "Okafor", "parking", whether=True)
    assert about_speaker("Did Okafor mention parking?") == mentioned
    assert about_speaker("Does the article say anything about parking?") is None  # a mention
    more = about_speaker("did he say anything else")
    assert more is not None and more.more
    # whom it was said to is no topic, but may tell where
    jury = about_speaker("what did the judge say to the jury about the evidence")
    assert jury is not None and (jury.topic, jury.where) == ("the evidence", "jury")
    told = about_speaker("what did voss tell the committee")
    assert told is not None and (told.topic, told.where) == (None, "committee")
    press = about_speaker("What did Lasky say about the press?")
    assert press is not None and press.topic == "the press"
    replied = about_speaker("What did Morris reply to?")
    assert replied is not None and replied.topic is None
    assert piece_last("in the court case what did the prosecutor say?") == (
        "what did the prosecutor say in the court case?"
    )
    assert piece_last("In the football one, who scored") == "who scored In the football one"
    assert piece_last("In 1066, who won?") == "In 1066, who won?"
    assert without_preamble("the historian at american u, what's his take on the lanes") == (
        "what's the historian at american u’s take on the lanes"
    )
    assert without_preamble("the plan, how does it work?") == "how does the plan work?"
    assert without_preamble("In 1066, who won?") == "In 1066, who won?"
    pulled = about_speaker("pull the quote where lasky admits he might lose trade")
    assert pulled is not None and (pulled.who, pulled.topic) == ("lasky", "he might lose trade")
    assert about_speaker("where does she work") == AboutSpeaker("who_is", "she")
    post = about_speaker("what is ellen okafor on the city council")
    assert post == AboutSpeaker("who_is", "ellen okafor")
    assert about_speaker("what is the plan on the council") is None
    assert not asks_for_roster("who all got arrested")


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Who used the words 'tough one'?", "tough one"),
        ("who said “any way we go”", "any way we go"),
        ('Who replied "I agree" in the e-mail chain?', "I agree"),
        ("Which official wrote 'I don't think we need'?", "I don't think we need"),
        ("Where does the article say 'implode'?", "implode"),
        ("find 'opt out'", "opt out"),
        ("'nuclear war'?", "nuclear war"),
        ('someone said "I agree" — who was that?', "I agree"),
        ("'tough one': which official said it?", "tough one"),
        ("did morris actually write 'this is a tough one'?", "this is a tough one"),
        ("What did Pender mean by 'nuclear war'?", None),  # a speaker's question
        ('In what year did Edmonds characterize a "good" algorithm?', None),  # SQuAD: a term
        ("Who said the lanes were safe?", None),  # nothing in quotation marks
    ],
)
def test_whose_or_where_words_in_quotation_marks_are(question: str, words: str | None) -> None:
    assert words_asked_about(question) == words


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("who used the words 'half of my business'?", "Gordon Lasky"),
        ("Who said “safe lanes”?", "Priya Venkataraman"),
        ("Which official used the phrase 'the cost of the shops'?", "Ellen Okafor"),
    ],
)
def test_words_in_quotation_marks_are_found_word_for_word(
    answerer: Answerer, question: str, speaker: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and answer.confidence == "high" and _speaker(answer) == speaker
    asked = question.split("'")[1] if "'" in question else question.split("“")[1].split("”")[0]
    assert asked.lower() in answer.quotes[0].text.lower()


def test_words_no_passage_holds_are_searched_as_usual(answerer: Answerer) -> None:
    answer = answerer.answer("Who said 'we will fight them on the beaches'?")
    assert not answer.answered and answer.quotes == ()


@pytest.mark.parametrize(
    ("question", "topic", "more"),
    [
        ("What did Lin say in the e-mail chain about the grant?", "the grant", False),
        ("What did she say in her email?", None, False),
        ("What did Lin write back in the e-mail thread?", None, False),  # "write back"
        ("what did Oduya write back?", None, False),
        ("What did Oduya say in response to the nurses?", "the nurses", False),
        ("What else did Lin say?", None, True),
        ("What did Lin say about the meeting?", "the meeting", False),  # about it: a topic
        ("What did Lin say about first responders?", "first responders", False),
        ("What did Oduya say on the call about the nurses?", "the nurses", False),
        ("What did Lin say then?", None, False),
    ],
)
def test_where_and_when_it_was_said_leave_the_topic(
    question: str, topic: str | None, more: bool
) -> None:
    said = about_speaker(question)
    assert said is not None and (said.topic, said.more) == (topic, more)


@pytest.mark.parametrize(
    "question",
    [
        "What is the article about?",
        "What's the story about?",
        "what is it about",
        "So what is this piece all about?",
        "So what is this article actually about?",
        "Summarize the article",
        "Can you summarise it please?",
        "Give me the gist of the story",
        "What is the main point of the article?",
        "what's the main finding?",
        "What are the key takeaways of the story?",
        "give me the key findings",
        "What are the main points?",
        "What is the topic?",
        "What does the article say?",
        "What is the bike lanes story about?",
        "tl;dr",
        "tl;dr of this one?",
        "tl;dr? what is this article even about",
        "what's this article about in a nutshell",
        "what is the story about, in a few words?",
        "what's this article about, tl;dr",
        "tl;dr pls",
        "what is the story about (tldr)",
    ],
)
def test_questions_asking_what_a_document_is_about(question: str) -> None:
    assert asks_for_overview(question)
    assert not asks_for_help(question) and not is_about_the_document(question)


@pytest.mark.parametrize(
    "question",
    [
        "What does the article say about parking?",
        "What is the night clinic about?",
        "Summarize what Lasky said",
        "What is the point of the bike lanes?",
        "What was the topic of the council meeting?",
        "What did it say?",
    ],
)
def test_questions_about_what_a_document_says_are_not_overviews(question: str) -> None:
    assert not asks_for_overview(question)


@pytest.mark.parametrize(
    "question",
    [
        "What documents do you have?",
        "What sources do you have?",
        "Which articles are indexed?",
        "What can you answer questions about?",
        "What do you cover?",
        "What are your sources?",
        "List the documents",
        "show me all the articles",
        "What's in your index?",
        "How many documents do you have?",
        "how many articles are there?",
    ],
)
def test_questions_asking_which_documents_the_bot_knows(question: str) -> None:
    assert asks_for_help(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who are the sources?",
        "What documents did the council publish?",
        "What did reports show?",
        "How many reports are there on the program?",
        "What examples does Kraut give?",
        "What do you do with fingerprints?",
    ],
)
def test_questions_about_documents_in_the_text_are_not_help(question: str) -> None:
    assert not asks_for_help(question)


@pytest.mark.parametrize(
    "question",
    [
        "What's the headline?",
        "What is the title?",
        "Who is the author?",
        "byline?",
        "which publication",
        "What website is this from?",
        "Which newspaper ran it?",
        "is there an author?",
        "who wrote this",
        "When did this article come out?",
        "when did it come out",
        "When was the story released?",
        "When did this piece go up?",
        "when was the pellham librarian interview published",
        "who did the interview with the retiring librarian",
        "who interviewed him?",
        "Who wrote the Cherry Orchard review?",
        "and who reported that one?",
        "who covered this story",
    ],
)
def test_a_bare_headline_or_author_question_is_about_the_document(question: str) -> None:
    assert is_about_the_document(question)


def test_how_does_it_work_is_help_alone_and_a_follow_up_in_a_thread(answerer: Answerer) -> None:
    assert answerer.answer("How does it work?").kind == "help"
    _, second = _converse(answerer, "What is the night clinic?", "How does it work?")
    assert second.kind != "help" and second.answered


def test_who_wrote_this_with_no_earlier_answer_is_about_the_document(answerer: Answerer) -> None:
    answer = answerer.answer("who wrote this")
    assert answer.kind == "metadata" and "names its author" in answer.message
    in_a_thread = answerer.answer(
        "who wrote this", conversation=Conversation().then(answerer.answer("What did Lin say?"))
    )
    assert in_a_thread.kind != "metadata"  # there, "this" is the quote just given


@pytest.mark.parametrize(
    "question",
    [
        "What is Lasky's title?",
        "Who is the author of the plan?",
        "What year does the article say the lanes open?",  # what it says, not when
        "What is the date of the council vote?",
        "How old is the clinic?",
        "Harold Wilson published a report in what year?",  # a report in the story
        "In what year did the city release an important document about parking?",
        "Where does 'implode' appear in the article?",  # where the words are
        "What is the latest news in the article?",
        "what date",  # in a thread, maybe the date of what was just quoted
        "Which paper did Kraut write?",
        "When were the e-mails released?",  # released in the story
        "An illustrated, paraphrased version of this appeared when?",  # SQuAD: a book
        "When did the program come out?",
        "How many cities had joined as of the article's publication?",  # a point in time
        "When did the interview take place?",
        "What did she say in the interview?",
        "What came out of the French raid on the trading post?",  # what resulted
        "When did an illustrated paraphrase of this come out?",  # of this: something else
    ],
)
def test_a_title_date_or_author_of_something_else_is_not(question: str) -> None:
    assert not is_about_the_document(question)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What does ICE stand for?", Abbreviation("ICE", only_spelling=True)),
        ("what does the acronym FOIA mean", Abbreviation("FOIA", only_spelling=True)),
        ("What's DHS short for?", Abbreviation("DHS", only_spelling=True)),
        ("What is the full name of the FBI?", Abbreviation("FBI", only_spelling=True)),
        ("ICE stands for what?", Abbreviation("ICE", only_spelling=True)),
        ("What is “ICE”?", Abbreviation("ICE", only_spelling=False)),
        ("what does ICE stand for in the article", Abbreviation("ICE", only_spelling=True)),
        ("What is ICE here?", Abbreviation("ICE", only_spelling=False)),
        ("what does ICE stand for there", Abbreviation("ICE", only_spelling=True)),
        ("What is Secure Communities?", None),
        ("What is the FBI's budget?", None),
        ("What is A?", None),
        ("vBNS stands for what", Abbreviation("vBNS", only_spelling=True)),  # a small letter first
        ("What is mRNA?", Abbreviation("mRNA", only_spelling=False)),
        ("What is iPhone?", None),
    ],
)
def test_abbreviation_questions(question: str, asked: Abbreviation | None) -> None:
    assert abbreviation_asked(question) == asked


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Does the article mention Chicago?", "Chicago"),
        ("Is Chicago mentioned?", "Chicago"),
        ("Does it say anything about California?", "California"),
        ("Is there anything about fingerprints?", "fingerprints"),
        ("Anything on the attorney general?", "the attorney general"),
        ("Is Pender mentioned in the article?", "Pender"),
        ("Where does the story mention Houston?", "Houston"),
        ("Which article mentions Chicago?", "Chicago"),
        ("What stories talk about parking?", "parking"),
        ("Which of the documents mention the regional grant?", "the regional grant"),
        ("Which article is the longest?", None),
        ("Find the part about fingerprints", "fingerprints"),
        ("Can you quote the sentence about ICE?", "ICE"),
        ("show me the passages mentioning the regional grant", "the regional grant"),
        ("Find the clinic", None),
        ("What did Pender say?", None),
        ("Where is the clinic?", None),
        ("Is the program mandatory?", None),
        ("Anything else?", None),
        ("What does the article say about Chicago?", "Chicago"),
        ("what do your sources say on the regional grant", "the regional grant"),
        ("What does it say about parking?", "parking"),
        # a question of its own, not words to look for
        ("Does the article name the official who said DHS had ruled out opting out?", None),
        ("What does the article say about why the clinic opened at night?", None),
    ],
)
def test_mention_questions(question: str, subject: str | None) -> None:
    assert mention_asked(question) == subject


# --- what a document is about ----------------------------------------------------------------


def test_with_several_documents_and_no_thread_the_bot_asks_which(answerer: Answerer) -> None:
    answer = answerer.answer("What is the article about?")
    assert answer.kind == "help" and not answer.answered and not answer.quotes
    assert (
        "I know 2 documents" in answer.message and "Hospital opens night clinic" in answer.message
    )


@pytest.mark.parametrize(
    "question",
    ["What are the articles about?", "summarize your documents", "What is each story about?"],
)
def test_what_the_documents_are_about_quotes_how_each_opens(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and answer.message.startswith("What each of my documents is about")
    assert {q.document.title for q in answer.quotes} == {
        "City council splits over downtown bike lanes",
        "Hospital opens night clinic",
    }


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What's the latest article?", "Hospital opens night clinic"),  # 8 April 2019
        ("When was the oldest story published?", "City council splits over downtown bike lanes"),
        ("Who is quoted in the newest story?", "Hospital opens night clinic"),
    ],
)
def test_the_latest_or_oldest_document_is_chosen_by_its_date(
    answerer: Answerer, question: str, title: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and f"“{title}”" in answer.message
    other = {d.title for d in answer.documents} - {title}
    assert not any(f"“{t}”" in answer.message for t in other)


def test_which_nurse_is_quoted_says_who_the_one_it_fits_is(answerer: Answerer) -> None:
    answer = answerer.answer("Which nurse is quoted, and what is her job?")
    assert answer.answered and answer.kind == "quotes" and len(answer.quotes) == 1
    attribution = answer.quotes[0].attribution
    assert attribution is not None and attribution.role == "A nurse who asked not to be named"
    several = answerer.answer("Which directors are quoted?")  # Oduya and Lin: the roster
    assert several.kind == "speakers"
    assert roster_described("Which people are quoted?") is None  # no word for a person


@pytest.mark.parametrize(
    ("question", "described"),
    [
        ("Is there an academic quoted?", "academic"),
        ("Are any experts cited in the story?", "experts"),
        ("Does the bike lanes story quote any politicians?", "politicians"),
        ("did the reporter talk to a lawyer", "lawyer"),
        ("Are any senators quoted?", "senators"),
        ("Did they talk to a lawyer?", None),  # "they": the people in the story
        ("Is there a plan quoted?", None),  # not a word for a person
        ("Does the article quote any studies?", None),
    ],
)
def test_questions_asking_whether_a_kind_of_person_is_quoted(
    question: str, described: str | None
) -> None:
    assert roster_described(question) == described


def test_what_a_kind_of_person_said_is_the_one_whose_role_it_takes_in(
    answerer: Answerer,
) -> None:
    answer = answerer.answer("What did the politician say?")  # the deputy mayor
    assert _speaker(answer) == "Ellen Okafor"


def test_a_kind_of_person_is_found_by_the_roles_it_takes_in(answerer: Answerer) -> None:
    politician = answerer.answer("Is there a politician quoted?")  # the deputy mayor
    assert politician.kind == "quotes" and _speaker(politician) == "Ellen Okafor"
    assert politician.message == "Ellen Okafor is Deputy mayor."
    none = answerer.answer("Does the bike lanes story quote any academics?")
    assert none.kind == "speakers"
    assert none.message.startswith("No one quoted is described as “academics”. Everyone quoted:")
    assert [s.name for s in none.speakers] == [
        "Priya Venkataraman",
        "Gordon Lasky",
        "Ellen Okafor",
    ]


def test_a_kind_of_person_is_found_without_comparing_every_pair_of_speakers(
    answerer: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # at 1M chunks (44,000 speakers) each fitting speaker was looked for in the whole roster
    # by equality: "Who is the expert?" took 9 s there
    compared = 0
    equal = Speaker.__eq__

    def counted(self: Speaker, other: object) -> bool:
        nonlocal compared
        compared += 1
        return equal(self, other)

    monkeypatch.setattr(Speaker, "__eq__", counted)
    speakers = len(answerer._retriever.index.speakers)
    for question in ("Is there a politician quoted?", "Which directors are quoted?"):
        answerer.answer(question)
    assert compared < speakers


def test_compare_what_two_speakers_said_quotes_each(answerer: Answerer) -> None:
    answer = answerer.answer("Compare what Lasky and Okafor said")
    assert _speakers(answer) == ["Gordon Lasky", "Ellen Okafor"]


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What is the bike lanes story about?", "City council splits over downtown bike lanes"),
        ("Summarize the night clinic article", "Hospital opens night clinic"),
    ],
)
def test_the_document_described_is_the_one_summed_up(
    answerer: Answerer, question: str, title: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered and answer.kind == "quotes"
    assert answer.quotes[0].document.title == title


def test_in_a_thread_it_is_the_document_last_quoted(answerer: Answerer) -> None:
    clinic, overview = _converse(answerer, "Who is Martin Oduya?", "What is it about?")
    document = clinic.quotes[0].document
    assert document.title == "Hospital opens night clinic"
    assert overview.answered and overview.kind == "quotes"
    opening = overview.quotes[0]
    assert opening.document == document and opening.passage == "body"  # it has no standfirst
    assert overview.confidence == "medium" and "opens" in overview.message
    text = (DATA / "invented_night_clinic.txt").read_text(encoding="utf-8")
    assert text[opening.char_start : opening.char_end] == opening.text
    assert opening.text.startswith("The Millbrook general hospital opened a night clinic")
    assert "Hospital opens night clinic" in overview.message


@pytest.mark.parametrize(
    ("question", "who", "topic"),
    [
        ("What was Lasky's reply?", "Lasky", None),
        ("What was Oduya's view on the grant?", "Oduya", "the grant"),
        ("What were Grace Lin's words?", "Grace Lin", None),
        ("Quotes from Lasky?", "Lasky", None),
        ("Any comment from Oduya about staff?", "Oduya", "staff"),
        ("What was said by the director?", "the director", None),
        ("Tell me what Lin thinks about the cost", "Lin", "the cost"),
        ("Anything from Lasky?", "Lasky", None),
        ("Anything from Oduya on staff?", "Oduya", "staff"),
        ("what didnt he think they needed", "he", "they needed"),
        ("lasky's worry re parking?", "lasky", "parking"),
        ("What was Oduya's concern?", "Oduya", None),
        ("what did the official say in it", "the official", None),
        ("What did Lasky not say about parking?", "Lasky", "parking"),
    ],
)
def test_other_ways_of_asking_what_someone_said(question: str, who: str, topic: str | None) -> None:
    assert about_speaker(question) == AboutSpeaker("said", who, topic)


@pytest.mark.parametrize(
    ("question", "who", "topic"),
    [
        (
            "According to Lasky, what will happen to parking?",
            "Lasky",
            "what will happen to parking",
        ),
        (
            "Why is the clinic short of staff, according to the nurse?",
            "the nurse",
            "Why is the clinic short of staff",
        ),
        (
            "why are shop owners worried, according to lasky?",
            "lasky",
            "why are shop owners worried",
        ),
        ("Why would parking go, per the shop owner?", "the shop owner", "Why would parking go"),
    ],
)
def test_according_to_someone_is_what_they_said(question: str, who: str, topic: str) -> None:
    assert about_speaker(question) == AboutSpeaker("said", who, topic)


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("okafor title?", "okafor"),
        ("What is Lasky's job?", "Lasky"),
        ("what's the role of the nurse", "the nurse"),
        ("what is her role?", "she"),
        ("whats the professors specialty", "the professors"),  # the roster reads the plural
        ("What is the nurse's area of expertise?", "the nurse"),
        ("what's Okafor's field?", "Okafor"),
        ("What is the article's title?", None),  # the document's details
        ("What's the title?", None),
        ("job title?", None),
    ],
)
def test_questions_asking_someones_role(question: str, who: str | None) -> None:
    asked = about_speaker(question)
    assert (asked and asked.who) == who
    assert asked is None or asked.form == "who_is"


def test_a_terse_role_question_gives_the_role(answerer: Answerer) -> None:
    answer = answerer.answer("okafor title?")
    assert answer.message == "Ellen Okafor is Deputy mayor."


def test_what_did_he_add_and_his_own_words(answerer: Answerer) -> None:
    added = about_speaker("what did he add?")
    assert added == AboutSpeaker("said", "he", None, more=True, added=True)  # what else
    assert about_speaker("his direct quote?") == AboutSpeaker("said", "he", None, direct=True)
    assert about_speaker("her words") == AboutSpeaker("said", "she", None)


def test_a_contracted_did_is_read_as_did(answerer: Answerer) -> None:
    assert contractions_written_out("what'd lasky say? how’d it go") == (
        "what did lasky say? how did it go"
    )
    assert contractions_written_out("who'd want that?") == "who'd want that?"
    answer = answerer.answer("what'd lasky say?")
    assert answer.message.startswith("Gordon Lasky is quoted")


def test_according_to_a_name_in_lower_case_is_the_speakers_words(answerer: Answerer) -> None:
    answer = answerer.answer("what is the clinic short of, according to lin?")
    assert _speaker(answer) == "Grace Lin"  # what Lin says, not the nurse's "short of staff"
    searched = answerer.answer("when will the council vote, according to reports?")
    assert "19 March" in _texts(searched)[0]  # no one called "reports": searched


@pytest.mark.parametrize(
    "question",
    [
        "According to the theory, what does the name mean?",
        "Who makes sure members vote according to the party line?",
        "Which schools are included, according to several governments?",
    ],
)
def test_according_to_something_other_than_a_person_is_searched(question: str) -> None:
    assert about_speaker(question) is None


@pytest.mark.parametrize("question", ["What is the clinic's aim?", "What were the lanes' costs?"])
def test_a_possessive_that_is_not_about_words_is_not_a_speaker_question(question: str) -> None:
    assert about_speaker(question) is None


def test_who_said_that_is_the_last_quotes_speaker(answerer: Answerer) -> None:
    said, who = _converse(answerer, "What did Oduya say?", "Who said that?")
    assert _speaker(said) == "Martin Oduya"
    assert who.answered and _speaker(who) == "Martin Oduya"
    assert who.message == "Martin Oduya is the hospital's director."


def test_who_said_that_of_the_documents_own_words(answerer: Answerer) -> None:
    opened, who = _converse(answerer, "When did the night clinic open?", "Who said that?")
    assert opened.quotes and opened.quotes[0].attribution is None
    assert who.answered and who.kind == "metadata" and not who.quotes
    assert "No one is quoted saying that" in who.message
    assert "Hospital opens night clinic" in who.message


def test_who_said_that_of_a_speaker_no_longer_indexed_is_not_guessed(answerer: Answerer) -> None:
    gone = Turn("What did Ada say?", "Ada", Attribution("Ada Byron", None), "seeds/gone.txt")
    answer = answerer.answer("Who said that?", conversation=Conversation((gone,)))
    assert not answer.answered and answer.kind == "no_answer"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who said that?", True),
        ("which one said that?", True),
        ("who wrote this", True),
        ("Whose words are those?", True),
        ("And who said it?", True),
        ("Who said the lanes would help?", False),
        ("Who is quoted?", False),
    ],
)
def test_who_said_it_questions(question: str, asks: bool) -> None:
    assert asks_who_said_it(question) == asks


def test_turns_round_trip_and_malformed_payloads_are_ignored() -> None:
    turn = Turn("q", "q words", Attribution("A B", "role"), "seeds/a.txt", (("seeds/a.txt", 1, 9),))
    assert from_payload(json.loads(json.dumps(to_payload(turn)))) == turn
    for bad in [None, 3, "x", {}, {"question": "q"}, {"question": "q", "query": "q", "shown": [1]}]:
        assert from_payload(bad) is None


def test_conversations_are_bounded() -> None:
    conversation = Conversation()
    answer = Answer("q", True, "high", turn=Turn("q", "q"))
    for _ in range(MAX_TURNS + 5):
        conversation = conversation.then(answer)
    assert len(conversation.turns) == MAX_TURNS
    assert follow_up("What else?", conversation).more


def test_stdin_lines_name_their_thread() -> None:
    assert read_question_line("plain question") == ("plain question", None)
    assert read_question_line('{"question": "Q?", "thread": "t1"}') == ("Q?", "t1")
    assert read_question_line('{"question": "Q?", "thread": 7}') == ("Q?", "7")
    assert read_question_line('{"not": "a question"}') == ('{"not": "a question"}', None)
    assert read_question_line("{broken") == ("{broken", None)
    assert question_line_problem('{"question": "Q?", "thread": 7}') is None
    assert question_line_problem("plain question") is None
    assert question_line_problem('{"not": "a question"}') == 'no "question" string in it'
    assert question_line_problem("{broken").startswith("not valid JSON")
    assert question_line_problem('{"question": null}') == 'no "question" string in it'
    threads = Threads()
    assert threads.get(None) is None and threads.get("new") == Conversation()


# --- Slack: a thread is a conversation -----------------------------------------------------


@pytest.fixture(scope="module")
def slack(
    answerer: Answerer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[WebApiStandIn, SocketModeStandIn]]:
    with socket_mode_bot(answerer, tmp_path_factory.mktemp("slack") / "feedback.sqlite3") as bot:
        yield bot


def _ask_in_slack(
    api: WebApiStandIn, socket: SocketModeStandIn, event: dict[str, object], count: int
) -> dict[str, object]:
    socket.send_envelope("events_api", event_callback(event))
    return api.wait_for("chat.postMessage", count, timeout=60)[-1].body


@pytest.mark.e2e  # a WebSocket server and the bot on threads
def test_a_mention_in_the_thread_continues_the_conversation(
    slack: tuple[WebApiStandIn, SocketModeStandIn],
) -> None:
    api, socket = slack
    api.clear()
    first = mention("What did Gordon Lasky say?")
    posted = _ask_in_slack(api, socket, first, 1)
    assert "Lasky" in json.dumps(posted)
    root = str(first["ts"])
    follow = mention("what else did he say?", thread_ts=root)
    posted = _ask_in_slack(api, socket, follow, 2)
    replies = api.calls_to("conversations.replies")
    assert replies and replies[-1].body["ts"] == root
    assert posted["thread_ts"] == root
    text = json.dumps(posted, ensure_ascii=False)
    assert "everything Gordon Lasky is quoted saying" in text  # "he" is Lasky, shown already


@pytest.mark.parametrize(
    ("question", "joined"),
    [
        ("Under which law?", True),
        ("By whom?", True),
        ("and in what year?", True),
        ("For how many years?", True),
        ("In which city does Lasky run a shop?", False),  # a question of its own
        ("Under the plan, who pays?", False),
    ],
)
def test_a_phrase_alone_completes_the_earlier_question(question: str, joined: bool) -> None:
    conversation = Conversation().then(Answer("q", True, "high", turn=Turn("q", "Who asked?")))
    follow = follow_up(question, conversation)
    assert (follow.query == f"{question} Who asked?") is joined


@pytest.mark.parametrize(
    ("question", "only"),
    [
        ("When was this published?", True),
        ("Who wrote the article?", True),
        ("When was the bike lanes story published?", True),  # the title words say which
        ("When was the article about the night clinic published?", False),
    ],
)
def test_a_question_naming_only_the_document(question: str, only: bool) -> None:
    assert is_about_the_document(question)
    assert names_only_the_document(question) is only


def _published(answer: Answer) -> set[str]:
    assert answer.kind == "metadata"
    return {d.title for d in answer.documents if f"“{d.title}” was published" in answer.message}


def test_publication_details_of_thedocument_described(answerer: Answerer) -> None:
    bikes, clinic = "City council splits over downtown bike lanes", "Hospital opens night clinic"
    assert _published(answerer.answer("When was the bike lanes story published?")) == {bikes}
    assert _published(answerer.answer("When was the night clinic article published?")) == {clinic}
    assert _published(answerer.answer("When was the article on the night clinic published?")) == {
        clinic
    }
    assert _published(answerer.answer("When was this published?")) == {bikes, clinic}
    _, in_thread = _converse(answerer, "What did Grace Lin say?", "When was it published?")
    assert _published(in_thread) == {clinic}


def test_how_many_documents_is_told_with_the_list(answerer: Answerer) -> None:
    answer = answerer.answer("How many documents do you have?")
    assert answer.kind == "help" and "I know 2 documents:" in answer.message


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("What about Lin?", "Lin"),
        ("and how about the nurse", "the nurse"),
        ("And the clinic?", "the clinic"),
        ("And what did he add?", None),  # a question of its own, about the last speaker
        ("What about it?", None),  # refers back as a whole
    ],
)
def test_what_about_x_swaps_what_the_question_is_about(question: str, phrase: str | None) -> None:
    turn = Turn("q", "What did Oduya say?", Attribution("Martin Oduya", None))
    follow = follow_up(question, Conversation().then(Answer("q", True, "high", turn=turn)))
    assert follow.other_phrase == phrase
    if phrase is not None:
        assert follow.query == question and follow.fallback == f"{question} What did Oduya say?"


def test_what_about_a_speaker_gives_their_words(answerer: Answerer) -> None:
    _, lin = _converse(answerer, "What did Oduya say?", "What about Lin?")
    assert _speaker(lin) == "Grace Lin"
    _, nurse = _converse(answerer, "What did Oduya say?", "And the nurse?")
    assert nurse.quotes[0].attribution is not None
    assert "nurse" in (nurse.quotes[0].attribution.role or "")


@pytest.mark.parametrize(
    ("question", "meant"),
    [
        ("hey bot, what could implode?", "what could implode?"),
        ("Hello there, who is quoted?", "who is quoted?"),
        ("hey bot what did Lin say", "what did Lin say"),
        ("Q: When was it published?", "When was it published?"),
        ("Question: who runs the clinic?", "who runs the clinic?"),
        ("@quotebot who runs the clinic?", "who runs the clinic?"),
        ("pls tell me what could implode", "what could implode"),
        ("Could you please tell me who Lin is?", "who Lin is?"),
        ("I'd like to know when the vote is", "when the vote is"),
        ("What did Lin say, please?", "What did Lin say?"),
        ("Is it mandatory? thanks!", "Is it mandatory?"),
        ("hey, thanks!", "thanks!"),
        ("ok so what does the clinic do", "what does the clinic do"),
        ("can u paste the para listing the places that want out", "the places that want out"),
        ("paste the paragraph where Lin says it opens late", "Lin says it opens late"),
        ("who compared this whole thing to nuclear war lol", "who compared it to nuclear war"),
        ("who said it tbh?", "who said it?"),
        # left alone: nothing but a greeting or thanks, and words that only look like one
        ("hi", "hi"),
        ("Hi there!", "Hi there!"),
        ("thanks", "thanks"),
        (
            "What issues may members vote on as they please?",
            "What issues may members vote on as they please?",
        ),
        ("So far, which states left?", "So far, which states left?"),
        ("Well-known critics?", "Well-known critics?"),
        ("Yo-Yo Ma?", "Yo-Yo Ma?"),
        ("lol", "lol"),
        ("Who invented the whole-wheat loaf?", "Who invented the whole-wheat loaf?"),
        ("paste the first paragraph", "paste the first paragraph"),  # a place in the story
        ("show me the part about Lin", "show me the part about Lin"),  # `mention_asked`
    ],
)
def test_what_only_addresses_the_bot_is_left_out(question: str, meant: str) -> None:
    assert without_preamble(question) == meant


@pytest.mark.parametrize(
    ("question", "keywords"),
    [
        ("rift", "rift"),
        ("what rift?", "rift"),
        ("nuclear war", "nuclear war"),
        ("the 1975 plan", "1975 plan"),
        ("bike lane funding", None),  # three words
        ("who is Lin", None),
        ("what is it", None),
        ("Why?", None),
        ("opt out confusion dhs", None),  # a search box query of four words: the gate weighs it
    ],
)
def test_bare_keywords(question: str, keywords: str | None) -> None:
    assert bare_keywords(question) == keywords


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("what came before that?", "before"),
        ("and before that?", "before"),
        ("What is the previous paragraph?", "before"),
        ("and after?", "after"),
        ("next paragraph", "after"),
        ("and then what", "after"),
        ("what happened next?", "after"),
        ("more context", "around"),
        ("can you give more context?", "around"),
        ("full paragraph please", "around"),
        ("What happened after the vote?", None),  # a question about the story
        ("then what did the council decide?", None),
        ("What is the context of the plan?", None),
        ("next", None),  # "What else?"
    ],
)
def test_questions_asking_for_the_text_around_a_quote(question: str, where: str | None) -> None:
    assert context_asked(question) == where


def test_the_text_before_and_after_a_quote(answerer: Answerer) -> None:
    first, before, after, around = _converse(
        answerer, "What did Lasky say?", "what came before that?", "and after?", "more context"
    )
    assert "If my customers cannot park" in _texts(first)[0]
    assert before.message == "The paragraph before it:"
    assert _texts(before) == [
        normalise_space(
            "“Every study we have seen says that safe lanes bring more people downtown, not fewer,”"
            " said Priya Venkataraman, the council's transport chair. “We cannot keep designing our"
            " streets for 1975.”"
        )
    ]
    assert _speaker(before) == "Priya Venkataraman"
    assert "If my customers cannot park" in _texts(after)[0]  # after Priya's: Lasky's again
    assert around.message == "The paragraphs before and after it:"
    assert "Every study" in _texts(around)[0] and "Okafor" in _texts(around)[1]


@pytest.mark.parametrize(
    ("question", "earlier", "where"),
    [
        ("Who responded?", "What did Lasky say?", "next"),
        ("and who weighed in after that?", "Where is he based?", "next"),
        ("who replied to him?", "What did Lasky say?", "next"),
        ("What was the reply?", "What did the official say?", "next"),
        ("who spoke next?", None, "next"),
        ("Did anyone respond to that?", None, "next"),
        ("did anyone else reply", None, "next"),
        ("who agreed with that?", None, "next"),
        ("Who agreed with the plan?", None, None),  # about the story, not the thread
        ("and who responded just before him?", None, "before"),
        ("Who was he agreeing with?", None, "before"),
        ("what was she responding to?", None, "before"),
        ("Who did he reply to?", None, "before"),
        ("To which statement by a colleague was he responding?", None, "before"),
        ("What did he answer?", None, None),  # his own words: a speaker question
        ("To whom?", "What did Morris reply?", "before"),
        ("To whom?", "Who gets the data?", None),  # not about a reply: a fragment of that one
        ("Who responded to the survey?", None, None),
        ("What was the answer?", None, None),
        ("Who was next in line for the job?", None, None),
        # as typed by people whose English is not their first, or naming the exchange
        ("Who respond after him in the chain?", None, "next"),
        ("did anyone agree with him?", None, "next"),
        ("Did anyone agree with the plan?", None, None),
        ("What he was answering to?", None, "before"),
        ("what was she responding to in that thread?", None, "before"),
    ],
)
def test_questions_about_who_answered_whom(
    question: str, earlier: str | None, where: str | None
) -> None:
    assert reply_asked(question, earlier) == where


def test_did_he_say_anything_else_is_what_else_he_said(answerer: Answerer) -> None:
    assert about_speaker("Did he write anything else?") == AboutSpeaker(
        "said", "he", None, more=True
    )
    assert about_speaker("does Lasky say anything more about parking") == AboutSpeaker(
        "said", "Lasky", "parking", more=True
    )
    _, more = _converse(answerer, "What did Lasky say?", "did he say anything else?")
    assert not more.answered
    assert more.message == "That is everything Gordon Lasky is quoted saying in my documents."


def test_a_description_fitting_several_is_the_one_the_thread_quoted(answerer: Answerer) -> None:
    alone = answerer.answer("What did the director say?")  # Oduya and Lin: one of each
    assert [q.attribution.speaker for q in alone.quotes if q.attribution] == [
        "Martin Oduya",
        "Grace Lin",
    ]
    _, said = _converse(answerer, "Who is Grace Lin?", "and what did the director say there?")
    assert [q.attribution.speaker for q in said.quotes if q.attribution] == ["Grace Lin"]


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Who responded to Venkataraman?", ("next", "Venkataraman")),
        ("who replied after Lasky", ("next", "Lasky")),
        ("Who was Okafor agreeing with?", ("before", "Okafor")),
        ("Who did Lasky reply to?", ("before", "Lasky")),
        ("who did he reply to?", None),  # a pronoun: the thread's (`reply_asked`)
        ("What did Lasky answer?", None),  # his own words
        ("Who answered the phone?", None),
    ],
)
def test_questions_about_whom_someone_answered(
    question: str, asked: tuple[str, str] | None
) -> None:
    assert reply_to_someone(question) == asked


def test_who_responded_to_someone_named(answerer: Answerer) -> None:
    replied = answerer.answer("Who responded to Venkataraman?")
    assert _speaker(replied) == "Gordon Lasky"
    assert replied.message == "Quoted next: Gordon Lasky."
    before = answerer.answer("Who was Okafor replying to?")
    assert _speaker(before) == "Gordon Lasky"
    survey = answerer.answer("Who responded to the survey?")  # no one of that name: searched
    assert not survey.message.startswith("Quoted")


def test_who_responded_is_the_next_speaker_quoted(answerer: Answerer) -> None:
    first, replied, then, past = _converse(
        answerer,
        "What did Venkataraman say?",
        "Who responded?",
        "who spoke next?",
        "and who came after her?",
    )
    assert _speaker(first) == "Priya Venkataraman"
    assert _speaker(replied) == "Gordon Lasky" and replied.message == "Quoted next: Gordon Lasky."
    assert "If my customers cannot park" in _texts(replied)[0]
    assert _speaker(then) == "Ellen Okafor"  # after Lasky, not after Venkataraman again
    assert not past.answered and past.quotes == ()
    assert past.message == (
        "No one else is quoted after that in “City council splits over downtown bike lanes”."
    )


def test_did_anyone_else_reply_leaves_out_everyone_the_thread_quoted(answerer: Answerer) -> None:
    *_, replied_to, other = _converse(
        answerer,
        "What did Venkataraman say?",
        "Who responded?",
        "who was he replying to?",
        "did anyone else reply?",
    )
    assert _speaker(replied_to) == "Priya Venkataraman"
    assert _speaker(other) == "Ellen Okafor"  # after Venkataraman, and not Lasky again


def test_who_was_he_agreeing_with_is_the_speaker_quoted_before(answerer: Answerer) -> None:
    said, replied_to, whom = _converse(
        answerer, "What did Okafor say?", "Who was she replying to?", "who did he answer?"
    )
    assert _speaker(said) == "Ellen Okafor"
    assert _speaker(replied_to) == "Gordon Lasky"
    assert replied_to.message == "Quoted just before that: Gordon Lasky."
    assert _speaker(whom) == "Priya Venkataraman"  # "he" is now Lasky
    _, to_whom = _converse(answerer, "What did Lasky reply?", "To whom?")
    assert _speaker(to_whom) == "Priya Venkataraman"
    _, first = _converse(answerer, "What did Venkataraman say?", "Who was she agreeing with?")
    assert not first.answered and first.message.startswith("No one else is quoted before that")


def test_the_text_around_a_quote_stops_at_the_documents_edge(answerer: Answerer) -> None:
    first, after, past = _converse(
        answerer, "When will the council vote?", "and after?", "and after?"
    )
    assert "19 March" in _texts(first)[0]  # the story's last paragraph
    assert not after.answered and after.message.startswith("That is the last paragraph of “")
    assert not past.answered
    alone = answerer.answer("what came before that?")
    assert alone.kind == "help" and "no earlier answer" in alone.message


@pytest.mark.parametrize(
    ("phrase", "person"),
    [
        ("the president", "president"),
        ("California's governor", "governor"),
        ("the mayor of Chicago", "mayor"),
        ("the houston guy", None),  # not a word for a person the bot knows
        ("the report", None),
        ("Pender", None),  # a name: `Gate.missing_names` checks those
        ("the FBI", None),
    ],
)
def test_the_person_a_description_turns_on(phrase: str, person: str | None) -> None:
    assert person_described(phrase) == person


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "What did Lin say? And what did Oduya say?",
            ["What did Lin say?", "And what did Oduya say?"],
        ),
        ("Who is Lin? Where does she work? When was it published?", 3),
        ("Who said it? Why?", 1),  # "Why?" is too short to stand alone
        ("Really? What did Lin say?", 1),
        ("Who is Lin and what did she say?", 1),
        (
            "Which director does the story quote, and where does she work?",
            ["Which director does the story quote?", "where does she work?"],
        ),
        ("Lin, and what did she say?", 1),  # no question before the "and"
    ],
)
def test_a_message_asking_several_questions(message: str, parts: list[str] | int) -> None:
    found = separate_questions(message)
    assert found == parts if isinstance(parts, list) else len(found) == parts


def test_each_question_of_a_message_is_answered(answerer: Answerer) -> None:
    both = answerer.answer("What did Lasky say? And what did Okafor say?")
    assert [_speaker_of(q) for q in both.quotes[:2]] == ["Gordon Lasky", "Ellen Okafor"]
    half = answerer.answer("When will the council vote? What did Obama say?")
    assert half.answered and "19 March" in _texts(half)[0]
    assert half.message == "Nothing in my documents answers “What did Obama say?”."
    many = answerer.answer(
        "What did Lasky say? What did Okafor say? What did Lin say? What did Oduya say?"
    )
    assert len(many.quotes) == 3
    assert many.message.endswith("I answered the first 3 questions; ask the others on their own.")


def _speaker_of(quote: Quote) -> str | None:
    return quote.attribution.speaker if quote.attribution else None


def test_that_guy_is_the_speaker_the_thread_quoted(answerer: Answerer) -> None:
    _, based = _converse(answerer, "What did Okafor say?", "where's that guy based?")
    assert based.answered and "Ellen Okafor" in based.turn.query  # type: ignore[union-attr]
    who = follow_up("Is that official quoted again?", Conversation())
    assert who.query == "Is that official quoted again?"  # no thread: nobody to point at


def test_the_other_one_with_the_same_title_shares_the_speakers_role() -> None:
    def speaker(name: str, role: str, document: int = 0) -> Speaker:
        return Speaker(document, name, role, (Statement(1, "body", 0, 10, (0,)),))

    first, second = speaker("Ann Lee", "the deputy mayor"), speaker("Bo Ray", "the Deputy Mayor")
    roster = Roster(
        [first, speaker("Cy Dunn", "the mayor"), second, speaker("Di", "the deputy mayor", 1)]
    )
    assert roster.sharing_role(first) == [second]
    assert asks_for_same_job("guy w same title") and asks_for_same_job("one with the same role")
    assert not asks_for_same_job("same story")


def test_a_name_asked_for_by_description_is_a_who_question() -> None:
    assert asked_as_who("What's the full name of the official who said it could implode?") == (
        "Who said it could implode?"
    )
    assert asked_as_who("Name the person that wrote 'tough one'") == "Who wrote 'tough one'"
    assert asked_as_who("Who is the man who spoke last?") == "Who spoke last?"
    assert asked_as_who("What is the name of the river that flows through Paris?") == (
        "What is the name of the river that flows through Paris?"
    )
    quoted = asked_as_who("What's the name of the person who said 'If my customers cannot park'?")
    assert quoted == "Who said 'If my customers cannot park'?"
    # who is quoted saying some words asks who said them, not for everyone quoted
    saying = 'who is quoted saying "i agree"?'
    assert asked_as_who(saying) == 'Who said "i agree"?' and not asks_for_roster(saying)
    assert asked_as_who("who's quoted as saying it could implode") == "Who said it could implode"
    assert asks_for_roster("Who is quoted?") and asked_as_who("Who is quoted?") == "Who is quoted?"


def test_the_word_named_without_quotation_marks_is_looked_up(answerer: Answerer) -> None:
    assert words_asked_about("Who used the word mall?") == "mall"
    assert words_asked_about("What does the word mall mean?") is None
    found = answerer.answer("Who used the word mall?")
    assert _speaker(found) == "Gordon Lasky"
    named = answerer.answer("What is the name of the man who said 'they will drive to the mall'?")
    assert _speaker(named) == "Gordon Lasky"


@pytest.mark.parametrize(
    ("question", "described"),
    [
        ("whos the outside expert quoted", "outside expert"),
        ("Who is the academic cited in the article?", "academic"),
        ("who is the person quoted", None),  # no kind of person: the roster
        ("Which academic does the piece bring in for outside comment?", "academic"),
        ("which expert does the article quote", "expert"),
        ("Which city does the story use?", None),
        ("Is there a parent quoted?", "parent"),
        ("who's the academic they talked to", "academic"),
        ("Who is the engineer the reporter spoke with?", "engineer"),
        ("who is the person they talked to", None),
    ],
)
def test_who_is_the_kind_of_person_quoted(question: str, described: str | None) -> None:
    assert roster_described(question) == described


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("What's the date of the e-mail chain with Pender in it?", False),
        ("what date was the email chain with pender on it?", False),  # "it": the chain
        ("What date was the article published?", True),
        ("What was the year of the first vote in it?", False),
        ("What is the date of the article?", True),
        ("what is the date of publication of this piece", True),
    ],
)
def test_the_date_of_something_else_is_not_the_documents(question: str, about: bool) -> None:
    assert is_about_the_document(question) is about


@pytest.fixture(scope="module")
def with_interview(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    base = tmp_path_factory.mktemp("interview")
    return answerer_for(
        base, "invented_bike_lanes.txt", "invented_night_clinic.txt", "invented_ferry_interview.txt"
    )


def test_an_interview_s_answers_are_the_interviewee_s(with_interview: Answerer) -> None:
    found = with_interview.answer("Who said 'trust your eyes more'?")
    assert _speaker(found) == "Tomasz Wierzbicki"
    roster = with_interview.answer("Who is quoted in the harbour pilot interview?")
    listed = [s for s in roster.message.splitlines() if s.startswith("•")]
    # his answers, and the port authority he reports; not the interviewer's questions
    assert listed == ["• Tomasz Wierzbicki (4 statements)", "• The port authority (1 statement)"]
    (document,) = [d for d in with_interview._retriever.documents if "ferry" in d.path]
    assert document.section == "Island life"
    assert document.title.startswith("‘The sea keeps its own timetable’")
    published = with_interview.answer("when was the harbour pilot interview published")
    assert published.kind == "metadata" and "14 June 2022" in published.message


def test_whether_a_named_story_mentions_something_is_read_in_that_story(
    with_interview: Answerer,
) -> None:
    anywhere = with_interview.answer("Does the article mention the hospital?")
    assert anywhere.answered and "hospital" in anywhere.quotes[0].text.lower()
    # the night clinic story does; the bike lanes story, named, does not
    named = with_interview.answer("does the bike lanes story mention the hospital at all")
    assert not named.answered and "no mention" in named.message
    clinic = with_interview.answer("does the night clinic story mention the hospital")
    assert clinic.quotes[0].document.path.endswith("invented_night_clinic.txt")


@pytest.mark.parametrize(
    "question", ["Which story is the latest?", "which article is the most recent"]
)
def test_which_story_is_the_latest(with_interview: Answerer, question: str) -> None:
    answer = with_interview.answer(question)
    assert "The sea keeps its own timetable" in answer.message


def test_the_story_described_by_its_section_label(with_interview: Answerer) -> None:
    answer = with_interview.answer("Who is quoted in the health story?")
    listed = [s for s in answer.message.splitlines() if s.startswith("•")]
    assert any("Martin Oduya" in s for s in listed)
    assert not any("Lasky" in s or "Wierzbicki" in s for s in listed)  # the other stories


def test_several_speakers_of_the_kind_asked_for_are_listed_alone(with_interview: Answerer) -> None:
    answer = with_interview.answer("Are any directors quoted?")
    listed = [s for s in answer.message.splitlines() if s.startswith("•")]
    assert len(listed) == 2 and all("director" in s for s in listed)


def test_a_role_that_holds_every_word_beats_a_name_that_holds_one() -> None:
    def speaker(name: str, role: str) -> Speaker:
        return Speaker(0, name, role, (Statement(1, "body", 0, 10, (0,)),))

    club = speaker("Rachel Dunmore", "the club’s chief executive")
    town = speaker("Samuel Adeyemi", "the mayor of Dunmore")
    roster = Roster([club, town])
    assert roster.find("the mayor of Dunmore") == town
    assert roster.find("Dunmore") == club  # the name alone
    assert roster.find("executive Dunmore") == club  # its other word in her role


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("when was that", True),
        ("When did she say that?", True),
        ("When was that e-mail sent?", True),
        ("When was this written?", False),  # the document's date: `is_about_the_document`
        ("When was the plan approved?", False),
    ],
)
def test_when_was_that_asks_when_the_words_were_said(question: str, asked: bool) -> None:
    assert when_said_asked(question) is asked


def test_when_was_that_quotes_the_nearest_date_before_the_words(answerer: Answerer) -> None:
    _, when = _converse(answerer, "What did Venkataraman say?", "When did she say that?")
    assert when.answered and when.message == "The nearest date the document gives before it:"
    assert "on Tuesday" in _texts(when)[0]
    assert not gives_a_date("The lanes would run for three kilometres.")
    assert gives_a_date("in a 10 May e-mail chain") and gives_a_date("since 2009")


def test_when_was_that_with_no_date_near_says_so(answerer: Answerer) -> None:
    _, when = _converse(answerer, "What did Okafor say?", "when was that?")
    assert not when.answered and when.quotes == ()
    assert when.message == (
        "“City council splits over downtown bike lanes”, published 3 March 2019, does not say "
        "when that was said or written."
    )


def test_who_is_someone_quoted_only_later_gives_where_they_are_introduced(
    with_interview: Answerer,
) -> None:
    who = with_interview.answer("Who is Tomasz Wierzbicki?")
    assert who.answered and _texts(who)[0].startswith("After 31 years guiding ships")
    said = with_interview.answer("Who is Gordon Lasky?")  # named where first quoted: that
    assert _texts(said)[0].startswith("“If my customers cannot park")


def test_court_reports_name_their_lawyers_by_side() -> None:
    def speaker(name: str, role: str) -> Speaker:
        return Speaker(0, name, role, (Statement(1, "body", 0, 10, (0,)),))

    prosecuting, defending = (
        speaker("Claire Donnelly", "prosecuting"),
        speaker("Sam Ortiz", "Defence lawyer"),
    )
    roster = Roster([prosecuting, defending, speaker("Helen Marsh", "Judge")])
    assert roster.of_kind("prosecutor") == [prosecuting]
    assert roster.of_kind("lawyers") == [prosecuting, defending]


def test_the_roster_reads_each_role_once_not_once_a_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # at 1M chunks (44,000 speakers) "What did the engineer say?" re-read every role: 0.5 s
    def speaker(name: str, role: str, document: int) -> Speaker:
        return Speaker(document, name, role, (Statement(1, "body", 0, 10, (0,)),))

    people = [
        speaker("Ana Ruiz", "a professor of history", 0),
        speaker("Ben Cole", "Directors' union chair", 0),
        speaker("Cy Dunn", "the deputy director", 1),
        speaker("Di Moss", "the deputy director", 1),
        speaker("Ed Poe", "spokesman", 2),
    ]
    roster = Roster(people)
    assert roster.of_kind("academic") == [people[0]]
    read = 0
    real_words = speakers_module.words

    def counted(text: str) -> list[str]:
        nonlocal read
        read += 1
        return real_words(text)

    monkeypatch.setattr(speakers_module, "words", counted)
    assert roster.of_kind("directors") == [people[1], people[2], people[3]]
    assert roster.of_kind("spokesman") == [people[4]]
    assert read == 0
    assert roster.sharing_role(people[2]) == [people[3]]
    assert read <= 2  # the two roles of that document, not every speaker's


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "Stephen Morris - what's his title? need it for a caption",
            "what's Stephen Morris’s title?",
        ),
        ("Secure Communities: how does it work?", "how does Secure Communities work?"),
        ("Kraut: is he an FBI guy?", "is Kraut an FBI guy?"),
        (
            "TL;DR for my boss pls - what's this story about in one line",
            "what's this story about in one line",
        ),
        ("Who said that? it's for a caption", "Who said that?"),
        ("Re: what is it about?", "Re: what is it about?"),  # nothing named before the colon
        ("What is the 10-year plan - is it working?", "What is the 10-year plan - is it working?"),
        ("TL;DR of the Lasky quote - who is he?", "TL;DR of the Lasky quote - who is he?"),
    ],
)
def test_a_topic_named_first_and_why_it_is_asked(typed: str, read: str) -> None:
    assert without_preamble(typed) == read


def test_a_one_line_id_is_who_someone_is(answerer: Answerer) -> None:
    assert asked_as_who("need a one line ID for Gordon Lasky") == "Who is Gordon Lasky?"
    assert asked_as_who("quick bio of lasky?") == "Who is lasky?"
    assert asked_as_who("background on the program") == "background on the program"
    assert asks_for_overview("what's this story about in one line")
    who = answerer.answer("need a one line ID for Ellen Okafor")
    assert who.message == "Ellen Okafor is Deputy mayor."
    assert not is_about_the_document("do local cops choose to run it")  # not "ran the story"
    assert not is_about_the_document("I am confused about who run it.")  # who runs it


def test_thread_turns_as_a_newsroom_types_them() -> None:
    assert reply_asked("who replied first?", "What did the official say?") == "next"
    added = about_speaker("and what did roberts add to the thread?")
    assert added == AboutSpeaker("said", "roberts", None, more=True, added=True)
    assert without_preamble("remind me what ICE stands for") == "what ICE stands for"
    assert abbreviation_asked("what ICE stands for") == Abbreviation("ICE", only_spelling=True)


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("Which of the articles was published most recently?", "The sea keeps its own timetable"),
        ("Which story was published first?", "Bike lanes"),
    ],
)
def test_which_was_published_first_or_last(
    with_interview: Answerer, question: str, title: str
) -> None:
    assert title.lower() in with_interview.answer(question).message.lower()


def test_a_story_named_by_words_of_its_opening(with_interview: Answerer) -> None:
    # "parking" is not in the bike lanes story's title, but in its standfirst and first lines
    first = with_interview.answer("What does the first paragraph of the parking story say?")
    assert _texts(first)[0].startswith("A plan to replace 400 downtown parking spaces")
    who = with_interview.answer("in the parking story, who is quoted?")  # the piece put last
    assert {s.name for s in who.speakers} == {"Priya Venkataraman", "Gordon Lasky", "Ellen Okafor"}


def test_a_live_page_s_entry_by_its_time(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> None:
    live = answerer_for(tmp_path_factory.mktemp("live"), "invented_live_blog.txt")
    entry = live.answer("what happened at 16:05 in the heatwave live blog")
    assert entry.answered and _texts(entry)[0].startswith("16:05 — Trains slowed")
    assert _texts(entry)[1].startswith("Network operators have imposed")  # the entry's body
    assert len(entry.quotes) == 2  # not the next entry
    whats = live.answer("whats in the 17.20 update?")
    assert _texts(whats)[1].startswith("Ashcombe Water has confirmed")
    updated = live.answer("when was the heatwave live page last updated?")
    assert "22 July 2025" in updated.message
    assert update_asked("what happened at 15:10 in the storm live thing") == "15:10"
    assert update_asked("whats in the 11.45 update") == "11:45"
    assert update_asked("Did the meeting start at 10:30 pm?") is None
    assert update_asked("What is the ratio 3:45?") is None


def test_a_paragraph_by_place_of_which_document(with_interview: Answerer) -> None:
    unsure = with_interview.answer("What does the first paragraph say?")
    assert not unsure.answered and "tell me which one" in unsure.message
    answer = with_interview.answer("What does the first paragraph of the health story say?")
    assert answer.quotes[0].text.startswith("The Millbrook general hospital opened")


@pytest.mark.parametrize(
    "more", ["anything else from him?", "more from him", "what else?", "anything else he said?"]
)
def test_anything_else_from_him(answerer: Answerer, more: str) -> None:
    _, rest = _converse(answerer, "What did Gordon Lasky say?", more)  # his one statement
    assert rest.message == "That is everything Gordon Lasky is quoted saying in my documents."


@pytest.mark.parametrize("nonsense", ["what about pizza?", "banana", "asdfgh", "qwerty uiop"])
def test_words_the_documents_lack_are_no_follow_up(answerer: Answerer, nonsense: str) -> None:
    first, then = _converse(answerer, "Who is Gordon Lasky?", nonsense)
    assert first.answered
    assert not then.answered and then.quotes == ()


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("Who runs the clinic? I might try to book her.", "Who runs the clinic?"),
        ("Who runs the clinic? Need it for a caption.", "Who runs the clinic?"),
        ("Who said it? The part about parking.", "Who said it? The part about parking."),
        ("Who runs the clinic?", "Who runs the clinic?"),
        (
            "I'm booking guests for a radio segment on this. Which doctor does it quote?",
            "Which doctor does it quote?",
        ),
        ("I'm confused. The clinic?", "I'm confused. The clinic?"),  # no question to keep
        (  # what it asks about is in the remark
            "I'm looking for the part about parking. Who said it?",
            "I'm looking for the part about parking. Who said it?",
        ),
    ],
)
def test_a_remark_about_the_asker_after_the_question_is_left_out(message: str, asked: str) -> None:
    assert without_asides(message) == asked


def test_the_end_of_the_article_about_something(with_interview: Answerer) -> None:
    answer = with_interview.answer("How does the article about the night clinic end?")
    assert answer.answered and answer.quotes[0].document.title == "Hospital opens night clinic"
    assert answer.message.startswith("The last paragraph of")
    oldest = with_interview.answer("Which of the articles is the oldest?")
    assert "City council splits over downtown bike lanes" in oldest.message


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("Is Lin quoted? Short answer.", "Is Lin quoted?"),
        ("Who runs the clinic? Name only.", "Who runs the clinic?"),
        ("What did Lin say? Exact words please.", "What did Lin say?"),
    ],
)
def test_how_the_asker_wants_the_answer_is_no_part_of_the_question(
    message: str, asked: str
) -> None:
    assert without_asides(message) == asked


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("whats this article about", "what's this article about"),
        ("whos the academic in the piece", "who's the academic in the piece"),
        ("who didnt reply?", "who didn't reply?"),
        ("WHY DIDNT HE SAY SO", "WHY DIDN'T HE SAY SO"),
        ("is it about what's next", "is it about what's next"),  # already written out
        ("what's its name?", "what's its name?"),  # "its" is a word
    ],
)
def test_contractions_typed_without_their_apostrophe(typed: str, meant: str) -> None:
    assert contractions_written_out(typed) == meant


@pytest.mark.parametrize(
    "question", ["and the headline?", "what about the author?", "so the date?"]
)
def test_a_detail_of_the_document_asked_after_another(question: str) -> None:
    assert is_about_the_document(question)


@pytest.mark.parametrize(
    ("question", "described"),
    [
        ("who's the academic in the piece", "academic"),
        ("Who is the expert?", "expert"),
        ("who was the official in this story?", "official"),
        ("who is the mayor of chicago", None),  # a post, not someone quoted
        ("Who is the special agent in charge of Houston?", None),
    ],
)
def test_who_is_the_kind_of_person_asks_for_one_quoted(
    question: str, described: str | None
) -> None:
    assert roster_described(question) == described


@pytest.mark.parametrize(
    "question", ["what came before that in the thread?", "and before that in the article?"]
)
def test_where_a_follow_up_says_the_passage_is_changes_nothing(question: str) -> None:
    assert context_asked(question) == "before"


def test_a_follow_up_that_is_only_a_phrase_completes_the_earlier_question(
    answerer: Answerer,
) -> None:
    first, then = _converse(answerer, "What would the lanes replace?", "to do what?")
    assert first.answered and then.answered
    assert "parking spaces" in then.quotes[0].text


def test_whats_the_article_about_without_its_apostrophe(answerer: Answerer) -> None:
    answer = answerer.answer("whats this article about")  # two documents: which one?
    assert "I know 2 documents" in answer.message and "tell me which" in answer.message


REVIEWS = (
    Document("seeds/a.txt", "Councillors grill housing chiefs over overspend", "2024-10-09"),
    Document("seeds/b.txt", "The Salt Orchard review – a slow portrait of an island", "2024-05-06"),
    Document("seeds/c.txt", "Halvern Robotics to build plant in Lenmouth", "2025-03-03"),
)


@pytest.mark.parametrize(
    ("question", "path"),
    [
        ("Who is quoted in the hearing story about the repairs overspend?", "seeds/a.txt"),
        ("Who is quoted in The Salt Orchard review?", "seeds/b.txt"),
        ("When was the Halvern press release published?", "seeds/c.txt"),
    ],
)
def test_a_piece_described_by_what_it_is_about_a_review_and_a_press_release(
    question: str, path: str
) -> None:
    number = document_described(question, REVIEWS)
    assert number is not None and REVIEWS[number].path == path


@pytest.mark.parametrize("asked", ["which article is that from?", "Where is this from?"])
def test_which_document_the_passage_just_quoted_is_from(answerer: Answerer, asked: str) -> None:
    first, then = _converse(answerer, "What did Gordon Lasky say?", asked)
    assert then.kind == "metadata" and "City council splits over downtown bike lanes" in (
        then.message
    )
    alone = answerer.answer("which article is that from?")  # no passage quoted yet
    assert not alone.answered and "no earlier answer" in alone.message


_LONG_WORDS = """
from bot.conversation import _FRAGMENT, _OTHER, _REFERS_BACK, _SAME_JOB_ELSE, _WHAT_ABOUT
for opening in ("what about ", "and ", "what about the-", "to ", "like "):
    for body in ("a" * 1900 + "!", "x" * 1900 + ",", "a " * 900 + "!", "a." * 900 + "!"):
        for pattern in (_WHAT_ABOUT, _FRAGMENT, _OTHER, _REFERS_BACK, _SAME_JOB_ELSE):
            pattern.search(opening + body)
print("read")
"""


def test_a_long_run_of_letters_in_a_follow_up_is_read_in_linear_time() -> None:
    """A 2,000-character question used to take minutes in one regular expression (nested
    repetition: "what about aaa…a!"), holding the interpreter lock for every other thread; the
    process gets a bound no linear reading comes near."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _LONG_WORDS], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "read", done.stderr[-2000:]


@pytest.mark.parametrize("trade", ["clerk", "plumber", "firefighter", "cinematographer"])
def test_more_trades_are_kinds_of_person_one_may_ask_for(trade: str) -> None:
    assert roster_described(f"Is there a {trade} quoted?") == trade


@pytest.mark.parametrize("asked", ["who is the reporter?", "who's the writer"])
def test_the_reporter_is_who_wrote_the_document(answerer: Answerer, asked: str) -> None:
    assert roster_described(asked) is None and is_about_the_document(asked)
    assert answerer.answer(asked).kind == "metadata"


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("is chicago mentioned in the secure communities article?", "chicago"),
        ("Is Ruth Abernathy mentioned in the Brackwell canal transcript?", "Ruth Abernathy"),
        ("does the hedge study mention yew", "yew"),
        ("does the salt and ember review mention oysters", "oysters"),
    ],
)
def test_a_mention_asked_of_a_piece_described_by_its_subject(question: str, subject: str) -> None:
    assert mention_asked(question) == subject


def test_who_is_the_kind_needs_every_word_of_the_kind(answerer: Answerer) -> None:
    deputy = answerer.answer("who is the deputy mayor?")
    assert deputy.answered and "Ellen Okafor" in deputy.message
    norse = answerer.answer("Who was the Norse mayor?")  # not the deputy mayor quoted
    assert "Okafor" not in norse.message and norse.kind != "speakers"


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("what's the paragraph right before it?", "before"),
        ("What is the paragraph after that?", "after"),
    ],
)
def test_the_paragraph_right_before_or_after_it(question: str, where: str) -> None:
    assert context_asked(question) == where


def test_sum_it_up_and_any_academics_quoted() -> None:
    assert asks_for_overview("sum it up in a sentence")
    assert roster_described("any academics quoted in this?") == "academics"


@pytest.mark.parametrize(
    ("question", "who", "topic"),
    [
        ("what did he say exactly?", "he", None),  # how he said it, not what about
        ("What did Lasky say word for word?", "Lasky", None),
        (
            "according to lasky what's the worry about parking",
            "lasky",
            "what's the worry about parking",
        ),
    ],
)
def test_how_something_was_said_is_no_topic_and_according_to_without_a_comma(
    question: str, who: str, topic: str | None
) -> None:
    asked = about_speaker(question)
    assert asked is not None and (asked.who, asked.topic) == (who, topic)


def test_quick_q_without_punctuation_and_that_one(answerer: Answerer) -> None:
    who, plain = (
        answerer.answer("quick q whos Gordon Lasky"),
        answerer.answer("Who is Gordon Lasky?"),
    )
    assert (who.message, who.quotes) == (plain.message, plain.quotes)
    _, then = _converse(answerer, "Who is Gordon Lasky?", "what did that one say?")
    assert then.quotes and then.quotes[0].attribution is not None
    assert then.quotes[0].attribution.speaker == "Gordon Lasky"


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("Who else besides Pender is an assistant director?", "Pender"),
        ("who else other than Daniel Roberts has that job?", "Daniel Roberts"),
        ("Who besides Pender is quoted?", None),  # not "who else"
    ],
)
def test_someone_besides_whom_the_answer_leaves_out(question: str, who: str | None) -> None:
    assert someone_besides(question) == who


def test_a_word_people_use_for_a_post_finds_the_role_written_otherwise() -> None:
    manager = Speaker(
        0, "Neil Hargreaves", "Port Selby manager", (Statement(1, "body", 0, 9, (0,)),)
    )
    chair = Speaker(0, "Ana Pires", "the committee's chair", (Statement(2, "body", 10, 19, (1,)),))
    roster = Roster([manager, chair])
    assert roster.find("the Port Selby boss") == manager
    assert roster.find("the gaffer") == manager
    assert roster.find("the committee boss") == chair
    said = (Statement(3, "body", 20, 29, (2,)),)
    spokesman = Speaker(0, "Jens Lauritzen", "a spokesman for OCHA", said)
    spokeswoman = Speaker(1, "Lena Farrow", "a spokeswoman for the authority", said)
    both = Roster([spokeswoman, spokesman])
    assert both.find("its spokesman") == spokesman  # the word as written before another for it
    assert both.find("the authority's spokesperson") == spokeswoman
    founder = Speaker(0, "Dale Marchetti", "the brewery's founder", said)
    lawyer = Speaker(0, "Teresa Nakamura", "the brewery's lawyer", said)
    brewery = Roster([founder, lawyer])
    assert brewery.find("the brewery owner") == founder
    assert brewery.find("the brewery's attorney") == lawyer


@pytest.mark.parametrize(
    ("question", "who", "topic"),
    [
        ("what does the professor make of all this?", "the professor", None),
        ("what does he think is going on?", "he", None),
        ("What did Kraut think about the confusion?", "Kraut", "the confusion"),
        ("what's kraut's take on the whole mess", "kraut", None),
        ("whats roberts take on the opt-out question", "roberts", "the opt-out question"),
        ("what did morris think of this mess", "morris", None),
        ("what did pender say about the entire program", "pender", "the entire program"),
    ],
)
def test_what_someone_makes_of_it_asks_their_view(
    question: str, who: str, topic: str | None
) -> None:
    asked = about_speaker(question)
    assert asked is not None and (asked.form, asked.who, asked.topic) == ("said", who, topic)


@pytest.mark.parametrize(
    ("question", "roster", "document"),
    [
        ("who interviewed the harbour pilot", False, True),  # the interviewer: the byline
        ("who was interviewed", True, False),
        ("who got interviewed for the story", True, False),
        ("has he written a book on it?", False, False),  # his writing, not the document's
        ("has he written any books about this", False, False),
        ("did Oduya ever write about this?", False, False),
        ("who has written the article", False, True),
        ("when was it written", False, True),
    ],
)
def test_who_interviewed_someone_and_what_someone_wrote(
    question: str, roster: bool, document: bool
) -> None:
    assert asks_for_roster(question) is roster
    assert is_about_the_document(question) is document


def test_who_is_quoted_in_a_story_described_by_what_it_is_about(with_interview: Answerer) -> None:
    # no title has "late-shift" or "doctors"; the night clinic story is the one about them
    roster = with_interview.answer("Who is quoted in the late-shift doctors report?")
    listed = [s for s in roster.message.splitlines() if s.startswith("•")]
    assert any("Martin Oduya" in line for line in listed)
    assert not any("Wierzbicki" in line for line in listed)
    # a story about nothing the documents tell of is none of them: everyone quoted
    weather = with_interview.answer("Who is quoted in the weather report?")
    assert "Martin Oduya" in weather.message and "Wierzbicki" in weather.message
    # the kind of person asked for, in a case named as no story is
    director = with_interview.answer("who was the finance director in the night clinic case")
    assert _speaker(director) == "Grace Lin"


def test_someone_no_document_names_said_nothing_even_typed_in_lower_case(
    with_interview: Answerer,
) -> None:
    for question in ("what did obama say about the bike lanes", "What did Obama say about it?"):
        answer = with_interview.answer(question)
        assert not answer.answered and not answer.quotes
        assert "Obama" in answer.message
    caption = with_interview.answer("what does the image caption say")  # a thing, not a name
    assert "Caption" not in caption.message
    misspelt = with_interview.answer("what did wierzbiki say about fog")  # a typo of his name
    assert misspelt.answered and _speaker(misspelt) == "Tomasz Wierzbicki"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("the defence lawyer", ["Martin Quayle"]),  # "Defending, Martin Quayle said …"
        ("the defence", ["Martin Quayle"]),
        ("the prosecution lawyer", ["Rebecca Hollins"]),
        ("the judge", ["Eleanor Marsh"]),
    ],
)
def test_a_court_role_is_found_by_the_words_people_use_for_it(
    phrase: str, expected: list[str]
) -> None:
    said = Statement(paragraph=1, passage="body", start=0, end=9, chunk_ids=(0,))
    court = Roster(
        (
            Speaker(0, "Rebecca Hollins", "prosecuting on behalf of the agency", (said,)),
            Speaker(0, "Martin Quayle", "defending", (said,)),
            Speaker(0, "Eleanor Marsh", "Judge", (said,)),
        )
    )
    assert [s.name for s in court.find_all(phrase)] == expected


def test_where_it_was_said_must_be_in_the_documents(answerer: Answerer) -> None:
    refused = answerer.answer("what did Okafor say in the bakery case?")
    assert refused.quotes == () and "“bakery”" in refused.message
    found = answerer.answer("what did Okafor say at the meeting?")
    assert found.quotes and _speaker(found) == "Ellen Okafor"


def test_chat_words_are_read_as_the_words_news_writes() -> None:
    vocabulary = Vocabulary(["bicycles", "children", "only", "does"])
    assert vocabulary.short_forms_written_out("whos the one that only does bikes") == (
        "whos the one that only does bicycles"
    )
    assert vocabulary.short_forms_written_out("how many kids go there") == (
        "how many children go there"
    )


@pytest.fixture(scope="module")
def transfer(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    return answerer_for(tmp_path_factory.mktemp("transfer"), "invented_transfer.txt")


def test_he_after_a_passage_naming_one_speaker_is_that_speaker(transfer: Answerer) -> None:
    # the answer's passage is narration that names the striker: "he" is him, turn after turn
    thread = Conversation()
    first = transfer.answer("Who have Harbury Athletic signed?", conversation=thread)
    assert "signing of striker Mateus Ferreira-Lund" in first.quotes[0].text
    thread = thread.then(first)
    second = transfer.answer("where was he born?", conversation=thread)
    assert "born in Bergen" in second.quotes[0].text
    thread = thread.then(second)  # narration again, naming him by surname only
    third = transfer.answer("what did he say when he was unveiled?", conversation=thread)
    assert "I wanted a club where the manager trusts young players" in third.quotes[0].text
    attribution = third.quotes[0].attribution
    assert attribution is not None and attribution.speaker == "Mateus Ferreira-Lund"

