/* SPDX-License-Identifier: MIT */
/*
 * sieve_threads.h -- a tiny pthread driver for the segmented sieve engine,
 * for its check and bench programs only (the library's scheduler is
 * src_c/scheduler.c).  It splits [first, last] into pieces of `piece`
 * integers, hands them out from an atomic counter to `threads` threads, each
 * with its own worker, and sums the counts.
 */
#ifndef PRIMES_TESTS_SIEVE_THREADS_H
#define PRIMES_TESTS_SIEVE_THREADS_H

#include "sieve_segmented.h"
#include "primes.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct drive {
    const struct segsieve_context *ctx;
    uint64_t first, last, piece, pieces;
    atomic_ullong next;
    atomic_ullong total;
    atomic_int status;
};

static void *drive_thread(void *arg)
{
    struct drive *d = arg;
    struct segsieve_worker *w;
    int status = segsieve_worker_create(d->ctx, &w);
    if (status != PRIMES_OK) {
        atomic_store(&d->status, status);
        return NULL;
    }
    uint64_t sum = 0;
    for (;;) {
        uint64_t k = atomic_fetch_add(&d->next, 1);
        if (k >= d->pieces || atomic_load(&d->status) != PRIMES_OK)
            break;
        uint64_t lo = d->first + k * d->piece;
        uint64_t hi = k == d->pieces - 1 ? d->last : lo + d->piece - 1;
        uint64_t c;
        status = segsieve_count(w, lo, hi, &c);
        if (status != PRIMES_OK) {
            atomic_store(&d->status, status);
            break;
        }
        sum += c;
    }
    atomic_fetch_add(&d->total, sum);
    segsieve_worker_destroy(w);
    return NULL;
}

/* Counts the primes of [first, last] (first <= last) on `threads` threads
 * (at most 64) in pieces of about `piece` integers (0: one per thread). */
static int drive_count(const struct segsieve_context *ctx, uint64_t first, uint64_t last, int threads,
                       uint64_t piece, uint64_t *count)
{
    struct drive d = {.ctx = ctx, .first = first, .last = last};
    uint64_t width = last - first; /* one less than the number of integers */
    if (piece == 0)
        piece = width / (uint64_t)threads + 1;
    d.piece = piece;
    d.pieces = width / piece + 1;
    atomic_init(&d.next, 0);
    atomic_init(&d.total, 0);
    atomic_init(&d.status, PRIMES_OK);
    pthread_t tid[64];
    int started = 0;
    for (int i = 1; i < threads && i < 64; i++)
        if (pthread_create(&tid[started], NULL, drive_thread, &d) == 0)
            started++;
    drive_thread(&d);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    *count = atomic_load(&d.total);
    return atomic_load(&d.status);
}

#endif /* PRIMES_TESTS_SIEVE_THREADS_H */
