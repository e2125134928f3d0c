"""Socket Mode: the bot opens a WebSocket to Slack (``SLACK_APP_TOKEN``); no public URL needed."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.slack.app import GRACEFUL_SHUTDOWN_SECONDS, finish_answers
from bot.slack.seen import SeenCache

logger = logging.getLogger("bot.slack.socket")


class DedupingSocketModeHandler(SocketModeHandler):
    """Bolt's built-in handler, except that an envelope seen before is acked, not run again."""

    def __init__(self, app: App, app_token: str, *, seen: SeenCache | None = None) -> None:
        super().__init__(app, app_token, ping_interval=5)
        self.seen = seen or SeenCache()

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        if req.envelope_id and self.seen.seen_before(("envelope", req.envelope_id)):
            logger.debug("skipped envelope_id=%s reason=duplicate delivery", req.envelope_id)
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        super().handle(client, req)


def run_socket_mode(
    app: App, *, app_token: str, executor: ThreadPoolExecutor, stop: threading.Event
) -> int:
    """Connect, answer until ``stop`` is set, then close the socket and let the answers in
    flight finish (for at most ``GRACEFUL_SHUTDOWN_SECONDS``)."""
    handler = DedupingSocketModeHandler(app, app_token)
    try:
        handler.connect()  # type: ignore[no-untyped-call]
        logger.info("connected to Slack in Socket Mode")
        stop.wait()
    finally:
        logger.info("closing the Socket Mode connection; finishing answers in flight")
        handler.close()  # type: ignore[no-untyped-call]
        finish_answers(executor, GRACEFUL_SHUTDOWN_SECONDS)
    return 0
