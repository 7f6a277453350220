"""Source documents and their clauses, as a plug-in ships them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .kinds.base import Waiver

__all__ = ["Clause", "ContextMark", "SourceDocument"]


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


class ContextMark(BaseModel):
    """Sentences of an encoded clause that bear no duty: the quote covers them, the reason
    says why they are context (the purpose of the task, a definition…)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    quote: str = Field(min_length=2, description="Verbatim words of the document.")
    reason: str = Field(min_length=2)


class Clause(BaseModel):
    """One numbered part of a document, for the coverage view.

    A clause either is encoded by obligations (whose ``source.clause`` equals ``id``)
    or is context (preamble, principles, a heading) and says why (``reason``): every sentence
    of a context clause is accounted for. In an encoded clause each sentence is covered by
    an obligation's quote or by one of the clause's ``context`` marks.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(description="As numbered in the document, e.g. 三（一）.")
    heading: str
    # not_checkable: the earlier name of context, still accepted (read as context).
    disposition: Literal["encoded", "context"] = "encoded"
    reason: str | None = Field(default=None, description="Why nothing is encoded (required then).")
    context: tuple[ContextMark, ...] = Field(
        default=(), description="Sentences of an encoded clause that state no duty, with why."
    )
    starts: str | None = Field(
        default=None,
        min_length=2,
        description="Verbatim words the clause begins with, for a clause the document does not "
        "number (序言, 落款) whose heading is not in the text either.",
    )
    waivers: tuple[Waiver, ...] = Field(
        default=(), description="Checks silenced on purpose for this clause, with why."
    )

    @model_validator(mode="before")
    @classmethod
    def _synonyms(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("disposition") == "not_checkable":
            return {**data, "disposition": "context"}
        return data
