# SPDX-License-Identifier: MIT
"""A Numba peer: parallel deterministic Miller-Rabin over a NumPy array.

This is the strongest "write it yourself in Python" competitor we could make
without C: compiled by Numba, one ``prange`` loop over the elements, and a test
that is exact for every 64-bit value.

- Small values: trial division by the primes up to 53 (this settles every
  value below 59**2 and throws out most composites before any exponentiation).
- Below 2**32: strong-probable-prime tests to the bases {2, 7, 61} (exact below
  4,759,123,141; Jaeschke 1993).  Products of two residues fit in 64 bits, so a
  plain ``(a * b) % n`` is exact there.
- From 2**32: the seven bases {2, 325, 9375, 28178, 450775, 9780504,
  1795265022} (exact below 2**64; Sinclair 2011), with Montgomery
  multiplication because Numba has no 128-bit integers.  The high 64 bits of a
  64x64-bit product are computed from 32-bit halves.

Every integer in the kernels is uint64 on purpose: Numba turns arithmetic that
mixes uint64 with int64 (and plain Python int literals are int64) into float64,
which would silently lose precision, so all constants are typed ``_u64(...)``.
The first call of each kernel compiles it; call :func:`warm_up` before timing.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

_u64 = np.uint64

_ZERO = _u64(0)
_ONE = _u64(1)
_TWO = _u64(2)
_LOW32 = _u64(0xFFFFFFFF)
_SHIFT32 = _u64(32)
_TWO_POW_32 = _u64(1 << 32)

# Odd primes used by the trial-division prefilter; 2 is handled by a bit test.
# A tuple of typed constants: Numba unrolls the loop over it, and LLVM then
# replaces each division by a constant with a multiplication.
_SMALL_ODD_PRIMES = tuple(_u64(p) for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53))
# A value with no prime factor up to 53 that is below 59**2 is prime.
_PREFILTER_EXACT_BELOW = _u64(59 * 59)

_BASES_BELOW_2_32 = tuple(_u64(b) for b in (2, 7, 61))
_BASES_64 = tuple(_u64(b) for b in (2, 325, 9375, 28178, 450775, 9780504, 1795265022))


# --- below 2**32: plain modular arithmetic in uint64 ------------------------


@njit(inline="always")
def _pow_mod_small(base, exponent, n):
    """base**exponent mod n for n < 2**32 (every product fits in 64 bits)."""
    result = _ONE
    while exponent:
        if exponent & _ONE:
            result = result * base % n
        base = base * base % n
        exponent >>= _ONE
    return result


@njit(inline="always")
def _is_sprp_small(n, base, d, s):
    """Strong-probable-prime test of odd n < 2**32 to ``base``; n - 1 = d * 2**s."""
    x = _pow_mod_small(base % n, d, n)
    if x == _ONE or x == n - _ONE:
        return True
    for _ in range(s - 1):
        x = x * x % n
        if x == n - _ONE:
            return True
    return False


# --- from 2**32: Montgomery arithmetic with R = 2**64 ------------------------


@njit(inline="always")
def _mul_high(a, b):
    """The high 64 bits of the 128-bit product a * b, from four 32x32-bit products."""
    a_lo = a & _LOW32
    a_hi = a >> _SHIFT32
    b_lo = b & _LOW32
    b_hi = b >> _SHIFT32
    lo_lo = a_lo * b_lo
    lo_hi = a_lo * b_hi
    hi_lo = a_hi * b_lo
    hi_hi = a_hi * b_hi
    # The middle column: at most 3 * (2**32 - 1), so no overflow.
    middle = (lo_lo >> _SHIFT32) + (lo_hi & _LOW32) + (hi_lo & _LOW32)
    return hi_hi + (lo_hi >> _SHIFT32) + (hi_lo >> _SHIFT32) + (middle >> _SHIFT32)


@njit(inline="always")
def _mont_mul(a, b, n, n_inverse):
    """a * b / 2**64 mod n, for a, b < n odd; ``n_inverse`` is n**-1 mod 2**64.

    With T = a * b = high * 2**64 + low and m = low * n**-1 mod 2**64, the low
    words of T and m * n are equal, so (T - m * n) / 2**64 is exactly
    high - high(m * n), which lies in (-n, n).
    """
    high = _mul_high(a, b)
    low = a * b  # wraps modulo 2**64: the low word
    m = low * n_inverse
    mn_high = _mul_high(m, n)
    result = high - mn_high
    if high < mn_high:
        result += n  # wraps back into [0, n)
    return result


@njit(inline="always")
def _add_mod(a, b, n):
    """(a + b) mod n for a, b < n, correct even when a + b overflows 64 bits."""
    total = a + b
    if total >= n or total < a:  # total < a: the sum wrapped past 2**64
        total -= n
    return total


@njit(inline="always")
def _is_sprp_montgomery(n, base, d, s, n_inverse, one, minus_one, r_squared):
    """Strong-probable-prime test of odd n >= 2**32 to ``base`` < n, in Montgomery form."""
    power = one
    square = _mont_mul(base, r_squared, n, n_inverse)  # base * R mod n
    exponent = d
    while exponent:
        if exponent & _ONE:
            power = _mont_mul(power, square, n, n_inverse)
        square = _mont_mul(square, square, n, n_inverse)
        exponent >>= _ONE
    if power == one or power == minus_one:
        return True
    for _ in range(s - 1):
        power = _mont_mul(power, power, n, n_inverse)
        if power == minus_one:
            return True
    return False


@njit
def is_prime_u64(n):
    """Deterministic primality of a uint64 value (exact for every 64-bit n)."""
    if n < _TWO:
        return False
    if n & _ONE == _ZERO:
        return n == _TWO
    for p in _SMALL_ODD_PRIMES:
        if n % p == _ZERO:
            return n == p
    if n < _PREFILTER_EXACT_BELOW:
        return True
    # n - 1 = d * 2**s with d odd.
    d = n - _ONE
    s = 0
    while d & _ONE == _ZERO:
        d >>= _ONE
        s += 1
    if n < _TWO_POW_32:
        for base in _BASES_BELOW_2_32:
            if not _is_sprp_small(n, base, d, s):
                return False
        return True
    # Montgomery constants for this n.  n * n == 1 mod 8 for odd n, so n is its
    # own inverse to 3 bits; each Newton step doubles the correct bits (3 -> 96).
    n_inverse = n
    for _ in range(5):
        n_inverse *= _TWO - n * n_inverse
    one = (_ZERO - n) % n  # R mod n = (2**64 - n) mod n
    minus_one = n - one
    # R**2 mod n: from 2R (one modular doubling), six Montgomery squarings give
    # 4R, 16R, 256R, 2**16 R, 2**32 R and 2**64 R = R**2 (mod n).
    r_squared = _add_mod(one, one, n)
    for _ in range(6):
        r_squared = _mont_mul(r_squared, r_squared, n, n_inverse)
    for base in _BASES_64:  # every base is below 2**31 < n
        if not _is_sprp_montgomery(n, base, d, s, n_inverse, one, minus_one, r_squared):
            return False
    return True


@njit(parallel=True)
def _count_signed(values):
    total = 0
    for i in prange(values.size):
        value = values[i]
        if value > 1 and is_prime_u64(_u64(value)):
            total += 1
    return total


@njit(parallel=True)
def _count_unsigned(values):
    total = 0
    for i in prange(values.size):
        if is_prime_u64(values[i]):
            total += 1
    return total


def count(values: np.ndarray) -> int:
    """Count the primes in a 1-D int64 or uint64 array with all of Numba's threads."""
    if values.dtype == np.int64:
        return int(_count_signed(values))
    if values.dtype == np.uint64:
        return int(_count_unsigned(values))
    raise TypeError(f"numba_mr.count takes int64 or uint64 arrays, not {values.dtype}")


def warm_up() -> None:
    """Compile both kernels (a few seconds), so that timings exclude compilation."""
    small = np.arange(100, dtype=np.int64)
    assert count(small) == 25
    assert count(small.astype(np.uint64)) == 25
