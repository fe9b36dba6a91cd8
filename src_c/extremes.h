/* SPDX-License-Identifier: MIT */
/*
 * extremes.h -- the least and greatest of an array's values, written once and
 * included by each level's kernel file (test_baseline.c, test_avx2.c,
 * test_avx512.c), where the compiler vectorises it with that file's flags:
 * 4 lanes of SSE2, 8 of VPMINUD or 16 of AVX-512 for 32-bit values.  The
 * planner looks at every chunk's span, and with SSE2's compare-and-blend that
 * pass cost half as much as the AVX-512 test of random 32-bit values.
 *
 * Each file's table (test_kernels.h) points at its own wrappers of these.
 * Each value is taken as v[k] ^ flip: flip = 0 for unsigned elements, the
 * sign bit for signed ones (whose order x ^ sign bit keeps as unsigned).
 */
#ifndef PRIMES_EXTREMES_H
#define PRIMES_EXTREMES_H

#include <stddef.h>
#include <stdint.h>

/* count >= 1. */
static inline void extremes_u32(const uint32_t *v, size_t count, uint32_t flip, uint32_t *least,
                                uint32_t *greatest)
{
    uint32_t lo = UINT32_MAX, hi = 0;
    for (size_t k = 0; k < count; k++) {
        uint32_t x = v[k] ^ flip;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    *least = lo;
    *greatest = hi;
}

static inline void extremes_u64(const uint64_t *v, size_t count, uint64_t flip, uint64_t *least,
                                uint64_t *greatest)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t k = 0; k < count; k++) {
        uint64_t x = v[k] ^ flip;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    *least = lo;
    *greatest = hi;
}

#endif /* PRIMES_EXTREMES_H */
