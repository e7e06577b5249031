"""Dates in words: what the sidebar, exports and dialogs show instead of TIMEX3 values."""

from __future__ import annotations

import pytest

from briefing.core.dates import in_words, iso_label


@pytest.mark.parametrize(
    ("value", "mod", "words"),
    [
        ("2025-W43", None, "week of 20 Oct 2025"),
        ("2026-Q1", None, "Q1 2026"),
        ("2025-12", "END", "end of Dec 2025"),
        ("2024-06-19", None, "19 Jun 2024"),
        ("2024-06", None, "Jun 2024"),
        ("2024", None, "2024"),
        ("2024", "MID", "mid-2024"),
        ("2024-06", "mid", "mid-Jun 2024"),
        ("2026-Q1", "APPROX", "about Q1 2026"),
        ("2024-06-19", "BEFORE", "before 19 Jun 2024"),
        ("2024-W01", "START", "start of the week of 1 Jan 2024"),
        ("202X", None, "the 2020s"),
        ("19XX", None, "the 1900s"),
        ("2024-13", None, "2024-13"),  # not a date: shown as written
        ("", None, ""),
    ],
)
def test_in_words(value, mod, words):
    assert in_words(value, mod) == words


def test_iso_label_keeps_the_value_and_mod():
    assert iso_label("2025-12", "end") == "2025-12 END"
    assert iso_label("2025-12") == "2025-12"


def test_a_date_fact_reads_in_words_and_keeps_its_value(tmp_path):
    from briefing.core.parser import parse_brief

    brief = parse_brief("---\ntitle: T\n---\nBy [year end]{.date value=2025-12 mod=END}.\n", "t.md")
    (fact,) = brief.facts["date"]
    assert fact.label == "end of Dec 2025" and fact.iso == "2025-12 END"
    assert fact.as_json()["value"] == "2025-12"  # facts --json keeps the ISO value
