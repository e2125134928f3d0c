"""Who is quoted, and where: the speakers of an index and their statements.

chunk (attributed sentences) → **speakers** → answer. A speaker is a name (or, for an unnamed
speaker, the description the text uses) within one document; a statement is one paragraph in
which sentences are attributed to them. `find_speaker` reads a phrase of a question ("Kraut",
"Alan Kraut", "the Houston agent", "Moris") as one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.lexical import STOPWORDS
from bot.records import Attribution, Chunk, PassageKind, Sentence
from bot.vocabulary import one_edit, words

_GENERIC = frozenset(
    """mr mrs ms dr prof the a an one some another other said says unnamed anonymous""".split()
)


@dataclass(frozen=True)
class Statement:
    """One paragraph's sentences attributed to a speaker: file offsets and the chunks."""

    paragraph: int
    passage: PassageKind
    start: int
    end: int
    chunk_ids: tuple[int, ...]


@dataclass(frozen=True)
class Speaker:
    """Someone quoted in one document, with every statement, in article order."""

    document: int
    name: str | None
    role: str | None
    statements: tuple[Statement, ...]

    @property
    def attribution(self) -> Attribution:
        return Attribution(self.name, self.role)

    @property
    def label(self) -> str:
        return self.attribution.label


def roster(chunks: Sequence[Chunk]) -> tuple[Speaker, ...]:
    """Every speaker of the index in order of first appearance, statements in article order."""
    order: list[tuple[int, str]] = []
    roles: dict[tuple[int, str], str | None] = {}
    names: dict[tuple[int, str], str | None] = {}
    spans: dict[tuple[int, str], dict[tuple[int, PassageKind], list[tuple[Sentence, int]]]] = {}
    for chunk in chunks:
        for sentence in chunk.sentences:
            who = sentence.attribution
            if who is None or not (who.speaker or who.role):
                continue
            key = (chunk.document, (who.speaker or who.role or "").lower())
            if key not in spans:
                order.append(key)
                spans[key] = {}
                names[key], roles[key] = who.speaker, who.role
            roles[key] = roles[key] or who.role
            spans[key].setdefault((chunk.paragraph, chunk.passage), []).append((sentence, chunk.id))
    return tuple(
        Speaker(
            document=key[0],
            name=names[key],
            role=roles[key],
            statements=tuple(_statement(p, k, found) for (p, k), found in spans[key].items()),
        )
        for key in order
    )


def _statement(
    paragraph: int, passage: PassageKind, found: list[tuple[Sentence, int]]
) -> Statement:
    return Statement(
        paragraph=paragraph,
        passage=passage,
        start=min(s.start for s, _ in found),
        end=max(s.end for s, _ in found),
        chunk_ids=tuple(sorted({chunk_id for _, chunk_id in found})),
    )


def find_speaker(
    phrase: str, speakers: Sequence[Speaker], *, exclude: Speaker | None = None
) -> Speaker | None:
    """The one speaker a phrase names: by name (surname, full name, one wrong letter allowed)
    or, when every word of the phrase is in a speaker's role, by role ("the Houston agent").
    None when nobody, or more than one speaker, fits equally well."""
    asked = [w for w in words(phrase) if w not in STOPWORDS and w not in _GENERIC]
    if not asked:
        return None
    scored = [(s, _fit(asked, s)) for s in speakers if s != exclude]
    best = max((score for _, score in scored), default=0.0)
    winners = {(s.document, s.name, s.role): s for s, score in scored if score == best}
    if best <= 0 or len({(s.name, s.role) for s in winners.values()}) != 1:
        return None
    return next(iter(winners.values()))


def _fit(asked: list[str], speaker: Speaker) -> float:
    """2 + how much of the phrase the name holds, for a name match (an exact word counts more
    than one with a wrong letter); the share for a role that holds every word; 0 otherwise."""
    name = words(speaker.name or "")
    role = [w for w in words(speaker.role or "") if w not in STOPWORDS]
    named = sum(max((_closeness(w, n) for n in name), default=0.0) for w in asked)
    if named and 2 * named >= len(asked):
        return 2.0 + named / len(asked)
    in_role = sum(max((_closeness(w, r) for r in role), default=0.0) > 0 for w in asked)
    return in_role / len(asked) if in_role == len(asked) else 0.0


def _closeness(asked: str, known: str) -> float:
    """1 for the same word; 0.9 for one wrong letter or a shared stem ("agent", "agents")
    between words of four letters or more; else 0."""
    if asked == known:
        return 1.0
    if len(asked) < 4 or len(known) < 4:
        return 0.0
    if one_edit(asked, known) or known.startswith(asked) or asked.startswith(known):
        return 0.9
    return 0.0
