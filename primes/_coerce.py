# SPDX-License-Identifier: MIT
"""Input coercion and validation, shared by the NumPy functions and the Dask adapter.

Everything here runs before any C call: the keywords (``mode``, ``method``,
``axis``, ``keepdims``, ``out``), the conversion of an input to an integer
ndarray, and the cutting of an array into 1-D blocks of the C kernels'
element types.  :mod:`primes._arrays` (NumPy input) and :mod:`primes._dask`
(Dask input) both use it, so their checks and messages are the same and
neither imports the other.
"""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from . import _lib

if TYPE_CHECKING:  # for annotations only: Dask stays optional, typing_extensions is not needed at run time
    import dask.array
    from typing_extensions import TypeGuard

__all__ = [
    "BLOCK_ELEMENTS",
    "BOOL_MESSAGE",
    "METHODS",
    "MODES",
    "arrange",
    "as_integer_array",
    "check_method",
    "check_mode",
    "check_out",
    "is_dask_array",
    "is_kernel_ready",
    "kernel_dtype",
    "kernel_values",
    "memory_order",
    "normalize_axis",
    "slabs",
]

METHODS = ("auto", "sieve", "test")
"""The engines, for the ``method`` keyword of :func:`count` and :func:`is_prime`.

``"auto"`` (the default) lets a cost model choose per call and per chunk;
``"sieve"`` forces a segmented sieve of Eratosthenes for values below 2**32;
``"test"`` forces the deterministic per-element test.  All give identical
results.

Examples
--------
>>> import numpy as np
>>> import primes
>>> primes.METHODS
('auto', 'sieve', 'test')
>>> {method: primes.count(np.arange(10**4), method=method) for method in primes.METHODS}
{'auto': 1229, 'sieve': 1229, 'test': 1229}
"""

MODES = ("pthreads", "threading", "serial")
"""The execution modes, for the ``mode`` keyword of :func:`count` and :func:`is_prime`.

``"pthreads"`` (the default): one C call that splits the work among POSIX
threads; ``"threading"``: Python threads, one C call per chunk of the array;
``"serial"``: one C call on a single thread.  All give identical results.

Examples
--------
>>> import numpy as np
>>> import primes
>>> primes.MODES
('pthreads', 'threading', 'serial')
>>> [primes.count(np.arange(10**4), mode=mode, threads=2) for mode in primes.MODES]
[1229, 1229, 1229]
"""

#: The one message for a bool wherever it is found: a bool dtype, a bool
#: scalar, or a bool array or scalar inside a list (NumPy would silently make
#: True and False the integers 1 and 0).
BOOL_MESSAGE = (
    "expected integers, got bool: True and False are not taken as 1 and 0 "
    "(convert with .astype(int) if that is meant)"
)

#: Inputs that need converting are converted this many elements at a time,
#: so that counting a huge strided or byte-swapped array needs little extra
#: memory (at most 8 MiB for the converted block).
BLOCK_ELEMENTS = 1 << 20

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_UINT64_MAX = 2**64 - 1


def is_dask_array(a: object) -> TypeGuard[dask.array.Array]:
    """True for a dask.array.Array, without importing Dask (if Dask's array
    module was never imported, ``a`` cannot be one of its arrays)."""
    dask_array = sys.modules.get("dask.array")
    return dask_array is not None and isinstance(a, dask_array.Array)


_AUTO = _lib.METHODS["auto"]


def check_method(method: object) -> int:
    """The C value of the ``method`` keyword (ValueError naming the engines)."""
    if method == "auto":
        return _AUTO
    if not isinstance(method, str) or method not in _lib.METHODS:
        allowed = ", ".join(repr(m) for m in _lib.METHODS)
        raise ValueError(f"method must be one of {allowed}; got {method!r}")
    return _lib.METHODS[method]


def check_mode(mode: object) -> str:
    """The ``mode`` keyword, checked (ValueError naming the modes)."""
    if mode == "pthreads":
        return mode
    if not isinstance(mode, str) or mode not in MODES:
        allowed = ", ".join(repr(m) for m in MODES)
        raise ValueError(f"mode must be one of {allowed}; got {mode!r}")
    return mode


# --- the input ------------------------------------------------------------------------------


def _is_bool(item: Any) -> bool:
    """True for a bool scalar, or an array (or array-like such as a pandas Series) of dtype bool."""
    if isinstance(item, (bool, np.bool_)):
        return True
    dtype = getattr(item, "dtype", None)
    return isinstance(dtype, np.dtype) and dtype.kind == "b"


def contains_bool(items: Any) -> bool:
    """True if nested lists/tuples hold a bool, a bool array or a bool NumPy scalar.

    NumPy would silently make such a bool the integer 1 or 0 when it makes one
    integer array of the whole (``np.asarray([np.array(True), 5])`` is
    ``array([1, 5])``).  Only the nesting is walked, never the elements of an
    array: an array is judged by its dtype.
    """
    for item in items:
        if type(item) is int:  # the common case, first
            continue
        if isinstance(item, (list, tuple)):
            if contains_bool(item):
                return True
        elif _is_bool(item):
            return True
    return False


def from_python_objects(a: Any) -> np.ndarray:
    """Convert a sequence or object array that NumPy could not make an integer array of.

    NumPy turns ``[-1, 2**64 - 1]`` into float64 (losing precision) and
    ``[2**64]`` into object; here every element must be an integer in
    [-2**63, 2**64).  The result is C-ordered, of ``a``'s shape.
    """
    try:
        objects = np.asarray(a, dtype=object)
    except ValueError as exc:
        raise ValueError(f"cannot make an integer array of the input: {exc}") from exc
    if objects.size == 0:
        return np.zeros(objects.shape, dtype=np.int64)
    flat = objects.reshape(-1)
    for item in flat:
        if isinstance(item, (bool, np.bool_)):
            raise TypeError(BOOL_MESSAGE)
        if not isinstance(item, (int, np.integer)):
            raise TypeError(
                "expected integers, got an element of type "
                f"{type(item).__name__} ({item!r:.40})"
            )
    values: list[int] = [int(item) for item in flat]
    low, high = min(values), max(values)
    if low < _INT64_MIN or high > _UINT64_MAX:
        bad = low if low < _INT64_MIN else high
        raise OverflowError(f"Python int {bad} is outside the range of int64 and uint64")
    if high <= _INT64_MAX:
        return np.array(values, dtype=np.int64).reshape(objects.shape)
    # Values on both sides of int64: negatives are never prime, and neither is 0,
    # so mapping negatives to 0 keeps every answer while fitting uint64.
    return np.array([max(v, 0) for v in values], dtype=np.uint64).reshape(objects.shape)


def as_integer_array(a: Any) -> np.ndarray:
    """Return ``a`` as an integer ndarray (without copying an integer ndarray).

    An object array is converted as a list of its elements would be.  Raises
    TypeError for anything else that does not hold integers (bools
    included), OverflowError for Python ints outside int64 and uint64.
    """
    if type(a) is np.ndarray:
        array = a
    elif isinstance(a, np.ma.MaskedArray):
        # Counting would silently ignore the mask; make the user choose.
        raise TypeError(
            "masked arrays are not supported: pass a.compressed() to skip the masked "
            "elements, or a.filled(0) to count them as not prime"
        )
    elif isinstance(a, np.ndarray):
        array = np.asarray(a)  # a subclass such as np.matrix: plain ndarray view
    else:
        if isinstance(a, (list, tuple)) and contains_bool(a):
            raise TypeError(BOOL_MESSAGE)
        try:
            array = np.asarray(a)
        except OverflowError as exc:
            raise OverflowError(f"input is outside the range of int64 and uint64: {exc}") from exc
        if array.dtype.kind in "fO" and not isinstance(a, np.generic):
            return from_python_objects(a)
    kind = array.dtype.kind
    if kind in "iu":
        return array
    if kind == "b":
        raise TypeError(BOOL_MESSAGE)
    if kind == "O":
        return from_python_objects(array)
    raise TypeError(f"expected an array of integers, got dtype {array.dtype}")


# --- the keywords of the NumPy conventions --------------------------------------------------


def normalize_axis(axis: Any, ndim: int, keepdims: Any) -> tuple[int, ...]:
    """The axes that ``count(a, axis, keepdims=keepdims)`` reduces: sorted, non-negative.

    NumPy checks them first, with :func:`numpy.count_nonzero` on a zero-size
    array of ``ndim`` dimensions, so a bad ``axis`` or ``keepdims`` raises
    exactly what NumPy raises (``numpy.exceptions.AxisError`` out of range,
    ValueError for a repeated axis, TypeError for a non-integer), including
    NumPy's leniency for ``axis=0`` or ``-1`` on a 0-d array.
    """
    np.count_nonzero(np.empty((0,) * ndim, dtype=np.bool_), axis=axis, keepdims=keepdims)
    if axis is None:
        return tuple(range(ndim))
    if ndim == 0:
        return ()
    items = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted({operator.index(item) % ndim for item in items}))


def _overlaps(a: np.ndarray, b: np.ndarray) -> bool:
    if not np.may_share_memory(a, b):
        return False
    return bool(np.shares_memory(a, b))  # exact, and cheap for the strides NumPy makes


def check_out(
    out: Any, shape: tuple[int, ...], inputs: tuple[Any, ...], array_type: type = np.ndarray
) -> Any:
    """The array ``is_prime(a, out=out)`` writes into and returns.

    As for a ufunc, ``out`` may be an array or a tuple of one; a read-only
    array is a ValueError and anything but an array a TypeError.  Stricter than
    a ufunc: the dtype must be bool (not any dtype bool casts to), the shape
    exactly ``a``'s (no broadcasting), not a masked array, and it must not
    share memory with the input (``inputs``: the ndarrays ``a`` stands for).
    ``array_type``: what ``out`` must be (``dask.array.Array`` for Dask input).
    """
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError(f"out must be an array or a tuple of one array, got a tuple of {len(out)}")
        out = out[0]
    if isinstance(out, np.ma.MaskedArray):
        raise TypeError("out cannot be a masked array: the mask would be ignored")
    if not isinstance(out, array_type):
        kind = f"{array_type.__module__}.{array_type.__qualname__}"
        raise TypeError(f"out must be a {kind} of dtype bool, got {type(out).__name__}")
    given: Any = out  # an ndarray or a Dask array: both have dtype and shape
    if given.dtype != np.bool_:
        raise TypeError(f"out must have dtype bool, got dtype {given.dtype}")
    if given.shape != shape:
        raise ValueError(f"out has shape {given.shape}, but the input has shape {shape}")
    if isinstance(given, np.ndarray):
        if not given.flags.writeable:
            raise ValueError("out is read-only")
        for source in inputs:
            if isinstance(source, np.ndarray) and _overlaps(given, source):
                raise ValueError("out shares memory with the input; pass a separate array")
    return given


# --- cutting an array into kernel blocks ----------------------------------------------------


def kernel_dtype(dtype: np.dtype[Any]) -> np.dtype[Any]:
    """The C kernel element type that holds every value of ``dtype``."""
    if dtype.itemsize <= 4:
        return _lib.KERNEL_DTYPES["int32" if dtype.kind == "i" else "uint32"]
    return _lib.KERNEL_DTYPES["int64" if dtype.kind == "i" else "uint64"]


def is_kernel_ready(array: np.ndarray) -> bool:
    """True if ``array`` reaches the count and is_prime kernels as it is: a kernel dtype in
    either byte order (C swaps a non-native one as it reads it), C-contiguous, aligned."""
    return array.dtype in _lib.COUNT_KERNELS and array.flags.c_contiguous and array.flags.aligned


def kernel_values(block: np.ndarray) -> np.ndarray:
    """``block`` as a 1-D, C-contiguous, aligned kernel-dtype array (a copy only if needed).

    A kernel dtype in the other byte order is kept: the count and is_prime
    kernels read it in place (next/prev primes and the per-row count convert
    to this machine's order themselves).
    """
    if block.dtype in _lib.COUNT_KERNELS:
        return np.require(block, requirements=("C", "A")).reshape(-1)
    target = kernel_dtype(block.dtype)
    return np.require(block, dtype=target, requirements=("C", "A")).reshape(-1)


_Order = tuple[tuple[int, ...], tuple[slice, ...]]


def memory_order(array: np.ndarray, flip: bool) -> _Order:
    """The axes of ``array`` from the largest stride to the smallest, and, with
    ``flip``, a flip of each axis with a negative stride (see :func:`arrange`).

    For an array laid out in memory in some order of its axes (C, Fortran, a
    transpose), the arranged view is C-contiguous, so traversing it in C order
    reads memory forwards.
    """
    strides = array.strides
    axes = tuple(sorted(range(array.ndim), key=lambda axis: -abs(strides[axis])))
    flips = tuple(slice(None, None, -1) if flip and strides[axis] < 0 else slice(None) for axis in axes)
    return axes, flips


def arrange(array: np.ndarray, order: _Order) -> np.ndarray:
    """The view of ``array`` with the axes and flips of :func:`memory_order` (of any array
    of the same number of dimensions: arranging two arrays alike keeps their elements paired)."""
    axes, flips = order
    index: tuple[Any, ...] = (*flips, Ellipsis)
    view: np.ndarray = array.transpose(axes)[index]
    return view


_Index = tuple[Union[int, slice], ...]


def slabs(shape: tuple[int, ...], limit: int, fixed: int = 0) -> Iterator[_Index]:
    """Index tuples that cut an array of ``shape`` into blocks, in C order.

    Each tuple holds an int for each of the first ``fixed`` axes, then ints for
    further outer axes and a slice of the next one, as needed for the block to
    hold at most ``limit`` elements (the slices cut an axis into equal parts).
    ``array[index + (...,)]`` is the block, a view.
    """
    if fixed:
        for head in np.ndindex(*shape[:fixed]):
            for tail in slabs(shape[fixed:], limit):
                yield head + tail
        return
    if not shape:
        yield ()
        return
    inner = math.prod(shape[1:])
    if inner > limit:
        for i in range(shape[0]):
            for tail in slabs(shape[1:], limit):
                yield (i, *tail)
        return
    per_block = max(1, limit // max(inner, 1))
    pieces = max(1, -(-shape[0] // per_block))
    step = max(1, -(-shape[0] // pieces))
    for start in range(0, shape[0], step):
        yield (slice(start, min(start + step, shape[0])),)

