import re
from pathlib import Path

import pytest

from bot.sentences import is_abbreviation, normalise_space, split_sentences

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_6a964d9d721bf48f.txt"


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def seed_paragraphs() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def seed_paragraph(prefix: str) -> str:
    return next(p for p in seed_paragraphs() if p.startswith(prefix))


# --- The seed article ------------------------------------------------------------------------


def test_speech_tag_sentence_splits_before_the_next_quotation() -> None:
    assert sentences(seed_paragraph("“I agree,”")) == [
        "“I agree,” replied Stephen L. Morris, the special agent in charge of Houston.",
        "“Any way we go will contradict one of our\xa0partners.”",
    ]


def test_closing_quote_stays_with_the_sentence_it_closes() -> None:
    paragraph = seed_paragraph("Jerome M. Pender")
    assert sentences(paragraph) == [paragraph]
    assert paragraph.endswith("could\xa0“implode.”")


def test_seed_paragraph_sentence_counts() -> None:
    assert len(sentences(seed_paragraph("“Whatever else"))) == 3
    assert len(sentences(seed_paragraph("“When it comes"))) == 2
    assert len(sentences(seed_paragraph("“This is a tough one"))) == 2
    assert len(sentences(seed_paragraph("Under the program"))) == 2
    # "Washington, D.C., Massachusetts": an abbreviation followed by a comma ends nothing.
    assert len(sentences(seed_paragraph("So far multiple states"))) == 1
    # "the U.S. attorney general": lowercase after the abbreviation.
    assert len(sentences(seed_paragraph("In addition, the e-mails"))) == 1


@pytest.mark.parametrize("paragraph", seed_paragraphs())
def test_spans_are_trimmed_ordered_and_cover_every_word(paragraph: str) -> None:
    spans = split_sentences(paragraph)
    assert all(start < end for start, end in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    for start, end in spans:
        piece = paragraph[start:end]
        assert piece == piece.strip()
    joined = " ".join(paragraph[start:end] for start, end in spans)
    assert normalise_space(joined) == normalise_space(paragraph)


# --- Abbreviations, initials and numbers -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Hale met Mrs. Ortiz and Ms. Chen at noon.",
        "Dr. Okafor and Prof. Lindqvist disagreed.",
        "Sen. Warren, Rep. Cole and Gov. Hochul attended.",
        "Gen. Milley briefed Lt. Col. Vindman on the plan.",
        "She grew up on St. Clair Avenue in Toronto.",
        "Martin Luther King Jr. spoke in 1963.",
        "Acme Inc. bought Beta Corp. and Gamma Co. Ltd. last year.",
        "It was Smith vs. Jones in the final.",
        "The No. 2 seed advanced on Jan. 5 after a long delay.",
        "Some fruits, e.g. Apples, keep well, i.e. For months.",
        "The vote is at 9 a.m. Wednesday in the U.S. Senate.",
        "The U.K. Treasury and the U.S. President spoke.",
        "Jerome M. Pender and Daniel D. Roberts were copied.",
        "Growth slowed to 3.5 percent from 4.1 percent.",
    ],
)
def test_abbreviations_initials_and_decimals_do_not_end_sentences(text: str) -> None:
    assert sentences(text) == [text]


def test_abbreviation_before_a_common_opener_ends_the_sentence() -> None:
    # The documented choice for the hard case: "D.C. The" splits, "D.C. Officials..." too.
    assert sentences("He moved to Washington, D.C. The next day he resigned.") == [
        "He moved to Washington, D.C.",
        "The next day he resigned.",
    ]
    assert sentences("The talks ended at 5 p.m. They resume Monday.") == [
        "The talks ended at 5 p.m.",
        "They resume Monday.",
    ]
    assert sentences("She was born in the U.S. “It shaped me,” she said.") == [
        "She was born in the U.S.",
        "“It shaped me,” she said.",
    ]


def test_title_never_ends_a_sentence_even_before_an_opener() -> None:
    assert sentences("The award went to Dr. The Nguyen twins accepted.") == [
        "The award went to Dr. The Nguyen twins accepted."
    ]


def test_ordinary_words_end_sentences_before_capitals_and_digits() -> None:
    assert sentences("Prices rose. 2012 was worse. Nobody knew why!") == [
        "Prices rose.",
        "2012 was worse.",
        "Nobody knew why!",
    ]


# --- Quotations ------------------------------------------------------------------------------


def test_commas_inside_quotes_do_not_end_sentences() -> None:
    assert sentences("“No,” she said, “not yet.” Then she left.") == [
        "“No,” she said, “not yet.”",
        "Then she left.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "“Why?” he asked.",
        "“Stop!” shouted the guard.",
        "“Is it over?” Ana Ruiz asked.",
        '"Really?" she wondered aloud.',
    ],
)
def test_question_or_exclamation_before_its_speech_tag_stays(text: str) -> None:
    assert sentences(text) == [text]


def test_question_inside_quote_then_new_sentence_splits() -> None:
    assert sentences("“Why?” Nobody answered.") == ["“Why?”", "Nobody answered."]


def test_single_quotes_and_brackets_close_sentences() -> None:
    assert sentences("He called it ‘a disaster.’ Others agreed. (It was.) Then rain.") == [
        "He called it ‘a disaster.’",
        "Others agreed.",
        "(It was.)",
        "Then rain.",
    ]


def test_ellipsis_and_repeated_marks_end_sentences() -> None:
    assert sentences("We waited… Then it came. Really?! Yes...") == [
        "We waited…",
        "Then it came.",
        "Really?!",
        "Yes...",
    ]


def test_lowercase_after_period_continues_the_sentence() -> None:
    assert sentences("He paused. and went on.") == ["He paused. and went on."]


# --- Whitespace and size ---------------------------------------------------------------------


def test_no_break_space_separates_sentences_but_is_trimmed() -> None:
    text = "\xa0The first ended.\xa0\xa0The second began.\xa0"
    assert sentences(text) == ["The first ended.", "The second began."]


def test_text_without_sentence_punctuation_is_one_span() -> None:
    text = "  a headline with no full stop  "
    assert split_sentences(text) == [(2, 30)]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \xa0\t ") == []


def test_huge_text_without_punctuation_is_one_span() -> None:
    text = "word " * 4_000_000
    assert split_sentences(text) == [(0, len(text) - 1)]


def test_huge_runs_of_marks_and_spaces_stay_linear() -> None:
    dots = "." * 2_000_000 + "x"
    assert split_sentences(dots) == [(0, len(dots))]
    spaced = "A. " * 300_000
    assert len(split_sentences(spaced)) == 300_000


# --- Helpers ---------------------------------------------------------------------------------


def test_normalise_space_collapses_every_kind_of_whitespace() -> None:
    assert normalise_space("  a\xa0\xa0b\n\tc \u2009d ") == "a b c d"


@pytest.mark.parametrize("token", ["Mr.", "Gov", "D.C.", "U.S.", "p.m.", "M.", "Inc.", "e.g."])
def test_known_abbreviations(token: str) -> None:
    assert is_abbreviation(token)


@pytest.mark.parametrize("token", ["Houston.", "program", "3.5", "", "implode."])
def test_ordinary_words_are_not_abbreviations(token: str) -> None:
    assert not is_abbreviation(token)
