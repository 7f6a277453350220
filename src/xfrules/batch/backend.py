"""Batch evaluation on embedded DuckDB: every obligation for every unit, straight from ledger files.

DuckDB reads the files (:mod:`xfrules.batch.sources`) and does the work that grows with the
rows: reading cells by the ledger rules, then, in one pass, the sums and counts of
transactions per buyer for every filter and window the obligations need, rolled up to each
unit's subtree (:mod:`xfrules.batch.engine`). Those numbers are exactly what
:func:`xfrules.evaluator.measure_value` computes for transaction measures, and the evaluator
itself decides every finding, with the transaction measures supplied through its
``transaction_measurer`` seam — so the semantics stay in one place.

Which measures are needed is learned by asking the evaluator: a first pass per obligation
records the (filter, window, aggregate, scope) requests; a request missed then is computed on
demand, so a new obligation kind can never be silently mis-measured.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .. import evaluator as _evaluator
from ..backends import KEPT_PROBLEMS, LedgerResult
from ..collector import runs_as_bulk_work
from ..entities import Unit
from ..facts import FactIndex, Facts
from ..ledger.mapping import LedgerMapping
from ..ledger.readers import duckdb_connection, open_ledger
from ..ledger.rules import refuse_facts_transactions
from ..obligations import Obligation
from ..progress import Progress, duckdb_progress
from ..rulebook import RegionSets, Rulebook, prepare
from .cells import CellTexts
from .engine import Engine, SqlMeasurer
from .errors import ledger_error
from .ids import IdSQL
from .sources import DICTIONARY_FIELDS, MAX_SPARE_COLUMNS, SPARE_COLUMNS, key_sql, ledger_source_sql

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["BatchResult", "DuckDBBackend", "evaluate_ledgers"]

BatchResult = LedgerResult  # the name this module's result had before backends shared one


@dataclasses.dataclass
class DuckDBBackend:
    """The :class:`xfrules.backends.Backend` on DuckDB: ``memory_limit`` and ``threads``
    are DuckDB's settings (threads None: one per core)."""

    memory_limit: str = "1500MB"
    threads: int | None = None
    name: str = "duckdb"

    def evaluate(
        self,
        rules: Rulebook,
        ledgers: Sequence[str | Path],
        as_of: date,
        *,
        mapping: LedgerMapping | None = None,
        periods: _evaluator.Periods = "recent",
        rejects: TextIO | None = None,
        progress: bool | None = None,
    ) -> LedgerResult:
        result = evaluate_ledgers(
            rules,
            ledgers,
            as_of,
            mapping=mapping,
            progress=progress,
            memory_limit=self.memory_limit,
            threads=self.threads,
            periods=periods,
        )
        if result.rejected:
            # DuckDB counts the rejected rows; listing them, with file, row, column and
            # reason (the first in a report, all in ``rejects``), is the importer's job: a
            # second, streaming pass that keeps only the first problems.
            from ..ledger.importer import stream_ledgers

            listed = stream_ledgers(
                ledgers,
                mapping,
                units=rules.units,
                rejects=rejects,
                progress=progress,
                keep_problems=KEPT_PROBLEMS,
            )
            result.problems, result.problem_count = listed.problems, listed.problem_count
        return result


@runs_as_bulk_work
def evaluate_ledgers(
    rules: Rulebook | Facts,
    ledgers: Sequence[str | Path],
    as_of: date,
    *,
    mapping: LedgerMapping | None = None,
    progress: bool | None = None,
    memory_limit: str = "1500MB",
    threads: int | None = None,
    periods: _evaluator.Periods = "recent",
    obligations: Iterable[Obligation] | None = None,
    region_sets: RegionSets | None = None,
    registry: Registry | None = None,
) -> LedgerResult:
    """Evaluate the rulebook's units with transactions read from ``ledgers`` by DuckDB.

    Findings equal :func:`xfrules.ledger.evaluate_ledgers_in_memory`'s (the importer, then
    the evaluator). Rejected rows are counted here; ``xfrules ledger import`` lists them row
    by row. Given facts instead of a rulebook, they are prepared first
    (:func:`xfrules.rulebook.prepare` with ``registry``, ``obligations``, ``region_sets``).
    """
    import duckdb

    _evaluator.check_date_argument(as_of)
    if isinstance(rules, Facts):
        rules = prepare(rules, registry, obligations=obligations, region_sets=region_sets)
    facts = rules.facts
    refuse_facts_transactions(facts)
    mapping = mapping or LedgerMapping()
    con = duckdb_connection(
        {"memory_limit": memory_limit, **({"threads": threads} if threads else {})}
    )
    try:
        with (
            tempfile.TemporaryDirectory(prefix="xfrules-batch-") as tmp,
            Progress("batch", enabled=progress) as bar,
        ):
            tmpdir = Path(tmp)
            # Opened once: the headers tell whether ids are present, and the first run reads
            # the same tables (a retry reopens them: an XLSX table's rows are read only once).
            opened = {i: open_ledger(Path(p), mapping, con=con) for i, p in enumerate(ledgers)}
            run = _Run(con, rules, ledgers, mapping, as_of, periods, tmpdir, bar, opened)
            parallel, spare = True, SPARE_COLUMNS
            while True:
                try:
                    # The share done of each DuckDB query, with the time left (on a terminal).
                    with duckdb_progress(con, bar):
                        measurer, rows_read, accepted, later = run(parallel, spare)
                    break
                except duckdb.Error as exc:
                    # A CSV row with more extra cells than spare columns stops DuckDB; the
                    # importer ignores extra cells, so the run is repeated with more (rare:
                    # trailing commas are the usual case, and 4 cover them).
                    if "Expected Number of Columns" in str(exc) and spare < MAX_SPARE_COLUMNS:
                        spare *= 8
                    # DuckDB's parallel CSV scanner cannot pad short rows across quoted line
                    # breaks.
                    elif "parallel=false" in str(exc) and parallel:
                        parallel = False
                    elif isinstance(exc, duckdb.InvalidInputException | duckdb.IOException):
                        # A file DuckDB cannot read is bad input (exit 2), not a crash.
                        raise ledger_error(exc, ledgers, mapping, tmpdir) from exc
                    else:
                        raise
            measurer.recording = False
            # The evaluator itself decides every finding (pairs, department aliases,
            # semantics); only the transaction sums come from SQL.
            evaluation = _evaluator.evaluate_rulebook(
                rules, as_of, transaction_measurer=measurer, periods=periods
            )
    finally:
        con.close()
    evaluation = dataclasses.replace(evaluation, transactions_after_as_of=later)
    return LedgerResult(evaluation, rows_read, accepted)


@dataclasses.dataclass
class _Run:
    """One attempt at reading the ledgers and measuring (repeated with other CSV settings
    when DuckDB asks for them)."""

    con: Any
    rules: Rulebook
    ledgers: Sequence[str | Path]
    mapping: LedgerMapping
    as_of: date
    periods: _evaluator.Periods
    tmpdir: Path
    bar: Progress
    opened: dict[int, Any]

    def __call__(self, parallel: bool, spare: int) -> tuple[SqlMeasurer, int, int, int]:
        con, mapping, as_of = self.con, self.mapping, self.as_of
        has_ids = any(mapping.plan(t.headers).has("id") for t in self.opened.values())
        # Checking each distinct origin once needs a first pass over the origin column:
        # cheap in a columnar file, a second parse of the whole file in a text one.
        columnar = all(t.format == "parquet" for t in self.opened.values())

        def parts_of(check_origin: bool) -> list[Any]:
            return [
                ledger_source_sql(
                    con,
                    Path(p),
                    mapping,
                    self.tmpdir,
                    explicit_columns=has_ids,
                    progress=self.bar,
                    parallel=parallel,
                    table=self.opened.pop(i, None),
                    spare_columns=spare,
                    check_origin=check_origin,
                )
                for i, p in enumerate(self.ledgers)
            ]

        parts = parts_of(check_origin=not columnar)
        # Text cells repeat (thousands of origin codes, a few categories; millions of rows):
        # in a columnar file each distinct cell is listed and read once, and the scan tests
        # cells as read instead of stripping and regex-checking every row.
        cells = CellTexts.read(con, parts, mapping, self._text_fields()) if columnar else None
        if columnar and cells is None:  # free text where codes belong: read every row
            parts = parts_of(check_origin=True)
        union = " UNION ALL ".join(f"({p.sql})" for p in parts)
        measurer = SqlMeasurer(
            Engine(
                con,
                f"SELECT * FROM ({union}) WHERE filled",
                key_sql("raw_key", mapping),
                IdSQL.of([p.ids for p in parts if p.ids is not None], mapping) if has_ids else None,
                cells,
                None if cells is not None else mapping,
                {n: {n in p.typed for p in parts} for n in DICTIONARY_FIELDS},
                as_of,
                self.rules.units,
            ),
            self.rules.region_sets,
            as_of,
        )
        self._learn(measurer)
        measurer.values = measurer.engine.measure(measurer.requests)
        rows_read, accepted, later = measurer.engine.counts
        return measurer, rows_read, accepted, later

    def _text_fields(self) -> list[str]:
        """The dictionary fields the obligations' purchase filters read (the origin always:
        its code is checked)."""
        names = ["origin"]
        for ob in self.rules.obligations:
            for measure in ob.reads().transactions:
                for column, values in (
                    ("category", measure.categories),
                    ("channel", measure.channels),
                    ("seller_kind", measure.seller_kinds),
                ):
                    if values:
                        names.append(column)
        return names

    def _learn(self, measurer: SqlMeasurer) -> None:
        """Record the requests: one bound unit of each obligation that measures purchases is
        enough. Only bound units are asked (an obligation binding no unit would otherwise cost
        a call per unit: 20 s for 5 plug-ins and 10k units); a request still missed is
        computed on demand."""
        plain_index = FactIndex(self.rules.facts)  # observations and submissions: the facts'
        learning = _evaluator.EvaluationCache()
        learners: dict[str, list[Unit]] = {}
        for unit in sorted(self.rules.units, key=lambda u: u.id):
            learners.setdefault(unit.jurisdiction, []).append(unit)
        for ob in self.rules.obligations:
            if not ob.reads().transactions:
                continue
            before = len(measurer.requests)
            for unit in learners.get(ob.jurisdiction, ()):
                if learning.binding_problem(ob, unit) is not None:
                    continue
                for on in _evaluator.judged_days(ob, self.as_of, self.periods):
                    _evaluator.evaluate_one(
                        ob,
                        unit,
                        self.as_of,
                        plain_index,
                        self.rules.region_sets,
                        transaction_measurer=measurer,
                        cache=learning,
                        on=on,
                    )
                if len(measurer.requests) > before:
                    break
