"""Options and helpers shared by subcommands."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from ..registry import Registry, load_registry
from ..values import parse_date

if TYPE_CHECKING:
    from ..findings import Evaluation

__all__ = [
    "add_as_of",
    "add_format",
    "add_jurisdiction",
    "add_report_options",
    "date_arg",
    "emit_evaluation",
    "loaded_registry",
]


def date_arg(text: str) -> date:
    """argparse type for dates written as people write them (2020-12-31, 2020年12月31日)."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        metavar="DATE",
        help="evaluate as of this date (default: today)",
    )


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """The output options every command printing an evaluation shares."""
    add_format(parser, ("table", "json", "csv"))
    parser.add_argument(
        "--all", action="store_true", help="table: also show not_applicable findings"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="table: add explanation and quote"
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when a mandatory obligation is non-compliant (bad input still exits 2)",
    )


def emit_evaluation(evaluation: Evaluation, args: argparse.Namespace) -> int:
    """Print an evaluation as asked; the exit code: 1 when something mandatory is breached."""
    from ..render import dump_json, write_csv
    from .evaluate import CSV_COLUMNS, csv_row, print_table

    if args.format == "json":
        dump_json(evaluation.to_record(), sys.stdout)
    elif args.format == "csv":
        write_csv(CSV_COLUMNS, (csv_row(f) for f in evaluation.findings), sys.stdout)
    else:
        print_table(evaluation, show_all=args.all, verbose=args.verbose)
    return 1 if evaluation.has_mandatory_breach and not args.exit_zero else 0


def add_jurisdiction(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jurisdiction",
        action="append",
        metavar="JUR",
        help="only this jurisdiction (repeatable; default: every installed one)",
    )


def add_format(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("table", "json")
) -> None:
    parser.add_argument(
        "--format", choices=choices, default="table", help="output format (default: table)"
    )


def loaded_registry(args: argparse.Namespace) -> Registry:
    """The installed plug-ins; a broken one is reported on stderr and the rest go on."""
    registry = load_registry()
    for error in registry.errors:
        print(f"xfrules: warning: {error} (skipped)", file=sys.stderr)
    return registry.select(getattr(args, "jurisdiction", None))
