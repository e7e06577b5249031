"""The commands' promise: a message on standard error, never a traceback.

``stderr_line`` prints one sanitised line (a message may carry a file name or brief text);
``guarded`` runs a command and turns what escapes it into an exit status.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable

EXIT_OK, EXIT_FAIL = 0, 1


def stderr_line(prefix: str, message: str) -> None:
    from briefing.core.sanitize import terminal_line

    try:
        print(f"{prefix}: {terminal_line(message)}", file=sys.stderr)
    except (OSError, ValueError):  # stderr closed or full: nothing more to say
        pass


def guarded(run: Callable[[argparse.Namespace], int], args: argparse.Namespace,
            err: Callable[[str], None], what: str) -> int:
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of our output went away: not a failure of ours
        return EXIT_OK
    except Exception as exc:  # the promise is: a message, never a traceback
        err(f"{what}: {type(exc).__name__}: {exc}")
        return EXIT_FAIL
