"""Check the annotate evaluation set: every raw text has a gold brief that is valid and faithful.

For every pair ``SPLIT/X.txt`` / ``SPLIT/X.md`` (SPLIT = test, dev, dev2, test2, test3, test4) it checks:

- ``python -m briefing validate`` accepts every .md (run with PYTHONPATH=tui of this checkout);
- words unchanged: the .md body with its spans stripped equals the raw body (the .txt without its
  headline line), character for character, and both read as the same plain text in the reader;
- the raw text uses no Markdown markup (so the body means the same as text and as Markdown);
- front matter: title = the headline, published set (and equal to a dateline date when there is one);
- every leader and region mention belongs to a declared entity (by ref, name or alias) and every
  declared leader/region is mentioned; leaders have a role, regions a known kind; dates have values;
- a calendar cross-check of the date values whose text has a fixed meaning (weekdays, this/last/next
  week/month/year, month-day without a year, early/mid/late, the past N years, ...), so a wrong ISO
  week or weekday cannot slip into the gold. A weekday, month-day or month without a year follows the
  guide's tense rule (GUIDE.md "Dates"): the check accepts the most recent one on or before the
  published date or the next one on or after it, and prints a NOTE where the gold's choice differs
  from the reading for the tense the annotator reads in the sentence (briefing.annotate.tense), for a
  person to judge (not a failure: the tense reader is a heuristic, the gold a person's reading). The
  gold of test/ and dev/ 01-08 was written when the rule was "the nearest"; it agrees with both.

Usage: python bench/annotate_eval/check_gold.py [SPLIT_DIR ...]   (exit 1 on any failure)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tui"))

from briefing.annotate.tense import tense_at  # noqa: E402  (the tense a person then judges)
from briefing.core.facts import _norm  # noqa: E402  (the reader's own spelling normalisation)
from briefing.core.parser import parse_brief  # noqa: E402
from briefing.core.problems import BriefError  # noqa: E402

MIN_WORDS, MAX_WORDS = 250, 700
REGION_KINDS = {"country", "city", "province", "state", "sea", "ocean", "strait", "gulf", "bay", "river",
                "lake", "island", "islands", "shoal", "reef", "continent", "region", "canal"}
SPAN_RE = re.compile(r"\[([^\[\]]*)\]\{[^{}\n]*\}")
# Markdown that would make the raw text read differently as a brief body.
MARKUP_CHARS = re.compile(r"[\[\]{}*_`\\<]")
MARKUP_LINE = re.compile(r"^(?:#|>|[-+] |\d+[.)](?:\s|$)| {4}|\t)")
DATELINE_RE = re.compile(r"^[A-Z][A-Z .'-]+, ([A-Z][a-z]+\.? \d{1,2}, \d{4})")

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NOTES: list[str] = []  # gold choices that differ from the tense the annotator reads, for a person
NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def strip_spans(body: str) -> str:
    while True:
        stripped = SPAN_RE.sub(r"\1", body)
        if stripped == body:
            return body
        body = stripped


def split_raw(raw: str) -> tuple[str, str]:
    """(headline, body): the first line, and everything after it without the blank lines between."""
    headline, _, rest = raw.partition("\n")
    return headline.strip(), rest.strip("\n").rstrip()


def gold_body(md: str) -> str:
    lines = md.split("\n")
    assert lines[0] == "---", "front matter must open the file"
    close = lines.index("---", 1)
    return "\n".join(lines[close + 1:]).strip("\n").rstrip()


def month_of(word: str) -> int | None:
    w = word.lower().rstrip(".")
    return MONTHS.get(w) or ABBR.get(w)


def nearest_day(pub: dt.date, month: int, day: int) -> dt.date:
    options = [dt.date(y, month, day) for y in (pub.year - 1, pub.year, pub.year + 1)]
    return min(options, key=lambda d: (abs((d - pub).days), d.year != pub.year))


def nearest_month(pub: dt.date, month: int) -> str:
    here = pub.year * 12 + pub.month - 1
    best = min((pub.year + k for k in (-1, 0, 1)), key=lambda y: (abs(y * 12 + month - 1 - here), y != pub.year))
    return f"{best}-{month:02d}"


def iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def add_months(d: dt.date, n: int) -> str:
    k = d.year * 12 + d.month - 1 + n
    return f"{k // 12}-{k % 12 + 1:02d}"


def day_by_tense(pub: dt.date, month: int, day: int, tense: str | None) -> dt.date:
    """On or before the published date (past), on or after it (future), else the nearest."""
    if tense is None:
        return nearest_day(pub, month, day)
    step = -1 if tense == "past" else 1
    for k in range(9):  # 29 February: up to 8 years away
        try:
            d = dt.date(pub.year + step * k, month, day)
        except ValueError:
            continue
        if (d <= pub) if tense == "past" else (d >= pub):
            return d
    raise ValueError(f"no {month}-{day}")


def month_by_tense(pub: dt.date, month: int, tense: str | None) -> str:
    if tense is None:
        return nearest_month(pub, month)
    if tense == "past":
        return f"{pub.year if month <= pub.month else pub.year - 1}-{month:02d}"
    return f"{pub.year if month >= pub.month else pub.year + 1}-{month:02d}"


def expected_date(text: str, pub: dt.date, tense: str | None = "any") -> set[tuple[str, str | None]] | None:
    """The (value, mod) pairs a date text may have, for texts with a fixed reading; None if unknown.

    With ``tense`` ("past", "future" or None for neither), the one reading the guide gives a date
    without a year in that context; with "any" (the default), any reading a tense allows."""
    tenses = ["past", "future"] if tense == "any" else [tense]
    t = re.sub(r"\s+", " ", text.lower().strip())
    t = re.sub(r"^(in|on|since|by|until|from|at) ", "", t)
    mod = None
    m = re.match(r"^(late |early |mid-|mid |the end of |the start of |the beginning of |the middle of )(.*)$", t)
    if m:
        mod = {"late ": "END", "early ": "START", "mid-": "MID", "mid ": "MID", "the end of ": "END",
               "the start of ": "START", "the beginning of ": "START", "the middle of ": "MID"}[m.group(1)]
        t = m.group(2).strip()
    t = re.sub(r"^(earlier|later) ", "", t)
    if t in ("today", "currently", "now", "at present"):
        return {(pub.isoformat(), mod)}
    if t == "yesterday":
        return {((pub - dt.timedelta(days=1)).isoformat(), mod)}
    if t == "tomorrow":
        return {((pub + dt.timedelta(days=1)).isoformat(), mod)}
    if t in WEEKDAYS:
        back = (pub.weekday() - WEEKDAYS[t]) % 7
        fwd = (WEEKDAYS[t] - pub.weekday()) % 7 or 7
        if tense != "any":  # the guide: the next one in a future context, else the most recent
            return {((pub + dt.timedelta(days=fwd % 7 if tense == "future" else -back)).isoformat(), mod)}
        return {((pub - dt.timedelta(days=back)).isoformat(), mod), ((pub + dt.timedelta(days=fwd)).isoformat(), mod)}
    m = re.match(r"^last (\w+day)$", t)
    if m and m.group(1) in WEEKDAYS:
        # the most recent such day before pub; "last Friday" said on a Monday may also mean the
        # previous ISO week's, which is the same day unless pub's week already holds one.
        back = (pub.weekday() - WEEKDAYS[m.group(1)]) % 7 or 7
        prev_week = pub - dt.timedelta(days=pub.weekday() + 7 - WEEKDAYS[m.group(1)])
        return {((pub - dt.timedelta(days=back)).isoformat(), mod), (prev_week.isoformat(), mod)}
    m = re.match(r"^(\w+) (day|week|month|year)s? ago$", t)
    if m:
        n = NUMBERS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else None)
        if n is None:
            return None
        if m.group(2) == "day":
            return {((pub - dt.timedelta(days=n)).isoformat(), mod)}
        if m.group(2) == "week":
            return {(iso_week(pub - dt.timedelta(weeks=n)), mod)}
        if m.group(2) == "month":
            return {(add_months(pub, -n), mod)}
        return {(str(pub.year - n), mod)}
    rel = {"this": 0, "last": -1, "next": 1}
    m = re.match(r"^(this|last|next) (week|month|year)$", t)
    if m:
        n = rel[m.group(1)]
        if m.group(2) == "week":
            return {(iso_week(pub + dt.timedelta(weeks=n)), mod)}
        if m.group(2) == "month":
            return {(add_months(pub, n), mod)}
        return {(str(pub.year + n), mod)}
    if t in ("the year", "the month") and mod:
        return {(str(pub.year) if t == "the year" else add_months(pub, 0), mod)}
    if t in ("recent years",):
        return {(str(pub.year), "BEFORE")}
    m = re.match(r"^the (?:past|last) (\w+) years$", t)
    if m:
        n = NUMBERS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else None)
        return {(f"{pub.year - n}-{pub.month:02d}", "AFTER")} if n else None
    m = re.match(r"^([a-z]+\.?) (\d{1,2})(?:, (\d{4}))?$", t) or re.match(r"^(\d{1,2}) ([a-z]+)(?: (\d{4}))?$", t)
    if m:
        a, b, year = m.groups()
        month, day = (month_of(a), int(b)) if not a.isdigit() else (month_of(b), int(a))
        if month:
            if year:
                return {(dt.date(int(year), month, day).isoformat(), mod)}
            return {(day_by_tense(pub, month, day, k).isoformat(), mod) for k in tenses}
    m = re.match(r"^([a-z]+\.?)(?: (\d{4}))?$", t)
    if m and month_of(m.group(1)):
        month = month_of(m.group(1))
        if m.group(2):
            return {(f"{m.group(2)}-{month:02d}", mod)}
        return {(month_by_tense(pub, month, k), mod) for k in tenses}
    if re.fullmatch(r"\d{4}", t):
        return {(t, mod)}
    m = re.match(r"^the (first|second|third|fourth) quarter(?: of (\d{4}|this year|next year|last year))?$", t)
    if m:
        q = ["first", "second", "third", "fourth"].index(m.group(1)) + 1
        year = {"this year": pub.year, "next year": pub.year + 1, "last year": pub.year - 1}.get(m.group(2) or "this year")
        if m.group(2) and m.group(2).isdigit():
            year = int(m.group(2))
        return {(f"{year}-Q{q}", mod)}
    return None


def check_pair(txt: Path, md: Path) -> tuple[list[str], dict]:
    errors: list[str] = []
    raw = txt.read_text(encoding="utf-8")
    headline, body = split_raw(raw)
    words = len(raw.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        errors.append(f"{txt.name}: {words} words, not {MIN_WORDS}-{MAX_WORDS}")
    for n, line in enumerate(body.split("\n"), 2):
        if MARKUP_CHARS.search(line) or MARKUP_LINE.match(line):
            errors.append(f"{txt.name}:{n}: Markdown markup in the raw text: {line[:60]!r}")
    if "\n\n\n" in body or any(p.count("\n") for p in body.split("\n\n")):
        errors.append(f"{txt.name}: paragraphs must be single lines separated by one blank line")
    source = md.read_text(encoding="utf-8")
    if strip_spans(gold_body(source)) != body:
        a, b = strip_spans(gold_body(source)), body
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        errors.append(f"{md.name}: body with spans stripped differs from the raw body at offset {i}: "
                      f"gold {a[i:i + 40]!r} raw {b[i:i + 40]!r}")
    try:
        brief = parse_brief(source, str(md))
        plain = parse_brief(f"---\ntitle: x\n---\n\n{body}\n", "raw")
    except BriefError as e:
        return errors + [f"{md.name}: {p}" for p in e.problems], {}
    if brief.text != plain.text:
        errors.append(f"{md.name}: the gold brief reads differently from the raw text in the reader")
    if brief.meta.title != headline:
        errors.append(f"{md.name}: title {brief.meta.title!r} is not the headline {headline!r}")
    pub = brief.meta.published
    if pub is None:
        errors.append(f"{md.name}: published is not set")
        return errors, {}
    m = DATELINE_RE.match(body)
    if m:
        words_ = m.group(1).replace(".", "").split()
        when = dt.date(int(words_[2]), month_of(words_[0]), int(words_[1].rstrip(",")))
        if when != pub:
            errors.append(f"{md.name}: published {pub} differs from the dateline's {when}")

    index = {}
    for e in brief.entities.values():
        for spelling in [e.name, *e.aliases]:
            index.setdefault((e.type, _norm(spelling)), e.id)
        if e.type == "leader" and not e.role:
            errors.append(f"{md.name}: leader {e.name!r} has no role")
        if e.type == "region" and e.kind not in REGION_KINDS:
            errors.append(f"{md.name}: region {e.name!r} has kind {e.kind!r}")
    mentioned: set[str] = set()
    dates: set[str] = set()
    unchecked = 0
    for mention in brief.mentions:
        if mention.type in ("leader", "region"):
            eid = mention.ref or index.get((mention.type, _norm(mention.text)))
            if eid is None or brief.entities[eid].type != mention.type:
                errors.append(f"{md.name}:{mention.line}: {mention.type} mention {mention.text!r} is not a declared entity's name or alias")
            else:
                mentioned.add(eid)
        elif mention.type == "date":
            value, mod = mention.attrs.get("value"), (mention.attrs.get("mod") or "").upper() or None
            if not value:
                errors.append(f"{md.name}:{mention.line}: date {mention.text!r} has no value (use value=, not ref=)")
                continue
            dates.add(value)
            want = expected_date(mention.text, pub)
            if want is None:
                unchecked += 1
            elif (value, mod) not in want:
                errors.append(f"{md.name}:{mention.line}: date {mention.text!r} is {value} {mod or ''}, "
                              f"the calendar says {' or '.join((v + ' ' + (m or '')).strip() for v, m in sorted(want, key=str))}")
            else:
                tense = tense_at(brief.text, mention.start, mention.end)
                by_tense = expected_date(mention.text, pub, tense)
                if by_tense is not None and len(want) > 1 and (value, mod) not in by_tense:
                    NOTES.append(f"{md.name}:{mention.line}: date {mention.text!r} is {value}; read as "
                                 f"{tense or 'neither past nor future'}, the guide's rule gives "
                                 f"{' or '.join(v for v, _ in sorted(by_tense, key=str))}")
    for e in brief.entities.values():
        if e.type in ("leader", "region") and e.id not in mentioned:
            errors.append(f"{md.name}: {e.type} {e.name!r} is declared but never mentioned")
    counts = {
        "leader": sum(e.type == "leader" for e in brief.entities.values()),
        "region": sum(e.type == "region" for e in brief.entities.values()),
        "date": len(dates),
        "mentions": len([m for m in brief.mentions if m.type in ("leader", "region", "date")]),
        "words": words,
        "unchecked_dates": unchecked,
    }
    return errors, counts


def main(argv: list[str]) -> int:
    splits = [Path(a) for a in argv] or [d for d in (HERE / "test", HERE / "dev", HERE / "dev2", HERE / "test2", HERE / "test3", HERE / "test4") if d.is_dir()]
    errors: list[str] = []
    mds: list[Path] = []
    for split in splits:
        txts = sorted(split.glob("*.txt"))
        if not txts:
            errors.append(f"{split}: no texts")
        totals = {"texts": 0, "leader": 0, "region": 0, "date": 0, "mentions": 0, "words": 0, "unchecked_dates": 0}
        for txt in txts:
            md = txt.with_suffix(".md")
            if not md.exists():
                errors.append(f"{txt.name}: no gold brief {md.name}")
                continue
            mds.append(md)
            errs, counts = check_pair(txt, md)
            errors += [f"{split.name}/{e}" for e in errs]
            totals["texts"] += 1
            for k, v in counts.items():
                totals[k] += v
        for md in sorted(split.glob("*.md")):
            if not md.with_suffix(".txt").exists():
                errors.append(f"{split.name}/{md.name}: no raw text beside it")
        print(f"{split.name}: {totals['texts']} texts, {totals['words']} words; leaders {totals['leader']}, "
              f"regions {totals['region']}, distinct date values {totals['date']} (entities summed over texts); "
              f"{totals['mentions']} leader/region/date mentions; {totals['unchecked_dates']} date mentions "
              f"without a calendar cross-check")
    if mds:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "tui"))
        run = subprocess.run([sys.executable, "-m", "briefing", "validate", *map(str, mds)], env=env,
                             capture_output=True, text=True)
        if run.returncode != 0 or run.stdout.strip():
            errors.append(f"briefing validate exited {run.returncode}:\n{run.stdout}{run.stderr}")
    for n in NOTES:
        print("NOTE", n)
    for e in errors:
        print("FAIL", e)
    print("all pairs pass" if not errors else f"{len(errors)} failures")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
