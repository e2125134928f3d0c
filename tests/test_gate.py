"""The answer gate: question forms users type, names the sources lack, captions, the seed.

Real model, real FAISS, on an article invented for these tests (no rule may name anything of
the seed) and on the seed with questions written apart from the shared sets.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answer import Answerer
from bot.conversation import Conversation
from bot.gate import (
    _A_TIME,
    _MONEY,
    asks_for_a_clock_time,
    asks_for_a_measure,
    asks_for_a_number,
    asks_for_a_share,
    asks_for_a_time,
    asks_for_a_year,
    asks_for_advice,
    asks_for_money,
    asks_how_it_turned_out,
    asks_who_said,
    contact_asked,
    earnings_asked,
    gives_a_reason,
    holds_what_is_asked,
    how_it_works_asked,
    lower_case_names,
    question_names,
    who_does,
)
from bot.records import Answer
from bot.sentences import normalise_space
from bot.vocabulary import Vocabulary, spelled_out
from tests.conftest import EVAL

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def article(
    tmp_path_factory: pytest.TempPathFactory, answerer_for: Callable[..., Answerer]
) -> Answerer:
    return answerer_for(tmp_path_factory.mktemp("invented"), "invented_bike_lanes.txt")


def _first(answer: Answer) -> str:
    assert answer.answered, answer.message
    return normalise_space(answer.quotes[0].text)


@pytest.mark.parametrize(
    ("question", "expected", "speaker"),
    [
        # yes/no
        (
            "Did the shop owners feel the lanes would help them?",
            "If my customers cannot park",
            "Gordon Lasky",
        ),
        # according to <a role noun>
        (
            "According to the transport chair, what do safe lanes do?",
            "safe lanes bring more people downtown",
            "Priya Venkataraman",
        ),
        # why
        ("Why is the deputy mayor against the plan?", "unless it included loading zones", None),
        # keyword query
        ("lasky customers mall", "drive to the mall instead", "Gordon Lasky"),
        # lowercase, no punctuation
        ("whats the deal with the bike lanes", "protected bike lanes", None),
        # a name misspelt by one letter
        ("What did Venkatraman say?", "Every study we have seen", "Priya Venkataraman"),
        ("How much will the lanes cost", "2.4 million dollars", None),
        ("When will the council vote?", "19 March", None),
    ],
)
def test_question_forms_users_type(
    article: Answerer, question: str, expected: str, speaker: str | None
) -> None:
    answer = article.answer(question)
    assert expected in _first(answer)
    if speaker is not None:
        attribution = answer.quotes[0].attribution
        assert attribution is not None and attribution.speaker == speaker


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("What did Barack Obama say about the bike lanes?", "Barack Obama"),
        ("Did the FIFA World Cup come to Millbrook?", "FIFA"),
        ("How many bike lanes were built in 2007?", "2007"),
        # the text has three of its four words, but not the surname: someone else
        ("What did Deputy Mayor Ellen Smith say about the lanes?", "Deputy Mayor Ellen Smith"),
        ("Did the MALT group back the plan?", "MALT"),  # an acronym is not a misspelt "mall"
    ],
)
def test_a_name_no_document_mentions_is_said_and_nothing_quoted(
    article: Answerer, question: str, missing: str
) -> None:
    answer = article.answer(question)
    assert not answer.answered and answer.kind == "no_answer" and answer.quotes == ()
    assert f"My sources don't mention “{missing}”" in answer.message


def test_a_post_or_a_name_the_corpus_writes_in_another_form_is_not_missing(
    tmp_path: Path, answerer_for: Callable[..., Answerer]
) -> None:
    story = tmp_path / "footbridge.txt"
    story.write_text(
        "Western Line footbridge opens\n\nBy Dana Holt\n\n"
        "The Western Line footbridge, designed by Ada Lund of Lund Partners, opened to walkers "
        "on Monday after two years of work. It cost 3.1 million pounds.\n",
        encoding="utf-8",
    )
    article = answerer_for(tmp_path / "built", story)
    designer = article.answer("Who was the designer of the footbridge?")  # "designed by"
    assert "designed by Ada Lund" in _first(designer)
    westerners = article.answer("Did Westerners get a footbridge?")  # "Western"
    assert "don't mention" not in westerners.message
    assert "don't mention “Easterners”" in article.answer("Did Easterners get one?").message
    assert "don't mention “founder”" in article.answer("Who is the founder of it?").message


@pytest.mark.parametrize(
    "question",
    [
        "What's the capital of Australia?",
        "How do I bake sourdough bread?",
        "who won the game last night",
        "Why don't cats like water?",
    ],
)
def test_off_topic_questions_are_refused(article: Answerer, question: str) -> None:
    answer = article.answer(question)
    assert not answer.answered and answer.quotes == ()


@pytest.mark.parametrize(
    ("question", "passage", "words"),
    [
        ("cyclists harbour street", "body", "Harbour Street"),  # the caption's words, too
        ("What does the photo show?", "caption", "old tram depot"),
    ],
    ids=["the body leads when it answers", "a caption answers about the picture"],
)
def test_which_passage_leads(article: Answerer, question: str, passage: str, words: str) -> None:
    answer = article.answer(question)
    assert answer.answered and answer.quotes[0].passage == passage
    assert words in answer.quotes[0].text


def _cases(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]


def test_seed_question_forms_written_apart_from_the_rules(answerer: Answerer) -> None:
    """Other phrasings of what the seed answers (tests/data/seed_forms.jsonl): issue #8 asks
    for at most 1 false refusal in 40 and the first quote right for 95 %; with 20 questions,
    at most one refusal and at most one wrong first quote."""
    refused, wrong = [], []
    for case in _cases(HERE / "data" / "seed_forms.jsonl"):
        answer = answerer.answer(str(case["question"]))
        expected = [normalise_space(str(e)) for e in case["expect_any"]]  # type: ignore[attr-defined]
        if not answer.answered:
            refused.append(case["id"])
        elif not any(e in normalise_space(answer.quotes[0].text) for e in expected):
            wrong.append(case["id"])
    assert len(refused) <= 1 and len(wrong) <= 1, (refused, wrong)


@pytest.mark.parametrize(
    "case",
    _cases(HERE / "data" / "offtopic_forms.jsonl") + _cases(EVAL / "offtopic.jsonl"),
    ids=lambda c: str(c["id"]),
)
def test_seed_off_topic_questions_are_refused(answerer: Answerer, case: dict[str, object]) -> None:
    answer = answerer.answer(str(case["question"]))
    assert not answer.answered and answer.quotes == ()


def test_question_names() -> None:
    assert question_names("Who painted the Mona Lisa?") == ["Mona Lisa"]
    assert question_names("What did the CIA say in 2019?") == ["CIA", "2019"]
    assert question_names("Did Kraut feel the FBI was confused?") == ["Kraut", "FBI"]
    assert question_names("whats the deal with secure communities") == []
    assert question_names("What Did The Council Decide?") == ["Council Decide"]
    assert question_names("¿Qué dijo Pender?") == ["Pender"]  # the capital only starts it
    # the asker and Slack's chatter are no names the documents should mention
    assert question_names("sorry, I'm new here, what did Lasky say, ASAP?") == ["Lasky"]
    assert question_names("so I’ve been asked: who is Okafor? FYI") == ["Okafor"]
    # a later sentence's first word, an English word, only starts it; a name there is one
    assert question_names("Was it mandatory? Sounds like they said both") == []
    assert question_names("who is he? Pender said so") == ["Pender"]


def test_a_capitalised_word_for_an_institution_is_not_a_missing_name(
    answerer: Answerer,
) -> None:
    question = (
        "What concern did a senior FBI official raise in an internal e-mail regarding the "
        "program's effect on the Bureau's relationships with local police departments?"
    )
    assert "jeopardize partnerships with local law enforcement" in _first(answerer.answer(question))
    assert not answerer.answer("What did the Bureau of Prisons say?").answered  # a name


def test_names_typed_in_lower_case() -> None:
    assert lower_case_names("what did eric holder decide?") == ["eric holder"]
    assert lower_case_names("what did the governor of illinois say") == ["illinois"]
    assert lower_case_names("did john say anything") == []  # no name after it
    assert lower_case_names("What did Eric Holder decide?") == []  # capitalised: question_names
    assert lower_case_names("will mark grant the request") == []  # everyday words
    assert lower_case_names("why did requests rose sharply") == []
    assert lower_case_names("were christian charities involved") == []


@pytest.mark.parametrize(
    "question",
    [
        "what did ice director john morton say about opting out?",
        "what did the governor of illinois say about the lanes?",
    ],
)
def test_a_name_typed_in_lower_case_that_no_document_has_is_missing(
    article: Answerer, question: str
) -> None:
    answer = article.answer(question)
    assert not answer.answered and answer.quotes == ()
    known = article.answer("what did gordon lasky say about parking?")  # in lower case too
    assert known.answered and "If my customers cannot park" in _first(known)


def test_an_identifier_no_document_has_is_missing(answerer: Answerer) -> None:
    refused = answerer.answer("What is the 287(g) program and how does it differ from others?")
    assert not refused.answered and "287(g)" in refused.message
    assert not answerer.answer("Do local police check the I-9 forms of detainees?").answered
    decade = answerer.answer("Did DHS change course in the mid-2000s?")  # a decade: no identifier
    assert "mid-2000s" not in decade.message


def test_a_post_no_document_names_has_no_holder_to_quote(answerer: Answerer) -> None:
    asked = "Who was the Secretary of Homeland Security when these e-mails were written?"
    refused = answerer.answer(asked)
    assert not refused.answered and "Secretary" in refused.message
    assert not answerer.answer("who is the mayor of chicago").answered
    engineer = answerer.answer("who's the engineer behind secure communities?")
    assert not engineer.answered and "engineer" in engineer.message
    named = answerer.answer("Who was the assistant director of the CJIS division?")  # a post it has
    assert named.answered and "assistant director" in _first(named)


def test_vocabulary_forgives_one_wrong_letter_and_reads_initials() -> None:
    vocabulary = Vocabulary(["Gordon Lasky spoke to the Department of Justice in Zürich."])
    assert vocabulary.correct("laskey") == "lasky"  # one letter too many
    assert vocabulary.correct("lasy") == "lasky"  # one too few
    assert vocabulary.correct("gordno") == "gordon"  # two swapped
    assert vocabulary.correct("zurich") == "zurich"  # accents folded
    assert vocabulary.correct("laskinov") is None
    assert vocabulary.correct("lsy") is None  # too short to guess
    assert vocabulary.has_initials("DOJ") and vocabulary.has_initials("DJ")
    assert not vocabulary.has_initials("CIA")


def test_initials_the_text_writes_with_full_stops_are_known_and_searched_so(
    answerer: Answerer,
) -> None:
    vocabulary = Vocabulary(
        ["Cities including Washington, D.C., and the U.S. capital told us of Secure Communities."]
    )
    assert vocabulary.has_initials("DC") and vocabulary.has_initials("US")
    assert vocabulary.initials_dotted("is DC leaving the CIA?") == "is D.C. leaving the CIA?"
    assert vocabulary.initials_dotted("did US officials say") == "did US officials say"  # "us"
    assert vocabulary.initials_dotted("is SC over") == "is SC over"  # a run's initials, not "S.C."
    left = answerer.answer("is DC trying to leave the program")  # was: "don't mention “DC”"
    assert left.answered and "Washington, D.C." in _first(left)


def test_initials_are_searched_as_the_words_of_the_title_they_stand_for(
    answerer: Answerer,
) -> None:
    works = answerer.answer("how does SC work in practice")  # "Secure Communities", the title's
    assert works.answered and "Under the program" in _first(works)


@pytest.mark.parametrize(
    ("text", "known", "unknown"),
    [
        ("After World War II ended, the port was rebuilt.", ["WWII", "WW2"], ["WW3", "WWIII"]),
        ("In the Second World War the port was bombed.", ["WWII", "WW2"], ["WWI", "WW3"]),
        ("The lines of the CD held.", [], ["CDII", "CD2"]),  # no number written: not known
    ],
)
def test_an_acronym_ending_in_a_number_is_known_by_the_words_and_the_number(
    text: str, known: list[str], unknown: list[str]
) -> None:
    vocabulary = Vocabulary([text])
    assert all(vocabulary.has_numbered_initials(a) for a in known)
    assert not any(vocabulary.has_numbered_initials(a) for a in unknown)


def test_an_acronym_is_known_as_it_is_or_with_two_letters_swapped() -> None:
    vocabulary = Vocabulary(["The TFEU sets the data rules."])
    assert vocabulary.has_acronym("tfeu") and vocabulary.has_acronym("tefu")
    assert not vocabulary.has_acronym("daca")  # one letter off "data": another word
    assert not vocabulary.has_acronym("tfeux")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("wat did Lasky say", "what did Lasky say"),
        ("wat else did he write", "what else did he write"),
        ("Waht is the plan?", "What is the plan?"),
        ("wehn was it published?", "when was it published?"),
        ("hwo is Lasky?", "hwo is Lasky?"),  # "who" or "how": left alone
        ("hot topics in the story", "hot topics in the story"),  # no verb after it
        ("spoke did he", "spoke did he"),  # a word of the text
        ("There is a plan?", "There is a plan?"),  # a common word, if not the text's
        ("What did Lasky say?", "What did Lasky say?"),
    ],
)
def test_a_question_word_typed_one_letter_off_is_read_as_meant(typed: str, read: str) -> None:
    vocabulary = Vocabulary(["Gordon Lasky spoke to the Department of Justice in Zürich."])
    assert vocabulary.question_word_fixed(typed) == read


def test_a_word_is_read_as_the_form_of_it_the_text_has() -> None:
    vocabulary = Vocabulary(["The lanes were paid for by a grant, he wrote. They went."])
    assert vocabulary.as_written("pays") == "paid"  # stemming does not join these
    assert vocabulary.as_written("writes") == "wrote"
    assert vocabulary.as_written("gone") == "went"
    assert vocabulary.as_written("grant") == "grant"
    assert vocabulary.as_written("grnat") == "grant"  # else one letter away, as before
    assert vocabulary.as_written("saw") is None  # as often a noun: not read as "see"
    assert Vocabulary(["Birds flee."]).as_written("fled") == "flee"  # not "fee"


def test_a_word_is_not_read_as_another_one_letter_away_when_it_is_a_word_itself() -> None:
    vocabulary = Vocabulary(["The policy was paid for by a grant and the data kept."])
    assert vocabulary.as_written("polciy") == "policy"  # a typo
    assert vocabulary.as_written("police") is None  # an English word: not "policy"
    assert vocabulary.as_written("daca") is None  # too short to be sure: not "data"
    assert vocabulary.as_written("grnt") == "grant"  # unless it is the letter left out
    assert Vocabulary(["easy last lasky"]).as_written("lasy") == "lasky"  # of those one off
    assert Vocabulary(["Good behaviour."]).as_written("behavior") == "behaviour"  # a spelling
    assert Vocabulary(["Not at war."]).as_written("warn") is None  # a word, not a letter off
    assert vocabulary.as_written_text("Who paid the GRANX grnat?") == "who paid the granx grant"
    # in a question typed all in capitals, no word is an acronym for that
    assert vocabulary.as_written_text("WHO PAID THE GRNAT") == "who paid the grant"


def test_a_question_is_embedded_with_its_misspellings_as_the_text_writes_them() -> None:
    vocabulary = Vocabulary(["Massachusetts and the fingerprints of the GRANT program."])
    # as typed but for the misspelt word: case, punctuation and other words kept
    fixed = vocabulary.misspellings_fixed("Did massachusets want out, and the GRNAT?")
    assert fixed == "Did massachusetts want out, and the GRNAT?"  # capitals: an acronym
    # a plural or singular is a word, not a typo; a short or English word is left as typed
    assert vocabulary.misspellings_fixed("the fingerprint") == "the fingerprint"
    assert vocabulary.misspellings_fixed("police data") == "police data"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("what did the doj say", "what did the DOJ say"),
        ("whats dj?", "whats dj?"),  # too short to be sure
        ("does doj agree", "does DOJ agree"),
        ("what did the cia say", "what did the cia say"),  # the text spells no C… I… A…
        ("who is lasky", "who is lasky"),  # a word of the text
        ("was the doj-led review", "was the doj-led review"),  # part of a longer word
    ],
)
def test_an_acronym_typed_in_lower_case_is_read_as_one(typed: str, read: str) -> None:
    vocabulary = Vocabulary(["Gordon Lasky spoke to the Department of Justice in Zürich."])
    assert vocabulary.acronyms_capitalised(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("did the AG agree?", "did the attorney general agree?"),
        ("what did ppl say abt the govt", "what did people say about the government"),
        ("Who spoke w/ the AG?", "Who spoke with the attorney general?"),
        ("what did the DA say", "what did the DA say"),  # the text has no "district"
        ("is the ER open", "is the emergency department open"),  # not "room": the second
        ("what did the CEO say", "what did the CEO say"),  # no "chief executive" in the text
        ("the AGs", "the AGs"),  # part of another word
        ("what about the info", "what about the info"),  # a word of the text
        ("What did the AG's office say?", "What did the attorney general's office say?"),
        ("What happened at 3 PM?", "What happened at 3 PM?"),  # not a listed short form
        ("whos the prof n what does he study", "whos the professor and what does he study"),
        ("did u see ur plan", "did you see your plan"),
        ("What did Prof Lasky say?", "What did professor Lasky say?"),
        ("what did the MD say", "what did the managing director say"),
        ("what did the CMO say", "what did the chief medical officer say"),
        ("were the cops nervous about it", "were the police worried about it"),
        ("is the scheme working", "is the plan working"),  # no "program" in the text
        ("why did the ref give a pen", "why did the referee give a penalty"),
        ("what did the phd student say", "what did the doctoral student say"),
    ],
)
def test_short_forms_are_read_as_the_words_the_text_writes(typed: str, read: str) -> None:
    vocabulary = Vocabulary(
        [
            "People told the attorney general about the government's plan, an attorney said.",
            "You and your professor may study it.",
            "The info desk is open. The emergency is over.",
            "The managing director of the line said so.",
            "Waits in the emergency department fell, the chief medical officer said.",
            "The police were worried about the children.",
            "The referee gave a penalty, said the doctoral researcher.",
        ]
    )
    assert vocabulary.short_forms_written_out(typed) == read


def test_a_short_form_finds_the_passage_that_writes_it_out(answerer: Answerer) -> None:
    answer = answerer.answer("did the fbi want the AG to get involved?")
    assert answer.question == "did the fbi want the AG to get involved?"  # kept as asked
    assert "wanted the U.S. attorney general to review the program" in _first(answer)
    said = answerer.answer("what did kraut say about using ID")
    assert "using people’s identification" in _first(said)
    letters = answerer.answer("What does AG stand for?")  # the letters asked about: as typed
    assert not letters.answered and "“AG”" in letters.message


def test_a_speaker_question_with_typos_is_still_one(article: Answerer) -> None:
    answer = article.answer("wat did laskey say")
    assert answer.quotes and answer.quotes[0].attribution is not None
    assert answer.quotes[0].attribution.speaker == "Gordon Lasky"
    assert answer.message.startswith("Gordon Lasky is quoted")


@pytest.mark.parametrize(
    ("abbreviation", "text", "beside", "spelled"),
    [
        (
            "ICE",
            "we support ICE [Immigration and Customs Enforcement] here",
            True,
            "Immigration and Customs Enforcement",
        ),
        (
            "DOJ",
            "a letter from the Department of Justice (DOJ) said",
            True,
            "Department of Justice",
        ),
        ("DOJ", "the US Department of Justice (DOJ)", True, "Department of Justice"),
        (
            "NASA",
            "NASA (National Aeronautics and Space Administration)",
            True,
            "National Aeronautics and Space Administration",
        ),
        (
            "FOIA",
            "through a Freedom of Information Act request",
            False,
            "Freedom of Information Act",
        ),
        ("QED", "led to quantum electrodynamics (or QED), which", True, "quantum electrodynamics"),
        ("FBI", "the FBI (which nobody likes)", True, None),
        ("FOIA", "through a Freedom of Information Act request", True, None),  # not beside it
        ("CIA", "a report (CIA) by nobody", True, None),
        ("CIA", "   (CIA) [ ] () (", True, None),
    ],
)
def test_where_a_text_spells_an_abbreviation_out(
    abbreviation: str, text: str, beside: bool, spelled: str | None
) -> None:
    span = spelled_out(abbreviation, text, beside=beside)
    assert (text[span[0] : span[1]] if span else None) == spelled


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("When was the FBI founded?", True),
        ("when did the council vote", True),
        ("In what year did the lanes open?", True),
        ("How long ago was the plan made?", True),
        ("When exactly did Chicago pull out of the program?", True),
        ("when's it due?", True),
        ("and when’s the hearing", True),
        ("When a pathogen is eaten by a phagocyte, where is it trapped?", False),  # a clause
        ("How many lanes are there?", False),
        ("Who founded the FBI?", False),
    ],
)
def test_questions_asking_for_a_time(question: str, asks: bool) -> None:
    assert asks_for_a_time(question) is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How many fingerprints does the FBI store?", True),
        ("how many cities pulled out", True),
        ("How much does a records request cost?", True),
        ("How much will the lanes cost?", True),
        ("How much money did the program get?", True),
        ("What percentage of counties joined?", True),
        ("What share of those flagged had no conviction?", True),
        ("How much did the FBI doubt the program?", False),  # a degree, not an amount
        ("How much do they care?", False),
        ("How did DHS contradict itself?", False),
        ("Which cities pulled out?", False),
    ],
)
def test_questions_asking_for_a_number(question: str, asks: bool) -> None:
    assert asks_for_a_number(question) is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How much will the lanes cost?", True),
        ("how much was the firm fined by the regulator", True),
        ("How much is the council paying the contractor?", True),
        ("How much money did the program get?", True),
        ("What was the budget of the film?", True),
        ("How expensive is the app?", True),
        ("how much is a single tram ticket", True),
        ("How much of the budget went on repairs?", False),  # a share
        ("How much did the FBI doubt the program?", False),
        ("How many people were fined?", False),  # a number (`asks_for_a_number`)
        ("What were the budget cuts about?", False),
        ("what's the annual budget of the FBI's CJIS division", True),  # "what's", typed so
        ("whats the club's wage bill", False),
        ("What is Halvern Therapeutics' share price?", True),  # a name's, as "its"
        ("What is Acme's annual budget?", True),
        ("how much did she lose?", True),  # lost, stole: money
        ("How much did the adviser steal?", True),
        ("how much weight did he lose", False),  # a measure, not money
    ],
)
def test_questions_asking_for_money(question: str, asks: bool) -> None:
    assert asks_for_money(question) is asks


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("whats the phone number for the recall helpline", 1),
        ("What number can I call?", 1),
        ("What is the council's website?", 1),
        ("what is the email address of the clinic", 1),
        ("How many phone calls did the helpline take?", 0),
        ("What did the website publish?", 0),
        ("Who sent the e-mail?", 0),
    ],
)
def test_questions_asking_how_to_reach_someone(question: str, kinds: int) -> None:
    assert len(contact_asked(question)) == kinds


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("cost about 2.4 million dollars", True),
        ("a £1.2 million grant", True),
        ("fifty cents a ride", True),
        ("entry is free", True),
        ("backed the walkout by 87 per cent", False),
        ("about 400 people", False),
    ],
)
def test_what_holds_money(text: str, holds: bool) -> None:
    assert bool(_MONEY.search(text)) is holds


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("what time does the library open on saturdays", True),
        ("What time will the schools let out now?", True),
        ("What time did the match kick off?", True),
        ("What time will the council vote?", False),  # a date does (`asks_for_a_time`)
        ("At what time is the rivalry set aside?", False),
        ("What time period does the war cover?", False),
    ],
)
def test_questions_asking_for_a_time_of_day(question: str, asks: bool) -> None:
    assert asks_for_a_clock_time(question) is asks


def test_money_and_contact_questions_need_a_passage_that_holds_them(article: Answerer) -> None:
    # the paragraph on the hardware store counts years ("thirty years", "Half of my business"),
    # but holds no price, no phone number, no time of day
    for question in (
        "How much did Gordon Lasky pay for his store?",
        "What is the phone number of Lasky's hardware store?",
        "What time does Lasky's hardware store open?",
    ):
        answer = article.answer(question)
        assert not answer.answered and answer.kind == "no_answer", question
    assert "2.4 million dollars" in _first(article.answer("How much will the lanes cost?"))


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("in a 10 May e-mail chain", True),
        ("two decades of records", True),
        ("on Tuesday evening", True),
        ("Recently released government e-mails", False),  # orders events, dates nothing
        ("first the FBI, then DHS, and later the states", False),
    ],
)
def test_what_holds_a_time(text: str, holds: bool) -> None:
    assert bool(_A_TIME.search(text)) is holds


def test_when_a_program_started_is_not_answered_by_recently(answerer: Answerer) -> None:
    answer = answerer.answer("When did Secure Communities start?")
    assert not answer.answered and answer.quotes == ()


def test_a_number_question_needs_a_passage_that_counts(answerer: Answerer) -> None:
    for question in (
        "How many fingerprints does the FBI store?",  # the fingerprint paragraph has no number
        "How much does a Freedom of Information Act request cost?",
        "How many e-mails were released?",
        "How many people have been deported through Secure Communities?",  # "Many communities …"
    ):
        answer = answerer.answer(question)
        assert not answer.answered and answer.kind == "no_answer", question
    listed = answerer.answer("How many states and cities have sought to pull out of the program?")
    assert "Washington, D.C., Massachusetts, Chicago, and California" in _first(listed)
    degree = answerer.answer("How much did the FBI doubt the program?")
    assert "strong doubts" in _first(degree)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How old is the professor?", True),
        ("how long has he worked there", True),
        ("How tall is the tower?", True),
        ("How far have some of them gone?", False),  # as often a degree as a distance
        ("How long ago was the plan made?", False),  # a time (`asks_for_a_time`)
        ("How did the council vote?", False),
        ("How many lanes are there?", False),  # a number (`asks_for_a_number`)
    ],
)
def test_questions_asking_for_a_measure(question: str, asks: bool) -> None:
    assert asks_for_a_measure(question) is asks


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("She has led the union for six years.", True),
        ("She has been president since 2015.", True),
        ("The theatre ran from 1962 to 1980.", True),
        ("The 180-metre bridge links the estate.", True),
        ("She filed a grievance on February 20.", False),  # a date is no length
        ("She leads the union.", False),
    ],
)
def test_how_long_is_answered_by_a_stretch_of_time_or_a_length(text: str, holds: bool) -> None:
    assert holds_what_is_asked("how long has she been president of the union?", text) is holds


def test_emails_is_searched_as_the_corpus_mostly_spells_it(answerer: Answerer) -> None:
    retriever = answerer._retriever
    assert retriever.query_terms("where did the emails come from") == [
        "e",
        "mail",
        "come",
    ]  # the article writes "e-mails" five times and "Emails" once, in a caption
    for question in ("where did these emails come from?", "how did they get the emails"):
        assert "obtained through a Freedom of Information Act request" in _first(
            answerer.answer(question)
        ), question


def test_who_said_words_a_speaker_is_quoted_saying(answerer: Answerer) -> None:
    tough = answerer.answer("who called the opt-out question a tough one")
    assert tough.quotes[0].attribution is not None
    assert tough.quotes[0].attribution.speaker == "Daniel D. Roberts"
    none = answerer.answer("who said there's no opt out?")  # the official quoting DHS
    assert "one FBI official said" in _first(none)
    assert not answerer.answer("Who said the program was a failure?").answered  # "the program"


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        # one word of the question, rare in the corpus, in what the speaker is quoted saying
        ("hey bot, who said it was a tough call", "Daniel D. Roberts"),
        ("which official warned the whole thing might implode", "Jerome M. Pender"),
        ("who said the feds don't have one coherent policy on this", "Alan Kraut"),
    ],
)
def test_who_said_a_paraphrase_holding_a_rare_word_of_the_quote(
    answerer: Answerer, question: str, speaker: str
) -> None:
    answer = answerer.answer(question)
    assert answer.answered, answer.message
    assert answer.quotes[0].attribution is not None
    assert answer.quotes[0].attribution.speaker == speaker


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who said there is no opt out?", True),
        ("which official warned the whole thing might implode", True),
        ("What FBI official said that?", True),
        ("which states said they would leave", True),
        ("which program was called controversial", False),  # "was": not a speaker's kind
        ("What did Pender say?", False),  # what he said, not who said it
        ("what is said about ICE", False),
    ],
)
def test_questions_asking_who_said_something(question: str, asks: bool) -> None:
    assert asks_who_said(question) is asks


def test_a_measure_needs_a_passage_with_a_number_or_a_unit(
    answerer: Answerer, article: Answerer
) -> None:
    for question in ("How old is Alan Kraut?", "How long has Jerome Pender worked at the FBI?"):
        answer = answerer.answer(question)  # "Many communities …" measures nothing
        assert not answer.answered and answer.kind == "no_answer", question
    assert "thirty years" in _first(article.answer("How long has Gordon Lasky run his store?"))


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("How does the program work?", "the program"),
        ("how does secure communities actually work", "secure communities"),
        ("What does the Secure Communities program do?", "the Secure Communities program"),
        ("What happens under the plan?", "the plan"),
        ("How does Secure Communities work in practice?", "Secure Communities"),
        ("what does secure communities actually do, mechanically?", "secure communities"),
        ("how does secure communities actually work, like mechanically", "secure communities"),
        ("how does SC work again?", "SC"),
        ("how does secure communities work, basically?", "secure communities"),
        ("How does the levy work in a nutshell?", "the levy"),
        ("How does it work?", None),  # help
        ("How does it work? What is Secure Communities?", "What is Secure Communities?"),
        ("Who gets the data? How does the program work?", None),  # only the question asked
        ("What did the price rises force the firms to do?", None),
        ("How did the council vote?", None),
        # a follow-up typed without its question mark, the earlier question after it
        ("how does it work in practice whats secure communities", "whats secure communities"),
        ("how does it work out for cities with budgets", None),
    ],
)
def test_questions_asking_how_something_works(question: str, subject: str | None) -> None:
    assert how_it_works_asked(question) == subject


def test_how_a_programme_works_is_the_passage_saying_what_happens_under_it(
    answerer: Answerer,
) -> None:
    for question in ("How does the program work?", "How does Secure Communities work?"):
        answer = answerer.answer(question)  # "Secure Communities, a … program": the program
        assert _first(answer).startswith("Under the program, local law enforcement"), question
    assert not answerer.answer("How does the immune system work?").answered
    what = answerer.answer("What is Secure Communities?")
    how = answerer.answer("How does it work?", conversation=Conversation().then(what))
    assert _first(how).startswith("Under the program, local law enforcement")
    plain = answerer.answer("whats secure communities, in plain english")  # lower case, no "?"
    typed = answerer.answer("how does it work in practice", conversation=Conversation().then(plain))
    assert _first(typed).startswith("Under the program, local law enforcement")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What year did the program launch?", True),
        ("In what year will the council vote?", True),
        ("which decade was it built in", True),
        ("What years did he serve?", True),
        ("When will the council vote?", False),  # a time will do (`asks_for_a_time`)
        ("What did the council vote on this year?", False),
    ],
)
def test_questions_asking_for_a_year(question: str, asks: bool) -> None:
    assert asks_for_a_year(question) is asks


def test_a_year_needs_a_passage_with_a_year(answerer: Answerer, article: Answerer) -> None:
    launched = answerer.answer("what year did secure communities launch?")  # "recently" only
    assert not launched.answered and launched.kind == "no_answer"
    vote = article.answer("In what year will the council vote?")  # "19 March", no year
    assert not vote.answered
    assert "19 March" in _first(article.answer("When will the council vote?"))


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How do I file a FOIA request?", True),
        ("Where can we apply?", True),
        ("Should I worry about the program?", True),
        ("what should we do", True),
        ("Can you recommend a good book on immigration history?", True),
        ("recommend something to read about it", True),
        ("How do states opt out?", False),
        ("Where can Iowa apply?", False),  # "I" only as a word of its own
        ("Can states opt out?", False),
        ("What did the council recommend?", False),
    ],
)
def test_questions_asking_for_advice(question: str, asks: bool) -> None:
    assert asks_for_advice(question) is asks


def test_who_said_a_quotation_leads_with_the_passage_someone_says(answerer: Answerer) -> None:
    answer = answerer.answer("Who said DHS has publicly stated there is no opt out?")
    attribution = answer.quotes[0].attribution
    assert attribution is not None and attribution.role == "one FBI official"
    # when no passage anyone says answers, the document's own words still do
    mandatory = answerer.answer("Who said the program was mandatory?")
    assert "saying the program was mandatory" in _first(mandatory)


def test_advice_is_not_answered_by_a_report(answerer: Answerer, article: Answerer) -> None:
    answer = answerer.answer("How do I file a FOIA request?")  # was "medium", the FOIA paragraph
    assert not answer.answered and answer.kind == "no_answer" and answer.quotes == ()
    book = article.answer("Can you recommend a good book on bike lanes?")  # was the first lines
    assert not book.answered and book.kind == "no_answer"
    assert answerer.answer("How do states opt out?").answered


def test_a_time_question_is_not_answered_by_a_passage_with_no_time(answerer: Answerer) -> None:
    answer = answerer.answer("When was the FBI founded?")
    assert not answer.answered and answer.kind == "no_answer" and answer.quotes == ()
    dated = answerer.answer("When was the e-mail chain that included Pender?")
    assert "10 May" in _first(dated)


def test_the_year_a_document_was_published_is_not_said_to_be_unmentioned(
    article: Answerer,
) -> None:
    # published 3 March 2019; the text itself never writes "2019"
    answer = article.answer("How many bike lanes were built in 2019?")
    assert "don't mention “2019”" not in answer.message
    assert article.answer("How many bike lanes were built in 2007?").message.startswith(
        "My sources don't mention “2007”"
    )


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("did the attorney general end up reviewing the program?", True),
        ("Did Massachusetts actually manage to leave in the end?", True),
        ("was secure communities shut down after this", True),
        ("did he ever get an answer from DOJ?", True),
        ("did that rift actually happen afterwards", True),
        ("what did the DOJ end up deciding", True),
        ("did DHS ever say participation was required", False),  # what a text says
        ("does the article say the program ended up being mandatory?", False),
        ("how much was the bakery fined in the end", False),  # money: `asks_for_money`
        ("who does the fingerprint data end up getting shared with", False),
        ("is there gonna be another strike?", False),
        ("did the FBI want the attorney general to review the program?", False),
        ("did the board renew the clinic's funding after june", True),  # after the story's time
        ("did he say anything after june?", False),
        ("Who won their game at Hatfield Road the following Saturday?", True),
        ("Did the club win promotion at the end of the 2019-20 season?", True),
        ("who scored the winner?", False),
    ],
)
def test_questions_asking_how_something_turned_out(question: str, asks: bool) -> None:
    assert asks_how_it_turned_out(question) is asks


def test_how_it_turned_out_needs_a_passage_that_tells_an_outcome(article: Answerer) -> None:
    # the story says the council *will* vote on 19 March: not how the vote went
    for question in (
        "did the council end up approving the bike lanes?",
        "Did the bike lanes plan go ahead in the end?",
    ):
        answer = article.answer(question)
        assert not answer.answered and answer.kind == "no_answer", question
    assert "19 March" in _first(article.answer("When will the council vote on the plan?"))


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("what % of people flagged had no criminal record", True),
        ("What percentage of voters backed the plan?", True),
        ("how many per cent of the seats were recalled", True),
        ("How many people were flagged?", False),  # a count: `asks_for_a_number`
        ("What did the survey find?", False),
    ],
)
def test_questions_asking_for_a_share(question: str, asks: bool) -> None:
    assert asks_for_a_share(question) is asks


def test_a_share_needs_a_passage_that_holds_one(article: Answerer) -> None:
    # the story counts parking spaces and money, but gives no share of anything
    answer = article.answer("What percentage of the parking spaces will the lanes replace?")
    assert not answer.answered and answer.kind == "no_answer"
    assert "400" in _first(article.answer("How many parking spaces will the lanes replace?"))


@pytest.mark.parametrize(
    ("question", "text", "holds"),
    [
        # a salary needs money that is someone's pay, not a contribution or a fine
        (
            "what is callum brisk's salary at larchmont homes",
            "Managing director Callum Brisk said the firm would contribute £1.6 million.",
            False,
        ),
        ("whats stephen morris's salary", "Morris earns $145,000 a year, records show.", True),
        (
            "what was saltmarsh ferries' annual profit",
            "The company was fined £180,000 and ordered to pay £36,500 in costs.",
            False,
        ),
        ("what was the firm's annual profit?", "It made a profit of £2m last year.", True),
        ("how much compensation did sunita hale get", "“I couldn’t find the surface.”", False),
        ("How much did the lanes cost?", "The lanes cost 2.4 million dollars.", True),  # as before
    ],
)
def test_a_kind_of_money_asked_needs_that_kind(question: str, text: str, holds: bool) -> None:
    assert holds_what_is_asked(question, text) is holds


@pytest.mark.parametrize(
    ("question", "text", "holds"),
    [
        (
            "Who is the special agent in charge of the FBI's Chicago office?",
            "“I agree,” replied Stephen L. Morris, the special agent in charge of Houston.",
            False,
        ),
        (
            "Who is the special agent in charge in Houston?",
            "“I agree,” replied Stephen L. Morris, the special agent in charge of Houston.",
            True,
        ),
        (  # a year says when, not where
            "Who was the president of the union in 2012?",
            "Ann Lee became its president.",
            True,
        ),
    ],
)
def test_the_place_a_post_is_held_must_be_named(question: str, text: str, holds: bool) -> None:
    assert holds_what_is_asked(question, text) is holds


def test_an_agent_in_another_city_is_not_the_houston_agent(answerer: Answerer) -> None:
    answer = answerer.answer("Who is the special agent in charge of the FBI's Chicago office?")
    assert not answer.answered and answer.quotes == ()
    assert answerer.answer("whats stephen morris's salary").quotes == ()
    weather = answerer.answer("what's the weather going to be like in Houston tomorrow")
    assert weather.quotes == ()  # Houston's agent says nothing of the weather


def test_the_weather_asked_needs_the_weather() -> None:
    question = "what's the weather going to be like in Houston tomorrow"
    assert not holds_what_is_asked(question, "the special agent in charge of Houston")
    assert holds_what_is_asked(question, "Houston will see heavy rain and 30 degrees.")


@pytest.mark.parametrize(
    ("question", "text", "holds"),
    [
        (
            "how many staff work at the tollmere sleep service",
            "Since then it has assessed 1,180 patients.",
            False,
        ),
        ("how many staff work there?", "The service has 14 staff.", True),
        ("How many people came?", "About 400 residents came.", True),  # people: any word
        ("How many soldiers died?", "Some 2,000 troops were lost.", True),
        ("How many e-mails were released?", "Some 40 e-mails were released.", True),
    ],
)
def test_how_many_needs_the_thing_counted(question: str, text: str, holds: bool) -> None:
    assert holds_what_is_asked(question, text) is holds


def test_how_many_with_a_verb_counts_people() -> None:
    text = "Eleven people turned up to the first session."
    for question in ("how many came to the first one", "how many attended?", "how many turned up"):
        assert holds_what_is_asked(question, text), question


@pytest.mark.parametrize(
    ("question", "text", "does"),
    [
        ("who runs the sleep clinic?", "Dr Ken Ito, who leads the clinic, said so.", True),
        ("who runs the dunmore repair cafe", "Its founder runs the café.", True),
        ("who founded the company?", "His grandfather founded the company.", True),
        ("who runs the cafe?", "It is full of wobbly chairs.", False),
        ("who said it?", "Dr Ken Ito, who leads the clinic, said so.", None),
    ],
)
def test_who_does_asks_for_the_doing(question: str, text: str, does: bool | None) -> None:
    doing = who_does(question)
    assert (None if doing is None else bool(doing.search(text))) is does


def test_who_does_reads_every_form_of_the_verb() -> None:
    verbs = (
        "runs run running ran leads lead leading led heads head heading manages manage managing"
        " started starts founded created owns own"
    ).split()
    for verb in [*verbs, "in charge of", "set up"]:
        assert who_does(f"who {verb} the clinic?") is not None, verb
        assert who_does(f"who is {verb} the clinic?") is not None, verb


def test_every_kind_of_money_asked_is_read() -> None:
    kinds = "salary salaries wage wages earnings income profit profits revenue revenues turnover"
    for kind in [*kinds.split(), "compensation", "payout", "pay-out", "Pay  Packet", "SALARY"]:
        assert earnings_asked(f"what was the {kind} of the firm?") is not None, kind
        assert earnings_asked(f"how much {kind} did they get?") is not None, kind


def test_a_later_day_the_story_tells_of_is_an_outcome() -> None:
    question = "what happened the following week?"
    assert holds_what_is_asked(question, "The following week, the council voted it down.")
    assert not holds_what_is_asked(question, "The council meets on Tuesday.")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who agreed with the unnamed FBI official in the May emails?", True),
        ("who disagreed with the plan", True),
        ("Who agreed to the treaty?", False),  # an act, not words
    ],
)
def test_who_agreed_with_someone_asks_who_said_so(question: str, asks: bool) -> None:
    assert asks_who_said(question) is asks


def test_who_agreed_leads_with_the_one_quoted_agreeing(answerer: Answerer) -> None:
    # the unnamed official's own words hold more of the question's: "I agree," Morris replied
    answer = answerer.answer("Who agreed with the unnamed FBI official in the May emails?")
    assert answer.answered and answer.quotes[0].attribution is not None
    assert answer.quotes[0].attribution.speaker == "Stephen L. Morris"


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("Tom Varga, who kept the harbour for three decades, has died aged 91.", True),
        ("Okafor, 31, said the side had been poor.", True),
        ("Born in Kelby in 1930, he left school at 15.", True),
        ("He died in his sleep on 26 February at the care home.", False),
    ],
)
def test_how_old_needs_an_age(text: str, holds: bool) -> None:
    assert holds_what_is_asked("how old was he?", text) is holds


def test_a_phone_number_typed_with_no_break_spaces_is_one() -> None:
    question = "whats the recall hotline number?"
    assert holds_what_is_asked(question, "Call the recall line free on 0800\u00a0048\u00a07713.")


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("He died in his sleep on 26 February at the care home.", True),
        ("The abbey was built in the 14th century.", True),
        ("The Duchy was founded in 911 by treaty.", True),
        ("The reading group meets on Wednesdays.", True),
        ("He kept the harbour for a quarter of a century and has died aged 91.", False),
        ("“We are stuck in the middle of a nuclear war,” he wrote.", False),
    ],
)
def test_when_did_it_happen_needs_a_point_in_time(text: str, holds: bool) -> None:
    assert holds_what_is_asked("When did it happen?", text) is holds


def test_how_long_ago_is_answered_by_a_length() -> None:
    text = "He kept the harbour for a quarter of a century and has died aged 91."
    assert holds_what_is_asked("How long ago did he start?", text)


def test_an_age_a_speaker_gives_of_herself_is_one() -> None:
    assert holds_what_is_asked("How old is she?", "“Now I'm 61, and I think she's right.”")


@pytest.mark.parametrize(
    ("question", "text", "holds"),
    [
        ("How tall is Tobias Amankwah?", "signed for a club-record fee of £18.5m", False),
        ("How tall is Tobias Amankwah?", "The 24-year-old has signed a five-year contract", False),
        ("How tall is he?", "At 6ft 2in, he towers over the defence.", True),
        ("How deep is the lake?", "The lake is 180 metres deep in places.", True),
        ("How fast can the ferry go?", "It cruises at 30 mph.", True),
        ("How fast can the ferry go?", "It cost £4m and carries 300 people.", False),
        ("How old is the winger?", "The 24-year-old has signed", True),  # an age, not a size
    ],
)
def test_a_size_asked_needs_a_unit_of_size(question: str, text: str, holds: bool) -> None:
    assert holds_what_is_asked(question, text) is holds


@pytest.mark.parametrize(
    ("question", "text", "holds"),
    [
        # the kind of money, then the question's verb: a profit, in money
        ("What pre-tax profit did the bank make?", "It reported an 18% rise in profits.", False),
        ("What pre-tax profit did the bank make?", "It made a pre-tax profit of £1.42bn.", True),
        ("what did oil revenues fund?", "Oil revenues built the new port.", True),  # not asked
        # "how much of": a share or an amount, not a paragraph naming the thing
        ("how much of the fire is contained so far", "The cause of the fire is unknown.", False),
        ("how much of the fire is contained so far", "It was 12 percent contained.", True),
        ("how much of the money has been recovered?", "Only £410,000 has been recovered.", True),
        # a count given in another word for the thing counted
        ("how many houses were wiped out?", "The fire destroyed at least 47 homes.", True),
        ("how many houses were wiped out?", "The fire burned 14,200 acres.", False),
    ],
)
def test_what_profit_how_much_of_and_counts_in_other_words(
    question: str, text: str, holds: bool
) -> None:
    assert holds_what_is_asked(question, text) is holds


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("Priya Lamb, 27, who was in Mrs Abernethy's first class, said so.", False),  # Lamb's
        ("She leaves on Friday, at the age of 63, with an outstanding rating.", True),
        ("Ruth Abernethy, 63, leaves on Friday.", True),
        ("A: The flood in 2016. The river came over the bank.", False),  # a year of no birth
        ("She was born in 1961 in Wrenfield.", True),  # a year to count from
    ],
)
def test_an_age_asked_of_someone_is_not_another_persons(text: str, holds: bool) -> None:
    assert holds_what_is_asked("how old is Ruth Abernethy?", text) is holds


def test_an_age_is_found_in_the_introduction_an_interview_outranks(
    tmp_path: Path, answerer_for: Callable[..., Answerer]
) -> None:
    interview = answerer_for(tmp_path, "invented_head_interview.txt")
    answer = interview.answer("how old is Ruth Abernethy?")
    assert answer.answered and "at the age of 63" in answer.quotes[0].text


def test_an_age_is_the_storys_passage_that_tells_one_but_never_someone_elses(
    tmp_path: Path, answerer_for: Callable[..., Answerer]
) -> None:
    transfer = answerer_for(tmp_path, "invented_transfer.txt")
    # "the new striker" names no one: the story's passage that tells an age answers
    answer = transfer.answer("How old is the new striker Harbury have bought?")
    assert answer.answered and "The 26-year-old has signed" in answer.quotes[0].text
    # the manager's age is told nowhere: the striker's is not hers
    assert not transfer.answer("How old is Colette Brannagh?").answered


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The design was changed in response to residents’ concerns.", True),
        ("Harbour Water said it had closed two intakes as a precaution.", True),
        ("The match was called off because the pitch was frozen.", True),
        ("Officials worried that the misunderstanding would lead to a rift.", True),
        ("The shop has been closed since the roof fell in.", True),
        ("The shop has been closed since March.", False),  # a time, not a reason
        ("The intakes had been due for replacement since last year.", False),
        ("FBI officials wanted the U.S. attorney general to review the program.", False),
        ("“I agree,” replied Stephen L. Morris.", False),
        # an absolute clause set off by a comma gives the cause of what follows it
        ("He wrote that with cities and states opting out, the model could implode.", True),
        ("With prices rising, the shop closed.", True),
        ("Some went as far as instructing officers not to comply with the program.", False),
        ("They met with residents objecting to the plan.", False),
        ("With the new building, the school has room for 400 pupils.", False),  # a noun
    ],
)
def test_gives_a_reason_in_so_many_words(text: str, reason: bool) -> None:
    assert gives_a_reason(text) is reason
