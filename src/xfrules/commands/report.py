"""``xfrules report FACTS --out report.html|report.xlsx`` (or ``LEDGER... --facts UNITS``).

Exit codes as ``xfrules evaluate``: 0 nothing mandatory is non-compliant (or --exit-zero),
1 something is, 2 bad input. The report is written in every case but bad input.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ._common import (
    add_as_of,
    add_exit_zero,
    add_jurisdiction,
    add_selection,
    loaded_registry,
    select_findings,
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
    p.add_argument("--out", required=True, help="report.html or report.xlsx")
    p.add_argument("--facts", help="units (facts file) when the inputs are ledgers")
    add_as_of(p)
    p.add_argument("--title", default="消费扶贫合规报告", help="report title")
    p.add_argument("--backend", choices=("duckdb", "memory"), default="duckdb")
    p.add_argument("--mapping", metavar="YAML", help="ledger column mapping (docs/ledgers.md)")
    p.add_argument("--rejects", metavar="FILE", help="ledgers: write rejected rows here")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    add_jurisdiction(p)
    add_exit_zero(p)
    add_selection(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError, Problem
    from ..evaluator import evaluate
    from ..facts import load_facts
    from ..pii import scrub
    from ..report import write_report

    as_of = args.as_of or date.today()
    registry = None
    ledger_rows = None
    if args.facts:
        from .ledger import evaluate_ledger_args

        args.ledgers = args.inputs
        evaluation, ledger_rows = evaluate_ledger_args(args, as_of)
        units = list(load_facts(args.facts).units)
    else:
        if len(args.inputs) != 1:
            raise InputError(
                [Problem("", "", "", "give one facts file, or ledgers with --facts UNITS")]
            )
        facts = load_facts(args.inputs[0])
        registry = loaded_registry(args)
        warn_about_facts(facts, registry, args)
        evaluation = evaluate(facts, as_of, rules=registry, periods=args.periods)
        units = list(facts.units)
    # A department's or a unit's own report: the same selection as `evaluate`.
    evaluation = select_findings(evaluation, args, registry)
    warn_after_as_of(evaluation)
    write_report(evaluation, units, args.out, title=args.title, ledger_rows=ledger_rows)
    print(
        scrub(f"xfrules: wrote {args.out} ({len(evaluation.findings)} findings)"), file=sys.stderr
    )
    return 1 if evaluation.has_mandatory_breach and not args.exit_zero else 0
