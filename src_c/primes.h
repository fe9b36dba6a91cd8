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
 * Cost: one deterministic Miller-Rabin test per element that survives trial
 * division by the primes below 64; roughly 0.1-1 microsecond per element on
 * one core of a 2020s x86-64 machine (prime elements and elements near 2^64
 * cost the most).  The call is linear in n and needs O(threads) extra memory.
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

/* Incremented whenever a signature or a status code changes.  Callers check
 * it against the version they were written for before calling anything. */
#define PRIMES_ABI_VERSION 1

/* Status codes. */
#define PRIMES_OK 0        /* success */
#define PRIMES_ENOMEM 1    /* an allocation failed */
#define PRIMES_ETHREAD 2   /* a worker thread could not be started */
#define PRIMES_EINVAL 3    /* an invalid argument (NULL pointer, threads < 1) */

/* Returns PRIMES_ABI_VERSION as compiled into the library. */
PRIMES_API int primes_abi_version(void);

/*
 * primes_count_<type>(a, n, threads, count)
 *
 * Stores in *count the number of elements of a[0], ..., a[n-1] that are
 * prime.  `count` must not be NULL.  For n == 0 it stores 0.
 */
PRIMES_API int primes_count_int32(const int32_t *a, size_t n, int threads, uint64_t *count);
PRIMES_API int primes_count_uint32(const uint32_t *a, size_t n, int threads, uint64_t *count);
PRIMES_API int primes_count_int64(const int64_t *a, size_t n, int threads, uint64_t *count);
PRIMES_API int primes_count_uint64(const uint64_t *a, size_t n, int threads, uint64_t *count);

/*
 * primes_is_prime_<type>(a, n, threads, out)
 *
 * Sets out[i] = 1 if a[i] is prime and out[i] = 0 otherwise, for
 * 0 <= i < n.  `out` holds n bytes (a NumPy bool array) and must not
 * overlap `a`.
 */
PRIMES_API int primes_is_prime_int32(const int32_t *a, size_t n, int threads, uint8_t *out);
PRIMES_API int primes_is_prime_uint32(const uint32_t *a, size_t n, int threads, uint8_t *out);
PRIMES_API int primes_is_prime_int64(const int64_t *a, size_t n, int threads, uint8_t *out);
PRIMES_API int primes_is_prime_uint64(const uint64_t *a, size_t n, int threads, uint8_t *out);

#ifdef __cplusplus
}
#endif

#endif /* PRIMES_H */
