"""The Bolt app: which events become questions, one reply per question, feedback and sharing.

Transports (``http.py``, ``socket.py``) only feed requests in; everything Slack users see is
decided here and drawn by ``bot.render.slack``.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot.conversation import Conversation
from bot.database import open_database
from bot.errors import BotError, DatabaseError, ShuttingDownError
from bot.feedback import FeedbackStore, FeedbackVote, Vote
from bot.ledger import EventLedger
from bot.records import Answer
from bot.render.slack import (
    ACTION_SHARE,
    ACTION_VOTE_DOWN,
    ACTION_VOTE_UP,
    parse_button_value,
    render_blocks,
    render_fallback,
    without_actions,
)
from bot.render.text import printable
from bot.replies import slack_help_answer, too_long_answer
from bot.settings import Settings
from bot.slack.events import (
    Payload,
    event_key,
    plain_text_of,
    skip_reason,
    what_was_asked,
)
from bot.slack.threads import read_conversation, turn_metadata
from bot.slack.web import call_web_api, log_question, make_client, post_answer, respond_safely

logger = logging.getLogger("bot.slack")


SORRY = "Sorry, something went wrong while answering. The operator can find details in the logs."


class SupportsAnswer(Protocol):
    """What the Slack face needs from the answer pipeline."""

    def answer(self, question: str, *, conversation: Conversation | None = None) -> Answer: ...


@dataclass
class SlackBot:
    """The state the listeners share: votes and the ledger live in the shared database, so
    several replicas answer each event once between them."""

    settings: Settings
    answerer: SupportsAnswer
    votes: FeedbackStore
    ledger: EventLedger

    def answer(self, question: str, *, conversation: Conversation | None = None) -> Answer:
        """The answer, or help / too-long replies decided before the pipeline runs."""
        if not question.strip():
            return slack_help_answer(self.settings.slack_slash_command)
        if len(question) > self.settings.max_question_chars:
            return too_long_answer(question, self.settings.max_question_chars)
        if conversation is None or not conversation.turns:
            return self.answerer.answer(question)
        return self.answerer.answer(question, conversation=conversation)

    def register(self, app: App) -> None:
        """Route Slack's events, commands and actions to this bot's methods."""
        bot = self

        @app.middleware
        def gate_events(
            body: Payload, context: Any, next: Callable[[], None]
        ) -> BoltResponse | None:
            if body.get("type") == "event_callback":
                refusal = gate(body, bot.ledger, bot_user_id=context.bot_user_id)
                if refusal is not None:
                    return refusal
            next()
            return None

        @app.event("app_mention")
        def on_mention(body: Payload, event: Payload, client: WebClient, context: Any) -> None:
            asked = what_was_asked(event, context.bot_user_id)
            bot.reply_in_channel(client, body, **asked)

        @app.event("message")
        def on_direct_message(
            body: Payload, event: Payload, client: WebClient, context: Any
        ) -> None:
            asked = what_was_asked(event, context.bot_user_id)
            bot.reply_in_channel(client, body, **asked)

        @app.command(bot.settings.slack_slash_command)
        def on_command(ack: Ack, command: Payload, respond: Respond) -> None:
            ack()
            bot.reply_privately(command, respond)

        @app.action(ACTION_SHARE)
        def on_share(
            ack: Ack, body: Payload, action: Payload, client: WebClient, respond: Respond
        ) -> None:
            ack()
            bot.share(client, body, action, respond)

        @app.action(re.compile(f"^({ACTION_VOTE_UP}|{ACTION_VOTE_DOWN})$"))
        def on_vote(ack: Ack, body: Payload, action: Payload, client: WebClient) -> None:
            ack()
            bot.record_vote(client, body, action)

        @app.error
        def on_error(error: Exception, body: Payload, client: WebClient, respond: Respond) -> None:
            apologise(error, body, client, respond)

    def reply_in_channel(
        self,
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
            answer = self.answer(question, conversation=conversation)
            delivered = post_answer(
                client,
                answer,
                channel=channel,
                thread_ts=thread_ts,
                question=question,
                metadata=turn_metadata(answer),
            )
        finally:
            _finish(self.ledger, event_key(body["event"]))
            log_question(
                event_id=body.get("event_id"),
                trigger=trigger,
                channel=channel,
                question=question,
                answer=answer,
                delivered=delivered,
                started=started,
            )

    def reply_privately(self, command: Payload, respond: Respond) -> None:
        """The slash command: an ephemeral answer, question on top, with "Share in channel"."""
        question = plain_text_of(str(command.get("text", "")))
        channel = str(command.get("channel_id", ""))
        started, answer, delivered = time.monotonic(), None, False
        try:
            answer = self.answer(question)
            blocks = render_blocks(
                answer, question_echo=bool(question), feedback=False, share_button=answer.answered
            )
            delivered = respond_safely(
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

    def share(self, client: WebClient, body: Payload, action: Payload, respond: Respond) -> None:
        """ "Share in channel": answer the question again and post it for everyone."""
        question = str(parse_button_value(str(action.get("value", ""))).get("q", ""))
        channel = str((body.get("channel") or {}).get("id", ""))
        asker = str((body.get("user") or {}).get("id", ""))
        answer = self.answer(question)
        if post_answer(
            client, answer, channel=channel, thread_ts=None, question=question, asker=asker
        ):
            respond_safely(respond, question=question, channel=channel, delete_original=True)
            return
        respond_safely(
            respond,
            question=question,
            channel=channel,
            response_type="ephemeral",
            replace_original=False,
            text="I could not post in this channel. Invite me first (`/invite @` and my name).",
        )

    def record_vote(self, client: WebClient, body: Payload, action: Payload) -> None:
        """👍 / 👎: store the vote once per user and message, thank the user, remove the buttons."""
        message = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id", ""))
        user = str((body.get("user") or {}).get("id", ""))
        ts = str(message.get("ts", ""))
        key = f"vote:{channel}:{ts}:{user}"
        if self.ledger.claim(key) != "claimed":
            return  # this user's vote on this answer is stored already, or being stored
        data = parse_button_value(str(action.get("value", "")))
        vote: Vote = "up" if action.get("action_id") == ACTION_VOTE_UP else "down"
        cited = data.get("c")
        self.votes.record(
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
        _finish(
            self.ledger, key
        )  # not on failure: the claim's lease runs out and a new click counts
        thanks = f"Thanks for the feedback ({'👍' if vote == 'up' else '👎'} recorded)."
        blocks = without_actions(message.get("blocks") or [], thanks)
        call_web_api(
            lambda: client.chat_update(channel=channel, ts=ts, blocks=blocks, text=thanks),
            what="chat.update",
            question=str(data.get("q", "")),
            channel=channel,
        )

    def answer_orphan(self, client: WebClient, payload: str) -> None:
        """Answer, in a thread of its own, an event whose replica died holding its claim."""
        work = json.loads(payload)
        body = {
            "event_id": work["event_id"],
            "event": {"channel": work["channel"], "ts": work["ts"]},
        }

        def run() -> None:
            try:
                self.reply_in_channel(client, body, **work["asked"])
            except BotError as error:
                logger.error("event_id=%s taken over but not answered: %s", work["event_id"], error)

        threading.Thread(target=run, name="orphan-answer", daemon=True).start()


def create_app(
    settings: Settings,
    answerer: SupportsAnswer,
    *,
    listener_executor: Executor | None = None,
    client: WebClient | None = None,
) -> App:
    """The Bolt app. Calls ``auth.test`` once (through ``SLACK_API_URL``, or ``client`` when
    given: a test's recording client); nothing else."""
    secret = settings.slack_signing_secret
    app = App(
        client=client or make_client(settings),
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
    bot.register(app)
    ledger.adopt_orphans_with(lambda key, payload: bot.answer_orphan(app.client, payload))
    return app


GRACEFUL_SHUTDOWN_SECONDS = 30
"""How long a stopping bot lets the answers in flight finish, whichever the transport."""


def finish_answers(executor: ThreadPoolExecutor, seconds: float) -> bool:
    """Let the answers in flight (the app's listeners, on ``executor``) finish, for at most
    ``seconds``; False if some did not."""
    done = threading.Event()

    def drain() -> None:
        executor.shutdown(wait=True, cancel_futures=False)
        done.set()

    threading.Thread(target=drain, name="finish-answers", daemon=True).start()
    if done.wait(seconds):
        return True
    logger.error("answers still running after %.0f s; stopping without them", seconds)
    return False


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


def _finish(ledger: EventLedger, key: str) -> None:
    try:
        ledger.finish(key)
    except DatabaseError as error:
        logger.error("could not mark key=%s answered (its lease will run out): %s", key, error)


def _history(client: WebClient, channel: str, thread_ts: str | None) -> Conversation | None:
    """The conversation so far in the thread a question was asked in, if any."""
    if not thread_ts:
        return None
    return read_conversation(client, channel=channel, thread_ts=thread_ts, bot_user_id=None)


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
        call_web_api(
            lambda: client.chat_postMessage(channel=event["channel"], thread_ts=thread, text=text),
            what="chat.postMessage",
            question="(error reply)",
            channel=str(event["channel"]),
        )
    elif body.get("response_url"):
        respond_safely(
            respond, question="(error reply)", channel="", response_type="ephemeral", text=text
        )
