"""ui.threads: a parse the UI waits a moment for (``within``) counts as busy work at the end,
so a quit while it runs ends the process at once (cli.end_now_if_busy), as the workers' do."""

from __future__ import annotations

import threading

from briefing.ui import threads


def test_a_parse_still_running_after_the_wait_counts_as_busy() -> None:
    go = threading.Event()
    future = threads.within(go.wait, 0.01, 5)
    try:
        assert not future.done()
        assert threads.any_busy()  # (before: only the workers' executor was looked at)
    finally:
        go.set()
    assert future.result(timeout=5) is True


def test_a_short_call_is_done_within_the_wait() -> None:
    future = threads.within(lambda x: x * 2, 1.0, 21)
    assert future.done() and future.result() == 42
