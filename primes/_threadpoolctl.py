# SPDX-License-Identifier: MIT
"""Opt-in support for ``threadpoolctl.threadpool_limits``.

threadpoolctl finds the thread pools of the shared libraries loaded in the
process through controller classes registered with ``threadpoolctl.register``.
Registering one means importing threadpoolctl, and ``import primes`` must not
import optional packages, so registration is explicit:
:func:`register_threadpoolctl`.

The C library keeps no thread setting of its own (every call is told how
many threads to use), so the controller acts on Python state: a process-wide
limit that :func:`primes.get_threads` consults after ``set_threads`` blocks and
before ``PRIMES_NUM_THREADS``.
"""

from __future__ import annotations

import threading
from typing import Any, Optional

from . import _threads
from ._version import __version__

__all__ = ["register_threadpoolctl"]

_registered = False
_registration_lock = threading.Lock()


def _controller_class(base: Any) -> Any:
    """Build the controller class on threadpoolctl's ``LibController`` (known only once imported)."""

    class PrimesController(base):  # type: ignore[misc]  # threadpoolctl is untyped
        user_api = "primes"
        internal_api = "primes"
        filename_prefixes = ("libprimes",)
        # libprimesieve.so also starts with "libprimes": a library counts as
        # ours only if it has our entry point.
        check_symbols = ("primes_abi_version",)

        def get_num_threads(self) -> Optional[int]:
            limit = _threads.process_limit()
            if limit is not None:
                return limit
            try:
                return _threads.unlimited_default()
            except ValueError:  # a bad PRIMES_NUM_THREADS must not break threadpool_info()
                return None

        def set_num_threads(self, num_threads: Optional[int]) -> None:
            # Leaving a threadpool_limits block calls this method again with the
            # value get_num_threads reported on entry.  A value equal to the
            # default without a limit is taken as "no limit", so that leaving
            # the block does not freeze that default (PRIMES_NUM_THREADS changed
            # later would otherwise be ignored); inside a block either reading
            # gives the same thread count.
            if num_threads is not None:
                try:
                    if num_threads == _threads.unlimited_default():
                        num_threads = None
                except ValueError:
                    pass  # a bad PRIMES_NUM_THREADS: keep the limit, which overrides it
            _threads.set_process_limit(num_threads)

        def get_version(self) -> str:
            return __version__

    return PrimesController


def register_threadpoolctl() -> None:
    """Make ``threadpoolctl.threadpool_limits`` limit the threads of primes too.

    After this call, a ``threadpool_limits(n)`` block (or one with
    ``user_api="primes"``) sets a process-wide default of ``n`` threads for
    :func:`primes.count` and :func:`primes.is_prime`, and
    ``threadpool_info()`` lists the library with ``user_api="primes"``.
    Calling it again does nothing.

    Raises
    ------
    ImportError
        If threadpoolctl (3.1 or newer, which has ``threadpoolctl.register``)
        is not installed.

    See Also
    --------
    set_threads : a thread-local default, which takes precedence.
    get_threads : the default in force.

    Notes
    -----
    Explicit rather than automatic because registering needs threadpoolctl
    imported, and ``import primes`` imports no optional package.  The limit
    is process-wide, like threadpoolctl's limits on BLAS libraries: it applies
    to calls from every thread, except inside a :func:`set_threads` block or
    with an explicit ``threads=`` argument.  The C library itself keeps no
    thread setting, so the limit is Python state read by
    :func:`get_threads`.  A limit equal to the default without any limit
    (``PRIMES_NUM_THREADS``, else the CPU count) is recorded as no limit.

    Examples
    --------
    >>> import numpy as np
    >>> import primes
    >>> from threadpoolctl import threadpool_limits
    >>> primes.register_threadpoolctl()
    >>> with threadpool_limits(limits=1):
    ...     primes.get_threads(), primes.count(np.arange(100))
    (1, 25)
    """
    global _registered
    with _registration_lock:
        if _registered:
            return
        try:
            import threadpoolctl
        except ImportError as exc:
            raise ImportError(
                "primes.register_threadpoolctl() needs threadpoolctl: pip install 'threadpoolctl>=3.1'"
            ) from exc
        if not hasattr(threadpoolctl, "register"):
            raise ImportError(
                f"primes.register_threadpoolctl() needs threadpoolctl >= 3.1 (threadpoolctl.register); "
                f"found {getattr(threadpoolctl, '__version__', 'an older version')}"
            )
        threadpoolctl.register(_controller_class(threadpoolctl.LibController))
        _registered = True
