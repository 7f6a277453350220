"""``xfrules ledger import|evaluate``: real ledgers (CSV/XLSX/Parquet/JSON lines) in, rejects out loudly.

``import`` exit codes: 0 every row accepted, 1 some rows rejected (listed on stderr and in
``--rejects``), 2 bad input (unreadable file, no header, a required column missing: one
error for the file, never one per row). ``evaluate`` has the exit codes of
``xfrules evaluate``: 0 nothing mandatory is non-compliant, 1 something is, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..backends import BACKENDS
from ._common import (
    add_as_of,
    add_jurisdiction,
    add_report_options,
    emit_evaluation,
    loaded_registry,
    warn_about_facts,
)

if TYPE_CHECKING:
    from ..findings import Evaluation
    from ..ledger.rules import Purchase
    from ..report.model import LedgerRows

_SHOWN_PROBLEMS = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "ledger", help="import and evaluate purchase ledgers (CSV, XLSX, Parquet, JSON lines)"
    )
    cmds = p.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)

    imp = cmds.add_parser("import", help="validate ledgers row by row and write transactions")
    imp.add_argument("ledgers", nargs="+", metavar="LEDGER")
    _common(imp)
    imp.add_argument("--facts", help="facts file whose units resolve buyer names to unit ids")
    imp.add_argument(
        "--out", metavar="FILE", help="write accepted transactions as JSON lines ('-': stdout)"
    )
    imp.add_argument("--format", choices=("table", "json"), default="table", help="summary format")
    imp.set_defaults(func=run_import)

    ev = cmds.add_parser(
        "evaluate", help="evaluate the units of a facts file on ledger transactions"
    )
    ev.add_argument("ledgers", nargs="+", metavar="LEDGER")
    ev.add_argument(
        "--facts", required=True, help="facts file with the units (and observations, submissions)"
    )
    add_as_of(ev)
    ev.add_argument(
        "--backend",
        choices=sorted(BACKENDS),
        default="duckdb",
        help="duckdb: streaming SQL aggregation (default); memory: import every row, then evaluate",
    )
    _common(ev)
    add_jurisdiction(ev)
    add_report_options(ev)
    ev.set_defaults(func=run_evaluate)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mapping", metavar="YAML", help="column mapping file (docs/ledgers.md)")
    p.add_argument(
        "--rejects", metavar="FILE", help="write rejected rows (masked) with their reasons as CSV"
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress line on stderr (default: when stderr is a terminal)",
    )


def _open_rejects(stack: ExitStack, path: str | None) -> TextIO | None:
    if path is None:
        return None
    return stack.enter_context(Path(path).open("w", encoding="utf-8-sig", newline=""))


def _report_rows(
    read: int, accepted: int, rejected: int, problems: list[Any], total: int | None = None
) -> None:
    """The counts, and the first problems; ``total``: how many problems there are in all
    (default: those given)."""
    print(f"xfrules: {read} rows read, {accepted} accepted, {rejected} rejected", file=sys.stderr)
    for problem in problems[:_SHOWN_PROBLEMS]:
        print(f"  - {problem}", file=sys.stderr)  # a Problem is masked where it is made
    total = len(problems) if total is None else total
    if total > _SHOWN_PROBLEMS:
        print(f"  … {total - _SHOWN_PROBLEMS} more problems (see --rejects)", file=sys.stderr)


def run_import(args: argparse.Namespace) -> int:
    from ..errors import InputError, Problem
    from ..facts import load_facts
    from ..ledger import load_mapping
    from ..ledger.importer import stream_ledgers

    if args.format == "json" and args.out == "-":
        # Both would go to stdout: the transactions' JSON lines and the summary's JSON.
        raise InputError(
            [
                Problem(
                    "",
                    "",
                    "--format",
                    "--format json prints the summary on stdout, which --out - fills with "
                    "the transactions: give --out FILE",
                )
            ]
        )
    mapping = load_mapping(args.mapping)
    units = load_facts(args.facts).units if args.facts else None
    with ExitStack() as stack:
        rejects = _open_rejects(stack, args.rejects)
        accept = None
        if args.out:
            out = (
                sys.stdout
                if args.out == "-"
                else stack.enter_context(
                    Path(args.out).open("w", encoding="utf-8", buffering=1 << 20)
                )
            )

            def accept(purchase: Purchase) -> None:
                # Masked as every output (ids, names; never the amounts): for reading, not
                # for importing again — the ledgers are the record.
                out.write(purchase.json_line() + "\n")

        # One streaming pass: transactions written as they are read, rejected rows too; only
        # the problems shown are kept (all of them for --format json, which lists them).
        result = stream_ledgers(
            args.ledgers,
            mapping,
            units=units,
            rejects=rejects,
            progress=args.progress,
            accept=accept,
            keep_problems=None if args.format == "json" else _SHOWN_PROBLEMS,
        )
    summary = {
        "rows_read": result.rows_read,
        "accepted": result.accepted,
        "rejected": result.rejected,
        "problems": [p.__dict__ for p in result.problems],
    }
    if args.format == "json":
        from ..render import dump_json

        dump_json(summary, sys.stdout)
    _report_rows(
        result.rows_read, result.accepted, result.rejected, result.problems, result.problem_count
    )
    return 1 if result.rejected else 0


def evaluate_ledger_args(args: argparse.Namespace, as_of: date) -> tuple[Evaluation, LedgerRows]:
    """Shared by ``ledger evaluate`` and ``report``: evaluate --facts units on LEDGER files,
    with the rows read and accepted (a report shows them beside the findings)."""
    from ..backends import backend
    from ..facts import load_facts
    from ..ledger import load_mapping
    from ..report.model import LedgerRows
    from ..rulebook import prepare

    files = tuple(Path(p).name for p in args.ledgers)

    registry = loaded_registry(args)
    facts = load_facts(args.facts)
    warn_about_facts(facts, registry, args)
    mapping = load_mapping(args.mapping)
    with ExitStack() as stack:
        result = backend(args.backend).evaluate(
            prepare(facts, registry),
            args.ledgers,
            as_of,
            mapping=mapping,
            periods=args.periods,
            rejects=_open_rejects(stack, args.rejects),
            progress=args.progress,
        )
    _report_rows(
        result.rows_read, result.accepted, result.rejected, result.problems, result.problem_count
    )
    if result.rejected and not args.rejects and not result.problems:
        print("xfrules: list them with --rejects FILE or `xfrules ledger import`", file=sys.stderr)
    return result.evaluation, LedgerRows(files, result.rows_read, result.accepted)


def run_evaluate(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    evaluation, _ = evaluate_ledger_args(args, as_of)
    return emit_evaluation(evaluation, args)
