/* SPDX-License-Identifier: MIT */
/*
 * modarith.h -- small modular-arithmetic helpers of the per-element test
 * (internal; static inline, used by test_baseline.c and by any scalar tail of
 * a faster kernel).
 *
 * Montgomery arithmetic keeps a residue x as x R mod n (R = 2^32 or 2^64, n
 * odd), so that a modular product is three multiplications and no division.
 * Every helper is written so that nothing overflows for any odd n below
 * 2^32 (resp. 2^64), including n just below the word size; src_c/README.md
 * says why each form is needed.
 */
#ifndef PRIMES_MODARITH_H
#define PRIMES_MODARITH_H

#include <stdint.h>

typedef unsigned __int128 primes_u128;

/* ---- 32-bit Montgomery arithmetic, R = 2^32, odd n < 2^32 ---- */

/* n^-1 mod 2^32 by Newton's iteration from a 5-bit seed. */
static inline uint32_t mont32_inverse(uint32_t n)
{
    uint32_t x = (3u * n) ^ 2u;
    x *= 2u - n * x;
    x *= 2u - n * x;
    x *= 2u - n * x;
    return x;
}

/* t R^-1 mod n for t < n 2^32, as hi(t) - hi(m n): (t + m n) >> 32 would
 * overflow once n >= 2^31. */
static inline uint32_t mont32_reduce(uint64_t t, uint32_t n, uint32_t n_inv)
{
    uint32_t m = (uint32_t)t * n_inv;
    uint32_t t_hi = (uint32_t)(t >> 32);
    uint32_t mn_hi = (uint32_t)(((uint64_t)m * n) >> 32);
    /* Branch-free: the comparison is a coin toss that a branch would mispredict. */
    return t_hi - mn_hi + (n & (0u - (uint32_t)(t_hi < mn_hi)));
}

static inline uint32_t mont32_square(uint32_t a, uint32_t n, uint32_t n_inv)
{
    return mont32_reduce((uint64_t)a * a, n, n_inv);
}

/* 2 x mod n in 64 bits: x + x overflows 32 bits once n > 2^31. */
static inline uint32_t double_mod32(uint32_t x, uint32_t n)
{
    uint64_t y = (uint64_t)x << 1;
    return (uint32_t)(y - ((uint64_t)n & (0 - (uint64_t)(y >= n))));
}

/* ---- 64-bit Montgomery arithmetic, R = 2^64, odd n ---- */

static inline uint64_t mont64_inverse(uint64_t n)
{
    uint64_t x = (3u * n) ^ 2u;
    x *= 2u - n * x;
    x *= 2u - n * x;
    x *= 2u - n * x;
    x *= 2u - n * x;
    return x;
}

/* t R^-1 mod n for t < n 2^64, as hi(t) - hi(m n): the low words agree by the
 * choice of m, so nothing is lost and nothing overflows even near 2^64. */
static inline uint64_t mont64_reduce(primes_u128 t, uint64_t n, uint64_t n_inv)
{
    uint64_t m = (uint64_t)t * n_inv;
    uint64_t t_hi = (uint64_t)(t >> 64);
    uint64_t mn_hi = (uint64_t)(((primes_u128)m * n) >> 64);
    return t_hi - mn_hi + (n & (0 - (uint64_t)(t_hi < mn_hi)));
}

static inline uint64_t mont64_mul(uint64_t a, uint64_t b, uint64_t n, uint64_t n_inv)
{
    return mont64_reduce((primes_u128)a * b, n, n_inv);
}

/* ---- residues modulo a 64-bit n, any form ---- */

static inline uint64_t double_mod64(uint64_t x, uint64_t n)
{
    /* x < n < 2^64, so 2x may not fit in 64 bits: compare x with n - x instead
     * (2x >= n exactly when x >= n - x), and 2x - n = x - (n - x). */
    uint64_t rest = n - x;
    return x >= rest ? x - rest : x + x;
}

static inline uint64_t add_mod64(uint64_t a, uint64_t b, uint64_t n)
{
    uint64_t rest = n - b; /* a + b >= n exactly when a >= n - b */
    return a >= rest ? a - rest : a + b;
}

static inline uint64_t sub_mod64(uint64_t a, uint64_t b, uint64_t n)
{
    return a >= b ? a - b : a + (n - b);
}

/* x / 2 mod n for odd n: (x + n) / 2 when x is odd, without overflowing. */
static inline uint64_t half_mod64(uint64_t x, uint64_t n)
{
    return (x & 1u) ? (x >> 1) + (n >> 1) + 1 : x >> 1;
}

/* a if bit is 1, else b, without a branch (the bits of an exponent are
 * unpredictable). */
static inline uint64_t select64(uint64_t bit, uint64_t a, uint64_t b)
{
    uint64_t mask = 0 - bit;
    return (a & mask) | (b & ~mask);
}

#endif /* PRIMES_MODARITH_H */
