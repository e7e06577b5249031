"""Dates without a year resolved by the tense of their sentence (bench/annotate_eval/GUIDE.md).

A month-day or a month without a year is the most recent one on or before the published
date in a past context, the next one on or after it in a future context, else the nearest;
a weekday is the most recent one unless the context is future. The cases sit on month and
year boundaries, and most are chosen so that the tense reading differs from the nearest.
"""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.annotate import annotate
from briefing.annotate.tense import FUTURE, PAST, tense_at

D = dt.date


def dates(text: str, published: D) -> set[tuple]:
    return {(h.value, h.mod) for h in annotate(text, published=published).hits if h.type == "date"}


@pytest.mark.parametrize("published, sentence, value, mod", [
    # month-day, past: the most recent on or before (the nearest would be the next one)
    (D(2025, 1, 3), "They signed the deal on 21 April.", "2024-04-21", None),
    (D(2025, 1, 3), "The ministers met on December 28.", "2024-12-28", None),
    (D(2025, 1, 3), "The ministers met on January 2.", "2025-01-02", None),
    (D(2024, 6, 19), "The ministers met on June 19.", "2024-06-19", None),
    (D(2024, 6, 19), "The vote was held on June 25.", "2023-06-25", None),
    (D(2024, 6, 19), "Mr. Kim met officials on Sept. 12.", "2023-09-12", None),
    (D(2025, 1, 3), "On 21 April, the two leaders signed a pact.", "2024-04-21", None),
    # a wrong published date (a file's mtime): the past still reads as the past
    (D(2027, 1, 10), "The prime ministers on 21 April agreed to strengthen ties.", "2026-04-21", None),
    (D(2025, 3, 1), "The treaty was signed on 29 February.", "2024-02-29", None),
    # month-day, future: the next on or after (the nearest would be the last one)
    (D(2024, 6, 19), "Elections will be held on 1 March.", "2025-03-01", None),
    (D(2024, 12, 20), "The new parliament will convene on January 15.", "2025-01-15", None),
    (D(2024, 12, 20), "The next round is scheduled for December 10.", "2025-12-10", None),
    (D(2024, 6, 19), "The leaders will meet on 19 June.", "2024-06-19", None),
    (D(2025, 3, 1), "A census will be taken on February 29.", "2028-02-29", None),
    (D(2024, 6, 19), "Officials said on Monday that the leaders will meet on 1 March.", "2025-03-01", None),
    (D(2024, 6, 19), "The president is due to visit on 2 March.", "2025-03-02", None),
    # month-day, neither: the nearest
    (D(2024, 6, 19), "The anniversary falls on Sept. 12.", "2024-09-12", None),
    (D(2024, 6, 19), "The holiday is on 1 March.", "2024-03-01", None),
    # a bare month, past
    (D(2025, 1, 10), "Inflation peaked in November.", "2024-11", None),
    (D(2025, 1, 10), "He took office in June.", "2024-06", None),
    (D(2025, 1, 10), "The ceasefire collapsed in late June.", "2024-06", "END"),
    (D(2024, 6, 19), "They met in June.", "2024-06", None),
    (D(2025, 1, 10), "Talks have stalled since August.", "2024-08", None),
    # a bare month, future
    (D(2024, 11, 20), "Elections will take place in February.", "2025-02", None),
    (D(2024, 9, 15), "The summit is due in April.", "2025-04", None),
    (D(2024, 6, 19), "They will meet in June.", "2024-06", None),
    (D(2024, 6, 19), "Troops will leave by the end of March.", "2025-03", "END"),
    (D(2024, 12, 31), "The government plans to hold a referendum in early November.", "2025-11", "START"),
    # a bare month, neither: the nearest ("agreed to" leaves the talks' time open)
    (D(2024, 12, 10), "They agreed to hold talks in April.", "2025-04", None),
    (D(2025, 1, 20), "The two sides agreed on Tuesday to finish the pipeline by late March.", "2025-03", "END"),
    (D(2025, 2, 27), "The ministry expected a ruling by the end of April.", "2025-04", "END"),
    (D(2025, 5, 7), "A vote planned for Sunday was postponed.", "2025-05-04", None),
    # deadlines, plans and promises look ahead even when reported in the past (issue 16)
    (D(2024, 6, 19), "It ends by the end of March.", "2025-03", "END"),
    (D(2025, 8, 20), "The council pressed for an agreement by mid-July.", "2026-07", "MID"),
    (D(2025, 8, 20), "Officials met ahead of a July 9 deadline set by the council.", "2026-07-09", None),
    (D(2025, 8, 20), "The mayor spoke before a July 9 deadline set by the council.", "2026-07-09", None),
    (D(2025, 11, 20), "The ministry has promised to finish before the dry months return in October.", "2026-10", None),
    (D(2025, 7, 20), "The satellite is now expected to be launched by June.", "2026-06", None),
    (D(2025, 10, 20), "The two sides agreed to study the route by September.", "2026-09", None),
    (D(2025, 4, 20), "The opposition leader vowed to hold a referendum in March.", "2026-03", None),
    (D(2025, 4, 20), "Ministers pledged on Tuesday to reopen the border crossings in March.", "2026-03", None),
    # ... but a past auxiliary in the clause, "until" or "before" alone follow the verb
    (D(2025, 6, 20), "Inflation had fallen by March.", "2025-03", None),
    (D(2025, 8, 18), "Its soldiers fought beside the army until February.", "2025-02", None),
    (D(2025, 8, 18), "The rebels withdrew before 21 April.", "2025-04-21", None),
    (D(2025, 8, 18), "By March, the rebels controlled the city.", "2025-03", None),
    # a present tense that speaks of what is ahead
    (D(2025, 12, 20), "The treaty comes up for renewal in December.", "2025-12", None),
    (D(2025, 6, 20), "The governor, whose term ends in May, said little.", "2026-05", None),
    (D(2025, 7, 20), "The licence expires in June.", "2026-06", None),
    (D(2025, 7, 20), "The new tariff takes effect on 1 July.", "2026-07-01", None),
    # a weekday takes the tense of its own clause
    (D(2025, 1, 1), "The envoy arrived on Monday and is scheduled to be received by the king on Friday.",
     "2025-01-03", None),
    (D(2025, 1, 1), "The envoy arrived on Monday and is scheduled to be received by the king on Friday.",
     "2024-12-30", None),
    (D(2025, 1, 1), "The envoy left on Sunday evening, and is due to visit Oslo next week.", "2024-12-29", None),
    # weekdays across month and year boundaries
    (D(2024, 7, 1), "Talks ended on Friday.", "2024-06-28", None),
    (D(2024, 7, 1), "Talks will resume on Friday.", "2024-07-05", None),
    (D(2025, 1, 1), "The leaders met on Monday.", "2024-12-30", None),
    (D(2025, 1, 1), "The leaders will meet on Monday.", "2025-01-06", None),
    (D(2024, 12, 31), "Parliament voted on Wednesday.", "2024-12-25", None),
])
def test_dates_without_a_year_follow_the_tense(published: D, sentence: str, value: str, mod: str | None) -> None:
    assert (value, mod) in dates(sentence, published)


@pytest.mark.parametrize("sentence, word, tense", [
    ("The ministers met on 21 April.", "21 April", PAST),
    ("The ministers will meet on 21 April.", "21 April", FUTURE),
    ("The ministers meet on 21 April.", "21 April", None),
    ("In April, officials said the plan had failed.", "April", PAST),
    ("Lee, who took office in June, will visit Tokyo in late August, officials said.", "June", PAST),
    ("Lee, who took office in June, will visit Tokyo in late August, officials said.", "August", FUTURE),
    ("Boric, who cannot stand for re-election on Nov. 16, said crime had risen.", "Nov. 16", FUTURE),
    ("The deal, which is expected to be signed in May, was announced on Monday.", "May", FUTURE),
    ("The disputed islands in April drew protests.", "April", PAST),
    ("Gen. Ruiz said the vote was on 4 May.", "4 May", PAST),
    ("İzmir officials met on 21 April.", "21 April", PAST),  # "İ" lowers to two characters
])
def test_the_tense_of_a_date_s_sentence(sentence: str, word: str, tense: str | None) -> None:
    i = sentence.index(word)
    assert tense_at(sentence, i, i + len(word)) == tense
