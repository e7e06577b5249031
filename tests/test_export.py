"""Exports: Markdown that parses again, safe self-contained HTML, JSON annotations, digests."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefing.core.anchor import Highlight, make_quote, text_hash
from briefing.export import ALLOWED_TAGS, CSP, export, export_html, export_json, export_markdown
from briefing.core.parser import load_brief, parse_brief
from briefing.core.problems import BriefError

BRIEFS = sorted((Path(__file__).resolve().parent.parent / "briefs").glob("*.md"))


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


def hl(brief, start, end, note=None, hid="h", orphan=False):
    q = make_quote(brief.text, start, end)
    return Highlight(id=hid, path=brief.path, start=start, end=end, exact=q.exact, prefix=q.prefix,
                     suffix=q.suffix, text_hash=text_hash(brief.text), note=note, orphan=orphan)


def hl_of(brief, passage, note=None, hid="h", nth=0):
    s = -1
    for _ in range(nth + 1):
        s = brief.text.index(passage, s + 1)
    return hl(brief, s, s + len(passage), note, hid)


def reparse(md: str, path="<export>"):
    return parse_brief(md, path)


def new_marks(before, after):
    old = {(m.start, m.end, m.note) for m in before.marks}
    return sorted((m.start, m.end, m.note) for m in after.marks if (m.start, m.end, m.note) not in old)


EVIL_TITLE = 'Evil <script>alert(1)</script> "quoted" & co'
EVIL = f"""---
title: '{EVIL_TITLE}'
url: 'https://example.com/"><script>alert(1)</script>' 
tags: ["<b>bold</b>"]
---

# Heading with *emphasis* and [Kishida]{{.leader role="PM <img src=x onerror=alert(1)>"}}

A paragraph with <script>alert("x")</script> and <img src=x onerror=alert(1)> and a "quote".
It has a [bad link](javascript:alert(1)) and a [good link](https://example.com/?a=1&b=2) and a [sly link](https://x.example/"onmouseover="alert(1)) and
`code <b>` and an ![image](http://tracker.example/pixel.png) too.

> A quote with [Japan]{{.region}} in it.

- item **one**
- item two

```
<script>in code</script>
```
"""


@pytest.fixture
def evil():
    return parse_brief(EVIL, "evil.md")


# ============================================================================ Markdown


@pytest.mark.parametrize("path", BRIEFS, ids=lambda p: p.name)
def test_markdown_of_bundled_briefs_parses_again_with_the_highlights(path):
    b = load_brief(path)
    t = b.text
    hs = [
        hl(b, 2, 40, note='a "quoted" \\ note\nover two lines', hid="1"),  # starts inside a mention
        hl(b, t.index("\n\n", 100) - 15, t.index("\n\n", 100) + 30, note="across blocks", hid="2"),
        hl(b, len(t) - 25, len(t), hid="3"),
    ]
    md = export_markdown(b, hs)
    again = reparse(md, str(path))
    assert again.text == b.text
    assert again.mentions == b.mentions or [m.text for m in again.mentions] == [m.text for m in b.mentions]
    marks = new_marks(b, again)
    assert len(marks) == 4  # the second highlight is split at the block boundary
    assert ('a "quoted" \\ note over two lines' in [m[2] for m in marks])
    assert "across blocks" in [m[2] for m in marks]
    assert md.count("{.highlight") == 4 + len(b.marks)
    # Nothing of the original was lost: removing the inserted markup gives the source back.
    for span in re.findall(r"\]\{\.highlight[^}]*\}", md):
        md = md.replace(span, "]", 1)
    assert md.replace("[", "").replace("]", "") == b.source.replace("[", "").replace("]", "")


def test_markdown_snaps_to_mentions_and_styles():
    b = parse_brief("---\ntitle: T\n---\n\nSee [Fumio Kishida]{.leader} and **bold text** here.\n")
    md = export_markdown(b, [hl_of(b, "mio Kish"), hl_of(b, "ld te", hid="2")])
    assert "[[Fumio Kishida]{.leader}]{.highlight}" in md
    assert "[**bold text**]{.highlight}" in md
    again = reparse(md)
    assert again.text == b.text
    assert new_marks(b, again) == [(4, 17, None), (22, 31, None)]


def test_markdown_notes_are_escaped_and_on_one_line():
    b = parse_brief("---\ntitle: T\n---\n\nOne two three.\n")
    md = export_markdown(b, [hl_of(b, "two", note='say "hi" \\ then\nnext } ] &amp;')])
    assert '[two]{.highlight note="say \\"hi\\" \\\\ then next } ] \\&amp;"}' in md
    [mark] = reparse(md).marks
    assert mark.note == 'say "hi" \\ then next } ] &amp;'


def test_markdown_keeps_existing_marks_and_merges_overlaps():
    src = "---\ntitle: T\n---\n\nAlpha [beta]{.highlight note=old} gamma delta epsilon.\n"
    b = parse_brief(src)
    hs = [hl_of(b, "gamma delta", note="one", hid="1"), hl_of(b, "delta epsilon", note="two", hid="2"),
          hl_of(b, "eta", hid="3")]
    again = reparse(export_markdown(b, hs))
    assert again.text == b.text
    notes = sorted((b.text[m.start:m.end], m.note or "") for m in again.marks)
    assert notes == [("beta", ""), ("beta", "old"), ("gamma delta epsilon", "one / two")]


def test_markdown_escapes_what_new_brackets_would_change():
    body = ("Costs [approx] rose! [x] \\a and snake_case_name, 2 * 3 * 4, a`tick, "
            "<http://a.example/x_y> and \\\\ end.\n\nNext *line*  \nhard break\n   indented soft line.\n")
    b = parse_brief("---\ntitle: T\n---\n\n" + body)
    t = b.text
    hs = []
    for i in range(0, len(t) - 1, 3):
        hs.append(hl(b, i, min(len(t), i + 2), hid=str(i)))
    md = export_markdown(b, hs)
    again = reparse(md)
    assert again.text == b.text
    assert len(again.marks) >= 10


def test_markdown_leaves_code_blocks_alone(evil):
    start = evil.text.index("<script>in code")
    md = export_markdown(evil, [hl(evil, start, start + 10)])
    assert md == evil.source
    reparse(md)


def test_markdown_orphans_are_not_inserted(evil):
    h = hl(evil, 0, 7)
    h.orphan = True
    assert export_markdown(evil, [h]) == evil.source


def test_markdown_digest_is_a_readable_brief(evil):
    hs = [hl_of(evil, 'A paragraph with <script>', note="<b>note</b> *x*", hid="1"),
          hl_of(evil, "item two", hid="2")]
    orphan = hl(evil, 0, 5, hid="3")
    orphan.orphan, orphan.exact = True, "a [gone] passage"
    md = export_markdown(evil, hs + [orphan], highlights_only=True, facts="all")
    digest = reparse(md)
    assert digest.meta.title == EVIL_TITLE
    assert "A paragraph with <script>" in digest.text
    assert "<b>note</b> *x*" in digest.text
    assert "item two" in digest.text and "a [gone] passage" in digest.text
    assert "Key facts" in digest.text and "Kishida" in digest.text
    assert digest.text.index("A paragraph with") < digest.text.index("item two")


# ============================================================================ HTML


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def collect(page: str) -> TagCollector:
    c = TagCollector()
    c.feed(page)
    c.close()
    return c


def assert_safe(page: str) -> TagCollector:
    c = collect(page)
    assert set(c.tags) <= ALLOWED_TAGS, set(c.tags) - ALLOWED_TAGS
    assert not [name for name, _ in c.attrs if name.lower().startswith("on")]
    assert "<script" not in page.lower()
    for name, value in c.attrs:
        if name in ("href", "src"):
            assert value.startswith(("http://", "https://")), value
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    return c


def test_html_escapes_brief_text_and_notes(evil):
    note = 'note <script>alert(1)</script> " onerror=alert(2) \'x\''
    hs = [hl_of(evil, "A paragraph with <script>", note=note, hid="1")]
    page = export_html(evil, hs)
    c = assert_safe(page)
    text = "".join(c.text)
    assert "A paragraph with <script>" in text  # shown, not run
    assert 'alert("x")</script> and <img src=x onerror=alert(1)>' in text
    assert note in text
    assert "&lt;script&gt;" in page and "onerror=alert(1)&gt;" in page
    assert page.count("<mark") >= 1
    assert '<a href="https://example.com/?a=1&amp;b=2"' in page
    assert "x.example" not in " ".join(v or "" for n, v in c.attrs if n == "href")
    assert "javascript:" not in [v for _, v in c.attrs]
    assert "tracker.example" not in "".join(v or "" for _, v in c.attrs if _ != "title")
    assert f"<title>{'Evil &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; co'}</title>" in page


def test_html_structure(evil):
    page = export_html(evil, [hl_of(evil, "item two", note="n")])
    for needle in ("<h2>", "<blockquote>", "<ul>", "<li>", "<pre><code>", 'class="entity entity-leader"',
                   "<strong>one</strong>", "<em>emphasis</em>", '<aside class="note"', '<section class="facts">'):
        assert needle in page, needle


def test_html_crossing_spans_nest_properly():
    b = parse_brief("---\ntitle: T\n---\n\nThe [Prime Minister Fumio Kishida]{.leader} spoke **loudly today**.\n")
    page = export_html(b, [hl_of(b, "Fumio Kishida spoke loud", note="x")])
    body = page[page.index('<section class="text">') : page.index("<footer>")]
    stack = []
    for m in re.finditer(r"<(/?)(\w+)[^>]*>", body):
        closing, tag = m.group(1), m.group(2)
        if tag in ("br", "hr", "meta"):
            continue
        if closing:
            assert stack and stack[-1] == tag, (stack, tag)
            stack.pop()
        else:
            stack.append(tag)
    assert stack == []
    assert body.count("<mark") == 2  # split where it leaves the mention


def test_html_digest_is_safe_and_lists_passages(evil):
    hs = [hl_of(evil, "item two", note="second", hid="2"), hl_of(evil, "A paragraph", note="<first>", hid="1")]
    page = export_html(evil, hs, highlights_only=True, facts="all")
    assert_safe(page)
    assert page.index("A paragraph") < page.index("item two")
    assert "&lt;first&gt;" in page and "Key facts" in page
    assert 'class="text"' not in page


# ============================================================================ JSON


def test_json_annotations(evil):
    hs = [hl_of(evil, "A paragraph", note="a note \ud800 with a lone surrogate", hid="0f" * 16)]
    orphan = hl(evil, 0, 4, note=None, hid="gone")
    orphan.orphan = True
    raw = export_json(evil, hs + [orphan])
    raw.encode("utf-8")  # no lone surrogates
    doc = json.loads(raw)
    assert doc["title"] == EVIL_TITLE
    assert doc["facts"] == evil.facts_json()["facts"]
    placed, gone = doc["highlights"]
    assert placed["type"] == "Annotation" and placed["id"].startswith("urn:uuid:")
    assert placed["note"] == "a note \ufffd with a lone surrogate"
    assert placed["body"]["value"] == placed["note"]
    assert placed["target"]["source"] == "evil.md"
    quote, position = placed["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": "A paragraph",
                     "prefix": evil.text[position["start"] - 32 : position["start"]],
                     "suffix": evil.text[position["end"] : position["end"] + 32]}
    assert position["type"] == "TextPositionSelector"
    assert evil.text[position["start"] : position["end"]] == "A paragraph"
    assert placed["orphan"] is False
    assert gone["orphan"] is True and [s["type"] for s in gone["target"]["selector"]] == ["TextQuoteSelector"]
    assert doc["text"] == evil.text


def test_json_digest_has_no_full_text(evil):
    doc = json.loads(export_json(evil, [hl_of(evil, "item two")], highlights_only=True))
    assert "text" not in doc and doc["digest"] is True and len(doc["highlights"]) == 1


def test_export_dispatch_rejects_unknown_formats(evil):
    assert export(evil, [], "md") == evil.source
    with pytest.raises(ValueError):
        export(evil, [], "pdf")


# ============================================================================ properties

FRAGMENTS = [
    "word", "Word.", "Mr.", "U.S.", "3.5", "*em*", "**strong**", "`co de`", "[link](http://x.example/a_b)",
    "[bad](javascript:alert(1))", "[Japan]{.region}", '[old]{.highlight note="n \\" q"}', "\\[", "\\]", "[lit]",
    "_", "*", "a_b", "!", "\\", "\\\\", "\\a", "<http://a.example/x_y>", "<script>", '"', "'", "onerror=alert(1)",
    "&amp;", "&", "<img src=x onerror=alert(1)>", "“q”", "—", "{", "}", "#", "x!", "![alt](http://i.example/p.png)",
    "~", "^", "$", "@", "|", "`", "**", "__", "(", ")", "]{", "\u2028", "é", "日本",
]
SEPARATORS = [" ", " ", " ", "\n", "  \n", "\n\n", "\n\n- ", "\n\n> ", "\n\n# ", "\n\n1. ", "\n\n"]


@st.composite
def briefs_with_highlights(draw):
    n = draw(st.integers(1, 40))
    parts = []
    for _ in range(n):
        parts.append(draw(st.sampled_from(FRAGMENTS)))
        parts.append(draw(st.sampled_from(SEPARATORS)))
    body = "".join(parts).strip() + "\n"
    try:
        brief = parse_brief("---\ntitle: 'T <script>'\n---\n\n" + body, "prop.md")
    except BriefError:
        assume(False)
    assume(len(brief.text) >= 2)
    k = draw(st.integers(0, 6))
    hs = []
    for i in range(k):
        a = draw(st.integers(0, len(brief.text) - 1))
        b = draw(st.integers(a + 1, len(brief.text)))
        note = draw(st.one_of(st.none(), st.text(max_size=20)))
        hs.append(hl(brief, a, b, note, hid=str(i)))
    return brief, hs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(briefs_with_highlights())
def test_property_markdown_reparses_with_the_same_text(case):
    brief, hs = case
    md = export_markdown(brief, hs)
    again = parse_brief(md, "prop.md")
    assert again.text == brief.text
    added = Counter((m.start, m.end) for m in again.marks) - Counter((m.start, m.end) for m in brief.marks)
    assert sum(Counter((m.start, m.end) for m in brief.marks).values()) <= len(again.marks)
    # Every highlighted piece of text outside code blocks is inside a new mark.
    for h in hs:
        for block in brief.blocks:
            s, e = max(h.start, block.content_start), min(h.end, block.end)
            if block.kind in ("code", "rule") or s >= e or not brief.text[s:e].strip():
                continue
            piece = brief.text[s:e]
            s, e = s + len(piece) - len(piece.lstrip()), e - (len(piece) - len(piece.rstrip()))
            assert any(ms <= s and e <= me for ms, me in added.elements()), (brief.text[s:e], sorted(added))
    digest = export_markdown(brief, hs, highlights_only=True)
    parse_brief(digest, "digest.md")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(briefs_with_highlights())
def test_property_html_has_only_allowed_tags_and_no_handlers(case):
    brief, hs = case
    for digest in (False, True):
        page = export_html(brief, hs, highlights_only=digest)
        page.encode("utf-8")
        assert_safe(page)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(briefs_with_highlights())
def test_property_json_is_valid(case):
    brief, hs = case
    raw = export_json(brief, hs)
    raw.encode("utf-8")
    doc = json.loads(raw)
    assert len(doc["highlights"]) == len(hs)
    for a in doc["highlights"]:
        q, p = a["target"]["selector"]
        assert brief.text[p["start"] : p["end"]] == q["exact"]
