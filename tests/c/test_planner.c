/* SPDX-License-Identifier: MIT */
/*
 * test_planner.c -- every decision of the planner (src_c/plan.h), called
 * directly, against what src_c/README.md ("The planner", "Threads") says.
 *
 *   cc -std=c11 -Isrc_c tests/c/test_planner.c src_c/plan.c src_c/tables.c -o test_planner
 *   ./test_planner
 *
 * Prints one line per failed check and a last line "planner: N checks, F
 * failed"; the exit status is 0 when none failed.  tests/test_c_units.py
 * builds and runs it.
 */
#include "check.h"
#include "config.h"
#include "plan.h"
#include "primes.h"

static struct plan plan_of(size_t n, int threads, int method)
{
    struct plan_facts f = {.n = n, .threads = threads, .method = method};
    return plan_make(&f);
}

/* The plan once the first chunk's min and max are known. */
static struct plan after_first_chunk(size_t n, int threads, int method, uint64_t min, uint64_t max)
{
    struct plan_facts f = {.n = n, .threads = threads, .method = method, .have_first_chunk = 1,
                           .first_min = min, .first_max = max};
    return plan_make(&f);
}

/* The plan once the pass over all values has also run. */
static struct plan after_scan(size_t n, int threads, int method, uint64_t first_min, uint64_t first_max,
                              uint64_t min, uint64_t max, size_t count)
{
    struct plan_facts f = {.n = n, .threads = threads, .method = method, .have_first_chunk = 1,
                           .first_min = first_min, .first_max = first_max, .have_scan = 1,
                           .scan = {.min = min, .max = max, .count = count}};
    return plan_make(&f);
}

/* The same, for a call whose values of 2^32 and above also were scanned
 * (first_min .. first_max the first chunk, lmin .. lmax the large values). */
static struct plan after_scan_large(size_t n, int threads, int method, uint64_t first_min, uint64_t first_max,
                                    uint64_t lmin, uint64_t lmax, size_t lcount)
{
    struct plan_facts f = {.n = n, .threads = threads, .method = method, .have_first_chunk = 1,
                           .first_min = first_min, .first_max = first_max, .have_scan = 1,
                           .scan = {.min = UINT64_MAX, .max = 0, .count = 0},
                           .scan_large = {.min = lmin, .max = lmax, .count = lcount}};
    return plan_make(&f);
}

static void small_inputs_are_tested_on_the_caller(void)
{
    for (int method = PRIMES_METHOD_AUTO; method <= PRIMES_METHOD_TEST; method++) {
        for (size_t n = 0; n < 4096; n += 455) {
            struct plan p = plan_of(n, 8, method);
            CHECK(p.path == PLAN_TEST_ON_CALLER && p.threads == 1);
        }
        CHECK(plan_of(4095, 8, method).path == PLAN_TEST_ON_CALLER);
        CHECK(plan_of(4096, 8, method).path != PLAN_TEST_ON_CALLER);
    }
    /* The forced test on one thread needs no planning at any size. */
    CHECK(plan_of(100000000, 1, PRIMES_METHOD_TEST).path == PLAN_TEST_ON_CALLER);
    CHECK(plan_of(100000000, 2, PRIMES_METHOD_TEST).path == PLAN_TEST);
    CHECK(plan_of(100000000, 1, PRIMES_METHOD_AUTO).path == PLAN_NEED_FIRST_CHUNK);
}

static void threads_are_capped_by_the_work_and_the_limit(void)
{
    /* One thread per PRIMES_MIN_ELEMENTS_PER_THREAD elements, at least one. */
    CHECK(plan_of(4096, 8, PRIMES_METHOD_AUTO).threads == 1);
    CHECK(plan_of(32767, 8, PRIMES_METHOD_AUTO).threads == 1);
    CHECK(plan_of(65535, 8, PRIMES_METHOD_AUTO).threads == 1);
    CHECK(plan_of(65536, 8, PRIMES_METHOD_AUTO).threads == 2);
    CHECK(plan_of(1000000, 64, PRIMES_METHOD_AUTO).threads == 30); /* 10^6 / 32768 */
    CHECK(plan_of(1000000, 4, PRIMES_METHOD_TEST).threads == 4);
    CHECK(plan_of(1000000, 1, PRIMES_METHOD_AUTO).threads == 1);
    /* Never more than PRIMES_MAX_THREADS, whatever is asked. */
    CHECK(plan_of((size_t)1 << 40, 1 << 30, PRIMES_METHOD_AUTO).threads == PRIMES_MAX_THREADS);
    CHECK(plan_of((size_t)1 << 40, PRIMES_MAX_THREADS + 1, PRIMES_METHOD_TEST).threads == PRIMES_MAX_THREADS);
    CHECK(plan_of((size_t)1 << 40, 3, PRIMES_METHOD_AUTO).threads == 3);
}

static void chunks_hold_about_32_per_thread_within_bounds(void)
{
    CHECK(plan_of(10000, 4, PRIMES_METHOD_AUTO).chunk == CHUNK_MIN);
    CHECK(plan_of(1000000, 1, PRIMES_METHOD_AUTO).chunk == 31250); /* 10^6 / 32 */
    CHECK(plan_of(1000000, 2, PRIMES_METHOD_AUTO).chunk == 15625);
    CHECK(plan_of(100000000, 2, PRIMES_METHOD_AUTO).chunk == CHUNK_MAX);
    CHECK(plan_of(100000000, 1024, PRIMES_METHOD_AUTO).chunk == CHUNK_MIN);
    /* Rounds of planning never change the threads or the chunk. */
    struct plan first = plan_of(5000000, 2, PRIMES_METHOD_AUTO);
    struct plan later = after_scan(5000000, 2, PRIMES_METHOD_AUTO, 0, UINT32_MAX, 0, 5000000, 5000000);
    CHECK(first.threads == later.threads && first.chunk == later.chunk);
}

static void locally_dense_input_is_planned_per_chunk(void)
{
    /* np.arange(10^6): the first chunk spans less than a window. */
    CHECK(after_first_chunk(1000000, 2, PRIMES_METHOD_AUTO, 0, 15624).path == PLAN_PER_CHUNK);
    CHECK(after_first_chunk(1000000, 2, PRIMES_METHOD_SIEVE, 0, 15624).path == PLAN_PER_CHUNK);
    CHECK(after_first_chunk(1000000, 2, PRIMES_METHOD_AUTO, 1000, 1000 + WINDOW_SPAN - 2).path
          == PLAN_PER_CHUNK);
    /* Wider than a window: the pass over all values first. */
    CHECK(after_first_chunk(1000000, 2, PRIMES_METHOD_AUTO, 1000, 1000 + WINDOW_SPAN - 1).path == PLAN_SCAN);
    /* Locally dense above 2^32 too (each chunk will then choose the test). */
    CHECK(after_first_chunk(1000000, 2, PRIMES_METHOD_AUTO, UINT64_C(1) << 40, (UINT64_C(1) << 40) + 9).path
          == PLAN_PER_CHUNK);
}

static void dense_unordered_input_below_2_32_is_bucketed(void)
{
    /* A shuffled range 2*10^6 .. 2.3*10^6: the first chunk is wide, the pass
     * finds 300000 values in a span of 300000. */
    CHECK(after_first_chunk(300000, 2, PRIMES_METHOD_AUTO, 2000003, 2299990).path == PLAN_SCAN);
    CHECK(after_scan(300000, 2, PRIMES_METHOD_AUTO, 2000003, 2299990, 2000000, 2299999, 300000).path
          == PLAN_BUCKETED);
    /* ... also with values above 2^32 mixed in (they are tested). */
    CHECK(after_scan(202000, 2, PRIMES_METHOD_AUTO, 1000000, UINT64_MAX, 1000000, 1199999, 200000).path
          == PLAN_BUCKETED);
    /* The cost model: 0.6 ns x span + 6 ns x elements against 12 ns x elements,
     * so bucketed while span < 10 x elements. */
    CHECK(after_scan(100000, 2, PRIMES_METHOD_AUTO, 0, 1 << 24, 1 << 20, (1 << 20) + 999998, 100000).path
          == PLAN_BUCKETED);
    CHECK(after_scan(100000, 2, PRIMES_METHOD_AUTO, 0, 1 << 24, 1 << 20, (1 << 20) + 1000001, 100000).path
          == PLAN_PER_CHUNK);
    /* Sparse (random 31-bit values): the test, chunk by chunk, and with no
     * pass when the first chunk's span already rules the sieve out (in
     * auto mode; the forced sieve decides after the pass) ... */
    CHECK(after_first_chunk(160000, 2, PRIMES_METHOD_AUTO, 5, INT32_MAX - 3).path == PLAN_PER_CHUNK);
    CHECK(after_first_chunk(160000, 2, PRIMES_METHOD_SIEVE, 5, INT32_MAX - 3).path == PLAN_SCAN);
    /* ... but a pass when the span might still pay (10^6 values in a first
     * span of 2 10^6) */
    CHECK(after_first_chunk(1000000, 2, PRIMES_METHOD_AUTO, 3000000, 5000000).path == PLAN_SCAN);
    CHECK(after_scan(160000, 2, PRIMES_METHOD_AUTO, 0, INT32_MAX, 5, INT32_MAX - 3, 160000).path
          == PLAN_PER_CHUNK);
    /* Everything below 2^16 (the bit table answers) or nothing below 2^32. */
    CHECK(after_scan(100000, 2, PRIMES_METHOD_AUTO, 0, 65535, 0, 65535, 100000).path == PLAN_PER_CHUNK);
    CHECK(after_scan(100000, 2, PRIMES_METHOD_SIEVE, 0, 65535, 0, 65535, 100000).path == PLAN_PER_CHUNK);
    CHECK(after_scan(100000, 2, PRIMES_METHOD_SIEVE, 0, UINT64_MAX, UINT64_MAX, 0, 0).path == PLAN_PER_CHUNK);
}

static void wide_64_bit_input_is_tested(void)
{
    /* A first chunk all above 2^32 skips the pass in auto mode ... */
    CHECK(after_first_chunk(160000, 2, PRIMES_METHOD_AUTO, UINT64_C(1) << 32, UINT64_MAX).path
          == PLAN_PER_CHUNK);
    /* ... and every such chunk is tested. */
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 20000, UINT64_C(1) << 33, UINT64_MAX, 0, 1) == CHUNK_TEST);
    CHECK(plan_chunk(PRIMES_METHOD_SIEVE, 20000, UINT64_C(1) << 33, UINT64_MAX, 0, 1) == CHUNK_TEST);
    /* A window that reaches 2^32 is never sieved. */
    CHECK(plan_chunk(PRIMES_METHOD_SIEVE, 20000, (UINT64_C(1) << 32) - 100, UINT64_C(1) << 32, 1, 1)
          == CHUNK_TEST);
    CHECK(plan_chunk(PRIMES_METHOD_SIEVE, 20000, (UINT64_C(1) << 32) - 100, (UINT64_C(1) << 32) - 1, 1, 1)
          == CHUNK_WINDOW_RUN);
    /* One value below 2^32 in the first chunk: the pass runs (it may be rare). */
    CHECK(after_first_chunk(160000, 2, PRIMES_METHOD_AUTO, 7, UINT64_MAX).path == PLAN_SCAN);
}

/* Dense unordered values of 2^32 and above: the segmented sieve's segments
 * of their span, when the sieving primes (pi(sqrt(max)) x 10 ns) and the
 * span at its height cost less than testing the elements (60 ns each). */
/* The faster kernels price the test lower, so dense shuffled input below
 * 2^32 is tested at avx2 and avx512 (where testing beats grouping by
 * segment), bucketed at the baseline; above 2^32 too the avx512 test (11 ns
 * an element) beats grouping 8-byte values by segment (14 ns), while the
 * baseline's (60 ns) does not. */
static void the_kernel_level_prices_the_test(void)
{
    for (int level = PRIMES_CPU_BASELINE; level <= PRIMES_CPU_AVX512; level++) {
        struct plan_facts f = {.n = 300000, .threads = 2, .method = PRIMES_METHOD_AUTO, .have_first_chunk = 1,
                               .first_min = 2000003, .first_max = 2299990, .have_scan = 1,
                               .scan = {.min = 2000000, .max = 2299999, .count = 300000},
                               .scan_large = {.min = UINT64_MAX, .max = 0, .count = 0}, .kernel_level = level};
        struct plan p = plan_make(&f);
        CHECK(level == PRIMES_CPU_BASELINE ? p.path == PLAN_BUCKETED && p.bucket_small
                                           : p.path == PLAN_PER_CHUNK && !p.bucket_small);
        /* The forced sieve buckets at every level (far below 8 x the test). */
        f.method = PRIMES_METHOD_SIEVE;
        p = plan_make(&f);
        CHECK(p.path == PLAN_BUCKETED && p.bucket_small);
    }
    uint64_t two40 = UINT64_C(1) << 40;
    size_t n = 10000000;
    CHECK(plan_bucketed_large_sieve_ns(two40, two40 + n - 1, n) > plan_bucketed_large_test_ns(n, PRIMES_CPU_AVX512));
    CHECK(plan_bucketed_large_sieve_ns(two40, two40 + n - 1, n) < plan_bucketed_large_test_ns(n, PRIMES_CPU_BASELINE));
    CHECK(plan_bucketed_large_test_ns(n, PRIMES_CPU_AVX512) < plan_bucketed_large_test_ns(n, PRIMES_CPU_AVX2));
    /* the shuffled 2^40 + [0, 10^7) once scanned: the sieve at the baseline, the test at avx512 */
    struct plan_facts g = {.n = n, .threads = 2, .method = PRIMES_METHOD_AUTO, .have_first_chunk = 1,
                           .first_min = two40 + 12, .first_max = two40 + n - 40, .have_scan = 1,
                           .scan = {.min = UINT64_MAX, .max = 0, .count = 0},
                           .scan_large = {.min = two40, .max = two40 + n - 1, .count = n}};
    g.kernel_level = PRIMES_CPU_BASELINE;
    CHECK(plan_make(&g).bucket_large);
    g.kernel_level = PRIMES_CPU_AVX512;
    CHECK(!plan_make(&g).bucket_large);
}

static void dense_unordered_input_above_2_32_is_bucketed(void)
{
    const uint64_t two40 = UINT64_C(1) << 40, two63 = UINT64_C(1) << 63;
    size_t n = 10000000;
    /* A shuffled 2^40 + [0, 10^7): the first chunk is wide but all above
     * 2^32; its span, taken as the whole input's, already pays: the pass. */
    CHECK(after_first_chunk(n, 2, PRIMES_METHOD_AUTO, two40 + 12, two40 + n - 40).path == PLAN_SCAN);
    struct plan p = after_scan_large(n, 2, PRIMES_METHOD_AUTO, two40 + 12, two40 + n - 40, two40, two40 + n - 1, n);
    CHECK(p.path == PLAN_BUCKETED && p.bucket_large && !p.bucket_small);
    /* about 0.8 ms of sieving primes + 5.4 ms of sieve + 140 ms of sorting,
     * against 600 ms of tests (the baseline's) */
    CHECK(plan_bucketed_large_sieve_ns(two40, two40 + n - 1, n) < 0.3 * plan_bucketed_large_test_ns(n, PRIMES_CPU_BASELINE));
    /* 10^6 over 10^6 just below 2^64: the sieving primes alone (2 x 10^8 of
     * them, ~2 s) cost far more than 10^6 tests (60 ms): the test, and the
     * pass is skipped. */
    uint64_t top = UINT64_MAX - 999999;
    double sieve = plan_bucketed_large_sieve_ns(top, UINT64_MAX, 1000000);
    double test = plan_bucketed_large_test_ns(1000000, PRIMES_CPU_BASELINE);
    CHECK(sieve > 10 * test);
    CHECK(after_first_chunk(1000000, 2, PRIMES_METHOD_AUTO, top + 5, UINT64_MAX - 3).path == PLAN_PER_CHUNK);
    CHECK(after_scan_large(1000000, 2, PRIMES_METHOD_AUTO, top + 5, UINT64_MAX - 3, top, UINT64_MAX, 1000000).path
          == PLAN_PER_CHUNK);
    /* ... and since sieve > 8 x test, even the forced sieve tests it. */
    CHECK(sieve > SIEVE_FORCED_MAX_COST_RATIO * test);
    CHECK(after_scan_large(1000000, 2, PRIMES_METHOD_SIEVE, top + 5, UINT64_MAX - 3, top, UINT64_MAX, 1000000).path
          == PLAN_PER_CHUNK);
    /* 10^8 over 10^8 at 2^63 (1.5 x 10^8 sieving primes, 1.5 s; 4.5 ns per
     * integer, 0.45 s; 1.4 s of sorting) against 6 s of the baseline's
     * tests: the sieve. */
    CHECK(after_scan_large(100000000, 2, PRIMES_METHOD_AUTO, two63 + 1, two63 + 99999999, two63,
                           two63 + 99999999, 100000000).bucket_large);
    /* Sparse: random uint64 (the first chunk spans nearly 2^64) is tested
     * without the pass; the same spread once scanned is tested too, even
     * when the sieve is forced. */
    CHECK(after_first_chunk(n, 2, PRIMES_METHOD_AUTO, UINT64_C(1) << 50, UINT64_MAX - 77).path == PLAN_PER_CHUNK);
    CHECK(after_scan_large(n, 2, PRIMES_METHOD_AUTO, UINT64_C(1) << 50, UINT64_MAX - 77, TWO_POW_32, UINT64_MAX, n).path
          == PLAN_PER_CHUNK);
    CHECK(after_scan_large(n, 2, PRIMES_METHOD_SIEVE, UINT64_C(1) << 50, UINT64_MAX - 77, TWO_POW_32, UINT64_MAX, n).path
          == PLAN_PER_CHUNK);
    /* The forced sieve on a spread at 2^40: 10^5 values over 2^30 cost about
     * 0.6 s to sieve against 6 ms to test (more than 8 times): the test; over
     * 2^26 (40 ms, under 8 times): the sieve, where auto tests. */
    CHECK(after_scan_large(100000, 2, PRIMES_METHOD_SIEVE, two40, two40 + (UINT64_C(1) << 30), two40,
                           two40 + (UINT64_C(1) << 30), 100000).path == PLAN_PER_CHUNK);
    CHECK(after_scan_large(100000, 2, PRIMES_METHOD_SIEVE, two40, two40 + (UINT64_C(1) << 26), two40,
                           two40 + (UINT64_C(1) << 26), 100000).path == PLAN_BUCKETED);
    CHECK(after_scan_large(100000, 2, PRIMES_METHOD_AUTO, two40, two40 + (UINT64_C(1) << 26), two40,
                           two40 + (UINT64_C(1) << 26), 100000).path == PLAN_PER_CHUNK);
    /* A shuffled range across 2^32: both parts bucketed, each by its sieve. */
    struct plan_facts f = {.n = 2000000, .threads = 2, .method = PRIMES_METHOD_AUTO, .have_first_chunk = 1,
                           .first_min = TWO_POW_32 - 999000, .first_max = TWO_POW_32 + 999000, .have_scan = 1,
                           .scan = {.min = TWO_POW_32 - 1000000, .max = TWO_POW_32 - 1, .count = 1000000},
                           .scan_large = {.min = TWO_POW_32, .max = TWO_POW_32 + 999999, .count = 1000000}};
    p = plan_make(&f);
    CHECK(p.path == PLAN_BUCKETED && p.bucket_small && p.bucket_large);
    /* ... and with only a few large values spread wide: those are tested. */
    f.scan_large = (struct small_range){.min = TWO_POW_32, .max = UINT64_MAX, .count = 2000};
    p = plan_make(&f);
    CHECK(p.path == PLAN_BUCKETED && p.bucket_small && !p.bucket_large);
    /* The forced test never buckets. */
    CHECK(after_first_chunk(n, 2, PRIMES_METHOD_TEST, two40 + 12, two40 + n - 40).path == PLAN_TEST);
}

static void forced_methods_are_obeyed(void)
{
    /* TEST: no window, no pass, every chunk tested. */
    CHECK(plan_of(1000000, 2, PRIMES_METHOD_TEST).path == PLAN_TEST);
    CHECK(after_first_chunk(1000000, 2, PRIMES_METHOD_TEST, 0, 100).path == PLAN_TEST);
    CHECK(plan_chunk(PRIMES_METHOD_TEST, 20000, 100000, 120000, 1, 1) == CHUNK_TEST);
    /* SIEVE: the pass even when the first chunk is all above 2^32, and the
     * bucketed sieve while sieving the span costs at most
     * SIEVE_FORCED_MAX_COST_RATIO times the test (where AUTO would test). */
    CHECK(after_first_chunk(160000, 2, PRIMES_METHOD_SIEVE, UINT64_C(1) << 32, UINT64_MAX).path == PLAN_SCAN);
    CHECK(after_scan(1600000, 2, PRIMES_METHOD_AUTO, 0, INT32_MAX, 5, 5 + (UINT64_C(1) << 26), 1600000).path
          == PLAN_PER_CHUNK);
    CHECK(after_scan(1600000, 2, PRIMES_METHOD_SIEVE, 0, INT32_MAX, 5, 5 + (UINT64_C(1) << 26), 1600000).path
          == PLAN_BUCKETED);
    /* ... but not for values spread thin: 160000 over 2^31, 4 x 10^6 random
     * uint32 (a whole array or a 65536-element part of it alike), which
     * every mode and layout then tests. */
    CHECK(after_scan(160000, 2, PRIMES_METHOD_SIEVE, 0, INT32_MAX, 5, INT32_MAX - 3, 160000).path
          == PLAN_PER_CHUNK);
    CHECK(after_scan(4000000, 2, PRIMES_METHOD_SIEVE, 0, UINT32_MAX, 3, UINT32_MAX - 2, 4000000).path
          == PLAN_PER_CHUNK);
    CHECK(after_scan(65536, 1, PRIMES_METHOD_SIEVE, 0, UINT32_MAX, 3, UINT32_MAX - 2, 65536).path
          == PLAN_PER_CHUNK);
    CHECK(after_scan(160000, 2, PRIMES_METHOD_SIEVE, 0, UINT64_MAX, 70000, 70000, 1).path == PLAN_BUCKETED);
    /* SIEVE: a sparse window that the cost model would test is sieved. */
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 100, 2000000000, 2000100000, 0, 1) == CHUNK_TEST);
    CHECK(plan_chunk(PRIMES_METHOD_SIEVE, 100, 2000000000, 2000100000, 0, 1) == CHUNK_WINDOW);
}

static void each_chunk_chooses_its_engine(void)
{
    /* A run counted from its window; a run classified, or sorted values,
     * looked up in the window. */
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 20000, 100000, 119999, 1, 1) == CHUNK_WINDOW_RUN);
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 20000, 100000, 119999, 1, 0) == CHUNK_WINDOW);
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 20000, 100000, 130000, 0, 1) == CHUNK_WINDOW);
    /* Below 2^16 the bit table is the test's first step: no window. */
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 20000, 0, 65535, 1, 1) == CHUNK_TEST);
    CHECK(plan_chunk(PRIMES_METHOD_SIEVE, 20000, 0, 65535, 1, 1) == CHUNK_TEST);
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 20000, 0, 65536, 0, 1) == CHUNK_WINDOW);
    /* The window holds WINDOW_SPAN - 2 integers past min at most. */
    CHECK(plan_chunk(PRIMES_METHOD_SIEVE, 20000, 1000000, 1000000 + WINDOW_SPAN - 3, 0, 1) == CHUNK_WINDOW);
    CHECK(plan_chunk(PRIMES_METHOD_SIEVE, 20000, 1000000, 1000000 + WINDOW_SPAN - 2, 0, 1) == CHUNK_TEST);
    /* The cost model near 2^31 (4647 odd sieving primes: 27882 ns): 8192
     * elements in a span of 131000 cost 114674 ns to sieve, 98304 ns to
     * test; in a span of 10000, 42074 ns. */
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 8192, 2000000000, 2000130999, 0, 1) == CHUNK_TEST);
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 8192, 2000000000, 2000009999, 0, 1) == CHUNK_WINDOW);
    /* Few elements never pay for a window. */
    CHECK(plan_chunk(PRIMES_METHOD_AUTO, 1, 1000000, 1000000, 1, 1) == CHUNK_TEST);
}

/* Ranges (plan_range): the segmented sieve against the test, as the README's
 * cost table says: 10^6 near 2^64 is tested, 10^8 at 2^40 and 10^9 at 2^63
 * are sieved, and pieces amortise their sieving primes. */
static void ranges_choose_between_sieve_and_test(void)
{
    const uint64_t two40 = UINT64_C(1) << 40, two63 = UINT64_C(1) << 63;
    struct range_plan r = plan_range(UINT64_MAX - 999999, 1, 1000000, 2, PRIMES_METHOD_AUTO);
    CHECK(r.engine == RANGE_TEST && r.threads == 2 && r.pieces * r.piece >= 1000000);
    r = plan_range(two40, 1, 100000000, 2, PRIMES_METHOD_AUTO);
    CHECK(r.engine == RANGE_SIEVE && r.threads == 2 && r.pieces >= 2 && r.pieces % 2 == 0
          && (double)r.piece >= (double)RANGE_PIECE_MIN_SPAN);
    r = plan_range(two63, 1, 1000000000, 2, PRIMES_METHOD_AUTO);
    CHECK(r.engine == RANGE_SIEVE && r.threads == 2);
    /* each piece at 2^63 spans at least its set-up's worth of integers */
    CHECK((double)r.piece >= RANGE_PIECE_SETUP_RATIO * COST_SEGSIEVE_NS_PER_SIEVING_PRIME
                                 * plan_sieving_primes(two63 + 1000000000) / 10.0);
    CHECK(r.pieces % 2 == 0); /* equal shares on the two threads */
    /* [0, 10^10) on 2 threads: 16 pieces */
    r = plan_range(0, 1, UINT64_C(10000000000), 2, PRIMES_METHOD_AUTO);
    CHECK(r.engine == RANGE_SIEVE && r.threads == 2 && r.pieces == 16);
    /* 10^6 at 2^63: the test (the sieving primes alone cost ~1.4 s) */
    CHECK(plan_range(two63, 1, 1000000, 2, PRIMES_METHOD_AUTO).engine == RANGE_TEST);
    /* small ranges below 2^32: the sieve on one thread */
    r = plan_range(0, 1, 1000, 8, PRIMES_METHOD_AUTO);
    CHECK(r.engine == RANGE_SIEVE && r.threads == 1 && r.pieces == 1 && r.piece == 1000);
    /* a large step at 2^40: the test; step 2: the sieve */
    CHECK(plan_range(two40, 100000, 1000000, 2, PRIMES_METHOD_AUTO).engine == RANGE_TEST);
    CHECK(plan_range(two40 + 1, 2, 10000000, 2, PRIMES_METHOD_AUTO).engine == RANGE_SIEVE);
    /* forced engines */
    CHECK(plan_range(UINT64_MAX - 999999, 1, 1000000, 2, PRIMES_METHOD_SIEVE).engine == RANGE_SIEVE);
    CHECK(plan_range(0, 1, 100000000, 2, PRIMES_METHOD_TEST).engine == RANGE_TEST);
    /* the test: one thread per PRIMES_MIN_ELEMENTS_PER_THREAD values, pieces of RANGE_TEST_PIECE */
    r = plan_range(UINT64_MAX - 9999, 1, 10000, 4, PRIMES_METHOD_AUTO);
    CHECK(r.engine == RANGE_TEST && r.threads == 1 && r.pieces == 1);
    r = plan_range(0, 1, UINT64_MAX, 1024, PRIMES_METHOD_TEST);
    CHECK(r.threads == 1024 && r.piece == RANGE_TEST_PIECE && r.pieces == UINT64_MAX / RANGE_TEST_PIECE + 1);
    /* the whole 64-bit range, sieved: pieces cover every element */
    r = plan_range(0, 1, UINT64_MAX, 2, PRIMES_METHOD_AUTO);
    CHECK(r.engine == RANGE_SIEVE && r.pieces == 16 && r.piece == UINT64_MAX / 16 + 1);
    /* the estimate of pi(sqrt(x)) is within 10% where it matters */
    CHECK(plan_sieving_primes(UINT64_C(1) << 40) > 0.9 * 82025 && plan_sieving_primes(UINT64_C(1) << 40) < 1.1 * 82025);
    CHECK(plan_sieving_primes(UINT64_MAX) > 0.9 * 203280221 && plan_sieving_primes(UINT64_MAX) < 1.1 * 203280221);
}

/* Arrays whose first chunk is a run reaching 2^32 or above (np.arange at any
 * height): the segmented sieve over parts, where the range planner sieves. */
static void runs_above_2_32_use_the_segmented_sieve(void)
{
    const uint64_t two40 = UINT64_C(1) << 40;
    size_t n = 10000000;
    struct plan_facts f = {.n = n, .threads = 2, .method = PRIMES_METHOD_AUTO, .have_first_chunk = 1,
                           .first_min = two40, .first_max = two40 + 65535, .first_consecutive = 1,
                           .last_value = two40 + n - 1};
    struct plan p = plan_make(&f);
    CHECK(p.path == PLAN_RUNS && p.threads == 2 && p.chunk >= RUN_PART_MIN);
    /* not a run after all (the last value is elsewhere): per chunk */
    f.last_value = two40 + n;
    CHECK(plan_make(&f).path == PLAN_PER_CHUNK);
    /* a run below 2^32: the segmented sieve too, when it is long beside
     * its sieving primes (10^7 from 1000: 446 of them) ... */
    f.first_min = 1000, f.first_max = 1000 + 65535, f.last_value = 1000 + n - 1;
    CHECK(plan_make(&f).path == PLAN_RUNS);
    /* ... and not when it is short (2 10^4 at 2^31: 4792 sieving primes,
     * 8 per element needed), nor at 8 elements per prime less one */
    struct plan_facts short_run = {.n = 20000, .threads = 2, .method = PRIMES_METHOD_AUTO, .have_first_chunk = 1,
                                   .first_min = UINT64_C(1) << 31, .first_max = (UINT64_C(1) << 31) + 624,
                                   .first_consecutive = 1, .last_value = (UINT64_C(1) << 31) + 19999};
    CHECK(plan_make(&short_run).path == PLAN_PER_CHUNK);
    short_run.n = 200000, short_run.last_value = (UINT64_C(1) << 31) + 199999;
    CHECK(plan_make(&short_run).path == PLAN_RUNS);
    /* 10^6 near 2^64: the test */
    f.n = 1000000, f.first_min = UINT64_MAX - 999999, f.first_max = f.first_min + 65535, f.last_value = UINT64_MAX;
    CHECK(plan_make(&f).path == PLAN_PER_CHUNK);
    /* ... unless the sieve is forced */
    f.method = PRIMES_METHOD_SIEVE;
    CHECK(plan_make(&f).path == PLAN_RUNS);
    /* the forced test never sieves */
    f.method = PRIMES_METHOD_TEST;
    CHECK(plan_make(&f).path == PLAN_TEST);
    /* a 65536-element part (threading mode) at 2^40 is still sieved, on one thread */
    struct plan_facts g = {.n = 65536, .threads = 1, .method = PRIMES_METHOD_AUTO, .have_first_chunk = 1,
                           .first_min = two40, .first_max = two40 + 65535, .first_consecutive = 1,
                           .last_value = two40 + 65535};
    p = plan_make(&g);
    CHECK(p.path == PLAN_RUNS && p.threads == 1);
    /* no wrap past 2^64 - 1 */
    g.first_min = UINT64_MAX - 10, g.last_value = 54;
    CHECK(plan_make(&g).path != PLAN_RUNS);
}

int main(void)
{
    small_inputs_are_tested_on_the_caller();
    threads_are_capped_by_the_work_and_the_limit();
    chunks_hold_about_32_per_thread_within_bounds();
    locally_dense_input_is_planned_per_chunk();
    dense_unordered_input_below_2_32_is_bucketed();
    wide_64_bit_input_is_tested();
    dense_unordered_input_above_2_32_is_bucketed();
    the_kernel_level_prices_the_test();
    forced_methods_are_obeyed();
    each_chunk_chooses_its_engine();
    ranges_choose_between_sieve_and_test();
    runs_above_2_32_use_the_segmented_sieve();
    return check_report("planner");
}
