"""`answer(question) -> Answer`: the one pipeline behind Slack, the terminal and JSON.

question → (too long? help? a question answered by its form: who said that, who is quoted,
what the document is about, whether it mentions X, what a speaker said) → retrieve → (the
document's own details? what an abbreviation stands for?) → is it answered? → one to three
verbatim quotes, merged when they overlap, each with its attribution. The forms are read by
`bot.intents`.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from bot.attribution import is_title
from bot.chunk import first_speaker
from bot.common_names import FIRST_NAMES
from bot.conversation import (
    SAME_PLACE,
    Conversation,
    FollowUp,
    asks_for_more,
    asks_for_something_else,
    follow_up,
    is_pronoun,
)
from bot.errors import BotError
from bot.gate import (
    DEFAULT_MODEL,
    Gate,
    GateModel,
    Verdict,
    asks_for_a_number,
    asks_for_a_time,
    asks_for_money,
    gives_a_reason,
    holds_what_is_asked,
    question_acronyms,
    question_names,
)
from bot.index import CURRENT, StoredIndex, check_model, load_index
from bot.intents import (
    AboutSpeaker,
    abbreviation_asked,
    about_speaker,
    acknowledges,
    asked_as_who,
    asks_for_a_view,
    asks_for_help,
    asks_for_overview,
    asks_for_overviews,
    asks_for_roster,
    asks_for_same_job,
    asks_how_it_works,
    asks_which_paragraph,
    asks_which_piece_it_is_from,
    asks_who_said_it,
    asks_who_the_kind_is,
    bare_keywords,
    context_asked,
    contractions_written_out,
    gives_a_date,
    is_about_the_document,
    mention_asked,
    paragraph_asked,
    paragraph_starting,
    people_named,
    person_described,
    piece_described,
    piece_last,
    refers_to_a_document,
    reply_asked,
    reply_to_someone,
    roster_described,
    said_before_asked,
    says_thanks,
    separate_questions,
    someone_besides,
    update_asked,
    when_said_asked,
    without_asides,
    without_preamble,
    words_asked_about,
)
from bot.lexical import STOPWORDS
from bot.quotes import (
    Quoted,
    Quoter,
    Repeats,
    asks_for_own_words,
    chunk_words,
    overlaps,
    own_statement_first,
    own_words_beside,
    own_words_lead,
    paragraph_quote,
    source_text,
    statement_quote,
)
from bot.records import (
    PASSAGE_KINDS,
    Answer,
    Attribution,
    Chunk,
    Confidence,
    Document,
    Quote,
    Turn,
)
from bot.render.text import valid_unicode
from bot.replies import (
    acknowledged_answer,
    context_message,
    edge_of_document_answer,
    help_answer,
    metadata_answer,
    no_answer,
    no_date_answer,
    no_earlier_turn_answer,
    no_mention_answer,
    no_paragraph_starting_answer,
    no_reason_answer,
    no_reply_answer,
    no_such_paragraph_answer,
    not_described_answer,
    not_on_topic_answer,
    not_quoted_answer,
    not_spelled_out_answer,
    nothing_earlier_answer,
    nothing_more_answer,
    one_person_message,
    overviews_message,
    own_words_answer,
    paragraph_message,
    paragraph_place_message,
    reply_message,
    role_message,
    roster_answer,
    said_before_message,
    several_speakers_message,
    slack_member_answer,
    starting_message,
    statements_message,
    too_long_answer,
    too_many_parts_message,
    unanswered_part_message,
    welcome_answer,
    when_message,
    which_document_answer,
)
from bot.retrieve import Hit, Mode, Retriever, same_root, term_set, terms
from bot.sentences import normalise_space
from bot.settings import Settings
from bot.speakers import Roster, Speaker, Statement, kind_of, posts_meant, the_one
from bot.vocabulary import Vocabulary, spelled_out, verb_forms, without_accents, words
from bot.which_document import (
    document_asked,
    document_described,
    documents_meant,
    opening_rows,
    opening_terms,
)
from bot.who_said import SAYING, full_name, involving_who_said, unheard_of, without_article

logger = logging.getLogger(__name__)

RELOAD_CHECK_SECONDS = 1.0


class QueryEmbedder(Protocol):
    """What answering needs of a model: one normalised vector per question."""

    @property
    def dimension(self) -> int: ...

    def encode_query(self, text: str) -> npt.NDArray[np.float32]: ...


SpeakersAsked = tuple[tuple[Speaker, ...], str | None, str]
"""The speakers a question asks about, the topic asked about them (if any) and the question's
form ("said", "who_is", …)."""


@dataclass(frozen=True)
class Policy:
    """How sure we are of an answer, and how much of it to quote. Calibrated in docs/QUALITY.md;
    whether a passage answers at all is the gate's call (bot/gate.py)."""

    high_margin: float = 0.15
    high_dense: float = 0.40
    medium_margin: float = 0.06
    medium_dense: float = 0.60
    """Bands fitted on SQuAD 2.0 dev: the first quote comes from the right paragraph for 97.6%
    of "high", 76% of "medium" and 40% of "low" answers (docs/QUALITY.md). The margin is how far
    the best passage leads the best passage from another paragraph."""
    extra_quote_ratio: float = 0.80
    """Further quotes must score at least this share of the best quote's score."""
    window_sentences: int = 3


WHEN_LOOK_BACK = 3
"""Paragraphs before a quoted passage that "When was that?" reads for a date: the paragraph
that opens an exchange ("Meanwhile in a 10 May e-mail chain …") dates the replies after it."""
TIED_SPEAKERS = 5
"""Unnamed speakers a phrase may fit equally ("an FBI official") for the topic to choose among;
past this the phrase names nobody in particular, and the question is searched as it stands."""


def answers_at_once() -> int:
    """How many answers compute at once: one per core this process may run on."""
    if hasattr(os, "sched_getaffinity"):  # Linux: the cores it is allowed, not the machine's
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class Turns:
    """At most ``size`` holders at once; the others wait, and go in the order they came.

    Over a large index (searched approximately) an answer is mostly Python: the word search,
    the fusion, the gate and the quotes. Python runs on one core at a time per process (the
    interpreter lock); only the embedding and FAISS let go of it. More such answers at once
    than cores only queue for that lock, and a thread coming back from ONNX Runtime or FAISS
    waits up to the switch interval (5 ms) at each step. Eight threads asking at once at 1M
    chunks: 90 answers/s all at once, 123 two at a time, and p95 172 against 80 ms. Over a
    small index, where the embedding is most of an answer, letting all in is faster: 310
    against 261 answers/s (docs/PERFORMANCE.md §12). A freed place is handed to the longest
    waiter, so no question waits behind later ones."""

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self._free = size
        self._waiting: deque[threading.Lock] = deque()

    def __enter__(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        try:
            turn.acquire()  # released by the holder that hands us its place
        except BaseException:  # interrupted while waiting: leave the queue, or pass the place on
            with self._lock:
                if turn in self._waiting:
                    self._waiting.remove(turn)
                    raise
            self.__exit__()
            raise

    def __exit__(self, *_: object) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1


_BANDS: tuple[Confidence, ...] = ("low", "medium", "high")

TOPIC_COSINE = 0.25
"""A statement this close to a topic it shares no word with is on it ("What did Morris say
about the dilemma?": 0.28). Set by hand, not fitted: on the seed, speakers' statements score
−0.04 to 0.11 against topics they never touch ("Chicago", "the weather", "the budget", "taxes",
"the World Cup"), 0.19 for "DHS" (Morris replies to a remark about DHS without naming it), and
0.23 to 0.50 against topics they speak of (docs/QUALITY.md)."""


class Answerer:
    """Answers questions from the live index, reloading it when a new build lands."""

    def __init__(
        self,
        settings: Settings,
        embedder: QueryEmbedder,
        index: StoredIndex,
        *,
        policy: Policy | None = None,
        gate_model: GateModel = DEFAULT_MODEL,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.policy = policy or Policy()
        self._gate = Gate(Retriever(index), gate_model)
        self._reload_lock = threading.Lock()
        self._turns = Turns(answers_at_once())
        self._next_check = 0.0
        self._roster: tuple[Retriever, Roster] | None = None
        self._last_topic: tuple[str, npt.NDArray[np.float32]] | None = None
        self._quoter = Quoter(self.policy.window_sentences)

    @classmethod
    def load(cls, settings: Settings, *, embedder: QueryEmbedder | None = None) -> Answerer:
        """Load the live index and the query encoder once (``embedder`` instead, when given:
        one already loaded, or another model's); then every answer is fast."""
        from bot.onnx_encoder import load_query_embedder

        index = load_index(settings.index_dir, model=settings.model)
        embedder = embedder or load_query_embedder(settings)
        check_model(index.manifest, model=settings.model, dimension=embedder.dimension)
        return cls(settings, embedder, index)

    @property
    def _retriever(self) -> Retriever:
        return self._gate.retriever

    @property
    def documents(self) -> tuple[Document, ...]:
        return self._retriever.documents

    def answer(
        self,
        question: str,
        *,
        mode: Mode = "hybrid",
        conversation: Conversation | None = None,
    ) -> Answer:
        """The reply to one question, read as a follow-up when ``conversation`` holds earlier
        turns of its thread; never raises for anything a user can type. Over a large index,
        questions asked at once from several threads take turns (`Turns`)."""
        if self._retriever.index.manifest.exact_search:
            # a small index: an answer is mostly its embedding, which needs no turn
            return self._answer(question, mode, conversation)
        with self._turns:
            return self._answer(question, mode, conversation)

    def _answer(self, question: str, mode: Mode, conversation: Conversation | None) -> Answer:
        """Read the question, then answer it by its form if it has one (`_by_form`), else by
        searching the documents and weighing what is found (`_searched`)."""
        self._reload_if_rebuilt()
        gate = self._gate  # one consistent index for the whole answer
        question = valid_unicode(question)  # undecodable input must not reach the tokenizer
        if len(question) > self.settings.max_question_chars:
            return too_long_answer(question, self.settings.max_question_chars)
        vocabulary = gate.retriever.vocabulary
        typed = normalise_space(_INVISIBLE.sub("", question))  # "\u200b" alone asks nothing
        text = asked_as_who(
            piece_last(without_preamble(without_asides(contractions_written_out(typed))))
        )
        text = vocabulary.question_word_fixed(text)
        if abbreviation_asked(text) is None:  # "What does AG stand for?" asks the letters
            text = vocabulary.short_forms_written_out(text)  # "the AG": "the attorney general"
            text = vocabulary.initials_dotted(text)  # "is DC …": "is D.C. …"
        replied = self._not_a_question(question, text, mode, conversation)
        if replied is not None:
            return replied
        person_in = partial(self._person_led, gate.retriever)
        follow = self._besides(text, follow_up(text, conversation, person_in), gate.retriever)
        replied = self._by_form(question, text, follow, conversation, gate)
        if replied is not None:
            return replied
        answer = self._searched(question, text, follow, mode, conversation, gate)
        turn = answer.turn
        if turn is not None and turn.speaker is None and follow.speaker is not None:
            # "how old is he?" of the winger a passage named: he stays the thread's person
            answer = replace(answer, turn=replace(turn, speaker=follow.speaker))
        return answer

    def _person_led(self, retriever: Retriever, turn: Turn) -> Attribution | None:
        """The one speaker of the document, named in full, whom the paragraph a turn led with
        names ("… completed the signing of winger Tobias Amankwah …"); None for none or
        several."""
        found = _paragraph_at(retriever.index, *turn.shown[0][:2]) if turn.shown else None
        if found is None:
            return None
        document, group = found
        rows = retriever.index.columns.rows_of_group(group)
        text = " ".join(retriever.index.chunks[int(row)].text for row in rows)
        named = {
            s.attribution
            for s in self._speakers(retriever).of_document(document)
            if s.name and len(s.name.split()) >= 2 and s.name in text
        }
        return named.pop() if len(named) == 1 else None

    def _besides(self, text: str, follow: FollowUp, retriever: Retriever) -> FollowUp:
        """ "Who else besides Pender is an assistant director?": the others with his post, as
        "and the other one with the same title?" asks in a thread."""
        named = someone_besides(text)
        if named is None or follow.other_phrase is not None:
            return follow
        roster = self._speakers(retriever)
        speaker = roster.find(named)
        if speaker is None or not roster.sharing_role(speaker):
            return follow
        return replace(
            follow, other_than=speaker.attribution, other_phrase="the other with the same title"
        )

    def _not_a_question(
        self, question: str, text: str, mode: Mode, conversation: Conversation | None
    ) -> Answer | None:
        """Help, a welcome, an acknowledgement, or a message of several questions."""
        documents = self._retriever.documents
        earlier = conversation is not None and conversation.last is not None
        if not text or (asks_for_help(text) and not (earlier and asks_how_it_works(text))):
            # ("How does it work?" in a thread asks about what was just quoted)
            return help_answer(question, documents)
        if says_thanks(text):
            return welcome_answer(question)
        if acknowledges(text):
            return acknowledged_answer(question)
        member = _SLACK_MEMBER.search(text)
        if member is not None:  # "what did <@U999> say?": someone mentioned in Slack
            return slack_member_answer(question, member.group(), documents)
        parts = separate_questions(text)
        if len(parts) > 1:
            return self._each_question(question, parts, mode, conversation)
        return None

    def _by_form(
        self,
        question: str,
        text: str,
        follow: FollowUp,
        conversation: Conversation | None,
        gate: Gate,
    ) -> Answer | None:
        """The reply a question's form decides (docs/QUALITY.md, "Questions answered by their
        form"), or None for a question to search for."""
        if (by_thread := self._about_the_thread(question, text, conversation, gate)) is not None:
            return by_thread
        if (by_document := self._about_the_documents(question, text, follow, gate)) is not None:
            return by_document
        if is_about_the_document(text):  # "Who is the reporter?": the byline, not a speaker
            return None
        return self._about_someone(question, text, follow, conversation, gate)

    def _about_the_thread(
        self, question: str, text: str, conversation: Conversation | None, gate: Gate
    ) -> Answer | None:
        """Forms that ask about what the thread last showed: its paragraph, what came before
        or around it, when it was said, who replied or who said it (and who replied to someone
        named, asked the same way); None for any other form."""
        retriever = gate.retriever
        documents = retriever.documents
        last = conversation.last if conversation is not None else None
        # ("who wrote this?" with nothing earlier asks about the document, not about a quote)
        if last is None and (
            (_refers_back_only(text) and not is_about_the_document(text))
            # "Which article is that from?" of several ("What publication is this from?" of
            # one document is its details)
            or (asks_which_piece_it_is_from(text) and len(documents) > 1 and _THAT.search(text))
        ):
            return no_earlier_turn_answer(question, documents)
        if asks_which_paragraph(text):  # "Which paragraph is that in?"
            if last is None or not last.shown:
                return no_earlier_turn_answer(question, documents)
            return self._context_answer(question, last, "itself", retriever)
        if said_before_asked(text) and last is not None and last.shown and last.speaker:
            return self._said_before(question, last, retriever)  # "What did he say before that?"
        where = context_asked(text)
        if where is not None:  # "What came before that?", "More context"
            if last is None or not last.shown:
                return no_earlier_turn_answer(question, documents)
            return self._context_answer(question, last, where, retriever)
        if (
            last is not None
            and last.shown
            and when_said_asked(text)
            and not is_about_the_document(text)
        ):
            # "When was that?"
            return self._when_answer(question, last, retriever)
        replied = reply_asked(text, last.question) if last is not None and last.shown else None
        if conversation is not None and replied is not None:  # "Who responded?", "To whom?"
            return self._reply_answer(question, text, conversation, replied, retriever)
        someone = reply_to_someone(text)
        if someone is not None:  # "Who responded to Morris?": after his first statement
            to_someone = self._reply_to(question, text, someone, retriever)
            if to_someone is not None:
                return to_someone
        if last is not None and asks_who_said_it(text):
            return self._who_said_it(question, last, retriever)
        return None

    def _about_the_documents(
        self, question: str, text: str, follow: FollowUp, gate: Gate
    ) -> Answer | None:
        """Forms that ask about the documents themselves: who is quoted, an entry of a live
        page, a paragraph by its place or opening, an overview, whether a word is mentioned;
        None for any other form."""
        retriever = gate.retriever
        documents = retriever.documents
        if asks_for_roster(text) or roster_described(text) is not None:
            roster = self._roster_answer(question, text, follow, retriever)
            if roster is not None:
                return roster
        stamp = update_asked(text)
        if stamp is not None:  # "what happened at 15:10?" of a live page's entries
            entry = self._update_at(question, stamp, text, retriever)
            if entry is not None:
                return entry
        opening = paragraph_starting(text)
        if opening is not None:  # "the paragraph that starts with 'In particular'"
            return self._paragraph_starting(question, opening, retriever)
        place = paragraph_asked(text)
        if place is not None:  # "What does the first paragraph say?", "the lede", "¶7"
            return self._paragraph_answer(question, text, place, follow, retriever)
        if asks_for_overviews(text) and len(documents) > 1:
            return self._overviews(question, retriever)
        if asks_for_overview(text) or asks_for_overviews(text):
            return self._overview(question, follow, retriever)
        subject = mention_asked(text)
        if subject is not None and terms(subject) and not gate.missing_names(text):
            # "does the bakery article mention …": that document's passages only (named by
            # its title; "the officer's report" of a story opening with one is not it)
            meant = document_described(text, retriever.documents)
            return self._mentions(question, subject, retriever, document=meant)
        return None

    def _roster_answer(
        self, question: str, text: str, follow: FollowUp, retriever: Retriever
    ) -> Answer | None:
        """ "Who is quoted?": the speakers, of the document described ("… in the bike lanes
        story?", "… in this story?") or of all; "Which professor is quoted?" fitting one
        speaker, who that is."""
        documents = retriever.documents
        roster = self._speakers(retriever)
        speakers = roster.speakers
        number = document_described(text, documents)
        if number is None and refers_to_a_document(text):  # "… in this story?"
            number = document_asked(text, follow, documents, retriever)
        if number is None and len(documents) > 1:  # "… in the football match report?"
            number = self._document_on(piece_described(text), retriever)
        if number is not None:  # "Who is quoted in the bike lanes story?"
            speakers = tuple(s for s in speakers if s.document == number)
        described = roster_described(text)
        one_of_a_kind = asks_who_the_kind_is(text)  # "Who is the expert?"
        fitting = []
        if described is not None:  # "an academic" is quoted as "a professor at …"
            kind = person_described(described) or described
            fitting = roster.find_all(described) or roster.of_kind(kind)
            among = set(speakers)  # a set: a corpus can quote tens of thousands of people
            fitting = [s for s in fitting if s in among]
            if one_of_a_kind:  # "the Norse leader" is not "The Russian leader"
                other = set(words(described)) - set(words(kind)) - STOPWORDS
                fitting = [s for s in fitting if other <= set(words(f"{s.name} {s.role}"))]
        if len(fitting) == 1:
            return self._speaker_answer(
                question, fitting[0], None, "who_is", frozenset(), retriever
            )
        if fitting:  # several of the kind asked for ("Is there an academic quoted?"): those
            speakers = tuple(fitting)
        unfit = described if described is not None and not fitting else None
        if unfit is not None and one_of_a_kind:
            return None  # "Who was the Norse leader?" of no one quoted: what the text says of one
        return roster_answer(question, speakers, documents, none_described=unfit)

    def _about_someone(
        self,
        question: str,
        text: str,
        follow: FollowUp,
        conversation: Conversation | None,
        gate: Gate,
    ) -> Answer | None:
        """ "What did X say [about T]?", "Who is X?": X's statements or role; that the
        documents do not mention X, or that X is not quoted on T; None when no one is asked
        about."""
        retriever = gate.retriever
        asked = about_speaker(text)  # the speaker form of the question itself, if any
        about = self._about_speaker(asked, follow, retriever)
        if about is None:
            return None if asked is None else self._someone_unquoted(question, text, asked, gate)
        if gate.missing_names(text):
            return None
        unknown = _where_unknown(asked, retriever.vocabulary)
        if unknown is not None:  # "what did the judge say in the bakery case" of no bakery
            return no_answer(question, retriever.documents, missing=(unknown,))
        speakers, topic, form = about
        if (
            len(speakers) > 1
            and form == "said"
            and speakers[0].name
            and len({s.name for s in speakers}) == 1
        ):
            return self._one_person_in_several(question, speakers, topic, retriever)
        if len(speakers) > 1:
            return self._several_speakers_answer(question, speakers, topic, form, retriever)
        speaker = speakers[0]
        if form == "said" and topic and asked is not None and asked.topic == topic:
            # (the question's own topic, not an earlier one)
            refused = self._not_on_topic(question, text, asked, speaker, retriever)
            if refused is not None:
                return refused
        # "What else did X say?": X's statements the thread has not answered with yet
        more = follow.more or (asked is not None and asked.more)
        shown = conversation.led_with() if conversation is not None and more else frozenset()
        if asked is not None and asked.added and _all_shown(speaker, retriever, shown):
            shown = frozenset()  # "and what did he add?" of one statement: its words again
        if asked is not None and asked.direct:  # "his direct quote?": his own words first
            speaker = replace(speaker, statements=self._direct_first(speaker, retriever))
        # "what did Lyle say about it?" after the buyback: his words on the buyback first
        order_by = _earlier_subject(text, speaker, conversation, retriever)
        return self._speaker_answer(
            question, speaker, topic, form, shown, retriever, order_by=order_by
        )

    def _someone_unquoted(
        self, question: str, text: str, asked: AboutSpeaker, gate: Gate
    ) -> Answer | None:
        """A question about someone no quoted speaker is: the writer's own words for "the
        critic" when no critic is quoted; that no one so described is mentioned or quoted; that
        the person named is never quoted; None when none of these holds (the question is
        searched)."""
        retriever = gate.retriever
        person = person_described(asked.who)
        saying = asked.form == "said" and SAYING.search(text) is not None
        if person is not None:
            if (
                person.lower() in _THE_WRITER
                and asked.form == "said"
                and asked.topic
                and not self._speakers(retriever).of_kind(person)
            ):
                # "what did the critic think of Celia Marchbanks?": no critic is quoted; the
                # review's own words are the critic's
                own = self._writers_own_words(question, asked.topic, gate)
                if own is not None:
                    return own
            if not any(map(retriever.vocabulary.has_kin, posts_meant(person) | kind_of(person))):
                # "What did the president say about …?" of documents with no president in them
                return no_answer(question, retriever.documents, missing=(person,))
            # ("the anonymous FBI official": one is quoted, described so)
            if saying and (
                _named_possessor(asked.who)  # "Ernest Baptiste's wife": none is quoted
                or (
                    not self._speakers(retriever).of_kind(person)
                    and not self._someone_so_described(asked.who, retriever)
                )
            ):
                # "What did the transport officer say?" when no one quoted is described so
                return not_described_answer(question, asked.who, retriever.documents)
        if asked.form != "said":
            return None
        named = full_name(asked.who)
        if named is None and saying:
            # "what did felix amadi say": the name as the text writes it
            named = full_name(self._as_written(asked.who, retriever) or "")
        if (
            named is not None
            and saying
            and all(map(retriever.vocabulary.knows, words(named)))
            and self._a_person(named, retriever)
        ):
            # "What did Tom Harrow say?" of a man the text names but never quotes
            return not_quoted_answer(question, named, retriever.documents)
        return None

    def _not_on_topic(
        self,
        question: str,
        text: str,
        asked: AboutSpeaker,
        speaker: Speaker,
        retriever: Retriever,
    ) -> Answer | None:
        """ "What did X say about T?" when none of X's statements is on T (or, "… about how
        much it costs", none says what is asked): that X is not quoted on it; None when one
        is."""
        topic = asked.topic or ""
        on_topic = self._speaks_of(speaker, topic, retriever, by_meaning=not asked.whether)
        if on_topic and _says_what_is_asked(speaker, text, retriever):
            return None
        refused = not_on_topic_answer(question, speaker, topic, retriever.documents)
        # "who is he?" after it means the speaker named, though nothing was quoted
        turn = Turn(
            question,
            "",  # nothing searched to join a follow-up to: only the speaker is meant
            speaker=speaker.attribution,
            document=retriever.documents[speaker.document].path,
            led=0,
        )
        return replace(refused, turn=turn)

    @staticmethod
    def _direct_first(speaker: Speaker, retriever: Retriever) -> tuple[Statement, ...]:
        """The speaker's statements, those in quotation marks first, each in article order."""

        def reported(statement: Statement) -> bool:
            paragraph = retriever.index.chunks.paragraph(statement.chunk_ids[0])
            return not _QUOTATION_MARK.search(
                source_text(paragraph, statement.start, statement.end)
            )

        return tuple(sorted(speaker.statements, key=reported))

    def _searched(
        self,
        question: str,
        text: str,
        follow: FollowUp,
        mode: Mode,
        conversation: Conversation | None,
        gate: Gate,
    ) -> Answer:
        """Search, then: the document's details, what an abbreviation stands for, or the
        passages the gate finds answer (`_tried_again` when none does)."""
        retriever = gate.retriever
        unheard = unheard_of(text, retriever)
        if unheard is not None:
            return no_answer(question, retriever.documents, missing=(unheard,))
        embedded = retriever.vocabulary.misspellings_fixed(follow.query)  # "massachusets"
        embed = partial(self.embedder.encode_query, embedded)  # run beside the word search
        meanwhile = partial(self._prepare, follow.query, gate)
        hits = retriever.search(follow.query, embed, k=10, mode=mode, meanwhile=meanwhile)
        written_out = _initials_written_out(follow.query, hits, retriever)
        if written_out is not None:  # "how does SC work?": "how does Secure Communities work?"
            follow = replace(follow, query=written_out)
            hits = self._search(written_out, retriever, k=10)
        if is_about_the_document(text):
            meant = documents_meant(text, follow, hits, retriever.documents)
            return metadata_answer(question, meant)
        # "what does cjis stand for": an acronym typed in lower case is read as one
        abbreviation = abbreviation_asked(retriever.vocabulary.acronyms_capitalised(text))
        if abbreviation is not None:
            spelled = self._spelled_out(question, abbreviation.letters, hits, retriever)
            if spelled is not None:
                return _with_turn(spelled, follow.query)
            if abbreviation.only_spelling:  # a passage merely using it does not answer
                return not_spelled_out_answer(question, abbreviation.letters, retriever.documents)
        phrase = words_asked_about(text)
        if phrase is not None and not follow.more:
            # "Who said 'tough one'?": the passages with those very words, whoever says them
            found = self._with_words(question, phrase, retriever)
            if found is not None:
                return found
        if follow.more and conversation is not None:
            shown = conversation.shown()
            hits = [h for h in hits if not _already_shown(h.chunk, retriever, shown)]
        hits = self._who_said_kept(text, hits, retriever)
        last = conversation.last if conversation is not None else None
        moved_on = self._moved_on(question, text, follow, last, hits, gate)
        if moved_on is not None:
            return moved_on
        answer = self._quoted_answer(question, follow.query, hits, gate)
        return self._tried_again(question, text, follow, mode, gate, answer, hits)

    def _moved_on(
        self,
        question: str,
        text: str,
        follow: FollowUp,
        last: Turn | None,
        hits: list[Hit],
        gate: Gate,
    ) -> Answer | None:
        """A follow-up the passage just shown must not simply answer again: "why?"
        (`_reason_answer`), or one about the last answer's subject (`FollowUp.fresh`) that
        another passage answers; None for any other question."""
        if last is None:
            return None
        if follow.why and last.shown:  # a passage quoted, then asked why
            return self._reason_answer(question, follow.query, hits, last, gate)
        if not follow.fresh:
            return None
        unseen = _not_led_again(text, hits, last, gate.retriever)
        answer = self._quoted_answer(question, follow.query, unseen, gate)
        if unseen is not hits and answer.answered:  # else the same passage may do again
            return _with_turn(answer, follow.query)  # "who said that?" means this one
        return None

    def _reason_answer(
        self, question: str, query: str, hits: list[Hit], last: Turn, gate: Gate
    ) -> Answer:
        """ "why?" after an answer: the passages besides the one it led with, as the gate weighs
        them (the reason is often a paragraph away: "wanted the attorney general to review the
        program" and "I think we need [attorney general] direction"); the one it led with
        again only if it gives a reason itself (`gives_a_reason`); else that the documents do
        not say why, rather than the same words twice."""
        retriever = gate.retriever
        led = frozenset(last.shown[: last.led])
        again = [h for h in hits if _already_shown(h.chunk, retriever, led)]
        shown = " ".join(h.chunk.text for h in again)
        if again and gives_a_reason(shown):  # "… as a precaution": it says why itself
            answer = self._quoted_answer(question, query, hits, gate)
            if not answer.answered:  # "why would it?" has few words to weigh: it, once more
                quoted = self._quote(again[0], terms(query), retriever)
                answer = _holding_answer(question, [quoted], retriever, "medium")
        else:
            answer = self._quoted_answer(question, query, [h for h in hits if h not in again], gate)
        if answer.answered:
            return _with_turn(answer, query)
        return no_reason_answer(question, retriever.documents)

    def _tried_again(
        self,
        question: str,
        text: str,
        follow: FollowUp,
        mode: Mode,
        gate: Gate,
        answer: Answer,
        hits: list[Hit],
    ) -> Answer:
        """When the answer is weak or missing: the question with its acronyms spelled out,
        its bare keywords' passages, or (a follow-up) with the earlier question's words."""
        retriever, query = gate.retriever, follow.query
        expanded = (
            None
            if answer.confidence in ("high", "medium")
            else _acronyms_spelled_out(
                retriever.vocabulary.acronyms_capitalised(query), hits, retriever
            )
        )
        if expanded is not None:
            # "Who leads the CJIS division?": the text writes the words, never the letters
            vector = self.embedder.encode_query(expanded)
            found = retriever.search(expanded, vector, k=10, mode=mode)
            again = self._quoted_answer(
                question, expanded, self._who_said_kept(text, found, retriever), gate
            )
            if again.answered and (not answer.answered or again.confidence != "low"):
                answer, query = again, expanded
        keywords = None if answer.answered else bare_keywords(text)
        if keywords is not None:
            # "rift", "what rift?": too few words for the gate to weigh, but a passage that
            # holds them is what a search box would show
            mentioned = self._mentions(question, keywords, retriever)
            if mentioned.answered:
                return mentioned
        if (
            not answer.answered
            and follow.fallback is not None
            and not gate.missing_names(text)
            and self._any_word_known(follow.query, retriever)
        ):
            # complete on its own, but nothing answers it alone: read it as a follow-up
            fallback = retriever.vocabulary.misspellings_fixed(follow.fallback)
            vector = self.embedder.encode_query(fallback)
            hits = retriever.search(follow.fallback, vector, k=10, mode=mode)
            hits = self._who_said_kept(text, hits, retriever)  # the question's own who
            answer = self._quoted_answer(question, follow.fallback, hits, gate)
            return _with_turn(answer, follow.fallback)
        return _with_turn(answer, query)

    @staticmethod
    def _any_word_known(query: str, retriever: Retriever) -> bool:
        """Whether a question has a word the corpus has, or no word of its own to search for
        ("why?"): "banana" or "what about pizza?" in a thread is no follow-up to the last
        answer, but something the documents do not cover."""
        query_terms = retriever.query_terms(query)
        return not query_terms or retriever.corpus_coverage(query_terms) > 0

    def _each_question(
        self, question: str, parts: list[str], mode: Mode, conversation: Conversation | None
    ) -> Answer:
        """A message that asks several questions: each answered in turn, as a thread would
        ("And what did he add?" follows the first), the first quote of each kept, then their
        further quotes while there is room; a part nothing answers is named."""
        thread = conversation or Conversation()
        answers = []
        for part in parts[: self.settings.max_quotes]:
            answer = self._answer(part, mode, thread)
            answers.append(answer)
            thread = thread.then(answer)
        answered = [a for a in answers if a.answered]
        documents = self._retriever.documents
        if not answered:
            return no_answer(question, documents)
        quotes: list[Quote] = []
        spans: set[tuple[str, int]] = set()
        most = self.settings.max_quotes
        ranked = (a.quotes[r] for r in range(most) for a in answered if r < len(a.quotes))
        for quote in ranked:  # the first quote of each, then the second of each, …
            span = (quote.document.path, quote.char_start)
            if span not in spans and len(quotes) < most:
                quotes.append(quote)
                spans.add(span)
        notes = [  # what a part says in words (its details, its roster), or that nothing does
            a.message if a.answered else unanswered_part_message(a.question)
            for a in answers
            if (a.answered and not a.quotes and a.message) or a.kind == "no_answer"
        ]
        if len(parts) > len(answers):
            notes.append(too_many_parts_message(len(answers)))
        bands = [a.confidence for a in answered if a.confidence is not None]
        combined = Answer(
            question,
            answered=True,
            confidence=min(bands, key=_BANDS.index) if bands else None,
            quotes=tuple(quotes),
            message="\n".join(notes),
            kind="quotes" if quotes else answered[0].kind,
            documents=documents,
        )
        last = answered[-1].turn
        return combined if last is None else _with_turn(combined, last.query)

    # --- speakers ----------------------------------------------------------------------------

    def _speakers(self, retriever: Retriever) -> Roster:
        """The roster of the live index (read on the first question about speakers)."""
        cached = self._roster
        if cached is None or cached[0] is not retriever:
            cached = (retriever, Roster(retriever.index.speakers))
            self._roster = cached
        return cached[1]

    def _about_speaker(
        self, about: AboutSpeaker | None, follow: FollowUp, retriever: Retriever
    ) -> SpeakersAsked | None:
        """The speakers (and topic) a question asks about, when it names ones the corpus quotes:
        by name or role, by a pronoun for the thread's last speaker, or as "the other …"; several
        joined by "and" when each part names a different one."""
        if about is None and follow.other_phrase is None and not follow.more:
            return None  # most questions: no speaker named, so no roster read
        speakers = self._speakers(retriever)
        if follow.other_than is not None and follow.other_phrase is not None:
            about = None  # "Who else besides Pender is …": not Pender, named in it
        if about is not None:
            return self._speakers_named(about, follow, speakers, retriever)
        if follow.other_phrase is not None:
            return self._the_other_speaker(follow, follow.other_phrase, speakers)
        if follow.more and follow.speaker is not None:
            speaker = speakers.of(follow.speaker)
            return None if speaker is None else ((speaker,), None, "said")
        return None

    def _speakers_named(
        self, about: AboutSpeaker, follow: FollowUp, speakers: Roster, retriever: Retriever
    ) -> SpeakersAsked | None:
        """The quoted speakers a question's own words name or describe (`_about_speaker`)."""
        several = [self._speaker_named(p, follow, speakers) for p in people_named(about.who)]
        if len(several) > 1 and None not in several and len(set(several)) == len(several):
            return tuple(s for s in several if s is not None), about.topic, about.form
        found = None if is_pronoun(about.who) else speakers.find_all(about.who)
        speaker = self._speaker_named(about.who, follow, speakers, found)
        same = [s for s in found or [] if _given_name_fits(about.who, s)]
        if len(same) > 1 and len({s.name for s in same}) == 1 and same[0].name:
            # one person quoted in several documents ("Ivy Lund" in two stories)
            return tuple(same), about.topic, about.form
        kind = person_described(about.who)
        if kind is not None and _named_possessor(about.who):
            # "Ernest Baptiste's wife", "Harland Maintenance's chief executive": someone
            # of that kind the name qualifies, never the one named (who may be quoted)
            fitting = [
                s
                for s in speakers.of_kind(kind)
                if _qualified(about.who, kind, s, retriever.documents[s.document].title)
            ]
            return ((fitting[0],), about.topic, about.form) if len(fitting) == 1 else None
        if speaker is not None and kind is not None and not speakers.of_kind(kind).count(speaker):
            # "the Brackenridge Water spokeswoman": the spokeswoman the organisation's
            # document quotes, not the organisation
            alike = [s for s in speakers.of_kind(kind) if s.document == speaker.document]
            speaker = alike[0] if len(alike) == 1 else speaker
        if speaker is None and about.form == "said":
            return self._speakers_described(about, follow, speakers, retriever)
        return None if speaker is None else ((speaker,), about.topic, about.form)

    def _speakers_described(
        self, about: AboutSpeaker, follow: FollowUp, speakers: Roster, retriever: Retriever
    ) -> SpeakersAsked | None:
        """ "what did an FBI official / the director say [about T]?" with several unnamed
        ones, or people, described so: the one who spoke of T, or with no topic each of them (a
        phrase that fits named speakers and is no word for a person, "the FBI", names an
        organisation, and is searched as it stands)."""
        kind = person_described(about.who)
        fitting = speakers.find_all(about.who) or (
            [
                s
                for s in speakers.of_kind(kind)
                if _qualified(about.who, kind, s, retriever.documents[s.document].title)
            ]
            if kind
            else []
        )
        if len(fitting) == 1 and kind is not None:  # "the historian": the professor
            return (fitting[0],), about.topic, about.form
        unnamed = all(s.name is None for s in fitting)
        described = unnamed or kind is not None
        if not (1 < len(fitting) <= TIED_SPEAKERS and described):
            return None
        last = follow.speaker and speakers.of(follow.speaker)
        if not about.topic and last in fitting:
            # "what did the FBI official say in it?": the one the thread quoted
            return (last,), None, about.form
        said_there = self._said_where(fitting, about.where, retriever)
        if not about.topic and said_there is not None:
            # "what did the unnamed official say in the May e-mail?"
            return (said_there,), None, about.form
        if not about.topic:
            return tuple(fitting[: self.settings.max_quotes]), None, "said"
        closeness = self._topic_closeness(about.topic, retriever)
        speaker = max(fitting, key=lambda s: max(map(closeness, s.statements)))
        return (speaker,), about.topic, about.form

    def _the_other_speaker(
        self, follow: FollowUp, phrase: str, speakers: Roster
    ) -> SpeakersAsked | None:
        """ "the other guy with the same title?", "anyone else from that division quoted?",
        "what about the other official?": a speaker besides the thread's last one."""
        before = speakers.of(follow.other_than) if follow.other_than else None
        if before is not None and asks_for_same_job(phrase):
            alike = speakers.sharing_role(before)
            return None if len(alike) != 1 else ((alike[0],), None, "who_is")
        if before is not None and phrase == SAME_PLACE:  # what they said
            alike = speakers.sharing_organisation(before)[: self.settings.max_quotes]
            return None if not alike else (tuple(alike), None, "said")
        speaker = speakers.find(phrase, exclude=before)
        return None if speaker is None else ((speaker,), follow.query, "said")

    @staticmethod
    def _said_where(
        fitting: list[Speaker], where: str | None, retriever: Retriever
    ) -> Speaker | None:
        """Of several speakers a description fits, the one whose statements hold the most of
        the words that say where it was said (`AboutSpeaker.where`: "in the May e-mail", the
        one quoted from "a 10 May e-mail chain", not from "an internal e-mail"); None when no
        one holds more of them than the others."""
        wanted = set(retriever.query_terms(where or ""))
        if not wanted:
            return None

        def held(speaker: Speaker) -> int:
            chunks = retriever.index.chunks
            return max(
                len(wanted & term_set(" ".join(chunks[i].text for i in statement.chunk_ids)))
                for statement in speaker.statements
            )

        counts = [held(s) for s in fitting]
        best = max(counts)
        return fitting[counts.index(best)] if best and counts.count(best) == 1 else None

    def _writers_own_words(self, question: str, topic: str, gate: Gate) -> Answer | None:
        """What a piece's writer says of a topic in its own words (a review's verdict on an
        actor): the passages on it that quote no one, as the gate weighs them; None when none
        answers."""
        retriever = gate.retriever
        hits = [
            h
            for h in self._search(topic, retriever, k=20)
            if h.passage == "body" and not any(s.attribution for s in h.chunk.sentences)
        ]
        answer = self._quoted_answer(question, topic, hits, gate) if hits else None
        return _with_turn(answer, topic) if answer is not None and answer.answered else None

    def _search(self, text: str, retriever: Retriever, *, k: int) -> list[Hit]:
        """The hits for words searched on their own (a description, a name, a topic), not
        for the question being answered."""
        return retriever.search(text, self.embedder.encode_query(text), k=k)

    def _someone_so_described(self, described: str, retriever: Retriever) -> bool:
        """Whether a passage that holds every word of a description quotes someone ("Gordon
        Lasky, who has run a hardware store …" of "the hardware store owner", whose role the
        roster does not give)."""
        kind = person_described(described) or ""
        # the words beside the word for a person ("hardware shop" of "the hardware shop
        # owner": the text may say she "has run" it)
        wanted = set(terms(described)) - set(terms(kind)) or set(terms(described))
        hits = self._search(described, retriever, k=10)
        return any(
            wanted <= term_set(hit.chunk.text) and first_speaker(hit.chunk.sentences) is not None
            for hit in hits
        )

    def _as_written(
        self, phrase: str, retriever: Retriever, hits: list[Hit] | None = None
    ) -> str | None:
        """A name of two words or more typed in lower case ("felix amadi", "the harland
        foundation", "professor holm") as a passage found by it writes it, capitals and all
        ("Felix Amadi", "Harland Foundation", "Professor Adaeze Holm": a title may stand
        before a given name), in ``hits`` when given; None when none does, or the phrase has
        a capital already."""
        bare = without_article(phrase)
        typed = bare.split()
        if bare != bare.lower() or len(typed) < 2 or is_pronoun(bare):
            return None
        given = r"(?:[A-Z][\w’'-]+\s+){0,2}" if is_title(typed[0].capitalize()) else ""
        written = re.compile(
            rf"\b{re.escape(typed[0])}\s+{given}" + r"\s+".join(map(re.escape, typed[1:])) + r"\b",
            re.IGNORECASE,
        )
        # the question's own hits when it was searched already (no second embedding)
        for hit in hits if hits is not None else self._search(bare, retriever, k=5):
            for found in written.finditer(hit.chunk.text):
                if all(w[:1].isupper() for w in found[0].split()):
                    return " ".join(found[0].split())
        return None

    def _who_said_kept(self, text: str, hits: list[Hit], retriever: Retriever) -> list[Hit]:
        """The hits that can say what the who of a who-said question said
        (`involving_who_said`, the name read as the text writes it: `_names_written`)."""
        return involving_who_said(self._names_written(text, retriever, hits), hits, retriever)

    def _names_written(self, text: str, retriever: Retriever, hits: list[Hit]) -> str:
        """A who-said question with the name it asks about capitalised as the text writes it,
        when it was typed in lower case ("what did the harland foundation say": "Harland
        Foundation"; "professor holm": "Professor Holm", written "Professor Adaeze Holm")."""
        asked = about_speaker(text)
        if asked is None or asked.form != "said" or question_names(text):
            return text
        if self._as_written(asked.who, retriever, hits) is None:
            return text
        bare = without_article(asked.who)
        named = " ".join(w[:1].upper() + w[1:] for w in bare.split())
        return re.sub(re.escape(bare), lambda _: named, text, count=1, flags=re.IGNORECASE)

    def _a_person(self, name: str, retriever: Retriever) -> bool:
        """Whether a full name is a person's: a common given name ("Sarah"), a surname a
        speaker has ("Harrow" of Andrew Harrow), or a name the text gives as a person's ("The
        ship's master, Tom Keane, …"); not "Homeland Security" or "Old Briton"."""
        given, surname = words(name)[0], words(name)[-1]
        roster = self._speakers(retriever)
        if given in FIRST_NAMES or any(
            surname in words(s.name or "") for s in roster.find_all(surname)
        ):
            return True
        as_person = re.compile(_AS_A_PERSON.format(name=re.escape(without_accents(name))))
        # "after referee Simon Ashdown ruled": a word for a person just before the name
        after_post = re.compile(rf"\b([A-Za-z][\w-]*)\s+{re.escape(without_accents(name))}\b")
        hits = self._search(name, retriever, k=5)
        return any(
            as_person.search(text)
            or any(person_described(m[1].lower()) for m in after_post.finditer(text))
            for text in (normalise_space(without_accents(hit.chunk.text)) for hit in hits)
        )

    @staticmethod
    def _speaker_named(
        phrase: str, follow: FollowUp, speakers: Roster, found: list[Speaker] | None = None
    ) -> Speaker | None:
        """The speaker a phrase names: the thread's last one for a pronoun, else by the roster
        (from ``found``, its `Roster.find_all`, when already known); not one whose surname it
        shares under another given name ("Tom Harrow" is not Andrew Harrow; "Steve Morris" may
        be Stephen L. Morris)."""
        if is_pronoun(phrase):
            return None if follow.speaker is None else speakers.of(follow.speaker)
        speaker = speakers.find(phrase) if found is None else the_one(found)
        return speaker if speaker is None or _given_name_fits(phrase, speaker) else None

    def _speaker_answer(
        self,
        question: str,
        speaker: Speaker,
        topic: str | None,
        form: str,
        shown: frozenset[tuple[str, int, int]],
        retriever: Retriever,
        *,
        order_by: str | None = None,
    ) -> Answer:
        """X's statements: on a topic, the one about it first; otherwise in article order.
        "Who is X?": X's role, with the passage that gives it. ``order_by``: what a topic that
        refers back ("about it") means, the earlier question, whose closest statement leads."""
        document = retriever.documents[speaker.document]
        statements = [s for s in speaker.statements if (document.path, s.start, s.end) not in shown]
        if not statements:
            return nothing_more_answer(question, speaker, retriever.documents)
        introduced = self._introduction(speaker, retriever) if form == "who_is" else None
        if introduced is not None:  # "Who is X?" of someone the text names before quoting
            answer = Answer(
                question,
                answered=True,
                confidence="high",
                quotes=(introduced,),
                message=role_message((speaker,)),
                documents=retriever.documents,
            )
            return _with_turn(answer, question, speaker=speaker.attribution, led=1)
        if form == "who_is":
            message = role_message((speaker,))
            chosen = statements[:1]
        else:
            on = order_by or topic
            chosen, message = self._statements_chosen(
                speaker, statements, on, topic, retriever, first_asked=not shown
            )
        quotes = tuple(statement_quote(s, speaker, retriever) for s in chosen)
        answer = Answer(
            question,
            answered=True,
            confidence="high",
            quotes=quotes,
            message=message,
            documents=retriever.documents,
        )
        # a topic's statement was the answer; without one, every statement listed was
        led = 1 if topic else len(quotes)
        return _with_turn(answer, topic or question, speaker=speaker.attribution, led=led)

    def _statements_chosen(
        self,
        speaker: Speaker,
        statements: list[Statement],
        on: str | None,
        topic: str | None,
        retriever: Retriever,
        *,
        first_asked: bool,
    ) -> tuple[list[Statement], str]:
        """The statements of X's to quote, and the message before them: the closest to ``on``
        first (X's own words before words reported of X), or with nothing asked and nothing
        shown in the thread before (``first_asked``), X's own words first. ``statements``
        holds fewer than X has when the thread has shown some."""
        again = len(statements) < len(speaker.statements)
        if on:
            statements = self._by_topic(statements, on, retriever)
            statements = own_statement_first(on, statements, speaker, retriever)
        elif first_asked:
            statements = own_words_lead(statements, retriever)
        limit = self.settings.max_quotes
        more = max(0, len(statements) - limit)
        return statements[:limit], statements_message(
            speaker, len(statements), more, topic, again=again
        )

    def _one_person_in_several(
        self,
        question: str,
        speakers: tuple[Speaker, ...],
        topic: str | None,
        retriever: Retriever,
    ) -> Answer:
        """ "What did Ivy Lund say [about T]?" of someone several documents quote: their
        statements from all of them, in corpus order (the one closest to T first)."""
        said = [(speaker, statement) for speaker in speakers for statement in speaker.statements]
        if topic:
            closeness = self._topic_closeness(topic, retriever)
            best = max(said, key=lambda pair: closeness(pair[1]))
            said = [best, *(pair for pair in said if pair is not best)]
        shown = said[: self.settings.max_quotes]
        answer = Answer(
            question,
            answered=True,
            confidence="high",
            quotes=tuple(statement_quote(st, sp, retriever) for sp, st in shown),
            message=one_person_message(speakers, len(said), len(shown)),
            documents=retriever.documents,
        )
        return _with_turn(answer, topic or question, speaker=speakers[0].attribution)

    def _several_speakers_answer(
        self,
        question: str,
        speakers: tuple[Speaker, ...],
        topic: str | None,
        form: str,
        retriever: Retriever,
    ) -> Answer:
        """ "What did X and Y say [about T]?", "Who are X and Y?": one passage of each, in the
        order asked (the one on T, else the first, as `_speaker_answer` picks for one)."""
        speakers = speakers[: self.settings.max_quotes]
        chosen = [
            self._by_topic(list(s.statements), topic, retriever)[0]
            if topic and form == "said"
            else s.statements[0]
            for s in speakers
        ]
        answer = Answer(
            question,
            answered=True,
            confidence="high",
            quotes=tuple(
                statement_quote(statement, speaker, retriever)
                for statement, speaker in zip(chosen, speakers, strict=True)
            ),
            message=several_speakers_message(speakers, form, topic),
            documents=retriever.documents,
        )
        return _with_turn(answer, topic or question, speaker=speakers[0].attribution)

    def _by_topic(
        self, statements: list[Statement], topic: str, retriever: Retriever
    ) -> list[Statement]:
        """The statement closest to the topic first, then the rest in article order."""
        best = max(statements, key=self._topic_closeness(topic, retriever))
        return [best, *(s for s in statements if s is not best)]

    def _speaks_of(
        self, speaker: Speaker, topic: str, retriever: Retriever, *, by_meaning: bool = True
    ) -> bool:
        """Whether any statement of the speaker is on the topic: its words hold one of the
        topic's, or (``by_meaning``) it is close to it in meaning (cosine ≥ ``TOPIC_COSINE``).
        A topic of no content words ("about it", "about that") refers back, and is not
        checked; nor is one the speaker's document opens with, in its title, standfirst or first
        paragraph ("What did the nurse say about the strike?" of a story on a bus strike: all
        she says there is)."""
        topic_terms = [t for t in retriever.query_terms(topic) if t not in _VAGUE]
        if not topic_terms:
            return True
        content = [  # not "isn't" or "really": words of no topic
            w
            for w in words(topic)
            if w not in STOPWORDS and len(w) > 2 and not w.endswith(("'t", "ly"))
        ]
        unknown = [  # "crime" is known to a corpus that writes "criminal"
            w
            for w in content
            if not retriever.vocabulary.knows(w) and not any(map(retriever.has_root_of, terms(w)))
        ]
        if len(unknown) >= 2 and 2 * len(unknown) >= len(content):
            # "about reintroducing beavers to the uplands": most of its words in no document
            # (one may be the asker's own: "what did he think about backing ICE"), unless the
            # speaker's words hold as many ("is this about cases involving an actual crime":
            # "when there's not an actual criminal act")
            theirs = set().union(*(terms(_what_is_said(s, retriever)) for s in speaker.statements))
            held = [w for w in content if any(same_root(t, s) for t in terms(w) for s in theirs)]
            if len(held) < len(unknown):
                return False
        vector = self._topic_vector(topic)
        for statement in speaker.statements:
            if retriever.coverage(topic_terms, terms(_what_is_said(statement, retriever))) > 0:
                return True
            if by_meaning and _statement_cosine(statement, vector, retriever) >= TOPIC_COSINE:
                return True
        # read last: the document's opening costs a scan of its rows
        if not by_meaning:
            return False
        opening = opening_terms(speaker.document, retriever)
        return all(any(same_root(t, o) for o in opening) for t in topic_terms)

    def _topic_closeness(self, topic: str, retriever: Retriever) -> Callable[[Statement], float]:
        """How close a statement is to a topic: cosine, plus the share of its words, plus the
        share of its adjacent word pairs its paragraph holds as pairs ("cities and states …
        opted out" is Pender's implode passage, not his "whatever else should happen", which
        only shares the rarest word)."""
        vector = self._topic_vector(topic)
        topic_terms = retriever.query_terms(topic)

        def closeness(statement: Statement) -> float:
            chunks = retriever.index.chunks
            text = " ".join(chunks[i].text for i in statement.chunk_ids)
            cosine = _statement_cosine(statement, vector, retriever)
            _, pairs = retriever.paragraph_match(tuple(topic_terms), statement.chunk_ids[0])
            asked = _what_it_answers(statement.chunk_ids[0], retriever)
            if asked is not None:  # an answer or a reply is on what it answers
                text = f"{chunks[asked].text} {text}"
                pairs = max(pairs, retriever.paragraph_match(tuple(topic_terms), asked)[1])
            return cosine + retriever.coverage(topic_terms, terms(text)) + pairs

        return closeness

    def _topic_vector(self, topic: str) -> npt.NDArray[np.float32]:
        """The topic's vector, made once however often an answer weighs statements by it."""
        cached = self._last_topic
        if cached is None or cached[0] != topic:
            cached = self._last_topic = (topic, self.embedder.encode_query(topic))
        return cached[1]

    @staticmethod
    def _introduction(speaker: Speaker, retriever: Retriever) -> Quote | None:
        """The paragraph that first names a speaker in full, when their first statement does
        not ("Judge Helen Marsh rejected that request …" around "She told Greaves:"; "For 31
        years, Ines Marlow has carried …" before her answers): who they are, as the document
        introduces them. None when the first statement names them."""
        if speaker.name is None or " " not in speaker.name:
            return None
        index, first = retriever.index, speaker.statements[0]
        statement_text = source_text(
            index.chunks.paragraph(first.chunk_ids[0]), first.start, first.end
        )
        if speaker.name in normalise_space(statement_text):
            return None
        start = int(np.searchsorted(index.columns.document, speaker.document, side="left"))
        rows = range(start, first.chunk_ids[-1] + 1)
        named = (r for r in rows if speaker.name in normalise_space(index.chunks[r].text))
        row = next(named, None)
        if row is None:
            return None
        return paragraph_quote(index, int(index.columns.group[row]), retriever.documents)

    def _context_answer(
        self,
        question: str,
        last: Turn,
        where: Literal["before", "after", "around", "itself"],
        retriever: Retriever,
    ) -> Answer:
        """The paragraph before or after the last answer's first quote; "around" it, its
        whole paragraph when the quote was a part of one, else the paragraphs on either side;
        "itself", its own paragraph, said by number ("Which paragraph is that in?")."""
        path, start, end = last.shown[0]
        index, documents = retriever.index, retriever.documents
        found = _paragraph_at(index, path, start)
        if found is None:  # the index was rebuilt since, without that document
            return no_answer(question, documents)
        number, group = found
        if where == "itself":
            quote = paragraph_quote(index, group, documents)
            message = paragraph_place_message(quote, documents[number])
            return _paragraphs_answer(question, (quote,), message, "high", last, documents)
        wanted = {"before": [group - 1], "after": [group + 1], "around": [group]}[where]
        if where == "around":
            paragraph = index.chunks.paragraph(index.columns.rows_of_group(group).start)
            if paragraph[0].start >= start and paragraph[-1].end <= end:  # shown whole
                wanted = [group - 1, group + 1]
        columns = index.columns
        there = [
            g
            for g in wanted
            if 0 <= g < len(columns.group_starts) - 1
            and int(columns.document[columns.rows_of_group(g).start]) == number
        ]
        if not there:
            return edge_of_document_answer(question, where, documents[number], documents)
        sides = ["before" if g < group else "after" if g > group else "whole" for g in there]
        quotes = tuple(paragraph_quote(index, g, documents) for g in there)
        # the text asked for, word for word
        message = context_message(sides)
        return _paragraphs_answer(question, quotes, message, "high", last, documents)

    def _said_before(self, question: str, last: Turn, retriever: Retriever) -> Answer:
        """The thread's speaker's words just before the passage last quoted: the start of the
        same statement when that passage began inside it, else their statement before it; that
        there is none, when it was the first."""
        assert last.speaker is not None
        path, start, _ = last.shown[0]
        speaker = self._speakers(retriever).of(last.speaker)
        documents = retriever.documents
        if speaker is None or documents[speaker.document].path != path:
            return no_earlier_turn_answer(question, documents)
        earlier = [s for s in speaker.statements if s.start < start]
        if not earlier:
            return nothing_earlier_answer(question, speaker, documents)
        statement = earlier[-1]
        if statement.end > start:  # the passage began inside this statement: its start
            statement = replace(statement, end=start)
        quote = statement_quote(statement, speaker, retriever)
        quote = replace(
            quote, text=quote.text.rstrip(), char_end=quote.char_start + len(quote.text.rstrip())
        )
        answer = Answer(
            question,
            answered=True,
            confidence="high",
            quotes=(quote,),
            message=said_before_message(speaker),
            documents=documents,
        )
        return _with_turn(answer, last.query)

    def _when_answer(self, question: str, last: Turn, retriever: Retriever) -> Answer:
        """ "When was that?": the passage of the last answer's first quote, or the nearest one
        before it in its document, that gives a date ("Meanwhile in a 10 May e-mail chain …"
        for the replies quoted after it); that the document does not say, when none does."""
        index, documents = retriever.index, retriever.documents
        found = _paragraph_at(index, *last.shown[0][:2])
        if found is None:  # the index was rebuilt since, without that document
            return no_answer(question, documents)
        number, group = found
        columns = index.columns
        for g in range(group, max(group - WHEN_LOOK_BACK, 0) - 1, -1):
            rows = columns.rows_of_group(g)
            document, kind = int(columns.document[rows.start]), int(columns.kind[rows.start])
            if document != number or kind != PASSAGE_KINDS.index("body"):
                break
            quote = paragraph_quote(index, g, documents)
            if gives_a_date(quote.text):
                # medium: the date nearest before it, which may be another statement's
                message = when_message(same=g == group)
                return _paragraphs_answer(question, (quote,), message, "medium", last, documents)
        return no_date_answer(question, documents[number], documents)

    def _reply_answer(
        self,
        question: str,
        text: str,
        conversation: Conversation,
        where: Literal["next", "before"],
        retriever: Retriever,
    ) -> Answer:
        """ "Who responded?": the first statement after the last answer's first passage by
        someone other than its speaker ("Did anyone else reply?": than any speaker the thread
        has quoted); "Who was he agreeing with?": the last one before it. The document's own
        order is all the text gives of who answers whom."""
        last = conversation.last
        assert last is not None and last.shown
        path, start, _ = last.shown[0]
        documents = retriever.documents
        number = next((n for n, d in enumerate(documents) if d.path == path), None)
        if number is None:  # the index was rebuilt since, without that document
            return no_answer(question, documents)
        turns = conversation.turns if re.search(r"\belse\b", text, re.IGNORECASE) else (last,)
        quoted = {_speaker_key(t.speaker) for t in turns if t.speaker is not None}
        said = sorted(
            (statement.start, n, statement, speaker)
            for n, speaker in enumerate(retriever.index.speakers_of(number))
            if _speaker_key(speaker.attribution) not in quoted
            for statement in speaker.statements
        )
        if where == "next":
            found = next((s for s in said if s[0] > start), None)
        else:
            found = next((s for s in reversed(said) if s[2].end <= start), None)
        if found is None:
            return no_reply_answer(question, where, documents[number], documents)
        _, _, statement, speaker = found
        answer = Answer(
            question,
            answered=True,
            confidence="high",  # the passage the document quotes there, word for word
            quotes=(statement_quote(statement, speaker, retriever),),
            message=reply_message(where, speaker),
            documents=documents,
        )
        return _with_turn(answer, last.query, speaker=speaker.attribution)

    def _reply_to(
        self,
        question: str,
        text: str,
        asked: tuple[Literal["next", "before"], str],
        retriever: Retriever,
    ) -> Answer | None:
        """ "Who responded to Morris?", "Who was Morris agreeing with?": as "Who responded?"
        after Morris's first statement; None when the roster has no one of that name."""
        where, who = asked
        speaker = self._speakers(retriever).find(who)
        if speaker is None or not speaker.statements:
            return None
        first = speaker.statements[0]
        path = retriever.documents[speaker.document].path
        turn = Turn(question, who, speaker.attribution, path, ((path, first.start, first.end),))
        return self._reply_answer(question, text, Conversation((turn,)), where, retriever)

    def _who_said_it(self, question: str, last: Turn, retriever: Retriever) -> Answer:
        """ "Who said that?" after an answer: the speaker its first quote is attributed to, with
        their role; or, for a passage no one is quoted saying, that it is the document's own."""
        documents = retriever.documents
        if last.speaker is not None:
            speaker = self._speakers(retriever).of(last.speaker)
            if speaker is None:  # the index was rebuilt since, without them
                return no_answer(question, documents)
            return self._speaker_answer(question, speaker, None, "who_is", frozenset(), retriever)
        meant = [d for d in documents if d.path == last.document]
        if not meant:  # the thread's document is no longer indexed
            return no_answer(question, documents)
        return own_words_answer(question, meant[0], documents)

    # --- the document itself ----------------------------------------------------------------

    def _overview(self, question: str, follow: FollowUp, retriever: Retriever) -> Answer:
        """How a document sums itself up, in its own words: its standfirst, and its opening
        paragraph when that says more. The document is the one whose title the question
        describes ("the bike lanes story"), else the one the thread's last answer quoted, else
        the only one; failing all three, the reply asks which."""
        documents = retriever.documents
        number = document_asked(question, follow, documents, retriever)
        if number is None and len(documents) == 1:
            number = 0
        if number is None:
            return which_document_answer(question, documents)
        quotes: list[Quoted] = []
        repeated: list[tuple[str, int, int]] = []  # said already, in other words' places
        for row in opening_rows(retriever.index, number):
            quoted = self._quoter.quote(retriever.index.chunks[row], [], retriever)
            if not any(overlaps(quoted, kept) for kept in quotes):
                quotes.append(quoted)
            else:
                quote = quoted.quote
                repeated.append((quote.document.path, quote.char_start, quote.char_end))
        if not quotes:  # a document with no passage to quote
            return no_answer(question, documents)
        title = documents[number].title
        summary = quotes[0].quote.passage == "standfirst"
        answer = Answer(
            question,
            answered=True,
            confidence="high" if summary else "medium",
            quotes=tuple(q.quote for q in quotes),
            message=f"How “{title}” sums itself up:" if summary else f"How “{title}” opens:",
            documents=documents,
        )
        # a follow-up is about the document ("tell me more": the passages nearest its title,
        # leaving out the opening the summary repeats), not whoever the summary quotes
        answer = _with_turn(answer, title, quoted=False)
        assert answer.turn is not None
        return replace(answer, turn=replace(answer.turn, shown=answer.turn.shown + tuple(repeated)))

    def _paragraph_answer(
        self, question: str, text: str, place: int, follow: FollowUp, retriever: Retriever
    ) -> Answer:
        """A body paragraph asked for by its place ("the first", "the last", "paragraph 3"),
        whole, of the document described, else the thread's, else the only one; failing all
        three, the reply asks which."""
        documents = retriever.documents
        number = document_asked(text, follow, documents, retriever)
        if number is None and len(documents) == 1:
            number = 0
        if number is None:  # "How does the article about the FBI e-mails end?": its words
            number = self._document_about(text, retriever)
        if number is None:
            return which_document_answer(question, documents)
        index = retriever.index
        columns = index.columns
        rows = columns.rows_of_document(number)
        rows = rows[columns.kind[rows] == PASSAGE_KINDS.index("body")]
        groups = list(dict.fromkeys(int(g) for g in columns.group[rows]))
        document = documents[number]
        if not -len(groups) <= (place - 1 if place > 0 else place) < len(groups):
            return no_such_paragraph_answer(question, place, len(groups), document, documents)
        quote = paragraph_quote(index, groups[place - 1 if place > 0 else place], documents)
        answer = Answer(
            question,
            answered=True,
            confidence="high",
            quotes=(quote,),
            message=paragraph_message(place, len(groups), document),
            documents=documents,
        )
        return _with_turn(answer, question)

    def _paragraph_starting(self, question: str, opening: str, retriever: Retriever) -> Answer:
        """The paragraphs that begin with these words, whole (the closest first); else that
        none does."""
        wanted = " ".join(words(opening))
        if not terms(opening):  # "The", "Of the": in nearly every paragraph
            return no_paragraph_starting_answer(
                question, opening, retriever.documents, too_common=True
            )
        hits = self._search(opening, retriever, k=10)
        index, documents, quotes = retriever.index, retriever.documents, []
        for group in dict.fromkeys(int(index.columns.group[hit.row]) for hit in hits):
            quote = paragraph_quote(index, group, documents)
            if " ".join(words(quote.text)).startswith(wanted):
                quotes.append(quote)
        if not quotes:
            return no_paragraph_starting_answer(question, opening, documents, too_common=False)
        answer = Answer(
            question,
            answered=True,
            confidence="high",
            quotes=tuple(quotes[: self.settings.max_quotes]),
            message=starting_message(opening, len(quotes)),
            documents=documents,
        )
        return _with_turn(answer, opening)

    def _update_at(
        self, question: str, stamp: str, text: str, retriever: Retriever
    ) -> Answer | None:
        """A live page's entry headed by a time ("15:10 — Trains suspended …"): its heading
        and the paragraph after it, whole; None when no paragraph the search finds opens with
        that time."""
        hits = self._search(f"{stamp} {text}", retriever, k=20)
        index, documents = retriever.index, retriever.documents
        starts = index.columns.group_starts
        opening = re.compile(rf"\s*0?{re.escape(stamp).replace(':', '[:.]')}\b")
        for group in dict.fromkeys(int(index.columns.group[hit.row]) for hit in hits):
            heading = paragraph_quote(index, group, documents)
            if not opening.match(heading.text):
                continue
            quotes = [heading]
            if group + 2 < len(starts):
                after = paragraph_quote(index, group + 1, documents)
                if after.document == heading.document and not _CLOCK_OPENS.match(after.text):
                    quotes.append(after)
            answer = Answer(
                question,
                answered=True,
                confidence="high",
                quotes=tuple(quotes),
                message=f"The {stamp} entry of “{heading.document.title}”:",
                documents=documents,
            )
            return _with_turn(answer, heading.text)
        return None

    def _document_about(self, text: str, retriever: Retriever) -> int | None:
        """The document a question describes by what it is about ("the article about the FBI
        e-mails"): the one its best passage is in, when the gate finds one that answers."""
        about = _ABOUT_WHAT.search(text)
        return (
            None if about is None else self._document_on(about["what"] or about["what2"], retriever)
        )

    def _document_on(self, topic: str | None, retriever: Retriever) -> int | None:
        """The document whose passage the gate finds answers ``topic`` best ("football match"
        for the story headed "Vasquez double sends Eastmoor Rovers into cup final"), if any."""
        if not topic:
            return None
        hits = self._search(topic, retriever, k=10)
        verdict = self._gate.judge(topic, hits)
        return None if verdict.lead is None else verdict.lead.chunk.document

    def _overviews(self, question: str, retriever: Retriever) -> Answer:
        """ "What are the articles about?": the first passage each document opens with (its
        standfirst, else its opening paragraph), for as many documents as a reply quotes."""
        documents = retriever.documents
        quotes: list[Quoted] = []
        covered = 0  # documents looked at: one with no passage to quote is left out
        while covered < len(documents) and len(quotes) < self.settings.max_quotes:
            rows = opening_rows(retriever.index, covered)
            if rows:
                quotes.append(self._quoter.quote(retriever.index.chunks[rows[0]], [], retriever))
            covered += 1
        if not quotes:
            return no_answer(question, documents)
        answer = Answer(
            question,
            answered=True,
            confidence="high",
            quotes=tuple(q.quote for q in quotes),
            message=overviews_message(covered, len(documents)),
            documents=documents,
        )
        return _with_turn(answer, question, quoted=False)

    def _mentions(
        self, question: str, subject: str, retriever: Retriever, *, document: int | None = None
    ) -> Answer:
        """ "Does the article mention Chicago?": the passages that hold every word of it (as
        searched, stems and all), the closest first, of the ``document`` the question names if
        it names one; or that none does."""
        wanted = set(terms(subject))
        quotes = self._quotes_holding(
            subject,
            lambda text: wanted <= term_set(text),
            list(wanted),
            retriever,
            document=document,
        )
        if not quotes:
            return no_mention_answer(question, subject, retriever.documents)
        return _with_turn(_holding_answer(question, quotes, retriever), subject)

    def _with_words(self, question: str, phrase: str, retriever: Retriever) -> Answer | None:
        """The passages that hold a phrase word for word (case, punctuation and quotation marks
        aside: "tough one" is in "“This is a tough one,” responded …"), each quoted around it,
        the closest first; None when no passage does (the words may be the asker's own, not
        the text's: the question is then searched as usual)."""
        wanted = f" {' '.join(words(phrase))} "

        def holds(text: str) -> bool:
            return wanted in f" {' '.join(words(text))} "

        quotes = self._quotes_holding(phrase, holds, terms(phrase), retriever)
        if not quotes:
            return None
        return _with_turn(_holding_answer(question, quotes, retriever), phrase)

    def _quotes_holding(
        self,
        search: str,
        holds: Callable[[str], bool],
        query_terms: list[str],
        retriever: Retriever,
        *,
        document: int | None = None,
    ) -> list[Quoted]:
        """Quotes of the passages a search finds whose text ``holds`` what was asked for, cut
        around it (the quote holding it too), the closest first, none repeating another; of
        one ``document`` only when given (read through when the search finds none there)."""
        hits = self._search(search, retriever, k=10)
        found = [
            (h.chunk, h.score) for h in hits if document is None or h.chunk.document == document
        ]
        if document is not None and not any(holds(chunk.text) for chunk, _ in found):
            rows = retriever.index.columns.rows_of_document(document)
            found = [(retriever.index.chunks[int(row)], 0.0) for row in rows]
        quotes: list[Quoted] = []
        for chunk, score in found:
            if len(quotes) == self.settings.max_quotes:
                break
            if not holds(chunk.text):
                continue
            made = self._quoter.quote(chunk, query_terms, retriever)
            quoted = Quoted(made.quote, made.words, score)
            if holds(quoted.quote.text) and not any(overlaps(quoted, kept) for kept in quotes):
                quotes.append(quoted)
        return quotes

    def _spelled_out(
        self, question: str, abbreviation: str, hits: list[Hit], retriever: Retriever
    ) -> Answer | None:
        """ "What does ICE stand for?": the passage among the hits that spells it out beside
        it ("ICE [Immigration and Customs Enforcement]"), else (three letters or more) one
        whose capitalised words have its initials ("a Freedom of Information Act request");
        quoted. None when none does."""
        passes = (True, False) if len(abbreviation) >= 3 else (True,)
        for beside, hit in ((beside, hit) for beside in passes for hit in hits):
            chunk = hit.chunk
            span = spelled_out(abbreviation, chunk.text, beside=beside)
            if span is None:
                continue
            words = chunk.text[span[0] : span[1]]
            quoted = self._quoter.quote(chunk, terms(f"{abbreviation} {words}"), retriever)
            if words in quoted.quote.text:
                return Answer(
                    question,
                    answered=True,
                    confidence="high",
                    quotes=(replace(quoted.quote, score=hit.score),),
                    documents=retriever.documents,
                )
        return None

    # --- quotes ------------------------------------------------------------------------------

    def _quoted_answer(self, question: str, text: str, hits: list[Hit], gate: Gate) -> Answer:
        retriever = gate.retriever
        verdict = gate.judge(text, hits, typed=question)
        if verdict.lead is None:
            return no_answer(question, retriever.documents, missing=verdict.missing)
        query_terms = terms(text)
        best = verdict.lead.score
        quotes: list[Quoted] = []
        repeats = Repeats(retriever)
        for hit in [verdict.lead, *(h for h in hits if h is not verdict.lead)]:
            if len(quotes) == self.settings.max_quotes:
                break
            if quotes and hit.score < best * self.policy.extra_quote_ratio:
                break
            if repeats.quoted(hit.row):
                continue  # its quote would repeat a kept one word for word: no need to cut it
            quoted = self._quote(hit, query_terms, retriever)
            if any(overlaps(quoted, kept) for kept in quotes):
                continue  # a passage already quoted says nothing of the ones after it
            if quotes and not gate.answers(text, hit, hits):
                break
            quotes.append(quoted)
            repeats.kept(hit.row, quoted)
        if asks_for_a_view(text):
            quotes = self._own_words_first(text, verdict.lead, quotes, retriever)
        return Answer(
            question=question,
            answered=True,
            confidence=self._confidence(verdict, hits),
            quotes=tuple(replace(q.quote, score=q.score) for q in quotes),
            documents=retriever.documents,
        )

    def _own_words_first(
        self, text: str, lead: Hit, quotes: list[Quoted], retriever: Retriever
    ) -> list[Quoted]:
        """For "what's the residents' chair's complaint?", "how's the CEO responding?": when the
        passage found tells what someone said in the reporter's words ("Olawale … said many of
        her neighbours supported a bridge …") and the paragraph beside it gives it in their own
        (“… nobody asked us where it should go,” Olawale said.), their own words first, then
        the reporter's (`own_words_beside`, `asks_for_own_words`)."""
        own = own_words_beside(quotes[0].quote, lead.row, retriever)
        if own is None or not asks_for_own_words(text, quotes[0], own):
            return quotes
        mine = Quoted(own.quote, own.words, quotes[0].score)
        rest = [q for q in quotes[1:] if not overlaps(q, mine)]
        return [mine, quotes[0], *rest][: self.settings.max_quotes]

    def _confidence(self, verdict: Verdict, hits: list[Hit]) -> Confidence:
        top = verdict.lead
        assert top is not None
        same = Repeats(self._retriever).same_passage
        rivals = (h for h in hits if h is not top and not same(top, h))
        rival = next(rivals, None)
        margin = top.score - (rival.score if rival is not None else 0.0)
        policy = self.policy
        if (
            margin >= policy.high_margin
            and top.dense >= policy.high_dense
            and verdict.probability >= self._gate.model.high
        ):
            return "high"
        if margin >= policy.medium_margin or top.dense >= policy.medium_dense:
            return "medium"
        return "low"

    def _quote(self, hit: Hit, query_terms: list[str], retriever: Retriever) -> Quoted:
        """The hit's best sentence, widened with its neighbours in the paragraph."""
        quoted = self._quoter.quote(hit.chunk, query_terms, retriever)
        return Quoted(quoted.quote, quoted.words, hit.score)

    def _prepare(self, query: str, gate: Gate, rows: list[int]) -> None:
        """While the question is embedded: what the gate asks of the question alone, the quotes
        of its best lexical candidates, and the words their duplicate checks compare."""
        retriever = gate.retriever
        gate.missing_names(query)
        retriever.corpus_coverage(retriever.query_terms(query))
        query_terms = terms(query)
        chunks = retriever.index.chunks
        for row in rows:
            chunk = chunks[row]
            self._quoter.quote(chunk, query_terms, retriever)
            chunk_words(chunk)

    # --- edges -------------------------------------------------------------------------------

    def _reload_if_rebuilt(self) -> None:
        """Swap in a new build when `index build` has re-pointed `current` (checked ≤ 1/s)."""
        now = time.monotonic()
        if now < self._next_check or not self._reload_lock.acquire(blocking=False):
            return
        try:
            self._next_check = now + RELOAD_CHECK_SECONDS
            live = os.path.realpath(self.settings.index_dir / CURRENT)
            if live != str(self._retriever.index.directory):
                index = load_index(self.settings.index_dir, model=self.settings.model)
                self._gate = Gate(Retriever(index), self._gate.model)
                logger.info("index reloaded from %s", index.directory)
        except BotError as error:
            logger.warning("index reload skipped: %s", error)
        finally:
            self._reload_lock.release()


def _acronyms_spelled_out(query: str, hits: list[Hit], retriever: Retriever) -> str | None:
    """The query with each acronym that the corpus never writes, but spells out, replaced by
    the words a hit spells it with ("CJIS": "Criminal Justice Information Services"); None
    when there is no such acronym, or no hit spells it out."""
    vocabulary, spelled = retriever.vocabulary, query
    for acronym in question_acronyms(query):
        if vocabulary.has_word(words(acronym)[0]) or not vocabulary.has_initials(acronym):
            continue
        for text in (hit.chunk.text for hit in hits):
            span = spelled_out(acronym, text) or spelled_out(acronym, text, beside=False)
            if span is not None:
                long_form = text[span[0] : span[1]].replace("\\", "\\\\")  # a template
                spelled = re.sub(rf"\b{re.escape(acronym)}\b", long_form, spelled)
                break
    return None if spelled == query else spelled


def _what_it_answers(row: int, retriever: Retriever) -> int | None:
    """The row of what a statement answers: an interview's question (`_question_answered`), or
    the paragraph before a reply ("“I agree,” replied Stephen L. Morris, …" is on what the
    official before him wrote); None for any other."""
    asked = _question_answered(row, retriever)
    if asked is not None:
        return asked
    columns = retriever.index.columns
    group = int(columns.group[row])
    if group == 0 or not _REPLY.search(retriever.index.chunks[row].text):
        return None
    before = int(columns.group_starts[group - 1])
    same = int(columns.document[before]) == int(columns.document[row])
    return before if same else None


_REPLY = re.compile(
    r"\b(?:replied|responded|answered|retorted|countered|agreed|wrote\s+back|hit\s+back)\b"
)
_THE_WRITER = frozenset(
    "critic reviewer writer author columnist reporter journalist correspondent".split()
)
"""Who a question may mean by a piece's own voice ("what did the critic think of …?")."""
_VAGUE = frozenset(
    terms(
        "mess thing things stuff whole entire situation issue issues business saga affair "
        "matter matters debate controversy row news story announcement results findings "
        "figures outcome decision ruling verdict"
    )
)
"""Words that name a topic without saying what it is ("the opt out mess", "the whole
affair"), or name the event a story reports ("the results", "the verdict"), which every
statement in it is on: the rest of the topic is what a statement must be on."""


def _question_answered(row: int, retriever: Retriever) -> int | None:
    """For the first chunk of an interview's answer, the row of the interviewer's question just
    before it (`Retriever.answered_by` leads from it to the answer); None for any other."""
    columns = retriever.index.columns
    group = int(columns.group[row])
    if group == 0 or int(columns.group_starts[group]) != row:
        return None
    asked = int(columns.group_starts[group - 1])
    return asked if retriever.answered_by(retriever.index.chunks[asked]).id == row else None


_ABOUT_IT = re.compile(r"\babout\s+(?:it|that|this|them|those|these)\W*$", re.IGNORECASE)


def _earlier_subject(
    text: str, speaker: Speaker, conversation: Conversation | None, retriever: Retriever
) -> str | None:
    """What "about it" means in "what did Lyle say about it?": the thread's last question,
    when that asked of a subject ("How big is the share buyback?"), not of the speaker alone
    ("what did Lyle say?"); None otherwise."""
    last = conversation.last if conversation is not None else None
    if last is None or not _ABOUT_IT.search(text):
        return None
    named = set(terms(f"{speaker.name or ''} {speaker.role or ''}"))
    subject = [t for t in retriever.query_terms(last.query) if t not in named]
    return last.query if subject else None


def _refers_back_only(question: str) -> bool:
    """A follow-up that means nothing without an earlier answer: "What else?", "Who said
    that?", "What did he say?" (a pronoun and no topic; "What did they say about T?" is
    searched for T)."""
    if asks_for_more(question) or asks_who_said_it(question):
        return True
    about = about_speaker(question)
    return about is not None and about.topic is None and is_pronoun(about.who)


def _where_unknown(asked: AboutSpeaker | None, vocabulary: Vocabulary) -> str | None:
    """A word of where a thing was said ("in the bakery case", "in the Lund interview") that
    no document has, but for the word for the occasion itself ("case"); None when each is
    known, or the question says no where."""
    if asked is None or not asked.where:
        return None
    said_in = [w for w in words(asked.where) if w not in STOPWORDS][:-1]
    return next((w for w in said_in if not w.isdigit() and not vocabulary.knows(w)), None)


def _all_shown(
    speaker: Speaker, retriever: Retriever, shown: frozenset[tuple[str, int, int]]
) -> bool:
    path = retriever.documents[speaker.document].path
    return all((path, s.start, s.end) in shown for s in speaker.statements)


_QUOTATION_MARK = re.compile(r"[“”\"]")


def _speaker_key(attribution: Attribution) -> str:
    """Who a speaker is, as the roster tells them apart: by name, else by description."""
    return (attribution.speaker or attribution.role or "").lower()


def _what_is_said(statement: Statement, retriever: Retriever) -> str:
    """A statement's words, after what it answers when it is an answer or a reply (it is on
    that)."""
    paragraph = retriever.index.chunks.paragraph(statement.chunk_ids[0])
    said = source_text(paragraph, statement.start, statement.end)
    asked = _what_it_answers(statement.chunk_ids[0], retriever)
    return said if asked is None else f"{retriever.index.chunks[asked].text} {said}"


def _says_what_is_asked(speaker: Speaker, question: str, retriever: Retriever) -> bool:
    """Whether a paragraph the speaker is quoted in holds what any answer to the question must
    (`gate.holds_what_is_asked`: "what did Kraut say about how much it costs" needs a price)."""
    chunks = retriever.index.chunks
    return any(
        holds_what_is_asked(question, " ".join(c.text for c in chunks.paragraph(s.chunk_ids[0])))
        for s in speaker.statements
    )


def _holding_answer(
    question: str, quotes: list[Quoted], retriever: Retriever, confidence: Confidence = "high"
) -> Answer:
    """The quotes as the answer ("high" by default: each holds what was asked for)."""
    return Answer(
        question,
        answered=True,
        confidence=confidence,
        quotes=tuple(replace(q.quote, score=q.score) for q in quotes),
        documents=retriever.documents,
    )


def _initials_written_out(query: str, hits: list[Hit], retriever: Retriever) -> str | None:
    """The query with initials the corpus never writes but whose words it does ("SC": "Secure
    Communities") written as those words, found in a document's title or, for three letters or
    more, in a passage found; None when it has none. A search for the letters alone finds no
    passage by its words."""
    vocabulary = retriever.vocabulary
    written = query
    for typed in dict.fromkeys(_TYPED_ACRONYM.findall(query)):
        letters = typed.lower()
        if vocabulary.has_acronym(letters) or not vocabulary.has_initials(letters):
            continue
        texts = [d.title for d in retriever.documents]
        if len(letters) >= 3:
            texts += [hit.chunk.text for hit in hits]
        for text in texts:
            span = spelled_out(typed, text, beside=False)
            if span is not None:
                written = re.sub(rf"\b{typed}\b", text[span[0] : span[1]], written)
                break
    return None if written == query else written


_TYPED_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def _not_led_again(text: str, hits: list[Hit], last: Turn, retriever: Retriever) -> list[Hit]:
    """For a follow-up about the last answer's subject (`FollowUp.fresh`): the hits without the
    passage that answer led with, which the earlier question's words find first again ("who
    pushed for it?" after the council's approval of the bridge). Kept when it has the
    follow-up's own words ("who obtained them?" of e-mails "obtained through a … request by a
    coalition …") or the time or number asked ("when is it due?"): news packs a paragraph.
    When no other passage answers, the caller lets it answer again ("who runs it?"). A question
    for something else ("what else were they worried about?") never keeps it."""
    led = frozenset(last.shown[: last.led])
    again = [h for h in hits if _already_shown(h.chunk, retriever, led)]
    if not again:
        return hits
    if asks_for_something_else(text):
        return [h for h in hits if h not in again] or hits
    paragraph = retriever.index.chunks.paragraph(again[0].chunk.id)
    own = {form for term in retriever.query_terms(text) for form in verb_forms(term)}
    if own & set().union(*map(chunk_words, paragraph)):  # "who is paying …?": "paid for by …"
        return hits
    typed = asks_for_a_time(text) or asks_for_a_number(text) or asks_for_money(text)
    if typed and holds_what_is_asked(text, " ".join(chunk.text for chunk in paragraph)):
        return hits
    return [h for h in hits if h not in again] or hits


def _already_shown(
    chunk: Chunk, retriever: Retriever, shown: frozenset[tuple[str, int, int]]
) -> bool:
    path = retriever.documents[chunk.document].path
    return any(p == path and s < chunk.end and chunk.start < e for p, s, e in shown)


def _with_turn(
    answer: Answer,
    query: str,
    *,
    speaker: Attribution | None = None,
    quoted: bool = True,
    led: int = 1,
) -> Answer:
    """The answer with what a follow-up may refer back to: the query, the speaker (the one
    asked about, else the first quote's unless ``quoted`` is false), the document and the
    passages shown, of which the first ``led`` were the answer itself (`Turn.led`)."""
    if not answer.quotes:
        return answer
    first = answer.quotes[0]
    turn = Turn(
        question=answer.question,
        query=query,
        speaker=speaker or (first.attribution if quoted else None),
        document=first.document.path,
        shown=tuple((q.document.path, q.char_start, q.char_end) for q in answer.quotes),
        led=led,
    )
    return replace(answer, turn=turn)


def _statement_cosine(
    statement: Statement, vector: npt.NDArray[np.float32], retriever: Retriever
) -> float:
    """The cosine of a vector with the closest of a statement's chunks."""
    vectors = retriever.index.vectors
    return max(float(np.asarray(vectors[i]) @ vector) for i in statement.chunk_ids)


def _paragraph_at(index: StoredIndex, path: str, char: int) -> tuple[int, int] | None:
    """(document number, paragraph group) of the passage holding a character of a document,
    found by halving its rows (the chunker numbers a document's chunks in reading order)."""
    number = next((i for i, d in enumerate(index.documents) if d.path == path), None)
    if number is None:
        return None
    rows = index.columns.rows_of_document(number)
    low, high = 0, len(rows) - 1
    while low < high:  # the last row starting at or before ``char``
        middle = (low + high + 1) // 2
        if index.chunks[int(rows[middle])].start <= char:
            low = middle
        else:
            high = middle - 1
    if not len(rows) or index.chunks[int(rows[low])].start > char:
        return None
    return number, int(index.columns.group[int(rows[low])])


def _paragraphs_answer(
    question: str,
    quotes: tuple[Quote, ...],
    message: str,
    confidence: Confidence,
    last: Turn,
    documents: tuple[Document, ...],
) -> Answer:
    """Whole paragraphs read off the document about the last answer's quote (its context, or
    the passage that dates it), which the thread then goes on from."""
    answer = Answer(
        question,
        answered=True,
        confidence=confidence,
        quotes=quotes,
        message=message,
        documents=documents,
    )
    return _with_turn(answer, last.query)


_THAT = re.compile(r"\bthat\b", re.IGNORECASE)
_CLOCK_OPENS = re.compile(r"\s*(?:[01]?\d|2[0-3])[:.][0-5]\d\b")
"""A paragraph opening with a time: a live page's next entry."""
_INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069\x00]"
)
"""Characters that take no room: zero-width spaces and joiners, a byte-order mark, a soft
hyphen, marks that set the direction of text and a NUL (pasted with text, or sent alone)."""


def _qualified(described: str, kind: str, speaker: Speaker, title: str = "") -> bool:
    """Whether a speaker of the kind asked for is the one described: each other word of the
    description is in their role or name ("the historian" of a professor; not "the ship's
    master" of the harbour master), or in the ``title`` of the story quoting them ("the
    Brightwell chief executive" is "the company's chief executive" in the Brightwell story)."""
    known = set(words(f"{speaker.name or ''} {speaker.role or ''} {title}"))
    asked = [w.removesuffix("s") for w in words(described) if w not in STOPWORDS and w != kind]
    return all(any(k.startswith(w) for k in known) for w in asked if w and w != "s")


_ABOUT_WHAT = re.compile(
    r"\b(?:article|story|piece|document|report|post|column|obituary|blog)\s+(?:about|on)\s+"
    r"(?P<what>[^?]{3,120}?)\s+(?:end|finish|close|conclude|begin|start|open|say|said)\b"
    r"|\b(?:article|story|piece|document|report|post|column|obituary|blog)\s+(?:about|on)\s+"
    r"(?P<what2>[^?]{3,120}?)\W*$",
    re.IGNORECASE,
)
"""What a question says a document is about ("the article about the FBI e-mails")."""
_SLACK_MEMBER = re.compile(r"@[UW][A-Z0-9]{6,}\b")
"""A Slack member mentioned in a question, as the Slack app passes it on ("@U024BE7LH")."""
_AS_A_PERSON = (
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+{name}\b"
    r"|\b{name},\s+(?:\d{{1,3}},|(?:a|an|the|who|his|her|their)\b)"
    r"|\b(?i:the|a|an|his|her|their)\s+[\w’' -]{{1,40}},\s+{name}\b"
    # "their centre-back Ollie Brannigan", "chairman Michael Grieve"
    r"|\b(?i:the|a|an|his|her|their|its)\s+(?:[a-z][\w’'-]*\s+){{1,3}}{name}\b"
    # "played with weathered stillness by Lucía Ferrand", "starring Iria Somoza"
    r"|\b(?:played|directed|written|performed|voiced|sung|composed|narrated)\s+"
    r"(?:[\w’' -]{{0,40}}\s)?by\s+{name}\b|\bstarring\s+{name}\b)"
)
"""How a text gives a name as a person's: a courtesy title, an age or a description beside it."""


_POSSESSOR = re.compile(r"^(?P<owner>.+?)[’']s\s+(?:[\w-]+\s+){0,2}[\w-]+\s*$")


def _named_possessor(described: str) -> bool:
    """Whether a description names whose person it is, by a name ("Ernest Baptiste's wife",
    "Harland Maintenance's chief executive", "ICE's director"; not "the company's chief
    executive")."""
    found = _POSSESSOR.match(described.strip())
    return found is not None and any(w[:1].isupper() for w in found["owner"].split())


def _given_name_fits(phrase: str, speaker: Speaker) -> bool:
    """Whether a phrase naming someone by given name and surname can mean this speaker: the
    given name's initial is one of the speaker's name ("Steve Morris" of Stephen L. Morris; not
    "Tom Harrow" of Andrew Harrow)."""
    named = full_name(phrase)
    if named is None or not speaker.name:
        return True
    return any(w[0] == named.split()[0][0].lower() for w in words(speaker.name))
