"""What kind of question is this? The forms answered otherwise than by searching the passages.

About the bot and its documents:
- "Hi", "What can you do?" → what the bot is, and the documents it knows; "Thanks!" → welcome.
- "What documents do you have?" → the same.
- "When was this published?", "Who wrote the article?" → the document's own details.
- "What is the article about?", "Summarize the story" → how the document sums itself up.
- "What does ICE stand for?" → where a document spells it out (else it is searched).
- "Does the article mention Chicago?", "Which article mentions Chicago?", "Find the part about
  fingerprints" → the passages that do.

From the speakers:
- "Who is quoted?", "Whose words does the piece use?", "How many people are quoted?" → the
  roster (of the document described, "Who is quoted in the bike lanes story?").
- "What did X say [about T]?", "What did X add?", "What does X think of T?", "According to X,
  T?" → X's statements (on T first).
- "Who is X?" → X's role, with the passage that gives it.
- "What did X and Y say?", "Who are X and Y?" → each one's statement (or role) in turn.
- "Who said that?" (in a thread) → the last answer's speaker, or that no one is quoted.

Pure functions of the question's text; whether X is a speaker is `speakers.find_speaker`'s call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.lexical import STOPWORDS
from bot.vocabulary import words

_ROSTER = re.compile(
    r"^(?:so\s+|and\s+)?(?:"
    r"who(?:\s+all)?(?:(?:'s|’s| is| are| was| were| gets?| got| has been| have been)\s+"
    r"(?:being\s+|all\s+)?"
    # with no "is" or "was", "who interviewed the restorer" asks who did the interviewing
    r"|\s+(?:all\s+)?(?!interviewed\s+(?:the|a|an|her|him|them|this|that|his|their)\b))"
    # not "who is quoted saying 'I agree'?", which asks who said those words
    r"(?:quoted|cited|interviewed)\b(?!\s+(?:as\s+)?(?:saying|calling|describing|warning)\b)"
    r"|who\s+(?:does|did|do)\s+(?:the\s+|this\s+|that\s+)?(?:article|story|piece|report|it)\s+"
    r"(?:quote|cite|interview)\b"
    # "Which officials does the article quote?", "which experts are cited"; not "Which country
    # is it that exports the most oil?"
    r"|which\s+(?:\w+\s+){0,2}(?:(?:does|did|do)\s+(?:the\s+|this\s+)?"
    r"(?:article|story|piece|report|it)|(?:are|were|is|was)\s+(?:(?:the\s+|this\s+)?"
    r"(?:article|story|piece|report)|it\s+(?:quoting|citing)|quoted|cited))\b"
    r"(?:\s+(?:quote|cite|interview))?"
    r"|whose\s+(?:words|quotes|statements)\b"
    r"|who\s+(?:are|were)\s+(?:the\s+)?(?:sources|speakers|people quoted)\b"
    r"|(?:list|name)\s+(?:the\s+|all\s+)?(?:sources|speakers|people quoted)\b"
    r"|(?:list|name|show)\s+(?:me\s+)?(?:everyone|everybody|all\s+(?:the\s+)?people|the\s+people"
    r"|all\s+(?:the\s+)?speakers)\s+(?:who\s+(?:is|are|was|were)\s+)?(?:quoted|cited)\b"
    r"|how\s+many\s+(?:people|persons|speakers|sources|officials|voices)\s+(?:are|were|get|got)\s+"
    r"(?:quoted|cited|interviewed)\b"
    r"|who\s+else\s+(?:is|was|gets|got)\s+(?:quoted|cited|interviewed)\b"
    r"|(?:who|anyone|anybody|someone)\s+else\W*$"  # "anyone else?" after someone's words
    r"|(?:give|show|list)\s+(?:me\s+|us\s+)?(?:the\s+|all\s+(?:the\s+)?)?"
    r"(?:key\s+|main\s+|best\s+|top\s+|important\s+)?quotes\W*$"
    r"|what\s+are\s+the\s+(?:key\s+|main\s+|best\s+|top\s+|important\s+)?quotes\W*$"
    r")",
    re.IGNORECASE,
)
_SAID = re.compile(
    r"^(?:so\s+|and\s+|ok(?:ay)?,?\s+)?what\s+(?P<more>else\s+)?"
    r"(?:did|does|do|has|have|had|would|didn['’]?t|doesn['’]?t|don['’]?t)\s+"
    r"(?P<who>[^?]+?)\s+(?:also\s+|have\s+to\s+|then\s+|not\s+)?"
    r"(?:say|said|saying|tell|told|write|wrote|add|added|reply|replied|respond|responded|"
    r"think|thought|argue|argued|claim|claimed|mean|meant|comment|commented|answer|answered)"
    r"\b(?:\s+(?:about|on|regarding|of|by|to|concerning)\b)?\s*(?P<topic>[^?]*?)\s*[?.!]*$",
    re.IGNORECASE,
)
_TO_SOMEONE = re.compile(r"\b(?:to|tell|told)\s*$", re.IGNORECASE)
"""What `_SAID` reads before a topic when the words after it may be whom it was said to."""
_ADDED = re.compile(r"\b(?:add|added)\b", re.IGNORECASE)
_OWN_WORDS = re.compile(
    r"^(?:and\s+|so\s+)?(?:what\s+(?:are|were|is|was)\s+)?(?P<whose>his|her|their)\s+"
    r"(?P<direct>(?:direct|exact|actual|own)\s+)?(?:quotes?|words|statements?|comments?)\s*[?.!]*$",
    re.IGNORECASE,
)
_SAID_MORE = re.compile(
    # "Did he write anything else?", "Does Kraut say anything more about T?"
    r"^(?:so\s+|and\s+|ok(?:ay)?,?\s+)?(?:did|does|has|had)\s+(?P<who>[^?]+?)\s+"
    r"(?:say|said|write|written|wrote|add|added|tell|told|mention|mentioned)\s+"
    r"(?:anything|something)\s+(?:else|more)(?:\s+(?:later|afterwards|after\s+that))?"
    r"(?:\s+(?:about|on|regarding|concerning)\s+(?P<topic>[^?]+?))?"
    r"(?:\s+(?:in|later\s+in)\s+(?:the|this|that)\s+(?:story|article|piece|text|e-?mail))?"
    r"\s*[?.!]*$",
    re.IGNORECASE,
)
_SAYS_WHETHER = re.compile(
    # "does he say whether the program cuts crime?", "Did Kraut mention autonomy?", "has the
    # judge said anything about bail?" (not "Did he say anything else?": `_SAID_MORE`)
    r"^(?:so\s+|and\s+|ok(?:ay)?,?\s+)?(?:does|did|has|had)\s+"
    # someone, not a clause ("did pender think the fbi could use it if the owner said no")
    r"(?P<who>(?!(?:it|this|that|they)\b)(?:(?!(?:if|whether|could|would|should|can|will|think"
    r"|thinks|believe|believes|feel|feels|want|wants|know|knows)\b)[^?\s]+\s+){1,7}?)"
    r"(?:say|said|mention|mentioned|talk\s+about|talked\s+about|comment\s+on|commented\s+on"
    r"|address|addressed)\s+"
    r"(?!(?:anything|something)\s+(?:else|more)\b)"
    r"(?:(?:anything|something)\s+(?:about|on|regarding|concerning)\s+|whether\s+|if\s+)?"
    r"(?P<topic>[^?]+?)\s*[?.!]*$",
    re.IGNORECASE,
)
_JOB = (
    r"(?:job(?:\s+title)?|title|role|position|post|occupation|profession|specialty|speciality"
    r"|specialism|field|expertise|area\s+of\s+(?:expertise|study|research)|line\s+of\s+work)"
)
_ROLE_OF = re.compile(
    r"^(?:so\s+|and\s+)?(?:(?:what|which)(?:'s|’s|s|\s+is|\s+was)\s+)?(?!(?:whats?|which)\b)"
    rf"(?P<who>(?:[\w’'.-]+\s+){{0,3}}?[\w’'.-]+?)(?:['’]s|(?<=s)['’])?\s+{_JOB}\s*[?.!]*$"
    r"|^(?:so\s+|and\s+)?(?:what|which)(?:'s|’s|s|\s+is|\s+was)\s+the\s+"
    rf"{_JOB}\s+of\s+(?P<who2>[^?]+?)\s*[?.!]*$",
    re.IGNORECASE,
)
_WHAT_IS_SOMEONE = re.compile(
    r"^(?:so\s+|and\s+)?what(?:['’]s|\s+is|\s+was)\s+"
    r"(?P<who>(?!(?:the|an?|this|that|his|her|their|its|your|our)\b)[a-z][\w’'.-]+\s+[a-z][\w’'-]+)"
    r"\s+(?:on|at|in|for|with)\s+(?:the|that|this)\s+(?:[\w’'-]+\s+){0,3}?"
    r"(?:committee|board|council|panel|team|club|company|firm|authority|department|agency|union"
    r"|hospital|university|school|paper|newspaper|show|programme|program|campaign)\s*[?.!]*$",
    re.IGNORECASE,
)
"""A post asked of someone named by given name and surname ("what is Bram Castellanos on the
committee?")."""
_WHERE_WORKS = re.compile(
    r"^(?:so\s+|and\s+)?(?:where|who)\s+(?:does|did|do)\s+(?P<who>[^?]+?)\s+"
    r"(?:teach|work|work\s+for|lecture|study|practi[sc]e|report\s+to)\s*[?.!]*$",
    re.IGNORECASE,
)
_SAME_JOB = re.compile(rf"\bsame\s+{_JOB}\b", re.IGNORECASE)


def asks_for_same_job(phrase: str) -> bool:
    """ "the other guy with the same title": someone whose role is the same as the thread's
    speaker's."""
    return bool(_SAME_JOB.search(phrase))


_BESIDES = re.compile(
    r"^\W*(?i:(?:and\s+)?(?:who|anyone|anybody|is\s+there\s+anyone)\s+else\s+(?:besides"
    r"|other\s+than|apart\s+from|aside\s+from|except(?:\s+for)?|than)\s+)"
    r"(?P<who>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})"
)


def someone_besides(question: str) -> str | None:
    """ "Who else besides Pender is an assistant director?": the one named, whom the answer
    leaves out (the others with their post); None for any other question."""
    found = _BESIDES.match(question)
    return None if found is None else found["who"].removesuffix("’s").removesuffix("'s")


_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they"}
_DOCUMENT_WORD = re.compile(
    r"\b(?:article|story|piece|report|document|headline|job|page|post|book)\b", re.IGNORECASE
)
_WHO_IS = re.compile(
    r"^(?:so\s+|and\s+)?who(?:'s|’s|\s+is|\s+was|(?P<plural>\s+are|\s+were))\s+(?P<who>[^?]+?)"
    r"\s*\??$",
    re.IGNORECASE,
)
_NOT_A_PERSON = re.compile(r"^(?:quoted|cited|interviewed|the source|in charge)\b", re.IGNORECASE)


@dataclass(frozen=True)
class AboutSpeaker:
    """A question about one speaker: what they said (maybe on a topic), or who they are."""

    form: Literal["said", "who_is"]
    who: str
    topic: str | None = None
    more: bool = False
    """ "What else did X say?": the statements a thread has not shown yet."""
    direct: bool = False
    """ "His direct quote?": the statements in the speaker's own quoted words first."""
    added: bool = False
    """ "What did he add?": what else he said, or, when the thread has shown all of it, the
    statement again (what he added may be its second sentence)."""
    whether: bool = False
    """ "Did he mention T?", "Does she say whether T?": asked whether the words were said, so
    a statement only close to T in meaning is not one on it."""
    where: str | None = None
    """The words that say where it was said, left out of the topic ("in the May e-mail":
    "may"): of several speakers a description fits, they may say which."""


VIEW_WORDS = (
    "think thinks thought take view views opinion position stance side response respond "
    "responds responding react reacts reacting reaction complain complains complaint problem "
    "issue concern concerns worry worries worried feel feels argue argues argument believe "
    "believes upset against skeptical sceptical say says saying reckon reckons justify "
    "justifies justifying explain explains explaining defend defends defending annoyed angry "
    "unhappy happy pleased why"
)
"""Words a question about someone's view uses (`asks_for_a_view`)."""
_VIEW = re.compile(rf"\b(?:{'|'.join(VIEW_WORDS.split())}|make\s+of)\b", re.IGNORECASE)


def asks_for_a_view(question: str) -> bool:
    """What someone thinks or says of something, or why they did it: "what's the union's
    problem with it?", "halvorsen's side of the story?", "is the scientist skeptical of the
    claims?", "how is the director justifying the ban?", "why did Pettifer vote no?"."""
    return bool(_VIEW.search(question))


def asks_for_roster(question: str) -> bool:
    return bool(_ROSTER.match(question.strip()))


_LINKS = r"(?:of|in|from|at|for|on|to|with|by|about)"
_KIND = r"(?P<who>(?:[\w’'-]+\s+){0,2}?[\w’'-]+)"
_QUOTED_VERB = r"(?:quoted|cited|interviewed)"
_WHICH_QUOTED = re.compile(
    r"^(?:so\s+|and\s+)?(?:"
    # "Which professor is quoted?"
    rf"which\s+{_KIND}\s+(?:is|are|was|were|gets?|got)\s+{_QUOTED_VERB}"
    # "Who's the outside expert quoted?", "whos the academic cited"
    rf"|who(?:['’]?s|\s+is|\s+was|\s+are|\s+were)\s+the\s+{_KIND.replace('who', 'who5')}"
    rf"\s+(?:(?:being|that\s+(?:is|was)|who\s+(?:is|was))\s+)?{_QUOTED_VERB}"
    # "who's the academic in the piece", "Who is the expert?"
    rf"|who(?:['’]?s|\s+is|\s+was)\s+the\s+(?P<who7>(?:(?!{_LINKS}\b)[\w’'-]+\s+){{0,2}}?"
    r"[\w’'-]+)"
    r"(?:\s+(?:in|from|of)\s+(?:the|this|that)\s+(?:[\w’'-]+\s+){0,3}?"
    r"(?:article|story|piece|report|column|text|e-?mails?(?:\s+(?:chain|thread))?|thread"
    r"|chain|exchange|memo|letter|transcript|interview|review|case|trial|hearing|match|game"
    r"|inquiry)"
    # "who's the academic they talked to", "… the reporter spoke with"
    r"|\s+(?:(?:that|who|whom)\s+)?(?:they|the\s+(?:reporter|writer|author|journalist|story"
    r"|article|piece))\s+(?:talked\s+to|spoke\s+(?:to|with)|turned\s+to|quoted?|cited?"
    r"|interviewed|used))?(?=\s*[?.!]*$)"
    # "any academics quoted in this?"
    rf"|any\s+{_KIND.replace('who', 'who8')}\s+{_QUOTED_VERB}"
    # "Is there an academic quoted?", "Are any experts cited?"
    rf"|(?:is|was)\s+there\s+(?:an?|any)\s+{_KIND.replace('who', 'who2')}\s+{_QUOTED_VERB}"
    rf"|(?:are|were)\s+(?:there\s+)?any\s+{_KIND.replace('who', 'who3')}\s+{_QUOTED_VERB}"
    # "Does the article quote any academics?", "Did they talk to a lawyer?"
    r"|(?:does|did)\s+(?:(?:the|this|that)\s+(?:[\w’'-]+\s+){0,3}?)?(?:article|story|piece|report"
    r"|it"
    r"|the\s+(?:reporter|author|writer))\s+(?:quote|cite|interview|talk\s+to|speak\s+(?:to|with))"
    rf"\s+(?:an?|any)\s+{_KIND.replace('who', 'who4')}(?=\s+(?:in|on|about|for)\b|\W*$)"
    # "Which academic does the piece bring in for outside comment?" (one: "Which officials
    # does it quote?" asks for everyone quoted)
    rf"|which\s+{_KIND.replace('who', 'who6')}(?<!s)\s+(?:does|did)\s+(?:the|this|that)\s+"
    r"(?:[\w’'-]+\s+){0,2}?(?:article|story|piece|report|column|it)\s+(?:quote|cite|interview"
    r"|feature|bring\s+in|turn\s+to|talk\s+to|speak\s+(?:to|with)|rely\s+on|use)"
    r")\b",
    re.IGNORECASE,
)


def asks_who_the_kind_is(question: str) -> bool:
    """ "Who is the expert?", "who's the academic in the piece": one of a kind asked for,
    which, when no one quoted is of that kind, may still be someone the text names ("Who was
    the Norse leader?")."""
    found = _WHICH_QUOTED.match(question.strip())
    return bool(found and found["who7"])


def roster_described(question: str) -> str | None:
    """ "Which professor is quoted?", "Is there an academic quoted?", "Does the story quote any
    experts?": the description of the speakers asked for, when it turns on a word for a person
    (`person_described`); None for "Which people are quoted?" and any other question."""
    found = _WHICH_QUOTED.match(question.strip())
    if found is None or (found["who7"] and _BARE_DETAIL.match(question)):
        return None  # ("Who is the reporter?" asks who wrote the document)
    names = ("who", "who2", "who3", "who4", "who5", "who6", "who7", "who8")
    who = next(found[name] for name in names if found[name])
    return who if person_described(who) is not None else None


_WORDS_OF = (
    r"(?:views?|opinions?|take|position|stance|response|reply|answer|comments?|words|quotes?"
    r"|explanation|reasoning|theory|verdict|assessment"
    r"|statements?|remarks?|worry|worries|concerns?|warnings?|fears?|point|argument"
    r"|complaints?|objections?)"
)
_SAID_OTHERWISE = re.compile(
    r"^(?:so\s+|and\s+|ok(?:ay)?,?\s+)?(?:"
    # "What was Pender's view on T?", "What were Roberts' words?"
    # (typed without the apostrophes: "whats roberts take on T")
    r"what(?:'s|’s|s|\s+is|\s+was|\s+are|\s+were)\s+(?P<who>[^?]+?)(?:['’]s|(?<=s)['’]?)\s+"
    + _WORDS_OF
    + r"(?:\s+(?:on|about|regarding|of|to|for)\s+(?P<topic>[^?]+?))?"
    # "Quotes from Pender", "Any comment from Morris on T?", "What was said by Pender?"
    r"|(?:any\s+|some\s+|the\s+)?" + _WORDS_OF + r"\s+(?:from|by)\s+(?P<who2>[^?]+?)"
    r"(?:\s+(?:on|about|regarding)\s+(?P<topic2>[^?]+?))?"
    # "Anything from Roberts (on T)?"
    r"|anything\s+(?:else\s+)?(?:from|by)\s+(?P<who5>[^?]+?)"
    r"(?:\s+(?:on|about|regarding)\s+(?P<topic5>[^?]+?))?"
    r"|what\s+(?:was|has\s+been)\s+said\s+by\s+(?P<who3>[^?]+?)"
    r"(?:\s+(?:on|about|regarding)\s+(?P<topic3>[^?]+?))?"
    # "Tell me what Kraut thinks (about T)"
    r"|(?:tell|show)\s+me\s+what\s+(?P<who4>[^?]+?)\s+(?:said|says|thinks|thought|wrote)"
    r"(?:\s+(?:on|about|regarding|of)\s+(?P<topic4>[^?]+?))?"
    # "What does the professor make of all this?", "what did Kraut think about it?"
    r"|what\s+(?:does|did|do)\s+(?P<who8>[^?]+?)\s+(?:make\s+of|think\s+(?:of|about))"
    r"\s+(?P<topic8>[^?]+?)"
    # "pender's worry re cities opting out?", "Kraut's view on ICE"
    r"|(?P<who7>(?:[\w’'.-]+\s+){0,2}?[\w’'.-]+?)(?:['’]s|(?<=s)['’])\s+"
    + _WORDS_OF
    + r"(?:\s+(?:on|about|re|regarding|over|of|to)\s+(?P<topic7>[^?]+?))?"
    # "pull the quote where Roberts admits it's a hard call", "find the line where she says …"
    r"|(?:pull|find|get|grab|give\s+me|show\s+me)\s+(?:up\s+)?(?:me\s+)?(?:the|a)\s+"
    r"(?:quote|line|bit|part|passage|sentence)\s+(?:where|in\s+which|when)\s+(?P<who9>[^?]+?)"
    r"\s+(?:says?|said|admits?|admitted|talks?\s+about|mentions?|explains?|warns?|argues?"
    r"|calls?|claims?|describes?|complains?\s+about)\s+(?:that\s+)?(?P<topic9>[^?]+?)"
    # "Compare what Lasky and Okafor said (about T)"
    r"|compare\s+what\s+(?P<who6>[^?]+?)\s+(?:said|say|says|think|thought|wrote|write)"
    r"(?:\s+(?:on|about|regarding)\s+(?P<topic6>[^?]+?))?"
    r")\s*[?.!]*$",
    re.IGNORECASE,
)


_WHO_SAID_IT = re.compile(
    r"^(?:so\s+|and\s+|ok(?:ay)?,?\s+)?(?:"
    # ("Who wrote it?" asks for the document's author, as the README says)
    r"(?:who|which\s+(?:one|official|person|of\s+them))\s+(?!(?:wrote|writes)\s+it\W*$)"
    r"(?:said|says|wrote|writes|is\s+saying"
    r"|was\s+saying)\s+(?:that|this|it|those\s+words"
    r"|these\s+words|the\s+(?:quote|first\s+one|last\s+one))"
    r"|whose\s+(?:words|quote|statement)\s+(?:is|are|was|were)\s+(?:that|this|these|those)"
    r"|who\s+(?:is|was)\s+(?:that|this|it)\s+(?:from|by)"
    r")\s*[?.!]*$",
    re.IGNORECASE,
)


def asks_who_said_it(question: str) -> bool:
    """ "Who said that?": a follow-up asking whose words the last answer quoted."""
    return bool(_WHO_SAID_IT.match(question.strip()))


_DETERMINER = re.compile(
    r"^\s*(?:the|a|an|this|that|these|those|its|their|his|her|our|my|your|some|many|most|several"
    r"|which|what|both|all|each|any)\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    # "According to the professor, what does the confusion show?"
    r"^according\s+to\s+(?P<who>[^,?]+?)\s*,\s*(?P<topic>[^?]+?)\s*[?.!]*$"
    # "Can states opt out, according to Roberts?", "Why …, per the historian?"
    r"|^(?P<topic2>[^?]+?)(?:,?\s+according\s+to|,\s*per)\s+(?P<who2>[^,?]+?)\s*[?.!]*$"
    # "according to kraut what's really behind it", typed without the comma
    r"|^according\s+to\s+(?P<who3>(?:[\w’'.-]+\s+){0,2}?[\w’'.-]+)\s+(?P<topic3>(?:what|how|why"
    r"|who|where|when|which|is|are|was|were|does|did|do)\b[^?]*?)\s*[?.!]*$",
    re.IGNORECASE,
)


_PERSON_NOUNS = frozenset(
    """professor director official officials agent spokesman spokeswoman spokesperson
    secretary minister chief officer president mayor governor senator representative analyst
    analysts expert experts lawyer attorney judge commissioner chairman chairwoman chair ceo
    founder researcher researchers scientist scientists economist historian doctor nurse
    sheriff witness witnesses resident residents aide adviser advisor manager leader owner
    teacher student member members coach critic critics activist activists inspector
    superintendent commander general captain detective prosecutor academic academics scholar
    scholars cop cops police politician politicians lawmaker lawmakers legislator legislators
    professors directors agents historians lawyers attorneys officers master engineer wife
    husband son daughter mother father brother sister granddaughter grandson widow widower
    neighbour neighbor friend colleague colleagues spouse partner boss parent parents
    clerk plumber janitor caretaker firefighter paramedic pilot driver farmer worker workers
    employee employees tenant tenants landlord councillor councilor councilman councilwoman
    banker trader consultant contractor surveyor architect reporter journalist editor writer
    columnist reviewer actor actress artist musician singer composer cinematographer producer
    chef waiter shopkeeper volunteer campaigner protester victim survivor patient passenger
    commuter cyclist motorist pedestrian player referee soldier veteran guard ranger mechanic
    electrician technician surgeon pharmacist dentist therapist psychologist psychiatrist
    priest pastor imam rabbi bishop vicar principal headteacher lecturer tutor dean treasurer
    auditor accountant investor executive cfo entrepreneur biologist chemist physicist
    geologist ecologist meteorologist forecaster statistician sociologist archaeologist
    curator librarian translator diplomat ambassador envoy negotiator organiser organizer
    coordinator administrator regulator investigator constable sergeant magistrate coroner
    barrister solicitor defendant juror candidate rep reps striker strikers defender defenders
    goalkeeper midfielder winger assistant assistants deputy deputies""".split()
)
"""Words that make "according to the …" a person ("the professor"), not a source of another
kind ("the theory", "the party line"), which the text's own "according to" also names."""


def _names_a_person(phrase: str) -> bool:
    """A proper name (a capitalised word) or a word for a person."""
    parts = phrase.split()
    return any(p[:1].isupper() for p in parts if p.lower() not in ("the", "a", "an")) or any(
        p.lower().strip(".,'’s") in _PERSON_NOUNS for p in parts
    )


def person_described(phrase: str) -> str | None:
    """The word for a person a description turns on ("the mayor of Chicago": "mayor",
    "California's governor": "governor"); None when it turns on a name or on anything else
    ("the report", "the houston guy")."""
    head = re.split(r"\s+(?:of|from|at|in|for|with|on)\s+", phrase.strip(), maxsplit=1)[0]
    found = re.findall(r"[\w-]+", re.sub(r"['’]s\b", "", head))
    if not found or found[-1][:1].isupper():
        return None
    word = found[-1].lower()
    return word if _is_person_noun(word) else None


def _is_person_noun(word: str) -> bool:
    """A word for a person (`_PERSON_NOUNS`), or its plural ("senators", "spokesmen")."""
    singulars = (
        word,
        word[:-1] if word.endswith("s") else "",
        word[:-2] if word.endswith("es") else "",
        word[:-3] + "y" if word.endswith("ies") else "",
        word[:-3] + "man" if word.endswith("men") else "",
    )
    return any(w in _PERSON_NOUNS for w in singulars if w)


_CIRCUMSTANCE = re.compile(
    # "in the email chain", "in his e-mail", "at the hearing": where it was said, not about what
    r"^(?:back\b\s*)?(?:(?:in|at|during|on|by)\s+(?:the|an?|his|her|their|its|that|this|one)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:e-?mails?|messages?|memos?|letters?|notes?|chains?|threads?"
    r"|exchanges?|interviews?|statements?|article|story|piece|report|meeting|hearing|speech"
    r"|posts?|tweets?|conference|call|briefing|reply|response|answer|case|trial|lawsuit|inquest"
    r"|sentencing)"
    r"(?:\s+(?:chains?|threads?|exchanges?))?"
    r"|in\s+(?:reply|response)(?:\s+to\b)?"
    # "to the committee", "in front of the jury": whom it was said to
    r"|(?:to|before|in\s+front\s+of)\s+(?:(?:the|an?|its|his|her|their)\s+)?"
    r"(?:[\w-]+\s+){0,2}?"
    r"(?:committee|court|jury|council|panel|inquiry|reporters|journalists|press|media|senators"
    r"|mps|crowd|audience|fans|shareholders|investors|magistrates)"
    r"(?=\s*(?:$|,|(?:about|regarding|concerning|on|that)\b))"
    # "what did Roberts add to the thread?": where he said it
    r"|(?:to\s+)?(?:the|that|this)\s+(?:e-?mail\s+)?(?:thread|chain|conversation|discussion"
    r"|exchange)(?=\s*$)"
    # "in it", "in that one": the thread's passage
    r"|(?:in|at|during)\s+(?:it|that|this|there|them|that\s+one|this\s+one)(?=\s*$)"
    # "the call about ICE" (the "on" before it read as the topic's)
    r"|(?:the|an?|his|her|their|its|that|this|one)\s+(?:[\w-]+\s+){0,2}?(?:e-?mails?|messages?"
    r"|memos?|letters?|calls?|interviews?|meetings?|hearings?|statements?)"
    r"(?:\s+(?:chains?|threads?))?(?=\s+(?:about|regarding|concerning)\b)"
    # "then", "back": alone, or before "about …" ("first responders" is a topic)
    r"|(?:back|then|there|next|first|last|later|afterwards?|at\s+the\s+time|back\s+then)"
    r"(?=\s*(?:$|,|(?:about|regarding|concerning)\b))"
    r")\b[\s,]*(?:(?:about|on|regarding|concerning)\b\s*)?",
    re.IGNORECASE,
)


_PLACES_SAID = frozenset(
    """e mail mails email emails message messages memo memos letter letters note notes chain
    chains thread threads exchange exchanges interview interviews statement statements article
    story piece report meeting hearing speech post posts tweet tweets conference call briefing
    reply response answer internal""".split()
)
"""Where anything may be said: the words of a circumstance that tell no statement apart."""


def _circumstance_apart(topic: str) -> tuple[str, str]:
    """(where or when it was said, the rest) of a speaker question's topic: "in its written
    statement to the committee about delays" is ("in its written statement to the committee
    about", "delays")."""
    left = topic.strip()
    while (found := _CIRCUMSTANCE.match(left)) and found.group():  # "in its statement to …"
        left = left[found.end() :]
    return topic.strip()[: len(topic.strip()) - len(left)], left.strip()


def _where_said(topic: str) -> str | None:
    """The words of a speaker question's circumstance that may tell where it was said ("in the
    May e-mail": "may"); None for none ("in the e-mail chain", "in it")."""
    said, _ = _circumstance_apart(topic)
    telling = [w for w in words(said) if w not in STOPWORDS and w not in _PLACES_SAID]
    return " ".join(telling) or None


def _without_circumstance(topic: str) -> str | None:
    """A speaker question's topic without where or when it was said ("in the email chain
    about ICE": "ICE"); None when nothing else is left."""
    _, left = _circumstance_apart(topic)
    return None if not left or _ONLY_MANNER.match(left) else left


_ONLY_MANNER = re.compile(
    r"^(?:exactly|precisely|again|actually|really|verbatim|literally|word\s+for\s+word"
    r"|in\s+full|in\s+(?:his|her|their)\s+own\s+words|there|here|then|back\s+then"
    # "what does he think is going on?", "… make of all this?": no topic but the story's
    r"|(?:all\s+)?(?:this|that|it)|(?:is|was)\s+(?:going\s+on|happening)|the\s+situation"
    # "… kraut's take on the whole mess", "… the entire affair"
    r"|everything|(?:the|this|that)\s+(?:whole|entire)\s+(?:thing|mess|situation|affair|saga"
    r"|business|matter|issue|episode|story|row|debate|controversy|fiasco|debacle|stuff)"
    r"|(?:this|that)\s+(?:mess|saga|affair|fiasco|debacle))\W*$",
    re.IGNORECASE,
)
"""How something was said, or words that name no topic ("What did he say exactly?", "What
does he think is going on?")."""


def who_said_what(question: str) -> str | None:
    """The one "What did X say …?" asks about, as the question's subject ("obama" of "what did
    obama say about it"); None for any other form ("… according to reports?")."""
    said = _SAID.match(question.strip())
    return None if said is None else said["who"].strip()


def about_speaker(question: str) -> AboutSpeaker | None:
    """The one person a question asks about, and whether it asks what they said or who they
    are; None when its form asks about no one."""
    text = question.strip()
    said = _what_someone_said(text)
    return said if said is not None else _who_someone_is(text)


def _what_someone_said(text: str) -> AboutSpeaker | None:
    """ "What did X say [about T]?" in its many forms ("his exact words", "what else did X
    say", "does X say whether T", "according to X, T", "X's take on T"); None for any other."""
    said = _SAID.match(text)
    if said:
        raw = said["topic"]
        if _TO_SOMEONE.search(text, 0, said.start("topic")) and _CIRCUMSTANCE.match(f"to {raw}"):
            raw = f"to {raw}"  # "say to the jury about …", "tell the committee": whom to
        topic = _without_circumstance(raw)
        added = bool(_ADDED.search(said.group()))  # "What did he add?": what else he said
        more = bool(said["more"]) or added
        return AboutSpeaker(
            "said",
            said["who"].strip(),
            topic,
            more=more,
            added=added,
            where=_where_said(raw),
        )
    own = _OWN_WORDS.match(text)
    if own:  # "his direct quote?", "her exact words"
        who = _POSSESSIVE_PRONOUNS[own["whose"].lower()]
        return AboutSpeaker("said", who, None, direct=bool(own["direct"]))
    said_more = _SAID_MORE.match(text)
    if said_more:
        topic = said_more["topic"] and _without_circumstance(said_more["topic"])
        return AboutSpeaker("said", said_more["who"].strip(), topic, more=True)
    whether = _SAYS_WHETHER.match(text)
    if whether and not _DOCUMENT_WORD.search(whether["who"]):
        topic = _without_circumstance(whether["topic"])
        return AboutSpeaker("said", whether["who"].strip(), topic, whether=True)
    according = _ACCORDING.match(text)
    if according:
        who, topic = (
            according["who"] or according["who2"] or according["who3"],
            according["topic"] or according["topic2"] or according["topic3"],
        )
        # not "according to the theory", "… the party line"; a name typed in lower case
        # ("according to kraut") is for the roster to find, and searched if it does not
        if _names_a_person(who) or not _DETERMINER.match(who):
            return AboutSpeaker("said", who.strip(), topic.strip())
    otherwise = _SAID_OTHERWISE.match(text)
    if otherwise:
        who = next(otherwise[g] for g in _numbered("who") if otherwise[g])
        topic = next((otherwise[g] for g in _numbered("topic") if otherwise[g]), None)
        return AboutSpeaker("said", who.strip(), _without_circumstance(topic or ""))
    return None


def _numbered(group: str) -> tuple[str, ...]:
    """The names `_SAID_OTHERWISE` gives one group in each of its alternatives."""
    return (group, *(f"{group}{n}" for n in range(2, 10)))


def _who_someone_is(text: str) -> AboutSpeaker | None:
    """ "Who is X?", "What is X's job?", "where does he teach?": who someone is, as the text
    describes them; None for any other form."""
    member = _WHAT_IS_SOMEONE.match(text)
    if member:  # "what is bram castellanos on the committee?": his post there
        return AboutSpeaker("who_is", member["who"])
    works = _WHERE_WORKS.match(text)
    if works:  # "where does he teach?": who he is, as the text describes him
        who = works["who"]
        return AboutSpeaker("who_is", _POSSESSIVE_PRONOUNS.get(who.lower(), who))
    role = _ROLE_OF.match(text)
    who = "" if role is None else next(role[g] for g in ("who", "who2") if role[g]).strip()
    if who.lower() in _POSSESSIVE_PRONOUNS:  # "what's his role?"
        return AboutSpeaker("who_is", _POSSESSIVE_PRONOUNS[who.lower()])
    if role and not _DOCUMENT_WORD.search(who) and any(w not in STOPWORDS for w in words(who)):
        return AboutSpeaker("who_is", who)  # "roberts title?", "What is Pender's job?"
    who_is = _WHO_IS.match(text)
    if who_is and not _NOT_A_PERSON.match(who_is["who"]):
        if who_is["plural"] and not people_named(who_is["who"]):
            return None  # "Who are the officials?": asked of the passages, not the roster
        # "who's the houston guy in the email chain": where he is, not who
        return AboutSpeaker("who_is", _PLACE_OF_IT.sub("", who_is["who"]).strip())
    return None


_JOINED = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)


def people_named(phrase: str) -> tuple[str, ...]:
    """The parts of a phrase that joins several people with "and", "&" or commas ("Morris and
    Roberts", "both Pender and the Houston agent"), each as written; () for one part. Whether
    each part names a speaker is for the roster to say."""
    phrase = re.sub(r"^both\s+", "", phrase.strip(), flags=re.IGNORECASE)
    parts = tuple(part for part in _JOINED.split(phrase) if part)
    return parts if len(parts) > 1 else ()


# --- questions about the documents themselves, or the bot -----------------------------------

_GREETING = re.compile(
    r"^(?:h(?:i|ello|ey|owdy)|yo|hiya|greetings|good (?:morning|afternoon|evening)"
    r"|help|\?+|what can you do|who are you|what do you know|what do you do|what are you"
    r"|are you a bot|what (?:can|should|could) i ask(?: you| about)?|examples?"
    r"|(?:give me |show me )?(?:some )?examples? of (?:questions|what to ask)"
    r"|how (?:do|can|should) i use (?:you|this|it|the bot)"
    r"|how do(?:es)? (?:i|this|it) work)(?:\s+(?:there|bot|everyone|all))?[\s!.?,]*$",
    re.IGNORECASE,
)
_THANKS = re.compile(
    r"^(?:(?:ok(?:ay)?|great|perfect|cool|nice|got it|good),?\s+)?"
    r"(?:thanks?(?:\s+(?:a lot|so much|very much))?|thank you(?:\s+(?:so|very) much)?|thx|ty"
    r"|cheers|much appreciated)(?:\s+(?:there|bot|everyone|all))?[\s!.?,]*$",
    re.IGNORECASE,
)
_ABOUT_DOCUMENT = re.compile(
    r"\b(?:publish(?:ed|er|ing)?|publication|headline|(?<!job )title[d]?|byline|author|dated?"
    r"|date|year"
    r"|outlet|source of|website|site|newspaper|magazine|link|url|written|posted|ran"
    r"|(?<!to )(?<!who )run"
    r"|how old|how recent|recent|original|c[oa]me\s+out(?!\s+of\b)|released?|(?:last\s+)?updated"
    r"|(?:go|goes|went|gone)\s+(?:up|out|live|online))\b",
    re.IGNORECASE,
)
_PIECE_NOUN = (
    r"(?:article|story|piece|document|report|post|column|op-?ed|editorial|obituary|obit"
    r"|blog|live\s+blog|live\s+page|essay|press\s+release|transcript|interview|q&a)"
)
"""What a published document is called ("the column", "the obituary", "the live blog", "the
librarian interview")."""
_ABOUT_CONTENT = re.compile(
    r"\b(?:say|says|said|mention|mentions|claim|claims|according to|describe|describes)\b",
    re.IGNORECASE,
)
"""A question about what the document says ("What year does the article say …?"), not about
the document."""
_DOCUMENT_NOUN = re.compile(
    # "the article", "the bike lanes story" (no other determiner between: not "the city
    # released an important document")
    r"\b(?:the|this|that|your)\s+(?:(?!(?:an?|the|this|that|your)\b)[\w’'-]+\s+){0,4}?"
    + _PIECE_NOUN
    + r"\b"
    # "this"/"it" only as the thing published: "was this published?", "who published it?",
    # not "when did this leader publish a Bible?" or "… a paraphrase of this come out?"
    r"|(?<!\bof\s)\b(?:this|it)\s+(?:was\s+|been\s+|is\s+)?(?:publish|dated|date|written|posted|titled"
    r"|c[oa]me\s+out|released|(?:go|went)\s+(?:up|out|live|online)\b)"
    r"|\b(?:publish(?:ed|es)?|dated?|wrote|title[sd]?|ran)\s+(?:this|it)\b"
    r"|\b(?:this|it)\s+(?:\w+\s+)?from\W*$"  # "What publication is this from?"
    r"|\b(?:this|it)\W*$",
    re.IGNORECASE,
)
_MORE_PIECES = r"page|review|feature|profile"
"""What else one asks the writer of ("Who wrote the Cherry Orchard review?")."""
_WHO_WROTE_DOCUMENT = re.compile(
    rf"\bwho (?:wrote|writes|has written|reviewed)\b.*\b(?:{_PIECE_NOUN}|{_MORE_PIECES})\b"
    rf"|\b(?:{_PIECE_NOUN}|{_MORE_PIECES})\b.*\bwritten by\b"
    r"|^\W*who (?:wrote|is the author of) (?:it|this)\W*$"
    # "and who reported that one?", "who covered this story", "who filed it?"
    r"|^\W*(?:and\s+)?who\s+(?:reported|covered|filed|penned|wrote\s+up)\s+"
    r"(?:this|that|the)\s+(?:one|story|piece|article|report)\W*$"
    r"|^\W*who (?:wrote|is the author of) (?:the|this|that) review\b"
    # "who did the interview with the librarian", "who interviewed her?"
    r"|^\W*(?:and\s+)?who\s+(?:did|conducted)\s+(?:the|this|that)\s+(?:[\w’'-]+\s+){0,3}?"
    r"interview\b|^\W*(?:and\s+)?who\s+interviewed\s+(?:her|him|them)\W*$"
    # "who interviewed the violin restorer"
    r"|^\W*(?:and\s+)?who\s+interviewed\s+(?:the|this|that)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+\W*$",
    re.IGNORECASE,
)


_BARE_DETAIL = re.compile(
    # "and the headline?", "what about the author?": a detail asked after another
    r"^\W*(?:(?:and|so|also|ok(?:ay)?,?|what\s+about|how\s+about)\s+)?"
    r"(?:(?:(?:what|who|when|where)(?:'s|’s|\s+is|\s+was|\s+are)|give\s+me"
    r"|(?:can|could)\s+(?:i|you)\s+(?:have|get|see))\s+)?(?:the\s+)?"
    r"(?:headline|title|byline|author|publisher|publication(?:\s+date)?|date\s+of\s+publication"
    r"|date|source|outlet|link|url|web\s+address|original|reporter|journalist|writer)"
    r"[\s!.?,]*$"
    r"|^\W*where\s+(?:can|could|do)\s+i\s+(?:read|find|see|get)\s+(?:the\s+)?"
    r"(?:original|full\s+(?:article|story|text)|article|story|source)[\s!.?,]*$"
    # "Which publication?", "What website is this from?" (not "what date?": in a thread that
    # may ask the date of what was just quoted)
    r"|^\W*(?:which|what)\s+(?:publication|publisher|outlet|website|site|newspaper|paper"
    r"|magazine|news\s+(?:site|outlet|organi[sz]ation))(?:\s+(?:is\s+(?:it|this)\s+from"
    r"|(?:ran|published)\s+(?:it|this)))?[\s!.?,]*$"
    r"|^\W*(?:is|was)\s+there\s+(?:an?\s+)?(?:author|byline|headline|title|link|url)"
    r"[\s!.?,]*$",
    re.IGNORECASE,
)
_POLITE = r"^(?:so\s+|and\s+|ok(?:ay)?,?\s+)?(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?"
_NAMED_PIECE = (
    r"(?:(?:the|this|that|your)\s+(?:[\w’'-]+\s+){0,5}?)?"  # "the bike lanes story"
    rf"(?:{_PIECE_NOUN}|text|news)"
)
_DESCRIBED_PIECE = re.compile(
    r"\b(?:the|that)\s+(?P<which>(?:[\w’'-]+\s+){1,5}?)"
    rf"(?:{_PIECE_NOUN}|text|interview|q&a|review)(?!\w)"
    # "the hearing story about the Corrowmere repairs overspend": what it is about, too
    r"(?:\s+(?:about|on)\s+(?P<about>[^?.!,]+))?",
    re.IGNORECASE,
)
_PIECE = _NAMED_PIECE + r"|it|this|that"
_SHELF = r"(?:documents|articles|stories|sources|files|texts|papers|reports|pieces)"
_SHELF_OR_ONE = (
    r"(?:documents?|articles?|stor(?:y|ies)|sources?|files?|texts?|papers?|reports?|pieces?)"
)
_CATALOGUE = re.compile(
    _POLITE + r"(?:"
    rf"(?:what|which)\s+{_SHELF}\s+(?:do|can|did)\s+you\s+(?:have|know|cover|use|search|read)"
    rf"|(?:what|which)\s+{_SHELF}\s+(?:are|were)\s+"
    r"(?:there|indexed|loaded|available|in\s+(?:the|your)\s+index)"
    r"|what(?:'s|’s|\s+is|\s+are)\s+(?:in\s+)?your\s+"
    r"(?:sources|documents|articles|index|corpus|library)"
    r"|what\s+(?:can|do)\s+you\s+(?:answer|cover|talk\s+about)(?:\s+questions)?"
    r"(?:\s+(?:about|on))?"
    r"|what\s+(?:do\s+you\s+have|have\s+you\s+got)"
    rf"|how\s+many\s+{_SHELF}\s+(?:do\s+you\s+(?:have|know)|have\s+you\s+got|are\s+there"
    r"|are\s+(?:indexed|loaded|available|in\s+(?:the|your)\s+index))"
    r"|(?:list|show)\s+(?:me\s+)?(?:(?:the|your|all|all\s+the|all\s+your)\s+)?"
    r"(?:documents|articles|stories|files)"
    r")[\s!.?,]*$",
    re.IGNORECASE,
)
_OVERVIEW = re.compile(
    _POLITE
    + r"(?:tl;?\s*dr\s*[?:,.!-]*\s+)?"  # "tl;dr? what's this article even about"
    + r"(?:"
    rf"what(?:'s|’s|\s+is|\s+was)\s+(?:{_PIECE})\s+"
    r"(?:(?:all|mainly|mostly|really|actually|basically|even)\s+)?about"
    rf"|what\s+(?:does|did)\s+(?:{_NAMED_PIECE})\s+(?:say|cover|discuss|report|tell\s+us)"
    rf"|(?:summari[sz]e|sum\s+up|recap)(?:\s+(?:{_PIECE}))?(?:\s+for\s+me)?"
    rf"|sum\s+(?:{_PIECE})\s+up(?:\s+for\s+me)?"  # "sum it up in a sentence"
    r"|(?:give|tell)\s+me\s+(?:a\s+|the\s+)?"
    r"(?:summary|gist|overview|synopsis|short\s+version|(?:main|key)\s+(?:points?|findings?"
    r"|takeaways?))"
    rf"(?:\s+of\s+(?:{_PIECE}))?"
    r"|what(?:'s|’s|\s+is|\s+are)\s+(?:the\s+)?"
    r"(?:summary|gist|overview|synopsis|(?:main|key|big|biggest|central)\s+(?:points?|idea|story"
    r"|topic|subject|findings?|takeaways?|message|news|thrust|conclusions?|revelations?)"
    r"|takeaways?|headline\s+finding|topic|subject)"
    rf"(?:\s+of\s+(?:{_PIECE}))?"
    rf"|tl;?\s*dr(?:\s+(?:of|on|for)\s+(?:{_PIECE})(?:\s+one)?)?"
    r")(?:,?\s+(?:in\s+(?:one|a|1)\s+(?:line|sentence)|in\s+brief|in\s+short|briefly"
    r"|in\s+a\s+nutshell|in\s+(?:a\s+)?few\s+words|in\s+plain\s+english|quickly"
    r"|\(?tl;?\s*dr\)?|tldr))?"  # "what's this article about, tl;dr"
    r"(?:,?\s+(?:pls|plz|please|thanks|thx|ty))?"  # "tl;dr pls"
    r"(?:\s+please)?[\s!.?,]*$",
    re.IGNORECASE,
)


_IN_THE_TEXT = (
    r"(?:\s+(?:in|by)\s+(?:the|this|your|any)\s+(?:[\w’'-]+\s+){0,4}?(?:article|story|piece"
    r"|document|report|text|transcript|documents|sources|articles|stories)|\s+at\s+all"
    r"|\s+anywhere)?"
)
_MENTION = re.compile(
    _POLITE + r"(?:"
    rf"(?:does|did|do)\s+(?:{_PIECE}|the\s+text|your\s+(?:documents|sources|articles)"
    # "does the hedge study mention yew?", "the salt and ember review": whichever it means, the
    # passages that mention it are the answer
    r"|(?:the|this|that)\s+(?:[\w’'&-]+\s+){0,5}?(?:study|review|write-?up|profile))\s+"
    r"(?:ever\s+)?(?:mention|name|cover|discuss|talk\s+about|refer\s+to|"
    r"say\s+anything\s+(?:about|on|regarding))\s+(?P<a>.+?)"
    r"|(?:is|are|was|were)\s+(?P<b>.+?)\s+(?:ever\s+)?(?:mentioned|named|discussed|covered)"
    r"|(?:is|are)\s+there\s+(?:anything|something|any\s+mention|a\s+mention|any\s+reference)\s+"
    r"(?:about|on|of|to|regarding)\s+(?P<c>.+?)"
    r"|any(?:thing|\s+mention)?\s+(?:about|on|of|regarding)\s+(?P<d>.+?)"
    rf"|where\s+(?:does|do)\s+(?:{_PIECE}|your\s+(?:documents|sources))\s+mention\s+(?P<e>.+?)"
    r"|where\s+(?:is|are)\s+(?P<f>.+?)\s+mentioned"
    # "Find the part about fingerprints", "Quote the sentence about ICE"
    r"|(?:find|show|quote|give|read|get|pull\s+up)\s+(?:me\s+|us\s+)?(?:the|a|any|all\s+the)\s+"
    r"(?:parts?|passages?|bits?|sentences?|paragraphs?|sections?|lines?|quotes?)\s+"
    r"(?:about|on|regarding|mentioning|that\s+mentions?|where\s+it\s+(?:mentions|talks\s+about))"
    r"\s+(?P<h>.+?)"
    # "Which article mentions Chicago?", "What stories talk about parking?"
    r"|(?:which|what)\s+(?:of\s+(?:the|your)\s+)?" + _SHELF_OR_ONE + r"\s+(?:ever\s+)?"
    r"(?:mentions?|names?|covers?|discuss(?:es)?|talks?\s+about|refers?\s+to|"
    r"says?\s+anything\s+(?:about|on|regarding))\s+(?P<g>.+?)"
    # "What does the article say about Chicago?", "What do your sources say on ICE?"
    rf"|what\s+(?:does|do|did)\s+(?:{_PIECE}|the\s+text|your\s+(?:documents|sources|articles))"
    r"\s+(?:say|said|have|write|tell\s+(?:me|us))\s+(?:about|on|regarding)\s+(?P<i>.+?)"
    r")" + _IN_THE_TEXT + r"[\s!.?,]*$",
    re.IGNORECASE,
)
MENTION_WORDS = 4
"""Content words a mention question may ask about: "the official who said DHS had ruled out
opting out" is a question of its own, searched as one."""
_CLAUSE = re.compile(
    r"\b(?:who|whom|whose|which|that|what|why|how|when|where|whether)\b", re.IGNORECASE
)


def mention_asked(question: str) -> str | None:
    """ "Does the article mention Chicago?", "Is Chicago mentioned?", "Anything about
    fingerprints?": what the documents may mention ("Chicago"); None for any other question."""
    match = _MENTION.match(question.strip())
    if match is None:
        return None
    subject = next(group for group in match.groups() if group).strip(" \"“”'‘’")
    content = [w for w in words(subject) if w not in STOPWORDS]
    if len(content) > MENTION_WORDS or _CLAUSE.search(subject):
        return None
    return subject


_KEYWORD_LEAD = frozenset({"what", "which", "whats", "about", "re", "any", "the"})


def bare_keywords(question: str) -> str | None:
    """ "rift", "what rift?", "nuclear war": one or two words and nothing else (a leading
    "what" or "about" aside), as typed into a search box; None for any other question."""
    found = words(question)
    while found and found[0] in _KEYWORD_LEAD:
        found = found[1:]
    if not 1 <= len(found) <= 2 or any(w in STOPWORDS for w in found):
        return None
    return " ".join(found)


_QUOTED = re.compile(
    r"“(?P<curly>[^”]+)”|\"(?P<straight>[^\"]+)\"|‘(?P<single_curly>.+?)’(?!\w)"
    r"|(?<!\w)'(?P<single>.+?)'(?!\w)"
)
LONGEST_QUOTED = 30
"""Words: a longer stretch in quotation marks is pasted text, not words someone said."""


_ASKS_WHOSE_WORDS = re.compile(
    r"^\W*(?:and\s+|so\s+|ok(?:ay)?,?\s+)?(?:"
    # "Who said 'tough one'?", "Who used the words …", "Which official wrote …"
    r"(?:who|which\s+\w+)\s+(?:(?:first|actually|really|also|else)\s+)?(?:said|says|used|uses"
    r"|wrote|writes|uttered|called|describe[sd]|coined|replied|responded|answered|added"
    r"|stated|told|is\s+quoted|was\s+quoted|is\s+saying|was\s+saying)\b"
    r"|whose\s+(?:words|quote|phrase)"
    # "Where does the article say …", "Which passage mentions …", "Find 'opt out'"
    r"|(?:where|which\s+(?:passage|paragraph|part|sentence|quote))\b.*?\b(?:says?|said"
    r"|mentions?|mentioned|uses?|used|writes?|wrote|appears?|comes?\s+up)\b"
    r"|(?:find|quote|search\s+for|look\s+up|show\s+me)\b"
    # "did morris actually write 'this is a tough one'?": the words show who did
    r"|(?:did|does|do|has|have|was|is)\s+.+?\s+(?:(?:actually|really|ever|also)\s+)?(?:say"
    r"|said|write|wrote|written|use|used|call|called|tell|told)\b"
    r")",
    re.IGNORECASE,
)


_THE_WORD = re.compile(r"\bthe\s+(?:word|term)\s+(?P<word>[^\W\d_][\w’'-]*)", re.IGNORECASE)
"""A word named as a word, without quotation marks: "Who used the word implode?"."""


def words_asked_about(question: str) -> str | None:
    """ "Who said 'tough one'?", "Where does the article say “implode”?", "Find 'opt out'":
    the words in quotation marks (`quoted_phrase`) when the question asks whose or where they
    are, or is nothing but them; None otherwise (in "What year did Edmonds characterise a 'good'
    algorithm?" they are only part of the question). "Who said the word implode?" names its
    word without them."""
    phrase = quoted_phrase(question)
    if phrase is None:
        named = _THE_WORD.search(question)
        return named["word"] if named is not None and _ASKS_WHOSE_WORDS.match(question) else None
    rest = _QUOTED.sub(" ", question)
    if _ASKS_WHOSE_WORDS.match(question) or _ASKS_WHO_AFTER.search(rest) or not words(rest):
        return phrase
    return None


_ASKS_WHO_AFTER = re.compile(
    # "someone said "I agree" — who was that?", "'tough one': who said it?"
    r"\bwho\s+(?:was|is)\s+(?:that|it|this)\b|\bwho\s+(?:said|wrote)\s+(?:that|it|this)\b"
    r"|\bwhich\s+(?:one|official|person)\s+(?:said|wrote)\s+(?:that|it|this)\b",
    re.IGNORECASE,
)


def quoted_phrase(question: str) -> str | None:
    """The words a question puts in quotation marks ("Who said 'tough one'?", "What did he mean
    by “nuclear war”?"): the first such stretch of one to `LONGEST_QUOTED` words, or None. An
    apostrophe inside is no closing mark ("'I don't think we need'")."""
    for match in _QUOTED.finditer(question):
        phrase = next(g for g in match.groups() if g is not None).strip(" ,.?!;:")
        if 1 <= len(words(phrase)) <= LONGEST_QUOTED:
            return phrase
    return None


def is_about_the_document(question: str) -> bool:
    """ "When was this published?", "Who wrote the article?", "What's the headline?", "What's
    the latest story?": the answer is metadata."""
    if _WHO_WROTE_DOCUMENT.search(question) or _BARE_DETAIL.match(question):
        return True
    if _SOMEONE_WROTE.search(question):
        return False
    if _LATEST_PIECE.match(question) or asks_which_piece_it_is_from(question):
        return True
    return bool(
        _ABOUT_DOCUMENT.search(question)
        and _DOCUMENT_NOUN.search(question)
        and not _ABOUT_CONTENT.search(question)
        and not _AS_OF_PUBLICATION.search(question)
        and not _DATE_OF_SOMETHING_ELSE.search(question)
    )


_SOMEONE_WROTE = re.compile(
    r"\b(?:has|have|had|did|does|do)\s+(?:he|she|they|[\w’'-]+)\s+(?:ever\s+)?(?:written|write)\b"
    r"|\bwritten\s+(?:a|an|any|some|other|more|many)\s+",
    re.IGNORECASE,
)
"""Writing by someone the question is about ("Has he written a book on it?", "Did Kraut ever
write about this?"): not the document's author or date."""


_WHICH_PIECE_IS_IT_FROM = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:(?:which|what)\s+(?:article|story|piece|document|report|source"
    r"|publication|paper|outlet)|where)\s+(?:is|was|does|did)\s+(?:that|this|it)\s+"
    r"(?:quote\s+|passage\s+)?(?:from|in|come\s+from|appear(?:\s+in)?)\W*$",
    re.IGNORECASE,
)
"""Which document the passage just quoted is from: its details ("Which article is that
from?", "Where is this from?")."""


def asks_which_piece_it_is_from(question: str) -> bool:
    """ "Which article is that from?": a follow-up, about the passage just quoted."""
    return bool(_WHICH_PIECE_IS_IT_FROM.match(question))


_DATE_OF_SOMETHING_ELSE = re.compile(
    r"\b(?:date|day|year)\s+of\s+(?:the|this|that|these|those|his|her|their|its)\s+"
    r"(?!(?:[\w-]+\s+){0,2}?(?:article|story|piece|document|report|post|publication)\b)"
    # "what date was the email chain with pender on it?"
    r"|\b(?:what|which)\s+(?:date|day|year)\s+(?:was|is|were|are)\s+(?:the|his|her|their|its)\s+"
    r"(?!(?:[\w-]+\s+){0,2}?(?:article|story|piece|document|report|post|publication|headline)\b)",
    re.IGNORECASE,
)
"""The date of something the document tells of ("What's the date of the e-mail chain with
Pender in it?"), which the text may give: not the document's own."""


_AS_OF_PUBLICATION = re.compile(
    r"\b(?:as\s+of|at\s+the\s+time\s+of|by\s+the\s+time\s+of|since|before|after|until)\s+"
    r"(?:the|this|its)\s+(?:[\w-]+\s+){0,2}?(?:article|story|piece|report)(?:['’]s)?\s+"
    r"(?:publication|was\s+(?:published|written))",
    re.IGNORECASE,
)
"""The document's date as a point in time for something else ("How many … as of the article's
publication?"): a question about the story, not about the document."""


def refers_to_a_document(question: str) -> bool:
    """ "… in this story?", "… in the article?", "… in it?": the question points at a document
    (the thread's, when it has one)."""
    return bool(_DOCUMENT_NOUN.search(question))


def names_only_the_document(question: str) -> bool:
    """ "When was this published?", "Who wrote the article?": nothing asked about but the
    document and its details (unlike "When was the article on bike lanes published?", whose
    other words say which document)."""
    rest = _DOCUMENT_NOUN.sub(" ", _ABOUT_DOCUMENT.sub(" ", question))
    rest = re.sub(r"\b(?:wrote|writes|write)\b", " ", rest, flags=re.IGNORECASE)
    return not [w for w in words(rest) if w not in STOPWORDS]


_ASKING = (
    r"(?=(?:what|who|whom|whose|when|where|why|how|which|is|are|was|were|do|does|did|can|could"
    r"|would|will|should|has|have|had|tell|show|give|list|find|quote|any|anything|if|whether"
    r")\b)"
)
_PREAMBLES = (
    # "hey bot, …", "hi there what …", "ok so …"
    re.compile(
        r"^(?:h(?:i|ello|ey|iya|owdy)|yo|ok(?:ay)?(?:,?\s+(?:so|and|then))?|so|um+|well|morning|good\s+(?:morning"
        r"|afternoon|evening))(?:\s+(?:there|bot|quotebot|team|all|everyone|folks))?"
        r"(?:[,!.:;]+\s*|\s+[–—-]+\s*|\s+" + _ASKING + r")",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:q|qq|question|quick\s+(?:q|question)|query)\s*[:.)–—-]\s*", re.IGNORECASE),
    re.compile(r"^quick\s+(?:q|question)\s+" + _ASKING, re.IGNORECASE),  # "quick q who's X"
    # "TL;DR for my boss pls - what's this story about?": who it is for is not the question
    re.compile(
        r"^(?:tl;?\s*dr|tldr|quick\s+one)(?:\s+(?:for|pls|please|plz|my|our|the|me|us|boss"
        r"|team|manager|editor|desk|a|quick)){0,5}"
        r"\s*[–—:-]\s+" + _ASKING,
        re.IGNORECASE,
    ),
    re.compile(r"^@[\w.-]+[\s,:]*"),  # a mention typed as text
    # "can u paste the para listing the places …": the passage is what the rest describes
    # ("find/show/quote the part about …" asks whether the text mentions it: `mention_asked`)
    re.compile(
        r"^(?:(?:please|pls|plz)\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+"
        r"(?:please\s+|pls\s+)?)?(?:paste|post|send|share|grab|copy)\s+(?:me\s+|us\s+)?"
        r"(?:the|a)\s+(?:para(?:graph)?|passage|bit|part|section|sentence|lines?)\s+"
        r"(?:about|on|regarding|listing|that\s+lists|that\s+says|saying|where|which\s+says"
        r"|mentioning|describing|explaining|that\s+explains|that\s+describes|with)\s+",
        re.IGNORECASE,
    ),
    # "pls tell me what …", "could you tell me who …", "I'd like to know when …"
    re.compile(
        r"^(?:(?:please|pls|plz)\s+)?(?:(?:can|could|would)\s+you\s+(?:please\s+|pls\s+)?)?"
        r"(?:tell|show|give)\s+me\s+(?=(?:what|who|whom|whose|when|where|why|how|which|if"
        r"|whether)\b)"
        r"|^(?:please|pls|plz)[\s,]+" + _ASKING + r"|^(?:i(?:'d|’d|\s+would)\s+like\s+to\s+know"
        r"|i(?:'m|’m|\s+am)\s+(?:wondering|curious)(?:\s+about)?|i\s+wonder|do\s+you\s+know"
        r"|remind\s+me|(?:can|could)\s+you\s+remind\s+me"
        r"|does\s+anyone\s+know|any\s+idea)[\s,:]+" + _ASKING,
        re.IGNORECASE,
    ),
)
_CLOSING = re.compile(
    r"(?:\s*,|(?<=[?!.]))\s*(?:please|pls|plz|thanks|thank\s+you|thx|ty|cheers)(?P<end>[\s!.?]*)$",
    re.IGNORECASE,
)


_PIECE_FIRST = re.compile(
    r"^(?P<piece>(?:in|from)\s+(?:the|that|this)\s+(?:[\w’'-]+\s+){0,4}?(?:article|story|piece"
    r"|interview|review|report|column|blog|obit|obituary|release|transcript|one|case))"
    r"\s*[,:;–—-]*\s+(?=(?:what|who|whom|whose|when|where|why|how|which|did|does|do|is|are"
    r"|was|were|has|have|can)\b)",
    re.IGNORECASE,
)


_UPDATE_AT = re.compile(
    r"\b(?:update|entry|post|happen(?:ed|ing)?|at)\b[^?]*?"
    r"\b(?P<stamp>(?:[01]?\d|2[0-3])[:.][0-5]\d)\b(?!\s*(?:am|pm|a\.m|p\.m)\b)"
    r"|\b(?P<stamp2>(?:[01]?\d|2[0-3])[:.][0-5]\d)\s+(?:update|entry|post)\b",
    re.IGNORECASE,
)


def update_asked(question: str) -> str | None:
    """ "What happened at 15:10?", "what's in the 11:45 update?": the time of a live page's
    entry, as it heads it ("15:10"); None for any other question."""
    found = _UPDATE_AT.search(question)
    if found is None:
        return None
    return (found["stamp"] or found["stamp2"]).replace(".", ":")


def piece_last(question: str) -> str:
    """ "in the court case what did the prosecutor say?": the question with the piece it names
    at its end, where the forms that read a piece look for it ("what did the prosecutor say
    in the court case?"). No SQuAD 2.0 dev question starts so."""
    found = _PIECE_FIRST.match(question.strip())
    if found is None:
        return question
    rest = question.strip()[found.end() :]
    asked = rest.rstrip(" ?!.")
    return f"{asked} {found['piece']}{'?' if rest.rstrip().endswith('?') else ''}"


def without_preamble(question: str) -> str:
    """The question without what only addresses the bot: a greeting ("hey bot, …"), a label
    ("Q: …"), a mention typed as text, a polite opening ("pls tell me …", "I'd like to know
    …") and a closing ", please" or "? thanks" ("as they please" stays). Their words are not
    in the documents, and the gate weighs a question's words ("hey bot, what could implode?"
    was refused). A greeting or a "thanks" on its own is left as it is (`asks_for_help`,
    `says_thanks`). No SQuAD 2.0 dev question is changed by it."""
    text = question.strip()
    for _ in range(4):  # "hey bot, Q: pls tell me …": a few, in any order
        before = text
        for pattern in _PREAMBLES:
            rest = pattern.sub("", text, count=1).lstrip()
            if rest != text and words(rest):
                text = rest
        closing = _CLOSING.search(text) or _LAUGH.search(text)
        if closing is not None and words(text[: closing.start()]):
            text = text[: closing.start()] + ("?" if "?" in closing["end"] else "")
        text = _WHOLE_AFFAIR.sub("it", text)
        reason = _WHY_ASKED.search(text)
        if reason is not None and words(text[: reason.start()]):
            text = text[: reason.start()]
        if text == before:
            break
    return _topic_first(text)


_LAUGH = re.compile(r"\s+(?:lol|lmao|lmfao|haha+|tbh|ngl)(?P<end>[\s!.?]*)$", re.IGNORECASE)
"""A closing "lol" or "tbh": tone, not words to find ("who compared it to nuclear war lol")."""
_WHOLE_AFFAIR = re.compile(
    r"\b(?:this|that)\s+(?:whole|entire)\s+(?:thing|mess|situation|affair|saga|business)\b",
    re.IGNORECASE,
)
"""What the story is about, named by no word of it ("who compared this whole thing to nuclear
war"): "it"."""


_WHY_ASKED = re.compile(
    # "… title? need it for a caption", "…? it's for my boss", "…? asap"
    r"(?<=\?)\s+(?:(?:i\s+)?need\s+(?:it|this|that|them)\s+for\b|(?:it['’]?s|its|this\s+is)\s+for"
    r"\s+(?:a|an|the|my|our)\b|asap\b|urgent(?:ly)?\b)[^?]*$",
    re.IGNORECASE,
)
"""Why the asker wants it, after the question mark: not part of the question."""
_TOPIC_FIRST = re.compile(
    # "Stephen Morris - what's his title?", "Secure Communities: how does it work?"
    r"^(?P<topic>[^\W\d_][\w.’' ]{1,48}?)(?:\s+-|\s*[–—:])\s+"
    r"(?P<rest>(?:what|who|where|when|why|how|which|is|was|did|does|can)\b.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SOMEONE_FIRST = re.compile(
    # "the historian at american u, what's his explanation for …" (after a comma, only a
    # description: "In 1066, who won?" names no topic)
    r"^(?P<topic>(?:the|that|this)\s+[\w.’' ]{1,48}?),\s+"
    r"(?P<rest>(?:what|who|where|when|why|how|which|is|was|did|does|can)\b.*)$",
    re.IGNORECASE | re.DOTALL,
)
_TOPIC_PRONOUN = re.compile(
    r"\b(?:(?P<whose>his|her|its|their)(?=\s+[a-z])|(?P<who>he|him|she|her|it|they|them))\b",
    re.IGNORECASE,
)


_NOT_TOPICS = frozenset(
    "re fw fwd q qq question note update ps btw fyi ok okay hi hey hello so also and but "
    "follow-up followup sorry thanks".split()
) | {"follow up", "quick question", "one more", "another one"}
"""What may stand before a colon or dash and names nothing asked about ("Re: …")."""


_QUOTE_FIRST = re.compile(
    r"^[\"“‘'](?P<words>[^\"“”‘’]{3,200}?)[\"”’']\s*[-–—:,?]*\s*"
    r"(?:whose\s+(?:line|words|quote)\s+(?:is|was)\s+(?:that|this|it)|who\s+(?:said|wrote)"
    r"\s+(?:that|this|it)|who\s+is\s+(?:that|this|it)\s+from|(?:source|speaker)\s*\?)\W*$",
    re.IGNORECASE,
)
"""Words pasted first, then whose they are ("'This is a tough one' - whose line is that?")."""


def _topic_first(question: str) -> str:
    """ "Stephen Morris - what's his title?" as "what's Stephen Morris's title?": a topic
    named before a dash or colon (or a description before a comma: "the historian at american
    u, what's his explanation …"), then a question that refers to it by a pronoun; "'This is a
    tough one' - whose line is that?" as "Who said “This is a tough one”?"."""
    pasted = _QUOTE_FIRST.match(question)
    if pasted is not None:
        return f"Who said “{pasted['words'].strip()}”?"
    found = _TOPIC_FIRST.match(question) or _SOMEONE_FIRST.match(question)
    if found is None:
        return question
    topic, rest = found["topic"].strip(), found["rest"]
    if topic.lower() in _NOT_TOPICS:
        return question
    pronoun = _TOPIC_PRONOUN.search(rest)
    if pronoun is None:
        return question
    said = f"{topic}’s" if pronoun["whose"] else topic
    return rest[: pronoun.start()] + said + rest[pronoun.end() :]


_NAME_OF_WHO = re.compile(
    # "What's the (full) name of the official who said …", "Name the person who wrote …",
    # "Who is the person that said …"
    r"^(?:(?:what(?:'s|’s|\s+is|\s+was|\s+were)|give\s+me|tell\s+me)\s+the\s+(?:full\s+|first\s+"
    r"|last\s+|sur)?names?\s+of|name|who(?:'s|’s|\s+is|\s+was|\s+were|\s+are))\s+the\s+"
    r"(?:[\w-]+\s+){0,2}?(?:person|people|official|officials|man|woman|guy|one|individual"
    r"|agent|officer|speaker|employee|staffer|source)\s+(?:who|that)\s+(?=[a-z]+\b)",
    re.IGNORECASE,
)


def asked_as_who(question: str) -> str:
    """ "What's the full name of the official who said the model could implode?" as "Who said
    the model could implode?", and "need a one line ID for Alan Kraut" as "Who is Alan
    Kraut?": what a who-question asks, in its words (the others are in no passage)."""
    found = _NAME_OF_WHO.match(question)
    if found is not None:
        return "Who " + question[found.end() :]
    quoted = _QUOTED_SAYING.match(question)
    if quoted is not None:  # "who's quoted as saying the model could implode?"
        return "Who said " + question[quoted.end() :]
    described = _DESCRIBE_SOMEONE.match(question)
    if described is not None:
        return f"Who is {described['who']}?"
    return question


_QUOTED_SAYING = re.compile(
    r"^(?:so\s+|and\s+)?who(?:['’]s|\s+is|\s+was|\s+gets|\s+got)\s+(?:being\s+)?quoted\s+"
    r"(?:as\s+)?saying\s+",
    re.IGNORECASE,
)
_DESCRIBE_SOMEONE = re.compile(
    # "need a one line ID for Alan Kraut", "quick bio of Pender?", "an intro for Roberts"
    r"^(?:(?:i\s+)?need\s+|give\s+me\s+|(?:can|could)\s+(?:i|you)\s+(?:get|have|give\s+me)\s+)?"
    r"(?:an?\s+)?(?:quick\s+|short\s+|brief\s+)?(?:one[- ]line\s+|1[- ]line\s+)?"
    r"(?:id|bio|biography|description|intro|introduction|descriptor)\s+(?:for|of|on)\s+"
    r"(?P<who>[A-Z][\w.’' -]*?|him|her)\s*[?.!]*$",
    re.IGNORECASE,
)


_DID = re.compile(r"\b(what|how|where|why|when)['’]d\b", re.IGNORECASE)
_UNMARKED = re.compile(
    r"\b(?P<stem>what|who|where|when|why|how|that|there|he|she)(?P<s>s)\b"
    r"|\b(?P<verb>do|does|did|is|was|were|are|ca|could|would|should|has|have|had)(?P<nt>nt)\b",
    re.IGNORECASE,
)
"""Contractions typed without their apostrophe ("whats", "didnt"), none of them an English
word ("hows" and "whys" are rare nouns; "wont", "cant" as a noun and "its" are left alone)."""


def contractions_written_out(question: str) -> str:
    """ "what'd he say?" as "what did he say?" ("who'd" is left: as often "who would"), and
    "whats it about", "who didnt reply" with their apostrophes ("what's", "didn't")."""
    question = _DID.sub(lambda m: f"{m[1]} did", question)
    return _UNMARKED.sub(_with_apostrophe, question)


def _with_apostrophe(found: re.Match[str]) -> str:
    if found["stem"]:
        return f"{found['stem']}'{found['s']}"
    return f"{found['verb']}n't" if found["nt"].islower() else f"{found['verb']}N'T"


_HOW_IT_WORKS = re.compile(r"^\W*how\s+do(?:es)?\s+(?:it|this)\s+work\W*$", re.IGNORECASE)


def asks_how_it_works(question: str) -> bool:
    """ "How does it work?": help on its own, a follow-up about "it" in a thread."""
    return bool(_HOW_IT_WORKS.match(question))


_WHEN_SAID = re.compile(
    r"^(?:and\s+|so\s+|ok(?:ay)?,?\s+)?when\s+(?:"
    # "When was that?", "When was that e-mail sent?", "when was this said?" (not "When was this
    # written?": the document's date)
    r"(?:was|is|were)\s+that(?:\s+(?:e-?mail|message|statement|quote|letter|memo))?"
    r"(?:\s+(?:said|written|sent|posted))?"
    r"|(?:was|is)\s+(?:this|it)\s+said"
    # "When did he say that?", "when did she write it?"
    r"|did\s+(?:he|she|they|that|this)\s+(?:say|write|send|post|tell)(?:\s+(?:that|this|it))?"
    r")\s*[?.!]*$",
    re.IGNORECASE,
)


def when_said_asked(question: str) -> bool:
    """ "When was that?", "When did he say that?": a follow-up asking when the statement just
    quoted was made (the publication date is asked as "When was this published?")."""
    return bool(_WHEN_SAID.match(question.strip()))


_DATE_IN_TEXT = re.compile(
    r"\b(?:\d{1,2}\s+" + r"(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)|(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December)\s+\d{1,2}\b|(?:on|last|this|next)\s+(?:Monday|Tuesday"
    r"|Wednesday|Thursday|Friday|Saturday|Sunday)|(?:in|since|by)\s+(?:January|February|March"
    r"|April|May|June|July|August|September|October|November|December|(?:19|20)\d{2})\b)"
)
"""A date or day a passage gives ("10 May", "May 10", "on Tuesday", "in 2009")."""


def gives_a_date(text: str) -> bool:
    return _DATE_IN_TEXT.search(text) is not None


_PASSAGE_WORD = r"(?:paragraph|passage|part|bit|section|text|lines?)"
_CONTEXT = {
    "before": re.compile(
        r"^(?:and\s+)?(?:what\s+(?:came|comes|was|is|happened|did\s+it\s+say)\s+)?"
        r"(?:right\s+|just\s+|immediately\s+)?before(?:\s+(?:that|this|it))?\W*$"
        r"|^(?:what(?:'s|’s|\s+is|\s+was)\s+)?(?:the\s+)?(?:previous|preceding|prior)\s+"
        + _PASSAGE_WORD
        + r"\W*$|^(?:(?:show|give|quote|read)\s+(?:me\s+)?|what(?:'s|’s|\s+is|\s+was)\s+)"
        + r"(?:the\s+)?"
        + _PASSAGE_WORD
        + r"\s+(?:right\s+|just\s+|immediately\s+)?before(?:\s+(?:that|this|it))?\W*$",
        re.IGNORECASE,
    ),
    "after": re.compile(
        r"^(?:and\s+)?(?:what\s+(?:came|comes|was|is|happened|did\s+(?:it|he|she|they)\s+say"
        r"|did\s+(?:he|she|they)\s+(?:write|add))\s+)?"
        r"(?:right\s+|just\s+|immediately\s+)?after(?:wards?)?(?:\s+(?:that|this|it))?\W*$"
        r"|^(?:and\s+)?(?:what\s+about\s+)?the\s+next\s+one\W*$"
        # "and then what?", "what happened next?"
        r"|^(?:and\s+|so\s+)?then\s+what(?:\s+happened)?\W*$|^and\s+then\W*$"
        r"|^(?:and\s+|so\s+)?what\s+happened\s+(?:next|then|after\s+that)\W*$"
        r"|^(?:what(?:'s|’s|\s+is|\s+was)\s+)?(?:the\s+)?(?:next|following)\s+"
        + _PASSAGE_WORD
        + r"\W*$|^(?:(?:show|give|quote|read)\s+(?:me\s+)?|what(?:'s|’s|\s+is|\s+was)\s+)"
        + r"(?:the\s+)?"
        + _PASSAGE_WORD
        + r"\s+(?:right\s+|just\s+|immediately\s+)?after(?:\s+(?:that|this|it))?\W*$",
        re.IGNORECASE,
    ),
    "around": re.compile(
        r"^(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?(?:give|show|quote|read)?\s*"
        r"(?:me\s+|us\s+)?(?:(?:some|more|the)\s+)?context(?:\s+please)?\W*$"
        r"|^(?:what(?:'s|’s|\s+is)\s+the\s+context|in\s+context|with\s+context)\W*$"
        r"|^(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?(?:give|show|quote|read)?\s*"
        r"(?:me\s+|us\s+)?(?:the\s+)?(?:full|whole|entire|complete)\s+"
        r"(?:paragraph|passage|quote|text)(?:\s+please)?\W*$",
        re.IGNORECASE,
    ),
}


_SAID_BEFORE = re.compile(
    r"^(?:and\s+|so\s+)?what\s+did\s+(?:he|she|they)\s+(?:say|write|add)\s+"
    r"(?:right\s+|just\s+|immediately\s+)?before(?:\s+(?:that|this|it))?\W*$",
    re.IGNORECASE,
)


def said_before_asked(question: str) -> bool:
    """ "What did he say before that?": the thread's speaker's words before the ones just
    quoted (a follow-up only)."""
    return bool(_SAID_BEFORE.match(_PLACE_OF_IT.sub("", question.strip())))


_IN_WHICH_TEXT = (
    r"\s+(?:(?:that\s+is\s+|that['’]s\s+)?mentioned\s+)?in\s+(?:the|that|this|your)\s+"
    rf"(?:[\w’'-]+\s+){{0,4}}?(?:{_PIECE_NOUN}|chain|thread|exchange|e-?mails?|text|source)"
    r"(?=\W*$)"
)
"""Where a question says the words it asks about are ("… before that in the thread?", "… the
FAO mentioned in the drought story?"): a follow-up's passage, or an abbreviation the documents
spell out alike, is the same wherever it is."""
_PLACE_OF_IT = re.compile(_IN_WHICH_TEXT, re.IGNORECASE)


def context_asked(question: str) -> Literal["before", "after", "around"] | None:
    """ "What came before that?", "And after?", "More context", "The full paragraph": the
    text around the passage just quoted (a follow-up only); None for any other question."""
    text = _PLACE_OF_IT.sub("", question.strip())  # "… before that in the thread?"
    for where in ("before", "after", "around"):
        if _CONTEXT[where].match(text):
            return where
    return None


_BACK = r"(?:him|her|them|that|this|it)"
_IN_THE_EXCHANGE = (
    r"(?:\s+in\s+(?:the|that|this)\s+(?:e-?mail\s+)?(?:chain|thread|exchange|e-?mails?))?"
)
"""Where the statements were made, which a question about who answered whom may add ("Who
replied after him in the chain?"): the order it asks about is the document's all the same."""
_REPLY_NEXT = re.compile(
    r"^(?:(?:and\s+|so\s+|ok(?:ay)?,?\s+)?(?:then|after\s+that|next),?\s+|and\s+|so\s+"
    r"|ok(?:ay)?,?\s+)?(?:"
    # "Who responded?", "Who replied to him?", "And who weighed in after that?"
    # (and as typed by someone whose English is not their first: "Who respond after him?")
    r"who\s+(?:else\s+)?(?:respon(?:ded|ds?)|repl(?:ied|ies|y)|answer(?:ed|s)?|react(?:ed|s)?"
    r"|wrote\s+back)"
    rf"(?:\s+(?:next|first|then|afterwards?|after(?:\s+{_BACK})?|to\s+{_BACK}))?"
    # "Who agreed with that?": the reply to it, whatever it says (the reply names the order)
    rf"|who\s+(?:else\s+)?(?:agreed|disagreed)(?:\s+with\s+{_BACK})?"
    rf"|(?:did|does)\s+any(?:one|body)(?:\s+else)?\s+(?:agree|disagree)(?:\s+with\s+{_BACK})?"
    r"|who\s+(?:else\s+)?(?:weighed\s+in|chimed\s+in|spoke(?:\s+up)?|commented|wrote|came|"
    rf"followed|is|was)\s+(?:next|then|afterwards?|after(?:\s+{_BACK})?)"
    # "What was the reply?", "What did the next person say?", "Did anyone respond to that?"
    rf"|what\s+(?:was|is)\s+the\s+(?:response|reply)(?:\s+to\s+{_BACK})?"
    r"|what\s+did\s+the\s+next\s+(?:person|official|one|speaker)\s+(?:say|write)"
    rf"|(?:did|does)\s+any(?:one|body)(?:\s+else)?\s+(?:respond|reply|answer|react)"
    rf"(?:\s+to\s+{_BACK})?"
    r"|how\s+did\s+(?:the\s+others|others|anyone)\s+(?:respond|reply|react)"
    r")" + _IN_THE_EXCHANGE + r"\s*[?.!]*$",
    re.IGNORECASE,
)
_REPLYING_TO = r"(?:agreeing\s+with|replying\s+to|responding\s+to|answering|reacting\s+to)"
_REPLY_TO = r"(?:agree\s+with|reply\s+to|respond\s+to|react\s+to)"
"""How a question asks whom someone answered ("Who was he agreeing with?", "Who did Morris
reply to?"): one home for `_REPLY_BEFORE` (a pronoun) and `_REPLIED_TO_SOMEONE` (a name)."""
_REPLY_BEFORE = re.compile(
    r"^(?:and\s+|so\s+|ok(?:ay)?,?\s+)?(?:"
    # "Who was he agreeing with?", "What was she responding to?"
    rf"(?:who|whom|what)\s+(?:was|is|were|are)\s+(?:he|she|they|that|this)\s+{_REPLYING_TO}"
    # "What he was answering to?" (the question's words in the order of a statement)
    rf"|(?:who|whom|what)\s+(?:he|she|they)\s+(?:was|is|were|are)\s+{_REPLYING_TO}"
    # "Who did he reply to?", "What did she agree with?" (not "What did he answer?": his words)
    rf"|(?:who|whom|what)\s+did\s+(?:he|she|they)\s+(?:{_REPLY_TO}|write\s+back\s+to)"
    r"|(?:who|whom)\s+did\s+(?:he|she|they)\s+answer"
    # "Who responded just before him?"
    r"|who\s+(?:responded|replied|answered|spoke|wrote|commented|was\s+quoted)\s+"
    rf"(?:just\s+|right\s+|immediately\s+)?before\s+{_BACK}"
    # "To which statement (by a colleague) was he responding?"
    r"|to\s+(?:which|what|whose)\s+(?:\w+\s+){0,5}?(?:was|is|were|are)\s+(?:he|she|they)\s+"
    r"(?:responding|replying|reacting)"
    # "Who was that a reply to?"
    r"|(?:who|whom|what)\s+(?:was|is)\s+(?:that|this|it)\s+(?:a\s+reply|an\s+answer|a\s+response)"
    r"\s+to"
    r")(?:\s+to)?" + _IN_THE_EXCHANGE + r"\s*[?.!]*$",
    re.IGNORECASE,
)
_WHOM = re.compile(r"^(?:and\s+)?(?:to|with)\s+whom\s*[?.!]*$", re.IGNORECASE)
_REPLYING = re.compile(
    r"\b(?:repl(?:y|ied|ies|ying)|respon(?:d|ded|ds|ding|se)|answer(?:ed|s|ing)?|agree(?:d|s|ing)?"
    r"|wrote\s+back)\b",
    re.IGNORECASE,
)


def reply_asked(question: str, earlier: str | None) -> Literal["next", "before"] | None:
    """ "Who responded?", "What was the reply?": the next speaker quoted after the last answer;
    "Who was he agreeing with?" (and "To whom?" after "What did X reply?"): the speaker quoted
    just before it. A follow-up only; ``earlier`` is the thread's last question."""
    text = question.strip()
    if _REPLY_NEXT.match(text):
        return "next"
    if _REPLY_BEFORE.match(text):
        return "before"
    if _WHOM.match(text) and earlier is not None and _REPLYING.search(earlier):
        return "before"
    return None


_REPLIED_TO_SOMEONE = re.compile(
    r"^(?:and\s+|so\s+)?(?:"
    # "Who responded to Morris?", "Who replied after Pender?", "How did others react to Lasky?"
    r"who\s+(?:else\s+)?(?:(?:responded|replied|answered|reacted|wrote\s+back|spoke)"
    r"\s+(?:to|after)|agreed\s+with)\s+(?P<after>[^?]+?)"
    r"|(?:what|how)\s+did\s+(?:others|anyone|the\s+others)\s+(?:say|respond|reply|react)\s+"
    r"(?:to|after)\s+(?P<after2>[^?]+?)"
    # "Who was Morris agreeing with?", "Who did Morris reply to?"
    rf"|(?:who|whom|what)\s+(?:was|is)\s+(?P<before>[^?]+?)\s+{_REPLYING_TO}"
    rf"|(?:who|whom|what)\s+did\s+(?P<before2>[^?]+?)\s+{_REPLY_TO}"
    r"|(?:who|whom)\s+did\s+(?P<before3>[^?]+?)\s+answer"
    r")\s*[?.!]*$",
    re.IGNORECASE,
)


def reply_to_someone(question: str) -> tuple[Literal["next", "before"], str] | None:
    """ "Who responded to Morris?": the statement quoted next after that speaker's; "Who was
    Morris agreeing with?": the one just before. The speaker as asked; None for any other
    question (and for a pronoun: `reply_asked` reads "Who did he reply to?" in a thread)."""
    found = _REPLIED_TO_SOMEONE.match(question.strip())
    if found is None:
        return None
    after = found["after"] or found["after2"]
    who = (after or found["before"] or found["before2"] or found["before3"]).strip()
    if _PRONOUN_WORD.match(who):
        return None
    return ("next" if after else "before"), who


_PRONOUN_WORD = re.compile(
    r"^(?:he|she|they|him|her|them|it|that|this|those|these)$", re.IGNORECASE
)


_ACKNOWLEDGEMENT = re.compile(
    r"^(?:ok(?:ay)?|k|kk|cool|got\s+it|nice|great|perfect|good|sure|alright|all\s+right|right"
    r"|makes\s+sense|interesting|wow|lol|haha|hmm+|yes|yeah|yep|no|nope|noted|understood"
    r"|i\s+see)(?:\s+(?:then|thanks|bot))?[\s!.?,]*$",
    re.IGNORECASE,
)


def acknowledges(question: str) -> bool:
    """ "ok", "got it", "👍", "hmm": a reply to an answer, not a question (nothing but emoji or
    punctuation counts too)."""
    text = question.strip()
    return bool(_ACKNOWLEDGEMENT.match(text)) or (
        bool(text) and not any(c.isalnum() for c in text) and "?" not in text
    )


_QUESTION_START = re.compile(
    r"^(?:(?:and|also|plus|then|so)\s+)?(?:what|who|whom|whose|when|where|why|how|which|is|are"
    r"|was|were|do|does|did|can|could|will|would|should|has|have|had)\b",
    re.IGNORECASE,
)


_AND_THEN_ASKED = re.compile(
    r",\s+and\s+(?=(?:what|who|whom|whose|when|where|why|how|which)\b)", re.IGNORECASE
)
"""Where a second question starts inside the first ("Who said he agreed, and what's his
job?")."""
_ASIDE = re.compile(
    r"^(?:i|i['’]m|i['’]d|i['’]ll|i\s+am|we|we['’]re|need\s+it|it['’]s\s+for|this\s+is\s+for"
    r"|for\s+(?:a|my|our)\s+\w+|thanks|thank\s+you|thx|cheers)\b[^?]*$"
    # how the asker wants it: "Short answer.", "Exact words please.", "Name only."
    r"|^(?:(?:a\s+)?short\s+answer|one\s+line|in\s+brief|briefly|exact\s+words|verbatim"
    r"|word\s+for\s+word|name\s+only|just\s+the\s+name|quote\s+only|yes\s+or\s+no)"
    r"(?:\s+(?:please|pls|plz))?[\s.!]*$",
    re.IGNORECASE,
)
"""A remark after a question about the asker's own plans ("I might try to book him.") or how
they want the answer ("Short answer.")."""


def separate_questions(question: str) -> list[str]:
    """ "What did Pender say? And what did Roberts say?", "Who said he agreed, and what's his
    job?": each question of a message that asks several, in order; the message alone when it
    asks one (or a part is not a question of three words or more: "Who said it? Why?" reads as
    one)."""
    parts = [p.strip() for p in re.split(r"(?<=\?)\s+", question.strip()) if p.strip()]
    split = [piece for part in parts for piece in _asked_after_and(part)]
    if len(split) < 2 or not all(len(words(p)) >= 3 and _QUESTION_START.match(p) for p in split):
        return [question]
    return split


def without_asides(question: str) -> str:
    """The message without remarks about the asker's own plans before or after its question
    ("I'm booking guests for a radio segment. Which academic is quoted?", "Who said it? I might
    try to book him." ask the question alone)."""
    opening = _LEADING_ASIDE.match(question.strip())
    if opening is not None:
        rest = opening["rest"]
        # a whole question after it (not "… about parking. Who said it?": the topic is before)
        if "?" in rest and _QUESTION_START.match(rest) and len(words(rest)) >= 5:
            question = rest
    parts = [p.strip() for p in re.split(r"(?<=\?)\s+", question.strip()) if p.strip()]
    if len(parts) < 2 or not _ASIDE.match(parts[-1]):
        return question
    while len(parts) > 1 and _ASIDE.match(parts[-1]):
        parts.pop()
    return " ".join(parts)


_LEADING_ASIDE = re.compile(
    r"(?:i['’]m|i\s+am|i['’]ve|i\s+have|we['’]re|we\s+are|i\s+need|i['’]ll\s+be|i\s+work)\b"
    r"[^.?!]*[.!]\s+(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
"""A sentence about the asker before the question ("I'm booking guests for a radio segment on
this. Which …?")."""


def _asked_after_and(part: str) -> list[str]:
    found = _AND_THEN_ASKED.search(part)
    if found is None or not _QUESTION_START.match(part) or len(words(part[: found.start()])) < 4:
        return [part]
    first = part[: found.start()].rstrip(" ,") + "?"
    return [first, part[found.end() :]]


def says_thanks(question: str) -> bool:
    """ "Thanks!", "great, thank you": nothing to answer but a welcome."""
    return bool(_THANKS.match(question))


def asks_for_help(question: str) -> bool:
    """A greeting, "what can you do?", or "what documents do you have?": the reply says what
    the bot is and which documents it knows."""
    return bool(_GREETING.match(question) or _CATALOGUE.match(question))


_OVERVIEWS = re.compile(
    _POLITE + r"(?:"
    rf"what\s+are\s+(?:the|your|these|those|all\s+(?:the|your|these))\s+{_SHELF}\s+"
    r"(?:all\s+|mainly\s+|mostly\s+|each\s+)?about"
    rf"|(?:summari[sz]e|sum\s+up|recap)\s+(?:each\s+of\s+|all\s+)?(?:the|your|these)\s+{_SHELF}"
    rf"|what\s+is\s+each\s+(?:{_SHELF_OR_ONE})\s+about"
    r")(?:\s+please)?[\s!.?,]*$",
    re.IGNORECASE,
)


_ORDINALS = {
    **dict.fromkeys(("first", "opening", "1st", "top"), 1),
    **{w: n for n, w in enumerate("second third fourth fifth sixth seventh eighth".split(), 2)},
    **{f"{n}{'nd' if n == 2 else 'rd' if n == 3 else 'th'}": n for n in range(2, 10)},
    **dict.fromkeys(("last", "final", "closing", "concluding"), -1),
    "penultimate": -2,
    "second-to-last": -2,
    "second to last": -2,
}
_PARAGRAPH_WORD = r"(?:paragraph|para|graf|graph|par)"
_PARAGRAPH_AT = re.compile(
    rf"\b(?:the\s+)?(?P<ordinal>{'|'.join(sorted(_ORDINALS, key=len, reverse=True))})\s+"
    rf"(?:body\s+)?{_PARAGRAPH_WORD}\b"
    rf"|\b{_PARAGRAPH_WORD}\s+(?:no\.?\s*|number\s+|#)?(?P<number>\d{{1,3}})\b"
    r"|¶\s*(?P<mark>\d{1,3})\b"
    r"|\b(?P<lede>lede|lead\s+paragraph|intro\s+paragraph)\b"
    r"|^\W*(?:and\s+|so\s+)?how\s+does\s+(?:the|this|that|it)\s*"
    rf"(?:{_PIECE_NOUN}\s+(?:(?:about|on)\s+[^?]{{1,80}}?\s+)?)?"
    r"(?P<edge>end|finish|close|conclude|begin|start|open)\b",
    re.IGNORECASE,
)


_STARTING_WITH = re.compile(
    rf"\b{_PARAGRAPH_WORD}\s+(?:that|which)\s+(?:starts|begins|opens)\s+(?:with\s+)?"
    r"[\"“‘'](?P<words>[^\"“”‘’]{2,100}?)[\"”’']",
    re.IGNORECASE,
)


def paragraph_starting(question: str) -> str | None:
    """The words a paragraph is asked for by ("What's in the paragraph that starts with 'In
    particular'?"), or None."""
    found = _STARTING_WITH.search(question)
    return None if found is None else found["words"].strip()


_WHICH_PARAGRAPH = re.compile(
    rf"^(?:and\s+|so\s+)?(?:which|what)\s+(?:{_PARAGRAPH_WORD}|part|section|page)\s+"
    r"(?:is|was)\s+(?:that|this|it)(?:\s+(?:in|from|on))?\W*$"
    rf"|^(?:and\s+)?where\s+(?:is|was)\s+(?:that|this|it)\s+in\s+(?:the|this)\s+"
    r"(?:article|story|piece|text|document)\W*$",
    re.IGNORECASE,
)


def asks_which_paragraph(question: str) -> bool:
    """ "Which paragraph is that in?": where the passage just quoted stands (a follow-up)."""
    return bool(_WHICH_PARAGRAPH.match(question.strip()))


def paragraph_asked(question: str) -> int | None:
    """The body paragraph a question asks for by its place: "What does the first paragraph
    say?", "the lede", "paragraph 3", "¶7" (as replies number them), "How does the story end?"
    (−1: the last, −2: the one before it); None when it names no place."""
    found = _PARAGRAPH_AT.search(question)
    if found is None:
        return None
    if found["ordinal"]:
        return _ORDINALS[found["ordinal"].lower()]
    if found["number"] or found["mark"]:
        return int(found["number"] or found["mark"]) or None
    if found["edge"]:
        return -1 if found["edge"].lower() in ("end", "finish", "close", "conclude") else 1
    return 1  # the lede


def asks_for_overviews(question: str) -> bool:
    """ "What are the articles about?", "Summarize your documents": how each document sums
    itself up."""
    return bool(_OVERVIEWS.match(question.strip()))


def asks_for_overview(question: str) -> bool:
    """ "What is the article about?", "Summarize the story", "What's the gist?": the answer is
    how the document sums itself up, in its own words."""
    return bool(_OVERVIEW.match(question.strip()))


_BY_DATE = re.compile(
    r"\b(?P<when>latest|newest|most\s+recent|oldest|earliest)\s+"
    rf"(?:{_PIECE_NOUN}|one)\b",
    re.IGNORECASE,
)


_LATEST_PIECE = re.compile(
    r"^\W*(?:what|which)(?:'s|’s|\s+is|\s+was)\s+(?:the\s+|your\s+)?"
    + _BY_DATE.pattern
    + r"[\s!.?,]*$"
    # "Which story is the latest?", "Which article is the most recent one?"
    rf"|^\W*which\s+{_PIECE_NOUN}\s+(?:is|was)\s+(?:the\s+)?"
    r"(?P<when2>latest|newest|most\s+recent|oldest|earliest)(?:\s+one)?[\s!.?,]*$"
    # "Which of the articles is the oldest?"
    rf"|^\W*which\s+(?:one\s+)?of\s+(?:the|your|these)\s+{_PIECE_NOUN}s?\s+(?:is|was)\s+"
    r"(?:the\s+)?(?P<when4>latest|newest|most\s+recent|oldest|earliest)(?:\s+one)?[\s!.?,]*$"
    # "Which of the articles was published most recently?", "Which story came out first?"
    rf"|^\W*which\s+(?:(?:one\s+)?of\s+(?:the|your|these)\s+{_PIECE_NOUN}s?|{_PIECE_NOUN})"
    r"\s+(?:was|is|were|got)\s+(?:published|written|posted|put\s+out|released)\s+"
    r"(?P<when3>most\s+recently|(?:the\s+)?(?:last|latest|first|earliest))[\s!.?,]*$",
    re.IGNORECASE,
)


def piece_by_date(question: str) -> Literal["latest", "earliest"] | None:
    """ "the latest story", "the oldest article", "Which story is the latest?": which end of
    the publication dates."""
    found = _BY_DATE.search(question) or _LATEST_PIECE.match(question)
    if found is None:
        return None
    when = found["when"] or found["when2"] or found["when3"] or found["when4"]
    earliest = ("oldest", "earliest", "first")
    return "earliest" if when.lower().removeprefix("the ") in earliest else "latest"


_KINDS_OF_PIECE = {
    re.compile(r"\b(?:obituary|obit)\b", re.IGNORECASE): ("obituaries", "obituary", "obits"),
    re.compile(r"\b(?:column|op-?ed|editorial|opinion\s+piece)\b", re.IGNORECASE): (
        "opinion",
        "comment",
        "columns",
        "column",
        "editorial",
        "op-ed",
    ),
    re.compile(r"\blive\s+blog\b|\blive\s+(?:coverage|updates)\b", re.IGNORECASE): ("live",),
}


_FORMAT_NAMED = {
    "pdf": re.compile(r"\b(?:the|that|this)\s+pdf\b", re.IGNORECASE),
    "docx": re.compile(
        r"\b(?:the|that|this)\s+(?:word\s+(?:document|doc|file)|docx(?:\s+file)?)\b", re.IGNORECASE
    ),
    "html": re.compile(
        r"\b(?:the|that|this)\s+(?:web\s*page|html\s+(?:page|file))\b", re.IGNORECASE
    ),
}


def format_named(question: str) -> str | None:
    """The file format a question names a document by ("the PDF", "the Word document", "the
    web page"): ``pdf``, ``docx`` or ``html``; None when it names none."""
    return next((fmt for fmt, named in _FORMAT_NAMED.items() if named.search(question)), None)


def sections_of_piece(question: str) -> tuple[str, ...]:
    """The section labels a kind of piece the question names runs under: "the obituary" under
    "Obituaries", "the column" under "Opinion" or "Comment", "the live blog" under "Live"."""
    return next((labels for kind, labels in _KINDS_OF_PIECE.items() if kind.search(question)), ())


def piece_described(question: str) -> str | None:
    """The words that tell which document is meant: "bike lanes" in "What is the bike lanes
    story about?"; None when the question does not describe it."""
    described = _DESCRIBED_PIECE.search(question)
    if described is None:
        return None
    return f"{described['which']} {described['about'] or ''}".strip()


_ABBREVIATION = r"[\"“'‘]?(?P<{}>[a-z]?[A-Z][A-Z0-9&]{{1,7}})[\"”'’]?"
"""Capitals, maybe after one small letter ("vBNS", "mRNA")."""
_STANDS_FOR = re.compile(
    r"^(?i:so\s+|and\s+)?(?:"
    r"(?i:what\s+(?:does|do|did)\s+(?:the\s+(?:acronym|abbreviation|initials)\s+)?)"
    + _ABBREVIATION.format("a")
    + r"\s+(?i:stand\s+for|mean)"
    r"|(?i:what(?:'s|’s|\s+is|\s+are)\s+(?:the\s+)?)"
    + _ABBREVIATION.format("b")
    + r"(?P<short>\s+(?i:short\s+for))?"
    r"|(?i:what(?:'s|’s|\s+is)\s+the\s+full\s+(?:name|form)\s+of\s+(?:the\s+)?)"
    + _ABBREVIATION.format("c")
    + r"|"
    + _ABBREVIATION.format("d")
    + r"\s+(?i:stands\s+for\s+what)"
    # "(remind me) what ICE stands for"
    r"|(?i:(?:(?:does|did)\s+(?:the|this|that)\s+(?:article|story|piece|text)\s+"
    r"(?:spell\s+out|say|explain|tell\s+(?:me|us))\s+)?what\s+)"
    + _ABBREVIATION.format("e")
    + r"\s+(?i:stands\s+for|means)"
    r")(?i:\s+(?:in|from)\s+(?:the|this|that|your)\s+(?:article|story|piece|text|document|report"
    r"|e-?mails?)|\s+here|\s+there)?[\s!.?,]*$"
)


@dataclass(frozen=True)
class Abbreviation:
    """A question about what an abbreviation stands for."""

    letters: str
    """As asked ("ICE", "vBNS")."""
    only_spelling: bool
    """Asked only what it stands for ("What does ICE stand for?"), not what it is ("What is
    ICE?", which a passage may answer otherwise)."""


_IN_A_PIECE = re.compile(
    # "In the wire story, what is OCHA short for?", "What is the FAO mentioned in the story?"
    rf"^(?:in|from)\s+(?:the|this|that)\s+(?:[\w’'-]+\s+){{0,4}}?{_PIECE_NOUN}\s*,\s*"
    rf"|{_IN_WHICH_TEXT}",
    re.IGNORECASE,
)
"""Which document an abbreviation is asked of: the documents spell it out the same way."""


def abbreviation_asked(question: str) -> Abbreviation | None:
    """ "What does ICE stand for?", "What is ICE?": the abbreviation, which the documents may
    spell out; None for any other question."""
    match = _STANDS_FOR.match(_IN_A_PIECE.sub("", question.strip()))
    if match is None:
        return None
    letters = next(match[name] for name in "abcde" if match[name])
    return Abbreviation(letters, only_spelling=not match["b"] or bool(match["short"]))
