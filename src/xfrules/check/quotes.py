"""Quotes are verbatim: every obligation, threshold and region-set quote is in the document."""

from __future__ import annotations

import re

from ..documents import SourceDocument
from ..i18n import Msg
from ..registry import JurisdictionRules
from ..values import to_halfwidth
from .problems import Collector

__all__ = ["check_quote", "check_sources", "document_file", "quote_hint"]

_SPACE = re.compile(r"\s+")


def quote_hint(quote: str, text: str) -> Msg:
    """Why ``quote`` is not in ``text``: whitespace only, or where it stops matching."""
    if _SPACE.sub("", quote) in _SPACE.sub("", text):
        return Msg("chk.quote_spaces")
    if to_halfwidth(quote) in to_halfwidth(text):
        return Msg("chk.quote_width")
    lo, hi = 0, len(quote)
    while lo < hi:  # longest prefix found in the document
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return Msg("chk.quote_absent")
    return Msg("chk.quote_stops", found=quote[:lo], rest=quote[lo : lo + 12])


def document_file(document: SourceDocument) -> str:
    """The plug-in file quotes are checked against (``filename`` names the shared copy).

    A data plug-in ships ``source.txt``, and ``source.clean.txt`` beside a garbled original.
    """
    return "source.clean.txt" if document.original is not None else "source.txt"


def check_quote(
    c: Collector, document: SourceDocument | None, subject: str, what: str, quote: str | None
) -> bool:
    """Report ``quote`` unless it is verbatim in ``document``; True when it is (or cannot be told)."""
    if quote is None or document is None:
        return True
    if document.contains(quote):
        return True
    c.error(
        subject,
        "quote-not-verbatim",
        Msg(
            "chk.not_verbatim",
            what=what,
            quote=quote,
            file=document_file(document),
            hint=quote_hint(quote, document.text),
        ),
    )
    return False


def check_sources(c: Collector, rules: JurisdictionRules) -> None:
    doc = rules.document
    if doc is None:
        c.error(
            "source document",
            "no-document",
            Msg("chk.no_document"),
        )
    for ob in rules.obligations:
        if ob.source.document != rules.jurisdiction.document_number:
            c.error(
                ob.id,
                "wrong-document",
                Msg(
                    "chk.wrong_document",
                    cited=ob.source.document,
                    encoded=rules.jurisdiction.document_number,
                ),
            )
        check_quote(c, doc, ob.id, "source quote", ob.source.quote)
        for i, th in enumerate(getattr(ob, "thresholds", ())):
            check_quote(c, doc, ob.id, f"thresholds[{i}] quote", th.quote)
    for rs in rules.region_sets:
        check_quote(c, doc, f"region set {rs.name}", "source_quote", rs.source_quote)
    for clause in rules.clauses:
        for i, mark in enumerate(clause.context):
            check_quote(c, doc, f"clause {clause.id}", f"context[{i}] quote", mark.quote)
