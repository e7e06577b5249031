"""Word-level helpers shared by the recognisers: capitalised tokens, sentence starts, names."""

from __future__ import annotations

import re

# A word: letters (any script), with inner apostrophes, hyphens and dots ("O'Brien",
# "Al-Sisi", "U.S."). Digits are not words here.
WORD_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-.](?=[^\W\d_]))*\.?")

# Lower-case particles inside personal names ("Mohammed bin Salman", "Ursula von der Leyen").
PARTICLES = frozenset("bin bint ibn al el de da di du der den van von la le dos das del ben abu".split())

# Capitalised words that begin sentences or headings without being names.
FUNCTION_WORDS = frozenset("""
The A An In On At By For From To Of With Without And But Or Nor So Yet As If When While After Before
Since Until During Following Despite Although Though Because Meanwhile However Also Still Even Both
This That These Those It Its It's He She They We I You His Her Their Our Your My Mr Mrs Ms Dr Sir
Some Many Most All Any Each Every No Not Other Such Several Few More Less Under Over Between Among
Amid Against Across Through Into Onto Upon Within Beyond Near Like Unlike According Last Next Early
Late Earlier Later Then Now Today Yesterday Tomorrow Currently Recently Here There Where What Which
Who Whom Whose Why How Former Speaking Asked Writing Separately Elsewhere Instead Indeed Yes Why
Home World News Analysis Opinion Read More
""".split())

MONTHS = ("January February March April May June July August September October November December").split()
WEEKDAYS = ("Monday Tuesday Wednesday Thursday Friday Saturday Sunday").split()
CALENDAR_WORDS = frozenset(MONTHS + WEEKDAYS)

# Regnal numbers (Charles III, Leo XIV, Louis XVI), not acronyms.
ROMAN = frozenset("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI XXIII".split())
SUFFIXES = frozenset("Jr Jr. Sr Sr.".split())

_SENTENCE_END_RE = re.compile(r"[.!?:;\"“”]['\"’”)]*\s*$")


def is_cap(word: str) -> bool:
    return word[:1].isupper()


def at_sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` begins a paragraph, a line or a sentence."""
    before = text[max(0, pos - 4):pos]
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] == "\n":
        return True
    return bool(_SENTENCE_END_RE.search(before)) or text[i] in "“\"‘(—–-" and (i == 0 or text[i - 1] in " \n")


def word_before(text: str, pos: int) -> tuple[int, int] | None:
    """The word that ends just before ``pos`` (separated by spaces only), as (start, end)."""
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i == pos or i == 0:
        return None
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "'’-."):
        j -= 1
    while j < i and not text[j].isalpha():
        j += 1
    return (j, i) if j < i else None


def word_after(text: str, pos: int) -> tuple[int, int] | None:
    """The word that starts just after ``pos`` (separated by spaces only), as (start, end)."""
    i = pos
    while i < len(text) and text[i] in " \t":
        i += 1
    if i == pos:
        return None
    m = WORD_RE.match(text, i)
    return (m.start(), m.end()) if m else None


_INITIALS_RE = re.compile(r"(?:[A-Z]\.){1,3}")
_GIVEN_AFTER_RE = re.compile(r" [A-Z][a-z]")  # two capitals then a capitalised word: initials


def take_name(text: str, pos: int, max_words: int = 5) -> tuple[int, int] | None:
    """A personal name starting at ``pos``: capitalised words, name particles, roman numerals
    ("Mohammed bin Salman", "Charles III", "Tamim bin Hamad Al Thani"). None if none."""
    end = None
    words = 0
    i = pos
    while words < max_words:
        m = WORD_RE.match(text, i)
        if not m:
            break
        initials = _INITIALS_RE.fullmatch(m.group()) is not None  # "M.K. Stalin", "J. Smith"
        w = m.group() if initials else m.group().rstrip(".")
        possessive = w.endswith(("'s", "’s"))
        if possessive:
            w = w[:-2]  # "Putin's": the name ends before the possessive
        if w in PARTICLES and words:
            pass  # a particle continues a name only when a capitalised word follows
        elif words and _ARTICLE_PREFIX_RE.match(w):
            end = m.start() + len(w)  # "Mishal al-Ahmad al-Jaber al-Sabah", "Abdel Fattah el-Sisi"
        elif words and w in ("Jr", "Sr") and m.group().endswith("."):
            end = m.start() + len(w) + 1  # "Gilberto Teodoro Jr.": the suffix ends the name, with its dot
            break
        elif is_cap(w) and w not in CALENDAR_WORDS and (words or w not in FUNCTION_WORDS):
            if w.isupper() and len(w) > 1 and w not in ROMAN and not initials \
                    and not (not words and len(w) == 2 and _GIVEN_AFTER_RE.match(text, m.end())):
                break  # an acronym ("NATO") is not part of a name; initials are ("KP Sharma Oli")
            end = m.start() + len(w)
        else:
            break
        words += 1
        if possessive:
            break
        # continue across one space only (a comma or a line break ends a name)
        j = m.start() + len(w)
        if text[j:j + 1] != " ":
            break
        i = j + 1
    if end is None:
        return None
    # a trailing particle is not part of the name
    return (pos, end)


# The Arabic article joined to a name ("al-Sabah", "el-Sisi", "ash-Sharaa"): part of the name.
_ARTICLE_PREFIX_RE = re.compile(r"(?:al|el|ad|an|ar|as|ash|at|az|ul)[-‑][A-Z]")
_PATRONYMIC = frozenset("bin ibn bint binti".split())


def name_words(name: str) -> list[str]:
    """The words a person is called by: not particles, regnal numbers, "Jr", nor the father's
    name after "bin" ("Mohammed bin Salman" is not "Salman": King Salman is his father)."""
    words = name.split()
    return [w for i, w in enumerate(words) if w not in PARTICLES and w not in ROMAN and w not in SUFFIXES
            and not (i and words[i - 1] in _PATRONYMIC)]
