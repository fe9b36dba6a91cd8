# SPDX-License-Identifier: MIT
"""The blog experiment, reimplemented with a correct primality test.

The blog post this package grows from timed four ways of counting the primes in
a Python list of 10**6 numbers.  They are rebuilt here from its description, as
the baselines of ``bench/run.py``:

(a) :func:`count_pure_python` -- trial division in pure Python.
(b) :meth:`BlogLibrary.count_ctypes` -- one C function, ``count_primes(int32_t
    *nums, int n)``, called through ctypes on ``(ctypes.c_int32 * n)(*list)``.
(c) :meth:`BlogLibrary.count_pthreads` -- the same in C with 4 POSIX threads,
    thread t taking elements t, t + 4, t + 8, ...
(d) :meth:`BlogLibrary.count_python_threads` -- 4 Python threads, each calling
    the single-thread C function on its strided slice ``nums[t::4]``.

All four divide by 2 and then by every odd d with d * d <= x, as the blog did
(its bug was elsewhere: it reported 921295 primes below 10**6 instead of
78498).  The input is a Python list, as in the blog; converting it to a ctypes
array is part of each timed call, because the blog's design has to do it.
"""

from __future__ import annotations

import ctypes
import math
import os
import shlex
import subprocess
import threading
from pathlib import Path
from typing import List, Sequence

__all__ = ["BLOG_THREADS", "BlogLibrary", "build", "count_pure_python", "is_prime_pure_python"]

#: Threads of designs (c) and (d); fixed at 4 as in the blog, whatever the CPU count.
BLOG_THREADS = 4

SOURCE = Path(__file__).with_name("count_primes.c")


def is_prime_pure_python(x: int) -> bool:
    """Trial division by 2, then by odd numbers up to sqrt(x): design (a)'s test."""
    if x < 2:
        return False
    if x < 4:
        return True
    if x % 2 == 0:
        return False
    limit = math.isqrt(x)
    for divisor in range(3, limit + 1, 2):
        if x % divisor == 0:
            return False
    return True


def count_pure_python(nums: Sequence[int]) -> int:
    """Design (a): the number of primes in ``nums``, one Python-level test per element."""
    return sum(1 for x in nums if is_prime_pure_python(x))


class BlogLibrary:
    """The compiled blog C code, loaded with ctypes, and designs (b) to (d)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        lib = ctypes.CDLL(os.fspath(path))
        # The blog passed the ctypes array straight through; declaring the types
        # only adds checking.  CDLL releases the GIL for the call, which design
        # (d) relies on.
        for name in ("count_primes", "count_primes_pthreads"):
            function = getattr(lib, name)
            function.argtypes = [ctypes.POINTER(ctypes.c_int32), ctypes.c_int]
            function.restype = ctypes.c_int
        self._count = lib.count_primes
        self._count_pthreads = lib.count_primes_pthreads

    @staticmethod
    def _as_c_array(nums: Sequence[int]) -> ctypes.Array:  # type: ignore[type-arg]
        """The blog's list-to-C conversion: one Python-level step per element."""
        return (ctypes.c_int32 * len(nums))(*nums)

    def count_ctypes(self, nums: Sequence[int]) -> int:
        """Design (b): convert the list, then one call to the single-thread C function."""
        return int(self._count(self._as_c_array(nums), len(nums)))

    def count_pthreads(self, nums: Sequence[int]) -> int:
        """Design (c): convert the list, then one call that runs 4 strided C threads."""
        total = int(self._count_pthreads(self._as_c_array(nums), len(nums)))
        if total < 0:
            raise RuntimeError("count_primes_pthreads could not start its threads")
        return total

    def count_python_threads(self, nums: List[int]) -> int:
        """Design (d): 4 Python threads, each slicing, converting and counting nums[t::4]."""
        totals = [0] * BLOG_THREADS

        def work(first: int) -> None:
            part = nums[first::BLOG_THREADS]
            totals[first] = int(self._count(self._as_c_array(part), len(part)))

        workers = [threading.Thread(target=work, args=(t,)) for t in range(BLOG_THREADS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return sum(totals)


def build(build_dir: Path, compiler: str = "") -> BlogLibrary:
    """Compile ``count_primes.c`` into ``build_dir`` and load it.

    Compiled afresh on every run (it takes a fraction of a second) so that the
    library always matches the source.  ``compiler`` defaults to ``$CC``, else
    ``cc``; the flags are the blog's: ``-O2 -shared -fPIC`` (plus ``-pthread``).
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    output = build_dir / "libblogprimes.so"
    command = shlex.split(compiler or os.environ.get("CC", "cc"))
    command += ["-O2", "-shared", "-fPIC", "-pthread", "-o", os.fspath(output), os.fspath(SOURCE)]
    subprocess.run(command, check=True)
    return BlogLibrary(output)
