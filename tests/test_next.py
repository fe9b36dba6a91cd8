# SPDX-License-Identifier: MIT
"""primes.next_prime and primes.prev_prime: against the pure-Python reference and gmpy2.

Every answer is checked against an independent source: primes.reference (trial
division / Miller-Rabin in Python), gmpy2 (GMP), the sieve of tests/support.py,
or the maximal prime gaps of tests/data/prime_gaps.json.  The quick tier
checks samples; the slow tier checks more values in every mode and method.
"""

from __future__ import annotations

import numpy as np
import pytest
from support import ALL_DTYPES, LARGEST_PRIME, METHODS, MODES, load_json, sample, segment_mask, sieve_mask

import primes
from primes import reference

gmpy2 = pytest.importorskip("gmpy2")

GAPS = [tuple(pair) for pair in load_json("prime_gaps.json")["gaps"]]  # (p, g): next prime after p is p + g


def gmpy_next(v: int) -> int:
    return int(gmpy2.next_prime(max(int(v), 1)))


def gmpy_prev(v: int) -> int:
    return int(gmpy2.prev_prime(int(v)))


def expected(values: np.ndarray, up: bool) -> list:
    return [gmpy_next(v) if up else gmpy_prev(v) for v in values.ravel().tolist()]


def answerable(values: np.ndarray, up: bool) -> np.ndarray:
    """The values whose answer exists and fits their dtype."""
    largest = LARGEST_PRIME[values.dtype.name]
    return values[values < largest] if up else values[values >= 3]


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("up", [True, False], ids=["next", "prev"])
def test_sample_of_every_dtype_against_gmpy2_and_reference(dtype: str, up: bool) -> None:
    values = answerable(sample(dtype, 300, seed=11), up)
    function = primes.next_prime if up else primes.prev_prime
    got = function(values)
    assert got.dtype == values.dtype and got.shape == values.shape
    assert got.tolist() == expected(values, up)
    ref = reference.next_prime if up else reference.prev_prime
    assert got[:40].tolist() == [ref(int(v)) for v in values[:40]]


@pytest.mark.parametrize("dtype", ["int32", "uint32", "int64", "uint64"])
def test_values_next_to_the_limits(dtype: str) -> None:
    info = np.iinfo(dtype)
    largest = LARGEST_PRIME[dtype]
    near_top = [v for v in range(largest - 300, largest)] + [v for v in range(2**31 - 300, 2**31 + 300)
                                                            if v < largest]
    near_top += [v for v in range(2**32 - 300, 2**32 + 300) if v < largest]
    values = np.array(sorted({v for v in near_top if info.min <= v <= info.max}), dtype=dtype)
    for up in (True, False):
        for method in METHODS:
            function = primes.next_prime if up else primes.prev_prime
            assert function(values, method=method).tolist() == expected(values, up)
    top = np.array([largest, int(info.max)], dtype=dtype)
    assert primes.prev_prime(top).tolist() == expected(top, False)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_overflow_and_no_answer_name_the_first_element(dtype: str) -> None:
    info = np.iinfo(dtype)
    largest = LARGEST_PRIME[dtype]
    values = np.array([5, 7, largest, int(info.max)], dtype=dtype)
    with pytest.raises(OverflowError, match=rf"element {largest} at index 2: the next prime, "
                                            rf"{reference.next_prime(largest)}, does not fit dtype {dtype}"):
        primes.next_prime(values)
    assert primes.next_prime(values[:2]).tolist() == [7, 11]
    low = np.array([[7, 5], [2, 1]], dtype=dtype)
    with pytest.raises(ValueError, match=r"element 2 at index \(1, 0\): there is no prime below it"):
        primes.prev_prime(low)


def test_the_spec_examples() -> None:
    with pytest.raises(OverflowError, match="element 127 at index"):
        primes.next_prime(np.int8(127))
    with pytest.raises(OverflowError, match="18446744073709551629"):
        primes.next_prime(np.uint64(2**64 - 59))
    for small in (2, 1, 0, -5):
        with pytest.raises(ValueError, match=f"element {small} at index"):
            primes.prev_prime(small)
    assert primes.next_prime([0, 1, 2, 3, -1, -(2**63)]).tolist() == [2, 2, 3, 5, 2, 2]
    assert primes.prev_prime([3, 4, 5, 2**64 - 1]).tolist() == [2, 3, 3, 2**64 - 59]


def test_scalars_lists_and_shapes() -> None:
    scalar = primes.next_prime(np.uint16(1000))
    assert type(scalar) is np.uint16 and scalar == 1009
    assert type(primes.prev_prime(np.int32(1000))) is np.int32
    assert type(primes.next_prime(10)) is np.int64 and primes.next_prime(10) == 11
    zero_d = primes.next_prime(np.array(20, dtype=np.uint8))
    assert type(zero_d) is np.uint8 and zero_d == 23
    grid = np.arange(24, dtype=np.int16).reshape(2, 3, 4)[:, ::-1, ::2]  # not contiguous
    assert primes.next_prime(grid).tolist() == [[[gmpy_next(v) for v in row] for row in plane]
                                                for plane in grid.tolist()]
    assert primes.next_prime(np.array([], dtype=np.uint32)).dtype == np.uint32
    assert primes.prev_prime(np.zeros((0, 3), dtype=np.int64)).shape == (0, 3)
    swapped = np.array([100, 1000], dtype=">u4")
    assert primes.next_prime(swapped).tolist() == [101, 1009]
    objects = np.array([10, 2**64 - 100], dtype=object)
    assert primes.next_prime(objects).tolist() == [11, gmpy_next(2**64 - 100)]
    with pytest.raises(TypeError):
        primes.next_prime([1.5])
    with pytest.raises(TypeError):
        primes.prev_prime(np.array([True, False]))


@pytest.mark.parametrize("k", range(2, 65))
def test_largest_primes_below_powers_of_two(k: int) -> None:
    # gmpy2 gives the largest prime below 2^k; next of the one before is it, prev of 2^k is it.
    p = gmpy_prev(2**k)
    dtype = np.uint64 if k == 64 else np.int64
    assert int(primes.prev_prime(np.array([min(2**k, 2**64 - 1)], dtype=np.uint64))[0]) == p
    if p < 2**63 or dtype is np.uint64:
        assert int(primes.next_prime(np.array([gmpy_prev(p)], dtype=np.uint64))[0]) == p


def test_maximal_gaps_below_2_64() -> None:
    ps = np.array([p for p, _ in GAPS], dtype=np.uint64)
    gaps = np.array([g for _, g in GAPS], dtype=np.uint64)
    assert (primes.next_prime(ps) == ps + gaps).all()
    assert (primes.prev_prime(ps + gaps) == ps).all()
    # From inside the gap, both ways.
    inside = ps + gaps // 2
    assert (primes.next_prime(inside) == ps + gaps).all()
    assert (primes.prev_prime(inside) == ps).all()
    # The record after 18361375334787046697 (issue example), in int64 when it fits.
    assert GAPS[-1] == (18361375334787046697, 1550)
    fits = ps < 2**63 - 25 - 1550
    assert (primes.next_prime(ps[fits].astype(np.int64)) == (ps + gaps)[fits].astype(np.int64)).all()


def test_dense_ranges_against_the_sieve() -> None:
    # A sorted range (the window sieve) and its shuffle (the search), against the sieve.
    mask = sieve_mask(130_000)
    prime_list = np.flatnonzero(mask)
    values = np.arange(3, 120_000, dtype=np.int64)
    nexts = prime_list[np.searchsorted(prime_list, values, side="right")]
    prevs = prime_list[np.searchsorted(prime_list, values, side="left") - 1]
    shuffled = np.random.default_rng(3).permutation(values.size)
    for method in METHODS:
        assert (primes.next_prime(values, method=method) == nexts).all()
        assert (primes.prev_prime(values, method=method) == prevs).all()
    assert (primes.next_prime(values[shuffled]) == nexts[shuffled]).all()
    assert (primes.prev_prime(values[shuffled].astype(np.uint32)) == prevs[shuffled]).all()


@pytest.mark.parametrize("mode", MODES)
def test_modes_threads_methods_agree(mode: str) -> None:
    rng = np.random.default_rng(5)
    values = np.concatenate([rng.integers(3, 2**63 - 26, 500, dtype=np.int64),
                             np.sort(rng.integers(3, 2**32, 9000, dtype=np.int64)),
                             np.arange(2**32 - 5000, 2**32 + 5000, dtype=np.int64)])
    base_next = primes.next_prime(values, threads=1, method="test")
    base_prev = primes.prev_prime(values, threads=1, method="test")
    sample_at = rng.integers(0, values.size, 300)
    assert base_next[sample_at].tolist() == expected(values[sample_at], True)
    assert base_prev[sample_at].tolist() == expected(values[sample_at], False)
    for method in METHODS:
        for threads in (1, 3):
            assert (primes.next_prime(values, mode=mode, threads=threads, method=method) == base_next).all()
            assert (primes.prev_prime(values, mode=mode, threads=threads, method=method) == base_prev).all()


def test_prev_of_next_and_next_of_prev() -> None:
    rng = np.random.default_rng(9)
    x = np.concatenate([rng.integers(3, 2**64 - 60, 2000, dtype=np.uint64, endpoint=True),
                        rng.integers(3, 2**20, 2000, dtype=np.uint64)])
    after, before = primes.next_prime(x), primes.prev_prime(x)
    assert (before < x).all() and (x < after).all()
    assert (primes.prev_prime(after) <= x).all()
    assert (primes.next_prime(before) >= x).all()
    assert primes.is_prime(after).all() and primes.is_prime(before).all()
    # Nothing prime lies strictly between: check a sample with gmpy2.
    for b, a in list(zip(before.tolist(), after.tolist()))[:50]:
        assert gmpy_next(b) in (a, gmpy_next(b)) and gmpy_prev(a) <= max(b, gmpy_prev(a))
        assert sum(1 for c in range(b + 1, a) if gmpy2.is_prime(c)) <= 1  # at most x itself


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="mode must be"):
        primes.next_prime([5], mode="fast")
    with pytest.raises(ValueError, match="method must be"):
        primes.prev_prime([5], method="guess")
    with pytest.raises(ValueError):
        primes.next_prime([5], threads=0)


def test_dask_block_by_block() -> None:
    da = pytest.importorskip("dask.array")
    values = np.arange(3, 5003, dtype=np.uint32)
    x = da.from_array(values, chunks=1234)
    lazy = primes.next_prime(x)
    assert isinstance(lazy, da.Array) and lazy.dtype == np.uint32 and lazy.chunks == x.chunks
    assert lazy.compute().tolist() == [gmpy_next(v) for v in values.tolist()]
    assert primes.prev_prime(x, method="test").compute().tolist() == [gmpy_prev(v) for v in values.tolist()]
    bad = primes.prev_prime(da.from_array(np.array([5, 2], dtype=np.int64), chunks=1))
    with pytest.raises(ValueError, match="element 2 at index 0"):
        bad.compute()


def test_reference_functions() -> None:
    mask = sieve_mask(2000)
    prime_list = [int(p) for p in np.flatnonzero(mask)]
    for n in range(-3, 1990):
        assert reference.next_prime(n) == min(p for p in prime_list if p > n)
        if n >= 3:
            assert reference.prev_prime(n) == max(p for p in prime_list if p < n)
    with pytest.raises(ValueError):
        reference.prev_prime(2)
    assert reference.next_prime(2**64 - 59) == gmpy_next(2**64 - 59)
    assert reference.prev_prime(2**64) == 2**64 - 59


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["int32", "uint32", "int64", "uint64"])
@pytest.mark.parametrize("mode", MODES)
def test_random_arrays_every_mode_and_method_slow(dtype: str, mode: str) -> None:
    info = np.iinfo(dtype)
    rng = np.random.default_rng([17, info.bits, info.min < 0])
    values = rng.integers(max(int(info.min), 3), LARGEST_PRIME[dtype], 20000, dtype=dtype)
    want_next, want_prev = expected(values, True), expected(values, False)
    for method in METHODS:
        for threads in (1, 2, 4):
            assert primes.next_prime(values, mode=mode, threads=threads, method=method).tolist() == want_next
            assert primes.prev_prime(values, mode=mode, threads=threads, method=method).tolist() == want_prev


@pytest.mark.slow
def test_every_value_below_2_20_slow() -> None:
    mask = sieve_mask(2**20 + 200)
    prime_list = np.flatnonzero(mask)
    values = np.arange(-5, 2**20, dtype=np.int64)
    clipped = np.clip(values, 0, None)
    nexts = prime_list[np.searchsorted(prime_list, clipped, side="right")]
    for method in METHODS:
        assert (primes.next_prime(values, method=method) == nexts).all()
        keep = values >= 3
        prevs = prime_list[np.searchsorted(prime_list, values[keep], side="left") - 1]
        assert (primes.prev_prime(values[keep], method=method) == prevs).all()


# --- count(a, axis=...) along trailing axes: one C call for every row ---------------------------


@pytest.mark.parametrize("dtype", ["int32", "uint32", "int64", "uint64", "int16"])
def test_count_along_trailing_axes_against_the_sieve(dtype: str) -> None:
    mask = sieve_mask(300 * 512)
    # A range cut into rows (runs share each window across rows), the same shuffled, negatives.
    run = np.arange(300 * 512, dtype=np.int64).reshape(300, 512)
    shuffled = np.random.default_rng(2).permutation(run.ravel()).reshape(300, 512)
    for values in (run, shuffled, run[:, ::-1]):
        typed = values.astype(dtype) if np.iinfo(dtype).max >= values.max() else values % 30000
        typed = typed.astype(dtype)
        want = np.count_nonzero(mask[typed.astype(np.int64)], axis=1)
        for method in METHODS:
            got = primes.count(typed, axis=1, method=method)
            assert got.dtype == np.intp and (got == want).all()
        per_plane = primes.count(typed.reshape(30, 10, 512), axis=(1, 2))
        assert (per_plane == want.reshape(30, 10).sum(axis=1)).all()
        assert (primes.count(typed, axis=-1, keepdims=True) == want[:, None]).all()
    if np.iinfo(dtype).min < 0:
        negative = -run[:, :300].astype(dtype) + 100
        want = np.count_nonzero(mask[np.clip(negative.astype(np.int64), 0, None)], axis=1)
        assert (primes.count(negative, axis=1) == want).all()


@pytest.mark.parametrize(
    ("low", "cols"),
    [(0, 10_000), (10**6 + 77, 10_000), (2**32 - 10**6, 10_000), (2**40, 10_000), (0, 257), (2**32 - 10**6, 389), (2**40 + 3, 999_983)],
)
def test_count_rows_of_runs_and_of_arrays_that_only_look_like_one(low: int, cols: int) -> None:
    # The flat array one run (np.arange cut into rows): the segmented sieve's
    # path, each piece's primes counted into the rows they fall in (short
    # rows, rows longer than a piece, rows that end inside a byte of the
    # sieve's 30-integer wheel) while the elements are checked; then broken where a check sees it (a
    # swapped pair at a prime, a value repeated), which counts again by the
    # chunk engines.  Reference: the NumPy sieve.
    rows = 2_000_000 // cols
    run = np.arange(low, low + rows * cols, dtype=np.uint64).astype(np.int64)
    mask = segment_mask(low, low + rows * cols)
    broken, broken_mask = run.copy(), mask.copy()
    at = rows * cols // 2 + int(np.argmax(mask[rows * cols // 2:]))  # a prime, then an even number
    broken[[at, at + 1]], broken_mask[[at, at + 1]] = broken[[at + 1, at]], broken_mask[[at + 1, at]]
    later = rows * cols * 3 // 4 + int(np.argmax(mask[rows * cols * 3 // 4:]))
    broken[later], broken_mask[later] = broken[later + 1], broken_mask[later + 1]
    for values, want in ((run, mask), (broken, broken_mask)):
        want_rows = want.reshape(rows, cols).sum(axis=1)
        for method in METHODS:
            for mode in MODES:
                got = primes.count(values.reshape(rows, cols), axis=1, mode=mode, threads=2, method=method)
                assert (got == want_rows).all(), (low, method, mode)


def test_count_rows_of_large_values_and_modes() -> None:
    rng = np.random.default_rng(4)
    values = np.concatenate([rng.integers(2**62, 2**64, (40, 300), dtype=np.uint64),
                             np.arange(2**32 - 6000, 2**32 + 6000, dtype=np.uint64).reshape(40, 300)])
    want = [sum(1 for v in row if gmpy2.is_prime(v)) for row in values.tolist()]
    for mode in MODES:
        for threads in (1, 2):
            assert primes.count(values, axis=1, mode=mode, threads=threads).tolist() == want


def test_the_c_call_reports_the_first_element_without_answer() -> None:
    # Below the Python checks: the C search itself never passes the dtype's largest prime.
    from primes import _lib

    values = np.array([10, 2**32 - 5, 7, 2**32 - 1], dtype=np.uint32)
    out = np.zeros_like(values)
    assert _lib.neighbour_kernel(values, out, True, 2) == 1
    assert out[0] == 11 and out[2] == 11
    low = np.array([5, 4, 2, 0, -3], dtype=np.int64)
    out = np.zeros_like(low)
    assert _lib.neighbour_kernel(low, out, False, 1) == 2
    assert out[:2].tolist() == [3, 3]


def test_a_cancelled_call_raises_keyboard_interrupt() -> None:
    from primes import _lib

    flag = _lib.CancelFlag()
    flag.set()
    values = np.arange(10, 10**5, dtype=np.int64)
    with pytest.raises(KeyboardInterrupt):
        _lib.neighbour_kernel(values, np.empty_like(values), True, 2, 0, flag)
    with pytest.raises(KeyboardInterrupt):
        _lib.count_rows_kernel(values[:99000], 99, 2, 0, flag)
    assert _lib.count_rows_kernel(values[:0], 0, 1).tolist() == []
    assert _lib.count_rows_kernel(np.zeros(0, dtype=np.int64), 3, 1).tolist() == [0, 0, 0]
