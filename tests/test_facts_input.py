"""Bad input gets one clear problem per fault, naming file, record and field."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xfrules import InputError, load_facts, parse_facts

UNIT = {"id": "u1", "name": "单位", "kind": "budget_unit", "jurisdiction": "suzhou"}
TX = {"id": "t1", "buyer": "u1", "amount": "10", "date": "2020-05-01", "origin_region": "520621"}


def problems(doc: Any) -> list[tuple[str, str, str]]:
    with pytest.raises(InputError) as info:
        parse_facts(doc, source="f.yaml")
    return [(p.file, p.record, p.field) for p in info.value.problems]


def test_valid_facts_keep_exact_money() -> None:
    facts = parse_facts({"units": [UNIT], "transactions": [TX | {"amount": "1.2万元"}]})
    assert facts.transactions[0].amount == Decimal(12000)


@pytest.mark.parametrize(
    ("tx", "field"),
    [
        ({k: v for k, v in TX.items() if k != "amount"}, "amount"),
        (TX | {"amount": "-1"}, "amount"),
        (TX | {"amount": "ten"}, "amount"),
        (TX | {"date": "2020-02-30"}, "date"),
        (TX | {"buyer": "nobody"}, "buyer"),
        (TX | {"origin_region": "999999"}, "origin_region"),
        (TX | {"origin_region": "52062"}, "origin_region"),
        (TX | {"colour": "red"}, "colour"),
    ],
)
def test_each_bad_field_is_named(tx: dict[str, Any], field: str) -> None:
    (problem,) = problems({"units": [UNIT], "transactions": [tx]})
    assert problem == ("f.yaml", "transactions[0] (id 't1')", field)


def test_float_money_is_refused() -> None:
    (problem,) = problems({"units": [UNIT], "transactions": [TX | {"amount": 0.1}]})
    assert problem[2] == "amount"


def test_all_problems_are_reported_together() -> None:
    found = problems(
        {
            "units": [UNIT, UNIT | {"parent": "ghost"}],
            "transactions": [TX | {"amount": "-5"}, TX | {"id": "t2", "date": "nope"}],
            "observations": [
                {
                    "unit": "ghost",
                    "metric": "m",
                    "period_start": "2020-01-01",
                    "period_end": "2020-12-31",
                    "value": "1",
                }
            ],
            "bogus": [],
        }
    )
    fields = sorted(f for _, _, f in found)
    assert fields == sorted(["", "amount", "date", "id", "parent", "unit"])


def test_wrong_shapes() -> None:
    assert problems([1, 2]) == [("f.yaml", "", "")]
    assert problems({"units": {"id": "u1"}}) == [("f.yaml", "units", "")]
    assert problems({"units": ["u1"]}) == [("f.yaml", "units[0]", "")]


def test_malformed_files(tmp_path: Path) -> None:
    bad = tmp_path / "facts.json"
    bad.write_text('{"units": [', encoding="utf-8")
    with pytest.raises(InputError, match="malformed json"):
        load_facts(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_facts(tmp_path / "missing.yaml")


def test_yaml_floats_become_exact_decimals(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(
        "units: [{id: u1, name: 单位, kind: budget_unit, jurisdiction: suzhou}]\n"
        "transactions: [{id: t1, buyer: u1, amount: 0.1, date: 2020-05-01}]\n",
        encoding="utf-8",
    )
    assert load_facts(path).transactions[0].amount == Decimal("0.1")


def test_json_and_gbk(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(json.dumps({"units": [UNIT]}, ensure_ascii=False).encode("gb18030"))
    assert load_facts(path).units[0].name == "单位"
