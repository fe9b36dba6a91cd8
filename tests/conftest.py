# SPDX-License-Identifier: MIT
"""Session fixtures for the primes test suite.

The helpers themselves are in ``tests/support.py``, which test modules import
(``from support import ...``); this file cannot be imported (pytest runs with
``--import-mode=importlib``) and only makes fixtures of what is worth
computing once per session, and of the C toolchain (``c_compiler``,
``library_sources``) for the tests that build the C sources themselves.

Test tiers (tests/README.md): a bare ``pytest`` runs the quick tier and skips
the tests marked ``slow``; ``pytest --run-slow`` runs both tiers (and an
explicit ``-m`` expression that names ``slow``, such as ``-m slow``, selects
slow tests itself).  ``@pytest.mark.needs_memory(gib)`` skips a test, with the
reason, when the machine has less memory available than it needs.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Callable, List, Sequence

import numpy as np
import pytest

import primes._lib
import support
from primes.cli import available_memory

SRC_C = Path(__file__).parents[1] / "src_c"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow", action="store_true", default=False,
        help="also run the slow tier (tests marked slow: exhaustive, huge, load, packaging)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs_memory(gib): skip unless this much memory (GiB) is available (MemAvailable)"
    )


def _slow_tier_selected(config: pytest.Config) -> bool:
    return bool(config.getoption("--run-slow")) or "slow" in (config.getoption("markexpr") or "")


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    if _slow_tier_selected(config):
        return
    skip_slow = pytest.mark.skip(reason="slow tier: run it with pytest --run-slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip_slow)


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("needs_memory")
    if marker is not None:
        needed = float(marker.args[0]) * 2**30
        available = available_memory() or 0  # unknown (no /proc/meminfo): skip
        if available < needed:
            pytest.skip(
                f"needs {needed / 2**30:.1f} GiB of memory, {available / 2**30:.1f} GiB available"
            )


@pytest.fixture(scope="session")
def sieve_1e7() -> np.ndarray:
    """Primality of 0 .. 10**7 (length 10**7 + 1), read-only: :func:`support.sieve_1e7`."""
    return support.sieve_1e7()


@pytest.fixture(scope="session")
def pi_values() -> dict:
    """pi(x) by label ("10^6", "2^31", ...) from pi_values.json, as {label: (x, pi)}."""
    data = support.load_json("pi_values.json")
    return {item["label"]: (item["x"], item["pi"]) for item in data["values"] + data["powers_of_two"]}


@pytest.fixture
def threads_reaching_c(monkeypatch) -> list:
    """A list that receives the ``threads`` argument of every C count call."""
    seen = []
    real_count_kernel = primes._lib.count_kernel

    def recording_count_kernel(values, threads, method=0, cancel=None):
        seen.append(threads)
        return real_count_kernel(values, threads, method, cancel)

    monkeypatch.setattr(primes._lib, "count_kernel", recording_count_kernel)
    return seen


@pytest.fixture(scope="session")
def c_compiler() -> str:
    """The system C compiler (``cc``, else ``gcc``); skips the test when there is none."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler (cc or gcc) on PATH to build the C sources")
    return compiler


def _c_sources_tool():
    """tools/c_sources.py, the list of the library's sources and their own flags."""
    path = Path(__file__).parents[1] / "tools" / "c_sources.py"
    spec = importlib.util.spec_from_file_location("c_sources", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def library_sources() -> List[Path]:
    """The C library's portable sources: every ``src_c/*.c`` but the include-templates
    and the per-level kernel files (``*_avx2.c``, ...), which need their own flags.
    Compiled together in one command they give a library with the baseline kernels only;
    :func:`compile_library` builds every level."""
    return _c_sources_tool().portable_sources()


@pytest.fixture(scope="session")
def compile_library() -> Callable[[str, Path, Sequence[str]], List[Path]]:
    """``compile_library(compiler, outdir, flags)``: every library source compiled into
    ``outdir`` with ``flags`` and its own flags; returns the object files."""
    return _c_sources_tool().compile_objects
