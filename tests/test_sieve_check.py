# SPDX-License-Identifier: MIT
"""The segmented sieve engine's own check, ``tests/c/sieve_check.c``, built and run.

It calls ``src_c/sieve_segmented.c`` directly (no scheduler, no Python) and
checks it against tests/data's known values and, integer by integer, against
the library's portable per-element test (Baillie-PSW, which shares nothing
with the sieve).  The quick tier runs its ``--sample`` mode (contexts, the
cancel flag, windows of 6000 at 0, 2^31, 2^32, 2^40 and 2^53); the slow tier
the full check (every engine configuration, windows at every height up to
2^64, pi(x) up to 10^10: minutes).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SOURCES = ["src_c/sieve_segmented.c", "src_c/test_baseline.c", "src_c/tables.c", "tests/c/sieve_check.c"]


def _run(compiler: str, tmp_path: Path, *arguments: str, timeout: float, optimize: str = "-O1") -> str:
    exe = tmp_path / "sieve_check"
    subprocess.run([compiler, "-std=c11", optimize, "-D_GNU_SOURCE", "-Isrc_c", "-Itests/c", *SOURCES, "-o", str(exe),
                    "-pthread"], check=True, cwd=ROOT)
    done = subprocess.run([str(exe), *arguments], capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    return done.stdout


def _passed(output: str, at_least: int) -> None:
    match = re.search(r"^(\d+) checks, (\d+) failures", output, re.MULTILINE)
    assert match, output[-2000:]
    assert int(match.group(2)) == 0, output[-4000:]
    assert int(match.group(1)) >= at_least, output[-2000:]  # the checks really ran


def test_sieve_check_sample(c_compiler, tmp_path):
    _passed(_run(c_compiler, tmp_path, "--sample", timeout=120), 1000)


@pytest.mark.slow
def test_sieve_check_full(c_compiler, tmp_path):
    # -O2: the full check runs for minutes, where the compile time no longer matters.
    _passed(_run(c_compiler, tmp_path, timeout=3600, optimize="-O2"), 10000)
