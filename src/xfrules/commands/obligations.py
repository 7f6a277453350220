"""``xfrules obligations``: every obligation with kind, threshold, departments, applies-to and quote."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..i18n import t
from ..output import Column, Listing, Sheet
from ._common import add_jurisdiction, add_output, emit, loaded_registry

if TYPE_CHECKING:
    from ..obligations import Obligation


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "obligations", help="list obligations with thresholds, departments and quotes"
    )
    add_jurisdiction(p)
    add_output(p, "xfrules.output.Listing")
    p.add_argument("-v", "--verbose", action="store_true", help="table: whole quotes, wrapped")
    p.set_defaults(func=run)


def threshold_text(ob: Obligation) -> str:
    return ob.target_text()


def record_of(ob: Obligation) -> dict[str, Any]:
    data = ob.model_dump(mode="json")
    data["threshold_text"] = threshold_text(ob)
    return data


def run(args: argparse.Namespace) -> int:
    registry = loaded_registry(args)
    obligations = registry.obligations
    columns = [
        Column("id", t("col.obligation_id")),
        Column("kind", t("col.kind")),
        Column("modality", t("col.modality"), "modality"),
        Column("threshold", t("col.threshold")),
        Column("applies_to", t("col.applies_to")),
        Column("lead", t("col.lead")),
        Column("responsible", t("col.responsible")),
        Column("clause", t("col.clause")),
        Column("quote", t("col.quote"), "long_text"),
    ]
    rows: list[list[object]] = [
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
    record = {"format": "xfrules.obligations/1", "obligations": [record_of(o) for o in obligations]}
    sheet = Sheet("obligations", t("col.obligation"), columns, rows)
    emit(Listing(record, sheet, max_width={"lead": 16, "responsible": 24, "quote": 40}), args)
    return 0
