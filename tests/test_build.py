"""`index build` in process: incremental, atomic, locked, deterministic; bad seeds refused.

Plumbing runs on the fake embedder; determinism runs on the real model.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot import attribution, lexical
from bot.build import BuildSummary, build_index
from bot.chunk import ChunkingParams
from bot.embed import Progress, SentenceTransformerEmbedder, Vectors
from bot.errors import IndexBusyError, IndexWriteError, SeedError
from bot.index import CURRENT, MARK, build_lock, load_index, read_manifest
from bot.settings import Settings
from bot.status import index_info
from tests.conftest import SEED_FILE, FakeEmbedder, copy_seeds

OTHER = """Harbour dredging approved

Published 2 March 2020

The port authority approved the dredging plan on Monday. Work starts in May.

“We have waited ten years for this,” said Maria Lopes, the harbour master.
"""

THIRD = """# Library hours extended

The city library will open on Sundays from next month. Staff welcomed the change.
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    seeds = copy_seeds(tmp_path / "seeds")
    (seeds / "other.txt").write_text(OTHER, encoding="utf-8")
    (seeds / "notes").mkdir()
    (seeds / "notes" / "library.md").write_text(THIRD, encoding="utf-8")
    return Settings(BOT_SEEDS_DIR=seeds, BOT_INDEX_DIR=tmp_path / "index")


def build(settings: Settings, embedder: object, **options: object) -> BuildSummary:
    return build_index(settings, embedder=embedder, **options)  # type: ignore[arg-type, return-value]


def no_model(_settings: Settings) -> FakeEmbedder:
    raise AssertionError("the model was loaded although nothing needed embedding")


def builds(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.index_dir.glob("build-*"))


def live_files(settings: Settings) -> dict[str, bytes]:
    live = settings.index_dir / CURRENT
    return {p.name: p.read_bytes() for p in sorted(live.iterdir())}


class FailingEmbedder(FakeEmbedder):
    """Fails part-way through embedding, as a crash or Ctrl-C would."""

    def __init__(self, error: BaseException, after: int = 3) -> None:
        super().__init__()
        self.error, self.after = error, after

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> Vectors:
        if len(self.encoded) + len(texts) > self.after:
            raise self.error
        return super().encode(texts, batch_size=batch_size, progress=progress)


# --- what a build writes -----------------------------------------------------------------------


def test_manifest_records_model_chunking_hashes_and_counts(settings: Settings) -> None:
    summary = build(settings, FakeEmbedder())
    manifest = read_manifest(settings.index_dir)
    assert manifest.model == settings.model and manifest.dimension == FakeEmbedder.dimension
    assert manifest.chunking is not None
    assert manifest.chunking["max_tokens"] == ChunkingParams().max_tokens
    assert manifest.built_at.endswith("+00:00")
    assert [f.path for f in manifest.files] == [
        "seeds/000_6a964d9d721bf48f.txt",
        "seeds/notes/library.md",
        "seeds/other.txt",
    ]
    assert all(len(f.sha256) == 64 for f in manifest.files)
    assert sum(f.chunks for f in manifest.files) == manifest.chunks == summary.chunks
    assert summary.documents == 3 and summary.embedded_chunks == summary.chunks
    index = load_index(settings.index_dir, model=settings.model)
    assert [c.id for c in index.chunks] == list(range(summary.chunks))
    assert index.documents[2].title == "Harbour dredging approved"
    assert index.documents[2].published == "2020-03-02"
    norms = np.linalg.norm(np.asarray(index.vectors), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_progress_is_reported_for_every_chunk(settings: Settings) -> None:
    totals: list[int] = []
    done: list[int] = []

    def start(total: int) -> Progress:
        totals.append(total)
        return done.append

    summary = build(settings, FakeEmbedder(), progress=start)
    assert totals == [summary.chunks] and sum(done) == summary.chunks


# --- incremental -------------------------------------------------------------------------------


def test_editing_one_file_reembeds_only_that_file(settings: Settings) -> None:
    first = build(settings, FakeEmbedder())
    before = load_index(settings.index_dir, model=settings.model)
    other = settings.seeds_dir / "other.txt"
    other.write_text(OTHER + "\nThe dredgers arrive in April.\n", encoding="utf-8")

    fake = FakeEmbedder()
    second = build(settings, fake)
    after = load_index(settings.index_dir, model=settings.model)
    edited = [c for c in after.chunks if after.documents[c.document].path == "seeds/other.txt"]
    assert second.embedded_chunks == len(edited) == len(fake.encoded)
    assert second.reused_chunks == second.chunks - len(edited) == first.chunks - len(edited) + 1
    assert any("dredgers arrive in April" in text for text in fake.encoded)
    # Unchanged documents keep their chunks and their exact vectors.
    for document in (0, 1):
        old = [c.id for c in before.chunks if c.document == document]
        new = [c.id for c in after.chunks if c.document == document]
        assert np.array_equal(before.vectors[old], after.vectors[new])
    # And the result is what a full build gives.
    incremental = live_files(settings)
    build(settings, FakeEmbedder(), full=True)
    full = live_files(settings)
    for name in ("chunks.jsonl", "documents.json", "vectors.npy"):
        assert incremental[name] == full[name], name
    rebuilt = load_index(settings.index_dir, model=settings.model)
    assert after.columns.passage_key is not None and rebuilt.columns.passage_key is not None
    assert np.array_equal(after.columns.passage_key, rebuilt.columns.passage_key)


def test_a_reprinted_passage_has_the_key_of_the_original(settings: Settings) -> None:
    reprint = OTHER.replace("Harbour dredging approved", "Dredging: the port says yes")
    (settings.seeds_dir / "reprint.txt").write_text(reprint, encoding="utf-8")
    build(settings, FakeEmbedder())
    index = load_index(settings.index_dir, model=settings.model)
    keys = index.columns.passage_key
    assert keys is not None

    def keyed(path: str) -> dict[str, int]:
        rows = [c for c in index.chunks if index.documents[c.document].path == path]
        return {c.text: int(keys[c.id]) for c in rows}

    original, reprinted = keyed("seeds/other.txt"), keyed("seeds/reprint.txt")
    shared = original.keys() & reprinted.keys()
    assert any("Maria Lopes" in text for text in shared)
    for text in shared:  # the same paragraph, at other offsets of another document
        assert original[text] == reprinted[text], text
    assert len(set(original.values())) == len(original)  # one document's passages differ
    assert not set(original.values()) & set(keyed("seeds/notes/library.md").values())


def test_rows_carried_from_a_build_without_passage_keys_get_them(settings: Settings) -> None:
    from dataclasses import replace

    from bot.index import Carried, _carried_passage_keys

    build(settings, FakeEmbedder())
    index = load_index(settings.index_dir, model=settings.model)
    assert index.columns.passage_key is not None
    older = replace(index, columns=replace(index.columns, passage_key=None))
    rows = [c.id for c in index.chunks if c.document == 1]
    start, stop = rows[0], rows[-1] + 1
    made = _carried_passage_keys(Carried(older, start, stop, document=0))
    assert np.array_equal(made, index.columns.passage_key[start:stop])


def test_unchanged_seeds_do_not_load_the_model(settings: Settings) -> None:
    first = build(settings, FakeEmbedder())
    second = build_index(settings, embedder_factory=no_model)
    assert (second.embedded_chunks, second.reused_chunks) == (0, first.chunks)


def test_full_reembeds_everything(settings: Settings) -> None:
    first = build(settings, FakeEmbedder())
    fake = FakeEmbedder()
    second = build(settings, fake, full=True)
    assert second.embedded_chunks == len(fake.encoded) == first.chunks
    assert second.reused_chunks == 0


def test_added_removed_files_and_edited_sidecars(settings: Settings) -> None:
    build(settings, FakeEmbedder())
    (settings.seeds_dir / "notes" / "library.md").unlink()
    (settings.seeds_dir / "new.txt").write_text("New\n\nA new body sentence here.\n", "utf-8")
    sidecar = settings.seeds_dir / "other.meta.json"
    sidecar.write_text(json.dumps({"source": "Port Gazette"}), encoding="utf-8")
    fake = FakeEmbedder()
    summary = build(settings, fake)
    index = load_index(settings.index_dir, model=settings.model)
    assert [d.path for d in index.documents] == [
        "seeds/000_6a964d9d721bf48f.txt",
        "seeds/new.txt",
        "seeds/other.txt",
    ]
    assert index.documents[2].source == "Port Gazette"
    seed_chunks = sum(1 for c in index.chunks if c.document == 0)
    assert summary.reused_chunks == seed_chunks
    assert {c.document for c in index.chunks} == {0, 1, 2}
    assert [c.id for c in index.chunks] == list(range(len(index.chunks)))
    assert index_info(settings)["stale"] is False


def test_changed_chunking_reembeds_everything(settings: Settings) -> None:
    first = build(settings, FakeEmbedder())
    second = build(settings, FakeEmbedder(), chunking=ChunkingParams(max_sentences=1))
    assert second.reused_chunks == 0 and second.chunks > first.chunks


def test_new_attribution_rules_reembed_everything(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(settings, FakeEmbedder())
    assert index_info(settings)["stale"] is False
    monkeypatch.setattr(attribution, "RULES_VERSION", attribution.RULES_VERSION + 1)
    assert index_info(settings)["stale"] is True  # the bot rebuilds it when it starts
    assert build(settings, FakeEmbedder()).reused_chunks == 0


def test_new_spelling_rules_read_the_terms_again_and_keep_every_vector(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build(settings, FakeEmbedder())
    monkeypatch.setattr(lexical, "SPELLING_RULES", lexical.SPELLING_RULES + 1)
    monkeypatch.setitem(lexical._BRITISH_STEMS, "fbi", "federal bureau")  # a rule that moves
    assert index_info(settings)["stale"] is True  # the bot rebuilds it when it starts
    second = build(settings, FakeEmbedder())
    assert second.reused_chunks == first.chunks  # no chunk embedded again
    index = load_index(settings.index_dir, model=settings.model)
    assert index.same_terms()
    assert "federal bureau" in index.chunk_tokens().terms.vocabulary
    assert index_info(settings)["stale"] is False


def test_another_model_in_the_previous_build_reembeds_everything(
    settings: Settings, tmp_path: Path
) -> None:
    fake_model = Settings(
        BOT_SEEDS_DIR=settings.seeds_dir, BOT_INDEX_DIR=settings.index_dir, BOT_MODEL="fake"
    )
    build(fake_model, FakeEmbedder())
    summary = build(settings, FakeEmbedder())
    assert summary.reused_chunks == 0
    assert read_manifest(settings.index_dir).model == settings.model


# --- determinism -------------------------------------------------------------------------------


@pytest.mark.e2e
def test_two_full_builds_with_the_real_model_are_identical(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, link_export: Callable[[Path], None]
) -> None:
    seeds = copy_seeds(tmp_path / "seeds")
    outputs = []
    for name in ("one", "two"):
        settings = Settings(BOT_SEEDS_DIR=seeds, BOT_INDEX_DIR=tmp_path / name)
        link_export(settings.index_dir)
        build(settings, embedder, full=True)
        outputs.append(live_files(settings))
    for name in ("chunks.jsonl", "documents.json", "vectors.npy", "vectors.faiss"):
        assert outputs[0][name] == outputs[1][name], name


# --- atomic ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error", [RuntimeError("model crashed"), KeyboardInterrupt()], ids=["crash", "ctrl-c"]
)
def test_a_build_failing_mid_embedding_leaves_the_previous_index(
    settings: Settings, error: BaseException
) -> None:
    build(settings, FakeEmbedder())
    before, folders = live_files(settings), builds(settings)
    (settings.seeds_dir / "other.txt").write_text(OTHER * 3, encoding="utf-8")
    with pytest.raises(type(error)):
        build(settings, FailingEmbedder(error), full=True)
    assert live_files(settings) == before and builds(settings) == folders
    assert load_index(settings.index_dir, model=settings.model).manifest.chunks > 0
    assert index_info(settings)["stale"] is True
    build(settings, FakeEmbedder())  # the lock was released


def test_a_build_failing_while_writing_leaves_the_previous_index(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faiss

    build(settings, FakeEmbedder())
    before, folders = live_files(settings), builds(settings)

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device", "vectors.faiss")

    monkeypatch.setattr(faiss, "write_index", disk_full)
    with pytest.raises(IndexWriteError, match="No space left on device"):
        build(settings, FakeEmbedder(), full=True)
    assert live_files(settings) == before and builds(settings) == folders
    load_index(settings.index_dir, model=settings.model)


def test_leftovers_of_a_killed_build_confuse_nothing(settings: Settings) -> None:
    build(settings, FakeEmbedder())
    live = (settings.index_dir / CURRENT).resolve().name
    leftover = settings.index_dir / "build-20000101T000000-99999-dead00"
    leftover.mkdir()
    (leftover / MARK).write_text("made by `python -m bot index build`\n", encoding="utf-8")
    (leftover / "chunks.jsonl").write_text('{"id": 0, "trunc', encoding="utf-8")
    (settings.index_dir / f".{CURRENT}.99999").symlink_to(leftover.name)
    assert index_info(settings)["chunks"] > 0
    build(settings, FakeEmbedder(), full=True)
    assert not leftover.exists() and not (settings.index_dir / f".{CURRENT}.99999").is_symlink()
    assert live in builds(settings)  # the previous build is kept for bots still reading it
    assert len(builds(settings)) == 2


def test_builds_in_quick_succession_each_get_their_own_folder(settings: Settings) -> None:
    for _ in range(3):
        build(settings, FakeEmbedder(), full=True)
    assert len(builds(settings)) == 2
    assert (settings.index_dir / CURRENT).resolve().name in builds(settings)
    assert (settings.index_dir / "README.md").exists() is False  # nothing else is created


def test_folders_the_bot_did_not_write_survive_builds(settings: Settings) -> None:
    settings.index_dir.mkdir()
    mine = settings.index_dir / "build-notes"
    mine.mkdir()
    (mine / "plan.txt").write_text("my plan\n", encoding="utf-8")
    other_manifest = settings.index_dir / "build-other-tool"
    other_manifest.mkdir()
    (other_manifest / "manifest.json").write_text('{"name": "not ours"}', encoding="utf-8")
    not_a_link = settings.index_dir / f".{CURRENT}.notes"
    not_a_link.write_text("keep me\n", encoding="utf-8")
    for _ in range(3):
        build(settings, FakeEmbedder(), full=True)
    assert (mine / "plan.txt").read_text(encoding="utf-8") == "my plan\n"
    assert (other_manifest / "manifest.json").exists()
    assert not_a_link.read_text(encoding="utf-8") == "keep me\n"
    assert len([b for b in builds(settings) if (settings.index_dir / b / MARK).exists()]) == 2


def test_a_build_folder_holding_a_file_the_bot_did_not_write_is_kept(settings: Settings) -> None:
    build(settings, FakeEmbedder())
    first = (settings.index_dir / CURRENT).resolve()
    (first / "my-notes.txt").write_text("notes\n", encoding="utf-8")
    for _ in range(3):
        build(settings, FakeEmbedder(), full=True)
    assert (first / "my-notes.txt").read_text(encoding="utf-8") == "notes\n"


def test_a_part_the_manifest_lists_is_the_bots_own(settings: Settings) -> None:
    build(settings, FakeEmbedder())
    first = (settings.index_dir / CURRENT).resolve()
    (first / "extra.bin").write_bytes(b"written by a later part of the build")
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    manifest["parts"]["extra.bin"] = 36
    (first / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    build(settings, FakeEmbedder(), full=True)
    build(settings, FakeEmbedder(), full=True)
    assert not first.exists()


def test_an_old_build_without_the_mark_is_known_by_its_manifest(settings: Settings) -> None:
    build(settings, FakeEmbedder())
    first = (settings.index_dir / CURRENT).resolve()
    (first / MARK).unlink()  # as written by earlier versions of the bot
    build(settings, FakeEmbedder(), full=True)
    build(settings, FakeEmbedder(), full=True)
    assert not first.exists()


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_something_else_where_current_belongs_is_refused_untouched(
    settings: Settings, kind: str
) -> None:
    settings.index_dir.mkdir()
    current = settings.index_dir / CURRENT
    if kind == "folder":
        current.mkdir()
        (current / "precious.txt").write_text("precious\n", encoding="utf-8")
    else:
        current.write_text("precious\n", encoding="utf-8")
    with pytest.raises(IndexWriteError, match=f"current is a {kind} the bot did not make"):
        build_index(settings, embedder_factory=no_model)
    inside = current / "precious.txt" if kind == "folder" else current
    assert inside.read_text(encoding="utf-8") == "precious\n"
    assert builds(settings) == []


def test_the_index_readme_survives_builds(settings: Settings) -> None:
    settings.index_dir.mkdir()
    readme = settings.index_dir / "README.md"
    readme.write_text("build output goes here\n", encoding="utf-8")
    build(settings, FakeEmbedder())
    build(settings, FakeEmbedder(), full=True)
    assert readme.read_text(encoding="utf-8") == "build output goes here\n"


def test_a_corrupt_previous_index_is_rebuilt(settings: Settings) -> None:
    first = build(settings, FakeEmbedder())
    (settings.index_dir / CURRENT / "vectors.npy").write_bytes(b"garbage")
    summary = build(settings, FakeEmbedder())
    assert summary.embedded_chunks == first.chunks
    load_index(settings.index_dir, model=settings.model)


# --- one build at a time -----------------------------------------------------------------------


def test_a_second_build_is_refused_while_one_runs(settings: Settings) -> None:
    build(settings, FakeEmbedder())
    before = live_files(settings)
    with build_lock(settings.index_dir):
        with pytest.raises(IndexBusyError, match="Another `index build` is running"):
            build(settings, FakeEmbedder(), full=True)
    assert live_files(settings) == before
    build(settings, FakeEmbedder(), full=True)


# --- bad seeds ---------------------------------------------------------------------------------


def _missing_folder(seeds: Path) -> None:
    for path in sorted(seeds.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    seeds.rmdir()


def _empty_folder(seeds: Path) -> None:
    _missing_folder(seeds)
    seeds.mkdir()
    (seeds / "README").write_text("not a .txt or .md file", encoding="utf-8")


def _only_empty_files(seeds: Path) -> None:
    _empty_folder(seeds)
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "blank.md").write_text("\n \n\t\n", encoding="utf-8")


BAD_SEEDS = {
    "missing folder": (_missing_folder, "does not exist"),
    "empty folder": (_empty_folder, r"No documents \(\.txt, \.md, \.html, \.pdf, \.docx\)"),
    "only empty files": (_only_empty_files, "every file in .* is empty"),
}


def _unreadable_file(seeds: Path) -> None:
    if os.geteuid() == 0:  # root reads any file whatever its mode; this one fails for anyone
        (seeds / "zz.txt").symlink_to("/proc/self/mem")
    else:
        (seeds / "zz.txt").write_text("Locked\n\nNo one may read this.\n", "utf-8")
        (seeds / "zz.txt").chmod(0)


def _linked_folder(seeds: Path) -> None:
    elsewhere = seeds.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.txt").write_text("Headline\n\nA paragraph far away.\n", encoding="utf-8")
    (seeds / "more").symlink_to(elsewhere, target_is_directory=True)


UNREADABLE_SEEDS = {
    "latin-1 file": (
        lambda s: (s / "zz.txt").write_bytes("café\n".encode("latin-1")),
        "zz.txt: not UTF-8",
    ),
    "binary .txt": (
        lambda s: (s / "zz.txt").write_bytes(bytes(range(256)) * 64),
        "zz.txt: looks like a binary",
    ),
    "bad sidecar": (
        lambda s: (s / "other.meta.json").write_text("{", "utf-8"),
        "other.meta.json: not valid",
    ),
    "unreadable file": (_unreadable_file, "zz.txt: cannot be read"),
    "link to nothing": (
        lambda s: (s / "zz.txt").symlink_to(s / "gone.txt"),
        "zz.txt: a link to nothing",
    ),
    "link to a folder": (_linked_folder, "more: a link to a folder, not followed"),
}


@pytest.mark.parametrize("name", BAD_SEEDS)
def test_bad_seeds_are_refused_and_the_previous_index_kept(settings: Settings, name: str) -> None:
    build(settings, FakeEmbedder())
    before = live_files(settings)
    damage, message = BAD_SEEDS[name]
    damage(settings.seeds_dir)
    with pytest.raises(SeedError, match=message):
        build_index(settings, embedder_factory=no_model, full=True)
    assert live_files(settings) == before
    load_index(settings.index_dir, model=settings.model)


@pytest.mark.parametrize("name", UNREADABLE_SEEDS)
def test_an_unreadable_seed_is_skipped_with_a_warning_naming_it(
    settings: Settings, name: str
) -> None:
    damage, message = UNREADABLE_SEEDS[name]
    damage(settings.seeds_dir)
    warnings: list[str] = []
    summary = build(settings, FakeEmbedder(), warn=warnings.append)
    assert len(warnings) == 1 and re.search(message, warnings[0]), warnings
    assert warnings[0].endswith(", skipped")
    assert len(summary.skipped) == 1 and summary.documents == (2 if "sidecar" in name else 3)
    assert index_info(settings)["stale"] is False
    again: list[str] = []
    assert build_index(settings, embedder_factory=no_model, warn=again.append).embedded_chunks == 0
    assert again == warnings  # still named on every build until it is fixed


def test_a_pdf_s_pages_with_no_text_are_named(settings: Settings) -> None:
    from tests import make_documents

    (settings.seeds_dir / "wall.pdf").write_bytes(make_documents.partly_scanned_pdf())
    warnings: list[str] = []
    summary = build(settings, FakeEmbedder(), warn=warnings.append)
    assert not summary.skipped and summary.documents == 4  # the text page is indexed
    assert any(
        w.endswith("wall.pdf: page 2 has no text layer (scanned? run OCR on them), left out")
        for w in warnings
    ), warnings


@pytest.mark.parametrize("name", UNREADABLE_SEEDS)
def test_a_strict_build_fails_on_an_unreadable_seed(settings: Settings, name: str) -> None:
    build(settings, FakeEmbedder())
    before = live_files(settings)
    damage, message = UNREADABLE_SEEDS[name]
    damage(settings.seeds_dir)
    with pytest.raises(SeedError, match=message):
        build_index(settings, embedder_factory=no_model, full=True, strict=True)
    assert live_files(settings) == before


def test_an_unreadable_folder_is_skipped_with_a_warning_naming_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = settings.seeds_dir / "notes"
    if os.geteuid() == 0:  # root lists any folder; make listing this one fail as it would
        real_scandir = os.scandir

        def scandir(path: Any = ".") -> Any:
            if not isinstance(path, int) and Path(path) == locked:  # (rmtree passes folders' fds)
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        locked.chmod(0)
    warnings: list[str] = []
    try:
        summary = build(settings, FakeEmbedder(), warn=warnings.append)
        with pytest.raises(SeedError, match="notes/: folder cannot be read"):
            build_index(settings, embedder_factory=no_model, full=True, strict=True)
        stale = index_info(settings)["stale"]
    finally:
        locked.chmod(0o755)
    assert warnings == [f"{locked}/: folder cannot be read (no permission to list it), skipped"]
    assert summary.skipped == ("seeds/notes/",) and summary.documents == 2
    assert stale is False


def test_a_file_whose_name_is_not_utf8_is_skipped_with_a_warning(settings: Settings) -> None:
    bad = os.fsencode(settings.seeds_dir) + b"/bad\xffname.txt"
    with open(bad, "wb") as file:  # as unpacked from an archive made on another system
        file.write(b'Doc\n\n"Odd," said Nam Bad, the namer.\n')
    warnings: list[str] = []
    summary = build(settings, FakeEmbedder(), warn=warnings.append)
    assert warnings == [
        f"{settings.seeds_dir}/bad\ufffdname.txt: file name is not UTF-8 (rename the file), skipped"
    ]
    assert summary.skipped == ("seeds/bad\ufffdname.txt",) and summary.documents == 3
    info = index_info(settings)
    assert info["stale"] is False  # recorded as skipped: no rebuild on every question
    json.dumps(info)  # nothing in it a JSON reply cannot carry


def test_empty_files_are_skipped_with_a_warning_and_not_reread(settings: Settings) -> None:
    (settings.seeds_dir / "empty.txt").write_bytes(b"")
    warnings: list[str] = []
    first = build(settings, FakeEmbedder(), warn=warnings.append)
    assert warnings == [f"{settings.seeds_dir}/empty.txt: no text to index, skipped"]
    assert first.skipped == ("seeds/empty.txt",) and first.documents == 3
    assert index_info(settings)["stale"] is False
    second = build_index(settings, embedder_factory=no_model)
    assert second.skipped == ("seeds/empty.txt",) and second.embedded_chunks == 0


def test_hidden_files_and_other_suffixes_are_ignored(settings: Settings) -> None:
    (settings.seeds_dir / ".draft.txt").write_text("Draft\n\nSecret draft text.\n", "utf-8")
    (settings.seeds_dir / ".git").mkdir()
    (settings.seeds_dir / ".git" / "notes.md").write_text("Git\n\nInternal notes.\n", "utf-8")
    (settings.seeds_dir / "image.png").write_bytes(b"\x89PNG\0\0")
    assert build(settings, FakeEmbedder()).documents == 3


def test_a_file_without_sentence_punctuation_is_indexed(settings: Settings) -> None:
    words = " ".join(f"word{n}" for n in range(5000))
    (settings.seeds_dir / "nopunct.txt").write_text(words, encoding="utf-8")
    fake = FakeEmbedder()
    build(settings, fake)
    index = load_index(settings.index_dir, model=settings.model)
    chunks = [c for c in index.chunks if index.documents[c.document].path == "seeds/nopunct.txt"]
    assert "".join(c.text for c in chunks) == words  # neighbours join up exactly
    assert all(fake.count_tokens(c.text) <= ChunkingParams().max_tokens for c in chunks)


def test_the_seed_keeps_its_metadata(tmp_path: Path) -> None:
    settings = Settings(BOT_SEEDS_DIR=copy_seeds(tmp_path / "seeds"), BOT_INDEX_DIR=tmp_path / "i")
    build(settings, FakeEmbedder())
    (document,) = index_info(settings)["documents"]
    assert document["path"] == "seeds/" + SEED_FILE.name
    assert document["published"] == "2011-11-15"
    assert document["source"] == "Homeland Security News Wire"
