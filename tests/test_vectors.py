# SPDX-License-Identifier: MIT
"""The reference vectors: pseudoprimes that fool weak tests, boundary values, MR base factors.

Every pseudoprime list must come out composite in every dtype that holds its
values, with both count and is_prime, in all three modes; every edge case must
be classified as edge_cases.json says.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

import primes
from primes import reference
from support import ALL_DTYPES, MODES, holds, load_json, load_numbers

EDGE = load_json("edge_cases.json")
RECORDS = load_json("strong_pseudoprime_records.json")

COMPOSITE_LISTS = {
    "spsp2<1e6": (load_numbers("spsp2_below_1e6.txt"), 46),
    "spsp2<2^32": (load_numbers("spsp2_below_2^32.txt"), 2314),
    "fermat-psp2<1e6": (load_numbers("fermat_psp2_below_1e6.txt"), 245),
    "carmichael<1e6": (load_numbers("carmichael_below_1e6.txt"), 43),
    "strong-lucas<1e6": (load_numbers("strong_lucas_selfridge_psp_below_1e6.txt"), 58),
    # psi_7 = psi_8 and psi_9 = psi_10 = psi_11: each number once.
    "psi-records": (sorted({r["n"] for r in RECORDS["records"] if r["fits_uint64"]}), 11),
}


def test_lists_have_the_documented_sizes():
    for name, (values, size) in COMPOSITE_LISTS.items():
        if size is not None:
            assert len(values) == size, name
        assert len(values) == len(set(values)), name
    # psi_12 and psi_13 are beyond 2^64; all others fit.
    assert [r["name"][:6] for r in RECORDS["records"] if not r["fits_uint64"]] == ["psi_12", "psi_13"]


@pytest.mark.parametrize("name", list(COMPOSITE_LISTS))
def test_lists_are_composite_by_factorisation(name):
    """Independent of the package: SymPy finds each number composite; records multiply out."""
    values, _ = COMPOSITE_LISTS[name]
    if name == "psi-records":
        for record in RECORDS["records"]:
            product = math.prod(int(p) ** e for p, e in record["factors"].items())
            assert product == record["n"] == int(record["n_str"])
            assert len(record["factors"]) >= 2 or max(record["factors"].values()) >= 2
            assert all(reference.is_prime(int(p)) for p in record["factors"])
            assert record["fits_int64"] == holds("int64", record["n"])
            assert record["fits_uint64"] == (0 <= record["n"] < 2**64)
    for n in values:
        assert n > 3 and not sympy.isprime(n), n


COMPOSITE_CASES = [
    pytest.param(name, dtype, id=f"{name}-{dtype}")
    for name, (values, _) in COMPOSITE_LISTS.items()
    for dtype in ALL_DTYPES
    if any(holds(dtype, v) for v in values)
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name, dtype", COMPOSITE_CASES)
def test_pseudoprimes_are_composite(name, dtype, mode):
    values = np.array([v for v in COMPOSITE_LISTS[name][0] if holds(dtype, v)], dtype=dtype)
    mask = primes.is_prime(values, mode=mode)
    assert mask.shape == values.shape
    wrongly_prime = values[mask].tolist()
    assert wrongly_prime == []
    assert primes.count(values, mode=mode) == 0
    # Interleaved with primes, so that a count of 0 cannot come from a do-nothing kernel.
    known_primes = np.array([p for p in (2, 3, 5, 7, 127) if holds(dtype, p)], dtype=dtype)
    mixed = np.concatenate([values, known_primes, values])
    assert primes.count(mixed, mode=mode) == known_primes.size
    assert primes.is_prime(mixed, mode=mode).tolist() == [False] * values.size + [True] * known_primes.size + [
        False
    ] * values.size


def test_spsp2_below_2_to_32_in_each_wide_dtype():
    """The full 2314-number list: uint32, int64 and uint64 hold all; int32 those below 2^31."""
    values = COMPOSITE_LISTS["spsp2<2^32"][0]
    assert max(values) < 2**32
    below_2_31 = [v for v in values if v < 2**31]
    assert 0 < len(below_2_31) < len(values)
    for dtype, chosen in (("uint32", values), ("int64", values), ("uint64", values), ("int32", below_2_31)):
        array = np.array(chosen, dtype=dtype)
        for mode in MODES:
            assert primes.count(array, mode=mode) == 0, (dtype, mode)
            assert not primes.is_prime(array, mode=mode).any(), (dtype, mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ["uint32", "int64", "uint64"])
def test_spsp2_tiled_so_threads_start(dtype, mode):
    """Repeat the list past 2**17 elements so that threads (C or Python) really split it."""
    values = np.tile(np.array(COMPOSITE_LISTS["spsp2<2^32"][0], dtype=dtype), 60)
    assert values.size > 2**17
    values[::1000] = 4294967291 if dtype != "int32" else 2147483647  # some primes among them
    expected = values.size // 1000 + (values.size % 1000 > 0)
    assert primes.count(values, mode=mode, threads=2) == expected
    mask = primes.is_prime(values, mode=mode, threads=2)
    assert np.flatnonzero(mask).tolist() == list(range(0, values.size, 1000))


# --- edge_cases.json ----------------------------------------------------------------------

EDGE_VALUES = [(item["n"], item["is_prime"]) for item in EDGE["values"]]


def test_edge_case_fit_flags():
    assert len(EDGE_VALUES) == 167
    for item in EDGE["values"]:
        n = item["n"]
        assert 0 <= n < 2**64
        assert item["fits_int32"] == holds("int32", n), n
        assert item["fits_uint32"] == holds("uint32", n), n
        assert item["fits_int64"] == holds("int64", n), n


def test_edge_cases_agree_with_reference():
    """The pure-Python reference agrees with the vectors (so it can be trusted elsewhere)."""
    for n, expected in EDGE_VALUES:
        assert reference.is_prime(n) == expected, n
    for n in EDGE["negative_values_convention"]["values"]:
        assert reference.is_prime(n) is False


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_edge_cases_in_every_dtype(dtype, mode):
    chosen = [(n, p) for n, p in EDGE_VALUES if holds(dtype, n)]
    negatives = [n for n in EDGE["negative_values_convention"]["values"] if holds(dtype, n)]
    values = np.array([n for n, _ in chosen] + negatives, dtype=dtype)
    expected = [p for _, p in chosen] + [False] * len(negatives)
    mask = primes.is_prime(values, mode=mode)
    wrong = [int(v) for v, got, want in zip(values, mask, expected) if bool(got) != want]
    assert wrong == []
    assert primes.count(values, mode=mode) == sum(expected)
    # And one element at a time, so that no element's answer can leak into another's.
    for value, want in zip(values, expected):
        assert primes.is_prime(value, mode=mode) == want, int(value)
        assert primes.count(values[values == value][:1], mode=mode) == int(want), int(value)


@pytest.mark.parametrize("mode", MODES)
def test_edge_cases_as_python_ints(mode):
    for n, expected in EDGE_VALUES:
        result = primes.is_prime(n, mode=mode)
        assert isinstance(result, np.bool_)
        assert bool(result) == expected, n
        assert primes.count([n], mode=mode) == int(expected), n
    for n in EDGE["negative_values_convention"]["values"]:
        assert not primes.is_prime(n, mode=mode), n


# --- Miller-Rabin bases -------------------------------------------------------------------

SINCLAIR_FACTORS = EDGE["sinclair_base_prime_factors"]


def test_sinclair_factors_are_the_factors_of_the_bases():
    bases = RECORDS["deterministic_sets_without_counterexample_below_2^64"]["sinclair_7"]
    found = set()
    for base in bases:
        for p in SINCLAIR_FACTORS:
            if base % p == 0:
                found.add(p)
    assert found == set(SINCLAIR_FACTORS) == {2, 3, 5, 13, 19, 73, 193, 407521, 299210837}
    assert all(reference.is_prime(p) for p in SINCLAIR_FACTORS)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_sinclair_base_prime_factors_are_prime(dtype, mode):
    """For these n a Sinclair base is 0 mod n; an implementation that fails such a base calls them composite."""
    values = np.array([p for p in SINCLAIR_FACTORS if holds(dtype, p)], dtype=dtype)
    assert values.size >= 3
    assert primes.is_prime(values, mode=mode).all(), values[~primes.is_prime(values, mode=mode)]
    assert primes.count(values, mode=mode) == values.size
    for p in values:
        assert primes.is_prime(p, mode=mode), int(p)


def test_miller_rabin_bases_themselves():
    """The bases as inputs: 2 is prime, the others are composite."""
    bases = RECORDS["deterministic_sets_without_counterexample_below_2^64"]
    for dtype in ("uint32", "int64", "uint64"):
        sinclair = np.array(bases["sinclair_7"], dtype=dtype)
        assert primes.is_prime(sinclair).tolist() == [True] + [False] * 6
        first12 = np.array(bases["first_12_primes"], dtype=dtype)
        assert primes.is_prime(first12).all()
