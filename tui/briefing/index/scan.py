"""Finding brief files: ``scan_root`` walks a folder (or takes a file) and stats every
brief in it; ``_classify_path`` places one path a watcher reported under the roots it
belongs to. Keys are resolved paths as text that SQLite can store (``_stored_key``).

The same choices as ``briefing.core.parser.iter_brief_paths``: only ``.md``/``.markdown``,
hidden entries skipped, symlinks leading outside the opened folder reported and not
followed unless asked. Textual-free; no SQLite here.
"""

from __future__ import annotations

import os
import stat as stat_mod
from dataclasses import dataclass
from typing import Callable

BRIEF_SUFFIXES = (".md", ".markdown")


@dataclass(slots=True)


class _Found:
    key: str  # resolved path (or the link's own path when it is not followed)
    size: int
    mtime_ns: int
    ino: int
    problem: str | None = None


def _is_brief_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(BRIEF_SUFFIXES)


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
              on_many: tuple[int, Callable[[], None]] | None = None) -> list[_Found] | None:
    """Every brief file under ``root`` (a folder or a file) with its stat, in path order;
    None if the root does not exist. The same choices as ``briefing.core.parser.iter_brief_paths``:
    only ``.md``/``.markdown``, hidden entries skipped, symlinks leading outside the
    folder reported and not followed unless asked. ``on_many`` (N, call): call, once, as
    soon as the folders listed so far hold N entries (before they are looked at)."""
    top = _root_key(root)
    try:
        st = os.stat(top)
    except OSError:
        return None
    if not stat_mod.S_ISDIR(st.st_mode):
        problem = None if stat_mod.S_ISREG(st.st_mode) else "not a regular file"
        return [_Found(top, st.st_size, st.st_mtime_ns, st.st_ino, problem)]
    found: list[_Found] = []
    visited = {(st.st_dev, st.st_ino)}
    prefix = top + os.sep
    listed = 0

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        nonlocal on_many, listed
        listed += len(items)
        if on_many is not None and listed >= on_many[0]:
            call, on_many = on_many[1], None
            call()
        subdirs: list[str] = []
        for e in items:
            name = e.name
            if name.startswith("."):
                continue
            try:
                is_link = e.is_symlink()
                if e.is_dir(follow_symlinks=False):
                    subdirs.append(e.path)
                    continue
                if is_link and follow_symlinks and e.is_dir():
                    real = os.path.realpath(e.path)
                    rst = os.stat(real)
                    if (rst.st_dev, rst.st_ino) not in visited:
                        visited.add((rst.st_dev, rst.st_ino))
                        subdirs.append(real)
                    continue
                if is_link and e.is_dir():
                    continue  # a linked folder is not entered unless asked (as os.walk does)
                if not name.lower().endswith(BRIEF_SUFFIXES):
                    continue
                if is_link:
                    try:
                        lst = e.stat(follow_symlinks=False)
                        target = os.path.realpath(e.path)
                        fst = os.stat(target)
                    except OSError:
                        found.append(_Found(_stored_key(os.path.abspath(e.path)), lst.st_size, lst.st_mtime_ns,
                                            lst.st_ino, "broken symlink"))
                        continue
                    if not follow_symlinks and not target.startswith(prefix):
                        found.append(_Found(_stored_key(os.path.abspath(e.path)), lst.st_size, lst.st_mtime_ns,
                                            lst.st_ino, "symlink leads outside the opened folder (not followed)"))
                        continue
                    key = target
                else:
                    fst = e.stat(follow_symlinks=False)
                    key = e.path
                if not _storable(key):
                    found.append(_Found(_stored_key(key), fst.st_size, fst.st_mtime_ns, fst.st_ino, NOT_UTF8_NAME))
                    continue
                found.append(_Found(key, fst.st_size, fst.st_mtime_ns, fst.st_ino,
                                    None if stat_mod.S_ISREG(fst.st_mode) else "not a regular file"))
            except OSError:
                continue
        for d in subdirs:
            walk(d)

    # Iterative over folders would need an explicit stack; folder depth is bounded by PATH_MAX.
    walk(top)
    return found


def _classify_path(path: str, roots: dict[str, bool]) -> tuple[list[str], _Found | None, bool]:
    """For one changed path: the roots it falls under, its _Found (None if gone or not a
    brief) and whether it is (or was) a folder."""
    under, found, is_dir = _classify_path_raw(path, roots)
    if found is not None and not _storable(found.key):
        found = _Found(_stored_key(found.key), found.size, found.mtime_ns, found.ino, NOT_UTF8_NAME)
    return under, found, is_dir


def _classify_path_raw(path: str, roots: dict[str, bool]) -> tuple[list[str], _Found | None, bool]:
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
        return under, None, not ap.lower().endswith(BRIEF_SUFFIXES)
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
            return under, _Found(ap, lst.st_size, lst.st_mtime_ns, lst.st_ino, "broken symlink"), False
        if stat_mod.S_ISDIR(fst.st_mode):
            return under, None, True
        if not roots[root] and ap != root and not target.startswith(root + os.sep):
            return under, _Found(ap, lst.st_size, lst.st_mtime_ns, lst.st_ino,
                                 "symlink leads outside the opened folder (not followed)"), False
        return under, _Found(target, fst.st_size, fst.st_mtime_ns, fst.st_ino), False
    key = os.path.realpath(ap)
    return under, _Found(key, lst.st_size, lst.st_mtime_ns, lst.st_ino,
                         None if stat_mod.S_ISREG(lst.st_mode) else "not a regular file"), False

