# SPDX-License-Identifier: MIT
"""Random arrays of every integer dtype against independent references, in every mode.

The expected masks come from the pure-Python reference (any value) or the
NumPy sieve (values below 10**7); never from the package itself.  The arrays
have at least 200_000 elements so that the C library and the Python thread
pool really split the work among threads.
"""

from __future__ import annotations

import numpy as np
import pytest

import primes
from primes import _modes
from support import ALL_DTYPES, MODES, THREADS, reference_mask

BIG = 200_000  # elements: enough for several threads in every mode

# How many random full-range values are checked with the (slow) pure-Python reference.
FULL_RANGE_SAMPLES = {1: 5_000, 2: 5_000, 4: 4_000, 8: 20_000}


def test_the_two_references_agree(sieve_1e7):
    values = np.arange(-50, 200_000)
    np.testing.assert_array_equal(reference_mask(values)[50:], sieve_1e7[:200_000])
    assert not reference_mask(values)[:50].any()


def _full_range_case(dtype: np.dtype) -> tuple:
    """Random values over the dtype's whole range (plus every value for 8/16-bit types),
    checked with the reference, then tiled and shuffled to BIG elements."""
    info = np.iinfo(dtype)
    rng = np.random.default_rng([1, dtype.itemsize, dtype.kind == "u"])
    values = rng.integers(info.min, info.max, endpoint=True, size=FULL_RANGE_SAMPLES[dtype.itemsize], dtype=dtype)
    extremes = np.array([info.min, info.min + 1, info.max - 1, info.max, 0, 1, 2, 3], dtype=dtype)
    values = np.concatenate([values, extremes])
    if dtype.itemsize <= 2:
        values = np.concatenate([values, np.arange(info.min, int(info.max) + 1, dtype=dtype)])
    expected = reference_mask(values)
    reps = -(-BIG // values.size)
    order = rng.permutation(values.size * reps)
    return np.tile(values, reps)[order], np.tile(expected, reps)[order]


def _sieve_case(dtype: np.dtype, high: int, sieve: np.ndarray, seed: int) -> tuple:
    """Random values in [max(min, -1000), min(high, max + 1)), checked with the sieve."""
    info = np.iinfo(dtype)
    low = max(int(info.min), -1000)
    high = min(high, int(info.max) + 1)
    rng = np.random.default_rng([seed, dtype.itemsize, dtype.kind == "u"])
    values = rng.integers(low, high, size=BIG + 12_345, dtype=dtype)
    as_int = values.astype(np.int64)
    expected = np.where(as_int >= 0, sieve[np.clip(as_int, 0, None)], False)
    return values, expected


KINDS = ("full-range", "below-1e5", "below-1e7")


@pytest.fixture(scope="module")
def case(sieve_1e7):
    cache = {}

    def get(dtype_name: str, kind: str):
        if (dtype_name, kind) not in cache:
            dtype = np.dtype(dtype_name)
            if kind == "full-range":
                made = _full_range_case(dtype)
            elif kind == "below-1e5":
                made = _sieve_case(dtype, 10**5, sieve_1e7, seed=2)
            else:
                made = _sieve_case(dtype, 10**7, sieve_1e7, seed=3)
            values, expected = made
            assert values.dtype == dtype and values.size >= BIG and values.shape == expected.shape
            assert expected.any() and not expected.all()
            values.flags.writeable = False
            cache[dtype_name, kind] = made
        return cache[dtype_name, kind]

    return get


CASES = [
    pytest.param(dt, kind, id=f"{dt}-{kind}")
    for dt in ALL_DTYPES
    for kind in KINDS
    # 8/16-bit values are all below 10**5: "below-1e7" would repeat "below-1e5".
    if not (kind == "below-1e7" and np.dtype(dt).itemsize <= 2)
]


# One thread and an uneven split in the quick tier; 2 and 4 threads in the slow tier.
THREAD_PARAMS = [pytest.param(t, id=f"threads{t}", marks=[pytest.mark.slow] if t in (2, 4) else []) for t in THREADS]


@pytest.mark.parametrize("threads", THREAD_PARAMS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype, kind", CASES)
def test_random_arrays_match_references(case, dtype, kind, mode, threads):
    values, expected = case(dtype, kind)
    mask = primes.is_prime(values, mode=mode, threads=threads)
    assert mask.dtype == np.bool_ and mask.shape == values.shape
    wrong = np.flatnonzero(mask != expected)
    assert wrong.size == 0, [(int(values[i]), bool(expected[i])) for i in wrong[:10]]
    assert primes.count(values, mode=mode, threads=threads) == int(expected.sum())


@pytest.mark.parametrize("dtype", ["int16", "uint32", "int64", "uint64"])
def test_modes_and_thread_counts_agree_with_each_other(case, dtype):
    values, _ = case(dtype, "full-range")
    masks = {(m, t): primes.is_prime(values, mode=m, threads=t) for m in MODES for t in THREADS}
    counts = {(m, t): primes.count(values, mode=m, threads=t) for m in MODES for t in THREADS}
    first = masks["serial", 1]
    for key, mask in masks.items():
        np.testing.assert_array_equal(mask, first, err_msg=str(key))
    assert set(counts.values()) == {int(first.sum())}


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_small_random_arrays_against_reference(dtype):
    """Small arrays (no threads start) over the full range, and one element at a time."""
    info = np.iinfo(dtype)
    rng = np.random.default_rng([4, np.dtype(dtype).itemsize, np.dtype(dtype).kind == "u"])
    values = rng.integers(info.min, info.max, endpoint=True, size=300, dtype=dtype)
    expected = reference_mask(values)
    for mode in MODES:
        assert primes.is_prime(values, mode=mode).tolist() == expected.tolist()
        assert primes.count(values, mode=mode) == int(expected.sum())
    for value, want in zip(values[:50], expected[:50]):
        assert primes.is_prime(value) == want


# --- the Python thread pool with any chunk size ------------------------------------------

RNG_CHUNKS = np.random.default_rng(5).integers(1001, 400_000, size=3).tolist()
CHUNK_CASES = (
    [pytest.param(7, 2, id="chunk7-threads2")]
    + [pytest.param(1000, t, id=f"chunk1000-threads{t}") for t in (1, 2, 3, 4)]
    + [pytest.param(c, t, id=f"chunk{c}-threads{t}") for c, t in zip(RNG_CHUNKS, (2, 3, 4))]
    + [pytest.param(32768, 4, id="chunk32768-threads4"), pytest.param(2 * 10**6, 2, id="chunk-bigger-than-array")]
)


def _chunked_size(chunk: int) -> int:
    # 10**6 elements, but 10**5 for tiny chunks: the cost is one ctypes call per
    # chunk, and 14k calls exercise the pool as well as 143k do.
    return 10**6 if chunk >= 1000 else 10**5


@pytest.mark.parametrize("chunk, threads", CHUNK_CASES)
def test_threaded_chunks_count(chunk, threads, sieve_1e7):
    size = _chunked_size(chunk)
    values = np.arange(size, dtype=np.int64)
    assert _modes.threaded(values, None, threads, chunk) == int(sieve_1e7[:size].sum())  # 78498 for 10**6


@pytest.mark.parametrize("chunk, threads", CHUNK_CASES)
def test_threaded_chunks_is_prime(chunk, threads, sieve_1e7):
    size = _chunked_size(chunk)
    values = np.arange(size, dtype=np.int64)
    out = np.zeros(values.size, dtype=bool)
    _modes.threaded(values, out, threads, chunk)
    np.testing.assert_array_equal(out, sieve_1e7[:size])


def test_threaded_chunk_of_one_small(sieve_1e7):
    """One element per ctypes call (on 10**4 elements; 2 * 10**5 is in the slow test below)."""
    values = np.arange(10**4, dtype=np.uint32)
    assert _modes.threaded(values, None, 2, 1) == 1229  # pi(10^4)
    out = np.zeros(values.size, dtype=bool)
    _modes.threaded(values, out, 3, 1)
    np.testing.assert_array_equal(out, sieve_1e7[: 10**4])


@pytest.mark.slow
def test_threaded_chunk_of_one(sieve_1e7):
    # One element per ctypes call, 2 * 10^5 calls: pi(199999) = 17984.
    values = np.arange(2 * 10**5, dtype=np.int64)
    assert _modes.threaded(values, None, 2, 1) == 17984
    out = np.zeros(values.size, dtype=bool)
    _modes.threaded(values, out, 2, 1)
    np.testing.assert_array_equal(out, sieve_1e7[: 2 * 10**5])
