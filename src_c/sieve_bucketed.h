/* SPDX-License-Identifier: MIT */
/*
 * sieve_bucketed.h -- the bucketed sieve (internal): for values that are
 * dense in their range but unordered (a shuffled range, at any height), the
 * element indices are grouped by segment (one counting sort), and each
 * segment is sieved once and answers its elements, instead of each element
 * being tested or each chunk sieving a window as wide as the whole range.
 *
 * The grouping has two parts (struct bucket_layout, elements.h), because
 * the two sieves differ below and above 2^32:
 *   - the values below 2^32, in segments of WINDOW_SPAN integers, each sieved
 *     by the window sieve (sieve_window.h: its primes are the table's);
 *   - the values of 2^32 and above, in the segmented sieve's segments
 *     (sieve_segmented.h) of their span [min, max], consecutive segments
 *     grouped into pieces: a piece places its sieving primes (up to
 *     sqrt(max), made for the call by the shared, read-only context) once
 *     and then sieves its segments one after the other, so that this set-up
 *     is paid once per piece rather than once per segment.
 * The planner prices each part on its own (plan.c); a part it leaves out,
 * like any value outside both, is tested (element_ops.test_unbucketed).
 *
 * A call builds the buckets once (bucketed_build, serial), then any thread
 * answers any small segment (bucketed_segment, with its own window) or any
 * large piece (bucketed_piece, with its own segmented-sieve worker), then the
 * buckets are freed.
 */
#ifndef PRIMES_SIEVE_BUCKETED_H
#define PRIMES_SIEVE_BUCKETED_H

#include <stddef.h>
#include <stdint.h>

#include "elements.h"
#include "sieve_segmented.h"

struct bucketed {
    struct bucket_layout layout;
    size_t large_segments; /* segments of the large part, after the small ones */
    size_t piece_segments; /* large segments per piece */
    size_t pieces;         /* pieces of the large part (0: none) */
    size_t bucketed;       /* elements in the buckets */
    size_t *start;         /* segment s holds items[start[s] .. start[s + 1]) */
    uint64_t *items;       /* element indices (values, for a count) grouped by segment */
};

/* Groups the indices (when `values`, the values themselves: a count needs
 * no more) of the values of a[0..n) in [small->min, small->max]
 * (below 2^32) and in [large->min, large->max] (2^32 and above) by segment;
 * either range may be NULL (that part is empty).  The large part's segments
 * hold 2^large_log2 bytes of 30 integers (the segmented sieve's context's
 * segment_bytes), piece_segments >= 1 of them per piece.  Returns PRIMES_OK,
 * or PRIMES_ENOMEM with nothing left allocated. */
int bucketed_build(struct bucketed *b, const struct element_ops *ops, const void *a, size_t n,
                   const struct small_range *small, const struct small_range *large, unsigned large_log2,
                   size_t piece_segments, int values);

/* Sieves small segment `segment` (< layout.small_segments) into `window`
 * (WINDOW_BYTES bytes) and answers its elements (into out, NULL when the
 * buckets hold values); returns the number of
 * primes among them. */
uint64_t bucketed_segment(const struct bucketed *b, const struct element_ops *ops, const void *a, uint8_t *out,
                          size_t segment, uint8_t *window);

/* Sieves large piece `piece` (< pieces) segment by segment with `worker` (of
 * a context whose max_last is at least the large part's max) and answers
 * its elements; adds the number of primes among them to *found.  Returns
 * PRIMES_OK, PRIMES_ENOMEM or PRIMES_ECANCELLED (the context's cancel flag). */
int bucketed_piece(const struct bucketed *b, const struct element_ops *ops, const void *a, uint8_t *out,
                   size_t piece, struct segsieve_worker *worker, uint64_t *found);

/* Frees what bucketed_build allocated (nothing, for a zeroed struct). */
void bucketed_free(struct bucketed *b);

#endif /* PRIMES_SIEVE_BUCKETED_H */
