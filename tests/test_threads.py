# SPDX-License-Identifier: MIT
"""Concurrency and memory: many Python threads at once, every mode and thread count, no copies."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import primes
from support import MODES, load_json, peak_allocated, reference_mask

MiB = 2**20

PI_OF_POWERS_OF_TWO = {item["x"]: item["pi"] for item in load_json("pi_values.json")["powers_of_two"]}


def run_together(jobs, rounds=1):
    """Run the callables in ``jobs`` on one thread each, released together by a barrier.

    Returns their results in order; re-raises the first exception.
    """
    barrier = threading.Barrier(len(jobs))

    def start(job):
        results = []
        for _ in range(rounds):
            barrier.wait(timeout=60)
            results.append(job())
        return results

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(start, job) for job in jobs]
        return [future.result(timeout=300) for future in futures]


def test_sixteen_threads_count_with_pthreads_at_once():
    dtypes = ("int32", "uint32", "int64", "uint64")
    cases = []
    for i, k in enumerate(range(5, 21)):  # 16 arrays 0 .. 2^k with known pi(2^k)
        x = 2**k
        cases.append((np.arange(x + 1, dtype=dtypes[i % 4]), PI_OF_POWERS_OF_TWO[x]))
    assert len(cases) == 16
    jobs = [lambda values=values: primes.count(values, mode="pthreads", threads=2) for values, _ in cases]
    results = run_together(jobs, rounds=3)
    assert results == [[pi] * 3 for _, pi in cases]


def test_sixteen_threads_different_windows_at_once(sieve_1e7):
    """Sixteen different windows of one shared read-only array, is_prime and count together."""
    shared = np.arange(10**7, dtype=np.int64)
    shared.flags.writeable = False
    windows = [(i * 600_000, i * 600_000 + 400_000 + 7 * i) for i in range(16)]

    def job(lo, hi):
        mask = primes.is_prime(shared[lo:hi], mode="pthreads", threads=2)
        return primes.count(shared[lo:hi], mode="pthreads", threads=2), mask

    results = run_together([lambda lo=lo, hi=hi: job(lo, hi) for lo, hi in windows], rounds=2)
    for (lo, hi), rounds in zip(windows, results):
        for found, mask in rounds:
            assert found == int(sieve_1e7[lo:hi].sum())
            np.testing.assert_array_equal(mask, sieve_1e7[lo:hi])


def test_modes_mixed_concurrently(sieve_1e7):
    rng = np.random.default_rng(11)
    jobs, expected = [], []
    for i in range(12):
        mode = MODES[i % 3]
        threads = 1 + i % 4
        dtype = ("int32", "uint32", "int64", "uint64", "int16", "uint16")[i % 6]
        high = min(10**7, int(np.iinfo(dtype).max) + 1)
        values = rng.integers(0, high, size=150_000 + 1000 * i, dtype=dtype)
        expected.append(sieve_1e7[values.astype(np.int64)])

        def job(values=values, mode=mode, threads=threads):
            with primes.set_threads(threads):
                return primes.is_prime(values, mode=mode), primes.count(values, mode=mode)

        jobs.append(job)
    results = run_together(jobs, rounds=2)
    for want, rounds in zip(expected, results):
        for mask, found in rounds:
            np.testing.assert_array_equal(mask, want)
            assert found == int(want.sum())


@pytest.fixture(scope="module")
def mixed_values():
    """300_000 int64 values: small ones, ones near 2^32 and full-range positive ones."""
    rng = np.random.default_rng(12)
    parts = [
        rng.integers(-100, 10**6, size=150_000),
        rng.integers(2**32 - 10**6, 2**32 + 10**6, size=75_000),
        rng.integers(0, 2**63 - 1, size=75_000, endpoint=True),
    ]
    values = np.concatenate(parts)
    rng.shuffle(values)
    values.flags.writeable = False
    return values


def test_results_identical_across_modes_and_threads(mixed_values):
    masks = {}
    counts = {}
    for mode in MODES:
        for threads in range(1, 9):
            masks[mode, threads] = primes.is_prime(mixed_values, mode=mode, threads=threads)
            counts[mode, threads] = primes.count(mixed_values, mode=mode, threads=threads)
    baseline = masks["serial", 1]
    for key, mask in masks.items():
        assert np.array_equal(mask, baseline), key
    assert set(counts.values()) == {int(baseline.sum())}
    # Anchor the common answer to the pure-Python reference on a sample.
    picks = np.random.default_rng(13).choice(mixed_values.size, size=3000, replace=False)
    np.testing.assert_array_equal(baseline[picks], reference_mask(mixed_values[picks]))


@pytest.mark.parametrize("mode", MODES)
def test_repeated_calls_are_stable(mode, mixed_values):
    first = primes.count(mixed_values, mode=mode, threads=4)
    assert all(primes.count(mixed_values, mode=mode, threads=4) == first for _ in range(5))


# --- zero-copy: the memory a call allocates (NumPy reports its allocations to tracemalloc) ---


def test_tracemalloc_sees_numpy_allocations():
    values = np.arange(10**6, dtype=np.int64)
    assert peak_allocated(values.copy) >= values.nbytes


@pytest.fixture(scope="module", params=["int64", "int32", "uint32", "uint64"])
def ten_million(request):
    values = np.arange(10**7, dtype=request.param)
    assert values.flags.c_contiguous and values.flags.aligned
    return values


@pytest.mark.parametrize("mode", MODES)
def test_count_does_not_copy(ten_million, mode):
    found = []
    peak = peak_allocated(lambda: found.append(primes.count(ten_million, mode=mode)))
    assert found == [664579]
    assert peak < 1 * MiB, f"count allocated {peak / MiB:.1f} MiB for a {ten_million.nbytes / MiB:.0f} MiB array"


@pytest.mark.parametrize("mode", MODES)
def test_is_prime_allocates_only_its_output(ten_million, mode):
    found = []
    peak = peak_allocated(lambda: found.append(primes.is_prime(ten_million, mode=mode)))
    assert int(found[0].sum()) == 664579
    n = ten_million.size
    assert peak < 1.1 * n + MiB, f"is_prime allocated {peak / MiB:.1f} MiB for {n} elements"


@pytest.mark.parametrize(
    "make, expected",
    [
        pytest.param(lambda: np.arange(10**7, dtype=">i8"), 664579, id="byteswapped-int64"),
        pytest.param(lambda: np.arange(2 * 10**7, dtype=np.int64)[::2], 1, id="strided-int64-evens"),
        pytest.param(lambda: np.tile(np.arange(30000, dtype=np.int16), 334), 334 * 3245, id="int16"),
    ],
)
def test_converted_inputs_are_converted_a_block_at_a_time(make, expected, sieve_1e7):
    """Inputs that need converting must not be copied whole (a copy would be 40-80 MiB)."""
    assert int(sieve_1e7[:30000].sum()) == 3245
    values = make()
    found = []
    peak = peak_allocated(lambda: found.append(primes.count(values)))
    assert found == [expected]
    assert peak < 32 * MiB, f"count allocated {peak / MiB:.1f} MiB"
