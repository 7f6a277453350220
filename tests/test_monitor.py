"""The live monitor agrees with the batch evaluator and raises the alerts it should.

One durable_rules host serves the whole process (xfrules.monitor.engine); every test and
every hypothesis example gets a fresh Monitor, i.e. fresh session ids, closed afterwards.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from test_monitor_support import (
    JUR,
    PAIRED,
    REGION_SETS,
    clock,
    obligations,
    observation,
    submission,
    tx,
    units,
)

from xfrules.entities import Observation, Submission, Transaction, Unit
from xfrules.errors import XfrulesError
from xfrules.evaluator import evaluate
from xfrules.facts import Facts
from xfrules.findings import Status
from xfrules.monitor import (
    Change,
    EngineError,
    EventError,
    Monitor,
    UnhandledEventError,
    engine,
)
from xfrules.rulebook import prepare

START = date(2020, 5, 1)


def batch(events: list[dict[str, Any]], as_of: date, unit_list: list[Unit] | None = None) -> Any:
    """The batch evaluator over the facts the events carry, in the order given."""
    txs, obs, subs = [], [], []
    for e in events:
        body = {k: v for k, v in e.items() if k != "type"}
        if e["type"] == "transaction":
            txs.append(Transaction.model_validate(body))
        elif e["type"] == "observation":
            obs.append(Observation.model_validate(body))
        elif e["type"] == "submission":
            subs.append(Submission.model_validate(body))
    facts = Facts(
        units=tuple(unit_list or units()),
        transactions=tuple(txs),
        observations=tuple(obs),
        submissions=tuple(subs),
    )
    return evaluate(
        facts, as_of, obligations=obligations(), region_sets=REGION_SETS, periods="current"
    )


@pytest.fixture
def monitor() -> Iterator[Monitor]:
    m = Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
    )
    yield m
    m.close()


# ---------------------------------------------------------------- differential


DAYS = st.dates(min_value=date(2019, 12, 1), max_value=date(2021, 1, 31))
AMOUNTS = st.integers(min_value=0, max_value=600_000).map(lambda c: f"{Decimal(c) / 100:.2f}")
UNIT_IDS = st.sampled_from(["city", "b1", "b2", "b3", "x1"])


def _content(event: dict[str, Any]) -> tuple[str, Transaction | Observation] | None:
    """What an event with an id takes it for (a transaction, an observation with an id)."""
    body = {k: v for k, v in event.items() if k != "type"}
    if event["type"] == "transaction":
        return f"transaction {event['id']}", Transaction.model_validate(body)
    if event["type"] == "observation" and event.get("id") is not None:
        return f"observation {event['id']}", Observation.model_validate(body)
    return None


class MonitorAgreesWithEvaluator(RuleBasedStateMachine):
    """After any events (duplicates, out of order, purchases dated after the clock, clock
    moves) monitor == batch evaluator; an event the monitor refuses (the clock moving back,
    a transaction id taken by other content) changes nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict[str, Any]] = []
        self.taken: dict[str, Transaction | Observation] = {}  # id -> what it was taken for
        self.monitor: Monitor | None = None
        self.today = START

    @initialize(start=DAYS)
    def start(self, start: date) -> None:
        self.today = start
        self.monitor = Monitor(
            prepare(
                Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS
            ),
            start=start,
        )

    def _refused(self, event: dict[str, Any]) -> bool:
        """Whether the monitor must refuse ``event`` (and remember what it takes if not)."""
        if event["type"] == "clock":
            return date.fromisoformat(event["date"]) < self.today
        content = _content(event)
        if content is None:
            return False
        first = self.taken.setdefault(*content)
        return first != content[1]

    def _post(self, event: dict[str, Any]) -> None:
        assert self.monitor is not None
        if self._refused(event):
            before = self.monitor.findings()
            with pytest.raises(EventError):
                self.monitor.post(event)
            assert self.monitor.findings() == before  # as it was
            return
        if event["type"] == "clock":
            self.today = date.fromisoformat(event["date"])
        self.monitor.post(event)
        self.events.append(event)

    @rule(
        tid=st.integers(0, 30).map(lambda i: f"t{i}"),  # small id space: duplicates happen
        buyer=UNIT_IDS,
        amount=AMOUNTS,
        day=DAYS,
        origin=st.sampled_from([None, "522601", "522602", "320500", "520322", "520322100200"]),
        category=st.sampled_from([None, "agricultural", "other"]),
        channel=st.sampled_from([None, "union"]),
    )
    def transaction(self, **kw: Any) -> None:
        event = tx(kw["tid"], kw["buyer"], kw["amount"], kw["day"], origin=kw["origin"],
                   category=kw["category"], channel=kw["channel"])  # fmt: skip
        self._post(event)

    @rule(
        unit=UNIT_IDS,
        metric=st.sampled_from(["canteen_2019", "passed", "checked", "counters"]),
        day=DAYS,
        length=st.integers(0, 40),
        value=st.integers(0, 2_000_000).map(lambda c: str(Decimal(c) / 100)),
        oid=st.none() | st.integers(0, 8).map(lambda i: f"o{i}"),  # duplicates happen
    )
    def observe(
        self, unit: str, metric: str, day: date, length: int, value: str, oid: str | None
    ) -> None:
        event = observation(unit, metric, day, day + timedelta(days=length), value)
        self._post(event if oid is None else {**event, "id": oid})

    @rule(
        unit=UNIT_IDS,
        report=st.sampled_from(["monthly", "plan"]),
        month=st.integers(1, 12),
        delay=st.integers(0, 45),
    )
    def submit(self, unit: str, report: str, month: int, delay: int) -> None:
        start = date(2020, month, 1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        self._post(submission(unit, report, start, end, start + timedelta(days=20 + delay)))

    @rule(
        purchases=st.lists(
            st.tuples(st.integers(0, 30), UNIT_IDS, AMOUNTS, DAYS,
                      st.sampled_from([None, "522601", "522602"]),
                      st.sampled_from([None, "agricultural"])),
            max_size=12,
        ),
        clock_at=st.none() | st.integers(0, 12),
        days=st.integers(0, 60),
    )  # fmt: skip
    def batch(self, purchases: list[Any], clock_at: int | None, days: int) -> None:
        """Many events at once through post_many (bundled per unit), a clock among them."""
        assert self.monitor is not None
        events = [
            tx(f"t{i}", buyer, amount, day, origin=origin, category=category)
            for i, buyer, amount, day, origin, category in purchases
        ]
        if clock_at is not None:
            events.insert(min(clock_at, len(events)), clock(self.today + timedelta(days=days)))
        refused = [e for e in events if self._refused(e)]
        for e in events:
            if e["type"] == "clock" and e not in refused:
                self.today = date.fromisoformat(e["date"])
        result = self.monitor.post_many(events)
        assert len(result.rejected) == len(refused)
        self.events.extend(e for e in events if e not in refused)

    @rule(days=st.integers(-40, 120))
    def tick(self, days: int) -> None:
        self._post(clock(self.today + timedelta(days=days)))  # refused when going back

    @rule(data=st.data())
    def repost(self, data: st.DataObject) -> None:
        """An earlier event again (a transaction, or an observation with an id, counts once;
        an observation without one counts again, as a second row would in a facts file)."""
        facts = [e for e in self.events if e["type"] in ("transaction", "observation")]
        if facts:
            self._post(dict(data.draw(st.sampled_from(facts))))

    @invariant()
    def agrees(self) -> None:
        if self.monitor is None:
            return
        live = self.monitor.findings()
        assert live.as_of == self.today
        expected = batch(self.events, self.today)
        assert live.findings == expected.findings
        assert live.transactions_after_as_of == expected.transactions_after_as_of

    def teardown(self) -> None:
        if self.monitor is not None:
            self.monitor.close()


# The differential test is the monitor's proof, and cheap (~0.05 s an example): it runs many
# examples whatever the profile; XFRULES_MONITOR_EXAMPLES runs it longer still.
MonitorAgreesWithEvaluator.TestCase.settings = settings(
    max_examples=int(os.environ.get("XFRULES_MONITOR_EXAMPLES", "150")),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestMonitorAgreesWithEvaluator = MonitorAgreesWithEvaluator.TestCase


def _history(seed: int) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    events: list[dict[str, Any]] = []
    for i in range(60):
        day = date(2020, 1, 1) + timedelta(days=rnd.randrange(366))
        who = rnd.choice(["city", "b1", "b2", "b3", "x1"])
        kind = rnd.random()
        if kind < 0.6:
            events.append(tx(f"t{i}", who, f"{rnd.randrange(1, 300_000) / 100:.2f}", day,
                             origin=rnd.choice(["522601", "522602", None]),
                             channel=rnd.choice([None, "union"])))  # fmt: skip
        elif kind < 0.8:
            metric = rnd.choice(["passed", "checked", "counters", "canteen_2019"])
            events.append(observation(who, metric, day, day, str(rnd.randrange(1, 100))))
        else:
            events.append(submission(who, rnd.choice(["monthly", "plan"]), day.replace(day=1),
                                     day.replace(day=28), day))  # fmt: skip
    return events


@pytest.mark.parametrize("seed", range(4))
def test_out_of_order_events_give_the_same_findings(seed: int) -> None:
    events = _history(seed)
    shuffled = events[:]
    random.Random(seed + 100).shuffle(shuffled)
    results = []
    for order in (events, shuffled):
        with Monitor(
            prepare(
                Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS
            ),
            start=START,
        ) as m:
            for e in order:
                m.post(e)
            m.post(clock(date(2020, 12, 31)))
            results.append(m.findings())
    assert results[0].findings == results[1].findings
    assert results[0].findings == batch(events, date(2020, 12, 31)).findings
    # and the findings are not trivially equal: something is judged
    assert {f.status for f in results[0].findings} >= {Status.COMPLIANT, Status.NON_COMPLIANT}


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_post_many_equals_post_one_by_one() -> None:
    # _history(8) reuses the ids of _history(7) for other purchases (refused), and its first
    # purchases come again unchanged (duplicates).
    history = _history(8)[:10]
    again = [e for e in _history(7) if e["type"] == "transaction"][:3]
    events = [*_history(7), clock(date(2020, 9, 30)), *history, *again]
    first: dict[str, dict[str, Any]] = {}
    for e in events:
        if e["type"] == "transaction":
            first.setdefault(e["id"], e)
    repeats = [e for e in events if e["type"] == "transaction" and first[e["id"]] is not e]
    conflicts = [e for e in repeats if e != first[e["id"]]]
    assert conflicts and len(repeats) > len(conflicts)
    with Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
    ) as a:
        result = a.post_many(events)
        assert (result.accepted, result.duplicates, len(result.rejected)) == (
            len(events) - len(repeats),
            len(repeats) - len(conflicts),
            len(conflicts),
        )
        assert all("was taken by one with other" in str(r) for r in result.rejected)
        with Monitor(
            prepare(
                Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS
            ),
            start=START,
        ) as b:
            refused = 0
            for e in events:
                try:
                    b.post(e)
                except EventError:
                    refused += 1
            assert refused == len(conflicts)
            assert a.findings() == b.findings()


# ---------------------------------------------------------------- robustness


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_duplicate_transaction_counts_once(monitor: Monitor) -> None:
    event = tx("dup", "b1", "6000.00", START)
    assert monitor.post(event).status == "accepted"
    assert monitor.post(dict(event)).status == "duplicate"
    assert monitor.post({**event, "amount": "6000"}).status == "duplicate"  # the same amount
    with pytest.raises(
        EventError, match=r"transaction id 'dup' was taken by one with other amount"
    ):
        monitor.post({**event, "amount": "9000"})
    f = monitor.finding("b1", "mon.paired_purchases")
    assert f.measured == Decimal("6000.00")
    assert f.status is Status.NOT_YET_DUE


def test_long_run_of_cents_totals_exactly(monitor: Monitor) -> None:
    rnd = random.Random(1)
    cents = [rnd.randrange(1, 100_000) for _ in range(20_000)]
    events = [tx(f"c{i}", "b3", f"{c // 100}.{c % 100:02d}", START) for i, c in enumerate(cents)]
    assert monitor.post_many(events).accepted == len(events)
    exact = Decimal(sum(cents)) / 100
    assert monitor.finding("b3", "mon.paired_purchases").measured == exact
    assert monitor.finding("city", "mon.paired_purchases").measured == exact  # via b1
    as_float = sum(c / 100 for c in cents)
    assert Decimal(repr(as_float)) != exact  # what a float pipeline would have reported


def test_malformed_and_unhandled_events_are_rejected_and_the_monitor_goes_on(
    monitor: Monitor,
) -> None:
    cases: list[tuple[Any, str]] = [
        ("not an object", ""),
        ({"type": "purchase"}, "type"),
        ({"type": "transaction", "id": "a", "buyer": "b1", "amount": 1.5, "date": "2020-05-01"}, "amount"),
        ({"type": "transaction", "id": "a", "buyer": "b1", "date": "2020-05-01"}, "amount"),
        ({"type": "transaction", "id": "a", "buyer": "nobody", "amount": "1", "date": "2020-05-01"}, "buyer"),
        ({"type": "transaction", "id": "a", "buyer": "b1", "amount": "1", "date": "2020-02-30"}, "date"),
        ({"type": "transaction", "id": "a", "buyer": "b1", "amount": "1", "date": "2020-05-01", "origin_region": "12"}, "origin_region"),
        ({"type": "clock", "date": "tomorrow"}, "date"),
    ]  # fmt: skip
    for event, field in cases:
        with pytest.raises(EventError) as info:
            monitor.post(event, source="feed.jsonl", where="line 3")
        assert isinstance(info.value, XfrulesError)
        problem = info.value.problems[0]
        assert (problem.file, problem.field) == ("feed.jsonl", field)
        assert problem.record.startswith("line 3")
    with pytest.raises(UnhandledEventError) as unhandled:
        monitor.post(observation("b1", "unheard_of", START, START, "1"))
    assert "unheard_of" in str(unhandled.value)
    with pytest.raises(UnhandledEventError):
        monitor.post(submission("b1", "no_such_report", START, START, START))
    # still running, nothing of the above was taken
    assert monitor.events_accepted == 0
    monitor.post(tx("ok", "b1", "10000", START))
    assert monitor.finding("b1", "mon.paired_purchases").status is Status.COMPLIANT
    batch_result = monitor.post_many([{"type": "bad"}, tx("ok2", "b2", "1", START)])
    assert (batch_result.accepted, len(batch_result.rejected)) == (1, 1)


def test_unhandled_events_leave_no_session_behind() -> None:
    """durable_rules 2.0.28 crashes the process (free(): invalid size) when deleting a session
    that only ever received unhandled events: they all go to one session, never deleted."""
    before = {s.name: s.sessions for slots in engine.pool().slots.values() for s in slots}
    for _ in range(3):
        with Monitor(
            prepare(
                Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS
            ),
            start=START,
        ) as m:
            for unit in ("b1", "b2", "city"):
                with pytest.raises(UnhandledEventError):
                    m.post(observation(unit, "unheard_of", START, START, "1"))
            result = m.post_many([submission("b3", "no_such_report", START, START, START)])
            assert len(result.rejected) == 1
            m.post(tx("h1", "b1", "1", START))  # and the monitor goes on
    after = {s.name: s.sessions for slots in engine.pool().slots.values() for s in slots}
    assert {k: v for k, v in after.items() if v} == {k: v for k, v in before.items() if v}
    assert engine.pool().refusing() == engine.pool().refusing()


def test_an_exception_while_storing_the_facts_is_surfaced(
    monitor: Monitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(route: Any, ev: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(monitor, "_apply", broken)
    with pytest.raises(EngineError, match="disk full"):
        monitor.post(tx("e1", "b1", "1", START))
    monkeypatch.undo()
    assert monitor.post(tx("e1", "b1", "10000", START)).status == "accepted"
    assert monitor.finding("b1", "mon.paired_purchases").measured == Decimal(10000)


class _RaisingFired(set[int]):
    """engine.FIRED whose ``add`` (what every rule's action does) raises."""

    def add(self, seq: int) -> None:
        raise RuntimeError("action broke")


class _QueuedFired(set[int]):
    """engine.FIRED as if durable_rules had queued the actions: they count once dispatched."""

    def __init__(self) -> None:
        super().__init__()
        self.queued: list[int] = []
        self.dispatched = 0

    def add(self, seq: int) -> None:
        self.queued.append(seq)

    def dispatch(self, ruleset: str) -> None:
        self.dispatched += 1
        self.update(self.queued)
        self.queued.clear()


def test_an_exception_inside_the_durable_rules_action_is_surfaced(
    monitor: Monitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # durable_rules itself would store it in the session state and drop the event.
    monkeypatch.setattr(engine, "FIRED", _RaisingFired())
    with pytest.raises(EngineError, match="action broke"):
        monitor.post(tx("e1", "b1", "1", START))
    result = monitor.post_many([tx("e2", "b2", "1", START), tx("e3", "b3", "1", START)])
    assert (result.accepted, len(result.failed)) == (0, 2)
    assert monitor.events_accepted == 0
    monkeypatch.undo()
    # The sessions that held the exception start afresh; nothing of the above was taken.
    assert monitor.post(tx("e1", "b1", "10000", START)).status == "accepted"
    assert monitor.post_many([tx("e2", "b2", "1", START)]).accepted == 1
    assert monitor.finding("b1", "mon.paired_purchases").measured == Decimal(10000)
    assert monitor.finding("b2", "mon.paired_purchases").measured == Decimal(1)


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_a_queued_action_is_dispatched_and_one_never_run_is_an_error(
    monitor: Monitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued = _QueuedFired()
    monkeypatch.setattr(engine, "FIRED", queued)
    monkeypatch.setattr(engine, "dispatch", queued.dispatch)
    assert monitor.post(tx("q1", "b1", "10000", START)).status == "accepted"
    assert queued.dispatched == 1
    assert monitor.finding("b1", "mon.paired_purchases").measured == Decimal(10000)
    assert not queued  # taken by the monitor

    monkeypatch.setattr(engine, "dispatch", lambda ruleset: None)  # it never runs
    with pytest.raises(EngineError, match="did not run the action"):
        monitor.post(tx("q2", "b1", "5", START))
    monkeypatch.undo()
    assert monitor.finding("b1", "mon.paired_purchases").measured == Decimal(10000)
    assert monitor.post(tx("q2", "b1", "5", START)).status == "accepted"


# ---------------------------------------------------------------- deadlines on simulated time


def test_a_simulated_month_shows_an_on_time_and_a_late_report() -> None:
    changes: list[Change] = []
    with Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=date(2020, 2, 25),
        on_change=changes.append,
    ) as m:
        day = date(2020, 2, 25)
        while day < date(2020, 3, 31):
            day += timedelta(days=1)
            if day == date(2020, 3, 20):  # b1 reports March on the 20th; b2 on 30 March
                m.post(submission("b1", "monthly", date(2020, 3, 1), date(2020, 3, 31), day))
            if day == date(2020, 3, 30):
                m.post(submission("b2", "monthly", date(2020, 3, 1), date(2020, 3, 31), day))
            m.post(clock(day))
    reports = {
        (c.unit_id, a): c.as_of
        for c in changes
        if c.obligation_id == "mon.monthly_report"
        for a in c.alerts
    }
    due = date(2020, 3, 29)
    assert reports == {("b1", "report_on_time"): due, ("b2", "report_late"): due,
                       ("b3", "report_late"): due}  # fmt: skip
    late = next(c for c in changes if c.unit_id == "b2" and "report_late" in c.alerts)
    assert late.before is not None and late.before.status is Status.NOT_YET_DUE
    assert late.after.status is Status.NON_COMPLIANT and late.after.shortfall == 1
    assert late.after.source.quote  # the finding cites its clause


def test_pace_during_the_year_and_the_target_at_year_end() -> None:
    changes: list[Change] = []
    with Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=date(2020, 1, 1),
        on_change=changes.append,
    ) as m:
        m.post(tx("p1", "b2", "5000", date(2020, 1, 2)))  # half the year's 10,000 at once
        assert ("b2", "mon.paired_purchases") not in m.behind_pace()
        for month in range(2, 13):
            m.post(clock(date(2020, month, 1)))
        m.post(clock(date(2020, 12, 31)))
    mine = [c for c in changes if (c.unit_id, c.obligation_id) == ("b2", "mon.paired_purchases")]
    behind = next(c for c in mine if "behind_pace" in c.alerts)
    assert behind.as_of == date(2020, 8, 1)  # pace passes 5000 on 2 July; next tick 1 Aug
    missed = mine[-1]
    assert missed.alerts == ("deadline_missed",) and missed.as_of == date(2020, 12, 31)
    assert missed.after.shortfall == Decimal(5000)


# ---------------------------------------------------------------- log, restore, PII


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_stop_and_restore_from_the_log_gives_identical_findings(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    events = [*_history(3), clock(date(2020, 7, 31)), tx("t0", "b1", "1", START)]
    facts = Facts(units=tuple(units()))
    with Monitor(
        prepare(facts, obligations=obligations(), region_sets=REGION_SETS), start=START, log=log
    ) as m:
        m.post_many(events)
        before = m.findings()
        accepted = m.events_accepted
    with Monitor.restore(
        log, prepare(facts, obligations=obligations(), region_sets=REGION_SETS)
    ) as restored:
        assert restored.findings() == before
        assert restored.today == date(2020, 7, 31)
        assert restored.events_accepted == accepted
        restored.post(clock(date(2020, 12, 31)))
        after = restored.findings()
    with Monitor.restore(
        log, prepare(facts, obligations=obligations(), region_sets=REGION_SETS)
    ) as again:
        assert again.findings() == after
    with pytest.raises(EventError, match="already holds a monitor's history"):
        Monitor(
            prepare(facts, obligations=obligations(), region_sets=REGION_SETS), start=START, log=log
        )
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert records[0]["record"] == "start"
    assert any(r["record"] == "change" for r in records)


def test_personal_data_is_masked_in_the_log(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    event = {
        **tx("h1", "b1", "88.00", START),
        "seller": "张三丰",
        "seller_kind": "household",
        "product": "土鸡蛋 身份证110101199003077777 电话13912345678",
    }
    with Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
        log=log,
    ) as m:
        m.post(event)
    text = log.read_text(encoding="utf-8")
    for secret in ("张三丰", "110101199003077777", "13912345678"):
        assert secret not in text
    assert "张**" in text and "139****5678" in text
    with Monitor.restore(
        log,
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
    ) as m:
        assert m.finding("b1", "mon.paired_purchases").measured == Decimal("88.00")


# ---------------------------------------------------------------- CLI


def _write_inputs(tmp_path: Path) -> tuple[Path, Path]:
    facts = tmp_path / "facts.json"
    facts.write_text(
        json.dumps(
            {
                "units": [u.model_dump(mode="json") for u in units()],
                "region_sets": [
                    {
                        "jurisdiction": JUR,
                        "name": "paired",
                        "regions": [{"code": c, "name": c} for c in sorted(PAIRED)],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    obs = tmp_path / "obligations.json"
    obs.write_text(json.dumps([o.model_dump(mode="json") for o in obligations()]), encoding="utf-8")
    return facts, obs


def test_watch_prints_changes_and_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from xfrules.cli import main

    facts, obs = _write_inputs(tmp_path)
    log = tmp_path / "log.jsonl"
    lines = [
        json.dumps(submission("b1", "monthly", date(2020, 3, 1), date(2020, 3, 31), date(2020, 3, 5))),
        "{not json",
        json.dumps({"type": "clock", "date": "2020-03-29"}),
        '{"type": "transaction", "id": "w1", "buyer": "b1", "amount": 10000.00, "date": "2020-03-29", "origin_region": "522601", "category": "agricultural"}',
    ]  # fmt: skip
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    args = ["watch", "--facts", str(facts), "--obligations", str(obs), "--start", "2020-03-01"]
    code = main([*args, "--log", str(log)])
    out, err = capsys.readouterr()
    assert code == 2  # one line was not JSON
    assert "<stdin>，第 2 行：不是 JSON" in err
    assert "b1 mon.monthly_report: not_yet_due -> compliant [report_on_time]" in out
    assert "b2 mon.monthly_report: not_yet_due -> non_compliant [report_late]" in out
    assert "b1 mon.paired_purchases: not_yet_due -> compliant [target_met] 10000/10000 元" in out

    events = tmp_path / "more.jsonl"
    events.write_text(json.dumps(clock(date(2020, 4, 29))) + "\n", encoding="utf-8")
    code = main([*args, "--log", str(log), "--restore", "--follow", "--idle-exit", "0.3",
                 "--format", "json", str(events)])  # fmt: skip
    out, err = capsys.readouterr()
    assert f"已从 {log} 恢复 3 个事件；时钟为 2020-03-29" in err
    records = [json.loads(line) for line in out.splitlines()]
    assert {(r["unit_id"], tuple(r["alerts"])) for r in records if r["alerts"]} >= {
        ("b1", ("report_late",)),
        ("b2", ("report_late",)),
    }
    assert code == 1  # mandatory breaches at the end


def test_datonghu_monthly_report_on_installed_plugin(tmp_path: Path) -> None:
    """The real 每月29日前 duty of 大扶办发〔2020〕10号, through the installed plug-ins."""
    from xfrules.registry import load_registry

    registry = load_registry()
    assert "datonghu" in registry.jurisdictions, "the bundled Datonghu plug-in is installed"
    towns = [
        Unit(id=t, name=n, kind="town", jurisdiction="datonghu", department="各镇")
        for t, n in (("hbz", "河坝镇"), ("qlz", "漉湖镇"))
    ]
    facts = Facts(units=tuple(towns))
    alerts: list[Change] = []
    m = Monitor.from_registry(
        facts,
        start=date(2020, 5, 1),
        registry=registry,
        on_change=alerts.append,
        log=tmp_path / "monitor.jsonl",
    )
    full = ["annex1", "annex2", "sales_vouchers"]
    may = ("2020-05-01", "2020-05-31")
    events: list[dict[str, Any]] = [
        {"type": "submission", "unit": "hbz", "report": "consumption_poverty_monthly",
         "period_start": may[0], "period_end": may[1], "delivered": "2020-05-28", "attachments": full},
        {"type": "submission", "unit": "qlz", "report": "consumption_poverty_monthly",
         "period_start": may[0], "period_end": may[1], "delivered": "2020-05-30", "attachments": full},
    ]  # fmt: skip
    with m:
        for e in events:
            m.post(e)
        for day in range(2, 32):
            m.post(clock(date(2020, 5, day)))
        live = m.findings()
    got = {
        (c.unit_id, a, c.as_of)
        for c in alerts
        if c.obligation_id == "datonghu.monthly_report"
        for a in c.alerts
    }
    assert got == {
        ("hbz", "report_on_time", date(2020, 5, 29)),
        ("qlz", "report_late", date(2020, 5, 29)),
    }
    subs = tuple(
        Submission.model_validate({k: v for k, v in e.items() if k != "type"}) for e in events
    )
    expected = evaluate(facts.with_(submissions=subs), date(2020, 5, 31), rules=registry)
    assert live.findings == expected.findings
    # Rebuilt from its log over the same installed rules, it stands where it stopped.
    with Monitor.restore_from_registry(tmp_path / "monitor.jsonl", facts, registry=registry) as m2:
        assert m2.today == date(2020, 5, 31) and m2.findings().findings == expected.findings


def test_watch_follows_a_growing_file(tmp_path: Path) -> None:
    import subprocess
    import time

    facts, obs = _write_inputs(tmp_path)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "xfrules", "watch", "--facts", str(facts), "--obligations",
         str(obs), "--start", "2020-03-01", "--follow", "--idle-exit", "3", str(feed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        time.sleep(1.0)  # the watcher is waiting at the end of the (empty) file
        with feed.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(tx("f1", "b2", "10000", date(2020, 3, 1))) + "\n")
            fh.flush()
            fh.write('{"type": "clock", "date": "2020-03-29"')  # half a line: waits for the rest
            fh.flush()
            time.sleep(0.5)
            fh.write("}\n")
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert "2020-03-01 b2 mon.paired_purchases: not_yet_due -> compliant [target_met]" in out
    assert "2020-03-29 b2 mon.monthly_report: not_yet_due -> non_compliant [report_late]" in out
    assert proc.returncode == 1, err


def test_a_failing_callback_leaves_the_state_whole() -> None:
    calls: list[Change] = []

    def callback(change: Change) -> None:
        calls.append(change)
        raise ValueError("subscriber is down")

    with Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
        on_change=callback,
    ) as m:
        with pytest.raises(ValueError, match="subscriber is down"):
            m.post(tx("cb1", "b1", "10000", START))
        assert calls  # the callback was called, after the event was taken in full
        m.on_change = None
        assert m.events_accepted == 1
        assert m.findings().findings == batch([tx("cb1", "b1", "10000", START)], START).findings


def test_monitor_resolves_department_aliases_as_the_evaluator_does() -> None:
    """A unit whose department is written by a declared alias (区市监局 for 区市场监督管理局)
    is bound as the declared name is, by the evaluator and by the monitor alike (the
    monitor once left aliases unresolved: 6 of 29 findings differed)."""
    from xfrules.registry import load_registry

    registry = load_registry().select(["datonghu"])

    def facts(department: str) -> Facts:
        unit = Unit(
            id="sj",
            name="大通湖区市场监督管理局",
            kind="department",
            jurisdiction="datonghu",
            department=department,
        )
        return Facts(units=(unit,))

    as_of = date(2020, 12, 31)
    declared = evaluate(facts("区市场监督管理局"), as_of, rules=registry, periods="current")
    named = [f for f in declared.findings if "区市场监督管理局" in f.lead + f.responsible]
    assert any(f.status is not Status.NOT_APPLICABLE for f in named)  # the name binds
    by_alias = evaluate(facts("区市监局"), as_of, rules=registry, periods="current")
    assert by_alias.findings == declared.findings
    with Monitor.from_registry(facts("区市监局"), start=as_of, registry=registry) as m:
        assert m.findings().findings == declared.findings
