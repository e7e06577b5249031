"""Split a brief into YAML front matter and body; load the YAML safely.

Every scalar is kept as the text written (only null is None): dates, numbers and booleans
are not converted here, the parser reads ``published`` as a date itself.

PyYAML's safe loader still expands alias bombs, and libyaml crashes on very deep nesting,
so the front matter is first scanned token by token (the scanner is iterative and cheap):
anchors, aliases and tags are refused, and nesting deeper than MAX_DEPTH stops the scan,
before any node is composed. Only then is it composed, with marks kept for every key so
problems point at the right line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

MAX_FRONT_MATTER_CHARS = 256 * 1024
MAX_DEPTH = 16

_OPEN_RE = re.compile(r"---[ \t]*(?:\n|$)")
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

Loc = tuple  # a path of keys/indexes into the data


@dataclass
class YamlIssue:
    line: int  # 1-based, within the YAML text
    col: int
    message: str


@dataclass
class FrontMatter:
    data: object = None
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # loc -> (line, col), 1-based
    value_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    issues: list[YamlIssue] = field(default_factory=list)


def split(text: str) -> tuple[str | None, int, int]:
    """Return (yaml_text or None, offset of the YAML, offset where the body starts).

    A missing closing line returns yaml_text None and body offset -1.
    """
    m = _OPEN_RE.match(text)
    if m is None:
        return None, 0, 0
    start = m.end()
    close = _CLOSE_RE.search(text, start)
    if close is None:
        return None, start, -1
    body = close.end() + 1 if close.end() < len(text) else close.end()
    return text[start : close.start()], start, body


# libyaml when present: ~5x faster. Its scanner is iterative, so the guard may run it on any
# input; only composing recurses, and that happens after the guard bounded the depth.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _guard(yaml_text: str) -> list[YamlIssue]:
    """Refuse what safe_load would still accept and what would crash libyaml."""
    issues: list[YamlIssue] = []
    depth = 0
    try:
        for token in yaml.scan(yaml_text, Loader=_Loader):
            mark = token.start_mark
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                issues.append(YamlIssue(mark.line + 1, mark.column + 1, "YAML anchors and aliases (&a, *a) are not allowed in briefs"))
            elif isinstance(token, yaml.TagToken):
                issues.append(YamlIssue(mark.line + 1, mark.column + 1, f"YAML tags ({token.value[0]}{token.value[1]}) are not allowed in briefs"))
            elif isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
                                    yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
                depth += 1
                if depth > MAX_DEPTH:
                    issues.append(YamlIssue(mark.line + 1, mark.column + 1, f"front matter is nested more than {MAX_DEPTH} levels deep"))
                    return issues
            elif isinstance(token, (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
                depth -= 1
            if len(issues) >= 20:
                break
    except yaml.YAMLError as exc:
        issues.append(_issue_from(exc, yaml_text))
    return issues


def _issue_from(exc: yaml.YAMLError, yaml_text: str = "") -> YamlIssue:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not accept
        line = yaml_text.count("\n", 0, exc.position) + 1
        col = exc.position - (yaml_text.rfind("\n", 0, exc.position) + 1) + 1
        return YamlIssue(line, col, f"invalid YAML: character U+{exc.character:04X} is not allowed"
                         if isinstance(exc.character, int) else "invalid YAML: a character is not allowed")
    if not isinstance(exc, yaml.MarkedYAMLError):
        return YamlIssue(1, 1, f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    message = "invalid YAML: " + (exc.problem or exc.context or "syntax error")
    if exc.context and exc.problem and exc.problem.startswith("but "):  # "expected X, but found Y"
        message = f"invalid YAML: {exc.context}, {exc.problem}"
    if mark is None:
        return YamlIssue(1, 1, message)
    return YamlIssue(mark.line + 1, mark.column + 1, message)


def load(yaml_text: str) -> FrontMatter:
    fm = FrontMatter()
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        fm.issues.append(YamlIssue(1, 1, f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KB"))
        return fm
    fm.issues = _guard(yaml_text)
    if fm.issues:
        return fm
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            fm.data = {}
            return fm
        fm.data = _construct(loader, node, (), fm)
    except yaml.YAMLError as exc:
        fm.issues.append(_issue_from(exc, yaml_text))
    except (ValueError, OverflowError, TypeError) as exc:  # defensive: scalars are guarded below
        fm.issues.append(YamlIssue(1, 1, f"invalid YAML: {exc}"))
    finally:
        loader.dispose()
    return fm


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _construct(loader: yaml.SafeLoader, node: yaml.Node, loc: Loc, fm: FrontMatter) -> object:
    """Build plain data from the node tree (depth already bounded), recording marks."""
    fm.value_marks[loc] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or not key:
                fm.issues.append(YamlIssue(*_mark(key_node), "front matter keys must be plain text"))
                continue
            if key in out:
                fm.issues.append(YamlIssue(*_mark(key_node), f"duplicate key {key!r}"))
                continue
            fm.key_marks[loc + (key,)] = _mark(key_node)
            out[key] = _construct(loader, value_node, loc + (key,), fm)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, child, loc + (i,), fm) for i, child in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.ScalarNode) -> str | None:
    """A scalar as the text written (quotes and escapes resolved): YAML 1.1 would read
    ``NO`` as false, ``1e3`` as 1000.0 and ``0x1F`` as 31, none of which a brief means.
    Only null (empty, ``~``, ``null``) stays None."""
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value
