"""The parser on every construct of the format: exact display text, offsets, styles, blocks,
mentions and facts; and every problem with its exact line and column."""

from __future__ import annotations

import datetime as dt

import pytest

import briefing.core.parser
from briefing.core.parser import load_brief, parse_brief
from briefing.core.problems import BriefError

FRONT = """---
title: Test brief
published: 2024-06-19
entities:
  kishida: {type: leader, name: Fumio Kishida, role: Prime Minister of Japan, country: Japan, aliases: [Kishida, the PM]}
  tokyo: {type: region, name: Tokyo, kind: city}
  meeting: {type: date, name: the meeting day, value: 2024-06-19}
---
"""
L = FRONT.count("\n") + 1  # the line number of the first body line (9)


def parse(body: str, front: str = FRONT):
    brief = parse_brief(front + body, "t.md")
    check_invariants(brief)
    return brief


def check_invariants(brief) -> None:
    for m in brief.mentions:
        assert 0 <= m.start <= m.end <= len(brief.text)
        assert brief.text[m.start : m.end] == m.text
        assert brief.source[m.src_start] == "["
        assert brief.source[m.src_end - 1] == "}"
    for s in brief.styles:
        assert 0 <= s.start <= s.end <= len(brief.text)
    for b in brief.blocks:
        assert 0 <= b.start <= b.content_start <= b.end <= len(brief.text)
    for d, q, n in brief.segments:  # verbatim runs: the same characters (soft breaks shown as spaces)
        assert brief.text[d : d + n] == brief.source[q : q + n].replace("\n", " ")


def problems(source: str | bytes) -> list[tuple[int, int, str, str]]:
    """(line, col, severity, message) of every problem, errors and warnings, in order."""
    try:
        brief = parse_brief(source, "t.md")
    except BriefError as exc:
        found = exc.problems
    else:
        found = brief.warnings
    return [(p.line, p.col, p.severity, p.message) for p in found]


def where(source: str | bytes) -> list[tuple[int, int, str]]:
    return [(line, col, sev) for line, col, sev, _ in problems(source)]


def only_error(source: str | bytes) -> tuple[int, int, str]:
    found = problems(source)
    assert len(found) == 1, found
    line, col, severity, message = found[0]
    assert severity == "error"
    return line, col, message


def spans(brief) -> list[tuple[str, str, dict]]:
    return [(m.type, m.text, m.attrs) for m in brief.mentions]


def styles(brief) -> list[tuple[str, str, str | None]]:
    return sorted((s.kind, brief.text[s.start : s.end], s.url) for s in brief.styles)


def blocks(brief) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, brief.text[b.start : b.end]) for b in brief.blocks]


# ============================================================================ blocks


def test_atx_headings_all_levels_and_closing_hashes():
    b = parse("# One\n\n## Two ##\n\n###### Six\n\n#NoSpace is text\n")
    assert b.text == "One\n\nTwo\n\nSix\n\n#NoSpace is text"
    assert blocks(b) == [("heading", 1, "One"), ("heading", 2, "Two"), ("heading", 6, "Six"),
                         ("paragraph", 0, "#NoSpace is text")]


def test_setext_headings():
    b = parse("Big title\n=========\n\nSmaller\n---\n\nText\n")
    assert b.text == "Big title\n\nSmaller\n\nText"
    assert blocks(b) == [("heading", 1, "Big title"), ("heading", 2, "Smaller"), ("paragraph", 0, "Text")]


def test_paragraph_soft_breaks_become_one_line():
    b = parse("first line\nsecond line\n   third, indented\n\nnext paragraph\n")
    assert b.text == "first line second line third, indented\n\nnext paragraph"
    assert blocks(b) == [("paragraph", 0, "first line second line third, indented"), ("paragraph", 0, "next paragraph")]


def test_trailing_single_space_before_soft_break_is_not_doubled():
    assert parse("one \ntwo\n").text == "one two"


def test_hard_breaks_two_spaces_and_backslash():
    b = parse("one  \ntwo\\\nthree\n")
    assert b.text == "one\ntwo\nthree"
    assert blocks(b) == [("paragraph", 0, "one\ntwo\nthree")]


def test_block_quotes_nested_and_lazy():
    b = parse("> quoted\n> still\n\n> > inner\n> > more\n> outer again\n")
    assert b.text == "quoted still\n\ninner more\n\nouter again"
    assert blocks(b) == [("quote", 1, "quoted still"), ("quote", 2, "inner more"), ("quote", 1, "outer again")]


def test_bullet_and_ordered_lists_with_nesting_and_continuation():
    b = parse("- one\n- two\n  continued\n  - nested\n* star\n+ plus\n\n1. first\n2) second\n")
    assert b.text == "• one\n• two continued\n• nested\n• star\n• plus\n1. first\n2) second"
    assert blocks(b) == [("item", 0, "• one"), ("item", 0, "• two continued"), ("item", 1, "• nested"),
                         ("item", 0, "• star"), ("item", 0, "• plus"), ("item", 0, "1. first"),
                         ("item", 0, "2) second")]
    assert [b.content_start - b.start for b in b.blocks] == [2, 2, 2, 2, 2, 3, 3]


def test_a_wrapped_number_does_not_start_a_list_but_one_does():
    b = parse("They split in\n1949. Since then\n1. a real list\n")
    assert blocks(b) == [("paragraph", 0, "They split in 1949. Since then"), ("item", 0, "1. a real list")]


def test_fenced_code_keeps_everything_literal():
    body = "Before\n\n```python\n[x]{.leader ref=nobody} *not emphasis* `tick`\n  indented\n```\n\n~~~\ntilde\n~~~\nAfter\n"
    b = parse(body)
    assert b.text == "Before\n\n[x]{.leader ref=nobody} *not emphasis* `tick`\n  indented\n\ntilde\n\nAfter"
    assert b.mentions == [] and b.styles == []
    assert [bl.kind for bl in b.blocks] == ["paragraph", "code", "code", "paragraph"]


def test_unclosed_fence_is_a_warning_and_runs_to_the_end():
    b = parse("Text\n\n```\ncode [x]{.leader}\n")
    assert b.text == "Text\n\ncode [x]{.leader}\n"
    assert [(w.line, w.col, w.severity, w.message) for w in b.warnings] == [(L + 2, 1, "warning", "code fence is never closed")]


def test_thematic_breaks():
    b = parse("a\n\n***\n\n- - -\n\n___\n\nb\n")
    assert b.text == "a\n\n───\n\n───\n\n───\n\nb"
    assert [bl.kind for bl in b.blocks] == ["paragraph", "rule", "rule", "rule", "paragraph"]


def test_raw_html_shows_as_text():
    assert parse("a <b>bold</b> & c\n").text == "a <b>bold</b> & c"


# ============================================================================ inlines


def test_emphasis_and_strong():
    b = parse("*em* _em2_ **strong** __strong2__ ***both*** a*b*c snake_case_word 2 * 3\n")
    assert b.text == "em em2 strong strong2 both abc snake_case_word 2 * 3"
    assert styles(b) == sorted([("emphasis", "em", None), ("emphasis", "em2", None), ("strong", "strong", None),
                                ("strong", "strong2", None), ("emphasis", "both", None), ("strong", "both", None),
                                ("emphasis", "b", None)])


def test_nested_emphasis_source_offsets():
    b = parse("*a **b** c*\n")
    assert b.text == "a b c"
    got = sorted((s.kind, b.text[s.start : s.end], b.source[s.src_start : s.src_end]) for s in b.styles)
    assert got == [("emphasis", "a b c", "*a **b** c*"), ("strong", "b", "**b**")]


def test_unmatched_delimiters_stay_text():
    assert parse("**a* and * c\n").text == "*a and * c"
    b = parse("**a* and *b** and * c\n")  # CommonMark: <em><em>a</em> and <em>b</em></em>
    assert b.text == "a and b and * c"
    assert styles(b) == [("emphasis", "a", None), ("emphasis", "a and b", None), ("emphasis", "b", None)]


def test_code_spans_keep_brackets_and_markup_literal():
    b = parse("use `[x]{.leader}` and ``a ` b`` and `` `x` ``\n")
    assert b.text == "use [x]{.leader} and a ` b and `x`"
    assert b.mentions == []
    assert styles(b) == [("code", "[x]{.leader}", None), ("code", "`x`", None), ("code", "a ` b", None)]


def test_backtick_runs_close_only_with_the_same_length():
    assert parse("a `b and ``c\n").text == "a `b and ``c"
    b = parse("a `b and ``c`\n")
    assert b.text == "a b and ``c"
    assert styles(b) == [("code", "b and ``c", None)]


def test_links_autolinks_and_images():
    b = parse('see [the site](https://example.org/a_(b) "Title") and <https://x.org/p?q=1> '
              "and ![a map](map.png) and [no link] and [ref][x]\n")
    assert b.text == "see the site and https://x.org/p?q=1 and a map and [no link] and [ref][x]"
    assert styles(b) == [("image", "a map", "map.png"), ("link", "https://x.org/p?q=1", "https://x.org/p?q=1"),
                         ("link", "the site", "https://example.org/a_(b)")]


def test_span_inside_link_text_and_emphasis_inside_span():
    b = parse("[see [Tokyo]{.region ref=tokyo}](https://t.jp) and [the *great* city]{.region ref=tokyo}\n")
    assert b.text == "see Tokyo and the great city"
    assert spans(b) == [("region", "Tokyo", {"ref": "tokyo"}), ("region", "the great city", {"ref": "tokyo"})]
    assert styles(b) == [("emphasis", "great", None), ("link", "see Tokyo", "https://t.jp")]


def test_backslash_escapes():
    b = parse(r"\[not a span\]{.leader} \*not em\* \_x\_ \` \\ \# \a" + "\n")
    assert b.text == r"[not a span]{.leader} *not em* _x_ ` \ # \a"
    assert b.mentions == [] and b.styles == []


def test_literal_brackets_without_attributes_are_text():
    b = parse("a [bracketed aside] and [another] end\n")
    assert b.text == "a [bracketed aside] and [another] end"
    assert b.mentions == []


# ============================================================================ spans


def test_span_basic_offsets_lines_and_columns():
    b = parse("The PM [Fumio Kishida]{.leader ref=kishida} met in [Tokyo]{.region ref=tokyo}.\n")
    assert b.text == "The PM Fumio Kishida met in Tokyo."
    m1, m2 = b.mentions
    assert (m1.type, m1.text, m1.start, m1.end, m1.ref, m1.line, m1.col) == ("leader", "Fumio Kishida", 7, 20, "kishida", L, 8)
    assert (m2.type, m2.text, m2.start, m2.end, m2.ref, m2.line, m2.col) == ("region", "Tokyo", 28, 33, "tokyo", L, 52)
    assert b.source[m1.src_start : m1.src_end] == "[Fumio Kishida]{.leader ref=kishida}"


def test_span_wrapping_across_lines_of_one_block():
    b = parse("Prime Minister [Fumio\nKishida]{.leader ref=kishida} spoke.\n")
    assert b.text == "Prime Minister Fumio Kishida spoke."
    (m,) = b.mentions
    assert (m.text, m.start, m.end, m.line, m.col) == ("Fumio Kishida", 15, 28, L, 16)


def test_span_wrapping_inside_a_quote_and_a_list_item():
    b = parse("> a [Fumio\n> Kishida]{.leader} b\n\n- c [To\n  kyo]{.region} d\n")
    assert b.text == "a Fumio Kishida b\n\n• c To kyo d"
    assert spans(b) == [("leader", "Fumio Kishida", {}), ("region", "To kyo", {})]
    assert [(m.line, m.col) for m in b.mentions] == [(L, 5), (L + 3, 5)]


def test_nested_spans():
    b = parse("[the PM [Kishida]{.leader ref=kishida} of Japan]{.org name=\"Government of Japan\"}\n")
    assert b.text == "the PM Kishida of Japan"
    assert spans(b) == [("org", "the PM Kishida of Japan", {"name": "Government of Japan"}),
                        ("leader", "Kishida", {"ref": "kishida"})]


def test_span_with_strong_around_and_inside():
    b = parse("**[Kishida]{.leader}** and [**Kishida**]{.leader}\n")
    assert b.text == "Kishida and Kishida"
    assert [(m.start, m.end) for m in b.mentions] == [(0, 7), (12, 19)]
    assert styles(b) == [("strong", "Kishida", None), ("strong", "Kishida", None)]


@pytest.mark.parametrize("attrs, expected", [
    ('{.leader}', {}),
    ('{.leader ref=kishida}', {"ref": "kishida"}),
    ('{.leader role="Prime Minister" country=Japan}', {"role": "Prime Minister", "country": "Japan"}),
    ("{.leader role='single quoted'}", {"role": "single quoted"}),
    ('{.leader role="with \\"escaped\\" quotes and } brace"}', {"role": 'with "escaped" quotes and } brace'}),
    ('{ .leader   #an-id  name=X }', {"name": "X"}),
    ('{.LEADER}', {}),
    ('{.leader .extra-class}', {}),
])
def test_every_attribute_form(attrs, expected):
    b = parse(f"[K]{attrs}\n")
    (m,) = b.mentions
    assert (m.type, m.attrs) == ("leader", expected)


def test_highlight_spans_are_marks_not_mentions():
    b = parse('A [key passage]{.highlight note="read this"} here.\n')
    assert b.text == "A key passage here."
    assert b.mentions == []
    (mark,) = b.marks
    assert (b.text[mark.start : mark.end], mark.note) == ("key passage", "read this")


def test_unknown_span_attribute_is_a_warning_at_the_attribute():
    b = parse("[K]{.leader colour=red}\n")
    assert [(w.line, w.col, w.severity) for w in b.warnings] == [(L, 13, "warning")]
    assert "unknown attribute 'colour'" in b.warnings[0].message


# ============================================================================ facts


def test_ref_alias_and_text_grouping():
    body = ("[Fumio Kishida]{.leader ref=kishida}, [Kishida]{.leader}, [the PM]{.leader}, "
            "[Luxon]{.leader role=PM country=\"New Zealand\"} and [luxon]{.leader}. [Tokyo]{.region}.\n")
    b = parse(body)
    facts = b.facts_json()["facts"]
    assert facts["leader"] == [
        {"name": "Fumio Kishida", "role": "Prime Minister of Japan", "country": "Japan", "mentions": 3},
        {"name": "Luxon", "role": "PM", "country": "New Zealand", "mentions": 2},
    ]
    assert facts["region"] == [{"name": "Tokyo", "kind": "city", "mentions": 1}]


def test_declared_entities_without_mentions_are_still_facts():
    b = parse("Nothing annotated.\n")
    facts = b.facts_json()["facts"]
    assert [f["name"] for f in facts["leader"]] == ["Fumio Kishida"]
    assert [(f["value"], f["mentions"]) for f in facts["date"]] == [("2024-06-19", 0)]


@pytest.mark.parametrize("value, precision", [
    ("2024", "year"), ("2024-06", "month"), ("2024-06-19", "day"), ("2024-W25", "week"),
    ("2024-Q2", "quarter"), ("202X", "decade"), ("20XX", "century"),
])
def test_date_values_and_precision(value, precision):
    b = parse(f"[then]{{.date value={value}}}\n")
    (fact,) = [f for f in b.facts_json()["facts"]["date"] if f["mentions"]]
    assert (fact["value"], fact["precision"], fact["mod"], fact["texts"]) == (value, precision, None, ["then"])


def test_date_mod_is_normalised_to_upper_case():
    b = parse("[late May]{.date value=2024-05 mod=end}\n")
    assert b.mentions[0].attrs == {"value": "2024-05", "mod": "END"}
    (fact,) = [f for f in b.facts["date"] if f.mentions]
    assert (fact.value, fact.mod, fact.label) == ("2024-05", "END", "end of May 2024")


def test_date_ref_takes_the_entity_value():
    b = parse("[Wednesday]{.date ref=meeting} and [that day]{.date ref=meeting}\n")
    (fact,) = b.facts["date"]
    assert (fact.value, fact.mentions, fact.texts) == ("2024-06-19", 2, ["Wednesday", "that day"])


def test_dates_are_listed_chronologically():
    body = ("[July]{.date value=2024-07}, [1997]{.date value=1997}, [late May]{.date value=2024-05 mod=END}, "
            "[early May]{.date value=2024-05 mod=START}, [May]{.date value=2024-05}, [the 1990s]{.date value=199X}, "
            "[2024]{.date value=2024}, [Q2]{.date value=2024-Q2}, [1949]{.date value=1949}\n")
    b = parse(body)
    got = [(f.value, f.mod) for f in b.facts["date"]]
    assert got == [("1949", None), ("199X", None), ("1997", None), ("2024", None), ("2024-Q2", None),
                   ("2024-05", "START"), ("2024-05", None), ("2024-05", "END"), ("2024-06-19", None), ("2024-07", None)]


def test_published_and_meta():
    front = ('---\ntitle: "  A title  "\npublished: 2024-06-19\nsource: Agency\nurl: https://example.org/x\n'
             "tags: [one, two]\nsummary: Short.\n---\n")
    b = parse("Body.\n", front)
    assert b.meta.model_dump() == {"title": "A title", "published": dt.date(2024, 6, 19), "source": "Agency",
                                   "url": "https://example.org/x", "tags": ["one", "two"], "summary": "Short.",
                                   "draft": False}
    assert b.facts_json()["published"] == "2024-06-19"
    assert parse("Body.\n", "---\ntitle: T\ndraft: true\n---\n").meta.draft is True
    with pytest.raises(BriefError, match="draft must be true or false"):
        parse("Body.\n", "---\ntitle: T\ndraft: maybe\n---\n")


def test_yaml_scalars_stay_text():
    front = "---\ntitle: 1e3\ntags: [yes, NO, 0x1F, 2024-01-01]\nentities:\n  n: {type: region, name: Norway, country: NO}\n---\n"
    b = parse("x\n", front)
    assert (b.meta.title, b.meta.tags, b.entities["n"].country) == ("1e3", ["yes", "NO", "0x1F", "2024-01-01"], "NO")


def test_empty_body_is_valid():
    b = parse_brief("---\ntitle: T\n---\n", "t.md")
    assert (b.text, b.blocks, b.mentions) == ("", [], [])


# ============================================================================ span errors


@pytest.mark.parametrize("body, col, message", [
    ("a [open\n", 3, "unclosed '['"),
    ("a ]{.leader} b\n", 3, "']{' closes a span that was never opened with '['"),
    ("[a]{.leader\n", 4, "unclosed '{'"),
    ("[a]{.leader ref=kishida\n}\n", 4, "unclosed '{'"),
    ("[a]{ref=kishida}\n", 4, "a span needs a type"),
    ("[a]{.leader =x}\n", 13, "malformed attribute '=x'"),
    ("[a]{.leader.region}\n", 5, "malformed attribute '.leader.region'"),
    ('[a]{.leader role="x"y}\n', 13, "malformed attribute"),
    ('[a]{.leader role="unterminated}\n', 4, "unclosed '{'"),
    ("[a]{.leader ref=kishida ref=kishida}\n", 25, "attribute 'ref' given twice"),
    ("x []{.leader}\n", 3, "empty span"),
    ("xx [a]{.leader ref=zz}\n", 16, "ref 'zz' names no entity declared in the front matter"),
    ("[a]{.region  ref=kishida}\n", 14, "ref 'kishida' is a leader but the span is .region"),
    ("[a]{.date}\n", 1, "a .date span needs a normalized value"),
    ("[a]{.date value=2023-13}\n", 11, "month 13 does not exist"),
    ("[a]{.date value=2023-02-30}\n", 11, "that day does not exist"),
    ("[a]{.date value=2023-W53}\n", 11, "2023 has no week 53"),
    ("[a]{.date value=June}\n", 11, "malformed date value 'June'"),
    ("[a]{.date value=2023 mod=LATE}\n", 22, "unknown date mod 'LATE'"),
    ("[a]{.leadér}\n", 1, "must be a lowercase word"),
    ("\\[a]{.leader}\n", 4, "']{' closes a span that was never opened"),
    ("[a\\]{.leader}\n", 1, "unclosed '['"),
    ("`[a]{.leader`]{.x}\n", 14, "']{' closes a span that was never opened"),
    ("![a]{.leader =x}\n", 14, "malformed attribute"),
])
def test_span_errors_with_line_and_column(body, col, message):
    line, got_col, got = only_error(FRONT + body)
    assert (line, got_col) == (L, col)
    assert message in got


def test_span_cannot_cross_a_blank_line():
    assert where(FRONT + "x\n[a\n\nb]{.leader}\n") == [(L + 1, 1, "error"), (L + 3, 2, "error")]


def test_image_bang_before_a_span_is_text():
    b = parse("Wow![Tokyo]{.region}\n")
    assert b.text == "Wow!Tokyo"
    assert spans(b) == [("region", "Tokyo", {})]


def test_brackets_nested_too_deep_is_one_error_plus_the_unclosed_ones():
    found = problems(FRONT + "[" * 40 + "x\n")
    assert found[0][:3] == (L, 1, "error")
    deep = [p for p in found if "nested more than" in p[3]]
    assert [(p[0], p[1]) for p in deep] == [(L, 33)]
    assert len([p for p in found if "unclosed '['" in p[3]]) == 32


# ============================================================================ front matter errors


def fm_error(yaml_lines: str, body: str = "x\n") -> tuple[int, int, str]:
    return only_error("---\n" + yaml_lines + "---\n" + body)


def test_unknown_front_matter_key():
    line, col, message = fm_error("title: T\nauthor: me\n")
    assert (line, col) == (3, 1)
    assert message.startswith("unknown key 'author' in front matter (known: title, published,")


def test_unknown_entity_key():
    line, col, message = fm_error("title: T\nentities:\n  a:\n    type: leader\n    name: A\n    party: X\n")
    assert (line, col) == (7, 5)
    assert message.startswith("unknown key 'party' in entity 'a'")


def test_entity_problems():
    assert fm_error("title: T\nentities:\n  a: {name: A}\n")[:2] == (4, 3)
    assert "needs a type" in fm_error("title: T\nentities:\n  a: {name: A}\n")[2]
    assert "needs a name" in fm_error("title: T\nentities:\n  a: {type: leader}\n")[2]
    line, col, message = fm_error("title: T\nentities:\n  d:\n    type: date\n    name: D\n    value: 2024-13\n")
    assert (line, col) == (7, 12) and "month 13 does not exist" in message
    line, col, message = fm_error("title: T\nentities:\n  d: {type: date, name: D, value: 2024, mod: SOON}\n")
    assert (line, col) == (4, 46) and "unknown date mod 'SOON'" in message
    line, col, message = fm_error("title: T\nentities:\n  bad id: {type: leader, name: A}\n")
    assert (line, col) == (4, 3) and "entity id 'bad id'" in message
    line, col, message = fm_error("title: T\nentities: [a, b]\n")
    assert (line, col) == (3, 11) and "entities must be a mapping" in message


def test_invalid_yaml():
    line, col, message = fm_error("title: a: b\n")
    assert (line, col) == (2, 9) and message.startswith("invalid YAML: mapping values are not allowed")


def test_missing_title():
    assert fm_error("source: s\n") == (1, 1, "missing title: add 'title: ...' to the front matter")
    assert fm_error("")[2].startswith("missing title")
    assert fm_error("title:\n")[:2] == (2, 7)


def test_missing_and_unclosed_front_matter():
    line, col, message = only_error("Just text.\n")
    assert (line, col) == (1, 1) and message.startswith("missing front matter")
    line, col, message = only_error("---\ntitle: T\nno closing line\n")
    assert (line, col) == (1, 1) and "never closed" in message


def test_front_matter_must_be_a_mapping():
    assert fm_error("- a\n- b\n") == (2, 1, "front matter must be a mapping of keys (title: ..., published: ...)")


@pytest.mark.parametrize("value, col", [("yesterday", 12), ("2023-02-30", 12), ("2024", 12), ("[2024]", 12)])
def test_published_not_a_date(value, col):
    line, got_col, message = fm_error(f"title: T\npublished: {value}\n")
    assert (line, got_col) == (3, col)
    assert message.startswith("published must be an ISO date (YYYY-MM-DD)")


def test_url_not_http():
    assert fm_error("title: T\nurl: ftp://example.org\n") == (3, 6, "url must start with http:// or https://")
    assert fm_error("title: T\nurl: javascript:alert(1)\n")[:2] == (3, 6)


@pytest.mark.parametrize("value", ["security", "{a: 1}", "5"])
def test_tags_not_a_list(value):
    assert fm_error(f"title: T\ntags: {value}\n") == (3, 7, "tags must be a list: tags: [security, japan]")


def test_yaml_anchors_and_aliases_are_refused():
    found = problems("---\ntitle: &t T\nsummary: *t\n---\nx\n")
    assert [(p[0], p[1]) for p in found] == [(2, 8), (3, 10)]
    assert all("anchors and aliases" in p[3] for p in found)


def test_yaml_tags_are_refused():
    line, col, message = fm_error("title: !!python/object/apply:os.system [echo hi]\n")
    assert (line, col) == (2, 8)
    assert message == "YAML tags (!!python/object/apply:os.system) are not allowed in briefs"
    assert fm_error("title: !custom T\n")[:2] == (2, 8)


@pytest.mark.parametrize("nest", ["[" * 100_000, "- " * 100_000, "{a: " * 60_000], ids=["flow-seq", "block-seq", "flow-map"])
def test_deep_yaml_nesting_is_refused_without_crashing(nest):
    found = problems("---\ntitle: T\nx:\n" + nest + "\n---\nbody\n")
    assert len(found) == 1 and found[0][2] == "error"
    assert found[0][3].startswith(("front matter is nested more than 16 levels deep", "invalid YAML",
                                   "front matter is larger than 256 KB"))


def test_deep_yaml_nesting_position():
    assert where("---\ntitle: " + "[" * 100_000 + "\n---\nx\n") == [(2, 23, "error")]


def test_front_matter_over_256_kb_is_refused():
    line, col, message = only_error("---\ntitle: T\nsummary: " + "x" * (256 * 1024) + "\n---\nx\n")
    assert (line, col, message) == (2, 1, "front matter is larger than 256 KB")


def test_duplicate_key():
    assert fm_error("title: T\ntitle: U\n") == (3, 1, "duplicate key 'title'")
    assert fm_error("title: T\nentities:\n  a: {type: leader, name: A, name: B}\n")[:2] == (4, 30)


def test_noncharacter_in_yaml_is_a_placeholder_not_a_crash():
    b = parse_brief("---\ntitle: a\ufffeb\n---\nx\n")
    assert b.meta.title == "a\ufffdb"


# ============================================================================ files and bytes


def test_empty_and_blank_files():
    for data in (b"", b"   \n\n", "", "\ufeff", b"\xef\xbb\xbf\n"):
        line, col, message = only_error(data)
        assert (line, col) == (1, 1) and message.startswith("empty file")


def test_binary_file():
    line, col, message = only_error(b"---\ntitle: T\n---\nab\x00cd\n")
    assert (line, col) == (1, 1) and message.startswith("binary file")


@pytest.mark.parametrize("data, line, col", [
    (b"---\ntitle: T\n---\nab\ncd\xffe\n", 5, 3),
    ("---\ntitle: T\n---\n\u00e9\u00e9 ".encode() + b"\xe2\x82\n", 4, 4),
    (b"---\ntitle: caf\xe9\n---\nx\n", 2, 11),
])
def test_not_utf8_points_at_the_bad_byte(data, line, col):
    got_line, got_col, message = only_error(data)
    assert (got_line, got_col) == (line, col)
    assert message.startswith("not UTF-8: byte 0x")


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(briefing.core.parser, "MAX_BRIEF_BYTES", 100)
    small = tmp_path / "small.md"
    small.write_text("---\ntitle: T\n---\nshort\n", encoding="utf-8")
    assert load_brief(small).text == "short"
    big = tmp_path / "big.md"
    big.write_text("---\ntitle: T\n---\n" + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(BriefError) as info:
        load_brief(big)
    (p,) = info.value.problems
    assert (p.path, p.line, p.col, p.severity) == (str(big), 1, 1, "error")
    assert "refused" in p.message
    with pytest.raises(BriefError):
        parse_brief(big.read_bytes(), "big.md")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(BriefError) as info:
        load_brief(tmp_path / "nope.md")
    assert info.value.problems[0].message == "no such file"
    with pytest.raises(BriefError) as info:
        load_brief(tmp_path)
    assert info.value.problems[0].message == "is a folder, not a brief"


def test_crlf_line_endings_keep_offsets_and_columns():
    lf = FRONT + "one [Kishida]{.leader ref=kishida}\ntwo [Tokyo]{.region ref=tokyo}\n\n[bad]{.leader ref=zz}\n"
    crlf = lf.replace("\n", "\r\n").encode()
    assert problems(crlf) == problems(lf)
    assert where(crlf) == [(L + 3, 15, "error")]
    good = lf.replace("[bad]{.leader ref=zz}", "x")
    b_lf, b_crlf = parse_brief(good), parse_brief(good.replace("\n", "\r\n").encode())
    assert b_crlf.text == b_lf.text == "one Kishida two Tokyo\n\nx"
    assert [(m.start, m.end, m.line, m.col) for m in b_crlf.mentions] == [(4, 11, L, 5), (16, 21, L + 1, 5)]
    assert "\r" not in b_crlf.text and "\r" not in b_crlf.source


def test_lone_cr_line_endings():
    b = parse_brief(b"---\rtitle: T\r---\rone\rtwo\r")
    assert (b.meta.title, b.text) == ("T", "one two")


def test_bom_is_dropped_and_columns_unchanged():
    data = ("\ufeff" + FRONT + "ab [Kishida]{.leader ref=kishida}\n").encode()
    b = parse_brief(data)
    assert b.warnings == [] and b.text == "ab Kishida"
    assert (b.mentions[0].line, b.mentions[0].col) == (L, 4)
    assert where(("\ufeff" + FRONT + "ab [x]{.leader ref=zz}\n").encode()) == [(L, 16, "error")]


# ============================================================================ safety


@pytest.mark.parametrize("ch", ["\u202e", "\u2066", "\u200b", "\u200f", "\u2060", "\ufeff"])
def test_bidi_and_zero_width_are_warnings_and_placeholders(ch):
    b = parse(f"abc{ch}def [x{ch}y]{{.region}}\n")
    assert b.text == "abc\ufffddef x\ufffdy"
    assert b.mentions[0].text == "x\ufffdy"
    assert [(w.line, w.col, w.severity) for w in b.warnings] == [(L, 4, "warning"), (L, 11, "warning")]
    assert f"U+{ord(ch):04X}" in b.warnings[0].message


def test_esc_in_text_and_in_yaml_become_control_pictures():
    front = ('---\ntitle: "a\\e]0;evil title\\a b"\nsummary: "csi \\x9b31m"\nsource: "\\e[2J"\n'
             'entities:\n  e: {type: leader, name: "A\\e[31mB", aliases: ["\\u202eC"], role: "\\x07"}\n---\n')
    b = parse_brief(front + "x \x1b]0;pwned\x07 y \x1b(B [E]{.leader ref=e}\n")
    assert b.meta.title == "a\u241b]0;evil title\u2407 b"
    assert b.meta.summary == "csi \ufffd31m"
    assert b.meta.source == "\u241b[2J"
    e = b.entities["e"]
    assert (e.name, e.aliases, e.role) == ("A\u241b[31mB", ["\ufffdC"], "\u2407")
    assert b.text == "x \u241b]0;pwned\u2407 y \u241b(B E"
    escaped = "written as a YAML escape (shown as a placeholder)"
    assert [(w.line, w.col, w.message) for w in b.warnings] == [
        # YAML escapes put characters in the front matter that its text does not show: one
        # warning per string, at the value.
        (2, 8, f"control character U+001B {escaped}"),
        (3, 10, f"control character U+009B {escaped}"),
        (4, 9, f"control character U+001B {escaped}"),
        (6, 27, f"control character U+001B {escaped}"),
        (6, 49, "invisible or bidirectional control character U+202E written as a YAML escape (shown as \ufffd): "
                "it can hide or reorder text"),
        (6, 67, f"control character U+0007 {escaped}"),
        (8, 3, "control character U+001B (shown as a placeholder)"),
        (8, 12, "control character U+0007 (shown as a placeholder)"),
        (8, 16, "control character U+001B (shown as a placeholder)"),
    ]
    assert b.facts_json()["facts"]["leader"][0]["name"] == "A\u241b[31mB"


def _all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _all_strings(k)
            yield from _all_strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _all_strings(v)


def test_no_raw_control_character_survives_anywhere():
    controls = "".join(chr(c) for c in range(32) if c not in (9, 10)) + "\x7f\x85\x9b"
    front = '---\ntitle: "t' + "".join(f"\\x{ord(c):02x}" for c in controls) + '"\ntags: ["\\e"]\n' \
            'entities:\n  e: {type: region, name: "n\\e", kind: "\\x9b", description: "\\x1b[0m"}\n---\n'
    body = "a" + controls.replace("\r", "") + " [b\x1bc]{.region ref=e note=\"\x07\"}\n"
    b = parse_brief(front + body)
    strings = list(_all_strings(b.model_dump(mode="json"))) + list(_all_strings(b.facts_json()))
    for s in strings:
        assert not any(ord(ch) < 32 and ch not in "\t\n" or 0x7F <= ord(ch) <= 0x9F for ch in s), repr(s)
    assert "\u241b" in b.text and "\u241b" in b.meta.title


def test_many_invisible_characters_are_summarised():
    b = parse("x" + "\u200b" * 50 + "\n")
    assert len(b.warnings) == 21
    assert b.warnings[-1].message == "30 more invisible or bidirectional characters (shown as \ufffd)"


def test_lone_surrogates_in_text_input_become_placeholders():
    b = parse_brief("---\ntitle: T\ud800\n---\nx\udfffy\n")
    assert (b.meta.title, b.text) == ("T\ufffd", "x\ufffdy")


# ============================================================================ several problems


def test_problems_from_everywhere_are_all_reported_sorted_by_line():
    source = ("---\ntitle: T\nauthor: me\npublished: soon\nentities:\n  a: {type: leader, name: A, party: X}\n---\n"
              "ok [A]{.leader ref=a}\n\n[x]{.leader ref=nobody} and \u202e\n\n[y]{.date value=2023-13} [z\n")
    found = where(source)
    assert found == [(3, 1, "error"), (4, 12, "error"), (6, 30, "error"), (10, 13, "error"), (10, 29, "warning"),
                     (12, 11, "error"), (12, 26, "error")]
    assert found == sorted(found, key=lambda p: (p[0], p[1]))


def test_no_cascade_from_a_broken_declaration_or_front_matter():
    # The entity is declared (with a problem): its mentions are not errors too.
    source = "---\ntitle: T\nentities:\n  a: {type: leader, name: A, party: X}\n  d: {type: date, name: D, value: 2024-13}\n---\n"
    assert where(source + "[A]{.leader ref=a} [D]{.date ref=d}\n") == [(4, 30, "error"), (5, 35, "error")]
    # The front matter does not load: refs are not checked, other span problems still are.
    assert where("---\ntitle: [\n---\n[A]{.leader ref=a} [b]{.leader =x}\n") == [(3, 1, "error"), (4, 32, "error")]


def test_brief_error_carries_path_and_formats_like_a_compiler():
    with pytest.raises(BriefError) as info:
        parse_brief(FRONT + "[x]{.leader ref=zz}\n", "dir/my brief.md")
    assert str(info.value) == f"dir/my brief.md:{L}:13: error: ref 'zz' names no entity declared in the front matter"


def test_a_date_ref_and_the_same_value_are_one_fact():
    b = parse("[Wednesday]{.date ref=meeting} and [19 June]{.date value=2024-06-19} and [June]{.date value=2024-06}\n")
    assert [(f.value, f.mentions, f.texts) for f in b.facts["date"]] == [
        ("2024-06", 1, ["June"]), ("2024-06-19", 2, ["Wednesday", "19 June"])]
    assert b.facts["date"][1].name == "the meeting day"


@pytest.mark.parametrize("chunk", [">", "[", "*", "_", "`", "- ", "> - "], ids=repr)
def test_body_nested_100_000_deep_is_handled(chunk):
    found = problems(FRONT + chunk * 100_000 + " x\n")
    assert all(sev in ("error", "warning") for _, _, sev, _ in found)
    assert len(found) <= 40  # bounded, not one per character
