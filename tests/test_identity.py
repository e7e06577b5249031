"""The identity rule across briefs (briefing.core.identity; docs/FORMAT.md): pairs that must
merge and pairs that must stay apart, and the `wikidata` key's shape."""

import pytest

from briefing.core.identity import Named, fold, ident, same_entity
from briefing.core.parser import parse_brief
from briefing.core.problems import BriefError


@pytest.mark.parametrize("a, b", [
    ("Fumio Kishida", "fumio  KISHIDA"),
    ("José Martí", "Jose Marti"),
    ("Martin Luther King, Jr.", "Martin Luther King"),
    ("Robert Downey Jr", "robert downey"),
    ("Ken Griffey Sr.", "Ken Griffey"),
    ("J. R. R. Tolkien", "J R R Tolkien"),
    ("Jean-Pierre Raffarin", "Jean Pierre Raffarin"),
    ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),
    ("Ｆｕｍｉｏ", "Fumio"),  # full-width letters (NFKD)
])
def test_fold_merges_spellings(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("a, b", [
    ("Elizabeth I", "Elizabeth II"),
    ("Kim Jong Un", "Kim Jong Il"),
    ("Georgia", "Georgie"),
])
def test_fold_keeps_different_names_apart(a, b):
    assert fold(a) != fold(b)


def test_fold_keeps_a_name_that_is_only_a_suffix():
    assert fold("Jr.") == "jr"


MUST_MERGE = [
    (Named("leader", "Fumio Kishida", ("Kishida",)), Named("leader", "Kishida")),
    (Named("leader", "Fumio Kishida"), Named("leader", "FUMIO KISHIDA")),
    (Named("leader", "Martin Luther King Jr."), Named("leader", "Martin Luther King", ("MLK",))),
    (Named("leader", "Fumio Kishida", wikidata="Q132345"), Named("leader", "Kishida Fumio", wikidata="Q132345")),
    # one id only: the names decide
    (Named("leader", "Fumio Kishida", wikidata="Q132345"), Named("leader", "Fumio Kishida")),
    (Named("region", "Türkiye", ("Turkey",)), Named("region", "Turkey")),
]

MUST_NOT_MERGE = [
    # the same name, two ids
    (Named("leader", "John Smith", wikidata="Q1"), Named("leader", "John Smith", wikidata="Q2")),
    # the same name, two types
    (Named("leader", "Georgia"), Named("region", "Georgia")),
    # only an alias in common: a generic alias joins nothing
    (Named("region", "New Zealand", ("the country",)), Named("region", "China", ("the country",))),
    (Named("leader", "Fumio Kishida"), Named("leader", "Shinzo Abe")),
    (Named("leader", "Elizabeth II"), Named("leader", "Elizabeth I")),
]


@pytest.mark.parametrize("a, b", MUST_MERGE)
def test_must_merge(a, b):
    assert same_entity(a, b) and same_entity(b, a)


@pytest.mark.parametrize("a, b", MUST_NOT_MERGE)
def test_must_not_merge(a, b):
    assert not same_entity(a, b) and not same_entity(b, a)


def test_ident_keys():
    assert ident("leader", "Fumio  Kishida") == "leader:fumio kishida"
    assert ident("leader", "Fumio Kishida", "Q132345") == "wd:Q132345"
    assert Named("region", "Tōkyō").key == "region:tokyo"


BRIEF = """---
title: T
entities:
  k: {{type: leader, name: Fumio Kishida, wikidata: {value}}}
---
[Kishida]{{.leader ref=k}} spoke.
"""


def test_wikidata_key_is_read():
    brief = parse_brief(BRIEF.format(value="Q132345"), "a.md")
    assert brief.entities["k"].wikidata == "Q132345"
    assert brief.warnings == []


@pytest.mark.parametrize("value", ["q132345", "Q", "Q0123", "132345", "Q12x", "[Q1]", "'Q 1'"])
def test_wikidata_key_shape_is_checked(value):
    with pytest.raises(BriefError) as exc:
        parse_brief(BRIEF.format(value=value), "a.md")
    assert any("wikidata must be" in p.message for p in exc.value.problems)


def test_fast_path_reads_and_checks_wikidata():
    from briefing.index.fast import _extract, extract

    good = "---\ntitle: T\nentities:\n  k:\n    type: leader\n    name: Fumio Kishida\n    wikidata: Q132345\n---\n[Kishida]{.leader ref=k} spoke.\n"
    assert _extract(good.encode()) is not None
    assert extract(good.replace("Q132345", "Q0").encode()) is None  # the full parser reports it
