# SPDX-License-Identifier: MIT
"""``count(range(...))`` and ``is_prime(range(...))``: ranges answered without arrays.

Known values (pi(10^k) from tests/data/pi_values.json, window counts from
tests/data/windows.json and window_counts.json, each checked by independent
methods), the NumPy reference sieve of tests/support.py exhaustively on small
windows, sympy on samples near 2^64, and every engine, mode and step against
them.  The heights that cost seconds per call (the sieve near 2^63 and 2^64,
pi(10^10) and up) are in the slow tier.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy

import primes
from support import METHODS, MODES, load_json, segment_mask, sieve_1e7

PI = {item["x"]: item["pi"] for item in load_json("pi_values.json")["values"]}
WINDOWS_1E6 = {w["name"]: w for w in load_json("windows.json")["windows"]}
WINDOWS_1E7 = {w["label"]: w for w in load_json("window_counts.json")["windows"]}


@functools.lru_cache(maxsize=4)
def _reference(low, high):
    """The reference sieve's mask of [low, high), computed once per module (read-only)."""
    mask = segment_mask(low, high)
    mask.flags.writeable = False
    return mask


# ---- pi(10^k) ----------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [pytest.param(k, marks=pytest.mark.slow) if k == 9 else k for k in range(1, 10)])
def test_pi_of_powers_of_ten(k):
    assert primes.count(range(10**k)) == PI[10**k]


@pytest.mark.slow
@pytest.mark.parametrize("k", [10, 11, 12])
def test_pi_of_large_powers_of_ten(k):
    assert primes.count(range(10**k), threads=2) == PI[10**k]


@pytest.mark.slow
@pytest.mark.parametrize("x", [2**31 - 1, 2**31, 2**32 - 1, 2**32])
def test_pi_at_the_32_bit_boundaries(x):
    # pi(x) counts x itself: range(x + 1)
    assert primes.count(range(x + 1)) == PI[x]


def test_pi_of_powers_of_two():
    for item in load_json("pi_values.json")["powers_of_two"]:
        if item["x"] <= 2**26:
            assert primes.count(range(item["x"] + 1)) == item["pi"], item


# ---- windows at every height -------------------------------------------------------------------


@pytest.mark.parametrize("name", list(WINDOWS_1E6))
@pytest.mark.parametrize("method", ["auto", pytest.param("test", marks=pytest.mark.slow)])
def test_windows_of_a_million_as_ranges(name, method):
    w = WINDOWS_1E6[name]
    assert primes.count(range(w["lo"], w["hi"]), method=method) == w["count"]
    mask = primes.is_prime(range(w["lo"], w["hi"]), method=method)
    found = np.flatnonzero(mask)
    assert found.size == w["count"]
    assert w["lo"] + int(found[0]) == w["first_prime"] and w["lo"] + int(found[-1]) == w["last_prime"]


@pytest.mark.parametrize("name", list(WINDOWS_1E6))
def test_windows_of_a_million_as_arrays(name):
    w = WINDOWS_1E6[name]
    values = np.arange(w["lo"], w["hi"], dtype=np.uint64)
    assert primes.count(values) == w["count"]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(WINDOWS_1E6))
def test_windows_of_a_million_masks_as_arrays_and_ranges(name):
    w = WINDOWS_1E6[name]
    values = np.arange(w["lo"], w["hi"], dtype=np.uint64)
    np.testing.assert_array_equal(primes.is_prime(values), primes.is_prime(range(w["lo"], w["hi"])))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(WINDOWS_1E6))
def test_windows_of_a_million_forced_sieve(name):
    w = WINDOWS_1E6[name]
    assert primes.count(range(w["lo"], w["hi"]), method="sieve", threads=2) == w["count"]
    assert int(primes.is_prime(range(w["lo"], w["hi"]), method="sieve").sum()) == w["count"]


def _window_range(label):
    w = WINDOWS_1E7[label]
    return range(w["lo"], w["hi"] + 1), w["prime_count"]  # inclusive bounds in that file


@pytest.mark.parametrize("label", ["2^40..+10^7", pytest.param("2^53..+10^7", marks=pytest.mark.slow)])
def test_windows_of_ten_million_low(label):
    r, expected = _window_range(label)
    assert primes.count(r) == expected
    assert primes.count(np.arange(r.start, r.stop, dtype=np.uint64)) == expected


@pytest.mark.slow
@pytest.mark.parametrize("label", list(WINDOWS_1E7))
@pytest.mark.parametrize("method", METHODS)
def test_windows_of_ten_million(label, method):
    r, expected = _window_range(label)
    assert primes.count(r, method=method, threads=2) == expected
    assert int(primes.is_prime(r, method=method, threads=2).sum()) == expected


# ---- sieve against test against independent methods --------------------------------------------


@pytest.mark.parametrize("low", [0, 2**31 - 50_000, 2**32 - 50_000, 2**40])
def test_every_engine_against_the_reference_sieve(low):
    expected = _reference(low, low + 100_000)
    for method in METHODS:
        mask = primes.is_prime(range(low, low + 100_000), method=method)
        np.testing.assert_array_equal(mask, expected, err_msg=method)
        assert primes.count(range(low, low + 100_000), method=method) == int(expected.sum())


@pytest.mark.parametrize("low", [2**53 - 5000, 2**62, 2**63 - 5000, 2**64 - 10_000])
def test_high_windows_against_sympy(low):
    r = range(low, low + 10_000) if low + 10_000 <= 2**64 else range(low, 2**64)
    mask = primes.is_prime(r)  # auto: the test at these heights and widths
    rng = np.random.default_rng(low % 1000)
    picks = set(rng.choice(len(r), size=300, replace=False).tolist()) | set(np.flatnonzero(mask)[:40].tolist())
    for j in sorted(picks):
        assert bool(mask[j]) == sympy.isprime(r[j]), r[j]


@pytest.mark.slow
@pytest.mark.parametrize("low", [2**53, 2**62, 2**63 - 10**5, 2**64 - 10**5])
def test_high_windows_sieve_equals_test(low):
    r = range(low, min(low + 10**5, 2**64))
    sieved = primes.is_prime(r, method="sieve", threads=2)
    np.testing.assert_array_equal(sieved, primes.is_prime(r, method="test"))
    for j in np.flatnonzero(sieved)[:30].tolist():
        assert sympy.isprime(r[j])


def test_random_chunks_sum_to_the_total():
    rng = np.random.default_rng(10)
    for low, high, total in [(0, 10**7, PI[10**7]), (*_bounds("2^40..+10^7"),)]:
        cuts = np.sort(rng.integers(low, high, size=40, endpoint=True).astype(object))
        edges = [low, *cuts.tolist(), high]
        assert sum(primes.count(range(a, b)) for a, b in zip(edges, edges[1:])) == total


def _bounds(label):
    r, expected = _window_range(label)
    return r.start, r.stop, expected


# ---- steps, empty, negative, order ----------------------------------------------------------------


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6, 7, 10, 30, 31, 210, 99_991])
@pytest.mark.parametrize("start", [0, 1, 2, 3, 5, 1000])
def test_steps_against_the_sieve(start, step):
    sieve = sieve_1e7()
    r = range(start, 10**6, step)
    expected = sieve[start : 10**6 : step]
    assert primes.count(r) == int(expected.sum())
    np.testing.assert_array_equal(primes.is_prime(r), expected)


@pytest.mark.parametrize("method", METHODS)
def test_steps_at_2_40(method):
    low = 2**40 + 1
    expected_all = _reference(2**40, 2**40 + 100_000)[1:60_001]
    for step in (2, 6, 7, 30, 4096):
        r = range(low, low + 60_000, step)
        assert primes.count(r, method=method) == int(expected_all[::step].sum()), step
        np.testing.assert_array_equal(primes.is_prime(r, method=method), expected_all[::step])


def test_step_larger_than_the_range():
    assert primes.count(range(7, 100, 1000)) == 1
    assert primes.count(range(8, 100, 1000)) == 0
    np.testing.assert_array_equal(primes.is_prime(range(2**64 - 59, 2**64, 2**40)), [True])
    assert primes.count(range(2**64 - 59, 2**64, 2**63)) == 1


def test_steps_that_rule_out_every_element_but_one():
    assert primes.count(range(2, 10**9, 2)) == 1
    assert primes.count(range(3, 10**9, 3)) == 1
    assert primes.count(range(5, 10**9, 10)) == 1
    assert primes.count(range(4, 10**9, 2)) == 0
    mask = primes.is_prime(range(3, 3000, 6))
    assert mask[0] and not mask[1:].any()


def test_empty_and_reversed_ranges():
    for r in (range(0), range(10, 10), range(100, 10), range(2**64, 2**64), range(10, 0, 1), range(-5, -1)):
        assert primes.count(r) == 0
        assert primes.is_prime(r).shape == (len(r),)
    sieve = sieve_1e7()
    r = range(10**6, 0, -7)
    assert primes.count(r) == int(sieve[10**6:0:-7].sum())
    np.testing.assert_array_equal(primes.is_prime(r), sieve[10**6:0:-7])


def test_negative_starts_count_nothing_below_two():
    sieve = sieve_1e7()
    assert primes.count(range(-10**6, 10**6)) == PI[10**6]
    start = -(2**70) + 1  # a huge negative start, stepped: the elements from 0 on are start % 3 + 3 j
    assert primes.count(range(start, 100, 3)) == int(sieve[start % 3 : 100 : 3].sum())
    mask = primes.is_prime(range(-10, 10))
    np.testing.assert_array_equal(np.flatnonzero(mask) - 10, [2, 3, 5, 7])


def test_the_top_of_the_64_bit_range():
    assert primes.count(range(2**64 - 59, 2**64)) == 1
    assert bool(primes.is_prime(range(2**64 - 59, 2**64))[0])
    assert primes.count(range(2**64 - 58, 2**64)) == 0
    with pytest.raises(OverflowError):
        primes.count(range(2**64 - 5, 2**64 + 1))
    with pytest.raises(OverflowError):
        primes.is_prime(range(2**64, 2**64 + 10))
    # the elements matter, not the stop: these all lie below 2**64
    assert primes.count(range(2**64 - 59, 2**64 + 100, 2**64)) == 1


def test_errors_before_any_work():
    huge = range(2**63, 2**64)  # hours of work if it started
    with pytest.raises(ValueError):
        primes.count(huge, mode="nope")
    with pytest.raises(ValueError):
        primes.count(huge, method="nope")
    with pytest.raises(ValueError):
        primes.count(huge, threads=0)
    with pytest.raises(ValueError):
        primes.is_prime(range(10), out=np.zeros(9, dtype=bool))
    with pytest.raises(TypeError):
        primes.is_prime(range(10), out=np.zeros(10, dtype=np.int8))


# ---- modes, methods, keywords ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
def test_every_mode_and_method_agree(mode, method):
    sieve = sieve_1e7()
    r = range(3, 10**6, 2)
    assert primes.count(r, mode=mode, method=method, threads=2) == int(sieve[3 : 10**6 : 2].sum())
    np.testing.assert_array_equal(primes.is_prime(r, mode=mode, method=method, threads=2), sieve[3 : 10**6 : 2])
    w = WINDOWS_1E6["below_2^64"]
    r = range(w["lo"], w["hi"])
    assert primes.count(r, mode=mode, threads=2) == w["count"]


def test_axis_and_keepdims_as_for_an_array():
    sieve = sieve_1e7()
    for keywords in ({"axis": 0}, {"axis": -1}, {"axis": (0,)}, {"keepdims": True}, {"axis": 0, "keepdims": True},
                     {"axis": ()}):
        got = primes.count(range(1000), **keywords)
        wanted = np.count_nonzero(sieve[:1000], **keywords)
        assert type(got) is type(wanted) and np.shape(got) == np.shape(wanted), keywords
        np.testing.assert_array_equal(got, wanted)
    with pytest.raises(np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError):
        primes.count(range(10), axis=1)


def test_out_is_filled_and_returned():
    sieve = sieve_1e7()
    out = np.ones(1000, dtype=bool)
    assert primes.is_prime(range(1000), out=out) is out
    np.testing.assert_array_equal(out, sieve[:1000])
    strided = np.ones(2000, dtype=bool)[::2]
    primes.is_prime(range(999, -1, -1), out=strided)
    np.testing.assert_array_equal(strided, sieve[999::-1])


def test_a_range_is_never_made_into_an_array():
    from support import peak_allocated

    assert peak_allocated(lambda: primes.count(range(10**8))) < 1 << 20


# ---- S4: the forced sieve costs the same in every mode and layout --------------------------------


def test_forced_sieve_on_spread_out_values_in_every_mode_and_layout():
    # values spread over 2^32: the forced sieve gives way to the test for the whole
    # call and for each part of it alike (planner tests: tests/c/test_planner.c)
    values = np.random.default_rng(44).integers(0, 2**32, size=150_000, dtype=np.uint32)
    sample = values[:400].tolist()
    mask = primes.is_prime(values, method="sieve", threads=2)
    assert [bool(m) for m in mask[:400]] == [sympy.isprime(v) for v in sample]
    total = int(mask.sum())
    swapped = values.astype(values.dtype.newbyteorder())
    for mode in MODES:
        assert primes.count(values, method="sieve", mode=mode, threads=2) == total, mode
        assert primes.count(swapped, method="sieve", mode=mode, threads=2) == total, mode
        assert primes.count(values[::-1], method="sieve", mode=mode, threads=2) == total, mode
    np.testing.assert_array_equal(primes.is_prime(values, method="sieve", mode="threading", threads=2), mask)
