"""Sentence spans: order, block boundaries, units, abbreviations, quotes, decimals, speed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.core.parser import load_brief, parse_brief
from briefing.core.sentences import sentence_at, sentence_spans

BRIEFS = sorted((Path(__file__).resolve().parent.parent / "briefs").glob("*.md"))


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


def brief_of(body: str):
    return parse_brief("---\ntitle: T\n---\n\n" + body)


def sentences(body: str) -> list[str]:
    b = brief_of(body)
    return [b.text[s:e] for s, e in sentence_spans(b)]


def test_abbreviations_quotes_and_decimals():
    body = ("Mr. Smith met Dr. Jones in the U.S. on Jan. 5. He said “Go.” Then he left! "
            "Was it 3.5 km? Yes, e.g. this one. It cost $4.50 in total. J. R. Tolkien wrote. "
            "See No. 5 below. The end")
    assert sentences(body) == [
        "Mr. Smith met Dr. Jones in the U.S. on Jan. 5.",
        "He said “Go.”",
        "Then he left!",
        "Was it 3.5 km?",
        "Yes, e.g. this one.",
        "It cost $4.50 in total.",
        "J. R. Tolkien wrote.",
        "See No. 5 below.",
        "The end",
    ]


def test_straight_and_single_quotes_after_the_full_stop():
    assert sentences("She said \"stop.\" They stopped. He wrote 'done.' It was.") == [
        "She said \"stop.\"", "They stopped.", "He wrote 'done.'", "It was.",
    ]
    assert sentences("He asked “why?” Nobody knew… Then (at last.) It ended.") == [
        "He asked “why?”", "Nobody knew…", "Then (at last.)", "It ended.",
    ]


def test_lowercase_after_punctuation_continues_the_sentence():
    assert sentences("Really? he asked. Yes.") == ["Really? he asked.", "Yes."]


def test_headings_items_and_code_lines_are_units():
    body = "# A heading. With dots\n\nOne. Two.\n\n- item one. Two\n- item two\n\n```\nx = 1. y\n\nz = 2\n```\n\n---\n\nLast."
    b = brief_of(body)
    got = [b.text[s:e] for s, e in sentence_spans(b)]
    assert got == ["A heading. With dots", "One.", "Two.", "item one. Two", "item two", "x = 1. y", "z = 2", "Last."]


def test_stray_closing_quote_joins_the_sentence_before():
    assert sentences("He said, “Aligned.” “\n\nNext.") == ["He said, “Aligned.” “", "Next."]


@pytest.mark.parametrize("path", BRIEFS, ids=lambda p: p.name)
def test_bundled_briefs_never_cross_blocks(path):
    b = load_brief(path)
    spans = sentence_spans(b)
    assert len(spans) > 10
    prev = 0
    for s, e in spans:
        assert prev <= s < e
        assert b.text[s:e] == b.text[s:e].strip()
        assert any(bl.start <= s and e <= bl.end for bl in b.blocks), b.text[s:e]
        prev = e


def test_sentence_at():
    b = brief_of("One two. Three four.")
    spans = sentence_spans(b)
    assert sentence_at(spans, 0) == 0
    assert sentence_at(spans, b.text.index("Three")) == 1
    assert sentence_at(spans, b.text.index(" Three")) == 1  # the gap belongs to the next one
    assert sentence_at(spans, len(b.text)) is None


words = st.sampled_from(["Mr.", "Dr.", "U.S.", "e.g.", "3.5", "word", "Word", "end.", "why?", "wow!",
                         "“quote.”", "'q.'", "x", "(a.)", "…", "No.", "5", "—"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(words, min_size=1, max_size=30), min_size=1, max_size=6))
def test_property_ordered_trimmed_within_blocks(paragraphs):
    body = "\n\n".join(" ".join(p) for p in paragraphs)
    b = brief_of(body)
    spans = sentence_spans(b)
    prev = 0
    covered = 0
    for s, e in spans:
        assert prev <= s < e <= len(b.text)
        assert not b.text[s].isspace() and not b.text[e - 1].isspace()
        assert any(bl.start <= s and e <= bl.end for bl in b.blocks)
        covered += len(b.text[s:e].split())
        prev = e
    # Every word of every block is in exactly one sentence.
    assert covered == sum(len(b.text[bl.start:bl.end].split()) for bl in b.blocks)


def test_one_megabyte_is_fast():
    src = Path(BRIEFS[0]).read_text(encoding="utf-8")
    cut = src.index("\n---\n", 4) + 5
    body = src[cut:]
    big = src[:cut] + (body + "\n\n") * (1_000_000 // len(body) + 1)
    b = parse_brief(big)
    assert len(b.source) > 1_000_000
    best = min(_timed(sentence_spans, b) for _ in range(3))
    # The budget is 100 ms; allow a slow CI machine some slack.
    assert best < 0.3, f"{best * 1000:.0f} ms"


def _timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t
