"""How ``xfrules watch`` groups the lines of its input: what is waiting, plus a short window.

A group starts with the first complete line read after the last group was handed on. The
watcher then keeps reading what is already there, and waits for more only until the
group's *window* has passed since that first line (or the group holds ``limit`` lines):
so a burst that reaches the watcher in pieces (a pipe passes 64 KB at a time; a producer
writes a group, pauses a millisecond, writes the next) is posted as one group, and no line
waits more than the window for lines that have not come yet. At the end of the input the
group is handed on at once, and so it is when a followed file has nothing more for now
(waiting on a file would only poll). Lines already there when the window ends still go in
the group (up to ``limit``): taking them costs no waiting, as before there was a window.

A pipe (a terminal, a socket) is read ahead by a thread of its own (:class:`ReadAhead`,
up to 16 MB held), and asked for a 1 MB buffer (Linux; 64 KB otherwise): a producer that
is ahead of the monitor has its lines taken while the monitor posts, and the next group
holds all that came meanwhile (up to ``limit``) — the backlog is what makes groups large
when it matters, and a pipe alone holds only ~6,000 lines of it.

The input is a :class:`Source` (:func:`input_source` picks watch's); :class:`FdSource`
reads a descriptor, tests and the benchmark give their own, with their own clock.
"""

from __future__ import annotations

import os
import select
import stat
import threading
import time
from collections.abc import Callable, Iterator
from typing import Protocol

__all__ = [
    "DEFAULT_WINDOW_MS",
    "FdSource",
    "ReadAhead",
    "Source",
    "groups",
    "input_source",
    "widen_pipe",
]

DEFAULT_WINDOW_MS = 2.0
"""How long a group's first line may wait for more lines, in milliseconds. Issue 17 allows
coalescing 5 ms at the 99th percentile; on a busy 2-core machine a wait of 3 ms came back
up to 1.6 ms late, and reading what is already waiting holds the first lines another
~1 ms: 2 ms keeps the whole within the bound (benchmarks/bench_monitor.py prints both)."""

_POLL = 0.1  # seconds between looks at a followed file that has nothing new
PIPE_BUFFER = 1 << 20  # Linux's /proc/sys/fs/pipe-max-size default
READ_AHEAD = 16 << 20  # bytes read ahead at most: ~100,000 lines of purchases (--batch)


class Source(Protocol):
    def read(self, timeout: float | None) -> bytes | None:
        """The bytes that came, waiting at most ``timeout`` seconds for some (``None``: as
        long as it takes; 0: only what is there now). ``b""`` when none came in time (or a
        followed file has nothing new); ``None`` at the end of the input."""


class FdSource:
    """A file descriptor: a pipe, a terminal, or a file (``follow``: one that keeps growing,
    given up after ``idle_exit`` seconds without anything new)."""

    def __init__(
        self,
        fd: int,
        *,
        follow: bool = False,
        idle_exit: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.fd = fd
        self.follow = follow
        self.idle_exit = idle_exit
        self.clock = clock
        self.sleep = sleep
        self._idle_since = clock()
        widen_pipe(fd)

    def read(self, timeout: float | None) -> bytes | None:
        if timeout is not None and not self._ready(timeout):
            return b""
        while True:
            # What is there now (on a pipe a read waits only while nothing is).
            chunk = os.read(self.fd, 1 << 20)
            if chunk:
                self._idle_since = self.clock()
                return chunk
            if not self.follow or (
                self.idle_exit is not None and self.clock() - self._idle_since >= self.idle_exit
            ):
                return None
            if timeout is not None:
                return b""  # a followed file with nothing new: hand the group on now
            self.sleep(_POLL)

    def _ready(self, timeout: float) -> bool:
        """Whether a read would return within ``timeout`` (data, or the end of a pipe); a
        regular file always would."""
        try:
            return bool(select.select([self.fd], [], [], timeout)[0])
        except (OSError, ValueError):
            return True


class ReadAhead:
    """``source`` read by a thread of its own, so that lines keep arriving while the
    watcher posts: a read returns everything that came since the last one (up to
    ``limit`` bytes held, past which the thread stops reading and the writer waits, as a
    full pipe makes it wait).

    Why: a pipe holds at most 1 MB (~6,000 lines) however far the producer is ahead, so
    a watcher that reads only between posts takes at most that much a post, while a
    post pays per unit it touches whatever its size. Read ahead, a backlog is posted in
    groups as large as it has grown (up to ``--batch``); a line that comes while the
    watcher is idle is read at once, as before. What the window waits for is unchanged:
    lines that have not come yet.
    """

    def __init__(self, source: Source, *, limit: int = READ_AHEAD) -> None:
        self._source = source
        self._limit = limit
        self._chunks: list[bytes] = []
        self._held = 0
        self._ended = False
        self._error: BaseException | None = None
        self._changed = threading.Condition()
        # A daemon: a watch that stops (an error, ^C) must not wait for its input to end.
        threading.Thread(target=self._fill, name="xfrules-watch-input", daemon=True).start()

    def _fill(self) -> None:
        try:
            while True:
                chunk = self._source.read(None)
                with self._changed:
                    if chunk is None:
                        self._ended = True
                        self._changed.notify_all()
                        return
                    if chunk:
                        self._chunks.append(chunk)
                        self._held += len(chunk)
                        self._changed.notify_all()
                    self._changed.wait_for(lambda: self._held < self._limit)
        except BaseException as exc:  # handed to the reader, which raises it
            with self._changed:
                self._error = exc
                self._ended = True
                self._changed.notify_all()

    def read(self, timeout: float | None) -> bytes | None:
        with self._changed:
            self._changed.wait_for(lambda: self._chunks or self._ended, timeout)
            if self._chunks:
                data = b"".join(self._chunks)
                self._chunks.clear()
                self._held = 0
                self._changed.notify_all()
                return data
            if self._ended:
                if self._error is not None:
                    raise self._error
                return None
            return b""


def input_source(fd: int, *, follow: bool = False, idle_exit: float | None = None) -> Source:
    """What ``xfrules watch`` reads ``fd`` through: a pipe (a terminal, a socket) read
    ahead (:class:`ReadAhead`), so that a backlog is not cut into pieces of the pipe's
    size; a file directly (its backlog is all there already; a followed one is polled)."""
    source = FdSource(fd, follow=follow, idle_exit=idle_exit)
    if follow or stat.S_ISREG(os.fstat(fd).st_mode):
        return source
    return ReadAhead(source)


def widen_pipe(fd: int, size: int = PIPE_BUFFER) -> None:
    """Give the pipe ``fd`` a buffer of ``size`` bytes where the system allows it (else leave
    it as it is: a smaller buffer only makes smaller groups)."""
    try:
        import fcntl

        set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
        if set_size is not None and stat.S_ISFIFO(os.fstat(fd).st_mode):
            fcntl.fcntl(fd, set_size, size)
    except (ImportError, OSError):
        pass


def groups(
    source: Source,
    *,
    limit: int,
    window: float,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[list[bytes]]:
    """The complete lines of ``source`` in groups of at most ``limit`` (module docstring);
    ``window`` in seconds (0: only what is waiting when the first line is read). Lines
    stay bytes so that a bad byte rejects its own line only; a last line without its
    newline comes alone at the end."""
    pending = b""
    lines: list[bytes] = []
    deadline = 0.0
    while True:
        chunk = source.read(None if not lines else max(deadline - clock(), 0.0))
        if chunk is None:
            break
        if not chunk:  # nothing more within the window: hand the group on
            if lines:
                yield lines
                lines = []
            continue
        *complete, pending = (pending + chunk).split(b"\n")
        if complete and not lines:
            deadline = clock() + window
        lines.extend(complete)
        while len(lines) >= limit:
            yield lines[:limit]
            lines = lines[limit:]
    if lines:
        yield lines
    if pending:
        yield [pending]
