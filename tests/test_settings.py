"""settings.toml: read with its problems reported, saved keeping what this version does not know."""

from __future__ import annotations

import tomllib

from briefing.settings import MAX_CONFIG_BYTES, Settings, load_settings, save_settings


def test_no_file_gives_the_defaults_and_may_be_written(tmp_path):
    settings, problems, writable = load_settings(tmp_path / "settings.toml")
    assert settings == Settings() and problems == [] and writable


def test_known_settings_are_read(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('theme = "textual-light"\nlist_width = 44\nsort = "title"\nsidebar = false\n')
    settings, problems, _ = load_settings(path)
    assert (settings.theme, settings.list_width, settings.sort, settings.sidebar) == ("textual-light", 44, "title", False)
    assert problems == []


def test_unknown_settings_and_bad_values_are_reported_once_each(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('colour = "red"\nsort = "random"\nlist_width = 5\nsidebar = true\n')
    settings, problems, writable = load_settings(path)
    assert settings.sort == "newest" and settings.list_width is None and settings.sidebar is True
    assert len(problems) == 3 and writable
    assert "unknown setting 'colour'" in problems[0] and "known: theme, list_width, sort, sidebar" in problems[0]
    assert any(p.startswith(f"{path}:2: sort = 'random' ignored") for p in problems)  # located by line


def test_an_unreadable_file_is_reported_and_never_overwritten(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("theme = \n")
    settings, problems, writable = load_settings(path)
    assert settings == Settings() and len(problems) == 1 and not writable
    path.write_bytes(b"#" * (MAX_CONFIG_BYTES + 1))
    _, problems, writable = load_settings(path)
    assert "KB" in problems[0] and not writable


def test_saving_keeps_unknown_keys(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('future_option = 3\ntheme = "nord"\n')
    save_settings(Settings(theme="textual-light", list_width=50, sort="title", sidebar=False), path)
    data = tomllib.loads(path.read_text())
    assert data == {"theme": "textual-light", "list_width": 50, "sort": "title", "sidebar": False, "future_option": 3}
