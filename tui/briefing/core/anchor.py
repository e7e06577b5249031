"""Highlights and how they find their passage again when a brief changes.

A highlight remembers its character offsets into ``Brief.text``, a W3C TextQuoteSelector
(``exact`` plus up to ``CONTEXT`` characters of ``prefix`` and ``suffix``) and a hash of the
text it was made on. ``reanchor`` places it on a new text:

1. the old offsets, if the exact quote is still there;
2. else an exact search for the quote: the occurrence whose surroundings best match the
   prefix and suffix wins, then the one nearest the old offset;
3. else a fuzzy match: candidate places come from occurrences of the quote's first and last
   few characters (and of the end of the prefix and the start of the suffix) and from the
   old offset; each candidate window is aligned with the quote word by word
   (``difflib.SequenceMatcher`` on tokens) and the best one with a similarity of at least
   ``FUZZY_THRESHOLD`` (counted in characters) is taken. Only a bounded number of bounded
   windows is compared (quotes over ``LONG_QUOTE`` characters are aligned by their two
   ends, and their similarity is the share of their pieces still found in order), so a
   1 MB text is searched in milliseconds.

A highlight that cannot be placed is an orphan: ``reanchor`` returns None, and the store
keeps it, with its quote, for the reader to show.

Pure Python, no I/O: used by ``briefing.store`` and ``briefing.export``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field, replace

CONTEXT = 32
FUZZY_THRESHOLD = 0.75
ANCHOR_CHARS = 8
MAX_EXACT_CANDIDATES = 10_000
MAX_FUZZY_CANDIDATES = 24
NEAR_WINDOW = 65_536
LONG_QUOTE = 2_000  # longer quotes are aligned by their ends and compared by pieces
EDGE = 240
CHUNK = 24
GAP = 256


def text_hash(text: str) -> str:
    """A stable hash of a brief's displayed text (hex SHA-256 of its UTF-8)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class TextQuote:
    """A W3C TextQuoteSelector."""

    exact: str
    prefix: str = ""
    suffix: str = ""


def make_quote(text: str, start: int, end: int, context: int = CONTEXT) -> TextQuote:
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return TextQuote(text[start:end], text[max(0, start - context) : start], text[end : end + context])


@dataclass
class Highlight:
    """A highlight of one brief. ``start``/``end`` are offsets into the brief's current
    ``text``; when ``orphan`` is true the passage was not found and they are meaningless
    (the reader shows ``exact`` instead)."""

    id: str
    path: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    text_hash: str = ""
    note: str | None = None
    created: str = ""
    updated: str = ""
    orphan: bool = False
    extra: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of_text(cls, text: str, start: int, end: int, *, id: str, path: str, note: str | None = None,
                created: str = "", updated: str = "", digest: str | None = None,
                extra: dict | None = None) -> "Highlight":
        """A highlight of ``text[start:end]``, its quote and the text's hash made here
        (``digest``: that hash, when the caller already has it)."""
        q = make_quote(text, start, end)
        return cls(id=id, path=path, start=start, end=end, exact=q.exact, prefix=q.prefix, suffix=q.suffix,
                   text_hash=text_hash(text) if digest is None else digest, note=note, created=created,
                   updated=updated, extra={} if extra is None else extra)

    @property
    def quote(self) -> TextQuote:
        return TextQuote(self.exact, self.prefix, self.suffix)

    def placed(self, start: int, end: int, text: str) -> "Highlight":
        """A copy placed at ``start``/``end`` of ``text`` (quote and hash refreshed)."""
        q = make_quote(text, start, end)
        return replace(self, start=start, end=end, exact=q.exact, prefix=q.prefix, suffix=q.suffix,
                       text_hash=text_hash(text), orphan=False)


# ---------------------------------------------------------------------------- matching


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _context_score(text: str, start: int, end: int, quote: TextQuote) -> int:
    score = 0
    if quote.prefix:
        score += _common_suffix(text[max(0, start - len(quote.prefix)) : start], quote.prefix)
    if quote.suffix:
        score += _common_prefix(text[end : end + len(quote.suffix)], quote.suffix)
    return score


def _find_all(text: str, needle: str, limit: int) -> list[int]:
    out: list[int] = []
    if not needle:
        return out
    i = text.find(needle)
    while i >= 0 and len(out) < limit:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _find_near(text: str, needle: str, center: int, limit: int = MAX_EXACT_CANDIDATES) -> list[int]:
    """Occurrences of ``needle``: all of them, or, when there are more than ``limit``, the
    first ``limit`` plus those within a window around ``center``."""
    hits = _find_all(text, needle, limit)
    if len(hits) < limit or not needle:
        return hits
    lo = max(0, center - NEAR_WINDOW)
    hi = min(len(text), center + NEAR_WINDOW + len(needle))
    near: list[int] = []
    i = text.find(needle, lo, hi)
    while i >= 0 and len(near) < limit:
        near.append(i)
        i = text.find(needle, i + 1, hi)
    return sorted(set(hits) | set(near))


def _nearest(positions: list[int], target: int, k: int) -> list[int]:
    return sorted(positions, key=lambda p: abs(p - target))[:k]


def exact_search(text: str, quote: TextQuote, old_start: int) -> tuple[int, int] | None:
    """Every occurrence of the exact quote; the best by context, then by distance."""
    hits = _find_near(text, quote.exact, old_start)
    if not hits:
        return None
    n = len(quote.exact)
    if len(hits) == 1:
        return hits[0], hits[0] + n
    best = max(hits, key=lambda p: (_context_score(text, p, p + n, quote), -abs(p - old_start)))
    return best, best + n


_TOKEN_RE = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")


def _tokens(text: str, base: int = 0) -> tuple[list[str], list[int]]:
    """Words (with their trailing space) and punctuation marks, and where each starts."""
    toks: list[str] = []
    starts: list[int] = []
    for m in _TOKEN_RE.finditer(text):
        toks.append(m.group())
        starts.append(base + m.start())
    return toks, starts


def _align_tokens(quote: str, text: str, lo: int, hi: int, cand: int = 0) -> tuple[float, int, int] | None:
    """Align ``quote`` with ``text[lo:hi]`` word by word (SequenceMatcher on tokens is fast
    where on characters it is quadratic), then compare the unmatched gaps character by
    character: (similarity in characters, start, end) of the aligned part."""
    qt, qs = _tokens(quote)
    wt, ws = _tokens(text[lo:hi], lo)
    if not qt or not wt:
        return None
    qk = [t.rstrip() or t for t in qt]  # words match whatever space follows them
    wk = [t.rstrip() or t for t in wt]
    blocks = [m for m in difflib.SequenceMatcher(None, qk, wk, autojunk=False).get_matching_blocks() if m.size]
    if not blocks:
        return None

    def size(m) -> int:
        return qs[m.a + m.size - 1] + len(qt[m.a + m.size - 1]) - qs[m.a]

    def drift(m1, m2) -> int:
        return abs((ws[m2.b] - ws[m1.b]) - (qs[m2.a] - qs[m1.a]))

    # Short matches stranded at the window's edges (a common word far from the rest) are
    # chance, not the passage.
    while len(blocks) > 1 and size(blocks[0]) < 16 and drift(blocks[0], blocks[1]) > size(blocks[0]):
        blocks.pop(0)
    while len(blocks) > 1 and size(blocks[-1]) < 16 and drift(blocks[-2], blocks[-1]) > size(blocks[-1]):
        blocks.pop()
    s = ws[blocks[0].b]
    last = blocks[-1].b + blocks[-1].size - 1
    e = ws[last] + len(wk[last])
    # Extend over a partly matching first or last word ("mio" of "Fumio").
    head = quote[: qs[blocks[0].a]]
    s -= _common_suffix(text[max(lo, s - len(head)) : s], head)
    q_last = blocks[-1].a + blocks[-1].size - 1
    tail = quote[qs[q_last] + len(qk[q_last]) :]
    e += _common_prefix(text[e : min(hi, e + len(tail))], tail)
    matched = 0
    prev_a = prev_b = None
    for m in blocks:
        matched += sum(min(len(qt[m.a + k]), len(wt[m.b + k])) for k in range(m.size))
        a0, b0 = qs[m.a], ws[m.b]
        if prev_a is not None:
            ga, gb = quote[prev_a:a0], text[prev_b:b0]
            if ga.strip() and gb.strip() and len(ga) + len(gb) <= 4 * GAP:
                matched += sum(x.size for x in difflib.SequenceMatcher(None, ga, gb, autojunk=False).get_matching_blocks())
        end = m.a + m.size - 1
        prev_a = qs[end] + len(qk[end])
        prev_b = ws[m.b + m.size - 1] + len(wk[m.b + m.size - 1])
    return min(1.0, 2.0 * matched / (len(quote) + (e - s))), s, e


def _align_long(quote: str, text: str, lo: int, hi: int, cand: int = 0) -> tuple[float, int, int] | None:
    """For long quotes: align the first and last ``EDGE`` characters near where they should
    be, and measure similarity as the share of the quote's ``CHUNK``-character pieces found
    in order between them."""
    n = len(quote)
    head = _align_tokens(quote[:EDGE], text, max(lo, cand - EDGE), min(hi, cand + 2 * EDGE))
    if head is None:
        return None
    s = head[1]
    tails = [cand + n]
    anchor = quote[-ANCHOR_CHARS:]
    after = text.find(anchor, cand + n - ANCHOR_CHARS, hi)  # the nearest ends on both sides
    before = text.rfind(anchor, s + n // 2, cand + n)
    tails += [p + ANCHOR_CHARS for p in (after, before) if p >= 0]
    best_tail = None
    for t in tails:
        tail = _align_tokens(quote[-EDGE:], text, max(s, t - 2 * EDGE), min(hi, t + EDGE))
        if tail is not None and (best_tail is None or tail[0] > best_tail[0]):
            best_tail = tail
    if best_tail is None:
        return None
    e = best_tail[2]
    if e - s < n // 2:
        return None
    found = total = 0
    pos = s
    for i in range(0, n - CHUNK + 1, CHUNK):
        total += 1
        j = text.find(quote[i : i + CHUNK], pos, e)
        if j >= 0:
            found += 1
            pos = j + CHUNK
    if total == 0:
        return None
    length_ratio = min(n, e - s) / max(n, e - s)
    return (found / total) * length_ratio, s, e


def fuzzy_search(text: str, quote: TextQuote, old_start: int, threshold: float = FUZZY_THRESHOLD) -> tuple[int, int] | None:
    """The best approximate occurrence of the quote with similarity >= threshold, or None."""
    exact = quote.exact
    n = len(exact)
    if n < 4 or not text:
        return None
    a = min(ANCHOR_CHARS, max(3, n // 3))
    per = MAX_FUZZY_CANDIDATES // 4
    starts: set[int] = set()
    starts.update(_nearest(_find_near(text, exact[:a], old_start), old_start, per))
    starts.update(p + a - n for p in _nearest(_find_near(text, exact[-a:], old_start + n - a), old_start + n - a, per))
    if len(quote.prefix) >= a:
        starts.update(p + a for p in _nearest(_find_near(text, quote.prefix[-a:], old_start - a), old_start - a, per))
    if len(quote.suffix) >= a:
        starts.update(p - n for p in _nearest(_find_near(text, quote.suffix[:a], old_start + n), old_start + n, per))
    if 0 <= old_start < len(text):
        starts.add(old_start)
    slack = max(8, n // 4)
    align = _align_tokens if n <= LONG_QUOTE else _align_long
    best: tuple[float, int, int, int, int] | None = None  # (similarity, context, -distance, start, end)
    tried: list[int] = []
    for cand in sorted(starts, key=lambda p: abs(p - old_start)):
        if any(abs(cand - t) <= slack // 2 for t in tried):
            continue  # nearly the window of one already compared
        tried.append(cand)
        lo = max(0, cand - slack)
        hi = min(len(text), cand + n + slack)
        found = align(exact, text, lo, hi, cand) if hi > lo else None
        if found is None:
            continue
        ratio, s, e = found
        if ratio < threshold or e <= s:
            continue
        key = (ratio, _context_score(text, s, e, quote), -abs(s - old_start))
        if best is None or key > best[:3]:
            best = (*key, s, e)
    if best is None:
        return None
    return best[3], best[4]


def reanchor(text: str, quote: TextQuote, old_start: int, old_end: int | None = None) -> tuple[int, int] | None:
    """Where the quoted passage is in ``text`` now, or None (an orphan)."""
    exact = quote.exact
    if not exact:
        return None
    n = len(exact)
    if 0 <= old_start and old_start + n <= len(text) and text.startswith(exact, old_start):
        return old_start, old_start + n
    found = exact_search(text, quote, old_start)
    if found is not None:
        return found
    return fuzzy_search(text, quote, old_start)


def anchor_highlight(h: Highlight, text: str, current_hash: str | None = None) -> tuple[Highlight, bool]:
    """Place ``h`` on ``text``: (the placed or orphaned highlight, whether what is stored
    about it must be updated: new offsets, quote or text hash). An orphan keeps its old
    offsets and quote, so it can still be found if the passage comes back."""
    current_hash = current_hash or text_hash(text)
    if (h.text_hash == current_hash and 0 <= h.start <= h.end <= len(text)
            and text[h.start : h.end] == h.exact):
        return (replace(h, orphan=False) if h.orphan else h), False
    span = reanchor(text, h.quote, h.start, h.end)
    if span is None:
        return (h if h.orphan else replace(h, orphan=True)), False
    placed = h.placed(span[0], span[1], text)
    changed = (placed.start, placed.end, placed.exact, placed.prefix, placed.suffix, placed.text_hash) != (
        h.start, h.end, h.exact, h.prefix, h.suffix, h.text_hash)
    return placed, changed
