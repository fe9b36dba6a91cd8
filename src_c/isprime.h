/*
 * isprime.h -- the per-element primality test (internal; all static).
 *
 * is_prime_u64(n) is exact for every 64-bit n (see src_c/README.md):
 *   n < 2^16      a constant bit table of the odd primes;
 *   even n        composite (but 2);
 *   n < 2^32      trial division by 3..53, then one strong test to base 2 in
 *                 32-bit Montgomery arithmetic; a pass is a prime unless n is
 *                 one of the 2314 base-2 strong pseudoprimes below 2^32
 *                 (binary search in a constant table);
 *   n >= 2^32     trial division by 3..53, then strong tests to the seven
 *                 bases 2, 325, 9375, 28178, 450775, 9780504, 1795265022 in
 *                 64-bit Montgomery arithmetic (no composite below 2^64
 *                 passes all seven; base 2 first, since it rejects almost
 *                 every composite and needs only doublings, not products).
 * A base that is 0 modulo n counts as passing, as the proofs assume.
 */
#ifndef PRIMES_ISPRIME_H
#define PRIMES_ISPRIME_H

#include <stdint.h>

#include "tables.h"

typedef unsigned __int128 primes_u128;

static inline int small_table_is_prime(uint32_t n) /* n < SMALL_LIMIT */
{
    if (!(n & 1u))
        return n == 2;
    uint32_t index = n >> 1;
    return (small_odd_prime_bits[index >> 3] >> (index & 7u)) & 1u;
}

/* Divisibility by a constant compiles to a multiplication and a comparison. */
#define HAS_FACTOR_BELOW_54(n)                                                        \
    ((n) % 3 == 0 || (n) % 5 == 0 || (n) % 7 == 0 || (n) % 11 == 0 || (n) % 13 == 0 \
     || (n) % 17 == 0 || (n) % 19 == 0 || (n) % 23 == 0 || (n) % 29 == 0           \
     || (n) % 31 == 0 || (n) % 37 == 0 || (n) % 41 == 0 || (n) % 43 == 0           \
     || (n) % 47 == 0 || (n) % 53 == 0)

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
    return t_hi >= mn_hi ? t_hi - mn_hi : t_hi - mn_hi + n;
}

static inline uint32_t mont32_square(uint32_t a, uint32_t n, uint32_t n_inv)
{
    return mont32_reduce((uint64_t)a * a, n, n_inv);
}

/* 2 x mod n in 64 bits: x + x overflows 32 bits once n > 2^31. */
static inline uint32_t double_mod32(uint32_t x, uint32_t n)
{
    uint64_t y = (uint64_t)x << 1;
    return (uint32_t)(y >= n ? y - n : y);
}

/* Strong probable-prime test to base 2 of odd n > 2. */
static inline int sprp2_32(uint32_t n)
{
    uint32_t n_inv = mont32_inverse(n);
    uint32_t one = (uint32_t)((UINT64_C(1) << 32) % n); /* R mod n */
    uint32_t minus_one = n - one;
    uint32_t d = n - 1;
    int s = __builtin_ctz(d);
    d >>= s;
    /* Left to right: square, and double where d has a 1 bit. */
    uint32_t x = double_mod32(one, n);
    for (int bit = 30 - __builtin_clz(d); bit >= 0; bit--) {
        x = mont32_square(x, n, n_inv);
        if ((d >> bit) & 1u)
            x = double_mod32(x, n);
    }
    if (x == one || x == minus_one)
        return 1;
    for (int i = 1; i < s; i++) {
        x = mont32_square(x, n, n_inv);
        if (x == minus_one)
            return 1;
        if (x == one)
            return 0;
    }
    return 0;
}

static inline int is_spsp2_below_2_32(uint32_t n)
{
    uint32_t lo = 0, hi = SPSP2_COUNT;
    while (lo < hi) {
        uint32_t mid = (lo + hi) >> 1;
        if (spsp2_below_2_32[mid] < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < SPSP2_COUNT && spsp2_below_2_32[lo] == n;
}

static inline int is_prime_u32(uint32_t n)
{
    if (n < SMALL_LIMIT)
        return small_table_is_prime(n);
    if (!(n & 1u) || HAS_FACTOR_BELOW_54(n))
        return 0;
    return sprp2_32(n) && !is_spsp2_below_2_32(n);
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
    return t_hi >= mn_hi ? t_hi - mn_hi : t_hi - mn_hi + n;
}

static inline uint64_t mont64_mul(uint64_t a, uint64_t b, uint64_t n, uint64_t n_inv)
{
    return mont64_reduce((primes_u128)a * b, n, n_inv);
}

static inline uint64_t double_mod64(uint64_t x, uint64_t n)
{
    /* x < n < 2^64: 2x may carry out of 64 bits; either way 2x - n is right. */
    uint64_t y = x << 1;
    return (x >> 63) || y >= n ? y - n : y;
}

struct mont64 {
    uint64_t n, n_inv, one, minus_one, r2, d;
    int s;
};

static inline void mont64_setup(struct mont64 *m, uint64_t n)
{
    m->n = n;
    m->n_inv = mont64_inverse(n);
    m->one = (0 - n) % n; /* 2^64 mod n */
    m->minus_one = n - m->one;
    m->r2 = (uint64_t)(((primes_u128)m->one * m->one) % n);
    m->d = n - 1;
    m->s = __builtin_ctzll(m->d);
    m->d >>= m->s;
}

/* The tail of a strong test: x = b^d in Montgomery form. */
static inline int sprp64_finish(const struct mont64 *m, uint64_t x)
{
    if (x == m->one || x == m->minus_one)
        return 1;
    for (int i = 1; i < m->s; i++) {
        x = mont64_mul(x, x, m->n, m->n_inv);
        if (x == m->minus_one)
            return 1;
        if (x == m->one)
            return 0;
    }
    return 0;
}

static inline int sprp64_base2(const struct mont64 *m)
{
    uint64_t x = double_mod64(m->one, m->n);
    for (int bit = 62 - __builtin_clzll(m->d); bit >= 0; bit--) {
        x = mont64_mul(x, x, m->n, m->n_inv);
        if ((m->d >> bit) & 1u)
            x = double_mod64(x, m->n);
    }
    return sprp64_finish(m, x);
}

static inline int sprp64(const struct mont64 *m, uint64_t base)
{
    base %= m->n;
    if (base == 0)
        return 1;
    uint64_t b = mont64_mul(base, m->r2, m->n, m->n_inv);
    uint64_t x = b;
    for (int bit = 62 - __builtin_clzll(m->d); bit >= 0; bit--) {
        x = mont64_mul(x, x, m->n, m->n_inv);
        if ((m->d >> bit) & 1u)
            x = mont64_mul(x, b, m->n, m->n_inv);
    }
    return sprp64_finish(m, x);
}

static inline int is_prime_above_2_32(uint64_t n) /* n >= 2^32 */
{
    static const uint64_t more_bases[6] = {325, 9375, 28178, 450775, 9780504, 1795265022};
    if (!(n & 1u) || HAS_FACTOR_BELOW_54(n))
        return 0;
    struct mont64 m;
    mont64_setup(&m, n);
    if (!sprp64_base2(&m))
        return 0;
    for (int i = 0; i < 6; i++)
        if (!sprp64(&m, more_bases[i]))
            return 0;
    return 1;
}

static inline int is_prime_u64(uint64_t n)
{
    if (n <= UINT32_MAX)
        return is_prime_u32((uint32_t)n);
    return is_prime_above_2_32(n);
}

#endif /* PRIMES_ISPRIME_H */
