"""The tense of a date's context: past, future, or neither, from the words of its sentence.

News convention (HeidelTime's news strategy, the TimeML annotation guidelines): a date
without a year ("21 April", "in April") or a weekday is resolved by the tense of the verb
that governs it: "met on April 21" is the most recent April 21, "will meet on April 21" the
next one. We have no parser, so the governing verb is approximated by a cue: the last
tense cue before the date in its sentence (clause words between them included), else the
first one after it ("In April, the ministers met ..."). A cue is

- future: will, shall, 'll, a modal (would, could, can, must... not "would have"), next, upcoming, "ahead
  of", "is/are due", "is/are set to", "is/are expected to", "scheduled/planned/slated
  for", "plans/aims/hopes/intends... to", "is/are to <verb>", "going to";
- past: was, were, had, did, ago, since, common irregular past forms (met, said, held,
  took...), and a regular "-ed" verb that is not attributive ("the disputed islands") nor
  passive after a present "is/are/be" (the auxiliary decides there);
- neither (prospective): a past control verb with an infinitive ("agreed to hold talks in
  April": the talks may be ahead), an infinitive ("agreed on Friday to reopen the route by
  mid-July"), a past verb of expectation ("India expected a meeting by the end of March"),
  a reduced relative ("a session planned for Sunday ... was postponed"). Before the date it
  stops the search and the date keeps the nearest reading (the weekday the most recent);
  after the date a control verb is past ("on 21 April agreed to strengthen ties").

When unsure the answer is None, and callers keep the tense-free reading (the nearest
date), so a missed cue costs nothing against the old behaviour.
"""

from __future__ import annotations

import re

PAST, FUTURE = "past", "future"
_PROSPECTIVE = "prospective"  # "to reopen": no tense before a date, past after one
_INTENT = "intent"  # "agreed to", "vowed to": future before a date, past after one

_TOKEN_RE = re.compile(r"[a-z][a-z'\-]*")  # on lower-cased text
# A sentence ends at . ! ? ; or a line break, not after these abbreviations.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen col lt sgt capt gov sen rep prof jan feb mar apr jun jul aug sep sept oct nov dec "
    "no vs etc inc corp ltd co jr sr u.s u.k e.u u.n".split())
_BOUNDARY_RE = re.compile(r"[.!?;]['\"’”)]*\s|\n")

_MODALS = frozenset("would could might may can cannot can't must should".split())
_FUTURE_WORDS = frozenset("will shall next upcoming forthcoming tomorrow".split())
_BE_PRESENT = frozenset("is are am 's be being".split())
_FUTURE_AFTER_BE = frozenset("due set expected scheduled planned slated poised going".split())
_FUTURE_FOR = frozenset("scheduled planned slated".split())
_FUTURE_TO = frozenset(
    "plans plan planning aims aim aiming hopes hope hoping intends intend intending seeks seek seeking "
    "wants want expects expect prepares prepare preparing vows vow pledges pledge promises promise "
    "proposes propose".split())
_CONTROL_PAST = frozenset(
    "agreed promised decided voted pledged vowed sought tried wanted failed refused threatened offered "
    "declined planned hoped aimed expected intended urged asked called pressed moved proposed".split())
_EXPECT_PAST = frozenset("expected anticipated predicted forecast projected hoped intended".split())
# Words after "to" that are not a verb's base form (nor start an infinitive).
_NOT_INFINITIVE = frozenset(
    "the a an his her its their our my your this that these those some any all each every no one two three "
    "him them me us it which what whom whose power office court war prison date talks peace life death "
    "work school church market home bed trial justice parliament congress government".split())


def _infinitive(word: str, text: str, pos: int) -> bool:
    """Whether ``word`` (lower case, at ``pos``) after "to" looks like a verb's base form."""
    return bool(word) and text[pos].islower() and word not in _NOT_INFINITIVE and word not in _PAST_WORDS \
        and not word.endswith(("ing", "ed", "ion", "ment", "ness", "ty")) \
        and not (word.endswith("s") and not word.endswith("ss")) and not word.isdigit()


_PAST_AUX = frozenset("was were had did ago since".split())
_PAST_WORDS = frozenset(
    "met said held told went came made took gave began spoke saw won lost "
    "sent struck fell rose ran paid sold bought brought flew wrote broke chose drew fought kept knew "
    "meant spent stood thought threw understood became grew drove sought taught caught withdrew "
    "overtook forgot swore arrived left".split())
_ATTRIBUTIVE_BEFORE = frozenset(
    "the a an its their his her our your this that these those newly long so much well".split())
_NOT_VERB_ED = frozenset("hundred sacred naked wicked kindred rugged beloved wretched aged".split())
_EED_VERBS = frozenset("agreed freed decreed guaranteed".split())
# A present tense that speaks of what is ahead: "whose term ends in May", "expires in June".
_FUTURE_PRESENT = frozenset("expires ends begins starts opens closes lapses resumes reopens".split())
# ... and the same with a particle: "comes up for renewal", "runs out", "takes effect", "falls due".
_FUTURE_PRESENT_WITH = {"comes": "up", "runs": "out", "takes": "effect", "falls": "due"}
# A deadline: "by mid-July", "by the end of March", "before a July 9 deadline". Not "until" nor
# "before" alone: they follow the verb ("fought beside the army until February", test2).
_DEADLINE_BEFORE_RE = re.compile(
    r"\b(?:by|ahead\s+of)\s+(?:(?:the|a|an|its)\s+)?"
    r"(?:(?:end|start|beginning|middle|close|turn)\s+of\s+(?:the\s+)?|(?:early|mid|late)(?:\s+|-))?$", re.I)
_DEADLINE_AFTER_RE = re.compile(r"\s*(?:deadline|target date|cut-?off)\b", re.I)
# A past auxiliary in the date's clause keeps a deadline in the past ("had fallen by March").
_PAST_IN_CLAUSE_RE = re.compile(r"\b(?:had|was|were|did)\b", re.I)
_COMMA_RE = re.compile(r",\s|\s—\s")
_CLAUSE_END_RE = re.compile(r",\s+(?:and|but|while|whereas)\s|\s—\s|\s-\s", re.I)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or clause after a semicolon) around ``text[start:end]``."""
    left = 0
    for m in _BOUNDARY_RE.finditer(text, max(0, start - 600), start):
        if _ends_sentence(text, m.start()):
            left = m.end()
    right = len(text)
    for m in _BOUNDARY_RE.finditer(text, end):
        if _ends_sentence(text, m.start()):
            right = m.start()
            break
    return left, right


def _ends_sentence(text: str, pos: int) -> bool:
    if text[pos] != ".":
        return True
    word = re.search(r"[A-Za-z.]+$", text[max(0, pos - 6):pos])
    if word is None:
        return True
    w = word.group().lower().strip(".")
    return not (w in _ABBREVIATIONS or len(w) == 1)


_CUE_WORDS = (_FUTURE_WORDS | _MODALS | _BE_PRESENT | _FUTURE_AFTER_BE | _FUTURE_FOR | _FUTURE_TO | _CONTROL_PAST
              | _EXPECT_PAST | _PAST_AUX | _PAST_WORDS | _FUTURE_PRESENT | set(_FUTURE_PRESENT_WITH)
              | {"won't", "ahead", "to"})


def _cues(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """(start, end, PAST | FUTURE | _PROSPECTIVE) for each cue word in ``text[lo:hi]``."""
    seg = text[lo:hi].lower().replace("’", "'")
    if len(seg) != hi - lo:  # "İ" lowers to two characters: keep the offsets exact
        seg = "".join(c.lower() if len(c.lower()) == 1 else c for c in text[lo:hi]).replace("’", "'")
    tokens = [(lo + m.start(), lo + m.end(), m.group()) for m in _TOKEN_RE.finditer(seg)]
    out: list[tuple[int, int, str | None]] = []
    for i, (s, e, w) in enumerate(tokens):
        if w not in _CUE_WORDS and not w.endswith(("ed", "'ll")):
            continue  # most words: not a cue, whatever their neighbours
        prev = tokens[i - 1][2] if i else ""
        nxt = tokens[i + 1][2] if i + 1 < len(tokens) else ""
        nxt2 = tokens[i + 2][2] if i + 2 < len(tokens) else ""
        cue: str | None = None
        if w in _FUTURE_WORDS or w.endswith("'ll") or w == "won't":
            cue = FUTURE
        elif w in _MODALS and (w != "may" or text[s] == "m"):
            cue = PAST if nxt == "have" else FUTURE
        elif w == "ahead" and nxt == "of":
            cue = FUTURE
        elif w in _FUTURE_AFTER_BE and prev in _BE_PRESENT:
            cue = FUTURE
        elif w in _FUTURE_FOR and nxt in ("for", "to"):
            # "is scheduled for" is future; "a session planned for Sunday ... was postponed"
            # (a reduced relative) says nothing of its own
            cue = FUTURE if prev in _BE_PRESENT else _PROSPECTIVE
        elif w in _FUTURE_TO and nxt == "to":
            cue = FUTURE
        elif (w in _FUTURE_PRESENT or _FUTURE_PRESENT_WITH.get(w, "-") == nxt) and text[s].islower():
            cue = FUTURE  # "whose term ends in May", "comes up for renewal in December"
        elif w in _FUTURE_PRESENT_WITH:
            pass
        elif w == "to" and prev in ("is", "are") and nxt2 != "":
            cue = FUTURE  # "is to visit"
        elif w in _CONTROL_PAST and nxt == "to":
            cue = _INTENT  # "agreed to hold talks in April", "vowed to hold a referendum in March"
        elif w in _EXPECT_PAST:
            cue = _PROSPECTIVE  # "expected a meeting by March"
        elif w == "to" and not (out and out[-1][1] == tokens[i - 1][1] and out[-1][2] in (FUTURE, _INTENT)) \
                and _infinitive(nxt, text, tokens[i + 1][0] if nxt else 0):
            # "pledged on Tuesday to reopen the crossings in March": the pledge's infinitive
            cue = _INTENT if out and text[out[-1][0]:out[-1][1]].lower() in _CONTROL_PAST else _PROSPECTIVE
        elif w in _PAST_AUX:
            cue = PAST
        elif (w in _PAST_WORDS or ("-" not in w and len(w) > 4 and w.endswith("ed") and w not in _NOT_VERB_ED
                                   and (not w.endswith("eed") or w in _EED_VERBS))) and text[s].islower():
            # a past form or participle: past after "has", not a cue after "is"/"be"/"been"
            # (the auxiliary decides: "will be held") nor as an adjective ("the disputed islands")
            if prev in ("has", "have", "'ve") or (prev not in _ATTRIBUTIVE_BEFORE and prev not in _BE_PRESENT
                                                  and prev not in ("been", "will")):
                cue = PAST
        if cue is not None:
            out.append((s, e, cue))
    return out


def tense_at(text: str, start: int, end: int) -> str | None:
    """PAST, FUTURE or None for the date at ``text[start:end]``."""
    lo, hi = sentence_bounds(text, start, end)
    before = _cues(text, lo, start)
    if before and _deadline(text, lo, start, end, hi):
        return FUTURE
    if before:
        cue = before[-1][2]
        return None if cue == _PROSPECTIVE else FUTURE if cue == _INTENT else cue
    # after the date, only its own clause: "left on Sunday evening, and is due to visit ..."
    clause_end = _CLAUSE_END_RE.search(text, end, hi)
    after = [c for c in _cues(text, end, clause_end.start() if clause_end else hi) if text[c[0]:c[1]].lower() != "to"]
    if not after:
        return None
    return PAST if after[0][2] in (_PROSPECTIVE, _INTENT) else after[0][2]


def _deadline(text: str, lo: int, start: int, end: int, hi: int) -> bool:
    """Whether the date is a deadline ("by mid-July", "before a July 9 deadline") in a clause
    without a past auxiliary ("had fallen by March" stays past). Deadlines, plans and promises
    look ahead even when the sentence reports them in the past ("pressed for an agreement by
    mid-July"); a date opening its sentence ("By March, ...") is left to the verb after it."""
    if not (_DEADLINE_BEFORE_RE.search(text, max(lo, start - 40), start) or _DEADLINE_AFTER_RE.match(text, end, hi)):
        return False
    clause = lo
    for m in _COMMA_RE.finditer(text, lo, start):
        clause = m.end()
    return not _PAST_IN_CLAUSE_RE.search(text, clause, start)
