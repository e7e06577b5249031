"""One identity for an entity across briefs: when two mentions in different briefs are the
same leader, region or other thing.

The rule (docs/FORMAT.md, "One entity across briefs"):

1. Names are compared folded (``fold``): case, diacritics, punctuation and white space do
   not count, nor does a "Jr."-style suffix (Jr, Sr, Jnr, Snr). "José Martí" is
   "Jose Marti"; "Martin Luther King, Jr." is "Martin Luther King". Roman numerals are kept:
   Elizabeth I is not Elizabeth II.
2. Two facts with a ``wikidata`` id each are the same entity exactly when the ids are equal,
   whatever their names and types say: the same name with two ids stays two entities.
3. Otherwise (one or none has an id) they are the same entity when they have the same type
   and the name of one is the name or an alias of the other (folded). Two aliases alone do
   not make one entity: generic aliases ("the country", "the Prime Minister") are common.

Each fact gets a canonical key (``ident``): ``wd:Q…`` when it has a Wikidata id, else
``TYPE:folded name``. Facts with equal keys are always the same entity; rule 3 links keys
through names and aliases (see briefing.views.resolve).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")

# A trailing generational suffix, with or without a comma and a full stop.
_SUFFIX_RE = re.compile(r"(?:,?\s+(?:jr|sr|jnr|snr)\.?)+$", re.IGNORECASE)
# Punctuation that spelling varies on: full stops of initials, commas, apostrophes, hyphens.
_PUNCT_RE = re.compile(r"[.,'’‘`´\-‐‑‒–—]+")


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A name as identities compare it: casefolded, without diacritics, suffix, punctuation
    or repeated white space. A name that is only a suffix ("Jr.") keeps it."""
    text = unicodedata.normalize("NFKD", name)
    if not text.isascii():
        text = "".join(c for c in text if not unicodedata.combining(c))
    stripped = _SUFFIX_RE.sub("", text.strip())
    if stripped.strip():
        text = stripped
    text = _PUNCT_RE.sub(" ", text)
    return " ".join(text.split()).casefold()


def ident(fact_type: str, name: str, wikidata: str | None = None) -> str:
    """The canonical key of a fact (see the module's docstring)."""
    if wikidata:
        return "wd:" + wikidata
    return f"{fact_type}:{fold(name)}"


@dataclass(frozen=True)
class Named:
    """What the rule looks at in a fact: its type, name, aliases and optional Wikidata id."""

    type: str
    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    spellings: frozenset[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "spellings", frozenset(fold(s) for s in (self.name, *self.aliases)))

    @property
    def key(self) -> str:
        return ident(self.type, self.name, self.wikidata)


def same_entity(a: Named, b: Named) -> bool:
    """Rules 2 and 3 of the module's docstring."""
    if a.wikidata and b.wikidata:
        return a.wikidata == b.wikidata
    if a.type != b.type:
        return False
    return fold(a.name) in b.spellings or fold(b.name) in a.spellings
