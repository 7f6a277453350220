"""``xfrules plugins``: installed jurisdictions, versions, obligation counts."""

from __future__ import annotations

import argparse
import sys

from ..i18n import t
from ..output import Column, Listing, Sheet
from ..pii import scrub
from ._common import add_output, emit

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
    # Listed from each plug-in's cached summary where nothing it was made from has changed:
    # no rules are validated, no model is built (see xfrules.plugin_listing).
    from ..plugin_listing import list_plugins

    listing = list_plugins()
    for error in listing.errors:  # as loaded_registry reports them
        print(scrub(f"xfrules: {t('cli.skipped', error=error)}"), file=sys.stderr)
    rows = [
        {
            "jurisdiction": s.code,
            "name": s.name,
            "plugin": s.plugin,
            "version": s.version,
            "document": s.document,
            "obligations": s.obligations,
            "mandatory": s.mandatory,
            "departments": s.departments,
        }
        for s in listing.plugins.values()
    ]
    sheet = Sheet(
        "plugins",
        t("col.plugin"),
        [Column(key, t(header), kind) for key, header, kind in _COLUMNS],  # type: ignore[arg-type]
        [[r[key] for key, _, _ in _COLUMNS] for r in rows],
    )
    emit(Listing({"plugins": rows, "errors": [str(e) for e in listing.errors]}, sheet), args)
    return 0
