/* SPDX-License-Identifier: MIT */
/*
 * scheduler.c -- one parallel region per call: threads started once, work
 * from an atomic counter, phases separated by a barrier, a cancel flag
 * (scheduler.h documents the API).  The only pthread code of the library.
 */
#include "scheduler.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "fault_injection.h"
#include "primes.h"

/* One per thread, each on its own cache line. */
struct sched_worker {
    _Alignas(64) uint64_t count; /* this thread's partial count */
    struct sched *sched;
    int id;
    pthread_t handle;
};

/* The shared state of one region, on the stack of sched_run's caller. */
struct sched {
    sched_region_fn *region;
    void *arg;
    const int *cancel;           /* may be NULL */
    int single;                  /* nthreads == 1: no thread, no lock; never changes */
    atomic_int status;           /* PRIMES_OK, or why the call stops */
    _Alignas(64) atomic_size_t next; /* the current loop's next piece; alone on its line */
    _Alignas(64) pthread_mutex_t lock; /* the barrier: */
    pthread_cond_t released;
    int threads;                 /* threads in the region (fewer after a failed start) */
    int arrived;                 /* threads waiting at the current barrier */
    unsigned generation;         /* barriers completed */
};

static int stopped(struct sched *s)
{
    return atomic_load_explicit(&s->status, memory_order_relaxed) != PRIMES_OK;
}

static void fail(struct sched *s, int status)
{
    int ok = PRIMES_OK;
    atomic_compare_exchange_strong(&s->status, &ok, status);
}

int sched_next_chunk(struct sched_worker *w, size_t total, size_t step, size_t *lo, size_t *hi)
{
    struct sched *s = w->sched;
    if (stopped(s))
        return 0;
    if (s->cancel && __atomic_load_n(s->cancel, __ATOMIC_RELAXED)) {
        fail(s, PRIMES_ECANCELLED);
        return 0;
    }
    size_t start = atomic_fetch_add_explicit(&s->next, step, memory_order_relaxed);
    if (start >= total)
        return 0;
    *lo = start;
    *hi = total - start < step ? total : start + step;
    return 1;
}

/* The last arrival's work: the serial step, then a fresh counter. */
static void between_phases(struct sched *s, sched_serial_fn *serial, void *arg)
{
    if (serial && !stopped(s)) {
        int status = serial(arg);
        if (status != PRIMES_OK)
            fail(s, status);
    }
    atomic_store_explicit(&s->next, 0, memory_order_relaxed);
}

void sched_barrier(struct sched_worker *w, sched_serial_fn *serial, void *arg)
{
    struct sched *s = w->sched;
    if (s->single) {
        between_phases(s, serial, arg);
        return;
    }
    /* The mutex orders everything: what the threads wrote before arriving,
     * the serial step, the counter reset, then everyone's next phase. */
    pthread_mutex_lock(&s->lock);
    unsigned generation = s->generation;
    if (++s->arrived == s->threads) {
        between_phases(s, serial, arg);
        s->arrived = 0;
        s->generation++;
        pthread_cond_broadcast(&s->released);
    } else {
        while (s->generation == generation)
            pthread_cond_wait(&s->released, &s->lock);
    }
    pthread_mutex_unlock(&s->lock);
}

void sched_fail(struct sched_worker *w, int status)
{
    fail(w->sched, status);
}

void sched_add_count(struct sched_worker *w, uint64_t count)
{
    w->count += count;
}

int sched_thread_id(const struct sched_worker *w)
{
    return w->id;
}

static void *worker_main(void *arg)
{
    struct sched_worker *w = arg;
    w->sched->region(w, w->sched->arg);
    return NULL;
}

int sched_run(int nthreads, const int *cancel, sched_region_fn *region, void *arg, uint64_t *total)
{
    struct sched s = {.region = region, .arg = arg, .cancel = cancel, .single = nthreads == 1,
                     .threads = nthreads};
    atomic_init(&s.status, PRIMES_OK);
    atomic_init(&s.next, 0);
    struct sched_worker *workers = PRIMES_ALIGNED_ALLOC(64, sizeof(struct sched_worker) * (size_t)nthreads);
    if (!workers)
        return PRIMES_ENOMEM;
    for (int i = 0; i < nthreads; i++) {
        workers[i].count = 0;
        workers[i].sched = &s;
        workers[i].id = i;
    }

    int started = 1;
    if (nthreads > 1) {
        pthread_mutex_init(&s.lock, NULL);
        pthread_cond_init(&s.released, NULL);
        /* Workers inherit the signal mask: block everything so that signals
         * such as SIGINT reach the caller's thread, never ours. */
        sigset_t all, previous;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &previous);
        for (; started < nthreads; started++) {
            if (PRIMES_PTHREAD_CREATE(&workers[started].handle, NULL, worker_main, &workers[started]) != 0) {
                fail(&s, PRIMES_ETHREAD);
                break;
            }
        }
        pthread_sigmask(SIG_SETMASK, &previous, NULL);
        if (started < nthreads) {
            /* No barrier can complete before the caller arrives, so the
             * threads already running simply wait for fewer companions; the
             * status makes them hand out no work and run no serial step. */
            pthread_mutex_lock(&s.lock);
            s.threads = started;
            pthread_mutex_unlock(&s.lock);
        }
    }
    region(&workers[0], arg);
    uint64_t sum = 0;
    for (int i = 0; i < started; i++) {
        if (i > 0)
            pthread_join(workers[i].handle, NULL);
        sum += workers[i].count;
    }
    if (nthreads > 1) {
        pthread_cond_destroy(&s.released);
        pthread_mutex_destroy(&s.lock);
    }
    PRIMES_FREE(workers);
    int status = atomic_load(&s.status);
    if (status == PRIMES_OK && total)
        *total = sum;
    return status;
}
