"""``xfrules submission``: validate the files a report is delivered with (e.g. Datonghu's annexes).

Exit 0 when the submission is valid and on time; 1 when the files are valid but the report is
late (the days late and the due date are said) or delivered before its period began, as the
evaluator would not count it; 2 with one line per problem (file, row, field) otherwise.
Personal data never appears in the output: validators report masked values only.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Problem, XfrulesError, reason_of
from ..i18n import Msg
from ..pii import scrub
from ..values import parse_date
from ._common import add_jurisdiction, loaded_registry

if TYPE_CHECKING:
    from ..obligations import Obligation


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("submission", help="validate a report's annex files before delivering it")
    add_jurisdiction(p)
    p.add_argument("--report", help="report key (default: the only one the jurisdiction validates)")
    p.add_argument(
        "files", nargs="+", metavar="NAME=FILE", help="the report's files, e.g. annex1=附件1.csv"
    )
    p.add_argument("--period", required=True, help="reported period: its first day or 2020-05")
    p.add_argument("--delivered", required=True, help="delivery date")
    p.set_defaults(func=run)


def _period_start(text: str) -> str:
    # "2020-05" and "202005" name a month; a full date is taken as is.
    digits = text.replace("-", "").replace("/", "")
    return f"{digits[:4]}-{digits[4:6]}-01" if digits.isdigit() and len(digits) == 6 else text


def run(args: argparse.Namespace) -> int:
    registry = loaded_registry(args)
    validators = {
        (code, key): fn
        for code, rules in registry.jurisdictions.items()
        for key, fn in rules.report_validators.items()
        if args.report in (None, key)
    }
    if len(validators) != 1:
        found = ", ".join(f"{c}:{k}" for c, k in sorted(validators))
        offered = found or Msg("submission.no_validators")
        raise XfrulesError(Msg("submission.choose_one", offered=offered))
    ((code, key), validate) = next(iter(validators.items()))
    files: dict[str, Path] = {}
    for item in args.files:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise XfrulesError(Msg("submission.file_form", item=item))
        files[name] = Path(path)
    try:
        period = parse_date(_period_start(args.period))
        delivered = parse_date(args.delivered)
    except ValueError as exc:
        raise InputError([Problem("", "", "--period/--delivered", reason_of(exc))]) from exc
    problems = validate(files, period, delivered)
    if problems:
        raise InputError(problems)
    shown = f"{code}:{key} for {period:%Y-%m}: {', '.join(sorted(files))} valid"
    timing = _timing(registry.jurisdictions[code].obligations, key, period, delivered)
    print(scrub(shown if timing is None else f"{shown}, but {timing}"))
    return 0 if timing is None else 1


def _timing(
    obligations: Iterable[Obligation], report: str, period: date, delivered: date
) -> str | None:
    """What is wrong with delivering the report for ``period`` on ``delivered``, as the
    evaluator judges it (a report counts for a period it covers, delivered by the due date
    and not before the period began), or None when it is on time or no obligation sets a
    due date for the report."""
    from ..obligations import Reporting
    from ..periods import month_due, window_for

    for ob in obligations:
        if not isinstance(ob, Reporting) or ob.report != report:
            continue
        if ob.period.frequency == "monthly":
            start, due = period.replace(day=1), month_due(ob.period, period.year, period.month)
        else:
            window = window_for(ob, period)
            start, due = window.start, window.due
        if delivered > due:
            days = (delivered - due).days
            return (
                f"LATE: delivered {delivered}, {days} day{'s' if days != 1 else ''} after it "
                f"was due ({due}, {ob.id} {ob.source.clause}): it does not count as on time"
            )
        if delivered < start:
            return (
                f"delivered {delivered}, before the period began ({start}): a report sent "
                f"before its period does not count for it ({ob.id})"
            )
        return None
    return None
