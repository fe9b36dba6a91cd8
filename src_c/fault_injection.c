/* SPDX-License-Identifier: MIT */
/*
 * fault_injection.c -- the fault-injection wrappers of fault_injection.h and
 * their test hooks; empty unless compiled with -DPRIMES_FAULT_INJECTION.
 */
#define PRIMES_BUILDING 1
#include "primes.h"

#include "fault_injection.h"

#ifdef PRIMES_FAULT_INJECTION

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

void *fault_malloc(size_t size)
{
    return fault_fires(&fault_allocation_countdown) ? NULL : fault_track(malloc(size));
}

void *fault_calloc(size_t count, size_t size)
{
    return fault_fires(&fault_allocation_countdown) ? NULL : fault_track(calloc(count, size));
}

void *fault_aligned_alloc(size_t alignment, size_t size)
{
    return fault_fires(&fault_allocation_countdown) ? NULL : fault_track(aligned_alloc(alignment, size));
}

void fault_free(void *block)
{
    if (block)
        atomic_fetch_sub(&fault_live_blocks, 1);
    free(block);
}

int fault_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
    if (fault_fires(&fault_thread_countdown))
        return EAGAIN;
    return pthread_create(thread, attr, start, arg);
}

PRIMES_API void primes_fault_inject(long allocation, long thread_start)
{
    atomic_store(&fault_allocation_countdown, allocation);
    atomic_store(&fault_thread_countdown, thread_start);
}

PRIMES_API long primes_fault_live_blocks(void)
{
    return atomic_load(&fault_live_blocks);
}

#else

/* ISO C wants at least one declaration in a translation unit. */
typedef int primes_no_fault_injection;

#endif /* PRIMES_FAULT_INJECTION */
