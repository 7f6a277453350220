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
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from ..backends import BACKENDS
from ..errors import InputError, Problem
from ..i18n import Msg, t
from ..pii import scrub
from ._common import (
    add_as_of,
    add_jurisdiction,
    add_report_options,
    as_of,
    emit_evaluation,
    evaluation_output,
    loaded_registry,
    warn_about_facts,
)

if TYPE_CHECKING:
    from ..findings import Evaluation
    from ..ledger.rules import Purchase
    from ..registry import Registry
    from ..report.model import LedgerRows, RejectedRow

_SHOWN_PROBLEMS = 20  # rejected rows listed on stderr (all are in the --rejects file)
_REPORTED_REJECTS = 100  # rejected rows listed in a report


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
    imp.add_argument(
        "--format", choices=("table", "json"), default="table", help="summary format (stdout)"
    )
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
        "--rejects",
        metavar="FILE",
        help="write every rejected row (masked) with its reasons as CSV (UTF-8 with BOM)",
    )
    p.add_argument("--strict", action="store_true", help="any rejected row is bad input: exit 2")
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


class _Tally(Protocol):
    """What an import or a backend tells of the rows it read (ImportResult, LedgerResult)."""

    rows_read: int
    accepted: int
    problems: list[Problem]  # the first kept
    problem_count: int  # all of them

    @property
    def rejected(self) -> int: ...


def _report_rows(result: _Tally, rejects: str | None) -> None:
    """The rows' tally on stderr, the first rejected rows with their reasons, and where the
    rest are (the --rejects file when one was given)."""
    read, accepted, rejected = result.rows_read, result.accepted, result.rejected
    print(
        f"xfrules: {t('ledger.rows', read=read, accepted=accepted, rejected=rejected)}",
        file=sys.stderr,
    )
    for problem in result.problems[:_SHOWN_PROBLEMS]:
        print(f"  - {problem}", file=sys.stderr)  # a Problem is masked where it is made
    if result.problem_count > _SHOWN_PROBLEMS:
        more = result.problem_count - _SHOWN_PROBLEMS
        print(f"  {t('ledger.more_rejected', n=more)}", file=sys.stderr)
    if rejected:
        where = t("ledger.rejects_written", path=rejects) if rejects else t("ledger.rejects_hint")
        print(scrub(f"xfrules: {where}"), file=sys.stderr)


def run_import(args: argparse.Namespace) -> int:
    from ..facts import load_facts
    from ..ledger import load_mapping
    from ..ledger.importer import stream_ledgers

    if args.format == "json" and args.out == "-":
        # Both would go to stdout: the transactions' JSON lines and the summary's JSON.
        raise InputError([Problem("", "", "--format", Msg("cmd.json_and_out"))])
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
        "problems": [p.to_record() for p in result.problems],
    }
    if args.format == "json":
        from ..output import write_output

        write_output(_ImportSummary(summary), fmt="json")
    _report_rows(result, args.rejects)
    if args.strict and result.rejected:
        print(f"xfrules: {t('ledger.strict', n=result.rejected)}", file=sys.stderr)
        return 2
    return 1 if result.rejected else 0


class _ImportSummary:
    """The import's tally for ``--format json`` (the table is the stderr report)."""

    def __init__(self, summary: dict[str, Any]) -> None:
        self.summary = summary

    def record(self) -> Any:
        return self.summary

    def sheets(self) -> list[Any]:
        from ..output import Column, Sheet

        keys = ("file", "record", "field", "message", "code")
        cols = [Column(k, k) for k in keys]
        rows: list[list[object]] = [[p[k] for k in keys] for p in self.summary["problems"]]
        return [Sheet("problems", t("sheet.rejected"), cols, rows)]

    def text(self, options: Any) -> str:
        return ""


def evaluate_ledger_args(
    args: argparse.Namespace, as_of: date
) -> tuple[Evaluation, LedgerRows, Registry]:
    """Shared by ``ledger evaluate`` and ``report``: evaluate --facts units on LEDGER files
    with the backend ``--backend`` names, with the rows read and accepted and the first
    rejected rows with their reasons (a report shows them beside the findings). ``--strict``:
    any rejected row is bad input."""
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
    _report_rows(result, args.rejects)
    _strict(args, result.rejected)
    rows = LedgerRows(
        files, result.rows_read, result.accepted, _first(result.problems), args.rejects
    )
    return result.evaluation, rows, registry


def _first(problems: list[Problem]) -> tuple[RejectedRow, ...]:
    from ..report.model import RejectedRow

    def row(problem: Problem) -> int | str:
        # Row 6 as the number 6: a column Excel sorts; "header" and the like stay words.
        where = problem.where
        if isinstance(where, Msg) and where.key == "at.row":
            return int(str(where.params["n"]))
        return problem.record

    return tuple(
        RejectedRow(p.file, row(p), p.field, p.message) for p in problems[:_REPORTED_REJECTS]
    )


def _strict(args: argparse.Namespace, rejected: int) -> None:
    if getattr(args, "strict", False) and rejected:
        raise InputError([Problem("", "", "", Msg("ledger.strict", n=rejected))])


def run_evaluate(args: argparse.Namespace) -> int:
    from ..facts import load_facts

    evaluation, rows, registry = evaluate_ledger_args(args, as_of(args))
    output = evaluation_output(
        evaluation, args, registry=registry, facts=load_facts(args.facts), ledger_rows=rows
    )
    return emit_evaluation(output, args)
