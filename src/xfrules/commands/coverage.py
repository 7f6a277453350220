"""``xfrules coverage -j JUR``: the document sentence by sentence, with what accounts for each
(the obligations encoding it, or why it is context), and its clauses.

Exit 1 when a sentence is a gap or a clause has a problem (see :mod:`xfrules.coverage`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..render import dump_json, render_table
from ._common import add_format, add_jurisdiction, loaded_registry

if TYPE_CHECKING:
    from ..coverage import ClauseCoverage, SentenceAccount, coverage

__all__ = ["ClauseCoverage", "coverage", "register", "run"]


def __getattr__(name: str) -> Any:
    # ClauseCoverage and coverage, kept importable from here, loaded when asked for (not
    # to build the command line's parser).
    if name in ("ClauseCoverage", "coverage"):
        from .. import coverage as module

        return getattr(module, name)
    raise AttributeError(name)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "coverage", help="show each sentence of a document and what encodes it (or why not)"
    )
    p.add_argument(
        "path", nargs="?", metavar="PATH", help="a plug-in source tree (default: installed ones)"
    )
    add_jurisdiction(p)
    add_format(p)
    p.add_argument(
        "--gaps", action="store_true", help="table: show only the sentences that are gaps"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..coverage import account_sentences, coverage

    if args.path is not None:
        from .mutate import load_target

        selected = [load_target(None, args.path)]
    else:
        selected = list(loaded_registry(args).jurisdictions.values())
    clauses: list[ClauseCoverage] = []
    sentences: list[SentenceAccount] = []
    for rules in selected:
        clauses.extend(coverage(rules))
        sentences.extend(account_sentences(rules))
    gaps = [s for s in sentences if s.is_gap]
    problems = [c for c in clauses if c.problem]
    if args.format == "json":
        dump_json(
            {
                "format": "xfrules.coverage/2",
                "clauses": [c.__dict__ for c in clauses],
                "sentences": [s.__dict__ for s in sentences],
            },
            sys.stdout,
        )
        return 1 if gaps or problems else 0
    shown = gaps if args.gaps else sentences
    print(
        render_table(
            ["jurisdiction", "clause", "#", "sentence", "accounting", "obligations / reason"],
            [
                [
                    s.jurisdiction,
                    s.clause,
                    s.index,
                    " ".join(s.text.split()),
                    s.accounting,
                    ", ".join(s.obligations) or s.reason or "、".join(s.duty_words),
                ]
                for s in shown
            ],
            max_width={3: 60, 5: 60},
        )
    )
    if problems:
        print()
        print(
            render_table(
                ["jurisdiction", "clause", "heading", "disposition", "obligations", "problem"],
                [
                    [
                        c.jurisdiction,
                        c.clause,
                        c.heading,
                        c.disposition,
                        ", ".join(c.obligations) or "-",
                        c.problem,
                    ]
                    for c in problems
                ],
                max_width={2: 24, 4: 60},
            )
        )
    counts = {kind: sum(1 for s in sentences if s.accounting == kind) for kind in _KINDS}
    print(
        f"\n{len(sentences)} sentences in {len(clauses)} clauses: "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
        + f"; {len(gaps)} gap{'s' if len(gaps) != 1 else ''}"
        + (
            f"; {len(problems)} clause problem{'s' if len(problems) != 1 else ''}"
            if problems
            else ""
        )
    )
    return 1 if gaps or problems else 0


_KINDS = ("encoded", "heading", "parties", "context")
