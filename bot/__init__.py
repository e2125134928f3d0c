"""A Slack bot that answers with the exact words of its sources, attributed.

Data flows through the modules in this order: ingest → chunk (sentences, attribution) →
embed → index → retrieve → gate → answer → render → transports (cli, slack).

Use from Python::

    from bot import Answerer, Settings, build_index

    settings = Settings(BOT_SEEDS_DIR="seeds", BOT_INDEX_DIR="index")
    build_index(settings)
    answer = Answerer.load(settings).answer("Who is quoted here?")

The names below are imported on first use, so `import bot` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Answerer": "bot.answer",
    "build_index": "bot.build",
    "BuildSummary": "bot.build",
    "Conversation": "bot.conversation",
    "BotError": "bot.errors",
    "Answer": "bot.records",
    "Attribution": "bot.records",
    "Document": "bot.records",
    "Quote": "bot.records",
    "QuotedSpeaker": "bot.records",
    "Settings": "bot.settings",
}
__all__ = [
    "Answer",
    "Answerer",
    "Attribution",
    "BotError",
    "BuildSummary",
    "Conversation",
    "Document",
    "Quote",
    "QuotedSpeaker",
    "Settings",
    "build_index",
]

if TYPE_CHECKING:
    from bot.answer import Answerer
    from bot.build import BuildSummary, build_index
    from bot.conversation import Conversation
    from bot.errors import BotError
    from bot.records import Answer, Attribution, Document, Quote, QuotedSpeaker
    from bot.settings import Settings


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'bot' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
