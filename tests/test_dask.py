# SPDX-License-Identifier: MIT
"""Dask arrays: lazy results, every scheduler, known totals, and faults on a real cluster.

The local schedulers (synchronous, threads, and processes on a pool of two
spawned processes) and ``distributed`` are all exercised.  The distributed
tests (slow tier) run a ``LocalCluster`` of two worker processes (one thread
each, with nannies, on loopback, no dashboard), started once for this module.  The fault
tests kill one of its workers with SIGKILL in the middle of a count (slow),
start a second cluster whose worker cannot import ``primes`` (a worker
preload hides the package), and run ``dask scheduler`` + ``dask worker``
processes whose scheduler cannot import it (slow).
"""

from __future__ import annotations

import doctest
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pytest

import primes
from support import ALL_DTYPES, EDGE_ARRAYS, assert_unchanged, load_json, snapshot

da = pytest.importorskip("dask.array", reason="Dask is optional: pip install 'primes[dask]'")
dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed", reason="pip install 'primes[dask]'")

from dask.core import get_dependencies  # noqa: E402  (after the importorskip above)

from primes import _dask  # noqa: E402  (after the importorskip above: it imports Dask)

WINDOWS = {w["name"]: w for w in load_json("windows.json")["windows"]}  # gmpy2-verified (see data/README.md)
PI_1E9 = 50847534  # pi(10^9), OEIS A006880; also checked against pi_values.json below
LARGEST_64BIT_PRIME = 2**64 - 59

INTEGER_DTYPES = [np.dtype(name).type for name in ALL_DTYPES]
DTYPE_IDS = list(ALL_DTYPES)

# Generous bounds against a hang, never timing assertions: a result that
# takes longer than this is a failure, whatever the machine's load.
RESULT_TIMEOUT = 300


def random_array(dtype: Any, shape: Any, seed: int) -> np.ndarray:
    """Values over the whole range of ``dtype``, reproducibly."""
    info = np.iinfo(dtype)
    return np.random.default_rng(seed).integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)


def small_random_array(dtype: Any, shape: Any, seed: int) -> np.ndarray:
    """Values in [0, min(max, 10**6)): dense in primes, so the counts are not tiny."""
    high = min(int(np.iinfo(dtype).max), 10**6)
    return np.random.default_rng(seed).integers(0, high, size=shape, dtype=dtype)


# --- fixtures ---------------------------------------------------------------------------


def local_cluster(n_workers: int, **worker_options: Any) -> Any:
    """A LocalCluster of worker processes (with nannies) x 1 thread, on loopback only.

    The dashboard is off; the scheduler's small HTTP server (health checks)
    still starts, on a free loopback port rather than 8787, which may be taken.
    """
    return distributed.LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        **worker_options,
    )


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A Client on a LocalCluster of 2 worker processes x 1 thread."""
    with local_cluster(2) as cluster, distributed.Client(cluster) as dask_client:
        dask_client.wait_for_workers(2, timeout=RESULT_TIMEOUT)
        yield dask_client


@pytest.fixture(scope="module")
def process_pool() -> Iterator[ProcessPoolExecutor]:
    """Two spawned processes for ``scheduler="processes"``, shared by this module's tests.

    Dask would otherwise start (and import primes in) a new pool per compute.
    """
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


# --- import isolation -------------------------------------------------------------------


def test_import_primes_does_not_import_dask(tmp_path):
    code = (
        "import sys, numpy as np, primes\n"
        "assert 'dask' not in sys.modules, 'import primes imported dask'\n"
        "assert primes.count(np.arange(100)) == 25\n"
        "assert primes.is_prime(np.arange(5)).tolist() == [False, False, True, True, False]\n"
        "assert 'dask' not in sys.modules, 'a NumPy call imported dask'\n"
        "assert 'primes._dask' not in sys.modules\n"
    )
    # From a folder outside the repository, so that the installed package is imported.
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, timeout=120)


# --- lazy results -----------------------------------------------------------------------


def test_count_returns_a_lazy_0d_int64_array():
    x = da.arange(10**6, chunks=250_000)
    result = primes.count(x)
    assert isinstance(result, da.Array)
    assert result.shape == () and result.dtype == np.int64
    value = result.compute()
    assert int(value) == 78498 and isinstance(value, (int, np.integer))


def test_is_prime_returns_a_lazy_bool_array_with_the_same_chunks():
    x = da.arange(10**5, chunks=(30_000, 30_000, 40_000))
    mask = primes.is_prime(x)
    assert isinstance(mask, da.Array)
    assert mask.dtype == np.bool_ and mask.shape == x.shape and mask.chunks == x.chunks
    expected = primes.is_prime(np.arange(10**5))
    np.testing.assert_array_equal(mask.compute(), expected)


def _explode(block: np.ndarray) -> np.ndarray:
    raise AssertionError("a block was computed while only the graph was being built")


def test_calls_build_a_graph_and_compute_nothing():
    x = da.arange(100, chunks=10).map_blocks(_explode, dtype=np.int64, meta=np.empty(0, np.int64))
    count, mask = primes.count(x), primes.is_prime(x)  # must not raise
    with pytest.raises(AssertionError, match="block was computed"):
        count.compute(scheduler="sync")
    with pytest.raises(AssertionError, match="block was computed"):
        mask.compute(scheduler="sync")


def test_count_is_a_tree_reduction_over_one_count_per_block():
    x = da.arange(3 * 10**5, chunks=1000)  # 300 blocks
    graph = primes.count(x).__dask_graph__()
    per_block = [k for k in graph if isinstance(k, tuple) and k[0].startswith("primes-count-block")]
    assert len(per_block) == 300
    # A tree: each task of the sum combines a few parts, not the 300 at once.
    tasks = dict(graph)
    assert max(len(get_dependencies(tasks, key)) for key in tasks) <= 32
    assert int(primes.count(x).compute(scheduler="sync")) == 25997  # pi(3 * 10^5)


def test_same_call_gives_the_same_keys():
    x = da.arange(10**4, chunks=1000)
    assert primes.count(x).name == primes.count(x).name
    assert primes.count(x).name != primes.count(x, method="test").name
    assert primes.is_prime(x).name == primes.is_prime(x).name


# --- eager validation -------------------------------------------------------------------


NON_INTEGER_DTYPES = [
    "float64", "float32", "complex128", "bool", "datetime64[D]", "timedelta64[s]", "U3",
]


@pytest.mark.parametrize("function", [primes.count, primes.is_prime], ids=["count", "is_prime"])
@pytest.mark.parametrize("dtype", NON_INTEGER_DTYPES)
def test_non_integer_dtype_raises_type_error_at_once_with_the_numpy_message(function, dtype):
    values = np.zeros(4, dtype=dtype)
    with pytest.raises(TypeError) as numpy_error:
        function(values)
    with pytest.raises(TypeError) as dask_error:
        function(da.from_array(values, chunks=2))
    assert str(dask_error.value) == str(numpy_error.value)
    assert np.dtype(dtype).name in str(dask_error.value) or str(np.dtype(dtype)) in str(dask_error.value)


@pytest.mark.parametrize("function", [primes.count, primes.is_prime], ids=["count", "is_prime"])
def test_masked_blocks_raise_type_error_at_once(function):
    x = da.ma.masked_array(da.arange(10, chunks=5), mask=da.arange(10, chunks=5) % 2 == 0)
    with pytest.raises(TypeError, match="masked arrays are not supported"):
        function(x)


BAD_OPTIONS = [
    {"mode": "fast"},
    {"mode": None},
    {"method": "quick"},
    {"method": 1},
    {"threads": 0},
    {"threads": -2},
    {"threads": 1.5},
    {"threads": True},
    {"threads": "2"},
]


@pytest.mark.parametrize("function", [primes.count, primes.is_prime], ids=["count", "is_prime"])
@pytest.mark.parametrize("options", BAD_OPTIONS, ids=lambda o: "-".join(f"{k}={v!r}" for k, v in o.items()))
def test_bad_options_raise_value_error_at_once_with_the_numpy_message(function, options):
    with pytest.raises(ValueError) as numpy_error:
        function(np.arange(10), **options)
    with pytest.raises(ValueError) as dask_error:
        function(da.arange(10, chunks=5), **options)
    assert str(dask_error.value) == str(numpy_error.value)


# --- threads per task -------------------------------------------------------------------


@pytest.fixture()
def recorded_calls(monkeypatch) -> list[dict[str, Any]]:
    """Record the keyword arguments of each block's NumPy call (in this process)."""
    calls: list[dict[str, Any]] = []

    def recorder(real: Any) -> Any:
        def record(block: np.ndarray, **options: Any) -> Any:
            calls.append(options)
            return real(block, **options)

        return record

    monkeypatch.setattr(_dask, "_count_numpy", recorder(_dask._count_numpy))
    monkeypatch.setattr(_dask, "_is_prime_numpy", recorder(_dask._is_prime_numpy))
    return calls


def test_one_thread_per_task_by_default(recorded_calls, monkeypatch):
    monkeypatch.setenv("PRIMES_NUM_THREADS", "3")
    x = da.arange(10**5, chunks=25_000)
    with primes.set_threads(2):  # neither this nor the variable reaches the tasks
        assert int(primes.count(x).compute(scheduler="sync")) == 9592
        assert int(primes.is_prime(x).sum().compute(scheduler="sync")) == 9592
    assert len(recorded_calls) == 8
    assert all(call == {"mode": "pthreads", "threads": 1, "method": "auto"} for call in recorded_calls)


def test_explicit_threads_and_options_reach_every_task(recorded_calls):
    x = da.arange(10**5, chunks=25_000)
    assert int(primes.count(x, mode="threading", threads=2, method="sieve").compute(scheduler="sync")) == 9592
    mask = primes.is_prime(x, mode="serial", threads=3, method="test")
    assert int(mask.sum().compute(scheduler="sync")) == 9592
    assert recorded_calls == [{"mode": "threading", "threads": 2, "method": "sieve"}] * 4 + [
        {"mode": "serial", "threads": 3, "method": "test"}
    ] * 4


# --- shapes, chunkings and dtypes on the local schedulers -------------------------------


def test_uneven_chunks_2d_unknown_sizes_empty_and_0d():
    values = small_random_array(np.int64, (300, 170), seed=11)
    x = da.from_array(values, chunks=((50, 100, 150), (17, 60, 93)))
    assert int(primes.count(x).compute()) == primes.count(values)
    np.testing.assert_array_equal(primes.is_prime(x).compute(), primes.is_prime(values))

    # Boolean indexing leaves the chunk sizes unknown (nan).
    odd = da.arange(10**5, chunks=10**4)
    odd = odd[odd % 2 == 1]
    assert any(np.isnan(c) for c in odd.chunks[0])
    assert int(primes.count(odd).compute()) == 9592 - 1
    assert int(primes.is_prime(odd).sum().compute()) == 9592 - 1

    assert int(primes.count(da.arange(0, chunks=5)).compute()) == 0
    assert primes.is_prime(da.zeros((0, 3), dtype=np.uint8, chunks=2)).compute().shape == (0, 3)

    scalar = da.from_array(np.array(LARGEST_64BIT_PRIME, dtype=np.uint64))
    assert scalar.ndim == 0
    assert int(primes.count(scalar).compute()) == 1
    assert primes.is_prime(scalar).compute() == np.True_


@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_every_dtype_agrees_with_numpy_on_local_schedulers(dtype, scheduler):
    seed = 100 + INTEGER_DTYPES.index(dtype)
    for values in (random_array(dtype, (97, 211), seed), small_random_array(dtype, (97, 211), seed)):
        x = da.from_array(values, chunks=((40, 57), (100, 11, 100)))
        count, mask = dask.compute(primes.count(x), primes.is_prime(x), scheduler=scheduler)
        assert int(count) == primes.count(values)
        np.testing.assert_array_equal(mask, primes.is_prime(values))


def small_corpus_arrays():
    """The arrays of the shared edge-array corpus that Dask can chunk (ndarrays of 1 to 10^4 elements)."""
    for param in EDGE_ARRAYS:
        factory, _how = param.values
        value = factory()
        if isinstance(value, np.ndarray) and value.ndim >= 1 and value.size <= 10**4:
            yield pytest.param(factory, id=param.id)


@pytest.mark.parametrize("factory", list(small_corpus_arrays()))
def test_the_edge_array_corpus_gives_the_numpy_results(factory):
    values = factory()
    before = snapshot(values)
    x = da.from_array(values, chunks=tuple(max(1, (n + 2) // 3) for n in values.shape))
    lazy = [primes.count(x), primes.is_prime(x)]
    lazy += [primes.count(x, axis=axis, keepdims=keepdims) for axis in range(values.ndim) for keepdims in (0, 1)]
    results = dask.compute(*lazy, scheduler="sync")
    assert int(results[0]) == primes.count(values)
    np.testing.assert_array_equal(results[1], primes.is_prime(values))
    expected = [primes.count(values, axis=axis, keepdims=keepdims)
                for axis in range(values.ndim) for keepdims in (0, 1)]
    for got, wanted in zip(results[2:], expected):
        assert got.shape == wanted.shape and got.dtype == wanted.dtype
        np.testing.assert_array_equal(got, wanted)
    assert_unchanged(values, before)


def test_non_native_byte_order_blocks():
    values = small_random_array(np.int32, 5000, seed=3).astype(">i4")
    x = da.from_array(values, chunks=1200)
    assert int(primes.count(x).compute()) == primes.count(values)
    np.testing.assert_array_equal(primes.is_prime(x).compute(), primes.is_prime(values))


def test_processes_scheduler_every_dtype(process_pool):
    """scheduler="processes": the graph (cloudpickled) runs in spawned processes."""
    arrays = [small_random_array(t, 20_000, seed=200 + i) for i, t in enumerate(INTEGER_DTYPES)]
    lazy = [primes.count(da.from_array(a, chunks=7000)) for a in arrays]
    lazy += [primes.is_prime(da.from_array(a, chunks=7000)) for a in arrays]
    lazy.append(primes.count(da.arange(10**7, chunks=(3 * 10**6, 3 * 10**6, 4 * 10**6))))
    results = dask.compute(*lazy, scheduler="processes", pool=process_pool)
    n = len(arrays)
    assert [int(c) for c in results[:n]] == [primes.count(a) for a in arrays]
    for mask, a in zip(results[n : 2 * n], arrays):
        np.testing.assert_array_equal(mask, primes.is_prime(a))
    assert int(results[-1]) == 664579  # pi(10^7)


def test_doctest_examples():
    failures, tests = doctest.testmod(_dask, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tests > 0 and failures == 0


# --- distributed: a real scheduler and two worker processes -----------------------------


@pytest.mark.slow  # a big known value: 100 blocks of 10^7 (the quick tier's cluster tests use small arrays)
def test_pi_1e9_on_two_workers(client, pi_values):
    assert pi_values["10^9"] == (10**9, PI_1E9)
    x = da.arange(10**9, chunks=10**7)  # made lazily, block by block, on the workers
    future = client.compute(primes.count(x))
    assert int(future.result(timeout=RESULT_TIMEOUT)) == PI_1E9


WINDOW_CASES = [
    ("below_2^31", np.int32),
    ("below_2^31", np.int64),
    ("below_2^32", np.uint32),
    ("below_2^63", np.int64),
    ("below_2^63", np.uint64),
    ("above_2^63", np.uint64),
    ("below_2^64", np.uint64),
]


@pytest.mark.slow  # a two-worker LocalCluster (5 processes); the quick tier uses the local schedulers
@pytest.mark.parametrize(
    ("name", "dtype"), WINDOW_CASES, ids=[f"{n}-{np.dtype(t).name}" for n, t in WINDOW_CASES]
)
def test_windows_near_type_boundaries_on_two_workers(client, name, dtype):
    """Counts verified with gmpy2 (tests/data/windows.json); chunks uneven on purpose."""
    window = WINDOWS[name]
    x = da.arange(window["lo"], window["hi"], dtype=dtype, chunks=150_000)
    assert x.dtype == dtype and x.shape == (window["size"],)
    mask = primes.is_prime(x)
    count, found, lo, hi = client.compute([primes.count(x), x[mask], x[0], x[-1]], sync=True)
    assert (int(lo), int(hi)) == (window["lo"], window["hi"] - 1)  # da.arange was exact
    assert int(count) == window["count"] == found.size
    assert (int(found[0]), int(found[-1])) == (window["first_prime"], window["last_prime"])


@pytest.mark.slow  # a two-worker LocalCluster (5 processes); the quick tier uses the local schedulers
@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=DTYPE_IDS)
def test_every_dtype_agrees_with_numpy_on_two_workers(client, dtype):
    seed = 300 + INTEGER_DTYPES.index(dtype)
    values = [random_array(dtype, (120, 90), seed), small_random_array(dtype, (120, 90), seed)]
    arrays = [da.from_array(v, chunks=((20, 100), (45, 44, 1))) for v in values]
    results = client.compute([f(x) for x in arrays for f in (primes.count, primes.is_prime)], sync=True)
    for (count, mask), v in zip(zip(results[::2], results[1::2]), values):
        assert int(count) == primes.count(v)
        np.testing.assert_array_equal(mask, primes.is_prime(v))


@pytest.mark.slow  # a two-worker LocalCluster (5 processes); the quick tier uses the local schedulers
def test_random_arrays_made_on_the_workers(client):
    x = da.random.default_rng(2024).integers(0, 2**40, size=(4000, 500), chunks=(1000, 250), dtype=np.int64)
    values, count, mask = client.compute([x, primes.count(x), primes.is_prime(x)], sync=True)
    assert int(count) == primes.count(values)
    np.testing.assert_array_equal(mask, primes.is_prime(values))


# --- faults -----------------------------------------------------------------------------


@pytest.mark.slow
def test_worker_killed_mid_count_is_replaced_and_the_total_stays_exact(client):
    """SIGKILL one worker process while it is counting: its nanny starts a new
    worker, the scheduler reruns the lost tasks, and the total is still exact."""
    blocks, block = 40, 200_000  # each block: 2e5 primes near 2^64 at about 1 us each
    window = WINDOWS["below_2^64"]
    x = da.concatenate(
        [
            da.full((blocks * block,), LARGEST_64BIT_PRIME, dtype=np.uint64, chunks=block),
            da.arange(window["lo"], window["hi"], dtype=np.uint64, chunks=block),
        ]
    )
    expected = blocks * block + window["count"]

    pids = client.run(os.getpid)  # {worker address: pid}
    assert len(pids) == 2
    victim = sorted(pids)[0]
    future = client.compute(primes.count(x))
    # Kill once a task has left the victim (normally finished, so that a result
    # held in its memory dies with it) while it still has tasks to run.
    seen: set = set()
    deadline = time.monotonic() + RESULT_TIMEOUT  # against a hang only
    while True:
        assert not future.done(), "the count finished before the worker could be killed"
        assert time.monotonic() < deadline, "no task ever finished on the victim"
        running = set(client.processing([victim]).get(victim, ()))
        if running and seen - running:
            break
        seen |= running
        time.sleep(0.01)
    os.kill(pids[victim], signal.SIGKILL)

    assert int(future.result(timeout=RESULT_TIMEOUT)) == expected
    # The scheduler saw the worker die unexpectedly and took back the tasks it had.
    events = [event for _, event in client.get_events("all") if isinstance(event, dict)]
    removals = [e for e in events if e.get("action") == "remove-worker" and e.get("worker") == victim]
    assert removals and removals[-1].get("expected") is False
    assert removals[-1].get("processing-tasks", True)  # (the key is distributed's, as of 2026.8)
    client.wait_for_workers(2, timeout=RESULT_TIMEOUT)
    new_pids = client.run(os.getpid)
    assert pids[victim] not in new_pids.values()  # the victim really died and was replaced
    assert victim not in new_pids


# A worker preload (run in each worker process before it joins the scheduler)
# that makes `import primes` fail the way it does where the package is not
# installed.  A preload is used because a worker process otherwise sees the
# same installed packages as this test.
HIDE_PRIMES = '''
import sys


class HidePrimes:
    """Act as if primes were not installed."""

    def find_spec(self, name, path=None, target=None):
        if name == "primes" or name.startswith("primes."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, HidePrimes())
'''


@pytest.mark.slow  # a second cluster, started for this test alone
def test_worker_without_primes_gives_a_clear_error_not_a_hang(tmp_path):
    preload = tmp_path / "hide_primes.py"
    preload.write_text(HIDE_PRIMES)
    with local_cluster(1, preload=[str(preload)]) as cluster, distributed.Client(cluster) as bad_client:
        bad_client.wait_for_workers(1, timeout=RESULT_TIMEOUT)
        # The preload took effect: the worker cannot import primes.
        with pytest.raises(ModuleNotFoundError):
            bad_client.run(__import__, "primes")

        x = da.arange(10**6, chunks=10**5)
        for lazy in (primes.count(x), primes.is_prime(x)):
            with pytest.raises(ModuleNotFoundError) as info:
                bad_client.compute(lazy).result(timeout=60)
            message = str(info.value)
            assert "primes could not be imported on this Dask worker" in message
            assert "pip install primes" in message

        # The worker survived the failed tasks and still computes.
        assert len(bad_client.scheduler_info()["workers"]) == 1
        assert int(bad_client.compute(x.sum()).result(timeout=60)) == 10**6 * (10**6 - 1) // 2


@pytest.mark.slow
def test_dask_cli_cluster_whose_scheduler_has_no_primes(tmp_path):
    """`dask scheduler` + `dask worker` processes, as on a real cluster; the
    scheduler cannot import primes, which it does not need: the graph it
    unpickles holds nothing from primes (see primes/_dask.py)."""
    hide = tmp_path / "hide_primes.py"
    hide.write_text(HIDE_PRIMES)
    scheduler_file = tmp_path / "scheduler.json"
    commands = [
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
         "--no-dashboard", "--scheduler-file", str(scheduler_file), "--preload", str(hide)],
        [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file),
         "--host", "127.0.0.1", "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
         "--local-directory", str(tmp_path / "workers")],
    ]
    processes = []
    try:
        for command in commands:
            processes.append(
                subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
            if not processes[1:]:  # the workers need the scheduler's file
                deadline = time.monotonic() + RESULT_TIMEOUT  # against a hang only
                while not scheduler_file.exists():
                    assert processes[0].poll() is None, "dask scheduler exited"
                    assert time.monotonic() < deadline, "dask scheduler did not start"
                    time.sleep(0.1)
        with distributed.Client(scheduler_file=str(scheduler_file), timeout=RESULT_TIMEOUT) as cli_client:
            cli_client.wait_for_workers(2, timeout=RESULT_TIMEOUT)
            with pytest.raises(ModuleNotFoundError):
                cli_client.run_on_scheduler(__import__, "primes")
            x = da.arange(10**8, chunks=10**7)
            lazy = [primes.count(x), primes.is_prime(x[: 10**6]).sum()]
            count, mask_total = cli_client.compute(lazy, sync=True)
            assert (int(count), int(mask_total)) == (5761455, 78498)  # pi(10^8), pi(10^6)
    finally:
        for process in reversed(processes):  # workers first; only the processes started here
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
