"""``xfrules watch --facts FACTS [EVENTS]``: live findings from a stream of JSON-lines events.

Reads events (docs/monitor.md) from stdin or a file — with ``--follow``, a file that keeps
growing — and prints every change of a finding and every deadline or pace alert as it
happens. A rejected event is reported on stderr and the rest go on.
Exit codes: 0 no mandatory breach at the end, 1 some, 2 an event was rejected or bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, Problem, XfrulesError
from ._common import add_format, add_jurisdiction, date_arg, loaded_registry


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
        "--obligations",
        metavar="FILE",
        help="obligations from this YAML/JSON list instead of the installed plug-ins",
    )
    add_jurisdiction(p)
    add_format(p, ("table", "json"))
    p.set_defaults(func=run)


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


def _load_obligations(path: str) -> list[Any]:
    import yaml
    from pydantic import ValidationError

    from ..obligations import obligation_adapter

    try:
        items = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError([Problem(path, "", "", f"cannot read obligations: {exc}")]) from exc
    if isinstance(items, dict):
        items = items.get("obligations", [])
    if not isinstance(items, list):
        raise InputError([Problem(path, "", "", "must be a list of obligations")])
    out = []
    for i, item in enumerate(items):
        try:
            out.append(obligation_adapter.validate_python(item))
        except ValidationError as exc:
            raise InputError([Problem(path, f"obligations[{i}]", "", str(exc))]) from exc
    return out


def _print_change(change: Any, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(change.to_record(), ensure_ascii=False), flush=True)
        return
    f = change.after
    before = change.before.status.value if change.before is not None else "-"
    alerts = f" [{', '.join(change.alerts)}]" if change.alerts else ""
    figures = ""
    if f.measured is not None and f.required is not None:
        figures = f" {f.measured.normalize():f}/{f.required.normalize():f} {f.measure_unit or ''}"
    print(
        f"{change.as_of} {f.unit_id} {f.obligation_id}: {before} -> {f.status.value}{alerts}"
        f"{figures.rstrip()} ({f.source.document} {f.source.clause})",
        flush=True,
    )


def run(args: argparse.Namespace) -> int:
    from ..evaluator import region_sets_for
    from ..facts import load_facts
    from ..monitor import EventError, Monitor

    if args.restore and not args.log:
        raise InputError([Problem("", "", "--restore", "needs --log FILE to restore from")])
    facts = load_facts(args.facts)
    registry = loaded_registry(args)
    obligations = (
        _load_obligations(args.obligations) if args.obligations else list(registry.obligations)
    )
    sets = region_sets_for({k: s.codes for k, s in registry.region_sets().items()}, facts)

    def show(change: Any) -> None:
        _print_change(change, args.format)

    if args.restore and Path(args.log).exists():
        monitor = Monitor.restore(args.log, facts, obligations, sets, on_change=show)
        print(
            f"xfrules: restored {monitor.events_accepted} events from {args.log}; "
            f"clock at {monitor.today}",
            file=sys.stderr,
        )
    else:
        monitor = Monitor(
            facts,
            obligations,
            sets,
            start=args.start or date.today(),
            on_change=show,
            log=args.log,
        )
    rejected = 0
    source = "<stdin>" if args.events == "-" else args.events
    stream: IO[str] = (
        sys.stdin if args.events == "-" else open(args.events, encoding="utf-8")  # noqa: SIM115
    )
    try:
        for n, line in enumerate(_lines(stream, args.follow, args.idle_exit), 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line, parse_float=Decimal)
            except json.JSONDecodeError as exc:
                print(f"xfrules: {source}, line {n}: not JSON: {exc}", file=sys.stderr)
                rejected += 1
                continue
            try:
                monitor.post(event, source=source, where=f"line {n}")
            except EventError as exc:
                print(f"xfrules: {exc}", file=sys.stderr, flush=True)
                rejected += 1
            except XfrulesError as exc:
                print(f"xfrules: error: {exc}", file=sys.stderr, flush=True)
                rejected += 1
    except KeyboardInterrupt:
        pass
    finally:
        if stream is not sys.stdin:
            stream.close()
    evaluation = monitor.findings()
    monitor.close()
    if rejected:
        print(f"xfrules: {rejected} event(s) rejected", file=sys.stderr)
        return 2
    return 1 if evaluation.has_mandatory_breach else 0
