"""The local testing mode as users run it: `ask`, `ask --json -`, `chat`, `eval` (subprocesses)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EVAL, ROOT, copy_seeds
from tests.serve_process import bot_environment

pytestmark = pytest.mark.e2e  # subprocesses and servers: the slow tier


def _run(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    result: subprocess.CompletedProcess[str] = _run_bytes(args, env, stdin, text=True)
    return result


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A private copy of the seeds; the index is built by the first `ask`, as a user's would be."""
    base = tmp_path_factory.mktemp("cli")
    return bot_environment(
        BOT_SEEDS_DIR=str(copy_seeds(base / "seeds")), BOT_INDEX_DIR=str(base / "index")
    )


def test_ask_builds_a_missing_index_then_answers(env: dict[str, str]) -> None:
    result = _run(["ask", "What did the Houston special agent in charge say?"], env)
    assert result.returncode == 0, result.stderr
    assert "Building the index (no index yet)" in result.stderr
    assert "“I agree,” replied Stephen L. Morris" in result.stdout
    assert "— Stephen L. Morris, the special agent in charge of Houston · Internal e-mails" in (
        result.stdout
    )
    assert "Traceback" not in result.stderr


def test_ask_json_stdin_answers_one_object_per_line(env: dict[str, str]) -> None:
    questions = "Who is Daniel Roberts?\n\nWhat's the capital of France?\nhelp\n"
    result = _run(["ask", "--json", "-"], env, stdin=questions)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == [
        "Who is Daniel Roberts?",
        "What's the capital of France?",
        "help",
    ]
    roberts, france, help_ = answers
    assert roberts["answered"] is True and roberts["confidence"] in {"high", "medium", "low"}
    quote = roberts["quotes"][0]
    assert quote["speaker"] == "Daniel D. Roberts"
    assert quote["document"]["published"] == "2011-11-15"
    assert quote["document"]["path"] == "seeds/000_6a964d9d721bf48f.txt"
    source = (Path(env["BOT_SEEDS_DIR"]) / "000_6a964d9d721bf48f.txt").read_text(encoding="utf-8")
    assert source[quote["char_start"] : quote["char_end"]] == quote["text"]
    assert (
        quote["text"] in roberts["reply_text"]
        or quote["text"].splitlines()[0] in roberts["reply_text"]
    )
    assert france["answered"] is False and france["quotes"] == []
    assert "My sources don't mention “France”" in france["reply_text"]
    assert help_["answered"] is False and "Internal e-mails reveal" in help_["reply_text"]


def test_chat_answers_until_exit(env: dict[str, str]) -> None:
    result = _run(["chat"], env, stdin="Who is Alan Kraut?\nexit\nWho is Daniel Roberts?\n")
    assert result.returncode == 0, result.stderr
    assert "Alan Kraut, a professor at American University" in result.stdout
    assert "Daniel D. Roberts" not in result.stdout  # nothing after `exit` is answered


def test_ask_json_stdin_with_windows_line_endings(env: dict[str, str]) -> None:
    result = _run(["ask", "--json", "-"], env, stdin="help\r\nWho is Daniel Roberts?\r\n")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == ["help", "Who is Daniel Roberts?"]


def test_ask_json_stdin_threads_are_conversations(env: dict[str, str]) -> None:
    lines = [
        json.dumps({"question": "What did Stephen Morris reply?", "thread": "a"}),
        json.dumps({"question": "Who is quoted here?", "thread": "b"}),
        json.dumps({"question": "and what did he add?", "thread": "a"}),
        "and what did he add?",
    ]
    result = _run(["ask", "--json", "-"], env, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    first, roster, follow, alone = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["thread"] == "a" and follow["thread"] == "a" and "thread" not in alone
    assert follow["quotes"][0]["speaker"] == "Stephen L. Morris"
    assert roster["kind"] == "speakers" and roster["thread"] == "b"
    names = {s["name"] for s in roster["speakers"]}
    assert {"Stephen L. Morris", "Daniel D. Roberts", "Alan Kraut"} <= names
    assert all(s["statements"] >= 1 for s in roster["speakers"])


def test_ask_json_stdin_names_a_line_that_is_no_question_object(env: dict[str, str]) -> None:
    lines = ['{"question": 123}', '{"question": "Who is Pender?"', "Who is Alan Kraut?"]
    result = _run(["ask", "--json", "-"], env, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3  # still one object a line, in order
    assert 'warning: stdin line 1: no "question" string in it; asked as the text it is' in (
        result.stderr
    )
    assert "warning: stdin line 2: not valid JSON" in result.stderr
    assert "stdin line 3" not in result.stderr


def test_chat_keeps_the_conversation_until_new(env: dict[str, str]) -> None:
    script = "What did Stephen Morris reply?\nwhat else did he say?\nnew\nwhat else did he say?\n"
    result = _run(["chat"], env, stdin=script)
    assert result.returncode == 0, result.stderr
    assert "everything Stephen L. Morris is quoted saying" in result.stdout
    assert result.stdout.count("everything Stephen L. Morris is quoted saying") == 1


def test_stale_index_is_rebuilt_not_used_silently(env: dict[str, str]) -> None:
    seeds = Path(env["BOT_SEEDS_DIR"])
    (seeds / "zz_new.txt").write_text(
        "Library extends opening hours\n\nPublished 2 March 2020\n\n"
        "The city library will stay open until 10 p.m. on weekdays, the head librarian said.\n",
        encoding="utf-8",
    )
    try:
        result = _run(["ask", "--json", "Until when will the library stay open?"], env)
    finally:
        (seeds / "zz_new.txt").unlink()
    assert result.returncode == 0, result.stderr
    assert "seeds changed since the last build" in result.stderr
    answer = json.loads(result.stdout)
    assert "open until 10 p.m." in answer["quotes"][0]["text"]


def test_an_index_of_older_rules_is_used_with_a_warning_not_rebuilt(env: dict[str, str]) -> None:
    assert _run(["index", "build"], env).returncode == 0  # current for these seeds
    index = Path(env["BOT_INDEX_DIR"])
    manifest_path = (index / "current").resolve() / "manifest.json"
    original = manifest_path.read_text(encoding="utf-8")
    manifest = json.loads(original)
    manifest["chunking"]["attribution_rules"] = 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    try:
        result = _run(["ask", "--json", "What did Stephen Morris reply?"], env)
    finally:
        manifest_path.write_text(original, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert "other chunking or attribution rules" in result.stderr
    assert "Building the index" not in result.stderr
    assert (index / "current").resolve() == manifest_path.parent  # the same build answered
    assert json.loads(result.stdout)["quotes"][0]["speaker"] == "Stephen L. Morris"


def test_an_index_of_older_spelling_rules_is_rebuilt_without_embedding_again(
    env: dict[str, str],
) -> None:
    index = Path(env["BOT_INDEX_DIR"])

    def built_under_older_spelling_rules() -> Path:
        assert _run(["index", "build"], env).returncode == 0
        manifest_path = (index / "current").resolve() / "manifest.json"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["chunking"]["spelling_rules"] = 0
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        return manifest_path.parent

    built_under_older_spelling_rules()
    rebuilt = json.loads(_run(["index", "build", "--json"], env).stdout)
    assert rebuilt["embedded_chunks"] == 0 and rebuilt["reused_chunks"] == rebuilt["chunks"]
    older = built_under_older_spelling_rules()
    result = _run(["ask", "--json", "What did Stephen Morris reply?"], env)
    assert result.returncode == 0, result.stderr
    assert "Building the index (its words were read under older spelling rules)" in result.stderr
    assert (index / "current").resolve() != older  # a new build answered
    assert json.loads(result.stdout)["quotes"][0]["speaker"] == "Stephen L. Morris"
    assert json.loads(_run(["index", "info", "--json"], env).stdout)["stale"] is False


def test_eval_prints_metrics_beside_both_baselines(env: dict[str, str]) -> None:
    result = _run(["eval", str(EVAL / "questions.jsonl"), "--json"], env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report["modes"]) == {"hybrid", "lexical", "dense"}
    hybrid = report["modes"]["hybrid"]
    assert hybrid["hit@1"] >= 0.95 and hybrid["hit@3"] == 1.0
    assert hybrid["speaker_accuracy"] == 1.0 and hybrid["false_refusal_rate"] == 0.0


def test_eval_refusal_rate_on_offtopic(env: dict[str, str]) -> None:
    result = _run(["eval", str(EVAL / "offtopic.jsonl")], env)
    assert result.returncode == 0, result.stderr
    assert "refusal_rate" in result.stdout
    line = next(x for x in result.stdout.splitlines() if x.startswith("refusal_rate"))
    assert line.split()[1] == "1.0"


def test_eval_bad_file_is_one_clear_line(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "ok"}\nnot json\n', encoding="utf-8")
    result = _run(["eval", str(bad)], env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "bad.jsonl:2: not JSON" in result.stderr and "Traceback" not in result.stderr


def _run_bytes(
    args: Sequence[str | bytes],
    env: dict[str, str],
    stdin: str | bytes | None = b"",
    *,
    text: bool = False,
) -> Any:
    """``python -m bot ARGS`` with ``stdin``; the output as bytes unless ``text``."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=text,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_invalid_utf8_on_stdin_is_answered_and_the_rest_too(env: dict[str, str]) -> None:
    stdin = b"Who is Alan Kraut?\ncaf\xe9 \xff\xfe who?\nWho is Daniel Roberts?\n"
    result = _run_bytes(["ask", "--json", "-"], env, stdin)
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    answers = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(answers) == 3
    assert answers[1]["question"] == "caf\ufffd \ufffd\ufffd who?"
    assert answers[2]["answered"] is True


def test_invalid_utf8_in_the_question_argument_or_in_chat(env: dict[str, str]) -> None:
    result = _run_bytes(["ask", b"who is \xff\xfe Alan Kraut?"], env)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    assert b"Alan Kraut" in result.stdout
    result = _run_bytes(["chat"], env, b"\xff\xfe\nWho is Alan Kraut?\n")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    assert b"Alan Kraut, a professor at American University" in result.stdout


def test_output_cut_short_by_the_reader_ends_quietly(env: dict[str, str]) -> None:
    """`… | head -1`: the reader closes the pipe; the bot stops without a word, exit 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"Who is Alan Kraut?\n")
    process.stdin.flush()
    assert json.loads(process.stdout.readline())["answered"] is True
    process.stdout.close()
    process.stdin.write(b"Who is Daniel Roberts?\n" * 3)
    process.stdin.close()
    assert process.wait(timeout=300) == 0
    assert process.stderr is not None
    stderr = process.stderr.read().decode()
    assert "Broken pipe" not in stderr and "Traceback" not in stderr, stderr


@pytest.mark.parametrize("args", [["ask", "Who is Alan Kraut?"], ["index", "info"], ["chat"]])
def test_output_to_a_reader_already_gone_ends_quietly(env: dict[str, str], args: list[str]) -> None:
    """The terminal renderer's path: every write meets a closed pipe."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, stderr = process.communicate(b"Who is Alan Kraut?\n", timeout=300)
    assert process.returncode == 0, stderr
    assert b"Broken pipe" not in stderr and b"Traceback" not in stderr, stderr


ESCAPING_SEED = (
    "Council \x1b]8;;http://evil.example/\x1b\\votes\x1b]8;;\x1b\\ on the harbour\x1b[2J\n\n"
    "Published 2 March 2020\n\n"
    "The council approved the harbour plan on Monday.\x1b[31m Work starts in May.\x07\n\n"
    "“We have waited ten years for this,” said Maria Lopes,\x1b[2J the harbour master.\r\n"
)


def test_control_sequences_in_a_seed_never_reach_the_terminal(
    tmp_path_factory: pytest.TempPathFactory, link_export: Callable[[Path], None]
) -> None:
    base = tmp_path_factory.mktemp("escapes")
    link_export(base / "index")
    (base / "seeds").mkdir()
    (base / "seeds" / "harbour\x1b[2J.txt").write_text(ESCAPING_SEED, encoding="utf-8")
    env = bot_environment(BOT_SEEDS_DIR=str(base / "seeds"), BOT_INDEX_DIR=str(base / "index"))
    runs = [
        _run_bytes(["ask", "What did Maria Lopes say about waiting?"], env),
        _run_bytes(["ask", "--json", "What did Maria Lopes say about waiting?"], env),
        _run_bytes(["chat"], env, b"When does the harbour work start?\n"),
        _run_bytes(["index", "info"], env),
        _run_bytes(["index", "info", "--json"], env),
    ]
    for result in runs:
        assert result.returncode == 0, result.stderr
        for stream in (result.stdout, result.stderr):
            assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", stream), stream
    assert b"waited ten years" in runs[0].stdout and b"Maria Lopes" in runs[0].stdout
    quote = json.loads(runs[1].stdout)["quotes"][0]
    assert "\x1b[2J" in quote["text"]  # the JSON keeps the source verbatim, escaped
