"""The open library: what the reader has open, without any UI.

A ``Library`` holds the folders the reader was started on, the corpus index and the
highlights store (each opened once, on first use, by whichever thread asks first), the cache
of parsed briefs, and the ways a brief gets from disk to the screen: the cheap list of the
first frame, head-then-whole loading of a large brief, prefetching of the list's neighbours,
the index refresh and the folder watch.

Threading rules (the UI drives this from Textual workers, see briefing.ui.screens.main):
- Methods that read files, parse, or build the index are called on worker threads; they
  return results or call the callback they are given, never touch a widget, and never wait
  for the UI thread.
- ``brief_cache``, ``remember`` and ``accept_prefetched`` belong to the UI thread.
- ``index`` and ``store`` may be asked for from any thread; ``stop`` ends the refresh and the
  watch when the reader closes.
- ``tell`` (given by the UI) reports problems as plain text and may be called from any thread.

Textual-free: nothing here imports textual, and pydantic and the parser are imported only
where a whole brief is parsed (never for the first frame).
"""

from __future__ import annotations

import os
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from briefing.core.entry import Entry
from briefing.session.catalog import peek_entry
from briefing.session.drafts import brief_beside, is_raw, raw_entry, raw_files

if TYPE_CHECKING:
    from briefing.core.model import Brief
    from briefing.index import Change, Hit, Index, RefreshStats
    from briefing.session.progressive import HeadBrief
    from briefing.store import Store
    from briefing.session.first_screen import ScreenBrief

PEEK_LIMIT = 400  # above this many files the list fills from the index
# A large folder not indexed yet: up to this many files, the first frame shows the newest (one
# walk: ~50 ms for 10,000 files on a quiet 2-core machine, 90-180 ms at load 6), above it the skeleton.
NEWEST_LIMIT = 20_000
FIRST_ROWS = 200  # a warm start paints these rows of a large list first, then the rest
SEARCH_LIMIT = 300  # the best this many search results are listed (the header counts them all)
CACHE_SIZE = 64  # parsed briefs kept in memory (the list's neighbours are parsed ahead)
SMALL_BRIEF = 64 * 1024  # bytes: parsed on the UI thread once the parser is imported

Tell = Callable[..., None]  # tell(message, severity=..., timeout=...): plain text, any thread


@dataclass(slots=True)
class ListQueryResult:
    """What the list shows for a search line: ``hits`` (ranked, of ``matches``), or the
    ``allowed`` paths that pass the filters, or neither (everything)."""

    hits: list[Hit] | None = None
    matches: int | None = None
    allowed: set[str] | None = None
    problems: tuple[str, ...] = ()


class Library:
    def __init__(self, paths: list[Path], follow_symlinks: bool = False, tell: Tell | None = None) -> None:
        # Absolute roots: the index and the store key briefs by absolute path.
        from briefing.paths import expand_user

        self.paths = [expand_user(p).resolve() for p in paths]  # (a '~x.md' of no user x: as written)
        # The index's roots: a raw text given by name is listed as a draft (raw_files), never
        # indexed as a broken brief; one with a brief beside it stands for that brief, as in a folder.
        roots = []
        for p in self.paths:
            if is_raw(p) and not p.is_dir():
                p = brief_beside(p)
                if p is None:
                    continue
            roots.append(str(p))
        self.roots = list(dict.fromkeys(roots))
        # What a symlink may lead into (leads_outside, at every brief opened): the folders and the roots.
        self._inside = [str(p) for p in self.paths] + self.roots
        self.first_guessed = False  # the first frame lists the newest file alone (initial_entries)
        self.follow_symlinks = follow_symlinks
        self.tell: Tell = tell or (lambda message, **kwargs: None)
        self.stop = threading.Event()  # ends the index refresh and the watch
        self.brief_cache: OrderedDict[str, Brief] = OrderedDict()
        self.drafts: dict[str, Any] = {}  # path -> briefing.session.drafts.Draft under review
        self._index: Index | None = None
        self._store: Store | None = None
        # The index and the store each open once, whichever thread asks first.
        self._index_lock, self._store_lock = threading.Lock(), threading.Lock()
        self._refreshing = threading.local()  # .on: this thread is inside refresh_index (its progress)

    # ------------------------------------------------------------------ index and store

    @property
    def index(self) -> "Index":
        """The corpus index (SQLite, full text), opened on first use."""
        if self._index is not None:  # asked at every search: no lock once it is open
            return self._index

        def open_index():
            from briefing.index import Index

            index = Index.open()
            return index, index.notices

        return self._open_once("_index", self._index_lock, open_index)

    @property
    def index_open(self) -> bool:
        return self._index is not None

    @property
    def store(self) -> "Store":
        """The highlights and reading-state database, opened on first use."""
        if self._store is not None:  # asked at every highlight and move: no lock once it is open
            return self._store

        def open_store():
            from briefing.store import Store

            store = Store.open()
            return store, [store.problem] if store.problem else []

        return self._open_once("_store", self._store_lock, open_store)

    def _open_once(self, attr: str, lock: threading.Lock, open_):
        """The object in ``attr``, made by ``open_`` (object, messages) the first time. The loader
        thread and the UI thread both ask at start-up: two stores opened at the same moment
        could leave the app writing highlights to an in-memory fallback, lost on quit."""
        messages = ()
        with lock:
            if getattr(self, attr) is None:
                opened, messages = open_()
                setattr(self, attr, opened)
        # Told outside the lock: from the loader thread, telling waits for the UI thread.
        for message in messages:
            self.tell(message, severity="warning", timeout=10)
        return getattr(self, attr)

    def stored(self, what: str, method: str, *args, default=None):
        """Call a Store method; a locked or failing database is reported, never a crash."""
        from briefing.store import StoreError

        store = self.store
        try:
            return getattr(store, method)(*args)
        except StoreError as exc:
            self.tell(f"Could not {what}: {said(exc)}", severity="error", timeout=8)
            return default
        finally:
            # Changes kept while another program held the database: written when it is free
            # (tried again at each call), and the user told either way.
            if method != "flush_pending" and getattr(store, "pending", 0):
                store.flush_pending()
            for notice in getattr(store, "take_notices", lambda: [])():
                self.tell(notice, severity="warning", timeout=6)

    def read_keys(self) -> set[str]:
        from briefing.store import StoreError

        try:
            return self.store.read_keys()
        except StoreError:
            return set()

    # ------------------------------------------------------------------ the list

    def initial_entries(self) -> tuple[list[Entry], int | None]:
        """What the first frame lists, and the whole count when that is only its first rows:
        last session's index when there is one (10,000 rows in tens of milliseconds, no
        parsing), else a peek at the files of a small folder, else (a large folder not indexed
        yet: the very first start) the newest file alone (``newest_file``), so that the first
        frame can show a brief whole; ``first_guessed`` then says so."""
        from briefing.paths import data_dir

        self.first_guessed = False
        files = self.quick_files()
        if files is not None:
            # with the raw texts that have no brief beside them (briefing.session.drafts): listed, not indexed
            raw = raw_files(self.paths)  # (a raw text given by name too, unless a brief is beside it)
            return [peek_entry(p) for p in files] + [raw_entry(p) for p in raw], None  # a small folder: cheaper than opening SQLite
        if (data_dir() / "index.db").exists():
            try:
                # The first frame needs the first rows and the count; the rest follows.
                rows = self.index.entries(self.roots, order="-published", limit=FIRST_ROWS)
                if rows:
                    total = self.index.count(self.roots) if len(rows) == FIRST_ROWS else None
                    return rows, total
            except Exception:  # a damaged index is rebuilt by the loader; paint without it
                pass
        newest = self.newest_file()
        if newest is None:
            return [], None
        self.first_guessed = True
        return [peek_entry(newest)], None

    def newest_file(self) -> Path | None:
        """The brief file modified last under the folders, by one walk (``briefing.files.walk``:
        a stat of each file, nothing read), or None when there are more than NEWEST_LIMIT files
        (the walk would cost more than the first frame it saves) or none. A folder that gathers
        briefs day by day has its newest brief there; the list, once indexed, keeps it
        highlighted."""
        from briefing import files

        best = None
        left = NEWEST_LIMIT
        for p in map(Path, self.roots):  # (what the index will list)
            found = files.walk(p, self.follow_symlinks, limit=left)
            if found is None:
                if p.exists():
                    return None
                continue
            left -= len(found)
            for f in found:
                if f.problem is None and (best is None or f.mtime_ns > best.mtime_ns):
                    best = f
        return Path(best.path) if best is not None else None

    def quick_files(self) -> list[Path] | None:
        """Brief files found cheaply for the first paint (folders searched recursively, by
        ``briefing.files.walk``), or None when there are more than PEEK_LIMIT: then the index
        lists them. A file with a problem (a symlink leading outside, a broken one, a FIFO)
        is left out: it is never read here, and the index lists it with its problem."""
        from briefing import files

        out: list[Path] = []
        for p in map(Path, self.roots):  # (a raw text given by name is not one: raw_files lists it)
            if not p.is_dir():
                out.append(p)
                continue
            found = files.walk(p, self.follow_symlinks, limit=PEEK_LIMIT - len(out))
            if found is None:
                if p.exists():
                    return None  # (too many: the index lists them)
                continue
            out.extend(Path(f.path) for f in found if f.problem is None)
        return out

    def leads_outside(self, path: str) -> bool:
        """A symlink whose target lies outside every opened folder (not followed unless asked)."""
        from briefing import files

        return files.leads_outside(path, self._inside, self.follow_symlinks)

    def entries_from_index(self) -> list[Entry]:
        """Every brief the index lists under the folders, and the raw texts (listed, not
        indexed: briefing.session.drafts, their facts are a draft). (Worker threads.)

        A read that finds the file damaged moves it aside and starts an empty one
        (``Index._guard``): the reader is told, and the index is rebuilt here before the list
        is read again (the list showed "No briefs here" until the next start); when the read
        is made by ``refresh_index``'s progress callback, that refresh starts again on the new
        file and fills it (a refresh here waited for the lock its own thread held: the loader
        hung)."""
        index = self.index
        damaged = len(index.notices)
        rows = index.entries(self.roots)
        if len(index.notices) > damaged and not self.stop.is_set():
            for notice in index.notices[damaged:]:
                self.tell(notice, severity="warning", timeout=10)
            if not getattr(self._refreshing, "on", False):
                index.refresh(self.roots, self.follow_symlinks, cancel=self.stop)
                rows = index.entries(self.roots)
        return rows + [raw_entry(p) for p in raw_files(self.paths)]

    def refresh_index(self, progress: Callable[[int, int, Any], None]) -> "RefreshStats":
        """Bring the index up to date with the folders (worker thread; ``stop`` cancels)."""
        self._refreshing.on = True  # (entries_from_index, called by progress, then rebuilds nothing itself)
        try:
            return self.index.refresh(self.roots, self.follow_symlinks, progress=progress, cancel=self.stop)
        finally:
            self._refreshing.on = False

    def follow(self, changed: Callable[[list["Change"]], None]) -> None:
        """Watch the folders until ``stop``; ``changed`` gets each batch (worker thread)."""
        from briefing.index.watch import follow

        follow(self.index, self.roots, self.stop, changed)

    def changed_entries(self, changes: list["Change"]) -> tuple[list[Entry], set[str]]:
        """The list's new and changed entries and the removed paths; drops the cached parses."""
        updated, removed = [], set()
        for change in changes:
            path = change.key
            self.brief_cache.pop(path, None)
            if change.kind == "removed" or change.entry is None:
                removed.add(path)
            else:
                updated.append(change.entry)
                removed.add(str(Path(path).with_suffix(".txt")))  # a raw text hides behind its brief
        return updated, removed

    def problems_for(self, entry: Entry) -> list:
        """Why the index refused this file (empty when it did not, or is not open yet)."""
        if entry.parsed and not entry.ok and self._index is not None:
            return self.index.problems_for(entry.path)
        return []

    def run_list_query(self, line: str, cancelled: Callable[[], bool] | None = None) -> ListQueryResult:
        """Run the list's search line against the index: ranked full-text hits, or the briefs
        that pass the filters (tag:, TYPE:, from:, to:), or everything. Raises what the index
        raises for a query it cannot run. Any thread (the reader runs it in a worker);
        ``cancelled``: a test that stops the index's queries part-way (they raise
        ``sqlite3.OperationalError``, ``briefing.db.is_interrupted``)."""
        from briefing.index.query import parse_list_query

        query = parse_list_query(line)
        problems = tuple(query.problems)
        if not query:
            return ListQueryResult(problems=problems)
        if cancelled is None:
            return self._run_list_query(query, problems)
        with self.index.cancellable(cancelled):
            return self._run_list_query(query, problems)

    def _run_list_query(self, query, problems: tuple[str, ...]) -> ListQueryResult:
        keep = self._state_filter(query.states)
        if query.text:
            if keep is None:
                hits = self.index.search(query.text, self.roots, limit=SEARCH_LIMIT, **query.filters)
                matches = (len(hits) if len(hits) < SEARCH_LIMIT
                           else self.index.count(self.roots, query=query.text, **query.filters))
            else:  # the store knows read marks and highlights, not the index: filter the hits here
                hits = [h for h in self.index.search(query.text, self.roots, limit=10 * SEARCH_LIMIT, **query.filters)
                        if keep(h.entry.key)][:SEARCH_LIMIT]
                matches = len(hits)
            return ListQueryResult(hits=hits, matches=matches, problems=problems)
        rows = self.index.entries(self.roots, **query.filters)
        return ListQueryResult(allowed={e.key for e in rows if keep is None or keep(e.key)}, problems=problems)

    def _state_filter(self, states: list[str]):
        """A test of a brief's key for is:unread / is:read / is:highlighted (all must hold), or None."""
        if not states:
            return None
        read = self.read_keys() if ("read" in states or "unread" in states) else set()
        marked = set(self.stored("count the highlights", "highlight_counts", default={}) or {}) \
            if "highlighted" in states else set()
        tests = {"read": read.__contains__, "unread": lambda k: k not in read, "highlighted": marked.__contains__}
        chosen = [tests[s] for s in states]
        return lambda key: all(t(key) for t in chosen)

    # ------------------------------------------------------------------ briefs

    @property
    def parser_ready(self) -> bool:
        """True once the parser (and pydantic) are imported: never pay that on the UI thread."""
        return "briefing.core.parser" in sys.modules

    def remember(self, path: str, brief: Brief) -> None:
        self.brief_cache[path] = brief
        self.brief_cache.move_to_end(path)
        while len(self.brief_cache) > CACHE_SIZE:
            self.brief_cache.popitem(last=False)

    def is_large(self, path: str | None) -> bool:
        from briefing.session.progressive import HEAD_THRESHOLD

        try:
            return path is not None and Path(path).stat().st_size > HEAD_THRESHOLD
        except OSError:
            return False

    def read_head_now(self, path: str) -> "HeadBrief | None":
        """The head of a large brief, read on the calling thread without the parser and
        pydantic (their import alone would delay a first frame by ~0.1 s); None when it
        cannot be read or cut (the whole parse then reports why)."""
        from briefing.core.limits import MAX_BRIEF_BYTES
        from briefing.session.progressive import read_head

        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_BRIEF_BYTES + 1)
        except OSError:
            return None
        return read_head(data, path) if len(data) <= MAX_BRIEF_BYTES else None

    def parse(self, path: str, on_head: Callable[["HeadBrief"], None] | None = None) -> "Brief":
        """Parse a brief (worker thread); of a large one, ``on_head`` gets its head first.
        Raises BriefError with the problems of a brief that does not load."""
        from briefing.core.parser import parse_brief, read_brief_bytes
        from briefing.session.progressive import HEAD_THRESHOLD, read_head

        if is_raw(path):
            return self.draft_brief(path)
        data = read_brief_bytes(path)
        if on_head is not None and len(data) > HEAD_THRESHOLD:
            head = read_head(data, path)
            if head is not None:
                on_head(head)
        brief = parse_brief(data, path)
        brief.facts  # noqa: B018  computed here, off the UI thread (the sidebar shows them)
        self.store  # noqa: B018  opened here, off the UI thread: showing the brief reads its position
        return brief

    # ------------------------------------------------------------------ the first screen

    def _first_screen_file(self) -> Path:
        from briefing.paths import data_dir
        from briefing.session.first_screen import FILE_NAME

        return data_dir() / FILE_NAME

    def first_screen(self, path: str) -> ScreenBrief | None:
        """The first screen kept from the last start, if it is of ``path`` as it is on disk
        now (briefing.session.first_screen); None otherwise. Cheap: no parser, no pydantic."""
        from briefing.session.first_screen import load

        return load(self._first_screen_file(), path)

    def keep_first_screen(self, brief: Brief, stamp: tuple[int, int] | None) -> None:
        """Keep ``brief`` for the next start's first frame (worker thread), if its file is
        still as it was (``stamp``, taken before it was read)."""
        from briefing.session.first_screen import save, stamp_of

        if stamp is not None and stamp_of(brief.path) == stamp:
            save(self._first_screen_file(), brief, stamp)

    def load_now(self, path: str) -> "Brief":
        """Parse a small brief on the calling thread (once the parser is imported, a few ms)."""
        from briefing.core.parser import load_brief

        if is_raw(path):
            return self.draft_brief(path)
        return load_brief(path)

    def draft_brief(self, path: str) -> "Brief":
        """Draft a raw text (worker thread) and keep the ``Draft`` in ``drafts`` for review;
        its brief is what the reader shows. Raises BriefError with why it cannot be drafted."""
        from briefing.core.problems import BriefError, Problem
        from briefing.session.drafts import Draft
        from briefing.session.first_screen import stamp_of

        kept = self.drafts.get(path)
        if kept is not None and kept.stamp == stamp_of(path):
            return kept.brief()  # opened again, unchanged on disk: the review so far is kept
        try:
            draft = Draft.from_raw(path)
        except (OSError, ValueError) as exc:  # UnicodeDecodeError and AnnotateError are ValueErrors
            why = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else said(exc)
            raise BriefError([Problem(path=path, message=f"cannot draft this text: {why}")]) from None
        self.drafts[path] = draft
        return draft.brief()

    def prefetch(self, paths: list[str], cancelled: Callable[[], bool],
                 done: Callable[[str, "Brief", tuple[int, int]], None]) -> None:
        """Parse ``paths`` and compute their facts (worker thread); ``done`` gets each brief
        with the file's (mtime, size) when it was read. A brief that does not load is skipped:
        opening it reports the problem."""
        from briefing.core.parser import load_brief
        from briefing.core.problems import BriefError

        for path in paths:
            if cancelled():
                return
            if is_raw(path):  # a draft is made when it is opened
                continue
            try:
                st = os.stat(path)
                brief = load_brief(path)
                brief.facts  # noqa: B018  (computed now, off the UI thread)
            except (BriefError, OSError):
                continue
            done(path, brief, (st.st_mtime_ns, st.st_size))

    def accept_prefetched(self, path: str, brief: Brief, stamp: tuple[int, int]) -> bool:
        """Keep a prefetched brief unless its file changed since it was read (UI thread)."""
        try:
            st = os.stat(path)
        except OSError:
            return False
        if (st.st_mtime_ns, st.st_size) == stamp and path not in self.brief_cache:
            self.remember(path, brief)
            return True
        return False

    def close(self) -> None:
        self.stop.set()
        # Highlights still waiting for a locked database are kept beside it for the next run
        # (the connection itself is left to the process's end: a worker may still be using it).
        if self._store is not None:
            self._store.keep_pending()


def said(exc: BaseException) -> str:
    """An error's text for a message: it can quote a path or a typed query, so it is made
    inert like any text of a brief (and it is never read as markup)."""
    from briefing.core.sanitize import terminal_line

    return terminal_line(str(exc))


def small(path: str, limit: int = SMALL_BRIEF) -> bool:
    try:
        return os.stat(path).st_size <= limit
    except OSError:
        return False


def size_text(path: str) -> str:
    try:
        return f"{Path(path).stat().st_size / 1048576:.1f} MB"
    except OSError:
        return "large"
