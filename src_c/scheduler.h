/* SPDX-License-Identifier: MIT */
/*
 * scheduler.h -- the library's threads (internal).  scheduler.c is the only
 * file that uses pthreads.
 *
 * One call of sched_run() is one parallel region: the calling thread and
 * nthreads - 1 worker threads, started once (with every signal blocked, so
 * that SIGINT reaches the caller's thread) and joined before sched_run
 * returns, all run the same function `region(worker, arg)`.  Inside it the
 * threads share work and move through the call's phases together:
 *
 *   static void region(struct sched_worker *w, void *arg)
 *   {
 *       struct my_call *c = arg;
 *       uint64_t count = 0;
 *       size_t lo, hi;
 *       while (sched_next_chunk(w, c->n, c->chunk, &lo, &hi))   // phase 1
 *           count += work_on(c, lo, hi, sched_thread_id(w));
 *       sched_barrier(w, between_phases, c);                   // one thread runs it
 *       while (sched_next_chunk(w, c->segments, 1, &lo, &hi))   // phase 2
 *           count += more_work(c, lo);
 *       sched_add_count(w, count);
 *   }
 *   ...
 *   uint64_t total;
 *   int status = sched_run(threads, cancel, region, &call, &total);
 *
 * Rules:
 * - Every thread of a region must call the same sequence of sched_barrier()
 *   (so control flow between barriers may depend only on shared data that
 *   every thread sees the same, e.g. written by a serial step).
 * - Between two barriers (and before the first, after the last) a region has
 *   at most one work-sharing loop: sched_next_chunk() hands out the pieces
 *   [lo, hi) of [0, total) in steps of `step` from one atomic counter, which
 *   each barrier resets.  Every thread must pass the same total and step.
 * - Once the call stops (the cancel flag was seen, or a thread start, a
 *   serial step or sched_fail() reported an error), sched_next_chunk() hands
 *   out nothing more and serial steps are skipped, so the region runs through
 *   its barriers quickly and sched_run returns that status.  The cancel flag
 *   is read before each piece is handed out.
 * - sched_barrier() is also a memory barrier: what any thread wrote before it
 *   is visible to every thread after it, and so is what the serial step wrote.
 * - With nthreads == 1 no thread is started and no lock is taken: the region
 *   runs on the caller, barriers only run their serial steps.
 *
 * Memory: sched_run allocates one cache-line-aligned slot per thread
 * (through fault_injection.h), so each thread's partial count sits on its own
 * cache line; everything else lives on the caller's stack.
 */
#ifndef PRIMES_SCHEDULER_H
#define PRIMES_SCHEDULER_H

#include <stddef.h>
#include <stdint.h>

struct sched_worker; /* one thread of a region (opaque) */

typedef void sched_region_fn(struct sched_worker *worker, void *arg);

/* A serial step between phases: runs on exactly one thread while the others
 * wait; returns PRIMES_OK or an error status, which stops the call. */
typedef int sched_serial_fn(void *arg);

/* Runs `region` on `nthreads` threads (1 <= nthreads <= PRIMES_MAX_THREADS,
 * the caller included).  cancel: NULL or a flag read between pieces of work.
 * Returns PRIMES_OK, PRIMES_ENOMEM (no slot memory: region never ran),
 * PRIMES_ETHREAD (a worker could not be started: the region still runs on
 * the threads that did start, handing out no work, and they are joined),
 * PRIMES_ECANCELLED, or the status of a failed serial step or sched_fail().
 * *total (if not NULL) receives the sum of the threads' sched_add_count()s
 * when the status is PRIMES_OK. */
int sched_run(int nthreads, const int *cancel, sched_region_fn *region, void *arg, uint64_t *total);

/* The next piece [*lo, *hi) of [0, total), in steps of `step` (the last piece
 * may be shorter); returns 0 when there is none left or the call has stopped. */
int sched_next_chunk(struct sched_worker *worker, size_t total, size_t step, size_t *lo, size_t *hi);

/* Waits until every thread of the region has arrived.  The last thread to
 * arrive runs serial(arg) if serial is not NULL and the call has not stopped,
 * then resets the work counter and releases the others. */
void sched_barrier(struct sched_worker *worker, sched_serial_fn *serial, void *arg);

/* Stops the call with `status` (not PRIMES_OK); the first error wins. */
void sched_fail(struct sched_worker *worker, int status);

/* Adds to this thread's partial count (its own cache line). */
void sched_add_count(struct sched_worker *worker, uint64_t count);

/* 0 for the calling thread, 1 .. nthreads - 1 for the workers: an index for
 * per-thread scratch memory. */
int sched_thread_id(const struct sched_worker *worker);

#endif /* PRIMES_SCHEDULER_H */
