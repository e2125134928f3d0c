"""Common first names and place names, for reading names typed in lower case.

A question typed all in lower case ("what did eric holder say") has no capitals to tell its
names apart, so the gate would weigh "eric holder" as two ordinary words and quote whatever
shares the rest of the question. These lists let `gate.question_names` find such a name, and
so let the gate say plainly that no document mentions it. Words that are also everyday English
("will", "mark", "grant", "may", "frank", "rose", "jack", "amber", "christian", "turkey") are
left out, so that a question's ordinary words are never read as a name.
"""

from __future__ import annotations

FIRST_NAMES = frozenset(
    """
    aaron adam adrian ahmed aisha alan albert alex alexander alexandra alfred alice alicia
    allison amanda amelia amy andrea andrew angela anna anne annie anthony antonio
    arthur ashley barbara benjamin bernard beth betty beverly brandon brenda brian brittany
    bruce bryan carl carlos caroline catherine charles charlotte cheryl chris
    christina christine christopher cindy claire clara craig cynthia daniel danielle david
    deborah debra denise dennis diana diane donald donna dorothy douglas dylan edward elena
    elizabeth ellen emily emma eric erica erin ethan eugene evelyn francis fred frederick
    gabriel gary george gerald gloria gordon gregory hannah harold helen henry
    howard ian isaac jacob james jamie janet janice jason jeffrey jennifer jeremy
    jerome jerry jessica joan joe joel john jonathan jordan jose joseph joshua joyce juan
    judith judy julia julie justin karen katherine kathleen kathryn kathy keith kelly kenneth
    kevin kimberly kyle larry laura lauren lawrence linda lisa louis louise lucas luis madison
    margaret maria marie marilyn mario martha martin mary matthew megan melissa michael
    michelle mohammed muhammad nancy natalie nathan nicholas nicole noah olivia pamela
    patricia patrick paul peter philip phillip rachel ralph randy raymond rebecca richard
    robert roger ronald russell ruth ryan samantha samuel sandra sara sarah scott sean
    sharon shirley sophia stephanie stephen steven susan teresa theresa thomas timothy tyler
    victoria vincent virginia walter wayne william zachary
    """.split()
)
"""Common first names that are not also everyday English words."""

PLACES = frozenset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon
    pennsylvania tennessee texas utah vermont washington wisconsin wyoming
    afghanistan albania algeria argentina armenia australia austria bangladesh belgium bolivia
    brazil bulgaria cambodia cameroon canada chile china colombia croatia cuba denmark ecuador
    egypt england ethiopia finland france germany ghana greece guatemala haiti honduras
    hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kenya
    korea lebanon libya malaysia mexico morocco nepal netherlands nicaragua nigeria norway
    pakistan panama peru philippines poland portugal romania russia scotland serbia singapore
    somalia spain sudan sweden switzerland syria taiwan thailand tunisia uganda ukraine
    venezuela vietnam wales yemen zimbabwe
    atlanta baltimore beijing berlin boston chicago dallas denver detroit houston london
    madrid miami moscow paris philadelphia phoenix pittsburgh seattle sydney tokyo toronto
    """.split()
)
"""US states, countries and large cities whose names are not everyday English words."""
