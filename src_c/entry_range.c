/* SPDX-License-Identifier: MIT */
/*
 * entry_range.c -- the primes_*_range entry points (primes.h): counting,
 * masks and generation over arithmetic ranges, without an input array.
 *
 * A range first, first + step, ... is cut into pieces by plan_range()
 * (plan.h) and answered piece by piece on the scheduler's threads, by the
 * segmented sieve (sieve_segmented.h: one read-only context per call, one
 * worker per thread) or by the per-element test kernels on the values made
 * 256 at a time.  Generation writes straight into the caller's array: with
 * one thread the pieces come in order and are written as they come; with
 * more, each piece is counted first, a serial step turns the counts into
 * offsets, and each piece is then written at its offset (sieved twice, but
 * the output is the only large block of memory).
 */
#define PRIMES_BUILDING 1
#include "primes.h"

#include <string.h>

#include "config.h"
#include "fault_injection.h"
#include "plan.h"
#include "scheduler.h"
#include "sieve_segmented.h"
#include "test_kernels.h"

enum range_op {
    OP_COUNT,  /* the number of primes */
    OP_MASK,   /* out[j] = first + j step is prime */
    OP_PRIMES, /* the primes, in order, into out64 or out32 */
};

/* What one call's threads share. */
struct range_call {
    enum range_op op;
    uint64_t first, step, n; /* n >= 1 elements */
    struct range_plan plan;
    const struct test_kernels *kernels;
    struct segsieve_context *ctx;     /* the sieve's, NULL for the test */
    struct segsieve_worker **workers; /* one per thread, made by each thread */
    uint8_t *mask;                    /* OP_MASK */
    uint64_t *out64;                  /* OP_PRIMES, one of the two */
    uint32_t *out32;
    size_t capacity;
    uint64_t *offsets; /* OP_PRIMES on several threads: per piece, then prefix sums */
    int two_pass;
    size_t written; /* OP_PRIMES: the total, set by the last step */
};

/* Piece k: its first element's index and its element count. */
static void piece_of(const struct range_call *c, uint64_t k, uint64_t *j0, uint64_t *count)
{
    *j0 = k * c->plan.piece;
    *count = c->n - *j0 < c->plan.piece ? c->n - *j0 : c->plan.piece;
}

/* The test of count elements from v0, KERNEL_CALL_ELEMENTS at a time: counts
 * them; writes the mask (mask != NULL) or the primes (out64/out32 != NULL,
 * at most `room` of them: more is PRIMES_EINVAL). */
static int test_piece(const struct range_call *c, uint64_t v0, uint64_t count, uint8_t *mask, uint64_t *out64,
                      uint32_t *out32, size_t room, uint64_t *found)
{
    uint64_t values[KERNEL_CALL_ELEMENTS];
    uint32_t small[KERNEL_CALL_ELEMENTS];
    uint8_t res[KERNEL_CALL_ELEMENTS];
    uint64_t total = 0;
    /* The 32-bit kernel when every value fits: faster, same answers. */
    const int narrow = v0 + (count - 1) * c->step <= UINT32_MAX;
    for (uint64_t done = 0; done < count;) {
        size_t k = count - done < KERNEL_CALL_ELEMENTS ? (size_t)(count - done) : KERNEL_CALL_ELEMENTS;
        uint64_t v = v0 + done * c->step;
        uint8_t *into = mask ? mask + done : res;
        if (narrow) {
            for (size_t i = 0; i < k; i++)
                small[i] = (uint32_t)(v + i * c->step);
            c->kernels->classify_u32(small, k, into);
        } else {
            for (size_t i = 0; i < k; i++)
                values[i] = v + i * c->step;
            c->kernels->classify_u64(values, k, into);
        }
        for (size_t i = 0; i < k; i++) {
            if (!into[i])
                continue;
            if (out64 || out32) {
                if (total == room)
                    return PRIMES_EINVAL;
                if (out64)
                    out64[total] = v + i * c->step;
                else
                    out32[total] = (uint32_t)(v + i * c->step);
            }
            total++;
        }
        done += k;
    }
    *found = total;
    return PRIMES_OK;
}

/* One piece: counted (write == 0) or answered in full (the mask, or the
 * primes at out index `at`, at most `room` of them). */
static int answer_piece(const struct range_call *c, struct segsieve_worker *worker, uint64_t k, int write,
                        size_t at, size_t room, uint64_t *found)
{
    uint64_t j0, count;
    piece_of(c, k, &j0, &count);
    uint64_t v0 = c->first + j0 * c->step, vlast = v0 + (count - 1) * c->step;
    uint8_t *mask = write && c->op == OP_MASK ? c->mask + j0 : NULL;
    uint64_t *out64 = write && c->out64 ? c->out64 + at : NULL;
    uint32_t *out32 = write && c->out32 ? c->out32 + at : NULL;
    if (c->plan.engine == RANGE_TEST)
        return test_piece(c, v0, count, mask, out64, out32, room, found);
    if (mask)
        return segsieve_mask(worker, v0, c->step, (size_t)count, mask);
    if (out64 || out32) {
        size_t written = 0;
        int status = out64 ? segsieve_primes_u64(worker, v0, vlast, out64, room, &written)
                           : segsieve_primes_u32(worker, v0, vlast, out32, room, &written);
        *found = written;
        return status == SEGSIEVE_FULL ? PRIMES_EINVAL : status;
    }
    return segsieve_count_step(worker, v0, c->step, count, found);
}

/* The serial step of two-pass generation: piece counts to offsets. */
static int offsets_from_counts(void *arg)
{
    struct range_call *c = arg;
    uint64_t total = 0;
    for (uint64_t k = 0; k < c->plan.pieces; k++) {
        uint64_t here = c->offsets[k];
        c->offsets[k] = total;
        total += here;
    }
    if (total > c->capacity)
        return PRIMES_EINVAL;
    c->written = (size_t)total;
    return PRIMES_OK;
}

/* A thread whose sieve worker could not be made has failed the call (and
 * is handed no piece); this keeps it from touching a NULL worker. */
static int worker_or_test_ready(const struct range_call *c, const struct segsieve_worker *worker)
{
    return c->ctx == NULL || worker != NULL;
}

static void range_region(struct sched_worker *w, void *arg)
{
    struct range_call *c = arg;
    struct segsieve_worker *worker = NULL;
    if (c->ctx) {
        int status = segsieve_worker_create(c->ctx, &c->workers[sched_thread_id(w)]);
        if (status != PRIMES_OK)
            sched_fail(w, status);
        worker = c->workers[sched_thread_id(w)];
    }
    uint64_t total = 0, found = 0;
    size_t lo, hi;
    int status = PRIMES_OK;
    if (c->op == OP_PRIMES && !c->two_pass) {
        /* One thread: the pieces come in order, each written after the last. */
        size_t at = 0;
        while (worker_or_test_ready(c, worker) && sched_next_chunk(w, (size_t)c->plan.pieces, 1, &lo, &hi)) {
            status = answer_piece(c, worker, lo, 1, at, c->capacity - at, &found);
            if (status != PRIMES_OK) {
                sched_fail(w, status);
                break;
            }
            at += (size_t)found;
        }
        c->written = at;
        return;
    }
    while (worker_or_test_ready(c, worker) && sched_next_chunk(w, (size_t)c->plan.pieces, 1, &lo, &hi)) {
        found = 0;
        status = answer_piece(c, worker, lo, c->op == OP_MASK, 0, 0, &found);
        if (status != PRIMES_OK) {
            sched_fail(w, status);
            break;
        }
        if (c->offsets)
            c->offsets[lo] = found;
        total += found;
    }
    if (c->op == OP_PRIMES) {
        sched_barrier(w, offsets_from_counts, c);
        while (worker_or_test_ready(c, worker) && sched_next_chunk(w, (size_t)c->plan.pieces, 1, &lo, &hi)) {
            size_t at = (size_t)c->offsets[lo];
            size_t room = (size_t)((lo + 1 < c->plan.pieces ? c->offsets[lo + 1] : c->written) - at);
            status = answer_piece(c, worker, lo, 1, at, room, &found);
            if (status != PRIMES_OK) {
                sched_fail(w, status);
                break;
            }
        }
    }
    sched_add_count(w, total);
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Runs a call on a range of n >= 1 elements whose arguments are checked. */
static int run_range(struct range_call *c, int threads, int method, int cpu_level, const int *cancel,
                     uint64_t *count)
{
    c->kernels = test_kernels_for(cpu_level);
    if (threads < 1 || method < PRIMES_METHOD_AUTO || method > PRIMES_METHOD_TEST || c->kernels == NULL)
        return PRIMES_EINVAL;
    if (cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED))
        return PRIMES_ECANCELLED;
    c->plan = plan_range(c->first, c->step, c->n, threads, method);
    /* A step that shares a factor of 30 with every element leaves at most
     * one prime (2, 3 or 5, among the first three elements): the sieve
     * answers that without sieving, on one thread. */
    uint64_t g = gcd_u64(c->step, 30);
    if (c->step > 1 && g > 1 && gcd_u64(c->first % g, g) > 1) {
        c->plan.engine = RANGE_SIEVE;
        c->plan.threads = 1;
        c->plan.piece = c->n;
        c->plan.pieces = 1;
    }
    uint64_t last = c->first + (c->n - 1) * c->step;
    int status = PRIMES_OK;
    if (c->plan.engine == RANGE_SIEVE) {
        struct segsieve_options options = {0};
        /* about how many integers the call sieves: small calls build fewer presieve tables */
        options.width_hint = last - c->first + 1 ? last - c->first + 1 : UINT64_MAX;
        status = segsieve_context_create(last, &options, cancel, &c->ctx);
        if (status != PRIMES_OK)
            return status;
        c->workers = PRIMES_CALLOC((size_t)c->plan.threads, sizeof *c->workers);
        if (!c->workers) {
            segsieve_context_destroy(c->ctx);
            return PRIMES_ENOMEM;
        }
    }
    c->two_pass = c->op == OP_PRIMES && c->plan.threads > 1;
    if (c->two_pass) {
        c->offsets = PRIMES_MALLOC((size_t)c->plan.pieces * sizeof *c->offsets);
        if (!c->offsets)
            status = PRIMES_ENOMEM;
    }
    uint64_t total = 0;
    if (status == PRIMES_OK)
        status = sched_run(c->plan.threads, cancel, range_region, c, &total);
    if (c->workers)
        for (int t = 0; t < c->plan.threads; t++)
            segsieve_worker_destroy(c->workers[t]);
    PRIMES_FREE(c->workers);
    PRIMES_FREE(c->offsets);
    segsieve_context_destroy(c->ctx);
    if (status == PRIMES_OK && count)
        *count = total;
    return status;
}

PRIMES_API int primes_count_range(uint64_t first, uint64_t last, uint64_t step, int threads, int method,
                                  int cpu_level, const int *cancel, uint64_t *count)
{
    if (count == NULL || step == 0)
        return PRIMES_EINVAL;
    if (first > last) {
        *count = 0;
        return PRIMES_OK;
    }
    uint64_t span = last - first;
    if (span == UINT64_MAX)
        span--; /* [0, 2^64 - 1]: 2^64 - 1 = 3 x 5 x 17 x 257 x 641 x 65537 x 6700417 is not prime */
    struct range_call c = {.op = OP_COUNT, .first = first, .step = step, .n = span / step + 1};
    return run_range(&c, threads, method, cpu_level, cancel, count);
}

PRIMES_API int primes_is_prime_range(uint64_t first, uint64_t step, size_t n, int threads, int method,
                                     int cpu_level, const int *cancel, uint8_t *out)
{
    if (step == 0 || (n > 0 && out == NULL))
        return PRIMES_EINVAL;
    if (n == 0)
        return PRIMES_OK;
    if ((uint64_t)(n - 1) > (UINT64_MAX - first) / step)
        return PRIMES_EINVAL; /* past 2^64 - 1 */
    struct range_call c = {.op = OP_MASK, .first = first, .step = step, .n = (uint64_t)n, .mask = out};
    return run_range(&c, threads, method, cpu_level, cancel, NULL);
}

static int primes_call(uint64_t first, uint64_t last, int threads, int method, int cpu_level, const int *cancel,
                       uint64_t *out64, uint32_t *out32, size_t capacity, size_t *written)
{
    if (written == NULL || (capacity > 0 && out64 == NULL && out32 == NULL))
        return PRIMES_EINVAL;
    *written = 0;
    if (first > last)
        return PRIMES_OK;
    uint64_t span = last - first;
    if (span == UINT64_MAX)
        span--; /* 2^64 - 1 is not prime (primes_count_range) */
    struct range_call c = {.op = OP_PRIMES, .first = first, .step = 1, .n = span + 1, .out64 = out64,
                           .out32 = out32, .capacity = capacity};
    int status = run_range(&c, threads, method, cpu_level, cancel, NULL);
    if (status == PRIMES_OK)
        *written = c.written;
    return status;
}

PRIMES_API int primes_primes_range_uint64(uint64_t first, uint64_t last, int threads, int method, int cpu_level,
                                          const int *cancel, uint64_t *out, size_t capacity, size_t *written)
{
    return primes_call(first, last, threads, method, cpu_level, cancel, out, NULL, capacity, written);
}

PRIMES_API int primes_primes_range_uint32(uint64_t first, uint64_t last, int threads, int method, int cpu_level,
                                          const int *cancel, uint32_t *out, size_t capacity, size_t *written)
{
    if (first <= last && last > UINT32_MAX)
        return PRIMES_EINVAL;
    return primes_call(first, last, threads, method, cpu_level, cancel, NULL, out, capacity, written);
}
