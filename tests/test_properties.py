# SPDX-License-Identifier: MIT
"""Property tests: count and is_prime against the pure-Python reference on
arrays Hypothesis draws across dtypes, byte orders, shapes, strides, modes,
thread counts and engines (deterministic: derandomized, fixed example budget)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import primes
from primes import reference
from support import METHODS, MODES, reference_mask

# Every integer type code, so that 'l' and 'q' (both 64-bit here) are both drawn.
INTEGER_DTYPES = [np.dtype(c) for c in "bBhHiIlLqQ"]


@st.composite
def integer_arrays(draw):
    dtype = draw(st.sampled_from(INTEGER_DTYPES))
    if dtype.itemsize > 1 and draw(st.booleans()):
        dtype = dtype.newbyteorder()
    info = np.iinfo(dtype)
    # Mix values near 0, near the dtype's limits and anywhere in between.
    elements = st.one_of(
        st.integers(max(info.min, -5), min(info.max, 200)),
        st.integers(info.min, info.max),
        st.integers(max(info.min, info.max - 1000), info.max),
    )
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=12))
    array = draw(hnp.arrays(dtype, shape, elements=elements))
    # Sometimes a strided or reversed view instead of the whole array.
    if array.ndim >= 1 and array.shape[0] > 1 and draw(st.booleans()):
        step = draw(st.sampled_from([2, 3, -1, -2]))
        array = array[::step]
    if draw(st.booleans()):
        array.flags.writeable = False
    return array


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    values=integer_arrays(),
    mode=st.sampled_from(MODES),
    threads=st.integers(1, 4),
    method=st.sampled_from(METHODS),
)
def test_matches_reference(values, mode, threads, method):
    before = values.copy()
    expected = reference_mask(values)
    mask = primes.is_prime(values, mode=mode, threads=threads, method=method)
    assert np.shape(mask) == values.shape
    np.testing.assert_array_equal(mask, expected)
    assert primes.count(values, mode=mode, threads=threads, method=method) == int(expected.sum())
    np.testing.assert_array_equal(values, before)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    values=st.lists(st.integers(-(2**63), 2**64 - 1), max_size=50),
    method=st.sampled_from(METHODS),
)
def test_python_int_lists(values, method):
    expected = [reference.is_prime(v) for v in values]
    assert primes.is_prime(values, method=method).tolist() == expected
    assert primes.count(values, method=method) == sum(expected)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    start=st.integers(0, 2**64 - 70_000),
    length=st.integers(0, 70_000),
    threads=st.integers(1, 3),
)
def test_ranges_agree_across_engines(start, length, threads):
    # Ranges of up to 70k values anywhere in uint64: the engines must agree
    # with each other, and with the reference on a sample.
    values = np.arange(start, start + length, dtype=np.uint64)
    masks = [primes.is_prime(values, threads=threads, method=m) for m in METHODS]
    np.testing.assert_array_equal(masks[0], masks[1])
    np.testing.assert_array_equal(masks[0], masks[2])
    sample = values[:: max(1, length // 200)]
    np.testing.assert_array_equal(
        primes.is_prime(sample), [reference.is_prime(int(v)) for v in sample.tolist()]
    )
