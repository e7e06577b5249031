"""Textual's internals are touched in one module only (briefing.ui._textual_compat), and what
that module relies on is still there in the installed Textual. The drawing it enables is
compared line by line with Textual's own in tests/test_switch.py."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App
from textual.binding import BindingsMap
from textual.scroll_view import ScrollView
from textual.widget import Widget

from tests.test_app import BRIEFS, ready
from briefing.ui import _textual_compat as compat
from briefing.ui.app import create_app
from briefing.ui.widgets.line_scrollbar import LineScrollBar
from briefing.ui.widgets.reading_pane import ReadingPane

UI = Path(__file__).resolve().parent.parent / "tui" / "briefing" / "ui"


def _defined_names(tree: ast.AST) -> set[str]:
    """Attributes assigned and methods defined by the classes in ``tree``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Assign):
                    names.update(t.attr for t in inner.targets if isinstance(t, ast.Attribute))
                    names.update(t.id for t in inner.targets if isinstance(t, ast.Name))
                if isinstance(inner, ast.AnnAssign) and isinstance(inner.target, ast.Attribute):
                    names.add(inner.target.attr)
                if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(inner.name)
    return names


def _textual_private_names() -> set[str]:
    import textual

    names = set()
    for f in Path(textual.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                names.add(node.attr)
    return names


def _private_textual_uses(path: Path, textual_private: set[str], ours: set[str]) -> list[str]:
    """``_``-prefixed names imported from textual, and ``_``-prefixed attributes that Textual
    uses and no class of ours defines (a cheap but honest net)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
            found += [f"import {a.name}" for a in node.names if a.name.startswith("_")]
            if any(part.startswith("_") for part in (node.module or "").split(".")):
                found.append(f"from {node.module}")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if node.attr in textual_private and node.attr not in ours:
                found.append(node.attr)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in textual_private \
                and node.value not in ours and node.value.startswith("_"):
            found.append(node.value)  # getattr(obj, "_name")
    return found


def test_only_the_compat_module_touches_textual_internals():
    files = [p for p in UI.rglob("*.py") if p.name != "_textual_compat.py"]
    ours = set().union(*(_defined_names(ast.parse(p.read_text(encoding="utf-8"))) for p in files))
    textual_private = _textual_private_names()
    offenders = {}
    for path in files:
        found = _private_textual_uses(path, textual_private, ours)
        if found:
            offenders[str(path.relative_to(UI))] = sorted(set(found))
    assert offenders == {}


def test_the_internals_the_compat_module_uses_exist():
    assert isinstance(App.__init__, object)
    app = App()
    assert isinstance(compat.registered_themes(app), dict) and "textual-dark" in compat.registered_themes(app)
    assert compat.active_keymap(app) == {}
    assert isinstance(compat.node_bindings(app), BindingsMap)
    assert callable(getattr(App, "_start_widget"))
    assert callable(getattr(ScrollView, "_scroll_update"))
    widget = Widget()
    assert compat.vertical_scrollbar_slot(widget) is None
    assert compat.has_border_titles(widget) is False
    widget.border_title = "x"
    assert compat.has_border_titles(widget) is True


async def test_the_reader_uses_them_and_draws_its_own_scrollbar():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        app.set_keymap({"app.help": "f2"})
        assert compat.active_keymap(app) == {"app.help": "f2"}
        pane = app.query_one(ReadingPane)
        assert isinstance(compat.vertical_scrollbar_slot(pane), LineScrollBar)
        assert app.get_theme("textual-dark") is compat.registered_themes(app)["textual-dark"]
