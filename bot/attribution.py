"""Who said each sentence: speech tags, appositive roles and a per-document name registry.

Quoted words are masked first, so only the narrator's frame is parsed. In the frame each speech
verb ("said", "wrote", "according to", ...) is tied to the noun phrase that governs it: the one
just before it (``Smith said``, ``one FBI official said``, ``Kraut, a professor ..., said``) or,
when the verb directly follows a quotation or a comma, the one just after it (``,” replied
Stephen L. Morris, the special agent ...``). A pre-pass registers every ``Full Name, the role,``
and every named speaker, so surnames resolve to the fullest name and its role; ``he``/``she``
resolve to the most recent named person (not "Acme Inc." or "Democrats"), ``they`` only to an
unnamed group. A quoted sentence without a tag borrows its paragraph's speaker, and a paragraph
that is all quotation continues the previous paragraph's last speaker. Unnamed speakers keep
their description as the role: ``Attribution(None, "one FBI official")``; views reported with
"worried that" or "expressed concerns that" count as speech. Everything is regular expressions
and word lists for English news prose; no model.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from bot.common_names import FIRST_NAMES
from bot.records import Attribution
from bot.sentences import ABBREVIATED_TITLES, is_abbreviation, normalise_space

RULES_VERSION = 11
"""Raised whenever a change of these rules moves any sentence's attribution. A build records
it, and the next build re-reads every document: a chunk's speaker is in its record and in the
text it was embedded with (`bot.chunk.embedding_text`). 2: a speech tag after a semicolon that
narration opens tags its clause only. 3: a surname two people share is the one named last (or
whose role or title holds the title given, or whom a courtesy title fits); a paragraph's
opening subject is its "she"; "he" and "she" skip a person the text has called the other; a
name given with "who …", an age or a title is known by its surname; the role before the name,
an age after it, "prosecuting", "wrote in a statement … that"; surnames ending in "-ly"; a text
is no speaker ("according to a city estimate"); an interview's answers are the interviewee's.
The same release counts a UTF-8 byte-order mark in a file's offsets, which this re-read also
redoes. 4: a headline may end with the words it quotes (the document then has its title and
date, and its first paragraphs are no longer read as body); "he" or "she" may mean someone
described in an earlier paragraph ("an engineer at the works"), never an organisation
("Brackenridge Water"); short titles without a full stop ("Capt Mercer", "Cllr", "Prof") and
the titles they stand for; a paragraph's subject after an opening clause ("Asked later about
…, Capt Mercer insisted"); a full name opening a paragraph whose surname a speaker has; "said
Smith’s neighbour, retired teacher Paul Brown"; a quotation a text speaks ("“…,” read one
memo") does not continue the last speaker; "the spokeswoman" is the spokeswoman described
before, "the statement said" the one who said something in a statement; "As he put it:";
"I wrote …" outside quotation marks is the byline's author, and in an interview's answer the
interviewee's; a role before a name ("The Rovers manager, Declan Fairhurst,") gives the full
name of the surname used later and the paragraph's subject; "Sentencing, Judge …" is the
judge; "Det Con"; "the judge" and "the researcher" go back to the person titled or described
so. The same re-read reads Word files as Word shows them (tracked insertions, tables) and web
pages declaring ISO-8859-1 as browsers do. 5: someone described first and named later ("said the
former board member, Gloria Hennessey") is one person, named, in every statement; a role given
with a surname two people share ("Mr Pires, the director") is not the first Pires's; "X
apologised and said"; "The memo, dated …, says …" is the memo's; a name inside a
prepositional phrase ("the talks between the authority and Brackwater") is no speaker; "the
Galician-born director Inés Valdecasas" gives "Valdecasas" her full name; "called it “…”",
"praised its “…”", "describing … as “…”", "…, declined to comment, saying … “…”"; a
quotation no tag claims, after narration that names someone, is theirs. The same re-read reads
a Markdown file's first paragraph when no blank line follows its front matter. Also in 5: a
description opening with a possessive ("WFP’s deputy director of emergencies") is one person,
and "The official, Corinne Vasseur," names the one described last; a transcript's speaker
labels ("HOST: …", "DR VOSS: …") that open two paragraphs or more say who speaks them; police
ranks written short ("DI Radley", "DC", "PC"); "called STRIDE “…”". 6: an interview printed as
"Q: …" with its answers unmarked (each paragraph from a question to the next is the
interviewee's); in an answer, "I’d say …" and "Our site manager radioed to say …" are the
interviewee's words; a transcript's labels written as a name the text gives ("Voss: …",
"Senator Okonkwo-Lind: …"). 7: a header typed without blank lines between its lines
(headline, section, "Published …", "By …") is read line by line (`bot.ingest`): the document
gets its title, date and author, and its first paragraph is body, not standfirst; a court
role opening the sentence ("Prosecuting, Simon Achebe told the court …") is the speaker's. 8: a
header line of fields ("Coastal Science Weekly | 11 January 2025 | By Priya Anand") gives the
date, the writer and the outlet, "Source: …" the outlet, and the story's address on a line of
its own is metadata, no longer a standfirst that could be quoted; a story typed straight after
its byline starts a paragraph; initials written with full stops are kept ("dc."); a label in
lower case before a full name is the role ("Head of libraries Samuel Adeyemi said"). 9: an age
after a name in a speech tag ("Marek Nowak, 61, a retired bus driver, said") no longer hides the
name; a sentence of narration that introduces one person, by an age or a role set off by commas
("Among those waiting was Paul Adebayo, 27."), gives the next "he" or "she" its person; a role
before a name may be any one person ("The tenant, Anna Kowalczyk, 34, …"); "According to
Larchmont Homes, work is expected …" gives no role (the sentence's own clause); "according to
its own log book" is a text. The same re-read reads bylines without "By" ("Ravi Mendes, Health
Correspondent", "Words: Leo Farrant   Photos: …"). 10: a role opening with a possessive or set
after a link ("Wrenfield’s manager, Stuart Hollings,", "… is his granddaughter, Lowenna
Hicks,") names its person in narration; relatives ("his daughter") are one person, and one
described first is the one named later; "the 31-year-old said" is the person just named; a
speech verb followed by a clause ("admitted his side had ridden their luck") reports speech.
11: "For Lucy Barnard, 29, a teacher, …" introduces her, with the role after the age; a label
and a name before a role set off by commas ("Conservative councillor Angela Fairburn, the
committee’s vice-chair, argued"); "backed by Labour’s Simon Adeyemi, who said"; a role whose
owner's name comes first ("Corran Homes’ land and planning director"); "Committee chair Brian
Lowther, an independent, abstained." names the next "he"; a full name given mid-sentence
whose first name is also an English word ("winger Tobias Amankwah"); "the councillor said" in
the paragraph of an unnamed committee member is that member; a long role with a person
noun early ("a 68-year-old retired music teacher who …"); an interview answers the person the
writer "spoke to", not someone quoted in its introduction; a person opening narration
that names a known speaker too ("Margaret Ellery, 81, … read her statement while Pellow
looked at the floor"); a comma inside a number ("£186,000") cuts no phrase; "Its chief
medical officer, Dr Martin Kessler," after "Halvern Therapeutics said" is "Halvern
Therapeutics’ chief medical officer"."""

Span = tuple[int, int]
"""A word or phrase as ``(start, end)`` offsets into its sentence."""

_MASK = "\x00"
_QUOTE_MARK = re.compile(r"[“”\"]")
_CLAUSE_BREAK = re.compile(r"[;:—()“”\"]|\x00+")
_WORD = re.compile(r"[^\s,;:—()“”\"\x00]+")
_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")
"""A comma between phrases; not one inside a number ("a widow who lost £186,000")."""
_QUOTE_ENDS = ("”", '"', _MASK)
_WINDOW = 400
"""How far from a speech verb its subject is looked for, which keeps each look-up bounded."""
_MOST_VERBS = 12
"""Speech verbs tried per sentence; real sentences have a few, and this bounds junk input."""

_CUE_VERBS = (
    "replie[sd]|respond(?:s|ed)|wr(?:ote|ites)|add(?:s|ed)|ask(?:s|ed)|explain(?:s|ed)"
    "|note[sd]|state[sd]|argue[sd]|warn(?:s|ed)|continue[sd]|insist(?:s|ed)|claim(?:s|ed)"
    "|recall(?:s|ed)|acknowledge[sd]|admit(?:s|ted)|announce[sd]|comment(?:s|ed)|declare[sd]"
    "|emphasi[sz]e[sd]|stress(?:es|ed)|observe[sd]|remark(?:s|ed)|suggest(?:s|ed)|concede[sd]"
    "|counter(?:s|ed)|caution(?:s|ed)|predict(?:s|ed)|testifie[sd]|confirm(?:s|ed)|denie[sd]"
    "|maintain(?:s|ed)|agree[sd]|complain(?:s|ed)|conclude[sd]|contend(?:s|ed)|assert(?:s|ed)"
    "|report(?:s|ed)|recount(?:s|ed)|quipped|urge[sd]|tweet(?:s|ed)|posted|worrie[sd]"
    "|pointed out|expressed (?:concerns?|doubts?|fears?|hopes?)|put it"
    # a few quoted words as what someone called a thing ("Tom Ashdown called it “the most
    # beautiful film …”", "praised its “radical patience”", "described the plan as “…”")
    '|called (?:it|this|that|them|him|her|[A-Z][\\w-]+(?: [A-Z][\\w-]+)?)(?= [“"])'
    '|praised (?:its|his|her|their|the)(?= [“"])'
    '|described (?:\\S+ ){0,4}?as(?= [“"])'
    '|describing (?:\\S+ ){0,4}?as(?= [“"])|calling (?:it|this|that|them|him|her)(?= [“"])'
    # "…, declined to comment, saying the agency did not discuss “ongoing matters.”"
    '|(?:saying|adding)(?= (?:that\\b|[^.;“"]*[“"]))'
)
_SPEECH_VERB = re.compile(
    r"\b(?:(?P<core>said|says|say|told|tells)|(?P<according>[Aa]ccording to)"
    rf"|(?P<cue>{_CUE_VERBS}))\b"
)
_THAT_SOON = re.compile(
    r"\s+(?:(?:in|on)\s+(?:a|an|the|his|her|their|its)\s+(?:\S+\s+){0,2}?(?:statement|letter"
    r"|e-?mail|memo|note|post|message|filing|column|essay|blog)\s+(?:to\s+(?:\S+\s+){0,3}?)?)?"
    r"(?:\S+\s+){0,3}?that\b"
)
"""``warned residents that``: a verb that need not mean speech does when "that" follows it,
also after where it was written (``wrote in a statement to investors that``)."""

_PRONOUNS = frozenset({"he", "she", "they"})
_DETERMINERS = frozenset(
    "a an the one two three four five several some many most few another other his her their its"
    " our both each every multiple".split()
)
_PREPOSITIONS = frozenset(
    "in on at during via through by from with after before over under within without since until"
    " for into about of".split()
)
_ADVERBIALS = frozenset(
    "however meanwhile too though also then now later earlier still yet instead indeed moreover"
    " furthermore finally separately previously recently again once today yesterday tonight"
    " tomorrow last next this week month year morning afternoon evening night monday tuesday"
    " wednesday thursday friday saturday sunday has have had would will did does do never often"
    " always first initially subsequently further".split()
)
_SETTING_PREPOSITIONS = frozenset("in on at during".split())
_TIME_WORDS = frozenset(
    "yesterday today tonight last monday tuesday wednesday thursday friday saturday sunday".split()
)
_RELATIVE_PRONOUNS = frozenset({"who", "whom", "whose", "which"})
_DISCOURSE = frozenset(
    "meanwhile however but and so also still yet then now later earlier separately instead indeed"
    " moreover furthermore finally today yesterday tonight recently previously".split()
)
_CLAUSE_WORDS = frozenset(
    "is are was were be been being has have had will would could should can might must do does"
    " did that which who whom whose when where while because if than".split()
)
_NOT_ROLE_START = (
    _PREPOSITIONS
    | _CLAUSE_WORDS
    | _PRONOUNS
    | frozenset("and but or so adding according as although though it we i you".split())
)
_NOT_MODIFIERS = _DETERMINERS | _PREPOSITIONS | _CLAUSE_WORDS
_PERSON_NOUNS = frozenset(
    "official officials spokesperson spokespeople spokesman spokesmen spokeswoman spokeswomen"
    " lawyer lawyers attorney attorneys analyst analysts expert experts critic critics resident"
    " residents officer officers police source sources aide aides executive executives adviser"
    " advisers advisor advisors economist economists researcher researchers scientist scientists"
    " witness witnesses investigator investigators prosecutor prosecutors authorities leader"
    " leaders lawmaker lawmakers legislator legislators regulator regulators diplomat diplomats"
    " observer observers activist activists advocate advocates opponent opponents supporter"
    " supporters parent parents teacher teachers doctor doctors nurse nurses worker workers"
    " employee employees staff members people voters students organizers organisers historian"
    " historians professor professors agent agents manager managers mayor member chair"
    " chairman chairwoman director directors owner owners councillor councilor president"
    " secretary minister ministers chief founder editor".split()
)
_LABEL_NOUNS = _PERSON_NOUNS | {"head"}
"""Words that end a label before a name ("Head of libraries Samuel Adeyemi")."""
_TEXTS = frozenset(
    "study studies report reports survey surveys estimate estimates figures data statistics"
    " records analysis poll polls census forecast forecasts document documents paper papers"
    " filing filings audit review e-mails emails memo memos letter letters website guidance"
    " research findings book log logbook register records minutes accounts".split()
)
"""What a text, not a person, is ("according to a study published on Monday"): no speaker."""
_NOT_NAMES = frozenset(
    "The A An This That These Those It Its He She They We I You His Her Their Our My But And Or"
    " So Yet In On At As If When While After Before Since Although Though However Meanwhile"
    " Also Still Then Now Later Earlier Separately Instead Indeed Moreover Furthermore Finally"
    " Today Yesterday Tomorrow Tonight Last Next Recently Previously According Asked Said One"
    " Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March July"
    " September October November December There Here What Why How Who Some Many Most All"
    " For From With Without Despite Unlike Like Among Amid Against During Under Over Through"
    " Until Unless Because Even Only Just Perhaps Both Each Every Either Neither Another".split()
)
_COURTESY_TITLES = frozenset("Mr. Mrs. Ms. Mx. Mr Mrs Ms Miss Messrs.".split())
_UNDOTTED_TITLES = frozenset(
    "Dr Prof Capt Cllr Supt Insp Sgt Det Con Col Lt Cmdr Maj Adm Cpl Revd DI DS DCI DC PC".split()
)
"""Short titles British style writes without a full stop ("Capt Mercer", "Cllr Joanna
Pettifer"); not "Gen", "Rep", "Hon": as often the start of a name or a word ("Hon Hai")."""
_SPELLED_OUT_TITLES = {
    "Prof": "Professor",
    "Capt": "Captain",
    "Cllr": "Councillor",
    "Supt": "Superintendent",
    "Insp": "Inspector",
    "Sgt": "Sergeant",
    "Det": "Detective",
    "Con": "Constable",
    "Col": "Colonel",
    "Lt": "Lieutenant",
    "Cmdr": "Commander",
    "Maj": "Major",
    "Adm": "Admiral",
    "Cpl": "Corporal",
    "Rev": "Reverend",
    "Revd": "Reverend",
    "Gov": "Governor",
    "Sen": "Senator",
    "Rep": "Representative",
    "Gen": "General",
    "Pres": "President",
    "Atty": "Attorney",
    "Fr": "Father",
    "Hon": "Honourable",
    "DI": "Detective Inspector",
    "DS": "Detective Sergeant",
    "DCI": "Detective Chief Inspector",
    "DC": "Detective Constable",
    "PC": "Police Constable",
}
"""A short title as the role it names ("Capt" and "Capt." of a captain)."""
_HONORIFICS = frozenset({"Dr", "Dr."})
"""Titles that say how to address someone, not what they do: no role."""
_TITLES = (
    _COURTESY_TITLES
    | _UNDOTTED_TITLES
    | frozenset(f"{title}." for title in ABBREVIATED_TITLES)
    | frozenset(
        "Judge Justice President Vice Prime Minister Mayor Governor Senator Representative"
        " Congressman Congresswoman Councilman Councilwoman Councillor Secretary Sheriff Chief"
        " Commissioner Director Detective Officer Ambassador Chancellor Professor Doctor Attorney"
        " General Sir Dame Lord Lady Rabbi Imam Father Bishop Cardinal Pope King Queen Prince"
        " Princess Coach Superintendent Inspector Sergeant Captain Lieutenant Colonel Admiral"
        " Speaker Chairman Chairwoman Executive Deputy Assistant Associate Acting Interim"
        " Former Manager Commander Constable Warden Editor Curator Headteacher".split()
    )
)
_COURT_ROLES = frozenset({"prosecuting", "defending", "representing"})
"""Words court reports use as a lawyer's role ("Claire Donnelly, prosecuting, said"), which
other words ending in "-ing" after a name are not ("Pender, speaking to reporters, said")."""
_COURTESY_PRONOUNS = {
    **dict.fromkeys(("Mr", "Mr."), "he"),
    **dict.fromkeys(("Mrs", "Mrs.", "Ms", "Ms.", "Miss"), "she"),
}
_DESCRIBED_PRONOUNS = {
    **dict.fromkeys(
        "spokeswoman chairwoman businesswoman policewoman councilwoman congresswoman woman mother"
        " daughter sister wife grandmother granddaughter girl widow aunt niece actress".split(),
        "she",
    ),
    **dict.fromkeys(
        "spokesman chairman businessman policeman councilman congressman fisherman man father"
        " son brother husband grandfather grandson boy widower uncle nephew".split(),
        "he",
    ),
}
"""Words of a description that say whether "he" or "she" can mean its person."""
_ORGANISATION_WORDS = frozenset(
    "Water Shipping Council Police Institute University College School Hospital Clinic Agency"
    " Authority Association Society Trust Foundation Fund Bank Group Company Corporation"
    " Holdings Industries Partners Airlines Airways Railways Rail Energy Gas Electric Motors"
    " Media News Times Post Party Union Church Museum Library Centre Center Club Committee"
    " Commission Department Ministry Office Board Service Services Federation League Network"
    " Systems Technologies Laboratories Labs Insurance Health Capital Ventures Government"
    " Administration Bureau Army Navy Forces Studios Records Pharmaceuticals Foods Airport"
    " Coalition Alliance Campaign Institute Brewery Hotels Telecom Forum Therapeutics Charity"
    " Partnership".split()
)
"""Last words of a name that make it an organisation's ("Brackenridge Water", "Carrick
Police") unless it opens with a first name ("Samantha Power")."""
_RECENT_PEOPLE = 8
"""People named so far that "he" or "she" may go back to, the latest first."""
_ONE_PERSON = re.compile(r"(?:a|an|one)\s", re.IGNORECASE)
"""An unnamed speaker described as one person ("a nurse who …"), whom "she" can refer to."""
_COMPANY_SUFFIXES = frozenset("Inc. Corp. Co. Ltd. LLC PLC".split())
_NAME_SUFFIXES = _COMPANY_SUFFIXES | frozenset("Jr. Sr. II III IV".split())
_LEADING_WORD = re.compile(r"(\S+)\s+(.*)", re.DOTALL)
_PARTICLES = frozenset("de da di del della der den du van von la le bin ibn al dos das ter".split())
_NAME_WORD = re.compile(r"(?:[a-z]{1,3}[-’'])?[^\W\d_][^\W\d_’'-]*(?:[-’'][^\W\d_]+)*")
_INITIAL = re.compile(r"[^\W\d_]\.")


@dataclass(frozen=True)
class _Speaker:
    """A speech tag's subject as written: a name, a description, or a pronoun to resolve."""

    name: str | None = None
    role: str | None = None
    title: str | None = None
    pronoun: str | None = None
    also: str | None = None
    """A second description the tag gives: "The lead researcher" of "The lead researcher, Dr
    Miriam Achterberg, a senior lecturer …, said"."""
    written_in: str | None = None
    """What the words were given in, when the tag says ("said in a statement"): "statement"."""


@dataclass(frozen=True)
class _Framed:
    """A sentence with its quoted words masked, and what that tells about it."""

    text: str
    frame: str
    quotation: bool
    opens_with_quote: bool
    speaker: _Speaker | None
    tagged_by_no_one: bool = False
    """A quotation tagged by something that is no speaker ("“…,” read one memo", "“…,”
    Friday’s report said"): not the previous speaker's words."""


def attribute(
    paragraphs: list[list[str]], *, author: str | None = None
) -> list[list[Attribution | None]]:
    """For each sentence of each paragraph, who the text says is speaking in it, if anyone;
    "I wrote …" outside quotation marks is the ``author``'s (a column's byline), if given."""
    framed = [_frame_paragraph(sentences) for sentences in paragraphs]
    mentions = list(_mentions(framed))
    registry = _Registry.build(iter(mentions))
    introduced = list(_introductions(framed, registry))
    if introduced:
        registry = _Registry.build(iter(mentions + introduced))
    resolver = _Resolver(registry, author)
    interviewee = _interviewee(framed, registry)
    labelled = _transcript_speakers(framed, registry)
    result: list[list[Attribution | None]] = []
    previous: Attribution | None = None
    # answers not marked "A:" are every paragraph from a question to the next one
    unmarked = interviewee is not None and not any(_label(p) == "A" for p in framed)
    asked = False
    for number, paragraph in enumerate(framed):
        asked = asked or _label(paragraph) == "Q"
        resolver.new_paragraph(_opening_subject(paragraph))
        if previous is None and number > 0 and _untagged_quotation(paragraph):
            # "When I spoke to Valdecasas …, she was unapologetic." and then her words, untagged
            previous = _person_mentioned(framed[number - 1], registry)
        attributions = _attribute_paragraph(paragraph, resolver, previous)
        if _label(paragraph) == "A" or (unmarked and asked and _label(paragraph) is None):
            # an interview's answer is the interviewee's words, but for words it reports ("I
            # told them …" is the interviewee's, not the byline's; so is "I'd say …" and "Our
            # site manager radioed to say …": no one but the interviewee speaks as "I" or "we")
            attributions = [
                interviewee
                if a is None or (author and a.speaker == author) or _first_person(a)
                else a
                for a in attributions
            ]
        elif interviewee is not None and _label(paragraph) == "Q":
            attributions = [None] * len(attributions)  # the interviewer's question
        if labelled[number] is not None:  # a transcript: "DR VOSS: …" is all hers
            attributions = [labelled[number]] * len(attributions)
        result.append(attributions)
        previous = next((a for a in reversed(attributions) if a is not None), None)
    if resolver.renamed:  # described first, named later: every statement is the named one's
        result = [[resolver.renamed.get(a, a) if a else a for a in p] for p in result]
    return result


def _untagged_quotation(paragraph: list[_Framed]) -> bool:
    """A paragraph that opens a quotation and says nowhere who speaks (as
    `_attribute_paragraph` continues the last speaker)."""
    return (
        bool(paragraph)
        and paragraph[0].opens_with_quote
        and not any(s.speaker is not None or s.tagged_by_no_one for s in paragraph)
    )


def _person_mentioned(paragraph: list[_Framed], registry: _Registry) -> Attribution | None:
    """The person a paragraph of narration names last, by a name the document gives a person
    (an untagged quotation after it is theirs); None when it names no one. Asked only before a
    paragraph that is such a quotation."""
    people = [alias for alias, full in registry.fullest.items() if _is_person(full, None)]
    if not people:
        return None
    names = re.compile(
        r"(?<![\w’'-])(?:"
        + "|".join(map(re.escape, sorted(people, key=len, reverse=True)))
        + r")(?![\w-])"
    )
    for sentence in reversed(paragraph):
        if sentence.quotation:
            return None  # someone's words, whose tag (or lack of one) has been read
        found = list(names.finditer(sentence.frame))
        if found:
            full = registry.fullest[found[-1].group()]
            return Attribution(full, registry.roles.get(full))
    return None


def _lower_article(role: str | None) -> str | None:
    """A role that opened its sentence as it reads after a name ("The club’s chief executive,
    Rachel Dunmore, said": "the club’s chief executive"; "Its managing director"; "Prosecuting,
    Simon Achebe told …": "prosecuting")."""
    if role and role.split(" ", 1)[0] in _OPENING_WORDS:
        return role[0].lower() + role[1:]
    return role


_OPENING_WORDS = frozenset(
    {"A", "An", "The", "One", "Its", "His", "Her", "Their", "Our"}
    | {role.capitalize() for role in _COURT_ROLES}
)


def _attribute_paragraph(
    paragraph: list[_Framed], resolver: _Resolver, previous: Attribution | None
) -> list[Attribution | None]:
    own: list[Attribution | None] = []
    for sentence in paragraph:  # in order: a narrated sentence may give a pronoun its person
        own.append(resolver.resolve(sentence.speaker) if sentence.speaker else None)
        if sentence.speaker is None and not sentence.quotation:
            resolver.narrated(sentence)
    tagged = [i for i, s in enumerate(paragraph) if s.speaker is not None]
    # A paragraph that opens a quotation and never says who speaks continues the last speaker
    # (not one that says a text speaks: "“…,” read one memo").
    continued = previous if _untagged_quotation(paragraph) else None
    result: list[Attribution | None] = []
    for index, sentence in enumerate(paragraph):
        if sentence.speaker is not None or not sentence.quotation:
            result.append(own[index])
        elif tagged:
            result.append(own[_nearest_tagged(index, tagged)])
        else:
            result.append(continued)
    return result


_QA_LABEL = re.compile(r"(?P<label>[QA]):\s")
"""How an interview printed as questions and answers marks them ("Q: …", "A: …")."""


_FIRST_PERSON = re.compile(r"(?:I|I[’']\w+|we|we[’']\w+|our|my|us|me)\b", re.IGNORECASE)


def _first_person(attribution: Attribution) -> bool:
    """A speaker found as "I" or "we" ("I’d say …", "Our site manager radioed to say …"):
    whoever the text is in the voice of."""
    return bool(_FIRST_PERSON.match(attribution.speaker or attribution.role or ""))


def _label(paragraph: list[_Framed]) -> str | None:
    found = _QA_LABEL.match(paragraph[0].text.lstrip()) if paragraph else None
    return None if found is None else found["label"]


def _interviewee(paragraphs: list[list[_Framed]], registry: _Registry) -> Attribution | None:
    """Who answers, in an interview printed as questions and answers (at least two of each,
    the answers marked "A:" or following their questions unmarked): the first person the text
    names before its first question."""
    labels = [_label(p) for p in paragraphs]
    answers = labels.count("A") or sum(
        1 for before, after in zip(labels, labels[1:], strict=False) if before == "Q" and not after
    )
    if labels.count("Q") < 2 or answers < 2:
        return None
    before = paragraphs[: labels.index("Q")]
    spoken_to = _spoken_to(before)
    if spoken_to is not None:  # "We spoke to Mrs Abernethy in her office": not the governor
        return Attribution(*registry.lookup(spoken_to))  # quoted on her in the introduction
    for mention in _mentions(before):
        full, role = registry.lookup(mention.name)
        if len(full.split()) >= 2 and _is_person(full, mention.title):
            return Attribution(full, role)
    # an introduction seldom tags its subject speaking: "For 31 years, Ines Marlow has …",
    # then "Marlow, 67, took over …": the first full name whose surname the text uses alone
    text = " ".join(s.text for p in paragraphs for s in p)
    for paragraph in before:
        for sentence in paragraph:
            for found in _FULL_NAME.finditer(sentence.text):
                first, last = found.groups()
                # the surname alone as a person's, "Marlow, 67," or "Marlow took": not "the Wend"
                lone = rf"(?<!{first} )(?<!the )\b{re.escape(last)}\b(?=,|\s+[a-z])"
                alone = len(re.findall(lone, text))
                if first not in _NOT_NAMES and first not in _TITLES and alone >= 1:
                    full, role = registry.lookup(found.group())
                    return Attribution(full, role)
    return None


_SPOKEN_TO = re.compile(
    r"\b(?:spoke|speak|speaking|talked|talking|sat\s+down)\s+(?:to|with)\s+|\binterviewed\s+"
)


def _spoken_to(paragraphs: list[list[_Framed]]) -> str | None:
    """The person an interview's introduction says the writer spoke to ("We spoke to Mrs
    Abernethy in her office"), by the full name the introduction gives them."""
    sentences = [sentence.frame for paragraph in paragraphs for sentence in paragraph]
    for sentence in sentences:
        for found in _SPOKEN_TO.finditer(sentence):
            words = sentence[found.end() :].split()
            if words and words[0].rstrip(".") in _COURTESY_TITLES | _UNDOTTED_TITLES:
                words = words[1:]
            surname = words[0].strip(",.;:") if words else ""
            if not surname[:1].isupper() or surname in _NOT_NAMES:
                continue  # "spoke to reporters", "spoke to The Times"
            named = re.compile(rf"\b([A-Z][\w’'-]+)\s+{re.escape(surname)}\b")
            for text in sentences:
                for name in named.finditer(text):
                    first = name.group(1)
                    if first not in _NOT_NAMES and first.rstrip(".") not in _TITLES:
                        return f"{first} {surname}"
    return None


def _called_a_person(surname: str, paragraphs: list[list[_Framed]]) -> bool:
    """Whether the text treats a name as a person's: a courtesy title before it ("Mrs Selby")
    or "he" or "she" soon after it ("When I spoke to Thackeray …, she was clear"); not a
    university or a firm named after someone ("Harvard announced that its endowment …")."""
    titled = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+{re.escape(surname)}\b")
    followed = re.compile(rf"\b{re.escape(surname)}\b[^.;“”\"]{{0,60}}?\b(?:he|she)\b")
    return any(
        titled.search(sentence.frame) or followed.search(sentence.frame)
        for paragraph in paragraphs
        for sentence in paragraph
    )


def _english() -> frozenset[str]:
    from bot.vocabulary import english_words  # here, as in `_is_ly_adverb`: read when needed

    return english_words()


_RULERS = frozenset("Emperor Empress Khan Sultan Tsar Czar Pharaoh Caliph Shah Emir".split())
"""Words for a ruler that go before a name as a title would ("Emperor Kublai")."""
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) ([A-Z][a-z]+(?:[-’'][A-Z][a-z]+)?)\b")

_SPEAKER_LABEL = re.compile(r"(?P<label>[A-Z][A-Z.’' -]{0,38}[A-Z.]):\s+\S")
"""A transcript's speaker label opening a paragraph ("HOST: …", "DR VOSS: …")."""
_NAME_LABEL = re.compile(
    r"(?P<label>(?:(?:Dr|Mr|Mrs|Ms|Prof|Senator|Sen|Rep|Cllr|Judge|Capt|Insp|Sgt)\.?\s+)?"
    r"[A-Z][a-z]+(?:[-’'][A-Z][a-z]+)*(?:\s+[A-Z][a-z]+(?:[-’'][A-Z][a-z]+)*)?):\s+\S"
)
"""A transcript's speaker label written as a name ("Voss: …", "Senator Okonkwo-Lind: …")."""
_NOT_SPEAKER_LABELS = frozenset(
    "NOTE UPDATE UPDATED CORRECTION CLARIFICATION WATCH ADVERTISEMENT RELATED SOURCE SOURCES"
    " PHOTO WARNING BREAKING LISTEN TRANSCRIPT".split()
) | {"EDITOR'S NOTE", "EDITOR’S NOTE", "READ MORE"}
"""Labels that open a paragraph but name no speaker ("UPDATE: …")."""
_HOST_LABELS = frozenset("HOST PRESENTER INTERVIEWER ANCHOR MODERATOR".split())
_HOST_NAMED = re.compile(
    r"\b(?:presenter|host|anchor|interviewer|moderator)\s+"
    r"(?P<name>[A-Z][^\W\d_]+(?:\s+[A-Z][^\W\d_]+){1,2})"
)


def _transcript_speakers(
    paragraphs: list[list[_Framed]], registry: _Registry
) -> list[Attribution | None]:
    """Who speaks each paragraph of a transcript ("HOST: …", "DR VOSS: …", "PULLMAN: …"): a
    label that opens at least two paragraphs is a speaker's, named in full when the document
    gives the name ("Dr Helena Voss, a hydrologist"), the host the presenter it names; None for
    a paragraph without one."""
    labels = [_label_of(p[0].text.lstrip()) if p else None for p in paragraphs]
    said = [label.strip() if label else None for label in labels]
    speaking = {
        label
        for label in set(said)
        if label and label.upper() not in _NOT_SPEAKER_LABELS and said.count(label) >= 2
    }
    if not speaking:
        return [None] * len(paragraphs)  # not a transcript (nearly every document)
    text = " ".join(s.text for p in paragraphs for s in p)
    people = {label: _labelled_speaker(label, text, registry) for label in speaking}
    # a label in capitals is a speaker's; one written as a name ("Voss: …") only when the
    # text names that person (not "Note: …", "Update: …")
    people = {
        label: person
        for label, person in people.items()
        if label.isupper() or label.split()[-1] in registry.fullest
    }
    return [people.get(label) if label else None for label in said]


def _label_of(text: str) -> str | None:
    """The speaker label opening a paragraph, in capitals or written as a name ("HOST: …",
    "DR VOSS: …", "Voss: …", "Senator Okonkwo-Lind: …")."""
    found = _SPEAKER_LABEL.match(text) or _NAME_LABEL.match(text)
    return None if found is None else found["label"]


def _labelled_speaker(label: str, text: str, registry: _Registry) -> Attribution:
    if label in _HOST_LABELS:
        named = _HOST_NAMED.search(text)
        if named is not None:
            full, role = registry.lookup(named["name"])
            return Attribution(full, role or label.lower())
        return Attribution(None, f"the {label.lower()}")
    words = [w.capitalize() if label.isupper() else w for w in label.replace(".", ". ").split()]
    title = next((w for w in words[:-1] if is_title(w)), None)
    surname = words[-1]
    for alias in (" ".join(words), " ".join(w for w in words if w != title), surname):
        if alias in registry.fullest:
            full, role = registry.lookup(alias)
            return Attribution(full, role or _title_as_role(title))
    # "… and Gareth Pullman, who chairs the society": the full name the text gives the surname
    named = re.search(rf"\b(?:[A-Z][^\W\d_]+ ){{1,2}}{re.escape(surname)}\b", text)
    if named is not None and named.group().split()[0] not in _NOT_NAMES | _TITLES:
        return Attribution(named.group(), _title_as_role(title))
    return Attribution(" ".join(w for w in words if w != title), _title_as_role(title))


def _opening_subject(paragraph: list[_Framed]) -> _Speaker | None:
    """The person a paragraph opens with as the subject of its narration ("Councillor Chen
    answered the objections. “…,” she said."), whom its "she" then means."""
    if not paragraph or paragraph[0].quotation or paragraph[0].speaker is not None:
        return None
    first = paragraph[0]
    for start in _subject_starts(first.text, first.frame):
        words = [m.span() for m in islice(_WORD.finditer(first.frame, start), 8)]
        count = _name_run_length(first.text, words)
        if 0 < count < len(words):
            named = _split_titles(first.text, words[:count])
            return None if named is None else _Speaker(named[0], title=named[1])
    return None


def _subject_starts(text: str, frame: str) -> Iterator[int]:
    """Where a sentence's subject may start: at its start, or after an opening clause set off
    by a comma ("Asked later about the delay, Capt Mercer insisted …", "On Tuesday, …")."""
    yield 0
    opening = _WORD.search(frame)
    comma = frame.find(",")
    if opening is None or comma < 0 or len(_WORD.findall(frame, 0, comma)) > 12:
        return
    word = text[opening.start() : opening.end()]
    lowered = word.lower()
    if lowered.endswith(("ed", "ing")) or lowered in _PREPOSITIONS | _ADVERBIALS:
        yield comma + 1
    elif lowered in ("a", "an", "the") and _PERSON_WORD.search(frame[:comma].lower()):
        yield comma + 1  # "The Millbeck manager, Tomasz Wrobel, was far less restrained."


_A_PERSON_FOLLOWS = re.compile(r"\s*,\s*(?:\d{1,3}\s*,|who\b)")
"""What shows a name is a person's: an age ("Tom Briggs, 71,") or "who" ("Dev Shah, who
chairs …"; an organisation takes "which")."""


def _opening_person(paragraph: list[_Framed]) -> _Mention | None:
    """A paragraph's opening subject when the text shows it is a person, with a title
    ("Judge Helen Marsh rejected …") or with what follows the name, as a name the document
    gives even if it never tags them speaking: its surname alone later means them."""
    subject = _opening_subject(paragraph)
    if subject is None or subject.name is None or len(subject.name.split()) < 2:
        return None
    text = paragraph[0].text
    after = text.find(subject.name) + len(subject.name)
    titled = subject.title is not None and subject.title not in _COURTESY_TITLES
    if titled or _A_PERSON_FOLLOWS.match(text, after):
        return _Mention(subject.name, None, subject.title)
    return None


def _introductions(paragraphs: list[list[_Framed]], registry: _Registry) -> Iterator[_Mention]:
    """Full names that open a paragraph as its subject, whose surname the document gives a
    speaker ("Pauline Adeyemi has run the shop for 26 years." and "Mrs Adeyemi told me"): the
    speaker's full name."""
    for paragraph in paragraphs:
        subject = _opening_subject(paragraph)
        if subject is None or subject.name is None or subject.name in registry.fullest:
            continue
        tokens = subject.name.split()
        if len(tokens) >= 2 and tokens[-1] in registry.fullest and _is_person(subject.name, None):
            yield _Mention(subject.name, None, subject.title)
    lone = [alias for alias, full in registry.fullest.items() if " " not in full]
    called: dict[str, bool] = {}  # `_called_a_person`, read once a surname
    for paragraph in paragraphs:
        for sentence in paragraph:
            if not any(surname in sentence.frame for surname in lone):
                continue  # only a speaker known by one name can be given a full name here
            for found in _LABELLED.finditer(sentence.frame):
                # "the second feature by the Galician-born director Inés Valdecasas", and later
                # "Valdecasas said": her full name, and what the label says she is
                name = found["name"].removesuffix("’s").removesuffix("'s")
                if found["noun"] not in _ONE_OF_PERSON_NOUNS or name in registry.fullest:
                    continue
                if name.split()[-1] in registry.fullest and _is_person(name, None):
                    yield _Mention(name, _label_role(found["label"]), None)
            for found in _FULL_NAME.finditer(sentence.frame):
                # "Imogen Thackeray's new production", "Among those flooded was Maureen
                # Selby": the full name of the "Thackeray" or "Mrs Selby" who speaks later
                first, surname = found["first"], found["surname"]
                name = f"{first} {surname}"
                if surname not in lone or first in _TITLES or first.lower() in _NOT_GIVEN:
                    continue
                if surname not in called:
                    called[surname] = _called_a_person(surname, paragraphs)
                if first in _RULERS or not called[surname]:
                    continue  # "Emperor Kublai"; "Harvard announced … its endowment"
                opens = not sentence.frame[: found.start()].strip(" “\"‘'(")
                if opens and first.lower() not in FIRST_NAMES and first.lower() in _english():
                    continue  # "Since Kublai …": a word starting the sentence
                if name not in registry.fullest and _is_person(name, None):
                    yield _Mention(name, None, None)


_FULL_NAME = re.compile(
    r"\b(?P<first>[A-Z][^\W\d_]+)\s+(?P<surname>[A-Z][^\W\d_][\w’'-]*?)(?:[’']s)?\b"
)
"""Two capitalised words, the second maybe possessive ("Imogen Thackeray's")."""
_NOT_GIVEN = frozenset(
    "the a an this that these those his her their its our when where while after before"
    " among across at in on of for from by with as and but or if so then there here".split()
)
"""Capitalised words opening a sentence that are no one's given name ("Among Selby's …")."""
_LABELLED = re.compile(
    # no preposition in the label: "a header from captain Ruth Adeyemi’s corner" is "captain"
    r"\b(?P<label>(?:(?:[Tt]he|[Aa]n?)\s+)?"
    r"(?:(?!(?:from|of|by|with|to|at|in|on|for|into|off|after|before)\s)[\w’'-]+\s+){0,2}?"
    r"(?P<noun>[a-z]+))"
    r"\s+(?P<name>[A-Z][^\W\d_][\w’'-]*(?:\s+[A-Z][^\W\d_][\w’'-]*){1,2})"
)
"""A name after a word for a person ("the Galician-born director Inés Valdecasas")."""


def _label_role(words: str) -> str:
    """A `_LABELLED` label as a role: with its article lowered ("the director"), or, without
    an article, only the noun and the capitalised words before it ("have signed winger" is
    "winger", "Rovers manager" stays)."""
    tokens = words.split()
    if tokens[0].lower() in ("the", "a", "an") or tokens[0].endswith(("’s", "'s")):
        return _lower_article(words) or words
    start = len(tokens) - 1
    while start > 0 and tokens[start - 1][:1].isupper():
        start -= 1
    return " ".join(tokens[start:])


def _nearest_tagged(index: int, tagged: list[int]) -> int:
    """The closest tagged sentence before ``index``, else the first one after it."""
    position = bisect_left(tagged, index)
    return tagged[position - 1] if position else tagged[0]


# --- Masking quotations ----------------------------------------------------------------------


def _frame_paragraph(sentences: list[str]) -> list[_Framed]:
    framed: list[_Framed] = []
    inside = False
    for sentence in sentences:
        frame, quoted, still_inside = _mask_quotes(sentence, inside)
        speaker = _find_speaker(sentence, frame)
        framed.append(
            _Framed(
                text=sentence,
                frame=frame,
                quotation=_is_quotation(sentence, quoted, inside),
                opens_with_quote=sentence.lstrip()[:1] in ("“", '"'),
                speaker=speaker,
                tagged_by_no_one=speaker is None and _TAIL_TAG.search(frame) is not None,
            )
        )
        inside = still_inside
    return framed


_TAIL_TAG = re.compile(
    r"[”\"\x00]\s*,?\s*(?:[^\s,;:—()“”\"\x00]+\s+){0,6}?(?:said|says|read|reads|stated"
    r"|states|added|adds|noted|notes|declared|warned|warns)\b"
)
"""A speech tag after a quotation, whatever its subject: "”, read one memo sent to …"."""


def _mask_quotes(sentence: str, inside: bool) -> tuple[str, list[Span], bool]:
    """The sentence with quoted words blanked (same length), the quoted spans, and whether a
    quotation is still open at its end. ``inside`` says one was open at its start."""
    quoted: list[Span] = []
    opened_at: int | None = 0 if inside else None
    for mark in _QUOTE_MARK.finditer(sentence):
        closes = mark.group() == "”" or (mark.group() == '"' and opened_at is not None)
        if closes:
            # A closing mark with no opening one continues a quotation from an earlier sentence.
            start = opened_at if opened_at is not None else (0 if not quoted else mark.start())
            quoted.append((start, mark.start()))
            opened_at = None
        elif opened_at is None:
            opened_at = mark.end()
    if opened_at is not None:
        quoted.append((opened_at, len(sentence)))
    return _blank(sentence, quoted), quoted, opened_at is not None


def _blank(text: str, spans: list[Span]) -> str:
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces += [text[position:start], _MASK * (end - start)]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _is_quotation(sentence: str, quoted: list[Span], began_inside: bool) -> bool:
    """Whether the sentence is someone's words rather than narration with a scare quote."""
    if began_inside or sentence.lstrip()[:1] in ("“", '"'):
        return bool(quoted)
    return sum(len(sentence[start:end].split()) for start, end in quoted) >= 4


# --- Finding the speech tag ------------------------------------------------------------------


def _find_speaker(text: str, frame: str) -> _Speaker | None:
    """The subject of the first speech verb in the frame that has one. A verb in a clause
    after a semicolon that narration opens ("E-mails show the FBI had doubts; officials worried
    that …") tags that clause only, so not the sentence."""
    for verb in islice(_SPEECH_VERB.finditer(frame), _MOST_VERBS):
        if _after_narration(frame, verb.start()):
            continue
        speaker = _speaker_of(text, frame, verb)
        if speaker is not None:
            given = _GIVEN_IN.search(frame)
            return speaker if given is None else replace(speaker, written_in=given["text"])
    return None


_GIVEN_IN = re.compile(
    r"\b[Ii]n\s+(?:a|an|its|his|her|their)\s+(?:[\w-]+\s+)?(?P<text>statement|letter|e-?mail"
    r"|memo|note|post)\b"
)
"""Where words were given ("said in a statement", "In a letter, …"), which "the statement
said" then refers back to."""
_GIVEN_BACK = re.compile(r"(?:the|that|this)\s+(?P<text>statement|letter|e-?mail|memo|note|post)")


def _after_narration(frame: str, position: int) -> bool:
    """Whether a semicolon before ``position`` ends a clause of at least three words of the
    narrator's own (not quoted)."""
    cut = frame.rfind(";", 0, position)
    return cut >= 0 and len(_WORD.findall(frame[:cut])) >= 3


def _speaker_of(text: str, frame: str, verb: re.Match[str]) -> _Speaker | None:
    if verb.group("according"):
        subject = _subject_after(text, frame, verb.end())
        opening = not frame[: verb.start()].strip(" “\"‘'")
        if opening and subject is not None and subject.name and subject.role:
            # "According to Larchmont Homes, work is expected to begin …": after the name
            # comes the sentence's own clause, a role only as "the …", "its …", "a …"
            first = subject.role.split(" ", 1)[0]
            if first.lower() not in _DETERMINERS and not first.endswith(("’s", "'s")):
                return replace(subject, role=None)
        return subject
    after_quote = _previous_mark(frame, verb.start()) in _QUOTE_ENDS
    tag_position = after_quote or _short_tag_after_quote(frame, verb.start())
    if verb.group().startswith(("describing", "calling", "saying", "adding")):
        return None if after_quote else _clause_subject(text, frame, verb.start())
    if verb.group("cue") and not (tag_position or _speech_follows(frame, verb.end())):
        return None
    if verb.group("cue") and not tag_position and _plural_noun(text, frame, verb):
        return None  # "… in the constitutions of member states.": no one states anything
    if verb.group("cue") and _after_a_noun_marker(text, verb.start()):
        return None  # "Its head of claims, Rachel Oduya, said": "claims" is a noun
    if after_quote:
        return _subject_after(text, frame, verb.end())
    subject = _subject_before(text, frame, verb.start())
    if subject is None and _previous_mark(frame, verb.start()) == ",":
        if _text_before(text, frame, verb.start()):
            return None  # "The memo, dated March 3, says the system …": the memo's words
        return _subject_after(text, frame, verb.end())
    return subject


def _after_a_noun_marker(text: str, position: int) -> bool:
    """Whether the word before ``position`` makes the next one a noun ("of claims", "the
    reports", "their comments"), not a verb."""
    before = text[:position].split()
    return bool(before) and before[-1].lower() in _NOUN_MARKERS


_NOUN_MARKERS = frozenset("of the a an his her their its our my your for on in with".split())


def _plural_noun(text: str, frame: str, verb: re.Match[str]) -> bool:
    """A cue verb's "-s" form ending its sentence after a word in lower case ("member
    states.", "the council's reports."): a plural noun, not speech ("he states." is)."""
    if not verb.group().endswith("s") or frame[verb.end() :].strip() not in ("", ".", "!", "?"):
        return False
    before = _WORD.findall(frame[: verb.start()])
    word = text[: verb.start()].split()[-1] if before else ""
    return word.isalpha() and word.islower() and word not in _PRONOUNS


def _clause_subject(text: str, frame: str, verb_start: int) -> _Speaker | None:
    """Who opens the clause a participle follows ("Maeve Corrigan of Screen Weekly was less
    forgiving, describing the second hour as “…”", "Lena Farrow, a spokeswoman for the
    authority, declined to comment, saying …"): a name (with its role), a pronoun or a
    description."""
    segments = _segments_before(frame, verb_start)
    while segments and _is_adverbial(text, segments[0]):
        segments.pop(0)  # "In a statement, …"
    said = {text[s:e].lower() for words in segments for s, e in words}
    if not segments or said & {"that", "which", "who", "whom"}:
        return None  # "Wikileaks leaked cables which revealed that the King …, describing"
    words = segments[0]
    first = text[words[0][0] : words[0][1]]
    if first.lower() in _PRONOUNS:
        return _Speaker(pronoun=first.lower())
    count = _name_run_length(text, words)
    named = _split_titles(text, words[:count]) if count else None
    if named is None:
        # "A spokeswoman for the utility, …, declined to comment, saying …"
        described = _described(text, words, max_words=10)
        if described is not None and _is_role(text, words):
            return described
        return None
    role = _phrase(text, segments[1]) if len(segments) > 2 and _is_role(text, segments[1]) else None
    return _Speaker(named[0], role, named[1])


def _text_before(text: str, frame: str, verb_start: int) -> bool:
    """Whether the clause before a verb opens with a text ("The memo, dated March 3,")."""
    segments = _segments_before(frame, verb_start)
    if not segments:
        return False
    tokens = [text[s:e].lower() for s, e in segments[0][:4]]
    return bool(tokens) and tokens[0] in _DETERMINERS and bool(set(tokens[1:]) & _TEXTS)


def _previous_mark(frame: str, position: int) -> str:
    """The last non-space character before ``position``, looking through a comma after a quote."""
    stripped = frame[max(0, position - _WINDOW) : position].rstrip()
    if stripped.endswith(",") and stripped[:-1].rstrip()[-1:] in _QUOTE_ENDS:
        return stripped[:-1].rstrip()[-1:]
    return stripped[-1:]


def _short_tag_after_quote(frame: str, position: int) -> bool:
    """``“...,” analysts at Barclays wrote``: a verb a few words after a quotation closes."""
    before = frame[max(0, position - _WINDOW) : position]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if not breaks or breaks[-1].group()[-1] not in _QUOTE_ENDS:
        return False
    between = before[breaks[-1].end() :].lstrip(" ,")
    return "," not in between and len(between.split()) <= 6


def _speech_follows(frame: str, position: int) -> bool:
    """Whether what follows a verb like "added" or "warned" shows it reports speech."""
    rest = frame[position : position + _WINDOW].lstrip()
    if not rest or rest[0] in ',:;.!?“”"' + _MASK:
        return True
    if _THAT_SOON.match(frame, position, position + _WINDOW) is not None:
        return True
    return _CLAUSE_FOLLOWS.match(frame, position, position + _WINDOW) is not None


_CLAUSE_FOLLOWS = re.compile(
    r"\s+(?:he|she|they|it|we|his|her|their|its|our|the)\s+(?:[\w’'-]+\s+){0,2}?"
    r"(?:had|has|have|was|were|is|are|would|will|could|can|should|might|must|did|does)\s"
)
"""``admitted his side had ridden their luck``: a clause after the verb, its subject and then
its verb, reports what was said as "that" would."""


def _subject_before(text: str, frame: str, verb_start: int) -> _Speaker | None:
    """The noun phrase governing a verb from its left, skipping set-off phrases like ", in an
    e-mail,"; ``Name, the role,`` before the verb gives both name and role."""
    segments = _without_ages(text, _segments_before(frame, verb_start))
    relative = _relative_subject(text, segments)
    if relative is not None:
        return relative
    while segments and _is_adverbial(text, segments[-1]):
        segments.pop()
    if len(segments) >= 2 and _coordinated_predicate(text, segments[-1]):
        segments.pop()  # "Mr Ashdown, a former chairman …, congratulated his opponent but said"
    if not segments:
        return None
    if len(segments) >= 2 and _is_role(text, segments[-1]):
        named = _whole_name(text, segments[-2])
        if named is not None:
            also = (
                _phrase(text, segments[-3])
                if len(segments) >= 3 and _is_role(text, segments[-3])
                else None
            )
            return _Speaker(named[0], _phrase(text, segments[-1]), named[1], also=also)
        labelled = _labelled_name(text, segments[-2])
        if labelled is not None and labelled.name and len(labelled.name.split()) >= 2:
            # "Conservative councillor Angela Fairburn, the committee’s vice-chair, argued"
            role = _phrase(text, segments[-1])
            return _Speaker(labelled.name, role, labelled.title, also=labelled.role)
    if len(segments) >= 2 and _is_role(text, segments[-2]):
        # "The club’s chief executive, Rachel Dunmore, said": the role before the name
        named = _whole_name(text, segments[-1])
        if named is not None and _is_person(*named):
            return _Speaker(named[0], _lower_article(_phrase(text, segments[-2])), named[1])
    return _left_subject(text, segments[-1])


def _relative_subject(text: str, segments: list[list[Span]]) -> _Speaker | None:
    """The person a "who" before the verb stands for, named in full at the end of the phrase
    before it, whatever precedes the name ("She was backed by Labour’s Simon Adeyemi, who
    said …"), or before a role set off by commas ("…, a Labour councillor, who said")."""
    if len(segments) < 2 or [text[s:e] for s, e in segments[-1]] != ["who"]:
        return None
    role = None
    named_in = segments[-2]
    if len(segments) >= 3 and _is_role(text, segments[-2]):
        role, named_in = _phrase(text, segments[-2]), segments[-3]
    start = len(named_in)
    while start > 0 and _is_name_part(text[named_in[start - 1][0] : named_in[start - 1][1]]):
        start -= 1
    named = _split_titles(text, named_in[start:]) if start < len(named_in) else None
    if named is None or len(named[0].split()) < 2 or not _is_person(*named):
        return None
    return _Speaker(named[0], role, named[1])


def _coordinated_predicate(text: str, words: list[Span]) -> bool:
    """A segment that is a predicate joined to the speech verb ("congratulated his opponent
    but", "thanked the crews and"): a verb in the past first, "and" or "but" last; its subject
    is the segment before."""
    if len(words) < 2:
        return False
    first = text[words[0][0] : words[0][1]]
    last = text[words[-1][0] : words[-1][1]]
    return last in ("and", "but") and first.islower() and first.endswith("ed") and len(words) <= 8


def _subject_after(text: str, frame: str, verb_end: int) -> _Speaker | None:
    """The subject of an inverted tag (``said Maria Lopez, a lawyer for the city``)."""
    segments = _without_ages(text, _segments_after(frame, verb_end))
    if not segments:
        return None
    subject = _right_subject(text, segments[0])
    if subject is None and len(segments) >= 2 and _is_role(text, segments[0]):
        # "said Smith’s neighbour, retired teacher Paul Brown": the role, then the name
        named = _labelled_name(text, segments[1]) or _leading_name(text, segments[1])
        if named is not None and named.name is not None:
            both = ", ".join(r for r in (_phrase(text, segments[0]), named.role) if r)
            return _Speaker(named.name, both, named.title)
    if subject is not None and subject.name is None and subject.role and len(segments) >= 2:
        # "said the former board member, Gloria Hennessey": the description, then the name
        whole = _whole_name(text, segments[1])
        if whole is not None and len(whole[0].split()) >= 2 and _is_person(*whole):
            return _Speaker(whole[0], subject.role, whole[1])
    if subject is None or subject.name is None or len(segments) < 2:
        return subject
    role = _phrase(text, segments[1]) if _is_role(text, segments[1]) else None
    return _Speaker(subject.name, role, subject.title)


def _is_age(text: str, words: list[Span]) -> bool:
    """A phrase set off by commas that is a person's age ("Marek Nowak, 61, a retired …")."""
    if len(words) != 1:
        return False
    word = text[words[0][0] : words[0][1]].rstrip(".")
    return word.isdigit() and len(word) <= 3


def _without_ages(text: str, segments: list[list[Span]]) -> list[list[Span]]:
    """The phrases of a speech tag's subject without an age after a name: "Marek Nowak, 61, a
    retired bus driver, said" is the name, then the role (the age read as the role lost the
    name); "said Tom Hale, 34," the name alone."""
    return [
        words
        for index, words in enumerate(segments)
        if not (index and _is_age(text, words) and _whole_name(text, segments[index - 1]))
    ]


def _segments_before(frame: str, position: int) -> list[list[Span]]:
    start = max(0, position - _WINDOW)
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(frame, start, position)]
    return [
        words
        for words in _comma_segments(frame, breaks[-1] if breaks else start, position)
        if words
    ]


def _segments_after(frame: str, position: int) -> list[list[Span]]:
    limit = min(len(frame), position + _WINDOW)
    found = _CLAUSE_BREAK.search(frame, position, limit)
    end = _without_final_stop(frame, position, found.start() if found else limit)
    return _comma_segments(frame, position, end)


def _without_final_stop(frame: str, start: int, end: int) -> int:
    """Drop a sentence's closing punctuation unless it belongs to an abbreviation."""
    stripped = frame[start:end].rstrip()
    end = start + len(stripped)
    if stripped.endswith(("!", "?", "…")):
        return end - 1
    last_word = stripped.rsplit(maxsplit=1)[-1] if stripped else ""
    if stripped.endswith(".") and not is_abbreviation(last_word):
        return end - 1
    return end


def _comma_segments(frame: str, start: int, end: int) -> list[list[Span]]:
    """The words between ``start`` and ``end``, grouped by the commas that separate them."""
    cuts = [start, *(m.start() for m in _COMMA.finditer(frame, start, end)), end]
    return [
        [(m.start(), m.end()) for m in _WORD.finditer(frame, left + (i > 0), right)]
        for i, (left, right) in enumerate(zip(cuts, cuts[1:], strict=False))
    ]


# --- Reading noun phrases --------------------------------------------------------------------


def _left_subject(text: str, words: list[Span]) -> _Speaker | None:
    """The subject at the end of the clause before a speech verb."""
    words = _trim_adverbs(text, words)
    if not words:
        return None
    tokens = [text[s:e] for s, e in words]
    if len(tokens) == 1 and tokens[0].lower() in _PRONOUNS:
        return _Speaker(pronoun=tokens[0].lower())
    if len(tokens) == 1 and tokens[0] == "I":
        return _Speaker(pronoun="i")
    if len(tokens) >= 3 and tokens[-2].lower() in FIRST_NAMES and tokens[-1][:1].isupper():
        # "Director of housing Paul Reed", "Head of libraries Samuel Adeyemi": a label in
        # lower case before a full name (not "Police Chief Anna Ruiz": a title and a name)
        lead = _leading_name(text, words)
        labelled = _labelled_name(text, words)
        if labelled is not None and (lead is None or len((lead.name or "").split()) < 2):
            return labelled
    return (
        _bare_group(text, words)
        or _leading_name(text, words)
        or _labelled_name(text, words)
        or _described(text, words, max_words=12)
        or _trailing_name(text, words)
    )


def _right_subject(text: str, words: list[Span]) -> _Speaker | None:
    """The subject right after an inverted speech verb."""
    if not words:
        return None
    first = text[words[0][0] : words[0][1]].lower()
    if first in _PRONOUNS and len(words) == 1:
        return _Speaker(pronoun=first)
    return (
        _bare_group(text, words)
        or _leading_name(text, words)
        or _labelled_name(text, words)
        or _described(text, words, max_words=14)
    )


def _trim_adverbs(text: str, words: list[Span]) -> list[Span]:
    """Drop discourse words before a subject and adverbs or auxiliaries between it and the verb."""
    start, end = 0, len(words)
    while start < end and text[words[start][0] : words[start][1]].lower() in _DISCOURSE:
        start += 1
    if end - start >= 2 and text[words[start][0] : words[start][1]].lower() == "as":
        after = text[words[start + 1][0] : words[start + 1][1]]
        if after.lower() in _PRONOUNS or after[:1].isupper():  # "As he put it:", not "as a …"
            start += 1
    while start < end and _is_adverb(text[words[end - 1][0] : words[end - 1][1]]):
        end -= 1
    if end - start >= 3 and text[words[end - 1][0] : words[end - 1][1]] == "and":
        verb = text[words[end - 2][0] : words[end - 2][1]]
        if verb.islower() and verb.endswith(("ed", "es")):  # "Daniel Pires apologised and said"
            end -= 2
    return words[start:end]


def _is_adverb(word: str) -> bool:
    return word.islower() and (word in _ADVERBIALS or word.endswith("ly"))


def _only_adverbials(text: str, words: list[Span]) -> bool:
    if not words:
        return True
    written = text[words[0][0] : words[0][1]]
    first = written.lower()
    return first in _PREPOSITIONS or first in _ADVERBIALS or _is_ly_adverb(written)


def _is_ly_adverb(word: str) -> bool:
    """ "reportedly", and "Unfortunately" or "Fully" starting a sentence: "-ly" after an
    English word (`english_words`); not a surname ("Donnelly", "Kelly")."""
    lower = word.lower()
    if not lower.endswith("ly"):
        return False
    if word.islower():
        return True
    from bot.vocabulary import english_words  # here: only a capitalised "-ly" word needs it

    if lower.endswith("ily"):
        bases = [lower[:-3] + "y"]  # "happily"; not "Emily"
    elif lower.endswith("lly"):
        bases = [lower[:-2]]  # "actually", "finally"; not "Kelly", "Donnelly", "Sally"
    else:
        bases = [lower[:-2], lower[:-1] + "e"]  # "separately", "simply"
    known = english_words()
    return any(len(b) > 3 and b in known for b in bases)


def _is_adverbial(text: str, words: list[Span]) -> bool:
    """A phrase set off by commas that cannot be a subject: ``in an e-mail``, ``however``,
    ``speaking to reporters``, ``who left office in May``."""
    first = text[words[0][0] : words[0][1]]
    if first in _RELATIVE_PRONOUNS:
        return True
    if len(words) == 1 and first.isdigit() and len(first) <= 3:
        return True  # an age: "Jade Okonkwo, 24, said"
    if first in _COURT_ROLES:
        return False
    return _only_adverbials(text, words) or (first.islower() and first.endswith("ing"))


def _bare_group(text: str, words: list[Span]) -> _Speaker | None:
    """``officials``, ``FBI officials``, ``Police``, ``analysts at Barclays``: people named by
    what they are, without an article."""
    tokens = [text[s:e].lower() for s, e in words]
    head = next((i for i, t in enumerate(tokens[:3]) if t in _PERSON_NOUNS), None)
    if head is None or len(tokens) > 8 or set(tokens[: head + 1]) & _NOT_MODIFIERS:
        return None
    tail = tokens[head + 1 :]
    if tail and (tail[0] not in _PREPOSITIONS or set(tail) & _CLAUSE_WORDS):
        return None
    return _Speaker(role=_phrase(text, words))


def _described(text: str, words: list[Span], max_words: int) -> _Speaker | None:
    """An unnamed speaker described with an article: ``one FBI official``, ``a spokesperson for
    the department``; not a text ("according to a city estimate", "the forecast said")."""
    words = _without_setting(text, words)
    tokens = [text[s:e] for s, e in words]
    if not (2 <= len(tokens) <= max_words) or tokens[0].lower() not in _DETERMINERS:
        return None
    lowered = [t.lower() for t in tokens[1:4]]
    if set(lowered) & _TEXTS and not set(lowered) & _PERSON_NOUNS:
        return None
    if any(t in _CLAUSE_WORDS for t in tokens) and not _person_then_clause(tokens):
        return None
    return _Speaker(role=_phrase(text, words))


def _person_then_clause(tokens: list[str]) -> bool:
    """``a nurse who asked not to be named``: a person, then a relative clause about them."""
    lowered = [t.lower() for t in tokens]
    head = next((i for i, t in enumerate(lowered[:4]) if t in _PERSON_NOUNS), None)
    return head is not None and head + 1 < len(lowered) and lowered[head + 1] in ("who", "that")


def _without_setting(text: str, words: list[Span]) -> list[Span]:
    """Cut where and when something was said off a description: ``the company in a statement``,
    ``a spokesman on Tuesday``; ``a professor at the university`` keeps its ``at the``."""
    tokens = [text[s:e].lower() for s, e in words]
    for index in range(1, len(tokens)):
        next_word = tokens[index + 1] if index + 1 < len(tokens) else ""
        if tokens[index] in _SETTING_PREPOSITIONS and next_word in ("a", "an"):
            return words[:index]
        if tokens[index] in _TIME_WORDS:
            return words[: index - (tokens[index - 1] in _SETTING_PREPOSITIONS)]
    return words


def _is_role(text: str, words: list[Span]) -> bool:
    """Whether an appositive reads as a role: ``the special agent in charge of Houston``,
    ``chief executive of Acme``, ``President of the board``; not ``who ...`` or ``adding ...``."""
    if not 1 <= len(words) <= 25:
        return False
    first = text[words[0][0] : words[0][1]]
    if first in _TITLES and _whole_name(text, words) is not None:
        return False  # "Judge Alastair Penhaligon": a name with its title
    if first.lower() in _DETERMINERS or first in _TITLES or first.endswith(("’s", "'s")):
        return True
    if first.lower() in _COURT_ROLES:
        return True  # "Claire Donnelly, prosecuting, said"; "Prosecuting, Simon Achebe told …"
    if _owner_named_first(text, words):
        return True
    return (
        first.isalpha()
        and first.islower()
        and first not in _NOT_ROLE_START
        and not first.endswith("ing")
    )


def _owner_named_first(text: str, words: list[Span]) -> bool:
    """A role whose owner's name comes first ("Corran Homes’ land and planning director",
    "Harwick District Council's head of planning"): capitalised words, the last possessive,
    then the role in lower case."""
    tokens = [text[s:e] for s, e in words[:6]]
    for index, token in enumerate(tokens[:-1]):
        if not token[:1].isupper():
            return False
        if token.endswith(("’s", "'s", "s’", "s'")):
            return tokens[index + 1][:1].islower()
    return False


def _phrase(text: str, words: list[Span]) -> str:
    return text[words[0][0] : words[-1][1]]


# --- Reading names ---------------------------------------------------------------------------


def _leading_name(text: str, words: list[Span]) -> _Speaker | None:
    """A name starting the phrase, followed by nothing or by an adverbial (``Pender in an
    e-mail``, ``Smith on Tuesday``)."""
    count = _name_run_length(text, words)
    if count == 0 or not _only_adverbials(text, words[count:]):
        return None
    named = _split_titles(text, words[:count])
    return None if named is None else _Speaker(named[0], title=named[1])


def _labelled_name(text: str, words: list[Span]) -> _Speaker | None:
    """``White House spokesperson Karine Jean-Pierre``, ``the city’s lawyer Ann Wu``: a label
    ending in a word for a person, then a name."""
    lowered = [text[s:e].lower() for s, e in words]
    label_end = next((i + 1 for i, t in enumerate(lowered[:6]) if t in _LABEL_NOUNS), None)
    if label_end is None or set(lowered[:label_end]) & _CLAUSE_WORDS:
        return None
    named = _leading_name(text, words[label_end:])
    # "Chief executive Mary Jones", "Head of libraries Samuel Adeyemi": the label goes on in
    # lower case up to a full name
    tail = label_end
    while named is None and tail < min(len(words), label_end + 4):
        word = text[words[tail][0] : words[tail][1]]
        if not word.isalpha() or not word.islower() or lowered[tail] in _CLAUSE_WORDS:
            return None
        tail += 1
        found = _leading_name(text, words[tail:])
        if found is not None and found.name and len(found.name.split()) >= 2:
            named, label_end = found, tail
    if named is None:
        return None
    return _Speaker(named.name, _lower_article(_phrase(text, words[:label_end])), named.title)


def _trailing_name(text: str, words: list[Span]) -> _Speaker | None:
    """A name ending the phrase, after lowercase words: ``the report found that Smith``."""
    start = len(words)
    while start > 0 and _is_name_part(text[words[start - 1][0] : words[start - 1][1]]):
        start -= 1
    before = text[words[start - 1][0] : words[start - 1][1]] if start > 0 else ""
    if start == len(words) or (before and not before.islower()):
        return None
    if before in _PREPOSITIONS:
        return None  # "in May", "with Lyon": a date or a place, not a speaker
    lowered = [text[s:e].lower() for s, e in words[: start - 1]]
    if before in ("and", "or") and set(lowered) & _PREPOSITIONS:
        return None  # "people familiar with the talks between the authority and Brackwater"
    named = _split_titles(text, words[start:])
    return None if named is None else _Speaker(named[0], title=named[1])


def _may_be_role(text: str, words: list[Span], last: bool) -> bool:
    """Whether a phrase set off by commas may be a role: it opens with an article, and, at
    the sentence's end, is short (a phrase running on to the end is more than a role)."""
    opens = text[words[0][0] : words[0][1]].lower() in ("a", "an", "the")
    if last and len(words) > 12:
        # "… was Lorna Bexley, a 68-year-old retired music teacher who had lived …": a person
        # noun early on is a role, however long the clause after it
        early = {text[s:e].lower() for s, e in words[1:6]}
        return opens and bool(early & _ONE_OF_PERSON_NOUNS) and len(words) <= 25
    return opens


def _after_preposition(text: str, words: list[Span]) -> _Speaker | None:
    """The name after a phrase's opening preposition ("For Lucy Barnard, 29, a teacher …, the
    difference was immediate"): a person, when an age follows it (the caller's to check)."""
    if len(words) < 3 or text[words[0][0] : words[0][1]].lower() not in _PREPOSITIONS:
        return None
    whole = _whole_name(text, words[1:])
    return None if whole is None else _Speaker(whole[0], title=whole[1])


def _whole_name(text: str, words: list[Span]) -> tuple[str, str | None] | None:
    """The name and title when the whole phrase (after discourse words) is a name."""
    words = _trim_adverbs(text, words)
    if not words or _name_run_length(text, words) != len(words):
        return None
    if len(words) == 1 and _only_adverbials(text, words):
        return None  # "Unfortunately, officials said": a sentence adverb, not a name
    return _split_titles(text, words)


def _name_run_length(text: str, words: list[Span]) -> int:
    count = 0
    while count < len(words) and _is_name_part(text[words[count][0] : words[count][1]]):
        count += 1
    return count


def _is_name_part(word: str) -> bool:
    if word in _TITLES or word in _NAME_SUFFIXES or _INITIAL.fullmatch(word):
        return True
    if word in _NOT_NAMES or word.endswith(("’s", "'s")) or _NAME_WORD.fullmatch(word) is None:
        return False
    return word.lower() in _PARTICLES or any(c.isupper() for c in word[:4])


def _split_titles(text: str, words: list[Span]) -> tuple[str, str | None] | None:
    """``Gov. Jane Smith`` → ("Jane Smith", "Gov."), ``Health Secretary Jane Doe`` → ("Jane Doe",
    "Health Secretary"), ``Mr. Hassan`` → ("Hassan", "Mr.")."""
    tokens = [text[s:e] for s, e in words]
    count = _title_length(tokens)
    rest = tokens[count:]
    if not rest or not _is_name_word(rest[0]) or not _is_name_word(rest[-1]):
        return None
    if all(t in _TITLES for t in rest if _is_given_name(t)):
        return None  # "the President", "Chief Justice": a title alone names nobody
    name = normalise_space(_phrase(text, words[count:]))
    return name, (_phrase(text, words[:count]) if count else None)


def _title_length(tokens: list[str]) -> int:
    """How many leading tokens are a title: through the last title word a given name follows
    (``Stephen King`` and ``Martin Luther King Jr.`` have none)."""
    length = 0
    for index, token in enumerate(tokens[:-1]):
        if token in _TITLES and any(_is_given_name(t) for t in tokens[index + 1 :]):
            length = index + 1
    return length


def _is_given_name(word: str) -> bool:
    return _is_name_word(word) and word not in _NAME_SUFFIXES


def _is_name_word(word: str) -> bool:
    return (
        word.lower() not in _PARTICLES
        and (word in _NAME_SUFFIXES or _INITIAL.fullmatch(word) is None)
        and any(c.isupper() for c in word)
    )


# --- The document's names --------------------------------------------------------------------


@dataclass(frozen=True)
class _Mention:
    name: str
    role: str | None
    title: str | None


def _mentions(paragraphs: list[list[_Framed]]) -> Iterator[_Mention]:
    """Every named speaker, and every ``Full Name, the role,`` anywhere in the document."""
    for paragraph in paragraphs:
        person = _opening_person(paragraph)
        if person is not None:
            yield person
        for sentence in paragraph:
            speaker = sentence.speaker
            if speaker is not None and speaker.name is not None:
                yield _Mention(speaker.name, speaker.role, speaker.title)
            yield from _appositives(sentence.text, sentence.frame)


def _appositives(text: str, frame: str) -> Iterator[_Mention]:
    if frame.count(",") < 1:
        return
    for clause_start, clause_end in _clauses(frame):
        final = clause_end == len(frame)  # the sentence ends the last phrase, as a comma would
        end = _without_final_stop(frame, clause_start, clause_end) if final else clause_end
        segments = _comma_segments(frame, clause_start, end)
        # The last segment closes an appositive only where the sentence ends: "Among those
        # waiting was Paul Adebayo, 27." or "… was Kevin Tran, a parent of two at the school."
        closing = segments[1:] if final else segments[1:-1]
        for index, (before, role) in enumerate(zip(segments, closing, strict=False)):
            if not role or not before:
                continue
            age = _is_age(text, role)  # "Ingrid Solberg, 63,"
            if not age and not _may_be_role(text, role, last=role is segments[-1]):
                continue
            named = _trailing_name(text, before) or (
                _after_preposition(text, before) if age else None
            )
            if not named or not named.name or len(named.name.split()) < 2 or len(role) > 25:
                continue
            if age:  # "Lucy Barnard, 29, a primary school teacher …,": the role after the age
                after = closing[index + 1] if index + 1 < len(closing) else None
                role = after if after and _may_be_role(text, after, after is segments[-1]) else []
            yield _Mention(named.name, _phrase(text, role) if role else None, named.title)
        # "The Rovers manager, Declan Fairhurst, admitted …": the role, then the name
        for role, between in zip(segments, segments[1:-1], strict=False):
            role = _role_ending(text, role)
            if not role or not between:
                continue
            named = _leading_name(text, between)
            whole = _whole_name(text, between)
            if named and named.name and whole and len(named.name.split()) >= 2:
                described = _phrase(text, role)
                if _PERSON_WORD.search(described.lower()) or _one_person(described):
                    yield _Mention(named.name, _lower_article(described), named.title)


_KIN = (
    "son daughter wife husband widow widower mother father brother sister grandson"
    " granddaughter grandfather grandmother nephew niece cousin partner fiancé fiancée"
)
"""Words for a relative, each a role of one person ("his daughter, Morwenna Keast,")."""


def _role_ending(text: str, words: list[Span]) -> list[Span]:
    """The words of a segment that can be a role set before a name: the whole segment when it
    opens with an article or a possessive ("The Rovers manager", "Wrenfield’s manager", "His
    daughter"), else its end after a link ("Among those … is his granddaughter"); none when
    that is longer than a role."""
    for start, word in enumerate(words):
        first = text[word[0] : word[1]].lower()
        opens = first in _ROLE_OPENERS or (first.endswith(("’s", "'s")) and first[0].isalpha())
        linked = start == 0 or text[words[start - 1][0] : words[start - 1][1]].lower() in _LINKS
        if opens and linked:
            ending = words[start:]
            return ending if len(ending) <= 8 else []
    return []


_ROLE_OPENERS = frozenset("a an the his her their its our".split())
_LINKS = frozenset("is was are were including as by with among".split())


_PERSON_WORD = re.compile(
    r"\b(?:manager|chief|director|leader|head|chairman|chairwoman|chair|captain|coach|officer"
    r"|spokesman|spokeswoman|spokesperson|secretary|minister|mayor|president|executive"
    r"|founder|owner|editor|researcher|scientist|professor|lecturer|judge|lawyer|master"
    r"|inspector|superintendent|commissioner|governor|senator|official|analyst|economist"
    r"|teacher|doctor|nurse|neighbour|friend|colleague|" + "|".join(_KIN.split()) + r")\b"
)
"""Words that make a phrase before a name its role ("The Rovers manager, Declan Fairhurst,")."""


def _clauses(frame: str) -> Iterator[Span]:
    start = 0
    for found in _CLAUSE_BREAK.finditer(frame):
        yield start, found.start()
        start = found.end()
    yield start, len(frame)


def _aliases(name: str) -> list[str]:
    """The shorter forms a later mention may use: surname, first name and surname."""
    core = [t for t in name.split() if t not in _NAME_SUFFIXES]
    if len(core) < 2:
        return [name]
    return [name, core[-1], f"{core[0]} {core[-1]}"]


@dataclass(frozen=True)
class _Registry:
    """Maps every form of a name the document uses to its fullest form and that person's role."""

    fullest: dict[str, str]
    roles: dict[str, str]
    shared: dict[str, tuple[str, ...]]
    """A short form several people's full names share ("Chen": Maria Chen and Robert Chen),
    with those names in the order the document first gives them."""
    titles: dict[str, frozenset[str]]
    """The titles the document gives each full name ("Councillor" of Anita Shah)."""

    @classmethod
    def build(cls, mentions: Iterator[_Mention]) -> _Registry:
        seen = list(mentions)
        fullest: dict[str, str] = {}
        owners: dict[str, list[str]] = {}
        for mention in seen:
            for alias in _aliases(mention.name):
                known = fullest.get(alias)
                if known is None or len(mention.name.split()) > len(known.split()):
                    fullest[alias] = mention.name
                if alias != mention.name:
                    names = owners.setdefault(alias, [])
                    if mention.name not in names:
                        names.append(mention.name)
        people = {
            a: tuple(dict.fromkeys(fullest.get(n, n) for n in ns)) for a, ns in owners.items()
        }
        shared = {alias: names for alias, names in people.items() if len(names) > 1}
        roles: dict[str, str] = {}
        for mention in _role_first(seen):
            label = mention.role or _title_as_role(mention.title)
            if label and mention.name not in shared:  # "Mr Pires, the director": which Pires?
                roles.setdefault(fullest.get(mention.name, mention.name), label)
        titles: dict[str, set[str]] = {}
        for mention in seen:
            if mention.title and mention.name not in shared:  # "Mr Shah": which Shah is open
                titles.setdefault(fullest.get(mention.name, mention.name), set()).add(mention.title)
        return cls(fullest, roles, shared, {k: frozenset(v) for k, v in titles.items()})

    def lookup(self, name: str) -> tuple[str, str | None]:
        full = self.fullest.get(name, name)
        return full, self.roles.get(full)


def _role_first(mentions: Sequence[_Mention]) -> list[_Mention]:
    """Mentions with an appositive role before those with only a title: "the assistant director
    of ..." says more than "Dr."."""
    return [m for m in mentions if m.role] + [m for m in mentions if not m.role]


def is_title(word: str) -> bool:
    """Whether a word written before a name is a title ("Judge", "Prof", "Gen."), not a given
    name."""
    return word in _TITLES or word.rstrip(".") in ABBREVIATED_TITLES


def _title_as_role(title: str | None) -> str | None:
    """A title is a role, spelled out, unless it is only a courtesy or an honorific: "Gov." is
    ("Governor"), "Mr." and "Dr" are not."""
    if title is None:
        return None
    tokens = title.split()
    if tokens[0] in _COURTESY_TITLES:
        tokens = tokens[1:]
    spelled = [_SPELLED_OUT_TITLES.get(t.rstrip("."), t) for t in tokens if t not in _HONORIFICS]
    return " ".join(spelled) or None


def _title_key(title: str) -> str:
    """A title as compared with another: "Capt" is "Captain", "Dr." is "Dr"."""
    return " ".join(_SPELLED_OUT_TITLES.get(t.rstrip("."), t.rstrip(".")) for t in title.split())


def _is_person(name: str, title: str | None) -> bool:
    """Whether "he" or "she" can refer back to this speaker: "Democrats said", "Acme Inc.
    said" and "Brackenridge Water said" name no person, "Mr. Hassan said" and "Rosa Díaz said"
    do."""
    tokens = name.split()
    if tokens[-1] in _COMPANY_SUFFIXES:
        return False
    if title is None and tokens[-1] in _ORGANISATION_WORDS:
        return tokens[0].lower() in FIRST_NAMES
    return len(tokens) >= 2 or title is not None


_PROPER_TAIL = re.compile(r"(?:[A-Z][\w&’'-]*\s+)*[A-Z][\w&’'-]*$")


def _organisation(attribution: Attribution, title: str | None) -> str | None:
    """The organisation an attribution quotes, if it is one: a speaker named without a given
    name or title ("Halvern Therapeutics", "Rail Users Forum"), or the name ending a group's
    description ("The charity Asthma Action Trust"); None for a person or a description of
    one ("a spokeswoman for the utility")."""
    if attribution.speaker is not None:
        name = attribution.speaker
        last = name.split()[-1]
        named_so = last in _ORGANISATION_WORDS or last in _COMPANY_SUFFIXES
        return name if title is None and named_so else None
    role = attribution.role or ""
    if not role or role.split()[0].lower() in ("a", "an", "one", "another") or _one_person(role):
        return None
    found = _PROPER_TAIL.search(role)
    if found is None:
        return None
    name = found.group()
    return "the" + name[3:] if name.startswith("The ") else name  # "the Finance Workers' Union"


def _one_person(role: str | None) -> bool:
    """Whether a description is of one person ("an engineer at the works", "the spokeswoman
    for the utility"), whom "he" or "she" can refer to in later paragraphs; not a group, a
    text or a company ("the company", "a postal company")."""
    words = (role or "").lower().split()[:6]
    return (
        len(words) >= 2
        and (words[0] in _ONE_OPENERS or words[0].endswith(("’s", "'s")))
        and any(w in _ONE_OF_PERSON_NOUNS for w in words[1:])
    )


_THE_AGED = re.compile(r"[Tt]he\s+\d{1,3}-year-old(?:\s+[a-z]+)?")
"""A person named just before, referred to by age ("the 31-year-old", "the 72-year-old
supporter")."""
_TRADES = frozenset(
    "baker butcher grocer shopkeeper publican landlady farmer fisherman builder plumber"
    " electrician mechanic hairdresser barber nurse teacher driver chef cook waiter waitress"
    " cleaner carer vet pharmacist dentist surgeon paramedic firefighter pensioner retiree"
    " student pupil trader stallholder resident florist jeweller joiner gardener shepherd"
    " midwife postman postwoman lifeguard coastguard".split()
)
"""Words for what someone does that news puts bare before a name ("baker Tomasz Wierzbicki")."""
_ONE_OPENERS = frozenset("a an one the his her their".split())
"""What opens a description of one person ("a nurse", "his daughter")."""
_ONE_OF_PERSON_NOUNS = (
    frozenset(
        w for w in _PERSON_NOUNS if not w.endswith("s") and w not in ("people", "police", "staff")
    )
    | frozenset(_DESCRIBED_PRONOUNS)
    | frozenset(
        "engineer witness driver neighbour judge magistrate coroner detective constable manager"
        " captain coach referee player winger striker defender midfielder goalkeeper lecturer"
        " head master tenant patient student pupil"
        " passenger customer farmer landlord victim volunteer campaigner pensioner actor actress"
        " playwright singer musician artist novelist poet composer dancer conductor".split()
    )
    | frozenset(_KIN.split())
)


def described_pronoun(role: str) -> str | None:
    """ "she" of "his daughter" or "a spokeswoman for …", "he" of "his son"; None when a
    description does not say."""
    words = role.lower().split()[:5]
    return next((_DESCRIBED_PRONOUNS[w] for w in words if w in _DESCRIBED_PRONOUNS), None)


def _key(person: Attribution) -> str:
    return person.speaker or person.role or ""


class _Resolver:
    """Turns speech-tag subjects into attributions, in document order (pronouns need that)."""

    def __init__(self, registry: _Registry, author: str | None = None) -> None:
        self._registry = registry
        self._author = author
        self._last_person: Attribution | None = None
        """The last person the text named or described as one ("an engineer at the works")."""
        self._last_any: Attribution | None = None
        self._last_here: Attribution | None = None
        """The last single speaker of this paragraph: "A nurse said … “…,” she said." """
        self._named = 0
        self._last_of: dict[str, int] = {}
        """When (`_named` then) each full name was last resolved, for a short form several
        names share."""
        self._recent: list[Attribution] = []
        """The people named so far, the latest last, for "he" or "she" to go back to."""
        self._described: list[Attribution] = []
        """People described, not named ("a spokeswoman for the utility"), the latest last, for
        "the spokeswoman" to go back to."""
        self._given_in: dict[str, Attribution] = {}
        self._also: dict[str, str] = {}
        """A second description of a named person ("The lead researcher"), for "the researcher"."""
        """Who last said something in a statement, a letter …, for "the statement said"."""
        self._pronoun_of: dict[str, str] = {}
        """ "he" or "she", as the text has referred to a person (or titled them: "Mr")."""
        self._named_as: dict[str, Attribution] = {}
        """A person named after the text described them ("said the former board member, Gloria
        Hennessey"): the earlier description, by full name."""
        self.renamed: dict[Attribution, Attribution] = {}
        """What the described person's statements become, once the text names them."""
        self._paragraphs = 0
        self._organisation: tuple[str, int] | None = None
        """The organisation last quoted ("Halvern Therapeutics said …"), and in which paragraph
        (`_paragraphs` then): whose "Its chief medical officer" the next speaker is."""
        self._owned: dict[str, str] = {}
        """A role given as "its …", written with its owner's name, by full name."""
        self._person_in = -2
        """The paragraph (`_paragraphs` then) in which `_last_person` was last set."""

    def new_paragraph(self, subject: _Speaker | None = None) -> None:
        """A new paragraph, which may open with a known person as its subject: a "he" or "she"
        in it means them."""
        self._last_here = None
        self._paragraphs += 1
        if subject is not None and subject.name is not None:
            if subject.name in self._registry.fullest or subject.name in self._registry.shared:
                full, role = self._registry.lookup(self._meant(subject))
                if _is_person(full, subject.title):
                    self._last_here = Attribution(full, role or _title_as_role(subject.title))
                    self._named_now(self._last_here, subject.title)

    def narrated(self, sentence: _Framed) -> None:
        """A sentence of narration that introduces one person, by name and age or a role set
        off by commas ("Among those waiting was Paul Adebayo, 27.", "The tenant, Anna
        Kowalczyk, 34, who …, wept"): the "he" or "she" of a speech tag after it means them."""
        people = {
            self._registry.lookup(mention.name)[0]: mention.role
            for mention in _appositives(sentence.text, sentence.frame)
            if (mention.role is None or _one_person(mention.role))
            and _is_person(mention.name, mention.title)
        } | {  # "…, the Derbyshire sheep farmer Ewan Maclachlan, blocked …"
            self._registry.lookup(found["name"])[0]: _label_role(found["label"])
            for found in _LABELLED.finditer(sentence.frame)
            if (
                found["noun"] in _TRADES  # "Across the river, baker Tomasz Wierzbicki was …"
                or found["noun"] in _ONE_OF_PERSON_NOUNS
                # "the club’s doctor Ann Ruiz", or opening the sentence: "Committee chair Brian
                # Lowther, an independent, abstained."
                and (found["label"].split()[0].lower() in ("the", "a", "an") or not found.start())
            )
            and _is_person(found["name"], None)
        }
        if len(people) != 1:
            return
        ((full, label),) = people.items()
        named = {
            self._registry.fullest[w]
            for w in re.findall(r"[A-Z][\w’'-]+", sentence.frame)
            if w in self._registry.fullest
        }
        if named - {full} and not sentence.frame.lstrip(" “\"").startswith(full):
            # "Thackeray … is working from a version by the playwright Maeve Costigan"; but
            # "Margaret Ellery, 81, … read her statement while Pellow looked at the floor"
            return
        known = self._registry.roles.get(full)
        if known and label and label.lower() not in known.lower():
            known = f"{label}, {known}"  # "Committee chair Brian Lowther, an independent,"
        person = Attribution(full, known or label)
        self._spoken_of(person)
        self._named_now(person, None)

    def _spoken_of(self, person: Attribution) -> None:
        """``person`` is now the one "he" or "she" most likely means, here and after."""
        self._last_person = self._last_here = person
        self._person_in = self._paragraphs

    def _just_named(self) -> Attribution | None:
        """The last person spoken of, if in this paragraph or the one before (one named further
        back is too often not the one a description means)."""
        return self._last_person if self._person_in >= self._paragraphs - 1 else None

    def resolve(self, speaker: _Speaker) -> Attribution | None:
        """Who a found speaker is: a pronoun read as the person it refers back to, a description
        as the one it described before, a name as the full name with its role; the state that
        later paragraphs refer back to is updated. None when a pronoun refers to no one."""
        if speaker.pronoun == "they":
            # "They" continues a group ("officials ... they said"), never one named person.
            last = self._last_any
            return last if last is not None and last.speaker is None else None
        if speaker.pronoun == "i":  # "I wrote in this space that …": the columnist
            return None if self._author is None else Attribution(self._author, None)
        if speaker.pronoun is not None:
            meant = self._referred_to(speaker.pronoun)
            if meant is not None and meant == self._last_person:
                self._person_in = self._paragraphs  # "she said": still the one spoken of
            return meant
        if speaker.name is None:
            attribution = self._described_speaker(speaker.role)
        else:
            attribution = self._named_speaker(speaker)
        if speaker.written_in is not None:
            self._given_in[speaker.written_in.replace("-", "")] = attribution
        self._last_any = attribution
        organisation = _organisation(attribution, speaker.title)
        if organisation is not None:
            self._organisation = (organisation, self._paragraphs)
        return attribution

    def _described_speaker(self, role: str | None) -> Attribution:
        """A speaker described, not named ("a nurse", "the official"): the one described so
        before, or someone new, remembered when the words mean one person."""
        attribution = self._referred_back(role) or Attribution(None, role)
        if _ONE_PERSON.match(role or ""):
            self._last_here = attribution  # "a nurse said … “…,” she said."
        if _one_person(attribution.role):  # in later paragraphs too
            self._spoken_of(attribution)
            self._named_now(attribution, None)
            self._described.append(attribution)
        return attribution

    def _named_speaker(self, speaker: _Speaker) -> Attribution:
        """A speaker named: the full name the document gives them, with the role it gives them
        here, earlier, through their organisation, or when it described them before naming
        them."""
        full, known_role = self._registry.lookup(self._meant(speaker))
        if speaker.also:
            self._also[full] = speaker.also
        self._named += 1
        self._last_of[full] = self._named
        owned = self._owner_named(speaker.role)
        if owned is not None:  # "Its chief executive, Colin Ashbury," of Sierra Ridge Electric
            self._owned[full] = owned
        role = owned or speaker.role or self._owned.get(full) or known_role
        role = role or _title_as_role(speaker.title)
        earlier = self._referred_back(speaker.role) if speaker.role else None
        if earlier is not None and earlier.speaker is None and full not in self._named_as:
            # "A former member of the board … said" and later "said the former board
            # member, Gloria Hennessey": one person, now named, described as first
            self._named_as[full] = earlier
            self._described = [d for d in self._described if d != earlier]
        if full in self._named_as:
            role = _lower_article(self._named_as[full].role) or role
        attribution = Attribution(full, role)
        if full in self._named_as:
            self.renamed[self._named_as[full]] = attribution
        if _is_person(full, speaker.title):
            self._spoken_of(attribution)
            self._named_now(attribution, speaker.title)
        return attribution

    def _owner_named(self, role: str | None) -> str | None:
        """ "Its chief executive" as "Sierra Ridge Electric’s chief executive", the organisation
        quoted last in this paragraph or the one before; None for any other role, or when no
        organisation was quoted so near."""
        if not role or role.split(" ", 1)[0] not in ("its", "Its") or " " not in role:
            return None
        if self._organisation is None or self._organisation[1] < self._paragraphs - 1:
            return None
        owner = self._organisation[0]
        return f"{owner}{'’' if owner.endswith('s') else '’s'} {role.split(' ', 1)[1]}"

    def _referred_back(self, role: str | None) -> Attribution | None:
        """Whom a definite description means: "the statement" the one who said something in a
        statement; "the spokeswoman" the spokeswoman described last ("a spokeswoman for the
        utility")."""
        given = _GIVEN_BACK.fullmatch(role or "")
        if given is not None:
            return self._given_in.get(given["text"].replace("-", ""))
        if _THE_AGED.fullmatch(role or ""):  # "Okafor … said …. “…,” the 31-year-old said."
            # the paragraph's own person, or one named in the paragraph before; else no one
            # (a person named further back is too often not the one meant)
            last = self._last_here or self._just_named()
            return last if last is not None and last.speaker is not None else None
        words = (role or "").lower().split()
        if len(words) < 2 or words[0] not in ("the", "his", "her", "their"):
            return None  # "the spokeswoman", "his daughter"
        head = next((w for w in words[1:4] if w in _ONE_OF_PERSON_NOUNS), None)
        if head is None:
            return None
        for earlier in reversed(self._described):
            if head in (earlier.role or "").lower().split()[:6]:
                return earlier
        here = self._last_here
        if len(words) == 2 and here is not None and here.speaker is None and _one_person(here.role):
            # "One committee member, who asked not to be named, said …. “…,” the councillor
            # said.": the paragraph's unnamed speaker, not a councillor named further back
            return here
        if head == "official" and len(words) == 2 and self._described:
            # "WFP’s deputy director of emergencies told a briefing …" then "The official,
            # Corinne Vasseur, said": the one described last, whatever their post
            return self._described[-1]
        last = self._just_named()
        if len(words) == 2 and last is not None and last.speaker is not None and last.role is None:
            # "… Marchbanks told me." then "The actor, who last appeared …, said": the person
            # just named, whom the text had given no role that could say otherwise
            return last
        for person in reversed(self._recent):  # "the judge" of Judge Alastair Penhaligon
            titles = self._registry.titles.get(person.speaker or "", frozenset())
            also = self._also.get(person.speaker or "", "")
            known = " ".join([person.role or "", also, *map(_title_key, titles)]).lower().split()
            if person.speaker is not None and head in known:
                return person
        return None

    def _named_now(self, person: Attribution, title: str | None) -> None:
        self._recent = [p for p in self._recent if p != person][-(_RECENT_PEOPLE - 1) :]
        self._recent.append(person)
        pronoun = _COURTESY_PRONOUNS.get(title or "")
        if pronoun is None and person.speaker is None and person.role:
            pronoun = described_pronoun(person.role)  # "a spokeswoman for …"
        if pronoun is not None:
            self._pronoun_of.setdefault(_key(person), pronoun)

    def _referred_to(self, pronoun: str) -> Attribution | None:
        """Whom "he" or "she" means: the paragraph's own speaker or the last one named, as
        before, unless the text has called them the other; then the latest person named whom
        it may mean ("“…,” he told councillors" after the councillor's "she said")."""
        first = self._last_here or self._last_person
        candidates = [first] if first is not None else []
        candidates += reversed(self._recent)
        for person in candidates:
            if person is None:
                continue
            known = self._pronoun_of.get(_key(person))
            if known is None or known == pronoun:
                self._pronoun_of.setdefault(_key(person), pronoun)
                return person
        return first

    def _meant(self, speaker: _Speaker) -> str:
        """The full name a short one stands for when several people share it ("Chen" of Maria
        and Robert Chen): the one whose role or title holds the title it is given ("Councillor
        Chen"); else, of those a courtesy title may mean ("Mr Shah" is not the Shah called
        "she"), the one the document named last, else the first it named."""
        assert speaker.name is not None
        names = self._registry.shared.get(speaker.name)
        if not names:
            return speaker.name
        if speaker.title and speaker.title not in _COURTESY_TITLES:
            title, key = _title_as_role(speaker.title), _title_key(speaker.title)
            fitting = [
                n
                for n in names
                if (title and title.lower() in (self._registry.roles.get(n) or "").lower())
                or key in map(_title_key, self._registry.titles.get(n, ()))
            ]
            if len(fitting) == 1:
                return fitting[0]
        pronoun = _COURTESY_PRONOUNS.get(speaker.title or "")
        if pronoun is not None:  # "Mr Shah": not the Shah the text calls "she"
            names = tuple(n for n in names if self._pronoun_of.get(n, pronoun) == pronoun) or names
        named = [n for n in names if n in self._last_of]
        return max(named, key=self._last_of.__getitem__) if named else names[0]
