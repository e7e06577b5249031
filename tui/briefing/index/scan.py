"""The index's view of brief files: ``scan_root`` walks a root with ``briefing.files.walk``
(the one walker: suffixes, hidden entries, the symlink policy) and makes its keys text that
SQLite can store (``_stored_key``); ``_classify_path`` places one path a watcher reported
under the roots it belongs to, by the same policy. Textual-free; no SQLite here.
"""

from __future__ import annotations

import os
import stat as stat_mod
from typing import Callable

from briefing import files
from briefing.files import BRIEF_SUFFIXES, BROKEN, NOT_REGULAR, OUTSIDE, Found, is_brief_name

_is_brief_name = is_brief_name


def _Found(key: str, size: int, mtime_ns: int, ino: int, problem: str | None = None) -> Found:
    """A file the index knows by its key alone (a path a watcher reported)."""
    return Found(key, key, size, mtime_ns, ino, problem)


NOT_UTF8_NAME = "the file name is not valid UTF-8: rename the file to open it"


def _storable(key: str) -> bool:
    """Can this path be stored as SQLite text? Not when the file system handed over bytes
    that are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        key.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _stored_key(key: str) -> str:
    """The path as it can be stored: undecodable bytes become U+FFFD (the row then only
    reports the problem; nothing can be opened under that name)."""
    if _storable(key):
        return key
    try:
        raw = key.encode("utf-8", "surrogateescape")  # the file system's own bytes
    except UnicodeEncodeError:
        raw = key.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def _root_key(path: str | os.PathLike) -> str:
    # (A root whose name is not UTF-8 becomes a name that does not exist: a missing root.)
    return _stored_key(os.path.realpath(os.path.abspath(os.fspath(path))))


def scan_root(root: str | os.PathLike, follow_symlinks: bool = False,
              on_many: tuple[int, Callable[[], None]] | None = None) -> list[Found] | None:
    """Every brief file under ``root`` (a folder or a file) with its stat, keyed by resolved
    path (``Found.key``); None if the root does not exist. See ``briefing.files.walk``
    (``on_many`` too). A key that is not UTF-8 is stored with U+FFFD and reported."""
    items = files.walk(_root_key(root), follow_symlinks, on_many)
    if items is None:
        return None
    for f in items:
        if not _storable(f.key):
            f.key = _stored_key(f.key)
            if f.problem in (None, NOT_REGULAR):
                f.problem = NOT_UTF8_NAME
    return items


def _classify_path(path: str, roots: dict[str, bool]) -> tuple[list[str], Found | None, bool]:
    """For one changed path: the roots it falls under, its _Found (None if gone or not a
    brief) and whether it is (or was) a folder."""
    under, found, is_dir = _classify_path_raw(path, roots)
    if found is not None and not _storable(found.key):
        found = _Found(_stored_key(found.key), found.size, found.mtime_ns, found.ino, NOT_UTF8_NAME)
    return under, found, is_dir


def _classify_path_raw(path: str, roots: dict[str, bool]) -> tuple[list[str], Found | None, bool]:
    ap = os.path.abspath(path)
    under = [r for r in roots if ap == r or ap.startswith(r + os.sep)]
    if not under:
        # The path may name the root through a symlinked parent: try resolving it.
        rp = os.path.realpath(ap)
        under = [r for r in roots if rp == r or rp.startswith(r + os.sep)]
        if under:
            ap = rp
    if not under:
        return [], None, False
    try:
        lst = os.lstat(ap)
    except OSError:
        return under, None, not ap.lower().endswith(BRIEF_SUFFIXES)  # (gone: a folder, unless a brief's name)
    if stat_mod.S_ISDIR(lst.st_mode):
        return under, None, True
    root = under[0]
    rel = ap[len(root) + 1:] if ap != root else os.path.basename(ap)
    if ap != root and (any(part.startswith(".") for part in rel.split(os.sep)) or not _is_brief_name(os.path.basename(ap))):
        return under, None, False
    if stat_mod.S_ISLNK(lst.st_mode):
        try:
            target = os.path.realpath(ap)
            fst = os.stat(target)
        except OSError:
            return under, _Found(ap, lst.st_size, lst.st_mtime_ns, lst.st_ino, BROKEN), False
        if stat_mod.S_ISDIR(fst.st_mode):
            return under, None, True
        if not roots[root] and ap != root and not target.startswith(root + os.sep):
            return under, _Found(ap, lst.st_size, lst.st_mtime_ns, lst.st_ino,
                                 OUTSIDE), False
        return under, _Found(target, fst.st_size, fst.st_mtime_ns, fst.st_ino), False
    key = os.path.realpath(ap)
    return under, _Found(key, lst.st_size, lst.st_mtime_ns, lst.st_ino,
                         None if stat_mod.S_ISREG(lst.st_mode) else NOT_REGULAR), False

