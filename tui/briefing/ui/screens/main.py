"""The main screen: document list (left), reading pane (centre), key facts (right).

It composes the widgets and opens the brief the list's cursor is on. Start-up is a feature:
the first frame paints from last session's index (SQLite, no parsing), or on a first run
from a cheap peek at each file's front matter, with the newest brief as the last start kept
it (no parser); when nothing was kept, that one small brief is parsed before the first frame,
else the parser (with pydantic) is imported and run in threads only after that first paint.

Its parts, each a mixin in a module of its own: ``main_loading`` (the workers that open
briefs, index, follow the folders and prefetch, and the handlers of what they post; the
threading rules are there), ``main_search`` (search, find and filter keys),
``main_annotate`` (highlights, notes, export, the facts' keys), ``main_review`` (reviewing a
draft) and ``main_views`` (the views across briefs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import gc

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from briefing.core.entry import Entry
from briefing.session.drafts import is_raw
from briefing.session.library import Library, small
from briefing.ui._textual_compat import hold_frame
from briefing.ui.screens.main_annotate import Annotating
from briefing.ui.screens.main_loading import Loading
from briefing.ui.screens.main_review import Reviewing
from briefing.ui.screens.main_search import ListSearch
from briefing.ui.screens.main_views import Views
from briefing.ui.threads import OPEN_WAIT, within
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.facts_panel import FactsPanel
from briefing.ui.widgets.list_column import ListColumn
from briefing.ui.widgets.reading_pane import ReadingPane
from briefing.ui.widgets.selection_line import SelectionLine
from briefing.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from briefing.core.model import Brief
    from briefing.session.shapes import ShownBrief

PREFETCH_DELAY = 0.08  # seconds after a brief is shown before its neighbours are parsed
FRAME_HOLD = 0.004  # seconds: the widgets of a brief switch report their changes within it
LOADER_DELAY = 0.1  # seconds after a readable first frame before the loader starts


class MainScreen(Loading, ListSearch, Annotating, Views, Reviewing):
    """The reader's one screen. ``session`` is the open library it shows."""

    def __init__(self, session: Library) -> None:
        super().__init__()
        self.session = session
        self.indexing: tuple[int, int] | None = None  # (done, total) while the index is built
        self.current_path: str | None = None  # the brief the list's cursor is on
        self.loaded = False  # the index is up to date and the list holds every brief
        self._partial_path: str | None = None  # the brief shown from its head while the rest parses
        self._kept_path: str | None = None  # ... or from the first screen the last start kept
        self._parsed_first = False  # ... or parsed before the first frame: nothing was kept
        self._initial_total: int | None = None
        self._prefetch_timer = None
        self._noticed: str | None = None  # the brief whose draft notice was shown last
        self._parsing: set[str] = set()  # small briefs still parsing after the UI stopped waiting
        self._listing_first = False  # the first frame's entries are being listed (on_mount)
        self._first_refused = False  # the list's first brief is one not to open (its problems shown)
        self._first_stamp: tuple[int, int] | None = None  # the first brief's file as it was parsed for the first frame
        self._kept_brief = None  # the brief the first frame shows (kept from the last start, or parsed for it)
        self._first_parse = None  # (path, future) of the first frame's parse when it took longer
        self._loading_path: str | None = None  # the brief "Loading briefs…" stands for (nothing of it shown yet)
        self._first_path: str | None = None  # the list's first brief, the first frame's (on_mount)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # What the first frame shows is decided here, before the widgets are styled: the list
        # from last session's index or a peek at the files, and the newest brief as the last
        # start kept it, when it did (then no "-starting" class to remove once shown, which
        # would restyle the pane and the sidebar inside the first frame).
        from briefing.session.catalog import sort_entries

        entries, self._initial_total = self.session.initial_entries()
        first = sort_entries(entries, "date")[0].key if entries else None  # the list's first row
        kept = None
        if first is not None and not self.session.is_large(first):
            kept = self.session.first_screen(first)
            if kept is None and small(first) and not is_raw(first):
                # Nothing kept (the very first start, or the newest brief changed): parse it
                # now, so the first frame has its text and facts, not "Loading briefs…".
                from briefing.session.first_screen import stamp_of

                self._first_stamp = stamp_of(first)  # (before it is read: what is kept is what was parsed)
                kept = self._parse_now(first)
                self._parsed_first = kept is not None  # (kept for the next start by the loader)
        self._first_frame = (entries, kept)
        self._kept_brief = kept
        starting = "" if kept is not None else "-starting"
        self.list_header = Static(id="list-header")
        self.doc_list = DocList(id="doc-list", on_move=self.list_moved, on_select=self.open_selected)
        # "-starting": no scrollbars until something is shown, fewer lines in the first frame
        # (set here, not on mount, where it would restyle the whole screen).
        self.pane = ReadingPane(id="pane", classes=starting)
        self.facts = FactsPanel(id="facts", classes=starting)
        self.selection_line = SelectionLine(id="selection-line")
        yield TitleBar()
        with Horizontal(id="main"):
            with ListColumn(id="left", on_width=self._list_width_chosen):
                yield self.list_header
                yield self.doc_list
            with Vertical(id="centre"):
                yield self.selection_line
                yield self.pane
            yield self.facts
        yield Footer()

    def on_mount(self) -> None:
        self.apply_settings(self.app.preferences.settings)
        entries, kept = self._first_frame
        # The list's first highlight opens nothing: the brief of the first frame is shown below
        # (kept from the last start, or by the loader after the frame). Opened from the list, it
        # was parsed on a thread at once, whose imports held the GIL while the frame was drawn.
        self._listing_first = True
        try:
            self.doc_list.set_entries(entries, total_hint=self._initial_total)
        finally:
            self._listing_first = False
        self._update_list_header()
        self.doc_list.focus()
        if self.doc_list.current_entry is not None:
            self.current_path = self._first_path = self.doc_list.current_entry.key
        if kept is not None and kept.path == self.current_path:
            # The newest brief as the last start kept it (text and facts, no parser needed):
            # the first frame is one a person can read; the full parse replaces it.
            self._partial_path = self._kept_path = self.current_path
            self._show_brief(kept)
        elif self.doc_list.current_entry is not None and self._refused(self.doc_list.current_entry):
            self._first_refused = True  # (its problems are shown: the loader does not parse it)
        else:
            self.pane.show_message([("Loading briefs…", "pane--message")])
            self._loading_path = self.current_path
            self.facts.show_nothing("Key facts appear here")
            # Parse after the first frame is on screen, so start-up costs no more than Textual's
            # own; but of a large first brief, the head is parsed now and is in the first frame.
            if self.session.is_large(self.current_path):
                head = self.session.read_head_now(self.current_path)
                if head is not None:
                    self._brief_ready(self.current_path, head, partial=True)
        self.call_after_refresh(self._first_frame_shown)
        if kept is not None:
            # The first frame is one a person can read: let Textual's writer thread send it to
            # the terminal before the loader imports the parser (holding the GIL for ~0.1 s).
            self.set_timer(LOADER_DELAY, self._start_loading)
        else:
            self.call_after_refresh(self._start_loading)

    def _first_frame_shown(self) -> None:
        # What start-up allocated (modules, styles, widgets) lives as long as the app: frozen,
        # the collector never walks it again. The command line turned collection off until now.
        gc.freeze()
        gc.enable()

    def on_unmount(self) -> None:
        self.session.close()

    def _gone(self) -> bool:
        """True once this screen's widgets are leaving (the app is closing): a worker's result
        that arrives now has nothing to show it and is dropped."""
        return not self.pane.is_attached

    # ------------------------------------------------------------------ opening

    def open_entry(self, entry: Entry) -> None:
        session, path = self.session, entry.key
        self.save_position(later=True)
        if path != self._partial_path:
            # The brief shown from its head (or as the last start kept it) is left before its
            # full parse came: that parse, when it comes, is cached, and opens it whole.
            self._partial_path = self._kept_path = None
        self.current_path = path
        if self._refused(entry):
            return
        brief = session.brief_cache.get(path)
        if brief is not None:
            self._show_brief(brief)
        elif session.parser_ready and small(path) and not is_raw(path):  # a draft: in a worker
            self._open_now(path)  # a few milliseconds: a thread would only add latency
        else:
            self._load_one(path, None, self._partial_path == path)

    def _refused(self, entry: Entry) -> bool:
        """True, with why in the pane, when ``entry`` is not to be opened: a symlink leading
        outside the opened folders, or a file the index refused (a name that is not UTF-8, a
        broken brief)."""
        session, path = self.session, entry.key
        if session.leads_outside(path):
            from briefing.core.problems import Problem

            self._show_problems(path, [Problem(path=path, message=(
                "symlink leads outside the opened folders (not followed; use --follow-symlinks)"))])
            return True
        problems = session.problems_for(entry)
        if problems:
            self._show_problems(path, problems)
            return True
        return False

    def _open_now(self, path: str) -> None:
        brief = self.parsed_within(path, OPEN_WAIT)
        if brief is not None:
            self.session.remember(path, brief)
            self._show_brief(brief)

    def parsed_within(self, path: str, wait: float, position: int | None = None) -> Brief | None:
        """A small brief parsed on a thread while the UI waits at most ``wait`` seconds (an
        ordinary one takes a few milliseconds: it shows in this frame, with no worker's latency).
        None when it takes longer: it is posted when parsed (BriefLoaded, at ``position``), as a
        worker's is; or when it does not load: its problems are shown."""
        from briefing.core.problems import BriefError

        if path in self._parsing:  # asked again before its parse ended: it is posted when it does
            return None
        future = within(self.session.load_now, wait, path)
        if not future.done():
            self._parsing.add(path)  # (taken off by the handler of what _post_parsed posts)
            future.add_done_callback(lambda done: self._post_parsed(path, done, position))
            return None
        try:
            return future.result()
        except BriefError as exc:
            self.current_path = path
            self._show_problems(path, exc.problems)
            return None

    def _started(self) -> None:
        for widget in (self.pane, self.facts):
            if widget.has_class("-starting"):
                widget.remove_class("-starting")

    def _show_brief(self, brief: ShownBrief, position: int = 0, find_at: int | None = None) -> None:
        """Show ``brief`` in the pane and the sidebar; ``find_at``: a draft shown again after a
        review step, with a find on at that offset (``_refind``)."""
        self._started()
        self._loading_path = None
        self.app.sub_title = brief.meta.title
        asked = position
        if not position and self._partial_path != brief.path:
            position = self.session.stored("read the reading position", "get_state", brief.path, default=(False, 0))[1]
            if position > len(brief.text):
                position = 0
        brief = self.show_review(brief)  # the draft cue (before the sidebar is drawn: it marks draft facts)
        if self.pane.brief is not brief or brief.path not in self.session.drafts:
            self.pane.show_brief(brief, position)
        elif asked and not (self.pane.cursor_range and self.pane.cursor_range[0] <= asked < self.pane.cursor_range[1]):
            self.pane.jump_to(asked)  # (a view's row in the draft shown)
        # (else a draft's review state already shown, delivered again by a loader: the reader's
        # cursor and word selection stay where they are)
        self._refresh_highlights(brief)
        self._refind(find_at)
        if self._noticed != brief.path:  # once per brief opened: what a draft is, how to review it
            self._noticed = brief.path
            self.review_notice(brief)

    def _show_problems(self, path: str, problems) -> None:
        """A brief that does not load: its errors (file, line, column, message), never a crash."""
        self._started()
        if self.current_path != path:
            return
        self._loading_path = None
        from pathlib import Path

        from briefing.core.sanitize import terminal_line

        errors = [p for p in problems if p.severity == "error"] or problems
        # A file name is brief text too: an ESC or a bidi override in it must not reach the terminal.
        self.app.sub_title = terminal_line(Path(path).name)
        lines = [(f"This brief has {len(errors)} problem{'s' if len(errors) != 1 else ''} and cannot be shown:", "pane--error"),
                 ("", "pane--message"), (terminal_line(path), "pane--message"), ("", "pane--message")]
        # The path once above, then LINE:COL: severity: message (a long path would push them off screen).
        lines += [(terminal_line(f"{p.line}:{p.col}: {p.severity}: {p.message}"), "pane--message") for p in problems]
        lines += [("", "pane--message"),
                  (f"Fix the file, then check it with: briefing validate {terminal_line(path)}", "pane--message")]
        self.pane.show_message(lines)
        self.facts.show_nothing("No facts: the brief did not load")

    def list_moved(self, entry: Entry) -> None:
        """The list's cursor is on ``entry`` (called by the list, inside the key press: the
        cursor move and the new brief reach the screen in one frame)."""
        if entry.key != self.current_path and not self._listing_first:
            hold_frame(self, FRAME_HOLD)  # the list's move and the new brief in one frame
            self.open_entry(entry)
            # A moment later: a parse in a thread now would hold the GIL while Textual's
            # writer thread sends this very frame to the terminal.
            if self._prefetch_timer is not None:
                self._prefetch_timer.stop()
            self._prefetch_timer = self.set_timer(PREFETCH_DELAY, self._prefetch_neighbours)

    def _prefetch_neighbours(self) -> None:
        """Parse the briefs above and below the list's cursor once the screen is painted: the
        next j or k then opens from memory (parsing and the facts are most of a switch)."""
        doc_list = self.doc_list
        i = doc_list.highlighted
        if i is None or not self.session.parser_ready or self._gone():
            return
        near = [doc_list.shown[j] for j in (i + 1, i - 1) if 0 <= j < len(doc_list.shown)]
        paths = [e.key for e in near if e.ok and e.key not in self.session.brief_cache and small(e.key)]
        if paths:
            self._prefetch(paths)

    def open_selected(self, entry: Entry) -> None:
        """``enter`` (or a click) on the list: open the brief and move to the reading pane."""
        if entry.key != self.current_path:
            self.open_entry(entry)
        if entry.parsed and not self.doc_list.is_read(entry):
            self._set_read(entry, True)
        self.set_focus(self.pane)

    def open_path(self, path: str) -> None:
        """Open a brief by path (the command palette's "Open: TITLE")."""
        self.doc_list.select_path(path)
        entry = self.doc_list.current_entry
        if entry is not None and entry.key == path:
            self.open_entry(entry)
            self.pane.focus()

    @on(DocList.ToggleRead)
    def _toggle_read(self) -> None:
        self.action_toggle_read()

    @on(DocList.MarkAllRead)
    def _mark_all_read(self) -> None:
        unread = [e for e in self.doc_list.shown if e.parsed and not self.doc_list.is_read(e)]
        if not unread:
            self.app.tell("Every brief in the list is read already", timeout=3)
            return
        from briefing.ui.screens.confirm import ConfirmScreen

        def answer(ok: bool | None) -> None:
            if not ok:
                return
            self.session.stored("save the read marks", "set_read_many", [e.key for e in unread], True)
            self.doc_list.set_read(unread, True)
            self.app.tell(f"Marked {len(unread)} brief(s) read", timeout=3)

        shown = "the list" if not self.doc_list.query_filter else f"the list ({self.doc_list.query_filter})"
        self.app.push_screen(ConfirmScreen(f"Mark {len(unread)} unread brief(s) in {shown} as read?",
                                           "Only the briefs the list shows now.", yes="Mark read", no="Cancel"), answer)

    def action_toggle_read(self) -> None:
        entry = self.doc_list.current_entry
        if entry is not None and entry.parsed:
            self._set_read(entry, not self.doc_list.is_read(entry))

    def _set_read(self, entry: Entry, read: bool) -> None:
        self.session.stored("save the read mark", "set_read", entry.key, read)
        self.doc_list.set_read([entry], read)

    def save_position(self, later: bool = False) -> None:
        """Store where the reader is in the open brief; ``later``: once the screen is painted
        (switching briefs, the write waits for the new brief's frame)."""
        pane = self.pane
        if pane.brief is not None and pane.brief.path == self.current_path and self._partial_path is None:
            rng = pane.cursor_range
            if rng is not None:
                args = ("save the reading position", "set_position", pane.brief.path, rng[0])
                self.call_after_refresh(self.session.stored, *args) if later else self.session.stored(*args)

    # ------------------------------------------------------------------ other actions

    def action_toggle_facts(self) -> None:
        narrow = self.has_class("-narrow")
        self.toggle_class("-show-facts" if narrow else "-hide-facts")
        if not narrow:  # the wide layout's choice is kept (a narrow terminal hides it anyway)
            self.app.save_settings(sidebar=not self.has_class("-hide-facts"))

    # ------------------------------------------------------------------ settings

    def apply_settings(self, settings) -> None:
        """What settings.toml says about this screen: the list's width and order, the sidebar."""
        if settings["list_width"]:
            self.query_one(ListColumn).set_width(settings["list_width"])
        if settings["sort"] == "title" and self.doc_list.sort_by != "title":
            self.doc_list.sort_by = "title"
            self.doc_list.refresh_entries()
            self._update_list_header()
        if not settings["sidebar"]:
            self.add_class("-hide-facts")

    def action_list_width(self, step: int) -> None:
        """``<`` / ``>``: the list narrower or wider by a few columns (kept in settings.toml)."""
        column = self.query_one(ListColumn)
        width = column.set_width(column.width_now + step)
        self._list_width_chosen(width)

    def _list_width_chosen(self, width: int) -> None:
        self.app.save_settings(list_width=width)
        self.app.tell(f"List width {width} columns", timeout=1.5)
