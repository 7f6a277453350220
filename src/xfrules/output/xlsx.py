"""Sheets as an Excel workbook people can work with: one worksheet per view, people's
headers in bold, the header row frozen, an autofilter over every column, widths from the
content, figures as numbers with number formats (元 with two decimals, ratios as %), dates as
dates, codes as their labels, every text cell masked and never a formula."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import IO, Any

from ..render import display_width
from ..spreadsheet import xlsx_cell, xlsx_number
from .sheets import Column, Sheet, human_value

__all__ = ["MONEY_FORMAT", "RATIO_FORMAT", "write_sheets"]

MONEY_FORMAT = "#,##0.00"
RATIO_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
_MAX_WIDTH = {"long_text": 60}
_WIDEST = 40


def _format(unit: str | None, value: Decimal | int) -> str | None:
    if unit == "元":
        return MONEY_FORMAT
    if unit == "ratio":
        return RATIO_FORMAT
    if isinstance(value, int) or value == value.to_integral():
        return COUNT_FORMAT
    return None


def _cell(ws: Any, sheet: Sheet, column: Column, row: Sequence[object], value: object) -> Any:
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import Alignment  # type: ignore[import-untyped,unused-ignore]

    value = human_value(column, value)
    if value is None:
        return WriteOnlyCell(ws, value=None)
    if isinstance(value, bool):
        return xlsx_cell(ws, str(value))
    if isinstance(value, int | Decimal):
        unit = sheet.unit_of(row, column)
        return xlsx_number(ws, value, _format(unit, value), exact=unit != "ratio")
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    cell = xlsx_cell(ws, value)
    if column.kind == "long_text":
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _width(column: Column, sheet: Sheet, index: int) -> float:
    if column.width is not None:
        return column.width
    widest = display_width(column.header)
    for row in sheet.rows[:2000]:  # enough to size a column; the rest follow its fashion
        value = human_value(column, row[index])
        text = "" if value is None else str(value)
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            text = f"{value:,.2f}"
        widest = max(widest, display_width(text))
    return min(widest + 2, _MAX_WIDTH.get(column.kind, _WIDEST))


def write_sheets(sheets: Sequence[Sheet], stream: IO[bytes]) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        # Excel refuses sheet names over 31 characters or with []:*?/\
        title = "".join(ch for ch in sheet.name if ch not in "[]:*?/\\")[:31]
        ws = wb.create_sheet(title)
        for i, column in enumerate(sheet.columns):
            ws.column_dimensions[get_column_letter(i + 1)].width = _width(column, sheet, i)
        ws.freeze_panes = "A2"
        last = get_column_letter(max(len(sheet.columns), 1))
        ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
        header = [xlsx_cell(ws, c.header) for c in sheet.columns]
        for c in header:
            c.font = bold
        ws.append(header)
        for row in sheet.rows:
            ws.append(
                [_cell(ws, sheet, c, row, v) for c, v in zip(sheet.columns, row, strict=True)]
            )
    wb.save(stream)
