"""The reader: document list (left), reading pane (centre), key facts (right).

Start-up is a feature: the first screen paints from last session's index (SQLite, no
parsing), or on a first run from a cheap peek at each file's front matter; the parser
(with pydantic) is imported and run in threads only after that first paint. Then the
index is brought up to date in the background, with a progress bar, and the folders are
watched for briefs added, changed or removed. ``create_app`` is the factory tests reuse.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Footer, Input, Static

from briefing.session.catalog import DocEntry, entry_from_index, peek_entry
from briefing.ui.commands import BriefingCommands
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.facts_panel import FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane
from briefing.ui.widgets.title_bar import TitleBar

# Inherited bindings that only add noise to the help screen.
HIDDEN_IN_HELP = {"scroll_left", "scroll_right", "page_left", "page_right", "help_quit", "scroll_home", "scroll_end"}
PEEK_LIMIT = 400  # above this many files the list fills from the index
FIRST_ROWS = 200  # a warm start paints these rows of a large list first, then the rest
SEARCH_LIMIT = 300  # the best this many search results are listed (the header counts them all)
SEARCH_DELAY = 0.15  # seconds of no typing before the list searches
PREFETCH_DELAY = 0.08  # seconds after a brief is shown before its neighbours are parsed
NARROW = 100  # below this many columns the sidebar collapses (t shows it)


class IndexProgress(Message):
    """From the loader thread: ``done`` of ``total`` briefs indexed; ``entries`` for the list
    (all of them at the first, then those indexed since the last)."""

    def __init__(self, done: int, total: int, entries: list[DocEntry]) -> None:
        super().__init__()
        self.done, self.total, self.entries = done, total, entries


class BriefingApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "briefing"
    # Below NARROW columns the screen gets the class -narrow and the sidebar collapses.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    COMMANDS = App.COMMANDS | {BriefingCommands}
    # The sub-title is the open brief's title, shown by the TitleBar (which watches it). App's
    # own reactive repaints the whole screen on every change: ~30 ms of every brief switch.
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("slash", "find", "Find", id="app.find"),
        Binding("escape", "back", "Back", id="app.back", show=False),
        Binding("t", "toggle_facts", "Facts", id="app.toggle_facts"),
        Binding("c", "clear_filter", "Clear filter", id="app.clear_filter"),
        Binding("e", "export", "Export", id="app.export"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.commands", show=False),
    ]

    def get_theme(self, theme_name: str):
        """As App.get_theme, without copying every registered theme into a new dict first: the
        renderer asks for the current theme for each line it draws (~200 per brief switch)."""
        registered = getattr(self, "_registered_themes", None)
        if not isinstance(registered, dict):
            return super().get_theme(theme_name)
        for name in theme_name.split(","):
            theme = registered.get(name.strip())
            if theme is not None:
                return theme
        return None

    def __init__(self, paths: list[Path], follow_symlinks: bool = False) -> None:
        super().__init__()
        # Absolute roots: the index and the store key briefs by absolute path.
        self.paths = [Path(p).expanduser().resolve() for p in paths]
        self.roots = [str(p) for p in self.paths]
        self.follow_symlinks = follow_symlinks
        self._index = None
        self._stop = threading.Event()  # ends the watcher thread
        self.indexing: tuple[int, int] | None = None  # (done, total) while the index is built
        self._initial_total: int | None = None
        self._search_timer = None
        self.brief_cache: OrderedDict[str, object] = OrderedDict()
        self.current_path: str | None = None
        self.loaded = False
        self._partial_path: str | None = None  # the brief shown from its head while the rest parses
        self._store = None
        # The index and the store each open once, whichever thread asks first.
        self._index_lock, self._store_lock = threading.Lock(), threading.Lock()
        self._prefetch_timer = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static(id="list-header")
                yield DocList(id="doc-list")
            with Vertical(id="centre"):
                # "-starting": no scrollbars until something is shown, fewer lines in the first
                # frame (set here, not on mount, where it would restyle the whole screen).
                yield ReadingPane(id="pane", classes="-starting")
            yield FactsPanel(id="facts", classes="-starting")
        yield Footer()

    def on_mount(self) -> None:
        from briefing.paths import load_keymap

        keymap, problem = load_keymap()
        if keymap:
            self.set_keymap(keymap)
        if problem:
            self.tell(problem, severity="warning", timeout=8)
        doc_list = self.query_one(DocList)
        doc_list.set_entries(self._initial_entries(), total_hint=self._initial_total)
        self._update_list_header()
        self.query_one(ReadingPane).show_message([("Loading briefs…", "pane--message")])
        self.query_one(FactsPanel).show_nothing("Key facts appear here")
        doc_list.focus()
        if doc_list.current_entry is not None:
            self.current_path = doc_list.current_entry.path
        # Parse after the first frame is on screen, so start-up costs no more than Textual's own;
        # but of a large first brief, the head is parsed now and is in the first frame.
        if self._first_is_large():
            self._show_head_now(self.current_path)
        self.call_after_refresh(self._first_frame_shown)
        self.call_after_refresh(self.load_briefs)

    def _first_frame_shown(self) -> None:
        # What start-up allocated (modules, styles, widgets) lives as long as the app: frozen,
        # the collector never walks it again. The command line turned collection off until now.
        gc.freeze()
        gc.enable()

    def _first_is_large(self) -> bool:
        from briefing.session.progressive import HEAD_THRESHOLD

        try:
            return self.current_path is not None and Path(self.current_path).stat().st_size > HEAD_THRESHOLD
        except OSError:
            return False

    def _show_head_now(self, path: str) -> None:
        """Read the head of a large brief on this thread and show it in the first frame, without
        the parser and pydantic (their import alone would delay that frame by ~0.1 s); the
        worker parses the whole brief and checks it."""
        from briefing.core.limits import MAX_BRIEF_BYTES
        from briefing.session.progressive import read_head

        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_BRIEF_BYTES + 1)
        except OSError:
            return  # the worker reports it
        if len(data) <= MAX_BRIEF_BYTES:
            head = read_head(data, path)
            if head is not None:
                self._brief_ready(path, head, True)

    def _initial_entries(self) -> list[DocEntry]:
        """What the first frame lists: last session's index when there is one (10,000 rows
        in tens of milliseconds, no parsing), else a peek at the files of a small folder."""
        from briefing.paths import data_dir

        files = self._quick_files()
        if files is not None:
            return [peek_entry(p) for p in files]  # a small folder: cheaper than opening SQLite
        if (data_dir() / "index.db").exists():
            try:
                # The first frame needs the first rows and the count; the rest follows.
                rows = self.index.entries(self.roots, order="-published", limit=FIRST_ROWS)
                self._initial_total = self.index.count(self.roots) if len(rows) == FIRST_ROWS else None
                return [entry_from_index(e) for e in rows]
            except Exception:  # a damaged index is rebuilt by the loader; paint without it
                pass
        return []

    def _quick_files(self) -> list[Path] | None:
        """Brief files found cheaply for the first paint (folders searched recursively),
        or None when there are more than PEEK_LIMIT: then the index lists them."""
        out: list[Path] = []
        stack = [p for p in self.paths]
        while stack:
            p = stack.pop()
            if not p.is_dir():
                out.append(p)
                continue
            try:
                children = sorted(os.scandir(p), key=lambda d: d.name)
            except OSError:
                continue
            for child in children:
                if child.name.startswith("."):
                    continue
                if child.is_dir(follow_symlinks=self.follow_symlinks):
                    stack.append(Path(child.path))
                elif child.name.lower().endswith((".md", ".markdown")):
                    if child.is_symlink() and self._leads_outside(child.path):
                        continue  # never listed, never read (the index reports it)
                    out.append(Path(child.path))
                    if len(out) > PEEK_LIMIT:
                        return None
        return out

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="load")
    def load_briefs(self) -> None:
        """Open the highlighted brief first, then bring the index up to date, then watch."""
        from briefing.core.problems import BriefError

        first = self.current_path
        if first is not None:
            try:
                self._parse_progressively(first)
            except BriefError as exc:
                self.call_from_thread(self._show_problems, first, exc.problems)
        self.store  # open the highlights database off the UI thread
        if self._initial_total is not None:  # a warm start showed the first rows: now all of them
            rows = self._entries_from_index()
            self.call_from_thread(self.query_one(DocList).set_entries, rows)
            self.call_from_thread(self._update_list_header)
        read = self._read_keys()
        came: list[DocEntry] = []  # indexed since the last update of the list
        last = [0.0]

        def progress(done: int, total: int, entry) -> None:
            # On this thread, which runs the indexing: nothing here waits for the UI thread (a
            # blocking call_from_thread stalled the indexing a third of the time). The list
            # gets what the index holds at the start (with a large new folder, every brief
            # from a quick look, as pending), then the briefs indexed since, a few times a second.
            if entry is not None:
                came.append(entry_from_index(entry, read=entry.key in read))
            now = time.monotonic()
            if done == 0 or done >= total or now - last[0] > 0.3:
                last[0] = now
                updates = (self._entries_from_index(read) if total else []) if done == 0 else came[:]
                came.clear()
                self.post_message(IndexProgress(done, total, updates))

        try:
            stats = self.index.refresh(self.roots, self.follow_symlinks, progress=progress, cancel=self._stop)
        except Exception as exc:  # the list still works from what was found; say why
            self.tell(f"Indexing failed: {_said(exc)}", severity="error", timeout=10)
            stats = None
        if self._stop.is_set():
            return
        entries = self._entries_from_index()
        self.call_from_thread(self._entries_loaded, entries, stats)
        self._watch()

    def _read_keys(self) -> set[str]:
        from briefing.store import StoreError

        try:
            return self.store.read_keys()
        except StoreError:
            return set()

    def _entries_from_index(self, read: set[str] | None = None) -> list[DocEntry]:
        # The index keys a brief by its resolved path, as the store does: no brief_key() per
        # entry (resolving 10,000 paths costs ~0.7 s, and this runs while indexing).
        if read is None:
            read = self._read_keys()
        return [entry_from_index(e, read=e.key in read) for e in self.index.entries(self.roots)]

    @property
    def index(self):
        """The corpus index (SQLite, full text), opened on first use."""
        if self._index is not None:  # asked at every search: no lock once it is open
            return self._index

        def open_index():
            from briefing.index import Index

            index = Index.open()
            return index, index.notices

        return self._open_once("_index", self._index_lock, open_index)

    def _open_once(self, attr: str, lock: threading.Lock, open_):
        """The object in ``attr``, made by ``open_`` (object, messages) the first time. The loader
        thread and the UI thread both ask at start-up: two stores opened at the same moment
        could leave the app writing highlights to an in-memory fallback, lost on quit."""
        messages = ()
        with lock:
            if getattr(self, attr) is None:
                opened, messages = open_()
                setattr(self, attr, opened)
        # Told outside the lock: from the loader thread, notifying waits for the UI thread.
        for message in messages:
            self.tell(message, severity="warning", timeout=10)
        return getattr(self, attr)

    def tell(self, message: str, **kwargs) -> None:
        """A message for the user, from any thread. Always plain text, never markup: what it
        says may hold a brief's words (a fact's label, a file name, an error about a file)."""
        if threading.current_thread() is threading.main_thread():
            self.notify(message, markup=False, **kwargs)
        else:
            self.call_from_thread(self.notify, message, markup=False, **kwargs)

    @on(DocList.Sorted)
    def _list_sorted(self) -> None:
        self._update_list_header()

    @on(IndexProgress)
    def _index_progress(self, event: IndexProgress) -> None:
        if self.loaded:  # the loader has set the whole list already; this one came late
            return
        done, total = event.done, event.total
        self.indexing = (done, total) if total and done < total else None
        doc_list = self.query_one(DocList)
        if self.indexing is not None and event.entries:
            # Briefs appear in the list as they are indexed. Only add and update here: what
            # the index has not committed yet must not vanish from the list meanwhile.
            doc_list.apply_changes(event.entries, set())
            if doc_list.query_filter:
                self._apply_list_query(doc_list.query_filter, quiet=True)
        self._update_list_header()

    def _entries_loaded(self, entries: list[DocEntry], stats=None) -> None:
        self.indexing = None
        doc_list = self.query_one(DocList)
        doc_list.set_entries(entries)
        # Thousands of list entries (and the modules) live for the whole session: keep them out
        # of the cyclic collector's full passes, which otherwise pause a key press at random.
        gc.freeze()
        self.loaded = True
        if doc_list.query_filter:
            self._apply_list_query(doc_list.query_filter, quiet=True)
        self._update_list_header()
        if stats is not None and stats.missing_roots:
            self.tell("Not found: " + ", ".join(stats.missing_roots), severity="warning", timeout=8)
        if not entries:
            self.current_path = None
            self._started()
            self.query_one(ReadingPane).show_message([
                ("No briefs here.", "pane--message"),
                ("", "pane--message"),
                ("Open a folder of .md briefs: briefing PATH", "pane--message"),
            ])
            self.query_one(FactsPanel).show_nothing()
            return
        entry = doc_list.current_entry
        if entry is not None and entry.path != self.current_path:
            self.open_entry(entry)

    # ------------------------------------------------------------------ live updates

    @work(thread=True, exclusive=True, group="watch")
    def _watch(self) -> None:
        """Follow the folders: added, changed and removed briefs show up within a second."""
        from briefing.index.watch import follow

        def changed(changes) -> None:
            if not self._stop.is_set():
                self.call_from_thread(self._apply_changes, changes)

        try:
            follow(self.index, self.roots, self._stop, changed)
        except Exception as exc:  # e.g. too many folders to watch: the reader goes on without
            if not self._stop.is_set():
                self.tell(f"Live updates are off: {_said(exc)}", severity="warning", timeout=8)

    def _apply_changes(self, changes) -> None:
        from briefing.store import StoreError

        try:
            read = self.store.read_keys()
        except StoreError:
            read = set()
        updated, removed = [], set()
        for change in changes:
            path = str(change.path)
            self.brief_cache.pop(path, None)
            if change.kind == "removed" or change.entry is None:
                removed.add(path)
            else:
                updated.append(entry_from_index(change.entry, read=path in read))
        doc_list = self.query_one(DocList)
        doc_list.apply_changes(updated, removed)
        if doc_list.query_filter:
            self._apply_list_query(doc_list.query_filter, quiet=True)
        self._update_list_header()
        current = self.current_path
        if current in removed:
            from briefing.core.sanitize import terminal_line

            self.query_one(ReadingPane).show_message([
                ("This brief was removed or renamed on disk.", "pane--error"),
                ("", "pane--message"),
                (terminal_line(current), "pane--message"),
            ])
            self.query_one(FactsPanel).show_nothing()
        elif current is not None and any(e.path == current for e in updated):
            pane = self.query_one(ReadingPane)
            where = pane.cursor_range[0] if pane.brief is not None and pane.cursor_range else 0
            self._load_one(current, where)  # reread, keeping the reading position

    def on_unmount(self) -> None:
        self._stop.set()

    @property
    def store(self):
        """The highlights and reading-state database, opened on first use."""
        if self._store is not None:  # asked at every highlight and move: no lock once it is open
            return self._store

        def open_store():
            from briefing.store import Store

            store = Store.open()
            return store, [store.problem] if store.problem else []

        return self._open_once("_store", self._store_lock, open_store)

    def stored(self, what: str, method: str, *args, default=None):
        """Call a Store method; a locked or failing database is reported, never a crash."""
        from briefing.store import StoreError

        try:
            return getattr(self.store, method)(*args)
        except StoreError as exc:
            self.tell(f"Could not {what}: {_said(exc)}", severity="error", timeout=8)
            return default

    def _parse_progressively(self, path: str, position: int | None = None):
        """Parse in this (worker) thread; a large brief shows its head before the whole (the
        same light read of the head as in the first frame, see _show_head_now)."""
        from briefing.core.parser import parse_brief, read_brief_bytes
        from briefing.session.progressive import HEAD_THRESHOLD, read_head

        data = read_brief_bytes(path)
        if len(data) > HEAD_THRESHOLD and self._partial_path != path:
            head = read_head(data, path)
            if head is not None:
                self.call_from_thread(self._brief_ready, path, head, True, position)
        brief = parse_brief(data, path)
        self.store  # opened here, off the UI thread: showing the brief reads its reading position
        self.call_from_thread(self._brief_ready, path, brief, False, position)
        return brief

    def _remember(self, path: str, brief) -> None:
        self.brief_cache[path] = brief
        self.brief_cache.move_to_end(path)
        while len(self.brief_cache) > 64:
            self.brief_cache.popitem(last=False)

    @work(thread=True, exclusive=True, group="open")
    def _load_one(self, path: str, position: int | None = None) -> None:
        from briefing.core.problems import BriefError

        try:
            self._parse_progressively(path, position)
        except BriefError as exc:
            self.call_from_thread(self._show_problems, path, exc.problems)

    def _brief_ready(self, path: str, brief, partial: bool = False, position: int | None = None) -> None:
        if not partial:
            self._remember(path, brief)
        if self.current_path != path:
            return
        pane = self.query_one(ReadingPane)
        if partial:
            self._partial_path = path
            self._show_brief(brief, position or 0)
            self.tell(f"Loading the rest of this {_size(path)} brief…", timeout=2)
        elif self._partial_path == path and pane.brief is not None and pane.brief.path == path:
            self._partial_path = None
            self._show_brief(brief, position=pane.top_offset() or 0)
        else:
            self._show_brief(brief, position or 0)

    # ------------------------------------------------------------------ opening

    def open_entry(self, entry: DocEntry) -> None:
        self._save_position(later=True)
        self.current_path = entry.path
        if self._leads_outside(entry.path):
            from briefing.core.problems import Problem

            self._show_problems(entry.path, [Problem(path=entry.path, message=(
                "symlink leads outside the opened folders (not followed; use --follow-symlinks)"))])
            return
        if entry.parsed and not entry.ok and self._index is not None:
            # The index refused this file (a symlink leading outside, a name that is not UTF-8,
            # a broken brief): show why, and do not open what it would not.
            problems = self.index.problems_for(entry.path)
            if problems:
                self._show_problems(entry.path, problems)
                return
        brief = self.brief_cache.get(entry.path)
        if brief is not None:
            self._show_brief(brief)
        elif self.parser_ready and _small(entry.path):
            self._open_now(entry.path)  # a few milliseconds: a thread would only add latency
        else:
            self._load_one(entry.path)

    def _leads_outside(self, path: str) -> bool:
        """A symlink whose target lies outside every opened folder (not followed unless asked)."""
        if self.follow_symlinks or not os.path.islink(path):
            return False
        try:
            target = Path(path).resolve()
        except (OSError, RuntimeError):
            return True
        return not any(target == root or target.is_relative_to(root) for root in self.paths)

    @property
    def parser_ready(self) -> bool:
        """True once the parser (and pydantic) are imported: never pay that on the UI thread."""
        import sys

        return "briefing.core.parser" in sys.modules

    def _open_now(self, path: str) -> None:
        from briefing.core.parser import load_brief
        from briefing.core.problems import BriefError

        try:
            brief = load_brief(path)
        except BriefError as exc:
            self._show_problems(path, exc.problems)
            return
        self._remember(path, brief)
        self._show_brief(brief)

    def _started(self) -> None:
        try:
            for widget in (self.query_one(ReadingPane), self.query_one(FactsPanel)):
                widget.remove_class("-starting")
        except NoMatches:  # a dialog is on top: the classes go when it closes and a brief shows
            pass

    def _show_brief(self, brief, position: int = 0) -> None:
        self._started()
        self.sub_title = brief.meta.title
        if not position and self._partial_path != brief.path:
            position = self.stored("read the reading position", "get_state", brief.path, default=(False, 0))[1]
            if position > len(brief.text):
                position = 0
        self.query_one(ReadingPane).show_brief(brief, position)
        self._refresh_highlights(brief)
        find = self._input("find")
        if find is not None and find.display and find.value:
            self.query_one(ReadingPane).find(find.value)

    def _show_problems(self, path: str, problems) -> None:
        """A brief that does not load: its errors (file, line, column, message), never a crash."""
        self._started()
        if self.current_path != path:
            return
        from briefing.core.sanitize import terminal_line

        errors = [p for p in problems if p.severity == "error"] or problems
        # A file name is brief text too: an ESC or a bidi override in it must not reach the terminal.
        self.sub_title = terminal_line(Path(path).name)
        lines = [(f"This brief has {len(errors)} problem{'s' if len(errors) != 1 else ''} and cannot be shown:", "pane--error"),
                 ("", "pane--message"), (terminal_line(path), "pane--message"), ("", "pane--message")]
        # The path once above, then LINE:COL: severity: message (a long path would push them off screen).
        lines += [(terminal_line(f"{p.line}:{p.col}: {p.severity}: {p.message}"), "pane--message") for p in problems]
        lines += [("", "pane--message"),
                  (f"Fix the file, then check it with: briefing validate {terminal_line(path)}", "pane--message")]
        self.query_one(ReadingPane).show_message(lines)
        self.query_one(FactsPanel).show_nothing("No facts: the brief did not load")

    def list_moved(self, entry: DocEntry) -> None:
        """The list's cursor is on ``entry`` (called by the list, inside the key press)."""
        if entry.path != self.current_path:
            self.open_entry(entry)
            # A moment later: a parse in a thread now would hold the GIL while Textual's
            # writer thread sends this very frame to the terminal.
            if self._prefetch_timer is not None:
                self._prefetch_timer.stop()
            self._prefetch_timer = self.set_timer(PREFETCH_DELAY, self._prefetch_neighbours)

    def _prefetch_neighbours(self) -> None:
        """Parse the briefs above and below the list's cursor once the screen is painted: the
        next j or k then opens from memory (parsing and the facts are most of a switch)."""
        try:
            doc_list = self.query_one(DocList)
        except NoMatches:  # a dialog is on top, or the app is closing
            return
        i = doc_list.highlighted
        if i is None or not self.parser_ready:
            return
        near = [doc_list.shown[j] for j in (i + 1, i - 1) if 0 <= j < len(doc_list.shown)]
        paths = [e.path for e in near if e.ok and e.path not in self.brief_cache and _small(e.path)]
        if paths:
            self._prefetch(paths)

    @work(thread=True, exclusive=True, group="prefetch")
    def _prefetch(self, paths: list[str]) -> None:
        from textual.worker import get_current_worker

        from briefing.core.parser import load_brief
        from briefing.core.problems import BriefError

        worker = get_current_worker()
        for path in paths:
            if worker.is_cancelled:
                return
            try:
                st = os.stat(path)
                brief = load_brief(path)
                brief.facts  # noqa: B018  (computed now, off the UI thread)
            except (BriefError, OSError):
                continue  # opening it reports the problem
            self.call_from_thread(self._prefetched, path, brief, (st.st_mtime_ns, st.st_size))

    def _prefetched(self, path: str, brief, stamp: tuple[int, int]) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        if (st.st_mtime_ns, st.st_size) == stamp and path not in self.brief_cache:  # not changed since
            self._remember(path, brief)

    def open_selected(self, entry: DocEntry) -> None:
        """``enter`` (or a click) on the list: open the brief and move to the reading pane."""
        if entry.path != self.current_path:
            self.open_entry(entry)
        if entry.parsed and not entry.read:
            self._set_read(entry, True)
        self.screen.set_focus(self.query_one(ReadingPane))

    def _set_read(self, entry: DocEntry, read: bool) -> None:
        self.stored("save the read mark", "set_read", entry.path, read)
        entry.read = read
        doc_list = self.query_one(DocList)
        doc_list.update_entry(entry)

    def action_toggle_read(self) -> None:
        entry = self.query_one(DocList).current_entry
        if entry is not None and entry.parsed:
            self._set_read(entry, not entry.read)

    def _save_position(self, later: bool = False) -> None:
        """Store where the reader is in the open brief; ``later``: once the screen is painted
        (switching briefs, the write waits for the new brief's frame)."""
        pane = self.query_one(ReadingPane)
        if pane.brief is not None and pane.brief.path == self.current_path and self._partial_path is None:
            rng = pane.cursor_range
            if rng is not None:
                args = ("save the reading position", "set_position", pane.brief.path, rng[0])
                self.call_after_refresh(self.stored, *args) if later else self.stored(*args)

    async def action_quit(self) -> None:
        self._save_position()
        self.exit()

    # ------------------------------------------------------------------ highlights

    def _refresh_highlights(self, brief) -> list:
        if self._partial_path == brief.path:  # the head of a large brief: facts come with the whole
            self.query_one(ReadingPane).set_highlights([])
            self.query_one(FactsPanel).show_nothing("Reading the whole brief…")
            return []
        highlights = self.stored("load the highlights", "highlights", brief, default=[])
        self.query_one(ReadingPane).set_highlights(highlights)
        self.query_one(FactsPanel).show_facts(brief, highlights)
        return highlights

    def _pane_brief(self):
        pane = self.query_one(ReadingPane)
        if pane.brief is None:
            self.notify("Open a brief first", severity="warning", timeout=2)
            return pane, None
        if self._partial_path == pane.brief.path:
            self.notify("Still loading this brief…", timeout=2)
            return pane, None
        return pane, pane.brief

    def action_highlight(self) -> None:
        """``h``: highlight the selection, or toggle the highlight on the cursor sentence."""
        pane, brief = self._pane_brief()
        if brief is None:
            return
        selection = pane.selection
        if selection is not None:
            self.stored("save the highlight", "toggle_highlight", brief, *selection)
            pane.clear_selection()
        else:
            existing = pane.highlight_at_cursor()
            if existing is not None:
                self.stored("remove the highlight", "remove_highlight", existing.id)
                self.notify("Highlight removed", timeout=2)
            elif pane.cursor_range is not None:
                self.stored("save the highlight", "add_highlight", brief, *pane.cursor_range)
        self._refresh_highlights(brief)

    def action_note(self) -> None:
        """``a``: add or edit the note of the highlight under the cursor (highlighting it first)."""
        from briefing.ui.screens.note import NoteScreen

        pane, brief = self._pane_brief()
        if brief is None:
            return
        highlight = pane.highlight_at_cursor()
        if highlight is None:
            rng = pane.selection or pane.cursor_range
            if rng is None:
                return
            highlight = self.stored("save the highlight", "add_highlight", brief, *rng)
            if highlight is None:
                return
            pane.clear_selection()
            self._refresh_highlights(brief)

        def save(note: str | None) -> None:
            if note is not None:
                self.stored("save the note", "set_note", highlight.id, note)
                self._refresh_highlights(brief)

        self.push_screen(NoteScreen(highlight.exact, highlight.note), save)

    @on(FactsPanel.HighlightChosen)
    def _highlight_chosen(self, event: FactsPanel.HighlightChosen) -> None:
        h = event.highlight
        if h.orphan:
            self.notify("This passage is no longer in the brief; the highlight is kept with its quote.",
                        severity="warning", timeout=4, markup=False)
            return
        pane = self.query_one(ReadingPane)
        pane.jump_to(h.start)

    def action_export(self) -> None:
        from briefing.ui.screens.export import ExportScreen

        pane, brief = self._pane_brief()
        if brief is None:
            return
        count = len(pane.highlights)

        def chosen(request) -> None:
            if request is not None:
                self._export(brief, request)

        self.push_screen(ExportScreen(brief.meta.title, Path.cwd(), count), chosen)

    def _export(self, brief, request, force: bool = False) -> None:
        from briefing.atomic import write_atomic
        from briefing.export import export
        from briefing.ui.screens.confirm import ConfirmScreen

        if request.path.exists() and not force:
            def answer(ok: bool | None) -> None:
                if ok:
                    self._export(brief, request, force=True)

            self.push_screen(ConfirmScreen("Replace the existing file?", str(request.path), yes="Replace", no="Keep it"), answer)
            return
        try:
            text = export(brief, self.stored("load the highlights", "highlights", brief, default=[]), request.fmt, request.highlights_only)
            written = write_atomic(request.path, text, force=force)
        except (OSError, ValueError) as exc:
            self.tell(f"Export failed: {_said(exc)}", severity="error", timeout=8)
            return
        from briefing.core.sanitize import terminal_line

        self.tell(f"Exported to {terminal_line(str(written))}", timeout=5)

    # ------------------------------------------------------------------ facts

    @on(FactsPanel.FactChosen)
    def _fact_chosen(self, event: FactsPanel.FactChosen) -> None:
        pane = self.query_one(ReadingPane)
        spans = list(event.fact.spans)
        if not spans:
            self.notify("This fact is declared but never mentioned in the text", timeout=3)
            return
        if sorted(spans) == pane.fact_spans:
            index = (pane.fact_index + 1) % len(spans)  # pressing again cycles
        else:
            index = 0
        pane.set_fact(spans, index)
        self.tell(f"{event.fact.label}: mention {index + 1} of {len(spans)}", timeout=2)

    def action_filter_by_fact(self) -> None:
        """Add the fact under the sidebar cursor to the list's filters (they combine)."""
        from briefing.index.query import fact_term

        fact = self.query_one(FactsPanel).current_fact
        if fact is None:
            self.notify("Select a fact in the sidebar first", severity="warning", timeout=3)
            return
        term = fact_term(fact.type, fact.value if fact.type == "date" else fact.name)
        current = self.query_one(DocList).query_filter
        if term not in current:
            self._apply_list_query(f"{current} {term}".strip())
        shown = len(self.query_one(DocList).shown)
        self.tell(f"{shown} brief(s) mention {fact.label}", timeout=3)

    def action_clear_filter(self) -> None:
        self._apply_list_query("")
        search = self._input("search")
        if search is not None:
            search.value = ""
            search.display = False

    def _apply_list_query(self, line: str, quiet: bool = False) -> None:
        """Run the list's search line against the index: ranked full-text hits, or the
        briefs that pass the filters (tag:, TYPE:, from:, to:), or everything."""
        from briefing.index.query import parse_list_query

        doc_list = self.query_one(DocList)
        doc_list.query_filter = line
        query = parse_list_query(line)
        try:
            if not query:
                doc_list.set_filter()
            elif query.text:
                hits = self.index.search(query.text, self.roots, limit=SEARCH_LIMIT, **query.filters)
                matches = (len(hits) if len(hits) < SEARCH_LIMIT
                           else self.index.count(self.roots, query=query.text, **query.filters))
                doc_list.set_filter(hits=hits, matches=matches)
            else:
                rows = self.index.entries(self.roots, **query.filters)
                doc_list.set_filter(allowed={str(e.path) for e in rows})
        except Exception as exc:  # a query the index cannot run: say so, keep the list
            if not quiet:
                self.tell(f"Search failed: {_said(exc)}", severity="error", timeout=5)
            return
        if query.problems and not quiet:
            self.tell("; ".join(query.problems), severity="warning", timeout=4)
        self._update_list_header()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "export":
            return self.query_one(ReadingPane).brief is not None
        if action == "clear_filter":
            return bool(self.query_one(DocList).query_filter)
        return True

    def _update_list_header(self) -> None:
        doc_list = self.query_one(DocList)
        header = self.query_one("#list-header", Static)
        text = doc_list.describe()
        if self.indexing is not None:
            done, total = self.indexing
            counts = f" {done:,}/{total:,}"
            # The bar takes what the counts leave of the header's line (the counts matter more).
            room = (header.content_region.width or 30) - len("Indexing ") - len(counts)
            width = max(3, min(10, room))
            filled = round(width * done / total)
            text = Text(f"Indexing {'█' * filled}{'░' * (width - filled)}{counts}")
        elif not self.loaded and not doc_list.entries:
            text = Text("Looking for briefs…")  # a first start on a large folder: nothing counted yet
        header.update(text)
        self.refresh_bindings()

    # ------------------------------------------------------------------ find

    # The two search lines are mounted on first use: every widget in the first frame costs
    # start-up time, and most sessions never search.
    SEARCH_PLACEHOLDER = 'Search: words tag:x leader:"Name" from:2023 to:2024-06'
    FIND_PLACEHOLDER = "Find in brief (enter: go, n/N: next/previous, esc: close)"

    def _input(self, name: str) -> Input | None:
        try:
            return self.query_one(f"#{name}", Input)
        except NoMatches:
            return None

    async def _open_input(self, name: str) -> Input:
        widget = self._input(name)
        if widget is None:
            if name == "search":
                widget = Input(id="search", placeholder=self.SEARCH_PLACEHOLDER)
                await self.query_one("#left").mount(widget, after="#list-header")
            else:
                widget = Input(id="find", placeholder=self.FIND_PLACEHOLDER)
                await self.query_one("#centre").mount(widget)
        widget.display = True
        widget.focus()
        return widget

    async def action_find(self) -> None:
        """``/``: in the list, search every brief; elsewhere, find in the open brief."""
        search = self._input("search")
        if self.focused is self.query_one(DocList) or (search is not None and self.focused is search):
            search = await self._open_input("search")
            search.value = self.query_one(DocList).query_filter
            return
        find = await self._open_input("find")
        find.value = self.query_one(ReadingPane).find_query

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        # Search when typing pauses, not at every key: each search is a query of the index.
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self._search_after_pause(value))

    def _search_after_pause(self, value: str) -> None:
        try:
            self._apply_list_query(value, quiet=True)
        except NoMatches:  # the app is closing (its widgets are gone): nothing to filter
            pass

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_list_query(event.value)
        event.input.display = bool(event.value)
        self.query_one(DocList).focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        self.query_one(ReadingPane).find(event.value)

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.input.display = False
        pane = self.query_one(ReadingPane)
        pane.focus()
        if event.value and not pane.find_matches:
            self.notify("No match", severity="warning", timeout=2, markup=False)

    def action_back(self) -> None:
        if self.query_one(ReadingPane).clear_selection():
            return
        search = self._input("search")
        if search is not None and search.has_focus:  # escape in the search line clears the search
            search.value = ""
            search.display = False
            self._apply_list_query("")
            self.query_one(DocList).focus()
            return
        find = self._input("find")
        if find is not None and find.display and find.has_focus:
            find.display = False
            self.query_one(ReadingPane).find("")
            self.query_one(ReadingPane).focus()
            return
        self.query_one(DocList).focus()

    # ------------------------------------------------------------------ other actions

    def action_toggle_facts(self) -> None:
        self.screen.toggle_class("-show-facts" if self.screen.has_class("-narrow") else "-hide-facts")

    def action_help(self) -> None:
        from briefing.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.key_sections()))

    def key_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every binding by region, with the keys currently bound (after any remapping)."""
        regions = [
            ("Everywhere", self),
            ("Document list", self.query_one(DocList)),
            ("Reading pane", self.query_one(ReadingPane)),
            ("Key facts", self.query_one(FactsPanel)),
        ]
        sections = []
        for title, node in regions:
            rows: dict[str, list[str]] = {}  # action -> keys, in binding order
            labels: dict[str, str] = {}
            bindings_map = node._bindings.copy()
            if self._keymap:
                bindings_map.apply_keymap(self._keymap)  # as Textual does when it looks a key up
            for key, bindings in bindings_map.key_to_bindings.items():
                for b in bindings:
                    if b.action in HIDDEN_IN_HELP or not b.description:
                        continue
                    labels.setdefault(b.action, b.description)
                    keys = rows.setdefault(b.action, [])
                    if key not in keys:
                        keys.append(key)
            sections.append((title, [(",".join(keys), labels[action]) for action, keys in rows.items()]))
        sections[0][1].insert(0, ("tab,shift+tab", "Move between list, reading pane and facts"))
        return sections

    @on(ReadingPane.LinkClicked)
    def _link_clicked(self, event: ReadingPane.LinkClicked) -> None:
        from briefing.ui.screens.confirm import ConfirmScreen

        url = event.url
        if not url.lower().startswith(("http://", "https://", "mailto:")):
            self.notify("Only http, https and mailto links can be opened", severity="warning", timeout=3)
            return

        def answer(ok: bool | None) -> None:
            if ok:
                self.open_url(url)

        self.push_screen(ConfirmScreen("Open this link in your browser?", url, yes="Open", no="Cancel"), answer)

    # ------------------------------------------------------------------ for the command palette

    def open_path(self, path: str) -> None:
        doc_list = self.query_one(DocList)
        doc_list.select_path(path)
        entry = doc_list.current_entry
        if entry is not None and entry.path == path:
            self.open_entry(entry)
            self.query_one(ReadingPane).focus()


def _said(exc: BaseException) -> str:
    """An error's text for a notification: it can quote a path or a typed query, so it is
    made inert like any text of a brief (and it is never read as markup)."""
    from briefing.core.sanitize import terminal_line

    return terminal_line(str(exc))


def _small(path: str, limit: int = 64 * 1024) -> bool:
    try:
        return os.stat(path).st_size <= limit
    except OSError:
        return False


def _size(path: str) -> str:
    try:
        return f"{Path(path).stat().st_size / 1048576:.1f} MB"
    except OSError:
        return "large"


def create_app(paths: list[Path] | None = None, follow_symlinks: bool = False) -> BriefingApp:
    from briefing.paths import default_brief_paths

    return BriefingApp(list(paths) if paths else default_brief_paths(), follow_symlinks=follow_symlinks)


def run_reader(paths: list[Path], follow_symlinks: bool = False) -> int:
    create_app(paths, follow_symlinks).run()
    return 0
