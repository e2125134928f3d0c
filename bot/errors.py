"""The bot's exceptions. The CLI and Slack translate them at the edge.

BotError
├── ConfigError        a setting has a bad value
├── SeedError          the seeds folder or a file in it cannot be read as text
│   └── UnreadableDocumentError  one document cannot be made text of: skipped, build goes on
├── IndexMissingError  there is no index yet
├── IndexCorruptError  the index on disk cannot be loaded
├── IndexMismatchError the index was built with another model or dimension
├── IndexBusyError     another build holds the index lock
├── IndexWriteError    the new index cannot be made (disk full, no permission, FAISS)
├── DatabaseError      the shared database (ledger, votes) cannot be reached, read or written
│   └── FeedbackError  the SQLite votes file is damaged, locked or not a database
├── ShuttingDownError  the bot is stopping; a question waiting for it is not answered
└── QueryEncoderError  no usable ONNX export of the model (serving falls back to torch)
"""


class BotError(Exception):
    """Base class: a failure with a message fit for the user."""


class ConfigError(BotError):
    """A setting has a value the bot cannot use."""


class SeedError(BotError):
    """The seeds folder, or a file in it, cannot be read as text."""


class UnreadableDocumentError(SeedError):
    """One document is corrupt, encrypted or has no text layer: it is skipped, not fatal."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.reason = reason


class IndexMissingError(BotError):
    """No index has been built yet."""


class IndexCorruptError(BotError):
    """The index on disk is incomplete or damaged."""


class IndexMismatchError(BotError):
    """The index was built with a different model or dimension."""


class IndexBusyError(BotError):
    """Another build is running."""


class IndexWriteError(BotError):
    """The new index cannot be made or written; the previous one is left as it was."""


class DatabaseError(BotError):
    """The shared database cannot be reached, read or written."""


class FeedbackError(DatabaseError):
    """The feedback database is damaged, locked or not a database at all."""


class ShuttingDownError(BotError):
    """The bot is stopping before it could answer."""


class QueryEncoderError(BotError):
    """No usable ONNX export of the model, or none can be made; the message says why."""
