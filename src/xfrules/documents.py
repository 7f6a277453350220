"""Source documents and their clauses, as a plug-in ships them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Clause", "SourceDocument"]


class SourceDocument(BaseModel):
    """The text an obligation's quote must be found in.

    ``text`` is what quotes are checked against. When the received file is garbled
    (Shaanxi), ``text`` is the cleaned derivation and ``original`` the file as received.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    jurisdiction: str
    document_number: str
    title: str
    text: str
    original: str | None = None
    filename: str = Field(description="Name of the file in shared/sources this copies.")

    def contains(self, quote: str) -> bool:
        return quote in self.text


class Clause(BaseModel):
    """One numbered part of a document, for the coverage view.

    A clause either is encoded by obligations (whose ``source.clause`` equals ``id``)
    or says why it encodes nothing (``reason``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(description="As numbered in the document, e.g. 三（一）.")
    heading: str
    disposition: Literal["encoded", "not_checkable"] = "encoded"
    reason: str | None = Field(default=None, description="Why nothing is encoded (required then).")
