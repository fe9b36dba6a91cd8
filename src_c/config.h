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
 * any count; this bounds the engines' stack buffers), and the baseline
 * kernel's batch: its survivor lists index a batch with 16-bit offsets. */
#define KERNEL_CALL_ELEMENTS ((size_t)256)
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

/* ---- next and previous primes (entry_next.c) --------------------------------
 *
 * The lanes search sieves a window of NEXT_WINDOW_BITS odd candidates beyond
 * each value (a multiple of 64: the bitmap's words) by the first
 * NEXT_SIEVE_PRIMES odd primes (3 .. 313), so that the kernels test only
 * candidates free of small factors: every base-2 test saved on a 64-bit
 * composite is worth some 60 residues of the window's start. */
#define NEXT_WINDOW_BITS 128
#define NEXT_SIEVE_PRIMES 64
/* Below 2^32 a kernel test costs less than half as much (one 32-bit strong
 * test), so fewer primes pay: the first NEXT_SIEVE_PRIMES_32 (3 .. 137).
 * (Measured, CPU time on a loaded AMD EPYC 7002: 32 to 64 primes are best
 * for 64-bit values, 128 cost 10% more; 32 best for 32-bit ones.) */
#define NEXT_SIEVE_PRIMES_32 32

/* The window sieve covers a chunk's values and this many integers beyond
 * (more than any prime gap below 2^32, 336); an element whose answer lies
 * beyond is searched instead. */
#define NEXT_WINDOW_MARGIN 512

/* Elements per chunk of a next/prev call (a search costs about 100 times a
 * count's element, so chunks are smaller), and per thread. */
#define NEXT_CHUNK_MIN ((size_t)256)
#define NEXT_CHUNK_MAX ((size_t)4096)
#define NEXT_MIN_ELEMENTS_PER_THREAD ((size_t)1024)

/* A search of one element below 2^32 (a few 32-bit kernel tests), and an
 * element's scan of a sieved window (about half its gap, in bytes). */
#define COST_NEXT_NS_PER_SEARCH_ELEMENT 150.0
#define COST_NEXT_NS_PER_WINDOW_ELEMENT 8.0

#endif /* PRIMES_CONFIG_H */
