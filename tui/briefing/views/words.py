"""A date value and its mod in words ("end of May 2024", "week of 17 June 2024").

briefing.core.dates.in_words is the reader's (the facts sidebar's); until it exists there,
this module's own reading is used.
"""

from __future__ import annotations

from briefing.core import dates

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_MODS = {"START": "start of", "MID": "middle of", "END": "end of", "APPROX": "about", "BEFORE": "before",
         "AFTER": "after"}


def _own_in_words(value: str | None, mod: str | None = None) -> str:
    if not value:
        return ""
    try:
        precision, (year, month, day) = dates.parse_value(value)
    except dates.DateValueError:
        return value
    words = {
        "day": f"{day} {_MONTHS[month - 1]} {year}",
        "month": f"{_MONTHS[month - 1]} {year}",
        "week": f"week of {day} {_MONTHS[month - 1]} {year}",
        "quarter": f"Q{value[-1]} {value[:4]}",
        "decade": f"the {year}s",
        "century": f"the {year}s",
    }.get(precision, str(year))
    lead = _MODS.get((mod or "").upper())
    if lead is None:
        return words
    if words.startswith("week of"):
        words = "the " + words
    return f"{lead} {words}"


in_words = getattr(dates, "in_words", None) or _own_in_words
