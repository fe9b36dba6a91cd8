/* SPDX-License-Identifier: MIT */
/*
 * sieve_bucketed.h -- the bucketed sieve (internal): for values below 2^32
 * that are dense in their range but unordered, the element indices are
 * grouped by segment of WINDOW_SPAN integers (a counting sort), and each
 * segment is sieved once and answers its elements.
 *
 * A call builds the buckets once (bucketed_build, serial), then any thread
 * answers any segment (bucketed_segment, with its own window), then the
 * buckets are freed.  The values >= 2^32 are not in any bucket: the caller
 * tests them (element_ops.test_large).
 */
#ifndef PRIMES_SIEVE_BUCKETED_H
#define PRIMES_SIEVE_BUCKETED_H

#include <stddef.h>
#include <stdint.h>

#include "elements.h"

struct bucketed {
    uint64_t sieve_lo; /* the first (odd) number sieved */
    size_t segments;   /* segments of WINDOW_SPAN integers from sieve_lo */
    size_t small;      /* elements below 2^32: the ones in the buckets */
    size_t *start;     /* segment s holds items[start[s] .. start[s + 1]) */
    size_t *items;     /* element indices grouped by segment */
};

/* Groups the indices of the values below 2^32 of a[0..n) by segment, the
 * segments covering [min, max], the range of those values (min <= max <
 * 2^32).  Returns PRIMES_OK, or PRIMES_ENOMEM with nothing left allocated. */
int bucketed_build(struct bucketed *b, const struct element_ops *ops, const void *a, size_t n, uint64_t min,
                   uint64_t max);

/* Sieves segment `segment` into `window` (WINDOW_BYTES bytes) and answers
 * its elements; returns the number of primes among them. */
uint64_t bucketed_segment(const struct bucketed *b, const struct element_ops *ops, const void *a, uint8_t *out,
                          size_t segment, uint8_t *window);

/* Frees what bucketed_build allocated (nothing, for a zeroed struct). */
void bucketed_free(struct bucketed *b);

#endif /* PRIMES_SIEVE_BUCKETED_H */
