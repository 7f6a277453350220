"""The headline of an evaluation: the compliance rate with what it is out of and what is not
judged — never a lone percentage (65.2% of 23 judged says something else than of 158)."""

from __future__ import annotations

from collections.abc import Mapping

from ..findings import Status, percent
from ..i18n import status_label, t

__all__ = ["headline", "judged"]

_UNJUDGED = (Status.INSUFFICIENT_EVIDENCE, Status.NOT_YET_DUE)


def judged(counts: Mapping[str, int]) -> int:
    return counts.get(Status.COMPLIANT.value, 0) + counts.get(Status.NON_COMPLIANT.value, 0)


def headline(counts: Mapping[str, int], mandatory_breaches: int | None = None) -> str:
    """``达标率 65.2%（23项已判定：达标 15，未达标 8）；证据不足 135项；未到期 0项；不适用 40项（不计入）``."""
    from decimal import Decimal

    met = counts.get(Status.COMPLIANT.value, 0)
    n = judged(counts)
    parts = [
        t(
            "headline.rate",
            rate=percent(Decimal(met) / Decimal(n)),
            judged=n,
            met=met,
            missed=n - met,
        )
        if n
        else t("headline.no_rate")
    ]
    for status in _UNJUDGED:
        parts.append(t("headline.unjudged", label=status_label(status), n=counts.get(status, 0)))
    na = counts.get(Status.NOT_APPLICABLE.value, 0)
    if na:
        parts.append(t("headline.not_applicable", n=na))
    if mandatory_breaches is not None:
        parts.append(t("headline.breaches", n=mandatory_breaches))
    return t("headline.sep").join(parts)
