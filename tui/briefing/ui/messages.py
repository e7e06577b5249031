"""Typed messages: how workers hand results to the main screen, and how widgets speak up.

Workers (threads) post these to the screen that started them; Textual queues a message
posted from another thread on the UI thread's loop, so posting never blocks the worker. A
message for a screen that has closed is not delivered, and the screen's handlers ignore one
that arrives while its widgets are being removed: a worker result for a view that is gone is
dropped by design.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

from briefing.core.entry import Entry

if TYPE_CHECKING:
    from briefing.core.model import Brief
    from briefing.follow import Origin
    from briefing.session.shapes import ShownBrief


class IndexProgress(Message):
    """From the loader thread: ``done`` of ``total`` briefs indexed; ``entries`` for the list
    (all of them at the first, then those indexed since the last); ``read``: the keys marked
    read (with the first; None after)."""

    def __init__(self, done: int, total: int, entries: list[Entry], read: set[str] | None = None) -> None:
        super().__init__()
        self.done, self.total, self.entries, self.read = done, total, entries, read


class EntriesListed(Message):
    """From the loader thread on a warm start: every entry, after the first frame's rows, and
    the keys of the briefs marked read."""

    def __init__(self, entries: list[Entry], read: set[str] | None = None) -> None:
        super().__init__()
        self.entries, self.read = entries, read


class IndexReady(Message):
    """From the loader thread: the index is up to date; ``stats`` is None when it failed;
    ``read``: the keys of the briefs marked read."""

    def __init__(self, entries: list[Entry], stats: Any = None, read: set[str] | None = None) -> None:
        super().__init__()
        self.entries, self.stats, self.read = entries, stats, read


class BriefLoaded(Message):
    """A brief parsed off the UI thread; ``partial``: only its head (the whole follows)."""

    def __init__(self, path: str, brief: ShownBrief, partial: bool = False, position: int | None = None) -> None:
        super().__init__()
        self.path, self.brief, self.partial, self.position = path, brief, partial, position


class BriefFailed(Message):
    """A brief that does not load, with its problems (file, line, column, message)."""

    def __init__(self, path: str, problems: list) -> None:
        super().__init__()
        self.path, self.problems = path, problems


class Prefetched(Message):
    """A neighbour of the list's cursor, parsed ahead; ``stamp`` is its file's (mtime, size)."""

    def __init__(self, path: str, brief: Brief, stamp: tuple[int, int]) -> None:
        super().__init__()
        self.path, self.brief, self.stamp = path, brief, stamp


class FoldersChanged(Message):
    """From the watch thread: briefs added, changed or removed on disk (index changes)."""

    def __init__(self, changes: list) -> None:
        super().__init__()
        self.changes = changes


class Say(Message):
    """A widget's message for the user; the app shows it with ``BriefingApp.tell`` (plain text,
    never markup)."""

    def __init__(self, text: str, severity: str = "information", timeout: float | None = None) -> None:
        super().__init__()
        self.text, self.severity, self.timeout = text, severity, timeout


class OriginFound(Message):
    """The open brief has no highlights, but these were stored for the same text under another
    path (briefing.follow.Origin): it moved, or it is a copy."""

    def __init__(self, path: str, brief: Brief, origin: Origin) -> None:
        super().__init__()
        self.path, self.brief, self.origin = path, brief, origin


class ListQueryDone(Message):
    """From the search worker: what the list shows for the search line ``line``. ``serial``
    numbers the searches; the screen shows only the latest one's (a stale result is dropped)."""

    def __init__(self, serial: int, line: str, result: Any, quiet: bool) -> None:
        super().__init__()
        self.serial, self.line, self.result, self.quiet = serial, line, result, quiet


class ListQueryFailed(Message):
    """From the search worker: the index could not run the search line (``error``: plain text,
    sanitised)."""

    def __init__(self, serial: int, line: str, error: str, quiet: bool) -> None:
        super().__init__()
        self.serial, self.line, self.error, self.quiet = serial, line, error, quiet
