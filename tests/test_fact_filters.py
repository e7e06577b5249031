"""The search line's fact filters: a date matches every date it contains, a name a prefix of one
of its words (as search words do)."""

from __future__ import annotations

import pytest

from briefing.core.dates import contains, period
from briefing.index import Index
from briefing.index.query import parse_list_query
from tests.test_index import brief_text

DATES = {
    "day.md": "2024-06-19",
    "week.md": "2024-W25",  # 17-23 June 2024
    "month.md": "2024-06",
    "quarter.md": "2024-Q2",
    "year.md": "2024",
    "other-year.md": "2023-06-19",
    "straddling-week.md": "2024-W01",  # 1-7 January 2024
}


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    root = tmp_path / "briefs"
    root.mkdir()
    for name, value in DATES.items():
        body = f"Met on [that day]{{.date value={value}}}."
        if name == "day.md":
            body += " [Kishida]{.leader name=\"Fumio Kishida\"} spoke."
        (root / name).write_text(brief_text(name, body), encoding="utf-8")
    return root


def found(index: Index, folder, line: str) -> set[str]:
    q = parse_list_query(line)
    return {e.path.name for e in index.entries([folder], **q.filters)}


def test_a_date_filter_matches_every_date_it_contains(folder):
    index = Index.open()
    try:
        index.refresh([folder])
        assert found(index, folder, "date:2024-06") == {"day.md", "week.md", "month.md"}
        assert found(index, folder, "date:2024") == {"day.md", "week.md", "month.md", "quarter.md", "year.md",
                                                     "straddling-week.md"}
        assert found(index, folder, "date:2024-Q2") == {"day.md", "week.md", "month.md", "quarter.md"}
        assert found(index, folder, "date:2024-W25") == {"day.md", "week.md"}
        assert found(index, folder, "date:2024-06-19") == {"day.md"}
        assert found(index, folder, "date:2025") == set()
    finally:
        index.close()


def test_a_fact_filter_takes_a_prefix_of_a_word_of_the_name(folder):
    index = Index.open()
    try:
        index.refresh([folder])
        assert found(index, folder, "leader:kish") == {"day.md"}
        assert found(index, folder, "leader:fum") == {"day.md"}
        assert found(index, folder, 'leader:"Fumio Kishida"') == {"day.md"}
        assert found(index, folder, "leader:ishida") == set()  # not inside a word
        assert found(index, folder, "leader:k%") == set()  # LIKE's wildcards are literal
    finally:
        index.close()


def test_containment_of_values():
    assert contains("2024-06", "2024-06-19") and contains("2024", "2024-Q3") and contains("2024", "2024-W01")
    assert not contains("2024-06", "2024") and not contains("2024-06", "2024-Q2")
    assert contains("202X", "2024-06") and not contains("2024", "nonsense")
    assert period("2024-Q4") == (period("2024-10-01")[0], period("2024-12-31")[0])
