"""``xfrules watch --facts FACTS [EVENTS]``: live findings from a stream of JSON-lines events.

Reads events (docs/monitor.md) from stdin or a file — with ``--follow``, a file that keeps
growing — and prints every change of a finding and every deadline or pace alert as it
happens. The lines already waiting when the watcher reads, and those that come within
``--window`` milliseconds of the first (:mod:`._feed`), are posted together, up to
``--batch`` at a time (:data:`DEFAULT_BATCH`), and print each finding's net change over
them; a line that arrives alone is posted alone (its changes print before the next line is
read).
A rejected event is reported on stderr and the rest go on.
Exit codes: 0 no mandatory breach at the end, 1 some, 2 an event was rejected or bad input.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, Problem, XfrulesError, os_reason, reason_of
from ..i18n import Msg, t
from ..pii import masked, scrub
from ._common import add_jurisdiction, date_arg, loaded_registry, warn_about_facts
from ._feed import DEFAULT_WINDOW_MS, groups, input_source

DEFAULT_BATCH = 100_000
"""Lines already waiting that are posted together. Grouping them costs no latency (they
are there already) and re-evaluates a unit's findings once per group instead of once per
slice: with ~10 events per unit, slices of 10,000 touched ~6,300 units per 10,000 events
and ran at half raw durable_rules' rate (docs/monitor.md). A waiting line holds ~1.7 KB
until its group is taken (its text and parsed object; the fact itself the monitor keeps
anyway): a full group took 170 MB more peak memory than groups of 10,000 (measured when
durable_rules still held a session per unit, ~1 GB for 10,000 units)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "watch", help="monitor units live: JSON-lines events in, finding changes and alerts out"
    )
    p.add_argument("events", nargs="?", default="-", help="events file (default: stdin)")
    p.add_argument("--facts", required=True, help="facts file with the units (and past facts)")
    p.add_argument(
        "--start",
        type=date_arg,
        default=None,
        metavar="DATE",
        help="the clock's first date (default: today; with --restore: the log's)",
    )
    p.add_argument("--log", metavar="FILE", help="append accepted events and changes here")
    p.add_argument(
        "--restore", action="store_true", help="first rebuild the state from --log, then go on"
    )
    p.add_argument(
        "--fresh",
        action="store_true",
        help="with --restore: start afresh (and create the log) when --log does not exist yet",
    )
    p.add_argument(
        "--follow", action="store_true", help="keep reading EVENTS as it grows (like tail -f)"
    )
    p.add_argument(
        "--idle-exit",
        type=float,
        default=None,
        metavar="SECONDS",
        help="with --follow: stop after this long without new input",
    )
    p.add_argument(
        "--batch",
        type=_positive,
        default=DEFAULT_BATCH,
        metavar="N",
        help=f"post up to N lines together (default {DEFAULT_BATCH}; 1: one by one)",
    )
    p.add_argument(
        "--window",
        type=_milliseconds,
        default=DEFAULT_WINDOW_MS,
        metavar="MS",
        help="after a group's first line, wait up to MS milliseconds for more lines to post "
        f"with it (default {DEFAULT_WINDOW_MS:g}; 0: only the lines already waiting)",
    )
    p.add_argument(
        "--obligations",
        metavar="FILE",
        help="obligations from this YAML/JSON list instead of the installed plug-ins",
    )
    add_jurisdiction(p)
    # A stream of changes, one line each as they happen: not a document the output
    # registry renders (xfrules.output), so its two line formats are its own.
    p.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="each change as a line of text or of JSON (default: table)",
    )
    p.set_defaults(func=run, long_running=True)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _milliseconds(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1000:  # also refuses nan
        raise argparse.ArgumentTypeError("must be between 0 and 1000 milliseconds")
    return value


def _lines(stream: IO[str], follow: bool, idle_exit: float | None) -> Iterator[str]:
    partial = ""
    idle_since = time.monotonic()
    while True:
        chunk = stream.readline()
        if chunk:
            idle_since = time.monotonic()
            partial += chunk
            if partial.endswith("\n"):
                yield partial
                partial = ""
            continue
        if not follow or (idle_exit is not None and time.monotonic() - idle_since >= idle_exit):
            break
        time.sleep(0.1)
    if partial:
        yield partial


def _batches(
    stream: IO[str], follow: bool, idle_exit: float | None, limit: int, window: float
) -> Iterator[Sequence[str | bytes]]:
    """Complete lines in groups of at most ``limit``: what is waiting, and what comes within
    ``window`` seconds of a group's first line (:mod:`._feed`)."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        fd = -1
    if fd < 0:  # an in-memory stream: everything in it is already there
        group: list[str | bytes] = []
        for line in _lines(stream, follow, idle_exit):
            group.append(line)
            if len(group) == limit:
                yield group
                group = []
        if group:
            yield group
        return
    # The descriptor itself: a read returns what is there now, which the text stream's
    # readline cannot tell us.
    yield from groups(
        input_source(fd, follow=follow, idle_exit=idle_exit), limit=limit, window=window
    )


def _load_obligations(path: str) -> list[Any]:
    import yaml
    from pydantic import ValidationError

    from ..obligations import obligation_adapter
    from ..yamlio import TooDeepError, load_yaml

    try:
        items = load_yaml(Path(path).read_text(encoding="utf-8"), path)
    except OSError as exc:
        unread = Msg("watch.cannot_read_obligations", detail=os_reason(exc))
        raise InputError([Problem(path, "", "", unread)]) from exc
    except (yaml.YAMLError, UnicodeDecodeError, TooDeepError) as exc:
        unread = Msg("watch.cannot_read_obligations", detail=str(exc))
        raise InputError([Problem(path, "", "", unread)]) from exc
    if isinstance(items, dict):
        items = items.get("obligations", [])
    if not isinstance(items, list):
        raise InputError([Problem(path, "", "", Msg("watch.not_obligations"))])
    out = []
    for i, item in enumerate(items):
        try:
            out.append(obligation_adapter.validate_python(item))
        except ValidationError as exc:
            raise InputError([Problem(path, f"obligations[{i}]", "", str(exc))]) from exc
    return out


def _print_change(change: Any, fmt: str) -> None:
    change = masked(change)  # unit ids, names and explanations as every output shows them
    print(json.dumps(change.to_record(), ensure_ascii=False) if fmt == "json" else str(change))


def _at(source: str, n: int, message: Msg) -> str:
    """``xfrules: SOURCE, line N: MESSAGE`` in the current language."""
    where = t("problem.sep").join((source, t("at.line", n=n)))
    return f"xfrules: {t('problem.at', where=where, message=message)}"


def _say(text: str) -> None:
    """A line on stderr, masked (a file's name, an event's text may hold personal data)."""
    print(scrub(text), file=sys.stderr, flush=True)


def _post(monitor: Any, events: list[Any], source: str, where: list[str | Msg]) -> int:
    """Post the events (one alone, several together); report and count the refused."""
    from ..monitor import EventError

    if len(events) == 1:
        try:
            monitor.post(events[0], source=source, where=where[0])
        except EventError as exc:
            _say(f"xfrules: {exc}")
            return 1
        except XfrulesError as exc:
            _say(f"xfrules: {t('cli.error', message=exc)}")
            return 1
        return 0
    if not events:
        return 0
    from ..collector import collector_paused

    # The command owns its process: the collector is paused for a batch only (for one event
    # it just moves the same collections to its end, measured no faster).
    with collector_paused():
        result = monitor.post_many(events, source=source, where=where)
    for refusal in result.rejected:
        _say(f"xfrules: {refusal}")
    for failure in result.failed:
        _say(f"xfrules: {t('cli.error', message=failure)}")
    return len(result.rejected) + len(result.failed)


def _warn_unread(event: Any, keys: Any, warned: set[tuple[str, str]], source: str, n: int) -> None:
    """Say once per name when an observation's metric or a submission's report key is read by
    no watched obligation: the event is accepted, and evidences nothing."""
    if not isinstance(event, dict):
        return
    kind = {"observation": "metric", "submission": "report"}.get(str(event.get("type")))
    name = event.get(kind) if kind else None
    if kind is None or not isinstance(name, str) or (kind, name) in warned:
        return
    why = keys.unread(kind, name)
    if why is not None:
        warned.add((kind, name))
        where = t("problem.sep").join((source, t("at.line", n=n)))
        _say(f"xfrules: {t('warning.at', where=where, message=why)}")


def _open_events(path: str) -> IO[str]:
    """The events stream: stdin for '-', else the file (read through its descriptor, see
    _batches; text mode for in-memory stand-ins)."""
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8")
    except OSError as exc:
        unread = Msg("watch.cannot_read_events", detail=os_reason(exc))
        raise InputError([Problem(path, "", "", unread)]) from exc


def run(args: argparse.Namespace) -> int:
    if args.restore and not args.log:
        raise InputError([Problem("", "", "--restore", Msg("watch.restore_needs_log"))])
    if args.fresh and not args.restore:
        raise InputError([Problem("", "", "--fresh", Msg("watch.fresh_needs_restore"))])
    if args.restore and not args.fresh and not Path(args.log).exists():
        # Starting afresh would drop the history the caller meant to restore (a typo in
        # the path, a log on another machine): say so unless asked to start afresh.
        raise InputError(
            [
                Problem(
                    args.log,
                    "",
                    "--restore",
                    Msg("watch.no_log"),
                )
            ]
        )
    stream = _open_events(args.events)
    try:
        return _watch(args, stream)
    finally:
        if stream is not sys.stdin:
            stream.close()


def _watch(args: argparse.Namespace, stream: IO[str]) -> int:
    from ..deployment import evidence_keys
    from ..facts import load_facts
    from ..monitor import Monitor
    from ..rulebook import prepare
    from ..yamlio import TooDeepError, load_json

    facts = load_facts(args.facts)
    registry = loaded_registry(args)
    if not args.obligations:  # rules from a file: the installed ones may not be what runs
        warn_about_facts(facts, registry, args)
    obligations = (
        _load_obligations(args.obligations) if args.obligations else list(registry.obligations)
    )
    rules = prepare(facts, registry, obligations=obligations, region_sets=registry.region_codes())
    keys = evidence_keys(obligations)
    warned: set[tuple[str, str]] = set()

    def show(change: Any) -> None:
        _print_change(change, args.format)

    if args.restore and Path(args.log).exists():
        monitor = Monitor.restore(args.log, rules, on_change=show)
        restored = t("watch.restored", n=monitor.events_accepted, log=args.log, today=monitor.today)
        _say(f"xfrules: {restored}")
    else:
        monitor = Monitor(
            rules,
            start=args.start or date.today(),
            on_change=show,
            log=args.log,
        )
    rejected = 0
    source = "<stdin>" if args.events == "-" else args.events
    n = 0
    # What exists now (plug-ins, facts, the monitor's initial findings) lives as long as
    # the watch: keep it out of every later collection, which otherwise walks it again and
    # again while events come in (the collector stays on for what comes after). Undone
    # at the end, for a caller that runs watch inside a longer-lived process.
    gc.collect()
    gc.freeze()
    try:
        window = args.window / 1000
        for group in _batches(stream, args.follow, args.idle_exit, args.batch, window):
            events: list[Any] = []
            where: list[str | Msg] = []
            for line in group:
                n += 1
                try:
                    text = line.decode("utf-8") if isinstance(line, bytes) else line
                except UnicodeDecodeError as exc:
                    _say(_at(source, n, Msg("watch.not_utf8", detail=str(exc))))
                    rejected += 1
                    continue
                if not text.strip():
                    continue
                try:
                    events.append(load_json(text))
                except json.JSONDecodeError as exc:
                    _say(_at(source, n, Msg("watch.not_json", detail=str(exc))))
                    rejected += 1
                    continue
                except TooDeepError as exc:
                    _say(_at(source, n, Msg("watch.not_event", detail=reason_of(exc))))
                    rejected += 1
                    continue
                _warn_unread(events[-1], keys, warned, source, n)
                where.append(Msg("at.line", n=n))
            rejected += _post(monitor, events, source, where)
            sys.stdout.flush()  # a group's changes are out before the next read waits
    except KeyboardInterrupt:
        pass
    finally:
        gc.unfreeze()
    evaluation = monitor.findings()
    monitor.close()
    if rejected:
        _say(f"xfrules: {t('watch.rejected', n=rejected)}")
        return 2
    return 1 if evaluation.has_mandatory_breach else 0
