"""Turning one brief file into index rows: ``parse_file`` reads and parses a file into a
plain tuple (the ``R_*`` fields) that pickles cheaply, in this process or in a worker.

The common brief's fields come from ``briefing.index.fast`` (the same fields as the
reader's parser gives, without building its model); a brief the fast path declines goes
through ``briefing.core.parser``; one that fails is listed by what ``quick_meta`` can read
of its front matter. A file that may have been caught half-written (``_suspect``) is read
again a pause later (``_settle``). Textual-free; no SQLite here.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_mod
import time
from typing import TYPE_CHECKING

from briefing.core.limits import MAX_BRIEF_BYTES, read_capped
from briefing.index import tuning
from briefing.index.entry import RefreshStats
from briefing.index.viewrows import view_columns

_PEEK_BYTES = 65536  # of a file, read for its quick look

if TYPE_CHECKING:  # (the model loads pydantic: the fast path must not pay for it)
    from briefing.core.model import Brief

# Field positions in a parse result tuple.
R_KEY, R_SIZE, R_MTIME, R_INO, R_HASH, R_CHECKED, R_STATUS, R_TITLE, R_PUBLISHED, R_SOURCE, R_URL, R_SUMMARY, \
    R_TAGS, R_PROBLEMS, R_TEXT, R_FACTS, R_FACTS_TEXT, R_UNSTABLE = range(18)


def quick_meta(data: bytes) -> dict:
    """Title, date, source and tags read from the front matter's top-level lines, without
    parsing or validating anything (``briefing.core.front_peek``, the one light reader): for
    listing a brief before it is parsed, and for naming one that failed. Best effort;
    missing values are None."""
    from briefing.core.front_peek import peek_front

    return peek_front(data[:_PEEK_BYTES].decode("utf-8", "replace"), cut=len(data) > _PEEK_BYTES)


def _fact_rows(brief: Brief) -> tuple[list[tuple], str]:
    """(rows for the facts table, words for search): the labels the list, the search and the
    filters need, and what the views across briefs need (briefing.index.viewrows)."""
    rows: list[tuple] = []
    words: list[str] = []
    seen: set[str] = set()

    def word(text: str | None) -> None:
        if text and text not in seen:
            seen.add(text)
            words.append(text)

    for kind, facts in brief.facts.items():
        for f in facts:
            label = (f.value or f.name) if kind == "date" else f.name
            entity = brief.entities.get(f.key[4:]) if f.key.startswith("ref:") else None
            rows.append((kind, label.casefold(), label, f.key)
                        + view_columns(kind, f.name, f.value, f.mod, entity.wikidata if entity else None,
                                       entity.aliases if entity else None, f.role, f.country, f.spans))
            word(f.name)
            word(f.role)
            word(f.country)
            for t in f.texts:
                word(t)
            if entity is not None:
                for alias in entity.aliases:
                    word(alias)
    return rows, " ; ".join(words)


def parse_file(key: str) -> tuple:
    """Read and parse one brief: a plain tuple that pickles cheaply (fields: the R_* names)."""
    from briefing.index.fast import extract
    from briefing.core.parser import parse_brief, read_brief_bytes
    from briefing.core.problems import BriefError

    checked_ns = time.time_ns()
    try:
        st = os.stat(key)
    except OSError as exc:
        return _failed(key, f"cannot read: {exc.strerror or exc}", checked_ns)
    if not stat_mod.S_ISREG(st.st_mode):
        return _failed(key, "not a regular file", checked_ns, st)
    data = _read_plain(key, st.st_size)
    if data is None:  # anything out of the ordinary: the reader's own read says what
        try:
            data = read_brief_bytes(key)
        except BriefError as exc:
            return _failed(key, exc.problems[0].message if exc.problems else "cannot read", checked_ns, st)
    try:
        st2 = os.stat(key)
        unstable = st2.st_size != len(data) or st2.st_mtime_ns != st.st_mtime_ns or st.st_size != len(data)
    except OSError:
        st2, unstable = st, True
    digest = hashlib.blake2b(data, digest_size=16).digest()
    fast = extract(data)
    if fast is not None:  # the common brief, without the reader's model (same fields)
        title, published, source, url, summary, tags, text, facts, facts_text = fast
        return (key, len(data), st2.st_mtime_ns, st2.st_ino, digest, checked_ns, "ok", title, published, source,
                url, summary, tags, [], text, facts, facts_text, unstable)
    problems: list[tuple] = []
    try:
        brief = parse_brief(data, key)
    except BriefError as exc:
        problems = [(p.line, p.col, p.severity, p.message) for p in exc.problems]
        q = quick_meta(data)
        title = q["title"] or _name_title(key)
        return (key, len(data), st2.st_mtime_ns, st2.st_ino, digest, checked_ns, "error", title, q["published"],
                q["source"], None, None, q["tags"], problems, "", [], "", unstable)
    title, published, source, url, summary, tags, text, facts, facts_text = brief_fields(brief)
    problems = [(p.line, p.col, p.severity, p.message) for p in brief.warnings]
    return (key, len(data), st2.st_mtime_ns, st2.st_ino, digest, checked_ns, "ok", title, published, source, url,
            summary, tags, problems, text, facts, facts_text, unstable)


_O_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_plain(key: str, size: int) -> bytes | None:
    """The bytes of a regular file of ``size`` bytes (stat'ed just before), in one read: no
    file object, no fstat of it, no read to see the end (``briefing.core.parser.
    read_brief_bytes`` makes 11 system calls of a brief, this 3: ~4 us less of a 5 KB brief's
    ~270). None when anything is not as expected (an error, a file over the limit, fewer or
    more bytes than its size): then ``read_brief_bytes`` reads it and says what is wrong.
    (The stat after the read, in ``parse_file``, still tells a file that changed meanwhile.)
    Opened without blocking, as there: a FIFO put in its place since would wait for a writer."""
    if size > MAX_BRIEF_BYTES:
        return None
    try:
        fd = os.open(key, _O_READ)
    except OSError:
        return None
    try:
        data = os.read(fd, size + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == size else None


def brief_fields(brief: Brief) -> tuple:
    """What the index keeps of a parsed brief: the fields briefing.index.fast.extract gives."""
    meta = brief.meta
    facts, facts_text = _fact_rows(brief)
    return (meta.title, meta.published.isoformat() if meta.published else None, meta.source, meta.url,
            meta.summary, list(meta.tags), brief.text, facts, facts_text)


def _failed(key: str, message: str, checked_ns: int, st: os.stat_result | None = None,
            size: int = 0, mtime: int = 0, ino: int = 0) -> tuple:
    if st is not None:
        size, mtime, ino = st.st_size, st.st_mtime_ns, st.st_ino
    return (key, size, mtime, ino, None, checked_ns, "error", _name_title(key), None, None, None, None, [],
            [(1, 1, "error", message)], "", [], "", False)


def _name_title(key: str) -> str:
    """A brief's file name as a title: file names come from other people too, so it is
    sanitised like any text of a brief (and cannot hold the listing's separators)."""
    from briefing.core.sanitize import sanitise_line

    return sanitise_line(os.path.basename(key)) or "(unnamed)"


def _total_size(keys: list[str]) -> int:
    total = 0
    for key in keys:
        try:
            total += os.stat(key).st_size
        except OSError:
            pass
    return total


def _parse_chunk(keys: list[str]) -> list[tuple]:
    return [parse_file(k) for k in keys]


def _hash_file(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.blake2b(read_capped(fh, os.fstat(fh.fileno()).st_size), digest_size=16).digest()
    except OSError:
        return None


def _settle(suspects: list[tuple], stats: RefreshStats) -> list[tuple]:
    """Read files that looked half-written again, after a pause, until they hold still:
    the same bytes twice and no change of size or mtime while reading (a brief that is
    simply broken settles at the first retry). Gives up after tuning.RETRIES tries."""
    out: list[tuple] = []
    for attempt in range(tuning.RETRIES):
        if not suspects:
            break
        # The pause counts from the last read: suspects found early in a build have waited.
        waited = (time.time_ns() - max(r[R_CHECKED] for r in suspects)) / 1e9
        time.sleep(max(0.0, tuning.RETRY_DELAY - waited))
        stats.retried += len(suspects)
        again = []
        for prev in suspects:
            r = parse_file(prev[R_KEY])
            settled = not r[R_UNSTABLE] and (not _suspect(r) or r[R_HASH] == prev[R_HASH])
            (out if settled or attempt == tuning.RETRIES - 1 else again).append(r)
        suspects = again
    return out


def _suspect(r: tuple) -> bool:
    """A result that may come from a file caught half-written."""
    if r[R_UNSTABLE]:
        return True
    return r[R_STATUS] == "error" and r[R_HASH] is not None and time.time_ns() - r[R_MTIME] < tuning.RECENT_NS

