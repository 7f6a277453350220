"""pytest plug-in (entry point ``pytest11``): fixtures for testing xfrules plug-ins."""

from __future__ import annotations

import pytest

from xfrules.registry import Registry, load_registry


@pytest.fixture(scope="session")
def xfrules_registry() -> Registry:
    """Every installed jurisdiction plug-in, loaded once per test session."""
    return load_registry()
