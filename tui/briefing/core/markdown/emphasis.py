"""Emphasis by CommonMark's rules: which delimiter runs can open or close
(``_flanks``, cached by the characters around a run) and the delimiter stack that pairs them
(``process_emphasis``).

``process_emphasis`` works on the ``delim`` nodes of ``inline._Node`` and records each match
on its opener and closer (``opens``, ``closes``: ``_Match``) without moving nodes; ``inline``
turns the matches into styles when it flattens the tree. With "openers bottom" the work is
linear in the number of delimiter runs. ``_flanks`` and ``_FLANKS`` are read by the shortcut
(``shortcut``) and ``_is_punct`` by ``briefing.index.fast``, which must judge runs alike.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.core.markdown.inline import _Node

# ASCII punctuation: what a backslash escapes, and punctuation for the flanking rules.
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


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



class _Match:
    """One emphasis: the delimiters it used, and its display start once known."""

    __slots__ = ("kind", "src", "src_end", "start")

    def __init__(self, kind: str, src: int, src_end: int):
        self.kind = kind
        self.src = src
        self.src_end = src_end
        self.start = 0


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
