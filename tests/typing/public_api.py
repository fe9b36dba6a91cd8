# SPDX-License-Identifier: MIT
"""Static checks of the public annotations: mypy (see .ci/static_checks.sh) checks
this file, pytest does not run it.  Each ``assert_type`` fails mypy if the type
it infers differs, e.g. if a scalar stopped being typed as ``numpy.bool_``."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
from numpy.typing import NDArray
from typing_extensions import assert_type

import primes

array = np.arange(10)
assert_type(primes.count(array), int)
assert_type(primes.count([2, 3, 4], mode="serial", threads=2, method="sieve"), int)
assert_type(primes.count(range(100)), int)

assert_type(primes.is_prime(7), np.bool_)
assert_type(primes.is_prime(np.uint64(7)), np.bool_)
assert_type(primes.is_prime(array), NDArray[np.bool_])
assert_type(primes.is_prime([2, 3, 4]), NDArray[np.bool_])
assert_type(primes.is_prime(range(10)), NDArray[np.bool_])

# count along axes: what numpy.count_nonzero's stubs say (an array, or an intp
# scalar when no axis is left); the total stays an int.
assert_type(primes.count(array, None), int)
assert_type(primes.count(array, axis=0), Any)
assert_type(primes.count(array, axis=(0,), keepdims=True), Any)
assert_type(primes.count(array, keepdims=True), Any)

# is_prime(out=...) returns out, with its own type.
out: NDArray[np.bool_] = np.zeros(10, dtype=np.bool_)
assert_type(primes.is_prime(array, out=out), NDArray[np.bool_])
assert_type(primes.is_prime(array, out), NDArray[np.bool_])
assert_type(primes.is_prime(array, out=None), NDArray[np.bool_])

assert_type(primes.get_threads(), int)
with primes.set_threads(-1):
    pass
assert_type(primes.show_config(), None)
assert_type(primes.show_config(mode="dicts"), dict[str, dict[str, Any]])
assert_type(primes.register_threadpoolctl(), None)
assert_type(primes.MODES, tuple[str, str, str])
assert_type(primes.METHODS, tuple[str, str, str])
assert_type(primes.reference.is_prime(7), bool)
assert_type(primes.reference.count(range(10)), int)
assert_type(primes.__version__, str)

threads: Optional[int] = None
assert_type(primes.count(array, threads=threads), int)

# ranges and generation
assert_type(primes.count(range(10**6)), int)
assert_type(primes.primes(100), NDArray[np.integer[Any]])
assert_type(primes.primes(10, 100, dtype=np.uint16, threads=2, mode="serial"), NDArray[np.integer[Any]])
assert_type(primes.reference.primes(2, 100), list[int])
# next_prime/prev_prime keep the dtype of a NumPy scalar; arrays stay arrays.
assert_type(primes.next_prime(np.uint32(7)), np.uint32)
assert_type(primes.prev_prime(np.int64(7)), np.int64)
assert_type(primes.next_prime(array), NDArray[Any])
assert_type(primes.prev_prime([3, 4, 5]), NDArray[Any])
assert_type(primes.reference.next_prime(7), int)
assert_type(primes.reference.prev_prime(7), int)
