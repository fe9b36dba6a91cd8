/*
 * isprime.h -- the scalar primality test (internal; every function static).
 *
 * is_prime_u64(n) is exact for every 64-bit n:
 *   1. n < 64: a bit mask of the primes below 64;
 *   2. even n, and n divisible by a prime 3..61: composite;
 *   3. n < 67^2: prime (no prime factor below its square root);
 *   4. n < 2^32: strong probable-prime tests to bases 2, 7 and 61 in 32-bit
 *      Montgomery arithmetic (no composite below 4759123141 passes all three);
 *   5. otherwise: strong tests to the seven bases 2, 325, 9375, 28178,
 *      450775, 9780504, 1795265022 in 64-bit Montgomery arithmetic (no
 *      composite below 2^64 passes all seven).
 * A base that is 0 modulo n counts as passing, as the proofs of those base
 * sets assume.
 */
#ifndef PRIMES_ISPRIME_H
#define PRIMES_ISPRIME_H

#include <stdint.h>

typedef unsigned __int128 primes_u128;

/* Bit p is set for each prime p < 64. */
#define PRIMES_BELOW_64_MASK UINT64_C(0x28208a20a08a28ac)

/* ---- 32-bit Montgomery arithmetic, R = 2^32, odd n < 2^32 ---- */

/* n^-1 mod 2^32 by Newton's iteration: each step doubles the correct bits,
 * starting from 5 correct bits for the seed (3n) xor 2. */
static inline uint32_t mont32_inverse(uint32_t n)
{
    uint32_t x = (3u * n) ^ 2u;
    x *= 2u - n * x;
    x *= 2u - n * x;
    x *= 2u - n * x;
    return x;
}

/* t * R^-1 mod n for t < n * 2^32.  Written as hi(t) - hi(m n) rather than
 * (t + m n) >> 32 because the sum overflows 64 bits once n >= 2^31. */
static inline uint32_t mont32_reduce(uint64_t t, uint32_t n, uint32_t n_inv)
{
    uint32_t m = (uint32_t)t * n_inv;
    uint32_t t_hi = (uint32_t)(t >> 32);
    uint32_t mn_hi = (uint32_t)(((uint64_t)m * n) >> 32);
    return t_hi >= mn_hi ? t_hi - mn_hi : t_hi - mn_hi + n;
}

static inline uint32_t mont32_mul(uint32_t a, uint32_t b, uint32_t n, uint32_t n_inv)
{
    return mont32_reduce((uint64_t)a * b, n, n_inv);
}

/* One strong probable-prime test of odd n > base to `base`; n - 1 = d 2^s. */
static inline int sprp32(uint32_t n, uint32_t n_inv, uint32_t one, uint32_t r2,
                         uint32_t base, uint32_t d, int s)
{
    uint32_t minus_one = n - one;
    uint32_t b = mont32_mul(base % n, r2, n, n_inv);
    if (b == 0)
        return 1;
    uint32_t x = b;
    int top = 31 - __builtin_clz(d);
    for (int bit = top - 1; bit >= 0; bit--) {
        x = mont32_mul(x, x, n, n_inv);
        if ((d >> bit) & 1u)
            x = mont32_mul(x, b, n, n_inv);
    }
    if (x == one || x == minus_one)
        return 1;
    for (int i = 1; i < s; i++) {
        x = mont32_mul(x, x, n, n_inv);
        if (x == minus_one)
            return 1;
        if (x == one)
            return 0;
    }
    return 0;
}

static inline int miller_rabin32(uint32_t n)
{
    uint32_t n_inv = mont32_inverse(n);
    uint32_t one = (uint32_t)((UINT64_C(1) << 32) % n);
    uint32_t r2 = (uint32_t)(((uint64_t)one * one) % n);
    uint32_t d = n - 1;
    int s = __builtin_ctz(d);
    d >>= s;
    return sprp32(n, n_inv, one, r2, 2, d, s)
        && sprp32(n, n_inv, one, r2, 7, d, s)
        && sprp32(n, n_inv, one, r2, 61, d, s);
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

/* t * R^-1 mod n for t < n * 2^64, as hi(t) - hi(m n): the low words of t
 * and m n agree by the choice of m, so no carry is lost, and nothing can
 * overflow even for n close to 2^64. */
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

static inline int sprp64(uint64_t n, uint64_t n_inv, uint64_t one, uint64_t r2,
                         uint64_t base, uint64_t d, int s)
{
    uint64_t minus_one = n - one;
    uint64_t b = mont64_mul(base % n, r2, n, n_inv);
    if (b == 0)
        return 1;
    uint64_t x = b;
    int top = 63 - __builtin_clzll(d);
    for (int bit = top - 1; bit >= 0; bit--) {
        x = mont64_mul(x, x, n, n_inv);
        if ((d >> bit) & 1u)
            x = mont64_mul(x, b, n, n_inv);
    }
    if (x == one || x == minus_one)
        return 1;
    for (int i = 1; i < s; i++) {
        x = mont64_mul(x, x, n, n_inv);
        if (x == minus_one)
            return 1;
        if (x == one)
            return 0;
    }
    return 0;
}

static inline int miller_rabin64(uint64_t n)
{
    static const uint64_t bases[7] = {2, 325, 9375, 28178, 450775, 9780504, 1795265022};
    uint64_t n_inv = mont64_inverse(n);
    uint64_t one = (0 - n) % n; /* 2^64 mod n */
    uint64_t r2 = (uint64_t)(((primes_u128)one * one) % n);
    uint64_t d = n - 1;
    int s = __builtin_ctzll(d);
    d >>= s;
    for (int i = 0; i < 7; i++)
        if (!sprp64(n, n_inv, one, r2, bases[i], d, s))
            return 0;
    return 1;
}

/* ---- the test ---- */

static inline int is_prime_u64(uint64_t n)
{
    if (n < 64)
        return (int)((PRIMES_BELOW_64_MASK >> n) & 1u);
    if (!(n & 1u))
        return 0;
    /* Division by constants compiles to multiplications. */
    if (n % 3 == 0 || n % 5 == 0 || n % 7 == 0 || n % 11 == 0 || n % 13 == 0
        || n % 17 == 0 || n % 19 == 0 || n % 23 == 0 || n % 29 == 0
        || n % 31 == 0 || n % 37 == 0 || n % 41 == 0 || n % 43 == 0
        || n % 47 == 0 || n % 53 == 0 || n % 59 == 0 || n % 61 == 0)
        return 0;
    if (n < 67 * 67)
        return 1;
    if (n <= UINT32_MAX)
        return miller_rabin32((uint32_t)n);
    return miller_rabin64(n);
}

#endif /* PRIMES_ISPRIME_H */
