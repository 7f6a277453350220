"""The monitor refuses what would make it wrong, and a refused event changes nothing:
the clock moving back, an id taken by other content, malformed or unbounded values; a
purchase dated after the clock waits for it. Its log holds no personal number and still
replays to the same state (issue 15)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_monitor_support import REGION_SETS, clock, obligations, observation, tx, units

from xfrules.cli import main
from xfrules.facts import Facts
from xfrules.monitor import EventError, Monitor
from xfrules.rulebook import prepare

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

START = date(2020, 5, 1)
ID = "11010519491231002X"
PHONE = "13912345678"


@pytest.fixture
def monitor() -> Iterator[Monitor]:
    m = Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
    )
    yield m
    m.close()


def state(m: Monitor) -> tuple[Any, ...]:
    """Everything a later event or reading depends on."""
    index = m.index
    return (
        m.today,
        m.events_accepted,
        m.findings(),
        dict(m._ids),
        sorted((d, t.id) for d, _, t in m._held),
        {k: list(v) for k, v in index.transactions_by_buyer.items()},
        {k: list(v) for k, v in index.observations_by_unit.items()},
        {k: list(v) for k, v in index.submissions_by_unit.items()},
        m.behind_pace(),
    )


BAD_EVENTS = [
    clock(date(2020, 4, 30)),  # the clock moving back
    tx("t1", "b1", "99.00", START),  # t1 was taken for 10.00
    tx("t9", "b1", "1" + "0" * 29, START),  # a 30-digit amount
    tx("t9", "b1", "12.001", START),  # finer than the fen
    tx("t9", "b1", ".nan", START),
    {**tx("t9", "b1", "10", START), "date": "2020-05-01T25:00:00"},
    observation("b1", "canteen_2019", START, START, "1" + "0" * 29),
    {"type": "transaction", "id": "t9", "buyer": "nobody", "amount": "1", "date": "2020-05-01"},
    {
        "type": "observation",
        "unit": "b1",
        "metric": "no_rule_reads_it",
        "period_start": "2020-05-01",
        "period_end": "2020-05-01",
        "value": "1",
    },
    {"type": "clock", "date": "2020-05-02", "extra": 1},
    ["not", "an", "object"],
    {"type": "transaction", "id": {"nested": [[[]]]}, "buyer": "b1"},
]


@pytest.mark.parametrize("bad", BAD_EVENTS, ids=range(len(BAD_EVENTS)))
def test_a_refused_event_leaves_the_monitor_as_it_was(monitor: Monitor, bad: Any) -> None:
    monitor.post(tx("t1", "b1", "10.00", START))
    monitor.post(tx("t2", "b2", "20.00", date(2020, 6, 1)))  # held: after the clock
    before = state(monitor)
    with pytest.raises(EventError):
        monitor.post(bad)
    assert state(monitor) == before
    result = monitor.post_many([bad])
    assert len(result.rejected) == 1 and state(monitor) == before
    # And it goes on: later events and findings work.
    monitor.post(tx("t3", "b1", "5.00", START))
    monitor.post(clock(date(2020, 6, 1)))
    f = monitor.finding("b1", "mon.paired_purchases")
    assert f.measured == Decimal("15.00")
    assert monitor.finding("b2", "mon.paired_purchases").measured == Decimal("20.00")


def test_a_purchase_after_the_clock_counts_from_its_date(monitor: Monitor) -> None:
    monitor.post(tx("late", "b1", "500.00", date(2020, 7, 1)))
    ev = monitor.findings()
    assert ev.transactions_after_as_of == 1
    assert monitor.finding("b1", "mon.paired_purchases").measured == 0
    monitor.post(clock(date(2020, 6, 30)))
    assert monitor.finding("b1", "mon.paired_purchases").measured == 0
    changes = monitor.post(clock(date(2020, 7, 1))).changes
    assert monitor.finding("b1", "mon.paired_purchases").measured == Decimal("500.00")
    assert monitor.findings().transactions_after_as_of == 0
    assert any(c.obligation_id == "mon.paired_purchases" and c.unit_id == "b1" for c in changes)


def test_facts_file_purchases_after_the_start_wait_too() -> None:
    from xfrules.entities import Transaction

    later = Transaction(id="f1", buyer="b1", amount="30", date=date(2020, 8, 1),
                        origin_region="522601", category="agricultural")  # fmt: skip
    with Monitor(prepare(Facts(units=tuple(units()), transactions=(later,)), obligations=obligations(), region_sets=REGION_SETS), start=START) as m:  # fmt: skip
        assert m.findings().transactions_after_as_of == 1
        assert m.post(tx("f1", "b1", "30", date(2020, 8, 1))).status == "duplicate"
        m.post(clock(date(2020, 8, 1)))
        assert m.finding("b1", "mon.paired_purchases").measured == Decimal("30")


def _personal_events() -> list[dict[str, Any]]:
    return [
        {
            **tx(f"订单{ID}", "b1", "88.00", START),
            "seller": f"张三{PHONE}",
            "seller_kind": "household",
            "product": f"土鸡蛋 {ID}",
        },
        {**tx("202005011234560001", "b1", "1.00", START)},  # an 18-digit order number
        {**tx("202005019999990001", "b1", "2.00", START)},  # masks alike, another order
        {**observation("city", "counters", START, START, "1"), "subject": ID, "id": PHONE},
        clock(date(2020, 5, 2)),
    ]


def test_the_log_masks_and_still_replays_exactly(tmp_path: Path) -> None:
    log = tmp_path / "monitor.jsonl"
    facts = Facts(units=tuple(units()))
    with Monitor(
        prepare(facts, obligations=obligations(), region_sets=REGION_SETS), start=START, log=log
    ) as m:
        result = m.post_many(_personal_events())
        assert result.rejected == [] and result.accepted == 5
        before = state(m)
    text = log.read_text("utf-8")
    for secret in (ID, PHONE, "张三", "202005011234560001"):
        assert secret not in text
    assert "110105********002X~" in text and "202005********0001~" in text
    assert oct(os.stat(str(log) + ".key").st_mode & 0o777) == "0o600"
    with Monitor.restore(
        log, prepare(facts, obligations=obligations(), region_sets=REGION_SETS)
    ) as restored:
        assert state(restored) == before
        # Ids still tell facts apart: the same purchase again is a duplicate, the other
        # order number with the same mask is not.
        again = _personal_events()[0]
        assert restored.post(again).status == "duplicate"
        with pytest.raises(EventError, match="other amount"):
            restored.post({**again, "amount": "1"})
        assert restored.finding("b1", "mon.paired_purchases").measured == Decimal("91.00")


def test_a_log_without_its_key_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "monitor.jsonl"
    facts = Facts(units=tuple(units()))
    with Monitor(
        prepare(facts, obligations=obligations(), region_sets=REGION_SETS), start=START, log=log
    ) as m:
        m.post_many(_personal_events())
    (tmp_path / "monitor.jsonl.key").unlink()
    with pytest.raises(EventError, match=r"key in .*monitor\.jsonl\.key, which is missing"):
        Monitor.restore(log, prepare(facts, obligations=obligations(), region_sets=REGION_SETS))


def test_a_unit_whose_id_is_personal_is_pseudonymised_and_found_again(tmp_path: Path) -> None:
    from xfrules.entities import Unit

    person = Unit(id=f"户{PHONE}", name="张三", kind="budget_unit", jurisdiction="mon")
    facts = Facts(units=(*units(), person))
    log = tmp_path / "monitor.jsonl"
    with Monitor(
        prepare(facts, obligations=obligations(), region_sets=REGION_SETS), start=START, log=log
    ) as m:
        m.post(tx("p1", person.id, "7.00", START))
        before = state(m)
    assert PHONE not in log.read_text("utf-8")
    with Monitor.restore(
        log, prepare(facts, obligations=obligations(), region_sets=REGION_SETS)
    ) as restored:
        assert state(restored) == before


def _facts_file(tmp: Path) -> Path:
    facts = tmp / "facts.json"
    facts.write_text(json.dumps({"units": [u.model_dump(mode="json") for u in units()]}), "utf-8")
    obs = tmp / "obligations.json"
    obs.write_text(json.dumps([o.model_dump(mode="json") for o in obligations()]), "utf-8")
    return facts


def test_watch_refuses_a_clock_going_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = _facts_file(tmp_path)
    events = tmp_path / "events.jsonl"
    events.write_text(
        "\n".join(json.dumps(e) for e in [clock(date(2020, 6, 1)), clock(date(2020, 5, 15))])
        + "\n",
        "utf-8",
    )
    args = ["watch", "--facts", str(facts), "--obligations", str(tmp_path / "obligations.json"),
            "--start", "2020-05-01", "--batch", "1", str(events)]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "the clock moves back from 2020-06-01 to 2020-05-15" in err


def test_watch_refuses_an_id_taken_by_other_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = _facts_file(tmp_path)
    events = tmp_path / "events.jsonl"
    events.write_text(
        "\n".join(json.dumps(e) for e in [tx("t1", "b1", "10", START), tx("t1", "b1", "11", START)])
        + "\n",
        "utf-8",
    )
    args = ["watch", "--facts", str(facts), "--obligations", str(tmp_path / "obligations.json"),
            "--start", "2020-05-01", str(events)]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "transaction id 't1' was taken by one with other amount" in err
