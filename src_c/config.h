/* SPDX-License-Identifier: MIT */
/*
 * config.h -- every internal tunable of the library, in one place (internal).
 *
 * The public limits (PRIMES_MAX_THREADS, PRIMES_MIN_ELEMENTS_PER_THREAD) are in
 * primes.h.  Changing a value here changes speed and memory only, never an
 * answer: every engine is exact, and the tests run every engine on every input.
 */
#ifndef PRIMES_CONFIG_H
#define PRIMES_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* ---- sizes ---------------------------------------------------------------- */

/* Below this many elements the planner is skipped: the test runs on the
 * calling thread, with no allocation and no thread. */
#define PLANNER_MIN_ELEMENTS ((size_t)4096)

/* Chunks handed out by the scheduler's atomic counter hold between CHUNK_MIN
 * and CHUNK_MAX elements, about CHUNKS_PER_THREAD of them per thread: enough
 * that the counter is touched rarely, few enough that threads finish close
 * together (larger values cost more, so static slices would be unbalanced; the
 * last chunks to finish leave at most 1/CHUNKS_PER_THREAD of the work
 * unbalanced). */
#define CHUNK_MIN ((size_t)8192)
#define CHUNK_MAX ((size_t)65536)
#define CHUNKS_PER_THREAD ((size_t)32)

/* Bytes of a sieve window (one byte per odd number), per thread: the window
 * covers WINDOW_SPAN = 2 * WINDOW_BYTES consecutive integers and stays in the
 * L2 cache.  The bucketed sieve's segments have the same size. */
#define WINDOW_BYTES ((size_t)1 << 16)
#define WINDOW_SPAN ((uint64_t)2 * WINDOW_BYTES)

/* Elements per call of a test kernel from the engines (classify_u32/_u64 take
 * any count; this bounds the engines' stack buffers, 17 bytes per element),
 * and the baseline kernel's batch: its survivor lists index a batch with
 * 16-bit offsets.  Calls of 1024 keep the AVX2 kernel's packed vectors full
 * (7% faster than 256 on random input: fewer part-filled last groups). */
#define KERNEL_CALL_ELEMENTS ((size_t)1024)
#define BASELINE_BATCH 256

/* Independent strong tests the baseline kernel interleaves, so that the CPU
 * overlaps their chains of dependent multiplications. */
#define BASELINE_LANES 4

#define TWO_POW_32 (UINT64_C(1) << 32)

/* ---- the cost model --------------------------------------------------------
 *
 * Rough nanoseconds on one core of the machines the library was tuned on
 * (2020s x86-64).  Only the ratios matter: the planner compares the estimated
 * cost of a sieve with that of the per-element test. */

/* The per-element test of one value below 2^32, averaged over random input:
 * most values are rejected by trial division, a prime costs about 100 ns. */
#define COST_TEST_NS_PER_ELEMENT 12.0

/* A window sieve (one chunk's window, sieve_window.c): for each sieving prime
 * needed (p * p <= the window's top), a division to find its first multiple
 * and the loop set-up; */
#define COST_WINDOW_NS_PER_SIEVING_PRIME 6.0
/* for each integer of the window, the presieve copy and the crossing-off
 * stores (half a byte per integer: odd numbers only); */
#define COST_WINDOW_NS_PER_INTEGER 0.6
/* for each element, its lookup in the window. */
#define COST_WINDOW_NS_PER_ELEMENT 1.0

/* The bucketed sieve (sieve_bucketed.c): for each integer of the span sieved
 * segment by segment (the same work per integer as a window); */
#define COST_BUCKETED_NS_PER_INTEGER 0.6
/* for each element below 2^32, the counting sort by segment (two passes over
 * the input, an 8-byte index written) and the scattered read and write when
 * its segment answers it. */
#define COST_BUCKETED_NS_PER_ELEMENT 6.0


/* ---- the AVX2 kernels (test_avx2.c) --------------------------------------- */

/* Values per batch of the AVX2 u32 kernel: its survivor lists live on the
 * stack (8 bytes per value). */
#define AVX2_BATCH 1024
/* Trial division: the odd primes 3 .. 31 on every odd value above 2^16 (the
 * first AVX2_TRIAL_PRIMES_FIRST of the list), the rest, up to 137, on the
 * survivors only, after they are packed into full vectors: a prime p costs
 * 4 instructions per 8 values and saves about 1/p of a strong test (~100
 * instructions per value), so it pays up to about p = 150 on packed vectors. */
#define AVX2_TRIAL_PRIMES_FIRST 10
#define AVX2_TRIAL_PRIMES 32
/* Vectors of 8 strong tests run side by side, to hide the multiplier's
 * latency (each step is a chain of three dependent products). */
#define AVX2_GROUP 4

#endif /* PRIMES_CONFIG_H */
