"""Test kit for plug-in authors: fixtures, strategies and the scenario runner."""

from __future__ import annotations

__all__: list[str] = []
