"""What a command hands to the renderers: an output knows its JSON record, its sheets and its
terminal text; the renderers decide nothing about content."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..render import render_table
from .registry import RenderOptions
from .sheets import Column, Sheet, human_value

__all__ = ["HasHtml", "Listing", "Output"]


@runtime_checkable
class Output(Protocol):
    def record(self) -> Any:
        """The JSON contract (field names and codes stable whatever the language)."""

    def sheets(self) -> list[Sheet]:
        """Its tables; the first is the one CSV writes."""

    def text(self, options: RenderOptions) -> str:
        """What a terminal shows."""


@runtime_checkable
class HasHtml(Protocol):
    def html(self, options: RenderOptions) -> str: ...


@dataclass
class Listing:
    """A list of things (plug-ins, obligations, sentences, problems): one sheet, a JSON
    record, and a terminal table with some columns cut (``max_width``) and lines after it."""

    data: Any
    sheet: Sheet
    max_width: dict[str, int] = field(default_factory=dict)
    footer: Sequence[str] = ()
    extra_sheets: Sequence[Sheet] = ()
    text_maker: Callable[[RenderOptions], str] | None = None

    def record(self) -> Any:
        return self.data

    def sheets(self) -> list[Sheet]:
        return [self.sheet, *self.extra_sheets]

    def text(self, options: RenderOptions) -> str:
        if self.text_maker is not None:
            return self.text_maker(options)
        return listing_text(self.sheet, self.max_width, self.footer, options)


def listing_text(
    sheet: Sheet,
    max_width: dict[str, int],
    footer: Sequence[str],
    options: RenderOptions,
) -> str:
    keys = [c.key for c in sheet.columns]
    limits = {} if options.verbose else {keys.index(k): w for k, w in max_width.items()}
    wrap = {keys.index(k): max(w, 60) for k, w in max_width.items()} if options.verbose else {}
    rows = [
        [human_value(c, v) for c, v in zip(sheet.columns, row, strict=True)] for row in sheet.rows
    ]
    parts = [render_table([c.header for c in sheet.columns], rows, max_width=limits, wrap=wrap)]
    parts.extend(footer)
    return "\n".join(parts)


def columns(*spec: tuple[str, str] | tuple[str, str, Any]) -> list[Column]:
    """Columns from (key, header[, kind]) triples."""
    return [Column(s[0], s[1], *s[2:]) for s in spec]
