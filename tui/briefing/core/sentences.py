"""Sentences of a brief's displayed text, for sentence-wise reading and highlighting.

``sentence_spans(brief)`` returns ``(start, end)`` offsets into ``Brief.text``, in order.
A sentence never crosses a block boundary. Headings and list items are one unit each,
every line of a code block is one unit, rules have none; paragraphs and quotes are split
after ``.``, ``!``, ``?`` or ``…`` (and any closing quotes or brackets that follow) when
whitespace and a plausible sentence start (not a lowercase letter, not a comma...) comes
next. Abbreviations (Mr., Dr., Jan., ...), initials and initialisms (J., U.S., e.g., i.e.),
decimals and numbered references (No. 5) do not end a sentence.

Everything is one regular expression (abbreviations are lookbehinds) and a short loop per
sentence: a 1 MB brief splits in a few tens of milliseconds. Leading and trailing
whitespace is never part of a sentence.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.core.model import Brief

ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof sr jr st mt ft rev fr hon gen lt col capt cmdr adm maj sgt cpl pvt
    gov sen rep pres amb supt insp det messrs mme mlle
    dept univ assn est approx apt no nos vol vols fig figs
    ed eds pp para art sec ch op cf vs ca viz
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    """.split()
)


def _abbreviation_lookbehinds() -> str:
    """Negative lookbehinds (one per word length: they must be fixed-width) that reject a
    full stop ending an abbreviation or an initial ("J.", the "S." of "U.S.", "g." of "e.g.")."""
    by_len: dict[int, list[str]] = {}
    for word in sorted(ABBREVIATIONS):
        by_len.setdefault(len(word), []).append(re.escape(word))
    parts = [rf"(?<!\b(?i:{'|'.join(words)})\.)" for _, words in sorted(by_len.items())]
    parts.append(r"(?<!\b[^\W\d_]\.)")
    return "".join(parts)


# Terminal punctuation (a full stop only if it does not end an abbreviation), closing quotes
# or brackets, then whitespace and the next sentence's first character (group 1), or the
# block's end (group 1 is None).
_CAND_RE = re.compile(
    r"(?:\." + _abbreviation_lookbehinds() + r"|[!?\u2026\u203d])[.!?\u2026\u203d]*"
    r"[\"'\u201d\u2019\u00bb\u203a)\]]*(?=\s+(\S)|\s*$)")
_WS_RE = re.compile(r"\S")
_WORD_RE = re.compile(r"[^\W_]")
_NOT_A_START = frozenset(",;:)]}-\u2013\u2014")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` (one paragraph), as absolute offsets."""
    out: list[tuple[int, int]] = []
    first = _WS_RE.search(text, start, end)
    if first is None:
        return out
    begin = first.start()
    for m in _CAND_RE.finditer(text, begin, end):
        nxt = m.group(1)
        if nxt is None:
            continue  # the block's end: the tail is added below
        if nxt.islower() or nxt in _NOT_A_START:
            continue  # "e.g. the", "Really? he asked", "... (and"
        if nxt.isdigit() and text[m.start()] == ".":
            continue  # "No. 5", "p. 12"
        _add(out, text, begin, m.end())
        begin = m.start(1)
    stop = end
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    if stop > begin:
        _add(out, text, begin, stop)
    return out


def _add(out: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    """Append s..e; a piece with no letter or digit (a stray quote) joins the one before."""
    if out and not text[s].isalnum() and _WORD_RE.search(text, s, e) is None:
        out[-1] = (out[-1][0], e)
    else:
        out.append((s, e))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    m = _WS_RE.search(text, start, end)
    if m is None:
        return None
    stop = end
    while stop > m.start() and text[stop - 1].isspace():
        stop -= 1
    return m.start(), stop


def sentence_spans(brief: "Brief") -> list[tuple[int, int]]:
    """The sentences of ``brief.text`` in order; none crosses a block boundary."""
    text = brief.text
    spans: list[tuple[int, int]] = []
    for block in brief.blocks:
        kind = block.kind
        if kind == "rule":
            continue
        if kind in ("heading", "item"):
            span = _trimmed(text, block.content_start if kind == "item" else block.start, block.end)
            if span:
                spans.append(span)
        elif kind == "code":
            pos = block.start
            while pos <= block.end:
                nl = text.find("\n", pos, block.end)
                stop = block.end if nl < 0 else nl
                span = _trimmed(text, pos, stop)
                if span:
                    spans.append(span)
                pos = stop + 1
        else:
            # Hard line breaks inside a paragraph do not end a sentence, but a sentence is
            # never longer than its block.
            spans.extend(split_sentences(text, block.start, block.end))
    return spans


def sentence_at(spans: list[tuple[int, int]], offset: int) -> int | None:
    """Index of the sentence containing ``offset`` (or the next one after it), or None."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return i
    return i + 1 if i + 1 < len(spans) else None
