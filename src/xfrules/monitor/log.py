"""The monitor's log: JSON lines of accepted events and changes, read back to restore."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, Problem, os_reason
from ..i18n import Msg
from .events import EngineError, EventError
from .intake import key_file, write_key

__all__ = ["LOG_FORMAT", "LogContents", "open_log", "read_log", "write_record"]

LOG_FORMAT = "xfrules.monitor-log/1"


class LogContents:
    """What a log holds: its start date, the obligations it was written under, the events
    it took in (as logged), and its lines (which name the key file)."""

    def __init__(
        self, start: date, obligation_ids: list[str] | None, events: list[Any], lines: list[str]
    ) -> None:
        self.start = start
        self.obligation_ids = obligation_ids
        self.events = events
        self.lines = lines


def read_log(path: Path) -> LogContents:
    """Read a monitor log, or raise EventError naming the line that is not a log record."""
    start: date | None = None
    events: list[Any] = []
    obligation_ids: list[str] | None = None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        unread = Msg("monitor.cannot_read_log", detail=reason)
        raise EventError([Problem(str(path), "", "", unread)]) from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            kind = record.get("record") if isinstance(record, dict) else None
            if kind == "start" and start is None:
                start = date.fromisoformat(record["as_of"])
                obligation_ids = record.get("obligations")
            elif kind == "event":
                events.append(record["event"])
        except (json.JSONDecodeError, RecursionError, KeyError, TypeError, ValueError) as exc:
            why = Msg("monitor.not_a_record", detail=f"{type(exc).__name__}: {exc}")
            raise EventError([Problem(str(path), Msg("at.line", n=n), "", why)]) from None
    if start is None:
        raise EventError([Problem(str(path), "", "", Msg("monitor.no_start"))])
    return LogContents(start, obligation_ids, events, lines)


def open_log(
    path: Path,
    *,
    resume: bool,
    events_accepted: int,
    key: bytes,
    today: date,
    obligation_ids: list[str],
) -> IO[str]:
    """The log opened for appending (its key file written when new), a new one begun with a
    ``start`` record. An existing log is only continued when resuming (:meth:`restore`),
    never mixed with another monitor's history."""
    fresh = not path.exists() or path.stat().st_size == 0
    if not fresh and not resume:
        raise EventError(
            [
                Problem(
                    str(path),
                    "",
                    "",
                    Msg("monitor.log_taken"),
                )
            ]
        )
    if fresh and events_accepted:
        raise EngineError(Msg("engine.log_must_replay"))
    keys = key_file(path)
    fh: IO[str] | None = None
    try:
        # Written through a buffer, flushed when each post/post_many ends (not per line).
        fh = path.open("a", encoding="utf-8")
        if fresh or not keys.exists():
            write_key(keys, key)
    except OSError as exc:  # a folder that does not exist or cannot be written
        if fh is not None:
            fh.close()
        raise InputError(
            [
                Problem(
                    str(exc.filename or path),
                    "",
                    "",
                    Msg("file.cannot_write", detail=os_reason(exc)),
                )
            ]
        ) from exc
    if fresh:
        write_record(
            fh,
            {
                "record": "start",
                "format": LOG_FORMAT,
                "as_of": today.isoformat(),
                "obligations": obligation_ids,
            },
        )
    return fh


def write_record(fh: IO[str], record: dict[str, Any]) -> None:
    fh.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(value: object) -> str:
    if isinstance(value, Decimal | date):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
