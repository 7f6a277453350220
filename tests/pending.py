"""TRANSITIONAL: the check codes the bundled plug-ins are being re-encoded against (issues 13
and 14), read from ``xfrules_pending_checks`` in pyproject.toml — the one list. Tests of the
bundled plug-ins leave these out of the errors they assert away, and report their counts."""

from __future__ import annotations

import tomllib
import warnings
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from xfrules.check import CheckProblem
from xfrules.testing.suite import PendingCheckWarning

_PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
PENDING: frozenset[str] = frozenset(
    tomllib.loads(_PYPROJECT.read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"][
        "xfrules_pending_checks"
    ]
)


def settled_errors(problems: Iterable[CheckProblem], what: str = "") -> list[CheckProblem]:
    """The errors of ``problems`` outside the pending codes; the pending ones are counted in a
    warning (naming ``what``), so the test report shows them."""
    errors = [p for p in problems if p.severity == "error"]
    pending = Counter(p.code for p in errors if p.code in PENDING)
    if pending:
        counts = ", ".join(f"{code}: {n}" for code, n in sorted(pending.items()))
        warnings.warn(f"{what}: pending check errors ({counts})", PendingCheckWarning, stacklevel=2)
    return [p for p in errors if p.code not in PENDING]
