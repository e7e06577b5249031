"""``parse_body``, the entry point, and the builder of the display text it fills.

``parse_body(source, body_start, first_line)`` reads the body's blocks (``blocks``) into a
``_BodyBuilder`` and returns its ``Body``; the cyclic garbage collector is paused meanwhile
(``no_gc``, also used around whole parses by the parser, the facts, the CLI and the index).

``_BodyBuilder`` owns the display text (``parts``, joined every ``JOIN_EVERY`` after a block
into ``joined``; ``length``) and the ``Body`` being built:
``emit`` appends display text and records a segment for every verbatim copy, ``separate``
puts the blank line (or, between list items, the line break) between blocks, ``add_issue``
keeps the problems and stops the parse (``_TooManyErrors``) at the first error past
``MAX_PROBLEMS``. Its ``block``/``code``/``rule``/``inline`` are what the block reader calls:
a builder for another use (``briefing.index.fast._Body``) overrides them. The inline code
(``inline``, ``shortcut``) writes ``parts``, ``length`` and ``body.segments`` directly: that
loop is the parser's hot path.
"""

from __future__ import annotations

import gc

from briefing.core.limits import MAX_PROBLEMS
from briefing.core.markdown.blocks import _Pending, _read_blocks
from briefing.core.markdown.inline import _Inline
from briefing.core.markdown.results import JOIN_EVERY, Body, BodyIssue, RawBlock, _TooManyErrors


class _BodyBuilder:
    # Whether the body lists its blocks (RawBlock): the index's fast path, which keeps only
    # the text and the spans, makes none of a brief's paragraphs (~3 us of a 5 KB brief).
    keeps_blocks = True

    def __init__(self, source: str, body_start: int):
        self.source = source
        self.body_start = body_start
        self.parts: list[str] = []
        self.joined: list[str] = []  # the parts joined so far (see block)
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
            self.body.segments.add(self.length, src, len(text))
        self.parts.append(text)
        self.length += len(text)

    def separate(self, kind: str) -> None:
        if self.prev_kind is None:
            return
        self.emit("\n" if kind == "item" and self.prev_kind == "item" else "\n\n", None)

    def finish(self) -> Body:
        self.joined.append("".join(self.parts))
        self.body.text = "".join(self.joined)
        return self.body

    # What the block reader hands over: a builder for another use (the index) may show
    # blocks differently.
    def block(self, p: "_Pending") -> None:
        _emit_block(self, p)
        if len(self.parts) > JOIN_EVERY:  # (8 MB of short pieces were ~60 MB of string objects)
            self.joined.append("".join(self.parts))
            self.parts.clear()

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


class no_gc:  # noqa: N801 - used as a function: ``with no_gc():``
    """The cyclic garbage collector paused: parsing makes hundreds of thousands of small
    objects and no cycles, and each collection walks every live one (on a 1 MB brief of
    markup the collector took half the time, issue 15). Nested uses are fine. (A class, not
    a generator: entered twice per brief the index parses, ~0.7 us less each: 0.36 us
    against 1.07, docs/PERFORMANCE.md.)"""

    __slots__ = ("was",)

    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc) -> None:
        if self.was:
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
    if b.keeps_blocks:
        b.body.blocks.append(RawBlock(p.kind, start, b.length, p.level, content_start))
    b.prev_kind = p.kind
