# SPDX-License-Identifier: MIT
"""Thread controls: ``threads=``, ``set_threads``/``get_threads``, ``PRIMES_NUM_THREADS``
and the opt-in threadpoolctl limit, checked against scipy.fft's ``set_workers``
semantics (thread-local, nesting, restored on exit, negative values count back
from the CPUs, 0 rejected) and against the precedence the docs state:
``threads=`` > ``set_threads`` > threadpoolctl limit > ``PRIMES_NUM_THREADS`` > CPUs.

Which thread count a call uses is observed where it reaches the C library:
``primes._lib.count_kernel`` is wrapped to record its ``threads`` argument
(the ``threads_reaching_c`` fixture of conftest.py).
"""

from __future__ import annotations

import os
import sys
import threading

import numpy as np
import pytest
import threadpoolctl

import primes
import primes._lib as lib
import primes._threadpoolctl as primes_threadpoolctl

ENV_VAR = "PRIMES_NUM_THREADS"
CPUS = len(os.sched_getaffinity(0))
# Small enough for one direct C call in pthreads mode, so the thread count
# the call resolved is the one passed to C.
SMALL = np.arange(1000)
PI_1000 = 168


@pytest.fixture(autouse=True)
def no_environment_variable(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def count_small(**kwargs):
    assert primes.count(SMALL, mode="pthreads", **kwargs) == PI_1000


# --- set_threads / get_threads, as scipy.fft.set_workers / get_workers ---------------------


def test_default_is_every_available_cpu(threads_reaching_c):
    assert primes.get_threads() == CPUS
    count_small()
    assert threads_reaching_c == [CPUS]


def test_set_threads_value_reaches_the_c_library(threads_reaching_c):
    with primes.set_threads(3):
        count_small()
    count_small()
    assert threads_reaching_c == [3, CPUS]


def test_precedence_threads_argument_then_block_then_environment(monkeypatch, threads_reaching_c):
    monkeypatch.setenv(ENV_VAR, "5")
    count_small()
    with primes.set_threads(4):
        count_small()
        count_small(threads=6)
    assert threads_reaching_c == [5, 4, 6]


def test_set_threads_is_not_inherited_by_threads_started_inside_the_block():
    seen = {}

    def worker():
        seen["worker"] = primes.get_threads()

    with primes.set_threads(3):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        seen["owner"] = primes.get_threads()
    assert seen == {"owner": 3, "worker": CPUS}


def test_set_threads_may_exceed_the_cpu_count(threads_reaching_c):
    with primes.set_threads(CPUS + 5):
        assert primes.get_threads() == CPUS + 5
        count_small()
    assert threads_reaching_c == [CPUS + 5]


@pytest.mark.parametrize("value", [np.int64(2), np.uint8(2), np.int32(-1)], ids=repr)
def test_set_threads_accepts_numpy_integers(value):
    expected = 2 if value > 0 else CPUS
    with primes.set_threads(value):
        assert primes.get_threads() == expected


def test_set_threads_checks_its_argument_on_entering_the_block():
    manager = primes.set_threads(0)  # like scipy's generator-based context manager
    with pytest.raises(ValueError, match="nonzero"):
        with manager:
            pass  # pragma: no cover


def test_set_threads_restores_after_an_exception_in_a_nested_block():
    with primes.set_threads(2):
        with pytest.raises(KeyError):
            with primes.set_threads(-1):
                assert primes.get_threads() == CPUS
                raise KeyError("inside")
        assert primes.get_threads() == 2
    assert primes.get_threads() == CPUS


# --- threadpoolctl: opt-in, process-wide limit -------------------------------------------

@pytest.fixture
def registered():
    primes.register_threadpoolctl()
    yield
    assert primes._threads.process_limit() is None, "a threadpool_limits block leaked its limit"


def primes_entries():
    return [info for info in threadpoolctl.threadpool_info() if info["user_api"] == "primes"]


def test_threadpool_info_lists_the_library_once(registered):
    primes.register_threadpoolctl()  # a second call registers nothing more
    entries = primes_entries()
    assert len(entries) == 1, entries
    (entry,) = entries
    assert os.path.realpath(entry["filepath"]) == os.path.realpath(lib.LIBRARY_PATH)
    assert entry["internal_api"] == "primes"
    assert entry["num_threads"] == CPUS
    assert entry["version"] == primes.__version__


def test_threadpool_limits_sets_the_default_and_restores_it(registered, threads_reaching_c):
    with threadpoolctl.threadpool_limits(limits=1):
        assert primes.get_threads() == 1
        count_small()
        assert primes_entries()[0]["num_threads"] == 1
    assert primes.get_threads() == CPUS
    count_small()
    assert threads_reaching_c == [1, CPUS]


def test_threadpool_limits_ranks_below_set_threads_and_threads_argument(registered, threads_reaching_c):
    with threadpoolctl.threadpool_limits(limits=2):
        with primes.set_threads(3):
            count_small()
        count_small(threads=4)
        count_small()
    assert threads_reaching_c == [3, 4, 2]


def test_threadpool_limits_ranks_above_the_environment_variable(monkeypatch, registered):
    monkeypatch.setenv(ENV_VAR, "3")
    with threadpoolctl.threadpool_limits(limits=1):
        assert primes.get_threads() == 1
    assert primes.get_threads() == 3


def test_leaving_the_block_does_not_freeze_the_default(monkeypatch, registered):
    with threadpoolctl.threadpool_limits(limits=1):
        pass
    monkeypatch.setenv(ENV_VAR, "3")
    assert primes.get_threads() == 3


def test_threadpool_limits_is_process_wide(registered):
    seen = []
    with threadpoolctl.threadpool_limits(limits=1):
        thread = threading.Thread(target=lambda: seen.append(primes.get_threads()))
        thread.start()
        thread.join()
    assert seen == [1]


def test_threadpool_limits_by_user_api(registered):
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        assert primes.get_threads() == CPUS
    with threadpoolctl.threadpool_limits(limits={"primes": 2}):
        assert primes.get_threads() == 2
    with threadpoolctl.threadpool_limits(limits=1, user_api="primes"):
        assert primes.get_threads() == 1


def test_bad_environment_variable_does_not_break_threadpool_info(monkeypatch, registered):
    monkeypatch.setenv(ENV_VAR, "zero")
    assert primes_entries()[0]["num_threads"] is None
    with threadpoolctl.threadpool_limits(limits=2):
        assert primes.get_threads() == 2
    with pytest.raises(ValueError, match=ENV_VAR):
        primes.get_threads()


def test_register_without_threadpoolctl_says_what_to_install(monkeypatch):
    monkeypatch.setattr(primes_threadpoolctl, "_registered", False)
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # makes the import fail
    with pytest.raises(ImportError, match="pip install 'threadpoolctl"):
        primes.register_threadpoolctl()
