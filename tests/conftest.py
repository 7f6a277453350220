"""Hypothesis profiles for this repository: ``ci`` when $CI is set, ``dev`` otherwise.

``ci`` runs few examples, derandomized (reproducible), without deadline; select another
with ``pytest --hypothesis-profile=...``.
"""

from __future__ import annotations

from hypothesis import settings

from xfrules.testing.pytest_plugin import register_profiles

settings.load_profile(register_profiles(prefix=""))
