"""The monitor's running transaction measures equal the evaluator's ``measure_value``.

The monitor feeds the evaluator transaction measures kept as running sums (and sets of
distinct origins); these tests hold them to ``measure_value`` over the same growing index,
for every filter, aggregate, scope (including a parent cycle), window and ``only_in``,
whatever the order the purchases arrive in and whenever a measure is first asked for.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from xfrules.entities import Transaction, Unit
from xfrules.evaluator import measure_value
from xfrules.facts import Facts
from xfrules.monitor import LiveIndex
from xfrules.monitor.measurer import RunningMeasurer
from xfrules.obligations import TransactionMeasure

JUR = "mon"
REGION_SETS = {
    (JUR, "paired"): frozenset({"522601", "522602"}),
    (JUR, "province"): frozenset({"320000"}),
}
UNITS = (
    Unit(id="city", name="市", kind="city", jurisdiction=JUR),
    Unit(id="b1", name="一局", kind="budget_unit", jurisdiction=JUR, parent="city"),
    Unit(id="b2", name="二局", kind="budget_unit", jurisdiction=JUR, parent="city"),
    Unit(id="b3", name="三局", kind="budget_unit", jurisdiction=JUR, parent="b1"),
    Unit(id="c1", name="甲", kind="budget_unit", jurisdiction=JUR, parent="c2"),  # a cycle
    Unit(id="c2", name="乙", kind="budget_unit", jurisdiction=JUR, parent="c1"),
    Unit(id="x1", name="外地", kind="budget_unit", jurisdiction=JUR, parent="elsewhere"),
)
UNIT_IDS = [u.id for u in UNITS]
# Villages and counties (code[:6] match), a prefecture, another province, none and empty.
ORIGINS = [None, "", "522601", "522602", "522601100200", "522600", "320500", "110101"]
DAY0 = date(2020, 1, 1)

measures = st.builds(
    TransactionMeasure,
    origin_sets=st.sampled_from([(), ("paired",), ("province",), ("paired", "province"),
                                 ("no_such_set",)]),
    categories=st.sampled_from([(), ("agricultural",), ("agricultural", "other")]),
    channels=st.sampled_from([(), ("union",)]),
    seller_kinds=st.sampled_from([(), ("household", "农户")]),
    aggregate=st.sampled_from(["amount", "quantity", "count", "distinct_origins"]),
    scope=st.sampled_from(["unit", "subtree"]),
)  # fmt: skip
purchases = st.builds(
    lambda buyer, cents, qty, day, origin, category, channel, seller_kind: {
        "buyer": buyer,
        "amount": Decimal(cents).scaleb(-2),
        "quantity": Decimal(qty),
        "date": DAY0 + timedelta(days=day),
        "origin_region": origin,
        "category": category,
        "channel": channel,
        "seller_kind": seller_kind,
    },
    st.sampled_from(UNIT_IDS),
    st.integers(0, 10**9),
    st.integers(0, 50),
    st.integers(0, 730),
    st.sampled_from(ORIGINS),
    st.sampled_from([None, "agricultural", "other"]),
    st.sampled_from([None, "union"]),
    st.sampled_from([None, "household", "农户", "company"]),
)
windows = st.tuples(st.integers(-10, 730), st.integers(0, 400)).map(
    lambda t: (DAY0 + timedelta(days=t[0]), DAY0 + timedelta(days=t[0] + t[1]))
)
questions = st.tuples(
    st.integers(0, 3),  # which measure
    st.sampled_from(UNIT_IDS),
    windows,
    st.sampled_from([None, frozenset({"522601"}), frozenset({"320500", "522602"})]),
)


def _exactly(a: Decimal, b: Decimal) -> bool:
    """Equal in value and in representation (a sum of 0.00 is "0.00", not "0")."""
    return a == b and str(a) == str(b)


@settings(max_examples=300, deadline=None)
@given(
    ms=st.lists(measures, min_size=4, max_size=4),
    initial=st.lists(purchases, max_size=15),
    steps=st.lists(st.one_of(purchases, questions), min_size=5, max_size=60),
)
def test_running_measures_equal_measure_value(
    ms: list[TransactionMeasure], initial: list[dict[str, Any]], steps: list[Any]
) -> None:
    """Purchases before the monitor starts and after, questions asked at any point:
    every answer equals ``measure_value`` over the index as it is at that moment."""
    ids = iter(range(10**6))
    facts = Facts(
        units=UNITS,
        transactions=tuple(Transaction(id=f"t{next(ids)}", **p) for p in initial),
    )
    index = LiveIndex(facts)
    measurer = RunningMeasurer(index, REGION_SETS)
    asked: list[tuple[Any, ...]] = []

    def check(i: int, unit: str, window: tuple[date, date], only_in: Any) -> None:
        got = measurer(ms[i], JUR, unit, window[0], window[1], only_in)
        want = measure_value(
            ms[i], JUR, unit, index, window[0], window[1], REGION_SETS, only_in=only_in
        )
        assert _exactly(got, want), (ms[i], unit, window, only_in, got, want)

    for step in steps:
        if isinstance(step, dict):
            tx = Transaction(id=f"t{next(ids)}", **step)
            index.add_transaction(tx)
            measurer.add(tx)
        else:
            asked.append(step)
            check(*step)
        for question in asked:  # every question asked so far is still answered right
            check(*question)


@settings(max_examples=100, deadline=None)
@given(
    m=measures,
    txs=st.lists(purchases, min_size=1, max_size=25),
    unit=st.sampled_from(UNIT_IDS),
    window=windows,
    data=st.data(),
)
def test_running_measures_do_not_depend_on_arrival_order(
    m: TransactionMeasure,
    txs: list[dict[str, Any]],
    unit: str,
    window: tuple[date, date],
    data: st.DataObject,
) -> None:
    facts = [Transaction(id=f"t{i}", **p) for i, p in enumerate(txs)]
    shuffled = data.draw(st.permutations(facts))
    answers = []
    for order in (facts, shuffled):
        index = LiveIndex(Facts(units=UNITS))
        measurer = RunningMeasurer(index, REGION_SETS)
        measurer(m, JUR, unit, window[0], window[1], None)  # asked before any purchase
        for tx in order:
            index.add_transaction(tx)
            measurer.add(tx)
        answers.append(measurer(m, JUR, unit, window[0], window[1], None))
    assert answers[0] == answers[1]
    whole = LiveIndex(Facts(units=UNITS, transactions=tuple(facts)))
    assert answers[0] == measure_value(m, JUR, unit, whole, window[0], window[1], REGION_SETS)


def test_a_purchase_reports_which_measures_it_changed() -> None:
    """What the monitor re-evaluates on: a purchase changes a sum it passes (even by 0.00),
    a distinct-origin count only with a new origin, and nothing outside scope or window."""
    index = LiveIndex(Facts(units=UNITS))
    measurer = RunningMeasurer(index, REGION_SETS)
    paired = TransactionMeasure(origin_sets=("paired",))
    origins = TransactionMeasure(aggregate="distinct_origins", scope="unit")
    year = (date(2020, 1, 1), date(2020, 12, 31))
    measurer(paired, JUR, "city", *year, None)
    measurer(paired, JUR, "b2", *year, None)
    measurer(origins, JUR, "b3", *year, None)
    city, b2 = (measurer._entries[(paired, JUR, u, *year, None)] for u in ("city", "b2"))
    b3 = measurer._entries[(origins, JUR, "b3", *year, None)]

    def add(n: int, buyer: str, origin: str | None, amount: str, day: date) -> set[int]:
        tx = Transaction(id=f"p{n}", buyer=buyer, amount=amount, date=day, origin_region=origin)
        index.add_transaction(tx)
        return {id(e) for e in measurer.add(tx)}

    assert add(1, "b3", "522601100200", "5", date(2020, 3, 1)) == {id(city), id(b3)}
    assert add(2, "b3", "522601100200", "0.00", date(2020, 3, 2)) == {id(city)}  # same origin
    assert add(3, "b3", "320500", "7", date(2020, 3, 3)) == {id(b3)}  # not paired; new origin
    assert add(4, "b2", "522602", "1", date(2021, 1, 1)) == set()  # outside the window
    assert add(5, "b2", "522602", "1", date(2020, 12, 31)) == {id(city), id(b2)}
    assert (city.value, b2.value, b3.value) == (Decimal("6.00"), Decimal(1), Decimal(2))


def test_each_filter_field_is_judged_per_purchase() -> None:
    """Purchases that differ in one filtered field only: each is judged on its own value."""
    variants = {
        "origin_region": ("522601", "320500"),
        "category": ("agricultural", "other"),
        "channel": ("union", None),
        "seller_kind": ("household", "company"),
    }
    measure = TransactionMeasure(
        origin_sets=("paired",),
        categories=("agricultural",),
        channels=("union",),
        seller_kinds=("household",),
        aggregate="count",
    )
    base = {"origin_region": "522601", "category": "agricultural", "channel": "union",
            "seller_kind": "household"}  # fmt: skip
    for field, (good, bad) in variants.items():
        index = LiveIndex(Facts(units=UNITS))
        measurer = RunningMeasurer(index, REGION_SETS)
        for n, value in enumerate((good, bad, bad, good)):
            tx = Transaction(id=f"{field}{n}", buyer="b1", amount="1", date=DAY0,
                             **{**base, field: value})  # fmt: skip
            index.add_transaction(tx)
            measurer.add(tx)
        assert measurer(measure, JUR, "b1", DAY0, DAY0, None) == 2, field


def test_the_memoised_fields_are_all_the_filters_read() -> None:
    """Verdicts are memoised by origin, category, channel and seller kind: a new filter on
    TransactionMeasure must be added to ``_filtered_fields`` (this fails until it is)."""
    assert set(TransactionMeasure.model_fields) == {
        "source", "origin_sets", "categories", "channels", "seller_kinds", "aggregate", "scope",
    }  # fmt: skip


def test_equal_measures_share_their_running_total() -> None:
    """Entries are keyed by the measure's value, not its identity: two obligations reading
    the same purchases share one total, and no object is kept alive to hold an id."""
    index = LiveIndex(Facts(units=UNITS))
    measurer = RunningMeasurer(index, REGION_SETS)
    year = (date(2020, 1, 1), date(2020, 12, 31))
    one = TransactionMeasure(origin_sets=("paired",))
    measurer(one, JUR, "b2", *year, None)
    measurer(one.model_copy(), JUR, "b2", *year, None)
    assert measurer.entries() == 1
    measurer(TransactionMeasure(origin_sets=("paired",), aggregate="count"), JUR, "b2", *year, None)
    assert measurer.entries() == 2


@settings(max_examples=200, deadline=None)
@given(
    m=measures.filter(lambda m: m.aggregate != "distinct_origins"),
    initial=st.lists(purchases, max_size=15),
    later=st.lists(purchases, max_size=15),
    unit=st.sampled_from(UNIT_IDS),
    window=windows,
    last_day=st.integers(0, 730),
)
def test_the_running_tally_equals_the_staged_one(
    m: TransactionMeasure,
    initial: list[dict[str, Any]],
    later: list[dict[str, Any]],
    unit: str,
    window: tuple[date, date],
    last_day: int,
) -> None:
    """The accounting of a miss kept as one running tally equals the one asked of the
    running sums stage by stage, as purchases arrive; and a purchase dated after the tally's
    last day still has its readers asked again (the clock has moved past that day)."""
    from xfrules.kinds.judging import staged_tally
    from xfrules.periods import Window

    last = DAY0 + timedelta(days=last_day)
    w = Window(window[0], window[1], window[1])
    ids = iter(range(10**6))

    def dated(p: dict[str, Any]) -> dict[str, Any]:  # the index holds nothing after the clock
        return {**p, "date": min(p["date"], last)}

    facts = Facts(
        units=UNITS,
        transactions=tuple(Transaction(id=f"t{next(ids)}", **dated(p)) for p in initial),
    )
    index = LiveIndex(facts)
    measurer = RunningMeasurer(index, REGION_SETS)
    staged = RunningMeasurer(index, REGION_SETS)
    assert measurer.tally(m, JUR, unit, w, last) == staged_tally(staged, m, JUR, unit, w, last)
    scope = index.scope(unit, m.scope == "subtree")
    for p in later:
        tx = Transaction(id=f"t{next(ids)}", **dated(p))
        index.add_transaction(tx)
        changed = measurer.add(tx)
        staged.add(tx)
        assert measurer.tally(m, JUR, unit, w, last) == staged_tally(staged, m, JUR, unit, w, last)
        if tx.buyer in scope:
            assert any(hasattr(e, "buckets") for e in changed)  # its readers are asked again
    # A purchase dated after the tally's last day, in its scope: not counted, but its
    # readers are asked again, at the later clock.
    tx = Transaction(id="after", buyer=unit, amount=Decimal(1), date=last + timedelta(days=1))
    index.add_transaction(tx)
    assert any(hasattr(e, "buckets") for e in measurer.add(tx))
    assert measurer.tally(m, JUR, unit, w, last) == staged_tally(staged, m, JUR, unit, w, last)
