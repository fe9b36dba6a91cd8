/* SPDX-License-Identifier: MIT */
/*
 * plan.c -- the planner (src_c/README.md, "The planner").
 */
#include "plan.h"

#include "config.h"
#include "primes.h"
#include "tables.h"

/* Number of sieving primes p with p * p <= x, for x < 2^32. */
static size_t sieving_primes_needed(uint64_t x)
{
    size_t lo = 0, hi = SIEVING_PRIME_COUNT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint64_t p = sieving_primes[mid];
        if (p * p <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Sieving a chunk's window [min, max] against testing its elements. */
static int window_is_cheaper(size_t elements, uint64_t min, uint64_t max)
{
    uint64_t span = max - min + 1;
    double sieve = COST_WINDOW_NS_PER_SIEVING_PRIME * (double)sieving_primes_needed(max)
                   + COST_WINDOW_NS_PER_INTEGER * (double)span + COST_WINDOW_NS_PER_ELEMENT * (double)elements;
    double test = COST_TEST_NS_PER_ELEMENT * (double)elements;
    return sieve < test;
}

/* The per-element test of one value below 2^32 (resp. of 2^32 and above)
 * with the kernels of a level. */
static double test_ns_32(int kernel_level)
{
    return kernel_level >= PRIMES_CPU_AVX512 ? COST_TEST_NS_PER_ELEMENT_AVX512
           : kernel_level == PRIMES_CPU_AVX2 ? COST_TEST_NS_PER_ELEMENT_AVX2
                                             : COST_TEST_NS_PER_ELEMENT;
}

static double test_ns_64(int kernel_level)
{
    return kernel_level >= PRIMES_CPU_AVX512 ? COST_TEST_NS_PER_ELEMENT_64_AVX512 : COST_TEST_NS_PER_ELEMENT_64;
}

/* Group the elements by segment when the values below 2^32 are dense in
 * their range but not ordered (or when the caller forces the sieve), so that
 * each segment is sieved once. */
static int want_bucketed(int method, const struct small_range *scan, int kernel_level)
{
    if (scan->max < scan->min || scan->max < SMALL_LIMIT)
        return 0; /* nothing below 2^32, or the bit table answers everything */
    uint64_t span = scan->max - scan->min + 1;
    double sieve = COST_BUCKETED_NS_PER_INTEGER * (double)span + COST_BUCKETED_NS_PER_ELEMENT * (double)scan->count;
    double test = test_ns_32(kernel_level) * (double)scan->count;
    /* The forced sieve too gives way when sieving the span would cost far
     * more than testing the elements (a part of a spread-out input), so
     * that no mode or layout makes it pathological. */
    if (method == PRIMES_METHOD_SIEVE)
        return sieve <= SIEVE_FORCED_MAX_COST_RATIO * test;
    return sieve < test;
}

static double segsieve_ns_per_integer(uint64_t x);

double plan_bucketed_large_sieve_ns(uint64_t min, uint64_t max, size_t count)
{
    /* Making and placing the sieving primes up to sqrt(max) (once: a piece
     * spans at least what repays them, plan_range), sieving the span at its
     * height, and the counting sort and scattered answer of each element. */
    return COST_SEGSIEVE_NS_PER_SIEVING_PRIME * plan_sieving_primes(max)
           + segsieve_ns_per_integer(max) * ((double)(max - min) + 1.0)
           + COST_BUCKETED_LARGE_NS_PER_ELEMENT * (double)count;
}

double plan_bucketed_large_test_ns(size_t count, int kernel_level)
{
    return test_ns_64(kernel_level) * (double)count;
}

/* The same choice for the values of 2^32 and above, sieved by the segmented
 * sieve: dense unordered data at any height, as long as the span's sieve
 * and its sieving primes cost less than testing the elements (so 10^7
 * shuffled values over 10^7 at 2^40 are sieved, 10^6 over 10^6 near 2^64,
 * whose sieving primes alone cost about 2 s, are tested). */
static int want_bucketed_large(int method, const struct small_range *large, int kernel_level)
{
    if (large->count == 0 || large->max < large->min || large->min < TWO_POW_32)
        return 0;
    double sieve = plan_bucketed_large_sieve_ns(large->min, large->max, large->count);
    double test = plan_bucketed_large_test_ns(large->count, kernel_level);
    if (method == PRIMES_METHOD_SIEVE)
        return sieve <= SIEVE_FORCED_MAX_COST_RATIO * test;
    return sieve < test;
}

static int threads_for(size_t n, int threads)
{
    size_t useful = n / (size_t)PRIMES_MIN_ELEMENTS_PER_THREAD;
    size_t cap = threads > PRIMES_MAX_THREADS ? (size_t)PRIMES_MAX_THREADS : (size_t)threads;
    if (useful < 1)
        useful = 1;
    return (int)(useful < cap ? useful : cap);
}

struct plan plan_make(const struct plan_facts *f)
{
    struct plan p;
    p.bucket_small = p.bucket_large = 0;
    /* Small inputs: the test on this thread, no planning, no allocation. */
    if (f->n < PLANNER_MIN_ELEMENTS || (f->method == PRIMES_METHOD_TEST && f->threads == 1)) {
        p.path = PLAN_TEST_ON_CALLER;
        p.threads = 1;
        p.chunk = f->n;
        return p;
    }
    p.threads = threads_for(f->n, f->threads);
    size_t chunk = f->n / ((size_t)p.threads * CHUNKS_PER_THREAD);
    p.chunk = chunk < CHUNK_MIN ? CHUNK_MIN : chunk > CHUNK_MAX ? CHUNK_MAX : chunk;

    if (f->method == PRIMES_METHOD_TEST) {
        p.path = PLAN_TEST;
    } else if (!f->have_first_chunk) {
        p.path = PLAN_NEED_FIRST_CHUNK;
    } else if (f->first_consecutive && f->first_min <= UINT64_MAX - (f->n - 1)
               && f->last_value == f->first_min + (f->n - 1)
               && (f->last_value >= TWO_POW_32
                   || (double)f->n >= RUN_BELOW_2_32_ELEMENTS_PER_SIEVING_PRIME * plan_sieving_primes(f->last_value))) {
        /* It looks like one run of consecutive values (np.arange): the
         * segmented sieve over pieces of it, when the range planner prices
         * the sieve below the test.  Below 2^32 too, unless the run is
         * short beside the sieving primes it needs (config.h): one sieve
         * of the run beside the threads' check of the elements costs a
         * half to a seventh of a window sieve per chunk. */
        struct range_plan r = plan_range(f->first_min, 1, f->n, f->threads, f->method);
        if (r.engine == RANGE_SIEVE) {
            /* The call's threads (they share the check of the elements
             * with the sieving); the pieces are the range plan's, but no
             * smaller than RUN_PIECE_MIN. */
            p.path = PLAN_RUNS;
            p.chunk = r.piece < RUN_PIECE_MIN ? RUN_PIECE_MIN : (size_t)r.piece;
        } else {
            p.path = PLAN_PER_CHUNK;
        }
    } else if (f->first_max - f->first_min < WINDOW_SPAN - 1) {
        /* The first chunk's values are close together: the input is locally
         * dense (a range, sorted data) and each chunk decides for itself. */
        p.path = PLAN_PER_CHUNK;
    } else if (!f->have_scan && f->first_max < TWO_POW_32 && f->method != PRIMES_METHOD_SIEVE
               && !want_bucketed(f->method, &(struct small_range){f->first_min, f->first_max, f->n}, f->kernel_level)) {
        /* A first chunk below 2^32 whose span, taken as that of all the
         * values below 2^32 (the true span is no narrower) with every
         * element among them, already makes the bucketed sieve dearer than
         * the test (random 31-bit data): skip the pass, as for wide 64-bit
         * data below.  (With fewer such elements the sieve's span costs the
         * same and the test less; values of 2^32 and above later in the
         * input are tested, not bucketed.) */
        p.path = PLAN_PER_CHUNK;
    } else if (f->first_min >= TWO_POW_32 && f->method != PRIMES_METHOD_SIEVE
               && !want_bucketed_large(f->method, &(struct small_range){f->first_min, f->first_max, f->n}, f->kernel_level)) {
        /* A first chunk with no value below 2^32 whose span, taken as the
         * whole input's (the true span is no narrower), already makes the
         * bucketed sieve dearer than the test (random 64-bit data): skip the
         * extra pass. */
        p.path = PLAN_PER_CHUNK;
    } else if (!f->have_scan) {
        p.path = PLAN_SCAN;
    } else {
        p.bucket_small = want_bucketed(f->method, &f->scan, f->kernel_level);
        p.bucket_large = want_bucketed_large(f->method, &f->scan_large, f->kernel_level);
        p.path = p.bucket_small || p.bucket_large ? PLAN_BUCKETED : PLAN_PER_CHUNK;
    }
    return p;
}

enum chunk_engine plan_chunk(int method, size_t elements, uint64_t min, uint64_t max, int consecutive,
                             int counting)
{
    if (method == PRIMES_METHOD_TEST || max >= TWO_POW_32 || max < SMALL_LIMIT || max - min >= WINDOW_SPAN - 2)
        return CHUNK_TEST;
    if (method != PRIMES_METHOD_SIEVE && !window_is_cheaper(elements, min, max))
        return CHUNK_TEST;
    return consecutive && counting ? CHUNK_WINDOW_RUN : CHUNK_WINDOW;
}

/* ---- ranges --------------------------------------------------------------- */

/* log2(x) for x >= 1, to within 0.09: the bit length plus the linear part
 * of the mantissa (no libm in the planner). */
static double approx_log2(double x)
{
    double e = 0;
    while (x >= 2) {
        x /= 2;
        e += 1;
    }
    return e + (x - 1);
}

static uint64_t isqrt_u64(uint64_t n)
{
    uint64_t r = 0;
    for (uint64_t bit = UINT64_C(1) << 62; bit; bit >>= 2) {
        if (n >= r + bit) {
            n -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
    }
    return r;
}

double plan_sieving_primes(uint64_t x)
{
    double s = (double)isqrt_u64(x);
    if (s < 17)
        return s < 2 ? 0 : 6; /* at most 2, 3, 5, 7, 11, 13 */
    /* pi(s) ~ s / (ln s - 1), within a few percent from s = 100 up */
    return s / (0.6931471805599453 * approx_log2(s) - 1.0);
}

/* The sieve's cost per integer at the height of x. */
static double segsieve_ns_per_integer(uint64_t x)
{
    double bits = approx_log2((double)x + 1.0), cost = COST_SEGSIEVE_NS_PER_INTEGER_AT_2_32;
    for (double b = 32; b + 1 <= bits; b += 1)
        cost *= COST_SEGSIEVE_GROWTH_PER_BIT;
    if (bits > 32)
        cost *= 1.0 + (COST_SEGSIEVE_GROWTH_PER_BIT - 1.0) * (bits - 32 - (double)(uint64_t)(bits - 32));
    return cost;
}

static uint64_t last_of(uint64_t first, uint64_t step, uint64_t n)
{
    return first + (n - 1) * step;
}

double plan_range_sieve_ns(uint64_t first, uint64_t step, uint64_t n, uint64_t pieces)
{
    uint64_t last = last_of(first, step, n);
    double span = (double)(n - 1) * (double)step + 1.0;
    return (double)pieces * COST_SEGSIEVE_NS_PER_SIEVING_PRIME * plan_sieving_primes(last)
           + segsieve_ns_per_integer(last) * span;
}

double plan_range_test_ns(uint64_t first, uint64_t step, uint64_t n)
{
    uint64_t last = last_of(first, step, n);
    return (double)n * (last < TWO_POW_32 ? COST_TEST_NS_PER_ELEMENT : COST_TEST_NS_PER_ELEMENT_64);
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return a / b + (a % b != 0);
}

struct range_plan plan_range(uint64_t first, uint64_t step, uint64_t n, int threads, int method)
{
    struct range_plan p;
    int cap = threads > PRIMES_MAX_THREADS ? PRIMES_MAX_THREADS : threads < 1 ? 1 : threads;
    int sieve = method == PRIMES_METHOD_SIEVE
                || (method != PRIMES_METHOD_TEST
                    && plan_range_sieve_ns(first, step, n, 1) <= plan_range_test_ns(first, step, n));
    if (!sieve) {
        uint64_t useful = n / PRIMES_MIN_ELEMENTS_PER_THREAD;
        p.engine = RANGE_TEST;
        p.threads = useful < 1 ? 1 : useful < (uint64_t)cap ? (int)useful : cap;
        p.piece = RANGE_TEST_PIECE;
        if (n / p.piece > (uint64_t)(SIZE_MAX / 2)) /* the scheduler counts pieces in a size_t */
            p.piece = ceil_div(n, (uint64_t)(SIZE_MAX / 2));
        p.pieces = ceil_div(n, p.piece);
        return p;
    }
    /* The sieve: pieces wide enough that placing their sieving primes stays a
     * small share of their work, about RANGE_PIECES_PER_THREAD per thread. */
    uint64_t last = last_of(first, step, n);
    double span = (double)(n - 1) * (double)step + 1.0;
    double setup = COST_SEGSIEVE_NS_PER_SIEVING_PRIME * plan_sieving_primes(last);
    double min_span = RANGE_PIECE_SETUP_RATIO * setup / segsieve_ns_per_integer(last);
    if (min_span < (double)RANGE_PIECE_MIN_SPAN)
        min_span = (double)RANGE_PIECE_MIN_SPAN;
    double most = span / min_span; /* pieces of at least min_span */
    uint64_t target = (uint64_t)cap * RANGE_PIECES_PER_THREAD, pieces;
    p.engine = RANGE_SIEVE;
    if (most >= (double)target) {
        pieces = target;
        p.threads = cap;
    } else {
        uint64_t m = most < 1 ? 1 : (uint64_t)most;
        p.threads = m < (uint64_t)cap ? (int)m : cap;
        /* equal shares per thread; one piece per thread when there are few
         * (each piece places its sieving primes again) */
        pieces = (uint64_t)p.threads;
    }
    if (pieces > n)
        pieces = n;
    p.piece = ceil_div(n, pieces);
    p.pieces = ceil_div(n, p.piece);
    if ((uint64_t)p.threads > p.pieces)
        p.threads = (int)p.pieces;
    return p;
}
