# SPDX-License-Identifier: MIT
"""Shared fixtures and helpers for the primes test suite.

The test modules cannot import this file (pytest runs with
``--import-mode=importlib``), so the helpers are handed to tests as fixtures:

- ``data_dir``, ``load_json``, ``load_numbers``: the reference vectors in
  ``tests/data`` (never anything outside the repository);
- ``sieve_mask``: an independent NumPy sieve of Eratosthenes;
- ``sieve_1e7``: ``sieve_mask(10**7 + 1)``, computed once per session;
- ``reference_mask``: :func:`primes.reference.is_prime` applied elementwise.

Test modules that need the data at collection time (for ``parametrize``)
read it with the same one-line JSON load, relative to their own file.

Test tiers (tests/README.md): a bare ``pytest`` runs the quick tier and skips
the tests marked ``slow``; ``pytest --run-slow`` runs both tiers (and an
explicit ``-m`` expression that names ``slow``, such as ``-m slow``, selects
slow tests itself).  ``@pytest.mark.needs_memory(gib)`` skips a test, with the
reason, when the machine has less memory available than it needs.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Callable, List

import numpy as np
import pytest

from primes import reference
from primes.cli import available_memory

DATA_DIR = Path(__file__).parent / "data"


def load_json(name: str) -> Any:
    """Parse ``tests/data/<name>`` with :mod:`json` (exact big integers)."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def load_numbers(name: str) -> List[int]:
    """Read ``tests/data/<name>``: one integer per line (blank lines and # comments skipped)."""
    numbers = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            numbers.append(int(line))
    return numbers


def sieve_mask(limit: int) -> np.ndarray:
    """Return a bool array ``m`` of length ``limit`` with ``m[k]`` True iff k is prime.

    A plain sieve of Eratosthenes in NumPy, sharing nothing with the package.
    """
    mask = np.ones(max(limit, 0), dtype=bool)
    mask[:2] = False
    for p in range(2, math.isqrt(max(limit - 1, 0)) + 1):
        if mask[p]:
            mask[p * p :: p] = False
    return mask


def reference_mask(arr: Any) -> np.ndarray:
    """Apply :func:`primes.reference.is_prime` to every element; same shape as ``arr``.

    ``arr`` may be an ndarray of any integer dtype and byte order, or nested
    Python sequences of ints (converted with ``dtype=object`` so that no value
    is rounded through float64).
    """
    if not isinstance(arr, np.ndarray):
        arr = np.asarray(arr, dtype=object)
    flags = [reference.is_prime(int(v)) for v in arr.ravel().tolist()]
    return np.array(flags, dtype=bool).reshape(arr.shape)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow", action="store_true", default=False,
        help="also run the slow tier (tests marked slow: exhaustive, huge, load, packaging)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs_memory(gib): skip unless this much memory (GiB) is available (MemAvailable)"
    )


def _slow_tier_selected(config: pytest.Config) -> bool:
    return bool(config.getoption("--run-slow")) or "slow" in (config.getoption("markexpr") or "")


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    if _slow_tier_selected(config):
        return
    skip_slow = pytest.mark.skip(reason="slow tier: run it with pytest --run-slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip_slow)


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("needs_memory")
    if marker is not None:
        needed = float(marker.args[0]) * 2**30
        available = available_memory() or 0  # unknown (no /proc/meminfo): skip
        if available < needed:
            pytest.skip(
                f"needs {needed / 2**30:.1f} GiB of memory, {available / 2**30:.1f} GiB available"
            )


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(name="load_json", scope="session")
def _load_json_fixture() -> Callable[[str], Any]:
    return load_json


@pytest.fixture(name="load_numbers", scope="session")
def _load_numbers_fixture() -> Callable[[str], List[int]]:
    return load_numbers


@pytest.fixture(name="sieve_mask", scope="session")
def _sieve_mask_fixture() -> Callable[[int], np.ndarray]:
    return sieve_mask


@pytest.fixture(name="reference_mask", scope="session")
def _reference_mask_fixture() -> Callable[[Any], np.ndarray]:
    return reference_mask


@pytest.fixture(scope="session")
def sieve_1e7() -> np.ndarray:
    """Primality of 0 .. 10**7 (length 10**7 + 1), read-only."""
    mask = sieve_mask(10**7 + 1)
    assert int(mask.sum()) == 664579  # pi(10^7), OEIS A006880
    mask.flags.writeable = False
    return mask


@pytest.fixture(scope="session")
def pi_values() -> dict:
    """pi(x) by label ("10^6", "2^31", ...) from pi_values.json, as {label: (x, pi)}."""
    data = load_json("pi_values.json")
    return {item["label"]: (item["x"], item["pi"]) for item in data["values"] + data["powers_of_two"]}
