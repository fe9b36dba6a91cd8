# SPDX-License-Identifier: MIT
"""``primes.primes(start, stop)``: the primes of an interval as a sorted array.

Checked against the NumPy reference sieve (tests/support.py), the known
counts of tests/data, ``is_prime`` of the same window, sympy near 2^64, and
``primes.reference.primes``; every dtype, mode and method; the errors, which
come before any work; and the memory, about the output's size.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import primes
from primes import reference
from support import ALL_DTYPES, LARGEST_PRIME, METHODS, MODES, load_json, peak_allocated, segment_mask, sieve_1e7

PI = {item["x"]: item["pi"] for item in load_json("pi_values.json")["values"]}
WINDOWS_1E6 = {w["name"]: w for w in load_json("windows.json")["windows"]}


def test_below_ten_million_against_the_sieve():
    found = primes.primes(10**7)
    assert found.dtype == np.int64
    np.testing.assert_array_equal(found, np.flatnonzero(sieve_1e7()[: 10**7]))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
def test_modes_and_methods_agree(mode, method):
    expected = np.flatnonzero(sieve_1e7()[10**6 : 2 * 10**6]) + 10**6
    found = primes.primes(10**6, 2 * 10**6, mode=mode, method=method, threads=2)
    np.testing.assert_array_equal(found, expected)


@pytest.mark.parametrize("k", range(1, 9))
def test_lengths_are_pi_of_powers_of_ten(k):
    assert len(primes.primes(10**k)) == PI[10**k]


@pytest.mark.slow
def test_pi_of_a_billion_by_generation():
    found = primes.primes(10**9, threads=2)
    assert found.size == PI[10**9] and found[-1] == 999999937
    assert (np.diff(found[:: 10**5]) > 0).all()


@pytest.mark.parametrize("name", [n if n in ("below_2^31", "below_2^64") else pytest.param(n, marks=pytest.mark.slow)
                                  for n in WINDOWS_1E6])
def test_windows_agree_with_is_prime_of_the_same_range(name):
    w = WINDOWS_1E6[name]
    found = primes.primes(w["lo"], w["hi"])
    assert found.size == w["count"]
    assert int(found[0]) == w["first_prime"] and int(found[-1]) == w["last_prime"]
    expected_dtype = np.uint64 if w["hi"] > 2**63 else np.int64
    assert found.dtype == expected_dtype
    mask = primes.is_prime(range(w["lo"], w["hi"]))
    np.testing.assert_array_equal(found.astype(object) - w["lo"], np.flatnonzero(mask))


@pytest.mark.parametrize("low", [2**31 - 3000, 2**32 - 3000, 2**40])
def test_small_windows_against_the_reference_sieve(low):
    expected = np.flatnonzero(segment_mask(low, low + 6000))
    for method in METHODS:
        found = primes.primes(low, low + 6000, method=method)
        np.testing.assert_array_equal(found - low, expected, err_msg=method)


@pytest.mark.parametrize("low", [2**53 - 1000, 2**62, 2**63 - 1000])
def test_high_windows_against_the_reference(low):
    for method in METHODS:
        if method == "sieve" and low > 2**50:
            continue  # seconds for the sieving primes: the slow tier's test below
        found = primes.primes(low, low + 2000, method=method)
        assert found.astype(object).tolist() == reference.primes(low, low + 2000), method


def test_near_2_64_against_sympy_and_the_reference():
    found = primes.primes(2**64 - 3000, 2**64)
    assert found.tolist() == reference.primes(2**64 - 3000, 2**64)
    assert all(sympy.isprime(int(p)) for p in found[-20:])
    assert int(found[-1]) == 2**64 - 59


@pytest.mark.slow
@pytest.mark.parametrize("low", [2**62, 2**63 - 10**5, 2**64 - 10**5])
def test_high_windows_sieve_equals_test(low):
    stop = min(low + 10**5, 2**64)
    np.testing.assert_array_equal(primes.primes(low, stop, method="sieve", threads=2),
                                  primes.primes(low, stop, method="test", threads=2))


def test_small_and_empty_intervals():
    assert primes.primes(0).tolist() == []
    assert primes.primes(2).tolist() == []
    assert primes.primes(3).tolist() == [2]
    assert primes.primes(2, 8).tolist() == [2, 3, 5, 7]
    assert primes.primes(-100, 12).tolist() == [2, 3, 5, 7, 11]
    assert primes.primes(100, 10).tolist() == []
    assert primes.primes(-10, -1).tolist() == []
    assert primes.primes(2**64, 2**64).size == 0
    assert primes.primes(np.int64(30), np.uint64(40)).tolist() == [31, 37]
    for start in range(0, 40):
        for stop in range(start, 60, 7):
            assert primes.primes(start, stop).tolist() == reference.primes(start, stop), (start, stop)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_every_dtype_that_holds_the_values(dtype):
    top = int(np.iinfo(dtype).max)
    stop = min(top + 1, 2**64)
    low = max(0, stop - 5000)
    found = primes.primes(low, stop, dtype=dtype)
    assert found.dtype == np.dtype(dtype)
    assert int(found[-1]) == LARGEST_PRIME[dtype]
    if stop <= 2**32:
        expected = (low + np.flatnonzero(segment_mask(low, stop))).tolist()
    else:
        expected = reference.primes(low, stop)
    assert found.astype(object).tolist() == expected
    swapped = primes.primes(low, stop, dtype=np.dtype(dtype).newbyteorder())
    assert swapped.dtype == np.dtype(dtype).newbyteorder()
    np.testing.assert_array_equal(swapped, found)


def test_default_dtype():
    assert primes.primes(10).dtype == np.int64
    assert primes.primes(2**63 - 100, 2**63).dtype == np.int64
    assert primes.primes(2**63 - 100, 2**63 + 1).dtype == np.uint64


def test_errors_before_any_work():
    with pytest.raises(OverflowError):
        primes.primes(2**64 + 1)
    with pytest.raises(OverflowError):
        primes.primes(2**70, 2**70 + 10)
    with pytest.raises(OverflowError, match="int8"):
        primes.primes(0, 129, dtype=np.int8)  # 128 does not fit, though no prime is there
    with pytest.raises(OverflowError):
        primes.primes(2**63, 2**63 + 10, dtype=np.int64)
    with pytest.raises(TypeError):
        primes.primes(10, dtype=np.float64)
    with pytest.raises(TypeError):
        primes.primes(10, dtype=bool)
    with pytest.raises(TypeError):
        primes.primes(10.0)
    with pytest.raises(TypeError):
        primes.primes(True)
    with pytest.raises(TypeError):
        primes.primes(2, "10")
    with pytest.raises(ValueError):
        primes.primes(2**63, 2**64, mode="nope")  # hours of work, were it started
    with pytest.raises(ValueError):
        primes.primes(2**63, 2**64, method="nope")
    with pytest.raises(ValueError):
        primes.primes(2**63, 2**64, threads=0)
    assert primes.primes(0, 128, dtype=np.int8)[-1] == 127


def test_memory_is_about_the_output():
    # tracemalloc sees NumPy's allocations: the preallocated block (an upper
    # bound on pi) is at most a little larger than the result.
    result = []
    peak = peak_allocated(lambda: result.append(primes.primes(10**7)))
    assert result[0].nbytes == 8 * PI[10**7]
    assert peak <= 1.2 * result[0].nbytes, (peak, result[0].nbytes)
    assert result[0].flags.owndata and result[0].flags.c_contiguous
