"""Every reply's wording that is not a quote: help, no answer, too long, metadata, rosters.

answer decides *what* to reply; this module says it, so that each sentence has one home
(the Slack face and the terminal render these same answers).
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.records import Answer, Attribution, Document, Quote, QuotedSpeaker, ReplyKind
from bot.render.text import document_line, format_date
from bot.speakers import Speaker

ROSTER_DOCUMENTS = 10
"""Documents whose speakers a "who is quoted" reply names in its text, in corpus order; the
reply's `speakers` hold every one (a corpus of ten thousand articles quotes tens of thousands)."""

_ASKS_FOR_AUTHOR = re.compile(
    r"\b(?:author|byline|reporter|journalist|writer|wrote|writes)\b"
    r"|\bwho\b.*\bwritten\b|\bwritten\s+by\b",  # not "When was this written?"
    re.IGNORECASE,
)


def statements_message(
    speaker: Speaker, count: int, more: int, topic: str | None, *, again: bool = False
) -> str:
    """What precedes a speaker's ``count`` statements, of which ``more`` are not quoted;
    ``again``: the thread has already answered with the others ("quoted once more")."""
    if topic:
        return ""
    times = _times(count)
    if again:
        times = "once more" if count == 1 else f"in {count} more passages"
    message = f"{speaker.name or speaker.role} is quoted {times}"
    return message + (f"; the first {count - more} follow, and {more} more." if more else ":")


def role_message(speakers: tuple[Speaker, ...]) -> str:
    """ "Who is X?": each speaker's role, as the text gives it ("" for a speaker with none;
    a role that opened its sentence is already as it reads after a name, "its managing
    director": `bot.attribution`)."""
    return " ".join(f"{s.name or 'The speaker'} is {s.role}." for s in speakers if s.role)


def _times(count: int) -> str:
    return "once" if count == 1 else f"in {count} passages"


def one_person_message(speakers: tuple[Speaker, ...], count: int, shown: int) -> str:
    """What precedes the statements of someone several documents quote."""
    documents = len({s.document for s in speakers})
    name = speakers[0].name or speakers[0].role
    rest = "; all follow:" if shown == count else f"; the first {shown} follow:"
    return f"{name} is quoted in {documents} documents, {_times(count)} in all{rest}"


def several_speakers_message(speakers: tuple[Speaker, ...], form: str, topic: str | None) -> str:
    """What precedes one passage of each of several speakers asked about together."""
    if form == "who_is":
        return role_message(speakers)
    if topic:
        return ""
    counts = [f"{s.name or s.role} {_times(len(s.statements))}" for s in speakers]
    listed = ", ".join(counts[:-1]) + f" and {counts[-1]}" if len(counts) > 1 else counts[0]
    return f"Quoted: {listed}. The first passage of each follows:"


def roster_answer(
    question: str,
    speakers: tuple[Speaker, ...],
    documents: tuple[Document, ...],
    *,
    none_described: str | None = None,
) -> Answer:
    """Who is quoted, per document: name (or description), role, how many statements; first,
    when the question asked for a kind of speaker (``none_described``: "senator") whom none
    of them is described as, that none is."""
    if not speakers:
        return _unanswered(
            question, "no_answer", "My documents quote nobody by name or description.", documents
        )
    lines: list[str] = []
    if none_described is not None:
        lines.append(f"No one quoted is described as “{none_described}”. Everyone quoted:")
    listed = tuple(
        QuotedSpeaker(s.name, s.role, documents[s.document], len(s.statements)) for s in speakers
    )
    by_document: dict[int, list[QuotedSpeaker]] = {}
    for quoted, speaker in zip(listed, speakers, strict=True):
        by_document.setdefault(speaker.document, []).append(quoted)
    numbers = sorted(by_document)
    for number in numbers[:ROSTER_DOCUMENTS]:
        mine = by_document[number]
        lines.append(f"“{documents[number].title}” quotes {len(mine)}:")
        lines += [f"• {_roster_line(q)}" for q in mine]
    if rest := numbers[ROSTER_DOCUMENTS:]:
        others = sum(len(by_document[n]) for n in rest)
        verb = "quotes" if len(rest) == 1 else "quote"
        lines.append(
            f"… and {_count(len(rest), 'more document')} {verb} {_count(others, 'more speaker')}."
        )
    return _told(question, "speakers", lines, documents, speakers=listed)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _roster_line(speaker: QuotedSpeaker) -> str:
    who = Attribution(speaker.name, speaker.role).label
    times = "1 statement" if speaker.statements == 1 else f"{speaker.statements} statements"
    return f"{who} ({times})"


def _documents_list(documents: tuple[Document, ...], limit: int = 5) -> str:
    lines = [f"• {document_line(d)}" for d in documents[:limit]]
    if len(documents) > limit:
        lines.append(f"• … and {len(documents) - limit} more")
    return "\n".join(lines)


def help_answer(question: str, documents: tuple[Document, ...]) -> Answer:
    message = (
        "Ask me a question and I'll answer with the exact words of my sources, saying who said "
        f"them and where they come from. I know {_count(len(documents), 'document')}:\n"
        f"{_documents_list(documents)}\n"
        "Try “What is the article about?”, “What did … say about …?”, “Who is …?” or “When was "
        "this published?”"
    )
    return _unanswered(question, "help", message, documents)


def welcome_answer(question: str) -> Answer:
    """ "Thanks!" """
    return _unanswered(question, "help", "You're welcome. Ask me anything else about my documents.")


def acknowledged_answer(question: str) -> Answer:
    """ "ok", "got it", "👍": nothing to answer; said how to go on."""
    return _unanswered(question, "help", "Ask me anything else about my documents.")


def overviews_message(shown: int, known: int) -> str:
    """What precedes the opening passage of each of ``shown`` documents of ``known``."""
    if shown == known:
        return "What each of my documents is about, in its own words:"
    return (
        f"What the first {shown} of my {known} documents are about, in their own words (ask "
        "about one by words from its title for more):"
    )


def which_document_answer(question: str, documents: tuple[Document, ...]) -> Answer:
    """ "What is the article about?" with several documents and no thread to say which."""
    message = (
        f"I know {_count(len(documents), 'document')}, so tell me which one, with words from "
        "its title (“What is the … story about?”), or ask about something it says and then "
        "“What is it about?” in the same thread. They include:\n"
        f"{_documents_list(documents)}"
    )
    return _unanswered(question, "help", message, documents)


def no_answer(
    question: str, documents: tuple[Document, ...], *, missing: tuple[str, ...] = ()
) -> Answer:
    if missing:
        named = " or ".join(f"“{name}”" for name in missing[:3])
        opening = f"My sources don't mention {named}, so I won't guess."
    else:
        opening = "I found nothing on that in my documents, so I won't guess."
    return _refused(question, opening, documents)


def no_earlier_turn_answer(question: str, documents: tuple[Document, ...]) -> Answer:
    """ "What else?", "Who said that?", "What did he say?" with no earlier answer to refer to."""
    message = (
        "There is no earlier answer here for that to refer to. Ask me a question first (“What "
        "did … say?”, “Who is quoted?”); then, in the same thread, “What else?” or “Who said "
        "that?” follow on from it. I can answer from:\n"
        f"{_documents_list(documents)}"
    )
    return _unanswered(question, "help", message, documents)


def _refused(
    question: str, why: str, documents: tuple[Document, ...], kind: ReplyKind = "no_answer"
) -> Answer:
    """A reply that quotes nothing: why, then the documents it can answer from."""
    message = f"{why} I can answer from:\n{_documents_list(documents)}"
    return _unanswered(question, kind, message, documents)


def slack_member_answer(question: str, member: str, documents: tuple[Document, ...]) -> Answer:
    """A question naming someone by their Slack mention, which no document can hold."""
    why = (
        f"I can't tell who {member} is: I know people only by the names my documents give "
        "them. Ask with their name (“What did … say?”, “Who is quoted?”)."
    )
    return _refused(question, why, documents, kind="help")


def not_described_answer(question: str, described: str, documents: tuple[Document, ...]) -> Answer:
    """ "What did the ship's master say?" when no one quoted is described so."""
    why = (
        f"No one my documents quote is described as “{described}”, so I won't guess. Ask “Who "
        "is quoted?” to see who is."
    )
    return _refused(question, why, documents)


def not_quoted_answer(question: str, name: str, documents: tuple[Document, ...]) -> Answer:
    """ "What did X say?" of someone the documents name but never quote."""
    why = (
        f"My documents mention {name}, but do not quote them, so I won't guess. Ask “Who is "
        "quoted?” to see who is."
    )
    return _refused(question, why, documents)


def no_mention_answer(question: str, subject: str, documents: tuple[Document, ...]) -> Answer:
    """ "Does the article mention X?" when no passage holds X's words."""
    return _refused(question, f"I found no mention of “{subject}” in my documents.", documents)


def not_spelled_out_answer(
    question: str, abbreviation: str, documents: tuple[Document, ...]
) -> Answer:
    """ "What does FBI stand for?" when no document spells it out."""
    why = f"None of the passages I found spells out “{abbreviation}”, so I won't guess."
    return _refused(question, why, documents)


def own_words_answer(question: str, document: Document, documents: tuple[Document, ...]) -> Answer:
    """ "Who said that?" of a passage no one is quoted saying."""
    by = f", by {document.author}" if document.author else ""
    line = f"No one is quoted saying that: it is the text of “{document.title}”{by} itself."
    return _told(question, "metadata", [line], documents)


def metadata_answer(question: str, documents: tuple[Document, ...]) -> Answer:
    """What a document says about itself: title, publisher, date, address."""
    lines = [_metadata_sentence(d) for d in documents]
    if _ASKS_FOR_AUTHOR.search(question) and not any(d.author for d in documents):
        # "Who wrote this?" of a text with no byline: said so, and not answered
        lines.insert(
            0,
            "The text does not name its author."
            if len(documents) == 1
            else "None of them names its author.",
        )
        return replace(_told(question, "metadata", lines, documents), answered=False)
    return _told(question, "metadata", lines, documents)


def _metadata_sentence(document: Document) -> str:
    sentence = f"“{document.title}”"
    if document.author:
        sentence += f", by {document.author},"
    if document.source:
        sentence += f" was published by {document.source}"
    else:
        sentence += " was published"
    when = format_date(document.published, month_in_full=True)
    sentence += f" on {when}." if when else " (no publication date given)."
    if document.url:
        sentence += f" {document.url}"
    return f"{sentence} (source file: {document.path})"


def slack_help_answer(slash_command: str) -> Answer:
    """What an empty mention, DM or slash command gets (before any index is needed)."""
    message = (
        "Ask me a question about the documents I know and I will answer with their exact words, "
        f"attributed. Mention me in a channel, send me a direct message, or use `{slash_command} "
        "QUESTION` for an answer only you can see."
    )
    return _unanswered("", "help", message)


def too_long_answer(question: str, limit: int) -> Answer:
    """A question over ``limit`` characters (``limit`` itself is accepted)."""
    message = (
        f"That question is {len(question):,} characters long; please ask in at most "
        f"{limit:,} characters."
    )
    return _unanswered(question[:limit], "too_long", message)


def nothing_earlier_answer(
    question: str, speaker: Speaker, documents: tuple[Document, ...]
) -> Answer:
    """ "What did he say before that?" of the first thing someone is quoted saying."""
    who = speaker.name or speaker.role or "They"
    title = documents[speaker.document].title
    message = f"Nothing earlier: that is the first thing {who} is quoted saying in “{title}”."
    return _unanswered(question, "no_answer", message, documents)


def said_before_message(speaker: Speaker) -> str:
    """What precedes the words someone said just before the ones last quoted."""
    return f"What {speaker.name or speaker.role} said just before that:"


def no_reason_answer(question: str, documents: tuple[Document, ...]) -> Answer:
    """ "why?" after an answer, when no other passage answers it and the one just quoted gives
    no reason in so many words (it may still explain itself, so it is pointed back to)."""
    message = (
        "Beyond what I just quoted, I found nothing in my documents that says why, "
        "so I won't guess."
    )
    return _unanswered(question, "no_answer", message, documents)


def nothing_more_answer(question: str, speaker: Speaker, documents: tuple[Document, ...]) -> Answer:
    """Every statement of the speaker has been shown in this thread already."""
    who = speaker.name or speaker.role
    message = f"That is everything {who} is quoted saying in my documents."
    return _unanswered(question, "no_answer", message, documents)


def context_message(sides: list[str]) -> str:
    """What precedes the text around a passage just quoted: each paragraph's side of it
    ("before", "after") or "whole"."""
    if sides == ["whole"]:
        return "The whole paragraph:"
    if len(sides) > 1:
        return "The paragraphs before and after it:"
    return f"The paragraph {sides[0]} it:"


def edge_of_document_answer(
    question: str, where: str, document: Document, documents: tuple[Document, ...]
) -> Answer:
    """ "What came before that?" of a document's first paragraph (after: its last)."""
    edge = {"before": "the first paragraph", "after": "the last paragraph"}.get(where, "all")
    nothing = f"there is nothing {where} it" if where != "around" else "there is no more of it"
    message = f"That is {edge} of “{document.title}”: {nothing}."
    return _unanswered(question, "no_answer", message, documents)


def _place_name(place: int, count: int) -> str:
    if place in (1, -count):
        return "The first paragraph"
    if place in (-1, count):
        return "The last paragraph"
    if place == -2:
        return "The paragraph before the last"
    return f"Paragraph {place}"


def paragraph_message(place: int, count: int, document: Document) -> str:
    """What precedes a paragraph asked for by its place ("the last paragraph")."""
    return f"{_place_name(place, count)} of “{document.title}”:"


def paragraph_place_message(quote: Quote, document: Document) -> str:
    """Where the passage just quoted stands ("Which paragraph is that in?")."""
    if quote.passage != "body":
        return f"That is the {quote.passage} of “{document.title}”, above its first paragraph:"
    page = f" (page {quote.page})" if quote.page is not None else ""
    return f"That is paragraph {quote.paragraph}{page} of “{document.title}”:"


def starting_message(opening: str, count: int) -> str:
    """What precedes the paragraphs that begin with the words asked for."""
    which = "The paragraph" if count == 1 else f"{_count(count, 'paragraph')}"
    return f"{which} beginning “{opening}”:"


def no_paragraph_starting_answer(
    question: str, opening: str, documents: tuple[Document, ...], *, too_common: bool
) -> Answer:
    """ "The paragraph that starts with 'X'" when none of those found does, or when "X" is
    words too common to find a paragraph by ("The", "Of the")."""
    if too_common:
        why = (
            f"“{opening}” is too common to find a paragraph by: give me a few more of its first"
            " words."
        )
    else:
        why = f"I found no paragraph that starts with “{opening}” in my documents."
    return _refused(question, why, documents)


def no_such_paragraph_answer(
    question: str, place: int, count: int, document: Document, documents: tuple[Document, ...]
) -> Answer:
    """ "Paragraph 40" of a document with fewer."""
    message = f"“{document.title}” has {_count(count, 'paragraph')}, so there is no {place}."
    if place < 0:
        message = f"“{document.title}” has {_count(count, 'paragraph')}."
    return _unanswered(question, "no_answer", message, documents)


def reply_message(where: str, speaker: Speaker) -> str:
    """What precedes the statement quoted next after the last answer's passage, or just
    before it: the document's order says nothing more about who answers whom."""
    who = speaker.name or speaker.role
    return f"Quoted next: {who}." if where == "next" else f"Quoted just before that: {who}."


def no_reply_answer(
    question: str, where: str, document: Document, documents: tuple[Document, ...]
) -> Answer:
    """ "Who responded?" when no one else is quoted after the passage (before it, for "Who
    was he agreeing with?")."""
    side = "after" if where == "next" else "before"
    message = f"No one else is quoted {side} that in “{document.title}”."
    return _unanswered(question, "no_answer", message, documents)


def when_message(*, same: bool) -> str:
    """What precedes the passage that dates the statement just quoted ("When was that?")."""
    if same:
        return "The passage itself gives the date:"
    return "The nearest date the document gives before it:"


def no_date_answer(question: str, document: Document, documents: tuple[Document, ...]) -> Answer:
    """ "When was that?" when no passage up to that one gives a date (the document's own
    date is no answer: it is when it was published, not when the words were said)."""
    when = format_date(document.published, month_in_full=True)
    published = f", published {when}," if when else ""
    message = f"“{document.title}”{published} does not say when that was said or written."
    return _unanswered(question, "no_answer", message, documents)


def unanswered_part_message(part: str) -> str:
    """One question of several that nothing in the documents answers."""
    return f"Nothing in my documents answers “{part}”."


def too_many_parts_message(answered: int) -> str:
    """A message asking more questions than one reply has quotes for."""
    return f"I answered the first {answered} questions; ask the others on their own."


def not_on_topic_answer(
    question: str, speaker: Speaker, topic: str, documents: tuple[Document, ...]
) -> Answer:
    """ "What did X say about T?" when none of X's statements is on T: said so, with no quote."""
    who = speaker.name or speaker.role
    count = len(speaker.statements)
    message = (
        f"{who} is quoted {_times(count)} in my documents, "
        f"{'but not on' if count == 1 else 'none of them on'} “{topic}”. "
        f"Ask “What did {who} say?” to see {'it' if count == 1 else 'them all'}."
    )
    return _unanswered(question, "no_answer", message, documents)


def _unanswered(
    question: str, kind: ReplyKind, message: str, documents: tuple[Document, ...] = ()
) -> Answer:
    """A reply with no quote to give: help, no answer, too long."""
    return Answer(
        question, answered=False, confidence=None, kind=kind, message=message, documents=documents
    )


def _told(
    question: str,
    kind: ReplyKind,
    lines: list[str],
    documents: tuple[Document, ...],
    *,
    speakers: tuple[QuotedSpeaker, ...] = (),
) -> Answer:
    """A reply the documents give about themselves (metadata, who is quoted): certain."""
    return Answer(
        question,
        answered=True,
        confidence="high",
        kind=kind,
        message="\n".join(lines),
        documents=documents,
        speakers=speakers,
    )
