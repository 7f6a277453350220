"""``xfrules plugins``: installed jurisdictions, versions, obligation counts."""

from __future__ import annotations

import argparse

from ..i18n import t
from ..output import Column, Listing, Sheet
from ._common import add_output, emit, loaded_registry

_COLUMNS = (
    ("jurisdiction", "col.jurisdiction", "text"),
    ("name", "col.name", "text"),
    ("plugin", "col.plugin", "text"),
    ("version", "col.version", "text"),
    ("document", "col.document", "text"),
    ("obligations", "col.obligations", "int"),
    ("mandatory", "modality.mandatory", "int"),
    ("departments", "col.departments", "int"),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("plugins", help="list installed jurisdiction plug-ins")
    add_output(p, "xfrules.output.Listing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    registry = loaded_registry(args)
    rows = [
        {
            "jurisdiction": r.code,
            "name": r.jurisdiction.name,
            "plugin": r.plugin,
            "version": r.version,
            "document": r.jurisdiction.document_number,
            "obligations": len(r.obligations),
            "mandatory": sum(1 for o in r.obligations if o.modality == "mandatory"),
            "departments": len(r.departments),
        }
        for r in registry.jurisdictions.values()
    ]
    sheet = Sheet(
        "plugins",
        t("col.plugin"),
        [Column(key, t(header), kind) for key, header, kind in _COLUMNS],  # type: ignore[arg-type]
        [[r[key] for key, _, _ in _COLUMNS] for r in rows],
    )
    emit(Listing({"plugins": rows, "errors": [str(e) for e in registry.errors]}, sheet), args)
    return 0
