# SPDX-License-Identifier: MIT
"""The test suite's shared helpers, in the one module every test module imports from.

pyproject.toml puts ``tests/`` on ``sys.path`` (pytest's ``pythonpath``
option), so a test module says ``from support import MODES, sieve_mask`` (the
suite runs with ``--import-mode=importlib``, so ``conftest.py`` itself cannot
be imported; it only turns a few of these into session fixtures).  A script
in ``tests/scripts/`` puts ``tests/`` on its path itself.

What is here
------------
- the parameters: ``MODES``, ``METHODS``, ``ALL_DTYPES`` (and ``MULTIBYTE``),
  ``THREADS``, ``LARGEST_PRIME`` of each dtype, ``holds(dtype, *values)``;
- the data: ``DATA_DIR``, ``load_json``, ``load_numbers`` (``tests/data`` only,
  never anything outside the repository);
- the independent answers: ``sieve_mask`` and ``segment_mask``, the one
  reference sieve (NumPy, sharing nothing with the package),
  ``sieve_1e7()`` (cached), ``reference_mask`` (:func:`primes.reference.is_prime`
  element by element) and ``expected_mask``;
- ``peak_allocated(function)``: the memory a call allocates, as tracemalloc
  (which NumPy reports its allocations to) sees it;
- the edge-array corpus (as bottleneck's ``bn.testing``): ``EDGE_ARRAYS``, a
  list of ``pytest.param(factory, how, id=...)`` covering every shape,
  layout and kind of input that is not a plain 1-D native array, with its
  building blocks ``sample``, ``unaligned``, ``read_only``; and
  ``snapshot``/``assert_unchanged``, to check that a call left its input as
  it was.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import tracemalloc
from pathlib import Path
from typing import Any, Callable, List

import numpy as np

from primes import reference

try:
    import pytest
except ImportError:  # the smoke scripts run with plain Python on systems without pytest
    pytest = None  # type: ignore[assignment]

# --- parameters ------------------------------------------------------------------------------

MODES = ("pthreads", "threading", "serial")
METHODS = ("auto", "sieve", "test")
ALL_DTYPES = ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64")
MULTIBYTE = ALL_DTYPES[2:]
THREADS = (1, 2, 3, 4)

# The largest prime of each dtype (its largest value is prime only for int8 and int32).
LARGEST_PRIME = {
    "int8": 127,
    "uint8": 251,
    "int16": 32749,
    "uint16": 65521,
    "int32": 2**31 - 1,
    "uint32": 2**32 - 5,
    "int64": 2**63 - 25,
    "uint64": 2**64 - 59,
}


def holds(dtype: Any, *values: int) -> bool:
    """True if ``dtype`` holds every one of ``values``."""
    info = np.iinfo(dtype)
    return all(info.min <= v <= info.max for v in values)


# --- data ------------------------------------------------------------------------------------

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


# --- the reference sieve ---------------------------------------------------------------------


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


@functools.lru_cache(maxsize=8)
def _sieving_primes(limit: int) -> tuple:
    return tuple(np.flatnonzero(sieve_mask(limit)).tolist())


def segment_mask(low: int, high: int) -> np.ndarray:
    """Primality of ``low .. high - 1`` (0 <= low <= high): the same sieve, over the segment only.

    Crosses off the multiples of the primes up to sqrt(high - 1), found by
    :func:`sieve_mask`; its memory is the segment's length, whatever ``low``.
    """
    assert 0 <= low <= high
    mask = np.ones(high - low, dtype=bool)
    for p in _sieving_primes(math.isqrt(max(high - 1, 0)) + 1):
        first = max(p * p, -(-low // p) * p)
        mask[first - low :: p] = False
    mask[: max(0, 2 - low)] = False  # 0 and 1
    return mask


@functools.lru_cache(maxsize=1)
def sieve_1e7() -> np.ndarray:
    """Primality of 0 .. 10**7 (length 10**7 + 1), computed once, read-only."""
    mask = sieve_mask(10**7 + 1)
    assert int(mask.sum()) == 664579  # pi(10^7), OEIS A006880
    mask.flags.writeable = False
    return mask


def reference_mask(arr: Any) -> np.ndarray:
    """Apply :func:`primes.reference.is_prime` to every element; same shape as ``arr``.

    ``arr`` may be an ndarray of any integer dtype and byte order (or of
    objects), or nested Python sequences of ints (converted with
    ``dtype=object`` so that no value is rounded through float64).
    """
    if not isinstance(arr, np.ndarray):
        arr = np.asarray(arr, dtype=object)
    flags = [reference.is_prime(int(v)) for v in arr.ravel().tolist()]
    return np.array(flags, dtype=bool).reshape(arr.shape)


def expected_mask(value: Any, how: str) -> np.ndarray:
    """The independent answer for an input of the corpus: ``how`` is "reference"
    (:func:`reference_mask`) or "sieve" (:func:`sieve_1e7`, values below 10**7)."""
    if how == "reference":
        return reference_mask(value)
    sieve = sieve_1e7()
    as_int = np.asarray(value).astype(np.int64)
    assert as_int.max() < sieve.size
    return np.where(as_int >= 0, sieve[np.clip(as_int, 0, None)], False)


def peak_allocated(function: Callable[[], Any]) -> int:
    """Peak bytes allocated (Python objects and NumPy data) while ``function()`` runs."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - start


# --- the edge-array corpus -------------------------------------------------------------------


def sample(dtype: str, size: int = 60, seed: int = 0) -> np.ndarray:
    """``size`` values of ``dtype``: the extremes, the largest prime, small and random numbers."""
    info = np.iinfo(dtype)
    rng = np.random.default_rng([seed, np.dtype(dtype).itemsize, np.dtype(dtype).kind == "u"])
    special = [int(info.min), int(info.min) + 1, -7, -1, 0, 1, 2, 3, 4, 97, 121, LARGEST_PRIME[dtype],
               int(info.max) - 1, int(info.max)]
    special = [v for v in special if info.min <= v <= info.max]
    small = rng.integers(max(int(info.min), -50), min(int(info.max), 1000), size=size // 3, dtype=dtype)
    randoms = rng.integers(info.min, info.max, endpoint=True, size=size - len(special) - small.size, dtype=dtype)
    values = np.concatenate([np.array(special, dtype=dtype), small, randoms])
    assert values.size == size
    return values


def unaligned(values: np.ndarray, writeable: bool = False) -> np.ndarray:
    """The same values, viewed at an odd address (offset 1 into a bytes buffer)."""
    raw = b"\0" + values.tobytes()
    buffer = bytearray(raw) if writeable else raw
    view = np.frombuffer(buffer, dtype=values.dtype, offset=1, count=values.size).reshape(values.shape)
    assert not view.flags.aligned
    return view


def read_only(values: np.ndarray) -> np.ndarray:
    values = values.copy()
    values.flags.writeable = False
    return values


def object_array(values: Any, order: str = "C") -> np.ndarray:
    """An object array holding Python ints (never NumPy scalars), in the given memory order."""
    nested = np.asarray(values, dtype=object)  # the elements of an integer array become Python ints
    result = np.empty(nested.shape, dtype=object, order=order)
    result[...] = nested
    return result


#: The corpus: ``pytest.param(factory, how, id=...)``; ``factory()`` makes a
#: fresh input, ``how`` says how to get its expected mask (:func:`expected_mask`).
EDGE_ARRAYS: List[Any] = []


def _case(case_id: str, factory: Callable[[], Any], how: str = "reference") -> None:
    # Without pytest (the smoke scripts), a plain (factory, how, id) tuple.
    EDGE_ARRAYS.append(pytest.param(factory, how, id=case_id) if pytest else (factory, how, case_id))


# Empty inputs.
for _dt in ALL_DTYPES:
    for _shape in [(0,), (3, 0), (0, 3), (2, 0, 4)]:
        _case(f"empty-{_dt}-{'x'.join(map(str, _shape))}", lambda dt=_dt, s=_shape: np.empty(s, dtype=dt))
_case("empty-list", lambda: [])
_case("empty-tuple", lambda: ())
_case("empty-range", lambda: range(0))
_case("empty-nested-list", lambda: [[]])
_case("empty-nested-lists-2x0", lambda: [[], []])
_case("empty-byteswapped", lambda: np.empty((0, 2), dtype=">i8"))
_case("empty-noncontiguous", lambda: np.arange(10)[5:5:2])
_case("empty-fortran-3d", lambda: np.empty((2, 0, 3), dtype=np.int64, order="F"))
_case("empty-object", lambda: np.empty((2, 0), dtype=object))

# 0-d arrays and scalars.
for _dt in ALL_DTYPES:
    _case(f"0d-{_dt}-largest-prime", lambda dt=_dt: np.array(LARGEST_PRIME[dt], dtype=dt))
    _case(f"0d-{_dt}-max", lambda dt=_dt: np.array(np.iinfo(dt).max, dtype=dt))
    _case(f"0d-{_dt}-min", lambda dt=_dt: np.array(np.iinfo(dt).min, dtype=dt))
    _case(f"numpy-scalar-{_dt}-largest-prime", lambda dt=_dt: np.dtype(dt).type(LARGEST_PRIME[dt]))
    _case(f"numpy-scalar-{_dt}-max", lambda dt=_dt: np.dtype(dt).type(np.iinfo(dt).max))
for _dt in MULTIBYTE:
    _case(f"0d-byteswapped-{_dt}", lambda dt=_dt: np.array(LARGEST_PRIME[dt], dtype=np.dtype(dt).newbyteorder()))
_case("numpy-scalar-longlong", lambda: np.longlong(97))
_case("numpy-scalar-intc", lambda: np.intc(-97))
_case("numpy-scalar-intp", lambda: np.intp(2**61 - 1))
_case("0d-object-big-prime", lambda: object_array(2**64 - 59))
for _value in [0, 1, 2, 3, 4, -7, 97, 2**31 - 1, 2**32 - 5, 2**61 - 1, 2**63 - 25, 2**63 - 1, 2**63, 2**64 - 59,
               2**64 - 1, -(2**63)]:
    _case(f"python-int-{_value}", lambda v=_value: v)

# Shapes and layouts.
_case("2d-int64", lambda: sample("int64", 600).reshape(20, 30))
_case("2d-uint32", lambda: sample("uint32", 600).reshape(30, 20))
_case("3d-int32", lambda: sample("int32", 120).reshape(4, 5, 6))
_case("3d-uint16", lambda: sample("uint16", 120).reshape(2, 6, 10))
_case("3d-uint64", lambda: sample("uint64", 120).reshape(6, 5, 4))
_case("4d-int64-with-ones", lambda: sample("int64", 120).reshape(2, 1, 60, 1))
_case("fortran-2d-int64", lambda: np.asfortranarray(sample("int64", 600).reshape(20, 30)))
_case("fortran-2d-uint8", lambda: np.asfortranarray(sample("uint8", 600).reshape(20, 30)))
_case("fortran-3d-int32", lambda: np.asfortranarray(sample("int32", 120).reshape(4, 5, 6)))
_case("fortran-3d-uint64-sliced", lambda: np.asfortranarray(sample("uint64", 240).reshape(4, 6, 10))[::2, :, 1:])
_case("transposed-2d-uint64", lambda: sample("uint64", 600).reshape(20, 30).T)
_case("transposed-3d-axes-102-int64", lambda: sample("int64", 120).reshape(4, 5, 6).transpose(1, 0, 2))
_case("transposed-3d-axes-201-reversed-int32",
      lambda: sample("int32", 120).reshape(4, 5, 6).transpose(2, 0, 1)[::-1, :, ::2])
_case("slice-step3-int64", lambda: sample("int64", 600)[::3])
_case("slice-step3-uint32", lambda: sample("uint32", 600)[::3])
_case("slice-step3-int8", lambda: sample("int8", 600)[::3])
_case("2d-columns-step2-int32", lambda: sample("int32", 600).reshape(20, 30)[:, ::2])
_case("2d-columns-step2-uint64", lambda: sample("uint64", 600).reshape(20, 30)[:, ::2])
_case("reversed-uint64", lambda: sample("uint64", 600)[::-1])
_case("reversed-int32", lambda: sample("int32", 600)[::-1])
_case("2d-negative-strides-int16", lambda: sample("int16", 600).reshape(20, 30)[::-1, ::-2])
_case("2d-negative-strides-int64", lambda: sample("int64", 600).reshape(20, 30)[::-2, ::-1])
_case("broadcast-zero-stride-int64", lambda: np.broadcast_to(np.int64(2**61 - 1), (7, 24)))
_case("broadcast-row-uint32", lambda: np.broadcast_to(sample("uint32", 30), (5, 30)))
_case("broadcast-column-int64", lambda: np.broadcast_to(sample("int64", 20)[:, None], (20, 7)))
_case("field-of-structured-array", lambda: np.zeros(50, dtype=[("a", "u1"), ("n", "<i8")])["n"] + np.arange(50))
_case("structured-field-view-int64", lambda: np.array([(1, 97), (2, 98)], dtype=[("a", "u1"), ("n", "<i8")])["n"])

for _dt in MULTIBYTE:
    _case(f"byteswapped-{_dt}", lambda dt=_dt: sample(dt).astype(np.dtype(dt).newbyteorder()))
    _case(f"unaligned-{_dt}", lambda dt=_dt: unaligned(sample(dt)))
    _case(f"unaligned-writeable-{_dt}", lambda dt=_dt: unaligned(sample(dt), writeable=True))
    _case(f"unaligned-byteswapped-{_dt}", lambda dt=_dt: unaligned(sample(dt).astype(np.dtype(dt).newbyteorder())))
for _dt in ALL_DTYPES:
    _case(f"read-only-{_dt}", lambda dt=_dt: read_only(sample(dt)))
    _case(f"limits-{_dt}", lambda dt=_dt: np.array([np.iinfo(dt).min, np.iinfo(dt).max], dtype=dt))
_case("read-only-2d-fortran-int64", lambda: read_only(np.asfortranarray(sample("int64", 600).reshape(20, 30))))

# Python sequences.
_case("list", lambda: [0, 1, 2, 3, 4, 5, 97, 100])
_case("list-negatives", lambda: [-3, -2, -1, 0, 1, 2, 3])
_case("tuple", lambda: (2, 3, 4, 5, 2**31 - 1))
_case("range", lambda: range(100))
_case("range-negative-start", lambda: range(-50, 50, 3))
_case("range-near-2^64", lambda: range(2**64 - 100, 2**64))
_case("range-near-2^63", lambda: range(2**63 - 50, 2**63 + 50))
_case("nested-lists-2x3", lambda: [[1, 2, 3], [4, 5, 6]])
_case("nested-lists-2x1x1", lambda: [[[2]], [[4]]])
_case("nested-tuples", lambda: ((7, 8), (9, 11)))
_case("list-negative-and-above-2^63", lambda: [-7, 2**64 - 59])
_case("list-int64-min-and-uint64-max", lambda: [-(2**63), 2**64 - 1, 2**63 - 25, 2**64 - 59])
_case("nested-negative-and-above-2^63", lambda: [[2**64 - 59], [-7]])
_case("list-above-2^63", lambda: [2**63, 2**63 + 1, 2**64 - 59])
_case("list-numpy-scalars", lambda: [np.uint8(7), np.int64(-3), np.int32(11)])
_case("list-numpy-uint64-and-negative", lambda: [np.uint64(2**64 - 59), -7])
_case("list-numpy-int8-and-big-python-int", lambda: [np.int8(5), 2**63 + 29])
_case("tuple-of-one-big-prime", lambda: (2**63 - 25,))
_case("list-of-arrays", lambda: [np.arange(5), np.arange(5, 10)])

# Object arrays of Python ints, accepted as the same values in a list are.
_case("object-small-ints", lambda: object_array([0, 1, 2, 3, 4, 5, 97, 100, -7]))
_case("object-2d-int64-range", lambda: object_array(sample("int64", 60).reshape(6, 10)))
_case("object-2d-fortran", lambda: object_array(sample("uint64", 60).reshape(6, 10), order="F"))
_case("object-negative-and-above-2^63", lambda: object_array([[-(2**63), 2**64 - 59], [2**63 + 29, -1]]))
_case("object-numpy-integers", lambda: np.array([np.uint64(2**64 - 59), np.int8(-3), 97], dtype=object))
_case("object-strided", lambda: object_array(sample("int32", 60))[::-3])

# Large inputs that the package converts a block at a time (more than 2**20 elements:
# a full block and a partial one), big enough for threads to start.  Checked
# against the NumPy sieve.
BIG = 1_200_000
_case("big-byteswapped-int64", lambda: np.arange(BIG, dtype=">i8"), "sieve")
_case("big-strided-uint32", lambda: np.arange(2 * BIG, dtype=np.uint32)[::2], "sieve")
_case("big-reversed-int64", lambda: np.arange(BIG, dtype=np.int64)[::-1], "sieve")
_case("big-fortran-int64", lambda: np.asfortranarray(np.arange(BIG, dtype=np.int64).reshape(1000, 1200)), "sieve")
_case("big-int16-tiled", lambda: np.tile(np.arange(-1000, 30000, dtype=np.int16), 80), "sieve")
_case("big-uint8-2d", lambda: np.tile(np.arange(256, dtype=np.uint8), (5000, 2)), "sieve")
_case("big-unaligned-int64", lambda: unaligned(np.arange(BIG, dtype=np.int64)), "sieve")
_case("big-read-only-uint64", lambda: read_only(np.arange(BIG, dtype=np.uint64)), "sieve")
_case("big-long-rows-int64", lambda: np.arange(3 * 10**6, dtype=np.int64).reshape(3, 10**6), "sieve")
_case("big-transposed-3d-uint32",
      lambda: np.arange(2 * 10**6, dtype=np.uint32).reshape(100, 200, 100).transpose(2, 0, 1), "sieve")


def snapshot(value: Any) -> tuple:
    """Everything about an input that must not change."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.copy(order="K"), value.dtype, value.shape, value.strides,
                value.flags.writeable, value.__array_interface__["data"][0])
    return ("object", copy.deepcopy(value), type(value))


def assert_unchanged(value: Any, before: tuple) -> None:
    """Fail if ``value`` differs from its :func:`snapshot` ``before``."""
    if before[0] == "ndarray":
        after = (value.dtype, value.shape, value.strides, value.flags.writeable,
                 value.__array_interface__["data"][0])
        assert after == before[2:], "dtype, shape, strides, flags or data pointer changed"
        if not np.array_equal(value, before[1]):  # fast; the slower assertion says where
            np.testing.assert_array_equal(value, before[1], err_msg="the input array was modified")
        if value.dtype == object:  # the same objects, not only equal ones
            assert all(a is b for a, b in zip(value.ravel(order="K"), before[1].ravel(order="K")))
    else:
        assert type(value) is before[2]
        assert _same(value, before[1]), "the input object was modified"


def _same(a: Any, b: Any) -> bool:
    """Equality of snapshots that also holds for lists of arrays (where == is element-wise)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype \
            and np.array_equal(a, b)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b) and type(a) is type(b)
