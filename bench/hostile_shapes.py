"""Worst-case briefs for the hostile-input bench and its regression tests (issue 15).

Each shape is a function of a target size in bytes returning the brief's text: the
front matter, then a body that repeats one pattern up to that size. The shapes are the
ones a red-team pass found quadratic or unbounded, plus the valid constructs (spans,
emphasis, links, brackets) a real brief is made of, and plain prose as the reference.
"""

from __future__ import annotations

from collections.abc import Callable

HEAD = "---\ntitle: Hostile shape\npublished: 2024-06-19\n---\n\n"


def _fill(pattern: str, size: int, head: str = HEAD, line_every: int = 0) -> str:
    """``head`` then ``pattern`` repeated to ~``size`` bytes (UTF-8), one paragraph unless
    ``line_every`` > 0 (then a blank line after every that many repeats)."""
    per = len(pattern.encode())
    n = max(1, (size - len(head.encode())) // per)
    if not line_every:
        return head + pattern * n + "\n"
    block = pattern * line_every + "\n\n"  # (the blank lines count towards the size too)
    return head + block * max(1, (size - len(head.encode())) // len(block.encode())) + "\n"


def prose(size: int) -> str:
    """The reference: ordinary sentences in paragraphs of ~600 bytes."""
    para = ("The minister met her counterpart on Tuesday to discuss the new port agreement, "
            "which officials say will double the capacity of the harbour by the end of the decade. ") * 4
    return _fill(para, size, line_every=1)


def facts_refs(size: int) -> str:
    """One entity, every mention a different text: [k1]{.leader ref=k} ... (facts were quadratic)."""
    head = HEAD.replace("---\n\n", "entities:\n  k: {type: leader, name: K}\n---\n\n")
    parts, total, i = [], len(head), 0
    while total < size:
        piece = f"[k{i}]{{.leader ref=k}} "
        parts.append(piece)
        total += len(piece)
        i += 1
    return head + "".join(parts) + "\n"


MAX_ALIASES = 25_000  # (~190 KB of front matter: under its 256 KB limit)


def facts_aliases(size: int) -> str:
    """One entity with many aliases, each used once by a mention without ref (up to
    MAX_ALIASES of them; past that, the mentions go round the aliases again to fill ``size``)."""
    n = max(1, size // 60)
    k = min(n, MAX_ALIASES)
    aliases = ", ".join(f"a{i}" for i in range(k))
    head = HEAD.replace("---\n\n", f"entities:\n  k: {{type: leader, name: K, aliases: [{aliases}]}}\n---\n\n")
    if n == k:
        return head + "".join(f"[a{i}]{{.leader}} " for i in range(n)) + "\n"
    parts, total, i = [], len(head), 0
    while total < size - 32:
        piece = f"[a{i % k}]{{.leader}} "
        parts.append(piece)
        total += len(piece)
        i += 1
    return head + "".join(parts) + "\n"


def close_brace(size: int) -> str:
    """``]{`` repeated: every one an error (problems were uncapped)."""
    return _fill("]{", size)


def open_close_brace(size: int) -> str:
    """``[a]{`` repeated: brackets whose attribute block never closes."""
    return _fill("[a]{", size)


def emphasis_runs(size: int) -> str:
    """``*a **b `` repeated: delimiter runs that never match."""
    return _fill("*a **b ", size)


def link_opens(size: int) -> str:
    """``[a](`` repeated: link tails that never close."""
    return _fill("[a](", size)


def plain_brackets(size: int) -> str:
    """``[a] `` repeated: brackets that are plain text."""
    return _fill("[a] ", size)


def underscores(size: int) -> str:
    """``_a_b`` repeated: intraword underscores."""
    return _fill("_a_b", size)


def valid_spans(size: int) -> str:
    """Valid spans, many per paragraph: [Kishida]{.leader ref=k} ..."""
    head = HEAD.replace("---\n\n", "entities:\n  k: {type: leader, name: Fumio Kishida}\n---\n\n")
    return _fill("[Kishida]{.leader ref=k} met [Biden]{.leader} in [Tokyo]{.region} on "
                 "[Wednesday]{.date value=2024-06-19}. ", size, head, line_every=8)


def valid_emphasis(size: int) -> str:
    """Matched emphasis and strong emphasis in ordinary paragraphs."""
    return _fill("Some *emphasis* and **strong** and _under_ words. ", size, line_every=10)


def valid_links(size: int) -> str:
    """Links and autolinks in ordinary paragraphs."""
    return _fill("See [the report](https://example.org/r?id=1 \"Title\") and <https://example.org>. ",
                 size, line_every=8)


def nested_brackets(size: int) -> str:
    """Brackets nested and closed: [[[a]]] ... and spans nested in links."""
    return _fill("[[[a] b] c] [x [y]{.region} z](https://e.org) ", size, line_every=8)


def one_paragraph_spans(size: int) -> str:
    """Valid spans in one paragraph with no blank line (one inline run for the whole body)."""
    return _fill("[Tokyo]{.region} and *it* ", size)


SHAPES: dict[str, Callable[[int], str]] = {
    "prose": prose,
    "facts_refs": facts_refs,
    "facts_aliases": facts_aliases,
    "close_brace": close_brace,
    "open_close_brace": open_close_brace,
    "emphasis_runs": emphasis_runs,
    "link_opens": link_opens,
    "plain_brackets": plain_brackets,
    "underscores": underscores,
    "valid_spans": valid_spans,
    "valid_emphasis": valid_emphasis,
    "valid_links": valid_links,
    "nested_brackets": nested_brackets,
    "one_paragraph_spans": one_paragraph_spans,
}


def highlighted_paragraph(n: int) -> tuple[str, list[tuple[int, int]]]:
    """One paragraph of ``n`` sentences with a span, a link and emphasis each, and the
    display offsets (start, end) of a highlight on every sentence's middle words (markdown
    export was quadratic in highlights: 4,000 of them took 260 s)."""
    sentence = "The [minister]{.leader} met *her* counterpart on the [port](https://e.org/p) deal today. "
    head = HEAD
    text = head + sentence * n + "\n"
    shown = "The minister met her counterpart on the port deal today. "
    at = shown.index("met her counterpart")
    spans = [(k * len(shown) + at, k * len(shown) + at + len("met her counterpart")) for k in range(n)]
    return text, spans
