"""Read and parse a brief file: size and encoding checks, front matter, body, spans.

``parse_brief`` raises only ``BriefError`` (with every problem found, errors and
warnings); on success the returned Brief carries its warnings.
"""

from __future__ import annotations

import bisect
import datetime as dt
from array import array
import os
import re
import stat
from pathlib import Path

from briefing.core import dates, frontmatter
from briefing.core.identity import WIKIDATA_RE
from briefing.core.basemodel import construct, constructor
from briefing.core.columns import in_order
from briefing.core.limits import MAX_BRIEF_BYTES, MAX_PROBLEMS, read_capped
from briefing.core.markdown import RawSpans, no_gc, parse_body
from briefing.core.model import HIGHLIGHT_TYPE, Block, Brief, Entity, Mark, Mentions, Meta, Styles
from briefing.core.problems import BriefError, Problem
from briefing.core.sanitize import (count_controls, count_deceptive, find_controls, find_deceptive, is_safe,
                                    normalise_newlines, sanitise, sanitise_data)
from briefing.files import BRIEF_SUFFIXES  # noqa: F401  (re-exported: its old home)

META_KEYS = ("title", "published", "source", "url", "tags", "summary", "draft", "entities")
ENTITY_KEYS = tuple(Entity.model_fields)
SPAN_ATTRS = ("ref", "value", "mod", "role", "country", "kind", "name", "note")
_SPAN_ATTR_SET = frozenset(SPAN_ATTRS)
_ID_RE = re.compile(r"^[A-Za-z0-9_][\w.:-]*$")
_TYPE_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
URL_RE = re.compile(r"^https?://", re.I)  # what a brief's url must start with


MAX_WARNINGS_PER_KIND = 20  # of invisible characters and of control characters

_make_block = constructor(Block)  # (built from checked values by position)


class _Collector:
    def __init__(self, path: str, text: str = ""):
        self.path = path
        self.text = text
        self.problems: list[Problem] = []
        # Past MAX_PROBLEMS, problems are only counted (issue 15: 500,000 of them took
        # 7 GB): the errors and warnings left out.
        self.more_errors = 0
        self.more_warnings = 0
        self.errors = 0
        self._line_starts: list[int] | None = None
        # Entity ids declared in the front matter, valid or not; None when the front matter
        # could not be read at all (then refs are not checked: that would only repeat it).
        self.declared: set[str] | None = None

    def add(self, line: int, col: int, message: str, severity: str = "error") -> None:
        if severity == "error":
            self.errors += 1
        if len(self.problems) >= MAX_PROBLEMS:
            if severity == "error":
                self.more_errors += 1
            else:
                self.more_warnings += 1
            return
        self.problems.append(Problem(path=self.path, line=line, col=col, severity=severity, message=message))

    def sorted_problems(self, stopped_at: tuple[int, int] | None = None) -> list[Problem]:
        """The problems kept, by position, then one line for those left out (or for where
        reading stopped)."""
        out = sorted(self.problems, key=lambda p: (p.line, p.col))
        more = self.more_errors + self.more_warnings
        if stopped_at is not None:
            line, col = stopped_at
            out.append(Problem(path=self.path, line=line, col=col, message=(
                f"stopped checking here after {MAX_PROBLEMS} errors"
                + (f" ({more} more problems found before this point)" if more else "")
                + ": fix these first")))
        elif more:
            line, col = (out[-1].line, out[-1].col) if out else (1, 1)
            kinds = ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in
                              ((self.more_errors, "error"), (self.more_warnings, "warning")) if n)
            out.append(Problem(path=self.path, line=line, col=col, severity="error" if self.more_errors else "warning",
                               message=f"and {more} more problems not listed ({kinds})"))
        return out

    def at(self, offset: int, message: str, severity: str = "error") -> None:
        """A problem at a character offset of the (normalised) text."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        k = bisect.bisect_right(self._line_starts, offset) - 1
        self.add(k + 1, offset - self._line_starts[k] + 1, message, severity)

    @property
    def failed(self) -> bool:
        return self.errors > 0


def decode(data: bytes, path: str) -> str:
    """Bytes to text, refusing binary and non-UTF-8 input with a located message."""
    if not data.strip():
        raise BriefError([Problem(path=path, message="empty file: a brief starts with front matter holding a title")])
    if b"\x00" in data[:65536]:
        raise BriefError([Problem(path=path, message="binary file (it contains NUL bytes): a brief is UTF-8 text")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise BriefError([Problem(path=path, line=line, col=col,
                                  message=f"not UTF-8: byte 0x{data[exc.start]:02x} cannot start or continue a character; save the file as UTF-8")]) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_brief_bytes(path: str | os.PathLike) -> bytes:
    try:
        # (os, not pathlib: this runs for each of 10,000 briefs when they are indexed.) Opened
        # without blocking: a FIFO named like a brief would wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(path)
            if not stat.S_ISREG(st.st_mode):
                raise BriefError([Problem(path=str(path), message="not a regular file (a FIFO or a device), not a brief")])
            size = st.st_size
            if size > MAX_BRIEF_BYTES:
                raise BriefError([Problem(path=str(path), message=f"file is {size / 1048576:.1f} MB; briefs over {MAX_BRIEF_BYTES // 1048576} MB are refused")])
            data = read_capped(fh, size)
    except BriefError:
        raise
    except IsADirectoryError:
        raise BriefError([Problem(path=str(path), message="is a folder, not a brief")]) from None
    except FileNotFoundError:
        raise BriefError([Problem(path=str(path), message="no such file")]) from None
    except OSError as exc:
        raise BriefError([Problem(path=str(path), message=f"cannot read: {exc.strerror or exc}")]) from None
    if len(data) > MAX_BRIEF_BYTES:
        raise BriefError([Problem(path=str(path), message=f"file is over {MAX_BRIEF_BYTES // 1048576} MB; briefs that large are refused")])
    return data


def load_brief(path: str | os.PathLike) -> Brief:
    return parse_brief(read_brief_bytes(path), str(path))


def parse_brief(data: bytes | str, path: str = "<brief>") -> Brief:
    """Parse a brief from its bytes (or its text). Raises only BriefError."""
    with no_gc():  # (hundreds of thousands of objects, no cycles: see markdown.no_gc)
        return _parse_brief(data, path)


def _parse_brief(data: bytes | str, path: str) -> Brief:
    if len(data) > MAX_BRIEF_BYTES:
        raise BriefError([Problem(path=path, message=f"brief is over {MAX_BRIEF_BYTES // 1048576} MB; briefs that large are refused")])
    if isinstance(data, bytes):
        raw = decode(data, path)
    else:
        raw = data[1:] if data.startswith("\ufeff") else data
    if not raw.strip():
        raise BriefError([Problem(path=path, message="empty file: a brief starts with front matter holding a title")])
    text = normalise_newlines(raw)
    c = _Collector(path, text)
    # The first few of each kind are reported, the rest counted (an 8 MB brief of them
    # would otherwise make 8 million warnings). A text is_safe accepts (nearly all) has none:
    # its isprintable() shortcut is ~10x faster than the property scans.
    safe = is_safe(text)
    deceptive = [] if safe else find_deceptive(text, MAX_WARNINGS_PER_KIND + 1)
    for offset, name in deceptive[:MAX_WARNINGS_PER_KIND]:
        c.at(offset, f"invisible or bidirectional control character {name} (shown as \ufffd): it can hide or reorder text", "warning")
    if len(deceptive) > MAX_WARNINGS_PER_KIND:
        c.at(deceptive[MAX_WARNINGS_PER_KIND][0], f"{count_deceptive(text) - MAX_WARNINGS_PER_KIND} more invisible or bidirectional characters (shown as \ufffd)", "warning")
    controls = [] if safe else find_controls(text, MAX_WARNINGS_PER_KIND + 1)
    for offset, name in controls[:MAX_WARNINGS_PER_KIND]:
        c.at(offset, f"control character {name} (shown as a placeholder)", "warning")
    if len(controls) > MAX_WARNINGS_PER_KIND:
        c.at(controls[MAX_WARNINGS_PER_KIND][0], f"{count_controls(text) - MAX_WARNINGS_PER_KIND} more control characters (shown as placeholders)", "warning")
    if not safe:
        text = sanitise(text)

    yaml_text, yaml_start, body_start = frontmatter.split(text)
    meta_data: dict = {}
    fm = None
    loaded = False
    if yaml_text is None and body_start == 0:
        c.add(1, 1, "missing front matter: a brief starts with a '---' line, then 'title: ...', then '---'")
    elif yaml_text is None:
        c.add(1, 1, "front matter opened here is never closed with a '---' line")
        body_start = len(text)
    else:
        yaml_line = text.count("\n", 0, yaml_start) + 1
        fm = frontmatter.load(yaml_text)
        for issue in fm.issues:
            c.add(yaml_line + issue.line - 1, issue.col, issue.message)
        if not fm.issues:
            if fm.data is None or fm.data == {}:
                meta_data, loaded = {}, True
            elif isinstance(fm.data, dict):
                # Only a YAML escape can put a character in the data that the (sanitised) text has not.
                escapes = "\\" in yaml_text
                if escapes:
                    _warn_escaped_characters(c, fm, yaml_line)
                meta_data, loaded = (sanitise_data(fm.data) if escapes else fm.data), True
            else:
                c.add(yaml_line, 1, "front matter must be a mapping of keys (title: ..., published: ...)")
    meta, entities = _check_front_matter(c, meta_data, fm, yaml_line if fm else 1, loaded)

    first_line = text.count("\n", 0, body_start) + 1
    body = parse_body(text, body_start, first_line)
    for issue in body.issues:
        c.add(issue.line, issue.col, issue.message, issue.severity)

    mentions, marks = _check_spans(c, body.spans, entities, body.text)
    if c.failed or meta is None or body.stopped_at is not None:
        raise BriefError(c.sorted_problems(body.stopped_at))
    return construct(
        Brief,
        path=path,
        meta=meta,
        entities=entities,
        text=body.text,
        blocks=[_make_block(b.kind, b.start, b.end, b.level, b.content_start) for b in body.blocks],
        styles=Styles.adopt(body.styles),  # (the body's columns, not copied)
        mentions=mentions,
        marks=marks,
        warnings=c.sorted_problems(),
        source=text,
        body_start=body_start,
        segments=body.segments,
    )




def _warn_escaped_characters(c: _Collector, fm, yaml_line: int) -> None:
    """Warn about control, bidi and invisible characters that YAML escapes put in the front
    matter (``"\\e]0;..."``, ``"\\u202e"``): they were not in the file's text, so the scan of
    the text did not see them. One warning per string, at its key or value."""
    found: list[tuple[tuple[int, int], str, str]] = []

    def check(value: str, mark: tuple[int, int]) -> None:
        deceptive = find_deceptive(value)
        controls = find_controls(value)
        if deceptive:
            found.append((mark, deceptive[0][1], "bidi"))
        if controls:
            found.append((mark, controls[0][1], "control"))

    stack: list[tuple[tuple, object]] = [((), fm.data)]
    while stack:  # iterative: the depth is bounded, but keep the stack flat anyway
        loc, value = stack.pop()
        if isinstance(value, str):
            check(value, fm.value_marks.get(loc, (1, 1)))
        elif isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str):
                    check(key, fm.key_marks.get(loc + (key,), (1, 1)))
                stack.append((loc + (key,), child))
        elif isinstance(value, list):
            stack.extend((loc + (i,), child) for i, child in enumerate(value))
    found.sort()
    for (line, col), name, kind in found[:MAX_WARNINGS_PER_KIND]:
        if kind == "bidi":
            message = (f"invisible or bidirectional control character {name} written as a YAML escape "
                       "(shown as \ufffd): it can hide or reorder text")
        else:
            message = f"control character {name} written as a YAML escape (shown as a placeholder)"
        c.add(yaml_line + line - 1, col, message, "warning")
    if len(found) > MAX_WARNINGS_PER_KIND:
        (line, col), _, _ = found[MAX_WARNINGS_PER_KIND]
        c.add(yaml_line + line - 1, col, f"{len(found) - MAX_WARNINGS_PER_KIND} more front-matter strings with "
              "control, invisible or bidirectional characters (shown as placeholders)", "warning")


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool):
        return str(value)
    return None


def _check_front_matter(c: _Collector, data: dict, fm, yaml_line: int, loaded: bool) -> tuple[Meta | None, dict[str, Entity]]:
    def where(loc: tuple, key: bool = False) -> tuple[int, int]:
        marks = fm.key_marks if key else fm.value_marks
        line, col = marks.get(loc, fm.key_marks.get(loc, (1, 1))) if fm else (1, 1)
        return yaml_line + line - 1, col

    entities: dict[str, Entity] = {}
    if not loaded:
        return (construct(Meta, title="(invalid)", tags=[]) if not c.failed else None), entities
    for key in data:
        if key not in META_KEYS:
            c.add(*where((key,), True), f"unknown key {key!r} in front matter (known: {', '.join(META_KEYS)})")

    title = _as_text(data.get("title"))
    if "title" not in data:
        c.add(yaml_line - 1, 1, "missing title: add 'title: ...' to the front matter")
    elif not title or not title.strip():
        c.add(*where(("title",)), "title must be non-empty text")

    published = data.get("published")
    if isinstance(published, str):
        published = _iso_date(published)
        if published is None:
            c.add(*where(("published",)), f"published must be an ISO date (YYYY-MM-DD), not {data['published']!r}")
    elif published is not None and not isinstance(published, dt.date):
        c.add(*where(("published",)), "published must be an ISO date (YYYY-MM-DD)")
        published = None

    fields: dict[str, str | None] = {}
    for key in ("source", "url", "summary"):
        value = data.get(key)
        if value is not None and _as_text(value) is None:
            c.add(*where((key,)), f"{key} must be text")
        fields[key] = _as_text(value)
    if fields["url"] and not URL_RE.match(fields["url"]):
        c.add(*where(("url",)), "url must start with http:// or https://")

    draft = data.get("draft")
    if draft is not None and str(draft).lower() not in ("true", "false"):
        c.add(*where(("draft",)), "draft must be true or false")
    fields["draft"] = draft is not None and str(draft).lower() == "true"

    tags_raw = data.get("tags", [])
    tags: list[str] = []
    if isinstance(tags_raw, list):
        for i, t in enumerate(tags_raw):
            if _as_text(t) is None:
                c.add(*where(("tags", i)), "each tag must be text")
            else:
                tags.append(str(t))
    elif tags_raw is not None:
        c.add(*where(("tags",)), "tags must be a list: tags: [security, japan]")

    raw_entities = data.get("entities") or {}
    if not isinstance(raw_entities, dict):
        c.add(*where(("entities",)), "entities must be a mapping of id to {type, name, ...}")
        raw_entities = {}
    else:
        c.declared = {str(eid) for eid in raw_entities}

    def report_entity(found: list[tuple[tuple[int, int], str]]) -> None:
        if found:
            (line, col), first = found[0]
            rest = [message for _, message in found[1:]]
            c.add(line, col, first + (f"; also: {'; '.join(rest)}" if rest else ""))

    for eid, spec in raw_entities.items():
        loc = ("entities", eid)
        if not _ID_RE.match(str(eid)):
            c.add(*where(loc, True), f"entity id {eid!r} must be letters, digits, '_', '-', '.' or ':'")
            continue
        if not isinstance(spec, dict):
            c.add(*where(loc), f"entity {eid!r} must be a mapping: {{type: leader, name: ...}}")
            continue
        ok = True
        # One message per broken entity (FORMAT.md): its problems together, at the first.
        found: list[tuple[tuple[int, int], str]] = []
        for key in spec:
            if key not in ENTITY_KEYS or key == "id":
                found.append((where(loc + (key,), True), f"unknown key {key!r} in entity {eid!r} (known: {', '.join(k for k in ENTITY_KEYS if k != 'id')})"))
        etype = _as_text(spec.get("type"))
        if not etype:
            found.append((where(loc, True), f"entity {eid!r} needs a type (leader, date, region, org, event, ...)"))
            report_entity(found)
            continue
        etype = etype.lower()
        if not _TYPE_RE.match(etype):
            found.append((where(loc + ("type",)), f"entity type {etype!r} must be a lowercase word"))
            report_entity(found)
            continue
        name = _as_text(spec.get("name"))
        if not name:
            found.append((where(loc, True), f"entity {eid!r} needs a name"))
            report_entity(found)
            continue
        aliases = spec.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or any(_as_text(a) is None for a in aliases):
            found.append((where(loc + ("aliases",)), "aliases must be a list of text"))
            aliases = []
        values = {k: _as_text(spec.get(k)) for k in ("role", "country", "kind", "value", "mod", "description")}
        for k in values:
            if spec.get(k) is not None and values[k] is None:
                found.append((where(loc + (k,)), f"{k} must be text"))
                ok = False
        if etype == "date" or values["value"]:
            if not values["value"] and etype == "date":
                found.append((where(loc, True), f"date entity {eid!r} needs a value (YYYY, YYYY-MM or YYYY-MM-DD)"))
                ok = False
            elif values["value"]:
                try:
                    dates.parse_value(values["value"])
                except dates.DateValueError as exc:
                    found.append((where(loc + ("value",)), str(exc)))
                    ok = False
        wikidata = _as_text(spec.get("wikidata"))
        if spec.get("wikidata") is not None:
            if wikidata is None or not WIKIDATA_RE.match(wikidata):
                c.add(*where(loc + ("wikidata",)), "wikidata must be a Wikidata entity id: Q then digits (Q123)")
                ok = False
            else:
                values["wikidata"] = wikidata
        if values["mod"]:
            try:
                values["mod"] = dates.check_mod(values["mod"])
            except dates.DateValueError as exc:
                found.append((where(loc + ("mod",)), str(exc)))
                ok = False
        report_entity(found)
        if ok:
            entities[str(eid)] = construct(Entity, id=str(eid), type=etype, name=name, aliases=[str(a) for a in aliases], **values)

    if c.failed or not title:
        return None, entities
    # Every field was checked above (types included), so no validator runs here.
    return construct(Meta, title=title.strip(), published=published, tags=tags, **fields), entities


def _iso_date(text: str) -> dt.date | None:
    """YYYY-MM-DD (a date and time, as YAML allows, gives its date); None if not a real date."""
    text = text.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}(?:$|[Tt ])", text):
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _a(word: str) -> str:
    """'a leader', 'an organisation', 'an event'."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _check_spans(c: _Collector, spans: RawSpans, entities: dict[str, Entity], text: str) -> tuple[Mentions, list[Mark]]:
    """Spans to mentions and marks; a problem points at the attribute at fault (its name),
    or at the span's '[' when no attribute is. Read by column, by position: a span is made
    into a RawSpan only to report a problem of it."""
    marks: list[Mark] = []

    def report(k: int, attr: str | None, message: str, severity: str = "error") -> None:
        s = spans[k]
        offset = s.attr_src.get(attr) if attr else None
        if offset is None:
            c.add(s.line, s.col, message, severity)
        else:
            c.at(offset, message, severity)

    types, all_attrs, starts, ends = spans.types, spans.attrs, spans.starts, spans.ends
    # By (start, -end): the order they were recorded in (as each closed) but for a span with
    # others inside it, which closed after them.
    order = range(len(types))
    if not in_order(starts, ends):
        order = sorted(order, key=lambda k: (starts[k], -ends[k]))
    kept = array("i")  # the spans that are mentions, in order
    m_texts: list[str] = []
    m_refs: list[str | None] = []
    m_attrs: list[dict[str, str]] = []
    types_ok: dict[str, bool] = {}
    texts: dict[str, str] = {}
    for k in order:
        stype, attrs = types[k], all_attrs[k]
        ok = types_ok.get(stype)
        if ok is None:
            ok = types_ok[stype] = _TYPE_RE.match(stype) is not None
        if not ok:
            report(k, None, f"span type .{stype} must be a lowercase word (a-z, 0-9, '-', '_')")
            continue
        if not _SPAN_ATTR_SET.issuperset(attrs):
            for key in attrs:
                if key not in _SPAN_ATTR_SET:
                    report(k, key, f"unknown attribute {key!r} on a .{stype} span (ignored; known: {', '.join(SPAN_ATTRS)})", "warning")
        if stype == HIGHLIGHT_TYPE:
            marks.append(construct(Mark, start=starts[k], end=ends[k], note=attrs.get("note"),
                                   src_start=spans.src_starts[k], src_end=spans.src_ends[k]))
            continue
        ref = attrs.get("ref")
        entity = None
        if ref is not None:
            entity = entities.get(ref)
            if entity is None:
                if c.declared is not None and ref not in c.declared:
                    report(k, "ref", f"ref {ref!r} names no entity declared in the front matter")
                continue  # else its declaration has a problem, reported there
            if entity.type != stype:
                report(k, "ref", f"ref {ref!r} is {_a(entity.type)} but the span is .{stype}")
                continue
        if stype == "date":
            value = attrs.get("value") or (entity.value if entity else None)
            if not value:
                report(k, None, "a .date span needs a normalized value: [Wednesday]{.date value=2024-06-19}")
                continue
            try:
                dates.parse_value(value)
            except dates.DateValueError as exc:
                report(k, "value" if "value" in attrs else "ref", str(exc))
                continue
            if "mod" in attrs:
                try:
                    # (a copy: the span's attrs are shared with the spans written alike)
                    attrs = {**attrs, "mod": dates.check_mod(attrs["mod"])}
                except dates.DateValueError as exc:
                    report(k, "mod", str(exc))
                    continue
        shown = " ".join(text[starts[k]:ends[k]].split())
        kept.append(k)
        m_texts.append(texts.setdefault(shown, shown))  # one string for the mentions that read alike
        m_refs.append(ref)
        m_attrs.append(attrs)
    columns = ("types", "starts", "ends", "lines", "cols", "src_starts", "src_ends")
    if len(kept) == len(types) and isinstance(order, range):
        picked = {name: getattr(spans, name) for name in columns}  # every span, in order: its columns
    else:
        picked = {name: _pick(getattr(spans, name), kept) for name in columns}
    mentions = Mentions.of(texts=m_texts, refs=m_refs, attrs=m_attrs, **picked)
    return mentions, marks


def _pick(column, kept: array):
    """The rows ``kept`` of a column, as a column of its kind."""
    if isinstance(column, list):
        return [column[k] for k in kept]
    return array(column.typecode, [column[k] for k in kept])


def _cli_problem(found, root: Path, follow_symlinks: bool) -> str | None:
    """What ``validate`` reports of a file before reading it: only a symlink leading outside
    the folder. (A broken link inside it is read, and reported as "no such file", as it always
    was: the CLI's output is a contract.)"""
    from briefing import files

    if follow_symlinks or found.problem not in (files.OUTSIDE, files.BROKEN):
        return None
    if found.problem == files.BROKEN:
        target = os.path.realpath(found.path)
        return None if files.is_under(target, os.path.realpath(root)) else files.OUTSIDE
    return found.problem


def iter_brief_paths(paths: list[str | os.PathLike], follow_symlinks: bool = False) -> list[tuple[Path, str | None]]:
    """Expand files and folders into brief files, sorted; each with a problem if it can't be used.

    Inside a folder, the choices of ``briefing.files`` (the one walker): only brief suffixes,
    hidden entries skipped, symlinks that lead outside the folder reported and not followed
    unless asked. Any other problem with a file is left for ``load_brief`` to report.
    """
    from briefing import files

    out: list[tuple[Path, str | None]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = files.walk(p, follow_symlinks) or []
            out.extend(sorted((Path(f.path), _cli_problem(f, p, follow_symlinks)) for f in found))
        elif p.exists():
            out.append((p, None))
        else:
            out.append((p, "no such file or folder"))
    return out
