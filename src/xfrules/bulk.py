"""Records of a facts file made in bulk, without a pydantic call for each well-formed one.

A province's facts file holds millions of purchases and a unit and a baseline or two for each
of 100,000 units. Validating each through pydantic, with the amount, number and date validators
in Python, was most of ``load_facts``; and every validated model brings a set of its own (the
fields given) that the garbage collector then walks with the rest of the heap at each of its
collections (measured on 200,000 purchases: the collector's share of making them was
0.46 s with a set each, 0.16 s with one set shared).

:func:`quick_records` takes the record that is plainly well formed — text where text is due,
numbers written as plain digits (an amount exact to the fen), dates the ledger reader reads, no
unknown field — and makes its model directly, with the values pydantic would give it. Any other
record gets None: the caller validates it through pydantic as before, so every value and every
error message stays the validator's (tests/test_bulk.py holds both equal).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .entities import Observation, Transaction, Unit
from .values import _PLAIN, _parse_date_text

__all__ = ["constructed", "quick_records"]

_ZERO = Decimal(0)
_LIMIT = 10**15
_new = object.__new__
_set = object.__setattr__


def quick_records(model: type[BaseModel], records: list[Any]) -> list[Any]:
    """Each record's model, or None where pydantic must judge the record (every record of a
    model without a quick reader)."""
    reader = _READERS.get(model)
    return [None] * len(records) if reader is None else reader(records)


def _fields_set(
    record: dict[Any, Any], fields: frozenset[str], seen: dict[frozenset[Any], set[str] | None]
) -> set[str] | None:
    """The model's fields-set for the fields ``record`` gives; None if one is no field. One set
    for all records giving the same fields: a frozen model never changes it, and model_copy
    copies it."""
    keys = frozenset(record)
    if keys in seen:
        return seen[keys]
    out = seen[keys] = set(keys) if keys <= fields else None
    return out


def constructed(model: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> Any:
    """What pydantic's own model_construct sets (``values`` in the model's field order)."""
    made = _new(model)
    _set(made, "__dict__", values)
    _set(made, "__pydantic_fields_set__", fields_set)
    _set(made, "__pydantic_extra__", None)
    _set(made, "__pydantic_private__", None)
    return made


def _number(value: Any) -> Decimal | None:
    """A Number field (xfrules.entities) written as plain digits or an int; None: other."""
    if type(value) is str:
        return Decimal(value) if _PLAIN.match(value) else None
    if type(value) is int and -_LIMIT < value < _LIMIT:
        return Decimal(value)
    return None


def _day(value: Any) -> Any:
    """A Day field written as text the ledger reader reads, or a date (YAML reads an unquoted
    2020-05-01 as one); None: other."""
    if type(value) is date:
        return value
    if type(value) is not str:
        return None
    try:
        return _parse_date_text(value)
    except ValueError:
        return None


def _text(value: Any, *, empty: bool = True) -> bool:
    return type(value) is str and (empty or value != "")


def _optional_text(value: Any) -> bool:
    return value is None or type(value) is str


_UNIT_FIELDS = frozenset(Unit.model_fields)


def quick_units(records: list[Any]) -> list[Unit | None]:
    out: list[Unit | None] = []
    seen: dict[frozenset[Any], set[str] | None] = {}
    for record in records:
        fields_set = _fields_set(record, _UNIT_FIELDS, seen) if type(record) is dict else None
        if fields_set is None:
            out.append(None)
            continue
        get = record.get
        if (
            not _text(get("id"), empty=False)
            or not _text(get("name"))
            or not _text(get("kind"), empty=False)
            or not _text(get("jurisdiction"))
            or not _optional_text(get("region_code"))
            or not _optional_text(get("parent"))
            or not _optional_text(get("department"))
            or get("attributes", {}) != {}  # numbers to read: pydantic's
            or "lacks" in record
        ):
            out.append(None)
            continue
        values = {
            "id": record["id"],
            "name": record["name"],
            "kind": record["kind"],
            "jurisdiction": record["jurisdiction"],
            "region_code": get("region_code"),
            "parent": get("parent"),
            "department": get("department"),
            "attributes": {},
            "lacks": (),
        }
        out.append(constructed(Unit, values, fields_set))
    return out


_OBSERVATION_FIELDS = frozenset(Observation.model_fields)


def quick_observations(records: list[Any]) -> list[Observation | None]:
    out: list[Observation | None] = []
    seen: dict[frozenset[Any], set[str] | None] = {}
    for record in records:
        fields_set = (
            _fields_set(record, _OBSERVATION_FIELDS, seen) if type(record) is dict else None
        )
        if fields_set is None:
            out.append(None)
            continue
        get = record.get
        start, end, value = (
            _day(get("period_start")),
            _day(get("period_end")),
            _number(get("value")),
        )
        oid = get("id")
        if (
            start is None
            or end is None
            or value is None
            or end < start  # the model's own check: its message
            or not _text(get("unit"))
            or not _text(get("metric"), empty=False)
            or not _optional_text(get("subject"))
            or not (oid is None or _text(oid, empty=False))
        ):
            out.append(None)
            continue
        values = {
            "unit": record["unit"],
            "metric": record["metric"],
            "period_start": start,
            "period_end": end,
            "value": value,
            "subject": get("subject"),
            "id": oid,
        }
        out.append(constructed(Observation, values, fields_set))
    return out


_TRANSACTION_FIELDS = frozenset(Transaction.model_fields)


def quick_transactions(records: list[Any]) -> list[Transaction | None]:
    """Written out in one loop: a province has millions of purchases."""
    new = _new
    set_attr = _set
    plain = _PLAIN.match
    # The fields a record gives -> the model's fields-set for them (None: not all are fields).
    fields_sets: dict[frozenset[Any], set[str] | None] = {}
    out: list[Transaction | None] = []
    append = out.append
    for record in records:
        if type(record) is not dict:
            append(None)
            continue
        keys = frozenset(record)
        if keys in fields_sets:
            fields_set = fields_sets[keys]
        else:
            fields_set = fields_sets[keys] = set(keys) if keys <= _TRANSACTION_FIELDS else None
        if fields_set is None:
            append(None)
            continue
        get = record.get
        tid, buyer, amount, day = get("id"), get("buyer"), get("amount"), get("date")
        seller, product, quantity = get("seller", ""), get("product", ""), get("quantity")
        category, origin, channel = get("category"), get("origin_region"), get("channel")
        seller_kind = get("seller_kind")
        if not (
            type(tid) is str
            and tid
            and type(buyer) is str
            and buyer
            and type(seller) is str
            and type(product) is str
            and (category is None or type(category) is str)
            and (origin is None or type(origin) is str)
            and (channel is None or type(channel) is str)
            and (seller_kind is None or type(seller_kind) is str)
        ):
            append(None)
            continue
        # Plain digits (_PLAIN: unsigned, below 10^15) or a whole number in range: only the
        # places are left to check, as xfrules.values.amount_problem does.
        if type(amount) is str and plain(amount):
            point = amount.find(".")
            if point >= 0 and len(amount) - point > 3:  # finer than the fen, or 1.500: pydantic's
                append(None)
                continue
            money = Decimal(amount)
        elif type(amount) is int and 0 <= amount < _LIMIT:
            money = Decimal(amount)
        else:
            append(None)
            continue
        if quantity is None:
            if "quantity" in record:  # null: pydantic's to refuse
                append(None)
                continue
            quantity = _ZERO
        elif type(quantity) is str and plain(quantity):
            point = quantity.find(".")
            if point >= 0 and len(quantity) - point > 4:  # finer than MILLI, or 1.5000
                append(None)
                continue
            quantity = Decimal(quantity)
        else:
            append(None)
            continue
        when = _day(day)
        if when is None:
            append(None)
            continue
        tx = new(Transaction)
        # _made, inline.
        set_attr(
            tx,
            "__dict__",
            {
                "id": tid,
                "buyer": buyer,
                "seller": seller,
                "product": product,
                "category": category,
                "origin_region": origin,
                "quantity": quantity,
                "amount": money,
                "date": when,
                "channel": channel,
                "seller_kind": seller_kind,
            },
        )
        set_attr(tx, "__pydantic_fields_set__", fields_set)
        set_attr(tx, "__pydantic_extra__", None)
        set_attr(tx, "__pydantic_private__", None)
        append(tx)
    return out


_READERS: dict[type[BaseModel], Any] = {
    Transaction: quick_transactions,
    Unit: quick_units,
    Observation: quick_observations,
}
