"""Who said it, for a question searched rather than answered from the roster: which passages
can hold what the person or body asked about said ("What did ICE officials say …?" keeps the
paragraphs where ICE officials say something, not an FBI official's “we need to support ICE”),
and whether the who is a name no document has ("what did obama say": refused as "Obama").
"""

from __future__ import annotations

import re

from bot.attribution import is_title
from bot.conversation import is_pronoun
from bot.gate import question_names
from bot.intents import about_speaker, person_described, who_said_what
from bot.quotes import text_between
from bot.retrieve import Hit, Retriever, term_set, terms
from bot.vocabulary import words
from bot.which_document import title_terms


def without_article(phrase: str) -> str:
    """A phrase without the article it opens with ("the harland foundation")."""
    return re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)


_CAPITAL = "A-ZÀ-ÖØ-Þ"


_FULL_NAME = re.compile(
    rf"(?:^|\s)(?P<name>[{_CAPITAL}][a-zß-öø-ÿ’'-]+(?:\s+[{_CAPITAL}]\.)?\s+[{_CAPITAL}][a-zß-öø-ÿ’'-]+"
    rf"(?:[-’'][{_CAPITAL}][a-zß-öø-ÿ]+)?)$"
)
"""A given name and a surname, accented letters included ("Lucía Ferrand")."""


def full_name(phrase: str) -> str | None:
    """A given name and a surname ending the phrase ("Tom Harrow", "Dr Jane K. Doe"), or None
    ("Prof Okafor", "the harbour master", "Harrow")."""
    found = _FULL_NAME.search(phrase.strip().removesuffix("’s").removesuffix("'s"))
    if found is None:
        return None
    name = found["name"]
    given = name.split()[0]
    return None if is_title(given) else name


SAYING = re.compile(
    r"\b(?:say|says|said|tell|tells|told|write|writes|wrote|comment|comments|commented|think"
    r"|thinks|thought|quoted?)\b",
    re.IGNORECASE,
)
"""A question about someone's words, not their deeds ("What was Old Briton's response …?")."""


def unheard_of(text: str, retriever: Retriever) -> str | None:
    """Who a who-said question typed in lower case asks about ("what did obama say …":
    "Obama"), when no document has a word of it; the gate refuses "Obama" so, as a name it
    does not find. None for a description ("the spokeswoman"), a misspelt word the corpus has
    ("pendr"), one with an article ("the image caption"), and a question with capitals (the
    gate reads those itself)."""
    who = who_said_what(text)
    if who is None or question_names(text):
        return None  # "… according to reports?": "reports" is no one's name
    if who != without_article(who) or is_pronoun(who) or person_described(who) is not None:
        return None  # "the image caption", "the article": a thing described, not a name
    query_terms = retriever.query_terms(who)
    if not query_terms or retriever.corpus_coverage(query_terms) > 0:
        return None
    return " ".join(w[:1].upper() + w[1:] for w in who.split())


def involving_who_said(question: str, hits: list[Hit], retriever: Retriever) -> list[Hit]:
    """For "What did the FBI say about bike lanes?", searched because no speaker is described
    so: the hits whose paragraph, or whose document's title, names who is asked about (a
    passage on bike lanes that never mentions the FBI is not what the FBI said; in the story
    headed "Halvern Robotics to build …", "what did the Halvern CEO say?" may be any). When
    people are asked about ("ICE officials"), a paragraph naming them must also have them
    say something (`_says_something`): an FBI official's “we need to support ICE” is not what
    ICE officials said."""
    asked = about_speaker(question)
    if asked is None or asked.form != "said" or is_pronoun(asked.who):
        return hits
    # only the names in it, as the corpus writes them ("the DOJ" for "the Department of
    # Justice", "the historian" for a professor of history are not checked)
    vocabulary = retriever.vocabulary
    named = [w for name in question_names(question) if name in asked.who for w in words(name)]
    if not named or not all(map(vocabulary.has_word, named)):
        return hits
    who = tuple(dict.fromkeys(terms(" ".join(named))))
    titles = title_terms(retriever.documents)
    # what a person said or thought ("What did ICE officials think …"), or anyone said ("What
    # did ICE say …"); not what a phrase means, nor "according to the Princeton Review"
    a_person = person_described(asked.who) is not None or full_name(asked.who) is not None
    # "Has the Justice Department said whether …?": a passage naming it on that ("we have never
    # heard if the Department of Justice will take the same stance") answers, whoever says it
    speech = not asked.whether and (
        _SPEECH_ASKED.search(question) or (a_person and SAYING.search(question))
    )
    return [
        h
        for h in hits
        if titles[h.chunk.document].issuperset(who)
        or (
            retriever.paragraph_match(who, h.row)[0] >= 0.5
            and (not speech or _says_something(frozenset(who), h.row, retriever))
        )
    ]


_SPEECH_ASKED = re.compile(r"\b(?:say|says|said|tell|told|respond|responded)\b", re.IGNORECASE)


_REPORTED_SAYING = re.compile(
    r"\b(?:say|says|said|saying|tell|tells|told|stated|stating|statement|announce[sd]?"
    r"|announcing|argue[sd]?|warn(?:s|ed)?|add(?:s|ed)|wr(?:ote|ites?)|responded|replied"
    r"|claim(?:s|ed)?|insist(?:s|ed)?|den(?:y|ies|ied)|confirm(?:s|ed)?|explain(?:s|ed)?"
    r"|note[sd]|comment(?:s|ed)?|urge[sd]?|testif(?:y|ies|ied)|admit(?:s|ted)?"
    r"|acknowledge[sd]?|spoke|speaking|describe[sd]?|rul(?:e|es|ed|ing)"
    r"|held|holds|found|finds|decided|conclude[sd]?|declare[sd]?|maintain(?:s|ed)?"
    r"|suggest(?:s|ed)?|propose[sd]?|recommend(?:s|ed)?|predict(?:s|ed)?|believe[sd]?|think"
    r"|thinks|thought|feel|feels|felt|consider(?:s|ed)?|assert(?:s|ed)?|contend(?:s|ed)?"
    r"|reported|estimate[sd]?|regarded|viewed)\b",
    re.IGNORECASE,
)
"""Words that report what someone said, held or thought, one word each ("ICE said in a
statement", "the Court of Justice held that …", "a writer … maintains"; "according to" before
a name is `_saying_beside`'s)."""


SAID_WITHIN = 8
"""Words after a name within which a word of saying makes it the one who said it."""


def _says_something(who: frozenset[str], row: int, retriever: Retriever) -> bool:
    """Whether the chunk's paragraph has someone with these words in their name or role
    saying something: a sentence attributed to them, or one where a word reporting speech
    closely follows their name ("ICE officials said …", "[DHS] has publicly stated …") or
    "according to" precedes it; not an FBI official's “we need to support ICE”."""
    for chunk in retriever.index.chunks.paragraph(row):
        for sentence in chunk.sentences:
            said_by = sentence.attribution
            if said_by is not None and who <= term_set(said_by.label):
                return True
            text = text_between(chunk, sentence.start, sentence.end)
            if who <= term_set(text) and _saying_beside(who, text):
                return True
    return False


def _saying_beside(who: frozenset[str], text: str) -> bool:
    """Whether a word reporting speech follows one of these words closely (`SAID_WITHIN`), or
    "according to" comes just before it."""
    found = re.findall(r"[\w’'-]+", text)
    for at, word in enumerate(found):
        if not term_set(word) & who:
            continue
        if any(_REPORTED_SAYING.fullmatch(w) for w in found[at + 1 : at + SAID_WITHIN]):
            return True
        if "according to" in " ".join(found[max(0, at - 4) : at]).lower():
            return True
    return False
