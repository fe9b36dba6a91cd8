# SPDX-License-Identifier: MIT
"""The public functions :func:`count` and :func:`is_prime`: input validation,
conversion to the C kernels' element types, and the three execution modes."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Optional, Union, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _lib
from ._threads import resolve_threads

if TYPE_CHECKING:  # for annotations only: Dask stays optional, typing_extensions is not needed at run time
    import dask.array
    from typing_extensions import TypeGuard

__all__ = ["MODES", "METHODS", "count", "is_prime"]

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

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_UINT64_MAX = 2**64 - 1

# Inputs that need converting are converted this many elements at a time, so
# that counting a huge strided or byte-swapped array needs little extra memory.
_BLOCK_ELEMENTS = 1 << 20
# The C library uses at most this many threads per call (MAX_THREADS in
# primes.c); larger requests are capped here, before ctypes' C int could wrap.
_MAX_THREADS = 1024
# Python threads are only worth starting for this many elements each.
_MIN_ELEMENTS_PER_THREAD = 1 << 15
# Elements per ctypes call in "threading" mode when the caller does not say.
_THREADING_CHUNK = 1 << 16
# Interrupts: a C call cannot be interrupted, and even at about 1 us per
# element (the worst case: primes near 2^64) this many elements take well
# under 100 ms.  Larger inputs are passed to C from a helper thread, with a
# cancel flag, while the calling thread waits for Ctrl-C (see _interruptible).
_DIRECT_CALL_ELEMENTS = 1 << 16
# How long the waiting thread sleeps between checks for signals.
_WAIT_SECONDS = 0.02


def _is_dask_array(a: object) -> TypeGuard[dask.array.Array]:
    """True for a dask.array.Array, without importing Dask (if Dask's array
    module was never imported, ``a`` cannot be one of its arrays)."""
    dask_array = sys.modules.get("dask.array")
    return dask_array is not None and isinstance(a, dask_array.Array)


def _check_method(method: object) -> int:
    if method == "auto":
        return 0
    if not isinstance(method, str) or method not in _lib.METHODS:
        allowed = ", ".join(repr(m) for m in _lib.METHODS)
        raise ValueError(f"method must be one of {allowed}; got {method!r}")
    return _lib.METHODS[method]


def _check_mode(mode: object) -> str:
    if mode == "pthreads":
        return mode
    if not isinstance(mode, str) or mode not in MODES:
        allowed = ", ".join(repr(m) for m in MODES)
        raise ValueError(f"mode must be one of {allowed}; got {mode!r}")
    return mode


def _from_python_objects(a: Any) -> np.ndarray:
    """Convert a sequence NumPy could not make an integer array of.

    NumPy turns ``[-1, 2**64 - 1]`` into float64 (losing precision) and
    ``[2**64]`` into object; here every element must be an integer in
    [-2**63, 2**64).
    """
    try:
        objects = np.asarray(a, dtype=object)
    except ValueError as exc:
        raise ValueError(f"cannot make an integer array of the input: {exc}") from exc
    flat = objects.reshape(-1)
    for item in flat:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, (int, np.integer)):
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


def _contains_bool(items: Any) -> bool:
    """True if nested lists/tuples hold a bool (NumPy would silently make it 0 or 1)."""
    for item in items:
        if isinstance(item, (bool, np.bool_)):
            return True
        if isinstance(item, (list, tuple)) and _contains_bool(item):
            return True
    return False


def _as_integer_array(a: Any) -> np.ndarray:
    """Return ``a`` as an integer ndarray (without copying an integer ndarray)."""
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
        if isinstance(a, (list, tuple)) and _contains_bool(a):
            raise TypeError("expected integers, got an element of type bool")
        try:
            array = np.asarray(a)
        except OverflowError as exc:
            raise OverflowError(f"input is outside the range of int64 and uint64: {exc}") from exc
        if array.dtype.kind in "fO" and not isinstance(a, np.generic):
            if array.size == 0:
                # np.asarray([]) is float64; an empty sequence holds no non-integers.
                array = np.zeros(array.shape, dtype=np.int64)
            else:
                array = _from_python_objects(a)
    kind = array.dtype.kind
    if kind == "b":
        raise TypeError("expected an array of integers, got dtype bool")
    if kind not in "iu":
        raise TypeError(f"expected an array of integers, got dtype {array.dtype}")
    return array


def _kernel_dtype(dtype: np.dtype[Any]) -> np.dtype[Any]:
    """The C kernel element type that holds every value of ``dtype``."""
    if dtype.itemsize <= 4:
        return _lib.KERNEL_DTYPES["int32" if dtype.kind == "i" else "uint32"]
    return _lib.KERNEL_DTYPES["int64" if dtype.kind == "i" else "uint64"]


def _kernel_blocks(array: np.ndarray) -> Iterator[np.ndarray]:
    """Yield 1-D, C-contiguous, native kernel-dtype blocks covering ``array`` in C order.

    A native, aligned, C-contiguous int32/uint32/int64/uint64 array is yielded as
    one view (no copy).  Anything else is converted ``_BLOCK_ELEMENTS`` at a time.
    """
    target = _kernel_dtype(array.dtype)
    if array.dtype == target and array.flags.c_contiguous and array.flags.aligned:
        yield array.ravel()
        return
    if array.size == 0:
        return
    iterator = np.nditer(
        array,
        flags=["external_loop", "buffered", "zerosize_ok"],
        op_flags=["readonly"],
        op_dtypes=target,
        casting="safe",
        buffersize=_BLOCK_ELEMENTS,
        order="C",
    )
    for block in iterator:
        # A block that needed no cast is a view of the input, which may be
        # strided or unaligned: the C kernels need contiguous, aligned memory.
        yield np.require(block, requirements=("C", "A"))


def _kernel(
    values: np.ndarray,
    out: Optional[np.ndarray],
    threads: int,
    method: int,
    cancel: Optional[_lib.CancelFlag] = None,
) -> int:
    """One C call: count (``out`` None) or fill ``out``; returns the count (0 when filling)."""
    if out is None:
        return _lib.count_kernel(values, threads, method, cancel)
    _lib.is_prime_kernel(values, out, threads, method, cancel)
    return 0


_helper_pool: Optional[ThreadPoolExecutor] = None
_helper_pool_pid = 0
_helper_pool_lock = threading.Lock()
# Pool threads never wait for one another, so a full pool only delays work.
_HELPER_POOL_SIZE = 256


def _helpers() -> ThreadPoolExecutor:
    """The pool of helper threads, started at the first call that needs one.

    Starting a Python thread costs about 100 us, a tenth of counting 10^6
    numbers, so helper threads are kept for the next call.  A forked child
    gets a new pool: the parent's threads do not exist there.
    """
    global _helper_pool, _helper_pool_pid
    with _helper_pool_lock:
        if _helper_pool is None or _helper_pool_pid != os.getpid():
            _helper_pool = ThreadPoolExecutor(_HELPER_POOL_SIZE, thread_name_prefix="primes-helper")
            _helper_pool_pid = os.getpid()
        return _helper_pool


def _wait_for(done: threading.Event) -> None:
    """Wait until ``done`` is set, letting signal handlers run meanwhile.

    An Event, not Thread.join: in CPython before 3.13, a KeyboardInterrupt that
    lands inside Thread.join can mark a still-running thread as stopped, and a
    later join then returns at once (CPython issue gh-90882/bpo-45274).
    """
    while not done.wait(_WAIT_SECONDS):
        pass


def _interruptible(values: np.ndarray, out: Optional[np.ndarray], threads: int, method: int) -> int:
    """One C call made on a pool thread while the calling thread waits.

    A C call cannot be interrupted: Python runs its signal handlers only
    between bytecodes.  Waiting here instead lets Ctrl-C raise
    KeyboardInterrupt at once; the call's cancel flag then stops the C threads
    at their next chunk, and they are joined before the exception propagates.
    """
    cancel = _lib.CancelFlag()
    outcome: list[Any] = []
    done = threading.Event()

    def call() -> None:
        try:
            outcome.append(_kernel(values, out, threads, method, cancel))
        except BaseException as exc:  # re-raised on the calling thread
            outcome.append(exc)
        finally:
            done.set()

    _helpers().submit(call)
    try:
        _wait_for(done)
    except BaseException:
        cancel.set()
        done.wait()
        raise
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return int(outcome[0])


def _threaded(
    values: np.ndarray, out: Optional[np.ndarray], threads: int, chunk: int, method: int = 0
) -> int:
    """Run the single-thread kernel on chunks of ``values`` from ``threads`` Python threads.

    Chunks are handed out from a shared counter; each is one ctypes call, which
    releases the GIL while the C code runs.  The calling thread works too.  If
    it is interrupted (Ctrl-C), the other threads stop at their next chunk (or
    within their current one, through the cancel flag) before the exception
    propagates.  Returns the number of primes.
    """
    size = values.size
    chunks = -(-size // chunk)
    workers = min(threads, chunks, max(1, size // _MIN_ELEMENTS_PER_THREAD))
    lock = threading.Lock()
    next_chunk = [0]
    totals = [0] * workers
    errors: list[BaseException] = []
    cancel = _lib.CancelFlag()
    finished = [threading.Event() for _ in range(workers)]

    def work(slot: int) -> None:
        total = 0
        try:
            while not errors:
                with lock:
                    index = next_chunk[0]
                    next_chunk[0] += 1
                if index >= chunks:
                    break
                part = slice(index * chunk, min(size, (index + 1) * chunk))
                total += _kernel(values[part], None if out is None else out[part], 1, method, cancel)
        except BaseException as exc:  # re-raised on the calling thread
            errors.append(exc)
            cancel.set()
        finally:
            totals[slot] = total
            finished[slot].set()

    submitted = 0
    try:
        pool = _helpers()
        for slot in range(1, workers):
            pool.submit(work, slot)
            submitted = slot
        work(0)
        for slot in range(1, workers):
            _wait_for(finished[slot])
    except BaseException as exc:
        errors.append(exc)
        cancel.set()
        for slot in range(1, submitted + 1):
            finished[slot].wait()
        raise
    if errors:
        raise errors[0]
    return sum(totals)


def _run(values: np.ndarray, out: Optional[np.ndarray], mode: str, threads: int, method: int) -> int:
    """Classify one kernel block in the given mode; return its prime count."""
    threads = min(threads, _MAX_THREADS)
    size = values.size
    if mode == "threading" and threads > 1 and size >= 2 * _MIN_ELEMENTS_PER_THREAD:
        return _threaded(values, out, threads, _THREADING_CHUNK, method)
    # pthreads: one C call on `threads` threads; serial: one C call on one.
    kernel_threads = threads if mode == "pthreads" else 1
    if size <= _DIRECT_CALL_ELEMENTS:
        return _kernel(values, out, kernel_threads, method)
    return _interruptible(values, out, kernel_threads, method)


def count(
    a: ArrayLike, *, mode: str = "pthreads", threads: Optional[int] = None, method: str = "auto"
) -> int:
    """Count the prime elements of an integer array.

    Parameters
    ----------
    a : array_like of integers
        Any shape and any integer dtype (int8 to uint64, either byte order,
        contiguous or not), or Python ints, lists, tuples or ``range``.  A
        value that occurs several times is counted each time.  0, 1 and
        negative values are not prime.
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
        ``"sieve"`` and ``"test"`` force one; values of 2**32 and above are
        always tested.  All methods give identical results.

    Returns
    -------
    int
        The number of prime elements.

    Raises
    ------
    TypeError
        If ``a`` does not hold integers (floats, bools, strings, objects...).
    OverflowError
        If ``a`` holds Python ints outside the int64 and uint64 ranges.
    ValueError
        If ``mode``, ``threads`` or ``method`` is invalid.

    See Also
    --------
    is_prime : the element-wise mask.

    Notes
    -----
    Native-order, C-contiguous int32, uint32, int64 and uint64 arrays reach the
    C library without a copy; other inputs are converted a block at a time.
    The test is deterministic and exact for every 64-bit value.

    Examples
    --------
    >>> import numpy as np
    >>> import primes
    >>> primes.count(np.arange(100))
    25
    >>> primes.count([2, 2, 4, -7, 2**61 - 1], mode="serial")
    3
    """
    if _is_dask_array(a):
        from . import _dask  # Dask is optional: imported only for Dask input

        return _dask.count(a, mode=mode, threads=threads, method=method)  # type: ignore[return-value]
    mode = _check_mode(mode)
    engine = _check_method(method)
    nthreads = resolve_threads(threads)
    array = _as_integer_array(a)
    if array.dtype in _lib.COUNT_KERNELS and array.flags.c_contiguous and array.flags.aligned:
        return _run(array.ravel(), None, mode, nthreads, engine)  # no copy, no generator
    total = 0
    for block in _kernel_blocks(array):
        total += _run(block, None, mode, nthreads, engine)
    return total


# A scalar gives a numpy.bool_, an array (or a nested sequence) a bool array.
# (A 0-d array also gives a numpy.bool_, as NumPy's ufuncs do; the overloads
# follow NumPy's own stubs in typing it as an array.)
@overload
def is_prime(
    a: Union[int, np.integer[Any]], *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> np.bool_: ...


@overload
def is_prime(
    a: Union[NDArray[np.integer[Any]], Sequence[Any], range],
    *,
    mode: str = ...,
    threads: Optional[int] = ...,
    method: str = ...,
) -> NDArray[np.bool_]: ...


@overload
def is_prime(
    a: ArrayLike, *, mode: str = ..., threads: Optional[int] = ..., method: str = ...
) -> Union[NDArray[np.bool_], np.bool_]: ...


def is_prime(
    a: ArrayLike, *, mode: str = "pthreads", threads: Optional[int] = None, method: str = "auto"
) -> Union[NDArray[np.bool_], np.bool_]:
    """Test each element of an integer array for primality.

    Parameters
    ----------
    a : array_like of integers
        As for :func:`count`.
    mode : {"pthreads", "threading", "serial"}, optional
        As for :func:`count`.
    threads : int, optional
        As for :func:`count`.
    method : {"auto", "sieve", "test"}, optional
        As for :func:`count`.

    Returns
    -------
    ndarray of bool or numpy.bool_
        True where the element is prime, with the shape of ``a`` (C order);
        a ``numpy.bool_`` when ``a`` is a scalar.

    Raises
    ------
    TypeError, OverflowError, ValueError
        As for :func:`count`.

    See Also
    --------
    count : the number of primes, without building the mask.

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
    """
    if _is_dask_array(a):
        from . import _dask  # Dask is optional: imported only for Dask input

        return _dask.is_prime(a, mode=mode, threads=threads, method=method)  # type: ignore[return-value]
    mode = _check_mode(mode)
    engine = _check_method(method)
    nthreads = resolve_threads(threads)
    array = _as_integer_array(a)
    out = np.empty(array.shape, dtype=np.bool_)
    flat_out = out.reshape(-1)
    start = 0
    for block in _kernel_blocks(array):
        stop = start + block.size
        _run(block, flat_out[start:stop], mode, nthreads, engine)
        start = stop
    if out.ndim == 0:
        return out[()]
    return out
