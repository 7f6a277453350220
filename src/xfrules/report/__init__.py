"""Reports for people: self-contained HTML (inline SVG charts) and XLSX."""

from __future__ import annotations

from pathlib import Path

from ..entities import Unit
from ..findings import Evaluation
from ..pii import masked
from .model import LedgerRows, ReportData, build_report_data

__all__ = ["LedgerRows", "ReportData", "build_report_data", "write_report"]


def write_report(
    evaluation: Evaluation,
    units: list[Unit],
    out: str | Path,
    *,
    title: str = "消费扶贫合规报告",
    ledger_rows: LedgerRows | None = None,
) -> None:
    """Write ``out`` as HTML (.html/.htm) or XLSX (.xlsx), chosen by its suffix.

    ``ledger_rows``: the rows read, accepted and rejected when the findings come from ledgers;
    the report shows them next to the findings.
    """
    from ..errors import InputError, Problem

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".xlsx"):
        raise InputError([Problem(str(out), "", "", "report must end in .html or .xlsx")])
    if not out.parent.is_dir():
        raise InputError([Problem(str(out), "", "", f"no such directory: {out.parent}")])
    # Masked once built (ids join units to findings first): every text the report shows.
    data = masked(build_report_data(evaluation, units, title=title, ledger_rows=ledger_rows))
    if suffix == ".xlsx":
        from .xlsx import write_xlsx

        write_xlsx(data, out)
    else:
        from .html import render_html

        out.write_text(render_html(data), encoding="utf-8")
