"""Per-unit purchase totals computed once (``PurchaseTotals``) equal ``measure_value`` asked unit
by unit, for every aggregate, scope, filter, window and coverage set — Decimal places included."""

from __future__ import annotations

import pickle
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xfrules.entities import Transaction, Unit
from xfrules.facts import FactIndex, Facts
from xfrules.kinds.base import TransactionMeasure
from xfrules.kinds.judging import measure_value, staged_tally
from xfrules.periods import Window
from xfrules.totals import PurchaseTotals

SETS = {
    ("j", "counties"): frozenset({"520621", "610124"}),
    ("j", "wide"): frozenset({"520600", "650000"}),
    ("j", "empty"): frozenset(),
}
ORIGINS = ["520621", "520621100200", "520623", "610124", "652201", "110101", None]
UNIT_IDS = [f"u{i}" for i in range(6)]


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    units = []
    for i, uid in enumerate(UNIT_IDS):
        # parents among earlier units, sometimes none; u0 may point at u5 (a cycle)
        parent = draw(st.sampled_from([None, *UNIT_IDS[:i]] if i else [None, "u5"]))
        units.append(Unit(id=uid, name=uid, kind="k", jurisdiction="j", parent=parent))
    txs = [
        Transaction(
            id=f"t{i}",
            buyer=draw(st.sampled_from(UNIT_IDS)),
            amount=draw(
                st.sampled_from([Decimal("0.00"), Decimal("1"), Decimal("2.50"), Decimal("10.05")])
            ),
            quantity=draw(st.sampled_from([Decimal(0), Decimal("1.5"), Decimal(3)])),
            date=date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 400))),
            origin_region=draw(st.sampled_from(ORIGINS)),
            category=draw(st.sampled_from([None, "agricultural", "other"])),
            channel=draw(st.sampled_from([None, "canteen"])),
            seller_kind=draw(st.sampled_from([None, "household"])),
        )
        for i in range(draw(st.integers(0, 12)))
    ]
    return Facts(units=tuple(units), transactions=tuple(txs))


measures = st.builds(
    TransactionMeasure,
    origin_sets=st.sampled_from([(), ("counties",), ("wide",), ("counties", "empty"), ("empty",)]),
    categories=st.sampled_from([(), ("agricultural",)]),
    channels=st.sampled_from([(), ("canteen",)]),
    seller_kinds=st.sampled_from([(), ("household",)]),
    aggregate=st.sampled_from(["amount", "quantity", "count", "distinct_origins"]),
    scope=st.sampled_from(["unit", "subtree"]),
)


@settings(max_examples=300, deadline=None)
@given(
    f=facts(),
    measure=measures,
    start=st.integers(0, 200),
    length=st.integers(0, 300),
    only_in=st.sampled_from([None, SETS["j", "counties"], SETS["j", "wide"]]),
)
def test_totals_equal_measure_value_unit_by_unit(
    f: Facts, measure: TransactionMeasure, start: int, length: int, only_in: frozenset[str] | None
) -> None:
    index = FactIndex(f)
    totals = PurchaseTotals(index, SETS)
    first = date(2020, 1, 1) + timedelta(days=start)
    last = first + timedelta(days=length)
    for uid in UNIT_IDS:
        expected = measure_value(measure, "j", uid, index, first, last, SETS, only_in=only_in)
        got = totals(measure, "j", uid, first, last, only_in)
        assert (got, str(got)) == (expected, str(expected)), (uid, measure)


@settings(max_examples=300, deadline=None)
@given(
    f=facts(),
    measure=measures.filter(lambda m: m.aggregate != "distinct_origins"),
    start=st.integers(0, 200),
    length=st.integers(0, 300),
    cut=st.integers(0, 300),
)
def test_tally_equals_the_stages_measured_unit_by_unit(
    f: Facts, measure: TransactionMeasure, start: int, length: int, cut: int
) -> None:
    """The accounting's tally in one go (``PurchaseTotals.tally``) is what its stages give,
    each measured unit by unit: counted, and each reason a purchase was not counted."""
    index = FactIndex(f)
    totals = PurchaseTotals(index, SETS)
    first = date(2020, 1, 1) + timedelta(days=start)
    window = Window(first, first + timedelta(days=length), first + timedelta(days=length))
    last = max(first, window.end - timedelta(days=cut))  # the as-of date may cut the window

    def by_unit(
        m: TransactionMeasure, j: str, uid: str, s: date, e: date, only: frozenset[str] | None
    ) -> Decimal:
        return measure_value(m, j, uid, index, s, e, SETS, only_in=only)

    for uid in UNIT_IDS:
        expected = staged_tally(by_unit, measure, "j", uid, window, last)
        assert totals.tally(measure, "j", uid, window, last) == expected, (uid, measure)
        # Tallied when read (what the evaluator keeps): the same, read or compared first.
        later = totals.tally_later(measure, "j", uid, window, last)
        assert later == expected and dict(later) == expected, (uid, measure)
        again = totals.tally_later(measure, "j", uid, window, last)
        assert pickle.loads(pickle.dumps(again)) == expected
        # Purchases dated after ``last`` are in no bucket: none is ever negative.
        assert all(n >= 0 and total >= 0 for n, total in expected.values()), expected
