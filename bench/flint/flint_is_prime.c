/* SPDX-License-Identifier: MIT */
/*
 * flint_is_prime.c -- FLINT's n_is_prime on an array, timed per core: the
 * scalar anchor of the E targets (bench/targets_engine.py builds it and
 * calls it through ctypes, in the bench's own process).
 *
 *   cc -O2 -shared -fPIC flint_is_prime.c -o libflint_is_prime.so -L DIR -l:libflint.so... -Wl,-rpath,DIR
 *
 * flint_harness_count(values, n) calls n_is_prime on every value in order,
 * on the calling thread, and returns the primes counted; *seconds gets the
 * wall time of the loop (CLOCK_MONOTONIC), the clock the bench reads around
 * primes.count.  (Not the CPU time: on this kind of shared VM the kernel
 * subtracts the time the host steals lazily, so a short interval's CPU time
 * can come out far below the work done in it; the best of the rounds in
 * wall time is the least disturbed run.)  In the bench's
 * process the loop reads the same values as primes.count (a uint64 copy),
 * the two called in turn, with no file in between.
 *
 * The prototype is declared here rather than taken from a header:
 * `int n_is_prime(ulong)` is the same in FLINT 2.9 and 3.x (ulong is
 * unsigned long, 64 bits on Linux), so the bench can link the FLINT 3
 * library that python-flint's wheel bundles without FLINT 3's headers.
 */
#include <stddef.h>
#include <stdint.h>
#include <time.h>

int n_is_prime(unsigned long n);
extern char flint_version[];

static double wall_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

const char *flint_harness_version(void)
{
    return flint_version;
}

unsigned long flint_harness_count(const uint64_t *values, size_t n, double *seconds)
{
    double start = wall_seconds();
    unsigned long count = 0;
    for (size_t i = 0; i < n; i++)
        count += (unsigned long)n_is_prime((unsigned long)values[i]);
    *seconds = wall_seconds() - start;
    return count;
}
