"""Ledgers as people keep them: CSV/XLSX/Parquet/JSON lines, GBK or UTF-8, Chinese headers."""

from __future__ import annotations

from .importer import ImportResult, import_ledgers
from .mapping import LedgerMapping, load_mapping
from .rules import buyer_keys

__all__ = ["ImportResult", "LedgerMapping", "buyer_keys", "import_ledgers", "load_mapping"]
