# SPDX-License-Identifier: MIT
"""The ``primes`` command: in-process through ``primes.cli.main`` and as real processes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from primes import cli

ROW_LABELS = {
    "python": "pure Python",
    "serial": "C serial",
    "pthreads": "C pthreads",
    "threading": "Python threads + C",
}


@pytest.fixture(autouse=True)
def _no_thread_env(monkeypatch):
    monkeypatch.delenv("PRIMES_NUM_THREADS", raising=False)


def table_rows(out: str) -> dict:
    """The table's rows as {mode: count}."""
    rows = {}
    for line in out.splitlines():
        for mode, label in ROW_LABELS.items():
            if line.startswith(label + " "):
                fields = line[len(label):].split()
                assert fields[0] == mode, line
                rows[mode] = int(fields[1])
    return rows


def test_all_four_rows(capsys):
    assert cli.main(["10000", "--repeats", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert table_rows(captured.out) == {mode: 1229 for mode in ROW_LABELS}
    for line in captured.out.splitlines():
        if any(line.startswith(label) for label in ROW_LABELS.values()):
            assert " 1229 " in line


def test_selected_modes(capsys):
    assert cli.main(["10000", "--modes", "serial", "pthreads", "-r", "2"]) == 0
    out = capsys.readouterr().out
    assert table_rows(out) == {"serial": 1229, "pthreads": 1229}
    assert "pure Python" not in out and "Python threads + C" not in out


@pytest.mark.parametrize("text, expected", [("1e4", 1229), ("10_000", 1229), ("0", 0), ("1", 0), ("3", 1)])
def test_n_spellings(capsys, text, expected):
    assert cli.main([text, "-r", "1", "--modes", "serial", "python"]) == 0
    assert table_rows(capsys.readouterr().out) == {"serial": expected, "python": expected}


def test_threads_option(capsys):
    assert cli.main(["100000", "-t", "3", "-r", "1", "--modes", "pthreads", "threading"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"threads: 3\b", out)
    assert table_rows(out) == {"pthreads": 9592, "threading": 9592}


def test_help(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code in (0, None)
    out = capsys.readouterr().out
    assert "N" in out.split()  # the positional argument
    for word in ("--modes", "--threads", "--repeats", "pthreads", "threading", "serial"):
        assert word in out


@pytest.mark.parametrize(
    "argv",
    [["-5"], ["abc"], ["1.5"], ["--threads", "0"], ["-t", "-2"], ["--repeats", "0"], ["-r", "x"],
     ["--bogus"], ["10", "20"], ["--modes", "fast"], ["--modes"]],
    ids=lambda argv: " ".join(argv) or "empty",
)
def test_bad_arguments_exit_2_with_one_line(capsys, argv):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("\n") and captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("primes: error:")


def test_bad_environment_variable_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.setenv("PRIMES_NUM_THREADS", "abc")
    with pytest.raises(SystemExit) as info:
        cli.main(["100", "-r", "1"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PRIMES_NUM_THREADS" in err


# --- as real processes ---------------------------------------------------------------------


def clean_env():
    return {k: v for k, v in os.environ.items() if k != "PRIMES_NUM_THREADS"}


def test_console_script(tmp_path):
    script = shutil.which("primes", path=str(Path(sys.executable).parent))
    assert script is not None, f"no 'primes' console script next to {sys.executable}; is the package installed?"
    completed = subprocess.run(
        [script, "100000", "--repeats", "1"],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert table_rows(completed.stdout) == {mode: 9592 for mode in ROW_LABELS}


def test_python_dash_m(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "primes", "1000", "-r", "1"],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert table_rows(completed.stdout) == {mode: 168 for mode in ROW_LABELS}


def test_python_dash_m_bad_argument(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "primes", "--repeats", "0"],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1
