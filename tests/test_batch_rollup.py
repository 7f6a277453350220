"""The roll-up of per-buyer sums to units and subtrees (xfrules.batch.rollup), on its own.

The differential tests compare whole evaluations with the memory backend; these pin the
cases the roll-up decides alone: a unit named by its id and its name, buyers that are no
unit, NULL sums, subtrees several levels deep, and exactness past the default context."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xfrules.batch.rollup import roll_up

# p ─ c1 ─ a, b ;  p ─ c2 ─ d ;  e (no parent)
KEYS = {"p": "p", "c1": "c1", "c2": "c2", "a": "a", "b": "b", "d": "d", "e": "e", "甲": "a"}
BELOW = {"p": ["c1", "c2", "a", "b", "d"], "c1": ["a", "b"], "c2": ["d"]}


def test_one_buyer_per_unit() -> None:
    rows = [
        ("a", 3, 3, 1, "10.50", 3),  # counts come as integers
        ("b", 2, 2, 0, None, 2),
        ("d", 1, 1, 0, "0.25", 1),
        ("c1", 1, 1, 0, "1.00", 1),
    ]
    counts, [(own, tree), (own_n, tree_n)] = roll_up(rows, 2, KEYS, BELOW)
    assert counts == (7, 7, 1)
    assert dict(own) == {"a": Decimal("10.50"), "d": Decimal("0.25"), "c1": Decimal("1.00")}
    assert "b" not in own and own.get("b") is None and own.get("b", Decimal(0)) == 0
    assert tree.get("c1") == Decimal("11.50")
    assert tree.get("c2") == Decimal("0.25")
    assert tree.get("p") == Decimal("11.75")
    assert tree.get("a") == Decimal("10.50") and tree.get("b") is None
    assert str(tree["p"]) == "11.75"  # the scale of DuckDB's DECIMAL sums is kept
    assert dict(tree) == {
        "a": Decimal("10.50"),
        "d": Decimal("0.25"),
        "c1": Decimal("11.50"),
        "c2": Decimal("0.25"),
        "p": Decimal("11.75"),
    }
    assert tree_n.get("p") == 7 and own_n.get("b") == 2
    assert type(own_n.get("b")) is Decimal and type(tree_n.get("p")) is Decimal
    with pytest.raises(KeyError):
        tree["e"]


def test_a_unit_named_by_id_and_name_and_buyers_that_are_no_unit() -> None:
    rows = [
        ("a", 2, 2, 0, "1.10"),
        ("甲", 1, 1, 1, "2.20"),  # the same unit a, by its name
        ("nobody", 5, None, None, "100.00"),  # read, not accepted, not summed
        (None, 4, None, None, None),  # the buyer cell did not read
        ("b", 1, 1, 0, None),
    ]
    counts, [(own, tree)] = roll_up(rows, 1, KEYS, BELOW)
    assert counts == (13, 4, 1)
    assert dict(own) == {"a": Decimal("3.30")}
    assert tree.get("c1") == Decimal("3.30") and tree.get("p") == Decimal("3.30")
    assert tree.get("c2") is None and "c2" not in tree


def test_subtree_with_no_values_has_none() -> None:
    counts, [(own, tree)] = roll_up([("e", 1, 1, 0, "5")], 1, KEYS, BELOW)
    assert dict(own) == {"e": Decimal(5)}
    assert counts == (1, 1, 0)
    assert tree.get("p") is None and tree.get("p", Decimal(0)) == 0
    assert dict(tree) == {"e": Decimal(5)} and len(tree) == 1


def test_sums_are_exact_past_the_default_precision() -> None:
    big = "9" * 36 + ".99"  # DECIMAL(38,2) holds it; 28 digits would round it
    rows = [("a", 1, 1, 0, big), ("甲", 1, 1, 0, "0.03"), ("d", 1, 1, 0, big)]
    _, [(own, tree)] = roll_up(rows, 1, KEYS, BELOW)
    assert str(own["a"]) == "1" + "0" * 35 + "0.02"
    assert str(tree["p"]) == "2" + "0" * 35 + "0.01"


def test_no_rows() -> None:
    counts, [(own, tree)] = roll_up([], 1, KEYS, BELOW)
    assert counts == (0, 0, 0) and not own and not dict(tree)
