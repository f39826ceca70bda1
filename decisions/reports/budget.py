"""A time budget for a PDF render that holds in whatever thread the render runs.

`manage.py db_worker` runs a task in its main thread, but with `--reload` (`make run`) it runs
it in a thread of its own, and a SIGALRM timer reaches only the main thread: the budget was
skipped there, renders ran for minutes and /healthz reported the queue stalled. Here a watchdog
thread raises RenderOverBudget in the rendering thread (CPython's PyThreadState_SetAsyncExc),
wherever that thread is.

Why not a subprocess with a timeout: a fresh interpreter importing Django and WeasyPrint took
1.7 to 3.1 s per render on a 2-core machine, more than a summary's whole render, and the child
would need the settings and static files handed over. What this cannot stop is one long call
into C (Pango shaping one paragraph): the exception lands when that call returns. Every user
text in a PDF is clipped (reports/context.py), so no single call is long.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# After the first raise, raise again this often until the work stops: WeasyPrint catches even
# BaseException around an SVG's drawing, logs it and draws on.
RAISE_AGAIN_SECONDS = 0.5


class RenderOverBudget(BaseException):
    """A BaseException, like KeyboardInterrupt: `except Exception` must not swallow it."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Stops the work inside after `seconds` with RenderOverBudget, in any thread."""
    target = threading.get_ident()
    lock = threading.Lock()
    running = [True]
    stop = threading.Event()

    def watch() -> None:
        wait = seconds
        while not stop.wait(wait):
            with lock:
                if running[0]:
                    _raise_in(target, RenderOverBudget)
            wait = RAISE_AGAIN_SECONDS

    watcher = threading.Thread(target=watch, name="pdf-time-budget", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        overran = _stop_raising(lock, running, target)
        stop.set()
        watcher.join()
    if overran:
        raise RenderOverBudget


def _stop_raising(lock: threading.Lock, running: list[bool], target: int) -> bool:
    """Tell the watcher the work is over and withdraw a raise that has not landed yet; True if
    one landed meanwhile (the work ran out its time after all)."""
    overran = False
    while True:
        try:
            with lock:
                running[0] = False
                _raise_in(target, None)
            return overran
        except RenderOverBudget:
            overran = True


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in the thread at its next Python instruction; None withdraws it."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )
