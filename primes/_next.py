# SPDX-License-Identifier: MIT
"""The public functions :func:`next_prime` and :func:`prev_prime`, and the per-row count that
:func:`primes.count` uses along trailing axes.

An input is checked and converted by :mod:`primes._coerce` (as for
:func:`primes.count`), its limits are checked here, before any C call (the
largest prime of each dtype is known), and one C call per block finds the
answers (``primes_next_prime_<type>`` / ``primes_prev_prime_<type>``).  A
Dask array goes to :mod:`primes._dask`, block by block.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Optional, TypeVar, Union, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _constants, _lib
from ._coerce import as_integer_array, check_method, check_mode, is_dask_array, kernel_dtype
from ._modes import helpers, run_interruptible, wait_for
from ._threads import resolve_threads

__all__ = ["LARGEST_PRIMES", "count_rows", "next_prime", "prev_prime"]

#: The largest prime each integer dtype holds: next_prime of it (or of any
#: larger value) does not fit the dtype.
LARGEST_PRIMES: dict[np.dtype[Any], int] = {
    np.dtype(np.int8): 127,
    np.dtype(np.uint8): 251,
    np.dtype(np.int16): 32749,
    np.dtype(np.uint16): 65521,
    np.dtype(np.int32): 2**31 - 1,
    np.dtype(np.uint32): 2**32 - 5,
    np.dtype(np.int64): 2**63 - 25,
    np.dtype(np.uint64): 2**64 - 59,
}

# A call on more elements than this runs on a helper thread while the calling
# thread waits for Ctrl-C (primes._modes.interruptible explains why): a search
# costs up to a few microseconds per element.
_DIRECT_CALL_ELEMENTS = 1 << 13
# Elements per ctypes call in "threading" mode.
_THREADING_CHUNK = 1 << 13
# A count along trailing axes uses the per-row C call when the rows are at
# least this long (shorter rows: the mask of a block is summed instead).
_ROW_ELEMENTS = 256

_Integer = TypeVar("_Integer", bound=np.integer[Any])


def _largest_prime(dtype: np.dtype[Any]) -> int:
    return LARGEST_PRIMES[np.dtype(dtype.newbyteorder("="))]


def _first(bad: np.ndarray) -> Optional[tuple[int, ...]]:
    """The index (in C order) of the first True element of ``bad``, or None."""
    flat = np.flatnonzero(bad)
    if flat.size == 0:
        return None
    return tuple(int(i) for i in np.unravel_index(int(flat[0]), bad.shape))


def _no_answer(array: np.ndarray, index: tuple[int, ...], up: bool) -> Exception:
    """The error for the element at ``index`` of ``array``, which has no answer in its dtype."""
    from . import reference

    value = int(array[index])
    where = f"element {value} at index {index if len(index) != 1 else index[0]}"
    if up:
        answer = reference.next_prime(value)
        return OverflowError(
            f"next_prime: {where}: the next prime, {answer}, does not fit dtype {array.dtype} "
            f"(its largest prime is {_largest_prime(array.dtype)}); convert to a wider dtype first"
        )
    return ValueError(f"prev_prime: {where}: there is no prime below it (prev_prime needs values >= 3)")


def _check_limits(array: np.ndarray, up: bool) -> None:
    """Raise for the first element without an answer in the dtype (nothing wraps)."""
    if array.size == 0:
        return
    bad = array >= _largest_prime(array.dtype) if up else array < 3
    index = _first(bad)
    if index is not None:
        raise _no_answer(array, index, up)


def _run_neighbours(
    values: np.ndarray, out: np.ndarray, up: bool, mode: str, threads: int, method: int
) -> int:
    """Fill ``out`` for the 1-D kernel block ``values`` in ``mode``; the first index without an answer."""
    threads = min(threads, _constants.MAX_THREADS)
    size = values.size
    if mode == "threading" and threads > 1 and size > _THREADING_CHUNK:
        starts = range(0, size, _THREADING_CHUNK)
        cancel = _lib.CancelFlag()

        def piece(start: int) -> int:
            part = slice(start, start + _THREADING_CHUNK)
            missing = _lib.neighbour_kernel(values[part], out[part], up, 1, method, cancel)
            return start + missing if missing < values[part].size else size

        def queue(first: int) -> int:  # every `threads`-th piece, from `first`
            return min([piece(start) for start in starts[first::threads]], default=size)

        pool = helpers()
        futures = [pool.submit(queue, first) for first in range(threads)]
        done = threading.Event()
        remaining = [len(futures)]
        lock = threading.Lock()

        def finished(_: object) -> None:
            with lock:
                remaining[0] -= 1
                if remaining[0] == 0:
                    done.set()

        for future in futures:
            future.add_done_callback(finished)
        try:
            wait_for(done)
        except BaseException:
            cancel.set()  # the pieces running stop at their next chunk, the others at once
            done.wait()
            raise
        return min(future.result() for future in futures)
    kernel_threads = threads if mode == "pthreads" else 1
    if size <= _DIRECT_CALL_ELEMENTS:
        return _lib.neighbour_kernel(values, out, up, kernel_threads, method)
    result: int = run_interruptible(
        lambda cancel: _lib.neighbour_kernel(values, out, up, kernel_threads, method, cancel))
    return result


def neighbours(a: Any, up: bool, mode: str, threads: Optional[int], method: str) -> Any:
    """:func:`next_prime` (``up``) or :func:`prev_prime` for anything but a Dask array."""
    mode = check_mode(mode)
    engine = check_method(method)
    nthreads = resolve_threads(threads)
    array = as_integer_array(a)
    _check_limits(array, up)
    values = np.ascontiguousarray(array, dtype=kernel_dtype(array.dtype)).reshape(-1)
    answers = np.empty_like(values)
    if values.size:
        missing = _run_neighbours(values, answers, up, mode, nthreads, engine)
        if missing < values.size:  # the limits were checked: not expected, but never wrap
            raise _no_answer(array, tuple(int(i) for i in np.unravel_index(missing, array.shape)), up)
    result = answers.reshape(array.shape).astype(array.dtype, copy=False)
    if result.ndim == 0:
        return result[()]
    return result


@overload
def next_prime(
    a: _Integer, *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> _Integer: ...


@overload
def next_prime(
    a: int, *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> np.integer[Any]: ...


@overload
def next_prime(
    a: Union[NDArray[Any], Sequence[Any], range], *, mode: str = ..., threads: Optional[int] = ...,
    method: str = ...,
) -> NDArray[Any]: ...


@overload
def next_prime(
    a: ArrayLike, *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> Any: ...


def next_prime(
    a: ArrayLike, *, mode: str = "pthreads", threads: Optional[int] = None, method: str = "auto"
) -> Any:
    """The smallest prime greater than each element of an integer array.

    Parameters
    ----------
    a : array_like of integers
        As for :func:`primes.count`: any shape, any integer dtype, scalars,
        lists, object arrays of Python ints, Dask arrays (lazy, block by block).
        Negative values, 0 and 1 give 2.
    mode : {"pthreads", "threading", "serial"}, optional
        As for :func:`primes.count`.
    threads : int, optional
        As for :func:`primes.count`.
    method : {"auto", "sieve", "test"}, optional
        ``"auto"`` (default): sieve one window per chunk where the values lie
        close together below 2**32 (sorted data, ranges), else search each
        element over sieved candidates with the deterministic test.
        ``"sieve"`` forces the window wherever it applies, ``"test"`` the
        search.  All give identical results.

    Returns
    -------
    numpy.ndarray or numpy scalar
        The next primes, with ``a``'s dtype and shape (C order); a NumPy
        scalar of that dtype for a scalar or a 0-d array.  Lists and Python
        ints give int64 (uint64 for values above 2**63 - 1), as
        :func:`numpy.asarray` would.  A Dask array gives a lazy Dask array.

    Raises
    ------
    OverflowError
        If the next prime of an element does not fit the dtype (an element
        at least the dtype's largest prime, e.g. ``np.int8(127)`` or
        ``np.uint64(2**64 - 59)``); the message names the first such element
        and its index.  Nothing is returned and nothing wraps around.
        Also for Python ints outside the int64 and uint64 ranges.
    TypeError
        If ``a`` does not hold integers (floats, bools, strings...).
    ValueError
        If ``mode``, ``threads`` or ``method`` is invalid.

    See Also
    --------
    prev_prime : the largest prime below each element.
    is_prime : the element-wise test.

    Notes
    -----
    Exact for every value of every dtype: the answers come from the same
    deterministic test as :func:`primes.is_prime`.  The cost is about that of
    testing the few candidates after each value that survive a small sieve:
    ``ln(n)`` grows slowly, so about 10 candidates per element near 2**63.

    Examples
    --------
    >>> import numpy as np
    >>> import primes
    >>> primes.next_prime(np.array([0, 1, 2, 3, 13, 24, -5]))
    array([ 2,  2,  3,  5, 17, 29,  2])
    >>> x = primes.next_prime(np.uint64(2**64 - 60))  # a NumPy scalar of the input's dtype
    >>> x.dtype, int(x)
    (dtype('uint64'), 18446744073709551557)
    >>> primes.next_prime([[10, 100], [1000, 10**6]])
    array([[     11,     101],
           [   1009, 1000003]])
    >>> primes.next_prime(np.int8(127))
    Traceback (most recent call last):
    ...
    OverflowError: next_prime: element 127 at index (): the next prime, 131, does not fit dtype int8 ...
    """
    if is_dask_array(a):
        from . import _dask  # Dask is optional: imported only for Dask input

        return _dask.next_prime(a, mode=mode, threads=threads, method=method)
    return neighbours(a, True, mode, threads, method)


@overload
def prev_prime(
    a: _Integer, *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> _Integer: ...


@overload
def prev_prime(
    a: int, *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> np.integer[Any]: ...


@overload
def prev_prime(
    a: Union[NDArray[Any], Sequence[Any], range], *, mode: str = ..., threads: Optional[int] = ...,
    method: str = ...,
) -> NDArray[Any]: ...


@overload
def prev_prime(
    a: ArrayLike, *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> Any: ...


def prev_prime(
    a: ArrayLike, *, mode: str = "pthreads", threads: Optional[int] = None, method: str = "auto"
) -> Any:
    """The largest prime smaller than each element of an integer array.

    Parameters
    ----------
    a : array_like of integers
        As for :func:`next_prime`.  Every element must be at least 3.
    mode : {"pthreads", "threading", "serial"}, optional
        As for :func:`primes.count`.
    threads : int, optional
        As for :func:`primes.count`.
    method : {"auto", "sieve", "test"}, optional
        As for :func:`next_prime`.

    Returns
    -------
    numpy.ndarray or numpy scalar
        The previous primes, with ``a``'s dtype and shape, as for
        :func:`next_prime`.

    Raises
    ------
    ValueError
        If an element is below 3 (there is no prime below 2): the message
        names the first such element and its index.  Also if ``mode``,
        ``threads`` or ``method`` is invalid.
    TypeError
        If ``a`` does not hold integers.
    OverflowError
        For Python ints outside the int64 and uint64 ranges.

    See Also
    --------
    next_prime : the smallest prime above each element.

    Examples
    --------
    >>> import numpy as np
    >>> import primes
    >>> primes.prev_prime(np.array([3, 4, 10, 100, 2**31 - 1], dtype=np.int32))
    array([         2,          3,          7,         97, 2147483629], dtype=int32)
    >>> int(primes.prev_prime(2**64 - 1))
    18446744073709551557
    >>> a = np.arange(90, 100)
    >>> primes.next_prime(a) - primes.prev_prime(a)  # 97 is prime: 101 - 89
    array([ 8,  8,  8,  8,  8,  8,  8, 12,  4,  4])
    >>> primes.prev_prime([5, 2])
    Traceback (most recent call last):
    ...
    ValueError: prev_prime: element 2 at index 1: there is no prime below it (prev_prime needs values >= 3)
    """
    if is_dask_array(a):
        from . import _dask  # Dask is optional: imported only for Dask input

        return _dask.prev_prime(a, mode=mode, threads=threads, method=method)
    return neighbours(a, False, mode, threads, method)


def count_rows(values: np.ndarray, rows: int, mode: str, threads: int, method: int) -> Optional[np.ndarray]:
    """The prime count of each row of a C-contiguous kernel block (1-D, ``rows`` rows), as intp;
    None when the rows are too short for the per-row call to pay (or in ``"threading"`` mode)."""
    if (mode == "threading" or rows == 0 or values.size // rows < _ROW_ELEMENTS
            or values.dtype not in _lib.ROWS_KERNELS):  # (a byte-swapped block: counted by masks)
        return None
    kernel_threads = min(threads, _constants.MAX_THREADS) if mode == "pthreads" else 1
    if values.size <= 1 << 16:
        counts = _lib.count_rows_kernel(values, rows, kernel_threads, method)
    else:
        counts = run_interruptible(
            lambda cancel: _lib.count_rows_kernel(values, rows, kernel_threads, method, cancel))
    return counts.astype(np.intp)
