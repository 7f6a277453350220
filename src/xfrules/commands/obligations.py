"""``xfrules obligations``: every obligation with kind, threshold, departments, applies-to and quote."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..render import dump_json, render_table
from ._common import add_format, add_jurisdiction, loaded_registry

if TYPE_CHECKING:
    from ..obligations import Obligation


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "obligations", help="list obligations with thresholds, departments and quotes"
    )
    add_jurisdiction(p)
    add_format(p)
    p.set_defaults(func=run)


def threshold_text(ob: Obligation) -> str:
    return ob.target_text()


def record(ob: Obligation) -> dict[str, Any]:
    data = ob.model_dump(mode="json")
    data["threshold_text"] = threshold_text(ob)
    return data


def run(args: argparse.Namespace) -> int:
    registry = loaded_registry(args)
    obligations = registry.obligations
    if args.format == "json":
        dump_json(
            {"format": "xfrules.obligations/1", "obligations": [record(o) for o in obligations]},
            sys.stdout,
        )
        return 0
    rows = [
        [
            o.id,
            o.kind,
            o.modality,
            threshold_text(o),
            ",".join(o.applies_to),
            "、".join(o.lead),
            "、".join(o.responsible),
            o.source.clause,
            o.source.quote,
        ]
        for o in obligations
    ]
    print(
        render_table(
            [
                "id",
                "kind",
                "modality",
                "threshold",
                "applies to",
                "lead",
                "responsible",
                "clause",
                "quote",
            ],
            rows,
            max_width={5: 16, 6: 24, 8: 40},
        )
    )
    return 0
