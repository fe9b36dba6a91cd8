/* SPDX-License-Identifier: MIT */
/*
 * passes.h -- the simple passes over an array that the engines make besides
 * the test, written once and included by each level's kernel file
 * (test_baseline.c, test_avx2.c, test_avx512.c), where the compiler
 * vectorises them with that file's flags:
 *
 *   extremes_u32/_u64  the least and greatest of the values: 4 lanes of SSE2,
 *       8 of VPMINUD or 16 of AVX-512 for 32-bit values.  The planner looks
 *       at every chunk's span, and with SSE2's compare-and-blend that pass
 *       cost half as much as the AVX-512 test of random 32-bit values.
 *   byteswap_u32/_u64  the values in the other byte order (NumPy's non-native
 *       arrays): one byte shuffle per vector with SSSE3 and up, one BSWAP
 *       per value with SSE2 alone (GCC vectorises no swap without PSHUFB).
 *   run_mismatch_u32/_u64  whether the values are first, first + 1, ...: the
 *       check of every array taken for np.arange.  With SSE2's two 64-bit
 *       lanes that check was 58% of count(np.arange(10**6), mode="serial"),
 *       about twice a.sum()'s time.
 *   narrow_u64/narrow_i64  64-bit values (negatives as 2^32 - 2) as 32 bits,
 *       with the OR of their high halves: int64 arrays of 32-bit numbers
 *       (NumPy's default integer) take the 32-bit kernel.  The baseline's
 *       scalar copy, a clamp loop and a narrowing loop, cost int64 data 42%
 *       more than the same values as uint32 at the avx512 level.
 *
 * For extremes:
 * Static, not inline: each file that includes this header gets its own copy,
 * compiled with its flags, and its table (test_kernels.h) points at it.
 * Each value is taken as v[k] ^ flip: flip = 0 for unsigned elements, the
 * sign bit for signed ones (whose order x ^ sign bit keeps as unsigned).
 */
#ifndef PRIMES_PASSES_H
#define PRIMES_PASSES_H

#include <stddef.h>
#include <stdint.h>

/* count >= 1. */
static void extremes_u32(const uint32_t *v, size_t count, uint32_t flip, uint32_t *least,
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

static void extremes_u64(const uint64_t *v, size_t count, uint64_t flip, uint64_t *least,
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

static void byteswap_u32(const uint32_t *src, uint32_t *dst, size_t count)
{
    for (size_t k = 0; k < count; k++)
        dst[k] = __builtin_bswap32(src[k]);
}

static void byteswap_u64(const uint64_t *src, uint64_t *dst, size_t count)
{
    for (size_t k = 0; k < count; k++)
        dst[k] = __builtin_bswap64(src[k]);
}

/* The bits in which v[k] differs from first + k (wrapping), ORed over
 * 0 <= k < count: 0 exactly when v holds the run first, first + 1, ...
 * Four accumulators: independent chains, and a loop the compiler unrolls
 * into whole vectors. */
static uint32_t run_mismatch_u32(const uint32_t *v, size_t count, uint32_t first)
{
    uint32_t diff[4] = {0, 0, 0, 0};
    size_t k = 0;
    for (; k + 4 <= count; k += 4)
        for (size_t j = 0; j < 4; j++)
            diff[j] |= v[k + j] ^ (uint32_t)(first + (uint32_t)(k + j));
    for (; k < count; k++)
        diff[0] |= v[k] ^ (uint32_t)(first + (uint32_t)k);
    return diff[0] | diff[1] | diff[2] | diff[3];
}

static uint64_t run_mismatch_u64(const uint64_t *v, size_t count, uint64_t first)
{
    uint64_t diff[4] = {0, 0, 0, 0};
    size_t k = 0;
    for (; k + 4 <= count; k += 4)
        for (size_t j = 0; j < 4; j++)
            diff[j] |= v[k + j] ^ (first + (uint64_t)(k + j));
    for (; k < count; k++)
        diff[0] |= v[k] ^ (first + (uint64_t)k);
    return diff[0] | diff[1] | diff[2] | diff[3];
}

/* v[k] as 32 bits into out[k], 0 <= k < count; returns the OR of the v[k]'s
 * high halves: 0 exactly when every v[k] is below 2^32 (out then holds them). */
static uint32_t narrow_u64(const uint64_t *v, size_t count, uint32_t *out)
{
    uint64_t high = 0;
    for (size_t k = 0; k < count; k++) {
        high |= v[k];
        out[k] = (uint32_t)v[k];
    }
    return (uint32_t)(high >> 32);
}

/* The same for int64 values, each negative one taken as 2^32 - 2 (even, so
 * not prime, and above the small values that take a table one lane at a
 * time: see EL(kernel_value) in elements.template.c). */
static uint32_t narrow_i64(const int64_t *v, size_t count, uint32_t *out)
{
    uint64_t high = 0;
    for (size_t k = 0; k < count; k++) {
        uint64_t negative = 0 - (uint64_t)(v[k] < 0); /* all ones or 0 */
        uint64_t x = ((uint64_t)v[k] & ~negative) | (negative & UINT64_C(0xfffffffe));
        high |= x;
        out[k] = (uint32_t)x;
    }
    return (uint32_t)(high >> 32);
}

#endif /* PRIMES_PASSES_H */
