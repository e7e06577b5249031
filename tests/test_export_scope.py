"""Exports: key facts limited to the highlighted passages, dates in words, the HTML legend,
distinct default names for the digest and the full export."""

from __future__ import annotations

import json

from briefing.atomic import default_export_name
from briefing.core.parser import parse_brief
from briefing.export import export
from tests.test_export import assert_safe, hl_of

BRIEF = """---
title: Scope
published: 2025-10-20
entities:
  anwar: {type: leader, name: Anwar Ibrahim}
  xanana: {type: leader, name: Xanana Gusmão}
---
[Anwar]{.leader ref=anwar} spoke in the [week]{.date value=2025-W43}. By the [year end]{.date value=2025-12 mod=END}
[Xanana]{.leader ref=xanana} will sign, in [Dili]{.region}.
"""


def brief():
    return parse_brief(BRIEF, "scope.md")


def test_digest_lists_only_the_facts_of_the_highlighted_passages_by_default():
    b = brief()
    hs = [hl_of(b, "Anwar spoke in the week.")]
    md = export(b, hs, "md", highlights_only=True)
    assert "Anwar Ibrahim" in md and "week of 20 Oct 2025" in md
    assert "Xanana" not in md.split("## Highlights")[0] and "Dili" not in md
    everything = export(b, hs, "md", highlights_only=True, facts="all")
    assert "Xanana Gusmão" in everything and "Dili" in everything


def test_json_says_which_facts_it_lists_and_keeps_iso_values():
    b = brief()
    hs = [hl_of(b, "Anwar spoke in the week.")]
    doc = json.loads(export(b, hs, "json", highlights_only=True))
    assert doc["facts_scope"] == "highlighted"
    assert [f["value"] for f in doc["facts"]["date"]] == ["2025-W43"]
    full = json.loads(export(b, hs, "json"))
    assert full["facts_scope"] == "all" and len(full["facts"]["date"]) == 2


def test_dates_read_in_words_with_the_value_beside():
    b = brief()
    page = export(b, [], "html")
    assert "end of Dec 2025" in page and "2025-12 END" in page
    assert '<time datetime="2025-10-20">20 Oct 2025</time>' in page  # published
    assert '<time datetime="2025-W43">week of 20 Oct 2025</time>' in page


def test_html_has_a_legend_of_the_marks_it_uses():
    b = brief()
    page = export(b, [hl_of(b, "Anwar spoke", note="n")], "html")
    assert_safe(page)
    legend = page.split('<section class="legend"', 1)[1].split("</section>", 1)[0]
    for mark in ('class="entity entity-leader">Leader', 'class="entity entity-date">Date',
                 'class="entity entity-region">Region', '<mark class="highlight">Highlight'):
        assert mark in legend
    assert "Organisation" not in legend  # the brief has none


def test_digest_and_full_export_have_different_default_names():
    assert default_export_name("A Title", "html") == "a-title.html"
    assert default_export_name("A Title", "html", digest=True) == "a-title-digest.html"
    assert len(default_export_name("word " * 100, "md", digest=True)) <= 80
