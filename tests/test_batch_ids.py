"""Transaction ids on the DuckDB backend count each purchase as the importer does.

The backend counts ids by a hash first and compares exactly only the rows whose id hash is
repeated (``xfrules.batch.ids``); these tests swap in hashes that collide on purpose, so that
the exact comparison is what they exercise, not the hash's odds, and run both ways of
comparing: holding the rows of a repeated hash, and grouping every row by id (``HELD_MAX``
0), which a ledger with many repeated ids takes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_batch_differential import (
    FACTS,
    HEADERS,
    OBLIGATIONS,
    REGION_SETS,
    SETTINGS,
    _check,
    _write,
    as_ofs,
    files,
)

from xfrules.batch import evaluate_ledgers, ids
from xfrules.ledger.evaluate import evaluate_ledgers_in_memory
from xfrules.rulebook import prepare

# The real hash; one under which every id collides; one under which ids of a length collide.
HASHES = ["hash({})", "0", "length({})"]
HELD = [ids.HELD_MAX, 0]  # rows of repeated hashes held; every row grouped by id


@pytest.fixture(params=HASHES)
def id_hash(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(ids, "ID_HASH", request.param)
    return str(request.param)


@pytest.fixture(params=HELD)
def held_max(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(ids, "HELD_MAX", request.param)
    return int(request.param)


@SETTINGS
@given(
    files=files,
    as_of=as_ofs,
    tids=st.lists(
        st.one_of(
            # Repeated ids (" T1" reads as T1), and ids that are most likely unique.
            st.sampled_from(["T1", "T2", "T3", "", "T4", " T1"]),
            st.integers(0, 10**6).map(lambda n: f"U{n}"),
        ),
        min_size=80,
        max_size=80,
    ),
    id_hash=st.sampled_from(HASHES),
    held_max=st.sampled_from(HELD),
)
def test_batch_equals_memory_with_transaction_ids(
    tmp_path_factory: pytest.TempPathFactory,
    files: Any,
    as_of: date,
    tids: list[str],
    id_hash: str,
    held_max: int,
) -> None:
    # 交易编号 repeats: identical repeats count once, disagreeing repeats are all rejected.
    k = 0
    with_ids = []
    for fmt, recs in files:
        out = []
        for r in recs:
            out.append({**r, "交易编号": tids[k % len(tids)]})
            k += 1
        # Exact duplicates of the first row, to exercise the identical-repeat rule.
        if out:
            out.append(dict(out[0]))
        with_ids.append((fmt, out))
    saved = ids.ID_HASH, ids.HELD_MAX
    ids.ID_HASH, ids.HELD_MAX = id_hash, held_max
    try:
        _check(tmp_path_factory.mktemp("ledgers"), with_ids, as_of, ["交易编号", *HEADERS])
    finally:
        ids.ID_HASH, ids.HELD_MAX = saved


def _row(tid: str, amount: str, origin: str = "520621", buyer: str = "b1") -> dict[str, str]:
    return {
        "交易编号": tid,
        "买方": buyer,
        "金额（元）": amount,
        "交易时间": "2020-05-01",
        "产地": origin,
        "类别": "agricultural",
    }


# Under the colliding hashes, A and B (each once, same content) share a hash with C and D:
# were rows grouped by hash, all four ids would be one group that disagrees.
LEDGER = [
    _row("A", "100"),
    _row("B", "100"),  # another purchase with the same content: counts
    _row("C", "10", "610124"),
    _row(" C", "10", "610124", buyer="甲局"),  # the same purchase again (id, buyer as named)
    _row("D", "1"),
    _row("D", "2"),  # D's rows disagree: both rejected
    _row("E", "1万元", "653001"),
    _row("E", "bad"),  # a row failing its checks takes no part in comparing E's rows
    _row("F", "7", buyer="nobody"),  # unknown buyer: rejected, and does not stop F below
    _row("F", "7"),
    _row("", "5"),
    _row("", "5"),  # rows without an id are purchases each
]


def _evaluate(tmp_path: Path, fmt: str) -> Any:
    path = _write(tmp_path / f"ids-{fmt}", fmt, ["交易编号", *HEADERS], LEDGER)
    rules = prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS)
    return path, evaluate_ledgers(rules, [path], date(2020, 12, 31))


def _paired_total(result: Any) -> Decimal:
    (finding,) = [
        f
        for f in result.evaluation.findings
        if f.unit_id == "d1" and f.obligation_id == "test.district_total"
    ]
    return Decimal(finding.measured)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_colliding_ids_are_compared_exactly(
    tmp_path: Path, fmt: str, id_hash: str, held_max: int
) -> None:
    path, batch = _evaluate(tmp_path, fmt)
    # A, B, C once, E's valid row, F's known buyer's row, two rows without an id.
    assert (batch.rows_read, batch.accepted) == (12, 7)
    # Paired agricultural purchases of 甲区: A, B, C, E (10000), F and both rows without id.
    assert _paired_total(batch) == Decimal("100") * 2 + 10 + 10000 + 7 + 5 * 2
    memory, imported = evaluate_ledgers_in_memory(
        prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS),
        [path],
        date(2020, 12, 31),
    )
    assert imported.accepted == batch.accepted
    assert batch.evaluation.to_record() == memory.to_record()


def test_unique_ids_sum_as_a_ledger_without_them(tmp_path: Path, id_hash: str) -> None:
    # No id hash repeats under the real hash: the ledger is summed as one without ids.
    rows = [_row(f"T{i}", str(i + 1), origin) for i, origin in enumerate(["520621", "610124"])]
    rules = prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS)
    with_ids = _write(tmp_path / "with", "csv", ["交易编号", *HEADERS], rows)
    without = _write(tmp_path / "without", "csv", HEADERS, rows)
    a = evaluate_ledgers(rules, [with_ids], date(2020, 12, 31))
    b = evaluate_ledgers(rules, [without], date(2020, 12, 31))
    assert (a.rows_read, a.accepted) == (b.rows_read, b.accepted) == (2, 2)
    assert _paired_total(a) == Decimal(3)
    assert a.evaluation.to_record() == b.evaluation.to_record()
