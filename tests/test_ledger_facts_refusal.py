"""With ledgers, a facts file must not list transactions too: they would count twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xfrules import InputError, parse_facts
from xfrules.batch import evaluate_ledgers
from xfrules.ledger.evaluate import evaluate_ledgers_in_memory

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

LEDGER = Path(__file__).parent / "data" / "ledgers" / "datonghu_gbk.csv"
FACTS = parse_facts(
    {
        "units": [{"id": "u1", "name": "单位", "kind": "union", "jurisdiction": "datonghu"}],
        "transactions": [{"id": "t1", "buyer": "u1", "amount": "1", "date": "2020-05-01"}],
    }
)


@pytest.mark.parametrize("backend", [evaluate_ledgers, evaluate_ledgers_in_memory])
def test_facts_with_transactions_are_refused(backend: Callable[..., Any]) -> None:
    with pytest.raises(InputError) as info:
        backend(FACTS, [LEDGER], date(2020, 12, 31), obligations=[], region_sets={})
    (problem,) = info.value.problems
    assert (problem.record, problem.field) == ("transactions", "") and "ledger" in problem.message
