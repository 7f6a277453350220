"""Bound parties and unit kinds are declared: every lead, responsible and recipient names a
department of jurisdiction.yaml, every kind an obligation applies to is a declared unit kind."""

from __future__ import annotations

from ..i18n import Msg
from ..obligations import Reporting
from ..registry import JurisdictionRules
from .problems import Collector

__all__ = ["check_departments"]


def check_departments(c: Collector, rules: JurisdictionRules) -> None:
    declared = ", ".join(d.name for d in rules.departments) or Msg("chk.none")
    for ob in rules.obligations:
        for role, names in (
            (Msg("chk.role.lead"), ob.lead),
            (Msg("chk.role.responsible"), ob.responsible),
            (Msg("chk.role.participant"), ob.participants),
            (Msg("chk.role.excluded"), ob.excluded_departments),
        ):
            for name in names:
                if rules.department(name) is None:
                    c.error(
                        ob.id,
                        "unknown-department",
                        Msg("chk.undeclared_department", role=role, name=name, declared=declared),
                    )
        for name in ob.excluded_departments:
            found = rules.department(name)
            if found is not None and found.name != name:
                # Units carry the declared name (an alias in a facts file is settled to it).
                c.error(
                    ob.id,
                    "unknown-department",
                    Msg("chk.excluded_alias", name=name, canonical=found.name),
                )
        if isinstance(ob, Reporting) and ob.recipient and rules.department(ob.recipient) is None:
            c.error(
                ob.id,
                "unknown-department",
                Msg("chk.unknown_recipient", recipient=ob.recipient),
            )
        if ob.named_departments_only and not ob.departments:
            c.error(
                ob.id,
                "binds-nothing",
                Msg("chk.binds_nothing"),
            )
        kinds = rules.jurisdiction.unit_kinds
        if kinds:
            for kind in ob.applies_to:
                if kind not in kinds:
                    c.error(
                        ob.id,
                        "unknown-unit-kind",
                        Msg("chk.undeclared_unit_kind", kind=kind, kinds=", ".join(kinds)),
                    )
    used = {kind for ob in rules.obligations for kind in ob.applies_to}
    for d in rules.departments:
        for kind in d.covers_kinds:
            if kind not in used:
                c.error(
                    f"department {d.name}",
                    "unknown-unit-kind",
                    Msg("chk.unused_unit_kind", kind=kind),
                )
