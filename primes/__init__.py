"""Count and test primes in NumPy integer arrays, exactly and fast.

The work is done by a C library with POSIX threads, called through ctypes
without copying the array.

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
"""

from importlib.metadata import PackageNotFoundError, version as _version

from . import _lib  # first: explains a missing compiled library (e.g. a source checkout)
from ._api import METHODS, MODES, count, is_prime
from ._threads import get_threads, set_threads

try:
    __version__ = _version("primes")
except PackageNotFoundError:  # pragma: no cover - only without package metadata
    __version__ = "0+unknown"

__all__ = ["METHODS", "MODES", "count", "is_prime", "get_threads", "set_threads", "__version__"]
