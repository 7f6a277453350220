"""``post_many``: errors name the caller's labels, and a bundle durable_rules (or the
action) fails on is reported in ``failed`` while the rest of the batch goes in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from test_monitor_support import REGION_SETS, obligations, tx, units

from xfrules.facts import Facts
from xfrules.monitor import Monitor
from xfrules.rulebook import prepare

START = date(2020, 5, 1)


def test_rejections_carry_the_given_labels() -> None:
    with Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
    ) as m:
        result = m.post_many(
            [tx("a", "b1", "1", START), tx("b", "nobody", "1", START)],
            source="feed.jsonl",
            where=["line 7", "line 9"],
        )
    assert result.accepted == 1
    (refusal,) = result.rejected
    assert refusal.problems[0].file == "feed.jsonl"
    assert refusal.problems[0].record.startswith("line 9")


def test_a_failing_bundle_is_reported_and_the_others_go_in(monkeypatch: pytest.MonkeyPatch) -> None:
    with Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
    ) as m:
        apply = m._apply

        def broken_for_b2(route: Any, bundle: Any) -> None:
            if bundle[0].unit == "b2":
                raise RuntimeError("disk full")
            apply(route, bundle)

        monkeypatch.setattr(m, "_apply", broken_for_b2)
        result = m.post_many([tx("a", "b1", "10000", START), tx("b", "b2", "5", START),
                              tx("c", "b3", "7", START)])  # fmt: skip
        assert result.accepted == 2
        assert len(result.failed) == 1 and "disk full" in str(result.failed[0])
        monkeypatch.undo()
        assert m.finding("b1", "mon.paired_purchases").measured == Decimal(10007)  # b3 in b1
        assert m.finding("b3", "mon.paired_purchases").measured == Decimal(7)
        assert m.finding("b2", "mon.paired_purchases").measured == Decimal(0)
        assert m.post(tx("b", "b2", "5", START)).status == "accepted"  # it can come again


def test_the_log_is_on_disk_when_a_call_returns(tmp_path: Any) -> None:
    """The log is buffered, but each post and post_many leaves it complete on disk."""
    import json

    log = tmp_path / "monitor.jsonl"

    def records() -> list[str]:
        return [json.loads(line)["record"] for line in log.read_text("utf-8").splitlines()]

    with Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
        log=log,
    ) as m:
        m.post(tx("a", "b1", "10000", START))
        assert records().count("event") == 1 and "change" in records()
        m.post_many([tx("b", "b2", "1", START), tx("c", "b3", "2", START)])
        assert records().count("event") == 3


def test_the_monitor_leaves_the_process_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector is the process's: post and post_many neither pause nor resume it (the
    watch command, which owns its process, pauses it around a batch)."""
    import gc

    from xfrules.monitor import EventError

    touched: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: touched.append("disable"))
    monkeypatch.setattr(gc, "enable", lambda: touched.append("enable"))
    with Monitor(
        prepare(Facts(units=tuple(units())), obligations=obligations(), region_sets=REGION_SETS),
        start=START,
    ) as m:
        m.post(tx("a", "b1", "1", START))
        m.post_many([tx("b", "b1", "1", START), tx("c", "b1", "2", START)])
        with pytest.raises(EventError):
            m.post(tx("d", "nobody", "1", START))
    assert touched == []
