# SPDX-License-Identifier: MIT
"""The smoke suite for an installed release wheel, on the system it was installed into.

Usage: python wheel_smoke.py [--exhaustive-bits B] [--expect-machine M] [--expect-glibc V]

``tools/test_wheels.sh`` copies ``tests/`` into a Debian chroot (Debian 11 for
the x86-64 wheel; arm64 Debian 12 under qemu-user for the aarch64 one) and
runs this there, from another folder, with the chroot's own Python and NumPy.
It needs only the installed ``primes``, NumPy and the files of ``tests/data``
(no pytest, nothing to compile), and checks against those files or a NumPy
sieve (``tests/support.py``'s ``segment_mask``), never against the library itself:

- known counts: pi(10^k) for k <= 7 and pi(2^k) for k <= 24 as
  ``count(np.arange(x + 1))`` in every dtype that holds x, and the windows of
  10^6 next to 2^31, 2^32, 2^63 and 2^64 (``windows.json``) in every mode;
- the shared vectors: every edge case in every dtype that holds it, every
  pseudoprime list, the psi_k records and the 64-bit adversaries;
- every dtype (both byte orders, strided), mode and method on the same values;
- the ``primes`` command's table (its console script, in a child process);
- ``show_config()``: printed, and saying the toolchain, glibc 2.17 and the
  machine (``--expect-machine``, ``--expect-glibc``);
- with ``--exhaustive-bits B``: every integer in [0, 2^B) against the sieve,
  as uint32 and int64, with each method (``test`` runs the per-element kernels
  on every value, ``sieve`` the sieve, ``auto`` what the planner picks).

Prints a line per check and closes with "N passed, M failed"; exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path

import numpy as np

import primes
from primes import reference

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
sys.path.insert(0, str(HERE.parent))  # tests/, for the shared helpers
from support import segment_mask  # noqa: E402  (the independent NumPy sieve)

DTYPES = ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64")
# The same dtypes in the other byte order: every one is converted before the C call.
SWAPPED = tuple(np.dtype(name).newbyteorder().str for name in DTYPES if np.dtype(name).itemsize > 1)
SMALL_LIMIT = 1 << 24  # the sieve below covers [0, SMALL_LIMIT)


def data(name):
    """``tests/data/<name>``: the parsed JSON, or a text file's integers (one a line)."""
    text = (DATA / name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else [int(word) for word in text.split()]


def holds(dtype, *values):
    """Whether every value lies in the range of ``dtype``."""
    info = np.iinfo(dtype)
    return all(info.min <= value <= info.max for value in values)


def sieve(low, high):
    """Primality of low..high-1 (0 <= low, high <= 2^32) by the independent NumPy sieve."""
    return segment_mask(low, high)


def check_known_counts():
    pi = data("pi_values.json")
    known = [(v["x"], v["pi"]) for v in pi["values"] if v["label"].startswith("10^") and v["x"] <= 10**7]
    known += [(v["x"], v["pi"]) for v in pi["powers_of_two"] if v["x"] <= SMALL_LIMIT]
    assert len(known) == 7 + 24, known
    for x, expected in known:
        for dtype in DTYPES:
            if holds(dtype, x):
                got = primes.count(np.arange(x + 1, dtype=dtype))
                assert got == expected, f"pi({x}) as {dtype}: {got}, not {expected}"
    return f"{len(known)} values of pi(x), every dtype that holds x"


def check_windows():
    windows = data("windows.json")["windows"]
    for window in windows:
        lo, hi = window["lo"], window["hi"]
        dtypes = [d for d in ("int32", "uint32", "int64", "uint64") if holds(d, lo, hi - 1)]
        window_values = np.uint64(lo) + np.arange(hi - lo, dtype=np.uint64)  # exact: no float on the way
        for dtype in dtypes:
            values = window_values.astype(dtype)
            for mode in primes.MODES:
                got = primes.count(values, mode=mode)
                expected = window["count"]
                assert got == expected, f"{window['name']} {dtype} {mode}: {got}, not {expected}"
    return f"{len(windows)} windows of 10^6 next to 2^31..2^64, every mode"


def check_vectors():
    checked = 0
    for case in data("edge_cases.json")["values"]:
        n, expected = case["n"], case["is_prime"]
        for dtype in DTYPES:
            if holds(dtype, n):
                got = primes.is_prime(np.array([n], dtype=dtype))[0]
                assert bool(got) == expected, f"edge case {n} as {dtype}: {got}"
                checked += 1
    records = data("strong_pseudoprime_records.json")["records"]
    composite_files = ("spsp2_below_1e6.txt", "spsp2_below_2^32.txt", "fermat_psp2_below_1e6.txt",
                       "carmichael_below_1e6.txt", "strong_lucas_selfridge_psp_below_1e6.txt")
    lists = {name: data(name) for name in composite_files}
    lists["psi records"] = sorted({r["n"] for r in records if r["fits_uint64"]})
    for name, values in lists.items():
        for dtype in DTYPES:
            if holds(dtype, *values):
                array = np.array(values, dtype=dtype)
                for mode in primes.MODES:
                    count = primes.count(array, mode=mode)
                    assert count == 0, f"{name} as {dtype}, {mode}: {count} composites called prime"
                checked += len(values)
    adversaries = data("adversaries_64.json")["values"]
    array = np.array([a["n"] for a in adversaries], dtype=np.uint64)
    expected = np.array([a["is_prime"] for a in adversaries])
    for method in primes.METHODS:
        mismatch = np.flatnonzero(primes.is_prime(array, method=method) != expected)
        assert mismatch.size == 0, f"adversary {array[mismatch[0]]} misclassified by method={method}"
    checked += array.size
    return f"{checked} classifications: edge cases, 6 composite lists, {array.size} 64-bit adversaries"


def sample_values(dtype):
    """Small values, the top of the dtype's range and (signed) the bottom, with their primality."""
    info = np.iinfo(dtype)
    small = list(range(0, min(int(info.max), 3000) + 1))
    top = list(range(max(int(info.max) - 600, 3001), int(info.max) + 1))
    bottom = list(range(int(info.min), int(info.min) + 50)) if info.min < 0 else []
    values = small + top + bottom + [-1, -2, -3] * (info.min < 0)
    expected = [bool(flag) for flag in sieve(0, len(small))]
    # The top of a wide dtype is beyond the sieve: the pure-Python reference decides there.
    expected += [reference.is_prime(v) for v in top] + [False] * (len(values) - len(small) - len(top))
    return values, np.array(expected)


def check_dtypes_modes_methods():
    combinations = 0
    for dtype in DTYPES + SWAPPED:
        values, expected = sample_values(np.dtype(dtype).newbyteorder("="))
        array = np.array(values, dtype=dtype)
        strided = np.repeat(array, 2)[::2]  # a non-contiguous view with the same values
        for mode in primes.MODES:
            for method in primes.METHODS:
                for candidate in (array, strided):
                    mask = primes.is_prime(candidate, mode=mode, method=method)
                    assert mask.dtype == np.bool_ and mask.shape == candidate.shape, (dtype, mode, method)
                    bad = np.flatnonzero(mask != expected)
                    assert bad.size == 0, f"{dtype} {mode} {method}: {values[bad[0]]} misclassified"
                    count = primes.count(candidate, mode=mode, method=method)
                    assert count == int(expected.sum()), f"{dtype} {mode} {method}: count {count}"
                    combinations += 1
        for threads in (1, 3):
            assert primes.count(array, threads=threads) == int(expected.sum()), (dtype, threads)
    assert primes.is_prime(2**64 - 59) and not primes.is_prime(2**64 - 1)
    return f"{len(DTYPES + SWAPPED)} dtypes x {len(primes.MODES)} modes x {len(primes.METHODS)} methods, " \
        f"contiguous and strided ({combinations} calls)"


def check_cli():
    command = Path(sys.executable).with_name("primes")
    assert command.is_file(), f"no console script at {command}"
    table = subprocess.run(
        [str(command), "1000", "--repeats", "1"], capture_output=True, text=True, check=True, timeout=600,
    ).stdout
    for row, mode in (("pure Python", "python"), ("C serial", "serial"), ("C pthreads", "pthreads"),
                      ("Python threads + C", "threading")):
        assert re.search(rf"^{re.escape(row)}\s+{mode}\s+168\s", table, flags=re.MULTILINE), table
    return f"`{command.name} 1000`: 168 primes in every row"


def check_show_config(expect_machine, expect_glibc):
    primes.show_config()
    build = primes.show_config(mode="dicts")["build"]
    assert build["optimization"] == "3" and build["buildtype"] == "release", build
    machine = expect_machine or platform.machine()
    assert build["host"] == f"linux {machine}", (build["host"], machine)
    if expect_glibc:
        assert build["glibc"] == expect_glibc, build["glibc"]
        assert build["toolchain"].startswith("Zig "), build["toolchain"]
    return f"{build['compiler']}; {build['toolchain'] or 'system compiler'}; glibc {build['glibc']} headers"


def check_exhaustive(bits):
    limit = 1 << bits
    expected = sieve(0, limit)
    for dtype in ("uint32", "int64"):
        values = np.arange(limit, dtype=dtype)
        for method in primes.METHODS:
            bad = np.flatnonzero(primes.is_prime(values, method=method) != expected)
            assert bad.size == 0, f"{dtype} method={method}: {int(bad[0])} misclassified"
    # method="test" puts every value through the per-element kernels, "sieve" through the sieve.
    return f"every integer in [0, 2^{bits}): uint32 and int64, methods {', '.join(primes.METHODS)}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhaustive-bits", type=int, default=0, help="also check [0, 2^B) (B <= 32)")
    parser.add_argument("--expect-machine", help="the host CPU family show_config must report")
    parser.add_argument("--expect-glibc", help="the glibc headers show_config must report (Zig build)")
    args = parser.parse_args(argv)
    print(f"primes {primes.__version__} at {primes.__file__}")
    print(f"Python {platform.python_version()} on {platform.machine()}, NumPy {np.__version__}, "
          f"glibc {platform.libc_ver()[1]}", flush=True)
    checks = [(check, ()) for check in (check_known_counts, check_windows, check_vectors,
                                        check_dtypes_modes_methods, check_cli)]
    checks.append((check_show_config, (args.expect_machine, args.expect_glibc)))
    if args.exhaustive_bits:
        checks.append((check_exhaustive, (args.exhaustive_bits,)))
    passed = failed = 0
    for check, check_args in checks:
        start = time.perf_counter()
        name = check.__name__
        try:
            summary = check(*check_args)
        except Exception:  # report every check, then fail
            failed += 1
            print(f"FAIL {name}:\n{traceback.format_exc()}", flush=True)
        else:
            passed += 1
            print(f"ok   {summary} ({time.perf_counter() - start:.1f} s)", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
