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
#include <string.h>

#include "test_kernels.h"

/* The minimum, maximum and number of some values (those below 2^32, or
 * those of 2^32 and above). */
struct small_range {
    uint64_t min, max; /* min > max when there are none */
    size_t count;
};

/* Which values the bucketed sieve (sieve_bucketed.h) groups, and in which
 * segment.  Two parts, each given as [min, min + span) (span 0: the part is
 * empty), so that one unsigned comparison tells whether v is in it:
 *   - the small part, below 2^32, sieved by the window sieve: segments 0 ..
 *     small_segments - 1, v in segment (v - small_lo) / WINDOW_SPAN (0 for v
 *     below the odd small_lo: 0, 1, 2);
 *   - the large part, from 2^32, sieved by the segmented sieve in segments
 *     of 2^large_log2 bytes of 30 integers from large_base (a multiple of
 *     30): v in segment small_segments + ((v - large_base) / 30 >> large_log2).
 * Values in neither part are tested. */
struct bucket_layout {
    uint64_t small_min, small_span, small_lo;
    size_t small_segments;
    uint64_t large_min, large_span, large_base;
    unsigned large_log2;
};

struct element_ops {
    const char *name; /* "int32", "uint32", "int64", "uint64", each also with "_swapped" */

    /* *min and *max of a[lo..hi) (lo < hi); returns 1 when the elements run
     * consecutively, a[i + 1] == a[i] + 1 (as np.arange does), else 0.
     * The extremes of a part that is not a run come from the kernels' level. */
    int (*scan)(const void *a, size_t lo, size_t hi, uint64_t *min, uint64_t *max,
                const struct test_kernels *kernels);

    /* The per-element test of a[lo..hi), through the call's kernels. */
    uint64_t (*test)(const void *a, uint8_t *out, size_t lo, size_t hi, const struct test_kernels *kernels);

    /* Answers a[lo..hi) from a sieved window: marks[j] tells whether
     * base + 2j + 1 is prime; base is even and every value lies in
     * [base, base + 2 * (bytes of marks)). */
    uint64_t (*window)(const void *a, uint8_t *out, size_t lo, size_t hi, uint64_t base,
                       const uint8_t *marks);

    /* Adds the values of a[lo..hi) below 2^32 to *small, the others to *large
     * (32-bit elements: the extremes from the kernels' level). */
    void (*ranges)(const void *a, size_t lo, size_t hi, struct small_range *small, struct small_range *large,
                   const struct test_kernels *kernels);

    /* The per-element test of the values of a[lo..hi) in neither part of
     * the layout (the others are left alone). */
    uint64_t (*test_unbucketed)(const void *a, uint8_t *out, size_t lo, size_t hi,
                                const struct test_kernels *kernels, const struct bucket_layout *layout);

    /* The bucketed sieve's counting sort of the elements in the layout's
     * parts by segment, leaving out the values whose residue (mod 2 below
     * 2^32, mod 30 above) proves them composite: bucket_count adds one to
     * counts[segment(v) + 1] per value kept; bucket_place writes, for each,
     * the 32-bit code of its place in its segment (sieve_bucketed.h) at
     * codes[fill[segment(v)]++] and, for a mask (indices not NULL), its index
     * at the same place of indices, and out[i] = 0 for every value in a
     * part, in order (the kept ones get their answer later).  So answering a
     * segment reads its codes in order and never the array, and a mask's
     * only scattered accesses are the writes of the kept values' answers.
     * The codes (and indices) of the values left out go to slot `spare`,
     * past the buckets. */
    void (*bucket_count)(const void *a, size_t n, const struct bucket_layout *layout, size_t *counts);
    void (*bucket_place)(const void *a, size_t n, const struct bucket_layout *layout, size_t *fill,
                         uint32_t *codes, uint64_t *indices, uint8_t *out, size_t spare);
};

extern const struct element_ops element_ops_int32;
extern const struct element_ops element_ops_uint32;
extern const struct element_ops element_ops_int64;
extern const struct element_ops element_ops_uint64;
/* The same four in the other byte order (NumPy's non-native arrays), read in place. */
extern const struct element_ops element_ops_int32_swapped;
extern const struct element_ops element_ops_uint32_swapped;
extern const struct element_ops element_ops_int64_swapped;
extern const struct element_ops element_ops_uint64_swapped;

/* The number of 1 bytes of res[0 .. m) (each 0 or 1: a kernel's answers),
 * eight at a time: a multiplication sums a word's bytes into its top byte.
 * A byte-by-byte sum compiles to chains of SSE2 unpacks, which cost 5% of
 * the AVX-512 test of random 32-bit values. */
static inline uint64_t elements_ones(const uint8_t *res, size_t m)
{
    uint64_t total = 0;
    size_t k = 0;
    for (; k + 8 <= m; k += 8) {
        uint64_t word;
        memcpy(&word, res + k, sizeof word);
        total += (word * UINT64_C(0x0101010101010101)) >> 56;
    }
    for (; k < m; k++)
        total += res[k];
    return total;
}

/* Whether a[lo..hi) (lo < hi) holds the values first + lo, ..., first + hi - 1:
 * the check of an array taken for one run (np.arange). */
static inline int elements_are_run(const struct element_ops *ops, const void *a, size_t lo, size_t hi,
                                   uint64_t first, const struct test_kernels *kernels)
{
    uint64_t min, max;
    return ops->scan(a, lo, hi, &min, &max, kernels) && min == first + lo && max == first + (hi - 1);
}

#endif /* PRIMES_ELEMENTS_H */
