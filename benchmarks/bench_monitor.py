"""Events per second through the live monitor against raw durable_rules ``post``.

Run: ``/work/venv/bin/python benchmarks/bench_monitor.py [--units N [N ...]] [--events N]``.

Both sides post the same transaction events one by one on the same durable_rules host:

- raw: each event (plus its session id) to a minimal ruleset of one rule whose action
  does nothing;
- monitor, batched (``post_many``): validate and de-duplicate each event, post one
  durable_rules event per unit (and route) of the batch, whose action stores the facts
  and marks what they can change; re-evaluate once at the end of the batch;
- monitor, in chunks: ``post_many`` over consecutive slices of ``--chunk`` events, as
  ``xfrules watch`` does with the lines already waiting on its input;
- monitor, one by one (``post``): as above, re-evaluating the affected findings after
  every event (the latency mode: each event's changes before the next is read).

Two workloads by default: 2,000 and 10,000 units for 100,000 events, i.e. ~50 and ~10
events per unit in a batch.

The overhead is (raw rate / monitor rate − 1); the target is ≤ 25 % over raw ``post``.
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_monitor_support import JUR, REGION_SETS, obligations, tx

from xfrules.entities import Unit
from xfrules.facts import Facts
from xfrules.monitor import Monitor, engine


def make_events(n_units: int, n_events: int, seed: int = 0) -> tuple[list[Unit], list[Any]]:
    rnd = random.Random(seed)
    units = [
        Unit(id=f"u{i:05d}", name=f"单位{i}", kind="budget_unit", jurisdiction=JUR)
        for i in range(n_units)
    ]
    start = date(2020, 1, 1)
    events = [
        tx(
            f"t{i}",
            units[rnd.randrange(n_units)].id,
            f"{rnd.randrange(1, 1_000_000) / 100:.2f}",
            start + timedelta(days=rnd.randrange(366)),
            origin=rnd.choice(["522601", "522602", "320500"]),
            category=rnd.choice(["agricultural", "other"]),
        )
        for i in range(n_events)
    ]
    return units, events


def bench_raw(events: list[Any]) -> float:
    """Each event to a minimal ruleset (one rule, no-op action), sharded like the monitor:
    a ruleset holds at most 1,024 session ids."""
    host = engine.host()

    def nothing(c: Any) -> None:
        return None

    shards: dict[str, str] = {}
    for sid in sorted({e["buyer"] for e in events}):
        if len(shards) % engine.SESSIONS_PER_RULESET == 0:
            name = f"bench_raw_{time.monotonic_ns()}"
            host.register_rulesets(
                {name: {"tx": {"all": [{"m": {"type": "transaction"}}], "run": nothing}}}
            )
        shards[sid] = name
    messages = [(shards[e["buyer"]], {"sid": e["buyer"], **e}) for e in events]
    post = host.post
    t0 = time.perf_counter()
    for name, m in messages:
        post(name, m)
    elapsed = time.perf_counter() - t0
    for sid, name in shards.items():
        host.delete_state(name, sid)
    return len(events) / elapsed


def bench_monitor(
    units: list[Unit], events: list[Any], *, one_by_one: bool = False, chunk: int = 0
) -> float:
    with Monitor(
        Facts(units=tuple(units)), obligations(), REGION_SETS, start=date(2020, 6, 30)
    ) as m:
        t0 = time.perf_counter()
        if one_by_one:
            for e in events:
                m.post(e)
        else:
            step = chunk or len(events)
            accepted = 0
            for at in range(0, len(events), step):
                accepted += m.post_many(events[at : at + step]).accepted
            assert accepted == len(events)
        elapsed = time.perf_counter() - t0
    return len(events) / elapsed


def _row(label: str, rate: float, base: float | None) -> str:
    extra = "" if base is None else f"  ratio {rate / base:.2f}  overhead {base / rate - 1:+.0%}"
    return f"{label:40} {rate:>10,.0f} events/s{extra}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--units",
        type=int,
        nargs="+",
        default=[2_000, 10_000],
        help="one workload per value (default: 2000 and 10000, i.e. ~50 and ~10 events per unit)",
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--single-events", type=int, default=10_000)
    parser.add_argument(
        "--chunk",
        type=int,
        default=10_000,
        help="also post_many in chunks of this many events (what `xfrules watch` does "
        "with lines already waiting on its input); 0: skip",
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for n_units in args.units:
        units, events = make_events(n_units, args.events)
        print(
            f"\n{n_units} units, {args.events} transactions (~{args.events // n_units} per unit), "
            f"{len(obligations())} obligations; best of {args.rounds} rounds"
        )
        # Rounds interleave raw and monitor so a busy machine hurts both alike; best of each.
        raw = batched = chunked = raw_single = single = 0.0
        single_events = events[: args.single_events]
        for _ in range(args.rounds):
            raw = max(raw, bench_raw(events))
            batched = max(batched, bench_monitor(units, events))
            if args.chunk:
                chunked = max(chunked, bench_monitor(units, events, chunk=args.chunk))
            raw_single = max(raw_single, bench_raw(single_events))
            single = max(single, bench_monitor(units, single_events, one_by_one=True))
        print(_row("raw durable_rules post", raw, None))
        print(_row("monitor post_many", batched, raw))
        if args.chunk:
            print(_row(f"monitor post_many, chunks of {args.chunk}", chunked, raw))
        print(_row(f"raw post ({len(single_events)} ev)", raw_single, None))
        print(_row(f"monitor post ({len(single_events)} ev)", single, raw_single))


if __name__ == "__main__":
    main()
