"""Thread-count controls: the ``threads=`` keyword, a thread-local context
manager and the ``PRIMES_NUM_THREADS`` environment variable (scipy.fft's
``workers`` is the model)."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from typing import Iterator, Optional

__all__ = ["ENV_VAR", "available_cpus", "get_threads", "set_threads", "resolve_threads"]

#: Environment variable giving the default number of threads.
ENV_VAR = "PRIMES_NUM_THREADS"

_local = threading.local()


@functools.lru_cache(maxsize=None)
def available_cpus() -> int:
    """Return the number of CPUs this process may run on (read once, then cached)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _check_positive_int(value: object, what: str) -> int:
    # bool is an int subclass but threads=True is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, int) and not hasattr(value, "__index__"):
        raise ValueError(f"{what} must be a positive integer or None, got {value!r}")
    number = int(value.__index__())  # type: ignore[attr-defined]
    if number < 1:
        raise ValueError(f"{what} must be a positive integer or None, got {value!r}")
    return number


# os.environ.get encodes the key on every call (about 1 us, a tenth of a small
# call's budget); on POSIX, os.environ keeps its encoded items in the dict
# _data, which it updates on every change, so a lookup there is equivalent.
_ENVIRON_DATA = getattr(os.environ, "_data", None)
_ENV_KEY = os.fsencode(ENV_VAR) if os.name == "posix" else ENV_VAR


def _env_value() -> str:
    if isinstance(_ENVIRON_DATA, dict):
        raw = _ENVIRON_DATA.get(_ENV_KEY)
        if raw is None:
            return ""
        return os.fsdecode(raw) if isinstance(raw, bytes) else str(raw)
    return os.environ.get(ENV_VAR, "")


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


def get_threads() -> int:
    """Return the number of threads calls on this thread use by default.

    This is the value set by the innermost :func:`set_threads` block on the
    calling thread, else ``PRIMES_NUM_THREADS`` if set, else the number of
    CPUs this process may use.

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
    return _default_threads()


@contextlib.contextmanager
def set_threads(threads: int) -> Iterator[None]:
    """Context manager setting the default thread count on the calling thread.

    Parameters
    ----------
    threads : int
        Threads for calls made inside the block with ``threads=None``.  A
        negative value counts back from the number of available CPUs
        (``-1`` means all of them, ``-2`` all but one); 0 is an error.

    Examples
    --------
    >>> import numpy as np, primes
    >>> with primes.set_threads(1):
    ...     primes.count(np.arange(100))
    25
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
