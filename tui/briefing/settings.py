"""``settings.toml`` beside ``keymap.toml``: what the reader keeps between runs.

    theme = "textual-light"   # any theme name the command palette lists
    list_width = 40           # the document list's width in columns (20-120)
    sort = "newest"           # or "title"
    sidebar = true            # show the key-facts sidebar

The reader saves it when one of these changes in the app (the file is rewritten atomically:
keys it does not know are kept, comments are not). The file is checked by the ``Settings``
pydantic model (strict: TOML's own types, extra keys forbidden); a setting it does not know
or a value it cannot use is reported once at start with its line (``PATH:LINE: ...``: a
notification and a line on stderr) and the default is used for it; a file it cannot read at
all is reported and left alone (never overwritten). The first frame takes the plainly right
values without pydantic (``quick_settings``). Nothing here imports textual.
"""

from __future__ import annotations

import json
from pathlib import Path

from briefing.paths import MAX_CONFIG_BYTES, line_of  # noqa: F401  (the cap on config files: briefing.paths)

LIST_WIDTH_RANGE = (20, 120)


KNOWN = ("theme", "list_width", "sort", "sidebar")
DEFAULTS = {"theme": None, "list_width": None, "sort": "newest", "sidebar": True}


def _model():
    """The settings' pydantic model, built on first use: pydantic costs ~0.1 s to import, and
    the reader's first frame must not wait for it (see quick_settings)."""
    global _MODEL
    if _MODEL is None:
        from typing import Literal

        from pydantic import BaseModel, ConfigDict, Field

        class Settings(BaseModel):
            """settings.toml (see the module's docstring)."""

            model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)

            theme: str | None = None
            list_width: int | None = Field(default=None, ge=LIST_WIDTH_RANGE[0], le=LIST_WIDTH_RANGE[1])
            sort: Literal["newest", "title"] = "newest"
            sidebar: bool = True

        _MODEL = Settings
    return _MODEL


_MODEL = None


def Settings(**values):  # noqa: N802 - reads as the model it builds
    return _model()(**values)


def quick_settings(data: dict | None) -> dict:
    """The values the first frame needs, from the file's data, taking only what is plainly right
    (the full check with the model comes after the first frame and reports the rest)."""
    out = dict(DEFAULTS)
    if not data:
        return out
    if isinstance(data.get("theme"), str):
        out["theme"] = data["theme"]
    width = data.get("list_width")
    if type(width) is int and LIST_WIDTH_RANGE[0] <= width <= LIST_WIDTH_RANGE[1]:
        out["list_width"] = width
    if data.get("sort") in ("newest", "title"):
        out["sort"] = data["sort"]
    if type(data.get("sidebar")) is bool:
        out["sidebar"] = data["sidebar"]
    return out


def settings_path() -> Path:
    """``settings.toml`` in ``$BRIEFING_CONFIG_DIR``, else the user config directory."""
    from briefing.paths import keymap_path

    return keymap_path().with_name("settings.toml")


def read_config(path: Path) -> tuple[dict | None, str | None]:
    """settings.toml as a dict, or None and why not (None, None: there is no file)."""
    data, problem, _ = _read(path)
    return data, problem


def _read(path: Path) -> tuple[dict | None, str | None, str]:
    """The data, why there is none, and the file's text. Read by the one capped reader of
    config files (briefing.paths.read_config_text)."""
    from briefing.paths import read_config_text

    raw, problem = read_config_text(path)
    if raw is None:
        return None, (f"{path} ignored: {problem.split(' ignored: ', 1)[-1]}" if problem else None), ""
    import tomllib

    try:
        return tomllib.loads(raw), None, raw
    except tomllib.TOMLDecodeError as exc:
        return None, f"{path} ignored: {exc}", raw


def load_settings(path: Path | None = None) -> tuple["Settings", list[str], bool]:
    """The settings, the problems to report (each once), and whether the file may be rewritten
    (not when it exists but could not be read: the user's file is never replaced by defaults)."""
    path = path or settings_path()
    data, problem, raw = _read(path)
    if data is None:
        return Settings(), [problem] if problem else [], problem is None
    from pydantic import ValidationError

    try:
        return _model().model_validate(data), [], True
    except ValidationError as exc:
        errors = exc.errors()
    # Each problem located by the model (the setting) and in the file (its line); the setting
    # is left out and its default used.
    unknown, bad = [], {}
    for error in errors:
        key = str(error["loc"][0]) if error["loc"] else ""
        if error["type"] == "extra_forbidden":
            unknown.append(key)
        else:
            bad.setdefault(key, str(error["msg"]))

    found = [(k, f"unknown setting {k!r} (known: {', '.join(KNOWN)})") for k in unknown]
    found += [(k, f"{k} = {data[k]!r} ignored: {why}") for k, why in bad.items()]
    lines = {k: line_of(raw, k) for k, _ in found}
    found.sort(key=lambda kw: lines[kw[0]] or len(raw))  # in the file's order
    problems = [f"{path}:{lines[k]}: {what}" if lines[k] else f"{path}: {what}" for k, what in found]
    good = {k: v for k, v in data.items() if k in KNOWN and k not in bad}
    return _model().model_validate(good), problems, True


def _toml_value(value) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    return None


def save_settings(settings, path: Path | None = None) -> None:
    """Write the settings (atomically), keeping the keys of the file this version does not know."""
    from briefing.atomic import write_atomic

    path = path or settings_path()
    data, _ = read_config(path)
    lines = ["# briefing's settings (theme, list_width, sort, sidebar); rewritten when they change in the app"]
    values = settings if isinstance(settings, dict) else settings.model_dump()
    for key, value in values.items():
        if value is not None:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, value in (data or {}).items():
        text = _toml_value(value)
        if key not in KNOWN and text is not None:
            lines.append(f"{json.dumps(key)} = {text}")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, "\n".join(lines) + "\n", force=True)

