"""Output for people (aligned tables that respect CJK width) and programs (JSON, CSV)."""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

__all__ = ["display_width", "dump_json", "render_table", "wrap_text", "write_csv"]


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _truncate(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _cell(value: Any) -> str:
    if isinstance(value, str):
        # Quotes keep the document's line breaks; a table cell shows them as one space.
        return " ".join(value.split())
    return _plain(value)


def _plain(value: Any) -> str:
    """Text of a value for a table: exact, strings untouched (quotes stay verbatim)."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def wrap_text(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns: broken at a space where a
    line of Latin text allows it, anywhere in Chinese (which has no spaces to break at)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used, space_at = "", 0, -1
        for ch in paragraph:
            w = display_width(ch)
            if used + w > width and line:
                if ch != " " and space_at > 0:
                    lines.append(line[:space_at].rstrip())
                    line = line[space_at + 1 :]
                else:
                    lines.append(line.rstrip())
                    line = ""
                line = line.lstrip(" ")
                used, space_at = display_width(line), -1
                if ch == " " and not line:
                    continue
            if ch == " ":
                space_at = len(line)
            line += ch
            used += w
        lines.append(line.rstrip())
    return lines or [""]


def render_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    max_width: dict[int, int] | None = None,
    wrap: dict[int, int] | None = None,
) -> str:
    """A plain aligned table; columns listed in ``max_width`` are truncated with an ellipsis,
    those in ``wrap`` are wrapped onto more lines at that width (nothing is cut)."""
    limits = max_width or {}
    wraps = wrap or {}
    cells = [[_cell(c) for c in row] for row in rows]
    cells = [
        [_truncate(c, limits[i]) if i in limits else c for i, c in enumerate(row)] for row in cells
    ]
    # Each row as one or more lines of cells.
    blocks = []
    for row in cells:
        split = [wrap_text(c, wraps[i]) if i in wraps else [c] for i, c in enumerate(row)]
        height = max((len(p) for p in split), default=1)
        blocks.append([[p[k] if k < len(p) else "" for p in split] for k in range(height)])
    widths = [display_width(h) for h in headers]
    for block in blocks:
        for line_cells in block:
            for i, c in enumerate(line_cells):
                widths[i] = max(widths[i], display_width(c))

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v + " " * (widths[i] - display_width(v)) for i, v in enumerate(values)
        ).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    for block in blocks:
        out.extend(line(lc) for lc in block)
    return "\n".join(out)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dump_json(data: Any, stream: TextIO) -> None:
    """JSON with Decimal as strings (exact), UTF-8 characters kept readable."""
    json.dump(data, stream, ensure_ascii=False, indent=2, default=_default)
    stream.write("\n")


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]], stream: TextIO) -> None:
    """CSV for programs and spreadsheets: cells by :func:`xfrules.spreadsheet.csv_cell`
    (numbers as they are; text masked, and never a formula)."""
    from .spreadsheet import CsvWriter

    writer = CsvWriter(stream)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)


def to_csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    write_csv(headers, rows, buf)
    return buf.getvalue()
