"""The small, frozen records that flow through the pipeline.

ingest → ``Document`` · chunk → ``Chunk`` (made of ``Sentence``, each maybe with an
``Attribution``) · answer → ``Answer`` made of ``Quote``.

Offsets (``start``/``end``, ``char_start``/``char_end``) always index the document's canonical
text — a `.txt`/`.md` file as decoded from UTF-8, or the text a reader in ``bot.formats`` made of
a web page, PDF or Word file (kept in the index) — so a quote can be checked against its source
with ``text[start:end]``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal, get_args

Confidence = Literal["high", "medium", "low"]
PassageKind = Literal["body", "standfirst", "caption"]
"""What a quotable passage is: the article's body, its standfirst, or an image caption."""
PASSAGE_KINDS: tuple[PassageKind, ...] = get_args(PassageKind)
ReplyKind = Literal["quotes", "metadata", "help", "no_answer", "too_long", "speakers"]
"""What a reply is (``kind`` in ``ask --json``)."""


@dataclass(frozen=True)
class Attribution:
    """Who said a passage, as the text gives it.

    ``speaker`` is the fullest name the document gives (``None`` for an unnamed speaker);
    ``role`` is the speaker's role or, for an unnamed speaker, the description the text uses
    ("one FBI official").
    """

    speaker: str | None
    role: str | None

    @property
    def label(self) -> str:
        """ "Name, role" with whatever is known ("" when neither is)."""
        return ", ".join(part for part in (self.speaker, self.role) if part)


def astuple_or_none(attribution: Attribution | None) -> tuple[str | None, str | None]:
    """(speaker, role) of a passage's attribution, (None, None) for none."""
    return (None, None) if attribution is None else (attribution.speaker, attribution.role)


@dataclass(frozen=True)
class Document:
    """One source file and what is known about it."""

    path: str
    title: str
    published: str | None = None
    source: str | None = None
    url: str | None = None
    section: str | None = None
    sha256: str = ""
    author: str | None = None
    """The byline: from the format's metadata, the page, or a "By …" line at the top."""
    format: str = "text"
    """How the file was read: ``text``, ``markdown``, ``html``, ``pdf`` or ``docx``."""
    pages: tuple[int, ...] = ()
    """Offset in the canonical text where each page starts (paged formats only)."""

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset`` in the canonical text, or None if not paged."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))


@dataclass(frozen=True)
class Sentence:
    """One sentence of a chunk: offsets into the source file, and its speaker when quoted."""

    start: int
    end: int
    attribution: Attribution | None = None


@dataclass(frozen=True)
class Chunk:
    """The unit that is embedded, searched and quoted: one paragraph or part of one."""

    id: int
    document: int
    paragraph: int
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...] = ()
    passage: PassageKind = "body"


@dataclass(frozen=True)
class Quote:
    """A verbatim passage offered as (part of) an answer."""

    text: str
    document: Document
    paragraph: int
    char_start: int
    char_end: int
    score: float
    attribution: Attribution | None = None
    chunk_ids: tuple[int, ...] = ()
    passage: PassageKind = "body"
    highlight: tuple[int, int] | None = None
    """Offsets, relative to ``text``, of the sentence that answers when context surrounds it."""

    @property
    def page(self) -> int | None:
        """The page the quote starts on, for paged documents (PDF)."""
        return self.document.page_at(self.char_start)


@dataclass(frozen=True)
class QuotedSpeaker:
    """One line of a "who is quoted" reply: a speaker and how many statements are theirs."""

    name: str | None
    """None for an unnamed speaker, whose description is the role."""
    role: str | None
    document: Document
    statements: int


@dataclass(frozen=True)
class Turn:
    """What a later question in the same conversation may refer back to."""

    question: str
    query: str
    """What retrieval searched for, follow-ups resolved."""
    speaker: Attribution | None = None
    """The speaker the answer was about or led with."""
    document: str | None = None
    """The path of the document the first quote came from."""
    shown: tuple[tuple[str, int, int], ...] = ()
    """(path, char_start, char_end) of every passage quoted."""
    led: int = 1
    """How many of ``shown``, from the first, were the answer itself: all of a speaker's
    statements listed, but only the first passage for a question (the rest were related)."""


@dataclass(frozen=True)
class Answer:
    """What every face (terminal, JSON, Slack) renders."""

    question: str
    answered: bool
    confidence: Confidence | None
    quotes: tuple[Quote, ...] = ()
    message: str = ""
    """Plain words shown instead of, or above, the quotes (help, no-answer, metadata)."""
    kind: ReplyKind = "quotes"
    documents: tuple[Document, ...] = field(default=())
    speakers: tuple[QuotedSpeaker, ...] = ()
    """The roster, for a "who is quoted" reply."""
    turn: Turn | None = None
    """What a follow-up in the same thread may refer back to."""
