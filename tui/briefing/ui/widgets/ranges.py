"""Ranges of a brief's text (mentions, styles, matches, highlights), found by overlap."""

from __future__ import annotations

import bisect


class RangeIndex:
    """Ranges (start, end, payload) queried by overlap with a line's slice."""

    def __init__(self, ranges: list[tuple[int, int, object]]):
        self.ranges = sorted(ranges, key=lambda r: r[0])
        self.starts = [r[0] for r in self.ranges]
        self.max_len = max((r[1] - r[0] for r in self.ranges), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, object]]:
        if not self.ranges:
            return []
        lo = bisect.bisect_left(self.starts, start - self.max_len)
        hi = bisect.bisect_left(self.starts, max(end, start + 1))
        return [r for r in self.ranges[lo:hi] if r[1] > start and r[0] < max(end, start + 1)]
