"""The main screen's keys for working on a brief: ``h`` (highlight), ``a`` (note), ``e``
(export), ``enter`` on a fact or a highlight in the sidebar, and links in the pane.

A base class of MainScreen (briefing.ui.screens.main), which holds the widgets and the session;
every method runs on the UI thread. Store errors are reported by ``session.stored``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import time
from pathlib import Path

from textual import on, work
from textual.screen import Screen

from briefing.session.file_marks import is_in_file
from briefing.ui.messages import OriginFound
from briefing.ui.widgets.facts_panel import FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane

# Seconds a key that needs the whole brief (h, a, e, y, O) waits for it while only its head
# or the last start's kept screen is shown: it acts when the whole comes, if within this.
WHOLE_WAIT = 3.0

if TYPE_CHECKING:
    from briefing.core.anchor import Highlight
    from briefing.core.model import Brief
    from briefing.session.shapes import ShownBrief
    from briefing.ui.screens.export import ExportRequest


class Annotating(Screen):
    """Part of MainScreen (a Screen, so that Textual collects its ``@on`` handlers)."""

    def _refresh_highlights(self, brief: ShownBrief) -> list[Highlight]:
        if self._partial_path == brief.path:
            self.pane.set_highlights([])
            if self._kept_path == brief.path:  # the last start's first screen: its facts, not yet its highlights
                self.facts.show_facts(brief, None)
            else:  # the head of a large brief: facts come with the whole
                self.facts.show_nothing("Reading the whole brief…")
            return []
        from briefing.session.file_marks import with_file_marks

        highlights = self.session.stored("load the highlights", "highlights", brief, default=[])
        shown = with_file_marks(brief, highlights)  # and the file's own .highlight spans
        self.pane.set_highlights(shown)
        self.facts.show_facts(brief, shown)
        if not highlights:  # (the store's: a copy of a brief with highlights may still have them to bring)
            self._look_for_origin(brief)
        return shown

    # ------------------------------------------------------------------ outline and copy

    @on(ReadingPane.OutlineKey)
    def _outline(self) -> None:
        from briefing.ui.screens.outline import OutlineScreen

        pane, brief = self._pane_brief(self._outline)
        if brief is None:
            return
        rng = pane.cursor_range

        def chosen(offset: int | None) -> None:
            if offset is not None:
                pane.jump_to(offset)
                pane.focus()

        self.app.push_screen(OutlineScreen(brief, rng[0] if rng else 0), chosen)

    @on(ReadingPane.CopyKey)
    def _copy(self) -> None:
        pane, brief = self._pane_brief(self._copy)
        if brief is None:
            return
        rng = pane.copy_range()
        if rng is None:
            return
        # Only the brief's text (sanitised when it was read: no control character, nothing that
        # could act in a terminal), with its lines joined as a paragraph reads.
        from briefing.core.sanitize import sanitise

        text = sanitise(brief.text[rng[0]:rng[1]]).strip()
        self.app.copy_to_clipboard(text)
        self.app.tell(f"Copied {len(text):,} characters", timeout=2)

    # ------------------------------------------------------------------ moved and copied briefs

    @work(thread=True, exclusive=True, group="origin", description="_look_for_origin")
    def _look_for_origin(self, brief: Brief) -> None:
        """Off the UI thread (a few queries, and a look at whether old paths still exist): do
        highlights stored under another path belong to this brief's text?"""
        origin = self.session.stored("look for the highlights of a moved brief", "origin_of", brief)
        if origin is not None:
            self.post_message(OriginFound(brief.path, brief, origin))

    @on(OriginFound)
    def _origin_found(self, event: OriginFound) -> None:
        from briefing.core.sanitize import terminal_line

        if self._gone() or self.pane.brief is None or self.pane.brief.path != event.path:
            return
        origin, old = event.origin, terminal_line(event.origin.path)
        if origin.gone:  # it moved: its highlights come with it, and the user is told
            moved = self.session.stored("re-attach the highlights", "reattach", origin, event.brief, default=0)
            if moved:
                self._refresh_highlights(event.brief)
                self.app.tell(f"{moved} highlight(s) re-attached: this brief was at {old}", timeout=8)
            return
        self._copy_origin = (event.path, origin)
        self.app.tell(f"This brief is a copy of {old}, which has {origin.count} highlight(s): "
                      "ctrl+p, \"Copy the highlights of the original\" brings them here", timeout=10)

    _copy_origin = None

    def copy_origin_highlights(self) -> None:
        """The command palette's "Copy the highlights of the original" (for a copied brief)."""
        brief = self.pane.brief
        found = self._copy_origin
        if brief is None or found is None or found[0] != brief.path:
            self.app.tell("This brief is not a copy of one with highlights", severity="warning", timeout=3)
            return
        copied = self.session.stored("copy the highlights", "copy_highlights", found[1], brief, default=0)
        self._copy_origin = None
        self._refresh_highlights(brief)
        self.app.tell(f"{copied} highlight(s) copied from {found[1].path}", timeout=5)

    def _pane_brief(self, again: Callable[[], object] | None = None) -> tuple[ReadingPane, Brief | None]:
        """The brief in the pane, whole; None (and why told) when there is none or only its
        head (or the last start's kept screen) is shown yet, or nothing of it yet (the first
        frame's "Loading briefs…"): then ``again`` (the key's action) runs when the whole
        brief comes, if it comes within WHOLE_WAIT seconds."""
        pane = self.pane
        if pane.brief is None:
            coming = self.current_path
            if coming is None or coming != self._loading_path:
                self.app.tell("Open a brief first", severity="warning", timeout=2)
                return pane, None
        elif self._partial_path == pane.brief.path:
            coming = pane.brief.path
        else:
            return pane, pane.brief
        self._when_whole = (coming, time.monotonic() + WHOLE_WAIT, again) if again else None
        self.app.tell("Still loading this brief…" + (" (done when it has loaded)" if again else ""), timeout=2)
        return pane, None

    _when_whole: tuple[str, float, Callable[[], object]] | None = None

    def run_when_whole(self, path: str) -> None:
        """The whole brief at ``path`` is shown: the key pressed while it loaded acts now."""
        waiting, self._when_whole = self._when_whole, None
        if waiting is not None and waiting[0] == path and time.monotonic() <= waiting[1]:
            self.call_later(waiting[2])

    @on(ReadingPane.HighlightKey)
    def _highlight_key(self) -> None:
        self.action_highlight()

    def action_highlight(self) -> None:
        """``h``: highlight the selection, or toggle the highlight on the cursor sentence."""
        pane, brief = self._pane_brief(self.action_highlight)
        if brief is None:
            return
        stored = self.session.stored
        selection = pane.selection
        if selection is not None:
            stored("save the highlight", "toggle_highlight", brief, *selection)
            pane.clear_selection()
        else:
            existing = pane.highlight_at_cursor()
            if existing is not None and is_in_file(existing):
                self.app.tell("This highlight is part of the file (a .highlight span): h cannot remove it, "
                              "editing the file does. a copies it, with its note, into your highlights",
                              timeout=6)
                return
            if existing is not None:
                stored("remove the highlight", "remove_highlight", existing.id)
                self.app.tell("Highlight removed", timeout=2)
            elif pane.cursor_range is not None:
                stored("save the highlight", "add_highlight", brief, *pane.cursor_range)
        self._refresh_highlights(brief)

    @on(ReadingPane.NoteKey)
    def _note_key(self) -> None:
        self.action_note()

    def action_note(self) -> None:
        """``a``: add or edit the note of the highlight under the cursor (highlighting it first)."""
        from briefing.ui.screens.note import NoteScreen

        pane, brief = self._pane_brief(self.action_note)
        if brief is None:
            return
        stored = self.session.stored
        highlight = pane.highlight_at_cursor()
        if highlight is not None and is_in_file(highlight):  # the file's own: a copy of it becomes yours
            highlight = stored("save the highlight", "add_highlight", brief, highlight.start, highlight.end,
                               highlight.note)
            if highlight is None:
                return
            self._refresh_highlights(brief)
            self.app.tell("The file's highlight is now one of yours (h removes yours; the file keeps its own)",
                          timeout=5)
        if highlight is None:
            rng = pane.selection or pane.cursor_range
            if rng is None:
                return
            highlight = stored("save the highlight", "add_highlight", brief, *rng)
            if highlight is None:
                return
            pane.clear_selection()
            self._refresh_highlights(brief)

        def save(note: str | None) -> None:
            if note is not None:
                stored("save the note", "set_note", highlight.id, note)
                self._refresh_highlights(brief)

        self.app.push_screen(NoteScreen(highlight.exact, highlight.note), save)

    @on(FactsPanel.HighlightChosen)
    def _highlight_chosen(self, event: FactsPanel.HighlightChosen) -> None:
        h = event.highlight
        if h.orphan:
            self.app.tell("This passage is no longer in the brief; the highlight is kept with its quote.",
                          severity="warning", timeout=4)
            return
        self.pane.jump_to(h.start)

    def action_export(self) -> None:
        """``e``: the export dialog, which runs the export in its worker (``_export_to``)."""
        from briefing.ui.screens.export import ExportScreen

        pane, brief = self._pane_brief(self.action_export)
        if brief is None:
            return
        count = len(pane.highlights)

        def written(path: Path | None) -> None:
            if path is not None:
                from briefing.core.sanitize import terminal_line

                self.app.tell(f"Exported to {terminal_line(str(path))}", timeout=5)

        try:
            folder = Path.cwd()
        except OSError:  # the working folder was deleted
            folder = Path.home()
        exporter = lambda request, cancelled: self._export_to(brief, request, cancelled)  # noqa: E731
        self.app.push_screen(ExportScreen(brief.meta.title, folder, count, exporter), written)

    def _export_to(self, brief: Brief, request: ExportRequest, cancelled: Callable[[], bool]) -> Path | None:
        """On the export dialog's worker thread: the brief with its highlights, exported and
        written (atomically), or None when cancelled first. Raises OSError or ValueError for
        the dialog to show."""
        from briefing.atomic import write_atomic
        from briefing.export import export

        highlights = self.session.stored("load the highlights", "highlights", brief, default=[])
        if cancelled():
            return None
        text = export(brief, highlights, request.fmt, request.highlights_only, facts=request.facts)
        if cancelled():
            return None
        return write_atomic(request.path, text, force=request.replace)

    # ------------------------------------------------------------------ facts

    @on(FactsPanel.FactChosen)
    def _fact_chosen(self, event: FactsPanel.FactChosen) -> None:
        pane = self.pane
        spans = list(event.fact.spans)
        if not spans:
            self.app.tell("This fact is declared but never mentioned in the text", timeout=3)
            return
        if sorted(spans) == pane.fact_spans:
            index = (pane.fact_index + 1) % len(spans)  # pressing again cycles
        else:
            index = 0
        pane.set_fact(spans, index)
        self.app.tell(f"{event.fact.label}: mention {index + 1} of {len(spans)}", timeout=2)

    # ------------------------------------------------------------------ links

    @on(ReadingPane.LinkClicked)
    def _link_clicked(self, event: ReadingPane.LinkClicked) -> None:
        from briefing.ui.screens.confirm import ConfirmScreen

        from briefing.core.sanitize import sanitise_line

        url = sanitise_line(event.url)  # (shown in the question: from a brief, sanitised already; once more here)
        if not url.lower().startswith(("http://", "https://", "mailto:")):
            self.app.tell("Only http, https and mailto links can be opened", severity="warning", timeout=3)
            return

        def answer(ok: bool | None) -> None:
            if ok:
                self.app.open_url(url)

        self.app.push_screen(ConfirmScreen("Open this link in your browser?", url, yes="Open", no="Cancel"), answer)
