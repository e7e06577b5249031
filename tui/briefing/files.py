"""Which files are briefs, and walking folders for them: the one place for the suffixes,
hidden entries and the symlink policy. The CLI (``briefing.core.parser.iter_brief_paths``),
the index (``briefing.index.scan``), the first frame's list (``briefing.session``) and the
watcher (``briefing.index.watch``) all use it.

The policy:

- a brief is a file whose name ends with one of ``BRIEF_SUFFIXES`` (any case) and does not
  start with ``.``; folders whose name starts with ``.`` are not entered;
- a symlink to a brief inside the opened folder is read (its target is the brief); one that
  leads outside the opened folder is reported (``OUTSIDE``) and neither listed nor read,
  unless ``follow_symlinks``; a broken one is reported (``BROKEN``);
- a linked folder is entered only with ``follow_symlinks``, once (a cycle of links ends);
- anything that is not a regular file is reported (``NOT_REGULAR``), never opened.

Textual-free; imports nothing from the rest of briefing.
"""

from __future__ import annotations

import os
import stat as stat_mod
from dataclasses import dataclass
from typing import Callable

# The suffixes of brief files (lower case; names are compared case-insensitively).
BRIEF_SUFFIXES = (".md", ".markdown")

BROKEN = "broken symlink"
OUTSIDE = "symlink leads outside the opened folder (not followed)"
NOT_REGULAR = "not a regular file"


def is_brief_name(name: str) -> bool:
    """A file name the reader takes as a brief's (hidden names are not)."""
    return not name.startswith(".") and name.lower().endswith(BRIEF_SUFFIXES)


def is_hidden(name: str) -> bool:
    return name.startswith(".")


def is_under(path: str, folder: str) -> bool:
    """``path`` lies inside ``folder`` (both absolute and resolved; the folder itself is not)."""
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def leads_outside(path: str | os.PathLike, folders: list[str], follow_symlinks: bool = False) -> bool:
    """``path`` is a symlink whose target lies outside every one of ``folders`` (resolved
    paths) and is not to be followed: it is neither listed nor read."""
    if follow_symlinks or not os.path.islink(path):
        return False
    try:
        target = os.path.realpath(path)
    except (OSError, ValueError):
        return True
    return not any(target == f or is_under(target, f) for f in folders)


@dataclass(slots=True)
class Found:
    """A brief file found by ``walk``, with its stat (of the target, for a followed link;
    of the link itself when it has a problem)."""

    path: str  # as walked: under the root as it was given
    key: str  # resolved (a link's target); the link's own absolute path when it has a problem
    size: int
    mtime_ns: int
    ino: int
    problem: str | None = None  # BROKEN, OUTSIDE or NOT_REGULAR


def walk(root: str | os.PathLike, follow_symlinks: bool = False,
         on_many: tuple[int, Callable[[], None]] | None = None, limit: int | None = None) -> list[Found] | None:
    """Every brief file under ``root`` (a folder, or one file) with its stat; None if the
    root does not exist, or if there are more than ``limit``. Each folder's files come
    before its subfolders', in name order.

    ``on_many`` (N, call): call, once, as soon as the folders listed so far hold N entries
    (before they are looked at): the index starts its worker pool then, while the walk
    goes on."""
    top = os.fspath(root)
    try:
        st = os.stat(top)
    except (OSError, ValueError):
        return None
    real_top = os.path.realpath(os.path.abspath(top))
    if not stat_mod.S_ISDIR(st.st_mode):
        problem = None if stat_mod.S_ISREG(st.st_mode) else NOT_REGULAR
        return [Found(top, real_top, st.st_size, st.st_mtime_ns, st.st_ino, problem)]
    found: list[Found] = []
    visited = {(st.st_dev, st.st_ino)}
    prefix = real_top + os.sep
    listed = 0

    def own(e: os.DirEntry, real: str | None) -> str:
        """A link's own path, absolute, in the resolved tree (the key of a row that reports it)."""
        return os.path.abspath(e.path) if real is None else real + os.sep + e.name

    def visit(folder: str, real: str | None) -> bool:
        """Walk ``folder`` (``real``: its resolved path when the walked path is not); False
        once there are more than ``limit``."""
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            return True
        nonlocal on_many, listed
        listed += len(items)
        if on_many is not None and listed >= on_many[0]:
            call, on_many = on_many[1], None
            call()
        subdirs: list[tuple[str, str | None]] = []
        for e in items:
            name = e.name
            if name.startswith("."):
                continue
            try:
                is_link = e.is_symlink()
                if e.is_dir(follow_symlinks=False):
                    subdirs.append((e.path, None if real is None else real + os.sep + name))
                    continue
                try:
                    linked_dir = is_link and e.is_dir()
                except OSError:  # (a loop of links: reported below as broken, not skipped unseen)
                    linked_dir = False
                if linked_dir:
                    if follow_symlinks:  # entered under the link's name, once
                        target = os.path.realpath(e.path)
                        rst = os.stat(target)
                        if (rst.st_dev, rst.st_ino) not in visited:
                            visited.add((rst.st_dev, rst.st_ino))
                            subdirs.append((e.path, target))
                    continue  # (not entered unless asked, as os.walk does)
                if not name.lower().endswith(BRIEF_SUFFIXES):
                    continue
                if is_link:
                    lst = e.stat(follow_symlinks=False)
                    try:
                        key = os.path.realpath(e.path)
                        fst = os.stat(key)
                    except OSError:
                        found.append(Found(e.path, own(e, real), lst.st_size, lst.st_mtime_ns, lst.st_ino, BROKEN))
                        continue
                    if not follow_symlinks and not key.startswith(prefix):
                        found.append(Found(e.path, own(e, real), lst.st_size, lst.st_mtime_ns, lst.st_ino, OUTSIDE))
                        continue
                else:
                    fst = e.stat(follow_symlinks=False)
                    key = e.path if real is None else real + os.sep + name
                found.append(Found(e.path, key, fst.st_size, fst.st_mtime_ns, fst.st_ino,
                                   None if stat_mod.S_ISREG(fst.st_mode) else NOT_REGULAR))
                if limit is not None and len(found) > limit:
                    return False
            except OSError:
                continue
        # Recursive over folders (an explicit stack would change nothing: depth is bounded by PATH_MAX).
        return all(visit(d, r) for d, r in subdirs)

    complete = visit(top, None if top == real_top else real_top)
    return found if complete else None
