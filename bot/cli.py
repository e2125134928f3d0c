"""The command line: `python -m bot …` (see ../shared/INTERFACES.md for the promised names).

Only this module (and `bot.render.terminal`) talks to the terminal. Heavy imports
(sentence-transformers, Slack) happen inside the commands that need them, so `--help`,
`index info` and configuration errors answer at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Protocol

from bot.errors import BotError, IndexCorruptError, IndexMissingError
from bot.logs import configure_logging
from bot.settings import Settings, load_settings

if TYPE_CHECKING:
    from bot.answer import Answerer, QueryEmbedder
    from bot.build import BuildSummary
    from bot.embed import Embedder

    class Model(Embedder, QueryEmbedder, Protocol):
        """A model that embeds both the chunks of a build and the questions."""


Command = Callable[[argparse.Namespace, Settings], int]


def main(argv: Sequence[str] | None = None, *, embedder: Model | None = None) -> int:
    """Run one command; BotError becomes one line on stderr and exit status 1.

    ``embedder`` stands in for the configured model wherever a command would load it (tests,
    scripts that hold a model already)."""
    args = _parser().parse_args(argv)
    args.embedder = embedder
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        command: Command = getattr(args, "command", _default)
        return command(args, settings)
    except BrokenPipeError:
        # The reader went away (`… | head -1`): it has what it wanted; nothing more to say.
        _silence_stdout()
        return 0
    except (BotError, OSError) as error:
        # OSError: a file or port the system refused; BotError already names the fix.
        if os.environ.get("BOT_DEBUG"):
            raise
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


def _one_line(error: BaseException) -> str:
    from bot.render.text import printable

    return " ".join(printable(str(error)).split())


def _printable(text: str) -> str:
    from bot.render.text import printable

    return printable(text)


def _json_line(data: Any) -> str:
    from bot.render.json import json_line

    return json_line(data)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answer questions with verbatim, attributed quotes from the documents in "
        "seeds/. With no command: the Slack bot when Slack tokens are set, else the local chat.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_index(commands)
    ask = commands.add_parser("ask", help="answer one question (or one per stdin line with -)")
    ask.add_argument("question", help='the question, or "-" to read one per line from stdin')
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(command=_ask)
    chat = commands.add_parser("chat", help="local testing mode: ask questions interactively")
    chat.set_defaults(command=_chat)
    serve = commands.add_parser("serve", help="run the Slack bot")
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--socket", dest="mode", action="store_const", const="socket")
    mode.add_argument("--http", dest="mode", action="store_const", const="http")
    serve.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on")
    serve.add_argument("--port", type=int, default=3000, help="HTTP mode: port (default 3000)")
    serve.set_defaults(command=_serve, mode=None)
    evaluate = commands.add_parser("eval", help="quality metrics on a question file (.jsonl)")
    evaluate.add_argument("file", help="questions in the eval/README.md format")
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.set_defaults(command=_eval)
    feedback = commands.add_parser("feedback", help="summarise 👍/👎 votes from Slack")
    feedback.add_argument("--json", action="store_true", help="print the summary as JSON")
    feedback.add_argument(
        "--import-sqlite",
        metavar="FILE",
        help="first copy the votes of a SQLite feedback file into the database in use "
        "(BOT_DATABASE_URL), skipping those already there",
    )
    feedback.set_defaults(command=_feedback)
    return parser


def _add_index(commands: Any) -> None:
    index = commands.add_parser("index", help="build or inspect the index")
    actions = index.add_subparsers(title="actions", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="(re)build index/ from seeds/, incrementally")
    build.add_argument("--full", action="store_true", help="re-embed every document")
    build.add_argument("--json", action="store_true", help="print the summary as JSON")
    build.add_argument(
        "--strict", action="store_true", help="fail on an unreadable seed instead of skipping it"
    )
    build.set_defaults(command=_index_build)
    info = actions.add_parser("info", help="what the index holds, and whether it is stale")
    info.add_argument("--json", action="store_true", help="print as JSON")
    info.set_defaults(command=_index_info)


# --- index -----------------------------------------------------------------------------------


def _build(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    full: bool = False,
    strict: bool = False,
) -> BuildSummary:
    from bot.build import build_index
    from bot.render.terminal import progress_bar

    with progress_bar("Embedding chunks") as progress:
        return build_index(
            settings,
            embedder=embedder,
            full=full,
            strict=strict,
            progress=progress,
            warn=_warn,
        )


def _warn(message: str) -> None:
    from bot.render.text import printable

    print(f"warning: {printable(message)}", file=sys.stderr)


def _index_build(args: argparse.Namespace, settings: Settings) -> int:
    summary = _build(settings, embedder=args.embedder, full=args.full, strict=args.strict)
    if args.json:
        print(_json_line(asdict(summary)))
    else:
        skipped = f"; {len(summary.skipped)} file(s) skipped" if summary.skipped else ""
        print(
            f"Indexed {summary.documents} document(s): {summary.chunks} chunks "
            f"({summary.embedded_chunks} embedded, {summary.reused_chunks} reused) "
            f"in {summary.seconds:.1f} s → {settings.index_dir}/{skipped}"
        )
    return 0


def _index_info(args: argparse.Namespace, settings: Settings) -> int:
    from bot.status import index_info

    info = index_info(settings)
    if args.json:
        print(_json_line(info))
        return 0
    from bot.render.terminal import print_index_info

    print_index_info(info)
    return 0


def _ensure_index(settings: Settings, embedder: Embedder | None = None) -> None:
    """Build the index when it is missing or the seeds changed, saying so (never silently).

    When a usable build is live, a rebuild that fails (another build running, a read-only
    index folder, bad seeds) is a warning: the bot answers from that last good build. A build
    made under an older version's chunking or attribution rules is only warned about: redoing
    it re-embeds every chunk, which at a large corpus is no start-up's work.
    """
    from bot.status import RULES_CHANGED, index_info

    usable = True
    try:
        info = index_info(settings)
        stale, reason = info["stale"], info["stale_reason"]
    except IndexMissingError:
        usable, stale, reason = False, True, "no index yet"
    except IndexCorruptError:
        usable, stale, reason = False, True, "the index on disk is damaged"
    if not stale:
        return
    if reason == RULES_CHANGED:
        _warn(f"the index is stale: {reason}; run `python -m bot index build` to redo it")
        return
    print(f"Building the index ({reason})…", file=sys.stderr)
    try:
        summary = _build(settings, embedder=embedder)
    except (BotError, OSError) as error:
        if not usable:
            raise
        _warn(f"{error}; answering from the last good build ({info['built_at']})")
        return
    print(f"Indexed {summary.documents} document(s), {summary.chunks} chunks.", file=sys.stderr)


# --- answering -------------------------------------------------------------------------------


def _answerer(settings: Settings, embedder: Model | None) -> Answerer:
    from bot.answer import Answerer

    _ensure_index(settings, embedder)
    return Answerer.load(settings, embedder=embedder)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.conversation import Threads, question_line_problem, read_question_line
    from bot.render.json import answer_to_json
    from bot.render.terminal import print_answer, tolerate_undecodable_input

    answerer = _answerer(settings, args.embedder)
    tolerate_undecodable_input()
    questions = (
        (line.rstrip("\r\n") for line in sys.stdin) if args.question == "-" else [args.question]
    )
    threads = Threads()
    for number, line in enumerate(questions, start=1):
        if args.question == "-" and not line.strip():
            continue
        problem = question_line_problem(line) if args.question == "-" else None
        if problem is not None:  # a caller's script at fault, not the documents: say so
            _warn(f"stdin line {number}: {problem}; asked as the text it is")
        question, thread = read_question_line(line) if args.question == "-" else (line, None)
        answer = answerer.answer(question, conversation=threads.get(thread))
        threads.keep(thread, answer)
        if args.json:
            print(_json_line(answer_to_json(answer, thread=thread)), flush=True)
        else:
            print_answer(answer)
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.render.terminal import run_chat

    return run_chat(_answerer(settings, args.embedder))


def _default(args: argparse.Namespace, settings: Settings) -> int:
    if settings.slack_bot_token is not None:
        chosen = argparse.Namespace(mode=None, host="0.0.0.0", port=3000, embedder=args.embedder)
        return _serve(chosen, settings)
    return _chat(args, settings)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.serve import serve

    def factory(settings: Settings) -> Answerer:
        return _answerer(settings, args.embedder)

    return serve(settings, mode=args.mode, host=args.host, port=args.port, answerer_factory=factory)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evaluate import evaluate, format_report, read_questions

    questions = read_questions(args.file)  # a bad file fails before the model loads
    report = evaluate(questions, answerer=_answerer(settings, args.embedder), label=args.file)
    print(_json_line(report) if args.json else _printable(format_report(report)))
    return 0


def _feedback(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from bot.database import open_database, sqlite_database
    from bot.errors import DatabaseError
    from bot.feedback import copy_votes, format_summary, summarise

    database = open_database(settings)
    if args.import_sqlite:
        source = Path(args.import_sqlite)
        if not source.is_file():
            raise DatabaseError(f"--import-sqlite: no such file {source}")
        added = copy_votes(sqlite_database(source, setting="--import-sqlite"), database)
        print(f"Copied {added} vote(s) from {source} to {database.label}.", file=sys.stderr)
    summary = summarise(database)
    print(_json_line(summary) if args.json else _printable(format_summary(summary)))
    return 0
