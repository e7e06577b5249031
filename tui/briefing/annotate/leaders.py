"""Leaders: named holders of political office, found by their title, then by name alone.

1. A title with the name after it: "[former] [Polish|New Zealand|Japan's] President
   [Sheikh] Andrzej Duda", "Prime Minister of Japan Fumio Kishida".
2. A name with the title after it: "Andrzej Duda, the Polish president," / "Fumio Kishida,
   Japan's prime minister".
3. Every later mention of the name, in full or by one of its words ("Duda", "Xi"), joins
   the same entity; a short entity ("President Duda") merges into a fuller one ("Andrzej Duda").

Not leaders (the annotation guide): spokespeople, analysts, ambassadors, officers, central
bank governors, heads of companies and of international organisations. Their titles are
not in ``OFFICES``; an office after an organisation's word ("European Commission
President", "Bank of Japan Governor") is not political office; "Deputy"/"Vice" ministers
are not ministers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from briefing.annotate.gazetteer import PlaceGazetteer, default_gazetteer, demonyms
from briefing.annotate.model import Hit
from briefing.annotate.places import ORG_WORDS
from briefing.annotate.words import (
    CALENDAR_WORDS, FUNCTION_WORDS, PARTICLES, ROMAN, WORD_RE, at_sentence_start, is_cap, name_words,
    take_name, word_before,
)

_PORTFOLIO = (
    r"Foreign|Defen[cs]e|Finance|Interior|Home|Trade|Economy|Economic|Energy|Health|Justice|"
    r"Education|Agriculture|Transport|Environment|Labou?r|Industry|Culture|Tourism|Security|"
    r"Commerce|Development|Information|Communications|Digital|Climate|Oil|Petroleum|Mining|Mines|"
    r"Water|Housing|Treasury|Immigration|Fisheries|Science|Technology|Sports?|Youth|Women|Social|"
    r"Welfare|Planning|Investment|European|Cabinet|Public|Internal|External|Infrastructure|"
    r"National|Affairs|Taxation|Budget|Revenue|Veterans|Homeland|Business|State|Chief|Cabinet|First|and|&"
)
_MINISTRY = _PORTFOLIO.replace("|and|&", "") + (
    r"|Defense|International|Relations|Cooperation|Resources|Works|Lands|Affairs|Natural|Global|Northern|"
    r"Indigenous|Citizenship|Employment|Families|Children|Heritage|Intergovernmental|Emergency|Preparedness|"
    r"Innovation|Small|Rural|Urban|Regional|Local|Government|Food|Oceans?|Marine|Maritime|Aviation|Railways|"
    r"Power|Electricity|Arts|Overseas|Nuclear|Space|Disaster|Management|Forests?|Forestry|Land|Territories|"
    r"Reconciliation|Human|Rights|Solidarity|Equality|Gender|Ecology|Ecological|Transition|Armed|Forces|"
    r"Sustainable|Reform|Administration|Parliamentary|Legal|Religious|Diaspora|Unification|Strategy|"
    r"Entrepreneurship|Innovation|Sciences?|Research|Higher|Universities|Wellbeing|Care|Services|Pensions|"
    r"Skills|Levelling|Communities|Net|Zero|Trade|Europe|Asia|Africa|Americas|Pacific|Middle|East|Manpower|Labor|Fiscal|Statistics")
# Office titles (capitalised, before a name). Plural forms let "Prime Ministers A and B" through.
OFFICE_RE = re.compile(
    r"(?=[A-Zlcpfditehvksrg])(?P<office>"
    r"(?:Deputy\s)?Prime\sMinisters?|Deputy\sPresident|"
    # any ministry's words before "Minister(s)", "ministers" after capitalised ones: "Climate Change
    # Minister X", "International Development and Pacific Minister X", "Finance ministers A and B"
    # (the lookahead first: words then "inister", far cheaper than the ministries' alternation)
    r"(?=(?:[A-Z&a][\w&]*\s){1,4}[Mm]inister)(?:(?:" + _MINISTRY + r"|Change|and|&)\s){1,4}(?:Ministers?|ministers(?=\s[A-Z]))|"
    r"Minister\s(?:of|for)\s(?:the\s)?(?:" + _MINISTRY + r")(?:\s(?:and\s|&\s)?(?:" + _MINISTRY + r")){0,3}|"
    r"Chancellor\sof\sthe\sExchequer|PM|"
    r"(?:(?:" + _PORTFOLIO + r")\s){1,2}Secretary|Secretary\sof\s(?:State|Defen[cs]e|the\sTreasury|Homeland\sSecurity|[A-Z]\w+)|"
    r"Chief\sCabinet\sSecretary|Cabinet\sSecretary|"
    r"Vice[\s\-]President|President|Presidents|Vice\sPremier|Premier|Chancellor|"
    r"Crown\sPrince|King|Queen|Emir|Amir|Sultan|Emperor|Supreme\sLeader|Taoiseach|First\sMinister|Pope|Chief\sAdviser|Governor|Gov\.|"
    r"(?<=[\w.]\s)(?P<lower>prime\sministers?|presidents?|vice[\s\-]president|(?:regional\s|provincial\s|state\s)?governor|chief\sminister|(?:foreign|defen[cs]e|finance|interior|trade|economy|energy|home)\s(?:minister|secretary)|chancellor|premier|king|emir|sultan)|"
    r"Secretary|"
    r"(?<=[a-z]\s)leader|(?<=[a-z]\s)counterpart"
    r")(?P<elect>-elect|-designate)?\s"
)
# The same offices in lower case, after a name ("Andrzej Duda, the Polish president,").
APPOSITION_RE = re.compile(
    r",\s(?:the\s|an?\s|who\sis\s(?:the\s)?|who\swas\s(?:the\s)?)?(?:(?P<poss>[A-Z][\w.\-]*(?:\s[A-Z][\w.\-]*){0,2}|country|nation|kingdom|state)['’]s\s|(?P<adj>[A-Z][\w.\-]*(?:\s[A-Z][\w.\-]*)?)\s)?"
    r"(?:(?:former|then|acting|interim|new|current|incoming|outgoing)\s)?"
    r"(?P<office>prime\sminister|president|vice[\s\-]president|chancellor|premier|king|queen|emir|sultan|"
    r"crown\sprince|head\sof\s(?:state|government)|(?:military|junta|transitional|interim)\s(?:leader|ruler|president)|"
    r"(?:(?:foreign|defen[cs]e|finance|interior|trade|economy|energy|health|justice|"
    r"home|treasury)\s)(?:minister|secretary)|secretary\sof\sstate|governor)"
    r"(?:\sof\s(?:the\s)?(?P<of>[A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,2}))?(?=[,.;)]|\sand\s|\swho\s|\s[a-z])"
)
# A capitalised office after a name, as press releases write it: "Anita Anand, Minister of Foreign
# Affairs,", "Wab Kinew, Premier of Manitoba", "Mark Carney, Prime Minister of Canada".
CAP_APPOSITION_RE = re.compile(
    r",\s(?:the\s)?(?P<office>Prime\sMinister|Premier|President|Chancellor|First\sMinister|Governor|"
    r"Minister\s(?:of|for)\s(?:the\s)?(?:" + _MINISTRY + r")(?:\s(?:and\s|&\s)?(?:" + _MINISTRY + r")){0,3}|"
    r"(?:(?:" + _PORTFOLIO + r")\s){1,3}(?:Minister|Secretary))"
    r"(?:\sof\s(?:the\s)?(?P<of>[A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,2}))?(?=[,.;)]|\sand\s|\s[a-z]|$)", re.M)
# Offices named by a description, leaders only with their country ("Niger's head of state").
_DESCRIBED_RE = re.compile(r"(?i)head\s|military\s|junta\s|transitional\s|interim\s")
# The learned names' automaton, built once per Learned table (the CLI drafts many texts with one).
_LEARNED_AUTOMATA: dict[int, tuple] = {}
# "the prime minister, Keir Starmer,", "The Foreign Secretary, Yvette Cooper,", "the Taoiseach, Micheál
# Martin,", "Peru's acting president, José Jerí,", "the country's president, X,": the office in either case.
THE_OFFICE_RE = re.compile(
    r"(?:\b[Tt]he\s|\b(?P<pron>[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s|\b(?:[Tt]wo|[Bb]oth)\s(?:other\s)?|"
    r"\b(?P<poss>[A-Z][\w\-]*(?:\s[A-Z][\w\-]*)?|country|nation|kingdom)(?:['’]s|(?<=s)['’])\s)"
    r"(?:(?P<adj>[A-Z][\w\-.]*(?:\s[A-Z][\w\-]*)?)\s)?"
    r"(?i:(?P<mod>acting|interim|caretaker|new|outgoing|incoming|newly\selected|newly\sappointed|re-elected|elected|current|former)\s)?"
    r"(?i:(?P<office>(?:prime|foreign|defen[cs]e|finance|interior|trade|economy|energy|health|justice)\sministers|presidents|"
    r"prime\sminister|president(?:-elect)?|chancellor|premier|taoiseach|first\sminister|chief\sminister|"
    r"vice[\s\-]president|(?:foreign|defen[cs]e|finance|interior|home|trade|economy|energy|health|justice)\s(?:minister|secretary)|"
    r"secretary\sof\sstate|king|queen|emir|sultan|emperor|crown\sprince|head\sof\s(?:state|government)|"
    r"minister\s(?:of|for)\s(?:the\s)?[a-z]+(?:\s(?:and\s)?[a-z]+){0,3}|counterpart|"
    r"(?:regional\s|provincial\s|state\s)?governor|deputy\spresident|"
    r"(?:(?:" + _MINISTRY + r")\s){1,2}minister|"
    r"(?:military|junta|transitional|interim)\s(?:leader|ruler|president))"
    # the plural, two names: "the foreign ministers of the two countries, A and B,"
    r"(?P<plural>(?<=ministers)|(?<=presidents))?)"
    r"(?(plural)(?:\sof\s(?:the\s(?:two|three)\s(?:countries|nations|states)|both\s(?:countries|nations)))?"
    # "the Governor of Tana River, X,", "the new president of Republika Srpska, X,"
    r"|(?:\sof\s(?:the\s)?(?P<of>[A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,2}))?),\s(?=[A-Z])")
HONORIFICS = frozenset("""Sheikh Sheik Shaikh Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Sir Dame Prince Princess Ayatollah General Gen.
Honourable Honorable Hon Hon. Rt Rt. Right Excellency Senator Sen. Prof Prof.
Captain Capt. Colonel Col. Lieutenant Lt. Major Maj. Brigadier Marshal Field Admiral Adm.
Sayyid Sayed Sheikha Shaykh Alhaji Alhaja Mallam Datuk Dato Dato' Datin Tun Ratu Haji Hajji Mullah Maulana
Imam Pastor Reverend Rev Rev. Bishop Archbishop Cardinal Professor His Her Majesty Highness Royal Excellency""".split())
# Honorifics of two words, skipped as one ("Datuk Seri Anwar Ibrahim", "Tan Sri Muhyiddin Yassin");
# "Tan" alone is a surname ("Manpower Minister Tan See Leng").
HONORIFIC_PAIRS = frozenset(("Tan Sri", "Datuk Seri", "Dato' Sri", "Dato Sri", "Dato' Seri", "Dato Seri", "Puan Sri"))


def skip_honorifics(text: str, pos: int) -> int:
    """Where the name starts after the honorifics at ``pos`` ("Sheikh", "Datuk Seri", "His
    Majesty King"... up to three words; titles are not part of a name, as the guide says)."""
    for _ in range(3):
        pair = re.match(r"(\S+ \S+) ", text[pos:pos + 24])
        if pair and pair.group(1) in HONORIFIC_PAIRS:
            pos += pair.end()
            continue
        hm = WORD_RE.match(text, pos)
        if hm and hm.group() in HONORIFICS and text[hm.end():hm.end() + 1] == " ":
            pos = hm.end() + 1
            continue
        break
    return pos
MODIFIERS = frozenset("""former Former then Then acting Acting interim Interim new New incoming Incoming outgoing Outgoing
caretaker Caretaker current Current late the The Transitional transitional Federal federal newly elected
then- junta military""".split())
# Words before a title that make it a non-leader's ("Vice Foreign Minister", "Deputy Defence Minister").
NOT_LEADER_BEFORE = frozenset("Vice Deputy Assistant Under Junior Shadow Opposition opposition Press Permanent General former-".split())
NOT_LEADER_AFTER = frozenset("spokesman spokeswoman spokesperson adviser advisor aide envoy office".split())
_OF_PLACE_RE = re.compile(r"of\s(?:the\s)?(?P<place>[A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,3}?),?\s(?=[A-Z])")
_DEMONYM_RE = re.compile(r"[A-Z][a-z]+(?:ian|ean|ese|ish|ic|i|an)")
TITLE_WORDS = frozenset("Minister Ministers President Premier Chancellor King Queen Emir Amir Sultan Secretary Governor Gov. Leader Prince Emperor Taoiseach Pope".split())
_ROLE_CANON = {"Gov.": "Governor", "Amir": "Emir", "PM": "Prime Minister"}


@dataclass
class _Leader:
    name: str
    role: str | None = None
    country: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


def _country_of(words: str, gaz: PlaceGazetteer) -> str | None:
    words = words.strip()
    if not words:
        return None
    dem = demonyms().get(words)
    if dem:
        return dem
    place = gaz.forms.get(words)
    return place.name if place is not None else None


def _title_context(text: str, office_start: int, gaz: PlaceGazetteer) -> tuple[bool, str | None]:
    """(is a political office, its country) from the words before the title."""
    country = None
    pos = office_start
    seen_country = False
    for _ in range(4):
        if at_sentence_start(text, pos):
            break
        span = word_before(text, pos)
        if span is None:
            break
        w = text[span[0]:span[1]]
        bare = w.rstrip(".")
        if w in NOT_LEADER_BEFORE or bare in NOT_LEADER_BEFORE:
            return False, None
        if bare in ORG_WORDS and bare not in ("Prime", "Minister", "President"):
            return False, None
        if w.endswith(("'s", "’s")):
            two = word_before(text, span[0])  # "Burkina Faso's", "South Africa's" (not Africa)
            c = (_country_of(text[two[0]:span[1] - 2], gaz) if two is not None else None) or _country_of(w[:-2], gaz)
            if c:
                return True, c
            return (not is_cap(w)), None  # "the bank's governor" is not political
        # one or two words of country or demonym ("New Zealand", "South Korean", "U.S.")
        two = word_before(text, span[0])
        if two is not None and not seen_country:
            c2 = _country_of(text[two[0]:span[1]], gaz)
            if c2:
                return True, c2
        c = _country_of(w, gaz) if not seen_country else None
        if c:
            country, seen_country = c, True
            pos = span[0]
            continue
        if w == "of":  # "Bank of Japan Governor", "Ministry of Defence spokesman"
            prev = word_before(text, span[0])
            if prev is not None and text[prev[0]:prev[1]] in ORG_WORDS:
                return False, None
            break
        if w in MODIFIERS or bare in MODIFIERS:
            pos = span[0]
            continue
        if bare in ("State", "Region", "Province", "Prefecture") and not seen_country:
            # "Lagos State Governor": the place before the word
            place = word_before(text, span[0])
            if place is not None and gaz.forms.get(text[place[0]:place[1]]) is not None:
                return True, text[place[0]:span[1]]
        if _DEMONYM_RE.fullmatch(bare) and bare not in ORG_WORDS and not seen_country:
            return True, None  # a demonym we do not list ("Kurdish", "Catalan")
        if is_cap(w) and w not in FUNCTION_WORDS and not seen_country:
            # "Commission President", "Bundesbank President", "FIFA President": another organisation
            return False, None
        break
    return True, country


def find_leaders(text: str, gazetteer: PlaceGazetteer | None = None, learned: dict | None = None,
                 published=None) -> list[Hit]:
    gaz = gazetteer or default_gazetteer()
    leaders: list[_Leader] = []

    def add(name_span: tuple[int, int], role: str | None, country: str | None) -> None:
        name = text[name_span[0]:name_span[1]]
        leaders.append(_Leader(name, role, country, [name_span]))

    for m in OFFICE_RE.finditer(text):
        if m.start() and text[m.start() - 1].isalnum():
            continue  # inside a word (OFFICE_RE has no leading \b: it scans ~4x faster without)
        office = m.group("office")
        if office in ("leader", "counterpart") or m.group("lower"):
            # a lower-case title is an office only with its country ("Kenyan president William Ruto")
            # or after "former" ("Former president Jacob Zuma")
            ok, country = _title_context(text, m.start(), gaz)
            before = word_before(text, m.start())
            former = m.group("lower") and before is not None and text[before[0]:before[1]] in ("former", "Former")
            if not country and not former:
                continue  # "opposition leader X", "party leader X"
        else:
            ok, country = _title_context(text, m.start(), gaz)
        if not ok:
            continue
        pos = m.end()
        # "Emir of Qatar Sheikh Tamim", "President of Kenya, William Ruto": the office's place
        of = _OF_PLACE_RE.match(text, pos)
        if of is not None:
            place = gaz.forms.get(of.group("place"))
            if place is None:
                continue  # "Governor of the Bank of England": not a place
            country = country or (place.name if place.kind != "city" else None)
            pos = of.end()
        # an honorific between title and name ("Emir Sheikh Tamim")
        pos = skip_honorifics(text, pos)
        span = take_name(text, pos)
        if span is None:
            continue
        first = text[span[0]:span[1]].split()[0]
        if first in NOT_LEADER_AFTER or gaz.forms.get(text[span[0]:span[1]]) is not None \
                or _is_portfolio(text[span[0]:span[1]]) or any(w in ORG_WORDS for w in text[span[0]:span[1]].split()):
            continue  # "President Kenya", "Minister of Foreign Affairs", "Premier League" are not people
        role = _ROLE_CANON.get(office, office) + (m.group("elect") or "")
        if office == "Pope":
            country = country or "Vatican City"
        if role[:1].islower():
            role = " ".join(w.capitalize() for w in role.split())
        if office == "counterpart":
            # "his New Zealand counterpart Christopher Luxon": the office of the leader before
            add(span, _role_before(leaders, m.start()), country)
            continue
        if role.endswith(("Ministers", "Presidents", "ministers")):
            role = role[:-1]
            if role.endswith("minister"):  # "Finance ministers A and B": one "Finance Minister" each
                role = role[:-8] + "Minister"
            # "Prime Ministers Kishida and Luxon"
            add(span, role, country)
            second = _second_name(text, span[1])
            if second:
                add(second, role, country)
            continue
        role = re.sub(r"\s+", " ", role)
        if role.startswith("Minister ") and role.endswith(" "):
            role = role.rstrip()
        add(span, role, country)

    for m in THE_OFFICE_RE.finditer(text):
        # "the prime minister, Keir Starmer," / "the Polish president, Andrzej Duda,"
        pos = m.end()
        pos = skip_honorifics(text, pos)  # "The Prime Minister, Sir Keir Starmer,"
        span = take_name(text, pos)
        second = None
        if span is not None and m.group("plural") is not None:
            second = _second_name(text, span[1])
            if second is None or text[second[1]:second[1] + 1] not in (",", ".", ";"):
                continue
        elif span is None or text[span[1]:span[1] + 1] not in (",", ".", ";"):
            continue
        country = _country_of(m.group("adj"), gaz) if m.group("adj") else None
        if m.group("adj") and country is None:
            continue
        if m.group("poss") in ("country", "nation", "kingdom"):
            pass  # "the country's president, X,": the country is the text's
        elif m.group("poss"):
            country = _country_of(m.group("poss"), gaz)
            if country is None:
                continue  # "the party's president, X"
        if m.group("of"):
            of = _country_of(m.group("of"), gaz)
            if of is None:
                continue  # "the president of the club, X,"
            country = of
        if _is_portfolio(text[span[0]:span[1]]) or (country is None and _DESCRIBED_RE.match(m.group("office"))):
            continue  # "the interim president, X,": of what?
        office = re.sub(r"\s+", " ", m.group("office"))
        if office.lower() == "counterpart":
            # "his Mauritanian counterpart, X,": the office of the leader named before (none: skip)
            role = _role_before(leaders, m.start())
            if role is not None:
                add(span, role, country)
            continue
        role = _title_case(office[:-1] if second is not None else office)
        add(span, role, country)
        if second is not None:
            add(second, role, country)

    for m in APPOSITION_RE.finditer(text):
        # the name just before the comma
        end = m.start()
        start = _name_start_before(text, end)
        if start is None or gaz.forms.get(text[start:end]) is not None:
            continue  # "In neighbouring Bosnia, the new president of X,": a place is not the leader
        country = None
        if m.group("poss") in ("country", "nation", "kingdom", "state"):
            country = None
        elif m.group("poss"):
            country = _country_of(m.group("poss"), gaz)
            if country is None:
                continue  # "the bank's governor"
        elif m.group("adj"):
            country = _country_of(m.group("adj"), gaz)
            if country is None:
                continue  # "Kishida, the LDP president"
        if m.group("of"):
            country = _country_of(m.group("of"), gaz) or country
            if country is None:
                continue  # "the president of the company"
        office = m.group("office").replace("\n", " ")
        if country is None and _DESCRIBED_RE.match(office):
            continue  # "X, the interim president,": of what?
        add((start, end), _title_case(office), country)

    for m in CAP_APPOSITION_RE.finditer(text):
        office = re.sub(r"\s+", " ", m.group("office"))
        country = None
        if m.group("of"):
            country = _country_of(m.group("of"), gaz)
            if country is None:
                continue  # "President of the Chamber of Commerce"
        elif not re.search(r"Minister|Secretary", office):
            continue  # "Jane Doe, President and CEO": a president of what?
        start = _name_start_before(text, m.start())
        if start is None or _is_portfolio(text[start:m.start()]):
            continue
        add((start, m.start()), office, country)

    for start, end, (name, role, country, left) in _known_hits(text):
        if left and published is not None and published.year > left and not _said_to_have_held(text, start):
            continue  # out of office then, and not named with the office
        if _NOT_IN_OFFICE_BEFORE_RE.search(text, max(0, start - 24), start):
            continue  # "opposition leader Lee Jae-myung": not (yet) in office
        leaders.append(_Leader(name, role, country, [(start, end)]))

    if learned:
        from briefing.annotate.gazetteer import build_automaton, find_words

        automaton = _LEARNED_AUTOMATA.get(id(learned))
        if automaton is None or automaton[0] is not learned:
            automaton = _LEARNED_AUTOMATA[id(learned)] = (learned, build_automaton(learned))
        for start, end, info in find_words(automaton[1], text):
            leaders.append(_Leader(info["name"], info.get("role"), info.get("country"), [(start, end)]))

    return _resolve(text, leaders, gaz)


_PLURAL_REST_RE = re.compile(r"(?:\sof\s(?:the\s)?[A-Z][\w\-]*(?:\s[A-Z][\w\-]*)?)?\sand\s")


def _second_name(text: str, end: int) -> tuple[int, int] | None:
    """The second name of a plural office, after the first one ending at ``end``: "Prime
    Ministers A and B", "presidents A of Peru and B of Bolivia" (each may have its country)."""
    rest = _PLURAL_REST_RE.match(text, end)
    return take_name(text, rest.end()) if rest else None


def _role_before(leaders: list["_Leader"], pos: int) -> str | None:
    """The office of the last leader named before ``pos`` (whose counterpart is named at pos)."""
    before = [l for l in leaders if l.spans and l.spans[0][0] < pos and l.role]
    return before[-1].role if before else None
_NAME_BEFORE_RE = re.compile(r"(?:[^\W\d_][\w'’\-.]*\s){0,3}[^\W\d_][\w'’\-]*$")


@lru_cache(maxsize=1)
def known_leaders() -> dict[str, tuple[str, str, int | None]]:
    """data/leaders.tsv: name -> (role, country, last year in office or None)."""
    from briefing.annotate.gazetteer import _rows

    return {row[0]: (row[1], row[2], int(row[3]) if len(row) > 3 and row[3].strip() else None)
            for row in _rows("leaders.tsv")}


_NOT_IN_OFFICE_BEFORE_RE = re.compile(r"(?i:opposition|party|rebel|militia|union)\s+(?:leader|chief|head)\s+$")
_HELD_RE = re.compile(r"\b(?:former|predecessor|replaced|succeeded|ousted|ex-|then-|who\s+led|who\s+served)", re.I)


def _said_to_have_held(text: str, pos: int) -> bool:
    """Whether the sentence around ``pos`` names a past office ("former", "replaced")."""
    start = max(text.rfind(".", 0, pos), text.rfind("\n", 0, pos)) + 1
    end = text.find(".", pos)
    return bool(_HELD_RE.search(text, start, end if end != -1 else len(text)))


@lru_cache(maxsize=1)
def _known_automaton():
    from briefing.annotate.gazetteer import build_automaton

    return build_automaton({name: (name, *info) for name, info in known_leaders().items()})


def _known_hits(text: str) -> list:
    from briefing.annotate.gazetteer import find_words

    return find_words(_known_automaton(), text)


_PORTFOLIO_WORD_RE = re.compile(r"(?:(?:" + _MINISTRY + r"|Minister|Ministry|Secretary|Office)\s?)+")


def _title_case(office: str) -> str:
    """"head of state" -> "Head of State", "prime minister" -> "Prime Minister"."""
    return " ".join(w if w in ("of", "the", "and") else w[:1].upper() + w[1:].lower() for w in office.split())


def _is_portfolio(name: str) -> bool:
    """"Foreign Affairs", "Energy": words of an office or ministry, not a person's name."""
    return bool(_PORTFOLIO_WORD_RE.fullmatch(name.strip()))


def _name_start_before(text: str, end: int) -> int | None:
    """Where the capitalised name that ends at ``end`` starts (up to four words)."""
    m = _NAME_BEFORE_RE.search(text[max(0, end - 80):end])
    if m is None:
        return None
    base = max(0, end - 80) + m.start()
    words = list(re.finditer(r"\S+", text[base:end]))
    start = None
    for i, w in enumerate(reversed(words)):
        word = w.group()
        if i and word.endswith((".", ",", ";", ":")) and not re.fullmatch(r"[A-Z]\.", word):
            break  # the name does not cross a sentence or a comma
        if (is_cap(word) and word not in FUNCTION_WORDS and word not in CALENDAR_WORDS and word not in TITLE_WORDS
                and word not in HONORIFICS) \
                or (word in PARTICLES and start is not None):
            start = base + w.start()
        else:
            break
    if start is not None and text[start:end].split()[0] in PARTICLES:
        return None
    return start


def _resolve(text: str, leaders: list[_Leader], gaz: PlaceGazetteer) -> list[Hit]:
    """Merge short names into full ones, then find every mention by name or surname."""
    # Fullest first: a name whose words are all in a fuller one's joins it.
    leaders.sort(key=lambda l: -len(l.name))
    entities: list[_Leader] = []
    for l in leaders:
        words = set(name_words(l.name))
        target = None
        for e in entities:
            ew = set(name_words(e.name))
            if words and words <= ew:
                target = e
                break
        if target is None:
            entities.append(_Leader(l.name, l.role, l.country, []))
        else:
            target.role = target.role or l.role
            target.country = target.country or l.country
    # A leader known by one word ("Odinga, a former prime minister") is named in full where the
    # text gives the full name ("Raila Odinga").
    for e in entities:
        if " " not in e.name:
            for m in re.finditer(r"((?:[A-Z][\w'’\-]+\s){1,2})" + re.escape(e.name) + r"(?![\w\-])", text):
                given = m.group(1).split()
                if all(w not in FUNCTION_WORDS and w not in TITLE_WORDS and w not in HONORIFICS and w not in CALENDAR_WORDS
                       and gaz.forms.get(w) is None and w not in demonyms() for w in given):
                    e.name = m.group().replace("\n", " ")
                    break
    # Forms to look for: the full name, then single name words used alone.
    forms: dict[str, _Leader] = {}
    for e in entities:
        forms.setdefault(e.name, e)
    for e in entities:
        ws = name_words(e.name)
        if len(ws) < 2:
            continue
        candidates = [ws[-1], ws[0], *ws[1:-1]]
        for w in list(candidates):
            bare = re.sub(r"^(?:al|el|Al|El)[-‑]", "", w)
            if bare != w:
                candidates.append(bare)  # "el-Sisi" is "Sisi" too
        for w in candidates:
            if len(w) >= 3 and not w.endswith(".") and w not in forms and w not in FUNCTION_WORDS and gaz.forms.get(w) is None \
                    and w not in CALENDAR_WORDS and w not in ROMAN and w not in HONORIFICS:
                forms[w] = e
    hits: list[Hit] = []
    if not forms:
        return hits
    # one pass: the alternation tries the longest form first at each position
    pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w\-])")
    for m in pattern.finditer(text):
        form, s, t = m.group(), m.start(), m.end()
        if " " not in form and _inside_other_name(text, s, t):
            continue
        e = forms[form]
        hits.append(Hit(s, t, "leader", e.name, role=e.role, country=e.country))
    return hits


def _inside_other_name(text: str, start: int, end: int) -> bool:
    """A surname that is part of another capitalised name ("Kim" in "Kim Yo Jong")."""
    after = WORD_RE.match(text, end + 1) if text[end:end + 1] == " " else None
    if after and is_cap(after.group()) and after.group() not in CALENDAR_WORDS and after.group() not in FUNCTION_WORDS:
        return True
    from briefing.annotate.words import at_sentence_start

    span = None if at_sentence_start(text, start) else word_before(text, start)
    if span is not None:
        w = text[span[0]:span[1]]
        if is_cap(w) and w not in FUNCTION_WORDS and w not in HONORIFICS and w.rstrip(".") not in HONORIFICS \
                and w not in TITLE_WORDS and w not in CALENDAR_WORDS:
            return True
    return False
