"""The one light front-matter reader (briefing.core.front_peek): the list's quick look and the
index's give the same fields, and where the parser reads a plain value they agree with it."""

from __future__ import annotations

from pathlib import Path

from briefing.core.front_peek import peek_front
from briefing.core.parser import load_brief
from briefing.core.problems import BriefError
from briefing.index import quick_meta
from briefing.session.catalog import peek_entry
from tests.conftest import BRIEFS_DIR
from tests.hostile.make_fixtures import write_small

SAMPLES = [
    "---\ntitle: Plain\npublished: 2024-06-19\nsource: Wire # a comment\ntags: [a, \"b c\"]\n---\nbody\n",
    "---\ntitle : 'it''s'\npublished: soon\n---\n",
    '---\ntitle: "A \\"quoted\\" title"\nsource: |\n  block\n---\n',
    "---\r\ntitle: Windows\r\n---\r\nbody",
    "\ufeff---\ntitle: BOM\n...\n",
    "---\ntitle: never closed\n",
    "no front matter at all\n",
    "---\ntitle: x\x1b]0;evil\x07\n---\n",
    "---\ntitle: [not, a, title]\n---\n",
]


def test_the_lists_quick_look_and_the_index_read_the_same(tmp_path):
    files = sorted(BRIEFS_DIR.glob("*.md")) + write_small(tmp_path / "hostile")
    for i, text in enumerate(SAMPLES):
        files.append(tmp_path / f"sample{i}.md")
        files[-1].write_text(text, encoding="utf-8", newline="")
    for path in files:
        if not path.is_file():
            continue
        meta = quick_meta(path.read_bytes())
        entry = peek_entry(path)
        assert entry.title == (meta["title"] or entry.title), path
        assert (entry.published_iso, entry.source) == (meta["published"], meta["source"]), path


def test_plain_values_read_as_the_parser_reads_them():
    for path in sorted(BRIEFS_DIR.glob("*.md")):
        try:
            brief = load_brief(path)
        except BriefError:
            continue
        meta = peek_front(path.read_text(encoding="utf-8"))
        assert meta["title"] == brief.meta.title, path
        assert meta["published"] == (brief.meta.published.isoformat() if brief.meta.published else None), path
        assert meta["source"] == brief.meta.source and meta["tags"] == list(brief.meta.tags), path


def test_a_cut_head_reads_front_matter_that_closes_later():
    text = "---\ntitle: Long one\nsummary: " + "x" * 5000 + "\n---\nbody\n"
    assert peek_front(text[:4096])["title"] is None  # as if the whole file: never closed
    assert peek_front(text[:4096], cut=True)["title"] == "Long one"
    assert peek_front(SAMPLES[1]) == {"title": "it's", "published": None, "source": None, "tags": []}
    assert peek_front(SAMPLES[2])["title"] == 'A "quoted" title' and peek_front(SAMPLES[2])["source"] is None
    assert peek_front(SAMPLES[0])["tags"] == ["a", "b c"] and peek_front(SAMPLES[0])["source"] == "Wire"
