# SPDX-License-Identifier: MIT
"""Every 32-bit integer, as uint32 and as int32, against an independent sieve.

Each value is classified by the sieve (method auto on these consecutive values)
and by the per-element test kernels of the CPU level in use (method test;
.ci/run runs this under each level the machine supports with PRIMES_CPU_LEVEL).
Slow (about 2 minutes on 2 cores); tests/scripts/exhaustive32.py holds the
check and runs it stand-alone with progress and timing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent / "scripts" / "exhaustive32.py"


@pytest.mark.slow
def test_every_32_bit_integer():
    spec = importlib.util.spec_from_file_location("exhaustive32", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    result = module.run()
    print(result)
    assert result["methods"] == ["auto", "test"]
    assert result["uint32_total"] == 203_280_221  # pi(2^32)
    assert result["int32_total"] == 105_097_565  # pi(2^31 - 1)
