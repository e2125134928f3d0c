import re
from pathlib import Path

import pytest

from bot.attribution import attribute
from bot.records import Attribution
from bot.sentences import split_sentences

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_6a964d9d721bf48f.txt"

PENDER = Attribution(
    "Jerome M. Pender",
    "the assistant director of the FBI’s Criminal Justice Information Services division",
)
ROBERTS = Attribution(
    "Daniel D. Roberts",
    "the assistant director of the FBI’s Criminal Justice Information Services division",
)
MORRIS = Attribution("Stephen L. Morris", "the special agent in charge of Houston")
KRAUT = Attribution(
    "Alan Kraut",
    "a professor at American University professor who specializes in immigration history",
)


def split_document(text: str) -> list[list[str]]:
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return [[p[start:end] for start, end in split_sentences(p)] for p in paragraphs]


def attributed(text: str) -> list[tuple[str, Attribution | None]]:
    """Every sentence of a document with its attribution, in order."""
    paragraphs = split_document(text)
    return [
        pair
        for sentences, who in zip(paragraphs, attribute(paragraphs), strict=True)
        for pair in zip(sentences, who, strict=True)
    ]


def speaker_of(document: list[tuple[str, Attribution | None]], start: str) -> Attribution | None:
    matches = [who for sentence, who in document if sentence.startswith(start)]
    assert len(matches) == 1, f"{start!r} starts {len(matches)} sentences"
    return matches[0]


@pytest.fixture(scope="module")
def seed() -> list[tuple[str, Attribution | None]]:
    return attributed(SEED.read_text(encoding="utf-8"))


# --- The seed article ------------------------------------------------------------------------


def test_tag_after_quote_with_role(seed: list[tuple[str, Attribution | None]]) -> None:
    assert speaker_of(seed, "“I agree,” replied") == MORRIS
    assert speaker_of(seed, "“Any way we go") == MORRIS


def test_role_stops_before_trailing_phrase(seed: list[tuple[str, Attribution | None]]) -> None:
    assert speaker_of(seed, "“This is a tough one,”") == ROBERTS
    assert speaker_of(seed, "“I assume that we need") == ROBERTS


def test_reported_speech_with_quoted_word(seed: list[tuple[str, Attribution | None]]) -> None:
    assert speaker_of(seed, "Jerome M. Pender, the assistant director") == PENDER


def test_surname_resolves_to_registered_name(seed: list[tuple[str, Attribution | None]]) -> None:
    assert speaker_of(seed, "“Whatever else should happen") == PENDER
    assert speaker_of(seed, "“I don’t think we need") == PENDER
    assert speaker_of(seed, "If we have to decide") == PENDER


def test_unnamed_speaker_governs_verb_not_earlier_name(
    seed: list[tuple[str, Attribution | None]],
) -> None:
    assert speaker_of(seed, "Meanwhile in a 10 May e-mail chain") == Attribution(
        None, "one FBI official"
    )


def test_reported_speech_then_quote_paragraph(seed: list[tuple[str, Attribution | None]]) -> None:
    assert speaker_of(seed, "Alan Kraut, a professor") == KRAUT
    assert speaker_of(seed, "“When it comes to using") == KRAUT
    assert speaker_of(seed, "Many communities just") == KRAUT


def test_unnamed_officials_expressing_concern(seed: list[tuple[str, Attribution | None]]) -> None:
    # The chosen, consistent reading: "worried that" / "expressed concerns that" report views.
    assert speaker_of(seed, "The data would also be shared") == Attribution(
        None, "a senior FBI official"
    )
    assert speaker_of(seed, "In particular, officials worried") == Attribution(None, "officials")


@pytest.mark.parametrize(
    "start",
    [
        "Secure CommunitiesInternal",
        "Published 15 November",
        "Emails reveal confusion",
        "Under the program",
        "DHS has sparked",
        "In addition, the e-mails",
        "So far multiple states",
    ],
)
def test_narration_is_not_attributed(
    seed: list[tuple[str, Attribution | None]], start: str
) -> None:
    assert speaker_of(seed, start) is None


def test_a_view_reported_after_a_semicolon_does_not_make_the_sentence_theirs(
    seed: list[tuple[str, Attribution | None]],
) -> None:
    standfirst = "Recently released government e-mails indicate that the FBI had strong doubts"
    standfirst += " about Secure Communities, a controversial DHS immigration program; officials"
    assert speaker_of(seed, standfirst) is None


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("The council met on Tuesday; Jane Smith said the plan would fail.", None),
        (
            "Jane Smith said the plan would fail; the council met on Tuesday.",
            Attribution("Jane Smith", None),
        ),
        ("“It will fail”; Jane Smith said so twice.", Attribution("Jane Smith", None)),
    ],
)
def test_a_speech_tag_after_a_semicolon(text: str, who: Attribution | None) -> None:
    assert attributed(text)[0][1] == who


# --- Invented news prose ---------------------------------------------------------------------


def test_inverted_tag_with_lawyer_role_covers_next_quote() -> None:
    document = attributed(
        "“We will appeal,” said Maria Lopez, a lawyer for the city. “The ruling ignores the law.”"
    )
    lopez = Attribution("Maria Lopez", "a lawyer for the city")
    assert [who for _, who in document] == [lopez, lopez]


def test_title_is_the_role_when_no_appositive_is_given() -> None:
    document = attributed("Gov. Jane Smith said Tuesday that the state would not raise taxes.")
    assert document[0][1] == Attribution("Jane Smith", "Governor")


def test_pronoun_resolves_to_most_recent_named_speaker() -> None:
    document = attributed(
        "Chief Executive Omar Haddad said the merger was off.\n\n"
        "A spokeswoman for the rival firm declined to comment.\n\n"
        "“No,” he said."
    )
    assert speaker_of(document, "“No,”") == Attribution("Omar Haddad", "Chief Executive")
    assert speaker_of(document, "A spokeswoman") is None


def test_pronoun_without_antecedent_is_unattributed() -> None:
    assert attributed("“We were never told,” she said.")[0][1] is None


def test_according_to_an_unnamed_spokesperson() -> None:
    document = attributed(
        "The bridge will close for repairs, according to a spokesperson for the department."
    )
    assert document[0][1] == Attribution(None, "a spokesperson for the department")


def test_doctor_registered_then_short_form_with_title() -> None:
    document = attributed(
        "Dr. Amir Patel, a cardiologist at St. Mary’s Hospital, warned that the trial was small. "
        "“We need more data,” Dr. Patel added."
    )
    patel = Attribution("Amir Patel", "a cardiologist at St. Mary’s Hospital")
    assert [who for _, who in document] == [patel, patel]


def test_apostrophe_name_and_later_courtesy_title() -> None:
    document = attributed(
        "“It’s a mess,” said Sean O’Brien, the union’s general secretary, speaking to reporters."
        "\n\nMr. O’Brien later told the BBC that the talks had collapsed."
    )
    obrien = Attribution("Sean O’Brien", "the union’s general secretary")
    assert [who for _, who in document] == [obrien, obrien]


def test_hyphenated_name_before_verb_and_surname_later() -> None:
    document = attributed(
        "Anne-Marie Dubois-Laurent, the mayor of Lyon, met the delegation on Monday.\n\n"
        "“It was unexpected,” Dubois-Laurent said later."
    )
    assert speaker_of(document, "Anne-Marie") is None
    assert speaker_of(document, "“It was unexpected") == Attribution(
        "Anne-Marie Dubois-Laurent", "the mayor of Lyon"
    )


def test_first_and_last_name_resolve_to_name_with_initial() -> None:
    document = attributed(
        "Rebecca T. Holloway, the county’s chief medical examiner, signed the report.\n\n"
        "“The findings are clear,” Rebecca Holloway told reporters."
    )
    assert speaker_of(document, "“The findings") == Attribution(
        "Rebecca T. Holloway", "the county’s chief medical examiner"
    )


def test_question_quote_with_inverted_tag_and_lowercase_role() -> None:
    document = attributed(
        "“Why would we stop now?” asked Priya Natarajan, chief executive of Lumen Labs."
    )
    assert document[0][1] == Attribution("Priya Natarajan", "chief executive of Lumen Labs")


def test_unnamed_groups_and_descriptions() -> None:
    document = attributed(
        "“Prices will keep rising,” analysts at Barclays wrote in a note.\n\n"
        "“We are reviewing the decision,” the company said in a statement.\n\n"
        "Residents of the town, however, said they had not been warned.\n\n"
        "A spokeswoman for the agency said: “The review is complete.”"
    )
    assert [who for _, who in document] == [
        Attribution(None, "analysts at Barclays"),
        Attribution(None, "the company"),
        Attribution(None, "Residents of the town"),
        Attribution(None, "A spokeswoman for the agency"),
    ]


def test_name_with_role_before_verb_after_introductory_phrase() -> None:
    document = attributed(
        "In a statement, Jane Doe, a spokeswoman for the agency, said the review was complete."
    )
    assert document[0][1] == Attribution("Jane Doe", "a spokeswoman for the agency")


def test_tag_later_in_paragraph_covers_earlier_quote() -> None:
    document = attributed("“Not again.” “We are leaving,” Lena Fischer said.")
    fischer = Attribution("Lena Fischer", None)
    assert [who for _, who in document] == [fischer, fischer]


def test_quote_paragraph_continues_previous_speaker_only_when_untagged() -> None:
    document = attributed(
        "Tomás Reyes, the team’s coach, said the season was over.\n\n"
        "“We gave everything.\n\n"
        "“And we will be back.”\n\n"
        "The club has not named a successor."
    )
    reyes = Attribution("Tomás Reyes", "the team’s coach")
    assert [who for _, who in document] == [reyes, reyes, reyes, None]


def test_they_continues_a_group_never_a_person() -> None:
    document = attributed(
        "Local officials said the road would reopen. “We need a week,” they said.\n\n"
        "Ines Moreau said the bill was late. “It is unfair,” they said."
    )
    officials = Attribution(None, "Local officials")
    assert speaker_of(document, "“We need a week") == officials
    assert speaker_of(document, "“It is unfair") is None


def test_label_before_name_becomes_the_role() -> None:
    document = attributed(
        "“We have no comment,” White House spokesperson Karine Jean-Pierre told reporters.\n\n"
        "Health Secretary Jane Doe said the rollout would continue.\n\n"
        "“It is over,” said Justice Department spokesman Joe Smith."
    )
    assert [who for _, who in document] == [
        Attribution("Karine Jean-Pierre", "White House spokesperson"),
        Attribution("Jane Doe", "Health Secretary"),
        Attribution("Joe Smith", "Justice Department spokesman"),
    ]


def test_title_words_inside_a_name_are_part_of_it() -> None:
    document = attributed(
        "Stephen King said the novel took a decade.\n\nMartin Luther King Jr. said it mattered."
    )
    assert [who for _, who in document] == [
        Attribution("Stephen King", None),
        Attribution("Martin Luther King Jr.", None),
    ]


def test_courtesy_title_is_not_a_role() -> None:
    document = attributed("“The vote is final,” said Mr. Hassan.")
    assert document[0][1] == Attribution("Hassan", None)


def test_relative_clause_between_name_and_verb_is_skipped() -> None:
    document = attributed(
        "Former President Ana Costa, who left office in May, said she would not run again."
    )
    assert document[0][1] == Attribution("Ana Costa", "Former President")


def test_pronoun_skips_organisations_back_to_a_person() -> None:
    document = attributed(
        "Nadia Karimi, the plaintiffs’ attorney, said the settlement was fair.\n\n"
        "Acme Inc. said it would appeal.\n\n"
        "“We expected that,” she said."
    )
    assert speaker_of(document, "Acme Inc.") == Attribution("Acme Inc.", None)
    assert speaker_of(document, "“We expected") == Attribution(
        "Nadia Karimi", "the plaintiffs’ attorney"
    )


def test_verbs_that_are_not_speech_here_are_ignored() -> None:
    document = attributed(
        "Toyota recalled 1 million cars last year.\n\n"
        "The program continued to expand in 2012.\n\n"
        "The company added 500 jobs in March.\n\n"
        "The council, which meets monthly, approved the budget."
    )
    assert [who for _, who in document] == [None, None, None, None]


def test_scare_quote_in_narration_does_not_borrow_a_speaker() -> None:
    document = attributed(
        "“We will rebuild,” said Hana Sato, the mayor. The plan is called “Phoenix.”"
    )
    assert document[1][1] is None


def test_organisation_named_without_speech_verb_is_not_a_speaker() -> None:
    document = attributed("The Justice Department and the FBI reviewed the program in May.")
    assert document[0][1] is None


# --- Shape and scale -------------------------------------------------------------------------


def test_output_has_the_shape_of_the_input() -> None:
    paragraphs = [["One.", "Two."], [], ["“Three,” said Kofi Mensah."]]
    result = attribute(paragraphs)
    assert [len(p) for p in result] == [2, 0, 1]
    assert result[2][0] == Attribution("Kofi Mensah", None)
    assert attribute([]) == []


def test_large_document_and_junk_sentences_complete() -> None:
    paragraphs = split_document(SEED.read_text(encoding="utf-8")) * 300
    paragraphs.append(["said " * 100_000, "“a” " * 50_000 + "said Ivo Petrov"])
    result = attribute(paragraphs)
    assert result[-1] == [None, Attribution("Ivo Petrov", None)]
    assert result[-3:-1] == [[KRAUT, KRAUT], [None]]


# --- Documents other than the seed -------------------------------------------------------------

TWO_CHENS = """Maria Chen, the councillor who chairs the housing committee, opened the debate.

“These are nurses and retired teachers,” Chen said.

Robert Chen, the president of the Property Owners Association, who is not related to the \
councillor, told the council that the cap would push small landlords to sell.

“Then you are running a charity whether you meant to or not,” Chen said.

Councillor Chen answered the landlords’ objections by pointing to the repair provision. “If you \
fix the roof, you can recover the cost,” she said.

Luis Ferreira, an organiser with the tenants union, said the union would watch closely.

“We are talking to our lawyers,” Chen said after the vote.
""".replace("\\\n", "")

MARIA = Attribution("Maria Chen", "the councillor who chairs the housing committee")
ROBERT = Attribution("Robert Chen", "the president of the Property Owners Association")


def test_a_surname_two_speakers_share_is_the_one_named_last() -> None:
    document = attributed(TWO_CHENS)
    assert speaker_of(document, "“These are nurses") == MARIA
    assert speaker_of(document, "“Then you are running") == ROBERT  # named since
    assert speaker_of(document, "“If you") == MARIA  # "Councillor": her role's title
    # the Chen a speech tag named last (the "she" of a paragraph about her does not count)
    assert speaker_of(document, "“We are talking") == ROBERT


def test_a_paragraph_opening_with_someone_makes_them_its_she() -> None:
    document = attributed(TWO_CHENS)
    assert speaker_of(document, "Councillor Chen answered") is None  # narration, not speech
    assert speaker_of(document, "“If you") == MARIA  # not Ferreira, the last speaker before


@pytest.mark.parametrize(
    ("text", "who"),
    [
        (
            "The club’s chief executive, Rachel Dunmore, said in a letter that the cameras "
            "would cost about 240,000 pounds.",
            Attribution("Rachel Dunmore", "the club’s chief executive"),  # as after a name
        ),
        (
            "Jade Okonkwo, 24, who travels to away matches with friends, said she would use "
            "the opt-out gates.",
            Attribution("Jade Okonkwo", None),
        ),
        (
            "Marcus Lindqvist, Calloway’s chief operating officer, wrote in a statement to "
            "investors that the move would cut costs.",
            Attribution("Marcus Lindqvist", "Calloway’s chief operating officer"),
        ),
        ("Roughly 11,800 households are covered, according to a city estimate.", None),
        ("Most fish held plastic, according to a study published on Monday.", None),
        ("The forecast said force seven and we got force ten.", None),
        ("In a statement, John Smith said the plan was sound.", Attribution("John Smith", None)),
        (
            "“We will appeal,” according to a spokesman for the firm.",
            Attribution(None, "a spokesman for the firm"),
        ),
    ],
)
def test_speech_tags_of_other_shapes(text: str, who: Attribution | None) -> None:
    assert attributed(text)[0][1] == who


def test_her_age_and_then_her_own_quote() -> None:
    document = attributed(
        "“I have my face scanned every day,” said Terry Hollis.\n\nOthers were less sure. Jade "
        "Okonkwo, 24, said she would opt out. “It is not about having something to hide,” she "
        "said."
    )
    assert speaker_of(document, "“It is not about") == Attribution("Jade Okonkwo", None)


def test_a_name_given_with_an_age_is_the_full_name_of_its_surname() -> None:
    document = attributed(
        "Ingrid Solberg, 63, joined the ferry service in 1981.\n\nSolberg says she will retire."
    )
    assert speaker_of(document, "Solberg says") == Attribution("Ingrid Solberg", None)


TWO_SHAHS = """Councillor Anita Shah, the cabinet member for communities, said the council had no \
choice. “Nobody goes into local politics to close libraries,” she said.

Dev Shah, who chairs the residents’ association and is not related to the councillor, handed \
over the petition.

“Fenwick library is the only warm building on this estate,” he told councillors.

Mr Shah said a van parked outside the shops was “not a library, it is a gesture”.

Councillor Shah replied that no group had come forward to run it. “I understand the anger in \
this room,” she said.
""".replace("\\\n", "")

ANITA = Attribution("Anita Shah", "the cabinet member for communities")
DEV = Attribution("Dev Shah", None)


def test_he_and_she_go_back_to_someone_the_text_may_mean() -> None:
    document = attributed(TWO_SHAHS)
    assert speaker_of(document, "“Nobody goes") == ANITA
    # a name the text gives with "who …" though it never tags him speaking, and "he" is not
    # the councillor the text called "she"
    assert speaker_of(document, "“Fenwick library") == DEV
    assert speaker_of(document, "Mr Shah said") == DEV  # "Mr": not the Shah called "she"
    assert speaker_of(document, "Councillor Shah replied") == ANITA  # her title


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Donnelly told the court that the fraud was found.", Attribution("Donnelly", None)),
        ("Kelly said no.", Attribution("Kelly", None)),
        ("Reportedly, Smith said yes.", Attribution("Smith", None)),
        ("Unfortunately, officials said nothing.", Attribution(None, "officials")),
        (
            "Claire Donnelly, prosecuting, said the thefts were deliberate.",
            Attribution("Claire Donnelly", "prosecuting"),
        ),
        ("John Hay, speaking to reporters, said no.", Attribution("John Hay", None)),
    ],
)
def test_surnames_ending_in_ly_and_court_roles(text: str, who: Attribution | None) -> None:
    assert attributed(text)[0][1] == who


def test_an_interviewee_introduced_without_a_speech_tag() -> None:
    document = attributed(
        "For 31 years, Ines Marlow has carried walkers across the River Wend.\n\nMarlow, 67, "
        "took over the ferry in 1994.\n\nQ: How does it feel?\n\nA: Strange, mostly.\n\n"
        "Q: And the floods?\n\nA: We lost the ferry for nine days."
    )
    assert speaker_of(document, "A: Strange") == Attribution("Ines Marlow", None)
    assert speaker_of(document, "Q: How does") is None


# --- Live blogs, press conferences, columns ---------------------------------------------------

LIVE_BLOG = """09:42 — A spokeswoman for the utility said the company found the parasite on Monday.

“As soon as we had a confirmed result we issued the notice,” she said.

Harbour Water said it would review the plant.

17:10 — An engineer at the works, speaking on condition of anonymity, told the Echo that a \
filter bed was overdue for replacement.

“Everybody on site knew that bed was on borrowed time,” he said.
"""


def test_he_or_she_goes_back_to_someone_described_not_to_an_organisation() -> None:
    document = attributed(LIVE_BLOG)
    assert speaker_of(document, "“As soon as") == Attribution(None, "A spokeswoman for the utility")
    assert speaker_of(document, "Harbour Water") == Attribution("Harbour Water", None)
    assert speaker_of(document, "“Everybody on site") == Attribution(
        None, "An engineer at the works"
    )


def test_a_described_speaker_keeps_the_pronoun_of_their_description() -> None:
    document = attributed(
        "A spokesman for the council said the roads would reopen.\n\n"
        "“I waited an hour,” said Gwen Talbot, 79. “Others have waited longer,” she said.\n\n"
        "A spokeswoman for the utility said supplies were safe.\n\n"
        "“We will deliver water to every home,” he said."
    )
    assert speaker_of(document, "“We will deliver") == Attribution(
        None, "A spokesman for the council"
    )


PRESS_CONFERENCE = """The harbour master, Captain Ian Mercer, said divers had found two breaches.

“The ship is stable for now,” Capt Mercer said.

Dr Fiona Mercer, head of pollution response at the agency, said 214 birds had been rescued.

“This is heavy fuel oil,” Dr Mercer said.

“Every day that ship sits there costs us money,” said Dougie Rennie, a fisherman.

Asked later about Rennie’s doubts, Capt Mercer insisted the timetable was realistic. “Dougie \
is entitled to be sceptical,” he said.
"""
IAN = Attribution("Ian Mercer", "the harbour master")
FIONA = Attribution("Fiona Mercer", "head of pollution response at the agency")


def test_titles_written_short_without_a_full_stop() -> None:
    document = attributed(PRESS_CONFERENCE)
    assert speaker_of(document, "“The ship is stable") == IAN
    assert speaker_of(document, "Dr Fiona Mercer") == FIONA
    assert speaker_of(document, "“This is heavy") == FIONA


def test_a_paragraph_opening_after_a_clause_set_off_by_a_comma() -> None:
    document = attributed(PRESS_CONFERENCE)
    assert speaker_of(document, "“Dougie is entitled") == IAN


def test_a_short_title_spelled_out_as_a_role() -> None:
    document = attributed(
        "“We will recover the cost,” said Cllr Joanna Pettifer.\n\n"
        "Prof David Okafor said the survey was still in use.\n\n"
        "Dr Nadia Ferreira said the waterproofs still leaked."
    )
    assert [who for _, who in document] == [
        Attribution("Joanna Pettifer", "Councillor"),
        Attribution("David Okafor", "Professor"),
        Attribution("Nadia Ferreira", None),  # "Dr" is how to address her, not what she does
    ]


def test_a_paragraph_opening_with_the_full_name_of_a_known_surname() -> None:
    document = attributed(
        "Dr Marcus Lindqvist, a transport researcher, shared his figures with me. “The scheme "
        "has done what it said,” Dr Lindqvist wrote in an email.\n\n"
        "Pauline Adeyemi has run a hardware shop on Corn Lane for 26 years. Her shop sits 50 "
        "yards from a planter, and she says her takings are down by 15 per cent.\n\n"
        "“My customers are builders,” Mrs Adeyemi told me."
    )
    assert speaker_of(document, "Her shop sits") == Attribution("Pauline Adeyemi", None)
    assert speaker_of(document, "“My customers") == Attribution("Pauline Adeyemi", None)


def test_a_role_then_a_name_after_an_inverted_tag_and_tags_that_name_no_one() -> None:
    document = attributed(
        "“Nobody told us the buses had stopped,” said Karen Smith, a parent.\n\n"
        "“The forecast was clear,” said Smith’s neighbour, retired teacher Paul Brown.\n\n"
        "“We expect delays,” said Memorial Hospital spokesperson Ann Lee.\n\n"
        "“Opting out of the closure is not an option,” read one memo sent to head teachers.\n\n"
        "“Prices for road salt will rise,” Friday’s report said."
    )
    assert speaker_of(document, "“The forecast") == Attribution(
        "Paul Brown", "Smith’s neighbour, retired teacher"
    )
    assert speaker_of(document, "“Opting out") is None  # a memo's words, not Ann Lee's
    assert speaker_of(document, "“Prices for") is None


def test_the_spokeswoman_and_the_statement_go_back_to_who_they_mean() -> None:
    document = attributed(
        "A spokeswoman for the utility said supplies were being tested.\n\n"
        "“We know this is a huge inconvenience,” the spokeswoman said.\n\n"
        "In a statement, the Northern Soils Institute said it would name its store after her. "
        "“She gave this institute its purpose,” the statement said.\n\n"
        "Traffic is down, he found. As Dr Lindqvist put it: “Anybody who says why is guessing.”"
    )
    spokeswoman = Attribution(None, "A spokeswoman for the utility")
    assert speaker_of(document, "“We know this") == spokeswoman
    assert speaker_of(document, "“She gave") == Attribution(None, "the Northern Soils Institute")
    assert speaker_of(document, "As Dr Lindqvist put it") == Attribution("Lindqvist", None)


def test_i_in_a_column_s_narration_is_its_author() -> None:
    paragraphs = split_document(
        "Last August I was furious. I wrote in this space that the scheme was “a lockdown for "
        "cars”.\n\n“People who write columns can cycle,” Mrs Adeyemi told me. “I can’t.”"
    )
    sentences = [s for p in paragraphs for s in p]
    found = [a for p in attribute(paragraphs, author="Owen Thistlewood") for a in p]
    said = dict(zip(sentences, found, strict=True))
    assert said["I wrote in this space that the scheme was “a lockdown for cars”."] == (
        Attribution("Owen Thistlewood", None)
    )
    assert said["“I can’t.”"] == Attribution("Adeyemi", None)  # inside quotation marks
    assert [a for p in attribute(paragraphs) for a in p][1] is None  # no byline: no one


def test_i_in_an_interview_s_answer_is_the_interviewee_s() -> None:
    paragraphs = split_document(
        "Ines Marlow has run the ferry since 1994. Marlow, 67, took it over from her father."
        "\n\nQ: How does it feel?\n\nA: I told them "
        "I would stay.\n\nQ: And the floods?\n\nA: We lost the ferry for nine days."
    )
    found = attribute(paragraphs, author="Sam Reporter")
    assert found[2] == [Attribution("Ines Marlow", None)]


MATCH_AND_COURT = """The Rovers manager, Declan Fairhurst, admitted his side had been second best.

“We were nowhere near it,” Fairhurst said.

The Millbeck manager, Tomasz Wrobel, was far less restrained. He said the referee had been \
“conned”.

Fairhurst later said he had some sympathy. “Tomasz is entitled to his opinion,” he said.

Sentencing, Judge Alastair Penhaligon said the offence had been planned.

“You treated her home as a cash machine,” the judge said.

Speaking outside court, Det Con Rahman said the victim had shown courage.

The lead researcher, Dr Miriam Achterberg, a senior lecturer in audiology, said the results \
were clear.

“It is the beginning,” the researcher said.
"""


def test_roles_before_names_and_the_descriptions_that_go_back_to_them() -> None:
    document = attributed(MATCH_AND_COURT)
    fairhurst = Attribution("Declan Fairhurst", "the Rovers manager")
    assert speaker_of(document, "“We were nowhere") == fairhurst  # "Fairhurst" in full
    assert speaker_of(document, "He said the referee") == Attribution(
        "Tomasz Wrobel", "the Millbeck manager"
    )  # the paragraph's subject, after its role
    assert speaker_of(document, "“Tomasz is entitled") == fairhurst  # a name inside the quote
    judge = Attribution("Alastair Penhaligon", "Judge")  # not "Sentencing"
    assert speaker_of(document, "Sentencing,") == judge
    assert speaker_of(document, "“You treated") == judge  # "the judge"
    assert speaker_of(document, "Speaking outside") == Attribution("Rahman", "Detective Constable")
    assert speaker_of(document, "“It is the beginning") == Attribution(
        "Miriam Achterberg", "a senior lecturer in audiology"
    )  # "the researcher": "The lead researcher" before her name


HEARING_AND_REVIEW = """\
A former member of the water board, who resigned in May, said she had never seen the survey.

“I would have voted against it,” said the former board member, Ruth Kellaway. “Nobody \
showed us.”

The county's chief finance officer, who signs off the accounts, warned members that the \
reserve was nearly empty.

Asked whether libraries would close, the officer, Dev Anand, said it was too early to say.

Cllr Nadia Brook, who chairs the committee, opened the meeting. She said the budget had to \
be rebuilt.

The council's director of roads, Owen Brook, said the potholes had been fixed. "Those were \
urgent jobs," said Mr Brook, the director of roads.

Ian Webb, the contractor's manager, said the pumps were old.

A tenant described the damp in her flat.

Responding to her, Owen Brook apologised and said the case would be reviewed. "That is not \
acceptable," he said.

The memo, dated June 4, says the pumps “failed three of five pressure tests” last year.

Two people familiar with the talks between the county and Harlow said the discount was the \
whole story.

The film, the debut of the Welsh director Carys Penhallow, is slow. "I wanted the sea to \
set the pace," Penhallow said.

Writing in the Courier, Tom Ashby called it “a triumph of patience,” which seems fair. Mia \
Corran of Reel was less kind, describing the second hour as “a screensaver with a pension \
plan.” Jules Marr praised its “quiet nerve” and moved on.
"""


def test_someone_described_first_and_named_later_is_one_person() -> None:
    document = attributed(HEARING_AND_REVIEW)
    kellaway = Attribution("Ruth Kellaway", "a former member of the water board")
    assert speaker_of(document, "A former member of the water board") == kellaway
    assert speaker_of(document, "“I would have voted") == kellaway  # named with its description
    assert speaker_of(document, "“Nobody showed us") == kellaway
    anand = Attribution("Dev Anand", "The county's chief finance officer".replace("The", "the"))
    assert speaker_of(document, "The county's chief finance officer") == anand
    assert speaker_of(document, "Asked whether libraries") == anand


def test_a_role_given_to_a_surname_two_people_share_is_not_the_first_one_s() -> None:
    document = attributed(HEARING_AND_REVIEW)
    assert speaker_of(document, "She said the budget") == Attribution("Nadia Brook", "Councillor")
    owen = speaker_of(document, '"Those were urgent jobs,"')
    assert owen is not None and owen.speaker == "Owen Brook"


def test_a_speaker_whose_verb_is_joined_to_another_by_and() -> None:
    document = attributed(HEARING_AND_REVIEW)
    owen = speaker_of(document, '"That is not acceptable,"')  # "he": Owen Brook, not the tenant
    assert owen is not None and owen.speaker == "Owen Brook"


def test_what_a_text_says_and_names_inside_a_prepositional_phrase_are_no_speakers() -> None:
    document = attributed(HEARING_AND_REVIEW)
    assert speaker_of(document, "The memo, dated June 4") is None  # not "the pumps"
    group = speaker_of(document, "Two people familiar")
    assert group is not None and group.speaker is None  # not "Harlow"
    assert (group.role or "").startswith("Two people familiar with the talks")


def test_a_full_name_after_a_word_for_a_person_and_words_someone_called_a_thing() -> None:
    document = attributed(HEARING_AND_REVIEW)
    director = speaker_of(document, '"I wanted the sea')
    assert director == Attribution("Carys Penhallow", "the Welsh director")
    assert speaker_of(document, "Writing in the Courier") == Attribution("Tom Ashby", None)
    assert speaker_of(document, "Mia Corran of Reel") == Attribution("Mia Corran", None)
    assert speaker_of(document, "Jules Marr praised") == Attribution("Jules Marr", None)


def test_a_participle_s_subject_opens_its_clause() -> None:
    document = attributed(
        "Lena Farrow, a spokeswoman for the authority, declined to comment on the memo, saying "
        "the agency did not discuss “ongoing contractual matters.”\n\n"
        "In 2010, Wikileaks leaked cables which revealed that the king urged an attack, "
        "describing the country as “a snake whose head should be cut off.”\n"
    )
    farrow = Attribution("Lena Farrow", "a spokeswoman for the authority")
    assert speaker_of(document, "Lena Farrow") == farrow
    assert speaker_of(document, "In 2010") is None  # the king's words, not the leaker's


def test_an_untagged_quotation_after_narration_naming_someone_is_theirs() -> None:
    document = attributed(
        "The film is the debut of the Welsh director Carys Penhallow.\n\n"
        "When I spoke to Penhallow in Cardiff, she was unapologetic about its pace.\n\n"
        "“I grew up by the sea. Time there moves in tides.”\n\n"
        "The film opens on Friday.\n\n"
        "“Nothing else is showing,” a cinema manager said.\n\n"
        "“It took six years,” Penhallow said.\n"
    )
    penhallow = Attribution("Carys Penhallow", "the Welsh director")
    assert speaker_of(document, "“I grew up") == penhallow
    assert speaker_of(document, "Time there") == penhallow
    assert speaker_of(document, "“Nothing else") == Attribution(None, "a cinema manager")


def test_the_official_named_after_a_possessive_description_is_that_person() -> None:
    document = attributed(
        "“We are choosing whom to feed,” WFP’s deputy director of emergencies told a "
        "briefing in Geneva.\n\n"
        "The official, Corinne Vasseur, said rations had been cut to half.\n"
    )
    vasseur = Attribution("Corinne Vasseur", "WFP’s deputy director of emergencies")
    assert speaker_of(document, "“We are choosing") == vasseur
    assert speaker_of(document, "The official, Corinne Vasseur") == vasseur


RADIO = """\
On the Afternoon Edition, presenter Priya Landsworth put the questions to two guests.

HOST: Good afternoon. With me are Dr Helena Voss, a hydrologist at the university, and Gareth \
Pullman, who chairs the canal society.

DR VOSS: In an average year, yes. Our modelling suggests the canal would close in dry summers.

HOST: Gareth Pullman, does that worry you?

PULLMAN: Not really. What worries me is doing nothing.

DR VOSS: Can I come in there? Nobody has asked the water company in writing.

PULLMAN: There have been conversations.

UPDATE: The council has since delayed its vote.
"""


def test_a_transcript_s_speaker_labels() -> None:
    document = attributed(RADIO)
    voss = Attribution("Helena Voss", "a hydrologist at the university")
    assert speaker_of(document, "DR VOSS: In an average year") == voss
    assert speaker_of(document, "Our modelling suggests") == voss  # not "Our modelling"
    assert speaker_of(document, "PULLMAN: Not really") == Attribution("Gareth Pullman", None)
    assert speaker_of(document, "HOST: Gareth Pullman") == Attribution("Priya Landsworth", "host")
    assert speaker_of(document, "UPDATE:") is None  # a label once, and no speaker's


HEARING = """\
“We are late,” said Dr Lucinda Voss, the head of the authority.

“Late is not the word,” said Senator Bram Castellanos, the deputy chair.

Castellanos: Was the board aware that the line would miss its date?

Voss: The board was told there was a risk to the date.

Castellanos: Is there a difference?

Voss: In hindsight, Senator, not much of one.

Note: The authority has since replied in writing.

Note: This story has been updated.
"""


def test_a_transcript_s_labels_written_as_names() -> None:
    document = attributed(HEARING)
    voss = Attribution("Lucinda Voss", "the head of the authority")
    assert speaker_of(document, "Voss: In hindsight") == voss
    assert speaker_of(document, "Voss: The board was told") == voss
    castellanos = Attribution("Bram Castellanos", "the deputy chair")
    assert speaker_of(document, "Castellanos: Is there") == castellanos
    assert speaker_of(document, "Note: The authority") is None  # twice, but names no one


def test_police_ranks_written_short_and_a_name_called_something() -> None:
    document = attributed(
        "Detective Inspector Colm Radley, who is leading the inquiry, appealed for help.\n\n"
        '"He was an easy target," DI Radley said. "We want to hear from you."\n\n'
        'Dr Tobias Lindqvist, a diabetologist, called STRIDE "well run and genuinely useful".\n'
    )
    radley = Attribution("Colm Radley", "Detective Inspector")
    assert speaker_of(document, '"He was an easy target,"') == radley
    assert speaker_of(document, '"We want to hear') == radley
    assert speaker_of(document, "Dr Tobias Lindqvist") == Attribution(
        "Tobias Lindqvist", "a diabetologist"
    )


@pytest.mark.parametrize(
    ("text", "who"),
    [
        (
            "Its managing director, Fiona Strachan-Vale, said the plant would stay open.",
            Attribution("Fiona Strachan-Vale", "its managing director"),
        ),
        (
            "Prosecuting, Simon Achebe told the court that the scheme came to light in 2022.",
            Attribution("Simon Achebe", "prosecuting"),
        ),
        (
            "Defending, Claire Mountford said her client had no previous convictions.",
            Attribution("Claire Mountford", "defending"),
        ),
    ],
)
def test_a_role_opening_its_sentence_reads_as_after_a_name(text: str, who: Attribution) -> None:
    # "Fiona Strachan-Vale is its managing director.", "Simon Achebe, prosecuting"
    assert attributed(text)[0][1] == who


def test_a_label_before_a_name_has_no_preposition_in_it() -> None:
    document = attributed(
        "Her winner came in the 88th minute, a glancing header from captain Ruth Adeyemi’s "
        "corner.\n\n“Some of us were ball girls last time,” Adeyemi said."
    )
    assert speaker_of(document, "“Some of us") == Attribution("Ruth Adeyemi", "captain")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Head of libraries Samuel Adeyemi said the fines had gone.",
            ("Samuel Adeyemi", "Head of libraries"),
        ),
        (
            "Director of housing Paul Reed said costs would rise.",
            ("Paul Reed", "Director of housing"),
        ),
        ("Chief executive Mary Jones said the plan was sound.", ("Mary Jones", "Chief executive")),
        ("Police Chief Anna Ruiz said so.", ("Anna Ruiz", "Police Chief")),  # a title, a name
        (
            "Deputy mayor Ellen Okafor said she would vote against.",
            ("Ellen Okafor", "Deputy mayor"),
        ),
    ],
)
def test_a_label_in_lower_case_before_a_full_name_is_the_role(
    sentence: str, expected: tuple[str, str]
) -> None:
    assert attributed(sentence)[0][1] == Attribution(*expected)


@pytest.mark.parametrize(
    ("text", "quote", "who"),
    [
        (  # the age read as the role lost the name
            "Residents were angry. Marek Nowak, 61, a retired bus driver, said: “We were never "
            "asked.”\n\n“Nobody listens to us,” he added.",
            "“Nobody listens",
            Attribution("Marek Nowak", "a retired bus driver"),
        ),
        (
            "“It is too late,” said Tom Hale, 34, a shop owner.",
            "“It is too late",
            Attribution("Tom Hale", "a shop owner"),
        ),
    ],
)
def test_an_age_after_a_name_in_a_speech_tag(text: str, quote: str, who: Attribution) -> None:
    assert speaker_of(attributed(text), quote) == who


@pytest.mark.parametrize(
    ("text", "quote", "who"),
    [
        (  # the person introduced last, not the clinic's director named before
            "The clinic opened in March. Its director, Dr Lena Voss, said demand had doubled.\n\n"
            "Among those waiting was Paul Adebayo, 27. He said: “I waited four hours.”",
            "He said",
            Attribution("Paul Adebayo", None),
        ),
        (  # the judge spoke before; the tenant is introduced after her
            "Judge Miriam Oduya presided over the hearing.\n\n“This court has heard enough,” the "
            "judge said.\n\nThe tenant, Anna Kowalczyk, 34, who has lived in the flat since "
            "2019, wept as the verdict was read. “I have nowhere else to go,” she said.",
            "“I have nowhere",
            Attribution("Anna Kowalczyk", "the tenant"),
        ),
        (  # inverted: the name after "was", its role to the sentence's end
            "The school board voted to close the annex.\n\nAmong the strongest supporters was "
            "Kevin Tran, a parent of two at the school. He told the board: “We cannot keep "
            "heating an empty building.”",
            "He told the board",
            Attribution("Kevin Tran", "a parent of two at the school"),
        ),
    ],
)
def test_a_person_introduced_in_narration_is_the_next_pronoun(
    text: str, quote: str, who: Attribution
) -> None:
    assert speaker_of(attributed(text), quote) == who


def test_narration_naming_no_person_leaves_the_pronoun_alone() -> None:
    # "a controversial programme" is no person: "he" is still the speaker named before
    document = attributed(
        "Mayor Ruth Paine defended the plan.\n\nThe scheme, Safe Streets, a controversial "
        "programme, began in May. “It works,” she said."
    )
    assert speaker_of(document, "“It works") == Attribution("Ruth Paine", "Mayor")


def test_a_plural_noun_ending_a_sentence_is_no_speech_verb() -> None:
    # "states" of "member states" read as a speech verb made "Therefore" a speaker
    document = attributed(
        "Therefore, the European Court of Justice cannot uphold measures which are "
        "incompatible with rights protected in the constitutions of member states."
    )
    assert document[0][1] is None
    assert attributed("Smith notes.")[0][1] == Attribution("Smith", None)


@pytest.mark.parametrize(
    ("text", "quote", "who"),
    [
        (  # a possessive role before the name, in narration
            "Wrenfield’s manager, Stuart Hollings, was shown a yellow card.\n\n“It hits him on "
            "the shoulder,” he said.\n\nHollings said he would send the footage to the league.",
            "Hollings said",
            Attribution("Stuart Hollings", "Wrenfield’s manager"),
        ),
        (  # the role after a link, ending a longer phrase
            "Among those who joined the crew because of him is his granddaughter, Lowenna "
            "Hicks, who in 2019 became the first woman to serve on the lifeboat.\n\n“I grew up "
            "on his stories,” she said.",
            "“I grew up",
            Attribution("Lowenna Hicks", "his granddaughter"),
        ),
        (  # a label before the name, no comma between
            "One of the landowners, the Derbyshire sheep farmer Ewan Maclachlan, blocked the "
            "ditches in 2011. He said he had been sceptical at first.",
            "He said he had",
            Attribution("Ewan Maclachlan", "the Derbyshire sheep farmer"),
        ),
    ],
)
def test_a_role_in_narration_names_the_next_pronoun(
    text: str, quote: str, who: Attribution
) -> None:
    assert speaker_of(attributed(text), quote) == who


def test_a_relative_described_first_is_the_one_named_later() -> None:
    document = attributed(
        "He died at home on 2 February, his daughter said.\n\nHis daughter, Morwenna Keast, "
        "said her father had never liked attention."
    )
    assert speaker_of(document, "He died at home") == Attribution("Morwenna Keast", "his daughter")


def test_the_person_just_named_is_referred_to_by_age() -> None:
    document = attributed(
        "Dean Okafor, the Castlebridge captain, said the dressing room had been quiet. “We "
        "knew we were miles off it,” the 31-year-old said."
    )
    assert speaker_of(document, "“We knew") == Attribution(
        "Dean Okafor", "the Castlebridge captain"
    )


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Coach Gary Whitlock admitted his side had ridden their luck.", "Gary Whitlock"),
        ("Mayor Ruth Paine insisted the plan was working.", "Ruth Paine"),
        ("The hospital admitted 40 patients overnight.", None),
        ("The striker added a second goal in the 80th minute.", None),
    ],
)
def test_a_speech_verb_followed_by_a_clause_reports_speech(text: str, speaker: str | None) -> None:
    found = attributed(text)[0][1]
    assert (found.speaker if found else None) == speaker


@pytest.mark.parametrize(
    ("text", "quote", "who"),
    [
        (  # a rank before the name is its role
            "Group Manager Declan Furlong, who led the operation, said it was bad.",
            "Group Manager",
            Attribution("Declan Furlong", "Group Manager"),
        ),
        (  # a trade put bare before a name, in narration
            "Across the river, baker Tomasz Wierzbicki was shovelling mud.\n\n“We had "
            "sandbags,” the 39-year-old said.",
            "“We had sandbags",
            Attribution("Tomasz Wierzbicki", "baker"),
        ),
        (  # "claims" after "of" is a noun: the speaker is the one named after it
            "Its head of claims, Rachel Oduya, said the firm had sent loss adjusters.",
            "Its head of claims",
            Attribution("Rachel Oduya", "its head of claims"),
        ),
        (  # a predicate joined by "but": its subject speaks
            "Mr Ashdown, a former parish chairman, congratulated his opponent but said the "
            "result reflected the national mood.",
            "Mr Ashdown",
            Attribution("Ashdown", "a former parish chairman"),
        ),
        (  # named in full only in passing: the surname who speaks later is that person
            "It is the finest image in Imogen Thackeray's new production.\n\nWhen I spoke to "
            "Thackeray, she was clear. “I wanted people to laugh,” Thackeray said.",
            "“I wanted people",
            Attribution("Imogen Thackeray", None),
        ),
        (  # "the actor" just after a person the text gave no role
            "“This is the part I've wanted,” Celia Marchbanks told me.\n\nThe actor, who last "
            "appeared here in 2014, said the first week was all jokes.",
            "The actor",
            Attribution("Celia Marchbanks", None),
        ),
    ],
)
def test_ranks_trades_and_names_given_in_passing(text: str, quote: str, who: Attribution) -> None:
    assert speaker_of(attributed(text), quote) == who


def test_narration_naming_a_speaker_and_someone_new_names_no_one() -> None:
    # Thackeray is the subject; the playwright named beside her is not the next "she"
    document = attributed(
        "“Keep it funny,” Imogen Thackeray said.\n\nThackeray is working from a version by "
        "the playwright Maeve Costigan.\n\n“I wanted people to laugh,” she told me."
    )
    assert speaker_of(document, "“I wanted people") == Attribution("Imogen Thackeray", None)


def test_an_age_far_from_any_name_is_no_one_s() -> None:
    # the last person named is three paragraphs back: "the 39-year-old" is not them
    document = attributed(
        "“The water came fast,” said Group Manager Declan Furlong.\n\nThe river rose all "
        "night.\n\nShops on Bridge Street were flooded.\n\n“We had sandbags,” the 39-year-old "
        "said."
    )
    assert speaker_of(document, "“We had sandbags") == Attribution(None, "the 39-year-old")


@pytest.mark.parametrize(
    ("text", "quote", "who"),
    [
        (  # a person introduced after a preposition, with an age and a role
            "For Lucy Barnard, 29, a primary school teacher from Calderbridge, the difference was"
            " immediate.\n\n“I haven’t been in hospital once since I started,” she said.",
            "I haven’t been in hospital",
            Attribution("Lucy Barnard", "a primary school teacher from Calderbridge"),
        ),
        (  # a label and a name, then a role set off by commas, before the verb
            "Conservative councillor Angela Fairburn, the committee’s vice-chair, argued that delay"
            " would weaken the council. “We should be deciding it tonight,” she said.",
            "deciding it tonight",
            Attribution("Angela Fairburn", "the committee’s vice-chair"),
        ),
        (  # "who said" after a name that follows a preposition
            "She was backed by Labour’s Simon Adeyemi, who said the district had 2,300 households"
            " waiting. “At some point we have to decide where the houses go,” he said.",
            "where the houses go",
            Attribution("Simon Adeyemi", None),
        ),
        (  # a role whose owner is named first, with a plural possessive
            "Speaking for the developer, Corran Homes’ land and planning director, Fiona"
            " Gallagher, said the company had “listened carefully”.",
            "listened carefully",
            Attribution("Fiona Gallagher", "Corran Homes’ land and planning director"),
        ),
        (  # a post and a name opening narration: the next "he"
            "Committee chair Brian Lowther, an independent, abstained.\n\n“Nobody won tonight,” he"
            " said.",
            "Nobody won tonight",
            Attribution("Brian Lowther", "Committee chair, an independent"),
        ),
        (  # a full name given mid-sentence, its first name an English word ("Tobias")
            "Rovers have signed winger Tobias Amankwah from Valmira.\n\nSpeaking on Thursday,"
            " Amankwah said he had made up his mind in June.",
            "made up his mind",
            Attribution("Tobias Amankwah", "winger"),
        ),
    ],
)
def test_people_introduced_in_narration_by_post_age_or_preposition(
    text: str, quote: str, who: Attribution
) -> None:
    assert next(a for s, a in attributed(text) if quote in s) == who


def test_the_unnamed_speaker_of_a_paragraph_is_its_the_councillor() -> None:
    text = (
        "Councillor Paul Stringer said he was “not prepared to vote blind”.\n\n"
        "One committee member, who asked not to be named, said several councillors had been"
        " “spooked”. “Some of us would have voted differently,” the councillor said."
    )
    who = next(a for s, a in attributed(text) if "voted differently" in s)
    assert who == Attribution(None, "One committee member")


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        (  # a long role with a person noun early introduces the next speaker
            "Among those who lost everything was Lorna Bexley, a 68-year-old retired music"
            " teacher who had lived on Juniper Lane for 31 years.\n\n"
            "“I keep thinking I’ll wake up and it’ll still be there,” Bexley said.",
            "wake up",
            "Lorna Bexley",
        ),
        (  # an interview answers for the one the writer spoke to, not the governor quoted
            "When Ruth Abernethy arrived at Hollybrook in 2005, it was in special measures.\n\n"
            "“Ruth has been the heart of this school,” said Martin Ogundipe, the chair.\n\n"
            "We spoke to Mrs Abernethy in her office.\n\n"
            "Q: How does it feel to be leaving?\n\nA: Strange, mostly.\n\n"
            "Q: What did you change first?\n\nA: Breakfast.",
            "A: Strange",
            "Ruth Abernethy",
        ),
    ],
)
def test_who_a_long_role_or_an_interview_introduces(text: str, quote: str, speaker: str) -> None:
    who = next(a for s, a in attributed(text) if quote in s)
    assert who is not None and who.speaker == speaker


def test_a_person_opening_narration_beside_a_known_speaker_is_the_next_she() -> None:
    text = (
        "“I am sorry,” Graham Pellow said.\n\n"
        "Margaret Ellery, 81, a widow who lost £186,000, read her statement while Pellow looked"
        " at the floor.\n\n"
        "“It was meant to pay for my care,” she said."
    )
    who = next(a for s, a in attributed(text) if "my care" in s)
    # the number's comma does not cut her role short
    assert who == Attribution("Margaret Ellery", "a widow who lost £186,000")


@pytest.mark.parametrize(
    ("text", "quote", "role"),
    [
        (
            "Halvern Therapeutics said it had submitted the data. Its chief medical officer, Dr"
            " Martin Kessler, said approval could come.\n\n“We are proud,” Dr Kessler said.",
            "We are proud",
            "Halvern Therapeutics’ chief medical officer",
        ),
        (
            "The charity Asthma Action Trust said the results offered hope. Its director of"
            " policy, Dr Hannah Yeo, said too many people were dying.",
            "too many people",
            "Asthma Action Trust’s director of policy",
        ),
        (  # no organisation quoted just before: "its" is left as written
            "The bank reported a profit.\n\nIts chief executive, Gwen Ashcombe, said the"
            " closures reflected how customers bank.",
            "closures reflected",
            "its chief executive",
        ),
        (  # a person quoted before is no one's "its"
            "Tobias Lyle, an analyst, said the figures were clean. Its national officer, Deborah"
            " Nkemelu, said the closures were a disgrace.",
            "a disgrace",
            "its national officer",
        ),
    ],
)
def test_its_role_names_the_organisation_quoted_just_before(
    text: str, quote: str, role: str
) -> None:
    who = next(a for s, a in attributed(text) if quote in s)
    assert who is not None and who.role == role
