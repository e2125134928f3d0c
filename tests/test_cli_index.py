"""`python -m bot index build|info`, run as a user runs them: exit codes and output.

The shipped seed is built once with the real model. Cases that only exercise plumbing (the 20 MB
file, recovery, concurrent builds, Ctrl-C) run the same CLI with a fake embedder swapped in.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

import bot.build
import bot.cli
from bot.build import build_index
from bot.chunk import ChunkingParams
from bot.errors import SeedError
from bot.index import CURRENT, MARK, build_lock, load_index
from bot.settings import Settings
from bot.status import index_info
from tests.conftest import SEED_FILE, FakeEmbedder, copy_linking_exports, copy_seeds
from tests.serve_process import bot_environment

pytestmark = pytest.mark.e2e  # subprocesses and servers: the slow tier

TIMEOUT = 120
SEED_TITLE = "Internal e-mails reveal FBI confused by Secure Communities"

# The CLI with a stand-in model: what `python -m bot` runs, minus the seconds of loading torch.
_WITH_FAKE = """
import sys, time, zlib
import numpy as np
from tests.conftest import FakeEmbedder
import bot.build
import bot.cli

class Quick(FakeEmbedder):
    def encode(self, texts, *, batch_size=64, progress=None):
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        rows[np.arange(len(texts)), [zlib.crc32(t.encode()) % self.dimension for t in texts]] = 1
        if progress is not None:
            progress(len(texts))
        return rows

class Slow(FakeEmbedder):
    def encode(self, texts, *, batch_size=64, progress=None):
        print("embedding started", file=sys.stderr, flush=True)
        time.sleep(delay)
        return super().encode(texts, batch_size=batch_size, progress=progress)

kind = sys.argv.pop(1)
delay = float(sys.argv.pop(1)) if kind == "slow" else 0.0
EMBEDDERS = {"fake": FakeEmbedder, "quick": Quick, "slow": Slow}
bot.build.default_embedder = lambda settings: EMBEDDERS[kind]()
raise SystemExit(bot.cli.main(sys.argv[1:]))
"""


@dataclass(frozen=True)
class Workspace:
    """A folder holding seeds/ and index/, like a checkout of the bot."""

    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def index(self) -> Path:
        return self.root / "index"

    def env(self, **extra: str) -> dict[str, str]:
        return bot_environment(
            BOT_SEEDS_DIR="seeds",
            BOT_INDEX_DIR="index",
            BOT_FEEDBACK_DB=str(self.root / "feedback.sqlite3"),
            **extra,
        )

    def command(self, args: tuple[str, ...], embedder: str | None) -> list[str]:
        if embedder is None:
            return [sys.executable, "-m", "bot", *args]
        return [sys.executable, "-c", _WITH_FAKE, *embedder.split(), *args]

    def run(
        self, *args: str, embedder: str | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        """``python -m bot ARGS``; with ``embedder`` ("fake", "quick", "slow SECONDS") the model
        is replaced by a stand-in."""
        return subprocess.run(
            self.command(args, embedder),
            cwd=self.root,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )

    def start(self, *args: str, embedder: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(args, embedder),
            cwd=self.root,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # A process started while SIGINT is ignored (as some earlier test or a background
            # job may leave it) would ignore Ctrl-C too: give the build the default, as a
            # terminal does.
            preexec_fn=_default_sigint,
        )

    def settings(self, **values: object) -> Settings:
        return Settings(BOT_SEEDS_DIR=self.seeds, BOT_INDEX_DIR=self.index, **values)  # type: ignore[arg-type]

    def live(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((self.index / CURRENT).iterdir())}

    def builds(self) -> list[str]:
        return sorted(p.name for p in self.index.glob("build-*"))


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def one_error_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 1 and exactly one line on stderr, `error: …`, holding every needle."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def info(workspace: Workspace) -> dict[str, object]:
    result = workspace.run("index", "info", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def seed_workspace(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Workspace, dict[str, object]]]:
    """The shipped seed built by `python -m bot index build --json` with the real model, once."""
    workspace = Workspace(tmp_path_factory.mktemp("cli"))
    copy_seeds(workspace.seeds)
    result = workspace.run("index", "build", "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    yield workspace, json.loads(result.stdout)


@pytest.fixture
def workspace(seed_workspace: tuple[Workspace, dict[str, object]], tmp_path: Path) -> Workspace:
    """A private copy of the seed workspace, index included, for tests that change it."""
    return Workspace(copy_linking_exports(seed_workspace[0].root, tmp_path / "ws"))


# --- the shipped seed --------------------------------------------------------------------------


def test_build_then_info_on_the_shipped_seed(
    seed_workspace: tuple[Workspace, dict[str, object]],
) -> None:
    workspace, summary = seed_workspace
    assert summary["documents"] == 1 and summary["reused_chunks"] == 0
    assert summary["embedded_chunks"] == summary["chunks"] and summary["chunks"] > 5
    assert isinstance(summary["seconds"], float)

    described = info(workspace)
    assert described["model"] == "all-MiniLM-L6-v2" and described["dimension"] == 384
    assert described["stale"] is False and described["chunks"] == summary["chunks"]
    assert datetime.fromisoformat(str(described["built_at"])).tzinfo is not None
    assert described["documents"] == [
        {
            "path": "seeds/" + SEED_FILE.name,
            "title": SEED_TITLE,
            "published": "2011-11-15",
            "source": "Homeland Security News Wire",
            "url": "http://www.homelandsecuritynewswire.com/"
            "internal-e-mails-reveal-fbi-confused-secure-communities",
            "author": None,
            "format": "text",
            "chunks": summary["chunks"],
        }
    ]


def test_info_for_people(seed_workspace: tuple[Workspace, dict[str, object]]) -> None:
    workspace, summary = seed_workspace
    result = workspace.run("index", "info")
    assert result.returncode == 0 and result.stderr == ""
    assert f"{summary['chunks']} chunks" in result.stdout and "up to date" in result.stdout
    assert "2011-11-15" in result.stdout


def test_unchanged_seeds_rebuild_by_reusing_everything(workspace: Workspace) -> None:
    before = info(workspace)
    result = workspace.run("index", "build")
    assert result.returncode == 0, result.stderr
    chunks = before["chunks"]
    assert f"Indexed 1 document(s): {chunks} chunks (0 embedded, {chunks} reused)" in result.stdout
    assert info(workspace)["built_at"] >= before["built_at"]  # type: ignore[operator]


def test_info_says_stale_after_a_seed_changes(workspace: Workspace) -> None:
    (workspace.seeds / "new.md").write_text("# New\n\nA new document.\n", encoding="utf-8")
    assert info(workspace)["stale"] is True
    result = workspace.run("index", "info")
    reason = "seeds changed since the last build"
    assert f"stale ({reason}) — run `python -m bot index build`" in result.stdout
    assert info(workspace)["stale_reason"] == reason


def test_an_index_of_another_model_asks_for_a_rebuild(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    copy_seeds(workspace.seeds)
    build_index(workspace.settings(BOT_MODEL="fake"), embedder_factory=lambda _s: FakeEmbedder())
    result = workspace.run("index", "info")
    one_error_line(result, "built with model 'fake' (64 dims)", "python -m bot index build --full")


# --- bad seeds ---------------------------------------------------------------------------------


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda seeds: (seeds / name).write_bytes(data)


def _emptied(seeds: Path) -> None:
    shutil.rmtree(seeds)
    seeds.mkdir()


def _only_an_empty_file(seeds: Path) -> None:
    _emptied(seeds)
    (seeds / "empty.txt").write_bytes(b"")


BAD_SEEDS = {
    "missing folder": (lambda seeds: shutil.rmtree(seeds), "Seeds folder seeds does not exist"),
    "empty folder": (_emptied, "No documents (.txt, .md, .html, .pdf, .docx) in seeds/"),
    "only an empty file": (_only_an_empty_file, "every file in seeds/ is empty"),
}
UNREADABLE_SEEDS = {
    "non-UTF-8 file": (
        _write("bad.txt", "caf\xe9 cr\xe8me".encode("latin-1")),
        "bad.txt: not UTF-8",
    ),
    "binary named .txt": (
        _write("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" * 99),
        "photo.txt: looks like a binary",
    ),
}


@pytest.mark.parametrize("case", BAD_SEEDS)
def test_bad_seeds_fail_with_one_line_and_keep_the_index(workspace: Workspace, case: str) -> None:
    damage, message = BAD_SEEDS[case]
    before = workspace.live()
    damage(workspace.seeds)
    one_error_line(workspace.run("index", "build", "--full", "--json"), message)
    assert workspace.live() == before
    assert index_info(workspace.settings())["stale"] is True


@pytest.mark.parametrize("case", UNREADABLE_SEEDS)
def test_an_unreadable_seed_is_skipped_with_a_warning_or_fails_a_strict_build(
    workspace: Workspace, case: str
) -> None:
    damage, message = UNREADABLE_SEEDS[case]
    before = workspace.live()
    damage(workspace.seeds)
    one_error_line(workspace.run("index", "build", "--strict", "--json"), message, "--strict")
    assert workspace.live() == before
    result = workspace.run("index", "build", "--json", embedder="fake")
    assert result.returncode == 0, result.stderr
    warning = result.stderr.strip()
    assert warning.startswith("warning: ") and message in warning and warning.endswith("skipped")
    summary = json.loads(result.stdout)
    assert summary["documents"] == 1 and len(summary["skipped"]) == 1
    assert info(workspace)["stale"] is False


def test_something_else_where_current_belongs_stops_a_build_in_one_line(
    workspace: Workspace,
) -> None:
    (workspace.index / CURRENT).unlink()
    (workspace.index / CURRENT).mkdir()
    (workspace.index / CURRENT / "keep.txt").write_text("mine\n", encoding="utf-8")
    result = workspace.run("index", "build")
    one_error_line(result, "index/current is a folder the bot did not make")
    assert (workspace.index / CURRENT / "keep.txt").read_text(encoding="utf-8") == "mine\n"


def test_an_empty_file_among_others_is_skipped_with_a_warning(workspace: Workspace) -> None:
    (workspace.seeds / "empty.txt").write_bytes(b"")
    result = workspace.run("index", "build", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "warning: seeds/empty.txt: no text to index, skipped"
    assert json.loads(result.stdout)["skipped"] == ["seeds/empty.txt"]
    assert info(workspace)["stale"] is False


def test_a_twenty_megabyte_file_is_indexed_in_bounded_chunks(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    workspace.seeds.mkdir()
    sentence = (
        "On day {} the members of the committee met in the old hall by the river and discussed "
        "the budget for the coming year and the repairs the north bridge needs before winter. "
    )
    paragraph = "".join(sentence.format(n) for n in range(4))
    copies = 20_000_000 // (len(paragraph) + 2) + 1
    big = workspace.seeds / "big.txt"
    big.write_text("Minutes of the committee\n\n" + "\n\n".join([paragraph] * copies), "utf-8")
    assert big.stat().st_size >= 20_000_000

    # One OpenMP thread: FAISS training spins badly when the test machine's cores are busy.
    result = workspace.run("index", "build", "--json", embedder="quick", OMP_NUM_THREADS="1")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    summary = json.loads(result.stdout)
    assert summary["documents"] == 1 and summary["chunks"] >= copies

    index = load_index(workspace.index, model=workspace.settings().model)
    params, fake = ChunkingParams(), FakeEmbedder()
    assert max(len(c.text) for c in index.chunks) <= params.max_chars
    assert all(fake.count_tokens(c.text) <= params.max_tokens for c in index.chunks[::97])
    assert info(workspace)["documents"][0]["chunks"] == summary["chunks"]  # type: ignore[index]


# --- a damaged index ---------------------------------------------------------------------------


def _live_part(name: str) -> Callable[[Path], Path]:
    return lambda index: index / CURRENT / name


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "no index folder": (lambda index: shutil.rmtree(index), "No index in index/"),
    "manifest deleted": (
        lambda index: _live_part("manifest.json")(index).unlink(),
        "manifest.json is missing",
    ),
    "chunks truncated": (
        lambda index: _live_part("chunks.jsonl")(index).write_text('{"id": 0,', "utf-8"),
        "chunks.jsonl is truncated",
    ),
    "faiss deleted": (
        lambda index: _live_part("vectors.faiss")(index).unlink(),
        "vectors.faiss is missing",
    ),
    "current dangling": (
        lambda index: shutil.rmtree((index / CURRENT).resolve()),
        "points to a build that is gone",
    ),
}


@pytest.mark.parametrize("case", DAMAGE)
def test_a_damaged_index_is_named_and_the_next_build_recovers(
    workspace: Workspace, case: str
) -> None:
    damage, message = DAMAGE[case]
    damage(workspace.index)
    one_error_line(workspace.run("index", "info"), message, "python -m bot index build")
    result = workspace.run("index", "build", "--json", embedder="fake")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert json.loads(result.stdout)["reused_chunks"] == 0
    assert index_info(workspace.settings())["stale"] is False


def test_leftovers_of_a_killed_build_are_ignored_then_cleared(workspace: Workspace) -> None:
    leftover = workspace.index / "build-20000101T000000-4242-abcdef"
    leftover.mkdir()
    (leftover / MARK).write_text("made by `python -m bot index build`\n", encoding="utf-8")
    (leftover / "vectors.npy").write_bytes(b"\x93NUMPY half")
    assert info(workspace)["stale"] is False
    result = workspace.run("index", "build", "--json", embedder="fake")
    assert result.returncode == 0, result.stderr
    assert not leftover.exists()


def _seeded_with_fake_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Workspace, Settings]:
    """A workspace holding the seeds, whose builds (in this process) use the fake model."""
    monkeypatch.setattr(bot.build, "default_embedder", lambda _settings: FakeEmbedder())
    workspace = Workspace(tmp_path)
    copy_seeds(workspace.seeds)
    return workspace, workspace.settings()


def test_ask_and_chat_build_a_missing_or_damaged_index_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace, settings = _seeded_with_fake_model(tmp_path, monkeypatch)
    bot.cli._ensure_index(settings)
    assert "Building the index (no index yet)" in capsys.readouterr().err
    bot.cli._ensure_index(settings)
    assert capsys.readouterr().err == ""
    (workspace.index / CURRENT / "chunks.jsonl").write_text("", encoding="utf-8")
    bot.cli._ensure_index(settings)
    assert "Building the index (the index on disk is damaged)" in capsys.readouterr().err
    load_index(workspace.index, model=settings.model)


def test_ask_answers_from_the_last_good_build_when_a_rebuild_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace, settings = _seeded_with_fake_model(tmp_path, monkeypatch)
    bot.cli._ensure_index(settings)
    live = workspace.live()
    (workspace.seeds / "new.txt").write_text("A new story\n\nIt says things.\n", "utf-8")
    capsys.readouterr()
    with build_lock(workspace.index):  # a build already running
        bot.cli._ensure_index(settings)
    err = capsys.readouterr().err
    assert "warning: Another `index build` is running" in err
    assert "answering from the last good build" in err
    assert workspace.live() == live
    shutil.rmtree(workspace.seeds)  # the seeds gone altogether
    bot.cli._ensure_index(settings)
    assert "answering from the last good build" in capsys.readouterr().err
    shutil.rmtree(workspace.index)  # no last good build: the failure is the answer
    with pytest.raises(SeedError, match="does not exist"):
        bot.cli._ensure_index(settings)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder")
def test_ask_answers_from_a_read_only_index_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot.build
    import bot.cli

    monkeypatch.setattr(bot.build, "default_embedder", lambda _settings: FakeEmbedder())
    workspace = Workspace(tmp_path)
    copy_seeds(workspace.seeds)
    bot.cli._ensure_index(workspace.settings())
    (workspace.seeds / "new.txt").write_text("A new story\n\nIt says things.\n", "utf-8")
    workspace.index.chmod(0o555)
    try:
        bot.cli._ensure_index(workspace.settings())
    finally:
        workspace.index.chmod(0o755)
    assert "answering from the last good build" in capsys.readouterr().err


def test_ask_answers_while_another_build_runs(workspace: Workspace) -> None:
    """The real `ask`, with the real model, while a build holds the lock and a seed changed."""
    (workspace.seeds / "late.txt").write_text("Late news\n\nSomething happened.\n", "utf-8")
    with build_lock(workspace.index):
        result = workspace.run("ask", "--json", "Who is Alan Kraut?")
    assert result.returncode == 0, result.stderr
    assert "answering from the last good build" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["answered"] is True


# --- one build at a time; interruptions ------------------------------------------------------


def test_a_build_is_refused_while_another_holds_the_lock(workspace: Workspace) -> None:
    before = workspace.live()
    with build_lock(workspace.index):
        result = workspace.run("index", "build", "--full")
    one_error_line(result, "Another `index build` is running on index/")
    assert workspace.live() == before


def test_two_builds_started_at_once(workspace: Workspace) -> None:
    processes = [workspace.start("index", "build", "--full", embedder="slow 2") for _ in range(2)]
    outcomes = sorted((p.wait(TIMEOUT), p.communicate()[1]) for p in processes)
    assert [code for code, _ in outcomes] == [0, 1]
    refused = outcomes[1][1].strip().splitlines()
    assert refused == ["error: Another `index build` is running on index/; wait for it to finish"]
    assert "Traceback" not in outcomes[0][1]
    load_index(workspace.index, model=workspace.settings().model)
    assert len(workspace.builds()) == 2


def test_ctrl_c_during_a_build_keeps_the_previous_index(workspace: Workspace) -> None:
    before, folders = workspace.live(), workspace.builds()
    process = workspace.start("index", "build", "--full", embedder="slow 60")
    assert process.stderr is not None
    assert process.stderr.readline().strip() == "embedding started"
    process.send_signal(signal.SIGINT)
    code = process.wait(TIMEOUT)
    _, stderr = process.communicate()
    assert code == 130 and stderr.strip() == "interrupted" and "Traceback" not in stderr
    assert workspace.live() == before and workspace.builds() == folders
    assert info(workspace)["stale"] is False


def test_a_killed_build_keeps_the_previous_index(workspace: Workspace) -> None:
    before = workspace.live()
    process = workspace.start("index", "build", "--full", embedder="slow 60")
    assert process.stderr is not None
    assert process.stderr.readline().strip() == "embedding started"
    process.kill()
    process.wait(TIMEOUT)
    assert workspace.live() == before
    started = time.monotonic()
    result = workspace.run("index", "build", "--full", "--json", embedder="fake")
    assert result.returncode == 0, result.stderr  # the kernel released the dead build's lock
    assert time.monotonic() - started < TIMEOUT


# --- cheap commands stay cheap -----------------------------------------------------------------

_HEAVY = ("sentence_transformers", "torch", "transformers", "ray", "sqlalchemy", "psycopg")
_NO_HEAVY_IMPORTS = """
import contextlib, io, sys
import bot.build
import bot.cli

with contextlib.redirect_stdout(io.StringIO()):
    codes = [bot.cli.main(["index", "info", "--json"]), bot.cli.main(["index", "info"])]
    with contextlib.suppress(SystemExit):
        bot.cli.main(["--help"])
    with contextlib.suppress(SystemExit):
        bot.cli.main(["index", "--help"])
print(codes, sorted(name for name in {heavy!r} if name in sys.modules))
"""


def test_help_and_info_do_not_import_the_model_library(
    seed_workspace: tuple[Workspace, dict[str, object]],
) -> None:
    workspace, _ = seed_workspace
    script = _NO_HEAVY_IMPORTS.format(heavy=_HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=workspace.root,
        env=workspace.env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[0, 0] []"
    help_text = workspace.run("--help")
    assert help_text.returncode == 0 and "index" in help_text.stdout


def test_a_build_into_a_log_says_how_far_it_is(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot.render.terminal as terminal

    monkeypatch.setattr(terminal, "PROGRESS_LINE_SECONDS", 0.0)  # every step, for the test
    with terminal.progress_bar("Embedding chunks") as start:  # stderr is no terminal here
        advance = start(3)
        advance(1)
        advance(1)
        advance(1)  # done: no line for the end, the summary says it
    assert capsys.readouterr().err.splitlines() == [
        "Embedding chunks: 1 / 3",
        "Embedding chunks: 2 / 3",
    ]
