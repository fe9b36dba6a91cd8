/* SPDX-License-Identifier: MIT */
/*
 * sieve_segmented.h -- the segmented sieve of Eratosthenes for any window of
 * [0, 2^64) (internal interface; src_c/README.md explains the algorithm).
 *
 * A call that sieves makes one read-only context, shared by its threads, and
 * one worker per thread.  The scheduler hands each worker sub-intervals
 * ("pieces") of the call's range, in any order; a worker answers one piece at
 * a time and keeps its buffers from piece to piece.  Nothing here starts a
 * thread, and there is no mutable global state: a context is read-only once
 * made, a worker is used by one thread at a time.  Every allocation goes
 * through fault_injection.h, and every function that can fail returns a
 * PRIMES_* status (primes.h): PRIMES_ENOMEM, PRIMES_ECANCELLED, or
 * SEGSIEVE_FULL below.
 *
 * Ranges are inclusive: [first, last] with last <= 2^64 - 1, so that the top
 * of the 64-bit range needs no special value; first > last is the empty
 * range (count 0, nothing written).  A half-open [lo, hi) with hi <= 2^64 is
 * [lo, hi - 1] when lo < hi, and empty otherwise: the caller answers an empty
 * range itself, since [0, 0) has no inclusive form.  A stepped range is
 * (first, step, n): n elements, n == 0 empty.
 *
 * Cost, for the planner (one core, measured; table in src_c/README.md,
 * "The segmented sieve"): a piece [first, last] costs
 * about c_prime x pi(sqrt(last)) to make and place the sieving primes
 * (c_prime ~ 6-12 ns) plus c_int(height) x (last - first) to sieve (0.2 ns
 * per integer below 2^32, 0.5 at 2^40, 1.4 at 2^53, 6.5 near 2^63 for wide
 * windows).  So a piece should be much wider than pi(sqrt(last)) x c_prime /
 * c_int integers (the bench uses 500 pi(sqrt(last))), and near 2^64
 * (pi(sqrt) = 2 x 10^8, 2.4 s) the per-element test (~70 ns a value today)
 * is cheaper for any window narrower than about 4 x 10^7.
 */
#ifndef PRIMES_SIEVE_SEGMENTED_H
#define PRIMES_SIEVE_SEGMENTED_H

#include <stddef.h>
#include <stdint.h>

/* Returned by segsieve_primes_*() when the output filled up before the end
 * of the piece (distinct from every PRIMES_* code). */
#define SEGSIEVE_FULL 100

/* Tunables; 0 in any field means "the default".  The defaults are chosen
 * from the cache sizes (read at run time: sysconf, else /sys) and were
 * measured on x86-64 (an Intel Xeon, 48 KiB L1d, 2 MiB L2). */
struct segsieve_options {
    size_t l1_bytes;      /* L1 data cache per core (0: detect, else 32 KiB):
                           * the small primes cross each segment in chunks of
                           * this many bytes; a value of at least the segment
                           * crosses the whole segment at once */
    size_t l2_bytes;      /* L2 cache per core (0: detect, else 512 KiB) */
    size_t segment_bytes; /* sieve segment, a power of two in [2^12, 2^22]
                           * bytes of 30 integers each (0: half the L2, less
                           * for narrow calls) */
    unsigned presieve_max; /* largest prime removed by the presieved pattern,
                            * 13 <= presieve_max <= 163 (0: from the width) */
    int store_primes; /* sieving primes: 1 stored once in the context, -1
                       * made again by each worker for each piece, 0 auto */
    uint64_t width_hint; /* about how many integers the call sieves in all
                          * (0: unknown, taken as large): small calls build
                          * fewer presieve tables */
};

struct segsieve_context;
struct segsieve_worker;

/*
 * Makes the context of a call whose pieces all lie in [0, max_last].  It
 * holds the presieve tables and, when they are few enough (sqrt(max_last) <=
 * 2^24 by default), the sieving primes up to sqrt(max_last), made here by a
 * small segmented sieve.  `cancel` (may be NULL) is read, never written,
 * between segments: when it becomes nonzero the worker functions return
 * PRIMES_ECANCELLED.  `options` may be NULL.
 */
int segsieve_context_create(uint64_t max_last, const struct segsieve_options *options,
                            const int *cancel, struct segsieve_context **out);
void segsieve_context_destroy(struct segsieve_context *ctx);

/* Bytes the context holds (for the planner's memory estimate). */
size_t segsieve_context_bytes(const struct segsieve_context *ctx);
/* The segment size the context chose, in bytes (30 integers each). */
size_t segsieve_segment_bytes(const struct segsieve_context *ctx);

/* A worker: one per thread, used by one thread at a time, destroyed before
 * its context.  It holds one segment, the walks of the sieving primes of a
 * piece and the buckets of the large ones. */
int segsieve_worker_create(const struct segsieve_context *ctx, struct segsieve_worker **out);
void segsieve_worker_destroy(struct segsieve_worker *worker);
/* Bytes the worker holds now (its high-water mark so far). */
size_t segsieve_worker_bytes(const struct segsieve_worker *worker);

/* The number of primes in [first, last]; last <= max_last. */
int segsieve_count(struct segsieve_worker *worker, uint64_t first, uint64_t last, uint64_t *count);

/* Adds to bins[k] the number of primes v in [first, last] with (v - origin)
 * / width == k; origin <= first, width >= 1, last <= max_last.  The bins may
 * be shared with other threads: each is added to atomically, once a segment.
 * The cost is segsieve_count's (a count per row of a run, with no mask). */
int segsieve_count_bins(struct segsieve_worker *worker, uint64_t first, uint64_t last, uint64_t origin,
                        uint64_t width, uint64_t *bins);

/* The number of primes among first, first + step, ..., first + (n - 1) step;
 * step >= 1, n >= 1, first + (n - 1) step <= max_last.  The cost is that of
 * sieving [first, first + (n - 1) step] (none when gcd(step, 30) rules every
 * element out), so a large step belongs to the per-element test. */
int segsieve_count_step(struct segsieve_worker *worker, uint64_t first, uint64_t step, uint64_t n,
                        uint64_t *count);

/* out[j] = 1 if first + j step is prime, else 0, for j < n; same
 * preconditions as segsieve_count_step. */
int segsieve_mask(struct segsieve_worker *worker, uint64_t first, uint64_t step, size_t n,
                  uint8_t *out);

/* Writes the primes of [first, last] in increasing order to out[0], ...,
 * stores how many in *written, and returns PRIMES_OK; or, when more than
 * `capacity` primes lie in the piece, writes the first `capacity` of them and
 * returns SEGSIEVE_FULL (resume from out[capacity - 1] + 1).  The _u32 form
 * needs last <= 2^32 - 1. */
int segsieve_primes_u64(struct segsieve_worker *worker, uint64_t first, uint64_t last,
                        uint64_t *out, size_t capacity, size_t *written);
int segsieve_primes_u32(struct segsieve_worker *worker, uint64_t first, uint64_t last,
                        uint32_t *out, size_t capacity, size_t *written);

/*
 * The sieve of [first, last] as a bitmap for the caller to scan (next and
 * previous prime).  base = first - first % 30; bit k of bits[i] is set when
 * base + 30 i + segsieve_residue[k] is a prime in [first, last].  The primes
 * 2, 3 and 5 have no bit: segsieve_window_next/_prev handle them.  `nbytes`
 * must be at least segsieve_window_bytes(first, last).
 */
size_t segsieve_window_bytes(uint64_t first, uint64_t last);
int segsieve_window(struct segsieve_worker *worker, uint64_t first, uint64_t last, uint8_t *bits,
                    size_t nbytes);
/* The smallest prime >= v (the largest <= v) of the window [first, last]
 * that `bits` holds, or 0 if there is none; first <= v <= last. */
uint64_t segsieve_window_next(const uint8_t *bits, uint64_t first, uint64_t last, uint64_t v);
uint64_t segsieve_window_prev(const uint8_t *bits, uint64_t first, uint64_t last, uint64_t v);

/*
 * A piece read in place, segment by segment (the bucketed sieve answers the
 * elements of each segment from it, with no copy of the piece's bitmap):
 * segsieve_begin starts the piece [first, last] (its sieving primes placed
 * once), then each segsieve_next sieves its next segment and points *bits
 * at it: bit k of (*bits)[i] is set when base + 30 (*byte + i) +
 * segsieve_residue[k] is a prime in [first, last], base = first - first %
 * 30, for i < *len; *len is 0 after the last segment.  *bits stays valid
 * until the worker's next call.  Same preconditions and statuses as
 * segsieve_count; 2, 3 and 5 have no bit.
 */
int segsieve_begin(struct segsieve_worker *worker, uint64_t first, uint64_t last);
int segsieve_next(struct segsieve_worker *worker, uint64_t *byte, const uint8_t **bits, uint32_t *len);

extern const uint8_t segsieve_residue[8];
/* The bit of residue r (0 <= r < 30) in its byte; 0 when r is not prime to 30. */
extern const uint8_t segsieve_bit_of_residue[30];

#endif /* PRIMES_SIEVE_SEGMENTED_H */
