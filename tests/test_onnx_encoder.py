"""Questions embedded with ONNX Runtime: the export made by `index build`, checked against the real
model; the same answers as sentence-transformers; no torch in the answering process."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from bot.answer import Answerer
from bot.build import build_index
from bot.embed import SentenceTransformerEmbedder, resolve_model
from bot.errors import QueryEncoderError
from bot.index import load_index
from bot.onnx_encoder import (
    ENCODERS,
    OnnxQueryEncoder,
    describe_query_encoder,
    find_export,
    load_query_embedder,
    pool,
)
from bot.onnx_export import ensure_query_encoder
from bot.records import Answer
from bot.settings import Settings
from bot.status import index_info
from tests.conftest import EVAL, ROOT, copy_seeds
from tests.serve_process import bot_environment

QUESTION_FILES = [
    EVAL / "questions.jsonl",
    EVAL / "offtopic.jsonl",
    *sorted((ROOT / "tests" / "data").glob("*.jsonl")),
]


def questions() -> list[str]:
    from bot.evaluate import read_questions  # conversation files give each turn's question

    return [record["question"] for path in QUESTION_FILES for record in read_questions(path)]


@pytest.fixture(scope="module")
def onnx_encoder(seed_index: Settings) -> OnnxQueryEncoder:
    """The export the seed index's build made (conftest builds it with the real model)."""
    return OnnxQueryEncoder(find_export(seed_index.index_dir, seed_index.model))


# --- the export --------------------------------------------------------------------------------


def test_the_build_leaves_a_verified_export_beside_the_builds(seed_index: Settings) -> None:
    export = find_export(seed_index.index_dir, seed_index.model)
    assert export.directory.parent == seed_index.index_dir / ENCODERS
    assert export.record["verified"] is True
    assert export.record["verification"]["min_cosine"] >= 0.9999
    assert export.record["pooling"] == ["mean"] and export.record["normalize"] is True
    assert export.record["max_seq_length"] == 256
    info = index_info(seed_index)["query_encoder"]
    assert info["backend"] == "onnx" and info["path"] == str(export.model_file)


def test_onnx_vectors_match_sentence_transformers_on_every_question(
    onnx_encoder: OnnxQueryEncoder, embedder: SentenceTransformerEmbedder
) -> None:
    texts = questions()
    expected = embedder.encode(texts)
    got = np.vstack([onnx_encoder.encode_query(text) for text in texts])
    assert got.shape == expected.shape == (len(texts), 384)
    assert float((got * expected).sum(axis=1).min()) >= 0.9999
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def _same(answer: Answer) -> tuple[object, ...]:
    quotes = tuple((q.document.path, q.char_start, q.char_end, q.text) for q in answer.quotes)
    return answer.kind, answer.answered, answer.confidence, answer.message, quotes


def test_answers_are_the_same_as_with_sentence_transformers(
    seed_index: Settings, answerer: Answerer, onnx_encoder: OnnxQueryEncoder
) -> None:
    with_onnx = Answerer(
        seed_index, onnx_encoder, load_index(seed_index.index_dir, model=seed_index.model)
    )
    texts = questions()
    assert len(texts) >= 45
    differ = [q for q in texts if _same(with_onnx.answer(q)) != _same(answerer.answer(q))]
    assert differ == []
    assert sum(with_onnx.answer(q).answered for q in texts) >= 30  # not all refusals


def test_the_int8_variant_is_opt_in_and_keeps_the_seed_quality(seed_index: Settings) -> None:
    from bot.evaluate import evaluate, read_questions

    settings = seed_index.model_copy(update={"query_backend": "onnx-int8"})
    encoder = load_query_embedder(settings)
    assert isinstance(encoder, OnnxQueryEncoder) and encoder.export.variant == "int8"
    assert encoder.export.model_file.name == "model-int8.onnx"
    assert describe_query_encoder(settings)["variant"] == "int8"
    assert describe_query_encoder(seed_index)["variant"] == "fp32"
    index = load_index(settings.index_dir, model=settings.model)
    answerer = Answerer(settings, encoder, index)
    full = Answerer(seed_index, load_query_embedder(seed_index), index)
    for path in QUESTION_FILES:
        questions = read_questions(path)
        figures = evaluate(questions, answerer=answerer, label=path.name)["modes"]["hybrid"]
        fp32 = evaluate(questions, answerer=full, label=path.name)["modes"]["hybrid"]
        if "hit@1" in figures:  # within one question of the full-precision export
            assert figures["hit@1"] >= fp32["hit@1"] - 1 / len(questions), path
            assert figures["false_refusal_rate"] <= fp32["false_refusal_rate"] + 1e-9, path
        else:
            assert figures["refusal_rate"] == fp32["refusal_rate"] == 1.0, path


@pytest.mark.parametrize(
    "modes",
    [("mean",), ("cls",), ("max",), ("mean_sqrt_len_tokens",), ("cls", "mean")],
)
def test_numpy_pooling_is_sentence_transformers_pooling(modes: tuple[str, ...]) -> None:
    import torch
    from sentence_transformers.models import Pooling

    rng = np.random.default_rng(0)
    tokens = rng.normal(size=(3, 7, 8)).astype(np.float32)
    mask = np.array([[1] * 7, [1] * 4 + [0] * 3, [1, 0, 0, 0, 0, 0, 0]], dtype=np.float32)
    module = Pooling(8, pooling_mode=modes if len(modes) > 1 else modes[0])
    features = {
        "token_embeddings": torch.from_numpy(tokens),
        "attention_mask": torch.from_numpy(mask.astype(np.int64)),
    }
    expected = module(features)["sentence_embedding"].numpy()
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(pool(tokens, mask, modes), expected, atol=1e-6)


@pytest.fixture(scope="module")
def model_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the bundled model, so a test may change its files."""
    destination = tmp_path_factory.mktemp("model") / "minilm"
    shutil.copytree(resolve_model("all-MiniLM-L6-v2"), destination)
    return destination


@pytest.mark.e2e
def test_rebuilds_reuse_the_export_and_a_changed_model_gets_a_new_one(
    tmp_path: Path, model_copy: Path
) -> None:
    settings = Settings(
        BOT_SEEDS_DIR=copy_seeds(tmp_path / "seeds"),
        BOT_INDEX_DIR=tmp_path / "index",
        BOT_MODEL=str(model_copy),
    )
    embedder = SentenceTransformerEmbedder(str(model_copy))
    build_index(settings, embedder=embedder)
    first = find_export(settings.index_dir, settings.model)
    made = first.model_file.stat().st_mtime_ns

    for _ in range(3):  # swaps and pruning of builds; nothing needs embedding or exporting
        build_index(settings, embedder=embedder, full=True)
    assert find_export(settings.index_dir, settings.model).directory == first.directory
    assert first.model_file.stat().st_mtime_ns == made
    assert len(list(settings.index_dir.glob("build-*"))) == 2

    os.utime(model_copy / "config.json")  # touched, same bytes: the export still holds
    assert find_export(settings.index_dir, settings.model).directory == first.directory
    with (model_copy / "config_sentence_transformers.json").open("a") as handle:
        handle.write("\n")  # new bytes: the export no longer describes this model
    with pytest.raises(QueryEncoderError, match="changed since"):
        find_export(settings.index_dir, settings.model)
    assert describe_query_encoder(settings)["backend"] == "torch"

    build_index(settings, embedder=embedder)  # nothing to embed; re-exports
    second = find_export(settings.index_dir, settings.model)
    assert second.directory != first.directory and not first.directory.exists()
    assert [p.name for p in (settings.index_dir / ENCODERS).iterdir()] == [second.directory.name]

    second.model_file.write_bytes(b"damaged")  # same model files, broken export: made again
    build_index(settings, embedder=embedder)
    third = find_export(settings.index_dir, settings.model)
    assert third.directory == second.directory and third.model_file.stat().st_size > 1_000_000
    assert [p.name for p in (settings.index_dir / ENCODERS).iterdir()] == [third.directory.name]


def test_a_failed_export_is_a_warning_and_leaves_nothing(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(BOT_SEEDS_DIR=tmp_path / "seeds", BOT_INDEX_DIR=tmp_path / "index")

    def no_model() -> SentenceTransformerEmbedder:
        raise AssertionError("the build had its model already")

    monkeypatch.setattr("bot.onnx_export.MIN_COSINE", 1.5)  # no export can pass this
    warnings: list[str] = []
    made = ensure_query_encoder(settings, loaded=embedder, load=no_model, warn=warnings.append)
    assert made is None
    assert len(warnings) == 1 and "differ from sentence-transformers" in warnings[0]
    assert list((settings.index_dir / ENCODERS).iterdir()) == []

    def broken(*_args: object) -> None:
        raise RuntimeError("exporter exploded")

    monkeypatch.setattr("bot.onnx_export._export_onnx", broken)
    made = ensure_query_encoder(settings, loaded=embedder, load=no_model, warn=warnings.append)
    assert made is None
    assert "exporter exploded" in warnings[1]
    assert list((settings.index_dir / ENCODERS).iterdir()) == []


def test_without_an_export_questions_fall_back_to_torch_saying_why_once(
    tmp_path: Path, seed_index: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(
        seed_index.index_dir, index_dir, symlinks=True, ignore=shutil.ignore_patterns(ENCODERS)
    )
    settings = Settings(BOT_SEEDS_DIR=seed_index.seeds_dir, BOT_INDEX_DIR=index_dir)
    with caplog.at_level(logging.WARNING, logger="bot"):
        embedder = load_query_embedder(settings)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert "sentence-transformers" in messages[0] and "no ONNX export" in messages[0]
    assert index_info(settings)["query_encoder"]["backend"] == "torch"


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: (folder / "encoder.json").write_text('{"format": 1, "verified": true}'),
        lambda folder: (folder / "encoder.json").write_text("{not json"),
        lambda folder: (folder / "model.onnx").write_bytes(b"truncated"),
    ],
)
def test_a_damaged_export_is_not_used(tmp_path: Path, seed_index: Settings, damage) -> None:  # type: ignore[no-untyped-def]
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index.index_dir, index_dir, symlinks=True)  # not linked: it damages
    settings = Settings(BOT_SEEDS_DIR=seed_index.seeds_dir, BOT_INDEX_DIR=index_dir)
    (folder,) = (index_dir / ENCODERS).iterdir()
    damage(folder)
    with pytest.raises(QueryEncoderError):
        find_export(index_dir, settings.model)
    assert index_info(settings)["query_encoder"]["backend"] == "torch"


def test_the_torch_backend_is_chosen_explicitly(seed_index: Settings) -> None:
    settings = seed_index.model_copy(update={"query_backend": "torch"})
    assert isinstance(load_query_embedder(settings), SentenceTransformerEmbedder)
    assert describe_query_encoder(settings) == {
        "backend": "torch",
        "reason": "BOT_QUERY_BACKEND=torch",
    }
    assert isinstance(load_query_embedder(seed_index), OnnxQueryEncoder)


# --- no torch when answering ---------------------------------------------------------------


PROBE = textwrap.dedent(
    """
    import io, sys
    from bot import cli
    questions = sys.argv[1]
    assert cli.main(["ask", "--json", "Who is Stephen Morris?"]) == 0
    assert cli.main(["eval", questions]) == 0
    sys.stdin = io.StringIO("What did the e-mails reveal?\\nexit\\n")
    assert cli.main(["chat"]) == 0
    cli._answerer(cli.load_settings(), None)  # what `serve` loads
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"torch", "sentence_transformers",
                                                             "transformers"})
    print("HEAVY", heavy, file=sys.stderr)
    """
)


def _probe(settings: Settings, **extra: str) -> subprocess.CompletedProcess[str]:
    env = bot_environment(
        BOT_SEEDS_DIR=str(settings.seeds_dir), BOT_INDEX_DIR=str(settings.index_dir), **extra
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE, str(EVAL / "offtopic.jsonl")],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.index_dir.parent,
        timeout=300,
    )


@pytest.mark.e2e
def test_ask_eval_chat_and_serve_never_import_torch(seed_index: Settings) -> None:
    result = _probe(seed_index)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr
    assert "Stephen L. Morris" in result.stdout and "refusal_rate" in result.stdout
    assert "sentence-transformers" not in result.stderr


@pytest.mark.e2e
def test_torch_backend_and_fallback_in_a_fresh_process(
    tmp_path: Path, seed_index: Settings
) -> None:
    explicit = _probe(seed_index, BOT_QUERY_BACKEND="torch")
    assert explicit.returncode == 0, explicit.stderr
    assert "HEAVY ['sentence_transformers', 'torch', 'transformers']" in explicit.stderr
    assert "embedded with sentence-transformers" not in explicit.stderr  # asked for: no warning

    index_dir = tmp_path / "index"
    shutil.copytree(
        seed_index.index_dir, index_dir, symlinks=True, ignore=shutil.ignore_patterns(ENCODERS)
    )
    settings = Settings(BOT_SEEDS_DIR=seed_index.seeds_dir, BOT_INDEX_DIR=index_dir)
    fallback = _probe(settings)
    assert fallback.returncode == 0, fallback.stderr
    # One line per answerer loaded (ask, eval, chat, serve: four loads in this one process).
    reasons = [line for line in fallback.stderr.splitlines() if "sentence-transformers" in line]
    assert len(reasons) == 4 and all("no ONNX export" in line for line in reasons)
    assert "Stephen L. Morris" in fallback.stdout
