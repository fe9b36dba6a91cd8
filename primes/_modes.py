# SPDX-License-Identifier: MIT
"""Execution modes: how one kernel block is classified or counted.

:func:`run` takes a 1-D kernel block (see :mod:`primes._coerce`) and runs it
in the mode the caller chose: ``"pthreads"`` (one C call on several POSIX
threads), ``"serial"`` (one C call on one thread) or ``"threading"`` (the
block cut into chunks that Python threads hand to the single-thread kernel,
:func:`threaded`).  Long C calls run on a helper thread while the calling
thread waits for Ctrl-C (:func:`interruptible`); the helper threads live in a
pool that a forked child re-creates (:func:`helpers`).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional

import numpy as np

from . import _constants, _lib

__all__ = ["helpers", "interruptible", "run", "run_interruptible", "threaded", "wait_for"]

# The C library uses at most this many threads per call; capping here also
# keeps a huge request from wrapping around in ctypes' C int.
_MAX_THREADS = _constants.MAX_THREADS
# Python threads are only worth starting for as many elements each as the C
# library wants per POSIX thread (PRIMES_MIN_ELEMENTS_PER_THREAD).
_MIN_ELEMENTS_PER_THREAD = _constants.MIN_ELEMENTS_PER_THREAD
# Elements per ctypes call in "threading" mode when the caller does not say:
# 2^18, so that each call's fixed costs stay small (10^7 random int64 below
# 2^31 on 2 threads: 1.16x the pthreads time with 2^16, 1.08x with 2^18) while
# 10^6 elements still make 4 chunks.  Ctrl-C does not wait for a chunk: each
# call gets the cancel flag.
_THREADING_CHUNK = 1 << 18
# Interrupts: a C call cannot be interrupted, and even at about 1 us per
# element (the worst case: primes near 2^64) this many elements take well
# under 100 ms.  Larger inputs are passed to C from a helper thread, with a
# cancel flag, while the calling thread waits for Ctrl-C (see interruptible).
_DIRECT_CALL_ELEMENTS = 1 << 16
# How long the waiting thread sleeps between checks for signals.
_WAIT_SECONDS = 0.02
# Pool threads never wait for one another, so a full pool only delays work.
_HELPER_POOL_SIZE = 256

_helper_pool: Optional[ThreadPoolExecutor] = None
_helper_pool_pid = 0
_helper_pool_lock = threading.Lock()


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


def helpers() -> ThreadPoolExecutor:
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


def wait_for(done: threading.Event) -> None:
    """Wait until ``done`` is set, letting signal handlers run meanwhile.

    An Event, not Thread.join: in CPython before 3.13, a KeyboardInterrupt that
    lands inside Thread.join can mark a still-running thread as stopped, and a
    later join then returns at once (CPython issue gh-90882/bpo-45274).
    """
    while not done.wait(_WAIT_SECONDS):
        pass


def run_interruptible(call: Callable[[Optional[_lib.CancelFlag]], Any]) -> Any:
    """``call(cancel)`` made on a pool thread while the calling thread waits.

    A C call cannot be interrupted: Python runs its signal handlers only
    between bytecodes.  Waiting here instead lets Ctrl-C raise
    KeyboardInterrupt at once; the call's cancel flag then stops the C threads
    at their next chunk, and they are joined before the exception propagates.
    The array functions, ranges and next/prev primes all run through here.
    """
    cancel = _lib.CancelFlag()
    outcome: list[Any] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append(call(cancel))
        except BaseException as exc:  # re-raised on the calling thread
            outcome.append(exc)
        finally:
            done.set()

    helpers().submit(work)
    try:
        wait_for(done)
    except BaseException:
        cancel.set()
        done.wait()
        raise
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def interruptible(values: np.ndarray, out: Optional[np.ndarray], threads: int, method: int) -> int:
    """One C call of the array functions, through :func:`run_interruptible`."""
    return int(run_interruptible(lambda cancel: _kernel(values, out, threads, method, cancel)))


def threaded(
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
        pool = helpers()
        for slot in range(1, workers):
            pool.submit(work, slot)
            submitted = slot
        work(0)
        for slot in range(1, workers):
            wait_for(finished[slot])
    except BaseException as exc:
        errors.append(exc)
        cancel.set()
        for slot in range(1, submitted + 1):
            finished[slot].wait()
        raise
    if errors:
        raise errors[0]
    return sum(totals)


def run(values: np.ndarray, out: Optional[np.ndarray], mode: str, threads: int, method: int) -> int:
    """Classify one kernel block in the given mode; return its prime count (0 when filling ``out``).

    ``values``: 1-D, C-contiguous, aligned, native kernel dtype; ``out``: None
    to count, else a bool array of the same length, C-contiguous and writeable.
    """
    if threads > _MAX_THREADS:  # (not min(): this path is most of a small call's cost)
        threads = _MAX_THREADS
    size = values.size
    if mode == "threading" and threads > 1 and size >= 2 * _MIN_ELEMENTS_PER_THREAD:
        return threaded(values, out, threads, _THREADING_CHUNK, method)
    # pthreads: one C call on `threads` threads; serial: one C call on one.
    kernel_threads = threads if mode == "pthreads" else 1
    if size <= _DIRECT_CALL_ELEMENTS:
        if out is None:  # a small count: straight to the boundary
            return _lib.count_kernel(values, kernel_threads, method)
        return _kernel(values, out, kernel_threads, method)
    return interruptible(values, out, kernel_threads, method)
