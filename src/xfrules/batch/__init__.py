"""Batch evaluation on embedded DuckDB (``xfrules.batch.evaluate_ledgers``)."""

from __future__ import annotations

from .backend import BatchResult, DuckDBBackend, evaluate_ledgers

__all__ = ["BatchResult", "DuckDBBackend", "evaluate_ledgers"]
