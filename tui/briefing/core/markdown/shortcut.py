"""The shortcut for the common block: ``_Inline.run_simple`` shows a block of plain text,
simple spans, bracket pairs that are text and emphasis in flat pairs without building the
inline tree, and says False (having shown nothing) for any other block, which the general
path (``inline._Inline.run``) then shows.

It must give exactly what the general path gives (the same text, segments, styles and
spans; a block with a bad attribute block or a near miss is left to the general path, which
reports it): it mirrors ``_Inline.token``, ``process_emphasis`` and ``flatten`` for the
cases it takes, so a change to how those show a block is made here too.
tests/test_fast_paths.py checks that every shipped, hostile and generated brief comes out
the same with and without it (and that the shortcut is taken). ``briefing.index.fast``
mirrors it once more for the index (checked by tests/test_index_fast.py).

``_Shortcut`` is mixed into ``inline._Inline``.
"""

from __future__ import annotations

from briefing.core.markdown import spans as _spans
from briefing.core.markdown.emphasis import _FLANKS, _flanks
from array import array

from briefing.core.markdown.results import JOIN_EVERY, MAX_ATTR_CHARS

# Bound by assignment, not imported by name: for ``NAME.match(...)`` on a name imported with
# ``from ... import``, CPython compiles an attribute load (a bound method made per call)
# instead of a method call, which cost 10% on a block of 1 MB of "[a] " in run_simple's loop.
_NEAR_MISS_RE = _spans._NEAR_MISS_RE

# The roles of a delimiter run in run_simple's flat pairs (compared by identity).
_OPEN, _TEXT, _EMPHASIS, _STRONG = "open", "text", "emphasis", "strong"


class _Shortcut:
    """The shortcut methods of ``inline._Inline`` (mixed in)."""

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
        # What was found, by column (a block may be a whole 8 MB brief: a tuple each was
        # 300 MB): start, end, what (a delimiter's role, or a span's parsed attributes),
        # and a span's '{' (0 for a delimiter).
        found_i, found_end, found_what, found_brace = array("i"), array("i"), [], array("i")
        add_i, add_end, add_what, add_brace = found_i.append, found_end.append, found_what.append, found_brace.append
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
                    add_i(i)
                    add_end(end)
                    add_what(_OPEN)
                    add_brace(0)
                elif can_close and opener is not None:
                    o = opener.group()
                    if o != m.group():
                        return False
                    opener = None
                    add_i(i)
                    add_end(end)
                    add_what(_STRONG if len(o) == 2 else _EMPHASIS)
                    add_brace(0)
                elif can_close:
                    return False  # (it would stay text; rare enough for the general path)
                else:  # neither: text, its own segment
                    add_i(i)
                    add_end(end)
                    add_what(_TEXT)
                    add_brace(0)
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
            add_i(i)
            add_end(end)
            add_what(parsed)
            add_brace(brace)
        if opener is not None:
            return False
        found = zip(found_i, found_end, found_what, found_brace)
        if self.base >= 0:
            self.emit_simple(found)
            return True
        b = self.b
        styles = b.body.styles
        pos = 0
        open_at = open_src = 0
        for i, end, what, brace in found:
            if i > pos:
                self.emit_raw(pos, i)
            if what.__class__ is str:
                if what is _OPEN:
                    open_at, open_src = b.length, i
                elif what is _TEXT:
                    self.emit_raw(i, end)
                else:
                    styles.add(what, open_at, b.length, None, self.src_of(open_src), self.src_of(end - 1) + 1)
            else:
                parsed = what
                start = b.length
                if brace - 1 > i + 1:
                    self.emit_raw(i + 1, brace - 1)
                self.span(i, end, (*parsed, brace), start, b.length)
            pos = end
        if pos < n:
            self.emit_raw(pos, n)
        return True

    def emit_simple(self, found) -> None:
        """run_simple's output when the block's lines lie in the source one after another
        (``base``): each piece of text is a segment at a constant offset, and the block's
        display text is one string (its soft breaks made spaces once)."""
        b = self.b
        s, base = self.s, self.base
        styles, segments, spans = b.body.styles, b.body.segments, b.body.spans
        seg_d, seg_s, seg_n = segments.displays.append, segments.sources.append, segments.lengths.append
        st_kind, st_start, st_end = styles.kinds.append, styles.starts.append, styles.ends.append
        st_url, st_src, st_src_end = styles.urls.append, styles.src_starts.append, styles.src_ends.append
        one_line = len(self.starts) == 1
        _, _, line0, col0 = self.lines[0]
        length = b.length
        pieces = []  # the text shown, in order (joined every JOIN_EVERY pieces: a block may be 8 MB)
        done = []  # the pieces joined so far
        pos = open_at = open_src = 0
        for i, end, what, brace in found:
            if len(pieces) > JOIN_EVERY:
                done.append("".join(pieces))
                pieces.clear()
            if i > pos:
                seg_d(length)
                seg_s(base + pos)
                seg_n(i - pos)
                pieces.append(s[pos:i])
                length += i - pos
            if what.__class__ is str:
                if what is _OPEN:
                    open_at, open_src = length, i
                elif what is _TEXT:
                    seg_d(length)
                    seg_s(base + i)
                    seg_n(end - i)
                    pieces.append(s[i:end])
                    length += end - i
                else:
                    st_kind(what)  # (styles.add, written out)
                    st_start(open_at)
                    st_end(length)
                    st_url(None)
                    st_src(base + open_src)
                    st_src_end(base + end)
            else:  # a span (as span() records it, for a block at a constant offset)
                classes, attrs, where = what
                start = length
                if brace - 1 > i + 1:
                    seg_d(length)
                    seg_s(base + i + 1)
                    seg_n(brace - 2 - i)
                    pieces.append(s[i + 1:brace - 1])
                    length += brace - 2 - i
                line, col = (line0, col0 + i) if one_line else self.line_col(i)
                spans.add(classes[0], attrs, start, length, base + i, base + end, line, col,
                          tuple(classes[1:]) if len(classes) > 1 else (), base + brace, where)
            pos = end
        if pos < len(s):
            segments.add(length, base + pos, len(s) - pos)
            pieces.append(s[pos:])
            length += len(s) - pos
        if done:
            done.append("".join(pieces))
            pieces = done
        text = "".join(pieces)
        b.parts.append(text.replace("\n", " ") if "\n" in text else text)
        b.length = length
