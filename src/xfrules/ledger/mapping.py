"""Column mapping: which ledger column holds which transaction field.

Headers are matched after normalisation (fullwidth to ASCII, spaces removed, a trailing
unit in parentheses such as ``金额（元）`` or ``金额（万元）`` split off). Built-in synonyms
cover the Datonghu 附件2 layout (序号, 产品名称, 卖方, 买方, 数量, 金额, 交易时间, 备注) and the
usual variants; a YAML mapping file (docs/ledgers.md) maps any other layout.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingABC
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import InputError, Joined, Problem, os_reason
from ..i18n import Msg
from ..values import to_halfwidth

__all__ = [
    "FIELDS",
    "PERSONAL_FIELDS",
    "REQUIRED_FIELDS",
    "SYNONYMS",
    "ColumnPlan",
    "LedgerMapping",
    "load_mapping",
    "normalise_header",
]

# Canonical fields a ledger column can map to. ``row_no`` and ``note`` are kept for
# the rejected-rows file only; personal fields are validated and masked, never stored.
FIELDS = (
    "id",
    "row_no",
    "buyer",
    "seller",
    "product",
    "category",
    "origin_region",
    "quantity",
    "amount",
    "date",
    "channel",
    "seller_kind",
    "note",
    "id_number",
    "phone",
    "person_name",
)
PERSONAL_FIELDS = frozenset({"id_number", "phone", "person_name"})
REQUIRED_FIELDS = ("buyer", "amount", "date")  # a row without one is rejected (rules.py)
# Text fields a mapping may give defaults and value maps (category: 农产品 -> agricultural…).
_TEXT_FIELDS = ("category", "channel", "seller_kind", "origin_region", "buyer")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("交易编号", "交易号", "流水号", "单号", "订单号", "凭证号", "单据号", "id"),
    "row_no": ("序号", "行号", "no", "no."),
    "buyer": ("买方", "采购单位", "购买方", "购买单位", "采购方", "买家", "采购人", "buyer"),
    "seller": ("卖方", "销售方", "供应商", "销售单位", "卖家", "供货单位", "seller"),
    "product": ("产品名称", "商品名称", "品名", "产品", "商品", "product"),
    "category": ("类别", "产品类别", "品类", "商品类别", "category"),
    "origin_region": (
        "产地",
        "来源地区",
        "区划代码",
        "产地代码",
        "产地区划代码",
        "来源地",
        "来源地区代码",
        "origin_region",
        "origin",
    ),
    "quantity": ("数量", "采购数量", "购买数量", "quantity"),
    "amount": ("金额", "采购金额", "交易金额", "销售金额", "购买金额", "amount"),
    "date": ("交易时间", "日期", "采购日期", "交易日期", "购买日期", "采购时间", "时间", "date"),
    "channel": ("渠道", "采购渠道", "销售渠道", "采购方式", "channel"),
    "seller_kind": ("卖方类型", "销售方类型", "供应商类型", "seller_kind"),
    "note": ("备注", "说明", "note", "remark"),
    "id_number": ("身份证", "身份证号", "身份证号码", "卖方身份证号", "id_number"),
    "phone": ("联系方式", "联系电话", "电话", "手机", "手机号", "phone"),
    "person_name": ("姓名", "联系人", "收款人", "name"),
}

_UNIT_SCALE = {
    "元": Decimal(1),
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
    "千元": Decimal(1_000),
}
_PAREN = re.compile(r"^(.*?)\(([^()]*)\)$")


def normalise_header(header: object) -> tuple[str, str | None]:
    """``金额（万元）`` -> (``金额``, ``万元``); fullwidth to ASCII, spaces and a template's
    ``*`` marks of a required column removed, lower case. Ledgers and annexes alike."""
    text = re.sub(r"\s+", "", to_halfwidth("" if header is None else str(header))).strip("*")
    match = _PAREN.match(text)
    if match and match.group(1):
        return match.group(1).lower(), match.group(2)
    return text.lower(), None


@dataclass(frozen=True)
class ColumnPlan:
    """How one file's columns map: position -> field, plus per-field scale and header text."""

    fields: dict[int, str]
    headers: tuple[str, ...]
    amount_scale: Decimal = Decimal(1)

    def position(self, name: str) -> int | None:
        for pos, f in self.fields.items():
            if f == name:
                return pos
        return None

    def has(self, name: str) -> bool:
        return self.position(name) is not None


@dataclass(frozen=True)
class LedgerMapping:
    """Header synonyms plus a user's overrides (``columns``), defaults and value maps."""

    columns: dict[str, str] = field(default_factory=dict)  # normalised header -> field
    defaults: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    amount_scale: Decimal | None = None
    header_row: int | None = None  # 1-based; None: detect
    sheet: str | None = None
    source: str = "<built-in>"

    def field_for(self, header: object) -> tuple[str | None, str | None]:
        name, unit = normalise_header(header)
        if name in self.columns:
            return self.columns[name], unit
        for fld, names in SYNONYMS.items():
            if name in names:
                return fld, unit
        return None, unit

    def plan(self, headers: Sequence[object]) -> ColumnPlan:
        fields: dict[int, str] = {}
        scale = Decimal(1)
        for pos, header in enumerate(headers):
            fld, unit = self.field_for(header)
            if fld is None or fld in fields.values():
                continue  # unmapped, or a second column for a field already mapped
            fields[pos] = fld
            if fld == "amount" and unit in _UNIT_SCALE:
                scale = _UNIT_SCALE[unit]
        if self.amount_scale is not None:
            scale = self.amount_scale
        return ColumnPlan(fields, tuple("" if h is None else str(h) for h in headers), scale)

    def header_problem(self, headers: Sequence[object]) -> Msg | None:
        """Why a file with these headers cannot be read as a ledger, or None.

        A required field without a column would reject every row for the same reason (or,
        summed, read as 0 元), so it is one problem of the file. A mapping entry naming a
        header the file lacks is one too, unless another column gives its field: a mapping
        may list the variants of several layouts, but a field it asks for must not vanish.
        """
        plan = self.plan(headers)
        found = {normalise_header(h)[0] for h in headers}
        missing = [f for f in REQUIRED_FIELDS if not plan.has(f) and f not in self.defaults]
        unmatched = [
            f"{name!r} ({fld})"
            for name, fld in self.columns.items()
            if name not in found and not plan.has(fld)
        ]
        if not missing and not unmatched:
            return None
        parts: list[str | Msg] = []
        if missing:
            parts.append(Msg("ledger.no_column", fields=", ".join(missing)))
        if unmatched:
            names = ", ".join(unmatched)
            parts.append(Msg("ledger.unmatched", source=self.source, names=names))
        shown = [str(h) for h in headers if h not in (None, "")]
        more = Msg("ledger.more_headers", n=len(shown) - 30) if len(shown) > 30 else ""
        listed = ", ".join(shown[:30]) or Msg("ledger.no_headers")
        parts.append(Msg("ledger.headers_found", headers=listed, more=more))
        if self.header_row is not None:
            parts.append(Msg("ledger.header_row_in_mapping", n=self.header_row))
        return Msg("in.joined", parts=Joined("problem.reasons_sep", parts))

    def score(self, row: Sequence[object]) -> int:
        """How header-like a row is: the number of distinct fields its cells map to."""
        return len({f for f in (self.field_for(c)[0] for c in row if c not in (None, "")) if f})


def load_mapping(path: str | Path | None) -> LedgerMapping:
    """Read a YAML mapping file (see docs/ledgers.md); ``None`` gives the built-in synonyms."""
    if path is None:
        return LedgerMapping()
    import yaml

    from ..yamlio import TooDeepError, YamlSyntaxError, load_yaml

    source = str(path)
    try:
        doc: Any = load_yaml(Path(path).read_text(encoding="utf-8"), source)
    except YamlSyntaxError as exc:
        malformed = Msg("file.malformed", kind="YAML", detail=exc.detail)
        raise InputError([Problem(source, exc.where, "", malformed)]) from exc
    except OSError as exc:
        unread = Msg("mapping.cannot_read", detail=os_reason(exc))
        raise InputError([Problem(source, "", "", unread)]) from exc
    except (yaml.YAMLError, UnicodeDecodeError, TooDeepError) as exc:
        unread = Msg("mapping.cannot_read", detail=str(exc))
        raise InputError([Problem(source, "", "", unread)]) from exc
    doc = doc or {}
    problems: list[Problem] = []
    if not isinstance(doc, MappingABC):
        raise InputError([Problem(source, "", "", Msg("mapping.not_mapping"))])
    known = {"columns", "defaults", "values", "amount_scale", "header_row", "sheet"}
    for key in doc:
        if key not in known:
            problems.append(
                Problem(source, str(key), "", Msg("mapping.unknown_key", known=sorted(known)))
            )

    def section(name: str) -> MappingABC[Any, Any]:
        value = doc.get(name)
        if value is None:
            return {}
        if not isinstance(value, MappingABC):
            problems.append(Problem(source, name, "", Msg("mapping.section")))
            return {}
        return value

    columns: dict[str, str] = {}
    for header, fld in section("columns").items():
        if not isinstance(fld, str) or fld not in FIELDS:
            problems.append(
                Problem(
                    source,
                    "columns",
                    str(header),
                    Msg("mapping.unknown_field", value=fld, fields=", ".join(FIELDS)),
                )
            )
            continue
        columns[normalise_header(header)[0]] = fld
    defaults = {str(k): str(v) for k, v in section("defaults").items()}
    for k in defaults:
        if k not in _TEXT_FIELDS:
            problems.append(
                Problem(
                    source,
                    "defaults",
                    k,
                    Msg("mapping.defaults"),
                )
            )
    values: dict[str, dict[str, str]] = {}
    for f, m in section("values").items():
        if m is not None and not isinstance(m, MappingABC):
            problems.append(Problem(source, "values", str(f), Msg("mapping.values_shape")))
            continue
        values[str(f)] = {str(a): str(b) for a, b in (m or {}).items()}
    for f in values:
        if f not in _TEXT_FIELDS:
            problems.append(
                Problem(
                    source,
                    "values",
                    f,
                    Msg("mapping.values_fields"),
                )
            )
    scale = doc.get("amount_scale")
    if scale is not None and (
        isinstance(scale, bool)
        or str(scale) not in ("1", "10", "100", "1000", "10000", "100000000")
    ):
        problems.append(
            Problem(
                source,
                "amount_scale",
                "",
                Msg("mapping.amount_scale"),
            )
        )
    header_row = doc.get("header_row")
    if header_row is not None and (
        not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1
    ):
        problems.append(Problem(source, "header_row", "", Msg("mapping.header_row")))
    sheet = doc.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        problems.append(Problem(source, "sheet", "", Msg("mapping.sheet")))
    if problems:
        raise InputError(problems)
    return LedgerMapping(
        columns=columns,
        defaults=defaults,
        values=values,
        amount_scale=Decimal(str(scale)) if scale is not None else None,
        header_row=header_row,
        sheet=sheet,
        source=source,
    )
