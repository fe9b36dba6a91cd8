# SPDX-License-Identifier: MIT
"""Ctrl-C during a long call: KeyboardInterrupt, no thread left, later calls right.

Each mode runs in a child process (tests/scripts/interrupt_latency.py) that
counts primes in 10^7 primes just below 2^64 (half a second to seconds a call),
call after call, and is sent SIGINT half a second in.  The latency is printed, not asserted (no timing
assertions in the suite); `python tests/scripts/interrupt_latency.py` checks
it against 200 ms.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from support import MODES

SCRIPT = Path(__file__).parent / "scripts" / "interrupt_latency.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("interrupt_latency", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("mode", MODES)
def test_sigint_interrupts_a_long_call(mode):
    result = _load_script().run(mode, 0.5)
    print(f"{mode}: {result}")
    assert result["interrupted"], "the call finished instead of raising KeyboardInterrupt"
    assert result["threads_left"] == 0
    assert result["later_call_ok"]


@pytest.mark.parametrize("mode, workload", [
    ("pthreads", "range"),
    *[pytest.param(mode, workload, marks=pytest.mark.slow)
      for workload in ("range", "range-mask") for mode in MODES if (mode, workload) != ("pthreads", "range")],
])
def test_sigint_interrupts_a_long_range(mode, workload):
    # count(range(10**13)): the segmented sieve; is_prime(range(2**64 - 10**8, 2**64)): the test
    result = _load_script().run(mode, 0.5, workload)
    print(f"{mode} {workload}: {result}")
    assert result["interrupted"], "the call finished instead of raising KeyboardInterrupt"
    assert result["threads_left"] == 0
    assert result["later_call_ok"]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["pthreads", "serial"])
def test_sigint_interrupts_the_bucketed_sieve_above_2_32(mode):
    # a shuffled window just below 2^64, method="sieve": the bucketed segmented sieve in
    # one C call (threading mode's 2^18-element calls test their values: quicker than 0.5 s)
    result = _load_script().run(mode, 0.5, "shuffled")
    print(f"{mode} shuffled: {result}")
    assert result["interrupted"], "the call finished instead of raising KeyboardInterrupt"
    assert result["threads_left"] == 0
    assert result["later_call_ok"]
