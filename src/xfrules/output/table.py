"""An evaluation in a terminal: the honest headline, one line per finding (whole
explanations and quotes, wrapped, with ``-v``), notes, and the roll-up by jurisdiction."""

from __future__ import annotations

import shutil
from decimal import Decimal
from typing import TYPE_CHECKING

from ..findings import Status, percent
from ..i18n import status_label, t
from ..periods import period_label
from ..render import display_width, render_table, wrap_text
from .headline import judged
from .registry import RenderOptions

if TYPE_CHECKING:
    from .evaluation import EvaluationOutput

__all__ = ["evaluation_text", "shown_figure"]

_CUT = {1: 44}  # the obligation id, cut without -v


def shown_figure(value: Decimal | None, unit: str | None, approximate: bool = False) -> str:
    if value is None:
        return "-"
    text = (
        f"{(value * 100).quantize(Decimal('0.01')).normalize():f}%"
        if unit == "ratio"
        else (f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}")
    )
    return ("~" if approximate else "") + text


def evaluation_text(output: EvaluationOutput, options: RenderOptions) -> str:
    data = output.data
    evaluation = data.evaluation
    shown = [
        f
        for f in (evaluation.findings if options.show_all else evaluation.judged)
        if options.show_all or f.status is not Status.NOT_APPLICABLE
    ]
    headers = [
        t("col.unit"),
        t("col.obligation"),
        t("col.period"),
        t("col.status"),
        t("col.measured"),
        t("col.required"),
        t("col.shortfall"),
        t("col.of"),
        t("col.clause"),
    ]
    rows: list[list[object]] = []
    for f in shown:
        of = "%" if f.measure_unit == "ratio" else f.measure_unit
        row: list[object] = [
            f.unit_id,
            f.obligation_id,
            period_label(f.period_start, f.period_end),
            status_label(f.status.value) + ("" if f.modality == "mandatory" else " *"),
            shown_figure(f.measured, f.measure_unit),
            shown_figure(f.required, f.measure_unit, f.approximate)
            + (
                f"–{shown_figure(f.required_upper, f.measure_unit)}"
                if f.required_upper is not None
                else ""
            ),
            shown_figure(f.shortfall, f.measure_unit),
            of,
            f.source.clause,
        ]
        rows.append(row)
    lines = [t("eval.heading", as_of=evaluation.as_of), output.headline(), *output.notes]
    table = render_table(headers, rows, max_width={} if options.verbose else _CUT)
    if options.verbose:
        # Under each finding, its whole explanation and quote, wrapped to the terminal.
        width = max(40, (options.width or shutil.get_terminal_size((120, 24)).columns) - 4)
        table_lines = table.split("\n")
        out = table_lines[:2]
        for line, f in zip(table_lines[2:], shown, strict=True):
            out.append(line)
            for head, text in (
                (t("col.explanation"), f.explanation),
                (t("col.quote"), f.source.quote),
            ):
                wrapped = wrap_text(" ".join(text.split()), width - display_width(head) - 2)
                out.append(f"    {head}：{wrapped[0]}")
                indent = " " * (4 + display_width(head) + 2)
                out.extend(indent + w for w in wrapped[1:])
        table = "\n".join(out)
    lines.append(table)
    notes = []
    if any(f.modality != "mandatory" for f in shown):
        notes.append(t("eval.note.encouraged"))
    if any(f.approximate for f in shown):
        notes.append(t("eval.note.approximate"))
    hidden = len(evaluation) - len(shown)
    if hidden:
        notes.append(t("eval.note.hidden", n=hidden))
    if not options.verbose and shown:
        notes.append(t("eval.note.verbose"))
    if evaluation.transactions_after_as_of:
        notes.append(
            t(
                "eval.note.after_as_of",
                n=evaluation.transactions_after_as_of,
                as_of=evaluation.as_of,
            )
        )
    if data.ledger_rows is not None and data.ledger_rows.rejected:
        lr = data.ledger_rows
        notes.append(
            t("ledger.rows", read=lr.rows_read, accepted=lr.accepted, rejected=lr.rejected)
        )
    lines.extend(notes)
    lines.append("")
    lines.append(t("eval.summary_heading"))
    summary = [
        [
            r.key,
            r.total,
            *(r.counts.get(s.value, 0) for s in _ORDER),
            judged(r.counts),
            percent(r.compliance_rate),
            r.mandatory_breaches,
        ]
        for r in data.by_jurisdiction.values()
    ]
    lines.append(
        render_table(
            [
                t("col.jurisdiction"),
                t("col.findings"),
                *(status_label(s.value) for s in _ORDER),
                t("col.judged"),
                t("col.compliance_rate"),
                t("col.mandatory_breaches"),
            ],
            summary,
        )
    )
    return "\n".join(lines)


_ORDER = (
    Status.COMPLIANT,
    Status.NON_COMPLIANT,
    Status.NOT_YET_DUE,
    Status.INSUFFICIENT_EVIDENCE,
    Status.NOT_APPLICABLE,
)
