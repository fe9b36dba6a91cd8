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


@pytest.mark.parametrize(
    "text, expected", [("1e4", 1229), ("10_000", 1229), ("2.0e1", 8), ("0", 0), ("1", 0), ("3", 1)]
)
def test_n_spellings(capsys, text, expected):
    assert cli.main([text, "-r", "1", "--modes", "serial", "python"]) == 0
    assert table_rows(capsys.readouterr().out) == {"serial": expected, "python": expected}


def speedups(out: str) -> dict:
    """The speed-up column of the table, as {mode: text}."""
    rows = {}
    for line in out.splitlines():
        for mode, label in ROW_LABELS.items():
            if line.startswith(label + " "):
                rows[mode] = line.split()[-1]
    return rows


@pytest.mark.parametrize("n", range(10))
def test_small_n_prints_the_counts_and_no_speed_ups(capsys, n):
    # pi(n - 1) for n = 0..9 (the primes below 10 are 2, 3, 5, 7)
    expected = sum(1 for p in (2, 3, 5, 7) if p < n)
    assert cli.main([str(n), "-r", "1"]) == 0
    out = capsys.readouterr().out
    assert table_rows(out) == {mode: expected for mode in ROW_LABELS}
    assert set(speedups(out).values()) == {"-"}, out
    assert f"speed-ups are shown from N = {cli.SPEEDUP_MIN_N:,}" in out


def test_speed_ups_shown_from_the_threshold(capsys):
    assert cli.main([str(cli.SPEEDUP_MIN_N), "-r", "1"]) == 0
    out = capsys.readouterr().out
    assert all(re.fullmatch(r"[\d,]+\.\dx", text) for text in speedups(out).values()), out
    assert speedups(out)["python"] == "1.0x" and "speed-ups are shown" not in out


def assert_one_line_usage_error(capsys, info):
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("primes: error:") and captured.err.count("\n") == 1, captured.err
    return captured.err


@pytest.mark.parametrize("text", ["1e11", "10**12", "3e19", "18446744073709551616", "1e400", "1e999999999"])
def test_size_the_machine_cannot_hold_is_a_one_line_error(capsys, monkeypatch, text):
    monkeypatch.setattr(cli, "available_memory", lambda: 2**30)
    with pytest.raises(SystemExit) as info:
        cli.main([text.replace("10**12", str(10**12)), "-r", "1"])
    err = assert_one_line_usage_error(capsys, info)
    assert "primes.count(range(N))" in err
    assert "more than any machine can hold" in err or "GiB of memory" in err


def test_size_checked_against_the_available_memory(capsys, monkeypatch):
    # 10**6 elements need 8 MB for the array and 36 MB for the pure-Python row's list.
    monkeypatch.setattr(cli, "available_memory", lambda: 20 * 10**6)
    with pytest.raises(SystemExit) as info:
        cli.main(["1e6", "-r", "1"])
    err = assert_one_line_usage_error(capsys, info)
    assert "needs 42.0 MiB" in err and "19.1 MiB are available" in err, err
    assert cli.main(["1e6", "-r", "1", "--modes", "serial"]) == 0  # 8 MB: fits without the list
    assert table_rows(capsys.readouterr().out) == {"serial": 78498}


def test_allocation_failure_is_the_same_error(capsys, monkeypatch):
    # Memory unknown (no /proc/meminfo): NumPy refuses the size itself.
    monkeypatch.setattr(cli, "available_memory", lambda: None)
    with pytest.raises(SystemExit) as info:
        cli.main(["3e19", "-r", "1"])
    err = assert_one_line_usage_error(capsys, info)
    assert "could not be allocated" in err and "primes.count(range(N))" in err


@pytest.mark.parametrize("option", ["--threads", "--repeats"])
def test_each_rule_has_one_message(capsys, option):
    messages = set()
    for bad in ("0", "-1", "-2", "abc", "1.5", "", "nan"):
        with pytest.raises(SystemExit) as info:
            cli.main([option, bad])
        err = assert_one_line_usage_error(capsys, info)
        messages.add(err.replace(repr(bad), "VALUE"))
    assert len(messages) == 1, messages
    assert "must be a positive integer, got VALUE" in messages.pop()


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
