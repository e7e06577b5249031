"""Normalised date values in the style of TimeML TIMEX3, and their chronological order.

Accepted values: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Www`` (ISO week),
``YYYY-Qn`` (quarter), ``YYYX`` (decade) and ``YYXX`` (century). ``mod`` qualifies a value:
START, MID, END, APPROX, BEFORE, AFTER.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

MODS = ("START", "MID", "END", "APPROX", "BEFORE", "AFTER")

_VALUE_RE = re.compile(
    r"^(?:(?P<century>\d{2})XX|(?P<decade>\d{3})X|(?P<year>\d{4})"
    r"(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?|-W(?P<week>\d{2})|-Q(?P<quarter>[1-4]))?)$"
)
# Where a mod places a date within its period, for ordering two facts with the same value.
_MOD_ORDER = {"BEFORE": 0, "START": 1, "APPROX": 2, None: 2, "MID": 3, "END": 4, "AFTER": 5}


class DateValueError(ValueError):
    pass


@functools.lru_cache(maxsize=4096)  # (a brief repeats a few values thousands of times)
def parse_value(value: str) -> tuple[str, tuple[int, int, int]]:
    """Return the precision and the first day the value covers, as (year, month, day).

    Raises DateValueError with a message meant for the brief's author.
    """
    m = _VALUE_RE.match(value)
    if m is None:
        raise DateValueError(
            f"malformed date value {value!r}: expected YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www or YYYY-Qn"
        )
    if m["century"]:
        return "century", (int(m["century"]) * 100, 1, 1)
    if m["decade"]:
        return "decade", (int(m["decade"]) * 10, 1, 1)
    year = int(m["year"])
    if m["week"]:
        week = int(m["week"])
        try:
            day = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise DateValueError(f"date value {value!r}: {year} has no week {week}") from None
        return "week", (day.year, day.month, day.day)
    if m["quarter"]:
        return "quarter", (year, (int(m["quarter"]) - 1) * 3 + 1, 1)
    if m["month"] is None:
        return "year", (year, 1, 1)
    month = int(m["month"])
    if not 1 <= month <= 12:
        raise DateValueError(f"date value {value!r}: month {month} does not exist")
    if m["day"] is None:
        return "month", (year, month, 1)
    try:
        dt.date(year, month, int(m["day"]))
    except ValueError:
        raise DateValueError(f"date value {value!r}: that day does not exist") from None
    return "day", (year, month, int(m["day"]))


def check_mod(mod: str) -> str:
    upper = mod.upper()
    if upper not in MODS:
        raise DateValueError(f"unknown date mod {mod!r}: expected one of {', '.join(MODS)}")
    return upper


_PRECISION_ORDER = {"century": 0, "decade": 1, "year": 2, "quarter": 3, "month": 4, "week": 5, "day": 6}


def sort_key(value: str, mod: str | None = None) -> tuple:
    """Chronological order: by first day, wider periods first, then by mod."""
    try:
        precision, start = parse_value(value)
    except DateValueError:
        return ((9999, 99, 99), 9, 9, value)
    return (start, _PRECISION_ORDER[precision], _MOD_ORDER.get(mod, 2), value)


# ------------------------------------------------------------------ dates in words

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# How a mod reads before the period it qualifies ("end of Dec 2025", "about 2024").
_MOD_WORDS = {"START": "start of", "MID": "mid", "END": "end of", "APPROX": "about", "BEFORE": "before",
              "AFTER": "after"}


def period_in_words(value: str) -> str:
    """A TIMEX3 value as a person reads it: "19 Jun 2024", "Jun 2024", "week of 20 Oct 2025",
    "Q1 2026", "the 2020s", "the 1900s". A value that does not parse is returned as it is."""
    try:
        precision, (year, month, day) = parse_value(value)
    except DateValueError:
        return value
    if precision == "day":
        return f"{day} {_MONTHS[month - 1]} {year}"
    if precision == "month":
        return f"{_MONTHS[month - 1]} {year}"
    if precision == "week":
        return f"week of {day} {_MONTHS[month - 1]} {year}"  # the week's Monday, as calendars show it
    if precision == "quarter":
        return f"Q{value[-1]} {value[:4]}"
    if precision in ("decade", "century"):
        return f"the {year}s"
    return str(year)


def in_words(value: str | None, mod: str | None = None) -> str:
    """A date value and its mod in words: "end of Dec 2025", "about Q1 2026", "mid-Jun 2024"."""
    if not value:
        return ""
    words = period_in_words(value)
    mod_words = _MOD_WORDS.get((mod or "").upper())
    if mod_words is None:
        return words
    if words.startswith("week of "):
        words = "the " + words  # "end of the week of 20 Oct 2025"
    if mod_words == "mid":
        if words.startswith("the "):
            return "mid-" + words[4:] if words[4:5].isdigit() and words.endswith("s") else "middle of " + words
        return ("mid-" if not words[:1].isdigit() or len(words) == 4 else "middle of ") + words
    return f"{mod_words} {words}"


def iso_label(value: str | None, mod: str | None = None) -> str:
    """The value as written in the brief, for showing dim beside the words: "2025-12 END"."""
    if not value:
        return ""
    return value if not mod else f"{value} {mod.upper()}"


# ------------------------------------------------------------------ containment (search filters)

def period(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a value covers, or None if it is not a date value."""
    try:
        precision, (year, month, day) = parse_value(value.upper())
    except DateValueError:
        return None
    first = dt.date(max(year, 1), month, day)
    if precision == "day":
        return first, first
    if precision == "week":
        return first, first + dt.timedelta(days=6)
    if precision == "month":
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    elif precision == "quarter":
        nxt = dt.date(year + (month == 10), (month + 2) % 12 + 1, 1)
    elif precision == "year":
        nxt = dt.date(year + 1, 1, 1) if year < 9999 else dt.date(9999, 12, 31) + dt.timedelta(days=1)
    elif precision == "decade":
        nxt = dt.date(min(year + 10, 9999), 1, 1)
    else:  # century
        nxt = dt.date(min(year + 100, 9999), 1, 1)
    return first, nxt - dt.timedelta(days=1)


def contains(outer: str, inner: str) -> bool:
    """Whether the period of ``inner`` lies within that of ``outer``: 2024-06 contains 2024-06-19
    and 2024-W25; 2024 contains every month, week and quarter of 2024 (a week by its ISO year,
    so 2024-W01 is of 2024 though it may start in December 2023)."""
    a, b = period(outer), period(inner)
    if a is None or b is None:
        return False
    if a[0] <= b[0] and b[1] <= a[1]:
        return True
    o, i = outer.upper(), inner.upper()
    return len(o) == 4 and o.isdigit() and "-W" in i and i.startswith(o)
