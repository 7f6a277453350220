"""``xfrules report FACTS --out report.html|.xlsx|.csv|.json`` (or ``LEDGER... --facts UNITS``).

The format is the one ``--out``'s suffix names in the output registry (``xfrules.output``),
as for ``evaluate --out``. Exit codes as ``xfrules evaluate``: 0 nothing mandatory is
non-compliant (or --exit-zero), 1 something is, 2 bad input (and, with --strict, a rejected
ledger row). The report is written in every case but bad input.
"""

from __future__ import annotations

import argparse

from ._common import (
    add_as_of,
    add_exit_zero,
    add_jurisdiction,
    add_output,
    add_selection,
    as_of,
    emit,
    evaluation_output,
    loaded_registry,
    warn_about_facts,
    warn_after_as_of,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report", help="write an HTML or XLSX compliance report for a facts file or ledgers"
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="FACTS|LEDGER",
        help="a facts file; or, with --facts, ledger files (CSV, XLSX, Parquet, JSON lines)",
    )
    p.add_argument("--facts", help="units (facts file) when the inputs are ledgers")
    add_as_of(p)
    p.add_argument("--title", default=None, help="report title (default: 消费扶贫合规报告)")
    p.add_argument("--backend", choices=("duckdb", "memory"), default="duckdb")
    p.add_argument("--mapping", metavar="YAML", help="ledger column mapping (docs/ledgers.md)")
    p.add_argument(
        "--rejects", metavar="FILE", help="ledgers: write every rejected row with its reasons here"
    )
    p.add_argument(
        "--strict", action="store_true", help="ledgers: any rejected row is bad input (exit 2)"
    )
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    add_jurisdiction(p)
    add_output(
        p,
        "xfrules.output.evaluation.EvaluationOutput",
        out_help="report.html, report.xlsx (or .csv, .json): the format by the suffix",
        out_required=True,
    )
    add_exit_zero(p)
    add_selection(p)
    p.set_defaults(func=run, all=True, verbose=False)


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError, Problem
    from ..evaluator import evaluate
    from ..facts import load_facts
    from ..i18n import Msg

    day = as_of(args)
    registry = None
    ledger_rows = None
    if args.facts:
        from .ledger import evaluate_ledger_args

        args.ledgers = args.inputs
        evaluation, ledger_rows, registry = evaluate_ledger_args(args, day)
        facts = load_facts(args.facts)
    else:
        if len(args.inputs) != 1:
            raise InputError([Problem("", "", "", Msg("cmd.report_inputs"))])
        facts = load_facts(args.inputs[0])
        registry = loaded_registry(args)
        warn_about_facts(facts, registry, args)
        evaluation = evaluate(facts, day, rules=registry, periods=args.periods)
    # A department's or a unit's own report: the same selection as `evaluate`.
    output = evaluation_output(
        evaluation, args, registry=registry, facts=facts, ledger_rows=ledger_rows, title=args.title
    )
    warn_after_as_of(output.evaluation)
    emit(output, args)
    return 1 if output.evaluation.has_mandatory_breach and not args.exit_zero else 0
