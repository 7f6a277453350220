"""Events per second through the live monitor against raw durable_rules ``post``.

Run: ``/work/venv/bin/python benchmarks/bench_monitor.py [--units N [N ...]] [--events N]
[--chunk N [N ...]]`` (e.g. ``--chunk 10000 100000`` to compare slice sizes).

Both sides post the same transaction events one by one on the same durable_rules host:

- raw: each event (plus its session id) to a minimal ruleset of one rule whose action
  does nothing, registered the ordinary way (durable_rules' own ``Promise`` around the
  action; the monitor's rules use a subclass that makes no garbage cycle, see
  ``xfrules.monitor.engine``);
- monitor, batched (``post_many``): validate and de-duplicate each event, post one
  durable_rules event per unit (and route) of the batch, whose action records that it
  fired; then store the facts and mark what they can change; re-evaluate once at the end
  of the batch;
- monitor in slices: ``post_many`` over consecutive slices of ``--chunk`` events (as
  ``xfrules watch`` would post them if each read of its input returned exactly that many
  lines), with the cyclic collector frozen after start-up (``gc.freeze()``, as watch
  does; undone after the row);
- monitor as ``xfrules watch`` runs it over a pipe: a producer process writes the events
  as JSON lines in groups of ``--chunk`` lines (one write each), pausing ``--gap`` ms
  after each group; the watcher's own reader (``xfrules.commands._feed``: what is
  waiting, plus ``--window`` ms) groups them, and each group is decoded and parsed as
  watch parses it and posted with ``post_many`` with the collector paused (watch's
  ``_post``). Once per window of ``--windows`` (default: 0, i.e. only what is waiting,
  and watch's default). The rate runs from the first line read to the last group
  posted and includes reading and parsing, which raw posting does not do. Printed
  beside it: lines per post, and how long a line was *held* by the window — from its
  read to its group being handed on — at the 99th percentile and at most (issue 17:
  ≤ 5 ms p99);
- monitor, one by one (``post``): as above, re-evaluating the affected findings after
  every event (the latency mode: each event's changes before the next is read); once as
  the library runs it, once with the collector frozen after start-up as in watch (a line
  that arrives alone).

Two workloads by default: 2,000 and 10,000 units for 100,000 events, i.e. ~50 and ~10
events per unit in a batch.

Each row prints events/s and the ratio to raw posting of wall-clock rates, and beside it
of CPU rates (this process's CPU time: it moves less when the machine is shared, and leaves
out the waiting in the window). Issue 17's target: ≥ 0.8× raw as watch runs it, for groups
of 1,000 lines and up with more than 1,024 units.
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_monitor_support import JUR, REGION_SETS, obligations, tx

from xfrules.collector import collector_paused
from xfrules.commands._feed import DEFAULT_WINDOW_MS, Source, groups, input_source
from xfrules.commands.watch import DEFAULT_BATCH
from xfrules.entities import Unit
from xfrules.facts import Facts
from xfrules.monitor import Monitor, engine
from xfrules.rulebook import prepare
from xfrules.yamlio import load_json


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


@dataclass(frozen=True)
class Rates:
    """Events per second of wall-clock time and of this process's CPU time (the CPU rate
    moves less with a busy machine; it leaves out time spent waiting, e.g. in the window)."""

    wall: float = 0.0
    cpu: float = 0.0

    @classmethod
    def of(cls, events: int, wall: float, cpu: float) -> Rates:
        return cls(events / wall, events / cpu)

    def best(self, other: Rates) -> Rates:
        return Rates(max(self.wall, other.wall), max(self.cpu, other.cpu))


def bench_raw(events: list[Any]) -> Rates:
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
    gc.collect()  # no collection owed by what was built before the clock starts
    t0, c0 = time.perf_counter(), time.process_time()
    for name, m in messages:
        post(name, m)
    rates = Rates.of(len(events), time.perf_counter() - t0, time.process_time() - c0)
    for sid, name in shards.items():
        host.delete_state(name, sid)
    return rates


def bench_monitor(
    units: list[Unit],
    events: list[Any],
    *,
    one_by_one: bool = False,
    chunk: int = 0,
    frozen: bool = False,
) -> Rates:
    # The clock at the year's end: every purchase (dated in 2020) counts as it comes; one
    # dated after the clock would only be held until the clock reached it.
    with Monitor(
        prepare(Facts(units=tuple(units)), obligations=obligations(), region_sets=REGION_SETS),
        start=date(2020, 12, 31),
    ) as m:
        gc.collect()  # as for raw: no collection owed by the monitor's construction
        if frozen:  # as xfrules watch does once it has started
            gc.freeze()
        t0, c0 = time.perf_counter(), time.process_time()
        if one_by_one:
            for e in events:
                m.post(e)
        else:
            step = chunk or len(events)
            accepted = 0
            for at in range(0, len(events), step):
                accepted += m.post_many(events[at : at + step]).accepted
            assert accepted == len(events)
        rates = Rates.of(len(events), time.perf_counter() - t0, time.process_time() - c0)
    if frozen:
        gc.unfreeze()
    return rates


_PRODUCER = """
import sys, time
lines = open(sys.argv[1], "rb").read().splitlines(keepends=True)
size, gap, out = int(sys.argv[2]), float(sys.argv[3]) / 1000, sys.stdout.buffer
for at in range(0, len(lines), size):
    out.write(b"".join(lines[at : at + size]))
    out.flush()
    time.sleep(gap)
"""


class _Recording:
    """The source watch reads (``_feed.input_source``), noting when each line reached the
    watcher and how long the watcher had waited in the window up to then: the time spent
    in reads that wait for lines that have not come yet (a read with a timeout), not the
    wait for a group's first line."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.read_at: list[tuple[float, float]] = []  # per line: (time, window wait so far)
        self.waited = 0.0
        self.first: float | None = None

    def read(self, timeout: float | None) -> bytes | None:
        before = time.monotonic()
        chunk = self.source.read(timeout)
        now = time.monotonic()
        if timeout is not None:
            self.waited += now - before
        if chunk:
            if self.first is None:
                self.first = now
            self.read_at.extend([(now, self.waited)] * chunk.count(b"\n"))
        return chunk


def bench_pipe(
    units: list[Unit], feed: Path, *, chunk: int, gap_ms: float, window_ms: float
) -> tuple[Rates, float, list[tuple[float, float]]]:
    """Events/s, lines per post, and for each line how long it was held before its group
    was handed on, and how much of that was the window's waiting (seconds)."""
    with Monitor(
        prepare(Facts(units=tuple(units)), obligations=obligations(), region_sets=REGION_SETS),
        start=date(2020, 12, 31),
    ) as m:
        gc.collect()
        gc.freeze()
        c0 = time.process_time()
        producer = subprocess.Popen(
            [sys.executable, "-c", _PRODUCER, str(feed), str(chunk), str(gap_ms)],
            stdout=subprocess.PIPE,
        )
        assert producer.stdout is not None
        source = _Recording(input_source(producer.stdout.fileno()))
        held: list[tuple[float, float]] = []
        posts = accepted = 0
        for group in groups(source, limit=DEFAULT_BATCH, window=window_ms / 1000):
            handed_on = time.monotonic()
            held.extend(
                (handed_on - t, source.waited - w)
                for t, w in source.read_at[len(held) : len(held) + len(group)]
            )
            events = [load_json(line.decode("utf-8")) for line in group if line.strip()]
            with collector_paused():  # as watch's _post
                accepted += m.post_many(events).accepted
            posts += 1
        rates = Rates.of(
            accepted, time.monotonic() - (source.first or 0.0), time.process_time() - c0
        )
        producer.wait()
    gc.unfreeze()
    assert accepted == len(held), (accepted, len(held))
    return rates, accepted / posts, held


def _ms(values: list[float], q: float) -> str:
    """The ``q`` quantile of ``values`` (seconds) in milliseconds."""
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.2f} ms"


def _row(label: str, rate: Rates, base: Rates | None) -> str:
    extra = (
        ""
        if base is None
        else f"  ratio {rate.wall / base.wall:.2f} (CPU {rate.cpu / base.cpu:.2f})"
    )
    return f"{label:46} {rate.wall:>10,.0f} events/s{extra}"


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
        nargs="+",
        default=[DEFAULT_BATCH],
        help="also post_many in slices of this many events, as `xfrules watch` does with "
        f"the lines waiting on its input (default: its --batch default, {DEFAULT_BATCH}); "
        "0: skip",
    )
    parser.add_argument(
        "--gap",
        type=float,
        default=1.0,
        help="over a pipe: the producer's pause after each group, in ms (default 1)",
    )
    parser.add_argument(
        "--windows",
        type=float,
        nargs="+",
        default=[0.0, DEFAULT_WINDOW_MS],
        help=f"over a pipe: watch's --window, in ms (default 0 and {DEFAULT_WINDOW_MS:g})",
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench_monitor_"))
    for n_units in args.units:
        units, events = make_events(n_units, args.events)
        feed = workdir / f"events_{n_units}.jsonl"
        feed.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
        print(
            f"\n{n_units} units, {args.events} transactions (~{args.events // n_units} per unit), "
            f"{len(obligations())} obligations; best of {args.rounds} rounds"
        )
        # Rounds interleave raw and monitor so a busy machine hurts both alike; best of each.
        raw = batched = raw_single = single = single_frozen = Rates()
        chunks = [c for c in args.chunk if c > 0]
        chunked = dict.fromkeys(chunks, Rates())
        piped = {(c, w): (Rates(), 0.0) for c in chunks for w in args.windows}
        held: dict[tuple[int, float], list[tuple[float, float]]] = {k: [] for k in piped}
        single_events = events[: args.single_events]
        for _ in range(args.rounds):
            raw = raw.best(bench_raw(events))
            batched = batched.best(bench_monitor(units, events))
            for c in chunks:
                chunked[c] = chunked[c].best(bench_monitor(units, events, chunk=c, frozen=True))
                for w in args.windows:
                    rate, per_post, waits = bench_pipe(
                        units, feed, chunk=c, gap_ms=args.gap, window_ms=w
                    )
                    best, most = piped[c, w]
                    piped[c, w] = best.best(rate), max(most, per_post)
                    held[c, w].extend(waits)
            raw_single = raw_single.best(bench_raw(single_events))
            single = single.best(bench_monitor(units, single_events, one_by_one=True))
            single_frozen = single_frozen.best(
                bench_monitor(units, single_events, one_by_one=True, frozen=True)
            )
        print(_row("raw durable_rules post", raw, None))
        print(_row("monitor post_many (whole stream)", batched, raw))
        for c, rate in chunked.items():
            print(_row(f"slices of {c}, gc frozen", rate, raw))
        for (c, w), (rate, per_post) in piped.items():
            whole = [h for h, _ in held[c, w]]
            waited = [x for _, x in held[c, w]]
            print(
                _row(f"as watch: pipe, groups of {c}, window {w:g} ms", rate, raw)
                + f"  {per_post:,.0f} lines/post; held p99 {_ms(whole, 0.99)}, max "
                f"{_ms(whole, 1)}; by waiting p99 {_ms(waited, 0.99)}, max {_ms(waited, 1)}"
            )
        print(_row(f"raw post ({len(single_events)} ev)", raw_single, None))
        print(_row(f"monitor post ({len(single_events)} ev)", single, raw_single))
        print(_row(f"monitor post, gc frozen ({len(single_events)} ev)", single_frozen, raw_single))
        feed.unlink()
    os.rmdir(workdir)


if __name__ == "__main__":
    main()
