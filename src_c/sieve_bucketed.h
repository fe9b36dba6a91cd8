/* SPDX-License-Identifier: MIT */
/*
 * sieve_bucketed.h -- the bucketed sieve (internal): for values that are
 * dense in their range but unordered (a shuffled range, at any height), the
 * elements are grouped by segment (one counting sort; each as a 4-byte code
 * of its place in the segment, plus its index for a mask, so that answering
 * never reads the array at random), and each segment is sieved once and
 * answers its elements, instead of each element being tested or each chunk
 * sieving a window as wide as the whole range.
 *
 * The grouping has two parts (struct bucket_layout, elements.h), because
 * the two sieves differ below and above 2^32:
 *   - the values below 2^32, in segments of WINDOW_SPAN integers, each sieved
 *     by the window sieve (sieve_window.h: its primes are the table's);
 *   - the values of 2^32 and above, in buckets of 2^BUCKETED_LARGE_LOG2
 *     bytes (122880 integers) of the segmented sieve's bitmap (sieve_segmented.h)
 *     of their span [min, max], consecutive buckets grouped into pieces: a
 *     piece places its sieving primes (up to sqrt(max), made for the call by
 *     the shared, read-only context when sqrt(max) <= 2^24, else made again
 *     per piece, as for ranges) once and then sieves its segments one
 *     after the other, answering the buckets of each from its bits in place,
 *     so that this set-up is paid once per piece rather than once per
 *     segment.
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
    size_t *start;         /* segment s holds items [start[s], start[s + 1]) */
    uint32_t *codes;       /* grouped by segment: each element's code (below) */
    uint64_t *indices;     /* and, for a mask, its index (NULL for a count) */
};

/* The items' codes (element_ops.bucket_place): 4 bytes that say where an
 * element's answer lies in its segment, so that answering reads no element.
 * Below 2^32, v - seg_lo + 1 (v >= seg_lo - 1: an even minimum lies just
 * below the odd seg_lo); from 2^32, the byte of v in its bucket (< 2^12) and
 * its bit in that byte. */
static inline uint32_t bucket_code_window(uint64_t v, uint64_t seg_lo)
{
    return (uint32_t)(v - seg_lo + 1);
}

static inline uint32_t bucket_code_wheel(uint64_t byte, uint8_t bit)
{
    return (uint32_t)(byte << 8) | bit;
}

/* Groups the values of a[0..n) in [small->min, small->max] (below 2^32)
 * and in [large->min, large->max] (2^32 and above) by segment, as codes
 * and, unless counting (out NULL), indices, writing out[i] = 0 for each
 * value left out (its residue proves it composite); either range may be
 * NULL (that part is empty).  The large part's segments (buckets) hold
 * 2^large_log2 bytes of 30 integers (BUCKETED_LARGE_LOG2: no more than the
 * segmented sieve's own segments, so that each of those holds whole
 * buckets), piece_segments >= 1 of them per piece.  Returns PRIMES_OK, or
 * PRIMES_ENOMEM with nothing left allocated. */
int bucketed_build(struct bucketed *b, const struct element_ops *ops, const void *a, size_t n,
                   const struct small_range *small, const struct small_range *large, unsigned large_log2,
                   size_t piece_segments, uint8_t *out);

/* Sieves small segment `segment` (< layout.small_segments) into `window`
 * (WINDOW_BYTES bytes) and answers its elements (into out, NULL when
 * counting: the same as bucketed_build's); returns the number of
 * primes among them. */
uint64_t bucketed_segment(const struct bucketed *b, uint8_t *out, size_t segment, uint8_t *window);

/* Sieves large piece `piece` (< pieces) segment by segment with `worker` (of
 * a context whose max_last is at least the large part's max and whose
 * segments are at least 2^large_log2 bytes) and answers its elements; adds the number of primes among them to *found.  Returns
 * PRIMES_OK, PRIMES_ENOMEM or PRIMES_ECANCELLED (the context's cancel flag). */
int bucketed_piece(const struct bucketed *b, uint8_t *out, size_t piece, struct segsieve_worker *worker,
                   uint64_t *found);

/* Frees what bucketed_build allocated (nothing, for a zeroed struct). */
void bucketed_free(struct bucketed *b);

#endif /* PRIMES_SIEVE_BUCKETED_H */
