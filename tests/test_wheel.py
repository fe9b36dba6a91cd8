"""Build a wheel from the repository, install it in a fresh venv and use it (slow: a real build).

pip fetches the build requirements (meson-python, meson, ninja) and NumPy from
the package index.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).parents[1]
TIMEOUT = 1200  # seconds for each step: builds and downloads can be slow


def run(args, cwd, env):
    completed = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert completed.returncode == 0, (
        f"{' '.join(map(str, args))} failed ({completed.returncode}):\n"
        f"{completed.stdout[-5000:]}\n{completed.stderr[-5000:]}"
    )
    return completed


def test_wheel_builds_installs_and_works(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTHON") and k not in ("PRIMES_NUM_THREADS", "VIRTUAL_ENV")}
    wheelhouse = tmp_path / "wheelhouse"
    run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-w", str(wheelhouse)], cwd=REPO, env=env)
    wheels = list(wheelhouse.glob("primes-*.whl"))
    assert len(wheels) == 1, wheels

    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
    for expected in ("primes/libprimes.so", "primes/__init__.py", "primes/_api.py", "primes/_lib.py",
                     "primes/_threads.py", "primes/cli.py", "primes/reference.py", "primes/__main__.py",
                     "primes/py.typed"):
        assert expected in names, f"{expected} missing from {names}"
    leftovers = [n for n in names if n.endswith((".o", ".a", ".c", ".h")) or "build/" in n or ".mesonpy" in n
                 or "__pycache__" in n or n.startswith(("tests/", "src_c/"))]
    assert leftovers == [], leftovers
    assert any(n.endswith(".dist-info/entry_points.txt") for n in names)

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path, env=env)
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", str(wheels[0])], cwd=tmp_path, env=env)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "import primes, numpy as np; print(primes.count(np.arange(10**6))); print(primes.__file__)"
    completed = run([str(python), "-c", code], cwd=elsewhere, env=env)
    count_line, location = completed.stdout.split()
    assert count_line == "78498"
    assert Path(location).resolve().is_relative_to(venv.resolve()), location

    completed = run([str(venv / "bin" / "primes"), "1000", "-r", "1"], cwd=elsewhere, env=env)
    assert " 168 " in completed.stdout
