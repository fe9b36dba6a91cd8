/* SPDX-License-Identifier: MIT */
/*
 * plan.h -- the planner (internal): which engine answers a call, on how many
 * threads, in what chunks; and, per chunk, the window sieve or the test.
 *
 * Pure functions of what is known about the input, with no side effect and no
 * allocation, so that a C test (tests/c/test_planner.c) checks every decision
 * directly.  The cost model's coefficients are in config.h.
 *
 * A call plans in up to three rounds, each time with more facts:
 *
 *   struct plan_facts f = {.n = n, .threads = threads, .method = method};
 *   struct plan p = plan_make(&f);
 *   if (p.path == PLAN_NEED_FIRST_CHUNK) {      // may a sieve help?
 *       scan a[0 .. min(p.chunk, n)) for its min and max;
 *       f.have_first_chunk = 1, f.first_min = .., f.first_max = ..;
 *       p = plan_make(&f);                      // PER_CHUNK or SCAN
 *   }
 *   if (p.path == PLAN_SCAN) {                  // on the threads: one pass
 *       f.have_scan = 1, f.scan = the range of all values below 2^32,
 *       f.scan_large = the range of the others;
 *       p = plan_make(&f);                      // BUCKETED or PER_CHUNK
 *   }
 *
 * The thread count and the chunk size never change between rounds.  In the
 * PER_CHUNK path, each chunk then asks plan_chunk() for its own engine.
 */
#ifndef PRIMES_PLAN_H
#define PRIMES_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "elements.h"

enum plan_path {
    PLAN_TEST_ON_CALLER,   /* the test on the calling thread: no thread, no allocation */
    PLAN_TEST,             /* chunks on the threads, each one tested (method TEST) */
    PLAN_NEED_FIRST_CHUNK, /* look at the first chunk's min and max, then plan again */
    PLAN_PER_CHUNK,        /* chunks on the threads, each choosing with plan_chunk() */
    PLAN_SCAN,             /* one pass for the ranges of the values below and above 2^32, then plan again */
    PLAN_BUCKETED,         /* the bucketed sieve for one or both of those parts, the test for the rest */
    PLAN_RUNS,             /* one run of consecutive values: pieces sieved by the segmented sieve */
};

/* What is known about a call. */
struct plan_facts {
    size_t n;   /* elements */
    int threads; /* the caller's limit, >= 1 */
    int method;  /* PRIMES_METHOD_* */
    /* The first chunk's values (a[0 .. min(chunk, n))), once looked at. */
    int have_first_chunk;
    uint64_t first_min, first_max;
    /* Whether the first chunk runs consecutively (a[i + 1] == a[i] + 1), and
     * the last element's value: together they say the whole array may be one
     * run [first_min, first_min + n - 1] (np.arange), which each part checks
     * for itself in the PLAN_RUNS path (a part that is not such a run is
     * tested).  The PLAN_RUNS plan's chunk is the piece of the run that
     * one sieve item covers (from plan_range, at least RUN_PIECE_MIN). */
    int first_consecutive;
    uint64_t last_value;
    /* The range and count of all values below 2^32, and of all values of
     * 2^32 and above (count 0: none), once scanned. */
    int have_scan;
    struct small_range scan;
    struct small_range scan_large;
    /* The level of the call's test kernels (PRIMES_CPU_*; 0, the baseline,
     * when not set), which prices the test against the bucketed sieves. */
    int kernel_level;
};

struct plan {
    enum plan_path path;
    int threads;  /* threads the call uses, the calling thread included */
    size_t chunk; /* elements per chunk handed out by the scheduler */
    /* PLAN_BUCKETED: which parts go to the buckets (the others are tested):
     * the values below 2^32 (window sieve), those of 2^32 and above
     * (segmented sieve). */
    int bucket_small, bucket_large;
};

struct plan plan_make(const struct plan_facts *facts);

/* The PLAN_NEED_FIRST_CHUNK round's facts: the first chunk's min, max and
 * whether it runs consecutively, and the last element's value. */
static inline void plan_look_at_first_chunk(struct plan_facts *f, const struct element_ops *ops, const void *a,
                                            size_t chunk, const struct test_kernels *kernels)
{
    uint64_t last_min;
    f->first_consecutive = ops->scan(a, 0, chunk < f->n ? chunk : f->n, &f->first_min, &f->first_max, kernels);
    ops->scan(a, f->n - 1, f->n, &last_min, &f->last_value, kernels);
    f->have_first_chunk = 1;
}

/* The engine of one chunk in the PER_CHUNK path. */
enum chunk_engine {
    CHUNK_TEST,       /* the per-element test */
    CHUNK_WINDOW,     /* sieve the chunk's window [min, max], look each element up */
    CHUNK_WINDOW_RUN, /* sieve the window and count it: the chunk is a run min, min + 1, ..., max */
};

/* From the chunk's element count, min and max, whether it runs consecutively
 * (element_ops.scan) and whether the call counts (no output array). */
enum chunk_engine plan_chunk(int method, size_t elements, uint64_t min, uint64_t max, int consecutive,
                             int counting);

/* ---- ranges (entry_range.c) ------------------------------------------------
 *
 * A range is the elements first + j step, 0 <= j < n (n >= 1, step >= 1, the
 * last element <= 2^64 - 1).  It is answered by the segmented sieve
 * (sieve_segmented.h) over pieces of [first, last], or by the per-element
 * test over pieces of its elements, whichever the cost model (config.h,
 * "ranges") prices lower; method SIEVE or TEST forces one.  A piece is
 * `piece` consecutive elements (the last piece may be shorter); `pieces`
 * pieces in all, handed out on `threads` threads. */
enum range_engine {
    RANGE_SIEVE,
    RANGE_TEST,
};

struct range_plan {
    enum range_engine engine;
    int threads;
    uint64_t piece;  /* elements per piece, >= 1 */
    uint64_t pieces; /* ceil(n / piece) */
};

struct range_plan plan_range(uint64_t first, uint64_t step, uint64_t n, int threads, int method);

/* The model's estimates, in ns on one thread (exposed for the tests). */
double plan_range_sieve_ns(uint64_t first, uint64_t step, uint64_t n, uint64_t pieces);
double plan_range_test_ns(uint64_t first, uint64_t step, uint64_t n);
/* About pi(sqrt(x)): the sieving primes of a range ending at x. */
double plan_sieving_primes(uint64_t x);

/* The bucketed sieve of `count` values of 2^32 and above spanning [min,
 * max] against their test, in ns on one thread (exposed for the tests). */
double plan_bucketed_large_sieve_ns(uint64_t min, uint64_t max, size_t count);
double plan_bucketed_large_test_ns(size_t count, int kernel_level);

#endif /* PRIMES_PLAN_H */
