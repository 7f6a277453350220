"""Hypothesis profiles for this repository: ``ci`` when $CI is set, ``dev`` otherwise.

``ci`` runs few examples, derandomized (reproducible), without deadline; select another
with ``pytest --hypothesis-profile=...``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from hypothesis import settings

from xfrules.testing.pytest_plugin import register_profiles

settings.load_profile(register_profiles(prefix=""))

# The plug-in YAML cache of this test run (and of the CLI processes it starts) is its own,
# so the suite neither reads a developer's cache nor leaves entries in it.
if "XFRULES_CACHE" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="xfrules-test-cache-")
    os.environ["XFRULES_CACHE"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)
