# SPDX-License-Identifier: MIT
"""Ranges without arrays: :func:`count` and :func:`is_prime` of a ``range``, and :func:`primes`.

A Python ``range`` reaches the C library as its first element, its step and
its length (``primes_count_range``, ``primes_is_prime_range``), never as an
array: the library sieves the interval it spans (or tests each element, when
that costs less) in O(sqrt(stop)) memory plus one cache-sized segment per
thread.  :func:`primes` writes the primes of an interval straight into one
array allocated from an upper bound on their number (Dusart's), then shrunk
in place; pages past the end are never touched, so the peak memory is the
output's.

Every argument is checked before any work.  Long C calls run on a helper
thread while the calling thread waits, so that Ctrl-C stops them (through the
call's cancel flag) within a few milliseconds, in every mode.
"""

from __future__ import annotations

import functools
import math
import operator
import threading
from collections.abc import Sequence
from typing import Any, Callable, Optional

import numpy as np

from . import _constants, _lib
from ._coerce import check_method, check_mode, check_out, normalize_axis
from ._modes import helpers, run_interruptible, wait_for
from ._threads import resolve_threads

__all__ = ["count", "is_prime", "primes", "pi_upper_bound"]

_TOP = 2**64  # every element must be below this
_MAX_THREADS = _constants.MAX_THREADS
# Ranges of at most this many elements are answered by a direct C call (well
# under 100 ms even near 2**64); larger ones on a helper thread (interruptible).
_DIRECT_ELEMENTS = 1 << 16
# In "threading" mode a range is cut into one part per thread only when each
# part gets at least this many elements (each part places its own sieving
# primes, which near 2**64 costs seconds: pthreads mode shares them).
_THREADING_PART = 1 << 22


def _ascending(r: range) -> tuple[int, int, int]:
    """``(first, step, n)`` of the same elements in increasing order (n may be 0)."""
    # Not len(r) nor r[-1]: they fail past sys.maxsize elements (huge negative starts).
    start, stop, step = r.start, r.stop, r.step
    if step > 0:
        n = max(0, (stop - start + step - 1) // step)
        first = start
    else:
        n = max(0, (start - stop - step - 1) // -step)
        first, step = start + (n - 1) * step, -step
    if n == 0:
        return 0, 1, 0
    if n == 1:
        step = 1  # any step: one element (and the C library takes steps below 2**64)
    return first, step, n


def _check_top(first: int, step: int, n: int) -> None:
    if n and first + (n - 1) * step >= _TOP:
        raise OverflowError(
            f"range elements must be below 2**64 (here up to {first + (n - 1) * step}); "
            "the C library counts 64-bit integers")


def _skip_below_two(first: int, step: int, n: int) -> int:
    """How many leading elements of an ascending range are below 2 (not prime, not sent to C)."""
    if n == 0 or first >= 2:
        return 0
    return min(n, -(-(2 - first) // step))


def _parts(n: int, threads: int) -> list[tuple[int, int]]:
    """``[(j0, count), ...]``: the element slices of the "threading" mode's parts."""
    parts = max(1, min(threads, n // _THREADING_PART))
    size = -(-n // parts)
    return [(j, min(size, n - j)) for j in range(0, n, size)]


def _threaded(calls: Sequence[Callable[[Optional[_lib.CancelFlag]], Any]]) -> list[Any]:
    """Run the calls on pool threads (the first on this thread too), one cancel flag for all."""
    if len(calls) == 1:
        return [run_interruptible(calls[0])]
    cancel = _lib.CancelFlag()
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []
    finished = [threading.Event() for _ in calls]

    def work(slot: int) -> None:
        try:
            results[slot] = calls[slot](cancel)
        except BaseException as exc:
            errors.append(exc)
            cancel.set()
        finally:
            finished[slot].set()

    pool = helpers()
    try:
        for slot in range(len(calls)):
            pool.submit(work, slot)
        for event in finished:
            wait_for(event)
    except BaseException:
        cancel.set()
        for event in finished:
            event.wait()
        raise
    if errors:
        raise errors[0]
    return results


def _setup(mode: str, threads: Optional[int], method: str) -> tuple[str, int, int]:
    mode = check_mode(mode)
    engine = check_method(method)
    nthreads = min(resolve_threads(threads), _MAX_THREADS)
    return mode, (1 if mode == "serial" else nthreads), engine


def count(r: range, axis: Any = None, keepdims: Any = False, mode: str = "pthreads",
          threads: Optional[int] = None, method: str = "auto") -> Any:
    """:func:`primes.count` of a ``range`` (the documentation is there)."""
    mode, nthreads, engine = _setup(mode, threads, method)
    axes = None if axis is None and not keepdims else normalize_axis(axis, 1, keepdims)
    if axes == ():  # nothing reduced: the mask as counts, as numpy.count_nonzero(mask, axis=()) gives
        return is_prime(r, None, mode, threads, method).astype(np.intp)
    first, step, n = _ascending(r)
    _check_top(first, step, n)
    skip = _skip_below_two(first, step, n)
    first, n = first + skip * step, n - skip
    total = 0
    if n:
        last = first + (n - 1) * step
        if n <= _DIRECT_ELEMENTS:
            total = _lib.count_range_kernel(first, last, step, nthreads, engine)
        elif mode == "threading" and nthreads > 1:
            total = sum(_threaded([
                functools.partial(_count_part, first + j * step, first + (j + k - 1) * step, step, engine)
                for j, k in _parts(n, nthreads)
            ]))
        else:
            whole = functools.partial(_count_part, first, last, step, engine, threads=nthreads)
            total = run_interruptible(whole)
    if axes is None:
        return total
    return np.full((1,), total, dtype=np.intp) if keepdims else np.intp(total)


def _count_part(first: int, last: int, step: int, method: int, cancel: Optional[_lib.CancelFlag],
                threads: int = 1) -> int:
    return _lib.count_range_kernel(first, last, step, threads, method, cancel)


def _mask_part(first: int, step: int, mask: np.ndarray, method: int, cancel: Optional[_lib.CancelFlag],
               threads: int = 1) -> None:
    _lib.is_prime_range_kernel(first, step, mask, threads, method, cancel)


def _primes_part(first: int, last: int, out: np.ndarray, method: int, cancel: Optional[_lib.CancelFlag],
                 threads: int = 1) -> int:
    return _lib.primes_range_kernel(first, last, out, threads, method, cancel)


def is_prime(r: range, out: Optional[Any] = None, mode: str = "pthreads", threads: Optional[int] = None,
             method: str = "auto") -> np.ndarray:
    """:func:`primes.is_prime` of a ``range``: the mask, filled by the C library directly."""
    mode, nthreads, engine = _setup(mode, threads, method)
    first, step, n = _ascending(r)
    _check_top(first, step, n)
    if out is not None:
        target: np.ndarray = check_out(out, (n,), (r,))
    else:
        target = np.empty(n, dtype=np.bool_)
    flat = target.view(np.ndarray)
    if r.step < 0 and n:
        flat = flat[::-1]  # the ascending elements, written backwards into the result
    if flat.flags.c_contiguous:
        _fill(flat, first, step, n, mode, nthreads, engine)
    else:
        mask = np.empty(n, dtype=np.bool_)
        _fill(mask, first, step, n, mode, nthreads, engine)
        flat[...] = mask
    return target


def _fill(mask: np.ndarray, first: int, step: int, n: int, mode: str, threads: int, method: int) -> None:
    skip = _skip_below_two(first, step, n)
    mask[:skip] = False
    first, n, mask = first + skip * step, n - skip, mask[skip:]
    if n == 0:
        return
    if n <= _DIRECT_ELEMENTS:
        _lib.is_prime_range_kernel(first, step, mask, threads, method)
    elif mode == "threading" and threads > 1:
        _threaded([
            functools.partial(_mask_part, first + j * step, step, mask[j : j + k], method)
            for j, k in _parts(n, threads)
        ])
    else:
        run_interruptible(functools.partial(_mask_part, first, step, mask, method, threads=threads))


# ---- primes() ---------------------------------------------------------------------------------


def _log(x: float) -> float:
    return math.log(x)


def pi_upper_bound(x: int) -> int:
    """An upper bound on pi(x), the number of primes <= x (x any int).

    Dusart (2010): pi(x) <= x / ln x (1 + 1 / ln x + 2.51 / ln^2 x) for
    x >= 355991; Rosser and Schoenfeld (1962): pi(x) < 1.25506 x / ln x for
    x > 1.  The float result is rounded up with a margin far above its error.

    >>> from primes._range import pi_upper_bound
    >>> [pi_upper_bound(x) >= p for x, p in [(10, 4), (10**6, 78498), (10**9, 50847534)]]
    [True, True, True]
    """
    if x < 17:
        return max(0, min(x, 6))
    lx = _log(x)
    bound = x / lx * (1 + 1 / lx + 2.51 / lx**2) if x >= 355991 else 1.25506 * x / lx
    return math.ceil(bound * (1 + 1e-12)) + 8


def _pi_lower_bound(x: int) -> int:
    """A lower bound on pi(x): x / ln x for x >= 17 (Rosser and Schoenfeld), with a margin."""
    if x < 17:
        return 0
    return max(0, math.floor(x / _log(x) * (1 - 1e-12)) - 8)


def _coprime_to_30(x: int) -> int:
    """How many integers in [1, x] are prime to 30 (x >= 0)."""
    q, r = divmod(x, 30)
    return 8 * q + sum(1 for residue in (1, 7, 11, 13, 17, 19, 23, 29) if residue <= r)


def _capacity(first: int, last: int) -> int:
    """An upper bound on the number of primes in [first, last] (2 <= first <= last < 2**64)."""
    dusart = pi_upper_bound(last) - _pi_lower_bound(first - 1)
    candidates = _coprime_to_30(last) - _coprime_to_30(first - 1) + 3  # + 2, 3, 5
    width = last - first + 1
    # Montgomery and Vaughan (1973): pi(x + y) - pi(x) <= 2 y / ln y for y > 1.
    brun_titchmarsh = math.ceil(2 * width / _log(width) * (1 + 1e-12)) + 8 if width > 1 else 1
    return max(1, min(dusart, candidates, brun_titchmarsh))


def _check_bound(value: Any, what: str) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"primes: {what} must be an integer, not a bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"primes: {what} must be an integer, not {type(value).__name__}") from None


def _output_dtype(dtype: Any, stop: int) -> np.dtype[Any]:
    """The result's dtype: int64 by default, uint64 when values reach 2**63; checked to hold stop - 1."""
    if dtype is None:
        default: np.dtype[Any] = np.dtype(np.uint64 if stop > 2**63 else np.int64)
        return default
    try:
        chosen: np.dtype[Any] = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"primes: dtype {dtype!r} is not a NumPy dtype") from exc
    if chosen.kind not in "iu":
        raise TypeError(f"primes: dtype must be an integer dtype, not {chosen}")
    if stop - 1 > int(np.iinfo(chosen).max):
        raise OverflowError(
            f"primes: dtype {chosen} cannot hold every value below stop={stop} "
            f"(its largest is {np.iinfo(chosen).max}); use a wider dtype or dtype=None")
    return chosen


def primes(start: Any, stop: Any = None, *, dtype: Any = None, mode: str = "pthreads",
           threads: Optional[int] = None, method: str = "auto") -> np.ndarray:
    """:func:`primes.primes` (the documentation is in :mod:`primes._api`)."""
    if stop is None:
        start, stop = 0, start
    first = _check_bound(start, "start")
    stop = _check_bound(stop, "stop")
    if stop > _TOP:
        raise OverflowError(f"primes: stop must be at most 2**64, not {stop}")
    out_dtype = _output_dtype(dtype, stop)
    mode, nthreads, engine = _setup(mode, threads, method)
    first = max(first, 2)
    if first >= stop:
        return np.empty(0, dtype=out_dtype)
    last = stop - 1
    # The C library writes uint32 or uint64: the result's own memory when it
    # is native and of that width (int64 as uint64: the same bits below 2**63).
    kernel_dtype = np.dtype(np.uint32 if out_dtype.itemsize <= 4 else np.uint64)
    native = out_dtype.isnative and out_dtype.itemsize == kernel_dtype.itemsize
    store_dtype = out_dtype if native else kernel_dtype
    capacity = _capacity(first, last)
    out = np.empty(capacity, dtype=store_dtype)
    buffer = out.view(kernel_dtype)
    written = _generate(buffer, first, last, mode, nthreads, engine)
    del buffer
    out.resize(written, refcheck=False)  # in place: a shrinking realloc, no copy of a large block
    if not native:
        return out.astype(out_dtype)
    return out


def _generate(out: np.ndarray, first: int, last: int, mode: str, threads: int, method: int) -> int:
    width = last - first + 1
    if width <= _DIRECT_ELEMENTS:
        return _lib.primes_range_kernel(first, last, out, threads, method)
    if mode != "threading" or threads == 1 or width < 2 * _THREADING_PART:
        whole = functools.partial(_primes_part, first, last, out, method, threads=threads)
        return int(run_interruptible(whole))
    # Threading: each part counted, then written at its offset (as the C library does on its threads).
    bounds = [(first + j, first + j + k - 1) for j, k in _parts(width, threads)]
    counts = _threaded([functools.partial(_count_part, lo, hi, 1, method) for lo, hi in bounds])
    offsets = [0]
    for c in counts:
        offsets.append(offsets[-1] + c)
    if offsets[-1] > out.size:  # cannot happen: the bound holds
        raise RuntimeError("primes: the upper bound on the number of primes was exceeded")
    _threaded([
        functools.partial(_primes_part, lo, hi, out[offsets[k] : offsets[k + 1]], method)
        for k, (lo, hi) in enumerate(bounds)
    ])
    return offsets[-1]


