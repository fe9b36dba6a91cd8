# SPDX-License-Identifier: MIT
"""Dask support: :func:`primes.count` and :func:`primes.is_prime` on a ``dask.array.Array``.

:mod:`primes._api` imports this module only when it is handed a Dask array,
so ``import primes`` never imports Dask and Dask stays an optional dependency
(``pip install 'primes[dask]'``).

Each block of the Dask array becomes one task that calls the NumPy
implementation (:mod:`primes._arrays`) on that block (:func:`_count_block`,
:func:`_is_prime_block`), so the C kernels run wherever the block is, on any
scheduler.  The arguments are checked at once, by the same functions as for
NumPy input (:mod:`primes._coerce`), so the messages are the same.

How the tasks refer to this package
-----------------------------------
A task does not refer to :mod:`primes` by reference (the way pickle sends a
module-level function).  With ``distributed``, a worker unpickles the tasks
it is sent while reading the scheduler's message, before it knows which task
failed; a worker on which ``import primes`` fails then drops its connection
and closes, and when no worker can import it the computation waits for
workers forever (dask/distributed issue 1341; seen with distributed 2026.8).
Instead, each task holds a small function sent by value (the way
Dask sends any lambda) that imports :mod:`primes` when the task runs, on the
worker: a worker without the package fails that task with a
:class:`ModuleNotFoundError` naming ``primes`` and the fix, and ``compute()``
raises it.  The graph then holds nothing from :mod:`primes` at all, so the
``distributed`` scheduler, which unpickles graphs too, needs only Dask.  Like
any function Dask sends by value, the small function needs the same Python
minor version on the client and the workers (``distributed`` warns at
connection when the versions differ).
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from typing import Any, Optional

import cloudpickle  # type: ignore[import-untyped, unused-ignore]  # a dependency of Dask itself
import dask.array as da
import numpy as np
from dask.array.core import handle_out  # what dask.array's ufuncs do with out=

from ._arrays import count as _count_numpy
from ._arrays import is_prime as _is_prime_numpy
from ._coerce import as_integer_array, check_method, check_mode, check_out, normalize_axis
from ._next import neighbours as _neighbours
from ._threads import resolve_threads

__all__ = ["count", "is_prime", "next_prime", "prev_prime"]

# Dask's functions have no annotations; typed names for the ones used here let
# mypy --strict check the calls' results.
_map_blocks: Callable[..., da.Array] = da.map_blocks
_sum: Callable[..., da.Array] = da.sum
_handle_out: Callable[[da.Array, da.Array], da.Array] = handle_out

#: The dtype of the per-block counts and of their sum.  A fixed-size integer
#: (not object) keeps the reduction in NumPy; a count never exceeds the number
#: of elements, so it fits with room to spare.
COUNT_DTYPE = np.dtype(np.int64)
#: The dtype of counts along axes, as numpy.count_nonzero gives them.
AXIS_COUNT_DTYPE = np.dtype(np.intp)


def _task_options(x: Any, mode: str, threads: Optional[int], method: str) -> dict[str, Any]:
    """Validate everything that can be checked before any task runs.

    Returns the keyword arguments each block's NumPy call receives.  Checking
    here, while the graph is built, makes a mistake raise at the call site
    instead of inside a worker once the graph is computed.
    """
    check_mode(mode)
    check_method(method)
    # threads=None means one thread per task, not the CPU count: Dask already
    # runs one task per worker thread, so more C threads per task would only
    # oversubscribe the cores.  primes.set_threads() and PRIMES_NUM_THREADS
    # are deliberately not consulted: the first is local to the calling thread
    # and the second to the client's environment, neither to the workers'.
    nthreads = 1 if threads is None else resolve_threads(threads)
    # The dtype (and masked-array) checks of the NumPy path, applied to the
    # array's zero-size meta so the messages are the same.  A meta that is
    # not a NumPy array (e.g. CuPy) is checked through its dtype alone.
    meta = getattr(x, "_meta", None)
    as_integer_array(meta if isinstance(meta, np.ndarray) else np.empty(0, dtype=x.dtype))
    return {"mode": mode, "threads": nthreads, "method": method}


# --- what one task runs -------------------------------------------------------------------


def _count_block(
    block: np.ndarray, *, axes: Optional[tuple[int, ...]], mode: str, threads: int, method: str
) -> np.ndarray:
    """The counts of one block: along ``axes`` with them kept (of length one), or,
    for ``axes=None``, the block's total as an array of ``block.ndim`` ones in shape."""
    if axes is None:
        found = _count_numpy(block, mode=mode, threads=threads, method=method)
        return np.full((1,) * block.ndim, found, dtype=COUNT_DTYPE)
    counts: np.ndarray = np.asarray(
        _count_numpy(block, axes, keepdims=True, mode=mode, threads=threads, method=method)
    )
    return counts


def _is_prime_block(block: np.ndarray, *, mode: str, threads: int, method: str) -> np.ndarray:
    """The primality mask of one block (an array even for a 0-d block)."""
    return np.asarray(_is_prime_numpy(block, mode=mode, threads=threads, method=method))


def _next_prime_block(block: np.ndarray, *, mode: str, threads: int, method: str) -> np.ndarray:
    """The next primes of one block (an array even for a 0-d block)."""
    return np.asarray(_neighbours(block, True, mode, threads, method))


def _prev_prime_block(block: np.ndarray, *, mode: str, threads: int, method: str) -> np.ndarray:
    """The previous primes of one block (an array even for a 0-d block)."""
    return np.asarray(_neighbours(block, False, mode, threads, method))


_BLOCK_FUNCTIONS: dict[str, Callable[..., np.ndarray]] = {
    "_count_block": _count_block,
    "_is_prime_block": _is_prime_block,
    "_next_prime_block": _next_prime_block,
    "_prev_prime_block": _prev_prime_block,
}


def _make_worker_entry() -> Callable[..., np.ndarray]:
    """Return the function a task runs in another process (see the module docstring).

    It is nested so that cloudpickle sends it by value; it uses nothing from
    this module's globals, so unpickling it needs no :mod:`primes`.
    """

    def run_in_primes(name: str, block: Any, **options: Any) -> Any:
        import importlib

        try:
            module = importlib.import_module("primes._dask")
        except ImportError as exc:
            import socket
            import sys

            raise ModuleNotFoundError(
                f"primes could not be imported on this Dask worker (host {socket.gethostname()}, "
                f"Python {sys.executable}): {exc}. Install primes on every worker "
                "(pip install primes, the same version as the client).",
                name="primes",
            ) from exc
        return getattr(module, name)(block, **options)

    return run_in_primes


_WORKER_ENTRY = _make_worker_entry()


@functools.cache
def _pickled_entry(name: str) -> bytes:
    """The entry bound to ``name``, pickled by value once per process."""
    data: bytes = cloudpickle.dumps(functools.partial(_WORKER_ENTRY, name))
    return data


class _BlockCall:
    """The callable handed to ``map_blocks``: calls the block function ``name``.

    In this process it calls the function directly.  Pickled (for worker
    processes), it becomes ``partial(run_in_primes, name)``, sent by value, so
    that :mod:`primes` is imported only when the task runs.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, block: np.ndarray, **options: Any) -> np.ndarray:
        return _BLOCK_FUNCTIONS[self.name](block, **options)

    def __reduce__(self) -> tuple[Callable[[bytes], Any], tuple[bytes]]:
        # Plain pickle (which distributed tries first) and cloudpickle both
        # honour __reduce__: the receiver runs pickle.loads on the by-value bytes.
        return (pickle.loads, (_pickled_entry(self.name),))

    def __dask_tokenize__(self) -> tuple[str, str]:
        # A stable token, so the same call on the same array gives the same keys.
        return ("primes._dask._BlockCall", self.name)

    def __repr__(self) -> str:
        return f"primes._dask.{self.name}"


# --- the public functions -----------------------------------------------------------------


def count(
    x: da.Array,
    axis: Any = None,
    *,
    keepdims: Any = False,
    mode: str = "pthreads",
    threads: Optional[int] = None,
    method: str = "auto",
) -> da.Array:
    """Count the prime elements of a Dask integer array, lazily, in all or along axes.

    Called by :func:`primes.count` when its argument is a
    ``dask.array.Array``; nothing is computed until ``.compute()``.

    Parameters
    ----------
    x : dask.array.Array of integers
        Any shape, any chunking (uneven or unknown chunk sizes too) and any
        integer dtype (int8 to uint64), or dtype object holding Python ints
        (checked when computed).  The blocks must be NumPy arrays.
    axis : int or tuple of ints, optional
        As for :func:`primes.count` (and :func:`numpy.count_nonzero`): the
        axes to count along; default all.  Checked at once.
    keepdims : bool, optional
        As for :func:`primes.count`.
    mode : {"pthreads", "threading", "serial"}, optional
        The mode of each block's call, as for :func:`primes.count`.  With the
        default ``threads=None`` every mode runs one thread per task.
    threads : int, optional
        Threads per task.  Default (None): 1, because Dask already runs as
        many tasks at once as the workers have threads; more would compete
        for the same cores.  Raise it only on workers started with fewer
        Dask threads than cores.  ``primes.set_threads`` and
        ``PRIMES_NUM_THREADS`` do not apply to Dask tasks.
    method : {"auto", "sieve", "test"}, optional
        The engine, as for :func:`primes.count`.

    Returns
    -------
    dask.array.Array
        One count per block (along ``axis``: per block and kept position),
        summed by a tree reduction.  With the default ``axis=None``: a 0-d
        int64 Dask array, and ``int(result.compute())`` is the exact number
        of primes; otherwise an intp Dask array of the shape
        ``numpy.count_nonzero`` would give.

    Raises
    ------
    TypeError
        At once, if ``x``'s dtype is not an integer dtype (or its blocks are
        masked arrays), or ``axis`` is not an integer or tuple of them.
    ValueError
        At once, if ``mode``, ``threads`` or ``method`` is invalid, or an
        axis is repeated or out of range (``numpy.exceptions.AxisError``).

    See Also
    --------
    is_prime : the lazy element-wise mask.
    primes.count : the same on NumPy arrays.

    Examples
    --------
    >>> import dask.array as da
    >>> import primes
    >>> x = da.arange(10**6, chunks=250_000)
    >>> result = primes.count(x)
    >>> result.shape, result.dtype
    ((), dtype('int64'))
    >>> int(result.compute())
    78498
    >>> primes.count(x.reshape(1000, 1000), axis=1).compute()[:5]
    array([168, 135, 127, 120, 119])
    """
    options = _task_options(x, mode, threads, method)
    axes = None if axis is None and not keepdims else normalize_axis(axis, x.ndim, keepdims)
    per_block = _map_blocks(
        _BlockCall("_count_block"),
        x,
        axes=axes,
        **options,
        # One count per block on each counted axis; the kept axes keep their chunks.
        chunks=tuple(
            (1,) * len(sizes) if axes is None or d in axes else sizes for d, sizes in enumerate(x.chunks)
        ),
        dtype=COUNT_DTYPE if axes is None else AXIS_COUNT_DTYPE,
        meta=np.empty((0,) * x.ndim, dtype=COUNT_DTYPE if axes is None else AXIS_COUNT_DTYPE),
        token="primes-count-block",
    )
    if axes is None:
        return _sum(per_block, dtype=COUNT_DTYPE)
    return _sum(per_block, axis=axes, keepdims=bool(keepdims), dtype=AXIS_COUNT_DTYPE)


def is_prime(
    x: da.Array,
    out: Optional[Any] = None,
    *,
    mode: str = "pthreads",
    threads: Optional[int] = None,
    method: str = "auto",
) -> da.Array:
    """Test each element of a Dask integer array for primality, lazily.

    Called by :func:`primes.is_prime` when its argument is a
    ``dask.array.Array``; nothing is computed until ``.compute()``.

    Parameters
    ----------
    x : dask.array.Array of integers
        As for :func:`count`.
    out : dask.array.Array of bool, optional
        As dask.array's ufuncs take ``out=``: a Dask array of ``x``'s shape,
        which becomes the result (its chunks become ``x``'s) and is
        returned.  Unlike them, its dtype must be bool.  A NumPy ``out``
        is refused: nothing is computed here to write into it.
    mode : {"pthreads", "threading", "serial"}, optional
        As for :func:`count`.
    threads : int, optional
        Threads per task; default 1, as for :func:`count`.
    method : {"auto", "sieve", "test"}, optional
        As for :func:`count`.

    Returns
    -------
    dask.array.Array
        A bool Dask array with ``x``'s shape and chunks, True where the
        element is prime (``out``, if given).

    Raises
    ------
    TypeError
        At once, as for :func:`count`, or if ``out`` is not a bool Dask array.
    ValueError
        At once, as for :func:`count`, or if ``out`` has another shape.

    See Also
    --------
    count : the number of primes, without building the mask.
    primes.is_prime : the same on NumPy arrays.

    Examples
    --------
    >>> import dask.array as da
    >>> import primes
    >>> x = da.arange(20, chunks=7)
    >>> mask = primes.is_prime(x)
    >>> mask.chunks, mask.dtype
    (((7, 7, 6),), dtype('bool'))
    >>> x[mask].compute()
    array([ 2,  3,  5,  7, 11, 13, 17, 19])
    """
    options = _task_options(x, mode, threads, method)
    if out is not None:
        out = check_out(out, x.shape, (), array_type=da.Array)
    result = _map_blocks(
        _BlockCall("_is_prime_block"),
        x,
        **options,
        dtype=np.bool_,
        meta=np.empty((0,) * x.ndim, dtype=np.bool_),
        token="primes-is-prime",
    )
    return result if out is None else _handle_out(out, result)



def _neighbour_array(x: da.Array, name: str, mode: str, threads: Optional[int], method: str) -> da.Array:
    options = _task_options(x, mode, threads, method)
    dtype = x.dtype if x.dtype.kind in "iu" else np.dtype(np.int64)  # object blocks: as numpy.asarray
    return _map_blocks(
        _BlockCall(name), x, **options, dtype=dtype, meta=np.empty((0,) * x.ndim, dtype=dtype),
        token="primes-" + name.strip("_").replace("_block", "").replace("_", "-"),
    )


def next_prime(
    x: da.Array, *, mode: str = "pthreads", threads: Optional[int] = None, method: str = "auto"
) -> da.Array:
    """The smallest prime above each element of a Dask integer array, lazily.

    Called by :func:`primes.next_prime` when its argument is a
    ``dask.array.Array``; each block is one task (one C call), computed
    when the result is.  The keywords are checked at once, the values when
    each block is computed (an element without an answer in the dtype raises
    then, naming its index within the block).

    Parameters
    ----------
    x : dask.array.Array of integers
        As for :func:`count`.
    mode, threads, method
        As for :func:`count` (``threads`` defaults to 1 per task).

    Returns
    -------
    dask.array.Array
        The next primes, with ``x``'s dtype, shape and chunks.

    See Also
    --------
    prev_prime : the same for the previous primes.
    primes.next_prime : the same on NumPy arrays.

    Examples
    --------
    >>> import dask.array as da
    >>> import primes
    >>> x = da.arange(10, chunks=4)
    >>> primes.next_prime(x).compute()
    array([ 2,  2,  3,  5,  5,  7,  7, 11, 11, 11])
    """
    return _neighbour_array(x, "_next_prime_block", mode, threads, method)


def prev_prime(
    x: da.Array, *, mode: str = "pthreads", threads: Optional[int] = None, method: str = "auto"
) -> da.Array:
    """The largest prime below each element of a Dask integer array, lazily (as :func:`next_prime`).

    Examples
    --------
    >>> import dask.array as da
    >>> import primes
    >>> primes.prev_prime(da.arange(3, 13, chunks=4)).compute()
    array([ 2,  3,  3,  5,  5,  7,  7,  7,  7, 11])
    """
    return _neighbour_array(x, "_prev_prime_block", mode, threads, method)
