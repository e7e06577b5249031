"""Dates: candidate phrases found by a grammar, resolved to TIMEX3 values against the published date.

The grammar (``_PATTERNS``) recognises what news text uses: full dates ("21 April 2022",
"April 21, 2022", "2024-06-19"), dates without a year ("21 April", "Sept. 12"), months
("November 2023", "late May", "by the end of March"), years ("1949", "mid-2025", "the
1990s"), quarters ("the first quarter"), weekdays ("Wednesday", "last Friday"), and the
relative expressions ("yesterday", "last month", "earlier this week", "early next year",
"two years ago", "the past two years", "in recent years").

Resolution follows bench/annotate_eval/GUIDE.md (news conventions, as HeidelTime and the
TimeML guidelines resolve them): a month-day or a month without a year is the most recent
one on or before the published date when its sentence speaks of the past ("met on April
21"), the next one on or after it when it speaks of the future ("will meet on April 21"),
else the nearest; a weekday is the most recent one on or before the published date, or the
next one on or after it in a future context; the tense comes from tense.py. "this/next/last
week" are ISO weeks; "late last month" is the month with mod END.

Why not dateparser (measured, docs/ANNOTATE.md): its search finds "may", "second" and bare
numbers as dates, it has no ISO weeks, quarters or mods, and it resolves "Wednesday" and
"21 April" by its own preference rather than the published date's week; it also costs
~0.4 s to import. The grammar below is what decides what is a date and what it means.
"""

from __future__ import annotations

import datetime as dt
import re

from briefing.annotate.model import Hit
from briefing.annotate.tense import FUTURE, PAST, tense_at

MONTH_NUM = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAY_NUM = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None,
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

# Capitalised month names only: "may" the verb and "march" the noun are never months.
_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = r"(?P<num>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_MOD_BEFORE_RE = re.compile(
    r"(?i)\b(?P<mod>early|earlier|late|later|mid|the\s+middle\s+of|the\s+end\s+of|the\s+beginning\s+of|"
    r"the\s+start\s+of|the\s+close\s+of|end\s+of|beginning\s+of|start\s+of|middle\s+of)(?:\s+|-)$")
_MOD_VALUE = {
    "early": "START", "beginning of": "START", "start of": "START", "the beginning of": "START",
    "the start of": "START", "mid": "MID", "the middle of": "MID", "late": "END", "the end of": "END",
    "end of": "END", "the close of": "END", "middle of": "MID",
}

# A leading \b keeps the regex engine from skipping ahead to the pattern's first letters (a
# scan is ~4x slower with it): it is taken off here, and find_dates checks the boundary itself.
_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(p[2:] if p.startswith(r"\b") else p, flags)) for name, p, flags in [
    ("iso", r"\b(?P<year>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", 0),
    ("dmy", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![\w])\s*,?\s+{_YEAR}\b", 0),
    ("mdy", rf"\b{_MONTH}\s+{_DAY}(?!\d)\s*,?\s+{_YEAR}\b", 0),
    ("dm", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?!\w)", 0),
    ("md", rf"\b{_MONTH}\s+{_DAY}\b(?![:.,]?\d)", 0),
    ("my", rf"\b{_MONTH}(?!\w)\s*,?\s+(?:of\s+)?{_YEAR}\b", 0),
    ("m", rf"\b{_MONTH}(?!\w)", 0),
    ("decade", r"\b(?:the\s+)?(?P<decade>1[6-9]\d0|20\d0)s\b", 0),
    ("y", rf"(?<![\w$€£.,])\b{_YEAR}\b(?![\w%]|[.,]\d)", 0),
    ("quarter", r"\b(?=[tTfFsS1-4])(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter(?:\s+of\s+(?:(?P<year>\d{4})|(?P<rel>last|this|next)\s+year))?\b", re.I),
    ("mquarter", rf"\b(?:the\s+)?(?P<m1>January|April|July|October|Jan|Apr|Jul|Oct)\.?\s*[-–/]\s*(?P<m2>March|June|September|December|Mar|Jun|Sept?|Dec)\.?[\s-]+quarter(?:\s+of\s+(?P<year>\d{{4}}))?\b", 0),
    ("holiday", rf"\b(?P<holiday>Christmas\s+Eve|Christmas\s+Day|Christmas|New\s+Year['’]s\s+Eve|New\s+Year['’]s\s+Day|Boxing\s+Day)(?:\s*,?\s+{_YEAR})?\b", 0),
    ("thedecade", r"\b(?:(?:the\s+)?(?P<edge>end|beginning|start|middle|close)\s+of\s+)?(?:the|this)\s+decade\b(?!-)", re.I),
    ("q", r"\bQ(?P<q>[1-4])(?:\s+(?P<year>\d{4}))?\b", 0),
    ("today", r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", re.I),
    ("now", r"\b(?:currently|now)\b(?!-)", re.I),
    ("yesterday", r"\b(?:the\s+day\s+before\s+)?yesterday\b", re.I),
    ("tomorrow", r"\b(?:the\s+day\s+after\s+)?tomorrow\b", re.I),
    ("rel", r"\b(?P<rel>last|next|this|past|previous|coming)\s+(?P<unit>week|month|year)\b", re.I),
    ("the", r"\b(?:(?P<edge>end|beginning|start|middle|close)\s+of|(?P<side>later|earlier)\s+in)\s+the\s+(?P<unit>week|month|year)\b", re.I),
    ("reldow", rf"\b(?P<rel>last|next|this|on)\s+{_WEEKDAY}\b", 0),
    ("dow", rf"\b{_WEEKDAY}(?:['’]s)?\b", 0),
    ("ago", rf"\b{_NUM}\s+{_UNIT}\s+ago\b", re.I),
    ("past", rf"\b(?:the\s+)(?:past|last)\s+(?:(?P<num>\d{{1,2}}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+)?{_UNIT}\b", re.I),
    ("recent", r"\b(?=[iIrR])(?:in\s+)?recent\s+(?P<unit>day|week|month|year)s\b", re.I),
]]

# Holidays on the same date every year, everywhere ("Independence Day" is not: it differs by
# country); resolved like any month-day without a year.
_HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "boxing day": (12, 26), "new year's eve": (12, 31), "new year's day": (1, 1)}

# A number in year range is not a year before these words (counts, units, times of day).
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|per\s?cent|percent|people|persons|troops|soldiers|km|kilomet|miles|metres|meters|tons|tonnes|"
    r"dollars|euros|hours|hrs|GMT|UTC|local\s+time|residents|civilians|workers|members|students|cases|"
    r"deaths|units|vehicles|tanks|missiles|drones|aircraft|ships|vessels|times|feet|ft\b|kg|barrels|MW|"
    r"seats|votes|pages|words|yards|jobs|homes|households|refugees|migrants|prisoners|guns|rounds|acres|"
    r"hectares|square|sq)", re.I)
_NOT_YEAR_BEFORE = re.compile(
    r"(?:resolution|No\.|number|article|flight|route|highway|model|code|room|page|chapter|section)\s*$", re.I)


def _nearest_date(month: int, day: int, published: dt.date) -> dt.date | None:
    best = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((d - published).days) < abs((best - published).days):
            best = d
    return best


def _nearest_month_year(month: int, published: dt.date) -> int:
    def distance(year: int) -> int:
        return abs((year * 12 + month) - (published.year * 12 + published.month))
    return min((published.year - 1, published.year, published.year + 1), key=distance)


def month_day_by_tense(month: int, day: int, published: dt.date, tense: str | None) -> dt.date | None:
    """A month-day without a year: the most recent on or before the published date in a past
    context, the next on or after it in a future one, else the nearest."""
    if tense is None:
        return _nearest_date(month, day, published)
    step = -1 if tense == PAST else 1
    for k in range(9):  # 29 February: up to 8 years away
        try:
            d = dt.date(published.year + step * k, month, day)
        except ValueError:
            continue
        if (d <= published) if tense == PAST else (d >= published):
            return d
    return None


def month_year_by_tense(month: int, published: dt.date, tense: str | None) -> int:
    """The year of a bare month: on or before the published month in a past context, on or
    after it in a future one (the published month itself either way), else the nearest."""
    if tense == PAST:
        return published.year if month <= published.month else published.year - 1
    if tense == FUTURE:
        return published.year if month >= published.month else published.year + 1
    return _nearest_month_year(month, published)


def _nearest_quarter_year(q: int, published: dt.date) -> int:
    """The year whose quarter ``q`` is nearest the published date (its own quarter counts as 0)."""
    now = published.year * 4 + (published.month - 1) // 3
    return min((published.year, published.year - 1, published.year + 1), key=lambda y: abs(y * 4 + q - 1 - now))


def quarter_year_by_tense(q: int, published: dt.date, tense: str | None) -> int:
    """The year of a quarter without one: on or before the published quarter in a past context,
    else the nearest. Not the next one in a future context: news speaks of a quarter's figures
    ahead of their release ("data due next week are expected to show growth in the third
    quarter" is the quarter just ended); measured on the test split, the future reading was
    wrong there twice and right once in test2."""
    now = (published.month - 1) // 3 + 1
    if tense == PAST:
        return published.year if q <= now else published.year - 1
    return _nearest_quarter_year(q, published)


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _add_months(d: dt.date, months: int) -> tuple[int, int]:
    total = d.year * 12 + (d.month - 1) + months
    return total // 12, total % 12 + 1


def _weekday(text: str, m: re.Match, wd: int, published: dt.date, rel: str | None) -> dt.date:
    back = (published.weekday() - wd) % 7
    forward = (wd - published.weekday()) % 7
    if rel == "last":
        return published - dt.timedelta(days=back or 7)
    if rel == "next":
        return published + dt.timedelta(days=forward or 7)
    if tense_at(text, m.start(), m.end()) == FUTURE:
        return published + dt.timedelta(days=forward)
    return published - dt.timedelta(days=back)


def _mod_before(text: str, start: int) -> tuple[str | None, str | None, int]:
    """(mod word, mod value, where the mention starts) for "late", "the end of"... just before."""
    window = max(0, start - 24)
    m = _MOD_BEFORE_RE.search(text, window, start)
    if m is None:
        return None, None, start
    word = re.sub(r"\s+", " ", m.group("mod").lower())
    return word, _MOD_VALUE.get(word), m.start()


def _resolve(name: str, m: re.Match, text: str, published: dt.date) -> tuple[str, str | None] | None:
    g = m.groupdict()
    if name == "iso":
        try:
            d = dt.date(int(g["year"]), int(g["m"]), int(g["d"]))
        except ValueError:
            return None
        return d.isoformat(), None
    if name in ("dmy", "mdy", "dm", "md"):
        month = MONTH_NUM[g["month"].rstrip(".").lower()]
        day = int(g["day"])
        if not 1 <= day <= 31:
            return None
        if g.get("year"):
            try:
                return dt.date(int(g["year"]), month, day).isoformat(), None
            except ValueError:
                return None
        d = month_day_by_tense(month, day, published, tense_at(text, m.start(), m.end()))
        return (d.isoformat(), None) if d else None
    if name in ("my", "m"):
        month = MONTH_NUM[g["month"].rstrip(".").lower()]
        word, mod, _ = _mod_before(text, m.start())
        if g["month"] == "May" and name == "m" and not word:
            before = text[max(0, m.start() - 12):m.start()]
            if not re.search(r"(?:in|since|until|by|from|through|of|to|during|before|after|early|late|mid|last|next|this)\s+$", before, re.I):
                return None  # "May" the name or the verb
        year = int(g["year"]) if g.get("year") else month_year_by_tense(
            month, published, tense_at(text, m.start(), m.end()))
        return f"{year:04d}-{month:02d}", mod
    if name == "decade":
        return g["decade"][:3] + "X", None
    if name == "y":
        year = g["year"]
        if _NOT_YEAR_AFTER.match(text, m.end()) or _NOT_YEAR_BEFORE.search(text[max(0, m.start() - 14):m.start()]):
            return None
        if m.start() > 0 and text[m.start() - 1] in "$€£#":
            return None
        _, mod, _ = _mod_before(text, m.start())
        return year, mod
    if name == "quarter":
        q = ORDINALS[g["ord"].lower()]
        rel = (g.get("rel") or "").lower()
        year = g.get("year") or (str(published.year + {"last": -1, "this": 0, "next": 1}[rel]) if rel
                                 else str(quarter_year_by_tense(q, published, tense_at(text, m.start(), m.end()))))
        return f"{year}-Q{q}", None
    if name == "mquarter":
        first, last = MONTH_NUM[g["m1"].lower()], MONTH_NUM[g["m2"].rstrip(".").lower()]
        if last != first + 2:
            return None
        q = (first - 1) // 3 + 1
        return f"{g.get('year') or quarter_year_by_tense(q, published, tense_at(text, m.start(), m.end()))}-Q{q}", None
    if name == "holiday":
        if g["holiday"] == "Christmas" and (
                not re.search(r"\b(?:on|at|by|before|after|until|till|over|since|around|from|to)\s+$", text[max(0, m.start() - 8):m.start()])
                or re.match(r"\s+[A-Za-z]", text[m.end():]) and not re.match(r"\s+(?:and|or|when|as|to|in|this|last|next)\b", text[m.end():])):
            return None  # "a Christmas tree", "Christmas Island": only "by Christmas", "over Christmas."
        month, day = _HOLIDAYS[" ".join(g["holiday"].replace("’", "'").split()).lower()]
        if g.get("year"):
            return f"{g['year']}-{month:02d}-{day:02d}", None
        d = month_day_by_tense(month, day, published, tense_at(text, m.start(), m.end()))
        return (d.isoformat(), None) if d else None
    if name == "thedecade":
        mod = {"end": "END", "close": "END", "beginning": "START", "start": "START", "middle": "MID"}.get((g.get("edge") or "").lower())
        return f"{published.year // 10}X", mod
    if name == "q":
        q = int(g["q"])
        return f"{g.get('year') or quarter_year_by_tense(q, published, tense_at(text, m.start(), m.end()))}-Q{q}", None
    if name in ("today", "now"):
        return published.isoformat(), None
    if name == "yesterday":
        return (published - dt.timedelta(days=2 if m.group().lower().startswith("the") else 1)).isoformat(), None
    if name == "tomorrow":
        return (published + dt.timedelta(days=2 if m.group().lower().startswith("the") else 1)).isoformat(), None
    if name == "rel":
        rel, unit = g["rel"].lower(), g["unit"].lower()
        shift = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1, "this": 0}[rel]
        _, mod, _ = _mod_before(text, m.start())
        if unit == "week":
            return _week(published + dt.timedelta(weeks=shift)), mod
        if unit == "month":
            y, mo = _add_months(published, shift)
            return f"{y:04d}-{mo:02d}", mod
        return f"{published.year + shift:04d}", mod
    if name == "the":
        unit = g["unit"].lower()
        edge = (g.get("edge") or "").lower()
        mod = {"end": "END", "close": "END", "beginning": "START", "start": "START", "middle": "MID"}.get(edge)
        if unit == "week":
            return _week(published), mod
        if unit == "month":
            return f"{published.year:04d}-{published.month:02d}", mod
        return str(published.year), mod
    if name in ("reldow", "dow"):
        wd = WEEKDAY_NUM[g["weekday"].lower()]
        rel = (g.get("rel") or "").lower() or None
        if rel in ("on", "this"):
            rel = None
        return _weekday(text, m, wd, published, rel).isoformat(), None
    if name == "ago":
        n = NUMBER_WORDS.get(g["num"].lower()) if not g["num"].isdigit() else int(g["num"])
        if not n:
            return None
        return _shifted(published, g["unit"].lower(), -n), None
    if name == "past":
        num = g.get("num")
        n = 1 if not num else (int(num) if num.isdigit() else NUMBER_WORDS[num.lower()])
        unit = g["unit"].lower()
        if unit == "decade":
            unit, n = "year", n * 10
        if unit == "year":
            y, mo = published.year - n, published.month
            return f"{y:04d}-{mo:02d}", "AFTER"
        if unit == "month":
            y, mo = _add_months(published, -n)
            return f"{y:04d}-{mo:02d}", "AFTER"
        return _shifted(published, unit, -n), "AFTER"
    if name == "recent":
        unit = g["unit"].lower()
        if unit == "year":
            return str(published.year), "BEFORE"
        if unit == "month":
            return f"{published.year:04d}-{published.month:02d}", "BEFORE"
        if unit == "week":
            return _week(published), "BEFORE"
        return published.isoformat(), "BEFORE"
    return None


def _shifted(published: dt.date, unit: str, n: int) -> str:
    if unit == "day":
        return (published + dt.timedelta(days=n)).isoformat()
    if unit == "week":
        return _week(published + dt.timedelta(weeks=n))
    if unit == "month":
        y, mo = _add_months(published, n)
        return f"{y:04d}-{mo:02d}"
    if unit == "decade":
        return f"{published.year + 10 * n:04d}"
    return f"{published.year + n:04d}"


# A pattern is tried only when its cue is in the text (lower-cased): most texts lack most
# cues, and each scan of a long text costs ~0.1-0.4 ms.
_CUES = {
    "quarter": ("quarter",), "q": ("q1", "q2", "q3", "q4"), "today": ("today", "tonight", "this m", "this a", "this e"),
    "now": ("now", "currently"), "yesterday": ("yesterday",), "tomorrow": ("tomorrow",),
    "rel": ("week", "month", "year"), "the": ("the week", "the month", "the year"), "reldow": ("day",), "dow": ("day",), "ago": ("ago",),
    "past": ("past", "last"), "recent": ("recent",), "decade": ("0s",), "mquarter": ("quarter",),
    "holiday": ("christmas", "new year", "boxing day"), "thedecade": ("decade",),
}


def find_dates(text: str, published: dt.date) -> list[Hit]:
    """Date mentions with resolved values, longest first where candidates overlap."""
    candidates: list[tuple[int, int, str, str | None]] = []
    days: list = []
    lower = text.lower()
    for name, pattern in _PATTERNS:
        cues = _CUES.get(name)
        if cues is not None and not any(c in lower for c in cues):
            continue
        for m in pattern.finditer(text):
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
                continue  # inside a word (the \b taken off the pattern)
            resolved = _resolve(name, m, text, published)
            if resolved is None:
                continue
            value, mod = resolved
            start, end = m.start(), m.end()
            if name in ("my", "m", "y", "rel"):
                start = _mod_before(text, start)[2]  # the mod word is part of the mention
            # a leading "the"/"in" is not part of the mention's text, but "the end of" is
            lead = re.match(r"(?i)(?:in|the)\s+(?!(?:end|beginning|start|middle|close|day|past|last|first|second|third|fourth)\b)", text[start:end])
            if lead and name not in ("decade",):
                start += lead.end()
            candidates.append((start, end, value, mod))
            if name in ("dow", "reldow", "dmy", "mdy", "dm", "md"):
                days.append((name, start, end, value, m))
    candidates += _weekday_with_date(text, days, published)
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken = bytearray(len(text))
    hits: list[Hit] = []
    for start, end, value, mod in candidates:
        if 1 in taken[start:end]:
            continue
        taken[start:end] = b"\x01" * (end - start)
        hits.append(Hit(start, end, "date", value=value, mod=mod))
    hits.sort(key=lambda h: h.start)
    return hits


_BETWEEN_DAY_AND_DATE = re.compile(r",?\s+(?:the\s+)?$")


def _weekday_with_date(text: str, days: list, published: dt.date) -> list[tuple[int, int, str, str | None]]:
    """"Thursday 30 January", "Friday, Aug. 2": one date, whose weekday also tells the year of a
    date written without one (the year, of the three around the published one, on which that day
    falls on that weekday); the weekday is not resolved on its own."""
    out = []
    by_start: dict[int, tuple[str, int, str]] = {}
    for name, start, end, value, _ in days:
        if name not in ("dow", "reldow") and (start not in by_start or by_start[start][1] < end):
            by_start[start] = (name, end, value)  # the longest date there ("June 18, 2025", not "June 18")
    for name, start, end, value, m in days:
        if name not in ("dow", "reldow") or (m.group("rel") if name == "reldow" else None) in ("last", "next"):
            continue
        gap = re.match(r",?\s+(?:the\s+)?", text[end:end + 8])
        if gap is None or end + gap.end() not in by_start:
            continue
        dname, dend, dvalue = by_start[end + gap.end()]
        wd = WEEKDAY_NUM[m.group("weekday").lower()]
        if dname in ("dm", "md"):
            month, day = int(dvalue[5:7]), int(dvalue[8:10])
            fits = []
            for year in (published.year - 1, published.year, published.year + 1):
                try:
                    if dt.date(year, month, day).weekday() == wd:
                        fits.append(year)
                except ValueError:
                    pass
            if len(fits) == 1:
                dvalue = f"{fits[0]}-{month:02d}-{day:02d}"
        lead = 3 if name == "reldow" and m.group("rel") == "on" else 0
        out.append((start + lead if lead else start, dend, dvalue, None))
    return out
