"""Ids, names and aliases are unique, and everything belongs to the plug-in's jurisdiction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..i18n import Msg
from ..registry import JurisdictionRules
from .problems import Collector

__all__ = ["check_identity", "duplicates"]


def duplicates(items: Iterable[str]) -> list[str]:
    return sorted(k for k, n in Counter(items).items() if n > 1)


def check_identity(c: Collector, rules: JurisdictionRules) -> None:
    code = rules.code
    for dup in duplicates(o.id for o in rules.obligations):
        c.error(dup, "duplicate-id", Msg("chk.obligation_twice"))
    for dup in duplicates(d.name for d in rules.departments):
        c.error(f"department {dup}", "duplicate-id", Msg("chk.department_twice"))
    names: Counter[str] = Counter()
    for d in rules.departments:
        names.update({d.name, *d.aliases})
    for d in rules.departments:
        for alias in d.aliases:
            if names[alias] > 1:
                c.error(
                    f"department {d.name}",
                    "duplicate-id",
                    Msg("chk.alias_clash", alias=alias),
                )
    for dup in duplicates(s.name for s in rules.region_sets):
        c.error(f"region set {dup}", "duplicate-id", Msg("chk.region_set_twice"))
    for dup in duplicates(cl.id for cl in rules.clauses):
        c.error(f"clause {dup}", "duplicate-id", Msg("chk.clause_twice"))
    for kind, items in (
        ("department", rules.departments),
        ("region set", rules.region_sets),
        ("obligation", rules.obligations),
    ):
        for item in items:
            if item.jurisdiction != code:
                label = getattr(item, "id", None) or f"{kind} {getattr(item, 'name', '?')}"
                wrong = Msg("chk.wrong_jurisdiction", owner=item.jurisdiction, code=code)
                c.error(label, "wrong-jurisdiction", wrong)
    for ob in rules.obligations:
        if not ob.id.startswith(code + "."):
            c.error(ob.id, "duplicate-id", Msg("chk.id_prefix", prefix=code + "."))
