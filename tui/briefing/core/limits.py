"""Sizes the reader refuses beyond: one place, importable without the parser (or pydantic)."""

MAX_BRIEF_BYTES = 8 * 1024 * 1024  # a brief larger than this is refused, with a message
# Front matter longer than this (in characters) is refused by the full reader
# (briefing.core.frontmatter) and left to it by the light one (briefing.core.front_peek).
MAX_FRONT_MATTER_CHARS = 256 * 1024
# Problems of one brief that are reported (and stored in the index); the rest are counted
# in one closing line. The body stops being read after this many errors: its verdict is known.
MAX_PROBLEMS = 100


def read_capped(fh, size: int) -> bytes:
    """At most MAX_BRIEF_BYTES + 1 bytes of an open file whose size was ``size``. (Not
    read(MAX_BRIEF_BYTES + 1): that allocates 8 MB for every brief, ~20 us each.)"""
    data = fh.read(min(size, MAX_BRIEF_BYTES) + 1)
    if len(data) > size:  # it grew since: read on, up to the limit
        data += fh.read(MAX_BRIEF_BYTES + 1 - len(data))
    return data
