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

/* Group the elements by segment when the values below 2^32 are dense in
 * their range but not ordered (or when the caller forces the sieve), so that
 * each segment is sieved once. */
static int want_bucketed(int method, const struct small_range *scan)
{
    if (scan->max < scan->min || scan->max < SMALL_LIMIT)
        return 0; /* nothing below 2^32, or the bit table answers everything */
    if (method == PRIMES_METHOD_SIEVE)
        return 1;
    uint64_t span = scan->max - scan->min + 1;
    return COST_BUCKETED_NS_PER_INTEGER * (double)span + COST_BUCKETED_NS_PER_ELEMENT * (double)scan->count
           < COST_TEST_NS_PER_ELEMENT * (double)scan->count;
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
    } else if (f->first_max - f->first_min < WINDOW_SPAN - 1) {
        /* The first chunk's values are close together: the input is locally
         * dense (a range, sorted data) and each chunk decides for itself. */
        p.path = PLAN_PER_CHUNK;
    } else if (f->first_min >= TWO_POW_32 && f->method != PRIMES_METHOD_SIEVE) {
        /* A first chunk with no value below 2^32 (random 64-bit data) makes
         * the sieve hopeless in auto mode: skip the extra pass. */
        p.path = PLAN_PER_CHUNK;
    } else if (!f->have_scan) {
        p.path = PLAN_SCAN;
    } else {
        p.path = want_bucketed(f->method, &f->scan) ? PLAN_BUCKETED : PLAN_PER_CHUNK;
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
