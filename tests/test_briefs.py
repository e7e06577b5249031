"""The shipped briefs: valid without warnings, faithful to their seed documents, right facts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefing.core.parser import load_brief, parse_brief

BRIEFS = Path(__file__).resolve().parent.parent / "briefs"
B2022 = BRIEFS / "2022-04-21-japan-new-zealand-security-cooperation.md"
B2024 = BRIEFS / "2024-06-19-japan-new-zealand-information-sharing-pact.md"
SEEDS = {B2022: "000_c0672818cc265857.txt", B2024: "003_d0e23f74d4e1c1d7.txt"}


def seed_text(name: str) -> str | None:
    for folder in (BRIEFS.parent / "seeds", BRIEFS.parent.parent / "shared" / "seeds"):
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    return None


@pytest.fixture(scope="module")
def b2022():
    return load_brief(B2022)


@pytest.fixture(scope="module")
def b2024():
    return load_brief(B2024)


def test_exactly_the_shipped_briefs_are_valid_without_warnings():
    assert sorted(p.name for p in BRIEFS.glob("*.md")) == sorted(p.name for p in SEEDS)
    for path in SEEDS:
        brief = load_brief(path)
        assert brief.warnings == [], [w.format() for w in brief.warnings]
        assert brief.mentions and brief.meta.summary and brief.meta.tags


@pytest.mark.parametrize("path", list(SEEDS), ids=lambda p: p.name[:10])
def test_text_keeps_the_seed_wording(path):
    seed = seed_text(SEEDS[path])
    if seed is None:
        pytest.skip("seed documents not available")
    brief = load_brief(path)
    shown = " ".join(brief.text.split())
    assert shown in " ".join(seed.split())
    assert len(shown) > 2000


def leaders(brief) -> dict[str, tuple[str | None, str | None]]:
    return {f.name: (f.role, f.country) for f in brief.facts["leader"]}


def test_leaders(b2022, b2024):
    assert leaders(b2022) == {"Fumio Kishida": ("Prime Minister of Japan", "Japan"),
                              "Jacinda Ardern": ("Prime Minister of New Zealand", "New Zealand")}
    assert leaders(b2024) == {"Fumio Kishida": ("Prime Minister of Japan", "Japan"),
                              "Christopher Luxon": ("Prime Minister of New Zealand", "New Zealand"),
                              "Jacinda Ardern": ("former Prime Minister of New Zealand", "New Zealand")}
    assert [(f.name, f.mentions) for f in b2022.facts["leader"]] == [("Jacinda Ardern", 9), ("Fumio Kishida", 4)]
    assert {f.name: f.mentions for f in b2024.facts["leader"]} == {"Fumio Kishida": 5, "Christopher Luxon": 5, "Jacinda Ardern": 1}


def dates(brief) -> list[tuple[str, str | None, list[str]]]:
    return [(f.value, f.mod, f.texts) for f in brief.facts["date"]]


def test_dates_2022(b2022):
    assert b2022.meta.published.isoformat() == "2022-04-21"
    assert ("2022-04-21", None, ["21 April", "Currently"]) in dates(b2022)


def test_dates_2024_in_chronological_order(b2024):
    assert b2024.meta.published.isoformat() == "2024-06-19"
    assert dates(b2024) == [
        ("1949", None, ["1949"]),
        ("1997", None, ["1997"]),
        ("2022", None, ["2022"]),
        ("2023-11", None, ["November 2023"]),
        ("2024-05", "END", ["Late last month"]),
        ("2024-06-19", None, ["Wednesday"]),
        ("2024-07", None, ["July"]),
    ]
    assert [f.precision for f in b2024.facts["date"]] == ["year", "year", "year", "month", "month", "day", "month"]


def regions(brief) -> dict[str, str | None]:
    return {f.name: f.kind for f in brief.facts["region"]}


def test_regions(b2022, b2024):
    expected = {"South China Sea": "sea", "East China Sea": "sea", "Senkaku Islands": "islands", "Tokyo": "city"}
    for brief in (b2022, b2024):
        got = regions(brief)
        assert {k: got.get(k) for k in expected} == expected
    assert regions(b2024)["Taiwan Strait"] == "strait"
    assert {f.name: f.mentions for f in b2022.facts["region"]}["South China Sea"] == 3  # incl. "the region"


def test_every_mention_is_where_it_says(b2022, b2024):
    for brief in (b2022, b2024):
        for m in brief.mentions:
            assert " ".join(brief.text[m.start : m.end].split()) == m.text  # the 2022 seed has no-break spaces
            assert brief.source.splitlines()[m.line - 1][m.col - 1] == "["
            if m.type in ("leader", "region", "org"):
                assert m.ref in brief.entities and brief.entities[m.ref].type == m.type
            if m.type == "date":
                assert m.attrs["value"]


def test_the_example_in_the_format_reference():
    doc = (BRIEFS.parent / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    example = re.search(r"```markdown\n(.*?)\n```\n", doc, re.S).group(1) + "\n"
    shown = json.loads(re.search(r"```json\n(.*?)\n```\n", doc, re.S).group(1))
    brief = parse_brief(example, "example.md")
    assert brief.warnings == []
    assert brief.facts_json() == shown
    assert brief.text.startswith("Talks in Tokyo\n\nPrime Minister Fumio Kishida and his New Zealand "
                                 "counterpart Christopher Luxon agreed Wednesday on a pact.")
    assert [(k.note, brief.text[k.start : k.end]) for k in brief.marks] == [("quote this one", "The key sentence of the brief")]
    assert "Literal brackets need a backslash: [sic]. Code keeps them as they are: [x]{.y}." in brief.text
