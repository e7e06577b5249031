"""Worker threads that never hold the reader open after ``q``.

Textual runs a ``@work(thread=True)`` method in the event loop's default executor. With
asyncio's own (a ThreadPoolExecutor), ``asyncio.run`` waits for every running thread when
the app ends, and so does the interpreter at exit: ``q`` pressed while a worker parsed an
8 MB brief left the process running ~30 s after the screen was gone (issue 15, measured by
bench/bench_quit.py).

``QuitFreeExecutor`` runs each call in a daemon thread, and its ``shutdown`` does not
wait: the process ends while such a thread is still at work. Workers still stop early where they can (a search's SQLite query is interrupted, an export checks
its cancel flag before it writes, the index refresh and the prefetch check ``stop``): this is
the backstop for work that cannot stop part-way, such as parsing one large brief. What an
abandoned thread was doing is lost, never half-done on disk: every write is one SQLite
transaction or an atomic file replace.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import threading


class QuitFreeExecutor(concurrent.futures.ThreadPoolExecutor):
    """Daemon threads, reused (each keeps its own SQLite connections, ``briefing.index``), a
    new one whenever none is idle, never waited for at exit. (A ThreadPoolExecutor only
    because ``loop.set_default_executor`` accepts nothing else: none of its pool is used.)"""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="briefing-worker")
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._idle = 0  # threads waiting for a call
        self._busy = 0  # calls submitted and not yet ended (queued or running)
        self._count = 0
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn, /, *args, **kwargs) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            self._busy += 1  # (counted from now: a call queued but not yet picked up is work too)
            if self._idle:
                self._idle -= 1
            else:
                self._count += 1
                threading.Thread(target=self._serve, name=f"briefing-worker-{self._count}", daemon=True).start()
        self._calls.put((future, fn, args, kwargs))
        return future

    def _serve(self) -> None:
        while True:
            call = self._calls.get()
            if call is None:
                return
            future, fn, args, kwargs = call
            if future.set_running_or_notify_cancel():
                try:
                    result = fn(*args, **kwargs)
                except BaseException as exc:  # noqa: BLE001 - handed to whoever awaits the future
                    future.set_exception(exc)
                else:
                    future.set_result(result)
            del call, future, fn, args, kwargs  # (nothing of the last call kept alive while idle)
            with self._lock:
                self._busy -= 1
                self._idle += 1

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Refuse new work, let idle threads end; never wait for one at work (see above)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, 0
        for _ in range(idle):
            self._calls.put(None)


    @property
    def busy(self) -> int:
        """How many calls are queued or running now."""
        with self._lock:
            return self._busy


_installed: list[QuitFreeExecutor] = []


def install(loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Make the running loop's default executor (Textual's thread workers) a QuitFreeExecutor."""
    executor = QuitFreeExecutor()
    (loop or asyncio.get_running_loop()).set_default_executor(executor)
    _installed[:] = [executor]


def any_busy() -> bool:
    """Whether a worker thread is still at work (after the app has ended: one that cannot stop
    part-way; ``briefing.cli.end_now_if_busy`` then ends the process at once)."""
    return any(executor.busy for executor in (*_installed, _SOON))


# One pool for the parses the UI waits a moment for (see ``within``): its daemon threads never
# hold the process open, like the workers'.
_SOON = QuitFreeExecutor()
OPEN_WAIT = 0.03  # seconds the UI waits for a small brief's parse (a few milliseconds as a rule)


def within(fn, wait: float, /, *args) -> concurrent.futures.Future:
    """Run ``fn(*args)`` on a daemon thread of ``_SOON`` and wait at most ``wait`` seconds for it.

    The UI thread never parses a brief (issue 15): a small brief is parsed here while the UI
    thread waits, so that an ordinary one (a few milliseconds) still shows in the same frame as
    the list's move, and a dense or hostile one cannot stall the screen longer than ``wait``.
    The caller takes the result if the future is done, else adds a done-callback that posts it
    (the callback runs on the parsing thread: only ``post_message`` there)."""
    future = _SOON.submit(fn, *args)
    concurrent.futures.wait((future,), timeout=wait)
    return future
