"""CPU seconds, for the tests that guard against runaway work (quadratic parsing, a stalled
loop): this process's threads and its finished children, not the wall clock, so a busy
machine (other jobs on two cores) does not make them fail. Speed itself is measured by bench/.
"""

from __future__ import annotations

import resource
import time


def cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
