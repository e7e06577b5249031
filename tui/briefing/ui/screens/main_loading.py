"""The main screen's loading: the first frame's parse, the workers that open briefs, bring the
index up to date, follow the folders and prefetch neighbours, and the handlers of what they
post (briefing.ui.messages). A mixin of MainScreen, like main_search and main_annotate.

Threading rules: every ``@work`` method here runs on a worker thread, calls the session, and
hands its results back as typed messages posted to the screen, never by touching a widget.
Handlers run on the UI thread; a result for a screen that is closing is dropped (``_gone``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import gc
import time

from textual import on, work
from textual.screen import Screen

from briefing.core.entry import Entry
from briefing.session.library import said, size_text
from briefing.ui.messages import (
    BriefFailed, BriefLoaded, EntriesListed, FoldersChanged, IndexProgress, IndexReady, Prefetched)
from briefing.ui.threads import within

if TYPE_CHECKING:
    from briefing.core.model import Brief
    from briefing.session.progressive import HeadBrief
    from briefing.session.shapes import ShownBrief

FIRST_PARSE_WAIT = 0.5  # seconds the first frame waits for its brief's parse, imports included


class Loading(Screen):
    """Part of MainScreen (a Screen, so that Textual collects its ``@on`` and ``@work``)."""

    def _parse_now(self, path: str) -> Brief | None:
        """The brief at ``path`` parsed (with the imports of the parser and pydantic) while this
        thread waits at most FIRST_PARSE_WAIT; None when it does not load or takes longer (the
        loader then takes the parse's result, or shows why it does not load)."""
        from briefing.core.problems import BriefError

        future = within(self.session.load_now, FIRST_PARSE_WAIT, path)
        if not future.done():
            self._first_parse = (path, future)  # (the loader waits for it: never parsed twice)
            return None
        try:
            return future.result()
        except (BriefError, OSError):
            return None

    def _post_parsed(self, path: str, future, position: int | None = None) -> Brief | None:
        """Post the result of a parse on a ``within`` thread, from whichever thread it ended on
        (only post_message there): BriefLoaded, or BriefFailed with why. Blocks until it ends."""
        from briefing.core.problems import BriefError, Problem

        try:
            brief = future.result()
        except BriefError as exc:
            self.post_message(BriefFailed(path, exc.problems))
            return None
        except Exception as exc:  # noqa: BLE001 - said in the pane, as a worker's failure is
            self.post_message(BriefFailed(path, [Problem(path=path, message=f"cannot open: {said(exc)}")]))
            return None
        self.post_message(BriefLoaded(path, brief, False, position))
        return brief

    # ------------------------------------------------------------------ loading (workers)

    def _start_loading(self) -> None:
        # The first brief's head, when the first frame showed it, is not read again; a first
        # screen kept from the last start that was used is not kept again. None: the first
        # brief is refused (its problems are shown), or the reader has moved on from it (the
        # move opened the brief moved to; that one is not the next start's first screen).
        first = self.current_path
        if self._first_refused or first != self._first_path:
            first = None
        self.load_briefs(first, skip_head=first is not None and first == self._partial_path,
                         keep=first is not None and (first != self._kept_path or self._parsed_first))

    @work(thread=True, exclusive=True, group="load", description="load_briefs")
    def load_briefs(self, first: str | None, skip_head: bool = False, keep: bool = False) -> None:
        """Open the highlighted brief first (and keep it for the next start's first frame),
        then bring the index up to date (the handler of IndexReady then starts the watch)."""
        from briefing.session.first_screen import stamp_of

        session = self.session
        pending, self._first_parse = self._first_parse, None
        shown, self._kept_brief = self._kept_brief, None  # (once: a later load parses afresh)
        if first is not None:
            stamp = stamp_of(first) if keep else None
            if self._parsed_first and shown is not None and shown.path == first:
                # Parsed whole for the first frame: delivered as the whole brief, not parsed again.
                brief = shown
                stamp = self._first_stamp if keep else None
                self.post_message(BriefLoaded(first, brief, False, None))
            elif pending is not None and pending[0] == first:  # the first frame's parse, still running
                stamp = self._first_stamp if keep else None
                brief = self._post_parsed(first, pending[1])
            else:
                brief = self._parse_and_post(first, None, skip_head)
            if brief is not None and keep and not session.is_large(first):
                session.keep_first_screen(brief, stamp)
        session.store  # noqa: B018  open the highlights database off the UI thread
        read = session.read_keys()
        if self._initial_total is not None:  # a warm start showed the first rows: now all of them
            self.post_message(EntriesListed(session.entries_from_index(), read))
        came: list[Entry] = []  # indexed since the last update of the list
        last = [0.0]

        def progress(done: int, total: int, entry: Entry | None) -> None:
            # On this thread, which runs the indexing: nothing here waits for the UI thread. The
            # list gets what the index holds at the start (with a large new folder, every brief
            # from a quick look, as pending), then the briefs indexed since, a few times a second.
            if entry is not None:
                came.append(entry)
            now = time.monotonic()
            if done == 0 or done >= total or now - last[0] > 0.3:
                last[0] = now
                updates = (session.entries_from_index() if total else []) if done == 0 else came[:]
                came.clear()
                self.post_message(IndexProgress(done, total, updates, read if done == 0 else None))

        try:
            stats = session.refresh_index(progress)
        except Exception as exc:  # the list still works from what was found; say why
            session.tell(f"Indexing failed: {said(exc)}", severity="error", timeout=10)
            stats = None
        if session.stop.is_set():
            return
        self.post_message(IndexReady(session.entries_from_index(), stats, read))

    def _parse_and_post(self, path: str, position: int | None, skip_head: bool = False) -> Brief | None:
        """Parse on this worker thread and post the result: a large brief's head first."""
        from briefing.core.problems import BriefError

        def head(brief: HeadBrief) -> None:
            self.post_message(BriefLoaded(path, brief, True, position))

        try:
            brief = self.session.parse(path, on_head=None if skip_head else head)
        except BriefError as exc:
            self.post_message(BriefFailed(path, exc.problems))
            return None
        self.post_message(BriefLoaded(path, brief, False, position))
        return brief

    @work(thread=True, exclusive=True, group="open", description="_load_one")
    def _load_one(self, path: str, position: int | None = None, skip_head: bool = False) -> None:
        self._parse_and_post(path, position, skip_head)

    @work(thread=True, exclusive=True, group="watch", description="_watch")
    def _watch(self) -> None:
        """Follow the folders: added, changed and removed briefs show up within a second."""
        session = self.session

        def changed(changes) -> None:
            if not session.stop.is_set():
                self.post_message(FoldersChanged(changes))

        try:
            session.follow(changed)
        except Exception as exc:  # e.g. too many folders to watch: the reader goes on without
            if not session.stop.is_set():
                session.tell(f"Live updates are off: {said(exc)}", severity="warning", timeout=8)

    @work(thread=True, exclusive=True, group="prefetch", description="_prefetch")
    def _prefetch(self, paths: list[str]) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        self.session.prefetch(paths, lambda: worker.is_cancelled,
                              lambda path, brief, stamp: self.post_message(Prefetched(path, brief, stamp)))

    # ------------------------------------------------------------------ loading (results)

    @on(EntriesListed)
    def _entries_listed(self, event: EntriesListed) -> None:
        if self._gone():
            return
        self.doc_list.set_entries(event.entries, read=event.read)
        self._update_list_header()

    @on(IndexProgress)
    def _index_progress(self, event: IndexProgress) -> None:
        if self.loaded or self._gone():  # the loader has set the whole list already; this one came late
            return
        done, total = event.done, event.total
        self.indexing = (done, total) if total and done < total else None
        if event.read is not None:
            self.doc_list.read = set(event.read)
        if self.indexing is not None and event.entries:
            # Briefs appear in the list as they are indexed. Only add and update here: what
            # the index has not committed yet must not vanish from the list meanwhile.
            self.doc_list.apply_changes(event.entries, set())
            if self.doc_list.query_filter:
                self._apply_list_query(self.doc_list.query_filter, quiet=True)
        self._update_list_header()

    @on(IndexReady)
    def _index_ready(self, event: IndexReady) -> None:
        if self._gone():
            return
        self.indexing = None
        entries, stats = event.entries, event.stats
        doc_list = self.doc_list
        doc_list.set_entries(entries, read=event.read)
        # Thousands of list entries (and the modules) live for the whole session: keep them out
        # of the cyclic collector's full passes, which otherwise pause a key press at random.
        gc.freeze()
        self.loaded = True
        if doc_list.query_filter:
            self._apply_list_query(doc_list.query_filter, quiet=True)
        self._update_list_header()
        if stats is not None and stats.missing_roots:
            self.session.tell("Not found: " + ", ".join(stats.missing_roots), severity="warning", timeout=8)
        self._watch()
        if not entries:
            self.current_path = None
            self._started()
            self.pane.show_message([
                ("No briefs here.", "pane--message"),
                ("", "pane--message"),
                ("Open a folder of .md briefs or .txt news texts: briefing PATH", "pane--message"),
            ])
            self.facts.show_nothing()
            return
        entry = doc_list.current_entry
        if entry is not None and entry.key != self.current_path:
            self.open_entry(entry)

    @on(FoldersChanged)
    def _folders_changed(self, event: FoldersChanged) -> None:
        if self._gone():
            return
        updated, removed = self.session.changed_entries(event.changes)
        doc_list = self.doc_list
        doc_list.apply_changes(updated, removed)
        if doc_list.query_filter:
            self._apply_list_query(doc_list.query_filter, quiet=True)
        self._update_list_header()
        current = self.current_path
        if current in removed:
            from briefing.core.sanitize import terminal_line

            self.pane.show_message([
                ("This brief was removed or renamed on disk.", "pane--error"),
                ("", "pane--message"),
                (terminal_line(current), "pane--message"),
            ])
            self.facts.show_nothing()
        elif current is not None and any(e.key == current for e in updated):
            pane = self.pane
            where = pane.cursor_range[0] if pane.brief is not None and pane.cursor_range else 0
            self._load_one(current, where)  # reread, keeping the reading position

    @on(BriefLoaded)
    def _brief_loaded(self, event: BriefLoaded) -> None:
        self._parsing.discard(event.path)
        if not self._gone():
            self._brief_ready(event.path, event.brief, event.partial, event.position)

    @on(BriefFailed)
    def _brief_failed(self, event: BriefFailed) -> None:
        self._parsing.discard(event.path)
        if not self._gone():
            self._show_problems(event.path, event.problems)

    @on(Prefetched)
    def _prefetched(self, event: Prefetched) -> None:
        self.session.accept_prefetched(event.path, event.brief, event.stamp)

    def _brief_ready(self, path: str, brief: ShownBrief, partial: bool = False, position: int | None = None) -> None:
        if not partial:
            self.session.remember(path, brief)
        if self.current_path != path:
            return
        pane = self.pane
        if partial:
            self._partial_path = path
            self._show_brief(brief, position or 0)
            self.app.tell(f"Loading the rest of this {size_text(path)} brief…", timeout=2)
        elif self._partial_path == path and pane.brief is not None and pane.brief.path == path:
            self._partial_path = None
            position = pane.top_offset() or 0  # where the reader is in the head
            # The reading cursor too: keys pressed before the whole brief came (j, then h) act
            # on the sentence the reader moved to, not on the first one again.
            moved = pane.cursor_range[0] if pane.cursor and pane.cursor_range else None
            if self._kept_path == path:
                # Shown from the last start's first screen: the reading position comes from the
                # store now (0 reads it), unless the reader has moved meanwhile.
                self._kept_path = None
                if pane.cursor == 0 and not pane.scroll_offset.y:
                    position = 0
            self._show_brief(brief, position=position)
            if moved is not None and pane.brief is not None and pane.brief.path == path:
                pane.keep_cursor_on(moved)
            self.run_when_whole(path)
        else:
            self._show_brief(brief, position or 0)
            self.run_when_whole(path)  # (a key pressed while nothing of it was shown yet)
