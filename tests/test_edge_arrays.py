# SPDX-License-Identifier: MIT
"""The edge-array corpus through every public function, against the pure-Python reference.

``support.EDGE_ARRAYS`` holds every shape, layout and kind of input that is
not a plain 1-D native array (empty, 0-d, scalars, N-d, Fortran, transposed,
strided, reversed, broadcast, byte-swapped, unaligned, read-only, structured
fields, Python sequences, object arrays, large converted inputs).  For each,
in every mode:

- ``is_prime`` returns a bool array of the input's shape (a ``numpy.bool_``
  for a scalar or 0-d input) equal to the reference mask, laid out in memory
  as a ufunc's result on the same input is (``np.not_equal(a, 0)``);
- ``is_prime(a, out=o)`` writes the same into ``o`` (C-ordered, Fortran-ordered
  and strided) and returns ``o``;
- ``count`` returns a Python ``int`` equal to the mask's sum, and ``count``
  along axes (each axis, negative, tuples, ``()``, ``keepdims``) returns what
  ``np.count_nonzero`` returns for the reference mask: the same values, type,
  dtype and shape;

and after every call the input is exactly as it was.
"""

from __future__ import annotations

import numpy as np
import pytest

import primes
from support import ALL_DTYPES, EDGE_ARRAYS, MODES, assert_unchanged, expected_mask, reference_mask, snapshot


def axis_variants(ndim: int, size: int) -> list:
    """Keyword sets for ``count``: every axis, negative ones, tuples, none, keepdims
    (for the large inputs, each axis and one negative axis with keepdims)."""
    if size > 2**20:
        return [*({"axis": d} for d in range(ndim)), {"axis": -1, "keepdims": True}]
    variants: list = [{"keepdims": True}, {"axis": ()}, *({"axis": d} for d in range(ndim))]
    if ndim == 0:
        variants.append({"axis": 0})  # NumPy's leniency for 0-d input
    else:
        variants += [{"axis": -1, "keepdims": True}, {"axis": tuple(range(ndim))[::-1], "keepdims": True}]
    if ndim >= 3:
        variants.append({"axis": (0, -1)})
    return variants


def out_variants(shape: tuple) -> dict:
    """Writeable bool arrays of ``shape`` in several layouts, for ``is_prime(out=...)``."""
    outs = {"C": np.zeros(shape, dtype=bool)}
    if len(shape) >= 2:
        outs["F"] = np.zeros(shape, dtype=bool, order="F")
    if shape:
        outs["strided"] = np.zeros((*shape[:-1], 2 * shape[-1]), dtype=bool)[..., ::-2]
    return outs


def element_strides(array: np.ndarray) -> tuple:
    """The strides in elements, for the axes where they mean something (length > 1)."""
    return tuple(s // array.itemsize for s, n in zip(array.strides, array.shape) if n > 1)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("factory, how", EDGE_ARRAYS)
def test_every_function_on_the_corpus(factory, how, mode):
    value = factory()
    before = snapshot(value)
    expected = expected_mask(value, how)
    assert_unchanged(value, before)

    result = primes.is_prime(value, mode=mode)
    assert_unchanged(value, before)
    if expected.ndim == 0:
        assert isinstance(result, np.bool_), type(result)
        assert bool(result) == bool(expected)
    else:
        assert isinstance(result, np.ndarray) and result.dtype == np.bool_
        assert result.shape == expected.shape == np.shape(value)
        wrong = np.argwhere(result != expected)
        assert wrong.size == 0, [(tuple(i), np.asarray(value, dtype=object)[tuple(i)]) for i in wrong[:5]]
        if result.size:
            ufunc_result = np.not_equal(value, 0)
            assert element_strides(result) == element_strides(ufunc_result), (result.strides, ufunc_result.strides)

    for layout, out in out_variants(expected.shape).items():
        returned = primes.is_prime(value, out=out, mode=mode)
        assert_unchanged(value, before)
        assert returned is out, layout
        np.testing.assert_array_equal(out, expected, err_msg=layout)

    found = primes.count(value, mode=mode)
    assert_unchanged(value, before)
    assert type(found) is int
    assert found == int(expected.sum())

    for keywords in axis_variants(expected.ndim, expected.size):
        counts = primes.count(value, mode=mode, **keywords)
        assert_unchanged(value, before)
        wanted = np.count_nonzero(expected, **keywords)
        assert type(counts) is type(wanted), keywords
        assert np.shape(counts) == np.shape(wanted) and np.asarray(counts).dtype == np.intp, keywords
        np.testing.assert_array_equal(counts, wanted, err_msg=str(keywords))


@pytest.mark.parametrize(
    "value, expected",
    [
        (2**64 - 59, True),
        (2**64 - 1, False),
        (2**63 - 25, True),
        (2**31 - 1, True),
        (4294967291, True),
        (2**63, False),
        (-(2**63), False),
    ],
    ids=["2^64-59", "2^64-1", "2^63-25", "2^31-1", "4294967291", "2^63", "-2^63"],
)
def test_known_limit_values(value, expected):
    assert primes.is_prime(value) == expected
    for dt in ALL_DTYPES:
        info = np.iinfo(dt)
        if info.min <= value <= info.max:
            assert primes.is_prime(np.array([value], dtype=dt)).tolist() == [expected], dt
            assert primes.count(np.array([value, value], dtype=dt)) == 2 * expected, dt


def test_mixed_list_example():
    result = primes.is_prime([-7, 2**64 - 59])
    assert result.tolist() == [False, True]
    assert primes.count([-7, 2**64 - 59]) == 1


def test_fortran_result_is_elementwise_in_place():
    values = np.asfortranarray(np.arange(60, dtype=np.int64).reshape(6, 10))
    result = primes.is_prime(values)
    for i in range(6):
        for j in range(10):
            assert result[i, j] == reference_mask(np.array([values[i, j]]))[0]
