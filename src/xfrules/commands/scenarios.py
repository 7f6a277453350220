"""``xfrules scenarios suggest -j CODE [--obligation ID] [--out DIR]``: boundary scenario
skeletons per obligation (see :mod:`xfrules.skeletons`), for the author to read against the
document, complete and commit. They encode the current reading: run unchanged, they pass.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import XfrulesError
from ..i18n import Msg, t


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("scenarios", help="scenario tools: suggest boundary scenario skeletons")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = actions.add_parser(
        "suggest",
        help="write boundary scenario skeletons per obligation (the current reading)",
        description="Write scenario skeletons for each obligation of a plug-in: at the "
        "threshold, one step short, no evidence, before and after the validity, a unit of a "
        "kind not bound, an approximate target at its tolerance. The expectations are what "
        "the evaluator says today: read them against the document before committing.",
    )
    target = s.add_mutually_exclusive_group(required=True)
    target.add_argument("-j", "--jurisdiction", metavar="CODE", help="an installed plug-in")
    target.add_argument("--path", metavar="PATH", help="a plug-in source tree")
    s.add_argument(
        "--obligation", action="append", metavar="ID", help="only this obligation (repeatable)"
    )
    s.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="write one file per obligation into DIR (default: one file on stdout)",
    )
    s.add_argument("--force", action="store_true", help="overwrite files in --out")
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..skeletons import skeleton_file
    from .mutate import load_target

    rules = load_target(args.jurisdiction, args.path)
    obligations = list(rules.obligations)
    if args.obligation:
        known = {ob.id for ob in obligations}
        unknown = [i for i in args.obligation if i not in known]
        if unknown:
            raise XfrulesError(
                Msg("scenarios.no_obligation", ids=", ".join(unknown), code=rules.code)
            )
        obligations = [ob for ob in obligations if ob.id in args.obligation]
    if args.out is None:
        sys.stdout.write(skeleton_file(rules, obligations))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for ob in obligations:
        path = args.out / f"suggested_{ob.id.split('.', 1)[1]}.yaml"
        if path.exists() and not args.force:
            raise XfrulesError(Msg("scenarios.exists", path=path))
        path.write_text(skeleton_file(rules, [ob]), encoding="utf-8")
        written += 1
    print(t("scenarios.wrote", n=written, dir=args.out), file=sys.stderr)
    return 0
