"""Where briefs and data live: the bundled briefs, the default folder, the data directory."""

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


def data_dir() -> Path:
    """``$BRIEFING_DATA_DIR`` if set, else the platform's user data directory."""
    override = os.environ.get("BRIEFING_DATA_DIR")
    if override:
        return Path(override).expanduser()
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
        return Path(override).expanduser() / "keymap.toml"
    from platformdirs import user_config_dir

    return Path(user_config_dir("briefing", appauthor=False)) / "keymap.toml"


MAX_CONFIG_BYTES = 256 * 1024  # a config file larger than this is refused (a 9.5 MB keymap took 7 s)


def read_config_text(path: Path) -> tuple[str | None, str | None]:
    """The text of a config file (keymap.toml, settings.toml): (text, None), (None, None)
    when there is none, or (None, a problem to show). Only a regular file is read (a FIFO
    would block the start), at most MAX_CONFIG_BYTES of it, as UTF-8."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"{path.name} ignored: {exc.strerror or exc}"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, f"{path.name} ignored: not a regular file"
        if st.st_size > MAX_CONFIG_BYTES:
            return None, f"{path.name} ignored: {st.st_size // 1024} KB, over the {MAX_CONFIG_BYTES // 1024} KB a config file may have"
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        return None, f"{path.name} ignored: {exc.strerror or exc}"
    finally:
        os.close(fd)
    if len(raw) > MAX_CONFIG_BYTES:
        return None, f"{path.name} ignored: over the {MAX_CONFIG_BYTES // 1024} KB a config file may have"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return None, f"{path.name} ignored: not UTF-8"


# One key as Textual names it: modifiers, then a key name (lowercase, digits, '_') or one
# printable character. Anything else (escape sequences, C1 controls) is refused.
_KEY_RE = re.compile(r"(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?P<key>[a-z][a-z0-9_]*|.)")


def _is_key_name(text: str) -> bool:
    from briefing.core.sanitize import is_unsafe_char

    m = _KEY_RE.fullmatch(text)
    if m is None:
        return False
    key = m.group("key")
    return len(key) > 1 or (key.isprintable() and not key.isspace() and key != "," and not is_unsafe_char(key))


def load_keymap(path: Path | None = None, known_ids: frozenset[str] | set[str] | None = None
                ) -> tuple[dict[str, str], str | None]:
    """Binding id -> keys from the keymap file, and a problem to show (or None).

    The file holds one table::

        [keys]
        "pane.highlight" = "H"
        "app.quit" = "q,ctrl+q"

    A value that is not a list of key names, or an id not in ``known_ids`` (when given), is
    left out and reported; the rest is used. Reports are plain text, sanitised.
    """
    from briefing.core.sanitize import terminal_line

    path = path or keymap_path()
    raw, problem = read_config_text(path)
    if raw is None:
        return {}, terminal_line(f"keymap {problem}") if problem else None
    import tomllib  # only when there is a keymap: start-up pays nothing otherwise

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        return {}, terminal_line(f"keymap {path} ignored: {exc}")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
        return {}, terminal_line(f'keymap {path} ignored: expected a [keys] table of "binding.id" = "key,key"')
    good: dict[str, str] = {}
    bad: list[str] = []
    unknown: list[str] = []
    for bid, value in keys.items():
        if known_ids is not None and bid not in known_ids:
            unknown.append(bid)
            continue
        names = [k.strip() for k in value.split(",")]
        if not names or not all(_is_key_name(k) for k in names):
            bad.append(bid)
            continue
        good[bid] = ",".join(names)
    problems = []
    if bad:
        problems.append(f"not key names (like q, ctrl+q, f1, question_mark) for {', '.join(repr(b) for b in bad[:5])}")
    if unknown:
        problems.append(f"unknown binding ids {', '.join(repr(u) for u in unknown[:5])}"
                        + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""))
    return good, terminal_line(f"keymap {path}: " + "; ".join(problems) + " (left out)") if problems else None
