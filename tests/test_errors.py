# SPDX-License-Identifier: MIT
"""Wrong inputs and settings raise the documented Python exceptions with useful messages."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import primes
from support import MODES, unaligned

FUNCTIONS = [pytest.param(primes.count, id="count"), pytest.param(primes.is_prime, id="is_prime")]


# --- non-integer inputs -----------------------------------------------------------------

NON_INTEGER_ARRAYS = [
    np.array([1.0, 2.0]),
    np.array([2.0], dtype=np.float32),
    np.array([2.0], dtype=np.float16),
    np.array([2.0], dtype=np.longdouble),
    np.array([1 + 2j]),
    np.array([True, False]),
    np.array(["abc", "7"]),
    np.array([b"abc"]),
    np.array(["2020-01-01"], dtype="datetime64[D]"),
    np.array([5], dtype="timedelta64[s]"),
    np.zeros(3, dtype=[("a", "<i4")]),
    np.zeros(3, dtype=[("a", "<i4"), ("b", "u1")]),
    np.zeros(2, dtype="V8"),
    np.array(7.0),
    np.float64(3.0),
    np.bool_(True),
    np.datetime64("2020-01-01"),
    np.empty((0,), dtype=np.float64),
]
# (Object arrays are accepted when they hold integers: see the tests below.)


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize("value", NON_INTEGER_ARRAYS, ids=lambda v: f"dtype-{np.asarray(v).dtype}")
def test_non_integer_dtypes_raise_type_error_naming_the_dtype(func, value):
    with pytest.raises(TypeError) as info:
        func(value)
    assert str(np.asarray(value).dtype) in str(info.value)


NON_INTEGER_OBJECTS = [
    pytest.param([1.0, 2.0], "float", id="list-of-floats"),
    pytest.param([1, 2.5], "float", id="list-int-and-float"),
    pytest.param([[1, 2], [3.0, 4]], "float", id="nested-list-with-float"),
    pytest.param(2.0, "float", id="python-float"),
    pytest.param(None, "None", id="None"),
    pytest.param([1, None], "None", id="list-with-None"),
    pytest.param(True, "bool", id="python-bool"),
    pytest.param([True, False], "bool", id="list-of-bools"),
    pytest.param([1, True], "bool", id="list-int-and-bool"),
    pytest.param("17", "U", id="str"),
    pytest.param(b"17", "S", id="bytes"),
    pytest.param([1, "a"], "U", id="list-int-and-str"),
    pytest.param(1 + 0j, "complex", id="python-complex"),
    pytest.param({1, 2}, "set", id="set"),
    pytest.param(object(), "object", id="object"),
    pytest.param([2**64, 1.5], "", id="list-big-int-and-float"),
]


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize("value, named", NON_INTEGER_OBJECTS)
def test_non_integer_objects_raise_type_error(func, value, named):
    with pytest.raises(TypeError) as info:
        func(value)
    assert named in str(info.value)


def _as_object_array(value):
    """The elements of a (nested) list as an object array of the same shape."""
    array = np.empty(np.shape(np.asarray(value, dtype=object)), dtype=object)
    array[...] = np.asarray(value, dtype=object)
    return array


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize(
    "items",
    [pytest.param(case.values[0], id=case.id) for case in NON_INTEGER_OBJECTS if isinstance(case.values[0], list)],
)
def test_object_arrays_fail_as_the_same_list_does(func, items):
    """An object array of non-integers is refused with the error type of the same values in a list."""
    with pytest.raises(TypeError) as from_list:
        func(items)
    with pytest.raises(TypeError) as from_objects:
        func(_as_object_array(items))
    assert type(from_objects.value) is type(from_list.value)


@pytest.mark.parametrize("func", FUNCTIONS)
def test_object_arrays_of_integers_are_counted_as_lists_are(func):
    items = [[2, 4, 2**64 - 59], [-(2**63), 97, 1]]
    expected = func(items)
    got = func(_as_object_array(items))
    np.testing.assert_array_equal(got, expected)
    assert type(got) is type(expected)


# --- bools, wherever they hide --------------------------------------------------------------

HIDDEN_BOOLS = [
    pytest.param(lambda: [True, 2], id="list-bool-and-int"),
    pytest.param(lambda: [np.array([True, False]), np.array([2, 3])], id="list-of-bool-and-int-arrays"),
    pytest.param(lambda: [np.array(True), 5], id="list-0d-bool-array-and-int"),
    pytest.param(lambda: [np.bool_(False), 7], id="list-numpy-bool-and-int"),
    pytest.param(lambda: ((2, 3), (np.True_, 5)), id="nested-tuple-numpy-bool"),
    pytest.param(lambda: [[2, 3], [np.array([True, False])[0], 5]], id="nested-list-bool-element"),
    pytest.param(lambda: [[np.array([1, 2])], [np.array([True, True])]], id="nested-lists-of-arrays"),
    pytest.param(lambda: np.array([True, 2], dtype=object), id="object-array-bool-and-int"),
    pytest.param(lambda: np.array([np.True_, 2], dtype=object), id="object-array-numpy-bool"),
    pytest.param(lambda: np.array([True, False]), id="bool-array"),
    pytest.param(lambda: np.array(True), id="0d-bool-array"),
    pytest.param(lambda: np.True_, id="numpy-bool"),
    pytest.param(lambda: True, id="python-bool"),
]


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize("make", HIDDEN_BOOLS)
def test_bools_are_refused_wherever_they_hide_with_one_message(func, make):
    """NumPy would make True and False the integers 1 and 0 (``np.asarray([np.array(True), 5])``
    is ``array([1, 5])``); every such input is a TypeError with the same message."""
    with pytest.raises(TypeError) as plain:
        func([True, 2])
    with pytest.raises(TypeError) as info:
        func(make())
    assert str(info.value) == str(plain.value)
    assert "bool" in str(info.value)


@pytest.mark.parametrize("func", FUNCTIONS)
def test_ragged_nested_list_is_rejected(func):
    with pytest.raises((TypeError, ValueError)):
        func([[1, 2], [3]])


# --- out-of-range Python ints -----------------------------------------------------------

OUT_OF_RANGE = [
    pytest.param(2**64, id="2^64"),
    pytest.param(2**64 + 1, id="2^64+1"),
    pytest.param(10**30, id="10^30"),
    pytest.param(-(2**63) - 1, id="-2^63-1"),
    pytest.param(-(10**30), id="-10^30"),
    pytest.param([2**64], id="list-2^64"),
    pytest.param([5, -(2**63) - 1], id="list-5,-2^63-1"),
    pytest.param([-1, 2**64], id="list-(-1),2^64"),
    pytest.param([[2, 3], [4, 2**64]], id="nested-2^64"),
    pytest.param((2**70,), id="tuple-2^70"),
    pytest.param(range(2**64 - 2, 2**64 + 2), id="range-across-2^64"),
    pytest.param([np.uint64(3), 2**64], id="numpy-uint64-and-2^64"),
]


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_python_ints_outside_64_bits_raise_overflow_error(func, value):
    with pytest.raises(OverflowError):
        func(value)


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize("value", [case for case in OUT_OF_RANGE if isinstance(case.values[0], (list, tuple))])
def test_object_arrays_outside_64_bits_raise_overflow_error(func, value):
    with pytest.raises(OverflowError):
        func(_as_object_array(value))


@pytest.mark.parametrize("value", [2**64 - 1, -(2**63), [2**64 - 1, -(2**63)]], ids=["2^64-1", "-2^63", "both"])
def test_python_ints_at_the_64_bit_limits_are_accepted(value):
    assert primes.count(value) == 0


# --- mode and threads -------------------------------------------------------------------


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize("mode", ["fast", "Serial", "pthread", "", None, 1, ("serial",)])
def test_unknown_mode_lists_the_modes(func, mode):
    with pytest.raises(ValueError) as info:
        func(np.arange(10), mode=mode)
    for allowed in MODES:
        assert allowed in str(info.value)


@pytest.mark.parametrize("func", FUNCTIONS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("threads", [0, -1, -8, 1.5, 2.0, "2", True, False, [2]], ids=repr)
def test_invalid_threads_raise_value_error(func, mode, threads):
    with pytest.raises(ValueError) as info:
        func(np.arange(10), mode=mode, threads=threads)
    assert "threads" in str(info.value)


@pytest.mark.parametrize("threads", [np.int64(2), np.uint8(3), np.int32(1)], ids=repr)
def test_numpy_integer_threads_are_accepted(threads):
    assert primes.count(np.arange(10**5), threads=threads) == 9592


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("threads", [1000, 2**31, 2**32 + 1, 2**63, 2**64 + 3], ids=lambda t: f"threads={t}")
def test_huge_thread_counts_are_a_maximum_or_a_clear_error(mode, threads):
    """threads is "the largest number of threads to use": a huge value should just be capped.

    It must never be wrapped around to another number by ctypes, and if it is
    refused, the error must say that threads is the problem.
    """
    for func, expected in ((primes.count, 9592), (lambda a, **k: int(primes.is_prime(a, **k).sum()), 9592)):
        try:
            result = func(np.arange(10**5), mode=mode, threads=threads)
        except ValueError as exc:
            assert "threads" in str(exc), f"threads={threads}: unhelpful error {exc!r}"
        else:
            assert result == expected


@pytest.mark.parametrize("text", ["0", "abc", "-1", "1.5", "two", "0x2"])
def test_bad_environment_variable(monkeypatch, text):
    monkeypatch.setenv("PRIMES_NUM_THREADS", text)
    with pytest.raises(ValueError) as info:
        primes.count(np.arange(100))
    assert "PRIMES_NUM_THREADS" in str(info.value)
    with pytest.raises(ValueError):
        primes.is_prime(np.arange(100))
    with pytest.raises(ValueError):
        primes.get_threads()
    # An explicit threads= or set_threads block does not consult the variable.
    assert primes.count(np.arange(100), threads=2) == 25
    with primes.set_threads(2):
        assert primes.count(np.arange(100)) == 25


@pytest.mark.parametrize("text, expected", [("3", 3), (" 2 ", 2), ("1", 1)])
def test_good_environment_variable(monkeypatch, text, expected):
    monkeypatch.setenv("PRIMES_NUM_THREADS", text)
    assert primes.get_threads() == expected
    assert primes.count(np.arange(10**5)) == 9592


def test_empty_environment_variable_means_all_cpus(monkeypatch):
    monkeypatch.setenv("PRIMES_NUM_THREADS", "")
    assert primes.get_threads() == len(os.sched_getaffinity(0))
    monkeypatch.delenv("PRIMES_NUM_THREADS")
    assert primes.get_threads() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("threads", [0, 1.5, "2", True, None])
def test_set_threads_rejects_bad_values(threads):
    with pytest.raises(ValueError):
        with primes.set_threads(threads):
            pass  # pragma: no cover


def test_set_threads_negative_counts_back_from_the_cpus(monkeypatch):
    monkeypatch.delenv("PRIMES_NUM_THREADS", raising=False)
    cpus = len(os.sched_getaffinity(0))
    with primes.set_threads(-1):
        assert primes.get_threads() == cpus
        assert primes.count(np.arange(10**5)) == 9592
    if cpus >= 2:
        with primes.set_threads(-2):
            assert primes.get_threads() == cpus - 1
    with pytest.raises(ValueError):
        with primes.set_threads(-(cpus + 1)):
            pass  # pragma: no cover


def test_set_threads_nests_and_restores(monkeypatch):
    monkeypatch.setenv("PRIMES_NUM_THREADS", "3")
    assert primes.get_threads() == 3
    with primes.set_threads(5):
        assert primes.get_threads() == 5
        with primes.set_threads(1):
            assert primes.get_threads() == 1
        assert primes.get_threads() == 5
    assert primes.get_threads() == 3
    with pytest.raises(RuntimeError):
        with primes.set_threads(7):
            raise RuntimeError("inside")
    assert primes.get_threads() == 3


def test_set_threads_is_thread_local(monkeypatch):
    monkeypatch.setenv("PRIMES_NUM_THREADS", "3")
    seen = {}
    inside = threading.Event()
    done = threading.Event()

    def other():
        inside.wait(10)
        seen["other"] = primes.get_threads()
        with primes.set_threads(6):
            seen["other-own-block"] = primes.get_threads()
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with primes.set_threads(2):
        inside.set()
        done.wait(10)
        seen["main"] = primes.get_threads()
    thread.join(10)
    assert seen == {"other": 3, "other-own-block": 6, "main": 2}


# --- ctypes never leaks out -------------------------------------------------------------


def _unaligned(dtype):
    return unaligned(np.arange(2, 102, dtype=dtype))


ODD_INPUTS = [
    pytest.param(lambda: _unaligned(np.int32), 26, id="unaligned-int32"),
    pytest.param(lambda: _unaligned(np.uint32), 26, id="unaligned-uint32"),
    pytest.param(lambda: _unaligned(np.int64), 26, id="unaligned-int64"),
    pytest.param(lambda: _unaligned(np.uint64), 26, id="unaligned-uint64"),
    pytest.param(lambda: _unaligned(np.int16), 26, id="unaligned-int16"),
    pytest.param(lambda: np.matrix([[2, 3, 4], [5, 6, 7]]), 4, id="np.matrix-int64"),
    pytest.param(lambda: np.matrix([[2, 3, 4]], dtype=np.uint32), 2, id="np.matrix-uint32"),
    pytest.param(lambda: np.matrix([[2, 3, 4]], dtype=np.int8), 2, id="np.matrix-int8"),
    pytest.param(lambda: np.arange(2, 102, dtype=np.int64)[::-1], 26, id="reversed"),
    pytest.param(lambda: np.broadcast_to(np.uint64(97), (3, 4)), 12, id="broadcast"),
    pytest.param(lambda: np.arange(2, 102, dtype=">u4"), 26, id="big-endian"),
    pytest.param(lambda: np.array(97, dtype=">i8"), 1, id="0d-big-endian"),
    pytest.param(lambda: np.arange(2, 102, dtype=np.longlong), 26, id="longlong"),
    pytest.param(lambda: np.arange(2, 102, dtype=np.ulonglong), 26, id="ulonglong"),
    pytest.param(lambda: np.arange(2, 102, dtype=np.intc), 26, id="intc"),
    pytest.param(lambda: np.arange(2, 102).view(np.recarray), 26, id="ndarray-subclass-recarray"),
    pytest.param(lambda: np.zeros(4, dtype=[("a", "u1"), ("n", "i8")])["n"] + 7, 4, id="structured-field"),
]


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("make, expected", ODD_INPUTS)
def test_odd_inputs_never_raise_ctypes_argument_error(make, expected, mode):
    value = make()
    for func in (primes.count, primes.is_prime):
        try:
            result = func(value, mode=mode)
        except ctypes.ArgumentError as exc:
            pytest.fail(f"{func.__name__} let ctypes.ArgumentError out: {exc}")
        found = result if func is primes.count else int(np.sum(result))
        assert found == expected, func.__name__


# --- the source folder without the compiled library -------------------------------------


def test_import_from_source_folder_explains_the_missing_library(tmp_path):
    source = Path(__file__).parents[1] / "primes"
    checkout = tmp_path / "checkout"
    (checkout / "primes").mkdir(parents=True)
    copied = []
    for path in source.iterdir():
        if path.suffix == ".py" or path.name == "py.typed":
            shutil.copy2(path, checkout / "primes" / path.name)
            copied.append(path.name)
    assert "__init__.py" in copied and "_lib.py" in copied
    assert not list((checkout / "primes").glob("*.so"))

    # The editable install puts a finder first on sys.meta_path, which would win over
    # the folder; -S skips site (and so its .pth files), and sys.path is set by hand:
    # the copied source folder first, then the folder NumPy is installed in.
    numpy_home = str(Path(np.__file__).resolve().parents[1])
    code = (
        "import sys; "
        f"sys.path[:] = [{str(checkout)!r}, *[p for p in sys.path if 'site-packages' not in p], {numpy_home!r}]; "
        "import numpy; "
        "import primes"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    completed = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode != 0, completed.stdout
    last_line = completed.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ImportError:"), completed.stderr
    assert "libprimes.so" in last_line
    assert "pip install" in last_line
    assert str(checkout / "primes") in last_line, "the source folder copy was not the one imported"
