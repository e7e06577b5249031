"""Quality of ``briefing annotate``: precision, recall and F1 per type and per text.

    python bench/eval_annotate.py [DIR ...] [--split NAME ...] [--seeds | --no-seeds] [--learn] [--show]

DIR holds raw texts ``NAME.txt`` and their gold briefs ``NAME.md``; ``--split NAME`` (repeatable)
names a folder of bench/annotate_eval (test, dev, test2, test3 and test4: the blind splits). Default:
bench/annotate_eval/test. The seeds (seeds/NNN_*.txt against the brief in briefs/ whose
source is "Seed document NNN") are added unless --no-seeds. Each text is drafted with its
gold brief's published date and, unless --learn, without the corpus gazetteer.

Scoring follows bench/annotate_eval/GUIDE.md: per text, leaders and regions as sets of entities,
dates as the set of distinct values. A predicted entity matches a gold one when its name,
case- and diacritics-folded, is the gold entity's name or one of its aliases (declared
aliases and the texts of its mentions); matching is one to one. Precision, recall and F1
are micro-averaged over the texts of each group, and printed per text. --show lists each
text's misses and false alarms.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tui"))

from briefing.annotate import draft_brief, learned_entities  # noqa: E402
from briefing.core.parser import load_brief, parse_brief  # noqa: E402

TYPES = ("leader", "region", "date")
SPLITS = ROOT / "bench" / "annotate_eval"


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("’", "'").casefold().split())


def gold_sets(brief) -> dict[str, list[tuple[str, set[str]]]]:
    """type -> [(label, spellings)] for leaders and regions; [(value, {value})] for dates."""
    out: dict[str, list[tuple[str, set[str]]]] = {t: [] for t in TYPES}
    for kind in ("leader", "region"):
        for f in brief.facts.get(kind, []):
            spellings = {fold(f.name)} | {fold(t) for t in f.texts}
            if f.key.startswith("ref:"):
                e = brief.entities.get(f.key[4:])
                if e is not None:
                    spellings |= {fold(a) for a in e.aliases} | {fold(e.name)}
            out[kind].append((f.name, spellings))
    seen = set()
    for f in brief.facts.get("date", []):
        if f.value not in seen:
            seen.add(f.value)
            out["date"].append((f.value, {fold(f.value)}))
    return out


def predicted_sets(brief) -> dict[str, list[str]]:
    out = {t: [] for t in TYPES}
    for kind in ("leader", "region"):
        out[kind] = [f.name for f in brief.facts.get(kind, [])]
    out["date"] = sorted({f.value for f in brief.facts.get("date", [])})
    return out


def score(gold: list[tuple[str, set[str]]], pred: list[str]) -> tuple[int, int, int, list[str], list[str]]:
    """(tp, fp, fn, false alarms, misses), one-to-one."""
    unmatched = list(gold)
    fps = []
    tp = 0
    for p in pred:
        key = fold(p)
        for i, (_, spellings) in enumerate(unmatched):
            if key in spellings:
                del unmatched[i]
                tp += 1
                break
        else:
            fps.append(p)
    return tp, len(fps), len(unmatched), fps, [g for g, _ in unmatched]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def pairs_in(folder: Path) -> list[tuple[str, Path, Path]]:
    return [(txt.stem, txt, txt.with_suffix(".md")) for txt in sorted(folder.glob("*.txt")) if txt.with_suffix(".md").is_file()]


def seed_pairs() -> list[tuple[str, Path, Path]]:
    out = []
    briefs = {}
    for md in sorted((ROOT / "briefs").glob("*.md")):
        source = load_brief(md).meta.source or ""
        if source.startswith("Seed document "):
            briefs[source.split()[-1]] = md
    for txt in sorted((ROOT / "seeds").glob("*.txt")):
        md = briefs.get(txt.name.split("_")[0])
        if md is not None:
            out.append((f"seed {txt.name.split('_')[0]}", txt, md))
    return out


def evaluate(name: str, pairs, learned, show: bool) -> dict[str, tuple[int, int, int]]:
    totals = {t: [0, 0, 0] for t in TYPES}
    print(f"\n## {name} ({len(pairs)} texts)\n")
    print(f"{'text':<34} " + "  ".join(f"{t + ' P/R/F1':>21}" for t in TYPES))
    for label, txt, md in pairs:
        gold_brief = load_brief(md)
        draft = draft_brief(txt.read_text(encoding="utf-8"), published=gold_brief.meta.published, learned=learned)
        pred_brief = parse_brief(draft, path=str(txt))
        gold, pred = gold_sets(gold_brief), predicted_sets(pred_brief)
        cells = []
        notes = []
        for t in TYPES:
            tp, fp, fn, fps, misses = score(gold[t], pred[t])
            for i, v in enumerate((tp, fp, fn)):
                totals[t][i] += v
            p, r, f = prf(tp, fp, fn)
            cells.append(f"{p:5.2f} {r:5.2f} {f:5.2f} ({tp:2d})")
            if show and (fps or misses):
                notes.append(f"    {t}: false {fps}  missed {misses}")
        print(f"{label[:34]:<34} " + "  ".join(f"{c:>21}" for c in cells))
        for n in notes:
            print(n)
    print(f"{'ALL (micro)':<34} " + "  ".join(
        f"{'%5.2f %5.2f %5.2f' % prf(*totals[t]):>21}" for t in TYPES))
    return {t: tuple(v) for t, v in totals.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--split", action="append", default=[], metavar="NAME",
                    choices=sorted(d.name for d in SPLITS.iterdir() if d.is_dir() and d.name != "__pycache__"),
                    help="a split of bench/annotate_eval (test, dev, test2, test3, test4); repeatable")
    ap.add_argument("--seeds", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--learn", action="store_true", help="use the corpus index as a gazetteer (off: reproducible)")
    ap.add_argument("--show", action="store_true", help="list misses and false alarms")
    args = ap.parse_args(argv)
    dirs = [*args.dirs, *(SPLITS / name for name in args.split)] or [SPLITS / "test"]
    learned = learned_entities() if args.learn else None
    print("briefing annotate: precision / recall / F1 (leaders and regions by entity, dates by value)")
    for d in dirs:
        pairs = pairs_in(d)
        if not pairs:
            print(f"\n## {d}: no NAME.txt + NAME.md pairs", file=sys.stderr)
            continue
        evaluate(str(d.relative_to(ROOT) if d.is_absolute() and ROOT in d.parents else d), pairs, learned, args.show)
    if args.seeds:
        evaluate("seeds (seeds/*.txt against briefs/)", seed_pairs(), learned, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
