"""Highlight changes that could not be written yet because another program holds the
highlights database (issue 15: with a write transaction held elsewhere, each ``h`` blocked
the reader ~6.4 s and one highlight in four was lost).

A change the store cannot write within a short wait is kept here, in order, shown as if
saved, and written before the next change (and whenever the reader asks). What is still
waiting when the store closes is written to ``briefing.db.pending.jsonl`` in the data folder
and taken up again the next time the store opens: nothing is lost.

Each change is data, not a closure, so that it can be kept in that file:
``("add", Highlight fields)``, ``("note", id, note)``, ``("remove", id)``.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from briefing.core.anchor import Highlight

PENDING_SUFFIX = ".pending.jsonl"
SHORT_WAIT_MS = 250  # how long a change waits for a lock before it is kept (the UI thread waits too)
_FIELDS = [f.name for f in dataclasses.fields(Highlight) if f.name not in ("orphan", "extra")]


def add(h: Highlight) -> tuple:
    return ("add", {name: getattr(h, name) for name in _FIELDS})


def highlight_of(change: tuple) -> Highlight | None:
    """The highlight a change adds (shown before it is written), else None."""
    if change[0] != "add":
        return None
    return Highlight(**{k: v for k, v in change[1].items() if k in _FIELDS})


def path_of(db: Path) -> Path:
    return db.with_name(db.name + PENDING_SUFFIX)


def save(db: Path, changes: list[tuple]) -> None:
    """Append ``changes`` to the file beside ``db`` (one JSON line each, fsynced)."""
    if not changes:
        return
    target = path_of(db)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.write(fd, "".join(json.dumps(list(c), ensure_ascii=True) + "\n" for c in changes).encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def load(db: Path) -> list[tuple]:
    """The changes kept beside ``db`` by an earlier run (the file is left until they are
    written). Lines that do not read are skipped."""
    target = path_of(db)
    try:
        with open(target, encoding="utf-8") as fh:
            lines = fh.read(16 * 1024 * 1024).splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    out = []
    for line in lines:
        try:
            c = json.loads(line)
        except ValueError:
            continue
        if isinstance(c, list) and c and c[0] in ("add", "note", "remove"):
            if c[0] == "add" and isinstance(c[1], dict) and highlight_of(tuple(c)) is not None:
                out.append(("add", c[1]))
            elif c[0] == "note" and len(c) == 3 and isinstance(c[1], str):
                out.append(("note", c[1], c[2] if isinstance(c[2], str) else None))
            elif c[0] == "remove" and len(c) == 2 and isinstance(c[1], str):
                out.append(("remove", c[1]))
    return out


def forget(db: Path) -> None:
    try:
        os.unlink(path_of(db))
    except OSError:
        pass
