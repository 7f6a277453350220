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

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .entities import Observation, Transaction, Unit
from .values import _PLAIN, _parse_date_text

if TYPE_CHECKING:
    from .purchases import Purchases, PurchasesBuilder

__all__ = ["constructed", "quick_purchases", "quick_records", "quick_transactions"]

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
    record: dict[Any, Any], fields: frozenset[str], seen: dict[Any, set[str] | None]
) -> set[str] | None:
    """The model's fields-set for the fields ``record`` gives; None if one is no field. One set
    for all records giving the same fields: a frozen model never changes it, and model_copy
    copies it. Found by the fields in the order given (a tuple is quicker to make than a
    set, and a file's records give theirs in one order or a few)."""
    order = tuple(record)
    hit = seen.get(order, seen)
    if hit is not seen:
        return hit  # type: ignore[return-value]
    keys = frozenset(order)
    if keys not in seen:
        seen[keys] = set(keys) if keys <= fields else None
    out = seen[order] = seen[keys]
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


_UNIT_FIELDS = frozenset(Unit.model_fields)
_NO_ATTRIBUTES: dict[str, Any] = {}


def quick_units(records: list[Any]) -> list[Unit | None]:
    out: list[Unit | None] = []
    seen: dict[Any, set[str] | None] = {}
    for record in records:
        fields_set = _fields_set(record, _UNIT_FIELDS, seen) if type(record) is dict else None
        if fields_set is None:
            out.append(None)
            continue
        get = record.get
        uid, name, kind, jurisdiction = get("id"), get("name"), get("kind"), get("jurisdiction")
        region_code, parent, department = get("region_code"), get("parent"), get("department")
        if not (
            type(uid) is str
            and uid
            and type(name) is str
            and type(kind) is str
            and kind
            and type(jurisdiction) is str
            and (region_code is None or type(region_code) is str)
            and (parent is None or type(parent) is str)
            and (department is None or type(department) is str)
            and get("attributes", _NO_ATTRIBUTES) == {}  # numbers to read: pydantic's
            and "lacks" not in record
        ):
            out.append(None)
            continue
        values: dict[str, Any] = {
            "id": uid,
            "name": name,
            "kind": kind,
            "jurisdiction": jurisdiction,
            "region_code": region_code,
            "parent": parent,
            "department": department,
            "attributes": {},
            "lacks": (),
        }
        out.append(constructed(Unit, values, fields_set))
    return out


_OBSERVATION_FIELDS = frozenset(Observation.model_fields)


def quick_observations(records: list[Any]) -> list[Observation | None]:
    out: list[Observation | None] = []
    seen: dict[Any, set[str] | None] = {}
    days: dict[str, date] = {}
    for record in records:
        fields_set = (
            _fields_set(record, _OBSERVATION_FIELDS, seen) if type(record) is dict else None
        )
        if fields_set is None:
            out.append(None)
            continue
        get = record.get
        written_start, written_end = get("period_start"), get("period_end")
        # A file's baselines share a few periods: each date as written is read once.
        start = days.get(written_start) if type(written_start) is str else None
        if start is None:
            start = _day(written_start)
            if start is not None and type(written_start) is str:
                days[written_start] = start
        end = days.get(written_end) if type(written_end) is str else None
        if end is None:
            end = _day(written_end)
            if end is not None and type(written_end) is str:
                days[written_end] = end
        value = _number(get("value"))
        unit, metric, subject, oid = get("unit"), get("metric"), get("subject"), get("id")
        if (
            start is None
            or end is None
            or value is None
            or end < start  # the model's own check: its message
            or type(unit) is not str
            or type(metric) is not str
            or not metric
            or not (subject is None or type(subject) is str)
            or not (oid is None or (type(oid) is str and oid))
        ):
            out.append(None)
            continue
        values: dict[str, Any] = {
            "unit": unit,
            "metric": metric,
            "period_start": start,
            "period_end": end,
            "value": value,
            "subject": subject,
            "id": oid,
        }
        out.append(constructed(Observation, values, fields_set))
    return out


_TRANSACTION_FIELDS = frozenset(Transaction.model_fields)
# An amount the quick path reads: _PLAIN with at most two places, the whole and the places
# apart (any other amount, 1.500 too, is pydantic's).
_FEN = re.compile(r"([0-9]{1,15})(?:\.([0-9]{1,2}))?\Z")
_TEN = (1, 10, 100, 1000)


def _scaled(digits: str, scale: int) -> tuple[int, int] | None:
    """Plain digits (``_PLAIN``) as a whole number of 10^-``scale`` and the exponent of the
    places written (``"10.5"``, 2 → ``(1050, -1)``); None when more places than ``scale``."""
    point = digits.find(".")
    if point < 0:
        return int(digits) * _TEN[scale], 0
    places = len(digits) - point - 1
    if places > scale:
        return None
    return int(digits[:point] + digits[point + 1 :]) * _TEN[scale - places], -places


def quick_purchases(
    records: list[Any], slow: Callable[[int, Any], Transaction | None]
) -> tuple[Purchases, list[Any]]:
    """Every purchase of ``records`` into columns (:class:`~xfrules.purchases.Purchases`), in
    order: a plainly well-formed record read here, any other handed to ``slow`` (its index
    and the record; it returns the validated model, or None when the record is refused).
    Also, per record: True (read here), the model ``slow`` made, or None (refused).

    Written out in one loop: a province has millions of purchases."""
    from .purchases import PurchasesBuilder

    builder = PurchasesBuilder()
    ids, buyer_col, seller_col, product_col = (
        builder.ids,
        builder.buyer,
        builder.seller,
        builder.product,
    )
    day_col, amount_col, quantity_col, profile_col = (
        builder.day,
        builder.amount,
        builder.quantity,
        builder.profile,
    )
    assert isinstance(ids, list)
    buyers, texts, profiles = builder.buyer_index, builder.text_index, builder.profile_index
    plain, fen = _PLAIN.match, _FEN.match
    # Bound once: a method looked up per purchase and column was a tenth of the loop.
    add_id, add_buyer, add_seller, add_product = (
        ids.append,
        buyer_col.append,
        seller_col.append,
        product_col.append,
    )
    add_day, add_amount, add_quantity, add_profile = (
        day_col.append,
        amount_col.append,
        quantity_col.append,
        profile_col.append,
    )
    # Per fields given, in the order given (a tuple is quicker to make than a set, and a
    # file's records give theirs in one or two orders): None (all of the model's), the
    # fields, or False (one is no field).
    fields_of: dict[tuple[Any, ...], frozenset[str] | bool | None] = {}
    days: dict[Any, int] = {}  # a date as written -> its ordinal
    out: list[Any] = []
    append = out.append
    for i, record in enumerate(records):
        if type(record) is not dict:
            append(_slow(builder, slow, i, record))
            continue
        order = tuple(record)
        fields = fields_of.get(order, False)
        if fields is False and order not in fields_of:
            keys = frozenset(order)
            fields = fields_of[order] = (
                False
                if not keys <= _TRANSACTION_FIELDS
                else None
                if keys == _TRANSACTION_FIELDS
                else keys
            )
        if fields is False or fields is True:
            append(_slow(builder, slow, i, record))
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
            append(_slow(builder, slow, i, record))
            continue
        # Plain digits (_PLAIN: unsigned, below 10^15) or a whole number in range: only the
        # places are left to check, as xfrules.values.amount_problem does. Read as whole fen.
        if type(amount) is str and (digits := fen(amount)) is not None:
            # At most two places (finer than the fen, or 1.500: pydantic's, below).
            whole, cents_written = digits.groups()
            if cents_written is None:
                cents, a_exp = int(whole) * 100, 0
            elif len(cents_written) == 2:
                cents, a_exp = int(whole + cents_written), -2
            else:
                cents, a_exp = int(whole + cents_written) * 10, -1
        elif type(amount) is int and 0 <= amount < _LIMIT:
            cents, a_exp = amount * 100, 0
        else:
            append(_slow(builder, slow, i, record))
            continue
        if quantity is None:
            if "quantity" in record:  # null: pydantic's to refuse
                append(_slow(builder, slow, i, record))
                continue
            milli, q_exp = 0, 0
        elif type(quantity) is str and plain(quantity):
            # finer than MILLI, or 1.5000: pydantic's
            if (scaled := _scaled(quantity, 3)) is None:
                append(_slow(builder, slow, i, record))
                continue
            milli, q_exp = scaled
        else:
            append(_slow(builder, slow, i, record))
            continue
        ordinal = days.get(day) if type(day) is str else None
        if ordinal is None:
            when = _day(day)
            if when is None:
                append(_slow(builder, slow, i, record))
                continue
            ordinal = when.toordinal()
            if type(day) is str:
                days[day] = ordinal
        add_id(tid)
        k = buyers.get(buyer)
        add_buyer(builder._buyer(buyer) if k is None else k)
        k = texts.get(seller)
        add_seller(builder._text(seller) if k is None else k)
        k = texts.get(product)
        add_product(builder._text(product) if k is None else k)
        add_day(ordinal)
        add_amount(cents)
        add_quantity(milli)
        profile = (origin, category, channel, seller_kind, a_exp, q_exp, fields)
        k = profiles.get(profile)
        add_profile(builder._profile(profile) if k is None else k)
        append(True)
    return builder.build(), out


def _slow(
    builder: PurchasesBuilder, slow: Callable[[int, Any], Transaction | None], i: int, record: Any
) -> Transaction | None:
    tx = slow(i, record)
    if tx is not None:
        builder.add_transaction(tx)
    return tx


def quick_transactions(records: list[Any]) -> list[Transaction | None]:
    """Each record's purchase as the quick path reads it (None: declined, for pydantic), made
    as the model the columns give back: what tests compare with pydantic's."""
    purchases, flags = quick_purchases(records, lambda i, record: None)
    made = iter(purchases)
    return [next(made) if flag is True else None for flag in flags]


_READERS: dict[type[BaseModel], Any] = {
    Transaction: quick_transactions,  # facts files use quick_purchases (columns)
    Unit: quick_units,
    Observation: quick_observations,
}
