/* SPDX-License-Identifier: MIT */
/*
 * kernel_check_avx512.c -- the AVX-512 kernels (src_c/test_avx512.c) against
 * the portable ones (src_c/test_baseline.c), value by value, and both
 * against facts known independently (prime counts, lists of composites and
 * primes, products built from two factors).
 *
 * Built two ways by tests/c/kernel_check_avx512.sh:
 *   emulated  -DPRIMES_AVX512_EMULATED -mavx2 -mbmi2 -mfma: the kernel source
 *             is included here after tests/c/avx512_emulation.h (SIMDe plus
 *             an exact IFMA emulation) and runs on any AVX2 CPU;
 *   native    with the kernel's own AVX-512 flags; run only on a CPU with
 *             AVX-512 F/VL/DQ/BW and IFMA.
 * Linked with src_c/test_baseline.c and src_c/tables.c.
 *
 * Usage: kernel_check_avx512 CHECK [ARGS]
 *   u32-range LO HI [PI]  every n in [LO, HI), HI <= 2^32, through both
 *                         kernels (and the 64-bit ones for a sample); PI, if
 *                         given, is the known number of primes in the range
 *   u32-sample N SEED     N pseudo-random values below 2^32 in bands
 *   u64-file PATH         one value per line, optionally followed by its
 *                         known primality (0 or 1)
 *   u64-sample N SEED     N pseudo-random uint64 (uniform, and in bands near
 *                         2^32, 2^52, 2^63, 2^64), products of two primes
 *                         near 2^32 (composite by construction), primes
 *                         below 2^k, every edge
 *   sprp N SEED PATH      the vector strong tests themselves against a plain
 *                         modular exponentiation, on about N odd values
 *                         (random, banded) and those listed in PATH
 *   lucas N SEED PATH LPSP  the vector strong Lucas tests (the U, V ladder
 *                         for any D, the V ladder for D = 5) against the
 *                         baseline's on about N odd values and those in PATH;
 *                         those in LPSP (strong Lucas pseudoprimes) must pass
 *   shapes                every count 0..70 (and batch boundaries) at every
 *                         element offset 0..15 of both element types: tails,
 *                         unaligned pointers, no write outside the result
 * Last line: "avx512-<check>: N checks, F failed" (exit status 1 if F > 0).
 */
#ifdef PRIMES_AVX512_EMULATED
#include "avx512_emulation.h"
#endif
#include "test_avx512.c"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t checks, failures;

static void fail(const char *what, uint64_t value, int got, int expected)
{
    failures++;
    if (failures <= 20)
        printf("FAIL %s: n = %" PRIu64 ": got %d, expected %d\n", what, value, got, expected);
}

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

enum { CHUNK = 1 << 16 };
static uint32_t v32[CHUNK];
static uint64_t v64[CHUNK];
static uint8_t got[CHUNK], want[CHUNK], got64[CHUNK];
static int8_t known[CHUNK];

/* Both 32-bit kernels and both 64-bit ones on v32[0..count), compared; known[k]
 * (-1: unknown) the independent answer.  Returns the number of primes. */
static uint64_t check_u32(size_t count, int also_64)
{
    classify_u32_avx512(v32, count, got);
    classify_u32_baseline(v32, count, want);
    uint64_t primes = 0;
    for (size_t k = 0; k < count; k++) {
        checks++;
        primes += want[k];
        if (got[k] != want[k])
            fail("u32 avx512 vs baseline", v32[k], got[k], want[k]);
        if (known[k] >= 0 && want[k] != known[k])
            fail("u32 baseline vs known", v32[k], want[k], known[k]);
    }
    if (also_64) {
        for (size_t k = 0; k < count; k++)
            v64[k] = v32[k];
        classify_u64_avx512(v64, count, got64);
        for (size_t k = 0; k < count; k++) {
            checks++;
            if (got64[k] != want[k])
                fail("u64 avx512 (value below 2^32) vs baseline", v32[k], got64[k], want[k]);
        }
    }
    return primes;
}

static void check_u64(size_t count)
{
    classify_u64_avx512(v64, count, got);
    classify_u64_baseline(v64, count, want);
    for (size_t k = 0; k < count; k++) {
        checks++;
        if (got[k] != want[k])
            fail("u64 avx512 vs baseline", v64[k], got[k], want[k]);
        if (known[k] >= 0 && want[k] != known[k])
            fail("u64 baseline vs known", v64[k], want[k], known[k]);
    }
}

static int report(const char *check, double seconds)
{
    printf("time: %.1f s\n", seconds);
    printf("avx512-%s: %" PRIu64 " checks, %" PRIu64 " failed\n", check, checks, failures);
    return failures != 0;
}

static uint32_t next_prime_below_32(uint32_t n) /* the largest prime < n, by the baseline */
{
    uint8_t is;
    do {
        n--;
        classify_u32_baseline(&n, 1, &is);
    } while (!is);
    return n;
}

static uint64_t next_prime_below_64(uint64_t n)
{
    uint8_t is;
    do {
        n--;
        classify_u64_baseline(&n, 1, &is);
    } while (!is);
    return n;
}

static int u32_range(uint64_t lo, uint64_t hi, int64_t pi)
{
    uint64_t primes = 0;
    memset(known, -1, sizeof known);
    for (uint64_t start = lo; start < hi; start += CHUNK) {
        size_t count = hi - start < CHUNK ? (size_t)(hi - start) : CHUNK;
        for (size_t k = 0; k < count; k++)
            v32[k] = (uint32_t)(start + k);
        /* The 64-bit kernel on one chunk in 64 (it takes the same path). */
        primes += check_u32(count, ((start - lo) / CHUNK) % 64 == 0);
    }
    printf("range [%" PRIu64 ", %" PRIu64 "): %" PRIu64 " primes\n", lo, hi, primes);
    if (pi >= 0) {
        checks++;
        if (primes != (uint64_t)pi) {
            failures++;
            printf("FAIL prime count %" PRIu64 ", known %" PRId64 "\n", primes, pi);
        }
    }
    return 0;
}

static int u32_sample(uint64_t n, uint64_t seed)
{
    /* Bands: uniform; near 2^16, 2^31, 2^32; odd only (fewer trial-division
     * rejections, more strong tests). */
    static const uint64_t centres[] = {UINT64_C(1) << 16, UINT64_C(1) << 31, UINT64_C(1) << 32};
    memset(known, -1, sizeof known);
    for (uint64_t done = 0; done < n; done += CHUNK) {
        size_t count = n - done < CHUNK ? (size_t)(n - done) : CHUNK;
        for (size_t k = 0; k < count; k++) {
            uint64_t r = splitmix(&seed);
            uint32_t x;
            switch (r % 5) {
            case 0: x = (uint32_t)(r >> 32); break;
            case 1: x = (uint32_t)(r >> 32) | 1u; break;
            default: {
                uint64_t c = centres[(r >> 8) % 3];
                uint64_t off = (r >> 32) % (UINT64_C(1) << 20);
                x = (uint32_t)(c - 1 - off) | 1u;
                break;
            }
            }
            v32[k] = x;
        }
        check_u32(count, 1);
    }
    return 0;
}

static int u64_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("cannot open %s\n", path);
        failures++;
        return 1;
    }
    char line[256];
    size_t count = 0, listed = 0;
    while (fgets(line, sizeof line, f)) {
        char *end;
        if (line[0] < '0' || line[0] > '9')
            continue;
        uint64_t x = strtoull(line, &end, 10);
        long flag = strtol(end, &end, 10);
        int has_flag = end != line && strchr(line, ' ') != NULL;
        v64[count] = x;
        known[count] = has_flag ? (int8_t)flag : -1;
        count++;
        listed++;
        if (count == CHUNK) {
            check_u64(count);
            count = 0;
        }
    }
    fclose(f);
    check_u64(count);
    /* The same values, those below 2^32 through the 32-bit kernels too. */
    rewind(f = fopen(path, "r"));
    count = 0;
    while (fgets(line, sizeof line, f)) {
        char *end;
        if (line[0] < '0' || line[0] > '9')
            continue;
        uint64_t x = strtoull(line, &end, 10);
        if (x > UINT32_MAX)
            continue;
        long flag = strtol(end, &end, 10);
        v32[count] = (uint32_t)x;
        known[count] = strchr(line, ' ') ? (int8_t)flag : -1;
        if (++count == CHUNK) {
            check_u32(count, 0);
            count = 0;
        }
    }
    fclose(f);
    check_u32(count, 0);
    printf("values listed: %zu\n", listed);
    return 0;
}

static int u64_sample(uint64_t n, uint64_t seed)
{
    size_t count = 0;
    memset(known, -1, sizeof known);
#define PUSH(value, truth)                \
    do {                                  \
        v64[count] = (value);             \
        known[count] = (int8_t)(truth);   \
        if (++count == CHUNK) {           \
            check_u64(count);             \
            count = 0;                    \
        }                                 \
    } while (0)
    /* Products of two primes near 2^32 (and squares): composite by
     * construction, and strong-test adversaries when p and q - 1 share
     * factors with n - 1. */
    {
        uint32_t p[401];
        p[0] = next_prime_below_32(UINT32_MAX);
        for (int i = 1; i < 401; i++)
            p[i] = next_prime_below_32(p[i - 1]);
        for (int i = 0; i < 400; i++) {
            PUSH((uint64_t)p[i] * p[i], 0);
            PUSH((uint64_t)p[i] * p[i + 1], 0);
            for (int j = i + 2; j < 400; j += 37)
                PUSH((uint64_t)p[i] * p[j], 0);
        }
        /* p (2p - 1) with both prime, near 2^63 .. 2^64 (the classic base-2
         * strong pseudoprime shape; composite whatever the test says). */
        uint32_t q = next_prime_below_32(3037000499u);
        int found = 0;
        while (found < 2000) {
            uint64_t r = 2 * (uint64_t)q - 1;
            uint8_t is;
            classify_u64_baseline(&r, 1, &is);
            if (is) {
                PUSH((uint64_t)q * r, 0);
                found++;
            }
            q = next_prime_below_32(q);
        }
    }
    /* Primes just below 2^k and 2^64, and their neighbours; every 2^k +- 1. */
    for (int bits = 33; bits <= 64; bits++) {
        uint64_t top = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits);
        uint64_t p = top;
        for (int i = 0; i < 20; i++) {
            p = next_prime_below_64(p);
            PUSH(p, -1);
            PUSH(p - 2, -1);
            PUSH(p + 2, -1);
        }
        PUSH(top, bits == 64 ? 0 : -1);
        PUSH(top - 1, -1);
        if (bits < 64)
            PUSH(top + 1, -1);
    }
    /* Random values: uniform, odd, and bands near 2^32, 2^52, 2^63, 2^64. */
    static const uint64_t centres[] = {UINT64_C(1) << 32, UINT64_C(1) << 52, UINT64_C(1) << 63, 0};
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = splitmix(&seed), x;
        switch (i % 4) {
        case 0: x = r; break;
        case 1: x = r | 1u; break;
        default: {
            uint64_t c = centres[(r >> 61) & 3];
            uint64_t off = splitmix(&seed) % (UINT64_C(1) << 24);
            x = (r & 1u) && c != 0 ? c + off : c - 1 - off;
            x |= 1u;
            break;
        }
        }
        PUSH(x, -1);
    }
#undef PUSH
    check_u64(count);
    return 0;
}

/* The strong test to base 2 by plain modular exponentiation (128-bit
 * products): the reference for the vector tests themselves, whose rejections
 * alone the kernels' answers can show (a composite that they let through
 * still meets the table or the Lucas test). */
static int reference_sprp2(uint64_t n)
{
    uint64_t d = n - 1;
    int s = 0;
    while (!(d & 1)) {
        d >>= 1;
        s++;
    }
    uint64_t x = 1, b = 2 % n;
    for (uint64_t e = d; e; e >>= 1) {
        if (e & 1)
            x = (uint64_t)((unsigned __int128)x * b % n);
        b = (uint64_t)((unsigned __int128)b * b % n);
    }
    if (x == 1 || x == n - 1)
        return 1;
    for (int i = 1; i < s; i++) {
        x = (uint64_t)((unsigned __int128)x * x % n);
        if (x == n - 1)
            return 1;
    }
    return 0;
}

/* sprp2_vectors (32-bit) and sprp2_vectors64 against reference_sprp2, on n
 * odd random values per width (uniform and in bands near the top and
 * bottom) plus the base-2 strong pseudoprimes of tests/data (PATH), with
 * every vector count. */
static int sprp(uint64_t n, uint64_t seed, const char *path)
{
    static uint64_t values[CHUNK];
    size_t count = 0;
    FILE *f = fopen(path, "r");
    char line[256];
    while (f && fgets(line, sizeof line, f) && count < CHUNK / 2) {
        uint64_t x = strtoull(line, NULL, 10);
        if (x >= 65537 && (x & 1))
            values[count++] = x;
    }
    if (f)
        fclose(f);
    size_t listed = count;
    for (uint64_t done = 0; done < n; done += count, count = listed) {
        for (; count < CHUNK; count++) {
            uint64_t r = splitmix(&seed), x;
            switch (r % 4) {
            case 0: x = r; break;
            case 1: x = r >> (r % 32); break;
            case 2: x = UINT64_MAX - (splitmix(&seed) >> 40); break;
            default: x = (UINT64_C(1) << 32) + (splitmix(&seed) >> 40); break;
            }
            values[count] = x | 1u;
        }
        /* 32-bit: the values below 2^32 of the list and the low halves. */
        for (size_t k = 0; k < count; k++) {
            uint64_t x = values[k];
            v32[k] = x <= UINT32_MAX ? (uint32_t)x : (uint32_t)x | 65537u;
        }
        /* Mixed groups (the group's largest s found by the kernel), then
         * groups of one s = 1 or s = 2 each, as the queues by s pass them
         * (known_s). */
        static uint32_t by_s[3][CHUNK];
        size_t in_class[3] = {0, 0, 0};
        for (size_t k = 0; k < count; k++) {
            int s = __builtin_ctz(v32[k] - 1);
            by_s[0][in_class[0]++] = v32[k];
            if (s <= 2)
                by_s[s][in_class[s]++] = v32[k];
        }
        for (int known_s = 0; known_s <= 2; known_s++)
            for (size_t k = 0; k + 8 * VECTORS <= in_class[known_s];) {
                int nv = 1 + (int)(k / (8 * VECTORS)) % VECTORS;
                __mmask8 pass[VECTORS];
                const uint32_t *group = by_s[known_s] + k;
                sprp2_vectors(group, nv, known_s, pass);
                for (int i = 0; i < nv; i++)
                    for (int j = 0; j < 8; j++) {
                        uint32_t x = group[8 * (size_t)i + (size_t)j];
                        int expected = reference_sprp2(x), got_pass = (pass[i] >> j) & 1;
                        checks++;
                        if (got_pass != expected)
                            fail("sprp2_vectors (32-bit) vs reference", x, got_pass, expected);
                    }
                k += 8 * (size_t)nv;
            }
        /* 64-bit: the values of 2^32 and above. */
        size_t m = 0;
        for (size_t k = 0; k < count; k++)
            if (values[k] > UINT32_MAX)
                v64[m++] = values[k];
        for (size_t k = 0; k + 8 * VECTORS64 <= m;) {
            int nv = 1 + (int)(k / (8 * VECTORS64)) % VECTORS64;
            __mmask8 pass[VECTORS64];
            sprp2_vectors64(v64 + k, nv, pass);
            for (int i = 0; i < nv; i++)
                for (int j = 0; j < 8; j++) {
                    uint64_t x = v64[k + 8 * (size_t)i + (size_t)j];
                    int expected = reference_sprp2(x), got_pass = (pass[i] >> j) & 1;
                    checks++;
                    if (got_pass != expected)
                        fail("sprp2_vectors64 vs reference", x, got_pass, expected);
                }
            k += 8 * (size_t)nv;
        }
    }
    return 0;
}

/* One ladder (lucas_vectors64, or lucas_q_minus_one_vectors64 when
 * q_minus_one, for values whose D is 5) on values[0..count) with their D,
 * every vector count in turn, against the baseline's strong Lucas test; the
 * must_pass ones (strong Lucas pseudoprimes) must pass. */
static void check_lucas_ladder(const uint64_t *values, const uint64_t *d_values, const int8_t *must_pass,
                               size_t count, int q_minus_one)
{
    const char *name = q_minus_one ? "lucas_q_minus_one_vectors64" : "lucas_vectors64";
    char what[96];
    for (size_t k = 0; k + 8 * VECTORS64 <= count;) {
        int nv = 1 + (int)(k / (8 * VECTORS64)) % VECTORS64;
        __mmask8 pass[VECTORS64];
        int64_t dd[8 * VECTORS64];
        for (int j = 0; j < 8 * nv; j++)
            dd[j] = (int64_t)d_values[k + (size_t)j];
        if (q_minus_one)
            lucas_q_minus_one_vectors64(values + k, nv, pass);
        else
            lucas_vectors64(values + k, dd, nv, pass);
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < 8; j++) {
                size_t at = k + 8 * (size_t)i + (size_t)j;
                int expected = strong_lucas_baseline(values[at]), got_pass = (pass[i] >> j) & 1;
                checks++;
                if (got_pass != expected) {
                    snprintf(what, sizeof what, "%s vs strong_lucas_baseline", name);
                    fail(what, values[at], got_pass, expected);
                }
                if (must_pass[at]) {
                    checks++;
                    if (!got_pass) {
                        snprintf(what, sizeof what, "%s: a strong Lucas pseudoprime", name);
                        fail(what, values[at], got_pass, 1);
                    }
                }
            }
        k += 8 * (size_t)nv;
    }
}

/* lucas_vectors64 against the baseline's strong Lucas test, on about n odd
 * values (random and banded, every one that has a Selfridge D: primes,
 * composites, base-2 pseudoprimes alike) and those listed in PATH (the strong
 * Lucas pseudoprimes there must pass: a fact, whatever the baseline says),
 * with every vector count. */
static int lucas(uint64_t n, uint64_t seed, const char *path, const char *lucas_psp_path)
{
    static uint64_t values[CHUNK], d_values[CHUNK];
    static int8_t must_pass[CHUNK];
    size_t count = 0;
    const char *paths[2] = {path, lucas_psp_path};
    for (int p = 0; p < 2; p++) {
        FILE *f = fopen(paths[p], "r");
        char line[256];
        while (f && fgets(line, sizeof line, f) && count < CHUNK / 2) {
            uint64_t x = strtoull(line, NULL, 10);
            int64_t d;
            if (x > 3 && (x & 1) && x != UINT64_MAX && selfridge_d_baseline(x, &d) && d > -LUCAS_MAX_D
                && d < LUCAS_MAX_D) {
                values[count] = x;
                d_values[count] = (uint64_t)d;
                must_pass[count++] = (int8_t)p;
            }
        }
        if (f)
            fclose(f);
    }
    size_t listed = count;
    for (uint64_t done = 0; done < n || count > 0; done += count - listed, count = listed) {
        while (count < CHUNK && done < n) {
            uint64_t r = splitmix(&seed), x;
            switch (r % 4) {
            case 0: x = r; break;
            case 1: x = r >> (r % 32); break;
            case 2: x = UINT64_MAX - 2 - (splitmix(&seed) >> 40); break;
            default: x = (UINT64_C(1) << 32) + (splitmix(&seed) >> 40); break;
            }
            x |= 1u;
            int64_t d;
            if (x > 3 && x != UINT64_MAX && selfridge_d_baseline(x, &d) && d > -LUCAS_MAX_D && d < LUCAS_MAX_D) {
                values[count] = x;
                d_values[count] = (uint64_t)d;
                must_pass[count++] = 0;
            }
            if (count == CHUNK)
                break;
        }
        check_lucas_ladder(values, d_values, must_pass, count, 0);
        /* The values whose D is 5 through the Q = -1 V ladder too. */
        static uint64_t fives[CHUNK], fives_d[CHUNK];
        static int8_t fives_must_pass[CHUNK];
        size_t n_fives = 0;
        for (size_t at = 0; at < count; at++)
            if ((int64_t)d_values[at] == 5) {
                fives_must_pass[n_fives] = must_pass[at];
                fives_d[n_fives] = 5;
                fives[n_fives++] = values[at];
            }
        check_lucas_ladder(fives, fives_d, fives_must_pass, n_fives, 1);
        if (done >= n)
            break;
        listed = 0; /* the listed values once */
    }
    return 0;
}

/* Tails and alignment: every count 0..70 and around the batch size, at every
 * element offset 0..15 from a 64-byte boundary; bytes of the result past
 * count stay untouched. */
static int shapes(void)
{
    enum { MAX = 3 * BATCH + 80, GUARD = 64 };
    static uint32_t a32[MAX + 16] __attribute__((aligned(64)));
    static uint64_t a64[MAX + 16] __attribute__((aligned(64)));
    static uint8_t r1[MAX + GUARD], r2[MAX + GUARD];
    uint64_t seed = 12345;
    for (size_t k = 0; k < MAX + 16; k++) {
        uint64_t r = splitmix(&seed);
        /* A mix of small values, primes-rich odd values and any. */
        a32[k] = (k % 3 == 0) ? (uint32_t)(r % 200000) : (uint32_t)(r >> 32) | 1u;
        a64[k] = (k % 4 == 0) ? (r % 200000) : (k % 4 == 1) ? (r >> 32) | 1u : r | 1u;
    }
    size_t counts[71 + 9];
    size_t n_counts = 0;
    for (size_t c = 0; c <= 70; c++)
        counts[n_counts++] = c;
    static const size_t extra[] = {BATCH - 1, BATCH, BATCH + 1, 2 * BATCH - 7, 2 * BATCH, 2 * BATCH + 9,
                                   3 * BATCH + 63, 3 * BATCH + 64, 3 * BATCH + 65};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        counts[n_counts++] = extra[i];
    for (size_t ci = 0; ci < n_counts; ci++) {
        size_t c = counts[ci];
        for (size_t off = 0; off < 16; off++) {
            memset(r1, 0xa5, sizeof r1);
            memset(r2, 0x5a, sizeof r2);
            classify_u32_avx512(a32 + off, c, r1);
            classify_u32_baseline(a32 + off, c, r2);
            for (size_t k = 0; k < c; k++) {
                checks++;
                if (r1[k] != r2[k])
                    fail("shapes u32", a32[off + k], r1[k], r2[k]);
            }
            for (size_t k = c; k < c + GUARD; k++) {
                checks++;
                if (r1[k] != 0xa5)
                    fail("shapes u32: a byte past count was written", c, r1[k], 0xa5);
            }
            memset(r1, 0xa5, sizeof r1);
            classify_u64_avx512(a64 + off, c, r1);
            classify_u64_baseline(a64 + off, c, r2);
            for (size_t k = 0; k < c; k++) {
                checks++;
                if (r1[k] != r2[k])
                    fail("shapes u64", a64[off + k], r1[k], r2[k]);
            }
            for (size_t k = c; k < c + GUARD; k++) {
                checks++;
                if (r1[k] != 0xa5)
                    fail("shapes u64: a byte past count was written", c, r1[k], 0xa5);
            }
        }
    }
    /* NULL with a count of 0 is allowed. */
    classify_u32_avx512(NULL, 0, r1);
    classify_u64_avx512(NULL, 0, r1);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s u32-range LO HI [PI] | u32-sample N SEED | u64-file PATH | "
                        "u64-sample N SEED | sprp N SEED PATH | lucas N SEED PATH LPSP | shapes\n", argv[0]);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *check = argv[1];
    if (!strcmp(check, "u32-range") && argc >= 4)
        u32_range(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0), argc > 4 ? strtoll(argv[4], NULL, 0) : -1);
    else if (!strcmp(check, "u32-sample") && argc == 4)
        u32_sample(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0));
    else if (!strcmp(check, "u64-file") && argc == 3)
        u64_file(argv[2]);
    else if (!strcmp(check, "u64-sample") && argc == 4)
        u64_sample(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0));
    else if (!strcmp(check, "sprp") && argc == 5)
        sprp(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0), argv[4]);
    else if (!strcmp(check, "lucas") && argc == 6)
        lucas(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0), argv[4], argv[5]);
    else if (!strcmp(check, "shapes") && argc == 2)
        shapes();
    else {
        fprintf(stderr, "unknown check or wrong arguments: %s\n", check);
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return report(check, (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
}
