"""The monitor's durable_rules sessions: one per route for a whole monitor, however many
units; durable_rules' limit of 1,024 session ids per ruleset still honoured by the pool."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from test_monitor import batch
from test_monitor_support import JUR, REGION_SETS, clock, obligations, observation, tx

from xfrules.entities import Unit
from xfrules.facts import Facts
from xfrules.monitor import Monitor, engine
from xfrules.rulebook import prepare

START = date(2020, 5, 1)


def _units(n: int) -> list[Unit]:
    return [
        Unit(id=f"u{i:05d}", name=f"单位{i}", kind="budget_unit", jurisdiction=JUR)
        for i in range(n)
    ]


def test_more_than_1024_units_share_one_session_per_route() -> None:
    many = _units(2_100)
    events = [tx(f"s{i}", u.id, f"{i}.01", START) for i, u in enumerate(many)]
    with Monitor(
        prepare(Facts(units=tuple(many)), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
    ) as m:
        assert m.post_many(events).accepted == len(many)
        assert m.post(tx("one_more", "u00007", "1", START)).status == "accepted"
        m.post(observation("u00003", "counters", START, START, "0.5"))
        # purchases and observations of counters: two sessions, not one per unit
        assert sorted(m._sessions) == [("observation", "counters"), ("transaction",)]
        assert m.finding("u02099", "mon.paired_purchases").measured == Decimal("2099.01")
        assert m.finding("u00007", "mon.paired_purchases").measured == Decimal("8.01")
    with Monitor(
        prepare(Facts(units=tuple(many)), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
    ) as m2:
        assert m2.post_many(events).accepted == len(many)
        assert m2.findings().findings == batch(events, START, many).findings


def test_more_than_1000_sessions_of_a_route_are_sharded_across_rulesets() -> None:
    """Each monitor takes one session id per route: past 1,000 of them (say 1,000 monitors
    alive at once) a route's sessions go to further rulesets, and come back on release."""
    pool, host = engine.pool(), engine.host()
    route = frozenset({("transaction",)})
    taken = []
    for i in range(2_100):
        name = pool.acquire(route)
        sid = f"sharding{i}"
        seq = engine.next_seq()
        host.post(name, {"sid": sid, "seq": seq, "type": "transaction"})  # a real session
        assert seq in engine.FIRED
        engine.FIRED.discard(seq)
        taken.append((name, sid))
    names = {name for name, _ in taken}
    assert len(names) >= 3
    assert all(
        s.sessions <= engine.SESSIONS_PER_RULESET for slots in pool.slots.values() for s in slots
    )
    rulesets = pool.rulesets()
    for name, sid in taken:
        pool.release(name, sid)
    for i in range(2_100):  # the places came back: no new ruleset
        taken[i] = (pool.acquire(route), f"again{i}")
    assert pool.rulesets() == rulesets
    for name, sid in taken:
        pool.release(name, sid)


class _RaisingOnce(set[int]):
    """engine.FIRED whose first ``add`` (the action's) raises, as a passing fault would."""

    def __init__(self) -> None:
        super().__init__()
        self.raised = False

    def add(self, seq: int) -> None:
        if not self.raised:
            self.raised = True
            raise RuntimeError("passing fault")
        super().add(seq)


def _monitor(n: int = 3) -> Monitor:
    return Monitor(
        prepare(Facts(units=tuple(_units(n))), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
    )


def test_post_many_posts_one_durable_rules_event_per_route_of_a_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with _monitor() as m:
        posted: list[dict[str, Any]] = []
        host = engine.host()
        real_post = host.post

        def counting_post(name: str, message: dict[str, Any]) -> Any:
            posted.append(message)
            return real_post(name, message)

        monkeypatch.setattr(host, "post", counting_post)
        events = [tx(f"p{i}", f"u0000{i % 3}", "1", START) for i in range(6)]
        events += [observation(f"u0000{i}", "counters", START, START, "2") for i in range(3)]
        events += [clock(date(2020, 5, 2)), tx("after", "u00001", "5", date(2020, 5, 2))]
        assert m.post_many(events).accepted == len(events)
        monkeypatch.undo()
        # run 1: purchases and observations; the clock; run 2: one purchase
        assert [p["type"] for p in posted] == ["transaction", "observation", "clock", "transaction"]
        assert m.finding("u00001", "mon.paired_purchases").measured == Decimal(7)


def test_a_route_event_durable_rules_fails_on_is_retried_bundle_by_bundle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with _monitor() as m:
        monkeypatch.setattr(engine, "FIRED", _RaisingOnce())
        events = [tx(f"f{i}", f"u0000{i}", "3", START) for i in range(3)]
        result = m.post_many(events)
        monkeypatch.undo()
        # the run's one event failed; each unit's bundle then went on its own, and in
        assert (result.accepted, result.failed) == (3, [])
        assert [m.finding(f"u0000{i}", "mon.paired_purchases").measured for i in range(3)] == [
            Decimal(3)
        ] * 3
