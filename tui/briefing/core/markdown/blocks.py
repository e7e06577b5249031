"""The block structure of a body, line by line: fenced code, thematic breaks, ATX and
setext headings, block quotes, list items and paragraphs.

``_read_blocks(b, source, body_start, first_line)`` reads ``source[body_start:]`` once, in
one pass over its lines (the common plain line is recognised by its first character), and
hands each block to the builder ``b``: ``b.block(_Pending)`` for a block whose text is
read inline (its lines as (content, source offset, line, col), with the block markers
already cut), ``b.code(lines)`` for fenced code, ``b.rule()`` for a thematic break, and
``b.add_issue`` for a warning (nesting deeper than ``MAX_BLOCK_DEPTH`` is clamped; a fence
never closed). It knows nothing of the display text: how a block is shown is the builder's
(``builder._emit_block``; the index's fast path shows blocks its own way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefing.core.markdown.results import MAX_BLOCK_DEPTH, BodyIssue

if TYPE_CHECKING:
    from briefing.core.markdown.builder import _BodyBuilder

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
