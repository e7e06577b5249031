"""A brief's styles, mentions and segments are stored by column (briefing.core.columns):
each reads as the list of objects it replaces (length, indexing, slicing, iteration,
equality, the dump), and its rows are the objects' fields in order."""

from __future__ import annotations

import pytest

from briefing.core.basemodel import construct
from briefing.core.columns import Pairs, Segments, mention_spans, style_spans
from briefing.core.model import Mention, Mentions, Style, Styles
from briefing.core.parser import parse_brief

BRIEF = ("---\ntitle: T\nentities:\n  k: {type: leader, name: Fumio Kishida}\n---\n\n"
         "[Kishida]{.leader ref=k} met *him* in [Tokyo]{.region} on [Wednesday]{.date value=2024-06-19}.\n\n"
         "See [the report](https://example.org/r \"T\") and **more** `code`.\n")


def test_items_are_the_model_objects_in_order():
    b = parse_brief(BRIEF)
    assert isinstance(b.mentions, Mentions) and isinstance(b.styles, Styles) and isinstance(b.segments, Segments)
    mentions = list(b.mentions)
    assert [type(m) for m in mentions] == [Mention] * 3
    assert [(m.type, b.text[m.start:m.end], m.ref, m.attrs) for m in mentions] == [
        ("leader", "Kishida", "k", {"ref": "k"}), ("region", "Tokyo", None, {}),
        ("date", "Wednesday", None, {"value": "2024-06-19"})]
    # An item is the object the parser used to build: every field, the same fields set.
    m = b.mentions[0]
    assert m == construct(Mention, **{name: getattr(m, name) for name in Mention.model_fields})
    assert m.model_fields_set == set(Mention.model_fields)
    assert [(s.kind, b.text[s.start:s.end], s.url) for s in b.styles] == [
        ("emphasis", "him", None), ("link", "the report", "https://example.org/r"), ("strong", "more", None),
        ("code", "code", None)]
    assert all(type(s) is Style for s in b.styles)


@pytest.mark.parametrize("name", ["mentions", "styles", "segments"])
def test_columns_read_as_the_list(name):
    b = parse_brief(BRIEF)
    seq = getattr(b, name)
    items = list(seq)
    assert len(seq) == len(items) > 2 and bool(seq)
    assert seq == items and items == list(seq) and not (seq != items)
    assert [seq[i] for i in range(len(seq))] == items
    assert seq[-1] == items[-1] and seq[1:3] == items[1:3] and seq[::-1] == items[::-1]
    with pytest.raises(IndexError):
        seq[len(seq)]
    assert seq != items[:-1] and seq != items[::-1]
    assert list(seq.rows()) == [tuple(x) if name == "segments" else tuple(x.__dict__.values()) for x in items]
    assert repr(seq).startswith(type(seq).__name__ + "([")
    with pytest.raises(TypeError):
        hash(seq)
    # Parsed again: equal columns.
    assert getattr(parse_brief(BRIEF), name) == seq


def test_empty_columns_equal_empty_lists():
    b = parse_brief("---\ntitle: T\n---\nplain\n")
    assert b.mentions == [] and b.styles == [] and not b.mentions and not b.styles
    assert (b.mentions, b.styles) == ([], [])


def test_dump_is_the_lists_dump():
    b = parse_brief(BRIEF)
    dumped = b.model_dump()
    assert dumped["mentions"] == [m.model_dump() for m in b.mentions]
    assert dumped["styles"] == [s.model_dump() for s in b.styles]
    assert dumped["segments"] == [tuple(s) for s in b.segments] and all(type(s) is tuple for s in dumped["segments"])
    assert b.model_dump(mode="json")["segments"] == [list(s) for s in b.segments]


def test_spans_of_any_shape():
    b = parse_brief(BRIEF)
    assert list(mention_spans(b.mentions)) == [(m.type, m.start, m.end) for m in b.mentions]
    assert list(mention_spans(list(b.mentions))) == list(mention_spans(b.mentions))
    assert list(style_spans(b.styles)) == [(s.kind, s.start, s.end, s.url) for s in b.styles]
    assert list(style_spans(list(b.styles))) == list(style_spans(b.styles))


def test_segments_from_tuples_and_offsets_past_32_bits_refused():
    segs = Segments([(0, 5, 3), (3, 10, 2)])
    assert list(segs) == [(0, 5, 3), (3, 10, 2)] and segs[1] == (3, 10, 2)
    with pytest.raises(OverflowError):
        segs.add(2**31, 0, 1)


def test_fact_spans_by_column_read_as_the_list():
    b = parse_brief(BRIEF.replace("on [Wednesday]", "and [Fumio Kishida]{.leader} on [Wednesday]"))
    (leader,) = b.facts["leader"]
    assert isinstance(leader.spans, Pairs)
    assert leader.spans == [(0, 7), (29, 42)] and list(leader.spans) == [(0, 7), (29, 42)]
    assert leader.mentions == 2 and leader.spans[-1] == (29, 42)
    assert leader.model_dump()["spans"] == [(0, 7), (29, 42)]
    assert [b.text[s:e] for s, e in leader.spans] == ["Kishida", "Fumio Kishida"]


def test_mentions_in_order_when_spans_nest_or_are_left_out():
    # Spans are recorded as they close (an outer one after those inside it), and highlights
    # are marks, not mentions: the mentions' columns are then picked row by row, in order of
    # (start, -end). (The same as the objects the parser made before: checked against it.)
    b = parse_brief("---\ntitle: T\n---\n\n"
                    "[[Tokyo]{.region} and [Kyoto]{.region}]{.event} x [note]{.highlight note=n} "
                    "[Osaka]{.region bad=1}\n[[a]{.org} b]{.event}\n")
    assert [(m.type, m.text, m.line, m.col, b.source[m.src_start:m.src_end][:7]) for m in b.mentions] == [
        ("event", "Tokyo and Kyoto", 5, 1, "[[Tokyo"), ("region", "Tokyo", 5, 2, "[Tokyo]"),
        ("region", "Kyoto", 5, 23, "[Kyoto]"), ("region", "Osaka", 5, 77, "[Osaka]"),
        ("event", "a b", 6, 1, "[[a]{.o"), ("org", "a", 6, 2, "[a]{.or")]
    assert [(b.text[k.start:k.end], k.note) for k in b.marks] == [("note", "n")]
    assert [w.message[:22] for w in b.warnings] == ["unknown attribute 'bad"]
    assert list(b.mentions.rows()) == [tuple(m.__dict__.values()) for m in b.mentions]
