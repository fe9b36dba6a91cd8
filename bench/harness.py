# SPDX-License-Identifier: MIT
"""Timing and checking machinery of the benchmark: inputs, methods, medians.

A *method* is one way of counting the primes in an array (ours in some mode, a
peer library, a blog design).  :func:`measure_input` times every method that
applies to one input, interleaved: round r times each method once before round
r + 1 starts, so a burst of load from another process on this shared machine
slows every method a little instead of one method a lot.  That keeps the
ratios between methods meaningful even when absolute times drift.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

import numpy as np

__all__ = ["BenchInput", "Method", "Result", "measure_input", "format_seconds", "format_ratio"]

# A call slower than this is "slow": its first call is kept as a sample rather
# than discarded as a warm-up, and it gets only SLOW_ROUNDS samples.
SLOW_CALL_SECONDS = 1.0
SLOW_ROUNDS = 3
SAMPLE_SEED = 12345


@dataclass
class BenchInput:
    """One input array and what is known about it."""

    key: str  # stable identifier, e.g. "arange-1e6"
    label: str  # for tables, e.g. "arange(10^6)"
    family: str  # "arange", "random31" (int64 in [0, 2^31)) or "random64" (uint64)
    array: np.ndarray
    known_count: Optional[int] = None  # pi(N) for arange inputs

    @property
    def size(self) -> int:
        return int(self.array.size)

    @property
    def max_value(self) -> int:
        return int(self.array.max())

    @property
    def min_value(self) -> int:
        return int(self.array.min())


@dataclass
class Method:
    """One way of counting primes, and when it applies.

    ``run`` takes whatever ``prepare`` made of the input array (by default the
    array itself); ``prepare`` is not timed.  ``skip`` returns a note saying why
    the method does not run on an input, or None if it does.  If ``sample`` is
    set and the input has more than ``sample_above`` elements (default:
    ``sample``), the method runs on ``sample`` elements drawn at random (the
    same ones for every method sampled that way) and its time is scaled up.
    """

    key: str
    label: str
    group: str  # "reference", "ours", "blog" or "peer"
    run: Callable[[Any], Any]
    prepare: Callable[[np.ndarray], Any] = lambda array: array
    skip: Callable[[BenchInput], Optional[str]] = lambda bench_input: None
    sample: Optional[int] = None
    sample_above: Optional[int] = None
    returns_count: bool = True  # False for a.sum(), the memory-pass reference


@dataclass
class Result:
    """The measurement of one method on one input (or why there is none)."""

    method: Method
    bench_input: BenchInput
    times: List[float] = field(default_factory=list)  # seconds per call, unscaled
    count: Optional[int] = None
    sampled: Optional[int] = None  # elements actually counted, when sampled
    sample_values: Optional[np.ndarray] = field(default=None, repr=False)  # those elements
    note: str = ""  # why skipped; empty when measured

    @property
    def measured(self) -> bool:
        return bool(self.times)

    @property
    def scale(self) -> float:
        """Factor from the time measured to the time for the whole input."""
        return self.bench_input.size / self.sampled if self.sampled else 1.0

    @property
    def median(self) -> float:
        """Median seconds per call for the whole input (scaled if sampled)."""
        return statistics.median(self.times) * self.scale

    @property
    def best(self) -> float:
        return min(self.times) * self.scale


def format_seconds(seconds: Optional[float]) -> str:
    """A time with 3 significant digits and a unit from ns to s."""
    if seconds is None or math.isnan(seconds):
        return "-"
    for unit, factor in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= factor:
            return f"{seconds / factor:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_ratio(ratio: float) -> str:
    """A ratio such as 1.99x, 15.2x or 1,160x: never rounded to a whole number below 10,
    so that a value just short of a target (1.996 against 2) does not print as the target."""
    if ratio >= 100:
        return f"{ratio:,.0f}x"
    return f"{ratio:.1f}x" if ratio >= 10 else f"{ratio:.2f}x"


def _timed(function: Callable[[Any], Any], argument: Any) -> "tuple[float, Any]":
    start = time.perf_counter()
    value = function(argument)
    return time.perf_counter() - start, value


def measure_input(
    bench_input: BenchInput,
    methods: List[Method],
    repeats: int,
    log: Callable[[str], None] = print,
) -> Dict[str, Result]:
    """Time every applicable method on ``bench_input``; return results by method key.

    Each method is called once first (untimed if fast: warm caches, lazy
    imports, page faults of fresh allocations), then timed in interleaved
    rounds.  The count of every call is recorded; a method whose count changes
    between calls is reported as an error (RuntimeError).
    """
    results: Dict[str, Result] = {}
    pending: List[_Pending] = []
    sample_array: Optional[np.ndarray] = None
    for method in methods:
        result = Result(method, bench_input)
        results[method.key] = result
        note = method.skip(bench_input)
        if note:
            result.note = note
            continue
        array = bench_input.array
        sample_above = method.sample_above if method.sample_above is not None else method.sample
        if method.sample is not None and sample_above is not None and bench_input.size > sample_above:
            if sample_array is None or sample_array.size != method.sample:
                # Random positions, sorted: a strided sample of an arange would
                # pick numbers of one residue class (all even, for an even stride).
                rng = np.random.default_rng(SAMPLE_SEED)
                positions = np.sort(rng.choice(bench_input.size, method.sample, replace=False))
                sample_array = np.ascontiguousarray(array[positions])
            array = sample_array
            result.sampled = method.sample
            result.sample_values = sample_array
        argument = method.prepare(array)
        elapsed, value = _timed(method.run, argument)
        result.count = int(value) if method.returns_count else None
        slow = elapsed >= SLOW_CALL_SECONDS
        if slow:
            result.times.append(elapsed)  # too slow to throw away
        pending.append(_Pending(result, argument, SLOW_ROUNDS if slow else repeats))
        log(f"    {method.label:<44} first call {format_seconds(elapsed)}")

    while pending:
        for item in list(pending):
            if len(item.result.times) >= item.rounds:
                pending.remove(item)  # drops the argument: frees lists and tables early
                continue
            elapsed, value = _timed(item.result.method.run, item.argument)
            item.result.times.append(elapsed)
            if item.result.method.returns_count and int(value) != item.result.count:
                raise RuntimeError(
                    f"{item.result.method.label} on {bench_input.label}: count changed between "
                    f"calls ({item.result.count} then {int(value)})"
                )
    return results


@dataclass
class _Pending:
    """A method still being timed on the current input."""

    result: Result
    argument: Any  # what the method's prepare() made of the input, reused every call
    rounds: int  # samples wanted


def warn(message: str) -> None:
    """Print a message to stderr so it stands out from the tables."""
    print(message, file=sys.stderr, flush=True)
