#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Targets N1-N3 (issue 11): ``python bench/run.py`` calls :func:`targets`; this file also runs alone.

    python bench/targets_next.py [--repeats 7]

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
import statistics
import time
from typing import Callable, List, Tuple

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


def targets(repeats: int) -> Tuple[List[Target], List[str]]:
    """Every N target measured in this run, and the problems found (for bench/run.py)."""
    return n3(repeats)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    found, problems = targets(parser.parse_args().repeats)
    for target in found:
        print(f"{target.name} {target.what}: {target.measured} (required {target.required}: {target.verdict}); "
              f"{target.detail}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    raise SystemExit(1 if problems else 0)
