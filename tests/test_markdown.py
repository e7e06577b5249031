"""briefing.core.markdown.parse_body on its own: emphasis against a CommonMark implementation,
source mapping, and pathological input that must neither hang nor overflow the stack."""

from __future__ import annotations

import pytest

from briefing.core.limits import MAX_PROBLEMS
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.core.markdown import MAX_BLOCK_DEPTH, MAX_SPAN_DEPTH, parse_body

markdown_it = pytest.importorskip("markdown_it")  # installed with rich
_MD = markdown_it.MarkdownIt("commonmark")


def body(text: str):
    return parse_body(text, 0, 1)


def reference(line: str) -> tuple[str, list[tuple[str, int, int]]]:
    """Display text and emphasis ranges of one line, by markdown-it (CommonMark)."""
    out: list[str] = []
    opened: list[tuple[str, int]] = []
    ranges: list[tuple[str, int, int]] = []
    length = 0
    for tok in _MD.parseInline(line)[0].children:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
            length += len(tok.content)
        elif tok.type in ("em_open", "strong_open"):
            opened.append((tok.type, length))
        elif tok.type in ("em_close", "strong_close"):
            kind, start = opened.pop()
            ranges.append(("emphasis" if kind == "em_open" else "strong", start, length))
        else:
            raise AssertionError(tok.type)
    return "".join(out), sorted(ranges)


def ours(line: str) -> tuple[str, list[tuple[str, int, int]]]:
    b = body(line)
    return b.text, sorted((s.kind, s.start, s.end) for s in b.styles if s.kind in ("emphasis", "strong"))


@pytest.mark.parametrize("inline", [
    "*a*", "**a**", "***a***", "*a **b** c*", "**a *b* c**", "***a** b*", "***a* b**", "*a **b***",
    "**a* and *b** and * c", "a*b*c", "a_b_c", "_a_b", "__a__b", "*(**a**)*", "**a*b**c*", "_a *b_ c*",
    "* a *", "** a**", "*a\\*", "****a****", "*****a*****", "_(_a_)_", "a**b**c**", "*a*b*c*",
    "x `*a*` y", "`a*` b*",
])
def test_emphasis_matches_commonmark(inline):
    line = f"x {inline} y"
    assert ours(line) == reference(line)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="*_ ab.(", min_size=1, max_size=24))
def test_emphasis_matches_commonmark_on_random_runs(inline):
    line = f"x {inline} y"
    assert ours(line) == reference(line)


def test_source_mapping_through_quote_markers():
    src = "> one [two\n> three]{.region} *four*\n"
    b = body(src)
    assert b.text == "one two three four"
    (span,) = b.spans
    assert (span.line, span.col, src[span.src_start : span.src_end]) == (1, 7, "[two\n> three]{.region}")
    assert span.attr_src == {}
    for d, q, n in b.segments:
        assert b.text[d : d + n] == src[q : q + n].replace("\n", " ")
    (style,) = b.styles
    assert src[style.src_start : style.src_end] == "*four*"


def test_attribute_offsets_point_at_the_names():
    src = "ab [x]{.leader  ref=k   mod=END}\n"
    (span,) = body(src).spans
    assert {k: src[v : v + 3] for k, v in span.attr_src.items()} == {"ref": "ref", "mod": "mod"}


def test_body_offset_and_first_line():
    src = "IGNORED\nmore\n[a]{.x} [b\n"
    b = parse_body(src, 13, 3)
    assert b.text == "a [b"
    assert [(i.line, i.col) for i in b.issues] == [(3, 9)]
    assert b.spans[0].src_start == 13


# ---------------------------------------------------------------------------- pathological input


def test_ten_thousand_quote_markers():
    b = body(">" * 10_000 + " deep\n")
    assert b.text == "deep"
    assert [(bl.kind, bl.level) for bl in b.blocks] == [("quote", MAX_BLOCK_DEPTH)]
    assert [(i.line, i.col, i.severity) for i in b.issues] == [(1, 1, "warning")]


def test_ten_thousand_open_brackets():
    b = body("[" * 10_000 + "x\n")
    errors = [i for i in b.issues if i.severity == "error"]
    assert len([i for i in errors if "unclosed '['" in i.message]) == MAX_SPAN_DEPTH
    assert len([i for i in errors if "nested more than" in i.message]) == 1
    assert b.text == "[" * 10_000 + "x"


def test_ten_thousand_nested_spans_deep():
    b = body("[" * 10_000 + "x" + "]{.x}" * 10_000 + "\n")
    assert any("nested more than" in i.message for i in b.issues)


@pytest.mark.parametrize("chunk", ["*", "_", "**a ", "*a _b ", "a`", "``a ", "\\", "![", "](", "[a](", "[a]{", "]{",
                                   "<http://", "{", "- ", "# ", "    ", "[a]{.x} [", "*[a]{.x}* "])
def test_repeated_markup_neither_hangs_nor_overflows(chunk):
    text = chunk * 10_000 + "end\n"
    b = body(text)
    if b.stopped_at is None:
        assert b.text.endswith("end")
    else:  # every one an error: reading stopped after MAX_PROBLEMS of them (the brief is refused)
        assert sum(i.severity == "error" for i in b.issues) == MAX_PROBLEMS
    assert all(0 <= s.start <= s.end <= len(b.text) for s in b.spans)
    assert all(0 <= s.start <= s.end <= len(b.text) for s in b.styles)


def test_an_unclosed_fence_of_ten_thousand_backticks():
    b = body("`" * 10_000 + "\nx [y]{.z}\n")
    assert (b.text, b.spans) == ("x [y]{.z}\n", [])
    assert [(i.line, i.severity) for i in b.issues] == [(1, "warning")]


def test_deep_list_indentation_is_clamped():
    b = body("".join(" " * (2 * i) + f"- {i}\n" for i in range(50)))
    assert max(bl.level for bl in b.blocks) == MAX_BLOCK_DEPTH
    assert [bl.level for bl in b.blocks][:3] == [0, 1, 2]


def test_no_method_is_called_on_a_name_imported_by_name():
    # CPython (3.11 to 3.13) compiles ``NAME.method(...)`` as an attribute load and a call (a
    # bound method made each time) when NAME is bound by an import at module level, or when a
    # local variable has the name of one: meant for modules, it cost 10% in run_simple's loop
    # when the package was split and shortcut.py imported _NEAR_MISS_RE by name. A pattern,
    # a class or a dict used that way is assigned in the module instead (see shortcut.py).
    import ast
    import importlib
    import inspect
    import pkgutil
    import types

    import briefing.core.markdown as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        tree = ast.parse(inspect.getsource(module))
        imported = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
        local = {node.id for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.Lambda))
                 for node in ast.walk(fn) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
        local |= {arg.arg for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef) for arg in ast.walk(fn.args)
                  if isinstance(arg, ast.arg)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in imported):
                name = node.func.value.id
                if name in local or not isinstance(vars(module).get(name), types.ModuleType):
                    found.append(f"{info.name}.py:{node.lineno}: {name}.{node.func.attr}(...)")
    assert found == []


def test_no_gc_pauses_the_collector_nests_and_restores_it_after_an_error():
    import gc

    from briefing.core.markdown import no_gc

    assert gc.isenabled()
    try:
        with no_gc():
            assert not gc.isenabled()
            with no_gc():
                assert not gc.isenabled()
            assert not gc.isenabled()  # (the outer one still holds)
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with no_gc():
            pass
        assert not gc.isenabled()  # (not turned on by who did not turn it off)
    finally:
        gc.enable()
