"""Where briefs and data live: the bundled briefs, the default folder, the data directory."""

from __future__ import annotations

import os
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


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """Binding id -> keys from the keymap file, and a problem to show (or None).

    The file holds one table::

        [keys]
        "pane.highlight" = "H"
        "app.quit" = "q,ctrl+q"
    """
    path = path or keymap_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"keymap {path} ignored: {exc}"
    import tomllib  # only when there is a keymap: start-up pays nothing otherwise

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        return {}, f"keymap {path} ignored: {exc}"
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
        return {}, f'keymap {path} ignored: expected a [keys] table of "binding.id" = "key,key"'
    return keys, None
