/* SPDX-License-Identifier: MIT */
/*
 * entry.c -- the primes_* entry points (primes.h): argument checks, the plan,
 * and the call run as one parallel region on the scheduler.
 *
 * A call keeps its whole state in a `struct call` on the caller's stack plus
 * heap blocks it frees before returning, so concurrent calls share nothing.
 * See src_c/README.md for the algorithms.
 */
#define PRIMES_BUILDING 1
#include "primes.h"

#include <stdatomic.h>

#include "config.h"
#include "cpu.h"
#include "elements.h"
#include "fault_injection.h"
#include "plan.h"
#include "scheduler.h"
#include "sieve_bucketed.h"
#include "sieve_segmented.h"
#include "sieve_window.h"
#include "test_kernels.h"

/* What one call's threads share. */
struct call {
    const struct element_ops *ops;      /* the loops of the element type */
    const struct test_kernels *kernels; /* the per-element test */
    const void *a;
    size_t n;
    uint8_t *out; /* NULL when counting */
    int method;
    struct plan_facts facts;
    struct plan plan;
    const int *cancel;
    uint8_t *windows;        /* WINDOW_BYTES per thread; NULL in the PLAN_TEST path */
    struct bucketed buckets; /* the PLAN_BUCKETED path's, built between phases */
    size_t left_out;         /* its elements in neither part: tested */
    /* The PLAN_BUCKETED path's large part: the segmented sieve's context for
     * [0, the largest value], made in the serial step, and one worker per
     * thread, made by each thread at its first piece. */
    struct segsieve_context *large;
    struct segsieve_worker **large_workers;
    /* The PLAN_RUNS path: the segmented sieve's context, one worker per
     * thread, whether the first round takes the run as given (see
     * runs_region) and whether a check found it is not one. */
    struct segsieve_context *runs;
    struct segsieve_worker **run_workers;
    int runs_assumed;
    atomic_int runs_broken;
    /* The PLAN_SCAN pass: the values below 2^32 and the others, merged from
     * the threads. */
    atomic_ullong scan_min, scan_max, large_min, large_max;
    atomic_size_t scan_count, large_count;
};

/* One chunk of the PLAN_PER_CHUNK and PLAN_TEST paths. */
static uint64_t answer_chunk(const struct call *c, size_t lo, size_t hi, uint8_t *window)
{
    if (c->plan.path == PLAN_PER_CHUNK) {
        uint64_t min, max;
        int consecutive = c->ops->scan(c->a, lo, hi, &min, &max, c->kernels);
        enum chunk_engine engine = plan_chunk(c->method, hi - lo, min, max, consecutive, c->out == NULL);
        if (engine != CHUNK_TEST) {
            uint64_t base = sieve_window_of(min, max, window);
            if (engine == CHUNK_WINDOW_RUN)
                return count_run(min, max, base, window);
            return c->ops->window(c->a, c->out, lo, hi, base, window);
        }
    }
    return c->ops->test(c->a, c->out, lo, hi, c->kernels);
}

static void merge_range(atomic_ullong *min, atomic_ullong *max, atomic_size_t *count, const struct small_range *r)
{
    atomic_fetch_add(count, r->count);
    unsigned long long seen = atomic_load(min);
    while (r->min < seen && !atomic_compare_exchange_weak(min, &seen, r->min)) {
    }
    seen = atomic_load(max);
    while (r->max > seen && !atomic_compare_exchange_weak(max, &seen, r->max)) {
    }
}

/* The large part's context, and the pieces it is cut into: as a range of
 * the same span would be (plan_range), in whole buckets. */
static int prepare_large(struct call *c, size_t *piece_segments)
{
    const struct small_range *r = &c->facts.scan_large;
    uint64_t span = r->max - r->min + 1;
    struct segsieve_options options = {0};
    options.width_hint = span;
    int status = segsieve_context_create(r->max, &options, c->cancel, &c->large);
    if (status != PRIMES_OK)
        return status;
    c->large_workers = PRIMES_CALLOC((size_t)c->plan.threads, sizeof *c->large_workers);
    if (!c->large_workers)
        return PRIMES_ENOMEM;
    struct range_plan rp = plan_range(r->min, 1, span, c->plan.threads, PRIMES_METHOD_SIEVE);
    uint64_t seg_span = (uint64_t)30 << BUCKETED_LARGE_LOG2;
    uint64_t segments = rp.piece / seg_span + (rp.piece % seg_span != 0);
    *piece_segments = segments < 1 ? 1 : segments > SIZE_MAX ? SIZE_MAX : (size_t)segments;
    return PRIMES_OK;
}


/* The serial step after the PLAN_SCAN pass: plan again with its result, and
 * build the buckets if the bucketed sieve wins. */
static int plan_after_scan(void *arg)
{
    struct call *c = arg;
    c->facts.have_scan = 1;
    c->facts.scan.min = atomic_load(&c->scan_min);
    c->facts.scan.max = atomic_load(&c->scan_max);
    c->facts.scan.count = atomic_load(&c->scan_count);
    c->facts.scan_large.min = atomic_load(&c->large_min);
    c->facts.scan_large.max = atomic_load(&c->large_max);
    c->facts.scan_large.count = atomic_load(&c->large_count);
    c->plan = plan_make(&c->facts);
    if (c->plan.path != PLAN_BUCKETED)
        return PRIMES_OK;
    c->left_out = c->n - (c->plan.bucket_small ? c->facts.scan.count : 0)
                  - (c->plan.bucket_large ? c->facts.scan_large.count : 0);
    size_t piece_segments = 1;
    if (c->plan.bucket_large) {
        int status = prepare_large(c, &piece_segments);
        if (status != PRIMES_OK)
            return status; /* run_call frees what was made */
    }
    return bucketed_build(&c->buckets, c->ops, c->a, c->n, c->plan.bucket_small ? &c->facts.scan : NULL,
                          c->plan.bucket_large ? &c->facts.scan_large : NULL, BUCKETED_LARGE_LOG2, piece_segments,
                          c->out);
}

/* The bucketed sieve's second phase: the large part's pieces first (each
 * is many segments: handed out first, they finish together), then the
 * small segments. */
static uint64_t bucketed_region(struct sched_worker *w, struct call *c, uint8_t *window)
{
    const struct bucketed *b = &c->buckets;
    size_t units = b->pieces + b->layout.small_segments, lo, hi;
    uint64_t count = 0;
    while (sched_next_chunk(w, units, 1, &lo, &hi)) {
        if (lo >= b->pieces) {
            count += bucketed_segment(b, c->out, lo - b->pieces, window);
            continue;
        }
        struct segsieve_worker **worker = &c->large_workers[sched_thread_id(w)];
        int status = *worker ? PRIMES_OK : segsieve_worker_create(c->large, worker);
        if (status == PRIMES_OK)
            status = bucketed_piece(b, c->out, lo, *worker, &count);
        if (status != PRIMES_OK) {
            sched_fail(w, status);
            break;
        }
    }
    return count;
}

/* The values first, first + 1, ... of elements [lo, lo + len) counted or
 * masked by the segmented sieve. */
static int sieve_run_part(const struct call *c, struct segsieve_worker *worker, uint64_t first, size_t len,
                          size_t lo, uint64_t *found)
{
    if (c->out) {
        *found = 0;
        return segsieve_mask(worker, first, 1, len, c->out + lo);
    }
    return segsieve_count(worker, first, first + (len - 1), found);
}

/* The PLAN_RUNS path's second round, when the first found the array is
 * not one run: each part is counted or masked by the segmented sieve if it
 * is a run [min, max] within the context's range, else tested. */
static int answer_run_part(const struct call *c, struct segsieve_worker *worker, size_t lo, size_t hi,
                           uint64_t *found)
{
    uint64_t min, max;
    int consecutive = c->ops->scan(c->a, lo, hi, &min, &max, c->kernels);
    /* (a signed run through negative values maps them to 0: not a run of values then) */
    if (!consecutive || max - min != hi - lo - 1 || max > c->facts.last_value || !worker) {
        *found = c->ops->test(c->a, c->out, lo, hi, c->kernels);
        return PRIMES_OK;
    }
    return sieve_run_part(c, worker, min, hi - lo, lo, found);
}

/* The PLAN_RUNS path's first round takes the array as the run [first_min,
 * last_value] (its first chunk and last element say it may be) and splits
 * the work in two kinds of item: sieving a piece's values (compute) and
 * checking that the piece's elements are those values (memory).  A piece's
 * item order, its sieve item then its checks, lets one thread check while
 * the other sieves, instead of both reading memory at once; a failed check
 * marks the round void, and run_runs then runs the second round. */
static size_t run_piece(const struct call *c)
{
    return c->plan.chunk < c->n ? c->plan.chunk : c->n;
}

static size_t run_checks_per_piece(const struct call *c)
{
    return (run_piece(c) + RUN_CHECK_ELEMENTS - 1) / RUN_CHECK_ELEMENTS;
}

static int run_item(const struct call *c, struct segsieve_worker *worker, size_t item, uint64_t *found)
{
    size_t piece = run_piece(c), checks = run_checks_per_piece(c);
    size_t lo = (item / (checks + 1)) * piece, k = item % (checks + 1);
    size_t end = c->n - lo < piece ? c->n : lo + piece;
    *found = 0;
    if (k == 0)
        return sieve_run_part(c, worker, c->facts.first_min + lo, end - lo, lo, found);
    lo += (k - 1) * RUN_CHECK_ELEMENTS;
    if (lo >= end) /* the last piece's checks past its end */
        return PRIMES_OK;
    size_t hi = end - lo < RUN_CHECK_ELEMENTS ? end : lo + RUN_CHECK_ELEMENTS;
    if (lo < hi && !elements_are_run(c->ops, c->a, lo, hi, c->facts.first_min, c->kernels))
        atomic_store_explicit((atomic_int *)&c->runs_broken, 1, memory_order_relaxed);
    return PRIMES_OK;
}

static void runs_region(struct sched_worker *w, struct call *c)
{
    int id = sched_thread_id(w);
    int status = segsieve_worker_create(c->runs, &c->run_workers[id]);
    if (status != PRIMES_OK)
        sched_fail(w, status);
    uint64_t count = 0, found;
    size_t lo, hi;
    if (c->runs_assumed) {
        size_t pieces = (c->n + run_piece(c) - 1) / run_piece(c);
        while (sched_next_chunk(w, pieces * (run_checks_per_piece(c) + 1), 1, &lo, &hi)) {
            status = c->run_workers[id] ? run_item(c, c->run_workers[id], lo, &found) : PRIMES_ENOMEM;
            if (status != PRIMES_OK) {
                sched_fail(w, status);
                break;
            }
            count += found;
        }
    } else {
        while (sched_next_chunk(w, c->n, RUN_PART_MIN, &lo, &hi)) {
            status = answer_run_part(c, c->run_workers[id], lo, hi, &found);
            if (status != PRIMES_OK) {
                sched_fail(w, status);
                break;
            }
            count += found;
        }
    }
    sched_add_count(w, count);
}

/* What every thread of a call runs (scheduler.h): the optional pass and
 * plan, then the bucketed sieve (values >= 2^32 first, then the segments)
 * or the chunks. */
static void call_region(struct sched_worker *w, void *arg)
{
    struct call *c = arg;
    if (c->plan.path == PLAN_RUNS) {
        runs_region(w, c);
        return;
    }
    uint8_t *window = c->windows ? c->windows + WINDOW_BYTES * (size_t)sched_thread_id(w) : NULL;
    uint64_t count = 0;
    size_t lo, hi;
    if (c->plan.path == PLAN_SCAN) {
        struct small_range r = {.min = UINT64_MAX, .max = 0, .count = 0}, large = r;
        while (sched_next_chunk(w, c->n, c->plan.chunk, &lo, &hi))
            c->ops->ranges(c->a, lo, hi, &r, &large, c->kernels);
        merge_range(&c->scan_min, &c->scan_max, &c->scan_count, &r);
        merge_range(&c->large_min, &c->large_max, &c->large_count, &large);
        sched_barrier(w, plan_after_scan, c); /* every thread then sees the new plan */
    }
    if (c->plan.path == PLAN_BUCKETED) {
        if (c->left_out) {
            while (sched_next_chunk(w, c->n, c->plan.chunk, &lo, &hi))
                count += c->ops->test_unbucketed(c->a, c->out, lo, hi, c->kernels, &c->buckets.layout);
            sched_barrier(w, NULL, NULL);
        }
        count += bucketed_region(w, c, window);
    } else {
        while (sched_next_chunk(w, c->n, c->plan.chunk, &lo, &hi))
            count += answer_chunk(c, lo, hi, window);
    }
    sched_add_count(w, count);
}

/* The PLAN_RUNS path: one context for [0, the run's last value], a worker
 * per thread (made on its thread), freed here. */
static int run_runs(struct call *c, const int *cancel, uint64_t *count)
{
    struct segsieve_options options = {0};
    options.width_hint = (uint64_t)c->n;
    int status = segsieve_context_create(c->facts.last_value, &options, cancel, &c->runs);
    if (status != PRIMES_OK)
        return status;
    c->run_workers = PRIMES_CALLOC((size_t)c->plan.threads, sizeof *c->run_workers);
    uint64_t total = 0;
    c->runs_assumed = 1;
    atomic_init(&c->runs_broken, 0);
    status = c->run_workers ? sched_run(c->plan.threads, cancel, call_region, c, &total) : PRIMES_ENOMEM;
    if (status == PRIMES_OK && atomic_load(&c->runs_broken)) {
        /* Not one run after all (a rare input: its first chunk and last
         * element fit one): the second round, part by part.  Its workers
         * are made again. */
        for (int t = 0; t < c->plan.threads; t++) {
            segsieve_worker_destroy(c->run_workers[t]);
            c->run_workers[t] = NULL;
        }
        c->runs_assumed = 0;
        status = sched_run(c->plan.threads, cancel, call_region, c, &total);
    }
    if (c->run_workers)
        for (int t = 0; t < c->plan.threads; t++)
            segsieve_worker_destroy(c->run_workers[t]);
    PRIMES_FREE(c->run_workers);
    segsieve_context_destroy(c->runs);
    if (status == PRIMES_OK && count)
        *count = total;
    return status;
}

static int run_call(const struct element_ops *ops, const void *a, size_t n, int threads, int method,
                    int cpu_level, const int *cancel, uint8_t *out, uint64_t *count)
{
    const struct test_kernels *kernels = test_kernels_for(cpu_level);
    if (threads < 1 || method < PRIMES_METHOD_AUTO || method > PRIMES_METHOD_TEST || (n > 0 && a == NULL)
        || kernels == NULL)
        return PRIMES_EINVAL;
    if (cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED))
        return PRIMES_ECANCELLED;

    struct call c = {
        .ops = ops,
        .kernels = kernels,
        .a = a,
        .n = n,
        .out = out,
        .method = method,
        .cancel = cancel,
        .facts = {.n = n, .threads = threads, .method = method, .kernel_level = kernels->level},
    };
    c.plan = plan_make(&c.facts);
    if (c.plan.path == PLAN_TEST_ON_CALLER) {
        uint64_t found = ops->test(a, out, 0, n, c.kernels);
        if (count)
            *count = found;
        return PRIMES_OK;
    }
    if (c.plan.path == PLAN_NEED_FIRST_CHUNK) {
        plan_look_at_first_chunk(&c.facts, ops, a, c.plan.chunk, kernels);
        c.plan = plan_make(&c.facts);
    }
    if (c.plan.path == PLAN_RUNS)
        return run_runs(&c, cancel, count);
    if (c.plan.path != PLAN_TEST) {
        c.windows = PRIMES_MALLOC(WINDOW_BYTES * (size_t)c.plan.threads);
        if (!c.windows)
            return PRIMES_ENOMEM;
    }
    atomic_init(&c.scan_min, UINT64_MAX);
    atomic_init(&c.scan_max, 0);
    atomic_init(&c.scan_count, 0);
    atomic_init(&c.large_min, UINT64_MAX);
    atomic_init(&c.large_max, 0);
    atomic_init(&c.large_count, 0);

    uint64_t total = 0;
    int status = sched_run(c.plan.threads, cancel, call_region, &c, &total);
    bucketed_free(&c.buckets);
    if (c.large_workers)
        for (int t = 0; t < c.plan.threads; t++)
            segsieve_worker_destroy(c.large_workers[t]);
    PRIMES_FREE(c.large_workers);
    segsieve_context_destroy(c.large);
    PRIMES_FREE(c.windows);
    if (status == PRIMES_OK && count)
        *count = total;
    return status;
}

static int count_call(const struct element_ops *ops, const void *a, size_t n, int threads, int method,
                      int cpu_level, const int *cancel, uint64_t *count)
{
    if (count == NULL)
        return PRIMES_EINVAL;
    return run_call(ops, a, n, threads, method, cpu_level, cancel, NULL, count);
}

static int is_prime_call(const struct element_ops *ops, const void *a, size_t n, int threads, int method,
                         int cpu_level, const int *cancel, uint8_t *out)
{
    if (out == NULL && n > 0)
        return PRIMES_EINVAL;
    return run_call(ops, a, n, threads, method, cpu_level, cancel, out, NULL);
}

PRIMES_API int primes_abi_version(void)
{
    return PRIMES_ABI_VERSION;
}

PRIMES_API int primes_cpu_level(int cap)
{
    const struct test_kernels *kernels = test_kernels_for(cap);
    return kernels ? kernels->level : -1;
}

PRIMES_API int primes_cpu_features(uint32_t *features)
{
    if (features)
        *features = cpu_features();
    return cpu_best_level();
}

PRIMES_API const char *primes_cpu_feature_name(int bit)
{
    return cpu_feature_name(bit);
}

PRIMES_API int primes_count_int32(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                 const int *cancel,
                                  uint64_t *count)
{
    return count_call(&element_ops_int32, a, n, threads, method, cpu_level, cancel, count);
}

PRIMES_API int primes_count_uint32(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                 const int *cancel,
                                   uint64_t *count)
{
    return count_call(&element_ops_uint32, a, n, threads, method, cpu_level, cancel, count);
}

PRIMES_API int primes_count_int64(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                 const int *cancel,
                                  uint64_t *count)
{
    return count_call(&element_ops_int64, a, n, threads, method, cpu_level, cancel, count);
}

PRIMES_API int primes_count_uint64(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                 const int *cancel,
                                   uint64_t *count)
{
    return count_call(&element_ops_uint64, a, n, threads, method, cpu_level, cancel, count);
}

PRIMES_API int primes_is_prime_int32(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                 const int *cancel,
                                     uint8_t *out)
{
    return is_prime_call(&element_ops_int32, a, n, threads, method, cpu_level, cancel, out);
}

PRIMES_API int primes_is_prime_uint32(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                 const int *cancel,
                                      uint8_t *out)
{
    return is_prime_call(&element_ops_uint32, a, n, threads, method, cpu_level, cancel, out);
}

PRIMES_API int primes_is_prime_int64(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                 const int *cancel,
                                     uint8_t *out)
{
    return is_prime_call(&element_ops_int64, a, n, threads, method, cpu_level, cancel, out);
}

PRIMES_API int primes_is_prime_uint64(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                 const int *cancel,
                                      uint8_t *out)
{
    return is_prime_call(&element_ops_uint64, a, n, threads, method, cpu_level, cancel, out);
}

/* The byte-swapped arrays (primes.h): the same calls through the element
 * types that swap each element as they read it. */

PRIMES_API int primes_count_int32_swapped(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint64_t *count)
{
    return count_call(&element_ops_int32_swapped, a, n, threads, method, cpu_level, cancel, count);
}

PRIMES_API int primes_count_uint32_swapped(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint64_t *count)
{
    return count_call(&element_ops_uint32_swapped, a, n, threads, method, cpu_level, cancel, count);
}

PRIMES_API int primes_count_int64_swapped(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint64_t *count)
{
    return count_call(&element_ops_int64_swapped, a, n, threads, method, cpu_level, cancel, count);
}

PRIMES_API int primes_count_uint64_swapped(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint64_t *count)
{
    return count_call(&element_ops_uint64_swapped, a, n, threads, method, cpu_level, cancel, count);
}

PRIMES_API int primes_is_prime_int32_swapped(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out)
{
    return is_prime_call(&element_ops_int32_swapped, a, n, threads, method, cpu_level, cancel, out);
}

PRIMES_API int primes_is_prime_uint32_swapped(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out)
{
    return is_prime_call(&element_ops_uint32_swapped, a, n, threads, method, cpu_level, cancel, out);
}

PRIMES_API int primes_is_prime_int64_swapped(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out)
{
    return is_prime_call(&element_ops_int64_swapped, a, n, threads, method, cpu_level, cancel, out);
}

PRIMES_API int primes_is_prime_uint64_swapped(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out)
{
    return is_prime_call(&element_ops_uint64_swapped, a, n, threads, method, cpu_level, cancel, out);
}
