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

Tokenising is done with regular expressions and the tree is flattened without
recursion, so a 1 MB brief or 100,000 spans parse in well under a second, and deep
nesting cannot overflow the stack.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

MAX_SPAN_DEPTH = 32

# ---------------------------------------------------------------------------- results


@dataclass
class RawSpan:
    """A bracketed span as written; checked against the front matter by the parser."""

    type: str
    attrs: dict[str, str]
    start: int  # display offsets
    end: int
    src_start: int  # source offsets of '[' and just after '}'
    src_end: int
    line: int
    col: int
    classes: list[str] = field(default_factory=list)


@dataclass
class RawStyle:
    kind: str
    start: int
    end: int
    url: str | None
    src_start: int
    src_end: int


@dataclass
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
    segments: list[tuple[int, int, int]] = field(default_factory=list)
    issues: list[BodyIssue] = field(default_factory=list)


# ---------------------------------------------------------------------------- blocks

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_HR_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_QUOTE_RE = re.compile(r"^ {0,3}>[ ]?")
_ITEM_RE = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


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


def parse_body(source: str, body_start: int, first_line: int) -> Body:
    """Parse ``source[body_start:]``; ``first_line`` is the 1-based line number there."""
    b = _BodyBuilder(source, body_start)
    pending: _Pending | None = None
    fence: tuple[str, int, int] | None = None  # (marker, start line, display start)
    code_lines: list[tuple[str, int]] = []

    def flush() -> None:
        nonlocal pending
        if pending is not None and pending.lines:
            _emit_block(b, pending)
        pending = None

    pos = body_start
    line_no = first_line
    n = len(source)
    while pos <= n:
        nl = source.find("\n", pos)
        end = n if nl < 0 else nl
        line = source[pos:end]

        if fence is not None:
            m = _FENCE_RE.match(line)
            if m and m.group(1)[0] == fence[0][0] and len(m.group(1)) >= len(fence[0]) and not m.group(2).strip():
                _emit_code(b, code_lines)
                fence, code_lines = None, []
            else:
                code_lines.append((line, pos))
        elif not line.strip():
            flush()
        elif (m := _FENCE_RE.match(line)) and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            flush()
            fence, code_lines = (m.group(1), line_no, 0), []
        elif pending is not None and pending.kind == "paragraph" and (m := _SETEXT_RE.match(line)):
            pending.kind, pending.level = "heading", 1 if m.group(1)[0] == "=" else 2
            flush()
        elif m := _HR_RE.match(line):
            flush()
            b.separate("rule")
            start = b.length
            b.emit("\u2500" * 3, None)
            b.body.blocks.append(RawBlock("rule", start, b.length, 0, start))
            b.prev_kind = "rule"
        elif m := _ATX_RE.match(line):
            flush()
            content = m.group(2) or ""
            cstart = m.start(2) if m.group(2) is not None else len(line)
            pending = _Pending("heading", len(m.group(1)))
            pending.lines.append((content, pos + cstart, line_no, cstart + 1))
            flush()
        elif m := _QUOTE_RE.match(line):
            depth, cut = 0, 0
            while m:
                depth += 1
                cut += m.end()
                m = _QUOTE_RE.match(line, cut) if cut < len(line) else None
                if m and m.start() != cut:
                    break
            content = line[cut:]
            if not content.strip():
                flush()
            else:
                if pending is None or pending.kind != "quote" or pending.level != depth:
                    flush()
                    pending = _Pending("quote", depth)
                pending.lines.append((content, pos + cut, line_no, cut + 1))
        elif m := _ITEM_RE.match(line):
            flush()
            marker = m.group(2)
            pending = _Pending("item", len(m.group(1)) // 2, "\u2022 " if marker in "-*+" else marker + " ")
            pending.lines.append((line[m.end():], pos + m.end(), line_no, m.end() + 1))
        else:
            if pending is None:
                pending = _Pending("paragraph")
            stripped = len(line) - len(line.lstrip(" \t"))
            pending.lines.append((line[stripped:], pos + stripped, line_no, stripped + 1))

        pos = end + 1
        line_no += 1
    flush()
    if fence is not None:
        b.body.issues.append(BodyIssue(fence[1], 1, "code fence is never closed", "warning"))
        _emit_code(b, code_lines)
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
    # Join the block's lines with '\n' (soft breaks) and remember where each came from.
    joined = "\n".join(text for text, _, _, _ in p.lines)
    starts: list[int] = []
    acc = 0
    for text, _, _, _ in p.lines:
        starts.append(acc)
        acc += len(text) + 1
    _Inline(b, joined, starts, p.lines).run()
    b.body.blocks.append(RawBlock(p.kind, start, b.length, p.level, content_start))
    b.prev_kind = p.kind


# ---------------------------------------------------------------------------- inlines

_TOKEN_RE = re.compile(
    r"""\\[\s\S]          # backslash escape (or hard break before a newline)
      | `+                # code span delimiter
      | \*+ | _+          # emphasis delimiter runs
      | !\[ | \[ | \]     # image, bracket open, bracket close
      | <(?:https?|mailto):[^\s<>]*>   # autolink
      | [ ]{2,}\n | \n    # hard or soft line break
    """,
    re.VERBOSE,
)
_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ATTR_TOKEN_RE = re.compile(
    r"""\s*(?:
        \.(?P<cls>[A-Za-z][\w-]*)
      | \#(?P<id>[\w:.-]+)
      | (?P<key>[A-Za-z_][\w.-]*)=(?:"(?P<dq>(?:[^"\\\n]|\\.)*)"|'(?P<sq>(?:[^'\\\n]|\\.)*)'|(?P<bare>[^\s"'{}=]+))
    )""",
    re.VERBOSE,
)
_UNESCAPE_RE = re.compile(r"\\(.)")


def _is_punct(ch: str) -> bool:
    return ch in _ESCAPABLE or unicodedata.category(ch).startswith("P")


class _Node:
    """A node of the inline tree. ``kind`` is text, delim, open, code, emph, strong, link,
    image, span or break; ``children`` only for containers."""

    __slots__ = ("kind", "text", "src", "src_end", "children", "info", "count", "can_open", "can_close", "active")

    def __init__(self, kind: str, text: str = "", src: int = -1, src_end: int = -1):
        self.kind = kind
        self.text = text
        self.src = src  # offset in the joined block text, -1 if synthetic
        self.src_end = src_end
        self.children: list[_Node] | None = None
        self.info: object = None
        self.count = 0
        self.can_open = self.can_close = False
        self.active = True


class _Inline:
    def __init__(self, b: _BodyBuilder, s: str, starts: list[int], lines: list[tuple[str, int, int, int]]):
        self.b = b
        self.s = s
        self.starts = starts
        self.lines = lines
        self.nodes: list[_Node] = []
        self.brackets: list[int] = []  # indexes into self.nodes of open brackets

    # -- positions
    def src_of(self, i: int) -> int:
        """Source offset of position i of the joined text."""
        k = bisect.bisect_right(self.starts, i) - 1
        return self.lines[k][1] + (i - self.starts[k])

    def line_col(self, i: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.starts, i) - 1
        _, _, line, col = self.lines[k]
        return line, col + (i - self.starts[k])

    def issue(self, i: int, message: str, severity: str = "error") -> None:
        self.b.body.issues.append(BodyIssue(*self.line_col(i), message, severity))

    def text(self, start: int, end: int) -> None:
        if end > start:
            self.nodes.append(_Node("text", self.s[start:end], start, end))

    # -- tokenising
    def run(self) -> None:
        s = self.s
        pos = 0
        for m in _TOKEN_RE.finditer(s):
            if m.start() < pos:
                continue  # inside a construct already consumed (a code span, a link target)
            self.text(pos, m.start())
            pos = self.token(m)
        self.text(pos, len(s))
        for idx in self.brackets:
            node = self.nodes[idx]
            if node.active:
                self.issue(node.src, "unclosed '[': close the span, or write \\[ for a literal bracket")
        self.process_emphasis(0)
        self.flatten()

    def token(self, m: re.Match) -> int:
        s, tok, i = self.s, m.group(), m.start()
        c = tok[0]
        if c == "\\":
            nxt = tok[1]
            if nxt == "\n":
                self.nodes.append(_Node("break", "\n", i, m.end()))
            elif nxt in _ESCAPABLE:
                self.nodes.append(_Node("text", nxt, i + 1, m.end()))
            else:
                self.text(i, m.end())
            return m.end()
        if c == "`":
            close = re.compile(r"(?<!`)" + tok + r"(?!`)").search(s, m.end())
            if close is None:
                self.text(i, m.end())
                return m.end()
            content = s[m.end() : close.start()].replace("\n", " ")
            if len(content) > 2 and content[0] == " " and content[-1] == " " and content.strip():
                content = content[1:-1]
            node = _Node("code", content, i, close.end())
            self.nodes.append(node)
            return close.end()
        if c in "*_":
            before = s[i - 1] if i else " "
            after = s[m.end()] if m.end() < len(s) else " "
            left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
            right = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
            node = _Node("delim", tok, i, m.end())
            node.count = len(tok)
            if c == "*":
                node.can_open, node.can_close = left, right
            else:
                node.can_open = left and (not right or _is_punct(before))
                node.can_close = right and (not left or _is_punct(after))
            self.nodes.append(node)
            return m.end()
        if tok in ("[", "!["):
            if len(self.brackets) >= MAX_SPAN_DEPTH:
                self.issue(i, f"brackets nested more than {MAX_SPAN_DEPTH} deep")
                self.text(i, m.end())
                return m.end()
            self.brackets.append(len(self.nodes))
            node = _Node("open", tok, i, m.end())
            self.nodes.append(node)
            return m.end()
        if c == "]":
            return self.close_bracket(m)
        if c == "<":
            url = tok[1:-1]
            node = _Node("link", "", i, m.end())
            node.children = [_Node("text", url, i + 1, m.end() - 1)]
            node.info = url
            self.nodes.append(node)
            return m.end()
        if tok.endswith("\n"):
            if len(tok) > 1:
                self.nodes.append(_Node("break", "\n", i, m.end()))
            else:
                self.nodes.append(_Node("soft", " ", i, m.end()))
            return m.end()
        self.text(i, m.end())
        return m.end()

    def close_bracket(self, m: re.Match) -> int:
        s, i, after = self.s, m.start(), m.end()
        nxt = s[after] if after < len(s) else ""
        # Find the innermost open bracket still active.
        while self.brackets and not self.nodes[self.brackets[-1]].active:
            self.brackets.pop()
        if not self.brackets:
            if nxt == "{":
                self.issue(i, "']{' closes a span that was never opened with '['")
                end = self._attr_end(after)
                self.text(i, end if end > 0 else after)
                return end if end > 0 else after
            self.text(i, after)
            return after
        idx = self.brackets[-1]
        opener = self.nodes[idx]
        if nxt == "{" and opener.text == "[":
            end = self._attr_end(after)
            if end < 0:
                self.issue(after, "unclosed '{': an attribute block must close on the line where it opens")
                self.brackets.pop()
                opener.kind = "text"
                self.text(i, after)
                return after
            parsed = self.parse_attrs(after, end)
            self.brackets.pop()
            if parsed is None:
                opener.kind = "text"
                self.text(i, end)
                return end
            kind_info = parsed
            self.wrap(idx, "span", kind_info, end)
            return end
        if nxt == "(":
            close = self._link_end(after)
            if close > 0:
                dest = s[after + 1 : close - 1].strip()
                url = dest.split()[0].strip("<>") if dest else ""
                self.brackets.pop()
                self.wrap(idx, "image" if opener.text == "![" else "link", url, close)
                return close
        # Plain brackets: literal text; the opener stays text too.
        self.brackets.pop()
        opener.kind = "text"
        self.text(i, after)
        return after

    def _attr_end(self, at: int) -> int:
        """Offset just past the '}' that closes the attribute block at ``at``, or -1."""
        s = self.s
        nl = s.find("\n", at)
        limit = len(s) if nl < 0 else nl
        j = at + 1
        quote = ""
        while j < limit:
            ch = s[j]
            if quote:
                if ch == "\\":
                    j += 1
                elif ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch == "}":
                return j + 1
            j += 1
        return -1

    def _link_end(self, at: int) -> int:
        s = self.s
        depth = 0
        j = at
        while j < len(s):
            ch = s[j]
            if ch == "\n" and depth and s.find(")", j) < 0:
                return -1
            if ch == "\\":
                j += 2
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return -1

    def parse_attrs(self, start: int, end: int) -> dict | None:
        """Parse ``{...}`` between start ('{') and end (past '}'); None after reporting an error."""
        inner_start, inner_end = start + 1, end - 1
        s = self.s
        pos = inner_start
        classes: list[str] = []
        attrs: dict[str, str] = {}
        while pos < inner_end:
            if s[pos:inner_end].isspace():
                break
            m = _ATTR_TOKEN_RE.match(s, pos, inner_end)
            if m is None or m.end() == pos:
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
                    self.issue(m.start("key"), f"attribute {key!r} given twice")
                    return None
                attrs[key] = _UNESCAPE_RE.sub(r"\1", raw)
            pos = m.end()
        if not classes:
            self.issue(start, "a span needs a type: write [text]{.leader}, {.date value=...}, {.region}, ...")
            return None
        return {"classes": classes, "attrs": attrs}

    def wrap(self, idx: int, kind: str, info: object, src_end: int) -> None:
        """Turn nodes[idx+1:] into the children of a new container that replaces the opener."""
        opener = self.nodes[idx]
        children = self.nodes[idx + 1 :]
        del self.nodes[idx:]
        save, self.nodes = self.nodes, children
        self.process_emphasis(0)
        children, self.nodes = self.nodes, save
        node = _Node(kind, "", opener.src, src_end)
        node.children = children
        node.info = info
        self.nodes.append(node)

    def process_emphasis(self, bottom: int) -> None:
        nodes = self.nodes
        i = bottom
        while i < len(nodes):
            closer = nodes[i]
            if closer.kind != "delim" or not closer.can_close or closer.count == 0:
                i += 1
                continue
            ch = closer.text[0]
            j = i - 1
            opener_at = -1
            while j >= bottom:
                o = nodes[j]
                if o.kind == "delim" and o.text[0] == ch and o.can_open and o.count > 0:
                    if not ((o.can_close or closer.can_open) and (o.count + closer.count) % 3 == 0
                            and not (o.count % 3 == 0 and closer.count % 3 == 0)):
                        opener_at = j
                        break
                j -= 1
            if opener_at < 0:
                i += 1
                continue
            o = nodes[opener_at]
            use = 2 if o.count >= 2 and closer.count >= 2 else 1
            o.count -= use
            closer.count -= use
            inner = nodes[opener_at + 1 : i]
            node = _Node("strong" if use == 2 else "emph", "", o.src + o.count, closer.src + (len(closer.text) - closer.count))
            node.children = inner
            nodes[opener_at + 1 : i] = [node]
            i = opener_at + 2
            if o.count == 0:
                del nodes[opener_at]
                i -= 1
            if closer.count == 0:
                del nodes[i]
        # Unused delimiter characters stay as text.
        for node in nodes:
            if node.kind == "delim":
                node.kind = "text"
                node.text = node.text[: node.count] if node.count else ""
                node.src_end = node.src + node.count

    # -- output
    def flatten(self) -> None:
        """Append the tree to the display text, iteratively, recording styles and spans."""
        b = self.b
        body = b.body
        work: list[object] = list(reversed(self.nodes))
        while work:
            item = work.pop()
            if isinstance(item, tuple):  # closing a container: (node, display start)
                node, start = item
                self.close(node, start)
                continue
            node = item
            kind = node.kind
            if kind == "text" or kind == "open":
                if node.text:
                    b.emit(node.text, self.src_of(node.src) if node.src >= 0 and len(node.text) == node.src_end - node.src else None)
            elif kind == "soft":
                b.emit(" ", self.src_of(node.src))
            elif kind == "break":
                b.emit("\n", None)
            elif kind == "code":
                start = b.length
                b.emit(node.text, None)
                body.styles.append(RawStyle("code", start, b.length, None, self.src_of(node.src), self.src_of(node.src_end - 1) + 1))
            else:
                work.append((node, b.length))
                work.extend(reversed(node.children or []))

    def close(self, node: _Node, start: int) -> None:
        b = self.b
        end = b.length
        src_start = self.src_of(node.src)
        src_end = self.src_of(node.src_end - 1) + 1 if node.src_end > 0 else src_start
        if node.kind == "span":
            info = node.info
            line, col = self.line_col(node.src)
            b.body.spans.append(RawSpan(info["classes"][0], info["attrs"], start, end, src_start, src_end, line, col, info["classes"][1:]))
            if start == end:
                self.issue(node.src, "empty span: a span needs text between [ and ]")
        elif node.kind in ("emph", "strong"):
            b.body.styles.append(RawStyle("emphasis" if node.kind == "emph" else "strong", start, end, None, src_start, src_end))
        elif node.kind in ("link", "image"):
            b.body.styles.append(RawStyle(node.kind, start, end, node.info, src_start, src_end))
