"""Region sets hold the count the document states, and every set an obligation reads exists."""

from __future__ import annotations

from ..i18n import Msg
from ..obligations import region_sets_read
from ..registry import JurisdictionRules
from .identity import duplicates
from .problems import Collector

__all__ = ["check_region_sets"]


def check_region_sets(c: Collector, rules: JurisdictionRules) -> None:
    for rs in rules.region_sets:
        subject = f"region set {rs.name}"
        for dup in duplicates(r.code for r in rs.regions):
            c.error(subject, "duplicate-id", Msg("chk.region_listed_twice", region=dup))
        n = len(rs.regions)
        if rs.expected_size is not None and n != rs.expected_size:
            if rs.extensible and n < rs.expected_size:
                c.warning(
                    subject,
                    "region-set-size",
                    Msg("chk.region_set_short", expected=rs.expected_size, n=n),
                )
            else:
                c.error(
                    subject,
                    "region-set-size",
                    Msg("chk.region_set_size", expected=rs.expected_size, n=n),
                )
    known = {rs.name for rs in rules.region_sets}
    for ob in rules.obligations:
        for name in region_sets_read(ob):
            if name not in known:
                c.error(
                    ob.id,
                    "unknown-region-set",
                    Msg("chk.unknown_region_set", name=name),
                )
