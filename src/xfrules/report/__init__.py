"""Reports for people: self-contained HTML (inline SVG charts) and XLSX."""

from __future__ import annotations

from pathlib import Path

from ..entities import Unit
from ..findings import Evaluation
from .model import ReportData, build_report_data

__all__ = ["ReportData", "build_report_data", "write_report"]


def write_report(
    evaluation: Evaluation, units: list[Unit], out: str | Path, *, title: str = "消费扶贫合规报告"
) -> None:
    """Write ``out`` as HTML (.html/.htm) or XLSX (.xlsx), chosen by its suffix."""
    from ..errors import InputError, Problem

    out = Path(out)
    data = build_report_data(evaluation, units, title=title)
    suffix = out.suffix.lower()
    if suffix in (".html", ".htm"):
        from .html import render_html

        out.write_text(render_html(data), encoding="utf-8")
    elif suffix == ".xlsx":
        from .xlsx import write_xlsx

        write_xlsx(data, out)
    else:
        raise InputError([Problem(str(out), "", "", "report must end in .html or .xlsx")])
