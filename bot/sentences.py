"""Split one paragraph into sentences, as character offsets into it.

One left-to-right pass visits each run of sentence punctuation (``.``, ``!``, ``?``, ``…``). A run
ends a sentence when, after any closing quotes or brackets, it is followed by the end of the text
or by whitespace and something that can open a sentence: a capital letter, an opening quote or
bracket, or a digit. Three exceptions keep a sentence whole:

* a title that always precedes a name (``Mr.``, ``Gov.``, ``e.g.``) never ends a sentence;
* other abbreviations, dotted acronyms (``D.C.``, ``U.S.``, ``p.m.``) and single-letter initials
  end one only when the next word is a common sentence opener: ``... in Washington, D.C. The next
  day`` splits, while ``U.S. President`` and ``Jerome M. Pender`` do not;
* a ``?`` or ``!`` closing a quotation that a name and speech verb follow (``“Why?” Smith asked.``)
  belongs to that speech tag.

Work per punctuation run is bounded, so the pass is linear in the length of the text.
"""

from __future__ import annotations

import re

_CANDIDATE_END = re.compile(
    # Possessive runs, and a look-behind that only a run's first mark passes, keep a long run
    # of dots or spaces from being rescanned; a leading character class keeps the scan fast.
    r"(?P<run>[.!?…](?<![.!?…][.!?…])[.!?…]*+)(?P<closers>[”’\"')\]]*+)(?:\s++|\Z)"
)
_LETTERS = re.compile(r"[^\W\d_]{1,40}")
_OPENERS = frozenset("“‘\"'([")
_QUOTE_CLOSERS = frozenset("”’\"'")
_LONGEST_TOKEN = 40
"""How far back an abbreviation is looked for; longer tokens are ordinary words anyway."""

ABBREVIATED_TITLES = frozenset(
    "Mr Mrs Ms Mx Messrs Dr Prof Sen Rep Gov Gen Lt Col Capt Cmdr Sgt Cpl Maj Adm Rev Revd Hon Fr"
    " Supt Det Insp Pres Atty Cllr".split()
)
"""Titles written before a name, abbreviated ("Dr" of "Dr. Ruiz"): no sentence ends after one,
and attribution reads a name after one (with its period) as a person's."""
_RUNS_ON = ABBREVIATED_TITLES | frozenset("Mt Ft e.g i.e vs cf viz approx".split())
"""Abbreviations a sentence always runs on past."""
_ABBREVIATIONS = frozenset(
    "Jr Sr Inc Corp Co Ltd Bros Esq St Ave Blvd Rd No Nos al Jan Feb Mar Apr Jun Jul Aug Sep Sept"
    " Oct Nov Dec".split()
)
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
_SENTENCE_OPENERS = frozenset(
    "The A An This That These Those It Its He She They We I You His Her Their Our My But And Or So"
    " Yet In On At As If When While After Before Since Although Though However Meanwhile There"
    " Here What Why How Who Some Many Most All Such Still Then Now Later Earlier Both Each Every"
    " No Not Officials Police".split()
)
_SPEECH_TAG_AFTER_QUOTE = re.compile(
    r"(?:[A-Z][\w’'.-]*\s+){1,4}(?:said|says|asked|asks|replied|replies|shouted|cried|wondered"
    r"|added|wrote|told|responded|exclaimed)\b"
)
_SPEECH_TAG_WINDOW = 120


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace (no-break spaces and newlines too) to one space, trimmed."""
    return " ".join(text.split())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each sentence of ``text``, in order, trimmed of whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for candidate in _CANDIDATE_END.finditer(text):
        end = _sentence_end(text, candidate)
        if end is not None:
            _append_trimmed(spans, text, start, end)
            start = end
    _append_trimmed(spans, text, start, len(text))
    return spans


def is_abbreviation(token: str) -> bool:
    """Whether ``token`` (with or without its final period) is a known abbreviation or initial."""
    bare = token.rstrip(".").lstrip("“‘\"'([")
    return (
        bare in _RUNS_ON
        or bare in _ABBREVIATIONS
        or _DOTTED_ACRONYM.fullmatch(bare) is not None
        or (len(bare) == 1 and bare.isupper())
    )


def _sentence_end(text: str, candidate: re.Match[str]) -> int | None:
    """Where the sentence closed by this punctuation ends, or None if it does not end here.

    ``candidate`` is a punctuation run, its closing quotes or brackets, then whitespace or the
    end of the text."""
    end, following = candidate.end("closers"), candidate.end()
    if following == len(text):
        return end
    if not _can_open_sentence(text[following]):
        return None
    run = candidate.group("run")
    if run == "." and _abbreviation_continues(text, candidate.start(), following):
        return None
    if _closes_quote_before_tag(text, candidate, following):
        return None
    return end


def _can_open_sentence(character: str) -> bool:
    return character.isupper() or character.isdigit() or character in _OPENERS


def _abbreviation_continues(text: str, period: int, following: int) -> bool:
    """Whether the word before this period is an abbreviation the sentence runs on past."""
    token = _token_before(text, period).lstrip("“‘\"'([")
    if token in _RUNS_ON:
        return True
    if not is_abbreviation(token):
        return False
    # An abbreviation can also end a sentence; only a common opener after it says so.
    return not (text[following] in _OPENERS or _word_at(text, following) in _SENTENCE_OPENERS)


def _token_before(text: str, position: int) -> str:
    window = text[max(0, position - _LONGEST_TOKEN) : position]
    if not window or window[-1].isspace():
        return ""
    return window.rsplit(maxsplit=1)[-1]


def _word_at(text: str, position: int) -> str:
    letters = _LETTERS.match(text, position)
    return letters.group() if letters else ""


def _closes_quote_before_tag(text: str, candidate: re.Match[str], following: int) -> bool:
    """``“Why?” Smith asked.``: a question or exclamation inside a quote, then its speech tag."""
    if "." in candidate.group("run") or not _QUOTE_CLOSERS.intersection(candidate["closers"]):
        return False
    window_end = min(len(text), following + _SPEECH_TAG_WINDOW)
    return _SPEECH_TAG_AFTER_QUOTE.match(text, following, window_end) is not None


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece) - len(piece.rstrip())
    if left < len(piece):
        spans.append((start + left, end - right))
