# SPDX-License-Identifier: MIT
"""Throughput of ``primes.count`` on a Dask array: a local cluster against one process.

Run from anywhere with primes and Dask installed (``pip install '.[dask]'``)::

    python bench/dask_bench.py                 # N = 10**9, chunks of 10**7 and 10**8
    python bench/dask_bench.py --n 1e8 --chunks 1e6 1e7 --repeats 5

It counts the primes in ``arange(N)`` (int64) in these ways:

- one process, a loop over the same chunks as the Dask array: ``np.arange`` +
  ``primes.count``, with one thread (``mode="serial"``: the baseline) and with
  the default pthreads mode on all CPUs;
- one process, one ``primes.count`` call on the whole ``np.arange(N)`` already
  in memory (its creation not timed), if twice its size (8 bytes per element)
  is free;
- one process, the chunk loop's ``np.arange`` alone (what making the blocks
  costs: a fresh 8-byte-per-element buffer per chunk, whose first touch the
  kernel pays for in page faults);
- Dask's threaded scheduler in this process: ``primes.count(da.arange(...))``;
- a ``distributed.LocalCluster`` of ``--workers`` worker processes x
  ``--threads-per-worker`` threads, the blocks made on the workers.

Each way runs ``--repeats`` times, the ways taking turns (so that a burst of
load from other programs does not fall on one way only); the table shows the
best and the median wall time, the throughput (elements/s) of the best, and
the speed-up of the best over the serial loop's best.

Scheduling overhead per task: the cluster runs a graph of the same shape and
task count with one-element blocks, whose time is nearly all overhead; the
fixed cost of one compute (a one-block graph) is subtracted.  A second
estimate is (cluster time - serial loop time / workers) / tasks.  Every run
must find the same count, or the script exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, Optional

import numpy as np

import primes


def _count_arg(text: str) -> int:
    """An element count: 10**9 can be written 1e9 or 1_000_000_000."""
    try:
        value = float(text) if any(c in text for c in "eE.") else int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value != int(value) or value < 1:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}")
    return int(value)


def _power(value: int) -> str:
    """10**9 as '10^9'; other values with thousands separators."""
    exponent = len(str(value)) - 1
    return f"10^{exponent}" if value == 10**exponent else f"{value:,}"


def _chunk_loop(n: int, chunk: int, **options: Any) -> int:
    """The single-process baseline: the Dask array's chunks, one after another."""
    total = 0
    for start in range(0, n, chunk):
        total += primes.count(np.arange(start, min(n, start + chunk)), **options)
    return total


def _make_chunks(n: int, chunk: int, answer: int) -> int:
    """The chunk loop without counting: what making the blocks alone costs."""
    for start in range(0, n, chunk):
        np.arange(start, min(n, start + chunk))
    return answer


def _primes_version() -> str:
    """Run on each worker: import primes there (before any timing) and say which version."""
    import primes as on_worker

    return str(on_worker.__version__)


def _available_bytes() -> Optional[int]:
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # not on every POSIX system
        return None


class Way:
    """One way of counting: a label, its chunk size and task count, and its timings.

    ``prepare``, if given, makes the argument of ``run`` before the clock
    starts (and it is dropped after the run, so nothing large stays between turns).
    """

    def __init__(
        self,
        label: str,
        chunk: Optional[int],
        tasks: Optional[int],
        run: Callable[..., Any],
        prepare: Optional[Callable[[], Any]] = None,
    ) -> None:
        self.label, self.chunk, self.tasks, self.run, self.prepare = label, chunk, tasks, run, prepare
        self.seconds: list[float] = []
        self.counts: list[int] = []

    def time_once(self) -> None:
        arguments = () if self.prepare is None else (self.prepare(),)
        start = time.perf_counter()
        found = int(self.run(*arguments))
        self.seconds.append(time.perf_counter() - start)
        self.counts.append(found)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=_count_arg, default=10**9,
                        help="count the primes in arange(N) (default 1e9)")
    parser.add_argument("--chunks", type=_count_arg, nargs="+", default=[10**7, 10**8],
                        help="chunk sizes (default 1e7 1e8)")
    parser.add_argument("--workers", type=_count_arg, default=2, help="worker processes (default 2)")
    parser.add_argument("--threads-per-worker", type=_count_arg, default=1,
                        help="Dask threads per worker (default 1)")
    parser.add_argument("--repeats", type=_count_arg, default=3, help="runs of each way (default 3)")
    parser.add_argument("--whole", choices=["auto", "yes", "no"], default="auto",
                        help="also count the whole np.arange(N) in one call "
                        "(auto: if twice its size is free)")
    args = parser.parse_args(argv)

    import dask
    import dask.array as da
    import distributed

    n, repeats, workers = args.n, args.repeats, args.workers
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"primes {primes.__version__}, dask {dask.__version__}, distributed {distributed.__version__}, "
          f"numpy {np.__version__}, Python {platform.python_version()}, {cpus} CPUs")
    print(f"primes in arange({_power(n)}), int64; {repeats} runs of each way, taking turns")
    load_before = os.getloadavg()

    def tasks_of(lazy: Any) -> int:
        """Tasks as the scheduler runs them (after Dask's optimisation: fused blocks, sum tree)."""
        (optimized,) = dask.optimize(lazy)
        return len(optimized.__dask_graph__())

    start = time.perf_counter()
    with distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=args.threads_per_worker,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # not 8787, which may be taken
    ) as cluster, distributed.Client(cluster) as client:
        client.wait_for_workers(workers)
        versions = set(client.run(_primes_version).values())
        if versions != {primes.__version__}:
            raise RuntimeError(f"the workers have primes {versions}, this process {primes.__version__}")
        started = time.perf_counter() - start

        ways: list[Way] = []
        baselines: dict[int, Way] = {}
        cluster_ways: list[Way] = []
        trivial_ways: list[Way] = []
        for chunk in args.chunks:
            baselines[chunk] = Way("1 process, chunk loop, serial (1 thread)", chunk, None,
                                   lambda chunk=chunk: _chunk_loop(n, chunk, mode="serial"))
            ways.append(baselines[chunk])
            ways.append(Way(f"1 process, chunk loop, pthreads ({primes.get_threads()} threads)", chunk, None,
                            lambda chunk=chunk: _chunk_loop(n, chunk)))
        creations = [Way("1 process, np.arange of each chunk only", chunk, None,
                         lambda chunk=chunk: _make_chunks(n, chunk, answer=-1)) for chunk in args.chunks]
        ways += creations
        free = _available_bytes()
        if args.whole == "yes" or (args.whole == "auto" and free is not None and free > 2 * 8 * n):
            ways.append(Way(f"1 process, one call, pthreads ({primes.get_threads()} threads)", None, None,
                            primes.count, prepare=lambda: np.arange(n)))
        else:
            print(f"(one call on the whole array skipped: it needs {8 * n / 2**30:.1f} GiB, twice that free; "
                  f"{'unknown' if free is None else f'{free / 2**30:.1f} GiB'} free; --whole yes forces it)")
        for chunk in args.chunks:
            lazy = primes.count(da.arange(n, chunks=chunk))
            ways.append(Way(f"dask threaded scheduler ({cpus} threads)", chunk, tasks_of(lazy),
                            lambda lazy=lazy: lazy.compute(scheduler="threads")))
        for chunk in args.chunks:
            lazy = primes.count(da.arange(n, chunks=chunk))
            label = f"LocalCluster {workers} workers x {args.threads_per_worker} thread"
            way = Way(label, chunk, tasks_of(lazy),
                      lambda lazy=lazy: client.compute(lazy).result())
            cluster_ways.append(way)
            # The same graph with one-element blocks: nearly all overhead.
            trivial = primes.count(da.arange(-(-n // chunk), chunks=1))
            assert tasks_of(trivial) == way.tasks
            trivial_ways.append(
                Way("trivial", chunk, way.tasks, lambda trivial=trivial: client.compute(trivial).result())
            )
        one_block = primes.count(da.arange(1, chunks=1))
        latency = Way("one block", None, tasks_of(one_block), lambda: client.compute(one_block).result())
        for way in trivial_ways + [latency]:  # warm up: first connections between the processes
            way.run()

        everything = ways + cluster_ways + trivial_ways + [latency]
        for turn in range(repeats):
            for way in everything:
                way.time_once()
            print(f"turn {turn + 1} of {repeats} done", file=sys.stderr, flush=True)

    header = (f"{'way':<46} {'chunk':>6} {'tasks':>6} {'best s':>8} {'median s':>9} "
              f"{'elements/s':>11} {'vs loop':>8}")
    print()
    print(header)
    print("-" * len(header))
    for way in ways + cluster_ways:
        best = min(way.seconds)
        base = baselines.get(way.chunk) if way.chunk and way not in creations else None
        speedup = f"{min(base.seconds) / best:.2f}x" if base else "-"
        print(f"{way.label:<46} {_power(way.chunk) if way.chunk else 'whole':>6} {way.tasks or '-':>6} "
              f"{best:>8.3f} {statistics.median(way.seconds):>9.3f} {n / best:>11.3g} {speedup:>8}")
    print()
    print(f"LocalCluster start (scheduler + {workers} workers, primes imported): {started:.2f} s; "
          f"one compute of a {latency.tasks}-task, 1-block graph: best {1e3 * min(latency.seconds):.0f} ms")
    print("scheduling overhead per task (tasks as the scheduler runs them, sum tree included):")
    for way, trivial in zip(cluster_ways, trivial_ways):
        assert way.chunk is not None and way.tasks
        per_task = (min(trivial.seconds) - min(latency.seconds)) / way.tasks
        estimate = (min(way.seconds) - min(baselines[way.chunk].seconds) / workers) / way.tasks
        print(f"  chunk {_power(way.chunk)}, {way.tasks} tasks: the same graph with 1-element blocks takes "
              f"{min(trivial.seconds):.3f} s -> {1e3 * per_task:.2f} ms/task; "
              f"(cluster - serial loop / {workers}) / tasks: {1e3 * estimate:.2f} ms/task")
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min) before: {' '.join(f'{v:.1f}' for v in load_before)}, "
          f"after: {' '.join(f'{v:.1f}' for v in load_after)} (load from other programs slows every row)")
    counts = {c for way in ways + cluster_ways if way not in creations for c in way.counts}
    if len(counts) != 1:
        print(f"error: the runs disagree: {sorted(counts)}", file=sys.stderr)
        return 1
    print(f"every run found {counts.pop():,} primes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
