# SPDX-License-Identifier: MIT
"""primes.show_config(): the build information Meson recorded, the library and the threads."""

from __future__ import annotations

import os
import platform

import numpy as np
import pytest

import primes
import primes._lib as lib


def test_dicts_describe_this_installation(monkeypatch):
    monkeypatch.delenv("PRIMES_NUM_THREADS", raising=False)
    config = primes.show_config(mode="dicts")
    assert config["primes"]["version"] == primes.__version__
    assert config["python"]["numpy"] == np.__version__
    assert config["library"]["path"] == lib.LIBRARY_PATH
    assert os.path.isfile(config["library"]["path"])
    assert config["library"]["abi_version"] == lib.ABI_VERSION
    build = config["build"]
    assert build["compiler"].split()[0] in ("gcc", "clang", "intel", "intel-llvm")
    assert build["buildtype"] == "release"
    assert build["optimization"] == "3"
    assert "-Wconversion" in build["c_args"]
    threads = config["threads"]
    assert threads["default"] == primes.get_threads() == len(os.sched_getaffinity(0))
    assert threads["default_from"] == "the CPUs available to this process"


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the baseline statement is about x86-64 builds")
def test_simd_line_comes_from_the_build():
    # This project builds without -march flags, so the compiler may use no
    # more than the x86-64 baseline; the text is recorded by meson.build.
    simd = primes.show_config(mode="dicts")["build"]["simd"]
    assert simd.startswith("none beyond baseline SSE2"), simd
    # The per-level kernel files are compiled with their own flags, and said so.
    # (On x86-64 the avx2 and avx512 kernels are always built; the cpu
    # section says which of them this CPU can use.)
    assert "test kernels for avx2, avx512 in their own files" in simd, simd


def test_printed_report(capsys, monkeypatch):
    monkeypatch.setenv("PRIMES_NUM_THREADS", "3")
    assert primes.show_config() is None
    out = capsys.readouterr().out
    assert out.startswith(f"primes {primes.__version__} (")
    for expected in (
        f"path: {lib.LIBRARY_PATH}", "compiler: ", "optimization -O3", "SIMD: ",
        "default: 3 (from the environment variable PRIMES_NUM_THREADS)", "PRIMES_NUM_THREADS: '3'",
    ):
        assert expected in out, out


def test_thread_source_follows_the_precedence(monkeypatch):
    monkeypatch.setenv("PRIMES_NUM_THREADS", "3")
    with primes.set_threads(2):
        threads = primes.show_config(mode="dicts")["threads"]
    assert (threads["default"], threads["default_from"]) == (2, "a primes.set_threads() block on this thread")


def test_bad_environment_variable_is_reported_not_raised(monkeypatch, capsys):
    monkeypatch.setenv("PRIMES_NUM_THREADS", "lots")
    primes.show_config()
    assert "default: error: environment variable PRIMES_NUM_THREADS" in capsys.readouterr().out


@pytest.mark.parametrize("mode", ["dict", "json", None, ""])
def test_unknown_mode(mode):
    with pytest.raises(ValueError, match="stdout"):
        primes.show_config(mode=mode)
