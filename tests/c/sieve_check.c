/* SPDX-License-Identifier: MIT */
/*
 * sieve_check.c -- checks the segmented sieve engine (src_c/sieve_segmented.c)
 * against known values and an independent method.  From the repository root:
 *
 *   gcc -O2 -std=c11 -D_GNU_SOURCE -Isrc_c -Itests/c src_c/sieve_segmented.c \
 *       src_c/test_baseline.c src_c/tables.c tests/c/sieve_check.c -o build/sieve_check -pthread
 *   build/sieve_check            # quick tier: pi(x) up to 10^10, ~1-2 minutes on 2 cores
 *   build/sieve_check --slow     # also pi(10^11), pi(10^12), pi(2^k) up to 2^40
 *   build/sieve_check --fast     # a subset, heights up to 2^53 (a few minutes)
 *   build/sieve_check --pi       # only pi(x) of pi_values.json up to 1.1 x 10^12
 *   build/sieve_check --sample   # seconds: contexts, cancel, windows of 6000 up to 2^53
 *
 * Add -DWITH_PRIMESIEVE ... -lprimesieve for a second opinion from
 * primesieve's library on random windows at every height, and
 * -DPRIMES_FAULT_INJECTION for the allocation-failure loop (`--faults` runs
 * only that loop).
 *
 * What it checks:
 *  1. pi(x) from tests/data/pi_values.json (10^k, 2^k), on 2 threads;
 *  2. the window counts of tests/data/windows.json ([lo, hi), gmpy2) and
 *     tests/data/window_counts.json ([lo, hi], primesieve and gmpy2);
 *  3. windows of 10^6 at 2^31, 2^32, 2^40, 2^53, 2^62, 2^63 and below 2^64:
 *     every integer's mask bit against the per-element test (the baseline
 *     kernel of src_c/test_baseline.c, Baillie-PSW: an independent method), the count, the generated primes
 *     against the mask's positions, next/prev from the window bitmap;
 *  4. properties: random splits into pieces summing to the whole, bounds at
 *     every residue mod 30 and around segment boundaries, empty and
 *     one-value ranges, steps 1..97 and steps beyond the window, stepped
 *     masks, on every engine configuration (segment sizes down to 4 KiB, so
 *     that the buckets serve at low heights; stored or regenerated sieving
 *     primes; presieve limits), and the cancel flag.
 * Exit status 0 when everything agrees.
 */
#include "sieve_segmented.h"
#include "sieve_threads.h"
#include "test_kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef WITH_PRIMESIEVE
#include <primesieve.h>
#endif
#ifdef PRIMES_FAULT_INJECTION
void primes_fault_inject(long allocation, long thread_start);
long primes_fault_live_blocks(void);
#endif

static int failures;
static int checks;

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        checks++;                                                                           \
        if (!(cond)) {                                                                      \
            failures++;                                                                     \
            if (failures <= 30) {                                                           \
                printf("FAIL %s:%d: ", __FILE__, __LINE__);                                 \
                printf(__VA_ARGS__);                                                        \
                printf("\n");                                                               \
            }                                                                               \
        }                                                                                   \
    } while (0)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rng_state = UINT64_C(0x9e3779b97f4a7c15);
static uint64_t rnd(void) /* xorshift64*: fixed seed, deterministic */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

/* ---- reading the JSON vectors: only the integer fields are needed -------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("cannot open %s (run from the repository root)\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n)
        exit(2);
    s[n] = 0;
    fclose(f);
    return s;
}

/* The integer after the next occurrence of "key": at or after *at; returns
 * 0 when there is none, 2 for the value 2^64 (stored as 0), else 1. */
static int next_field(const char **at, const char *key, uint64_t *value)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *p = strstr(*at, pattern);
    if (!p)
        return 0;
    p += strlen(pattern);
    while (*p == ' ')
        p++;
    char *end;
    int top = strncmp(p, "18446744073709551616", 20) == 0;
    *value = top ? 0 : strtoull(p, &end, 10);
    *at = top ? p + 20 : end;
    return top ? 2 : 1;
}

/* ---- helpers --------------------------------------------------------------- */

/* The per-element test of one value: the library's portable kernel, which
 * shares nothing with the sieve. */
static int is_prime_u64(uint64_t v)
{
    uint8_t result;
    classify_u64_baseline(&v, 1, &result);
    return result;
}

static struct segsieve_context *make_ctx(uint64_t max_last, const struct segsieve_options *opt)
{
    struct segsieve_context *ctx;
    int status = segsieve_context_create(max_last, opt, NULL, &ctx);
    if (status != PRIMES_OK) {
        printf("context: status %d\n", status);
        exit(2);
    }
    return ctx;
}

static uint64_t count1(struct segsieve_worker *w, uint64_t first, uint64_t last)
{
    uint64_t c = UINT64_MAX;
    int status = segsieve_count(w, first, last, &c);
    CHECK(status == PRIMES_OK, "count [%llu, %llu]: status %d", (unsigned long long)first,
          (unsigned long long)last, status);
    return c;
}

static uint64_t reference_count(uint64_t first, uint64_t last)
{
    uint64_t c = 0;
    for (uint64_t v = first;; v++) {
        c += (uint64_t)is_prime_u64(v);
        if (v == last)
            break;
    }
    return c;
}

/* ---- 1, 2: known values ---------------------------------------------------- */

static void check_known_pi(int slow)
{
    char *text = slurp("tests/data/pi_values.json");
    uint64_t limit = slow ? UINT64_C(1100000000000) : UINT64_C(10000000000);
    struct segsieve_context *ctx = make_ctx(limit, NULL);
    const char *at = text;
    uint64_t x, pi;
    int n = 0;
    double t = now();
    while (next_field(&at, "x", &x) && next_field(&at, "pi", &pi)) {
        if (x > limit)
            continue;
        uint64_t c;
        int status = drive_count(ctx, 0, x, 2, 0, &c);
        CHECK(status == PRIMES_OK && c == pi, "pi(%llu) = %llu, expected %llu", (unsigned long long)x,
              (unsigned long long)c, (unsigned long long)pi);
        n++;
    }
    segsieve_context_destroy(ctx);
    free(text);
    printf("known pi(x), x <= %llu: %d values (%.1f s)\n", (unsigned long long)limit, n, now() - t);
}

static void check_windows_files(void)
{
    struct segsieve_context *ctx = make_ctx(UINT64_MAX, NULL);
    struct segsieve_worker *w;
    if (segsieve_worker_create(ctx, &w) != PRIMES_OK)
        exit(2);
    double t = now();
    char *text = slurp("tests/data/windows.json");
    const char *at = text;
    uint64_t lo, hi, count;
    int n = 0, hi_kind;
    while (next_field(&at, "lo", &lo) && (hi_kind = next_field(&at, "hi", &hi)) != 0
           && next_field(&at, "count", &count)) {
        uint64_t c = count1(w, lo, hi_kind == 2 ? UINT64_MAX : hi - 1); /* [lo, hi), hi <= 2^64 */
        CHECK(c == count, "windows.json [%llu, %llu): %llu, expected %llu", (unsigned long long)lo,
              (unsigned long long)hi, (unsigned long long)c, (unsigned long long)count);
        n++;
    }
    free(text);
    text = slurp("tests/data/window_counts.json");
    at = text;
    while (next_field(&at, "lo", &lo) && next_field(&at, "hi", &hi) && next_field(&at, "prime_count", &count)) {
        uint64_t c = count1(w, lo, hi);
        CHECK(c == count, "window_counts.json [%llu, %llu]: %llu, expected %llu", (unsigned long long)lo,
              (unsigned long long)hi, (unsigned long long)c, (unsigned long long)count);
        n++;
    }
    free(text);
    segsieve_worker_destroy(w);
    segsieve_context_destroy(ctx);
    printf("window files: %d windows (%.1f s)\n", n, now() - t);
}

/* ---- 3: against the per-element test --------------------------------------- */

static void check_window_exhaustively(struct segsieve_worker *w, uint64_t first, uint64_t last)
{
    size_t n = (size_t)(last - first + 1);
    uint8_t *mask = malloc(n), *ref = malloc(n);
    uint64_t *gen = malloc(n * sizeof *gen);
    size_t bytes = segsieve_window_bytes(first, last);
    uint8_t *bits = malloc(bytes);
    if (!mask || !ref || !gen || !bits)
        exit(2);
    uint64_t expected = 0;
    for (size_t i = 0; i < n; i++) {
        ref[i] = (uint8_t)is_prime_u64(first + i);
        expected += ref[i];
    }
    int status = segsieve_mask(w, first, 1, n, mask);
    CHECK(status == PRIMES_OK, "mask status %d", status);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += mask[i] != ref[i];
    CHECK(bad == 0, "mask [%llu, %llu]: %zu elements differ from the test", (unsigned long long)first,
          (unsigned long long)last, bad);
    CHECK(count1(w, first, last) == expected, "count [%llu, %llu]", (unsigned long long)first,
          (unsigned long long)last);
    size_t written = 0;
    status = segsieve_primes_u64(w, first, last, gen, n, &written);
    CHECK(status == PRIMES_OK && written == expected, "primes: status %d, %zu of %llu", status, written,
          (unsigned long long)expected);
    size_t k = 0;
    bad = 0;
    for (size_t i = 0; i < n && k <= written; i++)
        if (mask[i]) {
            bad += k == written || gen[k] != first + i;
            k++;
        }
    CHECK(bad == 0 && k == written, "primes differ from the mask's positions");
    if (last <= UINT32_MAX) {
        uint32_t *gen32 = malloc(n * sizeof *gen32);
        size_t w32 = 0;
        status = segsieve_primes_u32(w, first, last, gen32, n, &w32);
        bad = w32 != written;
        for (size_t i = 0; i < w32 && !bad; i++)
            bad += gen32[i] != gen[i];
        CHECK(status == PRIMES_OK && !bad, "primes_u32 differ from primes_u64");
        free(gen32);
    }
    if (written > 1) {
        /* a capacity that ends in the middle: SEGSIEVE_FULL and the prefix */
        size_t cap = written / 2 + 1, w2 = 0;
        uint64_t *part = malloc(cap * sizeof *part);
        status = segsieve_primes_u64(w, first, last, part, cap, &w2);
        CHECK(status == SEGSIEVE_FULL && w2 == cap && memcmp(part, gen, cap * sizeof *part) == 0,
              "capacity %zu: status %d, written %zu", cap, status, w2);
        free(part);
    }
    status = segsieve_window(w, first, last, bits, bytes);
    CHECK(status == PRIMES_OK, "window status %d", status);
    /* The same piece read in place, segment by segment (the bucketed sieve's
     * way): the segments tile the window's bitmap, and each value's bit, found
     * through segsieve_bit_of_residue, is the test's answer (2, 3, 5 have none). */
    status = segsieve_begin(w, first, last);
    CHECK(status == PRIMES_OK, "begin status %d", status);
    uint64_t base = first - first % 30, byte, covered = 0;
    const uint8_t *seg;
    uint32_t len;
    bad = 0;
    while (status == PRIMES_OK && (status = segsieve_next(w, &byte, &seg, &len)) == PRIMES_OK && len) {
        bad += byte != covered || memcmp(seg, bits + byte, len) != 0;
        for (uint64_t j = 0; j < 30 * (uint64_t)len; j++) {
            uint64_t v = base + 30 * byte + j;
            if (v < first || v > last || v <= 5)
                continue;
            bad += ((seg[j / 30] & segsieve_bit_of_residue[j % 30]) != 0) != ref[v - first];
        }
        covered = byte + len;
    }
    CHECK(status == PRIMES_OK && covered == bytes && bad == 0, "segments in place [%llu, %llu]: status %d, %llu of %zu bytes, %zu wrong",
          (unsigned long long)first, (unsigned long long)last, status, (unsigned long long)covered, bytes, bad);
    /* next and prev from 2000 points, against the mask */
    bad = 0;
    for (int t = 0; t < 2000; t++) {
        uint64_t v = first + rnd() % n;
        uint64_t nx = segsieve_window_next(bits, first, last, v), pv = segsieve_window_prev(bits, first, last, v);
        uint64_t enx = 0, epv = 0;
        for (uint64_t u = v;; u++) {
            if (ref[u - first]) {
                enx = u;
                break;
            }
            if (u == last)
                break;
        }
        for (uint64_t u = v;; u--) {
            if (ref[u - first]) {
                epv = u;
                break;
            }
            if (u == first)
                break;
        }
        bad += nx != enx || pv != epv;
    }
    CHECK(bad == 0, "window next/prev [%llu, %llu]: %zu wrong", (unsigned long long)first,
          (unsigned long long)last, bad);
    free(mask);
    free(ref);
    free(gen);
    free(bits);
}

static void check_against_test(const struct segsieve_options *opt, const char *label, size_t size, int all)
{
    static const uint64_t starts[] = {0, UINT64_C(1) << 31, UINT64_C(1) << 32, UINT64_C(1) << 40,
                                      UINT64_C(1) << 53, UINT64_C(1) << 62, UINT64_C(1) << 63};
    double t = now();
    struct segsieve_context *ctx = make_ctx(UINT64_MAX, opt);
    struct segsieve_worker *w;
    if (segsieve_worker_create(ctx, &w) != PRIMES_OK)
        exit(2);
    /* all: every height, else up to 2^53 (the others cost a second a call) */
    for (size_t i = 0; i < sizeof starts / sizeof starts[0] && (all || i < 5); i++) {
        check_window_exhaustively(w, starts[i], starts[i] + size - 1);
        if (starts[i] && starts[i] <= UINT64_C(1) << 53)
            check_window_exhaustively(w, starts[i] - size / 2, starts[i] + size / 2 - 1);
    }
    if (all)
        check_window_exhaustively(w, UINT64_MAX - size + 1, UINT64_MAX); /* just below 2^64 */
    segsieve_worker_destroy(w);
    segsieve_context_destroy(ctx);
    printf("per-element test, windows of %zu at 0, 2^31, 2^32, 2^40, 2^53%s [%s]: (%.1f s)\n", size,
           all ? ", 2^62, 2^63, below 2^64" : "", label, now() - t);
}

/* ---- 4: properties --------------------------------------------------------- */

/* A window near 2^64 costs about a second per call (pi(2^32) sieving primes
 * to place), so the exhaustive property loops run at heights up to 2^44 and
 * the windows higher up get a few calls each (check_high). */
static void check_properties(const struct segsieve_options *opt, const char *label)
{
    double t = now();
    static const uint64_t heights[] = {0, 1000, UINT64_C(1) << 32, UINT64_C(1) << 36, UINT64_C(1) << 44};
    for (size_t h = 0; h < sizeof heights / sizeof heights[0]; h++) {
        struct segsieve_context *probe = make_ctx(1, opt);
        uint64_t seg_span = 30 * (uint64_t)segsieve_segment_bytes(probe);
        segsieve_context_destroy(probe);
        uint64_t base = heights[h] - heights[h] % 30;
        /* a reference over three segments and a bit (at most 600000 integers) */
        uint64_t span = 3 * seg_span + 1000 < 600000 ? 3 * seg_span + 1000 : 600000;
        size_t n = (size_t)span + 1;
        struct segsieve_context *ctx = make_ctx(base + span, opt);
        struct segsieve_worker *w;
        if (segsieve_worker_create(ctx, &w) != PRIMES_OK)
            exit(2);
        uint8_t *ref = malloc(n);
        uint64_t *prefix = malloc((n + 1) * sizeof *prefix);
        prefix[0] = 0;
        for (size_t i = 0; i < n; i++) {
            ref[i] = (uint8_t)is_prime_u64(base + i);
            prefix[i + 1] = prefix[i] + ref[i];
        }
#define REF_COUNT(lo, hi) (prefix[(hi) - base + 1] - prefix[(lo) - base])
        /* every residue mod 30 for both ends, small widths */
        size_t bad = 0;
        for (uint64_t i = 0; i < 60; i++)
            for (uint64_t j = i; j < i + 90 && j < n; j += 1 + i % 7) {
                uint64_t c = count1(w, base + i, base + j);
                bad += c != REF_COUNT(base + i, base + j);
            }
        /* the empty range and single values */
        uint64_t c = 1;
        CHECK(segsieve_count(w, base + 5, base + 4, &c) == PRIMES_OK && c == 0, "empty range");
        for (uint64_t i = 0; i < 100 && i < n; i++)
            bad += count1(w, base + i, base + i) != ref[i];
        /* ends around segment boundaries */
        for (uint64_t k = 1; k <= 3 && k * seg_span + 40 < n; k++)
            for (uint64_t d = 0; d < 40; d++) {
                uint64_t hi = base + k * seg_span - 20 + d;
                bad += count1(w, base + d % 31, hi) != REF_COUNT(base + d % 31, hi);
                bad += count1(w, hi, base + n - 1) != REF_COUNT(hi, base + n - 1);
            }
        CHECK(bad == 0, "height %llu: %zu bound errors", (unsigned long long)heights[h], bad);
        /* random splits into pieces that sum to the whole */
        uint64_t whole = count1(w, base, base + n - 1);
        CHECK(whole == prefix[n], "height %llu: whole %llu vs %llu", (unsigned long long)heights[h],
              (unsigned long long)whole, (unsigned long long)prefix[n]);
        for (int trial = 0; trial < 5; trial++) {
            uint64_t lo = base, sum = 0;
            while (lo <= base + n - 1) {
                uint64_t len = rnd() % (n / 3 + 2);
                uint64_t hi = len > base + n - 1 - lo ? base + n - 1 : lo + len;
                sum += count1(w, lo, hi);
                if (hi == base + n - 1)
                    break;
                lo = hi + 1;
            }
            CHECK(sum == whole, "height %llu: split sum %llu vs %llu", (unsigned long long)heights[h],
                  (unsigned long long)sum, (unsigned long long)whole);
        }
        /* steps, against the reference */
        bad = 0;
        uint8_t *mask = malloc(n);
        for (uint64_t step = 1; step <= 97; step += 1 + step / 16) {
            for (int trial = 0; trial < 3; trial++) {
                uint64_t lo = base + rnd() % 64;
                uint64_t count_n = (n - 1 - (lo - base)) / step + 1;
                if (trial == 1)
                    count_n = 1 + rnd() % count_n;
                uint64_t expected = 0;
                for (uint64_t j = 0; j < count_n; j++)
                    expected += ref[lo - base + j * step];
                uint64_t got = UINT64_MAX;
                int status = segsieve_count_step(w, lo, step, count_n, &got);
                bad += status != PRIMES_OK || got != expected;
                status = segsieve_mask(w, lo, step, (size_t)count_n, mask);
                size_t diff = status != PRIMES_OK;
                for (uint64_t j = 0; j < count_n; j++)
                    diff += mask[j] != ref[lo - base + j * step];
                bad += diff;
            }
        }
        /* a step larger than the window: one element */
        for (uint64_t i = 0; i < 50 && i < n; i++) {
            uint64_t got;
            int status = segsieve_count_step(w, base + i, UINT64_C(1) << 40, 1, &got);
            bad += status != PRIMES_OK || got != ref[i];
        }
        CHECK(bad == 0, "height %llu: %zu step errors", (unsigned long long)heights[h], bad);
        free(mask);
        free(ref);
        free(prefix);
        uint64_t got;
        CHECK(segsieve_count(w, base, base + span + 1, &got) == PRIMES_EINVAL, "past max_last");
        segsieve_worker_destroy(w);
        segsieve_context_destroy(ctx);
    }
    printf("properties [%s] (%.1f s)\n", label, now() - t);
}

/* Heights where every call places 10^8 sieving primes or more: a few calls
 * each, and the steps and the preconditions. */
static void check_high(void)
{
    double t = now();
    struct segsieve_context *ctx = make_ctx(UINT64_MAX, NULL);
    struct segsieve_worker *w;
    if (segsieve_worker_create(ctx, &w) != PRIMES_OK)
        exit(2);
    uint64_t seg_span = 30 * (uint64_t)segsieve_segment_bytes(ctx);
    static const uint64_t heights[] = {UINT64_C(1) << 58, UINT64_MAX - 300000};
    for (size_t h = 0; h < 2; h++) {
        uint64_t first = heights[h] + 7, last = first + 300000 - 1;
        if (last < first)
            last = UINT64_MAX;
        uint64_t whole = count1(w, first, last), expected = reference_count(first, last);
        uint64_t a = count1(w, first, first + 100002), b = count1(w, first + 100003, last);
        CHECK(whole == expected && a + b == whole, "height %llu: %llu, %llu + %llu, expected %llu",
              (unsigned long long)heights[h], (unsigned long long)whole, (unsigned long long)a,
              (unsigned long long)b, (unsigned long long)expected);
        uint64_t n = (last - first) / 7 + 1, got = 0, exp7 = 0;
        for (uint64_t j = 0; j < n; j++)
            exp7 += (uint64_t)is_prime_u64(first + 7 * j);
        CHECK(segsieve_count_step(w, first, 7, n, &got) == PRIMES_OK && got == exp7, "step 7 at height %llu",
              (unsigned long long)heights[h]);
    }
    /* steps far apart: elements in different segments, against the test */
    size_t bad = 0;
    for (int trial = 0; trial < 40; trial++) {
        uint64_t first = rnd() >> (trial % 40 + 20), step = 1 + rnd() % (3 * seg_span);
        uint64_t n = 1 + rnd() % 50;
        if (first > UINT64_MAX - (n - 1) * step)
            first = UINT64_MAX - (n - 1) * step;
        uint64_t expected = 0, got = UINT64_MAX;
        for (uint64_t j = 0; j < n; j++)
            expected += (uint64_t)is_prime_u64(first + j * step);
        if ((n - 1) * step + first < (UINT64_C(1) << 46) || (n - 1) * step < UINT64_C(100000000)) {
            int status = segsieve_count_step(w, first, step, n, &got);
            bad += status != PRIMES_OK || got != expected;
        }
        if (trial == 20 && now() - t > 60) /* a loaded machine: enough */
            break;
    }
    CHECK(bad == 0, "%zu wide-step errors", bad);
    /* the top of the range */
    uint64_t top = count1(w, UINT64_MAX - 58, UINT64_MAX);
    CHECK(top == 1, "primes in [2^64 - 59, 2^64 - 1]: %llu (only 2^64 - 59)", (unsigned long long)top);
    /* preconditions */
    uint64_t got;
    CHECK(segsieve_count_step(w, 10, 0, 5, &got) == PRIMES_EINVAL, "step 0");
    CHECK(segsieve_count_step(w, UINT64_MAX - 5, 3, 3, &got) == PRIMES_EINVAL, "past 2^64");
    segsieve_worker_destroy(w);
    segsieve_context_destroy(ctx);
    printf("high windows, steps, top of the range (%.1f s)\n", now() - t);
}

static void check_small_context(void)
{
    /* contexts made for a small max_last, where sqrt(max_last) is tiny */
    size_t bad = 0;
    for (uint64_t max = 0; max < 2000; max += (max < 200 ? 1 : 37)) {
        struct segsieve_context *ctx = make_ctx(max, NULL);
        struct segsieve_worker *w;
        if (segsieve_worker_create(ctx, &w) != PRIMES_OK)
            exit(2);
        for (uint64_t lo = 0; lo <= max; lo += 1 + lo / 7)
            bad += count1(w, lo, max) != reference_count(lo, max);
        uint64_t c;
        bad += segsieve_count(w, 0, max + 1, &c) != PRIMES_EINVAL;
        segsieve_worker_destroy(w);
        segsieve_context_destroy(ctx);
    }
    CHECK(bad == 0, "small contexts: %zu errors", bad);
    printf("small contexts\n");
}

static void check_cancel(void)
{
    int flag = 1;
    struct segsieve_context *ctx;
    /* a context that stores its primes sieves at creation, and stops */
    int status = segsieve_context_create(UINT64_C(1) << 40, NULL, &flag, &ctx);
    CHECK(status == PRIMES_ECANCELLED, "cancelled context: %d", status);
    struct segsieve_options regenerate = {.store_primes = -1};
    status = segsieve_context_create(UINT64_C(1) << 40, &regenerate, &flag, &ctx);
    CHECK(status == PRIMES_OK, "context without stored primes: %d", status);
    if (status != PRIMES_OK)
        return;
    struct segsieve_worker *w;
    uint64_t c;
    if (segsieve_worker_create(ctx, &w) != PRIMES_OK)
        exit(2);
    CHECK(segsieve_count(w, 0, UINT64_C(1) << 30, &c) == PRIMES_ECANCELLED, "cancel flag ignored");
    flag = 0;
    CHECK(segsieve_count(w, 0, 1000000, &c) == PRIMES_OK && c == 78498, "after cancel");
    segsieve_worker_destroy(w);
    segsieve_context_destroy(ctx);
    printf("cancel flag\n");
}

static void check_threads(void)
{
    /* the same count on 1, 2, 3 threads with pieces of every size */
    struct segsieve_options opt = {.segment_bytes = 1 << 14};
    struct segsieve_context *ctx = make_ctx(UINT64_C(1) << 50, &opt);
    uint64_t first = (UINT64_C(1) << 50) - 300000000, last = UINT64_C(1) << 50, one, c;
    CHECK(drive_count(ctx, first, last, 1, 0, &one) == PRIMES_OK, "drive");
    for (int t = 2; t <= 3; t++)
        for (uint64_t piece = 10000000; piece <= 100000000; piece *= 10) {
            CHECK(drive_count(ctx, first, last, t, piece + (uint64_t)t, &c) == PRIMES_OK && c == one,
                  "threads %d piece %llu: %llu vs %llu", t, (unsigned long long)piece, (unsigned long long)c,
                  (unsigned long long)one);
        }
    segsieve_context_destroy(ctx);
    printf("threads and pieces (%llu primes below 2^50 in the last 3e8)\n", (unsigned long long)one);
}

#ifdef WITH_PRIMESIEVE
static void check_primesieve(int slow)
{
    double t = now();
    struct segsieve_context *ctx = make_ctx(UINT64_MAX, NULL);
    struct segsieve_worker *w;
    if (segsieve_worker_create(ctx, &w) != PRIMES_OK)
        exit(2);
    int n = 0;
    for (int trial = 0; trial < (slow ? 60 : 24); trial++) {
        int shift = trial % 30; /* heights 2^64 / 2^shift */
        uint64_t first = rnd() >> shift, width = 1 + rnd() % (shift > 20 ? 30000000 : 3000000);
        if (first > UINT64_MAX - width)
            first = UINT64_MAX - width;
        uint64_t mine = count1(w, first, first + width);
        uint64_t theirs = primesieve_count_primes(first, first + width);
        CHECK(mine == theirs, "[%llu, +%llu]: %llu, primesieve %llu", (unsigned long long)first,
              (unsigned long long)width, (unsigned long long)mine, (unsigned long long)theirs);
        n++;
    }
    /* generation against primesieve's on a window near 2^63 */
    size_t theirs_n;
    uint64_t lo = (UINT64_C(1) << 63) - 5000000, hi = (UINT64_C(1) << 63) + 5000000;
    uint64_t *theirs = primesieve_generate_primes(lo, hi, &theirs_n, UINT64_PRIMES);
    uint64_t *mine = malloc((theirs_n + 1) * sizeof *mine);
    size_t mine_n;
    int status = segsieve_primes_u64(w, lo, hi, mine, theirs_n + 1, &mine_n);
    CHECK(status == PRIMES_OK && mine_n == theirs_n && memcmp(mine, theirs, mine_n * 8) == 0,
          "generation near 2^63 differs from primesieve");
    free(mine);
    primesieve_free(theirs);
    segsieve_worker_destroy(w);
    segsieve_context_destroy(ctx);
    printf("primesieve: %d random windows and one generated window agree (%.1f s)\n", n + 1, now() - t);
}
#endif

#ifdef PRIMES_FAULT_INJECTION
static int fault_run(void)
{
    struct segsieve_options opt = {.segment_bytes = 1 << 12, .store_primes = -1};
    struct segsieve_context *ctx;
    int status = segsieve_context_create(UINT64_C(1) << 44, &opt, NULL, &ctx);
    if (status != PRIMES_OK)
        return status;
    struct segsieve_worker *w;
    status = segsieve_worker_create(ctx, &w);
    if (status == PRIMES_OK) {
        uint64_t c;
        status = segsieve_count(w, (UINT64_C(1) << 44) - 3000000, UINT64_C(1) << 44, &c);
        if (status == PRIMES_OK)
            CHECK(c == reference_count((UINT64_C(1) << 44) - 3000000, UINT64_C(1) << 44), "fault run count");
        segsieve_worker_destroy(w);
    }
    segsieve_context_destroy(ctx);
    return status;
}

static void check_faults(void)
{
    int n;
    for (n = 1;; n++) {
        primes_fault_inject(n, -1);
        int status = fault_run();
        primes_fault_inject(-1, -1);
        CHECK(status == PRIMES_OK || status == PRIMES_ENOMEM, "allocation %d: status %d", n, status);
        CHECK(primes_fault_live_blocks() == 0, "allocation %d: %ld blocks leaked", n, primes_fault_live_blocks());
        if (status == PRIMES_OK)
            break;
    }
    printf("fault injection: each of the first %d allocations failed in turn, no leak\n", n - 1);
}
#endif

int main(int argc, char **argv)
{
    int slow = argc > 1 && strcmp(argv[1], "--slow") == 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    double t = now();
#ifdef PRIMES_FAULT_INJECTION
    if (argc > 1 && strcmp(argv[1], "--faults") == 0) { /* only the allocation-failure loop */
        check_faults();
        printf("%d checks, %d failures (%.1f s)\n", checks, failures, now() - t);
        return failures != 0;
    }
#endif
    if (argc > 1 && strcmp(argv[1], "--pi") == 0) { /* only pi(x), up to 1.1 x 10^12 */
        check_known_pi(1);
        printf("%d checks, %d failures (%.1f s)\n", checks, failures, now() - t);
        return failures != 0;
    }
    check_small_context();
    check_cancel();
    if (argc > 1 && strcmp(argv[1], "--sample") == 0) { /* seconds: the quick tier's */
        check_against_test(NULL, "defaults", 6000, 0);
        printf("%d checks, %d failures (%.1f s)\n", checks, failures, now() - t);
        return failures != 0;
    }
    if (argc > 1 && strcmp(argv[1], "--fast") == 0) { /* a few minutes: low heights only */
        struct segsieve_options small_segments = {.segment_bytes = 1 << 12};
        check_properties(NULL, "defaults");
        check_properties(&small_segments, "4 KiB segments");
        check_against_test(NULL, "defaults", 200000, 0);
        printf("%d checks, %d failures (%.1f s)\n", checks, failures, now() - t);
        return failures != 0;
    }
    struct segsieve_options tiny_segments = {.segment_bytes = 1 << 12};
    struct segsieve_options regenerate = {.store_primes = -1};
    struct segsieve_options store = {.store_primes = 1, .segment_bytes = 1 << 16, .presieve_max = 13};
    struct segsieve_options mid = {.segment_bytes = 1 << 15, .presieve_max = 53, .l1_bytes = 8192};
    /* l1_bytes of at least the segment: the small primes cross each segment whole */
    struct segsieve_options whole = {.segment_bytes = 1 << 18, .l1_bytes = 1 << 18};
    check_properties(NULL, "defaults");
    check_properties(&whole, "256 KiB segments crossed whole");
    check_properties(&tiny_segments, "4 KiB segments");
    check_properties(&store, "64 KiB segments, stored primes, presieve to 13");
    check_properties(&mid, "32 KiB segments, 8 KiB chunks, presieve to 53");
    check_against_test(NULL, "defaults", 1000000, 1);
    check_against_test(&tiny_segments, "4 KiB segments", 200000, 0);
    check_against_test(&regenerate, "regenerated primes", 200000, 0);
    check_against_test(&whole, "256 KiB segments crossed whole", 200000, 0);
    check_high();
    check_windows_files();
    check_threads();
    check_known_pi(slow);
#ifdef WITH_PRIMESIEVE
    check_primesieve(slow);
#endif
#ifdef PRIMES_FAULT_INJECTION
    check_faults();
#endif
    printf("%d checks, %d failures (%.1f s)\n", checks, failures, now() - t);
    return failures != 0;
}
