"""Where briefs and data live: the bundled briefs, the default folder, the data directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_briefs_dir() -> Path:
    """The briefs shipped with briefing: inside the installed package, or the repository's
    ``briefs/`` when running from a source checkout or an editable install."""
    installed = PACKAGE_DIR / "bundled_briefs"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / "briefs"


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
