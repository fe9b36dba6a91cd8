/* SPDX-License-Identifier: MIT */
/*
 * elements.h -- the loops that read the input array, once per element type
 * (internal).
 *
 * Everything that touches a[i] lives in elements.template.c, which
 * elements.c includes once per element type; each inclusion defines one
 * `struct element_ops`, a table of plain functions (element_ops_int32 ...).
 * The engines and the planner are written once, on uint64_t values, and call
 * the loops of their call's element type through this table: once per chunk
 * or segment, never per element.  Every loop maps a negative value to 0 (not
 * prime) as it reads it.
 *
 * Ranges [lo, hi) are element indices; `out` is NULL when the call counts,
 * else it receives out[i] = 0 or 1 for each element answered.  Functions that
 * answer elements return the number of primes among them.
 */
#ifndef PRIMES_ELEMENTS_H
#define PRIMES_ELEMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "test_kernels.h"

/* The minimum, maximum and number of some values below 2^32. */
struct small_range {
    uint64_t min, max; /* min > max when there are none */
    size_t count;
};

struct element_ops {
    const char *name; /* "int32", "uint32", "int64", "uint64" */

    /* *min and *max of a[lo..hi) (lo < hi); returns 1 when the elements run
     * consecutively, a[i + 1] == a[i] + 1 (as np.arange does), else 0. */
    int (*scan)(const void *a, size_t lo, size_t hi, uint64_t *min, uint64_t *max);

    /* The per-element test of a[lo..hi), through the call's kernels. */
    uint64_t (*test)(const void *a, uint8_t *out, size_t lo, size_t hi, const struct test_kernels *kernels);

    /* Answers a[lo..hi) from a sieved window: marks[j] tells whether
     * base + 2j + 1 is prime; base is even and every value lies in
     * [base, base + 2 * (bytes of marks)). */
    uint64_t (*window)(const void *a, uint8_t *out, size_t lo, size_t hi, uint64_t base,
                       const uint8_t *marks);

    /* Adds the values of a[lo..hi) below 2^32 to *range. */
    void (*small_range)(const void *a, size_t lo, size_t hi, struct small_range *range);

    /* The per-element test of the values >= 2^32 among a[lo..hi) (the others
     * are left alone). */
    uint64_t (*test_large)(const void *a, uint8_t *out, size_t lo, size_t hi,
                           const struct test_kernels *kernels);

    /* The bucketed sieve's counting sort of the indices of the values below
     * 2^32 by segment, segment(v) = v < sieve_lo ? 0 : (v - sieve_lo) /
     * WINDOW_SPAN: bucket_count adds one to counts[segment(v) + 1] per value;
     * bucket_place writes each index i at items[fill[segment(a[i])]++]. */
    void (*bucket_count)(const void *a, size_t n, uint64_t sieve_lo, size_t *counts);
    void (*bucket_place)(const void *a, size_t n, uint64_t sieve_lo, size_t *fill, size_t *items);

    /* Answers the elements a[items[k]], first <= k < last, all in the segment
     * that starts at the odd number seg_lo (or below it: 0, 1, 2), from
     * marks[j] = is seg_lo + 2j prime. */
    uint64_t (*bucket_answer)(const void *a, uint8_t *out, const size_t *items, size_t first, size_t last,
                              uint64_t seg_lo, const uint8_t *marks);
};

extern const struct element_ops element_ops_int32;
extern const struct element_ops element_ops_uint32;
extern const struct element_ops element_ops_int64;
extern const struct element_ops element_ops_uint64;

#endif /* PRIMES_ELEMENTS_H */
