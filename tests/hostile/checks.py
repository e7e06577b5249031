"""Checks shared by the hostile-input tests: what "inert" means for text, bytes, HTML and
terminal output."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from briefing.export import ALLOWED_TAGS
import regex

# Anything that may act on a terminal or hide text: C0 (but tab and newline), DEL, C1, and by
# Unicode property every format, surrogate, private-use, unassigned or default-ignorable
# character (bidi, zero-width, tags, variation selectors, Hangul fillers, noncharacters).
UNSAFE = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]")
# The same in UTF-8 output: C0 but tab/LF/CR, DEL, C1 encoded (C2 80-9F), bidi, zero-width, BOM.
UNSAFE_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xa8-\xae]"
                          rb"|\xe2\x81[\xa0-\xa4\xa6-\xa9]|\xd8\x9c|\xe1\xa0\x8e|\xef\xbb\xbf")
# What a terminal emulator receives from the app, once the app's own control sequences are
# taken out: CSI sequences (cursor moves, SGR colours), which the app (not a brief) writes.
_CSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def strings(value):
    """Every string inside a value (dicts, lists, tuples, sets)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            stack.extend(v)


def assert_brief_inert(brief) -> None:
    """No string a brief hands to the UI or to an export can act on a terminal."""
    dumped = brief.model_dump(mode="python", exclude={"path"})
    for s in [*strings(dumped), *strings(brief.facts_json()), *(w.message for w in brief.warnings)]:
        assert not UNSAFE.search(s), repr(s)


def terminal_leaks(raw: str) -> list[str]:
    """What in the app's raw output is not the app's own: any OSC sequence (window title,
    clipboard, hyperlink), any other escape, any C0/C1 control, bidi or invisible character."""
    leaks = [m.group() for m in _OSC.finditer(raw)]
    rest = _CSI.sub("", _OSC.sub("", raw))
    leaks += [f"U+{ord(c):04X}" for c in UNSAFE.findall(rest.replace("\r", "").replace("\n", ""))]
    return leaks


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_pi(self, data):
        self.comments.append(data)

    def unknown_decl(self, data):
        self.comments.append(data)

    def handle_data(self, data):
        self.data.append(data)


_ATTRS = {"lang", "charset", "http-equiv", "content", "name", "class", "title", "id", "href", "rel", "datetime", "style"}


def assert_html_inert(page: str) -> TagCollector:
    """Only the exporter's own tags and attributes; links only to http(s); no script, no
    event handler, no comment or declaration that could hide or open something."""
    assert not UNSAFE.search(page)
    lowered = page.lower()
    for tag in ("<script", "<iframe", "<img", "<svg", "<object", "<embed", "<form", "<base", "<link", "<input"):
        assert tag not in lowered, tag
    p = TagCollector()
    p.feed(page)
    p.close()
    assert not p.comments, p.comments
    for tag, attrs in p.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert name in _ATTRS, (tag, name)
            if name == "href":
                assert re.fullmatch(r"https?://[^\s\"'<>`]+", value, re.I), value
            if name == "style":
                assert re.fullmatch(r"margin-left:[\d.]+rem", value), value
            if name == "http-equiv":
                assert value.lower() == "content-security-policy"
    assert sum(1 for tag, _ in p.tags if tag == "style") == 1  # the exporter's own stylesheet
    assert "default-src 'none'" in page
    return p
