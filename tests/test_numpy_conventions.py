# SPDX-License-Identifier: MIT
"""NumPy's conventions, checked against NumPy itself on the same inputs (never against constants).

- ``count(a, axis, keepdims=...)`` does what ``np.count_nonzero`` does on the
  reference mask of ``a``: the same values, type, dtype and shape for every
  kind of ``axis`` (ints, negative ints, tuples, repeats, out of range, wrong
  types, 0-d and empty arrays), and the same exception, with the same message,
  where NumPy raises; on Dask arrays too, lazily.
- ``is_prime(a)`` lays its result out in memory as a ufunc's result on the same
  ``a`` is; ``is_prime(a, out=o)`` takes what a ufunc's ``out=`` takes (every
  layout, a tuple of one, positionally) and refuses what a ufunc refuses, with
  the same exception type; where it is stricter than a ufunc (dtype, shape,
  masked arrays, shared memory) the test says so case by case.
- Counting along axes keeps memory bounded (one block's mask, never a full
  copy of a converted input).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import primes
from support import peak_allocated, reference_mask, segment_mask

# --- count(axis=..., keepdims=...) against np.count_nonzero ----------------------------------

SHAPES = [(), (0,), (7,), (3, 4), (0, 5), (4, 0), (2, 3, 4), (2, 1, 3, 2), (3, 0, 2)]


def small_array(shape: tuple) -> np.ndarray:
    values = np.random.default_rng(len(shape) * 10 + sum(shape)).integers(-5, 60, size=shape)
    return values.astype(np.int64)


def outcome(function, *args, **kwargs):
    """("ok", result) or ("error", exception type, message)."""
    try:
        return ("ok", function(*args, **kwargs))
    except Exception as exc:  # compared with NumPy's outcome
        return ("error", type(exc), str(exc))


def assert_same_outcome(ours, numpy_outcome, what):
    assert ours[0] == numpy_outcome[0], (what, ours, numpy_outcome)
    if ours[0] == "error":
        assert ours[1:] == numpy_outcome[1:], what
        return
    got, wanted = ours[1], numpy_outcome[1]
    assert type(got) is type(wanted), (what, type(got), type(wanted))
    assert np.shape(got) == np.shape(wanted), what
    assert np.asarray(got).dtype == np.asarray(wanted).dtype, what
    np.testing.assert_array_equal(got, wanted, err_msg=str(what))


def axis_cases(ndim: int) -> list:
    """Every int axis from -ndim-1 to ndim, every tuple of them up to length 3, and wrong types."""
    singles = list(range(-ndim - 1, ndim + 1))
    tuples = [t for k in range(4) for t in itertools.product(singles, repeat=k)]
    odd = [1.0, "0", [0], True, np.int64(0), (np.int8(0),), np.array(0), np.array([0, 1]), (0.0,), None]
    return [*singles, *tuples, *odd]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)) or "0d")
def test_count_axis_keepdims_as_count_nonzero(shape):
    values = small_array(shape)
    mask = reference_mask(values)
    for axis in axis_cases(len(shape)):
        for keepdims in (False, True):
            ours = outcome(primes.count, values, axis=axis, keepdims=keepdims)
            theirs = outcome(np.count_nonzero, mask, axis=axis, keepdims=keepdims)
            if ours[0] == "ok" and axis is None and not keepdims:
                # The one documented difference: count's total is an int
                # (NumPy 2 returns an intp scalar there, NumPy 1 an int).
                assert type(ours[1]) is int and ours[1] == int(theirs[1])
                continue
            assert_same_outcome(ours, theirs, (shape, axis, keepdims))


@pytest.mark.parametrize("keepdims", [0, 1, 2, "yes", None, np.array([1, 2]), np.True_])
@pytest.mark.parametrize("axis", [None, 0, (0, 1)])
def test_odd_keepdims_as_count_nonzero(axis, keepdims):
    values = small_array((3, 4))
    ours = outcome(primes.count, values, axis=axis, keepdims=keepdims)
    theirs = outcome(np.count_nonzero, reference_mask(values), axis=axis, keepdims=keepdims)
    if ours[0] == "ok" and axis is None and theirs[0] == "ok" and np.ndim(theirs[1]) == 0 and not keepdims:
        assert type(ours[1]) is int and ours[1] == int(theirs[1])
        return
    assert_same_outcome(ours, theirs, (axis, keepdims))


def test_axis_is_positional_and_keepdims_keyword_only_as_in_numpy():
    values = small_array((3, 4))
    np.testing.assert_array_equal(primes.count(values, 1), np.count_nonzero(reference_mask(values), 1))
    with pytest.raises(TypeError):
        primes.count(values, 1, True)  # keepdims is keyword-only, as in np.count_nonzero
    with pytest.raises(TypeError):
        np.count_nonzero(values, 1, True)


def test_count_along_axes_of_lists_and_object_arrays():
    items = [[2, 3, 4], [5, 2**64 - 59, -7]]
    mask = reference_mask(items)
    objects = np.empty((2, 3), dtype=object)
    objects[...] = np.asarray(items, dtype=object)
    for value in (items, objects, np.asfortranarray(objects)):
        for axis in (0, 1, -1, (0, 1)):
            assert_same_outcome(
                outcome(primes.count, value, axis=axis), outcome(np.count_nonzero, mask, axis=axis), axis
            )


# Larger arrays, so that the counts along axes take every path: lanes counted one
# C call each (long reduced runs), masks summed by rows or by other axes, blocks
# cut within a lane, memory orders that differ from C order.
LARGE = [
    pytest.param(lambda: np.arange(3 * 70_000).reshape(3, 70_000), id="long-rows"),
    pytest.param(lambda: np.asfortranarray(np.arange(3 * 70_000).reshape(70_000, 3)), id="long-fortran-columns"),
    pytest.param(lambda: np.arange(2 * 3 * 70_000, dtype=np.uint32).reshape(2, 3, 70_000), id="3d-long-lanes"),
    pytest.param(lambda: np.arange(1_200_000, dtype=np.int32).reshape(2, 600_000)[:, ::-1], id="reversed-rows"),
    pytest.param(lambda: np.arange(2_500_000, dtype=">i8").reshape(1000, 2500), id="byteswapped-many-rows"),
    pytest.param(lambda: np.arange(1_500_000, dtype=np.int64).reshape(100, 150, 100).transpose(1, 2, 0),
                 id="transposed-3d"),
    pytest.param(lambda: np.arange(1_100_000, dtype=np.uint64).reshape(1, 1_100_000), id="one-row-longer-than-a-block"),
]


@pytest.mark.parametrize("make", LARGE)
def test_count_along_axes_of_large_arrays(make):
    values = make()
    mask = segment_mask(0, int(values.max()) + 1)[values.astype(np.int64)]
    for axis in [*range(values.ndim), -1, tuple(range(values.ndim)), (0, values.ndim - 1)]:
        for keepdims in (False, True):
            wanted = np.count_nonzero(mask, axis=axis, keepdims=keepdims)
            for mode in ("pthreads", "threading", "serial"):
                got = primes.count(values, axis=axis, keepdims=keepdims, mode=mode, threads=2)
                assert type(got) is type(wanted) and np.shape(got) == np.shape(wanted), (axis, keepdims)
                np.testing.assert_array_equal(got, wanted, err_msg=f"{axis} {keepdims} {mode}")


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: np.arange(2 * 10**7, dtype=">i8").reshape(2000, 10**4), id="byteswapped-int64"),
        pytest.param(lambda: np.arange(2 * 10**7, dtype=np.int64).reshape(2000, 10**4)[:, ::-1], id="reversed"),
        pytest.param(lambda: np.tile(np.arange(30_000, dtype=np.int16), (700, 1)), id="int16"),
        pytest.param(lambda: np.arange(2 * 10**7, dtype=np.int64).reshape(2000, 10**4), id="native"),
    ],
)
@pytest.mark.parametrize("axis", [0, 1])
def test_counting_along_an_axis_needs_little_memory(make, axis):
    """A full copy would be 80-160 MiB and a full mask 20 MiB; a block is at most 8 MiB
    converted plus its 1 MiB mask."""
    values = make()
    found = []
    peak = peak_allocated(lambda: found.append(primes.count(values, axis=axis)))
    assert found[0].sum() == primes.count(values)
    assert peak < 16 * 2**20, f"count(axis={axis}) allocated {peak / 2**20:.1f} MiB"


# --- is_prime: the layout of the result -----------------------------------------------------

def layouts():
    base = np.arange(2 * 3 * 4 * 5, dtype=np.int64).reshape(2, 3, 4, 5)
    return {
        "C": base,
        "F": np.asfortranarray(base),
        "transposed": base.transpose(2, 0, 3, 1),
        "sliced": base[:, ::2, 1:, ::3],
        "reversed": base[::-1, :, ::-2],
        "F-sliced": np.asfortranarray(base)[1:, ::2],
        "broadcast-row": np.broadcast_to(np.arange(5), (4, 5)),
        "broadcast-column": np.broadcast_to(np.arange(4)[:, None], (4, 5)),
        "length-one-axes": base.reshape(2, 1, 60, 1)[:, :, ::2],
        "column-vector": np.arange(6)[:, None],
        "byteswapped-F": np.asfortranarray(base.astype(">u4")),
        "object-F": np.asfortranarray(base.astype(object)),
    }


@pytest.mark.parametrize("name", list(layouts()))
def test_result_is_laid_out_as_a_ufunc_result(name):
    values = layouts()[name]
    result = primes.is_prime(values)
    ufunc = np.not_equal(values, 0)
    assert result.shape == ufunc.shape
    assert result.strides == ufunc.strides, (result.strides, ufunc.strides)
    assert (result.flags.c_contiguous, result.flags.f_contiguous) == (ufunc.flags.c_contiguous,
                                                                      ufunc.flags.f_contiguous)
    np.testing.assert_array_equal(result, reference_mask(values))


# --- is_prime(out=...) against a ufunc's out= ----------------------------------------------

GOOD_OUTS = ("C", "F", "strided", "reversed", "tuple-of-one", "matrix")


def good_outs(shape):
    big = np.zeros((*shape[:-1], 3 * shape[-1]), dtype=bool)
    return {
        "C": np.zeros(shape, dtype=bool),
        "F": np.zeros(shape, dtype=bool, order="F"),
        "strided": big[..., ::3],
        "reversed": np.zeros(shape, dtype=bool)[::-1, ::-1],
        "tuple-of-one": (np.zeros(shape, dtype=bool),),
        "matrix": np.asmatrix(np.zeros(shape, dtype=bool)),
    }


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
@pytest.mark.parametrize("layout", ["C", "F", "transposed", "reversed"])
@pytest.mark.parametrize("kind", GOOD_OUTS)
def test_out_takes_what_a_ufunc_takes(kind, layout):
    base = np.arange(24, dtype=np.int64).reshape(4, 6)
    values = {"C": base, "F": np.asfortranarray(base), "transposed": base.T.copy().T,
              "reversed": base[::-1]}[layout]
    out = good_outs(values.shape)[kind]
    returned = primes.is_prime(values, out=out)
    ufunc_out = good_outs(values.shape)[kind]
    ufunc_returned = np.logical_not(np.equal(values, 0), out=ufunc_out)  # accepted by a ufunc too
    target = out[0] if isinstance(out, tuple) else out
    assert returned is target
    assert type(ufunc_returned) is type(returned)
    np.testing.assert_array_equal(np.asarray(target), reference_mask(values))
    # positionally, as a ufunc's out may be given
    again = good_outs(values.shape)[kind]
    assert primes.is_prime(values, again) is (again[0] if isinstance(again, tuple) else again)


def read_only_bool(shape):
    out = np.zeros(shape, dtype=bool)
    out.flags.writeable = False
    return out


# Each: (id, factory of out for a (4, 6) int64 input, what NumPy's ufunc does,
# the exception is_prime raises).  "refuses" means a ufunc raises too: the types
# must then agree; "accepts" marks where is_prime is stricter than a ufunc.
BAD_OUTS = [
    ("wrong-shape", lambda: np.zeros((6, 4), dtype=bool), "refuses", ValueError),
    ("smaller-broadcastable", lambda: np.zeros((6,), dtype=bool), "refuses", ValueError),
    ("0d", lambda: np.zeros((), dtype=bool), "refuses", ValueError),
    ("read-only", lambda: read_only_bool((4, 6)), "refuses", ValueError),
    ("read-only-broadcast-view", lambda: np.broadcast_to(np.zeros(6, dtype=bool), (4, 6)), "refuses", ValueError),
    ("list", lambda: [[False] * 6] * 4, "refuses", TypeError),
    ("numpy-bool-scalar", lambda: np.False_, "refuses", TypeError),
    ("tuple-of-two", lambda: (np.zeros((4, 6), bool), np.zeros((4, 6), bool)), "refuses", ValueError),
    ("datetime-dtype", lambda: np.zeros((4, 6), dtype="M8[s]"), "refuses", TypeError),
    # Stricter than a ufunc: no casting of the result, no broadcasting, no mask.
    ("int64-dtype", lambda: np.zeros((4, 6), dtype=np.int64), "accepts", TypeError),
    ("uint8-dtype", lambda: np.zeros((4, 6), dtype=np.uint8), "accepts", TypeError),
    ("object-dtype", lambda: np.zeros((4, 6), dtype=object), "accepts", TypeError),
    ("larger-broadcast", lambda: np.zeros((2, 4, 6), dtype=bool), "accepts", ValueError),
    ("masked", lambda: np.ma.zeros((4, 6), dtype=bool), "accepts", TypeError),
]


@pytest.mark.parametrize("make, numpy_does, expected", [pytest.param(*c[1:], id=c[0]) for c in BAD_OUTS])
def test_out_refuses_what_a_ufunc_refuses(make, numpy_does, expected):
    values = np.arange(24, dtype=np.int64).reshape(4, 6)
    before = values.copy()
    numpy_error = outcome(np.logical_not, np.equal(values, 0), out=make())
    if numpy_does == "refuses":
        assert numpy_error[0] == "error"
        assert issubclass(numpy_error[1], expected), numpy_error
    else:
        assert numpy_error[0] == "ok", numpy_error
    with pytest.raises(expected, match="out"):
        primes.is_prime(values, out=make())
    np.testing.assert_array_equal(values, before)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: (lambda a: (a, a.view(bool)[::8]))(np.arange(24, dtype=np.int64)), id="bool-view-of-input"),
        pytest.param(lambda: (lambda a: (a[:, 0:2], a[:, 2:4].copy().view(bool)))(np.zeros((3, 4), np.int8)),
                     id="separate-copy-is-fine"),
        pytest.param(lambda: (lambda s: (s["n"], s["flag"]))(np.zeros(5, dtype=[("n", "<i8"), ("flag", "?")])),
                     id="interleaved-fields"),
    ],
)
def test_out_sharing_memory_with_the_input(make):
    """A ufunc copies an input that overlaps its output; is_prime refuses instead."""
    values, out = make()
    shares = np.shares_memory(values, out)
    if shares:
        with pytest.raises(ValueError, match="shares memory"):
            primes.is_prime(values, out=out)
    else:
        assert primes.is_prime(values, out=out) is out
        np.testing.assert_array_equal(out, reference_mask(values))


def test_out_with_scalar_input_returns_the_0d_array():
    out = np.zeros((), dtype=bool)
    returned = primes.is_prime(97, out=out)
    ufunc_returned = np.logical_not(0, out=np.zeros((), dtype=bool))
    assert returned is out and type(returned) is type(ufunc_returned) is np.ndarray
    assert bool(out)


# --- Dask: the same conventions, lazily -----------------------------------------------------

da = pytest.importorskip("dask.array", reason="Dask is optional: pip install 'primes[dask]'")


@pytest.mark.parametrize("shape", [(), (7,), (6, 5), (0, 4), (4, 3, 5)], ids=lambda s: "x".join(map(str, s)) or "0d")
def test_dask_count_axis_as_numpy(shape):
    values = small_array(shape)
    x = da.from_array(values, chunks=2 if shape else ())
    for axis in [*range(-len(shape), len(shape)), tuple(range(len(shape))), (), (0, -1) if len(shape) > 1 else None]:
        for keepdims in (False, True):
            numpy_result = primes.count(values, axis=axis, keepdims=keepdims)
            lazy = primes.count(x, axis=axis, keepdims=keepdims)
            assert isinstance(lazy, da.Array)
            computed = lazy.compute(scheduler="sync")
            assert np.shape(computed) == np.shape(numpy_result), (axis, keepdims)
            assert np.asarray(computed).dtype == np.asarray(numpy_result).dtype
            np.testing.assert_array_equal(computed, numpy_result)


@pytest.mark.parametrize("axis", [3, -4, (0, 0), 1.0, [0], True])
def test_dask_bad_axis_raises_at_once_as_numpy(axis):
    values = small_array((2, 3, 4))
    numpy_error = outcome(primes.count, values, axis=axis)
    dask_error = outcome(primes.count, da.from_array(values, chunks=2), axis=axis)
    assert numpy_error[0] == dask_error[0] == "error"
    assert numpy_error[1:] == dask_error[1:]


def test_dask_count_along_an_axis_is_one_task_per_block_and_handles_unknown_chunks():
    x = da.arange(10**5, chunks=10**4).reshape(10, 10**4)  # 10 blocks of one row
    lazy = primes.count(x, axis=1)
    graph = lazy.__dask_graph__()
    assert len([k for k in graph if isinstance(k, tuple) and k[0].startswith("primes-count-block")]) == 10
    expected = np.count_nonzero(segment_mask(0, 10**5).reshape(10, 10**4), axis=1)
    np.testing.assert_array_equal(lazy.compute(scheduler="sync"), expected)
    odd = x[x[:, 0] % 20_000 == 0]  # every other row, in blocks of unknown size
    assert any(np.isnan(c) for c in odd.chunks[0])
    np.testing.assert_array_equal(primes.count(odd, axis=1).compute(scheduler="sync"), expected[::2])


def test_dask_out_is_rebound_as_dask_ufuncs_do():
    values = np.arange(40).reshape(5, 8)
    x = da.from_array(values, chunks=(2, 3))
    out = da.zeros((5, 8), dtype=bool, chunks=4)
    returned = primes.is_prime(x, out=out)
    ufunc_out = da.zeros((5, 8), dtype=bool, chunks=4)
    assert da.isnan(x.astype(float), out=ufunc_out) is ufunc_out  # the Dask convention
    assert returned is out and out.chunks == x.chunks
    np.testing.assert_array_equal(out.compute(scheduler="sync"), reference_mask(values))


@pytest.mark.parametrize(
    "make, dask_ufunc_raises, expected",
    [
        pytest.param(lambda: np.zeros((5, 8), dtype=bool), NotImplementedError, TypeError, id="numpy-out"),
        pytest.param(lambda: da.zeros((8, 5), dtype=bool, chunks=4), ValueError, ValueError, id="wrong-shape"),
        pytest.param(lambda: da.zeros((5, 8), dtype=np.int64, chunks=4), None, TypeError, id="int-dtype"),
    ],
)
def test_dask_bad_out(make, dask_ufunc_raises, expected):
    """Where dask.array's own ufuncs raise, is_prime raises too (a TypeError, not Dask's
    NotImplementedError, for a NumPy out: a lazy result has nothing to write into it);
    an int out, which they rebind silently, is refused as for NumPy input."""
    x = da.from_array(np.arange(40).reshape(5, 8), chunks=(2, 3))
    theirs = outcome(da.isnan, x.astype(float), out=make())
    if dask_ufunc_raises is None:
        assert theirs[0] == "ok"
    else:
        assert theirs[0] == "error" and theirs[1] is dask_ufunc_raises, theirs
    with pytest.raises(expected, match="out"):
        primes.is_prime(x, out=make())


def test_dask_object_arrays_are_counted_and_checked_when_computed():
    objects = np.empty(6, dtype=object)
    objects[:] = [2, 3, 4, 2**64 - 59, -7, 97]
    x = da.from_array(objects, chunks=2)
    assert int(primes.count(x).compute(scheduler="sync")) == 4
    np.testing.assert_array_equal(primes.is_prime(x).compute(scheduler="sync"), reference_mask(objects))
    objects[1] = 2.5
    lazy = primes.count(da.from_array(objects, chunks=2))  # the dtype is object: nothing to refuse yet
    with pytest.raises(TypeError, match="float"):
        lazy.compute(scheduler="sync")
