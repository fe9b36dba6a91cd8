# SPDX-License-Identifier: MIT
"""What ``import primes`` does, checked in fresh interpreters: it warns about
nothing, starts no thread and imports no optional package."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Packages that primes uses only on demand (Dask input, register_threadpoolctl,
# the notebook) or never, and that importing primes must therefore not import.
OPTIONAL = ("dask", "distributed", "matplotlib", "threadpoolctl", "numba", "IPython", "scipy", "pandas")


def run_python(args, tmp_path):
    # From an empty folder, so that the installed package is imported, never
    # a source checkout; without variables that would change warnings or threads.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "PRIMES_NUM_THREADS"}
    return subprocess.run(
        [sys.executable, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def test_import_is_silent_with_warnings_as_errors(tmp_path):
    completed = run_python(["-Werror", "-c", "import primes"], tmp_path)
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, "", "")


def test_import_starts_no_thread_and_imports_no_optional_package(tmp_path):
    code = f"""
import json, os, sys, threading
import numpy  # first: NumPy's BLAS may start its own threads when loaded
python_threads = threading.active_count()
os_threads = len(os.listdir("/proc/self/task"))
import primes
print(json.dumps({{
    "python_threads": [python_threads, threading.active_count()],
    "os_threads": [os_threads, len(os.listdir("/proc/self/task"))],
    "optional_imported": sorted(name for name in {OPTIONAL!r} if name in sys.modules),
}}))
"""
    completed = run_python(["-c", code], tmp_path)
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    before, after = report["python_threads"]
    assert after == before, report
    before, after = report["os_threads"]
    assert after == before, report
    assert report["optional_imported"] == [], report


@pytest.mark.parametrize("name", ["count", "is_prime", "show_config", "register_threadpoolctl"])
def test_first_use_imports_no_optional_package(tmp_path, name):
    calls = {
        "count": "primes.count(numpy.arange(10**5))",
        "is_prime": "primes.is_prime(numpy.arange(10**5), mode='threading')",
        "show_config": "primes.show_config(mode='dicts')",
        # Only threadpoolctl itself, which it is there to register with.
        "register_threadpoolctl": "primes.register_threadpoolctl(); sys.modules.pop('threadpoolctl')",
    }
    code = (
        f"import sys, numpy, primes; {calls[name]}; "
        f"print(sorted(n for n in {OPTIONAL!r} if n in sys.modules))"
    )
    completed = run_python(["-c", code], tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"
