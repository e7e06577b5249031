"""Live updates: watch the opened folders and feed what changed to the index.

    stop = threading.Event()
    for changed in watch_briefs(roots, stop):        # on a worker thread
        changes = index.refresh_paths(changed)       # added / changed / removed entries
        ...                                          # hand them to the UI thread

or, in one call, ``follow(index, roots, stop, on_changes)``. Batches are debounced
(~300 ms), so an editor's save (write a temporary file, rename it over the brief) or a
``git pull`` arrives as one set. A brief caught half-written is not reported broken for
good: ``Index.refresh_paths`` reads it again after a short pause (see there).

UI-free: imports neither textual nor the parser.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from briefing.files import BRIEF_SUFFIXES

if TYPE_CHECKING:
    from briefing.index import Change, Index

DEBOUNCE_MS = 300


class BriefFilter:
    """Keep changes to brief files and to folders (a folder created, renamed or deleted
    changes the briefs under it); drop hidden entries and everything else (editor swap
    and backup files, ``.git``...)."""

    def __init__(self, roots: Iterable[str]):
        self.roots = [r.rstrip(os.sep) or os.sep for r in roots]

    def __call__(self, change, path: str) -> bool:
        rel = path
        for root in self.roots:
            if path == root:
                return True
            if path.startswith(root + os.sep):
                rel = path[len(root) + 1:]
                break
        parts = rel.split(os.sep)
        if any(p.startswith(".") for p in parts if p):
            return False
        name = parts[-1]
        if name.lower().endswith(BRIEF_SUFFIXES):
            return True
        # Without a brief suffix it matters only if it is (or was) a folder.
        if os.path.isdir(path):
            return True
        return not os.path.lexists(path) and "." not in name and not name.endswith("~")


def watch_briefs(roots: Iterable[str | os.PathLike], stop_event: threading.Event | None = None, *,
                 debounce_ms: int = DEBOUNCE_MS, force_polling: bool | None = None) -> Iterator[set[Path]]:
    """Yield sets of changed paths (brief files and folders) under ``roots`` until
    ``stop_event`` is set. Blocking: run it on a worker thread. Roots that do not exist
    are skipped; with none left it returns at once."""
    from watchfiles import watch

    keys = []
    for r in roots:
        key = os.path.realpath(os.fspath(r))
        if os.path.exists(key) and key not in keys:
            keys.append(key)
    if not keys:
        return
    for changes in watch(*keys, watch_filter=BriefFilter(keys), debounce=debounce_ms, step=50,
                         stop_event=stop_event, raise_interrupt=False, force_polling=force_polling,
                         ignore_permission_denied=True, rust_timeout=1000):
        paths = {Path(p) for _, p in changes}
        if paths:
            yield paths


def follow(index: "Index", roots: Iterable[str | os.PathLike], stop_event: threading.Event,
           on_changes: Callable[[list["Change"]], None], *, debounce_ms: int = DEBOUNCE_MS,
           force_polling: bool | None = None) -> None:
    """Watch ``roots`` and apply every batch to ``index``; call ``on_changes`` (on this
    thread) with what changed, when something did. Returns when ``stop_event`` is set."""
    roots = list(roots)
    for changed in watch_briefs(roots, stop_event, debounce_ms=debounce_ms, force_polling=force_polling):
        if stop_event.is_set():
            break
        changes = index.refresh_paths(changed)
        if changes:
            on_changes(changes)
