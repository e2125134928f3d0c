"""Embedding on Ray (``BOT_RAY_ADDRESS``): the chunks of a build go through Ray Data's
``map_batches`` on a pool of actors, each loading the model once.

Ray is an optional extra, imported only here and only when a build has chunks to embed. The
driver keeps a local copy of the model for what chunking needs (token counts) and for the
vector size, so chunks are cut exactly as in a local build; the vectors come back in order.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from bot.embed import Embedder, Progress, SentenceTransformerEmbedder, Vectors
from bot.errors import ConfigError
from bot.settings import Settings

logger = logging.getLogger("bot.ray_embed")

LOCAL = "local"


class RayEmbedder:
    """An ``Embedder`` whose ``encode`` runs on a Ray cluster (``local``: one started here)."""

    def __init__(self, settings: Settings, *, local: Embedder | None = None) -> None:
        self._ray = _import_ray()
        self._address = settings.ray_address or LOCAL
        self._model = settings.model
        self._requested_workers = settings.ray_workers
        self._local = local or SentenceTransformerEmbedder(settings.model)
        self.workers = 0
        """Actors used by the last ``encode`` (0 before any)."""

    @property
    def name(self) -> str:
        return self._local.name

    @property
    def dimension(self) -> int:
        return self._local.dimension

    def count_tokens(self, text: str) -> int:
        return self._local.count_tokens(text)

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> Vectors:
        """Normalised float32 vectors, one row per text, in the order of ``texts``."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        started_here = self._connect()
        try:
            self.workers = self._pool_size()
            return self._encode_on_ray(texts, batch_size, progress)
        finally:
            if started_here:
                self._ray.shutdown()

    def _connect(self) -> bool:
        """Join the cluster (or start a local instance); True when this call started Ray."""
        if self._ray.is_initialized():
            return False
        address = None if self._address == LOCAL else self._address
        try:
            self._ray.init(
                address=address,
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.ERROR,
                configure_logging=True,
            )
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise ConfigError(
                f"BOT_RAY_ADDRESS: cannot reach Ray at {self._address!r} ({error})"
            ) from None
        return True

    def _pool_size(self) -> int:
        """``BOT_RAY_WORKERS``, or one actor per CPU; never more actors than the cluster has
        CPUs (each takes one: more would wait for ever to be placed)."""
        cpus = max(1, int(self._ray.cluster_resources().get("CPU", 1)))
        if self._requested_workers > cpus:
            logger.warning(
                "BOT_RAY_WORKERS=%d but the Ray cluster has %d CPUs: using %d workers",
                self._requested_workers, cpus, cpus,
            )
        return min(self._requested_workers or cpus, cpus)

    def _encode_on_ray(
        self, texts: Sequence[str], batch_size: int, progress: Progress | None
    ) -> Vectors:
        data = self._ray.data
        _quiet(data)
        rows = [{"row": row, "text": text} for row, text in enumerate(texts)]
        blocks = min(len(rows), max(self.workers * 4, 1))
        vectors = data.from_items(rows, override_num_blocks=blocks).map_batches(
            EncodeBatch,
            fn_constructor_kwargs={"model": self._model},
            batch_size=batch_size,
            batch_format="numpy",
            compute=data.ActorPoolStrategy(size=self.workers),
            num_cpus=1,
        )
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for batch in vectors.iter_batches(batch_size=None, batch_format="numpy"):
            result[np.asarray(batch["row"], dtype=np.int64)] = np.asarray(batch["vector"])
            if progress is not None:
                progress(len(batch["row"]))
        return result


class EncodeBatch:
    """A Ray Data actor: the model is loaded once, in the constructor, then fed batches."""

    def __init__(self, model: str) -> None:
        import torch

        torch.set_num_threads(1)  # one CPU per actor: Ray places one actor per core
        self._embedder = SentenceTransformerEmbedder(model)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        texts = [str(text) for text in batch["text"]]
        vectors = self._embedder.encode(texts, batch_size=max(len(texts), 1))
        return {"row": batch["row"], "vector": vectors}


def _quiet(data: Any) -> None:
    """The build draws its own progress bar: no Ray Data bars or progress lines."""
    context = data.DataContext.get_current()
    context.enable_progress_bars = False
    if hasattr(context, "print_on_execution_start"):
        context.print_on_execution_start = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ConfigError(
            "BOT_RAY_ADDRESS is set but Ray is not installed: pip install -e '.[ray]'"
        ) from None
    return ray
