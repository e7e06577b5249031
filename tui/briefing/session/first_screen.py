"""The first screen a person can read, kept from the last start: the newest brief's text,
structure and key facts, saved as plain JSON after it was parsed, so that the next start
shows them in its first frame without the parser and pydantic (importing those alone costs
about a quarter of a bare Textual app's start).

One file in the data directory (``first-screen.json``) holds one brief: the first of the
list the last time the reader started on those folders. It is used only when the brief's
path, modification time and size are those it was saved with, and only until the brief's
full parse arrives a moment later (which replaces it, and brings the highlights and the
reading position from the store). Anything unexpected in the file (another format, a
damaged file) means no first screen from it, never an error: it is a cache.

The objects built here carry what the reading pane and the sidebar read of a Brief and its
Facts (the same names), as slotted dataclasses. Textual-free and pydantic-free.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.session.progressive import HeadMention, HeadMeta

if TYPE_CHECKING:
    from briefing.core.model import Brief

FORMAT = 1
FILE_NAME = "first-screen.json"
MAX_FILE_BYTES = 64 * 1024 * 1024  # a larger file gives no first screen (a cache)


@dataclass(slots=True)
class ScreenBlock:
    kind: str
    start: int
    end: int
    level: int = 0
    content_start: int = 0


@dataclass(slots=True)
class ScreenStyle:
    kind: str
    start: int
    end: int
    url: str | None = None


@dataclass(slots=True)
class ScreenFact:
    type: str
    key: str
    name: str
    role: str | None = None
    country: str | None = None
    kind: str | None = None
    value: str | None = None
    precision: str | None = None
    mod: str | None = None
    texts: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def mentions(self) -> int:
        return len(self.spans)

    @property
    def label(self) -> str:  # as briefing.core.model.Fact.label
        if self.type == "date":
            from briefing.core.dates import in_words

            return in_words(self.value, self.mod)
        return self.name

    @property
    def iso(self) -> str:  # as briefing.core.model.Fact.iso
        from briefing.core.dates import iso_label

        return iso_label(self.value, self.mod) if self.type == "date" else ""


@dataclass
class ScreenBrief:
    """A brief as the first frame shows it (see the module's docstring)."""

    path: str
    meta: HeadMeta
    text: str
    blocks: list[ScreenBlock]
    styles: list[ScreenStyle]
    mentions: list[HeadMention]
    facts: dict[str, list[ScreenFact]]


_FACT_FIELDS = ("type", "key", "name", "role", "country", "kind", "value", "precision", "mod", "texts", "spans")


def stamp_of(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def save(file: Path, brief: Brief, stamp: tuple[int, int]) -> None:
    """Keep ``brief`` (a parsed Brief, its facts computed here) for the next start's first
    frame. Written to a temporary file and renamed over the old one: a reader starting at
    the same moment sees the old file or the new, never half of one. Errors are ignored."""
    from briefing.core.columns import mention_spans, style_spans

    meta = brief.meta
    data = {
        "format": FORMAT,
        "path": brief.path,
        "stamp": list(stamp),
        "meta": {"title": meta.title, "published": meta.published.isoformat() if meta.published else None,
                 "source": meta.source, "url": meta.url, "tags": list(meta.tags), "summary": meta.summary},
        "text": brief.text,
        "blocks": [[b.kind, b.start, b.end, b.level, b.content_start] for b in brief.blocks],
        "styles": [list(row) for row in style_spans(brief.styles)],
        "mentions": [list(row) for row in mention_spans(brief.mentions)],
        "facts": {kind: [[getattr(f, name) if name != "spans" else list(f.spans) for name in _FACT_FIELDS] for f in facts]
                  for kind, facts in brief.facts.items()},
    }
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, file)
    except (OSError, ValueError, TypeError):
        try:
            tmp.unlink()
        except OSError:
            pass


def load(file: Path, path: str) -> ScreenBrief | None:
    """The kept first screen of the brief at ``path``, if the file holds that brief as it is
    on disk now; else None."""
    from briefing.paths import read_regular

    try:
        raw = read_regular(file, MAX_FILE_BYTES)  # (regular files only: a FIFO here hung the start)
        if len(raw) > MAX_FILE_BYTES:
            return None
        data = json.loads(raw)
        if data.get("format") != FORMAT or data.get("path") != path:
            return None
        if tuple(data["stamp"]) != stamp_of(path):
            return None
        # Written from sanitised text; sanitised again, as all brief text is on its way to the
        # screen (the file is only as trustworthy as the data directory).
        from briefing.core.sanitize import sanitise, sanitise_data

        text = sanitise(data["text"])
        m, fact_rows = sanitise_data(data["meta"]), sanitise_data(data["facts"])
        if len(text) != len(data["text"]):
            return None
        meta = HeadMeta(title=m["title"], source=m["source"], url=m["url"], tags=list(m["tags"]),
                        summary=m["summary"],
                        published=dt.date.fromisoformat(m["published"]) if m["published"] else None)
        facts = {kind: [ScreenFact(*row[:9], texts=list(row[9]), spans=[tuple(s) for s in row[10]]) for row in rows]
                 for kind, rows in fact_rows.items()}
        styles = [ScreenStyle(*s) for s in data["styles"]]
        for style in styles:
            if style.url:  # (a link's address is shown before it is opened: sanitised too)
                style.url = sanitise(style.url)
        return ScreenBrief(
            path=path, meta=meta, text=text,
            blocks=[ScreenBlock(*b) for b in data["blocks"]],
            styles=styles,
            mentions=[HeadMention(*m) for m in data["mentions"]],
            facts=facts,
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
