"""Properties of parse_brief over generated input: it returns a Brief or raises BriefError,
nothing else, and everything it returns is consistent with its text."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.core.parser import parse_brief
from briefing.core.problems import BriefError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# Text that hits the interesting characters often.
MARKUP = st.sampled_from(list("[]{}()*_`\\!<>#-=~.:\"' \n\t\r") + ["\u202e", "\u200b", "\x1b", "\x00", "\ufeff", "é", "]{", "{.", "---\n"])
TEXTY = st.lists(st.one_of(MARKUP, st.text(max_size=4)), max_size=60).map("".join)


def check(brief) -> None:
    text = brief.text
    assert not _RAW_CONTROL.search(text)
    for m in brief.mentions:
        assert 0 <= m.start <= m.end <= len(text)
        assert m.text == " ".join(text[m.start : m.end].split())
        assert 0 <= m.src_start < m.src_end <= len(brief.source)
    for k in brief.marks:
        assert 0 <= k.start <= k.end <= len(text)
    for s in brief.styles:
        assert 0 <= s.start <= s.end <= len(text)
    for b in brief.blocks:
        assert 0 <= b.start <= b.content_start <= b.end <= len(text)
    for d, q, n in brief.segments:
        assert text[d : d + n] == brief.source[q : q + n].replace("\n", " ")
    for value in (brief.meta.title, brief.meta.summary or "", *brief.meta.tags):
        assert not _RAW_CONTROL.search(value)
    brief.facts_json()  # facts never fail on a valid brief


def outcome(data):
    try:
        brief = parse_brief(data, "p.md")
    except BriefError as exc:
        assert exc.problems, "a BriefError always carries its problems"
        for p in exc.problems:
            assert p.line >= 1 and p.col >= 1 and p.severity in ("error", "warning")
        assert any(p.severity == "error" for p in exc.problems)
        return None
    check(brief)
    return brief


@SETTINGS
@given(st.text(max_size=300))
def test_any_text(text):
    outcome(text)


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes(data):
    outcome(data)


@SETTINGS
@given(TEXTY)
def test_any_markup_in_a_valid_front_matter(body):
    outcome("---\ntitle: T\nentities:\n  k: {type: leader, name: K}\n---\n" + body)


@SETTINGS
@given(TEXTY)
def test_any_front_matter(yaml_text):
    outcome("---\n" + yaml_text + "\n---\nbody [K]{.leader}\n")


# ---------------------------------------------------------------------------- structured briefs

WORD = st.text(alphabet="abcdefghij XYZ", min_size=1, max_size=8).filter(lambda w: w.strip())
ATTR_VALUE = st.one_of(
    st.text(alphabet="abcxyz0123-:.", min_size=1, max_size=8),
    st.text(alphabet='abc xyz"\\}{\'é', max_size=10).map(lambda v: '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)
DATE_VALUE = st.sampled_from(["2024", "2024-06", "2024-06-19", "2024-W25", "2024-Q3", "199X", "19XX"])


@st.composite
def span(draw, depth=0):
    kind = draw(st.sampled_from(["leader", "region", "date", "org", "highlight"]))
    attrs: dict[str, str] = {}
    if kind == "date":
        attrs["value"] = draw(DATE_VALUE)
        if draw(st.booleans()):
            attrs["mod"] = draw(st.sampled_from(["START", "mid", "End", "APPROX", "BEFORE", "after"]))
    elif kind in ("leader", "region") and draw(st.booleans()):
        attrs["ref"] = kind[0]
    for key in draw(st.lists(st.sampled_from(["role", "country", "kind", "name", "note"]), unique=True, max_size=2)):
        attrs[key] = draw(ATTR_VALUE)
    words = draw(st.lists(WORD, min_size=1, max_size=3))
    if depth < 2 and draw(st.integers(0, 4)) == 0:
        words.insert(1, draw(span(depth + 1)))
    sep = draw(st.sampled_from([" ", "\n", " *", "** "]))
    inner = sep.join(words)
    parts = ["." + kind] + [f"{k}={v}" for k, v in attrs.items()]
    return f"[{inner}]{{{' '.join(parts)}}}"


@st.composite
def structured_brief(draw):
    paragraphs = []
    for _ in range(draw(st.integers(1, 4))):
        pieces = draw(st.lists(st.one_of(WORD, span()), min_size=1, max_size=8))
        prefix = draw(st.sampled_from(["", "> ", "- ", "# ", "1. "]))
        text = " ".join(pieces)
        paragraphs.append(prefix + (text.replace("\n", " ") if prefix == "# " else text))  # a heading is one line
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    front = ("---\ntitle: Generated\npublished: 2024-06-19\nentities:\n"
             "  l: {type: leader, name: Leader L, aliases: [L]}\n  r: {type: region, name: Region R, kind: sea}\n---\n")
    return (front + "\n\n".join(paragraphs) + "\n").replace("\n", eol)


@SETTINGS
@given(structured_brief())
def test_structured_briefs(source):
    brief = parse_brief(source, "s.md")  # always valid
    assert brief.warnings == []
    check(brief)
    n_spans = len(re.findall(r"\]\{\.", source))
    assert len(brief.mentions) + len(brief.marks) == n_spans
    for m in brief.mentions:
        assert brief.source[m.src_start] == "[" and brief.source[m.src_end - 1] == "}"
        if m.type == "date":
            assert m.attrs["value"] and m.attrs.get("mod", "START") == m.attrs.get("mod", "START").upper()
    assert [m.start for m in brief.mentions] == sorted(m.start for m in brief.mentions)
    values = [f.value for f in brief.facts["date"]]
    assert len(values) == len(brief.facts["date"])
