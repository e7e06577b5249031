"""The index's fast path (briefing.index.fast) against the full parser.

extract() may give up (None) on anything, but whatever it returns must be exactly what the
index would store from parse_brief: the same title, date, source, url, summary, tags,
display text, fact rows and fact words; and it may only return for a brief with no
problem at all. Checked on the generated corpus, the shipped briefs, the hostile fixtures,
the format's own example, and random edits of all of them. The corpus test also checks
that the common brief does take the fast path (the indexing speed rests on it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile import make_fixtures as mf
from bench.corpus import generate_brief
from briefing.index import brief_fields, parse_file
from briefing.index.fast import _extract, _GiveUp, extract
from briefing.core.parser import parse_brief
from briefing.core.problems import BriefError

REPO = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same_as_parser(data: bytes) -> bool:
    """Whether the fast path took ``data``; fails if what it gave differs from the parser's
    (or if it raised anything but its giving up: extract() would hide that)."""
    try:
        fast = _extract(data)
    except _GiveUp:
        fast = None
    assert extract(data) == fast
    if fast is None:
        return False
    try:
        brief = parse_brief(data, "x.md")
    except BriefError as exc:
        pytest.fail(f"the fast path took a brief with errors: {exc.problems[:3]}")
    assert not brief.warnings, "the fast path took a brief with warnings"
    assert fast == brief_fields(brief)
    return True


@pytest.mark.parametrize("text, fast", [("a\u00a0b", True), ("a\tb", True), ("a\u200bb", False), ("a\x1bb", False),
                                        ("a\u202eb", False), ("a\x85b", False)])
def test_characters_that_are_not_printable(text, fast):
    assert same_as_parser(f"---\ntitle: T\n---\n\n{text} [Xi]{{.leader}}\n".encode()) is fast


def corpus(seed: int, n: int, error: str | None = None) -> list[bytes]:
    return [generate_brief(seed, i, error=error)[1].encode() for i in range(n)]


def test_every_generated_brief_takes_the_fast_path_and_gets_the_same_fields():
    briefs = corpus(0, 150) + corpus(7, 150, ) + [generate_brief(3, i, size_kb=1)[1].encode() for i in range(50)]
    taken = sum(same_as_parser(b) for b in briefs)
    assert taken == len(briefs)


@pytest.mark.parametrize("error", ["ref", "bracket", "yaml"])
def test_a_brief_with_an_error_is_left_to_the_parser(error):
    for data in corpus(1, 20, error):
        assert extract(data) is None


def test_the_shipped_briefs_take_the_fast_path():
    paths = sorted((REPO / "briefs").glob("*.md"))
    assert paths
    for p in paths:
        assert same_as_parser(p.read_bytes()), p.name


def test_the_format_example_gets_the_same_fields():
    text = (REPO / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```markdown\n(.*?)```", text, re.S)
    assert blocks
    for block in blocks:
        same_as_parser(block.encode())


@pytest.mark.parametrize("name", sorted(mf.SMALL))
def test_hostile_fixtures_are_left_to_the_parser_or_get_the_same_fields(name):
    same_as_parser(mf.SMALL[name])


def test_big_generated_hostile_input_is_left_to_the_parser_or_gets_the_same_fields():
    for data in (mf.deep_yaml_flow(2_000), mf.deep_yaml_block(100), mf.deep_markdown(2_000), mf.many_spans(2_000),
                 mf.long_line(100_000)):
        same_as_parser(data)


def test_parse_file_stores_the_same_row_either_way(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_bytes(corpus(2, 1)[0])
    fast = parse_file(str(path))
    monkeypatch.setattr("briefing.index.fast.extract", lambda data: None)
    slow = parse_file(str(path))
    skip = {5}  # when it was checked
    assert [v for i, v in enumerate(fast) if i not in skip] == [v for i, v in enumerate(slow) if i not in skip]


# ---------------------------------------------------------------------------- random edits

BASES = [generate_brief(5, i, size_kb=1.5)[1] for i in range(8)] + [
    p.read_text(encoding="utf-8") for p in sorted((REPO / "briefs").glob("*.md"))]

# What the fast path must tell apart: YAML and Markdown syntax, the span grammar, and text
# that only looks like it.
PIECES = st.sampled_from([
    "*", "**", "_", "`", "\\", "[", "]", "{", "}", "]{", "{.", "!", "<", ">", "#", "# ", "- ", "* ", "1. ", "2) ",
    ":", ": ", " #", "\"", "'", "''", ",", "&a", "*a", "!!str ", "|", "~", "null", "yes", "\n", "\n\n", "  ",
    "    ", "\t", "\r", "\r\n", "---\n", "...", "=", "===\n", "\u00a0", "\u200b", "\x1b", "é", "Ü", "ß", "İ",
    "{.leader}", "{.leader ref=nobody}", "{.date value=2024}", "{.date value=2024-13}", "{.date mod=soon}",
    "{.region ref=china}", "{.Region}", "{.x y=1}", "{.org name=\"A B\"}", "{.leader role=PM}", "[]{.org}",
    "[a]{.org}", "[X]{.highlight note=n}", "[[a]{.org}]{.org}", " value=2024", " ref=", "aliases: [A, B]\n",
    "  extra:\n", "    kind: city\n", "tags: [a, b,]\n", "tags: []\n", "url: ftp://x\n", "summary: a: b\n",
    "title: \"\"\n", "published: 2024-02-30\n", "entities:\n", "    type: Leader\n", "    value: 2024-W53\n",
])


def edit(text: str, data) -> str:
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            text = text[:at] + data.draw(PIECES) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 12)):]
        else:
            text = text[:at] + data.draw(PIECES) + text[at + 1:]
    return text


@SETTINGS
@given(st.data())
def test_random_edits_of_a_brief_are_left_to_the_parser_or_get_the_same_fields(data):
    base = data.draw(st.sampled_from(BASES))
    same_as_parser(edit(base, data).encode("utf-8", "surrogatepass"))


# Front matter values: what YAML reads as null, as other types, as a problem, or as text.
VALUES = st.one_of(
    st.sampled_from(["x", "a b", "yes", "No", "null", "~", "''", "'a''b'", "\"a\\\"b\"", "\"\"", "a: b", "a:", "a #b",
                     "a#b", "-x", "- x", "?x", "[a, b]", "[a, [b]]", "[ ]", "[a,]", "[\"a, b\", c]", "{a: b}", "&x y",
                     "*x", "!t x", "|", ">", "%x", "@x", "`x", "2024-06-19", "2024-06-19T10:00", "2024-6-1", "1.5",
                     "https://x.org/a?b=c:d", "a  b", "a ", "\"a\" b", "'a' b", "é", "ü ß"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)
KEYS = st.sampled_from(["title", "published", "source", "url", "summary", "tags", "entities", "extra", "null", "0"])


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from([0, 0, 0, 1, 2, 3, 4, 6]), KEYS, VALUES), max_size=8), st.data())
def test_random_front_matter_is_left_to_the_parser_or_gets_the_same_fields(lines, data):
    base = data.draw(st.sampled_from(BASES))
    head, body = base.split("\n---\n", 1)
    extra = "".join(f"{' ' * indent}{key}: {value}\n" for indent, key, value in lines)
    cut = data.draw(st.integers(0, head.count("\n")))
    head_lines = head.split("\n")
    text = "\n".join(head_lines[:cut + 1]) + "\n" + extra + "\n".join(head_lines[cut + 1:]) + "\n---\n" + body
    same_as_parser(text.encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------------------- chosen cases

def brief(meta: str = "", entity: str = "", body: str = "[Xi]{.leader ref=xi} met [Ardern]{.leader}.") -> bytes:
    return ("---\ntitle: \"A brief\"\npublished: 2024-06-19\n" + meta + "entities:\n  xi:\n    type: leader\n"
            "    name: \"Xi Jinping\"\n" + entity + "---\n\n" + body + "\n").encode()


@pytest.mark.parametrize("value, fast", [
    ("Plain text", True), ("trailing spaces   ", True), ("'single'", True), ('"double"', True),
    ('"with # hash: and colon"', True), ("yes", True), ("2024-06-19", True), ("https://x.org/a?b=c:d", True),
    ("null", False), ("~", False), ("a: b", False), ("a #c", False), ("'it''s'", False), ("[a, b]", False),
    ("-x", False), ("a:", False), ("", False), ('"esc\\"aped"', False), ("&a x", False), ("|", False),
])
def test_front_matter_values(value, fast):
    assert same_as_parser(brief(f"source: {value}\n")) is fast


@pytest.mark.parametrize("value, fast", [
    ("[a, b]", True), ('["a, b", c]', True), ("[ ]", True), ("[yes, 1.5, 2024]", True), ("[a b,  c ]", True),
    ("[a,]", False), ("[a, [b]]", False), ("[null]", False), ("[~, a]", False), ("security", False),
    ("[a, -b]", False), ("[a: b]", False),
])
def test_tag_lists(value, fast):
    assert same_as_parser(brief(f"tags: {value}\n")) is fast


@pytest.mark.parametrize("lines, fast", [
    ("    aliases: [Xi, \"President Xi\"]\n", True), ("    aliases: Xi\n", True), ("    role: \"President\"\n", True),
    ("    type: Leader\n", False),  # a second 'type' key: a problem
    ("    country: [China]\n", False), ("    extra: 1\n", False), ("      deeper: x\n", False),
    ("  nk:\n    type: region\n    name: North Korea\n", True), ("  d:\n    type: date\n    name: Then\n    value: 2024-W53\n", False),
    ("  d:\n    type: date\n    name: Then\n    value: 2024-Q3\n    mod: end\n", True), ("  e:\n", False),
    ("  g:\n    type: Org\n    name: G\n", True), ("  h:\n    type: \"two words\"\n    name: H\n", False),
])
def test_entities(lines, fast):
    assert same_as_parser(brief(entity=lines)) is fast


@pytest.mark.parametrize("lines, fast", [
    # How entities are laid out: blank lines, the same id twice, lines outside a block.
    ("\n  nk:\n    type: region\n\n    name: North Korea\n  \n", True), ("  nk:\n    type: region\n    name: N\n\n", True),
    ("  xi:\n    type: region\n    name: X\n", False), ("  source: x\n", False),
    ("  nk:\n    type: region\nsource: x\n    name: N\n", False), ("  nk: x\n    type: region\n    name: N\n", False),
    ("  nk:\n    type: region\n    name: North Korea\n      kind: city\n", False),
])
def test_entity_layouts(lines, fast):
    assert same_as_parser(brief(entity=lines, body="[A]{.org} said.")) is fast


@pytest.mark.parametrize("text", ["---\ntitle: A\nentities:\n---\n\nbody\n",
                                  "---\ntitle: A\nentities:\nsource: x\n---\n\nbody\n"])
def test_no_entities_under_the_key(text):
    assert same_as_parser(text.encode()) is True


def test_an_entity_block_outside_the_entities_is_left_to_the_parser():
    assert same_as_parser(brief(meta="source: x\n  nk:\n    type: region\n    name: N\n", body="[A]{.org}")) is False


def test_each_entity_block_is_read_once_and_the_cache_is_bounded(monkeypatch):
    import briefing.index.fast as fast

    reads = []
    real = fast._read_entity
    monkeypatch.setattr(fast, "_read_entity", lambda block: reads.append(block) or real(block))
    monkeypatch.setattr(fast, "_ENTITIES", {})
    data = brief(entity="  nk:\n    type: region\n    name: North Korea\n")
    assert same_as_parser(data) and same_as_parser(data)
    assert len(reads) == 2  # xi and nk, once each
    monkeypatch.setattr(fast, "_ENTITIES_MAX", 2)
    assert same_as_parser(brief(entity="  nz:\n    type: region\n    name: New Zealand\n"))
    assert len(fast._ENTITIES) == 2


def test_an_entity_block_read_again_in_another_brief_is_the_same():
    entity = "  nk:\n    type: region\n    name: North Korea\n    aliases: [DPRK]\n"
    for body in ("[DPRK]{.region} said.", "[North Korea]{.region} and [DPRK]{.region ref=nk} said.",
                 "[Xi]{.leader ref=xi} said."):
        assert same_as_parser(brief(entity=entity, body=body)) is True


@pytest.mark.parametrize("body, fast", [
    ("a *b* c [Xi]{.leader ref=xi}", True), ("a *b* *c", True), ("*a", True), ("**a** b*", True), ("a **b** c", True), ("*[Xi]{.leader ref=xi}* said", True),
    ("*a* and **b** and *c*", True), ("a * b * c", True), ("a *b** c", True), ("a*b*c", True), ("a *b *c", True),
    ("snake_case", True), ("a\\*b", True), ("x  \ny", True), ("x\ny [Xi]{.leader ref=xi}", True),
    ("[A]{.date value=2024 mod=end}", True), ("[A]{.leader} then [A]{.leader role=PM country=NZ kind=x}", True), ("[A]{.date value=2024 mod=soon}", False), ('[A]{.region name="Big Place"}', True),
    ("[A]{.region nmae=x}", False), ("[A]{.Region}", True), ("[]{.org}", False), ("[a]{.org}]", True),
    ("![a]{.org}", True), ("<https://x.org>", True), ("`code` [Xi]{.leader ref=xi}", True),
    ("[X]{.highlight note=\"n\"} [Xi]{.leader ref=xi}", True),
    # Alike spans are counted together, across blocks and around a highlight; how often each
    # is mentioned orders the leaders (a count wrong by one would show).
    ("[Ardern]{.leader} met [Ardern]{.leader}.\n\n[Xi]{.leader ref=xi} and [Xi]{.leader ref=xi} [X]{.highlight note=n}",
     True),
    ("[Xi]{.leader ref=xi} said.\n\n[Ardern]{.leader} [Ardern]{.leader} [Ardern]{.leader} and [Xi]{.leader ref=xi} "
     "[X]{.highlight note=n}", True), ("[Xi]{.region ref=xi}", False),
    ("# Head [Xi]{.leader ref=xi}\n\n- item *a*\n  - nested [b]{.org}\n\n> quote\nlazy\n\n1. one\n2. two", True),
    ("para\n===", True), ("---", True), ("```\ncode [a]{.org}\n```", True), ("```\nopen", False),
])
def test_bodies(body, fast):
    # (Blocks with more than text, simple spans and simple emphasis are read by _Inline
    # itself: still the fast path, which gives up only on a problem.)
    assert same_as_parser(brief(body=body)) is fast


# Spans in blocks that _Inline reads (in links, nested, beside brackets), alike ones many
# times: grouped by _alike_spans as _Body.light groups its own (issue 15), same fields.
@pytest.mark.parametrize("body", [
    "[x [Xi]{.leader ref=xi} z](https://e.org) " * 40,  # 40 alike: the packed places of one width
    "[[[a] b] c] [x [y]{.region} z](https://e.org) " * 3 + "\n\n[y]{.region} and [y]{.region}",
    "[[y]{.region}]{.region} [[y]{.region} w]{.region} [a [y]{.region}](u)",  # nested: out of order, one start twice
    "[a [Ardern]{.leader}](u) [b [Ardern]{.leader role=PM}](u) [c [Ardern]{.leader country=NZ}](u) "
    "[d [Ardern]{.leader}](u)",  # later mentions fill in what the first left out
    "[Xi]{.leader ref=xi} [a [Xi]{.leader ref=xi}](u)\n\n[b [Xi]{.leader}](u) [Xi]{.leader}",
    "[a [2024]{.date value=2024}](u) [b [2024]{.date value=2024}](u) [c [June]{.date value=2024-06}](u)",
])
def test_spans_read_by_the_inline_tree_alike_ones_together(body):
    assert same_as_parser(brief(body=body)) is True


def test_alike_spans_read_by_the_inline_tree_are_one_entry():
    from briefing.core.markdown import parse_body
    from briefing.index.fast import _alike_spans, _Body

    text = "[x [Xi]{.leader ref=xi} z](https://e.org) " * 50 + "[y [Xi]{.leader}](u) [[Xi]{.leader}]{.leader}"
    b = _Body(text, 0)
    body = parse_body(text, 0, 1, b)
    assert len(body.spans) == 53 and not b.light
    groups = _alike_spans(body.spans, body.text)
    assert [(len(g[4]), g[2][:3]) for g in groups] == [(50, ("leader", {"ref": "xi"}, "xi")), (3, ("leader", {}, None))]
    assert list(groups[0][4]) == sorted(body.spans.starts[:50])


def test_one_long_paragraph_of_spans_and_emphasis_is_read_here_and_gets_the_same_fields():
    # The light path takes the '*' out of the block's text once, at the end, and counts them
    # out of each piece's length (8 MB of one paragraph had 300,000 pieces: issue 15).
    from briefing.core.markdown import parse_body
    from briefing.index import fast

    body = "*So* [Xi]{.leader ref=xi} and *it* [Ardern]{.leader role=PM} [Ardern]{.leader} and **so** " * 40 + "*end*"
    assert same_as_parser(brief(body=body)) is True
    b = fast._Body(body, 0)
    parse_body(body, 0, 1, b)
    assert not b.body.spans and [len(v[4]) for v in b.light.values()] == [40, 40, 40]
    assert "*" not in b.finish().text


# A fact mentioned by nested spans that start together: the parser lists its places as
# _check_spans takes them, by start and the enclosing one first; the fast path's places of
# a fact mentioned in several ways (viewrows.pack_groups) put the inner one first.
@pytest.mark.parametrize("body", [
    "[[Xi]{.leader ref=xi}[Xi]{.leader ref=xi}]{.leader ref=xi}",
    "[[2024]{.date value=2024} in June]{.date value=2024}",
    "[a [[Ardern]{.leader} of NZ]{.leader name=Ardern}](u)",
])
def test_nested_spans_of_one_fact_starting_together_keep_the_parsers_order_of_places(body):
    assert same_as_parser(brief(body=body)) is True
