"""Properties over generated hostile input:

- parsing raises only the project's error type (``BriefError``), whatever the bytes;
- no control, bidi or invisible character survives display sanitising, anywhere;
- the HTML export has no live tag or event handler, and links only to http(s), for any input;
- the JSON export is valid JSON, for any input; the Markdown export stays a brief with the
  same text, whatever the notes hold;
- highlights survive a reload (of the store, and of the file, even rewritten with CRLF).
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.hostile.checks import UNSAFE, assert_brief_inert, assert_html_inert
from briefing.core.anchor import Highlight
from briefing.export import export_html, export_json, export_markdown
from briefing.core.parser import load_brief, parse_brief
from briefing.core.problems import BriefError
from briefing.core.sanitize import json_inert, sanitise, sanitise_line, terminal_line
from briefing.store import Store

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

CONTROLS = [chr(c) for c in range(0x20) if c != 0x0A] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
DECEPTIVE = list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
                 "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u2028\u2029\ufffe\uffff")
PIECES = [
    "[bold red]", "[/]", "[/=", "[link=https://evil.example/x]", "[@click=app.quit]", "[on red]",
    "\x1b]0;PWNED\x07", "\x1b]52;c;UFdORUQ=\x07", "\x1b]8;;https://evil.example\x1b\\", "\x1b[2J", "\u009b2J",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '" onmouseover="x', "javascript:alert(1)",
    "&amp;", "&#x3C;", "<!--", "-->", "]]>", "{.leader}", "]{", "[x]{.org}", "[y](javascript:x)", "<https://a.b>",
    "[z](https://ok.example/a)", "`", "*", "_", "\\", "#", "> ", "- ", "1. ", "---", "\n", "\n\n", " ", "\t", "\r\n",
]
HOSTILE_CHAR = st.sampled_from(CONTROLS + DECEPTIVE + list("[]{}()<>&\"'`*_\\!#=/@:;")) | st.characters()
HOSTILE_TEXT = st.lists(st.sampled_from(PIECES) | HOSTILE_CHAR | st.text(max_size=3), max_size=40).map("".join)
ONE_LINE = HOSTILE_TEXT.map(lambda t: t.replace("\r", " ").replace("\n", " "))


@st.composite
def yaml_string(draw) -> str:
    """A YAML double-quoted string for any text, written with YAML's own escapes."""
    text = draw(HOSTILE_TEXT)
    out = []
    for ch in text:
        code = ord(ch)
        escape = draw(st.booleans())  # also escape what could be written as it is
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\x1b" and escape:
            out.append("\\e")
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF) or escape and code > 0x7E:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@st.composite
def hostile_brief(draw) -> str:
    """A brief whose every field may hold anything: front matter through YAML escapes, a body
    of markup, escapes and HTML, spans with hostile attributes."""
    lines = ["---", f"title: {draw(yaml_string())}"]
    for key in ("source", "summary"):
        if draw(st.booleans()):
            lines.append(f"{key}: {draw(yaml_string())}")
    if draw(st.booleans()):
        lines.append(f"tags: [{', '.join(draw(st.lists(yaml_string(), max_size=3)))}]")
    if draw(st.booleans()):
        lines += ["entities:", f"  e: {{type: leader, name: {draw(yaml_string())}, role: {draw(yaml_string())}}}"]
    lines.append("---")
    body = draw(HOSTILE_TEXT)
    if draw(st.booleans()):
        attr = draw(ONE_LINE).replace("\\", "\\\\").replace('"', '\\"')
        body += f' [a mention {draw(ONE_LINE).replace("[", "").replace("]", "")}]{{.org name="{attr}"}}'
    return "\n".join(lines) + "\n" + body + "\n"


def parse_or_none(source: str | bytes):
    try:
        return parse_brief(source, "hostile.md")
    except BriefError as exc:
        assert exc.errors
        for p in exc.problems:
            assert not UNSAFE.search(p.message), p.message
        return None


# ---------------------------------------------------------------------------- parsing


@settings(SETTINGS, max_examples=80)
@given(hostile_brief())
def test_parsing_raises_only_brief_error_and_every_shown_string_is_inert(source):
    brief = parse_or_none(source)
    if brief is not None:
        assert_brief_inert(brief)
        for s in (brief.meta.title, brief.meta.source or "", brief.meta.summary or "", *brief.meta.tags):
            assert not UNSAFE.search(s)


@settings(SETTINGS, max_examples=100)
@given(st.binary(max_size=400), st.sampled_from([b"", b"---\ntitle: t\n---\n", b"\xef\xbb\xbf---\r\ntitle: t\r\n---\r\n"]))
def test_parsing_any_bytes_raises_only_brief_error(data, head):
    brief = parse_or_none(head + data)
    if brief is not None:
        assert not UNSAFE.search(brief.text)


# ---------------------------------------------------------------------------- sanitising


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=HOSTILE_CHAR | st.sampled_from(["\ud800", "\udcff", "\udfff"])))
def test_no_control_character_survives_sanitising(text):
    clean = sanitise(text)
    assert len(clean) == len(text)  # one for one: offsets stay those of the file
    assert not UNSAFE.search(clean)
    assert sanitise(clean) == clean
    line = sanitise_line(text)
    assert "\n" not in line and "\t" not in line and not UNSAFE.search(line)
    shown = terminal_line(text)
    assert "\n" not in shown and not UNSAFE.search(shown)
    shown.encode("utf-8")


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet=HOSTILE_CHAR),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet=HOSTILE_CHAR, max_size=5),
                                                                               inner, max_size=3), max_leaves=8))
def test_json_made_inert_keeps_every_value(value):
    text = json_inert(json.dumps(value, ensure_ascii=False))
    assert not UNSAFE.search(text)
    assert json.loads(text) == value


# ---------------------------------------------------------------------------- exports


def highlights_for(brief, cuts: list[tuple[int, int]], notes: list[str]) -> list[Highlight]:
    n = len(brief.text)
    out = []
    for i, (a, b) in enumerate(cuts):
        start, end = sorted((a % (n + 1), b % (n + 1)))
        if start == end:
            continue
        out.append(Highlight(id=f"h{i}", path=brief.path, start=start, end=end, exact=brief.text[start:end],
                             prefix="", suffix="", text_hash="", note=notes[i % len(notes)] if notes else None,
                             created="", updated=""))
    out.append(Highlight(id="orphan", path=brief.path, start=0, end=0, exact=notes[0] if notes else "x", prefix="",
                         suffix="", text_hash="", note=notes[-1] if notes else None, created="", updated="",
                         orphan=True))
    return out


CUTS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), max_size=5)
NOTES = st.lists(HOSTILE_TEXT, min_size=1, max_size=3)


@SETTINGS
@given(hostile_brief(), CUTS, NOTES, st.booleans())
def test_html_export_has_no_live_tag_or_handler_for_any_input(source, cuts, notes, digest):
    brief = parse_or_none(source)
    assume(brief is not None)
    page = export_html(brief, highlights_for(brief, cuts, notes), highlights_only=digest)
    assert_html_inert(page)


@SETTINGS
@given(hostile_brief(), CUTS, NOTES, st.booleans())
def test_json_export_is_valid_for_any_input(source, cuts, notes, digest):
    brief = parse_or_none(source)
    assume(brief is not None)
    text = export_json(brief, highlights_for(brief, cuts, notes), highlights_only=digest)
    assert not UNSAFE.search(text)
    data = json.loads(text)
    assert data["title"] == brief.meta.title
    assert digest or data["text"] == brief.text


@SETTINGS
@given(hostile_brief(), CUTS, NOTES)
def test_markdown_export_stays_a_brief_with_the_same_text(source, cuts, notes):
    brief = parse_or_none(source)
    assume(brief is not None)
    highlights = highlights_for(brief, cuts, notes)
    full = export_markdown(brief, highlights)
    assert not UNSAFE.search(full)
    again = parse_brief(full, "again.md")
    assert again.text == brief.text and again.meta == brief.meta
    assert len(again.mentions) == len(brief.mentions)
    digest = export_markdown(brief, highlights, highlights_only=True)
    assert not UNSAFE.search(digest)
    parse_brief(digest, "digest.md")  # always a valid brief


# ---------------------------------------------------------------------------- highlights survive a reload


@settings(SETTINGS, max_examples=20)
@given(hostile_brief(), CUTS, NOTES, st.sampled_from(["\n", "\r\n", "\r"]))
def test_highlights_survive_a_reload(tmp_path_factory, source, cuts, notes, newline):
    brief = parse_or_none(source)
    assume(brief is not None and len(brief.text) >= 2)
    # A file holds bytes: a lone surrogate (possible only in text handed over as str) cannot be
    # written to one, so such a source has no file to reload.
    assume(not any("\ud800" <= ch <= "\udfff" for ch in source))
    folder = tmp_path_factory.mktemp("reload")
    path = folder / "b.md"
    path.write_bytes(source.encode("utf-8"))
    try:
        brief = load_brief(path)
    except BriefError:
        assume(False)
    saved = []
    with Store.open(folder / "data") as st_:
        for h in highlights_for(brief, cuts, notes)[:-1]:
            saved.append(st_.add_highlight(brief, h.start, h.end, note=h.note))
    # The file is read again, maybe with other line endings, by a new store.
    path.write_bytes(source.replace("\r\n", "\n").replace("\r", "\n").replace("\n", newline)
                     .encode("utf-8"))
    again = load_brief(path)
    assert again.text == brief.text
    with Store.open(folder / "data") as st_:
        placed = st_.highlights(again)
    assert sorted((h.id, h.start, h.end, h.orphan, h.note) for h in placed) == \
        sorted((h.id, h.start, h.end, False, h.note) for h in saved)
    for h in placed:
        assert h.note is None or not UNSAFE.search(h.note)
