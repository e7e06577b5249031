"""The body of a brief: Markdown blocks and inlines plus Pandoc bracketed spans, turned into
the plain text the reader displays, with every construct recorded by offset.

Supported Markdown (a CommonMark subset that covers what briefs use): ATX and setext
headings, paragraphs (soft line breaks become spaces), block quotes, bullet and ordered
lists, fenced code, thematic breaks, emphasis and strong emphasis, code spans, links,
autolinks, images, backslash escapes and hard line breaks. Raw HTML shows as text.

Spans: ``[text]{.TYPE key=value key="quoted"}``. The text may wrap across lines of one
block; the ``{...}`` block must close on the line where it opens. ``\\[`` and ``\\]`` are
literal brackets. A ``[`` left open at the end of its block, a ``]{`` with no ``[``, and a
malformed attribute block are errors, never guesses.

Every step is linear in the size of the brief: tokens are found with regular expressions
that cannot backtrack far (possessive quantifiers, bounded lengths), code-span closers are
looked up in an index of backtick runs, emphasis is matched with CommonMark's delimiter
stack and "openers bottom" (as events on the delimiter nodes, never by moving nodes), and
the inline tree is flattened without recursion. A 1 MB brief parses in a fraction of a
second, and deep nesting can neither hang nor overflow the stack. Most blocks (plain text,
simple spans, flat emphasis) skip the inline tree altogether (``_Inline.run_simple``); tests
check that they come out exactly as the tree would show them (tests/test_fast_paths.py).

(Why one module of ~1,100 lines: blocks, inlines, spans and the offsets into the display
text are one parser whose linear-time guarantees hold across those parts, and the shortcut
must mirror the general inline path line for line; split, each piece would need the
others' internals (the builder's offsets, the node kinds, the attribute cache), and
briefing.index.fast and the tests reach its pieces by name in this module.)
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import re
import unicodedata
from dataclasses import dataclass, field

from briefing.core.limits import MAX_PROBLEMS

MAX_SPAN_DEPTH = 32  # brackets open at once inside one block
MAX_BLOCK_DEPTH = 32  # block-quote depth and list nesting shown (deeper is clamped, with a warning)
MAX_ATTR_CHARS = 4096  # an attribute block {...} longer than this is refused
MAX_LINK_TITLE_CHARS = 1000

# ---------------------------------------------------------------------------- results


@dataclass(slots=True)
class RawSpan:
    """A bracketed span as written; checked against the front matter by the parser.

    (An 8 MB brief has 300,000 of them: what spans with the same attribute block share,
    their ``attrs`` and ``where``, is one object, read-only, and the offsets of the
    attributes are worked out only when a problem is reported.)"""

    type: str
    attrs: dict[str, str]  # shared by the spans written with the same {...}: not to be changed
    start: int  # display offsets
    end: int
    src_start: int  # source offsets of '[' and just after '}'
    src_end: int
    line: int
    col: int
    classes: tuple[str, ...] = ()  # the classes after the first (the type)
    brace: int = 0  # source offset of the '{'
    where: dict[str, int] = field(default_factory=dict)  # attribute name -> its offset from the '{'

    @property
    def attr_src(self) -> dict[str, int]:
        """Attribute name -> source offset of the name."""
        return {k: self.brace + v for k, v in self.where.items()}


@dataclass(slots=True)
class RawStyle:
    kind: str
    start: int
    end: int
    url: str | None
    src_start: int
    src_end: int


@dataclass(slots=True)
class RawBlock:
    kind: str
    start: int
    end: int
    level: int
    content_start: int


@dataclass
class BodyIssue:
    line: int
    col: int
    message: str
    severity: str = "error"


@dataclass
class Body:
    text: str = ""
    blocks: list[RawBlock] = field(default_factory=list)
    styles: list[RawStyle] = field(default_factory=list)
    spans: list[RawSpan] = field(default_factory=list)
    # (display offset, source offset, length): runs of display text copied verbatim from the
    # source (a soft line break, shown as a space, maps to its newline).
    segments: list[tuple[int, int, int]] = field(default_factory=list)
    issues: list[BodyIssue] = field(default_factory=list)
    # Where reading stopped after MAX_PROBLEMS errors (line, col), else None: nothing after
    # could make the brief valid, and a body of 4 million bad spans took minutes (issue 15).
    stopped_at: tuple[int, int] | None = None


class _TooManyErrors(Exception):
    """Raised by the builder at the first error past MAX_PROBLEMS; parse_body catches it."""


# ---------------------------------------------------------------------------- blocks

_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_HR_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*+\1){2,}+[ \t]*+$")
_SETEXT_RE = re.compile(r" {0,3}(?:=+|-+)[ \t]*+$")
_ATX_RE = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_QUOTE_RE = re.compile(r"(?: {0,3}>[ ]?)+")
_ITEM_RE = re.compile(r"( *)([-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
# Lines whose first non-blank character is one of these may start a block construct.
_BLOCK_START_CHARS = frozenset("`~#>-*_+=0123456789")


@dataclass
class _Pending:
    """Lines of one block waiting to be parsed inline: (content, source offset, line, col)."""

    kind: str
    level: int = 0
    marker: str = ""
    lines: list[tuple[str, int, int, int]] = field(default_factory=list)


class _BodyBuilder:
    def __init__(self, source: str, body_start: int):
        self.source = source
        self.body_start = body_start
        self.parts: list[str] = []
        self.length = 0
        self.body = Body()
        self.prev_kind: str | None = None
        self.attr_cache: dict[str, tuple | None] = {}
        self.depth_warned = False
        self.errors = 0

    def add_issue(self, issue: BodyIssue) -> None:
        if issue.severity == "error":
            self.errors += 1
            if self.errors > MAX_PROBLEMS:
                self.body.stopped_at = (issue.line, issue.col)
                raise _TooManyErrors
        self.body.issues.append(issue)

    # Display text is appended here; every verbatim copy records a segment.
    def emit(self, text: str, src: int | None) -> None:
        if not text:
            return
        if src is not None:
            self.body.segments.append((self.length, src, len(text)))
        self.parts.append(text)
        self.length += len(text)

    def separate(self, kind: str) -> None:
        if self.prev_kind is None:
            return
        self.emit("\n" if kind == "item" and self.prev_kind == "item" else "\n\n", None)

    def finish(self) -> Body:
        self.body.text = "".join(self.parts)
        return self.body

    # What the block reader hands over: a builder for another use (the index) may show
    # blocks differently.
    def block(self, p: "_Pending") -> None:
        _emit_block(self, p)

    def code(self, lines: list[tuple[str, int]]) -> None:
        _emit_code(self, lines)

    def rule(self) -> None:
        self.separate("rule")
        start = self.length
        self.emit("\u2500" * 3, None)
        self.body.blocks.append(RawBlock("rule", start, self.length, 0, start))
        self.prev_kind = "rule"

    def inline(self, joined: str, starts: list[int], lines: list[tuple[str, int, int, int]]) -> None:
        """Show one block's text (its lines joined with '\n'), inlines and spans included."""
        _Inline(self, joined, starts, lines).run()


@contextlib.contextmanager
def no_gc():
    """The cyclic garbage collector paused: parsing makes hundreds of thousands of small
    objects and no cycles, and each collection walks every live one (on a 1 MB brief of
    markup the collector took half the time, issue 15). Nested uses are fine."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse_body(source: str, body_start: int, first_line: int, builder: _BodyBuilder | None = None) -> Body:
    """Parse ``source[body_start:]``; ``first_line`` is the 1-based line number there."""
    b = _BodyBuilder(source, body_start) if builder is None else builder
    with no_gc():
        try:
            _read_blocks(b, source, body_start, first_line)
        except _TooManyErrors:
            pass
        return b.finish()


def _read_blocks(b: _BodyBuilder, source: str, body_start: int, first_line: int) -> None:
    pending: _Pending | None = None
    fence: tuple[str, int] | None = None  # (marker, start line)
    code_lines: list[tuple[str, int]] = []

    def flush() -> None:
        nonlocal pending
        if pending is not None and pending.lines:
            b.block(pending)
        pending = None

    def clamp(depth: int, line_no: int, col: int, what: str) -> int:
        if depth <= MAX_BLOCK_DEPTH:
            return depth
        if not b.depth_warned:
            b.depth_warned = True
            b.add_issue(BodyIssue(line_no, col, f"{what} nested more than {MAX_BLOCK_DEPTH} deep "
                                  f"(shown at depth {MAX_BLOCK_DEPTH})", "warning"))
        return MAX_BLOCK_DEPTH

    pos = body_start
    line_no = first_line
    n = len(source)
    while pos <= n:
        nl = source.find("\n", pos)
        end = n if nl < 0 else nl
        line = source[pos:end]
        pos_next = end + 1
        stripped = line.lstrip(" \t")

        if fence is not None:
            m = _FENCE_RE.match(line)
            if m and m.group(1)[0] == fence[0][0] and len(m.group(1)) >= len(fence[0]) and not m.group(2).strip():
                b.code(code_lines)
                fence, code_lines = None, []
            else:
                code_lines.append((line, pos))
        elif not stripped:
            flush()
        elif stripped[0] not in _BLOCK_START_CHARS:  # plain text: the common case, quickly
            if pending is None:
                pending = _Pending("paragraph")
            indent = len(line) - len(stripped)
            pending.lines.append((stripped, pos + indent, line_no, indent + 1))
        elif (m := _FENCE_RE.match(line)) and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            flush()
            fence, code_lines = (m.group(1), line_no), []
        elif pending is not None and pending.kind == "paragraph" and _SETEXT_RE.match(line):
            pending.kind, pending.level = "heading", 1 if stripped[0] == "=" else 2
            flush()
        elif _HR_RE.match(line):
            flush()
            b.rule()
        elif m := _ATX_RE.match(line):
            flush()
            cstart = m.end()
            rest = line[cstart:]
            content = rest.lstrip(" \t")
            cstart += len(rest) - len(content)
            content = content.rstrip(" \t")
            closing = content.rstrip("#")
            if closing != content and (not closing or closing[-1] in " \t"):
                content = closing.rstrip(" \t")  # an optional closing sequence of '#'
            pending = _Pending("heading", len(m.group(1)))
            pending.lines.append((content, pos + cstart, line_no, cstart + 1))
            flush()
        elif m := _QUOTE_RE.match(line):
            depth = clamp(m.group().count(">"), line_no, 1, "block quotes")
            cut = m.end()
            content = line[cut:]
            if not content.strip():
                flush()
            else:
                if pending is None or pending.kind != "quote" or pending.level != depth:
                    flush()
                    pending = _Pending("quote", depth)
                lead = len(content) - len(content.lstrip(" \t"))
                pending.lines.append((content[lead:], pos + cut + lead, line_no, cut + lead + 1))
        elif (m := _ITEM_RE.match(line)) and not (
                # As in CommonMark, only an item with text, and only "1." among ordered ones,
                # may interrupt a paragraph: a wrapped line "2024. It was..." stays text.
                pending is not None and pending.kind == "paragraph"
                and (m.end() == len(line) or m.group(2)[0].isdigit() and int(m.group(2)[:-1]) != 1)):
            flush()
            marker = m.group(2)
            level = clamp(len(m.group(1)) // 2, line_no, 1, "lists")
            pending = _Pending("item", level, "\u2022 " if marker in "-*+" else marker + " ")
            pending.lines.append((line[m.end():], pos + m.end(), line_no, m.end() + 1))
        else:
            if pending is None:
                pending = _Pending("paragraph")
            indent = len(line) - len(stripped)
            pending.lines.append((stripped, pos + indent, line_no, indent + 1))

        pos = pos_next
        line_no += 1
    flush()
    if fence is not None:
        b.add_issue(BodyIssue(fence[1], 1, "code fence is never closed", "warning"))
        b.code(code_lines)


def _emit_code(b: _BodyBuilder, lines: list[tuple[str, int]]) -> None:
    b.separate("code")
    start = b.length
    for i, (line, src) in enumerate(lines):
        if i:
            b.emit("\n", None)
        b.emit(line, src)
    if not lines:
        b.emit(" ", None)
    b.body.blocks.append(RawBlock("code", start, b.length, 0, start))
    b.prev_kind = "code"


def _emit_block(b: _BodyBuilder, p: _Pending) -> None:
    b.separate(p.kind)
    start = b.length
    b.emit(p.marker, None)
    content_start = b.length
    # Trailing blanks of the block's last line are not shown (nor a hard break there).
    text, src, line, col = p.lines[-1]
    p.lines[-1] = (text.rstrip(" \t"), src, line, col)
    # Join the block's lines with '\n' (soft breaks) and remember where each came from.
    if len(p.lines) == 1:
        joined = p.lines[0][0]
        starts = [0]
    else:
        joined = "\n".join(t for t, _, _, _ in p.lines)
        starts = []
        acc = 0
        for t, _, _, _ in p.lines:
            starts.append(acc)
            acc += len(t) + 1
    b.inline(joined, starts, p.lines)
    b.body.blocks.append(RawBlock(p.kind, start, b.length, p.level, content_start))
    b.prev_kind = p.kind


# ---------------------------------------------------------------------------- inlines

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
# A delimiter run that could close emphasis starts after a character that is not blank
# (nor the same delimiter): a block without one has no emphasis.
_STAR_CLOSER_RE = re.compile(r"[^\s*]\*")
_UNDERSCORE_CLOSER_RE = re.compile(r"[^\s_]_")


def _tokens_for(s: str) -> re.Pattern:
    star = "*" in s and _STAR_CLOSER_RE.search(s) is not None
    under = "_" in s and _UNDERSCORE_CLOSER_RE.search(s) is not None
    return _TOKEN_RES[star, under]


_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
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
_BACKTICKS_RE = re.compile(r"`+")


def _is_punct(ch: str) -> bool:
    return ch in _ESCAPABLE or unicodedata.category(ch).startswith("P")


# (before, after) -> (can_open, can_close) of a '*' run, then of a '_' run, between them.
_FLANKS: dict[str, tuple[bool, bool, bool, bool]] = {}


def _flanks(before: str, after: str) -> tuple[bool, bool, bool, bool]:
    """CommonMark's left- and right-flanking rules for a delimiter run between the
    characters ``before`` and ``after`` (a space at either end of the block): whether a
    '*' run there can open and close emphasis, then whether a '_' run can."""
    key = before + after
    hit = _FLANKS.get(key)
    if hit is not None:
        return hit
    b_space, a_space = before.isspace(), after.isspace()
    b_punct, a_punct = _is_punct(before), _is_punct(after)
    left = not a_space and (not a_punct or b_space or b_punct)
    right = not b_space and (not b_punct or a_space or a_punct)
    hit = (left, right, left and (not right or b_punct), right and (not left or a_punct))
    if len(_FLANKS) < 4096:  # (a few hundred pairs in practice; bounded for any input)
        _FLANKS[key] = hit
    return hit


# The roles of a delimiter run in run_simple's flat pairs (compared by identity).
_OPEN, _TEXT, _EMPHASIS, _STRONG = "open", "text", "emphasis", "strong"


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


class _Match:
    """One emphasis: the delimiters it used, and its display start once known."""

    __slots__ = ("kind", "src", "src_end", "start")

    def __init__(self, kind: str, src: int, src_end: int):
        self.kind = kind
        self.src = src
        self.src_end = src_end
        self.start = 0


class _Inline:
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
        if self.run_simple():
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
            self.issue(node.src + len(node.text) - 1, "unclosed '[': close the span, or write \\[ for a literal bracket")
            node.kind = "raw"
        if self.has_delims:
            self.process_emphasis(self.nodes)
        self.flatten()

    def run_simple(self) -> bool:
        """The common block, shown without building the inline tree: plain text, simple
        spans, bracket pairs that are text, and emphasis in flat pairs (each opener closed
        by the next run of its kind, of the same length, 1 or 2, nothing nested). The same
        text, segments, styles and spans as the general path. False (nothing emitted) when
        the block has anything else; the general path then does it all.

        Why flat pairs come out alike: a run that can only open, followed (past runs that
        can neither open nor close, which stay text) by one of the same character and
        length that can only close, is the first match CommonMark's delimiter stack finds
        for that closer, and it uses both runs up; no "rule of 3" applies to runs that
        only open or only close. Anything else (nesting, a run that can do both, one left
        open) is left to the general path."""
        s = self.s
        n = len(s)
        found = []  # (start, end, what): what is the span's (brace, parsed), or a delimiter's role
        opener = None  # the pending opener's match
        flanks_get = _FLANKS.get
        for m in self.tokens.finditer(s):
            i, end = m.span()
            c = s[i]
            if c == "*" or c == "_":
                if end - i > 2:
                    return False
                before, after = s[i - 1] if i else " ", s[end] if end < n else " "
                flanks = flanks_get(before + after) or _flanks(before, after)
                can_open, can_close = (flanks[0], flanks[1]) if c == "*" else (flanks[2], flanks[3])
                if can_open and can_close:
                    return False
                if can_open:
                    if opener is not None:
                        return False  # nested: the general path
                    opener = m
                    found.append((i, end, _OPEN))
                elif can_close and opener is not None:
                    o = opener.group()
                    if o != m.group():
                        return False
                    opener = None
                    found.append((i, end, _STRONG if len(o) == 2 else _EMPHASIS))
                elif can_close:
                    return False  # (it would stay text; rare enough for the general path)
                else:
                    found.append((i, end, _TEXT))  # neither: text, its own segment
                continue
            if c != "[" or end - i == 1:
                return False
            if s[end - 1] == "]":  # a bracket pair that is text
                if _NEAR_MISS_RE.match(s, end):
                    return False  # a near miss: the general path warns about it
                continue
            brace = s.find("]", i) + 1
            if end - brace > MAX_ATTR_CHARS:
                return False
            parsed = self.attrs_of(brace, end, report=False)
            if parsed is None:
                return False
            found.append((i, end, (brace, parsed)))
        if opener is not None:
            return False
        if self.base >= 0:
            self.emit_simple(found)
            return True
        b = self.b
        styles = b.body.styles
        pos = 0
        open_at = open_src = 0
        for i, end, what in found:
            if i > pos:
                self.emit_raw(pos, i)
            if what.__class__ is str:
                if what is _OPEN:
                    open_at, open_src = b.length, i
                elif what is _TEXT:
                    self.emit_raw(i, end)
                else:
                    styles.append(RawStyle(what, open_at, b.length, None, self.src_of(open_src),
                                           self.src_of(end - 1) + 1))
            else:
                brace, parsed = what
                start = b.length
                if brace - 1 > i + 1:
                    self.emit_raw(i + 1, brace - 1)
                self.span(i, end, (*parsed, brace), start, b.length)
            pos = end
        if pos < n:
            self.emit_raw(pos, n)
        return True

    def emit_simple(self, found: list[tuple]) -> None:
        """run_simple's output when the block's lines lie in the source one after another
        (``base``): each piece of text is a segment at a constant offset, and the block's
        display text is one string (its soft breaks made spaces once)."""
        b = self.b
        s, base = self.s, self.base
        styles, segments, spans = b.body.styles, b.body.segments, b.body.spans
        one_line = len(self.starts) == 1
        _, _, line0, col0 = self.lines[0]
        length = b.length
        pieces = []  # (block offset, end) of the text shown, in order
        pos = open_at = open_src = 0
        for i, end, what in found:
            if i > pos:
                segments.append((length, base + pos, i - pos))
                pieces.append(s[pos:i])
                length += i - pos
            if what.__class__ is str:
                if what is _OPEN:
                    open_at, open_src = length, i
                elif what is _TEXT:
                    segments.append((length, base + i, end - i))
                    pieces.append(s[i:end])
                    length += end - i
                else:
                    styles.append(RawStyle(what, open_at, length, None, base + open_src, base + end))
            else:  # a span (as span() records it, for a block at a constant offset)
                brace, (classes, attrs, where) = what
                start = length
                if brace - 1 > i + 1:
                    segments.append((length, base + i + 1, brace - 2 - i))
                    pieces.append(s[i + 1:brace - 1])
                    length += brace - 2 - i
                line, col = (line0, col0 + i) if one_line else self.line_col(i)
                spans.append(RawSpan(classes[0], attrs, start, length, base + i, base + end, line, col,
                                     tuple(classes[1:]) if len(classes) > 1 else (), base + brace, where))
            pos = end
        if pos < len(s):
            segments.append((length, base + pos, len(s) - pos))
            pieces.append(s[pos:])
            length += len(s) - pos
        text = "".join(pieces)
        b.parts.append(text.replace("\n", " ") if "\n" in text else text)
        b.length = length

    def near_miss(self, opener: int, after: int) -> None:
        """"[Sunday] {.date ...}" and "[Monday](.date ...)" stay text, brackets and all: a
        warning with the fix (``opener``: the '['; ``after``: just past the ']')."""
        s = self.s
        near = _NEAR_MISS_RE.match(s, after)
        if near is None:
            return
        inner = s[opener + 1:after - 1]
        fix = f"[{inner}]{{{near['cls']}{near['rest']}}}" if len(inner) <= 40 else f"[...]{{{near['cls']} ...}}"
        what = "a space between ']' and '{'" if near["space"] else "'(' instead of '{'"
        self.issue(after, f"{what} leaves this span as plain text: write {fix}", "warning")

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

    @staticmethod
    def process_emphasis(nodes: list[_Node]) -> None:
        """CommonMark's "process emphasis" over the delimiter runs of ``nodes``.

        Nodes are not moved: each match is recorded on its opener (``opens``) and closer
        (``closes``) and becomes a style when the nodes are flattened. Delimiters between
        a matched pair leave the stack, and "openers bottom" remembers how far down a
        search already failed, so the work is linear in the number of delimiters."""
        stack = [nd for nd in nodes if nd.kind == "delim" and nd.count]
        k = len(stack)
        if k < 2:
            return
        prev = list(range(-1, k - 1))
        nxt = list(range(1, k + 1))

        def remove(p: int) -> None:
            a, z = prev[p], nxt[p]
            if a >= 0:
                nxt[a] = z
            if z < k:
                prev[z] = a

        bottoms: dict[tuple, int] = {}
        c = 0
        while c < k:
            closer = stack[c]
            if not closer.can_close:
                c = nxt[c]
                continue
            ch = closer.text[0]
            key = (ch, closer.can_open, closer.orig % 3)
            bottom = bottoms.get(key, -1)
            o = prev[c]
            while o > bottom:
                opener = stack[o]
                if opener.text[0] == ch and opener.can_open:
                    odd = ((opener.can_close or closer.can_open) and closer.orig % 3 != 0
                           and (opener.orig + closer.orig) % 3 == 0)
                    if not odd:
                        break
                o = prev[o]
            if o <= bottom:  # no opener
                bottoms[key] = prev[c]
                following = nxt[c]
                if not closer.can_open:
                    remove(c)
                c = following
                continue
            opener = stack[o]
            use = 2 if opener.count >= 2 and closer.count >= 2 else 1
            opener.count -= use
            closer.count -= use
            match = _Match("strong" if use == 2 else "emphasis", opener.src + opener.count,
                           closer.src + closer.orig - closer.count)
            if opener.opens is None:
                opener.opens = []
            opener.opens.append(match)
            if closer.closes is None:
                closer.closes = []
            closer.closes.append(match)
            p = nxt[o]
            while p != c:  # delimiters inside the match can no longer match
                q = nxt[p]
                remove(p)
                p = q
            if opener.count == 0:
                remove(o)
            if closer.count == 0:
                following = nxt[c]
                remove(c)
                c = following

    # -- output
    def emit_raw(self, a: int, z: int) -> None:
        """Show s[a:z] as it is (soft line breaks as spaces), mapped line by line."""
        b = self.b
        text = self.s[a:z]
        if self.base >= 0:
            b.body.segments.append((b.length, self.base + a, z - a))
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
                segs.append((d, lines[k][1] + a - starts[k], piece))
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
                        segments.append((b.length, base + a, z - a))
                        parts.append(text.replace("\n", " ") if "\n" in text else text)
                        b.length += z - a
                    else:
                        self.emit_raw(a, z)
            elif kind == "delim":
                closed = 0
                if node.closes:
                    for mt in node.closes:
                        styles.append(RawStyle(mt.kind, mt.start, b.length, None, self.src_of(mt.src),
                                               self.src_of(mt.src_end - 1) + 1))
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
                styles.append(RawStyle("code", start, b.length, None, self.src_of(node.src), self.src_of(node.src_end - 1) + 1))
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
            b.body.styles.append(RawStyle(node.kind, start, end, node.info, src_start, src_end))

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
        self.b.body.spans.append(RawSpan(classes[0], attrs, start, end, src_start, src_end, line, col,
                                         tuple(classes[1:]) if len(classes) > 1 else (), brace, where))
        if start == end:
            self.issue(a, "empty span: a span needs text between [ and ]")
