"""Sizes the reader refuses beyond: one place, importable without the parser (or pydantic)."""

MAX_BRIEF_BYTES = 8 * 1024 * 1024  # a brief larger than this is refused, with a message
