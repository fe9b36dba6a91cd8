/* SPDX-License-Identifier: MIT */
/*
 * concurrency_driver.c -- calls the library from many threads at once, for
 * ThreadSanitizer (an uninstrumented Python would hide or confuse its
 * reports, so this driver links the C sources directly).
 *
 *   python3 tools/c_sources.py objects gcc build/tsan -g -O1 -fsanitize=thread
 *   gcc -g -O1 -fsanitize=thread -Isrc_c OBJECTS tests/c/concurrency_driver.c \
 *       -o build/concurrency_driver -pthread
 *   TSAN_OPTIONS=halt_on_error=1 build/concurrency_driver
 *
 * where OBJECTS are the object files the first command prints
 * (tools/c_sources.py compiles every library source with its own flags);
 * .ci/sanitizers.sh does this.
 *
 * Eight caller threads share read-only inputs; each makes calls with 1-4
 * library threads, every engine and every CPU level cap (so every level's
 * kernels), counting and classifying, and one caller
 * cancels calls from another thread.  Every result is compared with the
 * single-thread answer.  The range entry points (entry_range.c: counts,
 * stepped masks, generation) and a run of consecutive values above 2^32
 * (the segmented sieve's PLAN_RUNS path) are called the same way.  Exit
 * status 0 when all agree.
 */
#include "primes.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define CALLERS 8
#define ROUNDS 40
#define N 200000

static int64_t range_values[N];
static uint64_t random_values[N];
static uint32_t random_u32[N];
static uint64_t expected_range, expected_random, expected_u32;
/* The range [HIGH, HIGH + N) and its run of values, above 2^32. */
#define HIGH (UINT64_C(1) << 40)
static uint64_t high_values[N];
static uint64_t expected_high, expected_high_odd;
static atomic_int failures;

struct cancel_job {
    int flag;
    int status;
};

static void *cancelled_call(void *arg)
{
    struct cancel_job *job = arg;
    uint64_t count;
    job->status = primes_count_uint64(random_values, N, 2, PRIMES_METHOD_TEST, PRIMES_CPU_BEST, &job->flag, &count);
    return NULL;
}

static void *caller(void *arg)
{
    int id = (int)(intptr_t)arg;
    uint8_t *mask = malloc(N);
    uint64_t *generated = malloc(N / 8 * sizeof *generated);
    for (int round = 0; round < ROUNDS; round++) {
        int threads = 1 + (id + round) % 4, method = (id + round) % 3;
        int level = (id + 2 * round) % (PRIMES_CPU_BEST + 1); /* every CPU level cap */
        uint64_t count = 0;
        if (primes_count_int64(range_values, N, threads, method, level, NULL, &count) != PRIMES_OK
            || count != expected_range)
            atomic_fetch_add(&failures, 1);
        if (primes_count_uint32(random_u32, N, threads, method, level, NULL, &count) != PRIMES_OK
            || count != expected_u32)
            atomic_fetch_add(&failures, 1);
        if (primes_is_prime_uint64(random_values, N, threads, method, level, NULL, mask) != PRIMES_OK)
            atomic_fetch_add(&failures, 1);
        uint64_t sum = 0;
        for (size_t i = 0; i < N; i++)
            sum += mask[i];
        if (sum != expected_random)
            atomic_fetch_add(&failures, 1);
        if (round % 4 != id % 4)
            goto ranges_done; /* the range calls in a quarter of the rounds: TSan makes them slow */
        if (primes_count_range(HIGH, HIGH + N - 1, 1, threads, method, level, NULL, &count) != PRIMES_OK
            || count != expected_high)
            atomic_fetch_add(&failures, 1);
        if (primes_count_uint64(high_values, N, threads, method, level, NULL, &count) != PRIMES_OK
            || count != expected_high)
            atomic_fetch_add(&failures, 1);
        if (primes_is_prime_range(HIGH + 1, 2, N / 2, threads, method, level, NULL, mask) != PRIMES_OK)
            atomic_fetch_add(&failures, 1);
        sum = 0;
        for (size_t i = 0; i < N / 2; i++)
            sum += mask[i];
        if (sum != expected_high_odd)
            atomic_fetch_add(&failures, 1);
        size_t written = 0;
        if (primes_primes_range_uint64(HIGH, HIGH + N - 1, threads, method, level, NULL,
                                       generated, N / 8, &written) != PRIMES_OK
            || written != expected_high)
            atomic_fetch_add(&failures, 1);
        for (size_t i = 1; i < written; i++)
            if (generated[i] <= generated[i - 1])
                atomic_fetch_add(&failures, 1);
    ranges_done:
        if (id == 0 && round % 8 == 0) {
            /* Cancel a running call from this thread. */
            struct cancel_job job = {0, -1};
            pthread_t other;
            pthread_create(&other, NULL, cancelled_call, &job);
            __atomic_store_n(&job.flag, 1, __ATOMIC_RELAXED);
            pthread_join(other, NULL);
            if (job.status != PRIMES_OK && job.status != PRIMES_ECANCELLED)
                atomic_fetch_add(&failures, 1);
        }
    }
    free(mask);
    free(generated);
    return NULL;
}

int main(void)
{
    uint64_t state = 88172645463325252u;
    for (size_t i = 0; i < N; i++) {
        range_values[i] = (int64_t)i;
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        random_values[i] = state;
        /* Below 2^24: every engine (the forced sieve too) stays cheap. */
        random_u32[i] = (uint32_t)(state >> 40);
    }
    /* The expected answers from the portable kernels; the callers use every level. */
    if (primes_count_int64(range_values, N, 1, PRIMES_METHOD_TEST, PRIMES_CPU_BASELINE, NULL, &expected_range)
            != PRIMES_OK
        || primes_count_uint64(random_values, N, 1, PRIMES_METHOD_TEST, PRIMES_CPU_BASELINE, NULL, &expected_random)
            != PRIMES_OK
        || primes_count_uint32(random_u32, N, 1, PRIMES_METHOD_TEST, PRIMES_CPU_BASELINE, NULL, &expected_u32)
            != PRIMES_OK)
        return 2;
    if (expected_range != 17984) /* pi(199999) */
        return 3;
    for (size_t i = 0; i < N; i++)
        high_values[i] = HIGH + i;
    if (primes_count_uint64(high_values, N, 1, PRIMES_METHOD_TEST, PRIMES_CPU_BEST, NULL, &expected_high) != PRIMES_OK)
        return 2;
    /* the odd values HIGH + 1, HIGH + 3, ... hold every prime of the range */
    expected_high_odd = expected_high;
    if (expected_high == 0 || expected_high > N / 8)
        return 3;
    pthread_t threads[CALLERS];
    for (int i = 0; i < CALLERS; i++)
        pthread_create(&threads[i], NULL, caller, (void *)(intptr_t)i);
    for (int i = 0; i < CALLERS; i++)
        pthread_join(threads[i], NULL);
    int failed = atomic_load(&failures);
    printf("concurrency driver: %d callers x %d rounds, %d failures\n", CALLERS, ROUNDS, failed);
    return failed ? 1 : 0;
}
