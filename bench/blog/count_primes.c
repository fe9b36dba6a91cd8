/* SPDX-License-Identifier: MIT */
/*
 * count_primes.c -- the C side of the blog experiment, reimplemented with a
 * correct primality test.
 *
 * The blog's design, kept as it was: the caller hands over an int32_t array
 * (built from a Python list with ctypes) and gets back the number of primes.
 * count_primes() runs on the calling thread; count_primes_pthreads() starts
 * BLOG_THREADS POSIX threads, thread t taking elements t, t + 4, t + 8, ...
 *
 * What changed from the blog: the test.  Trial division by 2 and then by every
 * odd d with d * d <= x; the blog's version reported 921295 primes below 10^6
 * (there are 78498).  Nothing else is optimised, on purpose: this is the
 * baseline the package is measured against, not a competitor.
 *
 * Build (bench/run.py does this): cc -O2 -shared -fPIC -pthread
 */
#include <pthread.h>
#include <stdint.h>

#define BLOG_THREADS 4

/* 1 if x is prime, else 0.  Trial division by odd numbers up to sqrt(x). */
static int is_prime(int32_t x)
{
    if (x < 2)
        return 0;
    if (x < 4)
        return 1; /* 2 and 3 */
    if (x % 2 == 0)
        return 0;
    uint32_t value = (uint32_t)x;
    /* d * d in 64 bits: for x near 2^31, d reaches 46341 and d * d > INT32_MAX. */
    for (uint32_t d = 3; (uint64_t)d * d <= value; d += 2)
        if (value % d == 0)
            return 0;
    return 1;
}

/* Number of primes among nums[0], ..., nums[n - 1], on the calling thread. */
int count_primes(const int32_t *nums, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += is_prime(nums[i]);
    return total;
}

struct strided_job {
    const int32_t *nums;
    int n;
    int first; /* this thread's first index; it then steps by BLOG_THREADS */
    int total; /* output */
};

static void *count_strided(void *arg)
{
    struct strided_job *job = arg;
    int total = 0;
    for (int i = job->first; i < job->n; i += BLOG_THREADS)
        total += is_prime(job->nums[i]);
    job->total = total;
    return NULL;
}

/* As count_primes(), split among BLOG_THREADS threads by stride.  Returns -1
 * if a thread cannot be started (after joining the ones that were). */
int count_primes_pthreads(const int32_t *nums, int n)
{
    pthread_t threads[BLOG_THREADS];
    struct strided_job jobs[BLOG_THREADS];
    int started = 0;
    for (int t = 0; t < BLOG_THREADS; t++) {
        jobs[t] = (struct strided_job){nums, n, t, 0};
        if (pthread_create(&threads[t], NULL, count_strided, &jobs[t]) != 0)
            break;
        started++;
    }
    int total = 0;
    for (int t = 0; t < started; t++) {
        pthread_join(threads[t], NULL);
        total += jobs[t].total;
    }
    return started == BLOG_THREADS ? total : -1;
}
