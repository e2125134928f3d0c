"""The terminal face: rich output for `ask`, `chat`, `index info` and build progress."""

from __future__ import annotations

import contextlib
import io
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from bot.conversation import Conversation
from bot.records import Answer

if TYPE_CHECKING:
    from bot.answer import Answerer


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich exits with status 1 here; a reader that stopped reading (`… | head -1`) is no
        # failure: the CLI catches this and ends quietly, as for a plain print.
        self.quiet = True
        raise BrokenPipeError


err_console = _Console(stderr=True)
out_console = _Console(highlight=False)
# A terminal gets lines wrapped at word boundaries; a pipe gets each line whole, for scripts.
out_console.soft_wrap = not out_console.is_terminal


PROGRESS_LINE_SECONDS = 30.0
"""How often a build whose stderr is no terminal (a log, CI) says how far it is."""


@contextlib.contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int], Callable[[int], None]]]:
    """Yields ``start(total) -> advance(n)``; draws a bar on stderr when it is a terminal, and
    otherwise writes a line every `PROGRESS_LINE_SECONDS` ("Embedding chunks: 1200 / 40000"),
    so that a long build into a log does not look hung."""
    if not err_console.is_terminal:
        yield _progress_lines(description)
        return
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )

    def start(total: int) -> Callable[[int], None]:
        task = progress.add_task(description, total=total)
        return lambda done: progress.advance(task, done)

    with progress:
        yield start


def _progress_lines(description: str) -> Callable[[int], Callable[[int], None]]:
    def start(total: int) -> Callable[[int], None]:
        done, last = 0, time.monotonic()

        def advance(count: int) -> None:
            nonlocal done, last
            done += count
            if time.monotonic() - last >= PROGRESS_LINE_SECONDS and done < total:
                last = time.monotonic()
                print(f"{description}: {done} / {total}", file=sys.stderr, flush=True)

        return advance

    return start


def _shown(text: str) -> str:
    """Text from a document, a file name or a user, safe to print: no terminal escapes, no
    control characters, no rich markup."""
    from bot.render.text import printable

    return escape(printable(text))


def print_index_info(info: dict[str, Any]) -> None:
    """`index info` for people."""
    state = "up to date"
    if info["stale"]:
        state = f"[yellow]stale ({info['stale_reason']}) — run `python -m bot index build`[/]"
    out_console.print(
        f"Index [bold]{_shown(info['index_dir'])}/[/]: {info['chunks']} chunks, "
        f"model {_shown(info['model'])} ({info['dimension']} dims, {info['index_type']}), "
        f"built {info['built_at']}, {state}"
    )
    encoder = info.get("query_encoder") or {}
    if encoder.get("backend") == "onnx":
        variant = "int8, " if encoder.get("variant") == "int8" else ""
        out_console.print(f"Questions: ONNX Runtime, {variant}{escape(encoder['path'])}")
    elif encoder:
        out_console.print(f"Questions: sentence-transformers ({escape(encoder['reason'])})")
    table = Table("document", "title", "published", "source", "chunks", show_lines=False)
    for doc in info["documents"]:
        table.add_row(
            _shown(doc["path"]),
            _shown(doc["title"]),
            _shown(doc["published"] or "—"),
            _shown(doc["source"] or "—"),
            str(doc["chunks"]),
        )
    out_console.print(table)


def print_answer(answer: Answer, console: Console | None = None) -> None:
    """One answer: quotes as indented blocks, each attribution dimmed beneath."""
    from bot.render.text import attribution_line

    console = console or out_console
    if answer.message:
        console.print(_shown(answer.message))
    for quote in answer.quotes:
        console.print(_quote_markup(quote.text, quote.highlight))
        console.print(f"  [dim]— {_shown(attribution_line(quote))}[/]")
    console.print()


def _quote_markup(text: str, highlight: tuple[int, int] | None) -> str:
    if highlight is None:
        body = _shown(text)
    else:
        start, end = highlight
        body = f"{_shown(text[:start])}[bold]{_shown(text[start:end])}[/bold]{_shown(text[end:])}"
    return "\n".join(f"[cyan]▌[/cyan] {line}" for line in body.split("\n"))


def run_chat(answerer: Answerer) -> int:
    """The local testing mode: read questions until Ctrl-D or `exit`, answer each."""
    _enable_line_editing()
    tolerate_undecodable_input()
    interactive = sys.stdin.isatty()
    if interactive:
        print_answer(answerer.answer("help"))
        print("Follow-up questions continue the conversation; `new` starts over.")
    conversation = Conversation()
    while True:
        try:
            question = input("you › " if interactive else "")
        except EOFError:
            break
        command = question.strip().lower()
        if command in {"exit", "quit", ":q"}:
            break
        if command in {"new", "/new", "reset"}:
            conversation = Conversation()
            if interactive:
                print("(a new conversation)")
            continue
        if not question.strip() and not interactive:
            continue
        answer = answerer.answer(question, conversation=conversation)
        conversation = conversation.then(answer)
        print_answer(answer)
    return 0


def tolerate_undecodable_input() -> None:
    """Bytes on stdin that are not UTF-8 become U+FFFD instead of ending the session."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")


def _enable_line_editing() -> None:
    # Importing readline gives input() line editing and history; absent on some platforms.
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401
