"""The Markdown export: the brief's source with its highlights inserted
(``briefing.export.insert``), or a digest (title, key facts, the highlighted passages and
their notes) in which every piece of outside text is escaped to show exactly itself.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Iterable

from briefing.core.dates import in_words
from briefing.core.sanitize import sanitise
from briefing.export.insert import insert_highlights
from briefing.export.scope import default_scope, facts_in_scope
from briefing.export.shared import (HighlightLike, clean_note, fact_details, group_label, is_http, orphan_highlights,
                                    placed_highlights, scrub)

if TYPE_CHECKING:
    from briefing.core.model import Brief


_MD_INLINE_RE = re.compile(r"[\\`*_\[\]<$~^]|&(?=#?\w+;)|(?<!\w)@(?=\w)")
_MD_LINE_START_RE = re.compile(r"^([#>+=|:-]|\d+[.)])")


def md_escape(text: str) -> str:
    """Plain text as Markdown that shows exactly that text (one paragraph per line). Control,
    bidi and invisible characters become placeholders (brief text has them so already)."""
    lines = []
    for line in sanitise(scrub(text)).split("\n"):
        line = " ".join(line.split())
        line = _MD_INLINE_RE.sub(lambda m: "\\" + m.group(), line)
        m = _MD_LINE_START_RE.match(line)
        if m:
            k = m.end() - 1
            line = line[:k] + "\\" + line[k:]
        lines.append(line)
    return "\n".join(lines)


def _yaml_str(text: str) -> str:
    out = json.dumps(scrub(text), ensure_ascii=False)
    # YAML double-quoted strings are JSON strings, but must not hold non-printable characters.
    return re.sub("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]", lambda m: f"\\u{ord(m.group()):04x}", out)


def _md_digest(brief: "Brief", highlights: list, facts: str = "highlighted") -> str:
    meta = brief.meta
    out = ["---", f"title: {_yaml_str(meta.title)}"]
    if meta.published:
        out.append(f"published: {meta.published.isoformat()}")
    if meta.source:
        out.append(f"source: {_yaml_str(meta.source)}")
    if meta.url and is_http(meta.url):
        out.append(f"url: {_yaml_str(meta.url)}")
    if meta.tags:
        out.append("tags: [" + ", ".join(_yaml_str(t) for t in meta.tags) + "]")
    out += ["---", "", "# " + md_escape(" ".join(meta.title.split())), ""]
    line = []
    if meta.published:
        iso = meta.published.isoformat()
        line.append(f"Published {in_words(iso)} ({iso})")
    if meta.source:
        line.append(md_escape(" ".join(meta.source.split())))
    if line:
        out += [" · ".join(line), ""]
    if meta.summary:
        out += [md_escape(" ".join(meta.summary.split())), ""]
    groups = [(kind, found) for kind, found in facts_in_scope(brief, highlights, facts).items() if found]
    if groups:
        out += ["## Key facts" + (" in the highlights" if facts == "highlighted" else ""), ""]
        for kind, found in groups:
            items = []
            for f in found:
                details = fact_details(f)
                label = f.label + (f" ({'; '.join(details)})" if details else "")
                items.append(md_escape(" ".join(label.split())))
            out.append(f"- **{md_escape(group_label(kind))}:** " + " · ".join(items))
        out.append("")
    placed = placed_highlights(brief, highlights)
    out += ["## Highlights", ""]
    if not placed:
        out += ["No highlights.", ""]
    for h in placed:
        passage = md_escape(brief.text[h.start : h.end])
        for para in passage.split("\n"):
            out.append("> " + para if para.strip() else ">")
        out.append("")
        note = clean_note(h.note)
        if note:
            out += ["Note: " + md_escape(note), ""]
    orphans = orphan_highlights(highlights)
    if orphans:
        out += ["## Highlights no longer found in the brief", ""]
        for h in orphans:
            for para in md_escape(h.exact).split("\n"):
                out.append("> " + para if para.strip() else ">")
            out.append("")
            note = clean_note(h.note)
            if note:
                out += ["Note: " + md_escape(note), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def export_markdown(brief: "Brief", highlights: Iterable[HighlightLike] = (), highlights_only: bool = False,
                    facts: str | None = None) -> str:
    highlights = list(highlights)
    if highlights_only:
        return scrub(_md_digest(brief, highlights, facts or default_scope(True)))
    return scrub(insert_highlights(brief, highlights))
