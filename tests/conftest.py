"""Session fixtures for the primes test suite.

The helpers themselves are in ``tests/support.py``, which test modules import
(``from support import ...``); this file cannot be imported (pytest runs with
``--import-mode=importlib``) and only makes fixtures of what is worth
computing once per session.
"""

from __future__ import annotations

import numpy as np
import pytest

import primes._lib
import support


@pytest.fixture(scope="session")
def sieve_1e7() -> np.ndarray:
    """Primality of 0 .. 10**7 (length 10**7 + 1), read-only: :func:`support.sieve_1e7`."""
    return support.sieve_1e7()


@pytest.fixture(scope="session")
def pi_values() -> dict:
    """pi(x) by label ("10^6", "2^31", ...) from pi_values.json, as {label: (x, pi)}."""
    data = support.load_json("pi_values.json")
    return {item["label"]: (item["x"], item["pi"]) for item in data["values"] + data["powers_of_two"]}


@pytest.fixture
def threads_reaching_c(monkeypatch) -> list:
    """A list that receives the ``threads`` argument of every C count call."""
    seen = []
    real_count_kernel = primes._lib.count_kernel

    def recording_count_kernel(values, threads, method=0, cancel=None):
        seen.append(threads)
        return real_count_kernel(values, threads, method, cancel)

    monkeypatch.setattr(primes._lib, "count_kernel", recording_count_kernel)
    return seen
