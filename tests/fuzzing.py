"""The hypothesis settings of the differential speed tests (tests/test_speed_*.py): a short run
by default, a longer one with ``AGENTLINT_FUZZ_EXAMPLES=5000``."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("AGENTLINT_FUZZ_EXAMPLES", "300"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
