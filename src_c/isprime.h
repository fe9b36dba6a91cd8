/* SPDX-License-Identifier: MIT */
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
 *   n >= 2^32     trial division by 3..53, then the Baillie-PSW test in 64-bit
 *                 Montgomery arithmetic: a strong test to base 2 (which
 *                 rejects almost every composite and needs only squarings
 *                 and doublings) and, if it passes, a strong Lucas test with
 *                 Selfridge's parameters.  No composite below 2^64 passes
 *                 both (Feitsma and Galway's list of the base-2 pseudoprimes
 *                 below 2^64, checked against the Lucas test).
 * A base that is 0 modulo n counts as passing, as the proofs assume.
 */
#ifndef PRIMES_ISPRIME_H
#define PRIMES_ISPRIME_H

#include <stddef.h>
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
#define HAS_FACTOR_BELOW_54(n)                                                             \
    (((n) % 3 == 0) | ((n) % 5 == 0) | ((n) % 7 == 0) | ((n) % 11 == 0) | ((n) % 13 == 0) \
     | ((n) % 17 == 0) | ((n) % 19 == 0) | ((n) % 23 == 0) | ((n) % 29 == 0)             \
     | ((n) % 31 == 0) | ((n) % 37 == 0) | ((n) % 41 == 0) | ((n) % 43 == 0)             \
     | ((n) % 47 == 0) | ((n) % 53 == 0))

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
    return t_hi - mn_hi + (n & (0 - (uint64_t)(t_hi < mn_hi)));
}

static inline uint64_t mont64_mul(uint64_t a, uint64_t b, uint64_t n, uint64_t n_inv)
{
    return mont64_reduce((primes_u128)a * b, n, n_inv);
}

static inline uint64_t double_mod64(uint64_t x, uint64_t n)
{
    /* x < n < 2^64, so 2x may not fit in 64 bits: compare x with n - x instead
     * (2x >= n exactly when x >= n - x), and 2x - n = x - (n - x). */
    uint64_t rest = n - x;
    return x >= rest ? x - rest : x + x;
}

struct mont64 {
    uint64_t n, n_inv, one, minus_one, r2, d;
    int s;
};

/* Everything a base-2 test needs; mont64_setup_r2 adds R^2 mod n (a 128-bit
 * division), which only other bases need. */
static inline void mont64_setup_base2(struct mont64 *m, uint64_t n)
{
    m->n = n;
    m->n_inv = mont64_inverse(n);
    m->one = (0 - n) % n; /* 2^64 mod n */
    m->minus_one = n - m->one;
    m->d = n - 1;
    m->s = __builtin_ctzll(m->d);
    m->d >>= m->s;
}

static inline void mont64_setup_r2(struct mont64 *m)
{
    m->r2 = (uint64_t)(((primes_u128)m->one * m->one) % m->n);
}

static inline void mont64_setup(struct mont64 *m, uint64_t n)
{
    mont64_setup_base2(m, n);
    mont64_setup_r2(m);
}

/* a if bit is 1, else b, without a branch (the bits of an exponent are
 * unpredictable). */
static inline uint64_t select64(uint64_t bit, uint64_t a, uint64_t b)
{
    uint64_t mask = 0 - bit;
    return (a & mask) | (b & ~mask);
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

/* Forward: the strong Lucas test is defined below. */
static inline int strong_lucas(const struct mont64 *m);

static inline int is_prime_above_2_32(uint64_t n) /* n >= 2^32: Baillie-PSW */
{
    if (!(n & 1u) || HAS_FACTOR_BELOW_54(n))
        return 0;
    struct mont64 m;
    mont64_setup(&m, n);
    return sprp64_base2(&m) && strong_lucas(&m);
}

/* ---- the strong Lucas test (Selfridge's parameters) -------------------------
 *
 * With the strong test to base 2 this is the Baillie-PSW test, which no
 * composite below 2^64 passes (the base-2 pseudoprimes below 2^64 are all
 * known, and none passes this Lucas test).  It costs about four base-2
 * rounds, instead of the twelve that six more Miller-Rabin bases cost. */

/* The Jacobi symbol (a/n) for odd n > 0 and 0 <= a < n. */
static inline int jacobi(uint64_t a, uint64_t n)
{
    int result = 1;
    while (a != 0) {
        int twos = __builtin_ctzll(a);
        a >>= twos;
        /* (2/n) = -1 when n = 3 or 5 (mod 8). */
        if ((twos & 1) && ((n & 7u) == 3 || (n & 7u) == 5))
            result = -result;
        /* Quadratic reciprocity: swap, with a sign when both are 3 mod 4. */
        if ((a & 3u) == 3 && (n & 3u) == 3)
            result = -result;
        uint64_t t = a;
        a = n % t;
        n = t;
    }
    return n == 1 ? result : 0;
}

static inline int is_square(uint64_t n)
{
    if (n < 2)
        return 1;
    /* Squares fall in 12 of the 64 residues mod 64 and 16 of the 63 mod 63:
     * that settles about 95% of non-squares with no division. */
    if (!((UINT64_C(0x0202021202030213) >> (n & 63u)) & 1u)
        || !((UINT64_C(0x0402483012450293) >> (n % 63u)) & 1u))
        return 0;
    /* Integer Newton iteration from above: r decreases to floor(sqrt(n)). */
    uint64_t r = UINT64_C(1) << ((64 - __builtin_clzll(n) + 1) / 2);
    for (;;) {
        uint64_t next = (r + n / r) / 2;
        if (next >= r)
            break;
        r = next;
    }
    return r * r == n;
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

/* The strong Lucas probable-prime test of odd n > 3 with Selfridge's
 * parameters: D the first of 5, -7, 9, -11, ... with (D/n) = -1, P = 1,
 * Q = (1 - D) / 4.  m must hold n's Montgomery constants including r2. */
static inline int strong_lucas(const struct mont64 *m)
{
    uint64_t n = m->n;
    if (n == UINT64_MAX || is_square(n)) /* 2^64 - 1 = 3 * 5 * 17 * 257 * 641 * 65537 * 6700417 */
        return 0; /* no D would have (D/n) = -1 */
    int64_t d_param = 5;
    for (;;) {
        uint64_t d_mod = d_param > 0 ? (uint64_t)d_param % n : n - ((uint64_t)(-d_param) % n);
        int j = jacobi(d_mod, n);
        if (j == -1)
            break;
        if (j == 0 && (uint64_t)(d_param > 0 ? d_param : -d_param) != n)
            return 0; /* D shares a factor with n */
        d_param = d_param > 0 ? -(d_param + 2) : -d_param + 2;
    }
    /* Q = (1 - D) / 4 as a residue, then everything in Montgomery form. */
    int64_t q_param = (1 - d_param) / 4;
    uint64_t q_mod = q_param >= 0 ? (uint64_t)q_param % n : n - ((uint64_t)(-q_param) % n);
    uint64_t d_res = d_param > 0 ? (uint64_t)d_param % n : n - ((uint64_t)(-d_param) % n);
    uint64_t q = mont64_mul(q_mod, m->r2, n, m->n_inv);
    uint64_t dm = mont64_mul(d_res, m->r2, n, m->n_inv);

    /* n + 1 = k 2^s with k odd (n < 2^64 - 1 here, so n + 1 does not wrap). */
    uint64_t k = n + 1;
    int s = __builtin_ctzll(k);
    k >>= s;
    /* U_1 = 1, V_1 = P = 1, Q^1 = Q; then left to right over k's bits. */
    uint64_t u = m->one, v = m->one, qk = q;
    for (int bit = 62 - __builtin_clzll(k); bit >= 0; bit--) {
        /* U_2j = U_j V_j, V_2j = V_j^2 - 2 Q^j, Q^2j = (Q^j)^2 */
        u = mont64_mul(u, v, n, m->n_inv);
        v = sub_mod64(mont64_mul(v, v, n, m->n_inv), add_mod64(qk, qk, n), n);
        qk = mont64_mul(qk, qk, n, m->n_inv);
        if ((k >> bit) & 1u) {
            /* U_j+1 = (P U_j + V_j) / 2, V_j+1 = (D U_j + P V_j) / 2, with P = 1 */
            uint64_t u_next = half_mod64(add_mod64(u, v, n), n);
            v = half_mod64(add_mod64(mont64_mul(dm, u, n, m->n_inv), v, n), n);
            u = u_next;
            qk = mont64_mul(qk, q, n, m->n_inv);
        }
    }
    if (u == 0 || v == 0)
        return 1;
    for (int r = 1; r < s; r++) {
        v = sub_mod64(mont64_mul(v, v, n, m->n_inv), add_mod64(qk, qk, n), n);
        if (v == 0)
            return 1;
        qk = mont64_mul(qk, qk, n, m->n_inv);
    }
    return 0;
}

/* ---- batches: several independent tests interleaved ------------------------
 *
 * A modular exponentiation is a chain of dependent multiplications, so one
 * test at a time leaves the multiplier idle most of the time.  The batch
 * functions run LANES tests side by side (the same number of steps in each
 * lane: leading zero bits of the exponent square the Montgomery one, which
 * stays one), which the CPU overlaps. */
#define LANES 4

/* Base-2 strong tests of LANES odd numbers in [2^16, 2^32). */
static inline void sprp2_32_lanes(const uint32_t *n, int *pass)
{
    uint32_t n_inv[LANES], one[LANES], d[LANES], x[LANES], bits = 0;
    int s[LANES];
    for (int k = 0; k < LANES; k++) {
        n_inv[k] = mont32_inverse(n[k]);
        one[k] = (uint32_t)((UINT64_C(1) << 32) % n[k]);
        d[k] = n[k] - 1;
        s[k] = __builtin_ctz(d[k]);
        d[k] >>= s[k];
        bits |= d[k];
        x[k] = one[k];
    }
    for (int bit = 31 - __builtin_clz(bits); bit >= 0; bit--) {
        for (int k = 0; k < LANES; k++) {
            uint32_t y = mont32_square(x[k], n[k], n_inv[k]);
            uint32_t z = double_mod32(y, n[k]);
            x[k] = (uint32_t)select64((d[k] >> bit) & 1u, z, y);
        }
    }
    for (int k = 0; k < LANES; k++) {
        uint32_t minus_one = n[k] - one[k];
        int ok = x[k] == one[k] || x[k] == minus_one;
        for (int i = 1; i < s[k] && !ok; i++) {
            x[k] = mont32_square(x[k], n[k], n_inv[k]);
            if (x[k] == minus_one)
                ok = 1;
            else if (x[k] == one[k])
                break;
        }
        pass[k] = ok;
    }
}

static inline void sprp64_base2_lanes(const struct mont64 *m, int *pass)
{
    uint64_t x[LANES], bits = 0;
    for (int k = 0; k < LANES; k++) {
        x[k] = m[k].one;
        bits |= m[k].d;
    }
    for (int bit = 63 - __builtin_clzll(bits); bit >= 0; bit--) {
        for (int k = 0; k < LANES; k++) {
            uint64_t y = mont64_mul(x[k], x[k], m[k].n, m[k].n_inv);
            uint64_t z = double_mod64(y, m[k].n);
            x[k] = select64((m[k].d >> bit) & 1u, z, y);
        }
    }
    for (int k = 0; k < LANES; k++)
        pass[k] = sprp64_finish(&m[k], x[k]);
}

/* Trial division of n >= 2^32 by 3..47 through two 32-bit remainders. */
static inline int has_small_factor_64(uint64_t n)
{
    uint32_t r1 = (uint32_t)(n % 111546435u);  /* 3*5*7*11*13*17*19*23 */
    uint32_t r2 = (uint32_t)(n % 2756205443u); /* 29*31*37*41*43*47 */
    /* | rather than ||: no branches, which random input would mispredict. */
    return (r1 % 3 == 0) | (r1 % 5 == 0) | (r1 % 7 == 0) | (r1 % 11 == 0) | (r1 % 13 == 0)
        | (r1 % 17 == 0) | (r1 % 19 == 0) | (r1 % 23 == 0) | (r2 % 29 == 0) | (r2 % 31 == 0)
        | (r2 % 37 == 0) | (r2 % 41 == 0) | (r2 % 43 == 0) | (r2 % 47 == 0);
}

#define BATCH 256

/* res[k] = 1 if v[k] is prime, else 0, for k < count <= BATCH: the cheap
 * checks first, then the strong tests of the survivors in lanes. */
static void classify_batch(const uint64_t *v, size_t count, uint8_t *res)
{
    uint32_t small[BATCH + LANES];
    uint16_t small_at[BATCH];
    struct mont64 large[BATCH + LANES];
    uint16_t large_at[BATCH];
    size_t n_small = 0, n_large = 0;

    for (size_t k = 0; k < count; k++) {
        uint64_t x = v[k];
        res[k] = 0;
        if (x < SMALL_LIMIT) {
            res[k] = (uint8_t)small_table_is_prime((uint32_t)x);
        } else if (!(x & 1u)) {
        } else if (x <= UINT32_MAX) {
            uint32_t y = (uint32_t)x;
            if (!HAS_FACTOR_BELOW_54(y)) {
                small[n_small] = y;
                small_at[n_small++] = (uint16_t)k;
            }
        } else if (!has_small_factor_64(x)) {
            large_at[n_large] = (uint16_t)k;
            mont64_setup_base2(&large[n_large++], x);
        }
    }

    /* Pad to whole groups of lanes with a known prime; its results are unused. */
    for (size_t k = n_small; k % LANES; k++)
        small[k] = 4294967291u;
    for (size_t k = 0; k < n_small; k += LANES) {
        int pass[LANES];
        sprp2_32_lanes(&small[k], pass);
        for (size_t j = 0; j < LANES && k + j < n_small; j++)
            res[small_at[k + j]] = (uint8_t)(pass[j] && !is_spsp2_below_2_32(small[k + j]));
    }

    for (size_t k = n_large; k % LANES; k++)
        mont64_setup_base2(&large[k], UINT64_C(18446744073709551557)); /* 2^64 - 59, prime */
    /* Base 2 rejects almost every composite; the survivors (nearly all prime)
     * take the strong Lucas test, completing Baillie-PSW. */
    for (size_t k = 0; k < n_large; k += LANES) {
        int pass[LANES];
        sprp64_base2_lanes(&large[k], pass);
        for (size_t j = 0; j < LANES && k + j < n_large; j++) {
            if (pass[j]) {
                mont64_setup_r2(&large[k + j]);
                res[large_at[k + j]] = (uint8_t)strong_lucas(&large[k + j]);
            }
        }
    }
}

static inline int is_prime_u64(uint64_t n)
{
    if (n <= UINT32_MAX)
        return is_prime_u32((uint32_t)n);
    return is_prime_above_2_32(n);
}

#endif /* PRIMES_ISPRIME_H */
