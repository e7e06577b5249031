"""Re-anchoring highlights on a changed text: same place, exact search, fuzzy, orphan."""

from __future__ import annotations

import random

import pytest

from tests.cpu import cpu_seconds

from briefing.core.anchor import (Highlight, TextQuote, anchor_highlight, exact_search, fuzzy_search, make_quote,
                        reanchor, text_hash)

TEXT = (
    "The leaders met in Tokyo on Wednesday. They agreed to share classified information. "
    "China was mentioned twice. China was mentioned twice. Both sides condemned the use of force "
    "and pledged to cooperate on economic security and supply chains of strategic goods. "
    "Nothing else was said."
)
PASSAGE = "pledged to cooperate on economic security and supply chains"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


def quote_of(text: str, passage: str, occurrence: int = 0) -> tuple[TextQuote, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    return make_quote(text, start, start + len(passage)), start


def test_quote_has_prefix_and_suffix_of_32_chars():
    q, start = quote_of(TEXT, PASSAGE)
    assert q.exact == PASSAGE
    assert q.prefix == TEXT[start - 32 : start] and len(q.prefix) == 32
    assert q.suffix == TEXT[start + len(PASSAGE) : start + len(PASSAGE) + 32]


def test_unchanged_text_keeps_offsets():
    q, start = quote_of(TEXT, PASSAGE)
    assert reanchor(TEXT, q, start) == (start, start + len(PASSAGE))


def test_text_inserted_before_shifts_offsets():
    q, start = quote_of(TEXT, PASSAGE)
    new = "A new opening sentence was added. " + TEXT
    s, e = reanchor(new, q, start)
    assert (s, e) == (start + 34, start + 34 + len(PASSAGE))
    assert new[s:e] == PASSAGE


def test_prefix_and_suffix_break_ties_between_identical_quotes():
    q, start = quote_of(TEXT, "China was mentioned twice.", occurrence=1)
    # Both occurrences move; the second must still be chosen although the first is nearer.
    new = TEXT.replace("The leaders met", "X" * 60 + " The leaders met")
    s, _ = reanchor(new, q, 0)
    assert new.index("China was mentioned twice.") < s
    assert s == new.index("China was mentioned twice.", new.index("China was mentioned twice.") + 1)


def test_nearest_occurrence_wins_without_context():
    text = "abc target xyz " * 5
    q = TextQuote("target")
    assert exact_search(text, q, 48)[0] == 49  # the fourth "target" (34, 49, 64 ... nearest to 48)


def test_edit_inside_the_passage_is_found_fuzzily():
    q, start = quote_of(TEXT, PASSAGE)
    new = TEXT.replace("economic security and", "economic-security as well as")
    assert PASSAGE not in new
    span = reanchor(new, q, start)
    assert span is not None
    s, e = span
    assert new[s:e].startswith("pledged to cooperate on economic-security")
    assert new[s:e].endswith("supply chains")


def test_fuzzy_match_below_threshold_is_refused():
    q, start = quote_of(TEXT, PASSAGE)
    new = TEXT.replace(PASSAGE, "promised something entirely different in scope")
    assert fuzzy_search(new, q, start) is None


def test_deleted_passage_is_an_orphan():
    q, start = quote_of(TEXT, PASSAGE)
    new = TEXT.replace("and " + PASSAGE + " of strategic goods", "")
    assert reanchor(new, q, start) is None


def test_anchor_highlight_reports_changes_and_orphans():
    q, start = quote_of(TEXT, PASSAGE)
    h = Highlight(id="1", path="/b.md", start=start, end=start + len(PASSAGE), exact=q.exact,
                  prefix=q.prefix, suffix=q.suffix, text_hash=text_hash(TEXT))
    same, changed = anchor_highlight(h, TEXT)
    assert (same.start, same.end, same.orphan, changed) == (h.start, h.end, False, False)

    moved_text = "Inserted. " + TEXT
    moved, changed = anchor_highlight(h, moved_text)
    assert changed and not moved.orphan
    assert moved.start == h.start + 10 and moved.text_hash == text_hash(moved_text)
    assert moved_text[moved.start : moved.end] == PASSAGE

    gone_text = TEXT.replace(PASSAGE, "")
    gone_text = gone_text.replace("Both sides condemned the use of force and", "").replace("of strategic goods", "")
    orphan, changed = anchor_highlight(h, gone_text)
    assert orphan.orphan and not changed
    assert orphan.exact == PASSAGE  # the quote is kept


def test_fast_on_a_megabyte():
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
    text = " ".join(rng.choice(words) for _ in range(180_000))
    assert len(text) > 1_000_000
    start = 600_000
    q = make_quote(text, start, start + 300)
    edited = text[: start + 100] + "SOMETHING NEW" + text[start + 120 :]
    t = cpu_seconds()
    span = reanchor("prefix " + edited, q, start)
    fuzzy_time = cpu_seconds() - t
    assert span is not None and abs(span[0] - (start + 7)) <= 2
    t = cpu_seconds()
    assert reanchor(text[:start] + text[start + 400 :], q, start) is None
    orphan_time = cpu_seconds() - t
    assert fuzzy_time < 1.0 and orphan_time < 1.0, (fuzzy_time, orphan_time)
