"""The corpus's words, with look-ups that forgive one wrong letter ("Moris" finds "morris").

Used by retrieval (a misspelt query word is searched as the corpus word it nearly is) and by the
gate (a name the question uses counts as mentioned when the corpus has it, nearly).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cached_property

_CAPITALISED_RUN = re.compile(r"[A-Z][\w-]*(?:\s+(?:(?:of|and|for|the|de|&)\s+)*[A-Z][\w-]*)+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words without accents ("Céleron" is "celeron"), curly apostrophes
    straightened and a possessive 's dropped."""
    return [_fold(w).removesuffix("'s") for w in _WORD.findall(text)]


def _fold(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Vocabulary:
    """Every word the corpus uses (lower-cased), with look-ups forgiving one wrong letter."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._texts = list(texts)
        self.words: frozenset[str] = frozenset(w for t in self._texts for w in words(t))

    def has_initials(self, acronym: str) -> bool:
        """Whether consecutive capitalised words of the corpus spell the acronym, with or
        without the small words between them ("Department of Justice": DOJ, DJ)."""
        letters = "".join(c for c in acronym.lower() if c.isalnum())
        return letters in self._initials

    @cached_property
    def _initials(self) -> frozenset[str]:
        found: set[str] = set()
        for text in self._texts:
            for run in _CAPITALISED_RUN.findall(text):
                every = [w for w in run.split() if w]
                for initials in (
                    "".join(w[0] for w in every),
                    "".join(w[0] for w in every if w[0].isupper()),
                ):
                    initials = initials.lower()
                    found.update(
                        initials[i:j]
                        for i in range(len(initials))
                        for j in range(i + 2, min(len(initials), i + 6) + 1)
                    )
        return frozenset(found)

    def knows(self, word: str) -> bool:
        return word in self.words or self.correct(word) is not None

    def correct(self, word: str) -> str | None:
        """The corpus word one edit away (insert, delete, substitute, swap) from a word of four
        letters or more that the corpus lacks; None when there is none."""
        if word in self.words:
            return word
        if len(word) < 4:
            return None
        candidates = {
            candidate
            for variant in _deletions(word) | {word}
            for candidate in self._by_deletion.get(variant, ())
            if one_edit(word, candidate)
        }
        return min(candidates, default=None)  # the same answer on every run

    @cached_property
    def _by_deletion(self) -> dict[str, tuple[str, ...]]:
        index: dict[str, list[str]] = {}
        for word in sorted(self.words):
            if len(word) >= 3:
                for variant in _deletions(word) | {word}:
                    index.setdefault(variant, []).append(word)
        return {k: tuple(v) for k, v in index.items()}


def one_edit(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1:
        return False
    pairs = enumerate(zip(a, b, strict=False))
    prefix = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
    a_rest, b_rest = a[prefix:], b[prefix:]
    return (
        a_rest[1:] == b_rest[1:]
        or a_rest[1:] == b_rest
        or a_rest == b_rest[1:]
        or (len(a_rest) >= 2 and a_rest[1] + a_rest[0] + a_rest[2:] == b_rest)
    )


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
