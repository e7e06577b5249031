"""The views across briefs (briefing.views) on the shipped seeds and small made-up corpora:
what each shows, the identity rule at work through the index, and related briefs' weights."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from briefing.core.parser import load_brief
from briefing.index import Index
from briefing.views.compare import compare
from briefing.views.context import context, sentence_around
from briefing.views.profile import profile
from briefing.views.related import related
from briefing.views.resolve import Ambiguous, NotFound, resolve
from briefing.views.scope import Scope
from briefing.views.timeline import day_of, timeline

SEED_2022 = "2022-04-21-japan-new-zealand-security-cooperation.md"
SEED_2024 = "2024-06-19-japan-new-zealand-information-sharing-pact.md"


@pytest.fixture
def seeds(tmp_path, briefs_dir):
    d = tmp_path / "briefs"
    d.mkdir()
    for p in briefs_dir.glob("*.md"):
        shutil.copy(p, d / p.name)
    return d


@pytest.fixture
def index(tmp_path):
    with Index.open(tmp_path / "data") as idx:
        yield idx


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return p


def test_compare_the_seeds(briefs_dir):
    c = compare(load_brief(briefs_dir / SEED_2022), load_brief(briefs_dir / SEED_2024))
    both, only_a, only_b = c.groups["leader"]
    assert {(s.label, s.a, s.b) for s in both} == {("Fumio Kishida", 4, 5), ("Jacinda Ardern", 9, 1)}
    ardern = next(s for s in both if s.label == "Jacinda Ardern")
    assert ardern.a > 5 * ardern.b  # mostly in the first
    assert only_a == [] and [(s.label, s.b) for s in only_b] == [("Christopher Luxon", 5)]
    out = c.as_json()
    assert list(out) == ["a", "b", "facts"]
    assert list(out["facts"])[:3] == ["leader", "date", "region"]
    assert list(out["facts"]["leader"]) == ["both", "only_a", "only_b"]
    assert {"name": "Christopher Luxon", "mentions": 5} in out["facts"]["leader"]["only_b"]
    dates = out["facts"]["date"]
    assert {"name": "2024-06-19", "mentions": 1} in dates["only_b"]


def test_compare_pairs_by_identity_not_by_spelling(tmp_path):
    a = write(tmp_path, "a.md", """
        ---
        title: A
        entities:
          s: {type: leader, name: "José Martí Jr.", wikidata: Q1}
          t: {type: leader, name: John Smith, wikidata: Q2}
        ---
        [Martí]{.leader ref=s} met [Smith]{.leader ref=t}.
        """)
    b = write(tmp_path, "b.md", """
        ---
        title: B
        entities:
          s: {type: leader, name: Jose Marti}
          t: {type: leader, name: John Smith, wikidata: Q3}
        ---
        [Jose Marti]{.leader ref=s} met another [John Smith]{.leader ref=t}.
        """)
    both, only_a, only_b = compare(load_brief(a), load_brief(b)).groups["leader"]
    assert [s.label for s in both] == ["José Martí Jr."]
    assert [s.label for s in only_a] == ["John Smith"] and [s.label for s in only_b] == ["John Smith"]


def test_timeline_of_the_seeds_is_in_the_order_of_the_dates(index, seeds):
    index.refresh([seeds])
    rows = timeline(index, Scope(roots=[seeds]))
    values = [r.value for r in rows]
    assert values[0] == "1949" and "2024-07" in values
    from briefing.core.dates import sort_key

    assert [sort_key(r.value, r.mod) for r in rows] == sorted(sort_key(r.value, r.mod) for r in rows)
    for r in rows:  # each mention sits in its sentence, in its brief
        assert r.sentence[r.at[0]:r.at[1]] == r.text
        assert Path(r.path).name in (SEED_2022, SEED_2024)
    late_may = next(r for r in rows if (r.value, r.mod) == ("2024-05", "END"))
    assert late_may.words.lower().startswith("end of may") and late_may.words.endswith("2024")
    # the date referred to, not the day published: 1949 comes first, from the 2024 brief
    assert rows[0].published == "2024-06-19"


def test_timeline_bounds_and_entity(index, seeds):
    index.refresh([seeds])
    scope = Scope(roots=[seeds])
    inside = timeline(index, scope, date_from=day_of("2023", False), date_to=day_of("2024-06", True))
    assert {r.value for r in inside} == {"2023-11", "2024-05", "2024-06-19"}
    luxon = resolve(index, "Luxon").idents
    near = timeline(index, scope, entity=luxon)
    assert near and all("Luxon" in r.sentence for r in near)
    assert {r.value for r in near} >= {"2023-11"}
    with pytest.raises(ValueError):
        day_of("2024-13", False)
    with pytest.raises(ValueError):
        day_of("2024-W03", False)


def test_timeline_pages_follow_each_other(index, seeds):
    index.refresh([seeds])
    everything = timeline(index, Scope(roots=[seeds]))
    paged = timeline(index, Scope(roots=[seeds]), limit=4) + timeline(index, Scope(roots=[seeds]), limit=100, offset=4)
    assert [(r.path, r.start) for r in paged] == [(r.path, r.start) for r in everything]


def test_timeline_follows_the_lists_filters(index, seeds):
    index.refresh([seeds])
    rows = timeline(index, Scope(roots=[seeds], filters={"fact": [("leader", "Christopher Luxon")]}))
    assert rows and {Path(r.path).name for r in rows} == {SEED_2024}
    rows = timeline(index, Scope(roots=[seeds], query="Ardern Kiwi"))
    assert rows and {Path(r.path).name for r in rows} == {SEED_2022}


def test_profile_of_kishida(index, seeds):
    index.refresh([seeds])
    p = profile(index, "kishida", Scope(roots=[seeds]), company=100)
    assert p.name == "Fumio Kishida" and p.type == "leader"
    assert [(Path(b.path).name, b.mentions) for b in p.briefs] == [(SEED_2024, 5), (SEED_2022, 4)]
    assert (p.first_seen, p.last_seen) == ("2022-04-21", "2024-06-19")
    assert p.roles == [("Prime Minister of Japan", 2)] and p.countries == [("Japan", 2)]
    assert ("leader", "Jacinda Ardern", 2) in p.company[:3] and ("leader", "Christopher Luxon", 1) in p.company
    assert {c[1] for c in p.company[:2]} == {"Jacinda Ardern", "Japan"}  # in both, 10 mentions each
    assert len(p.contexts) == 9 and Path(p.contexts[0].path).name == SEED_2024
    for c in p.contexts:
        assert "Kishida" in c.sentence[c.at[0]:c.at[1]] or "Japanese" in c.sentence[c.at[0]:c.at[1]]
    assert p.months[0] == ("2022-04", 4) and p.months[-1] == ("2024-06", 5) and len(p.months) == 27
    assert sum(n for _, n in p.months) == p.mentions == 9
    out = p.as_json()
    assert list(out)[:4] == ["name", "type", "idents", "names"]


def test_profile_names_and_errors(index, seeds):
    index.refresh([seeds])
    scope = Scope(roots=[seeds])
    assert profile(index, "FUMIO  kishida", scope).mentions == 9
    assert profile(index, "leader:Ardern", scope).name == "Jacinda Ardern"
    assert profile(index, "2024-05", scope).type == "date"
    with pytest.raises(NotFound):
        profile(index, "region:Kishida", scope)
    with pytest.raises(NotFound):
        profile(index, "Nobody", scope)


IDS = """
---
title: {title}
published: {day}
entities:
  p: {{type: leader, name: {name}{extra}}}
---
[{name}]{{.leader ref=p}} spoke in [{place}]{{.region}}.
"""


def test_wikidata_ids_keep_namesakes_apart_and_join_spellings(index, tmp_path):
    d = tmp_path / "c"
    d.mkdir()
    write(d, "a.md", IDS.format(title="A", day="2024-01-01", name="John Smith", extra=", wikidata: Q1", place="Leeds"))
    write(d, "b.md", IDS.format(title="B", day="2024-02-01", name="John Smith", extra=", wikidata: Q2", place="Perth"))
    write(d, "c.md", IDS.format(title="C", day="2024-03-01", name="Smith John", extra=", wikidata: Q1", place="York"))
    write(d, "d.md", IDS.format(title="D", day="2024-04-01", name="Martin King Jr.", extra=", aliases: [King]",
                                place="Atlanta"))
    write(d, "e.md", IDS.format(title="E", day="2024-05-01", name="martin king", extra="", place="Memphis"))
    index.refresh([d])
    scope = Scope(roots=[d])
    with pytest.raises(Ambiguous) as exc:
        resolve(index, "John Smith")
    assert {c[2] for c in exc.value.candidates} == {"wd:Q1", "wd:Q2"}
    q1 = profile(index, "Q1", scope)
    assert sorted(b.title for b in q1.briefs) == ["A", "C"]
    king = profile(index, "King", scope)
    assert sorted(b.title for b in king.briefs) == ["D", "E"]


RELATED = """
---
title: {title}
entities:
  c: {{type: region, name: China}}
{more}
---
[China]{{.region ref=c}} and [China]{{.region ref=c}}. {text}
"""


def test_related_weighs_rare_facts_more(index, tmp_path):
    d = tmp_path / "r"
    d.mkdir()
    rare = "  m: {type: leader, name: Rare Minister}"
    me = write(d, "me.md", RELATED.format(title="Me", more=rare, text="[Rare Minister]{.leader ref=m} spoke."))
    write(d, "twin.md", RELATED.format(title="Twin", more=rare, text="[Rare Minister]{.leader ref=m} too."))
    for i in range(8):  # China everywhere: it tells little
        write(d, f"other{i}.md", RELATED.format(title=f"Other {i}", more="", text="[China]{.region} again."))
    index.refresh([d])
    rows = related(index, str(me), Scope(roots=[d]))
    assert rows[0].title == "Twin" and rows[0].score > 2 * rows[1].score
    assert rows[0].shared[0] == ("leader", "Rare Minister")
    assert "Me" not in [r.title for r in rows]


def test_sentence_around_a_place():
    text = "First one. Second one here.\nA heading\n\nLast. One more."
    assert text[slice(*sentence_around(text, 12))] == "Second one here."
    assert text[slice(*sentence_around(text, 30))] == "A heading"
    s, a, b = context("x" * 1000 + " key " + "y" * 1000, 1001, 1004)
    assert s[a:b] == "key" and len(s) <= 402
