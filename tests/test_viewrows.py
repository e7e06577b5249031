"""What a facts row keeps for the views (briefing.index.viewrows): mention places packed
into one blob per fact and read back as they were."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from briefing.index.viewrows import pack_groups, pack_one, pack_spans, pack_starts, unpack_spans

_OFFSET = st.integers(min_value=0, max_value=2**31 - 1)


@given(st.lists(st.tuples(_OFFSET, st.integers(min_value=0, max_value=2**20)).map(lambda p: (p[0], p[0] + p[1])),
                max_size=80))
def test_packed_spans_read_back_as_they_were(spans):
    packed = pack_spans(spans)
    # The format of schema 9: every start, then every length, unsigned 32-bit little-endian.
    assert packed == struct.pack(f"<{2 * len(spans)}I", *[s for s, _ in spans], *[e - s for s, e in spans])
    assert unpack_spans(packed) == spans


@given(st.lists(_OFFSET, max_size=80).map(sorted), st.integers(min_value=0, max_value=2**16))
def test_starts_of_one_width_pack_as_their_spans(starts, width):
    assert pack_starts(starts, width) == pack_spans([(s, s + width) for s in starts])
    assert pack_starts(tuple(starts), width) == pack_starts(starts, width)


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=2**16), st.lists(_OFFSET, min_size=1, max_size=40).map(sorted)),
                max_size=6))
def test_groups_of_starts_pack_as_their_spans_in_order(groups):
    # (the fast path's places of a fact mentioned in several ways: by start, the longer first,
    # as the parser takes them: tests/test_index_fast.py, nested spans starting together)
    assert pack_groups(groups) == pack_spans(sorted([(s, s + w) for w, starts in groups for s in starts],
                                                    key=lambda p: (p[0], -p[1])))


def test_spans_given_as_lists_pack_alike():
    assert pack_spans([[3, 9], [12, 20]]) == pack_spans([(3, 9), (12, 20)])
    assert unpack_spans(pack_spans([[3, 9], [12, 20]])) == [(3, 9), (12, 20)]
    assert pack_spans([]) == b"" and unpack_spans(b"") == unpack_spans(None) == []


def test_an_index_of_schema_8_text_spans_is_rebuilt_for_the_blobs(tmp_path):
    import sqlite3

    from bench.corpus import generate_corpus
    from briefing.index import Index, schema
    from briefing.views.scope import Scope
    from briefing.views.timeline import timeline

    corpus = tmp_path / "briefs"
    generate_corpus(corpus, 6, seed=5, size_kb=2)
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        expected = timeline(idx, Scope(), limit=20)
    assert expected
    conn = sqlite3.connect(tmp_path / "data" / schema.DB_NAME)  # as schema 8 left it: spans as text
    conn.execute("UPDATE facts SET spans = '1:2'")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()
    with Index.open(tmp_path / "data", workers=1) as idx:
        assert idx.moved_aside == [] and idx.entries([corpus]) == []  # rebuilt in place
        assert idx.refresh([corpus]).added == 6
        assert timeline(idx, Scope(), limit=20) == expected
        assert {type(s) for (s,) in idx._conn().execute("SELECT spans FROM facts")} == {bytes}


@given(_OFFSET, st.integers(min_value=0, max_value=2**16))
def test_one_span_packs_as_its_spans(start, width):
    # (the fast path's place of a fact mentioned once)
    assert pack_one(start, width) == pack_spans([(start, start + width)]) == pack_starts([start], width)
