# SPDX-License-Identifier: MIT
"""The ``primes`` command: rerun the blog experiment on ``np.arange(N)``.

It counts the primes in 0..N-1 with the pure-Python reference and with the C
library in each mode, and prints the count, the median time and the speed-up
over pure Python as a table.
"""

from __future__ import annotations

import argparse
import decimal
import functools
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Callable, NoReturn, Optional

import numpy as np

from . import _lib, reference
from ._api import count
from ._threads import ENV_VAR, available_cpus, resolve_threads
from ._version import __version__

DEFAULT_N = 1_000_000
DEFAULT_REPEATS = 5
#: Above this N the pure-Python row is skipped unless --python is given.
PYTHON_LIMIT = 2_000_000
#: The pure-Python row runs at most this many times (it takes seconds).
PYTHON_REPEATS = 3
#: Below this N no speed-up is shown: a C call's fixed cost (argument checks,
#: ctypes; tens of microseconds) outweighs the counting, so the ratio of the
#: times would say nothing about the speed of counting (e.g. 0.2x at N = 10).
SPEEDUP_MIN_N = 10_000
#: Bytes of memory per element: the int64 array, and the pure-Python row's list
#: (an 8-byte pointer and a 28-byte int object per element).
ARRAY_BYTES_PER_ELEMENT = 8
LIST_BYTES_PER_ELEMENT = 36


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, as the shell convention for usage errors, and status 2.
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


#: Sizes from 10**MAX_DIGITS on are refused while parsing, before any arithmetic.
MAX_DIGITS = 40


def _parse_int(text: str) -> Optional[int]:
    """``text`` as an exact integer ("1000", "10_000", "1e6", "3e19"), or None if it is not one."""
    try:
        value = decimal.Decimal(text.strip())
    except decimal.InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value():
        return None
    if value.adjusted() >= MAX_DIGITS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is more than any machine can hold; to count a range without holding it, "
            "in Python: primes.count(range(N))"
        )
    return int(value)


def _integer_at_least(minimum: int, what: str) -> Callable[[str], int]:
    """An argparse type: an integer >= ``minimum``, with one message for every way to miss."""

    def parse(text: str) -> int:
        value = _parse_int(text)
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}")
        return value

    return parse


_size = _integer_at_least(0, "an integer >= 0 (e.g. 1000000, 1_000_000 or 1e6)")
_positive = _integer_at_least(1, "a positive integer")


def available_memory() -> Optional[int]:
    """Bytes of memory available to a new allocation (Linux: MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _gib(size: float) -> str:
    return f"{size / 2**30:,.1f} GiB" if size >= 2**30 else f"{size / 2**20:,.1f} MiB"


def _too_big(n: int, needed: int, available: Optional[int]) -> str:
    have = f"{_gib(available)} are available" if available is not None else "it could not be allocated"
    return (
        f"N = {n:,} needs {_gib(needed)} of memory to hold np.arange(N) here, and {have}; "
        "choose a smaller N, or count a range without holding it, in Python: primes.count(range(N))"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="primes",
        description=(
            "Count the primes in np.arange(N) with the pure-Python reference and with the C "
            "library in each mode (serial: one C call on this thread; pthreads: one C call "
            "that splits the work among POSIX threads; threading: chunks of the array on a pool "
            "of Python threads, one C call each), and print the count, the median time and "
            "the speed-up over pure Python."
        ),
        epilog=f"The default thread count comes from ${ENV_VAR} if set, else the CPUs available.",
    )
    parser.add_argument(
        "n", nargs="?", type=_size, default=DEFAULT_N, metavar="N",
        help=f"count primes in 0..N-1 (default {DEFAULT_N:,}; 1e7 and 10_000_000 work too); "
        f"speed-ups are shown from N = {SPEEDUP_MIN_N:,}",
    )
    parser.add_argument(
        "-t", "--threads", type=_positive, default=None,
        help="threads for the pthreads and threading modes (default: see below)",
    )
    parser.add_argument(
        "-r", "--repeats", type=_positive, default=DEFAULT_REPEATS,
        help=f"runs per method; the median is shown (default {DEFAULT_REPEATS}; "
        f"pure Python runs at most {PYTHON_REPEATS} times)",
    )
    parser.add_argument(
        "--modes", nargs="+", choices=["python", "serial", "pthreads", "threading"],
        default=["python", "serial", "pthreads", "threading"],
        help="which rows to run (default: all)",
    )
    parser.add_argument(
        "--python", action="store_true",
        help=f"run the pure-Python row even when N > {PYTHON_LIMIT:,} (slow)",
    )
    parser.add_argument("--version", action="version", version=f"primes {__version__}")
    return parser


def _median_time(function: Callable[[], int], repeats: int) -> tuple[int, float]:
    results, times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        results.append(function())
        times.append(time.perf_counter() - start)
    if len(set(results)) != 1:
        raise RuntimeError(f"runs disagree: {results}")
    return results[0], statistics.median(times)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the experiment; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        threads = resolve_threads(args.threads)
    except ValueError as exc:
        parser.error(str(exc))
    run_python = "python" in args.modes and (args.n <= PYTHON_LIMIT or args.python)
    needed = args.n * (ARRAY_BYTES_PER_ELEMENT + (LIST_BYTES_PER_ELEMENT if run_python else 0))
    available = available_memory()
    if available is not None and needed > available:
        parser.error(_too_big(args.n, needed, available))
    try:
        values = np.arange(args.n, dtype=np.int64)
        as_list = values.tolist() if run_python else []
    except (MemoryError, ValueError):  # ValueError: "Maximum allowed size exceeded"
        parser.error(_too_big(args.n, needed, None))

    methods: list[tuple[str, str, Callable[[], int], int]] = []
    notes: list[str] = []
    if "python" in args.modes:
        if run_python:
            methods.append(("pure Python", "python", lambda: reference.count(as_list),
                            min(args.repeats, PYTHON_REPEATS)))
        else:
            notes.append(f"pure Python skipped: N > {PYTHON_LIMIT:,} (add --python to run it)")
    c_rows = (("C serial", "serial"), ("C pthreads", "pthreads"), ("Python threads + C", "threading"))
    for label, mode in c_rows:
        if mode in args.modes:
            run = functools.partial(count, values, mode=mode, threads=threads)
            methods.append((label, mode, run, args.repeats))

    print(f"primes {__version__}: primes in np.arange({args.n:,}) (int64)")
    print(f"threads: {threads}; CPUs available: {available_cpus()}; library: {_lib.LIBRARY_PATH}")
    header = f"{'method':<20} {'mode':<10} {'primes':>12} {'runs':>5} {'median ms':>12} {'speed-up':>10}"
    print(header)
    print("-" * len(header))
    baseline: Optional[float] = None
    counts = set()
    for label, mode, function, repeats in methods:
        found, seconds = _median_time(function, repeats)
        counts.add(found)
        if mode == "python":
            baseline = seconds
        if baseline and seconds > 0 and args.n >= SPEEDUP_MIN_N:
            speedup = f"{baseline / seconds:,.1f}x"
        else:
            speedup = "-"
        row = f"{label:<20} {mode:<10} {found:>12} {repeats:>5} {seconds * 1e3:>12.3f} {speedup:>10}"
        print(row, flush=True)
    if baseline and args.n < SPEEDUP_MIN_N:
        notes.append(
            f"speed-ups are shown from N = {SPEEDUP_MIN_N:,}: below that a C call's fixed cost "
            "(tens of microseconds) outweighs the counting"
        )
    for note in notes:
        print(note)
    if len(counts) > 1:
        print(f"primes: error: the methods disagree: {sorted(counts)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
