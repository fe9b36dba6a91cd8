/* SPDX-License-Identifier: MIT */
/*
 * test_avx2.c -- the AVX2 per-element test kernels (x86-64 only; compiled
 * with the avx2 level's flags of tools/c_sources.py: AVX2, BMI2, FMA,
 * POPCNT).  Nothing here runs unless test_dispatch.c chose this level, which
 * it does only when cpu.c found those features usable (CPU_LEVEL_AVX2_NEEDS).
 *
 * classify_u32_avx2 is the algorithm of test_baseline.c below 2^32 (exact for
 * every n < 2^32; src_c/README.md), eight values per 256-bit vector:
 *
 *   1. each vector of 8 inputs: n < 2^16 from the bit table (one gather, only
 *      when such a value is present), even n out, trial division by 3 .. 31
 *      as "n * p^-1 mod 2^32 <= (2^32 - 1) / p" (n is a multiple of the odd
 *      p exactly then); the survivors (about 30% of odd values) are packed
 *      with their positions into full vectors (a permutation from a table
 *      indexed by the 8-bit lane mask: AVX2 has no compress instruction);
 *   2. the packed survivors: trial division by 37 .. 137, packed again;
 *   3. the strong test to base 2 in 32-bit Montgomery arithmetic (R = 2^32),
 *      each 32-bit lane's product in a 64-bit lane of _mm256_mul_epu32 (even
 *      and odd lanes separately), AVX2_GROUP vectors side by side: square,
 *      and double where the exponent bit is 1, as the baseline does;
 *   4. a value that passes is prime unless it is one of the base-2 strong
 *      pseudoprimes below 2^32 (tables.c): a gathered bit of a hashed filter
 *      clears about 96.5% of the primes at once, the others take a binary
 *      search of the table.
 *
 * classify_u64_avx2 sends batches whose values are all below 2^32 to the u32
 * kernel, batches with none to the baseline's Baillie-PSW (AVX2 has no
 * 64 x 64-bit product, so a vector 64-bit test gains little), and splits
 * mixed batches between the two.
 */
#if !defined(__AVX2__) || !defined(__BMI2__) || !defined(__FMA__) || !defined(__POPCNT__)
#error "test_avx2.c is compiled with the avx2 flags of tools/c_sources.py (-mavx2 -mbmi2 -mfma -mpopcnt)"
#endif

#include "primes.h"
#include "test_kernels.h"
#include "passes.h"

#include "config.h"
#include "modarith.h"
#include "tables.h"

#include <immintrin.h>
#include <string.h>

enum { VEC = 8, BATCH = AVX2_BATCH, GROUP = AVX2_GROUP };
/* Room after the last survivor: a full vector's store, padding to a whole group. */
enum { SLACK = VEC * GROUP };
_Static_assert(GROUP == 4, "the tail of classify_batch_u32 handles 1 to 3 vectors");

/* The trial division by the odd primes p = 3, 5, 7, ..., 131, 137 (in this
 * order): p^-1 mod 2^32 and floor((2^32 - 1) / p), for the test "n p^-1 mod
 * 2^32 <= floor((2^32 - 1) / p)".  Made by: inverse = pow(p, -1, 2**32),
 * limit = (2**32 - 1) // p; the kernel check (tests/c/kernel_check.c) fails
 * if any is wrong. */
static const uint32_t trial_inverse[AVX2_TRIAL_PRIMES] = {
    0xaaaaaaabu, 0xcccccccdu, 0xb6db6db7u, 0xba2e8ba3u, 0xc4ec4ec5u, 0xf0f0f0f1u,
    0x286bca1bu, 0xe9bd37a7u, 0x4f72c235u, 0xbdef7bdfu, 0x914c1badu, 0xc18f9c19u,
    0x2fa0be83u, 0x677d46cfu, 0x8c13521du, 0xa08ad8f3u, 0xc10c9715u, 0x07a44c6bu,
    0xe327a977u, 0xc7e3f1f9u, 0x613716afu, 0x2b2e43dbu, 0xfa3f47e9u, 0x5f02a3a1u,
    0x7c32b16du, 0xd3431b57u, 0x8d28ac43u, 0xda6c0965u, 0x0fdbc091u, 0xefdfbf7fu,
    0xc9484e2bu, 0x077975b9u,
};
static const uint32_t trial_limit[AVX2_TRIAL_PRIMES] = {
    0x55555555u, 0x33333333u, 0x24924924u, 0x1745d174u, 0x13b13b13u, 0x0f0f0f0fu,
    0x0d79435eu, 0x0b21642cu, 0x08d3dcb0u, 0x08421084u, 0x06eb3e45u, 0x063e7063u,
    0x05f417d0u, 0x0572620au, 0x04d4873eu, 0x0456c797u, 0x04325c53u, 0x03d22635u,
    0x039b0ad1u, 0x0381c0e0u, 0x033d91d2u, 0x03159721u, 0x02e05c0bu, 0x02a3a0fdu,
    0x0288df0cu, 0x027c4597u, 0x02647c69u, 0x02593f69u, 0x0243f6f0u, 0x02040810u,
    0x01f44659u, 0x01de5d6eu,
};

/* Entry m lists, 4 bits each from the lowest, the lanes whose bit is set in
 * m, in increasing order (then zeros): the permutation that packs them to the
 * front.  Made by: for m in range(256): idx = [k for k in range(8) if m >> k
 * & 1]; entry = sum(k << 4 * j for j, k in enumerate(idx)). */
static const uint32_t pack_table[256] = {
    0x00000000, 0x00000000, 0x00000001, 0x00000010, 0x00000002, 0x00000020, 0x00000021, 0x00000210,
    0x00000003, 0x00000030, 0x00000031, 0x00000310, 0x00000032, 0x00000320, 0x00000321, 0x00003210,
    0x00000004, 0x00000040, 0x00000041, 0x00000410, 0x00000042, 0x00000420, 0x00000421, 0x00004210,
    0x00000043, 0x00000430, 0x00000431, 0x00004310, 0x00000432, 0x00004320, 0x00004321, 0x00043210,
    0x00000005, 0x00000050, 0x00000051, 0x00000510, 0x00000052, 0x00000520, 0x00000521, 0x00005210,
    0x00000053, 0x00000530, 0x00000531, 0x00005310, 0x00000532, 0x00005320, 0x00005321, 0x00053210,
    0x00000054, 0x00000540, 0x00000541, 0x00005410, 0x00000542, 0x00005420, 0x00005421, 0x00054210,
    0x00000543, 0x00005430, 0x00005431, 0x00054310, 0x00005432, 0x00054320, 0x00054321, 0x00543210,
    0x00000006, 0x00000060, 0x00000061, 0x00000610, 0x00000062, 0x00000620, 0x00000621, 0x00006210,
    0x00000063, 0x00000630, 0x00000631, 0x00006310, 0x00000632, 0x00006320, 0x00006321, 0x00063210,
    0x00000064, 0x00000640, 0x00000641, 0x00006410, 0x00000642, 0x00006420, 0x00006421, 0x00064210,
    0x00000643, 0x00006430, 0x00006431, 0x00064310, 0x00006432, 0x00064320, 0x00064321, 0x00643210,
    0x00000065, 0x00000650, 0x00000651, 0x00006510, 0x00000652, 0x00006520, 0x00006521, 0x00065210,
    0x00000653, 0x00006530, 0x00006531, 0x00065310, 0x00006532, 0x00065320, 0x00065321, 0x00653210,
    0x00000654, 0x00006540, 0x00006541, 0x00065410, 0x00006542, 0x00065420, 0x00065421, 0x00654210,
    0x00006543, 0x00065430, 0x00065431, 0x00654310, 0x00065432, 0x00654320, 0x00654321, 0x06543210,
    0x00000007, 0x00000070, 0x00000071, 0x00000710, 0x00000072, 0x00000720, 0x00000721, 0x00007210,
    0x00000073, 0x00000730, 0x00000731, 0x00007310, 0x00000732, 0x00007320, 0x00007321, 0x00073210,
    0x00000074, 0x00000740, 0x00000741, 0x00007410, 0x00000742, 0x00007420, 0x00007421, 0x00074210,
    0x00000743, 0x00007430, 0x00007431, 0x00074310, 0x00007432, 0x00074320, 0x00074321, 0x00743210,
    0x00000075, 0x00000750, 0x00000751, 0x00007510, 0x00000752, 0x00007520, 0x00007521, 0x00075210,
    0x00000753, 0x00007530, 0x00007531, 0x00075310, 0x00007532, 0x00075320, 0x00075321, 0x00753210,
    0x00000754, 0x00007540, 0x00007541, 0x00075410, 0x00007542, 0x00075420, 0x00075421, 0x00754210,
    0x00007543, 0x00075430, 0x00075431, 0x00754310, 0x00075432, 0x00754320, 0x00754321, 0x07543210,
    0x00000076, 0x00000760, 0x00000761, 0x00007610, 0x00000762, 0x00007620, 0x00007621, 0x00076210,
    0x00000763, 0x00007630, 0x00007631, 0x00076310, 0x00007632, 0x00076320, 0x00076321, 0x00763210,
    0x00000764, 0x00007640, 0x00007641, 0x00076410, 0x00007642, 0x00076420, 0x00076421, 0x00764210,
    0x00007643, 0x00076430, 0x00076431, 0x00764310, 0x00076432, 0x00764320, 0x00764321, 0x07643210,
    0x00000765, 0x00007650, 0x00007651, 0x00076510, 0x00007652, 0x00076520, 0x00076521, 0x00765210,
    0x00007653, 0x00076530, 0x00076531, 0x00765310, 0x00076532, 0x00765320, 0x00765321, 0x07653210,
    0x00007654, 0x00076540, 0x00076541, 0x00765410, 0x00076542, 0x00765420, 0x00765421, 0x07654210,
    0x00076543, 0x00765430, 0x00765431, 0x07654310, 0x00765432, 0x07654320, 0x07654321, 0x76543210
};

/* The permutation vector for lane mask m. */
static inline __m256i pack_permutation(unsigned m)
{
    __m256i word = _mm256_set1_epi32((int)pack_table[m]);
    __m256i shifts = _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28);
    return _mm256_and_si256(_mm256_srlv_epi32(word, shifts), _mm256_set1_epi32(15));
}

/* The lanes of mask m of x and of at, stored packed at out and out_at (8
 * lanes written: the slack after the list takes the rest); returns how many. */
static inline size_t pack(__m256i x, __m256i at, unsigned m, uint32_t *out, uint32_t *out_at)
{
    __m256i perm = pack_permutation(m);
    _mm256_storeu_si256((__m256i *)out, _mm256_permutevar8x32_epi32(x, perm));
    _mm256_storeu_si256((__m256i *)out_at, _mm256_permutevar8x32_epi32(at, perm));
    return (size_t)_mm_popcnt_u32(m);
}

static inline unsigned lane_mask(__m256i m)
{
    return (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(m));
}

/* Unsigned a >= b in each 32-bit lane (AVX2 compares signed only). */
static inline __m256i ge_epu32(__m256i a, __m256i b)
{
    return _mm256_cmpeq_epi32(_mm256_max_epu32(a, b), a);
}

/* The lanes of x with a factor among the trial primes first .. last - 1. */
static inline __m256i has_factor(__m256i x, int first, int last)
{
    __m256i found = _mm256_setzero_si256();
    _Pragma("GCC unroll 32") for (int k = first; k < last; k++) {
        __m256i q = _mm256_mullo_epi32(x, _mm256_set1_epi32((int)trial_inverse[k]));
        __m256i lim = _mm256_set1_epi32((int)trial_limit[k]);
        found = _mm256_or_si256(found, _mm256_cmpeq_epi32(_mm256_max_epu32(q, lim), lim));
    }
    return found;
}

/* 0/1 bytes of the 32-bit lanes of r (each 0 or 1), stored at res[0..8). */
static inline void store_bytes(__m256i r, uint8_t *res)
{
    __m256i words = _mm256_packus_epi32(r, r);
    __m256i bytes = _mm256_packus_epi16(words, words);
    __m128i both = _mm_unpacklo_epi32(_mm256_castsi256_si128(bytes), _mm256_extracti128_si256(bytes, 1));
    _mm_storel_epi64((__m128i *)res, both);
}

/* Step 1 on 8 values at positions at..at+7 of the batch: res[0..8) gets the
 * answers of the values below 2^16 and 0 for the others; the candidates are
 * appended to cand/cand_at.  Returns how many. */
static inline size_t first_pass(__m256i x, uint32_t at, uint8_t *res, uint32_t *cand, uint32_t *cand_at)
{
    __m256i zero = _mm256_setzero_si256();
    __m256i small = _mm256_cmpeq_epi32(_mm256_srli_epi32(x, 16), zero);
    __m256i odd = _mm256_srai_epi32(_mm256_slli_epi32(x, 31), 31);
    if (lane_mask(small)) {
        /* Bit (n/2) % 32 of the 32-bit word n / 64 of the table (little
         * endian: bit (n/2) % 8 of byte n / 16). */
        __m256i index = _mm256_srli_epi32(_mm256_min_epu32(x, _mm256_set1_epi32(SMALL_LIMIT - 1)), 6);
        __m256i word = _mm256_i32gather_epi32((const int *)(const void *)small_odd_prime_bits, index, 4);
        __m256i bit = _mm256_srlv_epi32(word, _mm256_and_si256(_mm256_srli_epi32(x, 1), _mm256_set1_epi32(31)));
        __m256i prime = _mm256_or_si256(_mm256_and_si256(odd, bit), _mm256_cmpeq_epi32(x, _mm256_set1_epi32(2)));
        store_bytes(_mm256_and_si256(_mm256_and_si256(prime, small), _mm256_set1_epi32(1)), res);
    } else {
        memset(res, 0, VEC);
    }
    __m256i keep = _mm256_andnot_si256(small, odd);
    keep = _mm256_andnot_si256(has_factor(x, 0, AVX2_TRIAL_PRIMES_FIRST), keep);
    __m256i positions = _mm256_add_epi32(_mm256_set1_epi32((int)at), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    return pack(x, positions, lane_mask(keep), cand, cand_at);
}

/* ---- the strong test to base 2, 8 lanes per vector ----------------------- */

/* n's Montgomery constants, per lane; the _odd copies hold lanes 1, 3, 5, 7
 * in the low halves of the 64-bit lanes, where _mm256_mul_epu32 reads. */
struct mont8 {
    __m256i n, n_odd, n_inv, n_inv_odd, one, minus_one, d, s;
};

/* 2^32 mod n for odd n in [2^16, 2^32): q = floor(2^32 / n) in double
 * precision is exact (2^32 / n is at least 1/n >= 2^-32 from an integer and
 * q < 2^16, so the rounding error, below 2^-37, cannot cross one), and
 * 2^32 - q n = -(q n) mod 2^32. */
static inline __m256i two_pow_32_mod(__m256i n)
{
    __m256i biased = _mm256_xor_si256(n, _mm256_set1_epi32(INT32_MIN)); /* n - 2^31 as signed */
    __m256d offset = _mm256_set1_pd(2147483648.0), num = _mm256_set1_pd(4294967296.0);
    __m256d lo = _mm256_add_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(biased)), offset);
    __m256d hi = _mm256_add_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(biased, 1)), offset);
    __m128i q_lo = _mm256_cvttpd_epi32(_mm256_div_pd(num, lo));
    __m128i q_hi = _mm256_cvttpd_epi32(_mm256_div_pd(num, hi));
    __m256i q = _mm256_inserti128_si256(_mm256_castsi128_si256(q_lo), q_hi, 1);
    return _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_mullo_epi32(q, n));
}

static inline void mont8_setup(struct mont8 *m, __m256i n)
{
    __m256i two = _mm256_set1_epi32(2);
    /* n^-1 mod 2^32 by Newton's iteration from a 5-bit seed (mont32_inverse). */
    __m256i inv = _mm256_xor_si256(_mm256_mullo_epi32(n, _mm256_set1_epi32(3)), two);
    for (int k = 0; k < 3; k++)
        inv = _mm256_mullo_epi32(inv, _mm256_sub_epi32(two, _mm256_mullo_epi32(n, inv)));
    m->n = n;
    m->n_odd = _mm256_srli_epi64(n, 32);
    m->n_inv = inv;
    m->n_inv_odd = _mm256_srli_epi64(inv, 32);
    m->one = two_pow_32_mod(n);
    m->minus_one = _mm256_sub_epi32(n, m->one);
    /* n - 1 = d 2^s: s from the exponent of the lowest set bit as a float
     * (exact: a power of two; 2^31 converts to -2^31, same exponent). */
    __m256i n1 = _mm256_sub_epi32(n, _mm256_set1_epi32(1));
    __m256i low = _mm256_and_si256(n1, _mm256_sub_epi32(_mm256_setzero_si256(), n1));
    __m256i exponent = _mm256_srli_epi32(_mm256_castps_si256(_mm256_cvtepi32_ps(low)), 23);
    m->s = _mm256_sub_epi32(_mm256_and_si256(exponent, _mm256_set1_epi32(255)), _mm256_set1_epi32(127));
    m->d = _mm256_srlv_epi32(n1, m->s);
}

/* x^2 R^-1 mod n per lane, as hi(t) - hi(m n) (+ n if negative), with
 * t = x^2 and m = t n^-1 mod 2^32 (mont32_reduce). */
static inline __m256i mont8_square(const struct mont8 *m, __m256i x)
{
    __m256i x_odd = _mm256_srli_epi64(x, 32);
    __m256i t_even = _mm256_mul_epu32(x, x), t_odd = _mm256_mul_epu32(x_odd, x_odd);
    __m256i q_even = _mm256_mul_epu32(t_even, m->n_inv), q_odd = _mm256_mul_epu32(t_odd, m->n_inv_odd);
    __m256i qn_even = _mm256_mul_epu32(q_even, m->n), qn_odd = _mm256_mul_epu32(q_odd, m->n_odd);
    __m256i t_hi = _mm256_blend_epi32(_mm256_srli_epi64(t_even, 32), t_odd, 0xAA);
    __m256i qn_hi = _mm256_blend_epi32(_mm256_srli_epi64(qn_even, 32), qn_odd, 0xAA);
    __m256i r = _mm256_sub_epi32(t_hi, qn_hi);
    return _mm256_add_epi32(r, _mm256_andnot_si256(ge_epu32(t_hi, qn_hi), m->n));
}

/* a + b mod n for a, b < n < 2^32 without overflow: a + b >= n exactly when
 * a >= n - b, and then the sum is a - (n - b). */
static inline __m256i add_mod8(const struct mont8 *m, __m256i a, __m256i b)
{
    __m256i rest = _mm256_sub_epi32(m->n, b);
    return _mm256_blendv_epi8(_mm256_add_epi32(a, b), _mm256_sub_epi32(a, rest), ge_epu32(a, rest));
}

/* Strong tests to base 2 of the G vectors at n (odd values in [2^16, 2^32));
 * pass[g] gets all-ones lanes for those that pass.  Inlined with a constant
 * G, the loops over g unroll and the G chains interleave. */
static inline __attribute__((always_inline)) void sprp2_vectors(const uint32_t *n, int G, __m256i *pass)
{
    struct mont8 m[GROUP];
    __m256i x[GROUP], bits[GROUP];
    __m256i any = _mm256_setzero_si256(), s_max = _mm256_setzero_si256();
    _Pragma("GCC unroll 4") for (int g = 0; g < G; g++) {
        mont8_setup(&m[g], _mm256_loadu_si256((const __m256i *)(const void *)(n + VEC * g)));
        any = _mm256_or_si256(any, m[g].d);
        s_max = _mm256_max_epu32(s_max, m[g].s);
        x[g] = m[g].one;
    }
    /* One bit count for the group: the highest exponent bit of any lane
     * (lanes with fewer bits square the Montgomery one, which stays one). */
    __m128i or4 = _mm_or_si128(_mm256_castsi256_si128(any), _mm256_extracti128_si256(any, 1));
    or4 = _mm_or_si128(or4, _mm_shuffle_epi32(or4, 0x4E));
    or4 = _mm_or_si128(or4, _mm_shuffle_epi32(or4, 0xB1));
    int top = 31 - __builtin_clz((unsigned)_mm_cvtsi128_si32(or4));
    __m128i align = _mm_cvtsi32_si128(31 - top);
    _Pragma("GCC unroll 4") for (int g = 0; g < G; g++)
        bits[g] = _mm256_sll_epi32(m[g].d, align); /* the top bit at bit 31 */
    for (int step = top; step >= 0; step--) {
        _Pragma("GCC unroll 4") for (int g = 0; g < G; g++) {
            __m256i y = mont8_square(&m[g], x[g]);
            __m256i doubling = _mm256_and_si256(y, _mm256_srai_epi32(bits[g], 31)); /* y or 0 */
            x[g] = add_mod8(&m[g], y, doubling);
            bits[g] = _mm256_add_epi32(bits[g], bits[g]);
        }
    }
    /* x = 2^d: a pass if it is 1 or -1, or if one of the next s - 1 squares is -1. */
    __m128i s4 = _mm_max_epu32(_mm256_castsi256_si128(s_max), _mm256_extracti128_si256(s_max, 1));
    s4 = _mm_max_epu32(s4, _mm_shuffle_epi32(s4, 0x4E));
    s4 = _mm_max_epu32(s4, _mm_shuffle_epi32(s4, 0xB1));
    int squares = _mm_cvtsi128_si32(s4) - 1;
    _Pragma("GCC unroll 4") for (int g = 0; g < G; g++)
        pass[g] = _mm256_or_si256(_mm256_cmpeq_epi32(x[g], m[g].one), _mm256_cmpeq_epi32(x[g], m[g].minus_one));
    for (int i = 1; i <= squares; i++) {
        __m256i step = _mm256_set1_epi32(i);
        _Pragma("GCC unroll 4") for (int g = 0; g < G; g++) {
            x[g] = mont8_square(&m[g], x[g]);
            __m256i hit = _mm256_and_si256(_mm256_cmpeq_epi32(x[g], m[g].minus_one), _mm256_cmpgt_epi32(m[g].s, step));
            pass[g] = _mm256_or_si256(pass[g], hit);
        }
    }
}

/* The lanes of x that may be base-2 strong pseudoprimes: those whose bit of
 * the filter (tables.h, spsp2_filter) is set; about 1% of primes. */
static inline unsigned spsp2_maybe(__m256i x)
{
    __m256i h = _mm256_srli_epi32(_mm256_mullo_epi32(x, _mm256_set1_epi32((int)SPSP2_FILTER_MULTIPLIER)),
                                    32 - SPSP2_FILTER_LOG2_BITS);
    __m256i word = _mm256_i32gather_epi32((const int *)(const void *)spsp2_filter, _mm256_srli_epi32(h, 5), 4);
    __m256i bit = _mm256_srlv_epi32(word, _mm256_and_si256(h, _mm256_set1_epi32(31)));
    return lane_mask(_mm256_slli_epi32(bit, 31));
}

/* Steps 3 and 4 on the G vectors of candidates at cand (positions at; the
 * lanes from `valid` on are padding). */
static inline __attribute__((always_inline)) void finish_group(const uint32_t *cand, const uint32_t *at,
                                                               size_t valid, int G, uint8_t *res)
{
    __m256i pass[GROUP];
    sprp2_vectors(cand, G, pass);
    _Pragma("GCC unroll 4") for (int g = 0; g < G; g++) {
        unsigned mask = lane_mask(pass[g]);
        if (mask == 0)
            continue;
        unsigned maybe = mask & spsp2_maybe(_mm256_loadu_si256((const __m256i *)(const void *)(cand + VEC * g)));
        while (maybe) {
            unsigned lane = (unsigned)__builtin_ctz(maybe);
            maybe &= maybe - 1;
            if (spsp2_listed_baseline(cand[VEC * g + (int)lane]))
                mask &= ~(1u << lane);
        }
        while (mask) {
            size_t k = (size_t)VEC * (size_t)g + (size_t)__builtin_ctz(mask);
            mask &= mask - 1;
            if (k < valid)
                res[at[k]] = 1;
        }
    }
}

/* res[k] for k < count <= BATCH. */
static void classify_batch_u32_avx2(const uint32_t *v, size_t count, uint8_t *res)
{
    uint32_t cand[BATCH + SLACK] __attribute__((aligned(32)));
    uint32_t cand_at[BATCH + SLACK] __attribute__((aligned(32)));
    size_t n = 0, k = 0;
    for (; k + VEC <= count; k += VEC)
        n += first_pass(_mm256_loadu_si256((const __m256i *)(const void *)(v + k)), (uint32_t)k, res + k,
                        cand + n, cand_at + n);
    if (k < count) {
        /* The last values, padded with zeros (not prime, not candidates). */
        uint32_t tail[VEC] = {0};
        uint8_t tail_res[VEC];
        memcpy(tail, v + k, (count - k) * sizeof tail[0]);
        n += first_pass(_mm256_loadu_si256((const __m256i *)(void *)tail), (uint32_t)k, tail_res, cand + n,
                        cand_at + n);
        memcpy(res + k, tail_res, count - k);
    }

    /* Step 2, in place (each store lands on values already read); the zeros
     * after the list have every factor, so they drop out. */
    memset(cand + n, 0, VEC * sizeof cand[0]);
    size_t kept = 0;
    for (size_t j = 0; j < n; j += VEC) {
        __m256i x = _mm256_load_si256((const __m256i *)(const void *)(cand + j));
        __m256i at = _mm256_load_si256((const __m256i *)(const void *)(cand_at + j));
        __m256i found = has_factor(x, AVX2_TRIAL_PRIMES_FIRST, AVX2_TRIAL_PRIMES);
        kept += pack(x, at, lane_mask(found) ^ 0xFFu, cand + kept, cand_at + kept);
    }
    n = kept;

    /* Pad to a whole group with a prime (results unused). */
    for (size_t j = n; j < n + SLACK; j++)
        cand[j] = 4294967291u;
    size_t j = 0;
    for (; j + VEC * (GROUP - 1) < n; j += VEC * GROUP)
        finish_group(cand + j, cand_at + j, n - j, GROUP, res);
    /* The last 1 to GROUP - 1 vectors (some lanes may be padding), still side
     * by side. */
    switch (j < n ? (n - j + VEC - 1) / VEC : 0) {
    case 3:
        finish_group(cand + j, cand_at + j, n - j, 3, res);
        break;
    case 2:
        finish_group(cand + j, cand_at + j, n - j, 2, res);
        break;
    case 1:
        finish_group(cand + j, cand_at + j, n - j, 1, res);
        break;
    default:
        break;
    }
}

void classify_u32_avx2(const uint32_t *v, size_t count, uint8_t *res)
{
    for (size_t done = 0; done < count; done += BATCH)
        classify_batch_u32_avx2(v + done, count - done < BATCH ? count - done : BATCH, res + done);
}

/* ---- 64-bit values ---------------------------------------------------------- */

enum { BATCH64 = 256 };

void classify_u64_avx2(const uint64_t *v, size_t count, uint8_t *res)
{
    uint32_t narrow[BATCH64];
    uint64_t wide[BATCH64];
    uint8_t narrow_res[BATCH64], wide_res[BATCH64];
    uint16_t narrow_at[BATCH64], wide_at[BATCH64];
    for (size_t done = 0; done < count; done += BATCH64) {
        size_t m = count - done < BATCH64 ? count - done : BATCH64;
        const uint64_t *x = v + done;
        size_t small = 0;
        for (size_t k = 0; k < m; k++)
            small += x[k] <= UINT32_MAX;
        if (small == 0) {
            classify_u64_baseline(x, m, res + done);
        } else if (small == m) {
            for (size_t k = 0; k < m; k++)
                narrow[k] = (uint32_t)x[k];
            classify_u32_avx2(narrow, m, res + done);
        } else {
            size_t a = 0, b = 0;
            for (size_t k = 0; k < m; k++) {
                if (x[k] <= UINT32_MAX) {
                    narrow[a] = (uint32_t)x[k];
                    narrow_at[a++] = (uint16_t)k;
                } else {
                    wide[b] = x[k];
                    wide_at[b++] = (uint16_t)k;
                }
            }
            classify_u32_avx2(narrow, a, narrow_res);
            classify_u64_baseline(wide, b, wide_res);
            for (size_t k = 0; k < a; k++)
                res[done + narrow_at[k]] = narrow_res[k];
            for (size_t k = 0; k < b; k++)
                res[done + wide_at[k]] = wide_res[k];
        }
    }
}

const struct test_kernels test_kernels_avx2 = {
    .name = "avx2",
    .level = PRIMES_CPU_AVX2,
    .classify_u32 = classify_u32_avx2,
    .classify_u64 = classify_u64_avx2,
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
