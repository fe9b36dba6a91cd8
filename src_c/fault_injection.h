/* SPDX-License-Identifier: MIT */
/*
 * fault_injection.h -- allocation and thread-start wrappers (internal).
 *
 * Every allocation and thread start of the library goes through these
 * macros.  In a normal build PRIMES_MALLOC and friends are just malloc and
 * friends, and fault_injection.c compiles to nothing.  Built with
 * -DPRIMES_FAULT_INJECTION (only the tests do that, see tests/test_faults.py),
 * they can be told to fail the Nth allocation or thread start from now, and
 * they count the blocks still allocated, so that a test can check that a
 * failed call frees everything.  The counters (in fault_injection.c, shared by
 * every source file) are the only mutable globals of any build besides
 * cpu.c's cached detection, and they exist only in that test build.
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

#include "primes.h"

/* Test hooks, exported only from this build (tests/test_faults.py): make the
 * allocation-th allocation and the thread_start-th thread start from now
 * fail (-1: none); the number of blocks allocated and not yet freed. */
PRIMES_API void primes_fault_inject(long allocation, long thread_start);
PRIMES_API long primes_fault_live_blocks(void);

void *fault_malloc(size_t size);
void *fault_calloc(size_t count, size_t size);
void *fault_aligned_alloc(size_t alignment, size_t size);
void fault_free(void *block);
int fault_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);

#define PRIMES_MALLOC(size) fault_malloc(size)
#define PRIMES_CALLOC(count, size) fault_calloc(count, size)
#define PRIMES_ALIGNED_ALLOC(alignment, size) fault_aligned_alloc(alignment, size)
#define PRIMES_FREE(block) fault_free(block)
#define PRIMES_PTHREAD_CREATE(thread, attr, start, arg) fault_pthread_create(thread, attr, start, arg)

#endif /* PRIMES_FAULT_INJECTION */

#endif /* PRIMES_FAULT_INJECTION_H */
