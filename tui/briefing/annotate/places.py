"""Regions: gazetteer names and geographic-feature patterns, minus what is not a place mention.

A gazetteer hit is a region mention unless it is part of something else's name:
- inside a longer capitalised name ("Japan Coast Guard", "Pacific Islands Leaders Meeting",
  "Israel Katz", "South China Morning Post"): a capitalised word right after it, or right
  before it in mid-sentence;
- inside an office or an organisation ("New Zealand Prime Minister", "Bank of Japan",
  "President of France"): the annotation guide says those country words are not regions.

Features the gazetteers lack are found by pattern: "X Sea", "X Strait", "Gulf of X",
"X Shoal", "X River", "Lake X"... with X a run of capitalised words.
"""

from __future__ import annotations

import re

from briefing.annotate.gazetteer import Place, PlaceGazetteer, default_gazetteer, demonyms, match_key, town
from briefing.annotate.model import Hit
from briefing.annotate.words import (
    CALENDAR_WORDS, FUNCTION_WORDS, at_sentence_start, is_cap, word_after, word_before,
)

FEATURE_KINDS = {
    "sea": "sea", "ocean": "ocean", "strait": "strait", "straits": "strait", "gulf": "gulf",
    "bay": "bay", "bight": "bay", "river": "river", "lake": "lake", "shoal": "shoal", "reef": "reef",
    "island": "island", "islands": "islands", "isles": "islands", "archipelago": "islands",
    "atoll": "island", "peninsula": "region", "canal": "region", "desert": "region",
    "mountains": "region", "basin": "region", "valley": "region", "coast": "region",
    "province": "province", "region": "region", "state": "state", "prefecture": "province",
    "oblast": "province", "governorate": "province", "delta": "region", "channel": "strait",
    "sound": "strait", "plateau": "region", "district": "province", "territory": "province",
    "county": "province", "city": "city", "town": "city", "darya": "river", "cape": "region",
    "glacier": "region", "fjord": "bay", "lagoon": "bay", "estuary": "river", "harbour": "bay", "harbor": "bay",
    "hills": "region", "heights": "region", "highlands": "region", "mount": "region",
    "reservoir": "lake", "aquifer": "region",
}
# Administrative words: "X Province" is a region only for a known X, "X district" (lower case)
# for any name before it ("Masisi territory", "Rutshuru district"); its name is X.
_ADMIN = frozenset("province prefecture oblast governorate region state district territory county".split())
# Lower-case feature words name a place after a capitalised name ("Anacoco island", "Faw peninsula").
_LOWER_FEATURES = frozenset("island islands peninsula delta river atoll channel valley basin archipelago city town".split())
# An island, atoll or a town is named by X alone ("Yonaguni island", "Leticia city"); the span keeps the word.
_BARE_NAME = frozenset("island atoll city town river reservoir lake canal aquifer".split())
_SUFFIX_WORDS = "Sea|Ocean|Straits?|Gulf|Bay|River|Darya|Lake|Glacier|Fjord|Lagoon|Estuary|Harbou?r|Hills|Heights|Highlands|Shoal|Reef|Islands?|Isles|Archipelago|Atoll|Peninsula|Canal|Channel|Sound|Plateau|Desert|Mountains|Basin|Valley|Province|Prefecture|Oblast|Governorate"
_CAP = r"[A-ZÀ-Ý][\w'’\-]*"
FEATURE_RE = re.compile(
    rf"(?P<pre>(?:{_CAP}\s){{1,3}})(?P<suf>{_SUFFIX_WORDS}|Delta|State|Region|sea|strait|river|shoal|reef|islands|island|atoll|peninsula|delta|region|channel|valley|basin|archipelago|district|province|governorate|territory|county|prefecture|oblast|city|town|reservoir|lake|canal|aquifer)\b(?!\sof\s)"
    rf"|(?P<kw>Strait|Straits|Gulf|Bay|Bight|Sea|Isle|Lake|Cape|Mount)\s(?:of\s(?:the\s)?)?(?P<post>{_CAP}(?:\s{_CAP}){{0,2}})"
    rf"|\b(?P<what>port|city|town|village|capital|island|atoll|province|region|district|state|enclave|oasis)\sof\s(?P<named>{_CAP}(?:\s{_CAP})?)"
)

# Capitalised words that make a name an organisation, an office or an event, not a place.
ORG_WORDS = frozenset("""
Bank University College Ministry Department Council Committee Commission Agency Authority Institute
Foundation Association Federation League Union Party Court Parliament Assembly Congress Senate
Company Corporation Corp Group Airlines Airways Post Times Daily Herald Journal Tribune News
Television Radio Broadcasting Press Exchange Fund Organisation Organization Forum Club Museum
Embassy Coast Guard Army Navy Force Forces Police Guard Command Prime Minister President Premier
Chancellor Secretary Governor King Queen Emir Sultan Leader Leaders Meeting Summit Conference
Games Olympics Cup Agreement Accord Accords Treaty Declaration Initiative Strategy Framework
Electric Energy Airport Stock Standard Economic Cooperation Partnership Alliance Dialogue Street
Avenue Road Boulevard Square Hotel Hospital School Centre Center Stadium Station Prison
""".split())
GEO_WORDS = frozenset("Strait Straits Gulf Sea Bay Horn Republic Kingdom State States Islands Isle Lake Coast Cape Mouth Port".split())


def _run_blocks(text: str, start: int, end: int, surface: str, taken: bytearray | None = None) -> bool:
    """Whether the hit at [start, end) is part of a longer name, an office or an organisation."""
    after = word_after(text, end)
    if after is not None and text[end] == " ":
        w = text[after[0]:after[1]].rstrip(".")
        if is_cap(w) and w not in CALENDAR_WORDS and not (w.isupper() and len(w) <= 1):
            return True
        if w.lower() in ("prime", "president", "minister", "foreign", "defence", "defense"):
            return True
    before = None if at_sentence_start(text, start) else word_before(text, start)
    if before is not None:
        w = text[before[0]:before[1]].rstrip(".")
        if w == "of":
            # "Bank of Japan", "President of France", but "Strait of Hormuz", "Horn of Africa"
            b2 = word_before(text, before[0])
            if b2 is not None and not (taken is not None and taken[b2[0]]):  # "Alexander Stubb of Finland" is a place
                w2 = text[b2[0]:b2[1]]
                if is_cap(w2) and w2 not in GEO_WORDS and w2 not in FUNCTION_WORDS and not at_sentence_start(text, b2[0]):
                    return True
                if w2 in ORG_WORDS and w2 not in GEO_WORDS:
                    return True
        elif is_cap(w) and w not in FUNCTION_WORDS and w not in CALENDAR_WORDS and not at_sentence_start(text, before[0]):
            return True
    if surface == "US" and _shouting(text, start, end):
        return True
    return False


def _shouting(text: str, start: int, end: int) -> bool:
    """An all-capitals neighbour: "US" is then the pronoun ("LET US")."""
    for span in (word_before(text, start), word_after(text, end)):
        if span is not None:
            w = text[span[0]:span[1]]
            if len(w) > 1 and w.isupper():
                return True
    return False


def find_regions(text: str, gazetteer: PlaceGazetteer | None = None, blocked: list[tuple[int, int]] = ()) -> list[Hit]:
    """Region mentions, not overlapping each other nor the ``blocked`` spans (names of people)."""
    gaz = gazetteer or default_gazetteer()
    candidates: list[tuple[int, int, Place, bool]] = []
    for start, end, place in gaz.find(text):
        candidates.append((start, end, place, False))
    for m in FEATURE_RE.finditer(text):
        start, end, place = _feature(m, gaz)
        if place is not None:
            candidates.append((start, end, place, True))
    for start, end, place in _directed_countries(text, gaz, candidates):
        candidates.append((start, end, place, True))
    for start, end, place in _towns_in_context(text, candidates):
        candidates.append((start, end, place, True))
    for start, end, place in _listed_places(text, gaz):
        candidates.append((start, end, place, True))
    if "along the " in text or "through the " in text:
        for start, end, place in _along_rivers(text, gaz):
            candidates.append((start, end, place, True))
    if ", the " in text or ", a " in text:
        for start, end, place in _apposed_places(text, gaz):
            candidates.append((start, end, place, True))
    dateline = _dateline_place(text, gaz)
    if dateline is not None:
        candidates.append(dateline)
    people = _people_named_like_places(text, candidates)
    # Longest first, then leftmost; features and gazetteer names compete on length alone.
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken = bytearray(len(text))
    for s, e in blocked:
        taken[s:e] = b"\x01" * (e - s)
    hits: list[Hit] = []
    for start, end, place, is_feature in candidates:
        if 1 in taken[start:end]:
            continue
        if not is_feature and (_run_blocks(text, start, end, text[start:end], taken)
                               or (text[start:end] in people and _as_person(text, start, end))):
            continue
        if is_feature and _feature_blocked(text, start, end):
            continue
        taken[start:end] = b"\x01" * (end - start)
        hits.append(Hit(start, end, "region", place.name, kind=place.kind, country=place.country))
    hits.sort(key=lambda h: h.start)
    return hits


def _feature(m: re.Match, gaz: PlaceGazetteer) -> tuple[int, int, Place | None]:
    if m.group("suf"):
        words = m.group("pre").split()
        start = m.start("pre")
        # a possessive before the name is another place ("Afghanistan's Qosh Tepa Canal",
        # "Guyana's territory")
        while any(w.endswith(("'s", "’s")) for w in words):
            start = m.string.index(words[0], start) + len(words[0]) + 1
            words = words[1:]
        # leading words that only begin the sentence ("The Red Sea", "In South China Sea")
        while words and (words[0] in FUNCTION_WORDS or words[0] in CALENDAR_WORDS):
            start = m.string.index(words[0], start) + len(words[0]) + 1
            words = words[1:]
        if not words:
            return m.start(), m.end(), None
        suffix = m.group("suf")
        # the longest known name at the end ("Japanese-controlled Senkaku Islands")
        for i in range(len(words)):
            known = gaz.get(" ".join(words[i:]) + " " + suffix)
            if known is not None:
                return m.end() - len(" ".join(words[i:]) + " " + suffix), m.end(), known
        # adjectives before the name ("Japanese-controlled", "Chinese") are not part of it
        named_by_demonym = len(words) == 1 and words[0] in demonyms() and suffix in ("Sea", "Ocean")
        while words and ("-" in words[0] and words[0].split("-")[-1].islower() or words[0] in demonyms()) \
                and not named_by_demonym:
            start = m.string.index(words[0], start) + len(words[0]) + 1
            words = words[1:]
        if not words:
            return m.start(), m.end(), None
        name = " ".join(words) + " " + suffix
        kind = FEATURE_KINDS[suffix.lower()]
        if suffix.islower():
            # "South China sea": a name known with a capital; "Tigray region": the known Tigray
            known = gaz.get(" ".join(words) + " " + suffix.capitalize())
            if known is not None:
                return start, m.end(), known
            bare = " ".join(words)
            known = gaz.get(bare)
            if suffix == "region" or (known is not None and suffix in _ADMIN | _BARE_NAME):
                return (start, start + len(bare), known) if known is not None else (m.start(), m.end(), None)
            if len(words) > 2 or known is not None or words[0] in ORG_WORDS:
                return m.start(), m.end(), None
            if suffix in _ADMIN:
                return start, start + len(bare), Place(bare, "province")
            if suffix in _BARE_NAME:
                return start, start + len(bare), Place(bare, kind)
            if suffix in _LOWER_FEATURES and len(words) == 1:
                return start, m.end(), Place(name, kind)
            return m.start(), m.end(), None
        known = gaz.get(name)
        if known is not None:
            return start, m.end(), known
        if suffix.lower() in _ADMIN and gaz.get(" ".join(words)) is None:
            return start, m.end(), None  # "Tigray Region" only for a known Tigray
        if suffix in ("State", "Region", "Province"):
            # "Lagos State", "Kurdistan Region": the official name, as written
            return start, m.end(), Place(name, kind, gaz.get(" ".join(words)).country)
        return start, m.end(), Place(name, kind)
    if m.group("named"):
        # "the port of Constanța", "the town of Tulcea": a place, whatever its size
        words = m.group("named").split()
        if any(w.endswith(("'s", "’s")) for w in words):
            return m.start(), m.end(), None  # "the main town of Somalia's Hiraan region": the feature says
        while words and (words[-1] in FUNCTION_WORDS or words[-1] in CALENDAR_WORDS):
            words = words[:-1]
        if not words or words[0] in FUNCTION_WORDS:
            return m.start(), m.end(), None
        name = " ".join(words)
        start = m.start("named")
        known = gaz.get(name)
        if known is not None:
            return start, start + len(name), known
        what = m.group("what")
        kind = {"island": "island", "atoll": "island", "province": "province", "region": "region", "state": "state",
                "district": "province", "enclave": "region"}.get(what, "city")
        return start, start + len(name), Place(name, kind)
    post = m.group("post").split()
    while post and (post[-1] in FUNCTION_WORDS or post[-1] in CALENDAR_WORDS):
        post = post[:-1]
    if not post:
        return m.start(), m.end(), None
    end = m.start("post") + len(" ".join(post))
    name = m.string[m.start():end]
    known = gaz.get(name)
    if known is not None:
        return m.start(), end, known
    kind = FEATURE_KINDS[m.group("kw").lower()]
    return m.start(), end, Place(name, kind)


def _feature_blocked(text: str, start: int, end: int) -> bool:
    """A feature inside an organisation's name ("Red Sea Global", "Gulf Cooperation Council")."""
    after = word_after(text, end)
    if after is not None and text[end] == " ":
        w = text[after[0]:after[1]]
        if w in ORG_WORDS or (is_cap(w) and w not in CALENDAR_WORDS and w not in FUNCTION_WORDS):
            return True
    inner = text[start:end].split()
    return any(w in ORG_WORDS and w not in GEO_WORDS for w in inner)



_SPEECH_AFTER = re.compile(r"(?:,\s+who\b|\s+(?:said|says|told|added|argued|noted|warned|believes|thinks|wrote)\b|['’]s\s+(?:view|comments|remarks|research|team)\b)")


def _people_named_like_places(text: str, candidates) -> set[str]:
    """Place names that are a person's surname here ("said Zaid Mosul, an analyst"): the name
    right after a capitalised given name in mid-sentence."""
    out = set()
    for start, end, place, is_feature in candidates:
        if is_feature or at_sentence_start(text, start):
            continue
        before = word_before(text, start)
        if before is None:
            continue
        w = text[before[0]:before[1]]
        if is_cap(w) and w not in FUNCTION_WORDS and w not in CALENDAR_WORDS and w not in ORG_WORDS \
                and w not in GEO_WORDS and not w.isupper() and not at_sentence_start(text, before[0]):
            out.add(text[start:end])
    return out


def _as_person(text: str, start: int, end: int) -> bool:
    """A surname used alone as a person: speaks, or is "Mr/Ms X"."""
    if _SPEECH_AFTER.match(text, end):
        return True
    before = word_before(text, start)
    return before is not None and text[before[0]:before[1]].rstrip(".") in ("Mr", "Ms", "Mrs", "Dr")


# "PARIS, June 3 —", "TOKYO -- ", "TOKYO (Reuters) -", "NUKUʻALOFA, Tonga —"
_DATELINE_RE = re.compile(r"^(?P<city>[A-ZÀ-ÞĀ-Ž][A-ZÀ-ÞĀ-Ž'’ʻ.\- ]{2,40}?)(?=,\s|\s+[—–-]{1,2}\s|\s+\([^)\n]{1,40}\)\s*[—–-])", re.M)


def _dateline_place(text: str, gaz: PlaceGazetteer):
    """The place of a dateline in capitals ("PARIS, June 3 (Wire) —") in the first paragraphs."""
    head = text[:600]
    m = _DATELINE_RE.search(head)
    if m is None or m.group("city").strip() != m.group("city"):
        return None
    city = m.group("city")
    place = gaz.get(city.title()) or gaz.casefolded().get(city.casefold()) \
        or gaz.casefolded().get(match_key(city).casefold())
    if place is None:
        return None
    return m.start("city"), m.end("city"), place, True


_NAME = rf"{_CAP}(?:\s{_CAP}){{0,2}}"
_LIST = rf"{_NAME}(?:(?:,\s+|,?\s+(?:and|or)\s+)(?:the\s+)?{_NAME})+"
_LIST_KIND = {"islands": "island", "atolls": "island", "towns": "city", "cities": "city", "villages": "city",
              "ports": "city", "provinces": "province", "districts": "province", "regions": "region",
              "governorates": "province", "rivers": "river", "river": "river"}
# "the atolls of Atafu, Fakaofo and Nukunonu", "the towns of X and Y", "the Amu Darya and Syr
# Darya rivers"; a river named after a word of water ("the waters of the Teesta", "flows into the X").
_LISTED_RE = re.compile(
    rf"\b(?P<what>islands|atolls|towns|cities|villages|ports|provinces|districts|regions|governorates|rivers)\s+of\s+(?:the\s+)?(?P<list>{_LIST})"
    rf"|\b(?:[Tt]he\s+)(?P<list2>{_LIST})\s+(?P<what2>islands|atolls|rivers|provinces|districts|governorates)\b"
    rf"|\b(?P<what3>islands|atolls|towns|villages|provinces|districts|governorates|rivers)\s*(?:[:(]|\s[—–]|—|–|,\s+(?:namely|including)\b)\s*(?P<list3>{_LIST})"
    rf"|\b(?:(?:waters|banks?|mouth|headwaters|tributar(?:y|ies)|dams?|floodplain)\s+(?:of|on)|(?:flows?|flowing|empties|drains?)\s+into|(?:up|down)stream\s+(?:on|of|from))"
    rf"\s+the\s+(?P<river>{_CAP}(?:\s{_CAP})?)\b")
# A name with its kind of place in apposition: "Rubaya, the coltan town in the hills", "Yonaguni,
# the westernmost inhabited island", "another river, the Teesta,". The kind word must end the
# phrase or lead on to a place's words ("the town's mayor", "the city official" are not places).
_APPOSED_RE = re.compile(
    rf"(?<![\w'’\-])(?P<name>{_CAP}(?:[\s-]{_CAP}){{0,2}}),\s+(?:the|a)\s+(?:[a-z][\w\-]*\s+){{0,3}}?"
    rf"(?P<what>town|city|village|port|capital|island|atoll|region|district|province|enclave|oasis)"
    rf"(?=[,.;:)]|\s+(?:in|on|near|of|whose|that|which|where|hit|at|from|closest|nearest|bordering|known|with|and)\b)"
    rf"|\b(?:a|another|the)\s+river,\s+the\s+(?P<river>{_CAP}(?:\s{_CAP})?)(?=[,.;:)])")
_APPOSED_KIND = {"island": "island", "atoll": "island", "region": "region", "district": "province",
                 "province": "province", "enclave": "region", "oasis": "region"}


def _apposed_places(text: str, gaz: PlaceGazetteer):
    """Places named with their kind in apposition (``_APPOSED_RE``); the whole run must be a name."""
    out = []
    for m in _APPOSED_RE.finditer(text):
        group = "river" if m.group("river") else "name"
        name, start = m.group(group), m.start(group)
        words = name.split()
        if words[0] in FUNCTION_WORDS or any(w in ORG_WORDS or w in CALENDAR_WORDS for w in words):
            continue
        kind = "river" if group == "river" else _APPOSED_KIND.get(m.group("what"), "city")
        out.append((start, start + len(name), gaz.get(name) or Place(name, kind)))
    return out


_LIST_SPLIT_RE = re.compile(r",\s+(?:and\s+|or\s+)?(?:the\s+)?|\s+(?:and|or)\s+(?:the\s+)?")


# "along the Motagua", "along the Drina and the Ibar": one capitalised word after "along the" is
# a river (or a place the gazetteer knows); two ("along the Silk Road") are left alone.
_ALONG_RE = re.compile(r"\b(?:along|through)\s+the\s+(?P<a>[A-Z][a-zà-ÿ]+)(?![\w\-]|\s+[A-Z])"
                       r"(?:\s+and\s+the\s+(?P<b>[A-Z][a-zà-ÿ]+)(?![\w\-]|\s+[A-Z]))?")


def _along_rivers(text: str, gaz: PlaceGazetteer):
    out = []
    for m in _ALONG_RE.finditer(text):
        for g in ("a", "b"):
            name = m.group(g)
            if name is None or name in FUNCTION_WORDS or name in CALENDAR_WORDS or name in ORG_WORDS:
                continue
            out.append((m.start(g), m.end(g), gaz.get(name) or Place(name, "river")))
    return out


def _listed_places(text: str, gaz: PlaceGazetteer):
    """Places named in a list after or before a plural feature word, and rivers named by their water."""
    cues = ("islands", "atolls", "towns", "cities", "villages", "ports", "provinces", "districts", "regions",
            "governorates", "rivers", "water", "bank", "mouth", "tributar", "dam", "floodplain", "into the", "stream")
    if not any(c in text for c in cues):
        return []
    out = []
    for m in _LISTED_RE.finditer(text):
        if m.group("river"):
            words = m.group("river").split()
            while words and (words[-1] in FUNCTION_WORDS or words[-1] in CALENDAR_WORDS):
                words.pop()
            if words and words[0] not in FUNCTION_WORDS and words[0] not in ORG_WORDS:
                name = " ".join(words)
                start = m.start("river")
                out.append((start, start + len(name), gaz.get(name) or Place(name, "river")))
            continue
        group = "list" if m.group("list") else "list2" if m.group("list2") else "list3"
        kind = _LIST_KIND[m.group("what") or m.group("what2") or m.group("what3")]
        pos = m.start(group)
        chunk = m.group(group)
        for name in _LIST_SPLIT_RE.split(chunk):
            start = text.index(name, pos)
            pos = start + len(name)
            words = name.split()
            while words and (words[-1] in FUNCTION_WORDS or words[-1] in CALENDAR_WORDS):
                words.pop()
            if not words or words[0] in FUNCTION_WORDS or words[0] in CALENDAR_WORDS or any(w in ORG_WORDS for w in words):
                continue
            name = " ".join(words)
            out.append((start, start + len(name), gaz.get(name) or Place(name, kind)))
    return out


_DIRECTIONS = frozenset("Northern Southern Eastern Western Central North South East West Upper Lower".split())


def _directed_countries(text: str, gaz: PlaceGazetteer, candidates):
    """"Northern Norway", "Western Australia": a capitalised direction before a country or a
    province in mid-sentence is one named region (lower case, "southern Lebanon", it is not)."""
    out = []
    for start, end, place, _ in candidates:
        if place.kind not in ("country", "state", "province", "island", "continent", "ocean", "sea"):
            continue
        before = word_before(text, start)
        if before is None or text[before[0]:before[1]] not in _DIRECTIONS or at_sentence_start(text, before[0]):
            continue
        name = text[before[0]:end]
        out.append((before[0], end, gaz.get(name) or Place(name, "region", place.country)))
    return out


_LOCATIVE_RE = re.compile(rf"\b(?:[Ii]n|[Nn]ear|[Oo]utside|[Aa]round|into|towards?|at|from|across|throughout|via)\s+(?P<name>{_CAP}(?:[\s-]{_CAP}){{0,3}})")


def _towns_in_context(text: str, candidates):
    """A town below the gazetteer's population threshold, named after "in", "near", "outside"...
    ("fishermen in Tromsø"): the whole capitalised run must be the town's name."""
    known = {c[0] for c in candidates}
    out = []
    for m in _LOCATIVE_RE.finditer(text):
        start = m.start("name")
        name = m.group("name").rstrip(".")
        if start in known or name.split()[0] in FUNCTION_WORDS or name.split()[0] in CALENDAR_WORDS \
                or any(w in ORG_WORDS for w in name.split()):
            continue
        hit = town(name)
        if hit is not None:
            out.append((start, start + len(name), Place(hit[0], "city", hit[1])))
    return out
