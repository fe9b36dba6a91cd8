# SPDX-License-Identifier: MIT
"""The methods the benchmark compares: ours, the blog's designs, peer libraries.

Each ``*_methods`` function returns a list of :class:`harness.Method` and a
list of notes for methods it could not offer (a peer package not installed).
A method whose package is missing is left out with a printed note rather than
failing the run, so ``python bench/run.py`` works with any subset of the
``[bench]`` extra installed.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, List, Optional, Tuple

import numpy as np

import primes
from harness import BenchInput, Method
from primes.cli import available_memory as _available_memory_bytes

__all__ = ["reference_methods", "our_methods", "blog_methods", "peer_methods", "SLOW_DESIGNS_MAX_N"]

# Pure Python and the blog's designs are timed only up to this many elements,
# and only on arange inputs: pure Python takes seconds at 10^6, and on random
# 31-bit values trial division is ~100 times slower than on 0..10^6.
SLOW_DESIGNS_MAX_N = 10**6
# gmpy2 and python-flint loop over a Python list: full inputs up to 10^7
# (seconds per call), a random sample of 10^6 elements beyond.
PYTHON_LOOP_MAX_N = 10**7
PYTHON_LOOP_SAMPLE = 10**6
# sympy.isprime is slower still: always a sample of 10^4 elements.
SYMPY_SAMPLE = 10**4
# A NumPy sieve up to 2^31 takes ~14 s per call here; above this it is skipped.
NUMPY_SIEVE_MAX_VALUE = 2**28
# The primesieve table is one byte per integer up to the maximum: below 2^32
# only, and only if it fits in half the memory available.
TABLE_MAX_VALUE = 2**32
# primesieve returns the primes of a segment as one array of uint64; 2^27 per
# segment bounds that to ~60 MB however large the table.
PRIMESIEVE_SEGMENT = 2**27

Notes = List[str]


def _skip_table(bench_input: BenchInput, max_value: int) -> Optional[str]:
    """Why a lookup table up to the input's maximum is not built, or None."""
    if bench_input.min_value < 0:
        return "negative values: no table lookup"
    if bench_input.max_value >= max_value:
        return f"values reach 2^{math.log2(max_value):.0f} or more: no table that large"
    needed = bench_input.max_value + 1 + bench_input.size
    available = _available_memory_bytes()
    if available is not None and needed > available // 2:
        return f"a {needed / 2**30:.1f} GiB table exceeds half the available memory"
    return None


def _only_arange_up_to(max_n: int) -> Callable[[BenchInput], Optional[str]]:
    def skip(bench_input: BenchInput) -> Optional[str]:
        if bench_input.family != "arange":
            return "arange inputs only (trial division of random 31/64-bit values takes minutes)"
        if bench_input.size > max_n:
            return f"only up to N = 10^{round(math.log10(max_n))} (too slow beyond)"
        return None

    return skip


def _to_list(array: np.ndarray) -> List[int]:
    return array.tolist()  # type: ignore[no-any-return]


# --- the one-memory-pass reference -----------------------------------------


def reference_methods() -> Tuple[List[Method], Notes]:
    """``a.sum()``: one pass over the array's memory, the floor for any counter."""
    return [Method("sum", "a.sum() (one memory pass)", "reference", lambda a: a.sum(), returns_count=False)], []


# --- ours --------------------------------------------------------------------


def our_methods(cpus: int) -> Tuple[List[Method], Notes]:
    """``primes.count`` in each mode, plus forced engines where the choice matters.

    The forced ``method="test"`` / ``"sieve"`` rows show what the automatic
    choice saves; on random uint64 input nearly every value is >= 2^32, where
    both are the same test, so they are not repeated there.
    """
    methods = [
        Method("ours-pthreads", f"ours mode=pthreads ({cpus} threads)", "ours",
               lambda a: primes.count(a, mode="pthreads", threads=cpus)),
        Method("ours-threading", f"ours mode=threading ({cpus} threads)", "ours",
               lambda a: primes.count(a, mode="threading", threads=cpus)),
        Method("ours-serial", "ours mode=serial", "ours", lambda a: primes.count(a, mode="serial")),
    ]

    def not_on_random64(bench_input: BenchInput) -> Optional[str]:
        return "random values >= 2^32 are too sparse to sieve, so the forced sieve tests them too: same as auto" if bench_input.family == "random64" else None

    for engine in ("test", "sieve"):
        methods.append(
            Method(f"ours-pthreads-{engine}", f"ours mode=pthreads method={engine}", "ours",
                   functools.partial(primes.count, mode="pthreads", threads=cpus, method=engine),
                   skip=not_on_random64)
        )
    return methods, []


#: Keys of the rows that are "ours" in the default (auto) engine: "best mode" is the fastest of these.
OUR_MODE_KEYS = ("ours-pthreads", "ours-threading", "ours-serial")


# --- the blog ---------------------------------------------------------------


def blog_methods(library: "object | None") -> Tuple[List[Method], Notes]:
    """The blog's four designs, plus primes.reference for comparison.

    ``library`` is the loaded :class:`blog.BlogLibrary`, or None if it could
    not be compiled (then only the pure-Python rows run).  The input of every
    row is a Python list, as in the blog; making it is not timed.
    """
    import blog
    from primes import reference

    skip = _only_arange_up_to(SLOW_DESIGNS_MAX_N)
    methods = [
        Method("blog-python", "blog (a) pure Python, odd trial division", "blog",
               blog.count_pure_python, prepare=_to_list, skip=skip),
        Method("reference", "primes.reference.count (6k+-1 trial div.)", "blog",
               reference.count, prepare=_to_list, skip=skip),
    ]
    notes: Notes = []
    if library is None:
        notes.append("blog (b)-(d): the blog C library could not be compiled; skipped")
    else:
        methods += [
            Method("blog-ctypes", "blog (b) ctypes, 1 C thread", "blog",
                   library.count_ctypes, prepare=_to_list, skip=skip),  # type: ignore[attr-defined]
            Method("blog-pthreads", "blog (c) ctypes, 4 C pthreads", "blog",
                   library.count_pthreads, prepare=_to_list, skip=skip),  # type: ignore[attr-defined]
            Method("blog-pythreads", "blog (d) 4 Python threads -> C", "blog",
                   library.count_python_threads, prepare=_to_list, skip=skip),  # type: ignore[attr-defined]
        ]
    return methods, notes


# --- peers ------------------------------------------------------------------


def _numpy_sieve_count(array: np.ndarray) -> int:
    """Sieve of Eratosthenes up to max(array) in NumPy, then a table lookup.

    Even numbers are struck in one slice, then for each odd prime p only its
    odd multiples from p*p (step 2p): the usual NumPy formulation.
    """
    limit = int(array.max()) + 1
    table = np.ones(max(limit, 2), dtype=np.bool_)
    table[:2] = False
    table[4::2] = False
    for p in range(3, math.isqrt(limit - 1) + 1, 2):
        if table[p]:
            table[p * p :: 2 * p] = False
    return int(np.count_nonzero(table[array]))


def _primesieve_table_count(array: np.ndarray, primes_between: Callable[[int, int], Any]) -> int:
    """primesieve's primes up to max(array) scattered into a bool table, then a lookup.

    ``primes_between`` is ``primesieve.primes``: (low, high) -> the primes in
    [low, high] as an array.array of uint64.
    """
    limit = int(array.max())
    table = np.zeros(limit + 1, dtype=np.bool_)
    for low in range(0, limit + 1, PRIMESIEVE_SEGMENT):
        high = min(low + PRIMESIEVE_SEGMENT - 1, limit)  # primesieve's bounds are inclusive
        table[np.frombuffer(primes_between(low, high), dtype=np.uint64)] = True
    return int(np.count_nonzero(table[array]))


def peer_methods() -> Tuple[List[Method], Notes]:
    """Peer libraries; any that is not installed is left out with a note."""
    methods: List[Method] = []
    notes: Notes = []

    try:
        import numba_mr
    except ImportError as exc:
        notes.append(f"numba parallel Miller-Rabin: skipped, numba not installed ({exc})")
    else:
        methods.append(Method("numba-mr", "numba parallel Miller-Rabin", "peer", numba_mr.count))

    try:
        import gmpy2
    except ImportError as exc:
        notes.append(f"gmpy2: skipped, not installed ({exc})")
    else:
        methods.append(Method("gmpy2", "sum(map(gmpy2.is_prime, a.tolist()))", "peer",
                              lambda a: sum(map(gmpy2.is_prime, a.tolist())), sample=PYTHON_LOOP_SAMPLE, sample_above=PYTHON_LOOP_MAX_N))

    try:
        import flint
    except ImportError as exc:
        notes.append(f"python-flint: skipped, not installed ({exc})")
    else:
        fmpz = flint.fmpz
        methods.append(Method("flint", "python-flint fmpz(x).is_prime() loop", "peer",
                              lambda a: sum(fmpz(x).is_prime() for x in a.tolist()), sample=PYTHON_LOOP_SAMPLE, sample_above=PYTHON_LOOP_MAX_N))

    try:
        import sympy
    except ImportError as exc:
        notes.append(f"sympy: skipped, not installed ({exc})")
    else:
        methods.append(Method("sympy", "sympy.isprime loop", "peer",
                              lambda a: sum(map(sympy.isprime, a.tolist())), sample=SYMPY_SAMPLE))

    try:
        import primesieve
    except ImportError as exc:
        notes.append(f"primesieve: skipped, not installed ({exc})")
    else:
        methods.append(Method("primesieve-table", "primesieve primes + NumPy bool table", "peer",
                              lambda a: _primesieve_table_count(a, primesieve.primes), skip=lambda i: _skip_table(i, TABLE_MAX_VALUE)))

    def skip_numpy_sieve(bench_input: BenchInput) -> Optional[str]:
        if bench_input.min_value >= 0 and bench_input.max_value >= NUMPY_SIEVE_MAX_VALUE:
            return "values reach 2^28: a NumPy sieve that far takes >10 s per call"
        return _skip_table(bench_input, NUMPY_SIEVE_MAX_VALUE)

    methods.append(Method("numpy-sieve", "NumPy sieve of Eratosthenes + lookup", "peer",
                          _numpy_sieve_count, skip=skip_numpy_sieve))
    return methods, notes
