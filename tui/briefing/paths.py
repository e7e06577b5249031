"""Where briefs and data live: the bundled briefs, the default folder, the data directory;
where the config files are, and the one capped reader of them (``read_config_text``,
``line_of``). What they hold is checked by ``briefing.keymap`` and ``briefing.settings``."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_briefs_dir() -> Path:
    """The briefs shipped with briefing: inside the installed package, or the repository's
    ``briefs/`` when running from a source checkout or an editable install."""
    installed = PACKAGE_DIR / "bundled_briefs"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent.parent / "briefs"


def default_brief_paths() -> list[Path]:
    local = Path.cwd() / "briefs"
    return [Path("briefs")] if local.is_dir() else [bundled_briefs_dir()]


def expand_user(path: str | os.PathLike) -> Path:
    """``path`` with a leading ``~`` or ``~user`` expanded; a ``~name`` that names no user
    (or a home that cannot be found) stays as written, as a shell leaves it. (Path.expanduser
    raises RuntimeError there: a brief named '~x.md' on the command line, or a data folder
    '~nosuchuser/d', crashed the reader at start.)"""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        return Path(path)


def data_dir() -> Path:
    """``$BRIEFING_DATA_DIR`` if set, else the platform's user data directory."""
    override = os.environ.get("BRIEFING_DATA_DIR")
    if override:
        return expand_user(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("briefing", appauthor=False))


def private_fallback_dir() -> Path:
    """A folder only this user can enter, for data when the data folder cannot be written.

    ``$TMPDIR/briefing-<uid>``, created 0700, reused only if it is a real folder (not a
    symlink) owned by this user that no one else may enter; otherwise a fresh ``mkdtemp``
    folder. (The index fell back to a predictable, world-readable folder another user could
    pre-create and read brief text from, or swap index.db in: issue 15.)"""
    base = Path(tempfile.gettempdir())
    uid = os.getuid() if hasattr(os, "getuid") else None
    named = base / f"briefing-{uid if uid is not None else 'user'}"
    try:
        os.mkdir(named, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return Path(tempfile.mkdtemp(prefix="briefing-"))
    try:
        st = os.lstat(named)
    except OSError:
        return Path(tempfile.mkdtemp(prefix="briefing-"))
    if (stat.S_ISDIR(st.st_mode) and (uid is None or st.st_uid == uid) and not st.st_mode & 0o077):
        return named
    return Path(tempfile.mkdtemp(prefix="briefing-"))


def keymap_path() -> Path:
    """``keymap.toml`` in ``$BRIEFING_CONFIG_DIR``, else the user config directory."""
    override = os.environ.get("BRIEFING_CONFIG_DIR")
    if override:
        return expand_user(override) / "keymap.toml"
    from platformdirs import user_config_dir

    return Path(user_config_dir("briefing", appauthor=False)) / "keymap.toml"


MAX_CONFIG_BYTES = 256 * 1024  # a config file larger than this is refused (a 9.5 MB keymap took 7 s)


class NotRegularFile(OSError):
    """A file of the data or config folder holds something other than a regular file."""


def read_regular(path: str | os.PathLike, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a file of the data or config folder (first-screen.json,
    the pending highlight changes...), read only if it is a regular file: opened without
    blocking, then checked, so a FIFO in its place raises ``NotRegularFile`` at once instead
    of waiting for a writer forever (issue 15, item 11's kind). FileNotFoundError when there
    is none; OSError for what cannot be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(f"{os.fspath(path)}: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


def read_config_text(path: Path) -> tuple[str | None, str | None]:
    """The text of a config file (keymap.toml, settings.toml): (text, None), (None, None)
    when there is none, or (None, a problem to show). Only a regular file is read (a FIFO
    would block the start; ``read_regular``), at most MAX_CONFIG_BYTES of it, as UTF-8."""
    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return None, None
    except NotRegularFile:
        return None, f"{path.name} ignored: not a regular file"
    except OSError as exc:
        return None, f"{path.name} ignored: {exc.strerror or exc}"
    if len(raw) > MAX_CONFIG_BYTES:
        return None, f"{path.name} ignored: over the {MAX_CONFIG_BYTES // 1024} KB a config file may have"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return None, f"{path.name} ignored: not UTF-8"


def line_of(text: str, key: str, table: str | None = None) -> int | None:
    """The line (1-based) of a TOML file that sets ``key`` (bare or quoted), inside
    ``[table]`` when given, for a problem located like a compiler's (None: not found, e.g.
    a key written with escapes)."""
    quoted = [re.escape(key)] if re.fullmatch(r"[A-Za-z0-9_-]+", key) else []
    quoted += [re.escape('"' + key + '"'), re.escape("'" + key + "'")]
    wanted = re.compile(r"[ \t]*(?:" + "|".join(quoted) + r")[ \t]*=")
    header = re.compile(r"[ \t]*\[")
    inside = table is None
    for number, line in enumerate(text.splitlines(), 1):
        if header.match(line):
            named = re.fullmatch(r"[ \t]*\[[ \t]*" + re.escape(table or "") + r"[ \t]*\][ \t]*(#.*)?", line)
            inside = table is not None and named is not None
            if table is None:
                return None  # top-level keys end at the first table
        elif inside and wanted.match(line):
            return number
    return None
