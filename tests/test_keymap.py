"""keymap.toml: the keys set before the first frame without pydantic (quick_keymap), the file
checked by its pydantic model after it (load_keymap), each problem with its line."""

from __future__ import annotations

import subprocess
import sys

from briefing.keymap import load_keymap, quick_keymap

KNOWN = {"list.sort", "app.export", "pane.highlight", "app.help", "app.quit"}


def write(tmp_path, text: str):
    path = tmp_path / "keymap.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_problem_is_located_by_its_line(tmp_path):
    path = write(tmp_path, '# my keys\n[other]\n"list.sort" = "x"\n[keys]\n"pane.highlight" = "H"\n'
                           '"list.sort" = "\\u001b[A"\n\n"pane.hilite" = "h"\n"app.quit" = 3\n')
    keys, problem = load_keymap(path, known_ids=KNOWN)
    assert keys == {"pane.highlight": "H"}
    assert "'list.sort' (line 6)" in problem and "'pane.hilite' (line 8)" in problem
    assert "unknown binding id" in problem and "not key names" in problem
    assert "'app.quit' (line 9): Input should be a valid string" in problem
    assert problem.startswith(f"keymap {path}: ") and problem.endswith("(left out)")


def test_a_file_that_is_not_a_keys_table_is_ignored_whole(tmp_path):
    keys, problem = load_keymap(write(tmp_path, 'keys = ["q"]\n'), known_ids=KNOWN)
    assert keys == {} and "expected a [keys] table" in problem
    assert load_keymap(write(tmp_path, "[keys]\n"), known_ids=KNOWN) == ({}, None)
    assert load_keymap(tmp_path / "none.toml", known_ids=KNOWN) == ({}, None)


def test_the_quick_keymap_takes_what_the_model_takes(tmp_path):
    cases = [
        '[keys]\n"list.sort" = "o"\n"app.help" = "f2, ctrl+shift+h ,é"\n',
        '[keys]\n"list.sort" = "\\u009b31m"\n"app.export" = "E"\n"app.quit" = ""\n',
        '[keys]\n"app.help" = "a,,b"\n"pane.highlight" = "ctrl+"\n"list.sort" = " "\n"app.quit" = ["q"]\n',
        '[keys]\nlist.sort = "o"\n',  # a dotted bare key: a table, not a string
        "[keys\n",
        'keys = "q"\n',
    ]
    for text in cases:
        path = write(tmp_path, text)
        model, _ = load_keymap(path)  # no ids to check: the same rule as the quick path
        assert quick_keymap(path) == model, text


def test_the_quick_keymap_needs_neither_pydantic_nor_the_ui(tmp_path):
    path = write(tmp_path, '[keys]\n"pane.highlight" = "H"\n"no.such" = "x"\n')
    code = ("import sys; from pathlib import Path; from briefing.keymap import quick_keymap; "
            f"keys = quick_keymap(Path({str(path)!r})); "
            "assert keys == {'pane.highlight': 'H', 'no.such': 'x'}, keys; "
            "assert 'pydantic' not in sys.modules and 'textual' not in sys.modules, 'imported'")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
