"""Questions embedded with ONNX Runtime and `tokenizers`: the serving process never imports torch.

`index build` (which has torch loaded anyway) exports the model's transformer to ONNX, checks
it against sentence-transformers and keeps it beside the builds (``bot.onnx_export``)::

    index/encoders/all-MiniLM-L6-v2-3861…/   encoder.json · model.onnx · model-int8.onnx ·
                                             tokenizer.json

keyed by the model's name and the hash of its files, so swapping or pruning builds never
touches it and a rebuild with the same model finds it again. Everything after the transformer
(pooling, normalisation) is the model's own modules, redone here in numpy as ``encoder.json``
records them. ``load_query_embedder`` picks the export, or falls back to sentence-transformers
and says why, once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.embed import Progress, Vectors, encode_in_batches, resolve_model
from bot.errors import BotError, QueryEncoderError
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.embed import SentenceTransformerEmbedder

logger = logging.getLogger(__name__)

ENCODERS = "encoders"
"""Folder of ``BOT_INDEX_DIR`` holding the exports (never a ``build-*``: pruning skips it)."""
RECORD = "encoder.json"
EXPORT_FORMAT = 1
POOLING_MODES = ("cls", "max", "mean", "mean_sqrt_len_tokens")
"""The sentence-transformers pooling modes redone in numpy; a model with another is not exported."""
FEEDS = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}
"""Model input name → the `tokenizers` Encoding field that feeds it."""


@dataclass(frozen=True)
class Export:
    """A verified export on disk and what its ``encoder.json`` says."""

    directory: Path
    record: dict[str, Any]
    variant: str = "fp32"
    """``fp32`` (verified to match sentence-transformers) or ``int8`` (opt-in, quantised)."""

    @property
    def model_file(self) -> Path:
        if self.variant == "int8":
            return self.directory / str(self.record["int8"]["onnx"])
        return self.directory / str(self.record["onnx"])

    def quantised(self) -> Export:
        """The int8 variant made beside it, or QueryEncoderError saying why there is none."""
        int8 = self.record.get("int8") or {}
        if "onnx" not in int8:
            reason = int8.get("error", "not made")
            raise QueryEncoderError(f"the export has no int8 variant ({reason})")
        return Export(self.directory, self.record, "int8")


# --- finding an export -----------------------------------------------------------------------


def encoders_dir(index_dir: Path) -> Path:
    return index_dir / ENCODERS


def slug(model: str) -> str:
    """A folder-name-safe form of a model name or path."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("._")[-60:] or "model"


def exports_of(folder: Path, model: str) -> list[Path]:
    """The export folders of ``model`` (``<slug>-<16 hex digits>``), in a fixed order."""
    pattern = re.compile(re.escape(slug(model)) + r"-[0-9a-f]{16}")
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if pattern.fullmatch(path.name))


def model_directory(model: str) -> Path | None:
    """Where the model's files are, when that is knowable without loading it."""
    try:
        path = Path(resolve_model(model))
    except BotError:
        return None
    return path if path.is_dir() else None


def model_files(directory: Path) -> list[Path]:
    """The files that make the model (hidden files and folders left out), in a fixed order."""
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_export(index_dir: Path, model: str) -> Export:
    """The verified export of ``model`` whose model files are unchanged, or QueryEncoderError."""
    folder = encoders_dir(index_dir)
    reasons = []
    for directory in exports_of(folder, model):
        try:
            return _checked(directory, model)
        except QueryEncoderError as error:
            reasons.append(str(error))
    if reasons:
        raise QueryEncoderError(reasons[0])
    raise QueryEncoderError(
        f"no ONNX export of {model} in {folder}/ yet (`python -m bot index build` makes one)"
    )


def _checked(directory: Path, model: str) -> Export:
    try:
        return _checked_record(directory, model)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise QueryEncoderError(f"{directory / RECORD} is unreadable ({error!r})") from None


def _checked_record(directory: Path, model: str) -> Export:
    record = json.loads((directory / RECORD).read_text(encoding="utf-8"))
    if not isinstance(record, dict) or record.get("format") != EXPORT_FORMAT:
        raise QueryEncoderError(f"{directory} is from another version of the bot")
    if record.get("model") != model or not record.get("verified"):
        raise QueryEncoderError(f"{directory} is not a verified export of {model}")
    export = Export(directory, record)
    for name, size in record["sizes"].items():
        path = directory / name
        if not path.is_file() or path.stat().st_size != size:
            raise QueryEncoderError(f"{path} is missing or altered")
    _check_model_unchanged(export)
    return export


def _check_model_unchanged(export: Export) -> None:
    """The model's files are still the ones exported: same size and time, else same hash."""
    source = model_directory(export.record["model"]) or Path(export.record["source"])
    recorded: dict[str, dict[str, Any]] = export.record["files"]
    present = {path.relative_to(source).as_posix(): path for path in model_files(source)}
    if set(present) != set(recorded):
        model = export.record["model"]
        raise QueryEncoderError(f"the files of model {model} changed since the export")
    for name, path in present.items():
        facts = recorded[name]
        stat = path.stat()
        if (stat.st_size, stat.st_mtime_ns) == (facts["size"], facts["mtime_ns"]):
            continue
        if stat.st_size != facts["size"] or file_sha256(path) != facts["sha256"]:
            raise QueryEncoderError(f"{path} changed since the ONNX export was made")


# --- encoding ----------------------------------------------------------------------------------


class OnnxQueryEncoder:
    """The exported transformer on ONNX Runtime (one thread), then the model's own pooling."""

    def __init__(self, export: Export) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        record = export.record
        self.name = str(record["model"])
        self.dimension = int(record["dimension"])
        self._pooling = tuple(str(mode) for mode in record["pooling"])
        self._inputs = tuple(str(name) for name in record["inputs"])
        self.export = export
        self._tokenizer = Tokenizer.from_file(str(export.directory / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=int(record["max_seq_length"]))
        self._session = onnxruntime.InferenceSession(
            str(export.model_file),
            _session_options(onnxruntime),
            providers=["CPUExecutionProvider"],
        )

    @property
    def description(self) -> str:
        return f"ONNX Runtime ({self.export.record['onnx']}, {self.export.directory})"

    def encode_query(self, text: str) -> Vectors:
        """One normalised vector for a question."""
        vector: Vectors = self._encode_batch([text])[0]
        return vector

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> Vectors:
        """Normalised vectors, one row per text (builds use sentence-transformers: faster there)."""
        return encode_in_batches(
            self._encode_batch,
            texts,
            batch_size=batch_size,
            dimension=self.dimension,
            progress=progress,
        )

    def _encode_batch(self, texts: list[str]) -> Vectors:
        # One text: `encode`, not `encode_batch`, which would start a pool of tokenizer threads.
        if len(texts) == 1:
            encodings = [self._tokenizer.encode(texts[0])]
        else:
            encodings = self._tokenizer.encode_batch(texts)
        width = max(len(encoding.ids) for encoding in encodings)
        feeds = {name: np.zeros((len(texts), width), dtype=np.int64) for name in self._inputs}
        for row, encoding in enumerate(encodings):
            for name in self._inputs:
                values = getattr(encoding, FEEDS[name])
                feeds[name][row, : len(values)] = values
        mask = _attention_mask(encodings, width)
        tokens = self._session.run(None, feeds)[0]
        return pool(np.asarray(tokens, dtype=np.float32), mask, self._pooling)


def _attention_mask(encodings: Sequence[Any], width: int) -> Vectors:
    mask = np.zeros((len(encodings), width), dtype=np.float32)
    for row, encoding in enumerate(encodings):
        mask[row, : len(encoding.attention_mask)] = encoding.attention_mask
    return mask


def _session_options(onnxruntime: Any) -> Any:
    """One thread per question, as for torch: under concurrent questions a second intra-op
    thread only fights the other answers for the two cores (docs/PERFORMANCE.md)."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: its graph-optimisation notes are not ours
    return options


def pool(tokens: Vectors, mask: Vectors, modes: Sequence[str]) -> Vectors:
    """sentence-transformers' Pooling (and Normalize) modules in numpy, then unit length."""
    weights = mask[:, :, None]
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    parts: list[Vectors] = []
    for mode in modes:
        if mode == "cls":
            parts.append(tokens[np.arange(len(tokens)), mask.argmax(axis=1)])
        elif mode == "max":
            parts.append(np.where(weights > 0, tokens, -np.inf).max(axis=1))
        elif mode == "mean":
            parts.append((tokens * weights).sum(axis=1) / counts)
        elif mode == "mean_sqrt_len_tokens":
            parts.append((tokens * weights).sum(axis=1) / np.sqrt(counts))
        else:
            raise ValueError(f"pooling mode {mode!r} is not supported")
    vectors = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
    # The model's Normalize module, if it has one, is this same step; without one, the bot
    # still wants unit vectors (builds ask sentence-transformers for normalised embeddings).
    return np.ascontiguousarray(_unit(vectors), dtype=np.float32)


def _unit(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: Vectors = vectors / np.maximum(norms, 1e-12)
    return unit


# --- choosing the query embedder -------------------------------------------------------------


def load_query_embedder(settings: Settings) -> OnnxQueryEncoder | SentenceTransformerEmbedder:
    """The ONNX export when one is verified (and asked for); else sentence-transformers, saying
    why in one log line."""
    if settings.query_backend in ("onnx", "onnx-int8"):
        try:
            return OnnxQueryEncoder(_chosen_export(settings))
        except QueryEncoderError as error:
            reason = str(error)
        except ImportError as error:
            reason = f"ONNX Runtime cannot be imported ({error})"
        except Exception as error:  # noqa: BLE001 - onnxruntime raises its own bare types
            reason = f"ONNX Runtime cannot load the export ({_first_line(error)})"
        logger.warning("questions are embedded with sentence-transformers: %s", reason)
    from bot.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.model)


def _chosen_export(settings: Settings) -> Export:
    export = find_export(settings.index_dir, settings.model)
    if settings.query_backend != "onnx-int8":
        return export
    try:
        return export.quantised()
    except QueryEncoderError as error:
        logger.warning("questions are embedded with the full-precision ONNX export: %s", error)
        return export


def describe_query_encoder(settings: Settings) -> dict[str, Any]:
    """What `ask`/`serve` would embed questions with, for `index info` (cheap: loads nothing)."""
    if settings.query_backend == "torch":
        return {"backend": "torch", "reason": "BOT_QUERY_BACKEND=torch"}
    try:
        export = find_export(settings.index_dir, settings.model)
    except QueryEncoderError as error:
        return {"backend": "torch", "reason": str(error)}
    if importlib.util.find_spec("onnxruntime") is None:
        return {"backend": "torch", "reason": "onnxruntime is not installed"}
    record = export.record
    verification = record["verification"]
    if settings.query_backend == "onnx-int8":
        try:
            export = export.quantised()
            verification = record["int8"]
        except QueryEncoderError as error:
            return {"backend": "onnx", "variant": "fp32", "path": str(export.model_file),
                    "reason": str(error)}
    return {
        "backend": "onnx",
        "variant": export.variant,
        "path": str(export.model_file),
        "model_key": record["key"],
        "min_cosine": verification["min_cosine"],
        "exported_at": record["exported_at"],
    }


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
