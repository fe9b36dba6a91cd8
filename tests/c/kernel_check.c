/* SPDX-License-Identifier: MIT */
/*
 * kernel_check.c -- every level's per-element test kernels against the
 * baseline's, value by value (src_c/test_kernels.h).
 *
 *   python tools/c_sources.py objects cc OBJ -O2 -D_GNU_SOURCE && \
 *   cc -Isrc_c tests/c/kernel_check.c OBJ/{cpu,tables,test_baseline,test_avx2,test_dispatch}.o ...
 *   ./kernel_check quick tests/data/spsp2_below_2^32.txt      (tests/test_c_units.py does this)
 *   ./kernel_check exhaustive                                  (every n < 2^32: the slow tier)
 *
 * For each level above the baseline that this build has and the CPU
 * supports (test_kernels_for(level) returns that level's kernels), it prints
 * "level <name>: checked" and compares classify_u32 and classify_u64 with the
 * baseline's on:
 *   quick:      every n < 2^22 (and pi(2^22) = 295947 from both), the base-2
 *               strong pseudoprimes below 2^32 of the file given, the 2^16
 *               values at each end of [2^16, 2^32) and around 2^31, products of
 *               two primes near 2^16, 2^20 random values (a fixed xorshift
 *               seed), every count 0 .. 70 at every alignment, and u64 arrays
 *               mixing values below and above 2^32;
 *   exhaustive: every n < 2^32 (and pi(2^32) = 203280221 from both).
 * quick also checks each level's extremes_u32 and extremes_u64 against C's
 * own order (check_extremes), its byteswap_u32 and byteswap_u64 against the
 * compiler's bswap (check_byteswap), its run_mismatch_u32 and run_mismatch_u64
 * against an OR of the differences written out (check_run_mismatch), its
 * narrow_u64 and narrow_i64 against their definition (check_narrow), and
 * Selfridge's D of the strong Lucas test (selfridge_d_baseline,
 * from residue tables) against a search by the definition on about 2^17 values.
 * A level the CPU or build lacks prints "level <name>: skipped (...)".  Last
 * line "kernels: N checks, F failed"; exit status 0 when none failed.
 */
#include "check.h"
#include "cpu.h"
#include "primes.h"
#include "test_kernels.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 65536
static uint32_t v32[BLOCK + 16];
static uint64_t v64[BLOCK + 16];
static uint8_t want[BLOCK + 16], got[BLOCK + 16];

static const struct test_kernels *kernels; /* the level under check */
static size_t mismatches_shown;             /* at most 20 in all */
static uint64_t primes_base, primes_level;  /* primes seen by each, this run */

static uint64_t xorshift(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* v32[0 .. count) through both u32 kernels, and as u64 through both u64 kernels. */
static void compare32(size_t count, const char *what)
{
    size_t bad = 0;
    classify_u32_baseline(v32, count, want);
    kernels->classify_u32(v32, count, got);
    for (size_t k = 0; k < count; k++) {
        primes_base += want[k];
        primes_level += got[k];
        if (want[k] != got[k] && bad++ < 5 && mismatches_shown++ < 20)
            printf("mismatch u32 (%s): n = %u: baseline %d, %s %d\n", what, v32[k], want[k], kernels->name, got[k]);
    }
    for (size_t k = 0; k < count; k++)
        v64[k] = v32[k];
    kernels->classify_u64(v64, count, got);
    for (size_t k = 0; k < count; k++)
        if (want[k] != got[k] && bad++ < 5 && mismatches_shown++ < 20)
            printf("mismatch u64 (%s): n = %u: baseline %d, %s %d\n", what, v32[k], want[k], kernels->name, got[k]);
    CHECK(bad == 0);
}

static void compare64(size_t count, const char *what)
{
    size_t bad = 0;
    classify_u64_baseline(v64, count, want);
    kernels->classify_u64(v64, count, got);
    for (size_t k = 0; k < count; k++)
        if (want[k] != got[k] && bad++ < 5 && mismatches_shown++ < 20)
            printf("mismatch u64 (%s): n = %llu: baseline %d, %s %d\n", what, (unsigned long long)v64[k], want[k],
                   kernels->name, got[k]);
    CHECK(bad == 0);
}

/* Values from..from + count - 1 (wrapping below 2^32), in blocks. */
static void compare_range(uint64_t from, uint64_t count, const char *what)
{
    for (uint64_t done = 0; done < count; done += BLOCK) {
        size_t m = count - done < BLOCK ? (size_t)(count - done) : BLOCK;
        for (size_t k = 0; k < m; k++)
            v32[k] = (uint32_t)(from + done + k);
        compare32(m, what);
    }
}

static int load_spsp2(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("cannot read %s\n", path);
        return 0;
    }
    size_t m = 0, total = 0;
    unsigned long x;
    while (fscanf(f, "%lu", &x) == 1) {
        v32[m++] = (uint32_t)x;
        total++;
        if (m == BLOCK) {
            compare32(m, "spsp2");
            m = 0;
        }
    }
    fclose(f);
    compare32(m, "spsp2");
    CHECK(total == 2314); /* the base-2 strong pseudoprimes below 2^32 */
    /* Each one is composite: no kernel may call it prime. */
    return (int)total;
}

static void quick(const char *spsp2_path)
{
    primes_base = primes_level = 0;
    compare_range(0, UINT64_C(1) << 22, "n < 2^22");
    CHECK(primes_base == 295947 && primes_level == 295947); /* pi(2^22) */
    if (spsp2_path) {
        primes_base = primes_level = 0;
        load_spsp2(spsp2_path);
        CHECK(primes_base == 0 && primes_level == 0);
    }
    compare_range(65536 - 4096, 65536 + 4096, "around 2^16");
    compare_range((UINT64_C(1) << 31) - 65536, 131072, "around 2^31");
    compare_range((UINT64_C(1) << 32) - 65536, 65536, "below 2^32");
    /* Products of two primes near 2^16 (hard composites, squares included). */
    size_t m = 0;
    for (uint32_t p = 65521; p > 64000; p -= 2)
        for (uint32_t q = p; q > 64000 && m < BLOCK; q -= 58)
            v32[m++] = p * q;
    compare32(m, "products near 2^32");
    /* Random values, then random odd values with no small factor-heavy bias. */
    uint64_t state = UINT64_C(0x9E3779B97F4A7C15);
    for (int round = 0; round < 16; round++) {
        for (size_t k = 0; k < BLOCK; k++)
            v32[k] = (uint32_t)xorshift(&state);
        compare32(BLOCK, "random");
    }
    /* Every count 0 .. 70 at every alignment of the first element. */
    for (size_t k = 0; k < 80; k++)
        v32[k] = (uint32_t)xorshift(&state) | 1u;
    for (size_t offset = 0; offset < 8; offset++) {
        for (size_t count = 0; count <= 70; count++) {
            memset(got, 7, count + 8);
            classify_u32_baseline(v32 + offset, count, want);
            kernels->classify_u32(v32 + offset, count, got);
            CHECK(memcmp(want, got, count) == 0 && got[count] == 7);
        }
    }
    /* u64 arrays mixing values below and above 2^32 (and all above). */
    for (int round = 0; round < 4; round++) {
        for (size_t k = 0; k < BLOCK; k++) {
            uint64_t x = xorshift(&state);
            v64[k] = (x & 3u) == 0 ? x >> 32 : (x & 3u) == 1 ? x | 1u : x >> (x & 63u);
        }
        compare64(BLOCK, "mixed u64");
    }
    for (size_t k = 0; k < BLOCK; k++)
        v64[k] = UINT64_MAX - 2 * k;
    compare64(BLOCK, "below 2^64");
}

/* ---- Selfridge's D (test_baseline.c's residue tables) against the definition ---- */

/* (a/n) for odd n > 0, the textbook way. */
static int reference_jacobi(uint64_t a, uint64_t n)
{
    int result = 1;
    a %= n;
    while (a != 0) {
        while ((a & 1u) == 0) {
            a >>= 1;
            if ((n & 7u) == 3 || (n & 7u) == 5)
                result = -result;
        }
        uint64_t t = a;
        a = n;
        n = t;
        if ((a & 3u) == 3 && (n & 3u) == 3)
            result = -result;
        a %= n;
    }
    return n == 1 ? result : 0;
}

static int reference_is_square(uint64_t n)
{
    uint64_t r = (uint64_t)sqrtl((long double)n);
    while (r * r > n || (r > UINT32_MAX))
        r--;
    while ((r + 1) * (r + 1) <= n && r + 1 <= UINT32_MAX)
        r++;
    return r * r == n;
}

/* Selfridge's D by definition: 0 for a square, 0 when (D/n) = 0 with
 * |D| != n before the first D with (D/n) = -1, else 1 and that D. */
static int reference_selfridge(uint64_t n, int64_t *d)
{
    if (reference_is_square(n))
        return 0;
    for (int64_t m = 5;; m += 2) {
        int64_t dd = (m & 3) == 1 ? m : -m;
        uint64_t residue = dd > 0 ? (uint64_t)dd % n : n - (uint64_t)(-dd) % n;
        int j = reference_jacobi(residue, n);
        if (j == -1) {
            *d = dd;
            return 1;
        }
        if (j == 0 && (uint64_t)m != n)
            return 0;
    }
}

static void check_selfridge_one(uint64_t n)
{
    int64_t want_d = 0, got_d = 0;
    int want_ok = reference_selfridge(n, &want_d), got_ok = selfridge_d_baseline(n, &got_d);
    CHECK(want_ok == got_ok && (!want_ok || want_d == got_d));
    if ((want_ok != got_ok || (want_ok && want_d != got_d)) && mismatches_shown++ < 20)
        printf("selfridge_d_baseline(%llu): %d, D %lld; expected %d, D %lld\n", (unsigned long long)n, got_ok,
               (long long)got_d, want_ok, (long long)want_d);
}

/* Every odd n in [5, 2^17), squares, multiples of the table's moduli's
 * primes, random odd values of every size, and the top of the range. */
static void check_selfridge(void)
{
    uint64_t state = UINT64_C(0x2545F4914F6CDD1D);
    for (uint64_t n = 5; n < (UINT64_C(1) << 17); n += 2)
        check_selfridge_one(n);
    for (int k = 0; k < 20000; k++) {
        uint64_t r = xorshift(&state) | 1u;
        check_selfridge_one(r);
        check_selfridge_one(r >> (r % 60) | 1u);
        uint64_t root = (xorshift(&state) >> 32) | 1u;
        check_selfridge_one(root * root);     /* a square: no D */
        check_selfridge_one(root * root + 2); /* next to one */
        static const uint64_t small[] = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47};
        uint64_t p = small[k % 14];
        check_selfridge_one(p * ((xorshift(&state) >> 8) | 1u)); /* shares a factor with a D */
    }
    for (uint64_t k = 0; k < 4096; k++)
        check_selfridge_one(UINT64_MAX - 2 * k);
    printf("selfridge: checked\n");
}

/* A level's extremes_u32 and extremes_u64 (the planner's pass over a chunk)
 * against the signed and unsigned order of C itself: every count 1 .. 70 at
 * every alignment, random values of every size, and the type's extremes
 * (0, the top, and the signed ones either side of the sign bit) planted
 * first, last and in the middle. */
static void check_extremes(const struct test_kernels *k)
{
    uint64_t state = UINT64_C(0x9E3779B97F4A7C15);
    static const uint64_t planted[] = {0, 1, UINT64_C(0x7fffffff), UINT64_C(0x80000000), UINT64_C(0xffffffff),
                                       UINT64_C(0x7fffffffffffffff), UINT64_C(0x8000000000000000), UINT64_MAX};
    for (size_t count = 1; count <= 70; count++) {
        for (size_t offset = 0; offset < 16; offset++) {
            for (int shape = 0; shape < 12; shape++) {
                uint32_t *a32 = v32 + offset;
                uint64_t *a64 = v64 + offset;
                for (size_t i = 0; i < count; i++) {
                    uint64_t r = xorshift(&state);
                    a64[i] = shape % 3 == 0 ? r : shape % 3 == 1 ? r >> (r % 64) : UINT64_C(0x8000000000000000) + (r >> 60) - 8;
                    a32[i] = (uint32_t)(shape % 3 == 2 ? UINT32_C(0x80000000) + (uint32_t)(r >> 60) - 8 : (uint32_t)(a64[i] >> (r % 33)));
                }
                if (shape >= 3) { /* plant one of the extremes */
                    size_t at = shape % 3 == 0 ? 0 : shape % 3 == 1 ? count - 1 : count / 2;
                    a64[at] = planted[(size_t)(shape - 3) % 8];
                    a32[at] = (uint32_t)planted[(size_t)(shape - 3 + count) % 8];
                }
                uint32_t umin32 = UINT32_MAX, umax32 = 0;
                int32_t smin32 = INT32_MAX, smax32 = INT32_MIN;
                uint64_t umin64 = UINT64_MAX, umax64 = 0;
                int64_t smin64 = INT64_MAX, smax64 = INT64_MIN;
                for (size_t i = 0; i < count; i++) {
                    int32_t s32 = (int32_t)a32[i];
                    int64_t s64 = (int64_t)a64[i];
                    if (a32[i] < umin32) umin32 = a32[i];
                    if (a32[i] > umax32) umax32 = a32[i];
                    if (s32 < smin32) smin32 = s32;
                    if (s32 > smax32) smax32 = s32;
                    if (a64[i] < umin64) umin64 = a64[i];
                    if (a64[i] > umax64) umax64 = a64[i];
                    if (s64 < smin64) smin64 = s64;
                    if (s64 > smax64) smax64 = s64;
                }
                uint32_t lo32, hi32;
                uint64_t lo64, hi64;
                k->extremes_u32(a32, count, 0, &lo32, &hi32);
                CHECK(lo32 == umin32 && hi32 == umax32);
                k->extremes_u32(a32, count, UINT32_C(0x80000000), &lo32, &hi32);
                CHECK((int32_t)(lo32 ^ UINT32_C(0x80000000)) == smin32 && (int32_t)(hi32 ^ UINT32_C(0x80000000)) == smax32);
                k->extremes_u64(a64, count, 0, &lo64, &hi64);
                CHECK(lo64 == umin64 && hi64 == umax64);
                k->extremes_u64(a64, count, UINT64_C(0x8000000000000000), &lo64, &hi64);
                CHECK((int64_t)(lo64 ^ UINT64_C(0x8000000000000000)) == smin64
                      && (int64_t)(hi64 ^ UINT64_C(0x8000000000000000)) == smax64);
            }
        }
    }
    printf("extremes %s: checked\n", k->name);
}

/* A level's byteswap_u32 and byteswap_u64 against the compiler's bswap,
 * every count 0 .. 70 at every alignment of source and destination. */
static void check_byteswap(const struct test_kernels *k)
{
    uint64_t state = UINT64_C(0xD1B54A32D192ED03);
    static uint32_t out32[BLOCK + 16];
    static uint64_t out64[BLOCK + 16];
    for (size_t count = 0; count <= 70; count++) {
        for (size_t offset = 0; offset < 16; offset++) {
            for (size_t i = 0; i < count + 16; i++) {
                v64[i] = xorshift(&state);
                v32[i] = (uint32_t)(v64[i] >> 16);
            }
            memset(out32, 0xa5, sizeof out32[0] * (count + 32));
            memset(out64, 0xa5, sizeof out64[0] * (count + 32));
            k->byteswap_u32(v32 + offset, out32 + (15 - offset), count);
            k->byteswap_u64(v64 + offset, out64 + (15 - offset), count);
            int ok = 1;
            for (size_t i = 0; i < count; i++)
                ok &= out32[15 - offset + i] == __builtin_bswap32(v32[offset + i])
                      && out64[15 - offset + i] == __builtin_bswap64(v64[offset + i]);
            /* nothing written past the end */
            ok &= out32[15 - offset + count] == 0xa5a5a5a5u && out64[15 - offset + count] == UINT64_C(0xa5a5a5a5a5a5a5a5);
            CHECK(ok);
        }
    }
    printf("byteswap %s: checked\n", k->name);
}

/* A level's run_mismatch_u32 and run_mismatch_u64 (the check of arrays taken
 * for np.arange) against the OR of v[i] ^ (first + i) written out: every
 * count 0 .. 70 at every alignment, runs from random starts and from just
 * below the top (wrapping past it), each as given and with one element off
 * by a random bit, first, last or in the middle. */
static void check_run_mismatch(const struct test_kernels *k)
{
    uint64_t state = UINT64_C(0x2545F4914F6CDD1D);
    for (size_t count = 0; count <= 70; count++) {
        for (size_t offset = 0; offset < 16; offset++) {
            for (int shape = 0; shape < 8; shape++) {
                uint64_t r = xorshift(&state);
                uint64_t first64 = shape & 1 ? UINT64_MAX - (r % 40) : r;
                uint32_t first32 = shape & 1 ? UINT32_MAX - (uint32_t)(r % 40) : (uint32_t)(r >> 32);
                uint32_t *a32 = v32 + offset;
                uint64_t *a64 = v64 + offset;
                for (size_t i = 0; i < count; i++) {
                    a64[i] = first64 + i;
                    a32[i] = first32 + (uint32_t)i;
                }
                if (shape >= 2 && count > 0) { /* one element off by one bit */
                    size_t at = shape < 4 ? 0 : shape < 6 ? count - 1 : count / 2;
                    uint64_t bit = xorshift(&state) % 64;
                    a64[at] ^= UINT64_C(1) << bit;
                    a32[at] ^= UINT32_C(1) << (bit % 32);
                }
                uint32_t want32 = 0;
                uint64_t want64 = 0;
                for (size_t i = 0; i < count; i++) {
                    want32 |= a32[i] ^ (uint32_t)(first32 + (uint32_t)i);
                    want64 |= a64[i] ^ (first64 + i);
                }
                CHECK(k->run_mismatch_u32(a32, count, first32) == want32);
                CHECK(k->run_mismatch_u64(a64, count, first64) == want64);
                CHECK((want32 == 0) == (shape < 2 || count == 0) && (want64 == 0) == (shape < 2 || count == 0));
            }
        }
    }
    printf("run_mismatch %s: checked\n", k->name);
}

/* A level's narrow_u64 and narrow_i64 (64-bit values to the 32-bit kernel)
 * against the definition written out: every count 0 .. 70 at every
 * alignment, values below 2^32 (up to 2^32 - 1), then with one element at
 * 2^32, at a random value above, or (as int64) at a random negative value,
 * INT64_MIN or -1, first, last or in the middle; the OR of the high halves
 * must match always, out[] where it is 0 (a negative int64 as 2^32 - 2), and
 * nothing is written past the end. */
static void check_narrow(const struct test_kernels *k)
{
    static uint32_t out[BLOCK + 16];
    uint64_t state = UINT64_C(0x9E3779B97F4A7C15);
    for (size_t count = 0; count <= 70; count++) {
        for (size_t offset = 0; offset < 16; offset++) {
            for (int shape = 0; shape < 16; shape++) {
                uint64_t *a = v64 + offset;
                for (size_t i = 0; i < count; i++)
                    a[i] = shape == 1 ? UINT64_C(0xffffffff) - i % 3 : xorshift(&state) >> 32;
                if (shape >= 2 && count > 0) {
                    size_t at = shape % 3 == 0 ? 0 : shape % 3 == 1 ? count - 1 : count / 2;
                    uint64_t r = xorshift(&state);
                    static const uint64_t odd[6] = {UINT64_C(1) << 32, 0, 0, UINT64_C(1) << 63,
                                                    UINT64_MAX, UINT64_C(0x8000000000000001)};
                    int kind = (shape - 2) % 6;
                    a[at] = kind == 1 ? r >> 1 | UINT64_C(1) << 32 : kind == 2 ? r | UINT64_C(1) << 63 : odd[kind];
                }
                uint32_t want_u = 0, want_i = 0;
                for (size_t i = 0; i < count; i++) {
                    want_u |= (uint32_t)(a[i] >> 32);
                    want_i |= (int64_t)a[i] < 0 ? 0 : (uint32_t)(a[i] >> 32); /* 2^32 - 2: high half 0 */
                }
                for (int is_signed = 0; is_signed < 2; is_signed++) {
                    for (size_t i = 0; i < count + 16; i++)
                        out[i] = 0xa5a5a5a5u;
                    uint32_t high = is_signed ? k->narrow_i64((const int64_t *)(const void *)a, count, out)
                                              : k->narrow_u64(a, count, out);
                    CHECK(high == (is_signed ? want_i : want_u));
                    int ok = 1;
                    if (high == 0)
                        for (size_t i = 0; i < count; i++)
                            ok &= out[i] == (is_signed && (int64_t)a[i] < 0 ? UINT32_C(0xfffffffe) : (uint32_t)a[i]);
                    for (size_t i = count; i < count + 16; i++)
                        ok &= out[i] == 0xa5a5a5a5u;
                    CHECK(ok);
                }
                /* the definition itself: a high half is set exactly where a shape put
                 * a value of 2^32 or more, and for int64 only where that value is positive */
                int odd_one = count > 0 && shape >= 2, kind = (shape - 2) % 6;
                CHECK((want_u != 0) == odd_one);
                CHECK((want_i != 0) == (odd_one && (kind == 0 || kind == 1)));
            }
        }
    }
    printf("narrow %s: checked\n", k->name);
}

static void exhaustive(void)
{
    primes_base = primes_level = 0;
    compare_range(0, UINT64_C(1) << 32, "every n < 2^32");
    printf("pi(2^32): baseline %llu, %s %llu\n", (unsigned long long)primes_base, kernels->name,
           (unsigned long long)primes_level);
    CHECK(primes_base == 203280221 && primes_level == 203280221);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "quick";
    CHECK(test_kernels_for(PRIMES_CPU_BASELINE) == &test_kernels_baseline);
    CHECK(test_kernels_for(-1) == NULL && test_kernels_for(PRIMES_CPU_BEST + 1) == NULL);
    if (strcmp(mode, "exhaustive") != 0) {
        check_selfridge();
        check_extremes(&test_kernels_baseline);
        check_byteswap(&test_kernels_baseline);
        check_run_mismatch(&test_kernels_baseline);
        check_narrow(&test_kernels_baseline);
    }
    static const char *const names[] = {"baseline", "avx2", "avx512"};
    for (int level = PRIMES_CPU_BASELINE + 1; level <= PRIMES_CPU_BEST; level++) {
        kernels = test_kernels_for(level);
        CHECK(kernels != NULL && kernels->level <= level);
        if (kernels == NULL || kernels->level != level) {
            printf("level %s: skipped (%s)\n", names[level],
                   cpu_best_level() < level ? "the CPU or the OS does not support it" : "not in this build");
            continue;
        }
        if (strcmp(mode, "exhaustive") == 0)
            exhaustive();
        else {
            quick(argc > 2 ? argv[2] : NULL);
            check_extremes(kernels);
            check_byteswap(kernels);
            check_run_mismatch(kernels);
            check_narrow(kernels);
        }
        printf("level %s: checked\n", kernels->name);
    }
    return check_report("kernels");
}
