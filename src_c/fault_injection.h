/* SPDX-License-Identifier: MIT */
/*
 * fault_injection.h -- allocation and thread-start wrappers (internal).
 *
 * In a normal build PRIMES_MALLOC and friends are just malloc and friends,
 * and nothing below the #else exists.  Built with -DPRIMES_FAULT_INJECTION
 * (only the tests do that, see tests/test_faults.py), they can be told to fail
 * the Nth allocation or thread start from now, and they count the blocks still
 * allocated, so that a test can check that a failed call frees everything.
 * The counters are the only mutable globals of any build, and they exist only
 * in that test build.
 */
#ifndef PRIMES_FAULT_INJECTION_H
#define PRIMES_FAULT_INJECTION_H

#include <pthread.h>
#include <stdlib.h>

#ifndef PRIMES_FAULT_INJECTION

#define PRIMES_MALLOC(size) malloc(size)
#define PRIMES_CALLOC(count, size) calloc(count, size)
#define PRIMES_ALIGNED_ALLOC(alignment, size) aligned_alloc(alignment, size)
#define PRIMES_FREE(block) free(block)
#define PRIMES_PTHREAD_CREATE(thread, attr, start, arg) pthread_create(thread, attr, start, arg)

#else

#include <errno.h>
#include <stdatomic.h>

static atomic_long fault_allocation_countdown = -1; /* N > 0: the Nth allocation fails */
static atomic_long fault_thread_countdown = -1;     /* N > 0: the Nth thread start fails */
static atomic_long fault_live_blocks = 0;

/* Counts the countdown down; true exactly when it reaches zero. */
static int fault_fires(atomic_long *countdown)
{
    long left = atomic_load(countdown);
    while (left > 0) {
        if (atomic_compare_exchange_weak(countdown, &left, left - 1))
            return left == 1;
    }
    return 0;
}

static void *fault_track(void *block)
{
    if (block)
        atomic_fetch_add(&fault_live_blocks, 1);
    return block;
}

static void *fault_malloc(size_t size)
{
    return fault_fires(&fault_allocation_countdown) ? NULL : fault_track(malloc(size));
}

static void *fault_calloc(size_t count, size_t size)
{
    return fault_fires(&fault_allocation_countdown) ? NULL : fault_track(calloc(count, size));
}

static void *fault_aligned_alloc(size_t alignment, size_t size)
{
    return fault_fires(&fault_allocation_countdown) ? NULL : fault_track(aligned_alloc(alignment, size));
}

static void fault_free(void *block)
{
    if (block)
        atomic_fetch_sub(&fault_live_blocks, 1);
    free(block);
}

static int fault_pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                                void *(*start)(void *), void *arg)
{
    if (fault_fires(&fault_thread_countdown))
        return EAGAIN;
    return pthread_create(thread, attr, start, arg);
}

/* Test hooks, exported only from the fault-injection build. */
PRIMES_API void primes_fault_inject(long allocation, long thread_start)
{
    atomic_store(&fault_allocation_countdown, allocation);
    atomic_store(&fault_thread_countdown, thread_start);
}

PRIMES_API long primes_fault_live_blocks(void)
{
    return atomic_load(&fault_live_blocks);
}

#define PRIMES_MALLOC(size) fault_malloc(size)
#define PRIMES_CALLOC(count, size) fault_calloc(count, size)
#define PRIMES_ALIGNED_ALLOC(alignment, size) fault_aligned_alloc(alignment, size)
#define PRIMES_FREE(block) fault_free(block)
#define PRIMES_PTHREAD_CREATE(thread, attr, start, arg) fault_pthread_create(thread, attr, start, arg)

#endif /* PRIMES_FAULT_INJECTION */

#endif /* PRIMES_FAULT_INJECTION_H */
