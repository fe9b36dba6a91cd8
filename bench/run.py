#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark ``primes.count`` against the blog's designs and peer libraries.

    python bench/run.py                 # full run, about 4 minutes on 2 cores
    python bench/run.py --quick         # inputs up to 10^6 only, 3 repeats
    python bench/run.py --large         # also np.arange(10^8)
    python bench/run.py --out DIR --repeats 7

On the same arrays, in one run, it times every method (median of several
calls, ``time.perf_counter``; methods interleaved round by round), checks that
every method counts the same number of primes on every input (and pi(N) on
``np.arange(N)``), checks the performance targets T1-T7 of bench/README.md,
prints the tables and writes them to ``<out>/<machine>.md`` with two plots,
``<machine>-time-vs-n.png`` and ``<machine>-threads.png``.

Exit status: 1, with a banner on stderr, if any two counts disagree (the
results file is still written, saying so); 0 otherwise.  A failed performance
target is reported as FAIL in the table and the file, not in the exit status.
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import time
import timeit
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

import primes
from primes import reference

import harness
import machine
import methods as method_catalog
import report
import targets_engine
import targets_next
import targets_sieve
from harness import BenchInput, Method, Result, format_ratio, format_seconds
from report import Target

BENCH_DIR = Path(__file__).resolve().parent

#: pi(N) for the arange inputs.
PI = {10**4: 1229, 10**5: 9592, 10**6: 78498, 10**7: 664579, 10**8: 5761455}

# Fixed seeds: the random inputs are the same array in every run and on every machine.
SEED_RANDOM31 = 31
SEED_RANDOM64 = 64
SEED_RANDOM32 = 32
SEED_SMALL = 100
SAMPLE_SEED_THREADS = 5

# T5 (issue 9): thread scaling on 10^7 elements of E1's and E2's kinds.
THREAD_SCALING_N = 10**7
# The thread sweep's calls per method: this many times --repeats (thread-count
# ratios are the most sensitive to the host's drift).
SWEEP_CALLS_PER_REPEAT = 8
# Values of each such input checked against primes.reference (pure Python).
THREAD_INPUT_SAMPLE = 20_000

# T6: the memory probe's input size (np.arange(10^8), int64: 763 MiB).
MEMORY_PROBE_N = 10**8


def log(message: str = "") -> None:
    print(message, flush=True)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="inputs up to 10^6 elements only and 3 repeats (T2 is not measured)")
    parser.add_argument("--large", action="store_true", help="also time np.arange(10^8) (slow peers run on a sample)")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per method and input (default 5, --quick 3); calls over 1 s get 3")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results", help="directory for <machine>.md and the PNGs (default bench/results)")
    parser.add_argument("--build-dir", type=Path, default=BENCH_DIR / "build", help="where the blog's C code is compiled (default bench/build, git-ignored)")
    args = parser.parse_args(argv)
    if args.repeats is None:
        args.repeats = 3 if args.quick else 5
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


# --- inputs -----------------------------------------------------------------------


def make_inputs(quick: bool, large: bool) -> List[BenchInput]:
    """The arrays every method runs on, made once per run from fixed seeds."""
    arange_exponents = [4, 5, 6] + ([] if quick else [7]) + ([8] if large else [])
    inputs = [
        BenchInput(f"arange-1e{e}", input_label(f"arange-1e{e}"), "arange", np.arange(10**e, dtype=np.int64),
                   known_count=PI[10**e])
        for e in arange_exponents
    ]
    for e in [6] + ([] if quick else [7]):
        rng = np.random.default_rng(SEED_RANDOM31)
        inputs.append(BenchInput(f"random31-1e{e}", input_label(f"random31-1e{e}"), "random31",
                                 rng.integers(0, 2**31, 10**e, dtype=np.int64)))
    rng = np.random.default_rng(SEED_RANDOM64)
    inputs.append(BenchInput("random64-1e6", input_label("random64-1e6"), "random64",
                             rng.integers(0, 2**64, 10**6, dtype=np.uint64)))
    return inputs


def thread_scaling_inputs() -> List[BenchInput]:
    """T5's inputs of issue 9, timed only by the threads sweep: 10^7 values of
    E1's kind (uint32 in [0, 2^32)) and of E2's (uint64)."""
    rng32 = np.random.default_rng(SEED_RANDOM32)
    rng64 = np.random.default_rng(SEED_RANDOM64 + 1)
    return [
        BenchInput("random32-1e7", input_label("random32-1e7"), "random32",
                   rng32.integers(0, 2**32, THREAD_SCALING_N, dtype=np.uint32)),
        BenchInput("random64-1e7", input_label("random64-1e7"), "random64",
                   rng64.integers(0, 2**64, THREAD_SCALING_N, dtype=np.uint64)),
    ]


def agreed_count(bench_input: BenchInput) -> Tuple[int, List[str]]:
    """The count of an input that only the threads sweep times: the sieve and
    the per-element test must agree, and primes.reference must agree with
    primes on a random sample."""
    problems: List[str] = []
    by_sieve = primes.count(bench_input.array, method="sieve", mode="serial")
    by_test = primes.count(bench_input.array, method="test", mode="serial")
    if by_sieve != by_test:
        problems.append(f"{bench_input.label}: method='sieve' counted {by_sieve}, method='test' {by_test}")
    rng = np.random.default_rng(SAMPLE_SEED_THREADS)
    sample = bench_input.array[rng.choice(bench_input.size, THREAD_INPUT_SAMPLE, replace=False)]
    ours, theirs = primes.count(sample), reference.count(sample.tolist())
    if ours != theirs:
        problems.append(f"{bench_input.label}: on a sample of {sample.size}, primes counted {ours}, "
                        f"primes.reference {theirs}")
    return by_sieve, problems


def input_label(key: str) -> str:
    """The table label of an input key such as "random31-1e7" (also for inputs not made in this run)."""
    family, _, size = key.partition("-1e")
    return {
        "arange": f"arange(10^{size})",
        "random31": f"int64 [0,2^31) 10^{size}",
        "random64": f"uint64 [0,2^64) 10^{size}",
        "random32": f"uint32 [0,2^32) 10^{size}",
    }[family]


def sweep_label(key: str) -> str:
    """A threads-sweep input's label, naming the E target whose kind of input it is."""
    kind = {"random32-1e7": " (E1's kind)", "random64-1e7": " (E2's kind)"}.get(key, "")
    return input_label(key) + kind


# --- count checks -------------------------------------------------------------------


def check_counts(bench_input: BenchInput, results: Dict[str, Result]) -> Tuple[Optional[int], List[str]]:
    """Return the input's agreed prime count and a message for every disagreement.

    Full-input counts must all be equal, and equal pi(N) on an arange.  A
    sampled method must agree with primes.reference (pure Python, sharing no
    code with the C library) on its sample.
    """
    problems: List[str] = []
    full = {key: r.count for key, r in results.items() if r.measured and r.count is not None and not r.sampled}
    if bench_input.known_count is not None:
        expected: Optional[int] = bench_input.known_count
    elif full:
        expected = Counter(full.values()).most_common(1)[0][0]
    else:
        expected = None
    for key, count in full.items():
        if count != expected:
            problems.append(f"{bench_input.label}: {results[key].method.label} counted {count}, expected {expected} "
                            f"(all counts: {full})")
    sampled = [r for r in results.values() if r.measured and r.sampled and r.sample_values is not None]
    reference_counts: Dict[int, int] = {}  # by id of the sample array (all alive): each counted once
    for result in sampled:
        sample_id = id(result.sample_values)
        if sample_id not in reference_counts:
            reference_counts[sample_id] = reference.count(result.sample_values.tolist())  # type: ignore[union-attr]
        if result.count != reference_counts[sample_id]:
            problems.append(f"{bench_input.label}: {result.method.label} counted {result.count} on its sample, "
                            f"primes.reference counted {reference_counts[sample_id]}")
    for result in sampled:
        result.sample_values = None  # checked: free the samples
    return expected, problems


# --- T5: threads ----------------------------------------------------------------------


def thread_sweep(inputs: List[BenchInput], expected: Dict[str, Optional[int]], thread_counts: List[int],
                 repeats: int) -> Tuple[Dict[str, Dict[str, float]], Dict[str, Dict[str, float]], List[str]]:
    """Median and best times of ours in pthreads and threading mode for each thread count.

    Returns ``{input key: {"serial" | "pthreads-<k>" | "threading-<k>": seconds}}``
    of the medians, the same of the best (fastest) calls, and count
    disagreements (every call must count the input's agreed count).
    """
    sweep: Dict[str, Dict[str, float]] = {}
    best: Dict[str, Dict[str, float]] = {}
    problems: List[str] = []
    for bench_input in inputs:
        log(f"  threads sweep on {bench_input.label}")
        sweep_methods = [Method("serial", "mode=serial", "ours", lambda a: primes.count(a, mode="serial"))]
        for k in thread_counts:
            for mode in ("pthreads", "threading"):
                sweep_methods.append(Method(f"{mode}-{k}", f"mode={mode} threads={k}", "ours",
                                            functools.partial(primes.count, mode=mode, threads=k)))
        results = harness.measure_input(bench_input, sweep_methods, repeats, log=log)
        sweep[bench_input.key] = {key: result.median for key, result in results.items()}
        best[bench_input.key] = {key: result.best for key, result in results.items()}
        for key, result in results.items():
            if result.count != expected[bench_input.key]:
                problems.append(f"{bench_input.label}: threads sweep {result.method.label} counted {result.count}, "
                                f"expected {expected[bench_input.key]}")
    return sweep, best, problems


# --- T6 and T7 ------------------------------------------------------------------------


def memory_probe(what: str, n: int) -> Dict[str, object]:
    """Run bench/memprobe.py in a fresh interpreter; return its JSON report."""
    completed = subprocess.run([sys.executable, str(BENCH_DIR / "memprobe.py"), what, str(n)],
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"memprobe.py {what} {n} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def small_input() -> np.ndarray:
    """T7's input: 100 random int64 values in [0, 2^31)."""
    return np.random.default_rng(SEED_SMALL).integers(0, 2**31, 100, dtype=np.int64)


def small_call_seconds(small: np.ndarray) -> Tuple[float, int]:
    """Best time per call of primes.count on ``small``, and the count."""
    timer = timeit.Timer(lambda: primes.count(small))
    number, _ = timer.autorange()  # enough calls for >= 0.2 s
    best = min(timer.repeat(repeat=7, number=number)) / number
    return best, primes.count(small)


# --- targets --------------------------------------------------------------------------


def best_of_ours(results: Dict[str, Result]) -> Tuple[Optional[float], str]:
    """The fastest median among our three modes (default engine), and its mode."""
    candidates = [(results[key].median, results[key].method.label)
                  for key in method_catalog.OUR_MODE_KEYS if key in results and results[key].measured]
    if not candidates:
        return None, ""
    return min(candidates)


def _ratio_target(name: str, what: str, results: Dict[str, Result], slower_key: str, minimum: float) -> Target:
    """A "ours best is at least `minimum` times faster than `slower_key`" target on one input."""
    ours, ours_label = best_of_ours(results)
    slower = results.get(slower_key)
    if not results:
        return Target(name, what, "-", f">= {minimum:g}x", None, "input not in this run (--quick)")
    if slower is None or ours is None:
        return Target(name, what, "-", f">= {minimum:g}x", None, "method not available (see \"Not run\")")
    if not slower.measured:
        return Target(name, what, "-", f">= {minimum:g}x", None, f"skipped: {slower.note}")
    ratio = slower.median / ours
    sampled = f" ({report.sampled_note(slower)})" if slower.sampled else ""
    detail = f"{slower.method.label}: {format_seconds(slower.median)}{sampled}; {ours_label}: {format_seconds(ours)}"
    return Target(name, what, format_ratio(ratio), f">= {minimum:g}x", ratio >= minimum, detail)


def evaluate_targets(all_results: Dict[str, Dict[str, Result]], sweep: Dict[str, Dict[str, float]],
                     sweep_best: Dict[str, Dict[str, float]], memory: Dict[str, Dict[str, object]], small: Tuple[float, int],
                     cpus: int) -> Tuple[List[Target], List[str]]:
    """Targets T1-T7 from this run's measurements, and informative extra lines."""
    targets: List[Target] = []
    extras: List[str] = []

    def results_for(key: str) -> Dict[str, Result]:
        return all_results.get(key, {})

    # T1: arange(10^6) against the blog.
    t1 = results_for("arange-1e6")
    ours, _ = best_of_ours(t1)
    targets.append(_ratio_target("T1", "arange(10^6): blog (c) 4 C pthreads / ours best", t1, "blog-pthreads", 100))
    targets.append(_ratio_target("T1", "arange(10^6): blog (a) pure Python / ours best", t1, "blog-python", 2000))
    if ours is not None and t1.get("reference") is not None and t1["reference"].measured:
        extras.append(f"T1 (for information): primes.reference.count (6k+-1 trial division) / ours best = "
                      f"{format_ratio(t1['reference'].median / ours)}")

    # T2: arange(10^7) against one memory pass and against primesieve + a table.
    t2 = results_for("arange-1e7")
    ours, ours_label = best_of_ours(t2)
    total = t2.get("sum")
    if ours is None or total is None or not total.measured:
        targets.append(Target("T2", "arange(10^7): ours best / a.sum()", "-", "<= 3x", None, "input not in this run (--quick)"))
    else:
        ratio = ours / total.median
        targets.append(Target("T2", "arange(10^7): ours best / a.sum()", format_ratio(ratio), "<= 3x", ratio <= 3,
                              f"{ours_label}: {format_seconds(ours)}; a.sum(): {format_seconds(total.median)}"))
    targets.append(_ratio_target("T2", "arange(10^7): primesieve + bool table / ours best", t2, "primesieve-table", 3))

    # T3 and T4: random inputs against numba's parallel Miller-Rabin (5x since
    # the SIMD kernels; issue 9 raised it from the first release's 2x).
    for name, key in (("T3", "random31-1e6"), ("T3", "random31-1e7"), ("T4", "random64-1e6")):
        what = f"{input_label(key)}: numba parallel MR / ours best"
        targets.append(_ratio_target(name, what, results_for(key), "numba-mr", 5))

    # T5: thread scaling, and the two threaded modes against each other, from
    # the best of each method's interleaved calls: on a shared host a burst of
    # load elsewhere slows a call on two CPUs whichever CPU it hits, one on a
    # single CPU only when it hits that one, so ratios of medians lean towards
    # 1 under load; the fastest call of each is the least disturbed.
    top = cpus
    for key, fastest in sweep_best.items():
        speedup = fastest["pthreads-1"] / fastest["pthreads-2"]
        targets.append(Target("T5", f"{sweep_label(key)}: pthreads 1 thread / 2 threads", format_ratio(speedup), ">= 1.8x", speedup >= 1.8,
                              f"best calls: 1 thread {format_seconds(fastest['pthreads-1'])}, 2 threads "
                              f"{format_seconds(fastest['pthreads-2'])}; medians {format_seconds(sweep[key]['pthreads-1'])}, "
                              f"{format_seconds(sweep[key]['pthreads-2'])}"
                              + ("" if cpus >= 2 else " (only 1 CPU available)")))
    for key, fastest in sweep_best.items():
        ratio = fastest[f"threading-{top}"] / fastest[f"pthreads-{top}"]
        # "Within 15%": the threading time differs from the pthreads time by at most 15% of the latter.
        targets.append(Target("T5", f"{sweep_label(key)}: threading / pthreads, {top} threads", format_ratio(ratio), "0.85x-1.15x",
                              0.85 <= ratio <= 1.15,
                              f"best calls: threading {format_seconds(fastest[f'threading-{top}'])}, pthreads "
                              f"{format_seconds(fastest[f'pthreads-{top}'])}"))

    # T6: peak memory beyond the input (and, for is_prime, beyond its output).
    for what, limit_text in (("count", "<= 16 MiB"), ("is_prime", "<= 16 MiB beyond its output")):
        probe = memory.get(what)
        if probe is None:
            targets.append(Target("T6", f"{what} on arange(10^8): peak RSS growth", "-", limit_text, None, "not measured"))
            continue
        extra = float(probe["extra_mib"])  # type: ignore[arg-type]
        detail = (f"peak grew {float(probe['growth_mib']):.2f} MiB over the RSS with the {float(probe['array_mib']):.0f} MiB array in memory"  # type: ignore[arg-type]
                  + (f", output {float(probe['output_mib']):.2f} MiB" if what == "is_prime" else "")  # type: ignore[arg-type]
                  + ("" if probe["peak_reset"] else " (VmHWM could not be reset: growth over the earlier peak)"))
        shown = f"{float(probe['growth_mib']):.2f} MiB" if what == "count" else f"{float(probe['output_mib']):.2f} + {extra:.2f} MiB"  # type: ignore[arg-type]
        targets.append(Target("T6", f"{what} on arange(10^8): peak RSS growth", shown, limit_text, extra <= 16, detail))

    # T7: the cost of a small call.
    seconds, _ = small
    targets.append(Target("T7", "count on 100 int64 values: time per call (best)", format_seconds(seconds), "<= 10 us",
                          seconds <= 10e-6, "timeit, best of 7 repeats"))
    return targets, extras


# --- the results file -----------------------------------------------------------------


def build_markdown(info: Dict[str, str], args: argparse.Namespace, inputs: List[BenchInput], method_list: List[Method],
                   all_results: Dict[str, Dict[str, Result]], expected: Dict[str, Optional[int]], notes: List[str],
                   targets: List[Target], extras: List[str], sweep: Dict[str, Dict[str, float]], thread_counts: List[int],
                   problems: List[str], started: str, wall_seconds: float,
                   load_note: str, slug: str) -> str:
    lines = [f"# primes benchmark: {slug}", ""]
    command = " ".join(["python bench/run.py"] + sys.argv[1:])
    lines += [f"Command: `{command}` — {started}, "
              f"{wall_seconds / 60:.1f} min, {args.repeats} timed calls per method and input "
              f"(3 for calls over 1 s, {SWEEP_CALLS_PER_REPEAT * args.repeats} in the thread sweep, whose T5 ratios are of the best calls), medians; methods interleaved "
              "round by round.", ""]
    lines += [load_note + " Absolute times drift on a shared machine; ratios between methods timed side by side hold better.", ""]
    lines += ["## Machine", ""]
    lines += report.markdown_table(["item", "value"], [[key, f"`{value}`" if key == "executable" else value] for key, value in info.items()], align="ll")
    lines += [""]
    lines += ["## Targets", ""]
    lines += ["Ratios computed from this run's medians. \"ours best\" is the fastest of our three modes "
              "(default engine) on that input.", ""]
    lines += report.targets_table(targets)
    if extras:
        lines += [""] + [f"- {extra}" for extra in extras]
    lines += [""]
    lines += ["## Counts", ""]
    if problems:
        lines += ["**COUNTS DISAGREE** — these results are not trustworthy:", ""] + [f"- {p}" for p in problems] + [""]
    else:
        lines += ["Every method counted the same number of primes on every input; on `np.arange(N)` that is pi(N). "
                  "Sampled methods agreed with `primes.reference` on their samples.", ""]
    lines += report.markdown_table(["input", "elements", "dtype", "primes"],
                                    [[b.label, f"{b.size:,}", str(b.array.dtype), f"{expected[b.key]:,}" if expected[b.key] is not None else "-"]
                                     for b in inputs], align="lrlr")
    lines += ["", "## Median time per call", ""]
    lines += ["`*`: measured on a random sample of the input and scaled to its size (see the details); `-`: not run.", ""]
    lines += report.summary_table(inputs, method_list, all_results)
    lines += ["", f"![time against N]({slug}-time-vs-n.png)", ""]
    lines += ["## Threads", "", 'Speed-up over `mode="serial"` on the same input (medians):', ""]
    header = ["input", "serial"] + [f"{mode} {k}" for mode in ("pthreads", "threading") for k in thread_counts]
    rows = []
    for key, medians in sweep.items():
        row = [sweep_label(key), format_seconds(medians["serial"])]
        row += [f"{format_seconds(medians[f'{mode}-{k}'])} ({medians['serial'] / medians[f'{mode}-{k}']:.2f}x)"
                for mode in ("pthreads", "threading") for k in thread_counts]
        rows.append(row)
    lines += report.markdown_table(header, rows)
    lines += ["", f"![speed-up against threads]({slug}-threads.png)", ""]
    if notes:
        lines += ["## Not run", ""] + [f"- {note}" for note in notes] + [""]
    lines += ["## Details per input", ""]
    for bench_input in inputs:
        best, best_label = best_of_ours(all_results[bench_input.key])
        lines += [f"### {bench_input.label} ({bench_input.size:,} x {bench_input.array.dtype}, "
                  f"values {bench_input.min_value:,} to {bench_input.max_value:,})", ""]
        lines += report.detail_table(bench_input, method_list, all_results[bench_input.key], best)
        lines += [""]
    return "\n".join(lines)


def describe_load() -> Tuple[str, Optional[float]]:
    """Other processes' CPU use right now (also returned, in percent) and the load averages, in words."""
    others = machine.others_cpu_percent()
    load = machine.load_average()
    parts = []
    if others is not None:
        parts.append(f"other processes used {others:.0f}% of the CPUs")
    if load is not None:
        parts.append("load average " + ", ".join(f"{x:.2f}" for x in load))
    return "; ".join(parts) or "load unknown", others


# --- main ---------------------------------------------------------------------------


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    started_clock = time.perf_counter()
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cpus = machine.available_cpus()
    slug = machine.machine_slug()
    info = machine.describe()
    load_before, others = describe_load()
    log(f"primes benchmark on {slug}  ({info['CPU model']}, {cpus} CPUs); {load_before}")
    if others is not None and others > 10:
        harness.warn(f"WARNING: other processes are using {others:.0f}% of the CPUs: times, and thread scaling "
                     "above all, will be noisy. Run again when the machine is idle.")
    cpu_at_start = machine.cpu_snapshot()

    notes: List[str] = []
    try:
        import blog

        blog_library: Optional[object] = blog.build(args.build_dir)
    except (OSError, subprocess.CalledProcessError) as exc:
        blog_library = None
        notes.append(f"blog C library: could not compile or load ({exc})")
    method_list: List[Method] = []
    for methods, method_notes in (method_catalog.reference_methods(), method_catalog.our_methods(cpus),
                                  method_catalog.blog_methods(blog_library), method_catalog.peer_methods()):
        method_list += methods
        notes += method_notes
    for note in notes:
        log(f"NOTE: {note}")
    if any(method.key == "numba-mr" for method in method_list):
        import numba_mr

        start = time.perf_counter()
        numba_mr.warm_up()
        log(f"numba: kernels compiled in {time.perf_counter() - start:.1f} s (not timed)")

    inputs = make_inputs(args.quick, args.large)
    all_results: Dict[str, Dict[str, Result]] = {}
    expected: Dict[str, Optional[int]] = {}
    problems: List[str] = []
    for bench_input in inputs:
        log(f"\n== {bench_input.label}: {bench_input.size:,} x {bench_input.array.dtype}")
        results = harness.measure_input(bench_input, method_list, args.repeats, log=log)
        all_results[bench_input.key] = results
        expected[bench_input.key], input_problems = check_counts(bench_input, results)
        for problem in input_problems:
            harness.warn(f"COUNT MISMATCH: {problem}")
        problems += input_problems
        best, _ = best_of_ours(results)
        log("\n".join(report.detail_table(bench_input, method_list, results, best)))

    log("\n== threads (T5)")
    thread_counts = list(range(1, max(2, cpus) + 1))
    # Issue 3's inputs (T3's and T4's), then issue 9's (E1's and E2's kinds at 10^7).
    sweep_inputs = [b for b in inputs if b.family in ("random31", "random64")]
    if not args.quick:
        for bench_input in thread_scaling_inputs():
            expected[bench_input.key], input_problems = agreed_count(bench_input)
            for problem in input_problems:
                harness.warn(f"COUNT MISMATCH: {problem}")
            problems += input_problems
            sweep_inputs.append(bench_input)
    # More calls (SWEEP_CALLS_PER_REPEAT): a thread-count ratio is the most
    # sensitive to the host's speed drifting over seconds (another VM, clock
    # boost), and these calls are short.
    sweep, sweep_best, sweep_problems = thread_sweep(sweep_inputs, expected, thread_counts, SWEEP_CALLS_PER_REPEAT * args.repeats)
    problems += sweep_problems
    for problem in sweep_problems:
        harness.warn(f"COUNT MISMATCH: {problem}")

    log("\n== memory (T6) and small calls (T7)")
    memory: Dict[str, Dict[str, object]] = {}
    for what in ("count", "is_prime"):
        memory[what] = memory_probe(what, MEMORY_PROBE_N)
        log(f"  {what}(arange(10^8)): peak RSS +{float(memory[what]['growth_mib']):.2f} MiB "  # type: ignore[arg-type]
            f"(output {float(memory[what]['output_mib']):.2f} MiB)")  # type: ignore[arg-type]
        if memory[what]["count"] != PI[MEMORY_PROBE_N]:
            problems.append(f"memory probe: {what}(arange(10^8)) gave {memory[what]['count']} primes, expected {PI[MEMORY_PROBE_N]}")
    small_values = small_input()
    small = small_call_seconds(small_values)
    log(f"  count(100 values): {format_seconds(small[0])} per call")
    expected_small = reference.count(small_values.tolist())
    if small[1] != expected_small:
        problems.append(f"T7: count on the 100 values gave {small[1]}, primes.reference {expected_small}")

    targets, extras = evaluate_targets(all_results, sweep, sweep_best, memory, small, cpus)
    log("\n== next_prime, prev_prime and count(axis=): targets N1-N3 (bench/targets_next.py)")
    next_targets, next_problems = targets_next.targets(args.repeats)
    targets += next_targets
    problems += next_problems
    log("\n== the per-element test per CPU level: targets E1-E4, against FLINT (bench/targets_engine.py)")
    engine_targets, engine_problems = targets_engine.targets(args.repeats, args.build_dir)
    targets += engine_targets
    problems += engine_problems
    log("\n== ranges and generation: targets S1-S6 (bench/targets_sieve.py)")
    sieve_targets, sieve_problems = targets_sieve.targets(args.repeats)
    targets += sieve_targets
    problems += sieve_problems
    cpu_at_end = machine.cpu_snapshot()
    others_during = cpu_at_end.others_percent_since(cpu_at_start) if cpu_at_start and cpu_at_end else None
    load_after, _ = describe_load()
    during = "unknown" if others_during is None else f"other processes used {others_during:.0f}% of the CPUs"
    load_note = f"Machine load before the run: {load_before}. During the run: {during}. After: {load_after}."
    if others_during is not None and others_during > 10:
        harness.warn(f"WARNING: other processes used {others_during:.0f}% of the CPUs during the run: "
                         "absolute times and thread scaling are unreliable; run again when the machine is idle.")

    args.out.mkdir(parents=True, exist_ok=True)
    title = f"primes.count vs others, {info['CPU model']}, {cpus} CPUs"
    report.plot_time_vs_n(args.out / f"{slug}-time-vs-n.png", title, inputs, method_list, all_results)
    if sweep:
        report.plot_threads(args.out / f"{slug}-threads.png", f"Thread scaling, {info['CPU model']}, {cpus} CPUs",
                            sweep, thread_counts, sweep_label)
    markdown = build_markdown(info, args, inputs, method_list, all_results, expected, notes, targets, extras, sweep,
                              thread_counts, problems, started, time.perf_counter() - started_clock,
                              load_note, slug)
    results_path = args.out / f"{slug}.md"
    results_path.write_text(markdown + "\n", encoding="utf-8")

    log("\n" + "\n".join(report.summary_table(inputs, method_list, all_results)))
    log("\n" + "\n".join(report.targets_table(targets)))
    for extra in extras:
        log(extra)
    log(f"\nwrote {results_path} and its plots in {args.out} ({(time.perf_counter() - started_clock) / 60:.1f} min)")
    if problems:
        banner = "!" * 78
        harness.warn(f"\n{banner}\nCOUNTS DISAGREE: {len(problems)} problem(s); the results are not trustworthy.")
        for problem in problems:
            harness.warn(f"  - {problem}")
        harness.warn(banner)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
