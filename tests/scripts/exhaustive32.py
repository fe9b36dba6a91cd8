# SPDX-License-Identifier: MIT
"""Classify every 32-bit integer with primes.is_prime and check each answer.

Usage: python tests/scripts/exhaustive32.py [--segment-bits 24] [--methods auto,test]

Every integer in [0, 2^32) is classified as uint32, segment by segment, with
each method given (``auto`` sieves these consecutive values; ``test`` runs the
per-element test kernels of the CPU level in use, which PRIMES_CPU_LEVEL caps),
and compared element by element with the test suite's segmented sieve of
Eratosthenes in NumPy (``segment_mask`` in tests/support.py); the totals must
be pi(2^32) = 203280221 and, for the same values as int32 over [-2^31, 2^31),
pi(2^31 - 1) = 105097565 with every negative value not prime.  Prints the
totals and the time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import primes

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared helpers
from support import segment_mask  # noqa: E402

PI_2_32 = 203_280_221  # pi(2^32), tests/data/pi_values.json
PI_2_31_MINUS_1 = 105_097_565  # pi(2^31 - 1), tests/data/pi_values.json


def run(segment_bits: int = 24, progress: bool = False, methods: tuple = ("auto", "test")) -> dict:
    segment = 1 << segment_bits
    total_uint32 = 0
    total_int32 = 0
    start = time.perf_counter()
    for low in range(0, 1 << 32, segment):
        high = low + segment
        expected = segment_mask(low, high)
        values = np.arange(low, high, dtype=np.uint32)
        for method in methods:
            got = primes.is_prime(values, method=method)
            if not np.array_equal(got, expected):
                bad = low + int(np.flatnonzero(got != expected)[0])
                raise AssertionError(f"uint32 {bad} (method {method}): is_prime says {bool(got[bad - low])}")
        total_uint32 += int(expected.sum())
        if high <= 1 << 31:  # the same values as int32
            values32 = values.astype(np.int32)
            for method in methods:
                got32 = primes.is_prime(values32, method=method)
                if not np.array_equal(got32, expected):
                    bad = low + int(np.flatnonzero(got32 != expected)[0])
                    raise AssertionError(f"int32 {bad} (method {method}): is_prime says {bool(got32[bad - low])}")
            total_int32 += int(expected.sum())
        if progress and (low >> segment_bits) % 32 == 31:
            print(f"  {high / 2**32:6.1%} ({time.perf_counter() - start:.0f} s)", flush=True)
    # The negative int32 values: none is prime.
    for low in range(-(1 << 31), 0, segment):
        negatives = np.arange(low, low + segment, dtype=np.int32)
        if any(primes.count(negatives, method=method) != 0 for method in methods):
            raise AssertionError(f"a negative int32 in [{low}, {low + segment}) was called prime")
    return {
        "uint32_total": total_uint32,
        "int32_total": total_int32,
        "seconds": time.perf_counter() - start,
        "methods": list(methods),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segment-bits", type=int, default=24)
    parser.add_argument("--methods", default="auto,test", help="comma-separated methods (auto, sieve, test)")
    args = parser.parse_args()
    result = run(args.segment_bits, progress=True, methods=tuple(args.methods.split(",")))
    print(f"uint32 [0, 2^32): {result['uint32_total']} primes (pi(2^32) = {PI_2_32})")
    print(f"int32 [-2^31, 2^31): {result['int32_total']} primes (pi(2^31 - 1) = {PI_2_31_MINUS_1})")
    print(f"methods: {', '.join(result['methods'])}; CPU level in use: {primes.show_config(mode='dicts')['cpu']['level_in_use']}")
    print(f"time: {result['seconds']:.1f} s")
    ok = result["uint32_total"] == PI_2_32 and result["int32_total"] == PI_2_31_MINUS_1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
