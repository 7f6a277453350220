"""Purchases of a facts file read in bulk, without a pydantic call for each well-formed one.

A province's facts file holds millions of purchases. Validating each through pydantic, with
its amount and date validators in Python, was most of ``load_facts``; and every validated
model brings a set of its own (the fields given) that the garbage collector then walks with
the rest of the heap at each of its collections.

:func:`quick_transactions` takes the record that is plainly well formed — text where text is
due, an amount written as plain digits exact to the fen, a date the ledger reader reads — and
makes its :class:`~xfrules.entities.Transaction` directly, with the values pydantic would give
it. Any other record gets None: the caller validates it through pydantic as before, so every
value and every error message stays the validator's (tests/test_purchases.py holds both equal).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .entities import Transaction
from .values import _PLAIN, _parse_date_text

__all__ = ["quick_transactions"]

_FIELDS = frozenset(Transaction.model_fields)
_ZERO = Decimal(0)
_LIMIT = 10**15


def quick_transactions(records: list[Any]) -> list[Transaction | None]:
    """Each record's Transaction, or None where pydantic must judge the record."""
    new = object.__new__
    set_attr = object.__setattr__
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
            fields_set = fields_sets[keys] = set(keys) if keys <= _FIELDS else None
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
            and type(day) is str
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
        try:
            when = _parse_date_text(day)
        except ValueError:
            append(None)
            continue
        tx = new(Transaction)
        # What pydantic's own model_construct sets, in the model's field order. The fields-set
        # is shared by the records giving the same fields: a frozen model never changes it, and
        # model_copy copies it (one set per purchase was a third of the collector's work).
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
