"""A passage's verbatim quote (`bot.quotes`): cut from the source file at sentence ends,
remembered per index, and told apart from a quote that repeats it."""

from __future__ import annotations

from dataclasses import replace

from bot.index import load_index
from bot.quotes import MAX_QUOTE_CHARS, Quoted, Quoter, bounded_end, overlaps, words_of
from bot.records import Chunk, Sentence
from bot.retrieve import Retriever, terms
from bot.settings import Settings


def _retriever(seed_index: Settings) -> Retriever:
    return Retriever(load_index(seed_index.index_dir, model=seed_index.model))


def test_a_quote_is_the_source_files_own_characters_around_its_best_sentence(
    seed_index: Settings,
) -> None:
    retriever = _retriever(seed_index)
    quoter = Quoter(window_sentences=3)
    for chunk in retriever.index.chunks:
        quoted = quoter.quote(chunk, terms("FBI opt out"), retriever)
        quote = quoted.quote
        source = (seed_index.seeds_dir.parent / quote.document.path).read_text(encoding="utf-8")
        assert quote.text == source[quote.char_start : quote.char_end]
        assert quoted.words == frozenset(terms(quote.text))
        if quote.highlight is not None:
            start, end = quote.highlight
            assert 0 <= start < end <= len(quote.text)


def test_a_quote_is_remembered_for_its_index_and_made_afresh_for_another(
    seed_index: Settings,
) -> None:
    retriever = _retriever(seed_index)
    quoter = Quoter(window_sentences=3)
    chunk = retriever.index.chunks[0]
    first = quoter.quote(chunk, ["fbi"], retriever)
    assert quoter.quote(chunk, ["fbi"], retriever) is first
    assert quoter.quote(chunk, ["ice"], retriever) is not first  # other words, another quote
    rebuilt = _retriever(seed_index)  # what a reload after `index build` swaps in
    again = quoter.quote(rebuilt.index.chunks[0], ["fbi"], rebuilt)
    assert again is not first
    assert again == first


def _chunk(text: str, sentence_ends: list[int]) -> Chunk:
    starts = [0, *sentence_ends[:-1]]
    sentences = tuple(Sentence(start=s, end=e) for s, e in zip(starts, sentence_ends, strict=True))
    return Chunk(
        id=0,
        document=0,
        paragraph=0,
        start=0,
        end=len(text),
        text=text,
        sentences=sentences,
    )


def test_a_long_statement_stops_at_the_last_sentence_end_that_fits() -> None:
    sentence = "The council met again on Tuesday night. "  # 40 characters
    text = sentence * 100
    chunk = _chunk(text, [40 * (i + 1) for i in range(100)])
    assert bounded_end([chunk], 0, 200) == 200  # short enough: as it is
    end = bounded_end([chunk], 0, len(text))
    assert end <= MAX_QUOTE_CHARS and end % 40 == 0
    assert end > MAX_QUOTE_CHARS - 40


def test_a_text_with_no_sentence_end_stops_at_a_space() -> None:
    text = "word " * 1000
    chunk = _chunk(text, [len(text)])
    end = bounded_end([chunk], 0, len(text))
    assert end <= MAX_QUOTE_CHARS
    assert text[end] == " " and text[end - 1] != " "


def _quoted(seed_quote: Quoted, text: str, start: int, path: str) -> Quoted:
    quote = replace(
        seed_quote.quote,
        text=text,
        char_start=start,
        char_end=start + len(text),
        document=replace(seed_quote.quote.document, path=path),
    )
    return Quoted(quote, words_of(text, []), 0.0)


def test_two_quotes_overlap_when_they_share_characters_or_nearly_all_their_words(
    seed_index: Settings,
) -> None:
    retriever = _retriever(seed_index)
    seed = Quoter(window_sentences=3).quote(retriever.index.chunks[0], [], retriever)
    said = "The programme was meant to be mandatory for every county in the state."
    other = "Officials in Boston asked to leave it, and were told that they could not."
    one = _quoted(seed, said, 100, "a.txt")
    assert overlaps(_quoted(seed, other, 150, "a.txt"), one)  # the same characters of a.txt
    assert not overlaps(_quoted(seed, other, 400, "a.txt"), one)
    assert overlaps(_quoted(seed, said, 900, "b.txt"), one)  # a reprint elsewhere
    assert not overlaps(_quoted(seed, other, 100, "b.txt"), one)
