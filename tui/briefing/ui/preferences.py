"""What the reader reads from settings.toml (briefing.settings), and reports once.

Two steps, so the first frame waits for neither pydantic nor the dialogs' modules:
``quick_preferences`` (before the app starts) takes the plainly right values of settings.toml;
``check_preferences`` (on a thread, after the first frame) checks the file with the model, and
keymap.toml with its own (briefing.keymap; the keys themselves were set before the first
frame), and the app tells each problem once (a notification; on stderr when it quits).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from briefing.settings import load_settings, quick_settings, read_config, settings_path


@dataclass
class Preferences:
    settings: dict  # setting -> value (briefing.settings.KNOWN)
    writable: bool = True  # False: settings.toml exists but could not be read (never overwritten)
    problems: list[str] = field(default_factory=list)


def quick_preferences() -> Preferences:
    data, problem = read_config(settings_path())
    return Preferences(quick_settings(data), writable=problem is None)


def check_preferences() -> tuple[list[str], bool]:
    """Every problem of settings.toml and keymap.toml (pydantic, and every module of the UI
    imported to list the binding ids: call it on a thread), and whether settings.toml may be
    rewritten."""
    from briefing.keymap import load_keymap
    from briefing.paths import keymap_path

    _, problems, writable = load_settings()
    if keymap_path().exists():
        from briefing.ui.keymap_ids import binding_ids

        _, problem = load_keymap(known_ids=binding_ids())
        if problem:
            problems.append(problem)
    return problems, writable


def report_on_stderr(problems: list[str]) -> None:
    from briefing.core.sanitize import terminal_line

    for p in problems:
        print(f"briefing: {terminal_line(p)}", file=sys.stderr)
