# SPDX-License-Identifier: MIT
"""Many threads at once, memory that stays flat, fork, and huge inputs."""

from __future__ import annotations

import os
import sys
import threading

import numpy as np
import pytest

import primes
from support import METHODS, MODES


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.fixture(scope="module")
def shared_inputs(sieve_1e7):
    """Read-only arrays shared by every thread, with their known counts."""
    rng = np.random.default_rng(64)
    # Sizes chosen so that the pthreads and threading modes start threads
    # (70k elements) while 64000 calls still take well under a minute.
    arrays = {
        "arange-int64": np.arange(70_000),
        "arange-uint32": np.arange(10**6, 10**6 + 70_000, dtype=np.uint32),
        "random-int32": rng.integers(0, 10**7, 20_000).astype(np.int32),
        "random-uint64-small": rng.integers(0, 10**7, 5_000).astype(np.uint64),
        "tiny-int16": np.arange(-50, 300, dtype=np.int16),
    }
    expected = {}
    for name, values in arrays.items():
        values.flags.writeable = False
        as_index = np.clip(values.astype(np.int64), 0, None)
        expected[name] = int(sieve_1e7[as_index][values.astype(np.int64) >= 0].sum())
    return arrays, expected


def _hammer(arrays, expected, calls, seed, failures):
    rng = np.random.default_rng(seed)
    names = list(arrays)
    for _ in range(calls):
        name = names[rng.integers(len(names))]
        mode = MODES[rng.integers(3)]
        method = METHODS[rng.integers(3)]
        threads = int(rng.integers(1, 4))
        if rng.integers(2):
            got = primes.count(arrays[name], mode=mode, threads=threads, method=method)
        else:
            got = int(primes.is_prime(arrays[name], mode=mode, threads=threads, method=method).sum())
        if got != expected[name]:
            failures.append((name, mode, method, threads, got, expected[name]))


def _run_threads(arrays, expected, threads, calls, failures):
    workers = [
        threading.Thread(target=_hammer, args=(arrays, expected, calls, seed, failures))
        for seed in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


@pytest.mark.slow
def test_64_threads_1000_calls_each_correct_and_rss_flat(shared_inputs):
    arrays, expected = shared_inputs
    failures: list = []
    _run_threads(arrays, expected, 64, 200, failures)  # warm-up: malloc arenas, caches
    before = _rss_bytes()
    _run_threads(arrays, expected, 64, 1000, failures)
    after = _rss_bytes()
    print(f"RSS before {before / 2**20:.1f} MiB, after {after / 2**20:.1f} MiB")
    assert failures == []
    assert after - before <= 5 * 2**20, f"RSS grew by {(after - before) / 2**20:.1f} MiB"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_forked_child_counts_correctly():
    primes.count(np.arange(10**6), threads=2)  # the parent has used threads before forking
    pid = os.fork()
    if pid == 0:  # the child: report through the exit status only
        try:
            ok = primes.count(np.arange(10**6), threads=2) == 78498
            ok = ok and primes.count(np.arange(10**6), mode="threading", threads=2) == 78498
            os._exit(0 if ok else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def test_output_that_cannot_be_allocated_is_memory_error():
    huge = np.broadcast_to(np.int64(7), (2**40,))  # a view: no memory behind it; the mask needs 1 TiB
    with pytest.raises(MemoryError):
        primes.is_prime(huge)


@pytest.mark.slow
@pytest.mark.needs_memory(9)  # 2^31 + 5 int32 elements: 8 GiB, plus the interpreter and NumPy
def test_more_than_2_pow_31_elements():
    # 2^31 + 5 int32 elements (8 GiB) reach the C kernel as one array, so its
    # lengths and counts must be 64-bit.  All 7s but a few composites.
    size = 2**31 + 5
    values = np.full(size, 7, dtype=np.int32)
    values[[0, 2**31 - 1, 2**31, size - 1]] = [9, 15, 21, 25]
    assert primes.count(values, threads=2) == size - 4
    assert primes.count(values, mode="threading", threads=2) == size - 4
    del values
