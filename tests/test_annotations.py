"""Every function of the reader's UI and session that takes a brief, a fact, a highlight, a
list entry, a drafted mention or a draft says which type it is (issue 13), and every function
whose name says it hands one out says what it returns. A static check of the source (no type
checker is installed here): it fails on a new ``def show(self, brief)`` or on ``brief: Any``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import briefing

PACKAGE = Path(briefing.__file__).parent
LAYERS = ("ui", "session")

BRIEFS = {"Brief", "ShownBrief", "FactsBrief", "HeadBrief", "ScreenBrief"}
# A parameter with one of these names must be annotated with one of these types.
EXPECTED = {
    "brief": BRIEFS, "briefs": BRIEFS,
    "fact": {"Fact", "ShownFact", "ScreenFact"}, "facts": {"Fact", "ShownFact", "ScreenFact"},
    "highlight": {"Highlight", "HighlightLike"}, "highlights": {"Highlight", "HighlightLike"},
    "entry": {"Entry"}, "entries": {"Entry"},
    "hit": {"Hit"}, "hits": {"Hit"},
    "draft": {"Draft"},
}
HANDS_OUT = re.compile(r"brief|fact|highlight|entr|hit|draft")


def _names(annotation: ast.expr) -> set[str]:
    """The type names an annotation mentions (also inside string annotations)."""
    names = set()
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names |= _names(ast.parse(node.value, mode="eval").body)
    return names


def _functions():
    for layer in LAYERS:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield path.relative_to(PACKAGE.parent), node


def test_what_a_function_takes_is_typed():
    wrong = []
    for where, fn in _functions():
        args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
        for arg in args:
            expected = EXPECTED.get(arg.arg)
            if expected is None:
                continue
            if arg.annotation is None:
                wrong.append(f"{where}:{fn.lineno}: {fn.name}({arg.arg}) has no annotation")
            elif not _names(arg.annotation) & expected:
                wrong.append(f"{where}:{fn.lineno}: {fn.name}({arg.arg}: {ast.unparse(arg.annotation)}), "
                             f"expected one of {sorted(expected)}")
    assert not wrong, "\n".join(wrong)


def test_what_a_function_hands_out_is_typed():
    missing = [f"{where}:{fn.lineno}: {fn.name}" for where, fn in _functions()
               if fn.returns is None and fn.name != "__init__" and HANDS_OUT.search(fn.name)]
    assert not missing, "\n".join(missing)


def test_the_check_sees_a_missing_annotation():
    tree = ast.parse("def show(self, brief, fact: Any, entry: 'Entry | None'): pass")
    fn = tree.body[0]
    got = {a.arg: (a.annotation is not None and bool(_names(a.annotation) & EXPECTED[a.arg]))
           for a in fn.args.args if a.arg in EXPECTED}
    assert got == {"brief": False, "fact": False, "entry": True}
