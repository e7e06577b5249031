"""The Markdown export renders in Pandoc: spans become <span class=...> with their attributes.
Skipped where Pandoc is not installed (``apt-get install pandoc``)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from briefing.export import export_markdown
from briefing.core.parser import load_brief
from briefing.core.sentences import sentence_spans
from briefing.store import Store

BRIEF = Path(__file__).resolve().parent.parent / "briefs" / "2024-06-19-japan-new-zealand-information-sharing-pact.md"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_markdown_export_renders_in_pandoc(tmp_path):
    brief = load_brief(BRIEF)
    store = Store.open(tmp_path)
    start, end = sentence_spans(brief)[1]
    highlight = store.add_highlight(brief, start, end, note='a "quoted" note <b>')
    text = export_markdown(brief, [highlight])
    html = subprocess.run(["pandoc", "--wrap=none", "-f", "markdown", "-t", "html"], input=text, capture_output=True,
                          text=True, check=True).stdout
    assert '<span class="highlight" data-note="a &quot;quoted&quot; note &lt;b&gt;">During their talks in' in html
    assert '<span class="leader" data-ref="kishida">Fumio Kishida</span>' in html
    assert '<span class="date" value="2024-06-19">Wednesday</span>' in html


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_markdown_digest_renders_in_pandoc(tmp_path):
    brief = load_brief(BRIEF)
    store = Store.open(tmp_path)
    start, end = sentence_spans(brief)[1]
    highlight = store.add_highlight(brief, start, end, note="why")
    text = export_markdown(brief, [highlight], highlights_only=True)
    html = subprocess.run(["pandoc", "--wrap=none", "-f", "markdown", "-t", "html"], input=text, capture_output=True,
                          text=True, check=True).stdout
    assert '<h2 id="key-facts-in-the-highlights">Key facts in the highlights</h2>' in html
    assert "<blockquote>" in html and "During their talks in Tokyo" in html
    assert "<p>Note: why</p>" in html
