"""A passage's verbatim quote: the hit's best sentence with its neighbours in the paragraph,
cut at sentence ends, attributed; and the checks that keep two quotes of one answer from saying
the same thing (overlapping offsets, or a reprint of the same passage in another document).

`Quoter` makes the quotes of chunks for a question's words and remembers them for the index;
`bot.answer` decides which hits to quote. `own_words_beside` finds, next to a paragraph telling
what someone said in the reporter's words, the one giving it in their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.chunk import first_speaker
from bot.index import StoredIndex
from bot.intents import VIEW_WORDS
from bot.records import Chunk, Document, Quote, Sentence
from bot.retrieve import Hit, Retriever, term_set, terms
from bot.speakers import Speaker, Statement

REMEMBERED_QUOTES = 4096
"""Quotes a `Quoter` keeps before it starts afresh: a question's read-ahead, gate and answer ask
for the same few dozen; the bound keeps a long-running bot's memory flat."""


class Quoter:
    """Quotes of chunks for a question's words (`quote`), remembered for the index they came
    from: the read-ahead makes some while the question is embedded, and the gate, the answer and
    the duplicate checks ask for them again."""

    def __init__(self, window_sentences: int) -> None:
        self._window_sentences = window_sentences
        self._made: tuple[Retriever | None, dict[tuple[int, tuple[str, ...]], Quoted]] = (None, {})

    def quote(self, chunk: Chunk, query_terms: list[str], retriever: Retriever) -> Quoted:
        """The chunk's sentence sharing most of ``query_terms``, widened with its neighbours to
        ``window_sentences`` within the paragraph."""
        made_for, made = self._made
        if made_for is not retriever:
            made = {}
            self._made = (retriever, made)
        key = (chunk.id, tuple(query_terms))
        quoted = made.get(key)
        if quoted is None:
            if len(made) >= REMEMBERED_QUOTES:
                made.clear()
            quoted = made[key] = self._new(chunk, query_terms, retriever)
        return quoted

    def _new(self, chunk: Chunk, query_terms: list[str], retriever: Retriever) -> Quoted:
        chunk = retriever.answered_by(chunk)
        paragraph = retriever.index.chunks.paragraph(chunk.id)
        sentences = [s for c in paragraph for s in c.sentences]
        best = _best_sentence(chunk, query_terms, retriever)
        window = _window(sentences, sentences.index(best), self._window_sentences)
        first, last = window[0], window[-1]
        text = source_text(paragraph, first.start, last.end)
        highlight = (best.start - first.start, best.end - first.start) if len(window) > 1 else None
        cuts = [at - first.start for s in window for at in (s.start, s.end)]
        quote = Quote(
            text=text,
            document=retriever.documents[chunk.document],
            paragraph=chunk.paragraph,
            char_start=first.start,
            char_end=last.end,
            score=0.0,
            attribution=best.attribution or first_speaker(window),
            chunk_ids=tuple(c.id for c in paragraph if c.start < last.end and first.start < c.end),
            passage=chunk.passage,
            highlight=highlight,
        )
        return Quoted(quote, words_of(text, cuts), 0.0)


MAX_QUOTE_CHARS = 2_000
"""The longest quote of a statement or a whole paragraph: a paragraph of a news story is a few
hundred characters, but a file with no paragraph breaks or full stops is one of megabytes."""


@dataclass(frozen=True)
class Quoted:
    """A quote on its way into an answer: with the words its duplicate check compares, and
    the score of the hit it came from."""

    quote: Quote
    words: frozenset[str]
    """``set(terms(quote.text))``."""
    score: float


def bounded_end(paragraph: list[Chunk], start: int, end: int) -> int:
    """Where a quote from ``start`` to ``end`` stops: ``end``, or for a longer one the last
    sentence end that keeps it within `MAX_QUOTE_CHARS`, else the last space before that."""
    if end - start <= MAX_QUOTE_CHARS:
        return end
    limit = start + MAX_QUOTE_CHARS
    ends = [s.end for c in paragraph for s in c.sentences if start < s.end <= limit]
    if ends:
        return max(ends)
    text = source_text(paragraph, start, limit)
    space = text.rstrip().rfind(" ")
    return start + (space if space > 0 else len(text))


def paragraph_quote(index: StoredIndex, group: int, documents: tuple[Document, ...]) -> Quote:
    """A whole paragraph group, word for word, with its first speaker."""
    paragraph = index.chunks.paragraph(index.columns.rows_of_group(group).start)
    first = paragraph[0]
    end = bounded_end(paragraph, first.start, paragraph[-1].end)
    return Quote(
        text=source_text(paragraph, first.start, end),
        document=documents[first.document],
        paragraph=first.paragraph,
        char_start=first.start,
        char_end=end,
        score=1.0,
        attribution=first_speaker(s for c in paragraph for s in c.sentences),
        chunk_ids=tuple(c.id for c in paragraph),
        passage=first.passage,
    )


def statement_quote(statement: Statement, speaker: Speaker, retriever: Retriever) -> Quote:
    """A speaker's statement, word for word (cut to `MAX_QUOTE_CHARS`), attributed to them."""
    chunks = retriever.index.chunks
    paragraph = chunks.paragraph(statement.chunk_ids[0])
    end = bounded_end(paragraph, statement.start, statement.end)
    return Quote(
        text=source_text(paragraph, statement.start, end),
        document=retriever.documents[speaker.document],
        paragraph=statement.paragraph,
        char_start=statement.start,
        char_end=end,
        score=1.0,
        attribution=speaker.attribution,
        chunk_ids=statement.chunk_ids,
        passage=chunks[statement.chunk_ids[0]].passage,
    )


def _best_sentence(chunk: Chunk, query_terms: list[str], retriever: Retriever) -> Sentence:
    """The sentence of the chunk sharing most of the question's words (the first on a tie)."""
    texts = [text_between(chunk, s.start, s.end) + _who(s) for s in chunk.sentences]
    scores = retriever.coverages(query_terms, texts)
    return chunk.sentences[max(range(len(scores)), key=lambda i: (scores[i], -i))]


def _window(sentences: list[Sentence], position: int, size: int) -> list[Sentence]:
    """``size`` consecutive sentences around ``position``, shifted to stay inside the list."""
    if len(sentences) <= size:
        return sentences
    first = min(max(0, position - (size - 1) // 2), len(sentences) - size)
    return sentences[first : first + size]


def source_text(paragraph: list[Chunk], start: int, end: int) -> str:
    """Verbatim text between two offsets, from chunks that join up end to start."""
    return "".join(
        text_between(c, max(start, c.start), min(end, c.end))
        for c in paragraph
        if c.start < end and start < c.end
    )


def _who(sentence: Sentence) -> str:
    if sentence.attribution is None:
        return ""
    return f" {sentence.attribution.speaker or ''} {sentence.attribution.role or ''}"


def text_between(chunk: Chunk, start: int, end: int) -> str:
    """Source text between two file offsets that lie inside the chunk."""
    return chunk.text[start - chunk.start : end - chunk.start]


class Repeats:
    """The same passage in several documents, told by the build's passage keys
    (`bot.lexical.passage_keys`) without reading its records (a build without them: by reading)."""

    def __init__(self, retriever: Retriever) -> None:
        self._keys = retriever.index.columns.passage_key
        self._quoted: set[int] = set()

    def kept(self, row: int, quoted: Quoted) -> None:
        """A quote made from the chunk at ``row`` joined the answer."""
        if self._keys is not None and quoted.words:  # no words: `_near_duplicate` says no
            self._quoted.add(int(self._keys[row]))

    def quoted(self, row: int) -> bool:
        """Whether a quote from ``row`` would have the words of one kept (a near duplicate)."""
        return self._keys is not None and int(self._keys[row]) in self._quoted

    def same_passage(self, a: Hit, b: Hit) -> bool:
        """`_same_passage` of the two hits' chunks."""
        keys = self._keys
        if keys is not None and keys[a.row] == keys[b.row] and chunk_words(a.chunk):
            return True  # the same words, so near duplicates
        return _same_passage(a.chunk, b.chunk)


def _same_passage(a: Chunk, b: Chunk) -> bool:
    """Two chunks of one paragraph, or two passages saying (nearly) the same words."""
    if a.document == b.document and a.paragraph == b.paragraph and a.passage == b.passage:
        return True
    return _near_duplicate(chunk_words(a), chunk_words(b))


def _near_duplicate(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    if not mine or not theirs:
        return False
    return len(mine & theirs) / min(len(mine), len(theirs)) >= 0.8


def overlaps(new: Quoted, kept: Quoted) -> bool:
    """Same passage twice: overlapping offsets in one file, or (nearly) the same words."""
    quote, other = new.quote, kept.quote
    if quote.document.path == other.document.path and (
        quote.char_start < other.char_end and other.char_start < quote.char_end
    ):
        return True
    return _near_duplicate(new.words, kept.words)


def chunk_words(chunk: Chunk) -> frozenset[str]:
    """``set(terms(chunk.text))``, sentence by sentence (see `words_of`)."""
    cuts = [at - chunk.start for s in chunk.sentences for at in (s.start, s.end)]
    return words_of(chunk.text, cuts)


def words_of(text: str, cuts: Sequence[int]) -> frozenset[str]:
    """``set(terms(text))``, from the terms of the pieces between ``cuts`` (offsets into the
    text), each remembered by `terms`: the same sentences come back in many quotes and chunks,
    and stemming a text anew costs more than the rest of its duplicate check. A cut with no
    space on either side could split a word, so the text is not cut there."""
    pieces, last = [], 0
    for cut in sorted(set(cuts)):
        if 0 < cut < len(text) and (text[cut - 1].isspace() or text[cut].isspace()):
            pieces.append(text[last:cut])
            last = cut
    pieces.append(text[last:])
    return frozenset().union(*map(term_set, pieces))


# --- the speaker's own words ------------------------------------------------------------------

_SPEECH_VERBS = "said|says|told|tells|added|argued|argues|wrote|writes|insisted|warned"
"""Verbs that end the words introducing a speaker ("Olawale, who chairs …, said")."""


def own_words_beside(first: Quote, row: int, retriever: Retriever) -> Quoted | None:
    """The paragraph after ``first`` (else the one before it) that gives in quotation marks, in
    the speaker's own words, what ``first`` tells in the reporter's: same document, same
    speaker, ``first`` itself not opening with a quotation. None when there is none."""
    speaker = first.attribution.speaker if first.attribution else None
    if speaker is None or first.passage != "body" or first.text.lstrip().startswith(("“", '"')):
        return None  # (a few words quoted inside the reporter's, "could “implode.”", may be)
    index = retriever.index
    group = int(index.columns.group[row])
    for beside in (group + 1, group - 1):
        if not 0 <= beside < len(index.columns.group_starts) - 1:
            continue
        own = paragraph_quote(index, beside, retriever.documents)
        said_by = own.attribution.speaker if own.attribution else None
        if (
            own.document == first.document
            and own.passage == "body"
            and said_by == speaker
            and own.text.lstrip().startswith(("“", '"'))
        ):
            rows = index.columns.rows_of_group(beside)
            return Quoted(
                own, frozenset().union(*(chunk_words(index.chunks[r]) for r in rows)), 0.0
            )
    return None


_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def mostly_own_words(text: str) -> bool:
    """Whether at least half a passage is in quotation marks: the speaker's own words, not the
    reporter's account of them with a phrase quoted ("said the vote sent “a message …”")."""
    quoted = sum(len(found.group()) for found in _QUOTED.finditer(text))
    return 2 * quoted >= len(text.strip())


def own_words_lead(statements: list[Statement], retriever: Retriever) -> list[Statement]:
    """A speaker's statements with the first given mostly in their own words leading, the rest
    in article order: "What did the pharmacist say?" is answered with what she said, before
    the paragraph that introduces her ("…, a pharmacist who travels to Halden every day, said
    she would have to take two days' unpaid leave.")."""
    for statement in statements:
        paragraph = retriever.index.chunks.paragraph(statement.chunk_ids[0])
        if mostly_own_words(source_text(paragraph, statement.start, statement.end)):
            return [statement, *(s for s in statements if s is not statement)]
    return statements


def own_statement_first(
    topic: str, statements: list[Statement], speaker: Speaker, retriever: Retriever
) -> list[Statement]:
    """A speaker's statements on a topic with, when the first tells it in the reporter's words
    and the paragraph beside it in the speaker's own, that one first (`own_words_beside`)."""
    first = statements[0]
    chunks = retriever.index.chunks
    reported = Quoted(
        statement_quote(first, speaker, retriever),
        frozenset().union(*(chunk_words(chunks[row]) for row in first.chunk_ids)),
        0.0,
    )
    own = own_words_beside(reported.quote, first.chunk_ids[0], retriever)
    if own is None or not asks_for_own_words(topic, reported, own):
        return statements
    mine = [s for s in statements if s.chunk_ids[0] in own.quote.chunk_ids]
    return [*mine, *(s for s in statements if s not in mine)]


def asks_for_own_words(text: str, reported: Quoted, own: Quoted) -> bool:
    """Whether the question's words, less those naming the speaker ("the residents' association
    chair": "Olawale, who chairs the … Residents’ Association, said") and asking a view, are as
    much in the speaker's own words as in the reporter's: not "what does the professor think the
    confusion shows?" of "Kraut … said the internal confusion … shows that …"."""
    attribution = reported.quote.attribution
    speaker = attribution.speaker if attribution and attribution.speaker else ""
    surname = re.escape(speaker.split()[-1]) if speaker else "$^"
    introduced = re.search(rf"[^.]*\b{surname}\b.*?\b(?:{_SPEECH_VERBS})\b", reported.quote.text)
    named = set(terms(introduced.group() if introduced else speaker))
    asked = set(terms(text)) - named - set(terms(VIEW_WORDS))
    return len(asked & reported.words) <= len(asked & own.words)
