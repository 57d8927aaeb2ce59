"""Stopping a run cleanly on SIGTERM or SIGHUP, as on Ctrl-C.

By default these signals kill Python at once: no `finally` runs, so worker processes
and temporary files (spilled runs, Dask scratch space, half-written outputs) stay
behind. Inside `stop_on_signals` they raise `Stopped` in the main thread instead, and
the run unwinds through its clean-up code.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Stopped(BaseException):
    """A stop signal arrived. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` (one article's failure) can swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise Stopped (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def worker_signals() -> None:
    """In a worker process: die at once on a stop signal, and leave Ctrl-C to the parent,
    which stops its workers itself (a forked worker inherits the parent's handlers)."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
