"""The inlines of one block: its text tokenised, built into a tree, flattened into the display
text with every style, span and verbatim segment recorded by offset.

``_Inline(builder, joined, starts, lines).run()`` shows one block, its lines joined with
'\n' (soft breaks, shown as spaces); ``starts`` and ``lines`` map the joined text back to
the source (``base``: a constant offset when nothing was cut between the lines). The common
block takes the shortcut (``shortcut``: ``run_simple``), a block of brackets without emphasis
the other one (``brackets``: ``run_brackets``); any other is tokenised with one
regular expression that cannot backtrack far (``_tokens_for``: without emphasis runs when
none can close), built into a tree of ``_Node`` (brackets on a stack, code-span closers
looked up in an index of backtick runs, emphasis by ``emphasis.process_emphasis``),
then flattened without recursion. Bracketed spans' attribute blocks are read by ``spans``.
Every step is linear in the block's length, and nesting is bounded (``MAX_SPAN_DEPTH``).
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from briefing.core.markdown import spans as _spans
from briefing.core.markdown.brackets import UNCLOSED, _Brackets
from briefing.core.markdown.emphasis import _ESCAPABLE, _flanks, process_emphasis
from briefing.core.markdown.results import MAX_ATTR_CHARS, MAX_LINK_TITLE_CHARS, MAX_SPAN_DEPTH, BodyIssue
from briefing.core.markdown.shortcut import _Shortcut
from briefing.core.markdown.spans import _Spans

if TYPE_CHECKING:
    from briefing.core.markdown.builder import _BodyBuilder

_UNESCAPE_RE = _spans._UNESCAPE_RE  # (assigned, not imported by name: see _NEAR_MISS_RE in shortcut)

_LINK_TAIL = (
    r"""\(\s*+(?:<(?P<angle>[^<>\n]*+)>|(?P<dest>(?:[^\s()\\]++|\\.|\((?:[^\s()\\]|\\.)*+\))*+))\s*+"""
    r"""(?:(?:"[^"]{0,%d}+"|'[^']{0,%d}+'|\([^()]{0,%d}+\))\s*+)?\)""" % ((MAX_LINK_TITLE_CHARS,) * 3)
)
_LINK_TAIL_RE = re.compile(_LINK_TAIL)


def _token_re(star: bool, underscore: bool) -> re.Pattern:
    """The inline tokens; without '*' (or '_') delimiter runs when none in the block can
    close: then none can make emphasis, and they are plain text (issue 15: '*a **b '
    repeated made a node, a stack entry and a segment per run)."""
    # Every alternative starts with a literal character, so the engine skips plain text fast.
    return re.compile(
        r"""\[[^\[\]\\`*_<\n]++\]\{(?:[^{}"'\n]++|"(?:[^"\\\n]++|\\.)*+"|'(?:[^'\\\n]++|\\.)*+')*+\}
                                # a simple span: [plain text]{attributes}, in one step
          | \[[^\[\]\\`*_<\n]*+\](?!\{)(?!%s)   # a bracket pair that can only be text: [a] (one token, not two)
          | \\[\s\S]              # backslash escape (or hard break before a newline)
          | \[ | \]               # bracket open, bracket close
          %s%s
          | ``*+                  # code span delimiter run
          | !\[                   # image
          | <(?:https?|mailto):[^\s<>]*+>   # autolink
          | \n(?<=[ ]\n)          # a line break after spaces (two or more: a hard break)
        """ % (_LINK_TAIL.replace("?P<angle>", "?:").replace("?P<dest>", "?:"),
               "| \\*\\**+          # emphasis delimiter runs: '*' ..." if star else "",
               "\n| (?<!\\w)_++ | (?<!_)_++(?!\\w)  # ... and '_' unless between letters or digits (then text)"
               if underscore else ""),
        re.VERBOSE,
    )


_TOKEN_RES = {(star, under): _token_re(star, under) for star in (True, False) for under in (True, False)}
_TOKEN_RE = _TOKEN_RES[True, True]
_NO_DELIMS = _TOKEN_RES[False, False]  # (the tokens of a block without emphasis: brackets.run_brackets)
# A delimiter run that could close emphasis starts after a character that is not blank
# (nor the same delimiter): a block without one has no emphasis.
_STAR_CLOSER_RE = re.compile(r"[^\s*]\*")
_UNDERSCORE_CLOSER_RE = re.compile(r"[^\s_]_")


def _tokens_for(s: str) -> re.Pattern:
    star = "*" in s and _STAR_CLOSER_RE.search(s) is not None
    under = "_" in s and _UNDERSCORE_CLOSER_RE.search(s) is not None
    return _TOKEN_RES[star, under]


_BACKTICKS_RE = re.compile(r"`+")


class _Node:
    """A node of the inline tree.

    ``kind`` is raw (a verbatim slice ``src:src_end`` of the block's text), text (``text``,
    verbatim only if its length is that of ``src:src_end``), delim (an emphasis delimiter
    run), open (a bracket not closed yet), code, break, or a container with ``children``:
    link, image, span.
    """

    __slots__ = ("kind", "text", "src", "src_end", "children", "info",
                 "count", "orig", "can_open", "can_close", "opens", "closes")

    def __init__(self, kind: str, text: str = "", src: int = -1, src_end: int = -1):
        self.kind = kind
        self.text = text
        self.src = src  # offset in the joined block text, -1 if synthetic
        self.src_end = src_end
        self.children: list[_Node] | None = None
        self.info: object = None


class _Inline(_Shortcut, _Brackets, _Spans):
    link_tail = _LINK_TAIL_RE

    def __init__(self, b: _BodyBuilder, s: str, starts: list[int], lines: list[tuple[str, int, int, int]]):
        self.b = b
        self.s = s
        self.starts = starts
        self.lines = lines
        self.nodes: list[_Node] = []
        self.brackets: list[int] = []  # indexes into self.nodes of open brackets
        self.runs: dict[int, list[int]] | None = None  # backtick run length -> starts
        self.has_delims = False
        self.depth_reported = False
        self.tokens = _tokens_for(s)
        # When the block's lines follow each other in the source with nothing cut between
        # them (no indentation, no '>'), joined text and source differ by a constant.
        base = lines[0][1]
        self.base = base if all(lines[k][1] == base + starts[k] for k in range(1, len(lines))) else -1

    # -- positions
    def src_of(self, i: int) -> int:
        """Source offset of position i of the joined text."""
        if self.base >= 0:
            return self.base + i
        k = bisect.bisect_right(self.starts, i) - 1
        return self.lines[k][1] + (i - self.starts[k])

    def line_col(self, i: int) -> tuple[int, int]:
        k = 0 if len(self.starts) == 1 else bisect.bisect_right(self.starts, i) - 1
        _, _, line, col = self.lines[k]
        return line, col + (i - self.starts[k])

    def issue(self, i: int, message: str, severity: str = "error") -> None:
        self.b.add_issue(BodyIssue(*self.line_col(i), message, severity))

    def raw(self, start: int, end: int) -> None:
        """Text shown as written; it extends the text just before it (fewer nodes)."""
        if end > start:
            nodes = self.nodes
            if nodes:
                last = nodes[-1]
                if last.src_end == start and last.kind == "raw":
                    last.src_end = end
                    return
            nodes.append(_Node("raw", "", start, end))

    # -- tokenising
    def run(self) -> None:
        if self.run_simple() or (self.tokens is _NO_DELIMS and self.run_brackets()):
            return
        s = self.s
        search = self.tokens.search
        pos = 0
        n = len(s)
        while pos < n:
            m = search(s, pos)
            if m is None:
                break
            if m.start() > pos:
                self.raw(pos, m.start())
            pos = self.token(m)
        if pos < n:
            self.raw(pos, n)
        for idx in self.brackets:
            node = self.nodes[idx]
            self.issue(node.src + len(node.text) - 1, UNCLOSED)
            node.kind = "raw"
        if self.has_delims:
            self.process_emphasis(self.nodes)
        self.flatten()

    def token(self, m: re.Match) -> int:
        s, tok, i = self.s, m.group(), m.start()
        c = tok[0]
        if c == "[" or tok == "![":
            if tok[-1] == "]" and c == "[":  # a bracket pair that can only be text
                self.near_miss(i, m.end())
                self.raw(i, m.end())
                return m.end()
            if len(tok) > 1 and c == "[":  # a simple span
                end = m.end()
                brace = s.find("]", i) + 1
                if end - brace <= MAX_ATTR_CHARS and len(self.brackets) < MAX_SPAN_DEPTH:
                    parsed = self.attrs_of(brace, end, report=False)
                    if parsed is not None:
                        node = _Node("span", "", i, end)
                        node.children = [_Node("raw", "", i + 1, brace - 1)]
                        node.info = (*parsed, brace)
                        self.nodes.append(node)
                        return end
                tok = "["  # not after all: the general path reports what is wrong
            if len(self.brackets) >= MAX_SPAN_DEPTH:
                if not self.depth_reported:
                    self.depth_reported = True
                    self.issue(i, f"brackets nested more than {MAX_SPAN_DEPTH} deep")
                self.raw(i, i + len(tok))
                return i + len(tok)
            self.brackets.append(len(self.nodes))
            self.nodes.append(_Node("open", tok, i, i + len(tok)))
            return i + len(tok)
        if c == "]":
            return self.close_bracket(m)
        if c == "\\":
            nxt = tok[1]
            if nxt == "\n":
                self.nodes.append(_Node("break", "\n", i, m.end()))
            elif nxt in _ESCAPABLE:
                self.nodes.append(_Node("text", nxt, i + 1, m.end()))
            else:
                self.raw(i, m.end())
            return m.end()
        if c == "*" or c == "_":
            end = m.end()
            flanks = _flanks(s[i - 1] if i else " ", s[end] if end < len(s) else " ")
            node = _Node("delim", tok, i, end)
            node.count = node.orig = len(tok)
            if c == "*":
                node.can_open, node.can_close = flanks[0], flanks[1]
            else:
                node.can_open, node.can_close = flanks[2], flanks[3]
            node.opens = node.closes = None
            self.nodes.append(node)
            self.has_delims = True
            return end
        if c == "`":
            return self.code_span(m)
        if c == "<":
            url = tok[1:-1]
            node = _Node("link", "", i, m.end())
            node.children = [_Node("raw", "", i + 1, m.end() - 1)]
            node.info = url
            self.nodes.append(node)
            return m.end()
        if c == "\n":  # a line break after spaces: the spaces are not shown
            last = self.nodes[-1] if self.nodes else None
            j = i
            if last is not None and last.kind == "raw" and last.src_end == i:
                while j > last.src and s[j - 1] == " ":
                    j -= 1
                last.src_end = j
            if i - j >= 2:
                self.nodes.append(_Node("break", "\n", j, i + 1))
            else:
                self.raw(i, i + 1)  # a soft break, shown as a space
            return i + 1
        self.raw(i, m.end())
        return m.end()

    def code_span(self, m: re.Match) -> int:
        s, i, length = self.s, m.start(), m.end() - m.start()
        if self.runs is None:  # every backtick run of the block, by length
            self.runs = {}
            for r in _BACKTICKS_RE.finditer(s):
                self.runs.setdefault(r.end() - r.start(), []).append(r.start())
        same = self.runs.get(length, ())
        k = bisect.bisect_left(same, m.end())
        if k >= len(same):
            self.raw(i, m.end())
            return m.end()
        close = same[k]
        content = s[m.end() : close]
        if "\n" in content:
            content = content.replace("\n", " ")
        if len(content) > 2 and content[0] == " " and content[-1] == " " and content.strip():
            content = content[1:-1]
        node = _Node("code", content, i, close + length)
        self.nodes.append(node)
        return close + length

    def close_bracket(self, m: re.Match) -> int:
        s, i, after = self.s, m.start(), m.end()
        nxt = s[after] if after < len(s) else ""
        if not self.brackets:
            if nxt == "{":
                self.issue(i, "']{' closes a span that was never opened with '['")
                end = self._attr_end(after)
                self.raw(i, end if end > 0 else after)
                return end if end > 0 else after
            self.raw(i, after)
            return after
        idx = self.brackets[-1]
        opener = self.nodes[idx]
        if nxt == "{":
            end = self._attr_end(after)
            if end < 0:
                self.issue(after, "unclosed '{': an attribute block must close on the line where it opens"
                           if len(s) - after <= MAX_ATTR_CHARS else
                           f"unclosed '{{': an attribute block must close on its line, within {MAX_ATTR_CHARS} characters")
                self.brackets.pop()
                opener.kind = "raw"
                self.raw(i, after)
                return after
            parsed = self.attrs_of(after, end, report=True)
            self.brackets.pop()
            if parsed is None:
                opener.kind = "raw"
                self.raw(i, end)
                return end
            if opener.text == "![":  # '!' then a span: the '!' is text
                opener.kind, opener.src_end = "raw", opener.src + 1
                opener = _Node("open", "[", opener.src + 1, opener.src + 2)
                self.nodes.insert(idx + 1, opener)
                idx += 1
            self.wrap(idx, "span", (*parsed, after), end)
            return end
        self.near_miss(self.nodes[idx].src, after)
        if nxt == "(":
            tail = _LINK_TAIL_RE.match(s, after)
            if tail is not None:
                url = tail.group("angle") if tail.group("angle") is not None else tail.group("dest") or ""
                if "\\" in url:
                    url = _UNESCAPE_RE.sub(r"\1", url)
                self.brackets.pop()
                self.wrap(idx, "image" if opener.text == "![" else "link", url, tail.end())
                return tail.end()
        # Plain brackets: literal text; the opener becomes text too.
        self.brackets.pop()
        opener.kind = "raw"
        self.raw(i, after)
        return after

    def wrap(self, idx: int, kind: str, info: object, src_end: int) -> None:
        """Turn nodes[idx+1:] into the children of a new container that replaces the opener."""
        opener = self.nodes[idx]
        children = self.nodes[idx + 1 :]
        del self.nodes[idx:]
        if self.has_delims:
            self.process_emphasis(children)
        node = _Node(kind, "", opener.src, src_end)
        node.children = children
        node.info = info
        self.nodes.append(node)

    process_emphasis = staticmethod(process_emphasis)

    # -- output
    def emit_raw(self, a: int, z: int) -> None:
        """Show s[a:z] as it is (soft line breaks as spaces), mapped line by line."""
        b = self.b
        text = self.s[a:z]
        if self.base >= 0:
            b.body.segments.add(b.length, self.base + a, z - a)
            if "\n" in text:
                text = text.replace("\n", " ")
        else:
            if "\n" in text:
                text = text.replace("\n", " ")
            starts, lines, segs = self.starts, self.lines, b.body.segments
            k = bisect.bisect_right(starts, a) - 1
            d = b.length
            while a < z:
                stop = starts[k + 1] if k + 1 < len(starts) else z
                piece = min(z, stop) - a
                segs.add(d, lines[k][1] + a - starts[k], piece)
                d += piece
                a += piece
                k += 1
        b.parts.append(text)
        b.length += len(text)

    def flatten(self) -> None:
        """Append the tree to the display text, iteratively, recording styles and spans."""
        b = self.b
        styles = b.body.styles
        segments = b.body.segments
        seg_d, seg_s, seg_n = segments.displays.append, segments.sources.append, segments.lengths.append
        parts = b.parts
        s = self.s
        base = self.base
        work: list[object] = self.nodes[::-1]
        while work:
            node = work.pop()
            if node.__class__ is tuple:  # closing a container: (node, display start)
                self.close(*node)
                continue
            kind = node.kind
            if kind == "span" and len(node.children) == 1 and node.children[0].kind == "raw":
                start = b.length  # the common case, without the work stack
                child = node.children[0]
                if child.src_end > child.src:
                    self.emit_raw(child.src, child.src_end)
                self.close(node, start)
            elif kind == "raw" or kind == "open":
                a, z = node.src, node.src_end
                if z > a:
                    if base >= 0:
                        text = s[a:z]
                        seg_d(b.length)  # (segments.add, written out)
                        seg_s(base + a)
                        seg_n(z - a)
                        parts.append(text.replace("\n", " ") if "\n" in text else text)
                        b.length += z - a
                    else:
                        self.emit_raw(a, z)
            elif kind == "delim":
                closed = 0
                if node.closes:
                    for mt in node.closes:
                        styles.add(mt.kind, mt.start, b.length, None, self.src_of(mt.src), self.src_of(mt.src_end - 1) + 1)
                        closed += 2 if mt.kind == "strong" else 1
                if node.count:
                    self.emit_raw(node.src + closed, node.src + closed + node.count)
                if node.opens:
                    for mt in reversed(node.opens):
                        mt.start = b.length
            elif kind == "text":
                if node.text:
                    verbatim = node.src >= 0 and len(node.text) == node.src_end - node.src
                    b.emit(node.text, self.src_of(node.src) if verbatim else None)
            elif kind == "break":
                b.emit("\n", None)
            elif kind == "code":
                start = b.length
                b.emit(node.text, None)
                styles.add("code", start, b.length, None, self.src_of(node.src), self.src_of(node.src_end - 1) + 1)
            else:
                work.append((node, b.length))
                work.extend(reversed(node.children or ()))

    def close(self, node: _Node, start: int) -> None:
        b = self.b
        end = b.length
        if node.kind == "span":
            self.span(node.src, node.src_end, node.info, start, end)
            return
        base = self.base
        if base >= 0:
            src_start, src_end = base + node.src, base + node.src_end
        else:
            src_start = self.src_of(node.src)
            src_end = self.src_of(node.src_end - 1) + 1
        if node.kind == "link" or node.kind == "image":
            b.body.styles.add(node.kind, start, end, node.info, src_start, src_end)
