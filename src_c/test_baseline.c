/* SPDX-License-Identifier: MIT */
/*
 * test_baseline.c -- the portable per-element test kernels (any C11 compiler
 * with unsigned __int128, any architecture).
 *
 * For each value n (exact for every n < 2^64; src_c/README.md has the proofs):
 *   n < 2^16      a constant bit table of the odd primes;
 *   even n        composite (but 2);
 *   n < 2^32      trial division by 3..53, then one strong test to base 2 in
 *                 32-bit Montgomery arithmetic; a pass is a prime unless n is
 *                 one of the 2314 base-2 strong pseudoprimes below 2^32
 *                 (binary search in a constant table);
 *   n >= 2^32     trial division by 3..251, then the Baillie-PSW test in 64-bit
 *                 Montgomery arithmetic: a strong test to base 2 (which
 *                 rejects almost every composite and needs only squarings
 *                 and doublings) and, if it passes, a strong Lucas test with
 *                 Selfridge's parameters.  No composite below 2^64 passes
 *                 both (Feitsma and Galway's list of the base-2 pseudoprimes
 *                 below 2^64, checked against the Lucas test).
 * A base that is 0 modulo n counts as passing, as the proofs assume.
 *
 * The kernels work in batches: a first pass answers the cheap cases and
 * collects the survivors, whose strong tests then run LANES side by side.
 */
#include "primes.h"
#include "test_kernels.h"
#include "passes.h"

#include "config.h"
#include "modarith.h"
#include "tables.h"

enum { LANES = BASELINE_LANES, BATCH = BASELINE_BATCH, LUCAS_LANES = LUCAS64_LANES };

static inline int small_table_is_prime(uint32_t n) /* n < SMALL_LIMIT */
{
    if (!(n & 1u))
        return n == 2;
    uint32_t index = n >> 1;
    return (small_odd_prime_bits[index >> 3] >> (index & 7u)) & 1u;
}

/* Trial division of n < 2^32 by 3..53.  Divisibility by a constant compiles
 * to a multiplication and a comparison; | rather than ||: no branches, which
 * random input would mispredict. */
static inline int has_factor_below_54(uint32_t n)
{
    return (n % 3 == 0) | (n % 5 == 0) | (n % 7 == 0) | (n % 11 == 0) | (n % 13 == 0)
        | (n % 17 == 0) | (n % 19 == 0) | (n % 23 == 0) | (n % 29 == 0) | (n % 31 == 0)
        | (n % 37 == 0) | (n % 41 == 0) | (n % 43 == 0) | (n % 47 == 0) | (n % 53 == 0);
}

/* Trial division of n >= 2^32 by 3..47 through two 32-bit remainders (the
 * first stage; has_factor_53_on below is the second). */
static inline int has_small_factor_64(uint64_t n)
{
    uint32_t r1 = (uint32_t)(n % 111546435u);  /* 3*5*7*11*13*17*19*23 */
    uint32_t r2 = (uint32_t)(n % 2756205443u); /* 29*31*37*41*43*47 */
    return (r1 % 3 == 0) | (r1 % 5 == 0) | (r1 % 7 == 0) | (r1 % 11 == 0) | (r1 % 13 == 0)
        | (r1 % 17 == 0) | (r1 % 19 == 0) | (r1 % 23 == 0) | (r2 % 29 == 0) | (r2 % 31 == 0)
        | (r2 % 37 == 0) | (r2 % 41 == 0) | (r2 % 43 == 0) | (r2 % 47 == 0);
}

/* Trial division of the n >= 2^32 that passed has_small_factor_64 by the
 * primes from 53 to BASELINE_TRIAL_64_LAST: p divides n exactly when n p^-1
 * (mod 2^64) <= (2^64 - 1) / p (multiplying by the inverse maps the
 * multiples of p onto 0 .. (2^64 - 1) / p and every other residue above).
 * One multiplication and one comparison a prime, against a strong test that
 * about 1 in p of the survivors would otherwise take in vain: random uint64
 * 10% faster (AMD EPYC, Zen 3, in-process interleaved minima); batches of
 * likely primes skip it (classify_batch_u64).  The inverses
 * are constant expressions (Newton's iteration x -> x (2 - p x) doubles the
 * correct low bits; p itself is right to 3). */
#define INV_STEP64(x, p) ((uint64_t)((x) * (UINT64_C(2) - (uint64_t)(p) * (x))))
#define INV64(p) \
    INV_STEP64(INV_STEP64(INV_STEP64(INV_STEP64(INV_STEP64((uint64_t)(p), (p)), (p)), (p)), (p)), (p))
#define D64(p) { INV64(p), UINT64_MAX / (p) }
struct divisor64 { uint64_t inverse, limit; };
static const struct divisor64 divisors_53_on[] = {
    D64(53), D64(59), D64(61), D64(67), D64(71), D64(73), D64(79), D64(83), D64(89), D64(97),
    D64(101), D64(103), D64(107), D64(109), D64(113), D64(127), D64(131), D64(137), D64(139),
    D64(149), D64(151), D64(157), D64(163), D64(167), D64(173), D64(179), D64(181), D64(191),
    D64(193), D64(197), D64(199), D64(211), D64(223), D64(227), D64(229), D64(233), D64(239),
    D64(241), D64(251),
};
_Static_assert(sizeof divisors_53_on / sizeof divisors_53_on[0] == 39 && BASELINE_TRIAL_64_LAST == 251,
               "divisors_53_on holds the primes 53 .. BASELINE_TRIAL_64_LAST");

static inline int has_factor_53_on(uint64_t n)
{
    int found = 0; /* | rather than an early exit: no branch a prime */
#pragma GCC unroll 64
    for (size_t i = 0; i < sizeof divisors_53_on / sizeof divisors_53_on[0]; i++)
        found |= n * divisors_53_on[i].inverse <= divisors_53_on[i].limit;
    return found;
}

/* Branch-free binary search of the sorted table of the base-2 strong
 * pseudoprimes below 2^32 (tables.c): the faster levels call it too, for the
 * few values their hashed filter lets by (test_kernels.h). */
int spsp2_listed_baseline(uint32_t n)
{
    const uint32_t *base = spsp2_below_2_32;
    size_t len = SPSP2_COUNT;
    while (len > 1) {
        size_t half = len / 2;
        base = base[half - 1] < n ? base + half : base;
        len -= half;
    }
    return *base == n;
}

/* ---- the strong test to base 2 ----------------------------------------------
 *
 * LANES independent tests side by side, with the same number of steps in
 * each lane (leading zero bits of the exponent square the Montgomery one,
 * which stays one) and branch-free selects for the exponent bits. */

/* Base-2 strong tests of LANES odd numbers in [2^16, 2^32). */
static void sprp2_32_lanes(const uint32_t *n, int *pass)
{
    uint32_t n_inv[LANES], one[LANES], d[LANES], x[LANES], bits = 0;
    int s[LANES];
    for (int k = 0; k < LANES; k++) {
        n_inv[k] = mont32_inverse(n[k]);
        one[k] = (0u - n[k]) % n[k]; /* 2^32 mod n = (2^32 - n) mod n, by a 32-bit division */
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

/* n's Montgomery constants for the 64-bit tests. */
struct mont64 {
    uint64_t n, n_inv, one, minus_one, d;
    int s;
};

/* Everything a base-2 test needs. */
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

/* 2^d by 4-bit windows of d from the top: four squarings, then one product
 * by 2^w (w the window's bits, from a table of 2^0 .. 2^15 in Montgomery
 * form, made by doublings).  A bit at a time took a squaring, a doubling and
 * a select each bit: the kernel's instructions on random uint64 -25%, on
 * primes just below 2^64 -14% (callgrind); on the Zen 3 only 1-3% faster,
 * as its 64-bit multiplier, three products a squaring, is then the limit. */
enum { SPRP64_WINDOW = 4 };
static void sprp64_base2_lanes(const struct mont64 *m, int *pass)
{
    uint64_t x[LANES], power[LANES][1 << SPRP64_WINDOW], bits = 0;
    for (int k = 0; k < LANES; k++) {
        power[k][0] = m[k].one;
        for (int w = 1; w < 1 << SPRP64_WINDOW; w++)
            power[k][w] = double_mod64(power[k][w - 1], m[k].n);
        bits |= m[k].d;
    }
    /* The lanes' windows line up: the top one starts at a multiple of the
     * window size, its leading zero bits taking 2^0. */
    int shift = (63 - __builtin_clzll(bits)) / SPRP64_WINDOW * SPRP64_WINDOW;
    for (int k = 0; k < LANES; k++)
        x[k] = power[k][(m[k].d >> shift) & ((1u << SPRP64_WINDOW) - 1)];
    for (shift -= SPRP64_WINDOW; shift >= 0; shift -= SPRP64_WINDOW) {
        for (int k = 0; k < LANES; k++) {
            uint64_t y = x[k];
            for (int i = 0; i < SPRP64_WINDOW; i++)
                y = mont64_mul(y, y, m[k].n, m[k].n_inv);
            x[k] = mont64_mul(y, power[k][(m[k].d >> shift) & ((1u << SPRP64_WINDOW) - 1)], m[k].n, m[k].n_inv);
        }
    }
    for (int k = 0; k < LANES; k++)
        pass[k] = sprp64_finish(&m[k], x[k]);
}

/* ---- the strong Lucas test (Selfridge's parameters) -------------------------
 *
 * With the strong test to base 2 this is the Baillie-PSW test, which no
 * composite below 2^64 passes (the base-2 pseudoprimes below 2^64 are all
 * known, and none passes this Lucas test).  It costs about four base-2
 * rounds, instead of the twelve that six more Miller-Rabin bases cost. */

/* The Jacobi symbol (a/n) for odd n > 0 and 0 <= a < n. */
static int jacobi(uint64_t a, uint64_t n)
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

static int is_square(uint64_t n)
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

/* Selfridge's D for odd n > 3: the first of 5, -7, 9, -11, ... with
 * (D/n) = -1, stored in *d; 0 (composite) when n is a square, for which no
 * such D exists, or when some D before it shares a factor with n. */
int selfridge_d_baseline(uint64_t n, int64_t *d)
{
    /* Nearly always: D among the first 22 candidates (|D| <= 47), from three
     * remainders of n and the symbol tables (tables.h), with no Jacobi
     * loop and no square test: a square has no (D/n) = -1, so it runs off the
     * table to the search below.  n > 47, so |D| = n cannot happen. */
    if (n > SELFRIDGE_TABLE_MAX_D) {
        const uint32_t residue[3] = {(uint32_t)(n % SELFRIDGE_MODULUS_0), (uint32_t)(n % SELFRIDGE_MODULUS_1),
                                     (uint32_t)(n % SELFRIDGE_MODULUS_2)};
        /* Step i's |D| is 5 + 2 i (gen_tables.py); unrolled, each remainder
         * is by a constant, a multiplication instead of a division (this
         * function was 6.5% of the AVX-512 test of primes near 2^64 with
         * divisions by step->m; 2% faster without). */
#pragma GCC unroll 32
        for (size_t i = 0; i < SELFRIDGE_STEPS; i++) {
            const struct selfridge_step *step = &selfridge_steps[i];
            uint32_t r = residue[step->residue] % (5u + 2u * (uint32_t)i);
            if ((step->zero_mask >> r) & 1u)
                return 0; /* D shares a factor with n */
            if ((step->minus_mask >> r) & 1u) {
                *d = step->d;
                return 1;
            }
        }
    }
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
    *d = d_param;
    return 1;
}

/* One strong Lucas test with Selfridge's parameters (D the first of 5, -7,
 * 9, -11, ... with (D/n) = -1, P = 1, Q = (1 - D) / 4) of an odd n > 2^32,
 * set up for the ladders below. */
struct lucas64 {
    uint64_t n, n_inv, one;
    uint64_t q; /* Q in Montgomery form (Q = -1 needs none) */
    uint64_t k; /* n + 1 = k 2^s, k odd (n < 2^64 - 1, so n + 1 does not wrap) */
    int s;
    size_t at; /* n's place in the kernel's call */
};

/* 0 when n is composite by its D (a square, or a D before it shares a factor
 * with n); else fills *e and sets *q_is_minus_one (D = 5). */
static int lucas64_setup(const struct mont64 *m, struct lucas64 *e, int *q_is_minus_one)
{
    int64_t d_param;
    if (!selfridge_d_baseline(m->n, &d_param))
        return 0;
    e->n = m->n;
    e->n_inv = m->n_inv;
    e->one = m->one;
    e->k = m->n + 1;
    e->s = __builtin_ctzll(e->k);
    e->k >>= e->s;
    *q_is_minus_one = d_param == 5;
    e->q = 0;
    if (d_param != 5) {
        /* Q = (1 - D) / 4 as a residue, then in Montgomery form by R^2 mod n
         * (a 128-bit division, once a test). */
        int64_t q_param = (1 - d_param) / 4;
        uint64_t n = m->n;
        uint64_t q_mod = q_param >= 0 ? (uint64_t)q_param % n : n - ((uint64_t)(-q_param) % n);
        uint64_t r2 = (uint64_t)(((primes_u128)m->one * m->one) % n);
        e->q = mont64_mul(q_mod, r2, n, e->n_inv);
    }
    return 1;
}

/* The end of the test, from the ladder's V_k, V_(k+1) and Q^k: U_k = 0 (mod
 * n) exactly when 2 V_(k+1) = V_k, since D U_k = 2 V_(k+1) - P V_k and gcd(D,
 * n) = 1 ((D/n) = -1); else V_(k 2^r) = 0 for some 0 <= r < s. */
static int lucas64_finish(const struct lucas64 *e, uint64_t v0, uint64_t v1, uint64_t qj)
{
    const uint64_t n = e->n;
    if (add_mod64(v1, v1, n) == v0 || v0 == 0)
        return 1;
    for (int r = 1; r < e->s; r++) {
        v0 = sub_mod64(mont64_mul(v0, v0, n, e->n_inv), add_mod64(qj, qj, n), n);
        if (v0 == 0)
            return 1;
        qj = mont64_mul(qj, qj, n, e->n_inv);
    }
    return 0;
}

/* The V ladder of LUCAS_LANES tests side by side, on (V_j, V_(j+1), Q^j) from j = 0
 * (V_0 = 2, V_1 = P = 1, Q^0 = 1) over k's bits: a 0 bit takes j to 2j, a 1
 * bit to 2j + 1, by
 *   V_2j = V_j^2 - 2 Q^j,  V_(2j+1) = V_j V_(j+1) - Q^j,  V_(2j+2) = V_(j+1)^2 - 2 Q^(j+1).
 * Branch-free (k's bits are coin tosses); leading zero bits keep a lane at
 * j = 0 (V_0^2 - 2 = 2, V_0 V_1 - 1 = 1), so every lane takes the steps of
 * the longest k.  One test at a time is a chain of dependent products (two a
 * bit one after the other for Q^j) with a branch on each bit; side by side
 * and branch-free, the CPU overlaps the lanes' chains: primes just below 2^64
 * 15% faster (AMD EPYC, Zen 3; LUCAS64_LANES in config.h).
 *
 * For Q = -1 (D = 5, about half of all primes), Q^j is +-1 by j's parity:
 * two products a bit. */
static inline __attribute__((always_inline)) void lucas64_lanes_q_minus_one(const struct lucas64 *e, int lanes, int *pass)
{
    /* Q^j = (-1)^j: the ladder carries j's parity, and subtracts Q^j and
     * 2 Q^j from a table of the two values each (a load, not a select). */
    uint64_t v0[LUCAS_LANES], v1[LUCAS_LANES], q_term[LUCAS_LANES][2], twice_q_term[LUCAS_LANES][2], bits = 0;
    unsigned parity[LUCAS_LANES];
    for (int k = 0; k < lanes; k++) {
        const uint64_t n = e[k].n, one = e[k].one, two = add_mod64(one, one, n);
        q_term[k][0] = one;
        q_term[k][1] = n - one;
        twice_q_term[k][0] = two;
        twice_q_term[k][1] = n - two;
        v0[k] = two;
        v1[k] = one;
        parity[k] = 0;
        bits |= e[k].k;
    }
    for (int bit = 63 - __builtin_clzll(bits); bit >= 0; bit--) {
        for (int k = 0; k < lanes; k++) {
            const uint64_t n = e[k].n;
            const unsigned b = (unsigned)(e[k].k >> bit) & 1u;
            uint64_t product = sub_mod64(mont64_mul(v0[k], v1[k], n, e[k].n_inv), q_term[k][parity[k]], n);
            uint64_t sel = b ? v1[k] : v0[k];
            /* V_(j+b)^2 - 2 Q^(j+b) */
            uint64_t square = sub_mod64(mont64_mul(sel, sel, n, e[k].n_inv), twice_q_term[k][parity[k] ^ b], n);
            /* (V_2j, V_(2j+1)) or (V_(2j+1), V_(2j+2)), by masks: a
             * conditional assignment here compiled to a branch. */
            const uint64_t swap = (product ^ square) & (0 - (uint64_t)b);
            v0[k] = square ^ swap;
            v1[k] = product ^ swap;
            parity[k] = b; /* 2j + b */
        }
    }
    for (int k = 0; k < lanes; k++)
        pass[k] = lucas64_finish(&e[k], v0[k], v1[k], q_term[k][parity[k]]);
}

/* Any Q: the ladder carries Q^j and Q^(j+1) as it carries V_j and V_(j+1)
 * (Q^2j = Q^j Q^j, Q^(2j+1) = Q^j Q^(j+1), Q^(2j+2) = Q^(j+1) Q^(j+1)), so
 * that a bit's four products are independent of each other. */
static inline __attribute__((always_inline)) void lucas64_lanes(const struct lucas64 *e, int lanes, int *pass)
{
    uint64_t v0[LUCAS_LANES], v1[LUCAS_LANES], q0[LUCAS_LANES], q1[LUCAS_LANES], bits = 0;
    for (int k = 0; k < lanes; k++) {
        v0[k] = add_mod64(e[k].one, e[k].one, e[k].n);
        v1[k] = e[k].one;
        q0[k] = e[k].one;
        q1[k] = e[k].q;
        bits |= e[k].k;
    }
    for (int bit = 63 - __builtin_clzll(bits); bit >= 0; bit--) {
        for (int k = 0; k < lanes; k++) {
            const uint64_t n = e[k].n, n_inv = e[k].n_inv;
            const unsigned b = (unsigned)(e[k].k >> bit) & 1u;
            uint64_t product = sub_mod64(mont64_mul(v0[k], v1[k], n, n_inv), q0[k], n);
            uint64_t q_product = mont64_mul(q0[k], q1[k], n, n_inv);
            uint64_t sel = b ? v1[k] : v0[k], q_sel = b ? q1[k] : q0[k];
            uint64_t square = sub_mod64(mont64_mul(sel, sel, n, n_inv), add_mod64(q_sel, q_sel, n), n);
            uint64_t q_square = mont64_mul(q_sel, q_sel, n, n_inv);
            /* By masks: conditional assignments here compiled to branches. */
            const uint64_t mask = 0 - (uint64_t)b;
            const uint64_t swap = (product ^ square) & mask, q_swap = (q_product ^ q_square) & mask;
            v0[k] = square ^ swap;
            v1[k] = product ^ swap;
            q0[k] = q_square ^ q_swap;
            q1[k] = q_product ^ q_swap;
        }
    }
    for (int k = 0; k < lanes; k++)
        pass[k] = lucas64_finish(&e[k], v0[k], v1[k], q0[k]);
}

/* The lanes of a ladder are the same code for LUCAS_LANES tests of a queue and
 * for the one test of strong_lucas_baseline (the always_inline ladders,
 * specialised on a constant lane count). */
static void lucas64_group_q_minus_one(const struct lucas64 *e, int *pass)
{
    lucas64_lanes_q_minus_one(e, LUCAS_LANES, pass);
}

static void lucas64_group(const struct lucas64 *e, int *pass)
{
    lucas64_lanes(e, LUCAS_LANES, pass);
}

/* The strong Lucas tests waiting for a full group of lanes, of one kind of
 * Q, across the batches of a kernel call: a batch of random 64-bit values
 * has about 6 primes, and groups padded in each batch did a third more work. */
struct lucas64_queue {
    struct lucas64 e[LUCAS64_QUEUE + LUCAS_LANES]; /* room to pad the last group */
    size_t count;
    int q_is_minus_one;
};

/* Run the queued tests (the last group padded with copies of the first
 * test, whose results are unused), res[e[k].at] their answers. */
static void lucas64_flush(struct lucas64_queue *queue, uint8_t *res)
{
    struct lucas64 *e = queue->e;
    const size_t count = queue->count;
    for (size_t k = count; count && k % LUCAS_LANES; k++)
        e[k] = e[0];
    for (size_t k = 0; k < count; k += LUCAS_LANES) {
        int pass[LUCAS_LANES];
        if (queue->q_is_minus_one)
            lucas64_group_q_minus_one(&e[k], pass);
        else
            lucas64_group(&e[k], pass);
        for (size_t j = 0; j < LUCAS_LANES && k + j < count; j++)
            res[e[k + j].at] = (uint8_t)pass[j];
    }
    queue->count = 0;
}

static void lucas64_push(struct lucas64_queue *queue, const struct lucas64 *e, uint8_t *res)
{
    queue->e[queue->count++] = *e;
    if (queue->count == LUCAS64_QUEUE)
        lucas64_flush(queue, res);
}

/* The strong Lucas test of odd n > 2^32 alone: for a faster level's kernel
 * whose own base-2 strong test passed n (test_kernels.h). */
int strong_lucas_baseline(uint64_t n)
{
    struct mont64 m;
    struct lucas64 e;
    int q_is_minus_one, pass;
    mont64_setup_base2(&m, n);
    if (!lucas64_setup(&m, &e, &q_is_minus_one))
        return 0;
    if (q_is_minus_one)
        lucas64_lanes_q_minus_one(&e, 1, &pass);
    else
        lucas64_lanes(&e, 1, &pass);
    return pass;
}

/* ---- batches ------------------------------------------------------------- */

/* The strong tests of the n_small survivors below 2^32 (room for LANES - 1
 * more in small[]); res[small_at[k]] gets the answer of small[k]. */
static void finish_below_2_32(uint32_t *small, const uint16_t *small_at, size_t n_small, uint8_t *res)
{
    /* Pad to whole groups of lanes with a known prime; its results are unused. */
    for (size_t k = n_small; k % LANES; k++)
        small[k] = 4294967291u;
    for (size_t k = 0; k < n_small; k += LANES) {
        int pass[LANES];
        sprp2_32_lanes(&small[k], pass);
        for (size_t j = 0; j < LANES && k + j < n_small; j++)
            res[small_at[k + j]] = (uint8_t)(pass[j] && !spsp2_listed_baseline(small[k + j]));
    }
}

/* res[k] for k < count <= BATCH, every v[k] < 2^32. */
static void classify_batch_u32(const uint32_t *v, size_t count, uint8_t *res)
{
    uint32_t small[BATCH + LANES];
    uint16_t small_at[BATCH];
    size_t n_small = 0;
    /* The cheap checks first, most frequent answers first: the table, even
     * numbers, trial division; the survivors take the strong test. */
    for (size_t k = 0; k < count; k++) {
        uint32_t x = v[k];
        res[k] = 0;
        if (x < SMALL_LIMIT) {
            res[k] = (uint8_t)small_table_is_prime(x);
        } else if ((x & 1u) && !has_factor_below_54(x)) {
            small[n_small] = x;
            small_at[n_small++] = (uint16_t)k;
        }
    }
    finish_below_2_32(small, small_at, n_small, res);
}

/* res[k] for k < count <= BATCH, any values; the strong Lucas tests join the
 * call's queues, whose results go to res[at - offset] (res is the call's
 * result array from offset on). */
static void classify_batch_u64(const uint64_t *v, size_t count, uint8_t *res, size_t offset,
                               struct lucas64_queue *queues)
{
    uint32_t small[BATCH + LANES];
    uint16_t small_at[BATCH];
    struct mont64 large[BATCH + LANES];
    uint16_t large_at[BATCH];
    size_t n_small = 0, n_large = 0, n_large_odd = 0;

    for (size_t k = 0; k < count; k++) {
        uint64_t x = v[k];
        res[k] = 0;
        if (x < SMALL_LIMIT) {
            res[k] = (uint8_t)small_table_is_prime((uint32_t)x);
        } else if (!(x & 1u)) {
        } else if (x <= UINT32_MAX) {
            if (!has_factor_below_54((uint32_t)x)) {
                small[n_small] = (uint32_t)x;
                small_at[n_small++] = (uint16_t)k;
            }
        } else {
            n_large_odd++;
            large_at[n_large] = (uint16_t)k;
            n_large += !has_small_factor_64(x);
        }
    }
    /* The second stage of trial division, where it pays: when more than
     * half of the odd values passed the first (about 29% of random ones do),
     * they are likely primes, which no trial division stops. */
    if (2 * n_large <= n_large_odd) {
        size_t kept = 0;
        for (size_t k = 0; k < n_large; k++) {
            large_at[kept] = large_at[k];
            kept += !has_factor_53_on(v[large_at[k]]);
        }
        n_large = kept;
    }
    for (size_t k = 0; k < n_large; k++)
        mont64_setup_base2(&large[k], v[large_at[k]]);
    finish_below_2_32(small, small_at, n_small, res);

    for (size_t k = n_large; k % LANES; k++)
        mont64_setup_base2(&large[k], UINT64_C(18446744073709551557)); /* 2^64 - 59, prime */
    /* Base 2 rejects almost every composite; the survivors (nearly all prime)
     * take the strong Lucas test, completing Baillie-PSW, queued by kind of
     * Q so that the lanes of a group run the same ladder. */
    for (size_t k = 0; k < n_large; k += LANES) {
        int pass[LANES];
        sprp64_base2_lanes(&large[k], pass);
        for (size_t j = 0; j < LANES && k + j < n_large; j++) {
            struct lucas64 e;
            int minus_one;
            if (pass[j] && lucas64_setup(&large[k + j], &e, &minus_one)) {
                e.at = offset + large_at[k + j];
                lucas64_push(&queues[minus_one], &e, res - offset);
            }
        }
    }
}

/* ---- the kernels ----------------------------------------------------------- */

void classify_u32_baseline(const uint32_t *v, size_t count, uint8_t *res)
{
    for (size_t done = 0; done < count; done += BATCH)
        classify_batch_u32(v + done, count - done < BATCH ? count - done : BATCH, res + done);
}

void classify_u64_baseline(const uint64_t *v, size_t count, uint8_t *res)
{
    struct lucas64_queue queues[2]; /* [0] any Q, [1] Q = -1 */
    queues[0].count = queues[1].count = 0;
    queues[0].q_is_minus_one = 0;
    queues[1].q_is_minus_one = 1;
    for (size_t done = 0; done < count; done += BATCH)
        classify_batch_u64(v + done, count - done < BATCH ? count - done : BATCH, res + done, done, queues);
    lucas64_flush(&queues[0], res);
    lucas64_flush(&queues[1], res);
}

const struct test_kernels test_kernels_baseline = {
    .name = "baseline",
    .level = PRIMES_CPU_BASELINE,
    .classify_u32 = classify_u32_baseline,
    .classify_u64 = classify_u64_baseline,
    /* passes.h, compiled with this file's flags */
    .extremes_u32 = extremes_u32,
    .extremes_u64 = extremes_u64,
    .byteswap_u32 = byteswap_u32,
    .byteswap_u64 = byteswap_u64,
    .run_mismatch_u32 = run_mismatch_u32,
    .run_mismatch_u64 = run_mismatch_u64,
    .narrow_u64 = narrow_u64,
    .narrow_i64 = narrow_i64,
};
