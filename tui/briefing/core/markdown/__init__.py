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
second, and deep nesting can neither hang nor overflow the stack.

Where things are (each module's docstring states its contract):

- ``builder``: ``parse_body``, the entry point; ``_BodyBuilder``, which builds the display
  text and records the offsets; how a block is shown; ``no_gc``.
- ``blocks``: the block structure, line by line (fences, headings, quotes, lists, rules,
  paragraphs), handed to the builder block by block.
- ``inline``: one block's inlines: the tokens, the inline tree (``_Inline``, ``_Node``) and
  its flattening into the display text.
- ``emphasis``: CommonMark's flanking rules and delimiter stack ("process emphasis").
- ``spans``: bracketed spans: attribute blocks read and cached, near misses, spans recorded
  (``_Spans``, mixed into ``_Inline``).
- ``shortcut``: ``_Inline.run_simple``, the common block without the inline tree
  (``_Shortcut``, mixed into ``_Inline``).
- ``brackets``: ``_Inline.run_brackets``, a block of links, spans (nested or not), autolinks
  and plain brackets without the inline tree (``_Brackets``, mixed into ``_Inline``).
- ``results``: what ``parse_body`` returns (``Body``, ``RawBlock``, ``RawStyle``,
  ``RawSpan``, ``BodyIssue``) and the limits (``MAX_*``).

Why the parts still reach into each other: they are one parser, and its speed comes from
not copying between them. The inline code writes the builder's display text and segments
directly (its hot loop); ``_Inline`` is one object whose methods live in ``inline``,
``spans``, ``shortcut`` and ``brackets`` (they share the block's text and its offsets); and
the shortcuts mirror the general inline path (``token``, ``close_bracket``,
``process_emphasis``, ``flatten``) for the blocks they take: tests/test_fast_paths.py checks
that all give the same body for every shipped, hostile and generated brief, so a change to
how a block, a span, a link or emphasis is shown is made in ``inline``, ``shortcut`` and
``brackets`` (and in ``briefing.index.fast``, which mirrors
the shortcut for the index; tests/test_index_fast.py). ``briefing.index.fast`` and the tests
use the names re-exported below; a test that monkeypatches a module global (``BodyIssue``)
patches the module that uses it, not this package.
"""

from __future__ import annotations

from briefing.core.markdown.builder import _BodyBuilder, no_gc, parse_body
from briefing.core.markdown.emphasis import _is_punct
from briefing.core.markdown.inline import _Inline, _Node
from briefing.core.markdown.results import (
    MAX_ATTR_CHARS,
    MAX_BLOCK_DEPTH,
    MAX_LINK_TITLE_CHARS,
    MAX_SPAN_DEPTH,
    Body,
    BodyIssue,
    RawBlock,
    RawSpan,
    RawSpans,
    RawStyle,
    RawStyles,
)

__all__ = [
    "MAX_ATTR_CHARS", "MAX_BLOCK_DEPTH", "MAX_LINK_TITLE_CHARS", "MAX_SPAN_DEPTH",
    "Body", "BodyIssue", "RawBlock", "RawSpan", "RawSpans", "RawStyle", "RawStyles", "no_gc", "parse_body",
    # (internals used by briefing.index.fast and the tests)
    "_BodyBuilder", "_Inline", "_Node", "_is_punct",
]
