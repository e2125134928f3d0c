"""Threads are conversations: what a follow-up question refers back to.

A `Conversation` is the last few `Turn`s of a thread (bounded in number). Each face keeps it its
own way — the terminal chat in memory, `ask --json -` per `"thread"` id, Slack in the metadata
of the bot's own replies, read back with `conversations.replies` — and passes it to
`Answerer.answer`, which reads the new question against it with `follow_up`.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.attribution import described_pronoun
from bot.records import Answer, Attribution, Turn

MAX_TURNS = 10
"""Turns kept per conversation: follow-ups refer to the last one or two."""
MAX_THREADS = 1_000
"""Conversations `ask --json -` keeps at once (the least recently used is forgotten)."""

_MORE = re.compile(
    r"^(?:and\s+|so\s+|ok(?:ay)?,?\s+)?(?:what|anything|who)\s+else(?:\s+(?:did|does|has|had)\s+"
    r"(?:he|she|they)\s+(?:say|said|write|written|add|added|mention|mentioned)"
    # "anything else he wrote?"
    r"|\s+(?:he|she|they)\s+(?:said|says|wrote|writes|added|adds|mentioned)"
    r"|\s+(?:from|by)\s+(?:him|her|them))?\s*\??$"
    r"|^(?:tell me |give me |show me )?more(?:\s+(?:from|by)\s+(?:him|her|them))?\s*\??$"
    r"|^(?:go on|continue|keep going|next)\s*[.!?]*$",
    re.IGNORECASE,
)
_THAT_PERSON = (
    r"(?:that|this)\s+(?:guy|man|woman|person|official|fellow|gentleman|lady|dude|chap|one)"
)
"""A person the thread has just quoted, named by pointing ("where's that guy based?")."""
_PRONOUN = re.compile(rf"^(?:he|she|they|him|her|them|{_THAT_PERSON})$", re.IGNORECASE)
_OTHER = re.compile(
    r"^(?:and|what about|how about)?\s*(?:the\s+)?other\s+(?P<who>[\w’' -]+?)"
    r"(?:\s+(?:in|from)\s+(?:the|this|that)\s+(?:story|article|piece|e-?mails?|chain))?\s*\??$",
    re.IGNORECASE,
)
_OTHER_SAID = re.compile(
    r"^(?:and|so|ok(?:ay)?)?,?\s*what\s+(?:did|does|do|has)\s+(?:the\s+)?other\s+"
    r"(?P<who>[\w’' -]+?)\s+(?:say|said|think|write|wrote|reply|replied|add|added)\b\W*$",
    re.IGNORECASE,
)
"""What another one said: "and what did the other assistant director say?" (as `_OTHER`)."""
_SAME_JOB_ELSE = re.compile(
    r"\b(?:any(?:one|body)|some(?:one|body)|who)\s+else\b.*\bsame\s+(?:job(?:\s+title)?|title"
    r"|role|position|post)\b",
    re.IGNORECASE,
)
"""Someone else with the last speaker's job ("Does anyone else in that article have the same
job title?")."""
_SAME_PLACE_ELSE = re.compile(
    r"\b(?:any(?:one|body)|some(?:one|body)|who)\s+else\b.*\b(?:from|in|at|of)\s+(?:that|the\s+same"
    r"|this|his|her|their)\s+(?:division|office|department|team|unit|agency|club|company|firm"
    r"|union|organi[sz]ation|side|group|bureau|council|school|hospital|station|university)\b",
    re.IGNORECASE,
)
"""Someone else from the last speaker's organisation ("anyone else from that division
quoted?")."""
SAME_PLACE = "another from the same place"
"""`FollowUp.other_phrase` for `_SAME_PLACE_ELSE`."""
_FRAGMENT = re.compile(
    r"^(?:and\s+)?(?:under|by|in|on|at|for|from|with|since|after|before|during|to|through|"
    r"against|about)\s+(?:what|which|whom|who|how|when|where)(?:\s+[\w’'-]+){0,3}\s*\??$"
    # "To find out what?", "in order to do what?"
    r"|^(?:and\s+)?(?:in\s+order\s+)?to\s+(?:[\w’'-]+\s+){1,3}(?:what|which|whom|who|where)\s*\??$"
    # "Like what?", "Such as?", "Meaning what?"
    r"|^(?:and\s+)?(?:like|such\s+as|meaning|namely|for\s+(?:example|instance))"
    r"(?:\s+(?:what|who|which|where))?\s*\??$",
    re.IGNORECASE,
)
"""A question that is only a phrase ("Under which law?", "By whom?", "In what year?", "To
find out what?", "Like what?"): it completes the earlier one."""
_WHAT_ABOUT = re.compile(
    r"^(?:and\s+|so\s+)?(?:what|how)\s+about\s+(?P<what>[\w’'.-]+(?:\s+[\w’'.-]+){0,4}?)\s*\??$"
    r"|^and\s+(?!(?:what|who|whom|whose|when|where|why|how|which|did|does|do|is|are|was|were"
    r"|can|could|will|would|should|has|have|had)\b)(?P<what2>[\w’'.-]+(?:\s+[\w’'.-]+){0,3}?)"
    r"\s*\??$",
    re.IGNORECASE,
)
"""A question that swaps what the earlier one was about: "What about Lin?", "And the clinic?"."""
_PERSON = re.compile(
    rf"\b(?P<word>he|she|him|his|hers|her|{_THAT_PERSON})\b(?P<gap>\s+(?=(?P<next>(?!(?:and|or|to|that|if|about|"
    r"in|on|at|for|from|with|by|as|than|so|then|say|said)\b)[a-z]+)))?",
    re.IGNORECASE,
)
"""A pronoun for a person (with, after "her", whether a noun follows: "her job" is hers)."""
_REFERS_BACK = re.compile(
    r"\b(?:he|she|they|him|her|them|his|hers|their|it|its|that|this|those|these|there|then|"
    r"else|other|why|how come|same)\b",
    re.IGNORECASE,
)

_WHY = re.compile(
    r"^\W*(?:(?:and|so|but|ok|okay|hmm|wait|really)\W+)?"
    r"(?:why|how\s+come|how\s+so|for\s+what\s+reason|what\s+for"
    r"|what(?:['’]?s|\s+is|\s+was|\s+were)\s+(?:the\s+)?(?:reason|reasoning|cause|motive)s?"
    r"|(?:any\s+idea|do\s+(?:you|we)\s+know|does\s+it\s+say|do\s+they\s+say|did\s+(?:he|she|they)"
    r"\s+say|is\s+there\s+a\s+reason)\s+why)(?![\w’'])(?P<rest>[^?]*)\??\W*$",
    re.IGNORECASE,
)
"""A question asking why, or for the reason ("how come?", "what was the reason?")."""
_BACK = re.compile(
    r"\b(?:he|she|they|him|her|them|his|hers|their|it|its|that|this|those|these|so)\b",
    re.IGNORECASE,
)
"""Words of a why-question that point back at what was quoted ("why did they want that?")."""
_ONLY_FILLER = re.compile(
    r"\b(?:though|tho|then|exactly|again|for|behind|of|is|was|were|are|did|does|do|be)\b",
    re.IGNORECASE,
)
_CONTENT_WORD = re.compile(r"\w")
_POINTING = re.compile(
    _BACK.pattern + r"|\b(?:says?|said|think|thinks|thought|believes?|believed|feels?|felt"
    r"|wants?|wanted|means?|meant|write|writes|wrote|would|could|should|will|might|can|has|have"
    r"|had|do|happen|happened|need|needed|way|one|like|doing|go|went|much|many|such|very"
    r"|really|an?|the)\b",
    re.IGNORECASE,
)
"""The words of a why-question that only point back (pronouns, verbs of saying and wanting):
what is left, if anything, names what it asks about."""
_WORD = re.compile(r"[^\W\d_]{2,}")

_ELSE = re.compile(r"\b(?:what|anything|something)\s+else\b", re.IGNORECASE)
"""Something besides what was shown ("what else were officials worried about?"): the passage
just shown must not lead again (not "who else", which may be in it: "who else was on that
chain?")."""
_THE_SUBJECT = re.compile(r"\b(?:it|its|they|them|their|there)\b", re.IGNORECASE)
"""Words for what the earlier answer was about: "who pushed for it?"."""
_THE_PASSAGE = re.compile(
    r"\b(?:that|this|those|these|then|why|same|said|say|says|mean|means|meant)\b|\bhow\s+come\b",
    re.IGNORECASE,
)
"""Words for the passage shown, or what it says ("who said that?", "when was this?", "why?",
"what does it mean?"): the same passage may answer again."""


@dataclass(frozen=True)
class Conversation:
    """The turns of one thread so far, oldest first."""

    turns: tuple[Turn, ...] = ()

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def then(self, answer: Answer) -> Conversation:
        """The conversation with this answer's turn added (the oldest dropped past the limit)."""
        if answer.turn is None:
            return self
        return Conversation((*self.turns, answer.turn)[-MAX_TURNS:])

    def shown(self) -> frozenset[tuple[str, int, int]]:
        """Every passage already quoted in the thread."""
        return frozenset(span for turn in self.turns for span in turn.shown)

    def led_with(self) -> frozenset[tuple[str, int, int]]:
        """The passages the thread's answers answered with (`Turn.led`), not the related ones
        they quoted after them."""
        return frozenset(span for turn in self.turns for span in turn.shown[: turn.led])


@dataclass(frozen=True)
class FollowUp:
    """How a question reads in its conversation."""

    query: str
    """What to search for: the question, with the earlier question's words when it refers
    back ("Who obtained them?")."""
    more: bool = False
    """"What else?": the earlier request again, passages already shown left out."""
    speaker: Attribution | None = None
    """The speaker a pronoun ("what did he add?") or "the other …" refers to."""
    other_than: Attribution | None = None
    other_phrase: str | None = None
    document: str | None = None
    fallback: str | None = None
    """For a question that reads as complete on its own ("Who obtained the e-mails?"): what
    to search for, with the earlier question's words, if nothing answers it alone."""
    fresh: bool = False
    """It asks about the earlier answer's subject, not about the passage shown ("who pushed
    for it?", "what did she say about it?"): searched with the earlier question's words, which
    find that passage first again, it must not lead the answer a second time."""
    why: bool = False
    """It asks why the passage shown holds ("why?", "how come?", "why did he say that?"): the
    reason is in another passage, or in that one only if it gives one."""


def follow_up(
    question: str,
    conversation: Conversation | None,
    person_in: Callable[[Turn], Attribution | None] | None = None,
) -> FollowUp:
    """Read ``question`` against the conversation's last turn (a fresh question as itself).
    ``person_in`` gives the one person the last answer's passage names, when no one speaks
    in it ("Rovers have signed winger Tobias Amankwah": "where was he born?" is his birth)."""
    last = conversation.last if conversation is not None else None
    if last is None:
        return FollowUp(query=question)
    besides = _someone_besides(question, last)
    if besides is not None:
        return besides
    why = _asks_why_back(question)
    meant = _person_meant(question, last, person_in)
    if meant is not None:  # "why did he say that?": "why did Stephen L. Morris say that?"
        return replace(meant, why=True) if why else meant
    joined = f"{question} {last.query}"
    if why:  # "what was the reason?": about the last answer, with its question's words
        return FollowUp(query=joined, speaker=last.speaker, document=last.document, why=True)
    if _REFERS_BACK.search(question) or _FRAGMENT.match(question):
        fresh = asks_for_something_else(question) or (
            _THE_SUBJECT.search(question) is not None and not _THE_PASSAGE.search(question)
        )
        return FollowUp(query=joined, speaker=last.speaker, document=last.document, fresh=fresh)
    instead = _WHAT_ABOUT.match(question)
    what = instead and (instead["what"] or instead["what2"])
    if what:
        # "What about Lin?": Lin's words if Lin is quoted; else searched as it stands, and
        # with the earlier question's words if nothing answers it alone
        return FollowUp(
            query=question, other_phrase=what.strip(), document=last.document, fallback=joined
        )
    return FollowUp(query=question, document=last.document, fallback=joined)


def _asks_why_back(question: str) -> bool:
    """ "why?", "how come?", "why did he say that?", "what was the reason for it?": why what was
    just quoted holds (not "why did the FBI want a review?", which names what it asks about)."""
    asked = _WHY.match(question)
    if asked is None:
        return False
    rest = _ONLY_FILLER.sub("", asked["rest"])
    if not _CONTENT_WORD.search(rest):
        return True
    # "why did he say that?", "why was she so harsh?" point back; "why does he think
    # communities push back?" says what it asks about in a clause of its own, which another
    # passage may answer
    return bool(_BACK.search(rest)) and len(_WORD.findall(_POINTING.sub("", rest))) < 2


def _someone_besides(question: str, last: Turn) -> FollowUp | None:
    """ "What else did he say?", "the other guy with the same title?", "anyone else from that
    division?", "what did the other official say?": more of, or someone other than, the last
    speaker; None for any other question."""
    if asks_for_more(question):
        return FollowUp(query=last.query, more=True, speaker=last.speaker, document=last.document)
    if _SAME_JOB_ELSE.search(question):
        phrase = "the other with the same title"
    elif _SAME_PLACE_ELSE.search(question):
        phrase = SAME_PLACE
    else:
        other = _OTHER.match(question) or _OTHER_SAID.match(question)
        if not other:
            return None
        phrase = other["who"]
    return FollowUp(
        query=last.query, other_than=last.speaker, other_phrase=phrase, document=last.document
    )


def _person_meant(
    question: str, last: Turn, person_in: Callable[[Turn], Attribution | None] | None
) -> FollowUp | None:
    """ "Where is he based?" after Morris's words: "Where is Stephen L. Morris based?" (with
    the earlier question's words if nothing answers that); the person the thread asked about,
    or the one the last passage names; None when the question points at no one."""
    joined = f"{question} {last.query}"
    speaker = last.speaker if _may_mean(question, last.speaker) else None
    named = _with_speaker_named(question, speaker)
    if named is None and speaker is None and last.speaker is not None:
        # "how old was he?" after his daughter's words on his death: the man the thread asked
        # about ("Who was Alfie Penhaligon?"), not her
        subject = _SUBJECT_NAMED.findall(last.query)
        if len(set(subject)) == 1:
            named = _with_speaker_named(question, Attribution(subject[0], None))
    pointed = person_in is not None and _PERSON.search(question)
    if named is None and last.speaker is None and pointed and person_in is not None:
        person = person_in(last)  # read only now: the passage's people, from the roster
        named = _with_speaker_named(question, person) if _may_mean(question, person) else None
        if named is not None:  # the thread's person from now on
            return FollowUp(query=named, speaker=person, document=last.document, fallback=joined)
    if named is not None:
        return FollowUp(query=named, speaker=last.speaker, document=last.document, fallback=joined)
    return None


_HIS = frozenset("he him his".split())
_HERS = frozenset("she her hers".split())
_SUBJECT_NAMED = re.compile(
    r"(?<![.?!]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z’'-]+)+|^[A-Z][a-z]+(?:\s+[A-Z][a-z’'-]+)+"
)
"""A full name in a question ("Who was Alfie Penhaligon?")."""


def _may_mean(question: str, speaker: Attribution | None) -> bool:
    """Whether the question's "he" or "she" may be the speaker: not "he" of one the role calls
    a woman ("his daughter"), nor "she" of a man."""
    found = _PERSON.search(question)
    if speaker is None or found is None:
        return True
    word = found["word"].lower()
    known = described_pronoun(speaker.role or "")
    if word in _HIS:
        return known != "she"
    if word in _HERS:
        return known != "he"
    return True


def _with_speaker_named(question: str, speaker: Attribution | None) -> str | None:
    """The question with its first "he", "she", "him" or "his" ("her" either way) read as the
    thread's last named speaker ("What did he tell her?": the other is someone else); None when
    it has none, or the speaker has no name. "They", "it" and "that" may mean a passage or a
    group, and are left to the earlier question's words."""
    if speaker is None or not speaker.speaker or not _PERSON.search(question):
        return None
    name = speaker.speaker

    def replaced(match: re.Match[str]) -> str:
        word = match["word"].lower()
        possessive = word in ("his", "hers") or (word == "her" and match["next"] is not None)
        return f"{name}’s" if possessive else name

    return _PERSON.sub(lambda m: replaced(m) + (m["gap"] or ""), question, count=1)


class Threads:
    """Conversations by thread id, for `ask --json -`: the most recent MAX_THREADS kept."""

    def __init__(self) -> None:
        self._threads: OrderedDict[str, Conversation] = OrderedDict()

    def get(self, thread: str | None) -> Conversation | None:
        return None if thread is None else self._threads.get(thread, Conversation())

    def keep(self, thread: str | None, answer: Answer) -> None:
        if thread is None:
            return
        self._threads[thread] = self._threads.get(thread, Conversation()).then(answer)
        self._threads.move_to_end(thread)
        while len(self._threads) > MAX_THREADS:
            self._threads.popitem(last=False)


def read_question_line(line: str) -> tuple[str, str | None]:
    """A stdin line of `ask --json -`: plain text is a question of its own; a JSON object
    ``{"question": "...", "thread": "ID"}`` belongs to conversation ID. Anything else that
    looks like JSON is asked as the text it is."""
    text = line.strip()
    if not text.startswith("{"):
        return line, None
    try:
        record = json.loads(text)
    except json.JSONDecodeError:
        return line, None
    if not isinstance(record, dict) or not isinstance(record.get("question"), str):
        return line, None
    thread = record.get("thread")
    return record["question"], None if thread is None else str(thread)


def question_line_problem(line: str) -> str | None:
    """Why a stdin line of `ask --json -` that looks like a JSON object is not one
    `read_question_line` reads as ``{"question": "...", "thread": "ID"}``; None when it is, or
    is plain text. It is then asked as the text it is, and the caller says so."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return f"not valid JSON ({error.msg})"
    if not isinstance(record, dict):
        return "not a JSON object"
    if not isinstance(record.get("question"), str):
        return 'no "question" string in it'
    return None


def asks_for_more(question: str) -> bool:
    """ "What else?", "Tell me more": the earlier request again (a follow-up only)."""
    return bool(_MORE.match(question))


def asks_for_something_else(question: str) -> bool:
    """ "What else were officials worried about?": not what was just shown (`_ELSE`)."""
    return bool(_ELSE.search(question))


def is_pronoun(phrase: str) -> bool:
    return bool(_PRONOUN.match(phrase.strip()))


def to_payload(turn: Turn) -> dict[str, Any]:
    """A turn as plain JSON (what Slack keeps in the reply's metadata)."""
    speaker = turn.speaker
    return {
        "question": turn.question[:500],
        "query": turn.query[:1000],
        "speaker": None if speaker is None else {"name": speaker.speaker, "role": speaker.role},
        "document": turn.document,
        "shown": [list(span) for span in turn.shown[:10]],
        "led": turn.led,
    }


def from_payload(payload: Any) -> Turn | None:
    """A turn read back from JSON; None for anything malformed (never raises)."""
    try:
        speaker = payload.get("speaker")
        return Turn(
            question=str(payload["question"]),
            query=str(payload["query"]),
            speaker=None
            if not isinstance(speaker, dict)
            else Attribution(_text(speaker.get("name")), _text(speaker.get("role"))),
            document=_text(payload.get("document")),
            shown=tuple((str(p), int(s), int(e)) for p, s, e in payload.get("shown", [])),
            led=int(payload.get("led", 1)),  # a turn kept before it was: the first passage
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
