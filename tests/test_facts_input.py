"""Bad input gets one clear problem per fault, naming file, record and field."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xfrules import InputError, load_facts, parse_facts

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

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


def test_references_of_invalid_records_are_checked_in_the_same_round() -> None:
    # A record that fails validation still has its references and id checked (by its fields
    # as written), and records after it keep their position in the file as their label.
    found = problems(
        {
            "units": [UNIT, UNIT | {"id": "u2", "kind": 7, "parent": "nowhere"}],
            "transactions": [
                TX | {"amount": "ten"},
                TX | {"id": "t2", "buyer": "nobody", "amount": "x"},
                TX | {"id": "t2"},
                TX | {"id": "t3", "buyer": "ghost"},
            ],
        }
    )
    assert found == [
        ("f.yaml", "transactions (id 't2')", "id"),
        ("f.yaml", "transactions[0] (id 't1')", "amount"),
        ("f.yaml", "transactions[1] (id 't2')", "amount"),
        ("f.yaml", "transactions[1] (id 't2')", "buyer"),
        ("f.yaml", "transactions[3] (id 't3')", "buyer"),
        ("f.yaml", "units[1] (id 'u2')", "kind"),
        ("f.yaml", "units[1] (id 'u2')", "parent"),
    ]


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


OBS = {
    "unit": "u1",
    "metric": "canteen_agri_procurement_total",
    "period_start": "2019-01-01",
    "period_end": "2019-12-31",
    "value": "1000000",
}


def test_a_copied_observation_row_is_refused_not_counted_twice() -> None:
    (problem,) = problems({"units": [UNIT], "observations": [OBS, dict(OBS)]})
    assert problem[:2] == ("f.yaml", "observations[1]")
    # The same value written another way is still the same observation.
    (again,) = problems({"units": [UNIT], "observations": [OBS, OBS | {"value": "100万"}]})
    assert again[1] == "observations[1]"


def test_observation_ids_say_two_alike_observations_are_both_meant() -> None:
    from xfrules.facts import FactIndex

    facts = parse_facts({"units": [UNIT], "observations": [OBS | {"id": "o1"}, OBS | {"id": "o2"}]})
    index = FactIndex(facts)
    assert len(index.observations_by_unit[("u1", OBS["metric"])]) == 2


def test_duplicate_observation_ids_are_refused() -> None:
    (problem,) = problems(
        {"units": [UNIT], "observations": [OBS | {"id": "o1"}, OBS | {"id": "o1", "value": "5"}]}
    )
    assert problem == ("f.yaml", "observations (id 'o1')", "id")


def test_the_index_counts_an_observation_id_once() -> None:
    """Through the API (no file checks), the same observation id again counts once, as a
    transaction id does, and the evaluator's sum sees one value."""
    from datetime import date

    from xfrules.entities import Observation, Unit
    from xfrules.evaluator import measure_value
    from xfrules.facts import FactIndex, Facts
    from xfrules.obligations import ObservationMeasure

    obs = Observation.model_validate(OBS | {"id": "o1"})
    facts = Facts(units=(Unit.model_validate(UNIT),), observations=(obs, obs))
    measure = ObservationMeasure(source="observations", metric=OBS["metric"])
    total = measure_value(
        measure, "suzhou", "u1", FactIndex(facts), date(2019, 1, 1), date(2019, 12, 31), {}
    )
    assert total == Decimal("1000000")


def test_figures_that_are_not_money_keep_their_percent_and_unit_words() -> None:
    # A pass rate observed as "98%", a union's "120人": figures, not sums of money (a purchase
    # amount of "25%" is refused, see test_each_bad_field_is_named's siblings).
    facts = parse_facts(
        {
            "units": [UNIT | {"attributes": {"members": "120人"}}],
            "observations": [
                {
                    "unit": "u1",
                    "metric": "pass_rate",
                    "period_start": "2020-01-01",
                    "period_end": "2020-12-31",
                    "value": "98%",
                }
            ],
        }
    )
    assert facts.units[0].attributes["members"] == Decimal(120)
    assert facts.observations[0].value == Decimal("0.98")
    assert problems({"units": [UNIT], "transactions": [TX | {"amount": "25%"}]}) == [
        ("f.yaml", "transactions[0] (id 't1')", "amount")
    ]


def test_the_index_counts_a_transaction_id_once_keeping_the_first() -> None:
    """Through the API (no file checks), the same purchase id again counts once: the first."""
    from xfrules.entities import Transaction, Unit
    from xfrules.facts import FactIndex, Facts

    first = Transaction.model_validate(TX)
    again = Transaction.model_validate(TX | {"amount": "99"})
    other = Transaction.model_validate(TX | {"id": "t2"})
    facts = Facts(units=(Unit.model_validate(UNIT),), transactions=(first, other, again))
    assert FactIndex(facts).transactions_by_buyer["u1"] == [first, other]
