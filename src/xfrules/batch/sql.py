"""SQL expressions that read ledger cells exactly as :mod:`xfrules.ledger.rules` does.

Each builder takes a column expression and returns DuckDB SQL. The rules are reproduced,
not approximated: whitespace is Python's ``str.strip`` set, numbers are rebuilt from their
digits (no float, no rounding), dates go through the same three patterns. The differential
test (tests/test_batch_differential.py) holds this module and the row rules equal.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..filters import sql_literal as lit
from ..regions import PROVINCE_PREFIXES
from ..values import DATE_PATTERNS, MONEY_PATTERN, QUANTITY_PATTERN

__all__ = [
    "DateSQL",
    "NumberSQL",
    "date_sql",
    "filled_expr",
    "id_number_ok",
    "lit",
    "number_sql",
    "origin_code",
    "origin_ok",
    "phone_ok",
    "text_expr",
    "text_in",
]

# Every character str.strip() removes, so SQL trims exactly what Python trims.
WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_HALF = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + " "
# The rules' own patterns (values.py), with Python's \s spelled out: RE2's \s is ASCII only.
_SPACE = "[" + WHITESPACE + "]"
_PATTERNS = {
    "money": (MONEY_PATTERN.replace(r"\s", _SPACE), ["sg", "ip", "fp", "mu", "un"]),
    "quantity": (QUANTITY_PATTERN.replace(r"\s", _SPACE), ["sg", "ip", "fp", "un"]),
}
_DATES = DATE_PATTERNS  # the rules' own date patterns (plain RE2)
NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "HUGEINT",
)


def _nonspace(code: str) -> str:
    # Printable ASCII and everything above U+3000 (the last whitespace code point) is not space.
    return f"({code} BETWEEN 33 AND 126 OR {code} > 12288)"


def _visible_first(col: str) -> str:
    """The cell starts with a character that is not whitespace — decided by two byte-wise
    string comparisons (no decoding): a first byte in 0x21–0xC1 is a visible ASCII character
    (or not a lead byte at all), and text at or above U+4000 starts above the last whitespace
    code point (U+3000). Other cells (NULL, CJK punctuation, Latin-1…) are left undecided."""
    return f"(({col} >= '!' AND {col} < '\u0080') OR {col} >= '\u4000')"


def _strip(col: str) -> str:
    """Python's ``str.strip()``; the full trim runs only when an end character might be space."""
    return (
        f"(CASE WHEN {_visible_first(col)} AND {_nonspace(f'ord({col}[-1])')} THEN {col}"
        f" ELSE trim({col}, {lit(WHITESPACE)}) END)"
    )


def _halfwidth(expr: str) -> str:
    """``to_halfwidth``; ASCII-only text (bytes == characters) is left alone without a scan."""
    return (
        f"(CASE WHEN strlen({expr}) = length({expr}) THEN {expr}"
        f" ELSE translate({expr}, {lit(_FULL)}, {lit(_HALF)}) END)"
    )


def text_expr(
    col: str | None,
    ctype: str | None,
    *,
    values: Mapping[str, str] | None = None,
    default: str | None = None,
) -> str:
    """Stripped text or NULL; then the mapping's value map, then its default."""
    if col is None:
        base = "CAST(NULL AS VARCHAR)"
    elif ctype == "VARCHAR":
        base = f"nullif({_strip(col)}, '')"
    else:
        base = f"nullif(CAST({col} AS VARCHAR), '')"
    if values:
        cases = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in values.items())
        base = f"(CASE {base} {cases} ELSE {base} END)"
    if default is not None:
        base = f"coalesce({base}, {lit(default)})"
    return base


def text_in(
    col: str,
    values: Iterable[str],
    *,
    value_map: Mapping[str, str] | None = None,
    default: str | None = None,
) -> str:
    """A predicate on a VARCHAR cell that holds exactly when its text (:func:`text_expr`
    with ``value_map`` and ``default``) is one of ``values``; FALSE, never NULL, otherwise.

    The cell as read is compared with the texts that qualify first (a clean cell equal to
    one IS that text); only a cell longer than the shortest of them (which might strip to
    one) or, when the default qualifies, a cell starting with a space (which might be blank)
    is stripped — the strip test on every row cost 70 ms per million cells, an IN list 14.
    """
    wanted = frozenset(values)
    if not wanted:
        return "FALSE"
    vmap = value_map or {}
    # Stripped, non-empty texts the value map sends into ``values`` (or leaves there).
    pre = sorted(t for t in {*wanted, *vmap} if t and t == t.strip() and vmap.get(t, t) in wanted)
    blank = default is not None and default in wanted
    full = (
        f"coalesce({text_expr(col, 'VARCHAR', values=vmap, default=default)}"
        f" IN ({', '.join(lit(v) for v in sorted(wanted))}), FALSE)"
    )
    branches = []
    if pre:
        branches.append(f"WHEN {col} IN ({', '.join(lit(t) for t in pre)}) THEN TRUE")
    branches.append(f"WHEN {col} IS NULL THEN {str(blank).upper()}")
    if pre:
        shortest = min(len(t.encode()) for t in pre)
        branches.append(f"WHEN strlen({col}) > {shortest} THEN {full}")
    if blank:
        branches.append(f"WHEN NOT {_visible_first(col)} THEN {full}")
    return f"(CASE {' '.join(branches)} ELSE FALSE END)"


def filled_expr(cols: Iterable[tuple[str, str]]) -> str:
    """TRUE when some cell holds more than whitespace; a row without one is not a row.

    A disjunction, cheapest tests first, to be used as a filter as it is (not negated: a
    negated one is computed in full for every row): DuckDB stops at the first true disjunct
    of a row, so a row with a visible first character is decided by two string comparisons,
    and a typed column the file's statistics show has no NULL folds the whole test away.
    """
    cols = list(cols)
    typed = [f"{c} IS NOT NULL" for c, t in cols if t != "VARCHAR"]
    text = [c for c, t in cols if t == "VARCHAR"]
    quick = [_visible_first(c) for c in text]
    full = [f"({c} IS NOT NULL AND {_strip(c)} <> '')" for c in text]
    parts = typed + quick + full
    return f"({' OR '.join(parts)})" if parts else "FALSE"


def _decimal_scale(ctype: str) -> int | None:
    if ctype in NUMERIC_TYPES:
        return 0
    if ctype.startswith("DECIMAL("):
        return int(ctype[8:-1].split(",")[1])
    return None


@dataclass(frozen=True)
class NumberSQL:
    """A number read in three stacked projections: normalised text, regex parts, value."""

    text: str  # stage 1: normalised text (or the typed column)
    parts: str  # stage 2: regex parts struct (NULL on the fast path), given the stage-1 alias
    value: str  # stage 3: the Decimal value or NULL, given the stage-1 and stage-2 aliases
    ok: str  # stage 3: whether the cell passes the rule
    plain: str = "FALSE"  # stage 1, named ``<s>_plain``: the cell as read is a plain number


def number_sql(
    col: str | None,
    ctype: str | None,
    places: int,
    scale: Decimal,
    *,
    required: bool,
    s: str,
    m: str,
    kind: Literal["money", "quantity"],
) -> NumberSQL:
    """A number with at most ``places`` decimals, ≥ 0 and below 10^15; ``s``/``m`` name the stage
    columns. ``kind`` picks the rule's reader (parse_money or parse_quantity)."""
    pattern, names = _PATTERNS[kind]
    target = f"DECIMAL(18,{places})"
    zero = f"CAST(0 AS {target})"
    if col is None:
        return NumberSQL(
            "CAST(NULL AS VARCHAR)",
            "NULL",
            zero if not required else "NULL",
            "TRUE" if not required else "FALSE",
        )
    shift = len(str(int(scale))) - 1  # scale is a power of ten (checked when the mapping loads)
    dscale = _decimal_scale(ctype or "")
    if dscale is not None and dscale <= places and scale == 1:
        ok = f"({s} >= 0 AND {s} < 1000000000000000)"
        if required:
            return NumberSQL(col, "NULL", f"CAST({s} AS {target})", f"({s} IS NOT NULL AND {ok})")
        return NumberSQL(
            col, "NULL", f"coalesce(CAST({s} AS {target}), {zero})", f"({s} IS NULL OR {ok})"
        )
    if ctype == "DATE" or (ctype or "").startswith("TIMESTAMP"):
        return NumberSQL(
            "CAST(NULL AS VARCHAR)", "NULL", "NULL", "FALSE" if required else f"{col} IS NULL"
        )
    raw = col if ctype == "VARCHAR" else f"CAST({col} AS VARCHAR)"
    # strip∘halfwidth == halfwidth∘strip: no fullwidth character is whitespace, and U+3000
    # (which becomes ' ') is whitespace either way.
    # Commas and inner spaces stay: the pattern decides which are allowed (values.py).
    text = f"nullif({_halfwidth(_strip(raw))}, '')"

    def fast(x: str) -> str:
        return (
            f"regexp_full_match({x}, '[0-9]{{1,15}}(\\.[0-9]{{1,{places}}})?')"
            if shift == 0
            else "FALSE"
        )

    # A cell already written as a plain number (most cells) is its own normalised text:
    # one regex on the cell as read, instead of strip and halfwidth first.
    plain = fast(raw)
    if shift == 0:
        # So is one grouped by thousands (1,234.50; at most 15 digits) once its commas are
        # dropped: its value is then the plain text's (one cast, not the pattern and the
        # digit rebuilding, which took a ledger of such cells from 2.3 s to 4.8 s per 1M rows).
        grouped = (
            f"regexp_full_match({raw}, '[1-9][0-9]{{0,2}}(,[0-9]{{3}}){{1,4}}"
            f"(\\.[0-9]{{1,{places}}})?')"
        )
        text = (
            f"(CASE WHEN {plain} THEN {raw} WHEN {grouped} THEN replace({raw}, ',', '')"
            f" ELSE {text} END)"
        )
    parts = (
        f"CASE WHEN {s}_plain OR {s} IS NULL OR {fast(s)} THEN NULL"
        f" ELSE regexp_extract({s}, {lit(pattern)}, [{', '.join(lit(n) for n in names)}]) END"
    )
    shift_e = (
        f"(CASE {m}.mu WHEN '万' THEN 4 WHEN '亿' THEN 8 WHEN '千' THEN 3 ELSE {shift} END)"
        if "mu" in names
        else str(shift)
    )
    ip = f"ltrim(replace({m}.ip, ',', ''), '0')"  # thousands separators (pattern-checked)
    fp = f"rtrim({m}.fp, '0')"
    dec = f"CAST(length({fp}) - {shift_e} AS INTEGER)"
    digits = f"({ip} || {fp})"
    zero_v = f"({digits} = '')"
    ok_parse = (
        f"({m}.ip <> '' AND NOT ({m}.sg = '-' AND NOT {zero_v})"
        f" AND ({ip} = '' OR length({ip}) + {shift_e} <= 15) AND {dec} <= {places})"
    )
    padded = f"lpad({digits}, CAST(greatest(length({digits}), {dec} + 1) AS INTEGER), '0')"
    built = (
        f"CASE WHEN {zero_v} THEN '0' WHEN {dec} <= 0 THEN {digits} || repeat('0', -{dec})"
        f" ELSE left({padded}, length({padded}) - {dec}) || '.' || right({padded}, {dec}) END"
    )
    value = (
        f"(CASE WHEN {s} IS NULL THEN NULL WHEN {m} IS NULL THEN CAST({s} AS {target})"
        f" WHEN {ok_parse} THEN CAST({built} AS {target}) END)"
    )
    if required:
        return NumberSQL(text, parts, value, f"({value} IS NOT NULL)", plain)
    # A plain cell is valid by its pattern: its validity needs no cast (the value is cast
    # only if a sum asks for it).
    return NumberSQL(
        text,
        parts,
        f"coalesce({value}, {zero})",
        f"({s}_plain OR {s} IS NULL OR {value} IS NOT NULL)",
        plain,
    )


@dataclass(frozen=True)
class DateSQL:
    """A date read in stages, like :class:`NumberSQL`."""

    text: str  # stage 1: normalised text (or the typed column)
    value: str  # stage 3: the date or NULL, given the stage-1 columns
    plain: str = "FALSE"  # stage 1, named ``<t>_plain``: the cell as read is an ISO date
    fast: str = "CAST(NULL AS DATE)"  # stage 1, named ``<t>_fast``: its date when plain


def _by_patterns(x: str) -> str:
    """The date the rules' three patterns read in normalised text ``x``, or NULL."""
    parts = []
    for pattern in _DATES:
        y, mo, d = (f"regexp_extract({x}, {lit(pattern)}, {i})" for i in (1, 2, 3))
        parts.append(
            f"(CASE WHEN {y} <> '0000' THEN TRY_CAST({y} || '-' || lpad({mo}, 2, '0') || '-'"
            f" || lpad({d}, 2, '0') AS DATE) END)"
        )
    return (
        f"(CASE WHEN regexp_matches({x}, {lit(_DATES[0])}) THEN {parts[0]}"
        f" WHEN regexp_matches({x}, {lit(_DATES[1])}) THEN {parts[1]}"
        f" WHEN regexp_matches({x}, {lit(_DATES[2])}) THEN {parts[2]} END)"
    )


def _typed_date(t: str, day: str) -> str:
    """The date the importer reads from a typed DATE/TIMESTAMP cell ``t`` (``day``: as DATE).

    Python holds years 1–9999 only: DuckDB hands the importer ±infinity as date.max/min and
    any other date outside that range as its printed text, which the rules then read (a
    year-12020 date is no date; "0001-06-01 (BC)" reads as 1 June of year 1)."""
    return (
        f"(CASE WHEN {t} IS NULL THEN NULL"
        f" WHEN isinf({t}) THEN (CASE WHEN {t} > '1970-01-01' THEN DATE '9999-12-31'"
        " ELSE DATE '0001-01-01' END)"
        f" WHEN {day} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' THEN {day}"
        f" ELSE {_by_patterns(f'CAST({t} AS VARCHAR)')} END)"
    )


def date_sql(col: str | None, ctype: str | None, *, t: str) -> DateSQL:
    """A date cell read in stages; ``t`` names the stage-1 text column."""
    if col is None:
        return DateSQL("CAST(NULL AS VARCHAR)", "CAST(NULL AS DATE)")
    if ctype == "DATE":
        return DateSQL(col, _typed_date(t, t))
    if (ctype or "").startswith("TIMESTAMP"):
        return DateSQL(col, _typed_date(t, f"CAST({t} AS DATE)"))
    raw = col if ctype == "VARCHAR" else f"CAST({col} AS VARCHAR)"

    def iso(x: str) -> str:
        return f"(regexp_full_match({x}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') AND left({x}, 4) <> '0000')"

    # An ISO date as read (most cells) is its own normalised text. It is recognised by
    # DuckDB printing its date back as the very cell: ten bytes printed as YYYY-MM-DD are
    # a date of years 0001–9999 (year 0 prints with "(BC)", year 10000 takes 11 bytes),
    # which the rules read the same. Cast and print cost 60 ms per million cells against
    # 90 ms for the pattern and a cast (1M rows, one thread).
    fast = f"TRY_CAST({raw} AS DATE)"
    plain = f"coalesce(strlen({raw}) = 10 AND CAST({fast} AS VARCHAR) = {raw}, FALSE)"
    text = f"(CASE WHEN {plain} THEN {raw} ELSE {_halfwidth(_strip(raw))} END)"
    value = (
        f"(CASE WHEN {t}_plain THEN {t}_fast WHEN {t} IS NULL THEN NULL"
        f" WHEN {iso(t)} THEN TRY_CAST({t} AS DATE) ELSE {_by_patterns(t)} END)"
    )
    return DateSQL(text, value, plain, fast)


def origin_code(text: str) -> str:
    """``text`` is a region code ``region_code_problem`` accepts: 6, 9 or 12 digits under a
    known province prefix (FALSE, not NULL, for a NULL text)."""
    provinces = "|".join(sorted(PROVINCE_PREFIXES))
    return f"coalesce(regexp_full_match({text}, '({provinces})[0-9]{{4}}([0-9]{{3}}([0-9]{{3}})?)?'), FALSE)"


def origin_ok(text: str) -> str:
    """``region_code_problem`` is None (or no code): :func:`origin_code`, or NULL."""
    return f"({text} IS NULL OR {origin_code(text)})"


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number_ok(text: str) -> str:
    """GB 11643: 17 digits, a possible birth date, and the check digit."""
    u = f"upper({text})"
    total = " + ".join(
        f"{w} * coalesce(TRY_CAST(substr({u}, {i + 1}, 1) AS INTEGER), 0)"
        for i, w in enumerate(_WEIGHTS)
    )
    birth = f"substr({u}, 7, 4) || '-' || substr({u}, 11, 2) || '-' || substr({u}, 13, 2)"
    return (
        f"({text} IS NULL OR (regexp_full_match({u}, '[0-9]{{17}}[0-9X]')"
        f" AND substr({u}, 7, 4) <> '0000' AND TRY_CAST({birth} AS DATE) IS NOT NULL"
        f" AND substr('10X98765432', (({total}) % 11) + 1, 1) = substr({u}, 18, 1)))"
    )


def phone_ok(text: str) -> str:
    p = f"replace({text}, ' ', '')"
    return f"({text} IS NULL OR regexp_full_match({p}, '1[3-9][0-9]{{9}}|0[0-9]{{2,3}}-?[0-9]{{7,8}}'))"
