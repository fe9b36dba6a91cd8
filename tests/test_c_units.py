# SPDX-License-Identifier: MIT
"""The C library's internal units, called directly by C tests in ``tests/c``.

Each test compiles one C test program with its few library sources into a
temporary folder using the system C compiler, runs it, and checks that it ran
its checks and that none failed:

- ``test_planner.c``: every decision of the planner (``src_c/plan.h``);
- ``test_scheduler.c``: the scheduler's contract (``src_c/scheduler.h``), with
  the fault-injection wrappers to fail a thread start;
- ``test_cpu.c``: CPU detection (``src_c/cpu.h``); the features it reports
  are compared here with the flags of ``/proc/cpuinfo`` (Linux on x86-64);
- ``kernel_check.c``: every CPU level's test kernels (``src_c/test_kernels.h``)
  against the baseline's, value by value, on a sample here (every n < 2^22, the
  base-2 strong pseudoprimes below 2^32, the ends of the range, random values,
  every count 0 .. 70 at every alignment) and on every n < 2^32 in the slow
  tier; a level the CPU lacks is skipped, with the reason.

Skipped, with the reason, only when no C compiler is found (CI has gcc).
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).parents[1]
SRC = ROOT / "src_c"
C_TESTS = ROOT / "tests" / "c"

#: The feature names cpu.c reports, as /proc/cpuinfo spells them.
CPU_FLAGS = ("sse4_2", "avx", "avx2", "bmi2", "fma", "avx512f", "avx512vl", "avx512dq", "avx512bw",
             "avx512ifma", "avx512_vbmi2", "avx512_vpopcntdq", "popcnt")


def build_and_run(compiler: str, tmp_path: Path, test: str, sources: List[str], flags: List[str]) -> str:
    exe = tmp_path / test
    subprocess.run(
        [compiler, "-std=c11", "-O1", "-Wall", "-Wextra", "-D_GNU_SOURCE", f"-I{SRC}", *flags,
         str(C_TESTS / f"{test}.c"), *(str(SRC / s) for s in sources), "-o", str(exe), "-pthread"],
        check=True,
    )
    done = subprocess.run([str(exe)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def checks_passed(output: str, name: str, at_least: int) -> None:
    match = re.search(rf"^{name}: (\d+) checks, (\d+) failed$", output, re.MULTILINE)
    assert match, output
    assert int(match.group(2)) == 0, output
    assert int(match.group(1)) >= at_least, output  # the checks really ran


#: The kernels' sources (tools/c_sources.py gives each its own flags).
KERNEL_SOURCES = ["cpu.c", "tables.c", "test_baseline.c", "test_dispatch.c", "test_avx2.c", "test_avx512.c"]


def run_kernel_check(compiler: str, folder: Path, compile_library, *args: str, timeout: float) -> str:
    objects = compile_library(compiler, folder / "obj", ["-std=c11", "-O2", "-D_GNU_SOURCE"], KERNEL_SOURCES)
    exe = folder / "kernel_check"
    subprocess.run([compiler, "-std=c11", "-O2", "-Wall", "-Wextra", "-D_GNU_SOURCE", f"-I{SRC}",
                    str(C_TESTS / "kernel_check.c"), *map(str, objects), "-o", str(exe), "-pthread", "-lm"], check=True)
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def kernel_check_quick(c_compiler, tmp_path_factory, compile_library) -> str:
    spsp2 = ROOT / "tests" / "data" / "spsp2_below_2^32.txt"
    return run_kernel_check(c_compiler, tmp_path_factory.mktemp("kernels"), compile_library, "quick", str(spsp2),
                            timeout=300)


def level_checked(output: str, level: str) -> None:
    """Passes when ``level`` was checked; skips, with the program's reason, when it was not."""
    skipped = re.search(rf"^level {level}: skipped \((.*)\)$", output, re.MULTILINE)
    if skipped:
        pytest.skip(f"{level} kernels not checked here: {skipped.group(1)}")
    assert re.search(rf"^level {level}: checked$", output, re.MULTILINE), output


@pytest.mark.parametrize("level", ["avx2", "avx512"])
def test_kernels_match_the_baseline_on_a_sample(kernel_check_quick, level):
    checks_passed(kernel_check_quick, "kernels", 100)
    level_checked(kernel_check_quick, level)


@pytest.mark.parametrize("level", ["baseline", "avx2", "avx512"])
def test_pass_kernels_match_c(kernel_check_quick, level):
    # The passes of passes.h, compiled per level: the planner's least and greatest
    # (signed and unsigned, every count 1..70 at every alignment) against C's order,
    # the byte swaps of non-native arrays against the compiler's bswap, the
    # check of arrays taken for np.arange against the differences written out,
    # and the narrowing of 64-bit values to the 32-bit kernel against its definition.
    if level != "baseline":
        level_checked(kernel_check_quick, level)
    assert f"extremes {level}: checked" in kernel_check_quick
    assert f"byteswap {level}: checked" in kernel_check_quick
    assert f"run_mismatch {level}: checked" in kernel_check_quick
    assert f"narrow {level}: checked" in kernel_check_quick
    checks_passed(kernel_check_quick, "kernels", 100)


def test_selfridge_d_matches_the_definition(kernel_check_quick):
    # selfridge_d_baseline (residue tables) against a Jacobi-symbol search by the
    # definition, in the same run: squares, shared factors, every odd n < 2^17.
    assert "selfridge: checked" in kernel_check_quick
    checks_passed(kernel_check_quick, "kernels", 100)


@pytest.mark.slow
def test_kernels_match_the_baseline_on_every_32_bit_value(c_compiler, tmp_path, compile_library):
    output = run_kernel_check(c_compiler, tmp_path, compile_library, "exhaustive", timeout=3600)
    checks_passed(output, "kernels", 3)
    if "level avx2: checked" not in output and "level avx512: checked" not in output:
        pytest.skip("no level above the baseline is usable here: " + output.strip().splitlines()[-2])


def test_planner_decisions(c_compiler, tmp_path):
    output = build_and_run(c_compiler, tmp_path, "test_planner", ["plan.c", "tables.c"], [])
    checks_passed(output, "planner", 90)


def test_scheduler_contract(c_compiler, tmp_path):
    output = build_and_run(c_compiler, tmp_path, "test_scheduler", ["scheduler.c", "fault_injection.c"],
                           ["-DPRIMES_FAULT_INJECTION"])
    checks_passed(output, "scheduler", 130)


def test_cpu_detection_matches_the_kernel(c_compiler, tmp_path):
    output = build_and_run(c_compiler, tmp_path, "test_cpu", ["cpu.c"], [])
    checks_passed(output, "cpu", 19)
    detected = set(re.search(r"^features:(.*)$", output, re.MULTILINE).group(1).split())
    level = int(re.search(r"^level: (\d)$", output, re.MULTILINE).group(1))
    if platform.machine() not in ("x86_64", "AMD64"):
        assert detected == set() and level == 0, output
        return
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.is_file():
        pytest.skip("no /proc/cpuinfo to compare the detected features with")
    flags_line = next(line for line in cpuinfo.read_text().splitlines() if line.startswith("flags"))
    # Linux lists a vector feature only when it also enables its register state,
    # as cpu.c's XGETBV check requires.
    expected = set(flags_line.split(":", 1)[1].split()) & set(CPU_FLAGS)
    assert detected == expected, output
    avx2 = {"avx", "avx2", "bmi2", "fma", "popcnt"} <= expected
    avx512 = avx2 and {"avx512f", "avx512vl", "avx512dq", "avx512bw", "avx512ifma"} <= expected
    assert level == (2 if avx512 else 1 if avx2 else 0), output


# --- the AVX-512 kernels (src_c/test_avx512.c) ------------------------------------------

AVX512_FLAGS = ("avx512f", "avx512vl", "avx512dq", "avx512bw", "avx512ifma")


def cpu_has_avx512() -> bool:
    cpuinfo = Path("/proc/cpuinfo")
    if platform.machine() not in ("x86_64", "AMD64") or not cpuinfo.is_file():
        return False
    flags_line = next((line for line in cpuinfo.read_text().splitlines() if line.startswith("flags")), "")
    return set(AVX512_FLAGS) <= set(flags_line.split(":", 1)[-1].split())


def run_avx512_check(compiler: str, level: str, which: str) -> str:
    """tests/c/kernel_check_avx512.sh at `level` for the `which` build; every
    check it ran must report 0 failures."""
    done = subprocess.run(["bash", str(C_TESTS / "kernel_check_avx512.sh"), level, which],
                          capture_output=True, text=True, timeout=900, env={**os.environ, "CC": compiler})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    reports = re.findall(r"^avx512-[\w-]+: (\d+) checks, (\d+) failed$", done.stdout, re.MULTILINE)
    assert len(reports) >= 7, done.stdout  # shapes, data files, sprp, samples, a range
    assert all(failed == "0" and int(count) > 0 for count, failed in reports), done.stdout
    assert f"kernel_check_avx512: level {level} passed" in done.stdout
    return done.stdout


@pytest.mark.slow
def test_avx512_kernels_match_the_baseline_under_emulation(c_compiler):
    # SIMDe's AVX-512 in AVX2 plus an exact IFMA emulation (tests/c/avx512_emulation.h);
    # .ci/avx512_emulated.sh runs the longer `ci` level.
    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("the AVX-512 kernels exist for x86-64 only")
    if not Path("/usr/include/simde/x86/avx512.h").is_file():
        pytest.skip("SIMDe is not installed (Debian: libsimde-dev): the emulated AVX-512 check needs it")
    output = run_avx512_check(c_compiler, "quick", "emulated")
    assert "range [0, 1000000): 78498 primes" in output


def test_avx512_kernels_match_the_baseline_natively(c_compiler):
    if not cpu_has_avx512():
        pytest.skip("this CPU lacks AVX-512 F/VL/DQ/BW or IFMA: the AVX-512 kernels are checked under "
                    "emulation only (slow tier, .ci/avx512_emulated.sh)")
    output = run_avx512_check(c_compiler, "quick", "native")
    assert "range [0, 1000000): 78498 primes" in output
