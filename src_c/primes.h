/* SPDX-License-Identifier: MIT */
/*
 * primes.h -- public C interface of the primes library.
 *
 * The library classifies the elements of an integer array as prime or not
 * prime, or counts the primes among them.  It is the engine behind the
 * Python package `primes`, which calls it through ctypes, but it is a plain
 * C library that any program may link.
 *
 * Conventions shared by every function
 * ------------------------------------
 * - A prime is an integer p > 1 whose only divisors are 1 and p.  0, 1 and
 *   every negative value are not prime.  Results are exact for every value of
 *   every element type: the test is deterministic (see src_c/README.md).
 * - An array argument `a` points to `n` elements laid out contiguously in
 *   native byte order and aligned for their type.  `n` is a size_t, so arrays
 *   of more than 2^31 elements are fine.  `a` may be NULL only when n == 0.
 *   A repeated value is classified (and counted) each time it occurs.
 * - `threads` is the largest number of POSIX threads the call may use,
 *   counting the calling thread; it must be >= 1.  The call uses fewer when
 *   the input is small (the thread count is capped by the work, so a
 *   100-element array never starts a thread).  Work is handed out to the
 *   threads in chunks from a shared atomic counter.  Worker threads start
 *   with all signals blocked and are joined before the call returns.
 * - Every function returns a status: PRIMES_OK (0) on success, otherwise one
 *   of the PRIMES_E* codes below, in which case the outputs are unspecified.
 *   The library never prints, never exits and keeps no mutable global state,
 *   so any number of calls may run concurrently from different threads, as
 *   long as their output buffers do not overlap.
 *
 * Cost, on one core of a 2020s x86-64 machine: about 1 ns per element of a
 * range such as 0..n-1 (the sieve); about 10-20 ns per random 32-bit element
 * and 50-100 ns per random 64-bit element (the test; a prime costs the most:
 * about 100 ns below 2^32 and 2 us near 2^64).  Extra memory: 64 KiB per
 * thread, plus the bucketed sieve's 8 bytes per element when it is chosen.
 */
#ifndef PRIMES_H
#define PRIMES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PRIMES_BUILDING) && defined(__GNUC__)
#define PRIMES_API __attribute__((visibility("default")))
#else
#define PRIMES_API
#endif

/* Incremented whenever a signature or a status code changes or entry points
 * are added (4: ranges, next/prev primes, per-row counts; 5: the
 * byte-swapped array entry points).  Callers check
 * it against the version they were written for before calling anything. */
#define PRIMES_ABI_VERSION 5

/* Status codes. */
#define PRIMES_OK 0        /* success */
#define PRIMES_ENOMEM 1    /* an allocation failed */
#define PRIMES_ETHREAD 2   /* a worker thread could not be started */
#define PRIMES_EINVAL 3    /* an invalid argument (NULL pointer, threads < 1, bad method) */
#define PRIMES_ECANCELLED 4 /* *cancel became nonzero during the call */

/* Engines, for the `method` argument (see src_c/README.md). */
#define PRIMES_METHOD_AUTO 0  /* the planner chooses per call and per chunk */
#define PRIMES_METHOD_SIEVE 1 /* sieve every value below 2^32 (others: the test) */
#define PRIMES_METHOD_TEST 2  /* the per-element deterministic test */

/* Limits on threads.  A call uses at most PRIMES_MAX_THREADS threads, whatever
 * `threads` asks for, and one thread per PRIMES_MIN_ELEMENTS_PER_THREAD
 * elements (at least one): starting and joining a thread costs tens of
 * microseconds, which a smaller share of the work would not repay. */
#define PRIMES_MAX_THREADS 1024
#define PRIMES_MIN_ELEMENTS_PER_THREAD 32768

/* CPU levels of the per-element test kernels, from the portable one up.  The
 * best one the CPU and the operating system support is detected at run time
 * (src_c/cpu.c); every entry point that tests takes a `cpu_level` argument,
 * a cap: the call uses min(cpu_level, the best level supported).  Pass
 * PRIMES_CPU_BEST for no cap. */
#define PRIMES_CPU_BASELINE 0 /* portable C: any C11 compiler, any architecture */
#define PRIMES_CPU_AVX2 1     /* x86-64 with AVX2, BMI2 and FMA */
#define PRIMES_CPU_AVX512 2   /* x86-64 with AVX-512 F, VL, DQ, BW and IFMA */
#define PRIMES_CPU_BEST 2     /* the highest level: no cap */

/* Returns PRIMES_ABI_VERSION as compiled into the library. */
PRIMES_API int primes_abi_version(void);

/*
 * primes_cpu_level(cap)
 *
 * Returns the level whose kernels a call with cpu_level = cap uses (the best
 * one the CPU, the operating system and this build support, at most cap), or
 * -1 if cap is not a PRIMES_CPU_* level.
 */
PRIMES_API int primes_cpu_level(int cap);

/*
 * primes_cpu_features(features)
 *
 * Stores in *features the CPU features detected (bit k set when the feature
 * named primes_cpu_feature_name(k) is usable: the CPU has it and the
 * operating system saves its registers) and returns the best level the CPU
 * supports, whether or not this build has kernels for it.  Detection runs
 * once per process.
 */
PRIMES_API int primes_cpu_features(uint32_t *features);

/* The name of feature bit `bit` as Linux's /proc/cpuinfo spells it ("avx2",
 * "avx512ifma", ...), or NULL when there is no such bit. */
PRIMES_API const char *primes_cpu_feature_name(int bit);

/*
 * primes_count_<type>(a, n, threads, method, cpu_level, cancel, count)
 *
 * Stores in *count the number of elements of a[0], ..., a[n-1] that are
 * prime.  `count` must not be NULL.  For n == 0 it stores 0.
 *
 * method: PRIMES_METHOD_AUTO, _SIEVE or _TEST.  All give identical results;
 *   only the time and the extra memory differ.  AUTO sieves a window per chunk
 *   when the chunk's values lie close together (np.arange, sorted data), and
 *   sieves segment by segment, with the elements grouped by segment, when the
 *   values below 2^32 are dense in their range but unordered (extra memory:
 *   8 bytes per element below 2^32); otherwise it tests each element.  SIEVE
 *   forces a sieve for every value below 2^32: a sieve of larger values would
 *   need every prime below 2^32, so they are always tested.
 * cpu_level: a PRIMES_CPU_* level, the highest whose kernels the call may use
 *   (PRIMES_CPU_BEST: the best the machine supports).  All levels give
 *   identical results.
 * cancel: NULL, or a flag that another thread may set to nonzero while the
 *   call runs; the call then stops at the next chunk boundary (within
 *   milliseconds) and returns PRIMES_ECANCELLED.  It is read, never written.
 */
PRIMES_API int primes_count_int32(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                 const int *cancel, uint64_t *count);
PRIMES_API int primes_count_uint32(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                 const int *cancel, uint64_t *count);
PRIMES_API int primes_count_int64(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                 const int *cancel, uint64_t *count);
PRIMES_API int primes_count_uint64(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                 const int *cancel, uint64_t *count);

/*
 * primes_is_prime_<type>(a, n, threads, method, cpu_level, cancel, out)
 *
 * Sets out[i] = 1 if a[i] is prime and out[i] = 0 otherwise, for
 * 0 <= i < n.  `out` holds n bytes (a NumPy bool array) and must not
 * overlap `a`.  method, cpu_level and cancel: as for primes_count_<type>.
 */
PRIMES_API int primes_is_prime_int32(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out);
PRIMES_API int primes_is_prime_uint32(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out);
PRIMES_API int primes_is_prime_int64(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out);
PRIMES_API int primes_is_prime_uint64(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out);

/*
 * primes_count_<type>_swapped, primes_is_prime_<type>_swapped: the same for
 * an array whose elements are stored in the other byte order (a NumPy
 * array of dtype '>i4' on a little-endian machine), read in place: no
 * converted copy, each element swapped as it is loaded.
 */
PRIMES_API int primes_count_int32_swapped(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint64_t *count);
PRIMES_API int primes_count_uint32_swapped(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint64_t *count);
PRIMES_API int primes_count_int64_swapped(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint64_t *count);
PRIMES_API int primes_count_uint64_swapped(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint64_t *count);
PRIMES_API int primes_is_prime_int32_swapped(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out);
PRIMES_API int primes_is_prime_uint32_swapped(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out);
PRIMES_API int primes_is_prime_int64_swapped(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out);
PRIMES_API int primes_is_prime_uint64_swapped(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                    const int *cancel, uint8_t *out);

/*
 * Ranges: the elements first, first + step, first + 2 step, ... (step >= 1),
 * answered without an input array, by a segmented sieve of the interval
 * they span or by the per-element test of each, whichever costs less (a
 * cost model; method PRIMES_METHOD_SIEVE or _TEST forces one).  threads,
 * method, cpu_level and cancel: as for primes_count_<type>; the cancel flag
 * is read between segments of the sieve (a few milliseconds apart) and
 * between pieces of 65536 tested values.  Extra memory: the sieving primes
 * up to sqrt(last) when they are at most 2^24 (4 bytes each), else none,
 * plus about one L2-sized segment and the buckets of the large sieving
 * primes per thread.
 *
 * primes_count_range(first, last, step, ...) stores in *count the number of
 * primes among the elements first + j step <= last (0 when first > last;
 * last = 2^64 - 1 is allowed).
 *
 * primes_is_prime_range(first, step, n, ..., out) sets out[j] = 1 if
 * first + j step is prime, else 0, for j < n; first + (n - 1) step must be
 * at most 2^64 - 1 (else PRIMES_EINVAL).
 *
 * primes_primes_range_<type>(first, last, ..., out, capacity, written)
 * writes the primes p with first <= p <= last in increasing order to out[0],
 * out[1], ... and stores how many in *written; PRIMES_EINVAL when there are
 * more than `capacity` (then out holds no meaningful data).  The uint32 form
 * needs last <= 2^32 - 1 (or first > last).  An upper bound for the count
 * is Dusart's pi(x) <= x / ln x (1 + 1 / ln x + 2.51 / ln^2 x), x >= 355991.
 * On several threads each piece is counted, then written at its offset.
 */
PRIMES_API int primes_count_range(uint64_t first, uint64_t last, uint64_t step, int threads, int method,
                                  int cpu_level, const int *cancel, uint64_t *count);
PRIMES_API int primes_is_prime_range(uint64_t first, uint64_t step, size_t n, int threads, int method,
                                     int cpu_level, const int *cancel, uint8_t *out);
PRIMES_API int primes_primes_range_uint64(uint64_t first, uint64_t last, int threads, int method, int cpu_level,
                                          const int *cancel, uint64_t *out, size_t capacity, size_t *written);
PRIMES_API int primes_primes_range_uint32(uint64_t first, uint64_t last, int threads, int method, int cpu_level,
                                          const int *cancel, uint32_t *out, size_t capacity, size_t *written);

/*
 * primes_next_prime_<type>(a, n, threads, method, cpu_level, cancel, out, first_missing)
 * primes_prev_prime_<type>(a, n, threads, method, cpu_level, cancel, out, first_missing)
 *
 * Sets out[i] to the smallest prime > a[i] (next) or the largest prime < a[i]
 * (prev), for 0 <= i < n; `out` holds n elements of the same type and must
 * not overlap `a`.  An element whose answer does not exist or does not fit
 * the type (prev of a value below 3; next of a value >= the type's largest
 * prime: 2^31 - 1, 2^32 - 5, 2^63 - 25, 2^64 - 59) leaves out[i] unwritten,
 * and *first_missing receives the smallest such index, or n when every
 * element has its answer.  `first_missing` must not be NULL.
 *
 * method: PRIMES_METHOD_AUTO sieves one window per chunk of close values
 *   below 2^32 when that is cheaper, and otherwise searches each element over
 *   sieved candidates with the per-element test; _SIEVE forces the window
 *   wherever it applies, _TEST the search.  All give identical results.
 * cpu_level, cancel: as for primes_count_<type>.
 * Cost: about 10 ns per element of a sorted 32-bit range, 0.2-2 us per random
 * 64-bit element (a few strong tests and one full test of the answer).
 */
PRIMES_API int primes_next_prime_int32(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                       const int *cancel, int32_t *out, size_t *first_missing);
PRIMES_API int primes_next_prime_uint32(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                        const int *cancel, uint32_t *out, size_t *first_missing);
PRIMES_API int primes_next_prime_int64(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                       const int *cancel, int64_t *out, size_t *first_missing);
PRIMES_API int primes_next_prime_uint64(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                        const int *cancel, uint64_t *out, size_t *first_missing);
PRIMES_API int primes_prev_prime_int32(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                       const int *cancel, int32_t *out, size_t *first_missing);
PRIMES_API int primes_prev_prime_uint32(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                        const int *cancel, uint32_t *out, size_t *first_missing);
PRIMES_API int primes_prev_prime_int64(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                       const int *cancel, int64_t *out, size_t *first_missing);
PRIMES_API int primes_prev_prime_uint64(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                        const int *cancel, uint64_t *out, size_t *first_missing);

/*
 * primes_count_rows_<type>(a, rows, cols, threads, method, cpu_level, cancel, counts)
 *
 * Stores in counts[r] the number of prime elements of row r of the
 * C-ordered rows x cols block `a` (a[r * cols .. (r + 1) * cols)), for
 * r < rows: primes_count_<type> of each row, in one call whose chunks may
 * span rows, so that a run of consecutive values (np.arange reshaped) shares
 * each window sieve across its rows.  `counts` holds `rows` elements (not
 * NULL when rows > 0).  method, cpu_level, cancel: as for primes_count_<type>.
 */
PRIMES_API int primes_count_rows_int32(const int32_t *a, size_t rows, size_t cols, int threads, int method,
                                       int cpu_level, const int *cancel, uint64_t *counts);
PRIMES_API int primes_count_rows_uint32(const uint32_t *a, size_t rows, size_t cols, int threads, int method,
                                        int cpu_level, const int *cancel, uint64_t *counts);
PRIMES_API int primes_count_rows_int64(const int64_t *a, size_t rows, size_t cols, int threads, int method,
                                       int cpu_level, const int *cancel, uint64_t *counts);
PRIMES_API int primes_count_rows_uint64(const uint64_t *a, size_t rows, size_t cols, int threads, int method,
                                        int cpu_level, const int *cancel, uint64_t *counts);

#ifdef __cplusplus
}
#endif

#endif /* PRIMES_H */
