"""The index at scale, on small corpora: stored lexical index, lazy records, IVF updates."""

from __future__ import annotations

import json
import random
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import bm25s
import numpy as np
import numpy.typing as npt
import pytest

from bot.build import build_index
from bot.chunk import ChunkingParams
from bot.index import (
    COLUMNS,
    CURRENT,
    PARTS,
    SPEAKERS,
    ChunkStore,
    _read_through,
    chunk_to_json,
    index_spec,
    load_index,
)
from bot.lexical import (
    BM25_B,
    BM25_K1,
    ScoreMatrix,
    impact_lists,
    lexical_text,
    score_matrix,
    terms,
    tokens_of,
)
from bot.records import Chunk
from bot.retrieve import Retriever
from bot.settings import Settings
from bot.speakers import Roster, find_speaker, find_speakers, roster
from bot.vocabulary import Vocabulary
from tests.conftest import FakeEmbedder, copy_seeds

DATA = Path(__file__).parent / "data"

QUESTIONS = [
    "Who is Stephen Morris?",
    "What did the FBI say about the investigation?",
    "Moris Houston agent",
    "pictures of the building",
    "What is the capital of Mongolia?",
]


def test_bm25_scores_are_bm25s_scores_to_the_bit() -> None:
    rng = random.Random(0)
    words = [f"w{i}" for i in range(300)]
    corpus = [
        [rng.choice(words[: rng.randint(5, 300)]) for _ in range(rng.randint(0, 40))]
        for _ in range(500)
    ]
    reference = bm25s.BM25(k1=BM25_K1, b=BM25_B)
    reference.index(corpus, show_progress=False)
    tokens = tokens_of(corpus)
    matrix, df = score_matrix(tokens.ids, tokens.offsets, len(tokens.vocabulary))
    column = {t: i for i, t in enumerate(tokens.vocabulary)}
    for _ in range(50):
        query = [rng.choice(words) for _ in range(rng.randint(1, 6))]
        known = [t for t in query if t in column]
        if not known:
            continue
        expected = np.asarray(reference.get_scores(known), dtype=np.float32)
        assert np.array_equal(matrix.scores([column[t] for t in known]), expected)
    assert df.sum() == sum(len(set(doc)) for doc in corpus)


@pytest.fixture
def built(tmp_path: Path) -> Settings:
    settings = Settings(BOT_SEEDS_DIR=copy_seeds(tmp_path / "seeds"), BOT_INDEX_DIR=tmp_path / "ix")
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    return settings


def _results(settings: Settings) -> list[list[tuple[int, float, float, float]]]:
    index = load_index(settings.index_dir, model=settings.model)
    retriever = Retriever(index)
    embedder = FakeEmbedder()
    found = []
    for question in QUESTIONS:
        hits = retriever.search(question, embedder.encode_query(question), k=8)
        found.append([(h.chunk.id, h.score, h.lexical, h.coverage) for h in hits])
        found.append(
            [
                (
                    0,
                    retriever.coverage(
                        retriever.query_terms(question), retriever.paragraph_terms(h.chunk.id)
                    ),
                    0.0,
                    0.0,
                )
                for h in hits
            ]
        )
    found.append(
        [
            (int(retriever.vocabulary.knows(w)), 0.0, 0.0, 0.0)
            for w in ("morris", "moris", "houston", "zzzz", "fbi")
        ]
    )
    return found


def test_stored_lexical_index_answers_as_one_computed_at_load(built: Settings) -> None:
    """The parts written at build time give the very same hits, scores and vocabulary as the
    lexical index computed from the chunk records (how a build from before them is read)."""
    stored = _results(built)
    index = load_index(built.index_dir, model=built.model)
    assert isinstance(index.chunks, ChunkStore)
    build = (built.index_dir / CURRENT).resolve()
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    lines = [json.dumps(chunk_to_json(chunk)) + "\n" for chunk in index.chunks]
    (build / "chunks.jsonl").write_text("".join(lines), encoding="utf-8")  # as builds wrote them
    manifest["parts"]["chunks.jsonl"] = (build / "chunks.jsonl").stat().st_size
    for name in PARTS[4:]:
        (build / name).unlink()
        manifest["parts"].pop(name)
    (build / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _results(built) == stored


def test_records_are_read_lazily(built: Settings) -> None:
    index = load_index(built.index_dir, model=built.model)
    chunks = index.chunks
    assert [c.id for c in chunks[2:5]] == [2, 3, 4]
    assert chunks[-1].id == len(chunks) - 1
    assert all(chunks[i].document == index.columns.document[i] for i in range(len(chunks)))
    with pytest.raises(IndexError):
        chunks[len(chunks)]
    retriever = Retriever(index)
    for row in range(len(chunks)):  # the stored terms are the text's, stemmed as before
        assert retriever._chunk_terms(row) == tuple(terms(lexical_text(chunks[row])))


def test_a_documents_rows_are_found_without_reading_the_whole_column(tmp_path: Path) -> None:
    settings = _ivf(tmp_path)
    build_index(settings, embedder=FakeEmbedder())
    columns = load_index(settings.index_dir, model=settings.model).columns
    shuffled = replace(columns, document=np.random.default_rng(0).permutation(columns.document))
    for each in (columns, shuffled):
        documents = int(each.document.max()) + 1
        assert documents > 1
        for document in range(-1, documents + 1):  # and two numbers no document has
            expected = np.flatnonzero(each.document == document)
            assert each.rows_of_document(document).tolist() == expected.tolist()
    assert columns._by_document[0] is None  # built in document order: no order kept


def _ivf(tmp_path: Path) -> Settings:
    seeds = copy_seeds(tmp_path / "seeds")
    shutil.copy(DATA / "invented_bike_lanes.txt", seeds / "invented_bike_lanes.txt")
    return Settings(
        BOT_SEEDS_DIR=seeds,
        BOT_INDEX_DIR=tmp_path / "ix",
        BOT_EXACT_SEARCH_LIMIT=10,
    )


def test_a_corpus_too_small_to_train_stays_exact_whatever_the_limit(tmp_path: Path) -> None:
    assert index_spec(15, exact_limit=0) == "Flat"  # fewer vectors than the 16 lists
    assert index_spec(16, exact_limit=0) == "IVF16,PQ192x4fs"
    seeds = copy_seeds(tmp_path / "seeds")  # the seed alone: 15 chunks
    settings = Settings(
        BOT_SEEDS_DIR=seeds, BOT_INDEX_DIR=tmp_path / "ix", BOT_EXACT_SEARCH_LIMIT=0
    )
    assert build_index(settings, embedder_factory=lambda _s: FakeEmbedder()).index_type == "Flat"


def test_one_changed_document_reuses_the_trained_ivf_index(tmp_path: Path) -> None:
    settings = _ivf(tmp_path)
    first = build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    assert first.index_type.startswith("IVF")
    before = load_index(settings.index_dir, model=settings.model)
    centroids = before.faiss_index.quantizer.reconstruct_n(0, before.faiss_index.nlist)
    seed = sorted(settings.seeds_dir.glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\nA new closing paragraph.\n")
    embedder = FakeEmbedder()
    second = build_index(settings, embedder_factory=lambda _s: embedder)
    after = load_index(settings.index_dir, model=settings.model)
    assert second.index_type == first.index_type
    assert 0 < second.embedded_chunks < second.chunks
    assert len(embedder.encoded) == second.embedded_chunks
    # not retrained: the very same coarse centroids; the changed rows took new ids
    assert np.array_equal(
        after.faiss_index.quantizer.reconstruct_n(0, after.faiss_index.nlist), centroids
    )
    assert after.faiss_index.ntotal == second.chunks
    assert int(after.columns.key.max()) >= second.chunks
    assert len(set(after.columns.key.tolist())) == second.chunks
    # every stored vector is found under its own row, and search agrees with an exact scan
    vectors = np.asarray(after.vectors)
    for row in range(0, len(vectors), 7):
        assert after.search(vectors[row], 1) == [row]
    query = FakeEmbedder().encode_query("Who is Stephen Morris?")
    exact = np.argsort(-(vectors @ query), kind="stable")[:5].tolist()
    assert after.search(query, 5) == exact


def test_a_full_build_retrains_and_renumbers(tmp_path: Path) -> None:
    settings = _ivf(tmp_path)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    seed = sorted(settings.seeds_dir.glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\nA new closing paragraph.\n")
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    summary = build_index(settings, full=True, embedder_factory=lambda _s: FakeEmbedder())
    index = load_index(settings.index_dir, model=settings.model)
    assert index.columns.key.tolist() == list(range(summary.chunks))
    assert COLUMNS in (index.manifest.parts or {})


def test_vocabulary_tables_answer_as_the_vocabulary_in_memory(built: Settings) -> None:
    index = load_index(built.index_dir, model=built.model)
    stored = Retriever(index).vocabulary
    in_memory = Vocabulary(lexical_text(chunk) for chunk in index.chunks)
    rng = random.Random(1)
    probes = sorted(in_memory.words)[:: max(1, len(in_memory.words) // 150)]
    for word in probes:
        changed = list(word)
        changed[rng.randrange(len(word))] = rng.choice("aeiouxyz")
        for probe in (word, "".join(changed), word[1:], word + "s", word[::-1]):
            assert stored.correct(probe) == in_memory.correct(probe), probe
            assert stored.knows(probe) == in_memory.knows(probe), probe
    for acronym in ("FBI", "DOJ", "NYPD", "XQZ", "US", "HPD"):
        assert stored.has_initials(acronym) == in_memory.has_initials(acronym), acronym
    assert stored.words == in_memory.words


def test_a_large_index_scores_only_matching_chunks_with_the_same_arithmetic(
    tmp_path: Path,
) -> None:
    settings = _ivf(tmp_path)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    index = load_index(settings.index_dir, model=settings.model)
    retriever = Retriever(index)
    assert index.manifest.index_type != "Flat"
    flat = Retriever(replace(index, manifest=replace(index.manifest, index_type="Flat")))
    for question in [*QUESTIONS, "bike lanes council vote", "zzzz"]:
        for with_paragraph in (True, False):
            terms_asked = retriever.query_terms(question)
            sparse = retriever._lexical_scores(terms_asked, with_paragraph=with_paragraph)
            dense = flat._lexical_scores(flat.query_terms(question), with_paragraph=with_paragraph)
            expanded = np.zeros(len(index.chunks), dtype=np.float32)
            expanded[sparse.rows] = sparse.values
            assert np.array_equal(expanded, dense.values), question
            assert sparse.top(50) == dense.top(50)


def test_impact_lists_keep_each_terms_best_postings() -> None:
    rng = np.random.default_rng(3)
    corpus = [[f"w{rng.zipf(1.5) % 40}" for _ in range(rng.integers(1, 30))] for _ in range(400)]
    tokens = tokens_of(corpus)
    matrix, _ = score_matrix(tokens.ids, tokens.offsets, len(tokens.vocabulary))
    whole = impact_lists(matrix, depth=10_000)
    for term in range(len(tokens.vocabulary)):  # deep enough: every list whole, sums equal
        rows, scores = whole.accumulate([term, 0, term])
        assert np.array_equal(rows, np.flatnonzero(matrix.scores([term, 0, term])))
        assert np.array_equal(scores, matrix.scores([term, 0, term])[rows])
    cut = impact_lists(matrix, depth=5)
    for term in range(len(tokens.vocabulary)):
        column = matrix.scores([term])
        present = np.flatnonzero(column)
        rows, scores = cut.accumulate([term])
        expected = sorted(present.tolist(), key=lambda r: (-column[r], r))[:5]
        assert sorted(rows.tolist()) == sorted(expected)
        assert np.array_equal(scores, column[rows])
        assert cut.cut([term], matrix) == (len(present) > 5)
        assert np.array_equal(
            matrix.scores_of([term, term], rows), matrix.scores([term, term])[rows]
        )


def test_scores_of_some_documents_equal_the_whole_sums() -> None:
    rng = np.random.default_rng(5)
    corpus = [[f"w{rng.zipf(1.5) % 40}" for _ in range(rng.integers(1, 30))] for _ in range(400)]
    tokens = tokens_of(corpus)
    matrix, _ = score_matrix(tokens.ids, tokens.offsets, len(tokens.vocabulary))
    absent = len(tokens.vocabulary)  # a term no document has: an empty column
    grown = ScoreMatrix(
        matrix.data, matrix.indices, np.append(matrix.indptr, matrix.indptr[-1]), 400
    )
    for _ in range(50):
        asked = rng.integers(0, absent + 1, size=int(rng.integers(0, 7))).tolist()
        rows = rng.integers(0, 400, size=int(rng.integers(0, 60)))  # unsorted, repeats
        expected = grown.scores(asked)[rows]
        assert np.array_equal(grown.scores_of(asked, rows.astype(np.int64)), expected)


def test_cut_impact_lists_score_every_chunk_exactly_when_asked(tmp_path: Path) -> None:
    settings = _ivf(tmp_path)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    index = load_index(settings.index_dir, model=settings.model)
    lexicon = index.lexicon
    shallow = replace(
        lexicon,
        chunk_impacts=impact_lists(lexicon.chunks, depth=1),
        paragraph_impacts=impact_lists(lexicon.paragraphs, depth=1),
    )
    cut = Retriever(replace(index, lexicon=shallow))
    flat = Retriever(replace(index, manifest=replace(index.manifest, index_type="Flat")))
    everything = list(range(len(index.chunks)))
    was_cut = 0
    for question in [*QUESTIONS, "bike lanes council vote", "the police said"]:
        exact = flat._lexical_scores(flat.query_terms(question), with_paragraph=False)
        found = cut._lexical_scores(cut.query_terms(question), with_paragraph=False)
        assert np.array_equal(found.at(everything), exact.values), question
        assert found.top(1) == exact.top(1), question
        was_cut += found.exact is not None
        blended = cut._lexical_scores(cut.query_terms(question), with_paragraph=True)
        assert blended.top(1) == flat._lexical_scores(
            flat.query_terms(question), with_paragraph=True
        ).top(1)
    assert was_cut >= 2


def test_the_stored_roster_is_the_roster_of_the_chunks(tmp_path: Path) -> None:
    settings = _ivf(tmp_path)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    seed = sorted(settings.seeds_dir.glob("*.txt"))[0]  # then one document changes
    seed.write_text("A new opening paragraph.\n\n" + seed.read_text(encoding="utf-8"))
    summary = build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    assert 0 < summary.reused_chunks < summary.chunks
    index = load_index(settings.index_dir, model=settings.model)
    assert SPEAKERS in (index.manifest.parts or {})
    assert index.speakers == roster(index.chunks)
    assert len(index.speakers) > 3
    every = Roster(index.speakers)
    names = [s.name or "" for s in index.speakers] + [s.role or "" for s in index.speakers]
    phrases = [*names, "Moris", "the Houston agent", "agents", "Kraut", "nobody at all", "FBI"]
    for phrase in phrases:
        assert every.find(phrase) == find_speaker(phrase, index.speakers), phrase
        assert every.find_all(phrase) == find_speakers(phrase, index.speakers), phrase
        other = find_speaker(phrase, index.speakers)
        assert every.find(phrase, exclude=other) == find_speaker(
            phrase, index.speakers, exclude=other
        )
    copies = (*index.speakers, *(replace(s, document=s.document + 50) for s in index.speakers))
    for phrase in phrases:  # the same name and role in another document: the first is found
        assert find_speaker(phrase, copies) == find_speaker(phrase, index.speakers), phrase
    for speaker in index.speakers:
        assert every.of(speaker.attribution) == next(
            s for s in index.speakers if s.attribution == speaker.attribution
        )


def test_a_large_index_holds_its_vectors_in_memory_in_16_bits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the exact-search limit the vectors are mapped; re-scoring then reads rows from a
    16-bit copy filled in the background: each component within half a step of the file's,
    the same rankings as from the file alone."""
    settings = _ivf(tmp_path)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    query = FakeEmbedder().encode_query("Who is Stephen Morris?")
    with monkeypatch.context() as patch:
        patch.setattr("bot.index.RESIDENT_VECTOR_BYTES", 0)  # too big to hold: from the file
        on_disk = load_index(settings.index_dir, model=settings.model)
        vectors = np.asarray(on_disk.vectors)
        rows = np.arange(0, len(vectors), 3)
        assert np.array_equal(on_disk.vector_rows(rows), vectors[rows])
        assert not on_disk.wait_until_resident(0.1)
    index = load_index(settings.index_dir, model=settings.model)
    assert index.wait_until_resident(30)
    assert 0 < np.abs(index.vector_rows(rows) - vectors[rows]).max() <= 0.5 / 32767 + 1e-7
    for question in QUESTIONS:
        query = FakeEmbedder().encode_query(question)
        assert index.search(query, 10) == on_disk.search(query, 10)
        assert index.search(query, 40)[:10] == on_disk.search(query, 40)[:10]


def test_a_large_index_reads_its_random_access_files_through_once(tmp_path: Path) -> None:
    """Past the exact-search limit the first search starts reading the files answers read at
    random into the page cache; an index searched exactly does not."""
    settings = _ivf(tmp_path)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    index = load_index(settings.index_dir, model=settings.model)
    index.search(FakeEmbedder().encode_query("Who is Stephen Morris?"), 10)
    assert index.wait_until_warm(30)
    small = Settings(BOT_SEEDS_DIR=copy_seeds(tmp_path / "s"), BOT_INDEX_DIR=tmp_path / "small")
    build_index(small, embedder_factory=lambda _s: FakeEmbedder())
    assert not load_index(small.index_dir, model=small.model).wait_until_warm(0.1)


def test_reading_through_passes_over_what_it_cannot_read(tmp_path: Path) -> None:
    """A file gone (a build removed under the bot) or a folder in its place stops nothing; the
    budget bounds the bytes read in all."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "a").write_bytes(b"x" * 3000)
    (tmp_path / "b").write_bytes(b"y" * 2_000_000)
    paths = [tmp_path / name for name in ("gone", "folder", "a", "b")]
    assert _read_through(paths, 10_000_000) == 2_003_000
    assert _read_through(paths, 1_500_000) == 1_500_000
    assert _read_through(paths, 0) == 0


def test_vectors_that_are_not_unit_length_are_read_from_the_file(tmp_path: Path) -> None:
    settings = _ivf(tmp_path)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    path = (settings.index_dir / CURRENT).resolve() / "vectors.npy"
    vectors = np.load(path)
    vectors[3, 0] = 1.5  # as a model that does not normalise would leave it
    np.save(path, vectors)
    index = load_index(settings.index_dir, model=settings.model)
    assert not index.wait_until_resident(1)
    assert np.array_equal(index.vector_rows(np.array([3, 4])), vectors[[3, 4]])


def test_a_chunks_paragraph_is_the_chunks_joined_to_it(tmp_path: Path) -> None:
    """`ChunkStore.paragraph` (from the paragraph groups) gives the same chunks as walking to
    the neighbours that continue the same paragraph end to start."""
    settings = _ivf(tmp_path)
    chunking = ChunkingParams(max_sentences=1)  # long paragraphs in several chunks
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder(), chunking=chunking)
    chunks = load_index(settings.index_dir, model=settings.model).chunks

    def joined(before: Chunk, after: Chunk) -> bool:
        return (before.document, before.paragraph, before.end) == (
            after.document,
            after.paragraph,
            after.start,
        )

    multi = 0
    for row in range(len(chunks)):
        first = last = row
        while first > 0 and joined(chunks[first - 1], chunks[first]):
            first -= 1
        while last + 1 < len(chunks) and joined(chunks[last], chunks[last + 1]):
            last += 1
        assert [c.id for c in chunks.paragraph(row)] == list(range(first, last + 1)), row
        multi += last > first
    assert multi


def test_a_large_index_readies_the_gate_while_the_question_is_embedded(tmp_path: Path) -> None:
    """Past the exact-search limit, what the gate asks of the question alone (names no document
    mentions) is worked out on the answering thread while the worker embeds the question."""
    from bot.answer import Answerer

    settings = _ivf(tmp_path)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    question = "Why are shop owners worried about the bike lanes on Harbour Street?"
    ready: list[bool] = []

    class Waiting(FakeEmbedder):
        def encode_query(self, text: str) -> npt.NDArray[np.float32]:
            deadline = time.monotonic() + 10  # bounded: old code never readies it
            while not prepared() and time.monotonic() < deadline:
                time.sleep(0.001)
            ready.append(prepared())
            return super().encode_query(text)

    answerer = Answerer(settings, Waiting(), load_index(settings.index_dir, model=settings.model))
    gate = answerer._gate

    def prepared() -> bool:  # the question's missing names are remembered
        return gate.missing_names.cache_info().currsize > 0

    assert answerer.answer(question).answered
    assert ready == [True]


def test_a_hits_kind_of_passage_is_its_chunks(tmp_path: Path) -> None:
    settings = _ivf(tmp_path)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    retriever = Retriever(load_index(settings.index_dir, model=settings.model))
    kinds = set()
    for question in [*QUESTIONS, "photo of cyclists on Harbour Street"]:
        hits = retriever.search(question, FakeEmbedder().encode_query(question), k=20)
        assert [h.passage for h in hits] == [h.chunk.passage for h in hits]
        kinds |= {h.passage for h in hits}
    assert len(kinds) > 1


def test_questions_over_a_large_index_take_turns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the exact-search limit, as many answers compute at once as there are cores (here
    made 2); a small index lets every question in."""
    from bot.answer import Answerer

    monkeypatch.setattr("bot.answer.answers_at_once", lambda: 2)
    questions = [
        "What did the FBI say about the investigation?",
        "Why do shop owners worry about the bike lanes?",
        "How long would the lanes run?",
        "When will the council vote?",
        "What happens to the fingerprints?",
        "pictures of the building",
    ]
    most = {}
    for name, settings in (("large", _ivf(tmp_path / "large")), ("small", _small(tmp_path))):
        build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
        counting = _Counting()
        index = load_index(settings.index_dir, model=settings.model)
        answerer = Answerer(settings, counting, index)
        threads = [threading.Thread(target=answerer.answer, args=(q,)) for q in questions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert counting.calls >= len(questions)
        most[name] = counting.most
    assert most == {"large": 2, "small": len(questions)}


def _small(tmp_path: Path) -> Settings:
    seeds = copy_seeds(tmp_path / "small-seeds")
    shutil.copy(DATA / "invented_bike_lanes.txt", seeds / "invented_bike_lanes.txt")
    return Settings(BOT_SEEDS_DIR=seeds, BOT_INDEX_DIR=tmp_path / "small-ix")


class _Counting(FakeEmbedder):
    """Notes how many questions it embeds at once (each held 100 ms)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = self.now = self.most = 0
        self.lock = threading.Lock()

    def encode_query(self, text: str) -> npt.NDArray[np.float32]:
        with self.lock:
            self.calls += 1
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.1)
        with self.lock:
            self.now -= 1
        return super().encode_query(text)
