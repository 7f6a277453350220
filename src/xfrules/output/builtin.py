"""The formats xfrules ships: table (terminal), json, csv, xlsx, html."""

from __future__ import annotations

from typing import IO, Any, TextIO

from ..render import dump_json
from ..spreadsheet import CsvWriter
from .outputs import HasHtml, Output
from .registry import Renderer, RenderOptions, register_renderer

__all__: list[str] = []


def _is_output(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, Output)


def _has_html(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, HasHtml)


def _table(output: Any, stream: TextIO, options: RenderOptions) -> None:
    stream.write(output.text(options) + "\n")


def _json(output: Any, stream: TextIO, options: RenderOptions) -> None:
    dump_json(output.record(), stream)


def _csv(output: Any, stream: TextIO, options: RenderOptions) -> None:
    """The first sheet with its contract column names and codes: what programs read."""
    csv_sheet = getattr(output, "csv_sheet", None)
    sheet = csv_sheet() if csv_sheet is not None else output.sheets()[0]
    writer = CsvWriter(stream)
    writer.writerow([c.key for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow(row)


def _xlsx(output: Any, stream: IO[bytes], options: RenderOptions) -> None:
    from .xlsx import write_sheets

    write_sheets(output.sheets(), stream)


def _html(output: Any, stream: TextIO, options: RenderOptions) -> None:
    stream.write(output.html(options))


for _renderer in (
    Renderer("table", (".txt",), _table, _is_output, description="an aligned table for people"),
    Renderer("json", (".json",), _json, _is_output, description="the JSON contract"),
    Renderer("csv", (".csv",), _csv, _is_output, description="the CSV contract (Excel: BOM)"),
    Renderer(
        "xlsx",
        (".xlsx",),
        _xlsx,
        _is_output,
        binary=True,
        description="an Excel workbook: a sheet per view",
    ),
    Renderer("html", (".html", ".htm"), _html, _has_html, description="a self-contained page"),
):
    register_renderer(_renderer)
