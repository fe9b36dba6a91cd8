# SPDX-License-Identifier: MIT
"""The public functions :func:`count` and :func:`is_prime`: their signatures, types and documentation.

A Dask array goes to :mod:`primes._dask` (imported only then, so that Dask
stays optional); anything else to the NumPy implementation in
:mod:`primes._arrays`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Optional, SupportsIndex, TypeVar, Union, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _arrays, _range
from ._coerce import METHODS, MODES, is_dask_array

__all__ = ["MODES", "METHODS", "count", "is_prime", "primes"]

#: What ``axis`` may be, as for :func:`numpy.count_nonzero`.
_Axis = Union[None, SupportsIndex, tuple[SupportsIndex, ...]]
_Out = TypeVar("_Out", bound=NDArray[np.bool_])


@overload
def count(
    a: ArrayLike,
    axis: None = ...,
    *,
    keepdims: Literal[False] = ...,
    mode: str = ...,
    threads: Optional[int] = ...,
    method: str = ...,
) -> int: ...


@overload
def count(
    a: ArrayLike,
    axis: _Axis = ...,
    *,
    keepdims: bool = ...,
    mode: str = ...,
    threads: Optional[int] = ...,
    method: str = ...,
) -> Any: ...


def count(
    a: ArrayLike,
    axis: _Axis = None,
    *,
    keepdims: bool = False,
    mode: str = "pthreads",
    threads: Optional[int] = None,
    method: str = "auto",
) -> Any:
    """Count the prime elements of an integer array, in all or along axes.

    Parameters
    ----------
    a : array_like of integers
        Any shape and any integer dtype (int8 to uint64, either byte order,
        any memory layout), or Python ints, lists, tuples, ``range`` or
        object arrays of integers.  A value that occurs several times is
        counted each time.  0, 1 and negative values are not prime.  A
        ``range`` (any step, every element below 2**64) is never turned into
        an array: the library sieves the interval it spans, in
        O(sqrt(stop)) memory, which is the way to count up to 10**12 and
        beyond (``count(np.arange(n))`` needs 8 n bytes for the array).
    axis : int or tuple of ints, optional
        As for :func:`numpy.count_nonzero`: the axis or axes along which to
        count (negative values count from the last).  Default: all of them,
        and the result is an ``int``.
    keepdims : bool, optional
        As for :func:`numpy.count_nonzero`: keep the counted axes in the
        result with length one, so that it broadcasts against ``a``.
    mode : {"pthreads", "threading", "serial"}, optional
        ``"pthreads"`` (default): one C call that splits the work among POSIX
        threads.  ``"threading"``: the array is cut into chunks run by a pool
        of Python threads, one C call per chunk.  ``"serial"``: one C call on
        a single thread.  All modes give identical results.  Above 65536
        elements the C call runs on a helper thread while the calling thread
        waits, so that Ctrl-C stops it within about 100 ms.
    threads : int, optional
        Largest number of threads to use (``mode="serial"`` ignores it).
        Default: :func:`primes.get_threads`, i.e. the ``set_threads`` block in
        force, else the ``PRIMES_NUM_THREADS`` environment variable, else the
        CPUs available to this process.  Small inputs use fewer threads.
    method : {"auto", "sieve", "test"}, optional
        The engine.  ``"auto"`` (default) lets a cost model choose per call
        and per chunk from the size and the values' range: a segmented sieve
        where the values lie close together (``np.arange``, sorted data,
        dense ranges), the per-element deterministic test otherwise.
        ``"sieve"`` and ``"test"`` force one (the forced sieve still tests
        values spread too thinly to sieve at any sensible cost, such as random
        64-bit data).  All methods give identical results.

    Returns
    -------
    int or numpy.ndarray of numpy.intp
        The number of prime elements: an ``int`` when ``axis`` is None and
        ``keepdims`` is false; otherwise, as :func:`numpy.count_nonzero`
        returns, an intp array of ``a``'s shape without the counted axes (or
        with them of length one, for ``keepdims``), or a ``numpy.intp`` when
        no axis is left.  For a Dask array, a lazy Dask array (see
        :func:`primes._dask.count`).

    Raises
    ------
    TypeError
        If ``a`` does not hold integers (floats, bools anywhere, strings,
        other objects...), or ``axis`` is not an integer or a tuple of them.
    OverflowError
        If ``a`` holds Python ints outside the int64 and uint64 ranges, or is
        a ``range`` with an element of 2**64 or more.
    ValueError
        If ``mode``, ``threads`` or ``method`` is invalid, or ``axis`` repeats an axis.
    numpy.exceptions.AxisError
        If an axis is out of range (NumPy's own exception, a ValueError and
        IndexError).

    See Also
    --------
    is_prime : the element-wise mask.
    numpy.count_nonzero : the model for ``axis`` and ``keepdims``.

    Notes
    -----
    Native-order int32, uint32, int64 and uint64 arrays that are contiguous
    (in C, Fortran or any order of their axes) reach the C library without a
    copy; other inputs are converted a block at a time, so the extra memory
    stays small.  A count along axes builds the mask of one block at a time,
    never of the whole array.  The test is deterministic and exact for every
    64-bit value.

    Examples
    --------
    >>> import numpy as np
    >>> import primes
    >>> primes.count(np.arange(100))
    25
    >>> primes.count([2, 2, 4, -7, 2**61 - 1], mode="serial")
    3
    >>> a = np.arange(12).reshape(3, 4)
    >>> primes.count(a, axis=1)
    array([2, 2, 1])
    >>> primes.count(a, axis=0, keepdims=True)
    array([[0, 1, 1, 3]])
    >>> primes.count(range(10**8))  # no array: the sieve over [0, 10**8)
    5761455
    >>> primes.count(range(2**64 - 10**4, 2**64))  # just below 2**64
    218
    >>> primes.count(range(1, 100, 2))  # the odd numbers below 100
    24
    """
    if is_dask_array(a):
        from . import _dask  # Dask is optional: imported only for Dask input

        return _dask.count(a, axis, keepdims=keepdims, mode=mode, threads=threads, method=method)
    if type(a) is range:  # counted by the sieve over its interval: no array is built
        return _range.count(a, axis, keepdims, mode, threads, method)
    return _arrays.count(a, axis, keepdims, mode, threads, method)


# A scalar gives a numpy.bool_, an array (or a nested sequence) a bool array,
# and an out= array itself.  (A 0-d array also gives a numpy.bool_, as NumPy's
# ufuncs do; the overloads follow NumPy's own stubs in typing it as an array.)
@overload
def is_prime(
    a: Union[int, np.integer[Any]],
    out: None = ...,
    *,
    mode: str = ...,
    threads: Optional[int] = ...,
    method: str = ...,
) -> np.bool_: ...


@overload
def is_prime(
    a: Union[NDArray[np.integer[Any]], Sequence[Any], range],
    out: None = ...,
    *,
    mode: str = ...,
    threads: Optional[int] = ...,
    method: str = ...,
) -> NDArray[np.bool_]: ...


@overload
def is_prime(
    a: ArrayLike, out: _Out, *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> _Out: ...


@overload
def is_prime(
    a: ArrayLike, out: None = ..., *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> Union[NDArray[np.bool_], np.bool_]: ...


def is_prime(
    a: ArrayLike,
    out: Optional[NDArray[np.bool_]] = None,
    *,
    mode: str = "pthreads",
    threads: Optional[int] = None,
    method: str = "auto",
) -> Union[NDArray[np.bool_], np.bool_]:
    """Test each element of an integer array for primality.

    Parameters
    ----------
    a : array_like of integers
        As for :func:`count`.  For a ``range`` the library fills the mask
        directly (by a sieve of the interval, or the test), with no array of
        the values in between.
    out : ndarray of bool, optional
        Where to write the result, as a ufunc's ``out``: a writeable bool
        array of ``a``'s shape, in any memory layout, that shares no memory
        with ``a`` (a tuple holding one such array is accepted too).  It is
        returned.  For a Dask array, a bool Dask array of ``a``'s shape
        (see :func:`primes._dask.is_prime`).
    mode : {"pthreads", "threading", "serial"}, optional
        As for :func:`count`.
    threads : int, optional
        As for :func:`count`.
    method : {"auto", "sieve", "test"}, optional
        As for :func:`count`.

    Returns
    -------
    ndarray of bool or numpy.bool_
        True where the element is prime: ``out`` if given; else a new array
        of ``a``'s shape laid out in memory as a ufunc's result would be
        (Fortran order for Fortran-ordered input, and so on), or a
        ``numpy.bool_`` when ``a`` is a scalar or a 0-d array.

    Raises
    ------
    TypeError
        As for :func:`count`; or if ``out`` is not a bool ndarray (another
        dtype, a masked array, a list...).
    OverflowError
        As for :func:`count`.
    ValueError
        As for :func:`count`; or if ``out`` has another shape than ``a``, is
        read-only or shares memory with ``a``.

    See Also
    --------
    count : the number of primes, without building the mask.

    Notes
    -----
    Unlike a ufunc, ``out`` is not broadcast and not cast: it must be bool
    and of ``a``'s shape exactly.

    Examples
    --------
    >>> import numpy as np
    >>> import primes
    >>> a = np.arange(10)
    >>> primes.is_prime(a)
    array([False, False,  True,  True, False,  True, False,  True, False,
           False])
    >>> a[primes.is_prime(a)]
    array([2, 3, 5, 7])
    >>> bool(primes.is_prime(2**64 - 59))  # the largest 64-bit prime
    True
    >>> out = np.zeros(5, dtype=bool)
    >>> primes.is_prime([2, 3, 4, 5, 6], out=out) is out
    True
    >>> out
    array([ True,  True, False,  True, False])
    >>> primes.is_prime(np.asfortranarray(a.reshape(2, 5))).flags.f_contiguous
    True
    >>> primes.is_prime(range(2**63, 2**63 + 30)).nonzero()[0]  # a range: no array of values
    array([29])
    """
    if is_dask_array(a):
        from . import _dask  # Dask is optional: imported only for Dask input

        return _dask.is_prime(a, out, mode=mode, threads=threads, method=method)  # type: ignore[return-value]
    if type(a) is range:  # the mask filled by the C library directly: no array of the values
        return _range.is_prime(a, out, mode, threads, method)
    return _arrays.is_prime(a, out, mode, threads, method)


def primes(
    start: SupportsIndex,
    stop: Optional[SupportsIndex] = None,
    *,
    dtype: Any = None,
    mode: str = "pthreads",
    threads: Optional[int] = None,
    method: str = "auto",
) -> NDArray[np.integer[Any]]:
    """The primes of an interval, as a sorted NumPy array.

    ``primes(stop)`` returns the primes ``p < stop``; ``primes(start, stop)``
    those with ``start <= p < stop``, as ``range`` takes its bounds.

    Parameters
    ----------
    start : int
        The interval's first integer, or its end when ``stop`` is not given
        (then the interval starts at 0).  A Python or NumPy integer of any
        sign: nothing below 2 is prime.
    stop : int, optional
        The end of the interval ``[start, stop)``, excluded:
        ``stop <= 2**64``.  An empty interval (``start >= stop``) gives an
        empty array.
    dtype : dtype, optional
        The result's integer dtype.  Default: int64, or uint64 when ``stop >
        2**63``.  Any integer dtype (either byte order) that holds ``stop -
        1`` is accepted.
    mode : {"pthreads", "threading", "serial"}, optional
        As for :func:`count`.
    threads : int, optional
        As for :func:`count`.
    method : {"auto", "sieve", "test"}, optional
        As for :func:`count`: the segmented sieve of the interval, or the
        test of each of its integers (cheaper for narrow intervals near
        2**64); ``"auto"`` prices both.

    Returns
    -------
    numpy.ndarray
        One dimension, sorted, no repeats.

    Raises
    ------
    TypeError
        If ``start`` or ``stop`` is not an integer (a bool, a float...), or
        ``dtype`` is not an integer dtype.
    OverflowError
        If ``stop > 2**64``, or ``dtype`` cannot hold ``stop - 1``.
    ValueError
        If ``mode``, ``threads`` or ``method`` is invalid.
    MemoryError
        If the result does not fit in memory.

    See Also
    --------
    count : ``count(range(start, stop))`` is ``len(primes(start, stop))``
        without the array.
    is_prime : the mask of a range, ``is_prime(range(start, stop))``.

    Notes
    -----
    The library sieves the interval straight into one array allocated for
    an upper bound on the number of primes (Dusart's inequality; for a
    narrow interval, the integers prime to 30 or the Brun-Titchmarsh bound)
    and then shrinks it in place: the pages past the last prime are never
    written, so the peak memory is about the result's size (8 bytes per
    prime for int64).  On several threads each piece of the interval is
    counted first, then written at its offset.  Errors are raised before any
    work.

    Examples
    --------
    >>> import numpy as np
    >>> import primes
    >>> primes.primes(30)
    array([ 2,  3,  5,  7, 11, 13, 17, 19, 23, 29])
    >>> primes.primes(100, 130, dtype=np.uint8)
    array([101, 103, 107, 109, 113, 127], dtype=uint8)
    >>> primes.primes(2**64 - 100, 2**64)
    array([18446744073709551521, 18446744073709551533, 18446744073709551557],
          dtype=uint64)
    >>> len(primes.primes(10**6)) == primes.count(range(10**6)) == 78498
    True
    """
    return _range.primes(start, stop, dtype=dtype, mode=mode, threads=threads, method=method)
