"""Personal data: validate 身份证号 (GB 11643 checksum) and phone numbers, and mask them.

Every output and log of xfrules shows personal data only through these masks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
import sys
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any, TypeVar

from .i18n import Msg

__all__ = [
    "has_personal_number",
    "id_check_digit",
    "id_number_problem",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "masked",
    "phone_problem",
    "pseudonym",
    "scrub",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID = re.compile(r"^[0-9]{17}[0-9X]$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")
# Personal numbers inside free text (messages, notes, DuckDB's echo of a line). ``\d`` is any
# script's digit, so a fullwidth ID is caught too. An ID number is masked whether or not its
# check digit holds: an invalid one is still someone's. 15 digits: first-generation IDs.
# The lookahead first lets the regex engine skip to a digit or '+' (4x faster on messages).
_PII_IN_TEXT = re.compile(
    r"(?=[\d+])(?<!\d)(?:"
    r"(?P<id>\d{17}[\dXxＸｘ]|\d{15})"
    r"|(?P<phone>(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}|0\d{2,3}-?\d{7,8})"
    r")(?!\d)"
)


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_number_problem(value: str) -> Msg | None:
    """Why ``value`` is not a valid 18-digit resident ID number, or None. Never echoes the number."""
    text = value.strip().upper()
    if not _ID.match(text):
        return Msg("pii.id_form")
    try:
        date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return Msg("pii.id_birth")
    if id_check_digit(text[:17]) != text[17]:
        return Msg("pii.id_check")
    return None


def phone_problem(value: str) -> Msg | None:
    text = value.strip().replace(" ", "")
    if _MOBILE.match(text) or _LANDLINE.match(text):
        return None
    return Msg("pii.phone")


def mask_id_number(value: str) -> str:
    """Keep the 6-digit region prefix and the last four: 43092119650312402X -> 430921********402X."""
    text = value.strip()
    if len(text) < 8:
        return "*" * len(text)
    return (
        text[:6] + "*" * (len(text) - 10) + text[-4:]
        if len(text) > 10
        else text[:2] + "*" * (len(text) - 2)
    )


def mask_phone(value: str) -> str:
    text = value.strip().replace(" ", "")
    if len(text) <= 4:
        return "*" * len(text)
    return (
        text[:3] + "*" * (len(text) - 7) + text[-4:]
        if len(text) >= 8
        else "*" * (len(text) - 2) + text[-2:]
    )


def _mask_match(m: re.Match[str]) -> str:
    return mask_id_number(m.group()) if m.group("id") else mask_phone(m.group())


def has_personal_number(text: str) -> bool:
    """Whether :func:`scrub` would mask something in ``text``."""
    return _PII_IN_TEXT.search(text) is not None


@lru_cache(maxsize=4096)  # messages repeat (a file's path, a reason): every Problem is scrubbed
def scrub(text: str) -> str:
    """``text`` with every ID-like and phone-like number in it masked (idempotent: a mask
    holds no run of digits long enough to match again)."""
    return _PII_IN_TEXT.sub(_mask_match, text)


_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def pseudonym(text: str, key: bytes) -> str:
    """``text`` with every ID-like and phone-like number replaced by its mask and a keyed
    digest of the number: ``t-13912345678`` -> ``t-139****5678~kcemalgbpnhid``.

    For identifiers that must stay distinct where a mask would merge them (two order numbers
    of 18 digits with the same first six and last four): the same number gives the same
    pseudonym under the same ``key``, different numbers different ones (13 letters of
    HMAC-SHA256). Without the key, a pseudonym tells no more than its mask. Text without a
    personal number is returned as it is; a pseudonym holds none (idempotent).
    """

    def replace(m: re.Match[str]) -> str:
        digest = hmac.new(key, m.group().encode(), hashlib.sha256).hexdigest()
        return f"{_mask_match(m)}~{digest[:13].translate(_LETTERS)}"

    clean = _PII_IN_TEXT.sub(replace, text)
    return text if clean == text else clean


def mask_name(value: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: the family name stays, for a person to recognise the row."""
    text = value.strip()
    return text[:1] + "*" * (len(text) - 1) if text else text


T = TypeVar("T")


def masked(value: T) -> T:
    """``value`` as an output may show it: every text inside it :func:`scrub`-bed — a str, and
    the str in tuples, lists, dicts (keys too), pydantic models and dataclasses, however
    nested. Numbers, dates and enums are left as they are: a figure of 13912345678 元 is no
    phone number. What is unchanged is returned itself (no copy); ids are masked for
    showing only, so mask after selecting and joining, never before."""
    return _masked(value, {})  # type: ignore[no-any-return]


def _masked(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if kind is str:
        clean = scrub(value)  # cached: an equal text may come back as another object
        return value if clean == value else clean
    shape = _SHAPES.get(kind) or _shape(kind)
    if shape == "atom":
        return value
    key = id(value)
    if key in memo:  # shared parts (an obligation's source in every finding) once
        return memo[key]
    out = value
    if shape == "sequence":
        items = [_masked(v, memo) for v in value]
        if any(a is not b for a, b in zip(items, value, strict=True)):
            out = kind(items)
    elif shape == "purchases":  # each item is made when read: read once, rebuilt if masked
        given = list(value)
        items = [_masked(v, memo) for v in given]
        if any(a is not b for a, b in zip(items, given, strict=True)):
            out = kind.of(items)
    elif shape == "dict":
        pairs = [(_masked(k, memo), _masked(v, memo)) for k, v in value.items()]
        if any(
            a is not k or b is not v for (a, b), (k, v) in zip(pairs, value.items(), strict=True)
        ):
            out = dict(pairs) if kind is dict else _rebuilt(value, pairs)
    elif shape == "model":
        changes = _changes(value.__dict__.items(), memo)
        out = value.model_copy(update=changes) if changes else value
    elif shape == "dataclass":
        fields = dataclasses.fields(value)
        changes = _changes(((f.name, getattr(value, f.name)) for f in fields if f.init), memo)
        out = dataclasses.replace(value, **changes) if changes else value
    memo[key] = out
    return out


def _changes(items: Any, memo: dict[int, Any]) -> dict[str, Any]:
    changes = {}
    for name, field in items:
        kind = type(field)
        if kind is str:
            clean = scrub(field)
            if clean != field:
                changes[name] = clean
        elif _SHAPES.get(kind) != "atom":
            new = _masked(field, memo)
            if new is not field:
                changes[name] = new
    return changes


_SHAPES: dict[type, str] = {t: "atom" for t in (int, float, bool, type(None), date, Decimal)}


def _is_model(kind: type) -> bool:
    """Whether ``kind`` is a pydantic model class. Asked without importing pydantic's model
    machinery (``xfrules --help`` loads none of it): until it is imported, no model exists."""
    main = sys.modules.get("pydantic.main")
    return main is not None and issubclass(kind, main.BaseModel)


def _shape(kind: type) -> str:
    """How :func:`masked` walks values of a type: learned once per type."""
    if issubclass(kind, Enum | int | float | date | Decimal | bytes):
        shape = "atom"  # an enum's value is a fixed word, not input
    elif kind is tuple or kind is list:
        shape = "sequence"
    elif kind.__module__ == "xfrules.purchases":  # Facts.transactions (not imported here)
        shape = "purchases"
    elif issubclass(kind, dict):
        shape = "dict"
    elif dataclasses.is_dataclass(kind):
        shape = "dataclass"
    elif _is_model(kind):
        shape = "model"
    else:
        shape = "atom"  # sets, other objects: not shown as they are
    _SHAPES[kind] = shape
    return shape


def _rebuilt(value: dict[Any, Any], pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    """A dict subclass (Counter, defaultdict…) with new items, keeping its type and state."""
    import copy

    out = copy.copy(value)
    out.clear()
    out.update(pairs)
    return out
