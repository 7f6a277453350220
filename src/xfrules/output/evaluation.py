"""An evaluation as every format shows it: the findings (the CSV contract), the summary with
its honest headline, roll-ups by jurisdiction, district, lead department and department, the
rejected ledger rows; the terminal table and the HTML report."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..entities import Unit
from ..findings import Evaluation, Finding, Rollup, Status
from ..i18n import t
from ..pii import masked
from ..report.model import LedgerRows, ReportData, build_report_data
from .headline import headline, judged
from .registry import RenderOptions
from .sheets import Column, ColumnKind, Sheet

__all__ = ["CSV_COLUMNS", "EvaluationOutput", "csv_row", "finding_columns", "rollup_sheet"]

# The CSV columns and their order are part of the output contract (docs/output-format.md).
_FINDING_KINDS: dict[str, ColumnKind] = {
    "unit_id": "text",
    "unit_name": "text",
    "unit_kind": "text",
    "obligation_id": "text",
    "title": "text",
    "jurisdiction": "text",
    "kind": "text",
    "modality": "modality",
    "approximate": "bool",
    "status": "status",
    "as_of": "date",
    "period_start": "date",
    "period_end": "date",
    "due": "date",
    "comparator": "text",
    "measured": "measure",
    "required": "measure",
    "required_upper": "measure",
    "stated_value": "measure",
    "tolerance": "ratio",
    "shortfall": "measure",
    "measure_unit": "unit",
    "explanation": "long_text",
    "lead": "text",
    "responsible": "text",
    "participants": "text",
    "document": "text",
    "clause": "text",
    "quote": "long_text",
}
CSV_COLUMNS = tuple(_FINDING_KINDS)


def finding_columns() -> list[Column]:
    return [
        Column(key, t(f"col.{key}"), kind, "measure_unit" if kind == "measure" else None)
        for key, kind in _FINDING_KINDS.items()
    ]


def csv_row(f: Finding) -> list[object]:
    """A finding's cells in :data:`CSV_COLUMNS` order: figures as Decimals (a number cell,
    never masked or quoted as text would be), dates as dates, the source split."""
    values: dict[str, object] = {c: getattr(f, c, None) for c in CSV_COLUMNS}
    values.update(
        document=f.source.document,
        clause=f.source.clause,
        quote=f.source.quote,
        status=f.status.value,
        lead="、".join(f.lead),
        responsible="、".join(f.responsible),
        participants="、".join(f.participants),
    )
    return [values.get(c) for c in CSV_COLUMNS]


_ROLLUP_STATUSES = (
    Status.COMPLIANT,
    Status.NON_COMPLIANT,
    Status.NOT_YET_DUE,
    Status.INSUFFICIENT_EVIDENCE,
    Status.NOT_APPLICABLE,
)


def rollup_sheet(
    key: str,
    name: str,
    rollups: Mapping[str, Rollup],
    codes: Mapping[str, str | None] | None = None,
) -> Sheet:
    """One row per group: counts per status, the rate with what it is out of, shortfalls."""
    cols = [Column("group", t("col.group"))]
    if codes is not None:
        cols.append(Column("region_code", t("col.region_code")))
    cols += [
        Column("findings", t("col.findings"), "int"),
        Column("applicable", t("col.applicable"), "int"),
        *(Column(s.value, t(f"status.{s.value}"), "int") for s in _ROLLUP_STATUSES),
        Column("judged", t("col.judged"), "int"),
        Column("compliance_rate", t("col.compliance_rate"), "ratio"),
        Column("mandatory_breaches", t("col.mandatory_breaches"), "int"),
        Column("shortfall_yuan", t("col.shortfall") + "（元）", "money"),
        Column("shortfall_other", t("col.shortfall") + "（" + t("col.of") + "）"),
    ]
    rows: list[list[object]] = []
    for group, r in rollups.items():
        row: list[object] = [group]
        if codes is not None:
            row.append(codes.get(group))
        other = "; ".join(
            f"{v.normalize():f} {u}" for u, v in sorted(r.shortfall.items()) if u != "元"
        )
        row += [
            r.total,
            r.applicable,
            *(r.counts.get(s.value, 0) for s in _ROLLUP_STATUSES),
            judged(r.counts),
            r.compliance_rate,
            r.mandatory_breaches,
            r.shortfall.get("元"),
            other or None,
        ]
        rows.append(row)
    return Sheet(key, name, cols, rows)


@dataclass
class EvaluationOutput:
    """An evaluation with what the people reading it need beside the findings.

    ``evaluation``: the findings to show (already selected), not yet masked — the units join
    them first; everything shown is masked. ``names``: region code -> name, for districts.
    ``notes``: what the selection or the run has to say (shown with the table, on stderr
    for the formats programs read).
    """

    evaluation: Evaluation
    units: Sequence[Unit] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    title: str | None = None
    ledger_rows: LedgerRows | None = None
    notes: Sequence[str] = ()  # e.g. that the as-of date is today's, by default

    @functools.cached_property
    def data(self) -> ReportData:
        # Masked once built (ids join units to findings first): every text shown.
        return masked(
            build_report_data(
                self.evaluation,
                self.units,
                title=self.title,
                ledger_rows=self.ledger_rows,
                names=self.names,
            )
        )

    def record(self) -> Any:
        return self.data.evaluation.to_record()

    def headline(self) -> str:
        ev = self.data.evaluation
        return headline(self.data.status_counts, ev.mandatory_breaches)

    def csv_sheet(self) -> Sheet:
        return self.findings_sheet()

    def findings_sheet(self) -> Sheet:
        return Sheet(
            "findings",
            t("sheet.findings"),
            finding_columns(),
            [csv_row(f) for f in self.data.evaluation.findings],
        )

    def summary_sheet(self) -> Sheet:
        data, ev = self.data, self.data.evaluation
        counts = data.status_counts
        cols = [
            Column("item", t("col.item")),
            Column("value", t("col.value"), "measure", "unit"),
            Column("unit", t("col.of"), "unit"),
        ]
        rows: list[list[object]] = [
            [t("item.title"), data.title, None],
            [t("item.as_of"), ev.as_of, None],
            [t("item.headline"), self.headline(), None],
            [t("item.compliance_rate"), data_rate(counts), "ratio"],
            [t("item.judged"), judged(counts), None],
            [t("item.findings"), len(ev), None],
            [t("item.applicable"), len(data.applicable), None],
            *([t(f"status.{s.value}"), counts.get(s.value, 0), None] for s in _ROLLUP_STATUSES),  # type: ignore[list-item]
            [
                t("item.mandatory_breaches"),
                ev.mandatory_breaches,
                None,
            ],
            [t("item.after_as_of"), ev.transactions_after_as_of, None],
        ]
        if data.ledger_rows is not None:
            lr = data.ledger_rows
            rows += [
                [t("item.ledger_files"), "; ".join(lr.files), None],
                [t("item.rows_read"), lr.rows_read, None],
                [t("item.rows_accepted"), lr.accepted, None],
                [t("item.rows_rejected"), lr.rejected, None],
            ]
        rows += [[note, None, None] for note in self.notes]
        return Sheet("summary", t("sheet.summary"), cols, rows)

    def rejected_sheet(self) -> Sheet | None:
        lr = self.data.ledger_rows
        if lr is None or not lr.rejected:
            return None
        cols = [
            Column("file", t("col.file")),
            Column("row", t("col.row"), "int"),
            Column("column", t("col.column")),
            Column("reason", t("col.reason"), "long_text"),
        ]
        rows: list[list[object]] = [[r.file, r.row, r.column, r.reason] for r in lr.first_rejected]
        if lr.rejected > len(lr.first_rejected):
            more = t("ledger.more_rejected", n=lr.rejected - len(lr.first_rejected))
            where = (
                t("ledger.rejects_written", path=lr.rejects_file)
                if lr.rejects_file
                else t("ledger.rejects_hint")
            )
            rows.append([more, None, None, where])
        return Sheet("rejected", t("sheet.rejected"), cols, rows)

    def sheets(self) -> list[Sheet]:
        data = self.data
        sheets = [
            self.summary_sheet(),
            self.findings_sheet(),
            rollup_sheet("by_jurisdiction", t("sheet.by_jurisdiction"), data.by_jurisdiction),
            rollup_sheet(
                "by_district", t("sheet.by_district"), data.by_district, data.district_codes
            ),
            rollup_sheet("by_lead", t("sheet.by_lead"), data.by_lead),
            rollup_sheet("by_department", t("sheet.by_department"), data.by_department),
        ]
        rejected = self.rejected_sheet()
        if rejected is not None:
            sheets.append(rejected)
        return sheets

    def text(self, options: RenderOptions) -> str:
        from .table import evaluation_text

        return evaluation_text(self, options)

    def html(self, options: RenderOptions) -> str:
        from ..report.html import render_html

        return render_html(self.data, notes=self.notes, headline=self.headline())


def data_rate(counts: Mapping[str, int]) -> Any:
    from decimal import Decimal

    n = judged(counts)
    return Decimal(counts.get(Status.COMPLIANT.value, 0)) / Decimal(n) if n else None
