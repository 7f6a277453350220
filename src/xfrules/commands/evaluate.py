"""``xfrules evaluate FACTS``: findings per unit and obligation, as of a date.

Exit codes: 0 nothing mandatory is non-compliant, 1 something is, 2 bad input.
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ._common import (
    add_as_of,
    add_jurisdiction,
    add_report_options,
    emit_evaluation,
    loaded_registry,
    warn_about_facts,
)

if TYPE_CHECKING:
    from ..findings import Evaluation, Finding

# The CSV columns and their order are part of the output contract (docs/output-format.md).
CSV_COLUMNS = (
    "unit_id",
    "unit_name",
    "unit_kind",
    "obligation_id",
    "title",
    "jurisdiction",
    "kind",
    "modality",
    "approximate",
    "status",
    "as_of",
    "period_start",
    "period_end",
    "due",
    "comparator",
    "measured",
    "required",
    "required_upper",
    "stated_value",
    "tolerance",
    "shortfall",
    "measure_unit",
    "explanation",
    "lead",
    "responsible",
    "participants",
    "document",
    "clause",
    "quote",
)


_FIGURES = ("measured", "required", "required_upper", "shortfall")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("evaluate", help="evaluate units in a facts file against the obligations")
    p.add_argument(
        "facts", help="facts file (JSON or YAML: units, transactions, observations, submissions)"
    )
    add_as_of(p)
    add_jurisdiction(p)
    add_report_options(p)
    p.set_defaults(func=run)


def csv_row(f: Finding) -> list[object]:
    """A finding's CSV cells: the JSON record's values, figures as Decimals (a number cell:
    never masked or quoted as text would be), the source split."""
    record: dict[str, object] = f.to_record()
    record.update({name: getattr(f, name) for name in _FIGURES})
    record.update(
        document=f.source.document,
        clause=f.source.clause,
        quote=f.source.quote,
        lead="、".join(f.lead),
        responsible="、".join(f.responsible),
    )
    return [record.get(c) for c in CSV_COLUMNS]


def _shown(value: Decimal | None, unit: str | None, approximate: bool = False) -> str:
    if value is None:
        return "-"
    text = (
        f"{(value * 100).quantize(Decimal('0.01')).normalize():f}%"
        if unit == "ratio"
        else (f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}")
    )
    return ("~" if approximate else "") + text


def print_table(evaluation: Evaluation, *, show_all: bool, verbose: bool) -> None:
    from ..findings import Status, percent
    from ..periods import period_label
    from ..render import render_table

    shown = [f for f in evaluation.findings if show_all or f.status is not Status.NOT_APPLICABLE]
    headers = [
        "unit",
        "obligation",
        "period",
        "status",
        "measured",
        "required",
        "shortfall",
        "of",
        "clause",
    ]
    rows: list[list[object]] = []
    for f in shown:
        of = "%" if f.measure_unit == "ratio" else f.measure_unit
        row: list[object] = [
            f.unit_id,
            f.obligation_id,
            period_label(f.period_start, f.period_end),
            f.status.value + ("" if f.modality == "mandatory" else " *"),
            _shown(f.measured, f.measure_unit),
            _shown(f.required, f.measure_unit, f.approximate)
            + (
                f"–{_shown(f.required_upper, f.measure_unit)}"
                if f.required_upper is not None
                else ""
            ),
            _shown(f.shortfall, f.measure_unit),
            of,
            f.source.clause,
        ]
        if verbose:
            row += [f.explanation, f.source.quote]
        rows.append(row)
    if verbose:
        headers += ["explanation", "quote"]
    print(f"Compliance as of {evaluation.as_of}")
    print(render_table(headers, rows, max_width={1: 44, 9: 60, 10: 60}))
    notes = []
    if any(f.modality != "mandatory" for f in shown):
        notes.append(
            "* encouraged (鼓励/支持/引导…) or striven for (力争): reported, never fails the run"
        )
    if any(f.approximate for f in shown):
        notes.append("~ approximate target (约/左右): judged within its tolerance of the number")
    hidden = len(evaluation.findings) - len(shown)
    if hidden:
        notes.append(f"{hidden} not_applicable findings hidden; --all shows them")
    if evaluation.transactions_after_as_of:
        notes.append(
            f"{evaluation.transactions_after_as_of} purchase(s) dated after {evaluation.as_of}"
            " are not counted"
        )
    for note in notes:
        print(note)
    print()
    summary = [
        [
            r.key,
            r.total,
            *(r.counts.get(s.value, 0) for s in Status),
            percent(r.compliance_rate),
            r.mandatory_breaches,
        ]
        for r in evaluation.by_jurisdiction().values()
    ]
    print(
        render_table(
            [
                "jurisdiction",
                "findings",
                *(s.value for s in Status),
                "compliance rate",
                "mandatory breaches",
            ],
            summary,
        )
    )


def run(args: argparse.Namespace) -> int:
    from ..evaluator import evaluate
    from ..facts import load_facts

    registry = loaded_registry(args)
    facts = load_facts(args.facts)
    warn_about_facts(facts, registry, args)
    evaluation = evaluate(facts, args.as_of or date.today(), rules=registry, periods=args.periods)
    return emit_evaluation(evaluation, args, registry)
