"""Where a duty comes from and how binding it is: what a finding cites of its obligation.

Defined apart from the obligation kinds (:mod:`xfrules.kinds`), which re-export them: a
finding (:mod:`xfrules.findings`) cites them, and the kinds make findings, so neither may
need the other to be imported first.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Modality", "Source"]

# mandatory: 要/应/必须/确保/不得/严禁 — a miss is a breach.
# encouraged: 鼓励/支持/引导/倡议/倡导/探索/可 — judged and reported, never a breach.
# aspirational: 力争 — a target striven for: judged and reported, never a breach.
Modality = Literal["mandatory", "encouraged", "aspirational"]


class Source(BaseModel):
    """Where an obligation comes from; ``quote`` is verbatim from the document."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: str = Field(description="Document number, e.g. 苏府办〔2020〕77号.")
    clause: str = Field(description="Clause as numbered in the document, e.g. 三（一）.")
    quote: str = Field(
        min_length=2, description="Verbatim text of the clause that states the duty."
    )
