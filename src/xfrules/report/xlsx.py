"""The XLSX report (openpyxl, streamed): summary, roll-ups and every finding with its quote."""

from __future__ import annotations

from pathlib import Path

from ..findings import Rollup, Status
from ..spreadsheet import xlsx_cell
from .model import ReportData

__all__ = ["write_xlsx"]


def _rollup_rows(rollups: dict[str, Rollup]) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            "group",
            "findings",
            "applicable",
            *(s.value for s in Status),
            "compliance_rate",
            "mandatory_breaches",
            "shortfall",
        ]
    ]
    for key, r in rollups.items():
        rows.append(
            [
                key,
                r.total,
                r.applicable,
                *(r.counts.get(s.value, 0) for s in Status),
                # Text, like every exact number here: a spreadsheet float would round it.
                r.compliance_rate_text,
                r.mandatory_breaches,
                "; ".join(f"{v} {u}" for u, v in sorted(r.shortfall.items())),
            ]
        )
    return rows


def write_xlsx(data: ReportData, path: str | Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]

    from ..commands.evaluate import CSV_COLUMNS, csv_row

    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, rows: list[list[object]]) -> None:
        # Every cell through xlsx_cell: text masked and never a formula, whatever its source.
        ws = wb.create_sheet(title)
        for i, row in enumerate(rows):
            cells = [xlsx_cell(ws, value) for value in row]
            if i == 0:
                for c in cells:
                    c.font = bold
            ws.append(cells)

    ev = data.evaluation
    summary: list[list[object]] = [
        ["item", "value"],
        ["title", data.title],
        ["as_of", ev.as_of.isoformat()],
        ["findings", len(ev.findings)],
        ["applicable", len(data.applicable)],
        *([s, n] for s, n in data.status_counts.items()),
        ["mandatory_breaches", sum(1 for f in ev.findings if f.is_mandatory_breach)],
        ["transactions_after_as_of", ev.transactions_after_as_of],
    ]
    if data.ledger_rows is not None:
        rows = data.ledger_rows
        summary += [
            ["ledger_files", "; ".join(rows.files)],
            ["ledger_rows_read", rows.rows_read],
            ["ledger_rows_accepted", rows.accepted],
            ["ledger_rows_rejected", rows.rejected],
        ]
    sheet("Summary", summary)
    sheet("By jurisdiction", _rollup_rows(data.by_jurisdiction))
    sheet("By department", _rollup_rows(data.by_department))
    sheet("By district", _rollup_rows(data.by_district))
    findings: list[list[object]] = [list(CSV_COLUMNS)]
    for f in ev.findings:
        # Exact numbers as text (xlsx_cell): a spreadsheet float would round money.
        findings.append(csv_row(f))
    sheet("Findings", findings)
    wb.save(str(path))
