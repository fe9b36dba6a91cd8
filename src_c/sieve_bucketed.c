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

int bucketed_build(struct bucketed *b, const struct element_ops *ops, const void *a, size_t n, uint64_t min,
                   uint64_t max)
{
    uint64_t sieve_lo = min | 1u;
    if (sieve_lo > max)
        sieve_lo = max | 1u; /* a single even value */
    b->sieve_lo = sieve_lo;
    b->segments = (size_t)((max - sieve_lo + 1) / WINDOW_SPAN + 1);
    b->items = NULL;
    b->start = PRIMES_CALLOC(b->segments + 1, sizeof(size_t));
    if (!b->start)
        return PRIMES_ENOMEM;
    /* Count, then place: a counting sort of the element indices by segment. */
    ops->bucket_count(a, n, sieve_lo, b->start);
    for (size_t s = 0; s < b->segments; s++)
        b->start[s + 1] += b->start[s];
    b->small = b->start[b->segments];
    b->items = PRIMES_MALLOC((b->small ? b->small : 1) * sizeof(size_t));
    size_t *fill = PRIMES_MALLOC(b->segments * sizeof(size_t));
    if (!b->items || !fill) {
        PRIMES_FREE(fill);
        bucketed_free(b);
        return PRIMES_ENOMEM;
    }
    memcpy(fill, b->start, b->segments * sizeof(size_t));
    ops->bucket_place(a, n, sieve_lo, fill, b->items);
    PRIMES_FREE(fill);
    return PRIMES_OK;
}

uint64_t bucketed_segment(const struct bucketed *b, const struct element_ops *ops, const void *a, uint8_t *out,
                          size_t segment, uint8_t *window)
{
    size_t first = b->start[segment], last = b->start[segment + 1];
    if (first == last)
        return 0;
    uint64_t seg_lo = b->sieve_lo + segment * WINDOW_SPAN;
    sieve_odd_window(seg_lo, WINDOW_BYTES, window);
    return ops->bucket_answer(a, out, b->items, first, last, seg_lo, window);
}

void bucketed_free(struct bucketed *b)
{
    PRIMES_FREE(b->items);
    PRIMES_FREE(b->start);
    b->items = NULL;
    b->start = NULL;
}
