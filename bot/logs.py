"""Logging, set up once for every command: the bot's records at `BOT_LOG_LEVEL`, libraries'
at WARNING (they narrate at INFO) unless the level is DEBUG, and no credential in any line."""

from __future__ import annotations

import logging
import re

_URL = re.compile(r"\b((?:https?|wss?):\\?/\\?/[^/\\\s'\"<>]+)((?:\\?/|\?)[^\s'\"<>,]*)?")
_WEB_API_CALL = re.compile(r"^\\?/api\\?/[\w.]+$")
_ENCODED_URL = re.compile(r"\b((?:https?|wss?)%3A%2F%2F[^%&\s'\"]+)[^&\s'\"]*", re.IGNORECASE)
_TICKET = re.compile(r"(\bticket=)[^&\s'\"\\]+")


def redact_urls(text: str) -> str:
    """Every URL cut to its host, but for Web API calls: a ``response_url`` or a Socket Mode
    URL is a short-lived credential and must not reach the logs."""

    def cut(match: re.Match[str]) -> str:
        base, rest = match.group(1), match.group(2) or ""
        return base + rest if not rest or _WEB_API_CALL.match(rest) else base + "/…"

    text = _URL.sub(cut, text)
    text = _ENCODED_URL.sub(lambda match: match.group(1) + "…", text)
    return _TICKET.sub(r"\1…", text)


class RedactUrls(logging.Filter):
    """Applies ``redact_urls`` to every record a handler writes (libraries' DEBUG lines too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_urls(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str) -> None:
    """One policy for the CLI and the Slack bot: every handler redacts URLs."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(message)s")
    root.setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    logging.getLogger("bot").setLevel(level)
    # trafilatura warns about markup it discards ("discarding data: None"): the build says
    # which pages gave no text itself
    logging.getLogger("trafilatura").setLevel(logging.DEBUG if level == "DEBUG" else logging.ERROR)
    for handler in root.handlers:
        if not any(isinstance(f, RedactUrls) for f in handler.filters):
            handler.addFilter(RedactUrls())
