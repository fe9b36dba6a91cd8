#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Targets E1-E4 (the per-element test per CPU level): ``python bench/run.py`` calls :func:`targets`; this file also runs alone.

    python bench/targets_engine.py [--repeats 7] [--out bench/results]

The per-element test per core (threads=1), against FLINT's ``n_is_prime``
(the best scalar test), under each CPU level this machine runs
(``PRIMES_CPU_LEVEL`` = baseline, avx2, avx512 as supported):

- E1: 10^6 random values in [0, 2^32) (uint32);
- E2: 10^6 random uint64;
- E3: the 10^5 primes just below 2^32 (uint32);
- E4: the 3x10^4 primes just below 2^64 (uint64).

``primes.count(a, threads=1, method="test")`` is timed (the kernels of the level)
against one pass of the FLINT harness over the same values, round by round
in turn, in wall time, the best of the rounds on both sides.  Our side of a
round is a run of calls in a row about as long as FLINT's pass (a 10^6-element
call takes about 2 ms, FLINT's pass 20-40 ms), timed as a whole and divided
by the calls: on this VM the first call after 20 ms of other work (FLINT's
pass, a sleep, a Python loop) runs up to twice as slow as the next ones
(measured in C with no Python in between), and a run of equal length puts
the same share of such a start into both sides.  Wall time rather than CPU time:
on a shared VM the kernel subtracts the time the host steals lazily, so the
CPU time of a few milliseconds can come out far below the work done (1% of
2 ms calls measured under 90% of their wall time, some under 30%).  The
``auto`` method's time is noted too (on E3 the planner may sieve instead).  FLINT
runs in a small C harness (``bench/flint/flint_is_prime.c``), a shared library
loaded into this process (so that both sides find the input in the same cache
state), compiled here against
the FLINT 3 library that python-flint's wheel bundles (``python_flint.libs``), else
the system's ``libflint`` (Debian's libflint-dev: FLINT 2.9, the same
``int n_is_prime(ulong)``); with neither, the E targets are reported as not
measured, with a note.  Every count must agree with FLINT's (and E3, E4 are all
primes).  Alone, this file also writes ``<machine>-engine.md`` into ``--out``.
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np
from harness import format_ratio, format_seconds
from report import Target

import primes

BENCH_DIR = Path(__file__).resolve().parent
HARNESS = BENCH_DIR / "flint" / "flint_is_prime.c"
SEED = 9
#: What each E target requires at the best level the machine has; E1 also at avx2.
REQUIRED = {"E1": 10.0, "E2": 5.0, "E3": 10.0, "E4": 3.0}
E1_AVX2 = 3.0


def primes_below(top: int, how_many: int, dtype: str) -> np.ndarray:
    """The ``how_many`` largest primes below ``top``, from windows classified by primes.is_prime."""
    found: List[np.ndarray] = []
    total, high = 0, top
    while total < how_many:
        low = high - 2_000_000
        window = np.arange(low, high, dtype=np.uint64)
        chunk = window[primes.is_prime(window)]
        found.insert(0, chunk)
        total += chunk.size
        high = low
    return np.concatenate(found)[-how_many:].astype(dtype)


def inputs() -> List[Tuple[str, str, np.ndarray]]:
    rng = np.random.default_rng(SEED)
    return [
        ("E1", "10^6 random in [0, 2^32), uint32", rng.integers(0, 2**32, 10**6, dtype=np.uint32)),
        ("E2", "10^6 random uint64", rng.integers(0, 2**64, 10**6, dtype=np.uint64, endpoint=False)),
        ("E3", "10^5 primes just below 2^32, uint32", primes_below(2**32, 10**5, "uint32")),
        ("E4", "3x10^4 primes just below 2^64, uint64", primes_below(2**64, 3 * 10**4, "uint64")),
    ]


def find_flint() -> Tuple[Optional[List[str]], str]:
    """Link arguments for a libflint, and what it is (or why there is none)."""
    spec = importlib.util.find_spec("flint")
    if spec is not None and spec.submodule_search_locations:
        site = Path(list(spec.submodule_search_locations)[0]).parent
        for folder in (site / "python_flint.libs", site / "flint"):
            libraries = sorted(glob.glob(str(folder / "libflint*.so*")))
            if libraries:
                lib = Path(libraries[0])
                return [f"-L{lib.parent}", f"-l:{lib.name}", f"-Wl,-rpath,{lib.parent}"], f"python-flint's bundled {lib.name}"
    for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib"):
        if glob.glob(f"{folder}/libflint.so*"):
            return ["-lflint"], f"the system's libflint ({folder})"
    return None, "no libflint found (pip install python-flint, or Debian's libflint-dev)"


class Flint:
    """The compiled harness, loaded into this process: ``run(values)`` -> (CPU seconds, primes, version)."""

    def __init__(self, build_dir: Path, link: List[str]) -> None:
        build_dir.mkdir(parents=True, exist_ok=True)
        library = build_dir / "libflint_is_prime.so"
        compiler = os.environ.get("CC", "cc")
        subprocess.run([compiler, "-O2", "-shared", "-fPIC", str(HARNESS), "-o", str(library), *link], check=True)
        self.lib = ctypes.CDLL(str(library))
        self.lib.flint_harness_version.restype = ctypes.c_char_p
        self.lib.flint_harness_count.restype = ctypes.c_ulong
        self.lib.flint_harness_count.argtypes = [
            np.ctypeslib.ndpointer(np.uint64, ndim=1, flags="C_CONTIGUOUS"), ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_double)]
        self.version = self.lib.flint_harness_version().decode()

    def run(self, values: np.ndarray) -> Tuple[float, int, str]:
        """One pass of n_is_prime over ``values`` (a native uint64 array), on this thread: (wall seconds, primes, version)."""
        seconds = ctypes.c_double(0.0)
        count = self.lib.flint_harness_count(values, values.size, ctypes.byref(seconds))
        return seconds.value, int(count), self.version


def run_of_calls(values: np.ndarray, method: str, calls: int) -> float:
    """Wall seconds per call of ``calls`` calls of primes.count in a row, timed as a whole."""
    start = time.perf_counter()
    for _ in range(calls):
        primes.count(values, threads=1, method=method)
    return (time.perf_counter() - start) / calls


def calls_per_run(flint_seconds: float, values: np.ndarray, method: str) -> int:
    """How many of our calls in a row last about as long as FLINT's pass (1 to 50)."""
    one = min(run_of_calls(values, method, 1) for _ in range(3))
    return max(1, min(50, round(flint_seconds / max(one, 1e-6))))


def time_ours(values: np.ndarray, method: str, repeats: int, calls: int) -> Tuple[float, int]:
    """The best of ``repeats`` runs of ``calls`` calls, in wall seconds per call, and the count."""
    count = int(primes.count(values, threads=1, method=method))  # warm-up
    return min(run_of_calls(values, method, calls) for _ in range(repeats)), count


def paired(flint: "Flint", values: np.ndarray, wide: np.ndarray, repeats: int) -> Tuple[float, int, float, int]:
    """Ours (method test) and FLINT in turn, ``repeats`` rounds: the best of each, and our calls per run.

    A shared machine's speed drifts by tens of percent over seconds, so the two
    sides are timed round by round next to each other rather than one after
    the other, in this process, on the same clock, each following the
    other's; ``wide`` holds the values as FLINT's ulong.  Each of our runs is
    about as long as FLINT's pass (module docstring).
    """
    count = int(primes.count(values, threads=1, method="test"))  # warm-up
    calls = calls_per_run(flint.run(wide)[0], values, "test")
    ours: List[float] = []
    theirs: List[float] = []
    for _ in range(repeats):
        theirs.append(flint.run(wide)[0])
        ours.append(run_of_calls(values, "test", calls))
    return min(ours), count, min(theirs), calls


def levels_here() -> List[str]:
    return list(primes.show_config(mode="dicts")["cpu"]["levels_built"])


def measure(repeats: int, build_dir: Path) -> Tuple[List[Target], List[str], List[List[str]], str]:
    """Targets, problems, table rows (input, level, ns/element, ratio, auto) and the FLINT note."""
    link, flint_note = find_flint()
    problems: List[str] = []
    targets: List[Target] = []
    rows: List[List[str]] = []
    levels = levels_here()
    if link is None:
        for name in REQUIRED:
            targets.append(Target(name, "vs FLINT n_is_prime per core", "-", f">= {REQUIRED[name]:g}x", None, flint_note))
        return targets, problems, rows, flint_note
    try:
        flint = Flint(build_dir, link)
    except (OSError, subprocess.CalledProcessError) as exc:
        note = f"the FLINT harness did not build against {flint_note}: {exc}"
        for name in REQUIRED:
            targets.append(Target(name, "vs FLINT n_is_prime per core", "-", f">= {REQUIRED[name]:g}x", None, note))
        return targets, problems, rows, note
    saved = os.environ.get("PRIMES_CPU_LEVEL")
    anchor = flint_note
    try:
        for name, label, values in inputs():
            wide = np.ascontiguousarray(values, dtype=np.uint64)  # FLINT's ulong, made once per input
            flint_seconds, flint_count, version = flint.run(wide)
            anchor = f"FLINT {version} ({flint_note})"
            if name in ("E3", "E4") and flint_count != values.size:
                problems.append(f"{name}: FLINT counts {flint_count} primes among {values.size} primes")
            per_level: Dict[str, float] = {}
            for level in levels:
                os.environ["PRIMES_CPU_LEVEL"] = level
                seconds, count, flint_seconds, calls = paired(flint, values, wide, repeats)
                auto_seconds, auto_count = time_ours(values, "auto", repeats, calls)
                if count != flint_count or auto_count != flint_count:
                    problems.append(f"{name} at {level}: primes.count gives {count} (test), {auto_count} (auto); "
                                    f"FLINT {flint_count}")
                per_level[level] = seconds
                ratio = flint_seconds / seconds
                rows.append([f"{name} {label}", level, f"{seconds / values.size * 1e9:.2f}",
                             f"{flint_seconds / values.size * 1e9:.2f}", format_ratio(ratio),
                             f"{auto_seconds / values.size * 1e9:.2f}"])
                detail = (f"primes (threads=1, method test, {level}; runs of {calls} calls): {format_seconds(seconds)} = "
                          f"{seconds / values.size * 1e9:.2f} ns/element; FLINT n_is_prime: "
                          f"{flint_seconds / values.size * 1e9:.2f} ns/element; method auto "
                          f"{auto_seconds / values.size * 1e9:.2f} ns/element")
                what = f"{label}, {level}, per core, vs FLINT n_is_prime"
                if name == "E1" and level == "avx2":
                    targets.append(Target("E1", what, format_ratio(ratio), f">= {E1_AVX2:g}x", ratio >= E1_AVX2, detail))
                if level == levels[-1]:  # the best level here: the target
                    targets.append(Target(name, what + " (best level here)", format_ratio(ratio),
                                          f">= {REQUIRED[name]:g}x", ratio >= REQUIRED[name], detail))
                elif not (name == "E1" and level == "avx2"):
                    targets.append(Target(name, what, format_ratio(ratio), "reported", None, detail))
    finally:
        if saved is None:
            os.environ.pop("PRIMES_CPU_LEVEL", None)
        else:
            os.environ["PRIMES_CPU_LEVEL"] = saved
    return targets, problems, rows, anchor


def targets(repeats: int, build_dir: Path = BENCH_DIR / "build") -> Tuple[List[Target], List[str]]:
    """Every E target measured in this run, and the problems found (for bench/run.py)."""
    found, problems, _, _ = measure(repeats, build_dir)
    return found, problems


def write_markdown(path: Path, rows: List[List[str]], found: List[Target], flint_note: str, repeats: int) -> None:
    sys.path.insert(0, str(BENCH_DIR))
    import machine
    import report

    info = machine.describe()
    lines = [f"# Per-element test per CPU level: {machine.machine_slug()}", ""]
    lines += [f"Command: `python bench/targets_engine.py --repeats {repeats}` — "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; CPU: {info['CPU model']}; "
              f"anchor: {flint_note}. threads=1; wall time, the best of {repeats} rounds on both sides, "
              f"each round one FLINT pass and one run of our calls about as long (divided by its calls); "
              f"ns per element.", ""]
    lines += report.markdown_table(["input", "level", "primes (test)", "FLINT", "FLINT / primes", "primes (auto)"],
                                   rows, align="llrrrr")
    lines += ["", "## E targets", ""] + report.targets_table(found)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results")
    parser.add_argument("--build-dir", type=Path, default=BENCH_DIR / "build")
    args = parser.parse_args()
    found, problems, rows, note = measure(args.repeats, args.build_dir)
    for row in rows:
        print("  ".join(row))
    for target in found:
        print(f"{target.name} {target.what}: {target.measured} (required {target.required}: {target.verdict}); "
              f"{target.detail}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if rows:
        import machine

        out = args.out / f"{machine.machine_slug()}-engine.md"
        args.out.mkdir(parents=True, exist_ok=True)
        write_markdown(out, rows, found, note, args.repeats)
        print(f"wrote {out}")
    raise SystemExit(1 if problems else 0)
