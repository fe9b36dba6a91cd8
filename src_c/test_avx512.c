/* SPDX-License-Identifier: MIT */
/*
 * test_avx512.c -- the per-element test kernels for AVX-512 F/VL/DQ/BW with
 * IFMA (PRIMES_CPU_AVX512).  Compiled with its own flags (meson.build:
 * -mavx512f -mavx512vl -mavx512dq -mavx512bw -mavx512ifma -mavx2 -mbmi2
 * -mfma); only test_dispatch.c points at it, and only when the CPU and the
 * OS support all of these (cpu.c).  The answers are those of test_baseline.c
 * for every input (tests/c/kernel_check_avx512.c checks it, under emulation
 * on a CPU without AVX-512); src_c/README.md has the algorithm.
 *
 *   n < 2^32   16 lanes of 32 bits: the bit table below 2^16, evens, trial
 *              division by the first AVX512_TRIAL_PRIMES_32 odd primes as
 *              n * p^-1 mod 2^32 <= (2^32 - 1) / p; the survivors, compacted
 *              (vpcompressd) into full vectors, by the rest up to the
 *              AVX512_TRIAL_PRIMES_32_SURVIVORS-th (181 in the table), then
 *              queued by s = ctz(n - 1) across the call's
 *              batches, take one strong test to base 2 in 8 lanes of 64
 *              bits with IFMA Montgomery arithmetic (R = 2^52, one 52-bit
 *              limb), AVX512_VECTORS vectors interleaved; a pass is a prime
 *              unless n is in the table of the 2314 base-2 strong
 *              pseudoprimes below 2^32 (a gathered bit of a hashed filter
 *              first, the search of the table for the few it lets by).
 *   n >= 2^32  8 lanes of 64 bits: trial division by the first
 *              AVX512_TRIAL_PRIMES_64 odd primes, then on the compacted
 *              survivors by the rest up to the AVX512_TRIAL_PRIMES_64_SURVIVORS-th
 *              (n reduced below 2^52 mod
 *              a product of a few of them, then t * p^-1 mod 2^52 <=
 *              (2^52 - 1) / p, all in IFMA low halves); the survivors, compacted, take the strong
 *              test to base 2 in IFMA Montgomery arithmetic with two 52-bit
 *              limbs (R = 2^104), AVX512_VECTORS_64 vectors interleaved; the
 *              few that pass (nearly all prime) complete Baillie-PSW with the
 *              strong Lucas test (Selfridge's D from the baseline's residue
 *              tables), in vectors as well, queued across a call's batches:
 *              D = 5 (Q = -1) by a V ladder of two products per bit, any
 *              other D by the U, V ladder.
 *              Values below 2^32 in a 64-bit array take the 32-bit path.
 *
 * Outside Meson (the sanitizer and fuzz builds compile every C file of src_c
 * with the baseline flags) the file compiles to nothing.  The emulated check
 * defines PRIMES_AVX512_EMULATED and includes this file after
 * tests/c/avx512_emulation.h.
 */
#include "primes.h"
#include "test_kernels.h"

#include "config.h"
#include "tables.h"

#if defined(PRIMES_AVX512_EMULATED)
#define TEST_AVX512_BUILT 1 /* the intrinsics come from tests/c/avx512_emulation.h */
#elif defined(__AVX512F__) && defined(__AVX512VL__) && defined(__AVX512DQ__) && defined(__AVX512BW__) \
    && defined(__AVX512IFMA__) && defined(__AVX2__)
#include <immintrin.h>
#define TEST_AVX512_BUILT 1
#endif

#ifdef TEST_AVX512_BUILT

#include <string.h>

#include "passes.h"

_Static_assert(AVX512_TRIAL_CHAINS >= 1, "config.h: at least one chain");
enum { BATCH = AVX512_BATCH, VECTORS = AVX512_VECTORS, VECTORS64 = AVX512_VECTORS_64 };

#define LOW52 ((UINT64_C(1) << 52) - 1)
/* |D| below this takes the vector Lucas test (the Montgomery form of Q =
 * (1 - D) / 4 is |Q| times a residue, which must stay below 2^20 n); others,
 * if any (none has been seen below 2^64), the scalar one. */
#define LUCAS_MAX_D 8192

/* ---- trial division ---------------------------------------------------------
 *
 * p divides n exactly when n * p^-1 (mod 2^w) <= (2^w - 1) / p: multiplying by
 * the inverse maps the multiples of p onto 0 .. (2^w - 1) / p and every other
 * residue above (the tables hold that bound plus one).  The inverses are constant expressions (Newton's iteration
 * x -> x (2 - p x) doubles the correct low bits; p itself is right to 3). */
#define INV_STEP32(x, p) ((uint32_t)((x) * (2u - (p) * (x))))
#define INV32(p) INV_STEP32(INV_STEP32(INV_STEP32(INV_STEP32((uint32_t)(p), (p)), (p)), (p)), (p))
#define T32(p) { INV32(p), UINT32_MAX / (p) + 1 }
#define INV_STEP64(x, p) ((uint64_t)((x) * (UINT64_C(2) - (uint64_t)(p) * (x))))
#define INV64(p) \
    INV_STEP64(INV_STEP64(INV_STEP64(INV_STEP64(INV_STEP64((uint64_t)(p), (p)), (p)), (p)), (p)), (p))

struct divisor32 { uint32_t inverse, above; }; /* above: (2^32 - 1) / p + 1 */

/* The odd primes up to 181 (181^2 < 2^16: any n >= 2^16 they divide is composite). */
static const struct divisor32 divisors32[] = {
    T32(3), T32(5), T32(7), T32(11), T32(13), T32(17), T32(19), T32(23), T32(29), T32(31), T32(37),
    T32(41), T32(43), T32(47), T32(53), T32(59), T32(61), T32(67), T32(71), T32(73), T32(79), T32(83),
    T32(89), T32(97), T32(101), T32(103), T32(107), T32(109), T32(113), T32(127), T32(131), T32(137),
    T32(139), T32(149), T32(151), T32(157), T32(163), T32(167), T32(173), T32(179), T32(181),
};

/* For n >= 2^32 the 64-bit products (VPMULLQ: three micro-ops and about 15
 * cycles on Intel's cores) are avoided.  With n = h 2^32 + l, t = h (2^32 mod
 * M) + l is n mod M for M = p q ..., and below 2^52 when M <= 2^20; then p
 * divides n exactly when t * p^-1 (mod 2^52) <= (2^52 - 1) / p: one IFMA
 * low half (VPMADD52LUQ) makes each group's t and one more each prime's
 * product.  The odd primes up to 547 in groups of product below 2^20, in
 * order, each with its primes' inverses mod 2^52 and bounds plus one. */
struct divisor52 { uint64_t inverse, above; };
struct group52 { uint64_t two32_mod; unsigned size; struct divisor52 d[6]; };
#define T52(p) { INV64(p) & LOW52, LOW52 / (p) + 1 }
/* 2^32 mod m, for m < 2^20 (else the array size is negative: no compile). */
#define TWO32_MOD(m) ((UINT64_C(1) << 32) % (uint64_t)(m) + 0 * sizeof(char[(m) < (1 << 20) ? 1 : -1]))
#define G1(a) { TWO32_MOD(a), 1, { T52(a) } }
#define G2(a, b) { TWO32_MOD((a) * (b)), 2, { T52(a), T52(b) } }
#define G3(a, b, c) { TWO32_MOD((a) * (b) * (c)), 3, { T52(a), T52(b), T52(c) } }
#define G4(a, b, c, d) { TWO32_MOD((a) * (b) * (c) * (d)), 4, { T52(a), T52(b), T52(c), T52(d) } }
#define G6(a, b, c, d, e, f) \
    { TWO32_MOD((a) * (b) * (c) * (d) * (e) * (f)), 6, { T52(a), T52(b), T52(c), T52(d), T52(e), T52(f) } }
static const struct group52 groups52[] = {
    G6(3, 5, 7, 11, 13, 17), G4(19, 23, 29, 31), G3(37, 41, 43), G3(47, 53, 59), G3(61, 67, 71),
    G3(73, 79, 83), G3(89, 97, 101), G2(103, 107), G2(109, 113), G2(127, 131), G2(137, 139), G2(149, 151),
    G2(157, 163), G2(167, 173), G2(179, 181), G2(191, 193), G2(197, 199), G2(211, 223), G2(227, 229),
    G2(233, 239), G2(241, 251), G2(257, 263), G2(269, 271), G2(277, 281), G2(283, 293), G2(307, 311),
    G2(313, 317), G2(331, 337), G2(347, 349), G2(353, 359), G2(367, 373), G2(379, 383), G2(389, 397),
    G2(401, 409), G2(419, 421), G2(431, 433), G2(439, 443), G2(449, 457), G2(461, 463), G2(467, 479),
    G2(487, 491), G2(499, 503), G2(509, 521), G2(523, 541), G1(547),
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
_Static_assert(AVX512_TRIAL_PRIMES_32 <= AVX512_TRIAL_PRIMES_32_SURVIVORS, "config.h: the survivors' stage goes on");
_Static_assert(AVX512_TRIAL_PRIMES_32_SURVIVORS <= COUNT_OF(divisors32), "config.h: at most 41 primes below 2^32");
_Static_assert(AVX512_TRIAL_PRIMES_64 <= AVX512_TRIAL_PRIMES_64_SURVIVORS, "config.h: the survivors' stage goes on");
_Static_assert(AVX512_TRIAL_PRIMES_64_SURVIVORS <= 100, "config.h: at most 100 primes above (groups52)");

/* The tables through a pointer the compiler cannot see into: it then reads
 * each constant as a broadcast memory operand of the multiplication or the
 * comparison, rather than building it in a register (two more instructions
 * per constant). */
#define OPAQUE(pointer) __asm__("" : "+r"(pointer))

/* Lanes of x (16 x 32 bits) with no factor among divisors32[first .. last):
 * the mask of the lanes still alive is the write mask of each comparison
 * (one instruction per prime for the comparison and the AND).  Called with
 * constant bounds, so that the loop unrolls into straight code. */
static inline __mmask16 no_factor32(__m512i x, __mmask16 alive, size_t first, size_t last)
{
    const struct divisor32 *d = divisors32;
    OPAQUE(d);
    /* Independent chains of masked comparisons, joined at the end: a
     * fraction of one chain's latency. */
    __mmask16 chain[AVX512_TRIAL_CHAINS];
    chain[0] = alive;
    for (int c = 1; c < AVX512_TRIAL_CHAINS; c++)
        chain[c] = 0xffff;
#pragma GCC unroll 64
    for (size_t i = first; i < last; i++) {
        __m512i product = _mm512_mullo_epi32(x, _mm512_set1_epi32((int)d[i].inverse));
        chain[(i - first) % AVX512_TRIAL_CHAINS] = _mm512_mask_cmpge_epu32_mask(
            chain[(i - first) % AVX512_TRIAL_CHAINS], product, _mm512_set1_epi32((int)d[i].above));
    }
    for (int c = 1; c < AVX512_TRIAL_CHAINS; c++)
        alive &= chain[c];
    return chain[0] & alive;
}

/* Lanes of x (8 x 64 bits, each >= 2^32) with no factor among the primes
 * first .. last - 1 of groups52 (counted from 0 in its order; a group is
 * reduced only if one of its primes is in range).  Each product is made on top of
 * 2^63 - bound: it reaches 2^63 exactly when p does not divide, so the lanes
 * alive are those whose minimum over the primes has its top bit set (a
 * vector minimum a prime, no mask operations).  The groups' shape is read
 * through a pointer the compiler sees into, so that with constant bounds the
 * loops unroll into straight code; their constants through an opaque one. */
static inline __mmask8 no_factor64(__m512i x, __mmask8 alive, size_t first, size_t last)
{
    const struct group52 *g = groups52, *shape = groups52;
    OPAQUE(g);
    const __m512i high = _mm512_srli_epi64(x, 32), low = _mm512_and_si512(x, _mm512_set1_epi64(0xffffffff));
    __m512i least[AVX512_TRIAL_CHAINS]; /* independent chains of minima, as no_factor32 */
    for (int c = 0; c < AVX512_TRIAL_CHAINS; c++)
        least[c] = _mm512_set1_epi64(-1);
    size_t i = 0, tested = 0;
#pragma GCC unroll 128
    for (size_t k = 0; k < sizeof groups52 / sizeof groups52[0]; k++) {
        if (i >= last)
            break;
        if (i + shape[k].size <= first) {
            i += shape[k].size;
            continue;
        }
        __m512i t = _mm512_madd52lo_epu64(low, high, _mm512_set1_epi64((long long)g[k].two32_mod));
#pragma GCC unroll 6
        for (unsigned j = 0; j < 6; j++) {
            if (j < shape[k].size && i >= first && i < last) {
                __m512i base = _mm512_set1_epi64((long long)((UINT64_C(1) << 63) - g[k].d[j].above));
                __m512i product = _mm512_madd52lo_epu64(base, t, _mm512_set1_epi64((long long)g[k].d[j].inverse));
                least[tested % AVX512_TRIAL_CHAINS] = _mm512_min_epu64(least[tested % AVX512_TRIAL_CHAINS], product);
                tested++;
            }
            if (j < shape[k].size)
                i++;
        }
    }
    for (int c = 1; c < AVX512_TRIAL_CHAINS; c++)
        least[0] = _mm512_min_epu64(least[0], least[c]);
    return alive & _mm512_movepi64_mask(least[0]);
}

/* ---- Montgomery arithmetic with IFMA, R = 2^52, odd n < 2^32 ------------------
 *
 * A residue x is kept as any value in (0, 2n) congruent to x R: since R > 4n,
 * no product needs a final subtraction (below).  VPMADD52LUQ/HUQ multiply the
 * low 52 bits of two lanes and add the low or the high 52 bits of the 104-bit
 * product to a third. */

/* a b R^-1 (mod n) as a value in (0, 2n), for a, b < 2^52 with a b < n 2^52:
 * with lo, hi the halves of t = a b and m = lo n^-1 mod 2^52, m n has the
 * same low half as t, so (t - m n) / R = hi - hi(m n) exactly, which lies in
 * (-n, n) (hi(m n) < n as m < 2^52); n is added before the subtraction. */
static inline __m512i redc52(__m512i a, __m512i b, __m512i n, __m512i n_inv)
{
    const __m512i zero = _mm512_setzero_si512();
    __m512i lo = _mm512_madd52lo_epu64(zero, a, b);
    __m512i hi = _mm512_madd52hi_epu64(n, a, b);
    __m512i m = _mm512_madd52lo_epu64(zero, lo, n_inv);
    return _mm512_sub_epi64(hi, _mm512_madd52hi_epu64(zero, m, n));
}

/* n^-1 mod 2^52 for odd n < 2^52: Newton's iteration x -> x (2 - n x), which
 * doubles the correct low bits, from the 5-bit seed 3n ^ 2, in four steps.
 * The products mod 2^52 are IFMA's low halves: cheaper than 64-bit
 * multiplications (VPMULLQ), which the rest of the kernel does not need. */
static inline __m512i inverse52(__m512i n)
{
    const __m512i zero = _mm512_setzero_si512(), two = _mm512_set1_epi64(2), low52 = _mm512_set1_epi64((long long)LOW52);
    __m512i x = _mm512_and_si512(_mm512_xor_si512(_mm512_add_epi64(n, _mm512_add_epi64(n, n)), two), low52);
    for (int i = 0; i < 4; i++) {
        __m512i nx = _mm512_madd52lo_epu64(zero, n, x);
        x = _mm512_madd52lo_epu64(zero, x, _mm512_and_si512(_mm512_sub_epi64(two, nx), low52));
    }
    return x;
}

/* Integers below 2^52 to doubles and back by the 2^52 exponent trick: the
 * double 2^52 + x has x as its low mantissa bits.  Exact, with no AVX-512DQ
 * conversion (nor one SIMDe's emulation lacks). */
static inline __m512d small_to_pd(__m512i x)
{
    return _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(x, _mm512_set1_epi64(0x4330000000000000))),
                         _mm512_set1_pd(4503599627370496.0));
}

static inline __m512i small_from_pd(__m512d x) /* x an integer in [0, 2^52) */
{
    return _mm512_sub_epi64(_mm512_castpd_si512(_mm512_add_pd(x, _mm512_set1_pd(4503599627370496.0))),
                            _mm512_set1_epi64(0x4330000000000000));
}

/* 2^52 mod n (the Montgomery one) for odd n in [2^16, 2^32), in [0, n).  The
 * quotient q = 2^52 / n, rounded, from a reciprocal: single precision's
 * estimate (VRCPPS, relative error below 2^-11; the exact value differs
 * between vendors, the bound does not), then two of Newton's steps in double
 * precision, each squaring the relative error (below 2^-44 after them, with
 * the roundings), so that 2^52 r is within 2^-8 of 2^52 / n < 2^36 and the
 * integer nearest it is floor(2^52 / n) or one more; r = 2^52 - q n then lies
 * in [-n, n).  (A division VDIVPD occupies the divider for 16 cycles a
 * vector on Intel's cores, and the group's ladder waits for it; with the
 * vector maxima of sprp2_vectors, a group of 48 numbers with s = 1 took 9%
 * less time in a microbenchmark.)  Only t = q n mod 2^52 (IFMA's low half) is
 * computed: q n < 2^52 gives t > n and r = 2^52 - t; q n > 2^52 gives
 * t <= n and r + n = n - t.  Integer <-> double by the 2^52 exponent trick
 * (exact below 2^52), which needs no AVX-512DQ conversion. */
static inline __m512i two52_mod(__m512i n)
{
    const __m512d one = _mm512_set1_pd(1.0);
    __m512d n_d = small_to_pd(n);
    __m512d r = _mm512_cvtps_pd(_mm256_rcp_ps(_mm512_cvtpd_ps(n_d)));
    r = _mm512_fmadd_pd(r, _mm512_fnmadd_pd(n_d, r, one), r);
    __m512d scaled = _mm512_mul_pd(r, _mm512_set1_pd(4503599627370496.0)); /* 2^52 r, exact */
    __m512d q_d = _mm512_fmadd_pd(scaled, _mm512_fnmadd_pd(n_d, r, one), scaled);
    /* q_d + 2^52 rounds q_d to an integer; its low mantissa bits are that integer. */
    __m512i q = small_from_pd(q_d);
    __m512i t = _mm512_madd52lo_epu64(_mm512_setzero_si512(), q, n);
    __mmask8 below = _mm512_cmpge_epu64_mask(t, n); /* q n < 2^52 (t = n would need n | 2^52) */
    return _mm512_mask_sub_epi64(_mm512_sub_epi64(n, t), below, _mm512_set1_epi64(INT64_C(1) << 52), t);
}

/* 8 values of 32 bits, zero-extended to 64-bit lanes. */
static inline __m512i widen8(const uint32_t *p)
{
    const __m512i spread = _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0);
    __m512i x = _mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(const void *)p));
    return _mm512_and_si512(_mm512_permutexvar_epi32(spread, x), _mm512_set1_epi64(0xffffffff));
}

/* The strong test to base 2 of the 8 * nv odd numbers c[] in [2^16, 2^32),
 * nv <= VECTORS: pass[i] bit j for c[8 i + j].
 *
 * With n - 1 = d 2^s, n passes when 2^d = 1 or 2^(d 2^i) = -1 for some
 * 0 <= i < s.  The exponent n - 1 is walked from its top bit down to bit 1:
 * after bit `pos`, x = 2^((n - 1) >> pos), so pos = s gives 2^d and pos = s - i
 * gives 2^(d 2^i).  Above the largest s of the group no lane checks anything,
 * and 4 bits go at a time: three squarings, then x (x 2^w) for the window's
 * bits w, the doubling folded into the product (x 2^15 < 2^48 fits IFMA's 52
 * bits, and x^2 2^15 / 2^52 < n keeps the result in (0, 2n)).  Below it, bit
 * by bit, each lane checks its own positions pos <= s (the low pos bits of
 * n - 1 are 0).  known_s: every s of the group when the caller knows it
 * (the queues by s), else 0.  The group's largest s and the OR of its
 * exponents come from vectors (a scalar loop over the 8 nv numbers, a chain
 * of dependent maxima, held the ladder up for 7% of its time). */
static inline void sprp2_vectors(const uint32_t *c, int nv, int known_s, __mmask8 *pass)
{
    __m512i n[VECTORS], n_inv[VECTORS], one[VECTORS], minus_one[VECTORS], e[VECTORS], x[VECTORS];
    __m512i all_bits = _mm512_setzero_si512(), lowest = _mm512_setzero_si512();
    for (int i = 0; i < nv; i++) {
        n[i] = widen8(c + 8 * i);
        e[i] = _mm512_sub_epi64(n[i], _mm512_set1_epi64(1));
        all_bits = _mm512_or_si512(all_bits, e[i]);
        /* 2^s, the lowest set bit of n - 1 */
        lowest = _mm512_max_epu64(lowest, _mm512_and_si512(e[i], _mm512_sub_epi64(_mm512_setzero_si512(), e[i])));
        n_inv[i] = inverse52(n[i]);
        one[i] = two52_mod(n[i]);
        minus_one[i] = _mm512_sub_epi64(n[i], one[i]);
        x[i] = one[i];
        pass[i] = 0;
    }
    uint64_t lane_bits[8], lane_lowest[8], bits = 0, largest = 0;
    _mm512_storeu_si512((void *)lane_bits, all_bits);
    _mm512_storeu_si512((void *)lane_lowest, lowest);
    for (int j = 0; j < 8; j++) {
        bits |= lane_bits[j];
        largest = lane_lowest[j] > largest ? lane_lowest[j] : largest;
    }
    int max_s = known_s ? known_s : __builtin_ctzll(largest);
    const __m512i bit_one = _mm512_set1_epi64(1), low4 = _mm512_set1_epi64(15);
    int pos = 63 - __builtin_clzll(bits);
    for (; pos - 3 > max_s; pos -= 4) {
        const __m512i shift = _mm512_set1_epi64(pos - 3);
        /* Step by step across the vectors, so that the instruction stream
         * interleaves independent chains (one vector's four products in a
         * row would be one long dependency chain for the scheduler). */
        for (int square = 0; square < 3; square++)
            for (int i = 0; i < nv; i++)
                x[i] = redc52(x[i], x[i], n[i], n_inv[i]);
        for (int i = 0; i < nv; i++) {
            __m512i w = _mm512_and_si512(_mm512_srlv_epi64(e[i], shift), low4);
            x[i] = redc52(x[i], _mm512_sllv_epi64(x[i], w), n[i], n_inv[i]);
        }
    }
    for (; pos > max_s; pos--) {
        const __m512i shift = _mm512_set1_epi64(pos);
        for (int i = 0; i < nv; i++) {
            __m512i b = _mm512_and_si512(_mm512_srlv_epi64(e[i], shift), bit_one);
            x[i] = redc52(x[i], _mm512_sllv_epi64(x[i], b), n[i], n_inv[i]);
        }
    }
    for (; pos >= 1; pos--) {
        /* Lanes whose bit pos of n - 1 is set double x before the product
         * (a masked addition); the lanes whose low pos bits are all 0 have
         * pos <= s and check x against -1, and against 1 if also their bit
         * pos is set (pos == s). */
        const __m512i below = _mm512_set1_epi64((INT64_C(1) << pos) - 1), at = _mm512_set1_epi64(INT64_C(1) << pos);
        for (int i = 0; i < nv; i++) {
            __mmask8 bit = _mm512_test_epi64_mask(e[i], at);
            x[i] = redc52(x[i], _mm512_mask_add_epi64(x[i], bit, x[i], x[i]), n[i], n_inv[i]);
            __m512i r = _mm512_min_epu64(x[i], _mm512_sub_epi64(x[i], n[i])); /* x mod n */
            __mmask8 in_range = _mm512_testn_epi64_mask(e[i], below);         /* pos <= s */
            pass[i] |= (__mmask8)(in_range & (_mm512_cmpeq_epi64_mask(r, minus_one[i])
                                              | (bit & _mm512_cmpeq_epi64_mask(r, one[i]))));
        }
    }
}

/* ---- Montgomery arithmetic with IFMA, R = 2^104, odd n in [2^32, 2^64) --------
 *
 * Two 52-bit limbs, x = x0 + x1 2^52 with x0 < 2^52.  Residues again stay in
 * (0, 2n), so x1 < 2^13; n1 < 2^12. */

struct limbs2 { __m512i lo, hi; };

/* a b R^-1 (mod n) in (0, 2n), normalised (lo < 2^52), for a1 b1 < 2^52 and
 * a b < n 2^104: here a < 2n and b < 2^80 (x << w with w <= 15), or both
 * below 2^20 n in the Lucas test.  Operand scanning: the partial products'
 * halves are summed per limb position in 64-bit lanes (each below 2^55, far
 * from overflowing), then two reduction rounds add m_i n 2^(52 i) with
 * m_i = t_i (-n^-1) mod 2^52, each clearing the lowest limb, whose carry goes
 * up.  hi(a1 b1) = 0 since a1 b1 < 2^52.  Result: (a b + m n) / R <
 * n + a b / 2^104 < 2n.  reduce104_add adds add_lo + add_hi 2^52 to that
 * result within the reduction's own carry (the Lucas ladders' "- 2 Q^j"
 * and the like, one normalisation fewer): add_lo in [0, 2^62), add_hi any
 * 64-bit value (wrapping) so long as the sum is not negative.  t0 < 2^52.
 *
 * The cleared limb is never computed: m_i n = -t_i (mod 2^52), so
 * t_i + lo(m_i n0) is 2^52 ceil(t_i / 2^52) and its carry is
 * ceil(t_i / 2^52), known from t_i alone (for t0 < 2^52, whether it is
 * non-zero).  That takes two IFMA off each product and, with the terms of m_i
 * summed in two halves, shortens the chain from one product's inputs to the
 * next one's by about a quarter (about 33 cycles to 24).  Old and new
 * library called alternately, one thread: random uint64 5% faster, primes
 * just below 2^64 6.5% (the Lucas ladders share these products). */
static inline struct limbs2 reduce104_add(__m512i t0, __m512i t1, __m512i t2, __m512i n0, __m512i n1,
                                          __m512i neg_inv, __m512i add_lo, __m512i add_hi)
{
    const __m512i zero = _mm512_setzero_si512(), low52 = _mm512_set1_epi64((long long)LOW52);
    /* Round 1: limb 1 gains hi(m0 n0) + lo(m0 n1) and the carry [t0 != 0]. */
    __m512i m0 = _mm512_madd52lo_epu64(zero, t0, neg_inv);
    __m512i carry0 = _mm512_min_epu64(t0, _mm512_set1_epi64(1));
    t1 = _mm512_add_epi64(_mm512_madd52hi_epu64(t1, m0, n0), _mm512_madd52lo_epu64(carry0, m0, n1));
    t2 = _mm512_madd52hi_epu64(t2, m0, n1);
    /* Round 2: IFMA reads only t1's low 52 bits; limb 2 gains hi(m1 n0) +
     * lo(m1 n1), the carry ceil(t1 / 2^52) and add_lo. */
    __m512i m1 = _mm512_madd52lo_epu64(zero, t1, neg_inv);
    __m512i carry1 = _mm512_srli_epi64(_mm512_add_epi64(t1, low52), 52);
    t2 = _mm512_add_epi64(_mm512_madd52hi_epu64(t2, m1, n0),
                          _mm512_madd52lo_epu64(_mm512_add_epi64(add_lo, carry1), m1, n1));
    __m512i t3 = _mm512_madd52hi_epu64(add_hi, m1, n1);
    struct limbs2 r;
    r.lo = _mm512_and_si512(t2, low52);
    r.hi = _mm512_add_epi64(t3, _mm512_srli_epi64(t2, 52));
    return r;
}

static inline struct limbs2 redc104_add(struct limbs2 a, struct limbs2 b, __m512i n0, __m512i n1, __m512i neg_inv,
                                        struct limbs2 add)
{
    const __m512i zero = _mm512_setzero_si512();
    __m512i t0 = _mm512_madd52lo_epu64(zero, a.lo, b.lo);
    __m512i t1 = _mm512_madd52hi_epu64(zero, a.lo, b.lo);
    t1 = _mm512_madd52lo_epu64(t1, a.lo, b.hi);
    t1 = _mm512_madd52lo_epu64(t1, a.hi, b.lo);
    __m512i t2 = _mm512_madd52hi_epu64(zero, a.lo, b.hi);
    t2 = _mm512_madd52hi_epu64(t2, a.hi, b.lo);
    t2 = _mm512_madd52lo_epu64(t2, a.hi, b.hi);
    return reduce104_add(t0, t1, t2, n0, n1, neg_inv, add.lo, add.hi);
}

static inline struct limbs2 redc104(struct limbs2 a, struct limbs2 b, __m512i n0, __m512i n1, __m512i neg_inv)
{
    const struct limbs2 zero = {_mm512_setzero_si512(), _mm512_setzero_si512()};
    return redc104_add(a, b, n0, n1, neg_inv, zero);
}

/* a^2 R^-1 (mod n): the cross products once, by 2 a1 (< 2^14): 5 IFMA for
 * the product instead of 7. */
static inline struct limbs2 square104_add(struct limbs2 a, __m512i n0, __m512i n1, __m512i neg_inv, struct limbs2 add)
{
    const __m512i zero = _mm512_setzero_si512();
    __m512i twice_hi = _mm512_add_epi64(a.hi, a.hi);
    __m512i t0 = _mm512_madd52lo_epu64(zero, a.lo, a.lo);
    __m512i t1 = _mm512_madd52hi_epu64(zero, a.lo, a.lo);
    t1 = _mm512_madd52lo_epu64(t1, a.lo, twice_hi);
    __m512i t2 = _mm512_madd52hi_epu64(zero, a.lo, twice_hi);
    t2 = _mm512_madd52lo_epu64(t2, a.hi, a.hi);
    return reduce104_add(t0, t1, t2, n0, n1, neg_inv, add.lo, add.hi);
}

static inline struct limbs2 square104(struct limbs2 a, __m512i n0, __m512i n1, __m512i neg_inv)
{
    const struct limbs2 zero = {_mm512_setzero_si512(), _mm512_setzero_si512()};
    return square104_add(a, n0, n1, neg_inv, zero);
}

/* x 2^w for per-lane shifts 0 <= w <= 15 (x < 2n, so x 2^w < 2^80). */
static inline struct limbs2 shift2(struct limbs2 x, __m512i w)
{
    struct limbs2 r;
    r.lo = _mm512_and_si512(_mm512_sllv_epi64(x.lo, w), _mm512_set1_epi64((long long)LOW52));
    r.hi = _mm512_or_si512(_mm512_sllv_epi64(x.hi, w),
                           _mm512_srlv_epi64(x.lo, _mm512_sub_epi64(_mm512_set1_epi64(52), w)));
    return r;
}

/* x mod n, as one 64-bit lane, for x in (0, 2n): x >= n exactly when bit 64
 * of x is set or its low 64 bits are >= n. */
static inline __m512i reduce2(struct limbs2 x, __m512i n)
{
    __m512i low64 = _mm512_add_epi64(x.lo, _mm512_slli_epi64(x.hi, 52));
    __mmask8 ge = (__mmask8)(_mm512_test_epi64_mask(x.hi, _mm512_set1_epi64(1 << 12))
                             | _mm512_cmpge_epu64_mask(low64, n));
    return _mm512_mask_sub_epi64(low64, ge, low64, n);
}

/* The strong test to base 2 of the 8 * nv odd numbers c[] in [2^32, 2^64)
 * (nv <= VECTORS64): pass[i] bit j for c[8 i + j].  The walk of
 * sprp2_vectors, in two limbs; the Montgomery one, 2^104 mod n, by one
 * scalar 128-bit remainder per number. */
static inline void sprp2_vectors64(const uint64_t *c, int nv, __mmask8 *pass)
{
    __m512i n[VECTORS64], n0[VECTORS64], n1[VECTORS64], neg_inv[VECTORS64], one[VECTORS64],
        minus_one[VECTORS64], e[VECTORS64];
    struct limbs2 x[VECTORS64];
    uint64_t ones[8 * VECTORS64], bits = 0;
    int max_s = 0;
    for (int j = 0; j < 8 * nv; j++) {
        uint64_t d = c[j] - 1;
        int s = __builtin_ctzll(d);
        bits |= d;
        max_s = s > max_s ? s : max_s;
        ones[j] = (uint64_t)(((unsigned __int128)1 << 104) % c[j]);
    }
    const __m512i low52 = _mm512_set1_epi64((long long)LOW52);
    for (int i = 0; i < nv; i++) {
        n[i] = _mm512_loadu_si512((const void *)(c + 8 * i));
        n0[i] = _mm512_and_si512(n[i], low52);
        n1[i] = _mm512_srli_epi64(n[i], 52);
        e[i] = _mm512_sub_epi64(n[i], _mm512_set1_epi64(1));
        neg_inv[i] = _mm512_and_si512(_mm512_sub_epi64(_mm512_setzero_si512(), inverse52(n[i])), low52);
        one[i] = _mm512_loadu_si512((const void *)(ones + 8 * i));
        minus_one[i] = _mm512_sub_epi64(n[i], one[i]);
        x[i].lo = _mm512_and_si512(one[i], low52);
        x[i].hi = _mm512_srli_epi64(one[i], 52);
        pass[i] = 0;
    }
    const __m512i bit_one = _mm512_set1_epi64(1), low4 = _mm512_set1_epi64(15);
    int pos = 63 - __builtin_clzll(bits);
    for (; pos - 3 > max_s; pos -= 4) {
        const __m512i shift = _mm512_set1_epi64(pos - 3);
        /* Step by step across the vectors (sprp2_vectors says why). */
        for (int square = 0; square < 3; square++)
#pragma GCC unroll 8
            for (int i = 0; i < nv; i++)
                x[i] = square104(x[i], n0[i], n1[i], neg_inv[i]);
#pragma GCC unroll 8
        for (int i = 0; i < nv; i++) {
            __m512i w = _mm512_and_si512(_mm512_srlv_epi64(e[i], shift), low4);
            x[i] = redc104(x[i], shift2(x[i], w), n0[i], n1[i], neg_inv[i]);
        }
    }
    for (; pos > max_s; pos--) {
        const __m512i shift = _mm512_set1_epi64(pos);
#pragma GCC unroll 8
        for (int i = 0; i < nv; i++) {
            __m512i b = _mm512_and_si512(_mm512_srlv_epi64(e[i], shift), bit_one);
            x[i] = redc104(x[i], shift2(x[i], b), n0[i], n1[i], neg_inv[i]);
        }
    }
    for (; pos >= 1; pos--) {
        const __m512i shift = _mm512_set1_epi64(pos);
        const __m512i below = _mm512_set1_epi64((long long)((UINT64_C(1) << pos) - 1));
        const __m512i at = _mm512_set1_epi64((long long)(UINT64_C(1) << pos));
#pragma GCC unroll 8
        for (int i = 0; i < nv; i++) {
            __m512i b = _mm512_and_si512(_mm512_srlv_epi64(e[i], shift), bit_one);
            x[i] = redc104(x[i], shift2(x[i], b), n0[i], n1[i], neg_inv[i]);
            __m512i r = reduce2(x[i], n[i]);
            __mmask8 in_range = _mm512_testn_epi64_mask(e[i], below);
            __mmask8 at_s = in_range & _mm512_test_epi64_mask(e[i], at);
            pass[i] |= (__mmask8)((in_range & _mm512_cmpeq_epi64_mask(r, minus_one[i]))
                                  | (at_s & _mm512_cmpeq_epi64_mask(r, one[i])));
        }
    }
}

/* ---- the strong Lucas test, two limbs ------------------------------------------
 *
 * Values here may exceed 2n (up to 8n, below 2^67, so hi < 2^15): every
 * product stays exact (a1 b1 < 2^52) and its result below 2n, since a b / R <
 * n while a, b < 2^20 n; sums are formed in two limbs and normalised. */

static inline struct limbs2 normalise2(__m512i lo, __m512i hi)
{
    struct limbs2 r;
    r.hi = _mm512_add_epi64(hi, _mm512_srli_epi64(lo, 52));
    r.lo = _mm512_and_si512(lo, _mm512_set1_epi64((long long)LOW52));
    return r;
}

static inline struct limbs2 add2(struct limbs2 a, struct limbs2 b)
{
    return normalise2(_mm512_add_epi64(a.lo, b.lo), _mm512_add_epi64(a.hi, b.hi));
}

/* a - b + m for b <= m: the low limb borrows 2^52 ahead so that it never goes
 * negative; the high limb's wrap-around cancels in 64-bit arithmetic. */
static inline struct limbs2 sub_plus2(struct limbs2 a, struct limbs2 b, struct limbs2 m)
{
    __m512i lo = _mm512_sub_epi64(_mm512_add_epi64(_mm512_add_epi64(a.lo, m.lo), _mm512_set1_epi64(INT64_C(1) << 52)), b.lo);
    __m512i hi = _mm512_sub_epi64(_mm512_add_epi64(a.hi, m.hi), _mm512_add_epi64(b.hi, _mm512_set1_epi64(1)));
    return normalise2(lo, hi);
}

/* x - m where x >= m (signed high limb not negative), else x. */
static inline struct limbs2 reduce_by(struct limbs2 x, struct limbs2 m)
{
    struct limbs2 zero = {_mm512_setzero_si512(), _mm512_setzero_si512()};
    struct limbs2 d = sub_plus2(x, m, zero);
    __mmask8 ge = (__mmask8)~_mm512_movepi64_mask(d.hi);
    x.lo = _mm512_mask_mov_epi64(x.lo, ge, d.lo);
    x.hi = _mm512_mask_mov_epi64(x.hi, ge, d.hi);
    return x;
}

/* x mod n in [0, n), for x < 8n: reduced by 4n, 2n, n. */
static inline struct limbs2 canonical(struct limbs2 x, const struct limbs2 *multiples)
{
    x = reduce_by(x, multiples[2]);
    x = reduce_by(x, multiples[1]);
    return reduce_by(x, multiples[0]);
}

/* Lanes where x (< 8n) is 0 mod n. */
static inline __mmask8 zero_mod(struct limbs2 x, const struct limbs2 *multiples)
{
    x = canonical(x, multiples);
    return _mm512_testn_epi64_mask(_mm512_or_si512(x.lo, x.hi), _mm512_set1_epi64(-1));
}

static inline struct limbs2 select2(__mmask8 take_b, struct limbs2 a, struct limbs2 b)
{
    struct limbs2 r = {_mm512_mask_mov_epi64(a.lo, take_b, b.lo), _mm512_mask_mov_epi64(a.hi, take_b, b.hi)};
    return r;
}

static inline struct limbs2 split2(__m512i x)
{
    struct limbs2 r = {_mm512_and_si512(x, _mm512_set1_epi64((long long)LOW52)), _mm512_srli_epi64(x, 52)};
    return r;
}

/* m - x and m - 2x as the addend of reduce104_add, for m a borrow_2n or a
 * borrow_4n of struct lucas_lanes and x < 2n normalised. */
static inline struct limbs2 minus1(struct limbs2 m, struct limbs2 x)
{
    struct limbs2 r = {_mm512_sub_epi64(m.lo, x.lo), _mm512_sub_epi64(m.hi, x.hi)};
    return r;
}

static inline struct limbs2 minus2(struct limbs2 m, struct limbs2 x)
{
    struct limbs2 r = {_mm512_sub_epi64(m.lo, _mm512_add_epi64(x.lo, x.lo)),
                       _mm512_sub_epi64(m.hi, _mm512_add_epi64(x.hi, x.hi))};
    return r;
}

/* The per-vector constants both strong Lucas ladders use, for the 8 * nv odd
 * numbers c[] (nv <= VECTORS64): n in limbs, -n^-1 mod 2^52, k and 2^s with
 * n + 1 = k 2^s, n, 2n and 4n, the Montgomery 1 and -1 and twice each, and
 * 2n and 4n with a borrow moved from the high limb to the low one (2^52 and
 * 2^53): from these, 2n - x and 4n - 2x (x < 2n normalised) are a
 * subtraction per limb with a low limb that never goes negative, ready for
 * reduce104_add. */
struct lucas_lanes {
    __m512i n0[VECTORS64], n1[VECTORS64], neg_inv[VECTORS64], k[VECTORS64], s_lanes[VECTORS64];
    struct limbs2 multiples[VECTORS64][3];
    struct limbs2 one[VECTORS64], minus_one[VECTORS64], two_one[VECTORS64], two_minus_one[VECTORS64];
    struct limbs2 borrow_2n[VECTORS64], borrow_4n[VECTORS64];
    uint64_t k_all; /* the OR of every lane's k: the ladder's length */
    int max_s;
};

static inline void lucas_lanes_init(struct lucas_lanes *l, const uint64_t *c, int nv)
{
    uint64_t ones[8 * VECTORS64], lanes_k[8 * VECTORS64];
    l->k_all = 0;
    l->max_s = 0;
    for (int j = 0; j < 8 * nv; j++) {
        uint64_t kk = c[j] + 1; /* c[j] < 2^64 - 1 */
        int sj = __builtin_ctzll(kk);
        lanes_k[j] = kk >> sj;
        l->k_all |= lanes_k[j];
        l->max_s = sj > l->max_s ? sj : l->max_s;
        ones[j] = (uint64_t)(((unsigned __int128)1 << 104) % c[j]);
    }
    const __m512i low52 = _mm512_set1_epi64((long long)LOW52), zero = _mm512_setzero_si512();
    for (int i = 0; i < nv; i++) {
        __m512i n = _mm512_loadu_si512((const void *)(c + 8 * i));
        l->n0[i] = _mm512_and_si512(n, low52);
        l->n1[i] = _mm512_srli_epi64(n, 52);
        l->neg_inv[i] = _mm512_and_si512(_mm512_sub_epi64(zero, inverse52(n)), low52);
        __m512i kk = _mm512_add_epi64(n, _mm512_set1_epi64(1));
        l->s_lanes[i] = _mm512_and_si512(kk, _mm512_sub_epi64(zero, kk)); /* 2^s, the lowest bit of n + 1 */
        l->k[i] = _mm512_loadu_si512((const void *)(lanes_k + 8 * i));
        l->multiples[i][0] = split2(n);
        l->multiples[i][1] = add2(l->multiples[i][0], l->multiples[i][0]);
        l->multiples[i][2] = add2(l->multiples[i][1], l->multiples[i][1]);
        __m512i one_lane = _mm512_loadu_si512((const void *)(ones + 8 * i));
        l->one[i] = split2(one_lane);
        l->minus_one[i] = split2(_mm512_sub_epi64(n, one_lane));
        l->two_one[i] = add2(l->one[i], l->one[i]);
        l->two_minus_one[i] = add2(l->minus_one[i], l->minus_one[i]);
        l->borrow_2n[i].lo = _mm512_add_epi64(l->multiples[i][1].lo, _mm512_set1_epi64(INT64_C(1) << 52));
        l->borrow_2n[i].hi = _mm512_sub_epi64(l->multiples[i][1].hi, _mm512_set1_epi64(1));
        l->borrow_4n[i].lo = _mm512_add_epi64(l->multiples[i][2].lo, _mm512_set1_epi64(INT64_C(1) << 53));
        l->borrow_4n[i].hi = _mm512_sub_epi64(l->multiples[i][2].hi, _mm512_set1_epi64(2));
    }
}

/* After the ladder (j = k): the lanes where U_k = 0 or V_k = 0 (mod n), both
 * below 8n; *v0 becomes V_k mod n.  U_k = 0 exactly when 2 V_(k+1) = V_k,
 * since D U_k = 2 V_(k+1) - V_k and gcd(D, n) = 1 ((D/n) = -1). */
static inline __mmask8 lucas_u_or_v_zero(struct limbs2 *v0, struct limbs2 v1, const struct limbs2 *multiples)
{
    struct limbs2 w = canonical(v1, multiples);
    struct limbs2 twice = canonical(add2(w, w), multiples);
    *v0 = canonical(*v0, multiples);
    __mmask8 u_zero = (__mmask8)(_mm512_cmpeq_epi64_mask(twice.lo, v0->lo) & _mm512_cmpeq_epi64_mask(twice.hi, v0->hi));
    return (__mmask8)(u_zero | _mm512_testn_epi64_mask(_mm512_or_si512(v0->lo, v0->hi), _mm512_set1_epi64(-1)));
}

/* The strong Lucas test with Selfridge's parameters (P = 1, Q = (1 - D) / 4)
 * of the 8 * nv odd numbers c[] (nv <= VECTORS64), as strong_lucas in
 * test_baseline.c, whose D (dd[], |D| < 2^13) each comes with: pass[i] bit j
 * for c[8 i + j].  n + 1 = k 2^s.  The V ladder keeps (V_j, V_(j+1), Q^j):
 * a 0 bit takes j to 2j,
 *   V_2j = V_j^2 - 2 Q^j,   V_(2j+1) = V_j V_(j+1) - Q^j,   Q^2j = Q^j Q^j,
 * a 1 bit to 2j + 1,
 *   V_(2j+1) = V_j V_(j+1) - Q^j,   V_(2j+2) = V_(j+1)^2 - 2 Q^(j+1),
 *   Q^(2j+1) = Q^j Q^(j+1),
 * with Q^(j+1) = Q^j Q: four products per bit (the U, V ladder takes five),
 * the same in every lane, the operands chosen by the bit.  From index 0
 * (V_0 = 2, V_1 = 1, Q^0 = 1), so lanes whose k is shorter than the group's
 * longest stay at index 0 until their top bit: one walk for all lanes.  U_k
 * by lucas_u_or_v_zero: U_k = 0 exactly when 2 V_(k+1) = V_k
 * (mod n).
 *
 * Q^(j+1) = Q Q^j is no Montgomery product: Q^j (its Montgomery form, below
 * 2n) times the small integer |Q| < 2^11 is three IFMA and already the
 * Montgomery form of |Q| Q^j, below 2^12 n; for Q < 0 it is taken from
 * 2^12 n.  This lazy Q^(j+1) enters V_(2j+2) as 2^13 n - 2 Q^(j+1), so V
 * values stay below 2^14 n: within redc104's bounds (a1 b1 < 2^26 2^26 and
 * a, b < 2^20 n), and one product by the Montgomery 1 brings each below 2n
 * after the ladder.  Q^j itself, a product, stays below 2n; other residues
 * below 6n.  (Measured: 14 IFMA fewer per bit, about 12% of this ladder.) */
static inline void lucas_vectors64(const uint64_t *c, const int64_t *dd, int nv, __mmask8 *pass)
{
    struct lucas_lanes l;
    lucas_lanes_init(&l, c, nv);
    struct limbs2 v0[VECTORS64], v1[VECTORS64], qj[VECTORS64], big[VECTORS64], borrow_big[VECTORS64];
    __m512i q_small[VECTORS64];
    __mmask8 q_negative[VECTORS64];
    uint64_t q_abs[8 * VECTORS64], q_neg[8 * VECTORS64];
    for (int j = 0; j < 8 * nv; j++) {
        int64_t qq = (1 - dd[j]) / 4;
        q_abs[j] = (uint64_t)(qq < 0 ? -qq : qq);
        q_neg[j] = qq < 0 ? UINT64_MAX : 0;
    }
    const __m512i zero = _mm512_setzero_si512(), low52 = _mm512_set1_epi64((long long)LOW52);
    for (int i = 0; i < nv; i++) {
        q_negative[i] = _mm512_test_epi64_mask(_mm512_loadu_si512((const void *)(q_neg + 8 * i)), _mm512_set1_epi64(1));
        q_small[i] = _mm512_loadu_si512((const void *)(q_abs + 8 * i));
        /* 2^12 n, and 2^13 n with a borrow of 2^53 (as lucas_lanes' borrow_4n) */
        big[i].lo = _mm512_and_si512(_mm512_slli_epi64(l.n0[i], 12), low52);
        big[i].hi = _mm512_add_epi64(_mm512_slli_epi64(l.n1[i], 12), _mm512_srli_epi64(l.n0[i], 40));
        borrow_big[i].lo = _mm512_add_epi64(_mm512_and_si512(_mm512_slli_epi64(l.n0[i], 13), low52),
                                            _mm512_set1_epi64(INT64_C(1) << 53));
        borrow_big[i].hi = _mm512_sub_epi64(_mm512_add_epi64(_mm512_slli_epi64(l.n1[i], 13), _mm512_srli_epi64(l.n0[i], 39)),
                                            _mm512_set1_epi64(2));
        v0[i] = add2(l.one[i], l.one[i]); /* V_0 = 2 */
        v1[i] = l.one[i];                 /* V_1 = P = 1 */
        qj[i] = l.one[i];                 /* Q^0 */
    }
    for (int bit = 63 - __builtin_clzll(l.k_all); bit >= 0; bit--) {
        const __m512i at_bit = _mm512_set1_epi64((long long)(UINT64_C(1) << bit)); /* one test per vector */
#pragma GCC unroll 8
        for (int i = 0; i < nv; i++) {
            __mmask8 b = _mm512_test_epi64_mask(l.k[i], at_bit);
            /* Q^(j+1): |Q| Q^j (normalised: the low limb is IFMA's low half),
             * or 2^12 n less that for Q < 0. */
            struct limbs2 qj1 = {_mm512_madd52lo_epu64(zero, qj[i].lo, q_small[i]),
                                 _mm512_madd52lo_epu64(_mm512_madd52hi_epu64(zero, qj[i].lo, q_small[i]), qj[i].hi, q_small[i])};
            qj1 = select2(q_negative[i], qj1, sub_plus2(big[i], qj1, (struct limbs2){zero, zero}));
            /* V_j V_(j+1) - Q^j (+ 2n: Q^j < 2n). */
            struct limbs2 product = redc104_add(v0[i], v1[i], l.n0[i], l.n1[i], l.neg_inv[i], minus1(l.borrow_2n[i], qj[i]));
            /* V_j^2 - 2 Q^j or V_(j+1)^2 - 2 Q^(j+1) (+ 2^13 n). */
            struct limbs2 q_sel = select2(b, qj[i], qj1);
            struct limbs2 sq = square104_add(select2(b, v0[i], v1[i]), l.n0[i], l.n1[i], l.neg_inv[i],
                                             minus2(borrow_big[i], q_sel));
            qj[i] = redc104(qj[i], q_sel, l.n0[i], l.n1[i], l.neg_inv[i]);
            v0[i] = select2(b, sq, product);
            v1[i] = select2(b, product, sq);
        }
    }
    for (int i = 0; i < nv; i++) {
        /* below 2n: v R / R for v < 2^14 n */
        v0[i] = redc104(v0[i], l.one[i], l.n0[i], l.n1[i], l.neg_inv[i]);
        v1[i] = redc104(v1[i], l.one[i], l.n0[i], l.n1[i], l.neg_inv[i]);
        pass[i] = lucas_u_or_v_zero(&v0[i], v1[i], l.multiples[i]);
    }
    /* V_(k 2^r) = V_(k 2^(r-1))^2 - 2 Q^(k 2^(r-1)) for 1 <= r < s. */
    for (int r = 1; r < l.max_s; r++) {
        const __m512i above = _mm512_set1_epi64((long long)(UINT64_C(1) << (r + 1)));
        for (int i = 0; i < nv; i++) {
            v0[i] = square104_add(v0[i], l.n0[i], l.n1[i], l.neg_inv[i], minus2(l.borrow_4n[i], qj[i]));
            qj[i] = square104(qj[i], l.n0[i], l.n1[i], l.neg_inv[i]);
            __mmask8 in_range = _mm512_cmpge_epu64_mask(l.s_lanes[i], above); /* r < s */
            pass[i] |= (__mmask8)(in_range & zero_mod(v0[i], l.multiples[i]));
        }
    }
}

/* The strong Lucas test of lucas_vectors64 for the numbers whose Selfridge D
 * is 5 (P = 1, Q = -1: about half of all primes), by the V ladder alone: two
 * products per bit instead of five.  With Q^j = (-1)^j the ladder keeps
 * (V_j, V_(j+1)) and j's parity only: a 0 bit takes j to 2j,
 *   V_2j = V_j^2 - 2 Q^j,   V_(2j+1) = V_j V_(j+1) - Q^j,
 * a 1 bit to 2j + 1,
 *   V_(2j+1) = V_j V_(j+1) - Q^j,   V_(2j+2) = V_(j+1)^2 + 2 Q^j.
 * From index 0 (V_0 = 2, V_1 = 1), as there, over k's bits (n + 1 = k 2^s).
 * Then U_k comes from D U_k = 2 V_(k+1) - V_k: as gcd(D, n) = 1 ((D/n) = -1),
 * U_k = 0 (mod n) exactly when 2 V_(k+1) = V_k (mod n).  The strong test's
 * V_(k 2^r) = V_(k 2^(r-1))^2 - 2 Q^(k 2^(r-1)), r >= 1, with Q^k = -1
 * (k odd) and Q^(k 2^(r-1)) = 1 beyond.  Residues stay lazy: below 4n
 * between products (below 2^20 n as redc104 needs), below 8n where
 * canonical() and zero_mod() read them. */
static inline void lucas_q_minus_one_vectors64(const uint64_t *c, int nv, __mmask8 *pass)
{
    struct lucas_lanes l;
    lucas_lanes_init(&l, c, nv);
    struct limbs2 v0[VECTORS64], v1[VECTORS64];
    __mmask8 odd_j[VECTORS64]; /* j odd: Q^j = -1 */
    for (int i = 0; i < nv; i++) {
        v0[i] = add2(l.one[i], l.one[i]); /* V_0 = 2 */
        v1[i] = l.one[i];                 /* V_1 = P = 1 */
        odd_j[i] = 0;
    }
    for (int bit = 63 - __builtin_clzll(l.k_all); bit >= 0; bit--) {
        const __m512i at_bit = _mm512_set1_epi64((long long)(UINT64_C(1) << bit)); /* one test per vector */
#pragma GCC unroll 8
        for (int i = 0; i < nv; i++) {
            __mmask8 b = _mm512_test_epi64_mask(l.k[i], at_bit);
            /* V_j V_(j+1) - Q^j: + 1 for odd j, + (n - 1) for even j. */
            struct limbs2 product = redc104_add(v0[i], v1[i], l.n0[i], l.n1[i], l.neg_inv[i],
                                                select2(odd_j[i], l.minus_one[i], l.one[i]));
            /* The square of V_j (0 bit) or V_(j+1) (1 bit), with - 2 Q^j or
             * + 2 Q^j: + 2 when exactly one of (odd j, 1 bit) holds, else + 2 (n - 1). */
            struct limbs2 sq = square104_add(select2(b, v0[i], v1[i]), l.n0[i], l.n1[i], l.neg_inv[i],
                                             select2(odd_j[i] ^ b, l.two_minus_one[i], l.two_one[i]));
            v0[i] = select2(b, sq, product);
            v1[i] = select2(b, product, sq);
            odd_j[i] = b;
        }
    }
    for (int i = 0; i < nv; i++)
        pass[i] = lucas_u_or_v_zero(&v0[i], v1[i], l.multiples[i]);
    /* V_(k 2^r) for 1 <= r < s: V^2 + 2 (Q^k = -1), then V^2 - 2. */
    for (int r = 1; r < l.max_s; r++) {
        const __m512i above = _mm512_set1_epi64((long long)(UINT64_C(1) << (r + 1)));
        for (int i = 0; i < nv; i++) {
            v0[i] = square104_add(v0[i], l.n0[i], l.n1[i], l.neg_inv[i], r == 1 ? l.two_one[i] : l.two_minus_one[i]);
            __mmask8 in_range = _mm512_cmpge_epu64_mask(l.s_lanes[i], above); /* r < s */
            pass[i] |= (__mmask8)(in_range & zero_mod(v0[i], l.multiples[i]));
        }
    }
}

/* Lanes of c[0..7] that may be base-2 strong pseudoprimes below 2^32: those
 * whose bit of the hashed filter (tables.h, spsp2_filter) is set, about 1% of
 * primes; only they need the search of the table (spsp2_listed_baseline). */
static inline __mmask8 spsp2_maybe(const uint32_t *c)
{
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)c);
    __m256i h = _mm256_srli_epi32(_mm256_mullo_epi32(x, _mm256_set1_epi32((int)SPSP2_FILTER_MULTIPLIER)),
                                    32 - SPSP2_FILTER_LOG2_BITS);
    __m256i word = _mm256_i32gather_epi32((const int *)(const void *)spsp2_filter, _mm256_srli_epi32(h, 5), 4);
    __m256i bit = _mm256_srlv_epi32(word, _mm256_and_si256(h, _mm256_set1_epi32(31)));
    return _mm256_test_epi32_mask(bit, _mm256_set1_epi32(1));
}

static inline int small_table_is_prime(uint32_t n) /* n < SMALL_LIMIT */
{
    if (!(n & 1u))
        return n == 2;
    uint32_t index = n >> 1;
    return (small_odd_prime_bits[index >> 3] >> (index & 7u)) & 1u;
}

/* The survivors of trial division below 2^32 wait for the strong test in
 * three queues by s = ctz(n - 1) (1, 2, 3 or more), across the batches of
 * one kernel call.  A group's bit-by-bit tail, where each lane checks for -1,
 * runs down from the largest s in the group (about 6 among 48 random
 * values, a quarter of the kernel's time), so groups of one s run one or two
 * such steps for three quarters of the values.  at[] are offsets into the
 * call's result; room for a whole vector stored past the last one. */
enum { SPRP_QUEUE = 8 * VECTORS, SPRP_CLASSES = 3 };
struct sprp_queue {
    uint32_t n[SPRP_CLASSES][SPRP_QUEUE + 16];
    uint32_t at[SPRP_CLASSES][SPRP_QUEUE + 16];
    size_t count[SPRP_CLASSES];
};

/* The strong test of c[0 .. count), count <= SPRP_QUEUE, answers into
 * res[at[k]]: a pass is a prime unless n is a listed base-2 pseudoprime.
 * known_s as sprp2_vectors. */
static void sprp_group(uint32_t *c, const uint32_t *at, size_t count, int known_s, uint8_t *res)
{
    for (size_t j = count; j % 8; j++) /* pad to whole vectors with a prime; its answers are not used */
        c[j] = 4294967291u;
    __mmask8 pass[VECTORS];
    int nv = (int)((count + 7) / 8);
    if (nv == VECTORS)
        sprp2_vectors(c, VECTORS, known_s, pass); /* the common case, fully unrolled */
    else
        sprp2_vectors(c, nv, known_s, pass);
    for (int i = 0; i < nv; i++) {
        unsigned prime = pass[i];
        if (prime)
            for (unsigned maybe = prime & spsp2_maybe(c + 8 * (size_t)i); maybe; maybe &= maybe - 1) {
                unsigned j = (unsigned)__builtin_ctz(maybe);
                if (spsp2_listed_baseline(c[8 * (size_t)i + j]))
                    prime &= ~(1u << j);
            }
        for (size_t j = 0; j < 8 && 8 * (size_t)i + j < count; j++)
            res[at[8 * (size_t)i + j]] = (uint8_t)((prime >> j) & 1u);
    }
}

/* Appends the lanes `take` of x (values) and where (their offsets) to
 * queue `which`, running its first SPRP_QUEUE when that fills it. */
static inline void sprp_push(struct sprp_queue *q, int which, __mmask16 take, __m512i x, __m512i where,
                             uint8_t *res)
{
    size_t k = q->count[which];
    _mm512_storeu_si512((void *)(q->n[which] + k), _mm512_maskz_compress_epi32(take, x));
    _mm512_storeu_si512((void *)(q->at[which] + k), _mm512_maskz_compress_epi32(take, where));
    k += (size_t)__builtin_popcount(take);
    if (k >= SPRP_QUEUE) {
        sprp_group(q->n[which], q->at[which], SPRP_QUEUE, which < 2 ? which + 1 : 0, res);
        k -= SPRP_QUEUE;
        memmove(q->n[which], q->n[which] + SPRP_QUEUE, k * sizeof(uint32_t));
        memmove(q->at[which], q->at[which] + SPRP_QUEUE, k * sizeof(uint32_t));
    }
    q->count[which] = k;
}

/* Runs what the queues hold, one after another in groups of SPRP_QUEUE (at
 * most one part-filled group), and empties them. */
static void sprp_flush(struct sprp_queue *q, uint8_t *res)
{
    uint32_t n[SPRP_CLASSES * SPRP_QUEUE + 16], at[SPRP_CLASSES * SPRP_QUEUE];
    size_t m = 0;
    for (int which = 0; which < SPRP_CLASSES; which++) {
        memcpy(n + m, q->n[which], q->count[which] * sizeof(uint32_t));
        memcpy(at + m, q->at[which], q->count[which] * sizeof(uint32_t));
        m += q->count[which];
        q->count[which] = 0;
    }
    for (size_t g = 0; g < m; g += SPRP_QUEUE)
        sprp_group(n + g, at + g, m - g < SPRP_QUEUE ? m - g : SPRP_QUEUE, 0, res);
}

/* The answers of v[k] for k < count <= BATCH, every v[k] < 2^32, go to
 * res[where[k]] (where NULL: res[first + k], zeroed here first; else the
 * caller has zeroed them); the strong tests wait in q (answered by the time
 * the kernel call returns).  Offsets below 2^32. */
static void classify_batch_u32(const uint32_t *v, const uint32_t *where, size_t count, uint32_t first,
                               uint8_t *res, struct sprp_queue *q)
{
    static const uint32_t lane[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const __m512i lanes = _mm512_loadu_si512((const void *)lane);
    const __m512i bit1 = _mm512_set1_epi32(2), bit2 = _mm512_set1_epi32(4);
    /* Survivors of trial division and their offsets; room for a whole
     * vector stored past the last one. */
    uint32_t cand[BATCH + 16], cand_at[BATCH + 16];
    size_t n_cand = 0;
    __mmask16 any_small = 0;
    if (!where)
        memset(res + first, 0, count);
    for (size_t k = 0; k < count; k += 16) {
        __m512i x, at;
        __mmask16 valid = 0xffff;
        if (count - k >= 16) {
            x = _mm512_loadu_si512((const void *)(v + k));
            at = where ? _mm512_loadu_si512((const void *)(where + k))
                       : _mm512_add_epi32(lanes, _mm512_set1_epi32((int)(first + (uint32_t)k)));
        } else { /* the tail through a copy: no read past the array */
            uint32_t tail[16] = {0}, tail_at[16] = {0};
            memcpy(tail, v + k, (count - k) * sizeof(uint32_t));
            x = _mm512_loadu_si512((const void *)tail);
            if (where) {
                memcpy(tail_at, where + k, (count - k) * sizeof(uint32_t));
                at = _mm512_loadu_si512((const void *)tail_at);
            } else {
                at = _mm512_add_epi32(lanes, _mm512_set1_epi32((int)(first + (uint32_t)k)));
            }
            valid = (__mmask16)((1u << (count - k)) - 1);
        }
        __mmask16 large = _mm512_mask_cmpge_epu32_mask(valid, x, _mm512_set1_epi32((int)SMALL_LIMIT));
        /* Values below 2^16 (rare in random input; dense ones are sieved by
         * the engines) from the bit table, after this loop: here only the
         * note that a vector had some (no mask-to-register round trip and
         * no branch in the loop). */
        any_small |= (__mmask16)(valid & ~large);
        __mmask16 odd = _mm512_test_epi32_mask(x, _mm512_set1_epi32(1));
        __mmask16 alive = no_factor32(x, large & odd, 0, AVX512_TRIAL_PRIMES_32);
        _mm512_storeu_si512((void *)(cand + n_cand), _mm512_maskz_compress_epi32(alive, x));
        _mm512_storeu_si512((void *)(cand_at + n_cand), _mm512_maskz_compress_epi32(alive, at));
        n_cand += (size_t)__builtin_popcount(alive);
    }
    if (any_small)
        for (size_t k = 0; k < count; k++)
            if (v[k] < SMALL_LIMIT)
                res[where ? where[k] : first + k] = (uint8_t)small_table_is_prime(v[k]);
    /* The survivors (about 16% of random input; 11% after the second stage)
     * into the queues by s:
     * n = 3 mod 4 (s = 1), n = 5 mod 8 (s = 2), n = 1 mod 8.  The second
     * stage of trial division only where most values stopped at the first
     * (not primes, nor input sieved already: it would remove few). */
    const int composites_likely = 2 * n_cand <= count;
    for (size_t k = 0; k < n_cand; k += 16) {
        __mmask16 valid = n_cand - k >= 16 ? 0xffff : (__mmask16)((1u << (n_cand - k)) - 1);
        __m512i x = _mm512_loadu_si512((const void *)(cand + k)), at = _mm512_loadu_si512((const void *)(cand_at + k));
        if (composites_likely)
            valid = no_factor32(x, valid, AVX512_TRIAL_PRIMES_32, AVX512_TRIAL_PRIMES_32_SURVIVORS);
        __mmask16 s1 = _mm512_mask_test_epi32_mask(valid, x, bit1);
        __mmask16 s2 = _mm512_mask_test_epi32_mask(valid & ~s1, x, bit2);
        sprp_push(q, 0, s1, x, at, res);
        sprp_push(q, 1, s2, x, at, res);
        sprp_push(q, 2, valid & ~s1 & ~s2, x, at, res);
    }
}

/* ---- Selfridge's D, 8 lanes at a time ------------------------------------------
 *
 * selfridge_d_baseline's table walk (tables.h: selfridge_steps) for the lanes
 * `lanes` of n (odd, n > SELFRIDGE_TABLE_MAX_D): D in d[] where *found,
 * composite (D shares a factor with n) where *composite; the lanes in
 * neither ran off the table (squares among them) and take
 * selfridge_d_baseline.  The
 * remainders in double precision, every value an exact integer below 2^53
 * (mod_pd).
 * For primes near 2^64 the scalar walk (three 64-bit remainders and about
 * two mispredicted branches a number) was 6.6% of the kernel's time. */

/* x mod m in [0, m), for 0 <= x < 2^47 exact in a double, m < 2^23: the
 * quotient x (1/m) rounded to an integer by adding and taking away 2^52 (no
 * rounding-mode instruction) is the true one or one more, so x - q m lies
 * in [-m, m) and one conditional addition of m finishes it. */
static inline __m512d mod_pd(__m512d x, double m)
{
    const __m512d md = _mm512_set1_pd(m), magic = _mm512_set1_pd(4503599627370496.0);
    __m512d q = _mm512_sub_pd(_mm512_add_pd(_mm512_mul_pd(x, _mm512_set1_pd(1.0 / m)), magic), magic);
    __m512d r = _mm512_fnmadd_pd(q, md, x); /* x - q m, exact */
    return _mm512_mask_add_pd(r, _mm512_cmp_pd_mask(r, _mm512_setzero_pd(), _CMP_LT_OQ), r, md);
}

/* n mod m for 64-bit n and m < 2^23: (n >> 32) mod m, then
 * that times (2^32 mod m) plus the low 32 bits (below 2^47), mod m. */
static inline __m512d mod_u64_pd(__m512i n, uint32_t m)
{
    __m512d high = small_to_pd(_mm512_srli_epi64(n, 32));
    __m512d low = small_to_pd(_mm512_and_si512(n, _mm512_set1_epi64(0xffffffff)));
    __m512d t = _mm512_fmadd_pd(mod_pd(high, (double)m), _mm512_set1_pd((double)((UINT64_C(1) << 32) % m)), low);
    return mod_pd(t, (double)m);
}

static inline void selfridge_d_vector(__m512i n, __mmask8 lanes, __m512i *d, __mmask8 *found, __mmask8 *composite)
{
    const __m512d residue[3] = {mod_u64_pd(n, SELFRIDGE_MODULUS_0), mod_u64_pd(n, SELFRIDGE_MODULUS_1),
                                mod_u64_pd(n, SELFRIDGE_MODULUS_2)};
    __mmask8 open = lanes, yes = 0, no = 0;
    __m512i dd = _mm512_setzero_si512();
    const __m512i one = _mm512_set1_epi64(1);
    for (size_t i = 0; i < SELFRIDGE_STEPS && open; i++) {
        const struct selfridge_step *step = &selfridge_steps[i];
        __m512i r = small_from_pd(mod_pd(residue[step->residue], (double)step->m));
        __mmask8 zero = open & _mm512_test_epi64_mask(_mm512_srlv_epi64(_mm512_set1_epi64((long long)step->zero_mask), r), one);
        __mmask8 minus = (__mmask8)(open & ~zero) & _mm512_test_epi64_mask(_mm512_srlv_epi64(_mm512_set1_epi64((long long)step->minus_mask), r), one);
        no |= zero;
        yes |= minus;
        dd = _mm512_mask_mov_epi64(dd, minus, _mm512_set1_epi64(step->d));
        open &= (__mmask8)~(zero | minus);
    }
    *d = dd;
    *found = yes;
    *composite = no;
}

/* The numbers waiting for the strong Lucas test, across the batches of one
 * kernel call (about 2% of random input, every prime: a batch alone would
 * leave most lanes of its vectors empty), in two queues by the ladder they
 * take: D = 5 (Q = -1, the V ladder) and any other D (the U, V ladder).
 * at[] are offsets into the call's result. */
enum { LUCAS_QUEUE = 8 * VECTORS64 };
struct lucas_queue { /* room for a whole vector stored past a full queue */
    uint64_t n[2][LUCAS_QUEUE + 8];
    int64_t d[LUCAS_QUEUE + 8]; /* of queue 1 */
    uint64_t at[2][LUCAS_QUEUE + 8];
    size_t count[2];
};

/* Runs queue `which` (padded to whole vectors with 2^64 - 59, a prime whose D
 * is 5), writes its answers into res and empties it. */
static void lucas_flush(struct lucas_queue *q, int which, uint8_t *res)
{
    size_t count = q->count[which];
    if (count == 0)
        return;
    for (size_t j = count; j % 8; j++) {
        q->n[which][j] = UINT64_C(18446744073709551557);
        if (which == 1)
            q->d[j] = 5; /* d[] is queue 1's alone */
    }
    __mmask8 pass[VECTORS64];
    int nv = (int)((count + 7) / 8);
    if (which == 0) {
        if (nv == VECTORS64)
            lucas_q_minus_one_vectors64(q->n[0], VECTORS64, pass); /* the common case, fully unrolled */
        else
            lucas_q_minus_one_vectors64(q->n[0], nv, pass);
    } else {
        if (nv == VECTORS64)
            lucas_vectors64(q->n[1], q->d, VECTORS64, pass);
        else
            lucas_vectors64(q->n[1], q->d, nv, pass);
    }
    for (size_t j = 0; j < count; j++)
        res[q->at[which][j]] = (uint8_t)((pass[j / 8] >> (j % 8)) & 1u);
    q->count[which] = 0;
}

/* Appends the lanes `take` of n, their offsets `at` into the call's result and
 * (queue 1) their D, to queue `which`, running the queue's first LUCAS_QUEUE
 * when that fills it (compressed stores, where a scalar loop took a number
 * at a time with a branch on its queue: primes near 2^64 3-4% faster). */
static inline void lucas_push_lanes(struct lucas_queue *q, int which, __mmask8 take, __m512i n, __m512i at, __m512i d,
                                    uint8_t *res)
{
    size_t k = q->count[which];
    _mm512_storeu_si512((void *)(q->n[which] + k), _mm512_maskz_compress_epi64(take, n));
    _mm512_storeu_si512((void *)(q->at[which] + k), _mm512_maskz_compress_epi64(take, at));
    if (which)
        _mm512_storeu_si512((void *)(q->d + k), _mm512_maskz_compress_epi64(take, d));
    k += (size_t)__builtin_popcount(take);
    if (k < LUCAS_QUEUE) {
        q->count[which] = k;
        return;
    }
    q->count[which] = LUCAS_QUEUE; /* a whole number of vectors: no padding written */
    lucas_flush(q, which, res);
    size_t extra = k - LUCAS_QUEUE;
    memmove(q->n[which], q->n[which] + LUCAS_QUEUE, extra * sizeof(uint64_t));
    memmove(q->at[which], q->at[which] + LUCAS_QUEUE, extra * sizeof(uint64_t));
    if (which)
        memmove(q->d, q->d + LUCAS_QUEUE, extra * sizeof(int64_t));
    q->count[which] = extra;
}

/* One number, as lucas_push_lanes. */
static void lucas_push(struct lucas_queue *q, uint64_t n, int64_t d, size_t at, uint8_t *res)
{
    lucas_push_lanes(q, d != 5, 1, _mm512_set1_epi64((long long)n), _mm512_set1_epi64((long long)at),
                     _mm512_set1_epi64(d), res);
}

/* Appends the lanes `take` of x, and their offsets `where`, to values[n..]
 * and at[n..] (each array with room for a whole vector past n); returns the
 * new count. */
static inline size_t append_lanes(uint64_t *values, uint32_t *at, size_t n, __mmask8 take, __m512i x, __m256i where)
{
    _mm512_storeu_si512((void *)(values + n), _mm512_maskz_compress_epi64(take, x));
    _mm256_storeu_si256((__m256i *)(void *)(at + n), _mm256_maskz_compress_epi32(take, where));
    return n + (size_t)__builtin_popcount(take);
}

/* Appends the values of from[0 .. count) (offsets from_at) with no factor
 * among the primes first .. last - 1 of groups52 to to[n..] (offsets to_at),
 * 8 to a vector, the last one masked; returns the new count.  from may be
 * to with n = 0: each vector is read before the stores reach it.  Both
 * source arrays have room for a vector past count (its tail is zeroed).
 * Inlined at each call, so that no_factor64's bounds stay constants. */
static inline __attribute__((always_inline)) size_t append_survivors64(uint64_t *from, uint32_t *from_at, size_t count,
                                                                       size_t first, size_t last, uint64_t *to,
                                                                       uint32_t *to_at, size_t n)
{
    _mm512_storeu_si512((void *)(from + count), _mm512_setzero_si512());
    _mm256_storeu_si256((__m256i *)(void *)(from_at + count), _mm256_setzero_si256());
    for (size_t k = 0; k < count; k += 8) {
        __mmask8 valid = count - k >= 8 ? (__mmask8)0xff : (__mmask8)((1u << (count - k)) - 1);
        __m512i x = _mm512_loadu_si512((const void *)(from + k));
        __m256i at = _mm256_loadu_si256((const __m256i *)(const void *)(from_at + k));
        n = append_lanes(to, to_at, n, no_factor64(x, valid, first, last), x, at);
    }
    return n;
}

/* res[k] for k < count <= BATCH, any values; res is call_res + first, and the
 * strong Lucas tests wait in `queue` (answered by the time the call returns). */
static void classify_batch_u64(const uint64_t *v, size_t count, uint8_t *res, struct lucas_queue *queue,
                               struct sprp_queue *sprp, uint8_t *call_res, size_t first)
{
    uint32_t small[BATCH + 8], small_at[BATCH + 8];
    uint64_t odd[BATCH + 8], large[BATCH + 8];
    uint32_t odd_at[BATCH + 8], large_at[BATCH + 8];
    size_t n_small = 0, n_odd = 0, n_large = 0, n_large_odd = 0;
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    memset(res, 0, count);
    /* First the values below 2^32 (to the 32-bit path) and the odd ones
     * above, each compacted into full vectors, so that the trial division
     * below spends no lane on an even value (half of random input); a
     * vector of six or more odd values above 2^32 is tried at once. */
    for (size_t k = 0; k < count; k += 8) {
        __m512i x;
        __mmask8 valid = 0xff;
        if (count - k >= 8) {
            x = _mm512_loadu_si512((const void *)(v + k));
            /* 1 KiB ahead: the loads of a large array waited on memory for
             * 8% of the time on random uint64 (perf); this saved 2-4%. */
            _mm_prefetch((const char *)(const void *)(v + k) + 1024, _MM_HINT_T0);
        } else {
            uint64_t tail[8] = {0};
            memcpy(tail, v + k, (count - k) * sizeof(uint64_t));
            x = _mm512_loadu_si512((const void *)tail);
            valid = (__mmask8)((1u << (count - k)) - 1);
        }
        __m256i at = _mm256_add_epi32(lanes, _mm256_set1_epi32((int)k)); /* offsets in the batch */
        __mmask8 below = valid & _mm512_cmple_epu64_mask(x, _mm512_set1_epi64(0xffffffff));
        if (below) { /* rare in random uint64 (its compactions were a third of this loop's work) */
            _mm256_storeu_si256((__m256i *)(void *)(small + n_small),
                                _mm512_cvtepi64_epi32(_mm512_maskz_compress_epi64(below, x)));
            _mm256_storeu_si256((__m256i *)(void *)(small_at + n_small),
                                _mm256_maskz_compress_epi32(below, _mm256_add_epi32(at, _mm256_set1_epi32((int)first))));
            n_small += (size_t)__builtin_popcount(below);
        }
        __mmask8 large_odd = (__mmask8)(valid & ~below & _mm512_test_epi64_mask(x, _mm512_set1_epi64(1)));
        n_large_odd += (size_t)__builtin_popcount(large_odd);
        if (__builtin_popcount(large_odd) >= 6) /* nearly full already (odd data): no detour */
            n_large = append_lanes(large, large_at, n_large, no_factor64(x, large_odd, 0, AVX512_TRIAL_PRIMES_64), x, at);
        else
            n_odd = append_lanes(odd, odd_at, n_odd, large_odd, x, at);
    }
    /* Then the trial division of the odd values above 2^32, 8 to a vector,
     * its survivors compacted again; and the rest of it on full vectors of
     * those, compacted once more in place, unless most values survived so
     * far (primes, or input sieved already: it would remove few). */
    n_large = append_survivors64(odd, odd_at, n_odd, 0, AVX512_TRIAL_PRIMES_64, large, large_at, n_large);
    if (2 * n_large <= n_large_odd)
        n_large = append_survivors64(large, large_at, n_large, AVX512_TRIAL_PRIMES_64,
                                     AVX512_TRIAL_PRIMES_64_SURVIVORS, large, large_at, 0);
    classify_batch_u32(small, small_at, n_small, 0, call_res, sprp);
    /* The survivors above 2^32 (about 9% of random input, every prime): the
     * base-2 strong test in vectors, which rejects nearly every composite;
     * those that pass (nearly all prime) complete Baillie-PSW with the
     * strong Lucas test in vectors, queued (Selfridge's D from the
     * baseline's residue tables). */
    for (size_t j = n_large; j % 8; j++)
        large[j] = UINT64_C(18446744073709551557); /* 2^64 - 59, prime: padding */
    for (size_t g = 0; g < n_large; g += 8 * VECTORS64) {
        __mmask8 pass[VECTORS64];
        size_t rest = (n_large - g + 7) / 8;
        int nv = rest < VECTORS64 ? (int)rest : VECTORS64;
        if (nv == VECTORS64)
            sprp2_vectors64(large + g, VECTORS64, pass);
        else
            sprp2_vectors64(large + g, nv, pass);
        for (int i = 0; i < nv; i++) {
            size_t base = g + 8 * (size_t)i;
            unsigned bits = pass[i] & (n_large - base >= 8 ? 0xffu : (1u << (n_large - base)) - 1);
            if (!bits)
                continue;
            /* Selfridge's D in vectors where two or more lanes need it; the
             * lanes it finds go to the queues by D at once */
            int64_t lane_d[8];
            __mmask8 vector_d = 0, vector_composite = 0;
            if (__builtin_popcount(bits) >= 2) {
                __m512i dv, values = _mm512_loadu_si512((const void *)(large + base));
                /* lanes in neither mask take the scalar search below */
                selfridge_d_vector(values, (__mmask8)bits, &dv, &vector_d, &vector_composite);
                _mm512_storeu_si512((void *)lane_d, dv);
                __mmask8 queued = (__mmask8)(vector_d & _mm512_cmpgt_epi64_mask(_mm512_set1_epi64(LUCAS_MAX_D), dv)
                                             & _mm512_cmpgt_epi64_mask(dv, _mm512_set1_epi64(-LUCAS_MAX_D)));
                __mmask8 five = (__mmask8)(queued & _mm512_cmpeq_epi64_mask(dv, _mm512_set1_epi64(5)));
                __m512i at = _mm512_add_epi64(widen8(large_at + base), _mm512_set1_epi64((long long)first));
                if (five)
                    lucas_push_lanes(queue, 0, five, values, at, dv, call_res);
                if (queued & ~five)
                    lucas_push_lanes(queue, 1, (__mmask8)(queued & ~five), values, at, dv, call_res);
                bits &= ~(unsigned)queued;
            }
            for (; bits; bits &= bits - 1) {
                unsigned j = (unsigned)__builtin_ctz(bits);
                size_t at = base + j;
                int64_t d = ((vector_d >> j) & 1u) ? lane_d[j] : 0;
                if ((vector_composite >> j) & 1u)
                    continue; /* D shares a factor with n */
                if (!((vector_d >> j) & 1u) && !selfridge_d_baseline(large[at], &d))
                    continue; /* a square, or D shares a factor: composite */
                if (d > -LUCAS_MAX_D && d < LUCAS_MAX_D)
                    lucas_push(queue, large[at], d, first + large_at[at], call_res);
                else /* never seen; kept exact */
                    res[large_at[at]] = (uint8_t)strong_lucas_baseline(large[at]);
            }
        }
    }
}

/* ---- the kernels ----------------------------------------------------------- */

/* Each kernel call in blocks of KERNEL_BLOCK elements: the queues hold
 * 32-bit offsets into a block's result. */
enum { KERNEL_BLOCK = 1 << 30 };

void classify_u32_avx512(const uint32_t *v, size_t count, uint8_t *res)
{
    struct sprp_queue sprp;
    for (size_t block = 0; block < count; block += KERNEL_BLOCK) {
        size_t n = count - block < KERNEL_BLOCK ? count - block : KERNEL_BLOCK;
        sprp.count[0] = sprp.count[1] = sprp.count[2] = 0;
        for (size_t done = 0; done < n; done += BATCH)
            classify_batch_u32(v + block + done, NULL, n - done < BATCH ? n - done : BATCH, (uint32_t)done,
                               res + block, &sprp);
        sprp_flush(&sprp, res + block);
    }
}

void classify_u64_avx512(const uint64_t *v, size_t count, uint8_t *res)
{
    struct lucas_queue queue;
    struct sprp_queue sprp;
    for (size_t block = 0; block < count; block += KERNEL_BLOCK) {
        size_t n = count - block < KERNEL_BLOCK ? count - block : KERNEL_BLOCK;
        queue.count[0] = queue.count[1] = 0;
        sprp.count[0] = sprp.count[1] = sprp.count[2] = 0;
        uint8_t *r = res + block;
        for (size_t done = 0; done < n; done += BATCH)
            classify_batch_u64(v + block + done, n - done < BATCH ? n - done : BATCH, r + done, &queue, &sprp, r,
                               done);
        sprp_flush(&sprp, r);
        lucas_flush(&queue, 0, r);
        lucas_flush(&queue, 1, r);
    }
}

const struct test_kernels test_kernels_avx512 = {
    .name = "avx512",
    .level = PRIMES_CPU_AVX512,
    .classify_u32 = classify_u32_avx512,
    .classify_u64 = classify_u64_avx512,
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

#else
typedef int test_avx512_not_built; /* ISO C forbids an empty translation unit */
#endif /* TEST_AVX512_BUILT */
