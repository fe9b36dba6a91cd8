#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Targets N1-N3 (next_prime, prev_prime, count along an axis): ``python bench/run.py`` calls :func:`targets`; this file also runs alone.

    python bench/targets_next.py [--repeats 7] [--only N1,N2,N3]

N1: ``next_prime`` over 10^6 random uint64 below 2^63, against FLINT's
``n_nextprime`` in a C loop (``bench/flint_nextprime.c``, built here against
the libflint of python-flint's wheel and the system's FLINT headers; one
core each: ``threads=1``), required >= 2x, and against a ``gmpy2.next_prime``
loop (``threads=2``), required >= 20x.  Per core is CPU time (both sides
measure their own process's), which a loaded machine distorts least; the wall
times are in the details.  N2: the same for ``prev_prime``
(FLINT has no n_prevprime: the harness walks down with FLINT's
``n_is_probabprime``; gmpy2 >= 2.2 has ``prev_prime``), and for 10^6 random
uint32 values.  Every answer is checked against the other side's (FLINT: a
checksum of all; gmpy2: each element of its sample).  The Python loops run
over the first ``GMPY2_SAMPLE`` values only (times per element), FLINT over
all of them.  A side that is missing (no compiler, no FLINT) is reported as
n/a with the reason.

N3: ``count(a, axis=1)`` on a (1000, 10^4) int64 array within 1.2x of
``count(a)``.  The two calls are timed side by side, interleaved round by
round (median of the rounds), on two arrays: random values in [0, 2^31) (the
per-element test decides every element) and ``np.arange(10**7)`` (the window
sieve; there ``count`` also has a faster path for runs of consecutive values
than the mask ``count(axis=...)`` is built from).  The per-row counts must add
up to the total, and the arange's to pi(10^7).  N1 and N2 (next_prime,
prev_prime) come with those functions.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import numpy as np

import primes
from harness import format_ratio, format_seconds
from report import Target

SEED = 31  # the same random array as the bench's random31 inputs
SHAPE = (1000, 10**4)
PI_1E7 = 664579  # pi(10^7), OEIS A006880


def n3_inputs() -> List[Tuple[str, np.ndarray]]:
    random31 = np.random.default_rng(SEED).integers(0, 2**31, SHAPE, dtype=np.int64)
    return [("random int64 [0,2^31)", random31), ("arange(10^7)", np.arange(10**7, dtype=np.int64).reshape(SHAPE))]


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


def n3(repeats: int) -> Tuple[List[Target], List[str]]:
    """The N3 targets and any count disagreement."""
    targets: List[Target] = []
    problems: List[str] = []
    for label, values in n3_inputs():
        total = primes.count(values)
        per_row = primes.count(values, axis=1)
        if per_row.shape != (SHAPE[0],) or int(per_row.sum()) != total:
            problems.append(f"N3 {label}: count(a, axis=1) sums to {int(per_row.sum())}, count(a) is {total}")
        if label.startswith("arange") and total != PI_1E7:
            problems.append(f"N3 {label}: count(a) = {total}, pi(10^7) = {PI_1E7}")
        whole, along = interleaved_medians([lambda: primes.count(values), lambda: primes.count(values, axis=1)],
                                           repeats)
        ratio = along / whole
        targets.append(Target("N3", f"{label}, {SHAPE[0]}x{SHAPE[1]}: count(a, axis=1) / count(a)",
                              format_ratio(ratio), "<= 1.2x", ratio <= 1.2,
                              f"count(a, axis=1): {format_seconds(along)}; count(a): {format_seconds(whole)}"))
    return targets, problems


N_VALUES = 10**6
GMPY2_SAMPLE = 50_000
HERE = Path(__file__).parent


def n12_inputs() -> List[Tuple[str, np.ndarray]]:
    rng = np.random.default_rng(SEED)
    return [("uint64 < 2^63", rng.integers(3, 2**63, N_VALUES, dtype=np.uint64)),
            ("uint32", rng.integers(3, 2**32 - 5, N_VALUES, dtype=np.uint32))]


def flint_harness(workdir: str) -> Tuple[Optional[str], str]:
    """The path of the built FLINT harness, or None and why not."""
    try:
        import flint
    except ImportError:
        return None, "python-flint is not installed (pip install python-flint)"
    libs = sorted(glob.glob(str(Path(flint.__file__).parents[1] / "python_flint.libs" / "libflint*.so*")))
    if not libs:
        return None, "python-flint's wheel has no bundled libflint"
    compiler = shutil.which(os.environ.get("CC", "cc"))
    if compiler is None:
        return None, "no C compiler"
    exe = os.path.join(workdir, "flint_nextprime")
    build = subprocess.run([compiler, "-O2", str(HERE / "flint_nextprime.c"), "-o", exe, libs[0],
                            f"-Wl,-rpath,{os.path.dirname(libs[0])}"], capture_output=True, text=True)
    if build.returncode != 0:
        last = (build.stderr.strip().splitlines() or ["unknown error"])[-1]
        return None, f"the harness did not build ({last}); FLINT headers: apt-get install libflint-dev"
    return exe, os.path.basename(libs[0])


def flint_ns(exe: str, workdir: str, values: np.ndarray, up: bool, rounds: int) -> Tuple[float, float, int]:
    """FLINT's best wall and CPU time per element (ns) and the checksum of its answers."""
    path = os.path.join(workdir, "values.u64")
    values.astype(np.uint64).tofile(path)
    done = subprocess.run([exe, "next" if up else "prev", path, str(rounds)], capture_output=True, text=True,
                          check=True)
    ns, cpu_ns, checksum = done.stdout.split()
    return float(ns), float(cpu_ns), int(checksum)


def gmpy2_ns(values: np.ndarray, up: bool) -> Tuple[Optional[float], Optional[List[int]]]:
    """A gmpy2 loop's time per element (ns) over ``values`` and its answers; None without gmpy2."""
    try:
        import gmpy2
    except ImportError:
        return None, None
    function = gmpy2.next_prime if up else getattr(gmpy2, "prev_prime", None)
    if function is None:
        return None, None
    items = values.tolist()
    start = time.perf_counter()
    answers = [int(function(v)) for v in items]
    return 1e9 * (time.perf_counter() - start) / len(items), answers


def n12(repeats: int, only: Tuple[str, ...]) -> Tuple[List[Target], List[str]]:
    """The N1 and N2 targets and any disagreement."""
    targets: List[Target] = []
    problems: List[str] = []
    rounds = max(1, min(repeats, 3))
    with tempfile.TemporaryDirectory() as workdir:
        exe, about = flint_harness(workdir)
        for label, values in n12_inputs():
            for up in (True, False):
                name = "N1" if up and label.startswith("uint64") else "N2"
                if name not in only:
                    continue
                function = primes.next_prime if up else primes.prev_prime
                fname = "next_prime" if up else "prev_prime"
                answers = function(values, threads=1)
                cpu_times = []
                for _ in range(rounds):  # CPU time of one thread: the per-core figure on a loaded machine
                    start = time.process_time()
                    function(values, threads=1)
                    cpu_times.append(time.process_time() - start)
                ours_cpu = 1e9 * min(cpu_times) / values.size
                one, two = interleaved_medians([lambda: function(values, threads=1),
                                                lambda: function(values, threads=2)], rounds)
                ours_1 = 1e9 * one / values.size
                ours_2 = 1e9 * two / values.size
                if exe is None:
                    targets.append(Target(name, f"{fname}, 10^6 random {label}, 1 thread: FLINT / primes",
                                          "-", ">= 2x", None, f"skipped: {about}"))
                else:
                    theirs_wall, theirs, checksum = flint_ns(exe, workdir, values, up, rounds)
                    if checksum != int(answers.astype(np.uint64).sum(dtype=np.uint64)):
                        problems.append(f"{name} {fname} {label}: FLINT's answers differ from primes'")
                    ratio = theirs / ours_cpu
                    targets.append(Target(
                        name, f"{fname}, 10^6 random {label}, 1 thread: FLINT "
                        f"{'n_nextprime' if up else 'n_is_probabprime walk'} loop / primes",
                        format_ratio(ratio), ">= 2x", ratio >= 2,
                        f"CPU time: FLINT {theirs:.0f} ns/element ({about}), primes {ours_cpu:.0f}; wall: "
                        f"FLINT {theirs_wall:.0f}, primes {ours_1:.0f} ({format_ratio(theirs_wall / ours_1)})"))
                sample = values[:GMPY2_SAMPLE]
                theirs_g, expected = gmpy2_ns(sample, up)
                if theirs_g is None or expected is None:
                    targets.append(Target(name, f"{fname}, 10^6 random {label}, 2 threads: gmpy2 loop / primes",
                                          "-", ">= 20x", None, "skipped: gmpy2 (>= 2.2 for prev_prime) missing"))
                    continue
                if answers[:GMPY2_SAMPLE].tolist() != expected:
                    problems.append(f"{name} {fname} {label}: gmpy2's answers differ from primes'")
                ratio = theirs_g / ours_2
                targets.append(Target(
                    name, f"{fname}, 10^6 random {label}, 2 threads: gmpy2.{fname} loop / primes",
                    format_ratio(ratio), ">= 20x", ratio >= 20,
                    f"gmpy2 {theirs_g:.0f} ns/element ({GMPY2_SAMPLE} values); primes {ours_2:.0f} ns/element "
                    f"on 2 threads"))
    return targets, problems


def targets(repeats: int, only: Tuple[str, ...] = ("N1", "N2", "N3")) -> Tuple[List[Target], List[str]]:
    """Every N target measured in this run, and the problems found (for bench/run.py)."""
    found: List[Target] = []
    problems: List[str] = []
    if "N1" in only or "N2" in only:
        more, issues = n12(repeats, only)
        found += more
        problems += issues
    if "N3" in only:
        more, issues = n3(repeats)
        found += more
        problems += issues
    return found, problems


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", default="N1,N2,N3", help="comma-separated targets to measure")
    parser.add_argument("--out", type=Path, help="also write the results as a Markdown table to this file")
    arguments = parser.parse_args()
    found, problems = targets(arguments.repeats, tuple(arguments.only.split(",")))
    if arguments.out:
        load = os.getloadavg() if hasattr(os, "getloadavg") else None
        lines = ["<!-- SPDX-License-Identifier: MIT -->", "# next_prime, prev_prime and count(axis=): targets N1-N3", "",
                 f"`python bench/targets_next.py --repeats {arguments.repeats}`, primes {primes.__version__}, "
                 f"{os.cpu_count()} CPUs" + (f", load average {load[0]:.1f} at the end" if load else "") + ".",
                 "", "| target | what | measured | required | verdict | detail |", "|---|---|---|---|---|---|"]
        lines += [f"| {t.name} | {t.what} | {t.measured} | {t.required} | {t.verdict} | {t.detail} |" for t in found]
        lines += [""] + [f"PROBLEM: {problem}" for problem in problems]
        arguments.out.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    for target in found:
        print(f"{target.name} {target.what}: {target.measured} (required {target.required}: {target.verdict}); "
              f"{target.detail}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    raise SystemExit(1 if problems else 0)
