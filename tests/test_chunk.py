"""Sources → chunks: whole sentences in one paragraph, under the model window, offsets kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.chunk import ChunkingParams, chunk_source, embedding_text, estimate_tokens
from bot.embed import SentenceTransformerEmbedder
from bot.ingest import Source, read_source
from bot.records import Chunk
from bot.sentences import normalise_space
from tests.conftest import SEED_FILE, FakeEmbedder

MODEL_WINDOW = 256


def seed_source() -> Source:
    return read_source(SEED_FILE, display_path="seeds/" + SEED_FILE.name)


def write_source(tmp_path: Path, text: str, name: str = "doc.txt") -> Source:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_source(path, display_path="seeds/" + name)


def chunks_of(source: Source, count_tokens=estimate_tokens, **params: int) -> list[Chunk]:  # type: ignore[no-untyped-def]
    return chunk_source(
        source, document=0, first_id=0, params=ChunkingParams(**params), count_tokens=count_tokens
    )


def assert_well_formed(source: Source, chunks: list[Chunk]) -> None:
    """Offsets verbatim, ids consecutive, each chunk inside one paragraph, sentences tiling it,
    and each chunk running on to where the next one of its paragraph starts."""
    blocks = source.paragraphs
    assert [c.id for c in chunks] == list(range(len(chunks)))
    for chunk, following in zip(chunks, chunks[1:], strict=False):
        if following.paragraph == chunk.paragraph and following.passage == chunk.passage:
            assert chunk.end == following.start
    for chunk in chunks:
        assert chunk.text == source.text[chunk.start : chunk.end]
        assert any(b.start <= chunk.start and chunk.end <= b.end for b in blocks)
        assert chunk.sentences[0].start == chunk.start and chunk.sentences[-1].end <= chunk.end
        assert source.text[chunk.sentences[-1].end : chunk.end].strip() == ""
        for before, after in zip(chunk.sentences, chunk.sentences[1:], strict=False):
            assert before.end <= after.start
            assert source.text[before.end : after.start].strip() == ""
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert before.end <= after.start


def test_seed_chunks_are_whole_sentences_in_one_paragraph(
    embedder: SentenceTransformerEmbedder,
) -> None:
    source = seed_source()
    chunks = chunks_of(source, embedder.count_tokens)
    assert_well_formed(source, chunks)
    body = [c for c in chunks if c.passage == "body"]
    assert [c.paragraph for c in body] == sorted(c.paragraph for c in body)
    assert body[0].paragraph == 1
    # Every word of every quotable paragraph is in exactly one chunk, in order.
    words = " ".join(normalise_space(source.text[b.start : b.end]) for b in source.paragraphs)
    assert " ".join(normalise_space(c.text) for c in chunks) == words


def test_seed_chunks_fit_the_model_window_with_their_context(
    embedder: SentenceTransformerEmbedder,
) -> None:
    source = seed_source()
    assert embedder.max_tokens == MODEL_WINDOW
    for chunk in chunks_of(source, embedder.count_tokens):
        assert embedder.count_tokens(chunk.text) <= ChunkingParams().max_tokens
        assert embedder.count_tokens(embedding_text(chunk, source.document)) <= MODEL_WINDOW


def test_speakers_are_kept_per_sentence() -> None:
    chunks = chunks_of(seed_source())
    speakers = {s.attribution.speaker for c in chunks for s in c.sentences if s.attribution}
    assert "Stephen L. Morris" in speakers


def test_max_sentences_caps_a_chunk_and_neighbours_abut(tmp_path: Path) -> None:
    text = "Title line\n\n" + " ".join(f"Sentence number {n} is short." for n in range(7))
    source = write_source(tmp_path, text)
    chunks = chunks_of(source, max_sentences=3)
    assert [len(c.sentences) for c in chunks] == [3, 3, 1]
    assert {c.paragraph for c in chunks} == {1}
    assert_well_formed(source, chunks)


def test_a_paragraph_over_the_token_cap_splits_at_sentences(tmp_path: Path) -> None:
    sentence = "The council met on Tuesday and voted to expand the bus network downtown. "
    source = write_source(tmp_path, "Title line\n\n" + sentence * 40)
    fake = FakeEmbedder()
    chunks = chunks_of(source, fake.count_tokens, max_tokens=60)
    assert len(chunks) > 1
    assert all(fake.count_tokens(c.text) <= 60 for c in chunks)
    assert all(c.text.rstrip().endswith("downtown.") for c in chunks)
    assert_well_formed(source, chunks)


def test_text_without_sentence_punctuation_is_cut_into_word_windows(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    words = [f"word{n % 97}" for n in range(3000)]
    source = write_source(tmp_path, "Title line\n\n" + " ".join(words) + "\n")
    chunks = chunks_of(source, embedder.count_tokens)
    assert len(chunks) > 10
    assert all(embedder.count_tokens(c.text) <= ChunkingParams().max_tokens for c in chunks)
    # Cut between words: together the windows give back every word, in order.
    assert " ".join(c.text for c in chunks).split() == words
    assert_well_formed(source, chunks)


def test_a_run_without_spaces_is_cut_by_characters(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    """CJK text has no spaces, and a tokenizer folds a giant ASCII word into one [UNK]."""
    cjk = "東京は日本の首都であり世界最大の都市圏を持つ" * 60
    giant = "x" * 50_000
    source = write_source(tmp_path, f"Title line\n\nA body paragraph.\n\n{cjk}\n\n{giant}\n")
    chunks = chunks_of(source, embedder.count_tokens)
    params = ChunkingParams()
    assert all(embedder.count_tokens(c.text) <= params.max_tokens for c in chunks)
    assert all(len(c.text) <= params.max_chars for c in chunks)
    assert "".join(c.text for c in chunks if c.paragraph == 2) == cjk
    assert "".join(c.text for c in chunks if c.paragraph == 3) == giant
    assert_well_formed(source, chunks)


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "Only a headline"])
def test_a_file_with_no_body_text_has_no_chunks(tmp_path: Path, text: str) -> None:
    assert chunks_of(write_source(tmp_path, text)) == []


def test_chunking_is_deterministic() -> None:
    assert chunks_of(seed_source()) == chunks_of(seed_source())
