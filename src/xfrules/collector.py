"""Pausing Python's cyclic garbage collector around bulk work that makes no garbage cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; restore it after, also on error.

    Making tens of thousands of long-lived objects (findings, a monitor's stored facts)
    triggers collections that find nothing to free but walk every live object: measured at
    16% of a batch evaluation and 3× the parsing time of an event inside a monitor batch.
    Cyclic garbage made meanwhile is collected once the collector runs again; an application
    that turned the collector off keeps it off.

    The collector is the process's, so only its owner pauses it: the command line around a
    bounded command (measured: 100,000 units of the five plug-ins, 27 s paused against 33 s).
    Library calls (``evaluate``, the monitor) leave it alone; an application evaluating a
    province at once may wrap the call in this itself.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
