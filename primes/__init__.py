# SPDX-License-Identifier: MIT
"""Count and test primes in NumPy integer arrays, exactly and fast.

The work is done by a C library with POSIX threads, called through ctypes
without copying the array.

Functions
---------
count(a, axis=None, *, keepdims, mode, threads, method)
    How many elements of ``a`` are prime, in all or along axes (as
    ``numpy.count_nonzero``).
is_prime(a, out=None, *, mode, threads, method)
    The boolean mask of the prime elements (``numpy.bool_`` for a scalar),
    laid out as a ufunc's result, or written into ``out``.
primes(start, stop=None, *, dtype, mode, threads, method)
    The sorted array of the primes in ``[start, stop)`` (``primes(stop)``:
    below ``stop``), sieved straight into the result.
next_prime(a, *, mode, threads, method)
    The smallest prime above each element, in ``a``'s dtype and shape.
prev_prime(a, *, mode, threads, method)
    The largest prime below each element.
set_threads(n)
    Context manager: the default thread count on the calling thread.
get_threads()
    The default thread count in force on the calling thread.
register_threadpoolctl()
    Make ``threadpoolctl.threadpool_limits`` limit primes' threads too.
show_config(mode="stdout")
    The version, the C library, how it was built, the default thread count.

Constants
---------
MODES : tuple of str
    The execution modes accepted by ``mode=``: ``"pthreads"`` (default; one C
    call that splits the work among POSIX threads), ``"threading"`` (Python
    threads, one C call per chunk) and ``"serial"`` (one thread).
METHODS : tuple of str
    The engines accepted by ``method=``: ``"auto"`` (default; a cost model
    chooses), ``"sieve"`` (segmented sieve of Eratosthenes) and ``"test"``
    (deterministic per-element test).
__version__ : str
    The package version.

Modules
-------
reference
    The pure-Python reference implementation (``is_prime(n)``, ``count(values)``,
    ``next_prime(n)``, ``prev_prime(n)``).

Examples
--------
>>> import numpy as np
>>> import primes
>>> primes.count(np.arange(10**6))
78498
>>> a = np.array([[2, 4], [97, 2**31 - 1]], dtype=np.int32)
>>> primes.is_prime(a)
array([[ True, False],
       [ True,  True]])
>>> primes.MODES
('pthreads', 'threading', 'serial')
>>> primes.METHODS
('auto', 'sieve', 'test')
>>> [primes.count(np.arange(1000), mode=mode) for mode in primes.MODES]
[168, 168, 168]
>>> primes.count(range(10**8))  # a range: sieved, never made into an array
5761455
>>> primes.primes(50)
array([ 2,  3,  5,  7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47])
"""

from . import (
    _lib,  # noqa: F401  # first: explains a missing compiled library (e.g. a source checkout)
    reference,
)
from ._api import METHODS, MODES, count, is_prime, primes
from ._config import show_config
from ._next import next_prime, prev_prime
from ._threadpoolctl import register_threadpoolctl
from ._threads import get_threads, set_threads
from ._version import __version__

__all__ = [
    "METHODS",
    "MODES",
    "count",
    "is_prime",
    "primes",
    "next_prime",
    "prev_prime",
    "get_threads",
    "set_threads",
    "register_threadpoolctl",
    "show_config",
    "reference",
    "__version__",
]
