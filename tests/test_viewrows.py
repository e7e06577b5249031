"""What a facts row keeps for the views (briefing.index.viewrows): mention places packed
into one text per fact and read back as they were."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing.index.viewrows import pack_spans, unpack_spans

_OFFSET = st.integers(min_value=0, max_value=2**31 - 1)


@given(st.lists(st.tuples(_OFFSET, _OFFSET), max_size=80))
def test_packed_spans_read_back_as_they_were(spans):
    packed = pack_spans(spans)
    assert packed == ",".join(f"{s}:{e}" for s, e in spans)  # (the format the index has always had)
    assert unpack_spans(packed) == spans


def test_spans_given_as_lists_pack_alike():
    assert pack_spans([[3, 9], [12, 20]]) == pack_spans([(3, 9), (12, 20)]) == "3:9,12:20"
    assert pack_spans([]) == "" and unpack_spans("") == unpack_spans(None) == []
