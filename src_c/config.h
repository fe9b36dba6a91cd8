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
 * any count; this bounds the engines' stack buffers, 17 bytes per element,
 * 68 KiB), and the baseline kernel's batch: its survivor lists index a batch
 * with 16-bit offsets.  Long calls keep the kernels' vectors full: the AVX2
 * kernel packs survivors across a call (1024 was 7% faster than 256 on random
 * input), and the AVX-512 one queues them by s across a call, which needs a
 * few groups of 8 * AVX512_VECTORS per queue: 4096 and the queues together
 * against 1024 without them, one thread, in-process interleaved medians on
 * the AMD EPYC, 1.6% faster on random uint32, 6% on random uint64, 2.4% on
 * primes below 2^32, 8.8% on random int64 below 2^31. */
#define KERNEL_CALL_ELEMENTS ((size_t)4096)
#define BASELINE_BATCH 256
/* The array engines' per-element test (elements.template.c) calls a kernel on
 * as many elements as KERNEL_CALL_STACK_BYTES of its buffers hold, up to
 * KERNEL_CALL_MAX_ELEMENTS: 1 byte an element for 32-bit unsigned data (the
 * result), up to 13 for int64 (the result, the values made non-negative, their
 * low halves).  Fewer calls leave fewer part-filled groups of strong tests
 * when the AVX-512 kernel empties its queues at the end of each: on the Intel
 * Xeon, random uint32 and uint64 3-6% faster with 16384 than 4096 elements a
 * call (in-process interleaved medians).  The stack stays at 68 KiB. */
#define KERNEL_CALL_STACK_BYTES ((size_t)17 * 4096)
#define KERNEL_CALL_MAX_ELEMENTS ((size_t)16384)

/* Independent strong tests the baseline kernel interleaves, so that the CPU
 * overlaps their chains of dependent multiplications. */
#define BASELINE_LANES 4
/* The baseline's trial division of n >= 2^32 ends at this prime (the table
 * divisors_53_on in test_baseline.c; 3 .. 47 first, the rest for the
 * survivors). */
#define BASELINE_TRIAL_64_LAST 251
/* The strong Lucas tests of the baseline's 64-bit kernel: LUCAS64_LANES side
 * by side, from queues (one per kind of Q) of up to LUCAS64_QUEUE tests
 * across a call's batches.  On primes just below 2^64 (AMD EPYC, Zen 3), 2,
 * 3 and 4 lanes ran within 2% of each other, 15% faster than one test at a
 * time; 2 executes 12% fewer instructions than 4 (x86-64's 16 registers
 * spill the state of four lanes). */
#define LUCAS64_LANES 2
#define LUCAS64_QUEUE 64

#define TWO_POW_32 (UINT64_C(1) << 32)

/* The AVX-512 kernels (test_avx512.c): elements per batch (the survivor lists
 * live on the stack, about 21 KiB at 1024; a batch as large as the engines'
 * calls leaves fewer part-filled groups of strong tests: 7% faster than 256
 * on random 32-bit input), and the vectors of 8 strong tests each that run
 * interleaved: an IFMA Montgomery product is a chain of three dependent
 * multiplications (about 12 cycles), so several vectors in flight keep the
 * multiplier busy (on an AMD EPYC, whose 512-bit IFMA issues about one a
 * cycle, 5 to 7 measured the same and 8 was 5-6% slower on random and prime
 * input below 2^32: its six vectors of state per group no longer fit the 32
 * registers). */
#define AVX512_BATCH 1024
#define AVX512_VECTORS 6
/* The same for the 64-bit test: two limbs per value, so half as many vectors
 * fit the 32 registers. */
#define AVX512_VECTORS_64 4
/* Trial division before those tests: the first this many odd primes on
 * every value (8: up to 23 below 2^32; 13: up to 43 above), then on the
 * compacted survivors up to the _SURVIVORS-th (41: 181; 100: 547, the
 * tables' ends).  A prime costs every value it is tried on one
 * multiplication and one comparison (above 2^32: one IFMA and one vector
 * minimum) per vector and saves a strong test for about 1/p of the
 * survivors: in the first stage it is paid by every value, in the second by
 * the survivors alone (about a sixth of random input below 2^32), where
 * primes up to the tables' ends still pay.  On the Intel Xeon (Sapphire
 * Rapids class), in-process interleaved medians against one stage of 10 / 24
 * primes: E1 (random uint32) 12% faster with the second stage, 2.5% more
 * with 8 primes in the first (6: the same; 13: 1-4% slower); E2 (random
 * uint64) 6% with the second stage to 547 (50 or 75 primes measured the
 * same), 3.5% more with 13 in the first (8, 11, 14 the same; 32 slower).
 * Primes (E3, E4), which trial division never stops, skip the second stage
 * (test_avx512.c) and pay the first only.  (On the AMD EPYC with one stage
 * the optimum was 8-12 and 15-30 primes; bench/README.md has that sweep.) */
#define AVX512_TRIAL_PRIMES_32 8
#define AVX512_TRIAL_PRIMES_32_SURVIVORS 41
#define AVX512_TRIAL_PRIMES_64 13
#define AVX512_TRIAL_PRIMES_64_SURVIVORS 100
/* ... whose masked comparisons form this many independent chains (prime i
 * in chain i mod 3), joined at the end: one chain of 10 or 24 dependent
 * mask operations was the latency of the loop.  Against one chain, with the
 * queues by s (below), in-process interleaved medians on the AMD EPYC: 3
 * chains 2-5% faster on random input and primes below 2^32, 4-5% on random
 * uint64, 10% on random int64 below 2^31; 2 and 4 chains within 2% of 3. */
#define AVX512_TRIAL_CHAINS 3

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
/* The same for each element of 2^32 and above (8-byte values, grouped by the
 * segmented sieve's buckets): measured on the Intel Xeon of the bench, one
 * thread, 10^7 shuffled values 2^40 + [0, 10^7), method="sieve": 145 ms, of
 * which the sieving primes and the sieve take about 6. */
#define COST_BUCKETED_LARGE_NS_PER_ELEMENT 14.0
/* Above 2^32 the bucketed sieve groups the elements by 2^BUCKETED_LARGE_LOG2
 * bytes of the segmented sieve (30 integers each: 122880 integers, about the
 * span of a segment below 2^32), not by the sieve's own segments (millions
 * of integers): with only a few buckets, the counting sort's increments
 * would mostly hit the same counter and wait for each other. */
#define BUCKETED_LARGE_LOG2 12


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
/* ---- ranges: the segmented sieve against the test (plan_range, entry_range.c) ----
 *
 * Measured with tests/c/sieve_bench.c --costs (one thread, AMD EPYC; the
 * table in src_c/README.md, "The segmented sieve").  A piece of a range
 * [first, last] costs COST_SEGSIEVE_NS_PER_SIEVING_PRIME x pi(sqrt(last)) to
 * make and place its sieving primes, plus a cost per integer that grows with
 * the height: COST_SEGSIEVE_NS_PER_INTEGER_AT_2_32 below 2^32, times
 * COST_SEGSIEVE_GROWTH_PER_BIT for each bit of height above 32 (0.23 ns at
 * 2^32, 0.53 at 2^40, 4.4 at 2^60, 6.6 at 2^64: within 1.5x of every
 * measured point). */
#define COST_SEGSIEVE_NS_PER_SIEVING_PRIME 10.0
#define COST_SEGSIEVE_NS_PER_INTEGER_AT_2_32 0.23
#define COST_SEGSIEVE_GROWTH_PER_BIT 1.11
/* The per-element test of one value of 2^32 and above, on consecutive
 * values (about half are even and cost nothing; a prime costs ~1-2 us). */
#define COST_TEST_NS_PER_ELEMENT_64 60.0
/* The same two at the faster kernel levels (test_kernels.h), scaled by the
 * ratio of that level's kernel time to the baseline's measured side by side
 * (E1 and E2, bench/results/linux-x86_64-amd-epyc-avx512-2cpu-engine.md: 32-bit 0.18
 * at avx2 and 0.10 at avx512, 64-bit 0.30 at avx512; avx2 tests 64-bit
 * values with the baseline's kernel).  Only the bucketed sieves' choices use
 * them: there the faster kernels beat grouping a shuffled input by segment
 * (at avx512, 10^7 shuffled values in [10^6, 1.1 10^7): the test 2.2 ns per
 * element, the bucketed sieve 8). */
#define COST_TEST_NS_PER_ELEMENT_AVX2 2.2
#define COST_TEST_NS_PER_ELEMENT_AVX512 1.2
/* 64-bit at avx512: 11.6 ns on random uint64 and 11.3 on shuffled
 * consecutive values at 2^40 (the Intel Xeon of the bench, E2 and S6, after
 * the Lucas and Selfridge kernels of 2026-12-03; 18 before, on the AMD EPYC),
 * below the bucketed sieve's own cost per element above 2^32: the test is
 * then the faster at every density, as measured (S6: the sieve 145 ms, the
 * test 113). */
#define COST_TEST_NS_PER_ELEMENT_64_AVX512 11.0
/* A piece must sieve at least this many integers, and at least
 * RANGE_PIECE_SETUP_RATIO x (its set-up cost / its cost per integer), so that
 * making the sieving primes stays a small part of each piece's work. */
#define RANGE_PIECE_MIN_SPAN (UINT64_C(1) << 21)
#define RANGE_PIECE_SETUP_RATIO 1.0
/* A range is cut into about this many pieces per thread (the atomic counter
 * hands them out; larger values cost more, so equal pieces finish apart). */
#define RANGE_PIECES_PER_THREAD 8
/* Elements per piece of a range answered by the test: an interval of the
 * cancel flag too (65536 values near 2^64 take about 5 ms). */
#define RANGE_TEST_PIECE ((uint64_t)1 << 16)
/* method=SIEVE on arrays: the bucketed sieve is used only while sieving the
 * span costs at most this many times the test of the same elements; beyond
 * that (a few thousand values spread over 2^32) the elements are tested, in
 * every mode and for every part of an input alike, so that the time does not
 * depend on how the input reaches the library. */
#define SIEVE_FORCED_MAX_COST_RATIO 8.0
/* Arrays above 2^32: a run of consecutive values (np.arange) is counted or
 * masked by the segmented sieve in pieces of at least this many elements
 * (each piece places its sieving primes once: at 2^40, 82025 primes cost
 * about 1.5 ms a piece, so 10^7 values sieve in 4.3 ms as one piece, 5.7 as
 * two; the threads meanwhile check the elements, a memory-bound pass that
 * two threads at once do not speed up) ... */
#define RUN_PIECE_MIN ((size_t)1 << 25)
/* Below 2^32 a run takes that path when it has at least this many elements
 * per sieving prime (about pi(sqrt(last))), and the window sieve per chunk
 * otherwise: the piece's set-up, about 18 ns per sieving prime, is then
 * paid back.  Measured on the AMD EPYC, one thread, PLAN_RUNS against the
 * window path: np.arange(10**6) 341 against 825 us; 10^5 at 2^31 207
 * against 466; 2 10^4 at 2^31 113 against 77 (4792 primes: the window). */
#define RUN_BELOW_2_32_ELEMENTS_PER_SIEVING_PRIME 8.0
/* ... checked to be that run in items of this many elements, handed out
 * between the pieces' sieve items (entry.c, run_item) ... */
#define RUN_CHECK_ELEMENTS ((size_t)1 << 16)
/* ... and, when a check finds the array is not one run after all, answered
 * again in parts of this many elements, each sieved if it is a run and
 * tested if not. */
#define RUN_PART_MIN ((size_t)1 << 20)

/* ---- next and previous primes (entry_next.c) --------------------------------
 *
 * The lanes search sieves a window of NEXT_WINDOW_BITS odd candidates beyond
 * each value (a multiple of 64: the bitmap's words) by the first
 * NEXT_SIEVE_PRIMES odd primes (3 .. 179), so that the kernels test only
 * candidates free of small factors: a base-2 test saved on a 64-bit
 * composite is worth some residues of the window's start, fewer with faster
 * kernels.  (next_prime of 3x10^5 random uint64 below 2^63, one thread, AMD
 * EPYC with AVX-512: 40 primes 575-585 ns per element at avx512 and 1,350
 * at baseline, 64 primes 648 and 1,330, 32 primes 575 and 1,418.) */
#define NEXT_WINDOW_BITS 128
#define NEXT_SIEVE_PRIMES 40
/* Below 2^32 a kernel test costs less than half as much (one 32-bit strong
 * test), so fewer primes pay: the first NEXT_SIEVE_PRIMES_32 (3 .. 137).
 * (Measured earlier, CPU time on a loaded AMD EPYC 7002 without AVX-512:
 * 32 to 64 primes best for 64-bit values, 128 cost 10% more; 32 best for
 * 32-bit ones.) */
#define NEXT_SIEVE_PRIMES_32 32
/* With the AVX2 and AVX-512 kernels a 32-bit test costs a few ns, less than
 * crossing a prime's multiples off a window: the first NEXT_SIEVE_PRIMES_32_SIMD
 * (3 .. 13).  (next_prime of 10^6 random uint32, one thread, AMD EPYC with
 * AVX-512: at avx512 3 or 5 primes 80 ns per element, 8: 86, 14: 102, 20: 112,
 * 32: 156; at avx2 5 primes 92 ns, 32: 165; at the baseline 32 primes 396 ns,
 * 12: 378, so the baseline keeps NEXT_SIEVE_PRIMES_32.) */
#define NEXT_SIEVE_PRIMES_32_SIMD 5

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
