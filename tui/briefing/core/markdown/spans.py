"""Bracketed spans, ``[text]{.TYPE key=value key="quoted"}``: the attribute block read,
checked and cached, near misses warned about, a span recorded (a row of the body's ``RawSpans``).

``_Spans`` is mixed into ``inline._Inline`` (it reads the block's text ``s``, the builder
``b``, ``base``, ``starts`` and ``lines``, and uses ``issue``, ``src_of`` and ``line_col``). ``attrs_of`` parses an
attribute block once per text (the builder's ``attr_cache``, bounded): spans written with
the same ``{...}`` share its parsed attributes, read-only. An attribute block must close on
the line where it opens, within ``MAX_ATTR_CHARS``; a malformed one, a duplicate key or a
span without a type is an error, never a guess. ``_Inline.parse_attrs`` is also called by
``briefing.index.fast`` on a stand-in holding the attribute block alone.
"""

from __future__ import annotations

import re

from briefing.core.markdown.results import MAX_ATTR_CHARS

_ATTR_BLOCK_RE = re.compile(r"""\{(?:[^{}"'\n]++|"(?:[^"\\\n]++|\\.)*+"|'(?:[^'\\\n]++|\\.)*+')*+\}""")
_ATTR_TOKEN_RE = re.compile(
    r"""\s*+(?:
        \.(?P<cls>[A-Za-z][\w-]*+)
      | \#(?P<id>[\w:.-]++)
      | (?P<key>[A-Za-z_][\w.-]*+)=(?:"(?P<dq>(?:[^"\\\n]|\\.)*+)"|'(?P<sq>(?:[^'\\\n]|\\.)*+)'|(?P<bare>[^\s"'{}=]++))
    )(?=\s|$)""",
    re.VERBOSE,
)
# What was surely meant as a span: "] {.type" (a space before the brace) or "](.type" (a link
# that is a class). Only a warning: either can be plain text.
_NEAR_MISS_RE = re.compile(r"(?:(?P<space>[ \t]+)\{|\()(?P<cls>\.[a-z][a-z0-9_-]*)(?P<rest>[^}\)\n]{0,80})[}\)]")
_UNESCAPE_RE = re.compile(r"\\(.)")


class _Spans:
    """The span methods of ``inline._Inline`` (mixed in)."""

    def near_miss(self, opener: int, after: int) -> None:
        """"[Sunday] {.date ...}" and "[Monday](.date ...)" stay text, brackets and all: a
        warning with the fix (``opener``: the '['; ``after``: just past the ']')."""
        if _NEAR_MISS_RE.match(self.s, after) is not None:
            self.issue(after, self.near_miss_message(opener, after), "warning")

    def near_miss_message(self, opener: int, after: int) -> str:
        """The near miss warning's words (there is one at ``after``)."""
        s = self.s
        near = _NEAR_MISS_RE.match(s, after)
        inner = s[opener + 1:after - 1]
        fix = f"[{inner}]{{{near['cls']}{near['rest']}}}" if len(inner) <= 40 else f"[...]{{{near['cls']} ...}}"
        what = "a space between ']' and '{'" if near["space"] else "'(' instead of '{'"
        return f"{what} leaves this span as plain text: write {fix}"

    def _attr_end(self, at: int) -> int:
        """Offset just past the '}' that closes the attribute block at ``at``, or -1."""
        m = _ATTR_BLOCK_RE.match(self.s, at, min(len(self.s), at + MAX_ATTR_CHARS))
        return m.end() if m else -1

    def attrs_of(self, start: int, end: int, report: bool) -> tuple | None:
        """The parsed ``{...}`` between start ('{') and end (past '}'), cached by its text.

        Returns (classes, attrs, attribute offsets relative to '{'), or None (after
        reporting the problem if ``report``)."""
        key = self.s[start:end]
        cache = self.b.attr_cache
        if key in cache:
            hit = cache[key]
            if hit is not None or not report:
                return hit
        parsed = self.parse_attrs(start, end, report)
        if len(cache) < 10000:
            cache[key] = parsed
        return parsed

    def parse_attrs(self, start: int, end: int, report: bool = True) -> tuple | None:
        inner_end = end - 1
        s = self.s
        pos = start + 1
        classes: list[str] = []
        attrs: dict[str, str] = {}
        where: dict[str, int] = {}
        while pos < inner_end:
            if s[pos:inner_end].isspace():
                break
            m = _ATTR_TOKEN_RE.match(s, pos, inner_end)
            if m is None:
                if report:
                    bad = pos + len(s[pos:inner_end]) - len(s[pos:inner_end].lstrip())
                    self.issue(bad, f"malformed attribute {s[bad:inner_end].split()[0]!r} in span attributes "
                                    "(expected .type, key=value or key=\"quoted value\")")
                return None
            if m.group("cls"):
                classes.append(m.group("cls").lower())
            elif m.group("id"):
                pass  # Pandoc identifiers are allowed and ignored
            else:
                key = m.group("key")
                raw = m.group("dq") if m.group("dq") is not None else m.group("sq") if m.group("sq") is not None else m.group("bare")
                if key in attrs:
                    if report:
                        self.issue(m.start("key"), f"attribute {key!r} given twice")
                    return None
                attrs[key] = _UNESCAPE_RE.sub(r"\1", raw) if "\\" in raw else raw
                where[key] = m.start("key") - start
            pos = m.end()
        if not classes:
            if report:
                self.issue(start, "a span needs a type: write [text]{.leader}, {.date value=...}, {.region}, ...")
            return None
        return classes, attrs, where

    def span(self, a: int, z: int, info: tuple, start: int, end: int) -> None:
        """Record the span written at a:z of the block, shown at start:end."""
        classes, attrs, where, brace = info
        base = self.base
        if base >= 0:
            src_start, src_end = base + a, base + z
        else:
            src_start, src_end = self.src_of(a), self.src_of(z - 1) + 1
        if len(self.starts) == 1:
            line, col = self.lines[0][2], self.lines[0][3] + a
        else:
            line, col = self.line_col(a)
        # (the attribute block is on one line: offsets from its '{' carry over to the source)
        brace = base + brace if base >= 0 else self.src_of(brace)
        self.b.body.spans.add(classes[0], attrs, start, end, src_start, src_end, line, col,
                              tuple(classes[1:]) if len(classes) > 1 else (), brace, where)
        if start == end:
            self.issue(a, "empty span: a span needs text between [ and ]")
