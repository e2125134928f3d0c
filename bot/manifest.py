"""A build's manifest: what it was built with and from, and the size of every other part.

``manifest.json`` is written last, so its presence says a build is complete. Its keys are read
by outside tools (``index info --json`` reports ``model``, ``dimension``, ``built_at``,
``chunks``), so ``Manifest.to_json`` writes the same object every earlier version wrote, and
``Manifest.from_json`` reads every earlier build of this format: the keys added since the first
(``chunking``, ``embedded_chunks``, ``skipped_files``, ``parts``) may be absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

FORMAT_VERSION = 1
REQUIRED_KEYS = ("model", "dimension", "chunks", "built_at", "files", "index_type")
"""What a manifest of every build of this format holds."""


class ManifestError(ValueError):
    """A manifest this version cannot use; the message completes "manifest.json …"."""


@dataclass(frozen=True)
class SeedFile:
    """A seed file a build read: its fingerprint and how many chunks it gave."""

    path: str
    sha256: str
    chunks: int


@dataclass(frozen=True)
class SkippedFile:
    """A seed file (or folder) with no quotable text, or one that cannot be read (its ``sha256``
    then "unreadable")."""

    path: str
    sha256: str
    problem: str | None = None
    """Why it could not be read; None for a file that is simply empty."""


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` records about one build."""

    model: str
    dimension: int
    chunks: int
    built_at: str
    """ISO 8601, UTC."""
    files: tuple[SeedFile, ...]
    index_type: str
    """The FAISS index type (``bot.index.index_spec``): "Flat" for exact search."""
    chunking: Mapping[str, Any] | None = None
    """What decides a chunk and its vector besides the model; a build reuses vectors only when
    it is unchanged."""
    embedded_chunks: int | None = None
    skipped_files: tuple[SkippedFile, ...] = ()
    parts: Mapping[str, int | None] | None = None
    """{file name: size in bytes} of every other part; None for a build that lists none."""
    format: int = FORMAT_VERSION

    @property
    def exact_search(self) -> bool:
        """Whether the build is searched exactly (a small corpus); past the exact-search limit
        it is searched approximately, and answering it reads ahead and takes turns."""
        return self.index_type == "Flat"

    def with_parts(self, parts: Mapping[str, int | None]) -> Manifest:
        return replace(self, parts=dict(parts))

    def to_json(self) -> dict[str, Any]:
        """The object ``manifest.json`` holds (the optional keys only when known)."""
        data: dict[str, Any] = {
            "format": self.format,
            "model": self.model,
            "dimension": self.dimension,
        }
        if self.chunking is not None:
            data["chunking"] = dict(self.chunking)
        data["index_type"] = self.index_type
        data["chunks"] = self.chunks
        if self.embedded_chunks is not None:
            data["embedded_chunks"] = self.embedded_chunks
        data["built_at"] = self.built_at
        data["files"] = [
            {"path": f.path, "sha256": f.sha256, "chunks": f.chunks} for f in self.files
        ]
        data["skipped_files"] = [
            {"path": s.path, "sha256": s.sha256, "problem": s.problem} for s in self.skipped_files
        ]
        if self.parts is not None:
            data["parts"] = dict(self.parts)
        return data

    @classmethod
    def from_json(cls, data: object) -> Manifest:
        """The manifest ``data`` (parsed JSON) records; ManifestError if it is not one."""
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            raise ManifestError("is from another version of the bot")
        missing = [key for key in REQUIRED_KEYS if key not in data]
        if missing:
            raise ManifestError(f"lacks {', '.join(missing)}")
        try:
            return _manifest(data)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ManifestError(f"is unreadable ({error!r})") from None


def _manifest(data: dict[str, Any]) -> Manifest:
    parts, chunking, embedded = data.get("parts"), data.get("chunking"), data.get("embedded_chunks")
    if parts is not None and not isinstance(parts, dict):
        raise TypeError(f"parts is a {type(parts).__name__}")
    return Manifest(
        model=str(data["model"]),
        dimension=int(data["dimension"]),
        chunks=int(data["chunks"]),
        built_at=str(data["built_at"]),
        files=tuple(SeedFile(f["path"], f["sha256"], int(f["chunks"])) for f in data["files"]),
        index_type=str(data["index_type"]),
        chunking=dict(chunking) if chunking is not None else None,
        embedded_chunks=int(embedded) if embedded is not None else None,
        skipped_files=tuple(
            SkippedFile(s["path"], s["sha256"], s.get("problem"))
            for s in data.get("skipped_files") or ()
        ),
        parts=parts,
        format=FORMAT_VERSION,
    )
