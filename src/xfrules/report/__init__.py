"""Reports for people: self-contained HTML (inline SVG charts, a small inline script to sort,
filter and search) and XLSX, written through the output registry (:mod:`xfrules.output`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..entities import Unit
from ..findings import Evaluation
from .model import LedgerRows, RejectedRow, ReportData, build_report_data

__all__ = ["LedgerRows", "RejectedRow", "ReportData", "build_report_data", "write_report"]


def write_report(
    evaluation: Evaluation,
    units: list[Unit],
    out: str | Path,
    *,
    title: str | None = None,
    ledger_rows: LedgerRows | None = None,
    region_names: Mapping[str, str] | None = None,
) -> None:
    """Write ``out`` in the format its suffix names (.html, .xlsx, .csv, .json).

    ``ledger_rows``: the rows read, accepted and rejected when the findings come from ledgers;
    the report shows them next to the findings. ``region_names``: region code -> name, to
    name the districts units belong to by their region code.
    """
    from ..output import write_output
    from ..output.evaluation import EvaluationOutput

    output = EvaluationOutput(
        evaluation,
        units=units,
        names=dict(region_names or {}),
        title=title,
        ledger_rows=ledger_rows,
    )
    write_output(output, out=str(out))
