# SPDX-License-Identifier: MIT
"""The C library's internal units, called directly by C tests in ``tests/c``.

Each test compiles one C test program with its few library sources into a
temporary folder using the system C compiler, runs it, and checks that it ran
its checks and that none failed:

- ``test_planner.c``: every decision of the planner (``src_c/plan.h``);
- ``test_scheduler.c``: the scheduler's contract (``src_c/scheduler.h``), with
  the fault-injection wrappers to fail a thread start;
- ``test_cpu.c``: CPU detection (``src_c/cpu.h``); the features it reports
  are compared here with the flags of ``/proc/cpuinfo`` (Linux on x86-64).

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
             "avx512ifma", "avx512_vbmi2", "avx512_vpopcntdq")


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
    avx2 = {"avx", "avx2", "bmi2", "fma"} <= expected
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
