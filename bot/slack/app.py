"""The Bolt app: which events become questions, one reply per question, feedback and sharing.

Transports (``http.py``, ``socket.py``) only feed requests in; everything Slack users see is
decided here and drawn by ``bot.render.slack``.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.conversation import Conversation
from bot.database import open_database
from bot.errors import BotError, ConfigError, DatabaseError, ShuttingDownError
from bot.feedback import FeedbackStore, FeedbackVote, Vote
from bot.ledger import EventLedger
from bot.models import Answer
from bot.render.slack import (
    ACTION_SHARE,
    ACTION_VOTE_DOWN,
    ACTION_VOTE_UP,
    parse_button_value,
    render_blocks,
    render_fallback,
    without_actions,
)
from bot.render.text import printable, valid_unicode
from bot.settings import Settings
from bot.slack.threads import read_conversation, turn_metadata

logger = logging.getLogger("bot.slack")

Payload = dict[str, Any]

ANSWERED_EVENTS = frozenset({"app_mention", "message"})
DEDUPE_TTL_SECONDS = 15 * 60
"""Slack redelivers an event up to three times within about five minutes."""
DEDUPE_MAX_ENTRIES = 10_000
SORRY = "Sorry, something went wrong while answering. The operator can find details in the logs."


class SupportsAnswer(Protocol):
    """What the Slack face needs from the answer pipeline."""

    def answer(self, question: str, *, conversation: Conversation | None = None) -> Answer: ...


class SeenCache:
    """Remembers keys for ``ttl`` seconds (at most ``max_entries`` of them); thread-safe."""

    def __init__(
        self,
        *,
        ttl: float = DEDUPE_TTL_SECONDS,
        max_entries: int = DEDUPE_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl, self._max, self._clock = ttl, max_entries, clock
        self._entries: OrderedDict[Hashable, float] = OrderedDict()
        self._lock = threading.Lock()

    def seen_before(self, *keys: Hashable) -> bool:
        """True when any of ``keys`` was added within the TTL; adds them all either way."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            seen = any(key in self._entries for key in keys)
            for key in keys:
                self._entries[key] = now
                self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
            return seen

    def _expire(self, now: float) -> None:
        while self._entries:
            key, added = next(iter(self._entries.items()))
            if now - added < self._ttl:
                return
            del self._entries[key]


@dataclass
class SlackBot:
    """The state the listeners share: votes and the ledger live in the shared database, so
    several replicas answer each event once between them."""

    settings: Settings
    answerer: SupportsAnswer
    store: FeedbackStore
    ledger: EventLedger

    def answer(self, question: str, *, conversation: Conversation | None = None) -> Answer:
        """The answer, or help / too-long replies decided before the pipeline runs."""
        if not question.strip():
            return help_answer(self.settings)
        if len(question) > self.settings.max_question_chars:
            return too_long_answer(question, self.settings.max_question_chars)
        if conversation is None or not conversation.turns:
            return self.answerer.answer(question)
        return self.answerer.answer(question, conversation=conversation)


def make_client(settings: Settings) -> WebClient:
    """The Web API client: ``SLACK_API_URL``, and retries for rate limits and lost connections."""
    if settings.slack_bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN is not set: copy the bot token (xoxb-…) into .env")
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def create_app(
    settings: Settings,
    answerer: SupportsAnswer,
    *,
    listener_executor: Executor | None = None,
) -> App:
    """The Bolt app. Calls ``auth.test`` once (through ``SLACK_API_URL``); nothing else."""
    secret = settings.slack_signing_secret
    app = App(
        client=make_client(settings),
        signing_secret=secret.get_secret_value() if secret is not None else "",
        request_verification_enabled=secret is not None,
        process_before_response=False,
        listener_executor=listener_executor,
        logger=_bolt_logger(),
    )
    database = open_database(settings)
    with database.connect():
        pass  # create or migrate the schema now: a bad BOT_DATABASE_URL stops the start
    ledger = EventLedger(database, lease_seconds=settings.event_lease_seconds)
    bot = SlackBot(settings, answerer, FeedbackStore(database), ledger)
    _register(app, bot)
    ledger.adopt_orphans_with(lambda key, payload: answer_orphan(bot, app.client, payload))
    return app


class _TokenUnusedFilter(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and, since the bot hands it a ready client, warns on
    every start that the token "will be unused": true, expected, and not worth a line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _bolt_logger() -> logging.Logger:
    bolt_logger = logging.getLogger("bot.slack.bolt")
    if not any(isinstance(f, _TokenUnusedFilter) for f in bolt_logger.filters):
        bolt_logger.addFilter(_TokenUnusedFilter())
    return bolt_logger


def _register(app: App, bot: SlackBot) -> None:
    @app.middleware
    def gate_events(body: Payload, context: Any, next: Callable[[], None]) -> BoltResponse | None:
        if body.get("type") == "event_callback":
            refusal = gate(body, bot.ledger, bot_user_id=context.bot_user_id)
            if refusal is not None:
                return refusal
        next()
        return None

    @app.event("app_mention")
    def on_mention(body: Payload, event: Payload, client: WebClient, context: Any) -> None:
        asked = what_was_asked(event, context.bot_user_id)
        reply_in_channel(bot, client, body, **asked)

    @app.event("message")
    def on_direct_message(body: Payload, event: Payload, client: WebClient, context: Any) -> None:
        asked = what_was_asked(event, context.bot_user_id)
        reply_in_channel(bot, client, body, **asked)

    @app.command(bot.settings.slack_slash_command)
    def on_command(ack: Ack, command: Payload, respond: Respond) -> None:
        ack()
        reply_privately(bot, command, respond)

    @app.action(ACTION_SHARE)
    def on_share(
        ack: Ack, body: Payload, action: Payload, client: WebClient, respond: Respond
    ) -> None:
        ack()
        share(bot, client, body, action, respond)

    @app.action(re.compile(f"^({ACTION_VOTE_UP}|{ACTION_VOTE_DOWN})$"))
    def on_vote(ack: Ack, body: Payload, action: Payload, client: WebClient) -> None:
        ack()
        record_vote(bot, client, body, action)

    @app.error
    def on_error(error: Exception, body: Payload, client: WebClient, respond: Respond) -> None:
        apologise(error, body, client, respond)


def what_was_asked(event: Payload, bot_user_id: str | None) -> dict[str, Any]:
    """The question, the thread to answer in, and how it was asked (a mention or a DM)."""
    question = question_from_text(event.get("text", ""), bot_user_id)
    asked_in = event.get("thread_ts")  # inside a thread: a follow-up there
    if event.get("type") == "app_mention":
        return {"question": question, "thread_ts": asked_in or event["ts"],
                "trigger": "mention", "history_ts": asked_in}
    return {"question": question, "thread_ts": asked_in, "trigger": "dm", "history_ts": asked_in}


def answer_orphan(bot: SlackBot, client: WebClient, payload: str) -> None:
    """Answer, in a thread of its own, an event whose replica died holding its claim."""
    work = json.loads(payload)
    body = {"event_id": work["event_id"], "event": {"channel": work["channel"], "ts": work["ts"]}}

    def run() -> None:
        try:
            reply_in_channel(bot, client, body, **work["asked"])
        except BotError as error:
            logger.error("event_id=%s taken over but not answered: %s", work["event_id"], error)

    threading.Thread(target=run, name="orphan-answer", daemon=True).start()


def gate(body: Payload, ledger: EventLedger, *, bot_user_id: str | None) -> BoltResponse | None:
    """None when this replica should answer the event (it now holds its claim); else the reply
    to Slack: 200 for events that get no answer or were answered already, 409 while another
    delivery is being answered (Slack retries later: by then it is done, or its lease has run
    out and the retry takes it over), 503 when the ledger cannot be reached."""
    event = body.get("event")
    reason = skip_reason(event) if isinstance(event, dict) else "no event"
    if reason is None and isinstance(event, dict):
        work = {
            "event_id": body.get("event_id"),
            "channel": event["channel"],
            "ts": event["ts"],
            "asked": what_was_asked(event, bot_user_id),
        }
        try:
            claim = ledger.claim(event_key(event), payload=json.dumps(work))
        except DatabaseError as error:
            logger.error("event_id=%s not answered: %s", body.get("event_id"), error)
            return BoltResponse(status=503, body="shared database unavailable")
        if claim == "busy":
            logger.info("event_id=%s is being answered by another delivery", body.get("event_id"))
            return BoltResponse(status=409, body="being answered")
        reason = None if claim == "claimed" else "duplicate delivery"
    if reason is not None:
        logger.debug("skipped event_id=%s reason=%s", body.get("event_id"), reason)
        return BoltResponse(status=200, body="")
    return None


def event_key(event: Payload) -> str:
    """One key per message: a redelivery, or the same message sent as a mention and as a DM,
    share it."""
    return f"message:{event.get('channel')}:{event.get('ts')}"


def _finish(ledger: EventLedger, key: str) -> None:
    try:
        ledger.finish(key)
    except DatabaseError as error:
        logger.error("could not mark key=%s answered (its lease will run out): %s", key, error)


def skip_reason(event: Payload) -> str | None:
    """Why an event gets no answer, or ``None`` when it is a question for the bot."""
    if event.get("type") not in ANSWERED_EVENTS:
        return "not a question event"
    if event.get("bot_id") or event.get("subtype") == "bot_message":
        return "from a bot"
    if event.get("subtype"):
        return f"message subtype {event['subtype']}"
    if event.get("type") == "message" and event.get("channel_type") != "im":
        return "channel message without a mention"
    if not isinstance(event.get("text", ""), str) or not (event.get("channel") and event.get("ts")):
        return "incomplete event"
    return None


_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def question_from_text(text: str, bot_user_id: str | None) -> str:
    """The question in a message: the bot's own mention dropped, Slack markup made plain."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    else:
        text = re.sub(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>", " ", text)
    return plain_text_of(text)


def plain_text_of(text: str) -> str:
    """Slack's markup made plain: links and mentions as their labels, broadcasts (``<!here>``)
    dropped, entities decoded, undecodable characters replaced, whitespace collapsed."""
    text = _LINK.sub(_plain_link, valid_unicode(text))
    return " ".join(html.unescape(text).split())


def _plain_link(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if label:
        return ("#" if target.startswith("#") else "@" if target.startswith("@") else "") + label
    if target.startswith(("@", "#")):
        return target
    if target.startswith("!"):
        return " "  # <!here>, <!channel>, <!everyone>: addressed to people, not a question
    return target


def help_answer(settings: Settings) -> Answer:
    """What an empty mention, DM or slash command gets."""
    command = settings.slack_slash_command
    message = (
        "Ask me a question about the documents I know and I will answer with their exact words, "
        f"attributed. Mention me in a channel, send me a direct message, or use `{command} "
        "QUESTION` for an answer only you can see."
    )
    return Answer(question="", answered=False, confidence=None, kind="help", message=message)


def too_long_answer(question: str, limit: int) -> Answer:
    """The reply to a question longer than ``BOT_MAX_QUESTION_CHARS``."""
    message = (
        f"That question is {len(question):,} characters long; please ask in at most "
        f"{limit:,} characters."
    )
    return Answer(
        question=question[:limit], answered=False, confidence=None, kind="too_long", message=message
    )


def _history(client: WebClient, channel: str, thread_ts: str | None) -> Conversation | None:
    """The conversation so far in the thread a question was asked in, if any."""
    if not thread_ts:
        return None
    return read_conversation(client, channel=channel, thread_ts=thread_ts, bot_user_id=None)


def reply_in_channel(
    bot: SlackBot,
    client: WebClient,
    body: Payload,
    *,
    question: str,
    thread_ts: str | None,
    trigger: str,
    history_ts: str | None = None,
) -> None:
    """Answer a mention or DM where it was asked, as a follow-up when it was asked inside a
    thread (``history_ts``) where the bot has answered before; one log line whatever happens."""
    channel = body["event"]["channel"]
    started, answer, delivered = time.monotonic(), None, False
    try:
        conversation = _history(client, channel, history_ts)
        answer = bot.answer(question, conversation=conversation)
        delivered = post_answer(
            client,
            answer,
            channel=channel,
            thread_ts=thread_ts,
            question=question,
            metadata=turn_metadata(answer),
        )
    finally:
        _finish(bot.ledger, event_key(body["event"]))
        log_question(
            event_id=body.get("event_id"),
            trigger=trigger,
            channel=channel,
            question=question,
            answer=answer,
            delivered=delivered,
            started=started,
        )


def reply_privately(bot: SlackBot, command: Payload, respond: Respond) -> None:
    """The slash command: an ephemeral answer, question on top, with "Share in channel"."""
    question = plain_text_of(str(command.get("text", "")))
    channel = str(command.get("channel_id", ""))
    started, answer, delivered = time.monotonic(), None, False
    try:
        answer = bot.answer(question)
        blocks = render_blocks(
            answer, question_echo=bool(question), feedback=False, share_button=answer.answered
        )
        delivered = _respond(
            respond,
            question=question,
            channel=channel,
            response_type="ephemeral",
            blocks=blocks,
            text=render_fallback(answer),
        )
    finally:
        log_question(
            event_id=command.get("trigger_id"),
            trigger="command",
            channel=channel,
            question=question,
            answer=answer,
            delivered=delivered,
            started=started,
        )


def share(
    bot: SlackBot, client: WebClient, body: Payload, action: Payload, respond: Respond
) -> None:
    """ "Share in channel": answer the question again and post it for everyone."""
    question = str(parse_button_value(str(action.get("value", ""))).get("q", ""))
    channel = str((body.get("channel") or {}).get("id", ""))
    asker = str((body.get("user") or {}).get("id", ""))
    answer = bot.answer(question)
    if post_answer(client, answer, channel=channel, thread_ts=None, question=question, asker=asker):
        _respond(respond, question=question, channel=channel, delete_original=True)
        return
    _respond(
        respond,
        question=question,
        channel=channel,
        response_type="ephemeral",
        replace_original=False,
        text="I could not post in this channel. Invite me first (`/invite @` and my name).",
    )


def record_vote(bot: SlackBot, client: WebClient, body: Payload, action: Payload) -> None:
    """👍 / 👎: store the vote once per user and message, thank the user, remove the buttons."""
    message = body.get("message") or {}
    channel = str((body.get("channel") or {}).get("id", ""))
    user = str((body.get("user") or {}).get("id", ""))
    ts = str(message.get("ts", ""))
    key = f"vote:{channel}:{ts}:{user}"
    if bot.ledger.claim(key) != "claimed":
        return  # this user's vote on this answer is stored already, or being stored
    data = parse_button_value(str(action.get("value", "")))
    vote: Vote = "up" if action.get("action_id") == ACTION_VOTE_UP else "down"
    cited = data.get("c")
    bot.store.record(
        FeedbackVote(
            question=str(data.get("q", "")),
            quote_ids=tuple(c for c in cited if isinstance(c, int) and not isinstance(c, bool))
            if isinstance(cited, list)
            else (),
            vote=vote,
            user=user,
            channel=channel,
            message_ts=ts,
        )
    )
    _finish(bot.ledger, key)  # not on failure: the claim's lease runs out and a new click counts
    thanks = f"Thanks for the feedback ({'👍' if vote == 'up' else '👎'} recorded)."
    blocks = without_actions(message.get("blocks") or [], thanks)
    _call_web_api(
        lambda: client.chat_update(channel=channel, ts=ts, blocks=blocks, text=thanks),
        what="chat.update",
        question=str(data.get("q", "")),
        channel=channel,
    )


def apologise(error: Exception, body: Payload, client: WebClient, respond: Respond) -> None:
    """Bolt's error handler: log the failure and tell the asker, politely, where possible."""
    if isinstance(error, ShuttingDownError):
        logger.warning(
            "question not answered: the bot is stopping event_id=%s",
            body.get("event_id") or body.get("trigger_id"),
        )
    else:
        logger.exception(
            "failed to handle a Slack request: %s", type(error).__name__, exc_info=error
        )
    text = printable(str(error)) if isinstance(error, BotError) else SORRY
    event = body.get("event")
    if isinstance(event, dict) and event.get("channel"):
        in_thread = event.get("type") == "app_mention" or event.get("thread_ts")
        thread = (event.get("thread_ts") or event.get("ts")) if in_thread else None
        _call_web_api(
            lambda: client.chat_postMessage(channel=event["channel"], thread_ts=thread, text=text),
            what="chat.postMessage",
            question="(error reply)",
            channel=str(event["channel"]),
        )
    elif body.get("response_url"):
        _respond(
            respond, question="(error reply)", channel="", response_type="ephemeral", text=text
        )


def post_answer(
    client: WebClient,
    answer: Answer,
    *,
    channel: str,
    thread_ts: str | None,
    question: str,
    asker: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> bool:
    """chat.postMessage with the answer's blocks (shared by ``asker``: their question shown
    above it; ``metadata``: the turn a follow-up refers back to); False (and logged) when
    Slack refused."""
    blocks = render_blocks(answer, shared_by=asker)
    return _call_web_api(
        lambda: client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            blocks=blocks,
            text=render_fallback(answer),
            unfurl_links=False,
            unfurl_media=False,
            metadata=metadata,
        ),
        what="chat.postMessage",
        question=question,
        channel=channel,
    )


def _call_web_api(call: Callable[[], object], *, what: str, question: str, channel: str) -> bool:
    try:
        call()
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.error(
            "%s failed after retries channel=%s question=%r error=%s",
            what,
            channel,
            question[:80],
            _describe(error),
        )
        return False
    return True


def _respond(respond: Respond, *, question: str, channel: str, **message: Any) -> bool:
    try:
        response = respond(**message)
    except (SlackClientError, OSError) as error:
        logger.error(
            "response_url post failed channel=%s question=%r error=%s",
            channel,
            question[:80],
            _describe(error),
        )
        return False
    if response.status_code != 200:
        logger.error(
            "response_url post failed channel=%s question=%r status=%s",
            channel,
            question[:80],
            response.status_code,
        )
        return False
    return True


def _describe(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error", "unknown"))
    return type(error).__name__


def log_question(
    *,
    event_id: str | None,
    trigger: str,
    channel: str,
    question: str,
    answer: Answer | None,
    delivered: bool,
    started: float,
) -> None:
    """One structured line per question; the full question only at DEBUG."""
    latency_ms = round((time.monotonic() - started) * 1000)
    logger.info(
        "question event_id=%s trigger=%s channel=%s kind=%s answered=%s delivered=%s "
        "latency_ms=%d text=%r",
        event_id,
        trigger,
        channel,
        answer.kind if answer else "error",
        bool(answer and answer.answered),
        delivered,
        latency_ms,
        question[:80],
    )
    if len(question) > 80:
        logger.debug("question event_id=%s full_text=%r", event_id, question)
