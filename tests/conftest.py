"""Shared fixtures and helpers for the primes test suite.

The test modules cannot import this file (pytest runs with
``--import-mode=importlib``), so the helpers are handed to tests as fixtures:

- ``data_dir``, ``load_json``, ``load_numbers``: the reference vectors in
  ``tests/data`` (never anything outside the repository);
- ``sieve_mask``: an independent NumPy sieve of Eratosthenes;
- ``sieve_1e7``: ``sieve_mask(10**7 + 1)``, computed once per session;
- ``reference_mask``: :func:`primes.reference.is_prime` applied elementwise;
- ``c_compiler``, ``library_sources``: the system C compiler (the test is
  skipped, saying so, when there is none) and the C library's source files,
  for the tests that build the C sources themselves.

Test modules that need the data at collection time (for ``parametrize``)
read it with the same one-line JSON load, relative to their own file.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any, Callable, List

import numpy as np
import pytest

from primes import reference

DATA_DIR = Path(__file__).parent / "data"
SRC_C = Path(__file__).parents[1] / "src_c"


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


@pytest.fixture(scope="session")
def c_compiler() -> str:
    """The system C compiler (``cc``, else ``gcc``); skips the test when there is none."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler (cc or gcc) on PATH to build the C sources")
    return compiler


@pytest.fixture(scope="session")
def library_sources() -> List[Path]:
    """The C library's source files: every ``src_c/*.c`` but the include-templates."""
    return sorted(p for p in SRC_C.glob("*.c") if not p.name.endswith(".template.c"))
