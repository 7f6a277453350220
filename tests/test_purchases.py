"""Purchases read in bulk (xfrules.purchases) are exactly what pydantic makes of them, and a
record the quick path declines is still validated by pydantic with its own errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from xfrules import InputError, parse_facts
from xfrules.entities import Transaction
from xfrules.purchases import quick_transactions

TX = {"id": "t1", "buyer": "u1", "amount": "10.50", "date": "2020-05-01", "origin_region": "520621"}
UNIT = {"id": "u1", "name": "单位", "kind": "budget_unit", "jurisdiction": "suzhou"}


def assert_as_pydantic(record: Any, quick: Transaction | None) -> None:
    try:
        validated = Transaction.model_validate(record)
    except ValidationError:
        assert quick is None, f"quick path took {record!r}, which pydantic refuses"
        return
    if quick is None:
        return  # declined: pydantic's to judge (and it did)
    assert repr(quick) == repr(validated)  # Decimal places too: 10.50 stays 10.50
    assert quick == validated
    assert hash(quick) == hash(validated)
    assert quick.model_fields_set == validated.model_fields_set
    assert quick.model_dump() == validated.model_dump()
    assert quick.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True)


@pytest.mark.parametrize(
    "record",
    [
        TX,
        TX | {"amount": "1,234.50"},  # declined: pydantic reads it
        TX | {"amount": "1.5"},
        TX | {"amount": "1.500"},
        TX | {"amount": "1.005"},
        TX | {"amount": "999999999999999"},
        TX | {"amount": "1000000000000000"},
        TX | {"amount": 12},
        TX | {"amount": -1},
        TX | {"amount": True},
        TX | {"amount": 0.5},
        TX | {"date": "2020年5月1日"},
        TX | {"date": "2020-02-30"},
        TX | {"quantity": "2.125"},
        TX | {"quantity": "2.1255"},
        TX | {"quantity": None},
        TX | {"quantity": "500斤"},
        TX | {"seller": None},
        TX | {"category": "agricultural", "channel": None, "seller_kind": "household"},
        TX | {"id": ""},
        TX | {"buyer": 7},
        TX | {"colour": "red"},
        {k: v for k, v in TX.items() if k != "date"},
        ["not", "a", "mapping"],
    ],
)
def test_each_record_is_what_pydantic_makes_of_it(record: Any) -> None:
    (quick,) = quick_transactions([record])
    assert_as_pydantic(record, quick)


def test_well_formed_purchases_take_the_quick_path() -> None:
    records = [
        TX,
        TX | {"amount": 12, "quantity": "3.5", "category": "agricultural"},
        TX | {"date": "2020/5/1", "seller": "农户", "product": "大米", "channel": "832"},
    ]
    assert all(tx is not None for tx in quick_transactions(records))


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**16),
    st.sampled_from(["", "x", "0", "1.5", "1.50", "1.505", "02", "1e3", "１２", "2020-05-01"]),
    st.sampled_from(["2020-5-1", "20200501", "2020-13-01", "1,000", "1.2万元", "500斤"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
_KEYS = st.sampled_from([*Transaction.model_fields, "extra"])


@given(
    st.dictionaries(_KEYS, _VALUES, max_size=6).map(
        lambda extra: {"id": "t", "buyer": "b", "amount": "1", "date": "2020-01-01"} | extra
    )
)
def test_any_record_is_what_pydantic_makes_of_it(record: dict[str, Any]) -> None:
    (quick,) = quick_transactions([record])
    assert_as_pydantic(record, quick)


def test_declined_records_keep_pydantic_errors() -> None:
    with pytest.raises(InputError) as info:
        parse_facts(
            {"units": [UNIT], "transactions": [TX, TX | {"id": "t2", "amount": "1.005"}]},
            source="f.json",
        )
    (problem,) = info.value.problems
    assert (problem.file, problem.record, problem.field) == (
        "f.json",
        "transactions[1] (id 't2')",
        "amount",
    )
    assert "finer than 0.01" in problem.message


def test_quick_and_validated_purchases_mix_in_file_order() -> None:
    facts = parse_facts(
        {
            "units": [UNIT],
            "transactions": [TX, TX | {"id": "t2", "amount": "1.2万元"}, TX | {"id": "t3"}],
        }
    )
    assert [tx.id for tx in facts.transactions] == ["t1", "t2", "t3"]
    assert facts.transactions[1].amount == Decimal(12000)
