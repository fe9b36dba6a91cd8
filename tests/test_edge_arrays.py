# SPDX-License-Identifier: MIT
"""Every shape, layout and kind of input that is not a plain 1-D native array.

For each case, in every mode: ``is_prime`` returns a bool array with the
input's shape (a ``numpy.bool_`` for a scalar or 0-d input) equal to an
independent reference, ``count`` returns a Python ``int`` equal to its sum,
and the input is left exactly as it was.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import primes

MODES = ("pthreads", "threading", "serial")
ALL_DTYPES = ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64")
MULTIBYTE = ALL_DTYPES[2:]

# The largest prime of each dtype, and its largest value (prime only for int8 and int32).
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


# Each case: (id, factory making a fresh input, how to get the expected mask).
# "reference": primes.reference.is_prime elementwise; "sieve": the NumPy sieve (values < 10**7).
CASES = []


def case(case_id, factory, expected="reference"):
    CASES.append(pytest.param(factory, expected, id=case_id))


# Empty inputs.
for _dt in ALL_DTYPES:
    for _shape in [(0,), (3, 0), (0, 3), (2, 0, 4)]:
        case(f"empty-{_dt}-{'x'.join(map(str, _shape))}", lambda dt=_dt, s=_shape: np.empty(s, dtype=dt))
case("empty-list", lambda: [])
case("empty-tuple", lambda: ())
case("empty-range", lambda: range(0))
case("empty-nested-list", lambda: [[]])
case("empty-nested-lists-2x0", lambda: [[], []])
case("empty-byteswapped", lambda: np.empty((0, 2), dtype=">i8"))
case("empty-noncontiguous", lambda: np.arange(10)[5:5:2])

# 0-d arrays and scalars.
for _dt in ALL_DTYPES:
    case(f"0d-{_dt}-largest-prime", lambda dt=_dt: np.array(LARGEST_PRIME[dt], dtype=dt))
    case(f"0d-{_dt}-max", lambda dt=_dt: np.array(np.iinfo(dt).max, dtype=dt))
    case(f"0d-{_dt}-min", lambda dt=_dt: np.array(np.iinfo(dt).min, dtype=dt))
    case(f"numpy-scalar-{_dt}-largest-prime", lambda dt=_dt: np.dtype(dt).type(LARGEST_PRIME[dt]))
    case(f"numpy-scalar-{_dt}-max", lambda dt=_dt: np.dtype(dt).type(np.iinfo(dt).max))
for _dt in MULTIBYTE:
    case(f"0d-byteswapped-{_dt}", lambda dt=_dt: np.array(LARGEST_PRIME[dt], dtype=np.dtype(dt).newbyteorder()))
case("numpy-scalar-longlong", lambda: np.longlong(97))
case("numpy-scalar-intc", lambda: np.intc(-97))
case("numpy-scalar-intp", lambda: np.intp(2**61 - 1))
for _value in [0, 1, 2, 3, 4, -7, 97, 2**31 - 1, 2**32 - 5, 2**61 - 1, 2**63 - 25, 2**63 - 1, 2**63, 2**64 - 59,
               2**64 - 1, -(2**63)]:
    case(f"python-int-{_value}", lambda v=_value: v)

# Shapes and layouts.
case("2d-int64", lambda: sample("int64", 600).reshape(20, 30))
case("2d-uint32", lambda: sample("uint32", 600).reshape(30, 20))
case("3d-int32", lambda: sample("int32", 120).reshape(4, 5, 6))
case("3d-uint16", lambda: sample("uint16", 120).reshape(2, 6, 10))
case("3d-uint64", lambda: sample("uint64", 120).reshape(6, 5, 4))
case("fortran-2d-int64", lambda: np.asfortranarray(sample("int64", 600).reshape(20, 30)))
case("fortran-2d-uint8", lambda: np.asfortranarray(sample("uint8", 600).reshape(20, 30)))
case("fortran-3d-int32", lambda: np.asfortranarray(sample("int32", 120).reshape(4, 5, 6)))
case("transposed-2d-uint64", lambda: sample("uint64", 600).reshape(20, 30).T)
case("slice-step3-int64", lambda: sample("int64", 600)[::3])
case("slice-step3-uint32", lambda: sample("uint32", 600)[::3])
case("slice-step3-int8", lambda: sample("int8", 600)[::3])
case("2d-columns-step2-int32", lambda: sample("int32", 600).reshape(20, 30)[:, ::2])
case("2d-columns-step2-uint64", lambda: sample("uint64", 600).reshape(20, 30)[:, ::2])
case("reversed-uint64", lambda: sample("uint64", 600)[::-1])
case("reversed-int32", lambda: sample("int32", 600)[::-1])
case("2d-negative-strides-int16", lambda: sample("int16", 600).reshape(20, 30)[::-1, ::-2])
case("2d-negative-strides-int64", lambda: sample("int64", 600).reshape(20, 30)[::-2, ::-1])
case("broadcast-zero-stride-int64", lambda: np.broadcast_to(np.int64(2**61 - 1), (7, 24)))
case("field-of-structured-array", lambda: np.zeros(50, dtype=[("a", "u1"), ("n", "<i8")])["n"] + np.arange(50))
case("structured-field-view-int64", lambda: np.array([(1, 97), (2, 98)], dtype=[("a", "u1"), ("n", "<i8")])["n"])

for _dt in MULTIBYTE:
    case(f"byteswapped-{_dt}", lambda dt=_dt: sample(dt).astype(np.dtype(dt).newbyteorder()))
    case(f"unaligned-{_dt}", lambda dt=_dt: unaligned(sample(dt)))
    case(f"unaligned-writeable-{_dt}", lambda dt=_dt: unaligned(sample(dt), writeable=True))
    case(f"unaligned-byteswapped-{_dt}", lambda dt=_dt: unaligned(sample(dt).astype(np.dtype(dt).newbyteorder())))
for _dt in ALL_DTYPES:
    case(f"read-only-{_dt}", lambda dt=_dt: read_only(sample(dt)))
    case(f"limits-{_dt}", lambda dt=_dt: np.array([np.iinfo(dt).min, np.iinfo(dt).max], dtype=dt))
case("read-only-2d-fortran-int64", lambda: read_only(np.asfortranarray(sample("int64", 600).reshape(20, 30))))

# Python sequences.
case("list", lambda: [0, 1, 2, 3, 4, 5, 97, 100])
case("list-negatives", lambda: [-3, -2, -1, 0, 1, 2, 3])
case("tuple", lambda: (2, 3, 4, 5, 2**31 - 1))
case("range", lambda: range(100))
case("range-negative-start", lambda: range(-50, 50, 3))
case("range-near-2^64", lambda: range(2**64 - 100, 2**64))
case("range-near-2^63", lambda: range(2**63 - 50, 2**63 + 50))
case("nested-lists-2x3", lambda: [[1, 2, 3], [4, 5, 6]])
case("nested-lists-2x1x1", lambda: [[[2]], [[4]]])
case("nested-tuples", lambda: ((7, 8), (9, 11)))
case("list-negative-and-above-2^63", lambda: [-7, 2**64 - 59])
case("list-int64-min-and-uint64-max", lambda: [-(2**63), 2**64 - 1, 2**63 - 25, 2**64 - 59])
case("nested-negative-and-above-2^63", lambda: [[2**64 - 59], [-7]])
case("list-above-2^63", lambda: [2**63, 2**63 + 1, 2**64 - 59])
case("list-numpy-scalars", lambda: [np.uint8(7), np.int64(-3), np.int32(11)])
case("list-numpy-uint64-and-negative", lambda: [np.uint64(2**64 - 59), -7])
case("list-numpy-int8-and-big-python-int", lambda: [np.int8(5), 2**63 + 29])
case("tuple-of-one-big-prime", lambda: (2**63 - 25,))

# Large inputs that the package converts a block at a time (more than 2**20 elements:
# a full block and a partial one), big enough for threads to start.  Checked
# against the NumPy sieve.
BIG = 1_200_000
case("big-byteswapped-int64", lambda: np.arange(BIG, dtype=">i8"), "sieve")
case("big-strided-uint32", lambda: np.arange(2 * BIG, dtype=np.uint32)[::2], "sieve")
case("big-reversed-int64", lambda: np.arange(BIG, dtype=np.int64)[::-1], "sieve")
case("big-fortran-int64", lambda: np.asfortranarray(np.arange(BIG, dtype=np.int64).reshape(1000, 1200)), "sieve")
case("big-int16-tiled", lambda: np.tile(np.arange(-1000, 30000, dtype=np.int16), 80), "sieve")
case("big-uint8-2d", lambda: np.tile(np.arange(256, dtype=np.uint8), (5000, 2)), "sieve")
case("big-unaligned-int64", lambda: unaligned(np.arange(BIG, dtype=np.int64)), "sieve")
case("big-read-only-uint64", lambda: read_only(np.arange(BIG, dtype=np.uint64)), "sieve")


def snapshot(value):
    """Everything about an input that must not change."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.copy(order="K"), value.dtype, value.shape, value.strides,
                value.flags.writeable, value.__array_interface__["data"][0])
    return ("object", copy.deepcopy(value), type(value))


def assert_unchanged(value, before):
    after = snapshot(value)
    if before[0] == "ndarray":
        assert after[2] == before[2] and after[3:] == before[3:], "dtype, shape, strides, flags or data pointer changed"
        np.testing.assert_array_equal(value, before[1], err_msg="the input array was modified")
    else:
        assert after[2] is before[2]
        assert after[1] == before[1], "the input object was modified"


def expected_mask(value, how, reference_mask, sieve):
    if how == "reference":
        return reference_mask(value)
    as_int = np.asarray(value).astype(np.int64)
    assert as_int.max() < sieve.size
    return np.where(as_int >= 0, sieve[np.clip(as_int, 0, None)], False)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("factory, how", CASES)
def test_input_kinds(factory, how, mode, reference_mask, sieve_1e7):
    value = factory()
    before = snapshot(value)
    expected = expected_mask(value, how, reference_mask, sieve_1e7)
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

    found = primes.count(value, mode=mode)
    assert_unchanged(value, before)
    assert type(found) is int
    assert found == int(expected.sum())


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


def test_fortran_result_is_elementwise_in_place(reference_mask):
    values = np.asfortranarray(np.arange(60, dtype=np.int64).reshape(6, 10))
    result = primes.is_prime(values)
    for i in range(6):
        for j in range(10):
            assert result[i, j] == reference_mask(np.array([values[i, j]]))[0]
