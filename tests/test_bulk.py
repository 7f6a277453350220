"""Records made in bulk (xfrules.bulk) are exactly what pydantic makes of them, and a record
the quick path declines is still validated by pydantic with its own errors."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from xfrules import Facts, InputError, parse_facts
from xfrules.bulk import quick_records
from xfrules.entities import Observation, Transaction, Unit

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

TX = {"id": "t1", "buyer": "u1", "amount": "10.50", "date": "2020-05-01", "origin_region": "520621"}
UNIT = {"id": "u1", "name": "单位", "kind": "budget_unit", "jurisdiction": "suzhou"}


def quick_transactions(records: list[Any]) -> list[Any]:
    return quick_records(Transaction, records)


def assert_as_pydantic(record: Any, quick: Any, model: type[BaseModel] = Transaction) -> None:
    try:
        validated = model.model_validate(record)
    except ValidationError:
        assert quick is None, f"quick path took {record!r}, which pydantic refuses"
        return
    if quick is None:
        return  # declined: pydantic's to judge (and it did)
    assert repr(quick) == repr(validated)  # Decimal places too: 10.50 stays 10.50
    assert quick == validated
    if model is not Unit:  # a unit holds a dict of attributes: no hash
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
        TX | {"date": date(2020, 5, 1)},  # YAML reads an unquoted date as one
        TX | {"date": datetime(2020, 5, 1, 10, 30)},
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
        TX | {"date": date(2020, 5, 1)},
    ]
    assert all(tx is not None for tx in quick_transactions(records))


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**16),
    st.sampled_from(["", "x", "0", "1.5", "1.50", "1.505", "02", "1e3", "１２", "2020-05-01"]),
    st.sampled_from(["2020-5-1", "20200501", "2020-13-01", "1,000", "1.2万元", "500斤"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31)),
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


@given(
    st.from_regex(r"[0-9]{1,16}(\.[0-9]{0,3})?", fullmatch=True),
    st.sampled_from([None, "1", "2.125"]),
)
def test_any_amount_in_digits_is_what_pydantic_makes_of_it(
    amount: str, quantity: str | None
) -> None:
    """Plain digits, with up to three places and past the 10^15 limit: the quick path reads
    the whole and the places apart, as pydantic reads the amount."""
    record = TX | {"amount": amount} | ({} if quantity is None else {"quantity": quantity})
    (quick,) = quick_transactions([record])
    assert_as_pydantic(record, quick)
    whole, _, places = amount.partition(".")
    if len(whole) <= 15 and len(places) <= 2 and (places or "." not in amount):
        assert quick is not None  # what the quick path is for: read here, not declined


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


OBS = {"unit": "u1", "metric": "base", "period_start": "2019-01-01", "period_end": "2019-12-31"}


@pytest.mark.parametrize(
    "record",
    [
        OBS | {"value": "1000"},
        OBS | {"value": "12.5", "subject": "村1", "id": "o1"},
        OBS | {"value": 7},
        OBS | {"value": -7},
        OBS | {"value": "25%"},
        OBS | {"value": 0.5},
        OBS | {"value": "1", "id": ""},
        OBS | {"value": "1", "period_end": "2018-12-31"},
        OBS | {"value": "1", "period_start": "2019年1月1日"},
        OBS | {"value": "1", "period_start": date(2019, 1, 1), "period_end": date(2019, 12, 31)},
        OBS | {"value": "1", "metric": ""},
        OBS | {"value": "1", "colour": "red"},
        OBS,
    ],
)
def test_each_observation_is_what_pydantic_makes_of_it(record: Any) -> None:
    (quick,) = quick_records(Observation, [record])
    assert_as_pydantic(record, quick, Observation)


@pytest.mark.parametrize(
    "record",
    [
        UNIT,
        UNIT | {"parent": "d1", "region_code": "520621", "department": "市财政局"},
        UNIT | {"attributes": {}},
        UNIT | {"attributes": {"members": "120"}},
        UNIT | {"lacks": ["canteen"]},
        UNIT | {"id": ""},
        UNIT | {"kind": None},
        UNIT | {"parent": 3},
        UNIT | {"colour": "red"},
        {k: v for k, v in UNIT.items() if k != "name"},
    ],
)
def test_each_unit_is_what_pydantic_makes_of_it(record: Any) -> None:
    (quick,) = quick_records(Unit, [record])
    assert_as_pydantic(record, quick, Unit)


def test_well_formed_units_and_observations_take_the_quick_path() -> None:
    assert all(quick_records(Unit, [UNIT, UNIT | {"parent": "d1"}]))
    assert all(quick_records(Observation, [OBS | {"value": "1"}, OBS | {"value": 2, "id": "o"}]))


@given(
    st.dictionaries(st.sampled_from([*Observation.model_fields, "extra"]), _VALUES, max_size=5).map(
        lambda extra: OBS | {"value": "1"} | extra
    )
)
def test_any_observation_is_what_pydantic_makes_of_it(record: dict[str, Any]) -> None:
    (quick,) = quick_records(Observation, [record])
    assert_as_pydantic(record, quick, Observation)


@given(
    st.dictionaries(st.sampled_from([*Unit.model_fields, "extra"]), _VALUES, max_size=5).map(
        lambda extra: UNIT | extra
    )
)
def test_any_unit_is_what_pydantic_makes_of_it(record: dict[str, Any]) -> None:
    (quick,) = quick_records(Unit, [record])
    assert_as_pydantic(record, quick, Unit)


def _reordered(record: dict[str, Any], reverse: bool) -> dict[str, Any]:
    return dict(reversed(record.items())) if reverse else record


@given(
    st.lists(
        st.tuples(
            st.dictionaries(
                st.sampled_from([*Observation.model_fields, "extra"]), _VALUES, max_size=3
            ),
            st.booleans(),
        ),
        max_size=5,
    )
)
def test_observations_read_together_are_each_what_pydantic_makes(
    extras: list[tuple[dict[str, Any], bool]],
) -> None:
    """Records read in one call share what the quick path learns once (a date as written,
    the fields given in one order or another): each is still what pydantic makes of it."""
    records = [_reordered(OBS | {"value": "1"} | extra, rev) for extra, rev in extras]
    for record, quick in zip(records, quick_records(Observation, records), strict=True):
        assert_as_pydantic(record, quick, Observation)


@given(
    st.lists(
        st.tuples(
            st.dictionaries(st.sampled_from([*Unit.model_fields, "extra"]), _VALUES, max_size=3),
            st.booleans(),
        ),
        max_size=5,
    )
)
def test_units_read_together_are_each_what_pydantic_makes(
    extras: list[tuple[dict[str, Any], bool]],
) -> None:
    records = [_reordered(UNIT | extra, rev) for extra, rev in extras]
    for record, quick in zip(records, quick_records(Unit, records), strict=True):
        assert_as_pydantic(record, quick, Unit)


def test_a_facts_file_s_purchase_ids_are_known_distinct_once_checked() -> None:
    """load_facts refuses a repeated purchase id, so the evaluator need not hash them again;
    purchases given otherwise are still looked at (the first of an id counts)."""
    facts = parse_facts({"units": [UNIT], "transactions": [TX, TX | {"id": "t2"}]})
    assert facts.transactions.ids_distinct
    assert facts.transactions.first_of_each_id() is facts.transactions
    with pytest.raises(InputError, match="duplicate transaction id"):
        parse_facts({"units": [UNIT], "transactions": [TX, TX]})
    given = Facts(units=(Unit.model_validate(UNIT),), transactions=(TX, TX)).transactions
    assert not given.ids_distinct
    assert [tx.id for tx in given.first_of_each_id()] == ["t1"]
