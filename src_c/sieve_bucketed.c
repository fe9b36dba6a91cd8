/* SPDX-License-Identifier: MIT */
/*
 * sieve_bucketed.c -- the bucketed sieve (src_c/README.md, "Segments with
 * buckets").
 */
#include "sieve_bucketed.h"

#include <string.h>

#include "config.h"
#include "fault_injection.h"
#include "primes.h"
#include "sieve_window.h"

/* The layout of the two parts (elements.h, struct bucket_layout). */
static void layout_of(struct bucket_layout *l, const struct small_range *small, const struct small_range *large,
                      unsigned large_log2)
{
    memset(l, 0, sizeof *l);
    if (small && small->min <= small->max) {
        uint64_t sieve_lo = small->min | 1u;
        if (sieve_lo > small->max)
            sieve_lo = small->max | 1u; /* a single even value */
        l->small_min = small->min;
        l->small_span = small->max - small->min + 1;
        l->small_lo = sieve_lo;
        l->small_segments = (size_t)((small->max - sieve_lo + 1) / WINDOW_SPAN + 1);
    }
    if (large && large->min <= large->max) {
        l->large_min = large->min;
        l->large_span = large->max - large->min + 1; /* no wrap: min >= 2^32 */
        l->large_base = large->min - large->min % 30;
        l->large_log2 = large_log2;
    }
}

int bucketed_build(struct bucketed *b, const struct element_ops *ops, const void *a, size_t n,
                   const struct small_range *small, const struct small_range *large, unsigned large_log2,
                   size_t piece_segments, uint8_t *out)
{
    memset(b, 0, sizeof *b);
    layout_of(&b->layout, small, large, large_log2);
    const struct bucket_layout *l = &b->layout;
    if (l->large_span) {
        uint64_t last_byte = (l->large_min + (l->large_span - 1) - l->large_base) / 30;
        b->large_segments = (size_t)(last_byte >> large_log2) + 1;
        b->piece_segments = piece_segments < 1 ? 1 : piece_segments;
        b->pieces = b->large_segments / b->piece_segments + (b->large_segments % b->piece_segments != 0);
    }
    size_t segments = l->small_segments + b->large_segments;
    b->start = PRIMES_CALLOC(segments + 1, sizeof(size_t));
    if (!b->start)
        return PRIMES_ENOMEM;
    /* Count, then place: a counting sort of the elements by segment. */
    ops->bucket_count(a, n, l, b->start);
    for (size_t s = 0; s < segments; s++)
        b->start[s + 1] += b->start[s];
    b->bucketed = b->start[segments];
    /* (one more item each: bucket_place's spare slot) */
    b->codes = PRIMES_MALLOC((b->bucketed + 1) * sizeof *b->codes);
    if (out)
        b->indices = PRIMES_MALLOC((b->bucketed + 1) * sizeof *b->indices);
    size_t *fill = PRIMES_MALLOC((segments ? segments : 1) * sizeof(size_t));
    if (!b->codes || (out && !b->indices) || !fill) {
        PRIMES_FREE(fill);
        bucketed_free(b);
        return PRIMES_ENOMEM;
    }
    memcpy(fill, b->start, segments * sizeof(size_t));
    ops->bucket_place(a, n, l, fill, b->codes, b->indices, out, b->bucketed);
    PRIMES_FREE(fill);
    return PRIMES_OK;
}

/* Whether the value of `code` is prime, from the window sieve's marks[j] =
 * is seg_lo + 2j prime (seg_lo odd; the value is seg_lo - 1 + code: in the
 * segment, or 0, 1, 2 just below it). */
static inline int window_marked(uint32_t code, uint64_t seg_lo, const uint8_t *marks)
{
    uint64_t v = seg_lo - 1 + code;
    if (v < seg_lo)
        return v == 2;
    return (v & 1u) ? marks[(v - seg_lo) >> 1] : (v == 2);
}

/* The same from the segmented sieve's bits of the code's bucket. */
static inline int wheel_marked(uint32_t code, const uint8_t *bits)
{
    return (bits[code >> 8] & (uint8_t)code) != 0;
}

/* The answers of items [first, last): a count, or a mask written at the
 * items' indices.  `wheel` (a constant in each caller, so each gets its own
 * loops) says which sieve `sieve` is. */
static inline __attribute__((always_inline)) uint64_t answer(const struct bucketed *b, uint8_t *out, size_t first,
                                                              size_t last, uint64_t seg_lo, const uint8_t *sieve,
                                                              const int wheel)
{
    const uint32_t *codes = b->codes;
    uint64_t count = 0;
    if (!out) {
        for (size_t k = first; k < last; k++)
            count += (uint64_t)(wheel ? wheel_marked(codes[k], sieve) : window_marked(codes[k], seg_lo, sieve));
        return count;
    }
    for (size_t k = first; k < last; k++) {
        int p = wheel ? wheel_marked(codes[k], sieve) : window_marked(codes[k], seg_lo, sieve);
        out[b->indices[k]] = (uint8_t)p;
        count += (uint64_t)p;
    }
    return count;
}

uint64_t bucketed_segment(const struct bucketed *b, uint8_t *out, size_t segment, uint8_t *window)
{
    size_t first = b->start[segment], last = b->start[segment + 1];
    if (first == last)
        return 0;
    uint64_t seg_lo = b->layout.small_lo + segment * WINDOW_SPAN;
    sieve_odd_window(seg_lo, WINDOW_BYTES, window);
    return answer(b, out, first, last, seg_lo, window, 0);
}

int bucketed_piece(const struct bucketed *b, uint8_t *out, size_t piece, struct segsieve_worker *worker,
                   uint64_t *found)
{
    const struct bucket_layout *l = &b->layout;
    size_t seg0 = piece * b->piece_segments, seg_end = seg0 + b->piece_segments;
    if (seg_end > b->large_segments)
        seg_end = b->large_segments;
    const size_t *start = b->start + l->small_segments;
    if (start[seg0] == start[seg_end])
        return PRIMES_OK; /* no element in the piece: nothing to sieve */
    /* The piece [first, last]: whole buckets from large_base (a multiple of
     * 30, so that the worker's segments hold whole buckets), clipped to the
     * part's values; offsets from large_base, so nothing overflows. */
    uint64_t seg_span = (uint64_t)30 << l->large_log2, max = l->large_min + (l->large_span - 1);
    uint64_t first = seg0 == 0 ? l->large_min : l->large_base + (uint64_t)seg0 * seg_span;
    uint64_t last = seg_end == b->large_segments ? max : l->large_base + (uint64_t)seg_end * seg_span - 1;
    uint64_t byte, count = 0;
    const uint8_t *bits;
    uint32_t len;
    int status = segsieve_begin(worker, first, last);
    while (status == PRIMES_OK && (status = segsieve_next(worker, &byte, &bits, &len)) == PRIMES_OK && len) {
        /* The sieve's segment holds whole buckets (both are powers of two
         * of bytes from the piece's base, a bucket no larger). */
        for (uint64_t at = 0; at < len; at += (uint64_t)1 << l->large_log2) {
            size_t s = seg0 + (size_t)((byte + at) >> l->large_log2);
            if (start[s] < start[s + 1])
                count += answer(b, out, start[s], start[s + 1], 0, bits + at, 1);
        }
    }
    if (status == PRIMES_OK)
        *found += count;
    return status;
}

void bucketed_free(struct bucketed *b)
{
    PRIMES_FREE(b->indices);
    PRIMES_FREE(b->codes);
    PRIMES_FREE(b->start);
    b->indices = NULL;
    b->codes = NULL;
    b->start = NULL;
}
