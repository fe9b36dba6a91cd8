# SPDX-License-Identifier: MIT
"""What the benchmark ran on: CPU, core count, versions, and a short slug for file names."""

from __future__ import annotations

import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Dict, List, Optional, Tuple

__all__ = ["available_cpus", "cpu_model", "machine_slug", "describe", "load_average", "others_cpu_percent",
           "CpuSnapshot", "cpu_snapshot"]

PEER_PACKAGES = ("numba", "llvmlite", "gmpy2", "python-flint", "sympy", "primesieve", "matplotlib")


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's total)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def cpu_model() -> str:
    """The CPU's model name, from /proc/cpuinfo on Linux, else from platform."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown-cpu"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def best_cpu_level() -> str:
    """The best level of ``primes``' kernels this CPU supports: "avx512", "avx2" or "baseline"."""
    import primes

    return str(primes.show_config(mode="dicts")["cpu"]["best_level"])


def machine_slug() -> str:
    """A short, file-name-safe machine name, e.g. ``linux-x86_64-amd-epyc-avx2-2cpu``.

    Marketing noise ("(R)", "CPU", "@ 2.40GHz", "n-Core Processor") is dropped
    so the slug stays short but still tells machines apart.  The best kernel
    level the CPU supports is part of it: VMs of one model name ("AMD EPYC")
    come with and without AVX-512, and their figures differ by that.
    """
    model = cpu_model()
    model = re.sub(r"\((R|TM|tm|r)\)", " ", model)
    model = re.sub(r"@.*$", " ", model)
    model = re.sub(r"\b(CPU|Processor|\d+-Core)\b", " ", model, flags=re.IGNORECASE)
    model_slug = _slug(model)[:32].strip("-") or "cpu"
    system = _slug(platform.system()) or "unknown"
    return f"{system}-{platform.machine().lower()}-{model_slug}-{best_cpu_level()}-{available_cpus()}cpu"


def load_average() -> Optional[Tuple[float, float, float]]:
    try:
        return os.getloadavg()
    except OSError:
        return None


def _cpu_ticks() -> Tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from the first line of /proc/stat."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(x) for x in stat.readline().split()[1:9]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def others_cpu_percent(seconds: float = 2.0) -> Optional[float]:
    """How busy the machine's CPUs are while this process sleeps, in percent.

    The load average lags by minutes; this samples /proc/stat over
    ``seconds`` and, since the benchmark itself is idle meanwhile, measures
    what other processes are using right now.  None where /proc is missing.
    """
    try:
        busy_before, total_before = _cpu_ticks()
        time.sleep(seconds)
        busy_after, total_after = _cpu_ticks()
    except (OSError, ValueError):
        return None
    elapsed = total_after - total_before
    return 100.0 * (busy_after - busy_before) / elapsed if elapsed > 0 else None


@dataclass
class CpuSnapshot:
    """Cumulative CPU time of the whole machine and of this process (with its children)."""

    busy_seconds: float  # all CPUs, all processes, since boot
    total_seconds: float  # all CPUs, busy or idle, since boot
    own_seconds: float  # this process and its waited-for children

    def others_percent_since(self, earlier: "CpuSnapshot") -> Optional[float]:
        """Share of the CPUs that other processes used between ``earlier`` and this snapshot."""
        total = self.total_seconds - earlier.total_seconds
        if total <= 0:
            return None
        others = (self.busy_seconds - earlier.busy_seconds) - (self.own_seconds - earlier.own_seconds)
        return max(0.0, 100.0 * others / total)


def cpu_snapshot() -> Optional[CpuSnapshot]:
    """Read a :class:`CpuSnapshot`; None where /proc/stat is missing."""
    try:
        busy, total = _cpu_ticks()
        ticks_per_second = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None
    own = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        own += usage.ru_utime + usage.ru_stime
    return CpuSnapshot(busy / ticks_per_second, total / ticks_per_second, own)


def _first_line(command: List[str]) -> str:
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "not found"
    return (completed.stdout or completed.stderr).strip().splitlines()[0] if completed.returncode == 0 else "not found"


def library_compiler(path: str) -> str:
    """The compiler recorded in a shared object's .comment section (GCC and Clang write one)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return "unknown"
    found = re.findall(rb"(?:GCC: \([^)]*\) [0-9.]+|clang version [0-9.]+)", data)
    return ", ".join(sorted({item.decode() for item in found})) or "unknown"


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def describe() -> Dict[str, str]:
    """Everything worth recording next to the numbers, in display order."""
    import numpy
    import primes
    from primes import _lib

    info = {
        "machine": machine_slug(),
        "CPU model": cpu_model(),
        "CPUs available": str(available_cpus()),
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "NumPy": numpy.__version__,
        "primes": primes.__version__,
        "libprimes.so built by": library_compiler(_lib.LIBRARY_PATH),
        "blog C compiler (cc)": _first_line(shlex.split(os.environ.get("CC", "cc")) + ["--version"]),
    }
    for name in PEER_PACKAGES:
        info[name] = package_version(name)
    try:
        import primesieve

        info["primesieve"] += f" (libprimesieve {primesieve.primesieve_version().decode()})"
    except ImportError:
        pass
    try:
        import gmpy2

        info["gmpy2"] += f" ({gmpy2.mp_version()})"
    except ImportError:
        pass
    info["executable"] = sys.executable
    return info
