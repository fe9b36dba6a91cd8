# SPDX-License-Identifier: MIT
"""64-bit composites built to fool Miller-Rabin, and primes at the top of the ranges.

tests/data/adversaries_64.json comes from tests/data/make_adversaries.py
(strong base-2 pseudoprimes p(2p - 1) near 2^64, Carmichael numbers
(6m+1)(12m+1)(18m+1) just below 2^64, products and squares of 32-bit primes,
primes below 2^63 and 2^64); strong_pseudoprime_records.json holds the psi_k
records.  Each value is re-checked here with sympy.isprime (deterministic below
2^64) and the pure-Python reference, then classified by every engine and mode
in every dtype that holds it.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import primes
from support import METHODS, MODES, load_json

ADVERSARIES = load_json("adversaries_64.json")["values"]
RECORDS = [
    {"n": r["n"], "is_prime": False, "family": r["name"]}
    for r in load_json("strong_pseudoprime_records.json")["records"]
    if r["fits_uint64"]
]
VALUES = ADVERSARIES + RECORDS


def test_the_data_is_right():
    for item in VALUES:
        assert sympy.isprime(item["n"]) == item["is_prime"], item
        assert primes.reference.is_prime(item["n"]) == item["is_prime"], item


def test_spsp2_family_really_passes_base_2():
    # The point of the family: a single base-2 round would call them prime.
    for item in ADVERSARIES:
        if item["family"].startswith("spsp2"):
            n = item["n"]
            d, s = n - 1, 0
            while d % 2 == 0:
                d, s = d // 2, s + 1
            x = pow(2, d, n)
            assert x in (1, n - 1) or any(pow(x, 2**r, n) == n - 1 for r in range(1, s))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", MODES)
def test_adversaries_classified_right(method, mode):
    for dtype in (np.uint64, np.int64):
        fitting = [item for item in VALUES if item["n"] <= np.iinfo(dtype).max]
        values = np.array([item["n"] for item in fitting], dtype=dtype)
        expected = np.array([item["is_prime"] for item in fitting])
        # tiled to 70k elements, so that two threads really start (one per 32768 elements)
        reps = -(-70_000 // values.size)
        tiled = np.tile(values, reps)
        mask = primes.is_prime(tiled, mode=mode, threads=2, method=method)
        np.testing.assert_array_equal(mask, np.tile(expected, reps))
        assert primes.count(tiled, mode=mode, threads=2, method=method) == reps * int(expected.sum())
