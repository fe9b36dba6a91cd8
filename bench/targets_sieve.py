#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Targets S1-S6 (ranges and generation): ``python bench/run.py`` calls :func:`targets`; this file also runs alone.

    python bench/targets_sieve.py [--repeats 3] [--only S1,S4]

Each ratio is measured side by side in this run, interleaved round by round
(median of the rounds).  The peer is primesieve 11, through its C library
(``libprimesieve.so``, loaded with ctypes here: count with
``primesieve_count_primes`` after ``primesieve_set_num_threads``, generation
with ``primesieve_generate_primes`` into a C array that NumPy then views
without a copy) or, when the library is missing, its CLI
(``primesieve START STOP -c -tN --time``, the seconds it reports).

- S1 ``count(np.arange(2**40, 2**40 + 10**7))`` / ``a.sum()``: <= 3x.
- S2 ``count(range(10**10), threads=2)`` / primesieve [0, 10^10) on 2 threads:
  <= 1.5x, and peak RSS growth (in a child process) <= 64 MiB.
- S3 ``count(range(2**40, 2**40 + 10**9))`` and ``count(range(2**63, 2**63 +
  10**8))``, 2 threads / primesieve on the same interval: <= 1.5x.
- S4 4 x 10^6 random uint32, threads=2, ``method="sieve"``: threading mode,
  and a big-endian copy, each / pthreads mode on the native array: <= 1.5x.
- S5 ``primes.primes(10**9)`` / primesieve generating the same primes into
  an array: <= 2x, and peak RSS growth (child process) <= 1.2x the output.
- S6 ``count(rng.permutation(np.arange(2**40, 2**40 + 10**7)), threads=1)``
  per element, side by side with the sorted array (``PLAN_RUNS``) and with
  ``method="sieve"`` (the bucketed segmented sieve) and ``method="test"`` on
  the shuffled one (a target of the project's, not of an issue: the planner
  picks the cheaper engine for dense unordered input above 2^32, whichever
  the kernels of this CPU make it): auto / the faster forced method <= 1.1x.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, List, Optional, Tuple

import numpy as np

import primes
from harness import format_ratio, format_seconds
from report import Target

PI = {10**9: 50847534, 10**10: 455052511}
WINDOW_2_40 = 360841  # primes in [2^40, 2^40 + 10^7), tests/data/window_counts.json
S4_SEED = 4
S6_SEED = 6
INT64_PRIMES = 12  # primesieve.h's enum: the type of primesieve_generate_primes' output


def interleaved_medians(functions: List[Callable[[], object]], repeats: int) -> List[float]:
    """The median time of each function, calling each once per round (after one warm-up round)."""
    times: List[List[float]] = [[] for _ in functions]
    for round_number in range(repeats + 1):
        for index, function in enumerate(functions):
            start = time.perf_counter()
            function()
            if round_number:
                times[index].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


class Primesieve:
    """primesieve's C library through ctypes (bench only), or None when it is not installed."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("primesieve")
        self.lib: Optional[ctypes.CDLL] = ctypes.CDLL(name) if name else None
        if self.lib is not None:
            self.lib.primesieve_count_primes.restype = ctypes.c_uint64
            self.lib.primesieve_count_primes.argtypes = [ctypes.c_uint64, ctypes.c_uint64]
            self.lib.primesieve_set_num_threads.argtypes = [ctypes.c_int]
            self.lib.primesieve_generate_primes.restype = ctypes.c_void_p
            self.lib.primesieve_generate_primes.argtypes = [
                ctypes.c_uint64, ctypes.c_uint64, ctypes.POINTER(ctypes.c_size_t), ctypes.c_int]
            self.lib.primesieve_free.argtypes = [ctypes.c_void_p]
            self.lib.primesieve_version.restype = ctypes.c_char_p

    def version(self) -> str:
        if self.lib is None:
            return "primesieve CLI " + subprocess.run(["primesieve", "--version"], capture_output=True,
                                                      text=True).stdout.strip()
        return "libprimesieve " + self.lib.primesieve_version().decode()

    def count(self, first: int, last: int, threads: int) -> int:
        """Primes in [first, last] (inclusive, as primesieve takes it)."""
        if self.lib is None:
            out = subprocess.run(["primesieve", str(first), str(last), "-c", f"-t{threads}"],
                                 capture_output=True, text=True, check=True).stdout
            return int(re.search(r"Primes: (\d+)", out).group(1))  # type: ignore[union-attr]
        self.lib.primesieve_set_num_threads(threads)
        return int(self.lib.primesieve_count_primes(first, last))

    def generate(self, first: int, last: int) -> np.ndarray:
        """The primes of [first, last] as a NumPy int64 array (the C array, copied once into NumPy's)."""
        assert self.lib is not None
        size = ctypes.c_size_t(0)
        pointer = self.lib.primesieve_generate_primes(first, last, ctypes.byref(size), INT64_PRIMES)
        try:
            view = np.ctypeslib.as_array(ctypes.cast(pointer, ctypes.POINTER(ctypes.c_int64)), shape=(size.value,))
            return view.copy()  # the array a user gets (primesieve's buffer must be freed by primesieve)
        finally:
            self.lib.primesieve_free(pointer)


CHILD_RSS = r"""
import json, sys
import numpy as np
import primes

def status():
    with open("/proc/self/status") as f:
        return {k: int(v.split()[0]) for k, _, v in (line.partition(":") for line in f) if k in ("VmRSS", "VmHWM")}

primes.count(range(1000)); primes.primes(1000)
try:  # reset the peak to the current RSS (Linux >= 4.0), as bench/memprobe.py does
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    reset = True
except OSError:
    reset = False
before = status()
base = before["VmRSS"] if reset else max(before.values())
result = eval(sys.argv[1])
after = status()
size = int(result.nbytes) if hasattr(result, "nbytes") else 0
answer = int(result.size) if hasattr(result, "size") else int(result)
print(json.dumps({"growth_mib": (after["VmHWM"] - base) / 1024, "output_mib": size / 2**20, "answer": answer,
                  "peak_reset": reset}))
"""


def rss_growth(expression: str) -> dict:
    """Peak RSS growth (MiB) of evaluating ``expression`` in a fresh interpreter, after imports and a warm-up."""
    done = subprocess.run([sys.executable, "-c", CHILD_RSS, expression], capture_output=True, text=True,
                          check=True, cwd=tempfile.gettempdir())
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def s1(repeats: int) -> Tuple[List[Target], List[str]]:
    a = np.arange(2**40, 2**40 + 10**7)
    problems = [] if primes.count(a) == WINDOW_2_40 else [f"S1: count gave {primes.count(a)}, expected {WINDOW_2_40}"]
    counted, summed = interleaved_medians([lambda: primes.count(a), lambda: a.sum()], max(repeats, 5))
    ratio = counted / summed
    return [Target("S1", "count(np.arange(2**40, 2**40 + 10**7)) / a.sum()", format_ratio(ratio), "<= 3x",
                   ratio <= 3, f"count: {format_seconds(counted)}; a.sum(): {format_seconds(summed)}")], problems


def _vs_primesieve(name: str, label: str, r: range, expected: Optional[int], peer: Primesieve, repeats: int,
                   limit: float) -> Tuple[Target, List[str]]:
    problems = []
    ours_answer = primes.count(r, threads=2)
    theirs_answer = peer.count(r.start, r.stop - 1, 2)
    if ours_answer != theirs_answer or (expected is not None and ours_answer != expected):
        problems.append(f"{name} {label}: primes {ours_answer}, primesieve {theirs_answer}, known {expected}")
    ours, theirs = interleaved_medians([lambda: primes.count(r, threads=2), lambda: peer.count(r.start, r.stop - 1, 2)],
                                       repeats)
    ratio = ours / theirs
    return Target(name, f"{label}, 2 threads: primes / primesieve", format_ratio(ratio), f"<= {limit}x",
                  ratio <= limit, f"primes: {format_seconds(ours)}; {peer.version()}: {format_seconds(theirs)}"), problems


def s2(repeats: int, peer: Primesieve) -> Tuple[List[Target], List[str]]:
    target, problems = _vs_primesieve("S2", "count(range(10**10))", range(10**10), PI[10**10], peer, repeats, 1.5)
    memory = rss_growth("primes.count(range(10**10), threads=2)")
    if memory["answer"] != PI[10**10]:
        problems.append(f"S2 memory child: {memory['answer']}")
    rss = Target("S2", "count(range(10**10)), 2 threads: peak RSS growth", f"{memory['growth_mib']:.1f} MiB",
                 "<= 64 MiB", memory["growth_mib"] <= 64, "VmHWM growth in a child process, after import and a warm-up call")
    return [target, rss], problems


def s3(repeats: int, peer: Primesieve) -> Tuple[List[Target], List[str]]:
    found: List[Target] = []
    problems: List[str] = []
    for label, r in (("count(range(2**40, 2**40 + 10**9))", range(2**40, 2**40 + 10**9)),
                     ("count(range(2**63, 2**63 + 10**8))", range(2**63, 2**63 + 10**8))):
        target, more = _vs_primesieve("S3", label, r, None, peer, repeats, 1.5)
        found.append(target)
        problems += more
    return found, problems


def s4(repeats: int) -> Tuple[List[Target], List[str]]:
    values = np.random.default_rng(S4_SEED).integers(0, 2**32, size=4 * 10**6, dtype=np.uint32)
    swapped = values.astype(values.dtype.newbyteorder())
    expected = primes.count(values, method="test", threads=2)
    problems = []
    calls = {
        "pthreads, native": lambda: primes.count(values, method="sieve", threads=2),
        "threading, native": lambda: primes.count(values, method="sieve", threads=2, mode="threading"),
        "pthreads, big-endian": lambda: primes.count(swapped, method="sieve", threads=2),
    }
    for label, call in calls.items():
        if call() != expected:
            problems.append(f"S4 {label}: {call()} primes, the test says {expected}")
    times = dict(zip(calls, interleaved_medians(list(calls.values()), max(repeats, 5))))
    base = times["pthreads, native"]
    found = []
    for label in ("threading, native", "pthreads, big-endian"):
        ratio = times[label] / base
        found.append(Target("S4", f"4x10^6 random uint32, method='sieve', threads=2: {label} / pthreads native",
                            format_ratio(ratio), "<= 1.5x", ratio <= 1.5,
                            f"{label}: {format_seconds(times[label])}; pthreads native: {format_seconds(base)}"))
    return found, problems


def s5(repeats: int, peer: Primesieve) -> Tuple[List[Target], List[str]]:
    if peer.lib is None:
        return [Target("S5", "primes.primes(10**9) / primesieve", "n/a", "<= 2x", None,
                       "libprimesieve not installed (apt-get install libprimesieve-dev)")], []
    ours_array = primes.primes(10**9)
    theirs_array = peer.generate(0, 10**9 - 1)
    problems = [] if np.array_equal(ours_array, theirs_array) else ["S5: primes(10**9) differs from primesieve's"]
    del ours_array, theirs_array
    ours, theirs = interleaved_medians([lambda: primes.primes(10**9), lambda: peer.generate(0, 10**9 - 1)], repeats)
    ratio = ours / theirs
    memory = rss_growth("primes.primes(10**9)")
    if memory["answer"] != PI[10**9]:
        problems.append(f"S5 memory child: {memory['answer']} primes")
    memory_ratio = memory["growth_mib"] / memory["output_mib"]
    return [
        Target("S5", "primes.primes(10**9) / primesieve_generate_primes into a NumPy array", format_ratio(ratio),
               "<= 2x", ratio <= 2, f"primes: {format_seconds(ours)} (default threads); "
               f"{peer.version()}: {format_seconds(theirs)} (its generation is single-threaded; the copy into "
               "NumPy's memory included)"),
        Target("S5", "primes.primes(10**9): peak RSS growth / output size", format_ratio(memory_ratio), "<= 1.2x",
               memory_ratio <= 1.2, f"{memory['growth_mib']:.1f} MiB for {memory['output_mib']:.1f} MiB of output"),
    ], problems


def s6(repeats: int) -> Tuple[List[Target], List[str]]:
    ordered = np.arange(2**40, 2**40 + 10**7)
    shuffled = np.random.default_rng(S6_SEED).permutation(ordered)
    calls = {
        "shuffled": lambda: primes.count(shuffled, threads=1),
        "sorted": lambda: primes.count(ordered, threads=1),
        "shuffled, method='sieve'": lambda: primes.count(shuffled, threads=1, method="sieve"),
        "shuffled, method='test'": lambda: primes.count(shuffled, threads=1, method="test"),
    }
    problems = [f"S6 {label}: {call()} primes, expected {WINDOW_2_40}" for label, call in calls.items()
                if call() != WINDOW_2_40]
    times = dict(zip(calls, interleaved_medians(list(calls.values()), max(repeats, 5))))
    per_element = {label: t / ordered.size for label, t in times.items()}
    ratio = times["shuffled"] / min(times["shuffled, method='sieve'"], times["shuffled, method='test'"])
    detail = "; ".join(f"{label}: {per_element[label] * 1e9:.2f} ns/element ({format_seconds(t)})"
                       for label, t in times.items())
    return [Target("S6", "count(shuffled np.arange(2**40, 2**40 + 10**7)), threads=1: auto / the faster of "
                   "method='sieve' and 'test'", format_ratio(ratio), "<= 1.1x", ratio <= 1.1,
                   f"{detail}; shuffled / sorted: {format_ratio(times['shuffled'] / times['sorted'])}")], problems


def targets(repeats: int, only: Optional[List[str]] = None) -> Tuple[List[Target], List[str]]:
    """Every S target measured in this run, and the problems found (for bench/run.py)."""
    peer = Primesieve()
    found: List[Target] = []
    problems: List[str] = []
    steps: List[Tuple[str, Callable[[], Tuple[List[Target], List[str]]]]] = [
        ("S1", lambda: s1(repeats)),
        ("S2", lambda: s2(repeats, peer)),
        ("S3", lambda: s3(repeats, peer)),
        ("S4", lambda: s4(repeats)),
        ("S5", lambda: s5(repeats, peer)),
        ("S6", lambda: s6(repeats)),
    ]
    for name, step in steps:
        if only and name not in only:
            continue
        more, trouble = step()
        found += more
        problems += trouble
    return found, problems


def main(argv: Any = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated targets, e.g. S1,S6")
    args = parser.parse_args(argv)
    found, problems = targets(args.repeats, [s for s in args.only.split(",") if s] or None)
    for target in found:
        print(f"{target.name} {target.what}: {target.measured} (required {target.required}: {target.verdict}); "
              f"{target.detail}", flush=True)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
