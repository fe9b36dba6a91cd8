# SPDX-License-Identifier: MIT
"""Thread-count controls: the ``threads=`` keyword, a thread-local context
manager, a process-wide limit that threadpoolctl may set, and the
``PRIMES_NUM_THREADS`` environment variable (scipy.fft's ``workers`` and
``set_workers`` are the model).

A call with ``threads=None`` uses, in this order: the innermost
:func:`set_threads` block on the calling thread; the limit of an active
``threadpoolctl.threadpool_limits`` block (only after
:func:`primes.register_threadpoolctl`); ``PRIMES_NUM_THREADS``; the CPUs this
process may use.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from typing import Optional

from . import _env

__all__ = [
    "ENV_VAR",
    "available_cpus",
    "default_source",
    "get_threads",
    "process_limit",
    "resolve_threads",
    "set_process_limit",
    "set_threads",
    "unlimited_default",
]

#: Environment variable giving the default number of threads.
ENV_VAR = "PRIMES_NUM_THREADS"

_local = threading.local()

# The process-wide limit set through threadpoolctl (see _threadpoolctl.py), or
# None.  Process-wide, unlike set_threads, because threadpool_limits is: it is
# typically entered on one thread to limit the work of a whole thread pool.
_process_limit: Optional[int] = None


@functools.cache
def available_cpus() -> int:
    """Return the number of CPUs this process may run on (read once, then cached)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _check_positive_int(value: object, what: str) -> int:
    # bool is an int subclass but threads=True is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, int) and not hasattr(value, "__index__"):
        raise ValueError(f"{what} must be a positive integer or None, got {value!r}")
    number = int(value.__index__())
    if number < 1:
        raise ValueError(f"{what} must be a positive integer or None, got {value!r}")
    return number


_env_value = _env.reader(ENV_VAR)


def _default_threads() -> int:
    text = _env_value().strip()
    if not text:
        return available_cpus()
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"environment variable {ENV_VAR} must be a positive integer, got {text!r}")
    return number


def unlimited_default() -> int:
    """The default without set_threads or a threadpoolctl limit: the variable, else the CPUs."""
    return _default_threads()


def process_limit() -> Optional[int]:
    """The process-wide limit set through threadpoolctl, or None."""
    return _process_limit


def set_process_limit(threads: Optional[int]) -> None:
    """Set (or, with None, remove) the process-wide limit; for the threadpoolctl controller."""
    global _process_limit
    _process_limit = None if threads is None else _check_positive_int(threads, "the threadpoolctl limit")


def get_threads() -> int:
    """Return the number of threads that calls on this thread use by default.

    Returns
    -------
    int
        The thread count that :func:`primes.count` and :func:`primes.is_prime`
        use when called with ``threads=None`` on the calling thread: the
        value of the innermost :func:`set_threads` block on this thread, else
        the limit of an active ``threadpoolctl.threadpool_limits`` block (once
        :func:`primes.register_threadpoolctl` was called), else the
        environment variable ``PRIMES_NUM_THREADS`` if set, else the number of
        CPUs this process may run on (``os.sched_getaffinity``).

    Raises
    ------
    ValueError
        If the value comes from ``PRIMES_NUM_THREADS`` and that is not a
        positive integer.

    See Also
    --------
    set_threads : change it for a block of code on this thread.

    Examples
    --------
    >>> import primes
    >>> with primes.set_threads(2):
    ...     primes.get_threads()
    2
    """
    override: Optional[int] = getattr(_local, "threads", None)
    if override is not None:
        return override
    if _process_limit is not None:
        return _process_limit
    return _default_threads()


def default_source() -> str:
    """Say where :func:`get_threads` takes its value from on this thread (for show_config)."""
    if getattr(_local, "threads", None) is not None:
        return "a primes.set_threads() block on this thread"
    if _process_limit is not None:
        return "a threadpoolctl.threadpool_limits() block"
    if _env_value().strip():
        return f"the environment variable {ENV_VAR}"
    return "the CPUs available to this process"


@contextlib.contextmanager
def set_threads(threads: int) -> Iterator[None]:
    """Context manager setting the default thread count on the calling thread.

    Modelled on :func:`scipy.fft.set_workers`: the setting is local to the
    calling thread (threads started inside the block do not inherit it),
    blocks nest, and the previous value comes back when the block ends, also
    through an exception.  It takes precedence over a threadpoolctl limit and
    over ``PRIMES_NUM_THREADS``; an explicit ``threads=`` argument takes
    precedence over it.

    Parameters
    ----------
    threads : int
        Threads for calls made inside the block with ``threads=None``.  A
        negative value counts back from the number of CPUs this process may
        use (``-1`` means all of them, ``-2`` all but one); 0 is an error.
        Values above the CPU count are allowed.

    Yields
    ------
    None

    Raises
    ------
    ValueError
        On entering the block, if ``threads`` is 0, not an integer (bools
        included), or counts back past the number of CPUs.

    See Also
    --------
    get_threads : the value in force.

    Notes
    -----
    Differences from scipy.fft: the default (outside any block) is every
    available CPU, not 1; negative values count back from the CPUs this
    process may use (its affinity mask), not ``os.cpu_count()``; invalid
    values raise ``ValueError`` rather than ``TypeError``; and the
    ``threads=`` argument of :func:`primes.count` must be positive (no
    counting back per call).

    Examples
    --------
    >>> import numpy as np
    >>> import primes
    >>> with primes.set_threads(1):
    ...     primes.get_threads(), primes.count(np.arange(100))
    (1, 25)
    """
    if isinstance(threads, bool) or not hasattr(threads, "__index__"):
        raise ValueError(f"threads must be a nonzero integer, got {threads!r}")
    number = int(threads.__index__())
    if number == 0:
        raise ValueError("threads must be a nonzero integer, got 0")
    if number < 0:
        cpus = available_cpus()
        if -number > cpus:
            raise ValueError(f"threads={number} counts back past the {cpus} available CPUs")
        number = cpus + 1 + number
    previous = getattr(_local, "threads", None)
    _local.threads = number
    try:
        yield
    finally:
        _local.threads = previous


def resolve_threads(threads: Optional[int]) -> int:
    """Return the thread count for a call given its ``threads`` argument."""
    if threads is None:
        return get_threads()
    return _check_positive_int(threads, "threads")
