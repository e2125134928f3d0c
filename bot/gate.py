"""Is a passage an answer? The evidence for and against, weighed by a fitted logistic model.

retrieve → **gate** → answer. The gate sees what retrieval found (dense and lexical scores, the
fused score and its lead over other passages) and what the corpus knows of the question's words
(do its names and rare terms occur in the passage, its paragraph, anywhere at all?). Each of
those is a feature of `Evidence`; `GateModel` turns them into the probability that the passage
answers. The coefficients were fitted with `bench/fit_gate.py` on SQuAD 2.0 dev split by article
(docs/QUALITY.md has the data, the method and the held-out figures).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache

import numpy as np

from bot.common_names import FIRST_NAMES, PLACES
from bot.lexical import STOPWORDS
from bot.records import PASSAGE_KINDS, Attribution
from bot.retrieve import Hit, Retriever, term_set, terms
from bot.speakers import kind_of, posts_meant
from bot.vocabulary import Vocabulary, english_words, words

_NAME = re.compile(r"\b(?:[A-Z][\w’'.-]*\w|1\d{3}|20\d{2})\b")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9.&-]{1,5}(?:['’]s)?")
_YEAR = re.compile(r"1\d{3}|20\d{2}")
_QUESTION_WORDS = frozenset(
    """what who whom whose when where why how which is are was were do does did can could will
    would should shall may might has have had tell list give name according in on at for of
    and or but the a an if whats who's what's please""".split()
) | frozenset(
    # the asker, and Slack's own chatter, capitalised mid-sentence: not names of anything the
    # documents should mention ("I'm new here, what did …", "what did Roberts say, ASAP?")
    """i'm i've i'd i'll im ok okay hi hey hello thanks thx sorry pls plz fyi btw asap imo
    imho tldr lol eta eod""".split()
)
RIVAL_SHARE = 0.9
"""A body passage whose fused score is at least this share of the first answering passage's
competes with it to lead, on the model's probability, which weighs more than the fused score
does (coverage of the paragraph, adjacent pairs, the lead over other paragraphs). Chosen on
SQuAD 2.0 dev's fit half (`bench/refusal.py --part fit`, answer in first quote 88.2 % with
none, 88.8 / 89.1 / 88.7 % at 0.95 / 0.9 / 0.85); held out, 86.1 → 86.9 % (docs/QUALITY.md)."""
SMALL_CORPUS = 100
"""Chunks: a news article of a few thousand words makes 15 to 60."""
_PICTURE = re.compile(r"\b(?:photo|photograph|picture|pictured|image|caption|shown|shows)\b", re.I)

_ASKS_WHEN = re.compile(
    r"^\W*(?:and\s+|so\s+)?when\s+(?:exactly\s+|precisely\s+|roughly\s+)?"
    r"(?:did|was|were|is|are|does|do|will|would|could|had|has|have"
    r"|can|should|might)\b|^\W*(?:and\s+|so\s+)?when['’]s\b"  # "when's it due?"
    r"|\b(?:what|which)\s+(?:year|month|day|date|century|decade)\b"
    r"|\bhow\s+long\s+ago\b",
    re.IGNORECASE,
)
_MONTHS_AND_DAYS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday"
    " mondays tuesdays wednesdays thursdays fridays saturdays sundays"
)
_A_TIME = re.compile(
    r"\b(?:\d{3,4}|\d{1,4}s|\d+(?:st|nd|rd|th))\b"
    rf"|\b(?:{'|'.join(_MONTHS_AND_DAYS.split())})\b"
    r"|\b(?:centur(?:y|ies)|decades?|years?|ago|today|yesterday|tomorrow|tonight|weeks?|days?"
    r"|months?|hours?|morning|evening|night|era|period|ages?|season|spring|summer|autumn|fall"
    r"|winter|BC|AD|BCE|CE|dynasty|reign|war)\b",
    re.IGNORECASE,
)


_ASKS_HOW_MANY = re.compile(
    r"\bhow\s+many\b|\bwhat\s+(?:percentage|percent|proportion|fraction|share|portion|ratio)\b"
    r"|\bhow\s+much\s+(?:money|cash|funding)\b"
    r"|\bhow\s+much\b(?=.*\b(?:costs?|pay|paid|spend|spent|raised?|earn(?:ed)?|worth|charged?"
    r"|price)\b)",
    re.IGNORECASE,
)
_CARDINALS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundreds? thousands? millions? billions? dozens? half twice"
)
"""Number words that count or measure (not "one": "one FBI official" measures nothing)."""
_NUMBER_WORDS = (
    f"one {_CARDINALS} trillions? halves quarters? thrice double triple single couple pair "
    "both none percent free nothing zero"
)
"""Words that say how many or how much. Not "many", "several", "some" or "most": "Many
communities just don't want …" does not answer "How many people were deported?" (each of SQuAD
2.0 dev's 140 answerable questions of the kind still has a number in its gold paragraph)."""
_A_NUMBER = re.compile(
    rf"\d|[%$€£¥]|\b(?:{'|'.join(_NUMBER_WORDS.split())})\b"
    r"|\w+,\s+[\w.]+(?:\s+[\w.]+)?,\s+(?:and|or)\b",  # a list: "A, B, and C" says how many
    re.IGNORECASE,
)


_ASKS_A_MEASURE = re.compile(
    # not "how far", "how big", "how high": as often a degree ("how far have they gone?")
    r"\bhow\s+(?:old|tall|fast|deep|wide|heavy|long(?!\s+ago\b))\b",
    re.IGNORECASE,
)
_UNITS = (
    "years? months? weeks? days? hours? minutes? seconds? decades? century centuries "
    "miles? kilometres? kilometers? km metres? meters? feet inches? acres? hectares? "
    "pounds? kilos? kilograms? tons? tonnes? mph storeys?"
)
_A_MEASURE = re.compile(
    rf"\d|\b(?:{'|'.join(_CARDINALS.split())}|{'|'.join(_UNITS.split())})\b", re.IGNORECASE
)


_ASKS_A_SIZE = re.compile(r"\bhow\s+(?:tall|deep|wide|heavy|fast)\b", re.IGNORECASE)
_A_SIZE = re.compile(
    r"(?<![$€£¥₹\d.,])\d[\d,.]*\s*(?:m|cm|mm|km|ft|in|kg|g|lbs?|oz|st|mph|kph|km/h)\b"
    r"|\b(?:metres?|meters?|feet|foot|inches|yards?|miles?|kilometres?|kilometers?|storeys?"
    r"|stories|floors|grams?|kilograms?|kilos?|pounds|stone|tons?|tonnes?|ounces?|knots"
    r"|mph|miles\s+(?:an|per)\s+hour)\b|\d\s*(?:′|')\s*\d",
    re.IGNORECASE,
)


def asks_for_a_size(question: str) -> bool:
    """ "How tall is he?", "How deep is the lake?", "How fast can it go?": any answer holds a
    unit of length, weight or speed ("6ft 2in", "180 metres", "30 mph"); a number alone does
    not (a paragraph giving a player's "£18.5m" fee or a count does not say how tall he is)."""
    return bool(_ASKS_A_SIZE.search(question))


_ASKS_HOW_LONG = re.compile(r"\bhow\s+long(?!\s+ago\b)\b", re.IGNORECASE)
_A_LENGTH = re.compile(
    rf"\b(?:{'|'.join(_CARDINALS.split())}|{'|'.join(_UNITS.split())}|since|until|km|cm|mm|ft"
    r"|yards?|centur(?:y|ies)|millenni(?:um|a)|generations?|nights?|terms?|seasons?)\b"
    r"|\b(?:1\d|20)\d\d\s*(?:-|–|—|to|until|till)\s*(?:(?:1\d|20)\d\d|\d\d)\b",
    re.IGNORECASE,
)


_ASKS_A_YEAR = re.compile(
    r"\b(?:what|which)\s+(?:years?|decades?|centur(?:y|ies))\b|\bin\s+what\s+year\b", re.IGNORECASE
)
_A_YEAR = re.compile(
    r"\b(?:1\d{3}|20\d{2})s?\b|['’]\d{2}s?\b|\b\d{1,4}\s*(?:BC|BCE|AD|CE)\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)[\s-]+centur|\b[a-z]+(?:teenth|tieth|th|st|nd|rd)[\s-]+centur"
    r"|\b(?:nineteen|eighteen|seventeen|sixteen|fifteen|twenty)[\s-]+(?:hundred|[a-z]+ty)\b",
    re.IGNORECASE,
)


def asks_for_a_year(question: str) -> bool:
    """ "What year did the program launch?", "In which decade …?": any answer holds a year
    ("1994", "’90s", "500 BC", "nineteen eighty"), a decade of years ("the 1980s") or a
    century ("the 19th century"), not merely a time (`asks_for_a_time` lets "recently" or "war"
    do; not "500 people", "for decades"). Each of SQuAD 2.0 dev's 66 answerable questions of
    this kind has one in its gold paragraph."""
    return bool(_ASKS_A_YEAR.search(question))


def asks_for_a_measure(question: str) -> bool:
    """ "How old is …?", "How long has … worked there?", "How tall …?": any answer holds a
    number or a unit ("thirty years", "three kilometres"); a word like "many" or "most" does
    not measure anything ("How old is the professor?" is not answered by his "Many communities
    just don't want …"). All 26 of SQuAD 2.0 dev's answerable questions of this kind have one in
    their gold answer."""
    return bool(_ASKS_A_MEASURE.search(question))


def asks_how_long(question: str) -> bool:
    """ "How long has she been president of the union?", "How long is the bridge?": any answer
    names a stretch of time or a length ("six years", "since 2015", "1962 to 1980", "180
    metres", "into the nineteenth century"); a date alone does not ("on February 20"). Each of
    SQuAD 2.0 dev's 22 answerable questions of the kind has one in its gold paragraph."""
    return bool(_ASKS_HOW_LONG.search(question))


def asks_for_a_number(question: str) -> bool:
    """ "How many …?", "How much will … cost?", "What percentage …?": any answer holds a number,
    a word for one ("dozens", "both"; not "many": `_NUMBER_WORDS`) or a list ("Chicago, Boston,
    and Denver"). A
    passage whose paragraph has none cannot answer ("How many fingerprints does the FBI store?"
    is not answered by a paragraph on what is done with them). "How much did X matter?" asks a
    degree and is not checked. Every one of SQuAD 2.0 dev's answerable questions of this kind
    has one in its gold paragraph, and so does each of the 140 gold answers ("free" and "nothing"
    count: what a thing costs; docs/QUALITY.md)."""
    return bool(_ASKS_HOW_MANY.search(question))


_ASKS_MONEY = re.compile(
    r"\bhow\s+much\s+(?:money|cash|funding)\b"
    r"|\bhow\s+much\b(?!\s+(?:of|weight|time|ground|support|sleep|land|water|energy|power"
    r"|damage|data|space|blood|fuel)\b)(?=.*\b(?:cost(?:s|ing)?|pay(?:s|ing)?|paid|spend(?:s|ing)?"
    r"|spent|earn(?:s|ed|ing)?|worth|charg(?:e|es|ed|ing)|price[sd]?|fined?|pledged?"
    r"|budget(?:ed)?|sell(?:s|ing)?|sold|donated?|invested?|owed?|fees?|salary|wages?|revenue"
    r"|lose|loses|losing|lost|stole|stolen|steal|raised?"
    r"|profits?|tickets?|fares?|rent|tax(?:es)?|subscriptions?)\b)"
    r"|\bhow\s+expensive\b"
    r"|\bwhat(?:s|['’]s|\s+(?:is|was|are|were))\s+(?:the|its|their|his|her"
    # "What is Halvern Therapeutics' share price?": a name's, as "its"
    r"|(?:[A-Z][\w&.-]*\s+){0,3}[A-Z][\w&.-]*(?:['’]s|s['’]))\s+"
    r"(?:[\w'’-]+\s+){0,3}?"
    r"(?:budget|cost|price|fine|salary|fee)s?\b(?!\s+(?:of\s+)?(?:cuts?|rises?|increases?))",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"[$€£¥₹]|\b(?:USD|EUR|GBP)\b|(?<!per )\bcents?\b"  # not "87 per cent"
    r"|\b(?:dollars?|pounds?|sterling|euros?|pence|penny|yen|rupees?|francs?|marks|pesos?|yuan|krone[rn]?|kronor|krona|lira|lire|roubles?|rubles?"
    r"|shillings?|guineas?|bucks|free|nothing)\b",
    re.IGNORECASE,
)


_ASKS_CLOCK_TIME = re.compile(
    r"\bwhat\s+time\s+(?:does|did|do|will|would|is|are|was|were)\b(?=.*\b(?:opens?|closes?"
    r"|starts?|begins?|finish(?:es)?|ends?|kicks?\s+off|arrives?|leaves?|departs?|shuts?"
    r"|let\s+out)\b)",
    re.IGNORECASE,
)
_A_CLOCK_TIME = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\b\.?|p\.?m\b\.?)|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidday\b"
    r"|\bmidnight\b|o['’]clock",
    re.IGNORECASE,
)


def asks_for_a_clock_time(question: str) -> bool:
    """ "What time does the library open on Saturdays?", "what time will the schools let
    out": any answer is a time of day ("9.30am", "15:10", "noon"), not a year, a date or "the
    night the ceiling fell in" (`asks_for_a_time` lets those do)."""
    return bool(_ASKS_CLOCK_TIME.search(question))


_ASKS_EARNINGS = re.compile(
    # "how much compensation did she get", "what's Morris's salary", "what was the firm's
    # annual profit" (not "what did the SNP opine about the oil revenues")
    r"^\W*(?:and\s+|so\s+)?(?:how\s+(?:much|big|large)\b.*"
    r"|(?:whats|what['’]s|what\s+(?:is|was|are|were))\s+(?:[\w'’-]+\s+){0,5}?)"
    r"\b(?P<kind>salary|salaries|wages?|pay\s+packet|earnings|income|profits?|revenues?"
    r"|turnover|compensation|payout|pay-?out)\b"
    # "What pre-tax profit did Harbourside make?": the kind, then the question's verb
    r"|^\W*(?:and\s+|so\s+)?(?:what|which)\s+(?:[\w'’-]+\s+){0,3}?(?P<asked>salary|salaries"
    r"|wages?|earnings|income|profits?|revenues?|turnover|compensation|payout|pay-?out)\s+"
    r"(?:did|does|do|has|have|had|will|would|is|was|are|were)\b",
    re.IGNORECASE,
)
_EARNINGS = {
    "pay": re.compile(r"\b(?:salar(?:y|ies)|wages?|earn\w*|paid|pay|income)\b", re.IGNORECASE),
    "profit": re.compile(r"\b(?:profits?|made|earn\w*|loss(?:es)?|surplus)\b", re.IGNORECASE),
    "revenue": re.compile(r"\b(?:revenues?|turnover|sales|takings)\b", re.IGNORECASE),
    "compensation": re.compile(
        r"\b(?:compensat\w*|damages|pay-?outs?|award\w*|settle\w*|paid)\b", re.IGNORECASE
    ),
}
_EARNINGS_KIND = {
    "salary": "pay", "salaries": "pay", "wage": "pay", "wages": "pay", "pay packet": "pay",
    "earnings": "pay", "income": "pay", "profit": "profit", "profits": "profit",
    "revenue": "revenue", "revenues": "revenue", "turnover": "revenue",
    "compensation": "compensation", "payout": "compensation",
    "pay-out": "compensation",
}  # fmt: skip


_WHO_HOLDS_WHERE = re.compile(
    r"^\W*(?:and\s+|so\s+)?who(?:['’]?s|\s+(?:is|was|are|were))\s+(?:the|a|an)\s+"
    r"(?:[\w-]+\s+){1,4}?(?:of|at|for|in)\s+(?P<place>[^?]+)",
    re.IGNORECASE,
)


def post_places(question: str) -> list[str]:
    """The names that say where a post asked about is held: "Who is the special agent in
    charge of the FBI's Chicago office?" asks for Chicago's, and a paragraph naming Houston's
    does not answer it (a year is when, not where)."""
    found = _WHO_HOLDS_WHERE.search(question)
    if found is None:
        return []
    return [
        word
        for name in question_names(found["place"])
        if not _YEAR.fullmatch(name)
        for word in re.sub(r"['’]s?$", "", name).split()
        if not _INSTITUTION.fullmatch(word)  # "New York City": "New" and "York"
    ]


_HOW_MANY_OF = re.compile(
    r"\bhow\s+many\s+(?:more\s+|different\s+|total\s+|other\s+|new\s+|separate\s+)?"
    r"(?P<noun>[a-z][\w-]*)",
    re.IGNORECASE,
)
_ANY_COUNT = frozenset(
    terms(
        "people persons times types kinds sorts years months weeks days hours minutes seconds"
        " miles kilometres kilometers km metres meters feet acres pounds dollars euros percent"
        " us of in are were is was do does did have has had will would can could"
        # "how many came to the first one": a verb, the count of people doing it
        " came come went go got get turned showed attended died left stayed voted signed live"
        " work"
    )
)
"""What "how many" may count in words a paragraph need not repeat ("How many people …?" of
"612 residents"; a unit or a span of time that a figure carries)."""
_ALIKE_COUNTED = (
    frozenset(terms("soldiers troops men forces casualties dead killed")),
    frozenset(terms("houses homes properties dwellings")),
    frozenset(terms("jobs posts roles positions")),
    frozenset(terms("staff employees workers")),
    frozenset(terms("children pupils kids students")),
    frozenset(terms("cars vehicles")),
)
"""Words a count may be given in for one another ("how many soldiers": "2,000 troops")."""


def counted_thing(question: str) -> str | None:
    """What "How many staff work at the clinic?" counts ("staff", stemmed): a paragraph that
    counts something else ("1,180 patients") does not answer it. None for a count of people,
    of a time or of a unit (`_ANY_COUNT`), and for no "how many". Of SQuAD 2.0 dev's 119
    answerable "how many" questions, 4 count a thing their paragraph names otherwise."""
    found = _HOW_MANY_OF.search(question)
    counted = terms(found["noun"]) if found else []
    noun = found["noun"].lower() if found else ""
    if not counted or counted[-1] in _ANY_COUNT or noun.endswith("ed"):  # "e-mails": "mail"
        return None
    return counted[-1]


def _names_counted(counted: str, text: str) -> bool:
    written = term_set(text)  # remembered: the gate asks of the same paragraphs again
    if counted in written or any(t.startswith(counted[:5]) for t in written if len(counted) > 5):
        return True
    return any(counted in alike and alike & written for alike in _ALIKE_COUNTED)


_ASKS_WEATHER = re.compile(r"\b(?:weather|forecast)\b", re.IGNORECASE)
_WEATHER = re.compile(
    r"\b(?:weather|forecasts?|climate|rain\w*|snow\w*|sunny|sunshine|temperatures?|degrees"
    r"|storms?|wind\w*|cloud\w*|humid\w*|heat\s*waves?|frost\w*|fog\w*|showers?|drought)\b|°",
    re.IGNORECASE,
)


def asks_about_weather(question: str) -> bool:
    """ "What's the weather going to be like in Houston tomorrow?": any answer tells of the
    weather; a paragraph that only names Houston does not (SQuAD 2.0 dev has no answerable
    question of the kind; bench/data/general_questions.txt has one)."""
    return bool(_ASKS_WEATHER.search(question))


def earnings_asked(question: str) -> re.Pattern[str] | None:
    """ "What's Stephen Morris's salary?", "what was the firm's annual profit", "how much
    compensation did she get": an amount of a kind of money (pay, profit, revenue,
    compensation). Besides money, an answer names that kind: a paragraph on the fine a firm
    was given, or on what a developer will contribute, tells no one's salary or profit. None
    when no such kind is asked."""
    found = _ASKS_EARNINGS.search(question)
    if found is None:
        return None
    kind = found["kind"] or found["asked"]
    return _EARNINGS[_EARNINGS_KIND[re.sub(r"\s+", " ", kind.lower())]]


_ASKS_WHO_DOES = re.compile(
    r"^\W*(?:and\s+|so\s+|ok(?:ay)?,?\s+)?who(?:['’]?s|\s+is|\s+was)?\s+(?:actually\s+"
    r"|currently\s+|now\s+)?(?P<verb>runs?|running|ran|leads?|leading|led|heads?|heading"
    r"|manages?|managing|in\s+charge\s+of|started|starts|founded|set\s+up|created|owns?)\b",
    re.IGNORECASE,
)
_DOING = {
    "run": r"run|runs|running|ran|lead|leads|leading|led|head|heads|headed|manag\w*|director"
    r"|directs|chief|in\s+charge|chairman|chairwoman|chaired|chairs\s+the|founder",
    "found": r"found(?:ed|er|ers|ing)|co-?found\w*|start(?:ed|s)?|set\s+up|created|establish\w*",
    "own": r"own(?:s|ed|er|ers)|proprietors?|founder",
}
_VERB_GROUP = {
    **dict.fromkeys("run runs running ran lead leads leading led head heads heading manage"
                    " manages managing in".split(), "run"),
    **dict.fromkeys("started starts founded set created".split(), "found"),
    **dict.fromkeys("own owns".split(), "own"),
}  # fmt: skip
_SENTENCE_BREAK = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")


def who_does(question: str) -> re.Pattern[str] | None:
    """ "Who runs the clinic?", "who leads it", "who founded the café": what a passage must
    say someone does (or is: "director", "founder") to answer, in the words news writes it
    with; None for any other question."""
    found = _ASKS_WHO_DOES.search(question)
    if found is None:
        return None
    group = _VERB_GROUP[found["verb"].lower().split()[0]]  # "in charge of": "in"
    return re.compile(rf"\b(?:{_DOING[group]})\b", re.IGNORECASE)


def asks_for_money(question: str) -> bool:
    """ "How much did the lanes cost?", "How much was the firm fined?", "What was the
    budget?": any answer is an amount of money ("2.4 million dollars", "£40", "free"). A
    paragraph that only counts other things ("612 adults", "about 400 people") cannot answer.
    Each of SQuAD 2.0 dev's answerable questions of the kind has one in its gold paragraph;
    "How much of the budget …?" asks a share, not checked."""
    return bool(_ASKS_MONEY.search(question))


_ASKS_A_SHARE = re.compile(
    r"\bwhat\s+(?:%|percent(?:age)?|per\s*cent(?:age)?)|\bhow\s+many\s+(?:percent|per\s*cent)\b"
    r"|\b(?:the|a)\s+(?:percentage|%)\s+of\b",
    re.IGNORECASE,
)
_A_SHARE = re.compile(
    r"%|\bper\s*cent\b|\bpercent(?:age)?\b|\b(?:half|halves|thirds?|quarters?|fifths?|tenths?"
    r"|majority|minority|most|all|none|fraction|proportion)\b"
    r"|\b\d+\s+(?:in|out\s+of|of\s+every)\s+\d+"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)\s+\w+",
    re.IGNORECASE,
)


_A_PORTION = re.compile(f"{_A_SHARE.pattern}|{_A_NUMBER.pattern}", re.IGNORECASE)
_ASKS_HOW_MUCH_OF = re.compile(
    r"\bhow\s+much\s+of\s+(?:the|it|its|their|this|that|his|her)\b", re.IGNORECASE
)


def asks_how_much_of(question: str) -> bool:
    """ "How much of the fire is contained?", "how much of the money has been got back?": any
    answer is a share or an amount ("12 percent contained", "Only £410,000"; `_A_PORTION`),
    not a paragraph that merely names the fire. SQuAD 2.0 dev's 3 answerable questions of
    the kind have one in their gold paragraph."""
    return bool(_ASKS_HOW_MUCH_OF.search(question))


def asks_for_a_share(question: str) -> bool:
    """ "What % of people flagged had no record?", "What percentage of voters …?": any answer
    is a share ("12 per cent", "a third", "one in five", "most"). Each of SQuAD 2.0 dev's 13
    answerable questions of the kind has one in its gold paragraph."""
    return bool(_ASKS_A_SHARE.search(question))


_ASKS_HOW_IT_TURNED_OUT = re.compile(
    # "did the attorney general end up reviewing the program?", "did Massachusetts manage to
    # leave in the end?", "was it shut down after this?", "did he ever get an answer?" (not
    # "did DHS ever say …": what a text says it may well say)
    r"^\W*(?:and\s+|so\s+|ok(?:ay)?,?\s+)?(?:did|does|has|have|had|was|were)\b"
    r"(?!.*\b(?:say|says|said|tell|tells|told|mention(?:s|ed)?|state[sd]?|quote[sd]?|write"
    r"|wrote|written|claim(?:s|ed)?|report(?:s|ed)?)\b)"
    r".*\b(?:end(?:ed)?\s+up|in\s+the\s+end|eventually|afterwards?|since\s+then|ever"
    r"|manage[ds]?\s+to|succeed(?:ed|s)?\s+in"
    r"|after\s+(?:this|that|these|those|the\s+(?:e-?mails?|article|story|report))\b"
    # "did they win promotion at the end of the 2019-20 season?"
    r"|at\s+the\s+end\s+of\s+the\s+(?:[\w-]+\s+)?(?:season|year|campaign|term)\b"
    # "did the board renew the funding after june?": what came after a time the story names
    r"|after\s+(?:(?:the\s+end\s+of\s+)?(?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december)|next\s+(?:week|month|year))\b)"
    # "who won their game the following Saturday?": what came after the story's own days
    r"|^\W*(?:and\s+|so\s+)?(?:who|what|how|which)\b.*\bthe\s+following\s+(?:day|week|weekend"
    r"|month|season|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    # "what did the DOJ end up deciding?", "what did the court eventually rule?"
    r"|^\W*(?:and\s+|so\s+)?what\s+did\s+.+?\b(?:end(?:ed)?\s+up\s+(?:deciding|ruling"
    r"|concluding|doing)|eventually\s+(?:decide|rule|conclude|do))\b",
    re.IGNORECASE,
)
_AN_OUTCOME = re.compile(
    r"\b(?:eventually|in\s+the\s+end|end(?:ed|s)?\s+up|later|finally|afterwards?|subsequently"
    r"|went\s+on\s+to|so\s+far|to\s+date|ha(?:s|ve|d)\s+since|decided|ruled|concluded"
    r"|agreed\s+to|refused|rejected|approved|withdrew|resigned|scrapped|abolished|shut\s+down"
    r"|succeeded|failed\s+to|managed\s+to|went\s+ahead|called\s+off|cancell?ed|postponed"
    r"|dropped|never|the\s+following\s+(?:day|week|weekend|month|season|year))\b",
    re.IGNORECASE,
)


def asks_how_it_turned_out(question: str) -> bool:
    """ "Did the attorney general end up reviewing the program?", "Did Massachusetts manage to
    leave in the end?", "What did the DOJ eventually decide?": what happened afterwards. Any
    answer reports an outcome ("later", "decided", "went ahead", "never"); a paragraph that
    tells only of the wish or the plan ("officials wanted the attorney general to review the
    program") cannot answer. Every such question of the held-out sets of docs/QUALITY.md but
    one was a near miss; SQuAD 2.0 dev has none of these yes-or-no questions."""
    return bool(_ASKS_HOW_IT_TURNED_OUT.search(question))


_A_REASON = re.compile(
    r"\b(?:because|so\s+that|in\s+order\s+to|so\s+as\s+to|due\s+to|owing\s+to|thanks\s+to"
    r"|as\s+a\s+result|for\s+fear|the\s+reasons?|reasons?\s+(?:for|why|is|was)|why"
    r"|caused\s+by|led\s+to|prompted|to\s+(?:avoid|prevent|protect|ensure|stop|keep)"
    r"|in\s+(?:response|reply|protest)\s+(?:to|at|against)|as\s+a\s+precaution|precautionary"
    r"|in\s+(?:the\s+)?(?:hope|interests?)\s+of|on\s+the\s+grounds|amid|(?:aimed|designed)\s+to"
    r"|worr(?:y|ies|ied)\s+(?:that|about)|concerns?\s+(?:that|about|over)|fears?\s+(?:that|of)"
    # "with cities and states opting out, …" (not "with the new building, …": a noun)
    r"|afraid|with\s+(?:[\w’'-]+\s+){1,4}?(?!(?:\w*thing|king|ring|spring|string|wing|building"
    r"|meeting|morning|evening|ceiling|funding|housing|training|hearing|ruling|briefing|warning"
    r"|opening|wedding|clothing|feeling|offering|setting|painting|being|during|ending|landing"
    r"|parking|shipping|booking|rating|recording|filing|listing|holding|spending)\b)"
    r"[a-z]+ing\b[^.,;]*,"
    r"|since\s+(?!\d|then\b|(?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december|last|the\s+\d)))",
    re.IGNORECASE,
)


def gives_a_reason(text: str) -> bool:
    """Whether a text gives a reason in so many words ("because", "so that", "due to", "worried
    that", "to avoid"; "since" not of a time): a passage that answered "what?" answers "why?"
    after it only if it does."""
    return bool(_A_REASON.search(text))


def holds_what_is_asked(question: str, text: str) -> bool:
    """Whether a text has what any answer to the question must hold: a time, a number, money,
    a time of day, a measure, a length, a year, an outcome, a share, a score, an age
    (`asks_for_a_time`, `asks_for_a_number`, `asks_for_money`, `asks_for_a_clock_time`,
    `asks_for_a_measure`, `asks_how_long`, `asks_for_a_year`, `asks_how_it_turned_out`,
    `asks_for_a_share`, `asks_for_a_score`, `asks_for_an_age`), the weather
    (`asks_about_weather`), money of the kind asked (`earnings_asked`), the thing counted
    (`counted_thing`), the place a post asked about is held (`post_places`) or the phone number
    or address asked for (`contact_asked`); true of any text when the question asks for none."""
    needed = [
        pattern
        for asks, pattern in (
            (asks_for_a_time, _A_TIME),
            (asks_for_a_number, _A_NUMBER),
            (asks_for_money, _MONEY),
            (asks_for_a_clock_time, _A_CLOCK_TIME),
            (asks_for_a_measure, _A_MEASURE),
            (asks_for_a_size, _A_SIZE),
            (asks_how_long, _A_LENGTH),
            (asks_for_a_year, _A_YEAR),
            (asks_how_it_turned_out, _AN_OUTCOME),
            (asks_for_a_share, _A_SHARE),
            (asks_how_much_of, _A_PORTION),
            (asks_about_weather, _WEATHER),
            (asks_for_a_score, _A_SCORE),
            (asks_for_an_age, _AN_AGE),
            (asks_for_a_point_in_time, _A_DATE),
        )
        if asks(question)
    ] + contact_asked(question)
    earnings = earnings_asked(question)
    if earnings is not None:  # "what's his salary": money, and that it is his pay
        needed += [_MONEY, earnings]
    needed += [
        re.compile(rf"(?<!\w){re.escape(place)}(?!\w)", re.IGNORECASE)
        for place in post_places(question)
    ]
    counted = counted_thing(question)  # "how many staff": a count of staff, not of patients
    if counted is not None and not _names_counted(counted, text):
        return False
    if asks_for_an_age(question) and not _an_age_not_of_others(question, text):
        return False
    return all(p.search(text) for p in needed)


_AGE_AFTER_NAME = re.compile(r"((?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w’'-]*),\s*\d{1,3},")


def _an_age_not_of_others(question: str, text: str) -> bool:
    """For "How old is Ruth Abernethy?": whether the text has an age that is not given as
    someone else's ("Priya Lamb, 27, who was in Mrs Abernethy's class" tells Lamb's age).
    True when the question names no one."""
    asked = {w for name in question_names(question) for w in name.split()}
    if not asked:
        return True
    for found in _AN_AGE.finditer(text):
        owner = _AGE_AFTER_NAME.search(text, max(0, found.start() - 60), found.end())
        if owner is None or owner.end() != found.end() or set(owner.group(1).split()) & asked:
            return True
    return False


_ASKS_CONTACT = (
    (
        re.compile(
            r"\b(?:phone|telephone|helpline|hotline|contact)\s+(?:number|no\b)"
            r"|\bwhat\s+number\s+(?:do|can|should|could)\s+(?:i|we|you|people)\s+(?:call|ring)\b",
            re.IGNORECASE,
        ),
        re.compile(r"\+?\d[\d\s().-]{5,}\d"),  # spaces as typed: "0800 048 7713", no-break
    ),
    (
        re.compile(
            r"\b(?:what|which)\s+(?:is|was)\s+(?:the|their|its|his|her)\s+(?:[\w'’-]+\s+){0,3}?"
            r"(?:website|web\s*site|web\s+address|url|homepage)\s*(?:address\s*)?\??$"
            r"|\b(?:website|web)\s+(?:address|link)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\bhttps?://|\bwww\.|\b[\w-]+\.(?:com|org|net|gov|edu|int|info|io|co|uk|eu|ca|au)\b",
            re.IGNORECASE,
        ),
    ),
    (
        re.compile(r"\be-?mail\s+address\b", re.IGNORECASE),
        re.compile(r"[\w.+-]+@[\w-]+\.\w"),
    ),
)
"""Questions asking how to reach someone (a phone number, a web or e-mail address), each with
what an answer must then hold."""


def contact_asked(question: str) -> list[re.Pattern[str]]:
    """What a passage must hold to answer a question asking for a phone number, a website or
    an e-mail address ("What's the number for the recall helpline?"): a paragraph that names
    the helpline but gives no number cannot answer it. No question of SQuAD 2.0 dev asks so."""
    return [holds for asks, holds in _ASKS_CONTACT if asks.search(question)]


_ASKS_ADVICE = re.compile(
    r"^\W*(?:how|where|when|what|which|who|why)\s+(?:do|can|could|should|would|may|might"
    r"|shall)\s+(?:i|we)\b|^\W*(?:should|shall|must)\s+(?:i|we)\b"
    r"|^\W*(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?(?:recommend|suggest)\b",
    re.IGNORECASE,
)


def asks_for_advice(question: str) -> bool:
    """ "How do I file a FOIA request?", "Where can we apply?", "Should I worry?", "Can you
    recommend a good book on it?": what the asker should do, or what the bot would advise.
    Documents that report what others said and did do not answer it, however many of its words a
    passage shares ("How do I file a FOIA request?" quoted, "medium", the paragraph on how the
    e-mails were obtained). None of SQuAD 2.0 dev's 6,078 questions, and none of the answerable
    seed questions, is asked so; the shared off-topic ones are ("How do I make sourdough
    bread?")."""
    return bool(_ASKS_ADVICE.search(question))


_ASKS_WHO_SAID = re.compile(
    # "who said …", "which official warned …", "what agency said …" (a few words naming the
    # kind of speaker, none of them a verb: not "which program was called …")
    r"^\W*(?:who\s+|(?:which|what)\s+(?:(?!(?:is|are|was|were|do|does|did|has|have|had|will|would"
    r"|can|could)\b)[\w’'-]+\s+){1,3}?)"
    r"(?:said|says|stated|states|told|tells|called|calls|claimed|claims|argued|argues"
    r"|declared|announced|warned|replied|responded|remarked|commented|added|insisted|predicted"
    r"|complained|suggested|noted|asked|wrote\s+that"
    # "who agreed with him?" (not "who agreed to the treaty?": an act, not words)
    r"|(?P<stance>agreed(?=\s+with\b)|disagreed|objected|conceded|apologi[sz]ed))\b",
    re.IGNORECASE,
)


def asks_who_said(question: str) -> bool:
    """ "Who said there is no opt out?": a passage that someone is quoted saying answers it
    before one in the document's own voice that shares its words ("DHS has sparked confusion by
    publicly stating …" is not what anyone said)."""
    return bool(_ASKS_WHO_SAID.search(question))


_HOW_IT_WORKS = re.compile(
    r"^\W*(?:so\s+|and\s+)?(?:"
    r"how\s+(?:does|did|do|would|will)\s+(?P<a>.+?)\s+(?:actually\s+|really\s+)?"
    r"(?:work|operate|function)"
    r"|what\s+(?:does|did|do|would|will)\s+(?P<b>.+?)(?<!\bto)\s+(?:actually\s+|really\s+)?do"
    r"|what\s+happens\s+under\s+(?P<c>.+?)"
    # "…, like mechanically", "… work again?"
    r")(?:,?\s+(?:like\s+)?(?:exactly|in\s+practice|in\s+reality|day\s+to\s+day|on\s+the\s+ground"
    r"|mechanically|technically|concretely|in\s+detail|step\s+by\s+step|again|basically"
    r"|briefly|roughly|in\s+short|in\s+a\s+nutshell|in\s+simple\s+terms|in\s+plain\s+english"
    r"|in\s+general|generally)){0,2}"
    r"\s*[?.!]*$",
    re.IGNORECASE,
)
_HOW_IT_WORKS_OPENING = re.compile(
    _HOW_IT_WORKS.pattern.removesuffix(r"\s*[?.!]*$")
    + r"\s+(?!(?:out|for|with|in|on|at|to|as|by|when|if|and|or|so|than|like)\b)(?=\S)",
    re.IGNORECASE,
)
"""The same question at the start of a longer text: a follow-up joined to the earlier one."""
_CAPITALISED = re.compile(r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*")
_PRONOUN_SUBJECT = re.compile(r"^(?:it|this|that|they|he|she|you|we|i|them)$", re.IGNORECASE)
_UNDER = re.compile(
    r"^\W*(?:under|through|with)\s+(?:the|this|that|its)\s+(?:[\w-]+\s+){0,3}?(?P<noun>[\w-]+)\s*,",
    re.IGNORECASE,
)


def how_it_works_asked(question: str) -> str | None:
    """ "How does the program work?", "What does Secure Communities do?", "What happens under
    the plan?": what the question asks the workings of; None for any other question. A
    follow-up is searched with the earlier question after it, so "How does it work? What is
    Secure Communities?" asks about what the earlier one did ("How does it work?" alone is
    help)."""
    first, *earlier = re.split(r"(?<=[?.!])\s+", question.strip(), maxsplit=1)
    found = _HOW_IT_WORKS.match(first)
    if found is None:
        # "how does it work in practice whats secure communities": a follow-up typed without
        # its question mark, the earlier question after it
        found = _HOW_IT_WORKS_OPENING.match(question.strip())
        if found is None or not _PRONOUN_SUBJECT.match(_subject(found)):
            return None
        earlier = [question.strip()[found.end() :]]
    subject = _subject(found)
    if _PRONOUN_SUBJECT.match(subject):
        return earlier[0] if earlier else None
    return subject


def _subject(found: re.Match[str]) -> str:
    return str(found["a"] or found["b"] or found["c"]).strip()


_ASKS_SCORE = re.compile(
    r"\bwhat(?:s|['’]s|\s+(?:is|was|were))\s+the\s+(?:final\s+|full[- ]time\s+|half[- ]time\s+)?"
    r"(?:score|scoreline)\b|\bhow\s+did\s+(?:the|that|their)\s+(?:game|match)\s+end\b",
    re.IGNORECASE,
)
_A_SCORE = re.compile(
    r"\b\d{1,3}\s*[-–]\s*\d{1,3}\b"
    r"|\b[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}\s+\d{1,3},?\s+[A-Z][\w’'.-]*"
    r"(?:\s+[A-Z][\w’'.-]*){0,3}\s+\d{1,3}\b"
)
"""A score: "3-1", "2–2", or a scoreline ("Castlebridge Town 2 Wrenfield United 1")."""


_ASKS_AGE = re.compile(r"\bhow\s+old\b", re.IGNORECASE)
_AN_AGE = re.compile(
    r"\baged?\s+\d|\b\d{1,3}-year-old|\b(?:[\w-]+\s+)?(?:years?|months?)\s+old\b|,\s*\d{1,3},"
    r"|\bage\s+of\s+\d|\b(?:twenties|thirties|forties|fifties|sixties|seventies|eighties"
    r"|nineties)\b"
    r"|\b(?:born|built|founded|established|opened|dat(?:es|ing)|since|formed|created|launched"
    r"|started|began)\s+(?:[\w,]+\s+){0,3}?(?:in\s+)?(?:1[0-9]|20)\d\d\b"
    r"|\b(?:I['’]m|I\s+am|(?:he|she)['’]s|(?:he|she)\s+is|turned|turns)\s+\d{1,3}\b",
    re.IGNORECASE,
)
"""An age ("aged 87", "the 31-year-old", "Marek Nowak, 61,", "Now I'm 61", "seven months
old", "in his eighties"), or a year to count it from ("born in 1936", "built in 1962"; not
"the flood in 2016")."""


def asks_for_an_age(question: str) -> bool:
    """ "How old was he?": any answer tells an age or a year to count from; a paragraph telling
    only the day he died cannot answer. 2 of SQuAD 2.0 dev's 3 answerable questions of the kind
    have one in their gold paragraph ("seven months old"), all 3 with these forms."""
    return _ASKS_AGE.search(question) is not None


def asks_for_a_score(question: str) -> bool:
    """ "What was the final score?", "how did the game end?": a match report's score is the
    answer, not a passage with the word "scored" ("Okafor, who has now scored four penalties
    this season"). No question of SQuAD 2.0 dev asks so ("what was the result …" asks more
    than games: "of the vote", "of the study")."""
    return _ASKS_SCORE.search(question) is not None


def asks_for_a_point_in_time(question: str) -> bool:
    """ "When did he die?", "When will it shut?", "What year …?": a time asked as a point of a
    past or coming event; not a length ("how long ago") nor when something holds ("When do the
    treaties apply?")."""
    return _ASKS_WHEN_IT_HAPPENED.search(question) is not None


_ASKS_WHEN_IT_HAPPENED = re.compile(
    r"^\W*(?:and\s+|so\s+)?when\s+(?:exactly\s+)?(?:did|was|were|will|would|had)\b"
    r"|\b(?:what|which)\s+(?:year|month|day|date)\b",
    re.IGNORECASE,
)
_A_DATE = re.compile(
    r"\b(?:1[0-9]|20)\d\d\b|\b\d{2,4}s\b|\b(?:in|since|by|from|until|around|circa)\s+\d{3}\b"
    r"|(?<!quarter of a )(?<!half a )\bcentur(?:y|ies)\b|\bdynast(?:y|ies)\b|\b(?:BC|AD|BCE)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"
    r"|\b(?:yesterday|today|tomorrow|tonight)\b|\b(?:last|next)\s+(?:week|month|year|night)\b"
    # a time told from another: "only 40 minutes before staff were informed", "the day after"
    r"|\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:minutes?|hours?"
    r"|days?|weeks?|months?|years?)\s+(?:before|after|earlier|later|ago)\b"
    r"|\b(?:day|night|morning|evening|week)\s+(?:before|after)\b"
    r"|\b(?:earlier|later)\s+(?:that|this|the\s+same)\s+(?:day|night|morning|evening|week)\b",
)
"""A point in time: a year, a decade, a century, a month, a weekday, "yesterday", "last week",
"40 minutes before …"; not a length ("42 years", "a quarter of a century") or an age. Each of
the 279 gold paragraphs of SQuAD 2.0 dev's answerable "When did …?" questions has one."""


def asks_for_a_time(question: str) -> bool:
    """ "When did …?", "What year …?", "When exactly did …?": any answer holds a time. A
    passage whose paragraph has none cannot answer ("When was the FBI founded?" is not answered
    by a paragraph on what the FBI does). A time is a date, a year, a weekday or a word for a
    stretch of time ("decades", "last summer"), not a word that only orders events ("after",
    "recently", "first": "When did Secure Communities start?" is not answered by "Recently
    released e-mails …"). On SQuAD 2.0 dev, 294 of the 296 answerable questions of this kind
    have one in their gold paragraph (295 with those words; docs/QUALITY.md)."""
    return bool(_ASKS_WHEN.search(question))


@dataclass(frozen=True)
class Evidence:
    """What the gate weighs about one candidate passage (all in 0..1 unless said)."""

    dense: float
    """Cosine similarity of question and passage."""
    fused: float
    """The hybrid retrieval score."""
    coverage: float
    """Idf-weighted share of the question's terms found in the passage."""
    paragraph_coverage: float
    """…found in the passage's whole paragraph."""
    corpus_coverage: float
    """…found anywhere in the corpus: off-corpus questions use words no document has."""
    phrase: float
    """Share of the question's adjacent term pairs found adjacent in the paragraph."""
    short_question: float
    """1 for keyword queries of one or two terms, whose coverage says less."""
    lead: float
    """How far the fused score leads the best passage from another paragraph."""
    small_corpus: float
    """1 when the corpus is a few documents (≤ SMALL_CORPUS chunks): an off-topic question
    then shares hardly a word with it, while in a large one some passage always matches a
    little. The features below let the model weigh scores differently there."""
    small_dense: float
    small_fused: float
    small_lead: float

    def vector(self) -> tuple[float, ...]:
        return tuple(float(getattr(self, name)) for name in FEATURES)


FEATURES: tuple[str, ...] = tuple(f.name for f in fields(Evidence))


@dataclass(frozen=True)
class GateModel:
    """Logistic regression over `Evidence`; ``threshold`` is where a passage starts to answer."""

    intercept: float
    weights: tuple[float, ...]
    threshold: float
    small_threshold: float
    """The threshold in a small corpus (≤ SMALL_CORPUS chunks), where questions are mostly
    paraphrases of one article and off-topic ones share few words with it: set for fewer false
    refusals (0.5 % of the fit questions, against 1.5 % in larger corpora)."""
    high: float
    """Probability at and above which an answer is in the "high" band (with a clear lead)."""

    def answers(self, evidence: Evidence) -> bool:
        threshold = self.small_threshold if evidence.small_corpus else self.threshold
        return self.probability(evidence) >= threshold

    def probability(self, evidence: Evidence) -> float:
        pairs = zip(self.weights, evidence.vector(), strict=True)
        z = self.intercept + sum(w * x for w, x in pairs)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


DEFAULT_MODEL = GateModel(
    intercept=-10.1303,
    weights=(
        14.8112,  # dense
        1.5379,  # fused
        1.7663,  # coverage
        6.8027,  # paragraph_coverage
        -0.6215,  # corpus_coverage
        3.9915,  # phrase
        -1.6282,  # short_question
        -1.2109,  # lead
        -10.3144,  # small_corpus
        -5.2307,  # small_dense
        19.6801,  # small_fused
        -1.2554,  # small_lead
    ),
    threshold=0.3211,
    small_threshold=0.0934,
    high=0.9245,
)
"""Fitted by `bench/fit_gate.py` (defaults) on the fit half of SQuAD 2.0 dev; figures on the
held-out half in docs/QUALITY.md."""


@dataclass(frozen=True)
class Verdict:
    """The gate's reading of a question's candidates."""

    lead: Hit | None
    """The passage to quote first (None: nothing answers)."""
    probability: float
    """That the lead passage answers the question."""
    missing: tuple[str, ...] = ()
    """Names the question uses that no document mentions."""


class Gate:
    """Weighs the evidence for a question's hits against one retriever's corpus."""

    def __init__(self, retriever: Retriever, model: GateModel = DEFAULT_MODEL) -> None:
        self.retriever = retriever
        self.model = model
        self._publication_years = frozenset(
            d.published[:4] for d in retriever.documents if d.published
        )
        self._published_by = frozenset(
            words(" ".join(f"{d.source or ''} {d.author or ''}" for d in retriever.documents))
        )
        """The words of the documents' outlets and writers ("the Chronicle's review")."""
        self.missing_names = lru_cache(maxsize=256)(self._missing_names)
        """`_missing_names`, remembered for this index's last questions (answering asks while
        the question is embedded, then again)."""

    def judge(self, question: str, hits: Sequence[Hit], *, typed: str | None = None) -> Verdict:
        """Which hit leads the answer, if any: captions and standfirsts lead only when no body
        passage answers; a question about the picture is answered by its caption. With
        ``typed`` (the message as the asker typed it, when ``question`` adds an earlier turn's
        words), a name no document has refuses only if this message names it: "SAC" of an
        earlier "what did the houston SAC say" does not refuse "and what did the CJIS
        assistant director say after that?"."""
        missing = self.missing_names(question)
        if typed is not None:
            missing = tuple(name for name in missing if name.lower() in typed.lower())
        if not hits or missing or asks_for_advice(question):
            return Verdict(None, 0.0, missing)
        query = self.retriever.query_terms(question)
        by_form = self._by_form(question, query, hits)
        return by_form if by_form is not None else self._first_verdict(question, query, hits)

    def _by_form(self, question: str, query: list[str], hits: Sequence[Hit]) -> Verdict | None:
        """The verdict a question's form decides (a picture, a score, a contact, how something
        works, who said or did something, when, how old); None when its form decides nothing
        or no hit holds what it asks for."""
        if _PICTURE.search(question):
            caption = next((h for h in hits if h.passage == "caption"), None)
            if caption is not None:
                return Verdict(
                    caption, self.model.probability(self._evidence(query, caption, hits))
                )
        if asks_for_a_score(question):  # the teams asked about must be named with the score
            named = [*question_names(question), *lower_case_names(question)]
            return self._holding([_A_SCORE], named, query, hits)
        contact = contact_asked(question)
        if contact:  # "the phone number for Shoppers' Voice": the number must be theirs
            whose = _CONTACT_OF.search(question)
            return self._holding(
                contact, [], query, hits, whose=terms(whose["of"]) if whose else []
            )
        subject = how_it_works_asked(question)
        working = None if subject is None else self._workings(subject, hits)
        if working is not None:
            return Verdict(working, self.model.probability(self._evidence(query, working, hits)))
        who_said = asks_who_said(question)
        saying = (
            _taking_the_stance(question, hits) or _saying_words(question, hits, self.retriever)
            if who_said
            else None
        )
        if saying is not None:
            return Verdict(saying, self.model.probability(self._evidence(query, saying, hits)))
        doing = who_does(question)
        doer = None if doing is None else self._doer(question, query, doing, hits)
        if doer is not None:
            return doer
        if asks_for_a_point_in_time(question):
            dated = self._dated(question, query, hits)
            if dated is not None:
                return dated
        if asks_for_an_age(question):
            aged = self._aged(question, query, hits)
            if aged is not None:
                return aged
        return None

    def _first_verdict(self, question: str, query: list[str], hits: Sequence[Hit]) -> Verdict:
        """The first hit, best first, that the model says answers and that can hold the answer:
        a body passage if any (for "Who said …?" one that quotes someone), else a caption or
        standfirst; a refusal with the best hit's probability when none does."""
        who_said = asks_who_said(question)
        first: Verdict | None = None  # the best caption or standfirst that answers
        unsaid: Verdict | None = None  # for "Who said …?": the best body passage no one says
        for hit in hits:  # best first: stop at the first body passage that answers
            evidence = self._evidence(query, hit, hits)
            if not self.model.answers(evidence) or not self._can_hold_answer(question, hit):
                continue
            verdict = Verdict(hit, self.model.probability(evidence))
            if hit.passage == "body":
                if who_said and not any(s.attribution for s in hit.chunk.sentences):
                    unsaid = unsaid or verdict
                    continue
                return self._likeliest_near(question, query, verdict, hits)
            first = first or verdict
        if unsaid is not None:
            return unsaid
        if first is not None:
            return first
        return Verdict(None, self.model.probability(self._evidence(query, hits[0], hits)))

    @cached_property
    def _quoted_surnames(self) -> dict[int, set[str]]:
        """The surnames of the people each document quotes by full name (read once)."""
        found: dict[int, set[str]] = {}
        for speaker in self.retriever.index.speakers:
            if speaker.name and len(speaker.name.split()) > 1:
                found.setdefault(speaker.document, set()).add(speaker.name.split()[-1])
        return found

    def _doer(
        self, question: str, query: list[str], doing: re.Pattern[str], hits: Sequence[Hit]
    ) -> Verdict | None:
        """For "Who runs the clinic?": once some passage answers (the documents are on the
        clinic), the best body passage of that document with a sentence naming someone doing
        it ("Dr Ken Ito, a consultant … who leads the clinic") and a word of the question,
        ahead of better-matching ones that only name the clinic; None when none has one."""
        answering = self._first_answering(query, hits)
        if answering is None:
            return None
        chunks = self.retriever.index.chunks
        document = answering.chunk.document
        surnames = self._quoted_surnames.get(document)
        if not surnames:
            return None
        # someone the document quotes, named where the doing is told
        quoted = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(surnames))) + r")\b")

        def tells(row: int) -> bool:
            text = " ".join(c.text for c in chunks.paragraph(row))
            return any(doing.search(s) and quoted.search(s) for s in _SENTENCE_BREAK.split(text))

        probability = self.model.probability(self._evidence(query, answering, hits))
        for hit in hits:
            if hit.passage != "body" or hit.chunk.document != document or not hit.coverage:
                continue
            if tells(hit.row) and self._can_hold_answer(question, hit):
                return Verdict(hit, probability)
        # "who led it?" of a study "led by researchers at …": the lead author is named further
        # down, in a paragraph the question's words did not find
        for hit in self._body_paragraphs(document, query):
            if tells(hit.row) and self._can_hold_answer(question, hit):
                return Verdict(hit, probability)
        return None

    @staticmethod
    def _workings(subject: str, hits: Sequence[Hit]) -> Hit | None:
        """For "How does X work?": the best body passage that opens "Under the X, …" (news
        writes what a programme, plan or law does so), with X the subject's own word or the one
        a passage puts beside it ("Secure Communities, a controversial DHS immigration program":
        "Under the program, …"). The gate's model, which weighs shared words, finds nothing in
        such a passage for a question whose only word is the subject's."""
        named = {w for w in words(subject) if w not in STOPWORDS}
        typed = re.findall(r"[\w-]+", subject)  # "whats secure communities": its word pairs too
        pairs = {" ".join(typed[i : i + 2]) for i in range(len(typed) - 1)}
        names = "|".join(re.escape(n) for n in {subject, *_CAPITALISED.findall(subject), *pairs})
        beside = re.compile(
            rf"\b(?:{names}),\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,4}}?([\w-]+)[,.;]",
            re.IGNORECASE,
        )
        for hit in hits:
            named |= {m.group(1).lower() for m in beside.finditer(hit.chunk.text)}
        for hit in hits:
            opening = _UNDER.match(hit.chunk.text)
            if hit.passage == "body" and opening and opening["noun"].lower() in named:
                return hit
        return None

    def _likeliest_near(
        self, question: str, query: list[str], verdict: Verdict, hits: Sequence[Hit]
    ) -> Verdict:
        """Of the body passages that answer and score nearly as well as the first that does
        (`RIVAL_SHARE` of its fused score), the one the model finds likeliest to answer."""
        lead = verdict.lead
        assert lead is not None
        best = verdict
        for hit in hits:
            if hit is lead or hit.passage != "body" or hit.score < RIVAL_SHARE * lead.score:
                continue
            evidence = self._evidence(query, hit, hits)
            probability = self.model.probability(evidence)
            if (
                probability > best.probability
                and self.model.answers(evidence)
                and self._can_hold_answer(question, hit)
            ):
                best = Verdict(hit, probability)
        return best

    def _first_answering(self, query: list[str], hits: Sequence[Hit]) -> Hit | None:
        """The best hit the model finds answers, whatever it holds: which document is on the
        question."""
        return next((h for h in hits if self.model.answers(self._evidence(query, h, hits))), None)

    def _holding(
        self,
        needed: Sequence[re.Pattern[str]],
        named: Sequence[str],
        query: list[str],
        hits: Sequence[Hit],
        *,
        whose: Sequence[str] = (),
    ) -> Verdict:
        """For "What was the final score?" or "what's the recall hotline number?": once some
        passage answers (the documents are on that game, that recall), the best body passage
        of that document holding what is asked (a score, a phone number) and naming each of
        ``named``, and each word of ``whose`` there, in who speaks there or in the document's
        title ("the phone number for Shoppers' Voice" is not the toy firm's recall line);
        nothing when none does ("the score when they played Denby Athletic" of a report that
        only says they will). The model weighs the question's words, which the
        passage with the number or the scoreline ("Castlebridge Town 2 Wrenfield United 1")
        hardly holds."""
        answering = self._first_answering(query, hits)
        if answering is None:
            return Verdict(None, 0.0)
        probability = self.model.probability(self._evidence(query, answering, hits))
        for hit in hits:
            if hit.passage != "body" or hit.chunk.document != answering.chunk.document:
                continue
            text = self._answering_text(hit)
            title = self.retriever.documents[hit.chunk.document].title
            held = term_set(f"{text} {_speakers_of(hit)} {title}")
            if (
                all(p.search(text) for p in needed)
                and all(
                    re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE) for n in named
                )
                and all(t in held for t in whose)
            ):
                return Verdict(hit, probability)
        return Verdict(None, probability)

    def _dated(self, question: str, query: list[str], hits: Sequence[Hit]) -> Verdict | None:
        """For "When did he die?": the best passage that answers decides. When its paragraph
        tells no point in time (it says only "has died aged 87"), the best body passage of its
        document with a sentence that tells one and holds a word the question asks about
        besides its names ("He died peacefully at home on 2 February"), or nothing ("When did
        Massachusetts withdraw?" of a story naming no date for it is not answered by another
        paragraph's "a 10 May e-mail chain"); None to weigh the passages as any question's."""
        answering = self._first_answering(query, hits)
        if answering is None or _A_DATE.search(self._answering_text(answering)):
            return None
        probability = self.model.probability(self._evidence(query, answering, hits))
        named = term_set(" ".join(question_names(question)))
        asked = term_set(question) - named
        for hit in hits:
            if hit.passage != "body" or hit.chunk.document != answering.chunk.document:
                continue
            text = self._answering_text(hit)
            dated = (s for s in _SENTENCE_BREAK.split(text) if _A_DATE.search(s))
            if any(asked & term_set(s) for s in dated) and self._can_hold_answer(question, hit):
                return Verdict(hit, probability)
        return Verdict(None, probability)

    def _aged(self, question: str, query: list[str], hits: Sequence[Hit]) -> Verdict | None:
        """For "How old is …?" when the best passage that answers tells no age: the best body
        passage of its document that tells one; else, for a name ("How old is Ruth
        Abernethy?", an interview whose every answer is hers outranking the introduction), the
        first body paragraph of that document naming her with an age not someone else's ("When
        Ruth Abernethy arrived … She leaves on Friday, at the age of 63"); None to weigh the
        passages as any question's."""
        names = {w for name in question_names(question) for w in name.split()}
        answering = self._first_answering(query, hits)
        if answering is None or any(self._can_hold_answer(question, hit) for hit in hits[:1]):
            return None
        document = answering.chunk.document
        probability = self.model.probability(self._evidence(query, answering, hits))
        # the people of the story the question names ("Ruth Abernethy"; not "Rovers")
        people = names and names & {
            w for s in self.retriever.index.speakers_of(document) for w in (s.name or "").split()
        }
        named = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(people or names))) + r")\b")
        # "How old is the new winger Rovers have bought?": the best passage of the story that
        # tells an age ("The 24-year-old has signed …"), though it names no winger
        for hit in hits:
            same = hit.passage == "body" and hit.chunk.document == document
            text = self._answering_text(hit)
            if same and (not people or named.search(text)) and self._can_hold_answer(question, hit):
                return Verdict(hit, probability)
        if not people:
            return None
        for hit in self._body_paragraphs(document, query):
            if named.search(self._answering_text(hit)) and self._can_hold_answer(question, hit):
                return Verdict(hit, probability)
        return None

    def _body_paragraphs(self, document: int, query: list[str]) -> Iterator[Hit]:
        """Each body paragraph of a document, in reading order, as an unscored hit on its first
        chunk: for a passage the question's words did not find (`_doer`, `_aged`)."""
        columns = self.retriever.index.columns
        body = PASSAGE_KINDS.index("body")
        rows = columns.rows_of_document(document)
        rows = rows[columns.kind[rows] == body]
        for start in columns.group_starts[np.unique(columns.group[rows])].tolist():
            group = int(columns.group[start])
            yield Hit(self.retriever, tuple(query), start, group, score=0.0, dense=0.0, lexical=0.0)

    def answers(self, question: str, hit: Hit, hits: Sequence[Hit]) -> bool:
        """Whether a further passage answers too (for the second and third quotes)."""
        query = self.retriever.query_terms(question)
        evidence = self._evidence(query, hit, hits)
        return self.model.answers(evidence) and self._can_hold_answer(question, hit)

    def _can_hold_answer(self, question: str, hit: Hit) -> bool:
        """Whether the hit's paragraph has what an answer must hold (`holds_what_is_asked`)."""
        return holds_what_is_asked(question, self._answering_text(hit))

    def _answering_text(self, hit: Hit) -> str:
        """The paragraph a hit's answer is quoted from (an interview's question: its answer)."""
        chunks = self.retriever.index.chunks
        paragraph = chunks.paragraph(self.retriever.answered_by(hit.chunk).id)
        return " ".join(chunk.text for chunk in paragraph)

    def evidence(self, question: str, hit: Hit, hits: Sequence[Hit]) -> Evidence:
        """The features of one hit (what `bench/fit_gate.py` fits on)."""
        return self._evidence(self.retriever.query_terms(question), hit, hits)

    def _evidence(self, query: list[str], hit: Hit, hits: Sequence[Hit]) -> Evidence:
        retriever = self.retriever
        paragraph_coverage, phrase = retriever.paragraph_match(tuple(query), hit.row)
        rivals = (h.score for h in hits if h.group != hit.group)
        lead = hit.score - max(rivals, default=0.0)
        small = 1.0 if len(retriever.index.chunks) <= SMALL_CORPUS else 0.0
        return Evidence(
            dense=hit.dense,
            fused=hit.score,
            coverage=hit.coverage,
            paragraph_coverage=paragraph_coverage,
            corpus_coverage=retriever.corpus_coverage(query),
            phrase=phrase,
            short_question=1.0 if len(set(query)) <= 2 else 0.0,
            lead=lead,
            small_corpus=small,
            small_dense=small * hit.dense,
            small_fused=small * hit.score,
            small_lead=small * lead,
        )

    def _missing_names(self, question: str) -> tuple[str, ...]:
        """Names the question uses that no document mentions. A name counts as mentioned when
        the corpus has its last word and at least half of its words, each allowing one wrong
        letter ("Steve Morris", not "Attorney General Eric Holder"); an acronym when the
        corpus has it, two letters maybe swapped, or words with its initials ("Central
        Intelligence Agency"; "WWII", World War II); a year when the corpus has it or its
        decade ("the 1980s"), or a document was published in it; a name typed in lower case
        (`lower_case_names`) when the corpus has one of its words; an identifier (`_CODE`:
        "287(g)") when the corpus has each of its parts; the post a who-question asks the
        holder of (`_WHO_HOLDS`) when the corpus has its word."""
        vocabulary = self.retriever.vocabulary
        missing = []
        for name in lower_case_names(question):  # "eric holder": neither word known
            if not any(map(vocabulary.knows, words(name))):
                missing.append(name)
        held = _WHO_HOLDS.search(question)  # "Who is the governor of …?"
        if held is not None:
            posts = posts_meant(held["title"]) | kind_of(held["title"])
            if not any(
                vocabulary.has_word(w) or vocabulary.has_word(w + "s") or _done_by(w, vocabulary)
                for w in posts
            ):
                missing.append(held["title"])
        for code in _CODE.findall(question):  # "287(g)", "H-1B": each of its parts, as typed
            if not all(map(vocabulary.has_word, words(code))):
                missing.append(code)
        for name in question_names(question):
            # ("the Bureau's relationships": a noun capitalised, not a name)
            if not _INSTITUTION.fullmatch(name) and not self._name_known(name):
                missing.append(name)
        return tuple(missing)

    def _name_known(self, name: str) -> bool:
        """Whether the corpus mentions a capitalised name of a question, a year or an acronym
        (`_missing_names` says when each counts as mentioned)."""
        vocabulary = self.retriever.vocabulary
        if _YEAR.fullmatch(name):
            return (
                vocabulary.knows(name)
                or vocabulary.knows(name[:3] + "0s")
                or name in self._publication_years  # "… in 2011?" of a 2011 article
            )
        if _ACRONYM.fullmatch(name):
            bare = re.sub(r"['’]s$", "", name)
            return (
                vocabulary.has_acronym(words(bare)[0])
                or vocabulary.has_initials(bare)
                or vocabulary.has_numbered_initials(bare)  # "WWII": World War II
            )
        parts = words(name)
        found = [vocabulary.knows(w) or w in self._published_by for w in parts]
        if found[-1] and 2 * sum(found) >= len(parts):
            return True
        # "Westerners" of a corpus that writes "Western"
        return len(parts) == 1 and all(map(self.retriever.has_term, terms(name)))


def _done_by(post: str, vocabulary: Vocabulary) -> bool:
    """Whether the corpus says what the holder of a post did ("designer": "designed",
    "founder": "founded", "editor": "edited"): "Who was the designer of Salamanca?" is answered
    by "Salamanca was designed by …"."""
    return post.endswith(("er", "or")) and vocabulary.has_word(post[:-2] + "ed")


_GLUE = frozenset(
    "the a an of to in and or for on at by with is was are were be it its this that as".split()
)
"""Words too common to make a pair of the question's words a phrase ("the program")."""
SAYING_SHARE = 0.8
"""How close to the best hit's score a passage must come to lead "Who said …?" by holding the
question's words (`_saying_words`)."""


def _taking_the_stance(question: str, hits: Sequence[Hit]) -> Hit | None:
    """For "Who agreed with the unnamed official?": the best body passage in which someone is
    quoted agreeing ("“I agree,” replied Stephen L. Morris"), not the official's own words,
    which hold more of the question's; None for a question asking who said, told or warned."""
    found = _ASKS_WHO_SAID.search(question)
    if found is None or not found["stance"]:
        return None
    stem = found["stance"].lower()[:5]  # "agree", "disag", "objec", "conce", "apolo"
    for hit in hits:
        if hit.passage == "body" and any(
            any(w.startswith(stem) for w in words(text)) for text, _ in _quoted_sentences(hit)
        ):
            return hit
    return None


_CONTACT_OF = re.compile(r"\b(?:for|of|at|to)\s+(?P<of>[^?]+)", re.IGNORECASE)
"""Whose phone number or address is asked ("the phone number for shoppers voice")."""


def _quoted_sentences(hit: Hit) -> Iterator[tuple[str, Attribution]]:
    """Each sentence of a hit someone is said to speak, with who."""
    chunk = hit.chunk
    for sentence in chunk.sentences:
        if sentence.attribution is not None:
            text = chunk.text[sentence.start - chunk.start : sentence.end - chunk.start]
            yield text, sentence.attribution


def _speakers_of(hit: Hit) -> str:
    """The names and roles of who speaks in a hit ("Brightbrick's head of communications")."""
    said = {s.attribution for s in hit.chunk.sentences if s.attribution is not None}
    return " ".join(f"{a.speaker or ''} {a.role or ''}" for a in said)


def _saying_words(question: str, hits: Sequence[Hit], retriever: Retriever) -> Hit | None:
    """For "Who called it a tough one?": the best body passage, scoring within `SAYING_SHARE`
    of the best, whose words someone is quoted saying hold two of the question's words in a row,
    one of them more than a stopword and neither an article or the like (`_GLUE`: "tough one",
    "no opt", not "the program"), or one of its rare words (`Retriever.is_rare`: "Who warned it
    might implode?", "who said it was a tough call"), the speaker's own name and role left out.
    The gate's model weighs the question's meaning, which such a question only paraphrases."""
    asked = words(question)
    pairs = {
        (a, b)
        for a, b in zip(asked, asked[1:], strict=False)
        if not {a, b} & _GLUE and not (a in STOPWORDS and b in STOPWORDS)
    }
    rare = {t for t in terms(question) if retriever.is_rare(t)}
    if not hits or not (pairs or rare):
        return None
    least = SAYING_SHARE * hits[0].score
    for hit in hits:
        if hit.score < least:
            break
        if hit.passage != "body":
            continue
        for text, speaker in _quoted_sentences(hit):
            said = words(text)
            if pairs & set(zip(said, said[1:], strict=False)):
                return hit
            if rare & (term_set(text) - term_set(f"{speaker.speaker or ''} {speaker.role or ''}")):
                return hit
    return None


def question_names(question: str) -> list[str]:
    """Runs of capitalised words ("Mona Lisa"), acronyms ("CIA") and years ("2019") in a
    question, leaving out question words and a capital that only starts the sentence."""
    names: list[str] = []
    run: list[str] = []
    previous_end = -1
    for match in _NAME.finditer(question):
        word = match.group().rstrip(".")
        before = question[: match.start()].rstrip(" \"“'‘(¿¡")
        # "… or optional? Sounds like they said both": a later sentence's capital too
        starts_sentence = not before or (before[-1] in ".?!" and word.lower() in english_words())
        lowered = word.lower().replace("’", "'")
        if starts_sentence or lowered in _QUESTION_WORDS or lowered in STOPWORDS:
            _flush(run, names)
            continue
        if _ACRONYM.fullmatch(word) or _YEAR.fullmatch(word):
            _flush(run, names)
            names.append(word)
            continue
        if run and question[previous_end : match.start()].strip() not in ("", "-"):
            _flush(run, names)
        run.append(word)
        previous_end = match.end()
    _flush(run, names)
    return names


_INSTITUTION = re.compile(
    r"(?:Bureau|Department|Agency|Court|Council|Committee|Commission|Administration|Government"
    r"|Ministry|Office|Service|Division|Board|Program|Programme|Police|Army|Navy|Company"
    r"|University|College|Hospital|Union|State|City|County|Federal|Secretary|Director|Chief)"
    r"(?:['’]s|s)?",
)
"""One capitalised word that formal writing uses for an institution already named ("the
Bureau's relationships", "the Department"): not a name the corpus must have."""

_WHO_HOLDS = re.compile(
    r"\bwho(?:['’]?s|\s+(?:is|was|were|are|became|becomes|serves\s+as|served\s+as))\s+"
    r"(?:the\s+)?(?:[\w-]+\s+)?(?P<title>president|secretary|director|mayor|governor|ceo"
    r"|chairman|chairwoman|chair|minister|king|queen|leader|chief|commander|founder|senator"
    r"|emperor|pope|chancellor|captain|coach|sheriff|ambassador|commissioner|superintendent"
    r"|premier|architect|engineer|designer|contractor|builder|owner|manager|judge|lawyer"
    r"|attorney|prosecutor|editor|spokesman|spokeswoman|spokesperson|dean|principal)s?\b",
    re.IGNORECASE,
)
"""Who holds a post ("Who was the Secretary of Homeland Security?", "who's the architect
designing the bridge"): a corpus that never uses the post's word, nor a word a role may be
written with for it (`posts_meant`: "owner", "founder"), does not say who held it. Each of SQuAD
2.0 dev's 12 answerable questions of the kind has the word in its article."""

_CODE = re.compile(
    r"(?<![\w-])(?:\d+\([A-Za-z0-9]{1,3}\)(?:\(\d+\))?"
    r"|(?!(?:mid|pre|post|late|early|circa)-)[A-Za-z]{1,6}-\d+[A-Za-z]?)(?![\w-])",
    re.IGNORECASE,
)
"""An identifier of letters and digits, which no paraphrase replaces: a section of a law
("287(g)"), a form, a visa, a model or a report ("I-9", "H-1B", "F-35", "P-2626"). Each of
the 10 in SQuAD 2.0 dev's answerable questions is in its paragraph."""

_LOWER_WORD = re.compile(r"\b[a-z][a-z’'-]*[a-z]\b")


def lower_case_names(question: str) -> list[str]:
    """Names typed in lower case: a common first name with the word after it ("eric
    holder"), or a place ("illinois"), from `bot.common_names`; `question_names` finds the
    capitalised ones."""
    found: list[str] = []
    typed = list(_LOWER_WORD.finditer(question))
    for at, match in enumerate(typed):
        word = match.group()
        if word in PLACES:
            found.append(word)
        elif word in FIRST_NAMES and at + 1 < len(typed):
            after = typed[at + 1]
            surname = after.group()
            adjacent = not question[match.end() : after.start()].strip()
            if adjacent and surname not in STOPWORDS and surname not in _QUESTION_WORDS:
                found.append(f"{word} {surname}")
    return found


def question_acronyms(question: str) -> list[str]:
    """The acronyms among `question_names` ("CJIS"), without a possessive."""
    return [
        re.sub(r"['’]s$", "", name) for name in question_names(question) if _ACRONYM.fullmatch(name)
    ]


def _flush(run: list[str], names: list[str]) -> None:
    if run:
        names.append(" ".join(run))
        run.clear()
