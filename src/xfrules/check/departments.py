"""Bound parties and unit kinds are declared: every lead, responsible and recipient names a
department of jurisdiction.yaml, every kind an obligation applies to is a declared unit kind."""

from __future__ import annotations

from ..obligations import Reporting
from ..registry import JurisdictionRules
from .problems import Collector

__all__ = ["check_departments"]


def check_departments(c: Collector, rules: JurisdictionRules) -> None:
    declared = ", ".join(d.name for d in rules.departments) or "none"
    for ob in rules.obligations:
        for role, names in (
            ("lead", ob.lead),
            ("responsible", ob.responsible),
            ("participant", ob.participants),
            ("excluded", ob.excluded_departments),
        ):
            for name in names:
                if rules.department(name) is None:
                    c.error(
                        ob.id,
                        "unknown-department",
                        f"{role} department {name!r} is not declared by the jurisdiction "
                        f"(declared: {declared})",
                    )
        for name in ob.excluded_departments:
            found = rules.department(name)
            if found is not None and found.name != name:
                # Units carry the declared name (an alias in a facts file is settled to it).
                c.error(
                    ob.id,
                    "unknown-department",
                    f"excluded department {name!r} is an alias: write {found.name!r}",
                )
        if isinstance(ob, Reporting) and ob.recipient and rules.department(ob.recipient) is None:
            c.error(
                ob.id,
                "unknown-department",
                f"report recipient {ob.recipient!r} is not a declared department",
            )
        if ob.named_departments_only and not ob.departments:
            c.error(
                ob.id,
                "binds-nothing",
                "named_departments_only is set but the obligation names no department",
            )
        kinds = rules.jurisdiction.unit_kinds
        if kinds:
            for kind in ob.applies_to:
                if kind not in kinds:
                    c.error(
                        ob.id,
                        "unknown-unit-kind",
                        f"applies to unit kind {kind!r}, which the jurisdiction does not declare "
                        f"(unit_kinds: {', '.join(kinds)})",
                    )
    used = {kind for ob in rules.obligations for kind in ob.applies_to}
    for d in rules.departments:
        for kind in d.covers_kinds:
            if kind not in used:
                c.error(
                    f"department {d.name}",
                    "unknown-unit-kind",
                    f"covers unit kind {kind!r}, which no obligation applies to",
                )
