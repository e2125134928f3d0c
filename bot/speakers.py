"""Who is quoted, and where: the speakers of an index and their statements.

chunk (attributed sentences) → **speakers** → answer. A speaker is a name (or, for an unnamed
speaker, the description the text uses) within one document; a statement is one paragraph in
which sentences are attributed to them. `find_speaker` reads a phrase of a question ("Kraut",
"Alan Kraut", "the Houston agent", "Moris") as one of them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, cast

from bot.lexical import STOPWORDS
from bot.records import Attribution, Chunk, PassageKind, Sentence
from bot.vocabulary import one_edit, words

_GENERIC = frozenset(
    """mr mrs ms dr prof the a an one some another other said says unnamed anonymous
    guy guys man men woman women lady ladies gentleman bloke chap fellow fella dude person
    people someone somebody""".split()
)
"""Words of a description that fit anyone: "the Houston guy" is the one whose role holds
"Houston"."""


_SCHOLARS = "professor lecturer researcher scholar historian academic scientist economist"
_OFFICIALS = "official director agent secretary spokesman spokeswoman spokesperson commissioner"
_POLITICIANS = "senator representative mayor governor councillor councilman councilwoman"
_KINDS = {
    kind: frozenset(members.split())
    for kind, members in {
        "academic": _SCHOLARS,
        "scholar": _SCHOLARS,
        "historian": f"{_SCHOLARS} history",  # "specializes in immigration history"
        "expert": f"{_SCHOLARS} analyst specialist expert",
        "official": f"{_OFFICIALS} minister officer administrator",
        "police": "police officer sheriff detective constable trooper",
        "cop": "police officer sheriff detective constable trooper",
        "politician": f"{_POLITICIANS} congressman congresswoman lawmaker legislator minister",
        "lawmaker": f"{_POLITICIANS} congressman congresswoman lawmaker legislator",
        "lawyer": "lawyer attorney counsel solicitor barrister prosecuting defending prosecutor",
        # court reports: "Claire Donnelly, prosecuting," / "Defence lawyer Sam Ortiz"
        "prosecutor": "prosecutor prosecuting prosecution",
        "prosecution": "prosecutor prosecuting prosecution",
        "defence": "defence defense defending",
        "defense": "defence defense defending",
    }.items()
}
"""What a general word for a person takes in: "an academic" is quoted as "a professor at …"."""


_SAME_POST = {
    word: frozenset(posts.split())
    for word, posts in {
        "boss": "manager head chief director chair chairman chairwoman leader coach president",
        "gaffer": "manager coach",
        "skipper": "captain",
        "exec": "executive",
        # "the union rep": written as the union's "regional organiser", "shop steward", …
        "rep": "representative organiser organizer official steward convenor delegate",
        "reps": "representatives organisers organizers officials stewards convenors delegates",
        "spokesperson": "spokesman spokeswoman",
        "spokesman": "spokesperson spokeswoman",
        "spokeswoman": "spokesperson spokesman",
        "owner": "founder founded co-founder proprietor",  # "the brewery owner": its founder
        "founder": "founded co-founder",
        "attorney": "lawyer counsel solicitor barrister",
        # "the independent expert": "a soil scientist … who was not involved in the research"
        "independent": "independent involved",
    }.items()
}
"""What a word people use for a post may be written as in a role ("the Port Selby boss" is
"Port Selby manager")."""


def _proper_words(role: str | None) -> frozenset[str]:
    """The capitalised words of a role ("Castlebridge", "FBI"), possessives cut; not "The"."""
    bare = (
        w.lower().removesuffix("’s").removesuffix("'s")
        for w in (role or "").split()
        if w[:1].isupper()
    )
    return frozenset(w for w in bare if w not in STOPWORDS)


def posts_meant(word: str) -> frozenset[str]:
    """The words a role may be written with for a word people use for a post ("boss":
    "manager", "head", "chief", …); the word itself for any other."""
    return frozenset({word.lower()}) | _SAME_POST.get(word.lower(), frozenset())


def kind_of(word: str) -> frozenset[str]:
    """The role words a word for a kind of person takes in (plural or not); the word itself
    for any other."""
    word = word.lower()
    singular = word[:-1] if word.endswith("s") and len(word) > 3 else word  # "directors"
    return _KINDS.get(word) or _KINDS.get(singular) or frozenset({word, singular})


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


def speaker_record(speaker: Speaker) -> list[Any]:
    """The speaker as a JSON value (what a build stores: `speaker_from_record` reads it)."""
    return [
        speaker.document,
        speaker.name,
        speaker.role,
        [[s.paragraph, s.passage, s.start, s.end, list(s.chunk_ids)] for s in speaker.statements],
    ]


def speaker_from_record(record: list[Any]) -> Speaker:
    document, name, role, statements = record
    return Speaker(
        document=int(document),
        name=name,
        role=role,
        statements=tuple(
            Statement(int(p), cast(PassageKind, str(k)), int(a), int(b), tuple(int(i) for i in ids))
            for p, k, a, b, ids in statements
        ),
    )


def moved(speaker: Speaker, *, document: int, shift: int) -> Speaker:
    """The speaker of a document carried into another build: its number there, its chunks'
    rows ``shift`` further on."""
    return replace(
        speaker,
        document=document,
        statements=tuple(
            replace(s, chunk_ids=tuple(i + shift for i in s.chunk_ids)) for s in speaker.statements
        ),
    )


class Roster:
    """The speakers of an index, with their names' and roles' words indexed, so that finding
    the one a phrase names reads only the speakers who share a word (or nearly) with it."""

    def __init__(self, speakers: Iterable[Speaker]) -> None:
        self.speakers = tuple(speakers)

    def find(self, phrase: str, *, exclude: Speaker | None = None) -> Speaker | None:
        """`find_speaker` over the whole roster."""
        return find_speaker(phrase, self._sharing_words(phrase), exclude=exclude)

    def find_all(self, phrase: str) -> list[Speaker]:
        """`find_speakers` over the whole roster."""
        return find_speakers(phrase, self._sharing_words(phrase))

    def of_kind(self, word: str) -> list[Speaker]:
        """The speakers whose role holds a word of the kind (`kind_of`): "academic" fits
        "a professor at American University"."""
        members = kind_of(word) | posts_meant(word)  # "the boss": a manager, a chief, …
        index = self._role_words
        positions = sorted(set().union(*(index.get(member, ()) for member in members)))
        return [self.speakers[p] for p in positions]

    @cached_property
    def _role_words(self) -> dict[str, set[int]]:
        """The speakers whose role holds a word, by the word and by it without its final s's
        (as `of_kind` matches): read once, since a corpus can quote tens of thousands."""
        found: dict[str, set[int]] = {}
        for position, speaker in enumerate(self.speakers):
            for word in words(speaker.role or ""):
                found.setdefault(word, set()).add(position)
                found.setdefault(word.rstrip("s"), set()).add(position)
        return found

    def sharing_role(self, speaker: Speaker) -> list[Speaker]:
        """The other speakers of the same document whose role is the same as this one's ("the
        other one with the same title": two assistant directors of one division)."""
        if not speaker.role:
            return []
        role = words(speaker.role)
        return [
            s
            for s in self._of_document.get(speaker.document, ())
            if s != speaker and words(s.role or "") == role
        ]

    def sharing_organisation(self, speaker: Speaker) -> list[Speaker]:
        """The other speakers of the same document whose role names a place of the speaker's
        own (a capitalised word of it: "the FBI’s Criminal Justice Information Services
        division", "Castlebridge manager" and "Castlebridge captain"), those sharing most first."""
        own = _proper_words(speaker.role)
        shared = {
            s: len(own & _proper_words(s.role))
            for s in self._of_document.get(speaker.document, ())
            if s != speaker
        }
        # two such words when the role has them: "one FBI official" is not of that division
        least = min(2, len(own))
        fitting = [s for s, count in shared.items() if count and count >= least]
        return sorted(fitting, key=lambda s: -shared[s])

    def of_document(self, document: int) -> list[Speaker]:
        """The speakers of one document, in the roster's order."""
        return self._of_document.get(document, [])

    @cached_property
    def _of_document(self) -> dict[int, list[Speaker]]:
        found: dict[int, list[Speaker]] = {}
        for speaker in self.speakers:
            found.setdefault(speaker.document, []).append(speaker)
        return found

    def _sharing_words(self, phrase: str) -> list[Speaker]:
        asked = [w for w in words(phrase) if w not in STOPWORDS and w not in _GENERIC]
        # "boss": "manager"; "defence lawyer": "defending" (as `_fit` takes them)
        asked += [post for w in asked for post in _SAME_POST.get(w, set()) | _KINDS.get(w, set())]
        positions = sorted({p for word in asked for p in self._positions(word)})
        return [self.speakers[p] for p in positions]

    def of(self, attribution: Attribution) -> Speaker | None:
        """The first speaker with this name and role."""
        position = self._by_attribution.get(attribution)
        return None if position is None else self.speakers[position]

    def _positions(self, asked: str) -> set[int]:
        """Speakers with a word `_closeness` may find close to ``asked`` (a superset)."""
        index = self._index
        found = set(index["words"].get(asked, ()))
        if len(asked) < 4:
            return found
        for variant in _deletions(asked):
            for word in index["variants"].get(variant, ()):
                found |= index["words"][word]
        for end in range(4, len(asked)):  # words that begin the asked one
            found |= index["words"].get(asked[:end], set())
        known = index["sorted"]
        at = bisect.bisect_left(known, asked)
        while at < len(known) and known[at].startswith(asked):  # words that it begins
            found |= index["words"][known[at]]
            at += 1
        return found

    @cached_property
    def _index(self) -> dict[str, Any]:
        by_word: dict[str, set[int]] = {}
        for position, speaker in enumerate(self.speakers):
            role = [w for w in words(speaker.role or "") if w not in STOPWORDS]
            for word in (*words(speaker.name or ""), *role):
                by_word.setdefault(word, set()).add(position)
        variants: dict[str, set[str]] = {}
        for word in by_word:
            if len(word) >= 4:
                for variant in _deletions(word):
                    variants.setdefault(variant, set()).add(word)
        return {"words": by_word, "variants": variants, "sorted": sorted(by_word)}

    @cached_property
    def _by_attribution(self) -> dict[Attribution, int]:
        found: dict[Attribution, int] = {}
        for position, speaker in enumerate(self.speakers):
            found.setdefault(speaker.attribution, position)
        return found


def _deletions(word: str) -> set[str]:
    """The word and each of its one-letter deletions: two words one edit apart share one."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


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
    return the_one(find_speakers(phrase, speakers, exclude=exclude))


def the_one(winners: Sequence[Speaker]) -> Speaker | None:
    """The speaker `find_speakers`' winners name, when they are one name and role (maybe in
    several documents: the first); None otherwise."""
    if len({(s.name, s.role) for s in winners}) != 1:
        return None
    return winners[0]


def find_speakers(
    phrase: str, speakers: Sequence[Speaker], *, exclude: Speaker | None = None
) -> list[Speaker]:
    """Every speaker the phrase fits best (as `find_speaker` scores them), in roster order:
    several when it fits more than one equally ("an FBI official" in a story quoting two)."""
    asked = [w for w in words(phrase) if w not in STOPWORDS and w not in _GENERIC]
    if not asked:
        return []
    # a name and role quoted in many documents (say, syndicated copies) are scored once
    fits: dict[tuple[str | None, str | None], float] = {}
    scored = []
    for speaker in speakers:
        if speaker != exclude:
            key = (speaker.name, speaker.role)
            if key not in fits:
                fits[key] = _fit(asked, speaker)
            scored.append((speaker, fits[key]))
    best = max(fits.values(), default=0.0)
    if best <= 0:
        return []
    winners = {(s.document, s.name, s.role): s for s, score in scored if score == best}
    return list(winners.values())


def _fit(asked: list[str], speaker: Speaker) -> float:
    """2 + how much of the phrase the name holds, for a name match whose other words are in
    the role (an exact word counts more than one with a wrong letter); 1 for a role that holds
    every word; less for a name match with words neither holds; 0 otherwise."""
    name = words(speaker.name or "")
    role = [w for w in words(speaker.role or "") if w not in STOPWORDS]
    in_name = [max((_closeness(w, n) for n in name), default=0.0) for w in asked]
    # a word for the post matches as written (1) before as another word for it ("boss" of a
    # manager, "spokesman" of a spokeswoman, "defence lawyer" of "defending": 0.8), so "the
    # spokesman" is the spokesman first
    in_role = [
        1.0
        if max((_closeness(w, r) for r in role), default=0.0) > 0
        else 0.8
        if (_SAME_POST.get(w, set()) | _KINDS.get(w, set())) & set(role)
        else 0.0
        for w in asked
    ]
    named = sum(in_name)
    if named and 2 * named >= len(asked):
        if all(n or r for n, r in zip(in_name, in_role, strict=True)):
            return 2.0 + named / len(asked)
        # "the mayor of Dunmore" of Rachel Dunmore, the club's chief executive: below a role
        # that holds every word (Samuel Adeyemi, the mayor of Dunmore)
        return named / len(asked) / 2
    return sum(in_role) / len(asked) if all(in_role) else 0.0


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
