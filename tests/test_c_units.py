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
