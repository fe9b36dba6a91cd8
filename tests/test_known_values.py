# SPDX-License-Identifier: MIT
"""Prime counts of known ranges: pi(10^k), pi(2^k) and windows at the word-size boundaries.

Expected values come from tests/data (pi_values.json: primecount, OEIS and
others; windows.json: gmpy2, see make_windows.py), and the windows are also
checked against an independent segmented sieve, the pure-Python reference and
SymPy.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import primes
from primes import reference
from support import ALL_DTYPES, MODES, holds, load_json, segment_mask

PI = load_json("pi_values.json")
WINDOWS = load_json("windows.json")["windows"]


POWERS_OF_TEN = {item["label"]: (item["x"], item["pi"]) for item in PI["values"]}
FAST_POWERS = [f"10^{k}" for k in range(1, 8)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "label, dtype",
    [(label, dt) for label in FAST_POWERS for dt in ALL_DTYPES if holds(dt, POWERS_OF_TEN[label][0])],
)
def test_count_pi_powers_of_ten(label, dtype, mode):
    x, pi = POWERS_OF_TEN[label]
    values = np.arange(x + 1, dtype=dtype)
    assert int(values[-1]) == x
    assert primes.count(values, mode=mode) == pi


@pytest.mark.parametrize("label", ["10^6", "10^7"])
def test_is_prime_mask_matches_sieve(label, sieve_1e7):
    x, pi = POWERS_OF_TEN[label]
    mask = primes.is_prime(np.arange(x + 1, dtype=np.int64))
    assert mask.dtype == np.bool_ and mask.shape == (x + 1,)
    assert int(mask.sum()) == pi
    np.testing.assert_array_equal(mask, sieve_1e7[: x + 1])


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["int32", "uint32", "int64", "uint64"])
def test_count_pi_10_to_the_8(dtype):
    x, pi = POWERS_OF_TEN["10^8"]
    assert pi == 5761455
    assert primes.count(np.arange(x + 1, dtype=dtype)) == pi


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["serial", "threading"])
def test_count_pi_10_to_the_8_other_modes(mode):
    x, pi = POWERS_OF_TEN["10^8"]
    assert primes.count(np.arange(x + 1, dtype=np.uint32), mode=mode) == pi


POWERS_OF_TWO = [(item["label"], item["x"], item["pi"]) for item in PI["powers_of_two"] if item["x"] <= 2**24]


@pytest.mark.parametrize("label, x, pi", POWERS_OF_TWO, ids=[p[0] for p in POWERS_OF_TWO])
def test_count_pi_powers_of_two(label, x, pi):
    dtypes = [dt for dt in ("int16", "uint16", "int32", "uint32", "int64", "uint64") if holds(dt, x)]
    for dtype in dtypes:
        assert primes.count(np.arange(x + 1, dtype=dtype)) == pi, dtype


# --- windows of 10**6 consecutive integers at the word-size boundaries -----------------

WINDOW_DTYPES = {
    "below_2^31": ("int32", "uint32", "int64", "uint64"),
    "below_2^32": ("uint32", "int64", "uint64"),
    "below_2^63": ("int64", "uint64"),
    "above_2^63": ("uint64",),
    "below_2^64": ("uint64",),
}
WINDOW_BY_NAME = {w["name"]: w for w in WINDOWS}


def test_windows_json_is_complete():
    assert set(WINDOW_BY_NAME) == set(WINDOW_DTYPES)
    for w in WINDOWS:
        assert w["hi"] - w["lo"] == w["size"] == 10**6
        assert w["lo"] <= w["first_prime"] <= w["last_prime"] < w["hi"]
    # The last primes below the boundaries are well known (also in edge_cases.json).
    assert WINDOW_BY_NAME["below_2^31"]["last_prime"] == 2**31 - 1
    assert WINDOW_BY_NAME["below_2^32"]["last_prime"] == 2**32 - 5
    assert WINDOW_BY_NAME["below_2^63"]["last_prime"] == 2**63 - 25
    assert WINDOW_BY_NAME["below_2^64"]["last_prime"] == 2**64 - 59
    assert WINDOW_BY_NAME["below_2^64"]["hi"] == 2**64 and WINDOW_BY_NAME["above_2^63"]["lo"] == 2**63


def window_array(window: dict, dtype: str) -> np.ndarray:
    """The window as an array, built without passing big values through float64."""
    lo, size = window["lo"], window["size"]
    assert holds(dtype, lo, window["hi"] - 1)
    values = np.arange(size, dtype=dtype) + np.array(lo, dtype=dtype)
    assert values.dtype == np.dtype(dtype)
    assert int(values[0]) == lo and int(values[-1]) == window["hi"] - 1
    return values


WINDOW_CASES = [(name, dt) for name, dts in WINDOW_DTYPES.items() for dt in dts]
# Every window and dtype in the default mode; the other modes too for the 32-bit
# windows.  The windows of 64-bit values in the other modes (a Baillie-PSW test
# per surviving element, 10^6 elements each) are in the slow tier.
WINDOW_MODE_CASES = [
    pytest.param(name, dt, mode, id=f"{name}-{dt}-{mode}",
                 marks=[pytest.mark.slow] if mode != "pthreads" and name.endswith(("2^63", "2^64")) else [])
    for name, dt in WINDOW_CASES
    for mode in MODES
]


@pytest.mark.parametrize("name, dtype, mode", WINDOW_MODE_CASES)
def test_window_count(name, dtype, mode):
    window = WINDOW_BY_NAME[name]
    values = window_array(window, dtype)
    assert primes.count(values, mode=mode) == window["count"]
    mask = primes.is_prime(values, mode=mode)
    assert int(mask.sum()) == window["count"]
    found = values[mask]
    assert int(found[0]) == window["first_prime"] and int(found[-1]) == window["last_prime"]


@pytest.mark.parametrize("name", list(WINDOW_DTYPES))
def test_window_sample_against_reference_and_sympy(name):
    window = WINDOW_BY_NAME[name]
    dtype = WINDOW_DTYPES[name][-1]
    values = window_array(window, dtype)
    mask = primes.is_prime(values)
    rng = np.random.default_rng(20240531)
    picks = rng.choice(values.size, size=2000, replace=False)
    # Make sure the sample holds primes and both ends of the window.
    primes_found = np.flatnonzero(mask)
    picks = np.unique(np.concatenate([picks, primes_found[:50], [0, values.size - 1]]))
    for index in picks.tolist():
        n = window["lo"] + index
        expected = reference.is_prime(n)
        assert sympy.isprime(n) == expected, n
        assert bool(mask[index]) == expected, n


def test_segmented_sieve_helper_is_right():
    mask = segment_mask(0, 10**5)
    assert int(mask.sum()) == 9592
    mask = segment_mask(10**5 - 1000, 10**5 + 1000)
    expected = [reference.is_prime(n) for n in range(10**5 - 1000, 10**5 + 1000)]
    assert mask.tolist() == expected


@pytest.mark.parametrize("name, dtype", [c for c in WINDOW_CASES if c[0] in ("below_2^31", "below_2^32")])
def test_window_against_segmented_sieve(name, dtype):
    window = WINDOW_BY_NAME[name]
    expected = segment_mask(window["lo"], window["hi"])
    assert int(expected.sum()) == window["count"]
    mask = primes.is_prime(window_array(window, dtype))
    mismatches = np.flatnonzero(mask != expected)
    assert mismatches.size == 0, [window["lo"] + int(i) for i in mismatches[:10]]

