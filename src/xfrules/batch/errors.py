"""DuckDB's complaints about a ledger, as bad input naming the file and the line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError, Problem
from ..i18n import Msg
from ..ledger.mapping import LedgerMapping
from ..ledger.readers import ledger_format, open_ledger, too_wide, undecodable_problem

__all__ = ["ledger_error"]

_DUCKDB_LINE = re.compile(r"CSV Error on Line: (\d+)")
_DUCKDB_NOISE = re.compile(
    r"^(?:CSV Error on Line:|Original Line:|Possible (?:Solution|fixes)|\* |LINE \d+:|\s*\^)"
)


def ledger_error(
    exc: Exception, ledgers: Sequence[str | Path], mapping: LedgerMapping, tmpdir: Path
) -> InputError:
    """DuckDB's complaint about a ledger it read, as bad input naming the file and the line —
    without the settings dump, the SQL, or the line's text.

    DuckDB's line numbers are not always a person's: its CSV "line" counts records (a quoted
    line break makes it fall behind) and its JSON "line" skips blank lines and is one too high.
    So a byte that is not UTF-8 is found by the importer's byte scan and a malformed JSON line
    by the importer's reader, which say what ``xfrules ledger import`` says; only for other
    CSV errors is DuckDB's number given.
    """
    text = str(exc)
    paths = [Path(p) for p in ledgers]
    named = [p for p in paths if str(p) in text]
    # "a.csv" is inside "data.csv": keep only names no longer named one contains.
    named = [p for p in named if not any(str(p) in str(q) and p != q for q in named)]
    converted = False
    if not named and str(tmpdir) in text:
        # A transcoded or converted copy ("<n>-<stem>.…" in tmpdir): its original by stem.
        copy = re.search(re.escape(str(tmpdir)) + r"[/\\]\d+-([^'\"\s]*)", text)
        stem = copy.group(1) if copy else ""
        named = [p for p in paths if stem.startswith(p.stem + ".")]
        converted = any(ledger_format(p) != "csv" for p in named)
    if not named and len(paths) == 1:
        named = paths
    if len(named) == 1:
        path = named[0]
        fmt = ledger_format(path)  # the file was opened already: its suffix is a known one
        if fmt == "csv" and "Invalid unicode" in text:
            return InputError([undecodable_problem(path, "utf-8")])
        if fmt == "jsonl":
            try:
                for _ in open_ledger(path, mapping).rows:
                    pass
            except InputError as found:
                return found
    line = _DUCKDB_LINE.search(text)
    where: str | Msg = Msg("at.line", n=int(line.group(1))) if line and not converted else ""
    if "Expected Number of Columns" in text and len(named) == 1:
        return InputError([too_wide(named[0], where)])
    reasons: list[str] = []
    for raw in text.removeprefix("Invalid Input Error: ").splitlines():
        raw = raw.strip()
        if not raw:
            if reasons:
                break  # the settings dump follows a blank line
            continue
        if not _DUCKDB_NOISE.match(raw):
            reasons.append(raw.removeprefix("Invalid Input Error: ").removeprefix("IO Error: "))
    reason = re.sub(r",? at byte \d+ in line \d+", "", " ".join(reasons)) or type(exc).__name__
    if "Expected Number of Columns" in text:
        wide = too_wide(Path(), "").reason
        why: str | Msg = Msg("ledger.duckdb_too_wide", limit_text=wide, reason=reason)
    else:
        why = reason
    file = ", ".join(str(p) for p in named or paths)
    return InputError([Problem(file, where, "", Msg("ledger.duckdb", reason=why))])
