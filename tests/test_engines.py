# SPDX-License-Identifier: MIT
"""Both engines (and the planner's every path) against independent references.

Each input below is built to steer the C planner down one path (see
src_c/README.md): the small-input test, the per-chunk window sieve, the
consecutive-run count, the bucketed segment sieve (with and without values
above 2^32), and the skip of the planner's extra pass for wide 64-bit data.
Whatever the path, ``method="auto"``, ``"sieve"`` and ``"test"`` must agree with
a NumPy sieve (values below 10^7) or the pure-Python reference (others), in
every mode.
"""

from __future__ import annotations

import numpy as np
import pytest

import primes
from support import METHODS, MODES, segment_mask


def _inputs():
    rng = np.random.default_rng(20261125)
    cases = {
        # fewer than 4096 elements: the test on the calling thread
        "tiny": np.array([0, 1, 2, 3, 4, 65521, 65537, 2**31 - 1, 4294967291], dtype=np.int64),
        # a range: every chunk a consecutive run, answered by window sieves
        "arange-300k": np.arange(300_000, dtype=np.int64),
        "arange-from-1": np.arange(1, 200_001, dtype=np.uint32),
        "arange-odd-start": np.arange(999_999, 1_300_001, dtype=np.int64),
        # sorted but not consecutive: window lookups element by element
        "sorted-dense": np.sort(rng.integers(65_536, 3_000_000, 250_000)),
        # descending range: dense chunks that are not runs (a[i+1] = a[i] - 1)
        "reversed-range": np.arange(600_000, 300_000, -1, dtype=np.int32),
        # a shuffled range: first chunk wide, values dense -> bucketed sieve
        "shuffled-range": rng.permutation(np.arange(2_000_000, 2_300_000, dtype=np.int64)),
        # shuffled values with some above 2^32 -> bucketed sieve plus tested extras
        "shuffled-with-large": rng.permutation(
            np.concatenate(
                [
                    np.arange(1_000_000, 1_200_000, dtype=np.uint64),
                    rng.integers(2**32, 2**64 - 1, 2_000, dtype=np.uint64),
                ]
            )
        ),
        # wide random values below 2^31: the planner's pass, then the test (tiled,
        # so that threads start while the pure-Python reference sees 5000 values;
        # a span of 2^24, far wider than a window, keeps the forced sieve cheap)
        "random-31bit": np.tile(rng.integers(2**31 - 2**24, 2**31, 5_000, dtype=np.int64), 32),
        # all values above 2^32 in the first chunk: the pass is skipped
        # (tiled like random-31bit: the pure-Python reference sees 5000 values;
        # 100k elements, so that three threads start)
        "random-64bit": np.tile(rng.integers(0, 2**64 - 1, 5_000, dtype=np.uint64, endpoint=True), 20),
        # negatives in a run: mapped to 0 and never prime
        "run-through-zero": np.arange(-150_000, 150_000, dtype=np.int64),
        # windows touching 2^32 from below (the sieve's limit)
        "below-2^32": np.arange(2**32 - 200_000, 2**32, dtype=np.uint32),
        "across-2^32": np.arange(2**32 - 100_000, 2**32 + 100_000, dtype=np.int64),
        # a run that wraps around in unsigned arithmetic is not a run
        "uint32-wrap": np.concatenate(
            [np.arange(2**32 - 5000, 2**32, dtype=np.uint32), np.arange(0, 5000, dtype=np.uint32)]
        ),
        # many repeats of a few values (each occurrence counts)
        "repeats": np.repeat(np.array([2, 9, 97, 65535, 65537, 4294967291], dtype=np.int64), 20_000),
    }
    return cases


CASES = _inputs()


@pytest.fixture(scope="module")
def expected():
    """The independent answer for each case: NumPy sieves where the values lie
    in a window, the pure-Python reference for the scattered large values."""
    answers = {}
    for name, values in CASES.items():
        unique, inverse = np.unique(values, return_inverse=True)
        verdicts = np.zeros(unique.shape, dtype=bool)  # negatives: never prime
        nonneg = unique >= 0
        in_window = np.zeros(unique.shape, dtype=bool)
        if nonneg.any():
            # A sieve over the values' dense start (at most 2^25 wide, below 2^34) ...
            low = int(unique[nonneg].min())
            near = nonneg & (unique < low + 2**25)
            window_high = min(int(unique[near].max()) + 1, 2**34)
            if window_high > low:
                window = segment_mask(low, window_high)
                in_window = near & (unique < window_high)
                offsets = [v - low for v in unique[in_window].tolist()]  # exact, in Python ints
                verdicts[in_window] = window[np.array(offsets, dtype=np.int64)]
        # ... and the pure-Python reference for the scattered rest.
        for i in np.flatnonzero(nonneg & ~in_window).tolist():
            verdicts[i] = primes.reference.is_prime(int(unique[i]))
        answers[name] = verdicts[inverse.ravel()].reshape(values.shape)
    return answers


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", list(CASES))
def test_engines_agree_with_reference(name, method, expected):
    values = CASES[name]
    before = values.copy()
    for mode in MODES:
        for threads in (1, 3):  # one thread, and an uneven split
            mask = primes.is_prime(values, mode=mode, threads=threads, method=method)
            np.testing.assert_array_equal(mask, expected[name], err_msg=f"{name} {method} {mode} {threads}")
            assert primes.count(values, mode=mode, threads=threads, method=method) == int(expected[name].sum())
    np.testing.assert_array_equal(values, before)


def test_known_counts_by_engine():
    # pi(10^6) = 78498 and pi(2^32) - pi(2^32 - 10^6) from the shared vectors' windows
    for method in METHODS:
        assert primes.count(np.arange(10**6), method=method) == 78498
        assert primes.count(np.arange(10**6)[::-1], method=method) == 78498


def test_method_validation():
    with pytest.raises(ValueError, match="'auto', 'sieve', 'test'"):
        primes.count([1, 2, 3], method="fast")
    with pytest.raises(ValueError, match="method"):
        primes.is_prime([1, 2, 3], method=None)


# --- dense unordered data above 2^32: the bucketed segmented sieve -----------------------------
#
# A shuffled window [lo, lo + size) at each height, as int64 where it fits and
# as uint64.  The planner buckets it (segmented sieve) where the cost model
# says so: at 2^40 and across 2^32 in auto mode, at 2^53 when forced (the
# sieving primes up to 10^8 cost more than the test of 1.5 x 10^5 values, but
# less than 8 times it); the others go to the test, which must agree too.
# The reference is gmpy2.is_prime on every element.

HIGH_WINDOWS = {
    "below-2^32": (2**32 - 10**5, 50_000),
    "across-2^32": (2**32 - 25_000, 50_000),
    "2^40": (2**40, 50_000),
    "2^53": (2**53, 150_000),
    "2^63": (2**63 - 30_000, 20_000),
    "below-2^64": (2**64 - 20_001, 20_000),
}


def _shuffled_window(lo, size, dtype, seed=7):
    values = np.arange(size, dtype=np.uint64) + np.uint64(lo)
    return np.random.default_rng(seed).permutation(values).astype(dtype)


def _gmpy2_mask(values):
    gmpy2 = pytest.importorskip("gmpy2")
    return np.fromiter((gmpy2.is_prime(v) for v in values.tolist()), dtype=bool, count=values.size)


@pytest.mark.parametrize("name", list(HIGH_WINDOWS))
def test_shuffled_windows_at_every_height(name):
    lo, size = HIGH_WINDOWS[name]
    dtypes = ["uint64"] + (["int64"] if lo + size <= 2**63 else [])
    for dtype in dtypes:
        values = _shuffled_window(lo, size, dtype)
        before = values.copy()
        expected = _gmpy2_mask(values)
        for method in METHODS:
            for mode in MODES:
                threads = 1 if mode == "serial" else 2
                mask = primes.is_prime(values, mode=mode, threads=threads, method=method)
                np.testing.assert_array_equal(mask, expected, err_msg=f"{name} {dtype} {method} {mode}")
                got = primes.count(values, mode=mode, threads=threads, method=method)
                assert got == int(expected.sum()), (name, dtype, method, mode)
        np.testing.assert_array_equal(values, before)
    # the sorted window, counted by the segmented sieve (ranges), agrees too
    assert primes.count(range(lo, lo + size)) == int(expected.sum())


def test_shuffled_window_layouts_above_2_32():
    # duplicates, a strided view, a big-endian copy, and the input left as it was
    lo, size = 2**40 + 10**6, 40_000
    window = _shuffled_window(lo, size, "uint64", seed=11)
    values = np.concatenate([window, window[:5_000], window[-3:]])
    np.random.default_rng(12).shuffle(values)
    expected = _gmpy2_mask(values)
    wide = np.zeros(2 * values.size, dtype=np.int64)
    wide[::2] = values.astype(np.int64)
    strided = wide[::2]
    big_endian = values.astype(">u8")
    for layout, arr in {"duplicates": values, "strided": strided, "big-endian": big_endian}.items():
        before = arr.copy()
        for method in ("auto", "sieve"):
            for mode in MODES:
                mask = primes.is_prime(arr, mode=mode, threads=2, method=method)
                np.testing.assert_array_equal(mask, expected, err_msg=f"{layout} {method} {mode}")
                assert primes.count(arr, mode=mode, threads=2, method=method) == int(expected.sum())
        np.testing.assert_array_equal(arr, before)
        assert arr.dtype == before.dtype


def _mixed_inputs():
    rng = np.random.default_rng(5)
    return {
        # a dense part below 2^32 and repeats of two values above, far apart: the
        # large part's span is then too wide to sieve (tested), the small part bucketed
        "repeats-far-apart": rng.permutation(np.concatenate([
            np.arange(10**6, 12 * 10**5, dtype=np.uint64),
            np.full(20_000, 2**40 + 15, dtype=np.uint64),
            np.full(5_000, 2**64 - 59, dtype=np.uint64),
        ])),
        # negatives (never prime), small values and a dense window at 2^40: both parts
        "negatives-and-2^40": rng.permutation(np.concatenate([np.arange(-50_000, 50_000),
                                                             np.arange(2**40, 2**40 + 100_000)])),
        # the top of uint64, 2^64 - 1 included
        "top-of-uint64": rng.permutation(np.arange(100_000, dtype=np.uint64) + np.uint64(2**64 - 100_000)),
    }


MIXED = _mixed_inputs()


@pytest.mark.parametrize("name", list(MIXED))
def test_mixed_inputs_around_2_32(name):
    values = MIXED[name]
    unique, inverse = np.unique(values, return_inverse=True)
    nonneg = unique[unique >= 0] if unique.dtype.kind == "i" else unique
    verdicts = np.zeros(unique.shape, dtype=bool)
    verdicts[unique.size - nonneg.size:] = _gmpy2_mask(nonneg)
    expected = verdicts[inverse.ravel()]
    for method in METHODS:
        for mode in MODES:
            mask = primes.is_prime(values, mode=mode, threads=2, method=method)
            np.testing.assert_array_equal(mask, expected, err_msg=f"{name} {method} {mode}")
            assert primes.count(values, mode=mode, threads=2, method=method) == int(expected.sum())


# --- arrays that look like one run (np.arange) but are not --------------------------------------
#
# At 2^40, and below 2^32 (from 10^6, as int32 and uint64), where long runs take
# the same path.
# The first chunk runs consecutively and the last element is a[0] + n - 1, so the
# planner takes the array for one run: the segmented sieve answers the run while
# the threads check the elements, and a failed check sends the call to a second
# round, part by part.  Each case breaks the run in another way; the answer must
# be the elements' own.  Unchanged elements are checked against the NumPy
# reference sieve, changed ones against sympy.

RUN_LOWS, RUN_SIZE = {"2^40": 2**40 + 12_345, "10^6": 10**6 + 77}, 2 * 10**6


def _break_run(run, is_prime, how):
    """``run`` changed so that the run's own answer would be wrong (``is_prime`` its mask)."""
    values = run.copy()
    prime_after = lambda at: at + int(np.argmax(is_prime[at:]))  # noqa: E731
    if how == "swapped pair inside a check":
        at = prime_after(values.size // 2)
        values[[at, at + 1]] = values[[at + 1, at]]
    elif how == "swapped pair across checks":  # the checks are RUN_CHECK_ELEMENTS = 2^16 long
        at = next(k * 2**16 - 1 for k in range(1, 30) if is_prime[k * 2**16 - 1] != is_prime[k * 2**16])
        values[[at, at + 1]] = values[[at + 1, at]]
    elif how == "a value repeated":
        at = prime_after(values.size // 3)
        values[at] = values[at + 1]
    elif how == "a small prime near the end":
        values[np.flatnonzero(~is_prime[:-1])[-1]] = 7  # the last element stays
    elif how == "a negative value":
        values[prime_after(values.size // 2)] = -5
    elif how == "a reversed stretch":
        values[1_000_000:1_500_000] = values[1_000_000:1_500_000][::-1].copy()
    elif how == "a value near 2^64":
        values[values.size // 2 + int(np.argmin(is_prime[values.size // 2:]))] = np.uint64(2**64 - 59)  # a prime
    return values


_BREAKS = ("swapped pair inside a check", "swapped pair across checks", "a value repeated",
           "a small prime near the end", "a reversed stretch")
BROKEN_RUNS = {
    ("2^40", "int64", "a negative value"),
    ("2^40", "uint64", "a value near 2^64"),
    ("10^6", "int32", "a negative value"),
    ("10^6", "uint64", "a value near 2^64"),
    *(("2^40", dtype, how) for dtype in ("int64", "uint64") for how in _BREAKS),
    *(("10^6", dtype, how) for dtype in ("int32", "uint64") for how in _BREAKS),
}


@pytest.mark.parametrize("height, dtype, how", sorted(BROKEN_RUNS))
def test_arrays_that_look_like_one_run(height, dtype, how):
    sympy = pytest.importorskip("sympy")
    low = RUN_LOWS[height]
    run = np.arange(low, low + RUN_SIZE, dtype=np.uint64).astype(dtype)
    run_mask = segment_mask(low, low + RUN_SIZE)
    values = _break_run(run, run_mask, how)
    # (the planner's first chunk, 31250 elements here, and the last element fit one run)
    assert values[-1] == values[0] + (values.size - 1) and np.all(np.diff(values[:31_250].astype(np.int64)) == 1)
    expected = run_mask.copy()
    changed = np.flatnonzero(values != run)
    assert changed.size > 0
    expected[changed] = [sympy.isprime(int(v)) for v in values[changed]]
    before = values.copy()
    for method in METHODS:
        for mode in MODES:
            mask = primes.is_prime(values, mode=mode, threads=2, method=method)
            np.testing.assert_array_equal(mask, expected, err_msg=f"{height} {how} {dtype} {method} {mode}")
            assert primes.count(values, mode=mode, threads=2, method=method) == int(expected.sum())
    np.testing.assert_array_equal(values, before)
    assert not np.array_equal(expected, run_mask)  # the break changes the answer
    # and the run itself
    assert primes.count(run, threads=2) == int(run_mask.sum())


@pytest.mark.slow
def test_a_run_of_several_pieces_broken_in_its_second():
    # More than RUN_PIECE_MIN (2^25) elements: two pieces, each sieved by one
    # thread while the other checks; the break is in the second piece.
    low, size = 2**40, 2**25 + 10**6
    run = np.arange(low, low + size, dtype=np.int64)
    expected = segment_mask(low, low + size)
    total = int(expected.sum())
    assert primes.count(run, threads=2) == total
    np.testing.assert_array_equal(primes.is_prime(run, threads=2), expected)
    at = 2**25 + 500_000 + int(np.argmax(expected[2**25 + 500_000:]))  # a prime, then an even number
    run[[at, at + 1]] = run[[at + 1, at]]
    expected[[at, at + 1]] = expected[[at + 1, at]]
    assert primes.count(run, threads=2) == total
    np.testing.assert_array_equal(primes.is_prime(run, threads=2), expected)
    del run, expected


# The large cases: the bucketed sieve at every height (forced where auto tests),
# 10^7 at 2^40 as in the bench, whole windows against gmpy2.
SLOW_HIGH_WINDOWS = {
    "across-2^32": (2**32 - 2 * 10**6, 4 * 10**6, ("auto",)),
    "2^40": (2**40, 10**7, ("auto",)),
    "2^53": (2**53 - 10**6, 2 * 10**6, ("auto", "sieve")),
    "2^63": (2**63 - 4 * 10**6, 4 * 10**6, ("sieve",)),
    "below-2^64": (2**64 - 5 * 10**6 - 1, 5 * 10**6, ("sieve", "auto")),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SLOW_HIGH_WINDOWS))
def test_large_shuffled_windows_at_every_height(name):
    lo, size, methods = SLOW_HIGH_WINDOWS[name]
    dtype = "int64" if lo + size <= 2**63 else "uint64"
    values = _shuffled_window(lo, size, dtype, seed=3)
    expected = _gmpy2_mask(values)
    total = int(expected.sum())
    assert primes.count(range(lo, lo + size)) == total
    for method in methods:
        for mode in MODES:
            assert primes.count(values, mode=mode, threads=2, method=method) == total, (name, method, mode)
        mask = primes.is_prime(values, threads=2, method=method)
        np.testing.assert_array_equal(mask, expected, err_msg=f"{name} {method}")
