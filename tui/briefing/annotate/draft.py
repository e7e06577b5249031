"""Text -> brief: the headline, the published date, the body with its spans, the front matter.

The body is the raw text with only spans added: every character is kept, Markdown's
active characters are backslash-escaped so the reader shows them as written ("[sic]",
"*", "# 1" at a line's start), and a text whose paragraphs are single lines (no blank
line anywhere) gets a blank line between them, so each stays a paragraph.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from briefing.annotate.model import Annotation, Found, Hit

_INLINE_ACTIVE = re.compile(r"[\\\[\]*_`<#]")
_LINE_START_ACTIVE = re.compile(r"^([ \t]*)([#>+=~|-]|\d{1,9}[.)])", re.M)


class AnnotateError(ValueError):
    """A text that cannot be drafted; the message says what to give."""


def prepare_text(raw: str) -> str:
    """Newlines normalised, dangerous characters made visible, paragraphs made explicit."""
    from briefing.core.sanitize import normalise_newlines, sanitise

    text = normalise_newlines(raw)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = sanitise(text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip("\n")
    if "\n\n" not in text and "\n" in text:
        text = "\n\n".join(line for line in lines if line.strip())
    return text


def _escape(segment: str) -> str:
    return _INLINE_ACTIVE.sub(lambda m: "\\" + m.group(), segment)


def _escape_line_starts(text: str) -> str:
    def fix(m: re.Match) -> str:
        lead, token = m.group(1), m.group(2)
        if token[-1] in ".)" and token[:-1].isdigit():
            return lead + token[:-1] + "\\" + token[-1]
        return lead + "\\" + token
    return _LINE_START_ACTIVE.sub(fix, text)


def headline(text: str) -> tuple[str | None, int | None]:
    """(title, offset of its line) when the text starts with a short headline line."""
    paragraphs = [p for p in re.finditer(r"[^\n]+", text)][:3]
    if len(paragraphs) < 2:
        return None, None
    first = paragraphs[0]
    line = first.group().strip()
    second = paragraphs[1].group().strip()
    # A breadcrumb ("Home World Headline") followed by the headline itself.
    if len(paragraphs) > 2 and line.endswith(second) and _short(second):
        return second, paragraphs[1].start()
    if _short(line):
        return line, first.start()
    return None, None


def _short(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 20 and len(line) <= 160 and not re.search(r"[.,;:]$", line) and line[:1].isupper()


_DATELINE = [
    re.compile(r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    re.compile(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mon>[A-Z][a-z]+)\.?,?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<mon>[A-Z][a-z]+)\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"),
]


def dateline(text: str) -> dt.date | None:
    """A full date in the first lines ("TOKYO, June 19, 2024 (Kyodo) --", "Published 2024-06-19")."""
    from briefing.annotate.timex import MONTH_NUM

    head = "\n".join(text.split("\n")[:6])[:600]
    found = []
    for pattern in _DATELINE:
        for m in pattern.finditer(head):
            g = m.groupdict()
            month = int(g["m"]) if g.get("m") else MONTH_NUM.get((g.get("mon") or "").lower())
            if not month:
                continue
            try:
                found.append((m.start(), dt.date(int(g["y"]), month, int(g["d"]))))
            except ValueError:
                continue
    return min(found)[1] if found else None


def entity_ids(entities: list[Found]) -> None:
    """Readable, unique ids from the names ("andrzej_duda", "south_china_sea")."""
    from briefing.annotate.gazetteer import fold

    seen: set[str] = set()
    for i, e in enumerate(entities, 1):
        base = re.sub(r"[^a-z0-9]+", "_", fold(e.name).lower()).strip("_")[:40] or f"{e.type}{i}"
        candidate, n = base, 2
        while candidate in seen:
            candidate, n = f"{base}_{n}", n + 1
        seen.add(candidate)
        e.id = candidate


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    from briefing.core.sanitize import sanitise_line

    return json.dumps(sanitise_line(text), ensure_ascii=False)


def render(text: str, ann: Annotation, *, title: str, published: dt.date, source: str | None,
           heading_at: int | None) -> str:
    lines = ["---", f"title: {_q(title)}", f"published: {published.isoformat()}"]
    if source:
        lines.append(f"source: {_q(source)}")
    lines.append("draft: true")
    if ann.entities:
        lines.append("entities:")
        for e in ann.entities:
            lines.append(f"  {e.id}:")
            lines.append(f"    type: {e.type}")
            lines.append(f"    name: {_q(e.name)}")
            if e.aliases:
                lines.append("    aliases: [" + ", ".join(_q(a) for a in e.aliases) + "]")
            for key in ("role", "country", "kind"):
                value = getattr(e, key)
                if value:
                    lines.append(f"    {key}: {_q(value)}")
    lines.append("---")
    lines.append("")
    ids = {(e.type, e.name): e.id for e in ann.entities}
    out: list[str] = []
    pos = 0
    for h in ann.hits:
        out.append(_escape(text[pos:h.start]))
        inner = _escape(text[h.start:h.end])
        if h.type == "date":
            attrs = f".date value={h.value}" + (f" mod={h.mod}" if h.mod else "")
        else:
            attrs = f".{h.type} ref={ids[(h.type, h.name)]}"
        out.append(f"[{inner}]{{{attrs}}}")
        pos = h.end
    out.append(_escape(text[pos:]))
    body = _escape_line_starts("".join(out))
    if heading_at is not None:
        # the headline line becomes the brief's heading (its words unchanged)
        line_no = text.count("\n", 0, heading_at)
        body_lines = body.split("\n")
        body_lines[line_no] = "# " + body_lines[line_no]
        body = "\n".join(body_lines)
    return "\n".join(lines) + "\n" + body + "\n"
