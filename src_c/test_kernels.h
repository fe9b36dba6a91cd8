/* SPDX-License-Identifier: MIT */
/*
 * test_kernels.h -- the per-element primality test, as batch kernels (internal).
 *
 * A kernel classifies an array of unsigned values:
 *
 *   res[k] = 1 if v[k] is prime, else 0, for 0 <= k < count.
 *
 * Any count (0 included), any values (0, 1, 2, evens, 2^32 - 1, 2^64 - 1 ...).
 * No allocation (stack buffers only), no globals, reentrant; v and res do not
 * overlap.  classify_u64 handles values below 2^32 too.  Signed inputs are
 * mapped to unsigned by the caller (negatives to 0) before the kernel.
 *
 * Kernels come in levels (PRIMES_CPU_* in primes.h): `baseline` is portable
 * C (test_baseline.c, today's algorithm); faster levels live in their own
 * files, compiled with their own flags.  The engines never name a kernel:
 * they call through the `const struct test_kernels *` of their call, which
 * the entry points choose, so that a new level plugs in here and in the
 * choice only.  A level without a special kernel for one width points at a
 * lower level's function.
 */
#ifndef PRIMES_TEST_KERNELS_H
#define PRIMES_TEST_KERNELS_H

#include <stddef.h>
#include <stdint.h>

typedef void classify_u32_fn(const uint32_t *v, size_t count, uint8_t *res);
typedef void classify_u64_fn(const uint64_t *v, size_t count, uint8_t *res);
/* The least and greatest of v[k] ^ flip, 0 <= k < count (count >= 1), and
 * dst[k] = src[k] in the other byte order (src and dst do not overlap):
 * passes.h, compiled in each level's file. */
typedef void extremes_u32_fn(const uint32_t *v, size_t count, uint32_t flip, uint32_t *least, uint32_t *greatest);
typedef void extremes_u64_fn(const uint64_t *v, size_t count, uint64_t flip, uint64_t *least, uint64_t *greatest);
typedef void byteswap_u32_fn(const uint32_t *src, uint32_t *dst, size_t count);
typedef void byteswap_u64_fn(const uint64_t *src, uint64_t *dst, size_t count);
/* The OR over 0 <= k < count of v[k] ^ (first + k), wrapping: 0 exactly when v
 * is the run first, first + 1, ... (passes.h). */
typedef uint32_t run_mismatch_u32_fn(const uint32_t *v, size_t count, uint32_t first);
typedef uint64_t run_mismatch_u64_fn(const uint64_t *v, size_t count, uint64_t first);
/* v[k] as 32 bits into out[k], 0 <= k < count (narrow_i64: a negative v[k]
 * as 2^32 - 2, even and so not prime); the OR of those values' high halves,
 * 0 exactly when every one is below 2^32. */
typedef uint32_t narrow_u64_fn(const uint64_t *v, size_t count, uint32_t *out);
typedef uint32_t narrow_i64_fn(const int64_t *v, size_t count, uint32_t *out);

/* One level's kernels. */
struct test_kernels {
    const char *name; /* "baseline", "avx2", "avx512" */
    int level;        /* PRIMES_CPU_* */
    classify_u32_fn *classify_u32;
    classify_u64_fn *classify_u64;
    extremes_u32_fn *extremes_u32;
    extremes_u64_fn *extremes_u64;
    byteswap_u32_fn *byteswap_u32;
    byteswap_u64_fn *byteswap_u64;
    run_mismatch_u32_fn *run_mismatch_u32;
    run_mismatch_u64_fn *run_mismatch_u64;
    narrow_u64_fn *narrow_u64;
    narrow_i64_fn *narrow_i64;
};

/* test_baseline.c: trial division, then one strong test to base 2 plus a table
 * of its pseudoprimes below 2^32, Baillie-PSW above (src_c/README.md). */
classify_u32_fn classify_u32_baseline;
classify_u64_fn classify_u64_baseline;
extern const struct test_kernels test_kernels_baseline;
/* The second half of Baillie-PSW alone, for odd n > 2^32 that passed a
 * base-2 strong test: 1 if n passes the strong Lucas test with Selfridge's
 * parameters (so is prime), else 0. */
int strong_lucas_baseline(uint64_t n);
/* Selfridge's D for odd n > 3 (the first of 5, -7, 9, -11, ... with Jacobi
 * symbol (D/n) = -1) in *d and 1; or 0 when n is a square or a D before it
 * shares a factor with n: then n is composite. */
int selfridge_d_baseline(uint64_t n, int64_t *d);
/* 1 if n is one of the base-2 strong pseudoprimes below 2^32 (tables.h). */
int spsp2_listed_baseline(uint32_t n);

/* test_avx512.c (built only with AVX-512 F/VL/DQ/BW and IFMA enabled,
 * PRIMES_HAVE_AVX512): the same answers with 16- and 8-lane vectors. */
classify_u32_fn classify_u32_avx512;
classify_u64_fn classify_u64_avx512;
extern const struct test_kernels test_kernels_avx512;

/* test_avx2.c (x86-64, built when PRIMES_HAVE_AVX2): the u32 test eight
 * values per vector; u64 arrays' values below 2^32 go to it, the others to
 * the baseline. */
classify_u32_fn classify_u32_avx2;
classify_u64_fn classify_u64_avx2;
extern const struct test_kernels test_kernels_avx2;

/* test_dispatch.c: the kernels of the best level this build has and the CPU
 * and OS support, at most `cap` (a PRIMES_CPU_* level); NULL for an invalid
 * cap.  Detection (cpu.h) runs once per process; the choice is a table
 * lookup. */
const struct test_kernels *test_kernels_for(int cap);

#endif /* PRIMES_TEST_KERNELS_H */
