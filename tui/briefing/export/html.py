"""The HTML export: one self-contained page (inline CSS, no script, no network, a strict
Content-Security-Policy). Every piece of text and every attribute is escaped (``_esc``),
only http(s) links are links, and only ``ALLOWED_TAGS`` are written (the hostile tests check
the output against it). The whole brief with its highlights marked and their notes below
each paragraph, or a digest of the highlighted passages.
"""

from __future__ import annotations

import bisect
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from briefing.core.columns import style_spans
from briefing.core.dates import in_words, iso_label
from briefing.core.sanitize import sanitise
from briefing.export.scope import default_scope, facts_in_scope
from briefing.export.shared import (HighlightLike, clean_note, fact_details, group_label, is_http, orphan_highlights,
                                    placed_highlights, scrub)

if TYPE_CHECKING:
    from briefing.core.model import Brief


_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fdfdfb; --muted: #666; --rule: #ddd;
  --mark: #fff2a8; --note: #f4f1e6; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e6e3; --bg: #1b1c1e; --muted: #a0a0a0;
  --rule: #3a3a3a; --mark: #6b5d12; --note: #2a2920; } }
body { font: 17px/1.6 Georgia, "Times New Roman", serif; color: var(--fg); background: var(--bg);
  margin: 0; padding: 2rem 1rem; }
article { max-width: 46rem; margin: 0 auto; }
header h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 .5rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; color: var(--muted);
  font: 14px/1.5 system-ui, sans-serif; margin: 0 0 1rem; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
p.summary { font-style: italic; }
section.facts { font: 14px/1.5 system-ui, sans-serif; border: 1px solid var(--rule); border-radius: 6px;
  padding: .5rem 1rem; margin: 1rem 0 2rem; }
section.facts h2 { font-size: 1rem; margin: .3rem 0; }
section.facts h3 { font-size: .85rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  margin: .6rem 0 .2rem; }
section.facts ul { margin: 0; padding-left: 1.2rem; }
section.facts small, .count { color: var(--muted); }
h2, h3, h4, h5, h6 { line-height: 1.3; }
blockquote { border-left: 3px solid var(--rule); margin: 1rem 0; padding: 0 1rem; color: var(--muted); }
pre { background: var(--note); padding: .75rem 1rem; overflow-x: auto; font-size: 14px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
mark { background: var(--mark); color: inherit; padding: 0 .1em; }
mark.brief-mark { background: transparent; border-bottom: 2px solid #d4a017; }
sup.note-ref { font: 11px/1 system-ui, sans-serif; color: var(--muted); }
aside.note { font: 14px/1.45 system-ui, sans-serif; background: var(--note); border-left: 3px solid #d4a017;
  padding: .35rem .7rem; margin: .4rem 0 1rem; }
aside.note .n { font-weight: 600; margin-right: .4rem; }
.entity { border-bottom: 2px solid transparent; }
.entity-leader { border-bottom-color: #2f6fde; }
.entity-date { border-bottom-color: #1f9d55; }
.entity-region { border-bottom-color: #c2410c; }
.entity-org { border-bottom-color: #7c3aed; }
.entity-event { border-bottom-color: #db2777; }
.entity:not(.entity-leader):not(.entity-date):not(.entity-region):not(.entity-org):not(.entity-event) {
  border-bottom: 2px dotted var(--muted); }
section.legend { font: 13px/1.5 system-ui, sans-serif; color: var(--muted); margin: -1rem 0 2rem; }
section.legend h2 { position: absolute; left: -9999px; }
ul.legend { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; }
section.highlights li { margin-bottom: 1rem; }
section.orphans { color: var(--muted); }
footer { margin-top: 3rem; color: var(--muted); font: 12px/1.4 system-ui, sans-serif; }
@media print { body { background: #fff; color: #000; } mark { background: #fff2a8; } }
""".strip()

CSP = "default-src 'none'; style-src 'unsafe-inline'"
ALLOWED_TAGS = frozenset("""html head meta title style body article header footer section h1 h2 h3 h4 h5 h6 p
    dl dt dd ul ol li blockquote pre code hr br strong em a span mark sup aside small time""".split())


def _esc(text: object) -> str:
    """Text or an attribute value, escaped; no control, bidi or invisible character."""
    return html.escape(sanitise(scrub(str(text))), quote=True)


@dataclass
class _Span:
    start: int
    end: int
    open: str
    close: str
    rank: int  # outer first when two start and end together
    after: str = ""  # emitted once, where the span really ends


def _inline_spans(brief: "Brief") -> list[_Span]:
    """Mentions, styles and the brief's own marks as HTML spans."""
    spans: list[_Span] = []
    ms = brief.mentions  # (read by column: no Mention object made per row)
    for mtype, start, end, ref, attrs in zip(ms.types, ms.starts, ms.ends, ms.refs, ms.attrs):
        title = ref and brief.entities.get(ref)
        label = ""
        if title:
            bits = [title.name] + [b for b in (title.role, title.country, title.kind) if b]
            label = " — ".join([bits[0], ", ".join(bits[1:])]) if len(bits) > 1 else bits[0]
        elif mtype == "date" and attrs.get("value"):
            label = f"{in_words(attrs['value'], attrs.get('mod'))} ({iso_label(attrs['value'], attrs.get('mod'))})"
        attr = f' title="{_esc(label)}"' if label else ""
        spans.append(_Span(start, end, f'<span class="entity entity-{_esc(mtype)}"{attr}>', "</span>", 3))
    for kind, start, end, url in style_spans(brief.styles):
        if kind == "strong":
            spans.append(_Span(start, end, "<strong>", "</strong>", 4))
        elif kind == "emphasis":
            spans.append(_Span(start, end, "<em>", "</em>", 4))
        elif kind == "code":
            spans.append(_Span(start, end, "<code>", "</code>", 5))
        elif kind == "link" and is_http(url):
            spans.append(_Span(start, end, f'<a href="{_esc(url)}" rel="noopener noreferrer nofollow">', "</a>", 2))
        elif kind in ("link", "image"):
            label = ("image: " if kind == "image" else "link: ") + (url or "")
            spans.append(_Span(start, end, f'<span class="{kind}" title="{_esc(label)}">', "</span>", 2))
    for k in brief.marks:
        note = clean_note(k.note)
        attr = f' title="{_esc(note)}"' if note else ""
        spans.append(_Span(k.start, k.end, f'<mark class="brief-mark"{attr}>', "</mark>", 1))
    return spans


class _SpanIndex:
    """Spans bucketed by the blocks they touch, so rendering a block looks only at its own."""

    def __init__(self, brief: "Brief", spans: list[_Span]):
        self.blocks = brief.blocks
        self.starts = [b.start for b in self.blocks]
        self.buckets: list[list[_Span]] = [[] for _ in self.blocks]
        n = len(self.blocks)
        for sp in spans:
            if not n or sp.end <= sp.start:
                continue
            i = max(0, bisect.bisect_right(self.starts, sp.start) - 1)
            while i < n:
                self.buckets[i].append(sp)
                i += 1
                if i >= n or self.blocks[i].start >= sp.end:
                    break

    def between(self, lo: int, hi: int) -> list[_Span]:
        out: list[_Span] = []
        seen: set[int] = set()
        i = max(0, bisect.bisect_right(self.starts, lo) - 1)
        while i < len(self.blocks) and self.blocks[i].start < hi:
            for sp in self.buckets[i]:
                if id(sp) not in seen:
                    seen.add(id(sp))
                    out.append(sp)
            i += 1
        return out


def _render_inline(text: str, lo: int, hi: int, spans: list[_Span], breaks: bool = True) -> str:
    """text[lo:hi] as escaped HTML with the spans properly nested (split where they cross)."""
    items = []
    for sp in spans:
        s, e = max(lo, sp.start), min(hi, sp.end)
        if s < e:
            items.append((s, e, sp))
    points = sorted({lo, hi, *(s for s, _, _ in items), *(e for _, e, _ in items)})
    opens: dict[int, list] = {}
    for it in items:
        opens.setdefault(it[0], []).append(it)
    for lst in opens.values():
        lst.sort(key=lambda it: (-it[1], it[2].rank))
    out: list[str] = []
    stack: list[tuple[int, int, _Span]] = []
    for idx, p in enumerate(points):
        ending = [k for k, it in enumerate(stack) if it[1] == p]
        if ending:
            low = min(ending)
            reopen = []
            while len(stack) > low:
                it = stack.pop()
                out.append(it[2].close)
                if it[1] == p:
                    if it[1] == it[2].end:
                        out.append(it[2].after)
                else:
                    reopen.append(it)
            for it in reversed(reopen):
                out.append(it[2].open)
                stack.append(it)
        for it in opens.get(p, []):
            out.append(it[2].open)
            stack.append(it)
        if idx + 1 < len(points):
            chunk = html.escape(text[p : points[idx + 1]], quote=True)
            out.append(chunk.replace("\n", "<br>\n") if breaks else chunk)
    while stack:
        out.append(stack.pop()[2].close)
    return "".join(out)


def _meta_html(brief: "Brief") -> list[str]:
    meta = brief.meta
    out = [f"<h1>{_esc(meta.title)}</h1>", '<dl class="meta">']
    if meta.published:
        iso = meta.published.isoformat()
        out.append(f'<dt>Published</dt><dd><time datetime="{iso}">{_esc(in_words(iso))}</time></dd>')
    if meta.source:
        out.append(f"<dt>Source</dt><dd>{_esc(meta.source)}</dd>")
    if meta.url:
        if is_http(meta.url):
            out.append(f'<dt>URL</dt><dd><a href="{_esc(meta.url)}" rel="noopener noreferrer nofollow">{_esc(meta.url)}</a></dd>')
        else:
            out.append(f"<dt>URL</dt><dd>{_esc(meta.url)}</dd>")
    if meta.tags:
        out.append(f"<dt>Tags</dt><dd>{_esc(', '.join(meta.tags))}</dd>")
    out.append("</dl>")
    if meta.summary:
        out.append(f'<p class="summary">{_esc(meta.summary)}</p>')
    return out


def _facts_html(brief: "Brief", highlights: list, scope: str) -> list[str]:
    groups = [(kind, found) for kind, found in facts_in_scope(brief, highlights, scope).items() if found]
    if not groups:
        return []
    heading = "Key facts in the highlights" if scope == "highlighted" else "Key facts"
    out = ['<section class="facts">', f"<h2>{heading}</h2>"]
    for kind, found in groups:
        out.append(f"<h3>{_esc(group_label(kind))}</h3>")
        out.append("<ul>")
        for f in found:
            details = fact_details(f)
            count = f"{f.mentions} mention{'s' if f.mentions != 1 else ''}"
            small = " · ".join([*details, count])
            label = _esc(f.label)
            if f.type == "date" and f.value and f.precision in ("day", "month", "year", "week"):
                label = f'<time datetime="{_esc(f.value)}">{label}</time>'
            out.append(f'<li><span class="entity entity-{_esc(kind)}">{label}</span> <small>{_esc(small)}</small></li>')
        out.append("</ul>")
    out.append("</section>")
    return out


# What each mark on the page means: the same cues as the stylesheet above.
CORE_KINDS = ("leader", "date", "region", "org", "event")
_LEGEND = [
    ("entity entity-leader", "Leader"), ("entity entity-date", "Date"), ("entity entity-region", "Region"),
    ("entity entity-org", "Organisation"), ("entity entity-event", "Event"), ("entity entity-other", "Other fact"),
]


def _legend_html(brief: "Brief", highlights: bool) -> list[str]:
    """The marks this page uses, each drawn as on the page (only the types the brief has)."""
    kinds = set(brief.mentions.types)
    present = [(cls, name) for cls, name in _LEGEND
               if cls.rsplit("-", 1)[1] in kinds or (name == "Other fact" and kinds - set(CORE_KINDS))]
    items = [f'<li><span class="{cls}">{name}</span></li>' for cls, name in present]
    if not items and not highlights:
        return []
    if highlights:
        items.append('<li><mark class="highlight">Highlight</mark></li>')
        items.append('<li><sup class="note-ref">1</sup> note, below the paragraph</li>')
    return ['<section class="legend">', "<h2>Legend</h2>", '<ul class="legend">', *items,
            "</ul>", "</section>"]


def _page(brief: "Brief", body: list[str]) -> str:
    title = _esc(brief.meta.title)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<article>",
    ]
    tail = ["<footer>Exported by briefing.</footer>", "</article>", "</body>", "</html>", ""]
    return scrub("\n".join(head + body + tail))


def _note_aside(n: int, note: str) -> str:
    return f'<aside class="note" id="note-{n}"><span class="n">{n}</span>{_esc(note)}</aside>'


def _orphans_html(orphans: list) -> list[str]:
    if not orphans:
        return []
    out = ['<section class="orphans">', "<h2>Highlights no longer found in the brief</h2>", "<ul>"]
    for h in orphans:
        note = clean_note(h.note)
        out.append(f"<li><blockquote>{_esc(h.exact).replace(chr(10), '<br>')}</blockquote>"
                   + (f'<aside class="note">{_esc(note)}</aside>' if note else "") + "</li>")
    out += ["</ul>", "</section>"]
    return out


def export_html(brief: "Brief", highlights: Iterable[HighlightLike] = (), highlights_only: bool = False,
                facts: str | None = None) -> str:
    highlights = list(highlights)
    placed = placed_highlights(brief, highlights)
    spans = _inline_spans(brief)
    body = ["<header>", *_meta_html(brief), "</header>",
            *_facts_html(brief, placed, facts or default_scope(highlights_only)),
            *_legend_html(brief, bool(placed))]
    text = brief.text
    if highlights_only:
        body += ['<section class="highlights">', "<h2>Highlights</h2>"]
        if not placed:
            body.append("<p>No highlights.</p>")
        else:
            body.append("<ol>")
            index = _SpanIndex(brief, spans)
            for h in placed:
                note = clean_note(h.note)
                passage = _render_inline(text, h.start, h.end, index.between(h.start, h.end))
                body.append(f"<li><blockquote><p>{passage}</p></blockquote>"
                            + (f'<aside class="note">{_esc(note)}</aside>' if note else "") + "</li>")
            body.append("</ol>")
        body.append("</section>")
        body += _orphans_html(orphan_highlights(highlights))
        return _page(brief, body)

    numbered: list[tuple[int, object]] = []
    all_spans = list(spans)
    for h in placed:
        note = clean_note(h.note)
        n = len(numbered) + 1 if note else 0
        if note:
            numbered.append((n, h))
        title = f' title="{_esc(note)}"' if note else ""
        after = f'<sup class="note-ref">{n}</sup>' if note else ""
        all_spans.append(_Span(h.start, h.end, f'<mark class="highlight"{title}>', "</mark>", 0, after))
    notes_by_end: dict[int, list[tuple[int, str]]] = {}
    block_starts = [b.start for b in brief.blocks]
    for n, h in numbered:
        i = max(0, bisect.bisect_right(block_starts, max(h.start, h.end - 1)) - 1)
        notes_by_end.setdefault(i, []).append((n, clean_note(h.note)))

    body.append('<section class="text">')
    index = _SpanIndex(brief, all_spans)
    in_list = False
    for i, b in enumerate(brief.blocks):
        asides = "".join(_note_aside(n, note) for n, note in notes_by_end.get(i, []))
        block_spans = index.buckets[i]
        if b.kind == "item":
            if not in_list:
                body.append("<ul>")
                in_list = True
            inner = _render_inline(text, b.content_start, b.end, block_spans)
            style = f' style="margin-left:{min(b.level, 8) * 1.5}rem"' if b.level else ""
            body.append(f"<li{style}>{inner}{asides}</li>")
            continue
        if in_list:
            body.append("</ul>")
            in_list = False
        if b.kind == "heading":
            level = min(6, b.level + 1)
            body.append(f"<h{level}>{_render_inline(text, b.start, b.end, block_spans)}</h{level}>{asides}")
        elif b.kind == "paragraph":
            body.append(f"<p>{_render_inline(text, b.start, b.end, block_spans)}</p>{asides}")
        elif b.kind == "quote":
            body.append(f"<blockquote><p>{_render_inline(text, b.start, b.end, block_spans)}</p>{asides}</blockquote>")
        elif b.kind == "code":
            body.append(f"<pre><code>{_render_inline(text, b.start, b.end, block_spans, breaks=False)}</code></pre>{asides}")
        elif b.kind == "rule":
            body.append(f"<hr>{asides}")
    if in_list:
        body.append("</ul>")
    body.append("</section>")
    body += _orphans_html(orphan_highlights(highlights))
    return _page(brief, body)
