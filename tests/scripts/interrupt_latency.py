# SPDX-License-Identifier: MIT
"""Measure how fast Ctrl-C (SIGINT) stops a long primes call, in every mode.

Usage: python tests/scripts/interrupt_latency.py [--seconds-before 0.5] [--workload array|range|range-mask|shuffled]

For each mode, a child process starts counting primes in a 10^7-element array
of primes just below 2^64 (the slowest input: each element takes the full
Baillie-PSW test; half a second to seconds a call), call after call,
receives SIGINT after a delay, and reports the time from the signal to its
KeyboardInterrupt handler, then checks that no thread is left running and
that a later call is right.
The parent prints one line per mode and exits non-zero on any failure or a
latency above --limit-ms (default 200).  The workload "range" counts
``range(10**13)`` instead (the segmented sieve, minutes of work), and
"range-mask" fills ``is_prime(range(2**64 - 10**8, 2**64))`` (the test of
each integer, seconds of work): Ctrl-C must stop ranges as fast; "shuffled"
counts a shuffled ``np.arange(2**64 - 4 * 10**7 - 1, 2**64 - 1)`` with
``method="sieve"`` (the bucketed segmented sieve, whose sieving primes up to
2^32 take seconds to make and place).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, os, signal, sys, threading, time
import numpy as np
import primes

mode = sys.argv[1]
workload = sys.argv[2] if len(sys.argv) > 2 else "array"
# A process started in the background by a non-interactive shell inherits
# SIGINT ignored, and Python then installs no KeyboardInterrupt handler.
signal.signal(signal.SIGINT, signal.default_int_handler)
window = np.arange(2**64 - 200_000, 2**64 - 1, dtype=np.uint64)
big_primes = window[primes.is_prime(window)]
values = np.resize(big_primes, 10**7)
expected_small = primes.count(np.arange(10**6))
if workload == "shuffled":
    # 4 x 10^7 values: the forced sieve gives way to the test when sieving costs
    # more than 8 times testing (src_c/config.h), and at the avx512 level's
    # price of the test (11 ns a value) 2 x 10^7 of them would be tested
    # (about 2.6 s to sieve against 8 x 0.22 s), quicker than the signal.
    values = np.random.default_rng(0).permutation(np.arange(2**64 - 4 * 10**7 - 1, 2**64 - 1, dtype=np.uint64))
if workload not in ("array", "shuffled"):
    # The helper pool keeps its threads for later calls: a first range call in
    # this mode starts as many as a range uses, so that only a thread still
    # running afterwards counts as left over.
    primes.count(range(1 << 24), mode=mode, threads=2)
    primes.is_prime(range(1 << 24), mode=mode, threads=2)
threads_before = threading.active_count()
print("ready", flush=True)
start = time.time()
try:
    # Call after call until the signal comes (for a minute at most): on a fast
    # CPU one call can end before the parent's delay does (the 10^7 primes near
    # 2^64 took 0.5 s on two threads at the avx512 level of a Zen 5 core), and
    # the signal must find a call running.
    while time.time() - start < 60:
        if workload == "range":
            primes.count(range(10**13), mode=mode, threads=2)
        elif workload == "range-mask":
            primes.is_prime(range(2**64 - 10**8, 2**64), mode=mode, threads=2)
        elif workload == "shuffled":
            primes.count(values, mode=mode, threads=2, method="sieve")
        else:
            primes.count(values, mode=mode, threads=2)
    result = {"interrupted": False}
except KeyboardInterrupt:
    caught = time.time()
    result = {"interrupted": True, "caught_at": caught, "ran_s": caught - start}
time.sleep(0.05)
result["threads_left"] = threading.active_count() - threads_before
result["later_call_ok"] = primes.count(np.arange(10**6), mode=mode) == expected_small
print(json.dumps(result), flush=True)
"""


def run(mode: str, delay: float, workload: str = "array") -> dict:
    # From a neutral folder: in the repository root, "import primes" would
    # find the source folder, which has no compiled library.
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, workload], stdout=subprocess.PIPE, text=True, cwd=tempfile.gettempdir()
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(delay)
    sent_at = time.time()
    child.send_signal(signal.SIGINT)
    output, _ = child.communicate(timeout=120)
    result = json.loads(output.strip().splitlines()[-1])
    if result.get("interrupted"):
        # Both clocks are the same wall clock: signal sent -> exception caught.
        result["latency_ms"] = round((result.pop("caught_at") - sent_at) * 1e3, 2)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds-before", type=float, default=0.5)
    parser.add_argument("--limit-ms", type=float, default=200.0)
    parser.add_argument("--workload", choices=("array", "range", "range-mask", "shuffled"), default="array")
    args = parser.parse_args()
    failed = False
    for mode in ("pthreads", "threading", "serial"):
        result = run(mode, args.seconds_before, args.workload)
        ok = (
            result["interrupted"]
            and result["latency_ms"] <= args.limit_ms
            and result["threads_left"] == 0
            and result["later_call_ok"]
        )
        failed |= not ok
        print(f"{mode:10s} {json.dumps(result)} {'ok' if ok else 'FAILED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
