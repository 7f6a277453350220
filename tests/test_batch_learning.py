"""The batch backend learns which purchase sums to compute by asking the evaluator for one
bound unit per obligation that measures purchases — never every unit for every obligation
(5 plug-ins × 10k units took 20 s that way)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xfrules import evaluator
from xfrules.batch import evaluate_ledgers
from xfrules.evaluator import evaluate
from xfrules.facts import parse_facts
from xfrules.findings import Status
from xfrules.obligations import obligation_adapter
from xfrules.rulebook import prepare

SRC = {"document": "测试〔2020〕1号", "clause": "一", "quote": "采购总额达到"}
BASE: dict[str, Any] = {
    "jurisdiction": "t",
    "source": SRC,
    "valid_from": "2020-01-01",
    "valid_to": "2020-12-31",
    "period": {"frequency": "annual"},
}
OBLIGATIONS = [
    obligation_adapter.validate_python(
        {
            **BASE,
            "id": "t.unit_total",
            "kind": "amount_target",
            "title": "单位采购",
            "applies_to": ["budget_unit"],
            "measure": {"source": "transactions", "scope": "unit"},
            "thresholds": [{"comparator": ">=", "value": "100", "unit": "元"}],
        }
    ),
    obligation_adapter.validate_python(  # binds no unit of the facts below
        {
            **BASE,
            "id": "t.district_total",
            "kind": "amount_target",
            "title": "区采购",
            "applies_to": ["district"],
            "measure": {"source": "transactions", "scope": "subtree"},
            "thresholds": [{"comparator": ">=", "value": "1000", "unit": "元"}],
        }
    ),
    obligation_adapter.validate_python(  # reads observations, never purchases
        {
            **BASE,
            "id": "t.counters",
            "kind": "count_target",
            "title": "专柜",
            "applies_to": ["budget_unit"],
            "measure": {"source": "observations", "metric": "counters"},
            "thresholds": [{"comparator": ">=", "value": "1", "unit": "个"}],
        }
    ),
]
N = 200


def test_learning_asks_one_bound_unit_per_purchase_measure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = [
        {"id": f"u{i:03d}", "name": f"单位{i}", "kind": "budget_unit", "jurisdiction": "t"}
        for i in range(N)
    ]
    facts = parse_facts({"units": units})
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "buyer,amount,date\n" + "".join(f"u{i:03d},{i},2020-05-01\n" for i in range(N)),
        encoding="utf-8",
    )
    asked: list[str] = []
    real = evaluator.evaluate_one

    def counting(ob: Any, unit: Any, *args: Any, **kwargs: Any) -> Any:
        measurer = kwargs.get("transaction_measurer")
        if getattr(measurer, "recording", False):
            asked.append(ob.id)
        return real(ob, unit, *args, **kwargs)

    monkeypatch.setattr(evaluator, "evaluate_one", counting)
    result = evaluate_ledgers(
        prepare(facts, obligations=OBLIGATIONS, region_sets={}),
        [ledger],
        date(2020, 12, 31),
        progress=False,
    )
    assert asked == ["t.unit_total"]
    # And the findings are the in-memory evaluator's.
    monkeypatch.setattr(evaluator, "evaluate_one", real)
    from xfrules.ledger import import_ledgers

    imported = import_ledgers([ledger], units=facts.units)
    expected = evaluate(
        facts.with_(transactions=imported.transactions),
        date(2020, 12, 31),
        obligations=OBLIGATIONS,
        region_sets={},
    )
    assert result.evaluation.findings == expected.findings
    statuses = {f.status for f in expected.findings}
    assert {Status.COMPLIANT, Status.NON_COMPLIANT, Status.NOT_APPLICABLE} <= statuses
