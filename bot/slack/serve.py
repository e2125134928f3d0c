"""``python -m bot serve``: pick the transport, check the tokens, load the answerer, run."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

from slack_bolt import App
from slack_bolt.error import BoltError as SlackBoltError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.conversation import Conversation
from bot.errors import BotError, ConfigError, ShuttingDownError
from bot.logs import configure_logging
from bot.records import Answer
from bot.settings import Settings
from bot.slack.app import GRACEFUL_SHUTDOWN_SECONDS, SupportsAnswer, create_app, finish_answers
from bot.slack.http import create_asgi_app, listening_socket, make_server
from bot.slack.socket import run_socket_mode
from bot.slack.web import bot_token

logger = logging.getLogger("bot.slack.serve")

Transport = Literal["http", "socket"]
"""How the bot meets Slack (not to be confused with retrieve.Mode, a way of searching)."""
LOAD_WAIT_SECONDS = 300.0
"""How long a question that arrives during start-up waits for the model and index."""


class BackgroundAnswerer:
    """Loads the real answerer in a thread; questions asked meanwhile wait for it, until it is
    loaded or the bot is stopping."""

    def __init__(
        self,
        load: Callable[[], SupportsAnswer],
        *,
        on_failure: Callable[[BaseException], None] = lambda error: None,
    ) -> None:
        self._load, self._on_failure = load, on_failure
        self._settled = threading.Event()
        """Set once loading has finished (or failed), or the bot is stopping."""
        self._stopping = False
        self._answerer: SupportsAnswer | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        threading.Thread(target=self._run, name="load-answerer", daemon=True).start()

    def ready(self) -> bool:
        return self._answerer is not None

    def stop(self) -> None:
        """Release every question still waiting for the load: they will not be answered."""
        self._stopping = True
        self._settled.set()

    def answer(self, question: str, *, conversation: Conversation | None = None) -> Answer:
        self._settled.wait(LOAD_WAIT_SECONDS)
        if self._answerer is None and self._stopping:
            raise ShuttingDownError(
                "The bot is restarting and could not answer; please ask again in a minute."
            )
        if self._answerer is None:
            raise BotError("The bot is still starting up (or failed to); please ask again soon.")
        return self._answerer.answer(question, conversation=conversation)

    def _run(self) -> None:
        try:
            self._answerer = self._load()
            logger.info("answerer loaded; ready")
        except BaseException as error:  # noqa: BLE001 - reported to serve(), which re-raises it
            self.error = error
            logger.error("could not load the answerer: %s", error)
            self._on_failure(error)
        finally:
            self._settled.set()


def choose_mode(settings: Settings, mode: Transport | None) -> Transport:
    """Socket Mode when asked, or by default when ``SLACK_APP_TOKEN`` is set; else HTTP."""
    if mode is not None:
        return mode
    return "socket" if settings.slack_app_token is not None else "http"


def check_tokens(settings: Settings, mode: Transport) -> None:
    """Raise ``ConfigError`` naming the missing variable for ``mode``."""
    bot_token(settings)
    if mode == "socket" and settings.slack_app_token is None:
        raise ConfigError(
            "SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-…) "
            "with the connections:write scope"
        )
    if mode == "http" and settings.slack_signing_secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs the app's signing secret "
            "(Basic Information → App Credentials)"
        )


def serve(
    settings: Settings,
    *,
    mode: Transport | None,
    host: str,
    port: int,
    answerer_factory: Callable[[Settings], SupportsAnswer],
) -> int:
    """Run the bot until SIGTERM/SIGINT; returns the exit status."""
    chosen = choose_mode(settings, mode)
    check_tokens(settings, chosen)
    configure_logging(settings.log_level)
    executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="answer")
    if chosen == "socket":
        return _serve_socket(settings, executor, answerer_factory)
    return _serve_http(settings, executor, answerer_factory, host=host, port=port)


def _serve_socket(
    settings: Settings,
    executor: ThreadPoolExecutor,
    answerer_factory: Callable[[Settings], SupportsAnswer],
) -> int:
    answerer = answerer_factory(settings)
    app = _create_app(settings, answerer, executor)
    stop = threading.Event()
    _on_signals(lambda: stop.set())
    assert settings.slack_app_token is not None  # checked by check_tokens
    try:
        return run_socket_mode(
            app, app_token=settings.slack_app_token.get_secret_value(), executor=executor, stop=stop
        )
    except (SlackApiError, SlackClientError, OSError) as error:
        raise ConfigError(f"could not open a Socket Mode connection: {_reason(error)}") from None


def _serve_http(
    settings: Settings,
    executor: ThreadPoolExecutor,
    answerer_factory: Callable[[Settings], SupportsAnswer],
    *,
    host: str,
    port: int,
) -> int:
    stop_server: list[Callable[[], None]] = []

    def stop_on_failure(error: BaseException) -> None:
        for stop in stop_server:
            stop()

    # what can fail at once is tried before the model loads in its thread: a process that
    # exits while that thread is in native code is aborted (exit 134), not ended
    try:
        sock = listening_socket(host, port)
    except (OSError, OverflowError) as error:
        raise ConfigError(f"cannot listen on {host}:{port}: {_reason(error)}") from None
    answerer = BackgroundAnswerer(lambda: answerer_factory(settings), on_failure=stop_on_failure)
    try:
        app = _create_app(settings, answerer, executor)
    except BaseException:
        sock.close()
        raise
    answerer.start()
    assert settings.slack_signing_secret is not None  # checked by check_tokens

    def on_shutdown() -> None:
        answerer.stop()
        finish_answers(executor, GRACEFUL_SHUTDOWN_SECONDS)

    asgi_app = create_asgi_app(
        app,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        is_ready=answerer.ready,
        on_shutdown=on_shutdown,
    )
    server = make_server(asgi_app, host=host, port=port, log_level=settings.log_level)
    stop_server.append(lambda: setattr(server, "should_exit", True))
    if answerer.error is not None:
        server.should_exit = True
    server.run(sockets=[sock])
    if answerer.error is not None:
        raise _as_bot_error(answerer.error)
    return 0 if server.started else 1


def _create_app(settings: Settings, answerer: SupportsAnswer, executor: ThreadPoolExecutor) -> App:
    try:
        return create_app(settings, answerer, listener_executor=executor)
    except (SlackBoltError, SlackClientError, OSError) as error:
        raise ConfigError(
            f"Slack rejected the bot token or could not be reached at {settings.slack_api_url} "
            f"(auth.test: {_reason(error)}); check SLACK_BOT_TOKEN and SLACK_API_URL"
        ) from None


def _on_signals(handler: Callable[[], None]) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda number, frame: handler())


def _as_bot_error(error: BaseException) -> BaseException:
    if isinstance(error, BotError):
        return error
    return BotError(f"could not load the model and index: {error}")


def _reason(error: BaseException) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error", "unknown error"))
    return str(error) or type(error).__name__
