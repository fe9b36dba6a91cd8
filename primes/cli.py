# SPDX-License-Identifier: MIT
"""The ``primes`` command: rerun the blog experiment on ``np.arange(N)``.

It counts the primes in 0..N-1 with the pure-Python reference and with the C
library in each mode, and prints the count, the median time and the speed-up
over pure Python as a table.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Callable, NoReturn, Optional

import numpy as np

from . import __version__, _lib, count, reference
from ._threads import ENV_VAR, available_cpus, resolve_threads

DEFAULT_N = 1_000_000
DEFAULT_REPEATS = 5
#: Above this N the pure-Python row is skipped unless --python is given.
PYTHON_LIMIT = 2_000_000
#: The pure-Python row runs at most this many times (it takes seconds).
PYTHON_REPEATS = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, as the shell convention for usage errors, and status 2.
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _nonnegative_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not as_float.is_integer():
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        value = int(as_float)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = _nonnegative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {text}")
    return value


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
        "n", nargs="?", type=_nonnegative_int, default=DEFAULT_N, metavar="N",
        help=f"count primes in 0..N-1 (default {DEFAULT_N:,}; 1e7 and 10_000_000 work too)",
    )
    parser.add_argument(
        "-t", "--threads", type=_positive_int, default=None,
        help="threads for the pthreads and threading modes (default: see below)",
    )
    parser.add_argument(
        "-r", "--repeats", type=_positive_int, default=DEFAULT_REPEATS,
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
    values = np.arange(args.n, dtype=np.int64)

    methods: list[tuple[str, str, Callable[[], int], int]] = []
    notes: list[str] = []
    if "python" in args.modes:
        if args.n <= PYTHON_LIMIT or args.python:
            as_list = values.tolist()
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
        speedup = f"{baseline / seconds:,.1f}x" if baseline and seconds > 0 else "-"
        row = f"{label:<20} {mode:<10} {found:>12} {repeats:>5} {seconds * 1e3:>12.3f} {speedup:>10}"
        print(row, flush=True)
    for note in notes:
        print(note)
    if len(counts) > 1:
        print(f"primes: error: the methods disagree: {sorted(counts)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
