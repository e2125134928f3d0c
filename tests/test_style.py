"""The shape the team's style guide (STYLE.md) asks of `bot/`, read from the source: functions
small enough to read at once, and a core (everything up to `answer`) that imports neither Slack
nor the CLI."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

LONGEST_FUNCTION = 50
"""STYLE: "Aim for a median near 15 lines; past ~50, split." A function's own lines: a function
defined inside it (an ASGI route, a key for `max`) is counted apart."""

MEDIAN_FUNCTION = 15

TRANSPORTS = ("slack", "cli", "__main__")
"""The faces (and `python -m bot`, which starts the CLI). Everything else in `bot/` is the core,
which they import and not the reverse."""


def own_lengths(source: str) -> Iterator[tuple[int, str, int]]:
    """(own lines, name, first line) of every function in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            lines = node.end_lineno - node.lineno + 1
            for inner in _nested(node):
                assert inner.end_lineno is not None
                lines -= inner.end_lineno - inner.lineno + 1
            yield lines, node.name, node.lineno


def _nested(node: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions defined inside ``node``'s body, not those inside them."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield child
        else:
            yield from _nested(child)


def core_modules() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if path.relative_to(ROOT / "bot").parts[0].removesuffix(".py") not in TRANSPORTS
    ]


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_own_lengths_count_a_nested_function_apart() -> None:
    source = "def outer():\n    def inner():\n        return 1\n    return inner\n"
    assert sorted(own_lengths(source)) == [(2, "inner", 2), (2, "outer", 1)]


def test_no_function_in_bot_runs_past_fifty_lines() -> None:
    too_long = [
        f"{path.relative_to(ROOT)}:{first} {name} ({lines} lines)"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for lines, name, first in own_lengths(path.read_text(encoding="utf-8"))
        if lines > LONGEST_FUNCTION
    ]
    assert not too_long, "split these (STYLE.md, Small functions):\n" + "\n".join(too_long)


def test_functions_in_bot_are_short_at_the_median() -> None:
    lengths = sorted(
        lines
        for path in (ROOT / "bot").rglob("*.py")
        for lines, _, _ in own_lengths(path.read_text(encoding="utf-8"))
    )
    assert lengths[len(lengths) // 2] <= MEDIAN_FUNCTION


def test_the_core_imports_neither_slack_nor_the_command_line() -> None:
    faces = ("slack_bolt", "slack_sdk", "bot.slack", "bot.cli", "argparse", "click", "typer")
    leaks = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported(path)
            if any(name == face or name.startswith(face + ".") for face in faces)
        )
        for path in core_modules()
    }
    assert {path: names for path, names in leaks.items() if names} == {}
