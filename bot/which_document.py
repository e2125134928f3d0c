"""Which document a question means: the one whose title it describes ("the bike lanes story"),
whose section or format it names ("the obituary", "the PDF"), whose date it picks ("the latest
story"), whose opening it quotes, or the one the thread's last answer quoted. `bot.answer` falls
back on what the question's words find when none of these says.
"""

from __future__ import annotations

import re

from bot.conversation import FollowUp
from bot.index import StoredIndex
from bot.intents import (
    format_named,
    names_only_the_document,
    piece_by_date,
    piece_described,
    sections_of_piece,
)
from bot.records import PASSAGE_KINDS, Document
from bot.retrieve import Hit, Retriever, term_set, terms


def document_asked(
    text: str,
    follow: FollowUp,
    documents: tuple[Document, ...],
    retriever: Retriever | None = None,
) -> int | None:
    """The document a question about a document means: the one whose title it describes ("the
    bike lanes story"), or (given the ``retriever``) whose opening does, else the one the
    thread's last answer quoted; None when none."""
    number = document_described(text, documents)
    if number is None and retriever is not None:
        number = _document_opening_with(text, retriever)
    if number is None:
        number = next((i for i, d in enumerate(documents) if d.path == follow.document), None)
    return number


def document_described(text: str, documents: tuple[Document, ...]) -> int | None:
    """The document whose title the question describes ("the bike lanes story"), or whose
    date does ("the latest story": the last published of those with a date), if any."""
    described = piece_described(text)
    number = _document_titled(described, documents) if described else None
    if number is None:  # "the obituary": the one document under "Obituaries"
        labels = sections_of_piece(text)
        under = [i for i, d in enumerate(documents) if (d.section or "").lower() in labels]
        number = under[0] if len(under) == 1 else None
    fmt = format_named(text) if number is None else None
    if fmt is not None:  # "the PDF": the one document read from a PDF
        of_format = [i for i, d in enumerate(documents) if d.format == fmt]
        number = of_format[0] if len(of_format) == 1 else None
    end = piece_by_date(text)
    if number is not None or end is None:
        return number
    dates = [(d.published, i) for i, d in enumerate(documents) if d.published]
    if not dates:
        return None
    if end == "latest":  # of documents with the same date, the first listed
        return max(dates, key=lambda pair: (pair[0], -pair[1]))[1]
    return min(dates)[1]


def documents_meant(
    text: str, follow: FollowUp, hits: list[Hit], documents: tuple[Document, ...]
) -> tuple[Document, ...]:
    """The documents "When was … published?" asks about: the one described or the thread's
    (`document_asked`); with neither, the one its other words find ("… the article on bike
    lanes …"), or, when it has none ("When was this published?"), the first five."""
    number = document_asked(text, follow, documents)
    if number is not None:
        return (documents[number],)
    if len(documents) == 1 or not hits or names_only_the_document(text):
        return documents[:5]
    return (documents[hits[0].chunk.document],)


def _document_titled(words_of_title: str, documents: tuple[Document, ...]) -> int | None:
    """The one document whose title (with its section label: "the football story") shares the
    most of these words ("bike lanes"), if any shares one and no other shares as many."""
    wanted = set(terms(words_of_title))
    if not wanted:
        return None
    shared = [len(wanted & title) for title in title_terms(documents)]
    best = max(shared, default=0)
    tied = [i for i, count in enumerate(shared) if count == best]
    if best == 0 or len({documents[i].title.casefold() for i in tied}) > 1:
        return None
    return tied[0]  # (one article saved twice has one title: the first copy)


_TITLE_TERMS: list[tuple[tuple[Document, ...], list[frozenset[str]]]] = []


def title_terms(documents: tuple[Document, ...]) -> list[frozenset[str]]:
    """Each document's title words, with its section label, read once for an index's documents
    (the last ones asked about are kept): at 1M chunks, 11,000 titles took 85 ms a question."""
    kept = _TITLE_TERMS[-1] if _TITLE_TERMS else None
    if kept is not None and kept[0] is documents:
        return kept[1]
    titles = [term_set(f"{d.section or ''} {d.title}") for d in documents]
    _TITLE_TERMS[:] = [(documents, titles)]
    return titles


def _document_opening_with(text: str, retriever: Retriever) -> int | None:
    """The one document whose title, standfirst and first paragraph hold every word of the
    piece a question describes, if only one does (on a shelf of up to `OPENINGS_READ`)."""
    described = _PLACE_IN_PIECE.sub("", piece_described(text) or "")
    wanted = set(terms(described))
    documents = retriever.documents
    if not wanted or len(documents) > OPENINGS_READ:
        return None
    fits = [i for i in range(len(documents)) if wanted <= opening_terms(i, retriever)]
    return fits[0] if len(fits) == 1 else None


_PLACE_IN_PIECE = re.compile(
    r"^.*?\b(?:paragraph|para|graf|sentence|line|lede|lead|intro|bit|part|section|top|end)\s+"
    r"(?:of|in|from)\s+(?:the\s+|this\s+|that\s+)?",
    re.IGNORECASE,
)
"""Where in the piece, before what the piece is ("first paragraph of the court …")."""


OPENINGS_READ = 100
"""Documents: a question naming a story by words of its opening ("the court story" of one
headed "Care home boss jailed …" that opens "… at Harbridge Crown Court") is read against
each document's opening on a shelf of up to this many (each is a read of its first passages)."""


def opening_terms(document: int, retriever: Retriever) -> frozenset[str]:
    """The words a document opens with: its title and its first two paragraphs (a standfirst
    and the first, or the first two)."""
    index = retriever.index
    rows = opening_rows(index, document)
    text = " ".join(chunk.text for row in rows for chunk in index.chunks.paragraph(row))
    return term_set(f"{retriever.documents[document].title} {text}")


def opening_rows(index: StoredIndex, document: int) -> list[int]:
    """The rows of a document's first standfirst and first body chunk, those there are (the
    chunker numbers a document's chunks in reading order)."""
    columns = index.columns
    rows = columns.rows_of_document(document)
    kinds = columns.kind[rows]
    return [
        int(of_kind[0])
        for kind in ("standfirst", "body")
        if len(of_kind := rows[kinds == PASSAGE_KINDS.index(kind)])
    ]
