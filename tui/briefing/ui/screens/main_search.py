"""The main screen's searching keys: ``/`` (search every brief from the list, find in the open
brief from elsewhere), ``c`` and ``f`` (clear the list's filters, filter by a fact), ``esc``,
and the list's header that says what the list shows.

A base class of MainScreen (briefing.ui.screens.main), which holds the widgets (``doc_list``,
``pane``, ``facts``, ``list_header``) and the session. Every method runs on the UI thread but
``_run_search``, the search worker: the index is queried off the UI thread (a 400-word line
on 10,000 briefs took seconds, issue 15), each new line cancels the query still running, and
only the latest line's result reaches the list (``_search_serial``).
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on, work
from textual.screen import Screen
from textual.css.query import NoMatches
from textual.widgets import Input

from briefing.session.library import ListQueryResult, said
from briefing.ui.messages import ListQueryDone, ListQueryFailed
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.facts_panel import FactsPanel

SEARCH_DELAY = 0.15  # seconds of no typing before the list searches

# The two search lines are mounted on first use: every widget in the first frame costs
# start-up time, and most sessions never search.
SEARCH_PLACEHOLDER = 'Search: words tag:x leader:kish date:2024-06 is:unread (esc keeps it, c clears)'
FIND_PLACEHOLDER = "Find in brief (enter: go, n/N: next/previous, esc: close)"


class ListSearch(Screen):
    """Part of MainScreen (a Screen, so that Textual collects its ``@on`` handlers)."""

    _search_timer = None
    _search_serial = 0  # numbers the search lines sent to the worker; only the latest is shown
    _after_search: Callable[[], None] | None = None

    def _input(self, name: str) -> Input | None:
        try:
            return self.query_one(f"#{name}", Input)
        except NoMatches:
            return None

    async def _open_input(self, name: str) -> Input:
        widget = self._input(name)
        if widget is None:
            if name == "search":
                widget = Input(id="search", placeholder=SEARCH_PLACEHOLDER)
                await self.query_one("#left").mount(widget, after="#list-header")
            else:
                widget = Input(id="find", placeholder=FIND_PLACEHOLDER)
                await self.query_one("#centre").mount(widget)
        widget.display = True
        widget.focus()
        return widget

    async def action_find(self) -> None:
        """``/``: in the list, search every brief; elsewhere, find in the open brief."""
        search = self._input("search")
        if self.focused is self.doc_list or (search is not None and self.focused is search):
            search = await self._open_input("search")
            search.value = self.doc_list.query_filter
            return
        find = await self._open_input("find")
        find.value = self.pane.find_query

    def _refind(self, at: int | None = None) -> None:
        """The find in the brief the pane shows now. A brief newly opened: the open find line
        marks its matches in it too (a closed one's find stays with the brief it was made in).
        The same draft shown again after a review step (``at``: the current match's offset,
        given when a find is on): that find goes on from the same match, whether or not its
        line is open, and ``→`` selects the cursor sentence's word, as after any step."""
        pane = self.pane
        find = self._input("find")
        if find is not None and find.display:
            query = find.value
        elif at is not None:
            query = pane.find_query
        else:
            return
        if not query:
            return
        pane.find(query, from_offset=at)
        if at is not None:
            pane._find_fresh = False

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        # Search when typing pauses, not at every key: each search is a query of the index.
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self._search_after_pause(value))

    def _search_after_pause(self, value: str) -> None:
        if not self._gone():  # the app is closing (its widgets are going): nothing to filter
            self._apply_list_query(value, quiet=True)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_list_query(event.value)
        event.input.display = bool(event.value)
        self.doc_list.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        self.pane.find(event.value)

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.input.display = False
        pane = self.pane
        pane.focus()
        if event.value and not pane.find_matches:
            self.app.tell("No match", severity="warning", timeout=2)
        else:
            pane.cursor_to_match()  # the reading cursor goes to the match (as less and vim do)

    def action_back(self) -> None:
        if self.pane.clear_selection():
            return
        search = self._input("search")
        if search is not None and search.has_focus:
            # Escape leaves the search line and keeps its filter (as less and newsboat do): the
            # list stays filtered, the header says so, and c clears it.
            if self._search_timer is not None:
                self._search_timer.stop()
            self._apply_list_query(search.value, quiet=True)
            search.display = bool(search.value)
            self.doc_list.focus()
            return
        find = self._input("find")
        if find is not None and find.display and find.has_focus:
            find.display = False
            self.pane.find("")
            self.pane.focus()
            return
        self.doc_list.focus()

    # ------------------------------------------------------------------ the list's filters

    @on(FactsPanel.FilterByFact)
    def _filter_by_fact_key(self) -> None:
        self.action_filter_by_fact()

    def action_filter_by_fact(self) -> None:
        """Add the fact under the sidebar cursor to the list's filters (they combine)."""
        from briefing.index.query import fact_term

        fact = self.facts.current_fact
        if fact is None:
            self.app.tell("Select a fact in the sidebar first", severity="warning", timeout=3)
            return
        term = fact_term(fact.type, fact.value if fact.type == "date" else fact.name)
        current = self.doc_list.query_filter

        def told() -> None:
            self.app.tell(f"{len(self.doc_list.shown)} brief(s) mention {fact.label}", timeout=3)

        if term not in current:
            self._apply_list_query(f"{current} {term}".strip(), then=told)
        else:
            told()

    def action_clear_filter(self) -> None:
        self._apply_list_query("")
        search = self._input("search")
        if search is not None:
            search.value = ""
            search.display = False

    def _apply_list_query(self, line: str, quiet: bool = False, then: Callable[[], None] | None = None):
        """Run the list's search line against the index, in a worker: ranked full-text hits, or
        the briefs that pass the filters (tag:, TYPE:, from:, to:), or everything. A new line
        cancels the search still running (its query is interrupted) and only the latest
        line's result is shown; ``then`` runs once it is. Returns the worker (None for an
        empty line, which shows everything at once)."""
        self.doc_list.query_filter = line
        self._search_serial += 1
        self._after_search = then
        if not line.strip():
            self.workers.cancel_group(self, "search")
            self._show_list_query(ListQueryResult(), quiet)
            return None
        return self._run_search(self._search_serial, line, quiet)

    @work(thread=True, exclusive=True, group="search", description="_run_search", exit_on_error=False)
    def _run_search(self, serial: int, line: str, quiet: bool) -> None:
        """On a worker thread: the session runs the line; the result goes back as a message."""
        from textual.worker import get_current_worker

        from briefing.db import is_interrupted

        worker = get_current_worker()
        session = self.session

        def cancelled() -> bool:
            return worker.is_cancelled or session.stop.is_set()

        try:
            result = session.run_list_query(line, cancelled)
        except Exception as exc:  # a query the index cannot run: said, the list kept
            if not (cancelled() or is_interrupted(exc)):
                self.post_message(ListQueryFailed(serial, line, said(exc), quiet))
            return
        if not cancelled():
            self.post_message(ListQueryDone(serial, line, result, quiet))

    @on(ListQueryFailed)
    def _list_query_failed(self, event: ListQueryFailed) -> None:
        if event.serial != self._search_serial or self._gone():
            return
        if not event.quiet:
            self.app.tell(f"Search failed: {event.error}", severity="error", timeout=5)

    @on(ListQueryDone)
    def _list_query_done(self, event: ListQueryDone) -> None:
        if event.serial != self._search_serial or self._gone():  # a newer line was typed: stale
            return
        self._show_list_query(event.result, event.quiet)

    def _show_list_query(self, result: ListQueryResult, quiet: bool) -> None:
        doc_list = self.doc_list
        if result.hits is not None:
            doc_list.set_filter(hits=result.hits, matches=result.matches)
        elif result.allowed is not None:
            doc_list.set_filter(allowed=result.allowed)
        else:
            doc_list.set_filter()
        if result.problems and not quiet:
            self.app.tell("; ".join(result.problems), severity="warning", timeout=4)
        self._update_list_header()
        then, self._after_search = self._after_search, None
        if then is not None:
            then()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "export":
            return self.pane.brief is not None
        if action == "clear_filter":
            return bool(self.doc_list.query_filter)
        return super().check_action(action, parameters)  # the other parts' keys (main_review)

    @on(DocList.Sorted)
    def _list_sorted(self, event: DocList.Sorted) -> None:
        self.app.tell(f"Sorted by {'title (A-Z)' if event.by == 'title' else 'date (newest first)'}", timeout=2)
        self._update_list_header()
        self.app.save_settings(sort="title" if event.by == "title" else "newest")

    def _update_list_header(self) -> None:
        doc_list = self.doc_list
        header = self.list_header
        text = doc_list.describe()
        if self.indexing is not None:
            done, total = self.indexing
            counts = f" {done:,}/{total:,}"
            # The bar takes what the counts leave of the header's line (the counts matter more).
            room = (header.content_region.width or 30) - len("Indexing ") - len(counts)
            width = max(3, min(10, room))
            filled = round(width * done / total)
            text = Text(f"Indexing {'█' * filled}{'░' * (width - filled)}{counts}")
        elif not self.loaded and (not doc_list.entries or self.session.first_guessed):
            # a first start on a large folder: nothing counted yet (the newest file alone listed)
            text = Text("Looking for briefs…")
        header.update(text)
        self.refresh_bindings()
