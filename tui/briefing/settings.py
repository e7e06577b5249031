"""``settings.toml`` beside ``keymap.toml``: what the reader keeps between runs.

    theme = "textual-light"   # any theme name the command palette lists
    list_width = 40           # the document list's width in columns (20-120)
    sort = "newest"           # or "title"
    sidebar = true            # show the key-facts sidebar

The reader saves it when one of these changes in the app (the file is rewritten atomically:
keys it does not know are kept, comments are not). A setting it does not know or a value it
cannot use is reported once at start (a notification and a line on stderr) and the default
is used for it; a file it cannot read at all is reported and left alone (never overwritten).
Nothing here imports textual.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_CONFIG_BYTES = 64 * 1024  # a settings or keymap file is a few lines; more is not one
LIST_WIDTH_RANGE = (20, 120)


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    theme: str | None = None
    list_width: int | None = Field(default=None, ge=LIST_WIDTH_RANGE[0], le=LIST_WIDTH_RANGE[1])
    sort: Literal["newest", "title"] = "newest"
    sidebar: bool = True


KNOWN = tuple(Settings.model_fields)


def settings_path() -> Path:
    """``settings.toml`` in ``$BRIEFING_CONFIG_DIR``, else the user config directory."""
    from briefing.paths import keymap_path

    return keymap_path().with_name("settings.toml")


def read_config(path: Path) -> tuple[dict | None, str | None]:
    """A small TOML file as a dict, or None and why not (None, None: there is no file).
    Files over MAX_CONFIG_BYTES are refused before they are read."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"{path} ignored: {exc.strerror or exc}"
    if len(raw) > MAX_CONFIG_BYTES:
        return None, f"{path} ignored: over {MAX_CONFIG_BYTES // 1024} KB"
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8")), None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return None, f"{path} ignored: {exc}"


def load_settings(path: Path | None = None) -> tuple[Settings, list[str], bool]:
    """The settings, the problems to report (each once), and whether the file may be rewritten
    (not when it exists but could not be read: the user's file is never replaced by defaults)."""
    path = path or settings_path()
    data, problem = read_config(path)
    if data is None:
        return Settings(), [problem] if problem else [], problem is None
    problems = []
    unknown = [k for k in data if k not in KNOWN]
    if unknown:
        problems.append(f"{path}: unknown setting{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(repr(k) for k in unknown)} (known: {', '.join(KNOWN)})")
    good = {}
    for key in KNOWN:
        if key not in data:
            continue
        try:
            Settings(**{key: data[key]})
        except ValidationError as exc:
            problems.append(f"{path}: {key} = {data[key]!r} ignored: {exc.errors()[0]['msg']}")
        else:
            good[key] = data[key]
    return Settings(**good), problems, True


def _toml_value(value) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    return None


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings (atomically), keeping the keys of the file this version does not know."""
    from briefing.atomic import write_atomic

    path = path or settings_path()
    data, _ = read_config(path)
    lines = ["# briefing's settings (see README: Settings); rewritten when they change in the app"]
    for key, value in settings.model_dump().items():
        if value is not None:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, value in (data or {}).items():
        text = _toml_value(value)
        if key not in KNOWN and text is not None:
            lines.append(f"{json.dumps(key)} = {text}")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, "\n".join(lines) + "\n", force=True)

