"""The plug-in author's suite, run over every installed plug-in exactly as an author runs it.

One import brings the property suite (hypothesis), every YAML scenario each plug-in ships and
``xfrules check`` as a test; the kit's pytest plug-in parametrizes them over the installed
jurisdictions (see :mod:`xfrules.testing.suite`).
"""

from __future__ import annotations

from xfrules.testing.suite import *  # noqa: F403
