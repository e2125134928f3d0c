"""Retrieval on its own: the three search modes, fusion, coverage and spelling, and the score
arithmetic, over two invented articles indexed once with the fake embedder (no model)."""

from __future__ import annotations

import gc
import shutil
import weakref

import numpy as np
import pytest

from bot.build import build_index
from bot.index import load_index
from bot.retrieve import Mode, Retriever, _rrf, _Scores, _top, terms
from bot.settings import Settings
from tests.conftest import ROOT, FakeEmbedder

ARTICLES = ("invented_bike_lanes.txt", "invented_night_clinic.txt")
EMBEDDER = FakeEmbedder()


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    base = tmp_path_factory.mktemp("retrieve")
    (base / "seeds").mkdir()
    for name in ARTICLES:
        shutil.copyfile(ROOT / "tests" / "data" / name, base / "seeds" / name)
    settings = Settings(BOT_SEEDS_DIR=base / "seeds", BOT_INDEX_DIR=base / "index")
    build_index(settings, embedder=EMBEDDER)
    return Retriever(load_index(settings.index_dir, model=settings.model))


def test_a_retriever_no_one_holds_is_freed_with_its_index(retriever: Retriever) -> None:
    # its caches are its own: a class-level one held every retriever it had seen, and with
    # it a swapped-out index's open files and maps, for as long as its entries lasted
    other = Retriever(retriever.index)
    _search(other, "Who runs the hardware store on Harbour Street?")  # fills every cache
    other.paragraph_terms(0)
    gone = weakref.ref(other)
    del other
    gc.collect()
    assert gone() is None


def _search(retriever: Retriever, question: str, *, mode: Mode = "hybrid", k: int = 5) -> list:  # type: ignore[type-arg]
    return retriever.search(question, EMBEDDER.encode_query(question), k=k, mode=mode)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("Who runs the hardware store on Harbour Street?", "invented_bike_lanes.txt"),
        ("When did the night clinic open for patients?", "invented_night_clinic.txt"),
    ],
)
def test_every_mode_finds_the_article_that_answers(
    retriever: Retriever, mode: Mode, question: str, article: str
) -> None:
    hits = _search(retriever, question, mode=mode)
    assert hits, mode
    assert retriever.documents[hits[0].chunk.document].path.endswith(article)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_hits_come_best_first_and_at_most_k(retriever: Retriever, mode: Mode) -> None:
    hits = _search(retriever, "city council vote on the bike lanes", mode=mode, k=3)
    assert 0 < len(hits) <= 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.chunk.id for h in hits}) == len(hits)


def test_lexical_search_finds_nothing_for_words_the_corpus_lacks(retriever: Retriever) -> None:
    assert _search(retriever, "xylophone quasar", mode="lexical") == []
    assert _search(retriever, "xylophone quasar", mode="dense")  # dense always has neighbours


@pytest.mark.parametrize(
    "question", ["Gordon Lasky hardware store", "Cyclists ride past the depot"]
)
def test_hybrid_score_is_half_cosine_half_relative_bm25_weighed_by_passage(
    retriever: Retriever, question: str
) -> None:
    every = _search(retriever, question, k=len(retriever.index.chunks))
    best_lexical = max(h.lexical for h in every)
    weight = {"body": 1.0, "standfirst": 0.95, "caption": 0.85}
    for hit in every:
        fused = 0.5 * hit.dense + 0.5 * hit.lexical / best_lexical
        assert hit.score == pytest.approx(weight[hit.chunk.passage] * fused, rel=1e-5, abs=1e-6)
    assert {"body", "caption"} <= {h.chunk.passage for h in every}


@pytest.mark.parametrize(
    ("question", "coverage"),
    [
        ("", 0.0),
        ("xylophone", 0.0),
        ("hardware store", 1.0),
    ],
)
def test_coverage_of_the_question_by_a_passage(
    retriever: Retriever, question: str, coverage: float
) -> None:
    hits = _search(retriever, "Gordon Lasky hardware store", k=1)
    found = retriever.coverage(
        retriever.query_terms(question), retriever.paragraph_terms(hits[0].chunk.id)
    )
    assert found == pytest.approx(coverage)


def test_coverages_of_many_texts_are_each_texts_coverage(retriever: Retriever) -> None:
    texts = [c.text for c in retriever.index.chunks[:40]] + ["", "hardware hardware store"]
    for question in ("Who runs the hardware store?", "night clinic nurses", "", "xylophone"):
        query = retriever.query_terms(question)
        expected = [retriever.coverage(query, terms(text)) for text in texts]
        assert retriever.coverages(query, texts) == expected


def test_a_misspelt_word_is_read_as_the_corpus_word(retriever: Retriever) -> None:
    assert retriever.query_terms("Who is Lasy?") == retriever.query_terms("Who is Lasky?")
    assert retriever.corpus_coverage(retriever.query_terms("Lasky xylophone")) < 1.0
    assert retriever.corpus_coverage(retriever.query_terms("Lasky hospital")) == 1.0


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("organisation", "organization"),
        ("specialises", "specializes"),  # the stemmer cuts these two differently
        ("analysed", "analyzed"),
        ("colours", "colors"),
        ("centre", "center"),
        ("defence", "defense"),
        ("programme", "program"),
        ("harbour", "harbor"),
        ("sceptical", "skeptical"),
    ],
)
def test_british_and_american_spellings_are_one_term(british: str, american: str) -> None:
    assert terms(british) == terms(american)


@pytest.mark.parametrize(
    ("one", "other"),
    [("size", "sise"), ("prize", "prise"), ("meter", "metre"), ("tire", "tyre")],
)
def test_words_of_other_meanings_stay_apart(one: str, other: str) -> None:
    assert terms(one) != terms(other)


def test_rrf_adds_reciprocal_ranks() -> None:
    fused = _rrf([[7, 8], [8, 9]], k=60)
    assert fused == pytest.approx({7: 1 / 61, 8: 1 / 62 + 1 / 61, 9: 1 / 62})


@pytest.mark.parametrize(
    ("scores", "count", "top"),
    [
        ([0.1, 0.9, 0.5], 2, [1, 2]),
        ([0.5, 0.5, 0.9], 3, [2, 0, 1]),  # ties by index
        ([0.3], 5, [0]),
        ([], 3, []),
    ],
)
def test_top_is_best_first_ties_by_index(scores: list[float], count: int, top: list[int]) -> None:
    assert _top(np.asarray(scores, dtype=np.float32), count) == top


def test_sparse_scores_read_zero_where_absent() -> None:
    scores = _Scores(
        np.array([2, 5, 9], dtype=np.int64), np.array([0.5, 0.0, 2.0], dtype=np.float32)
    )
    assert [float(scores[row]) for row in (0, 2, 5, 9, 10)] == [0.0, 0.5, 0.0, 2.0, 0.0]
    assert scores.at([9, 3, 2]).tolist() == [2.0, 0.0, 0.5]
    assert float(scores.max()) == 2.0
    assert scores.top(5) == [9, 2]  # a zero score is not a hit
    empty = _Scores(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
    assert float(empty.max()) == 0.0 and empty.top(3) == [] and empty.at([1]).tolist() == [0.0]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_a_vector_still_being_computed_gives_the_same_hits(
    retriever: Retriever, mode: Mode
) -> None:
    """Given the function that embeds the question, the search runs it on a worker thread
    beside the lexical search: same hits, scores and order as with the vector in hand."""
    for question in ("Who runs the hardware store on Harbour Street?", "night clinic nurses"):
        vector = EMBEDDER.encode_query(question)
        assert retriever.search(question, lambda v=vector: v, k=8, mode=mode) == retriever.search(
            question, vector, k=8, mode=mode
        )


def test_an_embedding_that_fails_fails_the_search(retriever: Retriever) -> None:
    def broken() -> np.ndarray:  # type: ignore[type-arg]
        raise RuntimeError("the encoder broke")

    with pytest.raises(RuntimeError, match="the encoder broke"):
        retriever.search("night clinic", broken)


def test_a_paragraphs_match_read_by_term_ids_is_the_match_of_its_terms(
    retriever: Retriever,
) -> None:
    """`paragraph_match` compares term ids; the same figures as comparing the paragraph's
    terms (coverage of the question's terms, share of its adjacent pairs found adjacent)."""
    questions = [
        "Who runs the hardware store on Harbour Street?",
        "night clinic opened for patients at night",
        "bike lanes bike lanes council",
        "words the corpus lacks entirely zzzz",
        "",
    ]
    seen = []
    for question in questions:
        query = tuple(retriever.query_terms(question))
        pairs = set(zip(query, query[1:], strict=False))
        for row in range(len(retriever.index.chunks)):
            paragraph = retriever.paragraph_terms(row)
            present = set(zip(paragraph, paragraph[1:], strict=False))
            phrase = len(pairs & present) / len(pairs) if pairs else 0.0
            expected = (retriever.coverage(query, paragraph), phrase)
            assert retriever.paragraph_match(query, row) == expected, (question, row)
            seen.append(expected)
    assert any(phrase > 0 for _, phrase in seen) and any(0 < cover < 1 for cover, _ in seen)
