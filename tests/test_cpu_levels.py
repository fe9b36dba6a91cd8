# SPDX-License-Identifier: MIT
"""The CPU level cap PRIMES_CPU_LEVEL: the level each cap selects, and the same answers at every level.

The level a call uses is the highest that the cap allows, the CPU and the
operating system support and the build has (src_c/test_dispatch.c).  What the
CPU supports is read here from /proc/cpuinfo (Linux lists a vector feature only
when the kernel enables its registers), independently of the library's CPUID
check; what the build has is the per-level kernel files of src_c/ (x86-64
only).  So a cap above what the machine supports is a cap, not a demand:
``avx512`` on a CPU with AVX2 only runs the AVX2 kernels.  The whole quick tier
also runs under each supported level in CI (.ci/run).
"""

from __future__ import annotations

import platform
from pathlib import Path

import numpy as np
import pytest
import support

import primes

SRC_C = Path(__file__).parents[1] / "src_c"
LEVELS = ("baseline", "avx2", "avx512")
NEEDS = {
    "avx2": {"avx", "avx2", "bmi2", "fma", "popcnt"},
    "avx512": {"avx", "avx2", "bmi2", "fma", "popcnt", "avx512f", "avx512vl", "avx512dq", "avx512bw", "avx512ifma"},
}


def cpu_flags() -> set:
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.is_file():
        pytest.skip("no /proc/cpuinfo to read the CPU's features from")
    line = next((line for line in cpuinfo.read_text().splitlines() if line.startswith("flags")), None)
    return set(line.split(":", 1)[1].split()) if line else set()


def expected_level(cap: str) -> str:
    """The level a call with this cap should use on this machine and build."""
    if platform.machine() not in ("x86_64", "AMD64"):
        return "baseline"
    flags = cpu_flags()
    usable = ["baseline"] + [level for level in LEVELS[1:]
                             if NEEDS[level] <= flags and (SRC_C / f"test_{level}.c").is_file()]
    return [level for level in usable if LEVELS.index(level) <= LEVELS.index(cap)][-1]


@pytest.mark.parametrize("cap", LEVELS)
def test_show_config_reports_the_level_each_cap_selects(monkeypatch, cap):
    monkeypatch.setenv("PRIMES_CPU_LEVEL", cap)
    cpu = primes.show_config(mode="dicts")["cpu"]
    assert cpu["PRIMES_CPU_LEVEL"] == cap
    assert cpu["level_in_use"] == expected_level(cap)
    assert cpu["level_in_use"] in cpu["levels_built"]


def test_without_a_cap_the_best_level_is_used(monkeypatch):
    monkeypatch.delenv("PRIMES_CPU_LEVEL", raising=False)
    assert primes.show_config(mode="dicts")["cpu"]["level_in_use"] == expected_level("avx512")


def test_a_cap_above_the_cpu_is_not_a_demand(monkeypatch):
    # avx512 asked for on a machine without it: the best level below it, no error.
    monkeypatch.setenv("PRIMES_CPU_LEVEL", "avx512")
    in_use = primes.show_config(mode="dicts")["cpu"]["level_in_use"]
    assert in_use == expected_level("avx512")
    values = np.array([2, 97, 2**31 - 1, 2**32 - 1, 4294967291], dtype=np.uint64)
    assert primes.is_prime(values, method="test").tolist() == [True, True, True, False, True]


@pytest.mark.parametrize("cap", LEVELS)
@pytest.mark.parametrize("dtype", ["int32", "uint32", "int64", "uint64"])
def test_every_level_gives_the_reference_answers(monkeypatch, cap, dtype):
    monkeypatch.setenv("PRIMES_CPU_LEVEL", cap)
    rng = np.random.default_rng([7, LEVELS.index(cap)])
    info = np.iinfo(dtype)
    as_type = np.int64 if info.min < 0 else np.uint64
    # Values of every size class (small ones from the table, 32-bit ones, the
    # dtype's extremes), against the reference; then the base-2 strong
    # pseudoprimes below 2^32 that the dtype holds: composites that pass the
    # strong test, which every level must reject.
    values = np.concatenate([
        support.sample(dtype, size=200, seed=LEVELS.index(cap)).astype(as_type),
        rng.integers(0, min(int(info.max), 2**32 - 1), size=600, endpoint=True).astype(as_type),
    ]).astype(dtype)
    expected = support.reference_mask(values)
    spsp2 = np.array(support.load_numbers("spsp2_below_2^32.txt"), dtype=np.uint64)
    spsp2 = spsp2[spsp2 <= info.max].astype(dtype)
    for method in ("test", "auto"):
        assert np.array_equal(primes.is_prime(values, method=method), expected), (cap, method)
        assert primes.count(values, method=method) == int(expected.sum())
        assert primes.count(spsp2, method=method) == 0, (cap, method)
