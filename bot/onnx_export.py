"""After `index build`: export the model's transformer to ONNX once, verify it, keep it.

The build has sentence-transformers and torch loaded anyway, so it pays the two seconds the
export takes; serving then embeds questions without torch (``bot.onnx_encoder``). An export is
kept only if, on a fixed set of texts, its vectors match sentence-transformers' (cosine ≥
``MIN_COSINE``, one by one and as a padded batch). Anything that goes wrong here is a warning:
the build it follows has already been swapped in, and serving falls back to torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bot.embed import Embedder, SentenceTransformerEmbedder
from bot.errors import BotError, QueryEncoderError
from bot.index import read_manifest
from bot.onnx_encoder import (
    EXPORT_FORMAT,
    FEEDS,
    POOLING_MODES,
    RECORD,
    Export,
    OnnxQueryEncoder,
    encoders_dir,
    exports_of,
    file_sha256,
    find_export,
    model_directory,
    model_files,
    slug,
)
from bot.settings import Settings

Warn = Callable[[str], None]

MIN_COSINE = 0.9999
ONNX_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"
MIN_INT8_COSINE = 0.95
"""A sanity floor for the int8 variant (it measured 0.98); its quality was judged on SQuAD."""
OPSET = 17
VERIFY_TEXTS = (
    "Who is Stephen Morris?",
    "what did the agency say about opting out",
    "When was this published?",
    "Ünïcödé, “curly quotes” — and dashes… 日本語のテキスト 😀",
    "x",
    "",
    "The council voted on Tuesday to extend the harbour wall by forty metres, a plan first "
    "proposed in 2009. “We have waited ten years for this,” said the harbour master.",
    " ".join(["A sentence long enough to be cut at the model's token limit."] * 40),
)
"""Short and long, cased and not, punctuation, non-Latin script, empty, and past the model's
token window (so truncation is checked too)."""


def ensure_query_encoder(
    settings: Settings,
    *,
    loaded: Embedder | None,
    load: Callable[[], Embedder],
    warn: Warn | None = None,
) -> Path | None:
    """Make sure a verified export of the configured model sits beside the builds.

    ``loaded`` is the embedder the build used, if it loaded one; otherwise ``load`` gives it,
    but only when the live build's vectors can be this model's (same dimension).
    """
    # Never fail the build: it is live already, and serving falls back to torch without this.
    try:
        return find_export(settings.index_dir, settings.model).directory
    except QueryEncoderError:
        pass
    if loaded is None and not _index_fits_model(settings):
        return None
    try:
        embedder = loaded if loaded is not None else load()
    except BotError as error:  # the model cannot be loaded; the build needed it for nothing
        _warn(warn, error)
        return None
    if not isinstance(embedder, SentenceTransformerEmbedder):
        return None  # not a sentence-transformers model: nothing to export
    try:
        return export_query_encoder(embedder, settings.index_dir)
    except Exception as error:  # noqa: BLE001 - torch.onnx raises many types; each is a warning
        _warn(warn, error)
        return None


def _warn(warn: Warn | None, error: Exception) -> None:
    if warn is not None:
        warn(f"questions will be embedded with sentence-transformers: no ONNX export ({error})")


def _index_fits_model(settings: Settings) -> bool:
    """False when the live build's vectors cannot come from the model (another dimension)."""
    directory = model_directory(settings.model)
    if directory is None:
        return True
    config = directory / "1_Pooling" / "config.json"
    try:
        pooling = json.loads(config.read_text(encoding="utf-8"))
        dimension = pooling.get("embedding_dimension") or pooling.get("word_embedding_dimension")
        return bool(read_manifest(settings.index_dir).dimension == dimension)
    except (OSError, ValueError, BotError):
        return True


def export_query_encoder(embedder: SentenceTransformerEmbedder, index_dir: Path) -> Path:
    """Export, verify and install ``index_dir/encoders/<model>-<hash>/``; returns the folder."""
    model: Any = embedder.sentence_transformer  # its modules are typed as torch's Module union
    record = _describe(embedder, model)
    folder = encoders_dir(index_dir)
    final = folder / f"{slug(embedder.name)}-{record['key']}"
    staging = folder / f".export-{secrets.token_hex(4)}"
    staging.mkdir(parents=True)
    try:
        _export_onnx(model, record["inputs"], staging / ONNX_FILE)
        model[0].tokenizer.backend_tokenizer.save(str(staging / "tokenizer.json"))
        record["verification"] = verify(embedder, Export(staging, record), MIN_COSINE)
        record["int8"] = _quantise(embedder, Export(staging, record))
        record["sizes"] = {path.name: path.stat().st_size for path in staging.iterdir()}
        record["verified"] = True
        _write_record(staging, record)
        _install(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _prune_other_exports(folder, embedder.name, keep=final.name)
    return final


def _describe(embedder: SentenceTransformerEmbedder, model: Any) -> dict[str, Any]:
    """What the export records: the model's files and what its own modules do after the
    transformer, or QueryEncoderError when that is more than numpy redoes here."""
    modules = [type(module).__name__ for module in model]
    if modules[:2] != ["Transformer", "Pooling"] or set(modules[2:]) - {"Normalize"}:
        raise QueryEncoderError(
            f"its modules {modules} are more than Transformer, Pooling, Normalize"
        )
    if getattr(model, "default_prompt_name", None):
        raise QueryEncoderError("it adds a default prompt to every text")
    transformer = model[0]
    if not getattr(transformer.tokenizer, "is_fast", False):
        raise QueryEncoderError("its tokenizer has no `tokenizers` (fast) version")
    inputs = [name for name in transformer.tokenizer.model_input_names if name in FEEDS]
    if {"input_ids", "attention_mask"} - set(inputs) or len(inputs) != len(
        transformer.tokenizer.model_input_names
    ):
        raise QueryEncoderError(f"it takes inputs {transformer.tokenizer.model_input_names}")
    source = _source_directory(model)
    files = {
        path.relative_to(source).as_posix(): _facts(path) for path in model_files(source)
    }
    hashes = {name: facts["sha256"] for name, facts in files.items()}
    key = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()[:16]
    return {
        "format": EXPORT_FORMAT,
        "model": embedder.name,
        "key": key,
        "source": str(source),
        "files": files,
        "onnx": ONNX_FILE,
        "inputs": inputs,
        "max_seq_length": int(model.max_seq_length),
        "pooling": _pooling_modes(model[1]),
        "normalize": "Normalize" in modules,
        "dimension": embedder.dimension,
        "verified": False,
    }


def _pooling_modes(pooling: Any) -> list[str]:
    """The Pooling module's modes, from sentence-transformers ≥ 6 or the older flags."""
    if getattr(pooling, "include_prompt", True) is False:
        raise QueryEncoderError("its pooling leaves out prompt tokens")
    mode = getattr(pooling, "pooling_mode", None)
    if mode is None:
        flags = {"pooling_mode_cls_token": "cls", "pooling_mode_max_tokens": "max",
                 "pooling_mode_mean_tokens": "mean",
                 "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens"}
        modes = [name for flag, name in flags.items() if getattr(pooling, flag, False)]
        if any(getattr(pooling, flag, False) for flag in ("pooling_mode_weightedmean_tokens",
                                                         "pooling_mode_lasttoken")):
            modes.append("weightedmean or lasttoken")
    else:
        modes = [mode] if isinstance(mode, str) else list(mode)
    unsupported = [m for m in modes if m not in POOLING_MODES]
    if unsupported or not modes:
        raise QueryEncoderError(f"its pooling {unsupported or modes} is not redone in numpy")
    return modes


def _source_directory(model: Any) -> Path:
    path = Path(str(getattr(model[0].auto_model.config, "_name_or_path", "")))
    if not path.is_dir():
        raise QueryEncoderError("its files cannot be found on disk to key the export")
    return path


def _facts(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": file_sha256(path)}


def _export_onnx(model: Any, inputs: list[str], path: Path) -> None:
    """The transformer alone (token embeddings out), dynamic in batch and sequence length."""
    import torch

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, transformer: torch.nn.Module) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            output = self.transformer(**dict(zip(inputs, tensors, strict=True)))
            return output[0]  # type: ignore[no-any-return]

    sample = model[0].tokenizer(
        ["a short text", "a somewhat longer text to pad the first"], padding=True,
        return_tensors="pt"
    )
    axes = {name: {0: "batch", 1: "sequence"} for name in [*inputs, "token_embeddings"]}
    module = TokenEmbeddings(model[0].auto_model).eval()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about shapes: the verification decides
        torch.onnx.export(
            module,
            tuple(sample[name] for name in inputs),
            str(path),
            input_names=inputs,
            output_names=["token_embeddings"],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )


def verify(
    embedder: SentenceTransformerEmbedder, export: Export, minimum: float
) -> dict[str, Any]:
    """Cosine of the export's vectors against sentence-transformers' on ``VERIFY_TEXTS``, one
    at a time and as a padded batch; QueryEncoderError below ``minimum``."""
    expected = embedder.encode(list(VERIFY_TEXTS), batch_size=len(VERIFY_TEXTS))
    encoder = OnnxQueryEncoder(export)
    single = np.vstack([encoder.encode_query(text) for text in VERIFY_TEXTS])
    batch = encoder.encode(list(VERIFY_TEXTS), batch_size=len(VERIFY_TEXTS))
    cosines = np.concatenate([(single * expected).sum(axis=1), (batch * expected).sum(axis=1)])
    worst = float(cosines.min())
    if not worst >= minimum:
        raise QueryEncoderError(
            f"its {export.variant} ONNX vectors differ from sentence-transformers' (cosine "
            f"{worst:.6f} < {minimum})"
        )
    return {"texts": len(VERIFY_TEXTS), "min_cosine": round(worst, 7)}


def _quantise(embedder: SentenceTransformerEmbedder, export: Export) -> dict[str, Any]:
    """The opt-in int8 variant (``BOT_QUERY_BACKEND=onnx-int8``): ONNX Runtime's dynamic
    quantisation with per-channel weights, half the encode time; its answers may differ from
    the model's (docs/PERFORMANCE.md), so it is never the default. Failing here is no error."""
    path = export.directory / INT8_FILE
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        logging.disable(logging.WARNING)  # it advises, on the root logger, to pre-process first
        try:
            quantize_dynamic(
                str(export.model_file), str(path), weight_type=QuantType.QInt8, per_channel=True
            )
        finally:
            logging.disable(logging.NOTSET)
        int8 = Export(export.directory, {**export.record, "int8": {"onnx": INT8_FILE}}, "int8")
        return {"onnx": INT8_FILE, **verify(embedder, int8, MIN_INT8_COSINE)}
    except Exception as error:  # noqa: BLE001 - optional: recorded, said when it is asked for
        path.unlink(missing_ok=True)
        return {"error": str(error).strip().splitlines()[0] if str(error).strip() else repr(error)}


def _write_record(staging: Path, record: dict[str, Any]) -> None:
    record["exported_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    (staging / RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
    for path in staging.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())


def _install(staging: Path, final: Path) -> None:
    """Rename the finished folder into place, setting aside one that failed its checks."""
    if final.exists():
        final.rename(final.with_name(f".export-replaced-{secrets.token_hex(4)}"))
    staging.rename(final)


def _prune_other_exports(folder: Path, model: str, *, keep: str) -> None:
    """Exports of this model's earlier files, and folders of exports that were interrupted.
    Builds run one at a time (and this runs inside the build lock), so none is in progress."""
    for stale in [*exports_of(folder, model), *folder.glob(".export-*")]:
        if stale.is_dir() and stale.name != keep:
            shutil.rmtree(stale, ignore_errors=True)
