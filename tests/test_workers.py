"""Every worker names itself. Without a ``description``, Textual's ``@work`` builds one from the
``repr`` of its arguments on the calling (UI) thread: for a brief of 100,000 mentions that repr of
a pydantic model took ~12 s, and it would also carry brief text into debug output."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parent.parent / "tui" / "briefing" / "ui"


def test_every_work_decorator_has_a_description():
    found, missing = 0, []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for deco in node.decorator_list:
                name = deco.func if isinstance(deco, ast.Call) else deco
                if getattr(name, "id", getattr(name, "attr", None)) != "work":
                    continue
                found += 1
                keywords = {k.arg for k in deco.keywords} if isinstance(deco, ast.Call) else set()
                if "description" not in keywords:
                    missing.append(f"{path.relative_to(UI)}:{node.lineno} {node.name}")
    assert found >= 5  # the scan sees the workers (a scan that finds none proves nothing)
    assert missing == []
