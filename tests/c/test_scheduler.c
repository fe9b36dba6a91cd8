/* SPDX-License-Identifier: MIT */
/*
 * test_scheduler.c -- the scheduler's contract (src_c/scheduler.h), called
 * directly: every piece handed out once, barriers that order the phases, one
 * serial step per barrier, counts summed, cancel, errors, a failed thread
 * start, signals blocked in the workers.
 *
 *   cc -std=c11 -D_GNU_SOURCE -DPRIMES_FAULT_INJECTION -Isrc_c tests/c/test_scheduler.c \
 *      src_c/scheduler.c src_c/fault_injection.c -o test_scheduler -pthread
 *   ./test_scheduler
 *
 * Built with the fault-injection wrappers so that a thread start and the
 * slot allocation can be made to fail.  Prints one line per failed check and
 * "scheduler: N checks, F failed"; exit status 0 when none failed.
 * tests/test_c_units.py builds and runs it (also under ThreadSanitizer in
 * .ci/sanitizers.sh).
 */
#ifndef PRIMES_FAULT_INJECTION
#error "build with -DPRIMES_FAULT_INJECTION: the test fails thread starts"
#endif

#include "check.h"
#include "fault_injection.h"
#include "primes.h"
#include "scheduler.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#define ITEMS 100000
#define STEP 97
#define SEGMENTS 1000

struct job {
    atomic_int marks[ITEMS];        /* phase 1: times each index was handed out */
    atomic_int segment_marks[SEGMENTS]; /* phase 2 */
    atomic_int entered;             /* threads that ran the region */
    atomic_int ids_seen;            /* bit i: thread id i ran (ids < 31 here) */
    atomic_int signals_blocked;     /* workers that found SIGINT blocked */
    int serial_runs;                /* written only by serial steps */
    int phase1_complete;            /* the serial step saw every mark set */
    int serial_status;              /* what the serial step returns */
    /* The thread with the first piece stops the call, by sched_fail() or
     * the cancel flag; the others wait for that before their first piece is
     * done, so that the stop comes at a known point: at most one piece per
     * thread is done. */
    int fail_in_region;
    int *cancel_from_region;
    atomic_int stop_done;
};

static int between(void *arg)
{
    struct job *j = arg;
    j->serial_runs++;
    int complete = 1;
    for (int i = 0; i < ITEMS; i++)
        complete &= atomic_load_explicit(&j->marks[i], memory_order_relaxed) == 1;
    j->phase1_complete = complete;
    return j->serial_status;
}

static void region(struct sched_worker *w, void *arg)
{
    struct job *j = arg;
    int id = sched_thread_id(w);
    atomic_fetch_add(&j->entered, 1);
    atomic_fetch_or(&j->ids_seen, 1 << id);
    if (id != 0) {
        sigset_t mask;
        pthread_sigmask(SIG_BLOCK, NULL, &mask);
        if (sigismember(&mask, SIGINT) && sigismember(&mask, SIGTERM))
            atomic_fetch_add(&j->signals_blocked, 1);
    }
    size_t lo, hi;
    uint64_t count = 0;
    while (sched_next_chunk(w, ITEMS, STEP, &lo, &hi)) {
        for (size_t i = lo; i < hi; i++) {
            atomic_fetch_add_explicit(&j->marks[i], 1, memory_order_relaxed);
            count += i;
        }
        if (j->cancel_from_region || j->fail_in_region) {
            if (lo == 0) {
                if (j->cancel_from_region)
                    __atomic_store_n(j->cancel_from_region, 1, __ATOMIC_RELAXED);
                else
                    sched_fail(w, PRIMES_ENOMEM);
                atomic_store(&j->stop_done, 1);
            }
            while (!atomic_load(&j->stop_done))
                sched_yield();
        }
    }
    sched_barrier(w, between, j);
    while (sched_next_chunk(w, SEGMENTS, 1, &lo, &hi)) {
        atomic_fetch_add_explicit(&j->segment_marks[lo], 1, memory_order_relaxed);
        count += 1;
    }
    sched_barrier(w, between, j); /* a second serial step, for the count of runs */
    sched_add_count(w, count);
}

static void reset(struct job *j)
{
    memset(j, 0, sizeof *j);
}

static int all_marks(const atomic_int *marks, int n, int value)
{
    for (int i = 0; i < n; i++)
        if (atomic_load(&marks[i]) != value)
            return 0;
    return 1;
}

static int marked(const atomic_int *marks, int n)
{
    int count = 0;
    for (int i = 0; i < n; i++)
        count += atomic_load(&marks[i]) != 0;
    return count;
}

static struct job job; /* large: not on the stack */

static void phases_and_counts(void)
{
    const uint64_t expected = (uint64_t)ITEMS * (ITEMS - 1) / 2 + SEGMENTS;
    for (int threads = 1; threads <= 8; threads++) {
        reset(&job);
        uint64_t total = 0;
        int status = sched_run(threads, NULL, region, &job, &total);
        CHECK(status == PRIMES_OK);
        CHECK(total == expected);
        CHECK(all_marks(job.marks, ITEMS, 1));
        CHECK(all_marks(job.segment_marks, SEGMENTS, 1));
        CHECK(job.phase1_complete);   /* the barrier came after every piece of phase 1 */
        CHECK(job.serial_runs == 2);  /* once per barrier, not once per thread */
        CHECK(atomic_load(&job.entered) == threads);
        CHECK(atomic_load(&job.ids_seen) == (1 << threads) - 1);
        CHECK(atomic_load(&job.signals_blocked) == threads - 1);
        CHECK(primes_fault_live_blocks() == 0);
    }
}

static void cancel_stops_the_call(void)
{
    for (int threads = 1; threads <= 4; threads += 3) {
        /* Set before the call: nothing is handed out. */
        int flag = 1;
        reset(&job);
        CHECK(sched_run(threads, &flag, region, &job, NULL) == PRIMES_ECANCELLED);
        CHECK(all_marks(job.marks, ITEMS, 0));
        CHECK(job.serial_runs == 0);
        CHECK(atomic_load(&job.entered) == threads);
        /* Set during the first phase: the call stops early, serial steps are skipped. */
        flag = 0;
        reset(&job);
        job.cancel_from_region = &flag;
        uint64_t total = 12345;
        CHECK(sched_run(threads, &flag, region, &job, &total) == PRIMES_ECANCELLED);
        CHECK(total == 12345); /* left alone on failure */
        CHECK(marked(job.marks, ITEMS) <= threads * STEP);
        CHECK(all_marks(job.segment_marks, SEGMENTS, 0));
        CHECK(job.serial_runs == 0);
        CHECK(primes_fault_live_blocks() == 0);
    }
}

static void errors_stop_the_call(void)
{
    for (int threads = 1; threads <= 4; threads += 3) {
        /* A serial step's error: no work after it, no further serial step. */
        reset(&job);
        job.serial_status = PRIMES_ENOMEM;
        CHECK(sched_run(threads, NULL, region, &job, NULL) == PRIMES_ENOMEM);
        CHECK(all_marks(job.marks, ITEMS, 1));
        CHECK(all_marks(job.segment_marks, SEGMENTS, 0));
        CHECK(job.serial_runs == 1);
        /* sched_fail from inside the region. */
        reset(&job);
        job.fail_in_region = 1;
        CHECK(sched_run(threads, NULL, region, &job, NULL) == PRIMES_ENOMEM);
        CHECK(marked(job.marks, ITEMS) <= threads * STEP);
        CHECK(job.serial_runs == 0);
        CHECK(primes_fault_live_blocks() == 0);
    }
}

static void failed_starts_and_allocations(void)
{
    for (int fail_at = 1; fail_at <= 3; fail_at++) {
        /* The fail_at-th of 3 thread starts fails: the region runs on the
         * fail_at threads already running (the caller included), through
         * both barriers with no serial step, and they are joined.  Workers
         * started before the failure may have done some work; the caller
         * does none. */
        reset(&job);
        primes_fault_inject(-1, fail_at);
        CHECK(sched_run(4, NULL, region, &job, NULL) == PRIMES_ETHREAD);
        primes_fault_inject(-1, -1);
        CHECK(atomic_load(&job.entered) == fail_at);
        CHECK(fail_at > 1 || all_marks(job.marks, ITEMS, 0));
        CHECK(job.serial_runs == 0);
        CHECK(primes_fault_live_blocks() == 0);
    }
    /* No memory for the slots: the region never runs. */
    reset(&job);
    primes_fault_inject(1, -1);
    CHECK(sched_run(4, NULL, region, &job, NULL) == PRIMES_ENOMEM);
    primes_fault_inject(-1, -1);
    CHECK(atomic_load(&job.entered) == 0);
    CHECK(primes_fault_live_blocks() == 0);
    /* And the next call works. */
    reset(&job);
    CHECK(sched_run(4, NULL, region, &job, NULL) == PRIMES_OK && all_marks(job.marks, ITEMS, 1));
}

int main(void)
{
    phases_and_counts();
    cancel_stops_the_call();
    errors_stop_the_call();
    failed_starts_and_allocations();
    return check_report("scheduler");
}
