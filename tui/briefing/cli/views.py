"""The views across briefs on the command line (a contract: docs/VIEWS.md):

    briefing timeline PATH... [--entity NAME] [--from D] [--to D] [--json|--csv]
    briefing profile NAME PATH... [--json]
    briefing compare A B [--json]
    briefing related PATH [--in FOLDER...] [--json]

They read the corpus index in the data folder (as the reader does; the PATHs are brought
up to date first). --json prints one JSON document with a stable key order. A bad
argument, a path that does not exist or a name that names nothing prints one line on
standard error and exits 1; never a traceback. Textual is never imported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

VIEW_COMMANDS = ("timeline", "profile", "compare", "related")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2; a bad argument here exits 1
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="briefing")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    t = sub.add_parser("timeline", help="every dated mention across briefs, in the order of the dates")
    t.add_argument("paths", nargs="+", metavar="PATH")
    t.add_argument("--entity", metavar="NAME", help="only dates in a sentence that mentions NAME")
    t.add_argument("--from", dest="date_from", metavar="D", help="dates from D on (2024, 2024-06, 2024-06-19)")
    t.add_argument("--to", dest="date_to", metavar="D", help="dates up to D")
    fmt = t.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    pr = sub.add_parser("profile", help="a leader, region or any fact across briefs")
    pr.add_argument("name", metavar="NAME", help="a name or alias, TYPE:NAME, a Wikidata id (Q…) or a date value")
    pr.add_argument("paths", nargs="+", metavar="PATH")
    pr.add_argument("--json", action="store_true")
    c = sub.add_parser("compare", help="the key facts of two briefs side by side")
    c.add_argument("a", metavar="A")
    c.add_argument("b", metavar="B")
    c.add_argument("--json", action="store_true")
    r = sub.add_parser("related", help="the briefs that share the most key facts with one")
    r.add_argument("path", metavar="PATH")
    r.add_argument("--in", dest="within", nargs="+", metavar="FOLDER",
                   help="look among these briefs and folders (default: the folder of PATH)")
    r.add_argument("--json", action="store_true")
    return p


def main_views(argv: list[str]) -> int:
    from briefing.cli import _line

    try:
        args = _parser().parse_args(argv)
        return {"timeline": cmd_timeline, "profile": cmd_profile, "compare": cmd_compare,
                "related": cmd_related}[args.command](args)
    except UsageError as exc:
        print(_line(str(exc)), file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise  # briefing.cli.main: a reader that stopped reading is no error
    except (LookupError, ValueError, OSError) as exc:
        print(_line(f"briefing: {exc}"), file=sys.stderr)
        return 1


def _existing(paths: list[str]) -> list[Path]:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"briefing: {missing[0]}: no such file or folder")
    return [Path(p) for p in paths]


def _index(roots: list[Path]):
    from briefing.index import Index

    index = Index.open()
    index.refresh(roots)
    return index


def _print_json(value, contract: str) -> None:
    """Print ``value`` through its model in briefing.cli.contracts (the same keys in the same
    order: byte for byte what the dict gave), so a view cannot print what its schema denies."""
    from briefing.cli import json_text
    from briefing.cli.contracts import CONTRACTS

    doc = CONTRACTS[contract].model_validate(value).model_dump(by_alias=True, exclude_unset=True)
    sys.stdout.write(json_text(doc) + "\n")


def _out(text: str) -> None:
    from briefing.cli import _line

    sys.stdout.write(_line(text) + "\n")


def cmd_timeline(args) -> int:
    from briefing.views.resolve import resolve
    from briefing.views.scope import Scope
    from briefing.views.timeline import day_of, timeline

    date_from = day_of(args.date_from, False) if args.date_from else None
    date_to = day_of(args.date_to, True) if args.date_to else None
    roots = _existing(args.paths)
    with _index(roots) as index:
        scope = Scope(roots=roots)
        entity = resolve(index, args.entity).idents if args.entity else None
        rows = timeline(index, scope, date_from=date_from, date_to=date_to, entity=entity)
    if args.json:
        _print_json({"from": date_from, "to": date_to, "entity": args.entity, "count": len(rows),
                     "mentions": [r.as_json() for r in rows]}, "timeline")
    elif args.csv:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        keys = ["date", "mod", "precision", "words", "text", "sentence", "path", "title", "published", "start", "end"]
        w.writerow(keys)
        for r in rows:
            d = r.as_json()
            w.writerow(["" if d[k] is None else d[k] for k in keys])
        sys.stdout.write(_csv_safe(buf.getvalue()))
    else:
        for r in rows:
            _out(f"{r.words:<28} {r.sentence}")
            _out(f"{'':<28}   — {r.title} ({r.published or 'undated'})")
    return 0


def _csv_safe(text: str) -> str:
    """CSV for a terminal or a file: line by line, nothing that acts on a terminal."""
    from briefing.core.sanitize import terminal_line

    return "\n".join(terminal_line(line) for line in text.split("\n"))


def cmd_profile(args) -> int:
    from briefing.views.profile import profile
    from briefing.views.scope import Scope

    roots = _existing(args.paths)
    with _index(roots) as index:
        p = profile(index, args.name, Scope(roots=roots))
    if args.json:
        _print_json(p.as_json(), "profile")
        return 0
    _out(f"{p.name} ({p.type}) — {p.mentions} mention(s) in {len(p.briefs)} brief(s), "
         f"first seen {p.first_seen or '?'}, last seen {p.last_seen or '?'}")
    if len(p.names) > 1:
        _out("  also named: " + ", ".join(p.names[1:]))
    if p.roles:
        _out("  roles: " + "; ".join(f"{r} ({n})" for r, n in p.roles))
    if p.countries:
        _out("  countries: " + "; ".join(f"{c} ({n})" for c, n in p.countries))
    if p.company:
        _out("  mentioned with: " + ", ".join(f"{name} ({n})" for _, name, n in p.company))
    if p.months:
        from briefing.views.spark import sparkline

        _out(f"  per month {p.months[0][0]}..{p.months[-1][0]}: {sparkline([n for _, n in p.months])}")
    _out("")
    for b in p.briefs:
        _out(f"  {b.published or 'undated':<10}  ×{b.mentions:<3} {b.title}")
    _out("")
    for c in p.contexts:
        _out(f"  {c.published or 'undated':<10}  {c.sentence}")
    return 0


def cmd_compare(args) -> int:
    from briefing.core.parser import load_brief
    from briefing.core.problems import BriefError
    from briefing.views.compare import compare

    _existing([args.a, args.b])
    briefs = []
    for path in (args.a, args.b):
        try:
            briefs.append(load_brief(path))
        except BriefError as exc:
            first = exc.problems[0].format() if exc.problems else f"{path}: cannot be read"
            raise UsageError(f"briefing: {path} does not read: {first}") from None
    result = compare(*briefs)
    if args.json:
        _print_json(result.as_json(), "compare")
        return 0
    _out(f"A: {result.a.meta.title}")
    _out(f"B: {result.b.meta.title}")
    for kind, (both, only_a, only_b) in result.groups.items():
        if not (both or only_a or only_b):
            continue
        _out("")
        _out(f"{kind}")
        for s in both:
            _out(f"  both    {s.label}  (A ×{s.a}, B ×{s.b})")
        for s in only_a:
            _out(f"  only A  {s.label}  (×{s.a})")
        for s in only_b:
            _out(f"  only B  {s.label}  (×{s.b})")
    return 0


def cmd_related(args) -> int:
    from briefing.views.related import related
    from briefing.views.scope import Scope

    (path,) = _existing([args.path])
    if not path.is_file():
        raise UsageError(f"briefing: {args.path}: not a brief file")
    roots = _existing(args.within) if args.within else [path.resolve().parent]
    with _index([*roots, path]) as index:
        rows = related(index, str(path), Scope(roots=roots))
    if args.json:
        _print_json({"path": str(path), "related": [r.as_json() for r in rows]}, "related")
        return 0
    for r in rows:
        shared = ", ".join(n for _, n in r.shared)
        _out(f"{r.score:6.2f}  {r.published or 'undated':<10}  {r.title}")
        _out(f"        shares: {shared}")
    return 0
