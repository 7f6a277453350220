"""A batch's plainly well-formed purchases are parsed in one pass
(``screening.quick_purchases``): each is exactly what ``validate`` makes of it, and every
other event is left to ``validate``, with its own errors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from xfrules.entities import Unit
from xfrules.monitor.events import EventError
from xfrules.monitor.intake import new_key
from xfrules.monitor.screening import quick_purchases, validate

KEY = new_key()
UNITS = {u: Unit(id=u, name=u, kind="budget_unit", jurisdiction="mon") for u in ("b1", "b2")}
TX = {"type": "transaction", "id": "t1", "buyer": "b1", "amount": "10.50", "date": "2020-05-01"}

_PERSONAL = ["110105199001011234", "张三 13912345678", "t-13912345678"]
# Each field: values validate takes, and values it refuses (or reads only through pydantic).
_FIELDS: dict[str, tuple[list[Any], list[Any]]] = {
    "type": (["transaction"], ["clock", None]),
    "id": (["t1", *_PERSONAL], ["", 5]),
    "buyer": (["b1", "b2"], ["b9", "", None]),
    "amount": (
        ["10.50", "0", "999999999999999", 12],
        ["1.505", "1,000", "1.2万元", "-1", True, 0.5],
    ),
    "date": (
        ["2020-05-01", "2020/5/1", "2020年5月1日", date(2020, 5, 1)],
        ["2020-13-01", "soon", datetime(2020, 5, 1, 10, 30)],
    ),
    "seller": (["", "农户", *_PERSONAL], [None, 7]),
    "product": (["大米", *_PERSONAL], [None]),
    "category": (["agricultural", None, *_PERSONAL], [7]),
    "channel": (["union", None], [3]),
    "seller_kind": (["household", "company", None], [3]),
    "origin_region": (["522601", "520322100200", None], ["5226", "999999"]),
    "quantity": (["2.125", 3], ["2.1255", "500斤", None]),
    "extra": ([], ["x"]),
}
_REQUIRED = ("type", "id", "buyer", "amount", "date")


@st.composite
def _events(draw: st.DrawFn) -> Any:
    """A purchase: mostly well formed, with a field or two (or none) that is not."""
    if draw(st.integers(0, 19)) == 0:
        return draw(
            st.sampled_from([["not", "an", "event"], {"type": "clock", "date": "2020-05-01"}])
        )
    names = [*_REQUIRED, *draw(st.sets(st.sampled_from(list(_FIELDS)[5:]), max_size=4))]
    spoilt = draw(st.sets(st.sampled_from(names), max_size=2))
    event = {}
    for name in names:
        good, bad = _FIELDS[name]
        event[name] = draw(st.sampled_from(bad if name in spoilt or not good else good))
    return event


def _validated(event: Any, where: str) -> Any:
    try:
        return validate(event, KEY, date(2020, 12, 31), UNITS, "feed", where)
    except EventError:
        return None


# Cheap (~5 ms an example) and the quick path's proof: many examples whatever the profile.
@settings(max_examples=200, deadline=None)
@given(st.lists(_events(), max_size=8))
def test_each_quick_purchase_is_what_validate_makes_of_it(events: list[Any]) -> None:
    wheres = [f"line {n}" for n in range(1, len(events) + 1)]
    for event, where, quick in zip(
        events, wheres, quick_purchases(events, KEY, UNITS, "feed", wheres), strict=True
    ):
        if quick is None:
            continue  # left to validate
        validated = _validated(event, where)
        assert validated is not None, f"taken quickly, but validate refuses {event!r}"
        assert quick == validated  # fact, unit, route, the kept (masked) event, where
        assert repr(quick.fact) == repr(validated.fact)  # Decimal places too
        assert quick.fact.model_fields_set == validated.fact.model_fields_set


def test_plain_purchases_take_the_quick_path_and_others_do_not() -> None:
    events = [
        TX,
        TX | {"id": "t2", "buyer": "b2", "origin_region": "522601", "category": "agricultural"},
        TX | {"id": "t3", "seller": "张三 13912345678"},  # masked first, then taken quickly
        TX | {"id": "t4", "buyer": "b9"},  # unknown unit: validate's error
        TX | {"id": "t5", "origin_region": "5226"},  # no region code: validate's error
        TX | {"id": "t6", "amount": "1.2万元"},  # pydantic reads it
        {"type": "clock", "date": "2020-05-01"},
    ]
    wheres = [f"event {n}" for n in range(1, len(events) + 1)]
    quick = quick_purchases(events, KEY, UNITS, "<events>", wheres)
    assert [q is not None for q in quick] == [True, True, True, False, False, False, False]
    assert quick[2] is not None and "13912345678" not in str(quick[2].raw)
