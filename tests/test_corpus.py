"""The synthetic corpus generator (tui/corpus.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.corpus import generate_brief, generate_corpus, main
from briefing.core.parser import load_brief, parse_brief
from briefing.core.problems import BriefError


def test_every_generated_brief_validates(tmp_path):
    paths = generate_corpus(tmp_path, 20, seed=5, size_kb=3)
    assert len(paths) == 20 and len(set(paths)) == 20
    for p in paths:
        brief = load_brief(p)  # raises on any error
        assert brief.warnings == [], [w.format() for w in brief.warnings]
        assert dt.date(2015, 1, 1) <= brief.meta.published <= dt.date(2026, 12, 31)
        assert brief.meta.title and brief.meta.source and brief.meta.tags and brief.meta.summary
        assert brief.meta.url.startswith("https://")
        assert p.parent.name == str(brief.meta.published.year)
        assert p.name.startswith(brief.meta.published.isoformat())
        types = {m.type for m in brief.mentions}
        assert {"leader", "date", "region", "org"} <= types
        assert all(m.ref for m in brief.mentions if m.type in ("leader", "region", "org"))
        assert all(m.attrs.get("value") for m in brief.mentions if m.type == "date")
        assert len(brief.facts["leader"]) >= 2 and brief.facts["date"] and brief.facts["region"]


def test_other_seeds_parse_too():
    for seed in (1, 2, 12345):
        for i in range(12):
            parse_brief(generate_brief(seed, i, size_kb=1.5)[1].encode(), f"{seed}-{i}")


def test_output_depends_only_on_the_seed(tmp_path):
    a = generate_corpus(tmp_path / "a", 8, seed=3)
    b = generate_corpus(tmp_path / "b", 8, seed=3)
    c = generate_corpus(tmp_path / "c", 8, seed=4)
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
    # A brief does not depend on how many were asked for.
    assert generate_brief(3, 5) == generate_brief(3, 5)
    assert (tmp_path / "a" / generate_brief(3, 5)[0]).read_text(encoding="utf-8") == generate_brief(3, 5)[1]


def test_sizes_follow_size_kb_and_vary(tmp_path):
    sizes = [p.stat().st_size for p in generate_corpus(tmp_path / "s", 40, seed=1, size_kb=5)]
    mean = sum(sizes) / len(sizes)
    assert 4 * 1024 <= mean <= 7 * 1024, mean
    assert max(sizes) > 1.3 * min(sizes)
    small = [p.stat().st_size for p in generate_corpus(tmp_path / "t", 10, seed=1, size_kb=1.5)]
    assert max(small) < min(sizes) * 1.2


def test_titles_dates_and_tags_vary(tmp_path):
    briefs = [load_brief(p) for p in generate_corpus(tmp_path, 24, seed=2, size_kb=1)]
    assert len({b.meta.title for b in briefs}) >= 18
    assert len({b.meta.published.year for b in briefs}) >= 7
    assert len({t for b in briefs for t in b.meta.tags}) >= 15
    assert len({b.meta.source for b in briefs}) >= 4
    assert len({f.name for b in briefs for f in b.facts["leader"]}) >= 12


def test_error_rate_breaks_that_share(tmp_path):
    paths = generate_corpus(tmp_path, 12, seed=9, error_rate=1.0, nested=False)
    assert all(p.parent == tmp_path for p in paths)
    for p in paths:
        with pytest.raises(BriefError):
            load_brief(p)


def test_command_line(tmp_path, capsys):
    assert main([str(tmp_path / "out"), "5", "--seed", "2", "--size-kb", "2"]) == 0
    files = sorted((tmp_path / "out").rglob("*.md"))
    assert len(files) == 5
    assert "5 briefs" in capsys.readouterr().err
    for f in files:
        load_brief(f)
