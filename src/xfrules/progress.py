"""A plain progress line on stderr for long imports and evaluations; silent when not a terminal.

With a total it shows the share done and the time left (``导入台账 [#####   ] 45.2%
12,345/27,300 行 8,000/s 剩余约 0:02``); a DuckDB query reports its own share
(:func:`duckdb_progress`).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

__all__ = ["Progress", "duckdb_progress", "estimate_rows"]


class Progress:
    """``with Progress("import", total=n) as p: p.advance(k)`` — redraws at most 5 times a second.

    Off unless ``stream`` is a terminal (pipes, files and CI logs stay clean); ``enabled``
    forces it either way. ``total`` may be a function, asked only when the line is shown
    (an estimate that costs a pass over the input is then paid on a terminal only).
    """

    def __init__(
        self,
        label: str,
        total: int | Callable[[], int | None] | None = None,
        *,
        unit: str = "rows",
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = (total() if self.enabled else None) if callable(total) else total
        self.done = 0
        self.fraction: float | None = None  # set by whoever knows the share done (DuckDB)
        self._start = time.monotonic()
        self._last = 0.0
        self._lock = threading.Lock()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._maybe_draw()

    def set_fraction(self, fraction: float) -> None:
        """The share done, when it is known otherwise than by counting (a query's progress)."""
        self.fraction = min(max(fraction, 0.0), 1.0)
        self._maybe_draw()

    def _maybe_draw(self) -> None:
        now = time.monotonic()
        if self.enabled and now - self._last >= 0.2:
            self._last = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        from .i18n import label, t

        elapsed = (now if now is not None else time.monotonic()) - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        name = label("progress", self.label)
        unit = label("progress", self.unit)
        frac = self.fraction
        if frac is None and self.total:
            frac = min(self.done / self.total, 1.0)
        if frac is None and not self.done:
            # Nothing counted and no share known (a DuckDB query that reports none): the
            # time only, not a misleading "0 rows 0/s".
            return f"{name} {elapsed:5.1f}s"
        if frac is None:
            return f"{name} {self.done:,} {unit} {elapsed:5.1f}s {rate:,.0f}/s"
        bar = "#" * int(frac * 30)
        left = elapsed * (1 - frac) / frac if frac > 0 else None
        eta = t("progress.left", left=_clock(left)) if left is not None else ""
        counted = (
            f" {self.done:,}/{self.total:,} {unit} {rate:,.0f}/s"
            if self.total and self.fraction is None
            else f" {elapsed:5.1f}s"
        )
        return f"{name} [{bar:<30}] {frac:6.1%}{counted} {eta}".rstrip()

    def _draw(self, now: float) -> None:
        with self._lock:
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
            self.enabled = False


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def estimate_rows(paths: Sequence[str | Path]) -> int | None:
    """About how many rows ``paths`` hold: lines of text files, a sheet's dimension, a Parquet
    file's row count — for a progress line's total (only asked on a terminal)."""
    total = 0
    for p in map(Path, paths):
        suffix = p.suffix.lower()
        try:
            if suffix in (".xlsx", ".xlsm"):
                from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

                wb = load_workbook(p, read_only=True)
                total += wb.worksheets[0].max_row or 0
                wb.close()
            elif suffix in (".parquet", ".pq"):
                from .ledger.readers import duckdb_connection

                con = duckdb_connection()
                try:
                    # From the file's metadata: no row is read.
                    row = con.execute("SELECT count(*) FROM read_parquet(?)", [str(p)]).fetchone()
                finally:
                    con.close()
                total += int(row[0]) if row else 0
            else:
                with p.open("rb") as fh:
                    total += sum(
                        chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")
                    )
        except Exception:  # an estimate only: the reader itself reports a bad file
            return None
    return total or None


@contextmanager
def duckdb_progress(con: Any, bar: Progress) -> Iterator[None]:
    """While the block runs, ``bar`` shows the share done of the DuckDB query running on
    ``con`` (DuckDB's own bar stays off: it would print on stdout)."""
    if not bar.enabled:
        yield
        return
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    con.execute("SET progress_bar_time = 100")  # tracked from 0.1 s on (DuckDB: 2 s)
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(0.2):
            try:
                share = con.query_progress()
            except Exception:  # the connection closed under us: nothing more to show
                return
            # -1: no query running; 0 throughout: a plan DuckDB reports no share for
            # (the batch backend's main aggregation, as of DuckDB 2.0). Neither is shown as
            # "0%", which would read as stuck.
            if share > 0:
                bar.set_fraction(share / 100)
            elif bar.fraction is not None:
                bar.fraction = None

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
