"""The shortcut for a block of brackets: ``_Inline.run_brackets`` shows a block whose inlines
are only brackets (links, spans nested or not, autolinks, bracket pairs that are text) without
building the inline tree, and says False (having shown and reported nothing) for any other
block, which the general path (``inline._Inline.run``) then shows.

The general path makes a ``_Node`` for every token and every run of text between, and moves
a link's or a span's nodes into it when its ']' comes: 8 MB of ``[[[a] b] c] [x [y]{.r} z](u)``
was two million nodes, and the slowest of the hostile briefs (issue 15). Here the block is read
once into two columns of source slices (see "The events" below), in the order the general
path's tree is flattened, and a row per link or span; then ``show_events`` appends the
segments and the display text from the columns at once and records the links and spans.
Text that follows text in the source extends it, as ``_Inline.raw`` extends its node: a
segment each, exactly where the general path makes one.

It must give exactly what the general path gives (the same text, segments, styles, spans and
problems, in the same order): it mirrors ``_Inline.token``, ``close_bracket`` and ``flatten``
for the tokens it takes. Blocks with anything else (emphasis that could match: the tokens
with delimiter runs; a backslash, a backtick, an image, a line ending in a space) are left to
the general path before any reading; a problem only the general path words (a bad or empty
span, a ']{' without '[', nesting past ``MAX_SPAN_DEPTH``) makes it give up where it is found.
The two problems it does word, a near miss (a warning) and a '[' left open at the end of the
block, are kept until the block is read, then reported in the general path's order.
tests/test_fast_paths.py checks that every shipped, hostile and generated brief and random
mixes of brackets come out the same with and without it.

``_Brackets`` is mixed into ``inline._Inline``.
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate, compress
from operator import sub

from briefing.core.markdown import spans as _spans
from briefing.core.markdown.results import JOIN_EVERY, MAX_ATTR_CHARS, MAX_SPAN_DEPTH

_NEAR_MISS_RE = _spans._NEAR_MISS_RE  # (bound by assignment: see shortcut)
_UNESCAPE_RE = _spans._UNESCAPE_RE

# The events: two columns, ``froms`` and ``tos``, a source slice a:z each, in the order the
# general path's tree is flattened. Text shown as written; a '[' (one character: shown if it
# turns out to be text, its slice made empty, a:a, if it opened a link or span). A link or
# span is a row of ``containers``: (the event of its '[' or its text's first, the number of
# events when it closed, its url or span attributes, where it is written a:z), in the order
# they close.

UNCLOSED = "unclosed '[': close the span, or write \\[ for a literal bracket"


class _Brackets:
    """The bracket-block methods of ``inline._Inline`` (mixed in)."""

    link_tail: re.Pattern  # (inline._LINK_TAIL_RE, set on _Inline)

    def run_brackets(self) -> bool:
        """Show a block of brackets and text as the general path shows it; False (nothing
        shown or reported) if the block has anything else or a problem the general path
        words. Only for blocks whose tokens have no delimiter runs (``_Inline.run`` checks)."""
        s = self.s
        # (a character first: looking for two in 8 MB took 10 ms, the whole parse of a block of
        # errors, which stops at the 101st, 2 ms)
        if "\\" in s or "`" in s or ("!" in s and "![" in s) or ("\n" in s and " \n" in s):
            return False
        n = len(s)
        froms, tos = array("i"), array("i")
        add_from, add_to = froms.append, tos.append
        containers: list[tuple] = []
        brackets: list[int] = []  # the events of the '[' still open
        issues: list[tuple[int, str, str]] = []  # kept until the block is read (see the docstring)
        text_end = -1  # where the last event ends if it is text (text just after extends it)
        finditer = self.tokens.finditer
        near_miss = _NEAR_MISS_RE.match
        link_tail = self.link_tail.match
        attrs_of = self.attrs_of
        pos = 0
        again = True
        while again:  # (once, unless a token found overlaps what a link's tail or a span's
            again = False  # attribute block took: then the tokens are looked for again from there)
            for m in finditer(s, pos):
                i, end = m.span()
                if i < pos:
                    if end > pos:
                        again = True
                        break
                    continue
                if i > pos:  # text before the token
                    if text_end == pos:
                        tos[-1] = i
                    else:
                        add_from(pos)
                        add_to(i)
                    text_end = i
                c = s[i]
                if c == "[":
                    if end - i == 1:  # a '['
                        if len(brackets) >= MAX_SPAN_DEPTH:
                            return False
                        brackets.append(len(froms))
                        add_from(i)
                        add_to(end)
                        text_end = -1
                    elif s[end - 1] == "]":  # a bracket pair that is text
                        if near_miss(s, end) is not None:
                            issues.append((end, self.near_miss_message(i, end), "warning"))
                        if text_end == i:
                            tos[-1] = end
                        else:
                            add_from(i)
                            add_to(end)
                        text_end = end
                    else:  # a simple span, [text]{attributes}
                        brace = s.find("]", i) + 1
                        if end - brace > MAX_ATTR_CHARS or len(brackets) >= MAX_SPAN_DEPTH:
                            return False
                        parsed = attrs_of(brace, end, False)
                        if parsed is None:
                            return False
                        k = len(froms)
                        add_from(i + 1)
                        add_to(brace - 1)
                        containers.append((k, k + 1, (*parsed, brace), i, end))
                        text_end = -1
                    pos = end
                elif c == "]":
                    nxt = s[end] if end < n else ""
                    if not brackets:
                        if nxt == "{":
                            return False
                        if text_end == i:
                            tos[-1] = end
                        else:
                            add_from(i)
                            add_to(end)
                        text_end = pos = end
                        continue
                    idx = brackets[-1]
                    if nxt == "{":  # a span (not empty: some text since its '[')
                        close = self._attr_end(end)
                        if close < 0 or tos[idx + 1:] == froms[idx + 1:]:
                            return False
                        parsed = attrs_of(end, close, False)
                        if parsed is None:
                            return False
                        brackets.pop()
                        containers.append((idx, len(froms), (*parsed, end), froms[idx], close))
                        tos[idx] = froms[idx]  # (the '[' is not shown)
                        text_end = -1
                        pos = close
                        continue
                    if near_miss(s, end) is not None:
                        issues.append((end, self.near_miss_message(froms[idx], end), "warning"))
                    if nxt == "(":
                        tail = link_tail(s, end)
                        if tail is not None:
                            url = tail.group("angle") if tail.group("angle") is not None else tail.group("dest") or ""
                            if "\\" in url:
                                url = _UNESCAPE_RE.sub(r"\1", url)
                            brackets.pop()
                            pos = tail.end()
                            containers.append((idx, len(froms), url, froms[idx], pos))
                            tos[idx] = froms[idx]
                            text_end = -1
                            continue
                    # Plain brackets: text, the '[' too (and ']' extends it if nothing came between).
                    brackets.pop()
                    if idx == len(froms) - 1:
                        text_end = tos[idx]
                    if text_end == i:
                        tos[-1] = end
                    else:
                        add_from(i)
                        add_to(end)
                    text_end = pos = end
                elif c == "<":  # an autolink
                    k = len(froms)
                    add_from(i + 1)
                    add_to(end - 1)
                    containers.append((k, k + 1, s[i + 1:end - 1], i, end))
                    text_end = -1
                    pos = end
                else:
                    return False
        if pos < n:
            if text_end == pos:
                tos[-1] = n
            else:
                add_from(pos)
                add_to(n)
        for idx in brackets:  # (shown as text: their event is one character long)
            issues.append((froms[idx], UNCLOSED, "error"))
        for at, message, severity in issues:
            self.issue(at, message, severity)
        self.show_events(froms, tos, containers)
        return True

    def show_events(self, froms: array, tos: array, containers: list[tuple]) -> None:
        """Append what run_brackets read to the display text, as ``_Inline.flatten`` does:
        a segment for each event shown, then the links and spans, in the order they closed."""
        b = self.b
        s, base = self.s, self.base
        lengths = array("i", map(sub, tos, froms))  # (0: a '[' that opened a link or span)
        at = array("q", accumulate(lengths, initial=b.length))  # the display offset of each event
        if base >= 0:
            segments = b.body.segments
            segments.displays.extend(compress(at, lengths))
            segments.sources.extend(compress(map(base.__add__, froms), lengths))
            segments.lengths.extend(compress(lengths, lengths))
            done = []  # the text shown, joined a piece of the block at a time (a block may be 8 MB)
            for k in range(0, len(froms), JOIN_EVERY):
                z = k + JOIN_EVERY
                shown = lengths[k:z]
                done.append("".join(map(s.__getitem__, map(slice, compress(froms[k:z], shown),
                                                           compress(tos[k:z], shown)))))
            text = "".join(done)
            b.parts.append(text.replace("\n", " ") if "\n" in text else text)
            b.length = at[-1]
        else:
            for a, z in zip(froms, tos):
                if z > a:
                    self.emit_raw(a, z)  # (line by line, straight into the builder's parts)
        add_style, add_span, span = b.body.styles.add, b.body.spans.add, self.span
        one_line = len(self.starts) == 1
        _, _, line0, col0 = self.lines[0]
        for k, k_end, info, a, z in containers:
            if info.__class__ is str:
                if base >= 0:
                    add_style("link", at[k], at[k_end], info, base + a, base + z)
                else:
                    add_style("link", at[k], at[k_end], info, self.src_of(a), self.src_of(z - 1) + 1)
            elif base >= 0:  # (as _Spans.span records it, for a block at a constant offset; never empty)
                classes, attrs, where, brace = info
                line, col = (line0, col0 + a) if one_line else self.line_col(a)
                add_span(classes[0], attrs, at[k], at[k_end], base + a, base + z, line, col,
                         tuple(classes[1:]) if len(classes) > 1 else (), base + brace, where)
            else:
                span(a, z, info, at[k], at[k_end])
