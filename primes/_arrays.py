# SPDX-License-Identifier: MIT
"""The NumPy implementation of :func:`primes.count` and :func:`primes.is_prime`.

The public functions (:mod:`primes._api`) hand NumPy input and Python
sequences here; the Dask adapter (:mod:`primes._dask`) calls the same two
functions on each block.  An input is checked and converted by
:mod:`primes._coerce`, cut into kernel blocks, and each block is run in the
chosen mode by :func:`primes._modes.run`.

Memory: an input that reaches the C library as it is (native int32, uint32,
int64 or uint64, contiguous in some order of its axes) is never copied; any
other is converted :data:`~primes._coerce.BLOCK_ELEMENTS` at a time.  Counts
along axes never build the whole mask either: one block's mask at a time.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Union

import numpy as np

from . import _constants, _lib
from ._coerce import (
    BLOCK_ELEMENTS,
    arrange,
    as_integer_array,
    check_method,
    check_mode,
    check_out,
    is_kernel_ready,
    kernel_values,
    memory_order,
    normalize_axis,
    slabs,
)
from ._modes import run
from ._next import count_rows
from ._threads import resolve_threads

__all__ = ["count", "is_prime"]

# A count along axes where each output element counts this many consecutive
# elements (or more) makes one count call per output element, which the C
# library can split between two threads, instead of building the block's mask
# and summing it.
_LANE_ELEMENTS = 2 * _constants.MIN_ELEMENTS_PER_THREAD
# np.bitwise_count (NumPy >= 2.0) counts the one-bytes of a bool mask eight at
# a time, several times faster than summing the bools.
_HAS_BITWISE_COUNT = hasattr(np, "bitwise_count")


def count(
    a: Any, axis: Any = None, keepdims: Any = False, mode: str = "pthreads", threads: Optional[int] = None,
    method: str = "auto",
) -> Any:
    """:func:`primes.count` for anything but a Dask array (the documentation is there).

    The arguments may be positional: the public function passes them so, which
    is cheaper than by keyword.
    """
    mode = check_mode(mode)
    engine = check_method(method)
    nthreads = resolve_threads(threads)
    array = as_integer_array(a)
    if axis is None and not keepdims:
        # The common case first, inline: a small call costs a few microseconds.
        if array.dtype in _lib.COUNT_KERNELS and array.flags.c_contiguous and array.flags.aligned:
            return run(array.ravel(), None, mode, nthreads, engine)  # no copy, no generator
        return _count_all(array, mode, nthreads, engine)
    axes = normalize_axis(axis, array.ndim, keepdims)
    counts = _count_along(array, axes, mode, nthreads, engine)
    if not keepdims:
        counts = counts.reshape([n for d, n in enumerate(array.shape) if d not in axes])
    return counts[()] if counts.ndim == 0 else counts


def _count_all(array: np.ndarray, mode: str, threads: int, method: int) -> int:
    """The number of primes in ``array``, traversed in memory order (the order does not matter)."""
    view = arrange(array, memory_order(array, flip=True))
    if is_kernel_ready(view):  # e.g. Fortran order or reversed: still no copy
        return run(view.reshape(-1), None, mode, threads, method)
    return sum(
        run(kernel_values(view[(*index, ...)]), None, mode, threads, method)
        for index in slabs(view.shape, BLOCK_ELEMENTS)
    )


def _count_along(
    array: np.ndarray, axes: tuple[int, ...], mode: str, threads: int, method: int
) -> np.ndarray:
    """The counts along ``axes``, as an intp array with those axes kept (of length 1).

    The input is traversed in memory order in blocks; a block's mask is summed
    along its reduced axes and added to the counts of its kept positions.  A
    block lying within one output element (a long lane) is counted directly.
    """
    counts = np.zeros([1 if d in axes else n for d, n in enumerate(array.shape)], dtype=np.intp)
    if array.size == 0:
        return counts
    order = memory_order(array, flip=True)
    values, totals = arrange(array, order), arrange(counts, order)  # arranged alike: paired
    reduced = [axis in axes for axis in order[0]]
    # The trailing run of reduced axes (in memory order): each output element's lane.
    lane_start = len(reduced)
    while lane_start and reduced[lane_start - 1]:
        lane_start -= 1
    if is_kernel_ready(values) and not any(reduced[:lane_start]):
        # Exactly the trailing axes (in memory order) are reduced: one C call
        # counts every row, sharing each window sieve across rows.
        rows = math.prod(values.shape[:lane_start])
        per_row = count_rows(values.reshape(-1), rows, mode, threads, method)
        if per_row is not None:
            totals[...] = per_row.reshape(totals.shape)
            return counts
    lanes_apart = math.prod(values.shape[lane_start:]) >= _LANE_ELEMENTS
    for index in slabs(values.shape, BLOCK_ELEMENTS, fixed=lane_start if lanes_apart else 0):
        block = values[(*index, ...)]
        # The block's counts go to the same positions of the kept axes, and to
        # the one position there is on a reduced axis.
        target = totals[(*(_on_reduced(i) if reduced[j] else i for j, i in enumerate(index)), ...)]
        # The axes of the block (those the index leaves open), and which of them are reduced.
        open_axes = [j for j, i in enumerate(index) if isinstance(i, slice)]
        open_axes += range(len(index), len(reduced))
        summed = tuple(k for k, j in enumerate(open_axes) if reduced[j])
        target += _count_block(block, summed, mode, threads, method)
    return counts


def _count_block(block: np.ndarray, axes: tuple[int, ...], mode: str, threads: int, method: int) -> Any:
    """The counts of ``block`` along its ``axes``, kept; an int if they are all its axes.

    A function of its own so that the block's converted copy and mask are
    freed before the next block's are made.
    """
    if len(axes) == block.ndim:  # within one output element: count, no mask
        return run(kernel_values(block), None, mode, threads, method)
    return _sum_mask(_mask_of(block, mode, threads, method), axes)


def _on_reduced(index: Union[int, slice]) -> Union[int, slice]:
    """The index, on a reduced axis of the counts (of length one), for ``index`` on the input's."""
    return slice(None) if isinstance(index, slice) else 0


def _sum_mask(mask: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """``mask.sum(axis=axes, dtype=np.intp, keepdims=True)`` for a C-contiguous bool ``mask``,
    faster when ``axes`` are the last ones (rows of bytes counted eight at a time)."""
    lead = mask.ndim - len(axes)
    if not axes or axes != tuple(range(lead, mask.ndim)):
        summed: np.ndarray = mask.sum(axis=axes, dtype=np.intp, keepdims=True)
        return summed
    rows = mask.reshape(-1, math.prod(mask.shape[lead:]))
    if _HAS_BITWISE_COUNT and rows.shape[1] % 8 == 0:
        # Each byte is 0 or 1, so a word's set bits are its one-bytes.
        sums: np.ndarray = np.bitwise_count(rows.view(np.uint64)).sum(axis=1, dtype=np.intp)
    else:
        sums = rows.sum(axis=1, dtype=np.intp)
    return sums.reshape(mask.shape[:lead] + (1,) * len(axes))


def _new_mask(layout: np.ndarray) -> np.ndarray:
    """An empty bool array laid out as a ufunc's result for the input ``layout`` would be.

    That is NumPy's iterator allocating an output in order "K" (the input's
    axis order by stride, positive strides, contiguous), which is what
    ufuncs do and what ``np.empty_like`` does except for zero strides and ties.
    """
    if layout.ndim <= 1 or layout.flags.c_contiguous:
        return np.empty(layout.shape, dtype=np.bool_)
    iterator = np.nditer(
        [layout, None],
        flags=["zerosize_ok", "refs_ok"],
        op_flags=[["readonly"], ["writeonly", "allocate", "no_subtype"]],
        op_dtypes=[None, np.bool_],
        order="K",
    )
    result: np.ndarray = iterator.operands[1]
    return result


def _fill(array: np.ndarray, out: np.ndarray, mode: str, threads: int, method: int) -> None:
    """Write the primality of each element of ``array`` into ``out`` (bool, same shape, any layout)."""
    if array.size == 0:
        return
    if out.flags.c_contiguous and is_kernel_ready(array):
        run(array.reshape(-1), out.reshape(-1), mode, threads, method)
        return
    # Traverse both in the memory order of the output, so that it is written
    # forwards and, when it is contiguous in that order, as one flat array.
    order = memory_order(out, flip=True)
    values, target = arrange(array, order), arrange(out, order)
    if target.flags.c_contiguous:
        flat = target.reshape(-1)
        if is_kernel_ready(values):
            run(values.reshape(-1), flat, mode, threads, method)
            return
        start = 0
        for index in slabs(values.shape, BLOCK_ELEMENTS):
            block = values[(*index, ...)]
            # (the converted copy is a temporary: freed before the next block's is made)
            run(kernel_values(block), flat[start : start + block.size], mode, threads, method)
            start += block.size
        return
    for index in slabs(values.shape, BLOCK_ELEMENTS):  # an out= that is not contiguous
        part = target[(*index, ...)]
        part[...] = _mask_of(values[(*index, ...)], mode, threads, method)


def _mask_of(block: np.ndarray, mode: str, threads: int, method: int) -> np.ndarray:
    """A new C-ordered mask of ``block``."""
    mask = np.empty(block.shape, dtype=np.bool_)
    run(kernel_values(block), mask.reshape(-1), mode, threads, method)
    return mask


def is_prime(
    a: Any, out: Optional[Any] = None, mode: str = "pthreads", threads: Optional[int] = None,
    method: str = "auto",
) -> Union[np.ndarray, np.bool_]:
    """:func:`primes.is_prime` for anything but a Dask array (the documentation is there)."""
    mode = check_mode(mode)
    engine = check_method(method)
    nthreads = resolve_threads(threads)
    array = as_integer_array(a)
    if out is not None:
        given: np.ndarray = check_out(out, array.shape, (a, array))
        _fill(array, given.view(np.ndarray), mode, nthreads, engine)
        return given
    # The layout of the input itself: an object array converts to C order.
    mask = _new_mask(a if isinstance(a, np.ndarray) else array)
    _fill(array, mask, mode, nthreads, engine)
    if mask.ndim == 0:
        scalar: np.bool_ = mask.reshape(1)[0]
        return scalar
    return mask
