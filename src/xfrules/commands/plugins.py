"""``xfrules plugins``: installed jurisdictions, versions, obligation counts."""

from __future__ import annotations

import argparse
import sys

from ..render import dump_json, render_table
from ._common import add_format, loaded_registry


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("plugins", help="list installed jurisdiction plug-ins")
    add_format(p)
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
    if args.format == "json":
        dump_json({"plugins": rows, "errors": [str(e) for e in registry.errors]}, sys.stdout)
    else:
        headers = list(rows[0]) if rows else ["jurisdiction"]
        print(render_table(headers, [list(r.values()) for r in rows]))
    return 0
