"""Purchases held as columns (xfrules.purchases) read back as the transactions given: the same
values, Decimal places, dates and fields-set — equal objects, not the same ones — and
Facts.transactions keeps the tuple API its callers use."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xfrules.entities import Transaction
from xfrules.facts import FactIndex, Facts
from xfrules.purchases import Purchases, PurchasesBuilder

TEXTS = st.sampled_from(["", "农户甲", "大米", "agricultural", "other"])


@st.composite
def transactions(draw: st.DrawFn) -> list[Transaction]:
    out = []
    for i in range(draw(st.integers(0, 8))):
        given = {
            "id": draw(
                st.sampled_from(
                    [f"t{i}", f"a.csv:{i + 1}", f"x0{i}", f"{i}", f"id-{i}a", "a.csv:3", "JY07"]
                )
            ),
            "buyer": draw(st.sampled_from(["u1", "u2", "单位3"])),
            "amount": draw(
                st.sampled_from(["0", "0.00", "1", "2.5", "10.05", "999999999999999.99", "1.500"])
            ),
            "date": date(2020, 1, 1) + timedelta(days=draw(st.integers(-400, 400))),
        }
        for name in ("seller", "product"):
            if draw(st.booleans()):
                given[name] = draw(TEXTS)
        for name in ("category", "origin_region", "channel", "seller_kind"):
            if draw(st.booleans()):
                given[name] = draw(st.sampled_from([None, "520621", "canteen", "household"]))
        if draw(st.booleans()):
            given["quantity"] = draw(st.sampled_from(["0", "1.5", "2.125", "3", "500"]))
        out.append(Transaction.model_validate(given))
    return out


def same(a: Transaction, b: Transaction) -> bool:
    """Equal, and printed alike (places), with the same fields given."""
    return a == b and repr(a) == repr(b) and a.model_fields_set == b.model_fields_set


@settings(max_examples=200, deadline=None)
@given(txs=transactions())
def test_items_read_back_as_given(txs: list[Transaction]) -> None:
    held = Purchases.of(txs)
    assert len(held) == len(txs)
    assert all(same(a, b) for a, b in zip(held, txs, strict=True))
    assert all(same(held[i], txs[i]) for i in range(-len(txs), len(txs)))
    assert held == tuple(txs) and held == txs and tuple(txs) == held
    assert held[1:3] == tuple(txs[1:3])
    assert all(got is not tx for got, tx in zip(held, txs, strict=True))  # equal, not the same
    compact = PurchasesBuilder(compact_ids=True)
    for tx in txs:
        compact.add_transaction(tx)
    assert [t.id for t in compact.build()] == [t.id for t in txs]
    assert compact.build() == held
    assert compact.build().first_of_each_id() == held.first_of_each_id()
    assert hash(held) == hash(tuple(txs))


@settings(max_examples=100, deadline=None)
@given(txs=transactions(), cut=st.integers(-400, 400))
def test_first_of_each_id_and_dated_until(txs: list[Transaction], cut: int) -> None:
    held = Purchases.of(txs)
    first: dict[str, Transaction] = {}
    for tx in txs:
        first.setdefault(tx.id, tx)
    assert held.first_of_each_id() == list(first.values())
    last = date(2020, 1, 1) + timedelta(days=cut)
    assert held.dated_until(last) == [t for t in txs if t.date <= last]


def test_index_out_of_range() -> None:
    with pytest.raises(IndexError):
        Purchases.empty()[0]


def test_facts_take_transactions_as_before() -> None:
    tx = Transaction(id="t1", buyer="u1", amount=Decimal("10.50"), date=date(2020, 5, 1))
    facts = Facts(transactions=[tx, {"id": "t2", "buyer": "u1", "amount": "1", "date": "2020-5-2"}])
    assert isinstance(facts.transactions, Purchases)
    assert facts.transactions[0] == tx and str(facts.transactions[0].amount) == "10.50"
    assert facts.transactions[1].date == date(2020, 5, 2)
    assert facts == Facts(transactions=tuple(facts.transactions))
    assert facts.with_(transactions=[tx]).transactions == (tx,)
    assert Facts().transactions == () and not Facts().transactions
    dumped = facts.model_dump()["transactions"]
    assert dumped[0] == tx.model_dump()
    assert Facts.model_validate(facts.model_dump()) == facts
    assert Facts.model_validate_json(facts.model_dump_json()) == facts


def test_a_model_made_without_validation_keeps_its_exact_values() -> None:
    """A model_copy may carry a quantity finer than the thousandth or an amount finer than
    the fen (no valid purchase has one): kept exactly, never rounded."""
    tx = Transaction(id="t1", buyer="u1", amount=Decimal("3"), date=date(2020, 5, 1))
    odd = tx.model_copy(update={"quantity": Decimal("1") / 3, "amount": Decimal("0.125")})
    held = Purchases.of([tx, odd])
    assert same(held[1], odd) and same(held[0], tx)
    big = tx.model_copy(update={"amount": Decimal(10) ** 20})
    assert same(Purchases.of([big, tx])[0], big)


def test_the_index_groups_models_by_buyer_when_asked() -> None:
    a = Transaction(id="t1", buyer="u1", amount=Decimal(1), date=date(2020, 5, 1))
    b = a.model_copy(update={"id": "t2", "buyer": "u2"})
    again = a.model_copy(update={"amount": Decimal(5)})  # the same id again: the first counts
    index = FactIndex(Facts(transactions=[a, b, again]))
    assert index.purchases == [a, b]
    assert index.transactions_by_buyer == {"u1": [a], "u2": [b]}


def test_masking_facts_masks_their_purchases() -> None:
    from xfrules.pii import masked

    tx = Transaction(
        id="t1", buyer="u1", seller="农户 13912345678", amount=Decimal(1), date=date(2020, 5, 1)
    )
    shown = masked(Facts(transactions=[tx]))
    assert "13912345678" not in shown.transactions[0].seller
    assert shown.transactions[0].seller.startswith("农户 139")
    plain = Facts(transactions=[tx.model_copy(update={"seller": "农户"})])
    assert masked(plain) is plain
